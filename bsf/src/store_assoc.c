/* see store.h - the SQLite backend: SCS - device associations of
 * TS 33.187 (store_sq.h). */
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

/* ------------------------------------------------------------------ */
/* Associations */

int bsf_sq_assoc_check_conn(struct bsf_conn *c, int64_t naf_id, int64_t sub_id)
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

int bsf_sq_assoc_check(struct bsf_store *st, int64_t naf_id, int64_t sub_id)
{
	struct bsf_conn *c;
	int r;

	/* arguments checked by the API (store_api.c) */
	WITH_CONN(st, c, r, bsf_sq_assoc_check_conn(c, naf_id, sub_id));
	return r;
}

int bsf_sq_assoc_add_conn(struct bsf_conn *c, int64_t naf_id, int64_t sub_id)
{
	sqlite3_stmt *s = bsf_conn_stmt(c, ST_ASSOC_INS,
					"INSERT INTO assoc VALUES(?1, ?2)");

	if (s == NULL)
		return GBA_ERR_DB;
	sqlite3_bind_int64(s, 1, naf_id);
	sqlite3_bind_int64(s, 2, sub_id);
	return bsf_sq_step_done(c, s);
}

int bsf_sq_assoc_add(struct bsf_store *st, int64_t naf_id, int64_t sub_id)
{
	struct bsf_conn *c;
	int r;

	if (st == NULL)
		return GBA_ERR_BAD_PARAM;
	WITH_TX(st, c, r, bsf_sq_assoc_add_conn(c, naf_id, sub_id));
	return r;
}

int bsf_sq_assoc_remove(struct bsf_store *st, int64_t naf_id, int64_t sub_id)
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
		r = bsf_sq_step_changed(c, s);
	}
	bsf_conn_put(st, c);
	return r;
}

/* One listed row (NAF name, then the IMPI for @cb2) to the bsf_assoc_cb
 * @arg. */
static int assoc_row(void *arg, sqlite3_stmt *s)
{
	const struct bsf_assoc_cb *l = arg;

	return bsf_assoc_cb_row(l, (const char *)sqlite3_column_text(s, 0),
				l->cb2 ? (const char *)sqlite3_column_text(s, 1)
				       : NULL);
}

int bsf_sq_assoc_list(struct bsf_store *st, int64_t naf_id,
		      const struct bsf_assoc_cb *l)
{
	struct bsf_assoc_cb to = *l; /* bsf_sq_rows_by_id()'s argument */
	struct bsf_conn *c;
	int r;

	if (naf_id)
		WITH_CONN(st, c, r,
			  bsf_sq_rows_by_id(
				  c, ST_ASSOC_LIST_NAF,
				  "SELECT n.name, s.impi FROM assoc a"
				  " JOIN naf n ON n.id = a.naf JOIN"
				  " subscriber s ON s.id = a.sub_id"
				  " WHERE a.naf = ?1 ORDER BY n.name, s.impi",
				  naf_id, assoc_row, &to));
	else
		WITH_CONN(st, c, r,
			  bsf_sq_rows_by_id(c, ST_ASSOC_LIST,
					    "SELECT n.name, s.impi FROM assoc a"
					    " JOIN naf n ON n.id = a.naf JOIN"
					    " subscriber s ON s.id = a.sub_id"
					    " ORDER BY n.name, s.impi",
					    0, assoc_row, &to));
	return r;
}

int bsf_sq_assoc_list_sub(struct bsf_store *st, int64_t sub_id,
			  const struct bsf_assoc_cb *l)
{
	struct bsf_assoc_cb to = *l; /* bsf_sq_rows_by_id()'s argument */
	struct bsf_conn *c;
	int r;

	WITH_CONN(st, c, r,
		  bsf_sq_rows_by_id(c, ST_ASSOC_LIST_SUB,
				    "SELECT n.name FROM assoc a JOIN naf n"
				    " ON n.id = a.naf WHERE a.sub_id = ?1"
				    " ORDER BY n.name",
				    sub_id, assoc_row, &to));
	return r;
}
