#!/usr/bin/env bash
# E2E, Zh faults (gba-bsf [hss] mode = zh, gba-hss over TCP):
#  - gba-hss killed (SIGKILL) under load: every request gets 200 or 503
#    with Retry-After, none hangs, gba-bsf stays up; gba-hss restarted on
#    its store: GPIs again, and the UE (gba-ue's own SQN check, TS 33.102
#    C.2) accepts every one: no SQN reused across the HSS crash;
#  - MAAs with a missing CK or a short SIP-Authenticate (gba-hss-test
#    --fault): a clear 500 to the SCS, its SA file untouched, nothing kept:
#    the next GPI from a sane gba-hss is accepted.
set -euo pipefail
. "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/lib/e2e.bash"
. "$SRC_DIR/tests/e2e/lib/diam.bash"
e2e_init
[ -x "$BUILD_DIR/bsf/gba-hss-test" ] || e2e_fail "gba-hss-test not built"
e2e_pki
DB=$T/hss.db e2e_store
K=00000000000000000000000000000001 e2e_store
diam_zh_start 0 "$T/hss.db" 1000
e2e_ue_init "$T/ue"
SA=$T/zh.sa

# req SA: one request, no client retry; rc in $rc, stderr in $T/req.err
req() {
	set +e
	"$SCS" request "${BSFOPTS[@]}" --ue-id "$IMPI" --naf-fqdn "$NAF_FQDN" \
		--lifetime 3600 --retries 0 --timeout 8000 --sa "$1" > "$T/req" 2> "$T/req.err"
	rc=$?
	set -e
}
# req_ok SA: retried while 503 (a Diameter connection coming up), 10 s
req_ok() {
	local i
	for i in $(seq 50); do
		req "$1"
		[ $rc = 0 ] && return 0
		grep -q 503 "$T/req.err" || e2e_fail "request: $(cat "$T/req.err")"
		sleep 0.2
	done
	e2e_fail "request still failing: $(cat "$T/req.err")"
}
SQNS=()
gpi_accepted() {
	e2e_deliver "$SA" "$T/ue"
	grep -q "^GPI_ACCEPTED" "$T/out" || e2e_fail "$1: GPI not accepted: $(cat "$T/out")"
	SQNS+=("$("$UE" --state "$T/ue" show | sed -n 's/^sqn_ms=//p')")
}

req_ok "$SA"
gpi_accepted "before the crash"
echo "ok: GPI over Zh accepted"

# load: 3 clients x 6 requests while gba-hss is killed
load() {
	local n
	for n in 1 2 3 4 5 6; do
		set +e
		"$SCS" request "${BSFOPTS[@]}" --ue-id "$IMPI" --naf-fqdn "$NAF_FQDN" \
			--retries 0 --timeout 8000 --sa "$T/load$1.sa" > /dev/null 2> "$T/load$1.$n"
		echo "$?" > "$T/load$1.$n.rc"
		set -e
		sleep 0.1
	done
}
load 1 & L1=$!
load 2 & L2=$!
load 3 & L3=$!
sleep 0.2
kill -9 "$HSS_PID_1"
wait "$HSS_PID_1" 2>/dev/null || true
HSS_PID_1=""
T0=$(date +%s)
wait $L1 $L2 $L3
[ $(( $(date +%s) - T0 )) -lt 20 ] || e2e_fail "requests hung after the HSS died"
n503=0
for f in "$T"/load?.?; do
	if [ "$(cat "$f.rc")" != 0 ]; then
		grep -q '503' "$f" || e2e_fail "load request failed otherwise than 503: $(cat "$f")"
		n503=$((n503 + 1))
	fi
done
[ $n503 -gt 0 ] || e2e_fail "no 503 while gba-hss was dead"
req "$SA"
[ $rc != 0 ] && grep -q 503 "$T/req.err" || e2e_fail "HSS away: want 503, got rc $rc: $(cat "$T/req.err")"
# the same over plain curl, to see the header
J='{"ueId":"'$IMPI'","ueIdType":"PRIVATE","uiccAppLabel":"","nafId":{"nafFqdn":"'$NAF_FQDN'","uaSecProtId":"0100000005"},"ptId":"p1","uiccOrMe":"GBA_ME","requestedLifeTime":"2099-01-01T00:00:00Z"}'
curl -sS -D "$T/hdr" -o /dev/null --max-time 8 --cacert "$PKI/ca.pem" --cert "$PKI/scs1.pem" \
	--key "$PKI/scs1.key" -H 'Content-Type: application/json' --data-binary "$J" \
	"$URL/nbsp-gba/v1/push-info-retrieval" || e2e_fail "curl"
grep -q '^HTTP/[0-9.]* 503' "$T/hdr" || e2e_fail "curl: not 503: $(head -1 "$T/hdr")"
grep -qi '^retry-after: [1-9]' "$T/hdr" || e2e_fail "503 without Retry-After: $(cat "$T/hdr")"
kill -0 "$BSF_PID" || e2e_fail "gba-bsf died with the HSS"
curl -fs "$ADMIN/healthz" > /dev/null || e2e_fail "gba-bsf not healthy"
echo "ok: gba-hss killed under load: $n503 requests got 503 (none hung), gba-bsf up"

diam_hss_start 1 "$T/hss1.fd" "$T/hss.db"
for i in 1 2; do
	req_ok "$SA"
	gpi_accepted "after the restart ($i)"
done
echo "ok: gba-hss back on its store: GPIs accepted by the UE (no SQN reused), sqn_ms ${SQNS[*]}"
prev=-1
for s in "${SQNS[@]}"; do
	[ "$((16#$s))" -gt "$prev" ] || e2e_fail "SQN not increasing: ${SQNS[*]}"
	prev=$((16#$s))
done

for f in 1 2; do
	diam_hss_stop 1
	HSS_BIN=$BUILD_DIR/bsf/gba-hss-test diam_hss_start 1 "$T/hss1.fd" "$T/hss.db" --fault $f
	cp "$SA" "$T/keep.sa"
	for i in $(seq 50); do
		req "$SA"
		grep -q 503 "$T/req.err" || break
		sleep 0.2
	done
	[ $rc != 0 ] || e2e_fail "fault $f: request succeeded"
	grep -q '500' "$T/req.err" || e2e_fail "fault $f: want 500, got $(cat "$T/req.err")"
	cmp -s "$SA" "$T/keep.sa" || e2e_fail "fault $f: SA file changed"
done
diam_hss_stop 1
diam_hss_start 1 "$T/hss1.fd" "$T/hss.db"
req_ok "$SA"
gpi_accepted "after the faults"
echo "ok: MAA without CK / with a short SIP-Authenticate -> 500, SA untouched; next GPI accepted"
e2e_bsf_stop
diam_hss_stop 1
echo "zh_faults: all checks passed"
