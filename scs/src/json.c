/*
 * see scs/scs.h - TS 29.309 PushInfoRequest / PushInfoResponse JSON and
 * TS 29.571 ProblemDetails, with jansson.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "gba/text.h"
#include "scs/scs.h"
#include "scs_i.h"

/* see scs/scs.h */
int scs_req_check(const struct scs_gpi_req *req)
{
	size_t n;

	if (!req || !req->ue_id || !req->naf_fqdn || !req->p_tid)
		return GBA_ERR_BAD_PARAM;
	if (req->ue_id_type != SCS_UE_ID_PUBLIC &&
	    req->ue_id_type != SCS_UE_ID_PRIVATE)
		return GBA_ERR_BAD_PARAM;
	n = strnlen(req->ue_id, SCS_UE_ID_MAX + 1);
	if (n == 0)
		return GBA_ERR_BAD_PARAM;
	if (n > SCS_UE_ID_MAX)
		return GBA_ERR_TOO_LARGE;
	n = strnlen(req->naf_fqdn, GBA_FQDN_MAX + 1);
	if (n == 0)
		return GBA_ERR_BAD_PARAM;
	if (n > GBA_FQDN_MAX)
		return GBA_ERR_TOO_LARGE;
	/* NAF_Id must be ASCII (gba_naf_id() refuses to derive otherwise) */
	if (!gba_text_in_range(req->naf_fqdn, n, 0x20, 0x7e))
		return GBA_ERR_UNSUPPORTED;
	n = strnlen(req->p_tid, GBA_PTID_MAX + 1);
	if (n == 0)
		return GBA_ERR_BAD_PARAM;
	if (n > GBA_PTID_MAX)
		return GBA_ERR_TOO_LARGE;
	if (req->uicc_app_label &&
	    strnlen(req->uicc_app_label, GBA_APP_LABEL_MAX + 1) >
		    GBA_APP_LABEL_MAX)
		return GBA_ERR_TOO_LARGE;
	if (req->requested_expiry == 0)
		return GBA_ERR_BAD_PARAM;
	return GBA_OK;
}

void scs_naf_fqdn_canon(const char *in, char out[GBA_FQDN_MAX + 1])
{
	size_t n = strnlen(in, GBA_FQDN_MAX), i;

	if (n > 1 && in[n - 1] == '.')
		n--;
	for (i = 0; i < n; i++)
		out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? (char)(in[i] + 32)
						       : in[i];
	out[n] = '\0';
}

static int set_new(json_t *o, const char *k, json_t *v)
{
	/* json_object_set_new() steals v even on failure */
	return (v && json_object_set_new(o, k, v) == 0) ? 0 : -1;
}

static json_t *hex_string(const uint8_t *b, size_t n)
{
	char h[2 * GBA_RAND_LEN + 1];

	if (2 * n + 1 > sizeof(h) || gba_hex_encode(b, n, h, sizeof(h)))
		return NULL;
	return json_string(h);
}

/* see scs/scs.h */
int scs_req_json(const struct scs_gpi_req *req, char *out, size_t cap,
		 size_t *out_len)
{
	json_t *o = NULL, *naf = NULL;
	char ua[2 * GBA_UA_ID_LEN + 1], when[32], fqdn[GBA_FQDN_MAX + 1];
	size_t n;
	int r;

	*out_len = 0;
	if (!out || cap == 0)
		return GBA_ERR_BAD_PARAM;
	out[0] = '\0';
	if ((r = scs_req_check(req)) != GBA_OK)
		return r;
	if ((r = scs_time_format(req->requested_expiry, when, sizeof(when))) ||
	    (r = gba_hex_encode(req->ua_id, GBA_UA_ID_LEN, ua, sizeof(ua))))
		return r;
	r = GBA_ERR_NOMEM;
	if (!(o = json_object()) || !(naf = json_object()))
		goto out;
	scs_naf_fqdn_canon(req->naf_fqdn, fqdn);
	if (set_new(naf, "nafFqdn", json_string(fqdn)) ||
	    set_new(naf, "uaSecProtId", json_string(ua)))
		goto out;
	if (set_new(o, "ueId", json_string(req->ue_id)) ||
	    set_new(o, "ueIdType",
		    json_string(req->ue_id_type == SCS_UE_ID_PRIVATE
					? "PRIVATE"
					: "PUBLIC")) ||
	    set_new(o, "uiccAppLabel",
		    json_string(req->uicc_app_label ? req->uicc_app_label
						    : "")) ||
	    set_new(o, "uiccOrMe",
		    json_string(req->gba_u ? "GBA_U" : "GBA_ME")))
		goto out;
	r = json_object_set(o, "nafId", naf) ? GBA_ERR_NOMEM : GBA_OK;
	if (r)
		goto out;
	r = GBA_ERR_NOMEM;
	if (set_new(o, "ptId", json_string(req->p_tid)) ||
	    set_new(o, "requestedLifeTime", json_string(when)))
		goto out;
	if (req->private_id_request &&
	    set_new(o, "privateIdRequest", json_true()))
		goto out;
	if (req->gba_u_aware && set_new(o, "gbaUAware", json_true()))
		goto out;
	if (req->resync &&
	    (set_new(o, "auts", hex_string(req->auts, SCS_AUTS_LEN)) ||
	     set_new(o, "rand", hex_string(req->rand, GBA_RAND_LEN))))
		goto out;
	n = json_dumpb(o, out, cap - 1, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (n == 0) {
		r = GBA_ERR_NOMEM;
		goto out;
	}
	if (n > cap - 1) {
		/* json_dumpb() reports the size it needed */
		out[0] = '\0';
		r = GBA_ERR_NO_SPACE;
		goto out;
	}
	out[n] = '\0';
	*out_len = n;
	r = GBA_OK;
out:
	json_decref(naf);
	json_decref(o);
	return r;
}

/* Copy peer text for a message: printable ASCII only, bounded. */
void scs_sanitize(char *dst, size_t cap, const char *src, size_t n)
{
	size_t i, k = 0;

	if (cap == 0)
		return;
	for (i = 0; i < n && src[i] && k + 1 < cap; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[k++] = (c >= 0x20 && c <= 0x7e) ? (char)c : '?';
	}
	dst[k] = '\0';
}

void scs_err_set(struct scs_error *e, long status, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	e->http_status = status;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

static int get_hex_member(json_t *o, const char *k, uint8_t *out, size_t n,
			  int required, int *present, struct scs_error *e)
{
	json_t *v = json_object_get(o, k);
	const char *s;
	int r;

	*present = 0;
	if (!v) {
		if (!required)
			return GBA_OK;
		scs_err_set(e, 200, "BSF response lacks required member %s", k);
		return GBA_ERR_MALFORMED;
	}
	if (!json_is_string(v)) {
		scs_err_set(e, 200, "BSF response member %s is not a string",
			    k);
		return GBA_ERR_MALFORMED;
	}
	s = json_string_value(v);
	/* key material: branch-free decoder with an exact length (C11) */
	if (json_string_length(v) != 2 * n) {
		scs_err_set(e, 200,
			    "BSF response member %s has %zu hex "
			    "digits, expected %zu",
			    k, json_string_length(v), 2 * n);
		return GBA_ERR_BAD_LENGTH;
	}
	if ((r = gba_hex_decode_exact(s, out, n)) != GBA_OK) {
		scs_err_set(e, 200, "BSF response member %s is not hex", k);
		return r;
	}
	*present = 1;
	return GBA_OK;
}

static int get_time_member(json_t *o, const char *k, uint64_t *t, int *present,
			   struct scs_error *e)
{
	json_t *v = json_object_get(o, k);

	*present = 0;
	*t = 0;
	if (!v)
		return GBA_OK;
	if (!json_is_string(v) ||
	    scs_time_parse(json_string_value(v), t) != GBA_OK) {
		scs_err_set(e, 200,
			    "BSF response member %s is not an RFC 3339 "
			    "date-time",
			    k);
		return GBA_ERR_MALFORMED;
	}
	*present = 1;
	return GBA_OK;
}

static int get_text_member(json_t *o, const char *k, char *out, size_t cap,
			   struct scs_error *e)
{
	json_t *v = json_object_get(o, k);

	out[0] = '\0';
	if (!v)
		return GBA_OK;
	if (!json_is_string(v)) {
		scs_err_set(e, 200, "BSF response member %s is not a string",
			    k);
		return GBA_ERR_MALFORMED;
	}
	if (json_string_length(v) >= cap) {
		scs_err_set(e, 200, "BSF response member %s longer than %zu", k,
			    cap - 1);
		return GBA_ERR_TOO_LARGE;
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		scs_err_set(e, 200, "BSF response member %s contains NUL", k);
		return GBA_ERR_MALFORMED;
	}
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return GBA_OK;
}

/* a TS 29.571 Uint32: a JSON integer in 0..4294967295 */
static int get_u32(json_t *v, uint32_t *out)
{
	json_int_t x;

	if (!json_is_integer(v) || (x = json_integer_value(v)) < 0 ||
	    x > (json_int_t)UINT32_MAX)
		return 0;
	*out = (uint32_t)x;
	return 1;
}

static const struct {
	const char *name;
	enum scs_key_choice kc;
} key_choices[] = {
	{"ME_BASED_KEY", SCS_KEY_CHOICE_ME_BASED_KEY},
	{"UICC_BASED_KEY", SCS_KEY_CHOICE_UICC_BASED_KEY},
	{"ME_UICC_BASED_KEYS", SCS_KEY_CHOICE_ME_UICC_BASED_KEYS},
};

/* one Uss (TS 29.309); @i is its index in ussList, for messages */
static int parse_uss(json_t *u, size_t i, struct scs_uss *out,
		     struct scs_error *e)
{
	json_t *ids, *fl, *v, *it;
	size_t k;

	if (!json_is_object(u)) {
		scs_err_set(e, 200, "ussList/%zu/uss is not an object", i);
		return GBA_ERR_MALFORMED;
	}
	if (!get_u32(json_object_get(u, "gsId"), &out->gs_id) ||
	    !get_u32(json_object_get(u, "gsType"), &out->gs_type)) {
		scs_err_set(e, 200,
			    "ussList/%zu/uss: gsId and gsType must be Uint32", i);
		return GBA_ERR_MALFORMED;
	}
	ids = json_object_get(u, "ueIds");
	if (!json_is_array(ids) || json_array_size(ids) == 0) {
		scs_err_set(e, 200,
			    "ussList/%zu/uss/ueIds is not a non-empty array", i);
		return GBA_ERR_MALFORMED;
	}
	json_array_foreach(ids, k, it) {
		v = json_is_object(it) ? json_object_get(it, "ueId") : NULL;
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    strlen(json_string_value(v)) != json_string_length(v)) {
			scs_err_set(e, 200,
				    "ussList/%zu/uss/ueIds/%zu lacks a ueId "
				    "string",
				    i, k);
			return GBA_ERR_MALFORMED;
		}
		if (json_string_length(v) > SCS_UE_ID_MAX) {
			scs_err_set(e, 200,
				    "ussList/%zu/uss/ueIds/%zu longer than %d",
				    i, k, SCS_UE_ID_MAX);
			return GBA_ERR_TOO_LARGE;
		}
		if (k < SCS_USS_UEIDS_MAX)
			memcpy(out->ue_ids[k], json_string_value(v),
			       json_string_length(v) + 1);
	}
	out->n_ue_ids = json_array_size(ids);
	if ((v = json_object_get(u, "nafGroup"))) {
		if (!json_is_string(v) ||
		    strlen(json_string_value(v)) != json_string_length(v)) {
			scs_err_set(e, 200,
				    "ussList/%zu/uss/nafGroup is not a string",
				    i);
			return GBA_ERR_MALFORMED;
		}
		if (json_string_length(v) > SCS_NAF_GROUP_MAX) {
			scs_err_set(e, 200,
				    "ussList/%zu/uss/nafGroup longer than %d", i,
				    SCS_NAF_GROUP_MAX);
			return GBA_ERR_TOO_LARGE;
		}
		memcpy(out->naf_group, json_string_value(v),
		       json_string_length(v) + 1);
	}
	if ((fl = json_object_get(u, "flags"))) {
		if (!json_is_array(fl) || json_array_size(fl) == 0) {
			scs_err_set(e, 200,
				    "ussList/%zu/uss/flags is not a non-empty "
				    "array",
				    i);
			return GBA_ERR_MALFORMED;
		}
		if (json_array_size(fl) > SCS_USS_FLAGS_MAX) {
			scs_err_set(e, 200,
				    "ussList/%zu/uss/flags: more than %d", i,
				    SCS_USS_FLAGS_MAX);
			return GBA_ERR_TOO_LARGE;
		}
		json_array_foreach(fl, k, it) {
			if (!json_is_object(it) ||
			    !get_u32(json_object_get(it, "flag"),
				     &out->flags[k])) {
				scs_err_set(e, 200,
					    "ussList/%zu/uss/flags/%zu/flag is "
					    "not a Uint32",
					    i, k);
				return GBA_ERR_MALFORMED;
			}
		}
		out->n_flags = json_array_size(fl);
	}
	if ((v = json_object_get(u, "keyChoice"))) {
		if (!json_is_string(v)) {
			scs_err_set(e, 200,
				    "ussList/%zu/uss/keyChoice is not a string",
				    i);
			return GBA_ERR_MALFORMED;
		}
		/* an extensible enumeration: unknown values are kept as such */
		out->key_choice = SCS_KEY_CHOICE_OTHER;
		for (k = 0; k < GBA_ARRAY_SIZE(key_choices); k++)
			if (!strcmp(json_string_value(v), key_choices[k].name))
				out->key_choice = key_choices[k].kc;
	}
	return GBA_OK;
}

/* ussList: an array of UssListItem {"uss": Uss}, minItems 1 (TS 29.309) */
static int parse_uss_list(json_t *o, struct scs_gpi_resp *resp,
			  struct scs_error *e)
{
	json_t *l = json_object_get(o, "ussList"), *it;
	size_t i;
	int r;

	if (!l)
		return GBA_OK;
	if (!json_is_array(l) || json_array_size(l) == 0) {
		scs_err_set(e, 200, "ussList is not a non-empty array");
		return GBA_ERR_MALFORMED;
	}
	if (json_array_size(l) > SCS_USS_MAX) {
		scs_err_set(e, 200, "ussList has more than %d items",
			    SCS_USS_MAX);
		return GBA_ERR_TOO_LARGE;
	}
	json_array_foreach(l, i, it) {
		if (!json_is_object(it) || !json_object_get(it, "uss")) {
			scs_err_set(e, 200, "ussList/%zu is not a UssListItem",
				    i);
			return GBA_ERR_MALFORMED;
		}
		if ((r = parse_uss(json_object_get(it, "uss"), i,
				   &resp->uss[i], e)) != GBA_OK)
			return r;
	}
	resp->n_uss = json_array_size(l);
	return GBA_OK;
}

/* see scs/scs.h */
int scs_resp_parse(const char *body, size_t len, struct scs_gpi_resp *resp,
		   struct scs_error *e)
{
	json_t *o = NULL, *v;
	json_error_t jerr;
	size_t hl;
	int r, present;

	memset(resp, 0, sizeof(*resp));
	if (e)
		memset(e, 0, sizeof(*e));
	if (!body)
		return GBA_ERR_BAD_PARAM;
	if (len > SCS_RESP_MAX) {
		scs_err_set(e, 200, "BSF response larger than %d octets",
			    SCS_RESP_MAX);
		return GBA_ERR_TOO_LARGE;
	}
	o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o || !json_is_object(o)) {
		scs_err_set(e, 200, "BSF response is not a JSON object");
		r = GBA_ERR_MALFORMED;
		goto out;
	}
	/* gbaPushInfo: required, pattern ^([A-Fa-f0-9]{2})+$ */
	v = json_object_get(o, "gbaPushInfo");
	if (!v || !json_is_string(v)) {
		scs_err_set(e, 200, "BSF response lacks gbaPushInfo");
		r = GBA_ERR_MALFORMED;
		goto out;
	}
	hl = json_string_length(v);
	if (hl == 0 || hl > 2 * GBA_GPI_MAX) {
		scs_err_set(e, 200,
			    "gbaPushInfo has %zu hex digits (1..%d "
			    "octets allowed)",
			    hl, GBA_GPI_MAX);
		r = hl ? GBA_ERR_TOO_LARGE : GBA_ERR_MALFORMED;
		goto out;
	}
	r = gba_hex_decode(json_string_value(v), hl, resp->gpi,
			   sizeof(resp->gpi), &resp->gpi_len);
	if (r) {
		scs_err_set(e, 200, "gbaPushInfo is not hex");
		goto out;
	}
	if ((r = get_hex_member(o, "meKeyMaterial", resp->me_key, SCS_KEY_LEN,
				1, &present, e)) ||
	    (r = get_hex_member(o, "uiccKeyMaterial", resp->uicc_key,
				SCS_KEY_LEN, 0, &resp->has_uicc_key, e)) ||
	    (r = get_time_member(o, "keyExpiryTime", &resp->key_expiry,
				 &resp->has_key_expiry, e)) ||
	    (r = get_time_member(o, "bootstrappingInfoCreationTime",
				 &resp->creation_time, &resp->has_creation_time,
				 e)) ||
	    (r = get_text_member(o, "gbaType", resp->gba_type,
				 sizeof(resp->gba_type), e)) ||
	    (r = get_text_member(o, "impi", resp->impi, sizeof(resp->impi),
				 e)) ||
	    (r = parse_uss_list(o, resp, e)))
		goto out;
	r = GBA_OK;
out:
	/* jansson keeps the key hex in its string buffers: wipe them */
	if (o) {
		const char *keys[] = {"meKeyMaterial", "uiccKeyMaterial"};
		size_t i;

		for (i = 0; i < GBA_ARRAY_SIZE(keys); i++) {
			v = json_object_get(o, keys[i]);
			if (v && json_is_string(v))
				gba_cleanse(
					(void *)(uintptr_t)json_string_value(v),
					json_string_length(v));
		}
		json_decref(o);
	}
	if (r)
		scs_gpi_resp_clear(resp);
	return r;
}

/* see scs/scs.h */
void scs_gpi_resp_clear(struct scs_gpi_resp *resp)
{
	if (resp)
		gba_cleanse(resp, sizeof(*resp));
}

/*
 * ProblemDetails.cause values (TS 29.571 Table 5.2.7.2-1 and those of
 * gba-bsf, bsf/src/req.c) and HTTP statuses, mapped to gba_err.  The
 * first matching cause wins; otherwise the status decides.
 */
static const struct {
	const char *cause;
	int err;
	const char *what;
} cause_map[] = {
	{"USER_NOT_FOUND", GBA_ERR_NOT_FOUND,
	 "unknown subscriber (or not served for this SCS)"},
	{"SUBSCRIBER_NOT_FOUND", GBA_ERR_NOT_FOUND, "unknown subscriber"},
	{"CONTEXT_NOT_FOUND", GBA_ERR_NOT_FOUND, "unknown subscriber"},
	{"UICC_APP_UNKNOWN", GBA_ERR_NOT_FOUND,
	 "UICC application label not known"},
	{"NAF_NOT_AUTHORIZED", GBA_ERR_NOT_AUTHORIZED,
	 "this SCS may not request GPIs for this NAF-Id or subscriber"},
	{"NOT_AUTHORIZED", GBA_ERR_NOT_AUTHORIZED,
	 "this SCS is not authorised for the request"},
	{"CLIENT_CERTIFICATE_REJECTED", GBA_ERR_NOT_AUTHORIZED,
	 "the BSF rejected this SCS's client certificate"},
	{"GBA_U_NOT_SUPPORTED", GBA_ERR_UNSUPPORTED,
	 "GBA_U not supported for this subscriber"},
	{"RESYNC_FAILURE", GBA_ERR_MAC, "AUTS did not verify (MAC-S)"},
	{"AUTS_INVALID", GBA_ERR_MAC, "AUTS did not verify (MAC-S)"},
	{"INVALID_AUTS", GBA_ERR_MAC, "AUTS did not verify (MAC-S)"},
	{"MANDATORY_IE_INCORRECT", GBA_ERR_BAD_PARAM,
	 "the BSF rejected a request member"},
	{"OPTIONAL_IE_INCORRECT", GBA_ERR_BAD_PARAM,
	 "the BSF rejected an optional request member"},
	{"MANDATORY_IE_MISSING", GBA_ERR_BAD_PARAM,
	 "the BSF misses a request member"},
	{"INVALID_MSG_FORMAT", GBA_ERR_BAD_PARAM,
	 "the BSF could not parse the request"},
	{"UNSUPPORTED_MEDIA_TYPE", GBA_ERR_BAD_PARAM,
	 "the BSF refused the content type"},
	{"PAYLOAD_TOO_LARGE", GBA_ERR_TOO_LARGE, "request too large"},
	{"RESOURCE_URI_STRUCTURE_NOT_FOUND", GBA_ERR_HTTP,
	 "no such resource at the BSF (check --bsf)"},
	{"METHOD_NOT_ALLOWED", GBA_ERR_HTTP,
	 "method not allowed (check --bsf)"},
	{"SQN_EXHAUSTED", GBA_ERR_SQN_EXHAUSTED,
	 "the subscriber's sequence numbers are exhausted"},
	{"NF_CONGESTION_RISK", GBA_ERR_RATE_LIMIT,
	 "rate limit for this SCS exceeded"},
	{"NF_CONGESTION", GBA_ERR_RATE_LIMIT, "the BSF is congested"},
	{"TOO_MANY_REQUESTS", GBA_ERR_RATE_LIMIT, "rate limited"},
	{"SYSTEM_FAILURE", GBA_ERR_HTTP, "BSF internal error"},
	{"SERVICE_UNAVAILABLE", GBA_ERR_TIMEOUT,
	 "the BSF is temporarily unavailable"},
};

static int status_map(long status, const char **what)
{
	switch (status) {
	case 400:
	case 411:
	case 415:
		*what = "the BSF rejected the request";
		return GBA_ERR_BAD_PARAM;
	case 401:
	case 403:
		*what = "the BSF refused this SCS";
		return GBA_ERR_NOT_AUTHORIZED;
	case 404:
		*what = "not found at the BSF";
		return GBA_ERR_NOT_FOUND;
	case 413:
		*what = "request too large for the BSF";
		return GBA_ERR_TOO_LARGE;
	case 429:
		*what = "rate limited by the BSF";
		return GBA_ERR_RATE_LIMIT;
	case 503:
	case 504:
		*what = "the BSF is unavailable";
		return GBA_ERR_TIMEOUT;
	default:
		*what = status >= 500 ? "BSF internal error"
				      : "unexpected answer from the BSF";
		return GBA_ERR_HTTP;
	}
}

/* see scs/scs.h */
int scs_problem_map(long status, const char *body, size_t len,
		    struct scs_error *e)
{
	json_t *o = NULL, *v;
	json_error_t jerr;
	const char *what = NULL;
	char detail[128] = "", param[64] = "", cause[64] = "";
	size_t i;
	int r;

	r = status_map(status, &what);
	if (body && len && len <= SCS_RESP_MAX)
		o = json_loadb(body, len, 0, &jerr);
	if (o && json_is_object(o)) {
		v = json_object_get(o, "cause");
		if (json_is_string(v))
			scs_sanitize(cause, sizeof(cause), json_string_value(v),
				     json_string_length(v));
		v = json_object_get(o, "detail");
		if (!json_is_string(v))
			v = json_object_get(o, "title");
		if (json_is_string(v))
			scs_sanitize(detail, sizeof(detail),
				     json_string_value(v),
				     json_string_length(v));
		v = json_object_get(o, "invalidParams");
		if (json_is_array(v) && json_array_size(v) > 0) {
			v = json_object_get(json_array_get(v, 0), "param");
			if (json_is_string(v))
				scs_sanitize(param, sizeof(param),
					     json_string_value(v),
					     json_string_length(v));
		}
	}
	json_decref(o);
	for (i = 0; cause[0] && i < GBA_ARRAY_SIZE(cause_map); i++)
		if (!strcmp(cause, cause_map[i].cause)) {
			r = cause_map[i].err;
			what = cause_map[i].what;
			break;
		}
	if (e) {
		char c[96] = "", d[160] = "", p[96] = "";

		if (cause[0])
			snprintf(c, sizeof(c), " (cause %s)", cause);
		if (detail[0])
			snprintf(d, sizeof(d), ": %s", detail);
		if (param[0])
			snprintf(p, sizeof(p), " [invalid member %s]", param);
		memset(e, 0, sizeof(*e));
		memcpy(e->cause, cause, sizeof(e->cause));
		scs_err_set(e, status, "BSF answered %ld: %s%s%s%s", status,
			    what, c, d, p);
	}
	return r;
}

/* ---- TS 29.571 DateTime = RFC 3339 date-time ---- */

/* see scs/scs.h */
int scs_time_format(uint64_t t, char *out, size_t cap)
{
	struct tm tm;
	time_t tt;

	if (!out || cap == 0)
		return GBA_ERR_BAD_PARAM;
	out[0] = '\0';
	if (t > 253402300799ULL) /* 9999-12-31T23:59:59Z */
		return GBA_ERR_BAD_PARAM;
	if (cap < 21)
		return GBA_ERR_NO_SPACE;
	tt = (time_t)t;
	if (!gmtime_r(&tt, &tm))
		return GBA_ERR_BAD_PARAM;
	if (strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
		return GBA_ERR_NO_SPACE;
	return GBA_OK;
}

/* see scs/scs.h; the parser is gba_datetime_parse() (gba/text.h) */
int scs_time_parse(const char *s, uint64_t *t)
{
	int64_t v;

	*t = 0;
	if (!s || gba_datetime_parse(s, strlen(s), &v) != GBA_OK)
		return GBA_ERR_MALFORMED;
	*t = (uint64_t)v;
	return GBA_OK;
}
