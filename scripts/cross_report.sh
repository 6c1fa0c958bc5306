#!/usr/bin/env bash
# Footprint of the Cortex-M4 firmware build (make cross): .text/.data/.bss
# of each library (sum over its objects, everything compiled in) and of
# gbaue-fw-image (what a firmware image links after --gc-sections,
# including newlib-nano's memcpy/memset/strlen and crt0), then the
# worst-case stack per entry point (scripts/stack_report.py).
set -euo pipefail
B=${1:-build-cross}
echo "== arm-none-eabi-size (libraries: totals over all objects)"
for lib in common/libgba.a gpl/libgpl.a ue-agent/libgbaue.a; do
	printf '%-22s ' "$lib"
	arm-none-eabi-size -t "$B/$lib" | tail -1 | awk '{printf "text %6d  data %5d  bss %6d\n", $1, $2, $3}'
done
echo "== float ABI (GBA_FLOAT_ABI; must match the firmware it is linked into)"
arm-none-eabi-readelf -A "$B/ue-agent/libgbaue.a" | grep -m1 -E 'Tag_ABI_VFP_args' ||
	echo "  Tag_ABI_VFP_args absent: base (soft-float) procedure-call standard"
arm-none-eabi-readelf -A "$B/ue-agent/libgbaue.a" | grep -m1 -E 'Tag_FP_arch' ||
	echo "  Tag_FP_arch absent: no FPU instructions"
echo "== firmware probe image (after --gc-sections)"
arm-none-eabi-size "$B/ue-agent/gbaue-fw-image"
echo "== worst-case stack (GCC -fstack-usage / -fcallgraph-info)"
python3 "$(dirname "$0")/stack_report.py" "$B"
