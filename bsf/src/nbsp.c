/* see nbsp.h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "nbsp.h"
#include "rfc3339.h"

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

/*
 * Decoding collects every invalid member (TS 29.571 ProblemDetails
 * invalidParams: one InvalidParam per member, param a JSON Pointer of
 * RFC 6901) instead of stopping at the first.  The problem reported is
 * the most severe one seen: missing mandatory > incorrect mandatory >
 * incorrect optional.
 */
static int severity(enum bsf_problem pb)
{
	switch (pb) {
	case BSF_PB_MANDATORY_IE_MISSING:
		return 3;
	case BSF_PB_MANDATORY_IE_INCORRECT:
		return 2;
	case BSF_PB_OPTIONAL_IE_INCORRECT:
		return 1;
	default:
		return 0;
	}
}

struct dec {
	struct bsf_nbsp_invalid *inv;
	enum bsf_problem pb; /* the most severe so far */
};

static void bad(struct dec *d, const char *ptr, enum bsf_problem pb,
		const char *reason)
{
	struct bsf_nbsp_invalid *inv = d->inv;

	if (severity(pb) > severity(d->pb))
		d->pb = pb;
	if (inv->n < BSF_NBSP_INVALID_MAX) {
		snprintf(inv->item[inv->n].param,
			 sizeof(inv->item[inv->n].param), "%s", ptr);
		inv->item[inv->n].reason = reason;
		inv->n++;
	} else {
		inv->n_more++;
	}
}

#define R_MISSING "mandatory member missing"
#define R_STRING "must be a JSON string without NUL characters"

/*
 * A string member: 1 and *@val set when present and a string; 0 when
 * absent (recorded as missing if @mand) or not a string (recorded).
 */
static int get_str(struct dec *d, json_t *obj, const char *name,
		   const char *ptr, int mand, const char **val, size_t *len)
{
	json_t *v = json_object_get(obj, name);

	*val = NULL;
	*len = 0;
	if (!v) {
		if (mand)
			bad(d, ptr, BSF_PB_MANDATORY_IE_MISSING, R_MISSING);
		return 0;
	}
	if (!json_is_string(v) ||
	    memchr(json_string_value(v), 0, json_string_length(v))) {
		bad(d, ptr,
		    mand ? BSF_PB_MANDATORY_IE_INCORRECT
			 : BSF_PB_OPTIONAL_IE_INCORRECT,
		    R_STRING);
		return 0;
	}
	*val = json_string_value(v);
	*len = json_string_length(v);
	return 1;
}

static void get_bool(struct dec *d, json_t *obj, const char *name,
		     const char *ptr, int *out)
{
	json_t *v = json_object_get(obj, name);

	*out = 0;
	if (!v)
		return;
	if (!json_is_boolean(v)) {
		bad(d, ptr, BSF_PB_OPTIONAL_IE_INCORRECT,
		    "must be true or false");
		return;
	}
	*out = json_is_true(v);
}


/* an optional hex member of exactly @want octets; 1 when present */
static int hex_field(struct dec *d, json_t *root, const char *name,
		     const char *ptr, uint8_t *out, size_t want,
		     const char *reason)
{
	const char *s;
	size_t n, got;

	if (!get_str(d, root, name, ptr, 0, &s, &n))
		return json_object_get(root, name) != NULL;
	if (n != 2 * want ||
	    gba_hex_decode(s, n, out, want, &got) != GBA_OK || got != want)
		bad(d, ptr, BSF_PB_OPTIONAL_IE_INCORRECT, reason);
	return 1;
}

static void decode_naf_id(struct dec *d, json_t *root,
			  struct bsf_push_req *req)
{
	json_t *naf = json_object_get(root, "nafId");
	const char *s;
	size_t n, got;

	if (!naf) {
		bad(d, "/nafId", BSF_PB_MANDATORY_IE_MISSING, R_MISSING);
		return;
	}
	if (!json_is_object(naf)) {
		bad(d, "/nafId", BSF_PB_MANDATORY_IE_INCORRECT,
		    "must be a NafId object");
		return;
	}
	if (get_str(d, naf, "nafFqdn", "/nafId/nafFqdn", 1, &s, &n)) {
		/* TS 29.571 Fqdn; the optional root dot is dropped and the
		 * name lower-cased once, here (gba/fqdn.h) */
		if (!bsf_req_set_text(req, BSF_RT_NAF_FQDN, s, n))
			bad(d, "/nafId/nafFqdn", BSF_PB_MANDATORY_IE_INCORRECT,
			    "not an FQDN (TS 29.571 Fqdn pattern)");
	}
	if (get_str(d, naf, "uaSecProtId", "/nafId/uaSecProtId", 1, &s, &n) &&
	    (n != 2 * GBA_UA_ID_LEN ||
	     gba_hex_decode(s, n, req->ua_id, GBA_UA_ID_LEN, &got) != GBA_OK))
		bad(d, "/nafId/uaSecProtId", BSF_PB_MANDATORY_IE_INCORRECT,
		    "must be 10 hexadecimal digits");
}

static void decode_gs_ids(struct dec *d, json_t *root,
			  struct bsf_push_req *req)
{
	json_t *gs = json_object_get(root, "gsIds"), *v;
	char ptr[BSF_NBSP_PARAM_MAX];
	size_t i;

	if (!gs)
		return;
	if (!json_is_array(gs) || json_array_size(gs) < 1 ||
	    json_array_size(gs) > BSF_REQ_GSIDS_MAX) {
		bad(d, "/gsIds", BSF_PB_OPTIONAL_IE_INCORRECT,
		    "must be an array of 1..16 GsId (Uint32)");
		return;
	}
	json_array_foreach(gs, i, v) {
		json_int_t x;

		if (!json_is_integer(v) || (x = json_integer_value(v)) < 0 ||
		    x > (json_int_t)UINT32_MAX) {
			snprintf(ptr, sizeof(ptr), "/gsIds/%zu", i);
			bad(d, ptr, BSF_PB_OPTIONAL_IE_INCORRECT,
			    "must be a Uint32 (0..4294967295)");
			continue;
		}
		req->gs_ids[i] = (uint32_t)x;
	}
	req->n_gs_ids = json_array_size(gs);
}

/* mandatory string @name (@ptr) by the rule of @f (bsf_req_set_text()) */
static void text_field(struct dec *d, json_t *root, const char *name,
		       const char *ptr, enum bsf_req_text f,
		       struct bsf_push_req *req, const char *why)
{
	const char *s;
	size_t n;

	if (get_str(d, root, name, ptr, 1, &s, &n) &&
	    !bsf_req_set_text(req, f, s, n))
		bad(d, ptr, BSF_PB_MANDATORY_IE_INCORRECT, why);
}

/* TS 29.309 clause 6.1.6.2 (structured data types), PushInfoRequest */
static void decode_obj(struct dec *d, json_t *root, struct bsf_push_req *req)
{
	const char *s;
	size_t n;
	int has_auts, has_rand;

	/* ueId: IMPI or IMPU text */
	text_field(d, root, "ueId", "/ueId", BSF_RT_UE_ID, req,
		   "must be 1..255 printable ASCII characters");
	text_field(d, root, "ueIdType", "/ueIdType", BSF_RT_UE_ID_TYPE, req,
		   "must be PUBLIC or PRIVATE");
	text_field(d, root, "uiccAppLabel", "/uiccAppLabel", BSF_RT_APP_LABEL,
		   req, "must be 0..32 printable ASCII characters");
	decode_naf_id(d, root, req);
	text_field(d, root, "ptId", "/ptId", BSF_RT_P_TID, req,
		   "must be 1..64 printable ASCII characters");
	text_field(d, root, "uiccOrMe", "/uiccOrMe", BSF_RT_UICC_ME, req,
		   "must be GBA_ME or GBA_U");
	/* a time in the past is refused later, by push.c, with its own
	 * reason (bsf_nbsp_problem) */
	if (get_str(d, root, "requestedLifeTime", "/requestedLifeTime", 1, &s,
		    &n)) {
		if (bsf_time_parse(s, n, &req->requested_expiry) != GBA_OK)
			bad(d, "/requestedLifeTime",
			    BSF_PB_MANDATORY_IE_INCORRECT,
			    "not an RFC 3339 date-time (TS 29.571 DateTime)");
		else
			req->has_requested_expiry = 1;
	}
	get_bool(d, root, "privateIdRequest", "/privateIdRequest",
		 &req->private_id_request);
	get_bool(d, root, "gbaUAware", "/gbaUAware", &req->gba_u_aware);
	decode_gs_ids(d, root, req);

	/* resynchronisation: auts (14 octets) and rand (16) come together */
	has_auts = hex_field(d, root, "auts", "/auts", req->auts,
			     GBA_AUTS_LEN, "must be 28 hexadecimal digits");
	has_rand = hex_field(d, root, "rand", "/rand", req->rand_,
			     GBA_RAND_LEN, "must be 32 hexadecimal digits");
	if (has_auts != has_rand)
		bad(d, has_auts ? "/rand" : "/auts",
		    BSF_PB_OPTIONAL_IE_INCORRECT,
		    "auts and rand must be given together");
	req->has_resync = has_auts && has_rand;
}

enum bsf_problem bsf_nbsp_decode(const uint8_t *buf, size_t len,
				 struct bsf_push_req *req,
				 struct bsf_nbsp_invalid *inv)
{
	struct dec d = { inv, BSF_PB_OK };
	json_error_t jerr;
	json_t *root;

	memset(req, 0, sizeof(*req));
	memset(inv, 0, sizeof(*inv));
	root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES,
			  &jerr);
	if (!root)
		return BSF_PB_INVALID_MSG_FORMAT;
	if (!json_is_object(root)) {
		json_decref(root);
		return BSF_PB_INVALID_MSG_FORMAT;
	}
	decode_obj(&d, root, req);
	json_decref(root);
	if (d.pb != BSF_PB_OK)
		memset(req, 0, sizeof(*req));
	return d.pb;
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

/* a decimal Uint32 (TS 29.571) without sign, spaces or leading zeros */
static int u32_text(const char *s, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!s || !s[0] || (s[0] == '0' && s[1]))
		return 0;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 10)
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return 0;
	*out = (uint32_t)v;
	return 1;
}

static int is_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)n->name, name);
}

static int set_u32(json_t *o, const char *name, uint32_t v)
{
	return json_object_set_new(o, name, json_integer((json_int_t)v));
}

/* one <uss> of the ussList document as a TS 29.309 Uss (uss.h choice 7) */
static int uss_json(const xmlNode *u, const char *ue_id, json_t **out)
{
	json_t *o = json_object(), *ids = json_array(), *fl = json_array();
	const xmlNode *c, *e;
	xmlChar *v = NULL;
	uint32_t x;
	int r = GBA_ERR_NOMEM;

	*out = NULL;
	if (!o || !ids || !fl)
		goto out;
	v = xmlGetNoNsProp(u, (const xmlChar *)"id");
	if (!u32_text((const char *)v, &x)) {
		r = GBA_ERR_MALFORMED; /* a Nbsp GSID is always a Uint32 */
		goto out;
	}
	xmlFree(v);
	v = NULL;
	if (set_u32(o, "gsId", x))
		goto out;
	/* gsType: uss@type; absent -> 0 (project choice, docs/bsf.md) */
	x = 0;
	v = xmlGetNoNsProp(u, (const xmlChar *)"type");
	if (v && !u32_text((const char *)v, &x)) {
		r = GBA_ERR_MALFORMED;
		goto out;
	}
	xmlFree(v);
	v = NULL;
	if (set_u32(o, "gsType", x))
		goto out;
	for (c = u->children; c; c = c->next) {
		for (e = is_el(c, "uids") || is_el(c, "flags") ? c->children
							      : NULL;
		     e; e = e->next) {
			xmlChar *t;
			int bad_el = 0;

			if (!is_el(e, is_el(c, "uids") ? "uid" : "flag"))
				continue;
			if (!(t = xmlNodeGetContent(e)))
				goto out;
			if (is_el(c, "uids"))
				bad_el = json_array_append_new(
					ids, json_pack("{s:s}", "ueId",
						       (const char *)t));
			else if (!u32_text((const char *)t, &x))
				bad_el = 2;
			else
				bad_el = json_array_append_new(
					fl, json_pack("{s:I}", "flag",
						      (json_int_t)x));
			xmlFree(t);
			if (bad_el) {
				r = bad_el == 2 ? GBA_ERR_MALFORMED
						: GBA_ERR_NOMEM;
				goto out;
			}
		}
	}
	/* ueIds is mandatory: a USS without <uids> applies to the identity
	 * the Push-NAF asked about (project choice, docs/bsf.md) */
	if (json_array_size(ids) == 0 &&
	    json_array_append_new(ids, json_pack("{s:s}", "ueId", ue_id)))
		goto out;
	if (json_object_set(o, "ueIds", ids))
		goto out;
	v = xmlGetNoNsProp(u, (const xmlChar *)"nafGroup");
	if (v && v[0] &&
	    json_object_set_new(o, "nafGroup", json_string((const char *)v)))
		goto out;
	if (json_array_size(fl) && json_object_set(o, "flags", fl))
		goto out;
	xmlFree(v);
	/* keyChoice: uiccSecurityLevel="1" -> UICC_BASED_KEY, else absent
	 * (project choice, unconfirmed, docs/bsf.md) */
	v = xmlGetNoNsProp(u, (const xmlChar *)"uiccSecurityLevel");
	if (v && !strcmp((const char *)v, "1") &&
	    json_object_set_new(o, "keyChoice", json_string("UICC_BASED_KEY")))
		goto out;
	if (!(*out = json_pack("{s:O}", "uss", o)))
		goto out;
	r = GBA_OK;
out:
	xmlFree(v);
	json_decref(o);
	json_decref(ids);
	json_decref(fl);
	return r;
}

/*
 * ussList (TS 29.309 clause 6.1.6.2, types PushInfoResponse,
 * UssListItem and Uss): the USSs uss.c selected, converted from
 * its checked <ussList> document; absent when nothing was selected
 * (minItems 1).
 */
static int uss_list_json(const struct bsf_push_res *res, json_t *o)
{
	xmlDocPtr d;
	xmlNodePtr root, c;
	json_t *arr = json_array(), *item;
	int r = GBA_OK;

	if (!arr)
		return GBA_ERR_NOMEM;
	d = xmlReadMemory(res->uss_list, (int)res->uss_list_len, NULL, "UTF-8",
			  XML_PARSE_NONET | XML_PARSE_NOERROR |
				  XML_PARSE_NOWARNING);
	if (!d || !(root = xmlDocGetRootElement(d)) ||
	    !is_el(root, "ussList"))
		r = GBA_ERR_INTERNAL;
	for (c = r == GBA_OK ? root->children : NULL; c && r == GBA_OK;
	     c = c->next) {
		if (!is_el(c, "uss"))
			continue;
		if ((r = uss_json(c, res->ue_id, &item)) == GBA_OK &&
		    json_array_append_new(arr, item))
			r = GBA_ERR_NOMEM;
	}
	xmlFreeDoc(d);
	if (r == GBA_OK && json_array_size(arr) &&
	    json_object_set(o, "ussList", arr))
		r = GBA_ERR_NOMEM;
	json_decref(arr);
	return r;
}

/* TS 29.309 clause 6.1.6.2, PushInfoResponse: schema members only */
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
	if (res->uss_list_len && (r = uss_list_json(res, o)) != GBA_OK)
		goto out;
	if (json_object_set_new(o, "gbaType", json_string("3G_GBA")) ||
	    (res->has_impi &&
	     json_object_set_new(o, "impi", json_string(res->impi)))) {
		r = GBA_ERR_NOMEM;
		goto out;
	}
	r = dump(o, out, cap, out_len);
out:
	json_decref(o); /* the wiping allocator cleanses the key strings */
	return r;
}

/*
 * The reason for a problem found after decoding (push.c names the member)
 * and the sentence of "detail".
 */
static const struct {
	enum bsf_problem pb;
	const char *field;
	const char *reason;
} late_reasons[] = {
	{ BSF_PB_MANDATORY_IE_INCORRECT, "requestedLifeTime",
	  "in the past: the key lifetime must end after the request" },
	{ BSF_PB_MANDATORY_IE_INCORRECT, "ueId",
	  "not a valid IMPI or IMPU" },
	{ BSF_PB_MANDATORY_IE_INCORRECT, "nafId",
	  "no NAF_Id can be built from it" },
	{ BSF_PB_NAF_NOT_AUTHORIZED, "nafId",
	  "this Push-NAF may not request keys for this NAF_Id" },
	{ BSF_PB_GBA_U_NOT_SUPPORTED, "uiccOrMe",
	  "GBA_U requested but the subscriber's UICC is not GBA_U capable" },
	{ BSF_PB_UICC_APP_UNKNOWN, "uiccAppLabel",
	  "no such application on the subscriber's UICC" },
	{ BSF_PB_RESYNC_FAILURE, "auts", "MAC-S of AUTS did not verify" },
};

static const char *late_reason(enum bsf_problem pb, const char *field)
{
	size_t i;

	for (i = 0; i < sizeof(late_reasons) / sizeof(late_reasons[0]); i++)
		if (late_reasons[i].pb == pb &&
		    !strcmp(late_reasons[i].field, field))
			return late_reasons[i].reason;
	return NULL;
}

static int problem_out(enum bsf_problem pb, const struct bsf_nbsp_invalid *inv,
		       const char *detail, char *out, size_t cap,
		       size_t *out_len)
{
	const struct bsf_problem_info *pi = bsf_problem_info(pb);
	json_t *o = json_object(), *ip = NULL;
	size_t i;
	int r = GBA_ERR_NOMEM;

	*out_len = 0;
	if (!o)
		return GBA_ERR_NOMEM;
	if (json_object_set_new(o, "title", json_string(pi->title)) ||
	    json_object_set_new(o, "status", json_integer(pi->status)) ||
	    json_object_set_new(o, "cause", json_string(pi->cause)) ||
	    json_object_set_new(o, "detail", json_string(detail)))
		goto out;
	if (inv && inv->n) {
		if (!(ip = json_array()))
			goto out;
		for (i = 0; i < inv->n && i < BSF_NBSP_INVALID_MAX; i++)
			if (json_array_append_new(
				    ip, json_pack("{s:s,s:s}", "param",
						  inv->item[i].param, "reason",
						  inv->item[i].reason)))
				goto out;
		if (json_object_set(o, "invalidParams", ip))
			goto out;
	}
	r = dump(o, out, cap, out_len);
out:
	json_decref(ip);
	json_decref(o);
	return r;
}

int bsf_nbsp_problem(enum bsf_problem pb, const char *field,
		     const char *detail, char *out, size_t cap,
		     size_t *out_len)
{
	struct bsf_nbsp_invalid inv;
	char text[BSF_NBSP_DETAIL_MAX];
	const char *reason;

	memset(&inv, 0, sizeof(inv));
	if (field) {
		reason = late_reason(pb, field);
		if (!reason)
			reason = bsf_problem_info(pb)->title;
		/* a member name from push.c, as a JSON Pointer (RFC 6901) */
		snprintf(inv.item[0].param, sizeof(inv.item[0].param), "%s%s",
			 field[0] == '/' ? "" : "/", field);
		inv.item[0].reason = reason;
		inv.n = 1;
		if (!detail) {
			snprintf(text, sizeof(text), "%s: %s",
				 inv.item[0].param, reason);
			detail = text;
		}
	}
	if (!detail)
		detail = bsf_problem_info(pb)->title;
	return problem_out(pb, field ? &inv : NULL, detail, out, cap, out_len);
}

int bsf_nbsp_problem_invalid(enum bsf_problem pb,
			     const struct bsf_nbsp_invalid *inv, char *out,
			     size_t cap, size_t *out_len)
{
	char text[BSF_NBSP_DETAIL_MAX];
	size_t i, o;
	int k;

	if (!inv || inv->n == 0)
		return bsf_nbsp_problem(
			pb, NULL,
			pb == BSF_PB_INVALID_MSG_FORMAT
				? "the request body is not a JSON object"
				: NULL,
			out, cap, out_len);
	/* "detail": every invalid member in words, in decoding order */
	k = snprintf(text, sizeof(text), "PushInfoRequest refused, %zu "
					 "invalid member%s:",
		     inv->n + inv->n_more, inv->n + inv->n_more > 1 ? "s" : "");
	o = k > 0 ? (size_t)k : 0;
	for (i = 0; i < inv->n && o < sizeof(text); i++) {
		k = snprintf(text + o, sizeof(text) - o, "%s %s %s",
			     i ? ";" : "", inv->item[i].param,
			     inv->item[i].reason);
		o += k > 0 ? (size_t)k : 0;
	}
	if (inv->n_more && o < sizeof(text))
		snprintf(text + o, sizeof(text) - o, "; and %zu more",
			 inv->n_more);
	return problem_out(pb, inv, text, out, cap, out_len);
}
