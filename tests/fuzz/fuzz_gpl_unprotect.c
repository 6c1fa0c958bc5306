/*
 * libFuzzer target: GPL message parsing and unprotect against a fixed SA
 * (gpl/src/msg.c), plus the SA blob decoder on the same input.  Seeds: the
 * known-answer messages of tests/unit/test_gpl.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "fuzz_naf_key.h"
#include "gpl/gpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t naf_id[] = "scs01.iot.operator.example.com"
					"\x01\x00\x00\x00\x05";
	uint8_t rnd[16], out[GPL_MSG_MAX], blob[GPL_SA_BLOB_LEN];
	struct gpl_sa sa, before;
	struct gpl_msg_hdr h;
	size_t i, n;
	int r;

	for (i = 0; i < 16; i++)
		rnd[i] = (uint8_t)(0xa0 + i);
	/* the suite follows the input, so both suites get exercised */
	if (gpl_sa_init(&sa, fuzz_naf_key, naf_id, sizeof(naf_id) - 1, rnd,
			(const uint8_t *)"a3f9c2e1b7d40856", 16, 1798761600u,
			size > 1 && data[1] == GPL_SUITE_NULL_HMAC256_128 ?
				GPL_SUITE_NULL_HMAC256_128 :
				GPL_SUITE_AES128CTR_HMAC256_128) != GBA_OK)
		__builtin_trap();
	memcpy(&before, &sa, sizeof(sa));
	(void)gpl_msg_peek(data, size, &h);
	r = gpl_unprotect(&sa, 1798761600u - 1, data, size, out, sizeof(out),
			  &n);
	if (r != GBA_OK && memcmp(&sa, &before, sizeof(sa)) != 0)
		__builtin_trap(); /* state changed on a failure */
	if (r == GBA_OK && (n > GPL_PAYLOAD_MAX || sa.sn_h == 0))
		__builtin_trap();
	gpl_sa_clear(&sa);
	if (gpl_sa_decode(data, size, &sa) == GBA_OK) {
		/* a blob that decodes re-encodes to itself */
		if (gpl_sa_encode(&sa, blob, sizeof(blob)) != GBA_OK ||
		    memcmp(blob, data, sizeof(blob)) != 0)
			__builtin_trap();
	}
	gpl_sa_clear(&sa);
	return 0;
}
