#!/usr/bin/env bash
# Crash safety of the SQN: a stream of GPI requests, gba-bsf killed with
# SIGKILL at random moments several times and restarted; across every GPI
# the client received, no SQN repeats for any subscriber (SQN recovered
# from each GPI with gbatool: SQN = AUTN[0..5] xor AK, AK = f5(K, RAND)),
# and no subscriber row is lost.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init
ROUNDS=${BSF_CRASH_ROUNDS:-4}

setup_pki_store
ctl() { "$BSFCTL" --db "$DB" "$@"; }
subs=("$IMPI1" "$IMPI2")
add_stream_subs 3 4 5 6
ctl assoc add scs1 "$IMPI2" >/dev/null
nsubs=$(ctl subscriber list | grep -c '@')
write_config "[limits]
rate = 0
[store]
ue_rate = 0"

for r in $(seq 1 "$ROUNDS"); do
	start_bsf
	stream_start SP "$PORT" "$T/gpis" "$T/stop" "${subs[@]}"
	# random moment between 0.3 and 1.5 s into the stream
	kill9_bsf_after 0.3 1.5
	stream_stop "$T/stop" "$SP"
	echo "round $r: $(wc -l <"$T/gpis") GPIs so far"
done
# the store is still good after the last kill: restart and serve once more
start_bsf
st=$(nbsp scs1 "$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME)")
[ "$st" = 200 ] || fail "after the last SIGKILL: $st"
echo "$IMPI1 $(jget gbaPushInfo)" >>"$T/gpis"
stop_bsf || fail "clean stop after the crash rounds"

total=$(wc -l <"$T/gpis")
[ "$total" -ge $((ROUNDS * 2)) ] || fail "only $total GPIs issued; the stream did not run"
# SQN per GPI, independently: gbatool gpi decode + gbatool milenage f5
: >"$T/sqns"
while read -r impi gpi; do
	echo "$impi $(sqn_of "$gpi")" >>"$T/sqns"
done <"$T/gpis"
no_sqn_twice "$T/sqns"
ok "$total GPIs over $ROUNDS SIGKILLs: no SQN repeated for any of ${#subs[@]} subscribers"

# SQNs of one subscriber strictly increase in issue order (in our IND)
python3 - "$T/sqns" <<'PY' || fail "SQN not increasing in issue order"
import sys
last = {}
for line in open(sys.argv[1]):
    impi, sqn = line.split()
    sqn = int(sqn)
    if impi in last and sqn <= last[impi]:
        sys.exit(1)
    last[impi] = sqn
PY
ok "per subscriber, SQNs strictly increase across restarts"

after=$(ctl subscriber list | grep -c '@')
[ "$after" -eq "$nsubs" ] || fail "subscriber rows: $nsubs before, $after after"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute("PRAGMA integrity_check").fetchone()[0]; sys.exit(0 if r=="ok" else 1)' "$DB" || fail "store integrity_check"
ok "no subscriber row lost ($after), SQLite integrity_check ok"
