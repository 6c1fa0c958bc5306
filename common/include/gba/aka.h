/*
 * gba/aka.h - UMTS AKA over Milenage or TUAK, network and USIM side.
 *
 * 3GPP TS 33.102 V17.0.0 clause 6.3.2 (AV: RAND, XRES, CK, IK,
 * AUTN = SQN xor AK || AMF || MAC), 6.3.3 (USIM verification, AUTS =
 * SQN_MS xor AK* || MAC-S, with MAC-S over the dummy AMF 0x0000),
 * 6.3.5 (resynchronisation); TS 33.220 V17.x clause 5.3.2 / 5.4 (GBA_U:
 * AUTN* = SQN xor AK || AMF || MAC*, MAC* = MAC xor Trunc64(SHA-1(IK))).
 * MAC, RES and MAC-S comparisons are constant time; secrets are wiped.
 * The AMF separation bit is not checked (docs/sqn.md).  The TS 33.102 text
 * was not available: the formulas here are [U] (docs/sqn.md), the
 * f1..f5* outputs are checked against 3GPP test data.
 */
#ifndef GBA_AKA_H
#define GBA_AKA_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"
#include "gba/sqn.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GBA_AUTN_LEN 16
#define GBA_AUTS_LEN 14
#define GBA_RES_MAX 32
#define GBA_KEY_MAX 32

enum gba_alg {
	GBA_ALG_MILENAGE = 1,
	GBA_ALG_TUAK = 2,
};

/*
 * A subscriber's long-term secret and algorithm parameters.  For Milenage
 * k_len = 16 and opc holds OPc (16).  For TUAK k_len is 16 or 32, opc holds
 * TOPc (32), and the instance sizes are given below (MAC must be 64 bits
 * for AKA, since AUTN carries a 64-bit MAC).  Wipe with gba_auth_key_clear().
 */
struct gba_auth_key {
	enum gba_alg alg;
	uint8_t k[GBA_KEY_MAX];
	size_t k_len;
	uint8_t opc[GBA_KEY_MAX];      /* OPc or TOPc */
	/* TUAK instance (ignored for Milenage): */
	unsigned keccak_iterations;    /* >= 1 */
	size_t res_len;                /* 4, 8, 16 or 32 octets */
	size_t ck_len;                 /* 16 or 32 */
	size_t ik_len;                 /* 16 or 32 */
};

/* One authentication vector (TS 33.102 6.3.2). */
struct gba_av {
	uint8_t rand[16];
	uint8_t autn[GBA_AUTN_LEN];
	uint8_t xres[GBA_RES_MAX];
	size_t xres_len;
	uint8_t ck[GBA_KEY_MAX];
	size_t ck_len;
	uint8_t ik[GBA_KEY_MAX];
	size_t ik_len;
	uint8_t ak[6];
};

/* What the USIM returns from a successful AUTHENTICATE. */
struct gba_usim_res {
	uint8_t res[GBA_RES_MAX];
	size_t res_len;
	uint8_t ck[GBA_KEY_MAX];
	size_t ck_len;
	uint8_t ik[GBA_KEY_MAX];
	size_t ik_len;
	uint64_t sqn; /* the accepted SQN */
};

/*
 * struct gba_av and struct gba_usim_res hold XRES/RES, CK and IK: the
 * caller wipes them with gba_cleanse() when done.
 */

/** gba_auth_key_clear() - wipe; NULL-safe. */
GBA_EXPORT void gba_auth_key_clear(struct gba_auth_key *key);

/**
 * gba_aka_av() - network side: the AV for exactly @sqn and @rand
 * (TS 33.102 6.3.2): XRES = f2, CK = f3, IK = f4, AK = f5,
 * AUTN = SQN xor AK || AMF || f1(K, SQN, RAND, AMF).
 * @key:  [in] subscriber key (TUAK: the MAC is 64 bits)
 * @rand: [in] RAND, 128 bits (the caller draws it, e.g. gba_random())
 * @sqn:  [in] SQN, at most 2^48 - 1 (gba_sqn_he_next())
 * @amf:  [in] AMF, 16 bits, copied as is
 * @av:   [out] cleared at entry; lengths set from the key
 * Return: GBA_OK, GBA_ERR_BAD_PARAM, GBA_ERR_CRYPTO.  @av wiped on failure.
 */
GBA_EXPORT int gba_aka_av(const struct gba_auth_key *key,
			  const uint8_t rand[16], uint64_t sqn,
			  const uint8_t amf[2], struct gba_av *av)
	GBA_WARN_UNUSED;

/**
 * gba_aka_autn_star() - TS 33.220 5.3.2: AUTN* from AUTN and IK (GBA_U),
 * MAC* = MAC xor Trunc64(SHA-1(IK)), Trunc64 taken as the first 8 octets
 * of the SHA-1 output (project reading, unconfirmed: docs/sqn.md).  SQN xor AK
 * and AMF are copied.  The same function maps AUTN* back.
 * @autn: [in] 16 octets (may equal @out)
 * @ik, @ik_len: [in] IK, 16 or 32 octets (TUAK may have 256-bit IK)
 * @out:  [out] 16 octets; zeroed on failure
 * Return: GBA_OK, GBA_ERR_BAD_PARAM, GBA_ERR_CRYPTO.
 */
GBA_EXPORT int gba_aka_autn_star(const uint8_t autn[GBA_AUTN_LEN],
				 const uint8_t *ik, size_t ik_len,
				 uint8_t out[GBA_AUTN_LEN]) GBA_WARN_UNUSED;

/**
 * gba_aka_usim() - USIM side of AKA (TS 33.102 6.3.3).
 * @key:    [in] the USIM's K and OPc / TOPc
 * @ms:     [in,out] SQN array; updated only on GBA_OK
 * @rand, @autn: [in] from the network; for @gba_u the AUTN is AUTN*
 * @gba_u:  [in] nonzero: AUTN is AUTN* (GBA_U bootstrapping context)
 * @res:    [out] RES, CK, IK, SQN on GBA_OK
 * @auts:   [out] AUTS for SQN_MS = gba_sqn_ms_highest() on GBA_ERR_SYNC,
 *          zeroed otherwise (may be NULL)
 * Order (6.3.3): AK, SQN = Conc xor AK, XMAC compared in constant time,
 * then the SQN check of @ms; the SQN is committed to @ms only after both.
 * Return: GBA_OK; GBA_ERR_MAC (MAC-A wrong: nothing changes);
 * GBA_ERR_SYNC (MAC right, SQN not acceptable: @auts filled);
 * GBA_ERR_BAD_PARAM; GBA_ERR_CRYPTO.
 */
GBA_EXPORT int gba_aka_usim(const struct gba_auth_key *key,
			    struct gba_sqn_ms *ms, const uint8_t rand[16],
			    const uint8_t autn[GBA_AUTN_LEN], int gba_u,
			    struct gba_usim_res *res,
			    uint8_t auts[GBA_AUTS_LEN]) GBA_WARN_UNUSED;

/**
 * gba_aka_auts() - USIM side: AUTS = SQN_MS xor AK* || MAC-S with
 * AK* = f5*(K, RAND), MAC-S = f1*(K, SQN_MS, RAND, AMF = 0x0000)
 * (TS 33.102 6.3.3).  @auts is zeroed first and on failure.
 * Return: GBA_OK, GBA_ERR_BAD_PARAM (sqn_ms > 2^48 - 1, bad key),
 * GBA_ERR_CRYPTO.
 */
GBA_EXPORT int gba_aka_auts(const struct gba_auth_key *key,
			    const uint8_t rand[16], uint64_t sqn_ms,
			    uint8_t auts[GBA_AUTS_LEN]) GBA_WARN_UNUSED;

/**
 * gba_aka_auts_verify() - network side (6.3.5): recover SQN_MS from AUTS
 * and verify MAC-S in constant time.  Then update SEQ_HE with
 * gba_sqn_he_resync_pol().
 * Return: GBA_OK with *sqn_ms set, GBA_ERR_MAC, GBA_ERR_BAD_PARAM,
 * GBA_ERR_CRYPTO; on failure *sqn_ms is 0.
 */
GBA_EXPORT int gba_aka_auts_verify(const struct gba_auth_key *key,
				   const uint8_t rand[16],
				   const uint8_t auts[GBA_AUTS_LEN],
				   uint64_t *sqn_ms) GBA_WARN_UNUSED;

#ifdef __cplusplus
}
#endif
#endif
