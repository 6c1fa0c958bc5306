#!/usr/bin/env bash
# One CLI vocabulary (README "Conventions"): every program has --version
# and --help (exit 0), an unknown option is exit 2, and a malformed hex
# value is exit 2 in every program (it was 1 in gbatool sms decode).
set -euo pipefail
B=${BUILD_DIR:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: vocabulary: $*" >&2; exit 1; }
rc() { set +e; "$@" >"$T/out" 2>"$T/err"; echo $?; set -e; }
V=$(sed -n 's/^project(gbapush VERSION \([0-9.]*\).*/\1/p' "${SRC_DIR:?}/CMakeLists.txt")
[ -n "$V" ] || fail "no project version in CMakeLists.txt"
for p in bsf/gba-bsf bsf/gba-bsfctl bsf/gba-hss ue-agent/gba-ue scs/gba-scs vectors/gbatool; do
	n=${p#*/}
	[ "$(rc "$B/$p" --version)" = 0 ] || fail "$n --version exit"
	grep -q "^$n $V\b" "$T/out" || fail "$n --version: $(cat "$T/out")"
	[ "$(rc "$B/$p" --help)" = 0 ] || fail "$n --help exit"
	[ -s "$T/out" ] || fail "$n --help printed nothing"
	[ "$(rc "$B/$p" --no-such-option)" = 2 ] || fail "$n unknown option exit"
done
K=465b5ce8b199b49faa5f0a2ee238a6bc
OPC=cd63cb71954a9f4e48a5994e37a02baf
"$B/bsf/gba-bsfctl" --db "$T/s.db" init >/dev/null
bad() { local want=2 got; got=$(rc "$@"); [ "$got" = $want ] || fail "bad hex exit $got: $*"; }
bad "$B/bsf/gba-bsfctl" --db "$T/s.db" subscriber add --impi a@x --k ${K%?}g --opc $OPC
bad "$B/ue-agent/gba-ue" --state "$T/ue" init --k ${K%?}g --opc $OPC --impi a@x
bad "$B/scs/gba-scs" request --bsf https://127.0.0.1:1 --cert x --key x --ca x \
	--ue-id a@x --naf-fqdn n.example --sa "$T/sa" --ua-id 01000000zz
bad "$B/vectors/gbatool" milenage --k ${K%?}g --opc $OPC --rand $K --sqn 000000000001 --amf 8000
bad "$B/vectors/gbatool" gpi decode zz
bad "$B/vectors/gbatool" sms decode zz
echo "ok: vocabulary"
