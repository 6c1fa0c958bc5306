/*
 * gba/err.h: gba_strerror() and gba_err_name() for codes of the table and
 * for codes it does not hold.  The expected strings are those err.h and
 * its documentation promise, written here by hand.
 */
#include <string.h>
#include "gba_test.h"
#include "gba/err.h"

static void test_known(void)
{
	CU_ASSERT_STRING_EQUAL(gba_strerror(GBA_OK), "success");
	CU_ASSERT_STRING_EQUAL(gba_err_name(GBA_OK), "GBA_OK");
	CU_ASSERT_STRING_EQUAL(gba_strerror(GBA_ERR_MAC),
			       "MAC verification failed");
	CU_ASSERT_STRING_EQUAL(gba_err_name(GBA_ERR_MAC), "GBA_ERR_MAC");
	CU_ASSERT_STRING_EQUAL(gba_err_name(GBA_ERR_SA_UNBOUND),
			       "GBA_ERR_SA_UNBOUND");
}

static void test_unknown(void)
{
	static const int codes[] = {1, -12, -19, -1000, 42};
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		CU_ASSERT_STRING_EQUAL(gba_strerror(codes[i]), "unknown error");
		CU_ASSERT_STRING_EQUAL(gba_err_name(codes[i]),
				       "GBA_ERR_UNKNOWN");
	}
}

GBA_TEST_MAIN("err",
	{ "codes of the table", test_known },
	{ "codes it does not hold", test_unknown })
