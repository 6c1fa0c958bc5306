/*
 * fw_image.c - a minimal bare-metal program that links the whole UE agent
 * the way firmware would: one static context, the software USIM, and the
 * skeleton port gbaue_port_none (ue-agent/src/port_none.c, the stub hooks
 * a porter replaces) with only its USIM hook set here.  It exists only so
 * that the Cortex-M4 build (make cross) can report what a firmware image really
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

int main(void)
{
	static struct gbaue_port port;
	struct gba_auth_key key = {.alg = GBA_ALG_MILENAGE, .k_len = 16};
	struct gbaue_cfg cfg;
	struct gbaue_event ev;
	struct gbaue_sa_info si;
	int r;

	port = gbaue_port_none;
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
