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

int main(void)
{
	CU_TestInfo tests[] = {
		{"text, FQDN, IMSI", test_text_fqdn_imsi},
		{"UICC application label", test_label},
		{"key sizes", test_key},
		{"IMPU normal form", test_impu},
		CU_TEST_INFO_NULL,
	};

	return gba_test_run("store_rules", tests);
}
