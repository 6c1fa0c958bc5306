/*
 * store_pg.c - the PostgreSQL backend of the store (store_ops.h), through
 * libpq.  Selected by a libpq connection URI ("postgresql://..." or
 * "postgres://...") where a store path is expected (bsf_store_open()).
 *
 * The same tables as the SQLite backend (docs/hss-store.md "Schema"),
 * version BSF_STORE_SCHEMA_VERSION, created and migrated on open in one
 * transaction under an advisory lock, so that several processes opening
 * one database at once serialise.  The rules (store_rules.h), the key-row
 * decoder (keyrow.h) and the GUSS parser (guss.h) are the SQLite
 * backend's; only the SQL differs.  Text is compared octet-wise
 * (COLLATE "C") so that listings are in the same order as with SQLite.
 *
 * Connections: a pool (one PGconn used by one thread at a time), as for
 * SQLite; a connection that failed is closed instead of being pooled.
 * Secrets travel to the server as query parameters: use a URI with
 * sslmode=verify-full for anything but a local socket (docs).
 *
 * The AuC (hss.c) takes its SQN windows from this store when several
 * gba-bsf nodes share it (store_pg_sqn.c, docs/hss-store.md section 4).
 * This file: connections, pool, schema, helpers, batches and the
 * operations table; the rest by sub-domain as on the SQLite side
 * (store_pg_i.h lists the files).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>
#include "gba/crypto.h"
#include "gba/sqn.h"
#include "store_pg_i.h"
#include "store_schema.h"

/* ------------------------------------------------------------------ */
/* Schema: the layout of SQLite schema version 2 (the first one this
 * backend writes).  Later versions are added as further steps. */

static const char pg_schema_v2[] =
	"CREATE TABLE schema_version(version INTEGER NOT NULL);"
	"INSERT INTO schema_version VALUES(2);"
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value BIGINT NOT NULL);"
	"INSERT INTO meta VALUES('hss_run', 0);"
	"CREATE TABLE subscriber("
	" id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
	BSF_SCHEMA_SUB_COLS
	" labels TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE impu(impu TEXT PRIMARY KEY, sub_id BIGINT NOT NULL"
	" REFERENCES subscriber(id) ON DELETE CASCADE);"
	"CREATE INDEX impu_sub ON impu(sub_id);"
	"CREATE TABLE naf("
	" id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" cert_id TEXT NOT NULL,"
	" allow_impi INTEGER NOT NULL DEFAULT 0,"
	" gba_u_aware INTEGER NOT NULL DEFAULT 0,"
	" rate BIGINT NOT NULL DEFAULT 0);"
	/* certificate identities compare case-insensitively (ASCII) */
	"CREATE UNIQUE INDEX naf_cert ON naf(lower(cert_id));"
	"CREATE TABLE naf_id(naf BIGINT NOT NULL REFERENCES naf(id)"
	" ON DELETE CASCADE, fqdn TEXT NOT NULL, ua BYTEA NOT NULL,"
	" PRIMARY KEY(naf, fqdn, ua));"
	"CREATE TABLE assoc(naf BIGINT NOT NULL REFERENCES naf(id)"
	" ON DELETE CASCADE, sub_id BIGINT NOT NULL REFERENCES"
	" subscriber(id) ON DELETE CASCADE, PRIMARY KEY(naf, sub_id));"
	"CREATE INDEX assoc_sub ON assoc(sub_id);"
	"CREATE TABLE uss(sub_id BIGINT NOT NULL REFERENCES subscriber(id)"
	" ON DELETE CASCADE, idx INTEGER NOT NULL, gsid TEXT NOT NULL,"
	" naf_group TEXT NOT NULL, uicc_sec INTEGER NOT NULL,"
	" flags BYTEA NOT NULL, xml TEXT NOT NULL,"
	" PRIMARY KEY(sub_id, idx));"
	/* seq_floor, run_floor: as SQLite's (what bsf_store_sub_get()
	 * reports before any AV); hwm, gen: the shared windows (H, G of
	 * docs/hss-store.md section 4) */
	"CREATE TABLE sqn(sub_id BIGINT PRIMARY KEY REFERENCES"
	" subscriber(id) ON DELETE CASCADE, seq_floor BIGINT NOT NULL,"
	" run_floor BIGINT NOT NULL, hwm BIGINT NOT NULL,"
	" gen BIGINT NOT NULL DEFAULT 0);";

static const struct {
	int to;
	const char *sql;
} pg_migrations[] = {
	{2, pg_schema_v2},
};

/* the advisory lock key of schema changes ("gbabsf01") */
#define PG_SCHEMA_LOCK "7453816730584135729"

/* ------------------------------------------------------------------ */
/* Parameters and queries */

static int sqlstate_err(const PGresult *res)
{
	const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	if (st == NULL)
		return GBA_ERR_DB;
	if (strcmp(st, "23505") == 0)
		return GBA_ERR_EXISTS; /* unique_violation */
	if (strcmp(st, "23503") == 0)
		return GBA_ERR_NOT_FOUND; /* foreign_key_violation */
	if (strncmp(st, "23", 2) == 0)
		return GBA_ERR_BAD_PARAM; /* other constraint */
	if (strcmp(st, "22021") == 0)
		return GBA_ERR_BAD_UTF8; /* character_not_in_repertoire */
	if (strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0 ||
	    strcmp(st, "55P03") == 0 || strcmp(st, "57014") == 0)
		return GBA_ERR_TIMEOUT; /* serialization, deadlock, lock */
	return GBA_ERR_DB;
}

/* the outcome of @r, a result of @c: the rows into *@res when wanted
 * (else freed); a failed connection is marked broken */
static int pg_result(struct pg_conn *c, PGresult *r, PGresult **res)
{
	int st, e;

	if (r == NULL) {
		c->broken = 1;
		return GBA_ERR_DB;
	}
	st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		e = sqlstate_err(r);
		if (PQstatus(c->db) != CONNECTION_OK)
			c->broken = 1;
		PQclear(r);
		return e;
	}
	if (res)
		*res = r;
	else
		PQclear(r);
	return GBA_OK;
}

/*
 * The name of @sql prepared on @c ("g<i>"), preparing it on first use;
 * 0 when it cannot be (then the caller runs it unnamed, which reports
 * any error the statement has).  Without this every statement was
 * parsed, analysed and planned again on each run: most of the server's
 * CPU per GPI (bench/README.md "bsf_pg_bench.sh").
 */
static int stmt_name(struct pg_conn *c, const char *sql, int n_params,
		     char name[16])
{
	PGresult *r;
	unsigned i;
	int ok;

	for (i = 0; i < c->n_stmts; i++)
		if (strcmp(c->stmts[i], sql) == 0) {
			snprintf(name, 16, "g%u", i);
			return 1;
		}
	if (c->n_stmts == PG_STMTS_MAX)
		return 0;
	snprintf(name, 16, "g%u", c->n_stmts);
	if ((r = PQprepare(c->db, name, sql, n_params, NULL)) == NULL)
		return 0;
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok || (c->stmts[c->n_stmts] = strdup(sql)) == NULL) {
		if (ok) { /* prepared but not recorded: drop it */
			char dealloc[32];

			snprintf(dealloc, sizeof(dealloc), "DEALLOCATE %s",
				 name);
			PQclear(PQexec(c->db, dealloc));
		}
		return 0;
	}
	c->n_stmts++;
	return 1;
}

/*
 * Run @sql with @p (may be NULL) on @c, prepared once per connection;
 * *@res gets the result when the caller wants rows (else NULL and the
 * result is freed).
 */
int bsf_pg_q(struct pg_store *ps, struct pg_conn *c, const char *sql,
	     const struct pp *p, PGresult **res)
{
	char name[16];

	if (res)
		*res = NULL;
	if (ps->stmt_hook)
		ps->stmt_hook(ps->stmt_hook_arg, sql);
	if (stmt_name(c, sql, p ? p->n : 0, name))
		return pg_result(c,
				 PQexecPrepared(c->db, name, p ? p->n : 0,
						p ? p->v : NULL,
						p ? p->len : NULL,
						p ? p->fmt : NULL, 0),
				 res);
	return pg_result(c,
			 PQexecParams(c->db, sql, p ? p->n : 0, NULL,
				      p ? p->v : NULL, p ? p->len : NULL,
				      p ? p->fmt : NULL, 0),
			 res);
}

/* several statements, no parameters (schema, BEGIN, COMMIT) */
int bsf_pg_exec(struct pg_store *ps, struct pg_conn *c, const char *sql)
{
	if (ps->stmt_hook)
		ps->stmt_hook(ps->stmt_hook_arg, sql);
	return pg_result(c, PQexec(c->db, sql), NULL);
}

int bsf_pg_q_ints(struct pg_store *ps, struct pg_conn *c, const char *sql,
		  const int64_t *v, int n)
{
	struct pp p = {0};

	pp_ints(&p, v, n);
	return bsf_pg_q(ps, c, sql, &p, NULL);
}

int bsf_pg_q_id(struct pg_store *ps, struct pg_conn *c, const char *sql,
		int64_t id)
{
	return bsf_pg_q_ints(ps, c, sql, &id, 1);
}

int bsf_pg_rows_by_id(struct pg_store *ps, struct pg_conn *c, const char *sql,
		      int64_t id,
		      int (*row)(void *arg, const PGresult *s, int i),
		      void *arg)
{
	struct pp p = {0};
	PGresult *s;
	int i, n, r;

	pp_int(&p, id);
	if ((r = bsf_pg_q(ps, c, sql, &p, &s)) != 0)
		return r;
	n = PQntuples(s);
	for (i = 0; i < n && r == GBA_OK; i++)
		r = row(arg, s, i);
	PQclear(s);
	return r;
}

/* @r of a query that wants one row: GBA_ERR_NOT_FOUND (*@res freed) for
 * any other count */
static int one_row(int r, PGresult **res)
{
	if (r == GBA_OK && PQntuples(*res) != 1) {
		PQclear(*res);
		*res = NULL;
		r = GBA_ERR_NOT_FOUND;
	}
	return r;
}

int bsf_pg_q_row(struct pg_store *ps, struct pg_conn *c, const char *sql,
		 const struct pp *p, PGresult **res)
{
	return one_row(bsf_pg_q(ps, c, sql, p, res), res);
}

int bsf_pg_q_i64(struct pg_store *ps, struct pg_conn *c, const char *sql,
		 const struct pp *p, int64_t *v)
{
	PGresult *res;
	int r;

	*v = 0;
	if ((r = bsf_pg_q_row(ps, c, sql, p, &res)) != GBA_OK)
		return r;
	*v = col_i64(res, 0, 0);
	PQclear(res);
	return GBA_OK;
}

/* copy a text column into a fixed field; too long is corrupt data */
int bsf_pg_col_copy(const PGresult *r, int row, int col, char *out, size_t cap)
{
	size_t n = (size_t)PQgetlength(r, row, col);

	if (PQgetisnull(r, row, col)) {
		out[0] = '\0';
		return GBA_OK;
	}
	if (n >= cap)
		return GBA_ERR_TOO_LARGE;
	memcpy(out, PQgetvalue(r, row, col), n);
	out[n] = '\0';
	return GBA_OK;
}

int bsf_pg_rows_changed(PGresult *r)
{
	return (int)strtol(PQcmdTuples(r), NULL, 10);
}

/* ------------------------------------------------------------------ */
/* Connections */

static void conn_free(struct pg_conn *c)
{
	unsigned i;

	if (c == NULL)
		return;
	PQfinish(c->db);
	for (i = 0; i < c->n_stmts; i++)
		free(c->stmts[i]);
	free(c);
}

static int conn_open(struct pg_store *ps, struct pg_conn **out)
{
	struct pg_conn *c;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return GBA_ERR_NOMEM;
	c->db = PQconnectdb(ps->uri);
	if (c->db == NULL || PQstatus(c->db) != CONNECTION_OK) {
		conn_free(c);
		return GBA_ERR_DB;
	}
	/* text comparisons and ORDER BY as SQLite (octets); the store's
	 * own read-only mode for bsf_store_open(READONLY) */
	if (bsf_pg_exec(ps, c,
			(ps->flags & BSF_STORE_READONLY)
				? "SET default_transaction_read_only = on"
				: "SET default_transaction_read_only = off") !=
	    GBA_OK) {
		conn_free(c);
		return GBA_ERR_DB;
	}
	*out = c;
	return GBA_OK;
}

int bsf_pg_conn_get(struct pg_store *ps, struct pg_conn **out)
{
	struct pg_conn *c;

	pthread_mutex_lock(&ps->lock);
	c = ps->idle;
	if (c) {
		ps->idle = c->next;
		ps->n_idle--;
	}
	pthread_mutex_unlock(&ps->lock);
	if (c) {
		c->next = NULL;
		*out = c;
		return GBA_OK;
	}
	return conn_open(ps, out);
}

int bsf_pg_conn_read(struct pg_store *ps, struct pg_conn **out)
{
	int r;

	if ((r = bsf_pg_conn_get(ps, out)) != 0)
		return r;
	if ((r = bsf_pg_exec(
		     ps, *out,
		     "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) != 0) {
		bsf_pg_conn_put(ps, *out);
		*out = NULL;
	}
	return r;
}

void bsf_pg_conn_put(struct pg_store *ps, struct pg_conn *c)
{
	if (c == NULL)
		return;
	/* never hand back a connection inside a transaction */
	if (!c->broken && PQtransactionStatus(c->db) != PQTRANS_IDLE)
		c->broken = bsf_pg_exec(ps, c, "ROLLBACK") != GBA_OK ||
			    PQtransactionStatus(c->db) != PQTRANS_IDLE;
	if (c->broken || PQstatus(c->db) != CONNECTION_OK) {
		conn_free(c);
		return;
	}
	pthread_mutex_lock(&ps->lock);
	if (ps->n_idle < PG_POOL_MAX) {
		c->next = ps->idle;
		ps->idle = c;
		ps->n_idle++;
		c = NULL;
	}
	pthread_mutex_unlock(&ps->lock);
	conn_free(c);
}

/* ------------------------------------------------------------------ */
/* Open / close / migrate */

static int schema_version(struct pg_store *ps, struct pg_conn *c, int *v)
{
	PGresult *r;
	int64_t version;
	int e;

	*v = 0;
	e = bsf_pg_q(ps, c, "SELECT to_regclass('schema_version') IS NOT NULL",
		     NULL, &r);
	if (e != GBA_OK)
		return e;
	if (PQntuples(r) != 1 || strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
		PQclear(r);
		return GBA_OK; /* empty database: version 0 */
	}
	PQclear(r);
	e = bsf_pg_q_i64(ps, c, "SELECT version FROM schema_version", NULL,
			 &version);
	*v = (int)version;
	return e == GBA_ERR_NOT_FOUND ? GBA_ERR_DB : e;
}

static int migrate(struct pg_store *ps, struct pg_conn *c, int create)
{
	size_t i;
	int v, r;

	if ((r = bsf_pg_exec(
		     ps, c,
		     "BEGIN; SELECT pg_advisory_xact_lock(" PG_SCHEMA_LOCK
		     ")")) != 0)
		return r;
	if ((r = schema_version(ps, c, &v)) != 0)
		goto out;
	if (v > BSF_STORE_SCHEMA_VERSION) {
		r = GBA_ERR_VERSION;
		goto out;
	}
	if (v == 0 && !create) {
		r = GBA_ERR_NOT_FOUND; /* no store in this database */
		goto out;
	}
	for (i = 0; i < GBA_ARRAY_SIZE(pg_migrations); i++) {
		if (pg_migrations[i].to <= v)
			continue;
		if ((r = bsf_pg_exec(ps, c, pg_migrations[i].sql)) != 0)
			goto out;
	}
	r = bsf_pg_exec(ps, c, "COMMIT");
out:
	if (r != GBA_OK)
		(void)bsf_pg_exec(ps, c, "ROLLBACK");
	return r;
}

static void pg_close(struct bsf_store *st)
{
	struct pg_store *ps = PG(st);
	struct pg_conn *c;

	if (st == NULL)
		return;
	while ((c = ps->idle) != NULL) {
		ps->idle = c->next;
		conn_free(c);
	}
	pthread_mutex_destroy(&ps->lock);
	if (ps->uri)
		gba_cleanse(ps->uri, strlen(ps->uri)); /* may hold a password */
	free(ps->uri);
	free(ps);
}

int bsf_store_is_pg_uri(const char *path)
{
	return path && (strncmp(path, "postgresql://", 13) == 0 ||
			strncmp(path, "postgres://", 11) == 0);
}

int bsf_store_pg_open(const char *uri, unsigned flags, struct bsf_store **out)
{
	struct pg_store *ps;
	struct pg_conn *c = NULL;
	int r, v;

	if (out == NULL)
		return GBA_ERR_BAD_PARAM;
	*out = NULL;
	if (!bsf_store_is_pg_uri(uri) ||
	    ((flags & BSF_STORE_CREATE) && (flags & BSF_STORE_READONLY)))
		return GBA_ERR_BAD_PARAM;
	if (!PQisthreadsafe())
		return GBA_ERR_CONFIG;
	if ((ps = calloc(1, sizeof(*ps))) == NULL)
		return GBA_ERR_NOMEM;
	ps->base.ops = &bsf_store_pg_ops;
	if ((ps->uri = strdup(uri)) == NULL) {
		free(ps);
		return GBA_ERR_NOMEM;
	}
	ps->flags = flags;
	pthread_mutex_init(&ps->lock, NULL);
	if ((r = conn_open(ps, &c)) != 0)
		goto out;
	if (flags & BSF_STORE_READONLY) {
		if ((r = schema_version(ps, c, &v)) == 0 &&
		    v != BSF_STORE_SCHEMA_VERSION)
			r = v > BSF_STORE_SCHEMA_VERSION ? GBA_ERR_VERSION
			    : v == 0			 ? GBA_ERR_NOT_FOUND
							 : GBA_ERR_STATE;
		goto out;
	}
	r = migrate(ps, c, (flags & BSF_STORE_CREATE) != 0);
out:
	if (r != GBA_OK) {
		conn_free(c);
		pg_close(&ps->base);
		return r;
	}
	bsf_pg_conn_put(ps, c);
	*out = &ps->base;
	return GBA_OK;
}

static const char *pg_path(const struct bsf_store *st)
{
	return st ? ((const struct pg_store *)st)->uri : NULL;
}

static int pg_schema_version(struct bsf_store *st, int *version)
{
	struct pg_conn *c;
	int r;

	if (st == NULL || version == NULL)
		return GBA_ERR_BAD_PARAM;
	PG_WITH_CONN(PG(st), c, r, schema_version(PG(st), c, version));
	return r;
}

static void pg_set_stmt_hook(struct bsf_store *st, bsf_store_stmt_hook hook,
			     void *arg)
{
	if (st == NULL)
		return;
	PG(st)->stmt_hook = hook;
	PG(st)->stmt_hook_arg = arg;
}

/* ------------------------------------------------------------------ */
/* Helpers of every file */

int bsf_pg_meta_get(struct pg_store *ps, struct pg_conn *c, const char *key,
		    int64_t *v, int *found)
{
	struct pp p = {0};
	int e;

	*found = 0;
	pp_text(&p, key);
	e = bsf_pg_q_i64(ps, c, "SELECT value FROM meta WHERE key = $1", &p, v);
	if (e == GBA_ERR_NOT_FOUND)
		return GBA_OK;
	*found = e == GBA_OK;
	return e;
}

int bsf_pg_ind_bits(struct pg_store *ps, struct pg_conn *c, unsigned *ind_bits)
{
	int64_t v;
	int found, r;

	*ind_bits = GBA_SQN_IND_BITS_DEFAULT;
	if ((r = bsf_pg_meta_get(ps, c, BSF_META_IND_BITS, &v, &found)) != 0)
		return r;
	if (found && v >= 0 && v <= GBA_SQN_IND_BITS_MAX)
		*ind_bits = (unsigned)v;
	return GBA_OK;
}

/* the largest SEQ with @ind_bits IND bits */
int64_t bsf_pg_seq_max(unsigned ind_bits)
{
	return (int64_t)(GBA_SQN_MAX >> ind_bits);
}

int bsf_pg_q1(struct bsf_store *st, const char *sql, const struct pp *p,
	      PGresult **res)
{
	struct pg_conn *c;
	int r;

	if (res)
		*res = NULL;
	PG_WITH_CONN(PG(st), c, r, bsf_pg_q(PG(st), c, sql, p, res));
	return r;
}

int bsf_pg_q1_ints(struct bsf_store *st, const char *sql, const int64_t *v,
		   int n, PGresult **res)
{
	struct pp p = {0};

	pp_ints(&p, v, n);
	return one_row(bsf_pg_q1(st, sql, &p, res), res);
}

int bsf_pg_q1_changed(struct bsf_store *st, const char *sql, const struct pp *p)
{
	PGresult *res;
	int r;

	if ((r = bsf_pg_q1(st, sql, p, &res)) == 0) {
		if (bsf_pg_rows_changed(res) == 0)
			r = GBA_ERR_NOT_FOUND;
		PQclear(res);
	}
	return r;
}

int bsf_pg_del_by_text(struct bsf_store *st, const char *sql, const char *key)
{
	struct pp p = {0};

	if (st == NULL || key == NULL)
		return GBA_ERR_BAD_PARAM;
	pp_text(&p, key);
	return bsf_pg_q1_changed(st, sql, &p);
}

/* ------------------------------------------------------------------ */
/* Batches: one connection, one transaction, a savepoint per item */

static int pg_batch_begin(struct bsf_store *st, struct bsf_store_batch **out)
{
	struct pg_batch *b;
	int r;

	/* arguments checked by the API (store_api.c) */
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return GBA_ERR_NOMEM;
	b->base.st = st;
	if ((r = bsf_pg_conn_get(PG(st), &b->c)) != 0) {
		free(b);
		return r;
	}
	if ((r = bsf_pg_exec(PG(st), b->c, "BEGIN")) != 0) {
		bsf_pg_conn_put(PG(st), b->c);
		free(b);
		return r;
	}
	*out = &b->base;
	return GBA_OK;
}

static int pg_batch_sub_add(struct bsf_store_batch *bb, const struct bsf_sub *s,
			    const char *guss, size_t guss_len, int64_t *id)
{
	struct pg_batch *b = (struct pg_batch *)bb;

	return bsf_pg_sub_add_conn(PG(b->base.st), b->c, s, guss, guss_len, id);
}

static int pg_batch_sub_replace(struct bsf_store_batch *bb,
				const struct bsf_sub *s, const char *guss,
				size_t guss_len, int64_t *id)
{
	struct pg_batch *b = (struct pg_batch *)bb;

	return bsf_pg_sub_replace_conn(PG(b->base.st), b->c, s, guss, guss_len,
				       id);
}

static int pg_batch_assoc_add(struct bsf_store_batch *bb, int64_t naf_id,
			      int64_t sub_id)
{
	struct pg_batch *b = (struct pg_batch *)bb;
	int r;

	/* a failing item leaves the batch usable: its own savepoint */
	PG_SAVEPOINT(PG(b->base.st), b->c, "assoc_add", r,
		     bsf_pg_assoc_add_conn(PG(b->base.st), b->c, naf_id,
					   sub_id));
	return r;
}

static int pg_batch_naf_add(struct bsf_store_batch *bb,
			    const struct bsf_naf *naf, int64_t *id)
{
	struct pg_batch *b = (struct pg_batch *)bb;
	int r;

	/* arguments checked by the API (store_api.c) */
	PG_SAVEPOINT(PG(b->base.st), b->c, "naf_add", r,
		     bsf_pg_naf_add_conn(PG(b->base.st), b->c, naf, id));
	return r;
}

static int pg_batch_commit(struct bsf_store_batch *bb)
{
	struct pg_batch *b = (struct pg_batch *)bb;
	int r;

	if ((r = bsf_pg_exec(PG(b->base.st), b->c, "COMMIT")) != 0)
		return r;
	return bsf_pg_exec(PG(b->base.st), b->c, "BEGIN");
}

static int pg_batch_end(struct bsf_store_batch *bb, int commit)
{
	struct pg_batch *b = (struct pg_batch *)bb;
	int r = GBA_OK;

	if (commit)
		r = bsf_pg_exec(PG(b->base.st), b->c, "COMMIT");
	if (!commit || r != GBA_OK)
		(void)bsf_pg_exec(PG(b->base.st), b->c, "ROLLBACK");
	bsf_pg_conn_put(PG(b->base.st), b->c);
	free(b);
	return r;
}

const struct bsf_store_ops bsf_store_pg_ops = {
	.name = "postgresql",
	.close = pg_close,
	.path = pg_path,
	.schema_version = pg_schema_version,
	.set_stmt_hook = pg_set_stmt_hook,
	.naf_by_cert = bsf_pg_naf_by_cert,
	.naf_by_name = bsf_pg_naf_by_name,
	.naf_add = bsf_pg_naf_add,
	.naf_modify = bsf_pg_naf_modify,
	.naf_remove = bsf_pg_naf_remove,
	.naf_list = bsf_pg_naf_list,
	.resolve = bsf_pg_resolve,
	.gba_params = bsf_pg_gba_params,
	.sub_write = bsf_pg_sub_write,
	.sub_get_id = bsf_pg_sub_get_id,
	.sub_guss = bsf_pg_sub_guss,
	.sub_remove = bsf_pg_sub_remove,
	.sub_list = bsf_pg_sub_list,
	.sub_count = bsf_pg_sub_count,
	.ue_lookup = bsf_pg_ue_lookup,
	.key_row = bsf_pg_key_row,
	.assoc_check = bsf_pg_assoc_check,
	.assoc_add = bsf_pg_assoc_add,
	.assoc_remove = bsf_pg_assoc_remove,
	.assoc_list = bsf_pg_assoc_list,
	.assoc_list_sub = bsf_pg_assoc_list_sub,
	.sqn_reserve = bsf_pg_sqn_reserve,
	.sqn_lower = bsf_pg_sqn_lower,
	.sqn_skip_ahead = bsf_pg_sqn_skip_ahead,
	.sqn_ind_bits = bsf_pg_sqn_ind_bits,
	.batch_begin = pg_batch_begin,
	.batch_sub_add = pg_batch_sub_add,
	.batch_sub_replace = pg_batch_sub_replace,
	.batch_assoc_add = pg_batch_assoc_add,
	.batch_naf_add = pg_batch_naf_add,
	.batch_commit = pg_batch_commit,
	.batch_end = pg_batch_end,
};
