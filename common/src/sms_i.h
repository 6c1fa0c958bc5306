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

void gba_sms_gsm7_pack(const uint8_t *sept, size_t n, uint8_t *out);

#endif
