#!/usr/bin/env bash
# gba-bsf SIGHUP and --check-config.
# --check-config refuses what the daemon would refuse: a key that does not
# match the certificate, an unreadable certificate, a listen address that
# is not an IP literal, a missing store, a key given twice.
# SIGHUP reopens the log file (rotation) and reloads [tls] cert, key and
# ca: new handshakes get the new server certificate and the new client CA,
# a connection established before goes on with the old one; a failed
# reload (key not matching) keeps the old credentials and logs the cause at
# err.  SIGUSR1/SIGUSR2 are ignored.  The daemon then still stops cleanly.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init

cat >"$T/peer.py" <<'PY'
# peer.py PORT PKI NAME [READY GO]: mutual TLS to gba-bsf as NAME from PKI;
# sends one request and prints "fp=<sha256 of the server certificate>";
# with READY/GO: after the handshake touches READY and waits for GO before
# the request, then also prints "status=<code>".  "refused" when the
# handshake or the request fails.
import hashlib, os, socket, ssl, sys, time
def response(s):
    """one whole HTTP response (Content-Length framing): its status"""
    buf = b""
    while b"\r\n\r\n" not in buf:
        d = s.recv(4096)
        if not d:
            raise ConnectionError
        buf += d
    head, body = buf.split(b"\r\n\r\n", 1)
    n = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            n = int(v)
    while len(body) < n:
        body += s.recv(4096)
    return head.split(b" ")[1].decode()
port, pki, name = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE   # the test compares the fingerprint itself
ctx.load_cert_chain(os.path.join(pki, name + ".pem"), os.path.join(pki, name + ".key"))
hold = len(sys.argv) > 5
try:
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)))
    s.settimeout(5)
    fp = hashlib.sha256(s.getpeercert(binary_form=True)).hexdigest()
    if hold:
        open(sys.argv[4], "w").close()
        t0 = time.time()
        while not os.path.exists(sys.argv[5]) and time.time() - t0 < 20:
            time.sleep(0.05)
    # TLS 1.3: a refused client certificate shows on the first read
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    status = response(s)
except (ssl.SSLError, OSError, ConnectionError):
    print("refused")
    sys.exit(0)
print("fp=" + fp, flush=True)
if hold:
    print("status=" + status, flush=True)
PY
peer() { python3 "$T/peer.py" "$PORT" "$@"; }
fp() { openssl x509 -in "$1" -outform DER | sha256sum | cut -d' ' -f1; }

setup_pki_store
write_config

# ---- --check-config ----
"$BSF" --check-config "$T/bsf.ini" >/dev/null || fail "--check-config on a good file"
chk_bad() { # what ini-file
	local rc=0
	"$BSF" --check-config "$2" >/dev/null 2>"$T/err" || rc=$?
	[ $rc = 1 ] || fail "--check-config accepts $1 (exit $rc)"
}
sed "s|^key = .*|key = $T/pki/scs1.key|" "$T/bsf.ini" >"$T/c1.ini"
chk_bad "a key that does not match the certificate" "$T/c1.ini"
grep -q "key" "$T/err" || fail "mismatch message: $(cat "$T/err")"
printf 'not a certificate\n' >"$T/junk.pem"
sed "s|^cert = .*|cert = $T/junk.pem|" "$T/bsf.ini" >"$T/c2.ini"
chk_bad "a file that is not a certificate" "$T/c2.ini"
sed "0,/^listen = .*/s//listen = localhost/" "$T/bsf.ini" >"$T/c3.ini"
chk_bad "listen = localhost (not an IP literal)" "$T/c3.ini"
grep -q "listen" "$T/err" || fail "listen message: $(cat "$T/err")"
sed "s|^path = .*|path = $T/nosuch.db|" "$T/bsf.ini" >"$T/c4.ini"
chk_bad "a store that does not exist" "$T/c4.ini"
[ ! -e "$T/nosuch.db" ] || fail "--check-config created the store"
# an empty store file is what the daemon migrates at start: accepted, and
# left untouched (read-only)
: >"$T/empty.db"
sed "s|^path = .*|path = $T/empty.db|" "$T/bsf.ini" >"$T/c6.ini"
"$BSF" --check-config "$T/c6.ini" >"$T/out" 2>"$T/err" || fail "--check-config refuses a store the daemon would migrate: $(cat "$T/err")"
grep -q "older schema, migrated when gba-bsf starts" "$T/out" || fail "no note on the older schema"
[ ! -s "$T/empty.db" ] || fail "--check-config wrote to the store"
printf '[limits]\nrate = 5\nrate = 7\n' | cat "$T/bsf.ini" - >"$T/c5.ini"
chk_bad "a key given twice" "$T/c5.ini"
grep -q "duplicate key \[limits\] rate" "$T/err" || fail "duplicate message: $(cat "$T/err")"
ok "--check-config refuses key mismatch, bad cert, non-IP listen, missing store, duplicate key"

# ---- SIGHUP ----
start_bsf
FP0=$(fp "$T/pki/server.pem")
[ "$(peer "$T/pki" scs1)" = "fp=$FP0" ] || fail "first handshake"
cp -r "$T/pki" "$T/pki-old"
peer "$T/pki-old" scs1 "$T/ready" "$T/go" >"$T/held" &
HELD=$!
for _ in $(seq 100); do [ -e "$T/ready" ] && break; sleep 0.05; done
[ -e "$T/ready" ] || fail "held connection not established"

# new PKI (new CA, new server certificate), log rotated
"$SRC_DIR/scripts/demo-pki" "$T/pki2" scs1 >/dev/null
cp "$T/pki2/server.pem" "$T/pki/server.pem"
cp "$T/pki2/server.key" "$T/pki/server.key"
cp "$T/pki2/ca.pem" "$T/pki/ca.pem"
mv "$T/bsf.log" "$T/bsf.log.1"
kill -HUP "$BSF_PID"
for _ in $(seq 100); do grep -q 'msg="reloaded"' "$T/bsf.log" 2>/dev/null && break; sleep 0.05; done
kill -0 "$BSF_PID" 2>/dev/null || fail "SIGHUP killed gba-bsf"
grep -q 'msg="reloaded"' "$T/bsf.log" 2>/dev/null || fail "no 'reloaded' in the reopened log file"
grep -q 'reloaded' "$T/bsf.log.1" && fail "'reloaded' went to the rotated file"
ok "SIGHUP: daemon alive, log file reopened, 'reloaded' logged"

FP2=$(fp "$T/pki2/server.pem")
[ "$(peer "$T/pki2" scs1)" = "fp=$FP2" ] || fail "new handshake does not use the new certificate"
[ "$(peer "$T/pki-old" scs1)" = "refused" ] || fail "client of the old CA still accepted after reload"
touch "$T/go"
wait "$HELD"
grep -q "^fp=$FP0$" "$T/held" && grep -q "^status=[0-9]" "$T/held" ||
	fail "connection established before the reload: $(cat "$T/held")"
ok "SIGHUP: new handshakes use the new certificate and CA, the established connection goes on"

# a failed reload: key of another certificate
cp "$T/pki2/scs1.key" "$T/pki/server.key"
kill -HUP "$BSF_PID"
for _ in $(seq 100); do grep -q 'reload failed' "$T/bsf.log" && break; sleep 0.05; done
grep -q 'level=err .*reload failed, TLS credentials unchanged' "$T/bsf.log" ||
	fail "failed reload not logged at err: $(tail -3 "$T/bsf.log")"
kill -0 "$BSF_PID" 2>/dev/null || fail "a failed reload killed gba-bsf"
[ "$(peer "$T/pki2" scs1)" = "fp=$FP2" ] || fail "credentials changed by a failed reload"
ok "failed reload: logged at err, old credentials kept"

kill -USR1 "$BSF_PID"
kill -USR2 "$BSF_PID"
sleep 0.2
kill -0 "$BSF_PID" 2>/dev/null || fail "SIGUSR1/SIGUSR2 killed gba-bsf"
stop_bsf || fail "gba-bsf did not stop cleanly after the reloads"
ok "SIGUSR1/SIGUSR2 ignored; clean stop"
echo "bsf_reload: all checks passed"
