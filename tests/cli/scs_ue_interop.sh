#!/usr/bin/env bash
# gba-scs <-> gba-ue without gba-bsf: a mock BSF (tests/cli/scs_mockbsf.py,
# mode "aka") answers with a real GPI whose AUTN and Ks_NAF are computed by
# gbatool (Milenage, TS 33.220 KDF) for TS 35.208 set 1 K/OPc.  Checks that
# the UE accepts what `gba-scs push` prints (one SMS and, with a 64-character P-TID, concatenated SMS,
# DELIVER TPDUs and modem +CMGL lines, text and coded content type) and
# verifies what `gba-scs trigger` prints (short and multi-segment payload).
# Neither side is given --app-id: the two defaults must agree (issue 11).
set -euo pipefail
. "$(dirname "$0")/lib/cli.bash"
cli_scs_ue
export GBA_SCS_STATE_DIR="$T/scs-state" # SA-file binding state (docs/scs.md)
IMPI=001010000000001@ims.mnc001.mcc001.3gppnetwork.org
cli_mock_bsf

"$UE" --state "$T/ue" init --k $K --opc $OPC --impi "$IMPI" \
	--ct-code 0x0310 --trigger-port 16001 > /dev/null

n=0
LONG=pt-long-$(printf "%056d" 7)
for variant in text code cmgl long; do
	ptid=pt-$variant
	[ $variant = long ] && ptid=$LONG
	n=$((n + 1))
	"$SCS" request "${BSF[@]}" --ue-id "$IMPI" --naf-fqdn scs.example.org \
		--ptid "$ptid" --sa "$T/$variant.sa" > /dev/null || fail "request $variant"
	case $variant in
	text) "$SCS" push --sa "$T/$variant.sa" --msisdn +447700900123 > "$T/push" ;;
	code) "$SCS" push --sa "$T/$variant.sa" --msisdn +447700900123 --ct-code 0x0310 \
		--from +15550100 > "$T/push" ;;
	cmgl | long) "$SCS" push --sa "$T/$variant.sa" --msisdn +447700900123 > "$T/push" ;;
	esac
	segs=$(wc -l < "$T/push")
	if [ $variant = cmgl ]; then
		awk '{printf "+CMGL: %d,0,,%d\n00%s\n", NR, length($1)/2, $1} END{print "OK"}' "$T/push" |
			"$UE" --state "$T/ue" receive > "$T/out"
	else
		"$UE" --state "$T/ue" receive $(cat "$T/push") > "$T/out"
	fi
	grep -q "^GPI_ACCEPTED slot=.* naf=scs.example.org mode=GBA_ME .*p_tid=$(printf "$ptid" | od -An -v -tx1 | tr -d ' \n')" "$T/out" ||
		fail "$variant push ($segs SMS) not accepted: $(cat "$T/out")"
	echo "ok: GPI push, $variant ($segs SMS) accepted by gba-ue"
done
[ "$(wc -l < "$T/push")" -ge 2 ] || fail "the long P-TID push should need 2 SMS"
[ "$("$UE" --state "$T/ue" show | grep -c '^slot=')" = 4 ] || fail "four SAs expected"

"$SCS" trigger --sa "$T/code.sa" --payload 0102ff --port 16001 > "$T/t1"
"$UE" --state "$T/ue" receive $(cat "$T/t1") > "$T/out"
grep -q "^TRIGGER .*sn=1 payload=0102ff$" "$T/out" || fail "trigger: $(cat "$T/out")"
head -c 300 /dev/urandom | od -An -v -tx1 | tr -d ' \n' > "$T/big"
"$SCS" trigger --sa "$T/code.sa" --payload "$(cat "$T/big")" --port 16001 > "$T/t2"
[ "$(wc -l < "$T/t2")" -ge 3 ] || fail "300-octet trigger should need 3 SMS"
"$UE" --state "$T/ue" receive $(cat "$T/t2") > "$T/out"
grep -q "^TRIGGER .*sn=2 payload=$(cat "$T/big")$" "$T/out" || fail "long trigger: $(cat "$T/out")"
echo "ok: triggers (1 SMS and $(wc -l < "$T/t2") concatenated SMS) verified by gba-ue"
echo "scs_ue_interop: all checks passed"
