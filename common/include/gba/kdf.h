/*
 * gba/kdf.h - the 3GPP key derivation function and GBA NAF keys.
 *
 * 3GPP TS 33.220 V17.x, Annex B.2 (generic KDF) and Annex B.3 (NAF-specific
 * key derivation in GBA and GBA_U); NAF_Id per clause 4.2 / Annex H.
 *
 * Character strings (B.2.1: IMPI, the NAF FQDN) enter the KDF as UTF-8 of
 * their NFKC form.  This module has no Unicode tables (it is shared with
 * the no-heap UE library): it takes strings that are ALREADY NFKC and
 * only checks that they are well-formed UTF-8 (gba/utf8.h).  Host code
 * normalises first with gba_utf8_nfkc() (gba/utf8_nfkc.h).
 *
 *   S = FC || P0 || L0 || P1 || L1 || ... || Pn || Ln       (B.2.0)
 *   derived key = HMAC-SHA-256(Key, S)
 *   Li = length of Pi in octets, two octets big-endian; FC is one octet,
 *   or 0xFF followed by a second octet.
 */
#ifndef GBA_KDF_H
#define GBA_KDF_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GBA_KDF_OUT_LEN 32   /* HMAC-SHA-256 output */
#define GBA_KDF_MAX_PARAMS 16
#define GBA_KDF_MAX_PLEN 65535 /* Li is two octets */
#define GBA_FC_NAF 0x01      /* TS 33.220 B.3 */
#define GBA_RAND_LEN 16
#define GBA_CK_LEN 16
#define GBA_IK_LEN 16
#define GBA_KS_LEN 32        /* Ks = CK || IK */
#define GBA_UA_ID_LEN 5      /* Annex H Ua security protocol identifier */
#define GBA_FQDN_MAX 255
#define GBA_IMPI_MAX 255
#define GBA_NAF_ID_MAX (GBA_FQDN_MAX + GBA_UA_ID_LEN)

/**
 * gba_kdf() - TS 33.220 B.2 KDF with any FC and parameter list.
 * @key, @key_len: [in] the KDF key
 * @fc:   [in] 0x00..0xFE for a one-octet FC, 0xFF00..0xFFFF for 0xFF || FC2
 * @n:    [in] number of parameters P0..P(n-1), at most GBA_KDF_MAX_PARAMS
 * @p:    [in] parameter values; @plen their lengths, each <= 65535
 * @out:  [out] 32 octets
 * Return: GBA_OK, GBA_ERR_BAD_PARAM (bad FC or n), GBA_ERR_TOO_LARGE (a Pi
 * longer than 65535), GBA_ERR_CRYPTO.  @out is zeroed on failure.
 */
GBA_EXPORT int gba_kdf(const uint8_t *key, size_t key_len, uint16_t fc,
		       size_t n, const uint8_t *const p[], const size_t plen[],
		       uint8_t out[GBA_KDF_OUT_LEN]) GBA_WARN_UNUSED;

/**
 * gba_naf_id() - build NAF_Id = FQDN || Ua security protocol id (5 octets).
 * @fqdn: [in] NUL-terminated FQDN, UTF-8 already in NFKC, 1..255 octets
 * @out:  [out] buffer of GBA_NAF_ID_MAX octets; @out_len receives the length
 * Return: GBA_OK, GBA_ERR_BAD_PARAM (empty), GBA_ERR_TOO_LARGE,
 * GBA_ERR_BAD_UTF8 (not well-formed UTF-8).
 */
GBA_EXPORT int gba_naf_id(const char *fqdn, const uint8_t ua_id[GBA_UA_ID_LEN],
			  uint8_t out[GBA_NAF_ID_MAX], size_t *out_len)
	GBA_WARN_UNUSED;

/**
 * gba_kdf_naf_key() - TS 33.220 B.3:
 *   Ks_NAF / Ks_ext_NAF = KDF(Ks, "gba-me", RAND, IMPI, NAF_Id)   (@gba_u = 0)
 *   Ks_int_NAF          = KDF(Ks, "gba-u",  RAND, IMPI, NAF_Id)   (@gba_u = 1)
 * with FC = 0x01 and Ks = CK || IK.
 * @ks:     [in] Ks, 32 octets
 * @rand:   [in] RAND, 16 octets
 * @impi:   [in] IMPI, UTF-8 already in NFKC, 1..255 octets
 * @naf_id: [in] NAF_Id octets from gba_naf_id()
 * @out:    [out] the NAF key, 32 octets
 * Return: GBA_OK, GBA_ERR_BAD_PARAM, GBA_ERR_TOO_LARGE, GBA_ERR_BAD_UTF8
 * (IMPI or the FQDN part of NAF_Id not well-formed UTF-8), GBA_ERR_CRYPTO.
 */
GBA_EXPORT int gba_kdf_naf_key(const uint8_t ks[GBA_KS_LEN], int gba_u,
			       const uint8_t rand[GBA_RAND_LEN],
			       const uint8_t *impi, size_t impi_len,
			       const uint8_t *naf_id, size_t naf_id_len,
			       uint8_t out[GBA_KDF_OUT_LEN]) GBA_WARN_UNUSED;

/**
 * gba_ks_from_ck_ik() - Ks = CK || IK (TS 33.220 4.5.2).  Caller wipes @ks.
 */
GBA_EXPORT void gba_ks_from_ck_ik(const uint8_t ck[GBA_CK_LEN],
				  const uint8_t ik[GBA_IK_LEN],
				  uint8_t ks[GBA_KS_LEN]);

#ifdef __cplusplus
}
#endif
#endif
