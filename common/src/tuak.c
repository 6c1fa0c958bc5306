/* see gba/tuak.h - TS 35.231 clause 6 (TOPc, f1..f5*), Annex C (Keccak) */
#include <string.h>
#include "gba/crypto.h"
#include "gba/tuak.h"

/* ---- Keccak-f[1600] (TS 35.231 Annex C = FIPS 202 clause 3, 24 rounds) */

/* Round constants RC[ir] of the iota step (FIPS 202 3.2.5). */
static const uint64_t keccak_rc[24] = {
	0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
	0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
	0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
	0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
	0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
	0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
	0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
	0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

/*
 * rho and pi combined: walking the lanes in the order pi visits them
 * (x, y) -> (y, 2x + 3y), starting at lane 1, each lane moves to the next
 * position in keccak_pi and is rotated by the matching keccak_rho offset
 * (FIPS 202 3.2.2 table 2, 3.2.3).  Lane index = x + 5y.
 */
static const unsigned char keccak_rho[24] = {
	1,  3,	6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
	27, 41, 56, 8,	25, 43, 62, 18, 39, 61, 20, 44,
};
static const unsigned char keccak_pi[24] = {
	10, 7,	11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
	15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1,
};

static uint64_t rol64(uint64_t x, unsigned n)
{
	/* n is 1..63 here (keccak_rho and theta's 1) */
	return (x << n) | (x >> (64 - n));
}

static void keccak_lanes(uint64_t a[25])
{
	uint64_t c[5], d, t, u;
	unsigned r, x, y, i;

	for (r = 0; r < 24; r++) {
		/* theta */
		for (x = 0; x < 5; x++)
			c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^
			       a[x + 20];
		for (x = 0; x < 5; x++) {
			d = c[(x + 4) % 5] ^ rol64(c[(x + 1) % 5], 1);
			for (y = 0; y < 25; y += 5)
				a[y + x] ^= d;
		}
		/* rho and pi */
		t = a[1];
		for (i = 0; i < 24; i++) {
			u = a[keccak_pi[i]];
			a[keccak_pi[i]] = rol64(t, keccak_rho[i]);
			t = u;
		}
		/* chi: a[x] ^= ~a[x+1] & a[x+2] within each row */
		for (y = 0; y < 25; y += 5) {
			for (x = 0; x < 5; x++)
				c[x] = a[y + x];
			for (x = 0; x < 5; x++)
				a[y + x] = c[x] ^
					   (~c[(x + 1) % 5] & c[(x + 2) % 5]);
		}
		/* iota */
		a[0] ^= keccak_rc[r];
	}
	gba_cleanse(c, sizeof(c));
}

/* Lanes are little-endian 64-bit words of the octet string (FIPS 202 B.1). */
static void keccak_load(uint64_t a[25], const uint8_t st[200])
{
	unsigned i, j;

	for (i = 0; i < 25; i++) {
		a[i] = 0;
		for (j = 0; j < 8; j++)
			a[i] |= (uint64_t)st[8 * i + j] << (8 * j);
	}
}

static void keccak_store(uint8_t st[200], const uint64_t a[25])
{
	unsigned i, j;

	for (i = 0; i < 25; i++)
		for (j = 0; j < 8; j++)
			st[8 * i + j] = (uint8_t)(a[i] >> (8 * j));
}

void gba_keccak_f1600(uint8_t st[GBA_KECCAK_STATE_LEN])
{
	uint64_t a[25];

	keccak_load(a, st);
	keccak_lanes(a);
	keccak_store(st, a);
	gba_cleanse(a, sizeof(a));
}

/* ---- TUAK (TS 35.231 clause 6) ---------------------------------------- */

/*
 * Octet positions in the 200-octet Keccak state (FIPS 202 octet order) of
 * the TUAK input string IN[0..1599] and output string OUT[0..1599]:
 *
 *   IN:  0..31 TOP / TOPc   32 INSTANCE   33..39 ALGONAME "TUAK1.0"
 *        40..55 RAND   56..57 AMF   58..63 SQN   64..95 KEY (K, 128-bit K
 *        followed by zeros)   96 and 135: padding (0x1f ... 0x80)
 *   OUT: 0.. MAC / RES / TOPc   32.. CK   64.. IK   96..101 AK / AK*
 *
 * Each field lands with its octets in reverse order and output values are
 * read back reversed: that is where the clause 6 bit strings fall in FIPS
 * 202 octet order.  The layout was not checked against the spec text; it
 * is confirmed by all six TS 35.233 sets (vectors/tuak_ts35233.txt),
 * which between them exercise every field and every instance size.
 */
#define TUAK_OFF_INSTANCE 32
#define TUAK_OFF_ALGONAME 33
#define TUAK_OFF_RAND 40
#define TUAK_OFF_AMF 56
#define TUAK_OFF_SQN 58
#define TUAK_OFF_KEY 64
#define TUAK_OFF_PAD0 96
#define TUAK_OFF_PAD1 135
#define TUAK_OFF_CK 32
#define TUAK_OFF_IK 64
#define TUAK_OFF_AK 96

/* ALGONAME: the 56-bit ASCII string "TUAK1.0" */
static const uint8_t tuak_algoname[7] = {'T', 'U', 'A', 'K', '1', '.', '0'};

/*
 * INSTANCE, 8 bits, INSTANCE[0] the most significant bit (clause 6):
 *   [0..1]  function: 00 TOPc and f1, 10 f1*, 01 f2..f5, 11 f5*
 *   [2..4]  length of MAC (f1, f1*) or RES (f2): 100 = 256, 010 = 128,
 *           001 = 64, 000 = 32 bits (RES only)
 *   [5]     CK is 256 bits     [6] IK is 256 bits     [7] K is 256 bits
 * (each bit value is confirmed by the TS 35.233 sets, which cover every
 * function and every length)
 */
#define TUAK_INST_F1 0x00
#define TUAK_INST_F1S 0x80
#define TUAK_INST_F2345 0x40
#define TUAK_INST_F5S 0xc0
#define TUAK_INST_CK256 0x04
#define TUAK_INST_IK256 0x02
#define TUAK_INST_K256 0x01

static void put_rev(uint8_t *dst, const uint8_t *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = src[n - 1 - i];
}

/* INSTANCE[2..4] for a MAC or RES length in octets; 0xff if invalid. */
static uint8_t len_code(size_t n, int allow32)
{
	switch (n) {
	case 4:
		return allow32 ? 0x00 : 0xff;
	case 8:
		return 0x08;
	case 16:
		return 0x10;
	case 32:
		return 0x20;
	default:
		return 0xff;
	}
}

static int inst_ok(const struct gba_tuak_inst *inst)
{
	return inst && (inst->k_len == 16 || inst->k_len == 32) &&
	       inst->iterations >= 1 && len_code(inst->mac_len, 0) != 0xff &&
	       len_code(inst->res_len, 1) != 0xff &&
	       (inst->ck_len == 16 || inst->ck_len == 32) &&
	       (inst->ik_len == 16 || inst->ik_len == 32);
}

/*
 * The one Keccak-based core of clause 6: build IN from TOP(c), INSTANCE,
 * RAND, AMF, SQN and K, then OUT = Keccak-f[1600] applied @iterations
 * times.  @rand_, @amf, @sqn may be NULL for the all-zero fields (TOPc has
 * no RAND; f2..f5* have no AMF/SQN).
 */
static void tuak_core(uint8_t st[GBA_KECCAK_STATE_LEN], const uint8_t *top,
		      uint8_t instance, const uint8_t *rand_,
		      const uint8_t *amf, const uint8_t *sqn, const uint8_t *k,
		      size_t k_len, unsigned iterations)
{
	uint64_t a[25];
	unsigned i;

	memset(st, 0, GBA_KECCAK_STATE_LEN);
	put_rev(st, top, GBA_TUAK_TOP_LEN);
	st[TUAK_OFF_INSTANCE] = instance;
	put_rev(st + TUAK_OFF_ALGONAME, tuak_algoname, sizeof(tuak_algoname));
	if (rand_)
		put_rev(st + TUAK_OFF_RAND, rand_, 16);
	if (amf)
		put_rev(st + TUAK_OFF_AMF, amf, 2);
	if (sqn)
		put_rev(st + TUAK_OFF_SQN, sqn, 6);
	put_rev(st + TUAK_OFF_KEY, k, k_len);
	st[TUAK_OFF_PAD0] = 0x1f;
	st[TUAK_OFF_PAD1] = 0x80;

	keccak_load(a, st);
	for (i = 0; i < iterations; i++)
		keccak_lanes(a);
	keccak_store(st, a);
	gba_cleanse(a, sizeof(a));
}

int gba_tuak_topc(const struct gba_tuak_inst *inst, const uint8_t *k,
		  const uint8_t top[32], uint8_t topc[32])
{
	uint8_t st[GBA_KECCAK_STATE_LEN];

	if (!topc)
		return GBA_ERR_BAD_PARAM;
	memset(topc, 0, GBA_TUAK_TOP_LEN);
	if (!inst || !k || !top || (inst->k_len != 16 && inst->k_len != 32) ||
	    inst->iterations < 1)
		return GBA_ERR_BAD_PARAM;
	/* 6.1: INSTANCE = 0000000 || (K is 256 bits); TOPc = OUT[0..255] */
	tuak_core(st, top, inst->k_len == 32 ? TUAK_INST_K256 : 0, NULL, NULL,
		  NULL, k, inst->k_len, inst->iterations);
	put_rev(topc, st, GBA_TUAK_TOP_LEN);
	gba_cleanse(st, sizeof(st));
	return GBA_OK;
}

int gba_tuak(const struct gba_tuak_inst *inst, const uint8_t *k,
	     const uint8_t topc[32], const uint8_t rand[16], const uint8_t *sqn,
	     const uint8_t *amf, unsigned want, struct gba_tuak_out *out)
{
	uint8_t st[GBA_KECCAK_STATE_LEN];
	uint8_t kbit, mac_code, ins;

	if (!out)
		return GBA_ERR_BAD_PARAM;
	memset(out, 0, sizeof(*out));
	if (!inst_ok(inst) || !k || !topc || !rand ||
	    (want & ~(unsigned)GBA_TUAK_ALL) ||
	    ((want & (GBA_TUAK_F1 | GBA_TUAK_F1S)) && (!sqn || !amf)))
		return GBA_ERR_BAD_PARAM;
	kbit = inst->k_len == 32 ? TUAK_INST_K256 : 0;
	mac_code = len_code(inst->mac_len, 0);

	if (want & GBA_TUAK_F1) {
		/* 6.2: MAC-A = OUT[0 .. MAC length - 1] */
		tuak_core(st, topc, TUAK_INST_F1 | mac_code | kbit, rand, amf,
			  sqn, k, inst->k_len, inst->iterations);
		put_rev(out->mac_a, st, inst->mac_len);
	}
	if (want & GBA_TUAK_F1S) {
		/* 6.3: as f1 with INSTANCE[0] = 1; MAC-S = OUT[0 ..] */
		tuak_core(st, topc, TUAK_INST_F1S | mac_code | kbit, rand, amf,
			  sqn, k, inst->k_len, inst->iterations);
		put_rev(out->mac_s, st, inst->mac_len);
	}
	if (want & GBA_TUAK_F2345) {
		/*
		 * 6.4: AMF and SQN are zero.  RES = OUT[0 ..], CK = OUT[256
		 * ..], IK = OUT[512 ..], AK = OUT[768..815]
		 */
		ins = (uint8_t)(TUAK_INST_F2345 | len_code(inst->res_len, 1) |
				(inst->ck_len == 32 ? TUAK_INST_CK256 : 0) |
				(inst->ik_len == 32 ? TUAK_INST_IK256 : 0) |
				kbit);
		tuak_core(st, topc, ins, rand, NULL, NULL, k, inst->k_len,
			  inst->iterations);
		put_rev(out->res, st, inst->res_len);
		put_rev(out->ck, st + TUAK_OFF_CK, inst->ck_len);
		put_rev(out->ik, st + TUAK_OFF_IK, inst->ik_len);
		put_rev(out->ak, st + TUAK_OFF_AK, 6);
	}
	if (want & GBA_TUAK_F5S) {
		/* 6.5: INSTANCE = 11000000 | K bit; AK* = OUT[768..815] */
		tuak_core(st, topc, TUAK_INST_F5S | kbit, rand, NULL, NULL, k,
			  inst->k_len, inst->iterations);
		put_rev(out->ak_s, st + TUAK_OFF_AK, 6);
	}
	gba_cleanse(st, sizeof(st));
	return GBA_OK;
}
