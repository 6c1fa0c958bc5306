#!/usr/bin/env bash
# The PostgreSQL store over TLS (ctest label pg): a throwaway cluster
# listening on 127.0.0.1 with ssl = on and a certificate of a test CA;
# gba-bsfctl and a gba-bsf node use a URI with sslmode=verify-full, so
# K and OPc never cross the connection in clear: every client connection
# of the node is TLS (pg_stat_ssl); a server certificate that does not
# chain to sslrootcert is refused.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init
. "$SRC_DIR/tests/e2e/lib/pg.bash"
trap 'rc=$?; pg_stop; set +e; (exit $rc); e2e_cleanup' EXIT

mkdir -p "$T/tls"
cd "$T/tls"
for ca in ca other; do
	openssl req -x509 -newkey rsa:2048 -nodes -keyout $ca.key -out $ca.pem \
		-days 2 -subj "/CN=gba test $ca" >/dev/null 2>&1 || fail "openssl $ca"
done
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
	-subj "/CN=localhost" >/dev/null 2>&1 || fail "openssl csr"
printf 'subjectAltName=DNS:localhost\n' >ext.cnf
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
	-out server.pem -days 2 -extfile ext.cnf >/dev/null 2>&1 || fail "openssl sign"
cd - >/dev/null

pg_start || fail "pg_start"
pg_down
cp "$T/tls/server.pem" "$T/tls/server.key" "$PG_DATA/"
chmod 0600 "$PG_DATA/server.key"
[ -n "$PG_RUNAS" ] && chown "$PG_RUNAS" "$PG_DATA/server.pem" "$PG_DATA/server.key"
PGP=$(free_port)
PG_EXTRA_OPTS="-c listen_addresses=127.0.0.1 -c port=$PGP -c ssl=on -c ssl_cert_file=server.pem -c ssl_key_file=server.key"
pg_up || fail "pg_up with TLS"
TLS_URI="postgresql://gba@localhost:$PGP/gba?sslmode=verify-full&sslrootcert=$T/tls/ca.pem"
BAD_URI="postgresql://gba@localhost:$PGP/gba?sslmode=verify-full&sslrootcert=$T/tls/other.pem"
q() { psql -X -q -At "$TLS_URI" -c "$1"; }

"$BSFCTL" --db "$TLS_URI" init >/dev/null || fail "gba-bsfctl init over TLS"
"$BSFCTL" --db "$BAD_URI" subscriber list >"$T/bad.out" 2>&1 &&
	fail "a server certificate of another CA was accepted"
# the reason, as libpq gives it (gba-bsfctl says "database error")
psql -X "$BAD_URI" -c 'SELECT 1' >"$T/bad.psql" 2>&1 && fail "psql accepted the other CA"
grep -qi "certificate verify failed" "$T/bad.psql" ||
	fail "the other CA refused for another reason: $(cat "$T/bad.psql")"
ok "verify-full: the test CA accepted, another CA refused"

"$SRC_DIR/scripts/demo-pki" "$T/pki" scs1 >/dev/null
ctl() { "$BSFCTL" --db "$TLS_URI" "$@"; }
ctl naf add --name scs1 --cert-id scs1.scs.example --naf "$NAF1:$UA" >/dev/null
ctl subscriber add --impi "$IMPI1" --impu "$IMPU1" --k "$K1" --opc "$OPC1" >/dev/null
ctl assoc add scs1 "$IMPI1" >/dev/null
DB=$T/unused.db
write_config "[store]
url = $TLS_URI"
start_bsf
st=$(nbsp scs1 "$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME)")
[ "$st" = 200 ] || fail "GPI over a TLS store: $st"
n_tls=$(q "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid() AND s.ssl")
n_plain=$(q "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid() AND NOT s.ssl")
[ "$n_tls" -ge 1 ] && [ "$n_plain" -eq 0 ] || fail "node's connections: $n_tls TLS, $n_plain plain"
stop_bsf || fail "unclean stop"
ok "gba-bsf on the store over TLS: $n_tls connection(s), all TLS"
