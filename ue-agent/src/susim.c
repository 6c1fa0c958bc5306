/* see gbaue/susim.h - software USIM: TS 33.102 6.3.3, Annex C; TS 33.220
 * 5.3.2 (AUTN*), B.3 and Annex G.2 (GBA_U NAF derivation in the UICC). */
#include <string.h>
#include "gba/crypto.h"
#include "gba/cursor.h"
#include "gbaue/susim.h"

static const uint8_t susim_magic[4] = {'G', 'S', 'U', '1'};

int gbaue_susim_init(struct gbaue_susim *s, const struct gba_auth_key *key,
		     const struct gba_sqn_policy *pol, int gba_u)
{
	struct gba_sqn_policy def;
	int r;

	if (!s || !key)
		return GBA_ERR_BAD_PARAM;
	gba_cleanse(s, sizeof(*s));
	if (!pol) {
		gba_sqn_policy_default(&def);
		pol = &def;
	}
	if ((r = gba_sqn_ms_init(&s->sqn, pol)) != GBA_OK)
		return r;
	s->key = *key;
	s->gba_u = gba_u ? 1 : 0;
	return GBA_OK;
}

void gbaue_susim_clear(struct gbaue_susim *s)
{
	if (s)
		gba_cleanse(s, sizeof(*s));
}

static void drop_staged(struct gbaue_susim *s)
{
	gba_cleanse(&s->staged, sizeof(s->staged));
	gba_cleanse(s->staged_ks, sizeof(s->staged_ks));
	gba_cleanse(s->staged_rand, sizeof(s->staged_rand));
	s->staged_valid = 0;
	s->staged_ks_valid = 0;
}

static int susim_authenticate(void *usim, const uint8_t rand[GBA_RAND_LEN],
			      const uint8_t autn[GBA_AUTN_LEN], int gba_u,
			      struct gbaue_usim_auth *out)
{
	struct gbaue_susim *s = usim;
	struct gba_usim_res res;
	int r;

	memset(out, 0, sizeof(*out));
	if (!s)
		return GBA_ERR_BAD_PARAM;
	drop_staged(s);
	if (gba_u && !s->gba_u)
		return GBA_ERR_UNSUPPORTED;
	/* work on a copy of SEQ_MS: committed only by finish(1) */
	s->staged = s->sqn;
	r = gba_aka_usim(&s->key, &s->staged, rand, autn, gba_u, &res,
			 out->auts);
	if (r != GBA_OK)
		goto out;
	if (res.ck_len != GBA_CK_LEN || res.ik_len != GBA_IK_LEN) {
		/* TUAK with 256-bit CK/IK: Ks is not CK || IK of 16 + 16 */
		r = GBA_ERR_UNSUPPORTED;
		goto out;
	}
	if (gba_u) {
		/* G.1: Ks = CK || IK stays in the UICC; RES goes out (unused)
		 */
		gba_ks_from_ck_ik(res.ck, res.ik, s->staged_ks);
		memcpy(s->staged_rand, rand, GBA_RAND_LEN);
		s->staged_ks_valid = 1;
	} else {
		memcpy(out->ck, res.ck, GBA_CK_LEN);
		memcpy(out->ik, res.ik, GBA_IK_LEN);
	}
	s->staged_valid = 1;
out:
	gba_cleanse(&res, sizeof(res));
	if (r != GBA_OK) {
		gba_cleanse(out->ck, sizeof(out->ck));
		gba_cleanse(out->ik, sizeof(out->ik));
		if (r != GBA_ERR_SYNC)
			memset(out->auts, 0, sizeof(out->auts));
		s->staged_valid = 0;
		gba_cleanse(&s->staged, sizeof(s->staged));
	}
	return r;
}

static int susim_naf_derive(void *usim, const uint8_t *naf_id,
			    size_t naf_id_len, const uint8_t *impi,
			    size_t impi_len,
			    uint8_t ks_ext_naf[GBA_KDF_OUT_LEN])
{
	struct gbaue_susim *s = usim;
	const uint8_t *ks, *rand_;
	uint8_t ks_int[GBA_KDF_OUT_LEN];
	int r;

	memset(ks_ext_naf, 0, GBA_KDF_OUT_LEN);
	if (!s || !s->gba_u)
		return GBA_ERR_UNSUPPORTED;
	/* the Ks of the bootstrapping run in progress, else the kept one */
	if (s->staged_ks_valid) {
		ks = s->staged_ks;
		rand_ = s->staged_rand;
	} else if (s->ks_valid) {
		ks = s->ks;
		rand_ = s->ks_rand;
	} else {
		return GBA_ERR_STATE;
	}
	/* B.3: Ks_ext_NAF = KDF(Ks, "gba-me", ...), Ks_int_NAF = "gba-u" */
	if ((r = gba_kdf_naf_key(ks, 0, rand_, impi, impi_len, naf_id,
				 naf_id_len, ks_ext_naf)) != GBA_OK ||
	    (r = gba_kdf_naf_key(ks, 1, rand_, impi, impi_len, naf_id,
				 naf_id_len, ks_int)) != GBA_OK) {
		gba_cleanse(ks_ext_naf, GBA_KDF_OUT_LEN);
		goto out;
	}
	memcpy(s->ks_int_naf, ks_int, sizeof(ks_int));
out:
	gba_cleanse(ks_int, sizeof(ks_int));
	return r;
}

static void susim_finish(void *usim, int accepted)
{
	struct gbaue_susim *s = usim;

	if (!s)
		return;
	if (accepted && s->staged_valid) {
		s->sqn = s->staged;
		if (s->staged_ks_valid) {
			/* G.1: a new run replaces Ks and RAND */
			memcpy(s->ks, s->staged_ks, GBA_KS_LEN);
			memcpy(s->ks_rand, s->staged_rand, GBA_RAND_LEN);
			s->ks_valid = 1;
		}
	}
	drop_staged(s);
}

const struct gbaue_usim_ops gbaue_susim_ops = {
	.authenticate = susim_authenticate,
	.naf_derive = susim_naf_derive,
	.finish = susim_finish,
};

int gbaue_susim_export(const struct gbaue_susim *s, uint8_t *out, size_t cap,
		       size_t *out_len)
{
	size_t i;

	*out_len = 0;
	if (!s || !out)
		return GBA_ERR_BAD_PARAM;
	if (cap < GBAUE_SUSIM_STATE_LEN)
		return GBA_ERR_NO_SPACE;
	memcpy(out, susim_magic, 4);
	out[4] = (uint8_t)s->sqn.pol.ind_bits;
	out[5] = s->sqn.ind_ms;
	gba_put_be64(out + 6, s->sqn.pol.delta);
	gba_put_be64(out + 14, s->sqn.pol.l);
	for (i = 0; i < GBA_SQN_ARRAY_MAX; i++)
		gba_put_be64(out + 22 + 8 * i, s->sqn.seq_ms[i]);
	*out_len = GBAUE_SUSIM_STATE_LEN;
	return GBA_OK;
}

int gbaue_susim_import(struct gbaue_susim *s, const uint8_t *buf, size_t len)
{
	struct gba_sqn_ms ms;
	struct gba_sqn_policy pol;
	size_t i;
	int r;

	if (!s || !buf)
		return GBA_ERR_BAD_PARAM;
	if (len < GBAUE_SUSIM_STATE_LEN)
		return GBA_ERR_TRUNCATED;
	if (len > GBAUE_SUSIM_STATE_LEN)
		return GBA_ERR_TRAILING;
	if (memcmp(buf, susim_magic, 4) != 0)
		return GBA_ERR_MALFORMED;
	pol.ind_bits = buf[4];
	pol.delta = gba_get_be64(buf + 6);
	pol.l = gba_get_be64(buf + 14);
	if ((r = gba_sqn_ms_init(&ms, &pol)) != GBA_OK)
		return GBA_ERR_MALFORMED;
	if (buf[5] >= (1u << pol.ind_bits))
		return GBA_ERR_MALFORMED;
	ms.ind_ms = buf[5];
	for (i = 0; i < GBA_SQN_ARRAY_MAX; i++) {
		ms.seq_ms[i] = gba_get_be64(buf + 22 + 8 * i);
		if (ms.seq_ms[i] > (GBA_SQN_MAX >> pol.ind_bits))
			return GBA_ERR_MALFORMED;
	}
	s->sqn = ms;
	return GBA_OK;
}
