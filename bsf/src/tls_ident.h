/*
 * tls_ident.h - authentication and identity of the Push-NAF (SCS) TLS
 * peer.  Mutual TLS is mandatory on this interface (TS 33.187 MTC security
 * requirements for Tsp / T8; TLS profile TS 33.310 Annex E), so there is
 * no mode without a verified client certificate.
 *
 * Chain: verified against [tls] ca and every CRL of [tls] crl (RFC 5280
 * 6.3) with the TLS WWW client key purpose (id-kp-clientAuth, RFC 5280
 * 4.2.1.12) at every handshake and again for the first request of each
 * connection.
 *
 * Identity (RFC 6125 6.4.4, one rule; docs/bsf.md "Client identity"):
 *   - certificate with a subjectAltName extension: the FIRST dNSName
 *     entry is the identity; the subject CN is never used.  If there is
 *     no dNSName, or the first one is empty, longer than BSF_CERT_ID_MAX
 *     or holds a character outside [A-Za-z0-9.-_@:*], the certificate is
 *     refused; later dNSName entries are never consulted.
 *   - certificate without subjectAltName: its single subject CN, under
 *     the same length and character rule (two or more CNs: refused).
 * The identity is matched exactly against the Push-NAF records (store).
 */
#ifndef BSF_TLS_IDENT_H
#define BSF_TLS_IDENT_H

#include <stddef.h>
#include <gnutls/gnutls.h>
#include "gba/err.h"
#include "store.h"

struct bsf_tls_trust;

/**
 * bsf_tls_trust_load() - trust list from the CA PEM text and, when
 * @crl_path is not "", every CRL in that PEM file; each CRL must be signed
 * by a CA of the list.  Of several CRLs of one CA the newest (thisUpdate;
 * equal: the later one) is kept (GnuTLS trust list semantics).
 * @err: the cause in words on failure.
 * Return: GBA_OK, GBA_ERR_IO, GBA_ERR_CONFIG, GBA_ERR_NOMEM.
 */
int bsf_tls_trust_load(const char *ca_pem, size_t ca_len,
		       const char *crl_path, struct bsf_tls_trust **out,
		       char *err, size_t err_len) GBA_WARN_UNUSED;

void bsf_tls_trust_free(struct bsf_tls_trust *t);

/**
 * bsf_tls_trust_verify() - verify the peer chain @certs (DER, leaf first).
 * Return: NULL when trusted, else the refusal reason of tls_fail.h
 * ("no_cert", "untrusted", "expired", "not_yet_valid", "revoked",
 * "bad_purpose", "other").
 */
const char *bsf_tls_trust_verify(const struct bsf_tls_trust *t,
				 const gnutls_datum_t *certs, unsigned n);

/**
 * bsf_tls_ident() - the identity of the DER leaf certificate @der under
 * the rule above, NUL-terminated into @out.
 * Return: GBA_OK, GBA_ERR_NOT_FOUND (no usable name), GBA_ERR_MALFORMED.
 */
int bsf_tls_ident(const gnutls_datum_t *der, char out[BSF_CERT_ID_MAX + 1])
	GBA_WARN_UNUSED;

/**
 * bsf_tls_check_keypair() - the server certificate chain and key load and
 * belong together.  @err: the cause in words (GnuTLS's) on failure.
 * Return: GBA_OK, GBA_ERR_CONFIG, GBA_ERR_NOMEM.
 */
int bsf_tls_check_keypair(const char *cert_pem, const char *key_pem,
			  size_t key_len, char *err, size_t err_len)
	GBA_WARN_UNUSED;

#endif
