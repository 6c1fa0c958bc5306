/*
 * store_api.c - the public store functions of store.h: each one calls the
 * backend's operation (store_ops.h).  The argument checks (and the rules
 * of store_rules.h) common to every backend are made here, those of the
 * batches all; for the other functions a NULL store goes to the SQLite
 * table, whose checks define the API's answer.
 */
#include <string.h>
#include "gba/crypto.h"
#include "store_loc.h"
#include "store_ops.h"
#include "store_rules.h"

static const struct bsf_store_ops *ops(const struct bsf_store *st)
{
	return st ? st->ops : &bsf_store_sqlite_ops;
}

static const struct bsf_store_ops *bops(const struct bsf_store_batch *b)
{
	return ops(b->st); /* a NULL batch is the API's (below) */
}

int bsf_store_open(const char *path, unsigned flags, struct bsf_store **out)
{
	if (bsf_store_is_pg_uri(path))
		return bsf_store_pg_open(path, flags, out);
	if (bsf_store_loc_conninfo(path)) {
		if (out)
			*out = NULL;
		return GBA_ERR_UNSUPPORTED;
	}
	return bsf_store_sqlite_open(path, flags, out);
}

void bsf_store_close(struct bsf_store *st)
{
	ops(st)->close(st);
}

const char *bsf_store_path(const struct bsf_store *st)
{
	return ops(st)->path(st);
}

int bsf_store_schema_version(struct bsf_store *st, int *version)
{
	return ops(st)->schema_version(st, version);
}

void bsf_store_set_stmt_hook(struct bsf_store *st, bsf_store_stmt_hook hook,
			     void *arg)
{
	ops(st)->set_stmt_hook(st, hook, arg);
}

/* a lookup's result: @naf zeroed unless it succeeded */
static int naf_found(int r, struct bsf_naf *naf)
{
	if (r != GBA_OK)
		memset(naf, 0, sizeof(*naf));
	return r;
}

int bsf_store_naf_by_cert(struct bsf_store *st, const char *cert_id,
			  size_t cert_id_len, struct bsf_naf *naf)
{
	if (naf)
		memset(naf, 0, sizeof(*naf));
	if (st == NULL || cert_id == NULL || naf == NULL)
		return GBA_ERR_BAD_PARAM;
	if (cert_id_len > BSF_CERT_ID_MAX)
		return GBA_ERR_TOO_LARGE;
	/* no stored identity is empty or holds a NUL (bsf_rule_text_ok()) */
	if (cert_id_len == 0 || memchr(cert_id, '\0', cert_id_len))
		return GBA_ERR_NOT_FOUND;
	return naf_found(ops(st)->naf_by_cert(st, cert_id, cert_id_len, naf),
			 naf);
}

int bsf_store_naf_by_name(struct bsf_store *st, const char *name,
			  struct bsf_naf *naf)
{
	if (naf)
		memset(naf, 0, sizeof(*naf));
	if (st == NULL || name == NULL || naf == NULL)
		return GBA_ERR_BAD_PARAM;
	if (strlen(name) > BSF_NAF_NAME_MAX)
		return GBA_ERR_NOT_FOUND;
	return naf_found(ops(st)->naf_by_name(st, name, naf), naf);
}

int bsf_store_naf_add(struct bsf_store *st, const struct bsf_naf *naf,
		      int64_t *id)
{
	int r;

	if (id)
		*id = 0;
	if (st == NULL || !bsf_rule_naf_ok(naf, 0))
		return GBA_ERR_BAD_PARAM;
	r = ops(st)->naf_add(st, naf, id);
	if (r != GBA_OK && id)
		*id = 0;
	return r;
}

int bsf_store_naf_remove(struct bsf_store *st, const char *name)
{
	return ops(st)->naf_remove(st, name);
}

int bsf_store_naf_list(struct bsf_store *st,
		       int (*cb)(void *arg, const struct bsf_naf *naf),
		       void *arg)
{
	return ops(st)->naf_list(st, cb, arg);
}

int bsf_store_resolve(struct bsf_store *st, const char *ue_id, size_t len,
		      enum bsf_id_type type, int64_t *sub_id, char *impi,
		      size_t impi_cap)
{
	int r;

	if (sub_id)
		*sub_id = 0;
	if (impi && impi_cap)
		impi[0] = '\0';
	if (st == NULL || ue_id == NULL || sub_id == NULL ||
	    (impi && impi_cap == 0))
		return GBA_ERR_BAD_PARAM;
	r = ops(st)->resolve(st, ue_id, len, type, sub_id, impi, impi_cap);
	if (r != GBA_OK && impi && impi_cap)
		impi[0] = '\0';
	return r;
}

int bsf_store_gba_params(struct bsf_store *st, int64_t sub_id, unsigned flags,
			 struct bsf_gba_params *p)
{
	int r;

	if (p)
		memset(p, 0, sizeof(*p));
	if (st == NULL || p == NULL)
		return GBA_ERR_BAD_PARAM;
	r = ops(st)->gba_params(st, sub_id, flags, p);
	if (r != GBA_OK)
		bsf_gba_params_clear(p);
	return r;
}

/* bsf_store_sub_add() and bsf_store_sub_replace(): @replace picks the
 * operation; *@id is 0 unless it succeeds */
static int sub_write(struct bsf_store *st, int replace,
		     const struct bsf_sub *s, const char *guss,
		     size_t guss_len, int64_t *id)
{
	int r;

	if (id)
		*id = 0;
	if (st == NULL || s == NULL)
		return GBA_ERR_BAD_PARAM;
	r = ops(st)->sub_write(st, replace, s, guss, guss_len, id);
	if (r != GBA_OK && id)
		*id = 0;
	return r;
}

int bsf_store_sub_add(struct bsf_store *st, const struct bsf_sub *s,
		      const char *guss, size_t guss_len, int64_t *id)
{
	return sub_write(st, 0, s, guss, guss_len, id);
}

int bsf_store_sub_replace(struct bsf_store *st, const struct bsf_sub *s,
			  const char *guss, size_t guss_len, int64_t *id)
{
	return sub_write(st, 1, s, guss, guss_len, id);
}

/* the same on every backend: resolve, then read by id */
int bsf_store_sub_get(struct bsf_store *st, const char *ue_id,
		      enum bsf_id_type type, unsigned flags, struct bsf_sub *s)
{
	int64_t id;
	int r;

	if (s)
		bsf_sub_clear(s);
	if (st == NULL || ue_id == NULL || s == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_store_resolve(st, ue_id, strlen(ue_id), type, &id, NULL,
				   0)) != 0)
		return r;
	return bsf_store_sub_get_id(st, id, flags, s);
}

int bsf_store_sub_get_id(struct bsf_store *st, int64_t sub_id, unsigned flags,
			 struct bsf_sub *s)
{
	return ops(st)->sub_get_id(st, sub_id, flags, s);
}

int bsf_store_sub_guss(struct bsf_store *st, int64_t sub_id, char **xml)
{
	return ops(st)->sub_guss(st, sub_id, xml);
}

int bsf_store_sub_remove(struct bsf_store *st, const char *impi)
{
	return ops(st)->sub_remove(st, impi);
}

int bsf_store_sub_list(struct bsf_store *st, unsigned flags,
		       int (*cb)(void *arg, const struct bsf_sub *s), void *arg)
{
	return ops(st)->sub_list(st, flags, cb, arg);
}

int bsf_store_sub_count(struct bsf_store *st, uint64_t *n)
{
	return ops(st)->sub_count(st, n);
}

/* both lookups: on failure nothing is left but, for an unassociated UE,
 * its id (store.h) */
static int ue_lookup(struct bsf_store *st, int64_t naf_id, const char *ue_id,
		     size_t len, enum bsf_id_type type, unsigned flags,
		     struct bsf_ue *ue, struct bsf_key_row *row)
{
	int r;

	if (ue)
		memset(ue, 0, sizeof(*ue));
	if (st == NULL || ue_id == NULL || ue == NULL)
		return GBA_ERR_BAD_PARAM;
	r = ops(st)->ue_lookup(st, naf_id, ue_id, len, type, flags, ue, row);
	bsf_store_ue_lookup_end(r, ue, row);
	return r;
}

void bsf_store_ue_lookup_end(int r, struct bsf_ue *ue, struct bsf_key_row *row)
{
	int64_t keep;

	if (r == GBA_OK)
		return;
	keep = r == GBA_ERR_NOT_AUTHORIZED ? ue->sub_id : 0;
	bsf_gba_params_clear(&ue->params);
	gba_cleanse(ue, sizeof(*ue));
	ue->sub_id = keep;
	if (row)
		gba_cleanse(row, sizeof(*row));
}

int bsf_store_ue_lookup(struct bsf_store *st, int64_t naf_id, const char *ue_id,
			size_t len, enum bsf_id_type type, unsigned flags,
			struct bsf_ue *ue)
{
	return ue_lookup(st, naf_id, ue_id, len, type, flags, ue, NULL);
}

int bsf_store_ue_lookup_key(struct bsf_store *st, int64_t naf_id,
			    const char *ue_id, size_t len,
			    enum bsf_id_type type, unsigned flags,
			    struct bsf_ue *ue, struct bsf_key_row *row)
{
	return ue_lookup(st, naf_id, ue_id, len, type, flags, ue, row);
}

int bsf_store_key_row(struct bsf_store *st, int64_t sub_id,
		      struct bsf_key_row *row)
{
	int r;

	if (row == NULL)
		return GBA_ERR_BAD_PARAM;
	memset(row, 0, sizeof(*row));
	if (st == NULL || sub_id <= 0)
		return GBA_ERR_BAD_PARAM;
	r = ops(st)->key_row(st, sub_id, row);
	if (r != GBA_OK)
		gba_cleanse(row, sizeof(*row));
	return r;
}

int bsf_store_assoc_check(struct bsf_store *st, int64_t naf_id, int64_t sub_id)
{
	if (st == NULL)
		return GBA_ERR_BAD_PARAM;
	return ops(st)->assoc_check(st, naf_id, sub_id);
}

int bsf_store_assoc_add(struct bsf_store *st, int64_t naf_id, int64_t sub_id)
{
	return ops(st)->assoc_add(st, naf_id, sub_id);
}

int bsf_store_assoc_remove(struct bsf_store *st, int64_t naf_id, int64_t sub_id)
{
	return ops(st)->assoc_remove(st, naf_id, sub_id);
}

int bsf_store_assoc_list(struct bsf_store *st, int64_t naf_id,
			 int (*cb)(void *arg, const char *naf_name,
				   const char *impi),
			 void *arg)
{
	const struct bsf_assoc_cb l = { cb, NULL, arg };

	if (st == NULL || cb == NULL)
		return GBA_ERR_BAD_PARAM;
	return st->ops->assoc_list(st, naf_id, &l);
}

int bsf_store_assoc_list_sub(struct bsf_store *st, int64_t sub_id,
			     int (*cb)(void *arg, const char *naf_name),
			     void *arg)
{
	const struct bsf_assoc_cb l = { NULL, cb, arg };

	if (st == NULL || cb == NULL)
		return GBA_ERR_BAD_PARAM;
	return st->ops->assoc_list_sub(st, sub_id, &l);
}

int bsf_store_batch_begin(struct bsf_store *st, struct bsf_store_batch **b)
{
	if (b == NULL)
		return GBA_ERR_BAD_PARAM;
	*b = NULL;
	if (st == NULL)
		return GBA_ERR_BAD_PARAM;
	return st->ops->batch_begin(st, b);
}

int bsf_store_batch_sub_add(struct bsf_store_batch *b, const struct bsf_sub *s,
			    const char *guss, size_t guss_len, int64_t *id)
{
	if (id)
		*id = 0;
	if (b == NULL || s == NULL)
		return GBA_ERR_BAD_PARAM;
	return bops(b)->batch_sub_add(b, s, guss, guss_len, id);
}

int bsf_store_batch_sub_replace(struct bsf_store_batch *b,
				const struct bsf_sub *s, const char *guss,
				size_t guss_len, int64_t *id)
{
	if (id)
		*id = 0;
	if (b == NULL || s == NULL)
		return GBA_ERR_BAD_PARAM;
	if (!bops(b)->batch_sub_replace)
		return GBA_ERR_UNSUPPORTED;
	return bops(b)->batch_sub_replace(b, s, guss, guss_len, id);
}

int bsf_store_batch_assoc_add(struct bsf_store_batch *b, int64_t naf_id,
			      int64_t sub_id)
{
	if (b == NULL)
		return GBA_ERR_BAD_PARAM;
	return bops(b)->batch_assoc_add(b, naf_id, sub_id);
}

int bsf_store_batch_naf_add(struct bsf_store_batch *b,
			    const struct bsf_naf *naf, int64_t *id)
{
	int r;

	if (id)
		*id = 0;
	if (b == NULL || !bsf_rule_naf_ok(naf, 0))
		return GBA_ERR_BAD_PARAM;
	if (!bops(b)->batch_naf_add)
		return GBA_ERR_UNSUPPORTED;
	/* the same rules as bsf_store_naf_add() */
	r = bops(b)->batch_naf_add(b, naf, id);
	if (r != GBA_OK && id)
		*id = 0;
	return r;
}

int bsf_store_batch_commit(struct bsf_store_batch *b)
{
	if (b == NULL)
		return GBA_ERR_BAD_PARAM;
	return bops(b)->batch_commit(b);
}

int bsf_store_batch_end(struct bsf_store_batch *b, int commit)
{
	if (b == NULL)
		return GBA_OK;
	return bops(b)->batch_end(b, commit);
}

int bsf_store_sqn_shared(const struct bsf_store *st)
{
	return st && st->ops->sqn_reserve != NULL;
}

int bsf_store_sqn_reserve(struct bsf_store *st, int64_t sub_id, int64_t gen,
			  int64_t floor, int64_t block, int64_t seq_max,
			  int64_t *hi, int64_t *gen_now)
{
	if (!bsf_store_sqn_shared(st))
		return GBA_ERR_UNSUPPORTED;
	*hi = 0;
	*gen_now = 0;
	if (block <= 0 || floor < 0)
		return GBA_ERR_BAD_PARAM;
	return st->ops->sqn_reserve(st, sub_id, gen, floor, block, seq_max, hi,
				    gen_now);
}

int bsf_store_sqn_ind_bits(struct bsf_store *st, unsigned ind_bits)
{
	if (!bsf_store_sqn_shared(st) || st->ops->sqn_ind_bits == NULL)
		return GBA_ERR_UNSUPPORTED;
	return st->ops->sqn_ind_bits(st, ind_bits);
}

int bsf_store_sqn_lower(struct bsf_store *st, int64_t sub_id, int64_t seq_ms,
			int64_t block, int64_t *gen_now)
{
	if (!bsf_store_sqn_shared(st))
		return GBA_ERR_UNSUPPORTED;
	*gen_now = 0;
	if (block <= 0 || seq_ms < 0)
		return GBA_ERR_BAD_PARAM;
	return st->ops->sqn_lower(st, sub_id, seq_ms, block, gen_now);
}
