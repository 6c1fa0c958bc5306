/*
 * metrics.h - process counters exported on the admin listener in the
 * Prometheus text exposition format (version 0.0.4).  Lock-free (C11
 * atomics); fixed label sets so memory never grows.
 */
#ifndef BSF_METRICS_H
#define BSF_METRICS_H

#include <stddef.h>

enum bsf_endpoint {
	BSF_EP_NBSP,
	BSF_EP_ZPN,
	BSF_EP_OTHER,
	BSF_EP_COUNT_
};

/**
 * bsf_metrics_request() - count one finished request: its HTTP status
 * (0: no response), its outcome (index into @outcomes of
 * bsf_metrics_set_outcomes(), or -1 for aborted / timed out) and latency.
 */
void bsf_metrics_request(enum bsf_endpoint ep, int status, int outcome,
			 double seconds);
/** bsf_metrics_set_outcomes() - the outcome label table (static strings). */
void bsf_metrics_set_outcomes(const char *const *names, size_t n);
/** bsf_metrics_av() - one authentication vector generated (@resync: AUTS). */
void bsf_metrics_av(int resync);
/** bsf_metrics_store() - latency of one store operation. */
void bsf_metrics_store(double seconds);
/** bsf_metrics_tls_reject() - a connection refused for its certificate. */
void bsf_metrics_tls_reject(void);
/* a connection closed on accept (connection limits) */
void bsf_metrics_conn_refused(void);
/** bsf_metrics_inflight() - +1 / -1 requests in progress. */
void bsf_metrics_inflight(int delta);
long bsf_metrics_inflight_now(void);

/**
 * bsf_metrics_render() - the exposition text into @buf.
 * Return: length written, or 0 when @cap is too small.
 */
size_t bsf_metrics_render(char *buf, size_t cap);

const char *bsf_endpoint_name(enum bsf_endpoint ep);

/** bsf_metrics_cert_not_after() - not-after time (Unix seconds) of the
 * server certificate in use, for gba_bsf_tls_certificate_not_after_seconds. */
void bsf_metrics_cert_not_after(long long unix_s);

#endif
