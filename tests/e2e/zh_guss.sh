#!/usr/bin/env bash
# E2E, Zh GUSS (TS 33.223 clause 4.3, TS 29.109 clause 6.3.1.2): in
# [hss] mode = zh the GBA parameters come from the MAA's
# GBA-UserSecSettings, not from the BSF's store.  The HSS's GUSS says
# GBA_U where the BSF's store says GBA_ME (served in GBA_U, the UE accepts
# the GPI), and GBA where the BSF's store says GBA_U (refused: GBA_U not
# supported; the MAR came first, so the HSS answered it: docs/diameter.md).
# A request by IMPU goes to the HSS as a MAR with Public-Identity, and the
# IMPI of the KDF is the one of the MAA's User-Name: the BSF's store maps
# the IMPU to another (associated) IMPI, so the UE (holding the HSS's
# IMPI) accepts the GPI only if the HSS's IMPI was used.
set -euo pipefail
. "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/lib/e2e.bash"
. "$SRC_DIR/tests/e2e/lib/diam.bash"
e2e_init
[ -x "$BUILD_DIR/bsf/gba-hss" ] || e2e_fail "gba-hss not built"
e2e_pki
IMPI2=001010000000002@ims.mnc001.mcc001.3gppnetwork.org
IMPI9=001010000000009@ims.mnc001.mcc001.3gppnetwork.org
IMPU=sip:zh-impu@ims.mnc001.mcc001.3gppnetwork.org
guss() { # FILE UICCTYPE
	cat > "$1" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<guss xmlns="uri:3gpp-gba">
 <bsfInfo><uiccType>$2</uiccType><lifeTime>3600</lifeTime></bsfInfo>
 <ussList><uss id="101" type="1" nafGroup="scs"><uids><uid>tel:+15550000003</uid></uids></uss></ussList>
</guss>
XML
}
guss "$T/gu.xml" GBA_U
guss "$T/gme.xml" GBA
# the HSS's store: IMPI is GBA_U, IMPI2 is GBA (per their GUSS)
DB=$T/hss.db e2e_store --guss "$T/gu.xml" --impu "$IMPU"
DB=$T/hss.db e2e_sub_add "$IMPI2" --guss "$T/gme.xml"
# the BSF's store: the opposite (IMPI plain GBA_ME, IMPI2 GBA_U)
e2e_store
e2e_sub_add "$IMPI2" --gba-u
"$BSFCTL" --db "$DB" assoc add scs1 "$IMPI2" >/dev/null
# ... and maps IMPU to IMPI9 (unknown at the HSS), associated with scs1
e2e_sub_add "$IMPI9" --impu "$IMPU"
"$BSFCTL" --db "$DB" assoc add scs1 "$IMPI9" >/dev/null
diam_zh_start 0 "$T/hss.db" 2000
e2e_ue_init "$T/ue" --gba-u

diam_request "$IMPI" "$T/u.sa" --lifetime 3600 --gba-u --gba-u-aware
[ $rc = 0 ] || e2e_fail "GBA_U request (GBA_U only in the HSS's GUSS): $(cat "$T/req.err")"
grep -qx "mode=GBA_U" "$T/req" || e2e_fail "SA mode: $(cat "$T/req")"
grep -qx "uicc_key=present" "$T/req" || e2e_fail "no uiccKeyMaterial: $(cat "$T/req")"
e2e_deliver "$T/u.sa" "$T/ue"
[ $RC = 0 ] || e2e_fail "receive rc $RC: $(cat "$T/err")"
grep -q "^GPI_ACCEPTED .*naf=$NAF_FQDN mode=GBA_U" "$T/out" ||
	e2e_fail "GBA_U GPI not accepted: $(cat "$T/out")"
echo "ok: GBA_U only in the HSS's GUSS (the BSF's store says GBA_ME): GBA_U GPI served and accepted"

n0=$(grep -c "diameter MAR result=2001" "$T/hss-1.log" || true)
diam_request "$IMPI2" "$T/u2.sa" --lifetime 3600 --gba-u --gba-u-aware
[ $rc != 0 ] || e2e_fail "GBA_U request for a GBA UE (per the HSS's GUSS) succeeded"
grep -qi "gba_u\|uicc" "$T/req.err" || e2e_fail "refusal not GBA_U: $(cat "$T/req.err")"
n1=$(grep -c "diameter MAR result=2001" "$T/hss-1.log" || true)
[ "$n1" = $((n0 + 1)) ] || e2e_fail "MARs answered $n0 -> $n1 (expected one, before the GUSS refusal)"
echo "ok: GBA in the HSS's GUSS (the BSF's store says GBA_U): GBA_U refused after one MAR"

diam_request "$IMPU" "$T/p.sa" --lifetime 3600
[ $rc = 0 ] || e2e_fail "request by IMPU: $(cat "$T/req.err")"
grep -q "diameter MAR result=2001 by=Public-Identity" "$T/hss-1.log" ||
	e2e_fail "no MAR by Public-Identity answered at gba-hss: $(grep MAR "$T/hss-1.log")"
e2e_ue_init "$T/ue3"
e2e_deliver "$T/p.sa" "$T/ue3"
[ $RC = 0 ] || e2e_fail "receive rc $RC (IMPU): $(cat "$T/err")"
grep -q "^GPI_ACCEPTED .*naf=$NAF_FQDN mode=GBA_ME" "$T/out" ||
	e2e_fail "GPI by IMPU not accepted: $(cat "$T/out")"
echo "ok: GPI by IMPU: MAR with Public-Identity, KDF with the HSS's IMPI (the BSF's store maps the IMPU elsewhere)"
e2e_bsf_stop
diam_hss_stop 1
echo "zh_guss: all checks passed"
