#!/usr/bin/env bash
# Capture test, Zpn over Diameter: dumpcap on the loopback records the
# GPR/GPA exchanges of gba-scs request --diameter with the real gba-bsf
# (TLS/TCP; the SCS's TLS secrets go to an SSLKEYLOGFILE so that tshark
# can read the records), and Wireshark's own 3GPP Diameter dictionary
# dissects them independently of our code: command 312 in application
# 16777220 both ways, every AVP known by name, no malformed packet, no
# expert info of severity warning or error in a Diameter or TLS frame,
# and Wireshark's reading of Key-ExpiryTime (RFC 6733 Time) equal to
# the expiry the SCS decoded.  Three exchanges: GBA_ME with the IMPI
# asked for, GBA_U with a UICC label (UICC-Key-Material), an unknown UE
# (Experimental-Result).  Where Wireshark names an AVP differently from
# TS 29.109 it is listed in docs/diameter.md.
set -euo pipefail
. "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/lib/e2e.bash"
. "$SRC_DIR/tests/e2e/lib/diam_zpn.bash"
command -v dumpcap >/dev/null && command -v tshark >/dev/null ||
	e2e_fail "dumpcap/tshark missing (Debian tshark, scripts/install-deps.sh)"
e2e_init
e2e_pki
e2e_store
IMPI2=001010000000002@ims.mnc001.mcc001.3gppnetwork.org
e2e_sub_add "$IMPI2" --gba-u --label USIM1
"$BSFCTL" --db "$DB" assoc add scs1 "$IMPI2" >/dev/null || e2e_fail "assoc"
dz_setup
e2e_bsf_start

CAP=$T/zpn.pcapng
dumpcap -q -i lo -f "tcp port $DZ_SECPORT" -w "$CAP" 2>"$T/dumpcap.err" &
DC=$!
E2E_PIDS+=("$DC")
for i in $(seq 100); do
	grep -q "Capturing on" "$T/dumpcap.err" 2>/dev/null && break
	kill -0 "$DC" 2>/dev/null || e2e_fail "dumpcap: $(cat "$T/dumpcap.err")"
	sleep 0.05
done
sleep 0.2
export SSLKEYLOGFILE=$T/tls.keys
"$SCS" request "${DZOPTS[@]}" --ue-id "$IMPI" --naf-fqdn "$NAF_FQDN" \
	--private-id --lifetime 3600 --sa "$T/me.sa" > "$T/req1" || e2e_fail "request GBA_ME"
"$SCS" request "${DZOPTS[@]}" --ue-id "$IMPI2" --naf-fqdn "$NAF_FQDN" \
	--gba-u --gba-u-aware --app-label USIM1 --sa "$T/u.sa" > "$T/req2" ||
	e2e_fail "request GBA_U"
grep -qx "uicc_key=present" "$T/req2" || e2e_fail "GBA_U: $(cat "$T/req2")"
e2e_run "$SCS" request "${DZOPTS[@]}" --ue-id nobody@ims.example --naf-fqdn "$NAF_FQDN" --sa "$T/x.sa"
[ $RC = 1 ] || e2e_fail "unknown UE: rc $RC"
unset SSLKEYLOGFILE
sleep 0.3
kill -INT "$DC"
wait "$DC" 2>/dev/null || true
[ -s "$T/tls.keys" ] || e2e_fail "no TLS key log (GnuTLS SSLKEYLOGFILE)"

# Wireshark's RDP multitransport heuristic on TLS claims the CER
# otherwise; TLS on the BSF's port, Diameter inside it
TS=(tshark -n -r "$CAP" -o "tls.keylog_file:$T/tls.keys" -d "tcp.port==$DZ_SECPORT,tls"
	-d "tls.port==$DZ_SECPORT,diameter" --disable-protocol rdpmt)
"${TS[@]}" -Y "diameter.cmd.code==312" -T fields -e diameter.flags.request \
	-e diameter.applicationId > "$T/cmds" 2>/dev/null
[ "$(grep -c '^1	16777220$' "$T/cmds")" = 3 ] && [ "$(grep -c '^0	16777220$' "$T/cmds")" = 3 ] ||
	e2e_fail "expected 3 GPR + 3 GPA in application 16777220: $(cat "$T/cmds")"
echo "ok: Wireshark: 3 GBAPush-Info requests and 3 answers (312), application 3GPP Zn (16777220)"

N=$("${TS[@]}" -Y "diameter.avp.unknown || diameter.unknown_vendor || _ws.malformed" 2>/dev/null | wc -l)
[ "$N" = 0 ] || e2e_fail "$N frames with an unknown AVP or malformed: $("${TS[@]}" -Y "diameter.avp.unknown || diameter.unknown_vendor || _ws.malformed" 2>/dev/null)"
"${TS[@]}" -Y "diameter.cmd.code==312" -V 2>/dev/null > "$T/v"
for name in UE-Id UE-Id-Type NAF-Hostname UICC-ME UICC-App-Label Requested-Key-Lifetime \
	NAF-SA-Identifier Private-Identity-Request GBA_U-Awareness-Indicator GBA-Push-Info \
	ME-Key-Material UICC-Key-Material Key-ExpiryTime BootstrapInfoCreationTime GBA-Type \
	User-Name Result-Code Experimental-Result-Code Vendor-Specific-Application-Id; do
	grep -q "AVP: $name(" "$T/v" || e2e_fail "Wireshark did not decode $name"
done
# Wireshark's name for 5401 is DIAMETER_ERROR_IMPI_UNKNOWN (docs/diameter.md)
grep -q "Vendor-Id(266) l=12 f=-M- val=10415" "$T/v" &&
	grep -q "Experimental-Result-Code(298) .*val=DIAMETER_ERROR_[A-Z_]* (5401)" "$T/v" ||
	e2e_fail "no Experimental-Result {10415, 5401}: $(grep -A3 'Experimental-Result(' "$T/v" | head -5)"
echo "ok: every AVP decoded by name, no malformed frame; Experimental-Result {3GPP, 5401} read"

"${TS[@]}" -q -z expert,warn 2>/dev/null > "$T/expert"
awk '/^(Errors|Warns) \(/ {s=1; next} /^[A-Z][a-z]+ \(/ {s=0} s && NF >= 4 && $1 ~ /^[0-9]+$/ {print}' "$T/expert" > "$T/bad"
# the closing TCP RST of the SCS is TCP's, not the exchange's
if grep -v "TCP  *Connection reset (RST)" "$T/bad" | grep -q .; then
	e2e_fail "expert info warning/error: $(cat "$T/expert")"
fi
echo "ok: no expert info of severity warning or error outside TCP's closing RST"

EXP=$("${TS[@]}" -Y "diameter.cmd.code==312 && diameter.flags.request==0 && diameter.ME-Key-Material" \
	-T fields -e diameter.Key-ExpiryTime -e diameter.ME-Key-Material 2>/dev/null | sed -n 1p)
KEYLEN=$(printf '%s' "${EXP#*	}" | tr -d ':' | wc -c)
[ "$KEYLEN" = 64 ] || e2e_fail "ME-Key-Material not 32 octets in Wireshark: $KEYLEN hex digits"
WS_T=$(printf '%s' "${EXP%%	*}" | sed 's/,//; s/\.[0-9]*//')
WS_S=$(date -u -d "$WS_T" +%s) || e2e_fail "cannot read Wireshark time '$WS_T'"
SA_S=$(date -u -d "$(sed -n 's/^key_expiry=//p' "$T/req1")" +%s)
[ "$WS_S" = "$SA_S" ] || e2e_fail "Key-ExpiryTime: Wireshark $WS_T, SCS $(sed -n 's/^key_expiry=//p' "$T/req1")"
echo "ok: Wireshark's Key-ExpiryTime = the SCS's key_expiry ($WS_T); ME-Key-Material 32 octets"
e2e_bsf_stop
echo "diam_zpn_capture: all checks passed"
