#!/usr/bin/env bash
# Install the Debian 12 packages gbapush needs, only those missing.
# Uses apt-get directly as root, through sudo otherwise.  Usage:
#   scripts/install-deps.sh [extra-package ...]
set -euo pipefail

# libpcsclite-dev: gba-ue --reader (PC/SC).  pcscd, vsmartcard-vpcd,
# python3-cryptography, iproute2: tests/e2e/flow_uicc.sh (our own pcscd
# with the virtual reader, the USIM card model's Milenage, the loopback of
# a private network namespace).  python3-pyscard: checking a reader by
# hand (docs/ue-agent.md).  libpq-dev: the PostgreSQL store backend
# (bsf/src/store_pg.c).  postgresql: the throwaway clusters of its tests
# (tests/e2e/lib/pg.bash: initdb, pg_ctl, psql).  libfreediameter-dev:
# Diameter Zh/Zpn (common/diam, libfdcore/libfdproto; libfdcore6 comes
# with it).  tshark: the Diameter capture tests dissect our MAR/MAA and
# GPR/GPA (tests/e2e/diam_zpn_capture.sh).
PKGS=(build-essential cmake pkg-config openssl curl
      libssl-dev libxml2-dev libmicrohttpd-dev libcunit1-dev
      libjansson-dev libsqlite3-dev libpq-dev libinih-dev libcurl4-openssl-dev libgnutls28-dev
      libutf8proc-dev python3 python3-jsonschema valgrind clang
      libpcsclite-dev pcscd vsmartcard-vpcd python3-pyscard python3-cryptography
      iproute2 scdoc groff-base postgresql
      libfreediameter-dev tshark "$@")

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
