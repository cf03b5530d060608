#!/usr/bin/env bash
# Inclusion-proof latency at scale: a PostgreSQL ledger of ENTRIES synthetic entries plus two real
# Patients, then $ledger-proof timed over HTTP and its SQL queries with EXPLAIN ANALYZE.
#
#   PGPASSWORD=... benchmark/proof-at-scale.sh DATABASE [ENTRIES=1000000] [REQUESTS=2000] [WARMUP=2000]
#
# DATABASE must exist, be empty and belong to $PGUSER (default bench) on $PGHOST:$PGPORT (default
# 127.0.0.1:5432). The server jar ($JAR, default fhir-server/target/fhir-server-0.1.0-SNAPSHOT.jar)
# is started on 127.0.0.1 and a free port, with its data directory in a new temp directory, and
# stopped again; the directory is deleted at the end unless KEEP=1.
#
# 1. Start the server once (it creates the ledger tables), create Patient "early", wait until its
#    entry is in a signed checkpoint (leaf 0), stop the server.
# 2. Insert ENTRIES synthetic entries with one INSERT ... SELECT generate_series. They are
#    well-formed entry texts with no resource behind them (res_id synthetic-<n>): the verify
#    command would report them MISSING, so this database is for proof latency only.
# 3. Start the server again and time until GET /ledger/checkpoint shows every entry integrated.
# 4. VACUUM ANALYZE the ledger tables (integration updated every entry row), create Patient
#    "late" (the last leaf), then for each Patient: WARMUP requests, then REQUESTS sequential
#    GET Patient/{id}/$ledger-proof on one keep-alive connection (curl's time_total per request),
#    and the same for a plain GET Patient/{id} as a baseline; p50/p95/p99/max in ms.
# 5. EXPLAIN ANALYZE (3 runs each, last one printed) of the server's three queries: the entry
#    lookup, the node read with the node ids the server reads for each proof (ProofPlan.inclusion,
#    recomputed here) and the latest checkpoint.
set -euo pipefail
db=${1:?usage: proof-at-scale.sh DATABASE [ENTRIES] [REQUESTS] [WARMUP]}
entries=${2:-1000000}
requests=${3:-2000}
warmup=${4:-2000}
root=$(cd "$(dirname "$0")/.." && pwd)
jar=${JAR:-$root/fhir-server/target/fhir-server-0.1.0-SNAPSHOT.jar}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-bench}
export SPRING_DATASOURCE_PASSWORD=${PGPASSWORD:-}
work=$(mktemp -d /tmp/proof-at-scale.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
pid=
stop_server() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
  fi
}
cleanup() {
  stop_server
  if [ "${KEEP:-0}" = 1 ]; then echo "# kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
log() { echo "[$(date -u +%H:%M:%S)] $*"; }

alive() {
  kill -0 "$pid" 2>/dev/null || { tail -20 "$work/server.log" >&2; echo "server died" >&2; exit 1; }
}
start_server() {
  java -Xmx1g -jar "$jar" --server.port="$port" --server.address=127.0.0.1 \
    --spring.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$db" \
    --spring.datasource.username="$PGUSER" \
    --chartproof.auth.mode=off --chartproof.storage.data-dir="$work/data" >> "$work/server.log" 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/fhir/metadata")" = 200 ]; do
    alive; sleep 0.5
  done
}
tree_size() { curl -sf "$base/ledger/checkpoint" | sed -n 2p; }
create_patient() {
  curl -sf -D - -o /dev/null -X POST "$base/fhir/Patient" -H 'Content-Type: application/fhir+json' \
    -d "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Proof\",\"given\":[\"$1\"]}]}" |
    tr -d '\r' | sed -n 's#^[Ll]ocation: .*/Patient/\([^/]*\)/_history/.*#\1#p'
}
wait_included() {
  until curl -sf "$base/fhir/Patient/$1/\$ledger-proof" | grep -q '"valueCode": *"included"'; do
    alive; sleep 0.2
  done
}
# Sequential GETs of one URL on one connection; prints count, p50, p95, p99, max of time_total in ms.
time_url() {
  local url=$1 n=$2 cfg=$work/curl.cfg out=$work/times
  : > "$cfg"
  for _ in $(seq 1 "$n"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$url" >> "$cfg"; done
  curl -s -H 'Accept: application/fhir+json' -K "$cfg" -w '%{http_code} %{time_total}\n' > "$out"
  if grep -qv '^200 ' "$out"; then echo "non-200 answers: $(grep -v '^200 ' "$out" | head -3)" >&2; exit 1; fi
  awk '{print $2 * 1000}' "$out" | sort -g | awk '
    { v[NR] = $1 }
    function rank(p) { i = int(p * NR); if (i < p * NR) i++; return v[i] }
    END { printf "n=%d p50=%.2f p95=%.2f p99=%.2f max=%.2f ms\n", NR, rank(0.5), rank(0.95), rank(0.99), v[NR] }'
}
# The node ids LedgerStore.read gets for a leaf's inclusion proof (ProofPlan.addPath, level 0).
proof_nodes() {
  local index=$1 size=$2 level=0 last sibling pos remaining s lv
  last=$((size - 1))
  while [ "$last" -ne 0 ]; do
    sibling=$((index ^ 1))
    if [ "$sibling" -le "$last" ]; then
      if [ "$sibling" -lt $((size >> level)) ]; then
        echo "$level $sibling"
      else # incomplete right sibling: the complete subtrees making up [sibling << level, size)
        pos=$((sibling << level)); remaining=$((size - pos))
        while [ "$remaining" -ne 0 ]; do
          s=1; lv=0
          while [ $((s * 2)) -le "$remaining" ]; do s=$((s * 2)); lv=$((lv + 1)); done
          echo "$lv $((pos >> lv))"
          pos=$((pos + s)); remaining=$((remaining - s))
        done
      fi
    fi
    level=$((level + 1)); index=$((index >> 1)); last=$((last >> 1))
  done
}
explain() {
  local sql=$1
  for _ in 1 2; do q -c "EXPLAIN ANALYZE $sql" > /dev/null; done
  q -c "EXPLAIN (ANALYZE, BUFFERS) $sql"
}

echo "# $(nproc) cores, $(java -version 2>&1 | head -1), $(psql -X -A -t -d "$db" -c 'SHOW server_version'), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# database $db, $entries synthetic entries, $requests requests after $warmup warm-up, jar $jar"
if [ "$(q -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" != 0 ]; then
  echo "database $db is not empty" >&2; exit 1
fi

log "first start (creates the tables)"
start_server
early=$(create_patient early)
wait_included "$early"
stop_server
log "Patient/$early is leaf $(q -c "SELECT leaf_index FROM cp_ledger_entry WHERE res_type = 'Patient' AND res_id = '$early'")"

log "inserting $entries synthetic entries"
t0=$(now_ms)
q <<SQL
INSERT INTO cp_ledger_pending (entry, res_type, res_id, version, salt)
SELECT convert_to('chartproof-entry/v1' || E'\n'
         || 'op CREATE' || E'\n'
         || 'type Observation' || E'\n'
         || 'id ' || encode(sha256(convert_to('synthetic-' || n, 'UTF8')), 'hex') || E'\n'
         || 'version 1' || E'\n'
         || 'time ' || (extract(epoch FROM clock_timestamp()) * 1000)::bigint || E'\n'
         || 'actor ' || encode(sha256(convert_to('synthetic-actor', 'UTF8')), 'hex') || E'\n'
         || 'commitment ' || encode(sha256(convert_to('synthetic-commitment-' || n, 'UTF8')), 'hex')
         || E'\n', 'UTF8'),
       'Observation', 'synthetic-' || n, 1, sha256(convert_to('synthetic-salt-' || n, 'UTF8'))
FROM generate_series(1, $entries) AS n;
SQL
log "inserted in $(($(now_ms) - t0)) ms; ANALYZE"
q -c "ANALYZE cp_ledger_pending"

log "second start; waiting for the sequencer to integrate them"
t0=$(now_ms)
start_server
up=$(($(now_ms) - t0))
target=$((entries + 1))
until size=$(tree_size) && [ "$size" -ge "$target" ]; do alive; sleep 0.5; done
took=$(($(now_ms) - t0))
log "server answered after $up ms; tree size $size seen $took ms after the start"
q -F ' ' -c "
  SELECT count(*) AS checkpoints, max(tree_size),
         max(substring(convert_from(note, 'UTF8') FROM E'\ntime ([0-9]+)\n')::bigint)
         - min(substring(convert_from(note, 'UTF8') FROM E'\ntime ([0-9]+)\n')::bigint)
  FROM cp_checkpoint WHERE tree_size > 1" |
  { read -r n max span; log "$n checkpoints signed while integrating (tree sizes up to $max), first to last $span ms apart (signing times in the notes)"; }

# integration moved every row out of the queue; vacuum now rather than have autovacuum run during
# the timing
t0=$(now_ms)
for table in cp_ledger_pending cp_ledger_entry cp_tree_node cp_checkpoint; do q -c "VACUUM ANALYZE $table"; done
log "VACUUM ANALYZE of the four ledger tables took $(($(now_ms) - t0)) ms"

late=$(create_patient late)
wait_included "$late"
size=$(tree_size)
for id in "$early" "$late"; do
  leaf=$(q -c "SELECT leaf_index FROM cp_ledger_entry WHERE res_type = 'Patient' AND res_id = '$id'")
  nodes=$(proof_nodes "$leaf" "$size")
  hashes=$(curl -sf "$base/fhir/Patient/$id/\$ledger-proof" | grep -o '"name": *"inclusionProof"' | wc -l)
  echo
  log "Patient/$id: leaf $leaf of $size, $hashes proof hashes from $(echo "$nodes" | wc -l) stored nodes"
  time_url "$base/fhir/Patient/$id/\$ledger-proof" "$warmup" > /dev/null
  printf 'GET Patient/%s/$ledger-proof: ' "$id"
  time_url "$base/fhir/Patient/$id/\$ledger-proof" "$requests"
  time_url "$base/fhir/Patient/$id" "$warmup" > /dev/null
  printf 'GET Patient/%s (baseline):     ' "$id"
  time_url "$base/fhir/Patient/$id" "$requests"
  echo "-- entry lookup"
  match="res_type = 'Patient' AND res_id = '$id'"
  explain "SELECT version, entry, leaf_index, salt FROM (SELECT version, entry, leaf_index, salt, 0 AS pending, leaf_index AS ord FROM cp_ledger_entry WHERE $match UNION ALL SELECT version, entry, NULL, salt, 1, seq FROM cp_ledger_pending WHERE $match) e ORDER BY version DESC, pending DESC, ord DESC LIMIT 1"
  where=$(echo "$nodes" | awk '{printf "%s(node_level = %s AND node_index = %s)", (NR > 1 ? " OR " : ""), $1, $2}')
  echo "-- node read"
  explain "SELECT node_level, node_index, hash FROM cp_tree_node WHERE $where"
  echo "-- latest checkpoint"
  explain "SELECT height, tree_size, note FROM cp_checkpoint ORDER BY height DESC LIMIT 1"
done
stop_server
log "done"
