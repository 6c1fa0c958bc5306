/* see ptid.h */
#include "gba/crypto.h"
#include "ptid.h"

int bsf_ptid_random(char out[BSF_PTID_RANDOM_LEN + 1])
{
	static const char b64u[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				   "qrstuvwxyz0123456789-_";
	uint8_t rnd[BSF_PTID_RANDOM_BITS / 8 + 1];
	size_t i, o = 0;
	int r;

	out[0] = '\0';
	if ((r = gba_random(rnd, BSF_PTID_RANDOM_BITS / 8)) != 0)
		return r;
	rnd[BSF_PTID_RANDOM_BITS / 8] = 0;
	/* 16 octets -> 22 base64url characters (RFC 4648 5, no padding) */
	for (i = 0; i < 15; i += 3) {
		uint32_t v = (uint32_t)rnd[i] << 16 | (uint32_t)rnd[i + 1] << 8 |
			     rnd[i + 2];

		out[o++] = b64u[(v >> 18) & 63];
		out[o++] = b64u[(v >> 12) & 63];
		out[o++] = b64u[(v >> 6) & 63];
		out[o++] = b64u[v & 63];
	}
	out[o++] = b64u[rnd[15] >> 2];
	out[o++] = b64u[(rnd[15] & 3) << 4];
	out[o] = '\0';
	gba_cleanse(rnd, sizeof(rnd));
	return GBA_OK;
}
