#!/usr/bin/env bash
# E2E refusals at the UE, each with the right reason and no UE state change
# (gba-ue show before/after; SQN_MS may advance only where the USIM
# accepted AUTN, as TS 33.102 requires):
#   tampered GPI (one bit of AUTN)            -> AUTN
#   GPI for another IMPI (same K, other IMPI)  -> GPI_INTEGRITY
#   trigger under an SA the UE never received  -> UNKNOWN_SA
#   trigger under an expired SA                -> SA_EXPIRED
#   truncated PDU, garbage PDU                 -> PDU_MALFORMED
set -euo pipefail
. "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/lib/e2e.bash"
e2e_init
e2e_pki
e2e_store
IMPI2=001010000000002@ims.mnc001.mcc001.3gppnetwork.org
# IMPI2 starts at SQN 320 (SEQ 10): its GPI passes the USIM's SQN check,
# so the refusal comes from the IMPI binding of Ks_NAF, not from AKA
e2e_sub_add "$IMPI2" --sqn 320
"$BSFCTL" --db "$DB" assoc add scs1 "$IMPI2" > /dev/null || e2e_fail "assoc 2"
e2e_bsf_start
e2e_bsf_opts
e2e_ue_init "$T/ue"
U() { "$UE" --state "$T/ue" "$@"; }
req() { # SA [ue-id] [extra]
	local sa=$1 id=${2:-$IMPI}
	shift 2 || shift
	"$SCS" request "${BSFOPTS[@]}" --ue-id "$id" --naf-fqdn "$NAF_FQDN" --sa "$sa" "$@" > "$T/req" ||
		e2e_fail "request"
}
push() { "$SCS" push --sa "$1" --msisdn +447700900123 --app-id "$APP_ID" > "$T/push" || e2e_fail "push"; }
expect_reject() { # reason what [--sas-only]
	grep -q "^REJECTED reason=$1 " "$T/out" || e2e_fail "$2: want $1, got: $(cat "$T/out")"
	if [ "${3:-}" = --sas-only ]; then
		e2e_ue_sas "$T/ue" | cmp -s - <(grep -v '^sqn_ms=' "$T/before") || e2e_fail "$2: SAs changed"
	else
		U show | cmp -s - "$T/before" || e2e_fail "$2: UE state changed"
	fi
	echo "ok: $2 -> $1, $( [ "${3:-}" = --sas-only ] && echo "SAs" || echo "state") unchanged"
}

# a good SA first (so that later checks have something to protect)
req "$T/a.sa" "$IMPI" --lifetime 3600
push "$T/a.sa"
e2e_run U receive $(cat "$T/push")
grep -q "^GPI_ACCEPTED" "$T/out" || e2e_fail "first GPI: $(cat "$T/out")"

# 1. tampered GPI: flip one bit of AUTN (the 16 octets after RAND)
req "$T/b.sa" "$IMPI" --lifetime 3600
RAND=$(sed -n 's/^rand=//p' "$T/req")
push "$T/b.sa"
mapfile -t PDUS < "$T/push"
for i in "${!PDUS[@]}"; do
	p=${PDUS[$i]}
	pre=${p%%"$RAND"*}
	if [ "$pre" != "$p" ]; then
		pos=$(( ${#pre} + 32 ))
		PDUS[$i]=${p:0:pos}$(printf '%02x' $(( 0x${p:pos:2} ^ 0x01 )))${p:pos+2}
		break
	fi
done
[ "${PDUS[*]}" != "$(cat "$T/push" | paste -sd ' ')" ] || e2e_fail "RAND not found in the push PDUs"
U show > "$T/before"
e2e_run U receive "${PDUS[@]}"
expect_reject AUTN "tampered GPI (AUTN bit)"

# 2. GPI for another IMPI: same K/OPc, other IMPI -> other Ks_NAF
req "$T/c.sa" "$IMPI2" --lifetime 3600
push "$T/c.sa"
U show > "$T/before"
e2e_run U receive $(cat "$T/push")
expect_reject GPI_INTEGRITY "GPI for another IMPI" --sas-only

# 3. trigger under an SA the UE never received (b.sa: its GPI was refused)
"$SCS" trigger --sa "$T/b.sa" --payload 01 --port "$TPORT" > "$T/t"
U show > "$T/before"
e2e_run U receive $(cat "$T/t")
expect_reject UNKNOWN_SA "trigger under an unknown SA"

# 4. trigger under an expired SA: 4 s key lifetime, trigger made in time,
#    delivered after expiry
req "$T/d.sa" "$IMPI" --lifetime 4
push "$T/d.sa"
e2e_run U receive $(cat "$T/push")
grep -q "^GPI_ACCEPTED" "$T/out" || e2e_fail "short-lived GPI: $(cat "$T/out")"
"$SCS" trigger --sa "$T/d.sa" --payload 02 --port "$TPORT" > "$T/t"
exp=$(U show | awk -v r="$(sed -n 's/^rand=//p' "$T/req")" '$0 ~ r {for(i=1;i<=NF;i++) if ($i ~ /^key_expiry=/) {sub("key_expiry=","",$i); print $i}}')
[ -n "$exp" ] || e2e_fail "no expiry for the short SA"
exp=$(date -u -d "$exp" +%s)  # RFC 3339 -> Unix seconds
while [ "$(date +%s)" -le "$exp" ]; do sleep 0.5; done
U show > "$T/before"
e2e_run U receive $(cat "$T/t")
expect_reject SA_EXPIRED "trigger under an expired SA"
e2e_run "$SCS" trigger --sa "$T/d.sa" --payload 02 --port "$TPORT"
[ $RC = 1 ] && grep -q "expired" "$T/err" || e2e_fail "SCS protected under an expired SA"
echo "ok: the SCS refuses to protect under the expired SA too"

# 5. truncated and garbage PDUs
"$SCS" trigger --sa "$T/a.sa" --payload 0102 --port "$TPORT" > "$T/t"
P=$(cat "$T/t")
U show > "$T/before"
e2e_run U receive "${P:0:${#P}-6}"
expect_reject PDU_MALFORMED "truncated PDU"
e2e_run U receive 0badc0ffee
expect_reject PDU_MALFORMED "garbage PDU"
e2e_run U receive "$P"
grep -q "^TRIGGER .*payload=0102$" "$T/out" || e2e_fail "intact trigger after the bad ones: $(cat "$T/out")"
echo "ok: the intact trigger is still accepted afterwards"
e2e_bsf_stop
echo "flow_refusals: all checks passed"
