#!/usr/bin/env bash
# gbatool gpi decode / build against the GPI known answer of
# tests/unit/test_gpi.c (vector 1, computed independently in Python from the
# documented layout; see that file).  Env: BUILD_DIR, SRC_DIR.
set -euo pipefail
T=${BUILD_DIR:?}/vectors/gbatool
[ -x "$T" ] || { echo "no gbatool at $T" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

CLI_WORK=$work
. "$(dirname "$0")/lib/cli.bash"

KEY=8f4d7a759f91d6980d88ad9be6f2bf9a5e16dadc88e13759ac627e5421065929
GPI=f100a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf1e73637330312e696f742e6f70657261746f722e6578616d706c652e636f6d0100000005006b36ec80105701982fa5f603921d2058eaab5bbce60702c2b6b3f4b7f24a3598c89d61e294


# 1. key-less decode: every field, name=value lines
expect_rc 0 "$T" gpi decode "$GPI"
cat >"$work/want" <<'OUT'
version=f1
gba_u=0
rand=a0a1a2a3a4a5a6a7a8a9aaabacadaeaf
autn=b0b1b2b3b4b5b6b7b8b9babbbcbdbebf
naf_fqdn=scs01.iot.operator.example.com
ua_id=0100000005
app_label=
key_expiry=2027-01-01T00:00:00Z
p_tid_enc=5701982fa5f603921d2058eaab5bbce6
OUT
diff -u "$work/want" "$work/out" || fail "decode output"

# 2. with the NAF key: verified, P-TID "a3f9c2e1b7d40856" in hex
expect_rc 0 "$T" gpi decode "$GPI" --naf-key "$KEY"
grep -qx 'p_tid=61336639633265316237643430383536' "$work/out" || fail "p_tid"

# 3. --json is one object with the same values
expect_rc 0 "$T" gpi decode "$GPI" --naf-key "$KEY" --json
python3 - "$work/out" <<'PY' || fail "json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["naf_fqdn"] == "scs01.iot.operator.example.com", d
assert d["gba_u"] is False and d["key_expiry"] == "2027-01-01T00:00:00Z", d
assert d["ua_id"] == "0100000005" and d["app_label"] == "", d
assert bytes.fromhex(d["p_tid"]) == b"a3f9c2e1b7d40856", d
PY

# 4. wrong key: exit 1 and the one-line message
expect_rc 1 "$T" gpi decode "$GPI" --naf-key "0${KEY:1}"
[ "$(cat "$work/err")" = "gbatool: gpi: GPI integrity check failed" ] || fail "MAC message"
[ ! -s "$work/out" ] || fail "output on a failed check"

# 5. a flipped tag octet, a truncated GPI, a wrong version
expect_rc 1 "$T" gpi decode "${GPI%??}95" --naf-key "$KEY"
grep -q 'integrity check failed' "$work/err" || fail "tag flip"
expect_rc 1 "$T" gpi decode "${GPI%??}"
grep -q 'GBA_ERR_TRUNCATED' "$work/err" || fail "truncated"
expect_rc 1 "$T" gpi decode "f0${GPI#??}"
grep -q 'GBA_ERR_VERSION' "$work/err" || fail "version"

# 6. build reproduces the known answer
# build_kat RC EXPIRY: gpi build of the known answer's fields, key expiry
# EXPIRY, expecting exit RC
build_kat() {
	expect_rc "$1" "$T" gpi build --rand a0a1a2a3a4a5a6a7a8a9aaabacadaeaf \
		--autn b0b1b2b3b4b5b6b7b8b9babbbcbdbebf \
		--naf-fqdn scs01.iot.operator.example.com --ua-id 0100000005 \
		--p-tid 61336639633265316237643430383536 --naf-key "$KEY" \
		--key-expiry "$2"
}
build_kat 0 2027-01-01T00:00:00Z
grep -qx "gpi=$GPI" "$work/out" || fail "build KAT"
grep -qx "length=108" "$work/out" || fail "build length"
# the older Unix-seconds form gives the same GPI; a bad time is a usage error
build_kat 0 1798761600
grep -qx "gpi=$GPI" "$work/out" || fail "build KAT, Unix seconds"
build_kat 2 2027-02-30T00:00:00Z

# 7. usage errors exit 2
expect_rc 2 "$T" gpi
expect_rc 2 "$T" gpi decode
expect_rc 2 "$T" gpi decode xyz
expect_rc 2 "$T" gpi decode "$GPI" --naf-key 00
expect_rc 2 "$T" gpi build --rand 00
echo "gpi_cli: all checks passed"
