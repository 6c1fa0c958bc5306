/*
 * UICC hook (ue-agent/src/uicc.c): AUTHENTICATE command APDUs and the
 * response formats of TS 31.102 7.1.2 that the digest marks [V]
 * (shared/spec/gba-push.md 6.5): 'DB' L RES L CK L IK [L Kc] and
 * 'DC' L AUTS.  Expected octets are written out by hand from that layout.
 * The [U] header values (P2 81 / 84) and GBA-context formats are checked
 * only for self-consistency, since nothing confirms them.
 */
#include <string.h>
#include "gbaue/uicc.h"
#include "gba_test.h"

#define RAND_HEX "000102030405060708090a0b0c0d0e0f"
#define AUTN_HEX "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
#define RES_HEX "a54211d5e3ba50bf"
#define CK_HEX "b40ba9a3c58b2a05bbf0d987b21bf8cb"
#define IK_HEX "f769bcd751044604127672711c6d3441"
#define KC_HEX "0011223344556677"
#define AUTS_HEX "101112131415161718191a1b1c1d"

static void test_build_3g(void)
{
	uint8_t r[16], a[16], out[64], exp[64];
	size_t n, en;

	gba_test_unhex(RAND_HEX, r, 16);
	gba_test_unhex(AUTN_HEX, a, 16);
	/* CLA 00 INS 88 P1 00 P2 81 Lc 22 | 10 RAND | 10 AUTN | Le 00 */
	en = gba_test_unhex("0088008122"
			    "10" RAND_HEX "10" AUTN_HEX "00",
			    exp, sizeof(exp));
	GBA_ASSERT_ERR(gbaue_apdu_auth_3g(r, a, out, sizeof(out), &n), GBA_OK);
	CU_ASSERT_EQUAL(n, en);
	GBA_ASSERT_HEX_EQ(out, exp, en);
	GBA_ASSERT_ERR(gbaue_apdu_auth_3g(r, a, out, en - 1, &n),
		       GBA_ERR_NO_SPACE);
	CU_ASSERT_EQUAL(n, 0);
}

static void test_build_gba(void)
{
	uint8_t r[16], a[16], out[300], exp[64], big[300];
	size_t n, en;

	gba_test_unhex(RAND_HEX, r, 16);
	gba_test_unhex(AUTN_HEX, a, 16);
	en = gba_test_unhex("0088008423"
			    "dd"
			    "10" RAND_HEX "10" AUTN_HEX "00",
			    exp, sizeof(exp));
	GBA_ASSERT_ERR(gbaue_apdu_auth_gba_boot(r, a, out, sizeof(out), &n),
		       GBA_OK);
	CU_ASSERT_EQUAL(n, en);
	GBA_ASSERT_HEX_EQ(out, exp, en);
	/* DE | 03 "n.x" | 02 "id" : Lc = 1 + 4 + 3 = 8 */
	en = gba_test_unhex("0088008408"
			    "de"
			    "036e2e78"
			    "026964"
			    "00",
			    exp, sizeof(exp));
	GBA_ASSERT_ERR(gbaue_apdu_auth_gba_naf((const uint8_t *)"n.x", 3,
					       (const uint8_t *)"id", 2, out,
					       sizeof(out), &n),
		       GBA_OK);
	CU_ASSERT_EQUAL(n, en);
	GBA_ASSERT_HEX_EQ(out, exp, en);
	memset(big, 'a', sizeof(big));
	GBA_ASSERT_ERR(gbaue_apdu_auth_gba_naf(big, 200, big, 60, out,
					       sizeof(out), &n),
		       GBA_ERR_TOO_LARGE);
	GBA_ASSERT_ERR(
		gbaue_apdu_auth_gba_naf(big, 0, big, 6, out, sizeof(out), &n),
		GBA_ERR_BAD_PARAM);
}

static void test_parse_3g_ok(void)
{
	struct gbaue_auth_resp r;
	uint8_t buf[64], res[8], ck[16], ik[16], kc[8];
	size_t n, cut;

	gba_test_unhex(RES_HEX, res, 8);
	gba_test_unhex(CK_HEX, ck, 16);
	gba_test_unhex(IK_HEX, ik, 16);
	gba_test_unhex(KC_HEX, kc, 8);
	/* without Kc */
	n = gba_test_unhex("db08" RES_HEX "10" CK_HEX "10" IK_HEX, buf,
			   sizeof(buf));
	GBA_ASSERT_ERR(gbaue_apdu_parse_auth_3g(buf, n, &r), GBA_OK);
	CU_ASSERT_EQUAL(r.sync, 0);
	CU_ASSERT_EQUAL(r.res_len, 8);
	GBA_ASSERT_HEX_EQ(r.res, res, 8);
	GBA_ASSERT_HEX_EQ(r.ck, ck, 16);
	GBA_ASSERT_HEX_EQ(r.ik, ik, 16);
	CU_ASSERT_EQUAL(r.has_kc, 0);
	/* every truncation is TRUNCATED */
	for (cut = 0; cut < n; cut++)
		GBA_ASSERT_ERR(gbaue_apdu_parse_auth_3g(buf, cut, &r),
			       GBA_ERR_TRUNCATED);
	/* with Kc */
	n = gba_test_unhex("db08" RES_HEX "10" CK_HEX "10" IK_HEX "08" KC_HEX,
			   buf, sizeof(buf));
	GBA_ASSERT_ERR(gbaue_apdu_parse_auth_3g(buf, n, &r), GBA_OK);
	CU_ASSERT_EQUAL(r.has_kc, 1);
	GBA_ASSERT_HEX_EQ(r.kc, kc, 8);
	/* Kc of the wrong length, trailing octet */
	n = gba_test_unhex("db08" RES_HEX "10" CK_HEX "10" IK_HEX "07"
			   "00112233445566",
			   buf, sizeof(buf));
	GBA_ASSERT_ERR(gbaue_apdu_parse_auth_3g(buf, n, &r), GBA_ERR_MALFORMED);
	n = gba_test_unhex("db08" RES_HEX "10" CK_HEX "10" IK_HEX "08" KC_HEX
			   "00",
			   buf, sizeof(buf));
	GBA_ASSERT_ERR(gbaue_apdu_parse_auth_3g(buf, n, &r), GBA_ERR_TRAILING);
	/* CK of 15 octets, RES of 3 and of 17 octets */
	n = gba_test_unhex("db08" RES_HEX "0f"
			   "b40ba9a3c58b2a05bbf0d987b21bf8"
			   "10" IK_HEX,
			   buf, sizeof(buf));
	GBA_ASSERT_ERR(gbaue_apdu_parse_auth_3g(buf, n, &r), GBA_ERR_MALFORMED);
	n = gba_test_unhex("db03a54211"
			   "10" CK_HEX "10" IK_HEX,
			   buf, sizeof(buf));
	GBA_ASSERT_ERR(gbaue_apdu_parse_auth_3g(buf, n, &r), GBA_ERR_MALFORMED);
	CU_ASSERT_EQUAL(r.res_len, 0); /* wiped on error */
}

static void test_parse_3g_sync(void)
{
	struct gbaue_auth_resp r;
	uint8_t buf[32], auts[14];
	size_t n, cut;

	gba_test_unhex(AUTS_HEX, auts, 14);
	n = gba_test_unhex("dc0e" AUTS_HEX, buf, sizeof(buf));
	GBA_ASSERT_ERR(gbaue_apdu_parse_auth_3g(buf, n, &r), GBA_OK);
	CU_ASSERT_EQUAL(r.sync, 1);
	GBA_ASSERT_HEX_EQ(r.auts, auts, 14);
	for (cut = 0; cut < n; cut++)
		GBA_ASSERT_ERR(gbaue_apdu_parse_auth_3g(buf, cut, &r),
			       GBA_ERR_TRUNCATED);
	n = gba_test_unhex("dc0d"
			   "101112131415161718191a1b1c",
			   buf, sizeof(buf));
	GBA_ASSERT_ERR(gbaue_apdu_parse_auth_3g(buf, n, &r), GBA_ERR_MALFORMED);
	n = gba_test_unhex("dc0e" AUTS_HEX "ff", buf, sizeof(buf));
	GBA_ASSERT_ERR(gbaue_apdu_parse_auth_3g(buf, n, &r), GBA_ERR_TRAILING);
	/* unknown tag */
	n = gba_test_unhex("9f0e" AUTS_HEX, buf, sizeof(buf));
	GBA_ASSERT_ERR(gbaue_apdu_parse_auth_3g(buf, n, &r), GBA_ERR_MALFORMED);
}

static void test_parse_gba(void)
{
	struct gbaue_auth_resp r;
	uint8_t buf[64], k[32];
	size_t n;

	n = gba_test_unhex("db08" RES_HEX, buf, sizeof(buf));
	GBA_ASSERT_ERR(gbaue_apdu_parse_gba_boot(buf, n, &r), GBA_OK);
	CU_ASSERT_EQUAL(r.res_len, 8);
	n = gba_test_unhex("db20" CK_HEX IK_HEX, buf, sizeof(buf));
	GBA_ASSERT_ERR(gbaue_apdu_parse_gba_naf(buf, n, k), GBA_OK);
	GBA_ASSERT_HEX_EQ(k, buf + 2, 32);
	GBA_ASSERT_ERR(gbaue_apdu_parse_gba_naf(buf, n - 1, k),
		       GBA_ERR_TRUNCATED);
	buf[1] = 0x10;
	GBA_ASSERT_ERR(gbaue_apdu_parse_gba_naf(buf, 18, k), GBA_ERR_MALFORMED);
}

/* ---- gbaue_uicc_ops against a scripted card ---- */

struct card {
	int step;
	int mode; /* 0: DB direct, 1: 61xx then GET RESPONSE, 2: 98 62 */
	uint8_t last_ins[4];
};

static int card_tx(void *arg, const uint8_t *apdu, size_t len, uint8_t *resp,
		   size_t cap, size_t *resp_len)
{
	struct card *c = arg;
	uint8_t ok[64];
	size_t n = gba_test_unhex("db08" RES_HEX "10" CK_HEX "10" IK_HEX, ok,
				  sizeof(ok));

	(void)len;
	c->last_ins[c->step++ & 3] = apdu[1];
	if (cap < n + 2)
		return -1;
	if (c->mode == 2) {
		resp[0] = 0x98;
		resp[1] = 0x62;
		*resp_len = 2;
	} else if (c->mode == 1 && apdu[1] == 0x88) {
		resp[0] = 0x61;
		resp[1] = (uint8_t)n;
		*resp_len = 2;
	} else {
		memcpy(resp, ok, n);
		resp[n] = 0x90;
		resp[n + 1] = 0x00;
		*resp_len = n + 2;
	}
	return 0;
}

static void test_uicc_ops(void)
{
	struct card c;
	struct gbaue_uicc u = {card_tx, &c};
	struct gbaue_usim_auth out;
	uint8_t r[16], a[16], ck[16], ik[16];

	gba_test_unhex(RAND_HEX, r, 16);
	gba_test_unhex(AUTN_HEX, a, 16);
	gba_test_unhex(CK_HEX, ck, 16);
	gba_test_unhex(IK_HEX, ik, 16);
	memset(&c, 0, sizeof(c));
	GBA_ASSERT_ERR(gbaue_uicc_ops.authenticate(&u, r, a, 0, &out), GBA_OK);
	GBA_ASSERT_HEX_EQ(out.ck, ck, 16);
	GBA_ASSERT_HEX_EQ(out.ik, ik, 16);
	CU_ASSERT_EQUAL(c.step, 1);
	memset(&c, 0, sizeof(c));
	c.mode = 1;
	GBA_ASSERT_ERR(gbaue_uicc_ops.authenticate(&u, r, a, 0, &out), GBA_OK);
	CU_ASSERT_EQUAL(c.step, 2);
	CU_ASSERT_EQUAL(c.last_ins[1], 0xC0); /* GET RESPONSE */
	GBA_ASSERT_HEX_EQ(out.ik, ik, 16);
	memset(&c, 0, sizeof(c));
	c.mode = 2;
	GBA_ASSERT_ERR(gbaue_uicc_ops.authenticate(&u, r, a, 0, &out),
		       GBA_ERR_MAC);
}

/* GBA_U through the hook: bootstrapping then NAF derivation ([U] formats,
 * checked for self-consistency with the builders/parsers only). */
struct card_u {
	int step;
	uint8_t p2[2], tag[2];
};

static int card_u_tx(void *arg, const uint8_t *apdu, size_t len, uint8_t *resp,
		     size_t cap, size_t *resp_len)
{
	struct card_u *c = arg;
	size_t n;

	(void)len;
	if (c->step < 2) {
		c->p2[c->step] = apdu[3];
		c->tag[c->step] = apdu[5];
	}
	if (cap < 40)
		return -1;
	if (c->step++ == 0)
		n = gba_test_unhex("db08" RES_HEX "9000", resp, cap);
	else
		n = gba_test_unhex("db20" CK_HEX IK_HEX "9000", resp, cap);
	*resp_len = n;
	return 0;
}

static void test_uicc_ops_gba_u(void)
{
	struct card_u c;
	struct gbaue_uicc u = {card_u_tx, &c};
	struct gbaue_usim_auth out;
	uint8_t r[16], a[16], k[32], exp[32], zero[16] = {0};

	memset(&c, 0, sizeof(c));
	gba_test_unhex(RAND_HEX, r, 16);
	gba_test_unhex(AUTN_HEX, a, 16);
	GBA_ASSERT_ERR(gbaue_uicc_ops.authenticate(&u, r, a, 1, &out), GBA_OK);
	/* GBA_U: nothing secret comes back */
	GBA_ASSERT_HEX_EQ(out.ck, zero, 16);
	GBA_ASSERT_HEX_EQ(out.ik, zero, 16);
	GBA_ASSERT_ERR(gbaue_uicc_ops.naf_derive(&u, (const uint8_t *)"n.x", 3,
						 (const uint8_t *)"id", 2, k),
		       GBA_OK);
	gba_test_unhex(CK_HEX IK_HEX, exp, 32);
	GBA_ASSERT_HEX_EQ(k, exp, 32);
	CU_ASSERT_EQUAL(c.p2[0], 0x84);
	CU_ASSERT_EQUAL(c.tag[0], 0xDD);
	CU_ASSERT_EQUAL(c.p2[1], 0x84);
	CU_ASSERT_EQUAL(c.tag[1], 0xDE);
}

/*
 * Issue 11: status words that are the card's verdict on the input map to
 * event errors, not GBA_ERR_IO (sticky in the agent); only a transport
 * failure, a malformed response or an unclassified SW is GBA_ERR_IO.  The
 * expected values follow the SW classes (docs/ue-agent.md "UICC hook").
 */
struct sw_card {
	unsigned sw;
	int fail;
};

static int sw_tx(void *arg, const uint8_t *apdu, size_t len, uint8_t *resp,
		 size_t cap, size_t *resp_len)
{
	struct sw_card *c = arg;

	(void)apdu;
	(void)len;
	if (c->fail || cap < 2)
		return -1;
	resp[0] = (uint8_t)(c->sw >> 8);
	resp[1] = (uint8_t)c->sw;
	*resp_len = 2;
	return 0;
}

static void test_uicc_status_words(void)
{
	static const struct {
		unsigned sw;
		int err;
	} cases[] = {
		{0x9862, GBA_ERR_MAC},	       {0x9864, GBA_ERR_UNSUPPORTED},
		{0x9865, GBA_ERR_NOT_AUTHORIZED}, {0x9804, GBA_ERR_NOT_AUTHORIZED},
		{0x6982, GBA_ERR_NOT_AUTHORIZED}, {0x6985, GBA_ERR_NOT_AUTHORIZED},
		{0x6A86, GBA_ERR_UNSUPPORTED},    {0x6A81, GBA_ERR_UNSUPPORTED},
		{0x6A88, GBA_ERR_UNSUPPORTED},    {0x6D00, GBA_ERR_UNSUPPORTED},
		{0x6E00, GBA_ERR_UNSUPPORTED},    {0x6F00, GBA_ERR_IO},
		{0x6700, GBA_ERR_IO},		       {0x6D01, GBA_ERR_IO},
		{0x6400, GBA_ERR_IO},
	};
	struct sw_card c;
	struct gbaue_uicc u = {sw_tx, &c};
	struct gbaue_usim_auth out;
	uint8_t r[16], a[16], k[32];
	size_t i;
	int gba_u;

	gba_test_unhex(RAND_HEX, r, 16);
	gba_test_unhex(AUTN_HEX, a, 16);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&c, 0, sizeof(c));
		c.sw = cases[i].sw;
		for (gba_u = 0; gba_u <= 1; gba_u++)
			GBA_ASSERT_ERR(gbaue_uicc_ops.authenticate(&u, r, a,
								   gba_u, &out),
				       cases[i].err);
		/* NAF derivation: a MAC error cannot happen there, the
		 * rest maps the same way */
		if (cases[i].err != GBA_ERR_MAC)
			GBA_ASSERT_ERR(gbaue_uicc_ops.naf_derive(
					       &u, (const uint8_t *)"n.x", 3,
					       (const uint8_t *)"id", 2, k),
				       cases[i].err);
	}
	memset(&c, 0, sizeof(c));
	c.fail = 1;
	GBA_ASSERT_ERR(gbaue_uicc_ops.authenticate(&u, r, a, 1, &out),
		       GBA_ERR_IO);
	GBA_ASSERT_ERR(gbaue_uicc_ops.naf_derive(&u, (const uint8_t *)"n.x", 3,
						 (const uint8_t *)"id", 2, k),
		       GBA_ERR_IO);
}

int main(void)
{
	CU_TestInfo tests[] = {
		{"build 3G AUTHENTICATE", test_build_3g},
		{"build GBA AUTHENTICATE [U]", test_build_gba},
		{"parse DB L RES L CK L IK [L Kc]", test_parse_3g_ok},
		{"parse DC L AUTS", test_parse_3g_sync},
		{"parse GBA responses [U]", test_parse_gba},
		{"uicc ops over a scripted card", test_uicc_ops},
		{"uicc ops, GBA_U [U]", test_uicc_ops_gba_u},
		{"uicc status words: refusals are not I/O",
		 test_uicc_status_words},
		CU_TEST_INFO_NULL,
	};

	return gba_test_run("gbaue_uicc", tests);
}
