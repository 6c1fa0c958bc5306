/* diam_disp.c - see gba/diam_disp.h */
#include <errno.h>
#include <string.h>
#include "gba/diam_disp.h"

int gba_diam_handle(struct dict_object *app, struct dict_object *cmd,
		    gba_diam_disp_cb cb, struct disp_hdl **hdl)
{
	struct disp_when w;

	memset(&w, 0, sizeof(w));
	w.app = app;
	w.command = cmd;
	return fd_disp_register(cb, DISP_HOW_CC, &w, NULL, hdl) ? -1 : 0;
}

void gba_diam_unhandle(struct disp_hdl **hdl)
{
	if (*hdl)
		fd_disp_unregister(hdl, NULL);
	*hdl = NULL;
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
