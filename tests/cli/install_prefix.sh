#!/usr/bin/env bash
# cmake --install into a temporary prefix, then what a user of the
# installed gbapush does: the five programs, man pages and completion
# are there, the shared libraries carry a SONAME and export only the API,
# and examples/ (an SCS program and a UE integration) builds out of tree
# once through pkg-config and once through find_package(gbapush), and runs:
# the SCS example requests a GPI from a mock BSF (tests/cli/scs_mockbsf.py,
# mode "aka": a real GPI for TS 35.208 set 1 K/OPc, computed by gbatool)
# and protects a trigger; the UE example accepts that GPI and verifies
# that trigger.
set -euo pipefail
BUILD_DIR=${BUILD_DIR:-build}
SRC_DIR=${SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
GBATOOL=$BUILD_DIR/vectors/gbatool
. "$(dirname "$0")/lib/cli.bash"
cli_init
pass() { echo "ok: $*"; }

P=$T/prefix
cmake --install "$BUILD_DIR" --prefix "$P" > "$T/install.log" || fail "cmake --install"
LIBDIR=""
for d in lib lib64 "$P"/lib/*-linux-gnu; do
	d=${d#"$P"/}
	[ -e "$P/$d/libgbapush.so" ] && { LIBDIR=$d; break; }
done
[ -n "$LIBDIR" ] || fail "no libgbapush.so installed"

# ---- layout ----
for f in sbin/gba-bsf bin/gba-bsfctl bin/gba-ue bin/gba-scs bin/gbatool; do
	[ -x "$P/$f" ] || fail "program $f not installed"
done
for h in gba/err.h gba/gpi.h gpl/gpl.h gbaue/gbaue.h gbaue/port.h scs/scs.h; do
	[ -f "$P/include/gbapush/$h" ] || fail "header $h not installed"
done
for l in gbapush gbapush-gpl gbapush-ue gbapush-scs; do
	[ -f "$P/$LIBDIR/lib$l.a" ] || fail "static lib$l.a not installed"
	so=$P/$LIBDIR/lib$l.so
	[ -L "$so" ] || fail "lib$l.so (dev symlink) not installed"
	soname=$(objdump -p "$so" | awk '$1 == "SONAME" {print $2}')
	[ "$soname" = "lib$l.so.0" ] || fail "lib$l.so SONAME is '$soname'"
	[ -f "$P/$LIBDIR/$soname" ] || fail "$soname not installed"
	[ -f "$P/$LIBDIR/pkgconfig/$l.pc" ] || fail "$l.pc not installed"
done
pass "layout: 5 programs, headers under include/gbapush, 4 libraries (.a, .so with SONAME .so.0), 4 .pc files"
[ -f "$P/$LIBDIR/cmake/gbapush/gbapushConfig.cmake" ] || fail "CMake package"

# man pages (scdoc at build time), each renders without a groff warning
for m in man8/gba-bsf.8 man8/gba-bsfctl.8 man1/gba-ue.1 man1/gba-scs.1 man1/gbatool.1 \
	man5/gba-bsf.ini.5; do
	f=$P/share/man/$m
	[ -f "$f" ] || fail "man page $m not installed"
	name=$(basename "$m"); name=${name%.*}
	grep -q "^\.TH \"$name\" \"${m##*.}\"" "$f" || fail "$m: no .TH $name"
	w=$(groff -man -Tutf8 -ww -z "$f" 2>&1) || fail "$m: groff failed"
	[ -z "$w" ] || fail "$m: groff warnings: $w"
done
pass "man pages for the 5 programs and gba-bsf.ini(5) installed and render cleanly"

# bash completion, one file per program (bash-completion loads by name)
for p in gba-bsf gba-bsfctl gba-ue gba-scs gbatool; do
	f=$P/share/bash-completion/completions/$p
	[ -f "$f" ] || fail "bash completion $p not installed"
	bash -n "$f" || fail "bash completion $p: syntax"
done
pass "bash completion installed for the 5 programs"

# symbol visibility: the API is exported, internals are not
syms() { nm -D --defined-only "$P/$LIBDIR/lib$1.so" | awk '{print $3}'; }
syms gbapush > "$T/s.gba"
grep -qx gba_strerror "$T/s.gba" || fail "gba_strerror not exported"
grep -qx gba_milenage_f1 "$T/s.gba" || grep -qx gba_aka_av "$T/s.gba" || fail "gba_aka_av not exported"
syms gbapush-scs > "$T/s.scs"
grep -qx scs_bsf_push_info "$T/s.scs" || fail "scs_bsf_push_info not exported"
# every exported function of the SCS library is declared in scs/scs.h
while read -r s; do
	case $s in _init | _fini | _edata | _end | __bss_start) continue ;; esac
	grep -q "\b$s\b" "$P/include/gbapush/scs/scs.h" ||
		fail "libgbapush-scs exports $s, not in scs/scs.h"
done < "$T/s.scs"
syms gbapush-ue > "$T/s.ue"
grep -qx gbaue_init "$T/s.ue" || fail "gbaue_init not exported"
grep -q '^gbaue_.*_i$\|agent_' "$T/s.ue" && fail "internal symbols exported by libgbapush-ue"
pass "shared libraries export the API of their headers only"

# an ASan/UBSan build installs instrumented libraries: the examples must
# then be built with the same runtime
SAN=""
grep -q '^GBA_SANITIZE:BOOL=ON' "$BUILD_DIR/CMakeCache.txt" &&
	SAN="-fsanitize=address,undefined -fno-omit-frame-pointer"

# ---- examples through pkg-config ----
export PKG_CONFIG_PATH=$P/$LIBDIR/pkgconfig
[ "$(pkg-config --modversion gbapush-scs)" = "$(sed -n 's/^project(gbapush VERSION \([0-9.]*\).*/\1/p' "$SRC_DIR/CMakeLists.txt")" ] ||
	fail "pkg-config --modversion gbapush-scs"
mkdir "$T/pc"
# shellcheck disable=SC2046,SC2086
cc $SAN -std=c11 -Wall -Wextra -Werror -o "$T/pc/scs_trigger" "$SRC_DIR/examples/scs_trigger.c" \
	$(pkg-config --cflags --libs gbapush-scs) || fail "scs_trigger via pkg-config"
# shellcheck disable=SC2046,SC2086
cc $SAN -std=c11 -Wall -Wextra -Werror -o "$T/pc/ue_agent" "$SRC_DIR/examples/ue_agent.c" \
	$(pkg-config --cflags --libs gbapush-ue) || fail "ue_agent via pkg-config"
# and statically: pkg-config --static brings libcrypto, libcurl, jansson
# shellcheck disable=SC2046,SC2086
cc $SAN -std=c11 -o "$T/pc/ue_agent_static" "$SRC_DIR/examples/ue_agent.c" \
	-Wl,-Bstatic $(pkg-config --libs-only-l --static gbapush-ue | sed 's/-lcrypto//') \
	-Wl,-Bdynamic -lcrypto $(pkg-config --cflags gbapush-ue) -L"$P/$LIBDIR" ||
	fail "ue_agent static via pkg-config"
pass "examples built through pkg-config (shared, and the UE one static)"

# ---- examples through find_package(gbapush) ----
cmake -S "$SRC_DIR/examples" -B "$T/cm" -DCMAKE_PREFIX_PATH="$P" -DCMAKE_C_FLAGS="$SAN" > "$T/cm.log" 2>&1 ||
	{ cat "$T/cm.log"; fail "find_package(gbapush) configure"; }
cmake --build "$T/cm" > "$T/cmb.log" 2>&1 || { cat "$T/cmb.log"; fail "find_package build"; }
# the four imported targets of the issue, each a shared library
mkdir "$T/tg"
cat >"$T/tg/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.18)
project(gbapush_targets LANGUAGES C)
find_package(gbapush REQUIRED)
foreach(t gba gpl ue scs)
  if(NOT TARGET gbapush::${t})
    message(FATAL_ERROR "no target gbapush::${t}")
  endif()
  get_target_property(type gbapush::${t} TYPE)
  if(NOT type STREQUAL "SHARED_LIBRARY")
    message(FATAL_ERROR "gbapush::${t} is ${type}")
  endif()
endforeach()
CM
cmake -S "$T/tg" -B "$T/tg/b" -DCMAKE_PREFIX_PATH="$P" > "$T/tg.log" 2>&1 ||
	{ cat "$T/tg.log"; fail "find_package(gbapush) targets"; }
pass "examples built through find_package(gbapush); gbapush::gba, ::gpl, ::ue, ::scs defined"

# ---- run them: mock BSF, SCS example -> UE example ----
K=465b5ce8b199b49faa5f0a2ee238a6bc
OPC=cd63cb71954a9f4e48a5994e37a02baf
IMPI=001010000000001@ims.mnc001.mcc001.3gppnetwork.org
cli_mock_bsf

for how in pc cm; do
	# the programs must run from the installed libraries, not the build tree
	LD_LIBRARY_PATH=$P/$LIBDIR "$T/$how/scs_trigger" "$URL" "$T/scs.crt" "$T/scs.key" "$T/ca.crt" \
		"$IMPI" scs.example.org 0102ff > "$T/scs.out" || fail "$how: scs_trigger failed"
	gpi=$(sed -n 's/^gpi=//p' "$T/scs.out")
	ses=$(sed -n 's/^session=//p' "$T/scs.out")
	trig=$(sed -n 's/^trigger=//p' "$T/scs.out")
	[ -n "$gpi" ] && [ -n "$trig" ] || fail "$how: scs_trigger output: $(cat "$T/scs.out")"
	LD_LIBRARY_PATH=$P/$LIBDIR "$T/$how/ue_agent" $K $OPC "$IMPI" 16001 "$gpi" "$ses" "$trig" \
		> "$T/ue.out" || fail "$how: ue_agent failed: $(cat "$T/ue.out")"
	printf 'GPI_ACCEPTED\nTRIGGER sn=1 payload=0102ff\n' | cmp -s - "$T/ue.out" ||
		fail "$how: ue_agent: $(cat "$T/ue.out")"
	LD_LIBRARY_PATH=$P/$LIBDIR ldd "$T/$how/ue_agent" > "$T/ldd"; grep -q "libgbapush-ue.so.0 => $P/" "$T/ldd" ||
		fail "$how: ue_agent not linked against the installed libgbapush-ue: $(cat "$T/ldd")"
	pass "$how: SCS example's GPI accepted and trigger verified by the UE example"
done
# a tampered trigger is refused (the run above is not a rubber stamp)
LD_LIBRARY_PATH=$P/$LIBDIR "$T/pc/ue_agent_static" $K $OPC "$IMPI" 16001 "$gpi" "$ses" \
	"${trig%??}$(printf '%02x' $(( (0x${trig: -2} + 1) % 256 )))" > "$T/ue.out" || true
grep -q '^GPI_ACCEPTED$' "$T/ue.out" || fail "static ue_agent: $(cat "$T/ue.out")"
grep -q '^REJECTED' "$T/ue.out" || fail "tampered trigger not rejected: $(cat "$T/ue.out")"
pass "static UE example: GPI accepted, tampered trigger rejected"
echo "install_prefix: all checks passed"
