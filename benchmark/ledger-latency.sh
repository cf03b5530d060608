#!/usr/bin/env bash
# Write-to-signed-checkpoint latency of a Chartproof ledger on PostgreSQL, from its tables alone.
#   benchmark/ledger-latency.sh [PSQL_CONNECTION_ARGS...]
#   e.g. PGPASSWORD=bench benchmark/ledger-latency.sh -h 127.0.0.1 -U bench -d mydb
# For every integrated entry: the `time` of the first checkpoint covering it (the earliest with
# tree_size > leaf_index) minus the entry's own `time`, in ms. Both are the server's clock: the
# entry's is taken at the write, just before its transaction commits; the checkpoint's when the
# sequencer signs it (docs/ledger.md). So this is server-side latency: the HTTP response and the
# client's view of it are not included. Prints count, p50, p95, p99 (nearest rank) and max.
set -euo pipefail
exec psql -X -v ON_ERROR_STOP=1 -P pager=off "$@" <<'SQL'
WITH checkpoint AS (
  SELECT lag(tree_size, 1, 0::bigint) OVER (ORDER BY height) AS first_leaf,
         tree_size,
         substring(convert_from(note, 'UTF8') FROM E'\ntime ([0-9]+)\n')::bigint AS signed_ms
  FROM cp_checkpoint
), covered AS (
  -- the leaves each checkpoint covers first: [previous tree size, its tree size)
  SELECT generate_series(first_leaf, tree_size - 1) AS leaf_index, signed_ms FROM checkpoint
), latency AS (
  SELECT c.signed_ms
         - substring(convert_from(e.entry, 'UTF8') FROM E'\ntime ([0-9]+)\n')::bigint AS ms
  FROM cp_ledger_entry e JOIN covered c USING (leaf_index)
)
SELECT count(*) AS entries,
       percentile_disc(0.50) WITHIN GROUP (ORDER BY ms) AS p50_ms,
       percentile_disc(0.95) WITHIN GROUP (ORDER BY ms) AS p95_ms,
       percentile_disc(0.99) WITHIN GROUP (ORDER BY ms) AS p99_ms,
       max(ms) AS max_ms,
       (SELECT count(*) FROM cp_ledger_pending) AS pending
FROM latency;
SQL
