#!/usr/bin/env bash
# E2E, SQN resynchronisation: the UE accepted a GPI, then the network
# forgot the subscriber's SQN (subscriber re-provisioned with SQN 0), so
# the next GPI carries an SQN the USIM has already passed: the UE answers
# AUTS (TS 33.102 6.3.3) and stores nothing; a wrong AUTS is refused by the
# BSF (MAC-S) and leaves the SCS's SA file alone; `gba-scs resync` with the
# right AUTS gets a fresh GPI that the UE accepts, and triggers work.
set -euo pipefail
. "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/lib/e2e.bash"
e2e_up
e2e_ue_init "$T/ue"
SA=$T/r.sa

req() { e2e_request "$SA" --lifetime 3600; }
deliver() { e2e_deliver "$SA" "$T/ue"; }

for i in 1 2 3; do
	req
	deliver
	grep -q "^GPI_ACCEPTED" "$T/out" || e2e_fail "GPI $i: $(cat "$T/out")"
done
echo "ok: three GPIs accepted (USIM SQN advanced)"

# the network forgets: subscriber removed and provisioned again, SQN 0
"$BSFCTL" --db "$DB" subscriber remove "$IMPI" > /dev/null || e2e_fail "remove"
e2e_sub_add "$IMPI"
"$BSFCTL" --db "$DB" assoc add scs1 "$IMPI" > /dev/null || e2e_fail "assoc"
req
"$UE" --state "$T/ue" show > "$T/s0"
deliver
grep -q "^AUTS " "$T/out" || e2e_fail "no AUTS: $(cat "$T/out")"
AUTS=$(sed -n 's/.* auts=\([0-9a-f]*\).*/\1/p' "$T/out")
ARAND=$(sed -n 's/.* rand=\([0-9a-f]*\).*/\1/p' "$T/out")
[ ${#AUTS} = 28 ] || e2e_fail "AUTS: $(cat "$T/out")"
grep -qx "rand=$ARAND" "$T/req" || e2e_fail "AUTS names another RAND"
e2e_ue_sas "$T/ue" | cmp -s - <(grep -v '^sqn_ms=' "$T/s0") || e2e_fail "UE stored an SA on sync failure"
echo "ok: stale SQN -> AUTS (rand of the GPI), no SA stored"

e2e_bad_auts "$SA" "$AUTS"
echo "ok: wrong AUTS -> BSF refuses (MAC-S), SA file unchanged: $(cat "$T/err")"

"$SCS" resync "${BSFOPTS[@]}" --sa "$SA" --auts "$AUTS" > "$T/req" || e2e_fail "resync: $(cat "$T/req")"
grep -qx "sn_c=0" "$T/req" || e2e_fail "resync output"
deliver
grep -q "^GPI_ACCEPTED" "$T/out" || e2e_fail "GPI after resync: $(cat "$T/out")"
"$SCS" trigger --sa "$SA" --payload 01 --port "$TPORT" > "$T/t"
e2e_run "$UE" --state "$T/ue" receive $(cat "$T/t")
grep -q "^TRIGGER .*sn=1 payload=01$" "$T/out" || e2e_fail "trigger after resync: $(cat "$T/out")"
echo "ok: gba-scs resync -> fresh GPI accepted, trigger accepted"
e2e_bsf_stop
echo "flow_resync: all checks passed"
