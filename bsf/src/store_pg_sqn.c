/* see store_pg_i.h - the PostgreSQL backend: shared SQN windows
 * (docs/hss-store.md section 4) and the skip-ahead after pg_restore */
#include <string.h>
#include "store_pg_i.h"

/* Shared SQN windows (docs/hss-store.md section 4) */

/* the IND length: recorded by the first AuC (as the SQLite AuC does in
 * its meta table), the same for every later one */
int bsf_pg_sqn_ind_bits(struct bsf_store *st, unsigned ind_bits)
{
	struct pp p = {0};
	PGresult *s;
	int r;

	if (st == NULL || ind_bits > GBA_SQN_IND_BITS_MAX)
		return GBA_ERR_BAD_PARAM;
	pp_text(&p, BSF_META_IND_BITS);
	pp_int(&p, (int64_t)ind_bits);
	/* one statement: the first AuC's value stays */
	if ((r = bsf_pg_q1(st,
			   "WITH ins AS (INSERT INTO meta VALUES($1, $2::bigint)"
			   " ON CONFLICT (key) DO NOTHING RETURNING value)"
			   " SELECT value FROM ins UNION ALL"
			   " SELECT value FROM meta WHERE key = $1",
			   &p, &s)) != 0)
		return r;
	if (PQntuples(s) < 1)
		r = GBA_ERR_DB;
	else if (col_i64(s, 0, 0) != (int64_t)ind_bits)
		r = GBA_ERR_CONFIG;
	PQclear(s);
	return r;
}

int bsf_pg_sqn_reserve(struct bsf_store *st, int64_t sub_id, int64_t gen,
		       int64_t floor, int64_t block, int64_t seq_max,
		       int64_t *hi, int64_t *gen_now)
{
	const int64_t v[] = { sub_id, gen, floor, block, seq_max };
	PGresult *s;
	int r;

	/* arguments checked by the API (store_api.c); one statement,
	 * autocommit: the row lock serialises the nodes, H only moves up
	 * within a generation; committed (WAL flushed) before the caller
	 * uses any value of the window */
	r = bsf_pg_q1_ints(st,
			   "UPDATE sqn SET hwm = GREATEST(hwm, $3::bigint) +"
			   " $4::bigint WHERE sub_id = $1::bigint AND"
			   " gen = $2::bigint AND GREATEST(hwm, $3::bigint) <="
			   " $5::bigint - $4::bigint RETURNING hwm, gen",
			   v, 5, &s);
	if (r == GBA_OK) {
		*hi = col_i64(s, 0, 0);
		*gen_now = col_i64(s, 0, 1);
		PQclear(s);
		return GBA_OK;
	}
	if (r != GBA_ERR_NOT_FOUND)
		return r;
	/* why not: gone, another generation, or exhausted */
	r = bsf_pg_q1_ints(st, "SELECT hwm, gen FROM sqn WHERE sub_id = $1", v,
			   1, &s);
	if (r != GBA_OK)
		return r == GBA_ERR_NOT_FOUND ? r : GBA_ERR_DB;
	*gen_now = col_i64(s, 0, 1);
	PQclear(s);
	return *gen_now != gen ? GBA_ERR_STATE : GBA_ERR_SQN_EXHAUSTED;
}

int bsf_pg_sqn_lower(struct bsf_store *st, int64_t sub_id, int64_t seq_ms,
		     int64_t block, int64_t *gen_now)
{
	const int64_t v[] = { sub_id, seq_ms, block };
	PGresult *s;
	int r;

	/* arguments checked by the API (store_api.c) */
	if ((r = bsf_pg_q1_ints(st,
				"UPDATE sqn SET hwm = $2::bigint + $3::bigint,"
				" gen = gen + 1 WHERE sub_id = $1::bigint"
				" RETURNING gen",
				v, 3, &s)) != 0)
		return r;
	*gen_now = col_i64(s, 0, 0);
	PQclear(s);
	return GBA_OK;
}

/*
 * After pg_restore (gba-bsfctl skip-ahead): the copy's H of each row
 * may lie below windows handed out after the copy was taken, so H moves
 * to max(H, F) + @margin and G to G + 1, in one transaction that first
 * takes a lock which every reservation and lowering (UPDATE sqn) waits
 * for.  G + 1 ends every window a node may still hold (the key-row read
 * of its next GPI sees the new G); reservations after the commit start
 * above the new H.  Nodes must not serve between pg_restore and this:
 * what they issue from the copy's H may repeat SQNs issued after the
 * copy.  Hence the refusal while any other session is on the database
 * (a running gba-bsf keeps its pool connected).
 */
static int skip_ahead_conn(struct pg_store *ps, struct pg_conn *c,
			   int64_t margin, uint64_t *n_subs)
{
	struct pp p = {0};
	PGresult *s;
	unsigned ind_bits;
	int r;

	if ((r = bsf_pg_exec(ps, c,
			     "LOCK TABLE sqn IN SHARE ROW EXCLUSIVE MODE")) !=
		    0 ||
	    (r = bsf_pg_q(
		     ps, c,
		     "SELECT count(*) FROM pg_stat_activity WHERE datname ="
		     " current_database() AND pid <> pg_backend_pid() AND"
		     " backend_type = 'client backend'",
		     NULL, &s)) != 0)
		return r;
	r = col_i64(s, 0, 0) > 0 ? GBA_ERR_STATE : GBA_OK;
	PQclear(s);
	if (r != GBA_OK || (r = bsf_pg_ind_bits(ps, c, &ind_bits)) != 0)
		return r;
	pp_int(&p, margin);
	pp_int(&p, bsf_pg_seq_max(ind_bits));
	if ((r = bsf_pg_q(
		     ps, c,
		     "UPDATE sqn SET hwm = LEAST(GREATEST(hwm, seq_floor) +"
		     " $1::bigint, $2::bigint), gen = gen + 1",
		     &p, NULL)) != 0 ||
	    (r = bsf_pg_q(ps, c, "SELECT count(*) FROM subscriber", NULL,
			  &s)) != 0)
		return r;
	*n_subs = (uint64_t)col_i64(s, 0, 0);
	PQclear(s);
	return GBA_OK;
}

int bsf_pg_sqn_skip_ahead(struct bsf_store *st, int64_t margin,
			  uint64_t *n_subs)
{
	struct pg_conn *c;
	int r;

	*n_subs = 0;
	if (st == NULL || margin < 0)
		return GBA_ERR_BAD_PARAM;
	PG_TX(PG(st), c, r, skip_ahead_conn(PG(st), c, margin, n_subs));
	return r;
}
