/*
 * libFuzzer: TS 23.040 TPDU decoder, both entry points (bare TPDU and the
 * modem form with the SMSC address), the UDH walker, and the
 * encode(decode(x)) == x property for the 8-bit/UCS2 TPDUs the encoder
 * supports.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "gba/sms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gba_sms_tpdu t;
	struct gba_sms_addr sca;
	struct gba_sms_udh u;
	uint8_t re[GBA_SMS_TPDU_MAX], sep[GBA_SMS_UD_SEPTETS_MAX];
	char s[128];
	size_t rl, pos = 0, l;
	const uint8_t *ied;
	uint8_t iei;

	if (gba_sms_pdu_decode(data, size, &sca, &t) == GBA_OK) {
		if (gba_sms_addr_to_str(&sca, s, sizeof(s)) != GBA_OK)
			abort();
	}
	if (gba_sms_tpdu_decode(data, size, &t) != GBA_OK)
		return 0;
	if (gba_sms_addr_to_str(&t.addr, s, sizeof(s)) != GBA_OK)
		abort();
	if (t.udhi) {
		if (gba_sms_udh_parse(t.udh, t.udh_len, &u) != GBA_OK)
			abort(); /* the decoder validated it */
		while (gba_sms_udh_next(t.udh, t.udh_len, &pos, &iei, &ied,
					&l) == GBA_OK)
			;
	}
	if (t.alphabet == GBA_SMS_ALPHA_GSM7) {
		size_t avail = t.ud_len - (size_t)(t.data - t.ud);

		if (gba_sms_gsm7_unpack(t.data, avail, t.data_skip,
					t.data_len, sep) != GBA_OK)
			abort();
		if (gba_sms_gsm7_to_utf8(sep, t.data_len, s, sizeof(s)) !=
			    GBA_OK &&
		    t.data_len < 40)
			abort();
		return 0;
	}
	if (gba_sms_tpdu_encode(&t, re, sizeof(re), &rl) != GBA_OK)
		abort();
	/* the encoder writes canonical fillers; compare re-decoded fields */
	{
		struct gba_sms_tpdu t2;

		if (gba_sms_tpdu_decode(re, rl, &t2) != GBA_OK ||
		    t2.ud_len != t.ud_len ||
		    memcmp(t2.ud, t.ud, t.ud_len) != 0 ||
		    !gba_sms_addr_eq(&t2.addr, &t.addr) || t2.dcs != t.dcs ||
		    t2.pid != t.pid)
			abort();
	}
	return 0;
}
