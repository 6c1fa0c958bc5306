#!/usr/bin/env bash
# run_fuzz.sh BINARY SEED_DIR SECONDS: a bounded libFuzzer run on a scratch
# copy of the committed seeds (the committed corpus is never modified).
set -euo pipefail
bin=$1 seeds=$2 secs=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
[ -d "$seeds" ] && cp -r "$seeds"/. "$work/corpus/" 2>/dev/null || true
cd "$work"
set +e
"$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
	-print_final_stats=1 -artifact_prefix="$PWD/" corpus >fuzz.log 2>&1
status=$?
set -e
tail -n 25 fuzz.log
if ls crash-* leak-* timeout-* oom-* >/dev/null 2>&1; then
	echo "fuzz: $(basename "$bin") found a failing input:" >&2
	for f in crash-* leak-* timeout-* oom-*; do [ -f "$f" ] && { echo "$f"; xxd "$f" | head -20; }; done >&2
	exit 1
fi
exit "$status"
