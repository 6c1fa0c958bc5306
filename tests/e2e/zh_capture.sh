#!/usr/bin/env bash
# E2E, Wireshark's independent reading of our Zh exchange: tshark captures
# the loopback traffic of gba-bsf <-> gba-hss (plain TCP) while a GPI is
# served and an unknown UE is refused, then dissects it with its own 3GPP
# Diameter dictionary: MAR and MAA are command 303 on application
# 16777221, every AVP is decoded by name (no "Unknown" AVP; the MAA also
# carries the subscriber's GUSS in GBA-UserSecSettings), no malformed
# packet, no expert info of severity warning or error.
set -euo pipefail
. "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/lib/e2e.bash"
. "$SRC_DIR/tests/e2e/lib/diam.bash"
command -v tshark > /dev/null || e2e_fail "tshark not installed (scripts/install-deps.sh)"
DIAM_GUSS=1 diam_zh_up 0
SA=$T/c.sa
# known to the BSF, unknown to the HSS: a MAR answered 5001
IMPI2=001010000000002@ims.mnc001.mcc001.3gppnetwork.org
"$BSFCTL" --db "$DB" subscriber add --impi "$IMPI2" --k "$K" --opc "$OPC" >/dev/null
"$BSFCTL" --db "$DB" assoc add scs1 "$IMPI2" >/dev/null
diam_req_ok "$SA" # the Diameter connection is up
CAP=$T/zh.pcap
tshark -i lo -f "tcp port $PB or tcp port $PH" -w "$CAP" > "$T/tshark.out" 2>&1 &
TS=$!
E2E_PIDS+=("$TS")
diam_wait_log "$T/tshark.out" "Capturing on" 100 || e2e_fail "tshark did not start: $(cat "$T/tshark.out")"
sleep 0.5
diam_req_ok "$SA"
e2e_run "$SCS" request "${BSFOPTS[@]}" --ue-id "$IMPI2" --naf-fqdn "$NAF_FQDN" \
	--retries 0 --sa "$T/u.sa"
[ $RC != 0 ] || e2e_fail "unknown UE served"
sleep 0.5
kill -INT "$TS"
wait "$TS" 2>/dev/null || true

TSH=(tshark -r "$CAP" -d "tcp.port==$PB,diameter" -d "tcp.port==$PH,diameter")
"${TSH[@]}" -Y 'diameter.cmd.code == 303 && diameter.applicationId == 16777221' \
	-T fields -E separator=, -e diameter.flags.request -e diameter.Result-Code \
	-e diameter.Experimental-Result-Code > "$T/cmds" 2> "$T/tshark.err" ||
	e2e_fail "tshark: $(cat "$T/tshark.err")"
[ "$(grep -Ec '^(1|True),' "$T/cmds")" -ge 2 ] || e2e_fail "MARs: $(cat "$T/cmds")"
grep -Eq '^(0|False),2001,$' "$T/cmds" || e2e_fail "no MAA 2001: $(cat "$T/cmds")"
grep -Eq '^(0|False),,5001$' "$T/cmds" || e2e_fail "no MAA with Experimental 5001: $(cat "$T/cmds")"
echo "ok: Wireshark: MAR/MAA = command 303, application 16777221; 2001 and Experimental 5001"

"${TSH[@]}" -V -Y diameter > "$T/v" 2>&1
grep -q 'SIP-Auth-Data-Item' "$T/v" || e2e_fail "no SIP-Auth-Data-Item decoded"
for a in SIP-Authenticate SIP-Authorization Confidentiality-Key Integrity-Key \
	SIP-Number-Auth-Items SIP-Authentication-Scheme SIP-Item-Number User-Name \
	GBA-UserSecSettings \
	Experimental-Result-Code; do
	grep -q "AVP: .*$a" "$T/v" || e2e_fail "AVP $a not decoded by name"
done
if grep -n 'AVP: Unknown' "$T/v" > "$T/unknown"; then
	e2e_fail "AVPs Wireshark does not know: $(head -5 "$T/unknown")"
fi
[ "$("${TSH[@]}" -Y '_ws.malformed' | wc -l)" = 0 ] || e2e_fail "malformed packets"
"${TSH[@]}" -q -z expert,warn > "$T/expert" 2>&1
if grep -Eq '^ *(Errors|Warnings) \(' "$T/expert"; then
	e2e_fail "expert info: $(cat "$T/expert")"
fi
echo "ok: every AVP decoded by name, no malformed packet, no expert warning/error"
e2e_bsf_stop
diam_hss_stop 1
echo "zh_capture: all checks passed"
