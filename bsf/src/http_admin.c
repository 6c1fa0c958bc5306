/* see http_i.h: the admin listener (plain HTTP: /healthz, /metrics) */
#include <stdio.h>
#include <string.h>
#include "gba/text.h"
#include "hss.h"
#include "http_i.h"
#include "metrics.h"
#include "tls_fail.h"

/* append the per-worker connection gauge to the exposition text; 0 if it
 * does not fit */
static size_t worker_metrics(struct bsf_server *srv, char *buf, size_t cap,
			     size_t n)
{
	struct bsf_hss_stats hs;
	struct gba_dynbuf d;
	unsigned i;

	gba_dynbuf_init_fixed(&d, buf + n, cap - n, 0);
	gba_dynbuf_printf(
		&d, "# HELP gba_bsf_worker_connections Open HTTPS connections "
		    "per worker thread.\n"
		    "# TYPE gba_bsf_worker_connections gauge\n");
	for (i = 0; i < srv->n_w; i++) {
		gba_dynbuf_printf(
			&d, "gba_bsf_worker_connections{worker=\"%u\"} %u\n", i,
			atomic_load(&srv->w_conns[i]));
	}
	bsf_hss_stats(srv->push->hss, &hs);
	gba_dynbuf_printf(
		&d,
		"# HELP gba_bsf_sqn_reservations_total Durable SQN window "
		"reservations (docs/hss-store.md section 4): sync = on a "
		"request's path, ahead = by the background reserver.\n"
		"# TYPE gba_bsf_sqn_reservations_total counter\n"
		"gba_bsf_sqn_reservations_total{mode=\"sync\"} %llu\n"
		"gba_bsf_sqn_reservations_total{mode=\"ahead\"} %llu\n"
		"# HELP gba_bsf_sqn_reservation_commits_total Transactions "
		"(fsyncs) of the background reserver.\n"
		"# TYPE gba_bsf_sqn_reservation_commits_total counter\n"
		"gba_bsf_sqn_reservation_commits_total %llu\n",
		(unsigned long long)hs.reserve_sync,
		(unsigned long long)hs.reserve_ahead,
		(unsigned long long)hs.reserve_ahead_commits);
	return gba_dynbuf_err(&d) ? 0 : n + gba_dynbuf_len(&d);
}

enum MHD_Result bsf_http_on_admin(void *cls, struct MHD_Connection *c,
				const char *url, const char *method,
				const char *version, const char *upload,
				size_t *upload_size, void **con_cls)
{
	struct bsf_server *srv = cls;
	static char metrics_buf[65536];
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	enum MHD_Result ret;
	size_t n;

	(void)version;
	(void)upload;
	(void)upload_size;
	(void)con_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET))
		return bsf_http_respond(c, NULL, 405, "text/plain", "method\n", 7, 0, 0,
			       "GET");
	if (!strcmp(url, "/healthz")) {
		if (atomic_load(&srv->draining))
			return bsf_http_respond(c, NULL, 503, "text/plain",
				       "draining\n", 9, 0, 0, NULL);
		return bsf_http_respond(c, NULL, 200, "text/plain", "ok\n", 3, 0, 0,
			       NULL);
	}
	if (!strcmp(url, "/metrics")) {
		pthread_mutex_lock(&mu);
		n = bsf_metrics_render(metrics_buf, sizeof(metrics_buf));
		n = n ? worker_metrics(srv, metrics_buf, sizeof(metrics_buf),
				       n)
		      : 0;
		n = n ? bsf_tls_fail_metrics(metrics_buf, sizeof(metrics_buf), n)
		      : 0;
		n = n ? bsf_guard_metrics(srv->guard, metrics_buf,
					  sizeof(metrics_buf), n)
		      : 0;
		ret = n ? bsf_http_respond(c, NULL, 200,
				  "text/plain; version=0.0.4", metrics_buf, n,
				  0, 0, NULL)
			: bsf_http_respond(c, NULL, 500, "text/plain", "overflow\n", 9,
				  0, 0, NULL);
		pthread_mutex_unlock(&mu);
		return ret;
	}
	return bsf_http_respond(c, NULL, 404, "text/plain", "not found\n", 10, 0, 0,
		       NULL);
}
