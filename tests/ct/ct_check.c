/*
 * ct_check - constant-time check of the portable crypto backend under
 * valgrind memcheck (the "ctgrind" method): every secret input is marked
 * undefined with VALGRIND_MAKE_MEM_UNDEFINED, so memcheck reports each
 * conditional branch and each memory address computed from a secret
 * ("Conditional jump or move depends on uninitialised value(s)", "Use of
 * uninitialised value of size 8").  Run by ctest as
 *   valgrind --error-exitcode=1 ct_check
 * and fails on the first such report.  Public results (a MAC verdict, a
 * ciphertext) are marked defined again with VALGRIND_MAKE_MEM_DEFINED
 * before the program looks at them.
 *
 * Covered, all from common/src with crypto_portable.c:
 *   AES-128 key schedule and block (FIPS 197), AES-128-CTR (SP 800-38A),
 *   Milenage f1..f5, f1*, f5* and OPc (TS 35.206), HMAC-SHA-256 and the
 *   GBA KDF (TS 33.220 B.2, B.3), SHA-1 (AUTN*, TS 33.220), and the MAC
 *   checks: HMAC tag then gba_ct_eq() against the received tag (GPI tag,
 *   GPL MAC), Milenage XMAC against MAC-A (TS 33.102 6.3.3).
 * Built twice: ct_check (default constant-time AES) must pass;
 * ct_check_tables (GBA_AES_TABLES) must be caught (ctest expects the
 * memcheck report), which shows the check can fail.
 */
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>
#include "gba/crypto.h"
#include "gba/kdf.h"
#include "gba/milenage.h"

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static int fails;

static void check(int r, const char *what)
{
	PUBLIC(&r, sizeof(r));
	if (r != GBA_OK) {
		printf("ct_check: %s failed (%d)\n", what, r);
		fails++;
	}
}

static void fill(uint8_t *b, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(seed + 37 * i);
}

static void aes(void)
{
	struct gba_aes128 a;
	uint8_t key[16], blk[16], iv[16], buf[100];

	fill(key, 16, 1);
	fill(blk, 16, 2);
	fill(iv, 16, 3);
	fill(buf, sizeof(buf), 4);
	SECRET(key, 16);
	SECRET(blk, 16);
	SECRET(buf, sizeof(buf));
	check(gba_aes128_init(&a, key), "AES key schedule");
	check(gba_aes128_encrypt(&a, blk, blk), "AES block");
	gba_aes128_clear(&a);
	/* the IV (counter) is public, the key and the plaintext are not */
	check(gba_aes128_ctr(key, iv, buf, buf, sizeof(buf)), "AES-CTR");
}

static void milenage(void)
{
	struct gba_milenage_out o;
	uint8_t k[16], op[16], opc[16], rand[16], sqn[6], amf[2], mac[8];
	int eq;

	fill(k, 16, 5);
	fill(op, 16, 6);
	fill(rand, 16, 7);
	fill(sqn, 6, 8);
	amf[0] = 0x80;
	amf[1] = 0;
	SECRET(k, 16);
	SECRET(op, 16);
	SECRET(sqn, 6);
	check(gba_milenage_opc(k, op, opc), "Milenage OPc");
	check(gba_milenage(k, opc, rand, sqn, amf, GBA_MILENAGE_ALL, &o),
	      "Milenage f1-f5*");
	/* XMAC == MAC-A: the received MAC is public, XMAC is not */
	memcpy(mac, o.mac_a, 8);
	PUBLIC(mac, 8);
	mac[7] ^= 1;
	eq = gba_ct_eq(o.mac_a, mac, 8);
	PUBLIC(&eq, sizeof(eq));
	if (eq) {
		printf("ct_check: gba_ct_eq said equal\n");
		fails++;
	}
	gba_cleanse(&o, sizeof(o));
}

static void mac_checks(void)
{
	static const uint8_t impi[] = "001010123456789@ims.example.org";
	uint8_t ks[32], rand[16], naf_id[20], nk[32], tag[32], rx[16];
	uint8_t msg[200];
	const uint8_t *a[1] = {msg};
	const size_t l[1] = {sizeof(msg)};
	uint8_t sha1[GBA_SHA1_LEN];
	const uint8_t *a1[1] = {ks};
	const size_t l1[1] = {16};
	int eq;

	fill(ks, 32, 9);
	fill(rand, 16, 10);
	memcpy(naf_id, "naf.example.org\x01\x00\x00\x00\x05", 20);
	fill(msg, sizeof(msg), 11);
	SECRET(ks, 32);
	/* B.3: Ks_NAF = KDF(Ks, "gba-me", RAND, IMPI, NAF_Id) */
	check(gba_kdf_naf_key(ks, 0, rand, impi, sizeof(impi) - 1, naf_id,
			      sizeof(naf_id), nk),
	      "KDF");
	/* a GPI tag or GPL MAC: HMAC-SHA-256 under the NAF key, truncated,
	 * compared in constant time with the received (public) one */
	check(gba_hmac_sha256_vec(nk, 32, 1, a, l, tag), "HMAC-SHA-256");
	memcpy(rx, tag, 16);
	PUBLIC(rx, 16);
	eq = gba_ct_eq(tag, rx, 16);
	PUBLIC(&eq, sizeof(eq));
	if (!eq) {
		printf("ct_check: gba_ct_eq said different\n");
		fails++;
	}
	/* AUTN* = AUTN xor (SHA-1(IK) truncated): IK is secret */
	check(gba_sha1_vec(1, a1, l1, sha1), "SHA-1");
	gba_cleanse(nk, sizeof(nk));
}

int main(void)
{
	printf("ct_check: portable backend, AES %s, %s\n", gba_aes128_impl(),
	       RUNNING_ON_VALGRIND ? "under valgrind"
				   : "NOT under valgrind (no check)");
	if (!RUNNING_ON_VALGRIND)
		return 2; /* without memcheck nothing is checked */
	aes();
	milenage();
	mac_checks();
	return fails ? 1 : 0;
}
