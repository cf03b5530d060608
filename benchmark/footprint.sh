#!/usr/bin/env bash
# Startup time and memory of server jars, alternated (A B A B ...), each start on a fresh H2 database.
#   benchmark/footprint.sh ROUNDS JAR...
# Prints per start: time until GET /fhir/metadata answers 200, RSS when idle, RSS after a small
# load (30 lab transaction bundles, 200 searches). Used to compare builds, e.g. trimmed vs untrimmed.
set -euo pipefail
rounds=${1:?usage: footprint.sh ROUNDS JAR...}; shift
[ $# -ge 1 ] || { echo "usage: footprint.sh ROUNDS JAR..." >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
bundle=$root/docs/examples/lab-report-transaction.json
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18089)
measure() {
  local jar=$1 dir pid start ready rss_idle rss_load
  dir=$(mktemp -d)
  start=$(date +%s%N)
  java -Xmx1g -jar "$jar" --server.port="$port" --server.address=127.0.0.1 \
    --chartproof.auth.mode=off --chartproof.storage.data-dir="$dir/data" > "$dir/log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$port/fhir/metadata")" = 200 ]; do
    kill -0 $pid 2>/dev/null || { echo "server died, log: $dir/log" >&2; exit 1; }
    sleep 0.2
  done
  ready=$(( ($(date +%s%N) - start) / 1000000 ))
  rss_idle=$(ps -o rss= -p $pid)
  for _ in $(seq 1 30); do
    curl -sf -o /dev/null -X POST "127.0.0.1:$port/fhir" -H 'Content-Type: application/fhir+json' --data-binary @"$bundle"
  done
  for _ in $(seq 1 200); do
    curl -sf -o /dev/null "127.0.0.1:$port/fhir/Observation?code=http://loinc.org|718-7&_count=10"
  done
  rss_load=$(ps -o rss= -p $pid)
  kill $pid; wait $pid 2>/dev/null || true
  trap - EXIT
  printf '%-60s startup_ms=%6d rss_idle_mb=%5d rss_after_load_mb=%5d\n' "$jar" "$ready" $((rss_idle / 1024)) $((rss_load / 1024))
  rm -rf "$dir"
}
echo "# $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%dT%H:%MZ)"
for jar in "$@"; do printf '# %s: %d bytes\n' "$jar" "$(stat -c %s "$jar")"; done
for _ in $(seq 1 "$rounds"); do
  for jar in "$@"; do measure "$jar"; done
done
