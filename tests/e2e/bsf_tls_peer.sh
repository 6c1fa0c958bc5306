#!/usr/bin/env bash
# gba-bsf: the SCS (Push-NAF) TLS peer.  Mutual TLS is mandatory
# (TS 33.187 Tsp/T8; require_client_cert = false is refused); the chain is
# checked at every handshake against [tls] ca and [tls] crl with the
# clientAuth purpose, refusals counted by reason on /metrics; the identity
# follows RFC 6125 (subjectAltName present: its first dNSName only, never
# the CN; one rule for every defect of that entry, docs/bsf.md "Client
# identity"); causes that stop the start are logged at err in words.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init

setup_pki_store
cd "$T/pki"
# leaf NAME CN SAN : clientAuth certificate from the trusted CA ("" SAN:
# no subjectAltName extension at all)
leaf() {
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null
	openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
	{
		printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n'
		[ -z "$3" ] || printf 'subjectAltName=%s\n' "$3"
	} >"$1.ext"
	openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
		-days 30 -sha256 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
	rm -f "$1.csr" "$1.ext"
}
long=$(printf 'a%.0s' $(seq 300)).example   # over BSF_CERT_ID_MAX (255)
leaf sanlong scs1.scs.example "DNS:$long,DNS:scs1.scs.example"
leaf sanbad scs1.scs.example "DNS:bad!name.example,DNS:scs1.scs.example"
leaf sanuri scs1.scs.example "URI:https://scs1.scs.example/"
leaf nosan scs1.scs.example ""
leaf revoked other.example "DNS:scs1.scs.example"
# a CRL of the trusted CA revoking "revoked", and one of the untrusted CA
crl() { # CA_NAME OUT [CERT_TO_REVOKE]
	mkdir -p "$T/ca-$1"
	: >"$T/ca-$1/index.txt"
	echo 01 >"$T/ca-$1/crlnumber"
	printf '[ca]\ndefault_ca = d\n[d]\ndatabase = %s\ncrlnumber = %s\ndefault_md = sha256\ndefault_crl_days = 30\n' \
		"$T/ca-$1/index.txt" "$T/ca-$1/crlnumber" >"$T/ca-$1/cnf"
	if [ -n "${3:-}" ]; then
		openssl ca -config "$T/ca-$1/cnf" -keyfile "$1.key" -cert "$1.pem" \
			-revoke "$3" >/dev/null 2>&1 || fail "openssl ca -revoke"
	fi
	openssl ca -config "$T/ca-$1/cnf" -keyfile "$1.key" -cert "$1.pem" \
		-gencrl -out "$2" >/dev/null 2>&1 || fail "openssl ca -gencrl"
}
crl ca crl.pem revoked.pem
crl untrusted-ca foreign-crl.pem
cat crl.pem foreign-crl.pem >both-crl.pem
cd - >/dev/null

# --- mutual TLS cannot be switched off
write_config "[tls]
require_client_cert = false"
if "$BSF" --check-config "$T/bsf.ini" >"$T/out" 2>&1; then
	fail "require_client_cert = false accepted"
fi
grep -q "mandatory" "$T/out" || fail "no reason given: $(cat "$T/out")"
ok "require_client_cert = false refused: $(head -1 "$T/out")"

# --- a CRL file holding a CRL of a CA we do not trust: no start, words
BSF_LOG_LEVEL=err write_config "[tls]
crl = $T/pki/both-crl.pem"
e2e_rc=0
"$BSF" -c "$T/bsf.ini" >>"$T/bsf.stdout" 2>&1 || e2e_rc=$?
[ $e2e_rc = 1 ] || fail "start with a foreign CRL: exit $e2e_rc"
grep -q 'level=err .*crl.*not issued by a CA of \[tls\] ca' "$T/bsf.log" ||
	fail "foreign CRL: no err line in words: $(tail -2 "$T/bsf.log")"
ok "CRL not issued by [tls] ca: start refused, said at err"

write_config "[tls]
crl = $T/pki/crl.pem"
start_bsf
P=/nbsp-gba/v1/push-info-retrieval
# probe NAME -> HTTP status of a GET (405 = certificate and identity
# accepted, 403 = identity refused, 000 = handshake refused)
probe() {
	scs_curl "$1" -o "$T/body" -w '%{http_code}' "$URL$P" 2>/dev/null || true
}
metric() {
	curl -fsS "$ADMIN/metrics" |
		sed -n "s/^gba_bsf_tls_handshake_failures_total{reason=\"$1\"} //p"
}
[ "$(probe scs1)" = 405 ] || fail "scs1 refused with the CRL loaded"
ok "scs1 (not revoked) accepted with [tls] crl loaded"

[ "$(probe revoked)" = 000 ] || fail "revoked certificate got HTTP $(probe revoked)"
[ "$(metric revoked)" = 1 ] || fail "revoked not counted: $(metric revoked)"
grep -q 'level=warning .*TLS handshake failed peer=127.0.0.1:[0-9]* reason=revoked' "$T/bsf.log" ||
	fail "no log line for the revoked peer"
ok "revoked SCS certificate refused in the handshake, counted (revoked=1) and logged"

[ "$(probe serveronly)" = 000 ] || fail "serverAuth-only certificate accepted"
[ "$(metric bad_purpose)" = 1 ] || fail "bad_purpose not counted: $(metric bad_purpose)"
ok "serverAuth-only certificate refused in the handshake (bad_purpose=1)"

# RFC 6125 6.4.4: with a subjectAltName, only the first dNSName counts
for c in sanlong sanbad sanuri; do
	st=$(probe $c)
	[ "$st" = 403 ] || fail "$c: HTTP $st, want 403"
	[ "$(jget cause)" = CLIENT_CERTIFICATE_REJECTED ] || fail "$c: cause $(jget cause)"
done
ok "first dNSName over-long / bad character, SAN without dNSName (CN ignored): all 403"
[ "$(probe nosan)" = 405 ] || fail "certificate without SAN: CN not used"
ok "certificate without subjectAltName: the CN is the identity"
stop_bsf

# --- causes that stop the start: logged at err (visible at any level),
# in words, exit 1
start_case() { # NAME GREP_PATTERN
	local rc=0
	: >"$T/bsf.log"
	"$BSF" -c "$T/bsf.ini" >>"$T/bsf.stdout" 2>&1 || rc=$?
	[ $rc = 1 ] || fail "$1: exit $rc, want 1"
	grep -Eq "level=err .*$2" "$T/bsf.log" ||
		fail "$1: no err line matching '$2': $(tail -3 "$T/bsf.log")"
	ok "$1: $(grep -E 'level=err' "$T/bsf.log" | head -1 | sed 's/.*msg=//')"
}
BSF_LOG_LEVEL=err write_config
sed -i "s#^key = .*#key = $T/pki/scs1.key#" "$T/bsf.ini"
start_case "key does not match the certificate" "key.*(not match|mismatch)"

# hold_port PORT: a listener on PORT until release_port
hold_port() {
	python3 -c 'import socket,time,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); time.sleep(30)' "$1" &
	holder=$!
	for _ in $(seq 50); do
		python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null && break
		sleep 0.05
	done
}
release_port() {
	kill $holder 2>/dev/null || true
	wait $holder 2>/dev/null || true
}
BSF_LOG_LEVEL=err write_config
hold_port "$APORT"
start_case "admin port in use" "admin.*Address already in use"
release_port
BSF_LOG_LEVEL=err write_config
hold_port "$PORT"
start_case "HTTPS port in use" "cannot listen on 127.0.0.1:$PORT: Address already in use"
release_port

BSF_LOG_LEVEL=err write_config
cp "$T/bsf.ini" "$T/first.ini"
start_bsf
BSF_LOG_LEVEL=err write_config
start_case "store locked by another gba-bsf" "locked by another gba-bsf"
