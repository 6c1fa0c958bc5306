/* see export.h - the store as import CSV */
#include <stdlib.h>
#include <string.h>
#include "gba/crypto.h"
#include "gba/err.h"
#include "gba/hex.h"
#include "csv.h"
#include "export.h"
#include "import.h"

void bsf_semilist_reset(struct bsf_semilist *l)
{
	gba_dynbuf_init_fixed(&l->d, l->b, sizeof(l->b), 0);
}

int bsf_semilist_add(void *arg, const char *name)
{
	struct bsf_semilist *l = arg;

	if ((gba_dynbuf_len(&l->d) && gba_dynbuf_add(&l->d, ";", 1)) ||
	    gba_dynbuf_addstr(&l->d, name))
		return GBA_ERR_TOO_LARGE;
	return 0;
}

struct export_ctx {
	struct bsf_store *st;
	FILE *f;
	int secrets;
	unsigned long n;
};

static int export_cb(void *arg, const struct bsf_sub *s)
{
	struct export_ctx *x = arg;
	char hex[2 * GBA_KEY_MAX + 1], num[32];
	unsigned long long tb[5];
	struct bsf_semilist sb;
	char *guss = NULL;
	size_t i;
	int r;

	bsf_csv_put(x->f, s->impi, 0);
	bsf_csv_put(x->f, s->imsi, 0);
	bsf_semilist_reset(&sb);
	for (i = 0; i < s->n_impus; i++)
		if ((r = bsf_semilist_add(&sb, s->impus[i])) != 0)
			return r;
	bsf_csv_put(x->f, sb.b, 0);
	bsf_csv_put(x->f, s->key.alg == GBA_ALG_TUAK ? "tuak" : "milenage", 0);
	if (x->secrets) {
		gba_hex_encode(s->key.k, s->key.k_len, hex, sizeof(hex));
		bsf_csv_put(x->f, hex, 0);
		gba_hex_encode(s->key.opc, s->key.alg == GBA_ALG_TUAK ? 32 : 16,
			       hex, sizeof(hex));
		bsf_csv_put(x->f, hex, 0);
		gba_cleanse(hex, sizeof(hex));
	} else {
		bsf_csv_put(x->f, "", 0);
		bsf_csv_put(x->f, "", 0);
	}
	gba_hex_encode(s->amf, 2, hex, sizeof(hex));
	bsf_csv_put(x->f, hex, 0);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)s->sqn);
	bsf_csv_put(x->f, num, 0);
	bsf_csv_put(x->f, s->gba_u ? "1" : "0", 0);
	bsf_semilist_reset(&sb);
	for (i = 0; i < s->n_labels; i++)
		if ((r = bsf_semilist_add(&sb, s->labels[i])) != 0)
			return r;
	bsf_csv_put(x->f, sb.b, 0);
	/* TUAK sizes in bits (BSF_COL_TUAK_ITER .. _IK); empty for Milenage */
	tb[0] = s->key.keccak_iterations;
	tb[1] = 64;
	tb[2] = s->key.res_len * 8;
	tb[3] = s->key.ck_len * 8;
	tb[4] = s->key.ik_len * 8;
	for (i = 0; i < 5; i++) {
		num[0] = '\0';
		if (s->key.alg == GBA_ALG_TUAK)
			snprintf(num, sizeof(num), "%llu", tb[i]);
		bsf_csv_put(x->f, num, 0);
	}
	bsf_semilist_reset(&sb);
	if ((r = bsf_store_assoc_list_sub(x->st, s->id, bsf_semilist_add,
					  &sb)) != 0)
		return r;
	bsf_csv_put(x->f, sb.b, 0);
	if (s->has_guss && (r = bsf_store_sub_guss(x->st, s->id, &guss)) != 0)
		return r;
	bsf_csv_put(x->f, guss, 1);
	free(guss);
	x->n++;
	return ferror(x->f) ? GBA_ERR_IO : 0;
}

int bsf_export_csv(struct bsf_store *st, FILE *f, int secrets,
		   unsigned long *n)
{
	struct export_ctx x;
	size_t i;
	int r;

	memset(&x, 0, sizeof(x));
	x.st = st;
	x.f = f;
	x.secrets = secrets;
	for (i = 0; i < BSF_COL__N; i++)
		/* OP is never stored: OPc is exported; the TUAK sizes in
		 * bits, not as the older octets column tuak */
		if (i != BSF_COL_OP && i != BSF_COL_TUAK)
			bsf_csv_put(f, bsf_sub_col_names[i],
				    i + 1 == BSF_COL__N);
	r = bsf_store_sub_list(st, secrets ? BSF_SUB_SECRETS : 0, export_cb,
			       &x);
	*n = x.n;
	return r;
}
