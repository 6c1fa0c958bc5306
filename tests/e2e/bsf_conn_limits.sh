#!/usr/bin/env bash
# gba-bsf connection handling: [limits] max_connections and
# per_ip_connections are enforced on accept (a socket over a limit is
# closed before any TLS), and connections are spread over the worker
# threads (least-connections dispatch, docs/bsf.md "Threads").
source "$(dirname "$0")/lib/bsf.bash"
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
ok "max_connections = 6: 7th closed on accept; gauges back to 0; served again"
stop_bsf
ok "all"
