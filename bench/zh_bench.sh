#!/usr/bin/env bash
# zh_bench.sh - gba-bsf in [hss] mode = zh (AVs from gba-hss over Diameter
# MAR/MAA, TS 29.109 Zh) against embedded mode: GPI/s and the BSF's CPU
# time per GPI, in one run on this machine, gba-hss on the same host
# (bench/README.md "Zh against embedded").  Target of issue 13: zh mode
# costs the BSF at most 1.3x embedded mode's CPU per GPI.
#
#   bench/zh_bench.sh BUILD_DIR
#
# Environment: SUBS (1000), CONNS (16), SECS (8 per measurement), REPS (5
# rounds; each round measures both modes, the order alternating), THREADS
# (2 daemon workers).
# One demo PKI, one store made by "gba-bsfctl gen" and copied three ways
# (embedded gba-bsf, zh gba-bsf, gba-hss: the zh BSF never reads the keys
# of its copy), two gba-bsf and one gba-hss running throughout; only one
# BSF is loaded at a time (closed loop, bsf-load, every answer checked).
# CPU per GPI = (utime + stime of the process over the measurement) /
# requests sent, warm-up second included for both modes alike.
set -euo pipefail
B=${1:?usage: zh_bench.sh BUILD_DIR}
case $B in /*) ;; *) B=$PWD/$B ;; esac
SRC=$(cd "$(dirname "$0")/.." && pwd)
. "$SRC/tests/e2e/lib/bench.bash"
bench_defaults SUBS=1000 CONNS=16 SECS=8 REPS=5 THREADS=2
SRC_DIR=$SRC
BUILD_DIR=$B
E2E_PIDS=()
e2e_fail() { echo "zh_bench: $*" >&2; exit 1; }
. "$SRC/tests/e2e/lib/diam.bash"
T=$(mktemp -d /tmp/zh-bench.XXXXXX)
declare -A PID
trap 'bench_stop; for p in "${E2E_PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

"$SRC/scripts/demo-pki" "$T/pki" scs1 >/dev/null
DB=$T/emb.db
"$B/bsf/gba-bsfctl" --db "$DB" init >/dev/null
"$B/bsf/gba-bsfctl" --db "$DB" naf add --name scs1 --cert-id scs1.scs.example \
	--naf naf1.example.com:0100000002 >/dev/null
"$B/bsf/gba-bsfctl" --db "$DB" gen --count "$SUBS" --naf scs1 >/dev/null
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA wal_checkpoint(TRUNCATE)")' "$DB"
cp "$DB" "$T/zh.db"
cp "$DB" "$T/hss.db"

diam_pki
PB=$(diam_free_port)
PH=$(diam_free_port)
[ "$PB" != "$PH" ] || e2e_fail "port clash, rerun"
diam_conf "$T/bsf.fd" bsf.test "$PB" 0 "hss1.test:$PH"
diam_conf "$T/hss1.fd" hss1.test "$PH" 0 "bsf.test:$PB"
diam_hss_start 1 "$T/hss1.fd" "$T/hss.db"
sed -i 's/^level = info/level = notice/' "$T/hss-1.ini"

declare -A PORT
for m in emb zh; do
	PORT[$m]=$(bench_port)
	store="path = $T/$m.db"
	[ $m = emb ] || store="path = $T/zh.db
[diameter]
conf = $T/bsf.fd
[hss]
mode = zh
realm = $DIAM_REALM
[store]"
	bench_bsf "$m" "${PORT[$m]}" "$(bench_port)" "$THREADS" false "$store"
done
HZ=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
load() { # MODE SECS
	"$B/bench/bsf-load" --url "https://127.0.0.1:${PORT[$1]}/nbsp-gba/v1/push-info-retrieval" \
		--ca "$T/pki/ca.pem" --cert "$T/pki/scs1.pem" --key "$T/pki/scs1.key" \
		--subs "$SUBS" --conns "$CONNS" --duration "$2" --warmup 1
}
# the zh BSF's Diameter connection, then warm-up of both
for i in $(seq 50); do
	load zh 1 > "$T/w" 2>&1 && grep -q 'errors=0' "$T/w" && break
	sleep 0.3
done
load emb 2 > /dev/null
load zh 2 > /dev/null

echo "# zh_bench $(date -u +%FT%TZ) on $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# SUBS=$SUBS CONNS=$CONNS SECS=$SECS REPS=$REPS THREADS=$THREADS"
printf '%-6s %-4s %10s %14s %14s\n' round mode gpi_per_s bsf_cpu_us hss_cpu_us
for r in $(seq "$REPS"); do
	order="emb zh"
	[ $((r % 2)) = 0 ] && order="zh emb"
	for m in $order; do
		c0=$(cpu "${PID[$m]}")
		h0=$(cpu "$HSS_PID_1")
		out=$(load "$m" "$SECS")
		c1=$(cpu "${PID[$m]}")
		h1=$(cpu "$HSS_PID_1")
		n=$(echo "$out" | bench_kv sent)
		err=$(echo "$out" | bench_kv errors)
		[ "${err:-1}" = 0 ] || e2e_fail "round $r $m: errors: $out"
		rate=$(echo "$out" | bench_kv gpi_per_s)
		python3 -c 'import sys; r,m,rate,c0,c1,h0,h1,n,hz=sys.argv[1:]; n=int(n); hz=float(hz)
print("%-6s %-4s %10s %14.1f %14.1f" % (r, m, rate, 1e6*(float(c1)-float(c0))/hz/n, 1e6*(float(h1)-float(h0))/hz/n if m=="zh" else 0.0))' \
			"$r" "$m" "$rate" "$c0" "$c1" "$h0" "$h1" "$n" "$HZ" | tee -a "$T/rows"
	done
done
python3 - "$T/rows" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
by = {}
for r, m, rate, c, h in rows:
    by.setdefault(r, {})[m] = (float(rate), float(c), float(h))
ratios = [by[r]["zh"][1] / by[r]["emb"][1] for r in by]
med = lambda m, i: statistics.median(by[r][m][i] for r in by)
print("median: embedded %.0f GPI/s %.1f us BSF CPU/GPI; zh %.0f GPI/s %.1f us BSF CPU/GPI (+ gba-hss %.1f us)"
      % (med("emb", 0), med("emb", 1), med("zh", 0), med("zh", 1), med("zh", 2)))
print("zh/embedded BSF CPU per GPI: median %.2f (rounds: %s); target <= 1.30: %s"
      % (statistics.median(ratios), " ".join("%.2f" % x for x in ratios),
         "met" if statistics.median(ratios) <= 1.30 else "NOT met"))
PY
