/*
 * test_utf8 - RFC 3629 well-formedness (gba/utf8.h) and the host NFKC
 * normaliser (gba/utf8_nfkc.h) for TS 33.220 Annex B.2.1 strings.
 *
 * Expected NFKC forms are from Debian's /usr/bin/python3 (Unicode 14.0):
 *   unicodedata.normalize("NFKC", s).encode("utf-8").hex()
 * The ill-formed sequences are the boundary cases of RFC 3629 section 4.
 */
#include <string.h>
#include "gba/utf8.h"
#include "gba/utf8_nfkc.h"
#include "gba_test.h"

static void test_check(void)
{
	static const struct gba_test_case_err v[] = {
		{"", GBA_OK},
		{"00", GBA_OK}, /* U+0000 */
		{"7f", GBA_OK},
		{"c280", GBA_OK},	    /* U+0080 */
		{"dfbf", GBA_OK},	    /* U+07FF */
		{"e0a080", GBA_OK},	    /* U+0800 */
		{"ed9fbf", GBA_OK},	    /* U+D7FF */
		{"ee8080", GBA_OK},	    /* U+E000 */
		{"efbfbf", GBA_OK},	    /* U+FFFF */
		{"f0908080", GBA_OK},	    /* U+10000 */
		{"f48fbfbf", GBA_OK},	    /* U+10FFFF */
		{"80", GBA_ERR_BAD_UTF8},   /* stray continuation */
		{"c0af", GBA_ERR_BAD_UTF8}, /* overlong '/' */
		{"c1bf", GBA_ERR_BAD_UTF8},
		{"e09fbf", GBA_ERR_BAD_UTF8},	/* overlong U+07FF */
		{"eda080", GBA_ERR_BAD_UTF8},	/* U+D800 */
		{"edbfbf", GBA_ERR_BAD_UTF8},	/* U+DFFF */
		{"f08fbfbf", GBA_ERR_BAD_UTF8}, /* overlong U+FFFF */
		{"f4908080", GBA_ERR_BAD_UTF8}, /* U+110000 */
		{"f5808080", GBA_ERR_BAD_UTF8},
		{"fe", GBA_ERR_BAD_UTF8},
		{"ff", GBA_ERR_BAD_UTF8},
		{"c3", GBA_ERR_BAD_UTF8},     /* truncated 2-octet */
		{"e282", GBA_ERR_BAD_UTF8},   /* truncated 3-octet */
		{"f09080", GBA_ERR_BAD_UTF8}, /* truncated 4-octet */
		{"c341", GBA_ERR_BAD_UTF8},   /* tail not 80..BF */
		{"e282c0", GBA_ERR_BAD_UTF8},
		{"41e9", GBA_ERR_BAD_UTF8}, /* Latin-1 e-acute */
	};
	uint8_t b[8];
	size_t i, n;

	for (i = 0; i < GBA_ARRAY_SIZE(v); i++) {
		n = gba_test_unhex(v[i].in, b, sizeof(b));
		GBA_ASSERT_ERR(gba_utf8_check(b, n), v[i].err);
	}
	GBA_ASSERT_ERR(gba_utf8_check(NULL, 0), GBA_OK);
	GBA_ASSERT_ERR(gba_utf8_check(NULL, 1), GBA_ERR_BAD_PARAM);
}

static void test_nfkc(void)
{
	static const struct {
		const char *in, *out; /* hex */
	} v[] = {
		/* ASCII: unchanged */
		{"6e61662e6578616d706c652e6f7267",
		 "6e61662e6578616d706c652e6f7267"},
		/* "\ufb01le@example.org": ligature fi -> "fi" */
		{"efac816c65406578616d706c652e6f7267",
		 "66696c65406578616d706c652e6f7267"},
		/* "use\u0301r@...": e + combining acute -> U+00E9 */
		{"757365cc8172406578616d706c652e6f7267",
		 "7573c3a972406578616d706c652e6f7267"},
		/* already composed: unchanged */
		{"7573c3a972406578616d706c652e6f7267",
		 "7573c3a972406578616d706c652e6f7267"},
		/* fullwidth u, ANGSTROM SIGN -> "u", U+00C5 */
		{"efbd9573657240e284ab6e67737472c3b66d2e6578616d706c65",
		 "7573657240c3856e67737472c3b66d2e6578616d706c65"},
		/* "x\u2460" circled digit one -> "x1" */
		{"78e291a0", "7831"},
		/* U+FDFA: 3 octets in, 33 out */
		{"efb7ba", "d8b5d984d98920d8a7d984d984d98720d8b9d984d98ad98720"
			   "d988d8b3d984d985"},
	};
	uint8_t in[64], exp[64];
	char out[256];
	size_t i, n, m, got;

	for (i = 0; i < GBA_ARRAY_SIZE(v); i++) {
		n = gba_test_unhex(v[i].in, in, sizeof(in));
		m = gba_test_unhex(v[i].out, exp, sizeof(exp));
		GBA_ASSERT_ERR(gba_utf8_nfkc(in, n, out, sizeof(out), &got),
			       GBA_OK);
		CU_ASSERT_EQUAL(got, m);
		GBA_ASSERT_HEX_EQ((const uint8_t *)out, exp, m);
		CU_ASSERT_EQUAL(out[m], '\0');
	}
	GBA_ASSERT_ERR(gba_utf8_nfkc_str("us\xc3\xa9r", out, sizeof(out)),
		       GBA_OK);
	CU_ASSERT_STRING_EQUAL(out, "us\xc3\xa9r");
}

static void test_nfkc_errors(void)
{
	static const uint8_t bad[] = {'a', 0xed, 0xa0, 0x80};
	static const uint8_t fdfa[] = {0xef, 0xb7, 0xba};
	uint8_t big[GBA_NFKC_IN_MAX + 1];
	char out[256];
	size_t got = 99;

	/* ill-formed input: its own code, empty output */
	GBA_ASSERT_ERR(gba_utf8_nfkc(bad, sizeof(bad), out, sizeof(out), &got),
		       GBA_ERR_BAD_UTF8);
	CU_ASSERT_EQUAL(got, 0);
	CU_ASSERT_EQUAL(out[0], '\0');
	GBA_ASSERT_ERR(gba_utf8_nfkc_str("caf\xe9", out, sizeof(out)),
		       GBA_ERR_BAD_UTF8);
	/* too long: input over the limit, or the NFKC form over @cap */
	memset(big, 'a', sizeof(big));
	GBA_ASSERT_ERR(gba_utf8_nfkc(big, sizeof(big), out, sizeof(out), &got),
		       GBA_ERR_TOO_LARGE);
	GBA_ASSERT_ERR(gba_utf8_nfkc(fdfa, sizeof(fdfa), out, 33, &got),
		       GBA_ERR_TOO_LARGE); /* 33 octets + NUL need 34 */
	GBA_ASSERT_ERR(gba_utf8_nfkc(fdfa, sizeof(fdfa), out, 34, &got),
		       GBA_OK);
	CU_ASSERT_EQUAL(got, 33);
	GBA_ASSERT_ERR(gba_utf8_nfkc(big, 4, out, 4, &got), GBA_ERR_TOO_LARGE);
	GBA_ASSERT_ERR(gba_utf8_nfkc(big, 0, out, 1, &got), GBA_OK);
	CU_ASSERT_EQUAL(got, 0);
	GBA_ASSERT_ERR(gba_utf8_nfkc(NULL, 1, out, 1, &got), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_utf8_nfkc(big, 1, out, 0, &got), GBA_ERR_BAD_PARAM);
}

GBA_TEST_MAIN("utf8",
	{"UTF-8 well-formedness (RFC 3629)", test_check},
	{"NFKC forms (Python unicodedata)", test_nfkc},
	{"NFKC errors: ill-formed, too long", test_nfkc_errors})
