#!/usr/bin/env bash
# tests/e2e/lib.sh - shared helpers of the end-to-end tests and the demo:
# real processes only (gba-bsf, gba-bsfctl, gba-scs, gba-ue), 127.0.0.1,
# free ports, readiness wait, everything started is stopped on EXIT.
#
# Source it:   . "$SRC_DIR/tests/e2e/lib.sh"; e2e_init
# Run it:      bash tests/e2e/lib.sh   (ctest e2e_lib: self-test of the
#              helpers: PKI, store, BSF start, readiness, stop)
#
# Environment: BUILD_DIR (default build), SRC_DIR (default: this repo).
# After e2e_init: $T (private temp dir), $SCS $BSF $BSFCTL $UE $GBATOOL,
# $PKI (demo PKI dir), $DB (store), $URL (after e2e_bsf_start),
# $K $OPC (TS 35.208 test set 1), $IMPI, $NAF_FQDN, $APP_ID, $TPORT.

E2E_PIDS=()

e2e_fail() { echo "FAIL: $*" >&2; exit 1; }

# Paths of the programs; e2e_need names what is missing, by component.
e2e_paths() {
	BUILD_DIR=${BUILD_DIR:-build}
	SRC_DIR=${SRC_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
	case $BUILD_DIR in /*) ;; *) BUILD_DIR=$PWD/$BUILD_DIR ;; esac
	SCS=$BUILD_DIR/scs/gba-scs
	BSF=$BUILD_DIR/bsf/gba-bsf
	BSFCTL=$BUILD_DIR/bsf/gba-bsfctl
	UE=$BUILD_DIR/ue-agent/gba-ue
	GBATOOL=$BUILD_DIR/vectors/gbatool
	DEMO_PKI=$SRC_DIR/scripts/demo-pki
}

# e2e_need: print "what (from which component)" for each missing program.
e2e_missing() {
	local m=()
	[ -x "$SCS" ] || m+=("gba-scs (scs/, wip/scs)")
	[ -x "$BSF" ] || m+=("gba-bsf (bsf/, wip/bsfhttp)")
	[ -x "$BSFCTL" ] || m+=("gba-bsfctl (bsf/, wip/bsfstore)")
	[ -x "$UE" ] || m+=("gba-ue (ue-agent/, wip/ue)")
	[ -x "$DEMO_PKI" ] || m+=("scripts/demo-pki (wip/bsfhttp)")
	[ -x "$GBATOOL" ] || m+=("gbatool (vectors/)")
	printf '%s\n' "${m[@]}"
}

e2e_cleanup() {
	local p
	for p in "${E2E_PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${E2E_PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	E2E_PIDS=()
	[ -n "${T:-}" ] && [ -d "$T" ] && [ -z "${E2E_KEEP:-}" ] && rm -rf "$T"
	return 0
}

e2e_init() {
	e2e_paths
	local miss
	miss=$(e2e_missing)
	[ -z "$miss" ] || e2e_fail "missing components (not built or not merged): $(echo "$miss" | paste -sd ';' | sed 's/;/; /g')"
	T=$(mktemp -d "${TMPDIR:-/tmp}/gbapush-e2e.XXXXXX")
	# gba-scs's SA-file binding state (docs/scs.md), per test
	export GBA_SCS_STATE_DIR="$T/scs-state"
	trap e2e_cleanup EXIT
	trap 'exit 130' INT TERM
	K=465b5ce8b199b49faa5f0a2ee238a6bc     # TS 35.208 test set 1
	OPC=cd63cb71954a9f4e48a5994e37a02baf
	IMPI=001010000000001@ims.mnc001.mcc001.3gppnetwork.org
	NAF_FQDN=scs1.scs.example                # the SCS client cert identity
	APP_ID=0x8F33                           # X-WAP-Application-ID, both sides
	                                        # (the default: docs/wire-formats.md 6)
	TPORT=16001                             # UE triggering port
	PKI=$T/pki
	DB=$T/store.db
}

# A TCP port nobody listens on right now (bound then released).
e2e_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

e2e_pki() {
	"$DEMO_PKI" "$PKI" scs1 >/dev/null || e2e_fail "scripts/demo-pki failed"
}

# Store with one subscriber (K/OPc of TS 35.208 set 1, IMPI), one Push-NAF
# named scs1 (client certificate identity scs1.scs.example, NAF_Id
# scs1.scs.example + GPL Ua id) and their association.
# e2e_store [extra subscriber-add options...]
e2e_store() {
	"$BSFCTL" --db "$DB" init >/dev/null || e2e_fail "gba-bsfctl init"
	e2e_sub_add "$IMPI" "$@"
	"$BSFCTL" --db "$DB" naf add --name scs1 --cert-id "$NAF_FQDN" \
		--naf "$NAF_FQDN:0100000005" --allow-impi --gba-u-aware >/dev/null ||
		e2e_fail "gba-bsfctl naf add"
	"$BSFCTL" --db "$DB" assoc add scs1 "$IMPI" >/dev/null || e2e_fail "gba-bsfctl assoc add"
}

# e2e_sub_add IMPI [options...]: one more subscriber with K/OPc.
e2e_sub_add() {
	local impi=$1
	shift
	"$BSFCTL" --db "$DB" subscriber add --impi "$impi" --k "$K" --opc "$OPC" \
		"$@" >/dev/null || e2e_fail "gba-bsfctl subscriber add"
}

# Start gba-bsf on 127.0.0.1 (free ports) with the store; ready when its
# admin endpoint answers /healthz.  Sets URL, ADMIN, BSF_PID, BSF_LOG.
e2e_bsf_start() {
	local port admin i
	port=$(e2e_free_port)
	admin=$(e2e_free_port)
	BSF_LOG=$T/bsf.log
	cat > "$T/bsf.ini" <<EOF
[server]
listen = 127.0.0.1
port = $port
threads = 2
drain_timeout = 2
[tls]
cert = $PKI/server.pem
key = $PKI/server.key
ca = $PKI/ca.pem
require_client_cert = true
[admin]
listen = 127.0.0.1
port = $admin
[store]
path = $DB
[keys]
lifetime_max = 86400
lifetime_default = 3600
[log]
level = info
file = $BSF_LOG
EOF
	"$BSF" -c "$T/bsf.ini" >> "$T/bsf.stdout" 2>&1 &
	BSF_PID=$!
	E2E_PIDS+=("$BSF_PID")
	URL=https://127.0.0.1:$port
	ADMIN=http://127.0.0.1:$admin
	for i in $(seq 200); do
		curl -fs --max-time 2 "$ADMIN/healthz" > /dev/null 2>&1 && return 0
		kill -0 "$BSF_PID" 2>/dev/null ||
			e2e_fail "gba-bsf exited at start: $(cat "$T/bsf.stdout" "$BSF_LOG" 2>/dev/null | tail -3)"
		sleep 0.05
	done
	e2e_fail "gba-bsf not ready on $URL after 10 s: $(tail -3 "$BSF_LOG" 2>/dev/null)"
}

e2e_bsf_stop() {
	[ -n "${BSF_PID:-}" ] || return 0
	kill "$BSF_PID" 2>/dev/null || true
	wait "$BSF_PID" 2>/dev/null || true
	BSF_PID=""
}

# The BSF options of gba-scs (client certificate scs1).
e2e_bsf_opts() {
	BSFOPTS=(--bsf "$URL" --cert "$PKI/scs1.pem" --key "$PKI/scs1.key" --ca "$PKI/ca.pem")
}

# e2e_ue_init DIR [extra gba-ue init options]
e2e_ue_init() {
	local dir=$1
	shift
	"$UE" --state "$dir" init --k "$K" --opc "$OPC" --impi "$IMPI" \
		--app-id "$APP_ID" --trigger-port "$TPORT" "$@" >/dev/null ||
		e2e_fail "gba-ue init"
}

# e2e_ue_show DIR: the SA lines of gba-ue show (sqn_ms line dropped).
e2e_ue_sas() {
	"$UE" --state "$1" show | grep -v '^sqn_ms=' || true
}

# run CMD... ; capture stdout in $T/out, stderr in $T/err, rc in RC
e2e_run() {
	set +e
	"$@" > "$T/out" 2> "$T/err"
	RC=$?
	set -e
}

# Self-test when executed (ctest e2e_lib): every helper once.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
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
fi
