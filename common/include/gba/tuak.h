/*
 * gba/tuak.h - the TUAK algorithm set.
 *
 * 3GPP TS 35.231 V17.0.0 (TUAK Doc. 1: algorithm specification): clause
 * 7.1 (TOPc), 7.2 (f1, f1*), 7.3 (f2, f3, f4, f5), 7.4 (f5*), built on the
 * Keccak-f[1600] permutation of clause 6 (24 rounds, lanes little-endian as
 * in FIPS 202).  Checked against the TS 35.233 / 35.232 data in vectors/.
 * All instance sizes of the test data are supported: K 128/256 bits,
 * MAC 64/128/256, RES 32/64/128/256, CK and IK 128/256, any number of
 * Keccak iterations >= 1.
 */
#ifndef GBA_TUAK_H
#define GBA_TUAK_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GBA_TUAK_TOP_LEN 32
#define GBA_KECCAK_STATE_LEN 200

struct gba_tuak_inst {
	size_t k_len;        /* 16 or 32 */
	unsigned iterations; /* Keccak iterations, >= 1 */
	size_t mac_len;      /* 8, 16 or 32 */
	size_t res_len;      /* 4, 8, 16 or 32 */
	size_t ck_len;       /* 16 or 32 */
	size_t ik_len;       /* 16 or 32 */
};

struct gba_tuak_out {
	uint8_t mac_a[32]; /* f1, inst.mac_len octets */
	uint8_t mac_s[32]; /* f1*, inst.mac_len octets */
	uint8_t res[32];   /* f2, inst.res_len */
	uint8_t ck[32];    /* f3, inst.ck_len */
	uint8_t ik[32];    /* f4, inst.ik_len */
	uint8_t ak[6];     /* f5 */
	uint8_t ak_s[6];   /* f5* */
};

#define GBA_TUAK_F1 0x01
#define GBA_TUAK_F1S 0x02
#define GBA_TUAK_F2345 0x04
#define GBA_TUAK_F5S 0x08
#define GBA_TUAK_ALL 0x0f

/** gba_keccak_f1600() - the permutation on a 200-octet state, in place. */
GBA_EXPORT void gba_keccak_f1600(uint8_t st[GBA_KECCAK_STATE_LEN]);

/** gba_tuak_topc() - TOPc from TOP and K (clause 7.1). */
GBA_EXPORT int gba_tuak_topc(const struct gba_tuak_inst *inst,
			     const uint8_t *k, const uint8_t top[32],
			     uint8_t topc[32]) GBA_WARN_UNUSED;

/**
 * gba_tuak() - compute the functions in @want.  @sqn/@amf are read only
 * for F1/F1S.  Return: GBA_OK or GBA_ERR_BAD_PARAM (bad instance sizes).
 * @out is wiped on failure.
 */
GBA_EXPORT int gba_tuak(const struct gba_tuak_inst *inst, const uint8_t *k,
			const uint8_t topc[32], const uint8_t rand[16],
			const uint8_t *sqn, const uint8_t *amf, unsigned want,
			struct gba_tuak_out *out) GBA_WARN_UNUSED;

#ifdef __cplusplus
}
#endif
#endif
