/*
 * see replay.h - the GPL anti-replay window over SN_h (TS 33.224 V17.x
 * clause 3.1 SN_h).  The window itself is a PROJECT CHOICE, unconfirmed
 * (docs/wire-formats.md "GPL").
 */
#include "gba/err.h"
#include "gpl/gpl.h"
#include "replay.h"

/*
 * Anti-replay (project choice, unconfirmed; docs/wire-formats.md): a
 * sliding window of GPL_REPLAY_WINDOW SNs ending at SN_h, as in IPsec
 * (RFC 4303 3.4.3).  Bit i of @replay records SN_h - i.
 *   SN > SN_h            : new highest; slide the window up.
 *   SN_h - SN < WINDOW   : accepted once (SMS may reorder), then marked.
 *   SN_h - SN >= WINDOW  : too old, rejected.
 */
int gpl_replay_check(uint32_t sn_h, uint32_t replay, uint32_t sn,
		     uint32_t *sn_h_new, uint32_t *replay_new)
{
	uint32_t d;

	*sn_h_new = sn_h;
	*replay_new = replay;
	if (sn > sn_h) {
		d = sn - sn_h;
		*replay_new = d >= GPL_REPLAY_WINDOW ? 1u : (replay << d) | 1u;
		*sn_h_new = sn;
		return GBA_OK;
	}
	d = sn_h - sn;
	if (d >= GPL_REPLAY_WINDOW || (replay & (1u << d)))
		return GBA_ERR_REPLAY;
	*replay_new = replay | (1u << d);
	return GBA_OK;
}
