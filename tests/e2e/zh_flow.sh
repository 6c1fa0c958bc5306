#!/usr/bin/env bash
# E2E, Zh over Diameter (TS 29.109 4.2, MAR/MAA 303 on 16777221; TCP, or
# TLS/TCP with ZH_TLS=1 as zh_flow_tls.sh runs it): gba-scs -> gba-bsf
# ([hss] mode = zh) -> gba-hss -> SMS -> gba-ue.  The BSF's store holds a
# WRONG K for the subscriber, so the UE accepts the GPI only if its AV came
# from gba-hss (whose store has the real K); an unknown UE gets the same
# 404 as in embedded mode (MAA Experimental-Result 5001).
set -euo pipefail
. "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/lib/e2e.bash"
. "$SRC_DIR/tests/e2e/lib/diam.bash"
TLS=${ZH_TLS:-0}
e2e_init
[ -x "$BUILD_DIR/bsf/gba-hss" ] || e2e_fail "gba-hss not built"
e2e_pki
# the HSS's store: the real K/OPc
DB=$T/hss.db e2e_store
# the BSF's store: identities, Push-NAF, association; a K that is wrong
K=00000000000000000000000000000001 e2e_store
diam_zh_start "$TLS" "$T/hss.db" 2000
e2e_ue_init "$T/ue"
SA=$T/zh.sa

diam_request "$IMPI" "$SA" --lifetime 3600
[ $rc = 0 ] || e2e_fail "request: $(cat "$T/req.err")"
grep -qx "mode=GBA_ME" "$T/req" || e2e_fail "SA mode: $(cat "$T/req")"
e2e_deliver "$SA" "$T/ue"
[ $RC = 0 ] || e2e_fail "receive rc $RC: $(cat "$T/err")"
grep -q "^GPI_ACCEPTED .*naf=$NAF_FQDN mode=GBA_ME" "$T/out" ||
	e2e_fail "GPI not accepted: $(cat "$T/out")"
grep -q "diameter MAR result=2001" "$T/hss-1.log" || e2e_fail "no MAA 2001 in the gba-hss log"
echo "ok: GPI over Zh (TLS=$TLS) accepted by the UE; the BSF's own K is wrong, the AV came from gba-hss"

"$SCS" trigger --sa "$SA" --payload 0102ff --port "$TPORT" > "$T/t1" || e2e_fail "trigger"
# shellcheck disable=SC2046
e2e_run "$UE" --state "$T/ue" receive $(cat "$T/t1")
grep -q "^TRIGGER .*sn=1 payload=0102ff$" "$T/out" || e2e_fail "trigger: $(cat "$T/out")"
echo "ok: protected trigger accepted"

# unknown at the HSS, known at the BSF: 404, same body as an unknown UE
IMPI2=001010000000002@ims.mnc001.mcc001.3gppnetwork.org
IMPI3=001010000000003@ims.mnc001.mcc001.3gppnetwork.org
"$BSFCTL" --db "$DB" subscriber add --impi "$IMPI2" --k "$K" --opc "$OPC" >/dev/null
"$BSFCTL" --db "$DB" assoc add scs1 "$IMPI2" >/dev/null
for u in "$IMPI2" "$IMPI3"; do
	e2e_run "$SCS" request "${BSFOPTS[@]}" --ue-id "$u" --naf-fqdn "$NAF_FQDN" \
		--sa "$T/u.sa"
	[ $RC != 0 ] || e2e_fail "request for $u succeeded"
	sed "s/$u/UE/g" "$T/err" > "$T/err.$u"
done
grep -q 404 "$T/err.$IMPI2" || e2e_fail "HSS-unknown UE: $(cat "$T/err.$IMPI2")"
cmp -s "$T/err.$IMPI2" "$T/err.$IMPI3" ||
	e2e_fail "HSS-unknown and BSF-unknown UEs answered differently: $(cat "$T/err.$IMPI2" "$T/err.$IMPI3")"
grep -q "diameter MAR result=5001 experimental=1" "$T/hss-1.log" || e2e_fail "no 5001 at gba-hss"
echo "ok: UE unknown at the HSS -> MAA 5001 -> 404, same answer as a UE unknown to the BSF"
e2e_bsf_stop
diam_hss_stop 1
echo "zh_flow: all checks passed (TLS=$TLS)"
