#!/usr/bin/env bash
# Generates the four-validator Besu QBFT network that docker/compose.besu.yml runs, into
# docker/besu/network/ (git-ignored: it holds private keys). Needs Docker; runs Besu's own
# generator and Node.js from their official images, as the calling user.
#
#   bash docker/besu/generate-network.sh
#
# Environment:
#   CHARTPROOF_LEDGER_ORIGIN   the log's name (chartproof.ledger.origin); default chartproof.localhost/ledger
#   LEDGER_SIGNING_KEY_FILE    an existing ledger signing key (base64 32-byte seed) to anchor that
#                              log instead of a new one
#
# Writes:
#   network/genesis.json                  QBFT genesis with the four validators in its extraData
#   network/validatorN/key                node key (secret), key.pub, address, enode,
#   network/validatorN/static-nodes.json  the other three validators' enodes
#   network/validators.json               addresses and enodes of all four (public)
#   network/anchor/                       admin and submitter keystores + passwords, the ledger
#                                         signing key (secrets); anchor.json, anchor.env (public)
#
# Permissions: network/ is 0700 so that no other host user can reach the keys; files inside are
# 0644 and folders 0755 because the containers read them as other users (Besu as uid 1000, the
# server as its own system user) through bind mounts, which keep the host's modes.
set -euo pipefail

BESU_IMAGE=hyperledger/besu:25.12.0
NODE_IMAGE=node:20.18.1-bookworm-slim
# The validators' addresses on the compose network; must match docker/compose.besu.yml.
IPS=(172.30.84.11 172.30.84.12 172.30.84.13 172.30.84.14)
ORIGIN=${CHARTPROOF_LEDGER_ORIGIN:-chartproof.localhost/ledger}

here=$(cd "$(dirname "$0")" && pwd)
out=$here/network
if [ -e "$out" ]; then
  echo "$out exists. Generating again makes a new chain and new keys: move it away first" \
    "(it holds the only copy of the validator and admin keys)." >&2
  exit 1
fi
command -v docker >/dev/null || { echo "docker is required" >&2; exit 1; }

as_user=(--user "$(id -u):$(id -g)")
mkdir -m 0700 "$out"

echo "== Besu: node keys and QBFT genesis ($BESU_IMAGE)"
docker run --rm "${as_user[@]}" -v "$here:/besu" --entrypoint /opt/besu/bin/besu "$BESU_IMAGE" \
  operator generate-blockchain-config \
  --config-file=/besu/qbftConfigFile.json --to=/besu/network/networkFiles --private-key-file-name=key

cp "$out/networkFiles/genesis.json" "$out/genesis.json"
grep -q '"extraData"' "$out/genesis.json" || { echo "genesis.json has no extraData" >&2; exit 1; }
mapfile -t keydirs < <(find "$out/networkFiles/keys" -mindepth 1 -maxdepth 1 -type d | sort)
if [ "${#keydirs[@]}" -ne "${#IPS[@]}" ]; then
  echo "expected ${#IPS[@]} node keys, Besu wrote ${#keydirs[@]}" >&2
  exit 1
fi

enodes=()
for i in "${!keydirs[@]}"; do
  n=$((i + 1))
  dir=$out/validator$n
  mkdir -m 0755 "$dir"
  cp "${keydirs[$i]}/key" "${keydirs[$i]}/key.pub" "$dir/"
  basename "${keydirs[$i]}" >"$dir/address"
  pub=$(tr -d ' \n' <"$dir/key.pub")
  enode="enode://${pub#0x}@${IPS[$i]}:30303"
  echo "$enode" >"$dir/enode"
  enodes+=("$enode")
done
# Besu's output folder holds a second copy of the private keys: keep only ours.
rm -rf "$out/networkFiles"

json_list() { # items... -> JSON array of strings
  local sep="" item
  printf '['
  for item in "$@"; do printf '%s\n  "%s"' "$sep" "$item"; sep=","; done
  printf '\n]\n'
}
{
  printf '[\n'
  for i in "${!enodes[@]}"; do
    n=$((i + 1))
    printf '  {"name": "validator%d", "address": "%s", "enode": "%s"}%s\n' \
      "$n" "$(cat "$out/validator$n/address")" "${enodes[$i]}" "$([ "$n" -lt "${#enodes[@]}" ] && echo ,)"
  done
  printf ']\n'
} >"$out/validators.json"
for i in "${!enodes[@]}"; do
  others=()
  for j in "${!enodes[@]}"; do [ "$i" -ne "$j" ] && others+=("${enodes[$j]}"); done
  json_list "${others[@]}" >"$out/validator$((i + 1))/static-nodes.json"
done

echo "== Node.js: ethers, admin and submitter accounts, ledger signing key ($NODE_IMAGE)"
mkdir -m 0755 "$out/anchor"
if [ -n "${LEDGER_SIGNING_KEY_FILE:-}" ]; then
  cp "$LEDGER_SIGNING_KEY_FILE" "$out/anchor/ledger-signing.key"
fi
docker run --rm "${as_user[@]}" -e HOME=/tmp -e npm_config_cache=/tmp/.npm -v "$here:/besu" -w /besu \
  "$NODE_IMAGE" sh -c 'npm ci --no-audit --no-fund && node anchor-admin.js init --dir network/anchor --origin "$0"' \
  "$ORIGIN"

find "$out" -mindepth 1 -type d -exec chmod 0755 {} +
find "$out" -type f -exec chmod 0644 {} +
chmod 0700 "$out"

echo
echo "Network written to $out:"
cat "$out/validators.json"
echo "Anchor contract (created by the admin's first transaction): $(grep CONTRACT_ADDRESS "$out/anchor/anchor.env")"
echo "Back up $out (node keys, admin key) somewhere safe and offline. Then, from the repository root:"
echo "  POSTGRES_PASSWORD=change-me docker compose -f docker/compose.yaml -f docker/compose.besu.yml up --build"
