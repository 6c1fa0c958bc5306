/*
 * libFuzzer target: the UTF-8 check (common/src/utf8.c, used by the UE
 * library on the GPI's NAF_Id and the IMPI) and the host NFKC normaliser
 * (common/src/utf8_nfkc.c), TS 33.220 Annex B.2.1.  Invariants:
 * - gba_utf8_check() agrees with an independent decoder, libutf8proc's
 *   utf8proc_iterate() (RFC 3629: no overlongs, surrogates, > U+10FFFF);
 * - the normaliser fails exactly on ill-formed input (or a too small
 *   output), its output is well-formed, NUL-terminated and a fixed point
 *   (NFKC is idempotent, UAX #15).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <utf8proc.h>
#include "gba/utf8.h"
#include "gba/utf8_nfkc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int ref_valid(const uint8_t *s, size_t n)
{
	utf8proc_int32_t cp;
	size_t i = 0;

	while (i < n) {
		utf8proc_ssize_t k = utf8proc_iterate(
			s + i, (utf8proc_ssize_t)(n - i), &cp);

		if (k <= 0 || cp < 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[8 * GBA_NFKC_IN_MAX], again[8 * GBA_NFKC_IN_MAX];
	size_t n = 0, m = 0;
	int ok, r;

	if (size > GBA_NFKC_IN_MAX)
		return 0;
	ok = gba_utf8_check(data, size) == GBA_OK;
	if (ok != ref_valid(data, size))
		__builtin_trap();
	r = gba_utf8_nfkc(data, size, out, sizeof(out), &n);
	if (!ok) {
		if (r != GBA_ERR_BAD_UTF8 || n != 0 || out[0] != '\0')
			__builtin_trap();
		return 0;
	}
	if (r == GBA_ERR_TOO_LARGE)
		return 0; /* NFKC may grow past the buffer */
	if (r != GBA_OK || out[n] != '\0' ||
	    gba_utf8_check((const uint8_t *)out, n) != GBA_OK)
		__builtin_trap();
	if (n > GBA_NFKC_IN_MAX)
		return 0;
	r = gba_utf8_nfkc((const uint8_t *)out, n, again, sizeof(again), &m);
	if (r != GBA_OK || m != n || memcmp(out, again, n) != 0)
		__builtin_trap();
	return 0;
}
