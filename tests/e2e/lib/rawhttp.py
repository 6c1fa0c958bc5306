"""Send raw bytes over mutual TLS to gba-bsf, record what comes back.

usage: rawhttp.py PORT PKI_DIR NAME OUT_FILE < request-bytes
Writes every byte received to OUT_FILE and prints "closed" if the server
closed the connection within 3 s of the last byte received, else "open".
For framing tests, where curl would normalise the request.
"""
import os
import socket
import ssl
import sys

port, pki, name, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
data = sys.stdin.buffer.read()
ctx = ssl.create_default_context(cafile=os.path.join(pki, "ca.pem"))
ctx.load_cert_chain(os.path.join(pki, name + ".pem"), os.path.join(pki, name + ".key"))
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost")
s.sendall(data)
s.settimeout(3)
got = b""
state = "open"
try:
    while True:
        chunk = s.recv(65536)
        if not chunk:
            state = "closed"
            break
        got += chunk
except socket.timeout:
    pass
except (ssl.SSLError, OSError):
    state = "closed"
with open(out, "wb") as f:
    f.write(got)
print(state)
