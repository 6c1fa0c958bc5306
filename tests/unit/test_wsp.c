/*
 * WSP connectionless Push PDU codec (WAP-230-WSP 8.2.4.1, 8.1.2, 8.4.2).
 *
 * Known answers: the uintvar list and Content-Type general forms of
 * docs/spec-facts.md section 11 (the general forms are those of the Android
 * WspTypeDecoder tests); the SI example "fd 06 01 ae"
 * and the X-Wap-Application-Id forms of WAP-230-WSP; every other PDU below
 * was written by hand from the rules of WAP-230-WSP 8.4.2 (lengths counted by
 * hand, noted beside each).  For "1f 81 21 <text> 00" the value length
 * 0x81 0x21 = 161 is read as 160 text octets plus the NUL.
 */
#include <string.h>
#include "gba/sms.h"
#include "gba/wsp.h"
#include "gba_test.h"

/*
 * @c: a cursor over the octets of @hex, decoded into @b (@cap octets at
 * most); returns how many there are.
 */
static size_t cur_hex(struct gba_cur *c, const char *hex, uint8_t *b,
		      size_t cap)
{
	size_t n = gba_test_unhex(hex, b, cap);

	gba_cur_init(c, b, n);
	return n;
}

/* gba_wsp_ctype_put() of @ct writes exactly the @n octets at @b */
static void ctype_put_is(const struct gba_wsp_ctype *ct, const uint8_t *b,
			 size_t n)
{
	static uint8_t o[200];
	struct gba_wcur w;

	gba_wcur_init(&w, o, sizeof(o));
	GBA_ASSERT_ERR(gba_wsp_ctype_put(&w, ct), GBA_OK);
	CU_ASSERT_EQUAL(w.len, n);
	GBA_ASSERT_HEX_EQ(o, b, n);
}

static void test_uintvar_kat(void)
{
	static const struct {
		uint32_t v;
		const char *hex;
	} kat[] = {
		{ 0x7f, "7f" },       { 0x80, "8100" },
		{ 0xa1, "8121" },     { 16383, "ff7f" },
		{ 16384, "818000" },  { 0xffffffffu, "8fffffff7f" },
		{ 0, "00" },
	};
	uint8_t b[8], o[8];
	struct gba_wcur w;
	struct gba_cur c;
	uint32_t v;
	size_t i, n;

	for (i = 0; i < GBA_ARRAY_SIZE(kat); i++) {
		n = cur_hex(&c, kat[i].hex, b, sizeof(b));
		GBA_ASSERT_ERR(gba_wsp_uintvar_get(&c, &v), GBA_OK);
		CU_ASSERT_EQUAL(v, kat[i].v);
		CU_ASSERT_EQUAL(c.left, 0);
		gba_wcur_init(&w, o, sizeof(o));
		GBA_ASSERT_ERR(gba_wsp_uintvar_put(&w, kat[i].v), GBA_OK);
		CU_ASSERT_EQUAL(w.len, n);
		CU_ASSERT_EQUAL(gba_wsp_uintvar_len(kat[i].v), n);
		GBA_ASSERT_HEX_EQ(o, b, n);
	}
}

static void test_uintvar_bad(void)
{
	static const struct gba_test_case_err bad[] = {
		{ "", GBA_ERR_TRUNCATED },
		{ "81", GBA_ERR_TRUNCATED },
		{ "8fffffff", GBA_ERR_TRUNCATED },
		{ "8080808000", GBA_OK },          /* non-minimal zero, 5 */
		{ "808080808000", GBA_ERR_MALFORMED }, /* 6 octets */
		{ "8fffffffff", GBA_ERR_MALFORMED },   /* 5th continues */
		{ "9080808000", GBA_ERR_MALFORMED },   /* 2^32 */
		{ "ffffffff7f", GBA_ERR_MALFORMED },   /* > 32 bits */
	};
	uint8_t b[8];
	struct gba_cur c;
	uint32_t v;
	size_t i;

	for (i = 0; i < GBA_ARRAY_SIZE(bad); i++) {
		cur_hex(&c, bad[i].in, b, sizeof(b));
		GBA_ASSERT_ERR(gba_wsp_uintvar_get(&c, &v), bad[i].err);
		if (bad[i].err)
			CU_ASSERT_EQUAL(c.err, bad[i].err);
	}
}

static void test_ctype_forms(void)
{
	static uint8_t b[200];
	struct gba_wsp_ctype ct;
	struct gba_cur c;
	size_t n;

	n = cur_hex(&c, "01bf", b, sizeof(b));
	GBA_ASSERT_ERR(gba_wsp_ctype_get(&c, &ct), GBA_OK);
	CU_ASSERT(ct.form == GBA_WSP_CT_GEN_INT && ct.code == 0x3f &&
		  c.left == 0 && ct.params_len == 0);
	ctype_put_is(&ct, b, 2);

	n = cur_hex(&c, "03020314", b, sizeof(b));
	GBA_ASSERT_ERR(gba_wsp_ctype_get(&c, &ct), GBA_OK);
	CU_ASSERT(ct.form == GBA_WSP_CT_GEN_INT && ct.code == 0x0314);
	ctype_put_is(&ct, b, 4);

	n = cur_hex(&c, "1f01bf", b, sizeof(b));
	GBA_ASSERT_ERR(gba_wsp_ctype_get(&c, &ct), GBA_OK);
	CU_ASSERT(ct.form == GBA_WSP_CT_GEN_INT && ct.code == 0x3f &&
		  c.left == 0);

	n = gba_test_unhex("1f8121", b, sizeof(b));
	memset(b + n, 'a', 160);
	b[n + 160] = 0;
	n += 161;
	gba_cur_init(&c, b, n);
	GBA_ASSERT_ERR(gba_wsp_ctype_get(&c, &ct), GBA_OK);
	CU_ASSERT(ct.form == GBA_WSP_CT_GEN_TEXT && ct.text_len == 160 &&
		  c.left == 0);
	ctype_put_is(&ct, b, n);
	/* the length quote pointing one octet past the end */
	gba_cur_init(&c, b, n - 1);
	GBA_ASSERT_ERR(gba_wsp_ctype_get(&c, &ct), GBA_ERR_TRUNCATED);
	/* Long-integer of length 0, and of 5 octets */
	n = cur_hex(&c, "0100", b, sizeof(b));
	GBA_ASSERT_ERR(gba_wsp_ctype_get(&c, &ct), GBA_ERR_MALFORMED);
	n = cur_hex(&c, "06050102030405", b, sizeof(b));
	GBA_ASSERT_ERR(gba_wsp_ctype_get(&c, &ct), GBA_ERR_UNSUPPORTED);
	/* general form with parameters kept raw: 0x3f + Q=0.5 (80 ... ) */
	n = cur_hex(&c, "03bf8183", b, sizeof(b));
	GBA_ASSERT_ERR(gba_wsp_ctype_get(&c, &ct), GBA_OK);
	CU_ASSERT(ct.code == 0x3f && ct.params_len == 2 && ct.params[0] == 0x81);
	/* text in general form must end inside the value length */
	n = cur_hex(&c, "02616200", b, sizeof(b));
	GBA_ASSERT_ERR(gba_wsp_ctype_get(&c, &ct), GBA_ERR_MALFORMED);
}

/* WSP 8.2.4.1: "fd 06 01 ae" = TID fd, Push, HeadersLen 1, CT 0x2e (SIC) */
static void test_push_si_kat(void)
{
	uint8_t b[16], o[16];
	struct gba_wsp_push p;
	size_t n = gba_test_unhex("fd0601ae", b, sizeof(b)), ol;

	GBA_ASSERT_ERR(gba_wsp_push_decode(b, n, &p), GBA_OK);
	CU_ASSERT(p.tid == 0xfd && p.ct.form == GBA_WSP_CT_SHORT &&
		  p.ct.code == 0x2e && !p.app_id.present && p.body_len == 0);
	GBA_ASSERT_ERR(gba_wsp_push_encode(&p, o, sizeof(o), &ol), GBA_OK);
	CU_ASSERT_EQUAL(ol, n);
	GBA_ASSERT_HEX_EQ(o, b, n);
}

/* WSP part of the docs/spec-facts.md 10 SMS-DELIVER */
static const char push5[] =
	"01061d6170706c69636174696f6e2f766e642e336770702e6762612e67706900"
	"0100000000000000000000";

static void test_push_text_kat(void)
{
	uint8_t b[128], o[128];
	struct gba_wsp_push p;
	size_t n = gba_test_unhex(push5, b, sizeof(b)), ol, i;

	GBA_ASSERT_ERR(gba_wsp_push_decode_wdp(2948, b, n, &p), GBA_OK);
	CU_ASSERT_EQUAL(p.tid, 1);
	CU_ASSERT_EQUAL(p.ct.form, GBA_WSP_CT_TEXT);
	CU_ASSERT_EQUAL(p.ct.text_len, 28);
	CU_ASSERT(memcmp(p.ct.text, "application/vnd.3gpp.gba.gpi", 28) == 0);
	CU_ASSERT_EQUAL(p.headers_len, 0);
	CU_ASSERT_EQUAL(p.body_len, 11);
	CU_ASSERT_EQUAL(p.body[0], 1);
	GBA_ASSERT_ERR(gba_wsp_push_encode(&p, o, sizeof(o), &ol), GBA_OK);
	CU_ASSERT_EQUAL(ol, n);
	GBA_ASSERT_HEX_EQ(o, b, n);
	GBA_ASSERT_ERR(gba_wsp_push_decode_wdp(2949, b, n, &p),
		       GBA_ERR_WDP_PORT);
	/* every truncation: inside TID/type/HeadersLen/headers -> TRUNCATED,
	 * inside the body -> a shorter body */
	for (i = 0; i < n; i++) {
		int r = gba_wsp_push_decode(b, i, &p);

		if (i < 3 + 0x1d) {
			GBA_ASSERT_ERR(r, GBA_ERR_TRUNCATED);
		} else {
			CU_ASSERT(r == GBA_OK && p.body_len == i - 32);
		}
	}
}

static void test_push_headers(void)
{
	uint8_t b[64], o[64];
	struct gba_wsp_push p;
	size_t n, ol;

	/* HeadersLen 5 = ae + af 02 80 00; app id 0x8000, body dead */
	n = gba_test_unhex("010605aeaf028000dead", b, sizeof(b));
	GBA_ASSERT_ERR(gba_wsp_push_decode(b, n, &p), GBA_OK);
	CU_ASSERT(p.app_id.present && !p.app_id.is_text &&
		  p.app_id.code == 0x8000 && p.body_len == 2);
	CU_ASSERT_EQUAL(p.n_headers, 1);
	p.headers_len = 0; /* the app id is re-encoded from the struct */
	GBA_ASSERT_ERR(gba_wsp_push_encode(&p, o, sizeof(o), &ol), GBA_OK);
	CU_ASSERT_EQUAL(ol, n);
	GBA_ASSERT_HEX_EQ(o, b, n);
	/* short app id 4 (mms.ua) */
	n = gba_test_unhex("010603aeaf84", b, sizeof(b));
	GBA_ASSERT_ERR(gba_wsp_push_decode(b, n, &p), GBA_OK);
	CU_ASSERT(p.app_id.code == 4 && p.body_len == 0);
	/* text URN: "x-wap-application:mms.ua" (24) + NUL; hl = 1+1+25 */
	n = gba_test_unhex("01061baeaf782d7761702d6170706c69636174696f6e3a"
			   "6d6d732e756100", b, sizeof(b));
	GBA_ASSERT_ERR(gba_wsp_push_decode(b, n, &p), GBA_OK);
	CU_ASSERT(p.app_id.is_text && p.app_id.text_len == 24 &&
		  memcmp(p.app_id.text, "x-wap-application:mms.ua", 24) == 0);
	p.headers_len = 0;
	GBA_ASSERT_ERR(gba_wsp_push_encode(&p, o, sizeof(o), &ol), GBA_OK);
	GBA_ASSERT_HEX_EQ(o, b, n);
	/* unknown headers skipped by value form, hl 0x13 = 19:
	 * ae | 8d 82 | b4 01 80 | b3 1f 02 00 00 | "X-a" 00 "b" 00 | af 87 */
	n = gba_test_unhex("010613ae8d82b40180b31f020000582d6100620"
			   "0af87cafe", b, sizeof(b));
	GBA_ASSERT_ERR(gba_wsp_push_decode(b, n, &p), GBA_OK);
	CU_ASSERT(p.n_headers == 5 && p.app_id.code == 7 &&
		  p.body_len == 2 && p.body[0] == 0xca);
}

static void test_push_rejects(void)
{
	static const struct gba_test_case_err bad[] = {
		{ "", GBA_ERR_TRUNCATED },
		{ "01", GBA_ERR_TRUNCATED },
		{ "0107", GBA_ERR_MALFORMED },            /* ConfirmedPush */
		{ "010601ae", GBA_OK },
		{ "010605ae", GBA_ERR_TRUNCATED },        /* hl past the end */
		{ "01068fffffff7f", GBA_ERR_TRUNCATED },
		{ "0106808080808001", GBA_ERR_MALFORMED }, /* bad uintvar */
		{ "010600", GBA_ERR_MALFORMED },          /* no Content-Type */
		{ "010603ae7f02", GBA_ERR_UNSUPPORTED },  /* page shift */
		{ "010602ae05", GBA_ERR_UNSUPPORTED },    /* shortcut shift */
		{ "010602ae00", GBA_ERR_MALFORMED },      /* field name 00 */
		{ "010603aeb40580808080", GBA_ERR_MALFORMED }, /* value > hl */
		{ "010603616263", GBA_ERR_MALFORMED },    /* text w/o NUL */
		{ "010605aeaf84af85", GBA_ERR_MALFORMED }, /* app id twice */
		{ "010608aeaf0501020304050000", GBA_ERR_UNSUPPORTED },
		{ "010603aeaf1f", GBA_ERR_MALFORMED },    /* app id 1f */
		{ "010602aeaf", GBA_ERR_MALFORMED },      /* app id missing */
		{ "010604ae58410000", GBA_ERR_MALFORMED }, /* app hdr no val */
		{ "0106037f4100", GBA_ERR_MALFORMED },    /* Quote + ASCII */
		{ "0106037f8100", GBA_OK },               /* Quote + 0x81 */
		/* fuzz_wsp regression (2026-11-24): CT "7f 01 ..." decoded as
		 * text, re-encoded as a general form */
		{ "01061d7f01061d6170706c617401005b2300ffffff2effff010605ae"
		  "af66020080de06ad7fffffff010605aeaf660200800baeff",
		  GBA_ERR_MALFORMED },
	};
	uint8_t b[64];
	struct gba_wsp_push p;
	size_t i, n;

	for (i = 0; i < GBA_ARRAY_SIZE(bad); i++) {
		n = gba_test_unhex(bad[i].in, b, sizeof(b));
		GBA_ASSERT_ERR(gba_wsp_push_decode(b, n, &p), bad[i].err);
	}
}

static uint32_t rng = 0x9e3779b9u;
static uint32_t rnd(void)
{
	return gba_test_xorshift32(&rng);
}

/* encode -> SMS segments -> shuffled + duplicated -> reassembly -> decode */
static void test_push_over_sms_random(void)
{
	static uint8_t body[2000], dg[2100], pdus[32][GBA_SMS_TPDU_MAX];
	static uint8_t out[GBA_SMS_REASM_MSG_MAX];
	static struct gba_sms_reasm ra;
	static const char urn[] = "urn:gba:example";
	struct gba_sms_seg_opts so = { .port16 = 1, .dst_port = 2948,
				       .src_port = 9200 };
	struct gba_sms_tpdu t, d;
	struct gba_wsp_push p, q;
	struct gba_sms_msg m;
	size_t plen[32], it, i, len, dl, np, k;
	int r, got;

	gba_sms_reasm_init(&ra, 0);
	for (it = 0; it < 200; it++) {
		len = it == 0 ? 0 : it == 1 ? 2000 : rnd() % 2001;
		for (i = 0; i < len; i++)
			body[i] = (uint8_t)rnd();
		memset(&p, 0, sizeof(p));
		p.tid = (uint8_t)rnd();
		switch (it % 4) {
		case 0:
			p.ct.form = GBA_WSP_CT_SHORT;
			p.ct.code = rnd() & 0x7f;
			break;
		case 1:
			p.ct.form = GBA_WSP_CT_GEN_INT;
			p.ct.code = rnd();
			break;
		case 2:
			p.ct.form = GBA_WSP_CT_TEXT;
			p.ct.text = "application/vnd.3gpp.gba.gpi";
			p.ct.text_len = 28;
			break;
		default:
			p.ct.form = GBA_WSP_CT_GEN_TEXT;
			p.ct.text = "application/x-test";
			p.ct.text_len = 18;
		}
		p.app_id.present = (it % 3) != 0;
		p.app_id.is_text = (it % 3) == 2;
		p.app_id.code = rnd() >> (rnd() % 32);
		p.app_id.text = urn;
		p.app_id.text_len = sizeof(urn) - 1;
		p.body = body;
		p.body_len = len;
		GBA_ASSERT_ERR(gba_wsp_push_encode(&p, dg, sizeof(dg), &dl),
			       GBA_OK);
		memset(&t, 0, sizeof(t));
		t.mti = GBA_SMS_MTI_DELIVER;
		t.dcs = 0x04;
		CU_ASSERT_FATAL(gba_sms_addr_from_str("+15551234", &t.addr) == 0);
		so.ref = (uint16_t)(it & 0xff);
		GBA_ASSERT_ERR(gba_sms_segment(&t, &so, dg, dl, pdus, plen, 32,
					       &np), GBA_OK);
		got = 0;
		/* reverse order, first segment sent twice */
		for (k = 0; k <= np; k++) {
			i = k == np ? np - 1 : np - 1 - k;
			GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdus[i], plen[i], &d),
				       GBA_OK);
			r = gba_sms_reasm_add(&ra, it, &d, &m, out, sizeof(out));
			if (r != GBA_OK)
				continue;
			got++;
			GBA_ASSERT_ERR(gba_wsp_push_decode_wdp(m.dst_port,
							       m.data, m.len,
							       &q), GBA_OK);
			CU_ASSERT(q.tid == p.tid && q.ct.form == p.ct.form &&
				  q.body_len == len &&
				  (len == 0 || !memcmp(q.body, body, len)));
			CU_ASSERT(q.app_id.present == p.app_id.present);
			if (p.app_id.present && !p.app_id.is_text)
				CU_ASSERT_EQUAL(q.app_id.code, p.app_id.code);
			if (p.ct.form <= GBA_WSP_CT_TEXT &&
			    p.ct.form != GBA_WSP_CT_TEXT)
				CU_ASSERT_EQUAL(q.ct.code, p.ct.code);
			if (p.ct.form == GBA_WSP_CT_GEN_INT)
				CU_ASSERT_EQUAL(q.ct.code, p.ct.code);
		}
		/* single-SMS datagrams: the repeat is delivered again */
		CU_ASSERT_EQUAL(got, np == 1 ? 2 : 1);
	}
}

/* style.md C17: every byte x 256 values of a push with headers */
static void test_mutation(void)
{
	uint8_t b[64], re[128];
	struct gba_wsp_push p, q;
	size_t i, n, rl;
	unsigned v;
	int r;

	n = gba_test_unhex("010613ae8d82b40180b31f020000582d61006200af87cafe",
			   b, sizeof(b));
	for (i = 0; i < n; i++) {
		uint8_t keep = b[i];

		for (v = 0; v < 256; v++) {
			b[i] = (uint8_t)v;
			r = gba_wsp_push_decode(b, n, &p);
			if (r != GBA_OK)
				continue;
			if (p.app_id.present)
				p.headers_len = 0;
			GBA_ASSERT_ERR(gba_wsp_push_encode(&p, re, sizeof(re),
							   &rl), GBA_OK);
			GBA_ASSERT_ERR(gba_wsp_push_decode(re, rl, &q),
				       GBA_OK);
			CU_ASSERT(q.body_len == p.body_len &&
				  q.ct.form == p.ct.form);
		}
		b[i] = keep;
	}
}

GBA_TEST_MAIN("wsp",
	{ "uintvar_kat", test_uintvar_kat },
	{ "uintvar_bad", test_uintvar_bad },
	{ "ctype_forms", test_ctype_forms },
	{ "push_si_kat", test_push_si_kat },
	{ "push_text_kat", test_push_text_kat },
	{ "push_headers", test_push_headers },
	{ "push_rejects", test_push_rejects },
	{ "push_over_sms_random", test_push_over_sms_random },
	{ "mutation", test_mutation })
