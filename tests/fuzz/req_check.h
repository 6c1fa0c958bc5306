/*
 * req_check.h - what every GPI request a binding's decoder accepted
 * holds, whatever the input (fuzz_nbsp_req.c, fuzz_zpn_req.c): the
 * limits of bsf_limits.h and the NAF FQDN under the one rule
 * (gba/fqdn.h) in canonical form.  A violation traps.
 */
#ifndef GBA_FUZZ_REQ_CHECK_H
#define GBA_FUZZ_REQ_CHECK_H

#include <string.h>
#include "gba/fqdn.h"
#include "req.h"

static inline void fuzz_req_check(const struct bsf_push_req *r)
{
	size_t i, n = strlen(r->naf_fqdn);

	if (r->ue_id_len == 0 || r->ue_id_len > BSF_UE_ID_MAX ||
	    strlen(r->ue_id) != r->ue_id_len ||
	    r->app_label_len > BSF_APP_LABEL_MAX ||
	    r->p_tid_len > BSF_PTID_MAX || r->n_gs_ids > BSF_REQ_GSIDS_MAX)
		__builtin_trap();
	if (!gba_fqdn_valid(r->naf_fqdn, n) || r->naf_fqdn[n - 1] == '.')
		__builtin_trap();
	for (i = 0; i < n; i++)
		if (r->naf_fqdn[i] >= 'A' && r->naf_fqdn[i] <= 'Z')
			__builtin_trap();
}

#endif
