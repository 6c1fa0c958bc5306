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
