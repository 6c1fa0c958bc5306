/* TS 33.220 Annex B.2 / B.3 KDF against independently computed data. */
#include <string.h>
#include "gba/crypto.h"
#include "gba/kdf.h"
#include "gba_test.h"
#include "vecfile.h"

/* Generic KDF sets: two-octet FC, multi-octet lengths, empty params. */
static int check_kdf_set(const struct vec_set *s, void *arg)
{
	const struct vec_field *key, *fc, *exp;
	const uint8_t *p[GBA_KDF_MAX_PARAMS];
	size_t plen[GBA_KDF_MAX_PARAMS], np = 0;
	uint8_t out[32];
	uint16_t fcv;
	char name[8];

	(void)arg;
	gba_test_vec_need(s, "key", &key, "fc", &fc, "out", &exp,
			  (const char *)NULL);
	for (np = 0; np < GBA_KDF_MAX_PARAMS; np++) {
		const struct vec_field *f;

		snprintf(name, sizeof(name), "p%zu", np);
		if (!(f = vec_get(s, name)))
			break;
		p[np] = f->val;
		plen[np] = f->len;
	}
	fcv = fc->len == 2 ? (uint16_t)(0xff00 | fc->val[1]) : fc->val[0];
	GBA_ASSERT_ERR(gba_kdf(key->val, key->len, fcv, np, p, plen, out),
		       GBA_OK);
	GBA_ASSERT_HEX_EQ(out, exp->val, 32);
	return 1;
}

static void test_kdf_file(void)
{
	CU_ASSERT_EQUAL(gba_test_vec_sets("kdf_ts33220.txt", check_kdf_set,
					  NULL), 4);
}

static int check_naf_keys_set(const struct vec_set *s, void *arg)
{
	const struct vec_field *ck, *ik, *rnd, *impi, *fqdn, *ua, *me, *u;
	uint8_t ks[32], naf_id[GBA_NAF_ID_MAX], out[32];
	char fq[256];
	size_t nl;

	(void)arg;
	gba_test_vec_need(s, "ck", &ck, "ik", &ik, "rand", &rnd, "impi", &impi,
			  "naf_fqdn", &fqdn, "ua_id", &ua, "ks_naf", &me,
			  "ks_int_naf", &u, (const char *)NULL);
	memcpy(fq, fqdn->val, fqdn->len);
	fq[fqdn->len] = '\0';
	GBA_ASSERT_ERR(gba_naf_id(fq, ua->val, naf_id, &nl), GBA_OK);
	gba_ks_from_ck_ik(ck->val, ik->val, ks);
	GBA_ASSERT_ERR(gba_kdf_naf_key(ks, 0, rnd->val, impi->val, impi->len,
				       naf_id, nl, out), GBA_OK);
	GBA_ASSERT_HEX_EQ(out, me->val, 32);
	GBA_ASSERT_ERR(gba_kdf_naf_key(ks, 1, rnd->val, impi->val, impi->len,
				       naf_id, nl, out), GBA_OK);
	GBA_ASSERT_HEX_EQ(out, u->val, 32);
	return 1;
}

static void test_naf_keys_file(void)
{
	CU_ASSERT_EQUAL(gba_test_vec_sets("gba_naf_keys.txt",
					  check_naf_keys_set, NULL), 4);
}

/*
 * The S of the KDF example (docs/spec-facts.md section 7): HMAC over it must
 * equal what gba_kdf_naf_key() derives, so S is built as B.2 says.  NOTE: the
 * first print of S had one '30' too many in the IMPI (101 octets, 16 digits
 * before '@'); its L2 = 0x0031 and its Ks_NAF match the 15-digit IMPI used
 * here, so the printed S has a transcription slip, not the key.
 */
static void test_kdf_s_construction(void)
{
	uint8_t key[32], s[128], exp[32], out[32], rnd[16], naf_id[64];
	const char *impi = "001010000000001@ims.mnc001.mcc001.3gppnetwork.org";
	const uint8_t *a[1];
	size_t l[1], n, nl;
	static const uint8_t ua[5] = { 1, 0, 0, 0, 2 };

	gba_test_unhex("000102030405060708090a0b0c0d0e0f"
		       "101112131415161718191a1b1c1d1e1f", key, sizeof(key));
	n = gba_test_unhex(
		"016762612d6d650006a0a1a2a3a4a5a6a7a8a9aaabacadaeaf0010"
		"30303130313030303030303030303140696d732e6d6e633030312e6d"
		"63633030312e336770706e6574776f726b2e6f726700316e61"
		"662e6578616d706c652e636f6d01000000020014", s, sizeof(s));
	CU_ASSERT_EQUAL(n, 100);
	gba_test_unhex("8f4d7a759f91d6980d88ad9be6f2bf9a"
		       "5e16dadc88e13759ac627e5421065929", exp, sizeof(exp));
	a[0] = s;
	l[0] = n;
	GBA_ASSERT_ERR(gba_hmac_sha256_vec(key, 32, 1, a, l, out), GBA_OK);
	GBA_ASSERT_HEX_EQ(out, exp, 32);
	gba_test_unhex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf", rnd, 16);
	GBA_ASSERT_ERR(gba_naf_id("naf.example.com", ua, naf_id, &nl), GBA_OK);
	GBA_ASSERT_ERR(gba_kdf_naf_key(key, 0, rnd, (const uint8_t *)impi,
				       strlen(impi), naf_id, nl, out), GBA_OK);
	GBA_ASSERT_HEX_EQ(out, exp, 32);
}

static void test_kdf_errors(void)
{
	uint8_t key[32] = { 0 }, out[32], big[1];
	const uint8_t *p[1] = { big };
	size_t plen[1] = { 65536 };

	GBA_ASSERT_ERR(gba_kdf(key, 32, 0x00ff, 0, NULL, NULL, out), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_kdf(key, 32, 0x1234, 0, NULL, NULL, out), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_kdf(key, 32, 0x01, 1, p, plen, out), GBA_ERR_TOO_LARGE);
	GBA_ASSERT_ERR(gba_kdf(key, 32, 0x01, GBA_KDF_MAX_PARAMS + 1, p, plen, out),
		       GBA_ERR_BAD_PARAM);
}

static void test_naf_id(void)
{
	static const uint8_t ua[5] = { 1, 0, 0, 0, 5 };
	uint8_t id[GBA_NAF_ID_MAX];
	char longname[300];
	size_t n;

	GBA_ASSERT_ERR(gba_naf_id("scs.example", ua, id, &n), GBA_OK);
	CU_ASSERT_EQUAL(n, 16);
	CU_ASSERT(memcmp(id, "scs.example\x01\x00\x00\x00\x05", 16) == 0);
	GBA_ASSERT_ERR(gba_naf_id("", ua, id, &n), GBA_ERR_BAD_PARAM);
	/* B.2.1: UTF-8 (already NFKC) is taken as it is ... */
	GBA_ASSERT_ERR(gba_naf_id("caf\xc3\xa9.example", ua, id, &n),
		       GBA_OK);
	CU_ASSERT_EQUAL(n, 13 + 5);
	CU_ASSERT(memcmp(id, "caf\xc3\xa9.example\x01\x00\x00\x00\x05", 18) ==
		  0);
	/* ... ill-formed UTF-8 (Latin-1 e-acute, a lone surrogate) is not */
	GBA_ASSERT_ERR(gba_naf_id("caf\xe9.example", ua, id, &n),
		       GBA_ERR_BAD_UTF8);
	GBA_ASSERT_ERR(gba_naf_id("a\xed\xa0\x80.example", ua, id, &n),
		       GBA_ERR_BAD_UTF8);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	GBA_ASSERT_ERR(gba_naf_id(longname, ua, id, &n), GBA_ERR_TOO_LARGE);
}

/*
 * TS 33.220 B.2.1 with a non-ASCII IMPI and NAF FQDN, already in NFKC (as
 * the UE library receives them).  Expected keys from Debian's
 * /usr/bin/python3: unicodedata.normalize("NFKC", ...) of "use\u0301r@
 * example.org" and "\ufb01nance.example", .encode("utf-8"), then
 * hmac.new(CK || IK, S, hashlib.sha256) with S built per B.2.0 by hand;
 * CK, IK, RAND of TS 35.208 set 1.  (Without NFKC, Ks_NAF would be
 * 2b64639994fc3818c252354cbb58f5713222e79101ac99515f50c2f0261fcf1a.)
 */
static void test_naf_key_utf8(void)
{
	static const uint8_t ua[5] = { 1, 0, 0, 0, 5 };
	/* "us\u00e9r@example.org" and "finance.example" (NFKC forms) */
	static const char impi[] = "us\xc3\xa9r@example.org";
	static const char bad_impi[] = "us\xe9r@example.org";
	uint8_t ks[32], rnd[16], me[32], u[32], exp[32], id[GBA_NAF_ID_MAX];
	size_t nl;

	gba_test_unhex("b40ba9a3c58b2a05bbf0d987b21bf8cb"
		       "f769bcd751044604127672711c6d3441", ks, sizeof(ks));
	gba_test_unhex("23553cbe9637a89d218ae64dae47bf35", rnd, sizeof(rnd));
	GBA_ASSERT_ERR(gba_naf_id("finance.example", ua, id, &nl), GBA_OK);
	GBA_ASSERT_ERR(gba_kdf_naf_key(ks, 0, rnd, (const uint8_t *)impi,
				       strlen(impi), id, nl, me), GBA_OK);
	gba_test_unhex("beba00cb9a769788f42754bb7becf064"
		       "217875c573cb955751a253b8decbf282", exp, sizeof(exp));
	GBA_ASSERT_HEX_EQ(me, exp, 32);
	GBA_ASSERT_ERR(gba_kdf_naf_key(ks, 1, rnd, (const uint8_t *)impi,
				       strlen(impi), id, nl, u), GBA_OK);
	gba_test_unhex("e4f08db954b2e2f8755a167174357240"
		       "4dcdd7cdebf5ca84e66302cee66cd69a", exp, sizeof(exp));
	GBA_ASSERT_HEX_EQ(u, exp, 32);
	/* ill-formed UTF-8 IMPI: refused, output zeroed */
	GBA_ASSERT_ERR(gba_kdf_naf_key(ks, 0, rnd, (const uint8_t *)bad_impi,
				       strlen(bad_impi), id, nl, me),
		       GBA_ERR_BAD_UTF8);
	memset(exp, 0, sizeof(exp));
	GBA_ASSERT_HEX_EQ(me, exp, 32);
}

GBA_TEST_MAIN("kdf",
	{ "generic KDF sets (2-octet FC, long Li)", test_kdf_file },
	{ "NAF key sets (Ks_NAF, Ks_int_NAF)", test_naf_keys_file },
	{ "S construction of the KDF example", test_kdf_s_construction },
	{ "KDF parameter errors", test_kdf_errors },
	{ "NAF_Id encoding", test_naf_id },
	{ "UTF-8 IMPI and FQDN (B.2.1), Python keys", test_naf_key_utf8 })
