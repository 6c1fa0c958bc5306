/* see req.h */
#include <string.h>
#include "gba/crypto.h"
#include "gba/fqdn.h"
#include "gba/text.h"
#include "req.h"

static const struct {
	size_t min, max;
} text_rule[BSF_RT_COUNT_] = {
	[BSF_RT_UE_ID] = { 1, BSF_UE_ID_MAX },
	[BSF_RT_APP_LABEL] = { 0, BSF_APP_LABEL_MAX },
	[BSF_RT_P_TID] = { 1, BSF_PTID_MAX },
	[BSF_RT_NAF_FQDN] = { 0, GBA_FQDN_MAX }, /* gba_fqdn_valid() */
	[BSF_RT_UE_ID_TYPE] = { 6, 7 },          /* the words' lengths: */
	[BSF_RT_UICC_ME] = { 5, 6 },             /* set_word() decides */
};

/* a two-word field: the word of value 0, then that of value 1 */
static int set_word(struct bsf_push_req *req, enum bsf_req_text f,
		    const char *s, size_t n)
{
	static const char *const words[][2] = {
		{ "PUBLIC", "PRIVATE" }, /* BSF_RT_UE_ID_TYPE */
		{ "GBA_ME", "GBA_U" },   /* BSF_RT_UICC_ME */
	};
	const char *const *w = words[f == BSF_RT_UICC_ME];
	int v;

	if (n == strlen(w[0]) && !memcmp(s, w[0], n))
		v = 0;
	else if (n == strlen(w[1]) && !memcmp(s, w[1], n))
		v = 1;
	else
		return 0;
	if (f == BSF_RT_UE_ID_TYPE)
		req->ue_id_type = v ? BSF_UEID_PRIVATE : BSF_UEID_PUBLIC;
	else
		req->gba_u = v;
	return 1;
}

int bsf_req_set_text(struct bsf_push_req *req, enum bsf_req_text f,
		     const char *s, size_t n)
{
	char *dst;
	size_t *len;

	if ((unsigned)f >= BSF_RT_COUNT_ || n < text_rule[f].min ||
	    n > text_rule[f].max)
		return 0;
	switch (f) {
	case BSF_RT_UE_ID_TYPE:
	case BSF_RT_UICC_ME:
		return set_word(req, f, s, n);
	case BSF_RT_NAF_FQDN:
		if (!gba_fqdn_valid(s, n))
			return 0;
		gba_fqdn_canon(s, n, req->naf_fqdn);
		return 1;
	case BSF_RT_UE_ID:
		dst = req->ue_id;
		len = &req->ue_id_len;
		break;
	case BSF_RT_APP_LABEL:
		dst = req->app_label;
		len = &req->app_label_len;
		break;
	default:
		dst = req->p_tid;
		len = &req->p_tid_len;
		break;
	}
	if (!gba_text_in_range(s, n, 0x21, 0x7e)) /* printable, no space */
		return 0;
	memcpy(dst, s, n);
	dst[n] = '\0';
	*len = n;
	return 1;
}

int bsf_req_add_gsid(struct bsf_push_req *req, const char *s, size_t n)
{
	uint64_t v = 0;
	size_t i;

	if (req->n_gs_ids >= BSF_REQ_GSIDS_MAX || n < 1 ||
	    n > BSF_REQ_GSID_TEXT_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return 0;
	memcpy(req->gs_id_text[req->n_gs_ids], s, n);
	req->gs_id_text[req->n_gs_ids][n] = '\0';
	req->gs_ids[req->n_gs_ids++] = (uint32_t)v;
	return 1;
}

void bsf_push_res_clear(struct bsf_push_res *res)
{
	if (!res)
		return;
	gba_cleanse(res->me_key, sizeof(res->me_key));
	gba_cleanse(res->uicc_key, sizeof(res->uicc_key));
	gba_cleanse(res->impi, sizeof(res->impi));
}
