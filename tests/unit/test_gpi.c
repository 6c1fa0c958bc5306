/*
 * GPI codec and protection (common/src/gpi.c), project layout P1 of
 * docs/wire-formats.md ("GPI", project choice, unconfirmed).
 *
 * Expected bytes were computed independently with Python 3 (hmac, hashlib
 * and cryptography 48 AES-CTR), building the GPI octet by octet from the
 * documented layout, never with gbapush code:
 *   K_gpi_enc = HMAC-SHA-256(naf_key, ff f0 || "gbapush-gpi-enc" || 00 0f)[0:16]
 *   K_gpi_int = HMAC-SHA-256(naf_key, ff f0 || "gbapush-gpi-int" || 00 0f)
 *   p_tid_enc = AES-128-CTR(K_gpi_enc, RAND[0:12] || 00000000, P-TID)
 *   tag       = HMAC-SHA-256(K_gpi_int, GPI without tag)[0:16]
 */
#include <stdio.h>
#include <string.h>
#include "gba/crypto.h"
#include "gba/gpi.h"
#include "gba_test.h"

/*
 * Vector 1 (GBA_ME, the size-budget case: 30-character FQDN, 16-octet
 * P-TID, default application).  naf_key is Ks_NAF of the KDF
 * example (docs/spec-facts.md section 7).  key_expiry = 2027-01-01T00:00:00Z =
 * 1798761600 (python datetime).  108 octets.
 */
#define V1_NAF_KEY "8f4d7a759f91d6980d88ad9be6f2bf9a5e16dadc88e13759ac627e5421065929"
#define V1_FQDN "scs01.iot.operator.example.com"
#define V1_PTID "a3f9c2e1b7d40856"
#define V1_GPI                                                            \
	"f100a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbd" \
	"bebf1e73637330312e696f742e6f70657261746f722e6578616d706c652e636f" \
	"6d0100000005006b36ec80105701982fa5f603921d2058eaab5bbce60702c2b6" \
	"b3f4b7f24a3598c89d61e294"
#define V1_PTID_ENC "5701982fa5f603921d2058eaab5bbce6"

/*
 * Vector 2 (GBA_U, application label "USIM-A", 5-octet binary P-TID,
 * expiry 0xfffffffe).  naf_key is Ks_int_NAF of the same KDF example
 * (used here only as a 32-octet key).  88 octets.
 */
#define V2_NAF_KEY "8ac05769f97155c5e291959e5b1e9852ee23b0893cdbe6272c59480a239124b7"
#define V2_GPI                                                            \
	"f101101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d" \
	"2e2f0f6e61662e6578616d706c652e636f6d0100000002065553494d2d41ffff" \
	"fffe0583e8e06df415bd81f52e0b9e1925bc207b24f9d8fa"

/* @in: cleared; @gba_u, RAND @rand0, @rand0 + 1, ..., AUTN likewise from
 * @autn0, NAF_Id @naf_id (@naf_id_len octets), expiry @key_expiry */
static void info_set(struct gba_gpi_info *in, int gba_u, uint8_t rand0,
		     uint8_t autn0, const char *naf_id, size_t naf_id_len,
		     uint64_t key_expiry)
{
	size_t i;

	memset(in, 0, sizeof(*in));
	in->gba_u = gba_u;
	for (i = 0; i < 16; i++) {
		in->rand[i] = (uint8_t)(rand0 + i);
		in->autn[i] = (uint8_t)(autn0 + i);
	}
	memcpy(in->naf_id, naf_id, naf_id_len);
	in->naf_id_len = naf_id_len;
	in->key_expiry = key_expiry;
}

static void v1_info(struct gba_gpi_info *in)
{
	info_set(in, 0, 0xa0, 0xb0, V1_FQDN "\x01\x00\x00\x00\x05",
		 strlen(V1_FQDN) + 5, 1798761600u);
}

static void v2_info(struct gba_gpi_info *in)
{
	info_set(in, 1, 0x10, 0x20, "naf.example.com\x01\x00\x00\x00\x02", 20,
		 0xfffffffeu);
	memcpy(in->app_label, "USIM-A", 6);
	in->app_label_len = 6;
}

static size_t v1_gpi(uint8_t *buf, size_t cap)
{
	return gba_test_unhex(V1_GPI, buf, cap);
}

static void test_kat_build(void)
{
	struct gba_gpi_info in;
	uint8_t key[32], exp[GBA_GPI_MAX], out[GBA_GPI_MAX];
	static const uint8_t ptid2[5] = { 0, 1, 2, 3, 4 };
	size_t n, len;

	v1_info(&in);
	gba_test_unhex(V1_NAF_KEY, key, sizeof(key));
	n = v1_gpi(exp, sizeof(exp));
	CU_ASSERT_EQUAL(n, 108);
	CU_ASSERT_EQUAL(gba_gpi_encoded_len(&in, 16), 108);
	GBA_ASSERT_ERR(gba_gpi_build(&in, (const uint8_t *)V1_PTID, 16, key,
				     out, sizeof(out), &len), GBA_OK);
	CU_ASSERT_EQUAL(len, n);
	GBA_ASSERT_HEX_EQ(out, exp, n);
	/* the SMS budget of the task: <= 118 octets for this case */
	CU_ASSERT(len <= 118);

	v2_info(&in);
	gba_test_unhex(V2_NAF_KEY, key, sizeof(key));
	n = gba_test_unhex(V2_GPI, exp, sizeof(exp));
	CU_ASSERT_EQUAL(n, 88);
	GBA_ASSERT_ERR(gba_gpi_build(&in, ptid2, 5, key, out, sizeof(out),
				     &len), GBA_OK);
	CU_ASSERT_EQUAL(len, n);
	GBA_ASSERT_HEX_EQ(out, exp, n);
}

static void test_kat_decode_open(void)
{
	struct gba_gpi_info in, got;
	uint8_t key[32], gpi[GBA_GPI_MAX], ptid[GBA_PTID_MAX], enc[16];
	const uint8_t *fq, *ua;
	size_t n, pl, fl;

	v1_info(&in);
	gba_test_unhex(V1_NAF_KEY, key, sizeof(key));
	gba_test_unhex(V1_PTID_ENC, enc, sizeof(enc));
	n = v1_gpi(gpi, sizeof(gpi));
	GBA_ASSERT_ERR(gba_gpi_decode(gpi, n, &got), GBA_OK);
	CU_ASSERT_EQUAL(got.version, GBA_GPI_VERSION_P1);
	CU_ASSERT_EQUAL(got.gba_u, 0);
	GBA_ASSERT_HEX_EQ(got.rand, in.rand, 16);
	GBA_ASSERT_HEX_EQ(got.autn, in.autn, 16);
	CU_ASSERT_EQUAL(got.naf_id_len, in.naf_id_len);
	GBA_ASSERT_HEX_EQ(got.naf_id, in.naf_id, in.naf_id_len);
	CU_ASSERT_EQUAL(got.app_label_len, 0);
	CU_ASSERT_EQUAL(got.key_expiry, 1798761600u);
	CU_ASSERT_EQUAL(got.p_tid_len, 16);
	GBA_ASSERT_HEX_EQ(got.p_tid_enc, enc, 16);
	GBA_ASSERT_ERR(gba_gpi_naf_fqdn(&got, &fq, &fl, &ua), GBA_OK);
	CU_ASSERT_EQUAL(fl, 30);
	CU_ASSERT(memcmp(fq, V1_FQDN, 30) == 0);
	CU_ASSERT(memcmp(ua, "\x01\x00\x00\x00\x05", 5) == 0);

	GBA_ASSERT_ERR(gba_gpi_open(gpi, n, key, ptid, sizeof(ptid), &pl),
		       GBA_OK);
	CU_ASSERT_EQUAL(pl, 16);
	CU_ASSERT(memcmp(ptid, V1_PTID, 16) == 0);

	/* the same from the decoded views (layout P1: the tag is the last
	 * 16 octets), without a second parse */
	CU_ASSERT_EQUAL(got.tag_off, n - 16);
	memset(ptid, 0, sizeof(ptid));
	GBA_ASSERT_ERR(gba_gpi_open_decoded(gpi, n, &got, key, ptid,
					    sizeof(ptid), &pl), GBA_OK);
	CU_ASSERT_EQUAL(pl, 16);
	CU_ASSERT(memcmp(ptid, V1_PTID, 16) == 0);
	/* a NAF_Id changed after decoding (the agent lower-cases it) does
	 * not enter the check; the octets of the GPI do */
	got.naf_id[0] ^= 0x20;
	GBA_ASSERT_ERR(gba_gpi_open_decoded(gpi, n, &got, key, ptid,
					    sizeof(ptid), &pl), GBA_OK);
	gpi[n - 1] ^= 1;
	GBA_ASSERT_ERR(gba_gpi_open_decoded(gpi, n, &got, key, ptid,
					    sizeof(ptid), &pl), GBA_ERR_MAC);
	CU_ASSERT_EQUAL(pl, 0);
	gpi[n - 1] ^= 1;
	GBA_ASSERT_ERR(gba_gpi_open_decoded(gpi, n, &got, key, ptid, 15, &pl),
		       GBA_ERR_NO_SPACE);
	/* views that do not fit the buffer */
	GBA_ASSERT_ERR(gba_gpi_open_decoded(gpi, n - 1, &got, key, ptid,
					    sizeof(ptid), &pl),
		       GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_gpi_open_decoded(gpi, n, NULL, key, ptid,
					    sizeof(ptid), &pl),
		       GBA_ERR_BAD_PARAM);

	/* vector 2: GBA_U flag and label */
	gba_test_unhex(V2_NAF_KEY, key, sizeof(key));
	n = gba_test_unhex(V2_GPI, gpi, sizeof(gpi));
	GBA_ASSERT_ERR(gba_gpi_decode(gpi, n, &got), GBA_OK);
	CU_ASSERT_EQUAL(got.gba_u, 1);
	CU_ASSERT_EQUAL(got.app_label_len, 6);
	CU_ASSERT(memcmp(got.app_label, "USIM-A", 6) == 0);
	CU_ASSERT_EQUAL(got.key_expiry, 0xfffffffeu);
	GBA_ASSERT_ERR(gba_gpi_open(gpi, n, key, ptid, sizeof(ptid), &pl),
		       GBA_OK);
	CU_ASSERT_EQUAL(pl, 5);
	CU_ASSERT(memcmp(ptid, "\x00\x01\x02\x03\x04", 5) == 0);
}

/* encode(decode(x)) == x, through open for the P-TID plaintext */
static void test_round_trip(void)
{
	struct gba_gpi_info got;
	uint8_t key[32], gpi[GBA_GPI_MAX], out[GBA_GPI_MAX];
	uint8_t ptid[GBA_PTID_MAX];
	size_t n, pl, len, i;

	gba_test_unhex(V2_NAF_KEY, key, sizeof(key));
	n = gba_test_unhex(V2_GPI, gpi, sizeof(gpi));
	GBA_ASSERT_ERR(gba_gpi_decode(gpi, n, &got), GBA_OK);
	GBA_ASSERT_ERR(gba_gpi_open(gpi, n, key, ptid, sizeof(ptid), &pl),
		       GBA_OK);
	GBA_ASSERT_ERR(gba_gpi_build(&got, ptid, pl, key, out, sizeof(out),
				     &len), GBA_OK);
	CU_ASSERT_EQUAL(len, n);
	GBA_ASSERT_HEX_EQ(out, gpi, n);

	/* limits: 253-octet FQDN (TS 29.571 Fqdn, gba/fqdn.h: 4 labels of
	 * 61 and a TLD of 5), 32-octet label, 64-octet P-TID */
	memset(&got, 0, sizeof(got));
	memset(got.naf_id, 'a', 253);
	for (i = 0; i < 4; i++)
		got.naf_id[62 * i + 61] = '.';
	memcpy(got.naf_id + 253, "\xff\x01\x02\x03\x04", 5);
	got.naf_id_len = 258;
	memset(got.app_label, 'L', 32);
	got.app_label_len = 32;
	memset(ptid, 0x5a, 64);
	GBA_ASSERT_ERR(gba_gpi_build(&got, ptid, 64, key, out, sizeof(out),
				     &len), GBA_OK);
	CU_ASSERT_EQUAL(len, 2 + 32 + 1 + 253 + 5 + 1 + 32 + 4 + 1 + 64 + 16);
	CU_ASSERT(len <= GBA_GPI_MAX);
	memset(ptid, 0, sizeof(ptid));
	GBA_ASSERT_ERR(gba_gpi_open(out, len, key, ptid, sizeof(ptid), &pl),
		       GBA_OK);
	CU_ASSERT_EQUAL(pl, 64);
	CU_ASSERT(ptid[0] == 0x5a && ptid[63] == 0x5a);
}

/* every proper prefix of a valid GPI is GBA_ERR_TRUNCATED, for both calls */
static void test_truncation(void)
{
	struct gba_gpi_info got;
	uint8_t key[32], gpi[GBA_GPI_MAX], ptid[GBA_PTID_MAX];
	size_t n, i, pl;

	gba_test_unhex(V1_NAF_KEY, key, sizeof(key));
	n = v1_gpi(gpi, sizeof(gpi));
	for (i = 0; i < n; i++) {
		GBA_ASSERT_ERR(gba_gpi_decode(gpi, i, &got), GBA_ERR_TRUNCATED);
		GBA_ASSERT_ERR(gba_gpi_open(gpi, i, key, ptid, sizeof(ptid),
					    &pl), GBA_ERR_TRUNCATED);
		CU_ASSERT_EQUAL(pl, 0);
	}
	/* and one extra octet is trailing data */
	gpi[n] = 0;
	GBA_ASSERT_ERR(gba_gpi_decode(gpi, n + 1, &got), GBA_ERR_TRAILING);
	GBA_ASSERT_ERR(gba_gpi_open(gpi, n + 1, key, ptid, sizeof(ptid), &pl),
		       GBA_ERR_TRAILING);
}

/* Offsets in vector 1 (layout P1). */
#define OFF_VERSION 0
#define OFF_FLAGS 1
#define OFF_FQDN_LEN 34
#define OFF_FQDN 35
#define OFF_LABEL_LEN 70
#define OFF_PTID_LEN 75

static void test_malformed(void)
{
	struct gba_gpi_info got;
	uint8_t gpi[GBA_GPI_MAX + 64], m[GBA_GPI_MAX + 64];
	size_t n;
	static const struct {
		size_t off;
		uint8_t val;
		int err;
		const char *what;
	} cases[] = {
		{ OFF_VERSION, 0x01, GBA_ERR_VERSION, "version 1" },
		{ OFF_VERSION, 0xf0, GBA_ERR_VERSION, "version f0" },
		{ OFF_FLAGS, 0x02, GBA_ERR_MALFORMED, "reserved flag" },
		{ OFF_FLAGS, 0x80, GBA_ERR_MALFORMED, "reserved flag 7" },
		{ OFF_FQDN_LEN, 0x00, GBA_ERR_MALFORMED, "empty FQDN" },
		{ OFF_FQDN, ' ', GBA_ERR_MALFORMED, "space in FQDN" },
		{ OFF_FQDN, 0xc3, GBA_ERR_MALFORMED, "non-ASCII FQDN" },
		{ OFF_FQDN, 0x00, GBA_ERR_MALFORMED, "NUL in FQDN" },
		/* the one FQDN rule (gba/fqdn.h, TS 29.571 Fqdn): each was
		 * taken before, as any printable octet was */
		{ OFF_FQDN, '-', GBA_ERR_MALFORMED, "FQDN label starts '-'" },
		{ OFF_FQDN, '_', GBA_ERR_MALFORMED, "'_' in FQDN" },
		{ OFF_FQDN, '.', GBA_ERR_MALFORMED, "FQDN starts with '.'" },
		{ OFF_FQDN + 4, '.', GBA_ERR_MALFORMED, "'..' in FQDN" },
		{ OFF_FQDN + 29, '1', GBA_ERR_MALFORMED, "digit in the TLD" },
		{ OFF_LABEL_LEN, 33, GBA_ERR_TOO_LARGE, "label 33" },
		{ OFF_LABEL_LEN, 0xff, GBA_ERR_TOO_LARGE, "label 255" },
		{ OFF_PTID_LEN, 0, GBA_ERR_MALFORMED, "empty P-TID" },
		{ OFF_PTID_LEN, 65, GBA_ERR_TOO_LARGE, "P-TID 65" },
		{ OFF_PTID_LEN, 15, GBA_ERR_TRAILING, "P-TID 15: one left" },
		{ OFF_PTID_LEN, 17, GBA_ERR_TRUNCATED, "P-TID 17" },
	};
	size_t i;

	n = v1_gpi(gpi, sizeof(gpi));
	CU_ASSERT_EQUAL(gpi[OFF_FQDN_LEN], 30);
	CU_ASSERT_EQUAL(gpi[OFF_LABEL_LEN], 0);
	CU_ASSERT_EQUAL(gpi[OFF_PTID_LEN], 16);
	for (i = 0; i < GBA_ARRAY_SIZE(cases); i++) {
		memcpy(m, gpi, n);
		m[cases[i].off] = cases[i].val;
		if (gba_gpi_decode(m, n, &got) != cases[i].err)
			fprintf(stderr, "case %s\n", cases[i].what);
		GBA_ASSERT_ERR(gba_gpi_decode(m, n, &got), cases[i].err);
		/* a failed decode leaves nothing behind */
		CU_ASSERT_EQUAL(got.naf_id_len, 0);
		CU_ASSERT_EQUAL(got.p_tid_len, 0);
	}
	GBA_ASSERT_ERR(gba_gpi_decode(gpi, 0, &got), GBA_ERR_TRUNCATED);
	GBA_ASSERT_ERR(gba_gpi_decode(NULL, 0, &got), GBA_ERR_TRUNCATED);
	GBA_ASSERT_ERR(gba_gpi_decode(gpi, n, NULL), GBA_ERR_BAD_PARAM);
}

/*
 * Flip each octet of a valid GPI: open must fail, with the decoder's error
 * where the change breaks the format and GBA_ERR_MAC everywhere else, and
 * must not write a P-TID.
 */
static void test_tamper(void)
{
	struct gba_gpi_info got;
	uint8_t key[32], gpi[GBA_GPI_MAX], m[GBA_GPI_MAX];
	uint8_t ptid[GBA_PTID_MAX];
	size_t n, i, pl, nmac = 0;
	int dr;

	gba_test_unhex(V1_NAF_KEY, key, sizeof(key));
	n = v1_gpi(gpi, sizeof(gpi));
	for (i = 0; i < n; i++) {
		memcpy(m, gpi, n);
		m[i] ^= 0x01;
		memset(ptid, 0xee, sizeof(ptid));
		dr = gba_gpi_decode(m, n, &got);
		if (dr == GBA_OK) {
			GBA_ASSERT_ERR(gba_gpi_open(m, n, key, ptid,
						    sizeof(ptid), &pl),
				       GBA_ERR_MAC);
			nmac++;
		} else {
			GBA_ASSERT_ERR(gba_gpi_open(m, n, key, ptid,
						    sizeof(ptid), &pl), dr);
		}
		CU_ASSERT_EQUAL(pl, 0);
		CU_ASSERT_EQUAL(ptid[0], 0xee);
	}
	/* only the version, the three length octets and six octets of
	 * V1_FQDN break the format: its four dots ('.' ^ 1 is '/') and its
	 * two 'a's ('a' ^ 1 is '`'), outside the TS 29.571 Fqdn pattern
	 * (counted with Python's re) */
	CU_ASSERT_EQUAL(nmac, n - 4 - 6);
}

/*
 * Every octet x every other value (C17): open never succeeds, never writes
 * a P-TID, and fails exactly as the key-less decoder does, or with
 * GBA_ERR_MAC where the decoder accepts the mutant.
 */
static void test_mutate_all_values(void)
{
	struct gba_gpi_info got;
	uint8_t key[32], gpi[GBA_GPI_MAX], m[GBA_GPI_MAX];
	uint8_t ptid[GBA_PTID_MAX];
	size_t n, i, pl;
	unsigned x;
	int bad = 0;

	gba_test_unhex(V1_NAF_KEY, key, sizeof(key));
	n = v1_gpi(gpi, sizeof(gpi));
	for (i = 0; i < n; i++) {
		for (x = 1; x < 256; x++) {
			int dr, orr;

			memcpy(m, gpi, n);
			m[i] ^= (uint8_t)x;
			ptid[0] = 0xee;
			dr = gba_gpi_decode(m, n, &got);
			orr = gba_gpi_open(m, n, key, ptid, sizeof(ptid), &pl);
			if (orr != (dr == GBA_OK ? GBA_ERR_MAC : dr) || pl != 0 ||
			    ptid[0] != 0xee)
				bad++;
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_open_errors(void)
{
	uint8_t key[32], gpi[GBA_GPI_MAX], ptid[GBA_PTID_MAX];
	size_t n, pl;

	gba_test_unhex(V1_NAF_KEY, key, sizeof(key));
	n = v1_gpi(gpi, sizeof(gpi));
	/* a wrong NAF key: tag fails */
	key[31] ^= 0x80;
	GBA_ASSERT_ERR(gba_gpi_open(gpi, n, key, ptid, sizeof(ptid), &pl),
		       GBA_ERR_MAC);
	key[31] ^= 0x80;
	/* the Ks_int_NAF of the same run is not the ME key */
	gba_test_unhex(V2_NAF_KEY, key, sizeof(key));
	GBA_ASSERT_ERR(gba_gpi_open(gpi, n, key, ptid, sizeof(ptid), &pl),
		       GBA_ERR_MAC);
	gba_test_unhex(V1_NAF_KEY, key, sizeof(key));
	GBA_ASSERT_ERR(gba_gpi_open(gpi, n, key, ptid, 15, &pl),
		       GBA_ERR_NO_SPACE);
	CU_ASSERT_EQUAL(pl, 0);
	GBA_ASSERT_ERR(gba_gpi_open(gpi, n, key, NULL, 16, &pl),
		       GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_gpi_open(gpi, n, NULL, ptid, 16, &pl),
		       GBA_ERR_BAD_PARAM);
}

static void test_build_errors(void)
{
	struct gba_gpi_info in;
	uint8_t key[32] = { 0 }, out[GBA_GPI_MAX], ptid[GBA_PTID_MAX + 1];
	size_t len = 99;

	memset(ptid, 1, sizeof(ptid));
	v1_info(&in);
	GBA_ASSERT_ERR(gba_gpi_build(&in, ptid, 16, key, out, 107, &len),
		       GBA_ERR_NO_SPACE);
	CU_ASSERT_EQUAL(len, 0);
	GBA_ASSERT_ERR(gba_gpi_build(&in, ptid, 16, key, out, 108, &len),
		       GBA_OK);
	GBA_ASSERT_ERR(gba_gpi_build(&in, ptid, 0, key, out, sizeof(out),
				     &len), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_gpi_build(&in, ptid, GBA_PTID_MAX + 1, key, out,
				     sizeof(out), &len), GBA_ERR_TOO_LARGE);
	GBA_ASSERT_ERR(gba_gpi_build(NULL, ptid, 16, key, out, sizeof(out),
				     &len), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_gpi_build(&in, ptid, 16, NULL, out, sizeof(out),
				     &len), GBA_ERR_BAD_PARAM);
	in.key_expiry = 0x100000000ull;
	GBA_ASSERT_ERR(gba_gpi_build(&in, ptid, 16, key, out, sizeof(out),
				     &len), GBA_ERR_TOO_LARGE);
	CU_ASSERT_EQUAL(gba_gpi_encoded_len(&in, 16), 0);
	v1_info(&in);
	in.app_label_len = GBA_APP_LABEL_MAX + 1;
	GBA_ASSERT_ERR(gba_gpi_build(&in, ptid, 16, key, out, sizeof(out),
				     &len), GBA_ERR_TOO_LARGE);
	v1_info(&in);
	in.naf_id_len = GBA_UA_ID_LEN; /* no FQDN */
	GBA_ASSERT_ERR(gba_gpi_build(&in, ptid, 16, key, out, sizeof(out),
				     &len), GBA_ERR_BAD_PARAM);
	in.naf_id_len = GBA_NAF_ID_MAX + 1;
	GBA_ASSERT_ERR(gba_gpi_build(&in, ptid, 16, key, out, sizeof(out),
				     &len), GBA_ERR_TOO_LARGE);
	v1_info(&in);
	in.naf_id[3] = ' ';
	GBA_ASSERT_ERR(gba_gpi_build(&in, ptid, 16, key, out, sizeof(out),
				     &len), GBA_ERR_BAD_PARAM);
	/* the one FQDN rule (gba/fqdn.h, TS 29.571 Fqdn): any printable
	 * octet passed before */
	v1_info(&in);
	in.naf_id[3] = '_';
	GBA_ASSERT_ERR(gba_gpi_build(&in, ptid, 16, key, out, sizeof(out),
				     &len), GBA_ERR_BAD_PARAM);
	{
		static const char *const bad[] = { "localhost", "a.b",
						   "1.2.3.4", "a..example.com" };
		size_t i, n;

		for (i = 0; i < GBA_ARRAY_SIZE(bad); i++) {
			v1_info(&in);
			n = strlen(bad[i]);
			memcpy(in.naf_id, bad[i], n);
			memcpy(in.naf_id + n, "\x01\x00\x00\x00\x05", 5);
			in.naf_id_len = n + 5;
			GBA_ASSERT_ERR(gba_gpi_build(&in, ptid, 16, key, out,
						     sizeof(out), &len),
				       GBA_ERR_BAD_PARAM);
		}
	}
}

GBA_TEST_MAIN("gpi",
	{ "known-answer build (Python-computed)", test_kat_build },
	{ "known-answer decode and open", test_kat_decode_open },
	{ "round trip and field limits", test_round_trip },
	{ "every truncation point", test_truncation },
	{ "malformed field table", test_malformed },
	{ "tamper every octet", test_tamper },
	{ "every octet x 255 values", test_mutate_all_values },
	{ "open errors (wrong key, space)", test_open_errors },
	{ "build parameter errors", test_build_errors })
