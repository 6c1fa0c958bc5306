# tests/e2e/lib/e2e.bash - the one shell library of the end-to-end tests
# (tests/e2e/*.sh) and the demo (scripts/demo.sh); sourced, not a test
# (its self-test is tests/e2e/lib_selftest.sh).  Real processes only
# (gba-bsf, gba-bsfctl, gba-scs, gba-ue, gbatool), 127.0.0.1, free ports,
# a private temporary directory $T; everything started is stopped on EXIT
# (by PID) and $T removed (kept with E2E_KEEP=1).
#
# Two set-ups share the core (paths, fail, free ports, cleanup):
#   e2e_init      whole flows SCS -> BSF -> UE (flow_*.sh, the demo):
#                 e2e_pki, e2e_store, e2e_bsf_start, e2e_bsf_opts (all
#                 five: e2e_up), e2e_ue_init, e2e_ue_sas, e2e_run,
#                 e2e_request, e2e_deliver.
#                 Sets $T $SCS $BSF $BSFCTL $UE $GBATOOL $PKI $DB, $URL
#                 (after e2e_bsf_start), $K $OPC (TS 35.208 test set 1),
#                 $IMPI $NAF_FQDN $APP_ID $TPORT.
#   bsf_e2e_init  the daemon alone (bsf_*.sh): setup_pki_store,
#                 add_guss_subscriber, write_config, start_bsf, stop_bsf,
#                 scs_curl, nbsp, zpn, jget, xget, kv, verify_gpi, sqn_of,
#                 req_json; subscribers $IMPI1..3 with $K1/$OPC1; GPI
#                 streams: add_stream_subs, stream_start, stream_stop,
#                 kill9_bsf_after, sqns_oracle, no_sqn_twice; on
#                 PostgreSQL: pg_stream_store, write_pg_config.
# Environment: BUILD_DIR (default build), SRC_DIR (default: this repo).

E2E_PIDS=()
BSF_PID=""

e2e_fail() { echo "FAIL: $*" >&2; exit 1; }
fail() { e2e_fail "$@"; }
ok() { echo "ok: $*"; }

# A TCP port nobody listens on right now (bound then released).
e2e_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
free_port() { e2e_free_port; }

# Paths of the programs; e2e_missing names what is missing, by component.
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

# e2e_missing: print "what (from which component)" for each missing program.
e2e_missing() {
	local m=()
	[ -x "$SCS" ] || m+=("gba-scs (scs/)")
	[ -x "$BSF" ] || m+=("gba-bsf (bsf/, GBA_BUILD_BSF)")
	[ -x "$BSFCTL" ] || m+=("gba-bsfctl (bsf/, GBA_BUILD_BSF)")
	[ -x "$UE" ] || m+=("gba-ue (ue-agent/)")
	[ -x "$DEMO_PKI" ] || m+=("scripts/demo-pki")
	[ -x "$GBATOOL" ] || m+=("gbatool (vectors/)")
	printf '%s\n' "${m[@]}"
}

# On EXIT: stop this shell's background jobs and every recorded process
# (E2E_PIDS, BSF_PID) by PID, show the end of the BSF log when the test
# failed, remove $T.
e2e_cleanup() {
	local rc=$? p
	# helpers still running in the background would keep ctest's output
	# pipe open: stop them (this shell's own jobs)
	for p in $(jobs -p) "${E2E_PIDS[@]}" ${BSF_PID:-}; do
		kill "$p" 2>/dev/null || true
		# one a test froze (SIGSTOP) gets its SIGTERM only once continued
		kill -CONT "$p" 2>/dev/null || true
	done
	for p in $(jobs -p) "${E2E_PIDS[@]}" ${BSF_PID:-}; do
		wait "$p" 2>/dev/null || true
	done
	E2E_PIDS=()
	BSF_PID=""
	if [ "$rc" -ne 0 ] && [ -n "${T:-}" ] && [ -f "$T/bsf.log" ]; then
		echo "---- gba-bsf log (last 30 lines) ----" >&2
		tail -30 "$T/bsf.log" >&2
	fi
	[ -n "${T:-}" ] && [ -d "$T" ] && [ -z "${E2E_KEEP:-}" ] && rm -rf "$T"
	return 0
}

e2e_init() {
	e2e_paths
	local miss
	miss=$(e2e_missing)
	[ -z "$miss" ] || e2e_fail "missing components (not built): $(echo "$miss" | paste -sd ';' | sed 's/;/; /g')"
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

# Start gba-bsf on 127.0.0.1 (free ports) with the store ($DB: a file,
# or a postgresql:// URI given as [store] url); ready when its admin
# endpoint answers /healthz.  Sets URL, ADMIN, BSF_PID, BSF_LOG.
e2e_bsf_start() {
	local port admin i store="path = $DB"
	case $DB in postgresql://*) store="url = $DB" ;; esac
	port=$(e2e_free_port)
	admin=$(e2e_free_port)
	BSF_LOG=$T/bsf.log
	cat > "$T/bsf.ini" <<EOF
[server]
listen = 127.0.0.1
port = $port
threads = ${E2E_BSF_THREADS:-2}
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
$store
[keys]
lifetime_max = 86400
lifetime_default = 3600
[log]
level = info
file = $BSF_LOG
${E2E_BSF_INI_EXTRA:-}
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

# e2e_ue_refuses DIR REASON WHAT PDU...: gba-ue (state DIR) receives the
# PDUs, answers "REJECTED reason=REASON..." (REASON may go on, e.g.
# "REPLAY error=GBA_ERR_REPLAY"), and its state is unchanged.
e2e_ue_refuses() {
	local dir=$1 want=$2 what=$3
	shift 3
	"$UE" --state "$dir" show > "$T/refuses.before"
	e2e_run "$UE" --state "$dir" receive "$@"
	grep -q "^REJECTED reason=$want" "$T/out" ||
		e2e_fail "$what: want $want, got: $(cat "$T/out")"
	"$UE" --state "$dir" show | cmp -s - "$T/refuses.before" ||
		e2e_fail "$what: state changed"
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

# e2e_ue_push STATE: the SCS pushes the GPI of the SA in $SA to
# +447700900123, gba-ue (state STATE) receives the PDUs and exits 0;
# its output in $T/out
e2e_ue_push() {
	"$SCS" push --sa "$SA" --msisdn +447700900123 --app-id "$APP_ID" > "$T/push" ||
		e2e_fail "push"
	e2e_run "$UE" --state "$1" receive $(cat "$T/push")
	[ $RC = 0 ] || e2e_fail "receive rc $RC: $(cat "$T/err")"
}

# e2e_up [e2e_store options]: e2e_init, the PKI, the store, gba-bsf
# started and $BSFOPTS: the common start of a flow.
e2e_up() {
	e2e_init
	e2e_pki
	e2e_store "$@"
	e2e_bsf_start
	e2e_bsf_opts
}

# e2e_request SA [gba-scs request options]: a GPI for $IMPI / $NAF_FQDN
# into the SA file SA; the output in $T/req.
e2e_request() {
	local sa=$1
	shift
	"$SCS" request "${BSFOPTS[@]}" --ue-id "$IMPI" --naf-fqdn "$NAF_FQDN" \
		"$@" --sa "$sa" >"$T/req" || e2e_fail "request"
}

# e2e_bad_auts SA AUTS: gba-scs resync with AUTS changed in its last octet
# (MAC-S wrong): refused (exit 1, GBA_ERR_MAC), the SA file unchanged
e2e_bad_auts() {
	local bad=${2:0:26}$(printf '%02x' $(( 0x${2:26:2} ^ 1 )))
	cp "$1" "$T/keep.sa"
	e2e_run "$SCS" resync "${BSFOPTS[@]}" --sa "$1" --auts "$bad"
	[ $RC = 1 ] || e2e_fail "bad AUTS rc $RC"
	grep -q "GBA_ERR_MAC" "$T/err" || e2e_fail "bad AUTS message: $(cat "$T/err")"
	cmp -s "$1" "$T/keep.sa" || e2e_fail "failed resync changed the SA file"
}

# e2e_deliver SA UEDIR: the GPI push of SA by SMS to the UE in UEDIR
# (gba-ue receive through e2e_run: $T/out, $T/err, $RC).
e2e_deliver() {
	"$SCS" push --sa "$1" --msisdn +447700900123 --app-id "$APP_ID" \
		>"$T/push" || e2e_fail "push"
	# shellcheck disable=SC2046 # one PDU per word
	e2e_run "$UE" --state "$2" receive $(cat "$T/push")
}

# ---- the daemon alone (bsf_*.sh) ----

# bsf_e2e_init: strict mode, programs, $T, the EXIT trap.  When gba-bsf
# is not built (GBA_BUILD_BSF=OFF) the test says so and passes.
bsf_e2e_init() {
	set -euo pipefail
	: "${BUILD_DIR:?BUILD_DIR not set}"
	: "${SRC_DIR:?SRC_DIR not set}"
	e2e_paths
	local b
	for b in "$BSF" "$BSFCTL" "$GBATOOL"; do
		if [ ! -x "$b" ]; then
			echo "SKIP: $b is not built in this tree; e2e not run" >&2
			exit 0
		fi
	done
	T=$(mktemp -d /tmp/bsf-e2e.XXXXXX)
	trap e2e_cleanup EXIT
}

# Subscribers with known keys (TS 35.208 test set 1 K / OPc) so that the
# tests can recompute everything with gbatool.
K1=465b5ce8b199b49faa5f0a2ee238a6bc
OPC1=cd63cb71954a9f4e48a5994e37a02baf
IMPI1=001010000000001@ims.mnc001.mcc001.3gppnetwork.org
IMPU1=tel:+15550000001
IMPI2=001010000000002@ims.mnc001.mcc001.3gppnetwork.org
IMPU2=tel:+15550000002
NAF1=naf1.example.com
NAF2=naf2.example.com
UA=0100000002

# setup_store [extra bsfctl setup commands are run by the caller]
setup_pki_store() {
	"$SRC_DIR/scripts/demo-pki" "$T/pki" scs1 scs2 scs3 >/dev/null
	DB=$T/store.db
	ctl() { "$BSFCTL" --db "$DB" "$@"; }
	ctl init >/dev/null
	# scs1: may use naf1, gets the IMPI, GBA_U aware; scs2: naf2 only;
	# scs3: not a registered Push-NAF at all
	ctl naf add --name scs1 --cert-id scs1.scs.example \
		--naf "$NAF1:$UA" --allow-impi --gba-u-aware ${SCS1_RATE:+--rate $SCS1_RATE} >/dev/null
	ctl naf add --name scs2 --cert-id scs2.scs.example --naf "$NAF2:$UA" >/dev/null
	ctl subscriber add --impi "$IMPI1" --impu "$IMPU1" --k "$K1" --opc "$OPC1" \
		--gba-u --label USIM1 >/dev/null
	ctl subscriber add --impi "$IMPI2" --impu "$IMPU2" --k "$K1" --opc "$OPC1" >/dev/null
	ctl assoc add scs1 "$IMPI1" >/dev/null
	ctl assoc add scs2 "$IMPI2" >/dev/null
}

# A third subscriber (same keys) whose GUSS holds two USSs, 101 and 202,
# associated with scs1: for the ussList checks (bsf/src/uss.h).  Call
# after setup_pki_store and before start_bsf.
IMPI3=001010000000003@ims.mnc001.mcc001.3gppnetwork.org
IMPU3=tel:+15550000003
add_guss_subscriber() {
	cat >"$T/guss3.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<guss xmlns="uri:3gpp-gba">
 <bsfInfo><uiccType>GBA</uiccType><lifeTime>3600</lifeTime></bsfInfo>
 <ussList>
  <uss id="101" type="1" nafGroup="scs"><uids><uid>tel:+15550000003</uid></uids><flags><flag>1</flag><flag>7</flag></flags></uss>
  <uss id="202" nafGroup="other&amp;more"><uids><uid>sip:carol@ims.example</uid></uids></uss>
 </ussList>
</guss>
XML
	ctl subscriber add --impi "$IMPI3" --impu "$IMPU3" --k "$K1" --opc "$OPC1" \
		--guss "$T/guss3.xml" >/dev/null
	ctl assoc add scs1 "$IMPI3" >/dev/null
}

# start_bsf_guss: the BSF of the binding tests (bsf_nbsp.sh, bsf_zpn.sh):
# the test store with the GUSS subscriber, the default configuration, and
# gba-bsf started on it.
start_bsf_guss() {
	setup_pki_store
	add_guss_subscriber
	write_config
	start_bsf
}

# write_config [extra INI text appended]  (BSF_LOG_LEVEL: [log] level,
# default info; an INI key given twice is refused, so it is set here)
write_config() {
	PORT=$(free_port)
	APORT=$(free_port)
	cat >"$T/bsf.ini" <<INI
[server]
listen = 127.0.0.1
port = $PORT
threads = ${E2E_BSF_THREADS:-2}
drain_timeout = 5
[tls]
cert = $T/pki/server.pem
key = $T/pki/server.key
ca = $T/pki/ca.pem
[admin]
listen = 127.0.0.1
port = $APORT
[store]
path = $DB
[log]
level = ${BSF_LOG_LEVEL:-info}
file = $T/bsf.log
${1:-}
INI
	URL=https://127.0.0.1:$PORT
	ADMIN=http://127.0.0.1:$APORT
}

start_bsf() {
	"$BSF" -c "$T/bsf.ini" >>"$T/bsf.stdout" 2>&1 &
	BSF_PID=$!
	local i
	for i in $(seq 1 100); do
		if curl -fs "$ADMIN/healthz" >/dev/null 2>&1; then
			return 0
		fi
		kill -0 "$BSF_PID" 2>/dev/null || fail "gba-bsf exited at start: $(cat "$T/bsf.stdout" "$T/bsf.log" 2>/dev/null | tail -5)"
		sleep 0.05
	done
	fail "gba-bsf not ready"
}

stop_bsf() {
	kill -TERM "$BSF_PID"
	local rc=0
	wait "$BSF_PID" || rc=$?
	BSF_PID=
	return $rc
}

# scs_curl NAME ARGS... : curl with client certificate NAME from the PKI
scs_curl() {
	local n=$1
	shift
	curl -sS --cacert "$T/pki/ca.pem" --cert "$T/pki/$n.pem" \
		--key "$T/pki/$n.key" "$@"
}

# nbsp NAME JSON -> body in $T/body, status echoed
nbsp() {
	scs_curl "$1" -o "$T/body" -w '%{http_code}' \
		-H 'Content-Type: application/json' --data-binary "$2" \
		"$URL/nbsp-gba/v1/push-info-retrieval"
}

zpn() {
	scs_curl "$1" -o "$T/body" -w '%{http_code}' \
		-H 'Content-Type: text/xml; charset=utf-8' --data-binary "$2" \
		"$URL/zpn"
}

# jget FIELD [FILE]: a top-level JSON string/number/bool ("" if absent)
jget() {
	python3 - "$1" "${2:-$T/body}" <<'PY'
import json, sys
d = json.load(open(sys.argv[2]))
v = d.get(sys.argv[1], "")
print(json.dumps(v) if isinstance(v, (dict, list)) else ("true" if v is True else "false" if v is False else v))
PY
}

# xget ELEMENT [FILE]: text of the first element with that local name
xget() {
	python3 - "$1" "${2:-$T/body}" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[2]).getroot()
for e in root.iter():
    if e.tag.split('}')[-1] == sys.argv[1]:
        print(e.text or ""); break
PY
}

# kv NAME: value of NAME=... in gbatool output on stdin
kv() { sed -n "s/^$1=//p"; }

xor_hex() {
	python3 -c 'import sys; a=bytes.fromhex(sys.argv[1]); b=bytes.fromhex(sys.argv[2]); print(bytes(x^y for x,y in zip(a,b)).hex())' "$1" "$2"
}

# verify_gpi GPI_HEX ME_KEY UICC_KEY(or "") IMPI FQDN UA GBA_U(0/1) PTID
# Independent recomputation with gbatool (Milenage f1..f5, TS 33.220 KDF)
# and python (SHA-1 for MAC*): prints the SQN (decimal) on success.
verify_gpi() {
	local gpi=$1 me=$2 uicc=$3 impi=$4 fqdn=$5 ua=$6 gbau=$7 ptid=$8
	local dec rand autn ak sqn amf mac m ck ik ksn exp_mac
	dec=$("$GBATOOL" gpi decode "$gpi" --naf-key "$me") || fail "gbatool gpi decode (tag/P-TID) failed for $gpi"
	rand=$(echo "$dec" | kv rand)
	autn=$(echo "$dec" | kv autn)
	[ "$(echo "$dec" | kv gba_u)" = "$gbau" ] || fail "GPI gba_u flag"
	[ "$(echo "$dec" | kv naf_fqdn)" = "$fqdn" ] || fail "GPI naf_fqdn"
	[ "$(echo "$dec" | kv ua_id)" = "$ua" ] || fail "GPI ua_id"
	[ "$(echo "$dec" | kv p_tid)" = "$(printf %s "$ptid" | od -An -tx1 | tr -d ' \n')" ] || fail "GPI P-TID does not decrypt to $ptid"
	m=$("$GBATOOL" milenage --k "$K1" --opc "$OPC1" --rand "$rand" --sqn 000000000000 --amf 0000)
	ak=$(echo "$m" | kv f5)
	ck=$(echo "$m" | kv f3)
	ik=$(echo "$m" | kv f4)
	sqn=$(xor_hex "${autn:0:12}" "$ak")
	amf=${autn:12:4}
	mac=${autn:16:16}
	exp_mac=$("$GBATOOL" milenage --k "$K1" --opc "$OPC1" --rand "$rand" --sqn "$sqn" --amf "$amf" | kv f1)
	if [ "$gbau" = 1 ]; then
		# TS 33.220 5.3.2: MAC* = MAC xor Trunc64(SHA-1(IK))
		exp_mac=$(xor_hex "$exp_mac" "$(python3 -c 'import hashlib,sys; print(hashlib.sha1(bytes.fromhex(sys.argv[1])).hexdigest()[:16])' "$ik")")
	fi
	[ "$mac" = "$exp_mac" ] || fail "AUTN MAC does not verify (gba_u=$gbau)"
	ksn=$("$GBATOOL" ks-naf --ck "$ck" --ik "$ik" --rand "$rand" --impi "$impi" --naf-fqdn "$fqdn" --ua-id "$ua")
	[ "$(echo "$ksn" | kv ks_naf)" = "$me" ] || fail "meKeyMaterial != KDF(Ks,gba-me,...)"
	if [ -n "$uicc" ]; then
		[ "$(echo "$ksn" | kv ks_int_naf)" = "$uicc" ] || fail "uiccKeyMaterial != KDF(Ks,gba-u,...)"
	fi
	echo $((16#$sqn))
}

# sqn_of GPI_HEX: SQN (decimal) = AUTN[0..5] xor AK, AK = f5(K1, RAND)
sqn_of() {
	local dec rand autn ak
	dec=$("$GBATOOL" gpi decode "$1")
	rand=$(echo "$dec" | kv rand)
	autn=$(echo "$dec" | kv autn)
	ak=$("$GBATOOL" milenage --k "${2:-$K1}" --opc "${3:-$OPC1}" --rand "$rand" --sqn 000000000000 --amf 0000 | kv f5)
	echo $(((16#${autn:0:12}) ^ (16#$ak)))
}

# ---- GPI streams and the SQN oracle (bsf_crash.sh, bsf_*_pg.sh) ----

# add_stream_subs N...: subscribers 00101000000000N@ims.mnc001.mcc001.
# 3gppnetwork.org with $K1/$OPC1, associated with scs1 (through the
# caller's ctl()), appended to the caller's array subs
add_stream_subs() {
	local n impi
	for n in "$@"; do
		impi=00101000000000$n@ims.mnc001.mcc001.3gppnetwork.org
		ctl subscriber add --impi "$impi" --k "$K1" --opc "$OPC1" >/dev/null
		ctl assoc add scs1 "$impi" >/dev/null
		subs+=("$impi")
	done
}

# pg_stream_store N...: (tests/e2e/lib/pg.bash sourced, pg_stop in the
# caller's EXIT trap) a throwaway PostgreSQL cluster, the PKI (scs1), a
# store on the cluster (ctl() on $PG_URI) with the Push-NAF scs1 and
# add_stream_subs N...; then write_pg_config
pg_stream_store() {
	pg_start || fail "pg_start"
	"$SRC_DIR/scripts/demo-pki" "$T/pki" scs1 >/dev/null
	ctl() { "$BSFCTL" --db "$PG_URI" "$@"; }
	ctl init >/dev/null
	ctl naf add --name scs1 --cert-id scs1.scs.example --naf "$NAF1:$UA" >/dev/null
	subs=()
	add_stream_subs "$@"
}

# write_pg_config: write_config for the store $PG_URI ([store] url; the
# path $DB unused), no rate limits
write_pg_config() {
	DB=$T/unused.db
	write_config "[store]
url = $PG_URI
ue_rate = 0
[limits]
rate = 0"
}

# stream_start VAR PORT GPIS STOP IMPI...: tests/e2e/lib/stream.py in the
# background (client certificate scs1, $NAF1, $UA) until the file STOP
# exists, one "impi gpi" line per GPI received appended to GPIS; its PID
# in the variable VAR
stream_start() {
	local _var=$1 _port=$2 _out=$3 _stop=$4
	shift 4
	rm -f "$_stop"
	python3 "$SRC_DIR/tests/e2e/lib/stream.py" "$_port" "$T/pki" scs1 "$_out" "$_stop" "$NAF1" "$UA" "$@" &
	printf -v "$_var" %s "$!"
}

# stream_wait GPIS N [SECONDS]: wait until GPIS holds at least N lines
# (default 30 s: a loaded CI machine may take seconds to start Python and
# its first TLS handshake); 1 when it does not
stream_wait() {
	local i
	for i in $(seq 1 $((${3:-30} * 10))); do
		[ "$(wc -l <"$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# stream_stop STOP PID: ask the stream to end, wait for it
stream_stop() {
	touch "$1"
	wait "$2" || true
}

# kill9_bsf_after LO HI: SIGKILL gba-bsf ($BSF_PID) at a random moment
# LO..HI seconds from now, reap it, clear BSF_PID
kill9_bsf_after() {
	sleep "$(python3 -c 'import random, sys; print(round(random.uniform(float(sys.argv[1]), float(sys.argv[2])), 2))' "$1" "$2")"
	kill -9 "$BSF_PID"
	wait "$BSF_PID" 2>/dev/null || true
	BSF_PID=
}

# sqns_oracle GPIS OUT: for each "impi gpi" line of GPIS, "impi sqn" into
# OUT: RAND and AUTN from the GPI (gbatool gpi decode: decoding only), the
# SQN = AUTN[0..5] xor AK, AK = f5(K1, RAND) by tests/e2e/lib/sqn_oracle.py
# (the Python Milenage of tests/uicc/usim_model.py, not gba-bsf's C one)
sqns_oracle() {
	local impi gpi dec
	while read -r impi gpi; do
		dec=$("$GBATOOL" gpi decode "$gpi")
		echo "$impi $(echo "$dec" | kv rand) $(echo "$dec" | kv autn)"
	done <"$1" >"$T/ra"
	python3 "$SRC_DIR/tests/e2e/lib/sqn_oracle.py" "$T/ra" "$K1" "$OPC1" >"$2" ||
		fail "oracle"
}

# no_sqn_twice SQNS: fail when an "impi sqn" line appears twice
no_sqn_twice() {
	local dups
	dups=$(sort "$1" | uniq -d | wc -l)
	[ "$dups" -eq 0 ] || fail "SQN issued twice: $(sort "$1" | uniq -d | head -3)"
}

req_json() { # ueId ueIdType fqdn uiccOrMe [extra json members]
	printf '{"ueId":"%s","ueIdType":"%s","uiccAppLabel":"","nafId":{"nafFqdn":"%s","uaSecProtId":"%s"},"ptId":"ptid-e2e","uiccOrMe":"%s","requestedLifeTime":"2099-01-01T00:00:00Z"%s}' \
		"$1" "$2" "$3" "$UA" "$4" "${5:-}"
}
