/*
 * GPI push message (TS 24.109 Annex J.2.2) and the GPI envelope.
 *
 * The envelope widths (version 1 octet, session id 2 octets big-endian)
 * and every content-type code used here are PROJECT CHOICES / test
 * parameters, not 3GPP values ([GAP] J.3.1.2, J.3.1.3).  Expected bytes
 * are written by hand from WAP-230-WSP 8.2.4.1 / TS 24.109 J.2.2 and the chosen
 * widths; lengths are counted in the comments.
 */
#include <string.h>
#include "gba/gpi.h"
#include "gba/gpi_push.h"
#include "gba/gpi_sms.h"
#include "gba/sms.h"
#include "gba_test.h"
#include "sms_deliver.h"

static const uint8_t gpi2[2] = { 0xaa, 0xbb };

static void test_env(void)
{
	static uint8_t big[GBA_GPI_MAX + 4];
	struct gba_gpi_env e = { .session_id = 0x1234, .gpi = gpi2,
				 .gpi_len = 2 };
	uint8_t o[16], exp[16];
	size_t ol, n, i;

	GBA_ASSERT_ERR(gba_gpi_env_encode(&e, o, sizeof(o), &ol), GBA_OK);
	n = gba_test_unhex("011234aabb", exp, sizeof(exp));
	CU_ASSERT_EQUAL(ol, n);
	GBA_ASSERT_HEX_EQ(o, exp, n);
	memset(&e, 0, sizeof(e));
	GBA_ASSERT_ERR(gba_gpi_env_decode(o, ol, &e), GBA_OK);
	CU_ASSERT(e.version == 1 && e.session_id == 0x1234 &&
		  e.gpi_len == 2 && e.gpi == o + 3);
	for (i = 0; i < 4; i++)
		GBA_ASSERT_ERR(gba_gpi_env_decode(o, i, &e),
			       GBA_ERR_TRUNCATED);
	o[0] = 2;
	GBA_ASSERT_ERR(gba_gpi_env_decode(o, ol, &e), GBA_ERR_VERSION);
	o[0] = 0;
	GBA_ASSERT_ERR(gba_gpi_env_decode(o, ol, &e), GBA_ERR_VERSION);
	/* GPI above GBA_GPI_MAX */
	big[0] = 1;
	GBA_ASSERT_ERR(gba_gpi_env_decode(big, 3 + GBA_GPI_MAX, &e), GBA_OK);
	GBA_ASSERT_ERR(gba_gpi_env_decode(big, 4 + GBA_GPI_MAX, &e),
		       GBA_ERR_TOO_LARGE);
	e.gpi = big;
	e.gpi_len = GBA_GPI_MAX + 1;
	GBA_ASSERT_ERR(gba_gpi_env_encode(&e, big, sizeof(big), &ol),
		       GBA_ERR_TOO_LARGE);
	e.gpi_len = 0;
	GBA_ASSERT_ERR(gba_gpi_env_encode(&e, big, sizeof(big), &ol),
		       GBA_ERR_BAD_PARAM);
	e.gpi_len = 2;
	GBA_ASSERT_ERR(gba_gpi_env_encode(&e, o, 4, &ol), GBA_ERR_NO_SPACE);
}

static void test_push_kat(void)
{
	/* test parameters, NOT 3GPP codes: CT 0x40 / 0x0310, app id 7 */
	struct gba_gpi_push_cfg c1 = { .ct_code_set = 1, .ct_code = 0x40,
				       .app_code = 7 };
	struct gba_gpi_push_cfg c2 = { .ct_code_set = 1, .ct_code = 0x0310,
				       .app_code = 7 };
	struct gba_gpi_push_cfg c3 = { .app_is_text = 1,
				       .app_urn = "urn:x-gba" };
	struct gba_gpi_env e = { .session_id = 0x1234, .gpi = gpi2,
				 .gpi_len = 2 };
	struct gba_wsp_push p;
	uint8_t o[128], exp[128];
	size_t ol, n;

	/* TID 01, Push, hl 3 = c0 | af 87; envelope 01 1234 aabb */
	n = gba_test_unhex("010603c0af87011234aabb", exp, sizeof(exp));
	GBA_ASSERT_ERR(gba_gpi_push_encode(&c1, 1, &e, o, sizeof(o), &ol),
		       GBA_OK);
	CU_ASSERT_EQUAL(ol, n);
	GBA_ASSERT_HEX_EQ(o, exp, n);
	memset(&e, 0, sizeof(e));
	GBA_ASSERT_ERR(gba_gpi_push_decode(&c1, o, ol, &p, &e), GBA_OK);
	CU_ASSERT(e.session_id == 0x1234 && e.gpi_len == 2 &&
		  e.gpi[1] == 0xbb && p.tid == 1);
	/* hl 6 = 03 02 03 10 | af 87 */
	n = gba_test_unhex("01060603020310af87011234aabb", exp, sizeof(exp));
	GBA_ASSERT_ERR(gba_gpi_push_encode(&c2, 1, &e, o, sizeof(o), &ol),
		       GBA_OK);
	CU_ASSERT_EQUAL(ol, n);
	GBA_ASSERT_HEX_EQ(o, exp, n);
	GBA_ASSERT_ERR(gba_gpi_push_decode(&c2, o, ol, &p, &e), GBA_OK);
	/* the text content type is accepted even when a code is set */
	/* hl 0x28 = 40 = 29 (CT text + NUL) + 1 (af) + 10 ("urn:x-gba" + NUL) */
	n = gba_test_unhex("010628"
			   "6170706c69636174696f6e2f766e642e336770702e6762612e"
			   "67706900"
			   "af75726e3a782d67626100" "011234aabb", exp,
			   sizeof(exp));
	GBA_ASSERT_ERR(gba_gpi_push_encode(&c3, 1, &e, o, sizeof(o), &ol),
		       GBA_OK);
	CU_ASSERT_EQUAL(ol, n);
	GBA_ASSERT_HEX_EQ(o, exp, n);
	GBA_ASSERT_ERR(gba_gpi_push_decode(&c3, o, ol, &p, &e), GBA_OK);
	c3.ct_code_set = 1;
	c3.ct_code = 0x40;
	GBA_ASSERT_ERR(gba_gpi_push_decode(&c3, o, ol, &p, &e), GBA_OK);
	/* wrong URN */
	c3.app_urn = "urn:x-gbb";
	GBA_ASSERT_ERR(gba_gpi_push_decode(&c3, o, ol, &p, &e),
		       GBA_ERR_APP_ID);
	/* case-insensitive media type */
	exp[3] = 'A';
	c3.app_urn = "urn:x-gba";
	GBA_ASSERT_ERR(gba_gpi_push_decode(&c3, exp, n, &p, &e), GBA_OK);
}

/* gba_gpi_push_check(): the checks and the envelope on a decoded WSP view */
static void test_push_check(void)
{
	struct gba_gpi_push_cfg c1 = { .ct_code_set = 1, .ct_code = 0x40,
				       .app_code = 7 };
	struct gba_wsp_push p;
	struct gba_gpi_env e;
	uint8_t b[64];
	size_t n;

	/* TID 01, Push, hl 3 = c0 | af 87; envelope 01 1234 aabb */
	n = gba_test_unhex("010603c0af87011234aabb", b, sizeof(b));
	GBA_ASSERT_ERR(gba_wsp_push_decode(b, n, &p), GBA_OK);
	GBA_ASSERT_ERR(gba_gpi_push_check(&c1, &p, &e), GBA_OK);
	CU_ASSERT(e.version == 1 && e.session_id == 0x1234 &&
		  e.gpi_len == 2 && e.gpi == b + 9);
	c1.app_code = 8;
	GBA_ASSERT_ERR(gba_gpi_push_check(&c1, &p, &e), GBA_ERR_APP_ID);
	CU_ASSERT(e.gpi == NULL && e.gpi_len == 0);
	c1.app_code = 7;
	c1.ct_code = 0x41;
	GBA_ASSERT_ERR(gba_gpi_push_check(&c1, &p, &e),
		       GBA_ERR_CONTENT_TYPE);
	c1.ct_code = 0x40;
	c1.app_is_text = 2; /* invalid configuration */
	GBA_ASSERT_ERR(gba_gpi_push_check(&c1, &p, &e), GBA_ERR_BAD_PARAM);
	c1.app_is_text = 0;
	/* a valid WSP Push whose envelope has version 2 */
	n = gba_test_unhex("010603c0af87021234aabb", b, sizeof(b));
	GBA_ASSERT_ERR(gba_wsp_push_decode(b, n, &p), GBA_OK);
	GBA_ASSERT_ERR(gba_gpi_push_check(&c1, &p, &e), GBA_ERR_VERSION);
	GBA_ASSERT_ERR(gba_gpi_push_check(&c1, NULL, &e), GBA_ERR_BAD_PARAM);
}

static void test_push_rejects(void)
{
	struct gba_gpi_push_cfg c = { .ct_code_set = 1, .ct_code = 0x40,
				      .app_code = 7 };
	struct gba_gpi_push_cfg nocode = { .app_code = 7 };
	struct gba_gpi_env e;
	struct gba_wsp_push p;
	uint8_t b[64];
	size_t n, i;

	/* SI content type (0x2e) */
	n = gba_test_unhex("010603aeaf87011234aabb", b, sizeof(b));
	GBA_ASSERT_ERR(gba_gpi_push_decode(&c, b, n, &p, &e),
		       GBA_ERR_CONTENT_TYPE);
	/* a short code when none is configured */
	n = gba_test_unhex("010603c0af87011234aabb", b, sizeof(b));
	GBA_ASSERT_ERR(gba_gpi_push_decode(&nocode, b, n, &p, &e),
		       GBA_ERR_CONTENT_TYPE);
	/* other app id; app id missing */
	n = gba_test_unhex("010603c0af88011234aabb", b, sizeof(b));
	GBA_ASSERT_ERR(gba_gpi_push_decode(&c, b, n, &p, &e), GBA_ERR_APP_ID);
	n = gba_test_unhex("010601c0011234aabb", b, sizeof(b));
	GBA_ASSERT_ERR(gba_gpi_push_decode(&c, b, n, &p, &e), GBA_ERR_APP_ID);
	/* envelope version 2 */
	n = gba_test_unhex("010603c0af87021234aabb", b, sizeof(b));
	GBA_ASSERT_ERR(gba_gpi_push_decode(&c, b, n, &p, &e),
		       GBA_ERR_VERSION);
	/* every truncation: WSP part -> TRUNCATED; envelope header and the
	 * empty GPI -> TRUNCATED; then a shorter GPI */
	n = gba_test_unhex("010603c0af87011234aabb", b, sizeof(b));
	for (i = 0; i < n; i++) {
		int r = gba_gpi_push_decode(&c, b, i, &p, &e);

		if (i < 10) {
			GBA_ASSERT_ERR(r, GBA_ERR_TRUNCATED);
		} else {
			CU_ASSERT(r == GBA_OK && e.gpi_len == i - 9);
		}
	}
	c.app_is_text = 1; /* text app id without a URN */
	GBA_ASSERT_ERR(gba_gpi_push_decode(&c, b, n, &p, &e),
		       GBA_ERR_BAD_PARAM);
}

/*
 * Overhead budget (docs/spec-facts.md 9): with a 1-octet CT code or the
 * 4-octet general form, and a 2-octet app id, WSP + envelope must leave
 * at least 118 octets of a single 16-bit-port SMS (133) for the GPI.
 */
static void test_budget(void)
{
	static const uint32_t codes[] = { 0x40, 0x0310, 0xffffff };
	static uint8_t gpi[GBA_GPI_MAX], dg[GBA_GPI_MAX + 64];
	struct gba_sms_seg_opts so = { .port16 = 1, .dst_port = 2948,
				       .src_port = 9200 };
	struct gba_gpi_push_cfg c = { .ct_code_set = 1, .app_code = 7 };
	struct gba_gpi_env e = { .session_id = 1, .gpi = gpi };
	size_t i, dl, over;

	for (i = 0; i < GBA_ARRAY_SIZE(codes); i++) {
		c.ct_code = codes[i];
		e.gpi_len = 1;
		GBA_ASSERT_ERR(gba_gpi_push_encode(&c, 0, &e, dg, sizeof(dg),
						   &dl), GBA_OK);
		over = dl - 1;
		/* 6 + 3 = 9 with the short code, 12 with 03 02 03 10,
		 * 13 with a 3-octet code (04 03 ff ff ff) */
		CU_ASSERT_EQUAL(over, i == 0 ? 9u : i == 1 ? 12u : 13u);
		if (i < 2)
			CU_ASSERT(133 - over >= 118);
		e.gpi_len = 133 - over;
		GBA_ASSERT_ERR(gba_gpi_push_encode(&c, 0, &e, dg, sizeof(dg),
						   &dl), GBA_OK);
		CU_ASSERT_EQUAL(dl, 133);
		CU_ASSERT_EQUAL(gba_sms_segment_count(&so, dl), 1);
		e.gpi_len++;
		GBA_ASSERT_ERR(gba_gpi_push_encode(&c, 0, &e, dg, sizeof(dg),
						   &dl), GBA_OK);
		CU_ASSERT_EQUAL(gba_sms_segment_count(&so, dl), 2);
	}
}

static uint32_t rng = 0xdeadbeefu;
static uint32_t rnd(void)
{
	return gba_test_xorshift32(&rng);
}

/* GPI -> push -> SMS -> shuffled reassembly -> push decode, random sizes */
/*
 * The composer gba_gpi_sms_compose(): GPI -> envelope -> WSP Push -> SMS.
 * Expected octets written by hand: WSP TID 01, Push 06, headers length
 * 0x21 = 33 = Content-Type text (28 characters + NUL) + X-WAP-Application-ID
 * af 02 8f 33 (0x8F33 as a long integer); envelope 01 | session 0102 |
 * GPI.  TPDU: SMS-DELIVER 0x44 (TP-MMS bit 2 and TP-UDHI bit 6), OA
 * "+46708251358" 0b 91 64 07 28 15 53 f8, PID 00, DCS 04, SCTS 26-11-24
 * 00:00:00 +0 = 62 11 42 00 00 00 00, UDL, UDHL, [concat 00 03 ref total
 * seq], ports 05 04 0b84 23f0 (2948, 9200).
 */
#define KAT_WSP_HDR "010621" \
	"6170706c69636174696f6e2f766e642e336770702e6762612e67706900" \
	"af028f33" "010102"
#define KAT_TPDU_HDR "440b916407281553f8" "0004" "62114200000000"

static void kat_setup(struct gba_gpi_push_cfg *pc, struct gba_sms_tpdu *t,
		      struct gba_sms_seg_opts *so, struct gba_gpi_sms *gp)
{
	memset(pc, 0, sizeof(*pc));
	pc->app_code = 0x8F33;
	/* DELIVER from +46708251358, DCS 04, SCTS 26-11-24, ports 2948/9200 */
	CU_ASSERT_FATAL(test_sms_deliver(2948, 0x42, t, so) == 0);
	memset(gp, 0, sizeof(*gp));
	gp->push = pc;
	gp->tid = 1;
	gp->session_id = 0x0102;
	gp->tmpl = t;
	gp->seg = so;
}

static void test_compose_kat(void)
{
	static const uint8_t gpi3[3] = { 0xab, 0xcd, 0xef };
	uint8_t gpi100[100], exp[GBA_SMS_TPDU_MAX], dg[139];
	uint8_t pdus[3][GBA_SMS_TPDU_MAX];
	struct gba_gpi_push_cfg pc;
	struct gba_sms_tpdu t;
	struct gba_sms_seg_opts so;
	struct gba_gpi_sms gp;
	size_t plen[3], np = 9, n, i;
	int step = 0;

	kat_setup(&pc, &t, &so, &gp);
	/* one segment: UDL 0x31 = 49 = UDH 7 (06 + port IE) + datagram 42 */
	n = gba_test_unhex(KAT_TPDU_HDR "31" "0605040b8423f0" KAT_WSP_HDR
			   "abcdef", exp, sizeof(exp));
	GBA_ASSERT_ERR(gba_gpi_sms_compose(&gp, gpi3, 3, pdus, plen, 3, &np,
					   &step), GBA_OK);
	CU_ASSERT_EQUAL_FATAL(np, 1);
	CU_ASSERT_EQUAL(plen[0], n);
	GBA_ASSERT_HEX_EQ(pdus[0], exp, n);

	/* two segments: datagram 139 = 39 + GPI 100 (00..63) does not fit
	 * one (140 - 7 = 133); each then carries 140 - 12 = 128 octets */
	for (i = 0; i < sizeof(gpi100); i++)
		gpi100[i] = (uint8_t)i;
	CU_ASSERT_FATAL(gba_test_unhex(KAT_WSP_HDR, dg, sizeof(dg)) == 39);
	memcpy(dg + 39, gpi100, sizeof(gpi100));
	GBA_ASSERT_ERR(gba_gpi_sms_compose(&gp, gpi100, sizeof(gpi100), pdus,
					   plen, 3, &np, &step), GBA_OK);
	CU_ASSERT_EQUAL_FATAL(np, 2);
	/* UDL 0x8c = 140 = 12 + 128 */
	n = gba_test_unhex(KAT_TPDU_HDR "8c" "0b000342020105040b8423f0", exp,
			   sizeof(exp));
	memcpy(exp + n, dg, 128);
	CU_ASSERT_EQUAL(plen[0], n + 128);
	GBA_ASSERT_HEX_EQ(pdus[0], exp, n + 128);
	/* UDL 0x17 = 23 = 12 + 11 */
	n = gba_test_unhex(KAT_TPDU_HDR "17" "0b000342020205040b8423f0", exp,
			   sizeof(exp));
	memcpy(exp + n, dg + 128, 11);
	CU_ASSERT_EQUAL(plen[1], n + 11);
	GBA_ASSERT_HEX_EQ(pdus[1], exp, n + 11);

	/* errors say which step failed; no PDU is reported */
	np = 9;
	GBA_ASSERT_ERR(gba_gpi_sms_compose(&gp, gpi100, sizeof(gpi100), pdus,
					   plen, 1, &np, &step),
		       GBA_ERR_TOO_LARGE);
	CU_ASSERT(np == 0 && step == GBA_GPI_SMS_STEP_SMS);
	np = 9;
	GBA_ASSERT_ERR(gba_gpi_sms_compose(&gp, gpi3, 0, pdus, plen, 3, &np,
					   &step), GBA_ERR_BAD_PARAM);
	CU_ASSERT(np == 0 && step == GBA_GPI_SMS_STEP_PUSH);
	t.dcs = 0x00; /* GSM 7-bit: not segmented */
	GBA_ASSERT_ERR(gba_gpi_sms_compose(&gp, gpi3, 3, pdus, plen, 3, &np,
					   NULL), GBA_ERR_UNSUPPORTED);
	GBA_ASSERT_ERR(gba_gpi_sms_compose(NULL, gpi3, 3, pdus, plen, 3, &np,
					   NULL), GBA_ERR_BAD_PARAM);
}

static void test_chain_random(void)
{
	static uint8_t gpi[GBA_GPI_MAX], dg[GBA_GPI_MAX + 64];
	static uint8_t pdus[8][GBA_SMS_TPDU_MAX], out[GBA_SMS_REASM_MSG_MAX];
	static struct gba_sms_reasm ra;
	struct gba_sms_seg_opts so = { .port16 = 1, .dst_port = 2948,
				       .src_port = 9200, .ref16 = 1 };
	struct gba_gpi_push_cfg c = { .app_code = 7 };
	struct gba_gpi_env e, f;
	struct gba_sms_tpdu t, d;
	struct gba_wsp_push p;
	struct gba_sms_msg m;
	size_t plen[8], it, i, dl, np, ord[8];
	int r, got;

	gba_sms_reasm_init(&ra, 0);
	for (it = 0; it < 200; it++) {
		e.session_id = (uint16_t)rnd();
		e.gpi_len = 1 + rnd() % GBA_GPI_MAX;
		e.gpi = gpi;
		for (i = 0; i < e.gpi_len; i++)
			gpi[i] = (uint8_t)rnd();
		c.ct_code_set = it & 1;
		c.ct_code = rnd() & 0xffff;
		GBA_ASSERT_ERR(gba_gpi_push_encode(&c, (uint8_t)it, &e, dg,
						   sizeof(dg), &dl), GBA_OK);
		memset(&t, 0, sizeof(t));
		t.mti = GBA_SMS_MTI_DELIVER;
		t.dcs = 0xf5; /* 8-bit, class 1 */
		CU_ASSERT_FATAL(gba_sms_addr_from_str("+15550001", &t.addr) == 0);
		so.ref = (uint16_t)rnd();
		GBA_ASSERT_ERR(gba_sms_segment(&t, &so, dg, dl, pdus, plen, 8,
					       &np), GBA_OK);
		gba_test_shuffled(ord, np, &rng);
		got = 0;
		for (i = 0; i < np; i++) {
			GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdus[ord[i]],
							   plen[ord[i]], &d),
				       GBA_OK);
			r = gba_sms_reasm_add(&ra, it, &d, &m, out, sizeof(out));
			if (r == GBA_ERR_INCOMPLETE)
				continue;
			GBA_ASSERT_ERR(r, GBA_OK);
			got = 1;
			CU_ASSERT_EQUAL(m.dst_port, GBA_WDP_PORT_PUSH);
			GBA_ASSERT_ERR(gba_gpi_push_decode(&c, m.data, m.len,
							   &p, &f), GBA_OK);
			CU_ASSERT(f.session_id == e.session_id &&
				  f.gpi_len == e.gpi_len &&
				  !memcmp(f.gpi, gpi, e.gpi_len));
		}
		CU_ASSERT_EQUAL(got, 1);
	}
}

GBA_TEST_MAIN("gpi_push",
	{ "env", test_env },
	{ "push_kat", test_push_kat },
	{ "push_check", test_push_check },
	{ "push_rejects", test_push_rejects },
	{ "budget", test_budget },
	{ "chain_random", test_chain_random },
	{ "compose_kat", test_compose_kat })
