/*
 * see gba/aka.h - TS 33.102 V17.0.0 clauses 6.3.2, 6.3.3, 6.3.5 over
 * Milenage (TS 35.206) or TUAK (TS 35.231); TS 33.220 clause 5.3.2 AUTN*.
 */
#include <string.h>
#include "gba/aka.h"
#include "gba/crypto.h"
#include "gba/milenage.h"
#include "gba/tuak.h"

#define AKA_MAC_LEN 8 /* AUTN carries a 64-bit MAC (6.3.2) */

/* The outputs of f1..f5* in one shape for both algorithm sets. */
struct aka_f {
	uint8_t mac_a[AKA_MAC_LEN]; /* f1 */
	uint8_t mac_s[AKA_MAC_LEN]; /* f1* */
	uint8_t res[GBA_RES_MAX];   /* f2 */
	uint8_t ck[GBA_KEY_MAX];    /* f3 */
	uint8_t ik[GBA_KEY_MAX];    /* f4 */
	uint8_t ak[6];		    /* f5 */
	uint8_t ak_s[6];	    /* f5* */
	size_t res_len, ck_len, ik_len;
};

/* 6.3.3: the dummy AMF of f1* in AUTS (the resynchronisation MAC-S) */
static const uint8_t amf_resync[2] = {0x00, 0x00};

#define F_MAC_A 0x01
#define F_MAC_S 0x02
#define F_RES_CK_IK_AK 0x04
#define F_AK_S 0x08

static int key_ok(const struct gba_auth_key *key)
{
	if (!key)
		return 0;
	switch (key->alg) {
	case GBA_ALG_MILENAGE:
		return key->k_len == GBA_MILENAGE_KEY_LEN;
	case GBA_ALG_TUAK:
		return (key->k_len == 16 || key->k_len == 32) &&
		       key->keccak_iterations >= 1 &&
		       (key->res_len == 4 || key->res_len == 8 ||
			key->res_len == 16 || key->res_len == 32) &&
		       (key->ck_len == 16 || key->ck_len == 32) &&
		       (key->ik_len == 16 || key->ik_len == 32);
	}
	return 0;
}

/*
 * Helpers kept out of line (GCC, Clang) so that a firmware stack holds
 * either a caller's frame or a callee's, not both merged: the worst-case
 * stack of the UE agent runs through here (docs/firmware-integration.md
 * "Memory profiles").
 */
#if defined(__GNUC__) || defined(__clang__)
#define AKA_NOINLINE __attribute__((noinline))
#else
#define AKA_NOINLINE
#endif

static AKA_NOINLINE int f_milenage(const struct gba_auth_key *key,
				   const uint8_t rand_[16], const uint8_t *sqn,
				   const uint8_t *amf, unsigned want,
				   struct aka_f *f)
{
	struct gba_milenage_out m;
	unsigned w = 0;
	int r;

	if (want & (F_MAC_A | F_MAC_S))
		w |= GBA_MILENAGE_F1; /* OUT1 gives MAC-A and MAC-S */
	if (want & F_RES_CK_IK_AK)
		w |= GBA_MILENAGE_F2F5 | GBA_MILENAGE_F3 | GBA_MILENAGE_F4;
	if (want & F_AK_S)
		w |= GBA_MILENAGE_F5S;
	if ((r = gba_milenage(key->k, key->opc, rand_, sqn, amf, w, &m)) != 0)
		goto out;
	memcpy(f->mac_a, m.mac_a, AKA_MAC_LEN);
	memcpy(f->mac_s, m.mac_s, AKA_MAC_LEN);
	memcpy(f->res, m.res, 8);
	memcpy(f->ck, m.ck, 16);
	memcpy(f->ik, m.ik, 16);
	memcpy(f->ak, m.ak, 6);
	memcpy(f->ak_s, m.ak_s, 6);
	f->res_len = 8;
	f->ck_len = 16;
	f->ik_len = 16;
out:
	gba_cleanse(&m, sizeof(m));
	return r;
}

static AKA_NOINLINE int f_tuak(const struct gba_auth_key *key,
			       const uint8_t rand_[16], const uint8_t *sqn,
			       const uint8_t *amf, unsigned want,
			       struct aka_f *f)
{
	struct gba_tuak_inst inst;
	struct gba_tuak_out t;
	unsigned w = 0;
	int r;

	inst.k_len = key->k_len;
	inst.iterations = key->keccak_iterations;
	inst.mac_len = AKA_MAC_LEN;
	inst.res_len = key->res_len;
	inst.ck_len = key->ck_len;
	inst.ik_len = key->ik_len;
	if (want & F_MAC_A)
		w |= GBA_TUAK_F1;
	if (want & F_MAC_S)
		w |= GBA_TUAK_F1S;
	if (want & F_RES_CK_IK_AK)
		w |= GBA_TUAK_F2345;
	if (want & F_AK_S)
		w |= GBA_TUAK_F5S;
	if ((r = gba_tuak(&inst, key->k, key->opc, rand_, sqn, amf, w, &t)) !=
	    0)
		goto out;
	memcpy(f->mac_a, t.mac_a, AKA_MAC_LEN);
	memcpy(f->mac_s, t.mac_s, AKA_MAC_LEN);
	memcpy(f->res, t.res, key->res_len);
	memcpy(f->ck, t.ck, key->ck_len);
	memcpy(f->ik, t.ik, key->ik_len);
	memcpy(f->ak, t.ak, 6);
	memcpy(f->ak_s, t.ak_s, 6);
	f->res_len = key->res_len;
	f->ck_len = key->ck_len;
	f->ik_len = key->ik_len;
out:
	gba_cleanse(&t, sizeof(t));
	return r;
}

/* Run the selected functions of the subscriber's algorithm set. */
static int aka_f(const struct gba_auth_key *key, const uint8_t rand_[16],
		 const uint8_t *sqn, const uint8_t *amf, unsigned want,
		 struct aka_f *f)
{
	int r;

	memset(f, 0, sizeof(*f));
	if (key->alg == GBA_ALG_MILENAGE)
		r = f_milenage(key, rand_, sqn, amf, want, f);
	else
		r = f_tuak(key, rand_, sqn, amf, want, f);
	if (r != GBA_OK)
		gba_cleanse(f, sizeof(*f));
	return r;
}

/* RES (XRES on the network side), CK and IK of @f, with their lengths. */
static void f_res_ck_ik(const struct aka_f *f, uint8_t *res, size_t *res_len,
			uint8_t *ck, size_t *ck_len, uint8_t *ik,
			size_t *ik_len)
{
	memcpy(res, f->res, f->res_len);
	*res_len = f->res_len;
	memcpy(ck, f->ck, f->ck_len);
	*ck_len = f->ck_len;
	memcpy(ik, f->ik, f->ik_len);
	*ik_len = f->ik_len;
}

void gba_auth_key_clear(struct gba_auth_key *key)
{
	if (key)
		gba_cleanse(key, sizeof(*key));
}

/*
 * 6.3.2 for Milenage, straight from gba_milenage() into @av: one key
 * schedule and five block encryptions (TEMP, OUT1..OUT4), no intermediate
 * copy.  This is the AuC hot path measured by bench/gba-bench.
 */
static int av_milenage(const struct gba_auth_key *key, const uint8_t rand_[16],
		       const uint8_t sqn_b[6], const uint8_t amf[2],
		       struct gba_av *av)
{
	struct gba_milenage_out m;
	int i, r;

	r = gba_milenage(key->k, key->opc, rand_, sqn_b, amf,
			 GBA_MILENAGE_F1 | GBA_MILENAGE_F2F5 | GBA_MILENAGE_F3 |
				 GBA_MILENAGE_F4,
			 &m);
	if (r == GBA_OK) {
		/* AUTN = SQN xor AK || AMF || MAC */
		for (i = 0; i < 6; i++)
			av->autn[i] = sqn_b[i] ^ m.ak[i];
		memcpy(av->autn + 6, amf, 2);
		memcpy(av->autn + 8, m.mac_a, AKA_MAC_LEN);
		memcpy(av->xres, m.res, 8);
		av->xres_len = 8;
		memcpy(av->ck, m.ck, 16);
		av->ck_len = 16;
		memcpy(av->ik, m.ik, 16);
		av->ik_len = 16;
		memcpy(av->ak, m.ak, 6);
	}
	gba_cleanse(&m, sizeof(m));
	return r;
}

static int av_generic(const struct gba_auth_key *key, const uint8_t rand_[16],
		      const uint8_t sqn_b[6], const uint8_t amf[2],
		      struct gba_av *av)
{
	struct aka_f f;
	int i, r;

	if ((r = aka_f(key, rand_, sqn_b, amf, F_MAC_A | F_RES_CK_IK_AK, &f)) !=
	    GBA_OK)
		return r;
	/* 6.3.2: AUTN = SQN xor AK || AMF || MAC */
	for (i = 0; i < 6; i++)
		av->autn[i] = sqn_b[i] ^ f.ak[i];
	memcpy(av->autn + 6, amf, 2);
	memcpy(av->autn + 8, f.mac_a, AKA_MAC_LEN);
	f_res_ck_ik(&f, av->xres, &av->xres_len, av->ck, &av->ck_len, av->ik,
		    &av->ik_len);
	memcpy(av->ak, f.ak, 6);
	gba_cleanse(&f, sizeof(f));
	return GBA_OK;
}

int gba_aka_av(const struct gba_auth_key *key, const uint8_t rand[16],
	       uint64_t sqn, const uint8_t amf[2], struct gba_av *av)
{
	uint8_t sqn_b[6];
	int r;

	if (!av)
		return GBA_ERR_BAD_PARAM;
	memset(av, 0, sizeof(*av));
	if (!key_ok(key) || !rand || !amf || sqn > GBA_SQN_MAX)
		return GBA_ERR_BAD_PARAM;
	gba_sqn_to_bytes(sqn, sqn_b);
	if (key->alg == GBA_ALG_MILENAGE)
		r = av_milenage(key, rand, sqn_b, amf, av);
	else
		r = av_generic(key, rand, sqn_b, amf, av);
	if (r == GBA_OK)
		memcpy(av->rand, rand, 16);
	else
		gba_cleanse(av, sizeof(*av));
	return r;
}

int gba_aka_autn_star(const uint8_t autn[GBA_AUTN_LEN], const uint8_t *ik,
		      size_t ik_len, uint8_t out[GBA_AUTN_LEN])
{
	uint8_t md[GBA_SHA1_LEN];
	const uint8_t *addr[1];
	size_t len[1];
	int i, r;

	if (!out)
		return GBA_ERR_BAD_PARAM;
	if (!autn || !ik || (ik_len != 16 && ik_len != 32)) {
		memset(out, 0, GBA_AUTN_LEN);
		return GBA_ERR_BAD_PARAM;
	}
	addr[0] = ik;
	len[0] = ik_len;
	/*
	 * TS 33.220 5.3.2: MAC* = MAC xor Trunc(SHA-1(IK)), Trunc taken as
	 * the first 64 bits of the SHA-1 output (project reading, docs/sqn.md).
	 * SQN xor AK and AMF are copied; the map is its own inverse.
	 */
	if ((r = gba_sha1_vec(1, addr, len, md)) != GBA_OK) {
		memset(out, 0, GBA_AUTN_LEN);
		goto out;
	}
	memmove(out, autn, GBA_AUTN_LEN);
	for (i = 0; i < AKA_MAC_LEN; i++)
		out[8 + i] ^= md[i];
out:
	gba_cleanse(md, sizeof(md));
	return r;
}

/* gba_aka_usim() up to the SQN check; GBA_ERR_SYNC leaves AUTS to it */
static AKA_NOINLINE int aka_usim_check(const struct gba_auth_key *key,
				       struct gba_sqn_ms *ms,
				       const uint8_t rand[16],
				       const uint8_t autn[GBA_AUTN_LEN],
				       int gba_u, struct gba_usim_res *res);

int gba_aka_usim(const struct gba_auth_key *key, struct gba_sqn_ms *ms,
		 const uint8_t rand[16], const uint8_t autn[GBA_AUTN_LEN],
		 int gba_u, struct gba_usim_res *res,
		 uint8_t auts[GBA_AUTS_LEN])
{
	int r, r2;

	if (res)
		memset(res, 0, sizeof(*res));
	if (auts)
		memset(auts, 0, GBA_AUTS_LEN);
	if (!res || !key_ok(key) || !ms || !rand || !autn)
		return GBA_ERR_BAD_PARAM;
	r = aka_usim_check(key, ms, rand, autn, gba_u, res);
	/* 6.3.3: SQN out of range: AUTS from SQN_MS, nothing committed */
	if (r == GBA_ERR_SYNC && auts) {
		r2 = gba_aka_auts(key, rand, gba_sqn_ms_highest(ms), auts);
		if (r2 != GBA_OK)
			r = r2;
	}
	return r;
}

static int aka_usim_check(const struct gba_auth_key *key, struct gba_sqn_ms *ms,
			  const uint8_t rand[16],
			  const uint8_t autn[GBA_AUTN_LEN], int gba_u,
			  struct gba_usim_res *res)
{
	struct aka_f f; /* f2..f5 first, then reused for f1 (small stack) */
	uint8_t sqn_b[6], a[GBA_AUTN_LEN];
	uint64_t sqn;
	int i, r;

	/* f2..f5: RES, CK, IK and AK from K and RAND alone */
	if ((r = aka_f(key, rand, NULL, NULL, F_RES_CK_IK_AK, &f)) != GBA_OK)
		goto out;
	/* GBA_U: undo MAC* = MAC xor Trunc(SHA-1(IK)) with our own IK */
	if (gba_u) {
		if ((r = gba_aka_autn_star(autn, f.ik, f.ik_len, a)) != GBA_OK)
			goto out;
	} else {
		memcpy(a, autn, GBA_AUTN_LEN);
	}
	/* SQN = (SQN xor AK) xor AK */
	for (i = 0; i < 6; i++)
		sqn_b[i] = a[i] ^ f.ak[i];
	sqn = gba_sqn_from_bytes(sqn_b);
	/* RES, CK, IK into @res now (wiped below unless every check passes),
	 * so that @f can take f1 */
	f_res_ck_ik(&f, res->res, &res->res_len, res->ck, &res->ck_len, res->ik,
		    &res->ik_len);
	/* XMAC = f1(K, SQN, RAND, AMF), compared in constant time */
	if ((r = aka_f(key, rand, sqn_b, a + 6, F_MAC_A, &f)) != GBA_OK)
		goto out;
	if (!gba_ct_eq(f.mac_a, a + 8, AKA_MAC_LEN)) {
		r = GBA_ERR_MAC;
		goto out;
	}
	/* 6.3.3 / Annex C: SQN in range?  Otherwise (GBA_ERR_SYNC) the
	 * caller computes AUTS; nothing commits. */
	if ((r = gba_sqn_ms_check(ms, sqn)) != GBA_OK)
		goto out;
	res->sqn = sqn;
	gba_sqn_ms_accept(ms, sqn); /* commit only after every check */
out:
	gba_cleanse(&f, sizeof(f));
	gba_cleanse(sqn_b, sizeof(sqn_b));
	gba_cleanse(a, sizeof(a));
	if (r != GBA_OK)
		gba_cleanse(res, sizeof(*res));
	return r;
}

int gba_aka_auts(const struct gba_auth_key *key, const uint8_t rand[16],
		 uint64_t sqn_ms, uint8_t auts[GBA_AUTS_LEN])
{
	struct aka_f f;
	uint8_t sqn_b[6];
	int i, r;

	if (!auts)
		return GBA_ERR_BAD_PARAM;
	memset(auts, 0, GBA_AUTS_LEN);
	if (!key_ok(key) || !rand || sqn_ms > GBA_SQN_MAX)
		return GBA_ERR_BAD_PARAM;
	gba_sqn_to_bytes(sqn_ms, sqn_b);
	/* 6.3.3: MAC-S = f1*(K, SQN_MS, RAND, AMF) with the dummy AMF 0x0000 */
	if ((r = aka_f(key, rand, sqn_b, amf_resync, F_MAC_S | F_AK_S, &f)) !=
	    0)
		goto out;
	/* AUTS = SQN_MS xor AK* || MAC-S, AK* = f5*(K, RAND) */
	for (i = 0; i < 6; i++)
		auts[i] = sqn_b[i] ^ f.ak_s[i];
	memcpy(auts + 6, f.mac_s, AKA_MAC_LEN);
out:
	gba_cleanse(&f, sizeof(f));
	gba_cleanse(sqn_b, sizeof(sqn_b));
	return r;
}

int gba_aka_auts_verify(const struct gba_auth_key *key, const uint8_t rand[16],
			const uint8_t auts[GBA_AUTS_LEN], uint64_t *sqn_ms)
{
	struct aka_f f;
	uint8_t sqn_b[6];
	int i, r;

	if (!sqn_ms)
		return GBA_ERR_BAD_PARAM;
	*sqn_ms = 0;
	memset(&f, 0, sizeof(f));
	if (!key_ok(key) || !rand || !auts)
		return GBA_ERR_BAD_PARAM;
	/* 6.3.5 step 1: SQN_MS = Conc(SQN_MS) xor f5*(K, RAND) */
	if ((r = aka_f(key, rand, NULL, NULL, F_AK_S, &f)) != GBA_OK)
		goto out;
	for (i = 0; i < 6; i++)
		sqn_b[i] = auts[i] ^ f.ak_s[i];
	/* step 4: XMAC-S = f1*(K, SQN_MS, RAND, 0x0000) against MAC-S */
	if ((r = aka_f(key, rand, sqn_b, amf_resync, F_MAC_S, &f)) != GBA_OK)
		goto out;
	if (!gba_ct_eq(f.mac_s, auts + 6, AKA_MAC_LEN)) {
		r = GBA_ERR_MAC;
		goto out;
	}
	*sqn_ms = gba_sqn_from_bytes(sqn_b);
out:
	gba_cleanse(&f, sizeof(f));
	gba_cleanse(sqn_b, sizeof(sqn_b));
	return r;
}
