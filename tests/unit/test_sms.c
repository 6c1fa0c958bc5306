/*
 * TS 23.040 TPDU codec, UDH, segmentation and reassembly.
 *
 * Known answers: the SMS-DELIVER and SCA of docs/spec-facts.md
 * section 10 (hand-built there, length re-checked with python3:
 * len(bytes.fromhex(...)) == 69); the "hellohello" 7-bit packing and the
 * "Design@Home" alphanumeric address were re-computed with a 10-line python3
 * septet packer (sum(s << 7*i) as little-endian octets), not with this
 * code; every UDH IE below was written by hand from the IEI table of
 * TS 23.040 9.2.3.24.
 */
#include <stdlib.h>
#include <string.h>
#include "gba/sms.h"
#include "gba/sms_at.h"
#include "gba_test.h"

/* docs/spec-facts.md 10: DELIVER from +46708251358, WAP Push, text CT */
static const char deliver69[] =
	"440b916407281553f8000442507131540380320605040b8423f001061d"
	"6170706c69636174696f6e2f766e642e336770702e6762612e67706900"
	"0100000000000000000000";
static const char sca_hex[] = "0791447758100650"; /* +447785016005 */

/* @ts is @y-@mo-@d @h:@mi:@s (year as transmitted), zone @tz quarters */
static void ts_is(const struct gba_sms_ts *ts, int y, int mo, int d, int h,
		  int mi, int s, int tz)
{
	CU_ASSERT_EQUAL(ts->year, y);
	CU_ASSERT_EQUAL(ts->month, mo);
	CU_ASSERT_EQUAL(ts->day, d);
	CU_ASSERT_EQUAL(ts->hour, h);
	CU_ASSERT_EQUAL(ts->minute, mi);
	CU_ASSERT_EQUAL(ts->second, s);
	CU_ASSERT_EQUAL(ts->tz, tz);
}

static void test_deliver_kat(void)
{
	uint8_t pdu[200], re[200];
	struct gba_sms_tpdu t;
	struct gba_sms_udh u;
	char s[80];
	size_t n = gba_test_unhex(deliver69, pdu, sizeof(pdu)), rl;

	CU_ASSERT_EQUAL_FATAL(n, 69);
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_OK);
	CU_ASSERT_EQUAL(t.mti, GBA_SMS_MTI_DELIVER);
	CU_ASSERT_EQUAL(t.mms, 1);
	CU_ASSERT_EQUAL(t.udhi, 1);
	CU_ASSERT_EQUAL(t.sri, 0);
	CU_ASSERT_EQUAL(t.rp, 0);
	CU_ASSERT_EQUAL(t.lp, 0);
	CU_ASSERT_EQUAL(t.addr.ton, GBA_SMS_TON_INTERNATIONAL);
	CU_ASSERT_EQUAL(t.addr.npi, GBA_SMS_NPI_E164);
	GBA_ASSERT_ERR(gba_sms_addr_to_str(&t.addr, s, sizeof(s)), GBA_OK);
	CU_ASSERT_STRING_EQUAL(s, "+46708251358");
	CU_ASSERT_EQUAL(t.pid, 0);
	CU_ASSERT_EQUAL(t.dcs, 0x04);
	CU_ASSERT_EQUAL(t.alphabet, GBA_SMS_ALPHA_8BIT);
	/* 2024-05-17 13:45:30 +02:00 = +8 quarters */
	ts_is(&t.scts, 24, 5, 17, 13, 45, 30, 8);
	CU_ASSERT_EQUAL(t.udl, 50);
	CU_ASSERT_EQUAL(t.ud_len, 50);
	CU_ASSERT_EQUAL(t.udh_len, 6);
	CU_ASSERT_EQUAL(t.data_len, 43);
	CU_ASSERT_PTR_EQUAL(t.data, pdu + 26);
	GBA_ASSERT_ERR(gba_sms_udh_parse(t.udh, t.udh_len, &u), GBA_OK);
	CU_ASSERT_EQUAL(u.has_port, 1);
	CU_ASSERT_EQUAL(u.port16, 1);
	CU_ASSERT_EQUAL(u.dst_port, 2948);
	CU_ASSERT_EQUAL(u.src_port, 9200);
	CU_ASSERT_EQUAL(u.has_concat, 0);
	/* the decoder hands its parsed UDH on (one parse per TPDU) */
	CU_ASSERT_EQUAL(t.udh_decoded, 1);
	CU_ASSERT(t.udh_ies.has_port == 1 && t.udh_ies.port16 == 1 &&
		  t.udh_ies.dst_port == 2948 && t.udh_ies.src_port == 9200 &&
		  t.udh_ies.has_concat == 0 && t.udh_ies.n_ies == 1);
	/* encode(decode(x)) == x */
	GBA_ASSERT_ERR(gba_sms_tpdu_encode(&t, re, sizeof(re), &rl), GBA_OK);
	CU_ASSERT_EQUAL(rl, n);
	GBA_ASSERT_HEX_EQ(re, pdu, n);
}

/*
 * Reassembly takes the UDH the TPDU decoder parsed and does not parse the
 * raw octets again: after decoding deliver69, its port IE (05 04 0b84
 * 23f0) is overwritten in the input with a length past the UDH (05 09);
 * a second parse would now fail, the decoded view still says port 2948.
 * A TPDU built by hand (udh_decoded 0) is parsed by reassembly itself.
 */
static void test_reasm_decoded_udh(void)
{
	static struct gba_sms_reasm ra;
	uint8_t pdu[200], out[GBA_SMS_REASM_MSG_MAX];
	struct gba_sms_tpdu t;
	struct gba_sms_msg m;
	size_t n = gba_test_unhex(deliver69, pdu, sizeof(pdu));

	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_OK);
	CU_ASSERT_FATAL(t.udh == pdu + 20 && pdu[20] == 0x05 &&
			pdu[21] == 0x04);
	pdu[21] = 0x09;
	gba_sms_reasm_init(&ra, 0);
	GBA_ASSERT_ERR(gba_sms_reasm_add(&ra, 0, &t, &m, out, sizeof(out)),
		       GBA_OK);
	CU_ASSERT(m.has_port == 1 && m.dst_port == 2948 &&
		  m.src_port == 9200 && m.len == 43 && m.nseg == 1);
	/* the same TPDU as if built by hand: its raw UDH is what counts */
	t.udh_decoded = 0;
	memset(&t.udh_ies, 0, sizeof(t.udh_ies));
	GBA_ASSERT_ERR(gba_sms_reasm_add(&ra, 0, &t, &m, out, sizeof(out)),
		       GBA_ERR_MALFORMED);
	pdu[21] = 0x04;
	GBA_ASSERT_ERR(gba_sms_reasm_add(&ra, 0, &t, &m, out, sizeof(out)),
		       GBA_OK);
	CU_ASSERT(m.has_port == 1 && m.dst_port == 2948);
}

static void test_sca_kat(void)
{
	uint8_t pdu[200], sca[16];
	struct gba_sms_addr a, b;
	struct gba_sms_tpdu t;
	char s[80];
	size_t n = gba_test_unhex(sca_hex, pdu, sizeof(pdu)), sl, i;

	n += gba_test_unhex(deliver69, pdu + n, sizeof(pdu) - n);
	CU_ASSERT_EQUAL_FATAL(n, 77);
	GBA_ASSERT_ERR(gba_sms_pdu_decode(pdu, n, &a, &t), GBA_OK);
	GBA_ASSERT_ERR(gba_sms_addr_to_str(&a, s, sizeof(s)), GBA_OK);
	CU_ASSERT_STRING_EQUAL(s, "+447785016005");
	CU_ASSERT_EQUAL(t.udl, 50);
	GBA_ASSERT_ERR(gba_sms_addr_from_str("+447785016005", &b), GBA_OK);
	GBA_ASSERT_ERR(gba_sms_sca_encode(&b, sca, sizeof(sca), &sl), GBA_OK);
	CU_ASSERT_EQUAL(sl, 8);
	GBA_ASSERT_HEX_EQ(sca, pdu, 8);
	/* "00" = no SCA */
	GBA_ASSERT_ERR(gba_sms_sca_encode(NULL, sca, sizeof(sca), &sl), GBA_OK);
	CU_ASSERT_EQUAL(sl, 1);
	CU_ASSERT_EQUAL(sca[0], 0);
	pdu[0] = 0;
	n = 1 + gba_test_unhex(deliver69, pdu + 1, sizeof(pdu) - 1);
	GBA_ASSERT_ERR(gba_sms_pdu_decode(pdu, n, &a, &t), GBA_OK);
	CU_ASSERT_EQUAL(a.n, 0);
	/* every truncation point of the modem form */
	n = gba_test_unhex(sca_hex, pdu, sizeof(pdu));
	n += gba_test_unhex(deliver69, pdu + n, sizeof(pdu) - n);
	for (i = 0; i < n; i++)
		GBA_ASSERT_ERR(gba_sms_pdu_decode(pdu, i, &a, &t),
			       GBA_ERR_TRUNCATED);
	/* SCA length 12 is beyond the 11-octet maximum */
	pdu[0] = 12;
	GBA_ASSERT_ERR(gba_sms_pdu_decode(pdu, n, &a, &t), GBA_ERR_MALFORMED);
}

/* The classic "hellohello" DELIVER: SCA +27381000015, OA 27838890001
 * (TON subscriber 4, NPI national 8 -> TOA c8), GSM7, SCTS 99-03-29
 * 15:16:59 +8; UD e8329bfd4697d9ec37 re-packed with python3. */
static void test_gsm7_kat(void)
{
	uint8_t pdu[200], sep[16];
	struct gba_sms_addr a;
	struct gba_sms_tpdu t;
	char s[80];
	size_t n = gba_test_unhex("07917283010010f5040bc87238880900f10000"
				  "993092516195800ae8329bfd4697d9ec37",
				  pdu, sizeof(pdu));

	GBA_ASSERT_ERR(gba_sms_pdu_decode(pdu, n, &a, &t), GBA_OK);
	GBA_ASSERT_ERR(gba_sms_addr_to_str(&a, s, sizeof(s)), GBA_OK);
	CU_ASSERT_STRING_EQUAL(s, "+27381000015");
	CU_ASSERT_EQUAL(t.addr.ton, 4);
	CU_ASSERT_EQUAL(t.addr.npi, 8);
	GBA_ASSERT_ERR(gba_sms_addr_to_str(&t.addr, s, sizeof(s)), GBA_OK);
	CU_ASSERT_STRING_EQUAL(s, "27838890001");
	CU_ASSERT_EQUAL(t.mms, 1);
	CU_ASSERT_EQUAL(t.alphabet, GBA_SMS_ALPHA_GSM7);
	CU_ASSERT_EQUAL(t.udl, 10);
	CU_ASSERT_EQUAL(t.ud_len, 9);
	CU_ASSERT_EQUAL(t.data_len, 10);
	ts_is(&t.scts, 99, 3, 29, 15, 16, 59, 8);
	GBA_ASSERT_ERR(gba_sms_gsm7_unpack(t.data, t.ud_len, t.data_skip,
					   t.data_len, sep), GBA_OK);
	GBA_ASSERT_ERR(gba_sms_gsm7_to_utf8(sep, t.data_len, s, sizeof(s)),
		       GBA_OK);
	CU_ASSERT_STRING_EQUAL(s, "hellohello");
	/* UDL 11 septets needs 10 octets: one short */
	pdu[26] = 11;
	GBA_ASSERT_ERR(gba_sms_pdu_decode(pdu, n, &a, &t), GBA_ERR_TRUNCATED);
	pdu[26] = 161;
	GBA_ASSERT_ERR(gba_sms_pdu_decode(pdu, n, &a, &t), GBA_ERR_TOO_LARGE);
}

/* 7-bit with a UDH: UDHL 5 concat IE, 6 header octets = 48 bits, 1 fill
 * bit, header = 7 septets; "hi" packed after 1 skip bit = d0 69 (python3).
 * UDL = 7 + 2 = 9 septets = 8 octets. */
static void test_gsm7_udh_extent(void)
{
	uint8_t pdu[64], sep[4];
	struct gba_sms_tpdu t;
	size_t n = gba_test_unhex("440b916407281553f80000425071315403800905"
				  "0003010201d069", pdu, sizeof(pdu));

	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_OK);
	CU_ASSERT_EQUAL(t.udl, 9);
	CU_ASSERT_EQUAL(t.ud_len, 8);
	CU_ASSERT_EQUAL(t.data_len, 2);
	CU_ASSERT_EQUAL(t.data_skip, 1);
	GBA_ASSERT_ERR(gba_sms_gsm7_unpack(t.data, 2, t.data_skip, 2, sep),
		       GBA_OK);
	CU_ASSERT_EQUAL(sep[0], 'h');
	CU_ASSERT_EQUAL(sep[1], 'i');
	/* UDL 6 septets (6 octets) cannot hold a 7-septet header */
	n = gba_test_unhex("440b916407281553f800004250713154038006050003010201",
			   pdu, sizeof(pdu));
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_ERR_MALFORMED);
}

/* UCS2 (DCS 08): UDL counts octets. */
static void test_ucs2_extent(void)
{
	uint8_t pdu[64];
	struct gba_sms_tpdu t;
	size_t n = gba_test_unhex("040b916407281553f80008425071315403800400"
				  "480069", pdu, sizeof(pdu));

	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_OK);
	CU_ASSERT_EQUAL(t.alphabet, GBA_SMS_ALPHA_UCS2);
	CU_ASSERT_EQUAL(t.mms, 1);
	CU_ASSERT_EQUAL(t.udl, 4);
	CU_ASSERT_EQUAL(t.data_len, 4);
	CU_ASSERT_EQUAL(t.data[1], 0x48);
}

static void test_dcs(void)
{
	/* TS 23.038 clause 4 groups */
	CU_ASSERT_EQUAL(gba_sms_dcs_alphabet(0x00), GBA_SMS_ALPHA_GSM7);
	CU_ASSERT_EQUAL(gba_sms_dcs_alphabet(0x04), GBA_SMS_ALPHA_8BIT);
	CU_ASSERT_EQUAL(gba_sms_dcs_alphabet(0x15), GBA_SMS_ALPHA_8BIT);
	CU_ASSERT_EQUAL(gba_sms_dcs_alphabet(0x08), GBA_SMS_ALPHA_UCS2);
	CU_ASSERT_EQUAL(gba_sms_dcs_alphabet(0x48), GBA_SMS_ALPHA_UCS2);
	CU_ASSERT_EQUAL(gba_sms_dcs_alphabet(0xF5), GBA_SMS_ALPHA_8BIT);
	CU_ASSERT_EQUAL(gba_sms_dcs_alphabet(0xF4), GBA_SMS_ALPHA_8BIT);
	CU_ASSERT_EQUAL(gba_sms_dcs_alphabet(0xF0), GBA_SMS_ALPHA_GSM7);
	CU_ASSERT_EQUAL(gba_sms_dcs_alphabet(0xE0), GBA_SMS_ALPHA_UCS2);
	CU_ASSERT_EQUAL(gba_sms_dcs_alphabet(0xC0), GBA_SMS_ALPHA_GSM7);
}

/* SUBMIT, each TP-VP form; bytes by hand from TS 23.040 9.2.2.2. */
static void test_submit_kat(void)
{
	static const struct {
		const char *hex;
		uint8_t vpf;
	} v[] = {
		{ "41000b916407281553f800040a0605040b8423f0deadbe",
		  GBA_SMS_VPF_NONE },
		{ "51070b916407281553f80004a70a0605040b8423f0deadbe",
		  GBA_SMS_VPF_RELATIVE },
		{ "49070b916407281553f8000401020304050607"
		  "0a0605040b8423f0deadbe", GBA_SMS_VPF_ENHANCED },
		{ "79070b916407281553f80004425071315403490a0605040b8423f0"
		  "deadbe", GBA_SMS_VPF_ABSOLUTE },
	};
	size_t i, n, rl, k;

	for (i = 0; i < GBA_ARRAY_SIZE(v); i++) {
		uint8_t pdu[200], re[200];
		struct gba_sms_tpdu t;
		struct gba_sms_udh u;

		n = gba_test_unhex(v[i].hex, pdu, sizeof(pdu));
		GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_OK);
		CU_ASSERT_EQUAL(t.mti, GBA_SMS_MTI_SUBMIT);
		CU_ASSERT_EQUAL(t.vpf, v[i].vpf);
		CU_ASSERT_EQUAL(t.udhi, 1);
		CU_ASSERT_EQUAL(t.data_len, 3);
		CU_ASSERT_EQUAL(t.data[0], 0xde);
		GBA_ASSERT_ERR(gba_sms_udh_parse(t.udh, t.udh_len, &u), GBA_OK);
		CU_ASSERT_EQUAL(u.dst_port, 2948);
		if (i > 0)
			CU_ASSERT_EQUAL(t.mr, 7);
		if (v[i].vpf == GBA_SMS_VPF_RELATIVE)
			CU_ASSERT_EQUAL(t.vp[0], 0xa7);
		if (v[i].vpf == GBA_SMS_VPF_ABSOLUTE) {
			/* 24-05-17 13:45:30, zone 0x49: -(1*10+4) = -14 */
			CU_ASSERT_EQUAL(t.vp_abs.tz, -14);
			CU_ASSERT_EQUAL(t.vp_abs.day, 17);
			CU_ASSERT_EQUAL(t.rd, 0);
			CU_ASSERT_EQUAL(t.sri, 1);
		}
		GBA_ASSERT_ERR(gba_sms_tpdu_encode(&t, re, sizeof(re), &rl),
			       GBA_OK);
		CU_ASSERT_EQUAL(rl, n);
		GBA_ASSERT_HEX_EQ(re, pdu, n);
		for (k = 0; k < n; k++)
			GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, k, &t),
				       GBA_ERR_TRUNCATED);
		pdu[n] = 0;
		GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n + 1, &t),
			       GBA_ERR_TRAILING);
	}
}

static void test_scts_negative_tz(void)
{
	/* zone octet 0a: tens 2, units 0, sign bit -> -20 (= -05:00) */
	uint8_t pdu[64], re[64];
	struct gba_sms_tpdu t;
	size_t n, rl;

	n = gba_test_unhex("040b916407281553f80004425071315403" "0a" "0100",
			   pdu, sizeof(pdu));
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_OK);
	CU_ASSERT_EQUAL(t.scts.tz, -20);
	GBA_ASSERT_ERR(gba_sms_tpdu_encode(&t, re, sizeof(re), &rl), GBA_OK);
	GBA_ASSERT_HEX_EQ(re, pdu, n);
	/* a non-BCD digit (day 0x1a) */
	pdu[13] = 0xa1;
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_ERR_MALFORMED);
}

static void test_alnum_addr(void)
{
	/* "Design@Home": 11 septets, 20 semi-octets, TOA d0 */
	static const char exp[] = "14d0c4f23c7d760390ef7619";
	uint8_t e[32], pdu[64], re[64];
	struct gba_sms_tpdu t;
	char s[80];
	size_t n, rl;

	n = gba_test_unhex("04" "14d0c4f23c7d760390ef7619" "0004"
			   "42507131540380" "0100", pdu, sizeof(pdu));
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_OK);
	CU_ASSERT_EQUAL(t.addr.ton, GBA_SMS_TON_ALPHANUMERIC);
	CU_ASSERT_EQUAL(t.addr.n, 11);
	GBA_ASSERT_ERR(gba_sms_addr_to_str(&t.addr, s, sizeof(s)), GBA_OK);
	CU_ASSERT_STRING_EQUAL(s, "Design@Home");
	memset(&t.addr, 0, sizeof(t.addr));
	GBA_ASSERT_ERR(gba_sms_addr_alnum("Design@Home", &t.addr), GBA_OK);
	GBA_ASSERT_ERR(gba_sms_tpdu_encode(&t, re, sizeof(re), &rl), GBA_OK);
	CU_ASSERT_EQUAL(rl, n);
	gba_test_unhex(exp, e, sizeof(e));
	GBA_ASSERT_HEX_EQ(re + 1, e, 12);
	GBA_ASSERT_ERR(gba_sms_addr_alnum("Design@Home1", &t.addr),
		       GBA_ERR_TOO_LARGE);
	GBA_ASSERT_ERR(gba_sms_addr_alnum("\xe4\xb8\xad", &t.addr),
		       GBA_ERR_BAD_PARAM);
	/* extension character: '{' = 1b 28 */
	GBA_ASSERT_ERR(gba_sms_addr_alnum("a{", &t.addr), GBA_OK);
	CU_ASSERT_EQUAL(t.addr.n, 3);
	CU_ASSERT_EQUAL(t.addr.v[1], 0x1b);
	CU_ASSERT_EQUAL(t.addr.v[2], 0x28);
	GBA_ASSERT_ERR(gba_sms_addr_to_str(&t.addr, s, sizeof(s)), GBA_OK);
	CU_ASSERT_STRING_EQUAL(s, "a{");
}

static void test_addr_digits(void)
{
	struct gba_sms_addr a;
	struct gba_sms_tpdu t;
	uint8_t pdu[64];
	char s[80];
	size_t n;

	GBA_ASSERT_ERR(gba_sms_addr_from_str("+12*#a", &a), GBA_OK);
	CU_ASSERT_EQUAL(a.n, 5);
	CU_ASSERT_EQUAL(a.v[2], 10);
	GBA_ASSERT_ERR(gba_sms_addr_to_str(&a, s, sizeof(s)), GBA_OK);
	CU_ASSERT_STRING_EQUAL(s, "+12*#a");
	GBA_ASSERT_ERR(gba_sms_addr_from_str("+", &a), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_sms_addr_from_str("12x", &a), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_sms_addr_from_str("123456789012345678901", &a),
		       GBA_ERR_TOO_LARGE);
	/* address length 21 semi-octets: over the 12-octet field */
	n = gba_test_unhex("0415910000000000000000000000000000000000",
			   pdu, sizeof(pdu));
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_ERR_MALFORMED);
	/* end mark f inside the counted digits: "46" then f */
	n = gba_test_unhex("0403916420000442507131540380" "0100",
			   pdu, sizeof(pdu));
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_OK);
	pdu[3] = 0xf4; /* digits 4, f, 0 */
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_ERR_MALFORMED);
}

/* The address constructors from text leave *a all zero on every error. */
static void test_addr_cleared_on_error(void)
{
	static const struct {
		int alnum;
		const char *s;
		int err;
	} cases[] = {
		{0, "+", GBA_ERR_BAD_PARAM},
		{0, "12x", GBA_ERR_BAD_PARAM},
		{0, "123456789012345678901", GBA_ERR_TOO_LARGE},
		{0, NULL, GBA_ERR_BAD_PARAM},
		{1, "Design@Home1", GBA_ERR_TOO_LARGE},
		{1, "\xe4\xb8\xad", GBA_ERR_BAD_PARAM},
		{1, NULL, GBA_ERR_BAD_PARAM},
	};
	static const struct gba_sms_addr zero;
	struct gba_sms_addr a;
	size_t i;

	for (i = 0; i < GBA_ARRAY_SIZE(cases); i++) {
		memset(&a, 0xAA, sizeof(a));
		GBA_ASSERT_ERR(cases[i].alnum
				       ? gba_sms_addr_alnum(cases[i].s, &a)
				       : gba_sms_addr_from_str(cases[i].s, &a),
			       cases[i].err);
		CU_ASSERT(memcmp(&a, &zero, sizeof(a)) == 0);
	}
	GBA_ASSERT_ERR(gba_sms_addr_from_str("1", NULL), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_sms_addr_alnum("a", NULL), GBA_ERR_BAD_PARAM);
}

/* The encoder's address check: the limits of each kind of address. */
static void test_addr_encode_limits(void)
{
	static const struct {
		uint8_t ton, npi, n, v; /* every value of the address is v */
		int err;
	} cases[] = {
		{GBA_SMS_TON_INTERNATIONAL, 1, GBA_SMS_ADDR_MAX, 14, GBA_OK},
		{GBA_SMS_TON_INTERNATIONAL, 1, GBA_SMS_ADDR_MAX + 1, 1,
		 GBA_ERR_BAD_PARAM},
		{GBA_SMS_TON_INTERNATIONAL, 1, 3, 15, GBA_ERR_BAD_PARAM},
		{GBA_SMS_TON_INTERNATIONAL, 1, 3, 0x7F, GBA_ERR_BAD_PARAM},
		{GBA_SMS_TON_ALPHANUMERIC, 0, GBA_SMS_ALNUM_MAX, 0x7F, GBA_OK},
		{GBA_SMS_TON_ALPHANUMERIC, 0, GBA_SMS_ALNUM_MAX + 1, 0x41,
		 GBA_ERR_BAD_PARAM},
		{GBA_SMS_TON_ALPHANUMERIC, 0, 3, 0x80, GBA_ERR_BAD_PARAM},
		{8, 1, 3, 1, GBA_ERR_BAD_PARAM},
		{GBA_SMS_TON_INTERNATIONAL, 16, 3, 1, GBA_ERR_BAD_PARAM},
	};
	uint8_t pdu[64], re[200];
	struct gba_sms_tpdu t;
	size_t n, i, rl;

	n = gba_test_unhex("0403916420000442507131540380" "0100",
			   pdu, sizeof(pdu));
	for (i = 0; i < GBA_ARRAY_SIZE(cases); i++) {
		GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_OK);
		t.addr.ton = cases[i].ton;
		t.addr.npi = cases[i].npi;
		t.addr.n = cases[i].n;
		memset(t.addr.v, cases[i].v, sizeof(t.addr.v));
		GBA_ASSERT_ERR(gba_sms_tpdu_encode(&t, re, sizeof(re), &rl),
			       cases[i].err);
	}
}

static void test_mti_and_limits(void)
{
	uint8_t pdu[200];
	struct gba_sms_tpdu t;
	size_t n = gba_test_unhex(deliver69, pdu, sizeof(pdu)), i;

	for (i = 0; i < n; i++)
		GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, i, &t),
			       GBA_ERR_TRUNCATED);
	pdu[n] = 0x55;
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n + 1, &t), GBA_ERR_TRAILING);
	pdu[0] = 0x46; /* MTI 10: STATUS-REPORT */
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_ERR_UNSUPPORTED);
	pdu[0] = 0x47; /* MTI 11: reserved */
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_ERR_MALFORMED);
	pdu[0] = 0x44;
	pdu[18] = 141; /* TP-UDL over 140 octets */
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_ERR_TOO_LARGE);
	pdu[18] = 255;
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_ERR_TOO_LARGE);
	pdu[18] = 51; /* UDL one past the end of the input */
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_ERR_TRUNCATED);
	pdu[18] = 50;
	pdu[19] = 50; /* UDHL beyond TP-UD */
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_ERR_MALFORMED);
	pdu[19] = 49; /* UDHL fills TP-UD, IEs then run over */
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_ERR_MALFORMED);
	pdu[19] = 6;
	pdu[21] = 5; /* port IE length 5 past UDHL */
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, n, &t), GBA_ERR_MALFORMED);
	pdu[21] = 4;
	pdu[18] = 0; /* UDHI with empty TP-UD */
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdu, 19, &t), GBA_ERR_MALFORMED);
}

/* One test per UDH IE kind, bytes by hand from the 9.2.3.24 IEI table. */
static void test_udh_ies(void)
{
	uint8_t b[32];
	struct gba_sms_udh u;
	size_t n;

	n = gba_test_unhex("00032a0302", b, sizeof(b));
	GBA_ASSERT_ERR(gba_sms_udh_parse(b, n, &u), GBA_OK);
	CU_ASSERT(u.has_concat && !u.concat16 && u.ref == 42 &&
		  u.total == 3 && u.seq == 2);
	n = gba_test_unhex("080412340501", b, sizeof(b));
	GBA_ASSERT_ERR(gba_sms_udh_parse(b, n, &u), GBA_OK);
	CU_ASSERT(u.has_concat && u.concat16 && u.ref == 0x1234 &&
		  u.total == 5 && u.seq == 1);
	n = gba_test_unhex("05040b8423f0", b, sizeof(b));
	GBA_ASSERT_ERR(gba_sms_udh_parse(b, n, &u), GBA_OK);
	CU_ASSERT(u.has_port && u.port16 && u.dst_port == 2948 &&
		  u.src_port == 9200);
	n = gba_test_unhex("0402f5f0", b, sizeof(b));
	GBA_ASSERT_ERR(gba_sms_udh_parse(b, n, &u), GBA_OK);
	CU_ASSERT(u.has_port && !u.port16 && u.dst_port == 245 &&
		  u.src_port == 240);
	/* unknown IEs (01 special SMS indication, 24 national language,
	 * 70 with length 0) skipped by length */
	n = gba_test_unhex("0102aabb240101700005040b8423f0", b, sizeof(b));
	GBA_ASSERT_ERR(gba_sms_udh_parse(b, n, &u), GBA_OK);
	CU_ASSERT_EQUAL(u.n_ies, 4);
	CU_ASSERT_EQUAL(u.dst_port, 2948);
	/* invalid concatenation IEs are ignored (total 0, seq 0, seq > total) */
	n = gba_test_unhex("0003010001", b, sizeof(b));
	GBA_ASSERT_ERR(gba_sms_udh_parse(b, n, &u), GBA_OK);
	CU_ASSERT(!u.has_concat && u.concat_ignored);
	n = gba_test_unhex("0003010200", b, sizeof(b));
	GBA_ASSERT_ERR(gba_sms_udh_parse(b, n, &u), GBA_OK);
	CU_ASSERT(!u.has_concat && u.concat_ignored);
	n = gba_test_unhex("08040001020305040b8423f0", b, sizeof(b));
	GBA_ASSERT_ERR(gba_sms_udh_parse(b, n, &u), GBA_OK);
	CU_ASSERT(!u.has_concat && u.concat_ignored && u.has_port);
	/* last occurrence wins: 8-bit then 16-bit reference */
	n = gba_test_unhex("0003070201" "080401000202", b, sizeof(b));
	GBA_ASSERT_ERR(gba_sms_udh_parse(b, n, &u), GBA_OK);
	CU_ASSERT(u.has_concat && u.concat16 && u.ref == 0x100 &&
		  u.seq == 2);
	/* wrong lengths for known IEs; lengths past the end */
	n = gba_test_unhex("00020102", b, sizeof(b));
	GBA_ASSERT_ERR(gba_sms_udh_parse(b, n, &u), GBA_ERR_MALFORMED);
	n = gba_test_unhex("0503000000", b, sizeof(b));
	GBA_ASSERT_ERR(gba_sms_udh_parse(b, n, &u), GBA_ERR_MALFORMED);
	n = gba_test_unhex("05040b84", b, sizeof(b));
	GBA_ASSERT_ERR(gba_sms_udh_parse(b, n, &u), GBA_ERR_MALFORMED);
	n = gba_test_unhex("05", b, sizeof(b));
	GBA_ASSERT_ERR(gba_sms_udh_parse(b, n, &u), GBA_ERR_MALFORMED);
	GBA_ASSERT_ERR(gba_sms_udh_parse(b, 0, &u), GBA_OK);
}

static void deliver_tmpl(struct gba_sms_tpdu *t)
{
	memset(t, 0, sizeof(*t));
	t->mti = GBA_SMS_MTI_DELIVER;
	t->mms = 1;
	t->dcs = 0x04;
	t->scts.year = 24;
	t->scts.month = 5;
	t->scts.day = 17;
	t->scts.hour = 13;
	t->scts.minute = 45;
	t->scts.second = 30;
	t->scts.tz = 8;
	CU_ASSERT_FATAL(gba_sms_addr_from_str("+46708251358", &t->addr) == 0);
}

static const struct gba_sms_seg_opts wap_opts = {
	.port16 = 1, .dst_port = 2948, .src_port = 9200, .ref = 0x2a,
};

static uint8_t pdus[GBA_SMS_SEG_MAX][GBA_SMS_TPDU_MAX];
static size_t plen[GBA_SMS_SEG_MAX];

static void test_segment_kat(void)
{
	static const char exp1[] = "440b916407281553f8000442507131540380"
				   "0a0605040b8423f0010203";
	/* first of two segments: UDH 0b 00 03 2a 02 01 05 04 0b 84 23 f0,
	 * UDL 140 = 12 + 128 data octets */
	static const char exp2h[] = "440b916407281553f8000442507131540380"
				    "8c0b00032a020105040b8423f0";
	static uint8_t payload[256];
	struct gba_sms_tpdu t;
	uint8_t e[200];
	size_t n, np, el, i;

	deliver_tmpl(&t);
	payload[0] = 1;
	payload[1] = 2;
	payload[2] = 3;
	GBA_ASSERT_ERR(gba_sms_segment(&t, &wap_opts, payload, 3, pdus, plen,
				       GBA_SMS_SEG_MAX, &np), GBA_OK);
	CU_ASSERT_EQUAL_FATAL(np, 1);
	el = gba_test_unhex(exp1, e, sizeof(e));
	CU_ASSERT_EQUAL(plen[0], el);
	GBA_ASSERT_HEX_EQ(pdus[0], e, el);
	/* 133 octets still fit one SMS with a 16-bit port UDH; 134 need two
	 * segments of at most 128 */
	CU_ASSERT_EQUAL(gba_sms_segment_count(&wap_opts, 133), 1);
	CU_ASSERT_EQUAL(gba_sms_segment_count(&wap_opts, 134), 2);
	CU_ASSERT_EQUAL(gba_sms_segment_count(&wap_opts, 256), 2);
	CU_ASSERT_EQUAL(gba_sms_segment_count(&wap_opts, 257), 3);
	for (i = 0; i < 134; i++)
		payload[i] = (uint8_t)i;
	GBA_ASSERT_ERR(gba_sms_segment(&t, &wap_opts, payload, 134, pdus,
				       plen, GBA_SMS_SEG_MAX, &np), GBA_OK);
	CU_ASSERT_EQUAL_FATAL(np, 2);
	n = gba_test_unhex(exp2h, e, sizeof(e));
	CU_ASSERT_EQUAL(plen[0], n + 128);
	GBA_ASSERT_HEX_EQ(pdus[0], e, n);
	GBA_ASSERT_HEX_EQ(pdus[0] + n, payload, 128);
	CU_ASSERT_EQUAL(plen[1], n + 6);
	CU_ASSERT_EQUAL(pdus[1][24], 0x02); /* seq 2 */
	CU_ASSERT_EQUAL(pdus[1][18], 12 + 6);  /* UDL */
	/* SUBMIT: TP-MR counts up per segment */
	memset(&t, 0, sizeof(t));
	t.mti = GBA_SMS_MTI_SUBMIT;
	t.mr = 0xff;
	t.dcs = 0x04;
	CU_ASSERT_FATAL(gba_sms_addr_from_str("+46708251358", &t.addr) == 0);
	GBA_ASSERT_ERR(gba_sms_segment(&t, &wap_opts, payload, 134, pdus,
				       plen, GBA_SMS_SEG_MAX, &np), GBA_OK);
	CU_ASSERT_EQUAL(pdus[0][0], 0x41);
	CU_ASSERT_EQUAL(pdus[0][1], 0xff);
	CU_ASSERT_EQUAL(pdus[1][1], 0x00);
	/* limits */
	GBA_ASSERT_ERR(gba_sms_segment(&t, &wap_opts, payload, 134, pdus,
				       plen, 1, &np), GBA_ERR_NO_SPACE);
	CU_ASSERT_EQUAL(np, 0);
	t.dcs = 0x00;
	GBA_ASSERT_ERR(gba_sms_segment(&t, &wap_opts, payload, 3, pdus, plen,
				       GBA_SMS_SEG_MAX, &np),
		       GBA_ERR_UNSUPPORTED);
	CU_ASSERT_EQUAL(gba_sms_segment_count(&wap_opts, 255 * 128), 255);
	CU_ASSERT_EQUAL(gba_sms_segment_count(&wap_opts, 255 * 128 + 1), 256);
}

static void test_segment_too_large(void)
{
	static uint8_t big[255 * 128 + 1];
	struct gba_sms_tpdu t;
	size_t np;

	deliver_tmpl(&t);
	GBA_ASSERT_ERR(gba_sms_segment(&t, &wap_opts, big, sizeof(big), pdus,
				       plen, GBA_SMS_SEG_MAX, &np),
		       GBA_ERR_TOO_LARGE);
	GBA_ASSERT_ERR(gba_sms_segment(&t, &wap_opts, big, sizeof(big) - 1,
				       pdus, plen, GBA_SMS_SEG_MAX, &np),
		       GBA_OK);
	CU_ASSERT_EQUAL(np, 255);
}

/* xorshift PRNG: deterministic shuffles and payloads */
static uint32_t rng = 0x12345678u;
static uint32_t rnd(void)
{
	return gba_test_xorshift32(&rng);
}

static struct gba_sms_reasm ra;
static uint8_t msgbuf[GBA_SMS_REASM_MSG_MAX];

static void test_roundtrip_random(void)
{
	static uint8_t payload[2000];
	struct gba_sms_seg_opts o;
	struct gba_sms_tpdu t, d;
	struct gba_sms_msg m;
	size_t iter, len, np, i, order[64], no;
	int r, done;

	gba_sms_reasm_init(&ra, 0);
	for (iter = 0; iter < 300; iter++) {
		len = iter < 3 ? iter * 1000 : rnd() % 2001;
		for (i = 0; i < len; i++)
			payload[i] = (uint8_t)rnd();
		deliver_tmpl(&t);
		if (iter & 1) {
			t.mti = GBA_SMS_MTI_SUBMIT;
			t.vpf = GBA_SMS_VPF_RELATIVE;
			t.vp[0] = 0xa7;
		}
		o = wap_opts;
		o.ref16 = (iter >> 1) & 1;
		o.ref = (uint16_t)(o.ref16 ? rnd() & 0xffff : rnd() & 0xff);
		o.port16 = (iter % 5) != 0;
		if (!o.port16) {
			o.dst_port = 245;
			o.src_port = 240;
		}
		GBA_ASSERT_ERR(gba_sms_segment(&t, &o, payload, len, pdus,
					       plen, GBA_SMS_SEG_MAX, &np),
			       GBA_OK);
		CU_ASSERT_FATAL(np >= 1 && np <= GBA_SMS_REASM_MAX_SEGS);
		/* order: a shuffle plus some duplicates */
		gba_test_shuffled(order, np, &rng);
		no = np;
		for (i = 0; i < np / 2 && no < 64; i++)
			order[no++] = rnd() % np;
		done = 0;
		for (i = 0; i < no; i++) {
			GBA_ASSERT_ERR(gba_sms_tpdu_decode(pdus[order[i]],
							   plen[order[i]], &d),
				       GBA_OK);
			r = gba_sms_reasm_add(&ra, iter, &d, &m, msgbuf,
					      sizeof(msgbuf));
			if (r == GBA_OK) {
				CU_ASSERT_EQUAL(done, 0);
				done = 1;
				CU_ASSERT_EQUAL(m.len, len);
				CU_ASSERT(m.len == len &&
					  (len == 0 ||
					   memcmp(m.data, payload, len) == 0));
				CU_ASSERT_EQUAL(m.nseg, np);
				CU_ASSERT_EQUAL(m.dst_port, o.dst_port);
				CU_ASSERT_EQUAL(m.src_port, o.src_port);
				CU_ASSERT_EQUAL(m.port16, o.port16);
				CU_ASSERT(gba_sms_addr_eq(&m.orig, &t.addr));
			} else if (done) {
				/* after completion: duplicates (np > 1) */
				GBA_ASSERT_ERR(r, np > 1 ? GBA_ERR_EXISTS
							 : GBA_OK);
			} else {
				GBA_ASSERT_ERR(r, GBA_ERR_INCOMPLETE);
			}
		}
		CU_ASSERT_EQUAL(done, 1);
	}
}

/* Build a concat + port TPDU by hand (struct form). */
static uint8_t udhbuf[8][16];
static void seg(struct gba_sms_tpdu *t, int k, uint8_t ref, uint8_t total,
		uint8_t seq, uint16_t dst, const uint8_t *data, size_t n)
{
	uint8_t *u = udhbuf[k];

	deliver_tmpl(t);
	u[0] = 0x00;
	u[1] = 3;
	u[2] = ref;
	u[3] = total;
	u[4] = seq;
	u[5] = 0x05;
	u[6] = 4;
	u[7] = (uint8_t)(dst >> 8);
	u[8] = (uint8_t)dst;
	u[9] = 0x23;
	u[10] = 0xf0;
	t->udhi = 1;
	t->udh = u;
	t->udh_len = 11;
	t->data = data;
	t->data_len = n;
}

/* seg() for port 2948, then into the reassembly @ra at time @now */
static int add_seg(struct gba_sms_tpdu *t, int k, uint8_t ref, uint8_t total,
		   uint8_t seq, const uint8_t *data, size_t n, uint64_t now,
		   struct gba_sms_msg *m)
{
	seg(t, k, ref, total, seq, 2948, data, n);
	return gba_sms_reasm_add(&ra, now, t, m, msgbuf, sizeof(msgbuf));
}

/*
 * Regression (fuzz_gbaue_pdu, 2026-12-06): a GSM 7-bit DELIVER with UDL 160
 * and a port UDH decodes to data_len 152 (septets).  The reassembler must
 * report the alphabet as unsupported, not take the septet count for an
 * octet count over GBA_SMS_UD_MAX (GBA_ERR_BAD_PARAM, which the UE agent
 * treats as its own bug).  Bytes: modem form, SCA length 0, then the TPDU.
 */
static void test_reasm_gsm7_long(void)
{
	static const char hex[] =
		"00440b91640707281553f80004621142000000a00605040b8423f001"
		"06216170704c69636174696f6e2f766e642e334770702e67625a010e"
		"930700ffffff00000005000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000004060100000000"
		"0041000000410000706c6963616762612e673069";
	uint8_t pdu[160];
	struct gba_sms_addr sca;
	struct gba_sms_tpdu t;
	struct gba_sms_msg m;

	CU_ASSERT_EQUAL_FATAL(strlen(hex), 2 * sizeof(pdu));
	gba_test_unhex(hex, pdu, sizeof(pdu));
	GBA_ASSERT_ERR(gba_sms_pdu_decode(pdu, sizeof(pdu), &sca, &t), GBA_OK);
	CU_ASSERT_EQUAL(t.udl, 160);
	CU_ASSERT_EQUAL(t.data_len, 152); /* septets */
	gba_sms_reasm_init(&ra, 0);
	GBA_ASSERT_ERR(gba_sms_reasm_add(&ra, 0, &t, &m, msgbuf,
					 sizeof(msgbuf)), GBA_ERR_UNSUPPORTED);
}

/*
 * test_reasm_rejects - one reassembler, a script of steps: each step sets
 * up one segment (seg()) or the reassembler, adds it and asserts the
 * result and, on GBA_OK, the fields listed.
 */
enum reasm_op {
	R_ADD,     /* seg() then gba_sms_reasm_add() */
	R_INIT,    /* gba_sms_reasm_init(&ra, .now as the timeout) */
	R_FILL,    /* SLOTS + 1 partial messages, refs 100.., at now = i */
};

static const uint8_t ra_a[3] = { 1, 2, 3 }, ra_b[3] = { 1, 2, 4 };

struct reasm_step {
	const char *what;
	enum reasm_op op;
	int k;                  /* UDH buffer of seg() */
	uint8_t ref, total, seq;
	uint16_t port;
	const uint8_t *ud;
	size_t ud_len;
	uint64_t now;
	int gsm7;               /* DCS 0x00 instead of 8-bit data */
	const char *addr;       /* another originator */
	size_t cap;             /* output buffer; 0: all of msgbuf */
	int err;
	/* on GBA_OK, checked when non-zero / listed */
	size_t len;
	unsigned nseg;
	uint8_t mref;
	uint16_t dst_port;
	size_t nbytes;
	struct { size_t i; uint8_t v; } at[2];
};

/* an R_ADD step: segment @seq of @total of message @ref to port 2948, with
 * UDH buffer @k and the 3 octets of @ud as user data; then the designated
 * fields (the expected result, the checks) */
#define ADD(what, k, ref, total, seq, ud, ...)                               \
	{ what, R_ADD, k, ref, total, seq, 2948, ud, 3, __VA_ARGS__ }

static const struct reasm_step reasm_steps[] = {
	ADD("first segment", 0, 7, 2, 1, ra_a, .err = GBA_ERR_INCOMPLETE),
	ADD("identical duplicate ignored", 0, 7, 2, 1, ra_a,
	    .err = GBA_ERR_INCOMPLETE),
	ADD("same seq, other content", 1, 7, 2, 1, ra_b,
	    .err = GBA_ERR_DUPLICATE),
	{ "same seq, other length", R_ADD, 1, 7, 2, 1, 2948, ra_a, 2,
	  .err = GBA_ERR_DUPLICATE },
	ADD("same key, other total", 2, 7, 3, 2, ra_b,
	    .err = GBA_ERR_INCONSISTENT),
	{ "same key, other port", R_ADD, 3, 7, 2, 2, 2949, ra_b, 3,
	  .err = GBA_ERR_INCONSISTENT },
	ADD("too small an output buffer: nothing stored", 4, 7, 2, 2, ra_b,
	    .cap = 4, .err = GBA_ERR_NO_SPACE),
	ADD("the good second segment completes the message", 4, 7, 2, 2, ra_b,
	    .err = GBA_OK, .len = 6, .mref = 7, .nbytes = 1,
	    .at = { { 5, 4 } }),
	ADD("late duplicate of a completed message: ignored", 4, 7, 2, 2, ra_b,
	    .err = GBA_ERR_EXISTS),
	/* the reference reused later by a new message with other content:
	 * the completed record is forgotten, the new message assembles */
	ADD("reference reused, other content", 4, 7, 2, 2, ra_a,
	    .err = GBA_ERR_INCOMPLETE),
	ADD("reference reused, completes", 4, 7, 2, 1, ra_b, .err = GBA_OK,
	    .len = 6, .nbytes = 2, .at = { { 2, 4 }, { 5, 3 } }),
	ADD("total above the storage limit", 5, 9, GBA_SMS_REASM_MAX_SEGS + 1,
	    1, ra_a, .err = GBA_ERR_TOO_LARGE),
	ADD("segment count 0: concat IE ignored, message stands alone", 5, 9, 0,
	    1, ra_a, .err = GBA_OK, .nseg = 1, .len = 3, .dst_port = 2948),
	ADD("seq > total: same rule", 5, 9, 2, 3, ra_a, .err = GBA_OK,
	    .nseg = 1),
	ADD("GSM 7-bit user data is not reassembled", 5, 9, 2, 1, ra_a,
	    .gsm7 = 1, .err = GBA_ERR_UNSUPPORTED),
	/* eviction: SLOTS + 1 partial messages, the oldest goes */
	{ "eviction: fresh reassembler", R_INIT, .now = 0 },
	{ "eviction: SLOTS + 1 partials", R_FILL, .k = 6 },
	ADD("eviction: ref 100 was evicted", 6, 100, 2, 2, ra_b, .now = 9,
	    .err = GBA_ERR_INCOMPLETE),
	ADD("eviction: the newest is still there", 6, 100 + GBA_SMS_REASM_SLOTS,
	    2, 2, ra_b, .now = 9, .err = GBA_OK),
	/* expiry: partials older than the timeout are dropped */
	{ "expiry: timeout 10", R_INIT, .now = 10 },
	ADD("expiry: segment 1 at 100", 7, 50, 2, 1, ra_a, .now = 100,
	    .err = GBA_ERR_INCOMPLETE),
	ADD("expiry: segment 2 at 111, segment 1 gone", 7, 50, 2, 2, ra_b,
	    .now = 111, .err = GBA_ERR_INCOMPLETE),
	ADD("expiry: segment 1 again at 112 completes", 7, 50, 2, 1, ra_a,
	    .now = 112, .err = GBA_OK),
	/* different originators never mix */
	{ "originators: fresh reassembler", R_INIT, .now = 0 },
	ADD("originators: segment 1", 7, 60, 2, 1, ra_a,
	    .err = GBA_ERR_INCOMPLETE),
	ADD("originators: segment 2 from another number", 7, 60, 2, 2, ra_b,
	    .addr = "+46708251359", .err = GBA_ERR_INCOMPLETE),
};

static void test_reasm_rejects(void)
{
	const struct reasm_step *st;
	struct gba_sms_tpdu t;
	struct gba_sms_msg m;
	uint8_t small[4];
	size_t n, j;
	int i, ok;

	gba_sms_reasm_init(&ra, 0);
	for (n = 0; n < GBA_ARRAY_SIZE(reasm_steps); n++) {
		st = &reasm_steps[n];
		if (st->op == R_INIT) {
			gba_sms_reasm_init(&ra, st->now);
			continue;
		}
		if (st->op == R_FILL) {
			for (i = 0; i <= GBA_SMS_REASM_SLOTS; i++) {
				seg(&t, st->k, (uint8_t)(100 + i), 2, 1, 2948,
				    ra_a, 3);
				GBA_ASSERT_ERR(gba_sms_reasm_add(
						       &ra, (uint64_t)i, &t,
						       &m, msgbuf,
						       sizeof(msgbuf)),
					       GBA_ERR_INCOMPLETE);
			}
			continue;
		}
		seg(&t, st->k, st->ref, st->total, st->seq, st->port, st->ud,
		    st->ud_len);
		if (st->gsm7)
			t.dcs = 0x00;
		if (st->addr)
			CU_ASSERT_FATAL(gba_sms_addr_from_str(st->addr,
							      &t.addr) == 0);
		ok = gba_test_err_eq(gba_sms_reasm_add(&ra, st->now, &t, &m,
						       st->cap ? small : msgbuf,
						       st->cap ? st->cap
							       : sizeof(msgbuf)),
				     st->err, st->what, __FILE__, __LINE__);
		CU_ASSERT_TRUE(ok);
		if (!ok || st->err != GBA_OK)
			continue;
		if (st->len)
			CU_ASSERT_EQUAL(m.len, st->len);
		if (st->nseg)
			CU_ASSERT_EQUAL(m.nseg, st->nseg);
		if (st->mref)
			CU_ASSERT_EQUAL(m.ref, st->mref);
		if (st->dst_port)
			CU_ASSERT_EQUAL(m.dst_port, st->dst_port);
		for (j = 0; j < st->nbytes; j++)
			CU_ASSERT_EQUAL(m.data[st->at[j].i], st->at[j].v);
	}
}

/*
 * Issue 11: a message completes with a corrupted segment 2 (one bit
 * flipped) and is rejected above; the sender resends the genuine segments
 * in order with the same reference.  Segment 1 equals the completed
 * record's (EXISTS), segment 2 differs: the resend must complete with the
 * genuine content, not start a message that never completes.
 */
static void test_reasm_resend_after_corrupt(void)
{
	static const uint8_t s1[4] = { 0x10, 0x11, 0x12, 0x13 },
			     s2[3] = { 0x20, 0x21, 0x22 },
			     s2x[3] = { 0x20, 0x21, 0x23 }; /* bit 0 flipped */
	struct gba_sms_tpdu t;
	struct gba_sms_msg m;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		gba_sms_reasm_init(&ra, 0);
		GBA_ASSERT_ERR(add_seg(&t, 0, 0x42, 2, 1, s1, 4, 0, &m),
			       GBA_ERR_INCOMPLETE);
		GBA_ASSERT_ERR(add_seg(&t, 1, 0x42, 2, 2, s2x, 3, 1, &m),
			       GBA_OK);
		CU_ASSERT_EQUAL(m.len, 7);
		CU_ASSERT_EQUAL(m.data[6], 0x23);
		if (pass == 1) {
			/* a late copy of the corrupted segment changes
			 * nothing */
			GBA_ASSERT_ERR(gba_sms_reasm_add(&ra, 2, &t, &m,
							 msgbuf,
							 sizeof(msgbuf)),
				       GBA_ERR_EXISTS);
		}
		/* the genuine resend, in order */
		GBA_ASSERT_ERR(add_seg(&t, 0, 0x42, 2, 1, s1, 4, 3, &m),
			       GBA_ERR_EXISTS);
		GBA_ASSERT_ERR(add_seg(&t, 1, 0x42, 2, 2, s2, 3, 4, &m),
			       GBA_OK);
		CU_ASSERT_EQUAL(m.len, 7);
		CU_ASSERT(memcmp(m.data, s1, 4) == 0);
		CU_ASSERT(memcmp(m.data + 4, s2, 3) == 0);
		CU_ASSERT_EQUAL(m.ref, 0x42);
		/* and that message is complete: its copies are duplicates */
		GBA_ASSERT_ERR(gba_sms_reasm_add(&ra, 5, &t, &m, msgbuf,
						 sizeof(msgbuf)),
			       GBA_ERR_EXISTS);
		GBA_ASSERT_ERR(add_seg(&t, 0, 0x42, 2, 1, s1, 4, 6, &m),
			       GBA_ERR_EXISTS);
	}
	/* a plain repeat of a complete message is not delivered twice */
	gba_sms_reasm_init(&ra, 0);
	GBA_ASSERT_ERR(add_seg(&t, 0, 0x43, 2, 1, s1, 4, 0, &m),
		       GBA_ERR_INCOMPLETE);
	GBA_ASSERT_ERR(add_seg(&t, 1, 0x43, 2, 2, s2, 3, 0, &m), GBA_OK);
	GBA_ASSERT_ERR(add_seg(&t, 0, 0x43, 2, 1, s1, 4, 0, &m),
		       GBA_ERR_EXISTS);
	GBA_ASSERT_ERR(add_seg(&t, 1, 0x43, 2, 2, s2, 3, 0, &m),
		       GBA_ERR_EXISTS);
}

/* style.md C17: every byte x 256 values must give a defined result (run
 * under ASan/UBSan in the sanitizer build); whatever decodes re-encodes to
 * a TPDU that decodes again. */
static void test_mutation(void)
{
	static const char *const pdu_hex[] = {
		deliver69,
		"79070b916407281553f80004425071315403490a0605040b8423f0deadbe",
		"440b916407281553f800004250713154038009050003010201d069",
	};
	uint8_t b[200], re[GBA_SMS_TPDU_MAX];
	struct gba_sms_tpdu t, t2;
	struct gba_sms_addr a;
	size_t k, i, n, rl;
	unsigned v;
	int r;

	for (k = 0; k < GBA_ARRAY_SIZE(pdu_hex); k++) {
		n = gba_test_unhex(pdu_hex[k], b, sizeof(b));
		for (i = 0; i < n; i++) {
			uint8_t keep = b[i];

			for (v = 0; v < 256; v++) {
				b[i] = (uint8_t)v;
				r = gba_sms_pdu_decode(b, n, &a, &t);
				CU_ASSERT(r <= 0);
				r = gba_sms_tpdu_decode(b, n, &t);
				CU_ASSERT(r <= 0 && strcmp(gba_err_name(r), "GBA_ERR_UNKNOWN") != 0);
				if (r != GBA_OK ||
				    t.alphabet == GBA_SMS_ALPHA_GSM7)
					continue;
				r = gba_sms_tpdu_encode(&t, re, sizeof(re),
							&rl);
				CU_ASSERT_EQUAL(r, GBA_OK);
				if (r == GBA_OK)
					CU_ASSERT_EQUAL(gba_sms_tpdu_decode(
								re, rl, &t2),
							GBA_OK);
			}
			b[i] = keep;
		}
	}
}

/* TS 27.005 PDU-mode header lines as modems print them. */
static void test_modem_header(void)
{
	/* accepted, with the TPDU length they announce */
	static const struct {
		const char *line;
		size_t len;
	} ok[] = {
		{ "+CMGL: 1,0,,45", 45 },
		{ "+CMGR: 0,,69", 69 },
		{ "+CMGR: 1,\"alpha, with comma\",23", 23 },
		{ "+CMT: ,45 ", 45 },
		{ "+CMT: 0", 0 },
		{ "+CMGL: 1,0,,255", 255 },
	};
	/* refused (the length set to 0) */
	static const struct gba_test_case_err bad[] = {
		{ "0791447758100650040b91", GBA_ERR_NOT_FOUND },
		{ "OK", GBA_ERR_NOT_FOUND },
		{ "+CMGL: 1,0,,256", GBA_ERR_MALFORMED },
		{ "+CMGL: 1,0,,4x", GBA_ERR_MALFORMED },
		{ "+CMGL: 1,0,,", GBA_ERR_MALFORMED },
		{ "+CMT:", GBA_ERR_MALFORMED },
	};
	size_t i, n;

	for (i = 0; i < GBA_ARRAY_SIZE(ok); i++) {
		GBA_ASSERT_ERR(gba_sms_modem_header(ok[i].line,
						    strlen(ok[i].line), &n),
			       GBA_OK);
		CU_ASSERT_EQUAL(n, ok[i].len);
	}
	for (i = 0; i < GBA_ARRAY_SIZE(bad); i++) {
		GBA_ASSERT_ERR(gba_sms_modem_header(bad[i].in,
						    strlen(bad[i].in), &n),
			       bad[i].err);
		CU_ASSERT_EQUAL(n, 0);
	}
	/* only the first len characters count */
	GBA_ASSERT_ERR(gba_sms_modem_header("+CMT: 12", 7, &n), GBA_OK);
	CU_ASSERT_EQUAL(n, 1);
}

GBA_TEST_MAIN("sms",
	{ "deliver_kat", test_deliver_kat },
	{ "reasm_decoded_udh", test_reasm_decoded_udh },
	{ "sca_kat", test_sca_kat },
	{ "gsm7_kat", test_gsm7_kat },
	{ "gsm7_udh_extent", test_gsm7_udh_extent },
	{ "ucs2_extent", test_ucs2_extent },
	{ "dcs", test_dcs },
	{ "submit_kat", test_submit_kat },
	{ "scts_negative_tz", test_scts_negative_tz },
	{ "alnum_addr", test_alnum_addr },
	{ "addr_digits", test_addr_digits },
	{ "addr_encode_limits", test_addr_encode_limits },
	{ "addr_cleared_on_error", test_addr_cleared_on_error },
	{ "mti_and_limits", test_mti_and_limits },
	{ "udh_ies", test_udh_ies },
	{ "segment_kat", test_segment_kat },
	{ "segment_too_large", test_segment_too_large },
	{ "roundtrip_random", test_roundtrip_random },
	{ "reasm_rejects", test_reasm_rejects },
	{ "reasm_resend_after_corrupt",
	  test_reasm_resend_after_corrupt },
	{ "reasm_gsm7_long", test_reasm_gsm7_long },
	{ "mutation", test_mutation },
	{ "modem_header", test_modem_header })
