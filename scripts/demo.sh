#!/usr/bin/env bash
# make demo: GBA Push end to end with real processes (docs/demo.md).
#
#   scripts/demo.sh [--keep] [--store sqlite|postgresql] [--hss embedded|zh]
#                   [BUILD_DIR]           default BUILD_DIR: build
#   --hss zh: the AVs come from gba-hss over Zh (Diameter MAR/MAA on
#   127.0.0.1, plain TCP; docs/diameter.md), gba-bsf in [hss] mode = zh;
#   the same steps, the same success line (SQLite stores only)
#   DEMO_NO_VECTORS=1 scripts/demo.sh     skip the final vectors replay
#   --store postgresql (make demo STORE=postgresql): the same steps with
#   gba-bsf on a throwaway PostgreSQL cluster of its own
#   (tests/e2e/lib/pg.bash: initdb and pg_ctl of Debian's postgresql
#   package, a Unix socket in a temporary directory, no TCP port; as root
#   the cluster runs as the unprivileged user postgres through runuser),
#   stopped and removed whatever the outcome; the default, sqlite, is the
#   embedded store file
#   --keep (or DEMO_KEEP=1, make demo KEEP=1): leave gba-bsf running with
#   its PKI and store, run the copy-paste curl requests (Nbsp JSON, Zpn
#   SOAP) of README.md / docs/scs.md against it, and print them with the
#   paths of this run and the command that stops it
#
# A demo PKI, a BSF store with one subscriber (TS 35.208 test set 1 K/OPc)
# and one Push-NAF, gba-bsf on 127.0.0.1 (free port), then the SCS
# (gba-scs) requests a GPI over HTTPS with mutual TLS, pushes it by SMS to
# a fresh UE (gba-ue), sends a GPL-protected device trigger, and shows a
# replayed and a tampered trigger being refused.  Every step checks its
# output; exit 0 only if all behaved as expected.  The BSF is stopped
# whatever happens (trap EXIT).
set -euo pipefail
cd "$(dirname "$0")/.."
KEEP=${DEMO_KEEP:-}
STORE=sqlite
HSS_MODE=${DEMO_HSS:-embedded}
usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' scripts/demo.sh
}
while [ $# -gt 0 ]; do
	case $1 in
	--keep) KEEP=1 ;;
	--store)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		STORE=$2
		shift ;;
	--store=*) STORE=${1#--store=} ;;
	--hss)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		HSS_MODE=$2
		shift ;;
	--hss=*) HSS_MODE=${1#--hss=} ;;
	-h | --help) usage; exit 0 ;;
	-*) echo "demo.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
case $STORE in
sqlite | postgresql) ;;
*) echo "demo.sh: --store sqlite or postgresql, not '$STORE'" >&2; exit 2 ;;
esac
case $HSS_MODE in
embedded | zh) ;;
*) echo "demo.sh: --hss embedded or zh, not '$HSS_MODE'" >&2; exit 2 ;;
esac
if [ "$HSS_MODE" = zh ] && [ "$STORE" != sqlite ]; then
	echo "demo.sh: --hss zh runs with SQLite stores only" >&2
	exit 2
fi
BUILD_DIR=${1:-build}
SRC_DIR=$PWD
export BUILD_DIR SRC_DIR
. tests/e2e/lib/e2e.bash
[ "$HSS_MODE" = embedded ] || . tests/e2e/lib/diam.bash

step=0
STEP() { step=$((step + 1)); printf '\n== %d. %s\n' "$step" "$*"; }
WHY() { printf '   proves: %s\n' "$*"; }
SAY() { printf '   %s\n' "$*"; }
OUT() { sed 's/^/   | /' "$@"; }
BAD() { printf '\nDEMO FAILED at step %d: %s\n' "$step" "$*" >&2; exit 1; }

echo "gbapush demo: SCS -> BSF (Nbsp_GBA, mutual TLS) -> GPI over SMS -> UE -> protected trigger"

e2e_paths
miss=$(e2e_missing)
if [ -n "$miss" ]; then
	echo "DEMO CANNOT RUN: these components are not in this tree or did not build:" >&2
	echo "$miss" | sed 's/^/  - /' >&2
	echo "(merge them, run 'make', and retry; the demo never fakes a step)" >&2
	exit 1
fi
e2e_init
E2E_KEEP=$KEEP
if [ "$STORE" = postgresql ]; then
	. tests/e2e/lib/pg.bash
	PG_KEEP=
	# gba-bsf first (e2e_cleanup), then the cluster, whatever the outcome;
	# with --keep and a successful run both stay up for stop.sh
	trap 'rc=$?; e2e_cleanup; [ -n "$PG_KEEP" ] || pg_stop; exit $rc' EXIT
fi

STEP "Demo PKI (scripts/demo-pki): CA, BSF server certificate, SCS client certificate scs1"
e2e_pki
openssl x509 -in "$PKI/scs1.pem" -noout -subject -ext subjectAltName 2>/dev/null | OUT
WHY "the SCS will authenticate to the BSF with its own certificate (identity $NAF_FQDN)"

if [ "$HSS_MODE" = zh ]; then
	STEP "Stores (gba-bsfctl): the HSS's with the key, the BSF's with identity, Push-NAF, association"
	DB=$T/hss.db e2e_store
	K=00000000000000000000000000000000 e2e_store
	"$BSFCTL" --db "$DB" naf list | OUT
	"$BSFCTL" --db "$DB" assoc list | OUT
	SAY "HSS subscriber: K/OPc of TS 35.208 test set 1; the BSF's copy has an all-zero K, never used in zh mode"
	WHY "the HSS holds the long-term key; the BSF only knows the UE and which SCS may ask for it"

	STEP "Start gba-hss (Zh server) and gba-bsf ([hss] mode = zh) on 127.0.0.1, Diameter over TCP"
	diam_pki
	PB=$(diam_free_port)
	PH=$(diam_free_port)
	[ "$PB" != "$PH" ] || PH=$(diam_free_port)
	diam_conf "$T/bsf.fd" bsf.test "$PB" 0 "hss1.test:$PH"
	diam_conf "$T/hss1.fd" hss1.test "$PH" 0 "bsf.test:$PB"
	diam_hss_start 1 "$T/hss1.fd" "$T/hss.db"
	E2E_BSF_INI_EXTRA="[diameter]
conf = $T/bsf.fd
[hss]
mode = zh
realm = $DIAM_REALM"
	e2e_bsf_start
	SAY "gba-hss pid $HSS_PID_1 (Diameter 127.0.0.1:$PH), gba-bsf pid $BSF_PID at $URL (Diameter :$PB)"
	WHY "the BSF fetches one AV per GPI from the HSS with a Diameter MAR (TS 29.109 Zh)"
	e2e_bsf_opts
else
STEP "BSF store (gba-bsfctl): subscriber, Push-NAF, association"
if [ "$STORE" = postgresql ]; then
	pg_start || BAD "could not start a throwaway PostgreSQL cluster"
	DB=$PG_URI
	SAY "throwaway PostgreSQL cluster in $PG_DIR (Unix socket only), store $DB"
fi
e2e_store
"$BSFCTL" --db "$DB" naf list | OUT
"$BSFCTL" --db "$DB" assoc list | OUT
SAY "subscriber: K/OPc of TS 35.208 test set 1 (test data, not a real subscriber)"
WHY "the BSF knows the UE's long-term key and which SCS may ask for it"

if [ "$STORE" = postgresql ]; then
	STEP "Start gba-bsf on 127.0.0.1 (free port, PostgreSQL store) and wait until it answers"
else
	STEP "Start gba-bsf on 127.0.0.1 (free port, embedded store) and wait until it answers"
fi
e2e_bsf_start
SAY "gba-bsf pid $BSF_PID listening at $URL"
WHY "a real BSF process serves Nbsp_GBA over HTTPS"
e2e_bsf_opts
fi

STEP "Fresh UE (gba-ue init) with the same K/OPc and IMPI in its software USIM"
e2e_ue_init "$T/ue"
"$UE" --state "$T/ue" show | OUT
grep -qx "sas=0" < <("$UE" --state "$T/ue" show) || BAD "new UE already has an SA"
WHY "the UE starts with no NAF SA"

STEP "SCS asks the BSF for GBA Push Information (gba-scs request)"
e2e_run "$SCS" request "${BSFOPTS[@]}" --ue-id "$IMPI" --naf-fqdn "$NAF_FQDN" \
	--p-tid 70742d64656d6f2d30303031 --lifetime 3600 --sa "$T/ue1.sa"
[ $RC = 0 ] || BAD "gba-scs request: $(cat "$T/err")"
OUT "$T/out"
[ "$(stat -c %a "$T/ue1.sa")" = 600 ] || BAD "SA file not 0600"
grep -qx "sn_c=0" "$T/out" || BAD "new SA has SN_c != 0"
SAY "SA file $T/ue1.sa, mode 0600 (holds the NAF key, never printed)"
WHY "PushInfoRequest/Response over mutual TLS; the SCS now holds Ks_NAF, NAF_Id, RAND, P-TID, expiry"
RAND=$(sed -n 's/^rand=//p' "$T/out")

STEP "SCS prints the GPI push as SMS-DELIVER PDUs (gba-scs push); the UE receives them"
"$SCS" push --sa "$T/ue1.sa" --msisdn +447700900123 --app-id "$APP_ID" > "$T/push" ||
	BAD "gba-scs push"
OUT "$T/push"
e2e_run "$UE" --state "$T/ue" receive $(cat "$T/push")
[ $RC = 0 ] || BAD "gba-ue receive: $(cat "$T/err")"
OUT "$T/out"
PTID_HEX=$(printf 'pt-demo-0001' | od -An -v -tx1 | tr -d ' \n')
grep -q "^GPI_ACCEPTED .*naf=$NAF_FQDN mode=GBA_ME .*p_tid=$PTID_HEX" "$T/out" ||
	BAD "UE did not accept the GPI"
"$UE" --state "$T/ue" show | OUT
"$UE" --state "$T/ue" show | grep -q "rand=$RAND p_tid=$PTID_HEX" || BAD "UE SA differs from the SCS's"
WHY "the UE ran AKA on the GPI's RAND/AUTN, derived the same Ks_NAF, and holds the same SA (RAND, P-TID)"

STEP "SCS sends a GPL-protected device trigger (gba-scs trigger); the UE verifies it"
"$SCS" trigger --sa "$T/ue1.sa" --payload 776b7570 --port "$TPORT" > "$T/trg1" ||
	BAD "gba-scs trigger"
OUT "$T/trg1"
"$SCS" show --sa "$T/ue1.sa" | grep -qx "sn_c=1" || BAD "SN_c not advanced"
e2e_run "$UE" --state "$T/ue" receive $(cat "$T/trg1")
OUT "$T/out"
grep -q "^TRIGGER .*naf=$NAF_FQDN sn=1 payload=776b7570" "$T/out" || BAD "trigger not accepted"
WHY "the payload ('wkup') arrived encrypted and MACed under the NAF SA, SN 1 > SN_h 0"

STEP "Replay: the same trigger PDU again"
"$UE" --state "$T/ue" show > "$T/before"
e2e_run "$UE" --state "$T/ue" receive $(cat "$T/trg1")
OUT "$T/out"
grep -q "^REJECTED reason=REPLAY" "$T/out" || BAD "replayed trigger was not refused"
"$UE" --state "$T/ue" show | cmp -s - "$T/before" || BAD "UE state changed on a replay"
WHY "SN 1 is not above SN_h: refused, UE state unchanged"

STEP "Tampering: a new trigger with one bit flipped in its MAC"
"$SCS" trigger --sa "$T/ue1.sa" --payload 776b7570 --port "$TPORT" > "$T/trg2" ||
	BAD "gba-scs trigger"
T2=$(cat "$T/trg2")
BADPDU=${T2%??}$(printf '%02x' $(( 0x${T2: -2} ^ 1 )))
e2e_run "$UE" --state "$T/ue" receive "$BADPDU"
OUT "$T/out"
grep -q "^REJECTED reason=TRIGGER_MAC" "$T/out" || BAD "tampered trigger was not refused"
"$UE" --state "$T/ue" show | cmp -s - "$T/before" || BAD "UE state changed on a bad MAC"
e2e_run "$UE" --state "$T/ue" receive "$T2"
grep -q "^TRIGGER .*sn=2" "$T/out" || BAD "the untampered trigger SN 2 was not accepted"
SAY "the untampered original (SN 2) is then accepted: $(cat "$T/out")"
WHY "the MAC check fails in constant time and SN_h is not touched; the genuine message still works"

if [ -n "$KEEP" ]; then
	STEP "Keep the BSF running: the curl requests of README.md and docs/scs.md"
	# what README.md / docs/scs.md show, with this run's paths
	cat > "$T/demo.env" <<ENV
export URL=$URL ADMIN=$ADMIN PKI=$PKI IMPI=$IMPI NAF_FQDN=$NAF_FQDN BSF_PID=$BSF_PID
ENV
	printf '#!/bin/sh\nkill %s %s; rm -rf %s\n' "$BSF_PID" "${HSS_PID_1:-}" "$T" > "$T/stop.sh"
	if [ "$STORE" = postgresql ]; then
		# the cluster too: after gba-bsf has gone
		printf 'while kill -0 %s 2>/dev/null; do sleep 0.1; done\n%s%s/pg_ctl -D %s -m fast -w stop >/dev/null; rm -rf %s\n' \
			"$BSF_PID" "${PG_RUNAS:+runuser -u $PG_RUNAS -- }" "$PG_BIN" "$PG_DATA" "$PG_DIR" >> "$T/stop.sh"
	fi
	chmod +x "$T/stop.sh"
	. "$T/demo.env"
	curl -sS --cacert "$PKI/ca.pem" --cert "$PKI/scs1.pem" --key "$PKI/scs1.key" \
		-H 'Content-Type: application/json' \
		--data '{"ueId":"'"$IMPI"'","ueIdType":"PRIVATE","nafId":{"nafFqdn":"'"$NAF_FQDN"'","uaSecProtId":"0100000005"},"ptId":"pt-curl-1","uiccOrMe":"GBA_ME","uiccAppLabel":"","requestedLifeTime":"'"$(date -u -d +1hour +%FT%TZ)"'"}' \
		"$URL/nbsp-gba/v1/push-info-retrieval" > "$T/nbsp.json" || BAD "curl Nbsp"
	python3 -m json.tool "$T/nbsp.json" | OUT
	grep -q '"gbaPushInfo"' "$T/nbsp.json" || BAD "Nbsp answer without gbaPushInfo"
	curl -sS --cacert "$PKI/ca.pem" --cert "$PKI/scs1.pem" --key "$PKI/scs1.key" \
		-H 'Content-Type: text/xml; charset=utf-8' \
		--data '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><requestGbaPushInfoRequest xmlns="urn:gbapush:zpn:1"><userId>'"$IMPI"'</userId><userIdType>PRIVATE</userIdType><nafid><nafFqdn>'"$NAF_FQDN"'</nafFqdn><uaSecProtId>0100000005</uaSecProtId></nafid><ptid>pt-curl-2</ptid><uiccMe>GBA_ME</uiccMe></requestGbaPushInfoRequest></soap:Body></soap:Envelope>' \
		"$URL/zpn" > "$T/zpn.xml" || BAD "curl Zpn"
	OUT "$T/zpn.xml"; echo
	grep -q '<gbaPushInfo>' "$T/zpn.xml" || BAD "Zpn answer without gbaPushInfo"
	SAY "gba-bsf pid $BSF_PID keeps running at $URL (admin $ADMIN)"
	SAY "for the requests of README.md / docs/scs.md:  . $T/demo.env"
	SAY "stop it and remove the demo files:            $T/stop.sh"
	WHY "a plain curl with the SCS certificate gets a GPI over Nbsp (JSON) and Zpn (SOAP)"
	# leave it running: not killed by the exit trap (e2e_cleanup kills
	# E2E_PIDS, BSF_PID and this shell's jobs)
	disown "$BSF_PID"
	E2E_PIDS=()
	BSF_PID=
	PG_KEEP=1
else
	STEP "Stop the BSF"
	e2e_bsf_stop
	SAY "gba-bsf stopped"
	if [ "$HSS_MODE" = zh ]; then
		diam_hss_stop 1
		SAY "gba-hss stopped: $(grep -o 'MAA ok=.*' "$T/hss-1.log" | tr -d '"')"
	fi
fi

if [ -z "${DEMO_NO_VECTORS:-}" ]; then
	STEP "Replay the 3GPP and project test vectors through the core (gbatool vectors run)"
	"$GBATOOL" vectors run > "$T/vec" 2>&1 || { OUT "$T/vec"; BAD "vectors replay failed"; }
	OUT "$T/vec"
	grep -qE '^total +[0-9]+ +[0-9]+ +0$' "$T/vec" || BAD "vectors replay reported failures"
	WHY "Milenage (TS 35.207/35.208), TUAK (TS 35.232/35.233) and the TS 33.220 KDF / NAF keys (project vectors) reproduce their test data"
fi

printf '\nDEMO OK: all %d steps behaved as expected\n' "$step"
