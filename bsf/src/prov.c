/* see prov.h - provisioning rules, docs/hss-store.md "gba-bsfctl" */
#include <stdio.h>
#include <string.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "gba/milenage.h"
#include "gba/text.h"
#include "gba/tuak.h"
#include "prov.h"

int bsf_prov_copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

int bsf_prov_split(const char *s, char (*out)[BSF_IMPU_MAX + 1], size_t max_n,
		   size_t cap, size_t *n)
{
	const char *e;
	size_t len;

	*n = 0;
	while (s && *s) {
		e = strchr(s, ';');
		len = e ? (size_t)(e - s) : strlen(s);
		if (len) {
			if (*n == max_n || len >= cap)
				return -1;
			memcpy(out[*n], s, len);
			out[(*n)++][len] = '\0';
		}
		s = e ? e + 1 : NULL;
	}
	return 0;
}

const char *const bsf_prov_tuak_names[BSF_PROV_TUAK_N] = {
	"tuak_iterations", "tuak_mac_bits", "tuak_res_bits",
	"tuak_ck_bits",	   "tuak_ik_bits",
};

int bsf_prov_tuak_bits(const char *const v[BSF_PROV_TUAK_N], char *out,
		       size_t cap)
{
	uint64_t n[BSF_PROV_TUAK_N] = {1, 64, 64, 128, 128};
	int i, any = 0;

	out[0] = '\0';
	for (i = 0; i < BSF_PROV_TUAK_N; i++) {
		if (v[i] == NULL || v[i][0] == '\0')
			continue;
		any = 1;
		if (gba_uint_parse(v[i], 1u << 20, 0, &n[i]) ||
		    (i > 0 && (n[i] == 0 || n[i] % 8)) ||
		    (i == 1 && n[i] != 64))
			return i + 1;
	}
	if (any)
		snprintf(out, cap, "%llu:%llu:%llu:%llu",
			 (unsigned long long)n[0],
			 (unsigned long long)(n[2] / 8),
			 (unsigned long long)(n[3] / 8),
			 (unsigned long long)(n[4] / 8));
	return 0;
}

/* Copy a vector of strings into a fixed table. */
static int set_list(char (*out)[BSF_IMPU_MAX + 1], size_t cap, size_t max_n,
		    const char *const *v, size_t n, size_t *n_out)
{
	size_t i;

	if (n > max_n)
		return -1;
	for (i = 0; i < n; i++)
		if (strlen(v[i]) >= cap)
			return -1;
	for (i = 0; i < n; i++)
		memcpy(out[i], v[i], strlen(v[i]) + 1);
	*n_out = n;
	return 0;
}

/* the labels from the vector @v (@n of them), or else the ';' list @list */
static int set_labels(struct bsf_sub *s, const char *const *v, size_t n,
		      const char *list)
{
	/* bsf_prov_split() and set_list() fill rows of IMPU width */
	char tmp[BSF_LABELS_MAX][BSF_IMPU_MAX + 1];
	size_t i;

	if (v ? set_list(tmp, BSF_LABEL_MAX + 1, BSF_LABELS_MAX, v, n,
			 &s->n_labels)
	      : bsf_prov_split(list, tmp, BSF_LABELS_MAX, BSF_LABEL_MAX + 1,
			       &s->n_labels))
		return -1;
	for (i = 0; i < s->n_labels; i++)
		memcpy(s->labels[i], tmp[i], strlen(tmp[i]) + 1);
	return 0;
}

int bsf_prov_sub(const struct bsf_prov_in *in, struct bsf_sub *s,
		 const char **field, const char **why)
{
	uint8_t op[32];
	uint64_t v, t[4];
	size_t i, n, want;
	const char *p;
	int r = -1;

	bsf_sub_clear(s);
	*field = "impi";
	*why = "missing or too long";
	if (in->impi == NULL || in->impi[0] == '\0' ||
	    bsf_prov_copy_str(s->impi, sizeof(s->impi), in->impi))
		goto out;
	*field = "imsi";
	*why = "must be 6..15 digits";
	if (in->imsi && bsf_prov_copy_str(s->imsi, sizeof(s->imsi), in->imsi))
		goto out;
	*field = "alg";
	*why = "must be milenage or tuak";
	if (in->alg == NULL || in->alg[0] == '\0' ||
	    strcmp(in->alg, "milenage") == 0)
		s->key.alg = GBA_ALG_MILENAGE;
	else if (strcmp(in->alg, "tuak") == 0)
		s->key.alg = GBA_ALG_TUAK;
	else
		goto out;
	s->key.keccak_iterations = 1;
	s->key.res_len = 8;
	s->key.ck_len = 16;
	s->key.ik_len = 16;
	if (s->key.alg == GBA_ALG_TUAK && in->tuak && in->tuak[0]) {
		char tmp[64];
		char *q = tmp, *e;

		*field = "tuak";
		*why = "must be ITER:RES:CK:IK (octets)";
		if (bsf_prov_copy_str(tmp, sizeof(tmp), in->tuak))
			goto out;
		for (i = 0; i < 4; i++) {
			e = strchr(q, ':');
			if ((e == NULL) != (i == 3))
				goto out;
			if (e)
				*e = '\0';
			if (gba_uint_parse(q, 1u << 20, 0, &t[i]))
				goto out;
			q = e ? e + 1 : q;
		}
		s->key.keccak_iterations = (unsigned)t[0];
		s->key.res_len = (size_t)t[1];
		s->key.ck_len = (size_t)t[2];
		s->key.ik_len = (size_t)t[3];
	}
	*field = "k";
	*why = s->key.alg == GBA_ALG_TUAK ? "must be 32 or 64 hex digits"
					  : "must be 32 hex digits";
	p = in->k ? in->k : "";
	n = strlen(p);
	if (n != 32 && !(s->key.alg == GBA_ALG_TUAK && n == 64))
		goto out;
	if (gba_hex_decode(p, n, s->key.k, sizeof(s->key.k), &s->key.k_len))
		goto out;
	want = s->key.alg == GBA_ALG_TUAK ? 32 : 16;
	if (in->opc && in->opc[0]) {
		*field = "opc";
		*why = want == 32 ? "must be 64 hex digits (TOPc)"
				  : "must be 32 hex digits";
		if (in->op && in->op[0]) {
			*why = "give either opc or op, not both";
			goto out;
		}
		if (gba_hex_decode_exact(in->opc, s->key.opc, want))
			goto out;
	} else {
		*field = "op";
		*why = "opc or op is required";
		if (in->op == NULL || in->op[0] == '\0')
			goto out;
		*why = want == 32 ? "must be 64 hex digits (TOP)"
				  : "must be 32 hex digits";
		if (gba_hex_decode_exact(in->op, op, want))
			goto out;
		if (s->key.alg == GBA_ALG_TUAK) {
			/* TS 35.231 7.1: TOPc from TOP, K and the instance */
			struct gba_tuak_inst inst = {
				.k_len = s->key.k_len,
				.iterations = s->key.keccak_iterations,
				.mac_len = 8,
				.res_len = s->key.res_len,
				.ck_len = s->key.ck_len,
				.ik_len = s->key.ik_len,
			};

			*why = "TOPc derivation failed (check --tuak sizes)";
			if (gba_tuak_topc(&inst, s->key.k, op, s->key.opc))
				goto out;
		} else {
			*why = "OPc derivation failed";
			if (gba_milenage_opc(s->key.k, op, s->key.opc))
				goto out;
		}
	}
	*field = "amf";
	*why = "must be 4 hex digits";
	if (in->amf && in->amf[0] && gba_hex_decode_exact(in->amf, s->amf, 2))
		goto out;
	*field = "sqn";
	*why = "must be a decimal 0 .. 2^48-1";
	if (in->sqn && in->sqn[0]) {
		if (gba_uint_parse(in->sqn, (UINT64_C(1) << 48) - 1, 0, &v))
			goto out;
		s->sqn = v;
	}
	s->gba_u = in->gba_u;
	*field = "impu";
	*why = "too many or too long";
	if (in->impu_v ? set_list(s->impus, BSF_IMPU_MAX + 1, BSF_IMPUS_MAX,
				  in->impu_v, in->n_impu_v, &s->n_impus)
		       : bsf_prov_split(in->impus, s->impus, BSF_IMPUS_MAX,
					BSF_IMPU_MAX + 1, &s->n_impus))
		goto out;
	*field = "labels";
	if (set_labels(s, in->label_v, in->n_label_v, in->labels))
		goto out;
	r = 0;
	*field = NULL;
	*why = NULL;
out:
	gba_cleanse(op, sizeof(op));
	if (r)
		bsf_sub_clear(s);
	return r;
}

int bsf_prov_modify(struct bsf_sub *s, const struct bsf_prov_mod *m,
		    const char **field)
{
	if (m->key)
		s->key = *m->key;
	if (m->imsi && bsf_prov_copy_str(s->imsi, sizeof(s->imsi), m->imsi)) {
		*field = "imsi";
		return -1;
	}
	if (m->amf)
		memcpy(s->amf, m->amf, 2);
	if (m->sqn && *m->sqn > s->sqn)
		s->sqn = *m->sqn;
	if (m->gba_u)
		s->gba_u = 1;
	*field = "impu";
	if (m->n_impu_v &&
	    set_list(s->impus, BSF_IMPU_MAX + 1, BSF_IMPUS_MAX, m->impu_v,
		     m->n_impu_v, &s->n_impus))
		return -1;
	if (m->n_label_v) {
		*field = "label";
		if (set_labels(s, m->label_v, m->n_label_v, NULL))
			return -1;
	}
	return 0;
}
