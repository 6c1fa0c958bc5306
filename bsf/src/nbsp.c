/* see nbsp.h */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "nbsp.h"

/*
 * Wiping allocator for jansson: a size header in front of every block so
 * that free can cleanse it.  The only raw malloc/free of the BSF JSON
 * path (style.md C13).
 */
#define HDR 16

static void *wipe_malloc(size_t n)
{
	uint8_t *p;

	if (n > SIZE_MAX - HDR || !(p = malloc(n + HDR)))
		return NULL;
	memcpy(p, &n, sizeof(n));
	return p + HDR;
}

static void wipe_free(void *v)
{
	uint8_t *p;
	size_t n;

	if (!v)
		return;
	p = (uint8_t *)v - HDR;
	memcpy(&n, p, sizeof(n));
	gba_cleanse(p, n + HDR);
	free(p);
}

void bsf_json_alloc_init(void)
{
	json_set_alloc_funcs(wipe_malloc, wipe_free);
}

static enum bsf_problem bad(const char **field, const char *name,
			    enum bsf_problem pb)
{
	*field = name;
	return pb;
}

/* a string member; @mand selects which problem a bad value gives */
static enum bsf_problem get_str(json_t *obj, const char *name, int mand,
				const char **val, size_t *len,
				const char **field)
{
	json_t *v = json_object_get(obj, name);
	enum bsf_problem inc = mand ? BSF_PB_MANDATORY_IE_INCORRECT
				    : BSF_PB_OPTIONAL_IE_INCORRECT;

	*val = NULL;
	*len = 0;
	if (!v)
		return mand ? bad(field, name, BSF_PB_MANDATORY_IE_MISSING)
			    : BSF_PB_OK;
	if (!json_is_string(v))
		return bad(field, name, inc);
	*val = json_string_value(v);
	*len = json_string_length(v);
	if (memchr(*val, 0, *len))
		return bad(field, name, inc); /* embedded NUL */
	return BSF_PB_OK;
}

static enum bsf_problem get_bool(json_t *obj, const char *name, int *out,
				 const char **field)
{
	json_t *v = json_object_get(obj, name);

	*out = 0;
	if (!v)
		return BSF_PB_OK;
	if (!json_is_boolean(v))
		return bad(field, name, BSF_PB_OPTIONAL_IE_INCORRECT);
	*out = json_is_true(v);
	return BSF_PB_OK;
}

/* printable ASCII only: identities and labels end up in KDF inputs */
static int printable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

static enum bsf_problem hex_field(const char *s, size_t n, uint8_t *out,
				  size_t want, const char *name,
				  const char **field)
{
	size_t got;

	if (n != 2 * want ||
	    gba_hex_decode(s, n, out, want, &got) != GBA_OK || got != want)
		return bad(field, name, BSF_PB_OPTIONAL_IE_INCORRECT);
	return BSF_PB_OK;
}

static enum bsf_problem decode_obj(json_t *root, struct bsf_push_req *req,
				   const char **field)
{
	enum bsf_problem pb;
	const char *s, *s2;
	size_t n, n2, i;
	json_t *naf, *gs, *v;
	int has_auts, has_rand;

	if (!json_is_object(root))
		return bad(field, "PushInfoRequest", BSF_PB_INVALID_MSG_FORMAT);

	/* ueId: IMPI or IMPU text */
	if ((pb = get_str(root, "ueId", 1, &s, &n, field)))
		return pb;
	if (n < 1 || n > BSF_UE_ID_MAX || !printable(s, n))
		return bad(field, "ueId", BSF_PB_MANDATORY_IE_INCORRECT);
	memcpy(req->ue_id, s, n);
	req->ue_id_len = n;

	if ((pb = get_str(root, "ueIdType", 1, &s, &n, field)))
		return pb;
	if (!strcmp(s, "PUBLIC"))
		req->ue_id_type = BSF_UEID_PUBLIC;
	else if (!strcmp(s, "PRIVATE"))
		req->ue_id_type = BSF_UEID_PRIVATE;
	else
		return bad(field, "ueIdType", BSF_PB_MANDATORY_IE_INCORRECT);

	if ((pb = get_str(root, "uiccAppLabel", 1, &s, &n, field)))
		return pb;
	if (n > BSF_APP_LABEL_MAX || !printable(s, n))
		return bad(field, "uiccAppLabel",
			   BSF_PB_MANDATORY_IE_INCORRECT);
	memcpy(req->app_label, s, n);
	req->app_label_len = n;

	if ((pb = get_str(root, "uiccOrMe", 1, &s, &n, field)))
		return pb;
	if (!strcmp(s, "GBA_ME"))
		req->gba_u = 0;
	else if (!strcmp(s, "GBA_U"))
		req->gba_u = 1;
	else
		return bad(field, "uiccOrMe", BSF_PB_MANDATORY_IE_INCORRECT);

	naf = json_object_get(root, "nafId");
	if (!naf)
		return bad(field, "nafId", BSF_PB_MANDATORY_IE_MISSING);
	if (!json_is_object(naf))
		return bad(field, "nafId", BSF_PB_MANDATORY_IE_INCORRECT);
	if ((pb = get_str(naf, "nafFqdn", 1, &s, &n, field)) ||
	    (pb = get_str(naf, "uaSecProtId", 1, &s2, &n2, field)))
		return pb;
	if (!bsf_fqdn_valid(s, n))
		return bad(field, "nafId.nafFqdn",
			   BSF_PB_MANDATORY_IE_INCORRECT);
	memcpy(req->naf_fqdn, s, n);
	if (n2 != 2 * GBA_UA_ID_LEN ||
	    gba_hex_decode(s2, n2, req->ua_id, GBA_UA_ID_LEN, &n) != GBA_OK)
		return bad(field, "nafId.uaSecProtId",
			   BSF_PB_MANDATORY_IE_INCORRECT);

	/*
	 * ptId is mandatory in TS 29.309; this BSF also accepts it absent
	 * and then generates a random P-TID (project choice, docs/bsf.md).
	 */
	if ((pb = get_str(root, "ptId", 0, &s, &n, field)))
		return bad(field, "ptId", BSF_PB_MANDATORY_IE_INCORRECT);
	if (s) {
		if (n < 1 || n > BSF_PTID_MAX || !printable(s, n))
			return bad(field, "ptId",
				   BSF_PB_MANDATORY_IE_INCORRECT);
		memcpy(req->p_tid, s, n);
		req->p_tid_len = n;
	}

	/* requestedLifeTime: mandatory in TS 29.309, defaulted here (pc) */
	if ((pb = get_str(root, "requestedLifeTime", 0, &s, &n, field)))
		return bad(field, "requestedLifeTime",
			   BSF_PB_MANDATORY_IE_INCORRECT);
	if (s) {
		if (bsf_time_parse(s, n, &req->requested_expiry) != GBA_OK)
			return bad(field, "requestedLifeTime",
				   BSF_PB_MANDATORY_IE_INCORRECT);
		req->has_requested_expiry = 1;
	}

	if ((pb = get_bool(root, "privateIdRequest", &req->private_id_request,
			   field)) ||
	    (pb = get_bool(root, "gbaUAware", &req->gba_u_aware, field)))
		return pb;

	gs = json_object_get(root, "gsIds");
	if (gs) {
		if (!json_is_array(gs) || json_array_size(gs) < 1 ||
		    json_array_size(gs) > BSF_REQ_GSIDS_MAX)
			return bad(field, "gsIds", BSF_PB_OPTIONAL_IE_INCORRECT);
		json_array_foreach(gs, i, v) {
			json_int_t x;

			if (!json_is_integer(v) ||
			    (x = json_integer_value(v)) < 0 ||
			    x > (json_int_t)UINT32_MAX)
				return bad(field, "gsIds",
					   BSF_PB_OPTIONAL_IE_INCORRECT);
			req->gs_ids[i] = (uint32_t)x;
		}
		req->n_gs_ids = json_array_size(gs);
	}

	/* resynchronisation: auts (14 octets) and rand (16) come together */
	if ((pb = get_str(root, "auts", 0, &s, &n, field)))
		return pb;
	has_auts = s != NULL;
	if (s && (pb = hex_field(s, n, req->auts, GBA_AUTS_LEN, "auts", field)))
		return pb;
	if ((pb = get_str(root, "rand", 0, &s, &n, field)))
		return pb;
	has_rand = s != NULL;
	if (s && (pb = hex_field(s, n, req->rand_, GBA_RAND_LEN, "rand",
				 field)))
		return pb;
	if (has_auts != has_rand)
		return bad(field, has_auts ? "rand" : "auts",
			   BSF_PB_OPTIONAL_IE_INCORRECT);
	req->has_resync = has_auts;
	return BSF_PB_OK;
}

enum bsf_problem bsf_nbsp_decode(const uint8_t *buf, size_t len,
				 struct bsf_push_req *req,
				 const char **field)
{
	json_error_t jerr;
	json_t *root;
	enum bsf_problem pb;

	memset(req, 0, sizeof(*req));
	*field = NULL;
	root = json_loadb((const char *)buf, len,
			  JSON_REJECT_DUPLICATES,
			  &jerr);
	if (!root)
		return BSF_PB_INVALID_MSG_FORMAT;
	pb = decode_obj(root, req, field);
	json_decref(root);
	if (pb != BSF_PB_OK)
		memset(req, 0, sizeof(*req));
	return pb;
}

static int set_hex(json_t *o, const char *name, const uint8_t *v, size_t n)
{
	char hex[2 * GBA_GPI_MAX + 1];
	int r;

	if (n > GBA_GPI_MAX)
		return GBA_ERR_TOO_LARGE;
	r = gba_hex_encode(v, n, hex, sizeof(hex));
	if (r == GBA_OK && json_object_set_new(o, name, json_string(hex)))
		r = GBA_ERR_NOMEM;
	gba_cleanse(hex, sizeof(hex));
	return r;
}

static int set_time(json_t *o, const char *name, int64_t t)
{
	char buf[32];

	if (bsf_time_format(t, buf, sizeof(buf)) != GBA_OK)
		return GBA_ERR_INTERNAL;
	return json_object_set_new(o, name, json_string(buf)) ? GBA_ERR_NOMEM
							       : GBA_OK;
}

static int dump(json_t *o, char *out, size_t cap, size_t *out_len)
{
	size_t n = json_dumpb(o, out, cap, JSON_COMPACT);

	if (n == 0 || n >= cap)
		return GBA_ERR_NO_SPACE;
	out[n] = '\0';
	*out_len = n;
	return GBA_OK;
}

int bsf_nbsp_encode(const struct bsf_push_res *res, char *out, size_t cap,
		    size_t *out_len)
{
	json_t *o = json_object();
	int r;

	*out_len = 0;
	if (!o)
		return GBA_ERR_NOMEM;
	if ((r = set_hex(o, "gbaPushInfo", res->gpi, res->gpi_len)) ||
	    (r = set_hex(o, "meKeyMaterial", res->me_key,
			 sizeof(res->me_key))) ||
	    (res->has_uicc_key &&
	     (r = set_hex(o, "uiccKeyMaterial", res->uicc_key,
			  sizeof(res->uicc_key)))) ||
	    (r = set_time(o, "keyExpiryTime", res->key_expiry)) ||
	    (r = set_time(o, "bootstrappingInfoCreationTime", res->created)))
		goto out;
	/* ussList: a JSON string holding the <ussList> XML (uss.h choice 7;
	 * project choice, unconfirmed: mirrors the Diameter OctetString) */
	if (res->uss_list_len &&
	    json_object_set_new(o, "ussList",
				json_stringn(res->uss_list,
					     res->uss_list_len))) {
		r = GBA_ERR_NOMEM;
		goto out;
	}
	if (json_object_set_new(o, "gbaType", json_string("3G_GBA")) ||
	    (res->has_impi &&
	     json_object_set_new(o, "impi", json_string(res->impi))) ||
	    /* project choice: the P-TID the GPI carries, echoed back so a
	     * NAF that sent none learns the one the BSF generated */
	    json_object_set_new(o, "ptId", json_string(res->p_tid))) {
		r = GBA_ERR_NOMEM;
		goto out;
	}
	r = dump(o, out, cap, out_len);
out:
	json_decref(o); /* the wiping allocator cleanses the key strings */
	return r;
}

int bsf_nbsp_problem(enum bsf_problem pb, const char *field,
		     const char *detail, char *out, size_t cap,
		     size_t *out_len)
{
	const struct bsf_problem_info *pi = bsf_problem_info(pb);
	json_t *o = json_object(), *ip;
	int r = GBA_ERR_NOMEM;

	*out_len = 0;
	if (!o)
		return GBA_ERR_NOMEM;
	if (json_object_set_new(o, "title", json_string(pi->title)) ||
	    json_object_set_new(o, "status", json_integer(pi->status)) ||
	    json_object_set_new(o, "cause", json_string(pi->cause)))
		goto out;
	if (detail && json_object_set_new(o, "detail", json_string(detail)))
		goto out;
	if (field) {
		if (!(ip = json_array()))
			goto out;
		if (json_array_append_new(ip, json_pack("{s:s}", "param",
							 field))) {
			json_decref(ip);
			goto out;
		}
		if (json_object_set_new(o, "invalidParams", ip))
			goto out;
	}
	r = dump(o, out, cap, out_len);
out:
	json_decref(o);
	return r;
}
