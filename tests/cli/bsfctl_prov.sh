#!/usr/bin/env bash
# gba-bsfctl provisioning (issue 14): init makes the store's directory,
# naf remove refuses to drop associations without --force, subscriber /
# naf modify keep SQN state and associations, import --on-conflict, BOM
# and header case, assoc import, backup (0600) and restore with the SQN
# skip-ahead.  Expected SQN values are computed here from the rules in
# docs/hss-store.md (window bound F + (R - RF + 1) * B, SQN = SEQ || IND
# with 5 IND bits), not taken from the tool.
set -euo pipefail
BSFCTL="${BUILD_DIR:?}/bsf/gba-bsfctl"
T=$(mktemp -d /tmp/bsfctl_prov.XXXXXX)
LOCKPID=
cleanup() { [ -n "$LOCKPID" ] && kill "$LOCKPID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
DB="$T/state/s.db"
ctl() { "$BSFCTL" --db "$DB" "$@"; }
rc_of() { set +e; "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; set -e; cat "$T/rc"; }
K=465b5ce8b199b49faa5f0a2ee238a6bc
OPC=cd63cb71954a9f4e48a5994e37a02baf
K2=fec86ba6eb707ed08905757b1bb44b8f
OPC2=1006020f0a478bf6b699f15c062e42b3
sqlset() { python3 -c 'import sqlite3,sys
c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()' "$@"; }
# SQN bound shown by `subscriber show` for SEQ bound b: b << 5 | 31
sqn_of() { echo $(( ($1 << 5) | 31 )); }

# --- init: the directory ---------------------------------------------
[ "$(rc_of "$BSFCTL" --db "$T/no/such/s.db" init)" = 1 ] || fail "init missing parent rc"
grep -q "directory $T/no is missing" "$T/err" || fail "init message: $(cat "$T/err")"
ctl init | grep -q "created directory $T/state" || fail "init dir"
[ "$(stat -c %a "$T/state")" = 700 ] || fail "dir mode $(stat -c %a "$T/state")"
[ "$(stat -c %a "$DB")" = 600 ] || fail "db mode"

# an AuC has run: run 3, block 256 (as gba-bsf leaves them)
sqlset "$DB" "INSERT OR REPLACE INTO meta VALUES('hss_run',3),('seq_block',256),('ind_bits',5)"
ctl naf add --name scs1 --cert-id scs1.example.com >/dev/null
ctl naf add --name scs2 --cert-id scs2.example.com >/dev/null
ctl subscriber add --impi a@ims.example --k $K --opc $OPC --sqn 6400 \
	--impu tel:+15550100 >/dev/null
ctl assoc add scs1 a@ims.example >/dev/null
# F = 6400 >> 5 = 200, RF = 3: bound 200 + 256
ctl subscriber show a@ims.example | grep -qx "sqn_bound=$(sqn_of 456)" || fail "initial bound"

# --- naf remove refuses to drop associations --------------------------
[ "$(rc_of ctl naf remove scs1)" = 1 ] || fail "naf remove with associations rc"
grep -q "1 associations would go" "$T/err" || fail "naf remove message: $(cat "$T/err")"
ctl assoc list | grep -q "scs1.a@ims.example" || fail "association dropped"
ctl naf remove scs2 | grep -q "removed Push-NAF scs2 and 0 associations" || fail "empty naf remove"

# --- subscriber modify keeps SQN state and associations ---------------
ctl subscriber modify a@ims.example --amf 8000 --imsi 001010000000001 >/dev/null
out=$(ctl subscriber show a@ims.example --show-secrets)
echo "$out" | grep -qx "amf=8000" || fail "modify amf"
echo "$out" | grep -qx "imsi=001010000000001" || fail "modify imsi"
echo "$out" | grep -qx "k=$K" || fail "modify kept K"
echo "$out" | grep -qx "impu=tel:+15550100" || fail "modify kept IMPU"
echo "$out" | grep -qx "nafs=scs1" || fail "modify kept association"
# new F = old bound 456 (nothing the old record issued repeats), RF = 3
echo "$out" | grep -qx "sqn_bound=$(sqn_of 712)" || fail "modify SQN: $(echo "$out" | grep sqn)"
ctl subscriber modify a@ims.example --k $K2 --opc $OPC2 >/dev/null
ctl subscriber show a@ims.example --show-secrets | grep -qx "opc=$OPC2" || fail "modify key"
[ "$(rc_of ctl subscriber modify nobody@ims.example --amf 0000)" = 1 ] || fail "modify unknown rc"
[ "$(rc_of ctl subscriber modify a@ims.example --amf zz00)" = 2 ] || fail "modify bad hex rc"
[ "$(rc_of ctl subscriber modify a@ims.example --k $K)" = 2 ] || fail "modify K without OPc rc"

# --- naf modify keeps associations ------------------------------------
ctl naf modify scs1 --cert-id new.example.com --naf naf.example.com:0100000005 >/dev/null
ctl naf show scs1 | grep -qx "cert_id=new.example.com" || fail "naf modify cert"
ctl naf show scs1 | grep -qx "naf_id=naf.example.com:0100000005" || fail "naf modify naf id"
ctl assoc list --naf scs1 | grep -q "a@ims.example" || fail "naf modify dropped association"

# --- import: BOM, header case, --on-conflict --------------------------
printf '\xef\xbb\xbfIMPI,K,OPc,Amf,NAF\na@ims.example,%s,%s,0001,scs1\nb@ims.example,%s,%s,0002,scs1\n' \
	$K $OPC $K $OPC >"$T/in.csv"
[ "$(rc_of ctl import "$T/in.csv")" = 1 ] || fail "import conflict default rc"
grep -q "line 2: field 'impi/imsi/impu': already exists" "$T/err" || fail "conflict report: $(cat "$T/err")"
grep -q "imported 1 subscribers, 1 lines failed" "$T/out" || fail "import summary"
[ "$(rc_of ctl import "$T/in.csv" --on-conflict skip)" = 0 ] || fail "skip rc $(cat "$T/err")"
grep -q "imported 2 subscribers (0 added, 0 updated, 2 skipped), 0 lines failed" "$T/out" \
	|| fail "skip summary: $(cat "$T/out")"
ctl subscriber show a@ims.example | grep -qx "amf=8000" || fail "skip changed a"
[ "$(rc_of ctl import "$T/in.csv" --on-conflict update)" = 0 ] || fail "update rc"
grep -q "(0 added, 2 updated, 0 skipped)" "$T/out" || fail "update summary: $(cat "$T/out")"
ctl subscriber show a@ims.example | grep -qx "amf=0001" || fail "update a"
ctl subscriber show a@ims.example | grep -qx "nafs=scs1" || fail "update kept association"
# updated again: bound moved above the previous one
ctl subscriber show a@ims.example | grep -q "sqn_bound=$(sqn_of 1224)" \
	|| fail "update SQN: $(ctl subscriber show a@ims.example | grep sqn)"
[ "$(rc_of ctl import "$T/in.csv" --on-conflict merge)" = 2 ] || fail "bad --on-conflict rc"

# --- assoc import -----------------------------------------------------
ctl naf add --name scs3 --cert-id scs3.example.com >/dev/null
printf 'Naf,Identity\nscs3,a@ims.example\nscs3,a@ims.example\nnosuch,a@ims.example\nscs3,nobody@x\nscs3,b@ims.example\n' >"$T/as.csv"
[ "$(rc_of ctl assoc import "$T/as.csv")" = 1 ] || fail "assoc import rc"
grep -q "line 4: field 'naf': no such Push-NAF" "$T/err" || fail "assoc line 4: $(cat "$T/err")"
grep -q "line 5: field 'identity': no such subscriber" "$T/err" || fail "assoc line 5"
[ "$(wc -l <"$T/err")" -eq 2 ] || fail "assoc errors: $(cat "$T/err")"
grep -q "imported 3 associations (1 already present), 2 lines failed" "$T/out" \
	|| fail "assoc summary: $(cat "$T/out")"
[ "$(ctl assoc list --naf scs3 | grep -c ims.example)" -eq 2 ] || fail "assoc import content"
# on a terminal: the progress bar of the subscriber import (script(1)
# gives the tool a pty), and re-running is harmless
if command -v script >/dev/null; then
	set +e
	script -qec "$BSFCTL --db $DB assoc import $T/as.csv" /dev/null | tr -d '\r' >"$T/tty.out"
	set -e
	grep -q "importing \[#########################\] 100% 3 ok, 2 failed" "$T/tty.out" ||
		fail "assoc import progress bar: $(cat "$T/tty.out")"
	grep -q "line 4: field 'naf': no such Push-NAF" "$T/tty.out" || fail "assoc tty report"
fi

# --- naf remove --force -------------------------------------------------
ctl naf remove scs3 --force | grep -q "removed Push-NAF scs3 and 2 associations" || fail "force"

# --- backup and restore -------------------------------------------------
ctl backup "$T/b.db" | grep -q "written" || fail backup
[ "$(stat -c %a "$T/b.db")" = 600 ] || fail "backup mode"
[ "$(rc_of ctl backup "$T/b.db")" = 1 ] || fail "backup over a file rc"
# the backup was taken an hour ago
now=$(date +%s)
sqlset "$T/b.db" "UPDATE meta SET value = $((now - 3600)) WHERE key = 'backup_time'"
ctl subscriber remove b@ims.example >/dev/null
# refused while an AuC holds the store
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "a"); fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close(); time.sleep(30)' "$DB-hss.lock" "$T/locked" &
LOCKPID=$!
for _ in $(seq 50); do [ -e "$T/locked" ] && break; sleep 0.1; done
[ "$(rc_of ctl restore "$T/b.db")" = 1 ] || fail "restore under lock rc"
grep -q "gba-bsf is running" "$T/err" || fail "restore under lock: $(cat "$T/err")"
kill $LOCKPID; wait $LOCKPID 2>/dev/null || true; LOCKPID=
[ "$(rc_of ctl restore "$T/b.db" --ue-rate 0)" = 1 ] || fail "rate 0 rc"
grep -q "give --margin" "$T/err" || fail "rate 0 message"
[ "$(rc_of ctl restore "$T/b.db" --ue-rate 60 --ue-burst 16)" = 0 ] || fail "restore rc $(cat "$T/err")"
# margin = 1 * 256 + 2 * 16 + ceil(60 * age / 60), age 3600 plus the
# seconds this script took since (a few; more under a sanitizer and load)
m=$(sed -n 's/^seq_margin=\([0-9]*\) .*/\1/p' "$T/out")
age=$(sed -n 's/^backup_age_s=//p' "$T/out")
[ "$age" -ge 3600 ] && [ "$age" -le 3660 ] || fail "age: $(cat "$T/out")"
[ "$m" = $((256 + 32 + age)) ] || fail "margin '$m': $(cat "$T/out")"
grep -q "resynchronisation (AUTS)" "$T/out" || fail "restore note"
ctl subscriber show b@ims.example >/dev/null || fail "restore content"
# a: F 968 RF 3 in the backup (R 3): bound 968 + 256 = 1224; restored
# F = 1224 + m, RF 4, shown bound F + 256
ctl subscriber show a@ims.example | grep -qx "sqn_bound=$(sqn_of $((1224 + m + 256)))" \
	|| fail "restore SQN: $(ctl subscriber show a@ims.example | grep sqn)"
ctl subscriber show a@ims.example | grep -qx "nafs=scs1" || fail "restore assoc"
# skip-ahead alone (a copy put back by other means, e.g. pg_restore), taken
# two hours ago: bound now F + 256 (RF 4 > R 3: one window), plus m2
[ "$(rc_of ctl skip-ahead --since 2026-02-30T00:00:00Z)" = 2 ] || fail "bad --since rc"
since=$(date -u -d "@$(( $(date +%s) - 7200 ))" +%Y-%m-%dT%H:%M:%SZ)
[ "$(rc_of ctl skip-ahead --since "$since" --ue-rate 60 --ue-burst 16)" = 0 ] \
	|| fail "skip-ahead rc $(cat "$T/err")"
m2=$(sed -n 's/^seq_margin=\([0-9]*\) .*/\1/p' "$T/out")
age=$(sed -n 's/^backup_age_s=//p' "$T/out")
[ "$age" -ge 7200 ] && [ "$age" -le 7260 ] || fail "skip-ahead age: $(cat "$T/out")"
[ "$m2" = $((256 + 32 + age)) ] || fail "skip-ahead margin '$m2': $(cat "$T/out")"
ctl subscriber show a@ims.example | grep -qx "sqn_bound=$(sqn_of $((1224 + m + 256 + m2 + 256)))" \
	|| fail "skip-ahead SQN: $(ctl subscriber show a@ims.example | grep sqn)"
# --json: the same figures as one JSON object (it printed the text lines)
ctl skip-ahead --since "$since" --ue-rate 60 --ue-burst 16 --json >"$T/j"
python3 - "$T/j" "$since" <<'PY' || fail "skip-ahead --json: $(cat "$T/j")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["backup_time"] == sys.argv[2] and d["subscribers"] == 2, d
assert 7200 <= d["backup_age_s"] <= 7260, d
assert d["restarts"] == 1 and d["seq_block"] == 256 and d["ue_burst"] == 16, d
assert d["ue_rate"] == 60 and d["nodes"] == 1 and d["margin_given"] is False, d
assert d["seq_margin"] == 256 + 32 + d["backup_age_s"], d
PY
[ "$(rc_of ctl restore "$T/state/s.db")" = 1 ] || fail "restore of a non-backup rc"
grep -q "not a gba-bsfctl backup" "$T/err" || fail "non-backup message: $(cat "$T/err")"
# copy: usage errors (2) before anything is touched; a missing source is
# a failure (1) that leaves no lock file behind (the copy itself:
# tests/e2e/bsfctl_copy_pg.sh, with a PostgreSQL cluster)
[ "$(rc_of "$BSFCTL" copy)" = 2 ] || fail "copy without --from/--to rc"
[ "$(rc_of "$BSFCTL" copy --from "$T/x.db" --to "$T/y.db")" = 2 ] || fail "copy --to a file rc"
grep -q "a PostgreSQL URI" "$T/err" || fail "copy --to message: $(cat "$T/err")"
[ "$(rc_of "$BSFCTL" copy --from postgresql:///a --to postgresql:///b)" = 2 ] || fail "copy --from URI rc"
[ "$(rc_of "$BSFCTL" copy --from "$T/none.db" --to postgresql:///gba)" = 1 ] || fail "copy missing source rc"
grep -q "none.db: no such store" "$T/err" || fail "copy missing source message: $(cat "$T/err")"
[ ! -e "$T/none.db-hss.lock" ] || fail "copy left a lock file for a missing store"
echo "bsfctl_prov: all checks passed"
