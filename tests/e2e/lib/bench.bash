# bench.bash - what the gba-bsf benchmarks bench/bsf_bench.sh,
# bench/bsf_pg_bench.sh and bench/zh_bench.sh share (sourced, not a test;
# bench/README.md).
#
#   bench_defaults NAME=VALUE...
#                               each NAME the environment leaves unset or
#                               empty gets VALUE (a script's settings)
#   declare -A PID              the daemons started, by key
#   bench_port                  a free TCP port on 127.0.0.1
#   bench_kv NAME               NAME=<number> of bsf-load output on stdin
#   bench_bsf KEY PORT APORT THREADS AFFINITY STORE-LINE
#                               write $T/bsf-KEY.ini (PKI in $T/pki, log
#                               $T/bsf-KEY.log, rate limits off), start
#                               $B/bsf/gba-bsf with it (PID[KEY]), wait
#                               for its /healthz; exit 1 if it does not
#                               come up
#   bench_stop                  stop every daemon of PID (SIGTERM, wait)
# Needs $B (the build directory) and $T (a private temporary directory).

bench_defaults() {
	local kv name
	for kv in "$@"; do
		name=${kv%%=*}
		[ -n "${!name:-}" ] || printf -v "$name" '%s' "${kv#*=}"
	done
}

bench_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

bench_kv() { sed -n "s/\(^\|.* \)$1=\([0-9.]*\).*/\2/p" | head -1; }

bench_stop() {
	local k
	for k in "${!PID[@]}"; do
		kill "${PID[$k]}" 2>/dev/null || true
		wait "${PID[$k]}" 2>/dev/null || true
		unset "PID[$k]"
	done
}

bench_bsf() {
	local k=$1 port=$2 aport=$3 threads=$4 affinity=$5 store=$6
	cat >"$T/bsf-$k.ini" <<INI
[server]
listen = 127.0.0.1
port = $port
threads = $threads
cpu_affinity = $affinity
[tls]
cert = $T/pki/server.pem
key = $T/pki/server.key
ca = $T/pki/ca.pem
[admin]
port = $aport
[store]
$store
ue_rate = 0
[limits]
rate = 0
max_connections = 1024
[log]
file = $T/bsf-$k.log
INI
	"$B/bsf/gba-bsf" -c "$T/bsf-$k.ini" >>"$T/bsf-$k.stdout" 2>&1 &
	PID[$k]=$!
	for _ in $(seq 1 100); do
		curl -fs "http://127.0.0.1:$aport/healthz" >/dev/null 2>&1 && return 0
		kill -0 "${PID[$k]}" 2>/dev/null || break
		sleep 0.1
	done
	echo "gba-bsf $k did not start: $(tail -3 "$T/bsf-$k.stdout" "$T/bsf-$k.log" 2>/dev/null)" >&2
	exit 1
}
