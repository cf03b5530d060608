#!/usr/bin/env bash
# Installs SoftHSM2 (Debian's softhsm2, pinned) and initialises a token for Chartproof's PKCS#11
# key source, in a project-owned directory (never /etc/softhsm). Idempotent: an existing token is
# kept. Prints the settings the tests and a server need, as shell assignments.
#
#   scripts/softhsm-setup.sh [dir]     (default: fhir-server/target/softhsm)
#
# Environment: CHARTPROOF_SOFTHSM_PIN / CHARTPROOF_SOFTHSM_SO_PIN (defaults: test PINs, for tests
# only), CHARTPROOF_SOFTHSM_LABEL (default chartproof-test).
set -euo pipefail
SOFTHSM_VERSION="2.6.1-2.1" # apt-cache policy softhsm2 on Debian 12 (bookworm)
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/fhir-server/target/softhsm}"
label="${CHARTPROOF_SOFTHSM_LABEL:-chartproof-test}"
pin="${CHARTPROOF_SOFTHSM_PIN:-chartproof-test-pin}"
so_pin="${CHARTPROOF_SOFTHSM_SO_PIN:-chartproof-test-so-pin}"

if ! command -v softhsm2-util >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "softhsm2 is not installed; run as root or: apt-get install softhsm2=$SOFTHSM_VERSION" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "softhsm2=$SOFTHSM_VERSION" >/dev/null
fi

library=""
for candidate in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
  /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so; do
  if [ -f "$candidate" ]; then library="$candidate"; break; fi
done
if [ -z "$library" ]; then
  echo "libsofthsm2.so not found after installing softhsm2" >&2
  exit 1
fi

mkdir -p "$dir/tokens"
chmod 700 "$dir" "$dir/tokens"
conf="$dir/softhsm2.conf"
cat >"$conf" <<CONF
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
CONF
export SOFTHSM2_CONF="$conf"

if ! softhsm2-util --show-slots | grep -q "Label:.*$label"; then
  softhsm2-util --init-token --free --label "$label" --pin "$pin" --so-pin "$so_pin" >/dev/null
fi

slot="$(softhsm2-util --show-slots | awk -v label="$label" '
  /^Slot / { slot = $2 }
  /^ *Label:/ { sub(/^ *Label: */, ""); sub(/ *$/, ""); if ($0 == label) { print slot; exit } }')"

echo "SOFTHSM2_CONF=$conf"
echo "CHARTPROOF_PKCS11_LIBRARY=$library"
echo "CHARTPROOF_PKCS11_SLOT=$slot"
echo "CHARTPROOF_PKCS11_PIN=$pin"
