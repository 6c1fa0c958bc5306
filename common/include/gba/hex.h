/*
 * gba/hex.h - hex text <-> octets.
 *
 * The decoder is branch-free over the digit values (style.md C11) so it can
 * take K and OPc from a store or a command line; it checks the length first.
 * Upper and lower case are accepted; the encoder writes lower case.
 */
#ifndef GBA_HEX_H
#define GBA_HEX_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * gba_hex_decode() - decode hex text of any even length.
 * @hex:     [in] text, need not be NUL terminated
 * @hex_len: [in] number of characters in @hex
 * @out:     [out] buffer of @cap octets
 * @out_len: [out] octets written (0 on failure)
 * Return: GBA_OK; GBA_ERR_BAD_HEX for an odd length or a non-hex character;
 * GBA_ERR_TOO_LARGE when @cap is too small.  @out is wiped on failure.
 */
GBA_EXPORT int gba_hex_decode(const char *hex, size_t hex_len, uint8_t *out,
			      size_t cap, size_t *out_len) GBA_WARN_UNUSED;

/**
 * gba_hex_decode_exact() - decode NUL-terminated hex that must be exactly
 * @n octets.  Return: GBA_OK, GBA_ERR_BAD_HEX or GBA_ERR_BAD_LENGTH.
 */
GBA_EXPORT int gba_hex_decode_exact(const char *hex, uint8_t *out, size_t n)
	GBA_WARN_UNUSED;

/**
 * gba_hex_encode() - lower-case hex of @n octets plus a NUL into @out, which
 * must hold 2 * @n + 1 characters.  Return: GBA_OK or GBA_ERR_NO_SPACE.
 */
GBA_EXPORT int gba_hex_encode(const uint8_t *in, size_t n, char *out,
			      size_t cap);

#ifdef __cplusplus
}
#endif
#endif
