#!/usr/bin/env bash
# Lookups without waiting (ctest label pg): one gba-bsf node with ONE
# worker on a throwaway cluster, whose GPI lookups go out pipelined on
# the worker's own connection (bsf/src/store_pipe.h, http_worker.c) while
# it serves other requests.  16 keep-alive clients at once, each cycling
# over its own subscribers (32 in all, so concurrent requests are for
# different UEs), with privateIdRequest on a Push-NAF allowed the IMPI:
# every 200 must carry the IMPI of the UE it asked for (the IMPI comes
# from the looked-up row, so a result given to the wrong request shows).
# PostgreSQL is stopped (-m fast) and started
# again in the middle: meanwhile every answer is 503 with Retry-After, no
# request hangs (client timeout 10 s), the node recovers by itself, and
# across every GPI no SQN is issued twice per subscriber (SQN from AUTN
# by the Python Milenage of tests/uicc/usim_model.py).  The node is
# stopped (SIGTERM) with the clients still sending: every request in
# progress is answered, none cut by the drain timeout.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init
. "$SRC_DIR/tests/e2e/lib/pg.bash"
trap 'rc=$?; pg_stop; set +e; (exit $rc); e2e_cleanup' EXIT

pg_stream_store $(seq 10 41)
ctl naf modify scs1 --allow-impi >/dev/null
write_pg_config
sed -i 's/^threads = .*/threads = 1/' "$T/bsf.ini"
start_bsf

python3 - "$PORT" "$T/pki" "$NAF1" "$UA" "$T" "${subs[@]}" >"$T/client.out" 2>&1 <<'PY' &
import http.client, json, os, ssl, sys, threading, time
port, pki, fqdn, ua, tdir = sys.argv[1:6]
subs = sys.argv[6:]
N = 16
ctx = ssl.create_default_context(cafile=os.path.join(pki, "ca.pem"))
ctx.load_cert_chain(os.path.join(pki, "scs1.pem"), os.path.join(pki, "scs1.key"))
lock = threading.Lock()
phase = ["before"]
count = {}
bad = []
gpis = open(os.path.join(tdir, "gpis"), "w", buffering=1)

def note(k):
    with lock:
        count[k] = count.get(k, 0) + 1

def client(n):
    conn = None
    i = 0
    mine = subs[n::N]  # this client's own subscribers
    while not os.path.exists(os.path.join(tdir, "stop")):
        impi = mine[i % len(mine)]
        ptid = "pipe-%d-%d" % (n, i)
        i += 1
        body = json.dumps({"ueId": impi, "ueIdType": "PRIVATE", "uiccAppLabel": "",
                           "nafId": {"nafFqdn": fqdn, "uaSecProtId": ua},
                           "ptId": ptid, "uiccOrMe": "GBA_ME",
                           "privateIdRequest": True,
                           "requestedLifeTime": "2099-01-01T00:00:00Z"})
        try:
            if conn is None:
                conn = http.client.HTTPSConnection("127.0.0.1", int(port), context=ctx, timeout=10)
            conn.request("POST", "/nbsp-gba/v1/push-info-retrieval", body,
                         {"Content-Type": "application/json"})
            r = conn.getresponse()
            data = r.read()
            ph = phase[0]  # when answered
        except (ConnectionError, http.client.RemoteDisconnected, ssl.SSLError) as e:
            # a 503 closes the connection (Connection: close), and the
            # node is stopped at the end: reconnect
            conn = None
            time.sleep(0.02)
            continue
        except Exception as e:  # a timeout: a request left hanging
            with lock:
                bad.append("%s: %r" % (impi, e))
            conn = None
            continue
        if r.status == 200:
            d = json.loads(data)
            if d.get("impi") != impi:
                with lock:
                    bad.append("asked %s, answer for %s" % (impi, d.get("impi")))
            gpis.write("%s %s\n" % (impi, d["gbaPushInfo"]))
            note("200 " + ph)
            time.sleep(0.03)  # every GPI goes through the SQN oracle
        elif r.status == 503 and (r.getheader("Retry-After") or "0").isdigit() and int(r.getheader("Retry-After")) >= 1:
            note("503 " + ph)
            time.sleep(0.05)
        else:
            with lock:
                bad.append("%s: status %d %s Retry-After %s" % (impi, r.status, data[:120], r.getheader("Retry-After")))
        if r.getheader("Connection", "").lower() == "close":
            conn = None

th = [threading.Thread(target=client, args=(n,)) for n in range(N)]
for t in th:
    t.start()
while not os.path.exists(os.path.join(tdir, "stop")):
    for p in ("down", "up"):
        if os.path.exists(os.path.join(tdir, p)) and phase[0] != p and not (p == "down" and phase[0] == "up"):
            phase[0] = p
    time.sleep(0.02)
for t in th:
    t.join()
print(json.dumps(count, sort_keys=True))
for b in bad[:10]:
    print("BAD", b)
sys.exit(1 if bad else 0)
PY
CL=$!
wait_200() { # N: until N 200 answers in all (or 10 s)
	local i
	for i in $(seq 1 100); do
		[ "$(wc -l <"$T/gpis" 2>/dev/null || echo 0)" -ge "$1" ] && return 0
		kill -0 "$CL" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
wait_200 100 || fail "no GPIs before the restart: $(cat "$T/client.out")"
touch "$T/down"
pg_down fast || fail "pg_down"
sleep 1.5
n_down=$(wc -l <"$T/gpis")
pg_up || fail "pg_up"
touch "$T/up"
wait_200 $((n_down + 100)) || fail "no recovery after the restart: $(cat "$T/client.out")"
# SIGTERM with the clients still sending: the requests in progress
# (lookups out included) are finished, none is cut by the drain timeout
kill -0 "$BSF_PID" || fail "gba-bsf died"
stop_bsf || fail "unclean stop under load"
! grep -q 'drain timeout' "$T/bsf.log" || fail "requests cut at stop: $(grep 'drain timeout' "$T/bsf.log")"
! grep -Eq 'outcome=(ABORTED|TIMEOUT)' "$T/bsf.log" || fail "requests left unanswered: $(grep -E 'outcome=(ABORTED|TIMEOUT)' "$T/bsf.log" | head -3)"
ok "SIGTERM under load: every request in progress answered, clean exit"
touch "$T/stop"
wait "$CL" || fail "client: $(cat "$T/client.out")"
counts=$(head -1 "$T/client.out")
echo "answers: $counts"
python3 - "$counts" <<'PY' || fail "answers by phase: $counts"
import json, sys
c = json.loads(sys.argv[1])
# served before and after; refused with 503 while PostgreSQL was away
assert c.get("200 before", 0) > 0 and c.get("200 up", 0) > 0, c
assert c.get("503 down", 0) > 0, c
PY
ok "16 clients, one worker: every 200 for the UE it asked for, 503 + Retry-After while PostgreSQL was down, recovered ($counts)"
sqns_oracle "$T/gpis" "$T/sqns"
no_sqn_twice "$T/sqns"
ok "$(wc -l <"$T/sqns") GPIs across the restart: no SQN repeated"
