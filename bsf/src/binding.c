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

/* in the order of struct bsf_binding's members (binding.h) */
static const struct bsf_binding bindings[] = {
	{ BSF_EP_NBSP, "/nbsp-gba/v1/push-info-retrieval", BSF_LOG_NBSP, 1,
	  "application/json", "application/json", "application/problem+json",
	  0, nbsp_decode, bsf_nbsp_encode, nbsp_problem, nbsp_refusal },
	/* SOAP 1.1 section 6.2 / WS-I BP R1126: every fault is a 500 */
	{ BSF_EP_ZPN, "/zpn", BSF_LOG_ZPN, 0, "text/xml",
	  "text/xml; charset=utf-8", "text/xml; charset=utf-8", 500,
	  zpn_decode, bsf_zpn_encode, bsf_zpn_fault, zpn_refusal },
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
