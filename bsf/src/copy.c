/* see copy.h - one store into another through the store interface */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gba/err.h"
#include "copy.h"

/* Push-NAF names of the source and their ids in the target */
struct naf_map {
	struct {
		char name[BSF_NAF_NAME_MAX + 1];
		int64_t id;
	} *e;
	size_t n, cap;
};

struct copy_ctx {
	struct bsf_store *from;
	struct bsf_store_batch *b;
	struct bsf_copy *cp;
	struct naf_map map;
	uint64_t total;
	int64_t sub_new; /* target id of the subscriber being copied */
	int err;
};

static int count_naf(void *arg, const struct bsf_naf *naf)
{
	(void)naf;
	++*(uint64_t *)arg;
	return 0;
}

static int naf_cb(void *arg, const struct bsf_naf *naf)
{
	struct copy_ctx *x = arg;
	struct naf_map *m = &x->map;
	int64_t id = 0;
	int r;

	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 16;
		void *e = realloc(m->e, cap * sizeof(*m->e));

		if (e == NULL)
			return GBA_ERR_NOMEM;
		m->e = e;
		m->cap = cap;
	}
	if ((r = bsf_store_batch_naf_add(x->b, naf, &id)) != GBA_OK) {
		snprintf(x->cp->failed, sizeof(x->cp->failed), "%s",
			 naf->name);
		return r;
	}
	memcpy(m->e[m->n].name, naf->name, sizeof(m->e[m->n].name));
	m->e[m->n++].id = id;
	x->cp->n_nafs++;
	return 0;
}

static int assoc_cb(void *arg, const char *naf_name)
{
	struct copy_ctx *x = arg;
	size_t i;
	int r;

	for (i = 0; i < x->map.n; i++)
		if (strcmp(x->map.e[i].name, naf_name) == 0)
			break;
	if (i == x->map.n)
		return GBA_ERR_NOT_FOUND; /* changed under us */
	r = bsf_store_batch_assoc_add(x->b, x->map.e[i].id, x->sub_new);
	if (r == GBA_OK)
		x->cp->n_assocs++;
	return r;
}

static int sub_cb(void *arg, const struct bsf_sub *s)
{
	struct copy_ctx *x = arg;
	char *guss = NULL;
	int r;

	/* s->sqn: the bound (copy.h), the new row's floor */
	if (s->has_guss && (r = bsf_store_sub_guss(x->from, s->id, &guss)))
		return r;
	r = bsf_store_batch_sub_add(x->b, s, guss,
				    guss ? strlen(guss) : 0, &x->sub_new);
	free(guss);
	if (r != GBA_OK) {
		memcpy(x->cp->failed, s->impi, sizeof(x->cp->failed));
		return r;
	}
	if ((r = bsf_store_assoc_list_sub(x->from, s->id, assoc_cb, x)) != 0)
		return r;
	x->cp->n_subs++;
	if (x->cp->progress && (x->cp->n_subs & 1023) == 0)
		x->cp->progress(x->cp->arg, x->cp->n_subs, x->total);
	return 0;
}

int bsf_store_copy(struct bsf_store *from, struct bsf_store *to,
		   struct bsf_copy *cp)
{
	struct copy_ctx x;
	uint64_t n_to = 0, nafs_to = 0;
	int r;

	cp->n_nafs = cp->n_subs = cp->n_assocs = 0;
	cp->failed[0] = '\0';
	memset(&x, 0, sizeof(x));
	x.from = from;
	x.cp = cp;
	if ((r = bsf_store_sub_count(to, &n_to)) != 0 ||
	    (r = bsf_store_naf_list(to, count_naf, &nafs_to)) != 0 ||
	    (r = bsf_store_sub_count(from, &x.total)) != 0)
		return r;
	if ((n_to || nafs_to) && !cp->force)
		return GBA_ERR_EXISTS;
	if ((r = bsf_store_batch_begin(to, &x.b)) != 0)
		return r;
	r = bsf_store_naf_list(from, naf_cb, &x);
	if (r == GBA_OK)
		r = bsf_store_sub_list(from, BSF_SUB_SECRETS, sub_cb, &x);
	free(x.map.e);
	if (r != GBA_OK) {
		bsf_store_batch_end(x.b, 0);
		return r;
	}
	r = bsf_store_batch_end(x.b, 1);
	if (r == GBA_OK && cp->progress)
		cp->progress(cp->arg, cp->n_subs, x.total);
	return r;
}
