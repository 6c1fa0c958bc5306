/*
 * diam_secret.c - see gba/diam.h: the secret AVPs of Zh (TS 29.109 clause
 * 4.2 / 6.1, the Cx SIP-Auth-Data-Item of TS 29.229 clause 6.3.13) and of
 * Zpn (TS 29.109 clause 6.3.5 / 6.3.6 key material), one table, wiped in a
 * freeDiameter message before it is freed.
 *
 * Where freeDiameter 1.2.1 keeps the values (libfdproto/messages.c):
 * fd_msg_avp_setvalue() and the dictionary parse (fd_msg_parse_dict) both
 * copy an OctetString into a buffer of the AVP's own (os0dup), which is
 * what fd_msg_avp_hdr()'s avp_value->os.data points to; fd_msg_free()
 * frees it without wiping.  So the copy an AVP holds can be wiped in place.
 * What stays out of reach (the received raw buffer, the send buffer, TLS
 * records) is listed in docs/diameter.md "Secrets in Diameter messages".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>
#include "gba/crypto.h"
#include "gba/diam.h"
#include "diam_i.h"

/* vendor 10415 AVPs whose value is secret (TS 33.220 / TS 33.223) */
static const struct {
	unsigned code;
	const char *what;
} secret_avps[] = {
	{GBA_DIAM_SIP_AUTHORIZATION, "XRES in a MAA (RAND || AUTS in a MAR)"},
	{GBA_DIAM_CONFIDENTIALITY_KEY, "CK"},
	{GBA_DIAM_INTEGRITY_KEY, "IK"},
	{GBA_DIAM_ME_KEY_MATERIAL, "Ks_NAF / Ks_ext_NAF"},
	{GBA_DIAM_UICC_KEY_MATERIAL, "Ks_int_NAF"},
};

int gba_diam_secret_avp(uint32_t vendor, uint32_t code)
{
	size_t i;

	if (vendor != GBA_DIAM_VENDOR_3GPP)
		return 0;
	for (i = 0; i < sizeof(secret_avps) / sizeof(secret_avps[0]); i++)
		if (secret_avps[i].code == code)
			return 1;
	return 0;
}

/* an OctetString AVP by its dictionary model (not by a guess at the
 * union): a foreign dictionary object for the code is checked too */
static int is_octets(struct avp *a)
{
	struct dict_object *model = NULL;
	struct dict_avp_data d;

	if (fd_msg_model(a, &model) || !model || fd_dict_getval(model, &d))
		return 0;
	return d.avp_basetype == AVP_TYPE_OCTETSTRING;
}

static size_t wipe_children(msg_or_avp *parent)
{
	struct avp *a = NULL;
	size_t n = 0;

	if (fd_msg_browse(parent, MSG_BRW_FIRST_CHILD, &a, NULL))
		return 0;
	while (a) {
		struct avp_hdr *h = NULL;

		if (!fd_msg_avp_hdr(a, &h)) {
			if (gba_diam_secret_avp(h->avp_vendor, h->avp_code) &&
			    h->avp_value && h->avp_value->os.data &&
			    is_octets(a)) {
				gba_cleanse(h->avp_value->os.data,
					    h->avp_value->os.len);
				n++;
			}
			/* grouped AVPs (SIP-Auth-Data-Item): their children */
			n += wipe_children(a);
		}
		if (fd_msg_browse(a, MSG_BRW_NEXT, &a, NULL))
			break;
	}
	return n;
}

size_t gba_diam_wipe_secrets(void *m)
{
	return m ? wipe_children(m) : 0;
}

/*
 * Answers freeDiameter frees itself after sending (the MAA of gba-hss, the
 * GPA of gba-bsf): libfdcore/p_out.c do_send() calls HOOK_MESSAGE_SENT
 * once the send buffer is made and frees an answer right after sending;
 * every path that drops a message calls HOOK_MESSAGE_DROPPED before
 * freeing it.  Requests are left alone: a sent request is kept for
 * fail-over and may be sent again.  A registered hook replaces
 * freeDiameter's default for that hook type, whose DROPPED default dumps
 * the whole message (key AVPs in hex) at error level: the same dump is
 * logged here once the secrets are wiped.
 */
static struct fd_hook_hdl *hook;

/* freeDiameter's LOG_SPLIT: one log line per line of @buf */
static void log_lines(const char *buf)
{
	const char *nl;

	while ((nl = strchr(buf, '\n')) != NULL) {
		fd_log(FD_LOG_ERROR, "   %.*s", (int)(nl - buf), buf);
		buf = nl + 1;
	}
	fd_log(FD_LOG_ERROR, "   %s", buf);
}

static void on_hook(enum fd_hook_type type, struct msg *msg,
		    struct peer_hdr *peer, void *other,
		    struct fd_hook_permsgdata *pmd, void *regdata)
{
	struct msg_hdr *h = NULL;

	(void)peer;
	(void)pmd;
	(void)regdata;
	if (!msg)
		return;
	if (!fd_msg_hdr(msg, &h) && !(h->msg_flags & CMD_FLAG_REQUEST))
		gba_diam_wipe_secrets(msg);
	if (type == HOOK_MESSAGE_DROPPED) {
		char *buf = NULL;
		size_t len = 0;

		fd_log(FD_LOG_ERROR, "Message discarded ('%s'):",
		       other ? (const char *)other : "");
		if (fd_msg_dump_treeview(&buf, &len, NULL, msg, NULL, 0, 1))
			log_lines(buf);
		free(buf);
	}
}

int gba_diam_hook_start(void)
{
	if (hook)
		return 0;
	return fd_hook_register(
		HOOK_MASK(HOOK_MESSAGE_SENT, HOOK_MESSAGE_DROPPED), on_hook,
		NULL, NULL, &hook);
}

void gba_diam_hook_stop(void)
{
	if (hook)
		(void)fd_hook_unregister(hook);
	hook = NULL;
}
