#!/usr/bin/env bash
# E2E, an HSS that stops answering (gba-hss frozen with SIGSTOP, the TCP
# connection still up) under gba-bsf [hss] mode = zh with ONE worker:
#  - 8 requests at once all get 503 + Retry-After at about the MAR
#    timeout (1 s), together: the worker does not wait for the HSS, it
#    keeps every MAR in flight (docs/diameter.md).  A worker that waited
#    would answer them one after the other: 8 s and more;
#  - the HSS back (SIGCONT): GPIs again;
#  - SIGTERM with MARs out (a 60 s MAR timeout, HSS frozen again): the
#    drain (2 s) ends, freeDiameter stops (it waits its compiled-in DPR
#    timeout, 15 s, for the frozen peer's DPA), the MARs still out are
#    answered 503 (bsf_zh_client_cancel()) and gba-bsf exits 0, long
#    before the MAR timeout.
set -euo pipefail
. "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/lib/e2e.bash"
. "$SRC_DIR/tests/e2e/lib/diam.bash"
E2E_BSF_THREADS=1
diam_zh_up 0
SA=$T/zh.sa
diam_req_ok "$SA" --lifetime 3600
HSS=$HSS_PID_1
# (on failure e2e_cleanup continues the frozen HSS before stopping it)
thaw() { kill -CONT "$HSS"; }

# req N: one request in the background, rc in $T/rc.N
req() {
	( set +e
	  "$SCS" request "${BSFOPTS[@]}" --ue-id "$IMPI" --naf-fqdn "$NAF_FQDN" \
		--retries 0 --timeout 45000 --sa "$T/s.$1" > "$T/o.$1" 2> "$T/e.$1"
	  echo $? > "$T/rc.$1" ) &
	REQS+=("$!")
}
REQS=()

kill -STOP "$HSS"
t0=$(date +%s%N)
for n in 1 2 3 4 5 6 7 8; do req "$n"; done
wait "${REQS[@]}"
REQS=()
dt=$(( ($(date +%s%N) - t0) / 1000000 ))
for n in 1 2 3 4 5 6 7 8; do
	[ "$(cat "$T/rc.$n")" = 1 ] && grep -q "503" "$T/e.$n" ||
		e2e_fail "request $n with the HSS frozen: rc $(cat "$T/rc.$n"): $(cat "$T/e.$n")"
done
[ "$(grep -c 'status=503' "$BSF_LOG")" -ge 8 ] || e2e_fail "BSF log: fewer than 8 503s"
echo "8 requests, HSS frozen, one worker: all 503 in $dt ms"
# one after the other they would take 8 x 1 s at least
[ "$dt" -lt 6000 ] || e2e_fail "the 8 MARs were not in flight together: $dt ms"
echo "ok: a frozen HSS holds no worker: 8 requests on one worker timed out together"

thaw
diam_req_ok "$SA" --lifetime 3600
echo "ok: HSS back, GPI issued"

# SIGTERM with MARs out
e2e_bsf_stop
# (the body timeout above the MAR timeout: docs/bsf.md [limits])
E2E_BSF_INI_EXTRA="[diameter]
conf = $T/bsf.fd
[hss]
mode = zh
realm = $DIAM_REALM
timeout_ms = 60000
[limits]
body_timeout = 90"
e2e_bsf_start
e2e_bsf_opts
diam_req_ok "$SA" --lifetime 3600
kill -STOP "$HSS"
for n in 11 12 13 14; do req "$n"; done
# the four requests in progress, their MARs out (the frozen HSS's receive
# buffer takes them)
for i in $(seq 200); do
	n=$(curl -fs --max-time 2 "$ADMIN/metrics" | sed -n 's/^gba_bsf_inflight_requests //p')
	[ "${n:-0}" -ge 4 ] && break
	sleep 0.05
done
[ "${n:-0}" -ge 4 ] || e2e_fail "the 4 requests did not reach gba-bsf: in flight ${n:-?}"
sleep 0.2
t0=$(date +%s%N)
kill -TERM "$BSF_PID"
set +e
wait "$BSF_PID"
brc=$?
set -e
BSF_PID=""
dt=$(( ($(date +%s%N) - t0) / 1000000 ))
wait "${REQS[@]}"
[ "$brc" = 0 ] || e2e_fail "gba-bsf exit status $brc after SIGTERM with MARs out"
for n in 11 12 13 14; do
	[ "$(cat "$T/rc.$n")" = 1 ] && grep -q "503" "$T/e.$n" ||
		e2e_fail "request $n: rc $(cat "$T/rc.$n"): $(cat "$T/e.$n")"
done
grep -q 'msg="stopped"' "$BSF_LOG" || e2e_fail "no stop line"
echo "SIGTERM with 4 MARs out: gba-bsf exited 0 in $dt ms (MAR timeout 60 s)"
[ "$dt" -lt 40000 ] || e2e_fail "shutdown waited for the MAR timeout: $dt ms"
echo "ok: SIGTERM with MARs out: answered, exit 0 before the MAR timeout"
thaw
