#!/usr/bin/env bash
# Golden output files (in the spirit of libosmocore's .ok files): each
# case below runs one gbatool / gba-ue / gba-scs command and its stdout,
# stderr and exit status must equal tests/golden/<case>.ok byte for byte,
# so that any output change not listed here fails.  After an intended
# change, refresh them with
#     BUILD_DIR=build tests/golden/update.sh      (or: run.sh --update)
# and commit the .ok diff with the change (tests/README.md).
# Env: BUILD_DIR, SRC_DIR (ctest sets them).
set -euo pipefail
BUILD_DIR=${BUILD_DIR:?}
HERE=$(cd "$(dirname "$0")" && pwd)
update=0
[ "${1:-}" = "--update" ] && update=1
G=$BUILD_DIR/vectors/gbatool
UE=$BUILD_DIR/ue-agent/gba-ue
SCS=$BUILD_DIR/scs/gba-scs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

# golden NAME CMD...: run CMD, compare (or, with --update, write) NAME.ok.
# The temporary directory prints as @TMP@ so that the files are stable.
golden() {
	local name=$1 rc
	shift
	set +e
	"$@" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
	rc=$?
	set -e
	{
		echo "\$ ${*/#$BUILD_DIR\//}" | sed "s|$tmp|@TMP@|g"
		sed "s|$tmp|@TMP@|g" "$tmp/stdout"
		if [ -s "$tmp/stderr" ]; then
			echo "--- stderr"
			sed "s|$tmp|@TMP@|g" "$tmp/stderr"
		fi
		echo "--- exit $rc"
	} >"$tmp/$name.out"
	if [ $update = 1 ]; then
		cp "$tmp/$name.out" "$HERE/$name.ok"
	elif ! diff -u "$HERE/$name.ok" "$tmp/$name.out"; then
		echo "golden: FAIL: $name (refresh: tests/golden/update.sh)" >&2
		fails=$((fails + 1))
	fi
}

K=465b5ce8b199b49faa5f0a2ee238a6bc # TS 35.208 test set 1
OPC=cd63cb71954a9f4e48a5994e37a02baf
R=23553cbe9637a89d218ae64dae47bf35
IMPI=001010123456789@ims.mnc001.mcc001.3gppnetwork.org
D69=440b916407281553f8000442507131540380320605040b8423f001061d6170706c69636174696f6e2f766e642e336770702e6762612e677069000100000000000000000000
# the GPI of tests/cli/gpi_cli.sh (vector 1 of tests/unit/test_gpi.c)
GPI=f100a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf1e73637330312e696f742e6f70657261746f722e6578616d706c652e636f6d0100000005006b36ec80105701982fa5f603921d2058eaab5bbce60702c2b6b3f4b7f24a3598c89d61e294

# ---- gbatool ----
golden gbatool_help "$G" --help
golden gbatool_usage "$G"
golden gbatool_milenage "$G" milenage --k $K --opc $OPC --rand $R \
	--sqn ff9bb4d0b607 --amf b9b9
golden gbatool_milenage_json "$G" milenage --k $K --opc $OPC --rand $R \
	--sqn ff9bb4d0b607 --amf b9b9 --json
golden gbatool_milenage_badhex "$G" milenage --k ${K%??}zz --opc $OPC \
	--rand $R --sqn ff9bb4d0b607 --amf b9b9
golden gbatool_sms_decode "$G" sms decode "$D69"
golden gbatool_sms_decode_json "$G" sms decode --json "$D69" \
	0791447758100650"$D69"
golden gbatool_sms_decode_bad "$G" sms decode 4400
golden gbatool_gpi_decode "$G" gpi decode "$GPI"
golden gbatool_gpi_decode_json "$G" gpi decode --json "$GPI"
golden gbatool_sms_encode "$G" sms encode --type deliver \
	--addr +46708251358 --port 2948 --payload 0102 \
	--scts 240517134530+08 --sca +447785016005
golden gbatool_sms_badnum "$G" sms encode --type deliver \
	--addr +46708251358 --port 65536 --payload 0102

# ---- gba-ue ----
golden gbaue_help "$UE" --help
golden gbaue_usage "$UE"
golden gbaue_init "$UE" --state "$tmp/ue" init --k $K --opc $OPC \
	--impi "$IMPI" --app-id 32769
golden gbaue_show_empty "$UE" --state "$tmp/ue" show
golden gbaue_init_no_opc "$UE" --state "$tmp/ue2" init --k $K \
	--impi "$IMPI" --app-id 32769

# ---- gba-scs ----
golden scs_help "$SCS" --help
golden scs_usage "$SCS"
for c in request push trigger resync show; do
	golden scs_${c}_help "$SCS" $c --help
done
golden scs_show_missing "$SCS" show --sa "$tmp/no-such-sa" --state "$tmp/scs"

[ $update = 1 ] && echo "golden: files refreshed in $HERE" && exit 0
[ $fails = 0 ] || { echo "golden: $fails case(s) differ" >&2; exit 1; }
echo "golden: all cases match"
