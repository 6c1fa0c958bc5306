/* diam_disp.c - see gba/diam_disp.h */
#include <errno.h>
#include <string.h>
#include "gba/diam_disp.h"

/* freeDiameter's dispatch callback around a gba_diam_handler */
static int on_request(struct msg **msg, struct avp *avp, struct session *sess,
		      void *opaque, enum disp_action *act)
{
	const struct gba_diam_handler *h = opaque;
	const struct gba_diam_dict *zd = gba_diam_zpn();

	(void)avp;
	(void)sess;
	*act = DISP_ACT_CONT;
	if (!msg || !*msg || !zd)
		return EINVAL;
	return h->cb(msg, zd);
}

int gba_diam_handle(struct dict_object *app, struct dict_object *cmd,
		    struct gba_diam_handler *h)
{
	struct disp_when w;

	memset(&w, 0, sizeof(w));
	w.app = app;
	w.command = cmd;
	return fd_disp_register(on_request, DISP_HOW_CC, &w, h, &h->hdl) ? -1
									  : 0;
}

void gba_diam_unhandle(struct gba_diam_handler *h)
{
	if (h->hdl)
		fd_disp_unregister(&h->hdl, NULL);
	h->hdl = NULL;
}

int gba_diam_answer_new(struct msg **msg, const struct gba_diam_dict *zd,
			uint32_t app)
{
	if (fd_msg_new_answer_from_req(fd_g_config->cnf_dict, msg, 0) ||
	    gba_diam_add_vsai(*msg, zd, app))
		return -1;
	return 0;
}

int gba_diam_answer_send(struct msg **msg, int failed)
{
	if (failed) {
		/* freeDiameter frees the partly built answer */
		gba_diam_wipe_secrets(*msg);
		return ENOMEM;
	}
	/* once sent (or dropped), freeDiameter frees the answer: gba_diam's
	 * hook wipes its secret AVPs first (diam_secret.c) */
	if (fd_msg_send(msg, NULL, NULL)) {
		gba_diam_wipe_secrets(*msg);
		return EIO;
	}
	return 0;
}

int gba_diam_each(msg_or_avp *parent,
		  int (*fn)(struct avp *a, struct avp_hdr *h, void *arg),
		  void *arg, int err)
{
	struct avp *a = NULL;

	if (fd_msg_browse(parent, MSG_BRW_FIRST_CHILD, &a, NULL))
		return err;
	while (a) {
		struct avp_hdr *h = NULL;
		int r;

		if (fd_msg_avp_hdr(a, &h))
			return err;
		if ((r = fn(a, h, arg)) != 0)
			return r;
		if (fd_msg_browse(a, MSG_BRW_NEXT, &a, NULL))
			return err;
	}
	return 0;
}
