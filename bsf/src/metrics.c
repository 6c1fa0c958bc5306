/* see metrics.h */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "gba/err.h"
#include "metrics.h"

static const int statuses[] = { 200, 400, 401, 403, 404, 405, 408, 411,
				413, 415, 429, 500, 503, 0 /* other */ };
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))

/* histogram upper bounds in seconds; the last bucket is +Inf */
static const double bounds[] = { 0.00025, 0.0005, 0.001, 0.002, 0.005,
				 0.01,	  0.025,  0.05,	 0.1,	0.25,
				 0.5,	  1.0,	  2.5 };
#define NBUCKET (sizeof(bounds) / sizeof(bounds[0]) + 1)

struct hist {
	atomic_ullong b[NBUCKET];
	atomic_ullong count;
	atomic_ullong sum_ns;
};

#define NOUTCOME 32 /* last slot: aborted / timed out */

static const char *const *outcome_names;
static size_t n_outcomes;

void bsf_metrics_set_outcomes(const char *const *names, size_t n)
{
	outcome_names = names;
	n_outcomes = n < NOUTCOME - 1 ? n : NOUTCOME - 1;
}

static struct {
	atomic_ullong req[BSF_EP_COUNT_][NSTATUS];
	atomic_ullong outcome[BSF_EP_COUNT_][NOUTCOME];
	struct hist lat[BSF_EP_COUNT_];
	struct hist store;
	atomic_ullong av, av_resync, tls_reject, conn_refused;
	atomic_long inflight;
} m;

const char *bsf_endpoint_name(enum bsf_endpoint ep)
{
	static const char *const n[] = { "nbsp", "zpn", "other" };

	return (unsigned)ep < BSF_EP_COUNT_ ? n[ep] : "other";
}

static void hist_add(struct hist *h, double s)
{
	size_t i;

	for (i = 0; i < NBUCKET - 1; i++)
		if (s <= bounds[i])
			break;
	atomic_fetch_add_explicit(&h->b[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->sum_ns,
				  (unsigned long long)(s > 0 ? s * 1e9 : 0),
				  memory_order_relaxed);
}

void bsf_metrics_request(enum bsf_endpoint ep, int status, int outcome,
			 double seconds)
{
	size_t i;

	if ((unsigned)ep >= BSF_EP_COUNT_)
		ep = BSF_EP_OTHER;
	if (outcome < 0 || (size_t)outcome >= n_outcomes)
		outcome = NOUTCOME - 1;
	atomic_fetch_add_explicit(&m.outcome[ep][outcome], 1,
				  memory_order_relaxed);
	for (i = 0; i < NSTATUS - 1; i++)
		if (statuses[i] == status)
			break;
	atomic_fetch_add_explicit(&m.req[ep][i], 1, memory_order_relaxed);
	hist_add(&m.lat[ep], seconds);
}

void bsf_metrics_av(int resync)
{
	atomic_fetch_add_explicit(resync ? &m.av_resync : &m.av, 1,
				  memory_order_relaxed);
}

void bsf_metrics_store(double seconds)
{
	hist_add(&m.store, seconds);
}

void bsf_metrics_tls_reject(void)
{
	atomic_fetch_add_explicit(&m.tls_reject, 1, memory_order_relaxed);
}

void bsf_metrics_conn_refused(void)
{
	atomic_fetch_add_explicit(&m.conn_refused, 1, memory_order_relaxed);
}

void bsf_metrics_inflight(int delta)
{
	atomic_fetch_add(&m.inflight, delta);
}

long bsf_metrics_inflight_now(void)
{
	return atomic_load(&m.inflight);
}

struct out {
	char *p;
	size_t left;
	int overflow;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o,
						      const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->p, o->left, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->left) {
		o->overflow = 1;
		return;
	}
	o->p += n;
	o->left -= (size_t)n;
}

static void put_hist(struct out *o, const char *name, const char *labels,
		     struct hist *h)
{
	unsigned long long cum = 0;
	size_t i;
	const char *sep = *labels ? "," : "";

	for (i = 0; i < NBUCKET; i++) {
		cum += atomic_load_explicit(&h->b[i], memory_order_relaxed);
		if (i < NBUCKET - 1)
			put(o, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels,
			    sep, bounds[i], cum);
		else
			put(o, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name,
			    labels, sep, cum);
	}
	put(o, "%s_sum%s%s%s %.9f\n", name, *labels ? "{" : "", labels,
	    *labels ? "}" : "", (double)atomic_load(&h->sum_ns) / 1e9);
	put(o, "%s_count%s%s%s %llu\n", name, *labels ? "{" : "", labels,
	    *labels ? "}" : "", (unsigned long long)atomic_load(&h->count));
}

size_t bsf_metrics_render(char *buf, size_t cap)
{
	struct out o = { buf, cap, 0 };
	char labels[64];
	size_t e, i;

	put(&o, "# HELP gba_bsf_requests_total Requests answered, by endpoint "
		"and HTTP status.\n# TYPE gba_bsf_requests_total counter\n");
	for (e = 0; e < BSF_EP_COUNT_; e++)
		for (i = 0; i < NSTATUS; i++) {
			unsigned long long v = atomic_load(&m.req[e][i]);

			if (statuses[i])
				put(&o,
				    "gba_bsf_requests_total{endpoint=\"%s\","
				    "status=\"%d\"} %llu\n",
				    bsf_endpoint_name((enum bsf_endpoint)e),
				    statuses[i], v);
			else
				put(&o,
				    "gba_bsf_requests_total{endpoint=\"%s\","
				    "status=\"other\"} %llu\n",
				    bsf_endpoint_name((enum bsf_endpoint)e), v);
		}
	put(&o, "# HELP gba_bsf_requests_outcome_total Requests finished, by "
		"endpoint and outcome (problem cause, OK, or ABORTED).\n"
		"# TYPE gba_bsf_requests_outcome_total counter\n");
	for (e = 0; e < BSF_EP_COUNT_; e++)
		for (i = 0; i < NOUTCOME; i++) {
			const char *name = i < n_outcomes ? outcome_names[i]
				    : i == NOUTCOME - 1 ? "ABORTED" : NULL;

			if (!name)
				continue;
			put(&o,
			    "gba_bsf_requests_outcome_total{endpoint=\"%s\","
			    "outcome=\"%s\"} %llu\n",
			    bsf_endpoint_name((enum bsf_endpoint)e), name,
			    (unsigned long long)atomic_load(&m.outcome[e][i]));
		}
	put(&o, "# HELP gba_bsf_request_duration_seconds Request latency from "
		"first byte to response.\n"
		"# TYPE gba_bsf_request_duration_seconds histogram\n");
	for (e = 0; e < BSF_EP_COUNT_; e++) {
		snprintf(labels, sizeof(labels), "endpoint=\"%s\"",
			 bsf_endpoint_name((enum bsf_endpoint)e));
		put_hist(&o, "gba_bsf_request_duration_seconds", labels,
			 &m.lat[e]);
	}
	put(&o, "# HELP gba_bsf_av_generated_total Authentication vectors "
		"generated.\n# TYPE gba_bsf_av_generated_total counter\n"
		"gba_bsf_av_generated_total{resync=\"false\"} %llu\n"
		"gba_bsf_av_generated_total{resync=\"true\"} %llu\n",
	    (unsigned long long)atomic_load(&m.av),
	    (unsigned long long)atomic_load(&m.av_resync));
	put(&o, "# HELP gba_bsf_store_duration_seconds Subscriber store "
		"operation latency.\n"
		"# TYPE gba_bsf_store_duration_seconds histogram\n");
	put_hist(&o, "gba_bsf_store_duration_seconds", "", &m.store);
	put(&o, "# HELP gba_bsf_tls_rejected_total Requests refused for a "
		"missing or untrusted client certificate.\n"
		"# TYPE gba_bsf_tls_rejected_total counter\n"
		"gba_bsf_tls_rejected_total %llu\n",
	    (unsigned long long)atomic_load(&m.tls_reject));
	put(&o, "# HELP gba_bsf_connections_refused_total Connections closed "
		"by a connection limit, on accept or right after the TLS "
		"handshake (by limit: gba_bsf_connections_limited_total).\n"
		"# TYPE gba_bsf_connections_refused_total counter\n"
		"gba_bsf_connections_refused_total %llu\n",
	    (unsigned long long)atomic_load(&m.conn_refused));
	put(&o, "# HELP gba_bsf_inflight_requests Requests in progress.\n"
		"# TYPE gba_bsf_inflight_requests gauge\n"
		"gba_bsf_inflight_requests %ld\n",
	    (long)atomic_load(&m.inflight));
	if (o.overflow)
		return 0;
	return cap - o.left;
}
