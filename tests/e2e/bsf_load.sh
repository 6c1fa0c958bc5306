#!/usr/bin/env bash
# bench/bsf-load against gba-bsf, the way bench/bsf_bench.sh drives it:
# every answer is a checked 200, and the open loop keeps all of its
# connections in use, so none sits idle into the daemon's
# [limits] connection_timeout (the load generator once reused its idle
# connections last-in first-out; the bottom ones were closed by the daemon
# and reconnected in the middle of the measurement).
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init
LOAD=$BUILD_DIR/bench/bsf-load
if [ ! -x "$LOAD" ]; then
	echo "SKIP: $LOAD is not built in this tree" >&2
	exit 0
fi
kv() { sed -n "s/\(^\|.* \)$1=\([0-9.]*\).*/\2/p" | head -1; }

"$SRC_DIR/scripts/demo-pki" "$T/pki" scs1 >/dev/null
DB=$T/store.db
"$BSFCTL" --db "$DB" init >/dev/null
"$BSFCTL" --db "$DB" naf add --name scs1 --cert-id scs1.scs.example --naf naf1.example.com:0100000002 >/dev/null
"$BSFCTL" --db "$DB" gen --count 50 --naf scs1 >/dev/null
# [store] ue_rate off: 100 GPI/s over 50 UEs is above the default per-UE
# AV rate (docs/hss-store.md section 4)
write_config "[limits]
connection_timeout = 2
rate = 0
[store]
ue_rate = 0"
start_bsf
L=("$LOAD" --url "$URL/nbsp-gba/v1/push-info-retrieval" --ca "$T/pki/ca.pem"
	--cert "$T/pki/scs1.pem" --key "$T/pki/scs1.key" --subs 50 --conns 16)

# open loop, 100/s on 16 connections for 1 + 4 s: each connection is used
# every 0.16 s, far inside the 2 s idle timeout
out=$("${L[@]}" --duration 4 --warmup 1 --rate 100 --poll-us 100) || fail "open loop: exit $?: $out"
[ "$(echo "$out" | kv ok)" = 400 ] || fail "open loop: want ok=400: $out"
[ "$(echo "$out" | kv errors)" = 0 ] && [ "$(echo "$out" | kv non200)" = 0 ] || fail "open loop: $out"
[ "$(echo "$out" | kv new_connections)" = 16 ] ||
	fail "open loop: connections reopened (idle ones closed by the daemon's timeout): $out"
ok "open loop 100/s, 16 connections, 5 s against a 2 s idle timeout: 400 answers, all 200, no connection reopened"

# closed loop: every answer checked, exit 0
out=$("${L[@]}" --duration 1 --warmup 0) || fail "closed loop: exit $?: $out"
[ "$(echo "$out" | kv errors)" = 0 ] && [ "$(echo "$out" | kv non200)" = 0 ] &&
	[ "$(echo "$out" | kv ok)" -gt 0 ] || fail "closed loop: $out"
ok "closed loop 1 s: $(echo "$out" | kv ok) answers, all 200"
stop_bsf
ok "all"
