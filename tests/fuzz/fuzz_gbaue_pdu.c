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

/* port: tests/support/gbaue_memport.h, cleared for every input */
static struct gbaue_memport mp;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t k[16] = {0x46, 0x5b, 0x5c, 0xe8, 0xb1, 0x99,
				      0xb4, 0x9f, 0xaa, 0x5f, 0x0a, 0x2e,
				      0xe2, 0x38, 0xa6, 0xbc};
	static const uint8_t opc[16] = {0xcd, 0x63, 0xcb, 0x71, 0x95, 0x4a,
					0x9f, 0x4e, 0x48, 0xa5, 0x99, 0x4e,
					0x37, 0xa0, 0x2b, 0xaf};
	static const char impi[] =
		"001010123456789@ims.mnc001.mcc001.3gppnetwork.org";
	static struct gbaue_ctx ctx;
	static struct gbaue_susim usim;
	struct gbaue_port port;
	struct gbaue_cfg cfg;
	struct gbaue_event ev;
	struct gba_auth_key key;
	size_t off = 0;

	memset(&key, 0, sizeof(key));
	key.alg = GBA_ALG_MILENAGE;
	key.k_len = 16;
	memcpy(key.k, k, 16);
	memcpy(key.opc, opc, 16);
	if (gbaue_susim_init(&usim, &key, NULL, 1) != GBA_OK)
		abort();
	memset(&port, 0, sizeof(port));
	gbaue_memport_init(&mp, &port, NOW, 5);
	port.log = NULL;
	port.usim = &gbaue_susim_ops;
	port.usim_arg = &usim;
	gbaue_cfg_default(&cfg);
	memcpy(cfg.impi, impi, sizeof(impi) - 1);
	cfg.impi_len = sizeof(impi) - 1;
	cfg.push.app_code = 32769;
	cfg.trigger_port = 16001;
	if (gbaue_init(&ctx, &port, &cfg) != GBA_OK)
		abort();
	while (size - off >= 3) {
		uint8_t flags = data[off];
		size_t len = (size_t)data[off + 1] << 8 | data[off + 2];
		int r;

		off += 3;
		if (len > size - off)
			len = size - off;
		if (flags & 2)
			r = gbaue_datagram_in(&ctx, 16001, 9200, data + off,
					      len, &ev);
		else
			r = gbaue_pdu_in(&ctx, data + off, len, flags & 1, &ev);
		if (r != GBA_OK)
			abort();
		off += len;
	}
	gbaue_clear(&ctx);
	return 0;
}
