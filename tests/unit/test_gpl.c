/*
 * Generic Push Layer (gpl/): NAF SA, protect / unprotect, replay window,
 * expiry, SA blob.  Layout, suites and subkeys are the project choices of
 * docs/wire-formats.md "GPL" (unconfirmed).
 *
 * Expected bytes were computed independently with Python 3 (hmac, hashlib,
 * cryptography 48 AES-CTR) from the documented layout, not with gbapush:
 *   K_int = HMAC-SHA-256(naf_key, ff f0 || "gbapush-gpl-int" || 00 0f
 *                                 || suite || 00 01)
 *   K_enc = HMAC-SHA-256(naf_key, ff f0 || "gbapush-gpl-enc" || 00 0f
 *                                 || suite || 00 01)[0:16]
 *   msg   = f1 || suite || RAND[0:8] || SN(4) || AES-128-CTR(K_enc,
 *           RAND[0:8] || SN || 00000000, payload) (suite 1) or payload
 *           (suite 2) || HMAC-SHA-256(K_int, all of the above)[0:16]
 *   blob  = the 397-octet SA blob, fields concatenated per the docs table.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "gba/crypto.h"
#include "gpl/gpl.h"
#include "gba_test.h"

#define NAF_KEY "8f4d7a759f91d6980d88ad9be6f2bf9a5e16dadc88e13759ac627e5421065929"
#define FQDN "scs01.iot.operator.example.com"
#define PTID "a3f9c2e1b7d40856"
#define EXPIRY 1798761600u /* 2027-01-01T00:00:00Z */
#define NOW (EXPIRY - 3600u)

/* suite 1, SN 1, payload 00 01 .. 63 (the 100-octet trigger): 130 octets */
#define M1                                                                \
	"f101a0a1a2a3a4a5a6a70000000151fd9d441b8c954b444f86ede1ca7e534fb8" \
	"ccb65eaa207145a4443433115a264d8520e6c97503ca7d936ef7199e1cdb267f" \
	"efed019383d44528aa1967cadc3e1b75a1a2981de2e308ae3dfa964eeef9a48f" \
	"c689942eec93d64ffcd2392958fe335bc218b4bee61e2fc98c0dc8c9a04c1491" \
	"60be"
/* suite 2 (null encryption), SN 1, payload "hello": 35 octets */
#define M2 "f102a0a1a2a3a4a5a6a70000000168656c6c6f9d03e54d66ed5cb576cc9e9de2230673"
/* suite 1, SN 0x01020304, payload "wake up, fetch config": 51 octets */
#define M3                                                                \
	"f101a0a1a2a3a4a5a6a701020304a09a429d3188f646d92b4010a26aaeddaebe" \
	"977fe411d51a5e1e28b76c23a327036908cfc6"
/* SA blob v1: suite 1, SN_c 7, SN_h 5, window 0x15 (SNs 5, 3, 1) */
#define BLOB                                                              \
	"01018f4d7a759f91d6980d88ad9be6f2bf9a5e16dadc88e13759ac627e542106" \
	"5929a0a1a2a3a4a5a6a7a8a9aaabacadaeaf002373637330312e696f742e6f70" \
	"657261746f722e6578616d706c652e636f6d0100000005000000000000000000" \
	"0000000000000000000000000000000000000000000000000000000000000000" \
	"0000000000000000000000000000000000000000000000000000000000000000" \
	"0000000000000000000000000000000000000000000000000000000000000000" \
	"0000000000000000000000000000000000000000000000000000000000000000" \
	"0000000000000000000000000000000000000000000000000000000000000000" \
	"0000000000000000000000000000000000000000000000000000000000000000" \
	"0000000000000000000000000000000000000000000000001061336639633265" \
	"3162376434303835360000000000000000000000000000000000000000000000" \
	"00000000000000000000000000000000000000000000000000000000006b36ec" \
	"80000000070000000500000015"

static void mk_sa(struct gpl_sa *sa, uint8_t suite)
{
	uint8_t key[32], rnd[16];
	size_t i;

	gba_test_unhex(NAF_KEY, key, sizeof(key));
	for (i = 0; i < 16; i++)
		rnd[i] = (uint8_t)(0xa0 + i);
	GBA_ASSERT_ERR(gpl_sa_init(sa, key, (const uint8_t *)FQDN
				   "\x01\x00\x00\x00\x05",
				   strlen(FQDN) + 5, rnd, (const uint8_t *)PTID,
				   16, EXPIRY, suite), GBA_OK);
}

static void trigger100(uint8_t *p)
{
	size_t i;

	for (i = 0; i < 100; i++)
		p[i] = (uint8_t)i;
}

static void test_kat_protect(void)
{
	struct gpl_sa sa;
	uint8_t pl[100], out[GPL_MSG_MAX], exp[GPL_MSG_MAX];
	size_t n, len;

	trigger100(pl);
	mk_sa(&sa, GPL_SUITE_AES128CTR_HMAC256_128);
	n = gba_test_unhex(M1, exp, sizeof(exp));
	CU_ASSERT_EQUAL(n, 130);
	GBA_ASSERT_ERR(gpl_protect(&sa, NOW, pl, 100, out, sizeof(out), &len),
		       GBA_OK);
	CU_ASSERT_EQUAL(len, n);
	GBA_ASSERT_HEX_EQ(out, exp, n);
	CU_ASSERT_EQUAL(sa.sn_c, 1);
	/* budget: a 100-octet trigger in one SMS with a 16-bit port UDH */
	CU_ASSERT(len <= 133);
	CU_ASSERT_EQUAL(gpl_protected_len(GPL_SUITE_AES128CTR_HMAC256_128, 100),
			130);
	CU_ASSERT(GPL_OVERHEAD_MAX <= 33);

	mk_sa(&sa, GPL_SUITE_NULL_HMAC256_128);
	n = gba_test_unhex(M2, exp, sizeof(exp));
	GBA_ASSERT_ERR(gpl_protect(&sa, NOW, (const uint8_t *)"hello", 5, out,
				   sizeof(out), &len), GBA_OK);
	CU_ASSERT_EQUAL(len, n);
	GBA_ASSERT_HEX_EQ(out, exp, n);

	mk_sa(&sa, GPL_SUITE_AES128CTR_HMAC256_128);
	sa.sn_c = 0x01020303;
	n = gba_test_unhex(M3, exp, sizeof(exp));
	GBA_ASSERT_ERR(gpl_protect(&sa, NOW,
				   (const uint8_t *)"wake up, fetch config", 21,
				   out, sizeof(out), &len), GBA_OK);
	CU_ASSERT_EQUAL(len, n);
	GBA_ASSERT_HEX_EQ(out, exp, n);
	CU_ASSERT_EQUAL(sa.sn_c, 0x01020304);
	gpl_sa_clear(&sa);
}

/* a fresh @sa of suite @suite unprotects the message @hex at NOW into
 * the text @payload */
static void kat_opens(struct gpl_sa *sa, uint8_t suite, const char *hex,
		      const char *payload)
{
	uint8_t m[GPL_MSG_MAX], out[GPL_MSG_MAX];
	size_t n, len, pn = strlen(payload);

	mk_sa(sa, suite);
	n = gba_test_unhex(hex, m, sizeof(m));
	GBA_ASSERT_ERR(gpl_unprotect(sa, NOW, m, n, out, sizeof(out), &len),
		       GBA_OK);
	CU_ASSERT_EQUAL(len, pn);
	CU_ASSERT(memcmp(out, payload, pn) == 0);
}

static void test_kat_unprotect(void)
{
	struct gpl_sa sa;
	uint8_t pl[100], m[GPL_MSG_MAX], out[GPL_MSG_MAX];
	size_t n, len;
	struct gpl_msg_hdr h;

	trigger100(pl);
	mk_sa(&sa, GPL_SUITE_AES128CTR_HMAC256_128);
	n = gba_test_unhex(M1, m, sizeof(m));
	GBA_ASSERT_ERR(gpl_msg_peek(m, n, &h), GBA_OK);
	CU_ASSERT_EQUAL(h.sn, 1);
	CU_ASSERT_EQUAL(h.payload_len, 100);
	CU_ASSERT_EQUAL(h.suite, GPL_SUITE_AES128CTR_HMAC256_128);
	CU_ASSERT(gpl_sa_matches(&sa, &h));
	GBA_ASSERT_ERR(gpl_unprotect(&sa, NOW, m, n, out, sizeof(out), &len),
		       GBA_OK);
	CU_ASSERT_EQUAL(len, 100);
	GBA_ASSERT_HEX_EQ(out, pl, 100);
	CU_ASSERT_EQUAL(sa.sn_h, 1);
	CU_ASSERT_EQUAL(sa.replay, 1);

	/* in place: output over the ciphertext */
	mk_sa(&sa, GPL_SUITE_AES128CTR_HMAC256_128);
	GBA_ASSERT_ERR(gpl_unprotect(&sa, NOW, m, n, m + GPL_HDR_LEN, 100,
				     &len), GBA_OK);
	GBA_ASSERT_HEX_EQ(m + GPL_HDR_LEN, pl, 100);

	kat_opens(&sa, GPL_SUITE_NULL_HMAC256_128, M2, "hello");
	kat_opens(&sa, GPL_SUITE_AES128CTR_HMAC256_128, M3,
		  "wake up, fetch config");
	CU_ASSERT_EQUAL(sa.sn_h, 0x01020304);
	gpl_sa_clear(&sa);
}

/*
 * Expected error when octet @i of M1 (suite 1, SN 1) is changed by XOR
 * with @x: the clear header is checked before the MAC.
 */
static int m1_tamper_err(size_t i, uint8_t x)
{
	if (i == 0)
		return GBA_ERR_VERSION;
	if (i == 1)
		return (0x01 ^ x) == GPL_SUITE_NULL_HMAC256_128 ?
			       GBA_ERR_SUITE_MISMATCH :
			       GBA_ERR_UNSUPPORTED;
	if (i < 10)
		return GBA_ERR_UNKNOWN_SA;
	if (i == 13 && x == 0x01)
		return GBA_ERR_MALFORMED; /* SN becomes 0 */
	return GBA_ERR_MAC;
}

/* Every octet, every XOR value: rejected, exact error, SA unchanged. */
static void test_tamper_every_byte(void)
{
	struct gpl_sa sa, before;
	uint8_t m[GPL_MSG_MAX], t[GPL_MSG_MAX], out[GPL_MSG_MAX];
	size_t n, i, len;
	unsigned x;
	int bad = 0;

	mk_sa(&sa, GPL_SUITE_AES128CTR_HMAC256_128);
	memcpy(&before, &sa, sizeof(sa));
	n = gba_test_unhex(M1, m, sizeof(m));
	for (i = 0; i < n; i++) {
		for (x = 1; x < 256; x++) {
			int r;

			memcpy(t, m, n);
			t[i] ^= (uint8_t)x;
			memset(out, 0xee, 4);
			r = gpl_unprotect(&sa, NOW, t, n, out, sizeof(out),
					  &len);
			if (r != m1_tamper_err(i, (uint8_t)x) || len != 0 ||
			    out[0] != 0xee) {
				if (bad++ < 5)
					fprintf(stderr, "octet %zu ^%02x: %s\n",
						i, x, gba_err_name(r));
			}
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(memcmp(&sa, &before, sizeof(sa)) == 0);
	/* the untouched message still goes through afterwards */
	GBA_ASSERT_ERR(gpl_unprotect(&sa, NOW, m, n, out, sizeof(out), &len),
		       GBA_OK);
}

/* The null suite hides nothing but is still integrity protected. */
static void test_null_suite_integrity(void)
{
	struct gpl_sa sa, before;
	uint8_t m[64], t[64], out[64];
	size_t n, i, len;

	mk_sa(&sa, GPL_SUITE_NULL_HMAC256_128);
	memcpy(&before, &sa, sizeof(sa));
	n = gba_test_unhex(M2, m, sizeof(m));
	CU_ASSERT(memcmp(m + GPL_HDR_LEN, "hello", 5) == 0); /* in clear */
	for (i = GPL_HDR_LEN; i < n; i++) {
		memcpy(t, m, n);
		t[i] ^= 0x20; /* "hello" -> "Hello" etc. */
		GBA_ASSERT_ERR(gpl_unprotect(&sa, NOW, t, n, out, sizeof(out),
					     &len), GBA_ERR_MAC);
	}
	CU_ASSERT(memcmp(&sa, &before, sizeof(sa)) == 0);
	/* a suite-1 SA refuses a null-suite message (downgrade) */
	mk_sa(&sa, GPL_SUITE_AES128CTR_HMAC256_128);
	memcpy(&before, &sa, sizeof(sa));
	GBA_ASSERT_ERR(gpl_unprotect(&sa, NOW, m, n, out, sizeof(out), &len),
		       GBA_ERR_SUITE_MISMATCH);
	CU_ASSERT(memcmp(&sa, &before, sizeof(sa)) == 0);
}

static void test_truncation(void)
{
	struct gpl_sa sa, before;
	uint8_t m[GPL_MSG_MAX], out[GPL_MSG_MAX];
	struct gpl_msg_hdr h;
	size_t n, i, len;

	mk_sa(&sa, GPL_SUITE_AES128CTR_HMAC256_128);
	memcpy(&before, &sa, sizeof(sa));
	n = gba_test_unhex(M1, m, sizeof(m));
	/*
	 * The payload length is implicit, so a prefix of at least
	 * header + MAC octets parses as a shorter message whose MAC fails;
	 * anything shorter cannot hold a message at all.
	 */
	for (i = 0; i < n; i++) {
		int exp = i < GPL_HDR_LEN + 16 ? GBA_ERR_TRUNCATED : GBA_ERR_MAC;

		GBA_ASSERT_ERR(gpl_unprotect(&sa, NOW, m, i, out, sizeof(out),
					     &len), exp);
		if (i < GPL_HDR_LEN + 16)
			GBA_ASSERT_ERR(gpl_msg_peek(m, i, &h), GBA_ERR_TRUNCATED);
		CU_ASSERT_EQUAL(len, 0);
	}
	CU_ASSERT(memcmp(&sa, &before, sizeof(sa)) == 0);
}

/* gpl_unprotect() of the @n octets @m by @rx at @now gives @exp: refused,
 * @rx is unchanged; accepted, the payload starts with @first (unless -1) */
static void unprotect_is(struct gpl_sa *rx, uint64_t now, const uint8_t *m,
			 size_t n, int exp, int first)
{
	struct gpl_sa before;
	uint8_t out[GPL_MSG_MAX];
	size_t len;

	memcpy(&before, rx, sizeof(before));
	GBA_ASSERT_ERR(gpl_unprotect(rx, now, m, n, out, sizeof(out), &len),
		       exp);
	if (exp != GBA_OK) {
		CU_ASSERT(memcmp(rx, &before, sizeof(before)) == 0);
	} else if (first >= 0) {
		CU_ASSERT(out[0] == first);
	}
}

static void test_replay_window(void)
{
	struct gpl_sa tx, rx;
	static uint8_t m[41][64];
	size_t ml[41], i;

	mk_sa(&tx, GPL_SUITE_NULL_HMAC256_128);
	mk_sa(&rx, GPL_SUITE_NULL_HMAC256_128);
	for (i = 1; i <= 40; i++) {
		uint8_t p = (uint8_t)i;

		GBA_ASSERT_ERR(gpl_protect(&tx, NOW, &p, 1, m[i], sizeof(m[i]),
					   &ml[i]), GBA_OK);
	}
	CU_ASSERT_EQUAL(tx.sn_c, 40);
#define RX(sn, exp) unprotect_is(&rx, NOW, m[sn], ml[sn], (exp), (sn))
	RX(5, GBA_OK);
	CU_ASSERT_EQUAL(rx.sn_h, 5);
	RX(5, GBA_ERR_REPLAY);   /* replay of SN_h itself */
	RX(3, GBA_OK);           /* reordered, inside the window */
	CU_ASSERT_EQUAL(rx.sn_h, 5);
	RX(3, GBA_ERR_REPLAY);   /* replay below SN_h */
	RX(6, GBA_OK);
	RX(40, GBA_OK);
	CU_ASSERT_EQUAL(rx.sn_h, 40);
	RX(8, GBA_ERR_REPLAY);   /* 40 - 8 = 32: left the window */
	RX(9, GBA_OK);           /* 40 - 9 = 31: last slot of the window */
	RX(9, GBA_ERR_REPLAY);
	RX(6, GBA_ERR_REPLAY);   /* seen, and outside the window now */
	RX(39, GBA_OK);
	RX(40, GBA_ERR_REPLAY);
	CU_ASSERT_EQUAL(rx.sn_h, 40);
#undef RX
	gpl_sa_clear(&tx);
	gpl_sa_clear(&rx);
}

static void test_expiry(void)
{
	struct gpl_sa tx, rx;
	uint8_t m[64];
	size_t n;

	mk_sa(&tx, GPL_SUITE_AES128CTR_HMAC256_128);
	mk_sa(&rx, GPL_SUITE_AES128CTR_HMAC256_128);
	GBA_ASSERT_ERR(gpl_protect(&tx, EXPIRY, (const uint8_t *)"x", 1, m,
				   sizeof(m), &n), GBA_ERR_EXPIRED);
	CU_ASSERT_EQUAL(tx.sn_c, 0);
	GBA_ASSERT_ERR(gpl_protect(&tx, EXPIRY - 1, (const uint8_t *)"x", 1, m,
				   sizeof(m), &n), GBA_OK);
	unprotect_is(&rx, EXPIRY, m, n, GBA_ERR_EXPIRED, -1);
	unprotect_is(&rx, UINT64_MAX, m, n, GBA_ERR_EXPIRED, -1);
	unprotect_is(&rx, EXPIRY - 1, m, n, GBA_OK, 'x');
}

static void test_wrong_sa(void)
{
	struct gpl_sa rx;
	uint8_t m[GPL_MSG_MAX];
	size_t n;

	n = gba_test_unhex(M1, m, sizeof(m));
	/* same RAND, another NAF key */
	mk_sa(&rx, GPL_SUITE_AES128CTR_HMAC256_128);
	rx.naf_key[0] ^= 1;
	unprotect_is(&rx, NOW, m, n, GBA_ERR_MAC, -1);
	/* same key, another RAND (another RAND@naf) */
	mk_sa(&rx, GPL_SUITE_AES128CTR_HMAC256_128);
	rx.rand[7] ^= 1;
	unprotect_is(&rx, NOW, m, n, GBA_ERR_UNKNOWN_SA, -1);
	/* differing only past the 8 SA-id octets: the key decides */
	mk_sa(&rx, GPL_SUITE_AES128CTR_HMAC256_128);
	rx.rand[8] ^= 1;
	unprotect_is(&rx, NOW, m, n, GBA_OK, -1);
}

static void test_counter_exhaustion(void)
{
	struct gpl_sa tx, rx, before;
	uint8_t m[64], out[64];
	size_t n, len;

	mk_sa(&tx, GPL_SUITE_AES128CTR_HMAC256_128);
	mk_sa(&rx, GPL_SUITE_AES128CTR_HMAC256_128);
	tx.sn_c = UINT32_MAX - 1;
	GBA_ASSERT_ERR(gpl_protect(&tx, NOW, (const uint8_t *)"last", 4, m,
				   sizeof(m), &n), GBA_OK);
	CU_ASSERT_EQUAL(tx.sn_c, UINT32_MAX);
	CU_ASSERT(memcmp(m + 10, "\xff\xff\xff\xff", 4) == 0);
	memcpy(&before, &tx, sizeof(tx));
	GBA_ASSERT_ERR(gpl_protect(&tx, NOW, (const uint8_t *)"more", 4, out,
				   sizeof(out), &len), GBA_ERR_SQN_EXHAUSTED);
	CU_ASSERT_EQUAL(len, 0);
	CU_ASSERT(memcmp(&tx, &before, sizeof(tx)) == 0);
	/* the receiver takes the last SN, after which nothing is newer */
	unprotect_is(&rx, NOW, m, n, GBA_OK, 'l');
	CU_ASSERT_EQUAL(rx.sn_h, UINT32_MAX);
	unprotect_is(&rx, NOW, m, n, GBA_ERR_REPLAY, -1);
}

static void test_space_and_params(void)
{
	struct gpl_sa sa, before;
	uint8_t pl[GPL_PAYLOAD_MAX + 1], m[GPL_MSG_MAX + 1], out[GPL_MSG_MAX];
	size_t n, len;

	memset(pl, 0x41, sizeof(pl));
	mk_sa(&sa, GPL_SUITE_AES128CTR_HMAC256_128);
	memcpy(&before, &sa, sizeof(sa));
	GBA_ASSERT_ERR(gpl_protect(&sa, NOW, pl, 100, out, 129, &len),
		       GBA_ERR_NO_SPACE);
	GBA_ASSERT_ERR(gpl_protect(&sa, NOW, pl, GPL_PAYLOAD_MAX + 1, m,
				   sizeof(m), &len), GBA_ERR_TOO_LARGE);
	GBA_ASSERT_ERR(gpl_protect(&sa, NOW, NULL, 1, m, sizeof(m), &len),
		       GBA_ERR_BAD_PARAM);
	CU_ASSERT(memcmp(&sa, &before, sizeof(sa)) == 0);
	GBA_ASSERT_ERR(gpl_protect(&sa, NOW, pl, GPL_PAYLOAD_MAX, m,
				   sizeof(m), &n), GBA_OK);
	CU_ASSERT_EQUAL(n, GPL_MSG_MAX);
	mk_sa(&sa, GPL_SUITE_AES128CTR_HMAC256_128);
	memcpy(&before, &sa, sizeof(sa));
	GBA_ASSERT_ERR(gpl_unprotect(&sa, NOW, m, n, out, GPL_PAYLOAD_MAX - 1,
				     &len), GBA_ERR_NO_SPACE);
	CU_ASSERT(memcmp(&sa, &before, sizeof(sa)) == 0);
	GBA_ASSERT_ERR(gpl_unprotect(&sa, NOW, m, n, out, GPL_PAYLOAD_MAX,
				     &len), GBA_OK);
	/* one octet more payload than the limit */
	m[n] = 0;
	GBA_ASSERT_ERR(gpl_unprotect(&sa, NOW, m, n + 1, out, sizeof(out),
				     &len), GBA_ERR_TOO_LARGE);
	/* empty payload is a valid message */
	mk_sa(&sa, GPL_SUITE_AES128CTR_HMAC256_128);
	GBA_ASSERT_ERR(gpl_protect(&sa, NOW, NULL, 0, m, sizeof(m), &n),
		       GBA_OK);
	CU_ASSERT_EQUAL(n, GPL_OVERHEAD_MAX);
	mk_sa(&sa, GPL_SUITE_AES128CTR_HMAC256_128);
	GBA_ASSERT_ERR(gpl_unprotect(&sa, NOW, m, n, NULL, 0, &len), GBA_OK);
	CU_ASSERT_EQUAL(len, 0);
	CU_ASSERT_EQUAL(gpl_protected_len(0x00, 1), 0);
	CU_ASSERT_EQUAL(gpl_protected_len(0x03, 1), 0);
	CU_ASSERT_STRING_EQUAL(gpl_suite_name(GPL_SUITE_NULL_HMAC256_128),
			       "NULL-HMAC256-128");
	CU_ASSERT_STRING_EQUAL(gpl_suite_name(0x77), "unknown");
}

static void test_sa_init_errors(void)
{
	struct gpl_sa sa;
	uint8_t key[32] = { 1 }, rnd[16] = { 2 }, id[GBA_NAF_ID_MAX + 1];
	uint8_t pt[GBA_PTID_MAX + 1];

	memset(id, 'a', sizeof(id));
	memset(pt, 'p', sizeof(pt));
	GBA_ASSERT_ERR(gpl_sa_init(&sa, key, id, 6, rnd, pt, 1, 1, 0x01),
		       GBA_OK);
	GBA_ASSERT_ERR(gpl_sa_init(&sa, key, id, 5, rnd, pt, 1, 1, 0x01),
		       GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gpl_sa_init(&sa, key, id, GBA_NAF_ID_MAX + 1, rnd, pt,
				   1, 1, 0x01), GBA_ERR_TOO_LARGE);
	GBA_ASSERT_ERR(gpl_sa_init(&sa, key, id, 6, rnd, pt, 0, 1, 0x01),
		       GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gpl_sa_init(&sa, key, id, 6, rnd, pt, GBA_PTID_MAX + 1,
				   1, 0x01), GBA_ERR_TOO_LARGE);
	GBA_ASSERT_ERR(gpl_sa_init(&sa, key, id, 6, rnd, pt, 1, 1, 0x00),
		       GBA_ERR_UNSUPPORTED);
	CU_ASSERT_EQUAL(sa.naf_key[0], 0); /* wiped on error */
	GBA_ASSERT_ERR(gpl_sa_init(&sa, NULL, id, 6, rnd, pt, 1, 1, 0x01),
		       GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gpl_sa_init(NULL, key, id, 6, rnd, pt, 1, 1, 0x01),
		       GBA_ERR_BAD_PARAM);
}

static void test_blob(void)
{
	struct gpl_sa sa, got;
	uint8_t exp[GPL_SA_BLOB_LEN + 1], out[GPL_SA_BLOB_LEN + 1];
	uint8_t t[GPL_SA_BLOB_LEN + 1];
	uint8_t m[GPL_MSG_MAX], pl[GPL_MSG_MAX];
	size_t n, i, len;
	static const struct {
		size_t off;
		uint8_t val;
		int err;
	} cases[] = {
		{ 0, 0x02, GBA_ERR_VERSION },
		{ 0, 0x00, GBA_ERR_VERSION },
		{ 1, 0x00, GBA_ERR_UNSUPPORTED },
		{ 1, 0x03, GBA_ERR_UNSUPPORTED },
		{ 50, 0x01, GBA_ERR_TOO_LARGE },   /* naf_id_len 0x0123 */
		{ 51, 0x05, GBA_ERR_MALFORMED },   /* naf_id_len 5: no FQDN */
		{ 51, 0x22, GBA_ERR_MALFORMED },   /* padding becomes data */
		{ 200, 0x01, GBA_ERR_MALFORMED },  /* NAF_Id padding */
		{ 312, 65, GBA_ERR_TOO_LARGE },    /* P-TID length */
		{ 312, 0, GBA_ERR_MALFORMED },
		{ 350, 0x01, GBA_ERR_MALFORMED },  /* P-TID padding */
		{ 396, 0x14, GBA_ERR_MALFORMED },  /* window lost SN_h bit */
		{ 396, 0x35, GBA_ERR_MALFORMED },  /* bit 5 = SN 0 */
		{ 392, 0x00, GBA_ERR_MALFORMED },  /* SN_h 0, window set */
	};

	n = gba_test_unhex(BLOB, exp, sizeof(exp));
	CU_ASSERT_EQUAL(n, GPL_SA_BLOB_LEN);
	mk_sa(&sa, GPL_SUITE_AES128CTR_HMAC256_128);
	sa.sn_c = 7;
	sa.sn_h = 5;
	sa.replay = 0x15;
	GBA_ASSERT_ERR(gpl_sa_encode(&sa, out, GPL_SA_BLOB_LEN - 1),
		       GBA_ERR_NO_SPACE);
	GBA_ASSERT_ERR(gpl_sa_encode(&sa, out, sizeof(out)), GBA_OK);
	GBA_ASSERT_HEX_EQ(out, exp, n);
	GBA_ASSERT_ERR(gpl_sa_decode(exp, n, &got), GBA_OK);
	CU_ASSERT(memcmp(&got, &sa, sizeof(sa)) == 0);
	for (i = 0; i < n; i++)
		GBA_ASSERT_ERR(gpl_sa_decode(exp, i, &got), GBA_ERR_TRUNCATED);
	exp[n] = 0;
	GBA_ASSERT_ERR(gpl_sa_decode(exp, n + 1, &got), GBA_ERR_TRAILING);
	for (i = 0; i < GBA_ARRAY_SIZE(cases); i++) {
		memcpy(t, exp, n);
		t[cases[i].off] = cases[i].val;
		GBA_ASSERT_ERR(gpl_sa_decode(t, n, &got), cases[i].err);
		CU_ASSERT_EQUAL(got.naf_id_len, 0); /* wiped */
	}
	GBA_ASSERT_ERR(gpl_sa_decode(NULL, 0, &got), GBA_ERR_TRUNCATED);

	/* persisted replay state survives: restored SA still rejects SN 5 */
	{
		struct gpl_sa tx;

		mk_sa(&tx, GPL_SUITE_AES128CTR_HMAC256_128);
		tx.sn_c = 4;
		GBA_ASSERT_ERR(gpl_protect(&tx, NOW, (const uint8_t *)"5", 1,
					   m, sizeof(m), &len), GBA_OK);
		GBA_ASSERT_ERR(gpl_sa_decode(exp, n, &got), GBA_OK);
		GBA_ASSERT_ERR(gpl_unprotect(&got, NOW, m, len, pl, sizeof(pl),
					     &len), GBA_ERR_REPLAY);
		gpl_sa_clear(&tx);
	}
	gpl_sa_clear(&got);
	gba_cleanse(out, sizeof(out));
}

GBA_TEST_MAIN("gpl",
	{ "known-answer protect (Python-computed)", test_kat_protect },
	{ "known-answer unprotect", test_kat_unprotect },
	{ "tamper every octet x every value", test_tamper_every_byte },
	{ "null suite: integrity only", test_null_suite_integrity },
	{ "every truncation point", test_truncation },
	{ "replay window", test_replay_window },
	{ "expiry", test_expiry },
	{ "wrong SA (key, RAND@naf)", test_wrong_sa },
	{ "SN_c exhaustion", test_counter_exhaustion },
	{ "output space and parameters", test_space_and_params },
	{ "SA init errors", test_sa_init_errors },
	{ "SA blob: KAT, round trip, errors", test_blob })
