/*
 * The one decoder of stored key columns (bsf/src/keyrow.h), without a
 * database: Milenage K/OPc 128 bits (TS 35.206), TUAK K 128 or 256 bits
 * and TOPc 256 bits (TS 35.231), AMF 16 bits; anything else is a corrupt
 * row, and a failed decode leaves nothing behind.
 */
#include <string.h>
#include "gba_test.h"
#include "keyrow.h"

static const char k16[] = "465b5ce8b199b49faa5f0a2ee238a6bc";
static const char k32[] = "abababababababababababababababab"
			  "abababababababababababababababab";
static const char opc16[] = "cd63cb71954a9f4e48a5994e37a02baf";

static struct bsf_key_text text(int alg, const char *k, const char *opc,
				const char *amf)
{
	struct bsf_key_text t = {
		.alg = alg,
		.k = k,
		.k_len = k ? strlen(k) : 0,
		.opc = opc,
		.opc_len = opc ? strlen(opc) : 0,
		.amf = amf,
		.amf_len = amf ? strlen(amf) : 0,
		.tuak_iter = 1,
		.tuak_res = 8,
		.tuak_ck = 16,
		.tuak_ik = 16,
	};
	return t;
}

static int all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

static void test_good(void)
{
	struct bsf_key_text t = text(GBA_ALG_MILENAGE, k16, opc16, "8000");
	struct gba_auth_key key;
	uint8_t amf[2], exp[16];

	GBA_ASSERT_ERR(bsf_key_row_decode(&t, &key, amf), GBA_OK);
	CU_ASSERT_EQUAL(key.alg, GBA_ALG_MILENAGE);
	CU_ASSERT_EQUAL(key.k_len, 16);
	gba_test_unhex(k16, exp, sizeof(exp));
	GBA_ASSERT_HEX_EQ(key.k, exp, 16);
	gba_test_unhex(opc16, exp, sizeof(exp));
	GBA_ASSERT_HEX_EQ(key.opc, exp, 16);
	CU_ASSERT(amf[0] == 0x80 && amf[1] == 0x00);

	/* TUAK: 256-bit K and TOPc, sizes as stored */
	t = text(GBA_ALG_TUAK, k32, k32, "0000");
	t.tuak_res = 4;
	GBA_ASSERT_ERR(bsf_key_row_decode(&t, &key, NULL), GBA_OK);
	CU_ASSERT_EQUAL(key.k_len, 32);
	CU_ASSERT_EQUAL(key.res_len, 4);
	CU_ASSERT_EQUAL(key.keccak_iterations, 1);
	/* TUAK with a 128-bit K */
	t = text(GBA_ALG_TUAK, k16, k32, "0000");
	GBA_ASSERT_ERR(bsf_key_row_decode(&t, &key, NULL), GBA_OK);
	CU_ASSERT_EQUAL(key.k_len, 16);
}

static void test_bad(void)
{
	struct {
		int alg;
		const char *k, *opc, *amf;
	} c[] = {
		{GBA_ALG_MILENAGE, "465b5ce8b199b49faa5f", opc16, "0000"},
		{GBA_ALG_MILENAGE, k32, opc16, "0000"}, /* 256-bit K */
		{GBA_ALG_MILENAGE, k16, k32, "0000"},	/* 256-bit OPc */
		{GBA_ALG_MILENAGE, k16, opc16, "000"},
		{GBA_ALG_MILENAGE, k16, opc16, "00000"},
		{GBA_ALG_MILENAGE, k16, opc16, "zz00"},
		{GBA_ALG_MILENAGE, "465b5ce8b199b49faa5f0a2ee238a6bg", opc16,
		 "0000"}, /* not hex */
		{GBA_ALG_MILENAGE, NULL, opc16, "0000"},
		{GBA_ALG_MILENAGE, k16, NULL, "0000"},
		{GBA_ALG_MILENAGE, k16, opc16, NULL},
		{GBA_ALG_TUAK, k16, opc16, "0000"}, /* 128-bit TOPc */
		{GBA_ALG_TUAK, "465b5ce8b199b49faa5f0a2ee238a6bc00", k32,
		 "0000"}, /* 17 octets */
		{0, k16, opc16, "0000"},
		{3, k16, opc16, "0000"},
	};
	struct gba_auth_key key;
	uint8_t amf[2];
	size_t i;

	for (i = 0; i < GBA_ARRAY_SIZE(c); i++) {
		struct bsf_key_text t =
			text(c[i].alg, c[i].k, c[i].opc, c[i].amf);

		memset(&key, 0xa5, sizeof(key));
		memset(amf, 0xa5, sizeof(amf));
		GBA_ASSERT_ERR(bsf_key_row_decode(&t, &key, amf),
			       GBA_ERR_MALFORMED);
		CU_ASSERT(all_zero(&key, sizeof(key)));
		CU_ASSERT(all_zero(amf, sizeof(amf)));
	}
	GBA_ASSERT_ERR(bsf_key_row_decode(NULL, &key, NULL), GBA_ERR_MALFORMED);
}

GBA_TEST_MAIN("keyrow",
	{"valid Milenage and TUAK rows", test_good},
	{"corrupt rows refused and wiped", test_bad})
