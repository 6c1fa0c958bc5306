/* Milenage (TS 35.206) against TS 35.207 sets 1-6 and TS 35.208 sets 1-20. */
#include <string.h>
#include "gba/milenage.h"
#include "gba_test.h"
#include "vecfile.h"

static int check_set(const struct vec_set *s, void *arg)
{
	const struct vec_field *k, *op, *opc, *rnd, *sqn, *amf;
	struct gba_milenage_out m;
	uint8_t c[16];

	(void)arg;
	gba_test_vec_need(s, "k", &k, "op", &op, "opc", &opc, "rand", &rnd,
			  "sqn", &sqn, "amf", &amf, (const char *)NULL);
	GBA_ASSERT_ERR(gba_milenage_opc(k->val, op->val, c), GBA_OK);
	GBA_ASSERT_HEX_EQ(c, opc->val, 16);
	GBA_ASSERT_ERR(gba_milenage(k->val, opc->val, rnd->val, sqn->val,
				    amf->val, GBA_MILENAGE_ALL, &m), GBA_OK);
	GBA_ASSERT_HEX_EQ(m.mac_a, vec_get(s, "f1")->val, 8);
	GBA_ASSERT_HEX_EQ(m.mac_s, vec_get(s, "f1star")->val, 8);
	GBA_ASSERT_HEX_EQ(m.res, vec_get(s, "f2")->val, 8);
	GBA_ASSERT_HEX_EQ(m.ck, vec_get(s, "f3")->val, 16);
	GBA_ASSERT_HEX_EQ(m.ik, vec_get(s, "f4")->val, 16);
	GBA_ASSERT_HEX_EQ(m.ak, vec_get(s, "f5")->val, 6);
	GBA_ASSERT_HEX_EQ(m.ak_s, vec_get(s, "f5star")->val, 6);
	return 1;
}

static void test_ts35207(void)
{
	CU_ASSERT_EQUAL(gba_test_vec_sets("milenage_ts35207.txt", check_set,
					  NULL), 6);
}

static void test_ts35208(void)
{
	CU_ASSERT_EQUAL(gba_test_vec_sets("milenage_ts35208.txt", check_set,
					  NULL), 20);
}

/* Selecting a subset computes only that subset and leaves the rest zero. */
static void test_want_subset(void)
{
	uint8_t k[16], opc[16], rnd[16], zero[16] = { 0 };
	struct gba_milenage_out m;

	gba_test_unhex("465b5ce8b199b49faa5f0a2ee238a6bc", k, 16);
	gba_test_unhex("cd63cb71954a9f4e48a5994e37a02baf", opc, 16);
	gba_test_unhex("23553cbe9637a89d218ae64dae47bf35", rnd, 16);
	GBA_ASSERT_ERR(gba_milenage(k, opc, rnd, NULL, NULL, GBA_MILENAGE_F5S, &m),
		       GBA_OK);
	GBA_ASSERT_HEX_EQ(m.ak_s, (const uint8_t *)"\x45\x1e\x8b\xec\xa4\x3b", 6);
	GBA_ASSERT_HEX_EQ(m.ck, zero, 16);
	GBA_ASSERT_ERR(gba_milenage(k, opc, rnd, NULL, NULL, GBA_MILENAGE_F1, &m),
		       GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_milenage(k, opc, rnd, NULL, NULL, 0x100, &m),
		       GBA_ERR_BAD_PARAM);
}

GBA_TEST_MAIN("milenage",
	{ "TS 35.207 sets 1-6", test_ts35207 },
	{ "TS 35.208 sets 1-20", test_ts35208 },
	{ "function subset", test_want_subset })
