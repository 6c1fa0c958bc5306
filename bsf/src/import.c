/* see import.h - the one CSV import loop of gba-bsfctl */
#include <stdlib.h>
#include <string.h>
#include "gba/crypto.h"
#include "gba/err.h"
#include "import.h"
#include "prov.h"

const char *const bsf_sub_col_names[BSF_COL__N] = {
	"impi",
	"imsi",
	"impu",
	"alg",
	"k",
	"opc",
	"op",
	"amf",
	"sqn",
	"gba_u",
	"labels",
	"tuak",
	"tuak_iterations",
	"tuak_mac_bits",
	"tuak_res_bits",
	"tuak_ck_bits",
	"tuak_ik_bits",
	"naf",
	"guss",
};

static const char *const assoc_col_names[2] = {"naf", "identity"};

int bsf_naf_id_by_name(struct bsf_store *st, const char *name, int64_t *id)
{
	struct bsf_naf *n = calloc(1, sizeof(*n));
	int r;

	*id = 0;
	if (n == NULL)
		return GBA_ERR_NOMEM;
	r = bsf_store_naf_by_name(st, name, n);
	*id = n->id;
	free(n);
	return r;
}

const char *bsf_store_err_field(int r)
{
	switch (r) {
	case GBA_ERR_EXISTS:
		return "impi/imsi/impu";
	case GBA_ERR_MALFORMED:
	case GBA_ERR_TOO_LARGE:
	case GBA_ERR_TRUNCATED:
		return "impu/guss";
	default:
		return "record";
	}
}

int bsf_import_init(struct bsf_import *im, enum bsf_import_kind kind,
		    enum bsf_conflict on_conflict, FILE *f)
{
	size_t i;
	int r;

	memset(im, 0, sizeof(*im));
	im->kind = kind;
	im->on_conflict = on_conflict;
	for (i = 0; i < BSF_COL__N; i++)
		im->map[i] = -1;
	r = bsf_csv_init(&im->csv, f, BSF_CSV_RECORD_MAX);
	return r;
}

void bsf_import_free(struct bsf_import *im)
{
	bsf_csv_free(&im->csv);
}

const char *bsf_import_needs(const struct bsf_import *im)
{
	return im->kind == BSF_IMPORT_SUBS ? "impi, k and opc or op"
					   : "naf and identity";
}

enum bsf_import_hdr bsf_import_header(struct bsf_import *im, const char **col)
{
	const char *const *names =
		im->kind == BSF_IMPORT_SUBS ? bsf_sub_col_names : assoc_col_names;
	size_t n = im->kind == BSF_IMPORT_SUBS ? BSF_COL__N : 2, j;
	int *map = im->map;

	*col = NULL;
	if (bsf_csv_next(&im->csv) != 1)
		return BSF_HDR_MISSING;
	for (j = 0; j < im->csv.n; j++) {
		const char *h = bsf_csv_field(&im->csv, (int)j);
		int ci = bsf_csv_header_col(h, j == 0, names, n);

		if (ci < 0 || map[ci] != -1) {
			*col = h;
			return ci < 0 ? BSF_HDR_UNKNOWN : BSF_HDR_REPEATED;
		}
		map[ci] = (int)j;
	}
	if (im->kind == BSF_IMPORT_ASSOCS)
		return map[0] < 0 || map[1] < 0 ? BSF_HDR_INCOMPLETE
						: BSF_HDR_OK;
	if (map[BSF_COL_IMPI] < 0 || map[BSF_COL_K] < 0 ||
	    (map[BSF_COL_OPC] < 0 && map[BSF_COL_OP] < 0))
		return BSF_HDR_INCOMPLETE;
	return BSF_HDR_OK;
}

static int naf_cache_lookup(struct bsf_import *im, struct bsf_store *st,
			    const char *name, int64_t *id)
{
	size_t i, len = strlen(name);
	int r;

	for (i = 0; i < im->n_nafs; i++)
		if (strcmp(im->naf_names[i], name) == 0) {
			*id = im->naf_ids[i];
			return GBA_OK;
		}
	if ((r = bsf_naf_id_by_name(st, name, id)) != 0)
		return r;
	if (im->n_nafs < GBA_ARRAY_SIZE(im->naf_ids) &&
	    len <= BSF_NAF_NAME_MAX) {
		memcpy(im->naf_names[im->n_nafs], name, len + 1);
		im->naf_ids[im->n_nafs++] = *id;
	}
	return GBA_OK;
}

/* A subscriber line.  Return 0 added, 1 skipped, 2 updated, -1 error
 * (@field, @why). */
static int sub_record(struct bsf_import *im, struct bsf_store *st,
		      struct bsf_store_batch *b, const char **field,
		      const char **why)
{
	const char *f[BSF_COL__N];
	char nafs[BSF_IMPUS_MAX][BSF_IMPU_MAX + 1], tuak[64];
	struct bsf_sub s;
	struct bsf_prov_in in;
	size_t i, n_naf = 0, guss_len;
	int64_t id = 0, naf_ids[BSF_IMPUS_MAX];
	const char *guss;
	int r, ret = 0;

	for (i = 0; i < BSF_COL__N; i++)
		f[i] = bsf_csv_field(&im->csv, im->map[i]);
	memset(&in, 0, sizeof(in));
	in.impi = f[BSF_COL_IMPI];
	in.imsi = f[BSF_COL_IMSI];
	in.impus = f[BSF_COL_IMPU];
	in.alg = f[BSF_COL_ALG];
	in.k = f[BSF_COL_K];
	in.opc = f[BSF_COL_OPC];
	in.op = f[BSF_COL_OP];
	in.amf = f[BSF_COL_AMF];
	in.sqn = f[BSF_COL_SQN];
	in.labels = f[BSF_COL_LABELS];
	in.tuak = f[BSF_COL_TUAK];
	if ((r = bsf_prov_tuak_bits(&f[BSF_COL_TUAK_ITER], tuak,
				    sizeof(tuak)))) {
		*field = bsf_prov_tuak_names[r - 1];
		*why = "must be a decimal number of bits, a multiple of 8";
		if (r == 1)
			*why = "must be a decimal count";
		else if (r == 2)
			*why = "must be 64 (the AKA MAC)";
		return -1;
	}
	if (tuak[0]) {
		*field = "tuak";
		*why = "give the sizes in bits (tuak_*) or as tuak, not both";
		if (in.tuak && in.tuak[0])
			return -1;
		in.tuak = tuak;
	}
	*field = "gba_u";
	*why = "must be 0 or 1";
	if (f[BSF_COL_GBA_U] && f[BSF_COL_GBA_U][0]) {
		if (strcmp(f[BSF_COL_GBA_U], "1") == 0)
			in.gba_u = 1;
		else if (strcmp(f[BSF_COL_GBA_U], "0") != 0)
			return -1;
	}
	*field = "naf";
	*why = "too many names";
	if (bsf_prov_split(f[BSF_COL_NAF], nafs, BSF_IMPUS_MAX,
			   BSF_IMPU_MAX + 1, &n_naf))
		return -1;
	for (i = 0; i < n_naf; i++) {
		if (naf_cache_lookup(im, st, nafs[i], &naf_ids[i]) != GBA_OK) {
			*why = "no such Push-NAF";
			return -1;
		}
	}
	if (bsf_prov_sub(&in, &s, field, why))
		return -1;
	guss = f[BSF_COL_GUSS] && f[BSF_COL_GUSS][0] ? f[BSF_COL_GUSS] : NULL;
	guss_len = f[BSF_COL_GUSS] ? strlen(f[BSF_COL_GUSS]) : 0;
	r = bsf_store_batch_sub_add(b, &s, guss, guss_len, &id);
	if (r == GBA_ERR_EXISTS && im->on_conflict != BSF_CONFLICT_FAIL) {
		int64_t old = 0;
		int rr = bsf_store_resolve(st, s.impi, strlen(s.impi),
					   BSF_ID_PRIVATE, &old, NULL, 0);

		/* only a stored IMPI is a conflict to skip or update; an
		 * IMSI or IMPU of another subscriber stays an error */
		if (rr == GBA_OK && im->on_conflict == BSF_CONFLICT_SKIP) {
			bsf_sub_clear(&s);
			return 1;
		}
		if (rr == GBA_OK) {
			r = bsf_store_batch_sub_replace(b, &s, guss, guss_len,
							&id);
			if (r == GBA_OK)
				ret = 2;
		}
	}
	bsf_sub_clear(&s);
	if (r != GBA_OK) {
		*field = bsf_store_err_field(r);
		*why = gba_strerror(r);
		return -1;
	}
	for (i = 0; i < n_naf; i++) {
		r = bsf_store_batch_assoc_add(b, naf_ids[i], id);
		if (r != GBA_OK && r != GBA_ERR_EXISTS) {
			/* the subscriber is in; report the association */
			*field = "naf";
			*why = gba_strerror(r);
			return -1;
		}
	}
	return ret;
}

/* An association line.  Return 0 added, 3 already present, -1 error
 * (@why, @field NULL). */
static int assoc_record(struct bsf_import *im, struct bsf_store *st,
			struct bsf_store_batch *b, const char **field,
			const char **why)
{
	const char *naf = bsf_csv_field(&im->csv, im->map[0]);
	const char *ident = bsf_csv_field(&im->csv, im->map[1]);
	int64_t naf_id = 0, sub = 0;
	int r;

	*field = NULL;
	if (naf == NULL || ident == NULL || !naf[0] || !ident[0])
		*why = "field 'naf' or 'identity' empty";
	else if (naf_cache_lookup(im, st, naf, &naf_id) != GBA_OK)
		*why = "field 'naf': no such Push-NAF";
	else if (bsf_store_resolve(st, ident, strlen(ident), BSF_ID_ANY, &sub,
				   NULL, 0) != GBA_OK)
		*why = "field 'identity': no such subscriber";
	else if ((r = bsf_store_batch_assoc_add(b, naf_id, sub)) ==
		 GBA_ERR_EXISTS)
		return 3;
	else if (r != GBA_OK)
		*why = gba_strerror(r);
	else
		return 0;
	return -1;
}

int bsf_import_run(struct bsf_import *im, struct bsf_store *st,
		   const struct bsf_import_cb *cb)
{
	struct bsf_store_batch *b = NULL;
	struct bsf_csv *c = &im->csv;
	const char *field, *why;
	int r;

	if ((r = bsf_store_batch_begin(st, &b)) != 0) {
		im->fail = BSF_IMPORT_FAIL_BEGIN;
		return r;
	}
	for (;;) {
		r = bsf_csv_next(c);
		if (r == 0)
			break;
		if (r < 0) {
			cb->line_err(cb->arg, c->rec_line, NULL,
				     bsf_csv_strerror(c->err));
			im->bad++;
			bsf_csv_wipe(c);
			continue;
		}
		if (c->n == 1 && bsf_csv_field(c, 0)[0] == '\0')
			continue; /* blank line */
		if ((im->ok + im->bad) % BSF_IMPORT_CHUNK ==
		    BSF_IMPORT_CHUNK - 1) {
			if ((r = bsf_store_batch_commit(b)) != 0) {
				im->fail = BSF_IMPORT_FAIL_CHUNK;
				im->fail_line = c->rec_line;
				bsf_csv_wipe(c);
				bsf_store_batch_end(b, 0);
				return r;
			}
			im->committed = im->ok;
		}
		if (im->kind == BSF_IMPORT_SUBS)
			r = sub_record(im, st, b, &field, &why);
		else
			r = assoc_record(im, st, b, &field, &why);
		if (r < 0) {
			cb->line_err(cb->arg, c->rec_line, field, why);
			im->bad++;
		} else {
			im->ok++;
			im->skipped += r == 1;
			im->updated += r == 2;
			im->dup += r == 3;
		}
		bsf_csv_wipe(c); /* K/OPc of this record */
		cb->progress(cb->arg, im->ok, im->bad, ftell(c->f));
	}
	r = bsf_store_batch_end(b, 1);
	if (r != GBA_OK)
		im->fail = BSF_IMPORT_FAIL_END;
	return r;
}
