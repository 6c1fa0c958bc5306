#!/usr/bin/env bash
# The store unit tests (tests/unit/test_store.c) against the PostgreSQL
# backend (ctest label pg): a throwaway cluster (tests/e2e/lib/pg.bash),
# then the same CUnit suite with GBA_TEST_STORE_URI pointing at it, the
# HSS suite tests/unit/test_hss.c the same way, and
# tests/unit/test_hss_shared.c (two AuCs on the one store); and
# gba-bsfctl with --db set to the URI (init, NAF, subscriber, association,
# CSV import and export, subscriber / naf modify).
set -euo pipefail
: "${BUILD_DIR:?BUILD_DIR not set}"
: "${SRC_DIR:?SRC_DIR not set}"
. "$SRC_DIR/tests/e2e/lib/pg.bash"
T=$(mktemp -d /tmp/store_pg.XXXXXX)
trap 'pg_stop; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

pg_start || fail "pg_start"
GBA_TEST_STORE_URI=$PG_URI "$BUILD_DIR/tests/test_store" || fail "test_store on PostgreSQL"
echo "ok: test_store on PostgreSQL"
GBA_TEST_STORE_URI=$PG_URI "$BUILD_DIR/tests/test_hss" || fail "test_hss on PostgreSQL"
echo "ok: test_hss (SQN reservation, resync, Delta case, rate limit) on PostgreSQL"
GBA_TEST_STORE_URI=$PG_URI "$BUILD_DIR/tests/test_hss_shared" || fail "test_hss_shared on PostgreSQL"
echo "ok: test_hss_shared (two AuCs, one store, resync) on PostgreSQL"

# gba-bsfctl on the same database (the unit tests left their last store:
# start from an empty schema)
pg_psql -c "SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public"
ctl() { "$BUILD_DIR/bsf/gba-bsfctl" --db "$PG_URI" "$@"; }
K=465b5ce8b199b49faa5f0a2ee238a6bc
OP=cdc202d5123e20f62b6d676ac72cb318
OPC=cd63cb71954a9f4e48a5994e37a02baf   # TS 35.208 set 1
ctl subscriber list >/dev/null 2>&1 && fail "list before init"
ctl init | grep -q "schema version 2" || fail "init"
ctl naf add --name scs1 --cert-id SCS1.example.com --naf naf.example.com:0100000005 >/dev/null
ctl subscriber add --impi a@ims.example --impu tel:+1-555-0100 --k $K --op $OP --label USIM >/dev/null
ctl subscriber show a@ims.example --show-secrets | grep -qx "opc=$OPC" || fail "OPc via PostgreSQL"
ctl assoc add scs1 tel:+15550100 >/dev/null
ctl assoc list | grep -q "scs1.a@ims.example" || fail "assoc list"
cat > "$T/in.csv" <<CSV
impi,imsi,impu,alg,k,opc,amf,sqn,gba_u,labels,naf,guss
b@ims.example,001010000000002,tel:+15550101,milenage,$K,$OPC,8000,64,0,USIM,scs1,
c@ims.example,,tel:+15550102,milenage,${K:0:30},$OPC,,,,,,
CSV
set +e; ctl import "$T/in.csv" >"$T/imp.out" 2>"$T/imp.err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "import exit $rc"
grep -q "line 3: field 'k'" "$T/imp.err" || fail "import report: $(cat "$T/imp.err")"
ctl subscriber show b@ims.example | grep -qx "nafs=scs1" || fail "imported association"
ctl export > "$T/out.csv"
grep -q "^b@ims.example," "$T/out.csv" || fail "export"
[ "$(pg_psql -c 'SELECT count(*) FROM subscriber')" = 2 ] || fail "row count"
echo "ok: gba-bsfctl on PostgreSQL"
# naf remove counts the associations through the store interface (the
# count read SQLite's own connection before: undefined on PostgreSQL)
set +e; ctl naf remove scs1 >"$T/rm.out" 2>"$T/rm.err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "naf remove with associations: exit $rc"
grep -q "2 associations would go" "$T/rm.err" || fail "naf remove message: $(cat "$T/rm.err")"
# subscriber modify, import --on-conflict update and naf modify keep SQN
# state and associations (they were refused as unsupported before): a
# node has been given windows up to H = 5000 in generation 3; the new row
# keeps both.  `show` reports (5000 << 5) | 31 before (5 IND bits), and
# 5000 << 5 after: modify hands that bound back as the new row's own SQN,
# F = 5000 = H, and a row whose H is not above its F shows F exactly
pg_psql -c "UPDATE sqn SET hwm = 5000, gen = 3 WHERE sub_id = (SELECT id FROM subscriber WHERE impi = 'b@ims.example')"
ctl subscriber show b@ims.example | grep -qx "sqn_bound=$(( (5000 << 5) | 31 ))" || fail "bound before modify"
ctl subscriber modify b@ims.example --amf 4000 >/dev/null || fail "subscriber modify on PostgreSQL"
out=$(ctl subscriber show b@ims.example --show-secrets)
echo "$out" | grep -qx "amf=4000" || fail "modify amf"
echo "$out" | grep -qx "k=$K" || fail "modify kept K"
echo "$out" | grep -qx "impu=tel:+15550101" || fail "modify kept IMPU"
echo "$out" | grep -qx "nafs=scs1" || fail "modify kept association"
echo "$out" | grep -qx "sqn_bound=$(( 5000 << 5 ))" || fail "modify SQN: $(echo "$out" | grep sqn)"
[ "$(pg_psql -c "SELECT q.hwm || ' ' || q.gen FROM sqn q JOIN subscriber s ON s.id = q.sub_id WHERE s.impi = 'b@ims.example'")" = "5000 3" ] \
	|| fail "modify: H and G not kept"
printf 'IMPI,K,OPc,Amf,NAF\nb@ims.example,%s,%s,0001,scs1\n' $K $OPC >"$T/up.csv"
ctl import "$T/up.csv" --on-conflict update | grep -q "(0 added, 1 updated, 0 skipped)" || fail "import update"
out=$(ctl subscriber show b@ims.example)
echo "$out" | grep -qx "amf=0001" || fail "import update amf"
echo "$out" | grep -qx "nafs=scs1" || fail "import update kept association"
echo "$out" | grep -qx "sqn_bound=$(( 5000 << 5 ))" || fail "import update SQN: $(echo "$out" | grep sqn)"
[ "$(pg_psql -c "SELECT q.hwm || ' ' || q.gen FROM sqn q JOIN subscriber s ON s.id = q.sub_id WHERE s.impi = 'b@ims.example'")" = "5000 3" ] \
	|| fail "import update: H and G not kept"
ctl naf modify scs1 --cert-id new.example.com --naf push.example.com:0100000005 --allow-impi >/dev/null \
	|| fail "naf modify on PostgreSQL"
out=$(ctl naf show scs1)
echo "$out" | grep -qx "cert_id=new.example.com" || fail "naf modify cert"
echo "$out" | grep -qx "naf_id=push.example.com:0100000005" || fail "naf modify naf id: $out"
[ "$(echo "$out" | grep -c "^naf_id=")" = 1 ] || fail "naf modify kept the old NAF_Id"
[ "$(ctl assoc list --naf scs1 | grep -c ims.example)" = 2 ] || fail "naf modify dropped associations"
echo "ok: PostgreSQL: subscriber modify, import --on-conflict update, naf modify keep SQN state and associations"
# backup takes PostgreSQL's own tools: refused, nothing written
# (the procedure with pg_dump / pg_restore / skip-ahead: store_backup_pg.sh)
set +e; ctl backup "$T/b.db" >"$T/op.out" 2>"$T/op.err"; rc=$?; set -e
[ $rc -eq 1 ] && grep -q "pg_dump" "$T/op.err" || fail "backup on PostgreSQL: exit $rc, $(cat "$T/op.err")"
[ ! -e "$T/b.db" ] || fail "backup wrote a file"
echo "ok: PostgreSQL: naf remove counts associations; backup refused (pg_dump)"
echo "PASS store_unit_pg"
