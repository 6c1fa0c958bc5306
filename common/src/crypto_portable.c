/*
 * Portable backend of the crypto port; see gba/crypto.h (style.md section 5).
 *
 * For firmware builds of the UE agent: no heap, no stdio, no OS calls, no
 * global state except the registered random source.  Written from the
 * algorithm specifications, not copied from another implementation:
 *   AES-128 encryption    FIPS 197 (2001) clauses 5.1, 5.3 (key expansion)
 *   CTR mode              NIST SP 800-38A clause 6.5, B.1 (full-block
 *                         big-endian counter increment)
 *   SHA-256, SHA-1        FIPS 180-4 clauses 6.2 and 6.1
 *   HMAC                  FIPS 198-1 / RFC 2104
 *
 * Side channels.  By default AES has no table: SubBytes computes the
 * S-box (FIPS 197 5.1.1: the inverse in GF(2^8) as x^254, then the affine
 * map) on four octets at once in a 32-bit word, with no branch and no
 * memory index that depends on the key or the data.  Building with
 * GBA_AES_TABLES defined selects the older table-based SubBytes (one
 * 256-octet S-box, 9x fewer instructions per block), whose access
 * pattern leaks key bits to a cache-timing attacker on cores with a data
 * cache; only for cores without one where speed matters more
 * (docs/internals/CRYPTO.md).  SHA and HMAC have no secret-dependent
 * branches or indices.  tests/ct/ checks all of this under valgrind.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "gba/crypto.h"

/* ---- wipe, compare, randomness ---- */

/*
 * A memset the optimiser cannot prove to be memset: the call goes through a
 * volatile function pointer, so it cannot be elided as a dead store.
 */
static void *(*const volatile memset_v)(void *, int, size_t) = memset;

void gba_cleanse(void *p, size_t len)
{
	if (!p || !len)
		return;
	memset_v(p, 0, len);
#if defined(__GNUC__) || defined(__clang__)
	/* and tell the compiler the memory is observed afterwards */
	__asm__ __volatile__("" : : "r"(p) : "memory");
#endif
}

int gba_ct_eq(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint32_t d = 0;
	size_t i;

	for (i = 0; i < len; i++)
		d |= (uint32_t)(x[i] ^ y[i]);
	/* d in 0..255: (d - 1) >> 8 has bit 0 set only when d == 0 */
	return (int)(1u & ((d - 1u) >> 8));
}

static gba_rng_fn rng_fn;
static void *rng_arg;

void gba_crypto_set_rng(gba_rng_fn fn, void *arg)
{
	rng_fn = fn;
	rng_arg = arg;
}

int gba_random(uint8_t *buf, size_t len)
{
	if (!buf)
		return len ? GBA_ERR_BAD_PARAM : GBA_OK;
	if (!rng_fn || rng_fn(rng_arg, buf, len) != 0) {
		gba_cleanse(buf, len);
		return GBA_ERR_RANDOM;
	}
	return GBA_OK;
}

const char *gba_crypto_backend(void)
{
	return "portable";
}

/* ---- AES-128 encryption (FIPS 197) ---- */

#ifdef GBA_AES_TABLES
static const uint8_t sbox[256] = {
	0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b,
	0xfe, 0xd7, 0xab, 0x76, 0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0,
	0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0, 0xb7, 0xfd, 0x93, 0x26,
	0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
	0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2,
	0xeb, 0x27, 0xb2, 0x75, 0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0,
	0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84, 0x53, 0xd1, 0x00, 0xed,
	0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
	0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f,
	0x50, 0x3c, 0x9f, 0xa8, 0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5,
	0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2, 0xcd, 0x0c, 0x13, 0xec,
	0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
	0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14,
	0xde, 0x5e, 0x0b, 0xdb, 0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c,
	0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79, 0xe7, 0xc8, 0x37, 0x6d,
	0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
	0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f,
	0x4b, 0xbd, 0x8b, 0x8a, 0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e,
	0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e, 0xe1, 0xf8, 0x98, 0x11,
	0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
	0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f,
	0xb0, 0x54, 0xbb, 0x16,
};

/* SubBytes on each octet of a word, through the table. */
static uint32_t sub_word(uint32_t w)
{
	return (uint32_t)sbox[w >> 24] << 24 |
	       (uint32_t)sbox[(w >> 16) & 0xff] << 16 |
	       (uint32_t)sbox[(w >> 8) & 0xff] << 8 | sbox[w & 0xff];
}

const char *gba_aes128_impl(void)
{
	return "table";
}
#else
/*
 * Four GF(2^8) elements side by side in a 32-bit word (one per octet),
 * reduced modulo m(x) = x^8 + x^4 + x^3 + x + 1 (FIPS 197 4.2).
 */
static uint32_t xtime4(uint32_t x)
{
	return ((x & 0x7f7f7f7fu) << 1) ^ (((x >> 7) & 0x01010101u) * 0x1bu);
}

/* octet-wise product a * b: shift-and-add over the 8 bits of b, masked */
static uint32_t gmul4(uint32_t a, uint32_t b)
{
	uint32_t r = 0;
	unsigned i;

	for (i = 0; i < 8; i++) {
		r ^= a & (((b >> i) & 0x01010101u) * 0xffu);
		a = xtime4(a);
	}
	return r;
}

/*
 * octet-wise square: squaring is linear in GF(2^8), a^2 = sum of a_i x^2i,
 * so bits 0..3 spread to the even positions and bits 4..7 add the reduced
 * x^8 = 0x1b, x^10 = 0x6c, x^12 = 0xab, x^14 = 0x9a (masks, no branch)
 */
static uint32_t sq4(uint32_t a)
{
	return (a & 0x01010101u) ^ ((a & 0x02020202u) << 1) ^
	       ((a & 0x04040404u) << 2) ^ ((a & 0x08080808u) << 3) ^
	       (((a >> 4) & 0x01010101u) * 0x1bu) ^
	       (((a >> 5) & 0x01010101u) * 0x6cu) ^
	       (((a >> 6) & 0x01010101u) * 0xabu) ^
	       (((a >> 7) & 0x01010101u) * 0x9au);
}

/* octet-wise rotate left by k (1..7) */
static uint32_t rotl4(uint32_t y, unsigned k)
{
	uint32_t lo = 0x01010101u * ((1u << k) - 1u); /* low k bits per octet */

	return ((y << k) & ~lo) | ((y >> (8 - k)) & lo);
}

/*
 * SubBytes on each octet of a word (FIPS 197 5.1.1): the multiplicative
 * inverse as x^254 (0 maps to 0), by the addition chain
 * 2 3 6 12 15 30 60 120 240 252 254, then the affine transformation
 * b ^ rotl(b,1) ^ rotl(b,2) ^ rotl(b,3) ^ rotl(b,4) ^ 0x63.
 */
static uint32_t sub_word(uint32_t x)
{
	uint32_t x2 = sq4(x), x3 = gmul4(x2, x);
	uint32_t x12 = sq4(sq4(x3)), x15, y;

	x15 = gmul4(x12, x3);
	y = sq4(x15);	   /* x^30 */
	y = sq4(y);	   /* x^60 */
	y = sq4(y);	   /* x^120 */
	y = sq4(y);	   /* x^240 */
	y = gmul4(y, x12); /* x^252 */
	y = gmul4(y, x2);  /* x^254 */
	return y ^ rotl4(y, 1) ^ rotl4(y, 2) ^ rotl4(y, 3) ^ rotl4(y, 4) ^
	       0x63636363u;
}

const char *gba_aes128_impl(void)
{
	return "constant-time";
}
#endif

int gba_aes128_init(struct gba_aes128 *a, const uint8_t key[GBA_AES_BLOCK])
{
	/* Rcon[i] = x^(i-1) in GF(2^8), FIPS 197 5.2 */
	static const uint8_t rcon[10] = {0x01, 0x02, 0x04, 0x08, 0x10,
					 0x20, 0x40, 0x80, 0x1b, 0x36};
	uint32_t t;
	unsigned i;

	if (!a || !key)
		return GBA_ERR_BAD_PARAM;
	a->impl = NULL;
	for (i = 0; i < 4; i++)
		a->rk[i] = (uint32_t)key[4 * i] << 24 |
			   (uint32_t)key[4 * i + 1] << 16 |
			   (uint32_t)key[4 * i + 2] << 8 | key[4 * i + 3];
	for (i = 4; i < 44; i++) {
		t = a->rk[i - 1];
		if (i % 4 == 0) /* SubWord(RotWord(temp)) xor Rcon[i/Nk] */
			t = sub_word(t << 8 | t >> 24) ^
			    (uint32_t)rcon[i / 4 - 1] << 24;
		a->rk[i] = a->rk[i - 4] ^ t;
	}
	return GBA_OK;
}

/* xtime(): multiplication by x in GF(2^8) without a branch (FIPS 197 4.2.1). */
static uint8_t xtime(uint8_t b)
{
	return (uint8_t)((b << 1) ^ (0x1b & (uint8_t) - (b >> 7)));
}

static void add_round_key(uint8_t s[16], const uint32_t *rk)
{
	unsigned c;

	for (c = 0; c < 4; c++) {
		s[4 * c] ^= (uint8_t)(rk[c] >> 24);
		s[4 * c + 1] ^= (uint8_t)(rk[c] >> 16);
		s[4 * c + 2] ^= (uint8_t)(rk[c] >> 8);
		s[4 * c + 3] ^= (uint8_t)rk[c];
	}
}

/* a big-endian word into one column of the state */
static void put_col(uint8_t *col, uint32_t w)
{
	col[0] = (uint8_t)(w >> 24);
	col[1] = (uint8_t)(w >> 16);
	col[2] = (uint8_t)(w >> 8);
	col[3] = (uint8_t)w;
}

/*
 * SubBytes and ShiftRows in one pass.  The state is column-major as in
 * FIPS 197 3.4: s[r + 4c]; row r rotates left by r columns.
 */
static void sub_shift(uint8_t s[16])
{
	/* column c after ShiftRows takes row r from column c + r; the four
	 * columns are read into words before any is written back */
	uint32_t w0 = (uint32_t)s[0] << 24 | (uint32_t)s[5] << 16 |
		      (uint32_t)s[10] << 8 | s[15];
	uint32_t w1 = (uint32_t)s[4] << 24 | (uint32_t)s[9] << 16 |
		      (uint32_t)s[14] << 8 | s[3];
	uint32_t w2 = (uint32_t)s[8] << 24 | (uint32_t)s[13] << 16 |
		      (uint32_t)s[2] << 8 | s[7];
	uint32_t w3 = (uint32_t)s[12] << 24 | (uint32_t)s[1] << 16 |
		      (uint32_t)s[6] << 8 | s[11];

	put_col(s, sub_word(w0));
	put_col(s + 4, sub_word(w1));
	put_col(s + 8, sub_word(w2));
	put_col(s + 12, sub_word(w3));
}

/* MixColumns (FIPS 197 5.1.3): each column times {03}x^3+{01}x^2+{01}x+{02}. */
static void mix_columns(uint8_t s[16])
{
	unsigned c;

	for (c = 0; c < 4; c++) {
		uint8_t *col = s + 4 * c;
		uint8_t a0 = col[0], a1 = col[1], a2 = col[2], a3 = col[3];
		uint8_t all = (uint8_t)(a0 ^ a1 ^ a2 ^ a3);

		/* s'_r = a_r xor all xor xtime(a_r xor a_(r+1)) */
		col[0] = (uint8_t)(a0 ^ all ^ xtime((uint8_t)(a0 ^ a1)));
		col[1] = (uint8_t)(a1 ^ all ^ xtime((uint8_t)(a1 ^ a2)));
		col[2] = (uint8_t)(a2 ^ all ^ xtime((uint8_t)(a2 ^ a3)));
		col[3] = (uint8_t)(a3 ^ all ^ xtime((uint8_t)(a3 ^ a0)));
	}
}

int gba_aes128_encrypt(struct gba_aes128 *a, const uint8_t in[GBA_AES_BLOCK],
		       uint8_t out[GBA_AES_BLOCK])
{
	uint8_t *s = out; /* the state lives in @out: no copy on the stack */
	unsigned round;

	if (!a || !in || !out)
		return GBA_ERR_BAD_PARAM;
	memmove(s, in, 16);
	add_round_key(s, a->rk);
	for (round = 1; round < 10; round++) {
		sub_shift(s);
		mix_columns(s);
		add_round_key(s, a->rk + 4 * round);
	}
	sub_shift(s);
	add_round_key(s, a->rk + 40);
	return GBA_OK;
}

void gba_aes128_clear(struct gba_aes128 *a)
{
	if (a)
		gba_cleanse(a, sizeof(*a));
}

int gba_aes128_ctr(const uint8_t key[GBA_AES_BLOCK],
		   const uint8_t iv[GBA_AES_BLOCK], const uint8_t *in,
		   uint8_t *out, size_t len)
{
	struct gba_aes128 a;
	uint8_t ctr[16], ks[16];
	size_t off = 0, n, i;
	int r, j;

	if (!key || !iv || (len && (!in || !out)))
		return GBA_ERR_BAD_PARAM;
	if (len == 0)
		return GBA_OK;
	if ((r = gba_aes128_init(&a, key)) != GBA_OK)
		return r;
	memcpy(ctr, iv, 16);
	while (off < len) {
		if ((r = gba_aes128_encrypt(&a, ctr, ks)) != GBA_OK)
			break;
		n = len - off < 16 ? len - off : 16;
		for (i = 0; i < n; i++)
			out[off + i] = (uint8_t)(in[off + i] ^ ks[i]);
		off += n;
		/* SP 800-38A B.1: the whole block is a big-endian counter */
		for (j = 15; j >= 0; j--)
			if (++ctr[j] != 0)
				break;
	}
	gba_aes128_clear(&a);
	gba_cleanse(ks, sizeof(ks));
	gba_cleanse(ctr, sizeof(ctr));
	return r;
}

/* ---- SHA-256 (FIPS 180-4 6.2) and SHA-1 (6.1) ---- */

struct md_ctx {
	uint32_t h[8];
	uint8_t buf[64];
	size_t fill;	/* octets in buf */
	uint64_t total; /* octets hashed */
	int sha1;	/* 1: SHA-1, 0: SHA-256 */
};

static uint32_t rotr(uint32_t x, unsigned n)
{
	return x >> n | x << (32 - n);
}

static uint32_t rotl(uint32_t x, unsigned n)
{
	return x << n | x >> (32 - n);
}

static uint32_t be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static const uint32_t k256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
	/* 16-word rolling message schedule keeps the stack small */
	uint32_t w[16], v[8], t1, t2, s0, s1;
	unsigned t, i;

	for (t = 0; t < 16; t++)
		w[t] = be32(p + 4 * t);
	for (i = 0; i < 8; i++)
		v[i] = h[i];
	for (t = 0; t < 64; t++) {
		if (t >= 16) {
			/* W_t = s1(W_t-2) + W_t-7 + s0(W_t-15) + W_t-16 */
			s0 = w[(t + 1) & 15];
			s0 = rotr(s0, 7) ^ rotr(s0, 18) ^ (s0 >> 3);
			s1 = w[(t + 14) & 15];
			s1 = rotr(s1, 17) ^ rotr(s1, 19) ^ (s1 >> 10);
			w[t & 15] += s0 + s1 + w[(t + 9) & 15];
		}
		/* T1 = h + S1(e) + Ch(e,f,g) + K_t + W_t; T2 = S0(a) +
		 * Maj(a,b,c) */
		t1 = v[7] + (rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25)) +
		     ((v[4] & v[5]) ^ (~v[4] & v[6])) + k256[t] + w[t & 15];
		t2 = (rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22)) +
		     ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		v[7] = v[6];
		v[6] = v[5];
		v[5] = v[4];
		v[4] = v[3] + t1;
		v[3] = v[2];
		v[2] = v[1];
		v[1] = v[0];
		v[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		h[i] += v[i];
	gba_cleanse(w, sizeof(w));
	gba_cleanse(v, sizeof(v));
}

static void sha1_block(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[16], a, b, c, d, e, f, k, tmp;
	unsigned t;

	for (t = 0; t < 16; t++)
		w[t] = be32(p + 4 * t);
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	for (t = 0; t < 80; t++) {
		if (t >= 16) /* W_t = ROTL1(W_t-3 ^ W_t-8 ^ W_t-14 ^ W_t-16) */
			w[t & 15] = rotl(w[(t + 13) & 15] ^ w[(t + 8) & 15] ^
						 w[(t + 2) & 15] ^ w[t & 15],
					 1);
		if (t < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (t < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (t < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		tmp = rotl(a, 5) + f + e + k + w[t & 15];
		e = d;
		d = c;
		c = rotl(b, 30);
		b = a;
		a = tmp;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	gba_cleanse(w, sizeof(w));
}

static void md_init(struct md_ctx *c, int sha1)
{
	static const uint32_t iv256[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
					  0xa54ff53a, 0x510e527f, 0x9b05688c,
					  0x1f83d9ab, 0x5be0cd19};
	static const uint32_t iv1[5] = {0x67452301, 0xefcdab89, 0x98badcfe,
					0x10325476, 0xc3d2e1f0};

	memset(c, 0, sizeof(*c));
	c->sha1 = sha1;
	if (sha1)
		memcpy(c->h, iv1, sizeof(iv1));
	else
		memcpy(c->h, iv256, sizeof(iv256));
}

static void md_block(struct md_ctx *c, const uint8_t *p)
{
	if (c->sha1)
		sha1_block(c->h, p);
	else
		sha256_block(c->h, p);
}

static void md_update(struct md_ctx *c, const uint8_t *p, size_t n)
{
	size_t take;

	c->total += n;
	if (c->fill) {
		take = 64 - c->fill < n ? 64 - c->fill : n;
		memcpy(c->buf + c->fill, p, take);
		c->fill += take;
		p += take;
		n -= take;
		if (c->fill < 64)
			return;
		md_block(c, c->buf);
		c->fill = 0;
	}
	while (n >= 64) {
		md_block(c, p);
		p += 64;
		n -= 64;
	}
	if (n) {
		memcpy(c->buf, p, n);
		c->fill = n;
	}
}

/* Padding (FIPS 180-4 5.1.1): 0x80, zeros, 64-bit big-endian bit length. */
static void md_final(struct md_ctx *c, uint8_t *out)
{
	uint64_t bits = c->total * 8;
	unsigned i, words = c->sha1 ? 5 : 8;

	c->buf[c->fill++] = 0x80;
	if (c->fill > 56) {
		memset(c->buf + c->fill, 0, 64 - c->fill);
		md_block(c, c->buf);
		c->fill = 0;
	}
	memset(c->buf + c->fill, 0, 56 - c->fill);
	for (i = 0; i < 8; i++)
		c->buf[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	md_block(c, c->buf);
	for (i = 0; i < words; i++) {
		out[4 * i] = (uint8_t)(c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->h[i];
	}
	gba_cleanse(c, sizeof(*c));
}

static int md_vec(int sha1, size_t n, const uint8_t *const addr[],
		  const size_t len[], uint8_t *out)
{
	struct md_ctx c;
	size_t i;

	if (n && (!addr || !len))
		return GBA_ERR_BAD_PARAM;
	for (i = 0; i < n; i++)
		if (len[i] && !addr[i])
			return GBA_ERR_BAD_PARAM;
	md_init(&c, sha1);
	for (i = 0; i < n; i++)
		md_update(&c, addr[i], len[i]);
	md_final(&c, out);
	return GBA_OK;
}

int gba_sha256_vec(size_t n, const uint8_t *const addr[], const size_t len[],
		   uint8_t md[GBA_SHA256_LEN])
{
	if (!md)
		return GBA_ERR_BAD_PARAM;
	return md_vec(0, n, addr, len, md);
}

int gba_sha1_vec(size_t n, const uint8_t *const addr[], const size_t len[],
		 uint8_t md[GBA_SHA1_LEN])
{
	if (!md)
		return GBA_ERR_BAD_PARAM;
	return md_vec(1, n, addr, len, md);
}

/* ---- HMAC-SHA-256 (RFC 2104, FIPS 198-1) ---- */

int gba_hmac_sha256_vec(const uint8_t *key, size_t key_len, size_t n,
			const uint8_t *const addr[], const size_t len[],
			uint8_t mac[GBA_SHA256_LEN])
{
	struct md_ctx c;
	uint8_t k0[64], pad[64], inner[GBA_SHA256_LEN];
	size_t i;

	if (!mac)
		return GBA_ERR_BAD_PARAM;
	memset(mac, 0, GBA_SHA256_LEN);
	if ((key_len && !key) || (n && (!addr || !len)))
		return GBA_ERR_BAD_PARAM;
	for (i = 0; i < n; i++)
		if (len[i] && !addr[i])
			return GBA_ERR_BAD_PARAM;
	/* K0: the key, hashed first when longer than the block (RFC 2104 2) */
	memset(k0, 0, sizeof(k0));
	if (key_len > sizeof(k0)) {
		md_init(&c, 0);
		md_update(&c, key, key_len);
		md_final(&c, k0);
	} else if (key_len) {
		memcpy(k0, key, key_len);
	}
	/* inner = H((K0 xor ipad) || text) */
	for (i = 0; i < 64; i++)
		pad[i] = (uint8_t)(k0[i] ^ 0x36);
	md_init(&c, 0);
	md_update(&c, pad, 64);
	for (i = 0; i < n; i++)
		md_update(&c, addr[i], len[i]);
	md_final(&c, inner);
	/* mac = H((K0 xor opad) || inner) */
	for (i = 0; i < 64; i++)
		pad[i] = (uint8_t)(k0[i] ^ 0x5c);
	md_init(&c, 0);
	md_update(&c, pad, 64);
	md_update(&c, inner, sizeof(inner));
	md_final(&c, mac);
	gba_cleanse(k0, sizeof(k0));
	gba_cleanse(pad, sizeof(pad));
	gba_cleanse(inner, sizeof(inner));
	return GBA_OK;
}
