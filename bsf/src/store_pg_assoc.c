/* see store_pg_i.h - the PostgreSQL backend: associations and the GPI
 * path's lookup (as store_assoc.c) */
#include <string.h>
#include "gba/crypto.h"
#include "store_pg_i.h"

/* Associations */

static int assoc_check_conn(struct pg_store *ps, struct pg_conn *c,
			    int64_t naf_id, int64_t sub_id)
{
	struct pp p = {0};
	PGresult *s;
	int r;

	pp_int(&p, naf_id);
	pp_int(&p, sub_id);
	if ((r = bsf_pg_q(ps, c,
			  "SELECT 1 FROM assoc WHERE naf = $1 AND sub_id = $2",
			  &p, &s)) != 0)
		return r;
	r = PQntuples(s) == 1 ? GBA_OK : GBA_ERR_NOT_AUTHORIZED;
	PQclear(s);
	return r;
}

int bsf_pg_assoc_check(struct bsf_store *st, int64_t naf_id, int64_t sub_id)
{
	struct pg_conn *c;
	int r;

	/* arguments checked by the API (store_api.c) */
	PG_WITH_CONN(PG(st), c, r, assoc_check_conn(PG(st), c, naf_id, sub_id));
	return r;
}

int bsf_pg_ue_lookup(struct bsf_store *st, int64_t naf_id, const char *ue_id,
		     size_t len, enum bsf_id_type type, unsigned flags,
		     struct bsf_ue *ue, struct bsf_key_row *row)
{
	struct pg_store *ps = PG(st);
	struct pg_conn *c;
	int r;

	/* arguments checked by the API (store_api.c) */
	if ((r = bsf_pg_conn_get(ps, &c)) != 0)
		return r;
	r = 1;
	if (type == BSF_ID_PRIVATE && flags == BSF_GBA_NO_USS && row)
		r = bsf_pg_ue_lookup_one(ps, c, naf_id, ue_id, len, ue, row);
	/* else one read transaction: one snapshot */
	if (r == 1 &&
	    (r = bsf_pg_exec(
		     ps, c,
		     "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) == 0) {
		r = bsf_pg_resolve_conn(ps, c, ue_id, len, type, &ue->sub_id,
					ue->impi, sizeof(ue->impi));
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
			   (r = bsf_pg_gba_params_conn(ps, c, ue->sub_id, flags,
						       &ue->params)) == 0 &&
			   row) {
			r = bsf_pg_key_row_conn(ps, c, ue->sub_id, row);
		}
		if (bsf_pg_exec(ps, c, "COMMIT") != GBA_OK && r == GBA_OK)
			r = GBA_ERR_DB;
	}
	bsf_pg_conn_put(ps, c);
	return r;
}

int bsf_pg_assoc_add_conn(struct pg_store *ps, struct pg_conn *c,
			  int64_t naf_id, int64_t sub_id)
{
	struct pp p = {0};

	pp_int(&p, naf_id);
	pp_int(&p, sub_id);
	return bsf_pg_q(ps, c, "INSERT INTO assoc VALUES($1, $2)", &p, NULL);
}

int bsf_pg_assoc_add(struct bsf_store *st, int64_t naf_id, int64_t sub_id)
{
	struct pg_conn *c;
	int r;

	if (st == NULL)
		return GBA_ERR_BAD_PARAM;
	PG_TX(PG(st), c, r, bsf_pg_assoc_add_conn(PG(st), c, naf_id, sub_id));
	return r;
}

int bsf_pg_assoc_remove(struct bsf_store *st, int64_t naf_id, int64_t sub_id)
{
	struct pp p = {0};

	if (st == NULL)
		return GBA_ERR_BAD_PARAM;
	pp_int(&p, naf_id);
	pp_int(&p, sub_id);
	return bsf_pg_q1_changed(
		st, "DELETE FROM assoc WHERE naf = $1 AND sub_id = $2", &p);
}

#define ASSOC_LIST                                                             \
	"SELECT n.name, s.impi FROM assoc a JOIN naf n ON n.id = a.naf"        \
	" JOIN subscriber s ON s.id = a.sub_id"
#define ASSOC_ORDER " ORDER BY n.name COLLATE \"C\", s.impi COLLATE \"C\""

/* The rows of @sql (parameters @p) to @l, in order, until a callback
 * fails. */
static int assoc_rows(struct bsf_store *st, const char *sql,
		      const struct pp *p, const struct bsf_assoc_cb *l)
{
	PGresult *s;
	int i, n, r;

	if ((r = bsf_pg_q1(st, sql, p, &s)) != 0)
		return r;
	n = PQntuples(s);
	for (i = 0; i < n && r == GBA_OK; i++)
		r = bsf_assoc_cb_row(l, PQgetvalue(s, i, 0),
				     l->cb2 ? PQgetvalue(s, i, 1) : NULL);
	PQclear(s);
	return r;
}

int bsf_pg_assoc_list(struct bsf_store *st, int64_t naf_id,
		      const struct bsf_assoc_cb *l)
{
	struct pp p = {0};

	pp_int(&p, naf_id);
	return assoc_rows(st,
			  naf_id ? ASSOC_LIST " WHERE a.naf = $1" ASSOC_ORDER
				 : ASSOC_LIST ASSOC_ORDER,
			  naf_id ? &p : NULL, l);
}

int bsf_pg_assoc_list_sub(struct bsf_store *st, int64_t sub_id,
			  const struct bsf_assoc_cb *l)
{
	struct pp p = {0};

	pp_int(&p, sub_id);
	return assoc_rows(st,
			  "SELECT n.name FROM assoc a JOIN naf n"
			  " ON n.id = a.naf WHERE a.sub_id = $1"
			  " ORDER BY n.name COLLATE \"C\"",
			  &p, l);
}
