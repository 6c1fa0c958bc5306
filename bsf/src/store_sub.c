/* see store.h - the SQLite backend: subscribers, GBA parameters and
 * the AuC's key row (store_sq.h). */
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

int bsf_sq_step_done(struct bsf_conn *c, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	(void)c;
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? GBA_OK : bsf_db_err(rc);
}

int bsf_sq_step_changed(struct bsf_conn *c, sqlite3_stmt *s)
{
	int r = bsf_sq_step_done(c, s);

	if (r == GBA_OK && sqlite3_changes(c->db) == 0)
		r = GBA_ERR_NOT_FOUND;
	return r;
}

int bsf_sq_row_by_id(struct bsf_conn *c, unsigned slot, const char *sql,
		     int64_t id, sqlite3_stmt **s)
{
	int rc;

	if ((*s = bsf_sq_stmt_id(c, slot, sql, id)) == NULL)
		return GBA_ERR_DB;
	if ((rc = sqlite3_step(*s)) == SQLITE_ROW)
		return GBA_OK;
	sqlite3_reset(*s);
	return rc == SQLITE_DONE ? GBA_ERR_NOT_FOUND : bsf_db_err(rc);
}

int bsf_sq_uss_insert(struct bsf_conn *c, int64_t sub_id,
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
		bsf_rule_uss_flags_pack(u, fl);
		sqlite3_bind_int64(s, 1, sub_id);
		sqlite3_bind_int64(s, 2, (int64_t)i);
		sqlite3_bind_text(s, 3, u->gsid, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, u->naf_group, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 5, u->uicc_sec);
		sqlite3_bind_blob(s, 6, fl, (int)(4 * u->n_flags),
				  SQLITE_STATIC);
		sqlite3_bind_text(s, 7, u->xml ? u->xml : "", -1,
				  SQLITE_STATIC);
		if ((r = bsf_sq_step_done(c, s)) != 0)
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

/* Everything of bsf_sq_sub_add() inside one savepoint. */
int bsf_sq_sub_add_conn(struct bsf_conn *c, const struct bsf_sub *sub,
			const char *guss, size_t guss_len, int64_t *id)
{
	struct bsf_rule_sub ns; /* normal forms, key columns, GUSS */
	sqlite3_stmt *s;
	unsigned ind_bits;
	size_t i;
	int64_t sid;
	int r;

	/* the rules and normal forms of every backend (store_rules.h) */
	if ((r = bsf_rule_sub_prepare(sub, guss, guss_len, &ns)) != 0)
		return r;
	if ((r = store_ind_bits(c, &ind_bits)) != 0)
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
	sqlite3_bind_text(s, 1, ns.impi, -1, SQLITE_STATIC);
	if (sub->imsi[0])
		sqlite3_bind_text(s, 2, sub->imsi, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, (int)sub->key.alg);
	sqlite3_bind_text(s, 4, ns.k_hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, ns.opc_hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, ns.amf_hex, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, ns.tuak_iter);
	sqlite3_bind_int64(s, 8, ns.tuak_res);
	sqlite3_bind_int64(s, 9, ns.tuak_ck);
	sqlite3_bind_int64(s, 10, ns.tuak_ik);
	sqlite3_bind_int(s, 11, ns.gba_u);
	if (guss)
		sqlite3_bind_text(s, 12, guss, (int)guss_len, SQLITE_STATIC);
	sqlite3_bind_text(s, 13, ns.labels, -1, SQLITE_STATIC);
	if ((r = bsf_sq_step_done(c, s)) != 0)
		goto rollback;
	sid = sqlite3_last_insert_rowid(c->db);
	for (i = 0; i < sub->n_impus; i++) {
		s = bsf_conn_stmt(c, ST_IMPU_INS,
				  "INSERT INTO impu VALUES(?1, ?2)");
		if (s == NULL) {
			r = GBA_ERR_DB;
			goto rollback;
		}
		sqlite3_bind_text(s, 1, ns.impus[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, sid);
		if ((r = bsf_sq_step_done(c, s)) != 0)
			goto rollback;
	}
	/* SQN state: SEQ of the highest SQN already used; the current run
	 * (hss.c) gives this row its first window (seq_floor, +block]. */
	s = bsf_sq_stmt_id(c, ST_SQN_INS,
			   "INSERT INTO sqn VALUES(?1, ?2, (SELECT value FROM"
			   " meta WHERE key = 'hss_run'))",
			   sid);
	if (s == NULL) {
		r = GBA_ERR_DB;
		goto rollback;
	}
	sqlite3_bind_int64(s, 2, (int64_t)(sub->sqn >> ind_bits));
	if ((r = bsf_sq_step_done(c, s)) != 0 ||
	    (r = bsf_sq_uss_insert(c, sid, &ns.guss)) != 0)
		goto rollback;
	r = bsf_conn_exec(c, "RELEASE sub_add");
	if (r == GBA_OK && id)
		*id = sid;
	goto out;
rollback:
	sqlite3_exec(c->db, "ROLLBACK TO sub_add; RELEASE sub_add", NULL, NULL,
		     NULL);
out:
	bsf_rule_sub_clear(&ns);
	return r;
}

#define SUB_COLS                                                               \
	"SELECT s.id, s.impi, s.imsi, s.alg, s.k, s.opc, s.amf,"               \
	" s.tuak_iter, s.tuak_res, s.tuak_ck, s.tuak_ik, s.gba_u,"             \
	" s.labels, s.guss IS NOT NULL, q.seq_floor, q.run_floor"              \
	" FROM subscriber s JOIN sqn q ON q.sub_id = s.id"

static int sqn_meta_load(struct bsf_conn *c, struct bsf_rule_sqn_meta *m)
{
	int found, r;

	m->block = 0;
	if ((r = store_ind_bits(c, &m->ind_bits)) != 0 ||
	    (r = bsf_meta_get(c, BSF_META_RUN, &m->run, &found)) != 0 ||
	    (r = bsf_meta_get(c, BSF_META_SEQ_BLOCK, &m->block, &found)) != 0)
		return r;
	if (!found || m->block < 0)
		m->block = 0; /* no AuC ever ran (bsf_rule_sqn_bound()) */
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

/* One row of the IMPU query appended to the bsf_sub @arg. */
static int impu_row(void *arg, sqlite3_stmt *q)
{
	struct bsf_sub *sub = arg;
	int r;

	if (sub->n_impus == BSF_IMPUS_MAX)
		return GBA_ERR_TOO_LARGE;
	if ((r = bsf_sq_col_copy(q, 0, sub->impus[sub->n_impus],
				 BSF_IMPU_MAX + 1)) != 0)
		return r;
	sub->n_impus++;
	return GBA_OK;
}

/* Fill @sub from a SUB_COLS row. */
static int sub_fill(struct bsf_conn *c, sqlite3_stmt *s, unsigned flags,
		    const struct bsf_rule_sqn_meta *m, struct bsf_sub *sub)
{
	int r;

	sub->id = sqlite3_column_int64(s, 0);
	if ((r = bsf_sq_col_copy(s, 1, sub->impi, sizeof(sub->impi))) != 0 ||
	    (r = bsf_sq_col_copy(s, 2, sub->imsi, sizeof(sub->imsi))) != 0)
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
	if ((r = bsf_rule_labels_split((const char *)sqlite3_column_text(s, 12),
				       sub->labels, &sub->n_labels)) != 0)
		return r;
	sub->has_guss = sqlite3_column_int(s, 13) != 0;
	/* the highest SQN any run so far may have issued (hss.c windows) */
	sub->sqn = bsf_rule_sqn_bound(sqlite3_column_int64(s, 14),
				      sqlite3_column_int64(s, 15), m);
	return bsf_sq_rows_by_id(c, ST_SUB_IMPUS,
				 "SELECT impu FROM impu WHERE sub_id = ?1"
				 " ORDER BY impu",
				 sub->id, impu_row, sub);
}

int bsf_sq_sub_get_id(struct bsf_store *st, int64_t sub_id, unsigned flags,
		      struct bsf_sub *sub)
{
	struct bsf_conn *c;
	struct bsf_rule_sqn_meta m;
	sqlite3_stmt *s;
	int r;

	if (sub)
		bsf_sub_clear(sub);
	if (st == NULL || sub == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	if ((r = sqn_meta_load(c, &m)) != 0)
		goto out;
	if ((r = bsf_sq_row_by_id(c, ST_SUB_GET, SUB_COLS " WHERE s.id = ?1",
				  sub_id, &s)) != 0)
		goto out;
	r = sub_fill(c, s, flags, &m, sub);
	sqlite3_reset(s);
out:
	bsf_conn_put(st, c);
	if (r != GBA_OK)
		bsf_sub_clear(sub);
	return r;
}

int bsf_sq_sub_guss(struct bsf_store *st, int64_t sub_id, char **xml)
{
	struct bsf_conn *c;
	sqlite3_stmt *s;
	int r;

	if (xml)
		*xml = NULL;
	if (st == NULL || xml == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	if ((r = bsf_sq_row_by_id(c, ST_SUB_GUSS,
				  "SELECT guss FROM subscriber WHERE id = ?1",
				  sub_id, &s)) != 0)
		goto out;
	if (sqlite3_column_type(s, 0) != SQLITE_NULL &&
	    (*xml = bsf_rule_text_dup(sqlite3_column_blob(s, 0),
				      (size_t)sqlite3_column_bytes(s, 0))) ==
		    NULL)
		r = GBA_ERR_NOMEM;
	sqlite3_reset(s);
out:
	bsf_conn_put(st, c);
	return r;
}

int bsf_sq_sub_remove(struct bsf_store *st, const char *impi)
{
	return bsf_sq_del_by_text(
		st, ST_SUB_DEL, "DELETE FROM subscriber WHERE impi = ?1", impi);
}

int bsf_sq_sub_list(struct bsf_store *st, unsigned flags,
		    int (*cb)(void *arg, const struct bsf_sub *s), void *arg)
{
	struct bsf_sub *sub;
	struct bsf_conn *c;
	struct bsf_rule_sqn_meta m;
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

int bsf_sq_sub_count(struct bsf_store *st, uint64_t *n)
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

/* where uss_row() appends a USS row */
struct uss_rows {
	struct bsf_gba_params *p;
	unsigned flags;
};

/* One row of the USS query (gsid, naf_group, uicc_sec, flags, xml). */
static int uss_row(void *arg, sqlite3_stmt *s)
{
	const struct uss_rows *u = arg;
	struct bsf_rule_uss_row row = {
		.gsid = (const char *)sqlite3_column_text(s, 0),
		.gsid_len = (size_t)sqlite3_column_bytes(s, 0),
		.naf_group = (const char *)sqlite3_column_text(s, 1),
		.naf_group_len = (size_t)sqlite3_column_bytes(s, 1),
		.uicc_sec = sqlite3_column_int(s, 2),
		.flags = sqlite3_column_blob(s, 3),
		.flags_len = (size_t)sqlite3_column_bytes(s, 3),
		.xml = sqlite3_column_blob(s, 4),
		.xml_len = (size_t)sqlite3_column_bytes(s, 4),
		.xml_want = (u->flags & (BSF_GBA_XML | BSF_GBA_USS_XML)) != 0,
	};

	return bsf_rule_uss_add(u->p, &row);
}

/* on failure the caller clears @p (bsf_store_gba_params(), ue_lookup()) */
int bsf_sq_gba_params_conn(struct bsf_conn *c, int64_t sub_id, unsigned flags,
			   struct bsf_gba_params *p)
{
	struct uss_rows u = { p, flags };
	const void *guss;
	sqlite3_stmt *s;
	int r;

	if ((r = bsf_sq_row_by_id(c, ST_GBA_SUB,
				  "SELECT gba_u, labels, guss FROM subscriber"
				  " WHERE id = ?1",
				  sub_id, &s)) != 0)
		return r;
	/* blob before bytes (SQLite's order for a column's length) */
	guss = sqlite3_column_type(s, 2) == SQLITE_NULL
		       ? NULL
		       : sqlite3_column_blob(s, 2);
	r = bsf_rule_gba_sub_row(p, flags, sqlite3_column_int(s, 0),
				 (const char *)sqlite3_column_text(s, 1), guss,
				 (size_t)sqlite3_column_bytes(s, 2));
	sqlite3_reset(s);
	if (r != GBA_OK || (flags & BSF_GBA_NO_USS))
		return r;
	return bsf_sq_rows_by_id(c, ST_GBA_USS,
				 "SELECT gsid, naf_group, uicc_sec, flags, xml"
				 " FROM uss WHERE sub_id = ?1 ORDER BY idx",
				 sub_id, uss_row, &u);
}

int bsf_sq_gba_params(struct bsf_store *st, int64_t sub_id, unsigned flags,
		      struct bsf_gba_params *p)
{
	struct bsf_conn *c;
	int r;

	/* arguments checked by the API (store_api.c) */
	WITH_CONN(st, c, r, bsf_sq_gba_params_conn(c, sub_id, flags, p));
	return r;
}

/*
 * The key row of @sub_id on connection @c (inside the caller's
 * transaction, if any), decoded by keyrow.h; on failure the caller wipes
 * @row (bsf_store_key_row(), ue_lookup()).
 */
int bsf_sq_key_row_conn(struct bsf_conn *c, int64_t sub_id,
			struct bsf_key_row *row)
{
	sqlite3_stmt *s;
	int r;

	memset(row, 0, sizeof(*row));
	row->sub_id = sub_id;
	if ((r = bsf_sq_row_by_id(c, ST_KEY_ROW,
				  "SELECT s.alg, s.k, s.opc, s.amf, s.tuak_iter,"
				  " s.tuak_res, s.tuak_ck, s.tuak_ik,"
				  " q.seq_floor, q.run_floor FROM subscriber s"
				  " JOIN sqn q ON q.sub_id = s.id"
				  " WHERE s.id = ?1",
				  sub_id, &s)) != 0)
		return r;
	row->seq_floor = sqlite3_column_int64(s, 8);
	row->run_floor = sqlite3_column_int64(s, 9);
	if (key_fill(s, 1, &row->key, row->amf) != GBA_OK ||
	    row->seq_floor < 0)
		r = GBA_ERR_MALFORMED;
	sqlite3_reset(s);
	return r;
}

int bsf_sq_key_row(struct bsf_store *st, int64_t sub_id,
		   struct bsf_key_row *row)
{
	struct bsf_conn *c;
	int r;

	/* arguments checked by the API (store_api.c) */
	WITH_CONN(st, c, r, bsf_sq_key_row_conn(c, sub_id, row));
	return r;
}

/* Replace a subscriber in place of the one with the same IMPI
 * (gba-bsfctl subscriber modify, import --on-conflict update). */

/*
 * The new row gets the old one's associations, and an SQN state above
 * everything the old row may have issued in any run so far: seq_floor =
 * the old bound F + (max(R - RF, 0) + 1) * B (the rebase rule of hss.c
 * prepare_run()), run_floor = R.  In the current run R the new id's
 * window then starts above the old id's, so a running gba-bsf (which
 * keys its SQN cache by id) never repeats an SQN across the change.
 */
static int sub_replace_conn(struct bsf_conn *c, const struct bsf_sub *sub,
			    const char *guss, size_t guss_len, int64_t *id)
{
	char impi[BSF_IMPI_MAX + 1];
	sqlite3_stmt *s = NULL;
	int64_t old = 0, nid = 0, run = 0, block = 256, v[5];
	unsigned ind_bits;
	int found, rc, r;

	if ((r = gba_utf8_nfkc_str(sub->impi, impi, sizeof(impi))) != 0)
		return r;
	if (sqlite3_prepare_v2(c->db,
			       "SELECT id FROM subscriber WHERE impi = ?1", -1,
			       &s, NULL) != SQLITE_OK)
		return GBA_ERR_DB;
	sqlite3_bind_text(s, 1, impi, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		old = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? GBA_ERR_NOT_FOUND : bsf_db_err(rc);
	if ((r = store_ind_bits(c, &ind_bits)) != 0 ||
	    (r = bsf_meta_get(c, BSF_META_RUN, &run, &found)) != 0 ||
	    (r = bsf_meta_get(c, BSF_META_SEQ_BLOCK, &block, &found)) != 0)
		return r;
	if (!found || block <= 0)
		block = 0; /* no AuC ever ran: nothing issued, F is exact */
	if ((r = bsf_conn_exec(c, "SAVEPOINT sub_replace")) != 0)
		return r;
	/* free the old row's unique identities, keep the row for now */
	if ((r = bsf_sq_exec_i64(c,
				 "UPDATE subscriber SET impi = '~replaced~' ||"
				 " id, imsi = NULL WHERE id = ?1",
				 &old, 1)) != 0 ||
	    (r = bsf_sq_exec_i64(c, "DELETE FROM impu WHERE sub_id = ?1", &old,
				 1)) != 0 ||
	    (r = bsf_sq_sub_add_conn(c, sub, guss, guss_len, &nid)) != 0)
		goto rollback;
	v[0] = old;
	v[1] = nid;
	v[2] = run;
	v[3] = block;
	v[4] = seq_max(ind_bits);
	if ((r = bsf_sq_exec_i64(c,
				 "INSERT INTO assoc(naf, sub_id) SELECT naf, ?2"
				 " FROM assoc WHERE sub_id = ?1",
				 v, 2)) != 0 ||
	    (r = bsf_sq_exec_i64(
		     c,
		     "UPDATE sqn SET seq_floor = max(seq_floor,"
		     " (SELECT min(o.seq_floor + (max(?3 - o.run_floor, 0)"
		     " + 1) * ?4, ?5) FROM sqn o WHERE o.sub_id = ?1)),"
		     " run_floor = ?3 WHERE sub_id = ?2",
		     v, 5)) != 0 ||
	    (r = bsf_sq_exec_i64(c, "DELETE FROM subscriber WHERE id = ?1",
				 &old, 1)) != 0)
		goto rollback;
	r = bsf_conn_exec(c, "RELEASE sub_replace");
	if (r == GBA_OK && id)
		*id = nid;
	return r;
rollback:
	sqlite3_exec(c->db, "ROLLBACK TO sub_replace; RELEASE sub_replace",
		     NULL, NULL, NULL);
	return r;
}

/* a subscriber added or replaced in a transaction of its own */
int bsf_sq_sub_write(struct bsf_store *st, int replace,
		     const struct bsf_sub *s, const char *guss,
		     size_t guss_len, int64_t *id)
{
	struct bsf_conn *c;
	int r;

	/* arguments checked by the API (store_api.c) */
	WITH_TX(st, c, r,
		replace ? sub_replace_conn(c, s, guss, guss_len, id)
			: bsf_sq_sub_add_conn(c, s, guss, guss_len, id));
	return r;
}

int bsf_sq_sub_replace_conn(struct bsf_conn *c, const struct bsf_sub *s,
			    const char *guss, size_t guss_len, int64_t *id)
{
	if (id)
		*id = 0;
	if (c == NULL || s == NULL)
		return GBA_ERR_BAD_PARAM;
	return sub_replace_conn(c, s, guss, guss_len, id);
}
