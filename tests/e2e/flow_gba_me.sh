#!/usr/bin/env bash
# E2E, GBA_ME: gba-scs request (real gba-bsf, mutual TLS) -> push -> gba-ue
# accepts the GPI -> protected triggers SN 1, 2 accepted; a replayed
# trigger, a tampered trigger and a replayed GPI are refused with the
# right reason and no UE state change (gba-ue show before/after).
set -euo pipefail
. "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/lib/e2e.bash"
e2e_up
e2e_ue_init "$T/ue"
SA=$T/me.sa

"$SCS" request "${BSFOPTS[@]}" --ue-id "$IMPI" --naf-fqdn "$NAF_FQDN" \
	--ptid pt-e2e-me --lifetime 3600 --sa "$SA" > "$T/req" || e2e_fail "request"
grep -qx "mode=GBA_ME" "$T/req" || e2e_fail "SA mode: $(cat "$T/req")"
RAND=$(sed -n 's/^rand=//p' "$T/req")
[ ${#RAND} = 32 ] || e2e_fail "rand"
PTID_HEX=$(printf 'pt-e2e-me' | od -An -v -tx1 | tr -d ' \n')

e2e_ue_push "$T/ue"
grep -q "^GPI_ACCEPTED .*naf=$NAF_FQDN mode=GBA_ME .*p_tid=$PTID_HEX" "$T/out" ||
	e2e_fail "GPI not accepted: $(cat "$T/out")"
e2e_ue_sas "$T/ue" | grep -q "GBA_ME naf=$NAF_FQDN rand=$RAND p_tid=$PTID_HEX .* sn_h=0" ||
	e2e_fail "UE SA: $("$UE" --state "$T/ue" show)"
echo "ok: GBA_ME GPI from the real BSF accepted; UE SA = SCS SA (RAND, P-TID)"

"$SCS" trigger --sa "$SA" --payload 0102ff --port "$TPORT" > "$T/t1" || e2e_fail "trigger 1"
"$SCS" trigger --sa "$SA" --payload 0304 --port "$TPORT" > "$T/t2" || e2e_fail "trigger 2"
e2e_run "$UE" --state "$T/ue" receive $(cat "$T/t1")
grep -q "^TRIGGER .*naf=$NAF_FQDN sn=1 payload=0102ff$" "$T/out" || e2e_fail "trigger 1: $(cat "$T/out")"
e2e_ue_refuses "$T/ue" "REPLAY error=GBA_ERR_REPLAY" "replayed trigger" $(cat "$T/t1")

P=$(cat "$T/t2")
# GPL message at the end of the TPDU: header 14 (version, suite, SA-id 8,
# SN 4) | ciphertext 2 | MAC 16.  Flip one bit in: the ciphertext, the MAC,
# the SN (all MAC failures) and the SA-id (no such SA).
L=${#P}
for case in $((L - 36)):TRIGGER_MAC:GBA_ERR_MAC $((L - 2)):TRIGGER_MAC:GBA_ERR_MAC \
	$((L - 38)):TRIGGER_MAC:GBA_ERR_MAC $((L - 52)):UNKNOWN_SA:GBA_ERR_UNKNOWN_SA; do
	IFS=: read -r pos reason err <<< "$case"
	BADP=${P:0:pos}$(printf '%02x' $(( 0x${P:pos:2} ^ 0x10 )))${P:pos+2}
	e2e_ue_refuses "$T/ue" "$reason error=$err" "tampered trigger (hex offset $pos)" "$BADP"
done
e2e_run "$UE" --state "$T/ue" receive "$P"
grep -q "^TRIGGER .*sn=2 payload=0304$" "$T/out" || e2e_fail "trigger 2: $(cat "$T/out")"
echo "ok: triggers SN 1, 2 accepted; replay -> REPLAY; tampered ciphertext/MAC/SN -> TRIGGER_MAC, SA-id -> UNKNOWN_SA; state unchanged"

e2e_ue_refuses "$T/ue" DUPLICATE "GPI replay" $(cat "$T/push")
echo "ok: replayed GPI -> DUPLICATE, state unchanged"
e2e_bsf_stop
echo "flow_gba_me: all checks passed"
