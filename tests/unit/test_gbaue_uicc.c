/*
 * UICC hook (ue-agent/src/uicc.c): AUTHENTICATE command APDUs and the
 * response formats of TS 31.102 7.1.2 that are confirmed [V]
 * (docs/spec-facts.md section 8): 'DB' L RES L CK L IK [L Kc] and
 * 'DC' L AUTS.  Expected octets are written out by hand from that layout.
 * The [U] header values (P2 81 / 84) and GBA-context formats are checked
 * only for self-consistency, since nothing confirms them.
 */
#include <string.h>
#include "gbaue/uicc.h"
#include "gba_test.h"
#include "uicc_card.h"

#define RAND_HEX "000102030405060708090a0b0c0d0e0f"
#define AUTN_HEX "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
#define RES_HEX "a54211d5e3ba50bf"
#define CK_HEX "b40ba9a3c58b2a05bbf0d987b21bf8cb"
#define IK_HEX "f769bcd751044604127672711c6d3441"
#define KC_HEX "0011223344556677"
#define AUTS_HEX "101112131415161718191a1b1c1d"

/* the RAND and AUTN of the tests (RAND_HEX, AUTN_HEX) into @r and @a */
static void rand_autn(uint8_t r[16], uint8_t a[16])
{
	gba_test_unhex(RAND_HEX, r, 16);
	gba_test_unhex(AUTN_HEX, a, 16);
}

/* the hook's authenticate() through @u for RAND_HEX and AUTN_HEX */
static int authenticate(struct gbaue_uicc *u, int gba_u,
			struct gbaue_usim_auth *out)
{
	uint8_t r[16], a[16];

	rand_autn(r, a);
	return gbaue_uicc_ops.authenticate(u, r, a, gba_u, out);
}

/* the hook's naf_derive() through @u for NAF_Id "n.x" and IMPI "id" */
static int naf_derive_nx(struct gbaue_uicc *u, uint8_t k[32])
{
	return gbaue_uicc_ops.naf_derive(u, (const uint8_t *)"n.x", 3,
					 (const uint8_t *)"id", 2, k);
}

static void test_build_3g(void)
{
	uint8_t r[16], a[16], out[64], exp[64];
	size_t n, en;

	rand_autn(r, a);
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

	rand_autn(r, a);
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
	/* every part is required: no APDU without it */
	n = 1;
	GBA_ASSERT_ERR(
		gbaue_apdu_auth_gba_naf(big, 6, big, 0, out, sizeof(out), &n),
		GBA_ERR_BAD_PARAM);
	CU_ASSERT_EQUAL(n, 0);
	n = 1;
	GBA_ASSERT_ERR(
		gbaue_apdu_auth_gba_naf(big, 6, NULL, 6, out, sizeof(out), &n),
		GBA_ERR_BAD_PARAM);
	CU_ASSERT_EQUAL(n, 0);
	n = 1;
	GBA_ASSERT_ERR(gbaue_apdu_auth_3g(NULL, big, out, sizeof(out), &n),
		       GBA_ERR_BAD_PARAM);
	CU_ASSERT_EQUAL(n, 0);
	n = 1;
	GBA_ASSERT_ERR(gbaue_apdu_auth_gba_boot(big, NULL, out, sizeof(out),
						&n),
		       GBA_ERR_BAD_PARAM);
	CU_ASSERT_EQUAL(n, 0);
}

static void test_parse_3g_ok(void)
{
	struct gbaue_auth_resp r;
	uint8_t buf[64];
	size_t n, cut;

	/* without Kc */
	n = gba_test_unhex("db08" RES_HEX "10" CK_HEX "10" IK_HEX, buf,
			   sizeof(buf));
	GBA_ASSERT_ERR(gbaue_apdu_parse_auth_3g(buf, n, &r), GBA_OK);
	CU_ASSERT_EQUAL(r.sync, 0);
	CU_ASSERT_EQUAL(r.res_len, 8);
	GBA_ASSERT_HEX_STR(r.res, RES_HEX);
	GBA_ASSERT_HEX_STR(r.ck, CK_HEX);
	GBA_ASSERT_HEX_STR(r.ik, IK_HEX);
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
	GBA_ASSERT_HEX_STR(r.kc, KC_HEX);
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
	if (c->mode == 2)
		test_rapdu(resp, NULL, 0, 0x9862, resp_len);
	else if (c->mode == 1 && apdu[1] == 0x88)
		test_rapdu(resp, NULL, 0, 0x6100 | (unsigned)n, resp_len);
	else
		test_rapdu(resp, ok, n, 0x9000, resp_len);
	return 0;
}

static void test_uicc_ops(void)
{
	struct card c;
	struct gbaue_uicc u = {.transmit = card_tx, .arg = &c};
	struct gbaue_usim_auth out;

	memset(&c, 0, sizeof(c));
	GBA_ASSERT_ERR(authenticate(&u, 0, &out), GBA_OK);
	GBA_ASSERT_HEX_STR(out.ck, CK_HEX);
	GBA_ASSERT_HEX_STR(out.ik, IK_HEX);
	CU_ASSERT_EQUAL(c.step, 1);
	memset(&c, 0, sizeof(c));
	c.mode = 1;
	GBA_ASSERT_ERR(authenticate(&u, 0, &out), GBA_OK);
	CU_ASSERT_EQUAL(c.step, 2);
	CU_ASSERT_EQUAL(c.last_ins[1], 0xC0); /* GET RESPONSE */
	GBA_ASSERT_HEX_STR(out.ik, IK_HEX);
	memset(&c, 0, sizeof(c));
	c.mode = 2;
	GBA_ASSERT_ERR(authenticate(&u, 0, &out), GBA_ERR_MAC);
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
	struct gbaue_uicc u = {.transmit = card_u_tx, .arg = &c};
	struct gbaue_usim_auth out;
	uint8_t k[32], zero[16] = {0};

	memset(&c, 0, sizeof(c));
	GBA_ASSERT_ERR(authenticate(&u, 1, &out), GBA_OK);
	/* GBA_U: nothing secret comes back */
	GBA_ASSERT_HEX_EQ(out.ck, zero, 16);
	GBA_ASSERT_HEX_EQ(out.ik, zero, 16);
	GBA_ASSERT_ERR(naf_derive_nx(&u, k), GBA_OK);
	GBA_ASSERT_HEX_STR(k, CK_HEX IK_HEX);
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
	struct gbaue_uicc u = {.transmit = sw_card_tx, .arg = &c};
	struct gbaue_usim_auth out;
	uint8_t k[32];
	size_t i;
	int gba_u;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&c, 0, sizeof(c));
		c.sw = cases[i].sw;
		for (gba_u = 0; gba_u <= 1; gba_u++)
			GBA_ASSERT_ERR(authenticate(&u, gba_u, &out),
				       cases[i].err);
		/* NAF derivation: a MAC error cannot happen there, the
		 * rest maps the same way */
		if (cases[i].err != GBA_ERR_MAC)
			GBA_ASSERT_ERR(naf_derive_nx(&u, k), cases[i].err);
	}
	memset(&c, 0, sizeof(c));
	c.fail = 1;
	GBA_ASSERT_ERR(authenticate(&u, 1, &out), GBA_ERR_IO);
	GBA_ASSERT_ERR(naf_derive_nx(&u, k), GBA_ERR_IO);
}

/*
 * Issue 15: T=0 '6C xx' (wrong Le; TS 102 221 7.3.1.1.4): the command is
 * sent again with Le = xx.  The card answers the first AUTHENTICATE
 * (Le 00) with 6C 2A (42 = 1 + 1+8 + 1+16 + 1+16 response octets,
 * counted by hand) and only the repeated one with data.
 */
struct le_card {
	int step;
	uint8_t le[4];
};

static int le_tx(void *arg, const uint8_t *apdu, size_t len, uint8_t *resp,
		 size_t cap, size_t *resp_len)
{
	struct le_card *c = arg;

	if (cap < 64)
		return -1;
	c->le[c->step++ & 3] = apdu[len - 1];
	if (apdu[len - 1] != 0x2A) {
		test_rapdu(resp, NULL, 0, 0x6C2A, resp_len);
		return 0;
	}
	*resp_len = gba_test_unhex("db08" RES_HEX "10" CK_HEX "10" IK_HEX "9000",
				   resp, cap);
	return 0;
}

static void test_uicc_6c(void)
{
	struct le_card c;
	struct gbaue_uicc u = {.transmit = le_tx, .arg = &c};
	struct gbaue_usim_auth out;

	memset(&c, 0, sizeof(c));
	GBA_ASSERT_ERR(authenticate(&u, 0, &out), GBA_OK);
	CU_ASSERT_EQUAL(c.step, 2);
	CU_ASSERT_EQUAL(c.le[0], 0x00);
	CU_ASSERT_EQUAL(c.le[1], 0x2A);
	GBA_ASSERT_HEX_STR(out.ik, IK_HEX);
}

/*
 * A scripted T=0 card with a file system: MF, EF_DIR with two records
 * (an ISIM first, then the USIM; AIDs of TS 101 220 / ETSI registry
 * form written by hand), ADF USIM, EF_UST.  READ with Le 00 gets 6C xx,
 * SELECT by AID is accepted only with the full AID.
 */
struct fs_card {
	int cur;      /* 0 none, 1 MF, 2 EF_DIR, 3 ADF, 4 EF_UST */
	int adf;      /* the ADF was selected */
	uint8_t ust[9];
	int n_auth;   /* AUTHENTICATE commands received */
	int n_cmd;
	int variant;  /* 1 no USIM, 2 bad record, 3 SELECT answers 61 xx */
	uint8_t fcp_pending;
};

#define ISIM_AID "a0000000871004ff49ff0189000000ff"
#define USIM_AID "a0000000871002ff49ff0589000001ff"

static int fs_tx(void *arg, const uint8_t *apdu, size_t len, uint8_t *resp,
		 size_t cap, size_t *resp_len)
{
	struct fs_card *c = arg;
	uint8_t data[64], aid[16];
	size_t n = 0, want;
	unsigned sw = 0x9000;

	c->n_cmd++;
	if (cap < 70 || len < 5)
		return -1;
	if (apdu[1] == 0xA4 && apdu[2] == 0x00 && len == 7) {
		unsigned fid = (unsigned)apdu[5] << 8 | apdu[6];

		if (fid == 0x3F00 && c->variant == 3) {
			/* a card returning its FCP although P2 = 0C */
			c->cur = 1, c->adf = 0;
			c->fcp_pending = 1;
			test_rapdu(resp, NULL, 0, 0x6104, resp_len);
			return 0;
		} else if (fid == 0x3F00)
			c->cur = 1, c->adf = 0;
		else if (fid == 0x2F00 && (c->cur == 1 || c->cur == 2))
			c->cur = 2;
		else if (fid == 0x6F38 && c->adf)
			c->cur = 4;
		else
			sw = 0x6A82;
	} else if (apdu[1] == 0xA4 && apdu[2] == 0x04) {
		gba_test_unhex(USIM_AID, aid, 16);
		if (apdu[4] == 16 && len == 21 && !memcmp(apdu + 5, aid, 16))
			c->cur = 3, c->adf = 1;
		else
			sw = 0x6A82;
	} else if (apdu[1] == 0xB2 && c->cur == 2) {
		memset(data, 0xFF, 30);
		if (apdu[2] == 1 && c->variant == 2)
			gba_test_unhex("6212" "4f10" ISIM_AID, data, 20);
		else if (apdu[2] == 1 || (apdu[2] == 2 && c->variant == 1))
			gba_test_unhex("6112" "4f10" ISIM_AID, data, 20);
		else if (apdu[2] == 2)
			gba_test_unhex("6118" "4f10" USIM_AID "5004" "55534d31",
				       data, 26);
		else
			sw = 0x6A83;
		n = sw == 0x9000 ? 30 : 0;
	} else if (apdu[1] == 0xB0 && c->cur == 4) {
		memcpy(data, c->ust, sizeof(c->ust));
		n = sizeof(c->ust);
	} else if (apdu[1] == 0xC0 && c->fcp_pending) {
		c->fcp_pending = 0;
		gba_test_unhex("62028300", data, 4);
		n = 4;
	} else if (apdu[1] == 0x88) {
		c->n_auth++;
		sw = 0x6D00;
	} else {
		sw = 0x6986;
	}
	want = apdu[4];
	if (n && want != n) {
		/* T=0: wrong Le */
		test_rapdu(resp, NULL, 0, 0x6C00 | (unsigned)n, resp_len);
		return 0;
	}
	test_rapdu(resp, data, n, sw, resp_len);
	return 0;
}

static void test_uicc_open(void)
{
	struct fs_card c;
	struct gbaue_uicc u = {.transmit = fs_tx, .arg = &c};
	struct gbaue_usim_auth out;
	uint8_t k[32];

	/* service 68 = octet 9 (index 8), bit b4 (mask 0x08), by hand */
	memset(&c, 0, sizeof(c));
	c.ust[8] = 0x08;
	GBA_ASSERT_ERR(gbaue_uicc_open(&u), GBA_OK);
	CU_ASSERT_EQUAL(u.opened, 1);
	CU_ASSERT_EQUAL(u.gba_u, 1);
	CU_ASSERT_EQUAL(u.aid_len, 16);
	GBA_ASSERT_HEX_STR(u.aid, USIM_AID);
	CU_ASSERT_EQUAL(u.ust_len, 9);
	/* GBA card: the AUTHENTICATE goes out (and the card says 6D 00) */
	GBA_ASSERT_ERR(authenticate(&u, 1, &out), GBA_ERR_UNSUPPORTED);
	CU_ASSERT_EQUAL(c.n_auth, 1);

	/* all other bits set, service 68 clear: GBA_U is refused here,
	 * without any command; the 3G context still goes to the card */
	memset(&c, 0, sizeof(c));
	memset(c.ust, 0xFF, sizeof(c.ust));
	c.ust[8] = 0xF7;
	GBA_ASSERT_ERR(gbaue_uicc_open(&u), GBA_OK);
	CU_ASSERT_EQUAL(u.gba_u, 0);
	c.n_cmd = 0;
	GBA_ASSERT_ERR(authenticate(&u, 1, &out), GBA_ERR_UNSUPPORTED);
	GBA_ASSERT_ERR(naf_derive_nx(&u, k), GBA_ERR_UNSUPPORTED);
	CU_ASSERT_EQUAL(c.n_cmd, 0);
	GBA_ASSERT_ERR(authenticate(&u, 0, &out), GBA_ERR_UNSUPPORTED);
	CU_ASSERT_EQUAL(c.n_auth, 1);

	/* a UST too short for service 68 */
	memset(&c, 0, sizeof(c));
	c.ust[0] = 0xFF;
	GBA_ASSERT_ERR(gbaue_uicc_open(&u), GBA_OK);
	CU_ASSERT_EQUAL(u.gba_u, 0);

	/* a SELECT answered with 61 xx (FCP anyway): fetched and dropped */
	memset(&c, 0, sizeof(c));
	c.ust[8] = 0x08;
	c.variant = 3;
	GBA_ASSERT_ERR(gbaue_uicc_open(&u), GBA_OK);
	CU_ASSERT_EQUAL(u.gba_u, 1);
	/* no USIM in EF_DIR; a record that is not '61': not opened */
	memset(&c, 0, sizeof(c));
	c.variant = 1;
	GBA_ASSERT_ERR(gbaue_uicc_open(&u), GBA_ERR_NOT_FOUND);
	CU_ASSERT_EQUAL(u.opened, 0);
	memset(&c, 0, sizeof(c));
	c.variant = 2;
	GBA_ASSERT_ERR(gbaue_uicc_open(&u), GBA_ERR_IO);
	CU_ASSERT_EQUAL(u.opened, 0);
}

static void test_ust_has(void)
{
	uint8_t ust[9] = {0x01, 0, 0, 0, 0, 0, 0, 0x80, 0x08};

	CU_ASSERT_EQUAL(gbaue_ust_has(ust, 9, 1), 1);  /* octet 1 b1 */
	CU_ASSERT_EQUAL(gbaue_ust_has(ust, 9, 2), 0);
	CU_ASSERT_EQUAL(gbaue_ust_has(ust, 9, 64), 1); /* octet 8 b8 */
	CU_ASSERT_EQUAL(gbaue_ust_has(ust, 9, 68), 1); /* octet 9 b4 */
	CU_ASSERT_EQUAL(gbaue_ust_has(ust, 9, 67), 0);
	CU_ASSERT_EQUAL(gbaue_ust_has(ust, 8, 68), 0);
	CU_ASSERT_EQUAL(gbaue_ust_has(ust, 9, 0), 0);
	CU_ASSERT_EQUAL(gbaue_ust_has(ust, 9, 73), 0);
}

GBA_TEST_MAIN("gbaue_uicc",
	{"build 3G AUTHENTICATE", test_build_3g},
	{"build GBA AUTHENTICATE [U]", test_build_gba},
	{"parse DB L RES L CK L IK [L Kc]", test_parse_3g_ok},
	{"parse DC L AUTS", test_parse_3g_sync},
	{"parse GBA responses [U]", test_parse_gba},
	{"uicc ops over a scripted card", test_uicc_ops},
	{"uicc ops, GBA_U [U]", test_uicc_ops_gba_u},
	{"uicc status words: refusals are not I/O",
	 test_uicc_status_words},
	{"uicc T=0 6C xx: command again with Le = xx", test_uicc_6c},
	{"uicc open: USIM ADF from EF_DIR, EF_UST", test_uicc_open},
	{"EF_UST service bits", test_ust_has})
