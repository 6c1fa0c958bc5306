#!/usr/bin/env bash
# E2E with a (virtual) real card: the key lives on a USIM card model
# (tests/uicc/usim_model.py: Milenage from python3-cryptography, TS 31.102
# files and AUTHENTICATE), reached through the real PC/SC stack (our own
# pcscd with the vsmartcard vpcd driver, gba-ue --reader) and through a
# pseudo-terminal modem answering AT+CSIM (gba-ue --modem).  Flows against
# the real gba-bsf / gba-scs:
#   - PC/SC: GBA_ME GPI + trigger; GBA_U GPI (AUTHENTICATE in the GBA
#     context, Ks_ext_NAF from the card) + trigger; a resync (AUTS made by
#     the card, checked by the BSF) and the GPI after it;
#   - AT+CSIM: GBA_ME GPI + trigger through the modem, same card;
#   - a card without the GBA service in EF_UST: a GBA_U GPI is a
#     REJECTED/MODE event and no GBA-context AUTHENTICATE reaches the card;
#   - a card with another K: 98 62, a REJECTED/AUTN event.
# pcscd's socket (/run/pcscd) and vpcd's port (35963) are fixed, so the
# test runs in a private mount + network namespace (unshare) and ctest
# gives it RESOURCE_LOCK vpcd.  Exit 77 (ctest SKIP) only when pcscd cannot
# run here at all; the reason is printed.
set -euo pipefail
SRC_DIR=${SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=/usr/bin/python3 # Debian's python3-cryptography lives there
MODEL=$SRC_DIR/tests/uicc/usim_model.py
VPCD_PORT=35963
READER="Virtual PCD 00 00"

skip() { echo "SKIP: $*"; exit 77; }

if [ -z "${GBA_UICC_NS:-}" ]; then
	miss=()
	command -v pcscd > /dev/null || miss+=(pcscd)
	[ -r /etc/reader.conf.d/vpcd ] || miss+=(vsmartcard-vpcd)
	$PY -c 'import cryptography' 2> /dev/null || miss+=(python3-cryptography)
	command -v ip > /dev/null || miss+=(iproute2)
	if [ ${#miss[@]} -gt 0 ]; then
		echo "FAIL: missing packages: ${miss[*]} (scripts/install-deps.sh)" >&2
		exit 1
	fi
	# a private /run/pcscd and loopback: unprivileged user namespace, or
	# plain namespaces when we are root
	if unshare -rmn true 2> /dev/null; then
		exec unshare -rmn env GBA_UICC_NS=1 bash "$0" "$@"
	elif [ "$(id -u)" = 0 ] && unshare -mn true 2> /dev/null; then
		exec unshare -mn env GBA_UICC_NS=1 bash "$0" "$@"
	fi
	skip "pcscd cannot run here: its socket path /run/pcscd/pcscd.comm is" \
		"fixed (pcsc-lite 1.9.9), and neither an unprivileged user" \
		"namespace (unshare -rmn) nor, as root, unshare -mn is available" \
		"to give this test its own /run/pcscd and loopback"
fi

# inside the namespace
mount -t tmpfs tmpfs /run 2> /dev/null || skip "cannot mount a private /run for pcscd"
mkdir -p /run/pcscd
ip link set lo up || skip "cannot bring up the namespace's loopback"

. "$SRC_DIR/tests/e2e/lib/e2e.bash"
e2e_init
$PY "$MODEL" selftest > /dev/null || e2e_fail "card model Milenage self-test"

# our pcscd, reading only the vpcd reader (the package's reader.conf)
mkdir -p "$T/readers"
cp /etc/reader.conf.d/vpcd "$T/readers/vpcd"
pcscd -f -c "$T/readers" > "$T/pcscd.log" 2>&1 &
PCSCD_PID=$!
E2E_PIDS+=("$PCSCD_PID")
for _ in $(seq 100); do
	[ -S /run/pcscd/pcscd.comm ] && break
	kill -0 "$PCSCD_PID" 2> /dev/null || skip "pcscd cannot run here: $(tail -3 "$T/pcscd.log")"
	sleep 0.05
done
[ -S /run/pcscd/pcscd.comm ] || skip "pcscd did not create its socket: $(tail -3 "$T/pcscd.log")"

APDU=$T/apdu.log
$PY "$MODEL" run --k "$K" --opc "$OPC" --vpcd $VPCD_PORT --modem "$T/modem" \
	--log "$APDU" > "$T/model.log" 2>&1 &
E2E_PIDS+=("$!")

e2e_pki
e2e_store --gba-u
e2e_bsf_start
e2e_bsf_opts

# the card appears in the reader once the model has connected to vpcd
ue_init() {
	"$UE" --state "$1" init "${@:2}" --impi "$IMPI" --app-id "$APP_ID" \
		--trigger-port "$TPORT"
}
ok=
for _ in $(seq 100); do
	if ue_init "$T/ue" --reader "$READER" > "$T/init" 2> "$T/err"; then
		ok=1
		break
	fi
	sleep 0.1
done
[ -n "$ok" ] || e2e_fail "gba-ue init --reader: $(cat "$T/err") / pcscd: $(tail -3 "$T/pcscd.log")"
grep -q "USIM a0000000871002ff49ff0589000001ff, GBA_U capable" "$T/init" ||
	e2e_fail "init: $(cat "$T/init")"
grep -q "^reader = $READER\$" "$T/ue/usim.conf" || e2e_fail "reader not saved"
if grep -qi "^k\|^opc" "$T/ue/usim.conf"; then e2e_fail "a card state holds keys"; fi
grep -q "^vpcd > 00a4040c10a0000000871002ff49ff0589000001ff < 9000" "$APDU" ||
	e2e_fail "USIM ADF not selected by its full AID from EF_DIR"
grep -q "^vpcd > 00b2010400 < 6c20" "$APDU" && grep -q "^vpcd > 00b2010420 < .*9000\$" "$APDU" ||
	e2e_fail "EF_DIR not read with the 6C xx correction"
echo "ok: gba-ue init --reader: USIM AID from EF_DIR, EF_UST with GBA"

SA=$T/sa
req() {
	"$SCS" request "${BSFOPTS[@]}" --ue-id "$IMPI" --naf-fqdn "$NAF_FQDN" \
		--lifetime 3600 --sa "$SA" "$@" > "$T/req" || e2e_fail "request $*"
}
trigger() { # STATE PAYLOAD SN
	"$SCS" trigger --sa "$SA" --payload "$2" --port "$TPORT" > "$T/t" || e2e_fail "trigger"
	e2e_run "$UE" --state "$1" receive $(cat "$T/t")
	grep -q "^TRIGGER .*sn=$3 payload=$2\$" "$T/out" || e2e_fail "trigger: $(cat "$T/out")"
}
auth_count() { grep -c "^$1 > 00880$2" "$APDU" || true; }

# GBA_ME: 3G-context AUTHENTICATE on the card, CK/IK to the ME
n0=$(auth_count vpcd 081)
req
grep -qx "mode=GBA_ME" "$T/req" || e2e_fail "mode: $(cat "$T/req")"
e2e_ue_push "$T/ue"
grep -q "^GPI_ACCEPTED .*naf=$NAF_FQDN mode=GBA_ME" "$T/out" || e2e_fail "GBA_ME GPI: $(cat "$T/out")"
[ "$(auth_count vpcd 081)" -eq $((n0 + 1)) ] || e2e_fail "no 3G-context AUTHENTICATE"
# T=0: the response came through 61 xx + GET RESPONSE
grep -q "^vpcd > 0088008122.* < 6135\$" "$APDU" || e2e_fail "AUTHENTICATE did not answer 61 35"
trigger "$T/ue" 0102 1
echo "ok: PC/SC, GBA_ME: GPI accepted with CK/IK from the card, trigger SN 1"

# GBA_U: GBA-context bootstrapping (AUTN*) and NAF derivation on the card
req --gba-u --gba-u-aware
grep -qx "mode=GBA_U" "$T/req" || e2e_fail "mode: $(cat "$T/req")"
e2e_ue_push "$T/ue"
grep -q "^GPI_ACCEPTED .*naf=$NAF_FQDN mode=GBA_U" "$T/out" || e2e_fail "GBA_U GPI: $(cat "$T/out")"
grep -q "^vpcd > 0088008423dd10" "$APDU" || e2e_fail "no GBA bootstrapping AUTHENTICATE"
grep -q "^vpcd > 00880084..de" "$APDU" || e2e_fail "no GBA NAF derivation AUTHENTICATE"
trigger "$T/ue" cafe 1
echo "ok: PC/SC, GBA_U: GPI accepted (Ks on the card, Ks_ext_NAF from it), trigger SN 1"

# resync: the network forgets the SQN; the card answers AUTS, the BSF
# checks it (MAC-S) and the next GPI is accepted
"$BSFCTL" --db "$DB" subscriber remove "$IMPI" > /dev/null || e2e_fail "remove"
e2e_sub_add "$IMPI" --gba-u
"$BSFCTL" --db "$DB" assoc add scs1 "$IMPI" > /dev/null || e2e_fail "assoc"
req
e2e_ue_push "$T/ue"
grep -q "^AUTS " "$T/out" || e2e_fail "no AUTS: $(cat "$T/out")"
AUTS=$(sed -n 's/.* auts=\([0-9a-f]*\).*/\1/p' "$T/out")
[ ${#AUTS} = 28 ] || e2e_fail "AUTS: $(cat "$T/out")"
grep -q "^vpcd > 0088008122.* < 6110\$" "$APDU" || e2e_fail "no 'DC' answer (61 10)"
"$SCS" resync "${BSFOPTS[@]}" --sa "$SA" --auts "$AUTS" > "$T/req" ||
	e2e_fail "resync with the card's AUTS: $(cat "$T/req")"
e2e_ue_push "$T/ue"
grep -q "^GPI_ACCEPTED .*mode=GBA_ME" "$T/out" || e2e_fail "GPI after resync: $(cat "$T/out")"
trigger "$T/ue" 01 1
echo "ok: PC/SC, resync: AUTS from the card accepted by the BSF, next GPI accepted"

# AT+CSIM through the modem model, same card
ue_init "$T/uem" --modem "$T/modem" > "$T/init" 2> "$T/err" ||
	e2e_fail "gba-ue init --modem: $(cat "$T/err")"
grep -q "GBA_U capable" "$T/init" || e2e_fail "init --modem: $(cat "$T/init")"
req
e2e_ue_push "$T/uem"
grep -q "^GPI_ACCEPTED .*mode=GBA_ME" "$T/out" || e2e_fail "GPI via AT+CSIM: $(cat "$T/out")"
grep -q "^modem > 0088008122" "$APDU" || e2e_fail "AUTHENTICATE did not go through the modem"
trigger "$T/uem" 0a0b 1
echo "ok: AT+CSIM: GBA_ME GPI accepted, trigger SN 1"

# a card without GBA (EF_UST service 68 clear), behind a second modem
APDU2=$T/apdu2.log
$PY "$MODEL" run --k "$K" --opc "$OPC" --no-gba --modem "$T/modem2" \
	--log "$APDU2" > "$T/model2.log" 2>&1 &
E2E_PIDS+=("$!")
for _ in $(seq 100); do [ -e "$T/modem2" ] && break; sleep 0.05; done
ue_init "$T/uen" --modem "$T/modem2" > "$T/init" 2> "$T/err" ||
	e2e_fail "gba-ue init (no GBA card): $(cat "$T/err")"
grep -q "GBA_ME only" "$T/init" || e2e_fail "no-GBA card: $(cat "$T/init")"
"$UE" --state "$T/uen" show > "$T/s0"
grep -qx "card_aid=a0000000871002ff49ff0589000001ff" "$T/s0" && grep -qx "card_gba=no" "$T/s0" || e2e_fail "show: $(cat "$T/s0")"
"$UE" --state "$T/uen" show --json | $PY -c 'import json, sys
d = json.load(sys.stdin)
assert d["card"] == {"aid": "a0000000871002ff49ff0589000001ff", "gba": False}, d' ||
	e2e_fail "show --json with a card"
req --gba-u --gba-u-aware
e2e_ue_push "$T/uen"
grep -q "^REJECTED reason=MODE error=GBA_ERR_UNSUPPORTED" "$T/out" ||
	e2e_fail "GBA_U GPI to a card without GBA: $(cat "$T/out")"
if grep -q "> 0088" "$APDU2"; then e2e_fail "AUTHENTICATE sent to a card without GBA"; fi
"$UE" --state "$T/uen" show | cmp -s - "$T/s0" || e2e_fail "state changed"
echo "ok: card without GBA in EF_UST: GBA_U GPI -> REJECTED/MODE, no AUTHENTICATE sent"

# a card with another K: the MAC in AUTN is wrong for it (98 62)
APDU3=$T/apdu3.log
$PY "$MODEL" run --k 000102030405060708090a0b0c0d0e0f --opc "$OPC" \
	--modem "$T/modem3" --log "$APDU3" > "$T/model3.log" 2>&1 &
E2E_PIDS+=("$!")
for _ in $(seq 100); do [ -e "$T/modem3" ] && break; sleep 0.05; done
ue_init "$T/uek" --modem "$T/modem3" > "$T/init" 2> "$T/err" ||
	e2e_fail "gba-ue init (other K): $(cat "$T/err")"
req
e2e_ue_push "$T/uek"
grep -q "^REJECTED reason=AUTN error=GBA_ERR_MAC" "$T/out" ||
	e2e_fail "GPI for another K: $(cat "$T/out")"
grep -q "^modem > 0088008122.* < 9862\$" "$APDU3" || e2e_fail "card did not answer 98 62"
echo "ok: card with another K: 98 62 -> REJECTED/AUTN"

e2e_bsf_stop
echo "flow_uicc: all checks passed"
