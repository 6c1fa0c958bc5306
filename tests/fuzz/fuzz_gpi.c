/*
 * libFuzzer target: GPI decode (key-less) and open with a fixed NAF key,
 * directly and from the decoded views
 * (common/src/gpi.c).  Seeds: the known-answer GPIs of tests/unit/test_gpi.c;
 * the key (fuzz_naf_key.h) is the one of seed 1.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "fuzz_naf_key.h"
#include "gba/gpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gba_gpi_info info;
	uint8_t p_tid[GBA_PTID_MAX], out[GBA_GPI_MAX];
	size_t n, out_len;
	int rd, ro;

	rd = gba_gpi_decode(data, size, &info);
	ro = gba_gpi_open(data, size, fuzz_naf_key, p_tid, sizeof(p_tid), &n);
	/* open never succeeds on something decode refuses */
	if (rd != GBA_OK && ro == GBA_OK)
		__builtin_trap();
	if (rd == GBA_OK) {
		if (info.naf_id_len > GBA_NAF_ID_MAX ||
		    info.app_label_len > GBA_APP_LABEL_MAX ||
		    info.p_tid_len > GBA_PTID_MAX)
			__builtin_trap();
		/* opening from the decoded views is opening */
		{
			uint8_t p2[GBA_PTID_MAX];
			size_t n2;
			int r2 = gba_gpi_open_decoded(data, size, &info,
						      fuzz_naf_key, p2,
						      sizeof(p2), &n2);

			if (r2 != ro ||
			    (ro == GBA_OK && (n2 != n || memcmp(p2, p_tid, n))))
				__builtin_trap();
		}
		/* a GPI that opens re-encodes to itself */
		if (ro == GBA_OK) {
			if (gba_gpi_build(&info, p_tid, n, fuzz_naf_key, out,
					  sizeof(out), &out_len) != GBA_OK ||
			    out_len != size || memcmp(out, data, size) != 0)
				__builtin_trap();
		}
	}
	return 0;
}
