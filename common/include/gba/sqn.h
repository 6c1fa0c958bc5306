/*
 * gba/sqn.h - sequence number management for AKA.
 *
 * 3GPP TS 33.102 V17.0.0 Annex C.1 - C.3 (the SEQ || IND scheme with an
 * array of SEQ_MS values in the USIM), clause 6.3.2 (SQN, AUTS), 6.3.5.
 *
 *   SQN = SEQ || IND, IND the @ind_bits least significant bits (default 5,
 *   C.3.2 "a = 5"), SEQ the remaining 48 - ind_bits bits.
 *   USIM (C.2): accept SEQ||IND iff SEQ > SEQ_MS(IND), and, when the
 *   wrap-around limit is enabled, SEQ - SEQ_MS <= Delta, where SEQ_MS is the
 *   highest SEQ accepted in any slot; when the age limit is enabled, also
 *   SEQ_MS - SEQ < L.  Delta and L are operator parameters: the defaults in
 *   this file are project choices (docs/sqn.md), not values from the spec.
 *   HE/AuC (C.3.2): SEQ_HE = SEQ_HE + 1 for each AV, SQN = SEQ_HE || IND.
 *   Resync (C.3.4 / 6.3.5): SEQ_HE = SEQ_MS taken from AUTS, unless the
 *   next SEQ_HE would already be accepted (gba_sqn_he_resync_pol()).
 *   The USIM rules of Annex C.2 are [V] (docs/spec-research.md 5c); IND
 *   = 5 bits is [U]; Delta and L values are [GAP] (docs/sqn.md).
 */
#ifndef GBA_SQN_H
#define GBA_SQN_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GBA_SQN_BITS 48
#define GBA_SQN_MAX ((UINT64_C(1) << GBA_SQN_BITS) - 1)
#define GBA_SQN_IND_BITS_DEFAULT 5
#define GBA_SQN_IND_BITS_MAX 5 /* array size 32 keeps the USIM small */
#define GBA_SQN_ARRAY_MAX (1u << GBA_SQN_IND_BITS_MAX)
#define GBA_SQN_DELTA_DEFAULT (UINT64_C(1) << 28) /* project choice */
#define GBA_SQN_L_DEFAULT 0			  /* 0: age check off */

struct gba_sqn_policy {
	unsigned ind_bits; /* 0..GBA_SQN_IND_BITS_MAX */
	uint64_t delta;	   /* wrap-around limit on SEQ; 0 disables */
	uint64_t l;	   /* age limit on SEQ; 0 disables */
};

/* USIM-side state: the SEQ_MS array of Annex C.2. */
struct gba_sqn_ms {
	struct gba_sqn_policy pol;
	uint64_t seq_ms[GBA_SQN_ARRAY_MAX]; /* highest SEQ accepted per IND */
	uint8_t ind_ms;			    /* IND of the highest SEQ */
};

#define GBA_SQN_INVALID UINT64_MAX /* gba_sqn_seq() on bad input */
#define GBA_SQN_IND_INVALID (~0u)  /* gba_sqn_ind() on bad input */

/** gba_sqn_policy_default() - ind_bits 5, Delta 2^28, L off (docs/sqn.md). */
GBA_EXPORT void gba_sqn_policy_default(struct gba_sqn_policy *pol);

/**
 * gba_sqn_ms_init() - copy @pol, all slots zero (SQN_MS = 0).
 * Return: GBA_OK; GBA_ERR_BAD_PARAM for NULL or ind_bits > 5 (then @ms is
 * zeroed).
 */
GBA_EXPORT int
gba_sqn_ms_init(struct gba_sqn_ms *ms,
		const struct gba_sqn_policy *pol) GBA_WARN_UNUSED;

/**
 * gba_sqn_ms_check() - would the USIM accept @sqn?  Changes nothing.
 * Accept iff SEQ > SEQ_MS(IND) (C.2.2 freshness), and, with Delta on, not
 * SEQ - SEQ_MS > Delta, and, with L on, not SEQ_MS - SEQ >= L (Annex C.2,
 * text quoted in docs/spec-research.md 5c); SEQ_MS is the highest SEQ
 * accepted anywhere in the array.
 * Return: GBA_OK, or GBA_ERR_SYNC (not fresh in its slot, beyond Delta, or
 * older than L); GBA_ERR_BAD_PARAM for NULL or sqn > 2^48 - 1.
 */
GBA_EXPORT int gba_sqn_ms_check(const struct gba_sqn_ms *ms,
				uint64_t sqn) GBA_WARN_UNUSED;

/**
 * gba_sqn_ms_accept() - commit @sqn: SEQ_MS(IND) = SEQ.  Call only after
 * the MAC verified and gba_sqn_ms_check() returned GBA_OK.  Monotone: a
 * slot is never lowered, so a wrong call cannot reopen a used SQN.
 * Ignores NULL and sqn > 2^48 - 1.
 */
GBA_EXPORT void gba_sqn_ms_accept(struct gba_sqn_ms *ms, uint64_t sqn);

/** gba_sqn_ms_highest() - SQN_MS = SEQ_MS || IND_MS for AUTS (Annex C.2). */
GBA_EXPORT uint64_t gba_sqn_ms_highest(const struct gba_sqn_ms *ms);

/**
 * gba_sqn_make() - SEQ || IND.  @sqn is set to 0 and GBA_ERR_BAD_PARAM
 * returned when ind_bits > 5, SEQ does not fit 48 - ind_bits bits or IND
 * does not fit ind_bits bits.
 */
GBA_EXPORT int gba_sqn_make(uint64_t seq, unsigned ind, unsigned ind_bits,
			    uint64_t *sqn) GBA_WARN_UNUSED;

/**
 * gba_sqn_seq() / gba_sqn_ind() - split an SQN.  For ind_bits > 5 or
 * sqn > 2^48 - 1 they return GBA_SQN_INVALID / GBA_SQN_IND_INVALID.
 */
GBA_EXPORT uint64_t gba_sqn_seq(uint64_t sqn, unsigned ind_bits);
GBA_EXPORT unsigned gba_sqn_ind(uint64_t sqn, unsigned ind_bits);

/**
 * gba_sqn_he_next() - the HE side: SEQ_HE = SEQ_HE + 1, SQN = SEQ_HE || IND.
 * @seq_he: [in,out] SEQ_HE; advanced only on success
 * @ind:    [in] IND of the node the AV is for (docs/sqn.md)
 * @sqn:    [out] the new SQN (0 on failure)
 * Return: GBA_OK, GBA_ERR_SQN_EXHAUSTED when SEQ would overflow
 * 48 - ind_bits bits, GBA_ERR_BAD_PARAM.
 */
GBA_EXPORT int gba_sqn_he_next(uint64_t *seq_he, unsigned ind,
			       unsigned ind_bits,
			       uint64_t *sqn) GBA_WARN_UNUSED;

/**
 * gba_sqn_he_resync_pol() - after AUTS verified (TS 33.102 6.3.5 steps
 * 2-5): keep SEQ_HE if the next SEQ it generates (SEQ_HE + 1) would be
 * accepted by a USIM whose highest SEQ is SEQ_MS under @pol (above SEQ_MS
 * and, with Delta on, at most Delta above it); otherwise SEQ_HE = SEQ_MS.
 * Either way the next gba_sqn_he_next() yields an SQN the USIM accepts in
 * every slot.
 * @seq_he: [in,out] SEQ_HE
 * @sqn_ms: [in] SQN_MS recovered by gba_aka_auts_verify()
 * @pol:    [in] the USIM's policy (ind_bits and Delta are used)
 * Return: GBA_OK, GBA_ERR_BAD_PARAM (then *seq_he is unchanged).
 */
GBA_EXPORT int
gba_sqn_he_resync_pol(uint64_t *seq_he, uint64_t sqn_ms,
		      const struct gba_sqn_policy *pol) GBA_WARN_UNUSED;

/**
 * gba_sqn_he_resync() - gba_sqn_he_resync_pol() with the default Delta
 * (GBA_SQN_DELTA_DEFAULT) and @ind_bits.  Note: this is not simply
 * max(SEQ_HE, SEQ_MS): a SEQ_HE more than Delta above SEQ_MS (the case a
 * Delta rejection reports) is reset to SEQ_MS, as 6.3.5 requires.  Bad
 * input (ind_bits > 5, sqn_ms > 2^48 - 1, NULL) leaves *seq_he unchanged.
 */
GBA_EXPORT void gba_sqn_he_resync(uint64_t *seq_he, uint64_t sqn_ms,
				  unsigned ind_bits);

/*
 * IND slot per network node that requests AVs (TS 33.102 Annex C lets the
 * HE choose how IND values are allocated).  PROJECT CHOICE, unconfirmed:
 * the table in sqn.c is the one place these values live (docs/sqn.md).
 */
enum gba_sqn_node {
	GBA_SQN_NODE_CS = 0,	   /* MSC/VLR */
	GBA_SQN_NODE_PS = 1,	   /* SGSN / MME */
	GBA_SQN_NODE_IMS = 2,	   /* S-CSCF over Cx */
	GBA_SQN_NODE_BSF_UB = 3,   /* BSF, Ub bootstrapping over Zh */
	GBA_SQN_NODE_BSF_PUSH = 4, /* BSF, GBA Push (TS 33.223) over Zh */
	GBA_SQN_NODE_COUNT_ = 5	   /* not a node: bound for tables */
};

/**
 * gba_sqn_node_ind() - the IND the HE uses for AVs requested by @node.
 * Return: the IND (< 2^GBA_SQN_IND_BITS_DEFAULT), or GBA_SQN_IND_INVALID
 * for a value outside enum gba_sqn_node.
 */
GBA_EXPORT unsigned gba_sqn_node_ind(enum gba_sqn_node node);

/** gba_sqn_node_name() - "bsf-push" etc.; "unknown" for foreign values. */
GBA_EXPORT const char *gba_sqn_node_name(enum gba_sqn_node node);

/** 48-bit SQN <-> 6 octets, big-endian (bits above 48 are dropped). */
GBA_EXPORT void gba_sqn_to_bytes(uint64_t sqn, uint8_t out[6]);
GBA_EXPORT uint64_t gba_sqn_from_bytes(const uint8_t in[6]);

#ifdef __cplusplus
}
#endif
#endif
