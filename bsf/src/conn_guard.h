/*
 * conn_guard.h - budgets and deadlines for the HTTPS connections of
 * gba-bsf, so that unauthenticated peers cannot lock Push-NAFs (SCSs)
 * out and one Push-NAF certificate cannot take every connection slot.
 *
 * Resource protection of the SCS-facing reference point (TS 33.187,
 * availability of the Zpn / Nbsp service of TS 33.223 clause 4.3.1 and
 * TS 29.309); TLS per RFC 8446 / RFC 5246.  Limits, deadlines and their
 * defaults are project choices (docs/bsf.md "Connection guard").
 *
 * Life of a connection (one entry per accepted socket):
 *   accept -> HANDSHAKE: counted in max_handshakes and, per client
 *     address, in per_ip_handshakes (over either: closed on accept);
 *     closed if the handshake is not finished handshake_timeout after
 *     accept.
 *   handshake finished -> authenticated (IDLE): counted in
 *     max_connections and, per client certificate, in per_naf_connections
 *     (over either: closed at once).
 *   first octet of a request -> HEAD: the whole head within
 *     header_timeout; head complete -> BODY: the body and the answer
 *     within body_timeout; request done -> IDLE (MHD's inactivity
 *     timeout, [limits] connection_timeout, applies).
 * Overdue connections are shut down (shutdown(2)) by the guard's thread,
 * which scans every BSF_GUARD_TICK_MS; libmicrohttpd then closes them.
 * Failed handshakes are classified here and reported through
 * bsf_tls_fail_note() (tls_fail.h).
 */
#ifndef BSF_CONN_GUARD_H
#define BSF_CONN_GUARD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include "config.h"

struct bsf_guard;

/**
 * bsf_guard_verify_fn - the server's check of a client chain @certs (DER,
 * leaf first, @n >= 1) on session @s.  Return: NULL when trusted, else a
 * reason name of tls_fail.h ("untrusted", "revoked", ...).
 */
typedef const char *(*bsf_guard_verify_fn)(gnutls_session_t s,
					   const gnutls_datum_t *certs,
					   unsigned n);

/**
 * bsf_guard_new() - the guard for @cfg, with its deadline thread.
 * @verify: the client-certificate check the guard runs during every
 *          handshake (and whose refusal reason it reports); NULL: none.
 * Return: NULL on allocation or thread failure.
 */
struct bsf_guard *bsf_guard_new(const struct bsf_config *cfg,
				bsf_guard_verify_fn verify);
/** bsf_guard_quiesce() - server stopping: closes are no longer failures. */
void bsf_guard_quiesce(struct bsf_guard *g);
/** bsf_guard_free() - stop the thread, free (after the workers stopped). */
void bsf_guard_free(struct bsf_guard *g);

/**
 * bsf_guard_ip_key() - the 17-octet key of a client address for per-IP
 * accounting: family tag (4, 6, or 1 for any other family, one shared
 * bucket) and the address, zero-padded.  Also the acceptor's (http_accept.c).
 */
void bsf_guard_ip_key(const struct sockaddr *sa, uint8_t k[17]);

/**
 * bsf_guard_admit() - acceptor: may socket @fd from @sa start a handshake?
 * Return: a handle >= 0, or -1 when refused (counted; close the socket).
 */
int bsf_guard_admit(struct bsf_guard *g, int fd, const struct sockaddr *sa,
		    socklen_t sl);
/** bsf_guard_unadmit() - MHD_add_connection() refused handle @h. */
void bsf_guard_unadmit(struct bsf_guard *g, int h);

/* MHD notifications (worker threads) */
void bsf_guard_started(struct bsf_guard *g, struct MHD_Connection *c);
void bsf_guard_closed(struct bsf_guard *g, struct MHD_Connection *c);
/** bsf_guard_head_done() - request head complete (first handler call). */
void bsf_guard_head_done(struct MHD_Connection *c);
/** bsf_guard_req_done() - request completed (answer sent or aborted). */
void bsf_guard_req_done(struct MHD_Connection *c);

/**
 * bsf_guard_metrics() - append the guard's counters and gauges to the
 * exposition text in @buf (@n of @cap used).  Return: new length, 0 if it
 * does not fit.
 */
size_t bsf_guard_metrics(struct bsf_guard *g, char *buf, size_t cap, size_t n);

#endif
