/* see binding.h */
#include <string.h>
#include "binding.h"
#include "log.h"
#include "zpn.h"

static enum bsf_problem nbsp_decode(const uint8_t *buf, size_t len,
				    struct bsf_push_req *req,
				    struct bsf_refusal *ref)
{
	enum bsf_problem pb = bsf_nbsp_decode(buf, len, req, &ref->inv);

	ref->field = ref->inv.n ? ref->inv.item[0].param : NULL;
	return pb;
}

static int nbsp_problem(enum bsf_problem pb, const char *field, char *out,
			size_t cap, size_t *out_len)
{
	return bsf_nbsp_problem(pb, field, NULL, out, cap, out_len);
}

static int nbsp_refusal(enum bsf_problem pb, const struct bsf_refusal *ref,
			char *out, size_t cap, size_t *out_len)
{
	return bsf_nbsp_problem_invalid(pb, &ref->inv, out, cap, out_len);
}

static enum bsf_problem zpn_decode(const uint8_t *buf, size_t len,
				   struct bsf_push_req *req,
				   struct bsf_refusal *ref)
{
	ref->field = NULL;
	ref->inv.n = 0;
	ref->inv.n_more = 0;
	return bsf_zpn_decode(buf, len, req, &ref->field);
}

static int zpn_refusal(enum bsf_problem pb, const struct bsf_refusal *ref,
		       char *out, size_t cap, size_t *out_len)
{
	return bsf_zpn_fault(pb, ref->field, out, cap, out_len);
}

static const struct bsf_binding bindings[] = {
	{
		.ep = BSF_EP_NBSP,
		.path = "/nbsp-gba/v1/push-info-retrieval",
		.log_area = BSF_LOG_NBSP,
		.log_invalid = 1,
		.req_type = "application/json",
		.resp_type = "application/json",
		.err_type = "application/problem+json",
		.err_status = 0,
		.decode = nbsp_decode,
		.encode = bsf_nbsp_encode,
		.problem = nbsp_problem,
		.refusal = nbsp_refusal,
	},
	{
		.ep = BSF_EP_ZPN,
		.path = "/zpn",
		.log_area = BSF_LOG_ZPN,
		.log_invalid = 0,
		.req_type = "text/xml",
		.resp_type = "text/xml; charset=utf-8",
		.err_type = "text/xml; charset=utf-8",
		/* SOAP 1.1 section 6.2 / WS-I BP R1126: a fault is a 500 */
		.err_status = 500,
		.decode = zpn_decode,
		.encode = bsf_zpn_encode,
		.problem = bsf_zpn_fault,
		.refusal = zpn_refusal,
	},
};

const struct bsf_binding *bsf_binding_at(const char *path, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
		if (strlen(bindings[i].path) == len &&
		    !strncmp(path, bindings[i].path, len))
			return &bindings[i];
	return NULL;
}

const struct bsf_binding *bsf_binding_errors(enum bsf_endpoint ep)
{
	size_t i;

	for (i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
		if (bindings[i].ep == ep)
			return &bindings[i];
	return &bindings[0];
}
