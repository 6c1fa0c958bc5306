#!/usr/bin/env bash
# libgbaue and what it links from common/ and gpl/ must not reference the
# heap, stdio or other OS services (style.md C12).  Checks the undefined
# symbols of every object in libgbaue.a, libgpl.a and libgba_portable.a
# (the firmware set: libgba.a itself carries the OpenSSL backend, which is
# host-only).  Env: BUILD_DIR (ctest sets it).
set -euo pipefail
BUILD_DIR=${BUILD_DIR:?BUILD_DIR not set}
banned='^(malloc|calloc|realloc|free|strdup|printf|fprintf|vfprintf|sprintf|snprintf|vsnprintf|puts|fputs|putchar|fopen|fclose|fread|fwrite|fflush|perror|exit|abort|time|clock_gettime|gettimeofday|open|read|write|close|getrandom|pthread_[a-z_]+|__printf_chk|__fprintf_chk|__snprintf_chk|__sprintf_chk)$'
status=0
checked=0
for lib in ue-agent/libgbaue.a gpl/libgpl.a common/libgba_portable.a; do
	f="$BUILD_DIR/$lib"
	if [ ! -f "$f" ]; then
		echo "FAIL: $f not built" >&2
		exit 1
	fi
	# nm -A: "archive:member:  U symbol"
	bad=$(nm -A --undefined-only "$f" | awk '{print $1, $NF}' |
		while read -r where sym; do
			if [[ "$sym" =~ $banned ]]; then echo "$where $sym"; fi
		done)
	if [ -n "$bad" ]; then
		echo "FAIL: forbidden symbols in $lib:" >&2
		echo "$bad" >&2
		status=1
	fi
	checked=$((checked + 1))
done
# the check itself must be able to fail: a known-bad object is caught
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include <stdlib.h>\nvoid *f(void);\nvoid *f(void) { return malloc(4); }\n' > "$tmp/bad.c"
cc -c -o "$tmp/bad.o" "$tmp/bad.c"
if ! nm --undefined-only "$tmp/bad.o" | awk '{print $NF}' | grep -Eq "$banned"; then
	echo "FAIL: the symbol filter does not catch malloc" >&2
	exit 1
fi
[ $status -eq 0 ] && echo "ok: $checked libraries free of heap/stdio/OS symbols"
exit $status
