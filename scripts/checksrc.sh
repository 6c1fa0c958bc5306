#!/usr/bin/env bash
# checksrc.sh: banned functions and library rules (style.md C19).
# Prints every violation as file:line: reason, exits 1 if any.
set -uo pipefail
cd "$(dirname "$0")/.."
fail=0
report() { echo "$1"; fail=1; }

src=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]')

# 1. unbounded or error-blind C library calls, everywhere
banned='\b(strcpy|strcat|strncpy|sprintf|vsprintf|sscanf|atoi|atol|atoll|strtok|gets)[[:space:]]*\('
while IFS= read -r hit; do report "$hit: banned function"; done < <(grep -nHE "$banned" $src | grep -v 'checksrc: allow')

# 2. library code that runs in firmware or handles peer input: no heap, no stdio
#    (crypto_openssl.c and utf8_nfkc.c are host-only and may use the heap)
lib=$(echo "$src" | grep -E '^(common/src|gpl/src|ue-agent/src)/' | grep -v -e 'crypto_openssl.c' -e 'utf8_nfkc.c')
heap='\b(malloc|calloc|realloc|free|strdup)[[:space:]]*\('
stdio='\b(printf|fprintf|puts|fputs|fopen|fwrite|fread|perror)[[:space:]]*\('
for f in $lib; do
	grep -nHE "$heap" "$f" | grep -v 'checksrc: allow' | while IFS= read -r h; do echo "$h: heap in library code"; done
	grep -nHE "$stdio" "$f" | grep -v 'checksrc: allow' | while IFS= read -r h; do echo "$h: stdio in library code"; done
done > /tmp/checksrc.$$
[ -s /tmp/checksrc.$$ ] && { cat /tmp/checksrc.$$; fail=1; }
rm -f /tmp/checksrc.$$

# 3. secret comparisons: no plain memcmp in the crypto / authentication modules
for f in common/src/aka.c common/src/milenage.c common/src/tuak.c common/src/gpi.c gpl/src/msg.c gpl/src/sa.c; do
	[ -f "$f" ] || continue
	grep -nHE '\bmemcmp[[:space:]]*\(' "$f" | grep -v 'checksrc: allow' | while IFS= read -r h; do echo "$h: memcmp in crypto code (use gba_ct_eq)"; done
done > /tmp/checksrc.$$
[ -s /tmp/checksrc.$$ ] && { cat /tmp/checksrc.$$; fail=1; }
rm -f /tmp/checksrc.$$

# 4. code cites 3GPP clauses and docs/, never the project's out-of-tree spec notes
#    (their paths, their section numbers or their source ids): docs/spec-facts.md
#    holds the facts, each with its TS clause and label
code=$(git ls-files '*.c' '*.h' '*.sh' '*.py' '*CMakeLists.txt' '*.cmake' 2>/dev/null ||
	find . -name '*.[ch]' -o -name '*.sh' -o -name '*.py' -o -name CMakeLists.txt)
cite='shared/spec|gba-push\.md|gpl-sms-wap\.md|(spec|project)[ -]digest|digest[ ]+(section|sect\.|S[0-9]|[0-9§])|\[[VIU]([ ,]+digest)?[ ,]+S[0-9]+\]|source S[0-9]+\b' # checksrc: allow
while IFS= read -r hit; do report "$hit: cites the spec digests (cite the TS clause / docs/spec-facts.md)"; done < <(grep -nHiE "$cite" $code | grep -v 'checksrc: allow')

# 5. every source file is built: the source lists are explicit (no GLOB),
#    so a file added by one change and not listed would silently not be
#    compiled (or a test not run)
while IFS= read -r f; do
	comp=${f%%/*}
	rel=${f#*/}
	case $f in
	tests/unit/test_*.c)
		m=$(basename "$f" .c)
		grep -q "^  ${m#test_}:" tests/CMakeLists.txt ||
			report "$f: not in tests/CMakeLists.txt UNIT_TESTS" ;;
	*)
		grep -qF -- "$rel" "$comp/CMakeLists.txt" ||
			report "$f: not in $comp/CMakeLists.txt" ;;
	esac
done < <(git ls-files 'common/src/*.c' 'common/host/*.c' 'gpl/src/*.c' \
	'ue-agent/src/*.c' 'ue-agent/cli/*.c' 'scs/src/*.c' 'scs/cli/*.c' \
	'bsf/src/*.c' 'vectors/gbatool/*.c' 'tests/unit/test_*.c' 2>/dev/null)

[ $fail -eq 0 ] && echo "checksrc: clean"
exit $fail
