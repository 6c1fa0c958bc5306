#!/usr/bin/env bash
# No database password in what gba-bsfctl and gba-bsf print
# (docs/operations.md "Database passwords"): store locations carrying a
# secret in each form libpq reads (user info, ?password=, a
# percent-encoded parameter name, sslpassword, key=value conninfo, a
# malformed URI whose libpq error would quote it) point at a socket
# directory where no PostgreSQL listens, so every command fails; each
# must name the location with "***" in place of the secret, and no
# secret may appear on stdout, stderr or in gba-bsf's log file.  The
# expected messages are written out here.  A real cluster with password
# authentication: tests/e2e/store_secret_pg.sh.
set -euo pipefail
BUILD_DIR=${BUILD_DIR:?}
SRC_DIR=${SRC_DIR:?}
BSFCTL=$BUILD_DIR/bsf/gba-bsfctl
BSF=$BUILD_DIR/bsf/gba-bsf
T=$(mktemp -d /tmp/store_secret.XXXXXX)
trap 'rm -rf "$T"' EXIT
CLI_WORK=$T
. "$SRC_DIR/tests/e2e/lib/e2e.bash" # write_config
. "$(dirname "$0")/lib/cli.bash"

S1=Zu1-userinfo-secret
S2=Zu2-param-secret
S3=Zu3-encoded-name-secret
S4=Zu4-key-passphrase
S5=Zu5-conninfo-secret
SECRETS="$S1 $S2 $S3 $S4 $S5"
NS=$T/nosock # a socket directory without a server
mkdir "$NS"

# no_secret FILE...: none of the secrets in any FILE
no_secret() {
	local s f
	for f in "$@"; do
		for s in $SECRETS; do
			if grep -qF -- "$s" "$f"; then
				fail "secret $s in $(basename "$f"): $(grep -F -- "$s" "$f" | head -3)"
			fi
		done
	done
}

# bsfctl_err DB WANT ARGS...: gba-bsfctl --db DB ARGS fails (exit 1) with
# the stderr line WANT, and shows no secret
bsfctl_err() {
	local db=$1 want=$2
	shift 2
	expect_rc 1 "$BSFCTL" --db "$db" "$@"
	no_secret "$T/out" "$T/err"
	grep -qxF -- "$want" "$T/err" || fail "stderr: $(cat "$T/err"), want: $want"
}

# --- gba-bsfctl ---------------------------------------------------------
bsfctl_err "postgresql://op:$S1@/gba?host=$NS" \
	"gba-bsfctl: postgresql://op:***@/gba?host=$NS: database error" \
	subscriber list
bsfctl_err "postgresql://op:$S1@/gba?host=$NS" \
	"gba-bsfctl: postgresql://op:***@/gba?host=$NS: database error" init
bsfctl_err "postgresql:///gba?host=$NS&user=op&password=$S2" \
	"gba-bsfctl: postgresql:///gba?host=$NS&user=op&password=***: database error" \
	naf list
# libpq decodes parameter names: pass%77ord is password
bsfctl_err "postgresql:///gba?host=$NS&user=op&pass%77ord=$S3" \
	"gba-bsfctl: postgresql:///gba?host=$NS&user=op&pass%77ord=***: database error" \
	subscriber show 001010000000001@ims.example
bsfctl_err "postgresql://op@/gba?host=$NS&sslpassword=$S4" \
	"gba-bsfctl: postgresql://op@/gba?host=$NS&sslpassword=***: database error" \
	assoc list
bsfctl_err "postgresql://op:$S1@/gba?host=$NS" \
	"gba-bsfctl: postgresql://op:***@/gba?host=$NS: cannot read" \
	skip-ahead --since 2026-01-01T00:00:00Z
# libpq cannot parse it, and its error would quote the secret
bsfctl_err "postgresql://op:$S1@/gba?host=$NS&password=$S2%zz" \
	"gba-bsfctl: postgresql://*** (malformed URI): database error" \
	subscriber list
# a key=value conninfo is no store location: refused as a usage error,
# named without its password, and no SQLite file of that name is created
# (before: "no such store", and `init` created the file "host=... password=...")
cd "$T"
for cmd in "subscriber list" init; do
	# shellcheck disable=SC2086
	expect_rc 2 "$BSFCTL" --db "host=$NS password=$S5" $cmd
	no_secret "$T/out" "$T/err"
	grep -qxF "gba-bsfctl: --db host=$NS password=***: a libpq keyword=value string: give a postgresql:// URI (or ./NAME for a SQLite file of that name) (try --help)" "$T/err" ||
		fail "conninfo --db ($cmd): $(cat "$T/err")"
done
expect_rc 2 "$BSFCTL" copy --from "$T/none.db" --to "dbname=gba password=$S5"
no_secret "$T/out" "$T/err"
grep -qF "gba-bsfctl: --to dbname=gba password=***: a libpq keyword=value" "$T/err" ||
	fail "conninfo --to: $(cat "$T/err")"
if ls "$T" | grep -q '='; then fail "a file named after the conninfo: $(ls "$T")"; fi
cd - >/dev/null
# $GBA_BSF_DB as --db
GBA_BSF_DB="postgresql://op:$S1@/gba?host=$NS" expect_rc 1 "$BSFCTL" export
no_secret "$T/out" "$T/err"
grep -qxF "gba-bsfctl: postgresql://op:***@/gba?host=$NS: database error" "$T/err" ||
	fail "GBA_BSF_DB: $(cat "$T/err")"
# copy into a URI with a password
"$BSFCTL" --db "$T/s.db" init >/dev/null
expect_rc 1 "$BSFCTL" copy --from "$T/s.db" --to "postgresql://op:$S1@/gba?host=$NS&sslpassword=$S4"
no_secret "$T/out" "$T/err"
# a SQLite path is shown as given
expect_rc 1 "$BSFCTL" --db "$T/none/s.db" subscriber list
grep -qxF "gba-bsfctl: $T/none/s.db: no such store (run gba-bsfctl init)" "$T/err" ||
	fail "SQLite path: $(cat "$T/err")"
echo "ok: gba-bsfctl"

# --- gba-bsf: [store] url -------------------------------------------------
"$SRC_DIR/scripts/demo-pki" "$T/pki" >/dev/null
conf() { # URL -> $T/bsf.ini: [store] url (it replaces the path $DB)
	DB=$T/unused.db
	write_config "[store]
url = $1"
}
# bsf_refused URL WANT: --check-config and a start both refuse URL with
# the message WANT, no secret anywhere
bsf_refused() {
	conf "$1"
	expect_rc 1 "$BSF" --check-config "$T/bsf.ini"
	no_secret "$T/out" "$T/err"
	grep -qF -- "$2" "$T/err" || fail "--check-config: $(cat "$T/err"), want: $2"
	: >"$T/bsf.log"
	expect_rc 1 timeout 20 "$BSF" -c "$T/bsf.ini"
	no_secret "$T/out" "$T/err" "$T/bsf.log"
	grep -qF -- "$2" "$T/err" || fail "start: $(cat "$T/err"), want: $2"
}
bsf_refused "postgresql://op:$S1@/gba?host=$NS" "[store] url: no password in the URI"
bsf_refused "postgresql:///gba?host=$NS&user=op&password=$S2" "[store] url: no password in the URI"
bsf_refused "postgresql:///gba?host=$NS&user=op&pass%77ord=$S3" "[store] url: no password in the URI"
bsf_refused "postgresql:///gba?host=$NS&user=op&sslpassword=$S4" "[store] url: no password in the URI"
bsf_refused "postgresql:///gba?host=$NS&user=op&pass%77ord=$S3%zz" "[store] url: libpq cannot parse"
# a URI as [store] path: the same rule
DB="postgresql:///gba?host=$NS&user=op&password=$S2"
write_config
expect_rc 1 "$BSF" --check-config "$T/bsf.ini"
no_secret "$T/out" "$T/err"
grep -qF "[store] path: no password in the URI" "$T/err" || fail "[store] path URI: $(cat "$T/err")"
# no secret: the location as given, in the error and in the log
conf "postgresql:///gba?host=$NS&user=op"
expect_rc 1 "$BSF" --check-config "$T/bsf.ini"
grep -qxF "gba-bsf: [store] path 'postgresql:///gba?host=$NS&user=op': database error" "$T/err" ||
	fail "--check-config without a secret: $(cat "$T/err")"
expect_rc 1 timeout 20 "$BSF" -c "$T/bsf.ini"
grep -qF "cannot open store postgresql:///gba?host=$NS&user=op: database error" "$T/bsf.log" ||
	fail "log without a secret: $(cat "$T/bsf.log")"
echo "ok: gba-bsf"
# a keyword=value string as [store] path: refused, not a SQLite file name
DB="host=$NS password=$S5"
write_config
expect_rc 1 "$BSF" --check-config "$T/bsf.ini"
no_secret "$T/out" "$T/err"
grep -qF "[store] path: a libpq keyword=value string" "$T/err" ||
	fail "[store] path conninfo: $(cat "$T/err")"
echo "ok: gba-bsf conninfo"

# --- gba-hss: the same rules for its [store] ------------------------------
HSS=$BUILD_DIR/bsf/gba-hss
# hss_refused LOCATION KEY WANT: gba-hss -c refuses the location before it
# opens anything, no secret on stdout, stderr or in its log (before: it
# tried the URI and logged it whole, password included)
hss_refused() {
	cat >"$T/hss.ini" <<INI
[store]
$2 = $1
[diameter]
conf = $T/none.conf
[log]
file = $T/hss.log
INI
	: >"$T/hss.log"
	expect_rc 1 timeout 20 "$HSS" -c "$T/hss.ini"
	no_secret "$T/out" "$T/err" "$T/hss.log"
	grep -qF -- "$3" "$T/err" || fail "gba-hss $2: $(cat "$T/err"), want: $3"
}
hss_refused "postgresql://op:$S1@/gba?host=$NS" url "[store] url: no password in the URI"
hss_refused "postgresql:///gba?host=$NS&user=op&pass%77ord=$S3" path "[store] path: no password in the URI"
hss_refused "postgresql:///gba?host=$NS&user=op&sslpassword=$S4" url "[store] url: no password in the URI"
hss_refused "host=$NS password=$S5" path "[store] path: a libpq keyword=value string"
echo "ok: gba-hss"
