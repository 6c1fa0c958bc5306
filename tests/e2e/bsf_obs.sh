#!/usr/bin/env bash
# gba-bsf observability: [log] format = json (JSON lines, also the
# per-request line); under systemd (JOURNAL_STREAM naming the stderr the
# daemon writes to) every line starts with its journald priority "<N>",
# and not when JOURNAL_STREAM names another file; logfmt stays the default.
# /metrics: gba_bsf_build_info, the standard process_* metrics, the
# not-after time of the server certificate (checked against openssl), and a
# Zpn SOAP fault for a client mistake (HTTP 500 on the wire, SOAP 1.1) is
# counted under the 4xx status of its cause, not as a 5xx.
source "$(dirname "$0")/lib/e2e.bash"
bsf_e2e_init

setup_pki_store
write_config "format = json"
sed -i "s|^file = .*|file = -|" "$T/bsf.ini"
"$BSF" --check-config "$T/bsf.ini" | grep -q '^format = json$' || fail "--check-config: format"
sed 's/^format = json/format = xml/' "$T/bsf.ini" >"$T/bad.ini"
rc=0; "$BSF" --check-config "$T/bad.ini" 2>"$T/err" || rc=$?
[ $rc = 1 ] && grep -q 'format' "$T/err" || fail "format = xml accepted"

# the daemon's stderr is $T/journal; JOURNAL_STREAM names it as systemd does
: >"$T/journal"
JOURNAL_STREAM=$(stat -c '%d:%i' "$T/journal") "$BSF" -c "$T/bsf.ini" 2>>"$T/journal" &
BSF_PID=$!
for _ in $(seq 100); do curl -fs "$ADMIN/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
curl -fs "$ADMIN/healthz" >/dev/null || fail "gba-bsf not ready: $(tail -3 "$T/journal")"

soap() {
	printf '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><requestGbaPushInfoRequest xmlns="urn:gbapush:zpn:1">%s</requestGbaPushInfoRequest></soap:Body></soap:Envelope>' "$1"
}
# client mistake: an unknown UE -> SOAP fault USER_NOT_FOUND, HTTP 500
st=$(zpn scs2 "$(soap "<userId>tel:+15559999999</userId><userIdType>PUBLIC</userIdType><nafid><nafFqdn>$NAF2</nafFqdn><uaSecProtId>$UA</uaSecProtId></nafid><ptid>p</ptid>")")
[ "$st" = 500 ] || fail "Zpn fault: HTTP $st, want 500"
curl -fs "$ADMIN/metrics" >"$T/metrics"
grep -q '^gba_bsf_requests_total{endpoint="zpn",status="500"} 0$' "$T/metrics" ||
	fail "Zpn client fault counted as 500: $(grep 'endpoint="zpn",status' "$T/metrics" | grep -v ' 0$')"
grep -q '^gba_bsf_requests_total{endpoint="zpn",status="404"} 1$' "$T/metrics" ||
	fail "Zpn USER_NOT_FOUND fault not counted under 404"
ok "Zpn client fault: HTTP 500 on the wire, counted under 404"

VER=$(sed -n 's/^project(gbapush VERSION \([0-9.]*\).*/\1/p' "$SRC_DIR/CMakeLists.txt")
grep -q "^gba_bsf_build_info{version=\"$VER\",crypto=\"[a-z0-9 .-]*\"} 1$" "$T/metrics" ||
	fail "build_info: $(grep build_info "$T/metrics")"
python3 - "$T/metrics" "$T/pki/server.pem" "$BSF_PID" <<'PY' || fail "process / certificate metrics"
import re, subprocess, sys, time, datetime, os
m = {}
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    k, v = line.rsplit(" ", 1)
    m[k] = float(v)
for k in ("process_cpu_seconds_total", "process_resident_memory_bytes",
          "process_virtual_memory_bytes", "process_open_fds", "process_max_fds",
          "process_start_time_seconds", "gba_bsf_tls_certificate_not_after_seconds"):
    assert k in m, "missing " + k
assert 0 < m["process_resident_memory_bytes"] < m["process_virtual_memory_bytes"]
# open fds and the limit, independently from /proc of the daemon
nfd = len(os.listdir("/proc/%s/fd" % sys.argv[3]))
assert abs(m["process_open_fds"] - nfd) <= 2, (m["process_open_fds"], nfd)
lim = open("/proc/%s/limits" % sys.argv[3]).read()
soft = int(re.search(r"Max open files\s+(\d+)", lim).group(1))
assert m["process_max_fds"] == soft, (m["process_max_fds"], soft)
assert abs(m["process_start_time_seconds"] - time.time()) < 60, m["process_start_time_seconds"]
assert 0 <= m["process_cpu_seconds_total"] < 60
end = subprocess.run(["openssl", "x509", "-in", sys.argv[2], "-noout", "-enddate"],
                     capture_output=True, text=True, check=True).stdout.strip().split("=", 1)[1]
na = datetime.datetime.strptime(end, "%b %d %H:%M:%S %Y GMT").replace(tzinfo=datetime.timezone.utc)
assert m["gba_bsf_tls_certificate_not_after_seconds"] == na.timestamp(), (m["gba_bsf_tls_certificate_not_after_seconds"], na)
PY
ok "metrics: build_info, process_* (vs /proc of the daemon), certificate not-after (vs openssl)"

stop_bsf || fail "stop"
python3 - "$T/journal" <<'PY' || fail "journal lines: $(head -3 "$T/journal")"
import json, re, sys
pri = {"emerg": 0, "alert": 1, "crit": 2, "err": 3, "warning": 4, "notice": 5, "info": 6, "debug": 7}
n = req = 0
for line in open(sys.argv[1]):
    mm = re.match(r"<([0-7])>(.*)$", line)
    assert mm, "no priority prefix: " + line
    d = json.loads(mm.group(2))
    assert int(mm.group(1)) == pri[d["level"]], line
    if d["sub"] == "req":
        req += 1
        assert d["status"] == 500 and d["outcome"] == "USER_NOT_FOUND" and d["endpoint"] == "zpn", line
    n += 1
assert n >= 3 and req == 1, (n, req)
PY
ok "JSON lines with journald priority prefixes matching their level"

# JOURNAL_STREAM naming another file: no prefix; default format logfmt
sed -i '/^format = json$/d' "$T/bsf.ini"
: >"$T/other"
: >"$T/plain"
JOURNAL_STREAM=$(stat -c '%d:%i' "$T/other") "$BSF" -c "$T/bsf.ini" 2>>"$T/plain" &
BSF_PID=$!
for _ in $(seq 100); do curl -fs "$ADMIN/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
stop_bsf || fail "stop (logfmt)"
grep -q '^ts=.* level=notice sub=main msg="serving on' "$T/plain" || fail "logfmt default: $(head -2 "$T/plain")"
grep -q '^<' "$T/plain" && fail "priority prefix without the journal"
ok "logfmt by default, no prefix when stderr is not the journal"
echo "bsf_obs: all checks passed"
