/*
 * diam_i.h - inside gba_diam: the freeDiameter hook that wipes the secret
 * AVPs (diam_secret.c) of the answers freeDiameter frees itself, started
 * and stopped with the core (diam.c).
 */
#ifndef GBA_DIAM_I_H
#define GBA_DIAM_I_H

/* register the HOOK_MESSAGE_SENT / HOOK_MESSAGE_DROPPED hook: 0 or errno */
int gba_diam_hook_start(void);
/* unregister it (idempotent) */
void gba_diam_hook_stop(void);

#endif
