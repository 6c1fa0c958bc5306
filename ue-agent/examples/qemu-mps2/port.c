/*
 * port.c - the gbaue_port of the QEMU mps2-an386 example
 * (docs/internals/PORT.md, docs/firmware-integration.md).
 *
 * Storage: two flash banks (simulated in RAM here; on a board they are two
 * erase sectors).  save() writes the new blob to the bank not in use with
 * sequence number + 1 and writes the header word that makes it valid last
 * (write-new-then-switch); load() takes the valid bank with the highest
 * sequence number.  A power cut at any point leaves either the old or the
 * new state, never a mix: a torn bank fails its CRC and is ignored.
 *
 * Time: the wall clock is fixed (1790000000, 2026-09-21 UTC) and the
 * monotonic clock advances one second per call, so a run is reproducible.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "board.h"

#define BANK_MAGIC 0x47424131u /* "GBA1" */

struct bank {
	uint32_t magic; /* written last: the bank is valid from then on */
	uint32_t seq;
	uint32_t len;
	uint32_t crc;
	uint8_t data[GBAUE_STATE_BLOB_LEN];
};

static struct bank flash_bank[2]; /* stands for two flash sectors */
static int active = -2;		  /* bank in use; -1 none, -2 not scanned */
static uint64_t mono_ms;
static int tear_next;

/* CRC-32 (IEEE 802.3, reflected 0xEDB88320), four bits per step */
static uint32_t crc32(const uint8_t *p, size_t n, uint32_t crc)
{
	static const uint32_t t[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
		0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
		0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
		0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c};

	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ t[crc & 15];
		crc = (crc >> 4) ^ t[crc & 15];
	}
	return ~crc;
}

static uint32_t bank_crc(const struct bank *b)
{
	uint32_t c = crc32((const uint8_t *)&b->seq, sizeof(b->seq), 0);

	c = crc32((const uint8_t *)&b->len, sizeof(b->len), c);
	return crc32(b->data, b->len, c);
}

static int bank_valid(const struct bank *b)
{
	return b->magic == BANK_MAGIC && b->len <= sizeof(b->data) &&
	       b->crc == bank_crc(b);
}

/* index of the bank holding the current state, -1 for none; both banks
 * are checked once (at start-up), then save() keeps track */
static int active_bank(void)
{
	int v0, v1;

	if (active != -2)
		return active;
	v0 = bank_valid(&flash_bank[0]);
	v1 = bank_valid(&flash_bank[1]);
	if (v0 && v1)
		active = flash_bank[1].seq > flash_bank[0].seq ? 1 : 0;
	else
		active = v0 ? 0 : v1 ? 1 : -1;
	return active;
}

uint32_t fw_port_active_seq(void)
{
	int a = active_bank();

	return a < 0 ? 0 : flash_bank[a].seq;
}

void fw_port_tear_next_save(void)
{
	tear_next = 1;
}

static int fw_save_bank(void *arg, const uint8_t *buf, size_t len);

static uint64_t fw_now_ms(void *arg)
{
	(void)arg;
	mono_ms += 1000;
	return mono_ms;
}

static int fw_wall_time(void *arg, uint64_t *unix_s)
{
	(void)arg;
	*unix_s = 1790000000u;
	return 0;
}

static int fw_load(void *arg, uint8_t *buf, size_t cap, size_t *len)
{
	int a;

	(void)arg;
	active = -2; /* (re)start: scan both banks */
	a = active_bank();
	if (a < 0)
		return 1; /* never saved */
	if (flash_bank[a].len > cap)
		return -1;
	memcpy(buf, flash_bank[a].data, flash_bank[a].len);
	*len = flash_bank[a].len;
	return 0;
}

uint32_t fw_port_save_insns;

static int fw_save(void *arg, const uint8_t *buf, size_t len)
{
	uint32_t t0 = FW_COUNTER;
	int r = fw_save_bank(arg, buf, len);

	fw_port_save_insns += (FW_COUNTER - t0) * FW_INSNS_PER_TICK;
	return r;
}

static int fw_save_bank(void *arg, const uint8_t *buf, size_t len)
{
	int a = active_bank();
	struct bank *nb = &flash_bank[a == 0 ? 1 : 0];
	uint32_t seq = a < 0 ? 1 : flash_bank[a].seq + 1;

	(void)arg;
	if (len > sizeof(nb->data))
		return -1;
	/* 1. erase the spare bank (invalidates it first) */
	memset(nb, 0xff, sizeof(*nb));
	/* 2. program the body */
	nb->seq = seq;
	nb->len = (uint32_t)len;
	memcpy(nb->data, buf, len);
	nb->crc = bank_crc(nb);
	if (tear_next) { /* power cut here: the magic word is never written */
		tear_next = 0;
		nb->data[0] ^= 0x5a;
		return -1;
	}
	/* 3. program the magic word: from now on the new bank wins */
	nb->magic = BANK_MAGIC;
	active = (int)(nb - flash_bank);
	return 0;
}

void fw_port_init(struct gbaue_port *port, const struct gbaue_usim_ops *usim,
		  void *usim_arg)
{
	/* start from the skeleton port (ue-agent/src/port_none.c) and set
	 * what this board has: clocks, flash banks, the USIM; no TRNG hook
	 * (the crypto backend's own generator stays) and no log sink */
	*port = gbaue_port_none;
	port->random = NULL;
	port->log = NULL;
	port->now_ms = fw_now_ms;
	port->wall_time = fw_wall_time;
	port->load = fw_load;
	port->save = fw_save;
	port->usim = usim;
	port->usim_arg = usim_arg;
}
