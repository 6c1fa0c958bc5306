/*
 * sms_i.h - internal to the SMS modules of libgba (not installed).
 *
 * gba_sms_gsm7_pack() - pack @n septets LSB first into (7n + 7) / 8 octets
 * of @out (TS 23.038 V17.x clause 6.1.2.1.1); the inverse of
 * gba_sms_gsm7_unpack() with no fill bits.  Used for alphanumeric
 * addresses (TS 23.040 clause 9.1.2.5).
 */
#ifndef GBA_SMS_I_H
#define GBA_SMS_I_H

#include <stddef.h>
#include <stdint.h>
#include "gba/sms.h"

void gba_sms_gsm7_pack(const uint8_t *sept, size_t n, uint8_t *out);

/*
 * gba_sms_addr_build() - the frame of the gba_sms_addr_* constructors
 * from text (sms_tpdu.c, sms_alphabet.c): *@a cleared first and left so
 * on every error; @build fills a zeroed address from @s, and *@a takes it
 * only when @build returns GBA_OK.  GBA_ERR_BAD_PARAM for a NULL @s or @a,
 * otherwise what @build returns.
 */
int gba_sms_addr_build(const char *s, struct gba_sms_addr *a,
		       int (*build)(const char *s, struct gba_sms_addr *t));

#endif
