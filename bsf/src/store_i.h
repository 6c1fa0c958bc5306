/*
 * store_i.h - store internals shared by store.c and hss.c only.
 *
 * A struct bsf_conn is one SQLite connection with its prepared-statement
 * cache; it is used by one thread at a time (borrowed from the pool with
 * bsf_conn_get(), returned with bsf_conn_put()).  Statement slots
 * 0..BSF_ST_STORE_MAX-1 belong to store.c, the rest to hss.c.
 */
#ifndef BSF_STORE_I_H
#define BSF_STORE_I_H

#include <sqlite3.h>
#include "store.h"

#define BSF_ST_STORE_MAX 48
#define BSF_ST_SLOTS 64

struct bsf_conn {
	sqlite3 *db;
	sqlite3_stmt *st[BSF_ST_SLOTS];
	struct bsf_conn *next;
	int traced; /* statement trace installed (bsf_store_set_stmt_hook) */
};

int bsf_conn_get(struct bsf_store *st, struct bsf_conn **c) GBA_WARN_UNUSED;
void bsf_conn_put(struct bsf_store *st, struct bsf_conn *c);
/* The cached statement in @slot (prepared on first use), reset and with
 * bindings cleared; NULL on a prepare error. */
sqlite3_stmt *bsf_conn_stmt(struct bsf_conn *c, unsigned slot, const char *sql);
/* Run SQL without results (BEGIN, COMMIT, ...). */
int bsf_conn_exec(struct bsf_conn *c, const char *sql) GBA_WARN_UNUSED;
/* SQLite result code -> enum gba_err (constraint -> GBA_ERR_EXISTS ...). */
int bsf_db_err(int rc);

/* meta table access (key -> integer). */
int bsf_meta_get(struct bsf_conn *c, const char *key, int64_t *v,
		 int *found) GBA_WARN_UNUSED;
int bsf_meta_set(struct bsf_conn *c, const char *key,
		 int64_t v) GBA_WARN_UNUSED;

/* Meta keys. */
#define BSF_META_RUN "hss_run"
#define BSF_META_IND_BITS "ind_bits"
#define BSF_META_SEQ_BLOCK "seq_block"

/*
 * Both backends' connection scopes (store_pg_i.h too): @r = @expr between
 * @get (0: a pooled connection taken) and @put (given back); BSF_TX runs
 * @expr between @begin and @commit, and @rollback when @expr or @commit
 * fails.  The backend gives its own calls and SQL.
 */
#define BSF_WITH(get, put, r, expr)                                            \
	do {                                                                   \
		if (((r) = (get)) == 0) {                                      \
			(r) = (expr);                                          \
			put;                                                   \
		}                                                              \
	} while (0)
#define BSF_TX(get, put, begin, commit, rollback, r, expr)                     \
	do {                                                                   \
		if (((r) = (get)) != 0)                                        \
			break;                                                 \
		if (((r) = (begin)) == 0) {                                    \
			(r) = (expr);                                          \
			if ((r) == GBA_OK)                                     \
				(r) = (commit);                                \
			if ((r) != GBA_OK)                                     \
				(void)(rollback);                              \
		}                                                              \
		put;                                                           \
	} while (0)

/* @r = @expr on a pooled connection @c of @st (no transaction of its own:
 * the caller's autocommit). */
#define WITH_CONN(st, c, r, expr)                                              \
	BSF_WITH(bsf_conn_get((st), &(c)), bsf_conn_put((st), (c)), r, expr)

/* Run @fn inside BEGIN IMMEDIATE .. COMMIT on a pooled connection. */
#define WITH_TX(st, c, r, expr)                                                \
	BSF_TX(bsf_conn_get((st), &(c)), bsf_conn_put((st), (c)),              \
	       bsf_conn_exec((c), "BEGIN IMMEDIATE"),                          \
	       bsf_conn_exec((c), "COMMIT"),                                   \
	       sqlite3_exec((c)->db, "ROLLBACK", NULL, NULL, NULL), r, expr)

#endif
