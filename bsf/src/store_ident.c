/* see store.h - the SQLite backend: identity resolution (IMPI, IMPU)
 * and the per-GPI lookup (store_sq.h). */
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
#include "store_sq.h"

/* The first step of cached statement @slot (@sql) with ?1 = @key: *@rc is
 * SQLITE_ROW or SQLITE_DONE when it returns GBA_OK. */
static int lookup_text(struct bsf_conn *c, unsigned slot, const char *sql,
		       const char *key, sqlite3_stmt **s, int *rc)
{
	if ((*s = bsf_conn_stmt(c, slot, sql)) == NULL)
		return GBA_ERR_DB;
	sqlite3_bind_text(*s, 1, key, -1, SQLITE_STATIC);
	*rc = sqlite3_step(*s);
	if (*rc != SQLITE_ROW && *rc != SQLITE_DONE)
		return bsf_db_err(*rc);
	return GBA_OK;
}

static int resolve_conn(struct bsf_conn *c, const char *ue_id, size_t len,
			enum bsf_id_type type, int64_t *sub_id, char *impi,
			size_t impi_cap)
{
	struct bsf_rule_id_keys k; /* what to look up (store_rules.h) */
	sqlite3_stmt *s;
	int rc, r;

	if ((r = bsf_rule_id_keys(ue_id, len, type, &k)) != 0)
		return r;
	if (k.impi[0]) {
		if ((r = lookup_text(c, ST_RES_IMPI,
				     "SELECT id, impi FROM subscriber"
				     " WHERE impi = ?1",
				     k.impi, &s, &rc)) != 0)
			return r;
		if (rc == SQLITE_ROW)
			goto found;
		sqlite3_reset(s);
	}
	if (!k.impu[0])
		return GBA_ERR_NOT_FOUND;
	if ((r = lookup_text(c, ST_RES_IMPU,
			     "SELECT s.id, s.impi FROM impu i JOIN subscriber s"
			     " ON s.id = i.sub_id WHERE i.impu = ?1",
			     k.impu, &s, &rc)) != 0)
		return r;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return GBA_ERR_NOT_FOUND;
	}
found:
	r = GBA_OK;
	if (impi && (r = bsf_sq_col_copy(s, 1, impi, impi_cap)) != 0)
		r = GBA_ERR_NO_SPACE;
	if (r == GBA_OK)
		*sub_id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return r;
}

/* arguments checked by bsf_store_resolve() */
int bsf_sq_resolve(struct bsf_store *st, const char *ue_id, size_t len,
		   enum bsf_id_type type, int64_t *sub_id, char *impi,
		   size_t impi_cap)
{
	struct bsf_conn *c;
	int r;

	WITH_CONN(st, c, r,
		  resolve_conn(c, ue_id, len, type, sub_id, impi, impi_cap));
	return r;
}

/* BEGIN / COMMIT as cached statements: sqlite3_exec() would parse the SQL
 * text on every GPI (2-3 % of the daemon's CPU under load) */
static int txn_step(struct bsf_conn *c, unsigned slot, const char *sql)
{
	sqlite3_stmt *s = bsf_conn_stmt(c, slot, sql);

	return s ? bsf_sq_step_done(c, s) : GBA_ERR_DB;
}

int bsf_sq_ue_lookup(struct bsf_store *st, int64_t naf_id, const char *ue_id,
		     size_t len, enum bsf_id_type type, unsigned flags,
		     struct bsf_ue *ue, struct bsf_key_row *row)
{
	struct bsf_conn *c;
	int r;

	/* arguments checked by the API (store_api.c) */
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
			if ((r = bsf_sq_assoc_check_conn(c, naf_id, 0)) ==
				    GBA_ERR_NOT_AUTHORIZED ||
			    r == GBA_OK)
				r = GBA_ERR_NOT_FOUND;
		} else if (r == 0 &&
			   (r = bsf_sq_assoc_check_conn(c, naf_id,
							ue->sub_id)) == 0 &&
			   (r = bsf_sq_gba_params_conn(c, ue->sub_id, flags,
						       &ue->params)) == 0 &&
			   row) {
			/* the AuC's key row in the same snapshot */
			r = bsf_sq_key_row_conn(c, ue->sub_id, row);
		}
		if (txn_step(c, ST_COMMIT, "COMMIT") != GBA_OK)
			sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	}
	bsf_conn_put(st, c);
	return r;
}
