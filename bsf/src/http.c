/* see http.h */
/* accept4(), pipe2() (Linux) */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <pthread.h>
#include <stdint.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include "gba/crypto.h"
#include "bsf_limits.h"
#include "conn_guard.h"
#include "http_i.h"
#include "http_errors.h"
#include "log.h"
#include "metrics.h"
#include "ratelimit.h"
#include "tls_fail.h"
#include "tls_ident.h"
#include "tlscred.h"

#define PEM_MAX (1024 * 1024)
#define BSF_DRAIN_GRACE_S 0.25

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

/* ---- client certificate ---- */

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
	bsf_http_conn_closed(srv, c);
	cn = *socket_context;
	if (cn)
		bsf_tlscred_put(cn->cred);
	free(cn);
	*socket_context = NULL;
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

/* this thread's CPU set read into @all (@restore 0) or set back from it */
static int own_cpus(int restore, cpu_set_t *all, char *err, size_t err_len)
{
	int rc = restore ? pthread_setaffinity_np(pthread_self(), sizeof(*all),
						  all)
			 : pthread_getaffinity_np(pthread_self(), sizeof(*all),
						  all);

	if (rc != 0) {
		snprintf(err, err_len, "cpu_affinity: cannot %s the CPU set",
			 restore ? "restore" : "read");
		return GBA_ERR_CONFIG;
	}
	return GBA_OK;
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
		if ((r = own_cpus(0, &all, err, err_len)) != 0)
			goto fail;
		pinned = 1;
	}
	/* external loop: the worker thread (http_worker.c) waits for the
	 * daemon and its store connection at once */
	flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TLS |
		MHD_USE_ITC | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ERROR_LOG;
	bsf_mhd_set_error_hook(bsf_http_mhd_error);
	srv->n_w = cfg->threads ? cfg->threads : 1;
	if (srv->n_w > BSF_THREADS_MAX)
		srv->n_w = BSF_THREADS_MAX;
	for (i = 0; i < srv->n_w; i++) {
		srv->wk[i].srv = srv;
		srv->wk[i].idx = (unsigned)i;
		srv->wk[i].ep = srv->wk[i].ev = -1;
	}
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
			flags, 0, NULL, NULL, bsf_http_on_request, srv,
			MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
			MHD_OPTION_NOTIFY_CONNECTION, notify_conn, srv,
			MHD_OPTION_NOTIFY_COMPLETED, bsf_http_on_completed, srv,
			MHD_OPTION_URI_LOG_CALLBACK, bsf_http_uri_seen, srv,
			MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
		srv->wk[i].d = srv->w[i];
		if (!srv->w[i] || bsf_http_worker_start(&srv->wk[i]) != GBA_OK) {
			snprintf(err, err_len, "cannot start HTTPS worker %zu",
				 i);
			r = GBA_ERR_IO;
			goto fail;
		}
	}
	/* the acceptor, admin and store threads keep the whole set */
	if (pinned) {
		pinned = 0;
		if ((r = own_cpus(1, &all, err, err_len)) != 0)
			goto fail;
	}
	if (cfg->per_ip_connections) {
		for (srv->ip_cap = 64; srv->ip_cap < 2 * (size_t)cfg->max_connections;)
			srv->ip_cap *= 2;
		if (!(srv->ip = calloc(srv->ip_cap, sizeof(*srv->ip)))) {
			r = GBA_ERR_NOMEM;
			goto fail;
		}
	}
	if ((srv->lfd = bsf_http_listen_on(&ss, v6)) < 0) {
		snprintf(err, err_len, "cannot listen on %s:%u: %s",
			 cfg->listen, cfg->port, strerror(errno));
		r = GBA_ERR_IO;
		goto fail;
	}
	if (pipe2(srv->wake, O_CLOEXEC) != 0 ||
	    pthread_create(&srv->acc, NULL, bsf_http_accept_loop, srv) != 0) {
		snprintf(err, err_len, "cannot start the acceptor thread");
		r = GBA_ERR_IO;
		goto fail;
	}
	srv->acc_started = 1;
	if (cfg->admin_enabled) {
		/* bound here so that a port in use is reported with errno */
		int afd = bsf_http_listen_on(&ss_admin, v6a);

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
			0, NULL, NULL, bsf_http_on_admin, srv,
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
	bsf_http_stop_acceptor(srv);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* a short grace period first: bytes of a request that had already
	 * arrived when the signal came get processed and counted */
	while (bsf_http_since(&t0) < BSF_DRAIN_GRACE_S || bsf_metrics_inflight_now() > 0) {
		if (bsf_http_since(&t0) > timeout && bsf_http_since(&t0) >= BSF_DRAIN_GRACE_S)
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
	bsf_http_stop_acceptor(srv);
	bsf_guard_quiesce(srv->guard);
	for (i = 0; i < srv->n_w; i++) {
		bsf_http_worker_stop(&srv->wk[i]); /* and its daemon */
		srv->w[i] = NULL;
	}
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
