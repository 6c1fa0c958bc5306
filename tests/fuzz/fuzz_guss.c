/*
 * libFuzzer target: GUSS XML parsing (bsf/src/guss.c) with and without USS
 * serialisation.  Seeds: a full GUSS, a minimal one, one with an entity.
 */
#include <stddef.h>
#include <stdint.h>
#include "guss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bsf_guss g;
	size_t i;

	if (bsf_guss_parse(data, size, BSF_GBA_XML, &g) == GBA_OK) {
		/* invariants of a success */
		if (g.n_uss > BSF_USS_MAX || size > BSF_GUSS_MAX)
			__builtin_trap();
		for (i = 0; i < g.n_uss; i++)
			if (g.uss[i].gsid[0] == '\0' || g.uss[i].xml == NULL)
				__builtin_trap();
	} else if (g.n_uss != 0) {
		__builtin_trap(); /* nothing escapes a failure */
	}
	bsf_guss_clear(&g);
	if (bsf_guss_parse(data, size, 0, &g) == GBA_OK)
		bsf_guss_clear(&g);
	return 0;
}
