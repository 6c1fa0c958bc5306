#!/usr/bin/env bash
# The source rules of style.md C19 hold for the whole tree.
exec bash "${SRC_DIR:-$(dirname "$0")/../..}/scripts/checksrc.sh"
