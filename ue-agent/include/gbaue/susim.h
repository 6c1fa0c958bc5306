/*
 * gbaue/susim.h - a software USIM for the UE agent (development, tests and
 * devices whose secure element runs this code).
 *
 * Implements struct gbaue_usim_ops over gba/aka.h:
 *   - AUTHENTICATE, 3G context (GBA_ME): TS 33.102 6.3.3, returns CK, IK;
 *   - GBA context, bootstrapping mode (GBA_U): checks AUTN* (TS 33.220
 *     5.3.2, MAC* = MAC xor Trunc64(SHA-1(IK))), keeps Ks = CK || IK inside
 *     and returns nothing secret;
 *   - GBA context, NAF derivation mode (GBA_U): Ks_ext_NAF and Ks_int_NAF
 *     by TS 33.220 B.3 from the kept Ks; Ks_int_NAF stays inside, only
 *     Ks_ext_NAF is returned (TS 33.220 Annex G.2);
 *   - SQN freshness with the SEQ_MS array of TS 33.102 Annex C (gba/sqn.h).
 * Unlike a real UICC, which commits SQN at AUTHENTICATE, the software USIM
 * stages the new SQN array and Ks until the agent's finish(accepted=1), so
 * that a GPI rejected after AKA leaves no trace (docs/ue-agent.md).
 * No heap, no stdio.  K and OPc/TOPc live in the caller-owned struct: wipe
 * it with gbaue_susim_clear().
 */
#ifndef GBAUE_SUSIM_H
#define GBAUE_SUSIM_H

#include <stddef.h>
#include <stdint.h>
#include "gba/aka.h"
#include "gba/kdf.h"
#include "gba/sqn.h"
#include "gbaue/port.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Exported SQN state: magic 4 | ind_bits 1 | ind_ms 1 | delta 8 | l 8 |
 * seq_ms 32 x 8 (big-endian). */
#define GBAUE_SUSIM_STATE_LEN (4 + 1 + 1 + 8 + 8 + GBA_SQN_ARRAY_MAX * 8)

/* Opaque by contract; size visible. */
struct gbaue_susim {
	struct gba_auth_key key;
	struct gba_sqn_ms sqn;	  /* committed SEQ_MS array */
	struct gba_sqn_ms staged; /* after the last authenticate() */
	int staged_valid;
	int gba_u;		/* GBA_U capable */
	uint8_t ks[GBA_KS_LEN]; /* GBA_U: Ks kept in the USIM */
	uint8_t ks_rand[GBA_RAND_LEN];
	int ks_valid;
	uint8_t staged_ks[GBA_KS_LEN];
	uint8_t staged_rand[GBA_RAND_LEN];
	int staged_ks_valid;
	uint8_t ks_int_naf[GBA_KDF_OUT_LEN]; /* last Ks_int_NAF, never output */
};

/* The ops table; pass the struct gbaue_susim as gbaue_port.usim_arg. */
GBA_EXPORT extern const struct gbaue_usim_ops gbaue_susim_ops;

/**
 * gbaue_susim_init() - a USIM with @key and an all-zero SQN array.
 * @key:   [in] K and OPc / TOPc (copied)
 * @pol:   [in] SQN policy, NULL for gba_sqn_policy_default()
 * @gba_u: [in] nonzero: the USIM supports GBA_U
 * Return: GBA_OK, GBA_ERR_BAD_PARAM.
 */
GBA_EXPORT int gbaue_susim_init(struct gbaue_susim *s,
				const struct gba_auth_key *key,
				const struct gba_sqn_policy *pol,
				int gba_u) GBA_WARN_UNUSED;

/**
 * gbaue_susim_export() - the committed SQN array and policy (not K, not
 * Ks) for persistence: GBAUE_SUSIM_STATE_LEN octets.
 * Return: GBA_OK, GBA_ERR_NO_SPACE.
 */
GBA_EXPORT int gbaue_susim_export(const struct gbaue_susim *s, uint8_t *out,
				  size_t cap,
				  size_t *out_len) GBA_WARN_UNUSED;

/**
 * gbaue_susim_import() - restore what gbaue_susim_export() wrote.
 * Return: GBA_OK, GBA_ERR_TRUNCATED, GBA_ERR_TRAILING, GBA_ERR_MALFORMED
 * (bad magic or ind_bits).  Nothing changes on error.
 */
GBA_EXPORT int gbaue_susim_import(struct gbaue_susim *s, const uint8_t *buf,
				  size_t len) GBA_WARN_UNUSED;

/** gbaue_susim_clear() - wipe everything.  NULL-safe. */
GBA_EXPORT void gbaue_susim_clear(struct gbaue_susim *s);

#ifdef __cplusplus
}
#endif
#endif
