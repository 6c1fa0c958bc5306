/* see gen.h - synthetic subscribers */
#include <stdio.h>
#include <string.h>
#include "gba/crypto.h"
#include "gba/err.h"
#include "gen.h"
#include "import.h"

#define GEN_REALM_DEFAULT "ims.mnc001.mcc001.3gppnetwork.org"

static const char *prefix_of(const struct bsf_gen *g)
{
	return g->prefix ? g->prefix : "sub";
}

static const char *realm_of(const struct bsf_gen *g)
{
	return g->realm ? g->realm : GEN_REALM_DEFAULT;
}

static int gen_key(const char *label, const char *seed, const char *idx,
		   uint8_t out[16])
{
	uint8_t md[GBA_SHA256_LEN];
	const uint8_t *addr[3] = {(const uint8_t *)label, (const uint8_t *)seed,
				  (const uint8_t *)idx};
	const size_t len[3] = {strlen(label), strlen(seed), strlen(idx)};
	int r = gba_sha256_vec(3, addr, len, md);

	memcpy(out, md, 16);
	gba_cleanse(md, sizeof(md));
	return r;
}

const char *bsf_gen_check(const struct bsf_gen *g)
{
	if (g->count == 0 || g->count > 100000000)
		return "gen needs --count N (1..100000000)";
	if (g->start > 9999999999ULL)
		return "--start: 0..9999999999";
	if (g->start + g->count > 10000000000ULL)
		return "--start + --count beyond 10 digits";
	if (strlen(prefix_of(g)) + 10 + 1 + strlen(realm_of(g)) > BSF_IMPI_MAX)
		return "--prefix/--realm too long";
	return NULL;
}

int bsf_gen_sub(const struct bsf_gen *g, uint64_t n, struct bsf_sub *s)
{
	const char *prefix = prefix_of(g), *realm = realm_of(g);
	const char *seed = g->seed ? g->seed : "gbapush";
	char idx[24];
	int r;

	memset(s, 0, sizeof(*s));
	snprintf(idx, sizeof(idx), "%010llu", (unsigned long long)n);
	snprintf(s->impi, sizeof(s->impi), "%s%s@%s", prefix, idx, realm);
	/* IMSI 00101 + 10 digits; MSISDN +1999 + 10 digits */
	memcpy(s->imsi, "00101", 5);
	memcpy(s->imsi + 5, idx, 11); /* idx: exactly 10 digits */
	snprintf(s->impus[0], sizeof(s->impus[0]), "tel:+1999%s", idx);
	snprintf(s->impus[1], sizeof(s->impus[1]), "sip:%s%s@%s", prefix, idx,
		 realm);
	s->n_impus = 2;
	s->key.alg = GBA_ALG_MILENAGE;
	s->key.k_len = 16;
	if ((r = gen_key("gbapush-gen-k", seed, idx, s->key.k)) != 0 ||
	    (r = gen_key("gbapush-gen-opc", seed, idx, s->key.opc)) != 0)
		bsf_sub_clear(s);
	return r;
}

int bsf_gen_run(struct bsf_store *st, struct bsf_gen *g)
{
	struct bsf_store_batch *b = NULL;
	struct bsf_sub s;
	uint64_t i;
	int64_t id;
	int r;

	g->committed = 0;
	g->failed[0] = '\0';
	memset(&s, 0, sizeof(s));
	if ((r = bsf_store_batch_begin(st, &b)) != 0)
		return r;
	for (i = 0; i < g->count && r == GBA_OK; i++) {
		if ((r = bsf_gen_sub(g, g->start + i, &s)) != 0)
			break;
		r = bsf_store_batch_sub_add(b, &s, NULL, 0, &id);
		if (r == GBA_OK && g->naf_id)
			r = bsf_store_batch_assoc_add(b, g->naf_id, id);
		if (r == GBA_OK && i % BSF_IMPORT_CHUNK == BSF_IMPORT_CHUNK - 1 &&
		    (r = bsf_store_batch_commit(b)) == GBA_OK)
			g->committed = i + 1;
		if (r != GBA_OK)
			memcpy(g->failed, s.impi, sizeof(g->failed));
		if ((i & 1023) == 0 && g->progress)
			g->progress(g->arg, i);
	}
	bsf_sub_clear(&s);
	if (r != GBA_OK) {
		bsf_store_batch_end(b, 0);
		return r;
	}
	return bsf_store_batch_end(b, 1);
}
