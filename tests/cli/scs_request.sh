#!/usr/bin/env bash
# gba-scs against a mock Nbsp_GBA BSF (tests/cli/scs_mockbsf.py: HTTPS with
# mutual TLS on 127.0.0.1, free port): the PushInfoRequest JSON on the
# wire, the SA file (mode 0600, show), push, trigger (SN_c advances, only on
# success), resync (auts + rand), and the error paths: ProblemDetails 404,
# HTML 500, bad JSON, a GPI for another NAF, wrong CA, client certificate
# from a CA the BSF does not trust, usage errors.  Independent of gba-bsf.
set -euo pipefail
BUILD_DIR=${BUILD_DIR:-build}
SRC_DIR=${SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SCS=$BUILD_DIR/scs/gba-scs
GBATOOL=$BUILD_DIR/vectors/gbatool
. "$(dirname "$0")/lib/cli.bash"
cli_init
export GBA_SCS_STATE_DIR="$T/scs-state" # SA-file binding state (docs/scs.md)
pass() { echo "ok: $*"; }

# ---- PKI: a CA, the BSF's server certificate (IP 127.0.0.1), the SCS's
# client certificate, and a rogue CA with its own client certificate ----
mkcert() { # name cn ca [ext]
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$T/$1.key" -subj "/CN=$2" -out "$T/$1.csr" 2>/dev/null
	openssl x509 -req -in "$T/$1.csr" -CA "$T/$3.crt" -CAkey "$T/$3.key" \
		-CAcreateserial -days 2 -out "$T/$1.crt" ${4:+-extfile "$T/$4"} 2>/dev/null
}
for ca in ca rogue; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$T/$ca.key" -subj "/CN=test $ca" -days 2 -out "$T/$ca.crt" 2>/dev/null
done
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$T/srv.ext"
printf 'extendedKeyUsage=clientAuth\n' > "$T/cli.ext"
mkcert bsf bsf.test ca srv.ext
mkcert scs scs.example.org ca cli.ext
mkcert evil scs.example.org rogue cli.ext

echo ok > "$T/mode"
python3 "$SRC_DIR/tests/cli/scs_mockbsf.py" "$T" "$GBATOOL" "$T/bsf.crt" "$T/bsf.key" \
	"$T/ca.crt" "$T/port" &
PID=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.1; done
[ -s "$T/port" ] || fail "mock BSF did not start"
URL="https://127.0.0.1:$(cat "$T/port")"
BSF=(--bsf "$URL" --cert "$T/scs.crt" --key "$T/scs.key" --ca "$T/ca.crt")
export GBA_SCS_NOW=1795478730   # 2026-11-24T00:05:30Z
SA=$T/naf.sa

# ---- request: JSON on the wire, SA file ----
"$SCS" request "${BSF[@]}" --ue-id 001010123456789@ims.mnc001.mcc001.3gppnetwork.org \
	--naf-fqdn scs.example.org --p-tid 70742d30303031 --lifetime 3600 --sa "$SA" > "$T/out"
python3 - "$T/last_request.json" <<'PY' || fail "PushInfoRequest JSON"
import json, sys
r = json.load(open(sys.argv[1]))
exp = {"ueId": "001010123456789@ims.mnc001.mcc001.3gppnetwork.org",
       "ueIdType": "PRIVATE", "uiccAppLabel": "", "uiccOrMe": "GBA_ME",
       "nafId": {"nafFqdn": "scs.example.org", "uaSecProtId": "0100000005"},
       "ptId": "pt-0001",
       # GBA_SCS_NOW + 3600 = 1795482330 = 2026-11-24T01:05:30Z
       "requestedLifeTime": "2026-11-24T01:05:30Z"}
assert r == exp, r
PY
pass "PushInfoRequest JSON as TS 29.309 (GBA_ME, private id, GPL Ua id)"
# --p-tid is hex ("pt-0001" in ASCII) in and out; the wire ptId is the text
grep -qx "p_tid=70742d30303031" "$T/out" || fail "request output: $(cat "$T/out")"
"$SCS" show --sa "$SA" --json | python3 -c 'import json, sys
d = json.load(sys.stdin)
assert d["p_tid"] == "70742d30303031" and d["key_expiry"] == "2030-03-17T17:46:40Z" and d["sn_c"] == 0, d' \
	|| fail "show --json"
set +e; "$SCS" request "${BSF[@]}" --ue-id x@y --naf-fqdn scs.example.org --p-tid 0a \
	--sa "$T/np.sa" >/dev/null 2>&1; rc=$?; set -e
[ $rc = 2 ] || fail "--p-tid with a control octet: exit $rc"
set +e; "$SCS" request "${BSF[@]}" --ue-id x@y --naf-fqdn scs.example.org --p-tid zz \
	--sa "$T/np.sa" >/dev/null 2>&1; rc=$?; set -e
[ $rc = 2 ] || fail "--p-tid bad hex: exit $rc"
grep -qx "rand=a0a1a2a3a4a5a6a7a8a9aaabacadaeaf" "$T/out" || fail "rand from GPI"
grep -qx "naf_id=7363732e6578616d706c652e6f72670100000005" "$T/out" || fail "naf_id"
grep -qx "key_expiry=2030-03-17T17:46:40Z" "$T/out" || fail "expiry"
grep -qx "sn_c=0" "$T/out" || fail "sn_c"
[ "$(stat -c %a "$SA")" = 600 ] || fail "SA file mode $(stat -c %a "$SA")"
grep -q 000102030405060708090a0b0c0d0e0f "$T/out" && fail "key printed"
pass "SA stored, mode 0600, RAND/NAF_Id/expiry from the GPI, no key printed"

# GBA_U, public id inferred from tel:
"$SCS" request "${BSF[@]}" --ue-id tel:+447700900123 --naf-fqdn scs.example.org \
	--gba-u --gba-u-aware --app-label USIM1 --sa "$T/u.sa" > "$T/out"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["ueIdType"]=="PUBLIC" and r["uiccOrMe"]=="GBA_U" and r["gbaUAware"] is True and r["uiccAppLabel"]=="USIM1" and r["ptId"].startswith("pt-") and len(r["ptId"])==19, r' \
	"$T/last_request.json" || fail "GBA_U request JSON"
grep -qx "mode=GBA_U" "$T/out" || fail "GBA_U mode"
pass "GBA_U request (gbaUAware, app label, generated P-TID)"

# ---- push and trigger ----
"$SCS" push --sa "$SA" --msisdn +447700900123 > "$T/push"
[ "$(wc -l < "$T/push")" -ge 1 ] || fail "no push PDU"
grep -qvE '^[0-9a-f]+$' "$T/push" && fail "push output not hex lines"
"$SCS" push --sa "$SA" --msisdn +447700900123 --submit --app-id 0x8001 --ct-code 0x0310 > "$T/push2"
[ "$(head -c 2 "$T/push2")" != "$(head -c 2 "$T/push")" ] || fail "SUBMIT first octet"
pass "push prints hex TPDUs (DELIVER and SUBMIT)"

"$SCS" trigger --sa "$SA" --payload 0102ff --port 4242 > "$T/trg1"
"$SCS" trigger --sa "$SA" --payload 0102ff --port 4242 > "$T/trg2"
[ "$(wc -l < "$T/trg1")" = 1 ] || fail "trigger PDUs"
cmp -s "$T/trg1" "$T/trg2" && fail "two triggers identical (SN reused)"
"$SCS" show --sa "$SA" | grep -qx "sn_c=2" || fail "sn_c after two triggers"
printf 'hello' > "$T/payload.bin"
"$SCS" trigger --sa "$SA" --payload @"$T/payload.bin" --port 4242 >/dev/null
"$SCS" show --sa "$SA" | grep -qx "sn_c=3" || fail "sn_c after @FILE trigger"
[ "$(stat -c %a "$SA")" = 600 ] || fail "SA mode after update"
set +e
GBA_SCS_NOW=1900000000 "$SCS" trigger --sa "$SA" --payload 01 --port 4242 > "$T/o" 2> "$T/e"
rc=$?
set -e
[ $rc = 1 ] && [ ! -s "$T/o" ] && grep -q "expired" "$T/e" || fail "expired trigger: rc=$rc $(cat "$T/e")"
"$SCS" show --sa "$SA" | grep -qx "sn_c=3" || fail "sn_c moved on failure"
GBA_SCS_NOW=1900000000 "$SCS" show --sa "$SA" | grep -qx "state=expired" || fail "show: expired"
"$SCS" show --sa "$SA" | grep -qx "state=valid" || fail "show: valid"
set +e
GBA_SCS_NOW=1900000000 "$SCS" push --sa "$SA" --msisdn +1 > "$T/o" 2> "$T/e"
rc=$?
set -e
[ $rc = 1 ] && [ ! -s "$T/o" ] && grep -q "has expired" "$T/e" || fail "push of an expired SA: rc=$rc"
pass "trigger advances SN_c (1, 2, 3); expired SA: trigger and push refused, SA untouched, show says expired"

# ---- resync ----
"$SCS" resync "${BSF[@]}" --sa "$SA" --auts 000102030405060708090a0b0c0d > "$T/out"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["auts"]=="000102030405060708090a0b0c0d" and r["rand"]=="a0a1a2a3a4a5a6a7a8a9aaabacadaeaf" and r["ptId"]!="pt-0001" and r["ueIdType"]=="PRIVATE", r' \
	"$T/last_request.json" || fail "resync JSON"
grep -qx "sn_c=0" "$T/out" || fail "resync: new SA"
pass "resync sends auts + the GPI's rand, stores a new SA with a fresh P-TID"

# ---- error paths ----
expect() { # rc pattern -- command...
	local want=$1 pat=$2; shift 3
	set +e; "$@" > "$T/o" 2> "$T/e"; local rc=$?; set -e
	[ "$rc" = "$want" ] || fail "rc $rc (want $want) for $*: $(cat "$T/e")"
	[ "$(wc -l < "$T/e")" -le 1 ] || fail "more than one error line: $(cat "$T/e")"
	grep -q -- "$pat" "$T/e" || fail "stderr lacks '$pat': $(cat "$T/e")"
}
cp "$SA" "$T/keep.sa"
echo notfound > "$T/mode"
expect 1 "unknown subscriber.*(cause USER_NOT_FOUND): no subscriber" -- \
	"$SCS" request "${BSF[@]}" --ue-id x@y --naf-fqdn scs.example.org --sa "$SA"
cmp -s "$SA" "$T/keep.sa" || fail "failed request touched the SA file"
echo html > "$T/mode"
expect 1 "BSF answered 500: BSF internal error.*GBA_ERR_HTTP" -- \
	"$SCS" request "${BSF[@]}" --ue-id x@y --naf-fqdn scs.example.org --sa "$SA"
echo badjson > "$T/mode"
expect 1 "not a JSON object.*GBA_ERR_MALFORMED" -- \
	"$SCS" request "${BSF[@]}" --ue-id x@y --naf-fqdn scs.example.org --sa "$SA"
echo othernaf > "$T/mode"
expect 1 "names another NAF_Id" -- \
	"$SCS" request "${BSF[@]}" --ue-id x@y --naf-fqdn scs.example.org --sa "$SA"
echo ok > "$T/mode"
expect 1 "GBA_ERR_TLS" -- "$SCS" request --bsf "$URL" --cert "$T/scs.crt" \
	--key "$T/scs.key" --ca "$T/rogue.crt" --ue-id x@y --naf-fqdn scs.example.org --sa "$SA"
# TLS 1.3: the rejection alert races with the request (TLS or a reset)
expect 1 "client certificate" -- "$SCS" request --bsf "$URL" --cert "$T/evil.crt" \
	--key "$T/evil.key" --ca "$T/ca.crt" --ue-id x@y --naf-fqdn scs.example.org --sa "$SA"
cmp -s "$SA" "$T/keep.sa" || fail "failed requests touched the SA file"
pass "404 ProblemDetails, HTML 500, bad JSON, foreign GPI, wrong CA, untrusted client cert: exit 1, one line"

# 503 + Retry-After (the BSF issued nothing): sent again after the wait,
# --retries times at most; a Retry-After over 30 s is not waited out
rm -f "$T/count"; echo busy1 > "$T/mode"
"$SCS" request "${BSF[@]}" --ue-id x@y --naf-fqdn scs.example.org --sa "$SA" > "$T/o" 2> "$T/e" ||
	fail "503 + Retry-After 1 then 200: $(cat "$T/e")"
[ "$(cat "$T/count")" = 2 ] || fail "503 then 200: $(cat "$T/count") requests, want 2"
rm -f "$T/count"; echo busy5 > "$T/mode"
expect 1 "BSF answered 503.*sent 1 more time after Retry-After 1 s" -- \
	"$SCS" request "${BSF[@]}" --retries 1 --ue-id x@y --naf-fqdn scs.example.org --sa "$SA"
[ "$(cat "$T/count")" = 2 ] || fail "--retries 1: $(cat "$T/count") requests, want 2"
rm -f "$T/count"; echo busylong > "$T/mode"
expect 1 "BSF answered 503" -- \
	"$SCS" request "${BSF[@]}" --ue-id x@y --naf-fqdn scs.example.org --sa "$SA"
[ "$(cat "$T/count")" = 1 ] || fail "Retry-After 3600: $(cat "$T/count") requests, want 1"
rm -f "$T/count"; echo busy1 > "$T/mode"
expect 1 "BSF answered 503" -- \
	"$SCS" request "${BSF[@]}" --retries 0 --ue-id x@y --naf-fqdn scs.example.org --sa "$SA"
[ "$(cat "$T/count")" = 1 ] || fail "--retries 0: $(cat "$T/count") requests, want 1"
echo ok > "$T/mode"
pass "503 + Retry-After: sent again after the wait (at most --retries times, Retry-After <= 30 s)"

expect 2 "missing --sa" -- "$SCS" request "${BSF[@]}" --ue-id x --naf-fqdn n
expect 2 "unknown option --nope" -- "$SCS" push --nope
expect 2 "needs a value" -- "$SCS" trigger --sa "$SA" --port
expect 2 "port must be" -- "$SCS" trigger --sa "$SA" --payload 01 --port 0
expect 2 "payload wants hex" -- "$SCS" trigger --sa "$SA" --payload 0g --port 1
expect 2 "ue-id-type must be" -- "$SCS" request "${BSF[@]}" --ue-id x --naf-fqdn n --ue-id-type foo --sa "$SA"
expect 2 "unknown command" -- "$SCS" frobnicate
chmod 644 "$SA"
expect 1 "chmod 600" -- "$SCS" push --sa "$SA" --msisdn +1
expect 1 "run 'gba-scs request'" -- "$SCS" push --sa "$T/none.sa" --msisdn +1
for c in request push trigger resync show; do
	"$SCS" $c --help | grep -q "^usage: gba-scs $c" || fail "$c --help"
done
pass "usage errors exit 2; unsafe or missing SA files refused; --help for each command"
echo "scs_request: all checks passed"
