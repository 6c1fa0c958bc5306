/*
 * agent_i.h - internals shared by the ue-agent modules (not installed).
 */
#ifndef GBAUE_AGENT_I_H
#define GBAUE_AGENT_I_H

#include "gbaue/gbaue.h"

#ifdef GBAUE_NO_LOG
#define GBAUE_LOG(ctx, lvl, msg, code) ((void)0)
#else
#define GBAUE_LOG(ctx, lvl, msg, code)                                         \
	do {                                                                   \
		if ((ctx)->port && (ctx)->port->log)                           \
			(ctx)->port->log((ctx)->port->arg, (lvl), (msg),       \
					 (code));                              \
	} while (0)
#endif

/*
 * gbaue_state_encode_() - serialise the persistent part of @ctx (slots,
 * RAND history, counters) into @out (GBAUE_STATE_BLOB_LEN octets).
 */
int gbaue_state_encode_(const struct gbaue_ctx *ctx, uint8_t *out, size_t cap,
			size_t *out_len);

/*
 * gbaue_state_decode_() - validate a blob completely, then load it into
 * @ctx.  Nothing changes on error.
 * Return: GBA_OK, GBA_ERR_TRUNCATED, GBA_ERR_TRAILING, GBA_ERR_MALFORMED
 * (bad magic, checksum, flags or SA record), GBA_ERR_VERSION.
 */
int gbaue_state_decode_(struct gbaue_ctx *ctx, const uint8_t *buf, size_t len);

#endif
