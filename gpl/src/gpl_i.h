/*
 * gpl_i.h - internals shared by gpl/src/sa.c and gpl/src/msg.c.
 * The cipher-suite table lives in msg.c; the replay window in sa.c.
 */
#ifndef GPL_I_H
#define GPL_I_H

#include <stddef.h>
#include <stdint.h>
#include "gpl/gpl.h"

enum gpl_enc {
	GPL_ENC_NULL,
	GPL_ENC_AES128_CTR,
};

/* One row of the cipher-suite table (project choice, unconfirmed). */
struct gpl_suite_def {
	uint8_t id;          /* wire identifier, enum gpl_suite */
	const char *name;
	enum gpl_enc enc;
	size_t mac_len;      /* HMAC-SHA-256 truncated to this many octets */
};

/* The table row for @id, or NULL. */
const struct gpl_suite_def *gpl_suite_find(int id);

/*
 * Replay window: may @sn be accepted given SN_h and the window bitmap?
 * Writes the state that accepting it would produce to *@sn_h_new and
 * *@replay_new (the caller commits them only after full success).
 * Return: GBA_OK or GBA_ERR_REPLAY.
 */
int gpl_replay_check(uint32_t sn_h, uint32_t replay, uint32_t sn,
		     uint32_t *sn_h_new, uint32_t *replay_new);

#endif
