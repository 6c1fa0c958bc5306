/*
 * gba/diam_disp.h - gba_diam helpers over freeDiameter 1.2's own types
 * (this header includes libfdcore.h): the serving side of a program
 * (gba-hss's Zh MAR, gba-bsf's Zpn GPR; TS 29.109 clauses 5.4 and 6.1),
 * one dispatch handler per command and the answer it sends, and the walk
 * over the AVPs of a received message.
 */
#ifndef GBA_DIAM_DISP_H
#define GBA_DIAM_DISP_H

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>
#include "gba/diam.h"

/*
 * struct gba_diam_handler - a request handler: @cb gets the request in
 * *@msg (never NULL) and the dictionary objects (core running), replaces
 * the request by its answer and returns through gba_diam_answer_send().
 * freeDiameter's own callback (fd_disp_register) around it leaves the
 * dispatch action at DISP_ACT_CONT.
 */
struct gba_diam_handler {
	int (*cb)(struct msg **msg, const struct gba_diam_dict *zd);
	struct disp_hdl *hdl; /* while registered */
};

/**
 * gba_diam_handle() - register @h for the requests of command @cmd of
 * application @app (DISP_HOW_CC).  Return: 0, or -1.
 */
int gba_diam_handle(struct dict_object *app, struct dict_object *cmd,
		    struct gba_diam_handler *h);

/** gba_diam_unhandle() - unregister @h (not registered: nothing) */
void gba_diam_unhandle(struct gba_diam_handler *h);

/**
 * gba_diam_answer_new() - replace the request *@msg by its answer
 * (fd_msg_new_answer_from_req) carrying Vendor-Specific-Application-Id
 * {10415, @app}.  Return: 0, or -1.
 */
int gba_diam_answer_new(struct msg **msg, const struct gba_diam_dict *zd,
			uint32_t app);

/**
 * gba_diam_answer_send() - the end of a dispatch callback: send the answer
 * *@msg, or, @failed (it could not be built), send none (the peer times
 * out).  Whatever freeDiameter then frees (the answer not built or not
 * queued) has its secret AVPs wiped first (gba_diam_wipe_secrets()); a
 * queued one is wiped by gba_diam's hook once sent.
 * Return: 0, ENOMEM (@failed), EIO (not queued): the callback's return.
 */
int gba_diam_answer_send(struct msg **msg, int failed);

/**
 * gba_diam_each() - call @fn(@a, @h, @arg) for each child AVP @a of
 * @parent (a message or a grouped AVP), in order, @h its header; stop at
 * the first non-zero return of @fn and return it.
 * Return: 0 (all walked), @fn's non-zero return, or @err when freeDiameter
 * cannot browse @parent or give a header.
 */
int gba_diam_each(msg_or_avp *parent,
		  int (*fn)(struct avp *a, struct avp_hdr *h, void *arg),
		  void *arg, int err);

#endif
