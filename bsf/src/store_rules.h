/*
 * store_rules.h - the store's rules on identities and fields as pure
 * functions (no database, no allocation), shared by every backend and
 * testable alone (bsf-internal).  Identity and field rules:
 * docs/hss-store.md.
 */
#ifndef BSF_STORE_RULES_H
#define BSF_STORE_RULES_H

#include <stddef.h>
#include "gba/aka.h"
#include "guss.h"
#include "store.h"

/* Each returns 1 if @s is acceptable, 0 otherwise (NULL included). */

/* 1..@max octets, no control character (C0, DEL) */
int bsf_rule_text_ok(const char *s, size_t max);
/* a NAF FQDN under the one FQDN rule (gba/fqdn.h, TS 29.571 Fqdn) */
int bsf_rule_fqdn_ok(const char *s);
/* an IMSI: empty (none) or 6..15 decimal digits (at most 15:
 * TS 23.003 clause 2.2; at least 6: project choice) */
int bsf_rule_imsi_ok(const char *s);
/* a UICC application label: text of 1..BSF_LABEL_MAX octets without
 * ';', ',', '"' or a line break (the CSV and storage separators) */
int bsf_rule_label_ok(const char *s);
/* Milenage: 128-bit K; TUAK: 128/256-bit K, >= 1 iteration, RES 4, 8,
 * 16 or 32 octets, CK and IK 16 or 32 octets (TS 35.231) */
int bsf_rule_key_ok(const struct gba_auth_key *k);
/* a Push-NAF as stored: name (unless @modify: the row is named) and
 * certificate identity text, at most BSF_NAF_IDS_MAX NAF_Ids, each FQDN
 * under bsf_rule_fqdn_ok() */
int bsf_rule_naf_ok(const struct bsf_naf *naf, int modify);
/* the next free NAF_Id of @naf (counted), or NULL when it has
 * BSF_NAF_IDS_MAX (a backend's reading of its NAF_Id rows) */
struct bsf_naf_id *bsf_rule_naf_id_next(struct bsf_naf *naf);
/* @n octets of @b (NULL when @n is 0) as a new NUL-terminated string
 * (a stored text column); NULL when out of memory */
char *bsf_rule_text_dup(const void *b, size_t n);
/* ASCII lower case (DNS names, URI schemes) */
char bsf_rule_lower(char ch);

/*
 * A subscriber as every backend stores it: the IMPI in NFKC (a KDF
 * input, TS 33.220 B.2.1 / B.3), the IMPUs normalised and distinct, the
 * UICC labels joined by '\n'.
 */
struct bsf_rule_sub {
	char impi[BSF_IMPI_MAX + 1];
	char impus[BSF_IMPUS_MAX][BSF_IMPU_MAX + 1];
	char labels[BSF_LABELS_MAX * (BSF_LABEL_MAX + 1) + 1];
	/* the key columns as stored (docs/hss-store.md "Schema"): K, OPc
	 * (TOPc: 32 octets) and AMF in hex; the TUAK sizes (Milenage: the
	 * column defaults 1, 8, 16, 16) */
	char k_hex[2 * GBA_KEY_MAX + 1];
	char opc_hex[2 * GBA_KEY_MAX + 1];
	char amf_hex[5];
	int64_t tuak_iter, tuak_res, tuak_ck, tuak_ik;
	/* the GUSS (@guss of bsf_rule_sub_prepare(); none: empty) and the
	 * GBA_U flag: the subscriber's, or set by the GUSS uiccType */
	struct bsf_guss guss;
	int gba_u;
};
/* check @sub (text, IMSI, key, counts, SQN, labels) and its GUSS @guss
 * (@guss_len octets; NULL: none) and fill @out; @out holds K and OPc and
 * the parsed GUSS: bsf_rule_sub_clear() it on every path.
 * Return: GBA_OK, GBA_ERR_BAD_PARAM, GBA_ERR_EXISTS (an IMPU twice),
 * the NFKC / IMPU normalisation error or the GUSS parser's. */
int bsf_rule_sub_prepare(const struct bsf_sub *sub, const char *guss,
			 size_t guss_len, struct bsf_rule_sub *out);
void bsf_rule_sub_clear(struct bsf_rule_sub *out);

/* the stored label column ('\n'-joined) back into @labels.
 * Return: GBA_OK, GBA_ERR_TOO_LARGE. */
int bsf_rule_labels_split(const char *t, char labels[][BSF_LABEL_MAX + 1],
			  size_t *n);

/* the subscriber row's part of @p as a backend read it: GBA_U flag, the
 * label column (bsf_rule_labels_split()), and with BSF_GBA_XML in @flags
 * a copy of the GUSS text @guss (@guss_len octets; NULL: column NULL).
 * Return: GBA_OK, GBA_ERR_TOO_LARGE, GBA_ERR_NOMEM. */
int bsf_rule_gba_sub_row(struct bsf_gba_params *p, unsigned flags, int gba_u,
			 const char *labels, const void *guss,
			 size_t guss_len);

/* free the XML each of @uss (BSF_USS_MAX of them) owns (NULL: none) */
void bsf_rule_uss_xml_free(struct bsf_uss *uss);

/* a USS's flags as stored: 4 octets each, big-endian; @b holds
 * 4 * BSF_USS_FLAGS_MAX octets.  Unpack: GBA_OK, GBA_ERR_MALFORMED. */
void bsf_rule_uss_flags_pack(const struct bsf_uss *u, uint8_t *b);
int bsf_rule_uss_flags_unpack(const uint8_t *b, size_t n, struct bsf_uss *u);

/*
 * One stored USS row (table uss, docs/hss-store.md "Schema") as read by
 * a backend: texts with their lengths (NULL: empty), the flags blob as
 * bsf_rule_uss_flags_pack() wrote it, the XML copied only when @xml_want.
 */
struct bsf_rule_uss_row {
	const char *gsid, *naf_group, *xml;
	size_t gsid_len, naf_group_len, xml_len;
	int uicc_sec;
	const uint8_t *flags;
	size_t flags_len;
	int xml_want;
};
/* append @row to @p.  Return: GBA_OK, GBA_ERR_TOO_LARGE (more than
 * BSF_USS_MAX, a text too long), GBA_ERR_MALFORMED, GBA_ERR_NOMEM */
int bsf_rule_uss_add(struct bsf_gba_params *p,
		     const struct bsf_rule_uss_row *row);

/*
 * The store's record of the run-counter AuC (hss.c, docs/hss-store.md
 * section 4): IND length, the current run R, window B (0: no AuC ever
 * ran, nothing issued).
 */
struct bsf_rule_sqn_meta {
	unsigned ind_bits;
	int64_t run;
	int64_t block;
};
/* the highest SQN any run may have issued for a row (F, RF): F << IND
 * exactly while no AuC ran, else (F + (max(R - RF, 0) + 1) * B, capped
 * at the largest SEQ) << IND with every IND bit set */
uint64_t bsf_rule_sqn_bound(int64_t seq_floor, int64_t run_floor,
			    const struct bsf_rule_sqn_meta *m);
/* SEQ @seq as such a bound: @seq << IND with every IND bit set */
uint64_t bsf_rule_sqn_of_seq(int64_t seq, unsigned ind_bits);

/*
 * The lookups that resolve a UE identity of @type (docs/hss-store.md
 * section 5): @impi, the NFKC form to find among the IMPIs (stored so,
 * TS 33.220 B.2.1), then @impu, the IMPU normal form; "" where there is
 * none to try.  Return: GBA_OK (at least one to try), or the answer
 * without a lookup: GBA_ERR_NOT_FOUND, GBA_ERR_TOO_LARGE,
 * GBA_ERR_MALFORMED (an IMPI that is not UTF-8), GBA_ERR_BAD_PARAM, the
 * IMPU normalisation error (BSF_ID_PUBLIC).
 */
struct bsf_rule_id_keys {
	char impi[BSF_IMPI_MAX + 1];
	char impu[BSF_IMPU_MAX + 1];
};
int bsf_rule_id_keys(const char *ue_id, size_t len, enum bsf_id_type type,
		     struct bsf_rule_id_keys *k);

#endif
