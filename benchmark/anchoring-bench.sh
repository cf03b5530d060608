#!/usr/bin/env bash
# Creates with anchoring on versus off, same run, on PostgreSQL (issue 4): starts a local Hardhat
# node from chain/ (npm-pinned), makes the ledger key of server B, deploys B's anchor contract with
# the server jar's deploy-anchor command, and runs the harness with A = anchoring off, B = on.
# Prints the harness's figures, then the anchors B made and their gas.
#
# usage: benchmark/anchoring-bench.sh [extra harness options, e.g. --concurrency 8 --rounds 3]
# needs: a running PostgreSQL with role bench/bench (see benchmark/README.md), `node chain/install.js`
#        and `./mvnw -B -q -DskipTests package` done.
set -euo pipefail
cd "$(dirname "$0")/.."
# a copy of the jars keeps the run safe from a rebuild in this checkout (benchmarks.md)
JAR=${JAR:-fhir-server/target/fhir-server-0.1.0-SNAPSHOT.jar}
BENCH=${BENCH:-benchmark/target/chartproof-bench.jar}
WORK=$(mktemp -d /tmp/anchoring-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
RPC=http://127.0.0.1:$PORT
# Hardhat's well-known development accounts 0 (admin) and 1 (submitter): test keys, not secrets
ADMIN_KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
SUBMITTER=0x70997970C51812dc3A010C7d01b50e0d17dc79C8
SUBMITTER_KEY=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d

(cd chain && exec node node_modules/hardhat/internal/cli/cli.js node --hostname 127.0.0.1 \
  --port "$PORT") > "$WORK/hardhat.log" 2>&1 &
HARDHAT=$!
trap 'kill $HARDHAT 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  curl -s -o /dev/null -H 'Content-Type: application/json' \
    -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$RPC" && break
  sleep 1
done

for db in anchor_off anchor_on; do
  su postgres -c "dropdb --if-exists $db && createdb -O bench $db"
done

# B's ledger signing key, made here so that its contract can be deployed before B starts;
# its C2SP vkey: name+hex(SHA-256(name || 0x0A || 0x01 || pub)[:4])+base64(0x01 || pub)
mkdir -p "$WORK/b-data"
head -c 32 /dev/urandom > "$WORK/seed"
base64 -w0 < "$WORK/seed" > "$WORK/b-data/ledger-signing.key"; echo >> "$WORK/b-data/ledger-signing.key"
{ printf '302e020100300506032b657004220420' | xxd -r -p; cat "$WORK/seed"; } \
  | openssl pkey -inform DER -pubout -outform DER | tail -c 32 > "$WORK/pub"
NAME=chartproof.localhost/ledger
KEYID=$({ printf '%s\n\001' "$NAME"; cat "$WORK/pub"; } | sha256sum | cut -c1-8)
VKEY="$NAME+$KEYID+$({ printf '\001'; cat "$WORK/pub"; } | base64 -w0)"
CONTRACT=$(CHARTPROOF_ANCHOR_ADMIN_PRIVATE_KEY=$ADMIN_KEY java -jar "$JAR" deploy-anchor \
  --rpc-url "$RPC" --key "$VKEY" --submitter "$SUBMITTER" | sed 's/^contract //')
echo "# hardhat $RPC, contract $CONTRACT for $VKEY"

# both without authorization: this measures anchoring alone
PG="--spring.datasource.username=bench --spring.datasource.password=bench --chartproof.auth.mode=off"
CHARTPROOF_ANCHOR_SUBMITTER_PRIVATE_KEY=$SUBMITTER_KEY java -jar "$BENCH" --server-jar "$JAR" \
  --work-dir "$WORK" \
  --a-label anchoring-off \
  --a-server "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/anchor_off $PG" \
  --b-label anchoring-on \
  --b-server "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/anchor_on $PG --chartproof.storage.data-dir=$WORK/b-data --chartproof.anchor.enabled=true --chartproof.anchor.rpc-url=$RPC --chartproof.anchor.contract-address=$CONTRACT --chartproof.anchor.interval=10s" \
  --order abba "$@"

echo "# anchors made by B (one per interval), gas per anchor:"
if ! grep -h "Anchored checkpoint" "$WORK"/b/server.log | sed 's/.*Anchored/Anchored/'; then
  echo "B anchored nothing: the figures above do not measure anchoring" >&2
  grep -h "AnchorPublisher" "$WORK"/b/server.log | tail -3 >&2
  exit 1
fi
