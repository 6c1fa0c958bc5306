#!/usr/bin/env bash
# E2E: scripts/demo.sh --hss zh (gba-hss + gba-bsf in zh mode) goes through
# the demo's steps and prints its success line (vector replay skipped:
# the embedded demo test covers it).
set -euo pipefail
SRC_DIR=${SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
out=$(DEMO_NO_VECTORS=1 bash "$SRC_DIR/scripts/demo.sh" --hss zh "${BUILD_DIR:-build}" 2>&1) || {
	echo "$out" | tail -20 >&2
	echo "FAIL: demo --hss zh" >&2
	exit 1
}
grep -q "gba-hss pid .* gba-bsf pid" <<< "$out" || { echo "FAIL: no gba-hss step" >&2; exit 1; }
grep -qx "DEMO OK: all 10 steps behaved as expected" <<< "$out" ||
	{ echo "$out" | tail -3 >&2; echo "FAIL: no success line" >&2; exit 1; }
echo "zh_demo: demo --hss zh OK"
