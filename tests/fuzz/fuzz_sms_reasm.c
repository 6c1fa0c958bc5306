/*
 * libFuzzer: a sequence of TPDUs into one reassembler.  Input format:
 * repeated [len (1 octet)] [len octets of TPDU]; the first octet is the
 * reassembler timeout.  Every complete datagram is checked against the
 * buffer bounds and handed to the WSP decoder.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "gba/sms.h"
#include "gba/wsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct gba_sms_reasm ra;
static uint8_t out[GBA_SMS_REASM_MSG_MAX];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gba_sms_tpdu t;
	struct gba_sms_msg m;
	struct gba_wsp_push p;
	uint64_t now = 0;
	size_t pos = 1, l;
	int r;

	if (size < 1)
		return 0;
	gba_sms_reasm_init(&ra, data[0] & 0x0f);
	while (pos < size) {
		l = data[pos++];
		if (l > size - pos)
			l = size - pos;
		if (gba_sms_tpdu_decode(data + pos, l, &t) == GBA_OK) {
			r = gba_sms_reasm_add(&ra, now++, &t, &m, out,
					      sizeof(out));
			if (r == GBA_OK) {
				if (m.len > sizeof(out) || m.data != out ||
				    m.nseg == 0 ||
				    m.nseg > GBA_SMS_REASM_MAX_SEGS)
					abort();
				(void)gba_wsp_push_decode_wdp(m.dst_port,
							      m.data, m.len,
							      &p);
			}
		}
		pos += l;
	}
	return 0;
}
