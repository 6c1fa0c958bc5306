/*
 * diam_quiet.c - freeDiameter 1.2.1's per-message hooks without their
 * default handlers.
 *
 * libfdcore/hooks.c fd_hook_call(): a hook type nobody registered for runs
 * a default handler under one process-wide mutex, and for the types on the
 * path of every message that handler formats the message before the log
 * level is looked at: HOOK_MESSAGE_LOCAL (every request this process sends:
 * fd_msg_dump_full, the whole message with its AVP values, for a line
 * logged only by a debug build of freeDiameter), HOOK_MESSAGE_RECEIVED and
 * HOOK_MESSAGE_ROUTING_LOCAL/FORWARD (fd_msg_dump_summary, for a
 * debug-level line).  In gba-bsf's Zh mode that is three dumps and four
 * serialised mutex sections per GPI.  Registering a handler replaces the
 * default; this one writes the same debug line (header fields only, no
 * AVP) and only when the debug level is on.  The error and peer hook types
 * keep freeDiameter's defaults; SENT and DROPPED are diam_secret.c's.
 */
#include <stdint.h>
#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>
#include "diam_i.h"

static struct fd_hook_hdl *quiet;

static const char *what(enum fd_hook_type type)
{
	switch (type) {
	case HOOK_MESSAGE_RECEIVED: return "RCV";
	case HOOK_MESSAGE_LOCAL: return "LOCAL";
	case HOOK_MESSAGE_SENDING: return "SENDING";
	case HOOK_MESSAGE_ROUTING_FORWARD: return "FORWARDING";
	case HOOK_MESSAGE_ROUTING_LOCAL: return "DISPATCHING";
	case HOOK_MESSAGE_FAILOVER: return "FAILOVER";
	default: return "DATA";
	}
}

static void on_quiet(enum fd_hook_type type, struct msg *msg,
		     struct peer_hdr *peer, void *other,
		     struct fd_hook_permsgdata *pmd, void *regdata)
{
	struct msg_hdr *h;

	(void)other;
	(void)pmd;
	(void)regdata;
	if (!gba_diam_debug_on() || !msg || fd_msg_hdr(msg, &h))
		return;
	fd_log(FD_LOG_DEBUG,
	       "%s %s: command %u application %u flags 0x%02x hbh 0x%08x e2e 0x%08x",
	       what(type),
	       peer && peer->info.pi_diamid ? peer->info.pi_diamid : "-",
	       (unsigned)h->msg_code, (unsigned)h->msg_appl,
	       (unsigned)h->msg_flags, (unsigned)h->msg_hbhid,
	       (unsigned)h->msg_eteid);
}

int gba_diam_quiet_start(void)
{
	if (quiet)
		return 0;
	return fd_hook_register(
		HOOK_MASK(HOOK_DATA_RECEIVED, HOOK_MESSAGE_RECEIVED,
			  HOOK_MESSAGE_LOCAL, HOOK_MESSAGE_SENDING,
			  HOOK_MESSAGE_ROUTING_FORWARD,
			  HOOK_MESSAGE_ROUTING_LOCAL, HOOK_MESSAGE_FAILOVER),
		on_quiet, NULL, NULL, &quiet);
}

void gba_diam_quiet_stop(void)
{
	if (quiet)
		(void)fd_hook_unregister(quiet);
	quiet = NULL;
}
