/*
 * TUAK (TS 35.231) against TS 35.233 sets 1-6 and Keccak-f[1600] against
 * TS 35.232 sets 1-6 (vectors/).  Instance sizes come from the value
 * lengths of each set, as the vector file header says.
 */
#include <string.h>
#include "gba/tuak.h"
#include "gba_test.h"
#include "vecfile.h"

static const struct vec_field *need(const struct vec_set *s, const char *key)
{
	const struct vec_field *f = vec_get(s, key);

	if (!f)
		fprintf(stderr, "set %u: no field '%s'\n", s->number, key);
	return f;
}

static int check_ts35233_set(const struct vec_set *s, void *arg)
{
	static const char *const names[] = {
		"k",	"rand",	  "sqn",    "amf", "top", "keccak_iterations",
		"topc", "f1",	  "f1star", "f2",  "f3",  "f4",
		"f5",	"f5star",
	};
	const struct vec_field *f[GBA_ARRAY_SIZE(names)];
	struct gba_tuak_inst inst;
	struct gba_tuak_out o;
	uint8_t topc[32];
	size_t i;

	(void)arg;
	for (i = 0; i < GBA_ARRAY_SIZE(names); i++)
		CU_ASSERT_FATAL((f[i] = need(s, names[i])) != NULL);
	CU_ASSERT_FATAL(f[5]->len == 1 && f[4]->len == 32 &&
			f[1]->len == 16 && f[2]->len == 6 && f[3]->len == 2 &&
			f[12]->len == 6 && f[13]->len == 6 &&
			f[8]->len == f[7]->len);
	inst.k_len = f[0]->len;
	inst.iterations = f[5]->val[0];
	inst.mac_len = f[7]->len;
	inst.res_len = f[9]->len;
	inst.ck_len = f[10]->len;
	inst.ik_len = f[11]->len;
	GBA_ASSERT_ERR(gba_tuak_topc(&inst, f[0]->val, f[4]->val, topc),
		       GBA_OK);
	GBA_ASSERT_HEX_EQ(topc, f[6]->val, 32);
	GBA_ASSERT_ERR(gba_tuak(&inst, f[0]->val, f[6]->val, f[1]->val,
				f[2]->val, f[3]->val, GBA_TUAK_ALL, &o),
		       GBA_OK);
	GBA_ASSERT_HEX_EQ(o.mac_a, f[7]->val, inst.mac_len);
	GBA_ASSERT_HEX_EQ(o.mac_s, f[8]->val, inst.mac_len);
	GBA_ASSERT_HEX_EQ(o.res, f[9]->val, inst.res_len);
	GBA_ASSERT_HEX_EQ(o.ck, f[10]->val, inst.ck_len);
	GBA_ASSERT_HEX_EQ(o.ik, f[11]->val, inst.ik_len);
	GBA_ASSERT_HEX_EQ(o.ak, f[12]->val, 6);
	GBA_ASSERT_HEX_EQ(o.ak_s, f[13]->val, 6);
	return 1;
}

static void test_ts35233(void)
{
	CU_ASSERT_EQUAL(gba_test_vec_sets("tuak_ts35233.txt",
					  check_ts35233_set, NULL), 6);
}

static int check_keccak_set(const struct vec_set *s, void *arg)
{
	const struct vec_field *in = need(s, "in"), *out = need(s, "out");
	uint8_t st[GBA_KECCAK_STATE_LEN];

	(void)arg;
	CU_ASSERT_FATAL(in && out && in->len == 200 && out->len == 200);
	memcpy(st, in->val, sizeof(st));
	gba_keccak_f1600(st);
	GBA_ASSERT_HEX_EQ(st, out->val, 200);
	return 1;
}

static void test_keccak_ts35232(void)
{
	CU_ASSERT_EQUAL(gba_test_vec_sets("tuak_keccak_ts35232.txt",
					  check_keccak_set, NULL), 6);
}

/* TS 35.233 set 1 (vectors/tuak_ts35233.txt), reused below. */
static void set1(struct gba_tuak_inst *inst, uint8_t k[16], uint8_t topc[32],
		 uint8_t rnd[16], uint8_t sqn[6], uint8_t amf[2])
{
	inst->k_len = 16;
	inst->iterations = 1;
	inst->mac_len = 8;
	inst->res_len = 4;
	inst->ck_len = 16;
	inst->ik_len = 16;
	gba_test_unhex("abababababababababababababababab", k, 16);
	gba_test_unhex("bd04d9530e87513c5d837ac2ad954623a8e2330c115305a73eb45d1"
		       "f40cccbff",
		       topc, 32);
	gba_test_unhex("42424242424242424242424242424242", rnd, 16);
	gba_test_unhex("111111111111", sqn, 6);
	gba_test_unhex("ffff", amf, 2);
}

/* A subset computes only that subset; the rest stays zero. */
static void test_want_subset(void)
{
	struct gba_tuak_inst inst;
	struct gba_tuak_out o;
	uint8_t k[16], topc[32], rnd[16], sqn[6], amf[2], zero[32] = {0};

	set1(&inst, k, topc, rnd, sqn, amf);
	GBA_ASSERT_ERR(
		gba_tuak(&inst, k, topc, rnd, NULL, NULL, GBA_TUAK_F5S, &o),
		GBA_OK);
	/* f5star of TS 35.233 set 1 */
	GBA_ASSERT_HEX_EQ(o.ak_s, (const uint8_t *)"\xe7\xaf\x6b\x3d\x0e\x38",
			  6);
	GBA_ASSERT_HEX_EQ(o.res, zero, 32);
	GBA_ASSERT_HEX_EQ(o.mac_a, zero, 32);
	GBA_ASSERT_ERR(gba_tuak(&inst, k, topc, rnd, sqn, amf, GBA_TUAK_F1, &o),
		       GBA_OK);
	/* f1 of set 1 */
	GBA_ASSERT_HEX_EQ(o.mac_a,
			  (const uint8_t *)"\xf9\xa5\x4e\x6a\xea\xa8\x61\x8d",
			  8);
	GBA_ASSERT_HEX_EQ(o.mac_s, zero, 32);
	GBA_ASSERT_HEX_EQ(o.ak, zero, 6);
}

static void expect_bad(const struct gba_tuak_inst *inst, const uint8_t *k,
		       const uint8_t *topc, const uint8_t *rnd,
		       const uint8_t *sqn, const uint8_t *amf, unsigned want)
{
	struct gba_tuak_out o;
	uint8_t zero[sizeof(o)] = {0};

	memset(&o, 0x5a, sizeof(o));
	GBA_ASSERT_ERR(gba_tuak(inst, k, topc, rnd, sqn, amf, want, &o),
		       GBA_ERR_BAD_PARAM);
	/* nothing stale escapes */
	GBA_ASSERT_HEX_EQ((const uint8_t *)&o, zero, sizeof(o));
}

static void test_bad_params(void)
{
	struct gba_tuak_inst inst, b;
	uint8_t k[16], topc[32], rnd[16], sqn[6], amf[2], top[32], out[32];
	static const size_t bad_k[] = {0, 15, 17, 24, 31, 33, 64};
	static const size_t bad_mac[] = {0, 4, 7, 9, 12, 24, 33, 64};
	static const size_t bad_res[] = {0, 2, 3, 5, 12, 24, 33};
	static const size_t bad_ckik[] = {0, 8, 15, 17, 24, 31, 33};
	size_t i;

	set1(&inst, k, topc, rnd, sqn, amf);
	memset(top, 0x55, sizeof(top));
	for (i = 0; i < GBA_ARRAY_SIZE(bad_k); i++) {
		b = inst;
		b.k_len = bad_k[i];
		expect_bad(&b, k, topc, rnd, sqn, amf, GBA_TUAK_ALL);
		memset(out, 0x5a, sizeof(out));
		GBA_ASSERT_ERR(gba_tuak_topc(&b, k, top, out),
			       GBA_ERR_BAD_PARAM);
		CU_ASSERT_EQUAL(out[0], 0);
		CU_ASSERT_EQUAL(out[31], 0);
	}
	for (i = 0; i < GBA_ARRAY_SIZE(bad_mac); i++) {
		b = inst;
		b.mac_len = bad_mac[i];
		expect_bad(&b, k, topc, rnd, sqn, amf, GBA_TUAK_ALL);
	}
	for (i = 0; i < GBA_ARRAY_SIZE(bad_res); i++) {
		b = inst;
		b.res_len = bad_res[i];
		expect_bad(&b, k, topc, rnd, sqn, amf, GBA_TUAK_ALL);
	}
	for (i = 0; i < GBA_ARRAY_SIZE(bad_ckik); i++) {
		b = inst;
		b.ck_len = bad_ckik[i];
		expect_bad(&b, k, topc, rnd, sqn, amf, GBA_TUAK_F2345);
		b = inst;
		b.ik_len = bad_ckik[i];
		expect_bad(&b, k, topc, rnd, sqn, amf, GBA_TUAK_F2345);
	}
	b = inst;
	b.iterations = 0;
	expect_bad(&b, k, topc, rnd, sqn, amf, GBA_TUAK_ALL);
	GBA_ASSERT_ERR(gba_tuak_topc(&b, k, top, out), GBA_ERR_BAD_PARAM);
	/* unknown function bits, missing SQN/AMF for f1/f1*, NULLs */
	expect_bad(&inst, k, topc, rnd, sqn, amf, 0x10);
	expect_bad(&inst, k, topc, rnd, NULL, amf, GBA_TUAK_F1);
	expect_bad(&inst, k, topc, rnd, sqn, NULL, GBA_TUAK_F1S);
	expect_bad(NULL, k, topc, rnd, sqn, amf, GBA_TUAK_ALL);
	expect_bad(&inst, NULL, topc, rnd, sqn, amf, GBA_TUAK_ALL);
	expect_bad(&inst, k, NULL, rnd, sqn, amf, GBA_TUAK_ALL);
	expect_bad(&inst, k, topc, NULL, sqn, amf, GBA_TUAK_ALL);
	GBA_ASSERT_ERR(
		gba_tuak(&inst, k, topc, rnd, sqn, amf, GBA_TUAK_ALL, NULL),
		GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_tuak_topc(NULL, k, top, out), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_tuak_topc(&inst, NULL, top, out), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_tuak_topc(&inst, k, NULL, out), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_tuak_topc(&inst, k, top, NULL), GBA_ERR_BAD_PARAM);
}

GBA_TEST_MAIN("tuak",
	{"TS 35.233 sets 1-6", test_ts35233},
	{"Keccak-f[1600] TS 35.232 sets 1-6", test_keccak_ts35232},
	{"function subset", test_want_subset},
	{"bad parameters", test_bad_params})
