#!/usr/bin/env bash
# E2E, Zh over Diameter on TLS/TCP (RFC 6733 13, freeDiameter SecPort,
# certificates of tests/e2e/lib/diam.bash): zh_flow.sh with ZH_TLS=1.
set -euo pipefail
ZH_TLS=1 exec bash "${SRC_DIR:-$(dirname "$0")/../..}/tests/e2e/zh_flow.sh"
