#!/usr/bin/env bash
# E2E, SCS side against the real gba-bsf: every refusal is exit 1 with one
# clear line naming the cause, and no SA file is written:
#   client certificate from an untrusted CA, a certificate without
#   clientAuth, a CA that did not issue the BSF's certificate, an unknown
#   subscriber, a NAF FQDN this SCS may not use, a BSF that is not there.
set -euo pipefail
. "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/lib/e2e.bash"
e2e_up
SA=$T/x.sa

refused() { # what pattern -- scs args...
	local what=$1 pat=$2
	shift 3
	e2e_run "$SCS" request "$@" --sa "$SA"
	[ $RC = 1 ] || e2e_fail "$what: rc $RC (want 1): $(cat "$T/err")"
	[ "$(wc -l < "$T/err")" = 1 ] || e2e_fail "$what: not one line: $(cat "$T/err")"
	grep -q -- "$pat" "$T/err" || e2e_fail "$what: want '$pat', got: $(cat "$T/err")"
	[ ! -e "$SA" ] || e2e_fail "$what: an SA file was written"
	echo "ok: $what -> $(cat "$T/err")"
}
ID=(--ue-id "$IMPI" --naf-fqdn "$NAF_FQDN")
refused "client certificate from an untrusted CA" "client certificate" -- \
	--bsf "$URL" --cert "$PKI/untrusted.pem" --key "$PKI/untrusted.key" --ca "$PKI/ca.pem" "${ID[@]}"
refused "certificate without clientAuth" "client certificate\|GBA_ERR_TLS\|GBA_ERR_NOT_AUTHORIZED" -- \
	--bsf "$URL" --cert "$PKI/serveronly.pem" --key "$PKI/serveronly.key" --ca "$PKI/ca.pem" "${ID[@]}"
refused "BSF certificate from another CA" "TLS with the BSF failed.*GBA_ERR_TLS" -- \
	--bsf "$URL" --cert "$PKI/scs1.pem" --key "$PKI/scs1.key" --ca "$PKI/untrusted-ca.pem" "${ID[@]}"
refused "unknown subscriber" "BSF answered 404: unknown subscriber.*USER_NOT_FOUND.*GBA_ERR_NOT_FOUND" -- \
	"${BSFOPTS[@]}" --ue-id 001019999999999@ims.mnc001.mcc001.3gppnetwork.org --naf-fqdn "$NAF_FQDN"
refused "NAF FQDN not registered for this SCS" "BSF answered 403:.*NAF_NOT_AUTHORIZED.*GBA_ERR_NOT_AUTHORIZED" -- \
	"${BSFOPTS[@]}" --ue-id "$IMPI" --naf-fqdn other.scs.example
refused "Ua security protocol id not registered" "NAF_NOT_AUTHORIZED" -- \
	"${BSFOPTS[@]}" "${ID[@]}" --ua-id 0100000002
e2e_bsf_stop
refused "no BSF listening" "cannot connect to the BSF.*GBA_ERR_IO" -- "${BSFOPTS[@]}" "${ID[@]}"
echo "flow_scs_errors: all checks passed"
