"""Raw mutual-TLS HTTP client for the limits/drain tests (stdlib ssl).

usage: tlsclient.py PORT PKI_DIR NAME MODE [ARGS]
  slowloris SECONDS [MARK]
                      send a partial request line, then nothing; print
                      "closed AFTER_S" when the server cuts us off, or
                      "open" if it is still open after SECONDS
  drain READY GO BODY send headers + half the body, touch READY, wait for
                      GO to exist, send the rest, print the status code
"""
import os
import socket
import ssl
import sys
import time

port, pki, name, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context(cafile=os.path.join(pki, "ca.pem"))
ctx.load_cert_chain(os.path.join(pki, name + ".pem"), os.path.join(pki, name + ".key"))
raw = socket.create_connection(("127.0.0.1", port))
s = ctx.wrap_socket(raw, server_hostname="localhost")

if mode == "slowloris":
    limit = float(sys.argv[5])
    s.sendall(b"POST /nbsp-gba/v1/push-info-retrieval HTTP/1.1\r\nHost: x\r\n")
    if len(sys.argv) > 6:
        open(sys.argv[6], "w").close()  # handshake done, request started
    t0 = time.time()
    s.settimeout(limit)
    try:
        data = s.recv(1)
        print("closed %.1f" % (time.time() - t0))
    except socket.timeout:
        print("open")
    except (ssl.SSLError, OSError):
        print("closed %.1f" % (time.time() - t0))
elif mode == "drain":
    ready, go, body = sys.argv[5], sys.argv[6], sys.argv[7].encode()
    half = len(body) // 2
    s.sendall(b"POST /nbsp-gba/v1/push-info-retrieval HTTP/1.1\r\nHost: x\r\n"
              b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
              + body[:half])
    open(ready, "w").close()
    deadline = time.time() + 30
    while not os.path.exists(go):
        if time.time() > deadline:
            print("no-go")
            sys.exit(1)
        time.sleep(0.02)
    s.sendall(body[half:])
    s.settimeout(10)
    resp = b""
    while b"\r\n" not in resp:
        chunk = s.recv(4096)
        if not chunk:
            break
        resp += chunk
    print(resp.split(b" ")[1].decode() if resp else "none")
