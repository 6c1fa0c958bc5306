/* see store_rules.h - the store's rules as pure functions */
#include <stdlib.h>
#include <string.h>
#include "gba/crypto.h"
#include "gba/fqdn.h"
#include "gba/hex.h"
#include "gba/sqn.h"
#include "gba/utf8_nfkc.h"
#include "store_rules.h"

/* printable ASCII/UTF-8 without control characters, 1..max octets */
int bsf_rule_text_ok(const char *s, size_t max)
{
	size_t n;

	if (s == NULL)
		return 0;
	n = strnlen(s, max + 1);
	if (n == 0 || n > max)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static char lower(char ch)
{
	return (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
}

struct bsf_naf_id *bsf_rule_naf_id_next(struct bsf_naf *naf)
{
	if (naf->n_naf_ids == BSF_NAF_IDS_MAX)
		return NULL;
	return &naf->naf_ids[naf->n_naf_ids++];
}

int bsf_rule_naf_ok(const struct bsf_naf *naf, int modify)
{
	size_t i;

	if (naf == NULL ||
	    (!modify && !bsf_rule_text_ok(naf->name, BSF_NAF_NAME_MAX)) ||
	    !bsf_rule_text_ok(naf->cert_id, BSF_CERT_ID_MAX) ||
	    naf->n_naf_ids > BSF_NAF_IDS_MAX)
		return 0;
	for (i = 0; i < naf->n_naf_ids; i++)
		if (!bsf_rule_fqdn_ok(naf->naf_ids[i].fqdn))
			return 0;
	return 1;
}

char *bsf_rule_text_dup(const void *b, size_t n)
{
	char *t = malloc(n + 1);

	if (t == NULL)
		return NULL;
	if (n)
		memcpy(t, b, n);
	t[n] = '\0';
	return t;
}

char bsf_rule_lower(char ch)
{
	return lower(ch);
}

int bsf_rule_fqdn_ok(const char *s)
{
	/* the project's one FQDN rule (gba/fqdn.h, TS 29.571 Fqdn) */
	return s != NULL && gba_fqdn_valid(s, strnlen(s, BSF_FQDN_MAX + 1));
}

/* ------------------------------------------------------------------ */
/* Identities */

static int is_sep(char ch)
{
	return ch == '-' || ch == '.' || ch == '(' || ch == ')';
}

int bsf_impu_normalize(const char *in, size_t in_len, char *out, size_t cap)
{
	size_t i, o = 0, end = in_len, at = 0, ndig = 0;
	int tel;

	if (in == NULL || out == NULL || cap == 0)
		return GBA_ERR_BAD_PARAM;
	out[0] = '\0';
	if (in_len > BSF_IMPU_MAX)
		return GBA_ERR_TOO_LARGE;
	for (i = 0; i < in_len; i++)
		if ((unsigned char)in[i] < 0x21 || in[i] == 0x7f ||
		    in[i] == '<' || in[i] == '>' || in[i] == '"')
			return GBA_ERR_MALFORMED;
	if (in_len > 4 && lower(in[0]) == 't' && lower(in[1]) == 'e' &&
	    lower(in[2]) == 'l' && in[3] == ':') {
		tel = 1;
		i = 4;
	} else if (in_len > 4 && lower(in[0]) == 's' && lower(in[1]) == 'i' &&
		   lower(in[2]) == 'p' && in[3] == ':') {
		tel = 0;
		i = 4;
	} else if (in_len > 5 && lower(in[0]) == 's' && lower(in[1]) == 'i' &&
		   lower(in[2]) == 'p' && lower(in[3]) == 's' && in[4] == ':') {
		tel = 0;
		i = 5;
	} else {
		return GBA_ERR_MALFORMED;
	}
	/* parameters (;...) and, for SIP, headers (?...) are not identity */
	for (end = i; end < in_len && in[end] != ';' && (tel || in[end] != '?');
	     end++)
		;
	if (end == i)
		return GBA_ERR_MALFORMED;
	if (i + 1 > cap)
		return GBA_ERR_TOO_LARGE;
	for (o = 0; o < i; o++)
		out[o] = lower(in[o]);
	if (tel) {
		/* global number only: '+' then digits, separators dropped */
		if (in[i] != '+')
			return GBA_ERR_MALFORMED;
		out[o++] = '+';
		for (i++; i < end; i++) {
			if (is_sep(in[i]))
				continue;
			if (in[i] < '0' || in[i] > '9')
				return GBA_ERR_MALFORMED;
			if (o + 1 >= cap)
				return GBA_ERR_TOO_LARGE;
			out[o++] = in[i];
			ndig++;
		}
		if (ndig == 0 || ndig > 15) /* E.164: at most 15 digits */
			return GBA_ERR_MALFORMED;
	} else {
		/* [user@]host: user kept, host lower-cased; without '@'
		 * the loop stops at i and everything is host */
		for (at = end; at > i && in[at - 1] != '@'; at--)
			;
		if (at == i + 1 || at == end) /* empty user or host */
			return GBA_ERR_MALFORMED;
		for (; i < end; i++) {
			if (o + 1 >= cap)
				return GBA_ERR_TOO_LARGE;
			out[o++] = i >= at ? lower(in[i]) : in[i];
		}
	}
	out[o] = '\0';
	return GBA_OK;
}

/* ------------------------------------------------------------------ */
/* Push-NAFs */

int bsf_naf_allows(const struct bsf_naf *naf, const char *fqdn, size_t fqdn_len,
		   const uint8_t ua[BSF_UA_ID_LEN])
{
	size_t i, j;

	if (naf == NULL || fqdn == NULL || ua == NULL)
		return 0;
	for (i = 0; i < naf->n_naf_ids && i < BSF_NAF_IDS_MAX; i++) {
		const struct bsf_naf_id *n = &naf->naf_ids[i];

		if (strlen(n->fqdn) != fqdn_len ||
		    memcmp(n->ua, ua, BSF_UA_ID_LEN) != 0)
			continue;
		for (j = 0; j < fqdn_len; j++)
			if (lower(n->fqdn[j]) != lower(fqdn[j]))
				break;
		if (j == fqdn_len)
			return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Subscribers */

void bsf_sub_clear(struct bsf_sub *s)
{
	if (s == NULL)
		return;
	gba_cleanse(s, sizeof(*s));
}

int bsf_rule_imsi_ok(const char *s)
{
	size_t n, i;

	if (s == NULL)
		return 0;
	n = strnlen(s, BSF_IMSI_MAX + 1);
	if (n == 0)
		return 1; /* optional */
	if (n < 6 || n > BSF_IMSI_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int bsf_rule_label_ok(const char *s)
{
	if (!bsf_rule_text_ok(s, BSF_LABEL_MAX))
		return 0;
	for (; *s; s++)
		if (*s == ';' || *s == ',' || *s == '"' || *s == '\n')
			return 0;
	return 1;
}

int bsf_rule_key_ok(const struct gba_auth_key *k)
{
	if (k == NULL)
		return 0;
	if (k->alg == GBA_ALG_MILENAGE)
		return k->k_len == 16;
	if (k->alg != GBA_ALG_TUAK)
		return 0;
	return (k->k_len == 16 || k->k_len == 32) &&
	       k->keccak_iterations >= 1 &&
	       (k->res_len == 4 || k->res_len == 8 || k->res_len == 16 ||
		k->res_len == 32) &&
	       (k->ck_len == 16 || k->ck_len == 32) &&
	       (k->ik_len == 16 || k->ik_len == 32);
}

void bsf_rule_uss_xml_free(struct bsf_uss *uss)
{
	size_t i;

	for (i = 0; i < BSF_USS_MAX; i++)
		free(uss[i].xml);
}

void bsf_gba_params_clear(struct bsf_gba_params *p)
{
	if (p == NULL)
		return;
	bsf_rule_uss_xml_free(p->uss);
	free(p->guss_xml);
	memset(p, 0, sizeof(*p));
}

const struct bsf_uss *bsf_uss_find(const struct bsf_gba_params *p,
				   const char *gsid)
{
	size_t i;

	if (p == NULL || gsid == NULL)
		return NULL;
	for (i = 0; i < p->n_uss && i < BSF_USS_MAX; i++)
		if (strcmp(p->uss[i].gsid, gsid) == 0)
			return &p->uss[i];
	return NULL;
}

int bsf_rule_sub_prepare(const struct bsf_sub *sub, const char *guss,
			 size_t guss_len, struct bsf_rule_sub *out)
{
	size_t i, j, o = 0;
	int r;

	memset(&out->guss, 0, sizeof(out->guss));
	out->k_hex[0] = out->opc_hex[0] = '\0';

	/* the IMPI is a KDF input (TS 33.220 B.3): stored in its NFKC form
	 * (B.2.1) so that every Ks_(ext/int)_NAF derived from it is right */
	if ((r = gba_utf8_nfkc_str(sub->impi, out->impi, sizeof(out->impi))) !=
	    0)
		return r;
	if (!bsf_rule_text_ok(out->impi, BSF_IMPI_MAX) ||
	    !bsf_rule_imsi_ok(sub->imsi) || !bsf_rule_key_ok(&sub->key) ||
	    sub->n_impus > BSF_IMPUS_MAX || sub->n_labels > BSF_LABELS_MAX ||
	    sub->sqn > GBA_SQN_MAX)
		return GBA_ERR_BAD_PARAM;
	for (i = 0; i < sub->n_impus; i++) {
		if ((r = bsf_impu_normalize(
			     sub->impus[i],
			     strnlen(sub->impus[i], BSF_IMPU_MAX + 1),
			     out->impus[i], sizeof(out->impus[i]))) != 0)
			return r;
		for (j = 0; j < i; j++)
			if (strcmp(out->impus[i], out->impus[j]) == 0)
				return GBA_ERR_EXISTS;
	}
	out->labels[0] = '\0';
	for (i = 0; i < sub->n_labels; i++) {
		size_t n = strlen(sub->labels[i]);

		if (!bsf_rule_label_ok(sub->labels[i]))
			return GBA_ERR_BAD_PARAM;
		if (i)
			out->labels[o++] = '\n';
		memcpy(out->labels + o, sub->labels[i], n + 1);
		o += n;
	}
	if ((r = gba_hex_encode(sub->key.k, sub->key.k_len, out->k_hex,
				sizeof(out->k_hex))) != 0 ||
	    (r = gba_hex_encode(sub->key.opc,
				sub->key.alg == GBA_ALG_TUAK ? 32 : 16,
				out->opc_hex, sizeof(out->opc_hex))) != 0 ||
	    (r = gba_hex_encode(sub->amf, 2, out->amf_hex,
				sizeof(out->amf_hex))) != 0) {
		bsf_rule_sub_clear(out);
		return r;
	}
	out->gba_u = sub->gba_u != 0;
	if (guss) {
		if ((r = bsf_guss_parse((const uint8_t *)guss, guss_len,
					BSF_GBA_XML, &out->guss)) != 0) {
			bsf_rule_sub_clear(out);
			return r;
		}
		if (out->guss.has_uicc_type && out->guss.gba_u)
			out->gba_u = 1;
	}
	if (sub->key.alg == GBA_ALG_TUAK) {
		out->tuak_iter = sub->key.keccak_iterations;
		out->tuak_res = (int64_t)sub->key.res_len;
		out->tuak_ck = (int64_t)sub->key.ck_len;
		out->tuak_ik = (int64_t)sub->key.ik_len;
	} else {
		out->tuak_iter = 1;
		out->tuak_res = 8;
		out->tuak_ck = 16;
		out->tuak_ik = 16;
	}
	return GBA_OK;
}

void bsf_rule_sub_clear(struct bsf_rule_sub *out)
{
	gba_cleanse(out->k_hex, sizeof(out->k_hex));
	gba_cleanse(out->opc_hex, sizeof(out->opc_hex));
	bsf_guss_clear(&out->guss);
}

int bsf_rule_gba_sub_row(struct bsf_gba_params *p, unsigned flags, int gba_u,
			 const char *labels, const void *guss,
			 size_t guss_len)
{
	int r;

	p->gba_u = gba_u != 0;
	r = bsf_rule_labels_split(labels, p->labels, &p->n_labels);
	if (r == GBA_OK && (flags & BSF_GBA_XML) && guss != NULL) {
		p->guss_xml = bsf_rule_text_dup(guss, guss_len);
		if (p->guss_xml == NULL)
			r = GBA_ERR_NOMEM;
		else
			p->guss_xml_len = guss_len;
	}
	return r;
}

int bsf_rule_labels_split(const char *t, char labels[][BSF_LABEL_MAX + 1],
			  size_t *n)
{
	size_t len;
	const char *e;

	*n = 0;
	while (t && *t) {
		e = strchr(t, '\n');
		len = e ? (size_t)(e - t) : strlen(t);
		if (*n == BSF_LABELS_MAX || len > BSF_LABEL_MAX)
			return GBA_ERR_TOO_LARGE;
		memcpy(labels[*n], t, len);
		labels[(*n)++][len] = '\0';
		t = e ? e + 1 : NULL;
	}
	return GBA_OK;
}

void bsf_rule_uss_flags_pack(const struct bsf_uss *u, uint8_t *b)
{
	size_t i;

	for (i = 0; i < u->n_flags && i < BSF_USS_FLAGS_MAX; i++) {
		b[4 * i] = (uint8_t)(u->flags[i] >> 24);
		b[4 * i + 1] = (uint8_t)(u->flags[i] >> 16);
		b[4 * i + 2] = (uint8_t)(u->flags[i] >> 8);
		b[4 * i + 3] = (uint8_t)u->flags[i];
	}
}

int bsf_rule_uss_flags_unpack(const uint8_t *b, size_t n, struct bsf_uss *u)
{
	size_t i;

	if (n % 4 || n / 4 > BSF_USS_FLAGS_MAX)
		return GBA_ERR_MALFORMED;
	for (i = 0; i < n / 4; i++)
		u->flags[i] = (uint32_t)b[4 * i] << 24 |
			      (uint32_t)b[4 * i + 1] << 16 |
			      (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
	u->n_flags = n / 4;
	return GBA_OK;
}

static int text_copy(const char *t, size_t n, char *out, size_t cap)
{
	if (n >= cap)
		return GBA_ERR_TOO_LARGE;
	if (n)
		memcpy(out, t, n);
	out[n] = '\0';
	return GBA_OK;
}

int bsf_rule_uss_add(struct bsf_gba_params *p,
		     const struct bsf_rule_uss_row *row)
{
	struct bsf_uss *u;
	int r;

	if (p->n_uss == BSF_USS_MAX)
		return GBA_ERR_TOO_LARGE;
	u = &p->uss[p->n_uss++];
	if ((r = text_copy(row->gsid, row->gsid_len, u->gsid,
			   sizeof(u->gsid))) != 0 ||
	    (r = text_copy(row->naf_group, row->naf_group_len, u->naf_group,
			   sizeof(u->naf_group))) != 0 ||
	    (r = bsf_rule_uss_flags_unpack(row->flags, row->flags_len, u)) != 0)
		return r;
	u->uicc_sec = row->uicc_sec;
	if (row->xml_want &&
	    (u->xml = bsf_rule_text_dup(row->xml, row->xml_len)) == NULL)
		return GBA_ERR_NOMEM;
	return GBA_OK;
}

uint64_t bsf_rule_sqn_of_seq(int64_t seq, unsigned ind_bits)
{
	return ((uint64_t)seq << ind_bits) | ((UINT64_C(1) << ind_bits) - 1);
}

uint64_t bsf_rule_sqn_bound(int64_t seq_floor, int64_t run_floor,
			    const struct bsf_rule_sqn_meta *m)
{
	int64_t max = (int64_t)(GBA_SQN_MAX >> m->ind_bits), windows, bound;

	if (m->block <= 0) /* no AuC ever ran: nothing issued, F is exact */
		return (uint64_t)seq_floor << m->ind_bits;
	windows = m->run >= run_floor ? m->run - run_floor + 1 : 1;
	if (windows > (max - seq_floor) / m->block)
		bound = max;
	else
		bound = seq_floor + windows * m->block;
	return bsf_rule_sqn_of_seq(bound, m->ind_bits);
}

int bsf_rule_id_keys(const char *ue_id, size_t len, enum bsf_id_type type,
		     struct bsf_rule_id_keys *k)
{
	size_t nlen;
	int r;

	k->impi[0] = k->impu[0] = '\0';
	if (type != BSF_ID_PRIVATE && type != BSF_ID_ANY &&
	    type != BSF_ID_PUBLIC)
		return GBA_ERR_BAD_PARAM;
	if (type != BSF_ID_PUBLIC) {
		if (len > BSF_IMPI_MAX)
			return GBA_ERR_TOO_LARGE;
		r = gba_utf8_nfkc((const uint8_t *)ue_id, len, k->impi,
				  sizeof(k->impi), &nlen);
		if (r != GBA_OK && type == BSF_ID_PRIVATE)
			return r == GBA_ERR_BAD_UTF8 ? GBA_ERR_MALFORMED : r;
		/* no stored IMPI holds a NUL (bsf_rule_text_ok()) */
		if (r != GBA_OK || memchr(k->impi, '\0', nlen))
			k->impi[0] = '\0';
		if (type == BSF_ID_PRIVATE)
			return k->impi[0] ? GBA_OK : GBA_ERR_NOT_FOUND;
	}
	r = bsf_impu_normalize(ue_id, len, k->impu, sizeof(k->impu));
	if (r != GBA_OK) {
		k->impu[0] = '\0';
		if (type == BSF_ID_PUBLIC)
			return r;
	}
	return k->impi[0] || k->impu[0] ? GBA_OK : GBA_ERR_NOT_FOUND;
}
