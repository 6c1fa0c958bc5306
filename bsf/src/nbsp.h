/*
 * nbsp.h - the Nbsp_GBA JSON binding of the GPI request/response:
 * 3GPP TS 29.309 V17.1.0 / V18.1.0 clause 6.1 (OpenAPI TS29309_Nbsp_GBA),
 * POST {apiRoot}/nbsp-gba/v1/push-info-retrieval, PushInfoRequest ->
 * PushInfoResponse, errors as TS 29.571 ProblemDetails
 * (application/problem+json).
 *
 * Decoding is strict: wrong JSON types, bad hex, wrong hex lengths and
 * unknown enum values are rejected with every offending member named;
 * unknown members are ignored (OpenAPI extensibility).
 */
#ifndef BSF_NBSP_H
#define BSF_NBSP_H

#include <stddef.h>
#include <stdint.h>
#include "problem.h"
#include "req.h"

#define BSF_NBSP_INVALID_MAX 16 /* invalidParams items listed */
#define BSF_NBSP_PARAM_MAX 32   /* one JSON Pointer, e.g. "/gsIds/15" */
#define BSF_NBSP_DETAIL_MAX 1024

/**
 * struct bsf_nbsp_invalid - the invalid members of one request, in the
 * decoder's fixed order: TS 29.571 InvalidParam (param: a JSON Pointer,
 * RFC 6901, e.g. "/nafId/nafFqdn"; reason: static text).  @n_more counts
 * those past BSF_NBSP_INVALID_MAX.
 */
struct bsf_nbsp_invalid {
	size_t n;
	size_t n_more;
	struct {
		char param[BSF_NBSP_PARAM_MAX];
		const char *reason;
	} item[BSF_NBSP_INVALID_MAX];
};

/**
 * bsf_nbsp_decode() - parse a PushInfoRequest body (TS 29.309 clause
 * 6.1.6.2).  Every member the schema requires must be present; every
 * invalid member is recorded, not only the first.  nafId.nafFqdn must
 * match the TS 29.571 Fqdn pattern; a trailing dot is dropped and the name
 * is lower-cased (gba_fqdn_canon(), gba/fqdn.h).
 * @buf, @len: [in] request body (not NUL-terminated)
 * @req:       [out] zeroed first; valid only on BSF_PB_OK
 * @inv:       [out] zeroed first; the invalid members (none when the body
 *             is not a JSON object: BSF_PB_INVALID_MSG_FORMAT)
 * Return: BSF_PB_OK, BSF_PB_INVALID_MSG_FORMAT, or the most severe of
 * BSF_PB_MANDATORY_IE_MISSING > BSF_PB_MANDATORY_IE_INCORRECT >
 * BSF_PB_OPTIONAL_IE_INCORRECT.
 */
enum bsf_problem bsf_nbsp_decode(const uint8_t *buf, size_t len,
				 struct bsf_push_req *req,
				 struct bsf_nbsp_invalid *inv);

/**
 * bsf_nbsp_encode() - PushInfoResponse JSON into @out (@cap octets), with
 * the schema members only (TS 29.309 clause 6.1.6.2); ussList as an
 * array of UssListItem built from @res->uss_list (uss.h choice 7).
 * The buffer holds key material: the caller wipes it (gba_cleanse).
 * Return: GBA_OK, GBA_ERR_NO_SPACE, GBA_ERR_NOMEM, GBA_ERR_MALFORMED (a
 * selected USS whose id, type or flag is not a Uint32), GBA_ERR_INTERNAL.
 * *@out_len set on OK.
 */
int bsf_nbsp_encode(const struct bsf_push_res *res, char *out, size_t cap,
		    size_t *out_len) GBA_WARN_UNUSED;

/**
 * bsf_nbsp_problem() - ProblemDetails JSON (TS 29.571) for @pb into @out.
 * @field:  [in] the member a problem found after decoding refers to
 *          (push.c), or NULL; sent as one invalidParams item, a JSON
 *          Pointer with a reason ("requestedLifeTime" in the past has its
 *          own reason, apart from a malformed one)
 * @detail: [in] or NULL: then a sentence built from @field / the title
 * Return: GBA_OK or GBA_ERR_NO_SPACE.
 */
int bsf_nbsp_problem(enum bsf_problem pb, const char *field,
		     const char *detail, char *out, size_t cap,
		     size_t *out_len) GBA_WARN_UNUSED;

/**
 * bsf_nbsp_problem_invalid() - ProblemDetails for a refused request body:
 * every member of @inv in invalidParams, "detail" naming them all.
 * Return: GBA_OK or GBA_ERR_NO_SPACE.
 */
int bsf_nbsp_problem_invalid(enum bsf_problem pb,
			     const struct bsf_nbsp_invalid *inv, char *out,
			     size_t cap, size_t *out_len) GBA_WARN_UNUSED;

/**
 * bsf_json_alloc_init() - route jansson allocations through a wiping
 * allocator (response objects hold key material).  Call once at start.
 */
void bsf_json_alloc_init(void);

#endif
