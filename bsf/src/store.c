/* see store.h - schema and rules in docs/hss-store.md */
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
#include "store_i.h"
#include "store_ops.h"

#define BSF_STORE_POOL_MAX 16 /* idle connections kept */

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

/* the operations (bsf_store_sqlite_ops, end of file) */
static void sq_set_stmt_hook(struct bsf_store *st, bsf_store_stmt_hook hook,
			     void *arg);
static void sq_close(struct bsf_store *st);
static const char *sq_path(const struct bsf_store *st);
static int sq_schema_version(struct bsf_store *st, int *version);
static int sq_resolve(struct bsf_store *st, const char *ue_id, size_t len,
		      enum bsf_id_type type, int64_t *sub_id, char *impi,
		      size_t impi_cap);
static int sq_naf_by_cert(struct bsf_store *st, const char *cert_id,
			  size_t cert_id_len, struct bsf_naf *naf);
static int sq_naf_by_name(struct bsf_store *st, const char *name,
			  struct bsf_naf *naf);
static int sq_naf_add(struct bsf_store *st, const struct bsf_naf *naf,
		      int64_t *id);
static int sq_naf_remove(struct bsf_store *st, const char *name);
static int sq_naf_list(struct bsf_store *st,
		       int (*cb)(void *arg, const struct bsf_naf *naf),
		       void *arg);
static int sq_sub_add(struct bsf_store *st, const struct bsf_sub *s,
		      const char *guss, size_t guss_len, int64_t *id);
static int sq_sub_get_id(struct bsf_store *st, int64_t sub_id, unsigned flags,
			 struct bsf_sub *sub);
static int sq_sub_get(struct bsf_store *st, const char *ue_id,
		      enum bsf_id_type type, unsigned flags, struct bsf_sub *s);
static int sq_sub_guss(struct bsf_store *st, int64_t sub_id, char **xml);
static int sq_sub_remove(struct bsf_store *st, const char *impi);
static int sq_sub_list(struct bsf_store *st, unsigned flags,
		       int (*cb)(void *arg, const struct bsf_sub *s),
		       void *arg);
static int sq_sub_count(struct bsf_store *st, uint64_t *n);
static int sq_gba_params(struct bsf_store *st, int64_t sub_id, unsigned flags,
			 struct bsf_gba_params *p);
static int sq_assoc_check(struct bsf_store *st, int64_t naf_id, int64_t sub_id);
static int sq_key_row(struct bsf_store *st, int64_t sub_id,
		      struct bsf_key_row *row);
static int sq_ue_lookup(struct bsf_store *st, int64_t naf_id, const char *ue_id,
			size_t len, enum bsf_id_type type, unsigned flags,
			struct bsf_ue *ue, struct bsf_key_row *row);
static int sq_assoc_add(struct bsf_store *st, int64_t naf_id, int64_t sub_id);
static int sq_assoc_remove(struct bsf_store *st, int64_t naf_id,
			   int64_t sub_id);
static int sq_assoc_list(struct bsf_store *st, int64_t naf_id,
			 int (*cb)(void *arg, const char *naf_name,
				   const char *impi),
			 void *arg);
static int sq_assoc_list_sub(struct bsf_store *st, int64_t sub_id,
			     int (*cb)(void *arg, const char *naf_name),
			     void *arg);
static int sq_batch_begin(struct bsf_store *st, struct bsf_store_batch **out);
static int sq_batch_sub_add(struct bsf_store_batch *bb, const struct bsf_sub *s,
			    const char *guss, size_t guss_len, int64_t *id);
static int sq_batch_assoc_add(struct bsf_store_batch *bb, int64_t naf_id,
			      int64_t sub_id);
static int sq_batch_commit(struct bsf_store_batch *bb);
static int sq_batch_end(struct bsf_store_batch *bb, int commit);

/* ------------------------------------------------------------------ */
/* Schema.  Version 1 is the first released layout; every later version
 * is a migration step from the one before, so a fresh store is built by
 * running all steps (the migration path is exercised on every create). */

static const char schema_v1[] =
	"CREATE TABLE schema_version(version INTEGER NOT NULL);"
	"INSERT INTO schema_version VALUES(1);"
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)"
	" WITHOUT ROWID;"
	"INSERT INTO meta VALUES('hss_run', 0);"
	"CREATE TABLE subscriber("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
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
	" sqn INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE impu(impu TEXT PRIMARY KEY, sub_id INTEGER NOT NULL"
	" REFERENCES subscriber(id) ON DELETE CASCADE) WITHOUT ROWID;"
	"CREATE INDEX impu_sub ON impu(sub_id);"
	"CREATE TABLE naf("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" name TEXT NOT NULL UNIQUE,"
	" cert_id TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	" allow_impi INTEGER NOT NULL DEFAULT 0,"
	" gba_u_aware INTEGER NOT NULL DEFAULT 0,"
	" rate INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE naf_id(naf INTEGER NOT NULL REFERENCES naf(id)"
	" ON DELETE CASCADE, fqdn TEXT NOT NULL, ua BLOB NOT NULL,"
	" PRIMARY KEY(naf, fqdn, ua)) WITHOUT ROWID;"
	"CREATE TABLE assoc(naf INTEGER NOT NULL REFERENCES naf(id)"
	" ON DELETE CASCADE, sub_id INTEGER NOT NULL REFERENCES"
	" subscriber(id) ON DELETE CASCADE, PRIMARY KEY(naf, sub_id))"
	" WITHOUT ROWID;"
	"CREATE INDEX assoc_sub ON assoc(sub_id);";

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

static int uss_insert(struct bsf_conn *c, int64_t sub_id,
		      const struct bsf_guss *g);

static int set_gba_u(struct bsf_conn *c, int64_t id)
{
	sqlite3_stmt *u = NULL;
	int rc;

	if (sqlite3_prepare_v2(c->db,
			       "UPDATE subscriber SET gba_u = 1 WHERE id = ?1",
			       -1, &u, NULL) != SQLITE_OK)
		return GBA_ERR_DB;
	sqlite3_bind_int64(u, 1, id);
	rc = sqlite3_step(u);
	sqlite3_finalize(u);
	return rc == SQLITE_DONE ? GBA_OK : bsf_db_err(rc);
}

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
			r = uss_insert(c, sqlite3_column_int64(s, 0), &g);
		if (r == GBA_OK && g.has_uicc_type && g.gba_u)
			r = set_gba_u(c, sqlite3_column_int64(s, 0));
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

static void sq_set_stmt_hook(struct bsf_store *st, bsf_store_stmt_hook hook,
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
/* Statement slots (store.c owns 0..BSF_ST_STORE_MAX-1) */

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
	int rc;

	if (s == NULL)
		return GBA_ERR_DB;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, v);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? GBA_OK : bsf_db_err(rc);
}

/* ------------------------------------------------------------------ */
/* Open / close / migrate */

static int schema_version(struct bsf_conn *c, int *v)
{
	sqlite3_stmt *s = NULL;
	int rc;

	*v = 0;
	rc = sqlite3_prepare_v2(c->db,
				"SELECT 1 FROM sqlite_master WHERE type ="
				" 'table' AND name = 'schema_version'",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return GBA_ERR_DB;
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return GBA_OK; /* empty file: version 0 */
	if (rc != SQLITE_ROW)
		return bsf_db_err(rc);
	rc = sqlite3_prepare_v2(c->db, "SELECT version FROM schema_version", -1,
				&s, NULL);
	if (rc != SQLITE_OK)
		return GBA_ERR_DB;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? GBA_OK : GBA_ERR_DB;
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
		sq_close(st);
		return r;
	}
	bsf_conn_put(st, c);
	*out = st;
	return GBA_OK;
}

static void sq_close(struct bsf_store *st)
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

static const char *sq_path(const struct bsf_store *st)
{
	return st ? SQC(st)->path : NULL;
}

static int sq_schema_version(struct bsf_store *st, int *version)
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
static int col_copy(sqlite3_stmt *s, int col, char *out, size_t cap)
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

/* printable ASCII/UTF-8 without control characters, 1..max octets */
static int text_ok(const char *s, size_t max)
{
	size_t n;

	if (s == NULL)
		return 0;
	n = strnlen(s, max + 1);
	if (n == 0 || n > max)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static char lower(char ch)
{
	return (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
}

static int fqdn_ok(const char *s)
{
	size_t n = strnlen(s, BSF_FQDN_MAX + 1), i;

	if (n == 0 || n > BSF_FQDN_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '.'))
			return 0;
	}
	return 1;
}

/* ------------------------------------------------------------------ */
/* Identities */

static int is_sep(char ch)
{
	return ch == '-' || ch == '.' || ch == '(' || ch == ')';
}

int bsf_impu_normalize(const char *in, size_t in_len, char *out, size_t cap)
{
	size_t i, o = 0, end = in_len, at = 0, ndig = 0;
	int tel;

	if (in == NULL || out == NULL || cap == 0)
		return GBA_ERR_BAD_PARAM;
	out[0] = '\0';
	if (in_len > BSF_IMPU_MAX)
		return GBA_ERR_TOO_LARGE;
	for (i = 0; i < in_len; i++)
		if ((unsigned char)in[i] < 0x21 || in[i] == 0x7f ||
		    in[i] == '<' || in[i] == '>' || in[i] == '"')
			return GBA_ERR_MALFORMED;
	if (in_len > 4 && lower(in[0]) == 't' && lower(in[1]) == 'e' &&
	    lower(in[2]) == 'l' && in[3] == ':') {
		tel = 1;
		i = 4;
	} else if (in_len > 4 && lower(in[0]) == 's' && lower(in[1]) == 'i' &&
		   lower(in[2]) == 'p' && in[3] == ':') {
		tel = 0;
		i = 4;
	} else if (in_len > 5 && lower(in[0]) == 's' && lower(in[1]) == 'i' &&
		   lower(in[2]) == 'p' && lower(in[3]) == 's' && in[4] == ':') {
		tel = 0;
		i = 5;
	} else {
		return GBA_ERR_MALFORMED;
	}
	/* parameters (;...) and, for SIP, headers (?...) are not identity */
	for (end = i; end < in_len && in[end] != ';' && (tel || in[end] != '?');
	     end++)
		;
	if (end == i)
		return GBA_ERR_MALFORMED;
	if (i + 1 > cap)
		return GBA_ERR_TOO_LARGE;
	for (o = 0; o < i; o++)
		out[o] = lower(in[o]);
	if (tel) {
		/* global number only: '+' then digits, separators dropped */
		if (in[i] != '+')
			return GBA_ERR_MALFORMED;
		out[o++] = '+';
		for (i++; i < end; i++) {
			if (is_sep(in[i]))
				continue;
			if (in[i] < '0' || in[i] > '9')
				return GBA_ERR_MALFORMED;
			if (o + 1 >= cap)
				return GBA_ERR_TOO_LARGE;
			out[o++] = in[i];
			ndig++;
		}
		if (ndig == 0 || ndig > 15) /* E.164: at most 15 digits */
			return GBA_ERR_MALFORMED;
	} else {
		/* [user@]host: user kept, host lower-cased; without '@'
		 * the loop stops at i and everything is host */
		for (at = end; at > i && in[at - 1] != '@'; at--)
			;
		if (at == i + 1 || at == end) /* empty user or host */
			return GBA_ERR_MALFORMED;
		for (; i < end; i++) {
			if (o + 1 >= cap)
				return GBA_ERR_TOO_LARGE;
			out[o++] = i >= at ? lower(in[i]) : in[i];
		}
	}
	out[o] = '\0';
	return GBA_OK;
}

static int resolve_conn(struct bsf_conn *c, const char *ue_id, size_t len,
			enum bsf_id_type type, int64_t *sub_id, char *impi,
			size_t impi_cap)
{
	char norm[BSF_IMPU_MAX + 1], nimpi[BSF_IMPI_MAX + 1];
	sqlite3_stmt *s;
	size_t nlen;
	int rc, r;

	if (type == BSF_ID_PRIVATE || type == BSF_ID_ANY) {
		if (len > BSF_IMPI_MAX)
			return GBA_ERR_TOO_LARGE;
		/* IMPIs are stored in NFKC (TS 33.220 B.2.1): look up so */
		r = gba_utf8_nfkc((const uint8_t *)ue_id, len, nimpi,
				  sizeof(nimpi), &nlen);
		if (r != GBA_OK && type == BSF_ID_PRIVATE)
			return r == GBA_ERR_BAD_UTF8 ? GBA_ERR_MALFORMED : r;
		if (r != GBA_OK)
			goto impu;
		s = bsf_conn_stmt(c, ST_RES_IMPI,
				  "SELECT id, impi FROM subscriber"
				  " WHERE impi = ?1");
		if (s == NULL)
			return GBA_ERR_DB;
		sqlite3_bind_text(s, 1, nimpi, (int)nlen, SQLITE_STATIC);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			goto found;
		if (rc != SQLITE_DONE)
			return bsf_db_err(rc);
		sqlite3_reset(s);
		if (type == BSF_ID_PRIVATE)
			return GBA_ERR_NOT_FOUND;
	} else if (type != BSF_ID_PUBLIC) {
		return GBA_ERR_BAD_PARAM;
	}
impu:
	r = bsf_impu_normalize(ue_id, len, norm, sizeof(norm));
	if (r != GBA_OK)
		return type == BSF_ID_ANY ? GBA_ERR_NOT_FOUND : r;
	s = bsf_conn_stmt(c, ST_RES_IMPU,
			  "SELECT s.id, s.impi FROM impu i JOIN subscriber s"
			  " ON s.id = i.sub_id WHERE i.impu = ?1");
	if (s == NULL)
		return GBA_ERR_DB;
	sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return GBA_ERR_NOT_FOUND;
	}
	if (rc != SQLITE_ROW)
		return bsf_db_err(rc);
found:
	r = GBA_OK;
	if (impi && (r = col_copy(s, 1, impi, impi_cap)) != 0)
		r = GBA_ERR_NO_SPACE;
	if (r == GBA_OK)
		*sub_id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return r;
}

static int sq_resolve(struct bsf_store *st, const char *ue_id, size_t len,
		      enum bsf_id_type type, int64_t *sub_id, char *impi,
		      size_t impi_cap)
{
	struct bsf_conn *c;
	int r;

	if (sub_id)
		*sub_id = 0;
	if (impi && impi_cap)
		impi[0] = '\0';
	if (st == NULL || ue_id == NULL || sub_id == NULL ||
	    (impi && impi_cap == 0))
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	r = resolve_conn(c, ue_id, len, type, sub_id, impi, impi_cap);
	bsf_conn_put(st, c);
	if (r != GBA_OK && impi && impi_cap)
		impi[0] = '\0';
	return r;
}

/* ------------------------------------------------------------------ */
/* Push-NAFs */

int bsf_naf_allows(const struct bsf_naf *naf, const char *fqdn, size_t fqdn_len,
		   const uint8_t ua[BSF_UA_ID_LEN])
{
	size_t i, j;

	if (naf == NULL || fqdn == NULL || ua == NULL)
		return 0;
	for (i = 0; i < naf->n_naf_ids && i < BSF_NAF_IDS_MAX; i++) {
		const struct bsf_naf_id *n = &naf->naf_ids[i];

		if (strlen(n->fqdn) != fqdn_len ||
		    memcmp(n->ua, ua, BSF_UA_ID_LEN) != 0)
			continue;
		for (j = 0; j < fqdn_len; j++)
			if (lower(n->fqdn[j]) != lower(fqdn[j]))
				break;
		if (j == fqdn_len)
			return 1;
	}
	return 0;
}

/* Fill @naf from the current row of @s (id, name, cert_id, flags, rate)
 * and load its NAF_Id list. */
static int naf_fill(struct bsf_conn *c, sqlite3_stmt *s, struct bsf_naf *naf)
{
	sqlite3_stmt *q;
	int rc, r;

	naf->id = sqlite3_column_int64(s, 0);
	if ((r = col_copy(s, 1, naf->name, sizeof(naf->name))) != 0 ||
	    (r = col_copy(s, 2, naf->cert_id, sizeof(naf->cert_id))) != 0)
		return r;
	naf->allow_impi = sqlite3_column_int(s, 3) != 0;
	naf->gba_u_aware = sqlite3_column_int(s, 4) != 0;
	naf->rate = (uint32_t)sqlite3_column_int64(s, 5);
	q = bsf_conn_stmt(c, ST_NAF_IDS,
			  "SELECT fqdn, ua FROM naf_id WHERE naf = ?1"
			  " ORDER BY fqdn, ua");
	if (q == NULL)
		return GBA_ERR_DB;
	sqlite3_bind_int64(q, 1, naf->id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct bsf_naf_id *n;

		if (naf->n_naf_ids == BSF_NAF_IDS_MAX) {
			sqlite3_reset(q);
			return GBA_ERR_TOO_LARGE;
		}
		n = &naf->naf_ids[naf->n_naf_ids++];
		if ((r = col_copy(q, 0, n->fqdn, sizeof(n->fqdn))) != 0 ||
		    sqlite3_column_bytes(q, 1) != BSF_UA_ID_LEN) {
			sqlite3_reset(q);
			return r ? r : GBA_ERR_MALFORMED;
		}
		memcpy(n->ua, sqlite3_column_blob(q, 1), BSF_UA_ID_LEN);
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? GBA_OK : bsf_db_err(rc);
}

#define NAF_COLS                                                               \
	"SELECT id, name, cert_id, allow_impi, gba_u_aware, rate FROM naf"

static int naf_lookup(struct bsf_store *st, unsigned slot, const char *sql,
		      const char *key, size_t key_len, struct bsf_naf *naf)
{
	struct bsf_conn *c;
	sqlite3_stmt *s;
	int rc, r;

	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	if ((s = bsf_conn_stmt(c, slot, sql)) == NULL) {
		r = GBA_ERR_DB;
		goto out;
	}
	/* both queries in one read transaction (one snapshot, one lock) */
	if ((r = bsf_conn_exec(c, "BEGIN")) != 0)
		goto out;
	sqlite3_bind_text(s, 1, key, (int)key_len, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		r = naf_fill(c, s, naf);
	else
		r = rc == SQLITE_DONE ? GBA_ERR_NOT_FOUND : bsf_db_err(rc);
	sqlite3_reset(s);
	sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
out:
	bsf_conn_put(st, c);
	if (r != GBA_OK)
		memset(naf, 0, sizeof(*naf));
	return r;
}

static int sq_naf_by_cert(struct bsf_store *st, const char *cert_id,
			  size_t cert_id_len, struct bsf_naf *naf)
{
	if (naf)
		memset(naf, 0, sizeof(*naf));
	if (st == NULL || cert_id == NULL || naf == NULL)
		return GBA_ERR_BAD_PARAM;
	if (cert_id_len > BSF_CERT_ID_MAX)
		return GBA_ERR_TOO_LARGE;
	if (cert_id_len == 0)
		return GBA_ERR_NOT_FOUND;
	return naf_lookup(st, ST_NAF_BY_CERT, NAF_COLS " WHERE cert_id = ?1",
			  cert_id, cert_id_len, naf);
}

static int sq_naf_by_name(struct bsf_store *st, const char *name,
			  struct bsf_naf *naf)
{
	if (naf)
		memset(naf, 0, sizeof(*naf));
	if (st == NULL || name == NULL || naf == NULL)
		return GBA_ERR_BAD_PARAM;
	if (strlen(name) > BSF_NAF_NAME_MAX)
		return GBA_ERR_NOT_FOUND;
	return naf_lookup(st, ST_NAF_BY_NAME, NAF_COLS " WHERE name = ?1", name,
			  strlen(name), naf);
}

static int naf_add_conn(struct bsf_conn *c, const struct bsf_naf *naf,
			int64_t *id)
{
	char fqdn[BSF_FQDN_MAX + 1];
	sqlite3_stmt *s;
	int64_t nid;
	size_t i, j;
	int rc;

	s = bsf_conn_stmt(c, ST_NAF_INS,
			  "INSERT INTO naf(name, cert_id, allow_impi,"
			  " gba_u_aware, rate) VALUES(?1, ?2, ?3, ?4, ?5)");
	if (s == NULL)
		return GBA_ERR_DB;
	sqlite3_bind_text(s, 1, naf->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, naf->cert_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, naf->allow_impi != 0);
	sqlite3_bind_int(s, 4, naf->gba_u_aware != 0);
	sqlite3_bind_int64(s, 5, naf->rate);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return bsf_db_err(rc);
	nid = sqlite3_last_insert_rowid(c->db);
	for (i = 0; i < naf->n_naf_ids; i++) {
		const struct bsf_naf_id *n = &naf->naf_ids[i];

		for (j = 0; n->fqdn[j]; j++)
			fqdn[j] = lower(n->fqdn[j]);
		fqdn[j] = '\0';
		s = bsf_conn_stmt(c, ST_NAF_ID_INS,
				  "INSERT OR IGNORE INTO naf_id VALUES(?1, ?2,"
				  " ?3)");
		if (s == NULL)
			return GBA_ERR_DB;
		sqlite3_bind_int64(s, 1, nid);
		sqlite3_bind_text(s, 2, fqdn, -1, SQLITE_STATIC);
		sqlite3_bind_blob(s, 3, n->ua, BSF_UA_ID_LEN, SQLITE_STATIC);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return bsf_db_err(rc);
	}
	if (id)
		*id = nid;
	return GBA_OK;
}

/* Run @fn inside BEGIN IMMEDIATE .. COMMIT on a pooled connection. */
#define WITH_TX(st, c, r, expr)                                                \
	do {                                                                   \
		if (((r) = bsf_conn_get((st), &(c))) != 0)                     \
			break;                                                 \
		if (((r) = bsf_conn_exec((c), "BEGIN IMMEDIATE")) == 0) {      \
			(r) = (expr);                                          \
			if ((r) == GBA_OK)                                     \
				(r) = bsf_conn_exec((c), "COMMIT");            \
			if ((r) != GBA_OK)                                     \
				sqlite3_exec((c)->db, "ROLLBACK", NULL, NULL,  \
					     NULL);                            \
		}                                                              \
		bsf_conn_put((st), (c));                                       \
	} while (0)

static int sq_naf_add(struct bsf_store *st, const struct bsf_naf *naf,
		      int64_t *id)
{
	struct bsf_conn *c;
	size_t i;
	int r;

	if (id)
		*id = 0;
	if (st == NULL || naf == NULL ||
	    !text_ok(naf->name, BSF_NAF_NAME_MAX) ||
	    !text_ok(naf->cert_id, BSF_CERT_ID_MAX) ||
	    naf->n_naf_ids > BSF_NAF_IDS_MAX)
		return GBA_ERR_BAD_PARAM;
	for (i = 0; i < naf->n_naf_ids; i++)
		if (!fqdn_ok(naf->naf_ids[i].fqdn))
			return GBA_ERR_BAD_PARAM;
	WITH_TX(st, c, r, naf_add_conn(c, naf, id));
	if (r != GBA_OK && id)
		*id = 0;
	return r;
}

static int del_by_text(struct bsf_store *st, unsigned slot, const char *sql,
		       const char *key)
{
	struct bsf_conn *c;
	sqlite3_stmt *s;
	int rc, r;

	if (st == NULL || key == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	if ((s = bsf_conn_stmt(c, slot, sql)) == NULL) {
		r = GBA_ERR_DB;
	} else {
		sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			r = bsf_db_err(rc);
		else if (sqlite3_changes(c->db) == 0)
			r = GBA_ERR_NOT_FOUND;
	}
	bsf_conn_put(st, c);
	return r;
}

static int sq_naf_remove(struct bsf_store *st, const char *name)
{
	return del_by_text(st, ST_NAF_DEL, "DELETE FROM naf WHERE name = ?1",
			   name);
}

static int sq_naf_list(struct bsf_store *st,
		       int (*cb)(void *arg, const struct bsf_naf *naf),
		       void *arg)
{
	struct bsf_naf *naf;
	struct bsf_conn *c;
	sqlite3_stmt *s;
	int rc = SQLITE_DONE, r;

	if (st == NULL || cb == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((naf = malloc(sizeof(*naf))) == NULL)
		return GBA_ERR_NOMEM;
	if ((r = bsf_conn_get(st, &c)) != 0) {
		free(naf);
		return r;
	}
	s = bsf_conn_stmt(c, ST_NAF_LIST, NAF_COLS " ORDER BY name");
	if (s == NULL)
		r = GBA_ERR_DB;
	while (r == GBA_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(naf, 0, sizeof(*naf));
		if ((r = naf_fill(c, s, naf)) == 0)
			r = cb(arg, naf);
	}
	if (r == GBA_OK && rc != SQLITE_DONE)
		r = bsf_db_err(rc);
	if (s)
		sqlite3_reset(s);
	bsf_conn_put(st, c);
	free(naf);
	return r;
}

/* ------------------------------------------------------------------ */
/* Subscribers */

void bsf_sub_clear(struct bsf_sub *s)
{
	if (s == NULL)
		return;
	gba_cleanse(s, sizeof(*s));
}

static int imsi_ok(const char *s)
{
	size_t n = strnlen(s, BSF_IMSI_MAX + 1), i;

	if (n == 0)
		return 1; /* optional */
	if (n < 6 || n > BSF_IMSI_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int label_ok(const char *s)
{
	if (!text_ok(s, BSF_LABEL_MAX))
		return 0;
	for (; *s; s++)
		if (*s == ';' || *s == ',' || *s == '"' || *s == '\n')
			return 0;
	return 1;
}

static int key_ok(const struct gba_auth_key *k)
{
	if (k->alg == GBA_ALG_MILENAGE)
		return k->k_len == 16;
	if (k->alg != GBA_ALG_TUAK)
		return 0;
	return (k->k_len == 16 || k->k_len == 32) &&
	       k->keccak_iterations >= 1 &&
	       (k->res_len == 4 || k->res_len == 8 || k->res_len == 16 ||
		k->res_len == 32) &&
	       (k->ck_len == 16 || k->ck_len == 32) &&
	       (k->ik_len == 16 || k->ik_len == 32);
}

static int step_done(struct bsf_conn *c, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	(void)c;
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? GBA_OK : bsf_db_err(rc);
}

static void flags_to_blob(const struct bsf_uss *u, uint8_t *b)
{
	size_t i;

	for (i = 0; i < u->n_flags; i++) {
		b[4 * i] = (uint8_t)(u->flags[i] >> 24);
		b[4 * i + 1] = (uint8_t)(u->flags[i] >> 16);
		b[4 * i + 2] = (uint8_t)(u->flags[i] >> 8);
		b[4 * i + 3] = (uint8_t)u->flags[i];
	}
}

static int uss_insert(struct bsf_conn *c, int64_t sub_id,
		      const struct bsf_guss *g)
{
	uint8_t fl[4 * BSF_USS_FLAGS_MAX];
	sqlite3_stmt *s;
	size_t i;
	int r;

	for (i = 0; i < g->n_uss; i++) {
		const struct bsf_uss *u = &g->uss[i];

		s = bsf_conn_stmt(c, ST_USS_INS,
				  "INSERT INTO uss VALUES(?1, ?2, ?3, ?4, ?5,"
				  " ?6, ?7)");
		if (s == NULL)
			return GBA_ERR_DB;
		flags_to_blob(u, fl);
		sqlite3_bind_int64(s, 1, sub_id);
		sqlite3_bind_int64(s, 2, (int64_t)i);
		sqlite3_bind_text(s, 3, u->gsid, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, u->naf_group, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 5, u->uicc_sec);
		sqlite3_bind_blob(s, 6, fl, (int)(4 * u->n_flags),
				  SQLITE_STATIC);
		sqlite3_bind_text(s, 7, u->xml ? u->xml : "", -1,
				  SQLITE_STATIC);
		if ((r = step_done(c, s)) != 0)
			return r;
	}
	return GBA_OK;
}

static int64_t seq_max(unsigned ind_bits)
{
	return (int64_t)(GBA_SQN_MAX >> ind_bits);
}

/* IND length recorded by the HSS (default 5 before the first run). */
static int store_ind_bits(struct bsf_conn *c, unsigned *ind_bits)
{
	int64_t v;
	int found, r;

	*ind_bits = GBA_SQN_IND_BITS_DEFAULT;
	if ((r = bsf_meta_get(c, BSF_META_IND_BITS, &v, &found)) != 0)
		return r;
	if (found && v >= 0 && v <= GBA_SQN_IND_BITS_MAX)
		*ind_bits = (unsigned)v;
	return GBA_OK;
}

/* Everything of sq_sub_add() inside one savepoint. */
static int sub_add_conn(struct bsf_conn *c, const struct bsf_sub *sub,
			const char *guss, size_t guss_len, int64_t *id)
{
	char k_hex[2 * GBA_KEY_MAX + 1], opc_hex[2 * GBA_KEY_MAX + 1];
	char amf_hex[5], labels[BSF_LABELS_MAX * (BSF_LABEL_MAX + 1) + 1];
	char impus[BSF_IMPUS_MAX][BSF_IMPU_MAX + 1];
	char impi[BSF_IMPI_MAX + 1];
	struct bsf_guss g;
	sqlite3_stmt *s;
	unsigned ind_bits;
	size_t i, j, o = 0;
	int64_t sid;
	int r, gba_u = sub->gba_u != 0;

	memset(&g, 0, sizeof(g));
	/*
	 * The IMPI is a KDF input (TS 33.220 B.3): stored in its NFKC form
	 * (B.2.1) so that every Ks_(ext/int)_NAF derived from it is right.
	 */
	if ((r = gba_utf8_nfkc_str(sub->impi, impi, sizeof(impi))) != 0)
		return r;
	if (!text_ok(impi, BSF_IMPI_MAX) || !imsi_ok(sub->imsi) ||
	    !key_ok(&sub->key) || sub->n_impus > BSF_IMPUS_MAX ||
	    sub->n_labels > BSF_LABELS_MAX || sub->sqn > GBA_SQN_MAX)
		return GBA_ERR_BAD_PARAM;
	for (i = 0; i < sub->n_impus; i++) {
		if ((r = bsf_impu_normalize(
			     sub->impus[i],
			     strnlen(sub->impus[i], BSF_IMPU_MAX + 1), impus[i],
			     sizeof(impus[i]))) != 0)
			return r;
		for (j = 0; j < i; j++)
			if (strcmp(impus[i], impus[j]) == 0)
				return GBA_ERR_EXISTS;
	}
	labels[0] = '\0';
	for (i = 0; i < sub->n_labels; i++) {
		size_t n = strlen(sub->labels[i]);

		if (!label_ok(sub->labels[i]))
			return GBA_ERR_BAD_PARAM;
		if (i)
			labels[o++] = '\n';
		memcpy(labels + o, sub->labels[i], n + 1);
		o += n;
	}
	if (guss) {
		if ((r = bsf_guss_parse((const uint8_t *)guss, guss_len,
					BSF_GBA_XML, &g)) != 0)
			return r;
		if (g.has_uicc_type && g.gba_u)
			gba_u = 1;
	}
	if ((r = store_ind_bits(c, &ind_bits)) != 0)
		goto out;
	if ((r = gba_hex_encode(sub->key.k, sub->key.k_len, k_hex,
				sizeof(k_hex))) != 0 ||
	    (r = gba_hex_encode(sub->key.opc,
				sub->key.alg == GBA_ALG_TUAK ? 32 : 16, opc_hex,
				sizeof(opc_hex))) != 0 ||
	    (r = gba_hex_encode(sub->amf, 2, amf_hex, sizeof(amf_hex))) != 0)
		goto out;
	if ((r = bsf_conn_exec(c, "SAVEPOINT sub_add")) != 0)
		goto out;
	s = bsf_conn_stmt(c, ST_SUB_INS,
			  "INSERT INTO subscriber(impi, imsi, alg, k, opc,"
			  " amf, tuak_iter, tuak_res, tuak_ck, tuak_ik,"
			  " gba_u, guss, labels) VALUES(?1, ?2, ?3, ?4, ?5,"
			  " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
	if (s == NULL) {
		r = GBA_ERR_DB;
		goto rollback;
	}
	sqlite3_bind_text(s, 1, impi, -1, SQLITE_STATIC);
	if (sub->imsi[0])
		sqlite3_bind_text(s, 2, sub->imsi, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, (int)sub->key.alg);
	sqlite3_bind_text(s, 4, k_hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, opc_hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, amf_hex, -1, SQLITE_STATIC);
	if (sub->key.alg == GBA_ALG_TUAK) {
		sqlite3_bind_int64(s, 7, sub->key.keccak_iterations);
		sqlite3_bind_int64(s, 8, (int64_t)sub->key.res_len);
		sqlite3_bind_int64(s, 9, (int64_t)sub->key.ck_len);
		sqlite3_bind_int64(s, 10, (int64_t)sub->key.ik_len);
	} else {
		sqlite3_bind_int(s, 7, 1);
		sqlite3_bind_int(s, 8, 8);
		sqlite3_bind_int(s, 9, 16);
		sqlite3_bind_int(s, 10, 16);
	}
	sqlite3_bind_int(s, 11, gba_u);
	if (guss)
		sqlite3_bind_text(s, 12, guss, (int)guss_len, SQLITE_STATIC);
	sqlite3_bind_text(s, 13, labels, -1, SQLITE_STATIC);
	if ((r = step_done(c, s)) != 0)
		goto rollback;
	sid = sqlite3_last_insert_rowid(c->db);
	for (i = 0; i < sub->n_impus; i++) {
		s = bsf_conn_stmt(c, ST_IMPU_INS,
				  "INSERT INTO impu VALUES(?1, ?2)");
		if (s == NULL) {
			r = GBA_ERR_DB;
			goto rollback;
		}
		sqlite3_bind_text(s, 1, impus[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, sid);
		if ((r = step_done(c, s)) != 0)
			goto rollback;
	}
	/* SQN state: SEQ of the highest SQN already used; the current run
	 * (hss.c) gives this row its first window (seq_floor, +block]. */
	s = bsf_conn_stmt(c, ST_SQN_INS,
			  "INSERT INTO sqn VALUES(?1, ?2, (SELECT value FROM"
			  " meta WHERE key = 'hss_run'))");
	if (s == NULL) {
		r = GBA_ERR_DB;
		goto rollback;
	}
	sqlite3_bind_int64(s, 1, sid);
	sqlite3_bind_int64(s, 2, (int64_t)(sub->sqn >> ind_bits));
	if ((r = step_done(c, s)) != 0 || (r = uss_insert(c, sid, &g)) != 0)
		goto rollback;
	r = bsf_conn_exec(c, "RELEASE sub_add");
	if (r == GBA_OK && id)
		*id = sid;
	goto out;
rollback:
	sqlite3_exec(c->db, "ROLLBACK TO sub_add; RELEASE sub_add", NULL, NULL,
		     NULL);
out:
	gba_cleanse(k_hex, sizeof(k_hex));
	gba_cleanse(opc_hex, sizeof(opc_hex));
	bsf_guss_clear(&g);
	return r;
}

static int sq_sub_add(struct bsf_store *st, const struct bsf_sub *s,
		      const char *guss, size_t guss_len, int64_t *id)
{
	struct bsf_conn *c;
	int r;

	if (id)
		*id = 0;
	if (st == NULL || s == NULL)
		return GBA_ERR_BAD_PARAM;
	WITH_TX(st, c, r, sub_add_conn(c, s, guss, guss_len, id));
	if (r != GBA_OK && id)
		*id = 0;
	return r;
}

#define SUB_COLS                                                               \
	"SELECT s.id, s.impi, s.imsi, s.alg, s.k, s.opc, s.amf,"               \
	" s.tuak_iter, s.tuak_res, s.tuak_ck, s.tuak_ik, s.gba_u,"             \
	" s.labels, s.guss IS NOT NULL, q.seq_floor, q.run_floor"              \
	" FROM subscriber s JOIN sqn q ON q.sub_id = s.id"

struct sqn_meta {
	unsigned ind_bits;
	int64_t run;
	int64_t block;
	int ran; /* an AuC has run on this store (block size recorded) */
};

static int sqn_meta_load(struct bsf_conn *c, struct sqn_meta *m)
{
	int found, r;

	m->block = 0;
	if ((r = store_ind_bits(c, &m->ind_bits)) != 0 ||
	    (r = bsf_meta_get(c, BSF_META_RUN, &m->run, &found)) != 0 ||
	    (r = bsf_meta_get(c, BSF_META_SEQ_BLOCK, &m->block, &found)) != 0)
		return r;
	m->ran = found && m->block > 0;
	return GBA_OK;
}

/* The key columns of the current row (SUB_COLS order from @col = K). */
static int key_fill(sqlite3_stmt *s, int col, struct gba_auth_key *key,
		    uint8_t amf[2])
{
	struct bsf_key_text kt = {
		.alg = sqlite3_column_int(s, col - 1),
		.k = (const char *)sqlite3_column_text(s, col),
		.k_len = (size_t)sqlite3_column_bytes(s, col),
		.opc = (const char *)sqlite3_column_text(s, col + 1),
		.opc_len = (size_t)sqlite3_column_bytes(s, col + 1),
		.amf = (const char *)sqlite3_column_text(s, col + 2),
		.amf_len = (size_t)sqlite3_column_bytes(s, col + 2),
		.tuak_iter = (unsigned)sqlite3_column_int(s, col + 3),
		.tuak_res = (size_t)sqlite3_column_int(s, col + 4),
		.tuak_ck = (size_t)sqlite3_column_int(s, col + 5),
		.tuak_ik = (size_t)sqlite3_column_int(s, col + 6),
	};

	return bsf_key_row_decode(&kt, key, amf);
}

static int labels_split(const char *t, struct bsf_sub *s_or_null,
			char labels[][BSF_LABEL_MAX + 1], size_t *n)
{
	size_t len;
	const char *e;

	(void)s_or_null;
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

/* Fill @sub from a SUB_COLS row. */
static int sub_fill(struct bsf_conn *c, sqlite3_stmt *s, unsigned flags,
		    const struct sqn_meta *m, struct bsf_sub *sub)
{
	sqlite3_stmt *q;
	int64_t seq_floor, run_floor, bound, windows;
	int rc, r;

	sub->id = sqlite3_column_int64(s, 0);
	if ((r = col_copy(s, 1, sub->impi, sizeof(sub->impi))) != 0 ||
	    (r = col_copy(s, 2, sub->imsi, sizeof(sub->imsi))) != 0)
		return r;
	/* one decoder for every reader (keyrow.h); the secret octets are
	 * wiped again unless the caller asked for them */
	if ((r = key_fill(s, 4, &sub->key, sub->amf)) != 0)
		return r;
	if (!(flags & BSF_SUB_SECRETS)) {
		gba_cleanse(sub->key.k, sizeof(sub->key.k));
		gba_cleanse(sub->key.opc, sizeof(sub->key.opc));
	}
	sub->gba_u = sqlite3_column_int(s, 11) != 0;
	if ((r = labels_split((const char *)sqlite3_column_text(s, 12), sub,
			      sub->labels, &sub->n_labels)) != 0)
		return r;
	sub->has_guss = sqlite3_column_int(s, 13) != 0;
	/* the highest SQN any run so far may have issued (hss.c windows) */
	seq_floor = sqlite3_column_int64(s, 14);
	run_floor = sqlite3_column_int64(s, 15);
	if (!m->ran) {
		/* no AuC ever ran: nothing was issued, F is exact */
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
	q = bsf_conn_stmt(c, ST_SUB_IMPUS,
			  "SELECT impu FROM impu WHERE sub_id = ?1"
			  " ORDER BY impu");
	if (q == NULL)
		return GBA_ERR_DB;
	sqlite3_bind_int64(q, 1, sub->id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (sub->n_impus == BSF_IMPUS_MAX) {
			sqlite3_reset(q);
			return GBA_ERR_TOO_LARGE;
		}
		if ((r = col_copy(q, 0, sub->impus[sub->n_impus],
				  BSF_IMPU_MAX + 1)) != 0) {
			sqlite3_reset(q);
			return r;
		}
		sub->n_impus++;
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? GBA_OK : bsf_db_err(rc);
}

static int sq_sub_get_id(struct bsf_store *st, int64_t sub_id, unsigned flags,
			 struct bsf_sub *sub)
{
	struct bsf_conn *c;
	struct sqn_meta m;
	sqlite3_stmt *s;
	int rc, r;

	if (sub)
		bsf_sub_clear(sub);
	if (st == NULL || sub == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	if ((r = sqn_meta_load(c, &m)) != 0)
		goto out;
	s = bsf_conn_stmt(c, ST_SUB_GET, SUB_COLS " WHERE s.id = ?1");
	if (s == NULL) {
		r = GBA_ERR_DB;
		goto out;
	}
	sqlite3_bind_int64(s, 1, sub_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		r = sub_fill(c, s, flags, &m, sub);
	else
		r = rc == SQLITE_DONE ? GBA_ERR_NOT_FOUND : bsf_db_err(rc);
	sqlite3_reset(s);
out:
	bsf_conn_put(st, c);
	if (r != GBA_OK)
		bsf_sub_clear(sub);
	return r;
}

static int sq_sub_get(struct bsf_store *st, const char *ue_id,
		      enum bsf_id_type type, unsigned flags, struct bsf_sub *s)
{
	int64_t id;
	int r;

	if (s)
		bsf_sub_clear(s);
	if (st == NULL || ue_id == NULL || s == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = sq_resolve(st, ue_id, strlen(ue_id), type, &id, NULL, 0)) != 0)
		return r;
	return sq_sub_get_id(st, id, flags, s);
}

static int sq_sub_guss(struct bsf_store *st, int64_t sub_id, char **xml)
{
	struct bsf_conn *c;
	sqlite3_stmt *s;
	int rc, r;

	if (xml)
		*xml = NULL;
	if (st == NULL || xml == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	s = bsf_conn_stmt(c, ST_SUB_GUSS,
			  "SELECT guss FROM subscriber WHERE id = ?1");
	if (s == NULL) {
		r = GBA_ERR_DB;
		goto out;
	}
	sqlite3_bind_int64(s, 1, sub_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const void *t = sqlite3_column_blob(s, 0);
		size_t n = (size_t)sqlite3_column_bytes(s, 0);

		if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
			if ((*xml = malloc(n + 1)) == NULL) {
				r = GBA_ERR_NOMEM;
			} else {
				if (n)
					memcpy(*xml, t, n);
				(*xml)[n] = '\0';
			}
		}
	} else {
		r = rc == SQLITE_DONE ? GBA_ERR_NOT_FOUND : bsf_db_err(rc);
	}
	sqlite3_reset(s);
out:
	bsf_conn_put(st, c);
	return r;
}

static int sq_sub_remove(struct bsf_store *st, const char *impi)
{
	return del_by_text(st, ST_SUB_DEL,
			   "DELETE FROM subscriber WHERE impi = ?1", impi);
}

static int sq_sub_list(struct bsf_store *st, unsigned flags,
		       int (*cb)(void *arg, const struct bsf_sub *s), void *arg)
{
	struct bsf_sub *sub;
	struct bsf_conn *c;
	struct sqn_meta m;
	sqlite3_stmt *s = NULL;
	int rc = SQLITE_DONE, r;

	if (st == NULL || cb == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((sub = calloc(1, sizeof(*sub))) == NULL)
		return GBA_ERR_NOMEM;
	if ((r = bsf_conn_get(st, &c)) != 0) {
		free(sub);
		return r;
	}
	/* one read transaction: a consistent snapshot for export */
	if ((r = bsf_conn_exec(c, "BEGIN")) != 0 ||
	    (r = sqn_meta_load(c, &m)) != 0)
		goto out;
	s = bsf_conn_stmt(c, ST_SUB_LIST, SUB_COLS " ORDER BY s.id");
	if (s == NULL)
		r = GBA_ERR_DB;
	while (r == GBA_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		bsf_sub_clear(sub);
		if ((r = sub_fill(c, s, flags, &m, sub)) == 0)
			r = cb(arg, sub);
	}
	if (r == GBA_OK && rc != SQLITE_DONE)
		r = bsf_db_err(rc);
	if (s)
		sqlite3_reset(s);
	sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
out:
	bsf_conn_put(st, c);
	bsf_sub_clear(sub);
	free(sub);
	return r;
}

static int sq_sub_count(struct bsf_store *st, uint64_t *n)
{
	struct bsf_conn *c;
	sqlite3_stmt *s;
	int rc, r;

	if (st == NULL || n == NULL)
		return GBA_ERR_BAD_PARAM;
	*n = 0;
	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	s = bsf_conn_stmt(c, ST_SUB_COUNT, "SELECT count(*) FROM subscriber");
	if (s == NULL) {
		r = GBA_ERR_DB;
	} else {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			*n = (uint64_t)sqlite3_column_int64(s, 0);
		else
			r = bsf_db_err(rc);
		sqlite3_reset(s);
	}
	bsf_conn_put(st, c);
	return r;
}

/* ------------------------------------------------------------------ */
/* GBA parameters */

static int gba_params_conn(struct bsf_conn *c, int64_t sub_id, unsigned flags,
			   struct bsf_gba_params *p)
{
	sqlite3_stmt *s;
	int rc, r = GBA_OK;

	s = bsf_conn_stmt(c, ST_GBA_SUB,
			  "SELECT gba_u, labels, guss FROM subscriber"
			  " WHERE id = ?1");
	if (s == NULL) {
		r = GBA_ERR_DB;
		goto out;
	}
	sqlite3_bind_int64(s, 1, sub_id);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		r = rc == SQLITE_DONE ? GBA_ERR_NOT_FOUND : bsf_db_err(rc);
		goto out;
	}
	p->gba_u = sqlite3_column_int(s, 0) != 0;
	r = labels_split((const char *)sqlite3_column_text(s, 1), NULL,
			 p->labels, &p->n_labels);
	if (r == GBA_OK && (flags & BSF_GBA_XML) &&
	    sqlite3_column_type(s, 2) != SQLITE_NULL) {
		size_t n = (size_t)sqlite3_column_bytes(s, 2);

		if ((p->guss_xml = malloc(n + 1)) == NULL) {
			r = GBA_ERR_NOMEM;
		} else {
			memcpy(p->guss_xml, sqlite3_column_blob(s, 2), n);
			p->guss_xml[n] = '\0';
			p->guss_xml_len = n;
		}
	}
	sqlite3_reset(s);
	if (r != GBA_OK || (flags & BSF_GBA_NO_USS))
		goto out;
	s = bsf_conn_stmt(c, ST_GBA_USS,
			  "SELECT gsid, naf_group, uicc_sec, flags, xml"
			  " FROM uss WHERE sub_id = ?1 ORDER BY idx");
	if (s == NULL) {
		r = GBA_ERR_DB;
		goto out;
	}
	sqlite3_bind_int64(s, 1, sub_id);
	while (r == GBA_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct bsf_uss *u;
		const uint8_t *fl;
		size_t nf, i;

		if (p->n_uss == BSF_USS_MAX) {
			r = GBA_ERR_TOO_LARGE;
			break;
		}
		u = &p->uss[p->n_uss++];
		if ((r = col_copy(s, 0, u->gsid, sizeof(u->gsid))) != 0 ||
		    (r = col_copy(s, 1, u->naf_group, sizeof(u->naf_group))) !=
			    0)
			break;
		u->uicc_sec = sqlite3_column_int(s, 2);
		nf = (size_t)sqlite3_column_bytes(s, 3);
		fl = sqlite3_column_blob(s, 3);
		if (nf % 4 || nf / 4 > BSF_USS_FLAGS_MAX) {
			r = GBA_ERR_MALFORMED;
			break;
		}
		for (i = 0; i < nf / 4; i++)
			u->flags[i] = (uint32_t)fl[4 * i] << 24 |
				      (uint32_t)fl[4 * i + 1] << 16 |
				      (uint32_t)fl[4 * i + 2] << 8 |
				      fl[4 * i + 3];
		u->n_flags = nf / 4;
		if (flags & (BSF_GBA_XML | BSF_GBA_USS_XML)) {
			size_t n = (size_t)sqlite3_column_bytes(s, 4);

			if ((u->xml = malloc(n + 1)) == NULL) {
				r = GBA_ERR_NOMEM;
				break;
			}
			memcpy(u->xml, sqlite3_column_blob(s, 4), n);
			u->xml[n] = '\0';
		}
	}
	if (r == GBA_OK && rc != SQLITE_DONE)
		r = bsf_db_err(rc);
	sqlite3_reset(s);
out:
	if (r != GBA_OK)
		bsf_gba_params_clear(p);
	return r;
}

static int sq_gba_params(struct bsf_store *st, int64_t sub_id, unsigned flags,
			 struct bsf_gba_params *p)
{
	struct bsf_conn *c;
	int r;

	if (p)
		memset(p, 0, sizeof(*p));
	if (st == NULL || p == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	r = gba_params_conn(c, sub_id, flags, p);
	bsf_conn_put(st, c);
	return r;
}

void bsf_gba_params_clear(struct bsf_gba_params *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < BSF_USS_MAX; i++)
		free(p->uss[i].xml);
	free(p->guss_xml);
	memset(p, 0, sizeof(*p));
}

const struct bsf_uss *bsf_uss_find(const struct bsf_gba_params *p,
				   const char *gsid)
{
	size_t i;

	if (p == NULL || gsid == NULL)
		return NULL;
	for (i = 0; i < p->n_uss && i < BSF_USS_MAX; i++)
		if (strcmp(p->uss[i].gsid, gsid) == 0)
			return &p->uss[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Associations */

static int assoc_check_conn(struct bsf_conn *c, int64_t naf_id, int64_t sub_id)
{
	sqlite3_stmt *s;
	int rc, r = GBA_OK;

	s = bsf_conn_stmt(c, ST_ASSOC_CHECK,
			  "SELECT 1 FROM assoc WHERE naf = ?1 AND sub_id = ?2");
	if (s == NULL)
		return GBA_ERR_DB;
	sqlite3_bind_int64(s, 1, naf_id);
	sqlite3_bind_int64(s, 2, sub_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		r = GBA_ERR_NOT_AUTHORIZED;
	else if (rc != SQLITE_ROW)
		r = bsf_db_err(rc);
	sqlite3_reset(s);
	return r;
}

static int sq_assoc_check(struct bsf_store *st, int64_t naf_id, int64_t sub_id)
{
	struct bsf_conn *c;
	int r;

	if (st == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	r = assoc_check_conn(c, naf_id, sub_id);
	bsf_conn_put(st, c);
	return r;
}

/* BEGIN / COMMIT as cached statements: sqlite3_exec() would parse the SQL
 * text on every GPI (2-3 % of the daemon's CPU under load) */
static int txn_step(struct bsf_conn *c, unsigned slot, const char *sql)
{
	sqlite3_stmt *s = bsf_conn_stmt(c, slot, sql);
	int rc;

	if (s == NULL)
		return GBA_ERR_DB;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? GBA_OK : bsf_db_err(rc);
}

/*
 * The key row of @sub_id on connection @c (inside the caller's
 * transaction, if any), decoded by keyrow.h.
 */
static int key_row_conn(struct bsf_conn *c, int64_t sub_id,
			struct bsf_key_row *row)
{
	struct bsf_key_text kt;
	sqlite3_stmt *s;
	int rc, r = GBA_OK;

	memset(row, 0, sizeof(*row));
	row->sub_id = sub_id;
	s = bsf_conn_stmt(c, ST_KEY_ROW,
			  "SELECT s.alg, s.k, s.opc, s.amf, s.tuak_iter,"
			  " s.tuak_res, s.tuak_ck, s.tuak_ik, q.seq_floor,"
			  " q.run_floor FROM subscriber s JOIN sqn q"
			  " ON q.sub_id = s.id WHERE s.id = ?1");
	if (s == NULL) {
		r = GBA_ERR_DB;
		goto out;
	}
	sqlite3_bind_int64(s, 1, sub_id);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		r = rc == SQLITE_DONE ? GBA_ERR_NOT_FOUND : bsf_db_err(rc);
		goto reset;
	}
	row->seq_floor = sqlite3_column_int64(s, 8);
	row->run_floor = sqlite3_column_int64(s, 9);
	kt.alg = sqlite3_column_int(s, 0);
	kt.k = (const char *)sqlite3_column_text(s, 1);
	kt.k_len = (size_t)sqlite3_column_bytes(s, 1);
	kt.opc = (const char *)sqlite3_column_text(s, 2);
	kt.opc_len = (size_t)sqlite3_column_bytes(s, 2);
	kt.amf = (const char *)sqlite3_column_text(s, 3);
	kt.amf_len = (size_t)sqlite3_column_bytes(s, 3);
	kt.tuak_iter = (unsigned)sqlite3_column_int(s, 4);
	kt.tuak_res = (size_t)sqlite3_column_int(s, 5);
	kt.tuak_ck = (size_t)sqlite3_column_int(s, 6);
	kt.tuak_ik = (size_t)sqlite3_column_int(s, 7);
	if (bsf_key_row_decode(&kt, &row->key, row->amf) != GBA_OK ||
	    row->seq_floor < 0)
		r = GBA_ERR_MALFORMED;
reset:
	sqlite3_reset(s);
out:
	if (r != GBA_OK)
		gba_cleanse(row, sizeof(*row));
	return r;
}

static int sq_key_row(struct bsf_store *st, int64_t sub_id,
		      struct bsf_key_row *row)
{
	struct bsf_conn *c;
	int r;

	if (row == NULL)
		return GBA_ERR_BAD_PARAM;
	memset(row, 0, sizeof(*row));
	if (st == NULL || sub_id <= 0)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	r = key_row_conn(c, sub_id, row);
	bsf_conn_put(st, c);
	return r;
}

static int sq_ue_lookup(struct bsf_store *st, int64_t naf_id, const char *ue_id,
			size_t len, enum bsf_id_type type, unsigned flags,
			struct bsf_ue *ue, struct bsf_key_row *row)
{
	struct bsf_conn *c;
	int r;

	if (ue)
		memset(ue, 0, sizeof(*ue));
	if (st == NULL || ue_id == NULL || ue == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	/* one read transaction: one snapshot, one round of file locks */
	if ((r = txn_step(c, ST_BEGIN, "BEGIN")) == 0) {
		r = resolve_conn(c, ue_id, len, type, &ue->sub_id, ue->impi,
				 sizeof(ue->impi));
		/*
		 * An unknown UE runs the association query too, for an id no
		 * subscriber has (ids start at 1): it then does the same
		 * statements as a UE not associated with this Push-NAF, so the
		 * two cannot be told apart by timing (docs/bsf.md, Privacy).
		 */
		if (r == GBA_ERR_NOT_FOUND) {
			ue->sub_id = 0;
			if ((r = assoc_check_conn(c, naf_id, 0)) ==
				    GBA_ERR_NOT_AUTHORIZED ||
			    r == GBA_OK)
				r = GBA_ERR_NOT_FOUND;
		} else if (r == 0 &&
			   (r = assoc_check_conn(c, naf_id, ue->sub_id)) == 0 &&
			   (r = gba_params_conn(c, ue->sub_id, flags,
						&ue->params)) == 0 &&
			   row) {
			/* the AuC's key row in the same snapshot */
			r = key_row_conn(c, ue->sub_id, row);
		}
		if (txn_step(c, ST_COMMIT, "COMMIT") != GBA_OK)
			sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	}
	bsf_conn_put(st, c);
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

static int assoc_add_conn(struct bsf_conn *c, int64_t naf_id, int64_t sub_id)
{
	sqlite3_stmt *s = bsf_conn_stmt(c, ST_ASSOC_INS,
					"INSERT INTO assoc VALUES(?1, ?2)");

	if (s == NULL)
		return GBA_ERR_DB;
	sqlite3_bind_int64(s, 1, naf_id);
	sqlite3_bind_int64(s, 2, sub_id);
	return step_done(c, s);
}

static int sq_assoc_add(struct bsf_store *st, int64_t naf_id, int64_t sub_id)
{
	struct bsf_conn *c;
	int r;

	if (st == NULL)
		return GBA_ERR_BAD_PARAM;
	WITH_TX(st, c, r, assoc_add_conn(c, naf_id, sub_id));
	return r;
}

static int sq_assoc_remove(struct bsf_store *st, int64_t naf_id, int64_t sub_id)
{
	struct bsf_conn *c;
	sqlite3_stmt *s;
	int r;

	if (st == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	s = bsf_conn_stmt(c, ST_ASSOC_DEL,
			  "DELETE FROM assoc WHERE naf = ?1 AND sub_id = ?2");
	if (s == NULL) {
		r = GBA_ERR_DB;
	} else {
		sqlite3_bind_int64(s, 1, naf_id);
		sqlite3_bind_int64(s, 2, sub_id);
		if ((r = step_done(c, s)) == 0 && sqlite3_changes(c->db) == 0)
			r = GBA_ERR_NOT_FOUND;
	}
	bsf_conn_put(st, c);
	return r;
}

static int sq_assoc_list(struct bsf_store *st, int64_t naf_id,
			 int (*cb)(void *arg, const char *naf_name,
				   const char *impi),
			 void *arg)
{
	struct bsf_conn *c;
	sqlite3_stmt *s;
	int rc = SQLITE_DONE, r;

	if (st == NULL || cb == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	if (naf_id)
		s = bsf_conn_stmt(
			c, ST_ASSOC_LIST_NAF,
			"SELECT n.name, s.impi FROM assoc a"
			" JOIN naf n ON n.id = a.naf JOIN subscriber s"
			" ON s.id = a.sub_id WHERE a.naf = ?1"
			" ORDER BY n.name, s.impi");
	else
		s = bsf_conn_stmt(
			c, ST_ASSOC_LIST,
			"SELECT n.name, s.impi FROM assoc a"
			" JOIN naf n ON n.id = a.naf JOIN subscriber s"
			" ON s.id = a.sub_id ORDER BY n.name, s.impi");
	if (s == NULL) {
		r = GBA_ERR_DB;
		goto out;
	}
	if (naf_id)
		sqlite3_bind_int64(s, 1, naf_id);
	while (r == GBA_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
		r = cb(arg, (const char *)sqlite3_column_text(s, 0),
		       (const char *)sqlite3_column_text(s, 1));
	if (r == GBA_OK && rc != SQLITE_DONE)
		r = bsf_db_err(rc);
	sqlite3_reset(s);
out:
	bsf_conn_put(st, c);
	return r;
}

static int sq_assoc_list_sub(struct bsf_store *st, int64_t sub_id,
			     int (*cb)(void *arg, const char *naf_name),
			     void *arg)
{
	struct bsf_conn *c;
	sqlite3_stmt *s;
	int rc = SQLITE_DONE, r;

	if (st == NULL || cb == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	s = bsf_conn_stmt(
		c, ST_ASSOC_LIST_SUB,
		"SELECT n.name FROM assoc a JOIN naf n ON n.id = a.naf"
		" WHERE a.sub_id = ?1 ORDER BY n.name");
	if (s == NULL) {
		r = GBA_ERR_DB;
	} else {
		sqlite3_bind_int64(s, 1, sub_id);
		while (r == GBA_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
			r = cb(arg, (const char *)sqlite3_column_text(s, 0));
		if (r == GBA_OK && rc != SQLITE_DONE)
			r = bsf_db_err(rc);
		sqlite3_reset(s);
	}
	bsf_conn_put(st, c);
	return r;
}

/* ------------------------------------------------------------------ */
/* Batches */

/* The SQLite backend's batch (store_ops.h: base first). */
struct sq_batch {
	struct bsf_store_batch base;
	struct bsf_conn *c;
};

static int sq_batch_begin(struct bsf_store *st, struct bsf_store_batch **out)
{
	struct sq_batch *b;
	int r;

	if (out == NULL)
		return GBA_ERR_BAD_PARAM;
	*out = NULL;
	if (st == NULL)
		return GBA_ERR_BAD_PARAM;
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

static int sq_batch_sub_add(struct bsf_store_batch *bb, const struct bsf_sub *s,
			    const char *guss, size_t guss_len, int64_t *id)
{
	struct sq_batch *b = (struct sq_batch *)bb;
	if (id)
		*id = 0;
	if (b == NULL || s == NULL)
		return GBA_ERR_BAD_PARAM;
	return sub_add_conn(b->c, s, guss, guss_len, id);
}

static int sq_batch_assoc_add(struct bsf_store_batch *bb, int64_t naf_id,
			      int64_t sub_id)
{
	struct sq_batch *b = (struct sq_batch *)bb;
	if (b == NULL)
		return GBA_ERR_BAD_PARAM;
	return assoc_add_conn(b->c, naf_id, sub_id);
}

static int sq_batch_commit(struct bsf_store_batch *bb)
{
	struct sq_batch *b = (struct sq_batch *)bb;
	int r;

	if (b == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_conn_exec(b->c, "COMMIT")) != 0)
		return r;
	return bsf_conn_exec(b->c, "BEGIN IMMEDIATE");
}

static int sq_batch_end(struct bsf_store_batch *bb, int commit)
{
	struct sq_batch *b = (struct sq_batch *)bb;
	int r = GBA_OK;

	if (b == NULL)
		return GBA_OK;
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
	.close = sq_close,
	.path = sq_path,
	.schema_version = sq_schema_version,
	.set_stmt_hook = sq_set_stmt_hook,
	.naf_by_cert = sq_naf_by_cert,
	.naf_by_name = sq_naf_by_name,
	.naf_add = sq_naf_add,
	.naf_remove = sq_naf_remove,
	.naf_list = sq_naf_list,
	.resolve = sq_resolve,
	.gba_params = sq_gba_params,
	.sub_add = sq_sub_add,
	.sub_get = sq_sub_get,
	.sub_get_id = sq_sub_get_id,
	.sub_guss = sq_sub_guss,
	.sub_remove = sq_sub_remove,
	.sub_list = sq_sub_list,
	.sub_count = sq_sub_count,
	.ue_lookup = sq_ue_lookup,
	.key_row = sq_key_row,
	.assoc_check = sq_assoc_check,
	.assoc_add = sq_assoc_add,
	.assoc_remove = sq_assoc_remove,
	.assoc_list = sq_assoc_list,
	.assoc_list_sub = sq_assoc_list_sub,
	.batch_begin = sq_batch_begin,
	.batch_sub_add = sq_batch_sub_add,
	.batch_assoc_add = sq_batch_assoc_add,
	.batch_commit = sq_batch_commit,
	.batch_end = sq_batch_end,
};
