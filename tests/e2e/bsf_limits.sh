#!/usr/bin/env bash
# gba-bsf limits and lifecycle: command line (--help, --version,
# --check-config), slow clients do not stop others being served and are
# cut after [limits] connection_timeout, per-Push-NAF rate limit (429 +
# Retry-After), connection count, SIGTERM drains a request in progress and
# exits 0.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init
PY="python3 $(dirname "$0")/lib/tlsclient.py"

"$BSF" --help | grep -q -- '--check-config' || fail "--help"
"$BSF" --version | grep -q '^gba-bsf ' || fail "--version"
rc=0; "$BSF" >/dev/null 2>&1 || rc=$?
[ $rc = 2 ] || fail "no arguments: exit $rc, want 2"
ok "--help, --version, usage exit 2"

setup_pki_store
write_config "[limits]
connection_timeout = 4
rate = 1
burst = 3
max_connections = 64"
"$BSF" --check-config "$T/bsf.ini" | grep -q "^rate = 1$" || fail "--check-config output"
printf '[server]\nport = 99999\n' >"$T/bad.ini"
rc=0; "$BSF" --check-config "$T/bad.ini" 2>"$T/err" || rc=$?
[ $rc = 1 ] && grep -q port "$T/err" || fail "--check-config on a bad file: rc $rc $(cat "$T/err")"
printf '[tls]\ncert = %s\nkey = %s\nca = %s\n[log]\nlog_keys = true\n' "$T/pki/server.pem" "$T/pki/server.key" "$T/pki/ca.pem" >"$T/keys.ini"
rc=0; "$BSF" --check-config "$T/keys.ini" 2>"$T/err" || rc=$?
[ $rc = 1 ] && grep -q log_keys "$T/err" || fail "log_keys accepted in a release build"
ok "--check-config: valid, invalid, log_keys refused"

start_bsf
good=$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME)

# --- slow clients ------------------------------------------------------
for i in 1 2 3 4 5 6; do
	$PY "$PORT" "$T/pki" scs1 slowloris 10 "$T/mark$i" >"$T/slow$i" &
	eval "SL$i=\$!"
done
for i in 1 2 3 4 5 6; do
	for j in $(seq 1 200); do [ -e "$T/mark$i" ] && break; sleep 0.05; done
	[ -e "$T/mark$i" ] || fail "slow client $i did not connect"
done
# 6 stalled connections > 2 worker threads: others must still be served
for i in 1 2 3; do
	st=$(nbsp scs2 "$(req_json "$IMPU2" PUBLIC "$NAF2" GBA_ME)")
	[ "$st" = 200 ] || fail "request $i while 6 slow clients hold connections: $st"
done
for i in 1 2 3 4 5 6; do
	[ ! -s "$T/slow$i" ] || fail "slow client $i was cut before the others were served; cannot tell"
done
ok "6 slow clients holding connections (> 2 threads): 3 other requests served meanwhile"
for i in 1 2 3 4 5 6; do
	eval "wait \$SL$i" || true
	read -r what after <"$T/slow$i"
	[ "$what" = closed ] || fail "slow client $i not cut off ($what)"
	python3 -c "import sys; sys.exit(0 if 3.0 <= float(sys.argv[1]) <= 8.0 else 1)" "$after" || fail "slow client $i cut after ${after}s, want about 4"
done
ok "slow clients cut off after connection_timeout (${after}s)"

# --- per-Push-NAF rate limit -------------------------------------------
sleep 1.1 # refill scs2's bucket is not needed; scs1 has its own bucket
n200=0; n429=0
for i in $(seq 1 8); do
	st=$(scs_curl scs1 -D "$T/hdr" -o "$T/body" -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "$good" "$URL/nbsp-gba/v1/push-info-retrieval")
	case $st in
	200) n200=$((n200 + 1)) ;;
	429) n429=$((n429 + 1)); grep -qi '^Retry-After: [1-9]' "$T/hdr" || fail "429 without Retry-After"
	     [ "$(jget cause)" = NF_CONGESTION_RISK ] || fail "429 cause" ;;
	*) fail "rate test: $st" ;;
	esac
done
[ $n429 -ge 1 ] && [ $n200 -ge 3 ] || fail "rate limit: $n200 x 200, $n429 x 429"
st=$(nbsp scs2 "$(req_json "$IMPU2" PUBLIC "$NAF2" GBA_ME)")
[ "$st" = 200 ] || fail "scs2 limited by scs1's bucket: $st"
ok "rate limit: $n200 x 200 then $n429 x 429 with Retry-After; other Push-NAF unaffected"

# --- SIGTERM drains a request in progress -------------------------------
sleep 2.2
$PY "$PORT" "$T/pki" scs1 drain "$T/ready" "$T/go" "$good" >"$T/drain" &
DR=$!
for i in $(seq 1 100); do [ -e "$T/ready" ] && break; sleep 0.05; done
[ -e "$T/ready" ] || fail "drain client not ready"
sleep 0.3 # let the daemon read the headers: the request is then in progress
kill -TERM "$BSF_PID"
sleep 0.3
kill -0 "$BSF_PID" 2>/dev/null || fail "exited before the request in progress finished"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$T/pki/ca.pem" --cert "$T/pki/scs1.pem" --key "$T/pki/scs1.key" "$URL/x" || true)
[ "$code" = 000 ] || fail "new connection accepted while draining ($code)"
touch "$T/go"
wait "$DR" || true
[ "$(cat "$T/drain")" = 200 ] || fail "request in progress at SIGTERM: $(cat "$T/drain")"
rc=0; wait "$BSF_PID" || rc=$?
BSF_PID=
[ $rc = 0 ] || fail "exit status after drain: $rc"
ok "SIGTERM: request in progress answered 200, new connections refused, exit 0"
