#!/usr/bin/env bash
# gba-bsf end to end over the Nbsp binding (TS 29.309 push-info-retrieval),
# mutual TLS: GBA_ME and GBA_U keys recomputed independently with gbatool,
# IMPI privacy, every refusal with its status, and "nothing consumed": a
# refused request leaves the subscriber's SQN where it was (the next
# GPI's SQN is exactly the previous one + 2^5, one SEQ step in our IND).
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init
start_bsf_guss
P=/nbsp-gba/v1/push-info-retrieval
# the body in $T/body against a definition of tests/e2e/schema (TS 29.309 /
# TS 29.571 members, Debian python3-jsonschema)
schema() { /usr/bin/python3 "$SRC_DIR/tests/e2e/lib/nbsp_schema.py" "$1" "${2:-$T/body}" || fail "$1 schema: $(cat "${2:-$T/body}")"; }

# --- GBA_ME via IMPU (tel: URI), IMPI requested and allowed -------------
st=$(nbsp scs1 "$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME ',"privateIdRequest":true')")
[ "$st" = 200 ] || fail "GBA_ME: status $st: $(cat "$T/body")"
[ "$(jget impi)" = "$IMPI1" ] || fail "impi not returned to an allowed Push-NAF"
[ -z "$(jget uiccKeyMaterial)" ] || fail "uiccKeyMaterial for GBA_ME"
[ -z "$(jget ptId)" ] || fail "ptId echoed: not a PushInfoResponse member"
schema PushInfoResponse
[ "$(jget gbaType)" = 3G_GBA ] || fail gbaType
sqn1=$(verify_gpi "$(jget gbaPushInfo)" "$(jget meKeyMaterial)" "" "$IMPI1" "$NAF1" "$UA" 0 ptid-e2e)
ok "GBA_ME: Ks_NAF, AUTN and encrypted P-TID match gbatool (SQN $sqn1)"

# key expiry = min(requested, policy 86400 s)
exp=$(python3 -c 'import sys,datetime; print(int(datetime.datetime.strptime(sys.argv[1],"%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()))' "$(jget keyExpiryTime)")
now=$(date +%s)
[ $((exp - now)) -le 86400 ] && [ $((exp - now)) -ge 86300 ] || fail "keyExpiryTime not capped at policy: $((exp - now)) s"
ok "key expiry capped at [keys] lifetime_max"

# --- GBA_U, GBA_U-aware NAF: AUTN* and Ks_int_NAF ----------------------
st=$(nbsp scs1 "$(req_json "$IMPI1" PRIVATE "$NAF1" GBA_U ',"gbaUAware":true')")
[ "$st" = 200 ] || fail "GBA_U: status $st: $(cat "$T/body")"
[ -z "$(jget impi)" ] || fail "impi returned without privateIdRequest"
[ -n "$(jget uiccKeyMaterial)" ] || fail "no uiccKeyMaterial for a GBA_U-aware NAF"
sqn2=$(verify_gpi "$(jget gbaPushInfo)" "$(jget meKeyMaterial)" "$(jget uiccKeyMaterial)" "$IMPI1" "$NAF1" "$UA" 1 ptid-e2e)
[ "$sqn2" -eq $((sqn1 + 32)) ] || fail "SQN $sqn2 after $sqn1: not one SEQ step"
ok "GBA_U: AUTN* (MAC xor Trunc64(SHA-1(IK))), Ks_ext_NAF, Ks_int_NAF match (SQN $sqn2)"

# GBA_U without gbaUAware: no Ks_int_NAF
st=$(nbsp scs1 "$(req_json "$IMPI1" PRIVATE "$NAF1" GBA_U)")
[ "$st" = 200 ] && [ -z "$(jget uiccKeyMaterial)" ] || fail "uiccKeyMaterial to a NAF that did not say gbaUAware"
sqn=$(sqn_of "$(jget gbaPushInfo)")
[ "$sqn" -eq $((sqn2 + 32)) ] || fail "SQN sequence"

# NAF FQDN: the TS 29.571 Fqdn trailing dot is accepted and dropped, and the
# name lower-cased before the KDF and the GPI (TS 33.220 Annex B NAF_Id):
# gbatool with the lower-case NAF1 must find the same keys
for f in "NAF1.EXAMPLE.COM." "Naf1.Example.Com"; do
	st=$(nbsp scs1 "$(req_json "$IMPI1" PRIVATE "$f" GBA_ME)")
	[ "$st" = 200 ] || fail "nafFqdn $f: status $st: $(cat "$T/body")"
	schema PushInfoResponse
	verify_gpi "$(jget gbaPushInfo)" "$(jget meKeyMaterial)" "" "$IMPI1" "$NAF1" "$UA" 0 ptid-e2e >/dev/null
	sqn=$(sqn_of "$(jget gbaPushInfo)")
done
ok "nafFqdn NAF1.EXAMPLE.COM. and Naf1.Example.Com: keys and GPI as for $NAF1"

# ptId and requestedLifeTime are required (TS 29.309 PushInfoRequest)
st=$(nbsp scs2 '{"ueId":"'"$IMPU2"'","ueIdType":"PUBLIC","uiccAppLabel":"","nafId":{"nafFqdn":"'"$NAF2"'","uaSecProtId":"'"$UA"'"},"uiccOrMe":"GBA_ME","privateIdRequest":true}')
[ "$st" = 400 ] || fail "no ptId / requestedLifeTime: status $st $(cat "$T/body")"
schema ProblemDetails
[ "$(jget cause)" = MANDATORY_IE_MISSING ] || fail "no ptId: cause $(jget cause)"
python3 - "$T/body" <<'PY' || fail "invalidParams for a request without ptId and requestedLifeTime: $(cat "$T/body")"
import json, sys
d = json.load(open(sys.argv[1]))
assert [p["param"] for p in d["invalidParams"]] == ["/ptId", "/requestedLifeTime"], d
PY
ok "no ptId, no requestedLifeTime: 400, both listed"

last=$sqn
# --- refusals: status, problem cause, and no SQN consumed ---------------
expect() { # name status cause got_status
	[ "$4" = "$2" ] || fail "$1: status $4, want $2: $(cat "$T/body" 2>/dev/null)"
	if [ -n "$3" ]; then
		[ "$(jget cause)" = "$3" ] || fail "$1: cause $(jget cause), want $3"
	fi
	if [ -n "$3" ]; then schema ProblemDetails; fi
	ok "$1 -> $2 ${3:-}"
}
good=$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME)

# TLS-level refusals: the handshake fails, no HTTP status at all
for c in "none" untrusted serveronly; do
	if [ $c = none ]; then
		code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$T/pki/ca.pem" -H 'Content-Type: application/json' -d "$good" "$URL$P" || true)
	else
		code=$(scs_curl $c -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$good" "$URL$P" 2>/dev/null || true)
	fi
	[ "$code" = 000 ] || fail "client certificate '$c' got HTTP $code"
	ok "client certificate '$c' refused in the TLS handshake"
done
# a non-AEAD suite and TLS 1.1 are refused
code=$(scs_curl scs1 -o /dev/null -w '%{http_code}' --tls-max 1.2 --ciphers ECDHE-ECDSA-AES128-SHA256 -d "$good" "$URL$P" 2>/dev/null || true)
[ "$code" = 000 ] || fail "CBC suite accepted"
code=$(scs_curl scs1 -o /dev/null -w '%{http_code}' --tlsv1.1 --tls-max 1.1 -d "$good" "$URL$P" 2>/dev/null || true)
[ "$code" = 000 ] || fail "TLS 1.1 accepted"
code=$(scs_curl scs1 -o "$T/body" -w '%{http_code}' --tls-max 1.2 -H 'Content-Type: application/json' -d "$good" "$URL$P")
[ "$code" = 200 ] || fail "TLS 1.2 AEAD refused ($code)"
last=$(sqn_of "$(jget gbaPushInfo)")
ok "TLS 1.1 and CBC suites refused, TLS 1.2 AEAD accepted"

expect "certificate not a Push-NAF" 403 NAF_NOT_AUTHORIZED "$(nbsp scs3 "$good")"
expect "NAF_Id not allowed" 403 NAF_NOT_AUTHORIZED "$(nbsp scs2 "$good")"
expect "NAF_Id Ua id not allowed" 403 NAF_NOT_AUTHORIZED "$(nbsp scs1 "$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME | sed 's/0100000002/0100000005/')")"
expect "UE not associated" 404 USER_NOT_FOUND "$(nbsp scs2 "$(req_json "$IMPU1" PUBLIC "$NAF2" GBA_ME)")"
cp "$T/body" "$T/not_assoc"
expect "unknown UE" 404 USER_NOT_FOUND "$(nbsp scs2 "$(req_json tel:+15559999999 PUBLIC "$NAF2" GBA_ME)")"
cmp -s "$T/body" "$T/not_assoc" || fail "unknown UE and not-associated UE answers differ"
ok "unknown UE and UE not associated: byte-identical answers"
expect "GBA_U on a GBA_ME-only UICC" 403 GBA_U_NOT_SUPPORTED "$(nbsp scs2 "$(req_json "$IMPU2" PUBLIC "$NAF2" GBA_U)")"
expect "unknown UICC label" 403 UICC_APP_UNKNOWN "$(nbsp scs1 "$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME | sed 's/"uiccAppLabel":""/"uiccAppLabel":"ISIM9"/')")"
expect "malformed JSON" 400 INVALID_MSG_FORMAT "$(nbsp scs1 '{"ueId": "x",')"
expect "wrong JSON type" 400 MANDATORY_IE_INCORRECT "$(nbsp scs1 "$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME | sed 's/"ptId":"ptid-e2e"/"ptId":42/')")"
expect "bad hex uaSecProtId" 400 MANDATORY_IE_INCORRECT "$(nbsp scs1 "$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME | sed 's/0100000002/01000000zz/')")"
expect "bad hex auts" 400 OPTIONAL_IE_INCORRECT "$(nbsp scs1 "$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME ',"auts":"zz0102030405060708090a0b0c0d","rand":"00000000000000000000000000000000"')")"
expect "auts without rand" 400 OPTIONAL_IE_INCORRECT "$(nbsp scs1 "$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME ',"auts":"000102030405060708090a0b0c0d"')")"
expect "expiry in the past" 400 MANDATORY_IE_INCORRECT "$(nbsp scs1 "$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME | sed 's/2099-01-01/2001-01-01/')")"
reason() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["invalidParams"][0]["param"], "|", d["invalidParams"][0]["reason"])' "$T/body"; }
past=$(reason)
expect "expiry malformed" 400 MANDATORY_IE_INCORRECT "$(nbsp scs1 "$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME | sed 's/2099-01-01T/2099-01-01 /')")"
malformed=$(reason)
case "$past" in "/requestedLifeTime | "*past*) ;; *) fail "expiry in the past: '$past'" ;; esac
case "$malformed" in "/requestedLifeTime | "*past*) fail "malformed expiry: '$malformed'" ;; "/requestedLifeTime | "*) ;; *) fail "malformed expiry: '$malformed'" ;; esac
ok "requestedLifeTime in the past and malformed told apart ('$past' / '$malformed')"
L33=$(printf 'L%.0s' $(seq 33))
expect "uiccAppLabel of 33 octets" 400 MANDATORY_IE_INCORRECT "$(nbsp scs1 "$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME | sed "s/\"uiccAppLabel\":\"\"/\"uiccAppLabel\":\"$L33\"/")")"
case "$(reason)" in "/uiccAppLabel | "*0..32*) ;; *) fail "uiccAppLabel reason: '$(reason)'" ;; esac
ok "uiccAppLabel over 32 octets: the reason names the limit the BSF applies (0..32)"
expect "four invalid members" 400 MANDATORY_IE_INCORRECT "$(nbsp scs1 "$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME ',"gsIds":[1,-2],"auts":"00","rand":"00112233445566778899aabbccddeeff"' | sed 's/0100000002/01000000zz/; s/"uiccOrMe":"GBA_ME"/"uiccOrMe":"GBA_X"/')")"
python3 - "$T/body" <<'PY' || fail "invalidParams: $(cat "$T/body")"
import json, sys
d = json.load(open(sys.argv[1]))
want = ["/nafId/uaSecProtId", "/uiccOrMe", "/gsIds/1", "/auts"]
assert [p["param"] for p in d["invalidParams"]] == want, d
assert all(w in d["detail"] for w in want), d["detail"]
PY
ok "every invalid member listed as a JSON Pointer with a reason, and named in detail"
st=$(scs_curl scs1 -o "$T/body" -w '%{http_code}' -H 'Content-Type: text/plain' --data-binary "$good" "$URL$P")
expect "wrong content type" 415 UNSUPPORTED_MEDIA_TYPE "$st"
head -c 20000 /dev/zero | tr '\0' ' ' >"$T/big"
st=$(scs_curl scs1 -o "$T/body" -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$T/big" "$URL$P")
expect "body over the limit (Content-Length)" 413 PAYLOAD_TOO_LARGE "$st"
st=$(scs_curl scs1 -o "$T/body" -w '%{http_code}' -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @"$T/big" "$URL$P")
expect "body over the limit (chunked)" 413 PAYLOAD_TOO_LARGE "$st"
st=$(scs_curl scs1 -o "$T/body" -w '%{http_code}' "$URL$P")
expect "GET" 405 METHOD_NOT_ALLOWED "$st"

# bad AUTS: MAC-S wrong -> 403, SQN state untouched
st=$(nbsp scs1 "$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME ',"auts":"000102030405060708090a0b0c0d","rand":"00112233445566778899aabbccddeeff"')")
expect "AUTS with a wrong MAC-S" 403 RESYNC_FAILURE "$st"

st=$(nbsp scs1 "$good")
[ "$st" = 200 ] || fail "after refusals: $st"
sqn=$(sqn_of "$(jget gbaPushInfo)")
[ "$sqn" -eq $((last + 32)) ] || fail "a refused request consumed an SQN: $last -> $sqn"
ok "no refused request consumed an SQN ($last -> $sqn)"

# --- resynchronisation: a valid AUTS moves SEQ_HE above SQN_MS ----------
rand=$("$GBATOOL" gpi decode "$(jget gbaPushInfo)" | kv rand)
sqn_ms=$((sqn + 32 * 1000))
sqn_ms_hex=$(printf '%012x' $sqn_ms)
m=$("$GBATOOL" milenage --k "$K1" --opc "$OPC1" --rand "$rand" --sqn "$sqn_ms_hex" --amf 0000)
# TS 33.102 6.3.3: AUTS = (SQN_MS xor AK*) || MAC-S, MAC-S = f1*(.., AMF 0000)
auts=$(xor_hex "$sqn_ms_hex" "$(echo "$m" | kv f5star)")$(echo "$m" | kv f1star)
st=$(nbsp scs1 "$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME ',"auts":"'"$auts"'","rand":"'"$rand"'"')")
[ "$st" = 200 ] || fail "resync: $st $(cat "$T/body")"
sqn_r=$(verify_gpi "$(jget gbaPushInfo)" "$(jget meKeyMaterial)" "" "$IMPI1" "$NAF1" "$UA" 0 ptid-e2e)
[ "$sqn_r" -gt "$sqn_ms" ] || fail "after resync SQN $sqn_r not above SQN_MS $sqn_ms"
ok "resync: AUTS verified, new SQN $sqn_r > SQN_MS $sqn_ms"

# --- ussList: the subscriber's USSs for the requested gsIds -------------
# TS 29.309: an array of UssListItem {"uss": Uss}, absent when none matched
# (conversion choices in bsf/src/uss.h, choice 7)
ussjson() { # FILE EXPECTED_IDS(comma-separated, "-" or "" = no ussList member)
	python3 - "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
if sys.argv[2] in ("-", ""):
    assert "ussList" not in d, "unexpected ussList: %r" % d.get("ussList")
    sys.exit(0)
x = d["ussList"]
assert isinstance(x, list), "ussList is a %s" % type(x).__name__
assert all(list(i) == ["uss"] for i in x), x
ids = [i["uss"]["gsId"] for i in x]
want = [int(i) for i in sys.argv[2].split(",") if i]
assert ids == want, "USS ids %r, want %r" % (ids, want)
for i in x:
    u = i["uss"]
    if u["gsId"] == 202:
        assert u.get("nafGroup") == "other&more", u
        assert u["ueIds"] == [{"ueId": "sip:carol@ims.example"}], u
    if u["gsId"] == 101:
        assert u.get("nafGroup") == "scs" and u["gsType"] == 1, u
        assert u["flags"] == [{"flag": 1}, {"flag": 7}], u
        assert u["ueIds"] == [{"ueId": "tel:+15550000003"}], u
PY
}
st=$(nbsp scs1 "$(req_json "$IMPU3" PUBLIC "$NAF1" GBA_ME ',"gsIds":[202]')")
[ "$st" = 200 ] || fail "gsIds [202]: status $st: $(cat "$T/body")"
ussjson "$T/body" 202 || fail "ussList for gsIds [202]: $(cat "$T/body")"
schema PushInfoResponse
verify_gpi "$(jget gbaPushInfo)" "$(jget meKeyMaterial)" "" "$IMPI3" "$NAF1" "$UA" 0 ptid-e2e >/dev/null
ok "gsIds [202]: ussList holds exactly USS 202 (uids, nafGroup kept); GPI valid"
st=$(nbsp scs1 "$(req_json "$IMPU3" PUBLIC "$NAF1" GBA_ME ',"gsIds":[999,202,101,202]')")
[ "$st" = 200 ] || fail "gsIds [999,202,101,202]: status $st"
ussjson "$T/body" 101,202 || fail "ussList for gsIds [999,202,101,202]: $(cat "$T/body")"
schema PushInfoResponse
ok "gsIds [999,202,101,202]: USSs 101 and 202 once each, GUSS order, 999 ignored"
st=$(nbsp scs1 "$(req_json "$IMPU3" PUBLIC "$NAF1" GBA_ME ',"gsIds":[999]')")
[ "$st" = 200 ] || fail "gsIds [999]: status $st"
ussjson "$T/body" "" || fail "ussList for gsIds [999]: $(cat "$T/body")"
schema PushInfoResponse
ok "gsIds [999] (no such USS): answered, no ussList member"
st=$(nbsp scs1 "$(req_json "$IMPU3" PUBLIC "$NAF1" GBA_ME)")
[ "$st" = 200 ] || fail "no gsIds: status $st"
ussjson "$T/body" - || fail "ussList without gsIds: $(cat "$T/body")"
ok "no gsIds: no ussList member"

# --- logs: no IMPI / IMSI / MSISDN / keys in clear ----------------------
me=$(jget meKeyMaterial)
for s in "$IMPI1" "$IMPI2" "$IMPI3" "+15550000001" "+15550000003" "001010000000001" "$me" "$K1" "carol@ims"; do
	! grep -qF -- "$s" "$T/bsf.log" || fail "log contains '$s'"
done
grep -q 'endpoint=nbsp status=200 outcome=OK' "$T/bsf.log" || fail "no request line in the log"
ok "log lines carry no identity or key in clear"

# --- metrics -------------------------------------------------------------
curl -fs "$ADMIN/metrics" >"$T/metrics"
grep -q '^gba_bsf_requests_total{endpoint="nbsp",status="200"} [1-9]' "$T/metrics" || fail "metrics: 200 count"
grep -q '^gba_bsf_requests_outcome_total{endpoint="nbsp",outcome="USER_NOT_FOUND"} 2$' "$T/metrics" || fail "metrics: outcome count"
grep -q '^gba_bsf_av_generated_total{resync="true"} 1$' "$T/metrics" || fail "metrics: resync AV"
grep -q '^gba_bsf_store_duration_seconds_count [1-9]' "$T/metrics" || fail "metrics: store latency"
ok "metrics"

stop_bsf || fail "gba-bsf did not exit 0 on SIGTERM"
ok "SIGTERM: clean exit 0"
