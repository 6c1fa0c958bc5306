/*
 * http_i.h - what the parts of the HTTPS front end share (http.h is the
 * interface): the server, connection and request contexts, and the entry
 * points each file gives the others.
 *   http.c          lifecycle, TLS credentials and session hooks
 *   http_accept.c   acceptor thread and connection accounting
 *   http_request.c  the request path: headers, body, bindings, answers
 *   http_admin.c    the admin listener (/healthz, /metrics)
 */
#ifndef BSF_HTTP_I_H
#define BSF_HTTP_I_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include <microhttpd.h>
#include "binding.h"
#include "bsf_limits.h"
#include "conn_guard.h"
#include "gba/text.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "ratelimit.h"
#include "tlscred.h"

#define RESP_MAX BSF_RESP_MAX /* with the ussList (bsf_limits.h) */
#define BSF_HTTP_ERR_MAX 4096 /* a problem or fault body */

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
	/* the Push-NAF record (push.h) */
	struct bsf_push_naf_cache naf;
	struct bsf_tlscred *cred; /* the credentials of this session */
};

/* per request (MHD con_cls) */
struct rq {
	enum bsf_endpoint ep;
	const struct bsf_binding *b; /* the resource's binding, or NULL */
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


/* monotonic clock: seconds since @t0, and now */
static inline double bsf_http_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static inline double bsf_http_mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* http_accept.c */
void *bsf_http_accept_loop(void *arg);
int bsf_http_listen_on(const struct sockaddr_storage *ss, int v6);
void bsf_http_stop_acceptor(struct bsf_server *srv);
void bsf_http_conn_closed(struct bsf_server *srv, struct MHD_Connection *c);

/* http_request.c */
enum MHD_Result bsf_http_respond(struct MHD_Connection *c, struct rq *rq,
				 int status, const char *ctype,
				 const char *body, size_t len,
				 unsigned retry_after, int close_conn,
				 const char *allow);
enum MHD_Result bsf_http_on_request(void *cls, struct MHD_Connection *c,
				    const char *url, const char *method,
				    const char *version, const char *upload,
				    size_t *upload_size, void **con_cls);
void bsf_http_on_completed(void *cls, struct MHD_Connection *c,
			   void **con_cls,
			   enum MHD_RequestTerminationCode toe);
void *bsf_http_uri_seen(void *cls, const char *uri,
			struct MHD_Connection *c);
int bsf_http_mhd_error(struct MHD_Connection *c, unsigned status,
		       enum MHD_Result *ret);

/* http_admin.c */
enum MHD_Result bsf_http_on_admin(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls);

#endif
