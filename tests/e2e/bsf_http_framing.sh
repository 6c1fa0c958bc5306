#!/usr/bin/env bash
# gba-bsf HTTP framing and error bodies (RFC 9112, SOAP 1.1):
# - several Content-Length fields, or Content-Length with Transfer-Encoding:
#   400 and the connection closed (RFC 9112 6.3), nothing after it is read
#   as a request (no desync);
# - no HTML error page: on Nbsp (and before the resource is known) every
#   error is application/problem+json, on Zpn every error is a SOAP 1.1
#   Fault with HTTP 500 (WS-I BP R1126), including the library's own 400 /
#   414 / 431 and the header-level refusals (405, 403, 415);
# - 405 carries Allow: POST;
# - a SOAP header block with mustUnderstand="1" gets soap:MustUnderstand.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init

setup_pki_store
write_config
start_bsf
NP=/nbsp-gba/v1/push-info-retrieval
R=$T/resp

# raw NAME : request bytes on stdin; response in $R, "closed"/"open" out
raw() { python3 "$SRC_DIR/tests/e2e/lib/rawhttp.py" "$PORT" "$T/pki" "$1" "$R"; }
# number of responses, status of the first, a header, the body
nresp() { grep -aoE 'HTTP/1\.1 [0-9]{3} ' "$R" | wc -l; }
status() { head -1 "$R" | cut -d' ' -f2; }
hdr() { tr -d '\r' <"$R" | sed -n "1,/^\$/s/^$1: //Ip" | head -1; }
body() { tr -d '\r' <"$R" | sed '1,/^$/d'; }
is_problem() { # NAME STATUS CAUSE
	[ "$(nresp)" = 1 ] || fail "$1: $(nresp) responses: $(cat "$R")"
	[ "$(status)" = "$2" ] || fail "$1: HTTP $(status), want $2: $(cat "$R")"
	[ "$(hdr Content-Type)" = application/problem+json ] || fail "$1: Content-Type $(hdr Content-Type)"
	body >"$T/body"
	[ "$(jget cause)" = "$3" ] || fail "$1: cause $(jget cause), want $3"
	[ "$(jget status)" = "$2" ] || fail "$1: problem status $(jget status)"
}
is_fault() { # NAME CAUSE HTTP_MEANING [FAULTCODE]
	[ "$(nresp)" = 1 ] || fail "$1: $(nresp) responses: $(cat "$R")"
	[ "$(status)" = 500 ] || fail "$1: HTTP $(status), want 500 (SOAP fault): $(cat "$R")"
	case $(hdr Content-Type) in text/xml*) ;; *) fail "$1: Content-Type $(hdr Content-Type)" ;; esac
	body >"$T/body"
	[ "$(xget faultcode)" = "soap:${4:-Client}" ] || fail "$1: faultcode $(xget faultcode)"
	[ "$(xget cause)" = "$2" ] || fail "$1: cause $(xget cause), want $2"
	[ "$(xget status)" = "$3" ] || fail "$1: detail status $(xget status), want $3"
}
CRLF=$'\r\n'
req() { # METHOD PATH [extra header lines...]; body from $BODY
	local m=$1 p=$2 h
	shift 2
	printf '%s %s HTTP/1.1\r\nHost: bsf\r\n' "$m" "$p"
	for h in "$@"; do printf '%s\r\n' "$h"; done
	printf '\r\n%s' "${BODY:-}"
}

# refused_closed NAME PATH [header lines...]: POST PATH with body $BODY from
# scs1: one 400 (problem on Nbsp, SOAP fault on Zpn), connection closed
refused_closed() {
	local name=$1 p=$2 st
	shift 2
	st=$(req POST "$p" "$@" | raw scs1)
	if [ "$p" = /zpn ]; then
		is_fault "$name" INVALID_MSG_FORMAT 400
	else
		is_problem "$name" 400 INVALID_MSG_FORMAT
	fi
	[ "$st" = closed ] || fail "$name: connection left open"
}

# --- RFC 9112 6.3: two Content-Length fields, the second would smuggle
BODY='{}GET /smuggled HTTP/1.1'$CRLF'Host: bsf'$CRLF$CRLF
refused_closed "two Content-Length" $NP 'Content-Type: application/json' \
	'Content-Length: 2' 'Content-Length: 33'
ok "two Content-Length values: one 400 problem, connection closed, no desync"

BODY='{}'
refused_closed "two equal Content-Length" $NP \
	'Content-Type: application/json' 'Content-Length: 2' 'Content-Length: 2'
ok "repeated Content-Length (equal values): 400, closed (one rule)"

BODY="2${CRLF}{}${CRLF}0${CRLF}${CRLF}"
refused_closed "Content-Length with chunked" $NP \
	'Content-Type: application/json' 'Content-Length: 5' \
	'Transfer-Encoding: chunked'
refused_closed "Zpn Content-Length with chunked" /zpn 'Content-Type: text/xml' \
	'Content-Length: 5' 'Transfer-Encoding: chunked'
ok "Content-Length with Transfer-Encoding: refused (400 / fault), connection closed"
BODY=

# --- 405 with Allow: POST
req GET $NP | raw scs1 >/dev/null
is_problem "GET on Nbsp" 405 METHOD_NOT_ALLOWED
[ "$(hdr Allow)" = POST ] || fail "405 without Allow: POST"
req GET /zpn | raw scs1 >/dev/null
is_fault "GET on Zpn" METHOD_NOT_ALLOWED 405
[ "$(hdr Allow)" = POST ] || fail "Zpn: no Allow: POST"
ok "405 carries Allow: POST (Nbsp problem, Zpn SOAP fault)"

# --- header-level refusals on Zpn are faults
BODY='<x/>'
req POST /zpn 'Content-Type: text/xml' 'Content-Length: 4' | raw scs3 >/dev/null
is_fault "Zpn from a certificate that is no Push-NAF" NAF_NOT_AUTHORIZED 403
req POST /zpn 'Content-Type: application/json' 'Content-Length: 4' | raw scs1 >/dev/null
is_fault "Zpn with a JSON body" UNSUPPORTED_MEDIA_TYPE 415
BODY=
ok "Zpn header-level refusals (403, 415) are SOAP faults"

# --- the library's own error answers: no HTML
long=$(head -c 40000 /dev/zero | tr '\0' a)
req GET "/$long" | raw scs1 >/dev/null
is_problem "URL over the limit" 414 URI_TOO_LONG
req GET "/zpn?$long" | raw scs1 >/dev/null
is_problem "over-long URL (resource not known yet)" 414 URI_TOO_LONG
big=()
for i in $(seq 40); do big+=("X-Pad-$i: $(head -c 1000 /dev/zero | tr '\0' b)"); done
req POST $NP "${big[@]}" | raw scs1 >/dev/null
is_problem "header section over the limit (Nbsp)" 431 HEADER_FIELDS_TOO_LARGE
req POST /zpn "${big[@]}" | raw scs1 >/dev/null
is_fault "header section over the limit (Zpn)" HEADER_FIELDS_TOO_LARGE 431
req POST $NP 'Bad header line' | raw scs1 >/dev/null
is_problem "malformed header line (Nbsp)" 400 INVALID_MSG_FORMAT
req POST /zpn 'Bad header line' | raw scs1 >/dev/null
is_fault "malformed header line (Zpn)" INVALID_MSG_FORMAT 400
printf 'GET %s HTTP/2.0\r\nHost: bsf\r\n\r\n' $NP | raw scs1 >/dev/null
is_problem "HTTP/2.0 request line" 505 HTTP_VERSION_NOT_SUPPORTED
grep -aqi '<html' "$R" && fail "HTML in an error answer"
ok "library-level 414 / 431 / 400 / 505: problem+json on Nbsp and unknown resources, SOAP faults on Zpn"

# --- SOAP 1.1 4.2.3 / 4.4.1: mustUnderstand
env_mu() { # HEADER_ATTRS
	printf '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><t:Tx xmlns:t="urn:example:tx" %s>1</t:Tx></soap:Header><soap:Body><requestGbaPushInfoRequest xmlns="urn:gbapush:zpn:1"><userId>%s</userId><userIdType>PUBLIC</userIdType><nafid><nafFqdn>%s</nafFqdn><uaSecProtId>%s</uaSecProtId></nafid><ptid>mu</ptid></requestGbaPushInfoRequest></soap:Body></soap:Envelope>' \
		"$1" "$IMPU1" "$NAF1" "$UA"
}
st=$(zpn scs1 "$(env_mu 'soap:mustUnderstand="1"')")
[ "$st" = 500 ] || fail "mustUnderstand=1: HTTP $st: $(cat "$T/body")"
[ "$(xget faultcode)" = soap:MustUnderstand ] || fail "mustUnderstand=1: faultcode $(xget faultcode)"
st=$(zpn scs1 "$(env_mu 'soap:mustUnderstand="1" soap:actor="urn:example:someone-else"')")
[ "$st" = 200 ] || fail "mustUnderstand=1 for another actor: HTTP $st: $(cat "$T/body")"
st=$(zpn scs1 "$(env_mu 'soap:mustUnderstand="0"')")
[ "$st" = 200 ] || fail "mustUnderstand=0: HTTP $st: $(cat "$T/body")"
ok "mustUnderstand=1 header block: soap:MustUnderstand fault; other actor or 0: served"
