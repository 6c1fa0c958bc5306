/* see http.h */
/* accept4(), pipe2() (Linux) */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <pthread.h>
#include <stdint.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include "gba/crypto.h"
#include "gba/text.h"
#include "bsf_limits.h"
#include "conn_guard.h"
#include "http.h"
#include "http_errors.h"
#include "log.h"
#include "metrics.h"
#include "nbsp.h"
#include "ratelimit.h"
#include "tls_fail.h"
#include "tls_ident.h"
#include "tlscred.h"
#include "zpn.h"

#define NBSP_PATH "/nbsp-gba/v1/push-info-retrieval"
#define ZPN_PATH "/zpn"
#define PEM_MAX (1024 * 1024)
#define RESP_MAX BSF_RESP_MAX /* with the ussList (bsf_limits.h) */
#define BSF_NAF_CACHE_S 5.0
#define BSF_DRAIN_GRACE_S 0.25

/* client IP -> open connections, for [limits] per_ip_connections */
struct ipslot {
	uint8_t a[17]; /* family tag + 16 octets; a[0] == 0: free */
	unsigned n;
};

struct bsf_server {
	const struct bsf_config *cfg;
	struct bsf_push_ctx *push;
	/* HTTPS: our own acceptor thread hands each accepted socket to the
	 * worker (one MHD daemon, one epoll thread each) with the fewest
	 * open connections; see accept_loop() */
	struct MHD_Daemon *w[BSF_THREADS_MAX];
	atomic_uint w_conns[BSF_THREADS_MAX];
	unsigned n_w, rr;
	int lfd, wake[2];
	pthread_t acc;
	int acc_started;
	atomic_uint conns; /* open HTTPS connections, all workers */
	pthread_mutex_t ip_mu;
	struct ipslot *ip;
	size_t ip_cap;
	struct MHD_Daemon *admin;
	struct bsf_ratelimit *rl;
	struct bsf_guard *guard; /* handshake/auth budgets, deadlines */
	char *cert_pem, *key_pem, *ca_pem;
	size_t key_len, ca_len;
	atomic_int draining;
	/* TLS credentials given to new sessions; SIGHUP swaps them */
	pthread_mutex_t cred_mu;
	struct bsf_tlscred *cred;
};

/* per TLS connection (MHD socket context) */
struct rq;

struct conn {
	struct bsf_server *srv;
	struct rq *cur; /* the request in progress (uri_seen() to completed) */
	int checked;  /* identity extracted */
	int ok;       /* certificate verified, identity usable */
	char id[BSF_CERT_ID_MAX + 1];
	/* the Push-NAF record, re-read after BSF_NAF_CACHE_S seconds so a
	 * removal or change in the store takes effect on open connections */
	struct bsf_naf naf;
	double naf_at;
	int naf_ok;
	struct bsf_tlscred *cred; /* the credentials of this session */
};

/* per request (MHD con_cls) */
struct rq {
	enum bsf_endpoint ep;
	struct timespec t0;
	struct gba_dynbuf body; /* capped at max_body (no keys: not wiped) */
	int too_large;
	int started;          /* on_headers() ran */
	int must_close;       /* framing refused: close after the answer */
	int responded;
	int status;
	int metric_status; /* Zpn fault: the status its cause stands for */
	const char *outcome;
	int pb;               /* enum bsf_problem, -1 until answered */
	char naf[BSF_CERT_ID_MAX + 1];
	char ue_tag[BSF_UE_TAG_LEN + 1];
	const char *gba;
	const struct bsf_naf *nafrec; /* in the connection context */
};

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static double mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int read_pem(const char *path, char **out, size_t *len)
{
	FILE *fp;
	struct stat sb;
	char *buf;
	size_t n;

	*out = NULL;
	if (!(fp = fopen(path, "rb")))
		return GBA_ERR_IO;
	if (fstat(fileno(fp), &sb) != 0 || sb.st_size <= 0 ||
	    sb.st_size > PEM_MAX) {
		fclose(fp);
		return GBA_ERR_TOO_LARGE;
	}
	if (!(buf = calloc(1, (size_t)sb.st_size + 1))) {
		fclose(fp);
		return GBA_ERR_NOMEM;
	}
	n = fread(buf, 1, (size_t)sb.st_size, fp);
	fclose(fp);
	if (n != (size_t)sb.st_size) {
		gba_cleanse(buf, (size_t)sb.st_size);
		free(buf);
		return GBA_ERR_IO;
	}
	*out = buf;
	if (len)
		*len = n;
	return GBA_OK;
}

/* ---- responses ---- */

static void wipe_free_cb(void *p)
{
	size_t n;

	if (!p)
		return;
	memcpy(&n, p, sizeof(n));
	gba_cleanse(p, n + sizeof(size_t));
	free(p);
}

/* header word in front of the body so the free callback can wipe it */
static enum MHD_Result respond(struct MHD_Connection *c, struct rq *rq,
			       int status, const char *ctype,
			       const char *body, size_t len,
			       unsigned retry_after, int close_conn,
			       const char *allow)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	uint8_t *p = malloc(sizeof(size_t) + len + 1);
	char ra[16];

	if (!p)
		return MHD_NO;
	memcpy(p, &len, sizeof(len));
	memcpy(p + sizeof(size_t), body, len);
	resp = MHD_create_response_from_buffer_with_free_callback_cls(
		len, p + sizeof(size_t), wipe_free_cb, p);
	if (!resp) {
		wipe_free_cb(p);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
				"no-store");
	if (retry_after) {
		snprintf(ra, sizeof(ra), "%u", retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	if (allow) /* RFC 9110 15.5.6: a 405 lists the allowed methods */
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
	if (close_conn)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION,
					"close");
	ret = bsf_mhd_queue(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	if (rq) {
		rq->responded = 1;
		rq->status = status;
	}
	return ret;
}

static enum MHD_Result problem(struct MHD_Connection *c, struct rq *rq,
			       enum bsf_problem pb, const char *field,
			       unsigned retry_after, int soap_fault)
{
	const struct bsf_problem_info *pi = bsf_problem_info(pb);
	char buf[2048];
	size_t n;
	int close_conn = pb == BSF_PB_CLIENT_CERT ||
			 pb == BSF_PB_PAYLOAD_TOO_LARGE ||
			 pb == BSF_PB_SERVICE_UNAVAILABLE ||
			 (rq && rq->must_close);
	const char *allow = pb == BSF_PB_METHOD_NOT_ALLOWED ? "POST" : NULL;

	if (rq) {
		rq->outcome = pi->cause;
		rq->pb = (int)pb;
	}
	if (soap_fault) {
		/* SOAP 1.1 section 6.2 / WS-I BP R1126: a fault is a 500 on
		 * the wire; metrics count it under the 4xx/5xx status of its
		 * cause, so that a client mistake is not a server error */
		if (rq)
			rq->metric_status = pi->status;
		if (bsf_zpn_fault(pb, field, buf, sizeof(buf), &n) != GBA_OK)
			return MHD_NO;
		return respond(c, rq, 500, "text/xml; charset=utf-8", buf, n,
			       retry_after, close_conn, allow);
	}
	if (bsf_nbsp_problem(pb, field, NULL, buf, sizeof(buf), &n) != GBA_OK)
		return MHD_NO;
	return respond(c, rq, pi->status, "application/problem+json", buf, n,
		       retry_after, close_conn, allow);
}

/* a refused PushInfoRequest body: every invalid member (nbsp.h) */
static enum MHD_Result nbsp_invalid(struct MHD_Connection *c, struct rq *rq,
				    enum bsf_problem pb,
				    const struct bsf_nbsp_invalid *inv)
{
	char buf[4096];
	size_t n;

	BSF_LOG(BSF_LOG_NBSP, BSF_LOG_NOTICE,
		"request rejected: %s field=%s invalid=%zu len=%zu",
		bsf_problem_info(pb)->cause,
		inv->n ? inv->item[0].param : "-", inv->n + inv->n_more,
		gba_dynbuf_len(&rq->body));
	rq->outcome = bsf_problem_info(pb)->cause;
	rq->pb = (int)pb;
	if (bsf_nbsp_problem_invalid(pb, inv, buf, sizeof(buf), &n) != GBA_OK)
		return MHD_NO;
	return respond(c, rq, bsf_problem_info(pb)->status,
		       "application/problem+json", buf, n, 0, rq->must_close,
		       NULL);
}

/* ---- client certificate ---- */

/*
 * Verify the peer chain again (the handshake did it: verify_peer()) and
 * extract the identity under the one rule of tls_ident.h.  Fills @cn->id
 * and sets @cn->ok.
 */
static void check_peer(struct MHD_Connection *c,
		       struct conn *cn)
{
	const union MHD_ConnectionInfo *ci;
	gnutls_session_t s;
	const gnutls_datum_t *certs;
	unsigned int ncerts = 0;

	cn->checked = 1;
	cn->ok = 0;
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!ci || !ci->tls_session)
		return;
	s = (gnutls_session_t)ci->tls_session;
	if (gnutls_certificate_type_get(s) != GNUTLS_CRT_X509)
		return;
	certs = gnutls_certificate_get_peers(s, &ncerts);
	if (bsf_tls_trust_verify(bsf_tlscred_trust(cn->cred), certs, ncerts))
		return;
	if (bsf_tls_ident(&certs[0], cn->id) != GBA_OK) {
		BSF_LOG(BSF_LOG_HTTP, BSF_LOG_NOTICE,
			"client certificate carries no usable identity "
			"(docs/bsf.md \"Client identity\")");
		return;
	}
	cn->ok = 1;
}

/*
 * The one client-certificate check of a handshake: the chain @certs must
 * verify against the trust list of the credentials this session was given
 * ([tls] ca and [tls] crl, reloaded by SIGHUP) with the TLS WWW client
 * purpose.  Return: NULL when trusted, else the reason (tls_fail.h).
 * The connection guard runs it (conn_guard.h) and counts a refusal once,
 * when the connection closes.
 */
static const char *session_verify(gnutls_session_t s,
				  const gnutls_datum_t *certs, unsigned n)
{
	struct MHD_Connection *c = gnutls_session_get_ptr(s);
	const union MHD_ConnectionInfo *ci;
	const struct conn *cn;

	ci = c ? MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT)
	       : NULL;
	cn = ci ? ci->socket_context : NULL;
	if (!cn)
		return "other";
	if (gnutls_certificate_type_get(s) != GNUTLS_CRT_X509)
		return "other";
	return bsf_tls_trust_verify(bsf_tlscred_trust(cn->cred), certs, n);
}

/*
 * GnuTLS verify callback for a session the connection guard does not
 * track (it otherwise installs its own, which calls session_verify()):
 * the same check, the refusal counted here.
 */
static int verify_peer(gnutls_session_t s)
{
	struct MHD_Connection *c = gnutls_session_get_ptr(s);
	const union MHD_ConnectionInfo *ai;
	const gnutls_datum_t *certs;
	unsigned int ncerts = 0;
	const char *why;

	certs = gnutls_certificate_get_peers(s, &ncerts);
	why = certs && ncerts ? session_verify(s, certs, ncerts) : "no_cert";
	if (!why)
		return 0;
	ai = c ? MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS)
	       : NULL;
	bsf_tls_fail_note(why, ai ? ai->client_addr : NULL);
	return GNUTLS_E_CERTIFICATE_ERROR;
}

/* ---- acceptor and connection accounting ---- */

static size_t ip_key(const struct sockaddr *sa, uint8_t k[17])
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
	return 17;
}

static size_t ip_hash(const uint8_t k[17], size_t cap)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a: not adversarial
						 input that matters here,
						 probes are bounded by cap */
	size_t i;

	for (i = 0; i < 17; i++)
		h = (h ^ k[i]) * 1099511628211ull;
	return (size_t)h & (cap - 1);
}

/* +1 for @k unless it is at @limit; 0 if refused.  Linear probing; the
 * table holds at most max_connections keys in 2x that many slots. */
static int ip_take(struct bsf_server *srv, const uint8_t k[17], unsigned limit)
{
	size_t i, free_at = SIZE_MAX, n;
	int ok = 0;

	pthread_mutex_lock(&srv->ip_mu);
	for (i = ip_hash(k, srv->ip_cap), n = 0; n < srv->ip_cap;
	     i = (i + 1) & (srv->ip_cap - 1), n++) {
		struct ipslot *e = &srv->ip[i];

		if (e->a[0] == 0) {
			free_at = i;
			break;
		}
		if (!memcmp(e->a, k, 17)) {
			if (e->n < limit) {
				e->n++;
				ok = 1;
			}
			goto out;
		}
	}
	if (free_at != SIZE_MAX) {
		memcpy(srv->ip[free_at].a, k, 17);
		srv->ip[free_at].n = 1;
		ok = 1;
	}
out:
	pthread_mutex_unlock(&srv->ip_mu);
	return ok;
}

/* -1 for @k; an empty slot is deleted with backward shift (no tombstones) */
static void ip_put(struct bsf_server *srv, const uint8_t k[17])
{
	size_t i, j, n, h, mask = srv->ip_cap - 1;

	pthread_mutex_lock(&srv->ip_mu);
	for (i = ip_hash(k, srv->ip_cap), n = 0; n < srv->ip_cap;
	     i = (i + 1) & mask, n++) {
		if (srv->ip[i].a[0] == 0)
			goto out; /* not counted (cannot happen) */
		if (!memcmp(srv->ip[i].a, k, 17))
			break;
	}
	if (n == srv->ip_cap || --srv->ip[i].n)
		goto out;
	for (j = (i + 1) & mask;; j = (j + 1) & mask) {
		if (srv->ip[j].a[0] == 0)
			break;
		h = ip_hash(srv->ip[j].a, srv->ip_cap);
		/* move j back into i unless its home lies cyclically in
		 * (i, j] */
		if ((j > i && (h <= i || h > j)) ||
		    (j < i && (h <= i && h > j))) {
			srv->ip[i] = srv->ip[j];
			i = j;
		}
	}
	memset(&srv->ip[i], 0, sizeof(srv->ip[i]));
out:
	pthread_mutex_unlock(&srv->ip_mu);
}

/* undo what the acceptor counted for @c (called on MHD's CLOSED notice) */
static void conn_closed(struct bsf_server *srv, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;
	unsigned i;
	uint8_t k[17];

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_DAEMON);
	for (i = 0; ci && i < srv->n_w; i++)
		if (srv->w[i] == ci->daemon) {
			atomic_fetch_sub(&srv->w_conns[i], 1);
			break;
		}
	atomic_fetch_sub(&srv->conns, 1);
	if (srv->cfg->per_ip_connections) {
		ci = MHD_get_connection_info(c,
					     MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr) {
			ip_key(ci->client_addr, k);
			ip_put(srv, k);
		}
	}
}

/*
 * MHD's own thread pool lets every worker race for accept(): a burst of
 * connections (an SCS opening its pool) mostly lands on whichever worker
 * wakes first, and one core serves them all while the other idles (seen
 * as 236 vs 112 CPU ticks and half the throughput in bench/bsf_bench.sh).
 * So the daemon accepts itself and gives each socket to the worker with
 * the fewest open connections (round robin among equals), through
 * MHD_add_connection().  Limits are enforced here, before any TLS work:
 * max_connections in all, per_ip_connections per client address; a
 * socket over a limit is closed at once, as MHD did.
 */
static void *accept_loop(void *arg)
{
	struct bsf_server *srv = arg;
	struct pollfd pf[2];
	struct sockaddr_storage sa;
	socklen_t sl;
	uint8_t k[17];
	unsigned i, best, n;
	int fd, gh;

	pf[0].fd = srv->lfd;
	pf[0].events = POLLIN;
	pf[1].fd = srv->wake[0];
	pf[1].events = POLLIN;
	for (;;) {
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[1].revents)
			break;
		sl = sizeof(sa);
		fd = accept4(srv->lfd, (struct sockaddr *)&sa, &sl,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				struct timespec ts = { 0, 10 * 1000 * 1000 };

				BSF_LOG(BSF_LOG_HTTP, BSF_LOG_WARNING,
					"accept: %s", strerror(errno));
				nanosleep(&ts, NULL);
			}
			continue;
		}
		if (srv->cfg->per_ip_connections) {
			ip_key((struct sockaddr *)&sa, k);
			if (!ip_take(srv, k, srv->cfg->per_ip_connections)) {
				close(fd);
				bsf_metrics_conn_refused();
				continue;
			}
		}
		/* handshake budgets; max_connections applies once the
		 * handshake is done (conn_guard.h) */
		gh = bsf_guard_admit(srv->guard, fd, (struct sockaddr *)&sa,
				     sl);
		if (gh < 0) {
			close(fd);
			if (srv->cfg->per_ip_connections)
				ip_put(srv, k);
			continue;
		}
		best = srv->rr % srv->n_w;
		for (i = 1; i < srv->n_w; i++) {
			n = (srv->rr + i) % srv->n_w;
			if (atomic_load(&srv->w_conns[n]) <
			    atomic_load(&srv->w_conns[best]))
				best = n;
		}
		srv->rr = best + 1;
		atomic_fetch_add(&srv->conns, 1);
		atomic_fetch_add(&srv->w_conns[best], 1);
		/*
		 * MHD owns (and closes) the socket from here.  Accounting:
		 * MHD calls NOTIFY_CLOSED for every connection it started,
		 * and conn_closed() undoes the counts then.  If MHD refuses
		 * the socket at once we undo them here; a connection MHD
		 * drops internally before starting it (allocation or TLS
		 * set-up failure) would keep its counts: accepted, as that
		 * is an out-of-memory path only.
		 */
		if (MHD_add_connection(srv->w[best], fd,
				       (const struct sockaddr *)&sa,
				       sl) != MHD_YES) {
			atomic_fetch_sub(&srv->conns, 1);
			atomic_fetch_sub(&srv->w_conns[best], 1);
			if (srv->cfg->per_ip_connections)
				ip_put(srv, k);
			bsf_guard_unadmit(srv->guard, gh);
		}
	}
	return NULL;
}

static int listen_on(const struct sockaddr_storage *ss, int v6)
{
	int fd, one = 1;
	socklen_t len = v6 ? sizeof(struct sockaddr_in6)
			   : sizeof(struct sockaddr_in);

	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			      sizeof(one))) ||
	    bind(fd, (const struct sockaddr *)ss, len) ||
	    listen(fd, 1024)) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* stop accepting: the acceptor thread ends, the listening socket closes */
static void stop_acceptor(struct bsf_server *srv)
{
	if (srv->acc_started) {
		ssize_t w = write(srv->wake[1], "x", 1);

		(void)w;
		pthread_join(srv->acc, NULL);
		srv->acc_started = 0;
	}
	if (srv->lfd >= 0) {
		close(srv->lfd);
		srv->lfd = -1;
	}
}

/* ---- TLS credentials (reloadable, tlscred.h) ---- */

static int parse_addr(const char *addr, unsigned port,
		      struct sockaddr_storage *ss, int *v6);

/* give a new session the current credentials, before its handshake */
static void tls_attach(struct bsf_server *srv, struct MHD_Connection *c,
		       struct conn *cn)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!cn || !ci || !ci->tls_session)
		return;
	pthread_mutex_lock(&srv->cred_mu);
	if (srv->cred)
		cn->cred = bsf_tlscred_get(srv->cred);
	pthread_mutex_unlock(&srv->cred_mu);
	if (cn->cred &&
	    bsf_tlscred_apply(cn->cred, (gnutls_session_t)ci->tls_session))
		BSF_LOG(BSF_LOG_HTTP, BSF_LOG_ERR,
			"cannot set the TLS credentials of a session");
}

int bsf_server_reload(struct bsf_server *srv, char *err, size_t err_len)
{
	const struct bsf_config *cfg = srv->cfg;
	struct bsf_tlscred *nc, *old;
	int r;

	if ((r = bsf_tlscred_load(cfg->tls_cert, cfg->tls_key, cfg->tls_ca,
				  cfg->tls_crl, &nc, err, err_len)) != GBA_OK)
		return r; /* the current credentials stay */
	pthread_mutex_lock(&srv->cred_mu);
	old = srv->cred;
	srv->cred = nc;
	pthread_mutex_unlock(&srv->cred_mu);
	bsf_metrics_cert_not_after(bsf_tlscred_not_after(nc));
	bsf_tlscred_put(old); /* freed with its last session */
	return GBA_OK;
}

int bsf_server_check(const struct bsf_config *cfg, char *err, size_t err_len)
{
	struct sockaddr_storage ss;
	struct bsf_tlscred *c;
	int v6, r;

	if (parse_addr(cfg->listen, cfg->port, &ss, &v6)) {
		snprintf(err, err_len, "[server] listen '%s' is not an IP "
			 "literal", cfg->listen);
		return GBA_ERR_CONFIG;
	}
	if (cfg->admin_enabled &&
	    parse_addr(cfg->admin_listen, cfg->admin_port, &ss, &v6)) {
		snprintf(err, err_len, "[admin] listen '%s' is not an IP "
			 "literal", cfg->admin_listen);
		return GBA_ERR_CONFIG;
	}
	if ((r = bsf_tlscred_load(cfg->tls_cert, cfg->tls_key, cfg->tls_ca,
				  cfg->tls_crl, &c, err, err_len)) != GBA_OK)
		return r;
	bsf_tlscred_put(c);
	return GBA_OK;
}

static void notify_conn(void *cls, struct MHD_Connection *c,
			void **socket_context,
			enum MHD_ConnectionNotificationCode code)
{
	struct bsf_server *srv = cls;
	struct conn *cn;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci;

		cn = calloc(1, sizeof(*cn));
		*socket_context = cn;
		if (cn)
			cn->srv = srv;
		tls_attach(srv, c, cn);
		/*
		 * Mutual authentication is mandatory (tls_ident.h): the
		 * handshake itself fails without a certificate that chains
		 * to [tls] ca, is not revoked by [tls] crl and has the TLS
		 * WWW client key purpose.  No HTTP byte is exchanged with an
		 * unauthenticated peer.
		 */
		ci = MHD_get_connection_info(c,
					     MHD_CONNECTION_INFO_GNUTLS_SESSION);
		if (ci && ci->tls_session) {
			gnutls_session_t s = (gnutls_session_t)ci->tls_session;

			gnutls_certificate_server_set_request(
				s, GNUTLS_CERT_REQUIRE);
			gnutls_session_set_verify_function(s, verify_peer);
		}
		/* after: its verification replaces the one above */
		bsf_guard_started(srv->guard, c);
		return;
	}
	/* MHD_CONNECTION_NOTIFY_CLOSED */
	bsf_guard_closed(srv->guard, c);
	conn_closed(srv, c);
	cn = *socket_context;
	if (cn)
		bsf_tlscred_put(cn->cred);
	free(cn);
	*socket_context = NULL;
}

/* ---- request handling ---- */

static int media_is(const char *ct, const char *want)
{
	size_t n = strlen(want);

	if (!ct || strncasecmp(ct, want, n))
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

static void fill_push_log(struct rq *rq, const struct bsf_push_req *req)
{
	bsf_log_ue_tag(req->ue_id, req->ue_id_len, rq->ue_tag);
	rq->gba = req->gba_u ? "GBA_U" : "GBA_ME";
}

static enum MHD_Result process(struct bsf_server *srv,
			       struct MHD_Connection *c, struct rq *rq)
{
	struct bsf_push_req req;
	struct bsf_push_res res;
	enum bsf_problem pb;
	const char *field = NULL;
	struct bsf_nbsp_invalid inv;
	int soap = rq->ep == BSF_EP_ZPN, r;
	char out[RESP_MAX];
	size_t n = 0;
	enum MHD_Result ret;

	if (soap) {
		pb = bsf_zpn_decode((const uint8_t *)gba_dynbuf_ptr(&rq->body),
				     gba_dynbuf_len(&rq->body), &req, &field);
	} else {
		pb = bsf_nbsp_decode((const uint8_t *)gba_dynbuf_ptr(&rq->body),
				      gba_dynbuf_len(&rq->body), &req, &inv);
		if (pb != BSF_PB_OK)
			return nbsp_invalid(c, rq, pb, &inv);
	}
	if (pb != BSF_PB_OK) {
		BSF_LOG(soap ? BSF_LOG_ZPN : BSF_LOG_NBSP, BSF_LOG_NOTICE,
			"request rejected: %s field=%s len=%zu",
			bsf_problem_info(pb)->cause, field ? field : "-",
			gba_dynbuf_len(&rq->body));
		return problem(c, rq, pb, field, 0, soap);
	}
	fill_push_log(rq, &req);
	pb = bsf_push_handle(srv->push, rq->nafrec, &req, &res, &field);
	if (pb != BSF_PB_OK) {
		bsf_push_res_clear(&res);
		return problem(c, rq, pb, field, res.retry_after, soap);
	}
	if (soap)
		r = bsf_zpn_encode(&res, out, sizeof(out), &n);
	else
		r = bsf_nbsp_encode(&res, out, sizeof(out), &n);
	bsf_push_res_clear(&res);
	if (r != GBA_OK) {
		gba_cleanse(out, sizeof(out));
		return problem(c, rq, BSF_PB_SYSTEM_FAILURE, NULL, 0, soap);
	}
	rq->outcome = "OK";
	rq->pb = BSF_PB_OK;
	ret = respond(c, rq, 200,
		      soap ? "text/xml; charset=utf-8" : "application/json",
		      out, n, 0, 0, NULL);
	gba_cleanse(out, n);
	return ret;
}

/* RFC 9112 6.3: count the framing fields of the request */
struct framing {
	unsigned n_cl, n_te;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind,
				     const char *key, const char *value)
{
	struct framing *f = cls;

	(void)kind;
	(void)value;
	if (!strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH))
		f->n_cl++;
	else if (!strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING))
		f->n_te++;
	return MHD_YES;
}

/*
 * RFC 9112 6.3: libmicrohttpd frames the body with the FIRST of several
 * Content-Length fields (the rest of the body would be read as a second
 * request: desync), and with chunked when Transfer-Encoding comes with
 * Content-Length.  Both are refused with 400 and the connection closed
 * (items 3 and 5: "MUST close the connection"); a repeated Content-Length
 * is refused even with equal values (RFC 9112 8.6 lets a recipient reject
 * it), so there is one rule.  Return: 1 framing acceptable.
 */
static int framing_ok(struct MHD_Connection *c)
{
	struct framing f = { 0, 0 };

	MHD_get_connection_values(c, MHD_HEADER_KIND, count_framing, &f);
	return f.n_cl <= 1 && !(f.n_cl && f.n_te);
}

/* first call for a request: everything decidable from the headers */
static enum MHD_Result on_headers(struct bsf_server *srv,
				  struct MHD_Connection *c, struct rq *rq,
				  const char *url, const char *method)
{
	const union MHD_ConnectionInfo *ci;
	struct conn *cn;
	const char *ct, *cl;
	unsigned retry = 0;
	uint64_t clen;
	int r, soap;

	if (!strcmp(url, NBSP_PATH))
		rq->ep = BSF_EP_NBSP;
	else if (!strcmp(url, ZPN_PATH))
		rq->ep = BSF_EP_ZPN;
	else
		rq->ep = BSF_EP_OTHER;
	/* every error on the Zpn resource is a SOAP fault (SOAP 1.1 6.2) */
	soap = rq->ep == BSF_EP_ZPN;

	if (!framing_ok(c)) {
		rq->must_close = 1;
		return problem(c, rq, BSF_PB_INVALID_MSG_FORMAT,
			       "Content-Length", 0, soap);
	}
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	cn = ci ? ci->socket_context : NULL;
	if (!cn)
		return problem(c, rq, BSF_PB_SYSTEM_FAILURE, NULL, 0, soap);
	if (!cn->checked)
		check_peer(c, cn);
	if (!cn->ok) {
		bsf_metrics_tls_reject();
		return problem(c, rq, BSF_PB_CLIENT_CERT, NULL, 0, soap);
	}
	memcpy(rq->naf, cn->id, sizeof(rq->naf));
	if (atomic_load(&srv->draining))
		return problem(c, rq, BSF_PB_SERVICE_UNAVAILABLE, NULL, 1,
			       soap);
	if (rq->ep == BSF_EP_OTHER)
		return problem(c, rq, BSF_PB_RESOURCE_NOT_FOUND, NULL, 0, 0);
	if (strcmp(method, MHD_HTTP_METHOD_POST))
		return problem(c, rq, BSF_PB_METHOD_NOT_ALLOWED, NULL, 0, soap);

	/* Push-NAF authorisation: the certificate identity must be known */
	if (!cn->naf_ok || mono_now() - cn->naf_at > BSF_NAF_CACHE_S) {
		cn->naf_ok = 0;
		r = bsf_store_naf_by_cert(srv->push->st, cn->id, strlen(cn->id),
					  &cn->naf);
		if (r == GBA_ERR_NOT_FOUND)
			return problem(c, rq, BSF_PB_NAF_NOT_AUTHORIZED, NULL,
				       0, soap);
		if (r != GBA_OK)
			return problem(c, rq, BSF_PB_SERVICE_UNAVAILABLE, NULL,
				       1, soap);
		cn->naf_ok = 1;
		cn->naf_at = mono_now();
	}
	rq->nafrec = &cn->naf;

	ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					 MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!media_is(ct, soap ? "text/xml" : "application/json"))
		return problem(c, rq, BSF_PB_UNSUPPORTED_MEDIA_TYPE,
			       "Content-Type", 0, soap);
	cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					 MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && (bsf_parse_uint(cl, UINT64_MAX, &clen) != GBA_OK ||
		   clen > srv->cfg->max_body))
		return problem(c, rq, BSF_PB_PAYLOAD_TOO_LARGE, NULL, 0, soap);

	/* per-Push-NAF rate: the store's value, else [limits] rate */
	if (!bsf_rl_take(srv->rl, rq->nafrec->id,
			 rq->nafrec->rate ? rq->nafrec->rate : srv->cfg->rate,
			 rq->nafrec->rate ? rq->nafrec->rate : srv->cfg->burst,
			 mono_now(), &retry))
		return problem(c, rq, BSF_PB_TOO_MANY_REQUESTS, NULL, retry,
			       soap);
	return MHD_YES;
}

static struct conn *conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

static enum bsf_endpoint endpoint_of(const char *uri)
{
	size_t n = strcspn(uri, "?");

	if (n == strlen(NBSP_PATH) && !strncmp(uri, NBSP_PATH, n))
		return BSF_EP_NBSP;
	if (n == strlen(ZPN_PATH) && !strncmp(uri, ZPN_PATH, n))
		return BSF_EP_ZPN;
	return BSF_EP_OTHER;
}

/* a new request: counted in flight, logged and freed by on_completed() */
static struct rq *rq_new(struct MHD_Connection *c, const char *uri)
{
	struct rq *rq = calloc(1, sizeof(*rq));
	struct conn *cn = conn_of(c);

	if (!rq)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &rq->t0);
	rq->ep = endpoint_of(uri);
	rq->pb = -1;
	memcpy(rq->naf, "-", 2);
	memcpy(rq->ue_tag, "-", 2);
	if (cn)
		cn->cur = rq;
	bsf_metrics_inflight(1);
	return rq;
}

/*
 * MHD_OPTION_URI_LOG_CALLBACK: the request line is parsed, the headers
 * are not.  The request object starts here so that an error the library
 * answers itself before on_request() (431, 400 on a header line) knows
 * its resource and is logged and counted.
 */
static void *uri_seen(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	return rq_new(c, uri);
}

/* libmicrohttpd's own error pages, replaced (http_errors.h) */
static int mhd_error(struct MHD_Connection *c, unsigned status,
		     enum MHD_Result *ret)
{
	struct conn *cn = conn_of(c);
	struct rq *rq;
	enum bsf_problem pb;

	if (!cn) /* not an HTTPS worker connection: the admin listener */
		return 0;
	switch (status) {
	case 400: pb = BSF_PB_INVALID_MSG_FORMAT; break;
	case 413: pb = BSF_PB_PAYLOAD_TOO_LARGE; break;
	case 414: pb = BSF_PB_URI_TOO_LONG; break;
	case 431: pb = BSF_PB_HEADERS_TOO_LARGE; break;
	case 505: pb = BSF_PB_HTTP_VERSION; break;
	default: pb = BSF_PB_SYSTEM_FAILURE; break;
	}
	/* no request object: the URI was never complete (414), and the
	 * resource is unknown: problem+json */
	rq = cn->cur;
	if (rq)
		rq->must_close = 1; /* the library closes after it anyway */
	*ret = problem(c, rq, pb, NULL, 0, rq && rq->ep == BSF_EP_ZPN);
	return 1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct bsf_server *srv = cls;
	struct rq *rq = *con_cls;

	(void)version;
	if (!rq && !(rq = *con_cls = rq_new(c, url)))
		return MHD_NO;
	if (!rq->started) {
		rq->started = 1;
		bsf_guard_head_done(c); /* the head is complete */
		gba_dynbuf_init(&rq->body, srv->cfg->max_body, 0);
		return on_headers(srv, c, rq, url, method);
	}
	if (rq->responded) {
		*upload_size = 0; /* discard the rest of a refused body */
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;

		if (!rq->too_large) {
			int r = gba_dynbuf_add(&rq->body, upload, n);

			if (r == GBA_ERR_TOO_LARGE)
				rq->too_large = 1;
			else if (r != GBA_OK)
				return MHD_NO;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->too_large)
		return problem(c, rq, BSF_PB_PAYLOAD_TOO_LARGE, NULL, 0,
			       rq->ep == BSF_EP_ZPN);
	return process(srv, c, rq);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct rq *rq = *con_cls;
	struct bsf_log_req lr;
	double dt;

	(void)cls;
	bsf_guard_req_done(c);
	if (!rq)
		return;
	{
		struct conn *cn = conn_of(c);

		if (cn && cn->cur == rq)
			cn->cur = NULL;
	}
	dt = since(&rq->t0);
	if (!rq->responded) {
		rq->status = 0;
		rq->pb = -1;
		rq->outcome = toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED
				      ? "TIMEOUT"
				      : "ABORTED";
	}
	bsf_metrics_request(rq->ep,
			    rq->responded && rq->metric_status ? rq->metric_status
							       : rq->status,
			    rq->pb, dt);
	lr.naf = rq->naf;
	lr.endpoint = bsf_endpoint_name(rq->ep);
	lr.status = rq->status;
	lr.outcome = rq->outcome;
	lr.latency_ms = dt * 1e3;
	lr.ue_tag = rq->ue_tag;
	lr.gba = rq->gba;
	bsf_log_request(&lr);
	bsf_metrics_inflight(-1);
	gba_dynbuf_free(&rq->body);
	free(rq);
	*con_cls = NULL;
}

/* ---- admin ---- */

/* append the per-worker connection gauge to the exposition text; 0 if it
 * does not fit */
static size_t worker_metrics(struct bsf_server *srv, char *buf, size_t cap,
			     size_t n)
{
	struct bsf_hss_stats hs;
	unsigned i;
	int w;

	w = snprintf(buf + n, cap - n,
		     "# HELP gba_bsf_worker_connections Open HTTPS connections "
		     "per worker thread.\n"
		     "# TYPE gba_bsf_worker_connections gauge\n");
	if (w < 0 || (size_t)w >= cap - n)
		return 0;
	n += (size_t)w;
	for (i = 0; i < srv->n_w; i++) {
		w = snprintf(buf + n, cap - n,
			     "gba_bsf_worker_connections{worker=\"%u\"} %u\n",
			     i, atomic_load(&srv->w_conns[i]));
		if (w < 0 || (size_t)w >= cap - n)
			return 0;
		n += (size_t)w;
	}
	bsf_hss_stats(srv->push->hss, &hs);
	w = snprintf(buf + n, cap - n,
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
	if (w < 0 || (size_t)w >= cap - n)
		return 0;
	return n + (size_t)w;
}

static enum MHD_Result on_admin(void *cls, struct MHD_Connection *c,
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
		return respond(c, NULL, 405, "text/plain", "method\n", 7, 0, 0,
			       "GET");
	if (!strcmp(url, "/healthz")) {
		if (atomic_load(&srv->draining))
			return respond(c, NULL, 503, "text/plain",
				       "draining\n", 9, 0, 0, NULL);
		return respond(c, NULL, 200, "text/plain", "ok\n", 3, 0, 0,
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
		ret = n ? respond(c, NULL, 200,
				  "text/plain; version=0.0.4", metrics_buf, n,
				  0, 0, NULL)
			: respond(c, NULL, 500, "text/plain", "overflow\n", 9,
				  0, 0, NULL);
		pthread_mutex_unlock(&mu);
		return ret;
	}
	return respond(c, NULL, 404, "text/plain", "not found\n", 10, 0, 0,
		       NULL);
}

/* ---- lifecycle ---- */

/* libmicrohttpd's own format strings: tell the compiler they are printf */
__attribute__((format(printf, 2, 0)))
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '"'))
		msg[--n] = '\0';
	/* a failed handshake has its own warning line (tls_fail.h): MHD's
	 * reasonless one would defeat its per-peer rate limit */
	BSF_LOG(BSF_LOG_HTTP,
		strstr(msg, "handshake message out of context") ? BSF_LOG_DEBUG
								: BSF_LOG_INFO,
		"mhd: %s", msg);
}

static int parse_addr(const char *addr, unsigned port,
		      struct sockaddr_storage *ss, int *v6)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		*v6 = 0;
		return GBA_OK;
	}
	if (inet_pton(AF_INET6, addr, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		*v6 = 1;
		return GBA_OK;
	}
	return GBA_ERR_CONFIG;
}

/*
 * cpu_affinity: bind the calling thread to the (n mod count)-th CPU of
 * @all, the set the process may run on, so that the worker thread started
 * next inherits it.  With threads <= CPUs no two workers share a CPU and
 * the scheduler cannot stack them (docs/bsf.md "Threads and connections").
 */
static int pin_worker(const cpu_set_t *all, size_t n)
{
	int count = CPU_COUNT(all), cpu, k = 0;
	cpu_set_t one;

	if (count <= 0)
		return GBA_ERR_CONFIG;
	n %= (size_t)count;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, all) || (size_t)k++ != n)
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		return pthread_setaffinity_np(pthread_self(), sizeof(one),
					      &one) == 0
			       ? GBA_OK
			       : GBA_ERR_CONFIG;
	}
	return GBA_ERR_CONFIG;
}

int bsf_server_start(const struct bsf_config *cfg, struct bsf_push_ctx *push,
		     struct bsf_server **out, char *err, size_t err_len)
{
	struct bsf_server *srv;
	struct sockaddr_storage ss, ss_admin;
	unsigned flags;
	int v6, v6a = 0, r, pinned = 0;
	cpu_set_t all;

	static const char *outcomes[BSF_PB_COUNT_];
	size_t i;

	*out = NULL;
	for (i = 0; i < BSF_PB_COUNT_; i++)
		outcomes[i] = bsf_problem_info((enum bsf_problem)i)->cause;
	bsf_metrics_set_outcomes(outcomes, BSF_PB_COUNT_);
	if (!(srv = calloc(1, sizeof(*srv))))
		return GBA_ERR_NOMEM;
	srv->lfd = -1;
	srv->wake[0] = srv->wake[1] = -1;
	pthread_mutex_init(&srv->ip_mu, NULL);
	pthread_mutex_init(&srv->cred_mu, NULL);
	srv->cfg = cfg;
	srv->push = push;
	if (!(srv->rl = bsf_rl_new())) {
		r = GBA_ERR_NOMEM;
		goto fail;
	}
	if (parse_addr(cfg->listen, cfg->port, &ss, &v6) ||
	    (cfg->admin_enabled &&
	     parse_addr(cfg->admin_listen, cfg->admin_port, &ss_admin, &v6a))) {
		snprintf(err, err_len, "listen address is not an IP literal");
		r = GBA_ERR_CONFIG;
		goto fail;
	}
	if ((r = read_pem(cfg->tls_cert, &srv->cert_pem, NULL)) ||
	    (r = read_pem(cfg->tls_key, &srv->key_pem, &srv->key_len)) ||
	    (r = read_pem(cfg->tls_ca, &srv->ca_pem, &srv->ca_len))) {
		snprintf(err, err_len, "cannot read TLS files: %s",
			 gba_strerror(r));
		goto fail;
	}
	/* causes that stop the start are said in words (MHD would only
	 * fail to start a worker) */
	if ((r = bsf_tls_check_keypair(srv->cert_pem, srv->key_pem,
				       srv->key_len, err, err_len)) ||
	    (r = bsf_tlscred_load(cfg->tls_cert, cfg->tls_key, cfg->tls_ca,
				  cfg->tls_crl, &srv->cred, err, err_len)))
		goto fail;
	bsf_metrics_cert_not_after(bsf_tlscred_not_after(srv->cred));

	if (!(srv->guard = bsf_guard_new(cfg, session_verify))) {
		snprintf(err, err_len, "cannot start the connection guard");
		r = GBA_ERR_NOMEM;
		goto fail;
	}

	/* pinned: this thread's CPU set is in @all and must be given back */
	if (cfg->cpu_affinity) {
		if (pthread_getaffinity_np(pthread_self(), sizeof(all),
					   &all) != 0) {
			snprintf(err, err_len,
				 "cpu_affinity: cannot read the CPU set");
			r = GBA_ERR_CONFIG;
			goto fail;
		}
		pinned = 1;
	}
	flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TLS | MHD_USE_ITC |
		MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ERROR_LOG;
	bsf_mhd_set_error_hook(mhd_error);
	srv->n_w = cfg->threads ? cfg->threads : 1;
	if (srv->n_w > BSF_THREADS_MAX)
		srv->n_w = BSF_THREADS_MAX;
	for (i = 0; i < srv->n_w; i++) {
		/* limits are the acceptor's; MHD's own only as a backstop */
		struct MHD_OptionItem opts[] = {
			{ MHD_OPTION_CONNECTION_LIMIT,
			  cfg->max_connections + 2 * cfg->max_handshakes,
			  NULL },
			{ MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout,
			  NULL },
			{ MHD_OPTION_HTTPS_MEM_CERT, 0, srv->cert_pem },
			{ MHD_OPTION_HTTPS_MEM_KEY, 0, srv->key_pem },
			{ MHD_OPTION_HTTPS_PRIORITIES, 0,
			  (void *)(uintptr_t)cfg->tls_priority },
			{ MHD_OPTION_STRICT_FOR_CLIENT, 1, NULL },
			/* the CA names go into the CertificateRequest; the
			 * verification itself is verify_peer()'s */
			{ MHD_OPTION_HTTPS_MEM_TRUST, 0, srv->ca_pem },
			{ MHD_OPTION_END, 0, NULL },
		};

		/* a worker's thread inherits the affinity of this thread */
		if (pinned && (r = pin_worker(&all, i)) != 0) {
			snprintf(err, err_len,
				 "cpu_affinity: cannot pin worker %zu", i);
			goto fail;
		}
		srv->w[i] = MHD_start_daemon(
			flags, 0, NULL, NULL, on_request, srv,
			MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
			MHD_OPTION_NOTIFY_CONNECTION, notify_conn, srv,
			MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
			MHD_OPTION_URI_LOG_CALLBACK, uri_seen, srv,
			MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
		if (!srv->w[i]) {
			snprintf(err, err_len, "cannot start HTTPS worker %zu",
				 i);
			r = GBA_ERR_IO;
			goto fail;
		}
	}
	/* the acceptor, admin and store threads keep the whole set */
	if (pinned) {
		pinned = 0;
		if (pthread_setaffinity_np(pthread_self(), sizeof(all),
					   &all) != 0) {
			snprintf(err, err_len,
				 "cpu_affinity: cannot restore the CPU set");
			r = GBA_ERR_CONFIG;
			goto fail;
		}
	}
	if (cfg->per_ip_connections) {
		for (srv->ip_cap = 64; srv->ip_cap < 2 * (size_t)cfg->max_connections;)
			srv->ip_cap *= 2;
		if (!(srv->ip = calloc(srv->ip_cap, sizeof(*srv->ip)))) {
			r = GBA_ERR_NOMEM;
			goto fail;
		}
	}
	if ((srv->lfd = listen_on(&ss, v6)) < 0) {
		snprintf(err, err_len, "cannot listen on %s:%u: %s",
			 cfg->listen, cfg->port, strerror(errno));
		r = GBA_ERR_IO;
		goto fail;
	}
	if (pipe2(srv->wake, O_CLOEXEC) != 0 ||
	    pthread_create(&srv->acc, NULL, accept_loop, srv) != 0) {
		snprintf(err, err_len, "cannot start the acceptor thread");
		r = GBA_ERR_IO;
		goto fail;
	}
	srv->acc_started = 1;
	if (cfg->admin_enabled) {
		/* bound here so that a port in use is reported with errno */
		int afd = listen_on(&ss_admin, v6a);

		if (afd < 0) {
			snprintf(err, err_len,
				 "cannot listen on %s:%u (admin): %s",
				 cfg->admin_listen, cfg->admin_port,
				 strerror(errno));
			r = GBA_ERR_IO;
			goto fail;
		}
		srv->admin = MHD_start_daemon(
			MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
				(v6a ? MHD_USE_IPv6 : 0),
			0, NULL, NULL, on_admin, srv,
			MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
			MHD_OPTION_LISTEN_SOCKET, afd,
			MHD_OPTION_CONNECTION_LIMIT, 16u,
			MHD_OPTION_CONNECTION_TIMEOUT, 5u,
			MHD_OPTION_END);
		if (!srv->admin) {
			close(afd);
			snprintf(err, err_len,
				 "cannot start admin listener on %s:%u",
				 cfg->admin_listen, cfg->admin_port);
			r = GBA_ERR_IO;
			goto fail;
		}
	}
	*out = srv;
	return GBA_OK;
fail:
	if (pinned)
		pthread_setaffinity_np(pthread_self(), sizeof(all), &all);
	bsf_server_stop(srv);
	return r;
}

int bsf_server_drain(struct bsf_server *srv, unsigned timeout)
{
	struct timespec t0, ts = { 0, 10 * 1000 * 1000 };

	atomic_store(&srv->draining, 1);
	stop_acceptor(srv);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* a short grace period first: bytes of a request that had already
	 * arrived when the signal came get processed and counted */
	while (since(&t0) < BSF_DRAIN_GRACE_S || bsf_metrics_inflight_now() > 0) {
		if (since(&t0) > timeout && since(&t0) >= BSF_DRAIN_GRACE_S)
			return GBA_ERR_TIMEOUT;
		nanosleep(&ts, NULL);
	}
	return GBA_OK;
}

void bsf_server_stop(struct bsf_server *srv)
{
	unsigned i;

	if (!srv)
		return;
	stop_acceptor(srv);
	bsf_guard_quiesce(srv->guard);
	for (i = 0; i < srv->n_w; i++)
		if (srv->w[i])
			MHD_stop_daemon(srv->w[i]);
	bsf_guard_free(srv->guard);
	if (srv->wake[0] >= 0)
		close(srv->wake[0]);
	if (srv->wake[1] >= 0)
		close(srv->wake[1]);
	free(srv->ip);
	pthread_mutex_destroy(&srv->ip_mu);
	if (srv->admin)
		MHD_stop_daemon(srv->admin);
	bsf_rl_free(srv->rl);
	if (srv->key_pem) {
		gba_cleanse(srv->key_pem, srv->key_len);
		free(srv->key_pem);
	}
	free(srv->cert_pem);
	free(srv->ca_pem);
	bsf_tlscred_put(srv->cred);
	pthread_mutex_destroy(&srv->cred_mu);
	free(srv);
}
