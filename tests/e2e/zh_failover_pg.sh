#!/usr/bin/env bash
# E2E, a second HSS peer takes over (ctest label pg): two gba-hss on ONE
# PostgreSQL store (tests/e2e/lib/pg.bash; an SQLite store cannot be
# shared), both ConnectPeer of gba-bsf ([hss] mode = zh, MARs routed by
# realm, no Destination-Host).  hss1 serves GPIs; hss2 joins; hss1 is
# killed (SIGKILL); the next GPIs (after 503s while the loss is noticed,
# if any) are served by hss2, and the UE (gba-ue's own SQN check) accepts
# every one: the SQN windows of the two AuCs on the shared store do not
# overlap (docs/hss-store.md section 4), no SQN is reused.
set -euo pipefail
. "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/lib/e2e.bash"
. "$SRC_DIR/tests/e2e/lib/diam.bash"
. "$SRC_DIR/tests/e2e/lib/pg.bash"
e2e_init
trap 'rc=$?; pg_stop; (exit $rc); e2e_cleanup' EXIT
[ -x "$BUILD_DIR/bsf/gba-hss" ] || e2e_fail "gba-hss not built"
pg_start || e2e_fail "pg_start"
e2e_pki
# the HSS store on PostgreSQL: the real K; the BSF's (SQLite): a wrong K
"$BSFCTL" --db "$PG_URI" init >/dev/null || e2e_fail "init pg"
"$BSFCTL" --db "$PG_URI" subscriber add --impi "$IMPI" --k "$K" --opc "$OPC" >/dev/null ||
	e2e_fail "subscriber on pg"
K=00000000000000000000000000000001 e2e_store
diam_pki
PB=$(diam_free_port)
P1=$(diam_free_port)
P2=$(diam_free_port)
[ "$PB" != "$P1" ] && [ "$PB" != "$P2" ] && [ "$P1" != "$P2" ] || e2e_fail "port clash, rerun"
diam_conf "$T/bsf.fd" bsf.test "$PB" 0 "hss1.test:$P1" "hss2.test:$P2"
diam_conf "$T/hss1.fd" hss1.test "$P1" 0 "bsf.test:$PB"
diam_conf "$T/hss2.fd" hss2.test "$P2" 0 "bsf.test:$PB"
diam_hss_start 1 "$T/hss1.fd" "$PG_URI"
diam_zh_bsf_start 1000
e2e_ue_init "$T/ue"
SA=$T/f.sa
SQNS=()
gpi() {
	diam_req_ok "$SA" --lifetime 3600
	e2e_deliver "$SA" "$T/ue"
	grep -q "^GPI_ACCEPTED" "$T/out" || e2e_fail "$1: GPI not accepted: $(cat "$T/out")"
	SQNS+=("$("$UE" --state "$T/ue" show | sed -n 's/^sqn_ms=//p')")
}
ok1() { grep -c "diameter MAR result=2001" "$T/hss-$1.log" 2>/dev/null || true; }

for i in 1 2 3; do gpi "hss1 ($i)"; done
[ "$(ok1 1)" = 3 ] || e2e_fail "hss1 served $(ok1 1) of 3"
echo "ok: hss1 (PostgreSQL store) served 3 GPIs"

diam_hss_start 2 "$T/hss2.fd" "$PG_URI"
sleep 1.5 # hss2's connection to gba-bsf (TcTimer 1 s)
kill -9 "$HSS_PID_1"
wait "$HSS_PID_1" 2>/dev/null || true
HSS_PID_1=""
for i in 1 2 3; do gpi "hss2 ($i)"; done
[ "$(ok1 2)" = 3 ] || e2e_fail "hss2 served $(ok1 2) of 3 after hss1 died"
prev=-1
for s in "${SQNS[@]}"; do
	[ "$((16#$s))" -gt "$prev" ] || e2e_fail "SQN not increasing: ${SQNS[*]}"
	prev=$((16#$s))
done
echo "ok: hss1 killed, hss2 on the same store took over: 3 GPIs accepted by the UE, sqn_ms ${SQNS[*]}"
e2e_bsf_stop
diam_hss_stop 2
echo "zh_failover_pg: all checks passed"
