/*
 * port_none.c - skeleton port for porters (style.md C12; compare hostap
 * os_none.c).  Copy this file into your firmware, fill in each hook, and
 * pass the struct to gbaue_init().  Every hook here fails safely: with it
 * unchanged the agent initialises (no saved state), reports no wall time
 * (so every GPI is rejected with GBAUE_R_NO_TIME) and refuses every save.
 * docs/internals/PORT.md describes what each hook must guarantee.
 *
 * It is compiled into libgbaue so that it keeps building; nothing calls it.
 */
#include <stddef.h>
#include <stdint.h>
#include "gbaue/port.h"

/* A monotonic millisecond counter, e.g. SysTick or an RTOS tick. */
static uint64_t none_now_ms(void *arg)
{
	(void)arg;
	return 0;
}

/* Unix seconds UTC from an RTC or network time (NITZ); nonzero = unknown. */
static int none_wall_time(void *arg, uint64_t *unix_s)
{
	(void)arg;
	*unix_s = 0;
	return -1;
}

/* A hardware TRNG or a DRBG seeded from one; nonzero = failure. */
static int none_random(void *arg, uint8_t *buf, size_t len)
{
	(void)arg;
	(void)buf;
	(void)len;
	return -1;
}

/* Read the state blob from private flash; return 1 if never written. */
static int none_load(void *arg, uint8_t *buf, size_t cap, size_t *len)
{
	(void)arg;
	(void)buf;
	(void)cap;
	*len = 0;
	return 1;
}

/* Write the blob atomically (two banks + sequence number, or a journal). */
static int none_save(void *arg, const uint8_t *buf, size_t len)
{
	(void)arg;
	(void)buf;
	(void)len;
	return -1;
}

/* Forward to the platform log; never print key material. */
static void none_log(void *arg, int level, const char *msg, int code)
{
	(void)arg;
	(void)level;
	(void)msg;
	(void)code;
}

/* Authenticate through the modem (AT+CSIM) or the UICC driver: see
 * gbaue/uicc.h for gbaue_uicc_ops, which only needs a transmit hook. */
static int none_authenticate(void *usim, const uint8_t rand[GBA_RAND_LEN],
			     const uint8_t autn[GBA_AUTN_LEN], int gba_u,
			     struct gbaue_usim_auth *out)
{
	(void)usim;
	(void)rand;
	(void)autn;
	(void)gba_u;
	(void)out;
	return GBA_ERR_IO;
}

static const struct gbaue_usim_ops none_usim = {
	.authenticate = none_authenticate,
	.naf_derive = NULL, /* no GBA_U */
	.finish = NULL,
};

/* The skeleton port, exported so the symbol is kept and can be looked at. */
GBA_EXPORT const struct gbaue_port gbaue_port_none = {
	.arg = NULL,
	.now_ms = none_now_ms,
	.wall_time = none_wall_time,
	.random = none_random,
	.load = none_load,
	.save = none_save,
	.log = none_log,
	.usim = &none_usim,
	.usim_arg = NULL,
};
