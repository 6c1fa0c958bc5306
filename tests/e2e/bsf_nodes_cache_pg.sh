#!/usr/bin/env bash
# Provisioning changes reach every node (ctest label pg): two gba-bsf nodes
# on one PostgreSQL store (tests/e2e/lib/pg.bash).  On each node an SCS
# keeps one keep-alive connection open (tests/e2e/lib/watch.py), so the
# node's per-connection Push-NAF record (BSF_PUSH_NAF_CACHE_S, 5 s,
# bsf/src/push.h) is the one in use, and gets GPIs through it; then
#   1. gba-bsfctl assoc remove (scs2 / IMPI1): both nodes refuse that UE to
#      that SCS from the next request on, with the answer byte-identical to
#      the one for an unknown UE (404 USER_NOT_FOUND);
#   2. gba-bsfctl naf remove --force (scs1): both nodes refuse the SCS within
#      the documented lifetime (5 s) plus a margin, and from then on answer
#      exactly as to a certificate that is no Push-NAF at all (scs3: 403
#      NAF_NOT_AUTHORIZED), on the same open connection;
# no GPI is issued for a request sent after the gba-bsfctl command returned.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init
. "$SRC_DIR/tests/e2e/lib/pg.bash"
LIFETIME=5      # BSF_PUSH_NAF_CACHE_S, bsf/src/push.h; docs/bsf.md
MARGIN=1.5      # the watchers ask every 0.1 s; a loaded test machine
trap 'rc=$?; for p in $(jobs -p); do kill "$p" 2>/dev/null; done; wait 2>/dev/null; pg_stop; set +e; (exit $rc); e2e_cleanup' EXIT

pg_start || fail "pg_start"
"$SRC_DIR/scripts/demo-pki" "$T/pki" scs1 scs2 scs3 >/dev/null
ctl() { "$BSFCTL" --db "$PG_URI" "$@"; }
ctl init >/dev/null
ctl naf add --name scs1 --cert-id scs1.scs.example --naf "$NAF1:$UA" --allow-impi >/dev/null
ctl naf add --name scs2 --cert-id scs2.scs.example --naf "$NAF2:$UA" --allow-impi >/dev/null
ctl subscriber add --impi "$IMPI1" --k "$K1" --opc "$OPC1" >/dev/null
ctl subscriber add --impi "$IMPI2" --k "$K1" --opc "$OPC1" >/dev/null
ctl assoc add scs1 "$IMPI1" >/dev/null
ctl assoc add scs2 "$IMPI1" >/dev/null
ctl assoc add scs2 "$IMPI2" >/dev/null

DB=$T/unused.db
mkconf() { # NAME
	write_config "[store]
url = $PG_URI"
	sed -i "s|^file = .*|file = $T/$1.log|" "$T/bsf.ini"
	mv "$T/bsf.ini" "$T/$1.ini"
	eval "${1}_PORT=$PORT ${1}_ADMIN=$ADMIN ${1}_URL=$URL"
}
start_node() { # NAME
	local n=$1 admin pid i
	eval "admin=\$${n}_ADMIN"
	"$BSF" -c "$T/$n.ini" >>"$T/$n.stdout" 2>&1 &
	pid=$!
	for i in $(seq 1 200); do
		curl -fs "$admin/healthz" >/dev/null 2>&1 && return 0
		kill -0 "$pid" 2>/dev/null || fail "node $n exited at start: $(tail -5 "$T/$n.stdout" "$T/$n.log" 2>/dev/null)"
		sleep 0.05
	done
	fail "node $n not ready"
}
mkconf A
mkconf B
start_node A
start_node B

sha() { sha256sum "$T/body" | cut -d' ' -f1; }
# reference answers, on fresh connections to each node: an unknown UE to
# scs2, and a certificate that is no Push-NAF (scs3)
IMPI_UNKNOWN=001019999999999@ims.mnc001.mcc001.3gppnetwork.org
ref() { # NODE SCS IMPI FQDN -> "status sha"
	local st
	eval "URL=\$${1}_URL"
	st=$(nbsp "$2" "$(req_json "$3" PRIVATE "$4" GBA_ME)")
	echo "$st $(sha)"
}
REF_UE_A=$(ref A scs2 "$IMPI_UNKNOWN" "$NAF2")
REF_UE_B=$(ref B scs2 "$IMPI_UNKNOWN" "$NAF2")
REF_NAF_A=$(ref A scs3 "$IMPI1" "$NAF1")
REF_NAF_B=$(ref B scs3 "$IMPI1" "$NAF1")
[ "${REF_UE_A%% *}" = 404 ] && [ "$REF_UE_A" = "$REF_UE_B" ] || fail "unknown-UE answers: A '$REF_UE_A' B '$REF_UE_B'"
[ "${REF_NAF_A%% *}" = 403 ] && [ "$REF_NAF_A" = "$REF_NAF_B" ] || fail "unknown-SCS answers: A '$REF_NAF_A' B '$REF_NAF_B'"

WPIDS=()
# watch NODE SCS IMPI FQDN TAG: a keep-alive watcher, waited for until ready
watch() {
	local port i
	eval "port=\$${1}_PORT"
	python3 "$SRC_DIR/tests/e2e/lib/watch.py" "$port" "$T/pki" "$2" "$3" "$4" "$UA" \
		"$T/$5.$1" "$T/$5.$1.ready" "$T/$5.stop" &
	WPIDS+=($!)
	for i in $(seq 1 200); do
		[ -e "$T/$5.$1.ready" ] && return 0
		sleep 0.05
	done
	fail "watcher $5 on node $1: no GPI ($(tail -2 "$T/$5.$1"))"
}

# check TAG T1 REF MAXDELAY: after T1 (the command returned) no 200; the
# answer is REF ("status sha") at the latest MAXDELAY s after T1 and stays
# so; the connection of the first GPI still in use.  Prints the delay.
check() {
	python3 - "$@" <<'PY'
import sys
path, t1, ref, maxd = sys.argv[1], float(sys.argv[2]), sys.argv[3], float(sys.argv[4])
rows = [l.split() for l in open(path)]
after = [r for r in rows if float(r[0]) >= t1]
if not after:
    sys.exit("%s: no request after the change" % path)
bad = [r for r in after if r[1] == "200"]
if bad:
    sys.exit("%s: GPI issued %.3f s after the change" % (path, float(bad[0][0]) - t1))
first = None
for i, r in enumerate(after):
    if " ".join(r[1:2] + r[3:4]) == ref and all(" ".join(x[1:2] + x[3:4]) == ref for x in after[i:]):
        first = float(r[0]) - t1
        break
if first is None:
    sys.exit("%s: never answered as %s; last %s" % (path, ref, after[-1]))
# up to that answer, the connection of the first GPI (the BSF may close
# it after a 403, as it does for any unknown SCS)
upto = [r for r in rows if float(r[0]) < t1 + first + 0.0005]
if any(r[1] == "ERR" or r[2] != "1" for r in upto):
    sys.exit("%s: the watcher's connection was not kept (%s)" % (path, [r for r in upto if r[1] == "ERR" or r[2] != "1"][:1]))
if first > maxd:
    sys.exit("%s: answered as the unknown case only %.2f s after the change (max %.1f)" % (path, first, maxd))
print("%.2f" % max(first, 0))
PY
}

# 1. association removal: scs2 / IMPI1, watched through both nodes
watch A scs2 "$IMPI1" "$NAF2" assoc
watch B scs2 "$IMPI1" "$NAF2" assoc
ctl assoc remove scs2 "$IMPI1" >/dev/null || fail "assoc remove"
t1=$(date +%s.%N)
sleep "$LIFETIME"   # refused at once, and still after a cache lifetime
touch "$T/assoc.stop"
wait "${WPIDS[@]}"
WPIDS=()
dA=$(check "$T/assoc.A" "$t1" "$REF_UE_A" "$LIFETIME") || fail "node A after assoc remove"
dB=$(check "$T/assoc.B" "$t1" "$REF_UE_B" "$LIFETIME") || fail "node B after assoc remove"
ok "assoc remove: both nodes answer as for an unknown UE (A after ${dA} s, B after ${dB} s, open connections)"
# the other association of scs2 is untouched
URL=$A_URL
[ "$(nbsp scs2 "$(req_json "$IMPI2" PRIVATE "$NAF2" GBA_ME)")" = 200 ] || fail "scs2 / IMPI2 refused"

# 2. Push-NAF removal: scs1 (and its association with IMPI1, --force)
watch A scs1 "$IMPI1" "$NAF1" naf
watch B scs1 "$IMPI1" "$NAF1" naf
ctl naf remove scs1 --force >/dev/null || fail "naf remove --force"
t1=$(date +%s.%N)
sleep "$(python3 -c "print($LIFETIME + $MARGIN + 0.5)")"
touch "$T/naf.stop"
wait "${WPIDS[@]}"
WPIDS=()
maxd=$(python3 -c "print($LIFETIME + $MARGIN)")
dA=$(check "$T/naf.A" "$t1" "$REF_NAF_A" "$maxd") || fail "node A after naf remove"
dB=$(check "$T/naf.B" "$t1" "$REF_NAF_B" "$maxd") || fail "node B after naf remove"
ok "naf remove --force: both nodes answer as to an unknown SCS (A after ${dA} s, B after ${dB} s, open connections; lifetime ${LIFETIME} s)"
# and a new connection at once
for n in A B; do
	[ "$(ref $n scs1 "$IMPI1" "$NAF1")" = "$REF_NAF_A" ] || fail "node $n: new connection of the removed SCS"
done
echo "PASS bsf_nodes_cache_pg"
