#!/usr/bin/env bash
# gbatool vectors run, tuak, milenage, kdf, ks-naf: behaviour seen by a test
# engineer.  Expected values are literal lines of the 3GPP vector files,
# never output of the tool itself.  Env: BUILD_DIR, SRC_DIR.
set -u

G="${BUILD_DIR:?}/vectors/gbatool"
V="${SRC_DIR:?}/vectors"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0

fail() {
	printf 'FAIL: %b\n' "$*" >&2
	fails=$((fails + 1))
}

[ -x "$G" ] || { echo "no gbatool at $G" >&2; exit 1; }

# ---- (a) the shipped vectors all pass, with the expected set counts ----
out=$("$G" vectors run 2>"$TMP/err")
rc=$?
[ $rc -eq 0 ] || fail "vectors run: exit $rc, stderr: $(cat "$TMP/err")"
[ -s "$TMP/err" ] && fail "vectors run wrote to stderr: $(cat "$TMP/err")"
check_row() { # file sets
	echo "$out" | grep -Eq "^$1 +[a-z-]+ +$2 +$2 +0\$" ||
		fail "vectors run: no row '$1 ... $2 $2 0' in:\n$out"
}
check_row milenage_ts35207.txt 6
check_row milenage_ts35208.txt 20
check_row tuak_ts35233.txt 6
check_row tuak_keccak_ts35232.txt 6
check_row kdf_ts33220.txt 4
check_row gba_naf_keys.txt 4
echo "$out" | grep -Eq '^total +46 +46 +0$' || fail "total is not 46/46/0:\n$out"
echo "$out" | grep -q '^FAIL' && fail "FAIL line on a clean run"
# the kind comes from the fields
echo "$out" | grep -Eq '^tuak_keccak_ts35232.txt +keccak ' || fail "keccak kind"
echo "$out" | grep -Eq '^gba_naf_keys.txt +gba-naf ' || fail "gba-naf kind"
# GBA_VECTORS_DIR and --dir choose the directory
mkdir "$TMP/one"
cp "$V/kdf_ts33220.txt" "$TMP/one/"
out=$(GBA_VECTORS_DIR="$TMP/one" "$G" vectors run) ||
	fail "vectors run with GBA_VECTORS_DIR"
echo "$out" | grep -Eq '^total +4 +4 +0$' || fail "GBA_VECTORS_DIR ignored:\n$out"
out=$("$G" vectors run --dir "$TMP/one") || fail "vectors run --dir"
echo "$out" | grep -Eq '^total +4 +4 +0$' || fail "--dir ignored:\n$out"

# ---- (b) one flipped output hex digit is caught and named ----
flip() { # src dst set field: flip the last hex digit of FIELD in [set N]
	awk -v set="$3" -v key="$4" '
		/^\[set / { cur = $2; sub(/\]/, "", cur) }
		cur == set && $1 == key && $2 == "=" && !done {
			d = substr($3, length($3), 1)
			n = (d == "0") ? "1" : "0"
			$3 = substr($3, 1, length($3) - 1) n
			done = 1
		}
		{ print }' "$1" > "$2"
	cmp -s "$1" "$2" && fail "flip did not change $1 set $3 $4"
}
corrupt() { # file set field
	mkdir -p "$TMP/c"
	flip "$V/$1" "$TMP/c/$1" "$2" "$3"
	out=$("$G" vectors run "$TMP/c/$1" 2>"$TMP/err")
	rc=$?
	[ $rc -eq 1 ] || fail "corrupted $1 set $2 $3: exit $rc (want 1)"
	echo "$out" | grep -Eq "^FAIL .*$1 set $2 field $3: expected [0-9a-f]+ got [0-9a-f]+\$" ||
		fail "corrupted $1 set $2 $3 not named:\n$out"
	[ "$(echo "$out" | grep -c '^FAIL')" -eq 1 ] ||
		fail "corrupted $1: want exactly one FAIL line:\n$out"
	# and in JSON
	"$G" vectors run --json "$TMP/c/$1" > "$TMP/j"
	python3 - "$TMP/j" "$2" "$3" <<'EOF' || fail "corrupted $1 set $2 $3: JSON"
import json, sys
d = json.load(open(sys.argv[1]))
f = d["failures"]
assert not d["ok"] and d["failed"] == 1, d
assert f[0]["set"] == int(sys.argv[2]) and f[0]["field"] == sys.argv[3], f
assert f[0]["expected"] != f[0]["got"], f
EOF
	rm -rf "$TMP/c"
}
corrupt tuak_ts35233.txt 4 f3
corrupt tuak_ts35233.txt 6 f5star
corrupt tuak_ts35233.txt 2 topc
corrupt milenage_ts35208.txt 17 f1star
corrupt milenage_ts35207.txt 2 opc
corrupt tuak_keccak_ts35232.txt 5 out
corrupt kdf_ts33220.txt 3 out
corrupt gba_naf_keys.txt 2 ks_int_naf

# a malformed file: exit 2, one stderr line naming file:line
mkdir -p "$TMP/m"
sed '0,/^f2 = /s/^f2 = \(.*\)$/f2 = \1z/' "$V/milenage_ts35207.txt" > "$TMP/m/milenage_ts35207.txt"
line=$(grep -n '^f2 = .*z$' "$TMP/m/milenage_ts35207.txt" | cut -d: -f1)
"$G" vectors run "$TMP/m/milenage_ts35207.txt" >/dev/null 2>"$TMP/err"
rc=$?
[ $rc -eq 2 ] || fail "malformed file: exit $rc (want 2)"
grep -q "milenage_ts35207.txt:$line:" "$TMP/err" || fail "malformed file: no file:$line in '$(cat "$TMP/err")'"
[ "$(wc -l < "$TMP/err")" -eq 1 ] || fail "malformed file: not one stderr line"
# wrong length of an input field
sed '0,/^k = /s/^k = ..\(.*\)$/k = \1/' "$V/tuak_ts35233.txt" > "$TMP/m/tuak_ts35233.txt"
"$G" vectors run "$TMP/m/tuak_ts35233.txt" >/dev/null 2>"$TMP/err"
[ $? -eq 2 ] || fail "short TUAK K: want exit 2"
grep -q 'tuak_ts35233.txt:[0-9]*: set 1' "$TMP/err" || fail "short TUAK K: $(cat "$TMP/err")"
# fields of one kind in a file named for another
cp "$V/kdf_ts33220.txt" "$TMP/m/milenage_x.txt"
"$G" vectors run "$TMP/m/milenage_x.txt" >/dev/null 2>&1
[ $? -eq 2 ] || fail "kind/name disagreement: want exit 2"
"$G" vectors run "$TMP/nonexistent.txt" >/dev/null 2>&1
[ $? -eq 2 ] || fail "missing file: want exit 2"

# ---- (c) usage errors: exit 2 and exactly one line on stderr ----
usage_err() { # description, then the command
	local what=$1
	shift
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ $rc -eq 2 ] || fail "$what: exit $rc (want 2)"
	[ "$(wc -l < "$TMP/err")" -eq 1 ] || fail "$what: stderr is not one line: $(cat "$TMP/err")"
	[ -s "$TMP/out" ] && fail "$what: wrote to stdout"
}
K=465b5ce8b199b49faa5f0a2ee238a6bc
OPC=cd63cb71954a9f4e48a5994e37a02baf
R=23553cbe9637a89d218ae64dae47bf35
usage_err "milenage bad hex" "$G" milenage --k ${K%??}zz --opc $OPC --rand $R --sqn ff9bb4d0b607 --amf b9b9
usage_err "milenage short k" "$G" milenage --k ${K%??} --opc $OPC --rand $R --sqn ff9bb4d0b607 --amf b9b9
usage_err "milenage no amf" "$G" milenage --k $K --opc $OPC --rand $R --sqn ff9bb4d0b607
usage_err "milenage op and opc" "$G" milenage --k $K --op $OPC --opc $OPC --rand $R --sqn ff9bb4d0b607 --amf b9b9
TK=abababababababababababababababab
TOP=5555555555555555555555555555555555555555555555555555555555555555
TR=42424242424242424242424242424242
usage_err "tuak bad hex" "$G" tuak --k $TK --top ${TOP%?}x --rand $TR --sqn 111111111111 --amf ffff
usage_err "tuak 24-octet k" "$G" tuak --k ${TK}abababababababab --top $TOP --rand $TR --sqn 111111111111 --amf ffff
usage_err "tuak short rand" "$G" tuak --k $TK --top $TOP --rand ${TR%??} --sqn 111111111111 --amf ffff
usage_err "tuak no sqn" "$G" tuak --k $TK --top $TOP --rand $TR --amf ffff
usage_err "tuak no top" "$G" tuak --k $TK --rand $TR --sqn 111111111111 --amf ffff
usage_err "tuak mac 32 bits" "$G" tuak --k $TK --top $TOP --rand $TR --sqn 111111111111 --amf ffff --mac-bits 32
usage_err "tuak ck 64 bits" "$G" tuak --k $TK --top $TOP --rand $TR --sqn 111111111111 --amf ffff --ck-bits 64
usage_err "tuak 0 iterations" "$G" tuak --k $TK --top $TOP --rand $TR --sqn 111111111111 --amf ffff --keccak-iterations 0
usage_err "tuak iterations not a number" "$G" tuak --k $TK --top $TOP --rand $TR --sqn 111111111111 --amf ffff --keccak-iterations 1x
usage_err "kdf bad hex" "$G" kdf --key 00gg --fc 01
usage_err "kdf fc too long" "$G" kdf --key 0001 --fc 010203
usage_err "kdf no key" "$G" kdf --fc 01 --param 00
usage_err "ks-naf bad hex" "$G" ks-naf --ck ${K%?}q --ik $K --rand $R --impi a@b --naf-fqdn naf.example --ua-id 0100000002
usage_err "ks-naf short ik" "$G" ks-naf --ck $K --ik ${K%??} --rand $R --impi a@b --naf-fqdn naf.example --ua-id 0100000002
usage_err "ks-naf no impi" "$G" ks-naf --ck $K --ik $K --rand $R --naf-fqdn naf.example --ua-id 0100000002
usage_err "vectors no run" "$G" vectors
usage_err "vectors unknown option" "$G" vectors run --nope

# ---- (d) milenage / tuak output equals literal lines of the 3GPP files ----
expect_lines() { # file set: "name=hex" lines in gbatool's order
	awk -v set="$2" '
		/^\[set / { cur = $2; sub(/\]/, "", cur); next }
		cur == set && $2 == "=" { v[$1] = $3 }
		END {
			n = split("topc opc f1 f1star f2 f3 f4 f5 f5star", k, " ")
			for (i = 1; i <= n; i++)
				if (k[i] in v) print k[i] "=" v[k[i]]
		}' "$V/$1"
}
field() { # file set key
	awk -v set="$2" -v key="$3" '
		/^\[set / { cur = $2; sub(/\]/, "", cur); next }
		cur == set && $1 == key && $2 == "=" { print $3 }' "$V/$1"
}
same() { # what expected got
	[ "$2" = "$3" ] || fail "$1:\n--- expected (vector file)\n$2\n--- got (gbatool)\n$3"
	[ -n "$2" ] || fail "$1: empty expectation"
}
m() { # file set [op|opc]
	local f=$1 s=$2 via=$3
	got=$("$G" milenage --k "$(field $f $s k)" --$via "$(field $f $s $via)" \
		--rand "$(field $f $s rand)" --sqn "$(field $f $s sqn)" \
		--amf "$(field $f $s amf)") || fail "milenage $f set $s: exit $?"
	same "milenage $f set $s (--$via)" "$(expect_lines $f $s)" "$got"
}
m milenage_ts35208.txt 1 op
m milenage_ts35208.txt 19 opc
m milenage_ts35207.txt 2 op
t() { # set, extra options
	local f=tuak_ts35233.txt s=$1 via=$2
	shift 2
	got=$("$G" tuak --k "$(field $f $s k)" --$via "$(field $f $s $via)" \
		--rand "$(field $f $s rand)" --sqn "$(field $f $s sqn)" \
		--amf "$(field $f $s amf)" "$@") || fail "tuak set $s: exit $?"
	same "tuak set $s (--$via $*)" "$(expect_lines $f $s)" "$got"
}
t 1 top --res-bits 32
t 2 top --mac-bits 128
t 3 topc --mac-bits 256 --ik-bits 256
t 4 top --mac-bits 128 --res-bits 128
t 5 topc --res-bits 256 --ck-bits 256
t 6 top --keccak-iterations 2 --mac-bits 256 --res-bits 256 --ck-bits 256 --ik-bits 256

# ---- (e) --json parses, for vectors run and the algorithm commands ----
"$G" vectors run --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["ok"] and d["sets"] == 46 and d["failed"] == 0 and len(d["files"]) == 6, d' ||
	fail "vectors run --json"
"$G" tuak --json --k $TK --top $TOP --rand $TR --sqn 111111111111 --amf ffff --res-bits 32 |
	python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["f2"] == "657acd64", d' ||
	fail "tuak --json"
"$G" milenage --json --k $K --opc $OPC --rand $R --sqn ff9bb4d0b607 --amf b9b9 |
	python3 -c 'import json,sys; json.load(sys.stdin)' || fail "milenage --json"

if [ $fails -ne 0 ]; then
	echo "$fails check(s) failed" >&2
	exit 1
fi
echo "vectors_run: all checks passed"
