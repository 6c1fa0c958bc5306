#!/usr/bin/env bash
# Server work per GPI on PostgreSQL (ctest label pg): the cluster logs
# every statement (log_statement = all).  One keep-alive client (so the
# Push-NAF is cached on its connection) first gets a GPI for each
# subscriber (each reserves its SQN window), then 10 more between two
# markers.  Between the markers the server must see exactly one statement
# per GPI (the lookup of store_pg.c: identity, association, GBA
# parameters and key row in one round trip, no BEGIN/COMMIT), each run
# by a prepared name ("execute gN"), none unnamed (parsed and planned
# again each time).  bench/README.md "bsf_pg_bench.sh" has why.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init
. "$SRC_DIR/tests/e2e/lib/pg.bash"
PG_EXTRA_OPTS="-c log_statement=all"
trap 'rc=$?; pg_stop; set +e; (exit $rc); e2e_cleanup' EXIT

pg_stream_store 1 2
write_pg_config
start_bsf
python3 - "$PORT" "$T/pki" "$NAF1" "$UA" "$T/go" "$T/warm" "$T/done" "${subs[@]}" >"$T/client.out" 2>&1 <<'PY' &
import http.client, json, os, ssl, sys, time
port, pki, fqdn, ua, go, warm, done = sys.argv[1:8]
subs = sys.argv[8:]
ctx = ssl.create_default_context(cafile=os.path.join(pki, "ca.pem"))
ctx.load_cert_chain(os.path.join(pki, "scs1.pem"), os.path.join(pki, "scs1.key"))
c = http.client.HTTPSConnection("127.0.0.1", int(port), context=ctx, timeout=10)
def gpi(impi):
    body = json.dumps({"ueId": impi, "ueIdType": "PRIVATE", "uiccAppLabel": "",
                       "nafId": {"nafFqdn": fqdn, "uaSecProtId": ua}, "ptId": "st",
                       "uiccOrMe": "GBA_ME", "requestedLifeTime": "2099-01-01T00:00:00Z"})
    c.request("POST", "/nbsp-gba/v1/push-info-retrieval", body, {"Content-Type": "application/json"})
    r = c.getresponse()
    b = r.read()
    assert r.status == 200 and b"gbaPushInfo" in b, (r.status, b[:200])
for s in subs:
    gpi(s)
open(warm, "w").close()
while not os.path.exists(go):
    time.sleep(0.02)
for i in range(10):
    gpi(subs[i % len(subs)])
open(done, "w").close()
PY
CL=$!
for _ in $(seq 1 200); do [ -e "$T/warm" ] && break; kill -0 "$CL" 2>/dev/null || break; sleep 0.05; done
[ -e "$T/warm" ] || fail "client: $(cat "$T/client.out")"
pg_psql -c "SELECT 'mark-begin'" >/dev/null
touch "$T/go"
wait "$CL" || fail "client: $(cat "$T/client.out")"
pg_psql -c "SELECT 'mark-end'" >/dev/null
stop_bsf || fail "unclean stop"
awk '/mark-begin/ {on = 1; next} /mark-end/ {on = 0} on' "$PG_LOG" >"$T/stmts"
named=$(grep -c 'LOG:  execute g[0-9]*:' "$T/stmts" || true)
unnamed=$(grep -c 'LOG:  execute <unnamed>:' "$T/stmts" || true)
simple=$(grep -c 'LOG:  statement:' "$T/stmts" || true)
[ "$named" -eq 10 ] && [ "$unnamed" -eq 0 ] && [ "$simple" -eq 0 ] ||
	fail "10 GPIs: $named prepared, $unnamed unnamed, $simple simple statements on the server (want 10, 0, 0): $(grep -o 'LOG:  .*' "$T/stmts" | cut -c1-100 | sort | uniq -c)"
ok "10 GPIs on PostgreSQL: 10 statements on the server, each prepared once per connection"
