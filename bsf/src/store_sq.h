/*
 * store_sq.h - internals of the SQLite backend of the store, shared by
 * its files (bsf-internal; hss.c uses store_i.h only):
 *   store.c        database, schema, migrations, pool, batches, op table
 *   store_ident.c  identity resolution and the per-GPI lookup
 *   store_naf.c    Push-NAFs
 *   store_sub.c    subscribers, GBA parameters, the AuC's key row
 *   store_assoc.c  SCS - device associations
 *   store_sqn.c    the AuC's durable SQN state (run counter, floors)
 * The backend-independent rules are in store_rules.h.
 */
#ifndef BSF_STORE_SQ_H
#define BSF_STORE_SQ_H

#include "store_i.h"
#include "store_ops.h"

struct bsf_guss; /* guss.h */

/* The SQLite backend's store (store_ops.h: base first). */
struct sq_store {
	struct bsf_store base;
	char *path;
	unsigned flags;
	pthread_mutex_t lock;
	struct bsf_conn *idle;
	unsigned n_idle;
	bsf_store_stmt_hook stmt_hook; /* diagnostics, see store.h */
	void *stmt_hook_arg;
};

#define SQ(st) ((struct sq_store *)(st))
#define SQC(st) ((const struct sq_store *)(st))

/* Statement slots (the store owns 0..BSF_ST_STORE_MAX-1) */
enum {
	ST_META_GET,
	ST_META_SET,
	ST_NAF_BY_CERT,
	ST_NAF_BY_NAME,
	ST_NAF_IDS,
	ST_NAF_INS,
	ST_NAF_ID_INS,
	ST_NAF_DEL,
	ST_NAF_LIST,
	ST_RES_IMPI,
	ST_RES_IMPU,
	ST_ASSOC_CHECK,
	ST_GBA_SUB,
	ST_GBA_USS,
	ST_SUB_INS,
	ST_IMPU_INS,
	ST_SQN_INS,
	ST_USS_INS,
	ST_SUB_GET,
	ST_SUB_IMPUS,
	ST_SUB_GUSS,
	ST_SUB_DEL,
	ST_SUB_LIST,
	ST_SUB_COUNT,
	ST_ASSOC_INS,
	ST_ASSOC_DEL,
	ST_ASSOC_LIST,
	ST_ASSOC_LIST_NAF,
	ST_SUB_EXISTS,
	ST_NAF_EXISTS,
	ST_ASSOC_LIST_SUB,
	ST_BEGIN,
	ST_COMMIT,
	ST_KEY_ROW,
	ST__N
};

_Static_assert(ST__N <= BSF_ST_STORE_MAX, "store statement slots");

/* Operations (bsf_store_sqlite_ops) and helpers shared by the files */
int bsf_sq_assoc_add(struct bsf_store *st, int64_t naf_id, int64_t sub_id);
int bsf_sq_assoc_add_conn(struct bsf_conn *c, int64_t naf_id, int64_t sub_id);
int bsf_sq_assoc_check(struct bsf_store *st, int64_t naf_id, int64_t sub_id);
int bsf_sq_assoc_check_conn(struct bsf_conn *c, int64_t naf_id, int64_t sub_id);
int bsf_sq_assoc_list(struct bsf_store *st, int64_t naf_id,
		      const struct bsf_assoc_cb *l);
int bsf_sq_assoc_list_sub(struct bsf_store *st, int64_t sub_id,
			  const struct bsf_assoc_cb *l);
int bsf_sq_assoc_remove(struct bsf_store *st, int64_t naf_id, int64_t sub_id);
int bsf_sq_batch_assoc_add(struct bsf_store_batch *bb, int64_t naf_id,
			   int64_t sub_id);
int bsf_sq_batch_begin(struct bsf_store *st, struct bsf_store_batch **out);
int bsf_sq_batch_commit(struct bsf_store_batch *bb);
int bsf_sq_batch_end(struct bsf_store_batch *bb, int commit);
int bsf_sq_batch_sub_add(struct bsf_store_batch *bb, const struct bsf_sub *s,
			 const char *guss, size_t guss_len, int64_t *id);
void bsf_sq_close(struct bsf_store *st);
int bsf_sq_col_copy(sqlite3_stmt *s, int col, char *out, size_t cap);
int bsf_sq_del_by_text(struct bsf_store *st, unsigned slot, const char *sql,
		       const char *key);
int bsf_sq_gba_params(struct bsf_store *st, int64_t sub_id, unsigned flags,
		      struct bsf_gba_params *p);
int bsf_sq_gba_params_conn(struct bsf_conn *c, int64_t sub_id, unsigned flags,
			   struct bsf_gba_params *p);
int bsf_sq_key_row(struct bsf_store *st, int64_t sub_id,
		   struct bsf_key_row *row);
int bsf_sq_key_row_conn(struct bsf_conn *c, int64_t sub_id,
			struct bsf_key_row *row);
int bsf_sq_naf_add(struct bsf_store *st, const struct bsf_naf *naf,
		   int64_t *id);
/* The NAF_Ids of @naf (FQDN lower-cased) as rows of NAF @nid, on @c in the
 * caller's transaction; GBA_ERR_BAD_PARAM for an empty FQDN. */
int bsf_sq_naf_ids_insert(struct bsf_conn *c, int64_t nid,
			  const struct bsf_naf *naf);
int bsf_sq_naf_by_cert(struct bsf_store *st, const char *cert_id,
		       size_t cert_id_len, struct bsf_naf *naf);
int bsf_sq_naf_by_name(struct bsf_store *st, const char *name,
		       struct bsf_naf *naf);
int bsf_sq_naf_list(struct bsf_store *st,
		    int (*cb)(void *arg, const struct bsf_naf *naf), void *arg);
int bsf_sq_naf_remove(struct bsf_store *st, const char *name);
const char *bsf_sq_path(const struct bsf_store *st);
int bsf_sq_resolve(struct bsf_store *st, const char *ue_id, size_t len,
		   enum bsf_id_type type, int64_t *sub_id, char *impi,
		   size_t impi_cap);
int bsf_sq_schema_version(struct bsf_store *st, int *version);
void bsf_sq_set_stmt_hook(struct bsf_store *st, bsf_store_stmt_hook hook,
			  void *arg);
int bsf_sq_step_done(struct bsf_conn *c, sqlite3_stmt *s);
/* bsf_sq_step_done(), and GBA_ERR_NOT_FOUND when no row changed */
int bsf_sq_step_changed(struct bsf_conn *c, sqlite3_stmt *s);
/* Cached statement @slot (@sql) with ?1 bound to @id (store.c); NULL on a
 * prepare error, like bsf_conn_stmt(). */
sqlite3_stmt *bsf_sq_stmt_id(struct bsf_conn *c, unsigned slot,
			     const char *sql, int64_t id);
/* Every row of cached statement @slot (@sql, ?1 = @id if it has a
 * parameter) to @row, in order, until @row fails (store.c): GBA_OK, the
 * first error of @row, or the step's error; the statement is reset. */
int bsf_sq_rows_by_id(struct bsf_conn *c, unsigned slot, const char *sql,
		      int64_t id, int (*row)(void *arg, sqlite3_stmt *s),
		      void *arg);
/* @sql with ?1..?@n bound to @v[], prepared (not cached) and run once
 * (store.c): GBA_OK when it is done, else its error */
int bsf_sq_exec_i64(struct bsf_conn *c, const char *sql, const int64_t *v,
		    int n);
/* Cached statement @slot (@sql) with ?1 = @id stepped once: GBA_OK with
 * *@s on the row (the caller resets it), else reset and GBA_ERR_NOT_FOUND,
 * GBA_ERR_DB or the step's error. */
int bsf_sq_row_by_id(struct bsf_conn *c, unsigned slot, const char *sql,
		     int64_t id, sqlite3_stmt **s);
int bsf_sq_sub_add_conn(struct bsf_conn *c, const struct bsf_sub *sub,
			const char *guss, size_t guss_len, int64_t *id);
int bsf_sq_sub_count(struct bsf_store *st, uint64_t *n);
int bsf_sq_sub_write(struct bsf_store *st, int replace,
		     const struct bsf_sub *s, const char *guss,
		     size_t guss_len, int64_t *id);
int bsf_sq_sub_replace_conn(struct bsf_conn *c, const struct bsf_sub *s,
			    const char *guss, size_t guss_len, int64_t *id);
int bsf_sq_batch_sub_replace(struct bsf_store_batch *bb,
			     const struct bsf_sub *s, const char *guss,
			     size_t guss_len, int64_t *id);
int bsf_sq_sub_get_id(struct bsf_store *st, int64_t sub_id, unsigned flags,
		      struct bsf_sub *sub);
int bsf_sq_sub_guss(struct bsf_store *st, int64_t sub_id, char **xml);
int bsf_sq_sub_list(struct bsf_store *st, unsigned flags,
		    int (*cb)(void *arg, const struct bsf_sub *s), void *arg);
int bsf_sq_sub_remove(struct bsf_store *st, const char *impi);
int bsf_sq_ue_lookup(struct bsf_store *st, int64_t naf_id, const char *ue_id,
		     size_t len, enum bsf_id_type type, unsigned flags,
		     struct bsf_ue *ue, struct bsf_key_row *row);
int bsf_sq_uss_insert(struct bsf_conn *c, int64_t sub_id,
		      const struct bsf_guss *g);
/* store_sqn.c: the AuC's run counter and floors (store_ops.h) */
int bsf_sq_sqn_run_prepare(struct bsf_store *st, unsigned ind_bits,
			   uint32_t seq_block, uint64_t seq_max, int64_t *run,
			   int64_t *max_id);
int bsf_sq_sqn_run_start(struct bsf_store *st, int64_t run_base,
			 int64_t max_id, unsigned ind_bits, uint32_t seq_block,
			 int64_t *run);
int bsf_sq_sqn_floor(struct bsf_store *st, int64_t run, int64_t sub_id,
		     uint64_t floor);
int bsf_sq_sqn_floors(struct bsf_store *st, int64_t run, const int64_t *ids,
		      const uint64_t *floors, size_t n);

#endif
