/*
 * UMTS AKA (TS 33.102 6.3.2, 6.3.3, 6.3.5) and GBA_U AUTN* (TS 33.220
 * 5.3.2) over Milenage (TS 35.208 sets) and TUAK (TS 35.233 sets with a
 * 64-bit MAC).
 *
 * Expected AUTN is built from the data of each set, not by our code:
 * AUTN = (sqn xor f5) || amf || f1.  AUTS and AUTN* literals were computed
 * independently with a separate Python Milenage (pyca/cryptography AES-128,
 * TS 35.206 formulas, self-checked against TS 35.208 set 1 f1 and f5*)
 * and hashlib.sha1; the script line is quoted next to each literal.
 */
#include <string.h>
#include "gba/aka.h"
#include "gba/crypto.h"
#include "gba/sqn.h"
#include "gba_test.h"
#include "vecfile.h"

/* TS 35.208 set 1 */
#define S1_K "465b5ce8b199b49faa5f0a2ee238a6bc"
#define S1_OPC "cd63cb71954a9f4e48a5994e37a02baf"
#define S1_RAND "23553cbe9637a89d218ae64dae47bf35"
#define S1_SQN UINT64_C(0xff9bb4d0b607)
#define S1_AMF "\xb9\xb9"

static void key_set1(struct gba_auth_key *key)
{
	memset(key, 0, sizeof(*key));
	key->alg = GBA_ALG_MILENAGE;
	key->k_len = 16;
	gba_test_unhex(S1_K, key->k, 16);
	gba_test_unhex(S1_OPC, key->opc, 16);
}

static uint64_t mk(uint64_t seq, unsigned ind)
{
	uint64_t s = 0;

	CU_ASSERT_EQUAL_FATAL(gba_sqn_make(seq, ind, 5, &s), GBA_OK);
	return s;
}

static void ms_default(struct gba_sqn_ms *ms)
{
	struct gba_sqn_policy pol;

	gba_sqn_policy_default(&pol);
	CU_ASSERT_EQUAL_FATAL(gba_sqn_ms_init(ms, &pol), GBA_OK);
}

/* Key from a vector set: Milenage (opc) or TUAK (topc + sizes). */
static int key_from_set(const struct vec_set *s, enum gba_alg alg,
			struct gba_auth_key *key)
{
	const struct vec_field *k = vec_get(s, "k");

	memset(key, 0, sizeof(*key));
	key->alg = alg;
	key->k_len = k->len;
	memcpy(key->k, k->val, k->len);
	if (alg == GBA_ALG_MILENAGE) {
		memcpy(key->opc, vec_get(s, "opc")->val, 16);
	} else {
		memcpy(key->opc, vec_get(s, "topc")->val, 32);
		key->keccak_iterations =
			vec_get(s, "keccak_iterations")->val[0];
		key->res_len = vec_get(s, "f2")->len;
		key->ck_len = vec_get(s, "f3")->len;
		key->ik_len = vec_get(s, "f4")->len;
	}
	return 0;
}

/* @res, @ck and @ik (with their lengths) are the set's f2, f3 and f4 */
static void keys_are(const struct vec_set *s, const uint8_t *res,
		     size_t res_len, const uint8_t *ck, size_t ck_len,
		     const uint8_t *ik, size_t ik_len)
{
	const struct vec_field *f2 = vec_get(s, "f2");
	const struct vec_field *f3 = vec_get(s, "f3");
	const struct vec_field *f4 = vec_get(s, "f4");

	CU_ASSERT_EQUAL(res_len, f2->len);
	GBA_ASSERT_HEX_EQ(res, f2->val, f2->len);
	CU_ASSERT_EQUAL(ck_len, f3->len);
	GBA_ASSERT_HEX_EQ(ck, f3->val, f3->len);
	CU_ASSERT_EQUAL(ik_len, f4->len);
	GBA_ASSERT_HEX_EQ(ik, f4->val, f4->len);
}

/*
 * For every set (with a 64-bit f1): the AV equals the set's data, a USIM
 * that last accepted the previous SEQ in the same slot accepts it and
 * returns f2/f3/f4, and a replay is a sync failure whose AUTS resolves to
 * exactly that SQN.
 */
static int check_set(const struct vec_set *s, void *arg)
{
	enum gba_alg alg = *(const enum gba_alg *)arg;
	const struct vec_field *f1, *f2, *f3, *f4, *f5, *sqn, *amf;
	const uint8_t *rnd = vec_get(s, "rand")->val;
	struct gba_auth_key key;
	struct gba_av av;
	struct gba_usim_res res;
	struct gba_sqn_ms ms;
	uint8_t autn[16], auts[14];
	uint64_t sqn_v, sqn_ms;
	int i;

	gba_test_vec_need(s, "f1", &f1, "f2", &f2, "f3", &f3, "f4", &f4,
			  "f5", &f5, "sqn", &sqn, "amf", &amf,
			  (const char *)NULL);
	if (f1->len != 8)
		return 0; /* AUTN carries a 64-bit MAC only */
	key_from_set(s, alg, &key);
	sqn_v = gba_sqn_from_bytes(sqn->val);

	/* expected AUTN from the set's data */
	for (i = 0; i < 6; i++)
		autn[i] = sqn->val[i] ^ f5->val[i];
	memcpy(autn + 6, amf->val, 2);
	memcpy(autn + 8, f1->val, 8);

	GBA_ASSERT_ERR(gba_aka_av(&key, rnd, sqn_v, amf->val, &av), GBA_OK);
	GBA_ASSERT_HEX_EQ(av.rand, rnd, 16);
	GBA_ASSERT_HEX_EQ(av.autn, autn, 16);
	keys_are(s, av.xres, av.xres_len, av.ck, av.ck_len, av.ik, av.ik_len);
	GBA_ASSERT_HEX_EQ(av.ak, f5->val, 6);

	/* USIM: last accepted the previous SEQ in this slot */
	ms_default(&ms);
	if (sqn_v >> 5)
		gba_sqn_ms_accept(&ms, sqn_v - 32);
	GBA_ASSERT_ERR(gba_aka_usim(&key, &ms, rnd, autn, 0, &res, auts),
		       GBA_OK);
	keys_are(s, res.res, res.res_len, res.ck, res.ck_len, res.ik,
		 res.ik_len);
	CU_ASSERT_EQUAL(res.sqn, sqn_v);
	CU_ASSERT_EQUAL(gba_sqn_ms_highest(&ms), sqn_v);

	/* replay: MAC right, SQN used -> AUTS for SQN_MS = this SQN */
	GBA_ASSERT_ERR(gba_aka_usim(&key, &ms, rnd, autn, 0, &res, auts),
		       GBA_ERR_SYNC);
	CU_ASSERT_EQUAL(res.res_len, 0);
	/* Conc(SQN_MS) = SQN_MS xor f5* of the set */
	for (i = 0; i < 6; i++)
		CU_ASSERT_EQUAL(auts[i] ^ vec_get(s, "f5star")->val[i],
				sqn->val[i]);
	GBA_ASSERT_ERR(gba_aka_auts_verify(&key, rnd, auts, &sqn_ms),
		       GBA_OK);
	CU_ASSERT_EQUAL(sqn_ms, sqn_v);
	gba_auth_key_clear(&key);
	return 1;
}

static void test_milenage_sets(void)
{
	enum gba_alg alg = GBA_ALG_MILENAGE;

	CU_ASSERT_EQUAL(gba_test_vec_sets("milenage_ts35208.txt", check_set,
					  &alg), 20);
}

/* TS 35.233 sets 1 and 5 have a 64-bit MAC (the others cannot fit AUTN). */
static void test_tuak_sets(void)
{
	enum gba_alg alg = GBA_ALG_TUAK;

	CU_ASSERT_EQUAL(gba_test_vec_sets("tuak_ts35233.txt", check_set, &alg),
			2);
}

/* A wrong MAC-A, AMF or SQN: GBA_ERR_MAC, no AUTS, SQN state unchanged. */
static void test_bad_mac(void)
{
	static const unsigned flip[] = {0, 5, 6, 7, 8, 15};
	struct gba_auth_key key;
	struct gba_sqn_ms ms, before;
	struct gba_usim_res res;
	struct gba_av av;
	uint8_t rnd[16], autn[16], auts[14], zero[14] = {0};
	size_t i;

	key_set1(&key);
	gba_test_unhex(S1_RAND, rnd, 16);
	GBA_ASSERT_ERR(
		gba_aka_av(&key, rnd, S1_SQN, (const uint8_t *)S1_AMF, &av),
		GBA_OK);
	ms_default(&ms);
	gba_sqn_ms_accept(&ms, S1_SQN - 32);
	memcpy(&before, &ms, sizeof(ms));
	for (i = 0; i < GBA_ARRAY_SIZE(flip); i++) {
		memcpy(autn, av.autn, 16);
		autn[flip[i]] ^= 0x01;
		memset(auts, 0xaa, sizeof(auts));
		GBA_ASSERT_ERR(
			gba_aka_usim(&key, &ms, rnd, autn, 0, &res, auts),
			GBA_ERR_MAC);
		CU_ASSERT_EQUAL(res.res_len, 0);
		GBA_ASSERT_HEX_EQ(auts, zero, 14);
		CU_ASSERT(memcmp(&ms, &before, sizeof(ms)) == 0);
	}
	/* the untouched AUTN is still accepted afterwards */
	GBA_ASSERT_ERR(gba_aka_usim(&key, &ms, rnd, av.autn, 0, &res, NULL),
		       GBA_OK);
}

/*
 * Sync failure and resync: the USIM last accepted SQN 0x143 (SEQ 10,
 * IND 3); the HE is behind at SEQ_HE 5.
 */
static void test_sync_resync(void)
{
	struct gba_auth_key key;
	struct gba_sqn_ms ms, before;
	struct gba_usim_res res;
	struct gba_av av;
	uint8_t rnd[16], auts[14], exp[14];
	uint64_t seq_he = 5, sqn, sqn_ms = 1;

	key_set1(&key);
	gba_test_unhex(S1_RAND, rnd, 16);
	ms_default(&ms);
	gba_sqn_ms_accept(&ms, mk(10, 3));
	memcpy(&before, &ms, sizeof(ms));

	GBA_ASSERT_ERR(gba_sqn_he_next(&seq_he, 3, 5, &sqn), GBA_OK);
	GBA_ASSERT_ERR(gba_aka_av(&key, rnd, sqn, (const uint8_t *)S1_AMF, &av),
		       GBA_OK);
	GBA_ASSERT_ERR(gba_aka_usim(&key, &ms, rnd, av.autn, 0, &res, auts),
		       GBA_ERR_SYNC);
	CU_ASSERT(memcmp(&ms, &before, sizeof(ms)) == 0);
	/* mil.py: set 1, SQN_MS 000000000143, AMF 0000:
	 * (SQN_MS xor f5*) || f1* */
	gba_test_unhex("451e8beca57811fcf0ed4356fc5c", exp, 14);
	GBA_ASSERT_HEX_EQ(auts, exp, 14);
	/* gba_aka_auts() alone gives the same AUTS */
	GBA_ASSERT_ERR(gba_aka_auts(&key, rnd, 0x143, auts), GBA_OK);
	GBA_ASSERT_HEX_EQ(auts, exp, 14);

	/* network side */
	GBA_ASSERT_ERR(gba_aka_auts_verify(&key, rnd, auts, &sqn_ms), GBA_OK);
	CU_ASSERT_EQUAL(sqn_ms, 0x143);
	gba_sqn_he_resync(&seq_he, sqn_ms, 5);
	GBA_ASSERT_ERR(gba_sqn_he_next(&seq_he, 3, 5, &sqn), GBA_OK);
	CU_ASSERT_EQUAL(sqn, mk(11, 3));
	GBA_ASSERT_ERR(gba_aka_av(&key, rnd, sqn, (const uint8_t *)S1_AMF, &av),
		       GBA_OK);
	GBA_ASSERT_ERR(gba_aka_usim(&key, &ms, rnd, av.autn, 0, &res, auts),
		       GBA_OK);
	CU_ASSERT_EQUAL(res.sqn, mk(11, 3));
}

/*
 * Delta: the USIM is at SQN 0x3e1 (SEQ 31, IND 1); the HE ran ahead by more
 * than Delta = 2^28.  Resync must bring the HE back, not keep max().
 */
static void test_delta_resync(void)
{
	struct gba_auth_key key;
	struct gba_sqn_ms ms;
	struct gba_usim_res res;
	struct gba_av av;
	uint8_t rnd[16], auts[14], exp[14];
	uint64_t seq_he = 31 + (UINT64_C(1) << 28), sqn, sqn_ms;

	key_set1(&key);
	gba_test_unhex(S1_RAND, rnd, 16);
	ms_default(&ms);
	gba_sqn_ms_accept(&ms, mk(31, 1));
	GBA_ASSERT_ERR(gba_sqn_he_next(&seq_he, 0, 5, &sqn), GBA_OK);
	GBA_ASSERT_ERR(gba_aka_av(&key, rnd, sqn, (const uint8_t *)S1_AMF, &av),
		       GBA_OK);
	GBA_ASSERT_ERR(gba_aka_usim(&key, &ms, rnd, av.autn, 0, &res, auts),
		       GBA_ERR_SYNC);
	/* mil.py: set 1, SQN_MS 0000000003e1, AMF 0000 */
	gba_test_unhex("451e8beca7da4306ef4c26190f00", exp, 14);
	GBA_ASSERT_HEX_EQ(auts, exp, 14);
	GBA_ASSERT_ERR(gba_aka_auts_verify(&key, rnd, auts, &sqn_ms), GBA_OK);
	CU_ASSERT_EQUAL(sqn_ms, 0x3e1);
	gba_sqn_he_resync(&seq_he, sqn_ms, 5);
	CU_ASSERT_EQUAL(seq_he, 31);
	GBA_ASSERT_ERR(gba_sqn_he_next(&seq_he, 0, 5, &sqn), GBA_OK);
	GBA_ASSERT_ERR(gba_aka_av(&key, rnd, sqn, (const uint8_t *)S1_AMF, &av),
		       GBA_OK);
	GBA_ASSERT_ERR(gba_aka_usim(&key, &ms, rnd, av.autn, 0, &res, NULL),
		       GBA_OK);
}

/* IND slots through full AKA runs. */
static void test_ind_slots(void)
{
	struct gba_auth_key key;
	struct gba_sqn_ms ms;
	struct gba_usim_res res;
	struct gba_av av, av2;
	uint8_t rnd[16], auts[14];
	uint64_t sqn_ms;

	key_set1(&key);
	gba_test_unhex(S1_RAND, rnd, 16);
	ms_default(&ms);
	GBA_ASSERT_ERR(
		gba_aka_av(&key, rnd, mk(100, 2), (const uint8_t *)S1_AMF, &av),
		GBA_OK);
	GBA_ASSERT_ERR(gba_aka_usim(&key, &ms, rnd, av.autn, 0, &res, auts),
		       GBA_OK);
	/* replay in the same slot */
	GBA_ASSERT_ERR(gba_aka_usim(&key, &ms, rnd, av.autn, 0, &res, auts),
		       GBA_ERR_SYNC);
	GBA_ASSERT_ERR(gba_aka_auts_verify(&key, rnd, auts, &sqn_ms), GBA_OK);
	CU_ASSERT_EQUAL(sqn_ms, mk(100, 2));
	/* an older SEQ in another slot is still fresh there */
	GBA_ASSERT_ERR(
		gba_aka_av(&key, rnd, mk(60, 9), (const uint8_t *)S1_AMF, &av2),
		GBA_OK);
	GBA_ASSERT_ERR(gba_aka_usim(&key, &ms, rnd, av2.autn, 0, &res, auts),
		       GBA_OK);
	/* ... but an older SEQ in the used slot is not */
	GBA_ASSERT_ERR(
		gba_aka_av(&key, rnd, mk(99, 2), (const uint8_t *)S1_AMF, &av2),
		GBA_OK);
	GBA_ASSERT_ERR(gba_aka_usim(&key, &ms, rnd, av2.autn, 0, &res, auts),
		       GBA_ERR_SYNC);
	/* Delta: SEQ_MS 100, SEQ 100 + 2^28 ok, one more rejected */
	GBA_ASSERT_ERR(gba_aka_av(&key, rnd, mk(101 + (UINT64_C(1) << 28), 4),
				  (const uint8_t *)S1_AMF, &av2),
		       GBA_OK);
	GBA_ASSERT_ERR(gba_aka_usim(&key, &ms, rnd, av2.autn, 0, &res, auts),
		       GBA_ERR_SYNC);
	GBA_ASSERT_ERR(gba_aka_av(&key, rnd, mk(100 + (UINT64_C(1) << 28), 4),
				  (const uint8_t *)S1_AMF, &av2),
		       GBA_OK);
	GBA_ASSERT_ERR(gba_aka_usim(&key, &ms, rnd, av2.autn, 0, &res, auts),
		       GBA_OK);
}

/* A corrupted AUTS does not verify and yields no SQN_MS. */
static void test_bad_auts(void)
{
	struct gba_auth_key key;
	uint8_t rnd[16], auts[14];
	uint64_t sqn_ms = 7;
	unsigned i;

	key_set1(&key);
	gba_test_unhex(S1_RAND, rnd, 16);
	/* mil.py: set 1, SQN_MS ff9bb4d0b607, AMF 0000 */
	gba_test_unhex("ba853f3c123ccf44e93596e355c6", auts, 14);
	GBA_ASSERT_ERR(gba_aka_auts_verify(&key, rnd, auts, &sqn_ms), GBA_OK);
	CU_ASSERT_EQUAL(sqn_ms, S1_SQN);
	for (i = 0; i < 14; i++) {
		auts[i] ^= 0x80;
		GBA_ASSERT_ERR(gba_aka_auts_verify(&key, rnd, auts, &sqn_ms),
			       GBA_ERR_MAC);
		CU_ASSERT_EQUAL(sqn_ms, 0);
		auts[i] ^= 0x80;
	}
}

/* GBA_U: AUTN* = SQN xor AK || AMF || MAC xor Trunc64(SHA-1(IK)). */
static void test_gba_u(void)
{
	struct gba_auth_key key;
	struct gba_sqn_ms ms, before;
	struct gba_usim_res res;
	struct gba_av av;
	uint8_t rnd[16], star[16], back[16], exp[16];

	key_set1(&key);
	gba_test_unhex(S1_RAND, rnd, 16);
	GBA_ASSERT_ERR(
		gba_aka_av(&key, rnd, S1_SQN, (const uint8_t *)S1_AMF, &av),
		GBA_OK);
	GBA_ASSERT_ERR(gba_aka_autn_star(av.autn, av.ik, av.ik_len, star),
		       GBA_OK);
	/* mil.py: AUTN 55f328b43577b9b94a9ffac354dfafb3, SHA-1(f4) =
	 * c6e0c5ce26e01df79dd7d8b826a7259b13a7e09a, first 8 octets xored in */
	gba_test_unhex("55f328b43577b9b98c7f3f0d723fb244", exp, 16);
	GBA_ASSERT_HEX_EQ(star, exp, 16);
	GBA_ASSERT_ERR(gba_aka_autn_star(star, av.ik, av.ik_len, back), GBA_OK);
	GBA_ASSERT_HEX_EQ(back, av.autn, 16);
	GBA_ASSERT_ERR(gba_aka_autn_star(av.autn, av.ik, 15, back),
		       GBA_ERR_BAD_PARAM);

	ms_default(&ms);
	gba_sqn_ms_accept(&ms, S1_SQN - 32);
	memcpy(&before, &ms, sizeof(ms));
	/* GBA_ME USIM rejects AUTN*, GBA_U USIM rejects plain AUTN */
	GBA_ASSERT_ERR(gba_aka_usim(&key, &ms, rnd, star, 0, &res, NULL),
		       GBA_ERR_MAC);
	GBA_ASSERT_ERR(gba_aka_usim(&key, &ms, rnd, av.autn, 1, &res, NULL),
		       GBA_ERR_MAC);
	CU_ASSERT(memcmp(&ms, &before, sizeof(ms)) == 0);
	GBA_ASSERT_ERR(gba_aka_usim(&key, &ms, rnd, star, 1, &res, NULL),
		       GBA_OK);
	GBA_ASSERT_HEX_EQ(res.ck, av.ck, 16);
	GBA_ASSERT_HEX_EQ(res.ik, av.ik, 16);
	CU_ASSERT_EQUAL(res.sqn, S1_SQN);
}

static void test_bad_params(void)
{
	struct gba_auth_key key;
	struct gba_sqn_ms ms;
	struct gba_usim_res res;
	struct gba_av av;
	uint8_t rnd[16] = {0}, autn[16] = {0}, auts[14];
	uint64_t sqn_ms;

	key_set1(&key);
	ms_default(&ms);
	GBA_ASSERT_ERR(gba_aka_av(&key, rnd, GBA_SQN_MAX + 1,
				  (const uint8_t *)S1_AMF, &av),
		       GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_aka_auts(&key, rnd, GBA_SQN_MAX + 1, auts),
		       GBA_ERR_BAD_PARAM);
	key.k_len = 32; /* Milenage K is 128 bits */
	GBA_ASSERT_ERR(gba_aka_av(&key, rnd, 1, (const uint8_t *)S1_AMF, &av),
		       GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_aka_usim(&key, &ms, rnd, autn, 0, &res, auts),
		       GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_aka_auts_verify(&key, rnd, auts, &sqn_ms),
		       GBA_ERR_BAD_PARAM);
	key.k_len = 16;
	key.alg = (enum gba_alg)0;
	GBA_ASSERT_ERR(gba_aka_av(&key, rnd, 1, (const uint8_t *)S1_AMF, &av),
		       GBA_ERR_BAD_PARAM);
	key.alg = GBA_ALG_TUAK; /* TUAK sizes left zero */
	GBA_ASSERT_ERR(gba_aka_av(&key, rnd, 1, (const uint8_t *)S1_AMF, &av),
		       GBA_ERR_BAD_PARAM);
	key_set1(&key);
	GBA_ASSERT_ERR(gba_aka_usim(&key, NULL, rnd, autn, 0, &res, auts),
		       GBA_ERR_BAD_PARAM);
	gba_auth_key_clear(&key);
	CU_ASSERT_EQUAL(key.k_len, 0);
}

GBA_TEST_MAIN("aka",
	{"Milenage AV + USIM, TS 35.208 sets 1-20", test_milenage_sets},
	{"TUAK AV + USIM, TS 35.233 sets 1 and 5", test_tuak_sets},
	{"bad MAC leaves SQN state unchanged", test_bad_mac},
	{"sync failure, AUTS, resync", test_sync_resync},
	{"Delta rejection and resync", test_delta_resync},
	{"IND slots through AKA", test_ind_slots},
	{"corrupted AUTS", test_bad_auts},
	{"GBA_U AUTN*", test_gba_u},
	{"bad parameters", test_bad_params})
