#!/usr/bin/env bash
# deb-check.sh DIR: check the Debian packages deb-build.sh left in DIR
# without installing them: contents (dpkg-deb -c), control data (conffiles,
# maintainer scripts, dependencies), lintian without errors, the systemd
# unit's hardening and systemd-analyze verify on it.
set -euo pipefail
D=${1:?usage: deb-check.sh DIR}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }
deb() { ls "$D"/"$1"_*.deb 2>/dev/null | grep -v dbgsym | head -1; }
has() { # package path...
	local p=$1 f
	shift
	dpkg-deb -c "$(deb "$p")" | awk '{print $6}' | sed 's|^\./|/|' >"$T/list"
	for f in "$@"; do
		grep -qx -- "$f" "$T/list" || fail "$p: $f missing"
	done
}
for p in gba-bsf gbapush-tools libgbapush0 libgbapush-dev; do
	[ -n "$(deb $p)" ] || fail "no $p package in $D"
done

MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
has gba-bsf /usr/sbin/gba-bsf /usr/bin/gba-bsfctl /etc/gba-bsf/gba-bsf.ini \
	/lib/systemd/system/gba-bsf.service /usr/lib/sysusers.d/gba-bsf.conf \
	/usr/share/man/man8/gba-bsf.8.gz /usr/share/man/man8/gba-bsfctl.8.gz \
	/usr/share/man/man5/gba-bsf.ini.5.gz /usr/share/doc/gba-bsf/copyright \
	/usr/share/bash-completion/completions/gba-bsf \
	/usr/share/bash-completion/completions/gba-bsfctl
has gbapush-tools /usr/bin/gba-scs /usr/bin/gba-ue /usr/bin/gbatool \
	/usr/share/man/man1/gba-scs.1.gz /usr/share/man/man1/gba-ue.1.gz \
	/usr/share/man/man1/gbatool.1.gz \
	/usr/share/bash-completion/completions/gba-scs \
	/usr/share/bash-completion/completions/gba-ue \
	/usr/share/bash-completion/completions/gbatool
libs=()
for l in gbapush gbapush-gpl gbapush-ue gbapush-scs; do libs+=("/usr/lib/$MA/lib$l.so.0"); done
has libgbapush0 "${libs[@]}"
has libgbapush-dev /usr/include/gbapush/gba/err.h /usr/include/gbapush/scs/scs.h \
	/usr/include/gbapush/gbaue/gbaue.h /usr/include/gbapush/gpl/gpl.h \
	"/usr/lib/$MA/libgbapush.so" "/usr/lib/$MA/libgbapush-scs.a" \
	"/usr/lib/$MA/pkgconfig/gbapush-scs.pc" "/usr/lib/$MA/cmake/gbapush/gbapushConfig.cmake"
# nothing of the build or test machinery leaks into the packages
for p in gba-bsf gbapush-tools libgbapush0 libgbapush-dev; do
	dpkg-deb -c "$(deb $p)" | grep -E 'bsfcore|gbavec|bench|test|/tmp/|/build' &&
		fail "$p ships build/test files"
done
pass "package contents"

dpkg-deb -e "$(deb gba-bsf)" "$T/ctl"
grep -qx /etc/gba-bsf/gba-bsf.ini "$T/ctl/conffiles" || fail "gba-bsf.ini is not a conffile"
grep -q 'systemd-sysusers.*gba-bsf' "$T/ctl/postinst" || fail "postinst does not create the gba-bsf user"
grep -q 'deb-systemd-invoke.*start' "$T/ctl/postinst" && fail "postinst starts an unconfigured daemon"
dpkg-deb -f "$(deb libgbapush-dev)" Depends | grep -q 'libgbapush0 (= ' || fail "-dev does not depend on the library"
dpkg-deb -f "$(deb gba-bsf)" Depends | grep -q 'libmicrohttpd' || fail "gba-bsf Depends (shlibs)"
pass "control: conffile, system user via sysusers, not started, dependencies"

# the unit: hardened, and systemd accepts it
dpkg-deb -x "$(deb gba-bsf)" "$T/root"
U=$T/root/lib/systemd/system/gba-bsf.service
for kv in 'User=gba-bsf' 'StateDirectory=gba-bsf' 'ProtectSystem=strict' \
	'NoNewPrivileges=yes' 'CapabilityBoundingSet=' 'AmbientCapabilities=' \
	'ExecReload=/bin/kill -HUP $MAINPID'; do
	grep -qxF "$kv" "$U" || fail "unit: no '$kv'"
done
grep -q '^CapabilityBoundingSet=.' "$U" && fail "unit: capabilities granted"
grep -q '^User=root' "$U" && fail "unit runs as root"
# verify checks that ExecStart binaries exist: use the packaged ones
sed "s|/usr/sbin/gba-bsf|$T/root/usr/sbin/gba-bsf|g" "$U" >"$T/gba-bsf.service"
# Documentation=man: pages are looked up in the package itself
if ! MANPATH=$T/root/usr/share/man systemd-analyze verify "$T/gba-bsf.service" >"$T/verify" 2>&1; then
	cat "$T/verify" >&2
	fail "systemd-analyze verify"
fi
grep -v 'Failed to open /dev/tty\|pending events\|Failed to connect to bus' "$T/verify" | grep . &&
	fail "systemd-analyze verify printed warnings"
pass "systemd unit hardened (own user, StateDirectory, ProtectSystem=strict, NoNewPrivileges, no capabilities), systemd-analyze verify clean"

lintian --fail-on error --suppress-tags-from-file /dev/null "$D"/*.changes >"$T/lintian" 2>&1 ||
	{ cat "$T/lintian" >&2; fail "lintian reports errors"; }
pass "lintian: no errors ($(grep -c '^W:' "$T/lintian" || true) warnings)"
grep '^[WI]:' "$T/lintian" | sed 's/^/  /' | head -20 || true
echo "deb-check: all checks passed"
