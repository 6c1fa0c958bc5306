#!/usr/bin/env bash
# bash completion (scripts/completion/gbapush.bash) for the five programs:
# commands, sub-commands and options (read from each program's --help).
set -euo pipefail
BUILD_DIR=${BUILD_DIR:?}
SRC_DIR=${SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
export PATH="$BUILD_DIR/bsf:$BUILD_DIR/ue-agent:$BUILD_DIR/scs:$BUILD_DIR/vectors:$PATH"
fail() { echo "FAIL: completion: $*" >&2; exit 1; }
# shellcheck source=/dev/null
. "$SRC_DIR/scripts/completion/gbapush.bash"
# comp "WORD WORD ... CUR": the completions of the last word
comp() {
	read -r -a COMP_WORDS <<<"$1"
	[ "${1: -1}" = " " ] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_gbapush_complete
	printf '%s\n' "${COMPREPLY[@]}"
}
# (the list captured first: grep -q ending early would break the pipe
# of comp under pipefail when the match comes first)
has() {
	local c
	c=$(comp "$1")
	grep -qx -- "$2" <<<"$c" || fail "'$1' does not offer '$2': $(tr '\n' ' ' <<<"$c")"
}
for p in gba-bsf gba-bsfctl gba-ue gba-scs gbatool; do
	complete -p "$p" | grep -q _gbapush_complete || fail "no completion for $p"
done
has "gba-bsfctl sub" subscriber
has "gba-bsfctl subscriber mo" modify
has "gba-bsfctl --db x.db naf re" remove
has "gba-bsfctl assoc im" import
has "gba-bsfctl import f.csv --on-conflict " update
has "gba-bsfctl subscriber add --tuak-r" --tuak-res-bits
has "gba-bsfctl rest" restore
has "gba-bsfctl ski" skip-ahead
has "gba-bsfctl co" copy
has "gba-bsfctl copy --fr" --from
has "gba-bsfctl copy --from x.db --t" --to
has "gba-ue --state d in" init
has "gba-ue init --tuak-i" --tuak-iterations
has "gba-scs req" request
has "gba-scs request --naf" --naf-fqdn
has "gba-scs show --js" --json
has "gbatool mil" milenage
has "gbatool tuak --tuak-m" --tuak-mac-bits
has "gbatool gpi b" build
has "gbatool gpi build --key-e" --key-expiry
has "gba-bsf --check" --check-config
echo "ok: completion"
