"""Clients whose TLS handshake with gba-bsf must fail, for
tests/e2e/bsf_tls_fail.sh (python3 stdlib ssl; loopback only).

usage: tlsfail.py PORT PKI_DIR SRC CASE [ARG]
  cert NAME     handshake with client certificate PKI_DIR/NAME.pem/.key
  nocert        handshake without a client certificate
  cert12 NAME, nocert12   the same over TLS 1.2
  cbc           TLS 1.2 offering only a CBC suite (the BSF has none)
  plain         an HTTP/1.1 request in clear
  silent SECS   connect, send nothing, wait up to SECS for the close
  close         connect and close at once
  mkcert OUT NOTBEFORE_DAYS NOTAFTER_DAYS
                (no connection) a clientAuth certificate for
                scs1.scs.example from PKI_DIR/ca, valid from now+NOTBEFORE
                to now+NOTAFTER days, written to OUT.pem / OUT.key
Prints what the client saw (for the log only).
"""
import datetime
import os
import socket
import ssl
import sys
import time

port, pki, src, case = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
arg = sys.argv[5:]


def mkcert(out, nb, na):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    ca_key = serialization.load_pem_private_key(
        open(os.path.join(pki, "ca.key"), "rb").read(), None)
    ca = x509.load_pem_x509_certificate(open(os.path.join(pki, "ca.pem"), "rb").read())
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    name = "scs1.scs.example"
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now + datetime.timedelta(days=nb))
            .not_valid_after(now + datetime.timedelta(days=na))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), False)
            .sign(ca_key, hashes.SHA256()))
    open(out + ".pem", "wb").write(cert.public_bytes(serialization.Encoding.PEM))
    open(out + ".key", "wb").write(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))


def connect():
    return socket.create_connection(("127.0.0.1", port), timeout=5,
                                    source_address=(src, 0))


def tls(ctx):
    s = ctx.wrap_socket(connect(), server_hostname="localhost")
    # TLS 1.3: the server judges the client certificate after the
    # client's Finished; a request makes its verdict visible
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    return s.recv(100)


if case == "mkcert":
    mkcert(arg[0], int(arg[1]), int(arg[2]))
    sys.exit(0)
ctx = ssl.create_default_context(cafile=os.path.join(pki, "ca.pem"))
if case.endswith("12"):
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    case = case[:-2]
try:
    if case == "cert":
        ctx.load_cert_chain(os.path.join(pki, arg[0] + ".pem"),
                            os.path.join(pki, arg[0] + ".key"))
        print(tls(ctx))
    elif case == "nocert":
        print(tls(ctx))
    elif case == "cbc":
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        ctx.set_ciphers("ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA")
        ctx.load_cert_chain(os.path.join(pki, "scs1.pem"), os.path.join(pki, "scs1.key"))
        print(tls(ctx))
    elif case == "plain":
        s = connect()
        s.sendall(b"POST /nbsp-gba/v1/push-info-retrieval HTTP/1.1\r\nHost: x\r\n\r\n")
        print(s.recv(100))
    elif case == "silent":
        s = connect()
        s.settimeout(float(arg[0]))
        t0 = time.time()
        print(s.recv(100), "after %.1f s" % (time.time() - t0))
    elif case == "close":
        connect().close()
        time.sleep(0.2)
        print("closed")
    else:
        sys.exit("unknown case")
except (OSError, ssl.SSLError) as e:
    print("error:", e)
