/* see gba/utf8.h - RFC 3629 well-formedness, for TS 33.220 Annex B.2.1 */
#include "gba/utf8.h"

/*
 * RFC 3629 section 4 (UTF8-octets ABNF):
 *   UTF8-1 = %x00-7F
 *   UTF8-2 = %xC2-DF UTF8-tail
 *   UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) /
 *            %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )
 *   UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) /
 *            %xF4 %x80-8F 2( UTF8-tail )
 *   UTF8-tail = %x80-BF
 */
int gba_utf8_check(const uint8_t *s, size_t len)
{
	size_t i = 0, n, k;
	uint8_t b, lo, hi;

	if (!s && len)
		return GBA_ERR_BAD_PARAM;
	while (i < len) {
		b = s[i];
		lo = 0x80;
		hi = 0xBF;
		if (b < 0x80) {
			i++;
			continue;
		} else if (b >= 0xC2 && b <= 0xDF) {
			n = 1;
		} else if (b >= 0xE0 && b <= 0xEF) {
			n = 2;
			if (b == 0xE0)
				lo = 0xA0; /* overlong */
			else if (b == 0xED)
				hi = 0x9F; /* surrogates */
		} else if (b >= 0xF0 && b <= 0xF4) {
			n = 3;
			if (b == 0xF0)
				lo = 0x90; /* overlong */
			else if (b == 0xF4)
				hi = 0x8F; /* above U+10FFFF */
		} else {
			return GBA_ERR_BAD_UTF8; /* 80..C1, F5..FF */
		}
		if (len - i - 1 < n)
			return GBA_ERR_BAD_UTF8; /* truncated sequence */
		if (s[i + 1] < lo || s[i + 1] > hi)
			return GBA_ERR_BAD_UTF8;
		for (k = 2; k <= n; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return GBA_ERR_BAD_UTF8;
		i += n + 1;
	}
	return GBA_OK;
}
