/* see store_pg_i.h - the PostgreSQL backend: Push-NAFs (as store_naf.c) */
#include <string.h>
#include "gba/hex.h"
#include "store_pg_i.h"
#include "store_rules.h"

/* Push-NAFs */

#define NAF_COLS                                                               \
	"SELECT id, name, cert_id, allow_impi, gba_u_aware, rate FROM naf"

/* Row @i of the NAF_Id query (fqdn, hex ua) appended to the bsf_naf
 * @arg. */
static int naf_id_row(void *arg, const PGresult *q, int i)
{
	struct bsf_naf_id *n = bsf_rule_naf_id_next(arg);
	int r;

	if (n == NULL)
		return GBA_ERR_TOO_LARGE;
	if ((r = bsf_pg_col_copy(q, i, 0, n->fqdn, sizeof(n->fqdn))) != 0)
		return r;
	if (gba_hex_decode_exact(PQgetvalue(q, i, 1), n->ua, BSF_UA_ID_LEN) !=
	    0)
		return GBA_ERR_MALFORMED;
	return GBA_OK;
}

static int naf_fill(struct pg_store *ps, struct pg_conn *c, const PGresult *s,
		    int row, struct bsf_naf *naf)
{
	int r;

	naf->id = col_i64(s, row, 0);
	if ((r = bsf_pg_col_copy(s, row, 1, naf->name, sizeof(naf->name))) !=
		    0 ||
	    (r = bsf_pg_col_copy(s, row, 2, naf->cert_id,
				 sizeof(naf->cert_id))) != 0)
		return r;
	naf->allow_impi = col_i64(s, row, 3) != 0;
	naf->gba_u_aware = col_i64(s, row, 4) != 0;
	naf->rate = (uint32_t)col_i64(s, row, 5);
	return bsf_pg_rows_by_id(ps, c,
				 "SELECT fqdn, encode(ua, 'hex') FROM naf_id"
				 " WHERE naf = $1 ORDER BY fqdn COLLATE \"C\","
				 " ua",
				 naf->id, naf_id_row, naf);
}

static int naf_lookup(struct bsf_store *st, const char *sql, const char *key,
		      struct bsf_naf *naf)
{
	struct pg_store *ps = PG(st);
	struct pg_conn *c;
	struct pp p = {0};
	PGresult *s;
	int r;

	if ((r = bsf_pg_conn_get(ps, &c)) != 0)
		return r;
	/* both queries on one snapshot */
	if ((r = bsf_pg_exec(
		     ps, c,
		     "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) != 0)
		goto out;
	pp_text(&p, key);
	if ((r = bsf_pg_q_row(ps, c, sql, &p, &s)) == 0) {
		r = naf_fill(ps, c, s, 0, naf);
		PQclear(s);
	}
	(void)bsf_pg_exec(ps, c, "COMMIT");
out:
	bsf_pg_conn_put(ps, c);
	return r; /* on failure the API zeroes @naf (store_api.c) */
}

int bsf_pg_naf_by_cert(struct bsf_store *st, const char *cert_id,
		       size_t cert_id_len, struct bsf_naf *naf)
{
	char key[BSF_CERT_ID_MAX + 1];

	/* arguments checked by the API (store_api.c) */
	memcpy(key, cert_id, cert_id_len);
	key[cert_id_len] = '\0';
	return naf_lookup(st, NAF_COLS " WHERE lower(cert_id) = lower($1)", key,
			  naf);
}

int bsf_pg_naf_by_name(struct bsf_store *st, const char *name,
		       struct bsf_naf *naf)
{
	/* arguments checked by the API (store_api.c) */
	return naf_lookup(st, NAF_COLS " WHERE name = $1", name, naf);
}

static int naf_ids_insert(struct pg_store *ps, struct pg_conn *c, int64_t nid,
			  const struct bsf_naf *naf);

int bsf_pg_naf_add_conn(struct pg_store *ps, struct pg_conn *c,
			const struct bsf_naf *naf, int64_t *id)
{
	struct pp p = {0};
	PGresult *res;
	int64_t nid;
	int r;

	pp_text(&p, naf->name);
	pp_text(&p, naf->cert_id);
	pp_int(&p, naf->allow_impi != 0);
	pp_int(&p, naf->gba_u_aware != 0);
	pp_int(&p, naf->rate);
	if ((r = bsf_pg_q(ps, c,
			  "INSERT INTO naf(name, cert_id, allow_impi,"
			  " gba_u_aware, rate) VALUES($1, $2, $3, $4, $5)"
			  " RETURNING id",
			  &p, &res)) != 0)
		return r;
	nid = col_i64(res, 0, 0);
	PQclear(res);
	if ((r = naf_ids_insert(ps, c, nid, naf)) != 0)
		return r;
	if (id)
		*id = nid;
	return GBA_OK;
}

/* the NAF_Ids of @naf for Push-NAF @nid (FQDNs in lower case) */
static int naf_ids_insert(struct pg_store *ps, struct pg_conn *c, int64_t nid,
			  const struct bsf_naf *naf)
{
	char fqdn[BSF_FQDN_MAX + 1];
	struct pp p;
	size_t i, j;
	int r;

	for (i = 0; i < naf->n_naf_ids; i++) {
		const struct bsf_naf_id *n = &naf->naf_ids[i];

		for (j = 0; n->fqdn[j]; j++)
			fqdn[j] = bsf_rule_lower(n->fqdn[j]);
		fqdn[j] = '\0';
		memset(&p, 0, sizeof(p));
		pp_int(&p, nid);
		pp_text(&p, fqdn);
		pp_bin(&p, n->ua, BSF_UA_ID_LEN);
		if ((r = bsf_pg_q(ps, c,
				  "INSERT INTO naf_id VALUES($1, $2, $3)"
				  " ON CONFLICT DO NOTHING",
				  &p, NULL)) != 0)
			return r;
	}
	return GBA_OK;
}

int bsf_pg_naf_add(struct bsf_store *st, const struct bsf_naf *naf, int64_t *id)
{
	struct pg_conn *c;
	int r;

	/* arguments and rules checked by bsf_store_naf_add() */
	PG_TX(PG(st), c, r, bsf_pg_naf_add_conn(PG(st), c, naf, id));
	return r;
}

/* bsf_prov_naf_modify(): the row of the same name changed in place, its
 * NAF_Ids replaced; id and associations stay */
static int naf_modify_conn(struct pg_store *ps, struct pg_conn *c,
			   const struct bsf_naf *naf)
{
	struct pp p = {0};
	int64_t id;
	int r;

	pp_text(&p, naf->name);
	if ((r = bsf_pg_q_i64(ps, c,
			      "SELECT id FROM naf WHERE name = $1 FOR UPDATE",
			      &p, &id)) != 0)
		return r;
	memset(&p, 0, sizeof(p));
	pp_text(&p, naf->cert_id);
	pp_int(&p, naf->allow_impi != 0);
	pp_int(&p, naf->gba_u_aware != 0);
	pp_int(&p, naf->rate);
	pp_int(&p, id);
	if ((r = bsf_pg_q(ps, c,
			  "UPDATE naf SET cert_id = $1, allow_impi = $2,"
			  " gba_u_aware = $3, rate = $4 WHERE id = $5",
			  &p, NULL)) != 0)
		return r;
	if ((r = bsf_pg_q_id(ps, c, "DELETE FROM naf_id WHERE naf = $1", id)) !=
	    0)
		return r;
	return naf_ids_insert(ps, c, id, naf);
}

int bsf_pg_naf_modify(struct bsf_store *st, const struct bsf_naf *naf)
{
	struct pg_conn *c;
	int r;

	if (st == NULL || !bsf_rule_naf_ok(naf, 1))
		return GBA_ERR_BAD_PARAM;
	PG_TX(PG(st), c, r, naf_modify_conn(PG(st), c, naf));
	return r;
}

int bsf_pg_naf_remove(struct bsf_store *st, const char *name)
{
	return bsf_pg_del_by_text(st, "DELETE FROM naf WHERE name = $1", name);
}

int bsf_pg_naf_list(struct bsf_store *st,
		    int (*cb)(void *arg, const struct bsf_naf *naf), void *arg)
{
	struct bsf_naf *naf;
	struct pg_conn *c;
	PGresult *s;
	int i, n, r;

	if (st == NULL || cb == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((naf = malloc(sizeof(*naf))) == NULL)
		return GBA_ERR_NOMEM;
	if ((r = bsf_pg_conn_read(PG(st), &c)) == 0) {
		if ((r = bsf_pg_q(PG(st), c,
				  NAF_COLS " ORDER BY name COLLATE \"C\"", NULL,
				  &s)) == 0) {
			n = PQntuples(s);
			for (i = 0; i < n && r == GBA_OK; i++) {
				memset(naf, 0, sizeof(*naf));
				if ((r = naf_fill(PG(st), c, s, i, naf)) == 0)
					r = cb(arg, naf);
			}
			PQclear(s);
		}
		bsf_pg_conn_put(PG(st), c); /* ends the read transaction */
	}
	free(naf);
	return r;
}
