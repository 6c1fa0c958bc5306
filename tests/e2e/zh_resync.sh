#!/usr/bin/env bash
# E2E, SQN resynchronisation through Zh (as flow_resync.sh, with the AuC
# in gba-hss): the HSS forgets the subscriber's SQN (re-provisioned in its
# store), the UE answers the next GPI with AUTS; gba-scs resync sends it,
# the BSF puts RAND || AUTS in the MAR's SIP-Authorization, gba-hss
# verifies MAC-S and resynchronises; a wrong AUTS is refused (MAA 5003 ->
# GBA_ERR_MAC) with the SA file untouched; the right one gives a GPI the
# UE accepts.
set -euo pipefail
. "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/lib/e2e.bash"
. "$SRC_DIR/tests/e2e/lib/diam.bash"
diam_zh_up 0
e2e_ue_init "$T/ue"
SA=$T/r.sa
for i in 1 2 3; do
	diam_req_ok "$SA" --lifetime 3600
	e2e_deliver "$SA" "$T/ue"
	grep -q "^GPI_ACCEPTED" "$T/out" || e2e_fail "GPI $i: $(cat "$T/out")"
done
echo "ok: three GPIs over Zh accepted"

"$BSFCTL" --db "$T/hss.db" subscriber remove "$IMPI" > /dev/null || e2e_fail "remove"
"$BSFCTL" --db "$T/hss.db" subscriber add --impi "$IMPI" --k "$K" --opc "$OPC" >/dev/null ||
	e2e_fail "re-add"
diam_req_ok "$SA" --lifetime 3600
e2e_deliver "$SA" "$T/ue"
grep -q "^AUTS " "$T/out" || e2e_fail "no AUTS: $(cat "$T/out")"
AUTS=$(sed -n 's/.* auts=\([0-9a-f]*\).*/\1/p' "$T/out")
[ ${#AUTS} = 28 ] || e2e_fail "AUTS: $(cat "$T/out")"
echo "ok: the HSS forgot the SQN -> AUTS"

e2e_bad_auts "$SA" "$AUTS"
grep -q "diameter MAR result=5003" "$T/hss-1.log" || e2e_fail "gba-hss did not refuse the AUTS"
echo "ok: wrong AUTS -> gba-hss 5003 -> $(cat "$T/err")"

"$SCS" resync "${BSFOPTS[@]}" --sa "$SA" --auts "$AUTS" > "$T/req" || e2e_fail "resync"
e2e_deliver "$SA" "$T/ue"
grep -q "^GPI_ACCEPTED" "$T/out" || e2e_fail "GPI after resync: $(cat "$T/out")"
grep -q "diameter MAR result=2001 resync=1" "$T/hss-1.log" || e2e_fail "no resync MAA at gba-hss"
echo "ok: resync through Zh -> fresh GPI accepted"
e2e_bsf_stop
diam_hss_stop 1
echo "zh_resync: all checks passed"
