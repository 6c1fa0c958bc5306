#!/usr/bin/env bash
# E2E, Zpn over Diameter with the AV from Zh: gba-scs request --diameter
# (GPR) -> gba-bsf ([hss] mode = zh) -> MAR to gba-hss -> GPA -> gba-ue
# accepts the GPI.  One freeDiameter core in gba-bsf serves both: the GPR
# arrives on one of its AppServThreads and the MAA of the MAR it causes is
# delivered on one of them too (libfdcore routing_dispatch.c), so a GPR
# handler that waited there for its MAA would hold the very thread its
# answer needs.  With AppServThreads = 1 such a handler never gets its
# MAA (the MAR times out: a 3002 GPA); the BSF here runs with 1.
set -euo pipefail
. "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/lib/e2e.bash"
. "$SRC_DIR/tests/e2e/lib/diam.bash"
. "$SRC_DIR/tests/e2e/lib/diam_zpn.bash"
e2e_init
[ -x "$BUILD_DIR/bsf/gba-hss" ] || e2e_fail "gba-hss not built"
e2e_pki
DB=$T/hss.db e2e_store
# the BSF's own K is wrong: only an AV from gba-hss makes a GPI the UE takes
K=00000000000000000000000000000001 e2e_store
diam_pki
PB=$(diam_free_port)
PBS=$(diam_free_port)
PH=$(diam_free_port)
[ "$PB" != "$PH" ] && [ "$PBS" != "$PH" ] && [ "$PB" != "$PBS" ] || e2e_fail "port clash, rerun"
mkdir -p "$T/fd"
# the BSF: Zh to hss1.test over TCP, GPR from scs1 over TLS/TCP
cat > "$T/fd/bsf.conf" <<CONF
Identity = "localhost";
Realm = "$DIAM_REALM";
Port = $PB;
SecPort = $PBS;
No_SCTP;
No_IPv6;
ListenOn = "127.0.0.1";
TLS_Cred = "$PKI/server.pem", "$PKI/server.key";
TLS_CA = "$PKI/ca.pem";
TcTimer = 1;
AppServThreads = 1;
NoRelay;
ConnectPeer = "hss1.test" { ConnectTo = "127.0.0.1"; Port = $PH; No_TLS; };
ConnectPeer = "scs1.scs.example" { ConnectTo = "127.0.0.1"; Port = 9; No_SCTP; No_TLS; TcTimer = 600; };
CONF
diam_conf "$T/hss1.fd" hss1.test "$PH" 0 "localhost:$PB"
diam_hss_start 1 "$T/hss1.fd" "$T/hss.db"
E2E_BSF_INI_EXTRA="[diameter]
conf = $T/fd/bsf.conf
[hss]
mode = zh
realm = $DIAM_REALM
timeout_ms = 1500"
e2e_bsf_start
dz_scs_conf scs "$PKI/scs1.pem" "$PKI/scs1.key" "Port = $PBS;"
e2e_ue_init "$T/ue"

# gpr SA: one GPR; exit status in $rc (the Zh link may still be coming up)
gpr() {
	set +e
	"$SCS" request --diameter "$T/fd/scs.conf" --diameter-peer localhost \
		--timeout 5000 --ue-id "$IMPI" --naf-fqdn "$NAF_FQDN" \
		--lifetime 3600 --sa "$1" > "$T/req.$2" 2> "$T/req.$2.err"
	rc=$?
	set -e
}
for i in $(seq 20); do
	gpr "$T/zh.sa" 0
	[ $rc = 0 ] && break
	sleep 0.3
done
[ $rc = 0 ] || e2e_fail "GPR in zh mode: rc $rc: $(cat "$T/req.0.err"); BSF: $(grep -i 'GPR\|zh' "$BSF_LOG" | tail -3)"
grep -q "diameter MAR result=2001" "$T/hss-1.log" || e2e_fail "no MAA 2001 in the gba-hss log"
e2e_deliver "$T/zh.sa" "$T/ue"
[ $RC = 0 ] || e2e_fail "receive rc $RC: $(cat "$T/err")"
grep -q "^GPI_ACCEPTED .*naf=$NAF_FQDN" "$T/out" || e2e_fail "GPI not accepted: $(cat "$T/out")"
echo "ok: GPR answered with the AV of a MAR to gba-hss (AppServThreads = 1); the UE accepts the GPI"

