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
 * The embedded AuC (hss.c) does not run on this backend yet: its SQN
 * scheme needs a single AuC per store (docs/hss-store.md section 4).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "gba/sqn.h"
#include "gba/utf8_nfkc.h"
#include "guss.h"
#include "keyrow.h"
#include "store_i.h"
#include "store_ops.h"
#include "store_rules.h"

#define PG_POOL_MAX 16 /* idle connections kept */
#define PG_PARAMS_MAX 16

struct pg_conn {
	PGconn *db;
	struct pg_conn *next;
	int broken; /* a query failed at the connection level */
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
	" impi TEXT NOT NULL UNIQUE,"
	" imsi TEXT UNIQUE,"
	" alg INTEGER NOT NULL CHECK(alg IN (1, 2)),"
	" k TEXT NOT NULL, opc TEXT NOT NULL,"
	" amf TEXT NOT NULL DEFAULT '0000',"
	" tuak_iter INTEGER NOT NULL DEFAULT 1,"
	" tuak_res INTEGER NOT NULL DEFAULT 8,"
	" tuak_ck INTEGER NOT NULL DEFAULT 16,"
	" tuak_ik INTEGER NOT NULL DEFAULT 16,"
	" gba_u INTEGER NOT NULL DEFAULT 0,"
	" guss TEXT,"
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

struct pp {
	int n;
	const char *v[PG_PARAMS_MAX];
	int len[PG_PARAMS_MAX];
	int fmt[PG_PARAMS_MAX];
	char num[PG_PARAMS_MAX][24];
};

static void pp_int(struct pp *p, int64_t x)
{
	snprintf(p->num[p->n], sizeof(p->num[0]), "%lld", (long long)x);
	p->v[p->n] = p->num[p->n];
	p->len[p->n] = 0;
	p->fmt[p->n++] = 0;
}

/* NUL-terminated text; NULL gives SQL NULL */
static void pp_text(struct pp *p, const char *s)
{
	p->v[p->n] = s;
	p->len[p->n] = 0;
	p->fmt[p->n++] = 0;
}

/* binary (BYTEA) */
static void pp_bin(struct pp *p, const void *b, size_t n)
{
	p->v[p->n] = n ? b : "";
	p->len[p->n] = (int)n;
	p->fmt[p->n++] = 1;
}

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

/*
 * Run @sql with @p (may be NULL) on @c; *@res gets the result when the
 * caller wants rows (else NULL and the result is freed).
 */
static int pg_q(struct pg_store *ps, struct pg_conn *c, const char *sql,
		const struct pp *p, PGresult **res)
{
	PGresult *r;
	int st, e = GBA_OK;

	if (res)
		*res = NULL;
	if (ps->stmt_hook)
		ps->stmt_hook(ps->stmt_hook_arg, sql);
	r = PQexecParams(c->db, sql, p ? p->n : 0, NULL, p ? p->v : NULL,
			 p ? p->len : NULL, p ? p->fmt : NULL, 0);
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

/* several statements, no parameters (schema, BEGIN, COMMIT) */
static int pg_exec(struct pg_store *ps, struct pg_conn *c, const char *sql)
{
	PGresult *r;
	int st, e = GBA_OK;

	if (ps->stmt_hook)
		ps->stmt_hook(ps->stmt_hook_arg, sql);
	if ((r = PQexec(c->db, sql)) == NULL) {
		c->broken = 1;
		return GBA_ERR_DB;
	}
	st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		e = sqlstate_err(r);
		if (PQstatus(c->db) != CONNECTION_OK)
			c->broken = 1;
	}
	PQclear(r);
	return e;
}

static int64_t col_i64(const PGresult *r, int row, int col)
{
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

/* copy a text column into a fixed field; too long is corrupt data */
static int col_copy(const PGresult *r, int row, int col, char *out, size_t cap)
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

static int rows_changed(PGresult *r)
{
	return (int)strtol(PQcmdTuples(r), NULL, 10);
}

/* ------------------------------------------------------------------ */
/* Connections */

static void conn_free(struct pg_conn *c)
{
	if (c == NULL)
		return;
	PQfinish(c->db);
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
	if (pg_exec(ps, c,
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

static int conn_get(struct pg_store *ps, struct pg_conn **out)
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

static void conn_put(struct pg_store *ps, struct pg_conn *c)
{
	if (c == NULL)
		return;
	/* never hand back a connection inside a transaction */
	if (!c->broken && PQtransactionStatus(c->db) != PQTRANS_IDLE)
		c->broken = pg_exec(ps, c, "ROLLBACK") != GBA_OK ||
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

/* BEGIN, @fn, COMMIT (ROLLBACK on failure) on a pooled connection */
#define PG_TX(ps, c, r, expr)                                                  \
	do {                                                                   \
		if (((r) = conn_get((ps), &(c))) != 0)                         \
			break;                                                 \
		if (((r) = pg_exec((ps), (c), "BEGIN")) == 0) {                \
			(r) = (expr);                                          \
			if ((r) == GBA_OK)                                     \
				(r) = pg_exec((ps), (c), "COMMIT");            \
			if ((r) != GBA_OK)                                     \
				(void)pg_exec((ps), (c), "ROLLBACK");          \
		}                                                              \
		conn_put((ps), (c));                                           \
	} while (0)

/* ------------------------------------------------------------------ */
/* Open / close / migrate */

static int schema_version(struct pg_store *ps, struct pg_conn *c, int *v)
{
	PGresult *r;
	int e;

	*v = 0;
	e = pg_q(ps, c, "SELECT to_regclass('schema_version') IS NOT NULL",
		 NULL, &r);
	if (e != GBA_OK)
		return e;
	if (PQntuples(r) != 1 || strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
		PQclear(r);
		return GBA_OK; /* empty database: version 0 */
	}
	PQclear(r);
	if ((e = pg_q(ps, c, "SELECT version FROM schema_version", NULL, &r)) !=
	    GBA_OK)
		return e;
	if (PQntuples(r) == 1)
		*v = (int)col_i64(r, 0, 0);
	else
		e = GBA_ERR_DB;
	PQclear(r);
	return e;
}

static int migrate(struct pg_store *ps, struct pg_conn *c, int create)
{
	size_t i;
	int v, r;

	if ((r = pg_exec(ps, c,
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
		if ((r = pg_exec(ps, c, pg_migrations[i].sql)) != 0)
			goto out;
	}
	r = pg_exec(ps, c, "COMMIT");
out:
	if (r != GBA_OK)
		(void)pg_exec(ps, c, "ROLLBACK");
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
	conn_put(ps, c);
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
	if ((r = conn_get(PG(st), &c)) != 0)
		return r;
	r = schema_version(PG(st), c, version);
	conn_put(PG(st), c);
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
/* Push-NAFs */

#define NAF_COLS                                                               \
	"SELECT id, name, cert_id, allow_impi, gba_u_aware, rate FROM naf"

static int naf_fill(struct pg_store *ps, struct pg_conn *c, const PGresult *s,
		    int row, struct bsf_naf *naf)
{
	PGresult *q;
	struct pp p = {0};
	int i, n, r;

	naf->id = col_i64(s, row, 0);
	if ((r = col_copy(s, row, 1, naf->name, sizeof(naf->name))) != 0 ||
	    (r = col_copy(s, row, 2, naf->cert_id, sizeof(naf->cert_id))) != 0)
		return r;
	naf->allow_impi = col_i64(s, row, 3) != 0;
	naf->gba_u_aware = col_i64(s, row, 4) != 0;
	naf->rate = (uint32_t)col_i64(s, row, 5);
	pp_int(&p, naf->id);
	if ((r = pg_q(ps, c,
		      "SELECT fqdn, encode(ua, 'hex') FROM naf_id WHERE"
		      " naf = $1 ORDER BY fqdn COLLATE \"C\", ua",
		      &p, &q)) != 0)
		return r;
	n = PQntuples(q);
	for (i = 0; i < n && r == GBA_OK; i++) {
		struct bsf_naf_id *id;

		if (naf->n_naf_ids == BSF_NAF_IDS_MAX) {
			r = GBA_ERR_TOO_LARGE;
			break;
		}
		id = &naf->naf_ids[naf->n_naf_ids++];
		if ((r = col_copy(q, i, 0, id->fqdn, sizeof(id->fqdn))) == 0 &&
		    gba_hex_decode_exact(PQgetvalue(q, i, 1), id->ua,
					 BSF_UA_ID_LEN) != 0)
			r = GBA_ERR_MALFORMED;
	}
	PQclear(q);
	return r;
}

static int naf_lookup(struct bsf_store *st, const char *sql, const char *key,
		      struct bsf_naf *naf)
{
	struct pg_store *ps = PG(st);
	struct pg_conn *c;
	struct pp p = {0};
	PGresult *s;
	int r;

	if ((r = conn_get(ps, &c)) != 0)
		return r;
	/* both queries on one snapshot */
	if ((r = pg_exec(ps, c,
			 "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) !=
	    0)
		goto out;
	pp_text(&p, key);
	if ((r = pg_q(ps, c, sql, &p, &s)) == 0) {
		if (PQntuples(s) == 1)
			r = naf_fill(ps, c, s, 0, naf);
		else
			r = GBA_ERR_NOT_FOUND;
		PQclear(s);
	}
	(void)pg_exec(ps, c, "COMMIT");
out:
	conn_put(ps, c);
	if (r != GBA_OK)
		memset(naf, 0, sizeof(*naf));
	return r;
}

static int pg_naf_by_cert(struct bsf_store *st, const char *cert_id,
			  size_t cert_id_len, struct bsf_naf *naf)
{
	char key[BSF_CERT_ID_MAX + 1];

	if (naf)
		memset(naf, 0, sizeof(*naf));
	if (st == NULL || cert_id == NULL || naf == NULL)
		return GBA_ERR_BAD_PARAM;
	if (cert_id_len > BSF_CERT_ID_MAX)
		return GBA_ERR_TOO_LARGE;
	if (cert_id_len == 0 || memchr(cert_id, '\0', cert_id_len))
		return GBA_ERR_NOT_FOUND;
	memcpy(key, cert_id, cert_id_len);
	key[cert_id_len] = '\0';
	return naf_lookup(st, NAF_COLS " WHERE lower(cert_id) = lower($1)", key,
			  naf);
}

static int pg_naf_by_name(struct bsf_store *st, const char *name,
			  struct bsf_naf *naf)
{
	if (naf)
		memset(naf, 0, sizeof(*naf));
	if (st == NULL || name == NULL || naf == NULL)
		return GBA_ERR_BAD_PARAM;
	if (strlen(name) > BSF_NAF_NAME_MAX)
		return GBA_ERR_NOT_FOUND;
	return naf_lookup(st, NAF_COLS " WHERE name = $1", name, naf);
}

static int naf_add_conn(struct pg_store *ps, struct pg_conn *c,
			const struct bsf_naf *naf, int64_t *id)
{
	char fqdn[BSF_FQDN_MAX + 1];
	struct pp p = {0};
	PGresult *res;
	int64_t nid;
	size_t i, j;
	int r;

	pp_text(&p, naf->name);
	pp_text(&p, naf->cert_id);
	pp_int(&p, naf->allow_impi != 0);
	pp_int(&p, naf->gba_u_aware != 0);
	pp_int(&p, naf->rate);
	if ((r = pg_q(ps, c,
		      "INSERT INTO naf(name, cert_id, allow_impi,"
		      " gba_u_aware, rate) VALUES($1, $2, $3, $4, $5)"
		      " RETURNING id",
		      &p, &res)) != 0)
		return r;
	nid = col_i64(res, 0, 0);
	PQclear(res);
	for (i = 0; i < naf->n_naf_ids; i++) {
		const struct bsf_naf_id *n = &naf->naf_ids[i];

		for (j = 0; n->fqdn[j]; j++)
			fqdn[j] = bsf_rule_lower(n->fqdn[j]);
		fqdn[j] = '\0';
		memset(&p, 0, sizeof(p));
		pp_int(&p, nid);
		pp_text(&p, fqdn);
		pp_bin(&p, n->ua, BSF_UA_ID_LEN);
		if ((r = pg_q(ps, c,
			      "INSERT INTO naf_id VALUES($1, $2, $3)"
			      " ON CONFLICT DO NOTHING",
			      &p, NULL)) != 0)
			return r;
	}
	if (id)
		*id = nid;
	return GBA_OK;
}

static int pg_naf_add(struct bsf_store *st, const struct bsf_naf *naf,
		      int64_t *id)
{
	struct pg_conn *c;
	size_t i;
	int r;

	if (id)
		*id = 0;
	if (st == NULL || naf == NULL ||
	    !bsf_rule_text_ok(naf->name, BSF_NAF_NAME_MAX) ||
	    !bsf_rule_text_ok(naf->cert_id, BSF_CERT_ID_MAX) ||
	    naf->n_naf_ids > BSF_NAF_IDS_MAX)
		return GBA_ERR_BAD_PARAM;
	for (i = 0; i < naf->n_naf_ids; i++)
		if (!bsf_rule_fqdn_ok(naf->naf_ids[i].fqdn))
			return GBA_ERR_BAD_PARAM;
	PG_TX(PG(st), c, r, naf_add_conn(PG(st), c, naf, id));
	if (r != GBA_OK && id)
		*id = 0;
	return r;
}

static int del_by_text(struct bsf_store *st, const char *sql, const char *key)
{
	struct pg_conn *c;
	struct pp p = {0};
	PGresult *res;
	int r;

	if (st == NULL || key == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = conn_get(PG(st), &c)) != 0)
		return r;
	pp_text(&p, key);
	if ((r = pg_q(PG(st), c, sql, &p, &res)) == 0) {
		if (rows_changed(res) == 0)
			r = GBA_ERR_NOT_FOUND;
		PQclear(res);
	}
	conn_put(PG(st), c);
	return r;
}

static int pg_naf_remove(struct bsf_store *st, const char *name)
{
	return del_by_text(st, "DELETE FROM naf WHERE name = $1", name);
}

static int pg_naf_list(struct bsf_store *st,
		       int (*cb)(void *arg, const struct bsf_naf *naf),
		       void *arg)
{
	struct bsf_naf *naf;
	struct pg_conn *c;
	PGresult *s;
	int i, n, r;

	if (st == NULL || cb == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((naf = malloc(sizeof(*naf))) == NULL)
		return GBA_ERR_NOMEM;
	if ((r = conn_get(PG(st), &c)) != 0) {
		free(naf);
		return r;
	}
	if ((r = pg_exec(PG(st), c,
			 "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) ==
		    0 &&
	    (r = pg_q(PG(st), c, NAF_COLS " ORDER BY name COLLATE \"C\"", NULL,
		      &s)) == 0) {
		n = PQntuples(s);
		for (i = 0; i < n && r == GBA_OK; i++) {
			memset(naf, 0, sizeof(*naf));
			if ((r = naf_fill(PG(st), c, s, i, naf)) == 0)
				r = cb(arg, naf);
		}
		PQclear(s);
	}
	conn_put(PG(st), c); /* rolls the read transaction back */
	free(naf);
	return r;
}

/* ------------------------------------------------------------------ */
/* Identities */

static int resolve_conn(struct pg_store *ps, struct pg_conn *c,
			const char *ue_id, size_t len, enum bsf_id_type type,
			int64_t *sub_id, char *impi, size_t impi_cap)
{
	char norm[BSF_IMPU_MAX + 1], nimpi[BSF_IMPI_MAX + 1];
	struct pp p = {0};
	PGresult *s = NULL;
	size_t nlen;
	int r;

	if (type == BSF_ID_PRIVATE || type == BSF_ID_ANY) {
		if (len > BSF_IMPI_MAX)
			return GBA_ERR_TOO_LARGE;
		/* IMPIs are stored in NFKC (TS 33.220 B.2.1): look up so */
		r = gba_utf8_nfkc((const uint8_t *)ue_id, len, nimpi,
				  sizeof(nimpi), &nlen);
		if (r != GBA_OK && type == BSF_ID_PRIVATE)
			return r == GBA_ERR_BAD_UTF8 ? GBA_ERR_MALFORMED : r;
		if (r != GBA_OK || memchr(nimpi, '\0', nlen))
			goto impu;
		pp_text(&p, nimpi);
		if ((r = pg_q(ps, c,
			      "SELECT id, impi FROM subscriber WHERE impi = $1",
			      &p, &s)) != 0)
			return r;
		if (PQntuples(s) == 1)
			goto found;
		PQclear(s);
		if (type == BSF_ID_PRIVATE)
			return GBA_ERR_NOT_FOUND;
	} else if (type != BSF_ID_PUBLIC) {
		return GBA_ERR_BAD_PARAM;
	}
impu:
	r = bsf_impu_normalize(ue_id, len, norm, sizeof(norm));
	if (r != GBA_OK)
		return type == BSF_ID_ANY ? GBA_ERR_NOT_FOUND : r;
	memset(&p, 0, sizeof(p));
	pp_text(&p, norm);
	if ((r = pg_q(ps, c,
		      "SELECT s.id, s.impi FROM impu i JOIN subscriber s"
		      " ON s.id = i.sub_id WHERE i.impu = $1",
		      &p, &s)) != 0)
		return r;
	if (PQntuples(s) != 1) {
		PQclear(s);
		return GBA_ERR_NOT_FOUND;
	}
found:
	r = GBA_OK;
	if (impi && col_copy(s, 0, 1, impi, impi_cap) != 0)
		r = GBA_ERR_NO_SPACE;
	if (r == GBA_OK)
		*sub_id = col_i64(s, 0, 0);
	PQclear(s);
	return r;
}

static int pg_resolve(struct bsf_store *st, const char *ue_id, size_t len,
		      enum bsf_id_type type, int64_t *sub_id, char *impi,
		      size_t impi_cap)
{
	struct pg_conn *c;
	int r;

	if (sub_id)
		*sub_id = 0;
	if (impi && impi_cap)
		impi[0] = '\0';
	if (st == NULL || ue_id == NULL || sub_id == NULL ||
	    (impi && impi_cap == 0))
		return GBA_ERR_BAD_PARAM;
	if ((r = conn_get(PG(st), &c)) != 0)
		return r;
	r = resolve_conn(PG(st), c, ue_id, len, type, sub_id, impi, impi_cap);
	conn_put(PG(st), c);
	if (r != GBA_OK && impi && impi_cap)
		impi[0] = '\0';
	return r;
}

/* ------------------------------------------------------------------ */
/* Subscribers */

static int uss_insert(struct pg_store *ps, struct pg_conn *c, int64_t sub_id,
		      const struct bsf_guss *g)
{
	uint8_t fl[4 * BSF_USS_FLAGS_MAX];
	struct pp p;
	size_t i, j;
	int r;

	for (i = 0; i < g->n_uss; i++) {
		const struct bsf_uss *u = &g->uss[i];

		for (j = 0; j < u->n_flags; j++) {
			fl[4 * j] = (uint8_t)(u->flags[j] >> 24);
			fl[4 * j + 1] = (uint8_t)(u->flags[j] >> 16);
			fl[4 * j + 2] = (uint8_t)(u->flags[j] >> 8);
			fl[4 * j + 3] = (uint8_t)u->flags[j];
		}
		memset(&p, 0, sizeof(p));
		pp_int(&p, sub_id);
		pp_int(&p, (int64_t)i);
		pp_text(&p, u->gsid);
		pp_text(&p, u->naf_group);
		pp_int(&p, u->uicc_sec);
		pp_bin(&p, fl, 4 * u->n_flags);
		pp_text(&p, u->xml ? u->xml : "");
		if ((r = pg_q(ps, c,
			      "INSERT INTO uss VALUES($1, $2, $3, $4, $5, $6,"
			      " $7)",
			      &p, NULL)) != 0)
			return r;
	}
	return GBA_OK;
}

static int meta_get(struct pg_store *ps, struct pg_conn *c, const char *key,
		    int64_t *v, int *found)
{
	struct pp p = {0};
	PGresult *r;
	int e;

	*v = 0;
	*found = 0;
	pp_text(&p, key);
	if ((e = pg_q(ps, c, "SELECT value FROM meta WHERE key = $1", &p,
		      &r)) != 0)
		return e;
	if (PQntuples(r) == 1) {
		*v = col_i64(r, 0, 0);
		*found = 1;
	}
	PQclear(r);
	return GBA_OK;
}

static int store_ind_bits(struct pg_store *ps, struct pg_conn *c,
			  unsigned *ind_bits)
{
	int64_t v;
	int found, r;

	*ind_bits = GBA_SQN_IND_BITS_DEFAULT;
	if ((r = meta_get(ps, c, BSF_META_IND_BITS, &v, &found)) != 0)
		return r;
	if (found && v >= 0 && v <= GBA_SQN_IND_BITS_MAX)
		*ind_bits = (unsigned)v;
	return GBA_OK;
}

/* everything of bsf_store_sub_add() inside one savepoint of the caller's
 * transaction */
static int sub_add_conn(struct pg_store *ps, struct pg_conn *c,
			const struct bsf_sub *sub, const char *guss,
			size_t guss_len, int64_t *id)
{
	char k_hex[2 * GBA_KEY_MAX + 1], opc_hex[2 * GBA_KEY_MAX + 1];
	char amf_hex[5];
	struct bsf_rule_sub ns; /* IMPI in NFKC, IMPUs normalised, labels */
	char *guss_z = NULL;
	struct bsf_guss g;
	struct pp p;
	PGresult *res;
	unsigned ind_bits;
	size_t i;
	int64_t sid;
	int r, gba_u = sub->gba_u != 0;

	memset(&g, 0, sizeof(g));
	/* the rules and normal forms of every backend (store_rules.h) */
	if ((r = bsf_rule_sub_prepare(sub, &ns)) != 0)
		return r;
	if (guss) {
		if ((r = bsf_guss_parse((const uint8_t *)guss, guss_len,
					BSF_GBA_XML, &g)) != 0)
			return r;
		if (g.has_uicc_type && g.gba_u)
			gba_u = 1;
		/* text parameters are NUL-terminated */
		if ((guss_z = malloc(guss_len + 1)) == NULL) {
			r = GBA_ERR_NOMEM;
			goto out;
		}
		memcpy(guss_z, guss, guss_len);
		guss_z[guss_len] = '\0';
	}
	if ((r = store_ind_bits(ps, c, &ind_bits)) != 0)
		goto out;
	if ((r = gba_hex_encode(sub->key.k, sub->key.k_len, k_hex,
				sizeof(k_hex))) != 0 ||
	    (r = gba_hex_encode(sub->key.opc,
				sub->key.alg == GBA_ALG_TUAK ? 32 : 16, opc_hex,
				sizeof(opc_hex))) != 0 ||
	    (r = gba_hex_encode(sub->amf, 2, amf_hex, sizeof(amf_hex))) != 0)
		goto out;
	if ((r = pg_exec(ps, c, "SAVEPOINT sub_add")) != 0)
		goto out;
	memset(&p, 0, sizeof(p));
	pp_text(&p, ns.impi);
	pp_text(&p, sub->imsi[0] ? sub->imsi : NULL);
	pp_int(&p, (int64_t)sub->key.alg);
	pp_text(&p, k_hex);
	pp_text(&p, opc_hex);
	pp_text(&p, amf_hex);
	if (sub->key.alg == GBA_ALG_TUAK) {
		pp_int(&p, sub->key.keccak_iterations);
		pp_int(&p, (int64_t)sub->key.res_len);
		pp_int(&p, (int64_t)sub->key.ck_len);
		pp_int(&p, (int64_t)sub->key.ik_len);
	} else {
		pp_int(&p, 1);
		pp_int(&p, 8);
		pp_int(&p, 16);
		pp_int(&p, 16);
	}
	pp_int(&p, gba_u);
	pp_text(&p, guss_z);
	pp_text(&p, ns.labels);
	r = pg_q(ps, c,
		 "INSERT INTO subscriber(impi, imsi, alg, k, opc, amf,"
		 " tuak_iter, tuak_res, tuak_ck, tuak_ik, gba_u, guss, labels)"
		 " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
		 " $13) RETURNING id",
		 &p, &res);
	gba_cleanse(&p, sizeof(p));
	if (r != 0)
		goto rollback;
	sid = col_i64(res, 0, 0);
	PQclear(res);
	for (i = 0; i < sub->n_impus; i++) {
		memset(&p, 0, sizeof(p));
		pp_text(&p, ns.impus[i]);
		pp_int(&p, sid);
		if ((r = pg_q(ps, c, "INSERT INTO impu VALUES($1, $2)", &p,
			      NULL)) != 0)
			goto rollback;
	}
	/* SQN state: SEQ of the highest SQN already used; the current run
	 * (hss.c) gives this row its first window (seq_floor, +block] */
	memset(&p, 0, sizeof(p));
	pp_int(&p, sid);
	pp_int(&p, (int64_t)(sub->sqn >> ind_bits));
	if ((r = pg_q(ps, c,
		      "INSERT INTO sqn VALUES($1, $2, (SELECT value FROM meta"
		      " WHERE key = 'hss_run'), $2)",
		      &p, NULL)) != 0 ||
	    (r = uss_insert(ps, c, sid, &g)) != 0)
		goto rollback;
	r = pg_exec(ps, c, "RELEASE sub_add");
	if (r == GBA_OK && id)
		*id = sid;
	goto out;
rollback:
	(void)pg_exec(ps, c, "ROLLBACK TO sub_add; RELEASE sub_add");
out:
	gba_cleanse(k_hex, sizeof(k_hex));
	gba_cleanse(opc_hex, sizeof(opc_hex));
	free(guss_z);
	bsf_guss_clear(&g);
	return r;
}

static int pg_sub_add(struct bsf_store *st, const struct bsf_sub *s,
		      const char *guss, size_t guss_len, int64_t *id)
{
	struct pg_conn *c;
	int r;

	if (id)
		*id = 0;
	if (st == NULL || s == NULL)
		return GBA_ERR_BAD_PARAM;
	PG_TX(PG(st), c, r, sub_add_conn(PG(st), c, s, guss, guss_len, id));
	if (r != GBA_OK && id)
		*id = 0;
	return r;
}

#define SUB_COLS                                                               \
	"SELECT s.id, s.impi, s.imsi, s.alg, s.k, s.opc, s.amf,"               \
	" s.tuak_iter, s.tuak_res, s.tuak_ck, s.tuak_ik, s.gba_u,"             \
	" s.labels, (s.guss IS NOT NULL)::int, q.seq_floor, q.run_floor,"      \
	" q.hwm FROM subscriber s JOIN sqn q ON q.sub_id = s.id"

struct sqn_meta {
	unsigned ind_bits;
	int64_t run;
	int64_t block;
	int ran; /* an AuC has run on this store (block size recorded) */
};

static int sqn_meta_load(struct pg_store *ps, struct pg_conn *c,
			 struct sqn_meta *m)
{
	int found, r;

	m->block = 0;
	if ((r = store_ind_bits(ps, c, &m->ind_bits)) != 0 ||
	    (r = meta_get(ps, c, BSF_META_RUN, &m->run, &found)) != 0 ||
	    (r = meta_get(ps, c, BSF_META_SEQ_BLOCK, &m->block, &found)) != 0)
		return r;
	m->ran = found && m->block > 0;
	return GBA_OK;
}

/* the key columns of row @row from column @col (= alg) on */
static int key_fill(const PGresult *s, int row, int col,
		    struct gba_auth_key *key, uint8_t amf[2])
{
	struct bsf_key_text kt = {
		.alg = (int)col_i64(s, row, col),
		.k = PQgetisnull(s, row, col + 1) ? NULL
						  : PQgetvalue(s, row, col + 1),
		.k_len = (size_t)PQgetlength(s, row, col + 1),
		.opc = PQgetisnull(s, row, col + 2)
			       ? NULL
			       : PQgetvalue(s, row, col + 2),
		.opc_len = (size_t)PQgetlength(s, row, col + 2),
		.amf = PQgetisnull(s, row, col + 3)
			       ? NULL
			       : PQgetvalue(s, row, col + 3),
		.amf_len = (size_t)PQgetlength(s, row, col + 3),
		.tuak_iter = (unsigned)col_i64(s, row, col + 4),
		.tuak_res = (size_t)col_i64(s, row, col + 5),
		.tuak_ck = (size_t)col_i64(s, row, col + 6),
		.tuak_ik = (size_t)col_i64(s, row, col + 7),
	};

	return bsf_key_row_decode(&kt, key, amf);
}

static int labels_split(const char *t, char labels[][BSF_LABEL_MAX + 1],
			size_t *n)
{
	size_t len;
	const char *e;

	*n = 0;
	while (t && *t) {
		e = strchr(t, '\n');
		len = e ? (size_t)(e - t) : strlen(t);
		if (*n == BSF_LABELS_MAX || len > BSF_LABEL_MAX)
			return GBA_ERR_TOO_LARGE;
		memcpy(labels[*n], t, len);
		labels[(*n)++][len] = '\0';
		t = e ? e + 1 : NULL;
	}
	return GBA_OK;
}

static int64_t seq_max(unsigned ind_bits)
{
	return (int64_t)(GBA_SQN_MAX >> ind_bits);
}

/* fill @sub from row @row of a SUB_COLS result */
static int sub_fill(struct pg_store *ps, struct pg_conn *c, const PGresult *s,
		    int row, unsigned flags, const struct sqn_meta *m,
		    struct bsf_sub *sub)
{
	struct pp p = {0};
	PGresult *q;
	int64_t seq_floor, run_floor, bound, windows;
	int i, n, r;

	sub->id = col_i64(s, row, 0);
	if ((r = col_copy(s, row, 1, sub->impi, sizeof(sub->impi))) != 0 ||
	    (r = col_copy(s, row, 2, sub->imsi, sizeof(sub->imsi))) != 0)
		return r;
	/* one decoder for every reader (keyrow.h) */
	if ((r = key_fill(s, row, 3, &sub->key, sub->amf)) != 0)
		return r;
	if (!(flags & BSF_SUB_SECRETS)) {
		gba_cleanse(sub->key.k, sizeof(sub->key.k));
		gba_cleanse(sub->key.opc, sizeof(sub->key.opc));
	}
	sub->gba_u = col_i64(s, row, 11) != 0;
	if ((r = labels_split(PQgetvalue(s, row, 12), sub->labels,
			      &sub->n_labels)) != 0)
		return r;
	sub->has_guss = col_i64(s, row, 13) != 0;
	/* the highest SQN any run so far may have issued (hss.c windows) */
	seq_floor = col_i64(s, row, 14);
	run_floor = col_i64(s, row, 15);
	if (col_i64(s, row, 16) > seq_floor) {
		/* shared windows handed out: H bounds every SEQ issued */
		sub->sqn = ((uint64_t)col_i64(s, row, 16) << m->ind_bits) |
			   ((UINT64_C(1) << m->ind_bits) - 1);
	} else if (!m->ran) {
		sub->sqn = (uint64_t)seq_floor << m->ind_bits;
	} else {
		windows = m->run >= run_floor ? m->run - run_floor + 1 : 1;
		if (windows > (seq_max(m->ind_bits) - seq_floor) / m->block)
			bound = seq_max(m->ind_bits);
		else
			bound = seq_floor + windows * m->block;
		sub->sqn = ((uint64_t)bound << m->ind_bits) |
			   ((UINT64_C(1) << m->ind_bits) - 1);
	}
	pp_int(&p, sub->id);
	if ((r = pg_q(ps, c,
		      "SELECT impu FROM impu WHERE sub_id = $1"
		      " ORDER BY impu COLLATE \"C\"",
		      &p, &q)) != 0)
		return r;
	n = PQntuples(q);
	for (i = 0; i < n && r == GBA_OK; i++) {
		if (sub->n_impus == BSF_IMPUS_MAX) {
			r = GBA_ERR_TOO_LARGE;
			break;
		}
		if ((r = col_copy(q, i, 0, sub->impus[sub->n_impus],
				  BSF_IMPU_MAX + 1)) == 0)
			sub->n_impus++;
	}
	PQclear(q);
	return r;
}

static int sub_get_conn(struct pg_store *ps, struct pg_conn *c, int64_t sub_id,
			unsigned flags, struct bsf_sub *sub)
{
	struct sqn_meta m;
	struct pp p = {0};
	PGresult *s;
	int r;

	if ((r = sqn_meta_load(ps, c, &m)) != 0)
		return r;
	pp_int(&p, sub_id);
	if ((r = pg_q(ps, c, SUB_COLS " WHERE s.id = $1", &p, &s)) != 0)
		return r;
	if (PQntuples(s) == 1)
		r = sub_fill(ps, c, s, 0, flags, &m, sub);
	else
		r = GBA_ERR_NOT_FOUND;
	PQclear(s);
	return r;
}

static int pg_sub_get_id(struct bsf_store *st, int64_t sub_id, unsigned flags,
			 struct bsf_sub *sub)
{
	struct pg_conn *c;
	int r;

	if (sub)
		bsf_sub_clear(sub);
	if (st == NULL || sub == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = conn_get(PG(st), &c)) != 0)
		return r;
	if ((r = pg_exec(PG(st), c,
			 "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) ==
	    0)
		r = sub_get_conn(PG(st), c, sub_id, flags, sub);
	conn_put(PG(st), c);
	if (r != GBA_OK)
		bsf_sub_clear(sub);
	return r;
}

static int pg_sub_get(struct bsf_store *st, const char *ue_id,
		      enum bsf_id_type type, unsigned flags, struct bsf_sub *s)
{
	int64_t id;
	int r;

	if (s)
		bsf_sub_clear(s);
	if (st == NULL || ue_id == NULL || s == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = pg_resolve(st, ue_id, strlen(ue_id), type, &id, NULL, 0)) != 0)
		return r;
	return pg_sub_get_id(st, id, flags, s);
}

static int pg_sub_guss(struct bsf_store *st, int64_t sub_id, char **xml)
{
	struct pg_conn *c;
	struct pp p = {0};
	PGresult *s;
	size_t n;
	int r;

	if (xml)
		*xml = NULL;
	if (st == NULL || xml == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = conn_get(PG(st), &c)) != 0)
		return r;
	pp_int(&p, sub_id);
	if ((r = pg_q(PG(st), c, "SELECT guss FROM subscriber WHERE id = $1",
		      &p, &s)) == 0) {
		if (PQntuples(s) != 1) {
			r = GBA_ERR_NOT_FOUND;
		} else if (!PQgetisnull(s, 0, 0)) {
			n = (size_t)PQgetlength(s, 0, 0);
			if ((*xml = malloc(n + 1)) == NULL) {
				r = GBA_ERR_NOMEM;
			} else {
				memcpy(*xml, PQgetvalue(s, 0, 0), n);
				(*xml)[n] = '\0';
			}
		}
		PQclear(s);
	}
	conn_put(PG(st), c);
	return r;
}

static int pg_sub_remove(struct bsf_store *st, const char *impi)
{
	return del_by_text(st, "DELETE FROM subscriber WHERE impi = $1", impi);
}

static int pg_sub_list(struct bsf_store *st, unsigned flags,
		       int (*cb)(void *arg, const struct bsf_sub *s), void *arg)
{
	struct bsf_sub *sub;
	struct pg_conn *c;
	struct sqn_meta m;
	PGresult *s;
	int i, n, r;

	if (st == NULL || cb == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((sub = calloc(1, sizeof(*sub))) == NULL)
		return GBA_ERR_NOMEM;
	if ((r = conn_get(PG(st), &c)) != 0) {
		free(sub);
		return r;
	}
	/* one snapshot for the whole export */
	if ((r = pg_exec(PG(st), c,
			 "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) !=
		    0 ||
	    (r = sqn_meta_load(PG(st), c, &m)) != 0)
		goto out;
	if ((r = pg_q(PG(st), c, SUB_COLS " ORDER BY s.id", NULL, &s)) != 0)
		goto out;
	n = PQntuples(s);
	for (i = 0; i < n && r == GBA_OK; i++) {
		bsf_sub_clear(sub);
		if ((r = sub_fill(PG(st), c, s, i, flags, &m, sub)) == 0)
			r = cb(arg, sub);
	}
	PQclear(s);
out:
	conn_put(PG(st), c);
	bsf_sub_clear(sub);
	free(sub);
	return r;
}

static int pg_sub_count(struct bsf_store *st, uint64_t *n)
{
	struct pg_conn *c;
	PGresult *s;
	int r;

	if (st == NULL || n == NULL)
		return GBA_ERR_BAD_PARAM;
	*n = 0;
	if ((r = conn_get(PG(st), &c)) != 0)
		return r;
	if ((r = pg_q(PG(st), c, "SELECT count(*) FROM subscriber", NULL,
		      &s)) == 0) {
		*n = (uint64_t)col_i64(s, 0, 0);
		PQclear(s);
	}
	conn_put(PG(st), c);
	return r;
}

/* ------------------------------------------------------------------ */
/* GBA parameters */

static int gba_params_conn(struct pg_store *ps, struct pg_conn *c,
			   int64_t sub_id, unsigned flags,
			   struct bsf_gba_params *p)
{
	struct pp pp = {0};
	PGresult *s;
	int i, n, r;

	pp_int(&pp, sub_id);
	if ((r = pg_q(ps, c,
		      "SELECT gba_u, labels, guss FROM subscriber"
		      " WHERE id = $1",
		      &pp, &s)) != 0)
		goto out;
	if (PQntuples(s) != 1) {
		PQclear(s);
		r = GBA_ERR_NOT_FOUND;
		goto out;
	}
	p->gba_u = col_i64(s, 0, 0) != 0;
	r = labels_split(PQgetvalue(s, 0, 1), p->labels, &p->n_labels);
	if (r == GBA_OK && (flags & BSF_GBA_XML) && !PQgetisnull(s, 0, 2)) {
		size_t len = (size_t)PQgetlength(s, 0, 2);

		if ((p->guss_xml = malloc(len + 1)) == NULL) {
			r = GBA_ERR_NOMEM;
		} else {
			memcpy(p->guss_xml, PQgetvalue(s, 0, 2), len);
			p->guss_xml[len] = '\0';
			p->guss_xml_len = len;
		}
	}
	PQclear(s);
	if (r != GBA_OK || (flags & BSF_GBA_NO_USS))
		goto out;
	if ((r = pg_q(ps, c,
		      "SELECT gsid, naf_group, uicc_sec, encode(flags, 'hex'),"
		      " xml FROM uss WHERE sub_id = $1 ORDER BY idx",
		      &pp, &s)) != 0)
		goto out;
	n = PQntuples(s);
	for (i = 0; i < n && r == GBA_OK; i++) {
		uint8_t fl[4 * BSF_USS_FLAGS_MAX];
		const char *hex = PQgetvalue(s, i, 3);
		size_t hn = (size_t)PQgetlength(s, i, 3), nf = 0, j;
		struct bsf_uss *u;

		if (p->n_uss == BSF_USS_MAX) {
			r = GBA_ERR_TOO_LARGE;
			break;
		}
		u = &p->uss[p->n_uss++];
		if ((r = col_copy(s, i, 0, u->gsid, sizeof(u->gsid))) != 0 ||
		    (r = col_copy(s, i, 1, u->naf_group,
				  sizeof(u->naf_group))) != 0)
			break;
		u->uicc_sec = (int)col_i64(s, i, 2);
		if (hn > 2 * sizeof(fl) ||
		    gba_hex_decode(hex, hn, fl, sizeof(fl), &nf) != 0 ||
		    nf % 4) {
			r = GBA_ERR_MALFORMED;
			break;
		}
		for (j = 0; j < nf / 4; j++)
			u->flags[j] = (uint32_t)fl[4 * j] << 24 |
				      (uint32_t)fl[4 * j + 1] << 16 |
				      (uint32_t)fl[4 * j + 2] << 8 |
				      fl[4 * j + 3];
		u->n_flags = nf / 4;
		if (flags & (BSF_GBA_XML | BSF_GBA_USS_XML)) {
			size_t len = (size_t)PQgetlength(s, i, 4);

			if ((u->xml = malloc(len + 1)) == NULL) {
				r = GBA_ERR_NOMEM;
				break;
			}
			memcpy(u->xml, PQgetvalue(s, i, 4), len);
			u->xml[len] = '\0';
		}
	}
	PQclear(s);
out:
	if (r != GBA_OK)
		bsf_gba_params_clear(p);
	return r;
}

static int pg_gba_params(struct bsf_store *st, int64_t sub_id, unsigned flags,
			 struct bsf_gba_params *p)
{
	struct pg_conn *c;
	int r;

	if (p)
		memset(p, 0, sizeof(*p));
	if (st == NULL || p == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = conn_get(PG(st), &c)) != 0)
		return r;
	if ((r = pg_exec(PG(st), c,
			 "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) ==
	    0)
		r = gba_params_conn(PG(st), c, sub_id, flags, p);
	conn_put(PG(st), c);
	return r;
}

/* the AuC's key row of @sub_id (inside the caller's transaction) */
static int key_row_conn(struct pg_store *ps, struct pg_conn *c, int64_t sub_id,
			struct bsf_key_row *row)
{
	struct pp p = {0};
	PGresult *s;
	int r;

	memset(row, 0, sizeof(*row));
	row->sub_id = sub_id;
	pp_int(&p, sub_id);
	if ((r = pg_q(ps, c,
		      "SELECT s.alg, s.k, s.opc, s.amf, s.tuak_iter,"
		      " s.tuak_res, s.tuak_ck, s.tuak_ik, q.seq_floor,"
		      " q.run_floor, q.gen, q.hwm FROM subscriber s JOIN sqn q"
		      " ON q.sub_id = s.id WHERE s.id = $1",
		      &p, &s)) != 0)
		goto out;
	if (PQntuples(s) != 1) {
		r = GBA_ERR_NOT_FOUND;
	} else {
		row->seq_floor = col_i64(s, 0, 8);
		row->run_floor = col_i64(s, 0, 9);
		row->gen = col_i64(s, 0, 10);
		row->hwm = col_i64(s, 0, 11);
		if (key_fill(s, 0, 0, &row->key, row->amf) != GBA_OK ||
		    row->seq_floor < 0)
			r = GBA_ERR_MALFORMED;
	}
	PQclear(s); /* libpq does not wipe its buffers: see the header */
out:
	if (r != GBA_OK)
		gba_cleanse(row, sizeof(*row));
	return r;
}

static int pg_key_row(struct bsf_store *st, int64_t sub_id,
		      struct bsf_key_row *row)
{
	struct pg_conn *c;
	int r;

	if (row == NULL)
		return GBA_ERR_BAD_PARAM;
	memset(row, 0, sizeof(*row));
	if (st == NULL || sub_id <= 0)
		return GBA_ERR_BAD_PARAM;
	if ((r = conn_get(PG(st), &c)) != 0)
		return r;
	r = key_row_conn(PG(st), c, sub_id, row);
	conn_put(PG(st), c);
	return r;
}

/* ------------------------------------------------------------------ */
/* Associations */

static int assoc_check_conn(struct pg_store *ps, struct pg_conn *c,
			    int64_t naf_id, int64_t sub_id)
{
	struct pp p = {0};
	PGresult *s;
	int r;

	pp_int(&p, naf_id);
	pp_int(&p, sub_id);
	if ((r = pg_q(ps, c,
		      "SELECT 1 FROM assoc WHERE naf = $1 AND sub_id = $2", &p,
		      &s)) != 0)
		return r;
	r = PQntuples(s) == 1 ? GBA_OK : GBA_ERR_NOT_AUTHORIZED;
	PQclear(s);
	return r;
}

static int pg_assoc_check(struct bsf_store *st, int64_t naf_id, int64_t sub_id)
{
	struct pg_conn *c;
	int r;

	if (st == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = conn_get(PG(st), &c)) != 0)
		return r;
	r = assoc_check_conn(PG(st), c, naf_id, sub_id);
	conn_put(PG(st), c);
	return r;
}

static int pg_ue_lookup(struct bsf_store *st, int64_t naf_id, const char *ue_id,
			size_t len, enum bsf_id_type type, unsigned flags,
			struct bsf_ue *ue, struct bsf_key_row *row)
{
	struct pg_store *ps = PG(st);
	struct pg_conn *c;
	int r;

	if (ue)
		memset(ue, 0, sizeof(*ue));
	if (st == NULL || ue_id == NULL || ue == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = conn_get(ps, &c)) != 0)
		return r;
	/* one read transaction: one snapshot */
	if ((r = pg_exec(ps, c,
			 "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) ==
	    0) {
		r = resolve_conn(ps, c, ue_id, len, type, &ue->sub_id, ue->impi,
				 sizeof(ue->impi));
		/* an unknown UE runs the association query too (same
		 * statements as an unassociated one: docs/bsf.md) */
		if (r == GBA_ERR_NOT_FOUND) {
			ue->sub_id = 0;
			if ((r = assoc_check_conn(ps, c, naf_id, 0)) ==
				    GBA_ERR_NOT_AUTHORIZED ||
			    r == GBA_OK)
				r = GBA_ERR_NOT_FOUND;
		} else if (r == 0 &&
			   (r = assoc_check_conn(ps, c, naf_id, ue->sub_id)) ==
				   0 &&
			   (r = gba_params_conn(ps, c, ue->sub_id, flags,
						&ue->params)) == 0 &&
			   row) {
			r = key_row_conn(ps, c, ue->sub_id, row);
		}
		if (pg_exec(ps, c, "COMMIT") != GBA_OK && r == GBA_OK)
			r = GBA_ERR_DB;
	}
	conn_put(ps, c);
	if (r != GBA_OK) {
		int64_t keep = r == GBA_ERR_NOT_AUTHORIZED ? ue->sub_id : 0;

		bsf_gba_params_clear(&ue->params);
		gba_cleanse(ue, sizeof(*ue));
		ue->sub_id = keep;
		if (row)
			gba_cleanse(row, sizeof(*row));
	}
	return r;
}

static int assoc_add_conn(struct pg_store *ps, struct pg_conn *c,
			  int64_t naf_id, int64_t sub_id)
{
	struct pp p = {0};

	pp_int(&p, naf_id);
	pp_int(&p, sub_id);
	return pg_q(ps, c, "INSERT INTO assoc VALUES($1, $2)", &p, NULL);
}

static int pg_assoc_add(struct bsf_store *st, int64_t naf_id, int64_t sub_id)
{
	struct pg_conn *c;
	int r;

	if (st == NULL)
		return GBA_ERR_BAD_PARAM;
	PG_TX(PG(st), c, r, assoc_add_conn(PG(st), c, naf_id, sub_id));
	return r;
}

static int pg_assoc_remove(struct bsf_store *st, int64_t naf_id, int64_t sub_id)
{
	struct pg_conn *c;
	struct pp p = {0};
	PGresult *s;
	int r;

	if (st == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = conn_get(PG(st), &c)) != 0)
		return r;
	pp_int(&p, naf_id);
	pp_int(&p, sub_id);
	if ((r = pg_q(PG(st), c,
		      "DELETE FROM assoc WHERE naf = $1 AND sub_id = $2", &p,
		      &s)) == 0) {
		if (rows_changed(s) == 0)
			r = GBA_ERR_NOT_FOUND;
		PQclear(s);
	}
	conn_put(PG(st), c);
	return r;
}

static int pg_assoc_list(struct bsf_store *st, int64_t naf_id,
			 int (*cb)(void *arg, const char *naf_name,
				   const char *impi),
			 void *arg)
{
	struct pg_conn *c;
	struct pp p = {0};
	PGresult *s;
	int i, n, r;

	if (st == NULL || cb == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = conn_get(PG(st), &c)) != 0)
		return r;
	if (naf_id) {
		pp_int(&p, naf_id);
		r = pg_q(PG(st), c,
			 "SELECT n.name, s.impi FROM assoc a"
			 " JOIN naf n ON n.id = a.naf JOIN subscriber s"
			 " ON s.id = a.sub_id WHERE a.naf = $1"
			 " ORDER BY n.name COLLATE \"C\", s.impi COLLATE \"C\"",
			 &p, &s);
	} else {
		r = pg_q(PG(st), c,
			 "SELECT n.name, s.impi FROM assoc a"
			 " JOIN naf n ON n.id = a.naf JOIN subscriber s"
			 " ON s.id = a.sub_id"
			 " ORDER BY n.name COLLATE \"C\", s.impi COLLATE \"C\"",
			 NULL, &s);
	}
	if (r == GBA_OK) {
		n = PQntuples(s);
		for (i = 0; i < n && r == GBA_OK; i++)
			r = cb(arg, PQgetvalue(s, i, 0), PQgetvalue(s, i, 1));
		PQclear(s);
	}
	conn_put(PG(st), c);
	return r;
}

static int pg_assoc_list_sub(struct bsf_store *st, int64_t sub_id,
			     int (*cb)(void *arg, const char *naf_name),
			     void *arg)
{
	struct pg_conn *c;
	struct pp p = {0};
	PGresult *s;
	int i, n, r;

	if (st == NULL || cb == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = conn_get(PG(st), &c)) != 0)
		return r;
	pp_int(&p, sub_id);
	if ((r = pg_q(PG(st), c,
		      "SELECT n.name FROM assoc a JOIN naf n ON n.id = a.naf"
		      " WHERE a.sub_id = $1 ORDER BY n.name COLLATE \"C\"",
		      &p, &s)) == 0) {
		n = PQntuples(s);
		for (i = 0; i < n && r == GBA_OK; i++)
			r = cb(arg, PQgetvalue(s, i, 0));
		PQclear(s);
	}
	conn_put(PG(st), c);
	return r;
}

/* ------------------------------------------------------------------ */
/* Shared SQN windows (docs/hss-store.md section 4) */

/* the IND length: recorded by the first AuC (as the SQLite AuC does in
 * its meta table), the same for every later one */
static int pg_sqn_ind_bits(struct bsf_store *st, unsigned ind_bits)
{
	struct pg_conn *c;
	struct pp p = {0};
	PGresult *s;
	int r;

	if (st == NULL || ind_bits > GBA_SQN_IND_BITS_MAX)
		return GBA_ERR_BAD_PARAM;
	if ((r = conn_get(PG(st), &c)) != 0)
		return r;
	pp_text(&p, BSF_META_IND_BITS);
	pp_int(&p, (int64_t)ind_bits);
	/* one statement: the first AuC's value stays */
	r = pg_q(PG(st), c,
		 "WITH ins AS (INSERT INTO meta VALUES($1, $2::bigint)"
		 " ON CONFLICT (key) DO NOTHING RETURNING value)"
		 " SELECT value FROM ins UNION ALL"
		 " SELECT value FROM meta WHERE key = $1",
		 &p, &s);
	if (r == GBA_OK) {
		if (PQntuples(s) < 1)
			r = GBA_ERR_DB;
		else if (col_i64(s, 0, 0) != (int64_t)ind_bits)
			r = GBA_ERR_CONFIG;
		PQclear(s);
	}
	conn_put(PG(st), c);
	return r;
}

static int pg_sqn_reserve(struct bsf_store *st, int64_t sub_id, int64_t gen,
			  int64_t floor, int64_t block, int64_t seq_max,
			  int64_t *hi, int64_t *gen_now)
{
	struct pg_conn *c;
	struct pp p = {0};
	PGresult *s;
	int r;

	*hi = 0;
	*gen_now = 0;
	if (st == NULL || block <= 0 || floor < 0)
		return GBA_ERR_BAD_PARAM;
	if ((r = conn_get(PG(st), &c)) != 0)
		return r;
	pp_int(&p, sub_id);
	pp_int(&p, gen);
	pp_int(&p, floor);
	pp_int(&p, block);
	pp_int(&p, seq_max);
	/* one statement, autocommit: the row lock serialises the nodes,
	 * H only moves up within a generation; committed (WAL flushed)
	 * before the caller uses any value of the window */
	r = pg_q(PG(st), c,
		 "UPDATE sqn SET hwm = GREATEST(hwm, $3::bigint) + $4::bigint"
		 " WHERE sub_id = $1::bigint AND gen = $2::bigint AND"
		 " GREATEST(hwm, $3::bigint) <= $5::bigint - $4::bigint"
		 " RETURNING hwm, gen",
		 &p, &s);
	if (r == GBA_OK) {
		if (PQntuples(s) == 1) {
			*hi = col_i64(s, 0, 0);
			*gen_now = col_i64(s, 0, 1);
		} else {
			r = GBA_ERR_NOT_FOUND;
		}
		PQclear(s);
	}
	if (r == GBA_ERR_NOT_FOUND) {
		/* why not: gone, another generation, or exhausted */
		memset(&p, 0, sizeof(p));
		pp_int(&p, sub_id);
		if (pg_q(PG(st), c, "SELECT hwm, gen FROM sqn WHERE sub_id = $1",
			 &p, &s) == GBA_OK) {
			if (PQntuples(s) == 1) {
				*gen_now = col_i64(s, 0, 1);
				r = *gen_now != gen ? GBA_ERR_STATE
						    : GBA_ERR_SQN_EXHAUSTED;
			}
			PQclear(s);
		} else {
			r = GBA_ERR_DB;
		}
	}
	conn_put(PG(st), c);
	return r;
}

static int pg_sqn_lower(struct bsf_store *st, int64_t sub_id, int64_t seq_ms,
			int64_t block, int64_t *gen_now)
{
	struct pg_conn *c;
	struct pp p = {0};
	PGresult *s;
	int r;

	*gen_now = 0;
	if (st == NULL || block <= 0 || seq_ms < 0)
		return GBA_ERR_BAD_PARAM;
	if ((r = conn_get(PG(st), &c)) != 0)
		return r;
	pp_int(&p, sub_id);
	pp_int(&p, seq_ms);
	pp_int(&p, block);
	if ((r = pg_q(PG(st), c,
		      "UPDATE sqn SET hwm = $2::bigint + $3::bigint,"
		      " gen = gen + 1 WHERE sub_id = $1::bigint RETURNING gen",
		      &p, &s)) == GBA_OK) {
		if (PQntuples(s) == 1)
			*gen_now = col_i64(s, 0, 0);
		else
			r = GBA_ERR_NOT_FOUND;
		PQclear(s);
	}
	conn_put(PG(st), c);
	return r;
}

/* ------------------------------------------------------------------ */
/* Batches: one connection, one transaction, a savepoint per item */

static int pg_batch_begin(struct bsf_store *st, struct bsf_store_batch **out)
{
	struct pg_batch *b;
	int r;

	if (out == NULL)
		return GBA_ERR_BAD_PARAM;
	*out = NULL;
	if (st == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return GBA_ERR_NOMEM;
	b->base.st = st;
	if ((r = conn_get(PG(st), &b->c)) != 0) {
		free(b);
		return r;
	}
	if ((r = pg_exec(PG(st), b->c, "BEGIN")) != 0) {
		conn_put(PG(st), b->c);
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

	if (id)
		*id = 0;
	if (b == NULL || s == NULL)
		return GBA_ERR_BAD_PARAM;
	return sub_add_conn(PG(b->base.st), b->c, s, guss, guss_len, id);
}

static int pg_batch_assoc_add(struct bsf_store_batch *bb, int64_t naf_id,
			      int64_t sub_id)
{
	struct pg_batch *b = (struct pg_batch *)bb;
	int r;

	if (b == NULL)
		return GBA_ERR_BAD_PARAM;
	/* a failing item leaves the batch usable: its own savepoint */
	if ((r = pg_exec(PG(b->base.st), b->c, "SAVEPOINT assoc_add")) != 0)
		return r;
	r = assoc_add_conn(PG(b->base.st), b->c, naf_id, sub_id);
	(void)pg_exec(PG(b->base.st), b->c,
		      r == GBA_OK ? "RELEASE assoc_add"
				  : "ROLLBACK TO assoc_add; RELEASE assoc_add");
	return r;
}

static int pg_batch_commit(struct bsf_store_batch *bb)
{
	struct pg_batch *b = (struct pg_batch *)bb;
	int r;

	if (b == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = pg_exec(PG(b->base.st), b->c, "COMMIT")) != 0)
		return r;
	return pg_exec(PG(b->base.st), b->c, "BEGIN");
}

static int pg_batch_end(struct bsf_store_batch *bb, int commit)
{
	struct pg_batch *b = (struct pg_batch *)bb;
	int r = GBA_OK;

	if (b == NULL)
		return GBA_OK;
	if (commit)
		r = pg_exec(PG(b->base.st), b->c, "COMMIT");
	if (!commit || r != GBA_OK)
		(void)pg_exec(PG(b->base.st), b->c, "ROLLBACK");
	conn_put(PG(b->base.st), b->c);
	free(b);
	return r;
}

const struct bsf_store_ops bsf_store_pg_ops = {
	.name = "postgresql",
	.close = pg_close,
	.path = pg_path,
	.schema_version = pg_schema_version,
	.set_stmt_hook = pg_set_stmt_hook,
	.naf_by_cert = pg_naf_by_cert,
	.naf_by_name = pg_naf_by_name,
	.naf_add = pg_naf_add,
	.naf_remove = pg_naf_remove,
	.naf_list = pg_naf_list,
	.resolve = pg_resolve,
	.gba_params = pg_gba_params,
	.sub_add = pg_sub_add,
	.sub_get = pg_sub_get,
	.sub_get_id = pg_sub_get_id,
	.sub_guss = pg_sub_guss,
	.sub_remove = pg_sub_remove,
	.sub_list = pg_sub_list,
	.sub_count = pg_sub_count,
	.ue_lookup = pg_ue_lookup,
	.key_row = pg_key_row,
	.assoc_check = pg_assoc_check,
	.assoc_add = pg_assoc_add,
	.assoc_remove = pg_assoc_remove,
	.assoc_list = pg_assoc_list,
	.assoc_list_sub = pg_assoc_list_sub,
	.sqn_reserve = pg_sqn_reserve,
	.sqn_lower = pg_sqn_lower,
	.sqn_ind_bits = pg_sqn_ind_bits,
	.batch_begin = pg_batch_begin,
	.batch_sub_add = pg_batch_sub_add,
	.batch_assoc_add = pg_batch_assoc_add,
	.batch_commit = pg_batch_commit,
	.batch_end = pg_batch_end,
};
