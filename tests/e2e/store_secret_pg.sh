#!/usr/bin/env bash
# Database passwords (ctest label pg, docs/operations.md "Database
# passwords"): a throwaway cluster (tests/e2e/lib/pg.bash) where the role
# "op" owns the database and must give its password (scram-sha-256 on
# the socket in pg_hba.conf; the superuser's trust kept for the set-up).
# gba-bsfctl works through URIs that carry the password (user info,
# ?password=, pass%77ord=), through $GBA_BSF_DB, copy --to, and through a
# PGPASSFILE, passfile= or a service file (docs/operations.md); a wrong password fails (the server logs the failed
# authentication); gba-bsf refuses a password in [store] url and runs
# on the same URI without it and a PGPASSFILE.  The password appears in
# no output of either program (stdout, stderr, gba-bsf's log file) nor
# in the server's log, even on the errors; the locations are shown with
# "***" where it was.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init
. "$SRC_DIR/tests/e2e/lib/pg.bash"
trap 'rc=$?; [ -n "$BSF_PID" ] && kill -9 "$BSF_PID" 2>/dev/null; wait 2>/dev/null; pg_stop; (exit $rc); e2e_cleanup' EXIT

# no password from the caller's environment or home
unset PGPASSWORD PGSERVICE PGSERVICEFILE
export PGPASSFILE=$T/none.pgpass
PW=Zpw-$RANDOM$RANDOM-secret
BAD=Zbad-$RANDOM$RANDOM-secret
O=$T/o # every output of the programs under test
mkdir "$O"

pg_start || fail "pg_start"
pg_psql -c "CREATE ROLE op LOGIN PASSWORD '$PW'" \
	-c "ALTER DATABASE gba OWNER TO op" -c "CREATE DATABASE gba2 OWNER op" \
	>/dev/null || fail "role op"
{ echo "local all op scram-sha-256"; cat "$PG_DATA/pg_hba.conf"; } >"$T/hba"
cat "$T/hba" >"$PG_DATA/pg_hba.conf" # the file keeps its owner
pg_psql -c "SELECT pg_reload_conf()" >/dev/null || fail "reload"
for i in $(seq 1 50); do
	psql -X -w -h "$PG_SOCK" -U op -d gba -c "SELECT 1" >/dev/null 2>&1 || break
	sleep 0.1
done
psql -X -w -h "$PG_SOCK" -U op -d gba -c "SELECT 1" >/dev/null 2>&1 &&
	fail "op connects without a password: pg_hba.conf not in force"
ok "role op needs its password"

U1="postgresql://op:$PW@/gba?host=$PG_SOCK"
M1="postgresql://op:***@/gba?host=$PG_SOCK"
U2="postgresql:///gba?host=$PG_SOCK&user=op&password=$PW"
U3="postgresql:///gba?host=$PG_SOCK&user=op&pass%77ord=$PW"
PLAIN="postgresql:///gba?host=$PG_SOCK&user=op"
n=0
# run NAME CMD...: CMD's stdout in $O/NAME.out, stderr in $O/NAME.err,
# exit status in $rc
run() {
	local name=$1
	shift
	rc=0
	"$@" >"$O/$name.out" 2>"$O/$name.err" || rc=$?
}

# 1. gba-bsfctl with the password in the URI
run init "$BSFCTL" --db "$U1" init
[ "$rc" = 0 ] || fail "init: $(cat "$O/init.err")"
grep -qF "store $M1 ready" "$O/init.out" || fail "init output: $(cat "$O/init.out")"
run naf "$BSFCTL" --db "$U2" naf add --name scs1 --cert-id scs1.scs.example --naf "$NAF1:$UA"
[ "$rc" = 0 ] || fail "naf add (?password=): $(cat "$O/naf.err")"
run sub "$BSFCTL" --db "$U3" subscriber add --impi "$IMPI1" --k "$K1" --opc "$OPC1"
[ "$rc" = 0 ] || fail "subscriber add (pass%77ord=): $(cat "$O/sub.err")"
run env env GBA_BSF_DB="$U1" "$BSFCTL" subscriber list
[ "$rc" = 0 ] && grep -q "$IMPI1" "$O/env.out" || fail "GBA_BSF_DB: $(cat "$O/env.out" "$O/env.err")"
run skip "$BSFCTL" --db "$U1" skip-ahead --since "$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)"
[ "$rc" = 0 ] || fail "skip-ahead: $(cat "$O/skip.err")"
grep -qxF "skipped ahead in $M1: 1 subscribers" "$O/skip.out" || fail "skip-ahead output: $(cat "$O/skip.out")"
"$BSFCTL" --db "$T/s.db" init >/dev/null
"$BSFCTL" --db "$T/s.db" subscriber add --impi "$IMPI2" --k "$K1" --opc "$OPC1" >/dev/null
run copy "$BSFCTL" copy --from "$T/s.db" --to "postgresql://op:$PW@/gba2?host=$PG_SOCK"
[ "$rc" = 0 ] || fail "copy --to URI: $(cat "$O/copy.err")"
ok "gba-bsfctl through URIs with the password: init, naf add, subscriber add, list, skip-ahead, copy"

# 2. a wrong password: refused by the server, named without it
run bad "$BSFCTL" --db "postgresql://op:$BAD@/gba?host=$PG_SOCK" subscriber list
[ "$rc" = 1 ] || fail "wrong password: exit $rc"
grep -qxF "gba-bsfctl: $M1: database error" "$O/bad.err" || fail "wrong password: $(cat "$O/bad.err")"
grep -q 'password authentication failed for user "op"' "$PG_LOG" ||
	fail "no failed authentication in the server log"
run badcopy "$BSFCTL" copy --from "$T/s.db" --to "postgresql:///gba2?host=$PG_SOCK&user=op&password=$BAD"
[ "$rc" = 1 ] || fail "copy with a wrong password: exit $rc"
ok "a wrong password fails, the location shown with ***"

# 3. the recommended way: a PGPASSFILE, no password in the URI
printf '*:*:*:op:%s\n' "$PW" >"$T/pgpass"
chmod 0600 "$T/pgpass"
run plain_nopass "$BSFCTL" --db "$PLAIN" subscriber list
[ "$rc" = 1 ] || fail "no password at all: exit $rc"
export PGPASSFILE=$T/pgpass
run plain "$BSFCTL" --db "$PLAIN" subscriber list
[ "$rc" = 0 ] && grep -q "$IMPI1" "$O/plain.out" || fail "PGPASSFILE: $(cat "$O/plain.err")"
export PGPASSFILE=$T/none.pgpass
run passfile "$BSFCTL" --db "$PLAIN&passfile=$T/pgpass" subscriber list
[ "$rc" = 0 ] && grep -q "$IMPI1" "$O/passfile.out" || fail "passfile=: $(cat "$O/passfile.err")"
printf '[gbapush]\nhost=%s\ndbname=gba\nuser=op\npassword=%s\n' "$PG_SOCK" "$PW" >"$T/svc.conf"
chmod 0600 "$T/svc.conf"
run service env PGSERVICEFILE="$T/svc.conf" "$BSFCTL" --db "postgresql:///?service=gbapush" subscriber list
[ "$rc" = 0 ] && grep -q "$IMPI1" "$O/service.out" || fail "service file: $(cat "$O/service.err")"
export PGPASSFILE=$T/pgpass
ok "gba-bsfctl with a PGPASSFILE, passfile= in the URI, a service file"

# 4. gba-bsf: a password in [store] url refused, never quoted; the
# PGPASSFILE works
"$SRC_DIR/scripts/demo-pki" "$T/pki" scs1 >/dev/null
DB=$T/unused.db
for u in "$U1" "$U2" "$U3" "postgresql:///gba?host=$PG_SOCK&user=op&sslpassword=$PW"; do
	n=$((n + 1))
	write_config "[store]
url = $u"
	run "check$n" "$BSF" --check-config "$T/bsf.ini"
	[ "$rc" = 1 ] || fail "--check-config accepted a password in [store] url ($n)"
	grep -q "no password in the URI" "$O/check$n.err" || fail "refusal $n: $(cat "$O/check$n.err")"
	run "start$n" timeout 20 "$BSF" -c "$T/bsf.ini"
	[ "$rc" = 1 ] || fail "gba-bsf started with a password in [store] url ($n): exit $rc"
done
write_config "[store]
url = $PLAIN"
run check "$BSF" --check-config "$T/bsf.ini"
[ "$rc" = 0 ] || fail "--check-config with a PGPASSFILE: $(cat "$O/check.err")"
start_bsf
curl -fs "$ADMIN/metrics" >"$O/metrics.out" || fail "/metrics"
stop_bsf || fail "gba-bsf stop"
ok "gba-bsf refuses a password in [store] url (4 forms) and runs with a PGPASSFILE"

# 5. the password nowhere
cp "$T/bsf.log" "$T/bsf.stdout" "$O/" 2>/dev/null || true
for f in "$O"/* "$PG_LOG"; do
	if grep -qF -e "$PW" -e "$BAD" "$f"; then
		fail "a password in $(basename "$f"): $(grep -F -e "$PW" -e "$BAD" "$f" | head -3)"
	fi
done
ok "no password in $(ls "$O" | wc -l) outputs nor in the server log"
