#!/usr/bin/env bash
# Reads and searches with consent enforcement and the access log on versus off, same run, on
# PostgreSQL (issue 7). Both servers check the same kind of token (see bench-common.sh): A with
# `chartproof.consent.enabled=false`, B with enforcement and the access log on. B's base policy is
# opt-out, so that the benchmark client, which no Consent names, reads what it asks for: every
# resource is still decided by the engine with the patient's (cached, here empty) Consents, and
# every decision is recorded, ledgered and committed before the response.
#
# usage: benchmark/consent-bench.sh [extra harness options, e.g. --concurrency 8 --rounds 3]
# needs: a running PostgreSQL with role bench/bench (see benchmark/README.md) and
#        `./mvnw -B -q -DskipTests package` done (or JAR=... BENCH=... copies of the jars).
set -euo pipefail
. "$(dirname "$0")/bench-common.sh"
WORK=$(mktemp -d /tmp/consent-bench.XXXXXX)
fresh_databases consent_off consent_on
bench_token "$WORK/a-data" "$WORK/token"
mkdir -p "$WORK/b-data" && cp "$WORK/a-data/auth-signing.key" "$WORK/b-data/"

java -jar "$BENCH" --server-jar "$JAR" --work-dir "$WORK" --token-file "$WORK/token" \
  --a-label consent-off \
  --a-server "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/consent_off $PG --chartproof.storage.data-dir=$WORK/a-data --chartproof.auth.issuer=$ISSUER --chartproof.consent.enabled=false" \
  --b-label consent-and-audit \
  --b-server "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/consent_on $PG --chartproof.storage.data-dir=$WORK/b-data --chartproof.auth.issuer=$ISSUER --chartproof.consent.base-policy=opt-out" \
  --order abba "$@"
