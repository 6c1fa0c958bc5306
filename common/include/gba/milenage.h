/*
 * gba/milenage.h - the MILENAGE algorithm set.
 *
 * 3GPP TS 35.206 V17.0.0 (Milenage Doc. 2: algorithm specification),
 * clause 4.1 (OPc) and clause 4.1/Figure 2 (f1, f1*, f2, f3, f4, f5, f5*),
 * with the default constants of clause 4.1: r1..r5 = 64, 0, 32, 64, 96 bits,
 * c1..c5 = 0, 1, 2, 4, 8 (in the last octet).  Checked against TS 35.207
 * and TS 35.208 test data (vectors/).
 */
#ifndef GBA_MILENAGE_H
#define GBA_MILENAGE_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GBA_MILENAGE_KEY_LEN 16
#define GBA_SQN_LEN 6
#define GBA_AMF_LEN 2
#define GBA_AK_LEN 6
#define GBA_MAC_LEN 8

/* What gba_milenage() should compute (bit set). */
#define GBA_MILENAGE_F1 0x01    /* MAC-A and MAC-S (OUT1) */
#define GBA_MILENAGE_F2F5 0x02  /* RES and AK (OUT2) */
#define GBA_MILENAGE_F3 0x04    /* CK (OUT3) */
#define GBA_MILENAGE_F4 0x08    /* IK (OUT4) */
#define GBA_MILENAGE_F5S 0x10   /* AK* (OUT5) */
#define GBA_MILENAGE_ALL 0x1f

struct gba_milenage_out {
	uint8_t mac_a[GBA_MAC_LEN]; /* f1 */
	uint8_t mac_s[GBA_MAC_LEN]; /* f1* */
	uint8_t res[8];             /* f2 */
	uint8_t ck[16];             /* f3 */
	uint8_t ik[16];             /* f4 */
	uint8_t ak[GBA_AK_LEN];     /* f5 */
	uint8_t ak_s[GBA_AK_LEN];   /* f5* */
};

/**
 * gba_milenage_opc() - OPc = OP xor E_K(OP)  (TS 35.206 4.1).
 * Return: GBA_OK or GBA_ERR_CRYPTO.
 */
GBA_EXPORT int gba_milenage_opc(const uint8_t k[16], const uint8_t op[16],
				uint8_t opc[16]) GBA_WARN_UNUSED;

/**
 * gba_milenage() - compute the functions selected by @want with one AES key
 * schedule.  @sqn and @amf are only read when GBA_MILENAGE_F1 is wanted
 * (may be NULL otherwise).  Fields not wanted are left zero.
 * @out is wiped on failure.  Return: GBA_OK, GBA_ERR_BAD_PARAM,
 * GBA_ERR_CRYPTO.
 */
GBA_EXPORT int gba_milenage(const uint8_t k[16], const uint8_t opc[16],
			    const uint8_t rand[16], const uint8_t *sqn,
			    const uint8_t *amf, unsigned want,
			    struct gba_milenage_out *out) GBA_WARN_UNUSED;

#ifdef __cplusplus
}
#endif
#endif
