#!/usr/bin/env bash
# The copy-paste requests of README.md and docs/scs.md ("Talking to the
# BSF with curl"), run as written against the BSF that
# `scripts/demo.sh --keep` leaves running: the demo must exit with gba-bsf
# still up, each document's ```sh block (source demo.env, curl Nbsp JSON,
# curl Zpn SOAP) must get a GPI both ways, the answers must have the
# fields of the answers the document shows, and the block's stop.sh line
# must stop gba-bsf and remove the demo files.
set -euo pipefail
: "${BUILD_DIR:?BUILD_DIR not set}"
: "${SRC_DIR:?SRC_DIR not set}"
fail() { echo "FAIL: docs_curl: $*" >&2; exit 1; }
[ -x "$BUILD_DIR/bsf/gba-bsf" ] || { echo "gba-bsf not built: skipped"; exit 0; }
W=$(mktemp -d /tmp/docs_curl.XXXXXX)
STOP=
cleanup() { [ -n "$STOP" ] && [ -x "$STOP" ] && sh "$STOP" >/dev/null 2>&1; rm -rf "$W"; }
trap cleanup EXIT

set +e
DEMO_NO_VECTORS=1 bash "$SRC_DIR/scripts/demo.sh" --keep "$BUILD_DIR" >"$W/demo" 2>&1
rc=$?
set -e
STOP=$(sed -n 's/.*remove the demo files: *\(\/.*stop.sh\)$/\1/p' "$W/demo")
[ $rc = 0 ] || { cat "$W/demo" >&2; fail "demo.sh --keep exit $rc"; }
[ -n "$STOP" ] && [ -x "$STOP" ] || fail "demo.sh --keep printed no stop.sh"
D=${STOP%/stop.sh}
BSF_PID=$(sed -n 's/^export .*BSF_PID=\([0-9]*\).*/\1/p' "$D/demo.env")
kill -0 "$BSF_PID" 2>/dev/null || fail "gba-bsf ($BSF_PID) not running after demo.sh --keep"
echo "ok: demo.sh --keep left gba-bsf $BSF_PID running"

# block DOC LANG: the first ```LANG block of DOC (for sh: the first one
# that sources demo.env)
block() {
	awk -v lang="$2" '
		/^```/ && !inb { inb = 1; take = ($0 == "```" lang) && !done; buf = ""; next }
		/^```$/ && inb { inb = 0; if (take && (lang != "sh" || buf ~ /demo\.env/)) { printf "%s", buf; done = 1 } next }
		inb && take { buf = buf $0 "\n" }' "$1"
}
for doc in README.md docs/scs.md; do
	n=$(basename "$doc" .md)
	block "$SRC_DIR/$doc" sh >"$W/$n.sh"
	grep -q '^curl .*--cacert' "$W/$n.sh" || fail "$doc: no curl block"
	block "$SRC_DIR/$doc" json >"$W/$n.want.json"
	block "$SRC_DIR/$doc" xml >"$W/$n.want.xml"
	[ -s "$W/$n.want.json" ] && [ -s "$W/$n.want.xml" ] || fail "$doc: no answers shown"
	# the requests as written; stop.sh is run last, after both documents
	grep -v '/stop.sh' "$W/$n.sh" | sed "s|/tmp/gbapush-e2e\.XXXXXX|$D|g" >"$W/$n.run"
	grep -q "^/tmp/gbapush-e2e\.XXXXXX/stop.sh" "$W/$n.sh" || fail "$doc: no stop.sh line"
	bash "$W/$n.run" >"$W/$n.out" 2>"$W/$n.err" || fail "$doc: the block failed: $(cat "$W/$n.err")"
	python3 - "$W/$n.out" "$W/$n.want.json" "$W/$n.want.xml" <<'PY' || fail "$doc: answers: $(cat "$W/$n.out")"
import json, re, sys
out = open(sys.argv[1]).read()
want_j = json.loads(open(sys.argv[2]).read())
want_x = open(sys.argv[3]).read().strip()
# the JSON answer first, then the SOAP one
dec = json.JSONDecoder()
got_j, end = dec.raw_decode(out.lstrip())
got_x = out.lstrip()[end:].strip()
assert sorted(got_j) == sorted(want_j), (sorted(got_j), sorted(want_j))
assert re.fullmatch(r"f1[0-9a-f]+", got_j["gbaPushInfo"]), got_j["gbaPushInfo"]
assert re.fullmatch(r"[0-9a-f]{64}", got_j["meKeyMaterial"]), got_j
tags = lambda s: re.findall(r"<([A-Za-z:]+)[ >]", s)
assert tags(got_x) == tags(want_x), (tags(got_x), tags(want_x))
assert re.search(r"<gbaPushInfo>f1[0-9a-f]+</gbaPushInfo>", got_x), got_x
assert "<ptid>pt-curl-2</ptid>" in got_x, got_x
PY
	echo "ok: $doc: the curl block as written gets a GPI over Nbsp and Zpn, answers shaped as shown"
done

# the documents' stop line
stop=$(grep "^/tmp/gbapush-e2e\.XXXXXX/stop.sh" "$W/README.sh" | sed "s|/tmp/gbapush-e2e\.XXXXXX|$D|; s/ *#.*//")
sh -c "$stop" || fail "stop.sh"
for _ in $(seq 100); do kill -0 "$BSF_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$BSF_PID" 2>/dev/null && fail "stop.sh left gba-bsf running"
[ ! -e "$D" ] || fail "stop.sh left $D"
STOP=
echo "docs_curl: all checks passed"
