/*
 * http_i.h - what the parts of the HTTPS front end share (http.h is the
 * interface): the server, connection and request contexts, and the entry
 * points each file gives the others.
 *   http.c          lifecycle, TLS credentials and session hooks
 *   http_accept.c   acceptor thread and connection accounting
 *   http_worker.c   the workers: one thread, one MHD daemon (external
 *                   epoll loop), one pipelined store connection each
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
#include "push.h"
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

/* an accepted socket on its way to a worker (bsf_http_worker_give()) */
struct bsf_newconn {
	int fd;
	struct sockaddr_storage sa;
	socklen_t sl;
	uint8_t k[17]; /* per_ip_connections key */
	int gh;	       /* the guard's admission */
};

struct bsf_store_pipe;

/* one HTTPS worker (http_worker.c) */
struct bsf_worker {
	struct bsf_server *srv;
	unsigned idx;
	struct MHD_Daemon *d; /* == srv->w[idx] */
	pthread_t thr;
	int started;
	int ep, ev; /* its epoll; the eventfd that wakes it */
	atomic_int stop;
	pthread_mutex_t mu; /* @nq */
	int mu_init;
	struct bsf_newconn *nq;
	size_t nq_n, nq_cap;
	/* the AVs asked without waiting (zh) whose answers are in
	 * (http_worker.c av_done()), under @mu */
	struct bsf_av_wait *avq;
	/* the lookups without waiting (store_pipe.h); NULL: none open */
	struct bsf_store_pipe *pipe;
	int pipe_fd, pipe_out, pipe_none;
	double pipe_retry; /* monotonic s: no reopening before */
	double progress;   /* monotonic s of the last result (or send) */
};

struct bsf_server {
	const struct bsf_config *cfg;
	struct bsf_push_ctx *push;
	/* HTTPS: our own acceptor thread hands each accepted socket to the
	 * worker (one MHD daemon, one epoll thread each) with the fewest
	 * open connections; see accept_loop() */
	struct MHD_Daemon *w[BSF_THREADS_MAX];
	struct bsf_worker wk[BSF_THREADS_MAX];
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
	/* a step sent without waiting (http_worker.c), the connection
	 * suspended meanwhile: RQ_LOOKUP_OUT, then RQ_LOOKUP_IN with its
	 * result in @run / @lookup_r; RQ_AV_OUT (zh: the MAR), then
	 * RQ_AV_IN with the AV in @run; either *_IN finishes on
	 * resumption */
	int async;
	int lookup_r;
	struct bsf_push_req *req; /* the decoded request meanwhile */
	struct bsf_push_res *res; /* RQ_AV_*: the answer being made */
	struct bsf_av_wait *avw;  /* RQ_AV_OUT: the AV asked for */
	struct bsf_push_run run;
	struct MHD_Connection *c;
};

enum { RQ_SYNC, RQ_LOOKUP_OUT, RQ_LOOKUP_IN, RQ_AV_OUT, RQ_AV_IN };


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

void bsf_http_add_failed(struct bsf_server *srv, unsigned w,
			 const struct bsf_newconn *nc);

/* http_worker.c */
int bsf_http_worker_start(struct bsf_worker *w);
void bsf_http_worker_stop(struct bsf_worker *w);
int bsf_http_worker_give(struct bsf_worker *w, const struct bsf_newconn *nc);
/* queue the lookup of @req and suspend @c: GBA_OK, or 1 (nothing done:
 * take the synchronous path) */
int bsf_http_lookup_send(struct MHD_Connection *c, struct rq *rq,
			 const struct bsf_push_req *req);
/* 1 when this thread is a worker whose AV source can answer without
 * waiting (zh): bsf_http_av_send() may then succeed */
int bsf_http_av_async(const struct bsf_server *srv);
/* ask the AV of @req (@rq->res, @rq->run prepared) without waiting and
 * suspend @c: GBA_OK, or 1 (nothing done: ask it synchronously) */
int bsf_http_av_send(struct MHD_Connection *c, struct rq *rq,
		     const struct bsf_push_req *req);
/* @rq goes away while its AV is out: its answer is dropped when in */
void bsf_http_av_abandon(struct rq *rq);

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
