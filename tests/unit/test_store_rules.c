/*
 * The store's rules as pure functions (bsf/src/store_rules.h and
 * bsf_impu_normalize()), without a database: what every backend accepts
 * as text, FQDN, IMSI, UICC label, key, and the IMPU canonical form.
 */
#include <stdio.h>
#include <string.h>
#include "gba_test.h"
#include "store_rules.h"

static void test_text_fqdn_imsi(void)
{
	CU_ASSERT(bsf_rule_text_ok("abc", 3));
	CU_ASSERT(!bsf_rule_text_ok("abcd", 3));
	CU_ASSERT(!bsf_rule_text_ok("", 3));
	CU_ASSERT(!bsf_rule_text_ok("a\tb", 3));
	CU_ASSERT(!bsf_rule_text_ok("a\x7f", 3));
	CU_ASSERT(!bsf_rule_text_ok(NULL, 3));
	CU_ASSERT(bsf_rule_fqdn_ok("naf.Example-1.com"));
	CU_ASSERT(!bsf_rule_fqdn_ok("naf_x.com"));
	CU_ASSERT(!bsf_rule_fqdn_ok(""));
	CU_ASSERT(!bsf_rule_fqdn_ok(NULL));
	CU_ASSERT(bsf_rule_imsi_ok(""));
	CU_ASSERT(bsf_rule_imsi_ok("001010000000001"));
	CU_ASSERT(bsf_rule_imsi_ok("001010"));
	CU_ASSERT(!bsf_rule_imsi_ok("00101"));
	CU_ASSERT(!bsf_rule_imsi_ok("0010100000000011"));
	CU_ASSERT(!bsf_rule_imsi_ok("00101000000000a"));
	CU_ASSERT(!bsf_rule_imsi_ok(NULL));
}

static void test_label(void)
{
	char l[64];

	memset(l, 'L', sizeof(l));
	l[32] = '\0';
	CU_ASSERT(bsf_rule_label_ok(l)); /* 32 octets: a request can name it */
	l[32] = 'L';
	l[33] = '\0';
	CU_ASSERT(!bsf_rule_label_ok(l));
	CU_ASSERT(bsf_rule_label_ok("ISIM 2"));
	CU_ASSERT(!bsf_rule_label_ok("a;b"));
	CU_ASSERT(!bsf_rule_label_ok("a,b"));
	CU_ASSERT(!bsf_rule_label_ok("a\"b"));
	CU_ASSERT(!bsf_rule_label_ok("a\nb"));
	CU_ASSERT(!bsf_rule_label_ok(""));
}

static void test_key(void)
{
	struct gba_auth_key k;

	memset(&k, 0, sizeof(k));
	k.alg = GBA_ALG_MILENAGE;
	k.k_len = 16;
	CU_ASSERT(bsf_rule_key_ok(&k));
	k.k_len = 32;
	CU_ASSERT(!bsf_rule_key_ok(&k));
	k.alg = GBA_ALG_TUAK;
	k.keccak_iterations = 1;
	k.res_len = 8;
	k.ck_len = 16;
	k.ik_len = 32;
	CU_ASSERT(bsf_rule_key_ok(&k));
	k.res_len = 12;
	CU_ASSERT(!bsf_rule_key_ok(&k));
	k.res_len = 4;
	k.keccak_iterations = 0;
	CU_ASSERT(!bsf_rule_key_ok(&k));
	k.alg = (enum gba_alg)0;
	CU_ASSERT(!bsf_rule_key_ok(&k));
	CU_ASSERT(!bsf_rule_key_ok(NULL));
}

static void norm(const char *in, int exp_r, const char *exp)
{
	char out[BSF_IMPU_MAX + 1];
	int r = bsf_impu_normalize(in, strlen(in), out, sizeof(out));

	GBA_ASSERT_ERR(r, exp_r);
	if (r == GBA_OK && exp && strcmp(out, exp) != 0) {
		CU_FAIL("normal form");
		fprintf(stderr, "%s -> %s, want %s\n", in, out, exp);
	}
}

static void test_impu(void)
{
	norm("tel:+1-555-(0100)", GBA_OK, "tel:+15550100");
	norm("TEL:+1.555.0100;phone-context=x", GBA_OK, "tel:+15550100");
	norm("tel:5550100", GBA_ERR_MALFORMED, NULL);
	norm("SIP:alice@Example.ORG;transport=tcp", GBA_OK,
	     "sip:alice@example.org");
	norm("sips:Bob@EXAMPLE.org", GBA_OK, "sips:Bob@example.org");
	norm("mailto:a@example.org", GBA_ERR_MALFORMED, NULL);
	norm("sip:", GBA_ERR_MALFORMED, NULL);
	norm("sip:a b@example.org", GBA_ERR_MALFORMED, NULL);
}

/*
 * The row helpers both backends use (store_sub.c, store_pg_sub.c): the
 * SQN bound of docs/hss-store.md section 4 (F + (max(R - RF, 0) + 1) * B
 * with every IND bit set; F exactly while no AuC ran), the label column
 * and the USS flags blob (4 octets each, big-endian).
 */
static void test_row_helpers(void)
{
	struct bsf_rule_sqn_meta m = {5, 3, 256};
	char labels[BSF_LABELS_MAX][BSF_LABEL_MAX + 1];
	struct bsf_uss u, v;
	uint8_t b[4 * BSF_USS_FLAGS_MAX];
	size_t n = 0;

	CU_ASSERT_EQUAL(bsf_rule_sqn_bound(200, 3, &m), (456u << 5) | 31);
	CU_ASSERT_EQUAL(bsf_rule_sqn_bound(200, 1, &m), (968u << 5) | 31);
	CU_ASSERT_EQUAL(bsf_rule_sqn_bound(200, 4, &m), (456u << 5) | 31);
	/* capped at the largest SEQ (2^43 - 1 with 5 IND bits) */
	CU_ASSERT_EQUAL(bsf_rule_sqn_bound((INT64_C(1) << 43) - 10, 3, &m),
			(UINT64_C(1) << 48) - 1);
	m.block = 0;
	CU_ASSERT_EQUAL(bsf_rule_sqn_bound(200, 3, &m), 6400u);
	CU_ASSERT_EQUAL(bsf_rule_sqn_of_seq(5000, 5), 160031u);

	GBA_ASSERT_ERR(bsf_rule_labels_split("USIM\nISIM", labels, &n), GBA_OK);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_STRING_EQUAL(labels[1], "ISIM");
	GBA_ASSERT_ERR(bsf_rule_labels_split("", labels, &n), GBA_OK);
	CU_ASSERT_EQUAL(n, 0);

	memset(&u, 0, sizeof(u));
	memset(&v, 0, sizeof(v));
	u.n_flags = 2;
	u.flags[0] = 1;
	u.flags[1] = 0x01020304;
	bsf_rule_uss_flags_pack(&u, b);
	CU_ASSERT(memcmp(b, "\x00\x00\x00\x01\x01\x02\x03\x04", 8) == 0);
	GBA_ASSERT_ERR(bsf_rule_uss_flags_unpack(b, 8, &v), GBA_OK);
	CU_ASSERT_EQUAL(v.n_flags, 2);
	CU_ASSERT_EQUAL(v.flags[1], 0x01020304);
	GBA_ASSERT_ERR(bsf_rule_uss_flags_unpack(b, 7, &v), GBA_ERR_MALFORMED);
}

/* the subscriber-row part of the GBA parameters, as both backends fill it */
static void test_gba_sub_row(void)
{
	struct bsf_gba_params p;

	memset(&p, 0, sizeof(p));
	GBA_ASSERT_ERR(bsf_rule_gba_sub_row(&p, 0, 7, "USIM\nISIM", "<g/>", 4),
		       GBA_OK);
	CU_ASSERT_EQUAL(p.gba_u, 1);
	CU_ASSERT_EQUAL(p.n_labels, 2);
	CU_ASSERT_STRING_EQUAL(p.labels[0], "USIM");
	CU_ASSERT_PTR_NULL(p.guss_xml); /* not asked for */
	bsf_gba_params_clear(&p);

	memset(&p, 0, sizeof(p));
	GBA_ASSERT_ERR(bsf_rule_gba_sub_row(&p, BSF_GBA_XML, 0, "", "<g/>xx",
					    4),
		       GBA_OK);
	CU_ASSERT_EQUAL(p.gba_u, 0);
	CU_ASSERT_EQUAL(p.n_labels, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p.guss_xml);
	CU_ASSERT_STRING_EQUAL(p.guss_xml, "<g/>");
	CU_ASSERT_EQUAL(p.guss_xml_len, 4);
	bsf_gba_params_clear(&p);

	memset(&p, 0, sizeof(p));
	GBA_ASSERT_ERR(bsf_rule_gba_sub_row(&p, BSF_GBA_XML, 1, "", NULL, 0),
		       GBA_OK);
	CU_ASSERT_PTR_NULL(p.guss_xml); /* column NULL: no GUSS stored */
	bsf_gba_params_clear(&p);
}

GBA_TEST_MAIN("store_rules",
	{"text, FQDN, IMSI", test_text_fqdn_imsi},
	{"UICC application label", test_label},
	{"key sizes", test_key},
	{"IMPU normal form", test_impu},
	{"SQN bound, labels, USS flags", test_row_helpers},
	{"GBA parameters from the subscriber row", test_gba_sub_row})
