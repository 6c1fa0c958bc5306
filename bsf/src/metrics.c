/* see metrics.h */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>
#include "gba/crypto.h"
#include "gba/err.h"
#include "gba/text.h"
#include "metrics.h"

#ifndef GBA_VERSION
#define GBA_VERSION "unknown"
#endif

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

/* the exposition under construction: a capped buffer on the caller's
 * storage (gba/text.h; counters only, nothing secret) */
#define put gba_dynbuf_printf

static void put_hist(struct gba_dynbuf *o, const char *name, const char *labels,
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

static atomic_llong cert_not_after;

void bsf_metrics_cert_not_after(long long unix_s)
{
	atomic_store(&cert_not_after, unix_s);
}

/*
 * The standard process metrics of the Prometheus client libraries
 * (prometheus.io/docs/instrumenting/writing_clientlibs, "Process metrics"),
 * from /proc/self/stat (proc(5): fields 14 utime, 15 stime, 22 starttime
 * in clock ticks, 23 vsize in bytes, 24 rss in pages) and /proc/stat btime.
 */
static void put_process(struct gba_dynbuf *o)
{
	char buf[1024], *p;
	unsigned long long ut = 0, st = 0, start = 0, vsize = 0, btime = 0;
	long long rss = 0;
	long tick = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
	FILE *fp;
	DIR *d;
	struct dirent *de;
	struct rlimit rl;
	long nfd = 0;
	int ok = 0;

	if ((fp = fopen("/proc/self/stat", "r"))) {
		size_t n = fread(buf, 1, sizeof(buf) - 1, fp);

		fclose(fp);
		buf[n] = '\0';
		/* the command name may hold spaces: fields after its ')',
		 * the first of them is field 3 (state) */
		if ((p = strrchr(buf, ')'))) {
			unsigned long long f[25] = { 0 };
			int i;

			p++;
			for (i = 3; i <= 24 && *p == ' '; i++) {
				char *end;

				p++;
				f[i] = strtoull(p, &end, 10);
				while (*end && *end != ' ')
					end++; /* field 3 is a letter */
				p = end;
			}
			if (i > 24) {
				ut = f[14];
				st = f[15];
				start = f[22];
				vsize = f[23];
				rss = (long long)f[24];
				ok = 1;
			}
		}
	}
	if ((fp = fopen("/proc/stat", "r"))) {
		while (fgets(buf, sizeof(buf), fp))
			if (!strncmp(buf, "btime ", 6)) {
				btime = strtoull(buf + 6, NULL, 10);
				break;
			}
		fclose(fp);
	}
	if (ok && tick > 0) {
		put(o, "# HELP process_cpu_seconds_total Total user and system "
		       "CPU time spent in seconds.\n"
		       "# TYPE process_cpu_seconds_total counter\n"
		       "process_cpu_seconds_total %.2f\n",
		    (double)(ut + st) / (double)tick);
		put(o, "# HELP process_virtual_memory_bytes Virtual memory size "
		       "in bytes.\n# TYPE process_virtual_memory_bytes gauge\n"
		       "process_virtual_memory_bytes %llu\n", vsize);
		put(o, "# HELP process_resident_memory_bytes Resident memory "
		       "size in bytes.\n"
		       "# TYPE process_resident_memory_bytes gauge\n"
		       "process_resident_memory_bytes %lld\n", rss * page);
		if (btime)
			put(o, "# HELP process_start_time_seconds Start time of "
			       "the process since unix epoch in seconds.\n"
			       "# TYPE process_start_time_seconds gauge\n"
			       "process_start_time_seconds %.2f\n",
			    (double)btime + (double)start / (double)tick);
	}
	if ((d = opendir("/proc/self/fd"))) {
		while ((de = readdir(d)))
			if (de->d_name[0] != '.')
				nfd++;
		closedir(d);
		put(o, "# HELP process_open_fds Number of open file "
		       "descriptors.\n# TYPE process_open_fds gauge\n"
		       "process_open_fds %ld\n", nfd - 1 /* the DIR's own */);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		put(o, "# HELP process_max_fds Maximum number of open file "
		       "descriptors.\n# TYPE process_max_fds gauge\n"
		       "process_max_fds %llu\n",
		    (unsigned long long)rl.rlim_cur);
}

/* appended after the daemon's own metrics */
static void put_build_process(struct gba_dynbuf *o)
{
	long long na = atomic_load(&cert_not_after);

	put(o, "# HELP gba_bsf_build_info Version and crypto backend of this "
	       "gba-bsf; the value is always 1.\n"
	       "# TYPE gba_bsf_build_info gauge\n"
	       "gba_bsf_build_info{version=\"%s\",crypto=\"%s\"} 1\n",
	    GBA_VERSION, gba_crypto_backend());
	if (na > 0)
		put(o, "# HELP gba_bsf_tls_certificate_not_after_seconds "
		       "Not-after time of the server certificate in use "
		       "([tls] cert, after the last successful reload), unix "
		       "seconds.\n"
		       "# TYPE gba_bsf_tls_certificate_not_after_seconds gauge\n"
		       "gba_bsf_tls_certificate_not_after_seconds %lld\n",
		    na);
	put_process(o);
}

size_t bsf_metrics_render(char *buf, size_t cap)
{
	struct gba_dynbuf o;
	char labels[64];
	size_t e, i;

	gba_dynbuf_init_fixed(&o, buf, cap, 0);
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
	put_build_process(&o);
	if (gba_dynbuf_err(&o))
		return 0;
	return gba_dynbuf_len(&o);
}
