/*
 * diam_zpn.h - the Diameter binding of the GPI request (TS 29.109 clause
 * 5.4: GBA-Push-Info Request / Answer, command 312, application 16777220,
 * AVPs of clause 6.3), served from the same request core as Nbsp and the
 * Zpn web service (push.h): the GPR's AVPs become a struct bsf_push_req,
 * bsf_push_handle() answers, the result becomes the GPA.
 *
 * Push-NAF authorisation: the Diameter peer the GPR came from must have
 * authenticated with TLS (freeDiameter, TLS/TCP); its chain is verified
 * again as on HTTPS ([tls] ca and crl, TLS client key purpose), and the
 * identity of its certificate, under the one rule of tls_ident.h, is
 * looked up among the Push-NAFs of the store exactly as the HTTPS
 * certificate identity is.  A
 * peer without TLS is refused (5402).  The problems of problem.h map to
 * Result-Code / Experimental-Result in one table (diam_zpn.c, project
 * choice, unconfirmed: docs/diameter.md "Zpn over Diameter").
 */
#ifndef BSF_DIAM_ZPN_H
#define BSF_DIAM_ZPN_H

#include <stddef.h>
#include "config.h"
#include "problem.h"
#include "push.h"

/**
 * bsf_diam_zpn_start() - start the freeDiameter core with the
 * configuration file [diameter] conf of @cfg and serve GPR with @push
 * (borrowed until bsf_diam_zpn_stop()); loads [tls] for the peer check.
 * Return: GBA_OK, GBA_ERR_CONFIG, GBA_ERR_STATE, GBA_ERR_INTERNAL.
 */
int bsf_diam_zpn_start(const struct bsf_config *cfg,
		       struct bsf_push_ctx *push) GBA_WARN_UNUSED;

/**
 * bsf_diam_zpn_reload() - SIGHUP: load [tls] cert, key, ca, crl of @cfg
 * again for the peer check; on failure the current ones stay.
 * Return: GBA_OK or bsf_tlscred_load()'s error (@err says why).
 */
int bsf_diam_zpn_reload(const struct bsf_config *cfg, char *err,
			size_t err_len) GBA_WARN_UNUSED;

/** bsf_diam_zpn_stop() - stop serving, shut the core down (idempotent). */
void bsf_diam_zpn_stop(void);

/* the Diameter answer of one problem (table in diam_zpn.c) */
struct bsf_diam_result {
	unsigned code;     /* Result-Code, or Experimental-Result-Code */
	int experimental;  /* 1: Experimental-Result, vendor 10415 */
	const char *name;  /* RFC 6733 / TS 29.109 name */
};

/** bsf_diam_result() - the answer of @pb (never NULL). */
const struct bsf_diam_result *bsf_diam_result(enum bsf_problem pb);

#endif
