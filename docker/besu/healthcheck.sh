#!/usr/bin/env bash
# Compose healthcheck for a Besu validator (its image has bash but no curl): healthy when the
# node's JSON-RPC answers eth_blockNumber on 127.0.0.1. Usage: bash healthcheck.sh [port]
set -eu
port=${1:-8545}
body='{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}'
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
  "${#body}" "$body" >&3
response=$(cat <&3)
[[ $response == "HTTP/1.1 200"* && $response == *'"result":"0x'* ]]
