# diam_zpn.bash - freeDiameter configurations for Zpn over Diameter
# (GPR/GPA, TS 29.109; docs/diameter.md): the BSF listens on 127.0.0.1
# only, TCP (No_SCTP: the kernel of these machines has no SCTP), a clear
# port and a TLS port (RFC 6733 TLS first), and accepts SCS peers of
# *.scs.example through freeDiameter's acl_wl whitelist -- with or without
# TLS, so that the BSF's own refusal of a peer without TLS is what is
# tested.  Source after e2e.bash, call dz_setup after e2e_pki, before
# e2e_bsf_start.
#
# Sets: DZ_PORT DZ_SECPORT (BSF clear / TLS ports), E2E_BSF_INI_EXTRA (the
# [diameter] section), DZOPTS (gba-scs options over TLS), DZOPTS_NOTLS
# (the same SCS identity without TLS).

DZ_ACL=/usr/lib/freeDiameter/acl_wl.fdx

dz_setup() {
	[ -r "$DZ_ACL" ] || e2e_fail "$DZ_ACL missing (Debian freediameter-extensions)"
	DZ_PORT=$(e2e_free_port)
	DZ_SECPORT=$(e2e_free_port)
	mkdir -p "$T/fd"
	# ALLOW_IPSEC: accept a peer without TLS ("transparent security")
	echo 'ALLOW_IPSEC *.scs.example' > "$T/fd/acl.conf"
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
LoadExtension = "$DZ_ACL" : "$T/fd/acl.conf";
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
