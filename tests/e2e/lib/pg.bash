# pg.bash - a throwaway PostgreSQL cluster for tests, the demo and the
# bench (sourced, not a test itself).
#
#   . "$SRC_DIR/tests/e2e/lib/pg.bash"
#   trap 'pg_stop' EXIT          # or call pg_stop from your own EXIT trap
#   pg_start                     # sets PG_URI, PG_DIR, PG_SOCK, PG_LOG ...
#   pg_psql -c 'SELECT 1'
#   pg_down; pg_up               # stop / start the same cluster (data kept)
#
# The cluster lives in a fresh temporary directory: data directory, Unix
# socket directory (listen_addresses = '': no TCP port at all) and log.
# initdb refuses to run as root, so when the caller is root (CI) the
# server runs as an unprivileged user (PG_RUN_USER, default postgres,
# through runuser) that owns the directory, data, socket and log; the
# clients (psql, gba-bsf, gba-bsfctl) connect through the socket as the
# cluster's superuser "gba" (trust authentication: only the socket's
# owner and root can reach it, the socket directory is mode 0700).
# pg_stop stops it (fast, then immediate, then SIGKILL by the PID in
# postmaster.pid) and removes the directory; it is safe to call twice
# and when pg_start failed half way.
#
# Environment: PG_BIN (default /usr/lib/postgresql/15/bin, Debian 12's
# postgresql package), PG_RUN_USER, PG_EXTRA_OPTS (more "-c name=value"
# server settings).

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=
PG_RUNAS=

pg_fail() { echo "pg.bash: $*" >&2; [ -n "${PG_LOG:-}" ] && [ -f "$PG_LOG" ] && tail -20 "$PG_LOG" >&2; return 1; }

# Run a server-side program as the cluster's owner.
pg_as() {
	if [ -n "$PG_RUNAS" ]; then
		runuser -u "$PG_RUNAS" -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	local u
	[ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] ||
		{ pg_fail "no initdb/pg_ctl in $PG_BIN (Debian: apt-get install postgresql)"; return 1; }
	command -v psql >/dev/null || { pg_fail "no psql (postgresql-client)"; return 1; }
	PG_DIR=$(mktemp -d /tmp/gba-pg.XXXXXX)
	PG_DATA=$PG_DIR/data
	PG_SOCK=$PG_DIR/sock
	PG_LOG=$PG_DIR/pg.log
	mkdir -m 0700 "$PG_SOCK"
	: > "$PG_LOG"
	if [ "$(id -u)" -eq 0 ]; then
		u=${PG_RUN_USER:-postgres}
		id "$u" >/dev/null 2>&1 || { pg_fail "user $u missing (it comes with the postgresql package)"; return 1; }
		PG_RUNAS=$u
		chown "$u" "$PG_DIR" "$PG_SOCK" "$PG_LOG"
	fi
	pg_as "$PG_BIN/initdb" -D "$PG_DATA" -U gba -A trust -E UTF8 \
		--locale=C --no-sync >>"$PG_LOG" 2>&1 || { pg_fail "initdb failed"; return 1; }
	pg_up || return 1
	PG_URI="postgresql:///gba?host=$PG_SOCK&user=gba"
	psql -X -q -h "$PG_SOCK" -U gba -d postgres -c 'CREATE DATABASE gba' \
		>>"$PG_LOG" 2>&1 || { pg_fail "CREATE DATABASE failed"; return 1; }
	export PG_URI PG_DIR PG_SOCK PG_LOG PG_DATA
}

# Start the cluster again after pg_down (same data).
pg_up() {
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 30 \
		-o "-c listen_addresses='' -k $PG_SOCK -c unix_socket_permissions=0700 ${PG_EXTRA_OPTS:-}" \
		start >/dev/null || { pg_fail "pg_ctl start failed"; return 1; }
}

# Stop it (fast shutdown: sessions are ended), keeping the data.
pg_down() {
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m "${1:-fast}" -w -t 30 stop >/dev/null
}

# The postmaster's PID, empty when it is not running.
pg_pid() {
	[ -n "$PG_DIR" ] && [ -f "$PG_DATA/postmaster.pid" ] && head -1 "$PG_DATA/postmaster.pid"
	return 0
}

pg_psql() {
	psql -X -q -At -v ON_ERROR_STOP=1 -h "$PG_SOCK" -U gba -d gba "$@"
}

pg_stop() {
	local pid
	[ -n "$PG_DIR" ] && [ -d "$PG_DIR" ] || return 0
	pid=$(pg_pid)
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		pg_down fast 2>/dev/null || pg_down immediate 2>/dev/null || true
		if kill -0 "$pid" 2>/dev/null; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	rm -rf "$PG_DIR"
	PG_DIR=
}
