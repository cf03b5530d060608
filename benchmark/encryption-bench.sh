#!/usr/bin/env bash
# Creates, reads and searches with encryption at rest on versus off, same run, on PostgreSQL
# (issue 5). The harness starts both servers the same way, authorization off on both (this
# measures encryption alone): A with `chartproof.encryption.enabled=false` (bodies stored in
# clear by HAPI), B with the default (every body sealed with AES-256-GCM under its patient's
# data key, kept in cp_resource_body). Each server gets its own fresh database and data
# directory, so B's keystore and data keys are made at its first start.
#
# usage: benchmark/encryption-bench.sh [extra harness options, e.g. --rounds 8 --seconds 20]
# needs: a running PostgreSQL with role bench/bench (see benchmark/README.md) and
#        `./mvnw -B -q -DskipTests package` done (or JAR=... BENCH=... copies of the jars).
set -euo pipefail
. "$(dirname "$0")/bench-common.sh"
WORK=$(mktemp -d /tmp/encryption-bench.XXXXXX)
fresh_databases enc_off enc_on

java -jar "$BENCH" --server-jar "$JAR" --work-dir "$WORK" \
  --a-label encryption-off \
  --a-server "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/enc_off $PG --chartproof.storage.data-dir=$WORK/a-data --chartproof.auth.mode=off --chartproof.encryption.enabled=false" \
  --b-label encryption-on \
  --b-server "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/enc_on $PG --chartproof.storage.data-dir=$WORK/b-data --chartproof.auth.mode=off" \
  --order abba "$@"
