#!/usr/bin/env bash
# gba-bsf end to end over the Zpn web-service binding (TS 29.109 5.5,
# SOAP 1.1; element names beyond the verified ones are project choices,
# docs/bsf.md).  Keys recomputed with gbatool; SOAP faults (HTTP 500 per
# SOAP 1.1 / WS-I BP R1126) carry the same causes as the Nbsp problems;
# XML with entities (XXE, internal, external DTD) is refused and nothing
# is fetched; no refused request consumes an SQN.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init
start_bsf_guss

soap() { # body-elements
	printf '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><requestGbaPushInfoRequest xmlns="urn:gbapush:zpn:1">%s</requestGbaPushInfoRequest></soap:Body></soap:Envelope>' "$1"
}
naf() { printf '<nafid><nafFqdn>%s</nafFqdn><uaSecProtId>%s</uaSecProtId></nafid>' "$1" "${2:-$UA}"; }
fault() { # name cause got_status
	[ "$3" = 500 ] || fail "$1: HTTP $3, want 500 (SOAP fault): $(cat "$T/body")"
	[ "$(xget faultcode)" = "soap:Client" ] || [ "$(xget faultcode)" = "soap:Server" ] || fail "$1: no faultcode"
	[ "$(xget cause)" = "$2" ] || fail "$1: cause $(xget cause), want $2"
	ok "$1 -> SOAP fault $2"
}

# GBA_ME by IMPI, with ptid, privateIdRequest
st=$(zpn scs1 "$(soap "<userId>$IMPI1</userId><userIdType>PRIVATE</userIdType>$(naf $NAF1)<ptid>zpn-ptid-1</ptid><gsid>1</gsid><uiccMe>GBA_ME</uiccMe><privateIdRequest>true</privateIdRequest><requestedKeyLifetime>2099-01-01T00:00:00Z</requestedKeyLifetime>")")
[ "$st" = 200 ] || fail "Zpn GBA_ME: $st $(cat "$T/body")"
[ "$(xget impi)" = "$IMPI1" ] || fail "impi"
sqn1=$(verify_gpi "$(xget gbaPushInfo)" "$(xget meKeyMaterial)" "" "$IMPI1" "$NAF1" "$UA" 0 zpn-ptid-1)
ok "Zpn GBA_ME: keys, AUTN, P-TID match gbatool (SQN $sqn1)"

# GBA_U by tel: IMPU, GBA_U aware
st=$(zpn scs1 "$(soap "<userId>$IMPU1</userId><userIdType>PUBLIC</userIdType>$(naf $NAF1)<ptid>zpn-ptid-2</ptid><uiccMe>GBA_U</uiccMe><gbaUAware>true</gbaUAware>")")
[ "$st" = 200 ] || fail "Zpn GBA_U: $st $(cat "$T/body")"
[ -z "$(xget impi)" ] || fail "impi without privateIdRequest"
sqn2=$(verify_gpi "$(xget gbaPushInfo)" "$(xget meKeyMaterial)" "$(xget uiccKeyMaterial)" "$IMPI1" "$NAF1" "$UA" 1 zpn-ptid-2)
[ "$sqn2" -eq $((sqn1 + 32)) ] || fail "SQN step"
ok "Zpn GBA_U: AUTN*, Ks_ext_NAF, Ks_int_NAF match gbatool (SQN $sqn2)"

good=$(soap "<userId>$IMPU1</userId><userIdType>PUBLIC</userIdType>$(naf $NAF1)<ptid>p</ptid>")
fault "NAF_Id not allowed" NAF_NOT_AUTHORIZED "$(zpn scs2 "$good")"
fault "UE not associated" USER_NOT_FOUND "$(zpn scs2 "$(soap "<userId>$IMPU1</userId><userIdType>PUBLIC</userIdType>$(naf $NAF2)<ptid>p</ptid>")")"
cp "$T/body" "$T/na"
fault "unknown UE" USER_NOT_FOUND "$(zpn scs2 "$(soap "<userId>tel:+15559999999</userId><userIdType>PUBLIC</userIdType>$(naf $NAF2)<ptid>p</ptid>")")"
cmp -s "$T/body" "$T/na" || fail "unknown vs not associated differ on Zpn"
ok "Zpn: unknown and not-associated UE answers byte-identical"
fault "malformed XML" INVALID_MSG_FORMAT "$(zpn scs1 '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>')"
fault "not a SOAP 1.1 envelope" INVALID_MSG_FORMAT "$(zpn scs1 '<Envelope><Body/></Envelope>')"
fault "missing userId" MANDATORY_IE_MISSING "$(zpn scs1 "$(soap "<userIdType>PUBLIC</userIdType>$(naf $NAF1)")")"
fault "bad hex uaSecProtId" MANDATORY_IE_INCORRECT "$(zpn scs1 "$(soap "<userId>$IMPU1</userId><userIdType>PUBLIC</userIdType>$(naf $NAF1 01000000zz)")")"
fault "bad hex auts" OPTIONAL_IE_INCORRECT "$(zpn scs1 "$(soap "<userId>$IMPU1</userId><userIdType>PUBLIC</userIdType>$(naf $NAF1)<auts>xyz</auts><rand>00112233445566778899aabbccddeeff</rand>")")"
fault "AUTS with a wrong MAC-S" RESYNC_FAILURE "$(zpn scs1 "$(soap "<userId>$IMPU1</userId><userIdType>PUBLIC</userIdType>$(naf $NAF1)<auts>000102030405060708090a0b0c0d</auts><rand>00112233445566778899aabbccddeeff</rand>")")"

# XXE: a file entity and a network entity; a canary HTTP server must see
# no connection, and /etc/hostname must not come back
CPORT=$(free_port)
python3 -c '
import socket,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(5); s.settimeout(8)
try:
    c,_=s.accept(); open(sys.argv[2],"w").write("fetched"); c.close()
except socket.timeout: pass
' "$CPORT" "$T/canary" &
CANARY=$!
sleep 0.2
xxe_file='<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><requestGbaPushInfoRequest><userId>&x;</userId><userIdType>PUBLIC</userIdType></requestGbaPushInfoRequest></soap:Body></soap:Envelope>'
xxe_net='<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:'$CPORT'/x.dtd"><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>'
xxe_param='<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:'$CPORT'/p.dtd"> %p;]><r/>'
lol='<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>'
fault "XXE file entity" INVALID_MSG_FORMAT "$(zpn scs1 "$xxe_file")"
! grep -qF "$(cat /etc/hostname 2>/dev/null || echo NOHOSTNAME)" "$T/body" || fail "XXE content leaked"
fault "XXE external DTD" INVALID_MSG_FORMAT "$(zpn scs1 "$xxe_net")"
fault "XXE parameter entity" INVALID_MSG_FORMAT "$(zpn scs1 "$xxe_param")"
fault "entity expansion (laughs)" INVALID_MSG_FORMAT "$(zpn scs1 "$lol")"
sleep 0.3
[ ! -e "$T/canary" ] || fail "the BSF fetched an external entity over the network"
kill "$CANARY" 2>/dev/null || true
wait "$CANARY" 2>/dev/null || true
ok "no external entity fetched (canary untouched)"

# header-level refusals on the Zpn resource are SOAP faults too (HTTP 500,
# WS-I BP R1126), the HTTP meaning in detail/status
st=$(scs_curl scs1 -o "$T/body" -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "$good" "$URL/zpn")
fault "wrong content type on /zpn" UNSUPPORTED_MEDIA_TYPE "$st"
[ "$(xget status)" = 415 ] || fail "415 fault: detail status $(xget status)"
head -c 20000 /dev/zero | tr '\0' ' ' >"$T/big"
st=$(scs_curl scs1 -o "$T/body" -w '%{http_code}' -H 'Content-Type: text/xml' --data-binary @"$T/big" "$URL/zpn")
fault "big body on /zpn" PAYLOAD_TOO_LARGE "$st"
ok "Zpn 415 / 413 (as SOAP faults) before any XML parsing"

st=$(zpn scs1 "$good")
[ "$st" = 200 ] || fail "after refusals: $st"
sqn=$(sqn_of "$(xget gbaPushInfo)")
[ "$sqn" -eq $((sqn2 + 32)) ] || fail "a refused Zpn request consumed an SQN: $sqn2 -> $sqn"
ok "no refused Zpn request consumed an SQN"
# --- ussList (project choices, bsf/src/uss.h): the <ussList> element as a
# child of the response, in its namespace, with the stored <uss> elements
# whose id equals a requested gsid text
ussxml() { # FILE EXPECTED_IDS(comma-separated, "-" = no ussList element)
	python3 - "$@" <<'PY'
import sys, xml.etree.ElementTree as ET
NS = "{urn:gbapush:zpn:1}"
root = ET.parse(sys.argv[1]).getroot()
resp = root.find("./{http://schemas.xmlsoap.org/soap/envelope/}Body/" + NS + "requestGbaPushInfoResponse")
assert resp is not None, "no response element"
lists = resp.findall(NS + "ussList")
if sys.argv[2] == "-":
    assert not lists, "unexpected ussList"
    sys.exit(0)
assert len(lists) == 1, "%d ussList elements" % len(lists)
uss = list(lists[0])
assert all(u.tag == NS + "uss" for u in uss), [u.tag for u in uss]
ids = [u.get("id") for u in uss]
want = [i for i in sys.argv[2].split(",") if i]
assert ids == want, "USS ids %r, want %r" % (ids, want)
for u in uss:
    if u.get("id") == "202":
        assert u.get("nafGroup") == "other&more", u.attrib
        assert [e.text for e in u.iter(NS + "uid")] == ["sip:carol@ims.example"]
PY
}
u3() { soap "<userId>$IMPU3</userId><userIdType>PUBLIC</userIdType>$(naf $NAF1)<ptid>zpn-uss</ptid>$1"; }
st=$(zpn scs1 "$(u3 "<gsid>202</gsid>")")
[ "$st" = 200 ] || fail "Zpn gsid 202: $st $(cat "$T/body")"
ussxml "$T/body" 202 || fail "Zpn ussList for gsid 202: $(cat "$T/body")"
verify_gpi "$(xget gbaPushInfo)" "$(xget meKeyMaterial)" "" "$IMPI3" "$NAF1" "$UA" 0 zpn-uss >/dev/null
ok "Zpn gsid 202: ussList element holds exactly USS 202; GPI valid"
st=$(zpn scs1 "$(u3 "<gsid>101</gsid><gsid>0202</gsid>")")
[ "$st" = 200 ] || fail "Zpn gsid 101 + 0202: $st"
ussxml "$T/body" 101 || fail "Zpn ussList for gsid 101, 0202: $(cat "$T/body")"
ok "Zpn gsid text compared as given: 0202 does not select USS 202"
st=$(zpn scs1 "$(u3 "")")
[ "$st" = 200 ] || fail "Zpn no gsid: $st"
ussxml "$T/body" - || fail "Zpn ussList without gsid: $(cat "$T/body")"
ok "Zpn without gsid: no ussList element"

stop_bsf || fail "exit status on SIGTERM"
