#!/usr/bin/env bash
# Runs anchor-admin.js end to end against a local Hardhat node (chain/'s pinned Hardhat, on
# 127.0.0.1 and a free port, stopped afterwards): init, deploy, deploy again (does nothing),
# an anchor from the new submitter keystore, rejections (non-submitter, non-admin), remove and add
# a submitter, status with the right and a wrong vkey. Needs Node.js 20+ and npm; no Docker.
# Hardhat charges gas (Besu's network in compose.besu.yml does not), so the test funds the two new
# accounts with hardhat_setBalance first.
#
#   bash docker/besu/test-on-hardhat.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
node_pid=
passed=0
failed=0
cleanup() {
  if [ -n "$node_pid" ]; then kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

ok() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAILED: $*"; failed=$((failed + 1)); }
json() { node -e 'const d=JSON.parse(require("fs").readFileSync(0,"utf8")); console.log(eval("d."+process.argv[1]))' "$1"; }
rpc() { # method params-json
  node -e 'fetch(process.argv[1],{method:"POST",headers:{"content-type":"application/json"},
    body:JSON.stringify({jsonrpc:"2.0",id:1,method:process.argv[2],params:JSON.parse(process.argv[3])})})
    .then(r=>r.json()).then(b=>{if(b.error){console.error(JSON.stringify(b.error));process.exit(1)}console.log(JSON.stringify(b.result))})' \
    "$url" "$1" "$2"
}
admin() { node "$here/anchor-admin.js" "$@"; }

node "$repo/chain/install.js" >/dev/null
[ -d "$here/node_modules/ethers" ] || (cd "$here" && npm ci --no-audit --no-fund >/dev/null)

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
url="http://127.0.0.1:$port"
(cd "$repo/chain" && exec node node_modules/hardhat/internal/cli/cli.js node --hostname 127.0.0.1 --port "$port") \
  >"$work/hardhat.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 90); do rpc eth_chainId '[]' >/dev/null 2>&1 && break; sleep 1; done
rpc eth_chainId '[]' >/dev/null || { cat "$work/hardhat.log"; exit 1; }
echo "Hardhat node on $url"

dir="$work/anchor"
admin init --dir "$dir" --origin test.example/ledger >"$work/init.json"
admin_address=$(json admin <"$work/init.json")
submitter=$(json submitter <"$work/init.json")
contract=$(json contract <"$work/init.json")
vkey=$(json vkey <"$work/init.json")
for a in "$admin_address" "$submitter"; do rpc hardhat_setBalance "[\"$a\",\"0x56BC75E2D63100000\"]" >/dev/null; done

admin deploy --rpc "$url" --dir "$dir" >"$work/deploy.json"
if [ "$(json deployed <"$work/deploy.json")" = true ] && [ "$(json contract <"$work/deploy.json")" = "$contract" ] \
  && [ "$(json submitterAdded <"$work/deploy.json")" = true ]; then
  ok "deployed at the address init predicted ($contract), gas $(json deployGas <"$work/deploy.json"); submitter authorized"
else fail "deploy: $(cat "$work/deploy.json")"; fi

admin deploy --rpc "$url" --dir "$dir" >"$work/deploy2.json"
if [ "$(json deployed <"$work/deploy2.json")" = false ] && [ "$(json submitterAdded <"$work/deploy2.json")" = false ]; then
  ok "deploy again: nothing to do"
else fail "deploy again: $(cat "$work/deploy2.json")"; fi

# Anchors with a keystore: the submitter succeeds, the admin (no submitter) is refused.
anchor_as() { # keystore password-file tree-size
  node -e '
    const { ethers } = require(process.argv[1]);
    const fs = require("fs");
    (async () => {
      const [, , keystore, passwordFile, url, contract, abiFile, size] = process.argv;
      const provider = new ethers.JsonRpcProvider(url);
      const wallet = (await ethers.Wallet.fromEncryptedJson(fs.readFileSync(keystore, "utf8"),
        fs.readFileSync(passwordFile, "utf8"))).connect(provider);
      const c = new ethers.Contract(contract, JSON.parse(fs.readFileSync(abiFile, "utf8")), wallet);
      try {
        const tx = await c.anchor(BigInt(size), ethers.id("root" + size), ethers.id("cp" + size));
        const r = await tx.wait();
        console.log("anchored in block " + r.blockNumber + ", gas " + r.gasUsed);
      } catch (e) {
        const named = e.revert || (e.data && c.interface.parseError(e.data));
        console.log("reverted: " + (named ? named.name : e.shortMessage));
      }
      provider.destroy();
    })();' "$here/node_modules/ethers" "$1" "$2" "$url" "$contract" \
    "$repo/ledger-module/src/main/resources/org/chartproof/ledger/anchor/ChartproofAnchor.abi.json" "$3"
}
out=$(anchor_as "$dir/submitter.keystore.json" "$dir/submitter.password" 5)
case "$out" in anchored*) ok "submitter keystore anchors: $out" ;; *) fail "submitter anchor: $out" ;; esac
out=$(anchor_as "$dir/admin.keystore.json" "$dir/admin.password" 6)
[ "$out" = "reverted: NotSubmitter" ] && ok "admin is no submitter: $out" || fail "admin anchor: $out"

status=$(admin status --rpc "$url" --contract "$contract" --vkey "$vkey")
if [ "$(json anchors <<<"$status")" = 1 ] && [ "$(json latest.treeSize <<<"$status")" = 5 ] \
  && [ "$(json vkeyMatches <<<"$status")" = true ]; then
  ok "status reads 1 anchor of tree size 5, log id matches the vkey"
else fail "status: $status"; fi
if admin status --rpc "$url" --contract "$contract" --vkey "other.example/ledger+00000000+AAAA" >/dev/null 2>&1; then
  fail "status accepted a wrong vkey"
else ok "status with a wrong vkey exits non-zero"; fi

admin_opts=(--rpc "$url" --contract "$contract" --admin-keystore "$dir/admin.keystore.json" --admin-password-file "$dir/admin.password")
admin new-account --keystore "$work/other.keystore.json" --password-file "$work/other.password" >"$work/other.address"
other=$(cat "$work/other.address")
admin add-submitter "$other" "${admin_opts[@]}" >/dev/null && ok "add-submitter $other"
admin remove-submitter "$submitter" "${admin_opts[@]}" >/dev/null && ok "remove-submitter $submitter"
out=$(anchor_as "$dir/submitter.keystore.json" "$dir/submitter.password" 7)
[ "$out" = "reverted: NotSubmitter" ] && ok "removed submitter is refused" || fail "removed submitter: $out"
if admin add-submitter "$submitter" --rpc "$url" --contract "$contract" \
  --admin-keystore "$work/other.keystore.json" --admin-password-file "$work/other.password" 2>"$work/err"; then
  fail "a non-admin added a submitter"
else grep -q NotAdmin "$work/err" && ok "non-admin refused: $(cat "$work/err")" || fail "non-admin: $(cat "$work/err")"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
