#!/usr/bin/env bash
# E2E, issue 11 part 1: a USIM more than Delta behind the BSF recovers in
# ONE resync (TS 33.102 6.3.5, Annex C).  The subscriber is provisioned
# with SQN SEQ 2^28 + 1000 while the software USIM is at SQN 0: the first
# GPI fails the USIM's Delta check (AUTS); `gba-scs resync` makes the BSF
# move SEQ_HE DOWN to SEQ_MS = 0, so the fresh GPI carries SEQ 1 in the
# BSF's IND slot 4 and is accepted, and so are the next ones, also after a
# restart of gba-bsf (the lowering is durable).  Before that: a gba-bsf
# that fails to start (its port taken) and one that starts and stops
# without issuing an AV leave the store's run counter alone (no SEQ
# window consumed).
set -euo pipefail
. "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/lib/e2e.bash"
e2e_init
e2e_pki
SEQ0=$(( (1 << 28) + 1000 ))
e2e_store --sqn $(( SEQ0 << 5 ))
run_ctr() {
	python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT value FROM meta WHERE key = ?", ("hss_run",)).fetchone()[0])' "$DB"
}

# --- a start that fails before serving consumes no window ---------------
r0=$(run_ctr)
port=$(e2e_free_port)
python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(1); print("up", flush=True); time.sleep(60)' "$port" > "$T/holder" &
E2E_PIDS+=("$!")
for _ in $(seq 100); do grep -q up "$T/holder" && break; sleep 0.05; done
cat > "$T/busy.ini" <<INI
[server]
listen = 127.0.0.1
port = $port
[tls]
cert = $PKI/server.pem
key = $PKI/server.key
ca = $PKI/ca.pem
[admin]
enabled = false
[store]
path = $DB
[log]
file = $T/busy.log
INI
e2e_run timeout 20 "$BSF" -c "$T/busy.ini"
[ "$RC" != 0 ] && [ "$RC" != 124 ] || e2e_fail "gba-bsf on a taken port: exit $RC"
grep -q "cannot start AuC" "$T/busy.log" && e2e_fail "the AuC did not start: not the case under test"
[ "$(run_ctr)" = "$r0" ] || e2e_fail "failed start moved the run counter: $r0 -> $(run_ctr)"
e2e_bsf_start
e2e_bsf_stop
[ "$(run_ctr)" = "$r0" ] || e2e_fail "a start without any AV moved the run counter: $r0 -> $(run_ctr)"
echo "ok: failed start (port taken, exit $RC) and a start without AVs leave hss_run at $r0"

# --- USIM at 0, BSF beyond Delta: one AUTS round trip -------------------
e2e_bsf_start
e2e_bsf_opts
e2e_ue_init "$T/ue"
SA=$T/r.sa
req() { e2e_request "$SA" --lifetime 3600; }
deliver() { e2e_deliver "$SA" "$T/ue"; }
sqn_ms() { "$UE" --state "$T/ue" show | sed -n 's/^sqn_ms=//p'; }

req
deliver
grep -q "^AUTS " "$T/out" || e2e_fail "first GPI (SEQ above 2^28 + 1000) not refused by the USIM at 0: $(cat "$T/out")"
AUTS=$(sed -n 's/.* auts=\([0-9a-f]*\).*/\1/p' "$T/out")
[ "$(sqn_ms)" = 0 ] || e2e_fail "USIM moved on a sync failure"
echo "ok: USIM at SQN 0 refuses the GPI (Delta), AUTS"

"$SCS" resync "${BSFOPTS[@]}" --sa "$SA" --auts "$AUTS" > "$T/req" || e2e_fail "resync: $(cat "$T/req")"
deliver
grep -q "^GPI_ACCEPTED" "$T/out" || e2e_fail "GPI after ONE resync refused: $(cat "$T/out")"
# SEQ_HE lowered to SEQ_MS = 0: the resync's AV is SEQ 1 || IND 4
[ "$(sqn_ms)" = $(( (1 << 5) | 4 )) ] || e2e_fail "SQN after resync $(sqn_ms), want SEQ 1 IND 4 = 36"
echo "ok: one gba-scs resync -> GPI with SQN 36 (SEQ 1, IND 4) accepted"

for i in 2 3; do
	req
	deliver
	grep -q "^GPI_ACCEPTED" "$T/out" || e2e_fail "GPI $i after the resync: $(cat "$T/out")"
done
[ "$(sqn_ms)" = $(( (3 << 5) | 4 )) ] || e2e_fail "SQN_MS $(sqn_ms), want SEQ 3"
echo "ok: the next GPIs need no further resync (SEQ 2, 3)"

e2e_bsf_stop
e2e_bsf_start
e2e_bsf_opts
req
deliver
grep -q "^GPI_ACCEPTED" "$T/out" || e2e_fail "GPI after restart: $(cat "$T/out")"
s=$(sqn_ms)
[ $(( s >> 5 )) -gt 3 ] && [ $(( s >> 5 )) -le $(( 3 + 2 * 256 )) ] || e2e_fail "SQN after restart $s: not just above SEQ 3"
echo "ok: after a restart the GPI is accepted (SQN $s: lowering was durable)"
e2e_bsf_stop
echo "flow_resync_delta: all checks passed"
