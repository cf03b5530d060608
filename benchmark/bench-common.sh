# Sourced by the benchmark scripts that compare two servers on PostgreSQL (auth-bench.sh,
# consent-bench.sh): the jars, a work directory, the PostgreSQL role, fresh databases, and tokens.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
JAR=${JAR:-fhir-server/target/fhir-server-0.1.0-SNAPSHOT.jar}
BENCH=${BENCH:-benchmark/target/chartproof-bench.jar}
ISSUER=http://bench.invalid
PG="--spring.datasource.username=bench --spring.datasource.password=bench"

# The machine is shared: one benchmark at a time. Exits 4 if another one holds the lock.
LOCK=/tmp/bench.lock
if ! ( set -o noclobber; echo "$(basename "$0") $$" > "$LOCK" ) 2>/dev/null; then
  echo "another benchmark holds $LOCK: $(cat "$LOCK" 2>/dev/null)" >&2
  exit 4
fi
trap 'rm -f "$LOCK"' EXIT

# fresh_databases NAME...: drops and creates each database, owned by bench
fresh_databases() {
  for db in "$@"; do
    su postgres -c "dropdb --if-exists $db && createdb -O bench $db"
  done
}

# bench_token DATA_DIR TOKEN_FILE: makes a server's token signing key in $1 (the form the server
# keeps it: PKCS#8, base64, in auth-signing.key of its data directory) and writes to $2 an access
# token as that server's token endpoint would issue it to a Backend Services client: RS256,
# system/*.cruds, issuer $ISSUER, valid 3 hours (a run measures checking tokens, not fetching them).
bench_token() {
  local data_dir=$1 token_file=$2 work
  work=$(dirname "$token_file")
  mkdir -p "$data_dir"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/signing.pem" 2>/dev/null
  openssl pkcs8 -topk8 -nocrypt -in "$work/signing.pem" -outform DER | base64 -w0 > "$data_dir/auth-signing.key"
  echo >> "$data_dir/auth-signing.key"
  b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
  local now header payload signature
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"iss":"%s","sub":"bench","aud":"%s/fhir","iat":%d,"exp":%d,"scope":"system/*.cruds","client_id":"bench"}' \
    "$ISSUER" "$ISSUER" "$now" $(( now + 3 * 3600 )) | b64url)
  signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$work/signing.pem" -binary | b64url)
  printf '%s.%s.%s' "$header" "$payload" "$signature" > "$token_file"
  echo "# token for client bench with system/*.cruds, issuer $ISSUER"
}
