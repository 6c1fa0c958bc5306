#!/usr/bin/env bash
# scripts/demo.sh --store postgresql (ctest label pg): the demo's steps
# with gba-bsf on the throwaway PostgreSQL cluster the demo starts itself;
# it must end with the demo's success line, have used the PostgreSQL store
# (step 3 says so, gba-bsf was given [store] url), and leave no cluster
# behind (its directory removed, its postmaster gone).  The final vectors
# replay (a step without a store) is skipped to keep the test short.
set -euo pipefail
: "${BUILD_DIR:?BUILD_DIR not set}"
: "${SRC_DIR:?SRC_DIR not set}"
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$BUILD_DIR/bsf/gba-bsf" ] || { echo "gba-bsf not built: skipped"; exit 0; }
out=$(mktemp /tmp/demo_pg.XXXXXX)
trap 'rm -f "$out"' EXIT

set +e
DEMO_NO_VECTORS=1 bash "$SRC_DIR/scripts/demo.sh" --store postgresql "$BUILD_DIR" >"$out" 2>&1
rc=$?
set -e
[ $rc -eq 0 ] || { cat "$out" >&2; fail "demo.sh --store postgresql exit $rc"; }
grep -q "^DEMO OK: all 10 steps behaved as expected$" "$out" || { cat "$out" >&2; fail "no success line"; }
grep -q "^== 3. Start gba-bsf on 127.0.0.1 (free port, PostgreSQL store)" "$out" || fail "step 3 not on PostgreSQL"
dir=$(sed -n 's/^   throwaway PostgreSQL cluster in \(\/tmp\/gba-pg\.[A-Za-z0-9]*\) .*/\1/p' "$out")
[ -n "$dir" ] || fail "the demo did not say where its cluster was"
[ ! -e "$dir" ] || fail "cluster directory $dir left behind"
if ps -eo args | grep -q "^[^ ]*postgres -D $dir/data"; then
	fail "postmaster of $dir still running"
fi
# --keep: gba-bsf and the cluster stay up after the demo has exited, the
# printed stop.sh stops both and removes their directories
set +e
DEMO_NO_VECTORS=1 bash "$SRC_DIR/scripts/demo.sh" --keep --store postgresql "$BUILD_DIR" >"$out" 2>&1
rc=$?
set -e
stop=$(sed -n 's/.*remove the demo files: *\(\/.*stop.sh\)$/\1/p' "$out")
[ -n "$stop" ] && [ -x "$stop" ] || { cat "$out" >&2; fail "--keep: exit $rc, no stop.sh"; }
trap 'sh "$stop" >/dev/null 2>&1; rm -f "$out"' EXIT
[ $rc -eq 0 ] || { cat "$out" >&2; fail "--keep exit $rc"; }
bsf=$(sed -n 's/^export .*BSF_PID=\([0-9]*\).*/\1/p' "${stop%stop.sh}demo.env")
dir=$(sed -n 's/^   throwaway PostgreSQL cluster in \(\/tmp\/gba-pg\.[A-Za-z0-9]*\) .*/\1/p' "$out")
kill -0 "$bsf" 2>/dev/null || fail "--keep: gba-bsf $bsf not running after the demo"
[ -S "$dir/sock/.s.PGSQL.5432" ] || fail "--keep: cluster $dir not running"
sh "$stop" >/dev/null 2>&1 || true
for i in $(seq 100); do kill -0 "$bsf" 2>/dev/null || break; sleep 0.1; done
kill -0 "$bsf" 2>/dev/null && fail "stop.sh left gba-bsf running"
[ ! -e "$dir" ] || fail "stop.sh left $dir"
trap 'rm -f "$out"' EXIT

# the default store is unchanged: the embedded file
grep -q "^usage\|--store sqlite|postgresql" <(bash "$SRC_DIR/scripts/demo.sh" --help) || fail "--help does not list --store"
set +e
bash "$SRC_DIR/scripts/demo.sh" --store mysql "$BUILD_DIR" >"$out" 2>&1
rc=$?
set -e
[ $rc -eq 2 ] && grep -q "sqlite or postgresql" "$out" || fail "--store mysql: exit $rc $(cat "$out")"
echo "PASS demo_store_pg"
