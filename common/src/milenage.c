/* see gba/milenage.h - TS 35.206 clause 4.1 */
#include <string.h>
#include "gba/crypto.h"
#include "gba/milenage.h"

static void xor16(uint8_t *d, const uint8_t *a, const uint8_t *b)
{
	int i;

	for (i = 0; i < 16; i++)
		d[i] = a[i] ^ b[i];
}

int gba_milenage_opc(const uint8_t k[16], const uint8_t op[16],
		     uint8_t opc[16])
{
	struct gba_aes128 aes;
	int r;

	/* OPc = OP xor E[OP]K */
	if ((r = gba_aes128_init(&aes, k)) != 0)
		return r;
	r = gba_aes128_encrypt(&aes, op, opc);
	gba_aes128_clear(&aes);
	if (r == GBA_OK)
		xor16(opc, opc, op);
	else
		gba_cleanse(opc, 16);
	return r;
}

/*
 * OUTi = E[rot(TEMP xor OPc, ri) xor ci]K xor OPc, for i = 2..5 with
 * r2..r5 = 0, 32, 64, 96 bits and c2..c5 = 1, 2, 4, 8 in the last octet.
 * Rotation by a whole number of octets is an index offset.
 */
static int out_i(struct gba_aes128 *aes, const uint8_t tmp_x_opc[16],
		 const uint8_t opc[16], unsigned rot_octets, uint8_t c,
		 uint8_t in[16], uint8_t out[16])
{
	unsigned i;
	int r;

	/* @in is the caller's scratch, wiped once by the caller */
	for (i = 0; i < 16; i++)
		in[i] = tmp_x_opc[(i + rot_octets) & 15];
	in[15] ^= c;
	r = gba_aes128_encrypt(aes, in, out);
	xor16(out, out, opc);
	return r;
}

int gba_milenage(const uint8_t k[16], const uint8_t opc[16],
		 const uint8_t rand[16], const uint8_t *sqn,
		 const uint8_t *amf, unsigned want,
		 struct gba_milenage_out *out)
{
	struct gba_aes128 aes;
	/* every secret temporary in one block, wiped with one call at out: */
	struct {
		uint8_t temp[16], txo[16], o[16], in[16];
	} t;
	/* IN1 and the OUT2..OUT5 inputs share one block (small stack) */
	uint8_t *temp = t.temp, *txo = t.txo, *in1 = t.in, *o = t.o;
	int i, r;

	memset(out, 0, sizeof(*out));
	if (!k || !opc || !rand || (want & ~(unsigned)GBA_MILENAGE_ALL) ||
	    ((want & GBA_MILENAGE_F1) && (!sqn || !amf)))
		return GBA_ERR_BAD_PARAM;
	if ((r = gba_aes128_init(&aes, k)) != 0)
		return r;

	/* TEMP = E[RAND xor OPc]K */
	xor16(temp, rand, opc);
	if ((r = gba_aes128_encrypt(&aes, temp, temp)) != 0)
		goto out;
	xor16(txo, temp, opc);

	if (want & GBA_MILENAGE_F1) {
		/*
		 * IN1 = SQN || AMF || SQN || AMF
		 * OUT1 = E[TEMP xor rot(IN1 xor OPc, r1) xor c1]K xor OPc,
		 * r1 = 64 bits, c1 = 0; MAC-A = OUT1[0..63], MAC-S = OUT1[64..127]
		 */
		memcpy(in1, sqn, 6);
		memcpy(in1 + 6, amf, 2);
		memcpy(in1 + 8, in1, 8);
		for (i = 0; i < 16; i++)
			o[(i + 8) & 15] = in1[i] ^ opc[i];
		xor16(o, o, temp);
		if ((r = gba_aes128_encrypt(&aes, o, o)) != 0)
			goto out;
		xor16(o, o, opc);
		memcpy(out->mac_a, o, 8);
		memcpy(out->mac_s, o + 8, 8);
	}
	if (want & GBA_MILENAGE_F2F5) {
		/* OUT2: RES = OUT2[64..127], AK = OUT2[0..47] */
		if ((r = out_i(&aes, txo, opc, 0, 1, t.in, o)) != 0)
			goto out;
		memcpy(out->res, o + 8, 8);
		memcpy(out->ak, o, 6);
	}
	if (want & GBA_MILENAGE_F3) {
		/* OUT3 = CK, r3 = 32 bits */
		if ((r = out_i(&aes, txo, opc, 4, 2, t.in, out->ck)) != 0)
			goto out;
	}
	if (want & GBA_MILENAGE_F4) {
		/* OUT4 = IK, r4 = 64 bits */
		if ((r = out_i(&aes, txo, opc, 8, 4, t.in, out->ik)) != 0)
			goto out;
	}
	if (want & GBA_MILENAGE_F5S) {
		/* OUT5: AK* = OUT5[0..47], r5 = 96 bits */
		if ((r = out_i(&aes, txo, opc, 12, 8, t.in, o)) != 0)
			goto out;
		memcpy(out->ak_s, o, 6);
	}
out:
	gba_aes128_clear(&aes);
	gba_cleanse(&t, sizeof(t));
	if (r != GBA_OK)
		gba_cleanse(out, sizeof(*out));
	return r;
}
