# bash completion for the gbapush programs: gba-bsf, gba-bsfctl, gba-ue,
# gba-scs, gbatool.  Installed (cmake --install, the Debian packages) as
# <datadir>/bash-completion/completions/<program>, one copy per program:
# bash-completion loads the file named after the command on first use.
# Options are read from the programs' own --help, so they never drift.

# Long options in the --help text of "$@" (the program and any command).
_gbapush_help_opts()
{
	"$@" --help 2>/dev/null | grep -oE -- '--[a-z0-9][a-z0-9-]*' | sort -u
}

# Complete a file name after options that take one.
_gbapush_file_opt()
{
	case "$1" in
	--db | --config | -c | --check-config | --guss | -o | --output | \
		--cert | --key | --ca | --sa | --state | --reader | --modem | \
		--dir | --from)
		return 0 ;;
	esac
	return 1
}

_gbapush_complete()
{
	local cur prev prog words cmd sub i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	prog=${COMP_WORDS[0]}
	COMPREPLY=()
	if _gbapush_file_opt "$prev"; then
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0
	fi
	# the command and sub-command: the first words not starting with -
	# (gba-ue and gba-bsfctl take an option value before them)
	cmd="" sub=""
	for ((i = 1; i < COMP_CWORD; i++)); do
		case "${COMP_WORDS[i]}" in
		-*) _gbapush_file_opt "${COMP_WORDS[i]}" && ((i++)) ;;
		*) if [ -z "$cmd" ]; then cmd=${COMP_WORDS[i]}; elif [ -z "$sub" ]; then sub=${COMP_WORDS[i]}; fi ;;
		esac
	done
	case "$prog" in
	*gba-bsfctl)
		if [ -z "$cmd" ] && [[ $cur != -* ]]; then
			words="init subscriber naf assoc import export gen copy backup restore skip-ahead"
		elif [ -z "$sub" ] && [[ $cur != -* ]]; then
			case "$cmd" in
			subscriber | sub) words="add list show modify remove" ;;
			naf) words="add list show modify remove" ;;
			assoc) words="add list remove import" ;;
			import | backup | restore)
				mapfile -t COMPREPLY < <(compgen -f -- "$cur")
				return 0 ;;
			esac
		else
			words="$(_gbapush_help_opts "$prog")"
			[ "$prev" = --on-conflict ] && words="fail skip update"
			[ "$prev" = --alg ] && words="milenage tuak"
		fi ;;
	*gba-ue)
		if [ -z "$cmd" ] && [[ $cur != -* ]]; then
			words="init receive show"
		else
			words="$(_gbapush_help_opts "$prog") --force --json"
		fi ;;
	*gba-scs)
		if [ -z "$cmd" ] && [[ $cur != -* ]]; then
			words="request push trigger resync show"
		elif [ -n "$cmd" ]; then
			words="$(_gbapush_help_opts "$prog" "$cmd") --json"
			[ "$prev" = --ue-id-type ] && words="public private"
		else
			words="--help --version --json"
		fi ;;
	*gbatool)
		if [ -z "$cmd" ] && [[ $cur != -* ]]; then
			words="vectors milenage tuak av auts resync kdf ks-naf sms gpi"
		elif [ -n "$cmd" ] && [ -z "$sub" ] && [[ $cur != -* ]] &&
			[[ $cmd == sms || $cmd == gpi || $cmd == vectors ]]; then
			case "$cmd" in
			sms) words="decode encode" ;;
			gpi) words="decode build" ;;
			vectors) words="run" ;;
			esac
		elif [ -n "$cmd" ]; then
			words="$(_gbapush_help_opts "$prog" "$cmd" $sub)"
		else
			words="--help --version"
		fi ;;
	*gba-bsf)
		words="$(_gbapush_help_opts "$prog")" ;;
	esac
	mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
	return 0
}

complete -F _gbapush_complete gba-bsf gba-bsfctl gba-ue gba-scs gbatool
