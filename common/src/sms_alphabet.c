/* see gba/sms_alphabet.h (TS 23.038 clauses 4, 6.1.2.1.1 and 6.2.1) */
#include <string.h>
#include "gba/sms.h"
#include "sms_i.h"

/* ---- GSM 7-bit default alphabet, TS 23.038 clause 6.2.1 ---- */

/* Unicode code point of each septet; 0x1B (escape) has none. */
static const uint16_t gsm7_basic[128] = {
	0x0040, 0x00A3, 0x0024, 0x00A5, 0x00E8, 0x00E9, 0x00F9, 0x00EC,
	0x00F2, 0x00C7, 0x000A, 0x00D8, 0x00F8, 0x000D, 0x00C5, 0x00E5,
	0x0394, 0x005F, 0x03A6, 0x0393, 0x039B, 0x03A9, 0x03A0, 0x03A8,
	0x03A3, 0x0398, 0x039E, 0xFFFF, 0x00C6, 0x00E6, 0x00DF, 0x00C9,
	0x0020, 0x0021, 0x0022, 0x0023, 0x00A4, 0x0025, 0x0026, 0x0027,
	0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F,
	0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
	0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
	0x00A1, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
	0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F,
	0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057,
	0x0058, 0x0059, 0x005A, 0x00C4, 0x00D6, 0x00D1, 0x00DC, 0x00A7,
	0x00BF, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067,
	0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F,
	0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,
	0x0078, 0x0079, 0x007A, 0x00E4, 0x00F6, 0x00F1, 0x00FC, 0x00E0,
};

#define GSM7_ESC 0x1B

/* Extension table behind the escape, TS 23.038 clause 6.2.1.1. */
static const struct {
	uint8_t septet;
	uint16_t cp;
} gsm7_ext[] = {
	{ 0x0A, 0x000C }, { 0x14, 0x005E }, { 0x28, 0x007B }, { 0x29, 0x007D },
	{ 0x2F, 0x005C }, { 0x3C, 0x005B }, { 0x3D, 0x007E }, { 0x3E, 0x005D },
	{ 0x40, 0x007C }, { 0x65, 0x20AC },
};

static size_t utf8_put(char *out, size_t cap, size_t pos, uint32_t cp)
{
	uint8_t b[3];
	size_t n, i;

	if (cp < 0x80) {
		b[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (uint8_t)(0xC0 | cp >> 6);
		b[1] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 2;
	} else {
		b[0] = (uint8_t)(0xE0 | cp >> 12);
		b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 3;
	}
	if (pos >= cap || n > cap - pos - 1)
		return (size_t)-1;
	for (i = 0; i < n; i++)
		out[pos + i] = (char)b[i];
	return pos + n;
}

int gba_sms_gsm7_to_utf8(const uint8_t *septets, size_t n, char *out,
			 size_t cap)
{
	size_t i, j, pos = 0;

	if (!out || cap == 0)
		return GBA_ERR_NO_SPACE;
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		uint32_t cp = '?';
		uint8_t s = septets[i] & 0x7F;

		if (s == GSM7_ESC && i + 1 < n) {
			uint8_t e = septets[++i] & 0x7F;

			for (j = 0; j < GBA_ARRAY_SIZE(gsm7_ext); j++)
				if (gsm7_ext[j].septet == e)
					cp = gsm7_ext[j].cp;
		} else if (s != GSM7_ESC) {
			cp = gsm7_basic[s];
		}
		pos = utf8_put(out, cap, pos, cp);
		if (pos == (size_t)-1) {
			out[0] = '\0';
			return GBA_ERR_NO_SPACE;
		}
	}
	out[pos] = '\0';
	return GBA_OK;
}

/* Next code point of NUL-terminated UTF-8 (1..3 octet forms); -1 bad. */
static long utf8_next(const char **sp)
{
	const uint8_t *s = (const uint8_t *)*sp;
	uint32_t cp;
	size_t n, i;

	if (s[0] < 0x80) {
		cp = s[0];
		n = 1;
	} else if ((s[0] & 0xE0) == 0xC0) {
		cp = s[0] & 0x1Fu;
		n = 2;
	} else if ((s[0] & 0xF0) == 0xE0) {
		cp = s[0] & 0x0Fu;
		n = 3;
	} else {
		return -1;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = cp << 6 | (s[i] & 0x3Fu);
	}
	*sp += n;
	return (long)cp;
}

/* UTF-8 text of the GSM 7-bit default alphabet and its extension table */
static int addr_alnum(const char *utf8, struct gba_sms_addr *t)
{
	size_t j;

	t->ton = GBA_SMS_TON_ALPHANUMERIC;
	while (*utf8) {
		long cp = utf8_next(&utf8);
		int basic = -1, ext = -1;

		if (cp < 0)
			return GBA_ERR_BAD_PARAM;
		for (j = 0; j < 128; j++)
			if (j != GSM7_ESC && gsm7_basic[j] == cp) {
				basic = (int)j;
				break;
			}
		if (basic < 0)
			for (j = 0; j < GBA_ARRAY_SIZE(gsm7_ext); j++)
				if (gsm7_ext[j].cp == cp)
					ext = gsm7_ext[j].septet;
		if (basic < 0 && ext < 0)
			return GBA_ERR_BAD_PARAM;
		if (t->n + (basic < 0 ? 2 : 1) > GBA_SMS_ALNUM_MAX)
			return GBA_ERR_TOO_LARGE;
		if (basic < 0) {
			t->v[t->n++] = GSM7_ESC;
			t->v[t->n++] = (uint8_t)ext;
		} else {
			t->v[t->n++] = (uint8_t)basic;
		}
	}
	return GBA_OK;
}

int gba_sms_addr_alnum(const char *utf8, struct gba_sms_addr *a)
{
	return gba_sms_addr_build(utf8, a, addr_alnum);
}

/* ---- 7-bit packing (23.038 6.1.2.1.1: septets LSB first) ---- */

int gba_sms_gsm7_unpack(const uint8_t *buf, size_t len, unsigned skip_bits,
			size_t n, uint8_t *out)
{
	size_t i;

	if (n == 0)
		return GBA_OK;
	if (skip_bits > 6 || !buf || !out || n > SIZE_MAX / 8)
		return GBA_ERR_BAD_PARAM;
	/* octets needed: ceil((skip + 7n) / 8) */
	if ((skip_bits + 7 * n + 7) / 8 > len)
		return GBA_ERR_TRUNCATED;
	for (i = 0; i < n; i++) {
		size_t bit = skip_bits + 7 * i, o = bit / 8;
		unsigned sh = (unsigned)(bit % 8);
		unsigned v = (unsigned)buf[o] >> sh;

		if (sh > 1)
			v |= (unsigned)buf[o + 1] << (8 - sh);
		out[i] = (uint8_t)(v & 0x7F);
	}
	return GBA_OK;
}

void gba_sms_gsm7_pack(const uint8_t *sept, size_t n, uint8_t *out)
{
	size_t i, nb = (7 * n + 7) / 8;

	memset(out, 0, nb);
	for (i = 0; i < n; i++) {
		size_t bit = 7 * i, o = bit / 8;
		unsigned sh = (unsigned)(bit % 8);
		unsigned v = (unsigned)(sept[i] & 0x7F) << sh;

		out[o] |= (uint8_t)v;
		if (sh > 1)
			out[o + 1] |= (uint8_t)(v >> 8);
	}
}

/* ---- TP-DCS (TS 23.038 clause 4) ---- */

uint8_t gba_sms_dcs_alphabet(uint8_t dcs)
{
	unsigned grp = dcs >> 4;

	if (grp <= 0x7) {
		/* 00xx / 01xx general and auto-deletion groups */
		if (dcs & 0x20)
			return GBA_SMS_ALPHA_8BIT; /* compressed: octets */
		switch ((dcs >> 2) & 3) {
		case 1:
			return GBA_SMS_ALPHA_8BIT;
		case 2:
			return GBA_SMS_ALPHA_UCS2;
		default:
			return GBA_SMS_ALPHA_GSM7; /* 00, reserved 11 */
		}
	}
	if (grp == 0xE)
		return GBA_SMS_ALPHA_UCS2;  /* message waiting, store, UCS2 */
	if (grp == 0xF)
		return (dcs & 0x04) ? GBA_SMS_ALPHA_8BIT : GBA_SMS_ALPHA_GSM7;
	return GBA_SMS_ALPHA_GSM7;          /* 1000..1011 reserved, 1100/1101 */
}
