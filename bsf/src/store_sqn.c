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
static int run_prepare_tx(struct bsf_conn *c, unsigned ind_bits,
			  uint32_t seq_block, uint64_t seq_max, int64_t *run,
			  int64_t *max_id)
{
	sqlite3_stmt *s = NULL;
	int64_t f_ind_bits, block;
	int f_run, f_ind, f_block, r;

	if ((r = bsf_meta_get(c, BSF_META_RUN, run, &f_run)) != 0 ||
	    (r = bsf_meta_get(c, BSF_META_IND_BITS, &f_ind_bits, &f_ind)) != 0 ||
	    (r = bsf_meta_get(c, BSF_META_SEQ_BLOCK, &block, &f_block)) != 0)
		return r;
	if (f_ind && f_ind_bits != (int64_t)ind_bits)
		return GBA_ERR_CONFIG; /* SEQ values would change meaning */
	if (*run < 0 || *run >= INT64_MAX - 1)
		return GBA_ERR_STATE;
	if (f_block && block != (int64_t)seq_block && block > 0) {
		/* highest SEQ any run so far may have used becomes F */
		const int64_t v[] = { *run, block, (int64_t)seq_max,
				      *run + 1 };

		if ((r = bsf_sq_exec_i64(c,
					 "UPDATE sqn SET seq_floor = min("
					 "seq_floor + (max(?1 - run_floor, 0)"
					 " + 1) * ?2, ?3), run_floor = ?4",
					 v, 4)) != 0 ||
		    (r = bsf_meta_set(c, BSF_META_SEQ_BLOCK, seq_block)) != 0)
			return r;
	}
	/* the IND length is fixed from the first open on */
	if (!f_ind && (r = bsf_meta_set(c, BSF_META_IND_BITS, ind_bits)) != 0)
		return r;
	/* subscribers added from now on have higher ids (AUTOINCREMENT) */
	if (sqlite3_prepare_v2(c->db,
			       "SELECT coalesce(max(sub_id), 0) FROM sqn", -1,
			       &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return GBA_ERR_DB;
	}
	*max_id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return GBA_OK;
}

int bsf_sq_sqn_run_prepare(struct bsf_store *st, unsigned ind_bits,
			   uint32_t seq_block, uint64_t seq_max,
			   int64_t *run_out, int64_t *max_id)
{
	struct bsf_conn *c;
	int64_t run = 0, id = 0;
	int r;

	/* synchronous=FULL: a rebase is durable before any AV exists */
	WITH_TX(st, c, r,
		run_prepare_tx(c, ind_bits, seq_block, seq_max, &run, &id));
	if (r == GBA_OK) {
		*run_out = run;
		*max_id = id;
	}
	return r;
}

/*
 * Before the first AV of a run: run R + 1 made durable (one fsync), with
 * the IND length and block size.  Rows of subscribers added since open
 * (id > @max_id, still RF = R) move to RF = R + 1.  GBA_ERR_STATE when
 * the run counter is no longer @run_base (changed under the AuC's lock).
 */
static int run_start_tx(struct bsf_conn *c, int64_t run_base, int64_t max_id,
			unsigned ind_bits, uint32_t seq_block, int64_t *run)
{
	int64_t v[3];
	int f_run, r;

	if ((r = bsf_meta_get(c, BSF_META_RUN, run, &f_run)) != 0)
		return r;
	if (*run != run_base)
		return GBA_ERR_STATE; /* changed under our flock: copied DB? */
	v[0] = max_id;
	v[1] = *run;
	v[2] = *run + 1;
	if ((r = bsf_sq_exec_i64(c,
				 "UPDATE sqn SET run_floor = ?3 WHERE"
				 " sub_id > ?1 AND run_floor = ?2",
				 v, 3)) != 0 ||
	    (r = bsf_meta_set(c, BSF_META_IND_BITS, ind_bits)) != 0 ||
	    (r = bsf_meta_set(c, BSF_META_SEQ_BLOCK, seq_block)) != 0)
		return r;
	return bsf_meta_set(c, BSF_META_RUN, *run + 1);
}

int bsf_sq_sqn_run_start(struct bsf_store *st, int64_t run_base,
			 int64_t max_id, unsigned ind_bits, uint32_t seq_block,
			 int64_t *run_out)
{
	struct bsf_conn *c;
	int64_t run = 0;
	int r;

	/* synchronous=FULL: durable at COMMIT, before any AV of this run */
	WITH_TX(st, c, r,
		run_start_tx(c, run_base, max_id, ind_bits, seq_block, &run));
	if (r == GBA_OK)
		*run_out = run + 1;
	return r;
}

/* F = @floor, RF = @run for @sub_id on @c (caller's transaction, or
 * autocommit) */
static int floor_conn(struct bsf_conn *c, int64_t run, int64_t sub_id,
		      uint64_t floor)
{
	sqlite3_stmt *s;

	s = bsf_sq_stmt_id(c, ST_SQN_FLOOR,
			   "UPDATE sqn SET seq_floor = ?2, run_floor = ?3"
			   " WHERE sub_id = ?1",
			   sub_id);
	if (s == NULL)
		return GBA_ERR_DB;
	sqlite3_bind_int64(s, 2, (int64_t)floor);
	sqlite3_bind_int64(s, 3, run);
	return bsf_sq_step_changed(c, s);
}

/* Durable: F = @floor, RF = @run (one autocommit, fsynced). */
int bsf_sq_sqn_floor(struct bsf_store *st, int64_t run, int64_t sub_id,
		     uint64_t floor)
{
	struct bsf_conn *c;
	int r;

	WITH_CONN(st, c, r, floor_conn(c, run, sub_id, floor));
	return r;
}

static int floors_tx(struct bsf_conn *c, int64_t run, const int64_t *ids,
		     const uint64_t *floors, size_t n)
{
	size_t i;
	int r = GBA_OK;

	for (i = 0; i < n && (r == GBA_OK || r == GBA_ERR_NOT_FOUND); i++)
		r = floor_conn(c, run, ids[i], floors[i]);
	return r == GBA_ERR_NOT_FOUND ? GBA_OK : r;
}

/* The same for @n subscribers in one transaction (one fsync); a
 * subscriber removed meanwhile does not fail the others. */
int bsf_sq_sqn_floors(struct bsf_store *st, int64_t run, const int64_t *ids,
		      const uint64_t *floors, size_t n)
{
	struct bsf_conn *c;
	int r;

	WITH_TX(st, c, r, floors_tx(c, run, ids, floors, n));
	return r;
}
