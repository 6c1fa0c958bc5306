/*
 * fw_image.c - a minimal bare-metal program that links the whole UE agent
 * the way firmware would: one static context, the software USIM, the
 * skeleton port's hooks replaced by stubs.  It exists only so that the
 * Cortex-M4 build (make cross) can report what a firmware image really
 * pays after --gc-sections (arm-none-eabi-size) and the deepest stack
 * (scripts/stack_report.py).  Not meant to run: the image that runs (on
 * QEMU's Cortex-M4 mps2-an386, make test-firmware) is
 * ue-agent/examples/qemu-mps2.
 */
#include <stddef.h>
#include <stdint.h>
#include "gbaue/gbaue.h"
#include "gbaue/susim.h"
#include "gbaue/uicc.h"

int main(void);

static struct gbaue_ctx ctx; /* .bss: the whole agent state */
static struct gbaue_susim usim;
static uint8_t pdu[GBA_SMS_PDU_MAX];
static volatile size_t pdu_len;

static uint64_t fw_now_ms(void *arg)
{
	(void)arg;
	return 0;
}

static int fw_wall(void *arg, uint64_t *s)
{
	(void)arg;
	*s = 0;
	return -1;
}

static int fw_load(void *arg, uint8_t *buf, size_t cap, size_t *len)
{
	(void)arg;
	(void)buf;
	(void)cap;
	*len = 0;
	return 1;
}

static int fw_save(void *arg, const uint8_t *buf, size_t len)
{
	(void)arg;
	(void)buf;
	(void)len;
	return -1;
}

int main(void)
{
	static struct gbaue_port port;
	struct gba_auth_key key = {.alg = GBA_ALG_MILENAGE, .k_len = 16};
	struct gbaue_cfg cfg;
	struct gbaue_event ev;
	struct gbaue_sa_info si;
	int r;

	port.now_ms = fw_now_ms;
	port.wall_time = fw_wall;
	port.load = fw_load;
	port.save = fw_save;
	/* the UICC hook is linked too when a board selects it at run time */
	port.usim = pdu_len == 1 ? &gbaue_uicc_ops : &gbaue_susim_ops;
	port.usim_arg = &usim;
	if (gbaue_selftest() != GBA_OK ||
	    gbaue_susim_init(&usim, &key, NULL, 1) != GBA_OK)
		return 1;
	gbaue_cfg_default(&cfg);
	cfg.impi[0] = 'x';
	cfg.impi_len = 1;
	cfg.trigger_port = 16001;
	if (gbaue_init(&ctx, &port, &cfg) != GBA_OK)
		return 1;
	r = gbaue_pdu_in(&ctx, pdu, pdu_len, 1, &ev);
	r |= gbaue_gpi_in(&ctx, pdu, pdu_len, 0, &ev);
	r |= gbaue_datagram_in(&ctx, 16001, 9200, pdu, pdu_len, &ev);
	r |= gbaue_sa_get(&ctx, 0, &si);
	return r;
}
