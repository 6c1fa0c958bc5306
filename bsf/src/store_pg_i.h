/*
 * store_pg_i.h - the PostgreSQL backend's internals (store_pg*.c,
 * bsf-internal): one pooled libpq connection per caller, parameters,
 * queries.  The backend is described in store_pg.c; its files follow the
 * SQLite side: store_pg.c (connections, schema, pool, batches, the
 * operations table), store_pg_naf.c (Push-NAFs), store_pg_ident.c
 * (identity resolution), store_pg_sub.c (subscribers, GBA parameters, key
 * rows), store_pg_assoc.c (associations, the GPI lookup), store_pg_sqn.c
 * (shared SQN windows, docs/hss-store.md section 4).
 */
#ifndef BSF_STORE_PG_I_H
#define BSF_STORE_PG_I_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <libpq-fe.h>
#include "store_i.h"
#include "store_ops.h"

#define PG_POOL_MAX 16 /* idle connections kept */
#define PG_PARAMS_MAX 16
#define PG_STMTS_MAX 64 /* statements prepared per connection */

struct pg_conn {
	PGconn *db;
	struct pg_conn *next;
	int broken; /* a query failed at the connection level */
	/* statements prepared on this connection as "g<i>" (their text:
	 * the server parses and plans each only once, bsf_pg_q()) */
	unsigned n_stmts;
	char *stmts[PG_STMTS_MAX];
};

struct pg_store {
	struct bsf_store base;
	char *uri;
	unsigned flags;
	pthread_mutex_t lock;
	struct pg_conn *idle;
	unsigned n_idle;
	bsf_store_stmt_hook stmt_hook;
	void *stmt_hook_arg;
};

struct pg_batch {
	struct bsf_store_batch base;
	struct pg_conn *c;
};

#define PG(st) ((struct pg_store *)(st))

extern const struct bsf_store_ops bsf_store_pg_ops;

struct pp {
	int n;
	const char *v[PG_PARAMS_MAX];
	int len[PG_PARAMS_MAX];
	int fmt[PG_PARAMS_MAX];
	char num[PG_PARAMS_MAX][24];
};

static inline void pp_int(struct pp *p, int64_t x)
{
	snprintf(p->num[p->n], sizeof(p->num[0]), "%lld", (long long)x);
	p->v[p->n] = p->num[p->n];
	p->len[p->n] = 0;
	p->fmt[p->n++] = 0;
}

/* @n integers @v[] */
static inline void pp_ints(struct pp *p, const int64_t *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		pp_int(p, v[i]);
}

/* NUL-terminated text; NULL gives SQL NULL */
static inline void pp_text(struct pp *p, const char *s)
{
	p->v[p->n] = s;
	p->len[p->n] = 0;
	p->fmt[p->n++] = 0;
}

/* binary (BYTEA) */
static inline void pp_bin(struct pp *p, const void *b, size_t n)
{
	p->v[p->n] = n ? b : "";
	p->len[p->n] = (int)n;
	p->fmt[p->n++] = 1;
}

static inline int64_t col_i64(const PGresult *r, int row, int col)
{
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

/* @r = @expr on a pooled connection @c of @ps (no transaction of its own);
 * BSF_WITH() and BSF_TX() are in store_i.h */
#define PG_WITH_CONN(ps, c, r, expr)                                           \
	BSF_WITH(bsf_pg_conn_get((ps), &(c)), bsf_pg_conn_put((ps), (c)), r,   \
		 expr)

/* @r = @expr on a pooled connection @c in one read-only snapshot
 * (bsf_pg_conn_read()) */
#define PG_READ(ps, c, r, expr)                                                \
	BSF_WITH(bsf_pg_conn_read((ps), &(c)), bsf_pg_conn_put((ps), (c)), r,  \
		 expr)

/* BEGIN, @fn, COMMIT (ROLLBACK on failure) on a pooled connection */
#define PG_TX(ps, c, r, expr)                                                  \
	BSF_TX(bsf_pg_conn_get((ps), &(c)), bsf_pg_conn_put((ps), (c)),        \
	       bsf_pg_exec((ps), (c), "BEGIN"), bsf_pg_exec((ps), (c), "COMMIT"), \
	       bsf_pg_exec((ps), (c), "ROLLBACK"), r, expr)

/* @r = @expr inside savepoint @name (a string literal) of the caller's
 * transaction on @c: released when @expr gives GBA_OK, else rolled back
 * to, so a failing step leaves the transaction usable */
#define PG_SAVEPOINT(ps, c, name, r, expr)                                     \
	do {                                                                   \
		if (((r) = bsf_pg_exec((ps), (c), "SAVEPOINT " name)) != 0)    \
			break;                                                 \
		(r) = (expr);                                                  \
		(void)bsf_pg_exec((ps), (c),                                   \
				  (r) == GBA_OK                                \
					  ? "RELEASE " name                    \
					  : "ROLLBACK TO " name                \
					    "; RELEASE " name);                \
	} while (0)

/* store_pg.c */
int bsf_pg_q(struct pg_store *ps, struct pg_conn *c, const char *sql,
	     const struct pp *p, PGresult **res);
int bsf_pg_exec(struct pg_store *ps, struct pg_conn *c, const char *sql);
/* bsf_pg_q() of @sql with $1..$@n = @v[] (or $1 = @id), no rows wanted */
int bsf_pg_q_ints(struct pg_store *ps, struct pg_conn *c, const char *sql,
		  const int64_t *v, int n);
int bsf_pg_q_id(struct pg_store *ps, struct pg_conn *c, const char *sql,
		int64_t id);
/* Every row of @sql ($1 = @id) to @row, in order, until @row fails:
 * GBA_OK, the first error of @row, or the query's error (as SQLite's
 * bsf_sq_rows_by_id()) */
int bsf_pg_rows_by_id(struct pg_store *ps, struct pg_conn *c, const char *sql,
		      int64_t id,
		      int (*row)(void *arg, const PGresult *s, int i),
		      void *arg);
/* bsf_pg_q() of a query that wants one row: GBA_OK with *@res on it,
 * GBA_ERR_NOT_FOUND for any other count (nothing kept), or its error */
int bsf_pg_q_row(struct pg_store *ps, struct pg_conn *c, const char *sql,
		 const struct pp *p, PGresult **res);
/* bsf_pg_q_row() of one integer column: *@v (0 on failure) */
int bsf_pg_q_i64(struct pg_store *ps, struct pg_conn *c, const char *sql,
		 const struct pp *p, int64_t *v);
int bsf_pg_col_copy(const PGresult *r, int row, int col, char *out, size_t cap);
int bsf_pg_rows_changed(PGresult *r);
int bsf_pg_conn_get(struct pg_store *ps, struct pg_conn **out);
/* bsf_pg_conn_get() inside one read-only snapshot (REPEATABLE READ READ
 * ONLY): reads of several statements see one state; bsf_pg_conn_put()
 * ends it */
int bsf_pg_conn_read(struct pg_store *ps, struct pg_conn **out);
void bsf_pg_conn_put(struct pg_store *ps, struct pg_conn *c);
int bsf_pg_meta_get(struct pg_store *ps, struct pg_conn *c, const char *key,
		    int64_t *v, int *found);
int bsf_pg_ind_bits(struct pg_store *ps, struct pg_conn *c, unsigned *ind_bits);
int64_t bsf_pg_seq_max(unsigned ind_bits);
/* @sql with @p (may be NULL) alone, autocommit, on a pooled connection
 * of its own; *@res (may be NULL) outlives the connection */
int bsf_pg_q1(struct bsf_store *st, const char *sql, const struct pp *p,
	      PGresult **res);
/* bsf_pg_q1() of @sql with $1..$@n = @v[] that wants one row: GBA_OK
 * with *@res on it, GBA_ERR_NOT_FOUND for any other count, or its error */
int bsf_pg_q1_ints(struct bsf_store *st, const char *sql, const int64_t *v,
		   int n, PGresult **res);
/* bsf_pg_q1() of a change: GBA_ERR_NOT_FOUND when no row changed */
int bsf_pg_q1_changed(struct bsf_store *st, const char *sql,
		      const struct pp *p);
/* DELETE ... WHERE x = @key: GBA_ERR_NOT_FOUND when no row went */
int bsf_pg_del_by_text(struct bsf_store *st, const char *sql, const char *key);

/* store_pg_naf.c */
int bsf_pg_naf_list(struct bsf_store *st,
		    int (*cb)(void *arg, const struct bsf_naf *naf), void *arg);
int bsf_pg_naf_by_cert(struct bsf_store *st, const char *cert_id,
		       size_t cert_id_len, struct bsf_naf *naf);
int bsf_pg_naf_by_name(struct bsf_store *st, const char *name,
		       struct bsf_naf *naf);
int bsf_pg_naf_add_conn(struct pg_store *ps, struct pg_conn *c,
			const struct bsf_naf *naf, int64_t *id);
int bsf_pg_naf_add(struct bsf_store *st, const struct bsf_naf *naf,
		   int64_t *id);
int bsf_pg_naf_modify(struct bsf_store *st, const struct bsf_naf *naf);
int bsf_pg_naf_remove(struct bsf_store *st, const char *name);

/* store_pg_ident.c */
int bsf_pg_resolve_conn(struct pg_store *ps, struct pg_conn *c,
			const char *ue_id, size_t len, enum bsf_id_type type,
			int64_t *sub_id, char *impi, size_t impi_cap);
int bsf_pg_resolve(struct bsf_store *st, const char *ue_id, size_t len,
		   enum bsf_id_type type, int64_t *sub_id, char *impi,
		   size_t impi_cap);

/* store_pg_sub.c */
int bsf_pg_sub_list(struct bsf_store *st, unsigned flags,
		    int (*cb)(void *arg, const struct bsf_sub *s), void *arg);
int bsf_pg_sub_add_conn(struct pg_store *ps, struct pg_conn *c,
			const struct bsf_sub *sub, const char *guss,
			size_t guss_len, int64_t *id);
int bsf_pg_sub_replace_conn(struct pg_store *ps, struct pg_conn *c,
			    const struct bsf_sub *sub, const char *guss,
			    size_t guss_len, int64_t *id);
int bsf_pg_sub_write(struct bsf_store *st, int replace,
		     const struct bsf_sub *s, const char *guss,
		     size_t guss_len, int64_t *id);
int bsf_pg_sub_get_id(struct bsf_store *st, int64_t sub_id, unsigned flags,
		      struct bsf_sub *sub);
int bsf_pg_sub_guss(struct bsf_store *st, int64_t sub_id, char **xml);
int bsf_pg_sub_remove(struct bsf_store *st, const char *impi);
int bsf_pg_sub_count(struct bsf_store *st, uint64_t *n);
int bsf_pg_gba_params_conn(struct pg_store *ps, struct pg_conn *c,
			   int64_t sub_id, unsigned flags,
			   struct bsf_gba_params *p);
int bsf_pg_gba_params(struct bsf_store *st, int64_t sub_id, unsigned flags,
		      struct bsf_gba_params *p);
int bsf_pg_key_row_conn(struct pg_store *ps, struct pg_conn *c, int64_t sub_id,
			struct bsf_key_row *row);
int bsf_pg_key_row(struct bsf_store *st, int64_t sub_id,
		   struct bsf_key_row *row);

/* store_pg_assoc.c */
int bsf_pg_assoc_list(struct bsf_store *st, int64_t naf_id,
		      const struct bsf_assoc_cb *l);
int bsf_pg_assoc_list_sub(struct bsf_store *st, int64_t sub_id,
			  const struct bsf_assoc_cb *l);
int bsf_pg_assoc_check(struct bsf_store *st, int64_t naf_id, int64_t sub_id);
/* the GPI path's lookup in one statement (store_pg_sub.c); 1: not this
 * case (nothing was run, the caller takes the general path) */
int bsf_pg_ue_lookup_one(struct pg_store *ps, struct pg_conn *c,
			 int64_t naf_id, const char *ue_id, size_t len,
			 struct bsf_ue *ue, struct bsf_key_row *row);
int bsf_pg_ue_lookup(struct bsf_store *st, int64_t naf_id, const char *ue_id,
		     size_t len, enum bsf_id_type type, unsigned flags,
		     struct bsf_ue *ue, struct bsf_key_row *row);
/* that one statement in two halves, for the pipelined connection of an
 * HTTPS worker (store_pg_pipe.c): its text; its parameters in @p (from
 * @k, which must outlive @p), 1 when @ue_id is not an IMPI it handles; its
 * result @s (freed) into @ue and @row */
extern const char bsf_pg_ue_one_sql[];
struct bsf_rule_id_keys;
int bsf_pg_ue_one_params(struct bsf_rule_id_keys *k, int64_t naf_id,
			 const char *ue_id, size_t len, struct pp *p);
int bsf_pg_ue_one_take(PGresult *s, struct bsf_ue *ue, struct bsf_key_row *row);
int bsf_pg_assoc_add_conn(struct pg_store *ps, struct pg_conn *c,
			  int64_t naf_id, int64_t sub_id);
int bsf_pg_assoc_add(struct bsf_store *st, int64_t naf_id, int64_t sub_id);
int bsf_pg_assoc_remove(struct bsf_store *st, int64_t naf_id, int64_t sub_id);

/* store_pg_sqn.c */
int bsf_pg_sqn_reserve(struct bsf_store *st, int64_t sub_id, int64_t gen,
		       int64_t floor, int64_t block, int64_t seq_max,
		       int64_t *hi, int64_t *gen_now);
int bsf_pg_sqn_lower(struct bsf_store *st, int64_t sub_id, int64_t seq_ms,
		     int64_t block, int64_t *gen_now);
int bsf_pg_sqn_skip_ahead(struct bsf_store *st, int64_t margin,
			  uint64_t *n_subs);
int bsf_pg_sqn_ind_bits(struct bsf_store *st, unsigned ind_bits);

#endif
