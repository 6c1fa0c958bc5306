/*
 * keyrow.h - the one decoder of a subscriber's stored key columns
 * (bsf-internal API).
 *
 * The store keeps K and OPc / TOPc as hex text and AMF as 4 hex digits
 * (docs/hss-store.md "Schema").  Every reader (the store's subscriber
 * read, the AuC's key row in hss.c, any backend) decodes them here, so
 * the length rules are written once: Milenage (TS 35.206) K and OPc of
 * 128 bits; TUAK (TS 35.231) K of 128 or 256 bits and TOPc of 256 bits;
 * AMF of 16 bits (TS 33.102 6.3.2).  Lengths are checked before the
 * branch-free gba_hex_decode() runs on the secret text (style.md C11).
 * Pure function: no database, no allocation, nothing logged.
 */
#ifndef BSF_KEYROW_H
#define BSF_KEYROW_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"
#include "gba/aka.h"

/* The key columns of one row as the backend returns them (borrowed). */
struct bsf_key_text {
	int alg;       /* enum gba_alg as stored */
	const char *k; /* hex, @k_len characters; NULL = column NULL */
	size_t k_len;
	const char *opc; /* hex, @opc_len characters */
	size_t opc_len;
	const char *amf; /* hex, @amf_len characters */
	size_t amf_len;
	unsigned tuak_iter; /* TUAK iterations and sizes in octets, as stored */
	size_t tuak_res, tuak_ck, tuak_ik;
};

/**
 * bsf_key_row_decode() - the key and AMF of @t.
 * @key: [out] alg, K, OPc / TOPc, TUAK sizes; wiped on failure
 * @amf: [out] 2 octets, may be NULL; wiped on failure
 * Return: GBA_OK; GBA_ERR_MALFORMED (unknown algorithm, missing column,
 * wrong length or non-hex text: a corrupt row).
 */
int bsf_key_row_decode(const struct bsf_key_text *t, struct gba_auth_key *key,
		       uint8_t amf[2]) GBA_WARN_UNUSED;

#endif
