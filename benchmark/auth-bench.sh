#!/usr/bin/env bash
# Reads, searches and creates with SMART bearer tokens checked versus authorization off, same run,
# on PostgreSQL (issue 6). The harness starts both servers the same way: A with
# `chartproof.auth.mode=off`, B with the embedded authorization server. B's token signing key is
# made here before it starts, so that this script can sign B's access token itself (RS256,
# system/*.cruds, valid 3 hours: the run measures checking tokens, not fetching them) with B's
# issuer fixed to a name (http://bench.invalid) that does not depend on the port the harness
# picks. Every request to both servers carries that token; A ignores it. (An earlier version
# started B itself and fetched the token from it; an A/A run showed that this setup alone cost
# the server started outside the harness about 5%.) Consent enforcement (issue 7) is off on B:
# this measures token checking alone.
#
# usage: benchmark/auth-bench.sh [extra harness options, e.g. --concurrency 8 --rounds 3]
# needs: a running PostgreSQL with role bench/bench (see benchmark/README.md) and
#        `./mvnw -B -q -DskipTests package` done (or JAR=... BENCH=... copies of the jars).
set -euo pipefail
. "$(dirname "$0")/bench-common.sh"
WORK=$(mktemp -d /tmp/auth-bench.XXXXXX)
fresh_databases auth_off auth_on
bench_token "$WORK/b-data" "$WORK/token"

java -jar "$BENCH" --server-jar "$JAR" --work-dir "$WORK" --token-file "$WORK/token" \
  --a-label security-off \
  --a-server "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/auth_off $PG --chartproof.storage.data-dir=$WORK/a-data --chartproof.auth.mode=off" \
  --b-label tokens \
  --b-server "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/auth_on $PG --chartproof.storage.data-dir=$WORK/b-data --chartproof.auth.issuer=$ISSUER --chartproof.consent.enabled=false" \
  --order abba "$@"
