#!/usr/bin/env bash
# Backup and restore of the PostgreSQL store (issue 14; ctest label pg),
# the procedure of docs/operations.md section 4: gba-bsf on a throwaway
# cluster, GPIs issued, pg_dump taken online, the node restarted and more
# GPIs issued (the dump knows neither its new window nor them), the database dropped and put back by pg_restore,
# gba-bsfctl skip-ahead --since the dump time, then a GPI per subscriber:
# its SQN lies above every SQN issued before.  Every SQN is recovered
# from its AUTN by the Python Milenage of tests/uicc/usim_model.py (not
# the project's code).  The same restore without the skip-ahead issues
# an SQN already used (the hazard the procedure closes).  Also: backup /
# restore on a PostgreSQL URI refuse, naming pg_dump / pg_restore and
# skip-ahead; skip-ahead refuses while gba-bsf is connected.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init
. "$SRC_DIR/tests/e2e/lib/pg.bash"
trap 'rc=$?; pg_stop; set +e; (exit $rc); e2e_cleanup' EXIT
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

pg_start || fail "pg_start"
"$SRC_DIR/scripts/demo-pki" "$T/pki" scs1 >/dev/null
ctl() { "$BSFCTL" --db "$PG_URI" "$@"; }
rc_of() { set +e; "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; set -e; cat "$T/rc"; }
ctl init >/dev/null
ctl naf add --name scs1 --cert-id scs1.scs.example --naf "$NAF1:$UA" >/dev/null
subs=()
for n in 1 2; do
	impi=00101000000000$n@ims.mnc001.mcc001.3gppnetwork.org
	ctl subscriber add --impi "$impi" --k "$K1" --opc "$OPC1" >/dev/null
	ctl assoc add scs1 "$impi" >/dev/null
	subs+=("$impi")
done
DB=$T/unused.db
# the rate limit the margin is derived from (defaults, written out)
write_config "[store]
url = $PG_URI
ue_rate = 60
ue_burst = 16"

# gpis N FILE: N GPIs per subscriber, "IMPI GPI" lines appended to FILE
gpis() {
	local i impi st
	for i in $(seq 1 "$1"); do
		for impi in "${subs[@]}"; do
			st=$(nbsp scs1 "$(req_json "$impi" PRIVATE "$NAF1" GBA_ME)")
			[ "$st" = 200 ] || fail "GPI for $impi: HTTP $st $(cat "$T/body")"
			echo "$impi $(jget gbaPushInfo)" >>"$2"
		done
	done
}
# sqns FILE: "IMPI SQN" per GPI (Python oracle, e2e.bash)
sqns() { sqns_oracle "$1" /dev/stdout; }
# max_sqn FILE IMPI
max_sqn() { awk -v i="$2" '$1 == i && $2 > m { m = $2 } END { print m + 0 }' "$1"; }
dump_restore() {
	psql -X -q -h "$PG_SOCK" -U gba -d postgres -c 'DROP DATABASE gba' || fail "drop database"
	psql -X -q -h "$PG_SOCK" -U gba -d postgres -c 'CREATE DATABASE gba' || fail "create database"
	"$PG_BIN/pg_restore" -h "$PG_SOCK" -U gba -d gba "$T/store.dump" || fail "pg_restore"
}

# --- backup / restore on a PostgreSQL URI: refused, with the tools ------
[ "$(rc_of ctl backup "$T/b.db")" = 1 ] || fail "backup on PostgreSQL rc"
grep -q "pg_dump" "$T/err" && grep -q "pg_restore" "$T/err" && grep -q "skip-ahead" "$T/err" ||
	fail "backup message: $(cat "$T/err")"
[ ! -e "$T/b.db" ] || fail "backup wrote a file"
[ "$(rc_of ctl restore "$T/b.db")" = 1 ] || fail "restore on PostgreSQL rc"
grep -q "pg_dump" "$T/err" && grep -q "pg_restore" "$T/err" && grep -q "skip-ahead" "$T/err" ||
	fail "restore message: $(cat "$T/err")"
ok "backup / restore on PostgreSQL refuse and name pg_dump, pg_restore, skip-ahead"

# --- GPIs, online dump, more GPIs ----------------------------------------
start_bsf
gpis 3 "$T/before"
since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
"$PG_BIN/pg_dump" -h "$PG_SOCK" -U gba -Fc -f "$T/store.dump" gba || fail "pg_dump"
# after the dump: a node restart (its window lost, a new one reserved
# above the dump's H) and more GPIs, none of which the dump knows
stop_bsf || fail "unclean stop"
start_bsf
gpis 4 "$T/after"
# skip-ahead refuses while a node is connected
[ "$(rc_of ctl skip-ahead --since "$since")" = 1 ] || fail "skip-ahead with gba-bsf running rc"
grep -q "gba-bsf is running" "$T/err" || fail "skip-ahead running message: $(cat "$T/err")"
stop_bsf || fail "unclean stop"
cat "$T/before" "$T/after" >"$T/issued"
sqns "$T/issued" >"$T/issued.sqn"
[ "$(wc -l <"$T/issued.sqn")" = 14 ] || fail "oracle lines"

# --- without the skip-ahead: an SQN issued after the dump comes again ----
dump_restore
start_bsf
gpis 1 "$T/noskip"
stop_bsf || fail "unclean stop"
sqns "$T/noskip" >"$T/noskip.sqn"
rep=$(sort "$T/issued.sqn" "$T/noskip.sqn" | uniq -d | wc -l)
[ "$rep" -gt 0 ] || fail "without skip-ahead no SQN repeated: the test shows nothing"
ok "restore alone: $rep SQNs issued a second time (the hazard)"

# --- the procedure: pg_restore, skip-ahead, start -------------------------
dump_restore
ctl skip-ahead --since "$since" --config "$T/bsf.ini" >"$T/skip.out" || fail "skip-ahead: $(cat "$T/skip.out")"
cat "$T/skip.out"
grep -q "skipped ahead in .*: 2 subscribers" "$T/skip.out" || fail "skip-ahead summary"
age=$(sed -n 's/^backup_age_s=//p' "$T/skip.out")
margin=$(sed -n 's/^seq_margin=\([0-9]*\) .*/\1/p' "$T/skip.out")
# B 256 * 1 node * ((1 restart + 1) * burst 16 + ceil(60/min * age / 60))
[ "$margin" = $((256 * (2 * 16 + age))) ] || fail "margin $margin for age $age"
start_bsf
gpis 1 "$T/final"
stop_bsf || fail "unclean stop"
sqns "$T/final" >"$T/final.sqn"
while read -r impi sqn; do
	m=$(max_sqn "$T/issued.sqn" "$impi")
	[ "$sqn" -gt "$m" ] || fail "$impi: SQN $sqn after the restore, $m issued before"
	echo "  $impi: highest issued before $m, after restore + skip-ahead $sqn"
done <"$T/final.sqn"
ok "pg_dump, pg_restore, skip-ahead: every new SQN above all issued before"
