#!/usr/bin/env bash
# bsf_bench.sh - gba-bsf throughput and latency (bench/README.md).
#   bench/bsf_bench.sh BUILD_DIR [SUBSCRIBERS=1000] [CONNS=32] [SECONDS=10]
# Makes a demo PKI and a store of SUBSCRIBERS with "gba-bsfctl gen", starts
# gba-bsf (2 threads, per-request log line to a file, rate limit off),
# then runs bsf-load: closed loop (max GPI/s), and open loop at half that
# rate (p99 at half load).  Everything on 127.0.0.1; the load generator
# shares the machine's cores with the daemon, so both CPU costs per request
# are printed (daemon from /proc, generator from its own --cpu line).
set -euo pipefail
B=${1:?usage: bsf_bench.sh BUILD_DIR [SUBS] [CONNS] [SECONDS]}
SUBS=${2:-1000}
CONNS=${3:-32}
SECS=${4:-10}
SRC=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d /tmp/bsf-bench.XXXXXX)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT

"$SRC/scripts/demo-pki" "$T/pki" scs1 >/dev/null
ctl() { "$B/bsf/gba-bsfctl" --db "$T/store.db" "$@"; }
ctl init >/dev/null
ctl naf add --name scs1 --cert-id scs1.scs.example --naf naf1.example.com:0100000002 >/dev/null
/usr/bin/time -f "gen: %e s" "$B/bsf/gba-bsfctl" --db "$T/store.db" gen --count "$SUBS" --naf scs1 >/dev/null
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
P=$(port); A=$(port)
cat >"$T/bsf.ini" <<INI
[server]
listen = 127.0.0.1
port = $P
threads = 2
[tls]
cert = $T/pki/server.pem
key = $T/pki/server.key
ca = $T/pki/ca.pem
[admin]
port = $A
[store]
path = $T/store.db
[limits]
rate = 0
max_connections = 1024
[log]
file = $T/bsf.log
INI
"$B/bsf/gba-bsf" -c "$T/bsf.ini" &
PID=$!
for i in $(seq 1 100); do curl -fs "http://127.0.0.1:$A/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
L=("$B/bench/bsf-load" --url "https://127.0.0.1:$P/nbsp-gba/v1/push-info-retrieval"
	--ca "$T/pki/ca.pem" --cert "$T/pki/scs1.pem" --key "$T/pki/scs1.key"
	--subs "$SUBS" --conns "$CONNS" --cpu)
# daemon CPU (user+sys clock ticks) from /proc, to give CPU time per GPI
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
HZ=$(getconf CLK_TCK)
echo "== $SUBS subscribers, closed loop, $CONNS connections, ${SECS}s"
c0=$(cpu); w0=$(date +%s.%N)
out=$("${L[@]}" --duration "$SECS" --warmup 2)
c1=$(cpu); w1=$(date +%s.%N)
echo "$out"
sent=$(echo "$out" | sed -n 's/.* sent=\([0-9]*\).*/\1/p')
gen=$(echo "$out" | sed -n 's/.*loadgen_cpu_us_per_request=\([0-9.]*\).*/\1/p')
python3 -c 'import sys; c=(float(sys.argv[2])-float(sys.argv[1]))/float(sys.argv[3]); w=float(sys.argv[5])-float(sys.argv[4]); n=int(sys.argv[6]); print("daemon_cpu_s=%.2f of %.2f s wall (%.0f%% of one core); cpu_us_per_request=%.1f; projection for 2 dedicated cores: %.0f GPI/s" % (c, w, 100*c/w, 1e6*c/n, 2*n/c)); print("load generator: %s us CPU per request (same 2 cores)" % sys.argv[7])' "$c0" "$c1" "$HZ" "$w0" "$w1" "$sent" "${gen:-?}"
max=$(echo "$out" | sed -n 's/^gpi_per_s=\([0-9]*\).*/\1/p')
half=$((max / 2))
echo "== open loop at half of that: $half/s"
"${L[@]}" --duration "$SECS" --warmup 1 --rate "$half"
echo "== daemon: $(grep -c 'sub=req' "$T/bsf.log") request lines logged"
