#!/usr/bin/env bash
# bsf_pg_bench.sh - CPU cost per GPI of gba-bsf on SQLite, on PostgreSQL,
# and as two nodes on one PostgreSQL (bench/README.md "bsf_pg_bench.sh").
#
#   bench/bsf_pg_bench.sh BUILD_DIR          (or: make bench-bsf-pg)
#
# Environment: SUBS (10000 subscribers, the same "gba-bsfctl gen" store in
# both engines), CONNS (16, bsf-load connections per node), SECS (10 per
# measurement), WARM (5, closed-loop warm-up per node), REPS (3 rounds),
# RATE (0: closed loop; R > 0: open loop at R GPI/s per node), PG_BIN
# (tests/e2e/lib/pg.bash).
#
# One run starts a throwaway PostgreSQL cluster (tests/e2e/lib/pg.bash,
# Unix socket only, stopped whatever the outcome) and three gba-bsf
# nodes, each with ONE worker (threads = 1, no CPU affinity), so that
# every comparison is per core:
#   S    [store] path: SQLite,
#   P1   [store] url: the cluster,
#   P2   [store] url: the same cluster.
# The same store (SUBS subscribers, one Push-NAF) is generated in both
# engines.  Each round measures three configurations, in an order that
# rotates from round to round:
#   sqlite  bsf-load on S alone,
#   pg1     bsf-load on P1 alone,
#   pg2     one bsf-load on P1 and one on P2 at the same time.
# Per measurement: GPI/s (every answer checked by bsf-load: 200 with a
# gbaPushInfo), the daemon CPU time per GPI (utime + stime of the loaded
# gba-bsf processes from /proc/PID/stat, after minus before, divided by
# the GPIs they answered), the daemon's context switches per GPI (every
# thread's voluntary + involuntary, /proc/PID/task/*/status), and
# PostgreSQL's own CPU time per GPI beside it (the postmaster and every
# process of the cluster from /proc, exited ones through the postmaster's
# cutime + cstime).  The verdicts use the
# median over the rounds:
#   pg1 daemon CPU/GPI <= 1.5 x sqlite's,  pg2 daemon CPU/GPI <= 1.1 x pg1's.
# Not a test (not in ctest): timings on a shared VM; see the README for the
# noise.
set -euo pipefail
B=${1:?usage: bsf_pg_bench.sh BUILD_DIR}
case $B in /*) ;; *) B=$PWD/$B ;; esac
SRC=$(cd "$(dirname "$0")/.." && pwd)
. "$SRC/tests/e2e/lib/pg.bash"
. "$SRC/tests/e2e/lib/bench.bash"
bench_defaults SUBS=10000 CONNS=16 SECS=10 WARM=5 REPS=3 RATE=0
for p in "$B/bsf/gba-bsf" "$B/bsf/gba-bsfctl" "$B/bench/bsf-load"; do
	[ -x "$p" ] || { echo "bsf_pg_bench: $p not built" >&2; exit 1; }
done
T=$(mktemp -d /tmp/bsf-pg-bench.XXXXXX)
declare -A PID PORT APORT
trap 'bench_stop; pg_stop; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

HZ=$(getconf CLK_TCK)
# utime + stime (clock ticks) of the given PIDs
cpu_of() {
	local p s=0
	for p in "$@"; do
		s=$((s + $(awk '{print $14 + $15}' "/proc/$p/stat")))
	done
	echo "$s"
}
# context switches (voluntary + involuntary) of every thread of the
# given PIDs, as perf stat -e context-switches counts them
cs_of() {
	local p s=0
	for p in "$@"; do
		s=$((s + $(cat /proc/"$p"/task/*/status | awk '/ctxt_switches/ {n += $2} END {print n}')))
	done
	echo "$s"
}
# the cluster: postmaster utime + stime + cutime + cstime (its children
# that exited) + utime + stime of its live children
pg_cpu() {
	local pm
	pm=$(pg_pid)
	python3 - "$pm" <<'PY'
import os, sys
pm = sys.argv[1]
def fields(pid):
    with open("/proc/%s/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()
f = fields(pm)
t = int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])
for p in os.listdir("/proc"):
    if not p.isdigit() or p == pm:
        continue
    try:
        g = fields(p)
    except OSError:
        continue
    if g[1] == pm:
        t += int(g[11]) + int(g[12])
print(t)
PY
}

echo "# gba-bsf store bench $(date -u +%FT%TZ) on $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# SUBS=$SUBS CONNS=$CONNS SECS=$SECS WARM=$WARM REPS=$REPS RATE=$RATE (per node; 0 = closed loop)"
"$SRC/scripts/demo-pki" "$T/pki" scs1 >/dev/null
pg_start || { echo "bsf_pg_bench: pg_start failed" >&2; exit 1; }
echo "# $("$PG_BIN/postgres" --version), cluster in $PG_DIR"

mkstore() { # DB-PATH-OR-URI
	local db=$1
	"$B/bsf/gba-bsfctl" --db "$db" init >/dev/null
	"$B/bsf/gba-bsfctl" --db "$db" naf add --name scs1 --cert-id scs1.scs.example \
		--naf naf1.example.com:0100000002 >/dev/null
	"$B/bsf/gba-bsfctl" --db "$db" gen --count "$SUBS" --naf scs1 >/dev/null
}
mkstore "$T/store.db"
mkstore "$PG_URI"
pg_psql -c 'VACUUM ANALYZE' >/dev/null
sync

mknode() { # NAME STORE-LINE: one worker, no CPU affinity
	PORT[$1]=$(bench_port)
	APORT[$1]=$(bench_port)
	bench_bsf "$1" "${PORT[$1]}" "${APORT[$1]}" 1 false "$2"
}
mknode S "path = $T/store.db"
mknode P1 "url = $PG_URI"
mknode P2 "url = $PG_URI"

load() { # NAME DURATION [bsf-load options]
	local n=$1 d=$2
	shift 2
	"$B/bench/bsf-load" --url "https://127.0.0.1:${PORT[$n]}/nbsp-gba/v1/push-info-retrieval" \
		--ca "$T/pki/ca.pem" --cert "$T/pki/scs1.pem" --key "$T/pki/scs1.key" \
		--subs "$SUBS" --conns "$CONNS" --duration "$d" "$@"
}
# warm-up of every node (pages, the AuC's SEQ table, the pools, TLS)
for n in S P1 P2; do
	load "$n" "$WARM" --warmup 0 >/dev/null || { echo "bsf_pg_bench: warm-up of $n failed" >&2; exit 1; }
done

# one measurement: CONFIG NODES... ; appends "round config gpi/s dus pgus" to $T/res
measure() {
	local r=$1 cfg=$2 n pids=() d0 d1 c0 c1 p0 p1 sent=0 gps=0 i lg=() lgcpu=()
	shift 2
	local names=("$@")
	local opts=(--warmup 0 --cpu)
	[ "$RATE" = 0 ] || opts+=(--rate "$RATE")
	for n in "$@"; do pids+=("${PID[$n]}"); done
	d0=$(cpu_of "${pids[@]}")
	c0=$(cs_of "${pids[@]}")
	p0=$(pg_cpu)
	for n in "$@"; do
		load "$n" "$SECS" "${opts[@]}" >"$T/out.$n" 2>&1 &
		lg+=($!)
	done
	for i in "${!lg[@]}"; do
		wait "${lg[$i]}" || { echo "round $r $cfg: bsf-load on ${names[$i]} failed: $(cat "$T/out.${names[$i]}")" >&2; exit 1; }
	done
	d1=$(cpu_of "${pids[@]}")
	c1=$(cs_of "${pids[@]}")
	p1=$(pg_cpu)
	for n in "$@"; do
		# --warmup 0: every request sent is measured and answered 200
		sent=$((sent + $(bench_kv sent <"$T/out.$n")))
		gps=$((gps + $(bench_kv gpi_per_s <"$T/out.$n")))
		lgcpu+=("$(bench_kv loadgen_cpu_us_per_request <"$T/out.$n")")
	done
	python3 - "$r" "$cfg" "$gps" "$sent" "$((d1 - d0))" "$((p1 - p0))" "$HZ" "$#" \
		"$(IFS=/; echo "${lgcpu[*]}")" "$((c1 - c0))" <<'PY' | tee -a "$T/res"
import sys
r, cfg, gps, sent, dt, pt, hz, nodes, lg, cs = sys.argv[1:11]
sent, hz = int(sent), int(hz)
dus = 1e6 * int(dt) / hz / sent
pus = 1e6 * int(pt) / hz / sent
print("%s %s %s %.1f %.1f %s %d %s %.2f" % (r, cfg, gps, dus, pus, nodes, sent, lg,
                                           int(cs) / sent))
PY
	rm -f "$T"/out.*
}

echo "# round config gpi_per_s daemon_cpu_us_per_gpi postgres_cpu_us_per_gpi nodes gpis loadgen_cpu_us_per_request daemon_cs_per_gpi"
: >"$T/res"
cfgs=(sqlite pg1 pg2)
for r in $(seq 1 "$REPS"); do
	for k in 0 1 2; do
		c=${cfgs[$(((k + r - 1) % 3))]}
		case $c in
		sqlite) measure "$r" sqlite S ;;
		pg1) measure "$r" pg1 P1 ;;
		pg2) measure "$r" pg2 P1 P2 ;;
		esac
	done
done
for n in S P1 P2; do
	kill -0 "${PID[$n]}" 2>/dev/null || { echo "bsf_pg_bench: node $n died" >&2; exit 1; }
done
bench_stop

echo "== verdicts (medians over $REPS rounds; ratios of daemon CPU per GPI)"
python3 - "$T/res" <<'PY'
import sys, statistics as st
res = {}
for line in open(sys.argv[1]):
    f = line.split()
    r, cfg, gps, dus, pus = f[:5]
    res.setdefault(cfg, []).append((int(r), float(gps), float(dus), float(pus), float(f[8])))
med = {c: [st.median(x[i] for x in v) for i in (1, 2, 3, 4)] for c, v in res.items()}
for c in ("sqlite", "pg1", "pg2"):
    g, d, p, cs = med[c]
    print("%-6s GPI/s %6.0f  daemon CPU/GPI %6.1f us  PostgreSQL CPU/GPI %6.1f us  (daemon + PostgreSQL %6.1f us)  daemon context switches/GPI %.2f"
          % (c, g, d, p, d + p, cs))
def per_round(a, b):
    ra = {x[0]: x[2] for x in res[a]}
    rb = {x[0]: x[2] for x in res[b]}
    return " ".join("%.2f" % (rb[r] / ra[r]) for r in sorted(ra) if r in rb)
ok = True
for a, b, lim, what in (("sqlite", "pg1", 1.5, "one PostgreSQL node vs one SQLite node"),
                        ("pg1", "pg2", 1.1, "two PostgreSQL nodes vs one")):
    q = med[b][1] / med[a][1]
    v = q <= lim
    ok = ok and v
    print("%s: daemon CPU/GPI x%.2f (target <= %.1f): %s; per round %s"
          % (what, q, lim, "PASS" if v else "FAIL", per_round(a, b)))
print("all targets: %s" % ("PASS" if ok else "FAIL"))
PY
