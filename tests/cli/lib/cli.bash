# tests/cli/lib/cli.bash - helpers shared by the CLI tests (tests/cli/*.sh),
# sourced after the script has made its temporary directory:
#     CLI_WORK=$tmp; . "$(dirname "$0")/lib/cli.bash"
# (not a test itself: ctest runs tests/cli/*.sh only).

# fail MSG...: report and stop the test.
fail() {
	echo "$(basename "$0" .sh): FAIL: $*" >&2
	exit 1
}

# expect_rc RC CMD...: run CMD with stdout in $CLI_WORK/out and stderr in
# $CLI_WORK/err; fail unless it exits RC.  With CLI_ERR_LINE=1 a non-zero
# exit must also print at least one line on stderr.
expect_rc() {
	local want=$1 rc
	shift
	"$@" >"${CLI_WORK:?}/out" 2>"$CLI_WORK/err" && rc=0 || rc=$?
	if [ "$rc" != "$want" ]; then
		cat "$CLI_WORK/out" "$CLI_WORK/err" >&2
		fail "exit $rc, want $want: $*"
	fi
	if [ "${CLI_ERR_LINE:-0}" = 1 ] && [ "$want" != 0 ] &&
		[ "$(wc -l <"$CLI_WORK/err")" -lt 1 ]; then
		fail "no error line: $*"
	fi
}

# cli_init: $T, a temporary directory removed on exit (CLI_WORK=$T), and
# $PID, a background helper (the mock BSF) stopped on exit by its PID.
cli_init() {
	T=$(mktemp -d)
	PID=""
	CLI_WORK=$T
	trap cli_cleanup EXIT
}

cli_cleanup() {
	[ -n "${PID:-}" ] && kill "$PID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$T"
}

# cli_scs_ue: the setting of the gba-scs <-> gba-ue tests: $SCS, $UE and
# $GBATOOL under $BUILD_DIR (default build; each must be built), $SRC_DIR,
# cli_init, and the mock BSF's subscriber $K/$OPC (TS 35.208 test set 1).
cli_scs_ue() {
	local b
	BUILD_DIR=${BUILD_DIR:-build}
	SRC_DIR=${SRC_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
	SCS=$BUILD_DIR/scs/gba-scs
	UE=$BUILD_DIR/ue-agent/gba-ue
	GBATOOL=$BUILD_DIR/vectors/gbatool
	for b in "$SCS" "$UE" "$GBATOOL"; do
		[ -x "$b" ] || { echo "FAIL: $b not built (component missing)" >&2; exit 1; }
	done
	cli_init
	K=465b5ce8b199b49faa5f0a2ee238a6bc
	OPC=cd63cb71954a9f4e48a5994e37a02baf
}

# cli_mock_bsf: a test PKI in $T (ca, bsf with IP 127.0.0.1, scs client)
# and tests/cli/scs_mockbsf.py in mode "aka" for $K $OPC $IMPI (real GPIs
# computed by $GBATOOL), listening on a free port; sets $PID, $URL and
# BSF=(the gba-scs options to reach it).
cli_mock_bsf() {
	local n
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$T/ca.key" -subj "/CN=test ca" -days 2 \
		-out "$T/ca.crt" 2>/dev/null
	for n in bsf scs; do
		openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
			-nodes -keyout "$T/$n.key" -subj "/CN=$n" \
			-out "$T/$n.csr" 2>/dev/null
		printf 'subjectAltName=IP:127.0.0.1\n' >"$T/$n.ext"
		openssl x509 -req -in "$T/$n.csr" -CA "$T/ca.crt" \
			-CAkey "$T/ca.key" -CAcreateserial -days 2 \
			-out "$T/$n.crt" -extfile "$T/$n.ext" 2>/dev/null
	done
	echo aka >"$T/mode"
	echo "$K $OPC $IMPI" >"$T/aka"
	python3 "$SRC_DIR/tests/cli/scs_mockbsf.py" "$T" "$GBATOOL" \
		"$T/bsf.crt" "$T/bsf.key" "$T/ca.crt" "$T/port" &
	PID=$!
	for _ in $(seq 100); do
		[ -s "$T/port" ] && break
		sleep 0.1
	done
	[ -s "$T/port" ] || fail "mock BSF did not start"
	URL="https://127.0.0.1:$(cat "$T/port")"
	BSF=(--bsf "$URL" --cert "$T/scs.crt" --key "$T/scs.key" --ca "$T/ca.crt")
}
