/* see store_pg_i.h - the PostgreSQL backend: subscribers, GBA parameters
 * and the AuC's key row (as store_sub.c) */
#include <string.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "gba/sqn.h"
#include "gba/utf8_nfkc.h"
#include "guss.h"
#include "keyrow.h"
#include "store_pg_i.h"
#include "store_rules.h"

/* Subscribers */

static int uss_insert(struct pg_store *ps, struct pg_conn *c, int64_t sub_id,
		      const struct bsf_guss *g)
{
	uint8_t fl[4 * BSF_USS_FLAGS_MAX];
	struct pp p;
	size_t i;
	int r;

	for (i = 0; i < g->n_uss; i++) {
		const struct bsf_uss *u = &g->uss[i];

		bsf_rule_uss_flags_pack(u, fl);
		memset(&p, 0, sizeof(p));
		pp_int(&p, sub_id);
		pp_int(&p, (int64_t)i);
		pp_text(&p, u->gsid);
		pp_text(&p, u->naf_group);
		pp_int(&p, u->uicc_sec);
		pp_bin(&p, fl, 4 * u->n_flags);
		pp_text(&p, u->xml ? u->xml : "");
		if ((r = bsf_pg_q(
			     ps, c,
			     "INSERT INTO uss VALUES($1, $2, $3, $4, $5, $6,"
			     " $7)",
			     &p, NULL)) != 0)
			return r;
	}
	return GBA_OK;
}

/* everything of bsf_store_sub_add() inside one savepoint of the caller's
 * transaction */
int bsf_pg_sub_add_conn(struct pg_store *ps, struct pg_conn *c,
			const struct bsf_sub *sub, const char *guss,
			size_t guss_len, int64_t *id)
{
	struct bsf_rule_sub ns; /* normal forms, key columns, GUSS */
	char *guss_z = NULL;
	struct pp p;
	PGresult *res;
	unsigned ind_bits;
	size_t i;
	int64_t sid;
	int r;

	/* the rules and normal forms of every backend (store_rules.h) */
	if ((r = bsf_rule_sub_prepare(sub, guss, guss_len, &ns)) != 0)
		return r;
	if (guss) {
		/* text parameters are NUL-terminated */
		if ((guss_z = bsf_rule_text_dup(guss, guss_len)) == NULL) {
			r = GBA_ERR_NOMEM;
			goto out;
		}
	}
	if ((r = bsf_pg_ind_bits(ps, c, &ind_bits)) != 0)
		goto out;
	if ((r = bsf_pg_exec(ps, c, "SAVEPOINT sub_add")) != 0)
		goto out;
	memset(&p, 0, sizeof(p));
	pp_text(&p, ns.impi);
	pp_text(&p, sub->imsi[0] ? sub->imsi : NULL);
	pp_int(&p, (int64_t)sub->key.alg);
	pp_text(&p, ns.k_hex);
	pp_text(&p, ns.opc_hex);
	pp_text(&p, ns.amf_hex);
	pp_int(&p, ns.tuak_iter);
	pp_int(&p, ns.tuak_res);
	pp_int(&p, ns.tuak_ck);
	pp_int(&p, ns.tuak_ik);
	pp_int(&p, ns.gba_u);
	pp_text(&p, guss_z);
	pp_text(&p, ns.labels);
	r = bsf_pg_q(
		ps, c,
		"INSERT INTO subscriber(impi, imsi, alg, k, opc, amf,"
		" tuak_iter, tuak_res, tuak_ck, tuak_ik, gba_u, guss, labels)"
		" VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
		" $13) RETURNING id",
		&p, &res);
	gba_cleanse(&p, sizeof(p));
	if (r != 0)
		goto rollback;
	sid = col_i64(res, 0, 0);
	PQclear(res);
	for (i = 0; i < sub->n_impus; i++) {
		memset(&p, 0, sizeof(p));
		pp_text(&p, ns.impus[i]);
		pp_int(&p, sid);
		if ((r = bsf_pg_q(ps, c, "INSERT INTO impu VALUES($1, $2)", &p,
				  NULL)) != 0)
			goto rollback;
	}
	/* SQN state: SEQ of the highest SQN already used; the current run
	 * (hss.c) gives this row its first window (seq_floor, +block] */
	memset(&p, 0, sizeof(p));
	pp_int(&p, sid);
	pp_int(&p, (int64_t)(sub->sqn >> ind_bits));
	if ((r = bsf_pg_q(
		     ps, c,
		     "INSERT INTO sqn VALUES($1, $2, (SELECT value FROM meta"
		     " WHERE key = 'hss_run'), $2)",
		     &p, NULL)) != 0 ||
	    (r = uss_insert(ps, c, sid, &ns.guss)) != 0)
		goto rollback;
	r = bsf_pg_exec(ps, c, "RELEASE sub_add");
	if (r == GBA_OK && id)
		*id = sid;
	goto out;
rollback:
	(void)bsf_pg_exec(ps, c, "ROLLBACK TO sub_add; RELEASE sub_add");
out:
	bsf_rule_sub_clear(&ns);
	free(guss_z);
	return r;
}

/* a subscriber added or replaced in a transaction of its own */
int bsf_pg_sub_write(struct bsf_store *st, int replace,
		     const struct bsf_sub *s, const char *guss,
		     size_t guss_len, int64_t *id)
{
	struct pg_store *ps = PG(st);
	struct pg_conn *c;
	int r;

	/* arguments checked by the API (store_api.c) */
	PG_TX(ps, c, r,
	      replace ? bsf_pg_sub_replace_conn(ps, c, s, guss, guss_len, id)
		      : bsf_pg_sub_add_conn(ps, c, s, guss, guss_len, id));
	return r;
}

/*
 * bsf_store_sub_replace() in the caller's transaction: as the SQLite
 * backend (store_sub.c), the new row takes the old one's associations
 * and an SQN state above all the old row may have issued: seq_floor =
 * the old bound F + (max(R - RF, 0) + 1) * B (B = 0 while no run-counter
 * AuC ever ran: F is exact), run_floor = R; and of the shared windows
 * (docs/hss-store.md section 4) H = the greatest of the old H, that
 * bound and the new row's own, G = the old G.  Every window a node holds
 * for the old id lies at or below the old H and is keyed by that id:
 * the new id's first window, reserved above H, cannot overlap it.
 */
int bsf_pg_sub_replace_conn(struct pg_store *ps, struct pg_conn *c,
			    const struct bsf_sub *sub, const char *guss,
			    size_t guss_len, int64_t *id)
{
	char impi[BSF_IMPI_MAX + 1];
	struct pp p = {0};
	int64_t old, nid = 0, run = 0, block = 0, v[5];
	unsigned ind_bits;
	int found, r;

	if ((r = gba_utf8_nfkc_str(sub->impi, impi, sizeof(impi))) != 0)
		return r;
	pp_text(&p, impi);
	/* the old row locked until the end of the transaction */
	if ((r = bsf_pg_q_i64(
		     ps, c,
		     "SELECT id FROM subscriber WHERE impi = $1 FOR UPDATE", &p,
		     &old)) != 0)
		return r;
	if ((r = bsf_pg_ind_bits(ps, c, &ind_bits)) != 0 ||
	    (r = bsf_pg_meta_get(ps, c, BSF_META_RUN, &run, &found)) != 0 ||
	    (r = bsf_pg_meta_get(ps, c, BSF_META_SEQ_BLOCK, &block, &found)) !=
		    0)
		return r;
	if (!found || block <= 0)
		block = 0; /* no run-counter AuC ever ran: F is exact */
	if ((r = bsf_pg_exec(ps, c, "SAVEPOINT sub_replace")) != 0)
		return r;
	/* free the old row's unique identities, keep the row for now */
	if ((r = bsf_pg_q_id(ps, c,
			     "UPDATE subscriber SET impi = '~replaced~' || id,"
			     " imsi = NULL WHERE id = $1",
			     old)) != 0 ||
	    (r = bsf_pg_q_id(ps, c, "DELETE FROM impu WHERE sub_id = $1",
			     old)) != 0 ||
	    (r = bsf_pg_sub_add_conn(ps, c, sub, guss, guss_len, &nid)) != 0)
		goto rollback;
	v[0] = old;
	v[1] = nid;
	v[2] = run;
	v[3] = block;
	v[4] = bsf_pg_seq_max(ind_bits);
	if ((r = bsf_pg_q_ints(ps, c,
			       "INSERT INTO assoc(naf, sub_id) SELECT naf, $2"
			       " FROM assoc WHERE sub_id = $1",
			       v, 2)) != 0 ||
	    (r = bsf_pg_q_ints(
		     ps, c,
		     "UPDATE sqn n SET seq_floor = GREATEST(n.seq_floor, b.f),"
		     " run_floor = $3::bigint,"
		     " hwm = GREATEST(n.hwm, o.hwm, b.f), gen = o.gen"
		     " FROM sqn o, LATERAL (SELECT LEAST(o.seq_floor +"
		     " (GREATEST($3::bigint - o.run_floor, 0) + 1) *"
		     " $4::bigint, $5::bigint) AS f) b"
		     " WHERE o.sub_id = $1::bigint AND n.sub_id = $2::bigint",
		     v, 5)) != 0 ||
	    (r = bsf_pg_q_id(ps, c, "DELETE FROM subscriber WHERE id = $1",
			     old)) != 0)
		goto rollback;
	r = bsf_pg_exec(ps, c, "RELEASE sub_replace");
	if (r == GBA_OK && id)
		*id = nid;
	return r;
rollback:
	(void)bsf_pg_exec(ps, c,
			  "ROLLBACK TO sub_replace; RELEASE sub_replace");
	return r;
}

#define SUB_COLS                                                               \
	"SELECT s.id, s.impi, s.imsi, s.alg, s.k, s.opc, s.amf,"               \
	" s.tuak_iter, s.tuak_res, s.tuak_ck, s.tuak_ik, s.gba_u,"             \
	" s.labels, (s.guss IS NOT NULL)::int, q.seq_floor, q.run_floor,"      \
	" q.hwm FROM subscriber s JOIN sqn q ON q.sub_id = s.id"

static int sqn_meta_load(struct pg_store *ps, struct pg_conn *c,
			 struct bsf_rule_sqn_meta *m)
{
	int found, r;

	m->block = 0;
	if ((r = bsf_pg_ind_bits(ps, c, &m->ind_bits)) != 0 ||
	    (r = bsf_pg_meta_get(ps, c, BSF_META_RUN, &m->run, &found)) != 0 ||
	    (r = bsf_pg_meta_get(ps, c, BSF_META_SEQ_BLOCK, &m->block,
				 &found)) != 0)
		return r;
	if (!found || m->block < 0)
		m->block = 0; /* no AuC ever ran (bsf_rule_sqn_bound()) */
	return GBA_OK;
}

/* the key columns of row @row from column @col (= alg) on */
static int key_fill(const PGresult *s, int row, int col,
		    struct gba_auth_key *key, uint8_t amf[2])
{
	struct bsf_key_text kt = {
		.alg = (int)col_i64(s, row, col),
		.k = PQgetisnull(s, row, col + 1) ? NULL
						  : PQgetvalue(s, row, col + 1),
		.k_len = (size_t)PQgetlength(s, row, col + 1),
		.opc = PQgetisnull(s, row, col + 2)
			       ? NULL
			       : PQgetvalue(s, row, col + 2),
		.opc_len = (size_t)PQgetlength(s, row, col + 2),
		.amf = PQgetisnull(s, row, col + 3)
			       ? NULL
			       : PQgetvalue(s, row, col + 3),
		.amf_len = (size_t)PQgetlength(s, row, col + 3),
		.tuak_iter = (unsigned)col_i64(s, row, col + 4),
		.tuak_res = (size_t)col_i64(s, row, col + 5),
		.tuak_ck = (size_t)col_i64(s, row, col + 6),
		.tuak_ik = (size_t)col_i64(s, row, col + 7),
	};

	return bsf_key_row_decode(&kt, key, amf);
}

/* Row @i of the IMPU query appended to the bsf_sub @arg. */
static int impu_row(void *arg, const PGresult *q, int i)
{
	struct bsf_sub *sub = arg;
	int r;

	if (sub->n_impus == BSF_IMPUS_MAX)
		return GBA_ERR_TOO_LARGE;
	if ((r = bsf_pg_col_copy(q, i, 0, sub->impus[sub->n_impus],
				 BSF_IMPU_MAX + 1)) == 0)
		sub->n_impus++;
	return r;
}

/* fill @sub from row @row of a SUB_COLS result */
static int sub_fill(struct pg_store *ps, struct pg_conn *c, const PGresult *s,
		    int row, unsigned flags, const struct bsf_rule_sqn_meta *m,
		    struct bsf_sub *sub)
{
	int r;

	sub->id = col_i64(s, row, 0);
	if ((r = bsf_pg_col_copy(s, row, 1, sub->impi, sizeof(sub->impi))) !=
		    0 ||
	    (r = bsf_pg_col_copy(s, row, 2, sub->imsi, sizeof(sub->imsi))) != 0)
		return r;
	/* one decoder for every reader (keyrow.h) */
	if ((r = key_fill(s, row, 3, &sub->key, sub->amf)) != 0)
		return r;
	if (!(flags & BSF_SUB_SECRETS)) {
		gba_cleanse(sub->key.k, sizeof(sub->key.k));
		gba_cleanse(sub->key.opc, sizeof(sub->key.opc));
	}
	sub->gba_u = col_i64(s, row, 11) != 0;
	if ((r = bsf_rule_labels_split(PQgetvalue(s, row, 12), sub->labels,
				       &sub->n_labels)) != 0)
		return r;
	sub->has_guss = col_i64(s, row, 13) != 0;
	/* the highest SQN any run so far may have issued (hss.c windows) */
	if (col_i64(s, row, 16) > col_i64(s, row, 14))
		/* shared windows handed out: H bounds every SEQ issued */
		sub->sqn =
			bsf_rule_sqn_of_seq(col_i64(s, row, 16), m->ind_bits);
	else
		sub->sqn = bsf_rule_sqn_bound(col_i64(s, row, 14),
					      col_i64(s, row, 15), m);
	return bsf_pg_rows_by_id(ps, c,
				 "SELECT impu FROM impu WHERE sub_id = $1"
				 " ORDER BY impu COLLATE \"C\"",
				 sub->id, impu_row, sub);
}

static int sub_get_conn(struct pg_store *ps, struct pg_conn *c, int64_t sub_id,
			unsigned flags, struct bsf_sub *sub)
{
	struct bsf_rule_sqn_meta m;
	struct pp p = {0};
	PGresult *s;
	int r;

	if ((r = sqn_meta_load(ps, c, &m)) != 0)
		return r;
	pp_int(&p, sub_id);
	if ((r = bsf_pg_q_row(ps, c, SUB_COLS " WHERE s.id = $1", &p, &s)) !=
	    0)
		return r;
	r = sub_fill(ps, c, s, 0, flags, &m, sub);
	PQclear(s);
	return r;
}

int bsf_pg_sub_get_id(struct bsf_store *st, int64_t sub_id, unsigned flags,
		      struct bsf_sub *sub)
{
	struct pg_conn *c;
	int r;

	if (sub)
		bsf_sub_clear(sub);
	if (st == NULL || sub == NULL)
		return GBA_ERR_BAD_PARAM;
	PG_READ(PG(st), c, r, sub_get_conn(PG(st), c, sub_id, flags, sub));
	if (r != GBA_OK)
		bsf_sub_clear(sub);
	return r;
}

int bsf_pg_sub_guss(struct bsf_store *st, int64_t sub_id, char **xml)
{
	struct pp p = {0};
	PGresult *s;
	int r;

	if (xml)
		*xml = NULL;
	if (st == NULL || xml == NULL)
		return GBA_ERR_BAD_PARAM;
	pp_int(&p, sub_id);
	if ((r = bsf_pg_q1(st, "SELECT guss FROM subscriber WHERE id = $1", &p,
			   &s)) != 0)
		return r;
	if (PQntuples(s) != 1)
		r = GBA_ERR_NOT_FOUND;
	else if (!PQgetisnull(s, 0, 0) &&
		 (*xml = bsf_rule_text_dup(PQgetvalue(s, 0, 0),
					   (size_t)PQgetlength(s, 0, 0))) ==
			 NULL)
		r = GBA_ERR_NOMEM;
	PQclear(s);
	return r;
}

int bsf_pg_sub_remove(struct bsf_store *st, const char *impi)
{
	return bsf_pg_del_by_text(st, "DELETE FROM subscriber WHERE impi = $1",
				  impi);
}

int bsf_pg_sub_list(struct bsf_store *st, unsigned flags,
		    int (*cb)(void *arg, const struct bsf_sub *s), void *arg)
{
	struct bsf_sub *sub;
	struct pg_conn *c;
	struct bsf_rule_sqn_meta m;
	PGresult *s;
	int i, n, r;

	if (st == NULL || cb == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((sub = calloc(1, sizeof(*sub))) == NULL)
		return GBA_ERR_NOMEM;
	/* one snapshot for the whole export */
	if ((r = bsf_pg_conn_read(PG(st), &c)) != 0) {
		free(sub);
		return r;
	}
	if ((r = sqn_meta_load(PG(st), c, &m)) != 0)
		goto out;
	if ((r = bsf_pg_q(PG(st), c, SUB_COLS " ORDER BY s.id", NULL, &s)) != 0)
		goto out;
	n = PQntuples(s);
	for (i = 0; i < n && r == GBA_OK; i++) {
		bsf_sub_clear(sub);
		if ((r = sub_fill(PG(st), c, s, i, flags, &m, sub)) == 0)
			r = cb(arg, sub);
	}
	PQclear(s);
out:
	bsf_pg_conn_put(PG(st), c);
	bsf_sub_clear(sub);
	free(sub);
	return r;
}

int bsf_pg_sub_count(struct bsf_store *st, uint64_t *n)
{
	PGresult *s;
	int r;

	if (st == NULL || n == NULL)
		return GBA_ERR_BAD_PARAM;
	*n = 0;
	if ((r = bsf_pg_q1(st, "SELECT count(*) FROM subscriber", NULL, &s)) ==
	    0) {
		*n = (uint64_t)col_i64(s, 0, 0);
		PQclear(s);
	}
	return r;
}

/* ------------------------------------------------------------------ */
/* GBA parameters */

/* where uss_row() appends a USS row */
struct uss_rows {
	struct bsf_gba_params *p;
	unsigned flags;
};

/* Row @i of the USS query (gsid, naf_group, uicc_sec, hex flags, xml). */
static int uss_row(void *arg, const PGresult *s, int i)
{
	const struct uss_rows *u = arg;
	uint8_t fl[4 * BSF_USS_FLAGS_MAX];
	size_t hn = (size_t)PQgetlength(s, i, 3), nf = 0;
	struct bsf_rule_uss_row row = {
		.gsid = PQgetvalue(s, i, 0),
		.gsid_len = (size_t)PQgetlength(s, i, 0),
		.naf_group = PQgetvalue(s, i, 1),
		.naf_group_len = (size_t)PQgetlength(s, i, 1),
		.uicc_sec = (int)col_i64(s, i, 2),
		.flags = fl,
		.xml = PQgetvalue(s, i, 4),
		.xml_len = (size_t)PQgetlength(s, i, 4),
		.xml_want = (u->flags & (BSF_GBA_XML | BSF_GBA_USS_XML)) != 0,
	};

	/* the flags travel as hex (encode(flags, 'hex')) */
	if (hn > 2 * sizeof(fl) ||
	    gba_hex_decode(PQgetvalue(s, i, 3), hn, fl, sizeof(fl), &nf) != 0)
		return GBA_ERR_MALFORMED;
	row.flags_len = nf;
	return bsf_rule_uss_add(u->p, &row);
}

/* on failure the caller clears @p (bsf_store_gba_params(), ue_lookup()) */
int bsf_pg_gba_params_conn(struct pg_store *ps, struct pg_conn *c,
			   int64_t sub_id, unsigned flags,
			   struct bsf_gba_params *p)
{
	struct uss_rows u = { p, flags };
	struct pp pp = {0};
	PGresult *s;
	int r;

	pp_int(&pp, sub_id);
	if ((r = bsf_pg_q_row(ps, c,
			      "SELECT gba_u, labels, guss FROM subscriber"
			      " WHERE id = $1",
			      &pp, &s)) != 0)
		return r;
	r = bsf_rule_gba_sub_row(
		p, flags, col_i64(s, 0, 0) != 0, PQgetvalue(s, 0, 1),
		PQgetisnull(s, 0, 2) ? NULL : PQgetvalue(s, 0, 2),
		(size_t)PQgetlength(s, 0, 2));
	PQclear(s);
	if (r != GBA_OK || (flags & BSF_GBA_NO_USS))
		return r;
	return bsf_pg_rows_by_id(
		ps, c,
		"SELECT gsid, naf_group, uicc_sec, encode(flags, 'hex'),"
		" xml FROM uss WHERE sub_id = $1 ORDER BY idx",
		sub_id, uss_row, &u);
}

int bsf_pg_gba_params(struct bsf_store *st, int64_t sub_id, unsigned flags,
		      struct bsf_gba_params *p)
{
	struct pg_conn *c;
	int r;

	/* arguments checked by the API (store_api.c) */
	PG_READ(PG(st), c, r,
		bsf_pg_gba_params_conn(PG(st), c, sub_id, flags, p));
	return r;
}

/* The key row from row 0 of @s: the key columns from @kcol on
 * (key_fill()), F, RF, G and H from @fcol on. */
static int key_row_fill(const PGresult *s, int kcol, int fcol,
			struct bsf_key_row *row)
{
	row->seq_floor = col_i64(s, 0, fcol);
	row->run_floor = col_i64(s, 0, fcol + 1);
	row->gen = col_i64(s, 0, fcol + 2);
	row->hwm = col_i64(s, 0, fcol + 3);
	if (key_fill(s, 0, kcol, &row->key, row->amf) != GBA_OK ||
	    row->seq_floor < 0)
		return GBA_ERR_MALFORMED;
	return GBA_OK;
}

/* the AuC's key row of @sub_id (inside the caller's transaction); on
 * failure the caller wipes @row (bsf_store_key_row(), ue_lookup()) */
int bsf_pg_key_row_conn(struct pg_store *ps, struct pg_conn *c, int64_t sub_id,
			struct bsf_key_row *row)
{
	struct pp p = {0};
	PGresult *s;
	int r;

	memset(row, 0, sizeof(*row));
	row->sub_id = sub_id;
	pp_int(&p, sub_id);
	if ((r = bsf_pg_q_row(
		     ps, c,
		     "SELECT s.alg, s.k, s.opc, s.amf, s.tuak_iter,"
		     " s.tuak_res, s.tuak_ck, s.tuak_ik, q.seq_floor,"
		     " q.run_floor, q.gen, q.hwm FROM subscriber s JOIN sqn q"
		     " ON q.sub_id = s.id WHERE s.id = $1",
		     &p, &s)) != 0)
		return r;
	r = key_row_fill(s, 0, 8, row);
	PQclear(s); /* libpq does not wipe its buffers: see the header */
	return r;
}

/*
 * The GPI path (push.c: an IMPI, no USS, the key row) in ONE statement:
 * resolve, association, GBA parameters and key row.  One statement sees
 * one snapshot (READ COMMITTED takes one per statement), so it needs no
 * transaction: one round trip to the server instead of six (BEGIN, IMPI,
 * association, GBA parameters, key row, COMMIT), whose wake-ups made most
 * of the daemon's CPU per GPI on this backend (bench/README.md
 * "bsf_pg_bench.sh").  K and OPc come back only for an associated UE.  An
 * unknown UE, an unassociated one and an associated one run this same
 * statement (docs/bsf.md, Privacy).  Columns: 0 id, 1 impi, 2 associated,
 * 3 gba_u, 4 labels, 5.. key (key_fill), 13 seq_floor, 14 run_floor,
 * 15 gen, 16 hwm (NULL: no sqn row).
 */
#define UE_ONE_SQL                                                             \
	"SELECT s.id, s.impi, a.naf IS NOT NULL, s.gba_u, s.labels, s.alg,"    \
	" CASE WHEN a.naf IS NOT NULL THEN s.k END,"                           \
	" CASE WHEN a.naf IS NOT NULL THEN s.opc END, s.amf, s.tuak_iter,"     \
	" s.tuak_res, s.tuak_ck, s.tuak_ik, q.seq_floor, q.run_floor, q.gen,"  \
	" q.hwm FROM subscriber s LEFT JOIN assoc a ON a.naf = $2"             \
	" AND a.sub_id = s.id LEFT JOIN sqn q ON q.sub_id = s.id"              \
	" WHERE s.impi = $1"

const char bsf_pg_ue_one_sql[] = UE_ONE_SQL;

int bsf_pg_ue_one_params(struct bsf_rule_id_keys *k, int64_t naf_id,
			 const char *ue_id, size_t len, struct pp *p)
{
	/* as bsf_pg_resolve_conn() for an IMPI; anything else (an error
	 * included) goes the long way, which reports it */
	if (bsf_rule_id_keys(ue_id, len, BSF_ID_PRIVATE, k) != GBA_OK)
		return 1;
	memset(p, 0, sizeof(*p));
	pp_text(p, k->impi);
	pp_int(p, naf_id);
	return 0;
}

int bsf_pg_ue_one_take(PGresult *s, struct bsf_ue *ue, struct bsf_key_row *row)
{
	int r = GBA_OK;

	if (PQntuples(s) != 1) {
		r = GBA_ERR_NOT_FOUND;
		goto out;
	}
	if (bsf_pg_col_copy(s, 0, 1, ue->impi, sizeof(ue->impi)) != 0) {
		r = GBA_ERR_NO_SPACE;
		goto out;
	}
	ue->sub_id = col_i64(s, 0, 0);
	if (strcmp(PQgetvalue(s, 0, 2), "t") != 0) {
		r = GBA_ERR_NOT_AUTHORIZED;
		goto out;
	}
	ue->params.gba_u = col_i64(s, 0, 3) != 0;
	if ((r = bsf_rule_labels_split(PQgetvalue(s, 0, 4), ue->params.labels,
				       &ue->params.n_labels)) != 0)
		goto out;
	memset(row, 0, sizeof(*row));
	row->sub_id = ue->sub_id;
	if (PQgetisnull(s, 0, 13)) {
		r = GBA_ERR_NOT_FOUND; /* as key_row_conn(): no sqn row */
		goto out;
	}
	r = key_row_fill(s, 5, 13, row);
out:
	PQclear(s); /* libpq does not wipe its buffers: see the header */
	if (r != GBA_OK)
		gba_cleanse(row, sizeof(*row));
	return r;
}

int bsf_pg_ue_lookup_one(struct pg_store *ps, struct pg_conn *c,
			 int64_t naf_id, const char *ue_id, size_t len,
			 struct bsf_ue *ue, struct bsf_key_row *row)
{
	struct bsf_rule_id_keys k;
	struct pp p;
	PGresult *s;
	int r;

	if (bsf_pg_ue_one_params(&k, naf_id, ue_id, len, &p))
		return 1;
	if ((r = bsf_pg_q(ps, c, UE_ONE_SQL, &p, &s)) != 0)
		return r;
	return bsf_pg_ue_one_take(s, ue, row);
}

int bsf_pg_key_row(struct bsf_store *st, int64_t sub_id,
		   struct bsf_key_row *row)
{
	struct pg_conn *c;
	int r;

	/* arguments checked by the API (store_api.c) */
	PG_WITH_CONN(PG(st), c, r, bsf_pg_key_row_conn(PG(st), c, sub_id, row));
	return r;
}
