#!/usr/bin/env bash
# Refresh tests/golden/*.ok from the programs in BUILD_DIR (see run.sh).
exec bash "$(dirname "$0")/run.sh" --update
