#!/usr/bin/env bash
# Reads, searches and creates with SMART bearer tokens checked versus authorization off, same run,
# on PostgreSQL (issue 6). Starts server B with authorization on and a Backend Services client
# whose key pair it makes here, gets a token for it with a signed assertion (as README.md's
# "Authorize" section does), and runs the harness with A = `chartproof.auth.mode=off` (started by
# the harness) and B = that server. Every request to both carries the token; A ignores it.
#
# usage: benchmark/auth-bench.sh [extra harness options, e.g. --concurrency 8 --rounds 3]
# needs: a running PostgreSQL with role bench/bench (see benchmark/README.md) and
#        `./mvnw -B -q -DskipTests package` done (or JAR=... BENCH=... copies of the jars).
# B_JAVA_OPTS: extra JVM options for server B, e.g. a flight recording to profile it.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-fhir-server/target/fhir-server-0.1.0-SNAPSHOT.jar}
BENCH=${BENCH:-benchmark/target/chartproof-bench.jar}
WORK=$(mktemp -d /tmp/auth-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
PG="--spring.datasource.username=bench --spring.datasource.password=bench"

for db in auth_off auth_on; do
  su postgres -c "dropdb --if-exists $db && createdb -O bench $db"
done

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/client.pem" 2>/dev/null
N=$(openssl rsa -in "$WORK/client.pem" -noout -modulus | cut -d= -f2 | xxd -r -p | b64url)
cat > "$WORK/client.yaml" <<YAML
chartproof.auth.clients:
  - client-id: bench
    jwks: '{"keys":[{"kty":"RSA","kid":"bench-1","alg":"RS384","use":"sig","e":"AQAB","n":"$N"}]}'
    scopes: [system/*.cruds]
YAML

mkdir -p "$WORK/b"
# a token that outlives the run: the cost measured is checking it, not fetching new ones
java -Xmx1g ${B_JAVA_OPTS:-} -jar "$JAR" --server.port="$PORT" --server.address=127.0.0.1 \
  --spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/auth_on $PG \
  --chartproof.storage.data-dir="$WORK/b-data" --chartproof.auth.issuer="$BASE" \
  --chartproof.auth.access-token-ttl=3h \
  --spring.config.additional-location=file:"$WORK/client.yaml" > "$WORK/b/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 180); do curl -sf -o /dev/null "$BASE/fhir/metadata" && break; sleep 1; done

HEADER=$(printf '{"alg":"RS384","typ":"JWT","kid":"bench-1"}' | b64url)
PAYLOAD=$(printf '{"iss":"bench","sub":"bench","aud":"%s/oauth2/token","exp":%d,"jti":"%s"}' \
  "$BASE" $(( $(date +%s) + 240 )) "$(cat /proc/sys/kernel/random/uuid)" | b64url)
SIGNATURE=$(printf '%s.%s' "$HEADER" "$PAYLOAD" | openssl dgst -sha384 -sign "$WORK/client.pem" -binary | b64url)
curl -sf "$BASE/oauth2/token" -d grant_type=client_credentials -d 'scope=system/*.cruds' \
  -d client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer \
  -d client_assertion="$HEADER.$PAYLOAD.$SIGNATURE" \
  | sed 's/.*"access_token":"\([^"]*\)".*/\1/' > "$WORK/token"
echo "# server B at $BASE/fhir (authorization on), token for client bench with system/*.cruds"
test "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/fhir/Patient?_count=1")" = 401
test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$WORK/token")" \
  "$BASE/fhir/Patient?_count=1")" = 200

java -jar "$BENCH" --server-jar "$JAR" --work-dir "$WORK" --token-file "$WORK/token" \
  --a-label security-off \
  --a-server "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/auth_off $PG --chartproof.storage.data-dir=$WORK/a-data --chartproof.auth.mode=off" \
  --b-label tokens --b "$BASE/fhir" \
  --order abba "$@"
