/*
 * nbsp.h - the Nbsp_GBA JSON binding of the GPI request/response:
 * 3GPP TS 29.309 (OpenAPI TS29309_Nbsp_GBA.yaml, digest S12),
 * POST {apiRoot}/nbsp-gba/v1/push-info-retrieval, PushInfoRequest ->
 * PushInfoResponse, errors as TS 29.571 ProblemDetails
 * (application/problem+json).
 *
 * Decoding is strict: wrong JSON types, bad hex, wrong hex lengths and
 * unknown enum values are rejected with the offending field named;
 * unknown members are ignored (OpenAPI extensibility).
 */
#ifndef BSF_NBSP_H
#define BSF_NBSP_H

#include <stddef.h>
#include <stdint.h>
#include "req.h"

/**
 * bsf_nbsp_decode() - parse a PushInfoRequest body.
 * @buf, @len: [in] request body (not NUL-terminated)
 * @req:       [out] zeroed first; valid only on BSF_PB_OK
 * @field:     [out] name of the rejected field (static string) or NULL
 * Return: BSF_PB_OK, BSF_PB_INVALID_MSG_FORMAT, BSF_PB_MANDATORY_IE_*,
 * BSF_PB_OPTIONAL_IE_INCORRECT.
 */
enum bsf_problem bsf_nbsp_decode(const uint8_t *buf, size_t len,
				 struct bsf_push_req *req,
				 const char **field);

/**
 * bsf_nbsp_encode() - PushInfoResponse JSON into @out (@cap octets).
 * The buffer holds key material: the caller wipes it (gba_cleanse).
 * Return: GBA_OK, GBA_ERR_NO_SPACE, GBA_ERR_NOMEM.  *@out_len set on OK.
 */
int bsf_nbsp_encode(const struct bsf_push_res *res, char *out, size_t cap,
		    size_t *out_len) GBA_WARN_UNUSED;

/**
 * bsf_nbsp_problem() - ProblemDetails JSON for @pb into @out.
 * @field: [in] invalid parameter name or NULL; @detail: [in] or NULL
 * Return: GBA_OK or GBA_ERR_NO_SPACE.
 */
int bsf_nbsp_problem(enum bsf_problem pb, const char *field,
		     const char *detail, char *out, size_t cap,
		     size_t *out_len) GBA_WARN_UNUSED;

/**
 * bsf_json_alloc_init() - route jansson allocations through a wiping
 * allocator (response objects hold key material).  Call once at start.
 */
void bsf_json_alloc_init(void);

#endif
