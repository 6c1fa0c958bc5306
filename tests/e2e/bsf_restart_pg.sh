#!/usr/bin/env bash
# PostgreSQL restarted under load (ctest label pg): one gba-bsf node on a
# throwaway cluster with a GPI stream running; the cluster is stopped for
# a while and started again.  While it is down a GPI request gets 503
# with Retry-After; after it is back the node serves again by itself
# (no restart); across every GPI received, before, during and after, no
# SQN is issued twice (SQN from AUTN by the Python Milenage of
# tests/uicc/usim_model.py).
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init
. "$SRC_DIR/tests/e2e/lib/pg.bash"
trap 'rc=$?; pg_stop; set +e; (exit $rc); e2e_cleanup' EXIT

pg_stream_store 1 2 3
write_pg_config
start_bsf
stream_start SP "$PORT" "$T/gpis" "$T/stop" "${subs[@]}"
# the stream's first GPIs (not a fixed sleep: under load Python and the
# first handshake alone may take longer than a second)
stream_wait "$T/gpis" 5 || fail "no GPI before the restart"
before=$(wc -l <"$T/gpis")
# a client with the Push-NAF already known on its connection (cached
# for BSF_NAF_CACHE_S): its next request fails on the subscriber lookup
python3 - "$PORT" "$T/pki" "$T/ready" "$T/down" "$(req_json "${subs[0]}" PRIVATE "$NAF1" GBA_ME)" >"$T/ka.out" 2>&1 <<'PY' &
import http.client, os, ssl, sys, time
port, pki, ready, down, body = sys.argv[1:6]
ctx = ssl.create_default_context(cafile=os.path.join(pki, "ca.pem"))
ctx.load_cert_chain(os.path.join(pki, "scs1.pem"), os.path.join(pki, "scs1.key"))
c = http.client.HTTPSConnection("127.0.0.1", int(port), context=ctx, timeout=10)
def post():
    c.request("POST", "/nbsp-gba/v1/push-info-retrieval", body, {"Content-Type": "application/json"})
    r = c.getresponse(); r.read()
    return r.status, r.getheader("Retry-After")
s, _ = post()
assert s == 200, s
open(ready, "w").close()
while not os.path.exists(down):
    time.sleep(0.02)
s, ra = post()
print(s, ra)
sys.exit(0 if s == 503 and ra and int(ra) >= 1 else 1)
PY
KA=$!
for _ in $(seq 1 100); do [ -e "$T/ready" ] && break; sleep 0.05; done
[ -e "$T/ready" ] || fail "keep-alive client not ready: $(cat "$T/ka.out")"
pg_down fast || fail "pg_down"
touch "$T/down"
wait "$KA" || fail "cached Push-NAF, database down: $(cat "$T/ka.out") (want 503 with Retry-After)"
# a new connection (the Push-NAF lookup itself fails): 503 + Retry-After
got503=0
for _ in $(seq 1 20); do
	st=$(scs_curl scs1 -o "$T/body" -D "$T/hdr" -w '%{http_code}' \
		-H 'Content-Type: application/json' \
		--data-binary "$(req_json "${subs[0]}" PRIVATE "$NAF1" GBA_ME)" \
		"$URL/nbsp-gba/v1/push-info-retrieval")
	if [ "$st" = 503 ]; then
		grep -qi '^Retry-After: [1-9]' "$T/hdr" || fail "503 without Retry-After: $(cat "$T/hdr")"
		got503=1
		break
	fi
	sleep 0.1
done
[ $got503 = 1 ] || fail "no 503 while PostgreSQL is down (last status $st)"
kill -0 "$BSF_PID" || fail "gba-bsf died with the database"
ok "database down: 503 with Retry-After"
sleep 1
pg_up || fail "pg_up"
# back by itself: the stream's GPIs resume
during=$(wc -l <"$T/gpis")
stream_wait "$T/gpis" $((during + 21)) || true
after=$(wc -l <"$T/gpis")
[ "$after" -gt $((during + 20)) ] || fail "no recovery after the restart ($during -> $after GPIs)"
ok "database back: served again without a node restart ($before before, $after in all)"
stream_stop "$T/stop" "$SP"
stop_bsf || fail "unclean stop"

sqns_oracle "$T/gpis" "$T/sqns"
no_sqn_twice "$T/sqns"
ok "$(wc -l <"$T/sqns") GPIs across the restart: no SQN repeated"
