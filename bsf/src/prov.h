/*
 * prov.h - provisioning rules of the subscriber store (bsf-internal API):
 * how the operator's fields (gba-bsfctl's command line, a CSV line)
 * become a struct bsf_sub for bsf_store_sub_add().  No I/O, no store.
 *
 *   - OP is never stored: Milenage OPc = E_K(OP) xor OP (TS 35.206
 *     clause 4.1, gba_milenage_opc()); TUAK TOPc from TOP, K and the
 *     instance sizes (TS 35.231 clause 7.1, gba_tuak_topc()).
 *   - K: 128 bits (Milenage), 128 or 256 bits (TUAK); OPc 128 bits,
 *     TOPc 256 bits; AMF 16 bits (TS 33.102 6.3.2), default 0000.
 *   - TUAK sizes "ITER:RES:CK:IK" in octets, default 1:8:16:16; the
 *     tools and the CSV give them in bits (bsf_prov_tuak_bits()).
 *   - initial SQN: decimal, 0 .. 2^48 - 1 (TS 33.102 Annex C).
 *   - IMPUs and labels: vectors, or one ';'-separated text (CSV); the
 *     store checks them further (bsf_store_sub_add()).
 * CSV columns and commands: docs/hss-store.md.
 */
#ifndef BSF_PROV_H
#define BSF_PROV_H

#include <stddef.h>
#include <stdint.h>
#include "store.h"

/* The fields as text (NULL or "" = not given). */
struct bsf_prov_in {
	const char *impi, *imsi, *alg, *k, *opc, *op, *amf, *sqn, *tuak;
	const char *impus, *labels; /* ';'-separated (CSV) */
	const char *const *impu_v;  /* or vectors (command line) */
	size_t n_impu_v;
	const char *const *label_v;
	size_t n_label_v;
	int gba_u;
};

/**
 * bsf_prov_sub() - build @s from @in.
 * @s:     [out] cleared first; wiped again on failure
 * @field: [out] on failure the field at fault ("impi", "k", "op" ...)
 * @why:   [out] on failure a reason for the operator (static text)
 * Return: 0, or -1 with @field and @why set.  The OP octets are wiped.
 */
int bsf_prov_sub(const struct bsf_prov_in *in, struct bsf_sub *s,
		 const char **field, const char **why);

/* The TUAK sizes as the tools spell them (decimal; sizes in bits):
 * iterations, MAC, RES, CK, IK bits, in this order. */
#define BSF_PROV_TUAK_N 5
extern const char *const bsf_prov_tuak_names[BSF_PROV_TUAK_N];

/**
 * bsf_prov_tuak_bits() - @v (NULL or "" = default: 1 iteration, MAC 64,
 * RES 64, CK 128, IK 128 bits) as the "ITER:RES:CK:IK" octets of
 * bsf_prov_in.tuak, into @out of @cap octets (empty when none is given).
 * The MAC is 64 bits, the AKA MAC (TS 35.231 Table 1 / TS 33.102): only
 * 64 is taken.  bsf_prov_sub() checks the sizes further.
 * Return: 0, or 1 + the index of the first bad value.
 */
int bsf_prov_tuak_bits(const char *const v[BSF_PROV_TUAK_N], char *out,
		       size_t cap);

/**
 * bsf_prov_split() - split @s on ';' into at most @max_n NUL-terminated
 * entries of @cap octets each (empty entries skipped).
 * Return: 0, or -1 (too many, or one too long).
 */
int bsf_prov_split(const char *s, char (*out)[BSF_IMPU_MAX + 1], size_t max_n,
		   size_t cap, size_t *n);

/** bsf_prov_copy_str() - @src into @dst of @cap octets.  Return: 0, or
 * -1 (too long; @dst unchanged). */
int bsf_prov_copy_str(char *dst, size_t cap, const char *src);

/* What `subscriber modify` changes (NULL / 0: kept). */
struct bsf_prov_mod {
	const struct gba_auth_key *key; /* a new key (bsf_prov_sub()) */
	const char *imsi;		/* at most BSF_IMSI_MAX digits */
	const uint8_t *amf;		/* 2 octets */
	const uint64_t *sqn;		/* raised to this, never lowered */
	int gba_u;			/* set when nonzero */
	const char *const *impu_v;	/* replace the list when n > 0 */
	size_t n_impu_v;
	const char *const *label_v;
	size_t n_label_v;
};

/**
 * bsf_prov_modify() - apply @m to @s (a subscriber read with its key):
 * the rule of `subscriber modify`: what is given replaces, IMPUs and
 * labels as whole lists, the SQN only upwards (an SQN lowered could be
 * issued twice, TS 33.102 Annex C); the rest and the SQN state are kept.
 * Return: 0, or -1 with @field ("impu", "label": too many or too long).
 */
int bsf_prov_modify(struct bsf_sub *s, const struct bsf_prov_mod *m,
		    const char **field);

#endif
