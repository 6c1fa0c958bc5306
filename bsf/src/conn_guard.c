/* see conn_guard.h */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include "bsf_limits.h"
#include "conn_guard.h"
#include "gba/text.h"
#include "log.h"
#include "metrics.h"
#include "tls_fail.h"

enum phase { PH_HANDSHAKE, PH_IDLE, PH_HEAD, PH_BODY, PH_COUNT_ };

/* handshake progress bits (gnutls hooks, worker thread) */
#define HS_CERT_MSG 1u /* the client's Certificate message arrived */
#define HS_VERIFIED 2u /* our verification ran */
#define HS_FIN_IN 4u   /* the client's Finished arrived */
#define HS_FIN_OUT 8u  /* our Finished was sent */
#define HS_DONE 16u    /* handshake finished */

enum limit {
	LIM_MAX_HANDSHAKES,
	LIM_PER_IP_HANDSHAKES,
	LIM_MAX_CONNECTIONS,
	LIM_PER_NAF,
	LIM_COUNT_
};

static const char *const limit_names[LIM_COUNT_] = {
	"max_handshakes",
	"per_ip_handshakes",
	"max_connections",
	"per_naf_connections",
};
static const char *const phase_names[PH_COUNT_] = {
	"handshake",
	"idle",
	"head",
	"body",
};

struct entry {
	/* under g->mu */
	int used, started;
	int fd;
	uint8_t ip[17];
	uint8_t cert[32]; /* SHA-256 of the client's leaf certificate */
	int has_cert;
	struct sockaddr_storage sa;
	struct bsf_guard *g;
	/* worker thread and deadline thread */
	atomic_int phase;
	atomic_llong deadline_ms; /* 0: none */
	atomic_int first;	  /* first octet received + 1; 0: none yet */
	atomic_uint hs;
	atomic_int reason;  /* enum bsf_tls_fail from verification, -1 */
	atomic_int cut;	    /* closed by the deadline of phase + 1 */
	atomic_int refused; /* closed by a limit after the handshake */
};

struct bsf_guard {
	const struct bsf_config *cfg;
	bsf_guard_verify_fn verify;
	pthread_mutex_t mu;
	struct entry *e;
	size_t cap;	/* entries */
	int32_t *fdmap; /* fd -> entry index, -1 */
	size_t nfd;
	int32_t *freelist; /* stack of free entry indices */
	size_t nfree;
	unsigned n_hs, n_auth;
	atomic_ullong refused[LIM_COUNT_];
	atomic_ullong cut[PH_COUNT_];
	atomic_int quiet, stop;
	pthread_t thr;
	int thr_started;
};

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void bsf_guard_ip_key(const struct sockaddr *sa, uint8_t k[17])
{
	memset(k, 0, 17);
	if (sa->sa_family == AF_INET) {
		k[0] = 4;
		memcpy(k + 1, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		k[0] = 6;
		memcpy(k + 1, &((const struct sockaddr_in6 *)sa)->sin6_addr,
		       16);
	} else {
		k[0] = 1; /* any other family: one shared bucket */
	}
}

/* ---- deadline thread ---- */

static void *deadline_loop(void *arg)
{
	struct bsf_guard *g = arg;
	struct timespec ts = {0, BSF_GUARD_TICK_MS * 1000000L};
	size_t i;

	while (!atomic_load(&g->stop)) {
		long long now = now_ms();

		pthread_mutex_lock(&g->mu);
		for (i = 0; i < g->cap; i++) {
			struct entry *e = &g->e[i];
			long long dl;
			int ph;

			if (!e->used)
				continue;
			dl = atomic_load(&e->deadline_ms);
			if (!dl || now < dl || atomic_load(&e->cut))
				continue;
			ph = atomic_load(&e->phase);
			atomic_store(&e->cut, ph + 1);
			atomic_fetch_add(&g->cut[ph], 1);
			/* the fd stays open until MHD's CLOSED notice, which
			 * takes g->mu first: it cannot be reused under us */
			shutdown(e->fd, SHUT_RDWR);
		}
		pthread_mutex_unlock(&g->mu);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

struct bsf_guard *bsf_guard_new(const struct bsf_config *cfg,
				bsf_guard_verify_fn verify)
{
	struct bsf_guard *g = calloc(1, sizeof(*g));
	struct rlimit rl;
	size_t i;

	if (!g)
		return NULL;
	g->cfg = cfg;
	g->verify = verify;
	pthread_mutex_init(&g->mu, NULL);
	/* authenticated ones may overshoot max_connections by the
	 * handshakes finishing at the same time (then closed at once) */
	g->cap = (size_t)cfg->max_connections + 2 * (size_t)cfg->max_handshakes;
	g->nfd = 1024;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > g->nfd)
		g->nfd = rl.rlim_cur;
	if (g->nfd > (1u << 20))
		g->nfd = 1u << 20;
	g->e = calloc(g->cap, sizeof(*g->e));
	g->fdmap = malloc(g->nfd * sizeof(*g->fdmap));
	g->freelist = malloc(g->cap * sizeof(*g->freelist));
	if (!g->e || !g->fdmap || !g->freelist)
		goto fail;
	for (i = 0; i < g->nfd; i++)
		g->fdmap[i] = -1;
	for (i = 0; i < g->cap; i++) {
		g->freelist[i] = (int32_t)(g->cap - 1 - i);
		g->e[i].g = g;
	}
	g->nfree = g->cap;
	if (pthread_create(&g->thr, NULL, deadline_loop, g) != 0)
		goto fail;
	g->thr_started = 1;
	return g;
fail:
	bsf_guard_free(g);
	return NULL;
}

void bsf_guard_quiesce(struct bsf_guard *g)
{
	if (g)
		atomic_store(&g->quiet, 1);
}

void bsf_guard_free(struct bsf_guard *g)
{
	if (!g)
		return;
	if (g->thr_started) {
		atomic_store(&g->stop, 1);
		pthread_join(g->thr, NULL);
	}
	pthread_mutex_destroy(&g->mu);
	free(g->e);
	free(g->fdmap);
	free(g->freelist);
	free(g);
}

/* ---- acceptor ---- */

static void release(struct bsf_guard *g, struct entry *e);

int bsf_guard_admit(struct bsf_guard *g, int fd, const struct sockaddr *sa,
		    socklen_t sl)
{
	const struct bsf_config *cfg = g->cfg;
	enum limit why = LIM_COUNT_;
	uint8_t k[17];
	unsigned same = 0;
	struct entry *e;
	size_t i;
	int32_t h = -1;

	bsf_guard_ip_key(sa, k);
	pthread_mutex_lock(&g->mu);
	if (g->n_hs >= cfg->max_handshakes || !g->nfree || fd < 0 ||
	    (size_t)fd >= g->nfd) {
		why = LIM_MAX_HANDSHAKES;
	} else if (cfg->per_ip_handshakes) {
		/* linear in the entries: bounded by max_connections +
		 * 2 max_handshakes, a few microseconds at the defaults */
		for (i = 0; i < g->cap && same < cfg->per_ip_handshakes; i++)
			if (g->e[i].used &&
			    atomic_load(&g->e[i].phase) == PH_HANDSHAKE &&
			    !memcmp(g->e[i].ip, k, 17))
				same++;
		if (same >= cfg->per_ip_handshakes)
			why = LIM_PER_IP_HANDSHAKES;
	}
	/* an entry still holding this number is stale: MHD dropped that
	 * connection without a CLOSED notice (only on its out-of-memory
	 * paths), closed the socket, and the kernel reused the number */
	if (why == LIM_COUNT_ && g->fdmap[fd] >= 0)
		release(g, &g->e[g->fdmap[fd]]);
	if (why == LIM_COUNT_) {
		h = g->freelist[--g->nfree];
		e = &g->e[h];
		e->used = 1;
		e->started = 0;
		e->fd = fd;
		memcpy(e->ip, k, 17);
		e->has_cert = 0;
		memset(&e->sa, 0, sizeof(e->sa));
		memcpy(&e->sa, sa, sl < sizeof(e->sa) ? sl : sizeof(e->sa));
		atomic_store(&e->phase, PH_HANDSHAKE);
		atomic_store(&e->first, 0);
		atomic_store(&e->hs, 0u);
		atomic_store(&e->reason, -1);
		atomic_store(&e->cut, 0);
		atomic_store(&e->refused, 0);
		atomic_store(&e->deadline_ms,
			     now_ms() + 1000LL * cfg->handshake_timeout);
		g->fdmap[fd] = h;
		g->n_hs++;
	}
	pthread_mutex_unlock(&g->mu);
	if (h < 0) {
		atomic_fetch_add(&g->refused[why], 1);
		bsf_metrics_conn_refused();
	}
	return h;
}

/* under g->mu */
static void release(struct bsf_guard *g, struct entry *e)
{
	if (atomic_load(&e->phase) == PH_HANDSHAKE)
		g->n_hs--;
	else
		g->n_auth--;
	if (e->fd >= 0 && (size_t)e->fd < g->nfd)
		g->fdmap[e->fd] = -1;
	e->used = 0;
	atomic_store(&e->deadline_ms, 0);
	g->freelist[g->nfree++] = (int32_t)(e - g->e);
}

void bsf_guard_unadmit(struct bsf_guard *g, int h)
{
	if (h < 0 || (size_t)h >= g->cap)
		return;
	pthread_mutex_lock(&g->mu);
	if (g->e[h].used)
		release(g, &g->e[h]);
	pthread_mutex_unlock(&g->mu);
}

/* ---- TLS session hooks ---- */

static struct entry *entry_of_session(gnutls_session_t s)
{
	gnutls_transport_ptr_t rp = NULL, sp = NULL;

	gnutls_transport_get_ptr2(s, &rp, &sp);
	return rp;
}

/* every octet MHD reads from the peer passes here (TLS records) */
static ssize_t guard_pull(gnutls_transport_ptr_t p, void *buf, size_t len)
{
	struct entry *e = p;
	ssize_t r = recv(e->fd, buf, len, 0);

	if (r > 0) {
		if (!atomic_load(&e->first))
			atomic_store(&e->first, ((const uint8_t *)buf)[0] + 1);
		if (atomic_load(&e->phase) == PH_IDLE) {
			atomic_store(&e->phase, PH_HEAD);
			atomic_store(
				&e->deadline_ms,
				now_ms() + 1000LL * e->g->cfg->header_timeout);
		}
	}
	return r;
}

static int guard_pull_timeout(gnutls_transport_ptr_t p, unsigned int ms)
{
	struct entry *e = p;
	struct pollfd pf = {e->fd, POLLIN, 0};
	int r;

	do
		r = poll(&pf, 1,
			 ms == GNUTLS_INDEFINITE_TIMEOUT ? -1 : (int)ms);
	while (r < 0 && errno == EINTR);
	return r;
}

/* handshake finished: from the handshake budget to the authenticated one */
static void handshake_done(struct entry *e)
{
	struct bsf_guard *g = e->g;
	const struct bsf_config *cfg = g->cfg;
	enum limit why = LIM_COUNT_;
	unsigned same = 0;
	size_t i;

	pthread_mutex_lock(&g->mu);
	if (atomic_load(&e->phase) == PH_HANDSHAKE) {
		g->n_hs--;
		g->n_auth++;
		atomic_store(&e->deadline_ms, 0);
		atomic_store(&e->phase, PH_IDLE);
		if (g->n_auth > cfg->max_connections) {
			why = LIM_MAX_CONNECTIONS;
		} else if (cfg->per_naf_connections && e->has_cert) {
			for (i = 0; i < g->cap; i++) {
				struct entry *o = &g->e[i];

				/* phase first: ->cert is written before the
				 * handshake ends, which takes g->mu */
				if (o->used &&
				    atomic_load(&o->phase) != PH_HANDSHAKE &&
				    o->has_cert && !atomic_load(&o->refused) &&
				    !memcmp(o->cert, e->cert, sizeof(e->cert)))
					same++;
			}
			if (same > cfg->per_naf_connections)
				why = LIM_PER_NAF;
		}
		if (why != LIM_COUNT_) {
			atomic_store(&e->refused, 1);
			shutdown(e->fd, SHUT_RDWR);
		}
	}
	pthread_mutex_unlock(&g->mu);
	if (why != LIM_COUNT_) {
		atomic_fetch_add(&g->refused[why], 1);
		bsf_metrics_conn_refused();
	}
}

/* SHA-256 of the peer's leaf certificate, the per_naf_connections key */
static void cert_key(gnutls_session_t s, struct entry *e)
{
	const gnutls_datum_t *certs;
	unsigned int n = 0;

	certs = gnutls_certificate_get_peers(s, &n);
	if (certs && n &&
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, certs[0].data, certs[0].size,
			     e->cert) == 0)
		e->has_cert = 1;
}

static int guard_hook(gnutls_session_t s, unsigned int htype, unsigned when,
		      unsigned int incoming, const gnutls_datum_t *msg)
{
	struct entry *e = entry_of_session(s);
	unsigned bit = 0, hs;

	(void)msg;
	if (!e)
		return 0;
	if (incoming && htype == GNUTLS_HANDSHAKE_CERTIFICATE_PKT)
		bit = HS_CERT_MSG;
	else if (htype == GNUTLS_HANDSHAKE_FINISHED && when == GNUTLS_HOOK_POST)
		bit = incoming ? HS_FIN_IN : HS_FIN_OUT;
	if (!bit)
		return 0;
	hs = atomic_fetch_or(&e->hs, bit) | bit;
	/* both Finished messages: the handshake is over (TLS 1.2 and 1.3,
	 * full or resumed, whichever side sends first) */
	if ((hs & (HS_FIN_IN | HS_FIN_OUT)) == (HS_FIN_IN | HS_FIN_OUT) &&
	    !(atomic_fetch_or(&e->hs, HS_DONE) & HS_DONE)) {
		/* the per-NAF key when our verification did not run (no
		 * verification configured, or a resumed session) */
		if (!e->has_cert)
			cert_key(s, e);
		handshake_done(e);
	}
	return 0;
}

/*
 * Client certificate verification during the handshake: the server's
 * check (g->verify: chain to [tls] ca, [tls] crl, validity, key purpose
 * TLS WWW client), with the reason of a refusal kept for the failure
 * report; a non-zero return fails the handshake.
 */
static int guard_verify(gnutls_session_t s)
{
	struct entry *e = entry_of_session(s);
	const gnutls_datum_t *certs;
	unsigned int n = 0;
	const char *why;

	if (!e)
		return -1;
	atomic_fetch_or(&e->hs, HS_VERIFIED);
	certs = gnutls_certificate_get_peers(s, &n);
	if (!certs || !n) {
		atomic_store(&e->reason, BSF_TF_NO_CERT);
		return -1;
	}
	if ((why = e->g->verify(s, certs, n)) != NULL) {
		atomic_store(&e->reason, bsf_tls_fail_from_name(why));
		return -1;
	}
	cert_key(s, e);
	return 0;
}

/* the socket of @c (-1: MHD does not say) and its entry, NULL for none
 * (call with g->mu held) */
static int conn_fd(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);

	return ci ? ci->connect_fd : -1;
}

static struct entry *entry_at(struct bsf_guard *g, int fd)
{
	return fd >= 0 && (size_t)fd < g->nfd && g->fdmap[fd] >= 0
		       ? &g->e[g->fdmap[fd]]
		       : NULL;
}

void bsf_guard_started(struct bsf_guard *g, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;
	gnutls_session_t s;
	struct entry *e = NULL;
	int fd;

	fd = conn_fd(c);
	pthread_mutex_lock(&g->mu);
	if ((e = entry_at(g, fd)) != NULL)
		e->started = 1;
	pthread_mutex_unlock(&g->mu);
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!e || !ci || !ci->tls_session)
		return;
	s = (gnutls_session_t)ci->tls_session;
	/* receive side through guard_pull (its pointer is the entry), send
	 * side unchanged (the socket) */
	gnutls_transport_set_ptr2(s, e, (gnutls_transport_ptr_t)(intptr_t)fd);
	gnutls_transport_set_pull_function(s, guard_pull);
	gnutls_transport_set_pull_timeout_function(s, guard_pull_timeout);
	gnutls_handshake_set_hook_function(s, GNUTLS_HANDSHAKE_ANY,
					   GNUTLS_HOOK_BOTH, guard_hook);
	if (g->verify)
		gnutls_session_set_verify_function(s, guard_verify);
}

/* why a handshake that did not finish failed */
static enum bsf_tls_fail classify(const struct entry *e)
{
	int r = atomic_load(&e->reason), first = atomic_load(&e->first);
	unsigned hs = atomic_load(&e->hs);

	if (atomic_load(&e->cut))
		return BSF_TF_TIMEOUT;
	if (r >= 0)
		return (enum bsf_tls_fail)r;
	if (!first)
		return BSF_TF_OTHER; /* closed before sending anything */
	if (first - 1 != 22)
		return BSF_TF_NOT_TLS; /* not a TLS handshake record */
	if ((hs & HS_CERT_MSG) && !(hs & HS_VERIFIED))
		return BSF_TF_NO_CERT; /* empty Certificate, refused */
	return BSF_TF_PROTOCOL;
}

void bsf_guard_closed(struct bsf_guard *g, struct MHD_Connection *c)
{
	struct sockaddr_storage sa;
	struct entry *e;
	int failed = 0;
	enum bsf_tls_fail why = BSF_TF_OTHER;

	pthread_mutex_lock(&g->mu);
	if ((e = entry_at(g, conn_fd(c))) != NULL) {
		if (!(atomic_load(&e->hs) & HS_DONE) &&
		    !atomic_load(&e->refused) && !atomic_load(&g->quiet)) {
			failed = 1;
			why = classify(e);
			sa = e->sa;
		}
		release(g, e);
	}
	pthread_mutex_unlock(&g->mu);
	if (failed)
		bsf_tls_fail_note(bsf_tls_fail_name(why),
				  (const struct sockaddr *)&sa);
}

static struct entry *entry_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);

	return ci && ci->tls_session
		       ? entry_of_session((gnutls_session_t)ci->tls_session)
		       : NULL;
}

void bsf_guard_head_done(struct MHD_Connection *c)
{
	struct entry *e = entry_of(c);

	if (!e || atomic_load(&e->phase) == PH_HANDSHAKE)
		return;
	atomic_store(&e->phase, PH_BODY);
	atomic_store(&e->deadline_ms,
		     now_ms() + 1000LL * e->g->cfg->body_timeout);
}

void bsf_guard_req_done(struct MHD_Connection *c)
{
	struct entry *e = entry_of(c);

	if (!e || atomic_load(&e->phase) == PH_HANDSHAKE)
		return;
	atomic_store(&e->deadline_ms, 0);
	atomic_store(&e->phase, PH_IDLE);
}

size_t bsf_guard_metrics(struct bsf_guard *g, char *buf, size_t cap, size_t n)
{
	struct gba_dynbuf d;
	unsigned hs, auth, i;

	pthread_mutex_lock(&g->mu);
	hs = g->n_hs;
	auth = g->n_auth;
	pthread_mutex_unlock(&g->mu);
	gba_dynbuf_init_fixed(&d, buf + n, cap - n, 0);
	gba_dynbuf_printf(
		&d,
		"# HELP gba_bsf_handshaking_connections Connections in "
		"the TLS handshake.\n"
		"# TYPE gba_bsf_handshaking_connections gauge\n"
		"gba_bsf_handshaking_connections %u\n"
		"# HELP gba_bsf_authenticated_connections Connections "
		"past the TLS handshake.\n"
		"# TYPE gba_bsf_authenticated_connections gauge\n"
		"gba_bsf_authenticated_connections %u\n"
		"# HELP gba_bsf_connections_limited_total Connections "
		"closed by a connection limit, by limit.\n"
		"# TYPE gba_bsf_connections_limited_total counter\n",
		hs, auth);
	for (i = 0; i < LIM_COUNT_; i++) {
		gba_dynbuf_printf(
			&d,
			"gba_bsf_connections_limited_total{limit=\"%s\"} "
			"%llu\n",
			limit_names[i],
			(unsigned long long)atomic_load(&g->refused[i]));
	}
	gba_dynbuf_printf(
		&d, "# HELP gba_bsf_connections_deadline_total Connections "
		    "closed because a phase overran its deadline.\n"
		    "# TYPE gba_bsf_connections_deadline_total counter\n");
	for (i = 0; i < PH_COUNT_; i++) {
		if (i == PH_IDLE)
			continue; /* no deadline: MHD's inactivity timeout */
		gba_dynbuf_printf(
			&d,
			"gba_bsf_connections_deadline_total{phase=\"%s\"} "
			"%llu\n",
			phase_names[i],
			(unsigned long long)atomic_load(&g->cut[i]));
	}
	return gba_dynbuf_err(&d) ? 0 : n + gba_dynbuf_len(&d);
}
