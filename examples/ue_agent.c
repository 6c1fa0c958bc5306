/*
 * ue_agent.c - minimal integration of the no-heap UE agent libgbapush-ue:
 * a platform port (clocks, state storage in memory), the software USIM,
 * one GPI (TS 33.223 clause 5.2.1) and one GPL-protected device trigger
 * (TS 33.224, TS 23.682 clause 5.2) fed in, the events printed.
 *
 *   ue_agent K-HEX OPC-HEX IMPI TRIGGER-PORT GPI-HEX SESSION TRIGGER-HEX
 *
 * A device feeds received SMS with gbaue_pdu_in() instead; a real port
 * stores the state blob in flash and talks to the UICC (gbaue/uicc.h).
 *
 * Build: cc ue_agent.c $(pkg-config --cflags --libs gbapush-ue)
 *    or: find_package(gbapush) and target_link_libraries(... gbapush::ue)
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gba/err.h>
#include <gba/hex.h>
#include <gba/aka.h>
#include <gbaue/gbaue.h>
#include <gbaue/susim.h>

static uint8_t saved[GBAUE_STATE_BLOB_LEN];
static size_t saved_len;

static uint64_t now_ms(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int wall_time(void *arg, uint64_t *unix_s)
{
	(void)arg;
	*unix_s = (uint64_t)time(NULL);
	return 0;
}

static int load(void *arg, uint8_t *buf, size_t cap, size_t *len)
{
	(void)arg;
	if (!saved_len)
		return 1; /* nothing saved yet */
	if (saved_len > cap)
		return -1;
	memcpy(buf, saved, saved_len);
	*len = saved_len;
	return 0;
}

static int save(void *arg, const uint8_t *buf, size_t len)
{
	(void)arg;
	if (len > sizeof(saved))
		return -1;
	memcpy(saved, buf, len);
	saved_len = len;
	return 0;
}

/* hex text (NUL-terminated) to octets, with the library's decoder */
static int hex_in(const char *s, uint8_t *out, size_t cap, size_t *n)
{
	return gba_hex_decode(s, strlen(s), out, cap, n) == GBA_OK ? 0 : -1;
}

/* a 16-bit decimal number, -1 when @s is not one */
static long u16_in(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	return (*s && !*end && v <= 0xffff) ? (long)v : -1;
}

static void show(const struct gbaue_event *ev)
{
	size_t i;

	printf("%s", gbaue_event_name(ev->type));
	if (ev->type == GBAUE_EV_REJECTED || ev->type == GBAUE_EV_IGNORED)
		printf(" reason=%s", gbaue_reason_name(ev->reason));
	if (ev->type == GBAUE_EV_TRIGGER) {
		printf(" sn=%llu payload=", (unsigned long long)ev->sn);
		for (i = 0; i < ev->payload_len; i++)
			printf("%02x", ev->payload[i]);
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	static struct gbaue_ctx ctx; /* about 10 kB: not on the stack */
	static struct gbaue_susim usim;
	struct gba_auth_key key = { 0 };
	struct gbaue_port port = { 0 };
	struct gbaue_cfg cfg;
	struct gbaue_event ev;
	static uint8_t gpi[GBA_GPI_MAX], trig[4096];
	size_t n, gpi_len, trig_len;
	long tport, session;
	int r;

	if (argc != 8 || hex_in(argv[1], key.k, 16, &key.k_len) != 0 ||
	    (tport = u16_in(argv[4])) <= 0 || (session = u16_in(argv[6])) < 0 ||
	    hex_in(argv[2], key.opc, 16, &n) != 0 ||
	    strlen(argv[3]) > GBA_IMPI_MAX ||
	    hex_in(argv[5], gpi, sizeof(gpi), &gpi_len) != 0 ||
	    hex_in(argv[7], trig, sizeof(trig), &trig_len) != 0) {
		fprintf(stderr, "usage: ue_agent K-HEX OPC-HEX IMPI "
				"TRIGGER-PORT GPI-HEX SESSION TRIGGER-HEX\n");
		return 2;
	}
	key.alg = GBA_ALG_MILENAGE;
	if (gbaue_selftest() != GBA_OK ||
	    gbaue_susim_init(&usim, &key, NULL, 0) != GBA_OK) {
		fprintf(stderr, "ue_agent: self-test or USIM set-up failed\n");
		return 1;
	}
	gba_auth_key_clear(&key);

	gbaue_cfg_default(&cfg);
	cfg.impi_len = strlen(argv[3]);
	memcpy(cfg.impi, argv[3], cfg.impi_len);
	cfg.trigger_port = (uint16_t)tport;
	port.now_ms = now_ms;
	port.wall_time = wall_time;
	port.load = load;
	port.save = save;
	port.usim = &gbaue_susim_ops;
	port.usim_arg = &usim;
	r = gbaue_init(&ctx, &port, &cfg);
	if (r == GBA_OK)
		r = gbaue_gpi_in(&ctx, gpi, gpi_len, (uint16_t)session, &ev);
	if (r == GBA_OK) {
		show(&ev);
		r = gbaue_datagram_in(&ctx, cfg.trigger_port, cfg.trigger_port,
				      trig, trig_len, &ev);
	}
	if (r == GBA_OK)
		show(&ev);
	else
		fprintf(stderr, "ue_agent: %s\n", gba_strerror(r));
	gbaue_clear(&ctx);
	gbaue_susim_clear(&usim);
	return r == GBA_OK ? 0 : 1;
}
