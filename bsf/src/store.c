/* see store.h - the SQLite backend: database, schema, migrations,
 * connection pool, batches and the table of operations (store_sq.h).
 * Schema and rules: docs/hss-store.md. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "gba/sqn.h"
#include "gba/utf8_nfkc.h"
#include "guss.h"
#include "keyrow.h"
#include "store_rules.h"
#include "store_schema.h"
#include "store_sq.h"

#define BSF_STORE_POOL_MAX 16 /* idle connections kept */

/* ------------------------------------------------------------------ */
/* Schema.  Version 1 is the first released layout; every later version
 * is a migration step from the one before, so a fresh store is built by
 * running all steps (the migration path is exercised on every create). */

static const char schema_v1[] = BSF_SQ_SCHEMA_V1;

/*
 * v2: UICC application labels; the GUSS parsed once into uss rows (no XML
 * parsing per GPI); SQN state moved to its own narrow table (seq_floor,
 * run_floor: hss.c).  The v1 column subscriber.sqn (highest SQN issued,
 * default IND length 5) seeds seq_floor and is not used afterwards.
 */
static const char schema_v2[] =
	"ALTER TABLE subscriber ADD COLUMN labels TEXT NOT NULL DEFAULT '';"
	"CREATE TABLE uss(sub_id INTEGER NOT NULL REFERENCES subscriber(id)"
	" ON DELETE CASCADE, idx INTEGER NOT NULL, gsid TEXT NOT NULL,"
	" naf_group TEXT NOT NULL, uicc_sec INTEGER NOT NULL,"
	" flags BLOB NOT NULL, xml TEXT NOT NULL,"
	" PRIMARY KEY(sub_id, idx)) WITHOUT ROWID;"
	"CREATE TABLE sqn(sub_id INTEGER PRIMARY KEY REFERENCES"
	" subscriber(id) ON DELETE CASCADE, seq_floor INTEGER NOT NULL,"
	" run_floor INTEGER NOT NULL);"
	"INSERT INTO sqn SELECT id, sqn >> 5,"
	" (SELECT value FROM meta WHERE key = 'hss_run') FROM subscriber;"
	"UPDATE schema_version SET version = 2;";

/* v2 data step: parse each stored GUSS into uss rows. */
static int migrate_v2_data(struct bsf_conn *c)
{
	sqlite3_stmt *s = NULL;
	struct bsf_guss g;
	int rc, r = GBA_OK;

	rc = sqlite3_prepare_v2(c->db,
				"SELECT id, guss FROM subscriber"
				" WHERE guss IS NOT NULL",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return GBA_ERR_DB;
	while (r == GBA_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const void *x = sqlite3_column_blob(s, 1);
		size_t n = (size_t)sqlite3_column_bytes(s, 1);

		r = bsf_guss_parse(x, n, BSF_GBA_XML, &g);
		if (r == GBA_OK)
			r = bsf_sq_uss_insert(c, sqlite3_column_int64(s, 0),
					      &g);
		if (r == GBA_OK && g.has_uicc_type && g.gba_u) {
			const int64_t id = sqlite3_column_int64(s, 0);

			r = bsf_sq_exec_i64(c,
					    "UPDATE subscriber SET gba_u = 1"
					    " WHERE id = ?1",
					    &id, 1);
		}
		bsf_guss_clear(&g);
	}
	if (r == GBA_OK && rc != SQLITE_DONE)
		r = GBA_ERR_DB;
	sqlite3_finalize(s);
	return r;
}

struct migration {
	int to;
	const char *sql;
	int (*data)(struct bsf_conn *c);
};

static const struct migration migrations[] = {
	{1, schema_v1, NULL},
	{2, schema_v2, migrate_v2_data},
};

/* ------------------------------------------------------------------ */
/* Connections */

int bsf_db_err(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return GBA_OK;
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
			return GBA_ERR_NOT_FOUND;
		if (rc == SQLITE_CONSTRAINT_UNIQUE ||
		    rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return GBA_ERR_EXISTS;
		return GBA_ERR_BAD_PARAM;
	case SQLITE_NOMEM:
		return GBA_ERR_NOMEM;
	case SQLITE_TOOBIG:
		return GBA_ERR_TOO_LARGE;
	case SQLITE_CANTOPEN:
		return GBA_ERR_NOT_FOUND;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return GBA_ERR_TIMEOUT;
	default:
		return GBA_ERR_DB;
	}
}

int bsf_conn_exec(struct bsf_conn *c, const char *sql)
{
	return bsf_db_err(sqlite3_exec(c->db, sql, NULL, NULL, NULL));
}

sqlite3_stmt *bsf_conn_stmt(struct bsf_conn *c, unsigned slot, const char *sql)
{
	sqlite3_stmt *s;

	if (slot >= BSF_ST_SLOTS)
		return NULL;
	s = c->st[slot];
	if (s == NULL) {
		if (sqlite3_prepare_v3(c->db, sql, -1,
				       SQLITE_PREPARE_PERSISTENT, &s,
				       NULL) != SQLITE_OK)
			return NULL;
		c->st[slot] = s;
	} else {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
	}
	return s;
}

sqlite3_stmt *bsf_sq_stmt_id(struct bsf_conn *c, unsigned slot,
			     const char *sql, int64_t id)
{
	sqlite3_stmt *s = bsf_conn_stmt(c, slot, sql);

	if (s != NULL)
		sqlite3_bind_int64(s, 1, id);
	return s;
}

int bsf_sq_rows_by_id(struct bsf_conn *c, unsigned slot, const char *sql,
		      int64_t id, int (*row)(void *arg, sqlite3_stmt *s),
		      void *arg)
{
	sqlite3_stmt *s = bsf_conn_stmt(c, slot, sql);
	int rc = SQLITE_DONE, r = GBA_OK;

	if (s == NULL)
		return GBA_ERR_DB;
	if (sqlite3_bind_parameter_count(s) > 0)
		sqlite3_bind_int64(s, 1, id);
	while (r == GBA_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
		r = row(arg, s);
	if (r == GBA_OK && rc != SQLITE_DONE)
		r = bsf_db_err(rc);
	sqlite3_reset(s);
	return r;
}

int bsf_sq_exec_i64(struct bsf_conn *c, const char *sql, const int64_t *v,
		    int n)
{
	sqlite3_stmt *s;
	int i, rc;

	if (sqlite3_prepare_v2(c->db, sql, -1, &s, NULL) != SQLITE_OK)
		return GBA_ERR_DB;
	for (i = 0; i < n; i++)
		sqlite3_bind_int64(s, i + 1, v[i]);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? GBA_OK : bsf_db_err(rc);
}

static void conn_free(struct bsf_conn *c)
{
	unsigned i;

	if (c == NULL)
		return;
	for (i = 0; i < BSF_ST_SLOTS; i++)
		sqlite3_finalize(c->st[i]);
	sqlite3_close_v2(c->db);
	free(c);
}

static int conn_open(const struct bsf_store *st, int create,
		     struct bsf_conn **out)
{
	struct bsf_conn *c;
	int oflags = SQLITE_OPEN_NOMUTEX, r;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return GBA_ERR_NOMEM;
	oflags |= (SQC(st)->flags & BSF_STORE_READONLY) ? SQLITE_OPEN_READONLY
							: SQLITE_OPEN_READWRITE;
	if (create)
		oflags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(SQC(st)->path, &c->db, oflags, NULL) != SQLITE_OK) {
		r = bsf_db_err(sqlite3_errcode(c->db));
		if (r == GBA_OK)
			r = GBA_ERR_DB;
		conn_free(c);
		return r;
	}
	sqlite3_busy_timeout(c->db, BSF_STORE_BUSY_MS);
	sqlite3_extended_result_codes(c->db, 1);
	/*
	 * synchronous=FULL: every commit is fsynced, so an SQN reservation
	 * (hss.c) survives power loss, not only kill -9.  AV issue itself
	 * does not commit (see hss.h), so this costs nothing per GPI.
	 */
	/* temp_store=MEMORY: savepoint sub-journals (one per imported
	 * record) stay in memory instead of costing file writes.
	 * mmap (1 GiB of address space) and a 16 MiB page cache per
	 * connection: GPI lookups read pages without a syscall each. */
	if ((r = bsf_conn_exec(c, "PRAGMA foreign_keys = ON;"
				  "PRAGMA synchronous = FULL;"
				  "PRAGMA temp_store = MEMORY;"
				  "PRAGMA mmap_size = 1073741824;"
				  "PRAGMA cache_size = -16384;")) != 0) {
		conn_free(c);
		return r;
	}
	*out = c;
	return GBA_OK;
}

/* SQLITE_TRACE_STMT: a statement starts running (bsf_store_set_stmt_hook) */
static int stmt_trace(unsigned type, void *ctx, void *p, void *x)
{
	const struct bsf_store *st = ctx;

	(void)p;
	if (type == SQLITE_TRACE_STMT && SQC(st)->stmt_hook)
		SQC(st)->stmt_hook(SQC(st)->stmt_hook_arg, (const char *)x);
	return 0;
}

/* install or remove the statement trace to match the store's hook */
static void conn_trace(struct bsf_store *st, struct bsf_conn *c)
{
	int want = SQ(st)->stmt_hook != NULL;

	if (c->traced == want)
		return;
	sqlite3_trace_v2(c->db, want ? SQLITE_TRACE_STMT : 0,
			 want ? stmt_trace : NULL, st);
	c->traced = want;
}

int bsf_conn_get(struct bsf_store *st, struct bsf_conn **out)
{
	struct bsf_conn *c;
	int r;

	pthread_mutex_lock(&SQ(st)->lock);
	c = SQ(st)->idle;
	if (c) {
		SQ(st)->idle = c->next;
		SQ(st)->n_idle--;
	}
	pthread_mutex_unlock(&SQ(st)->lock);
	if (c) {
		c->next = NULL;
		conn_trace(st, c);
		*out = c;
		return GBA_OK;
	}
	if ((r = conn_open(st, 0, out)) == GBA_OK)
		conn_trace(st, *out);
	return r;
}

void bsf_sq_set_stmt_hook(struct bsf_store *st, bsf_store_stmt_hook hook,
			  void *arg)
{
	if (st == NULL)
		return;
	SQ(st)->stmt_hook = hook;
	SQ(st)->stmt_hook_arg = arg;
}

void bsf_conn_put(struct bsf_store *st, struct bsf_conn *c)
{
	if (c == NULL)
		return;
	/* never hand back a connection inside a transaction */
	if (!sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_lock(&SQ(st)->lock);
	if (SQ(st)->n_idle < BSF_STORE_POOL_MAX) {
		c->next = SQ(st)->idle;
		SQ(st)->idle = c;
		SQ(st)->n_idle++;
		c = NULL;
	}
	pthread_mutex_unlock(&SQ(st)->lock);
	conn_free(c);
}

/* ------------------------------------------------------------------ */
/* The meta table (key -> integer; store_i.h) */

int bsf_meta_get(struct bsf_conn *c, const char *key, int64_t *v, int *found)
{
	sqlite3_stmt *s = bsf_conn_stmt(
		c, ST_META_GET, "SELECT value FROM meta WHERE key = ?1");
	int rc;

	*v = 0;
	*found = 0;
	if (s == NULL)
		return GBA_ERR_DB;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int64(s, 0);
		*found = 1;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? GBA_OK : bsf_db_err(rc);
}

int bsf_meta_set(struct bsf_conn *c, const char *key, int64_t v)
{
	sqlite3_stmt *s = bsf_conn_stmt(
		c, ST_META_SET, "INSERT OR REPLACE INTO meta VALUES(?1, ?2)");

	if (s == NULL)
		return GBA_ERR_DB;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, v);
	return bsf_sq_step_done(c, s);
}

/* ------------------------------------------------------------------ */
/* Open / close / migrate */

/* @sql prepared (not cached) and stepped once: GBA_OK with *@found set
 * and *@v the first column of its row (0 without one), else its error */
static int query_int(struct bsf_conn *c, const char *sql, int *v, int *found)
{
	sqlite3_stmt *s;
	int rc;

	*v = 0;
	*found = 0;
	if (sqlite3_prepare_v2(c->db, sql, -1, &s, NULL) != SQLITE_OK)
		return GBA_ERR_DB;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*v = sqlite3_column_int(s, 0);
		*found = 1;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? GBA_OK : bsf_db_err(rc);
}

static int schema_version(struct bsf_conn *c, int *v)
{
	int found, r;

	r = query_int(c,
		      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND"
		      " name = 'schema_version'",
		      v, &found);
	if (r != GBA_OK || !found) {
		*v = 0;
		return r; /* no table: an empty file, version 0 */
	}
	r = query_int(c, "SELECT version FROM schema_version", v, &found);
	return r == GBA_OK && found ? GBA_OK : GBA_ERR_DB;
}

static int migrate(struct bsf_conn *c)
{
	size_t i;
	int v, r;

	/* IMMEDIATE: two processes opening a fresh file serialise here */
	if ((r = bsf_conn_exec(c, "BEGIN IMMEDIATE")) != 0)
		return r;
	if ((r = schema_version(c, &v)) != 0)
		goto out;
	if (v > BSF_STORE_SCHEMA_VERSION) {
		r = GBA_ERR_VERSION;
		goto out;
	}
	for (i = 0; i < GBA_ARRAY_SIZE(migrations); i++) {
		if (migrations[i].to <= v)
			continue;
		if ((r = bsf_conn_exec(c, migrations[i].sql)) != 0 ||
		    (migrations[i].data && (r = migrations[i].data(c)) != 0))
			goto out;
	}
	r = bsf_conn_exec(c, "COMMIT");
out:
	if (r != GBA_OK)
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

int bsf_store_sqlite_open(const char *path, unsigned flags,
			  struct bsf_store **out)
{
	struct sq_store *sq;
	struct bsf_store *st;
	struct bsf_conn *c = NULL;
	int r, v;

	if (out == NULL)
		return GBA_ERR_BAD_PARAM;
	*out = NULL;
	if (path == NULL || path[0] == '\0' ||
	    ((flags & BSF_STORE_CREATE) && (flags & BSF_STORE_READONLY)))
		return GBA_ERR_BAD_PARAM;
	if (!sqlite3_threadsafe())
		return GBA_ERR_CONFIG;
	if ((sq = calloc(1, sizeof(*sq))) == NULL)
		return GBA_ERR_NOMEM;
	sq->base.ops = &bsf_store_sqlite_ops;
	st = &sq->base;
	if ((sq->path = strdup(path)) == NULL) {
		free(sq);
		return GBA_ERR_NOMEM;
	}
	sq->flags = flags;
	pthread_mutex_init(&sq->lock, NULL);
	if (!(flags & BSF_STORE_CREATE) && access(path, F_OK) != 0) {
		r = GBA_ERR_NOT_FOUND;
		goto out;
	}
	if ((r = conn_open(st, (flags & BSF_STORE_CREATE) != 0, &c)) != 0)
		goto out;
	if (flags & BSF_STORE_READONLY) {
		if ((r = schema_version(c, &v)) == 0 &&
		    v != BSF_STORE_SCHEMA_VERSION)
			r = v > BSF_STORE_SCHEMA_VERSION ? GBA_ERR_VERSION
							 : GBA_ERR_STATE;
		goto out;
	}
	/* WAL is a property of the file; readers never block the writer */
	if ((r = bsf_conn_exec(c, "PRAGMA journal_mode = WAL")) != 0 ||
	    (r = migrate(c)) != 0)
		goto out;
out:
	if (r != GBA_OK) {
		conn_free(c);
		bsf_sq_close(st);
		return r;
	}
	bsf_conn_put(st, c);
	*out = st;
	return GBA_OK;
}

void bsf_sq_close(struct bsf_store *st)
{
	struct bsf_conn *c;

	if (st == NULL)
		return;
	while ((c = SQ(st)->idle) != NULL) {
		SQ(st)->idle = c->next;
		conn_free(c);
	}
	pthread_mutex_destroy(&SQ(st)->lock);
	free(SQ(st)->path);
	free(st);
}

const char *bsf_sq_path(const struct bsf_store *st)
{
	return st ? SQC(st)->path : NULL;
}

int bsf_sq_schema_version(struct bsf_store *st, int *version)
{
	struct bsf_conn *c;
	int r;

	if (st == NULL || version == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	r = schema_version(c, version);
	bsf_conn_put(st, c);
	return r;
}

/* ------------------------------------------------------------------ */
/* Small helpers */

/* Copy a column's text into a fixed field; too long is corrupt data. */
int bsf_sq_col_copy(sqlite3_stmt *s, int col, char *out, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	size_t n = (size_t)sqlite3_column_bytes(s, col);

	out[0] = '\0';
	if (t == NULL)
		return GBA_OK;
	if (n >= cap)
		return GBA_ERR_TOO_LARGE;
	memcpy(out, t, n);
	out[n] = '\0';
	return GBA_OK;
}

/* ------------------------------------------------------------------ */
/* Batches */

/* The SQLite backend's batch (store_ops.h: base first). */
struct sq_batch {
	struct bsf_store_batch base;
	struct bsf_conn *c;
};

int bsf_sq_batch_begin(struct bsf_store *st, struct bsf_store_batch **out)
{
	struct sq_batch *b;
	int r;

	/* arguments checked by the API (store_api.c) */
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return GBA_ERR_NOMEM;
	b->base.st = st;
	if ((r = bsf_conn_get(st, &b->c)) != 0) {
		free(b);
		return r;
	}
	/* a big page cache for bulk inserts on this connection only */
	if ((r = bsf_conn_exec(b->c, "PRAGMA cache_size = -262144")) != 0 ||
	    (r = bsf_conn_exec(b->c, "BEGIN IMMEDIATE")) != 0) {
		bsf_conn_put(st, b->c);
		free(b);
		return r;
	}
	*out = &b->base;
	return GBA_OK;
}

int bsf_sq_batch_sub_add(struct bsf_store_batch *bb, const struct bsf_sub *s,
			 const char *guss, size_t guss_len, int64_t *id)
{
	struct sq_batch *b = (struct sq_batch *)bb;

	return bsf_sq_sub_add_conn(b->c, s, guss, guss_len, id);
}

int bsf_sq_batch_sub_replace(struct bsf_store_batch *bb,
			     const struct bsf_sub *s, const char *guss,
			     size_t guss_len, int64_t *id)
{
	struct sq_batch *b = (struct sq_batch *)bb;

	return bsf_sq_sub_replace_conn(b->c, s, guss, guss_len, id);
}

int bsf_sq_batch_assoc_add(struct bsf_store_batch *bb, int64_t naf_id,
			   int64_t sub_id)
{
	struct sq_batch *b = (struct sq_batch *)bb;

	return bsf_sq_assoc_add_conn(b->c, naf_id, sub_id);
}

int bsf_sq_batch_commit(struct bsf_store_batch *bb)
{
	struct sq_batch *b = (struct sq_batch *)bb;
	int r;

	if ((r = bsf_conn_exec(b->c, "COMMIT")) != 0)
		return r;
	return bsf_conn_exec(b->c, "BEGIN IMMEDIATE");
}

int bsf_sq_batch_end(struct bsf_store_batch *bb, int commit)
{
	struct sq_batch *b = (struct sq_batch *)bb;
	int r = GBA_OK;

	if (commit)
		r = bsf_conn_exec(b->c, "COMMIT");
	if (!commit || r != GBA_OK)
		sqlite3_exec(b->c->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_exec(b->c->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
	bsf_conn_put(b->base.st, b->c);
	free(b);
	return r;
}

const struct bsf_store_ops bsf_store_sqlite_ops = {
	.name = "sqlite",
	.close = bsf_sq_close,
	.path = bsf_sq_path,
	.schema_version = bsf_sq_schema_version,
	.set_stmt_hook = bsf_sq_set_stmt_hook,
	.naf_by_cert = bsf_sq_naf_by_cert,
	.naf_by_name = bsf_sq_naf_by_name,
	.naf_add = bsf_sq_naf_add,
	.naf_remove = bsf_sq_naf_remove,
	.naf_list = bsf_sq_naf_list,
	.resolve = bsf_sq_resolve,
	.gba_params = bsf_sq_gba_params,
	.sub_write = bsf_sq_sub_write,
	.sub_get_id = bsf_sq_sub_get_id,
	.sub_guss = bsf_sq_sub_guss,
	.sub_remove = bsf_sq_sub_remove,
	.sub_list = bsf_sq_sub_list,
	.sub_count = bsf_sq_sub_count,
	.ue_lookup = bsf_sq_ue_lookup,
	.key_row = bsf_sq_key_row,
	.assoc_check = bsf_sq_assoc_check,
	.assoc_add = bsf_sq_assoc_add,
	.assoc_remove = bsf_sq_assoc_remove,
	.assoc_list = bsf_sq_assoc_list,
	.assoc_list_sub = bsf_sq_assoc_list_sub,
	.batch_begin = bsf_sq_batch_begin,
	.batch_sub_add = bsf_sq_batch_sub_add,
	.batch_sub_replace = bsf_sq_batch_sub_replace,
	.batch_assoc_add = bsf_sq_batch_assoc_add,
	.batch_commit = bsf_sq_batch_commit,
	.batch_end = bsf_sq_batch_end,
	.sqn_run_prepare = bsf_sq_sqn_run_prepare,
	.sqn_run_start = bsf_sq_sqn_run_start,
	.sqn_floor = bsf_sq_sqn_floor,
	.sqn_floors = bsf_sq_sqn_floors,
};
