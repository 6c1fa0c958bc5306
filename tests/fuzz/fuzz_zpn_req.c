/*
 * libFuzzer target: the Zpn SOAP request decoder (bsf/src/zpn.c, TS 29.109
 * clause 5.5 with the project-choice names of docs/bsf.md), one of the two
 * parsers gba-bsf exposes to the network, and the SOAP 1.1 fault it
 * answers a refusal with.  Seeds: a full request, a minimal one, one with
 * a mustUnderstand header block, one with an internal entity.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "req_check.h"
#include "zpn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char out[4096];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bsf_push_req req;
	const char *field = NULL;
	enum bsf_problem pb;
	size_t n = 0, i;

	pb = bsf_zpn_decode(data, size, &req, &field);
	if (pb == BSF_PB_OK) {
		fuzz_req_check(&req);
		for (i = 0; i < req.n_gs_ids; i++)
			if (req.gs_id_text[i][0] == '\0' ||
			    strlen(req.gs_id_text[i]) > BSF_REQ_GSID_TEXT_MAX)
				__builtin_trap();
		return 0;
	}
	if ((unsigned)pb >= BSF_PB_COUNT_)
		__builtin_trap();
	/* the fault the client gets must always fit the daemon's buffer
	 * (http_request.c answers from BSF_HTTP_ERR_MAX octets; 2048
	 * here, the size it had before) */
	if (bsf_zpn_fault(pb, field, out, 2048, &n) != GBA_OK || n == 0 ||
	    n >= 2048)
		__builtin_trap();
	return 0;
}
