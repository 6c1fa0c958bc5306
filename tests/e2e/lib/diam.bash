# tests/e2e/lib/diam.bash - freeDiameter configurations and certificates
# for the Diameter e2e tests (Zh: gba-bsf <-> gba-hss; docs/diameter.md);
# sourced after e2e.bash, not a test.  Everything on 127.0.0.1 with free
# ports under $T; the kernels of these machines have no SCTP: No_SCTP.
#
#   diam_pki                  a CA and, per identity, diam_cert ID
#   diam_conf FILE ID PORT TLS PEER...
#                             write a freeDiameter 1.2 configuration:
#                             Identity ID, Realm "test", TCP port PORT
#                             (TLS 0: plain TCP to the peers, 1: TLS/TCP),
#                             ConnectPeer for every PEER = "id:port"
#   diam_hss_start NAME CONF STORE [extra gba-hss args]
#                             start gba-hss (PID in HSS_PID_<NAME>)
#   diam_wait_log FILE REGEX [tries]   wait until FILE has a line

DIAM_REALM=test

# ASan builds: freeDiameter 1.2.1's own defects, as diam_zpn.bash
# (docs/diameter.md "freeDiameter defects")
export LSAN_OPTIONS="suppressions=$SRC_DIR/tests/e2e/lib/lsan-freediameter.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}suppressions=$SRC_DIR/tests/e2e/lib/asan-freediameter.supp"

# diam_free_port: a free TCP port BELOW the kernel's ephemeral range, so
# that the ports e2e_free_port hands out later (bind to port 0, then
# released) can never be one our freeDiameter peers listen on
diam_free_port() {
	python3 - <<'PY'
import random, socket
lo = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
for _ in range(200):
    p = random.randrange(max(1024, lo - 12000), lo)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    print(p)
    break
PY
}

# diam_pki: $T/dpki/ca.pem (+ key)
diam_pki() {
	mkdir -p "$T/dpki"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$T/dpki/ca.key" -out "$T/dpki/ca.pem" -days 2 \
		-subj "/CN=gbapush diameter test CA" >/dev/null 2>&1 ||
		e2e_fail "openssl: diameter CA"
}

# diam_cert ID: $T/dpki/ID.pem / ID.key, CN and DNS name ID
diam_cert() {
	local id=$1 d=$T/dpki
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$d/$id.key" -out "$d/$id.csr" -subj "/CN=$id" \
		>/dev/null 2>&1 || e2e_fail "openssl: csr $id"
	printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth,clientAuth\n' \
		"$id" > "$d/$id.ext"
	openssl x509 -req -in "$d/$id.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
		-CAcreateserial -days 2 -extfile "$d/$id.ext" -out "$d/$id.pem" \
		>/dev/null 2>&1 || e2e_fail "openssl: cert $id"
}

# diam_conf FILE ID PORT TLS PEER...
diam_conf() {
	local f=$1 id=$2 port=$3 tls=$4 p pid pport notls="" ports
	shift 4
	[ -f "$T/dpki/$id.pem" ] || diam_cert "$id"
	# TLS/TCP (RFC 6733 13: TLS from the first octet) on SecPort, the
	# plain port then unused; plain TCP: No_TLS towards the peers
	if [ "$tls" = 1 ]; then
		ports="Port = 0;
SecPort = $port;"
	else
		notls=" No_TLS;"
		ports="Port = $port;
SecPort = 0;"
	fi
	cat > "$f" <<EOF
Identity = "$id";
Realm = "$DIAM_REALM";
$ports
No_SCTP;
No_IPv6;
ListenOn = "127.0.0.1";
TLS_Cred = "$T/dpki/$id.pem", "$T/dpki/$id.key";
TLS_CA = "$T/dpki/ca.pem";
TcTimer = 1;
TwTimer = 6;
AppServThreads = 4;
NoRelay;
EOF
	for p in "$@"; do
		pid=${p%%:*}
		pport=${p##*:}
		printf 'ConnectPeer = "%s" { ConnectTo = "127.0.0.1"; Port = %s;%s };\n' \
			"$pid" "$pport" "$notls" >> "$f"
	done
}

# diam_hss_start NAME CONF STORE [args...]: gba-hss NAME, log $T/hss-NAME.log
diam_hss_start() {
	local name=$1 conf=$2 store=$3 bin=${HSS_BIN:-$BUILD_DIR/bsf/gba-hss}
	shift 3
	cat > "$T/hss-$name.ini" <<EOF
[store]
path = $store
[diameter]
conf = $conf
[log]
level = info
file = $T/hss-$name.log
EOF
	"$bin" -c "$T/hss-$name.ini" "$@" >> "$T/hss-$name.stdout" 2>&1 &
	eval "HSS_PID_$name=$!"
	E2E_PIDS+=("$!")
	diam_wait_log "$T/hss-$name.log" "serving Zh" 100 ||
		e2e_fail "gba-hss $name did not start: $(tail -3 "$T/hss-$name.stdout" "$T/hss-$name.log" 2>/dev/null)"
}

diam_hss_stop() {
	local name=$1 pid
	eval "pid=\${HSS_PID_$name:-}"
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	eval "HSS_PID_$name="
}

# diam_wait_log FILE REGEX [tries of 0.1 s]
diam_wait_log() {
	local i
	for i in $(seq "${3:-100}"); do
		grep -Eq "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# diam_zh_up [TLS] : e2e_init, PKI, the HSS store $T/hss.db (real K; a
# GUSS too with DIAM_GUSS=1) and
# the BSF store $DB (same identities, a WRONG K: only AVs from gba-hss
# work), gba-hss "1" and gba-bsf in [hss] mode = zh, $BSFOPTS.
diam_zh_up() {
	local tls=${1:-0}
	e2e_init
	[ -x "$BUILD_DIR/bsf/gba-hss" ] || e2e_fail "gba-hss not built"
	e2e_pki
	if [ -n "${DIAM_GUSS:-}" ]; then
		# a GUSS at the HSS, sent in GBA-UserSecSettings of the MAA
		cat > "$T/hss-guss.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<guss xmlns="uri:3gpp-gba">
 <bsfInfo><uiccType>GBA</uiccType><lifeTime>3600</lifeTime></bsfInfo>
 <ussList><uss id="101" type="1" nafGroup="scs"><flags><flag>1</flag></flags></uss></ussList>
</guss>
XML
		DB=$T/hss.db e2e_store --guss "$T/hss-guss.xml"
	else
		DB=$T/hss.db e2e_store
	fi
	K=00000000000000000000000000000001 e2e_store
	diam_zh_start "$tls" "$T/hss.db" 1000
}

# diam_zh_bsf_start TIMEOUT_MS: gba-bsf on $DB in [hss] mode = zh with the
# freeDiameter configuration $T/bsf.fd, MARs timed out after TIMEOUT_MS;
# $BSFOPTS
diam_zh_bsf_start() {
	E2E_BSF_INI_EXTRA="[diameter]
conf = $T/bsf.fd
[hss]
mode = zh
realm = $DIAM_REALM
timeout_ms = $1"
	e2e_bsf_start
	e2e_bsf_opts
}

# diam_zh_start TLS HSS_STORE TIMEOUT_MS: Diameter PKI, ports $PB (BSF)
# and $PH (HSS), their configurations ($T/bsf.fd, $T/hss1.fd; TLS 1: over
# TLS/TCP), gba-hss "1" on HSS_STORE, then diam_zh_bsf_start TIMEOUT_MS
diam_zh_start() {
	diam_pki
	PB=$(diam_free_port)
	PH=$(diam_free_port)
	[ "$PB" != "$PH" ] || PH=$(diam_free_port)
	diam_conf "$T/bsf.fd" bsf.test "$PB" "$1" "hss1.test:$PH"
	diam_conf "$T/hss1.fd" hss1.test "$PH" "$1" "bsf.test:$PB"
	diam_hss_start 1 "$T/hss1.fd" "$2"
	diam_zh_bsf_start "$3"
}

# diam_request UE SA [gba-scs request options]: a GPI for UE into SA,
# retried while 503 (the Diameter connection coming up), 10 s at most;
# exit status in $rc, output in $T/req, errors in $T/req.err
diam_request() {
	local ue=$1 sa=$2 i
	shift 2
	for i in $(seq 50); do
		set +e
		"$SCS" request "${BSFOPTS[@]}" --ue-id "$ue" --naf-fqdn "$NAF_FQDN" \
			--retries 0 "$@" --sa "$sa" > "$T/req" 2> "$T/req.err"
		rc=$?
		set -e
		[ $rc = 0 ] && return 0
		grep -q 503 "$T/req.err" || return 0
		sleep 0.2
	done
}

# diam_req_ok SA [gba-scs request options]: diam_request for $IMPI, which
# must succeed
diam_req_ok() {
	local sa=$1
	shift
	diam_request "$IMPI" "$sa" "$@"
	[ $rc = 0 ] || e2e_fail "request: $(cat "$T/req.err")"
}
