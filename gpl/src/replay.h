/*
 * replay.h - internal to libgpl: the anti-replay window over SN_h
 * (TS 33.224 V17.x clause 3.1; the window is a project choice,
 * unconfirmed: docs/wire-formats.md "GPL").  Used by msg.c
 * (gpl_unprotect); depends on nothing in libgpl.
 */
#ifndef GPL_REPLAY_H
#define GPL_REPLAY_H

#include <stdint.h>

/*
 * Replay window: may @sn be accepted given SN_h and the window bitmap?
 * Writes the state that accepting it would produce to *@sn_h_new and
 * *@replay_new (the caller commits them only after full success).
 * Return: GBA_OK or GBA_ERR_REPLAY.
 */
int gpl_replay_check(uint32_t sn_h, uint32_t replay, uint32_t sn,
		     uint32_t *sn_h_new, uint32_t *replay_new);

#endif
