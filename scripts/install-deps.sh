#!/usr/bin/env bash
# Install the Debian 12 packages gbapush needs, only those missing.
# Uses apt-get directly as root, through sudo otherwise.  Usage:
#   scripts/install-deps.sh [extra-package ...]
set -euo pipefail

PKGS=(build-essential cmake pkg-config openssl curl
      libssl-dev libxml2-dev libmicrohttpd-dev libcunit1-dev
      libjansson-dev libsqlite3-dev libinih-dev libcurl4-openssl-dev libgnutls28-dev
      clang scdoc groff-base "$@")

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
