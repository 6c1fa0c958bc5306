/*
 * tls_fail.h - refused TLS peers: one counter per reason, exported on
 * /metrics as gba_bsf_tls_handshake_failures_total{reason="..."}, and one
 * log line (warning) per refusal.  Mutual authentication on the BSF's
 * SCS-facing interface: TS 33.187 (MTC security, Tsp / T8) with the TLS
 * profile of TS 33.310 Annex E.
 *
 * Reasons (fixed label set): no_cert, untrusted, expired, not_yet_valid,
 * revoked, bad_purpose, protocol, not_tls, timeout, other.
 */
#ifndef BSF_TLS_FAIL_H
#define BSF_TLS_FAIL_H

#include <stddef.h>
#include <sys/socket.h>

/**
 * bsf_tls_fail_note() - count one refused TLS peer and log it.
 * @reason: [in] one of the reasons above (anything else counts as other)
 * @peer:   [in] peer address or NULL
 */
void bsf_tls_fail_note(const char *reason, const struct sockaddr *peer);

/**
 * bsf_tls_fail_render() - append the counter family to the exposition text
 * in @buf (@n octets used of @cap).  Return: the new length, 0 if it does
 * not fit.
 */
size_t bsf_tls_fail_render(char *buf, size_t cap, size_t n);

#endif
