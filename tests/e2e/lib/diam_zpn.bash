# diam_zpn.bash - freeDiameter configurations for Zpn over Diameter
# (GPR/GPA, TS 29.109; docs/diameter.md): the BSF listens on 127.0.0.1
# only, TCP (No_SCTP: the kernel of these machines has no SCTP), a clear
# port and a TLS port (RFC 6733 TLS first), and knows the SCS peers
# scs1.scs.example and scs9.scs.example as ConnectPeer entries marked
# No_TLS, which lets them in with or without TLS, so that the BSF's own
# refusal of a peer without TLS is what is tested.  (Its ConnectTo is the
# discard port with a long TcTimer: the BSF never reaches them itself.)
# Source after e2e.bash, call dz_setup after e2e_pki, before
# e2e_bsf_start.
#
# Sets: DZ_PORT DZ_SECPORT (BSF clear / TLS ports), E2E_BSF_INI_EXTRA (the
# [diameter] section), DZOPTS (gba-scs options over TLS), DZOPTS_NOTLS
# (the same SCS identity without TLS).

# ASan builds: freeDiameter's own one-time leak and its use-after-free at
# shutdown (see the two files; docs/diameter.md)
export LSAN_OPTIONS="suppressions=$SRC_DIR/tests/e2e/lib/lsan-freediameter.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}suppressions=$SRC_DIR/tests/e2e/lib/asan-freediameter.supp"

dz_setup() {
	DZ_PORT=$(e2e_free_port)
	DZ_SECPORT=$(e2e_free_port)
	mkdir -p "$T/fd"
	cat > "$T/fd/bsf.conf" <<EOF
Identity = "localhost";
Realm = "bsf.example";
Port = $DZ_PORT;
SecPort = $DZ_SECPORT;
No_SCTP;
No_IPv6;
ListenOn = "127.0.0.1";
TLS_Cred = "$PKI/server.pem", "$PKI/server.key";
TLS_CA = "$PKI/ca.pem";
ConnectPeer = "scs1.scs.example" { ConnectTo = "127.0.0.1"; Port = 9; No_SCTP; No_TLS; TcTimer = 600; };
ConnectPeer = "scs9.scs.example" { ConnectTo = "127.0.0.1"; Port = 9; No_SCTP; No_TLS; TcTimer = 600; };
EOF
	dz_scs_conf scs "$PKI/scs1.pem" "$PKI/scs1.key" "Port = $DZ_SECPORT;"
	dz_scs_conf scs-notls "$PKI/scs1.pem" "$PKI/scs1.key" "Port = $DZ_PORT; No_TLS;"
	E2E_BSF_INI_EXTRA="[diameter]
conf = $T/fd/bsf.conf"
	DZOPTS=(--diameter "$T/fd/scs.conf" --diameter-peer localhost --timeout 5000)
	DZOPTS_NOTLS=(--diameter "$T/fd/scs-notls.conf" --diameter-peer localhost --timeout 5000)
}

# dz_scs_conf NAME CERT KEY PEER-PARAMS [IDENTITY]: an SCS (default
# scs1.scs.example) that listens nowhere and connects to the BSF
dz_scs_conf() {
	cat > "$T/fd/$1.conf" <<EOF
Identity = "${5:-scs1.scs.example}";
Realm = "scs.example";
Port = 0;
SecPort = 0;
No_SCTP;
No_IPv6;
TLS_Cred = "$2", "$3";
TLS_CA = "$PKI/ca.pem";
ConnectPeer = "localhost" { ConnectTo = "127.0.0.1"; No_SCTP; TcTimer = 1; $4 };
EOF
}
