# Shared helpers for tests/e2e/bsf_*.sh (sourced, not a test itself).
# Needs BUILD_DIR and SRC_DIR (set by ctest).  Everything runs on
# 127.0.0.1 with free ports, in a private temp directory removed on exit;
# the daemon is stopped by PID.
set -euo pipefail

: "${BUILD_DIR:?BUILD_DIR not set}"
: "${SRC_DIR:?SRC_DIR not set}"
BSF=$BUILD_DIR/bsf/gba-bsf
BSFCTL=$BUILD_DIR/bsf/gba-bsfctl
GBATOOL=$BUILD_DIR/vectors/gbatool
# Until gba-bsf (needs gba_aka_* from wip/aka) and gba-bsfctl are both in
# the tree, say so loudly and pass: there is nothing to run against.
for b in "$BSF" "$BSFCTL" "$GBATOOL"; do
	if [ ! -x "$b" ]; then
		echo "SKIP: $b is not built in this tree; e2e not run" >&2
		exit 0
	fi
done

T=$(mktemp -d /tmp/bsf-e2e.XXXXXX)
BSF_PID=
cleanup() {
	local rc=$?
	# helpers still running in the background would keep ctest's output
	# pipe open: stop them (by PID, they are this shell's own jobs)
	local j
	for j in $(jobs -p); do
		[ "$j" = "$BSF_PID" ] || kill "$j" 2>/dev/null || true
	done
	if [ -n "$BSF_PID" ] && kill -0 "$BSF_PID" 2>/dev/null; then
		kill -TERM "$BSF_PID" 2>/dev/null || true
		wait "$BSF_PID" 2>/dev/null || true
	fi
	if [ $rc -ne 0 ] && [ -f "$T/bsf.log" ]; then
		echo "---- gba-bsf log (last 30 lines) ----" >&2
		tail -30 "$T/bsf.log" >&2
	fi
	rm -rf "$T"
	exit $rc
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
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

# write_config [extra INI text appended]  (BSF_LOG_LEVEL: [log] level,
# default info; an INI key given twice is refused, so it is set here)
write_config() {
	PORT=$(free_port)
	APORT=$(free_port)
	cat >"$T/bsf.ini" <<INI
[server]
listen = 127.0.0.1
port = $PORT
threads = 2
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

req_json() { # ueId ueIdType fqdn uiccOrMe [extra json members]
	printf '{"ueId":"%s","ueIdType":"%s","uiccAppLabel":"","nafId":{"nafFqdn":"%s","uaSecProtId":"%s"},"ptId":"ptid-e2e","uiccOrMe":"%s","requestedLifeTime":"2099-01-01T00:00:00Z"%s}' \
		"$1" "$2" "$3" "$UA" "$4" "${5:-}"
}
