/* see store_pg_i.h - the PostgreSQL backend: identity resolution (as
 * store_ident.c) */
#include <string.h>
#include "store_pg_i.h"
#include "store_rules.h"

/* Identities */

int bsf_pg_resolve_conn(struct pg_store *ps, struct pg_conn *c,
			const char *ue_id, size_t len, enum bsf_id_type type,
			int64_t *sub_id, char *impi, size_t impi_cap)
{
	struct bsf_rule_id_keys k; /* what to look up (store_rules.h) */
	struct pp p = {0};
	PGresult *s = NULL;
	int r;

	if ((r = bsf_rule_id_keys(ue_id, len, type, &k)) != 0)
		return r;
	if (k.impi[0]) {
		pp_text(&p, k.impi);
		if ((r = bsf_pg_q(
			     ps, c,
			     "SELECT id, impi FROM subscriber WHERE impi = $1",
			     &p, &s)) != 0)
			return r;
		if (PQntuples(s) == 1)
			goto found;
		PQclear(s);
	}
	if (!k.impu[0])
		return GBA_ERR_NOT_FOUND;
	memset(&p, 0, sizeof(p));
	pp_text(&p, k.impu);
	if ((r = bsf_pg_q(ps, c,
			  "SELECT s.id, s.impi FROM impu i JOIN subscriber s"
			  " ON s.id = i.sub_id WHERE i.impu = $1",
			  &p, &s)) != 0)
		return r;
	if (PQntuples(s) != 1) {
		PQclear(s);
		return GBA_ERR_NOT_FOUND;
	}
found:
	r = GBA_OK;
	if (impi && bsf_pg_col_copy(s, 0, 1, impi, impi_cap) != 0)
		r = GBA_ERR_NO_SPACE;
	if (r == GBA_OK)
		*sub_id = col_i64(s, 0, 0);
	PQclear(s);
	return r;
}

/* arguments checked by bsf_store_resolve() */
int bsf_pg_resolve(struct bsf_store *st, const char *ue_id, size_t len,
		   enum bsf_id_type type, int64_t *sub_id, char *impi,
		   size_t impi_cap)
{
	struct pg_conn *c;
	int r;

	PG_WITH_CONN(PG(st), c, r,
		     bsf_pg_resolve_conn(PG(st), c, ue_id, len, type, sub_id,
					 impi, impi_cap));
	return r;
}
