/*
 * libFuzzer: WSP Push PDU decoder and Content-Type / uintvar primitives;
 * re-encoding a decoded PDU (its app id and raw headers) must decode to
 * the same content type, app id and body.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "gba/wsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t re[70000];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gba_wsp_push p, q;
	struct gba_wsp_ctype ct;
	struct gba_cur c;
	uint32_t v;
	size_t rl;

	gba_cur_init(&c, data, size);
	(void)gba_wsp_uintvar_get(&c, &v);
	gba_cur_init(&c, data, size);
	(void)gba_wsp_ctype_get(&c, &ct);
	if (gba_wsp_push_decode(data, size, &p) != GBA_OK)
		return 0;
	if (p.body_len > size || p.headers_len > size)
		abort();
	if (size > sizeof(re) - 16)
		return 0;
	/* re-encode: the app id is written again from the struct, so drop
	 * the raw header copy when it holds one */
	if (p.app_id.present)
		p.headers_len = 0;
	if (gba_wsp_push_encode(&p, re, sizeof(re), &rl) != GBA_OK)
		abort();
	if (gba_wsp_push_decode(re, rl, &q) != GBA_OK || q.tid != p.tid ||
	    q.ct.form != p.ct.form || q.ct.code != p.ct.code ||
	    q.ct.text_len != p.ct.text_len ||
	    q.app_id.present != p.app_id.present ||
	    q.app_id.code != p.app_id.code || q.body_len != p.body_len ||
	    (p.body_len && memcmp(q.body, p.body, p.body_len)))
		abort();
	return 0;
}
