/* see store_pg_i.h - the PostgreSQL backend: identity resolution (as
 * store_ident.c) */
#include <string.h>
#include "gba/utf8_nfkc.h"
#include "store_pg_i.h"

/* Identities */

int bsf_pg_resolve_conn(struct pg_store *ps, struct pg_conn *c,
			const char *ue_id, size_t len, enum bsf_id_type type,
			int64_t *sub_id, char *impi, size_t impi_cap)
{
	char norm[BSF_IMPU_MAX + 1], nimpi[BSF_IMPI_MAX + 1];
	struct pp p = {0};
	PGresult *s = NULL;
	size_t nlen;
	int r;

	if (type == BSF_ID_PRIVATE || type == BSF_ID_ANY) {
		if (len > BSF_IMPI_MAX)
			return GBA_ERR_TOO_LARGE;
		/* IMPIs are stored in NFKC (TS 33.220 B.2.1): look up so */
		r = gba_utf8_nfkc((const uint8_t *)ue_id, len, nimpi,
				  sizeof(nimpi), &nlen);
		if (r != GBA_OK && type == BSF_ID_PRIVATE)
			return r == GBA_ERR_BAD_UTF8 ? GBA_ERR_MALFORMED : r;
		if (r != GBA_OK || memchr(nimpi, '\0', nlen))
			goto impu;
		pp_text(&p, nimpi);
		if ((r = bsf_pg_q(
			     ps, c,
			     "SELECT id, impi FROM subscriber WHERE impi = $1",
			     &p, &s)) != 0)
			return r;
		if (PQntuples(s) == 1)
			goto found;
		PQclear(s);
		if (type == BSF_ID_PRIVATE)
			return GBA_ERR_NOT_FOUND;
	} else if (type != BSF_ID_PUBLIC) {
		return GBA_ERR_BAD_PARAM;
	}
impu:
	r = bsf_impu_normalize(ue_id, len, norm, sizeof(norm));
	if (r != GBA_OK)
		return type == BSF_ID_ANY ? GBA_ERR_NOT_FOUND : r;
	memset(&p, 0, sizeof(p));
	pp_text(&p, norm);
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

int bsf_pg_resolve(struct bsf_store *st, const char *ue_id, size_t len,
		   enum bsf_id_type type, int64_t *sub_id, char *impi,
		   size_t impi_cap)
{
	struct pg_conn *c;
	int r;

	if (sub_id)
		*sub_id = 0;
	if (impi && impi_cap)
		impi[0] = '\0';
	if (st == NULL || ue_id == NULL || sub_id == NULL ||
	    (impi && impi_cap == 0))
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_pg_conn_get(PG(st), &c)) != 0)
		return r;
	r = bsf_pg_resolve_conn(PG(st), c, ue_id, len, type, sub_id, impi,
				impi_cap);
	bsf_pg_conn_put(PG(st), c);
	if (r != GBA_OK && impi && impi_cap)
		impi[0] = '\0';
	return r;
}
