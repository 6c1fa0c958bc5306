/*
 * diam_i.h - inside gba_diam: the freeDiameter hooks, started and stopped
 * with the core (diam.c): the one that wipes the secret AVPs
 * (diam_secret.c) of the answers freeDiameter frees itself, and the one
 * that replaces the formatting default handlers of the per-message hook
 * types (diam_quiet.c).
 */
#ifndef GBA_DIAM_I_H
#define GBA_DIAM_I_H

/* register the HOOK_MESSAGE_SENT / HOOK_MESSAGE_DROPPED hook: 0 or errno */
int gba_diam_hook_start(void);
/* unregister it (idempotent) */
void gba_diam_hook_stop(void);
/* register the per-message hook of diam_quiet.c: 0 or errno */
int gba_diam_quiet_start(void);
/* unregister it (idempotent) */
void gba_diam_quiet_stop(void);
/* non-zero when freeDiameter's debug lines are kept (diam.c) */
int gba_diam_debug_on(void);

#endif
