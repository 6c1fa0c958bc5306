/*
 * libFuzzer target: what the SCS reads from the BSF (scs/src/json.c):
 * PushInfoResponse JSON and ProblemDetails.  Invariants: lengths within
 * their limits, messages NUL-terminated printable ASCII, failures leave no
 * key material behind.  Seeds: responses of tests/cli/scs_mockbsf.py and
 * gba-bsf ProblemDetails.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "scs/scs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_msg(const struct scs_error *e)
{
	size_t i, n = strnlen(e->msg, sizeof(e->msg));

	if (n == sizeof(e->msg))
		__builtin_trap();
	for (i = 0; i < n; i++)
		if ((unsigned char)e->msg[i] < 0x20 ||
		    (unsigned char)e->msg[i] > 0x7e)
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t zero[SCS_KEY_LEN];
	struct scs_gpi_resp r;
	struct scs_error e;
	size_t i;
	int rc;

	rc = scs_resp_parse((const char *)data, size, &r, &e);
	if (rc == GBA_OK) {
		if (r.gpi_len == 0 || r.gpi_len > GBA_GPI_MAX ||
		    strnlen(r.impi, sizeof(r.impi)) == sizeof(r.impi))
			__builtin_trap();
		if (r.n_uss > SCS_USS_MAX)
			__builtin_trap();
		for (i = 0; i < r.n_uss; i++)
			if (r.uss[i].n_ue_ids == 0 ||
			    r.uss[i].n_flags > SCS_USS_FLAGS_MAX ||
			    strnlen(r.uss[i].naf_group,
				    sizeof(r.uss[i].naf_group)) ==
				    sizeof(r.uss[i].naf_group) ||
			    strnlen(r.uss[i].ue_ids[0],
				    sizeof(r.uss[i].ue_ids[0])) == 0)
				__builtin_trap();
	} else {
		if (r.gpi_len != 0 || memcmp(r.me_key, zero, sizeof(zero)))
			__builtin_trap();
	}
	scs_gpi_resp_clear(&r);
	rc = scs_problem_map(400 + (long)(size % 200), (const char *)data, size,
			     &e);
	if (rc == GBA_OK)
		__builtin_trap();
	check_msg(&e);
	return 0;
}
