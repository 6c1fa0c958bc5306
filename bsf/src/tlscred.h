/*
 * tlscred.h - the BSF's TLS credentials (server certificate chain, private
 * key, client CA), reloadable while the daemon runs (SIGHUP).
 *
 * Zpn/Nbsp run over HTTPS with mutual TLS (TS 33.310 / TS 33.210 for the
 * interface security, TS 29.309 clause 4 for Nbsp_GBA).  libmicrohttpd
 * keeps one GnuTLS credentials object per daemon, fixed at start; to take
 * new files without restarting, every new TLS session is given the
 * *current* reference-counted credentials object instead
 * (gnutls_credentials_set() before the handshake), and a reload swaps the
 * current object.  Sessions that already hold the old one keep it until
 * they close; the old object is freed with its last session.
 */
#ifndef BSF_TLSCRED_H
#define BSF_TLSCRED_H

#include <stddef.h>
#include <gnutls/gnutls.h>

struct bsf_tlscred; /* opaque, reference-counted */

/**
 * bsf_tlscred_load() - read @cert (PEM chain), @key (PEM), the CA bundle
 * @ca that client certificates must chain to and, when @crl is not empty,
 * the CRLs checked at every handshake (tls_ident.h trust list).  The key
 * must match the certificate.  A reload (SIGHUP) thus also takes a new
 * CRL file.
 * @out: [out] one reference; release with bsf_tlscred_put()
 * @err: [out] a one-line reason on failure (no key material)
 * Return: GBA_OK, GBA_ERR_CONFIG (unreadable or unusable file, key does
 * not match), GBA_ERR_NOMEM.
 */
int bsf_tlscred_load(const char *cert, const char *key, const char *ca,
		     const char *crl, struct bsf_tlscred **out, char *err,
		     size_t err_len);

/** bsf_tlscred_get() - one more reference.  Return: @c. */
struct bsf_tlscred *bsf_tlscred_get(struct bsf_tlscred *c);

/** bsf_tlscred_put() - drop a reference; the last frees.  NULL-safe. */
void bsf_tlscred_put(struct bsf_tlscred *c);

/** bsf_tlscred_apply() - make @s use @c (before its handshake).
 * Return: 0 or a GnuTLS error. */
int bsf_tlscred_apply(struct bsf_tlscred *c, gnutls_session_t s);

/** bsf_tlscred_not_after() - not-after time of the server certificate,
 * Unix seconds (0 when unknown). */
long long bsf_tlscred_not_after(const struct bsf_tlscred *c);

struct bsf_tls_trust;
/** bsf_tlscred_trust() - the client trust list (CA + CRLs) of @c, for the
 * per-handshake verification (tls_ident.h).  NULL when @c is NULL. */
const struct bsf_tls_trust *bsf_tlscred_trust(const struct bsf_tlscred *c);

#endif
