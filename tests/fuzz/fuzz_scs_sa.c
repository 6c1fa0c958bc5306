/*
 * libFuzzer target: the SCS's SA file decoder (scs/src/sa.c).  Invariants:
 * a decoded SA re-encodes and decodes to the same SA; a failed decode
 * leaves the output wiped.  Seeds: SA files written by scs_sa_save().
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "scs/scs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scs_sa sa, back;
	static uint8_t out[SCS_SA_FILE_MAX];
	static const struct scs_sa zero;
	size_t n;
	int r;

	r = scs_sa_decode(data, size, &sa);
	if (r != GBA_OK) {
		if (memcmp(&sa, &zero, sizeof(sa)) != 0)
			__builtin_trap();
		return 0;
	}
	if (scs_sa_encode(&sa, out, sizeof(out), &n) != GBA_OK ||
	    scs_sa_decode(out, n, &back) != GBA_OK ||
	    memcmp(&sa, &back, sizeof(sa)) != 0)
		__builtin_trap();
	return 0;
}
