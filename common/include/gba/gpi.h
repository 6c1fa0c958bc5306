/*
 * gba/gpi.h - GBA Push Information (GPI), the object the BSF builds and the
 * UE agent consumes.
 *
 * 3GPP TS 33.223 V17.x clause 5.2.1 (GPI contents) and 5.3.5 (GPI
 * encoding).  The byte layout of 5.3.5 was NOT available to this project
 * ([GAP], docs/spec-facts.md section 9): the layout implemented
 * here is a PROJECT CHOICE, documented field by field in
 * docs/wire-formats.md and identified by its version octet, so that a
 * confirmed layout can replace it without touching callers.  This module is
 * the only place that knows the layout.
 *
 * The GPI is protected with keys derived from the ME-side NAF key
 * (Ks_NAF for GBA_ME, Ks_ext_NAF for GBA_U): the P-TID is encrypted and the
 * whole GPI is integrity protected (docs/wire-formats.md gives the KDF
 * labels and algorithms, also project choices).
 */
#ifndef GBA_GPI_H
#define GBA_GPI_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"
#include "gba/kdf.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GBA_PTID_MAX 64        /* P-TID octets (project limit) */
#define GBA_APP_LABEL_MAX 32   /* UICC application label octets */
#define GBA_GPI_MAX 512        /* an encoded GPI never exceeds this */

/*
 * Layout versions.  0xF0..0xFF are the project's own layouts (the first
 * octet of every GPI this module writes); a confirmed TS 33.223 5.3.5 layout
 * is added as another table entry under its own version value.
 */
#define GBA_GPI_VERSION_P1 0xF1  /* project layout 1 (docs/wire-formats.md) */
#define GBA_GPI_TAG_LEN 16       /* P1: HMAC-SHA-256 truncated to 128 bits */
#define GBA_GPI_FLAG_GBA_U 0x01  /* P1 flags bit 0: GBA_U, AUTN field is AUTN* */
/* TS 33.220 B.2 two-octet FC (0xFF || 0xF0) of the project's own derivations */
#define GBA_FC_GBAPUSH 0xFFF0

/* Decoded / to-be-encoded GPI fields (everything except the P-TID plaintext). */
struct gba_gpi_info {
	uint8_t version;                       /* set by encode; checked by decode */
	int gba_u;                             /* 1: GBA_U (AUTN field is AUTN*) */
	uint8_t rand[GBA_RAND_LEN];
	uint8_t autn[16];                      /* AUTN (GBA_ME) or AUTN* (GBA_U) */
	uint8_t naf_id[GBA_NAF_ID_MAX];        /* FQDN || Ua security protocol id */
	size_t naf_id_len;
	uint8_t app_label[GBA_APP_LABEL_MAX];  /* UICC application label */
	size_t app_label_len;                  /* 0: default USIM */
	uint64_t key_expiry;                   /* NAF key expiry, Unix seconds UTC */
	uint8_t p_tid_enc[GBA_PTID_MAX];       /* encrypted P-TID (decode output) */
	size_t p_tid_len;
	size_t tag_off;                        /* decode output: offset of the
						* integrity tag in the GPI */
};

/**
 * gba_gpi_build() - BSF side: encode a GPI, encrypting @p_tid and adding the
 * integrity tag under keys derived from @naf_key.
 * @info:    [in] all fields except version, p_tid_enc and tag_off (ignored)
 * @p_tid:   [in] P-TID plaintext, 1..GBA_PTID_MAX octets
 * @naf_key: [in] Ks_NAF (GBA_ME) or Ks_ext_NAF (GBA_U), 32 octets
 * @out:     [out] buffer of @cap octets; *@out_len receives the length
 * Return: GBA_OK, GBA_ERR_BAD_PARAM, GBA_ERR_TOO_LARGE, GBA_ERR_NO_SPACE,
 * GBA_ERR_CRYPTO.
 */
GBA_EXPORT int gba_gpi_build(const struct gba_gpi_info *info,
			     const uint8_t *p_tid, size_t p_tid_len,
			     const uint8_t naf_key[GBA_KDF_OUT_LEN],
			     uint8_t *out, size_t cap, size_t *out_len)
	GBA_WARN_UNUSED;

/**
 * gba_gpi_decode() - parse a GPI without any key.  The P-TID stays
 * encrypted (info->p_tid_enc) and the tag is not checked: nothing decoded
 * here may be trusted until gba_gpi_open() succeeds.
 * Return: GBA_OK, GBA_ERR_TRUNCATED, GBA_ERR_MALFORMED, GBA_ERR_TOO_LARGE,
 * GBA_ERR_VERSION, GBA_ERR_TRAILING, GBA_ERR_BAD_PARAM (@info NULL).  On
 * error *@info is all zero.
 */
GBA_EXPORT int gba_gpi_decode(const uint8_t *buf, size_t len,
			      struct gba_gpi_info *info) GBA_WARN_UNUSED;

/**
 * gba_gpi_open() - UE side, after deriving the NAF key: verify the GPI tag
 * in constant time and decrypt the P-TID.
 * @buf, @len:  [in] the GPI
 * @naf_key:    [in] Ks_NAF (GBA_ME) or Ks_ext_NAF (GBA_U), 32 octets
 * @p_tid:      [out] @cap octets; *@p_tid_len receives the P-TID length
 * Return: GBA_OK, decoder errors, GBA_ERR_MAC (tag wrong: nothing is
 * written to @p_tid), GBA_ERR_NO_SPACE (checked after the tag),
 * GBA_ERR_BAD_PARAM, GBA_ERR_CRYPTO.  *@p_tid_len is 0 on every error.
 */
GBA_EXPORT int gba_gpi_open(const uint8_t *buf, size_t len,
			    const uint8_t naf_key[GBA_KDF_OUT_LEN],
			    uint8_t *p_tid, size_t cap, size_t *p_tid_len)
	GBA_WARN_UNUSED;

/**
 * gba_gpi_open_decoded() - gba_gpi_open() for a GPI already walked by
 * gba_gpi_decode(): the tag is checked and the P-TID decrypted from the
 * views in @info (RAND, encrypted P-TID, tag offset), so the GPI is parsed
 * once.  @info must be gba_gpi_decode()'s output for the same @buf/@len
 * (its naf_id may have been changed since; it is not used here).
 * Return: as gba_gpi_open(); GBA_ERR_BAD_PARAM also when @info does not fit
 * @len.
 */
GBA_EXPORT int gba_gpi_open_decoded(const uint8_t *buf, size_t len,
				    const struct gba_gpi_info *info,
				    const uint8_t naf_key[GBA_KDF_OUT_LEN],
				    uint8_t *p_tid, size_t cap,
				    size_t *p_tid_len) GBA_WARN_UNUSED;

/**
 * gba_gpi_encoded_len() - size of the GPI gba_gpi_build() would produce for
 * @info and a P-TID of @p_tid_len octets (project layout P1).
 * Return: the length in octets, or 0 if a field is out of range (then
 * gba_gpi_build() fails with the corresponding error).
 */
GBA_EXPORT size_t gba_gpi_encoded_len(const struct gba_gpi_info *info,
				      size_t p_tid_len);

/**
 * gba_gpi_naf_fqdn() - the FQDN part of a decoded NAF_Id (a view into
 * @info, not NUL-terminated) and the 5-octet Ua security protocol id.
 * Return: GBA_OK, or GBA_ERR_MALFORMED if naf_id_len <= GBA_UA_ID_LEN.
 */
GBA_EXPORT int gba_gpi_naf_fqdn(const struct gba_gpi_info *info,
				const uint8_t **fqdn, size_t *fqdn_len,
				const uint8_t **ua_id) GBA_WARN_UNUSED;

#ifdef __cplusplus
}
#endif
#endif
