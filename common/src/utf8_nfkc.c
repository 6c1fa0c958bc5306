/*
 * see gba/utf8_nfkc.h - TS 33.220 Annex B.2.1 NFKC, via libutf8proc
 * (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT is NFKC, as
 * utf8proc_NFKC() uses).  Host only.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "gba/crypto.h"
#include "gba/utf8.h"
#include "gba/utf8_nfkc.h"

int gba_utf8_nfkc(const uint8_t *in, size_t len, char *out, size_t cap,
		  size_t *out_len)
{
	utf8proc_uint8_t *dst = NULL;
	const uint8_t *src = in;
	size_t i, n = len;
	int r;

	if (out_len)
		*out_len = 0;
	if (!out || cap == 0 || !out_len || (!in && len))
		return GBA_ERR_BAD_PARAM;
	out[0] = '\0';
	if (len > GBA_NFKC_IN_MAX)
		return GBA_ERR_TOO_LARGE;
	if ((r = gba_utf8_check(in, len)) != GBA_OK)
		return r;
	for (i = 0; i < len && in[i] < 0x80; i++)
		;
	/* ASCII is invariant under NFKC: copied as it is */
	if (i < len) {
		utf8proc_ssize_t m =
			utf8proc_map(in, (utf8proc_ssize_t)len, &dst,
				     (utf8proc_option_t)(UTF8PROC_STABLE |
							 UTF8PROC_COMPOSE |
							 UTF8PROC_COMPAT));

		if (m < 0) {
			free(dst);
			if (m == UTF8PROC_ERROR_NOMEM)
				return GBA_ERR_NOMEM;
			if (m == UTF8PROC_ERROR_OVERFLOW)
				return GBA_ERR_TOO_LARGE;
			return GBA_ERR_BAD_UTF8;
		}
		src = dst;
		n = (size_t)m;
	}
	if (n >= cap) {
		r = GBA_ERR_TOO_LARGE;
	} else {
		if (n)
			memcpy(out, src, n);
		out[n] = '\0';
		*out_len = n;
		r = GBA_OK;
	}
	if (dst) {
		/* an IMPI is not a key, but it is not for anyone else's heap
		 * either */
		gba_cleanse(dst, n);
		free(dst);
	}
	return r;
}

int gba_utf8_nfkc_str(const char *in, char *out, size_t cap)
{
	size_t n;

	if (!in)
		return GBA_ERR_BAD_PARAM;
	return gba_utf8_nfkc((const uint8_t *)in,
			     strnlen(in, GBA_NFKC_IN_MAX + 1), out, cap, &n);
}
