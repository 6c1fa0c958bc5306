/*
 * libFuzzer target: the Nbsp PushInfoRequest decoder (bsf/src/nbsp.c,
 * TS 29.309 clause 6.1.6.2), one of the two parsers gba-bsf exposes to the
 * network, and the ProblemDetails (TS 29.571) it answers a refusal with.
 * Seeds: a full request, the required members only, a refused one.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "nbsp.h"
#include "req_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char out[8192];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bsf_push_req req;
	struct bsf_nbsp_invalid inv;
	enum bsf_problem pb;
	size_t n = 0, i;

	pb = bsf_nbsp_decode(data, size, &req, &inv);
	if (pb == BSF_PB_OK) {
		if (inv.n || inv.n_more)
			__builtin_trap();
		/* Nbsp: ptId and requestedLifeTime are mandatory */
		if (req.p_tid_len == 0 || !req.has_requested_expiry)
			__builtin_trap();
		fuzz_req_check(&req);
		return 0;
	}
	if (pb != BSF_PB_INVALID_MSG_FORMAT &&
	    pb != BSF_PB_MANDATORY_IE_MISSING &&
	    pb != BSF_PB_MANDATORY_IE_INCORRECT &&
	    pb != BSF_PB_OPTIONAL_IE_INCORRECT && pb != BSF_PB_PAYLOAD_TOO_LARGE)
		__builtin_trap();
	if (inv.n > BSF_NBSP_INVALID_MAX ||
	    (pb == BSF_PB_INVALID_MSG_FORMAT && inv.n))
		__builtin_trap();
	for (i = 0; i < inv.n; i++)
		if (inv.item[i].param[0] != '/' || !inv.item[i].reason ||
		    !memchr(inv.item[i].param, '\0', BSF_NBSP_PARAM_MAX))
			__builtin_trap();
	/* the refusal the client gets must always fit the daemon's buffer */
	if (bsf_nbsp_problem_invalid(pb, &inv, out, sizeof(out), &n) !=
		    GBA_OK ||
	    n == 0 || n >= sizeof(out))
		__builtin_trap();
	return 0;
}
