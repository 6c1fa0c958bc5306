#!/usr/bin/env bash
# One CLI vocabulary (README "Conventions"): every program has --version
# and --help (exit 0), an unknown option is exit 2, and a malformed hex
# value is exit 2 in every program (it was 1 in gbatool sms decode), and
# octet strings are accepted in any case in every program that takes them.
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
echo "ok: bad hex is exit 2 in every program"

# octet strings in any case: the same result as lower case, in every
# program that takes them (K, OPc, RAND, AUTS, SQN, Ua id, P-TID, PDUs)
up() { printf '%s' "$1" | tr a-f A-F; }
KU=$(up $K) OPCU=$(up $OPC)
R=23553cbe9637a89d218ae64dae47bf35
ok0() { local got; got=$(rc "$@"); [ "$got" = 0 ] || fail "exit $got: $*: $(cat "$T/err")"; }
ok0 "$B/bsf/gba-bsfctl" --db "$T/s.db" subscriber add --impi u@x --k "$KU" --opc "$OPCU"
ok0 "$B/bsf/gba-bsfctl" --db "$T/s.db" --show-secrets subscriber show u@x
grep -qx "k=$K" "$T/out" && grep -qx "opc=$OPC" "$T/out" || fail "gba-bsfctl upper-case K/OPc: $(cat "$T/out")"
ok0 "$B/ue-agent/gba-ue" --state "$T/ue" init --k "$KU" --opc "$OPCU" --impi a@x
M=(milenage --rand $R --sqn ff9bb4d0b607 --amf b9b9)
ok0 "$B/vectors/gbatool" "${M[@]}" --k $K --opc $OPC
cp "$T/out" "$T/lower"
ok0 "$B/vectors/gbatool" milenage --k "$KU" --opc "$OPCU" --rand "$(up $R)" --sqn FF9BB4D0B607 --amf B9B9
cmp -s "$T/out" "$T/lower" || fail "gbatool milenage upper case differs"
ok0 "$B/vectors/gbatool" auts --k $K --opc $OPC --rand $R --sqn-ms ff9bb4d0b607
A=$(sed -n 's/^auts=//p' "$T/out")
ok0 "$B/vectors/gbatool" resync --k $K --opc $OPC --rand $R --auts "$(up "$A")"
grep -qx "sqn_ms=ff9bb4d0b607" "$T/out" || fail "gbatool resync upper-case AUTS: $(cat "$T/out")"
PDU=440b916407281553f8000442507131540380320605040b8423f001061d6170706c69636174696f6e2f766e642e336770702e6762612e677069000100000000000000000000
ok0 "$B/vectors/gbatool" sms decode $PDU
cp "$T/out" "$T/lower"
ok0 "$B/vectors/gbatool" sms decode "$(up $PDU)"
cmp -s "$T/out" "$T/lower" || fail "gbatool sms decode upper case differs"
# gba-scs: the values parse (exit 1: no BSF there), where bad hex is 2
got=$(rc "$B/scs/gba-scs" request --bsf https://127.0.0.1:1 --cert x --key x --ca x \
	--ue-id a@x --naf-fqdn n.example --sa "$T/sa" --ua-id 010000000A --p-tid 70742D31)
[ "$got" = 1 ] || fail "gba-scs upper-case --ua-id / --p-tid: exit $got: $(cat "$T/err")"
got=$(rc "$B/scs/gba-scs" request --bsf https://127.0.0.1:1 --cert x --key x --ca x \
	--ue-id a@x --naf-fqdn n.example --sa "$T/sa" --ua-id 010000000A --p-tid 70742D3Z)
[ "$got" = 2 ] || fail "gba-scs bad --p-tid hex: exit $got"
echo "ok: octet strings in any case"
echo "ok: vocabulary"
