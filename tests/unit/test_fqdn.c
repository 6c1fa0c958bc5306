/*
 * The project's one FQDN rule (gba/fqdn.h): the TS 29.571 clause 5.2.2
 * Fqdn pattern, and the canonical form (no root dot, lower case).
 *
 * Every expectation of "ok" was checked with Python's re against the
 * pattern of TS29571_CommonData,
 *   ^([0-9A-Za-z]([-0-9A-Za-z]{0,61}[0-9A-Za-z])?\.)+[A-Za-z]{2,63}\.?$
 * and 4 <= len <= 253 (python3 -c 'import re; ...'), not with this code.
 * The comment on each name says which of the three validators that
 * existed before this rule (Zpn LDH check, store provisioning check, GPI
 * printable-octet check) disagreed with it.
 */
#include <stdio.h>
#include <string.h>
#include "gba_test.h"
#include "gba/fqdn.h"

#define T(x) (x), strlen(x)

static void test_pattern(void)
{
	static const struct {
		const char *s;
		int ok;
	} t[] = {
		{ "naf.example.com", 1 },
		{ "naf.example.com.", 1 },  /* Zpn refused a root dot */
		{ "NAF1.Example.COM", 1 },
		{ "a.bc", 1 },
		{ "a.co.", 1 },             /* Zpn refused */
		{ "x-1.y--z.org", 1 },
		{ "a", 0 },                 /* Zpn, store, GPI accepted */
		{ "localhost", 0 },         /* Zpn, store, GPI accepted */
		{ "localhost.", 0 },        /* store, GPI accepted */
		{ "a.b", 0 },               /* Zpn, store, GPI accepted */
		{ "ab.c1", 0 },             /* Zpn, store, GPI accepted */
		{ "1.2.3.4", 0 },           /* Zpn, store, GPI accepted */
		{ "-a.com", 0 },            /* store, GPI accepted */
		{ "a-.com", 0 },            /* store, GPI accepted */
		{ "a..com", 0 },            /* store, GPI accepted */
		{ ".a.com", 0 },            /* store, GPI accepted */
		{ "a.com..", 0 },           /* store, GPI accepted */
		{ "a.c-m", 0 },             /* Zpn, store, GPI accepted */
		{ "a_b.com", 0 },           /* GPI accepted */
		{ "a*.com", 0 },            /* GPI accepted */
		{ "a.com ", 0 },
		{ "na f.example", 0 },
		{ "\xc3\xa9.com", 0 },
		{ "", 0 },
	};
	char b[300];
	size_t i;

	for (i = 0; i < GBA_ARRAY_SIZE(t); i++) {
		if (gba_fqdn_valid(t[i].s, strlen(t[i].s)) != t[i].ok)
			fprintf(stderr, "fqdn case %zu \"%s\"\n", i, t[i].s);
		CU_ASSERT_EQUAL(gba_fqdn_valid(t[i].s, strlen(t[i].s)),
				t[i].ok);
	}
	CU_ASSERT_FALSE(gba_fqdn_valid(NULL, 0));
	/* the length is the caller's: a NUL inside is a bad character */
	CU_ASSERT_FALSE(gba_fqdn_valid("a.com\0x", 7));
	CU_ASSERT_TRUE(gba_fqdn_valid("a.comX", 5));
	/* labels of 63 (ok) and 64 (not) */
	memset(b, 'a', 64);
	memcpy(b + 63, ".com", 5);
	CU_ASSERT_TRUE(gba_fqdn_valid(b, strlen(b)));
	memset(b, 'a', 64);
	memcpy(b + 64, ".com", 5);
	CU_ASSERT_FALSE(gba_fqdn_valid(b, strlen(b)));
	/* 4 x (61 + dot) + TLD: 253 ok, 254 not, with a root dot alike
	 * (the GPI and the store took up to 255 octets before) */
	for (i = 0; i < 4; i++) {
		memset(b + 62 * i, 'a', 61);
		b[62 * i + 61] = '.';
	}
	memcpy(b + 248, "abcde", 6);
	CU_ASSERT_TRUE(gba_fqdn_valid(b, 253));
	memcpy(b + 248, "abcdef", 7);
	CU_ASSERT_FALSE(gba_fqdn_valid(b, 254));
	memcpy(b + 248, "abcd.", 6);
	CU_ASSERT_TRUE(gba_fqdn_valid(b, 253));
	memcpy(b + 248, "abcde.", 7);
	CU_ASSERT_FALSE(gba_fqdn_valid(b, 254));
}

static void test_canon(void)
{
	char out[GBA_FQDN_MAX + 1];

	gba_fqdn_canon(T("NAF1.Example.COM."), out);
	CU_ASSERT_STRING_EQUAL(out, "naf1.example.com");
	gba_fqdn_canon(T("naf.example.com"), out);
	CU_ASSERT_STRING_EQUAL(out, "naf.example.com");
	gba_fqdn_canon("x-1.ORG..", 8, out); /* only one dot goes */
	CU_ASSERT_STRING_EQUAL(out, "x-1.org");
}

GBA_TEST_MAIN("fqdn",
	{ "TS 29.571 Fqdn pattern (Python re)", test_pattern },
	{ "canonical form", test_canon })
