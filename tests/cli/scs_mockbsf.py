#!/usr/bin/env python3
"""Mock Nbsp_GBA BSF for tests/cli/scs_request.sh (test helper, not a BSF).

HTTPS with mutual TLS on 127.0.0.1, port 0 (the chosen port is written to
PORTFILE once listening).  POST /nbsp-gba/v1/push-info-retrieval records the
request body in DIR/last_request.json and answers according to DIR/mode:
  ok        200 PushInfoResponse, GPI built by `gbatool gpi build` for the
            request's nafFqdn / ptId, meKeyMaterial = 00..1f
  notfound  404 application/problem+json, cause USER_NOT_FOUND
  html      500 text/html
  badjson   200 with a body that is not JSON
  othernaf  200 with a GPI built for other.example.org
  aka       200 with a real GPI for K/OPc/IMPI in DIR/aka (one line each):
            AUTN from `gbatool milenage` (SQN = next SEQ << 5, AMF 0000),
            meKeyMaterial = Ks_NAF from `gbatool ks-naf` (GBA_ME only)
usage: scs_mockbsf.py DIR GBATOOL CERT KEY CA PORTFILE
"""
import json
import os
import ssl
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

DIR, GBATOOL, CERT, KEY, CA, PORTFILE = sys.argv[1:7]
ME_KEY = bytes(range(32)).hex()
RAND = "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
EXPIRY = 1900000000  # 2030-03-17T17:46:40Z


def tool(*args):
    out = subprocess.run([GBATOOL] + list(args), check=True,
                         capture_output=True, text=True).stdout
    return dict(l.split("=", 1) for l in out.splitlines() if "=" in l)


def aka_gpi(fqdn, ptid):
    """A GPI a real BSF would send: AUTN and Ks_NAF computed with gbatool."""
    k, opc, impi = open(os.path.join(DIR, "aka")).read().split()
    seqf = os.path.join(DIR, "seq")
    seq = int(open(seqf).read()) + 1 if os.path.exists(seqf) else 1
    open(seqf, "w").write(str(seq))
    rand = os.urandom(16).hex()
    sqn = "%012x" % (seq << 5)
    m = tool("milenage", "--k", k, "--opc", opc, "--rand", rand,
             "--sqn", sqn, "--amf", "0000")
    sqn_ak = bytes(a ^ b for a, b in zip(bytes.fromhex(sqn),
                                         bytes.fromhex(m["f5"]))).hex()
    autn = sqn_ak + "0000" + m["f1"]
    ks = tool("ks-naf", "--ck", m["f3"], "--ik", m["f4"], "--rand", rand,
              "--impi", impi, "--naf-fqdn", fqdn, "--ua-id", "0100000005")
    g = tool("gpi", "build", "--rand", rand, "--autn", autn, "--naf-fqdn",
             fqdn, "--ua-id", "0100000005", "--p-tid", ptid.encode().hex(),
             "--naf-key", ks["ks_naf"], "--key-expiry", str(EXPIRY))
    return g["gpi"], ks["ks_naf"]


def build_gpi(fqdn, ptid, gba_u):
    args = [GBATOOL, "gpi", "build", "--rand", RAND, "--autn", "11" * 16,
            "--naf-fqdn", fqdn, "--ua-id", "0100000005",
            "--p-tid", ptid.encode().hex(), "--naf-key", ME_KEY,
            "--key-expiry", str(EXPIRY)]
    if gba_u:
        args.append("--gba-u")
    out = subprocess.run(args, check=True, capture_output=True, text=True)
    for line in out.stdout.splitlines():
        if line.startswith("gpi="):
            return line[4:]
    raise RuntimeError("gbatool printed no gpi=")


class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def send(self, code, ctype, body, retry_after=None):
        b = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        if retry_after is not None:
            self.send_header("Retry-After", retry_after)
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        with open(os.path.join(DIR, "last_request.json"), "wb") as f:
            f.write(body)
        if self.path != "/nbsp-gba/v1/push-info-retrieval":
            return self.send(404, "application/problem+json",
                             '{"status":404,"cause":"RESOURCE_URI_NOT_FOUND"}')
        mode = open(os.path.join(DIR, "mode")).read().strip()
        req = json.loads(body)
        gba_u = req.get("uiccOrMe") == "GBA_U"
        # busyN: the first N requests get 503 + Retry-After 1, then as
        # "ok"; busylong: 503 + Retry-After 3600 (requests counted in
        # the file "count")
        cf = os.path.join(DIR, "count")
        count = int(open(cf).read()) + 1 if os.path.exists(cf) else 1
        with open(cf, "w") as f:
            f.write(str(count))
        if mode == "busylong" or (mode.startswith("busy") and
                                  mode[4:].isdigit() and count <= int(mode[4:])):
            return self.send(503, "application/problem+json", json.dumps(
                {"title": "Service Unavailable", "status": 503,
                 "cause": "NF_CONGESTION_RISK"}),
                retry_after="3600" if mode == "busylong" else "1")
        if mode == "notfound":
            return self.send(404, "application/problem+json", json.dumps(
                {"title": "Not Found", "status": 404,
                 "detail": "no subscriber with this identity",
                 "cause": "USER_NOT_FOUND"}))
        if mode == "html":
            return self.send(500, "text/html", "<html>oops</html>")
        if mode == "badjson":
            return self.send(200, "application/json", "{\"gbaPushInfo\":")
        if mode == "aka":
            gpi, key = aka_gpi(req["nafId"]["nafFqdn"], req["ptId"])
            return self.send(200, "application/json", json.dumps(
                {"gbaPushInfo": gpi, "meKeyMaterial": key,
                 "keyExpiryTime": "2030-03-17T17:46:40Z"}))
        fqdn = "other.example.org" if mode == "othernaf" else \
            req["nafId"]["nafFqdn"]
        resp = {"gbaPushInfo": build_gpi(fqdn, req["ptId"], gba_u),
                "meKeyMaterial": ME_KEY,
                "keyExpiryTime": "2030-03-17T17:46:40Z"}
        return self.send(200, "application/json", json.dumps(resp))


ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(CERT, KEY)
ctx.load_verify_locations(CA)
ctx.verify_mode = ssl.CERT_REQUIRED
srv = HTTPServer(("127.0.0.1", 0), H)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(PORTFILE + ".tmp", PORTFILE)
srv.serve_forever()
