#!/usr/bin/env bash
# gba-bsfctl refuses what no request could name: a UICC application label
# longer than the 32 octets a uiccAppLabel / UICC-App-Label may carry
# (bsf_limits.h BSF_LABEL_MAX = BSF_APP_LABEL_MAX), on the command line
# and in a CSV import; a 32-octet label is accepted.
set -euo pipefail
BSFCTL="${BUILD_DIR:?}/bsf/gba-bsfctl"
T=$(mktemp -d /tmp/bsfctl_limits.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ctl() { "$BSFCTL" --db "$T/s.db" "$@"; }
K=465b5ce8b199b49faa5f0a2ee238a6bc
OPC=cd63cb71954a9f4e48a5994e37a02baf
L32=$(printf 'L%.0s' {1..32})
L33=$(printf 'M%.0s' {1..33})

ctl init >/dev/null
ctl subscriber add --impi ok@ims.example --k $K --opc $OPC --label "$L32" >/dev/null
ctl subscriber show ok@ims.example | grep -q "$L32" || fail "32-octet label not stored"
set +e; ctl subscriber add --impi long@ims.example --k $K --opc $OPC \
	--label "$L33" >/dev/null 2>&1; rc=$?; set -e
[ $rc -ne 0 ] || fail "33-octet label accepted by subscriber add"
ctl subscriber show long@ims.example >/dev/null 2>&1 && fail "subscriber with a 33-octet label stored"
cat > "$T/in.csv" <<CSV
impi,imsi,impu,alg,k,opc,amf,sqn,gba_u,labels,naf,guss
csv@ims.example,,,milenage,$K,$OPC,,,,$L33,,
CSV
set +e; ctl import "$T/in.csv" >/dev/null 2>"$T/imp.err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "33-octet label: import exit $rc"
grep -q "line 2: field 'labels'" "$T/imp.err" || fail "import report: $(cat "$T/imp.err")"
ctl subscriber show csv@ims.example >/dev/null 2>&1 && fail "imported a 33-octet label"
echo "PASS bsfctl_limits"
