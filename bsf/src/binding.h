/*
 * binding.h - one description per wire format of the GPI request and
 * response (TS 33.223 clause 4.2 over Zpn): what the request path of the
 * HTTPS front end (http_request.c) needs to know of a binding, so that it
 * has one path for all of them.
 *
 * Two instances today:
 *   Nbsp  TS 29.309 clause 6.1 JSON (nbsp.h), errors TS 29.571
 *         ProblemDetails with the problem's own HTTP status
 *   Zpn   TS 29.109 clause 5.5 SOAP 1.1 (zpn.h), every error a SOAP fault
 *         on HTTP 500 (SOAP 1.1 section 6.2)
 * The third binding, Diameter GPR/GPA (TS 29.109 clause 5.4), is not an
 * HTTP resource and so not in this table: diam_zpn.c maps the GPR's AVPs
 * to the same request model and calls the same push.c core.
 * The codecs map syntax only; the request check is push.c's.
 */
#ifndef BSF_BINDING_H
#define BSF_BINDING_H

#include <stddef.h>
#include <stdint.h>
#include "metrics.h"
#include "nbsp.h"
#include "problem.h"
#include "req.h"

/* why a request body was refused, in the terms of its binding */
struct bsf_refusal {
	const char *field;          /* the (first) member, or NULL */
	struct bsf_nbsp_invalid inv; /* Nbsp: every invalid member */
};

struct bsf_binding {
	enum bsf_endpoint ep;
	const char *path;           /* the resource (POST) */
	int log_area;               /* enum bsf_log_area of its lines */
	int log_invalid;            /* log the count of invalid members */
	const char *req_type;       /* request Content-Type (RFC 9110 8.3) */
	const char *resp_type;      /* Content-Type of a 200 */
	const char *err_type;       /* Content-Type of a refusal */
	int err_status;             /* 0: the problem's status; else this */
	/* the request body -> the model (req.h); @ref filled on a refusal */
	enum bsf_problem (*decode)(const uint8_t *buf, size_t len,
				   struct bsf_push_req *req,
				   struct bsf_refusal *ref);
	/* the answer; holds key material: the caller wipes @out */
	int (*encode)(const struct bsf_push_res *res, char *out, size_t cap,
		      size_t *out_len);
	/* a refusal found after decoding (@field or NULL) */
	int (*problem)(enum bsf_problem pb, const char *field, char *out,
		       size_t cap, size_t *out_len);
	/* a refused request body, as decode() described it */
	int (*refusal)(enum bsf_problem pb, const struct bsf_refusal *ref,
		       char *out, size_t cap, size_t *out_len);
};

/**
 * bsf_binding_at() - the binding served at @path (exact match; the query
 * part, if any, is the caller's to strip), or NULL.
 */
const struct bsf_binding *bsf_binding_at(const char *path, size_t len);

/**
 * bsf_binding_errors() - the binding whose error format a request to
 * @ep is answered in: its own, or Nbsp's ProblemDetails for a resource
 * that is no binding's (BSF_EP_OTHER).  Never NULL.
 */
const struct bsf_binding *bsf_binding_errors(enum bsf_endpoint ep);

#endif
