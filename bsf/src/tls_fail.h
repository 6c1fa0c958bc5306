/*
 * tls_fail.h - failed TLS handshakes made visible: one counter per
 * reason, gba_bsf_tls_handshake_failures_total{reason}, and a
 * level=warning log line with the peer address and the reason,
 * rate-limited per peer address (the counter counts every failure).
 *
 * TLS 1.2 / 1.3 (RFC 5246 / RFC 8446) mutual authentication as required
 * for the SCS-facing reference points by TS 33.187 (Zpn, TS 33.223 clause
 * 4.3.1 / TS 29.109 clause 5.5); client certificate path validation per
 * RFC 5280 (GnuTLS verify status bits).  The reason set is a project
 * choice (docs/bsf.md "Handshake failures").
 */
#ifndef BSF_TLS_FAIL_H
#define BSF_TLS_FAIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

enum bsf_tls_fail {
	BSF_TF_NO_CERT,	      /* client sent no certificate */
	BSF_TF_UNTRUSTED,     /* chain does not lead to [tls] ca */
	BSF_TF_EXPIRED,	      /* notAfter in the past */
	BSF_TF_NOT_YET_VALID, /* notBefore in the future */
	BSF_TF_REVOKED,	      /* on a CRL */
	BSF_TF_BAD_PURPOSE,   /* no TLS WWW client key purpose */
	BSF_TF_PROTOCOL,      /* TLS spoken, handshake failed otherwise */
	BSF_TF_NOT_TLS,	      /* first octet is not a TLS handshake record */
	BSF_TF_TIMEOUT, /* not finished within [limits] handshake_timeout */
	BSF_TF_OTHER,	/* anything else (e.g. closed before any octet) */
	BSF_TF_COUNT_
};

/** bsf_tls_fail_name() - the metric label / log word of @r ("other"). */
const char *bsf_tls_fail_name(enum bsf_tls_fail r);

/** bsf_tls_fail_from_name() - the reason named @name (BSF_TF_OTHER for
 * an unknown or NULL name). */
enum bsf_tls_fail bsf_tls_fail_from_name(const char *name);

/**
 * bsf_tls_fail_from_status() - the reason for a GnuTLS certificate
 * verification status (gnutls_certificate_verify_peers()), @status != 0.
 * Order: untrusted (signer not found, bad signature, insecure
 * algorithm) before revoked, expired, not yet valid, bad purpose.
 */
enum bsf_tls_fail bsf_tls_fail_from_status(unsigned status);

/**
 * bsf_tls_fail_note() - record one failed handshake: counter +1 for
 * @reason (one of the ten names; anything else counts as "other"), and a
 * warning line "TLS handshake failed peer=ADDR:PORT reason=..." unless
 * the peer's address already had BSF_TLS_FAIL_LOG_BURST lines in the
 * current BSF_TLS_FAIL_LOG_WINDOW_S window; the next line written for
 * that address carries "suppressed=N".  @peer may be NULL.  Thread-safe.
 */
void bsf_tls_fail_note(const char *reason, const struct sockaddr *peer);

/** bsf_tls_fail_count() - the counter for @r (tests, metrics). */
uint64_t bsf_tls_fail_count(enum bsf_tls_fail r);

/**
 * bsf_tls_fail_metrics() - append the counter family to the exposition
 * text in @buf (@n octets used of @cap).
 * Return: the new length, 0 if it does not fit.
 */
size_t bsf_tls_fail_metrics(char *buf, size_t cap, size_t n);

#endif
