/*
 * gba/utf8_nfkc.h - NFKC normalisation of KDF character strings (HOST
 * ONLY: libgba_nfkc, built on libutf8proc; not part of the firmware
 * build, the UE library takes strings that are already NFKC).
 *
 * 3GPP TS 33.220 V17.x, Annex B.2.1: "the character string shall be
 * normalised according to Normalisation Form KC (NFKC) [Unicode Standard
 * Annex #15], then encoded into octets using UTF-8 [RFC 3629]".  Host code
 * (gba-bsf, gba-bsfctl, scs/ and gba-scs, gbatool) passes every KDF string
 * input (IMPI, NAF FQDN) through gba_utf8_nfkc() before it reaches
 * gba_naf_id() / gba_kdf_naf_key().
 *
 * A pure function: no case folding, no IDNA mapping, no trimming.  Input
 * that is all ASCII is returned unchanged without calling the library
 * (ASCII is invariant under NFKC).
 */
#ifndef GBA_UTF8_NFKC_H
#define GBA_UTF8_NFKC_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest input accepted, octets (every KDF string here is <= 255). */
#define GBA_NFKC_IN_MAX 1024

/**
 * gba_utf8_nfkc() - NFKC-normalise UTF-8 text.
 * @in, @len: [in] UTF-8 octets, at most GBA_NFKC_IN_MAX
 * @out:      [out] @cap octets; receives the NFKC form and a NUL
 * @out_len:  [out] length without the NUL (0 on failure)
 * Return: GBA_OK; GBA_ERR_BAD_UTF8 (input not well-formed UTF-8);
 * GBA_ERR_TOO_LARGE (input over GBA_NFKC_IN_MAX, or the NFKC form plus
 * NUL does not fit @cap: NFKC can lengthen text); GBA_ERR_BAD_PARAM;
 * GBA_ERR_NOMEM.  @out is an empty string on failure.
 */
GBA_EXPORT int gba_utf8_nfkc(const uint8_t *in, size_t len, char *out,
			     size_t cap, size_t *out_len) GBA_WARN_UNUSED;

/**
 * gba_utf8_nfkc_str() - gba_utf8_nfkc() of a NUL-terminated string.
 * Return: as gba_utf8_nfkc().
 */
GBA_EXPORT int gba_utf8_nfkc_str(const char *in, char *out,
				 size_t cap) GBA_WARN_UNUSED;

#ifdef __cplusplus
}
#endif
#endif
