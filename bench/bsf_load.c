/*
 * bsf-load - load generator for gba-bsf (bench/README.md "bsf-load").
 *
 * libcurl multi interface, N keep-alive connections with mutual TLS, each
 * request a PushInfoRequest (Nbsp) for a random subscriber of a store made
 * by "gba-bsfctl gen" (IMPI <prefix><10-digit i>@<realm>, i in
 * [start, start + subs)).  Two modes:
 *   closed loop (--rate 0): every connection sends its next request as soon
 *     as the previous answer arrived: maximum throughput;
 *   open loop (--rate R): requests are scheduled every 1/R s whatever the
 *     answers do; latency is measured from the scheduled time, so queueing
 *     caused by a slow server is counted (no coordinated omission).
 * Reports GPI/s (200 answers per second of measurement), p50/p90/p99/max
 * latency, and counts of failures.  Exit 0 if every answer was 200.
 */
#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CONNS 1024

struct slot {
	CURL *h;
	char body[512];
	double t_start;
	int busy;
};

static struct {
	const char *url, *ca, *cert, *key, *prefix, *realm, *fqdn, *ua, *gba;
	unsigned conns, subs, start;
	double duration, warmup, rate;
} o = { NULL, NULL, NULL, NULL, "sub", "ims.mnc001.mcc001.3gppnetwork.org",
	"naf1.example.com", "0100000002", "GBA_ME", 16, 1000, 0, 10.0, 1.0,
	0.0 };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t sink(char *p, size_t sz, size_t n, void *u)
{
	(void)p;
	(void)u;
	return sz * n;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
	/* xorshift64*: subscriber choice only, not security relevant */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: bsf-load --url URL --ca PEM --cert PEM --key PEM\n"
		"       [--conns N=16] [--duration S=10] [--warmup S=1]\n"
		"       [--rate R=0 (closed loop)] [--subs M=1000] [--start I=0]\n"
		"       [--prefix sub] [--realm R] [--fqdn naf1.example.com]\n"
		"       [--ua 0100000002] [--gba GBA_ME|GBA_U]\n");
}

static int parse(int argc, char **argv)
{
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];

		if (!strcmp(k, "--url")) o.url = v;
		else if (!strcmp(k, "--ca")) o.ca = v;
		else if (!strcmp(k, "--cert")) o.cert = v;
		else if (!strcmp(k, "--key")) o.key = v;
		else if (!strcmp(k, "--prefix")) o.prefix = v;
		else if (!strcmp(k, "--realm")) o.realm = v;
		else if (!strcmp(k, "--fqdn")) o.fqdn = v;
		else if (!strcmp(k, "--ua")) o.ua = v;
		else if (!strcmp(k, "--gba")) o.gba = v;
		else if (!strcmp(k, "--conns")) o.conns = (unsigned)strtoul(v, NULL, 10); /* checksrc: allow */
		else if (!strcmp(k, "--subs")) o.subs = (unsigned)strtoul(v, NULL, 10); /* checksrc: allow */
		else if (!strcmp(k, "--start")) o.start = (unsigned)strtoul(v, NULL, 10); /* checksrc: allow */
		else if (!strcmp(k, "--duration")) o.duration = strtod(v, NULL);
		else if (!strcmp(k, "--warmup")) o.warmup = strtod(v, NULL);
		else if (!strcmp(k, "--rate")) o.rate = strtod(v, NULL);
		else return -1;
	}
	if (i != argc || !o.url || !o.ca || !o.cert || !o.key || !o.conns ||
	    o.conns > MAX_CONNS || !o.subs || o.duration <= 0)
		return -1;
	return 0;
}

static void fill_body(struct slot *s)
{
	unsigned i = o.start + (unsigned)(rng() % o.subs);

	snprintf(s->body, sizeof(s->body),
		 "{\"ueId\":\"%s%010u@%s\",\"ueIdType\":\"PRIVATE\","
		 "\"uiccAppLabel\":\"\",\"nafId\":{\"nafFqdn\":\"%s\","
		 "\"uaSecProtId\":\"%s\"},\"ptId\":\"bench\",\"uiccOrMe\":\"%s\","
		 "\"requestedLifeTime\":\"2099-01-01T00:00:00Z\"}",
		 o.prefix, i, o.realm, o.fqdn, o.ua, o.gba);
}

int main(int argc, char **argv)
{
	static struct slot slots[MAX_CONNS];
	struct curl_slist *hdr = NULL;
	CURLM *m;
	double *lat = NULL, *svc = NULL, t0, t_meas, t_end, next_send, t;
	size_t nlat = 0, caplat = 0;
	unsigned long ok = 0, bad = 0, errs = 0, sent = 0, connects = 0;
	unsigned i, busy = 0, freed;
	int running, msgs;

	if (parse(argc, argv)) {
		usage();
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	m = curl_multi_init();
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)o.conns);
	curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)o.conns);
	/* keep every idle connection: the default cache (4 x handles added
	 * at the moment) closes connections in open-loop mode, and each new
	 * TLS handshake would be measured as latency */
	curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, (long)o.conns);
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	hdr = curl_slist_append(hdr, "Expect:");
	for (i = 0; i < o.conns; i++) {
		CURL *h = curl_easy_init();

		slots[i].h = h;
		curl_easy_setopt(h, CURLOPT_URL, o.url);
		curl_easy_setopt(h, CURLOPT_CAINFO, o.ca);
		curl_easy_setopt(h, CURLOPT_SSLCERT, o.cert);
		curl_easy_setopt(h, CURLOPT_SSLKEY, o.key);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, slots[i].body);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
		curl_easy_setopt(h, CURLOPT_PRIVATE, &slots[i]);
		curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
		curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
	}
	t0 = now();
	t_meas = t0 + o.warmup;
	t_end = t_meas + o.duration;
	next_send = t0;
	for (;;) {
		t = now();
		if (t >= t_end && busy == 0)
			break;
		/* start requests */
		for (i = 0; i < o.conns && t < t_end; i++) {
			if (slots[i].busy)
				continue;
			if (o.rate > 0) {
				if (next_send > t)
					break;
				slots[i].t_start = next_send;
				next_send += 1.0 / o.rate;
			} else {
				slots[i].t_start = t;
			}
			fill_body(&slots[i]);
			curl_easy_setopt(slots[i].h, CURLOPT_POSTFIELDSIZE,
					 (long)strlen(slots[i].body));
			curl_multi_add_handle(m, slots[i].h);
			slots[i].busy = 1;
			busy++;
			sent++;
		}
		curl_multi_perform(m, &running);
		freed = 0;
		{
			CURLMsg *msg;

			while ((msg = curl_multi_info_read(m, &msgs))) {
				struct slot *s;
				long code = 0;
				double dt;

				if (msg->msg != CURLMSG_DONE)
					continue;
				curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
						  (char **)&s);
				curl_easy_getinfo(msg->easy_handle,
						  CURLINFO_RESPONSE_CODE, &code);
				{
					long nc = 0;

					curl_easy_getinfo(msg->easy_handle,
							  CURLINFO_NUM_CONNECTS,
							  &nc);
					connects += (unsigned long)nc;
				}
				t = now();
				dt = t - s->t_start;
				if (s->t_start >= t_meas) {
					if (msg->data.result != CURLE_OK)
						errs++;
					else if (code != 200)
						bad++;
					else {
						ok++;
						double tt = 0;

						if (nlat == caplat) {
							caplat = caplat ? 2 * caplat : 65536;
							lat = realloc(lat, caplat * sizeof(*lat));
							svc = realloc(svc, caplat * sizeof(*svc));
							if (!lat || !svc)
								return 1;
						}
						curl_easy_getinfo(msg->easy_handle,
								  CURLINFO_TOTAL_TIME,
								  &tt);
						svc[nlat] = tt;
						lat[nlat++] = dt;
					}
				}
				curl_multi_remove_handle(m, msg->easy_handle);
				s->busy = 0;
				busy--;
				freed++;
			}
		}
		/* a slot just came free: reuse it before sleeping */
		if (freed && o.rate <= 0)
			continue;
		{
			int numfds;
			long wait_ms = 5;

			if (o.rate > 0) {
				double until = next_send - now();

				/* never spin: the generator shares the cores
				 * with the server; sleep to the next due
				 * request, rounded up to the ms (the delay is
				 * counted in the latency, never hidden) */
				if (until > 0 && until < 0.002) {
					/* sub-ms wait: poll the sockets, then a
					 * short sleep, so sends are not late by a
					 * whole poll tick */
					struct timespec ts = { 0, 100000 };

					curl_multi_poll(m, NULL, 0, 0, NULL);
					nanosleep(&ts, NULL);
					continue;
				}
				wait_ms = until <= 0 ? 0 : (long)(until * 1000);
				if (wait_ms > 5)
					wait_ms = 5;
			}
			curl_multi_poll(m, NULL, 0, (int)wait_ms, &numfds);
		}
	}
	qsort(lat, nlat, sizeof(*lat), cmp_d);
	qsort(svc, nlat, sizeof(*svc), cmp_d);
#define PCT(p) (nlat ? lat[(size_t)((double)(nlat - 1) * (p))] * 1e3 : 0.0)
#define SPCT(p) (nlat ? svc[(size_t)((double)(nlat - 1) * (p))] * 1e3 : 0.0)
	printf("mode=%s conns=%u subs=%u duration=%.1fs%s\n",
	       o.rate > 0 ? "open" : "closed", o.conns, o.subs, o.duration,
	       o.rate > 0 ? "" : "");
	if (o.rate > 0)
		printf("offered_rate=%.0f/s\n", o.rate);
	printf("gpi_per_s=%.0f ok=%lu non200=%lu errors=%lu sent=%lu "
	       "new_connections=%lu\n",
	       (double)ok / o.duration, ok, bad, errs, sent, connects);
	/* latency: from the scheduled (open) or actual (closed) send time to
	 * the answer, generator lag included; service: curl's own transfer
	 * time (request written -> answer read) */
	printf("latency_ms p50=%.3f p90=%.3f p99=%.3f max=%.3f\n", PCT(0.50),
	       PCT(0.90), PCT(0.99), nlat ? lat[nlat - 1] * 1e3 : 0.0);
	printf("service_ms p50=%.3f p90=%.3f p99=%.3f max=%.3f\n", SPCT(0.50),
	       SPCT(0.90), SPCT(0.99), nlat ? svc[nlat - 1] * 1e3 : 0.0);
	for (i = 0; i < o.conns; i++)
		curl_easy_cleanup(slots[i].h);
	curl_slist_free_all(hdr);
	curl_multi_cleanup(m);
	curl_global_cleanup();
	free(lat);
	free(svc);
	return bad || errs ? 1 : 0;
}
