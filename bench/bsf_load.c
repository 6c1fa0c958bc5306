/*
 * bsf-load - load generator for gba-bsf (bench/README.md "bsf-load").
 *
 * Built to cost as little CPU per request as possible, because it shares
 * the machine's cores with the daemon it measures: plain OpenSSL over
 * non-blocking sockets, one epoll loop, one thread, no allocation per
 * request.
 *
 * N keep-alive HTTP/1.1 connections (TLS 1.3, 1.2 allowed) with mutual TLS;
 * the server certificate is verified against --ca, host name or IP address
 * included.  One request in flight per connection (no pipelining).  Each
 * request is a PushInfoRequest (Nbsp) for a random subscriber of a store
 * made by "gba-bsfctl gen" (IMPI <prefix><10-digit i>@<realm>, i in
 * [start, start + subs)).  The request bytes are built once per connection;
 * per request only the 10 digits of i change, so Content-Length is fixed.
 *
 * Two modes:
 *   closed loop (--rate 0): every connection sends its next request as soon
 *     as the previous answer arrived: maximum throughput;
 *   open loop (--rate R): requests are scheduled every 1/R s whatever the
 *     answers do; latency is measured from the scheduled time, so queueing
 *     caused by a slow server (or a busy generator) is counted (no
 *     coordinated omission).
 *
 * An answer is read by its Content-Length (no chunked encoding: MHD sends
 * Content-Length for these answers); status 200 counts as ok only if the
 * body contains "gbaPushInfo".  Latencies go into a log-linear histogram
 * (128 sub-buckets per power of two of nanoseconds: <= 0.4 % relative error
 * on the reported bucket midpoints; the max is exact).  Exit 0 iff every
 * measured answer was 200 with a GPI and no error happened.
 */
#define _GNU_SOURCE /* memmem, epoll_pwait2 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#define MAX_CONNS 1024
#define REQ_MAX 4096		      /* one request, headers and body */
#define RESP_MAX 16384		      /* one answer, headers and body */
#define REQ_TIMEOUT_NS 10000000000ull /* per request and per connect */
#define RETRY_NS 100000000ull	      /* reconnect delay after a failure */
#define SCAN_NS 100000000ull	      /* timeout / reconnect scan period */
#define MAX_MSGS 10		      /* error lines printed to stderr */
#define SUBS_LIMIT 10000000000ull     /* i has 10 decimal digits */
#define POLL_MAX_NS 1000000ull	      /* adaptive --poll-us: at most 1 ms */
#define RATE_WIN_NS 50000000ull /* adaptive --poll-us: answer rate window */

enum cst {
	C_DOWN,	 /* not connected; reconnect at c->deadline */
	C_TCP,	 /* TCP connect in progress */
	C_TLS,	 /* TLS handshake in progress */
	C_IDLE,	 /* connected, no request */
	C_WRITE, /* request being written */
	C_READ,	 /* request written, reading the answer */
};

struct conn {
	int fd;
	SSL *ssl;
	enum cst st;
	uint32_t ev; /* epoll mask registered */
	unsigned idx;
	uint64_t deadline;  /* timeout (C_TCP..C_READ) or reconnect (C_DOWN) */
	uint64_t t_sched;   /* scheduled (open) or actual (closed) send time */
	uint64_t t_written; /* request fully handed to the kernel */
	size_t hdr_len;	    /* 0 until the answer's header block is complete */
	size_t total;	    /* hdr_len + Content-Length */
	size_t rlen;
	int status;
	int close_after;      /* answer had "Connection: close" */
	unsigned long served; /* answers on this TCP connection */
	char req[REQ_MAX];
	char rbuf[RESP_MAX];
};

static struct {
	const char *url, *ca, *cert, *key, *prefix, *realm, *fqdn, *ua, *gba;
	unsigned conns;
	uint64_t subs, start, seed;
	double duration, warmup, rate;
	long poll_us; /* -1: default for the mode */
	int cpu;
} o = {
	.prefix = "sub",
	.realm = "ims.mnc001.mcc001.3gppnetwork.org",
	.fqdn = "naf1.example.com",
	.ua = "0100000002",
	.gba = "GBA_ME",
	.conns = 16,
	.subs = 1000,
	.seed = 0x9E3779B97F4A7C15ull,
	.duration = 10.0,
	.warmup = 1.0,
	.poll_us = -1,
};

/* target, from --url */
static char host[256], port[8], path[1024], hostport[300];
static struct sockaddr_storage addr;
static socklen_t addrlen;
static int host_is_ip;

/* request template: built once, copied into every connection */
static char tmpl[REQ_MAX];
static size_t tmpl_len, digit_off;

static SSL_CTX *ctx;
static int ep = -1;
static struct conn *cs;
/* idle connections of the open loop, a ring in the order they became
 * idle: the one idle longest goes first, so every connection stays in use
 * and none sits unused into the server's idle timeout (a stack kept the
 * bottom ones idle for the whole run; gba-bsf closed them after
 * connection_timeout, and one taken just as the close arrived failed) */
static unsigned *idle, idle_head, nidle;

static void idle_push(unsigned idx)
{
	idle[(idle_head + nidle++) % o.conns] = idx;
}

static unsigned idle_pop(void)
{
	unsigned idx = idle[idle_head];

	idle_head = (idle_head + 1) % o.conns;
	nidle--;
	return idx;
}

static uint64_t t_meas, t_end;
static unsigned long ok, bad, errs, sent, connects, busy, answers, msgs;
static unsigned long warm_fail; /* failures before the measurement */
static int have_pwait2 = 1;

/* ---- time, random, histogram ---- */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64*: subscriber choice only, not security relevant */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

/*
 * Log-linear histogram of nanoseconds, HDR-like: values below 256 ns have
 * one bucket each; above, every power of two [2^e, 2^(e+1)) is cut into
 * 128 equal buckets of width 2^(e-7), so a bucket's width is at most
 * 1/128 of its values and its midpoint within 1/256 (0.4 %) of any of
 * them.  Range up to 2^40 ns (18 min); larger values land in the top
 * bucket.  4352 counters, no allocation per sample.
 */
#define H_SUB_BITS 7
#define H_SUB (1u << H_SUB_BITS)
#define H_TOP_E 39
#define H_N ((H_TOP_E - 6 + 1) * H_SUB)

struct hist {
	uint64_t n, max;
	uint64_t b[H_N];
};

static struct hist h_lat, h_svc;

static unsigned hist_idx(uint64_t v)
{
	unsigned e;

	if (v < 2 * H_SUB)
		return (unsigned)v;
	if (v >> (H_TOP_E + 1))
		return H_N - 1;
	e = 63u - (unsigned)__builtin_clzll(v);
	return (e - 7) * H_SUB + (unsigned)(v >> (e - H_SUB_BITS));
}

static void hist_add(struct hist *h, uint64_t v)
{
	h->b[hist_idx(v)]++;
	h->n++;
	if (v > h->max)
		h->max = v;
}

/* value at quantile @q: the bucket holding the sample of rank
 * floor((n - 1) q) of the sorted samples (as the array version did),
 * reported at the bucket midpoint, never above the exact max; in ms */
static double hist_ms(const struct hist *h, double q)
{
	uint64_t rank, seen = 0;
	unsigned i;

	if (!h->n)
		return 0.0;
	rank = (uint64_t)((double)(h->n - 1) * q);
	for (i = 0; i < H_N; i++) {
		seen += h->b[i];
		if (seen > rank)
			break;
	}
	if (i == H_N)
		i = H_N - 1;
	{
		double lo, w, mid;

		if (i < 2 * H_SUB) {
			lo = (double)i;
			w = 1.0;
		} else {
			unsigned e = i / H_SUB + 6, m = i % H_SUB + H_SUB;

			lo = (double)((uint64_t)m << (e - H_SUB_BITS));
			w = (double)(1ull << (e - H_SUB_BITS));
		}
		mid = i < 2 * H_SUB ? lo : lo + w / 2;
		if (mid > (double)h->max)
			mid = (double)h->max;
		return mid / 1e6;
	}
}

/* ---- command line ---- */

static void usage(FILE *f)
{
	fprintf(f,
"usage: bsf-load --url https://HOST:PORT/PATH --ca PEM --cert PEM --key PEM\n"
"                [options]\n"
"\n"
"Load generator for gba-bsf: Nbsp PushInfoRequests over N keep-alive\n"
"HTTP/1.1 connections with mutual TLS (TLS 1.3, 1.2 allowed), one request\n"
"in flight per connection, one thread, one epoll loop.\n"
"\n"
"  --url URL        https URL of the push-info-retrieval resource\n"
"  --ca PEM         CA certificate(s) the server certificate must chain to;\n"
"                   HOST (name or IP address) is checked against it\n"
"  --cert PEM       client certificate (chain) for mutual TLS\n"
"  --key PEM        its private key\n"
"  --conns N        connections (1..%d, default 16)\n"
"  --duration S     measurement seconds (default 10)\n"
"  --warmup S       seconds before the measurement, not counted (default 1)\n"
"  --rate R         0: closed loop, each connection sends its next request\n"
"                   when its answer arrived (default); R > 0: open loop,\n"
"                   one request every 1/R s, latency from the scheduled time\n"
"  --poll-us U      poll the sockets at most every U microseconds, so that\n"
"                   one wake-up (a context switch) serves several answers;\n"
"                   answers and due requests wait up to U, counted in the\n"
"                   latencies.  0: wake for every answer and every\n"
"                   scheduled send.  Default: open loop 0; closed loop\n"
"                   adaptive, about conns/4 answers per wake-up at the\n"
"                   recent answer rate, at most 1000 (0 below 8 conns)\n"
"  --subs M         subscribers to pick from (default 1000)\n"
"  --start I        first subscriber index (default 0); i is drawn in\n"
"                   [I, I + M), I + M <= 10^10\n"
"  --seed X         seed of the subscriber choice (non-zero, default\n"
"                   0x9E3779B97F4A7C15)\n"
"  --prefix P       IMPI prefix (default sub): IMPI P<10-digit i>@REALM\n"
"  --realm REALM    (default ims.mnc001.mcc001.3gppnetwork.org)\n"
"  --fqdn FQDN      nafId.nafFqdn (default naf1.example.com)\n"
"  --ua HEX         nafId.uaSecProtId (default 0100000002)\n"
"  --gba GBA_ME|GBA_U  uiccOrMe (default GBA_ME)\n"
"  --cpu            also print the generator's own CPU time (getrusage)\n"
"  --help           this text\n"
"\n"
"Output:\n"
"  mode=closed|open conns=N subs=M duration=Ss\n"
"  offered_rate=R/s                                (open loop only)\n"
"  gpi_per_s=G ok=.. non200=.. errors=.. sent=.. new_connections=..\n"
"  latency_ms p50=.. p90=.. p99=.. max=..  send time (scheduled time in\n"
"      open loop) to answer complete, 200 answers of the measurement\n"
"  service_ms p50=.. p90=.. p99=.. max=..  request written to answer\n"
"      complete\n"
"  loadgen_cpu_s=.. user=.. sys=.. loadgen_cpu_us_per_request=..\n"
"      answers_per_wakeup=.. whole_run_cpu_s=..\n"
"      whole_run_us_per_request=.. poll_us=..                   (--cpu)\n"
"      loadgen_*: from the end of the warmup to the last answer, per\n"
"      request sent in that time; whole_run_*: TLS handshakes and warmup\n"
"      included, per request sent\n"
"gpi_per_s and ok/non200/errors count the requests sent after the warmup;\n"
"sent counts all requests.  Percentiles come from a log-linear histogram\n"
"(<= 0.4 %% error, max exact).  A connection or TLS failure before the\n"
"first answer aborts the run.  Exit status: 0 if every answer was 200 with\n"
"a gbaPushInfo and no error happened, 1 otherwise, 2 usage.\n",
		MAX_CONNS);
}

static int num_u64(const char *v, int base, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long x;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	x = strtoull(v, &end, base);
	if (errno || *end || x > max)
		return -1;
	*out = x;
	return 0;
}

static int num_d(const char *v, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(v, &end);
	if (errno || end == v || *end || !(*out >= 0) || *out > 1e9)
		return -1;
	return 0;
}

static int parse_url(const char *u)
{
	const char *h, *p, *e;
	size_t hl;

	if (strncmp(u, "https://", 8))
		return -1;
	h = u + 8;
	if (*h == '[') {
		e = strchr(h, ']');
		if (!e)
			return -1;
		hl = (size_t)(e - h - 1);
		h++;
		p = e + 1;
	} else {
		hl = strcspn(h, ":/");
		p = h + hl;
	}
	if (!hl || hl >= sizeof(host))
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (*p == ':') {
		size_t pl = strspn(p + 1, "0123456789");

		if (!pl || pl >= sizeof(port))
			return -1;
		memcpy(port, p + 1, pl);
		port[pl] = '\0';
		p += 1 + pl;
	} else {
		snprintf(port, sizeof(port), "443");
	}
	if (*p && *p != '/')
		return -1;
	if (snprintf(path, sizeof(path), "%s", *p ? p : "/") >=
	    (int)sizeof(path))
		return -1;
	if (strpbrk(path, " \r\n"))
		return -1;
	snprintf(hostport, sizeof(hostport), "%s%s%s:%s",
		 strchr(host, ':') ? "[" : "", host,
		 strchr(host, ':') ? "]" : "", port);
	return 0;
}

/* the options taking a string value, and where it goes */
static const struct {
	const char *name;
	const char **dst;
} str_opts[] = {
	{"--url", &o.url},     {"--ca", &o.ca},		{"--cert", &o.cert},
	{"--key", &o.key},     {"--prefix", &o.prefix}, {"--realm", &o.realm},
	{"--fqdn", &o.fqdn},   {"--ua", &o.ua},		{"--gba", &o.gba},
};

/* the options taking a number (parsed in parse()) */
static const char *const num_opts[] = {
	"--conns", "--subs",	"--start",   "--seed",
	"--duration", "--warmup", "--poll-us", "--rate",
};

static const char **str_opt(const char *k)
{
	size_t i;

	for (i = 0; i < sizeof(str_opts) / sizeof(str_opts[0]); i++)
		if (!strcmp(k, str_opts[i].name))
			return str_opts[i].dst;
	return NULL;
}

static int num_opt(const char *k)
{
	size_t i;

	for (i = 0; i < sizeof(num_opts) / sizeof(num_opts[0]); i++)
		if (!strcmp(k, num_opts[i]))
			return 1;
	return 0;
}

static int parse(int argc, char **argv)
{
	uint64_t x;
	int i;

	for (i = 1; i < argc; i++) {
		const char *k = argv[i], *v, **dst;

		if (!strcmp(k, "--help") || !strcmp(k, "-h"))
			return 1;
		if (!strcmp(k, "--cpu")) {
			o.cpu = 1;
			continue;
		}
		dst = str_opt(k);
		if (!dst && !num_opt(k)) {
			fprintf(stderr, "bsf-load: unknown option %s\n", k);
			return -1;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "bsf-load: %s needs a value\n", k);
			return -1;
		}
		v = argv[++i];
		if (dst) {
			*dst = v;
			continue;
		}
		if (!strcmp(k, "--conns")) {
			if (num_u64(v, 10, MAX_CONNS, &x) || !x)
				goto bad;
			o.conns = (unsigned)x;
		} else if (!strcmp(k, "--subs")) {
			if (num_u64(v, 10, SUBS_LIMIT, &o.subs) || !o.subs)
				goto bad;
		} else if (!strcmp(k, "--start")) {
			if (num_u64(v, 10, SUBS_LIMIT, &o.start))
				goto bad;
		} else if (!strcmp(k, "--seed")) {
			if (num_u64(v, 0, UINT64_MAX, &o.seed) || !o.seed)
				goto bad;
		} else if (!strcmp(k, "--duration")) {
			if (num_d(v, &o.duration) || o.duration <= 0)
				goto bad;
		} else if (!strcmp(k, "--warmup")) {
			if (num_d(v, &o.warmup))
				goto bad;
		} else if (!strcmp(k, "--poll-us")) {
			if (num_u64(v, 10, 999999, &x))
				goto bad;
			o.poll_us = (long)x;
		} else if (!strcmp(k, "--rate")) {
			if (num_d(v, &o.rate))
				goto bad;
		} else {
			fprintf(stderr, "bsf-load: unknown option %s\n", k);
			return -1;
		}
		continue;
	bad:
		fprintf(stderr, "bsf-load: bad value for %s: %s\n", k, v);
		return -1;
	}
	if (!o.url || !o.ca || !o.cert || !o.key) {
		fprintf(stderr, "bsf-load: --url, --ca, --cert and --key are "
				"required\n");
		return -1;
	}
	if (o.start + o.subs > SUBS_LIMIT) {
		fprintf(stderr, "bsf-load: --start + --subs exceeds 10^10\n");
		return -1;
	}
	if (parse_url(o.url)) {
		fprintf(stderr,
			"bsf-load: bad URL (https://HOST[:PORT][/PATH]): "
			"%s\n",
			o.url);
		return -1;
	}
	return 0;
}

/* ---- request template ---- */

static int build_template(void)
{
	char body[REQ_MAX];
	int bl, hl;

	/* the Nbsp PushInfoRequest of the curl-based version, i = 0 */
	bl = snprintf(body, sizeof(body),
		      "{\"ueId\":\"%s%010u@%s\",\"ueIdType\":\"PRIVATE\","
		      "\"uiccAppLabel\":\"\",\"nafId\":{\"nafFqdn\":\"%s\","
		      "\"uaSecProtId\":\"%s\"},\"ptId\":\"bench\","
		      "\"uiccOrMe\":\"%s\","
		      "\"requestedLifeTime\":\"2099-01-01T00:00:00Z\"}",
		      o.prefix, 0u, o.realm, o.fqdn, o.ua, o.gba);
	if (bl < 0 || (size_t)bl >= sizeof(body))
		return -1;
	hl = snprintf(tmpl, sizeof(tmpl),
		      "POST %s HTTP/1.1\r\nHost: %s\r\n"
		      "Content-Type: application/json\r\n"
		      "Accept: application/json\r\n"
		      "Content-Length: %d\r\n\r\n",
		      path, hostport, bl);
	if (hl < 0 || (size_t)hl + (size_t)bl >= sizeof(tmpl))
		return -1;
	memcpy(tmpl + hl, body, (size_t)bl);
	tmpl_len = (size_t)hl + (size_t)bl;
	digit_off = (size_t)hl + strlen("{\"ueId\":\"") + strlen(o.prefix);
	return 0;
}

static void put10(char *p, uint64_t v)
{
	int k;

	for (k = 9; k >= 0; k--) {
		p[k] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* ---- errors ---- */

static void msg(const char *what, const char *why)
{
	if (msgs < MAX_MSGS)
		fprintf(stderr, "bsf-load: %s: %s\n", what, why);
	else if (msgs == MAX_MSGS)
		fprintf(stderr, "bsf-load: further errors not shown\n");
	msgs++;
}

/* the OpenSSL error queue, else @err (errno of the failed call), else
 * @fallback; the queue is cleared */
static const char *ssl_why(struct conn *c, char *buf, size_t len, int err,
			   const char *fallback)
{
	unsigned long e = ERR_peek_last_error();
	long vr = c->ssl ? SSL_get_verify_result(c->ssl) : X509_V_OK;
	int n;

	if (e) {
		char es[256];

		ERR_error_string_n(e, es, sizeof(es));
		if (vr != X509_V_OK)
			n = snprintf(buf, len, "%s (%s)", es,
				     X509_verify_cert_error_string(vr));
		else
			n = snprintf(buf, len, "%s", es);
	} else {
		n = snprintf(buf, len, "%s", err ? strerror(err) : fallback);
	}
	/* a message longer than @buf is cut on purpose; mark the cut so the
	 * reader knows (an OpenSSL error string can be 255 bytes) */
	if (n >= 0 && (size_t)n >= len && len > 4)
		memcpy(buf + len - 4, "...", 4);
	ERR_clear_error();
	return buf;
}

/* ---- connections ---- */

static void set_ev(struct conn *c, uint32_t ev)
{
	struct epoll_event e;

	if (c->ev == ev)
		return;
	e.events = ev;
	e.data.u32 = c->idx;
	if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e) == 0)
		c->ev = ev;
}

/* after an SSL call that returned @r (not done): 1 when OpenSSL wants to
 * read or write (the epoll mask set for it: wait), else 0 with the SSL
 * error in *@e */
static int ssl_want(struct conn *c, int r, int *e)
{
	int x = SSL_get_error(c->ssl, r);

	if (x == SSL_ERROR_WANT_READ || x == SSL_ERROR_WANT_WRITE) {
		set_ev(c, x == SSL_ERROR_WANT_READ ? EPOLLIN
						   : EPOLLIN | EPOLLOUT);
		return 1;
	}
	*e = x;
	return 0;
}

static void conn_close(struct conn *c)
{
	if (c->ssl) {
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->fd >= 0) {
		close(c->fd); /* also leaves the epoll set */
		c->fd = -1;
	}
	c->ev = 0;
}

static void conn_open(struct conn *c, uint64_t t);
static void dispatch(struct conn *c, uint64_t t_sched);

/* a connection became usable (handshake done or answer complete) */
static void conn_ready(struct conn *c, uint64_t t)
{
	c->st = C_IDLE;
	if (o.rate > 0)
		idle_push(c->idx); /* requests due before t_end still go */
	else if (t < t_end)
		dispatch(c, t);
}

/*
 * A failure on @c: one message, one error, reconnect later.  Before the
 * first answer of the run a failure means the target is wrong (address,
 * port, CA, certificate): abort.
 */
static void conn_fail(struct conn *c, const char *what, const char *why)
{
	uint64_t t = now_ns();
	int inflight = c->st == C_WRITE || c->st == C_READ;

	if (!answers) {
		fprintf(stderr, "bsf-load: %s %s: %s\n", what, hostport, why);
		fprintf(stderr, "bsf-load: no answer received, giving up\n");
		exit(1);
	}
	{
		char w[600];

		snprintf(w, sizeof(w), "%s %s", what, hostport);
		msg(w, why);
	}
	if (inflight) {
		busy--;
		if (c->t_sched >= t_meas)
			errs++;
		else
			warm_fail++;
	} else if (t >= t_meas) {
		errs++; /* a connection lost between requests */
	} else {
		warm_fail++;
	}
	conn_close(c);
	c->st = C_DOWN;
	c->deadline = t + RETRY_NS;
}

/* the peer closed @c in an orderly way */
static void conn_closed(struct conn *c)
{
	if (c->st == C_WRITE || c->st == C_READ) {
		/* with TLS 1.3 the client finishes its handshake before the
		 * server checks the client certificate: a rejection shows as
		 * this close (gba-bsf sends no alert) */
		conn_fail(c, "connection closed by",
			  c->served ? "answer incomplete"
				    : "server, before its first answer: TLS "
				      "handshake rejected? (client certificate "
				      "not trusted or not for client auth)");
		return;
	}
	conn_close(c);
	c->st = C_DOWN;
	c->deadline = 0; /* an idle connection closed: reconnect at once */
	conn_open(c, now_ns());
}

static void handshake(struct conn *c)
{
	char why[512];
	int r, err, e;

	errno = 0;
	r = SSL_connect(c->ssl);
	err = errno;
	if (r == 1) {
		connects++;
		set_ev(c, EPOLLIN);
		conn_ready(c, now_ns());
		return;
	}
	if (ssl_want(c, r, &e))
		return;
	conn_fail(c, "TLS handshake with",
		  ssl_why(c, why, sizeof(why), err, "connection closed"));
}

static void tcp_done(struct conn *c)
{
	int err = 0;
	socklen_t el = sizeof(err);
	char why[128];

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el) || err) {
		snprintf(why, sizeof(why), "%s", strerror(err ? err : errno));
		conn_fail(c, "connect to", why);
		return;
	}
	c->ssl = SSL_new(ctx);
	if (!c->ssl || !SSL_set_fd(c->ssl, c->fd) ||
	    (host_is_ip ? !X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl),
							 host)
			: (!SSL_set1_host(c->ssl, host) ||
			   !SSL_set_tlsext_host_name(c->ssl, host)))) {
		conn_fail(c, "TLS setup for",
			  ssl_why(c, why, sizeof(why), 0, "SSL_new failed"));
		return;
	}
	SSL_set_connect_state(c->ssl);
	c->st = C_TLS;
	handshake(c);
}

static void conn_open(struct conn *c, uint64_t t)
{
	struct epoll_event e;
	int one = 1;
	char why[128];

	if (t >= t_end)
		return;
	c->fd = socket(addr.ss_family,
		       SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		snprintf(why, sizeof(why), "socket: %s", strerror(errno));
		conn_fail(c, "connect to", why);
		return;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->deadline = t + REQ_TIMEOUT_NS;
	c->st = C_TCP;
	c->served = 0;
	e.events = EPOLLIN | EPOLLOUT;
	e.data.u32 = c->idx;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &e)) {
		snprintf(why, sizeof(why), "epoll: %s", strerror(errno));
		conn_fail(c, "connect to", why);
		return;
	}
	c->ev = e.events;
	if (connect(c->fd, (struct sockaddr *)&addr, addrlen) == 0) {
		tcp_done(c);
		return;
	}
	if (errno != EINPROGRESS) {
		snprintf(why, sizeof(why), "%s", strerror(errno));
		conn_fail(c, "connect to", why);
	}
}

/* an SSL_read/SSL_write failed with SSL error @e, errno @err: the
 * server closed (conn_closed) or @what failed (conn_fail) */
static void ssl_end(struct conn *c, int e, int err, const char *what)
{
	char why[512];

	if (e == SSL_ERROR_ZERO_RETURN)
		conn_closed(c);
	else
		conn_fail(c, what,
			  ssl_why(c, why, sizeof(why), err, "connection reset"));
}

static void do_write(struct conn *c)
{
	int r, err, e;

	errno = 0;
	r = SSL_write(c->ssl, c->req, (int)tmpl_len);
	err = errno;
	if (r > 0) {
		c->t_written = now_ns();
		c->st = C_READ;
		c->rlen = 0;
		c->hdr_len = 0;
		set_ev(c, EPOLLIN);
		return;
	}
	if (!ssl_want(c, r, &e))
		ssl_end(c, e, err, "TLS error sending to");
}

static void dispatch(struct conn *c, uint64_t t_sched)
{
	put10(c->req + digit_off, o.start + rng() % o.subs);
	c->t_sched = t_sched;
	c->deadline = t_sched + REQ_TIMEOUT_NS;
	c->st = C_WRITE;
	sent++;
	busy++;
	do_write(c);
}

/*
 * Parse the header block rbuf[0, hdr_len): status line, Content-Length
 * (case-insensitive), Connection: close.  -1 if malformed.
 */
static int parse_head(struct conn *c)
{
	const char *p = c->rbuf, *end = c->rbuf + c->hdr_len - 2;
	long long clen = -1;

	if (c->hdr_len < 14 || memcmp(p, "HTTP/1.", 7) || p[8] != ' ' ||
	    p[9] < '1' || p[9] > '5' || p[10] < '0' || p[10] > '9' ||
	    p[11] < '0' || p[11] > '9')
		return -1;
	c->status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	c->close_after = p[7] == '0';
	p = memchr(p, '\n', (size_t)(end - p));
	while (p && ++p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p + 1));
		size_t ll;

		if (!eol)
			return -1;
		ll = (size_t)(eol - p);
		if (ll > 15 && !strncasecmp(p, "content-length:", 15)) {
			const char *q = p + 15;

			while (*q == ' ' || *q == '\t')
				q++;
			if (*q < '0' || *q > '9')
				return -1;
			clen = 0;
			while (*q >= '0' && *q <= '9' && clen < RESP_MAX)
				clen = clen * 10 + (*q++ - '0');
		} else if (ll > 11 && !strncasecmp(p, "connection:", 11)) {
			if (memmem(p + 11, ll - 11, "close", 5))
				c->close_after = 1;
		} else if (ll > 18 &&
			   !strncasecmp(p, "transfer-encoding:", 18)) {
			return -1; /* chunked: not sent by gba-bsf */
		}
		p = eol;
	}
	if (clen < 0 || (size_t)clen > RESP_MAX - c->hdr_len)
		return -1;
	c->total = c->hdr_len + (size_t)clen;
	return 0;
}

static void answer_done(struct conn *c)
{
	uint64_t t = now_ns();

	answers++;
	c->served++;
	busy--;
	if (c->t_sched >= t_meas) {
		if (c->status != 200) {
			bad++;
		} else if (!memmem(c->rbuf + c->hdr_len, c->total - c->hdr_len,
				   "gbaPushInfo", 11)) {
			errs++;
			msg("answer 200 without gbaPushInfo", hostport);
		} else {
			ok++;
			hist_add(&h_lat, t - c->t_sched);
			hist_add(&h_svc, t - c->t_written);
		}
	} else if (c->status != 200) {
		warm_fail++;
	}
	if (c->close_after) {
		conn_close(c);
		c->st = C_DOWN;
		conn_open(c, t);
		return;
	}
	conn_ready(c, t);
}

static void do_read(struct conn *c)
{
	for (;;) {
		int r;

		if (c->rlen == RESP_MAX) {
			conn_fail(c, "answer too large from", "protocol error");
			return;
		}
		errno = 0;
		r = SSL_read(c->ssl, c->rbuf + c->rlen,
			     (int)(RESP_MAX - c->rlen));
		if (r <= 0) {
			int err = errno, e;

			if (!ssl_want(c, r, &e))
				ssl_end(c, e, err, "TLS error reading from");
			return;
		}
		c->rlen += (size_t)r;
		if (!c->hdr_len) {
			size_t from = c->rlen - (size_t)r;
			const char *e;

			from = from > 3 ? from - 3 : 0;
			e = memmem(c->rbuf + from, c->rlen - from, "\r\n\r\n",
				   4);
			if (!e)
				continue;
			c->hdr_len = (size_t)(e - c->rbuf) + 4;
			if (parse_head(c)) {
				c->hdr_len = 0;
				conn_fail(c, "bad HTTP answer from",
					  "protocol error");
				return;
			}
		}
		if (c->rlen < c->total)
			continue;
		if (c->rlen > c->total) {
			/* one request in flight: nothing may follow */
			conn_fail(c, "extra bytes after the answer from",
				  "protocol error");
			return;
		}
		answer_done(c);
		return;
	}
}

static void idle_remove(struct conn *c)
{
	unsigned i;

	for (i = 0; i < nidle; i++)
		if (idle[(idle_head + i) % o.conns] == c->idx) {
			/* close the gap, keeping the order */
			for (; i + 1 < nidle; i++)
				idle[(idle_head + i) % o.conns] =
					idle[(idle_head + i + 1) % o.conns];
			nidle--;
			return;
		}
}

/* readable while idle: a session ticket, or the server closing */
static void idle_read(struct conn *c)
{
	char buf[256];
	int r, err, e;

	errno = 0;
	r = SSL_read(c->ssl, buf, sizeof(buf));
	err = errno;
	if (r > 0) {
		idle_remove(c);
		conn_fail(c, "unsolicited data from", "protocol error");
		return;
	}
	if (ssl_want(c, r, &e))
		return;
	idle_remove(c);
	ssl_end(c, e, err, "TLS error on idle connection to");
}

static void on_event(struct conn *c)
{
	switch (c->st) {
	case C_TCP:
		tcp_done(c);
		break;
	case C_TLS:
		handshake(c);
		break;
	case C_IDLE:
		idle_read(c);
		break;
	case C_WRITE:
		do_write(c);
		break;
	case C_READ:
		do_read(c);
		break;
	case C_DOWN:
		break;
	}
}

/* timeouts of pending work, reconnects due */
static void scan(uint64_t t)
{
	unsigned i;

	for (i = 0; i < o.conns; i++) {
		struct conn *c = &cs[i];

		if (c->st == C_DOWN) {
			if (t >= c->deadline)
				conn_open(c, t);
		} else if (c->st != C_IDLE && t >= c->deadline) {
			conn_fail(c,
				  c->st == C_TCP || c->st == C_TLS
					  ? "connecting to"
					  : "no answer from",
				  "timeout (10 s)");
		}
	}
}

/* ---- setup ---- */

static int check_file(const char *opt, const char *file)
{
	if (access(file, R_OK) == 0)
		return 0;
	fprintf(stderr, "bsf-load: %s %s: %s\n", opt, file, strerror(errno));
	return -1;
}

static int setup(void)
{
	struct addrinfo hints, *ai = NULL;
	struct in6_addr a6;
	int r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	r = getaddrinfo(host, port, &hints, &ai);
	if (r || !ai) {
		fprintf(stderr, "bsf-load: %s: %s\n", host, gai_strerror(r));
		return -1;
	}
	memcpy(&addr, ai->ai_addr, ai->ai_addrlen);
	addrlen = ai->ai_addrlen;
	freeaddrinfo(ai);
	host_is_ip = inet_pton(AF_INET, host, &a6) == 1 ||
		     inet_pton(AF_INET6, host, &a6) == 1;

	ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx)
		goto ssl_err;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* EOF without close_notify reads as a close (SSL_ERROR_ZERO_RETURN) */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	/* read whole records (and whatever follows) in one read(2) */
	SSL_CTX_set_read_ahead(ctx, 1);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (check_file("--ca", o.ca) || check_file("--cert", o.cert) ||
	    check_file("--key", o.key))
		return -1;
	if (SSL_CTX_load_verify_locations(ctx, o.ca, NULL) != 1) {
		fprintf(stderr, "bsf-load: --ca %s: ", o.ca);
		goto ssl_err;
	}
	if (SSL_CTX_use_certificate_chain_file(ctx, o.cert) != 1) {
		fprintf(stderr, "bsf-load: --cert %s: ", o.cert);
		goto ssl_err;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, o.key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		fprintf(stderr, "bsf-load: --key %s: ", o.key);
		goto ssl_err;
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		perror("bsf-load: epoll_create1");
		return -1;
	}
	return 0;
ssl_err : {
	char es[256];

	ERR_error_string_n(ERR_peek_last_error(), es, sizeof(es));
	fprintf(stderr, "%s\n", es);
}
	return -1;
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct epoll_event evs[256];
	struct rusage ru0, ru_m, ru1;
	struct rlimit rl;
	uint64_t t0, t, next_send, n_sched = 0, last_scan, last_wake = 0;
	uint64_t poll_ns = 0, win_t, poll_sum = 0;
	unsigned long win_answers = 0, n_win = 0;
	int poll_auto;
	unsigned long sent_m = 0, answers_m = 0, wakes = 0, wakes_m = 0;
	int in_meas = 0;
	unsigned i;
	int r;

	r = parse(argc, argv);
	if (r > 0) {
		usage(stdout);
		return 0;
	}
	if (r < 0) {
		fprintf(stderr, "usage: bsf-load --url https://HOST:PORT/PATH "
				"--ca PEM --cert PEM --key PEM [options]; "
				"bsf-load --help for more\n");
		return 2;
	}
	rng_state = o.seed;
	if (build_template()) {
		fprintf(stderr, "bsf-load: request too large\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < o.conns + 64u &&
	    rl.rlim_max >= o.conns + 64u) {
		rl.rlim_cur = o.conns + 64u;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (setup())
		return 1;
	cs = calloc(o.conns, sizeof(*cs));
	idle = calloc(o.conns, sizeof(*idle));
	if (!cs || !idle) {
		fprintf(stderr, "bsf-load: out of memory\n");
		return 1;
	}
	for (i = 0; i < o.conns; i++) {
		cs[i].idx = i;
		cs[i].fd = -1;
		cs[i].st = C_DOWN;
		memcpy(cs[i].req, tmpl, tmpl_len);
	}
	/* default: adaptive in closed loop, 0 in open loop */
	poll_auto = o.poll_us < 0 && o.rate <= 0 && o.conns >= 8;
	if (o.poll_us > 0)
		poll_ns = (uint64_t)o.poll_us * 1000u;
	getrusage(RUSAGE_SELF, &ru0);
	t0 = now_ns();
	t_meas = t0 + (uint64_t)(o.warmup * 1e9);
	t_end = t_meas + (uint64_t)(o.duration * 1e9);
	next_send = t0;
	last_scan = t0;
	win_t = t0;
	for (i = 0; i < o.conns; i++)
		conn_open(&cs[i], t0);
	for (;;) {
		uint64_t wait;
		int n, k;

		t = now_ns();
		/*
		 * Coalesce wake-ups: each one is a context switch, the largest
		 * cost per request after the TCP send itself when every
		 * answer wakes the loop alone.  Polling at most every
		 * --poll-us collects several answers per wake-up; they wait
		 * that long at most, counted in the latencies.
		 */
		if (last_wake && t - last_wake < poll_ns) {
			struct timespec sl = {
				0, (long)(poll_ns - (t - last_wake))};

			nanosleep(&sl, NULL);
			t = now_ns();
		}
		if (poll_auto && t - win_t >= RATE_WIN_NS) {
			/*
			 * Adaptive: poll so that a wake-up collects about
			 * conns/4 answers at the recent answer rate, i.e. on
			 * average about conns/8 connections wait for the
			 * loop; never longer than 1 ms.
			 */
			uint64_t got = answers - win_answers;

			poll_ns =
				got ? (uint64_t)o.conns / 4 * (t - win_t) / got
				    : 0;
			if (poll_ns > POLL_MAX_NS)
				poll_ns = POLL_MAX_NS;
			win_t = t;
			win_answers = answers;
			if (in_meas) {
				poll_sum += poll_ns;
				n_win++;
			}
		}
		if (!in_meas && t >= t_meas) {
			/* CPU from here on is charged to the measured
			 * requests (connection setup, warmup excluded) */
			getrusage(RUSAGE_SELF, &ru_m);
			sent_m = sent;
			wakes_m = wakes;
			answers_m = answers;
			in_meas = 1;
		}
		/* open loop: every due request on an idle connection */
		while (o.rate > 0 && next_send <= t && next_send < t_end &&
		       nidle) {
			dispatch(&cs[idle_pop()], next_send);
			/* request k at t0 + k / rate, no rounding drift */
			next_send = t0 + (uint64_t)((double)++n_sched * 1e9 /
						    o.rate);
		}
		/* done when the answers are in; in open loop the requests
		 * scheduled before the end but still waiting for a free
		 * connection were just sent (with their scheduled time) */
		if (t >= t_end && busy == 0)
			break;
		if (t - last_scan >= SCAN_NS) {
			scan(t);
			last_scan = t;
		}
		/* sleep to the next due event, never spin */
		wait = SCAN_NS;
		if (t < t_end && t_end - t < wait)
			wait = t_end - t;
		if (o.rate > 0 && nidle && next_send < t_end) {
			uint64_t d = next_send > t ? next_send - t : 0;

			if (d < wait)
				wait = d;
		}
		if (have_pwait2) {
			struct timespec ts = {(time_t)(wait / 1000000000ull),
					      (long)(wait % 1000000000ull)};

			n = epoll_pwait2(ep, evs, 256, &ts, NULL);
			if (n < 0 && errno == ENOSYS) {
				have_pwait2 = 0;
				continue;
			}
		} else {
			n = epoll_wait(ep, evs, 256,
				       (int)((wait + 999999) / 1000000));
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("bsf-load: epoll_wait");
			return 1;
		}
		if (n > 0) {
			wakes++;
			last_wake = poll_ns ? now_ns() : 0;
		} else {
			last_wake = 0;
		}
		for (k = 0; k < n; k++) {
			struct conn *c = &cs[evs[k].data.u32];

			/* an event queued for a socket closed meanwhile */
			if (c->fd < 0)
				continue;
			on_event(c);
		}
	}
	getrusage(RUSAGE_SELF, &ru1);

	printf("mode=%s conns=%u subs=%llu duration=%.1fs\n",
	       o.rate > 0 ? "open" : "closed", o.conns,
	       (unsigned long long)o.subs, o.duration);
	if (o.rate > 0)
		printf("offered_rate=%.0f/s\n", o.rate);
	printf("gpi_per_s=%.0f ok=%lu non200=%lu errors=%lu sent=%lu "
	       "new_connections=%lu\n",
	       (double)ok / o.duration, ok, bad, errs, sent, connects);
	/* latency: from the scheduled (open) or actual (closed) send time to
	 * the answer, generator lag included; service: request written ->
	 * answer complete */
	printf("latency_ms p50=%.3f p90=%.3f p99=%.3f max=%.3f\n",
	       hist_ms(&h_lat, 0.50), hist_ms(&h_lat, 0.90),
	       hist_ms(&h_lat, 0.99), (double)h_lat.max / 1e6);
	printf("service_ms p50=%.3f p90=%.3f p99=%.3f max=%.3f\n",
	       hist_ms(&h_svc, 0.50), hist_ms(&h_svc, 0.90),
	       hist_ms(&h_svc, 0.99), (double)h_svc.max / 1e6);
	if (o.cpu) {
		/* after the warmup: CPU from the start of the measurement
		 * to the last answer, per request sent in that time; whole
		 * run: TLS handshakes and warmup included */
		double us = tv_s(ru1.ru_utime) - tv_s(ru_m.ru_utime);
		double sy = tv_s(ru1.ru_stime) - tv_s(ru_m.ru_stime);
		double all = tv_s(ru1.ru_utime) - tv_s(ru0.ru_utime) +
			     tv_s(ru1.ru_stime) - tv_s(ru0.ru_stime);
		unsigned long n_m = sent - sent_m;

		if (!in_meas) {
			us = 0;
			sy = 0;
			n_m = 0;
		}
		printf("loadgen_cpu_s=%.2f user=%.2f sys=%.2f "
		       "loadgen_cpu_us_per_request=%.1f "
		       "answers_per_wakeup=%.1f whole_run_cpu_s=%.2f "
		       "whole_run_us_per_request=%.1f poll_us=%.0f%s\n",
		       us + sy, us, sy,
		       n_m ? (us + sy) * 1e6 / (double)n_m : 0.0,
		       wakes > wakes_m ? (double)(answers - answers_m) /
					 (double)(wakes - wakes_m)
				       : 0.0,
		       all, sent ? all * 1e6 / (double)sent : 0.0,
		       poll_auto
			       ? (n_win ? (double)poll_sum / (double)n_win / 1e3
					: 0.0)
			       : (double)poll_ns / 1e3,
		       poll_auto ? "(auto,mean)" : "");
	}
	if (warm_fail)
		fprintf(stderr, "bsf-load: %lu failures during the warmup\n",
			warm_fail);
	for (i = 0; i < o.conns; i++) {
		if (cs[i].ssl && cs[i].st == C_IDLE)
			SSL_shutdown(cs[i].ssl); /* close_notify, no wait */
		conn_close(&cs[i]);
	}
	SSL_CTX_free(ctx);
	close(ep);
	free(cs);
	free(idle);
	return bad || errs || warm_fail ? 1 : 0;
}
