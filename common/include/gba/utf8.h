/*
 * gba/utf8.h - UTF-8 well-formedness check for KDF character strings.
 *
 * 3GPP TS 33.220 V17.x, Annex B.2.1: a character string input to the KDF
 * is first normalised to NFKC (Unicode Standard Annex #15) and then
 * encoded as UTF-8 (IETF RFC 3629).  This module only checks the encoding:
 * it has no Unicode tables, no heap and no stdio, so the UE library
 * (ue-agent/) and the firmware build use it.  NFKC normalisation itself is
 * host-only (gba/utf8_nfkc.h).
 *
 * Well-formed means RFC 3629 section 4 (the Unicode "well-formed UTF-8
 * byte sequences" table): no overlong forms, no surrogates U+D800..U+DFFF,
 * nothing above U+10FFFF, no stray continuation octets, no truncated
 * sequence.  U+0000 is well-formed UTF-8 and is accepted here; callers
 * taking C strings cannot pass it anyway.
 */
#ifndef GBA_UTF8_H
#define GBA_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * gba_utf8_check() - is @s[0..@len) well-formed UTF-8 (RFC 3629)?
 * @s:   [in] octets (may be NULL when @len is 0)
 * @len: [in] number of octets
 * Return: GBA_OK, GBA_ERR_BAD_UTF8 (ill-formed), GBA_ERR_BAD_PARAM
 * (@s NULL with @len > 0).
 */
GBA_EXPORT int gba_utf8_check(const uint8_t *s, size_t len) GBA_WARN_UNUSED;

#ifdef __cplusplus
}
#endif
#endif
