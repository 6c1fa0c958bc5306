/*
 * libFuzzer: the UE agent fed a sequence of SMS PDUs / datagrams.
 * Input = records { flags(1) | len(2, BE) | data(len) }; flags bit 0: the
 * PDU has the SMSC address in front; bit 1: data is a datagram for the
 * trigger port (gbaue_datagram_in) instead of a PDU.  Each input starts
 * from a fresh context and software USIM (TS 35.208 set 1 subscriber,
 * fixed clocks), so a seed with a valid GPI followed by a trigger reaches
 * every stage.  Any return other than GBA_OK is a bug (storage never
 * fails here), as is any sanitizer report.
 * Seeds: tests/fuzz/corpus/gbaue_pdu/ (made with gbaue-testgen).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "gbaue/gbaue.h"
#include "gbaue/susim.h"
#include "gbaue_memport.h"

#define NOW 1790000000ull

/* the UE: tests/support/gbaue_memport.h, set up again for every input */
static struct gbaue_memue ue;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char impi[] =
		"001010123456789@ims.mnc001.mcc001.3gppnetwork.org";
	struct gbaue_event ev;
	size_t off = 0;

	if (gbaue_memue_setup(&ue, NOW, 5, 1, impi, 32769, 16001) != GBA_OK ||
	    gbaue_init(&ue.ctx, &ue.port, &ue.cfg) != GBA_OK)
		abort();
	while (size - off >= 3) {
		uint8_t flags = data[off];
		size_t len = (size_t)data[off + 1] << 8 | data[off + 2];
		int r;

		off += 3;
		if (len > size - off)
			len = size - off;
		if (flags & 2)
			r = gbaue_datagram_in(&ue.ctx, 16001, 9200, data + off,
					      len, &ev);
		else
			r = gbaue_pdu_in(&ue.ctx, data + off, len, flags & 1, &ev);
		if (r != GBA_OK)
			abort();
		off += len;
	}
	gbaue_clear(&ue.ctx);
	return 0;
}
