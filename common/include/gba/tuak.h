/*
 * gba/tuak.h - the TUAK algorithm set.
 *
 * 3GPP TS 35.231 (TUAK Doc. 1: algorithm specification), Release 17:
 * clause 6.1 (TOPc), 6.2 (f1), 6.3 (f1*), 6.4 (f2, f3, f4, f5), 6.5 (f5*),
 * built on the Keccak-f[1600] permutation of Annex C (24 rounds, lanes
 * little-endian as in FIPS 202).  Clause numbers from the spec's table of
 * contents and its clause 7.1 ("clause 6.1 ... TOPC"); the exact version
 * was not confirmed.  Checked against the TS 35.233 / 35.232 data in
 * vectors/.
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

/**
 * gba_tuak_topc() - TOPc from TOP and K (clause 6.1).  Only @inst->k_len
 * and @inst->iterations are read.  Return: GBA_OK or GBA_ERR_BAD_PARAM;
 * @topc is zeroed on failure.
 */
GBA_EXPORT int gba_tuak_topc(const struct gba_tuak_inst *inst,
			     const uint8_t *k, const uint8_t top[32],
			     uint8_t topc[32]) GBA_WARN_UNUSED;

/**
 * gba_tuak() - compute the functions in @want.  @sqn (6 octets) and @amf
 * (2 octets) are read only for F1/F1S (may be NULL otherwise).  Every size
 * in @inst is checked, whatever @want.  Fields not wanted are left zero;
 * output values occupy the first inst.*_len octets of their field.
 * Return: GBA_OK or GBA_ERR_BAD_PARAM (bad instance sizes, unknown @want
 * bits, NULL pointers).  @out is wiped on failure.
 */
GBA_EXPORT int gba_tuak(const struct gba_tuak_inst *inst, const uint8_t *k,
			const uint8_t topc[32], const uint8_t rand[16],
			const uint8_t *sqn, const uint8_t *amf, unsigned want,
			struct gba_tuak_out *out) GBA_WARN_UNUSED;

#ifdef __cplusplus
}
#endif
#endif
