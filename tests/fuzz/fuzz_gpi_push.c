/*
 * libFuzzer: GPI push decode (WSP + envelope) for a fixed agent config
 * (short CT code 0x40 - a TEST value, not a 3GPP code - and app id 7),
 * and the bare envelope decoder.
 */
#include <stdint.h>
#include <stdlib.h>
#include "gba/gpi.h"
#include "gba/gpi_push.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct gba_gpi_push_cfg cfg = { .ct_code_set = 1,
						     .ct_code = 0x40,
						     .app_code = 7 };
	struct gba_wsp_push p;
	struct gba_gpi_env e;

	if (gba_gpi_env_decode(data, size, &e) == GBA_OK &&
	    (e.gpi_len == 0 || e.gpi_len > GBA_GPI_MAX || e.version != 1))
		abort();
	if (gba_gpi_push_decode(&cfg, data, size, &p, &e) == GBA_OK &&
	    (e.gpi_len == 0 || e.gpi + e.gpi_len != data + size))
		abort();
	return 0;
}
