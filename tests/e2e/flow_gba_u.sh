#!/usr/bin/env bash
# E2E, GBA_U: a GBA_U subscriber and a GBA_U-aware SCS; the BSF returns
# Ks_ext_NAF (meKeyMaterial) and Ks_int_NAF (uiccKeyMaterial); the UE (USIM
# with GBA_U, AUTN*) accepts the GPI in GBA_U mode and a trigger under the
# Ks_ext_NAF SA.
set -euo pipefail
. "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/lib/e2e.bash"
e2e_up --gba-u
e2e_ue_init "$T/ue" --gba-u
SA=$T/u.sa

"$SCS" request "${BSFOPTS[@]}" --ue-id "$IMPI" --naf-fqdn "$NAF_FQDN" --gba-u \
	--gba-u-aware --lifetime 3600 --sa "$SA" > "$T/req" || e2e_fail "request"
grep -qx "mode=GBA_U" "$T/req" || e2e_fail "mode: $(cat "$T/req")"
grep -qx "uicc_key=present" "$T/req" || e2e_fail "no uiccKeyMaterial for a GBA_U-aware SCS"
e2e_ue_push "$T/ue"
grep -q "^GPI_ACCEPTED .*naf=$NAF_FQDN mode=GBA_U" "$T/out" || e2e_fail "GBA_U GPI: $(cat "$T/out")"
echo "ok: GBA_U GPI accepted (AUTN*, Ks_ext_NAF)"
"$SCS" trigger --sa "$SA" --payload cafe --port "$TPORT" > "$T/t1"
e2e_run "$UE" --state "$T/ue" receive $(cat "$T/t1")
grep -q "^TRIGGER .*sn=1 payload=cafe$" "$T/out" || e2e_fail "GBA_U trigger: $(cat "$T/out")"
echo "ok: trigger under the GBA_U SA accepted"

# a GBA_ME request for a GBA_U-only UE (--no-gba-me): refused by the UE
e2e_ue_init "$T/ue2" --gba-u --no-gba-me
"$SCS" request "${BSFOPTS[@]}" --ue-id "$IMPI" --naf-fqdn "$NAF_FQDN" --sa "$T/me.sa" > /dev/null ||
	e2e_fail "GBA_ME request"
"$SCS" push --sa "$T/me.sa" --msisdn +447700900123 --app-id "$APP_ID" > "$T/push2"
e2e_ue_refuses "$T/ue2" MODE "GBA_ME to a GBA_U-only UE" $(cat "$T/push2")
echo "ok: GBA_ME GPI refused by a GBA_U-only UE (MODE), state unchanged"
e2e_bsf_stop
echo "flow_gba_u: all checks passed"
