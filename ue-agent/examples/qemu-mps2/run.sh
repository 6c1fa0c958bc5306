#!/usr/bin/env bash
# run.sh - make test-firmware: build the QEMU mps2-an386 example of the UE
# agent in its variants, run each under qemu-system-arm with a time limit,
# compare the printed events with the golden files, check the generated
# source list (docs/firmware/) and build the example from it without
# CMake, report instructions per operation and the memory of both
# profiles, end with "FIRMWARE OK".
#   BUILD     host build directory (gbaue-testgen makes the SMS PDUs)
#   FW_BUILD  prefix of the firmware build directories
# Variants (all Cortex-M4, portable crypto, software USIM on Milenage):
#   default  profile default, hard float (FPv4-SP), constant-time AES
#   small    profile small, hard float
#   soft     profile default, soft float (Cortex-M4 without FPU)
#   tables   profile default, hard float, table-based AES (GBA_AES_TABLES)
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../../.." && pwd)
HERE=$SRC/ue-agent/examples/qemu-mps2
BUILD=${BUILD:-build}
FW_BUILD=${FW_BUILD:-build-fw}
JOBS=${JOBS:-2}
cd "$SRC"
fail() { echo "test-firmware: FAIL: $*" >&2; exit 1; }

# 1. the host side: gbaue-testgen (BSF and SCS roles) for the PDUs
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
	cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGBA_WERROR=ON >/dev/null
fi
cmake --build "$BUILD" -j "$JOBS" --target gbaue-testgen >/dev/null
TESTGEN=$(cd "$BUILD" && pwd)/ue-agent/gbaue-testgen

# 2. build and run each variant
run_variant() { # name golden cmake-flags...
	local v=$1 golden=$2 dir=$FW_BUILD-$1
	shift 2
	cmake -S . -B "$dir" -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake \
		-DCMAKE_BUILD_TYPE=MinSizeRel -DGBA_FIRMWARE=ON -DGBA_WERROR=ON \
		-DGBAUE_TESTGEN="$TESTGEN" --no-warn-unused-cli "$@" >/dev/null
	cmake --build "$dir" -j "$JOBS" >/dev/null || fail "$v: build"
	timeout 60 qemu-system-arm -M mps2-an386 -nographic -monitor none \
		-semihosting-config enable=on,target=native \
		-icount shift=0,align=off,sleep=off \
		-kernel "$dir/ue-agent/examples/qemu-mps2/gbaue-qemu-mps2" \
		> "$dir/run.txt" 2>&1 || { rc=$?; cat "$dir/run.txt"; fail "$v: QEMU run (exit $rc)"; }
	grep -v -e '^insns:' -e '^info:' "$dir/run.txt" > "$dir/events.txt"
	diff -u "$HERE/$golden" "$dir/events.txt" || fail "$v: events differ from $golden"
	echo "== $v: $(grep '^info:' "$dir/run.txt" | cut -c7-)"
	grep '^insns:' "$dir/run.txt" | sed 's/^insns: /   insns  /'
}
run_variant default golden-default.txt -DGBA_FLOAT_ABI=hard -DGBAUE_PROFILE=default
run_variant small golden-small.txt -DGBA_FLOAT_ABI=hard -DGBAUE_PROFILE=small
run_variant soft golden-default.txt -DGBA_FLOAT_ABI=soft -DGBAUE_PROFILE=default
run_variant tables golden-default.txt -DGBA_FLOAT_ABI=hard -DGBAUE_PROFILE=default -DGBA_AES_TABLES=ON

# 3. the generated source list for non-CMake builds is current, and the
# Make fragment alone builds the example (same events as the CMake build)
mkdir -p "$FW_BUILD-list"
python3 scripts/gen_fw_sources.py "$FW_BUILD-list" "$FW_BUILD-default" "$FW_BUILD-small"
for f in gbaue-sources.txt gbaue.mk; do
	diff -u "docs/firmware/$f" "$FW_BUILD-list/$f" ||
		fail "docs/firmware/$f is stale: python3 scripts/gen_fw_sources.py docs/firmware $FW_BUILD-default $FW_BUILD-small"
done
make -s -f "$HERE/standalone.mk" GBAPUSH_DIR="$SRC" OUT="$FW_BUILD-list" \
	PDUS_DIR="$FW_BUILD-default/ue-agent/examples/qemu-mps2" || fail "standalone.mk build"
timeout 60 qemu-system-arm -M mps2-an386 -nographic -monitor none \
	-semihosting-config enable=on,target=native -icount shift=0,align=off,sleep=off \
	-kernel "$FW_BUILD-list/gbaue-qemu-mps2" > "$FW_BUILD-list/run.txt" 2>&1 ||
	fail "standalone: QEMU run"
grep -v -e '^insns:' -e '^info:' "$FW_BUILD-list/run.txt" | diff -u "$HERE/golden-default.txt" - ||
	fail "standalone: events differ"
echo "== generated source list current; standalone.mk (docs/firmware/gbaue.mk) build: events as golden"

# 4. memory of the two profiles: the agent's static RAM (context, software
# USIM, the libraries' own .data/.bss) plus its worst-case stack
echo "== memory (Cortex-M4, hard float, portable constant-time crypto)"
printf '%-8s %6s %6s %6s %6s %8s %6s %11s %6s\n' profile ctx usim lib_ram stack total limit stack_tuak flash
for p in default small; do
	dir=$FW_BUILD-$p
	img=$dir/ue-agent/gbaue-fw-image
	sym() { printf '%d' "0x$(arm-none-eabi-nm -S "$img" | awk -v s="$1" '$4 == s {print $2}')"; }
	ctx=$(sym ctx); usim=$(sym usim)
	lib=0
	for a in common/libgba.a gpl/libgpl.a ue-agent/libgbaue.a; do
		n=$(arm-none-eabi-size -t "$dir/$a" | tail -1 | awk '{print $2 + $3}')
		lib=$((lib + n))
	done
	stack=$(python3 scripts/stack_report.py --exclude gba_tuak --max "$dir")
	stack_tuak=$(python3 scripts/stack_report.py --max "$dir")
	flash=$(arm-none-eabi-size "$img" | tail -1 | awk '{print $1 + $2}')
	total=$((ctx + usim + lib + stack))
	limit=$([ $p = default ] && echo 12288 || echo 6144)
	printf '%-8s %6d %6d %6d %6d %8d %6d %11d %6d\n' $p "$ctx" "$usim" $lib "$stack" $total $limit "$stack_tuak" "$flash"
	[ $total -le $limit ] || fail "profile $p: $total octets of RAM, limit $limit"
	[ "$flash" -le 32768 ] || fail "profile $p: flash $flash octets, limit 32768"
done
echo "FIRMWARE OK"
