#!/usr/bin/env bash
# The throwaway PostgreSQL cluster of tests/e2e/lib/pg.bash (ctest label
# pg): it starts without any system service, listens on its Unix socket
# only, runs unprivileged (as PG_RUN_USER when we are root), survives a
# stop/start with its data, and is stopped and removed whatever the
# outcome of the script that started it (EXIT trap), also on failure.
set -euo pipefail
: "${SRC_DIR:?SRC_DIR not set}"
. "$SRC_DIR/tests/e2e/lib/pg.bash"
trap 'pg_stop' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

pg_start || fail "pg_start"
pid=$(pg_pid)
[ -n "$pid" ] && kill -0 "$pid" || fail "no postmaster"
[ "$(pg_psql -c 'SELECT 1')" = 1 ] || fail "query"
[ "$(pg_psql -c "SELECT current_setting('listen_addresses')")" = "" ] ||
	fail "listens on TCP"
[ "$(pg_psql -c "SELECT current_setting('unix_socket_directories')")" = "$PG_SOCK" ] ||
	fail "socket not in the temp dir"
[ "$(stat -c %a "$PG_SOCK")" = 700 ] || fail "socket dir mode"
if [ "$(id -u)" -eq 0 ]; then
	u=${PG_RUN_USER:-postgres}
	[ "$(stat -c %U /proc/"$pid")" = "$u" ] || fail "server not run as $u"
	for f in "$PG_DATA" "$PG_SOCK" "$PG_LOG"; do
		[ "$(stat -c %U "$f")" = "$u" ] || fail "$f not owned by $u"
	done
fi
ok "cluster up: socket only, unprivileged"

# the libpq URI the daemon and gba-bsfctl take
[ "$(psql -X -At "$PG_URI" -c 'SELECT current_database()')" = gba ] ||
	fail "PG_URI $PG_URI"
pg_psql -c 'CREATE TABLE t(x int); INSERT INTO t VALUES (42)'
pg_down
psql -X -At "$PG_URI" -c 'SELECT 1' >/dev/null 2>&1 && fail "answers while down"
pg_up
[ "$(pg_psql -c 'SELECT x FROM t')" = 42 ] || fail "data lost over stop/start"
ok "stop / start keeps the data"

# A script that starts a cluster and then fails still stops it.
out=$(mktemp /tmp/pg-child.XXXXXX)
set +e
SRC_DIR=$SRC_DIR bash -c '
	. "$SRC_DIR/tests/e2e/lib/pg.bash"
	trap pg_stop EXIT
	pg_start || exit 9
	echo "$(pg_pid) $PG_DIR" > "'"$out"'"
	exit 3'
rc=$?
set -e
read -r cpid cdir < "$out"
rm -f "$out"
[ $rc -eq 3 ] || fail "child exit $rc"
[ -n "$cpid" ] || fail "child did not start its cluster"
for _ in $(seq 50); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$cpid" 2>/dev/null && fail "child's postmaster $cpid still running"
[ -e "$cdir" ] && fail "child's $cdir left behind"
ok "cluster stopped and removed after a failing script"
echo "PASS store_pg"
