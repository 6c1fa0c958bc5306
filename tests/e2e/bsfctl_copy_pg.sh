#!/usr/bin/env bash
# gba-bsfctl copy (ctest label pg): a SQLite store moved into a throwaway
# PostgreSQL cluster (tests/e2e/lib/pg.bash) keeps every row and never
# lets an SQN be issued twice.  gba-bsf runs twice on the SQLite store
# (the second run issues from a window the rows do not show: the run
# counter scheme of docs/hss-store.md section 4), the SQN of every GPI
# recovered from AUTN by the Python Milenage of tests/uicc/usim_model.py
# (tests/e2e/lib/sqn_oracle.py);
# copy refused while gba-bsf runs on the source; copy; every table's row
# count equal on both sides; gba-bsf on the PostgreSQL URI: every SQN of
# a subscriber strictly above every one issued before; a second copy into
# the now non-empty target refused (exit 1) and nothing changed.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init
. "$SRC_DIR/tests/e2e/lib/pg.bash"
trap 'rc=$?; [ -n "$BSF_PID" ] && kill -9 "$BSF_PID" 2>/dev/null; wait 2>/dev/null; pg_stop; set +e; (exit $rc); e2e_cleanup' EXIT

setup_pki_store
add_guss_subscriber
SUBS="$IMPI1 $IMPI3" # both associated with scs1
N=${COPY_GPIS:-4}    # GPIs per subscriber and gba-bsf run

# gpis TAG: N GPIs per subscriber through scs1, "IMPI GPI" lines to $T/TAG
gpis() {
	local impi i code
	for impi in $SUBS; do
		for i in $(seq 1 "$N"); do
			code=$(nbsp scs1 "$(req_json "$impi" PRIVATE "$NAF1" GBA_ME)")
			[ "$code" = 200 ] || fail "$1: GPI for $impi: HTTP $code $(cat "$T/body")"
			echo "$impi $(jget gbaPushInfo)"
		done
	done >>"$T/$1"
}

TABLES="subscriber impu naf naf_id assoc uss sqn"
sqlite_counts() {
	python3 - "$DB" $TABLES <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
print(" ".join("%s=%d" % (t, db.execute("SELECT count(*) FROM " + t).fetchone()[0]) for t in sys.argv[2:]))
PY
}
pg_counts() {
	local t out=""
	for t in $TABLES; do out="$out $t=$(pg_psql -c "SELECT count(*) FROM $t")"; done
	echo "${out# }"
}

# 1. two runs of gba-bsf on the SQLite store
write_config "[limits]
rate = 0"
# no per-subscriber rate limit: 2 * N GPIs per subscriber in seconds
sed -i "s|^path = .*|&\nue_rate = 0|" "$T/bsf.ini"
start_bsf
gpis before
# the AuC holds the source: copy refuses and writes nothing
pg_start || fail "pg_start"
rc=0
"$BSFCTL" copy --from "$DB" --to "$PG_URI" >"$T/busy.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "copy while gba-bsf runs: exit $rc, want 1: $(cat "$T/busy.out")"
grep -q "gba-bsf is running on this store" "$T/busy.out" || fail "busy message: $(cat "$T/busy.out")"
stop_bsf || fail "gba-bsf stop"
start_bsf
gpis before
stop_bsf || fail "gba-bsf stop"
sqns_oracle "$T/before" "$T/sqn.before"
[ "$(wc -l <"$T/sqn.before")" -eq $((2 * 2 * N)) ] || fail "GPIs before: $(wc -l <"$T/sqn.before")"
ok "$(wc -l <"$T/sqn.before") GPIs over two gba-bsf runs on SQLite"

# 2. copy
"$BSFCTL" copy --from "$DB" --to "$PG_URI" >"$T/copy.out" 2>"$T/copy.err" ||
	fail "copy: $(cat "$T/copy.out" "$T/copy.err")"
grep -q "^copied 2 Push-NAFs, 3 subscribers, 3 associations" "$T/copy.out" ||
	fail "copy summary: $(cat "$T/copy.out")"
src=$(sqlite_counts)
dst=$(pg_counts)
[ "$src" = "$dst" ] || fail "row counts: SQLite $src, PostgreSQL $dst"
ok "copied; row counts equal: $dst"
# keys and fields arrived (show through the PostgreSQL store)
"$BSFCTL" --db "$PG_URI" --show-secrets subscriber show "$IMPI1" >"$T/show" || fail "show on PostgreSQL"
grep -qx "k=$K1" "$T/show" && grep -qx "opc=$OPC1" "$T/show" && grep -qx "label=USIM1" "$T/show" &&
	grep -qx "gba_u=1" "$T/show" || fail "subscriber after copy: $(cat "$T/show")"

# 3. gba-bsf on the PostgreSQL store: every SQN above all before
sed -i "s|^path = .*|url = ${PG_URI//&/\\&}|" "$T/bsf.ini" # & in the URI
start_bsf
gpis after
stop_bsf || fail "gba-bsf stop (PostgreSQL)"
sqns_oracle "$T/after" "$T/sqn.after"
[ "$(wc -l <"$T/sqn.after")" -eq $((2 * N)) ] || fail "GPIs after: $(wc -l <"$T/sqn.after")"
python3 - "$T/sqn.before" "$T/sqn.after" <<'PY' || fail "an SQN after the copy is not above every SQN before it"
import sys
before, after = {}, {}
for p, d in ((sys.argv[1], before), (sys.argv[2], after)):
    for l in open(p):
        impi, sqn = l.split()
        d.setdefault(impi, []).append(int(sqn))
bad = [(i, max(before[i]), min(v)) for i, v in after.items() if min(v) <= max(before.get(i, [-1]))]
for i, hi, lo in bad:
    print("%s: highest before %d, lowest after %d" % (i, hi, lo), file=sys.stderr)
sys.exit(1 if bad or set(after) != set(before) else 0)
PY
ok "every SQN on PostgreSQL strictly above every SQN issued on SQLite"

# 4. a second copy into the non-empty target: refused, nothing changed
rc=0
"$BSFCTL" copy --from "$DB" --to "$PG_URI" >"$T/again.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "second copy: exit $rc, want 1: $(cat "$T/again.out")"
grep -q "not empty" "$T/again.out" || fail "second copy message: $(cat "$T/again.out")"
[ "$(pg_counts)" = "$dst" ] || fail "second copy changed the target: $(pg_counts)"
ok "second copy into the non-empty target refused (exit 1), target unchanged"
