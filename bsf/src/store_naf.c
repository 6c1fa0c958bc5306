/* see store.h - the SQLite backend: Push-NAFs (store_sq.h). */
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

/* One row of the NAF_Id query (fqdn, ua) appended to the bsf_naf @arg. */
static int naf_id_row(void *arg, sqlite3_stmt *q)
{
	struct bsf_naf_id *n = bsf_rule_naf_id_next(arg);
	int r;

	if (n == NULL)
		return GBA_ERR_TOO_LARGE;
	if ((r = bsf_sq_col_copy(q, 0, n->fqdn, sizeof(n->fqdn))) != 0)
		return r;
	if (sqlite3_column_bytes(q, 1) != BSF_UA_ID_LEN)
		return GBA_ERR_MALFORMED;
	memcpy(n->ua, sqlite3_column_blob(q, 1), BSF_UA_ID_LEN);
	return GBA_OK;
}

/* Fill @naf from the current row of @s (id, name, cert_id, flags, rate)
 * and load its NAF_Id list. */
static int naf_fill(struct bsf_conn *c, sqlite3_stmt *s, struct bsf_naf *naf)
{
	int r;

	naf->id = sqlite3_column_int64(s, 0);
	if ((r = bsf_sq_col_copy(s, 1, naf->name, sizeof(naf->name))) != 0 ||
	    (r = bsf_sq_col_copy(s, 2, naf->cert_id, sizeof(naf->cert_id))) !=
		    0)
		return r;
	naf->allow_impi = sqlite3_column_int(s, 3) != 0;
	naf->gba_u_aware = sqlite3_column_int(s, 4) != 0;
	naf->rate = (uint32_t)sqlite3_column_int64(s, 5);
	return bsf_sq_rows_by_id(c, ST_NAF_IDS,
				 "SELECT fqdn, ua FROM naf_id WHERE naf = ?1"
				 " ORDER BY fqdn, ua",
				 naf->id, naf_id_row, naf);
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
	return r; /* on failure the API zeroes @naf (store_api.c) */
}

int bsf_sq_naf_by_cert(struct bsf_store *st, const char *cert_id,
		       size_t cert_id_len, struct bsf_naf *naf)
{
	/* arguments checked by the API (store_api.c) */
	return naf_lookup(st, ST_NAF_BY_CERT, NAF_COLS " WHERE cert_id = ?1",
			  cert_id, cert_id_len, naf);
}

int bsf_sq_naf_by_name(struct bsf_store *st, const char *name,
		       struct bsf_naf *naf)
{
	/* arguments checked by the API (store_api.c) */
	return naf_lookup(st, ST_NAF_BY_NAME, NAF_COLS " WHERE name = ?1", name,
			  strlen(name), naf);
}

int bsf_sq_naf_ids_insert(struct bsf_conn *c, int64_t nid,
			  const struct bsf_naf *naf)
{
	char fqdn[BSF_FQDN_MAX + 1];
	sqlite3_stmt *s;
	size_t i, j;
	int r;

	for (i = 0; i < naf->n_naf_ids; i++) {
		const struct bsf_naf_id *n = &naf->naf_ids[i];

		for (j = 0; n->fqdn[j] && j < BSF_FQDN_MAX; j++)
			fqdn[j] = bsf_rule_lower(n->fqdn[j]);
		fqdn[j] = '\0';
		if (j == 0)
			return GBA_ERR_BAD_PARAM;
		s = bsf_sq_stmt_id(c, ST_NAF_ID_INS,
				   "INSERT OR IGNORE INTO naf_id VALUES(?1, ?2,"
				   " ?3)",
				   nid);
		if (s == NULL)
			return GBA_ERR_DB;
		sqlite3_bind_text(s, 2, fqdn, -1, SQLITE_STATIC);
		sqlite3_bind_blob(s, 3, n->ua, BSF_UA_ID_LEN, SQLITE_STATIC);
		if ((r = bsf_sq_step_done(c, s)) != 0)
			return r;
	}
	return GBA_OK;
}

static int naf_add_conn(struct bsf_conn *c, const struct bsf_naf *naf,
			int64_t *id)
{
	sqlite3_stmt *s;
	int64_t nid;
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
	if ((rc = bsf_sq_step_done(c, s)) != 0)
		return rc;
	nid = sqlite3_last_insert_rowid(c->db);
	if ((rc = bsf_sq_naf_ids_insert(c, nid, naf)) == GBA_OK && id)
		*id = nid;
	return rc;
}

int bsf_sq_naf_add(struct bsf_store *st, const struct bsf_naf *naf, int64_t *id)
{
	struct bsf_conn *c;
	int r;

	/* arguments and rules checked by bsf_store_naf_add() */
	WITH_TX(st, c, r, naf_add_conn(c, naf, id));
	return r;
}

int bsf_sq_del_by_text(struct bsf_store *st, unsigned slot, const char *sql,
		       const char *key)
{
	struct bsf_conn *c;
	sqlite3_stmt *s;
	int r;

	if (st == NULL || key == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	if ((s = bsf_conn_stmt(c, slot, sql)) == NULL) {
		r = GBA_ERR_DB;
	} else {
		sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
		r = bsf_sq_step_changed(c, s);
	}
	bsf_conn_put(st, c);
	return r;
}

int bsf_sq_naf_remove(struct bsf_store *st, const char *name)
{
	return bsf_sq_del_by_text(st, ST_NAF_DEL,
				  "DELETE FROM naf WHERE name = ?1", name);
}

int bsf_sq_naf_list(struct bsf_store *st,
		    int (*cb)(void *arg, const struct bsf_naf *naf), void *arg)
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
