#!/usr/bin/env bash
# E2E, Zpn over Diameter (GPR/GPA, TS 29.109 5.4; docs/diameter.md):
# gba-scs request --diameter -> gba-bsf answers GPR from its push core ->
# push over SMS -> gba-ue accepts the GPI -> protected trigger accepted,
# all with the real programs over TLS/TCP on 127.0.0.1.  Then the
# refusals: the same SCS identity without TLS is refused (5402) and the
# BSF issued nothing; an unknown UE and a UE not associated with this
# Push-NAF get the same answer (5401), byte for byte.
set -euo pipefail
. "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/lib/e2e.bash"
. "$SRC_DIR/tests/e2e/lib/diam_zpn.bash"
e2e_init
e2e_pki
e2e_store
# a subscriber the BSF knows but scs1 is not associated with
IMPI2=001010000000002@ims.mnc001.mcc001.3gppnetwork.org
e2e_sub_add "$IMPI2"
dz_setup
e2e_bsf_start
e2e_ue_init "$T/ue"
SA=$T/me.sa

"$SCS" request "${DZOPTS[@]}" --ue-id "$IMPI" --naf-fqdn "$NAF_FQDN" \
	--p-tid 70742d6469616d --lifetime 3600 --private-id --sa "$SA" > "$T/req" ||
	e2e_fail "request over Diameter: $(tail -3 "$BSF_LOG")"
grep -qx "mode=GBA_ME" "$T/req" || e2e_fail "SA mode: $(cat "$T/req")"
RAND=$(sed -n 's/^rand=//p' "$T/req")
[ ${#RAND} = 32 ] || e2e_fail "rand"
grep -q "sub=zpn msg=\"diameter GPR naf=scs1.scs.example ue=[0-9a-f]* result=2001 peer=scs1.scs.example\"" "$BSF_LOG" ||
	e2e_fail "BSF log: no GPR line: $(tail -3 "$BSF_LOG")"
grep -q "$IMPI" "$BSF_LOG" && e2e_fail "the IMPI is in the BSF log"
echo "ok: GPR over TLS/TCP answered by a GPA (2001); SA stored"

e2e_ue_push "$T/ue"
grep -q "^GPI_ACCEPTED .*naf=$NAF_FQDN mode=GBA_ME .*p_tid=70742d6469616d" "$T/out" ||
	e2e_fail "GPI not accepted: $(cat "$T/out")"
e2e_ue_sas "$T/ue" | grep -q "GBA_ME naf=$NAF_FQDN rand=$RAND p_tid=70742d6469616d" ||
	e2e_fail "UE SA: $("$UE" --state "$T/ue" show)"
"$SCS" trigger --sa "$SA" --payload 0102ff --port "$TPORT" > "$T/t1" || e2e_fail "trigger"
e2e_run "$UE" --state "$T/ue" receive $(cat "$T/t1")
grep -q "^TRIGGER .*naf=$NAF_FQDN sn=1 payload=0102ff$" "$T/out" || e2e_fail "trigger: $(cat "$T/out")"
echo "ok: the GPI from the GPA accepted by gba-ue; protected trigger SN 1 accepted (same keys both ends)"

# the same identity and certificate, no TLS: refused, nothing issued
SQN_BEFORE=$("$BSFCTL" --db "$DB" subscriber show "$IMPI" 2>/dev/null | grep -i sqn || true)
e2e_run "$SCS" request "${DZOPTS_NOTLS[@]}" --ue-id "$IMPI" --naf-fqdn "$NAF_FQDN" --sa "$T/x.sa"
[ $RC = 1 ] || e2e_fail "no-TLS peer: rc $RC: $(cat "$T/out" "$T/err")"
grep -q "Experimental-Result-Code 5402 DIAMETER_ERROR_NOT_AUTHORIZED" "$T/err" ||
	e2e_fail "no-TLS peer: $(cat "$T/err")"
[ ! -e "$T/x.sa" ] || e2e_fail "an SA was written for a refused request"
grep -q 'diameter GPR naf=- ue=- result=5402 experimental=1 peer=scs1.scs.example' "$BSF_LOG" ||
	e2e_fail "BSF log: no refusal line"
SQN_AFTER=$("$BSFCTL" --db "$DB" subscriber show "$IMPI" 2>/dev/null | grep -i sqn || true)
[ "$SQN_BEFORE" = "$SQN_AFTER" ] || e2e_fail "SQN moved for a refused GPR: $SQN_BEFORE -> $SQN_AFTER"
echo "ok: GPR from a peer without TLS (same identity) refused: 5402, no SA, no SQN used"

# TLS with a certificate of the trusted CA whose identity is no Push-NAF
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/scs9.key" 2>/dev/null
openssl req -new -key "$T/scs9.key" -subj /CN=scs9.scs.example -out "$T/scs9.csr" 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:scs9.scs.example\n' > "$T/scs9.ext"
openssl x509 -req -in "$T/scs9.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" -CAcreateserial \
	-days 1 -sha256 -extfile "$T/scs9.ext" -out "$T/scs9.pem" 2>/dev/null || e2e_fail "scs9 certificate"
dz_scs_conf scs9 "$T/scs9.pem" "$T/scs9.key" "Port = $DZ_SECPORT;" scs9.scs.example
e2e_run "$SCS" request --diameter "$T/fd/scs9.conf" --diameter-peer localhost --timeout 5000 \
	--ue-id "$IMPI" --naf-fqdn scs9.scs.example --sa "$T/9.sa"
[ $RC = 1 ] && grep -q "Experimental-Result-Code 5402" "$T/err" ||
	e2e_fail "TLS peer that is no Push-NAF: rc $RC $(cat "$T/err")"
grep -q 'diameter GPR naf=scs9.scs.example ue=- result=5402 experimental=1 peer=scs9.scs.example' "$BSF_LOG" ||
	e2e_fail "BSF log: no refusal line for scs9"
echo "ok: TLS peer whose certificate identity is no Push-NAF refused: 5402"

# the Push-NAF's identity and CA but a TLS server certificate (no client
# key purpose): freeDiameter lets it in, gba-bsf verifies as on HTTPS
dz_scs_conf wrongkp "$PKI/serveronly.pem" "$PKI/serveronly.key" "Port = $DZ_SECPORT;"
e2e_run "$SCS" request --diameter "$T/fd/wrongkp.conf" --diameter-peer localhost --timeout 5000 \
	--ue-id "$IMPI" --naf-fqdn "$NAF_FQDN" --sa "$T/kp.sa"
[ $RC = 1 ] && grep -q "Experimental-Result-Code 5402" "$T/err" ||
	e2e_fail "certificate without client key purpose: rc $RC $(cat "$T/err")"
[ ! -e "$T/kp.sa" ] || e2e_fail "an SA was written for a refused request"
echo "ok: certificate of the Push-NAF's identity without the TLS client key purpose refused: 5402"

# unknown UE and a UE not associated with scs1: one answer
e2e_run "$SCS" request "${DZOPTS[@]}" --ue-id 001010000000099@ims.mnc001.mcc001.3gppnetwork.org \
	--naf-fqdn "$NAF_FQDN" --sa "$T/u.sa"
RC_U=$RC
cp "$T/err" "$T/err.unknown"
e2e_run "$SCS" request "${DZOPTS[@]}" --ue-id "$IMPI2" --naf-fqdn "$NAF_FQDN" --sa "$T/n.sa"
[ $RC_U = 1 ] && [ $RC = 1 ] || e2e_fail "rc unknown $RC_U, unassociated $RC"
grep -q "Experimental-Result-Code 5401 DIAMETER_ERROR_IDENTITY_UNKNOWN" "$T/err" ||
	e2e_fail "unassociated: $(cat "$T/err")"
cmp -s "$T/err" "$T/err.unknown" ||
	e2e_fail "unknown and unassociated differ: $(cat "$T/err.unknown") / $(cat "$T/err")"
[ "$(grep -c 'diameter GPR naf=scs1.scs.example ue=[0-9a-f]* result=5401 experimental=1' "$BSF_LOG")" = 2 ] ||
	e2e_fail "BSF log: two 5401 lines expected"
echo "ok: unknown UE and unassociated UE: the same GPA (5401), the same client output"
# SIGHUP reloads [tls] for HTTPS and the Diameter peer check alike
kill -HUP "$BSF_PID"
for i in $(seq 100); do grep -q 'msg="reloaded"' "$BSF_LOG" && break; sleep 0.05; done
grep -q 'msg="reloaded"' "$BSF_LOG" || e2e_fail "no reload: $(tail -3 "$BSF_LOG")"
"$SCS" request "${DZOPTS[@]}" --ue-id "$IMPI" --naf-fqdn "$NAF_FQDN" --sa "$T/r.sa" > /dev/null ||
	e2e_fail "request after SIGHUP: $(tail -3 "$BSF_LOG")"
echo "ok: SIGHUP reload, GPR still served"
e2e_bsf_stop
echo "flow_diam_zpn: all checks passed"
