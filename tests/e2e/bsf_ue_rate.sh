#!/usr/bin/env bash
# Per-subscriber AV rate ([store] ue_rate / ue_burst, docs/hss-store.md
# section 4): no Push-NAF, however authorised, can push a USIM's SQN far
# ahead by asking for GPIs in a loop.  ue_rate = 10 per minute (one per
# 6 s) with a burst of 2: two GPIs for a UE pass, the third is refused on
# Nbsp with 429 + Retry-After (problem+json, cause NF_CONGESTION_RISK,
# param /ueId) and on Zpn with a SOAP fault carrying status 429 and the
# same header; another UE is not affected; the refusals consumed no SQN
# (the next GPI, after Retry-After, is exactly one SEQ above the last).
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init

setup_pki_store
write_config "[store]
ue_rate = 10
ue_burst = 2
[limits]
rate = 0"
"$BSF" --check-config "$T/bsf.ini" | grep -q "^ue_rate = 10$" || fail "--check-config does not show ue_rate"
start_bsf
good=$(req_json "$IMPU1" PUBLIC "$NAF1" GBA_ME)

for i in 1 2; do
	st=$(nbsp scs1 "$good")
	[ "$st" = 200 ] || fail "GPI $i: $st $(cat "$T/body")"
	cp "$T/body" "$T/gpi$i"
done
st=$(scs_curl scs1 -D "$T/hdr" -o "$T/body" -w '%{http_code}' -H 'Content-Type: application/json' \
	--data-binary "$good" "$URL/nbsp-gba/v1/push-info-retrieval")
[ "$st" = 429 ] || fail "third GPI within the burst window: $st, want 429"
ra=$(sed -n 's/^Retry-After: *\([0-9]*\).*/\1/Ip' "$T/hdr")
[ -n "$ra" ] && [ "$ra" -ge 1 ] && [ "$ra" -le 6 ] || fail "429 Retry-After '$ra', want 1..6: $(cat "$T/hdr")"
grep -qi '^Content-Type: application/problem+json' "$T/hdr" || fail "429 not problem+json"
[ "$(jget cause)" = NF_CONGESTION_RISK ] || fail "429 cause $(jget cause)"
grep -q '"param": *"/ueId"' "$T/body" || fail "429 does not name ueId: $(cat "$T/body")"
ok "Nbsp: 2 x 200, then 429 + Retry-After $ra, cause NF_CONGESTION_RISK, param /ueId (RFC 6901)"

soap() {
	printf '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><requestGbaPushInfoRequest xmlns="urn:gbapush:zpn:1">%s</requestGbaPushInfoRequest></soap:Body></soap:Envelope>' "$1"
}
st=$(scs_curl scs1 -D "$T/hdr" -o "$T/body" -w '%{http_code}' -H 'Content-Type: text/xml; charset=utf-8' \
	--data-binary "$(soap "<userId>$IMPU1</userId><userIdType>PUBLIC</userIdType><nafid><nafFqdn>$NAF1</nafFqdn><uaSecProtId>$UA</uaSecProtId></nafid><ptid>p</ptid>")" "$URL/zpn")
[ "$st" = 500 ] || fail "Zpn over the UE rate: HTTP $st, want 500 (SOAP fault)"
[ "$(xget status)" = 429 ] || fail "Zpn fault status $(xget status)"
[ "$(xget cause)" = NF_CONGESTION_RISK ] || fail "Zpn fault cause $(xget cause)"
[ "$(xget param)" = ueId ] || fail "Zpn fault param $(xget param)"
grep -qi '^Retry-After: [1-9]' "$T/hdr" || fail "Zpn fault without Retry-After"
ok "Zpn: SOAP fault, status 429, NF_CONGESTION_RISK, param ueId, Retry-After"

st=$(nbsp scs2 "$(req_json "$IMPU2" PUBLIC "$NAF2" GBA_ME)")
[ "$st" = 200 ] || fail "another UE limited by the first one's rate: $st"
ok "another UE is served meanwhile"

sleep "$(grep -i '^Retry-After' "$T/hdr" | tr -dc 0-9)"
st=$(nbsp scs1 "$good")
[ "$st" = 200 ] || fail "GPI after Retry-After: $st $(cat "$T/body")"
now=$(sqn_of "$(jget gbaPushInfo)")
last=$(sqn_of "$(jget gbaPushInfo "$T/gpi2")")
[ "$now" -eq $((last + 32)) ] || fail "refused GPIs consumed SQNs: $last then $now"
ok "after Retry-After: 200, SQN $now = previous + one SEQ (refusals consumed nothing)"
