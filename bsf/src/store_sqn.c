/* see store_ops.h - the SQLite backend: the durable SQN state of the
 * single AuC (run counter, per-subscriber floors), TS 33.102 V17.0.0
 * Annex C; the scheme is in hss.c and docs/hss-store.md section 4, the
 * SQL here (store_sq.h). */
#include <pthread.h>
#include <stdint.h>
#include "guss.h"
#include "store_sq.h"

enum {
	ST_SQN_FLOOR = BSF_ST_STORE_MAX, /* the slots above store.c's */
};

/*
 * At open, one transaction: check the IND length and the run counter,
 * and on a new block size rebase every row so that the next run's window
 * starts above everything any run so far may have used (RF = R + 1).
 * The run counter itself is NOT incremented here (bsf_sq_sqn_run_start()
 * does that before the first AV).
 */
int bsf_sq_sqn_run_prepare(struct bsf_store *st, unsigned ind_bits,
			   uint32_t seq_block, uint64_t seq_max,
			   int64_t *run_out, int64_t *max_id)
{
	struct bsf_conn *c;
	sqlite3_stmt *s = NULL;
	int64_t run, f_ind_bits, block;
	int f_run, f_ind, f_block, rc, r;

	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	if ((r = bsf_conn_exec(c, "BEGIN IMMEDIATE")) != 0)
		goto out;
	if ((r = bsf_meta_get(c, BSF_META_RUN, &run, &f_run)) != 0 ||
	    (r = bsf_meta_get(c, BSF_META_IND_BITS, &f_ind_bits, &f_ind)) != 0 ||
	    (r = bsf_meta_get(c, BSF_META_SEQ_BLOCK, &block, &f_block)) != 0)
		goto rollback;
	if (f_ind && f_ind_bits != (int64_t)ind_bits) {
		r = GBA_ERR_CONFIG; /* SEQ values would change meaning */
		goto rollback;
	}
	if (run < 0 || run >= INT64_MAX - 1) {
		r = GBA_ERR_STATE;
		goto rollback;
	}
	if (f_block && block != (int64_t)seq_block && block > 0) {
		/* highest SEQ any run so far may have used becomes F */
		rc = sqlite3_prepare_v2(
			c->db,
			"UPDATE sqn SET seq_floor = min(seq_floor +"
			" (max(?1 - run_floor, 0) + 1) * ?2, ?3),"
			" run_floor = ?4",
			-1, &s, NULL);
		if (rc != SQLITE_OK) {
			r = GBA_ERR_DB;
			goto rollback;
		}
		sqlite3_bind_int64(s, 1, run);
		sqlite3_bind_int64(s, 2, block);
		sqlite3_bind_int64(s, 3, (int64_t)seq_max);
		sqlite3_bind_int64(s, 4, run + 1);
		rc = sqlite3_step(s);
		sqlite3_finalize(s);
		s = NULL;
		if (rc != SQLITE_DONE) {
			r = bsf_db_err(rc);
			goto rollback;
		}
		if ((r = bsf_meta_set(c, BSF_META_SEQ_BLOCK, seq_block)) != 0)
			goto rollback;
	}
	/* the IND length is fixed from the first open on */
	if (!f_ind && (r = bsf_meta_set(c, BSF_META_IND_BITS, ind_bits)) != 0)
		goto rollback;
	/* subscribers added from now on have higher ids (AUTOINCREMENT) */
	if (sqlite3_prepare_v2(c->db,
			       "SELECT coalesce(max(sub_id), 0) FROM sqn", -1,
			       &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		r = GBA_ERR_DB;
		goto rollback;
	}
	*max_id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	/* synchronous=FULL: a rebase is durable before any AV exists */
	if ((r = bsf_conn_exec(c, "COMMIT")) != 0)
		goto rollback;
	*run_out = run;
	goto out;
rollback:
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
out:
	bsf_conn_put(st, c);
	return r;
}

/*
 * Before the first AV of a run: run R + 1 made durable (one fsync), with
 * the IND length and block size.  Rows of subscribers added since open
 * (id > @max_id, still RF = R) move to RF = R + 1.  GBA_ERR_STATE when
 * the run counter is no longer @run_base (changed under the AuC's lock).
 */
int bsf_sq_sqn_run_start(struct bsf_store *st, int64_t run_base,
			 int64_t max_id, unsigned ind_bits, uint32_t seq_block,
			 int64_t *run_out)
{
	struct bsf_conn *c;
	sqlite3_stmt *s = NULL;
	int64_t run;
	int f_run, rc, r;

	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	if ((r = bsf_conn_exec(c, "BEGIN IMMEDIATE")) != 0)
		goto out;
	if ((r = bsf_meta_get(c, BSF_META_RUN, &run, &f_run)) != 0)
		goto rollback;
	if (run != run_base) {
		r = GBA_ERR_STATE; /* changed under our flock: copied DB? */
		goto rollback;
	}
	rc = sqlite3_prepare_v2(c->db,
				"UPDATE sqn SET run_floor = ?3 WHERE"
				" sub_id > ?1 AND run_floor = ?2",
				-1, &s, NULL);
	if (rc != SQLITE_OK) {
		r = GBA_ERR_DB;
		goto rollback;
	}
	sqlite3_bind_int64(s, 1, max_id);
	sqlite3_bind_int64(s, 2, run);
	sqlite3_bind_int64(s, 3, run + 1);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		r = bsf_db_err(rc);
		goto rollback;
	}
	if ((r = bsf_meta_set(c, BSF_META_IND_BITS, ind_bits)) != 0 ||
	    (r = bsf_meta_set(c, BSF_META_SEQ_BLOCK, seq_block)) != 0 ||
	    (r = bsf_meta_set(c, BSF_META_RUN, run + 1)) != 0)
		goto rollback;
	/* synchronous=FULL: durable before any AV of this run exists */
	if ((r = bsf_conn_exec(c, "COMMIT")) != 0)
		goto rollback;
	*run_out = run + 1;
	goto out;
rollback:
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
out:
	bsf_conn_put(st, c);
	return r;
}

/* F = @floor, RF = @run for @sub_id on @c (caller's transaction, or
 * autocommit) */
static int floor_conn(struct bsf_conn *c, int64_t run, int64_t sub_id,
		      uint64_t floor)
{
	sqlite3_stmt *s;
	int rc;

	s = bsf_conn_stmt(c, ST_SQN_FLOOR,
			  "UPDATE sqn SET seq_floor = ?2, run_floor = ?3"
			  " WHERE sub_id = ?1");
	if (s == NULL)
		return GBA_ERR_DB;
	sqlite3_bind_int64(s, 1, sub_id);
	sqlite3_bind_int64(s, 2, (int64_t)floor);
	sqlite3_bind_int64(s, 3, run);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return bsf_db_err(rc);
	return sqlite3_changes(c->db) == 0 ? GBA_ERR_NOT_FOUND : GBA_OK;
}

/* Durable: F = @floor, RF = @run (one autocommit, fsynced). */
int bsf_sq_sqn_floor(struct bsf_store *st, int64_t run, int64_t sub_id,
		     uint64_t floor)
{
	struct bsf_conn *c;
	int r;

	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	r = floor_conn(c, run, sub_id, floor);
	bsf_conn_put(st, c);
	return r;
}

/* The same for @n subscribers in one transaction (one fsync); a
 * subscriber removed meanwhile does not fail the others. */
int bsf_sq_sqn_floors(struct bsf_store *st, int64_t run, const int64_t *ids,
		      const uint64_t *floors, size_t n)
{
	struct bsf_conn *c;
	size_t i;
	int r;

	if ((r = bsf_conn_get(st, &c)) != 0)
		return r;
	if ((r = bsf_conn_exec(c, "BEGIN IMMEDIATE")) == 0) {
		for (i = 0; i < n && (r == GBA_OK || r == GBA_ERR_NOT_FOUND);
		     i++)
			r = floor_conn(c, run, ids[i], floors[i]);
		if (r == GBA_ERR_NOT_FOUND)
			r = GBA_OK;
		if (r == GBA_OK)
			r = bsf_conn_exec(c, "COMMIT");
		if (r != GBA_OK)
			sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	}
	bsf_conn_put(st, c);
	return r;
}
