/*
 * store_ops.h - the store's backend interface (bsf-internal).
 *
 * Every function of store.h that touches stored data goes through one
 * table of operations, chosen when the store is opened; store_api.c
 * holds the public functions, each a call through the table.  The
 * daemon, the AuC (hss.c) and gba-bsfctl only use store.h.  Backends:
 *   - SQLite (store.c ...): the embedded default, one file, WAL;
 *   - PostgreSQL (store_pg.c): selected by a libpq URI, postgresql://...
 * A backend's store and batch structs start with struct bsf_store and
 * struct bsf_store_batch (below), so a pointer converts to its own
 * struct.  The operations have the contracts of the store.h functions
 * of the same name; a NULL batch never reaches them, nor a NULL store
 * any but the SQLite table's (its argument checks are the API's).
 */
#ifndef BSF_STORE_OPS_H
#define BSF_STORE_OPS_H

#include "store.h"

/* Where a backend's association listing sends each row: @cb2 (NAF name,
 * IMPI: assoc_list) or @cb1 (NAF name: assoc_list_sub); store_api.c
 * builds it from the caller's callback. */
struct bsf_assoc_cb {
	int (*cb2)(void *arg, const char *naf_name, const char *impi);
	int (*cb1)(void *arg, const char *naf_name);
	void *arg;
};

/* one listed row (@impi unused for @cb1) to @l */
static inline int bsf_assoc_cb_row(const struct bsf_assoc_cb *l,
				   const char *naf_name, const char *impi)
{
	return l->cb2 ? l->cb2(l->arg, naf_name, impi)
		      : l->cb1(l->arg, naf_name);
}

struct bsf_store_ops {
	const char *name; /* "sqlite" */
	void (*close)(struct bsf_store *st);
	const char *(*path)(const struct bsf_store *st);
	int (*schema_version)(struct bsf_store *st, int *version);
	void (*set_stmt_hook)(struct bsf_store *st, bsf_store_stmt_hook hook,
			      void *arg);
	/* Push-NAFs */
	int (*naf_by_cert)(struct bsf_store *st, const char *cert_id,
			   size_t cert_id_len, struct bsf_naf *naf);
	int (*naf_by_name)(struct bsf_store *st, const char *name,
			   struct bsf_naf *naf);
	int (*naf_add)(struct bsf_store *st, const struct bsf_naf *naf,
		       int64_t *id);
	/* bsf_prov_naf_modify(); NULL: the SQLite one (prov_admin.c) */
	int (*naf_modify)(struct bsf_store *st, const struct bsf_naf *naf);
	int (*naf_remove)(struct bsf_store *st, const char *name);
	int (*naf_list)(struct bsf_store *st,
			int (*cb)(void *arg, const struct bsf_naf *naf),
			void *arg);
	/* identities and subscribers */
	int (*resolve)(struct bsf_store *st, const char *ue_id, size_t len,
		       enum bsf_id_type type, int64_t *sub_id, char *impi,
		       size_t impi_cap);
	int (*gba_params)(struct bsf_store *st, int64_t sub_id, unsigned flags,
			  struct bsf_gba_params *p);
	/* bsf_store_sub_add(), or with @replace bsf_store_sub_replace():
	 * the subscriber of the same IMPI replaced, keeping its associations
	 * and its SQN state (gba-bsfctl subscriber modify, import
	 * --on-conflict update) */
	int (*sub_write)(struct bsf_store *st, int replace,
			 const struct bsf_sub *s, const char *guss,
			 size_t guss_len, int64_t *id);
	int (*sub_get_id)(struct bsf_store *st, int64_t sub_id, unsigned flags,
			  struct bsf_sub *s);
	int (*sub_guss)(struct bsf_store *st, int64_t sub_id, char **xml);
	int (*sub_remove)(struct bsf_store *st, const char *impi);
	int (*sub_list)(struct bsf_store *st, unsigned flags,
			int (*cb)(void *arg, const struct bsf_sub *s),
			void *arg);
	int (*sub_count)(struct bsf_store *st, uint64_t *n);
	/* the GPI path: @row may be NULL (bsf_store_ue_lookup()) */
	int (*ue_lookup)(struct bsf_store *st, int64_t naf_id,
			 const char *ue_id, size_t len, enum bsf_id_type type,
			 unsigned flags, struct bsf_ue *ue,
			 struct bsf_key_row *row);
	int (*key_row)(struct bsf_store *st, int64_t sub_id,
		       struct bsf_key_row *row);
	/* associations */
	int (*assoc_check)(struct bsf_store *st, int64_t naf_id,
			   int64_t sub_id);
	int (*assoc_add)(struct bsf_store *st, int64_t naf_id, int64_t sub_id);
	int (*assoc_remove)(struct bsf_store *st, int64_t naf_id,
			    int64_t sub_id);
	int (*assoc_list)(struct bsf_store *st, int64_t naf_id,
			  const struct bsf_assoc_cb *l);
	int (*assoc_list_sub)(struct bsf_store *st, int64_t sub_id,
			      const struct bsf_assoc_cb *l);
	/* shared SQN windows; NULL for a store whose AuC keeps its own */
	int (*sqn_reserve)(struct bsf_store *st, int64_t sub_id, int64_t gen,
			   int64_t floor, int64_t block, int64_t seq_max,
			   int64_t *hi, int64_t *gen_now);
	int (*sqn_lower)(struct bsf_store *st, int64_t sub_id, int64_t seq_ms,
			 int64_t block, int64_t *gen_now);
	int (*sqn_ind_bits)(struct bsf_store *st, unsigned ind_bits);
	/* the single AuC's run counter and per-subscriber floors (hss.c,
	 * docs/hss-store.md section 4); NULL on a shared store */
	int (*sqn_run_prepare)(struct bsf_store *st, unsigned ind_bits,
			       uint32_t seq_block, uint64_t seq_max,
			       int64_t *run, int64_t *max_id);
	int (*sqn_run_start)(struct bsf_store *st, int64_t run_base,
			     int64_t max_id, unsigned ind_bits,
			     uint32_t seq_block, int64_t *run);
	int (*sqn_floor)(struct bsf_store *st, int64_t run, int64_t sub_id,
			 uint64_t floor);
	int (*sqn_floors)(struct bsf_store *st, int64_t run,
			  const int64_t *ids, const uint64_t *floors,
			  size_t n);
	/* bsf_prov_skip_ahead() after a restore: every H to max(H, F) +
	 * @margin, every G + 1, in one transaction; GBA_ERR_STATE while
	 * another session is on the database */
	int (*sqn_skip_ahead)(struct bsf_store *st, int64_t margin,
			      uint64_t *n_subs);
	/* batches */
	int (*batch_begin)(struct bsf_store *st, struct bsf_store_batch **b);
	int (*batch_sub_add)(struct bsf_store_batch *b, const struct bsf_sub *s,
			     const char *guss, size_t guss_len, int64_t *id);
	int (*batch_sub_replace)(struct bsf_store_batch *b,
				 const struct bsf_sub *s, const char *guss,
				 size_t guss_len, int64_t *id);
	int (*batch_assoc_add)(struct bsf_store_batch *b, int64_t naf_id,
			       int64_t sub_id);
	/* NULL where the backend has none (gba-bsfctl copy's target) */
	int (*batch_naf_add)(struct bsf_store_batch *b,
			     const struct bsf_naf *naf, int64_t *id);
	int (*batch_commit)(struct bsf_store_batch *b);
	int (*batch_end)(struct bsf_store_batch *b, int commit);
};

/* The first member of every backend's store. */
struct bsf_store {
	const struct bsf_store_ops *ops;
};

/* The first member of every backend's batch. */
struct bsf_store_batch {
	struct bsf_store *st;
};

/* SQLite (store.c) */
extern const struct bsf_store_ops bsf_store_sqlite_ops;
int bsf_store_sqlite_open(const char *path, unsigned flags,
			  struct bsf_store **out) GBA_WARN_UNUSED;

/* PostgreSQL (store_pg.c) */
extern const struct bsf_store_ops bsf_store_pg_ops;
int bsf_store_pg_open(const char *uri, unsigned flags,
		      struct bsf_store **out) GBA_WARN_UNUSED;

#endif
