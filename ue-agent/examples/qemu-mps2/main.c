/*
 * main.c - the UE agent on a Cortex-M4 (QEMU mps2-an386): one static
 * context, the software USIM on Milenage (TS 35.206, key set 1 of
 * TS 35.208) and the configuration of the host tests
 * (tests/support/gbaue_test_ue.c), the board port of port.c, and a list
 * of SMS-DELIVER TPDUs generated on the build host (gen_pdus.sh).  Each
 * TPDU goes through gbaue_pdu_in() and the resulting event is printed
 * over semihosting; make test-firmware compares these lines with
 * golden.txt.
 *
 * Lines starting "insns:" are not compared: they give the guest
 * instructions one call took, measured with the FPGA I/O counter while
 * QEMU runs with -icount shift=0 (1 ns of virtual time per instruction,
 * 40 per 25 MHz tick, so each figure is exact to -0/+39 instructions and
 * includes the few instructions of reading the counter).  The
 * instructions spent in the port's save() (CRC-32 of the blob, copy to
 * the flash bank; measured the same way) are subtracted: the figures are
 * the agent's and the crypto's own work.
 */
#include <stdio.h>
#include <string.h>
#include "board.h"
#include "gba/crypto.h"
#include "gbaue/gbaue.h"
#include "gbaue/susim.h"
#include "gbaue_test_ue.h"

struct fw_pdu {
	const char *what;
	uint16_t len;
	uint8_t b[GBA_SMS_TPDU_MAX];
};
#include "fw_pdus.h"

#define N_PDUS (sizeof(fw_pdus) / sizeof(fw_pdus[0]))

static struct gbaue_ctx ctx;
static struct gbaue_susim usim;
static struct gbaue_port port;

static uint32_t insns_since(uint32_t t0)
{
	return (FW_COUNTER - t0) * FW_INSNS_PER_TICK;
}

static void print_event(unsigned i, const char *what,
			const struct gbaue_event *ev)
{
	size_t k, n;

	printf("%2u %-36s %s", i, what, gbaue_event_name(ev->type));
	switch (ev->type) {
	case GBAUE_EV_REJECTED:
	case GBAUE_EV_IGNORED:
		printf(" reason=%s", gbaue_reason_name(ev->reason));
		break;
	case GBAUE_EV_GPI_ACCEPTED:
		printf(" slot=%d naf_id_len=%u p_tid_len=%u expiry=%lu",
		       ev->sa_slot, (unsigned)ev->naf_id_len,
		       (unsigned)ev->p_tid_len, (unsigned long)ev->key_expiry);
		break;
	case GBAUE_EV_AUTS:
		printf(" rand=");
		for (k = 0; k < sizeof(ev->rand); k++)
			printf("%02x", ev->rand[k]);
		printf(" auts=");
		for (k = 0; k < sizeof(ev->auts); k++)
			printf("%02x", ev->auts[k]);
		break;
	case GBAUE_EV_TRIGGER:
		n = ev->payload_len < 40 ? ev->payload_len : 40;
		printf(" slot=%d sn=%lu len=%u payload=\"%.*s%s\"", ev->sa_slot,
		       (unsigned long)ev->sn, (unsigned)ev->payload_len, (int)n,
		       (const char *)ev->payload,
		       n < ev->payload_len ? "..." : "");
		break;
	default:
		break;
	}
	printf("\n");
}

/* average instructions of one AES-128 block (key schedule included) */
static void bench_aes(void)
{
	static const uint8_t key[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae,
					0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88,
					0x09, 0xcf, 0x4f, 0x3c};
	struct gba_aes128 a;
	uint8_t blk[16] = {0};
	uint32_t t0;
	unsigned i;
	int r = GBA_OK;

	t0 = FW_COUNTER;
	for (i = 0; i < 64 && r == GBA_OK; i++)
		r = gba_aes128_init(&a, key);
	printf("insns: AES-128 key schedule (%s) %lu\n", gba_aes128_impl(),
	       (unsigned long)(insns_since(t0) / 64));
	t0 = FW_COUNTER;
	for (i = 0; i < 64 && r == GBA_OK; i++)
		r = gba_aes128_encrypt(&a, blk, blk);
	printf("insns: AES-128 block (%s) %lu\n", gba_aes128_impl(),
	       (unsigned long)(insns_since(t0) / 64));
	gba_aes128_clear(&a);
}

/* indexes of the first and last TPDU labelled @prefix */
static int find(const char *prefix, unsigned *first, unsigned *last)
{
	unsigned i;
	int found = 0;

	for (i = 0; i < N_PDUS; i++)
		if (!strncmp(fw_pdus[i].what, prefix, strlen(prefix))) {
			if (!found)
				*first = i;
			*last = i;
			found = 1;
		}
	return found;
}

static int feed(unsigned i, unsigned tag)
{
	struct gbaue_event ev;
	uint32_t t0, n;
	int r;

	fw_port_save_insns = 0;
	t0 = FW_COUNTER;
	r = gbaue_pdu_in(&ctx, fw_pdus[i].b, fw_pdus[i].len, 0, &ev);
	n = insns_since(t0);
	/* the port's save (CRC-32, bank copy) is the board's, not the agent's
	 */
	n -= fw_port_save_insns;
	if (r != GBA_OK) {
		printf("%2u %-36s error %s\n", tag, fw_pdus[i].what,
		       gba_strerror(r));
		return r;
	}
	print_event(tag, fw_pdus[i].what, &ev);
	if (ev.type == GBAUE_EV_GPI_ACCEPTED)
		printf("insns: last segment to GPI accepted %lu\n",
		       (unsigned long)n);
	else if (ev.type == GBAUE_EV_TRIGGER)
		printf("insns: trigger verified (%u octets) %lu\n",
		       (unsigned)ev.payload_len, (unsigned long)n);
	else if (ev.type == GBAUE_EV_AUTS)
		printf("insns: last segment to AUTS %lu\n", (unsigned long)n);
	return 0;
}

int fw_main(void)
{
	static const char impi[] =
		"001010123456789@ims.mnc001.mcc001.3gppnetwork.org";
	struct gba_auth_key key;
	struct gbaue_cfg cfg;
	unsigned i, tag = 0, first = 0, last = 0;
	uint32_t seq;
	int r;

	printf("info: gbaue on Cortex-M4 (%s float ABI), crypto %s, AES %s\n",
#if defined(__ARM_PCS_VFP)
	       "hard",
#elif defined(__ARM_FP)
	       "softfp",
#else
	       "soft",
#endif
	       gba_crypto_backend(), gba_aes128_impl());
	printf("sizes: ctx %u octets, state blob %u octets, SA slots %u, "
	       "reassembly %u x %u segments, trigger max %u\n",
	       (unsigned)sizeof(ctx), (unsigned)GBAUE_STATE_BLOB_LEN,
	       (unsigned)GBAUE_SA_SLOTS, (unsigned)GBA_SMS_REASM_SLOTS,
	       (unsigned)GBA_SMS_REASM_MAX_SEGS, (unsigned)GBAUE_TRIGGER_MAX);
	if ((r = gbaue_selftest()) != GBA_OK) {
		printf("selftest failed: %s\n", gba_strerror(r));
		return 1;
	}
	printf("selftest OK\n");
	bench_aes();

	r = gbaue_test_ue(&key, &usim, 0, &cfg, impi, 32769, 16001);
	gba_cleanse(&key, sizeof(key));
	if (r != GBA_OK)
		return 1;
	fw_port_init(&port, &gbaue_susim_ops, &usim);
	cfg.allow_gba_u = 0;
	if ((r = gbaue_init(&ctx, &port, &cfg)) != GBA_OK) {
		printf("gbaue_init: %s\n", gba_strerror(r));
		return 1;
	}

	/* the first trigger is fed twice: first with a power cut during the
	 * save its acceptance makes, then again after gbaue_reset() */
	if (!find("trigger SN 1", &first, &last))
		return 1;
	for (i = 0; i < N_PDUS; i++) {
		if (i == first) {
			seq = fw_port_active_seq();
			fw_port_tear_next_save();
			r = feed(i, ++tag);
			printf("   power cut during save: bank seq %lu -> "
			       "%lu\n",
			       (unsigned long)seq,
			       (unsigned long)fw_port_active_seq());
			if (r != GBA_ERR_IO ||
			    (r = gbaue_reset(&ctx)) != GBA_OK) {
				printf("reset after power cut: %s\n",
				       gba_strerror(r));
				return 1;
			}
			printf("   gbaue_reset: state reloaded\n");
		}
		if (feed(i, ++tag) != GBA_OK)
			return 1;
	}
	printf("state: bank seq %lu\n", (unsigned long)fw_port_active_seq());
	gbaue_clear(&ctx);
	gbaue_susim_clear(&usim);
	printf("done\n");
	return 0;
}
