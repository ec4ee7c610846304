#!/usr/bin/env bash
# Checks `vpnform emulator` against Huawei's official Python SDK (huaweicloudsdkvpn 3.1.219).
#
#   bash Tests/Conformance/run.sh [path/to/vpnform]     (run from the repository root; default .build/debug/vpnform)
#
# Builds nothing: it takes an already built binary. The SDK goes into a virtualenv at
# ${VPNFORM_CONFORMANCE_VENV:-.build/conformance-venv}, made (and filled from PyPI) only when missing.
# The emulator runs on a free loopback port with a fixed test AK/SK and is stopped on exit. It starts
# with two gateways (fresh ids, one public, one private) from a desired-state file, and new
# connections stay PENDING_CREATE for settle_ms before they are DOWN.
# Exits with the status of Tests/Conformance/sdk_conformance.py.
set -euo pipefail

bin=${1:-.build/debug/vpnform}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv=${VPNFORM_CONFORMANCE_VENV:-.build/conformance-venv}
sdk_version=3.1.219
python=${PYTHON:-python3}

if [ ! -x "$bin" ]; then
  echo "conformance: no vpnform binary at $bin (run swift build first)" >&2
  exit 1
fi

# --- a scratch folder, and the emulator stopped on any exit
work=$(mktemp -d)
emu_pid=
cleanup() {
  if [ -n "$emu_pid" ] && kill -0 "$emu_pid" 2>/dev/null; then
    kill "$emu_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$emu_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$emu_pid" 2>/dev/null || true
    wait "$emu_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the SDK, in its own virtualenv (HOME kept out of the way: importing it writes ~/.huaweicloud)
sdk_ready() {
  "$venv/bin/python" - "$sdk_version" <<'EOF' 2>/dev/null
import sys
from importlib.metadata import version
import huaweicloudsdkcore, huaweicloudsdkvpn  # noqa: F401
sys.exit(0 if version("huaweicloudsdkcore") == version("huaweicloudsdkvpn") == sys.argv[1] else 1)
EOF
}
if [ -e "$venv" ] && ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
  echo "conformance: $venv is not a working virtualenv; making it again"
  rm -rf "$venv"
fi
if [ ! -e "$venv/bin/python" ]; then
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv"
fi
if ! HOME="$work" sdk_ready; then
  echo "conformance: installing huaweicloudsdkvpn==$sdk_version huaweicloudsdkcore==$sdk_version into $venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check \
    "huaweicloudsdkvpn==$sdk_version" "huaweicloudsdkcore==$sdk_version"
  HOME="$work" sdk_ready || { echo "conformance: the SDK is still not importable from $venv" >&2; exit 1; }
fi

# --- the emulator
export HUAWEICLOUD_SDK_AK=VPNFORMCONFORMANCEAK
export HUAWEICLOUD_SDK_SK=vpnform-conformance-sk-0123456789abcdefghij

new_uuid() { "$python" -c "import uuid; print(uuid.uuid4())"; }
public_vgw=$(new_uuid) public_eip1=$(new_uuid) public_eip2=$(new_uuid) private_vgw=$(new_uuid)
private_ip=10.71.0.5
settle_ms=1500
cat >"$work/gateways.yaml" <<EOF
version: 1
region: cn-north-4
gateways:
  - name: public
    id: $public_vgw
    ips: [$public_eip1, $public_eip2]
    connections:
      - name: site
        cgw_id: $(new_uuid)
        peer_subnets: [192.168.50.0/24]
        psk: \${PSK_SITE}
        ha_role: master
  - name: private
    id: $private_vgw
    ips: [$private_ip]
    connections:
      - name: site
        cgw_id: $(new_uuid)
        peer_subnets: [192.168.51.0/24]
        psk: \${PSK_SITE}
EOF

"$bin" emulator --settle "$settle_ms" --gateways-from "$work/gateways.yaml" \
  >"$work/stdout" 2>"$work/stderr" </dev/null &
emu_pid=$!

endpoint=
for _ in $(seq 200); do  # up to 20 s for the first line
  first=
  # Only a whole line: a half-written one could end in a port's first digits.
  if [ "$(wc -l <"$work/stdout")" -ge 1 ]; then first=$(head -n 1 "$work/stdout"); fi
  if [[ "$first" =~ ^listening\ on\ (http://127\.0\.0\.1:[0-9]+)$ ]]; then
    endpoint=${BASH_REMATCH[1]}
    break
  fi
  if ! kill -0 "$emu_pid" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
if [ -z "$endpoint" ]; then
  echo "conformance: the emulator did not print 'listening on http://127.0.0.1:PORT' in time" >&2
  echo "--- stdout:" >&2; cat "$work/stdout" >&2 || true
  echo "--- stderr:" >&2; cat "$work/stderr" >&2 || true
  exit 1
fi
echo "conformance: emulator $endpoint (pid $emu_pid), SDK $sdk_version"

status=0
timeout 120 "$venv/bin/python" "$here/sdk_conformance.py" \
  --endpoint "$endpoint" --ak "$HUAWEICLOUD_SDK_AK" --sk "$HUAWEICLOUD_SDK_SK" --settle-ms "$settle_ms" \
  --gateway "$public_vgw=$public_eip1,$public_eip2" --gateway "$private_vgw=$private_ip" || status=$?

if [ "$status" -ne 0 ] && [ -s "$work/stderr" ]; then
  echo "--- emulator stderr:" >&2; tail -n 50 "$work/stderr" >&2 || true
fi
exit "$status"
