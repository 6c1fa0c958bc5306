/*
 * gen.h - synthetic subscribers for tests and benchmarks (bsf-internal):
 * gba-bsfctl `gen`.  Subscriber i (decimal, 10 digits) of prefix P and
 * realm R: IMPI P<i>@R, IMSI 00101<i>, IMPUs tel:+1999<i> and sip:P<i>@R,
 * Milenage with
 *   K_i   = first 16 octets of SHA-256("gbapush-gen-k"   || seed || i)
 *   OPc_i = first 16 octets of SHA-256("gbapush-gen-opc" || seed || i)
 * so that a test UE can recompute them.  Never for real subscribers.
 */
#ifndef BSF_GEN_H
#define BSF_GEN_H

#include <stdint.h>
#include "store.h"

struct bsf_gen {
	const char *prefix, *realm, *seed; /* NULL: "sub", the test realm,
					    * "gbapush" */
	uint64_t start, count;
	int64_t naf_id; /* 0 or a Push-NAF to associate each with */
	/* called every 1024 subscribers; may be NULL */
	void (*progress)(void *arg, uint64_t done);
	void *arg;
	/* results */
	uint64_t committed; /* subscribers committed before a failure */
	char failed[BSF_IMPI_MAX + 1]; /* the IMPI a store error concerns */
};

/** bsf_gen_check() - the parameters' limits.  Return: NULL, or what is
 * wrong (a usage text). */
const char *bsf_gen_check(const struct bsf_gen *g);

/** bsf_gen_sub() - fill @s as subscriber @n of @g.  Return: GBA_OK or
 * the hash's error. */
int bsf_gen_sub(const struct bsf_gen *g, uint64_t n,
		struct bsf_sub *s) GBA_WARN_UNUSED;

/**
 * bsf_gen_run() - add the @g->count subscribers in batches of
 * BSF_IMPORT_CHUNK.  Return: GBA_OK or the first error (g->failed names
 * the subscriber when the store refused it; g->committed).
 */
int bsf_gen_run(struct bsf_store *st, struct bsf_gen *g) GBA_WARN_UNUSED;

#endif
