#!/usr/bin/env bash
# Self-test of the e2e library tests/e2e/lib/e2e.bash: every helper of
# both set-ups once (PKI, store, BSF start/ready/stop on 127.0.0.1, free
# port; and the bsf_*.sh set-up).  Env: BUILD_DIR, SRC_DIR (ctest).
. "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/lib/e2e.bash"
set -euo pipefail
e2e_init
e2e_pki
e2e_store
e2e_bsf_start
e2e_bsf_opts
kill -0 "$BSF_PID" || e2e_fail "BSF not running"
pid=$BSF_PID
e2e_bsf_stop
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && e2e_fail "BSF still running after stop"
p=$(e2e_free_port)
[ "$p" -gt 0 ] || e2e_fail "free port"
echo "ok: e2e helpers (PKI, store, BSF start/ready/stop on 127.0.0.1)"

# the daemon-alone set-up in a subshell (its own $T and EXIT trap)
(
	bsf_e2e_init
	setup_pki_store
	write_config
	start_bsf
	curl -fs "$ADMIN/healthz" >/dev/null || fail "bsf set-up: not healthy"
	stop_bsf || fail "bsf set-up: gba-bsf exit status $?"
	echo "ok: bsf_*.sh set-up (store, config, start, stop)"
	# the SQN checks of the stream tests catch a repeat
	printf 'a 1\nb 1\na 2\n' >"$T/sqns"
	(no_sqn_twice "$T/sqns") 2>/dev/null || fail "no_sqn_twice: distinct SQNs refused"
	echo "a 1" >>"$T/sqns"
	(no_sqn_twice "$T/sqns") 2>/dev/null && fail "no_sqn_twice: a repeated SQN passed"
	echo "ok: no_sqn_twice"
) || e2e_fail "bsf_e2e_init set-up"
