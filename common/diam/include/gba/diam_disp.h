/*
 * gba/diam_disp.h - the serving side of a gba_diam program (gba-hss's Zh
 * MAR, gba-bsf's Zpn GPR; TS 29.109 clauses 5.4 and 6.1): one dispatch
 * handler per command and the answer it sends, over freeDiameter 1.2's
 * own types (this header includes libfdcore.h).
 */
#ifndef GBA_DIAM_DISP_H
#define GBA_DIAM_DISP_H

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>
#include "gba/diam.h"

/* freeDiameter's dispatch callback (fd_disp_register) */
typedef int (*gba_diam_disp_cb)(struct msg **msg, struct avp *avp,
				struct session *sess, void *opaque,
				enum disp_action *act);

/**
 * gba_diam_handle() - register @cb for the requests of command @cmd of
 * application @app (DISP_HOW_CC) into *@hdl.  Return: 0, or -1.
 */
int gba_diam_handle(struct dict_object *app, struct dict_object *cmd,
		    gba_diam_disp_cb cb, struct disp_hdl **hdl);

/** gba_diam_unhandle() - unregister *@hdl (NULL: nothing), then NULL it */
void gba_diam_unhandle(struct disp_hdl **hdl);

/**
 * gba_diam_answer_send() - the end of a dispatch callback: send the answer
 * *@msg, or, @failed (it could not be built), send none (the peer times
 * out).  Whatever freeDiameter then frees (the answer not built or not
 * queued) has its secret AVPs wiped first (gba_diam_wipe_secrets()); a
 * queued one is wiped by gba_diam's hook once sent.
 * Return: 0, ENOMEM (@failed), EIO (not queued): the callback's return.
 */
int gba_diam_answer_send(struct msg **msg, int failed);

#endif
