"""Request stream for the crash test: keep-alive mutual TLS, round robin
over subscribers, one line "IMPI GPI_HEX" per 200 answer (flushed at once,
so every GPI the client received is on disk).  Reconnects on errors and
stops when STOP exists.

usage: stream.py PORT PKI_DIR NAME OUT STOP FQDN UA IMPI...
"""
import http.client
import json
import os
import ssl
import sys
import time

port, pki, name, out, stop, fqdn, ua = sys.argv[1:8]
impis = sys.argv[8:]
# at most ~100 GPIs/s: every GPI is checked with gbatool afterwards
pause = float(os.environ.get("STREAM_PAUSE", "0.01"))
ctx = ssl.create_default_context(cafile=os.path.join(pki, "ca.pem"))
ctx.load_cert_chain(os.path.join(pki, name + ".pem"), os.path.join(pki, name + ".key"))
f = open(out, "a", buffering=1)
conn = None
i = 0
while not os.path.exists(stop):
    impi = impis[i % len(impis)]
    body = json.dumps({"ueId": impi, "ueIdType": "PRIVATE", "uiccAppLabel": "",
                       "nafId": {"nafFqdn": fqdn, "uaSecProtId": ua},
                       "ptId": "crash-%d" % i, "uiccOrMe": "GBA_ME",
                       "requestedLifeTime": "2099-01-01T00:00:00Z"})
    try:
        if conn is None:
            conn = http.client.HTTPSConnection("127.0.0.1", int(port), context=ctx, timeout=5)
        conn.request("POST", "/nbsp-gba/v1/push-info-retrieval", body,
                     {"Content-Type": "application/json"})
        r = conn.getresponse()
        data = r.read()
        if r.status == 200:
            f.write("%s %s\n" % (impi, json.loads(data)["gbaPushInfo"]))
            i += 1
            time.sleep(pause)
        else:
            time.sleep(0.05)
    except Exception:
        conn = None
        time.sleep(0.05)
f.close()
