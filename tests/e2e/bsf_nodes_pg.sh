#!/usr/bin/env bash
# Two gba-bsf nodes on one PostgreSQL store (ctest label pg): a throwaway
# cluster (tests/e2e/lib/pg.bash), nodes A and B with [store] url on it,
# a GPI stream through each at once over the same subscribers; node A is
# killed with SIGKILL five times and restarted while B keeps serving.
# Then: every GPI the clients received is checked, its SQN recovered from
# AUTN by the Python Milenage of tests/uicc/usim_model.py (SQN = AUTN[0..5]
# xor AK, AK = f5(K, RAND); RAND and AUTN taken from the GPI by gbatool
# gpi decode), and no SQN may appear twice for a subscriber; no subscriber
# row lost; pg_amcheck finds the tables and indexes intact.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init
. "$SRC_DIR/tests/e2e/lib/pg.bash"
ROUNDS=${BSF_NODES_ROUNDS:-5}
# ~50 GPIs/s per stream: each GPI is decoded and checked afterwards, and
# the test must stay short in the ASan build too
export STREAM_PAUSE=${STREAM_PAUSE:-0.02}
B_PID=
trap 'rc=$?; [ -n "$B_PID" ] && kill -9 "$B_PID" 2>/dev/null; wait 2>/dev/null; pg_stop; set +e; (exit $rc); e2e_cleanup' EXIT

pg_stream_store 1 2 3 4 5 6
nsubs=$(pg_psql -c 'SELECT count(*) FROM subscriber')

# one configuration per node; the store is the URI ([store] url)
mkconf() { # NAME
	write_pg_config
	sed -i "s|^file = .*|file = $T/$1.log|" "$T/bsf.ini"
	mv "$T/bsf.ini" "$T/$1.ini"
	eval "${1}_PORT=$PORT ${1}_ADMIN=$ADMIN"
}
mkconf A
mkconf B
# no secret in the configuration: a password in the URI is refused
sed "s|^url = postgresql://|url = postgresql://gba:secret@|" "$T/A.ini" >"$T/pw.ini"
"$BSF" --check-config "$T/pw.ini" >"$T/pw.out" 2>&1 && fail "password in [store] url accepted"
grep -q "no password in the URI" "$T/pw.out" || fail "password refusal: $(cat "$T/pw.out")"
"$BSF" --check-config "$T/A.ini" >/dev/null || fail "--check-config on the PostgreSQL store"
start_node() { # NAME -> pid in ${NAME}_PIDV
	local n=$1 admin i pid
	eval "admin=\$${n}_ADMIN"
	"$BSF" -c "$T/$n.ini" >>"$T/$n.stdout" 2>&1 &
	pid=$!
	for i in $(seq 1 100); do
		curl -fs "$admin/healthz" >/dev/null 2>&1 && { eval "${n}_PIDV=$pid"; return 0; }
		kill -0 "$pid" 2>/dev/null || fail "node $n exited at start: $(tail -5 "$T/$n.stdout" "$T/$n.log" 2>/dev/null)"
		sleep 0.05
	done
	fail "node $n not ready"
}

start_node B
B_PID=$B_PIDV
stream_start SB "$B_PORT" "$T/gpisB" "$T/stopB" "${subs[@]}"
for r in $(seq 1 "$ROUNDS"); do
	start_node A
	BSF_PID=$A_PIDV
	stream_start SA "$A_PORT" "$T/gpisA" "$T/stopA" "${subs[@]}"
	kill9_bsf_after 0.5 1.5
	stream_stop "$T/stopA" "$SA"
	echo "round $r: A $(wc -l <"$T/gpisA" 2>/dev/null || echo 0) GPIs, B $(wc -l <"$T/gpisB" 2>/dev/null || echo 0) GPIs so far"
done
stream_stop "$T/stopB" "$SB"
kill -0 "$B_PID" 2>/dev/null || fail "node B died"
kill -TERM "$B_PID"; wait "$B_PID" || fail "node B: unclean stop"
B_PID=

na=$(wc -l <"$T/gpisA" 2>/dev/null || echo 0); nb=$(wc -l <"$T/gpisB" 2>/dev/null || echo 0)
[ "$na" -gt 0 ] || { tail -n 5 "$T/A.log" "$T/B.log" "$T/A.stdout" >&2; }
[ "$na" -ge "$ROUNDS" ] && [ "$nb" -ge 10 ] || fail "too few GPIs: A $na, B $nb"
cat "$T/gpisA" "$T/gpisB" >"$T/gpis"
# RAND and AUTN of each GPI (decoding only), SQN by the Python Milenage
sqns_oracle "$T/gpis" "$T/sqns"
total=$(wc -l <"$T/sqns")
[ "$total" -eq $((na + nb)) ] || fail "SQNs $total for $((na + nb)) GPIs"
no_sqn_twice "$T/sqns"
ok "$total GPIs (A $na over $ROUNDS SIGKILLs, B $nb): no SQN repeated for any of ${#subs[@]} subscribers"

after=$(pg_psql -c 'SELECT count(*) FROM subscriber')
[ "$after" = "$nsubs" ] || fail "subscriber rows: $nsubs before, $after after"
[ "$(pg_psql -c 'SELECT count(*) FROM sqn q JOIN subscriber s ON s.id = q.sub_id WHERE q.hwm >= q.seq_floor')" = "$nsubs" ] ||
	fail "sqn rows inconsistent"
pg_psql -c 'CREATE EXTENSION IF NOT EXISTS amcheck' >/dev/null
"$PG_BIN/pg_amcheck" -h "$PG_SOCK" -U gba -d gba --heapallindexed >"$T/amcheck" 2>&1 ||
	fail "pg_amcheck: $(head -5 "$T/amcheck")"
ok "no subscriber row lost ($after), pg_amcheck clean"
