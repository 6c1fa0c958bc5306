/*
 * Zpn over Diameter, the parts without a running core: RFC 6733 4.3.1
 * Time <-> Unix seconds (gba/diam.h) and the problem -> GPA result table
 * (diam_zpn.h).  Expected Time octets computed independently with
 * python3: calendar.timegm((2026,12,8,0,0,0)) + 2208988800 = 0xeec1c700;
 * NTP 0 in era 1 (RFC 6733 4.3.1, after 2036-02-07 06:28:16 UTC) =
 * calendar.timegm((2036,2,7,6,28,16)) = 2085978496.  Result codes from
 * TS 29.109 clause 6.2.2 (5401, 5402, vendor 10415) and RFC 6733 7.1.
 */
#include <string.h>
#include "gba_test.h"
#include "gba/diam.h"
#include "diam_zpn.h"

static void test_time(void)
{
	static const uint8_t epoch[4] = { 0x83, 0xaa, 0x7e, 0x80 };
	static const uint8_t dec8[4] = { 0xee, 0xc1, 0xc7, 0x00 };
	static const uint8_t zero[4] = { 0, 0, 0, 0 };
	uint8_t b[4];

	gba_diam_time_put(0, b);
	GBA_ASSERT_HEX_EQ(b, epoch, 4);
	gba_diam_time_put(1796688000, b);
	GBA_ASSERT_HEX_EQ(b, dec8, 4);
	CU_ASSERT_EQUAL(gba_diam_time_get(dec8, 4), 1796688000);
	CU_ASSERT_EQUAL(gba_diam_time_get(epoch, 4), 0);
	CU_ASSERT_EQUAL(gba_diam_time_get(zero, 4), 2085978496);
	CU_ASSERT_EQUAL(gba_diam_time_get(dec8, 3), -1);
	CU_ASSERT_EQUAL(gba_diam_time_get(dec8, 5), -1);
}

static void test_results(void)
{
	const struct bsf_diam_result *r;

	r = bsf_diam_result(BSF_PB_OK);
	CU_ASSERT(r->code == 2001 && !r->experimental);
	/* unknown UE and UE not associated: one problem, one answer */
	r = bsf_diam_result(BSF_PB_USER_NOT_FOUND);
	CU_ASSERT(r->code == 5401 && r->experimental);
	r = bsf_diam_result(BSF_PB_NAF_NOT_AUTHORIZED);
	CU_ASSERT(r->code == 5402 && r->experimental);
	/* a peer without TLS (no certificate) */
	r = bsf_diam_result(BSF_PB_CLIENT_CERT);
	CU_ASSERT(r->code == 5402 && r->experimental);
	r = bsf_diam_result(BSF_PB_MANDATORY_IE_MISSING);
	CU_ASSERT(r->code == 5005 && !r->experimental);
	r = bsf_diam_result(BSF_PB_MANDATORY_IE_INCORRECT);
	CU_ASSERT(r->code == 5004 && !r->experimental);
	r = bsf_diam_result(BSF_PB_SERVICE_UNAVAILABLE);
	CU_ASSERT(r->code == 3004 && !r->experimental);
	r = bsf_diam_result(BSF_PB_TOO_MANY_REQUESTS);
	CU_ASSERT(r->code == 3004 && !r->experimental);
	r = bsf_diam_result(BSF_PB_SYSTEM_FAILURE);
	CU_ASSERT(r->code == 5012 && !r->experimental);
}

GBA_TEST_MAIN("bsf_diam",
	{"RFC 6733 Time", test_time},
	{"problem -> Result-Code / Experimental-Result", test_results})
