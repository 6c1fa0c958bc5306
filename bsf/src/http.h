/*
 * http.h - the HTTPS front end of gba-bsf (libmicrohttpd over GnuTLS)
 * and the plain-HTTP admin listener.
 *
 * Zpn listener: TLS 1.2/1.3, AEAD + ECDHE suites only (config.c), client
 * certificate always required and verified during the handshake against
 * [tls] ca and [tls] crl (key purpose TLS WWW client), re-checked on the
 * first request of a connection (tls_ident.h).  The identity (RFC 6125
 * rule of tls_ident.h) must be a registered Push-NAF.  Framing per
 * RFC 9112 6.3 (several Content-Length, or with Transfer-Encoding: 400 and
 * close); errors are problem+json, or SOAP faults on /zpn, including the
 * HTTP library's own (http_errors.h).
 * epoll with a thread pool ([server] threads): a slow or idle client
 * holds only its own connection, cut after [limits] connection_timeout
 * seconds of inactivity.  Limits: body size (413), connection count,
 * per-IP connections, per-Push-NAF rate (429 + Retry-After); handshake
 * budgets, per-Push-NAF connections and the handshake / head / body
 * deadlines are conn_guard.h's, failed handshakes tls_fail.h's.
 *   POST /nbsp-gba/v1/push-info-retrieval  (application/json, nbsp.h)
 *   POST /zpn                              (text/xml SOAP 1.1, zpn.h)
 * Admin listener (plain HTTP, 127.0.0.1 by default):
 *   GET /healthz, GET /metrics (Prometheus text format).
 */
#ifndef BSF_HTTP_H
#define BSF_HTTP_H

#include <stddef.h>
#include "config.h"
#include "push.h"

struct bsf_server;

/**
 * bsf_server_start() - bind both listeners and start serving.
 * @cfg:  [in] borrowed; must outlive the server
 * @push: [in] borrowed processing context
 * Return: GBA_OK, GBA_ERR_IO (file / bind), GBA_ERR_CONFIG, GBA_ERR_NOMEM.
 */
int bsf_server_start(const struct bsf_config *cfg, struct bsf_push_ctx *push,
		     struct bsf_server **out, char *err, size_t err_len)
	GBA_WARN_UNUSED;

/**
 * bsf_server_drain() - stop accepting, answer new requests on open
 * connections with 503, wait up to @timeout seconds for the requests in
 * progress to finish.  Return: GBA_OK or GBA_ERR_TIMEOUT.
 */
int bsf_server_drain(struct bsf_server *srv, unsigned timeout);

/**
 * bsf_server_reload() - SIGHUP: read [tls] cert, key and ca again.  New
 * TLS handshakes use the new credentials; established connections keep
 * theirs.  On failure the current credentials stay and @err says why.
 * Return: GBA_OK, GBA_ERR_CONFIG, GBA_ERR_NOMEM.
 */
int bsf_server_reload(struct bsf_server *srv, char *err, size_t err_len);

/**
 * bsf_server_check() - what bsf_server_start() would refuse in @cfg,
 * without starting anything: listen addresses, certificate and key
 * (loadable, matching), CA.  For gba-bsf --check-config.
 * Return: GBA_OK or GBA_ERR_CONFIG / GBA_ERR_NOMEM with @err set.
 */
int bsf_server_check(const struct bsf_config *cfg, char *err, size_t err_len);

/** bsf_server_stop() - close everything and free (keys wiped). NULL-safe. */
void bsf_server_stop(struct bsf_server *srv);

#endif
