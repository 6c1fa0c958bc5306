/*
 * gbaue/uicc.h - hook for a real UICC: AUTHENTICATE APDUs (TS 31.102
 * clause 7.1.2) and a struct gbaue_usim_ops that drives them through one
 * platform transmit function.
 *
 * What is confirmed (TS 31.102 7.1.2, [V], docs/spec-facts.md 8):
 *   - command data of the 3G context: L RAND(16) L AUTN(16);
 *   - 3G success response: 'DB' L RES L CK L IK [L Kc];
 *   - synchronisation failure response: 'DC' L AUTS.
 * What is NOT confirmed ([U]; PROJECT CHOICE, unconfirmed,
 * all in the constants below and docs/ue-agent.md "UICC hook"):
 *   - CLA 0x00, INS 0x88, P1 0x00; P2 0x81 (3G context), P2 0x84 (GBA
 *     context);
 *   - GBA bootstrapping mode: data 'DD' L RAND L AUTN*, response
 *     'DB' L RES or 'DC' L AUTS;
 *   - GBA NAF derivation mode: data 'DE' L NAF_Id L IMPI, response
 *     'DB' L Ks_ext_NAF;
 *   - status word 98 62 for a wrong MAC.
 * Card opening (gbaue_uicc_open(), TS 31.102 / TS 102 221): SELECT MF,
 * EF_DIR ('2F00', TS 102 221 13.1) records '61' { '4F' AID ... }, SELECT
 * of the first USIM ADF by AID (RID A0 00 00 00 87, application code
 * 10 02, TS 101 220 / TS 31.102 Annex A), SELECT EF_UST ('6F38', TS
 * 31.102 4.2.8) and READ BINARY.  GBA is UST service n 68 ([I]: taken
 * from open implementations of the TS 31.102 4.2.8 table, not from the
 * spec text; GBAUE_UST_GBA).  Commands use CLA 00 and SELECT P2 '0C'
 * (no response data); Le = 00 is corrected on '6C xx' (T=0).
 * No heap, no stdio.
 */
#ifndef GBAUE_UICC_H
#define GBAUE_UICC_H

#include <stddef.h>
#include <stdint.h>
#include "gba/aka.h"
#include "gba/kdf.h"
#include "gbaue/port.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GBAUE_APDU_CLA 0x00	 /* [U] */
#define GBAUE_APDU_INS_AUTH 0x88 /* [U] */
#define GBAUE_APDU_P2_3G 0x81	 /* [U] */
#define GBAUE_APDU_P2_GBA 0x84	 /* [U] */
#define GBAUE_TAG_OK 0xDB	 /* [V] */
#define GBAUE_TAG_SYNC 0xDC	 /* [V] */
#define GBAUE_TAG_GBA_BOOT 0xDD	 /* [U] */
#define GBAUE_TAG_GBA_NAF 0xDE	 /* [U] */
#define GBAUE_SW_OK 0x9000
#define GBAUE_SW_AUTH_ERROR 0x9862 /* [U] */
#define GBAUE_APDU_MAX (5 + 255 + 1)
#define GBAUE_RES_MIN 4 /* TS 33.102: RES 32..128 bits */
#define GBAUE_RES_MAX 16
#define GBAUE_KC_LEN 8
#define GBAUE_AID_MAX 16	    /* TS 101 220: AID of 5..16 octets */
#define GBAUE_USIM_AID_PREFIX_LEN 7 /* RID(5) || '10 02' */
#define GBAUE_FID_MF 0x3F00
#define GBAUE_FID_DIR 0x2F00
#define GBAUE_FID_UST 0x6F38
#define GBAUE_UST_GBA 68	 /* [I] TS 31.102 4.2.8 service n 68, GBA */
#define GBAUE_DIR_RECORDS_MAX 16 /* EF_DIR records looked at */

/* A parsed AUTHENTICATE response. */
struct gbaue_auth_resp {
	int sync; /* 1: 'DC' AUTS, 0: 'DB' success */
	uint8_t res[GBAUE_RES_MAX];
	size_t res_len;
	uint8_t ck[GBA_CK_LEN]; /* 3G context only */
	uint8_t ik[GBA_IK_LEN];
	uint8_t kc[GBAUE_KC_LEN];
	int has_kc;
	uint8_t auts[GBA_AUTS_LEN];
};

/**
 * gbaue_apdu_auth_3g() / _gba_boot() / _gba_naf() - build the AUTHENTICATE
 * command APDU (case 4: header, Lc, data, Le = 00).
 * @out: [out] buffer of @cap octets (GBAUE_APDU_MAX always suffices)
 * Return: GBA_OK, GBA_ERR_BAD_PARAM, GBA_ERR_TOO_LARGE (data over 255
 * octets), GBA_ERR_NO_SPACE.
 */
GBA_EXPORT int gbaue_apdu_auth_3g(const uint8_t rand[GBA_RAND_LEN],
				  const uint8_t autn[GBA_AUTN_LEN],
				  uint8_t *out, size_t cap,
				  size_t *out_len) GBA_WARN_UNUSED;
GBA_EXPORT int gbaue_apdu_auth_gba_boot(const uint8_t rand[GBA_RAND_LEN],
					const uint8_t autn_star[GBA_AUTN_LEN],
					uint8_t *out, size_t cap,
					size_t *out_len) GBA_WARN_UNUSED;
GBA_EXPORT int gbaue_apdu_auth_gba_naf(const uint8_t *naf_id,
				       size_t naf_id_len, const uint8_t *impi,
				       size_t impi_len, uint8_t *out,
				       size_t cap,
				       size_t *out_len) GBA_WARN_UNUSED;

/**
 * gbaue_apdu_parse_auth_3g() - parse the response data (status word
 * removed) of a 3G-context AUTHENTICATE [V formats]: 'DB' L RES L CK L IK
 * [L Kc] or 'DC' L AUTS.  CK, IK must be 16, AUTS 14, Kc 8 octets.
 * Return: GBA_OK; GBA_ERR_TRUNCATED; GBA_ERR_MALFORMED (unknown tag, wrong
 * length); GBA_ERR_TRAILING.  @r is cleared first and wiped on error.
 */
GBA_EXPORT int
      gbaue_apdu_parse_auth_3g(const uint8_t *buf, size_t len,
		       struct gbaue_auth_resp *r) GBA_WARN_UNUSED;

/** gbaue_apdu_parse_gba_boot() - 'DB' L RES or 'DC' L AUTS [U]. */
GBA_EXPORT int
      gbaue_apdu_parse_gba_boot(const uint8_t *buf, size_t len,
			struct gbaue_auth_resp *r) GBA_WARN_UNUSED;

/** gbaue_apdu_parse_gba_naf() - 'DB' L Ks_ext_NAF (L = 32) [U]. */
GBA_EXPORT int
      gbaue_apdu_parse_gba_naf(const uint8_t *buf, size_t len,
		       uint8_t ks_ext_naf[GBA_KDF_OUT_LEN]) GBA_WARN_UNUSED;

/*
 * The platform's card channel.  transmit() sends one command APDU and
 * returns the response data followed by SW1 SW2 in @resp; it returns 0 on
 * success, nonzero on a transport error.  The hook itself handles
 * T=0 procedure bytes; this module sends GET RESPONSE (00 C0 00 00 xx)
 * for SW1 = 0x61 and repeats a command with Le = xx for SW1 = 0x6C (TS
 * 102 221 7.3.1.1.4: wrong Le, xx the right one).  Every command this
 * module sends ends with Le.
 *
 * Set transmit and arg; the rest is filled by gbaue_uicc_open() (zero:
 * not opened, and then GBA_U is left to the card to refuse).
 */
struct gbaue_uicc {
	int (*transmit)(void *arg, const uint8_t *apdu, size_t len,
			uint8_t *resp, size_t cap, size_t *resp_len);
	void *arg;
	int opened;		    /* gbaue_uicc_open() succeeded */
	int gba_u;		    /* EF_UST has GBAUE_UST_GBA */
	uint8_t aid[GBAUE_AID_MAX]; /* the selected USIM ADF */
	size_t aid_len;
	uint8_t ust[32]; /* EF_UST as read (first 32 octets) */
	size_t ust_len;
};

/**
 * gbaue_uicc_open() - select the USIM ADF by its AID from EF_DIR and read
 * EF_UST (the card's service table), at init, before the agent sends
 * any AUTHENTICATE.  Afterwards a card without the GBA service gets no
 * GBA-context AUTHENTICATE: authenticate(gba_u = 1) and naf_derive()
 * return GBA_ERR_UNSUPPORTED (a REJECTED/MODE event in the agent)
 * without a command.
 * Return: GBA_OK; GBA_ERR_NOT_FOUND (no USIM application in EF_DIR, or
 * the card refuses the SELECTs); GBA_ERR_IO (transport, unexpected status
 * word, malformed record); GBA_ERR_BAD_PARAM.
 */
GBA_EXPORT int gbaue_uicc_open(struct gbaue_uicc *u) GBA_WARN_UNUSED;

/**
 * gbaue_ust_has() - whether service @n (1-based, TS 31.102 4.2.8: octet
 * (n-1)/8, bit (n-1)%8 from b1) is set in the service table @ust.
 */
GBA_EXPORT int gbaue_ust_has(const uint8_t *ust, size_t len, unsigned n);

/*
 * The ops table; pass a struct gbaue_uicc as gbaue_port.usim_arg.
 * Status words (uicc.c sw_map): 98 62 -> GBA_ERR_MAC; 98 64, 6A xx, 6D 00,
 * 6E 00 (not supported) -> GBA_ERR_UNSUPPORTED; other 98 xx and 69 xx
 * (refused) -> GBA_ERR_NOT_AUTHORIZED; these become REJECTED events in the
 * agent.  Only a transport failure, a malformed response or another
 * status word is GBA_ERR_IO (sticky).
 */
GBA_EXPORT extern const struct gbaue_usim_ops gbaue_uicc_ops;

#ifdef __cplusplus
}
#endif
#endif
