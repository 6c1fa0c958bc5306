#!/usr/bin/env bash
# deb-build.sh OUT: build the Debian packages (debian/) from a temporary
# copy of the tree (dpkg-buildpackage writes next to the source and into
# it), binary only, unsigned; the .deb files and the .buildinfo/.changes
# end up in OUT.  One plain build: no parallel jobs beyond the host's.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:?usage: deb-build.sh OUT}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir "$W/gbapush"
# the files git knows plus new ones not ignored (never build trees);
# deleted-but-tracked files are skipped
(cd "$SRC" && git ls-files -z -c -o --exclude-standard |
	while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done |
	xargs -0 cp --parents -t "$W/gbapush")
cd "$W/gbapush"
t0=$(date +%s)
DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" dpkg-buildpackage -us -uc -b >"$W/build.log" 2>&1 ||
	{ tail -40 "$W/build.log" >&2; echo "deb-build: dpkg-buildpackage failed" >&2; exit 1; }
rm -f "$OUT"/*.deb "$OUT"/*.buildinfo "$OUT"/*.changes
mv "$W"/*.deb "$W"/*.buildinfo "$W"/*.changes "$OUT"/
echo "deb-build: $(ls "$OUT"/*.deb | wc -l) packages in $OUT ($(($(date +%s) - t0)) s)"
