#!/usr/bin/env bash
# gba-bsf: every failed TLS handshake is visible (issue 16 part 3): one
# level=warning line with the peer address and the reason, and
# gba_bsf_tls_handshake_failures_total{reason} + 1 (and no other reason
# moves), for no_cert, untrusted, expired, not_yet_valid, bad_purpose,
# protocol, not_tls, timeout and other (revoked needs a CRL: [tls] crl).
# Under a flood from one address the lines are rate-limited
# (BSF_TLS_FAIL_LOG_BURST per BSF_TLS_FAIL_LOG_WINDOW_S) and the next line
# carries the count held back; the counter counts every one.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init
PY="python3 $(dirname "$0")/lib/tlsfail.py"

fails() { curl -fs "$ADMIN/metrics" | awk '/^gba_bsf_tls_handshake_failures_total\{/ { print $1, $2 }'; }
count() { fails | awk -v r="reason=\"$1\"" 'index($1, r) { print $2 }'; }
total() { fails | awk '{ s += $2 } END { print s + 0 }'; }
# warning lines for one peer address
lines() { grep -c "level=warning.*TLS handshake failed peer=$1:[0-9]* reason=$2" "$T/bsf.log" || true; }

setup_pki_store
$PY 0 "$T/pki" - mkcert "$T/pki/expired" -20 -1
$PY 0 "$T/pki" - mkcert "$T/pki/future" 1 20
write_config "[limits]
handshake_timeout = 1"
start_bsf
[ "$(total)" = 0 ] || fail "failures before any test: $(fails)"
[ "$(fails | wc -l)" = 10 ] || fail "want the 10 reasons exported: $(fails)"

# case REASON SRC CLIENT-ARGS...: exactly one failure, with that reason
n=1
check() {
	local reason=$1 src=$2 before tot_before out i
	shift 2
	before=$(count "$reason")
	tot_before=$(total)
	out=$($PY "$PORT" "$T/pki" "$src" "$@" 2>&1 || true)
	for i in $(seq 1 60); do
		[ "$(total)" -gt "$tot_before" ] && break
		sleep 0.05
	done
	sleep 0.2 # nothing else may move
	[ "$(count "$reason")" = $((before + 1)) ] ||
		fail "$*: $reason $before -> $(count "$reason"); all: $(fails | tr '\n' ' '); client: $out"
	[ "$(total)" = $((tot_before + 1)) ] || fail "$*: more than one failure counted: $(fails | tr '\n' ' ')"
	[ "$(lines "$src" "$reason")" = 1 ] || fail "$*: no warning line for $src reason=$reason: $(grep "TLS handshake" "$T/bsf.log" | tail -3)"
	ok "$reason ($*): counted once, one warning line with the peer address"
}
check no_cert 127.0.1.1 nocert
check untrusted 127.0.1.2 cert untrusted
check expired 127.0.1.3 cert expired
check not_yet_valid 127.0.1.4 cert future
check bad_purpose 127.0.1.5 cert serveronly
check no_cert 127.0.1.11 nocert12
check untrusted 127.0.1.12 cert12 untrusted
check expired 127.0.1.13 cert12 expired
check protocol 127.0.1.6 cbc
check not_tls 127.0.1.7 plain
check timeout 127.0.1.8 silent 3
check other 127.0.1.9 close
# a good client moves nothing
tot=$(total)
st=$(nbsp scs1 "$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME)")
[ "$st" = 200 ] || fail "good client: status $st"
sleep 0.2
[ "$(total)" = "$tot" ] || fail "a good handshake counted as a failure: $(fails | tr '\n' ' ')"
ok "a good client: 200, no failure counted"
grep -q "handshake message out of context" "$T/bsf.log" &&
	fail "libmicrohttpd's reasonless line still logged at info"
ok "libmicrohttpd's reasonless line is not logged at info"

# flood from one address: 30 plain-text connections
before=$(count not_tls)
pids=()
for i in $(seq 1 30); do
	$PY "$PORT" "$T/pki" 127.0.2.1 plain >/dev/null 2>&1 &
	pids+=($!)
done
wait "${pids[@]}" || true
for i in $(seq 1 200); do
	[ "$(count not_tls)" = $((before + 30)) ] && break
	sleep 0.05
done
[ "$(count not_tls)" = $((before + 30)) ] || fail "flood: counter $before -> $(count not_tls), want +30"
ok "flood of 30: counter +30"
sleep 5.1 # the next window
$PY "$PORT" "$T/pki" 127.0.2.1 plain >/dev/null 2>&1 || true
for i in $(seq 1 200); do
	[ "$(count not_tls)" = $((before + 31)) ] && break
	sleep 0.05
done
sleep 0.2 # the line is written right after the count
# The log lines of 127.0.2.1: at most BURST (5) in each WINDOW (5 s)
# window (windows start at the first line after the previous one ran
# out), and every failure either has its line or is counted in the
# suppressed=N of the peer's next line: lines + sum(N) = 31.  Counted from
# the lines' own timestamps, so a slow machine spreading the 30 over more
# than one window cannot fail it.
/usr/bin/python3 - "$T/bsf.log" <<'PYEOF' || fail "flood: rate limit of the warning lines not kept (see above)"
import re, sys, datetime
ts = []
held = 0
for l in open(sys.argv[1]):
    m = re.search(r'^ts=(\S+) level=warning .*TLS handshake failed peer=127\.0\.2\.1:\d+ reason=not_tls(?: suppressed=(\d+))?', l)
    if not m:
        continue
    ts.append(datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%fZ").timestamp())
    held += int(m.group(2) or 0)
ok = True
if len(ts) + held != 31:
    print("lines %d + suppressed %d != 31" % (len(ts), held)); ok = False
if held == 0:
    print("nothing suppressed (%d lines)" % len(ts)); ok = False
win, n = None, 0
for t in ts:
    if win is None or t - win >= 5.0 - 0.01:
        win, n = t, 0
    n += 1
    if n > 5:
        print("more than 5 lines in the window starting %.3f" % win); ok = False
print("lines=%d suppressed=%d" % (len(ts), held))
sys.exit(0 if ok else 1)
PYEOF
ok "flood: at most 5 warning lines per 5 s window, the rest counted in suppressed=N (lines + N = 31)"
stop_bsf
ok "all"
