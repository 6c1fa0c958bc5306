/*
 * The portable crypto backend (common/src/crypto_portable.c) against
 * published known answers and against the OpenSSL backend.
 *
 * Both backends live in this one program: crypto_portable.c is compiled in
 * here with every export renamed gba_* -> pt_*, while the gba library
 * linked to every unit test provides the OpenSSL gba_* functions.
 *
 * Known answers (each re-computed with Python `cryptography` 48 / hashlib /
 * hmac before being pasted here):
 *   AES-128      FIPS 197 Appendix B and C.1
 *   AES-128-CTR  NIST SP 800-38A F.5.1 (CTR-AES128.Encrypt)
 *   SHA-256      FIPS 180-4 examples "abc", the 448-bit message, ""
 *   SHA-1        FIPS 180-4 examples "abc", the 448-bit message
 *   HMAC-SHA-256 RFC 4231 test cases 1, 2, 6, 7
 * AES also against OpenSSL on random keys and blocks.  Built twice: the
 * default (table-free) AES and, as test_crypto_portable_tables, the
 * GBA_AES_TABLES variant.
 */
#include <string.h>
#include "gba/crypto.h"
#include "gba_test.h"

#define gba_aes128_init pt_aes128_init
#define gba_aes128_encrypt pt_aes128_encrypt
#define gba_aes128_clear pt_aes128_clear
#define gba_aes128_ctr pt_aes128_ctr
#define gba_hmac_sha256_vec pt_hmac_sha256_vec
#define gba_sha256_vec pt_sha256_vec
#define gba_sha1_vec pt_sha1_vec
#define gba_random pt_random
#define gba_crypto_set_rng pt_crypto_set_rng
#define gba_cleanse pt_cleanse
#define gba_ct_eq pt_ct_eq
#define gba_crypto_backend pt_crypto_backend
#define gba_aes128_impl pt_aes128_impl
/* gba/crypto.h is already included (guarded), so no pt_ prototypes exist */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#include "../../common/src/crypto_portable.c"
#pragma GCC diagnostic pop
#undef gba_aes128_init
#undef gba_aes128_encrypt
#undef gba_aes128_clear
#undef gba_aes128_ctr
#undef gba_hmac_sha256_vec
#undef gba_sha256_vec
#undef gba_sha1_vec
#undef gba_random
#undef gba_crypto_set_rng
#undef gba_cleanse
#undef gba_ct_eq
#undef gba_crypto_backend
#undef gba_aes128_impl

/* Deterministic test input (xorshift64*): reproducible across runs. */
static uint64_t prng_state = 0x9e3779b97f4a7c15ull;

static void prng_fill(uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		prng_state ^= prng_state >> 12;
		prng_state ^= prng_state << 25;
		prng_state ^= prng_state >> 27;
		b[i] = (uint8_t)((prng_state * 0x2545f4914f6cdd1dull) >> 56);
	}
}

static void test_backend_name(void)
{
	CU_ASSERT_STRING_EQUAL(pt_crypto_backend(), "portable");
	CU_ASSERT_STRING_EQUAL(gba_crypto_backend(), "openssl");
	CU_ASSERT_STRING_EQUAL(gba_aes128_impl(), "openssl");
#ifdef GBA_AES_TABLES
	CU_ASSERT_STRING_EQUAL(pt_aes128_impl(), "table");
#else
	/* the default portable AES is the table-free one */
	CU_ASSERT_STRING_EQUAL(pt_aes128_impl(), "constant-time");
#endif
}

static void test_aes_fips197(void)
{
	static const struct {
		const char *k, *p, *c;
	} kat[] = {
		/* FIPS 197 Appendix B */
		{"2b7e151628aed2a6abf7158809cf4f3c",
		 "3243f6a8885a308d313198a2e0370734",
		 "3925841d02dc09fbdc118597196a0b32"},
		/* FIPS 197 Appendix C.1 */
		{"000102030405060708090a0b0c0d0e0f",
		 "00112233445566778899aabbccddeeff",
		 "69c4e0d86a7b0430d8cdb78070b4c55a"},
	};
	size_t i;

	for (i = 0; i < GBA_ARRAY_SIZE(kat); i++) {
		struct gba_aes128 a;
		uint8_t k[16], p[16], c[16], out[16];

		gba_test_unhex(kat[i].k, k, 16);
		gba_test_unhex(kat[i].p, p, 16);
		gba_test_unhex(kat[i].c, c, 16);
		GBA_ASSERT_ERR(pt_aes128_init(&a, k), GBA_OK);
		GBA_ASSERT_ERR(pt_aes128_encrypt(&a, p, out), GBA_OK);
		GBA_ASSERT_HEX_EQ(out, c, 16);
		/* in and out may alias */
		GBA_ASSERT_ERR(pt_aes128_encrypt(&a, p, p), GBA_OK);
		GBA_ASSERT_HEX_EQ(p, c, 16);
		pt_aes128_clear(&a);
	}
}

static void test_ctr_sp800_38a(void)
{
	uint8_t k[16], iv[16], p[64], c[64], out[64];
	size_t cut;

	gba_test_unhex("2b7e151628aed2a6abf7158809cf4f3c", k, 16);
	gba_test_unhex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", iv, 16);
	gba_test_unhex("6bc1bee22e409f96e93d7e117393172a"
		       "ae2d8a571e03ac9c9eb76fac45af8e51"
		       "30c81c46a35ce411e5fbc1191a0a52ef"
		       "f69f2445df4f9b17ad2b417be66c3710",
		       p, 64);
	gba_test_unhex("874d6191b620e3261bef6864990db6ce"
		       "9806f66b7970fdff8617187bb9fffdff"
		       "5ae4df3edbd5d35e5b4f09020db03eab"
		       "1e031dda2fbe03d1792170a0f3009cee",
		       c, 64);
	GBA_ASSERT_ERR(pt_aes128_ctr(k, iv, p, out, 64), GBA_OK);
	GBA_ASSERT_HEX_EQ(out, c, 64);
	/* partial final blocks are a prefix of the keystream */
	for (cut = 0; cut < 64; cut += 7) {
		memset(out, 0, sizeof(out));
		GBA_ASSERT_ERR(pt_aes128_ctr(k, iv, p, out, cut), GBA_OK);
		GBA_ASSERT_HEX_EQ(out, c, cut);
	}
	/* in place */
	GBA_ASSERT_ERR(pt_aes128_ctr(k, iv, p, p, 64), GBA_OK);
	GBA_ASSERT_HEX_EQ(p, c, 64);
}

/* The counter carries across all 128 bits (SP 800-38A B.1). */
static void test_ctr_wrap(void)
{
	uint8_t k[16] = {0}, iv[16], z[40] = {0}, out[40], exp[40];

	memset(iv, 0xff, sizeof(iv));
	/* Python: Cipher(AES(bytes(16)), CTR(b'\xff'*16)).encryptor()
	 * .update(bytes(40)) */
	gba_test_unhex("3f5b8cc9ea855a0afa7347d23e8d664e"
		       "66e94bd4ef8a2c3b884cfa59ca342b2e"
		       "58e2fccefa7e3061",
		       exp, 40);
	GBA_ASSERT_ERR(pt_aes128_ctr(k, iv, z, out, 40), GBA_OK);
	GBA_ASSERT_HEX_EQ(out, exp, 40);
}

static void one_digest(int sha1, const char *msg, const char *hex)
{
	const uint8_t *a[1] = {(const uint8_t *)msg};
	size_t l[1] = {strlen(msg)};
	uint8_t md[32], exp[32];
	size_t n = gba_test_unhex(hex, exp, sizeof(exp));

	if (sha1) {
		GBA_ASSERT_ERR(pt_sha1_vec(1, a, l, md), GBA_OK);
	} else {
		GBA_ASSERT_ERR(pt_sha256_vec(1, a, l, md), GBA_OK);
	}
	GBA_ASSERT_HEX_EQ(md, exp, n);
}

static void test_sha_fips180(void)
{
	static const char m448[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	one_digest(0, "abc",
		   "ba7816bf8f01cfea414140de5dae2223"
		   "b00361a396177a9cb410ff61f20015ad");
	one_digest(0, m448,
		   "248d6a61d20638b8e5c026930c3e6039"
		   "a33ce45964ff2167f6ecedd419db06c1");
	one_digest(0, "",
		   "e3b0c44298fc1c149afbf4c8996fb924"
		   "27ae41e4649b934ca495991b7852b855");
	one_digest(1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d");
	one_digest(1, m448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

static void one_hmac(const uint8_t *key, size_t key_len, const char *msg,
		     const char *hex)
{
	const uint8_t *a[1] = {(const uint8_t *)msg};
	size_t l[1] = {strlen(msg)};
	uint8_t mac[32], exp[32];

	gba_test_unhex(hex, exp, 32);
	GBA_ASSERT_ERR(pt_hmac_sha256_vec(key, key_len, 1, a, l, mac), GBA_OK);
	GBA_ASSERT_HEX_EQ(mac, exp, 32);
	/* the OpenSSL backend's own RFC 2104 construction, same vectors */
	memset(mac, 0, sizeof(mac));
	GBA_ASSERT_ERR(gba_hmac_sha256_vec(key, key_len, 1, a, l, mac), GBA_OK);
	GBA_ASSERT_HEX_EQ(mac, exp, 32);
}

static void test_hmac_rfc4231(void)
{
	uint8_t k1[20], k6[131];

	memset(k1, 0x0b, sizeof(k1));
	memset(k6, 0xaa, sizeof(k6));
	one_hmac(k1, sizeof(k1), "Hi There",
		 "b0344c61d8db38535ca8afceaf0bf12b"
		 "881dc200c9833da726e9376c2e32cff7");
	one_hmac((const uint8_t *)"Jefe", 4, "what do ya want for nothing?",
		 "5bdcc146bf60754e6a042426089575c7"
		 "5a003f089d2739839dec58b964ec3843");
	one_hmac(k6, sizeof(k6),
		 "Test Using Larger Than Block-Size Key - Hash Key First",
		 "60e431591ee0b67f0d8a26aacbf5b77f"
		 "8e0bc6213728c5140546040f0ee37f54");
	one_hmac(k6, sizeof(k6),
		 "This is a test using a larger than block-size key and a "
		 "larger than block-size data. The key needs to be hashed "
		 "before being used by the HMAC algorithm.",
		 "9b09ffa71b942fcb27635fbcd5b0e944"
		 "bfdc63644f0713938a7f51535c3a35e2");
}

/*
 * Random inputs of every length 0..300 (covering the 55/56/63/64-octet
 * padding boundaries) split into up to three fragments at random points,
 * portable vs OpenSSL.
 */
static void test_random_vs_openssl(void)
{
	uint8_t msg[300], key[140], a1[32], a2[32], iv[16], k[16];
	uint8_t c1[300], c2[300];
	size_t len, cut1, cut2, key_len;

	for (len = 0; len <= sizeof(msg); len++) {
		const uint8_t *addr[3];
		size_t l[3];
		uint8_t r[3];

		prng_fill(msg, len);
		prng_fill(r, 3);
		cut1 = len ? r[0] % (len + 1) : 0;
		cut2 = cut1 + (len - cut1 ? r[1] % (len - cut1 + 1) : 0);
		addr[0] = msg;
		l[0] = cut1;
		addr[1] = msg + cut1;
		l[1] = cut2 - cut1;
		addr[2] = msg + cut2;
		l[2] = len - cut2;

		GBA_ASSERT_ERR(pt_sha256_vec(3, addr, l, a1), GBA_OK);
		GBA_ASSERT_ERR(gba_sha256_vec(3, addr, l, a2), GBA_OK);
		GBA_ASSERT_HEX_EQ(a1, a2, 32);

		GBA_ASSERT_ERR(pt_sha1_vec(3, addr, l, a1), GBA_OK);
		GBA_ASSERT_ERR(gba_sha1_vec(3, addr, l, a2), GBA_OK);
		GBA_ASSERT_HEX_EQ(a1, a2, 20);

		key_len =
			r[2] % sizeof(key); /* 0..139: short and hashed keys */
		prng_fill(key, key_len);
		GBA_ASSERT_ERR(pt_hmac_sha256_vec(key, key_len, 3, addr, l, a1),
			       GBA_OK);
		GBA_ASSERT_ERR(
			gba_hmac_sha256_vec(key, key_len, 3, addr, l, a2),
			GBA_OK);
		GBA_ASSERT_HEX_EQ(a1, a2, 32);

		prng_fill(k, 16);
		prng_fill(iv, 16);
		if (len % 5 == 0) /* exercise the carry across octets */
			memset(iv + 12, 0xff, 4);
		GBA_ASSERT_ERR(pt_aes128_ctr(k, iv, msg, c1, len), GBA_OK);
		GBA_ASSERT_ERR(gba_aes128_ctr(k, iv, msg, c2, len), GBA_OK);
		GBA_ASSERT_HEX_EQ(c1, c2, len);
	}
}

static void test_random_aes_blocks(void)
{
	struct gba_aes128 p, o;
	uint8_t k[16], in[16], x[16], y[16];
	int i;

	for (i = 0; i < 2000; i++) {
		prng_fill(k, 16);
		prng_fill(in, 16);
		GBA_ASSERT_ERR(pt_aes128_init(&p, k), GBA_OK);
		GBA_ASSERT_ERR(gba_aes128_init(&o, k), GBA_OK);
		GBA_ASSERT_ERR(pt_aes128_encrypt(&p, in, x), GBA_OK);
		GBA_ASSERT_ERR(gba_aes128_encrypt(&o, in, y), GBA_OK);
		GBA_ASSERT_HEX_EQ(x, y, 16);
		pt_aes128_clear(&p);
		gba_aes128_clear(&o);
	}
}

static void test_ct_eq_and_cleanse(void)
{
	uint8_t a[33], b[33], zero[33] = {0};
	size_t i;

	prng_fill(a, sizeof(a));
	memcpy(b, a, sizeof(a));
	CU_ASSERT_EQUAL(pt_ct_eq(a, b, sizeof(a)), 1);
	CU_ASSERT_EQUAL(pt_ct_eq(a, b, 0), 1);
	for (i = 0; i < sizeof(a); i++) {
		b[i] ^= 0x80;
		CU_ASSERT_EQUAL(pt_ct_eq(a, b, sizeof(a)), 0);
		b[i] ^= 0x81;
		CU_ASSERT_EQUAL(pt_ct_eq(a, b, sizeof(a)), 0);
		b[i] ^= 0x01;
	}
	pt_cleanse(a, sizeof(a));
	GBA_ASSERT_HEX_EQ(a, zero, sizeof(a));
	pt_cleanse(NULL, 4); /* NULL-safe */
}

static int rng_calls;

static int fake_rng(void *arg, uint8_t *buf, size_t len)
{
	rng_calls++;
	if (arg)
		return -1;
	memset(buf, 0xa5, len);
	return 0;
}

static void test_random_callback(void)
{
	uint8_t b[8], exp[8], zero[8] = {0};
	int fail = 1;

	memset(exp, 0xa5, sizeof(exp));
	memset(b, 0x11, sizeof(b));
	pt_crypto_set_rng(NULL, NULL);
	GBA_ASSERT_ERR(pt_random(b, sizeof(b)), GBA_ERR_RANDOM);
	GBA_ASSERT_HEX_EQ(b, zero, sizeof(b));
	pt_crypto_set_rng(fake_rng, NULL);
	GBA_ASSERT_ERR(pt_random(b, sizeof(b)), GBA_OK);
	GBA_ASSERT_HEX_EQ(b, exp, sizeof(b));
	pt_crypto_set_rng(fake_rng, &fail);
	GBA_ASSERT_ERR(pt_random(b, sizeof(b)), GBA_ERR_RANDOM);
	GBA_ASSERT_HEX_EQ(b, zero, sizeof(b));
	CU_ASSERT_EQUAL(rng_calls, 2);
	pt_crypto_set_rng(NULL, NULL);
}

static void test_bad_params(void)
{
	uint8_t md[32];
	size_t l[1] = {1};
	const uint8_t *a[1] = {NULL};

	GBA_ASSERT_ERR(pt_sha256_vec(1, a, l, md), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(pt_hmac_sha256_vec(NULL, 3, 0, NULL, NULL, md),
		       GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_hmac_sha256_vec(NULL, 3, 0, NULL, NULL, md),
		       GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(pt_aes128_init(NULL, md), GBA_ERR_BAD_PARAM);
}

GBA_TEST_MAIN("crypto_portable",
	{"backend name", test_backend_name},
	{"AES-128 FIPS 197", test_aes_fips197},
	{"AES-128-CTR SP 800-38A F.5.1", test_ctr_sp800_38a},
	{"CTR 128-bit counter wrap", test_ctr_wrap},
	{"SHA-256/SHA-1 FIPS 180", test_sha_fips180},
	{"HMAC-SHA-256 RFC 4231", test_hmac_rfc4231},
	{"random inputs vs OpenSSL", test_random_vs_openssl},
	{"random AES blocks vs OpenSSL", test_random_aes_blocks},
	{"ct_eq and cleanse", test_ct_eq_and_cleanse},
	{"random callback", test_random_callback},
	{"bad parameters", test_bad_params})
