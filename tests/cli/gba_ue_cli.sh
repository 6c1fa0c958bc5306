#!/usr/bin/env bash
# gba-ue CLI: init / receive (arguments, modem lines on stdin, --json) /
# show, exit codes, and the AUTS and trigger paths.  GPIs and triggers come
# from gbaue-testgen (BSF and SCS roles, common/ + gpl/ only).
# Env: BUILD_DIR, SRC_DIR (ctest sets them).
set -euo pipefail
BUILD_DIR=${BUILD_DIR:?}
UE=$BUILD_DIR/ue-agent/gba-ue
GEN=$BUILD_DIR/ue-agent/gbaue-testgen
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
S=$tmp/state
K=465b5ce8b199b49faa5f0a2ee238a6bc        # TS 35.208 set 1
OPC=cd63cb71954a9f4e48a5994e37a02baf
IMPI=001010123456789@ims.mnc001.mcc001.3gppnetwork.org
RAND1=23553cbe9637a89d218ae64dae47bf35
# independently computed Ks_NAF (see tests/unit/test_gbaue.c KS_NAF_SET1)
KS_NAF=55786e5f79cc5fbc9e2adb39a63569a3c88657c911768c4b0f2daa88adae4e27
EXP=$(( $(date +%s) + 3600 ))
CLI_WORK=$tmp
. "$(dirname "$0")/lib/cli.bash"

# usage errors: exit 2 with a one-line message
expect_rc 2 "$UE"
expect_rc 2 "$UE" --state "$S" frobnicate
expect_rc 2 "$UE" --state "$S" init --k $K --impi "$IMPI" --app-id 32769
grep -q -- "--opc or --topc is required" "$tmp/err" || fail "missing-opc message"
expect_rc 2 "$UE" --state "$S" init --k 00 --opc $OPC --impi "$IMPI" --app-id 1
expect_rc 0 "$UE" --help
grep -q "Exit status" "$tmp/out" || fail "help text"
expect_rc 0 "$UE" --version
grep -q "^gba-ue [0-9]" "$tmp/out" || fail "--version"
# TUAK sizes in bits (--tuak-*), stored in octets; the AKA MAC is 64 bits
TK=$tmp/tuak
TOPC=bd04d9530e87513c5d837ac2ad954623a8e2330c115305a73eb45d1f40cccbff
expect_rc 0 "$UE" --state "$TK" init --k abababababababababababababababab --topc $TOPC \
	--impi "$IMPI" --tuak-iterations 2 --tuak-res-bits 128 --tuak-ck-bits 256 --tuak-mac-bits 64
grep -qx "keccak = 2" "$TK/usim.conf" && grep -qx "res_len = 16" "$TK/usim.conf" \
	&& grep -qx "ck_len = 32" "$TK/usim.conf" && grep -qx "ik_len = 16" "$TK/usim.conf" \
	|| { cat "$TK/usim.conf"; fail "TUAK sizes"; }
expect_rc 2 "$UE" --state "$tmp/tuak2" init --k abababababababababababababababab --topc $TOPC \
	--impi "$IMPI" --tuak-res-bits 33
expect_rc 2 "$UE" --state "$tmp/tuak2" init --k abababababababababababababababab --topc $TOPC \
	--impi "$IMPI" --tuak-mac-bits 128
# receive before init: failure, exit 1
expect_rc 1 "$UE" --state "$S" receive 00
expect_rc 0 "$UE" --state "$S" init --k $K --opc $OPC --impi "$IMPI" --app-id 32769 --trigger-port 16001
[ "$(stat -c %a "$S/usim.conf")" = 600 ] || fail "usim.conf mode"
expect_rc 1 "$UE" --state "$S" init --k $K --opc $OPC --impi "$IMPI" --app-id 32769
grep -q "state exists" "$tmp/err" || fail "init over existing state"
# a 0/1 setting above 1 is refused (issue 10: the parser's old copy
# wrapped 'max - digit' and took gba_me = 5 as 5)
cp -r "$S" "$tmp/s5"
sed -i 's/^gba_me = 1$/gba_me = 5/' "$tmp/s5/usim.conf"
grep -qx 'gba_me = 5' "$tmp/s5/usim.conf" || fail "test set-up: gba_me line"
expect_rc 1 "$UE" --state "$tmp/s5" show
grep -q "usim.conf:.*bad setting" "$tmp/err" || fail "gba_me = 5 accepted"

# GPI for SEQ 5 as hex arguments
"$GEN" gpi $K $OPC "$IMPI" scs.example.org 5 $RAND1 ptid-1 32769 0 $EXP > "$tmp/g1"
grep -q "naf_key $KS_NAF" "$tmp/g1" || fail "generator NAF key"
expect_rc 0 "$UE" --state "$S" receive $(awk '/^pdu/{print $2}' "$tmp/g1")
grep -q "^GPI_ACCEPTED slot=0 naf=scs.example.org mode=GBA_ME" "$tmp/out" || { cat "$tmp/out"; fail "GPI not accepted"; }
# replay: DUPLICATE, exit 0 (events are not failures)
expect_rc 0 "$UE" --state "$S" receive --json $(awk '/^pdu/{print $2}' "$tmp/g1")
grep -q '"event":"REJECTED","reason":"DUPLICATE"' "$tmp/out" || { cat "$tmp/out"; fail "replay"; }

# older SQN (SEQ 3 after 5) through modem +CMGL lines: AUTS
"$GEN" gpi $K $OPC "$IMPI" scs.example.org 3 000102030405060708090a0b0c0d0e0f ptid-2 32769 0 $EXP > "$tmp/g2"
awk '/^pdu/{n++; printf "+CMGL: %d,0,,%d\n00%s\n", n, length($2)/2, $2} END{print "OK"}' "$tmp/g2" > "$tmp/modem"
expect_rc 0 "$UE" --state "$S" receive --json < "$tmp/modem"
grep -q '"event":"AUTS"' "$tmp/out" || { cat "$tmp/out"; fail "AUTS"; }
grep -q '"rand":"000102030405060708090a0b0c0d0e0f"' "$tmp/out" || fail "AUTS rand"
# the same stale GPI again (issue 11): no second AUTS
expect_rc 0 "$UE" --state "$S" receive --json < "$tmp/modem"
grep -q '"event":"REJECTED","reason":"DUPLICATE"' "$tmp/out" || { cat "$tmp/out"; fail "second AUTS"; }

# the other modem forms: +CMGR and +CMT headers; every --json line parses
"$GEN" gpi $K $OPC "$IMPI" scs.example.org 9 0f0e0d0c0b0a09080706050403020100 ptid-3-0123456789-0123456789-0123456789 32769 0 $EXP > "$tmp/g4"
[ "$(grep -c ^pdu "$tmp/g4")" -eq 2 ] || fail "expected a two-SMS push"
awk '/^pdu/{n++; if (n == 1) h = "+CMGR: 0,,"; else h = "+CMT: ,"; printf "%s%d\r\n00%s\r\n", h, length($2)/2, $2}' "$tmp/g4" > "$tmp/modem2"
expect_rc 0 "$UE" --state "$S" receive --json < "$tmp/modem2"
grep -q '"event":"GPI_ACCEPTED"' "$tmp/out" || { cat "$tmp/out"; fail "+CMGR/+CMT"; }
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/out" || fail "JSON output does not parse"
# a header whose length disagrees with its PDU is reported on stderr
printf '+CMGR: 0,,99\n0000\n' > "$tmp/modem3"
expect_rc 0 "$UE" --state "$S" receive < "$tmp/modem3"
grep -q "differs from its header" "$tmp/err" || fail "length mismatch warning"

# trigger under the SA (SN 1 accepted, SN 1 again replayed, tampered MAC)
"$GEN" trigger $KS_NAF scs.example.org $RAND1 ptid-1 1 $EXP 16001 hello > "$tmp/t1"
T1=$(awk '/^pdu/{print $2}' "$tmp/t1")
expect_rc 0 "$UE" --state "$S" receive "$T1"
grep -q "^TRIGGER slot=0 naf=scs.example.org sn=1 payload=68656c6c6f" "$tmp/out" || { cat "$tmp/out"; fail "trigger"; }
expect_rc 0 "$UE" --state "$S" receive "$T1"
grep -q "^REJECTED reason=REPLAY" "$tmp/out" || { cat "$tmp/out"; fail "trigger replay"; }
BAD=${T1%??}$(printf '%02x' $(( 0x${T1: -2} ^ 1 )))
expect_rc 0 "$UE" --state "$S" receive "$BAD"
grep -q "^REJECTED reason=TRIGGER_MAC" "$tmp/out" || { cat "$tmp/out"; fail "trigger MAC"; }

# garbage and bad hex
expect_rc 0 "$UE" --state "$S" receive 00 4400
grep -q "^REJECTED reason=PDU_MALFORMED" "$tmp/out" || fail "garbage PDU"
expect_rc 2 "$UE" --state "$S" receive xyz

# show: the SA, no key
expect_rc 0 "$UE" --state "$S" show
# name=value fields; key expiry in RFC 3339 UTC (date(1) computes it
# here); SQN_MS: SEQ 9 of the last GPI accepted, IND 0 (gbaue-testgen)
EXP3339=$(date -u -d "@$EXP" +%Y-%m-%dT%H:%M:%SZ)
grep -qx "slot=0 mode=GBA_ME naf=scs.example.org rand=$RAND1 p_tid=707469642d31 key_expiry=$EXP3339 expired=no sn_h=1 ua_id=0100000005 gpl=yes" "$tmp/out" || { cat "$tmp/out"; fail "show"; }
grep -qx "sqn_ms=$(( 9 << 5 ))" "$tmp/out" || { cat "$tmp/out"; fail "show sqn_ms"; }
expect_rc 0 "$UE" --state "$S" show --json
grep -q '"sn_h":1' "$tmp/out" || fail "show json"
grep -q "\"key_expiry\":\"$EXP3339\"" "$tmp/out" || fail "show json key_expiry"
grep -q '"ua_id":"0100000005","gpl":true' "$tmp/out" || fail "show json ua_id"
if grep -rqi "$KS_NAF" "$tmp/out"; then fail "show printed the key"; fi

# GBA_U state
S2=$tmp/state2
expect_rc 0 "$UE" --state "$S2" init --k $K --opc $OPC --impi "$IMPI" --app-id 32769 --gba-u
"$GEN" gpi $K $OPC "$IMPI" scs.example.org 1 $RAND1 p 32769 1 $EXP > "$tmp/g3"
expect_rc 0 "$UE" --state "$S2" receive $(awk '/^pdu/{print $2}' "$tmp/g3")
grep -q "^GPI_ACCEPTED slot=0 naf=scs.example.org mode=GBA_U" "$tmp/out" || { cat "$tmp/out"; fail "GBA_U GPI"; }

# UICC application label (issue 11): a GPI naming a label is refused by an
# agent without one, accepted by an agent set to that label, refused by an
# agent set to another
S3=$tmp/state3
"$GEN" gpi $K $OPC "$IMPI" scs.example.org 1 $RAND1 p 32769 0 $EXP "USIM 2" > "$tmp/g5"
expect_rc 0 "$UE" --state "$S3" init --k $K --opc $OPC --impi "$IMPI" --app-id 32769
expect_rc 0 "$UE" --state "$S3" receive $(awk '/^pdu/{print $2}' "$tmp/g5")
grep -q "^REJECTED reason=APP_LABEL" "$tmp/out" || { cat "$tmp/out"; fail "label without --app-label"; }
expect_rc 0 "$UE" --state "$S3" init --k $K --opc $OPC --impi "$IMPI" --app-id 32769 --app-label "USIM 3" --force
expect_rc 0 "$UE" --state "$S3" receive $(awk '/^pdu/{print $2}' "$tmp/g5")
grep -q "^REJECTED reason=APP_LABEL" "$tmp/out" || { cat "$tmp/out"; fail "other label"; }
expect_rc 0 "$UE" --state "$S3" init --k $K --opc $OPC --impi "$IMPI" --app-id 32769 --app-label "USIM 2" --force
grep -qx "app_label = USIM 2" "$S3/usim.conf" || fail "app_label not saved"
expect_rc 0 "$UE" --state "$S3" receive $(awk '/^pdu/{print $2}' "$tmp/g5")
grep -q "^GPI_ACCEPTED slot=0" "$tmp/out" || { cat "$tmp/out"; fail "GPI with the agent's label"; }
expect_rc 2 "$UE" --state "$S3" init --k $K --opc $OPC --impi "$IMPI" --app-label "$(printf 'x%.0s' {1..33})" --force

# default application id (issue 11): without --app-id the agent listens
# for 0x8F33 (36659), the gba-scs default, not for 7 (OMA DM) or 0x8001
S4=$tmp/state4
expect_rc 0 "$UE" --state "$S4" init --k $K --opc $OPC --impi "$IMPI"
grep -qx "app_id = 36659" "$S4/usim.conf" || { cat "$S4/usim.conf"; fail "default app id"; }
"$GEN" gpi $K $OPC "$IMPI" scs.example.org 1 $RAND1 p 36659 0 $EXP > "$tmp/g6"
expect_rc 0 "$UE" --state "$S4" receive $(awk '/^pdu/{print $2}' "$tmp/g6")
grep -q "^GPI_ACCEPTED slot=0" "$tmp/out" || { cat "$tmp/out"; fail "GPI with the default app id"; }
for other in 7 32769; do
	"$GEN" gpi $K $OPC "$IMPI" scs.example.org 2 000102030405060708090a0b0c0d0e0f p $other 0 $EXP > "$tmp/g7"
	expect_rc 0 "$UE" --state "$S4" receive $(awk '/^pdu/{print $2}' "$tmp/g7")
	grep -q "^IGNORED reason=NOT_GPI" "$tmp/out" || { cat "$tmp/out"; fail "app id $other not ignored"; }
done
# real-card options (issue 15): no keys with a card, one channel only; a
# modem that is missing or not a terminal is a failure, and no state is
# written (tests/e2e/flow_uicc.sh drives real channels)
C1=$tmp/card1
expect_rc 2 "$UE" --state "$C1" init --reader X --k $K --opc $OPC --impi "$IMPI"
grep -q "a card keeps its keys" "$tmp/err" || fail "--reader with --k"
expect_rc 2 "$UE" --state "$C1" init --reader X --modem /dev/null --impi "$IMPI"
grep -q "exclude each other" "$tmp/err" || fail "--reader with --modem"
expect_rc 1 "$UE" --state "$C1" init --modem "$tmp/no-such-tty" --impi "$IMPI"
grep -q "cannot open the card: modem: cannot open" "$tmp/err" || fail "missing modem: $(cat "$tmp/err")"
expect_rc 1 "$UE" --state "$C1" init --modem /dev/null --impi "$IMPI"
grep -q "modem: not a terminal" "$tmp/err" || fail "/dev/null as modem: $(cat "$tmp/err")"
[ ! -e "$C1/usim.conf" ] || fail "state written without a card"
echo "ok: gba-ue CLI"
