/* see gba/hex.h */
#include <string.h>
#include "gba/hex.h"
#include "gba/crypto.h"

/*
 * Value of one hex digit, or -1, computed without branches on the digit:
 * each range test yields an all-ones mask that selects its candidate value.
 */
static int hex_val(unsigned char ch)
{
	int c = ch;
	int num = ((('0' - 1) - c) & (c - ('9' + 1))) >> 8; /* '0'..'9' */
	int up = ((('A' - 1) - c) & (c - ('F' + 1))) >> 8;  /* 'A'..'F' */
	int lo = ((('a' - 1) - c) & (c - ('f' + 1))) >> 8;  /* 'a'..'f' */
	int v = (num & (c - '0')) | (up & (c - 'A' + 10)) |
		(lo & (c - 'a' + 10));

	return v | ~(num | up | lo); /* -1 when in no range */
}

int gba_hex_decode(const char *hex, size_t hex_len, uint8_t *out, size_t cap,
		   size_t *out_len)
{
	size_t i, n;
	int bad = 0;

	*out_len = 0;
	if (!hex || (hex_len & 1))
		return GBA_ERR_BAD_HEX;
	n = hex_len / 2;
	if (n > cap)
		return GBA_ERR_TOO_LARGE;
	for (i = 0; i < n; i++) {
		int hi = hex_val((unsigned char)hex[2 * i]);
		int lo = hex_val((unsigned char)hex[2 * i + 1]);

		bad |= hi | lo; /* negative if either was -1 */
		out[i] = (uint8_t)(((unsigned)hi << 4) | ((unsigned)lo & 0x0fu));
	}
	if (bad < 0) {
		gba_cleanse(out, n);
		return GBA_ERR_BAD_HEX;
	}
	*out_len = n;
	return GBA_OK;
}

int gba_hex_decode_exact(const char *hex, uint8_t *out, size_t n)
{
	size_t len, got;
	int r;

	if (!hex)
		return GBA_ERR_BAD_HEX;
	len = strlen(hex);
	if (len & 1)
		return GBA_ERR_BAD_HEX;
	if (len != 2 * n)
		return GBA_ERR_BAD_LENGTH;
	r = gba_hex_decode(hex, len, out, n, &got);
	return r;
}

int gba_hex_encode(const uint8_t *in, size_t n, char *out, size_t cap)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	if (cap < 2 * n + 1)
		return GBA_ERR_NO_SPACE;
	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * n] = '\0';
	return GBA_OK;
}
