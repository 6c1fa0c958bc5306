"""One SCS on one keep-alive mutual-TLS connection, asking for one UE's GPI
every PAUSE seconds until STOP exists: for the multi-node cache test
(tests/e2e/bsf_nodes_cache_pg.sh).  Writes READY once a first 200 came on
the connection, then one line per answer to OUT:
    SENT_WALLCLOCK STATUS CONNECTION_NUMBER SHA256(BODY)
CONNECTION_NUMBER counts (re)connections: 1 while the first connection
(and so the BSF's per-connection Push-NAF record) is still in use.

usage: watch.py PORT PKI_DIR NAME IMPI FQDN UA OUT READY STOP
"""
import hashlib
import http.client
import json
import os
import ssl
import sys
import time

port, pki, name, impi, fqdn, ua, out, ready, stop = sys.argv[1:10]
pause = float(os.environ.get("WATCH_PAUSE", "0.1"))
ctx = ssl.create_default_context(cafile=os.path.join(pki, "ca.pem"))
ctx.load_cert_chain(os.path.join(pki, name + ".pem"), os.path.join(pki, name + ".key"))
body = json.dumps({"ueId": impi, "ueIdType": "PRIVATE", "uiccAppLabel": "",
                   "nafId": {"nafFqdn": fqdn, "uaSecProtId": ua},
                   "ptId": "watch", "uiccOrMe": "GBA_ME",
                   "requestedLifeTime": "2099-01-01T00:00:00Z"})
f = open(out, "a", buffering=1)
conn = None
nconn = 0
is_ready = False
while not os.path.exists(stop):
    try:
        if conn is None:
            conn = http.client.HTTPSConnection("127.0.0.1", int(port), context=ctx, timeout=5)
            conn.connect()
            nconn += 1
        sent = time.time()
        conn.request("POST", "/nbsp-gba/v1/push-info-retrieval", body,
                     {"Content-Type": "application/json"})
        r = conn.getresponse()
        data = r.read()
        if r.will_close:
            conn.close()
            conn = None
    except Exception as e:  # noqa: BLE001 - any failure: reconnect
        f.write("%.3f ERR %d %s\n" % (time.time(), nconn, type(e).__name__))
        conn = None
        time.sleep(pause)
        continue
    f.write("%.3f %d %d %s\n" % (sent, r.status, nconn, hashlib.sha256(data).hexdigest()))
    if r.status == 200 and not is_ready:
        is_ready = True
        open(ready, "w").close()
    time.sleep(pause)
f.close()
