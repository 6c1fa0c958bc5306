/*
 * gba/fqdn.h - the one FQDN rule of the project: the TS 29.571 (V17)
 * clause 5.2.2 Fqdn simple type, and the canonical form the KDF uses.
 *
 * Every place that takes a NAF FQDN checks it here: the Nbsp and Zpn
 * request decoders (bsf/), Push-NAF provisioning (bsf/ store), and the GPI
 * encoder and decoder (common/src/gpi.c, also built for the UE firmware:
 * no heap, no stdio).  docs/bsf.md "NAF FQDN case" and "NAF FQDN rule".
 */
#ifndef GBA_FQDN_H
#define GBA_FQDN_H

#include <stddef.h>
#include "gba/err.h"
#include "gba/kdf.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * gba_fqdn_valid() - @s matches the TS 29.571 Fqdn pattern
 * ^([0-9A-Za-z]([-0-9A-Za-z]{0,61}[0-9A-Za-z])?\.)+[A-Za-z]{2,63}\.?$
 * with 4..253 characters (an optional trailing root dot included): at
 * least two LDH labels of 1..63, the last one 2..63 letters.  ASCII only
 * (a non-ASCII name would need NFKC, TS 33.220 B.2.1, which the UE side
 * does not carry).  @s need not be NUL-terminated.
 * Return: 1 when valid, 0 otherwise.
 */
GBA_EXPORT int gba_fqdn_valid(const char *s, size_t len);

/**
 * gba_fqdn_canon() - the NAF FQDN as used everywhere after the edge (NAF_Id
 * of the TS 33.220 Annex B KDF, authorisation, GPI): without a trailing
 * root dot, lower-cased (DNS compares case-insensitively, RFC 4343; the KDF
 * takes octets).
 * @s, @len: [in] a name gba_fqdn_valid() accepted
 * @out:     [out] GBA_FQDN_MAX + 1 octets, NUL-terminated
 */
GBA_EXPORT void gba_fqdn_canon(const char *s, size_t len,
			       char out[GBA_FQDN_MAX + 1]);

#ifdef __cplusplus
}
#endif
#endif
