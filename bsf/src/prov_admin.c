/* see prov_admin.h - procedures in docs/operations.md */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gba/sqn.h"
#include "hss.h"
#include "prov_admin.h"
#include "store_i.h"
#include "store_ops.h"
#include "store_sq.h"

#define META_BACKUP_TIME "backup_time"

static int step_once(sqlite3 *db, const char *sql, const int64_t *v, int n_v,
		     const char *text, int64_t *out)
{
	sqlite3_stmt *s = NULL;
	int i, rc;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return GBA_ERR_DB;
	if (text)
		sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
	for (i = 0; i < n_v; i++)
		sqlite3_bind_int64(s, i + (text ? 2 : 1), v[i]);
	rc = sqlite3_step(s);
	if (out)
		*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return GBA_OK;
	if (rc == SQLITE_DONE)
		return out ? GBA_ERR_NOT_FOUND : GBA_OK;
	return bsf_db_err(rc);
}

static int count_cb(void *arg, const char *naf_name, const char *impi)
{
	(void)naf_name;
	(void)impi;
	(*(uint64_t *)arg)++;
	return 0;
}

/* through the store interface: the same on every backend */
int bsf_prov_naf_assoc_count(struct bsf_store *st, const char *name,
			     uint64_t *n)
{
	struct bsf_naf naf;
	int r;

	*n = 0;
	if (st == NULL || name == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_store_naf_by_name(st, name, &naf)) != GBA_OK)
		return r;
	return bsf_store_assoc_list(st, naf.id, count_cb, n);
}

/* the SQLite store's own connections and file below; a PostgreSQL store
 * has its own operations (naf_modify, sqn_skip_ahead) or PostgreSQL's
 * tools (pg_dump, pg_restore: docs/operations.md) */
static int sqlite_only(const char *db)
{
	return db && bsf_store_is_pg_uri(db) ? GBA_ERR_UNSUPPORTED : GBA_OK;
}

static int naf_modify_conn(struct bsf_conn *c, const struct bsf_naf *naf)
{
	sqlite3_stmt *s = NULL;
	int64_t id = 0;
	int rc, r;

	if ((r = step_once(c->db, "SELECT id FROM naf WHERE name = ?1", NULL, 0,
			   naf->name, &id)) != 0)
		return r;
	if (sqlite3_prepare_v2(c->db,
			       "UPDATE naf SET cert_id = ?1, allow_impi = ?2,"
			       " gba_u_aware = ?3, rate = ?4 WHERE id = ?5",
			       -1, &s, NULL) != SQLITE_OK)
		return GBA_ERR_DB;
	sqlite3_bind_text(s, 1, naf->cert_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, naf->allow_impi != 0);
	sqlite3_bind_int(s, 3, naf->gba_u_aware != 0);
	sqlite3_bind_int64(s, 4, naf->rate);
	sqlite3_bind_int64(s, 5, id);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return bsf_db_err(rc);
	if ((r = step_once(c->db, "DELETE FROM naf_id WHERE naf = ?1", &id, 1,
			   NULL, NULL)) != 0)
		return r;
	return bsf_sq_naf_ids_insert(c, id, naf);
}

int bsf_prov_naf_modify(struct bsf_store *st, const struct bsf_naf *naf)
{
	struct bsf_conn *c;
	int r;

	if (st == NULL || naf == NULL || naf->cert_id[0] == '\0' ||
	    naf->n_naf_ids > BSF_NAF_IDS_MAX)
		return GBA_ERR_BAD_PARAM;
	if (st->ops->naf_modify)
		return st->ops->naf_modify(st, naf); /* PostgreSQL */
	if ((r = sqlite_only(bsf_store_path(st))) != GBA_OK)
		return r;
	WITH_TX(st, c, r, naf_modify_conn(c, naf));
	return r;
}

/* Copy all of @src into @dst ("main" to "main") in one step. */
static int copy_db(sqlite3 *dst, sqlite3 *src)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc;

	if (b == NULL)
		return GBA_ERR_DB;
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return GBA_ERR_TIMEOUT;
	return rc == SQLITE_DONE ? GBA_OK : GBA_ERR_DB;
}

int bsf_prov_backup(struct bsf_store *st, const char *path, int64_t now)
{
	struct bsf_conn *c;
	sqlite3 *dst = NULL;
	int fd, r;

	if (st == NULL || path == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = sqlite_only(bsf_store_path(st))) != GBA_OK)
		return r;
	/* owner only from the first byte: the copy holds K and OPc */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? GBA_ERR_EXISTS : GBA_ERR_IO;
	if (fchmod(fd, 0600) != 0) {
		close(fd);
		unlink(path);
		return GBA_ERR_IO;
	}
	close(fd);
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		r = GBA_ERR_IO;
		goto out;
	}
	sqlite3_busy_timeout(dst, BSF_STORE_BUSY_MS);
	if ((r = bsf_conn_get(st, &c)) != 0)
		goto out;
	/* one read transaction on the source: a consistent snapshot, while
	 * gba-bsf goes on writing through WAL */
	r = copy_db(dst, c->db);
	bsf_conn_put(st, c);
	if (r != GBA_OK)
		goto out;
	/* a single self-contained file (no -wal beside it) */
	if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		r = GBA_ERR_DB;
		goto out;
	}
	r = step_once(dst,
		      "INSERT OR REPLACE INTO meta VALUES('" META_BACKUP_TIME
		      "', ?1)",
		      &now, 1, NULL, NULL);
out:
	if (dst && sqlite3_close(dst) != SQLITE_OK && r == GBA_OK)
		r = GBA_ERR_DB;
	if (r != GBA_OK)
		unlink(path);
	return r;
}

/* both margins (prov_admin.h); @shared: the PostgreSQL one */
static int skip_margin(const struct bsf_restore_cfg *cfg, uint64_t seq_block,
		       int64_t age, int shared, uint64_t *margin)
{
	/* well inside uint64_t: each term is far below 2^63 */
	const uint64_t cap = UINT64_C(1) << 48;
	uint64_t k, av, nodes = cfg->nodes ? cfg->nodes : 1, per;

	*margin = 0;
	if (cfg->margin >= 0) {
		*margin = (uint64_t)cfg->margin;
		return *margin > cap ? GBA_ERR_TOO_LARGE : GBA_OK;
	}
	if (cfg->ue_rate == 0)
		return GBA_ERR_CONFIG; /* unlimited rate: no bound */
	if (age < 0)
		age = 0;
	if ((uint64_t)age > cap / cfg->ue_rate || cfg->restarts > 1000000 ||
	    seq_block == 0 || seq_block > (UINT64_C(1) << 20) ||
	    nodes > 100000)
		return GBA_ERR_TOO_LARGE;
	k = cfg->restarts;
	av = ((uint64_t)cfg->ue_rate * (uint64_t)age + 59) / 60;
	if (!shared) {
		*margin = k * seq_block + (k + 1) * cfg->ue_burst + av;
		return *margin > cap ? GBA_ERR_TOO_LARGE : GBA_OK;
	}
	/* at most one window B per GPI a node let through */
	per = (k + 1) * cfg->ue_burst + av;
	if (per > cap / seq_block / nodes)
		return GBA_ERR_TOO_LARGE;
	*margin = seq_block * nodes * per;
	return GBA_OK;
}

int bsf_prov_skip_margin(const struct bsf_restore_cfg *cfg, uint64_t seq_block,
			 int64_t age, uint64_t *margin)
{
	return skip_margin(cfg, seq_block, age, 0, margin);
}

int bsf_prov_skip_margin_shared(const struct bsf_restore_cfg *cfg,
				uint64_t seq_block, int64_t age,
				uint64_t *margin)
{
	return skip_margin(cfg, seq_block, age, 1, margin);
}

static int lock_auc(const char *db, int *fd_out)
{
	size_t n = strlen(db);
	char *lp = malloc(n + sizeof("-hss.lock"));
	int fd, e;

	*fd_out = -1;
	if (lp == NULL)
		return GBA_ERR_NOMEM;
	memcpy(lp, db, n);
	memcpy(lp + n, "-hss.lock", sizeof("-hss.lock")); /* as hss.c */
	fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(lp);
	if (fd < 0)
		return GBA_ERR_IO;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		e = errno;
		close(fd);
		return e == EWOULDBLOCK ? GBA_ERR_STATE : GBA_ERR_IO;
	}
	*fd_out = fd;
	return GBA_OK;
}

static int meta_value(sqlite3 *db, const char *key, int64_t *v)
{
	return step_once(db, "SELECT value FROM meta WHERE key = ?1", NULL, 0,
			 key, v);
}

/*
 * On @db (one connection, inside the caller's transaction): every row's
 * SEQ floor to its bound plus the margin, run_floor to R + 1.  The bound
 * is the rebase rule of hss.c (F + (max(R - RF, 0) + 1) * B covers all
 * that runs <= R issued; exact F while no AuC ever ran), and run_floor
 * R + 1 makes bound + margin the start of the next run's window.
 */
static int apply_skip(sqlite3 *db, const struct bsf_restore_cfg *cfg,
		      struct bsf_restore_info *info)
{
	int64_t run = 0, block = 0, ind_bits = GBA_SQN_IND_BITS_DEFAULT, n;
	int64_t v[4];
	uint64_t margin;
	int r;

	if (meta_value(db, BSF_META_RUN, &run) != 0)
		return GBA_ERR_MALFORMED; /* not a gba-bsf store */
	if (meta_value(db, BSF_META_SEQ_BLOCK, &block) != 0 || block <= 0)
		block = 0; /* no AuC ever ran: nothing issued, F is exact */
	if (meta_value(db, BSF_META_IND_BITS, &ind_bits) != 0 || ind_bits < 0 ||
	    ind_bits > GBA_SQN_IND_BITS_MAX)
		ind_bits = GBA_SQN_IND_BITS_DEFAULT;
	info->age = cfg->now - info->backup_time;
	if (info->age < 0)
		info->age = 0;
	/* the margin counts a window per start: the default one if no
	 * AuC had run when the backup was taken */
	info->seq_block = block ? (uint64_t)block : BSF_HSS_SEQ_BLOCK_DEFAULT;
	if ((r = bsf_prov_skip_margin(cfg, info->seq_block, info->age,
				      &margin)) != 0)
		return r;
	info->margin = margin;
	v[0] = run;
	v[1] = block;
	v[2] = (int64_t)margin;
	v[3] = (int64_t)(GBA_SQN_MAX >> ind_bits);
	if ((r = step_once(db,
			   "UPDATE sqn SET seq_floor = min(seq_floor +"
			   " (max(?1 - run_floor, 0) + 1) * ?2 + ?3, ?4),"
			   " run_floor = ?1 + 1",
			   v, 4, NULL, NULL)) != 0 ||
	    (r = step_once(
		     db, "DELETE FROM meta WHERE key = '" META_BACKUP_TIME "'",
		     NULL, 0, NULL, NULL)) != 0 ||
	    (r = step_once(db, "SELECT count(*) FROM subscriber", NULL, 0, NULL,
			   &n)) != 0)
		return r;
	info->n_subs = (uint64_t)n;
	return GBA_OK;
}

int bsf_prov_restore(const char *db, const char *backup,
		     const struct bsf_restore_cfg *cfg,
		     struct bsf_restore_info *info)
{
	sqlite3 *src = NULL, *mem = NULL, *dst = NULL;
	int lock_fd = -1, r;

	memset(info, 0, sizeof(*info));
	if (db == NULL || backup == NULL || cfg == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = sqlite_only(db)) != GBA_OK)
		return r;
	if (access(backup, R_OK) != 0)
		return GBA_ERR_NOT_FOUND;
	if ((r = lock_auc(db, &lock_fd)) != 0)
		return r;
	if (sqlite3_open_v2(backup, &src, SQLITE_OPEN_READONLY, NULL) !=
		    SQLITE_OK ||
	    sqlite3_open_v2(":memory:", &mem,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK) {
		r = GBA_ERR_IO;
		goto out;
	}
	if ((r = copy_db(mem, src)) != 0)
		goto out;
	if (meta_value(mem, META_BACKUP_TIME, &info->backup_time) != 0) {
		r = GBA_ERR_MALFORMED; /* not written by bsf_prov_backup() */
		goto out;
	}
	if ((r = apply_skip(mem, cfg, info)) != 0)
		goto out;
	if (sqlite3_open_v2(db, &dst,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK) {
		r = GBA_ERR_IO;
		goto out;
	}
	sqlite3_busy_timeout(dst, BSF_STORE_BUSY_MS);
	/* one write transaction on the store: all or nothing */
	r = copy_db(dst, mem);
	if (r == GBA_OK && sqlite3_exec(dst, "PRAGMA journal_mode=WAL", NULL,
					NULL, NULL) != SQLITE_OK)
		r = GBA_ERR_DB;
	if (r == GBA_OK)
		chmod(db, 0600);
out:
	if (dst)
		sqlite3_close(dst);
	if (mem)
		sqlite3_close(mem);
	if (src)
		sqlite3_close(src);
	if (lock_fd >= 0)
		close(lock_fd);
	return r;
}

/* bsf_prov_skip_ahead() on a PostgreSQL store (the store's operation) */
static int skip_ahead_shared(const char *db, const struct bsf_restore_cfg *cfg,
			     struct bsf_restore_info *info)
{
	struct bsf_store *st = NULL;
	uint64_t margin;
	int r;

	info->shared = 1;
	info->age = cfg->now - info->backup_time;
	if (info->age < 0)
		info->age = 0;
	/* the windows of gba-bsf (not configurable: hss.h) */
	info->seq_block = BSF_HSS_SEQ_BLOCK_DEFAULT;
	if ((r = bsf_prov_skip_margin_shared(cfg, info->seq_block, info->age,
					     &margin)) != 0)
		return r;
	info->margin = margin;
	if ((r = bsf_store_open(db, 0, &st)) != 0)
		return r == GBA_ERR_DB ? GBA_ERR_NOT_FOUND : r;
	r = st->ops->sqn_skip_ahead ? st->ops->sqn_skip_ahead(st,
							       (int64_t)margin,
							       &info->n_subs)
				    : GBA_ERR_UNSUPPORTED;
	bsf_store_close(st);
	return r;
}

int bsf_prov_skip_ahead(const char *db, int64_t since,
			const struct bsf_restore_cfg *cfg,
			struct bsf_restore_info *info)
{
	sqlite3 *d = NULL;
	int lock_fd = -1, r;

	memset(info, 0, sizeof(*info));
	if (db == NULL || cfg == NULL)
		return GBA_ERR_BAD_PARAM;
	if (bsf_store_is_pg_uri(db)) {
		info->backup_time = since;
		return skip_ahead_shared(db, cfg, info);
	}
	if (access(db, W_OK) != 0)
		return GBA_ERR_NOT_FOUND;
	if ((r = lock_auc(db, &lock_fd)) != 0)
		return r;
	info->backup_time = since;
	if (sqlite3_open_v2(db, &d, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		r = GBA_ERR_IO;
		goto out;
	}
	sqlite3_busy_timeout(d, BSF_STORE_BUSY_MS);
	if (sqlite3_exec(d, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		r = GBA_ERR_DB;
		goto out;
	}
	r = apply_skip(d, cfg, info);
	if (r == GBA_OK &&
	    sqlite3_exec(d, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		r = GBA_ERR_DB;
	if (r != GBA_OK)
		sqlite3_exec(d, "ROLLBACK", NULL, NULL, NULL);
out:
	if (d)
		sqlite3_close(d);
	if (lock_fd >= 0)
		close(lock_fd);
	return r;
}

int bsf_prov_lock_auc(const char *db, int *fd)
{
	return lock_auc(db, fd);
}
