#!/usr/bin/env bash
# TS 33.220 Annex B.2.1 at the host edges: KDF strings are NFKC-normalised,
# then UTF-8; ill-formed UTF-8 is refused with a clear error.
#
# Expected keys come from an independent implementation run here: Debian's
# /usr/bin/python3 with unicodedata.normalize("NFKC") and hmac/hashlib
# (S = FC || P0 || L0 || ... built by hand per B.2.0, B.3), never from our
# C code.  CK, IK, RAND: TS 35.208 set 1.
set -u
G="${BUILD_DIR:?}/vectors/gbatool"
BSFCTL="${BUILD_DIR}/bsf/gba-bsfctl"
PY=/usr/bin/python3
T=$(mktemp -d /tmp/nfkc_cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

CK=b40ba9a3c58b2a05bbf0d987b21bf8cb
IK=f769bcd751044604127672711c6d3441
R=23553cbe9637a89d218ae64dae47bf35
UA=0100000005

# pykeys IMPI FQDN: "ks_naf=..." and "ks_int_naf=..." lines from Python
pykeys() {
	"$PY" - "$1" "$2" <<'PYEOF'
import sys, os, hmac, hashlib, unicodedata
impi, fqdn = (os.fsencode(a).decode("utf-8") for a in sys.argv[1:3])
ks = bytes.fromhex("b40ba9a3c58b2a05bbf0d987b21bf8cb"
                   "f769bcd751044604127672711c6d3441")
rand = bytes.fromhex("23553cbe9637a89d218ae64dae47bf35")
ua = bytes.fromhex("0100000005")
nfkc = lambda s: unicodedata.normalize("NFKC", s).encode("utf-8")
def kdf(p0):
    ps = [p0, rand, nfkc(impi), nfkc(fqdn) + ua]
    s = b"\x01" + b"".join(p + len(p).to_bytes(2, "big") for p in ps)
    return hmac.new(ks, s, hashlib.sha256).hexdigest()
print("ks_naf=" + kdf(b"gba-me"))
print("ks_int_naf=" + kdf(b"gba-u"))
PYEOF
}

# check IMPI FQDN: gbatool ks-naf equals Python
check() {
	local want got
	want=$(pykeys "$1" "$2") || { bad "python failed for $1"; return; }
	got=$("$G" ks-naf --ck $CK --ik $IK --rand $R --impi "$1" \
		--naf-fqdn "$2" --ua-id $UA 2>&1) || { bad "ks-naf '$1' '$2': $got"; return; }
	[ "$got" = "$want" ] || bad "ks-naf '$1' '$2': got '$got' want '$want'"
}

DECOMP=$(printf 'use\xcc\x81r@example.org')       # e + U+0301
COMP=$(printf 'us\xc3\xa9r@example.org')          # U+00E9
LIG=$(printf '\xef\xac\x81nance.example')          # U+FB01 ligature fi
FULL=$(printf '\xef\xbd\x95ser@example.org')       # U+FF55 fullwidth u
ANGS=$(printf '\xe2\x84\xabngstr\xc3\xb6m.example') # U+212B ANGSTROM SIGN

check "alice@ims.example" "naf.example.org"   # ASCII
check "$DECOMP" "naf.example.org"             # NFKC composes
check "$COMP" "$LIG"                          # NFKC expands the ligature
check "$FULL" "$ANGS"                         # compatibility mappings
# the composed and decomposed spellings are the same key ...
a=$("$G" ks-naf --ck $CK --ik $IK --rand $R --impi "$DECOMP" --naf-fqdn "$LIG" --ua-id $UA)
b=$("$G" ks-naf --ck $CK --ik $IK --rand $R --impi "$COMP" --naf-fqdn finance.example --ua-id $UA)
[ -n "$a" ] && [ "$a" = "$b" ] || bad "composed/decomposed keys differ"
# ... and the literal the unit test pins (test_kdf: "UTF-8 IMPI and FQDN")
echo "$a" | grep -qx "ks_naf=beba00cb9a769788f42754bb7becf064217875c573cb955751a253b8decbf282" \
	|| bad "ks_naf literal"

# ill-formed UTF-8: exit 2, one clear line naming the option
usage_utf8() {
	local what=$1 out rc; shift
	out=$("$G" ks-naf --ck $CK --ik $IK --rand $R --ua-id $UA "$@" 2>&1 >/dev/null); rc=$?
	[ $rc -eq 2 ] || bad "$what: exit $rc, want 2"
	[ "$out" = "gbatool: ks-naf: $what: text is not well-formed UTF-8" ] \
		|| bad "$what: message '$out'"
}
usage_utf8 --impi --impi "$(printf 'us\xe9r@example.org')" --naf-fqdn n.example
usage_utf8 --naf-fqdn --impi a@b --naf-fqdn "$(printf 'n\xed\xa0\x80.example')"
# gpi build takes the FQDN through the same normaliser
o=$("$G" gpi build --rand $R --autn 00000000000000000000000000000000 \
	--naf-fqdn "$(printf 'n\xc0\xae.example')" --ua-id $UA --p-tid 01 \
	--naf-key $CK$IK 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && grep -q "not well-formed UTF-8" <<<"$o" || bad "gpi build bad UTF-8: $rc $o"

# gba-bsfctl stores the IMPI in NFKC: the decomposed spelling is listed
# composed, and the composed spelling is then the same subscriber
if [ -x "$BSFCTL" ]; then
	ctl() { "$BSFCTL" --db "$T/s.db" "$@"; }
	ctl init >/dev/null || bad "bsfctl init"
	ctl subscriber add --impi "$DECOMP" --k 465b5ce8b199b49faa5f0a2ee238a6bc \
		--opc cd63cb71954a9f4e48a5994e37a02baf >/dev/null || bad "bsfctl add"
	ctl subscriber list | grep -qF "$COMP" || bad "bsfctl: IMPI not stored in NFKC"
	ctl subscriber list | grep -qF "$DECOMP" && bad "bsfctl: decomposed IMPI stored"
	ctl subscriber show "$DECOMP" | grep -qxF "impi=$COMP" || bad "bsfctl show by decomposed IMPI"
	ctl subscriber add --impi "$COMP" --k 465b5ce8b199b49faa5f0a2ee238a6bc \
		--opc cd63cb71954a9f4e48a5994e37a02baf >/dev/null 2>&1 \
		&& bad "bsfctl: composed IMPI added twice"
	o=$(ctl subscriber add --impi "$(printf 'us\xe9r@x')" --k 465b5ce8b199b49faa5f0a2ee238a6bc \
		--opc cd63cb71954a9f4e48a5994e37a02baf 2>&1 >/dev/null) && bad "bsfctl: bad UTF-8 accepted"
	grep -q "not well-formed UTF-8" <<<"$o" || bad "bsfctl bad UTF-8 message: $o"
fi
# gba-ue (host front end of the UE library) keeps the IMPI in NFKC
UEBIN="${BUILD_DIR}/ue-agent/gba-ue"
if [ -x "$UEBIN" ]; then
	"$UEBIN" --state "$T/ue" init --k 465b5ce8b199b49faa5f0a2ee238a6bc \
		--opc cd63cb71954a9f4e48a5994e37a02baf --impi "$DECOMP" --app-id 1 >/dev/null \
		|| bad "gba-ue init with a decomposed IMPI"
	grep -qxF "impi = $COMP" "$T/ue/usim.conf" || bad "gba-ue: IMPI not kept in NFKC"
	"$UEBIN" --state "$T/ue2" init --k 465b5ce8b199b49faa5f0a2ee238a6bc \
		--opc cd63cb71954a9f4e48a5994e37a02baf --impi "$(printf 'us\xe9r@x')" \
		--app-id 1 >/dev/null 2>&1
	[ $? -eq 2 ] || bad "gba-ue: ill-formed IMPI accepted"
fi
exit $fail
