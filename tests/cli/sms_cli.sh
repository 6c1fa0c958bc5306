#!/usr/bin/env bash
# gbatool sms decode/encode: the docs/spec-facts.md 10 example, encode/decode
# round trips through the CLI (bare, modem +CMGL form, shuffled segments,
# the Annex J GPI push) and the error exits (1 failure, 2 usage).
set -euo pipefail
G="${BUILD_DIR:?}/vectors/gbatool"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CLI_WORK=$tmp CLI_ERR_LINE=1
. "$(dirname "$0")/lib/cli.bash"
expect_line() { grep -qxF -- "$2" "$1" || { cat "$1" >&2; fail "missing '$2'"; }; }

# docs/spec-facts.md section 10: 69-octet SMS-DELIVER, with and without the SCA
D69=440b916407281553f8000442507131540380320605040b8423f001061d6170706c69636174696f6e2f766e642e336770702e6762612e677069000100000000000000000000
SCA=0791447758100650
"$G" sms decode "$D69" >"$tmp/d"
for l in pdu1.type=deliver pdu1.mms=1 pdu1.udhi=1 pdu1.oa=+46708251358 pdu1.oa_ton=1 \
	pdu1.pid=0 pdu1.dcs=4 pdu1.scts=2024-05-17T13:45:30+02:00 pdu1.udl=50 \
	pdu1.udh.ie1.iei=5 pdu1.udh.ie1.data=0b8423f0 pdu1.dst_port=2948 \
	pdu1.src_port=9200 pdu1.reassembly=complete msg1.wsp.tid=1 \
	msg1.wsp.content_type=application/vnd.3gpp.gba.gpi msg1.wsp.body=0100000000000000000000; do
	expect_line "$tmp/d" "$l"
done
"$G" sms decode "$SCA$D69" >"$tmp/d"
expect_line "$tmp/d" pdu1.sca=+447785016005
printf '+CMGR: 0,,69\r\n%s%s\r\nOK\r\n' "$SCA" "$D69" | "$G" sms decode >"$tmp/d"
expect_line "$tmp/d" pdu1.sca=+447785016005
"$G" sms decode --json "$SCA$D69" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["pdus"][0]["sca"]=="+447785016005"; assert d["messages"][0]["wsp"]["content_type"]=="application/vnd.3gpp.gba.gpi"'

# encode known answer (bytes by hand: SCA | 44 OA 00 04 SCTS | UDL 09 | UDH | 0102)
out=$("$G" sms encode --type deliver --addr +46708251358 --port 2948 \
	--payload 0102 --scts 240517134530+08 --sca +447785016005)
[ "$out" = "${SCA}440b916407281553f8000442507131540380090605040b8423f00102" ] || fail "encode KAT: $out"
# times in RFC 3339 (README Conventions): --scts as the decoder prints it,
# the same octets as the TP-SCTS form YYMMDDhhmmss+QQ (quarters of an hour)
out=$("$G" sms encode --type deliver --addr +46708251358 --port 2948 \
	--payload 0102 --scts 2024-05-17T13:45:30+02:00 --sca +447785016005)
[ "$out" = "${SCA}440b916407281553f8000442507131540380090605040b8423f00102" ] || fail "encode --scts RFC 3339: $out"
"$G" sms encode --type deliver --addr +1 --port 16001 --payload 01 --scts 2031-12-31T23:59:59Z >"$tmp/p"
"$G" sms decode --no-sca <"$tmp/p" >"$tmp/d"
expect_line "$tmp/d" pdu1.scts=2031-12-31T23:59:59+00:00
"$G" sms encode --type deliver --addr +1 --port 16001 --payload 01 --scts 2024-05-17T13:45:30-05:45 >"$tmp/p"
"$G" sms decode --no-sca <"$tmp/p" >"$tmp/d"
expect_line "$tmp/d" pdu1.scts=2024-05-17T13:45:30-05:45
for bad in 2024-05-17T13:45:30+02:10 1999-05-17T13:45:30Z 2024-13-17T13:45:30Z 2024-05-17 24-05-17T13:45:30+02:00; do
	set +e; "$G" sms encode --type deliver --addr +1 --port 16001 --payload 01 --scts "$bad" >/dev/null 2>&1; rc=$?; set -e
	[ $rc = 2 ] || fail "--scts $bad: exit $rc"
done

# round trip: 1000 random octets, segments shuffled, one duplicated
P=$(python3 -c 'import os; print(os.urandom(1000).hex())')
"$G" sms encode --type submit --addr +4912345 --port 16001 --ref 200 --payload "$P" >"$tmp/pdus"
[ "$(wc -l <"$tmp/pdus")" = 8 ] || fail "1000 octets should take 8 segments"
{ shuf "$tmp/pdus"; head -n 1 "$tmp/pdus"; } >"$tmp/mix"
"$G" sms decode --no-sca <"$tmp/mix" >"$tmp/d"
expect_line "$tmp/d" "msg1.data=$P"
expect_line "$tmp/d" msg1.segments=8
expect_line "$tmp/d" pdu9.reassembly=duplicate-ignored
# the same through modem lines: +CMGL with <length>, SCA prefix 00
while read -r p; do
	printf '+CMGL: 1,0,,%d\n00%s\n' $(( ${#p} / 2 )) "$p"
done <"$tmp/pdus" >"$tmp/cmgl"
"$G" sms decode <"$tmp/cmgl" >"$tmp/d"
expect_line "$tmp/d" "msg1.data=$P"

# Annex J GPI push (content-type code and app id are test parameters)
"$G" sms encode --type deliver --addr +15550001 --port 2948 --scts 240101000000+00 \
	--payload a1a2a3 --wap-gpi --session-id 4660 --app-id urn:x-gba-test >"$tmp/p"
"$G" sms decode <"$tmp/p" >"$tmp/d"
for l in msg1.wsp.app_id=urn:x-gba-test msg1.wsp.gpi_envelope.version=1 \
	msg1.wsp.gpi_envelope.session_id=4660 msg1.wsp.gpi_envelope.gpi=a1a2a3; do
	expect_line "$tmp/d" "$l"
done
G2=$(python3 -c 'import os; print(os.urandom(400).hex())')
"$G" sms encode --type deliver --addr +15550001 --port 2948 --ref16 --ref 4097 \
	--payload "$G2" --wap-gpi --session-id 1 --app-id 7 --ct-code 0x40 >"$tmp/p"
[ "$(wc -l <"$tmp/p")" = 4 ] || fail "400-octet GPI push should take 4 segments"
tac "$tmp/p" | "$G" sms decode --ct-code 0x40 >"$tmp/d"
expect_line "$tmp/d" "msg1.wsp.gpi_envelope.gpi=$G2"
expect_line "$tmp/d" msg1.wsp.content_type_code=64

# error exits
expect_rc 2 "$G" sms decode zz                      # bad hex: usage (README)
"$G" sms encode --type deliver --addr +1 --port 2948 --payload 0107 --scts 240101000000+00 >"$tmp/p"
expect_rc 1 "$G" sms decode <"$tmp/p"               # port 2948, not a Push PDU
grep -q wsp_error=GBA_ERR_MALFORMED "$tmp/out" || fail "wsp error not reported"
expect_rc 1 "$G" sms decode "${D69:0:100}"           # truncated
expect_rc 1 "$G" sms decode --sca "$D69"             # SCA length 0x44
printf '+CMGL: 1,0,,70\n%s\n' "$D69" >"$tmp/bad"
expect_rc 1 "$G" sms decode <"$tmp/bad"              # <length> mismatch
A=$(sed -n 1p "$tmp/pdus")
B=${A%??}00; [ "$B" != "$A" ] || B=${A%??}01           # same segment, other content
expect_rc 1 "$G" sms decode "$A" "$B"
grep -q GBA_ERR_DUPLICATE "$tmp/out" || fail "duplicate not reported"
expect_rc 2 "$G" sms
expect_rc 2 "$G" sms encode --addr +1 --port 1 --payload 00
expect_rc 2 "$G" sms encode --type status --addr +1 --port 1 --payload 00
expect_rc 2 "$G" sms encode --type deliver --addr +1x --port 1 --payload 00
expect_rc 2 "$G" sms encode --type deliver --addr +1 --port 70000 --payload 00
expect_rc 2 "$G" sms decode --bogus
expect_rc 2 "$G" sms encode --type deliver --addr +1 --port 2948 --payload 00 --wap-gpi --app-id 7
expect_rc 1 "$G" sms encode --type deliver --addr +1 --port 2948 --payload \
	"$(python3 -c 'print("00" * 33000)')"          # > 255 segments
expect_rc 1 "$G" sms encode --type deliver --addr +1 --port 2948 --wap-gpi \
	--session-id 1 --app-id 7 --payload "$(python3 -c 'print("00" * 513)')"  # GPI > GBA_GPI_MAX
echo "sms_cli: ok"
