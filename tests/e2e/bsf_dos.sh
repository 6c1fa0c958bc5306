#!/usr/bin/env bash
# gba-bsf under connection-exhaustion attacks (issue 16 part 1), all on
# 127.0.0.0/8 with the default [limits]: while an attacker
#   A. holds 600 idle TCP sockets from 127.0.0.2,
#   B. reconnects continuously from 127.0.0.2 (up to 600 sockets),
#   C. holds up to 512 TLS connections with a valid SCS certificate (scs1)
#      from 127.0.0.3, each dribbling one request-head byte every 3 s,
# a second SCS (scs2, 127.0.0.1) must complete at least 99 of 100
# requests (a new connection each, 2 s budget each), and the refused or
# cut attacker connections must show in /metrics.
# D. With short settings: a head or a body dribbled byte by byte (each byte
# resets the inactivity timer) is cut at header_timeout / body_timeout; an
# idle authenticated connection outlives handshake_timeout; one
# certificate gets at most per_naf_connections, another SCS is still
# served.
# Bounded: each attack lasts at most 20 s and is stopped once the 100
# requests are done; the legitimate client gives up after 2 failures.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init
ATK="python3 $(dirname "$0")/lib/attack.py"

metric() { curl -fs "$ADMIN/metrics" | awk -v k="$1" '$1 == k { print $2 }'; }
msum() { curl -fs "$ADMIN/metrics" | awk -v k="$1" 'index($1, k) == 1 { s += $2 } END { print s + 0 }'; }

setup_pki_store
"$BSFCTL" --db "$DB" gen --count 20 --naf scs1 >/dev/null
good=$(req_json "$IMPU2" PUBLIC "$NAF2" GBA_ME)
# [store] ue_rate off: the pool check below sends thousands of GPIs to 20
# UEs in a second, far above the default per-UE AV rate (429s otherwise)
write_config "[store]
ue_rate = 0"
start_bsf
st=$(nbsp scs2 "$good")
[ "$st" = 200 ] || fail "before any attack: status $st"
# an SCS opening its pool: 48 connections at once from one address must
# all pass the per-IP handshake limit (bench/bsf-load gives up on any
# failed connection)
LOAD=$BUILD_DIR/bench/bsf-load
if [ -x "$LOAD" ]; then
	out=$("$LOAD" --url "$URL/nbsp-gba/v1/push-info-retrieval" --ca "$T/pki/ca.pem" \
		--cert "$T/pki/scs1.pem" --key "$T/pki/scs1.key" --subs 20 \
		--conns 48 --duration 1 --warmup 0 2>&1) || fail "pool of 48 connections: $out"
	echo "$out" | grep -q "errors=0 " && echo "$out" | grep -q "new_connections=48$" ||
		fail "pool of 48 connections: $out"
	ok "an SCS opening 48 connections at once from one address: all served"
else
	echo "SKIP pool burst: bench/bsf-load not built" >&2
fi

# run_attack NAME ATTACKER-ARGS...: prints the legitimate client's result
run_attack() {
	local name=$1 apid res
	shift
	$ATK "$@" >"$T/atk.$name" 2>&1 &
	apid=$!
	sleep 2 # let the attacker ramp up
	res=$($ATK legit "$PORT" "$T/pki" 127.0.0.1 100 2 scs2 "$good")
	kill "$apid" 2>/dev/null || true
	wait "$apid" 2>/dev/null || true
	echo "attack $name: $res (attacker: $(cat "$T/atk.$name" | tail -1))" >&2
	echo "$res"
}
served() { echo "$1" | sed -n 's/^served \([0-9]*\) of.*/\1/p'; }

SUMMARY=
r0=$(msum gba_bsf_connections_refused_total)
resA=$(run_attack idle idle "$PORT" "$T/pki" 127.0.0.2 600 20)
SUMMARY="$SUMMARY A(idle 600): $resA;"
rA=$(msum gba_bsf_connections_refused_total)
resB=$(run_attack churn churn "$PORT" "$T/pki" 127.0.0.2 600 20)
SUMMARY="$SUMMARY B(reconnect): $resB;"
rB=$(msum gba_bsf_connections_refused_total)
resC=$(run_attack dribble dribble "$PORT" "$T/pki" 127.0.0.3 512 20 scs1)
SUMMARY="$SUMMARY C(dribble 512 scs1): $resC"
rC=$(msum gba_bsf_connections_refused_total)
echo "figures:$SUMMARY; refused counter $r0 -> $rA -> $rB -> $rC" >&2

[ "$(served "$resA")" -ge 99 ] || fail "idle sockets: $resA"
[ "$rA" -gt "$r0" ] || fail "idle sockets: refused attacker connections not counted ($r0 -> $rA)"
ok "A. 600 idle TCP sockets from 127.0.0.2: scs2 $resA; refused counted ($r0 -> $rA)"
[ "$(served "$resB")" -ge 99 ] || fail "reconnecting attacker: $resB"
[ "$rB" -gt "$rA" ] || fail "reconnecting attacker: refusals not counted ($rA -> $rB)"
ok "B. reconnecting attacker from 127.0.0.2: scs2 $resB; refused counted ($rA -> $rB)"
[ "$(served "$resC")" -ge 99 ] || fail "512 dribbling scs1 connections: $resC"
[ "$rC" -gt "$rB" ] || fail "dribbling SCS: refusals not counted ($rB -> $rC)"
ok "C. 512 dribbling scs1 connections from 127.0.0.3: scs2 $resC; refused counted ($rB -> $rC)"
stop_bsf

write_config "[limits]
handshake_timeout = 1
header_timeout = 1
body_timeout = 1
per_naf_connections = 2"
start_bsf
# closed_within RESULT MIN MAX
closed_within() {
	python3 -c 'import sys; w = sys.argv[1].split(); sys.exit(not (len(w) == 2 and w[0] == "closed" and float(sys.argv[2]) <= float(w[1]) <= float(sys.argv[3])))' "$@"
}
res=$($ATK drip "$PORT" "$T/pki" 127.0.0.1 scs1 head 0.3 6)
closed_within "$res" 0.7 2.5 || fail "head dribbled every 0.3 s, header_timeout 1: $res"
ok "D1. head dribbled byte by byte: $res s (header_timeout = 1)"
res=$($ATK drip "$PORT" "$T/pki" 127.0.0.1 scs1 body 0.3 6)
closed_within "$res" 0.7 2.5 || fail "body dribbled every 0.3 s, body_timeout 1: $res"
ok "D2. body dribbled byte by byte: $res s (body_timeout = 1)"
[ "$(metric 'gba_bsf_connections_deadline_total{phase="head"}')" -ge 1 ] &&
	[ "$(metric 'gba_bsf_connections_deadline_total{phase="body"}')" -ge 1 ] ||
	fail "deadline closes not counted: $(curl -fs "$ADMIN/metrics" | grep deadline_total)"
$ATK drip "$PORT" "$T/pki" 127.0.0.1 scs1 none 0 4 >"$T/idle1" &
i1=$!
$ATK drip "$PORT" "$T/pki" 127.0.0.1 scs1 none 0 4 >"$T/idle2" &
i2=$!
sleep 1.5
res=$($ATK drip "$PORT" "$T/pki" 127.0.0.1 scs1 none 0 2)
[ "$res" = closed ] || fail "3rd scs1 connection with per_naf_connections = 2: $res"
st=$(nbsp scs2 "$good")
[ "$st" = 200 ] || fail "scs2 while scs1 is at its cap: $st"
wait "$i1" "$i2" || true
[ "$(cat "$T/idle1")" = open ] && [ "$(cat "$T/idle2")" = open ] ||
	fail "idle authenticated connections cut before 4 s (handshake_timeout 1): $(cat "$T/idle1" "$T/idle2")"
[ "$(metric 'gba_bsf_connections_limited_total{limit="per_naf_connections"}')" -ge 1 ] ||
	fail "per-NAF refusal not counted"
ok "D3. per_naf_connections = 2: 3rd scs1 connection closed, counted; scs2 served; the 2 idle ones kept 4 s (> handshake_timeout)"
stop_bsf
ok "all"
