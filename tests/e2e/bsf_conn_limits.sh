#!/usr/bin/env bash
# gba-bsf connection handling: [limits] per_ip_connections is enforced
# on accept (a socket over it is closed before any TLS), max_connections
# right after the handshake (conn_guard.h), and connections are spread over the worker
# threads (least-connections dispatch, docs/bsf.md "Threads"); with
# [server] cpu_affinity each worker thread is bound to its own CPU and every
# other thread keeps the process's CPU set.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init
PY="python3 $(dirname "$0")/lib/tlsclient.py"

metric() { curl -fs "$ADMIN/metrics" | sed -n "s/^$1 //p"; }

# hold N connections with a started request; wait until all are in
hold() {
	local n=$1 i j
	HOLD=()
	for i in $(seq 1 "$n"); do
		rm -f "$T/mark$i"
		$PY "$PORT" "$T/pki" scs1 slowloris 20 "$T/mark$i" >"$T/hold$i" 2>&1 &
		HOLD+=($!)
	done
	for i in $(seq 1 "$n"); do
		for j in $(seq 1 200); do [ -e "$T/mark$i" ] && break; sleep 0.05; done
		[ -e "$T/mark$i" ] || fail "holder $i did not connect: $(cat "$T/hold$i")"
	done
}
# "unbound" when every thread of gba-bsf has the process's CPU set, else
# "bound" and the CPU of each bound thread in thread order; fails if a
# thread is bound to more than one CPU but not the whole set
affinity() {
	python3 - "$BSF_PID" <<'PY'
import os, sys
pid = sys.argv[1]
def cpus(tid):
    return sorted(os.sched_getaffinity(int(tid)))
whole = cpus(pid)
bound = []
for tid in sorted(os.listdir("/proc/%s/task" % pid), key=int):
    c = cpus(tid)
    if c == whole:
        continue
    if len(c) != 1:
        print("thread %s on %s of %s" % (tid, c, whole)); sys.exit(0)
    bound.append(str(c[0]))
print("bound " + " ".join(bound) if bound else "unbound")
PY
}
release() { kill "${HOLD[@]}" 2>/dev/null || true; wait "${HOLD[@]}" 2>/dev/null || true; }

setup_pki_store
good=$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME)

# 1. per_ip_connections
write_config "[limits]
per_ip_connections = 3
max_connections = 64"
start_bsf
hold 3
st=$(nbsp scs1 "$good" || true)
[ "$st" = 000 ] || fail "4th connection from one address: status $st, want refused (000)"
[ "$(metric gba_bsf_connections_refused_total)" -ge 1 ] || fail "refusal not counted"
release
for j in $(seq 1 100); do
	st=$(nbsp scs1 "$good" || true)
	[ "$st" = 200 ] && break
	sleep 0.05
done
[ "$st" = 200 ] || fail "after the holders closed: status $st"
ok "per_ip_connections = 3: 4th connection closed on accept, counted; served again once they closed"
stop_bsf

# 2. max_connections, and the spread over workers
write_config "[limits]
max_connections = 6"
start_bsf
hold 6
w0=$(metric 'gba_bsf_worker_connections{worker="0"}')
w1=$(metric 'gba_bsf_worker_connections{worker="1"}')
[ "$w0" = 3 ] && [ "$w1" = 3 ] || fail "6 connections on 2 workers: $w0 + $w1, want 3 + 3"
ok "6 connections spread 3 + 3 over the 2 worker threads"
st=$(nbsp scs1 "$good" || true)
[ "$st" = 000 ] || fail "7th connection: status $st, want refused (000)"
release
for j in $(seq 1 100); do
	w0=$(metric 'gba_bsf_worker_connections{worker="0"}')
	w1=$(metric 'gba_bsf_worker_connections{worker="1"}')
	[ "$w0" = 0 ] && [ "$w1" = 0 ] && break
	sleep 0.05
done
[ "$w0" = 0 ] && [ "$w1" = 0 ] || fail "connection gauges after close: $w0 + $w1"
st=$(nbsp scs1 "$good" || true)
[ "$st" = 200 ] || fail "after the holders closed: status $st"
ok "max_connections = 6: 7th closed (right after its handshake); gauges back to 0; served again"
# default cpu_affinity = false: no thread is bound
[ "$(affinity)" = "unbound" ] || fail "cpu_affinity off: $(affinity)"
ok "cpu_affinity off (default): every thread keeps the process's CPU set"
stop_bsf

# 3. cpu_affinity: worker i on the i-th allowed CPU (mod the count), the
# acceptor, admin and store threads on the whole set
write_config "[server]
cpu_affinity = true"
start_bsf
# (on a machine with one CPU, binding to it changes nothing)
want=$(python3 -c 'import os; c = sorted(os.sched_getaffinity(0)); print("bound " + " ".join(str(c[i % len(c)]) for i in range(2)) if len(c) > 1 else "unbound")')
[ "$(affinity)" = "$want" ] || fail "cpu_affinity on, 2 workers: $(affinity), want $want"
st=$(nbsp scs1 "$good" || true)
[ "$st" = 200 ] || fail "cpu_affinity on: status $st"
ok "cpu_affinity = true: workers $want (CPU per worker), the other threads not; served"
stop_bsf
ok "all"
