/*
 * gba-bench - throughput of the AuC/BSF hot paths on one core.
 *
 *   Milenage AVs/s   gba_aka_av(), a different K and RAND for every AV, so
 *                    every AV runs its own AES key schedule, as an AuC
 *                    serving different subscribers does
 *   bound (7 enc)    the primitive work as the project states it: a fresh
 *                    gba_aes128_init(), 7 gba_aes128_encrypt(),
 *                    gba_aes128_clear() per AV, through the same crypto port
 *   bound (5 enc)    the exact minimum of one Milenage AV with OPc stored:
 *                    key schedule + TEMP, OUT1, OUT2, OUT3, OUT4
 *   TUAK AVs/s       gba_aka_av() with TUAK (TS 35.233 set 1 sizes)
 *   KDF/s            gba_kdf_naf_key() (TS 33.220 B.3)
 *
 * The process pins itself to the CPU it starts on and measures thread CPU
 * time (CLOCK_THREAD_CPUTIME_ID), so other load on the machine inflates
 * wall time but not the figures.  Measurements are interleaved in rounds;
 * each figure is the median over rounds, the ratio is computed per round
 * and its median reported.
 *
 * usage: gba-bench [--rounds N] [--ms MILLISECONDS-PER-BATCH] [--json]
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gba/aka.h"
#include "gba/crypto.h"
#include "gba/kdf.h"

#define MAX_ROUNDS 32

static volatile uint8_t sink;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A different 16-octet value per index (subscriber i). */
static void vary(uint8_t out[16], uint8_t base, uint64_t i)
{
	int j;

	for (j = 0; j < 16; j++)
		out[j] = (uint8_t)(base + j);
	for (j = 0; j < 8; j++)
		out[j] ^= (uint8_t)(i >> (8 * j));
}

/*
 * Subscriber i's record and RAND.  The AV and the bound both build it, so
 * the ratio compares library work only.
 */
static void milenage_sub(uint64_t i, struct gba_auth_key *key, uint8_t rnd[16])
{
	memset(key, 0, sizeof(*key));
	key->alg = GBA_ALG_MILENAGE;
	key->k_len = 16;
	vary(key->k, 0x46, i);
	vary(key->opc, 0xcd, i);
	vary(rnd, 0x23, i);
}

static int op_milenage_av(uint64_t i)
{
	static const uint8_t amf[2] = {0x80, 0x00};
	struct gba_auth_key key;
	struct gba_av av;
	uint8_t rnd[16];

	milenage_sub(i, &key, rnd);
	if (gba_aka_av(&key, rnd, (i & 0xffffffffu) << 5, amf, &av) != GBA_OK)
		return -1;
	sink ^= av.autn[15];
	return 0;
}

static int op_tuak_av(uint64_t i)
{
	static const uint8_t amf[2] = {0x80, 0x00};
	struct gba_auth_key key;
	struct gba_av av;
	uint8_t rnd[16];

	memset(&key, 0, sizeof(key));
	key.alg = GBA_ALG_TUAK;
	key.k_len = 16;
	key.keccak_iterations = 1;
	key.res_len = 8;
	key.ck_len = 16;
	key.ik_len = 16;
	vary(key.k, 0xab, i);
	vary(key.opc, 0xbd, i);
	vary(key.opc + 16, 0x3e, i);
	vary(rnd, 0x42, i);
	if (gba_aka_av(&key, rnd, (i & 0xffffffffu) << 5, amf, &av) != GBA_OK)
		return -1;
	sink ^= av.autn[15];
	return 0;
}

static int bound(uint64_t i, int nenc)
{
	struct gba_auth_key key;
	struct gba_aes128 aes;
	uint8_t b[16];
	int j;

	milenage_sub(i, &key, b);
	if (gba_aes128_init(&aes, key.k) != GBA_OK)
		return -1;
	for (j = 0; j < nenc; j++) {
		if (gba_aes128_encrypt(&aes, b, b) != GBA_OK) {
			gba_aes128_clear(&aes);
			return -1;
		}
	}
	gba_aes128_clear(&aes);
	sink ^= b[0];
	return 0;
}

static int op_bound7(uint64_t i)
{
	return bound(i, 7);
}

static int op_bound5(uint64_t i)
{
	return bound(i, 5);
}

static uint8_t naf_id[GBA_NAF_ID_MAX];
static size_t naf_id_len;

static int op_kdf(uint64_t i)
{
	static const char impi[] =
		"001010123456789@ims.mnc001.mcc001.3gppnetwork.org";
	uint8_t ks[32], rnd[16], out[32];

	vary(ks, 0x11, i);
	vary(ks + 16, 0x22, i);
	vary(rnd, 0x33, i);
	if (gba_kdf_naf_key(ks, 0, rnd, (const uint8_t *)impi, sizeof(impi) - 1,
			    naf_id, naf_id_len, out) != GBA_OK)
		return -1;
	sink ^= out[0];
	return 0;
}

struct bench {
	const char *name;
	int (*fn)(uint64_t i);
	double rate[MAX_ROUNDS];
	int ok;
};

/* Run @fn for at least @secs of thread CPU time; ops per second. */
static double measure(int (*fn)(uint64_t), double secs, uint64_t *ctr, int *ok)
{
	double t0 = now_s(), t;
	uint64_t n = 0;
	int j;

	do {
		for (j = 0; j < 64; j++) {
			if (fn((*ctr)++) != 0) {
				*ok = 0;
				return 0;
			}
		}
		n += 64;
		t = now_s() - t0;
	} while (t < secs);
	return (double)n / t;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const double *v, int n)
{
	double s[MAX_ROUNDS];

	memcpy(s, v, sizeof(double) * (size_t)n);
	qsort(s, (size_t)n, sizeof(double), cmp_d);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	static const uint8_t ua[GBA_UA_ID_LEN] = {0x01, 0x00, 0x00, 0x00, 0x02};
	struct bench b[] = {
		{"milenage_av", op_milenage_av, {0}, 1},
		{"aes_bound_7", op_bound7, {0}, 1},
		{"aes_bound_5", op_bound5, {0}, 1},
		{"tuak_av", op_tuak_av, {0}, 1},
		{"kdf_naf_key", op_kdf, {0}, 1},
	};
	double r7[MAX_ROUNDS], r5[MAX_ROUNDS], med[5];
	int rounds = 7, ms = 200, json = 0, i, cpu;
	uint64_t ctr = 1;
	cpu_set_t set;
	size_t j;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			rounds = (int)strtol(argv[++i], NULL,
					     10); /* checksrc: allow */
		} else if (!strcmp(argv[i], "--ms") && i + 1 < argc) {
			ms = (int)strtol(argv[++i], NULL,
					 10); /* checksrc: allow */
		} else {
			fprintf(stderr,
				"usage: gba-bench [--rounds N] [--ms N] "
				"[--json]\n");
			return 2;
		}
	}
	if (rounds < 1 || rounds > MAX_ROUNDS || ms < 10 || ms > 10000) {
		fprintf(stderr, "gba-bench: --rounds 1..%d, --ms 10..10000\n",
			MAX_ROUNDS);
		return 2;
	}
	cpu = sched_getcpu();
	if (cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) != 0)
			cpu = -1;
	}
	if (gba_naf_id("naf.example.org", ua, naf_id, &naf_id_len) != GBA_OK) {
		fprintf(stderr, "gba-bench: gba_naf_id failed\n");
		return 1;
	}
	/* warm-up: one-time algorithm fetches, page faults, caches */
	for (j = 0; j < GBA_ARRAY_SIZE(b); j++)
		for (i = 0; i < 1000 && b[j].ok; i++)
			if (b[j].fn(ctr++) != 0)
				b[j].ok = 0;
	for (i = 0; i < rounds; i++) {
		for (j = 0; j < GBA_ARRAY_SIZE(b); j++)
			if (b[j].ok)
				b[j].rate[i] = measure(b[j].fn, ms / 1000.0,
						       &ctr, &b[j].ok);
		r7[i] = b[0].rate[i] / b[1].rate[i];
		r5[i] = b[0].rate[i] / b[2].rate[i];
	}
	for (j = 0; j < GBA_ARRAY_SIZE(b); j++)
		med[j] = b[j].ok ? median(b[j].rate, rounds) : 0;
	if (!b[0].ok || !b[1].ok || !b[2].ok || !b[4].ok) {
		fprintf(stderr, "gba-bench: an operation failed\n");
		return 1;
	}
	if (json) {
		printf("{\"backend\":\"%s\",\"cpu\":%d,\"rounds\":%d,"
		       "\"ms_per_batch\":%d,",
		       gba_crypto_backend(), cpu, rounds, ms);
		for (j = 0; j < GBA_ARRAY_SIZE(b); j++)
			printf("\"%s_per_s\":%.0f,", b[j].name, med[j]);
		printf("\"tuak_ok\":%s,\"ratio_av_to_bound7\":%.3f,"
		       "\"ratio_av_to_bound5\":%.3f}\n",
		       b[3].ok ? "true" : "false", median(r7, rounds),
		       median(r5, rounds));
		return 0;
	}
	printf("gba-bench: backend %s, pinned to cpu %d, %d rounds x %d ms "
	       "thread CPU time per batch, medians\n",
	       gba_crypto_backend(), cpu, rounds, ms);
	printf("  Milenage AV (fresh key each)  %12.0f AV/s\n", med[0]);
	printf("  bound: init + 7 AES + clear   %12.0f /s\n", med[1]);
	printf("  bound: init + 5 AES + clear   %12.0f /s\n", med[2]);
	if (b[3].ok)
		printf("  TUAK AV (1 Keccak iteration)  %12.0f AV/s\n", med[3]);
	else
		printf("  TUAK AV                       failed\n");
	printf("  KDF gba_kdf_naf_key           %12.0f /s\n", med[4]);
	printf("  ratio AV / bound(7 AES)       %12.1f %%  (target >= 80 %%)\n",
	       100 * median(r7, rounds));
	printf("  ratio AV / bound(5 AES)       %12.1f %%\n",
	       100 * median(r5, rounds));
	/* split of one AV: E per block from the two bounds, I the rest */
	{
		double e = (1e9 / med[1] - 1e9 / med[2]) / 2;
		double ks = 1e9 / med[2] - 5 * e;

		printf("  derived: AV %.0f ns = key schedule+clear %.0f ns + "
		       "5 x AES %.1f ns + AKA overhead %.0f ns\n",
		       1e9 / med[0], ks, e, 1e9 / med[0] - ks - 5 * e);
	}
	return 0;
}
