/*
 * gba/sms_alphabet.h - the SMS data coding: TP-DCS alphabet selection and
 * the GSM 7-bit default alphabet with its packing.
 *
 * 3GPP TS 23.038 V17.x clause 4 (SMS Data Coding Scheme), clause 6.1.2.1.1
 * (packing of 7-bit characters, septets LSB first) and clause 6.2.1 (GSM
 * 7-bit default alphabet, 6.2.1.1 extension table).  Compressed and
 * reserved codings map as listed in docs/wire-formats.md ("SMS, WAP Push
 * and the GPI push").
 *
 * No heap, no stdio: usable by the UE firmware library.
 */
#ifndef GBA_SMS_ALPHABET_H
#define GBA_SMS_ALPHABET_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Alphabet derived from TP-DCS (TS 23.038 clause 4). */
#define GBA_SMS_ALPHA_GSM7 0
#define GBA_SMS_ALPHA_8BIT 1
#define GBA_SMS_ALPHA_UCS2 2

/**
 * gba_sms_gsm7_to_utf8() - GSM 7-bit default alphabet (23.038 6.2.1, with
 * the 6.2.1.1 extension table behind 0x1B) to UTF-8.  Septets without a
 * mapping become '?'.
 * Return: GBA_OK or GBA_ERR_NO_SPACE (@out NUL-terminated, @cap chars).
 */
GBA_EXPORT int gba_sms_gsm7_to_utf8(const uint8_t *septets, size_t n,
				    char *out, size_t cap) GBA_WARN_UNUSED;

/**
 * gba_sms_gsm7_unpack() - unpack septets from TP-UD style packed octets.
 * @buf/@len:  [in] packed octets
 * @skip_bits: [in] fill bits at the start (0..6)
 * @n:         [in] septets wanted; @out holds at least @n
 * Return: GBA_OK, GBA_ERR_TRUNCATED (buf too short), GBA_ERR_BAD_PARAM.
 */
GBA_EXPORT int gba_sms_gsm7_unpack(const uint8_t *buf, size_t len,
				   unsigned skip_bits, size_t n,
				   uint8_t *out) GBA_WARN_UNUSED;

/**
 * gba_sms_dcs_alphabet() - the alphabet TP-DCS selects (GBA_SMS_ALPHA_*).
 * Compressed and reserved codings map as documented in
 * docs/wire-formats.md ("SMS, WAP Push and the GPI push") (compressed = octets, reserved = GSM7).
 */
GBA_EXPORT uint8_t gba_sms_dcs_alphabet(uint8_t dcs);

#ifdef __cplusplus
}
#endif
#endif
