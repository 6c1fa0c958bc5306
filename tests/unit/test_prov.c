/*
 * Provisioning rules (bsf/src/prov.h), without a store: OP -> OPc
 * (TS 35.208 test set 1), TOP -> TOPc (TS 35.233 test set 1, the values
 * tests/cli/bsfctl.sh checks through gba-bsfctl), defaults, and the
 * field named for each rejected input.
 */
#include <stdio.h>
#include <string.h>
#include "gba_test.h"
#include "prov.h"

#define K1 "465b5ce8b199b49faa5f0a2ee238a6bc"
#define OP1 "cdc202d5123e20f62b6d676ac72cb318"
#define OPC1 "cd63cb71954a9f4e48a5994e37a02baf"

static void test_opc(void)
{
	struct bsf_prov_in in = {.impi = "a@ims.example", .k = K1, .op = OP1};
	struct bsf_sub s;
	const char *field = NULL, *why = NULL;
	uint8_t exp[32];

	CU_ASSERT_EQUAL_FATAL(bsf_prov_sub(&in, &s, &field, &why), 0);
	CU_ASSERT_PTR_NULL(field);
	CU_ASSERT_EQUAL(s.key.alg, GBA_ALG_MILENAGE);
	CU_ASSERT_EQUAL(s.key.k_len, 16);
	gba_test_unhex(OPC1, exp, sizeof(exp));
	GBA_ASSERT_HEX_EQ(s.key.opc, exp, 16);
	CU_ASSERT(s.amf[0] == 0 && s.amf[1] == 0);
	CU_ASSERT_EQUAL(s.sqn, 0);
	CU_ASSERT_STRING_EQUAL(s.impi, "a@ims.example");
	bsf_sub_clear(&s);

	/* OPc given as is */
	in.op = NULL;
	in.opc = OPC1;
	in.amf = "8000";
	in.sqn = "281474976710655"; /* 2^48 - 1 */
	in.impus = "tel:+15550100;sip:a@ims.example";
	in.labels = "USIM;ISIM";
	CU_ASSERT_EQUAL_FATAL(bsf_prov_sub(&in, &s, &field, &why), 0);
	GBA_ASSERT_HEX_EQ(s.key.opc, exp, 16);
	CU_ASSERT(s.amf[0] == 0x80 && s.amf[1] == 0);
	CU_ASSERT_EQUAL(s.sqn, UINT64_C(0xffffffffffff));
	CU_ASSERT_EQUAL(s.n_impus, 2);
	CU_ASSERT_STRING_EQUAL(s.impus[1], "sip:a@ims.example");
	CU_ASSERT_EQUAL(s.n_labels, 2);
	CU_ASSERT_STRING_EQUAL(s.labels[1], "ISIM");
	bsf_sub_clear(&s);
}

static void test_topc(void)
{
	struct bsf_prov_in in = {
		.impi = "tuak@ims.example",
		.alg = "tuak",
		.k = "abababababababababababababababab",
		.op = "55555555555555555555555555555555"
		      "55555555555555555555555555555555",
		.tuak = "1:4:16:16",
	};
	struct bsf_sub s;
	const char *field = NULL, *why = NULL;
	uint8_t exp[32];

	CU_ASSERT_EQUAL_FATAL(bsf_prov_sub(&in, &s, &field, &why), 0);
	CU_ASSERT_EQUAL(s.key.alg, GBA_ALG_TUAK);
	CU_ASSERT_EQUAL(s.key.res_len, 4);
	gba_test_unhex("bd04d9530e87513c5d837ac2ad954623"
		       "a8e2330c115305a73eb45d1f40cccbff",
		       exp, sizeof(exp));
	GBA_ASSERT_HEX_EQ(s.key.opc, exp, 32);
	bsf_sub_clear(&s);
}

static void test_refused(void)
{
	static const char l33[] = "123456789012345678901234567890123";
	struct {
		struct bsf_prov_in in;
		const char *field;
	} c[] = {
		{{.k = K1, .op = OP1}, "impi"},
		{{.impi = "x", .alg = "aes", .k = K1, .op = OP1}, "alg"},
		{{.impi = "x", .k = K1 "00", .op = OP1}, "k"},
		{{.impi = "x", .k = K1}, "op"},
		{{.impi = "x", .k = K1, .op = OP1, .opc = OPC1}, "opc"},
		{{.impi = "x", .k = K1, .opc = "00"}, "opc"},
		{{.impi = "x", .k = K1, .op = OP1, .amf = "800"}, "amf"},
		{{.impi = "x", .k = K1, .op = OP1, .sqn = "281474976710656"},
		 "sqn"},
		{{.impi = "x",
		  .alg = "tuak",
		  .k = K1,
		  .tuak = "1:4:16",
		  .op = OPC1 OPC1},
		 "tuak"},
		{{.impi = "x", .k = K1, .op = OP1, .labels = l33}, "labels"},
	};
	struct bsf_sub s;
	const char *field, *why;
	size_t i;

	for (i = 0; i < GBA_ARRAY_SIZE(c); i++) {
		field = why = NULL;
		CU_ASSERT_EQUAL(bsf_prov_sub(&c[i].in, &s, &field, &why), -1);
		CU_ASSERT_PTR_NOT_NULL(why);
		if (field == NULL || strcmp(field, c[i].field) != 0) {
			CU_FAIL("wrong field");
			fprintf(stderr, "case %zu: field %s, want %s\n", i,
				field ? field : "(null)", c[i].field);
		}
	}
}

/* subscriber modify: given fields replace, lists whole, SQN only up */
static void test_modify(void)
{
	static const char *const impus[2] = {"tel:+15550000009",
					     "sip:new@ims.example"};
	static const char *const labels[1] = {"USIM9"};
	const char *many[BSF_IMPUS_MAX + 1];
	const uint8_t amf[2] = {0x80, 0x00};
	struct bsf_prov_mod m;
	struct bsf_sub s;
	uint64_t sqn;
	const char *field = NULL;
	size_t i;

	memset(&s, 0, sizeof(s));
	snprintf(s.impi, sizeof(s.impi), "a@b");
	snprintf(s.imsi, sizeof(s.imsi), "001010000000001");
	s.n_impus = 1;
	snprintf(s.impus[0], sizeof(s.impus[0]), "tel:+15550000001");
	s.sqn = 1000;
	memset(&m, 0, sizeof(m));
	m.impu_v = impus;
	m.n_impu_v = 2;
	m.label_v = labels;
	m.n_label_v = 1;
	m.amf = amf;
	sqn = 999; /* lower: kept at 1000 */
	m.sqn = &sqn;
	CU_ASSERT_EQUAL(bsf_prov_modify(&s, &m, &field), 0);
	CU_ASSERT_EQUAL(s.sqn, 1000);
	CU_ASSERT_EQUAL(s.n_impus, 2);
	CU_ASSERT_STRING_EQUAL(s.impus[1], "sip:new@ims.example");
	CU_ASSERT_EQUAL(s.n_labels, 1);
	CU_ASSERT_STRING_EQUAL(s.labels[0], "USIM9");
	CU_ASSERT_EQUAL(s.amf[0], 0x80);
	CU_ASSERT_STRING_EQUAL(s.imsi, "001010000000001"); /* not given */
	sqn = 5000;
	memset(&m, 0, sizeof(m));
	m.sqn = &sqn;
	m.gba_u = 1;
	CU_ASSERT_EQUAL(bsf_prov_modify(&s, &m, &field), 0);
	CU_ASSERT_EQUAL(s.sqn, 5000);
	CU_ASSERT_EQUAL(s.gba_u, 1);
	CU_ASSERT_EQUAL(s.n_impus, 2); /* not given: kept */
	for (i = 0; i < GBA_ARRAY_SIZE(many); i++)
		many[i] = "tel:+1";
	memset(&m, 0, sizeof(m));
	m.impu_v = many;
	m.n_impu_v = GBA_ARRAY_SIZE(many);
	CU_ASSERT_EQUAL(bsf_prov_modify(&s, &m, &field), -1);
	CU_ASSERT_STRING_EQUAL(field, "impu");
	CU_ASSERT_EQUAL(s.n_impus, 2);
}

/* TUAK sizes in bits (the tools' one spelling) -> ITER:RES:CK:IK octets */
static void test_tuak_bits(void)
{
	const char *none[BSF_PROV_TUAK_N] = {NULL, "", NULL, NULL, NULL};
	const char *some[BSF_PROV_TUAK_N] = {"2", NULL, "128", "256", NULL};
	const char *all[BSF_PROV_TUAK_N] = {"1", "64", "32", "128", "256"};
	const char *odd[BSF_PROV_TUAK_N] = {NULL, NULL, "33", NULL, NULL};
	const char *mac[BSF_PROV_TUAK_N] = {NULL, "128", NULL, NULL, NULL};
	const char *it[BSF_PROV_TUAK_N] = {"x", NULL, NULL, NULL, NULL};
	const char *zero[BSF_PROV_TUAK_N] = {NULL, NULL, NULL, "0", NULL};
	char out[64];

	CU_ASSERT_EQUAL(bsf_prov_tuak_bits(none, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "");
	CU_ASSERT_EQUAL(bsf_prov_tuak_bits(some, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "2:16:32:16");
	CU_ASSERT_EQUAL(bsf_prov_tuak_bits(all, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "1:4:16:32");
	CU_ASSERT_EQUAL(bsf_prov_tuak_bits(odd, out, sizeof(out)), 3);
	CU_ASSERT_EQUAL(bsf_prov_tuak_bits(mac, out, sizeof(out)), 2);
	CU_ASSERT_EQUAL(bsf_prov_tuak_bits(it, out, sizeof(out)), 1);
	CU_ASSERT_EQUAL(bsf_prov_tuak_bits(zero, out, sizeof(out)), 4);
	CU_ASSERT_STRING_EQUAL(bsf_prov_tuak_names[2], "tuak_res_bits");
}

GBA_TEST_MAIN("prov",
	{"Milenage: OP -> OPc, fields", test_opc},
	{"TUAK: TOP -> TOPc", test_topc},
	{"refused fields named", test_refused},
	{"subscriber modify rule", test_modify},
	{"TUAK sizes in bits", test_tuak_bits})
