#!/usr/bin/env bash
# make demo: the best end-to-end demonstration available.
# Today: replay every 3GPP and project test-data file through the core.
set -euo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
echo "== gbapush demo: replaying vectors/ through the crypto core =="
"$BUILD/vectors/gbatool" vectors run
