/*
 * see http_i.h: the HTTPS workers.  Each is one thread that owns one
 * libmicrohttpd daemon in external-loop epoll mode and, on a PostgreSQL
 * store, one pipelined connection of its own (store_pipe.h), and waits in
 * one epoll_wait() for both: the daemon's epoll descriptor, the store
 * socket and an eventfd by which the acceptor hands it new connections
 * (MHD_add_connection() is not thread-safe on an external-loop daemon in
 * libmicrohttpd 0.9.75, so the worker calls it itself).
 *
 * A GPI request whose lookup may go that way (push.h
 * bsf_push_lookup_async_ok()) is decoded and authorised in the access
 * handler as before, its lookup is queued on the pipe and the connection
 * suspended (MHD_suspend_connection(), MHD_ALLOW_SUSPEND_RESUME); at the
 * end of the pass the queued lookups go out in one write.  When results
 * come in (in the order sent) each request's connection is resumed and
 * the access handler, called again, finishes it (push.h
 * bsf_push_finish(): keys, GPI, encoding) and answers.  Meanwhile the
 * worker serves every other connection; at saturation it collects many
 * requests per wake-up as on SQLite.
 *
 * The pipe broken (PostgreSQL restarting, a fail-over) or silent for
 * BSF_PIPE_TIMEOUT_S (5 s) with lookups out: every pending lookup is answered
 * as the synchronous path answers a store error (503, Retry-After) and
 * the pipe closed; new requests take the synchronous path (the pool) and
 * the pipe is reopened at most once per BSF_PIPE_RETRY_S.  Other lookups
 * (IMPU, GSIDs, zh mode) and SQLite stores stay synchronous.
 *
 * In zh mode the AV of step 5 (one MAR, diam_zh.h) is asked the same way
 * (push.h bsf_push_av_send()): the connection is suspended, freeDiameter's
 * thread that delivers the MAA (or its expiry at [hss] timeout_ms) queues
 * the answer on the worker (@avq) and wakes it through the eventfd; the
 * worker resumes the connection and the access handler finishes it.  A
 * worker never waits for the HSS, so a slow or silent HSS holds only the
 * requests that need it, and a worker keeps many MARs in flight.  A
 * connection closed meanwhile leaves its ticket, freed when the answer
 * comes; the answer always comes (freeDiameter's expiry, or
 * bsf_zh_client_cancel() at shutdown, before the workers stop).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "gba/crypto.h"
#include "http_i.h"
#include "log.h"
#include "push.h"
#include "store_pipe.h"

#define BSF_PIPE_TIMEOUT_S 5.0 /* lookups out, no answer: give up (below the
				 * default body_timeout, 10 s) */
#define BSF_PIPE_RETRY_S 1.0	/* between two attempts to reopen */

enum { EV_WAKE = 1, EV_MHD, EV_PIPE };

/* the worker of the calling thread (its access handler) */
static _Thread_local struct bsf_worker *cur_worker;

/* an AV asked without waiting (zh): made by the worker, queued on it by
 * av_done(), freed by the worker once the answer is in */
struct bsf_av_wait {
	struct bsf_worker *w;
	struct rq *rq; /* NULL: the request went away */
	struct bsf_av_answer *ans;
	struct bsf_av_wait *next; /* in @w->avq */
};

static int ep_set(struct bsf_worker *w, int op, int fd, uint32_t ev,
		  uint32_t tag)
{
	struct epoll_event e;

	memset(&e, 0, sizeof(e));
	e.events = ev;
	e.data.u32 = tag;
	return epoll_ctl(w->ep, op, fd, &e);
}

static void pipe_close(struct bsf_worker *w)
{
	if (!w->pipe)
		return;
	ep_set(w, EPOLL_CTL_DEL, w->pipe_fd, 0, EV_PIPE);
	bsf_store_pipe_close(w->pipe);
	w->pipe = NULL;
	w->pipe_out = 0;
	w->pipe_retry = bsf_http_mono_now() + BSF_PIPE_RETRY_S;
}

/* the pipe, opened when missing; 0 when the synchronous path must do */
static int pipe_ready(struct bsf_worker *w)
{
	struct bsf_push_ctx *ctx = w->srv->push;
	int r;

	if (w->pipe)
		return !bsf_store_pipe_broken(w->pipe);
	if (w->pipe_none || bsf_http_mono_now() < w->pipe_retry)
		return 0;
	r = bsf_store_pipe_open(ctx->st, &w->pipe);
	if (r == GBA_ERR_BAD_PARAM) {
		w->pipe_none = 1; /* SQLite */
		return 0;
	}
	if (r != GBA_OK) {
		w->pipe_retry = bsf_http_mono_now() + BSF_PIPE_RETRY_S;
		return 0;
	}
	w->pipe_fd = bsf_store_pipe_fd(w->pipe);
	if (ep_set(w, EPOLL_CTL_ADD, w->pipe_fd, EPOLLIN, EV_PIPE) != 0) {
		bsf_store_pipe_close(w->pipe);
		w->pipe = NULL;
		w->pipe_none = 1;
		return 0;
	}
	return 1;
}

int bsf_http_lookup_send(struct MHD_Connection *c, struct rq *rq,
			 const struct bsf_push_req *req)
{
	struct bsf_worker *w = cur_worker;

	if (!w || !bsf_push_lookup_async_ok(w->srv->push, req) ||
	    !pipe_ready(w))
		return 1;
	if (!(rq->req = malloc(sizeof(*req))))
		return 1;
	memcpy(rq->req, req, sizeof(*req));
	if (bsf_store_pipe_send(w->pipe, rq->nafrec->id, req->ue_id,
				req->ue_id_len, rq) != GBA_OK) {
		free(rq->req);
		rq->req = NULL;
		return 1;
	}
	if (bsf_store_pipe_pending(w->pipe) == 1)
		w->progress = bsf_http_mono_now();
	rq->c = c;
	rq->async = RQ_LOOKUP_OUT;
	rq->run.t_lookup = bsf_http_mono_now();
	MHD_suspend_connection(c);
	return GBA_OK;
}

/* results in (or the pipe broken): each request resumed to finish */
static void deliver(struct bsf_worker *w)
{
	struct bsf_key_row row;
	struct bsf_ue ue;
	void *tag;
	int r, n = 0;

	while (bsf_store_pipe_next(w->pipe, &tag, &r, &ue, &row)) {
		struct rq *rq = tag;

		rq->lookup_r = bsf_hss_ue_lookup_take(r, &ue, &row,
						      &rq->run.key);
		rq->run.ue = ue; /* the parameters move to @rq */
		rq->run.have_ue = 1;
		rq->async = RQ_LOOKUP_IN;
		MHD_resume_connection(rq->c);
		n++;
	}
	if (n) {
		gba_cleanse(&ue, sizeof(ue));
		w->progress = bsf_http_mono_now();
	}
	if (bsf_store_pipe_broken(w->pipe) &&
	    bsf_store_pipe_pending(w->pipe) == 0) {
		BSF_LOG(BSF_LOG_STORE, BSF_LOG_WARNING,
			"store: pipelined connection of worker %u lost",
			w->idx);
		pipe_close(w);
	}
}

static void flush(struct bsf_worker *w)
{
	int r = bsf_store_pipe_flush(w->pipe);
	int out = r == 1;

	if (r < 0) {
		deliver(w); /* 503 for what was out */
		return;
	}
	if (out != w->pipe_out &&
	    ep_set(w, EPOLL_CTL_MOD, w->pipe_fd,
		   EPOLLIN | (out ? EPOLLOUT : 0), EV_PIPE) == 0)
		w->pipe_out = out;
}

int bsf_http_av_async(const struct bsf_server *srv)
{
	const struct bsf_push_ctx *ctx = srv->push;

	return cur_worker && ctx->avs && ctx->avs->av_send;
}

static void wake(struct bsf_worker *w)
{
	uint64_t one = 1;

	if (write(w->ev, &one, sizeof(one)) < 0)
		BSF_LOG(BSF_LOG_HTTP, BSF_LOG_ERR, "worker wake-up: %s",
			strerror(errno));
}

/* the AV source's answer (another thread): onto the worker's queue */
static void av_done(void *tag, struct bsf_av_answer *ans)
{
	struct bsf_av_wait *t = tag;
	struct bsf_worker *w = t->w;
	int first;

	t->ans = ans;
	pthread_mutex_lock(&w->mu);
	first = w->avq == NULL;
	t->next = w->avq;
	w->avq = t;
	pthread_mutex_unlock(&w->mu);
	/* a queue that was not empty has its wake-up pending: the worker
	 * takes the whole queue after reading the eventfd */
	if (first)
		wake(w);
}

int bsf_http_av_send(struct MHD_Connection *c, struct rq *rq,
		     const struct bsf_push_req *req)
{
	struct bsf_worker *w = cur_worker;
	struct bsf_av_wait *t;
	int own_req = 0;

	if (!w || !(t = calloc(1, sizeof(*t))))
		return 1;
	if (rq->req != req) {
		if (!(rq->req = malloc(sizeof(*req)))) {
			free(t);
			return 1;
		}
		memcpy(rq->req, req, sizeof(*req));
		own_req = 1;
	}
	t->w = w;
	t->rq = rq;
	if (bsf_push_av_send(w->srv->push, rq->req, rq->res, &rq->run,
			     av_done, t) != GBA_OK) {
		free(t);
		if (own_req) {
			free(rq->req);
			rq->req = NULL;
		}
		return 1;
	}
	/* the answer is queued on this thread's worker: handled after
	 * this handler returns, never before the suspension */
	rq->avw = t;
	rq->c = c;
	rq->async = RQ_AV_OUT;
	MHD_suspend_connection(c);
	return GBA_OK;
}

void bsf_http_av_abandon(struct rq *rq)
{
	if (rq->avw)
		rq->avw->rq = NULL;
	rq->avw = NULL;
}

/* the AVs that came in: each request resumed to finish */
static void av_deliver(struct bsf_worker *w)
{
	struct bsf_av_wait *t, *next, *fifo = NULL;

	pthread_mutex_lock(&w->mu);
	t = w->avq;
	w->avq = NULL;
	pthread_mutex_unlock(&w->mu);
	for (; t; t = next) { /* newest first: reversed */
		next = t->next;
		t->next = fifo;
		fifo = t;
	}
	for (t = fifo; t; t = next) {
		struct rq *rq = t->rq;

		next = t->next;
		if (rq) {
			bsf_push_av_take(&rq->run, t->ans);
			rq->avw = NULL;
			rq->async = RQ_AV_IN;
			MHD_resume_connection(rq->c);
		} else {
			bsf_av_answer_free(t->ans);
		}
		free(t);
	}
}

/* the connections the acceptor queued (bsf_http_worker_give()) */
static void take_new(struct bsf_worker *w)
{
	struct bsf_newconn *q;
	size_t i, n;
	uint64_t x;

	if (read(w->ev, &x, sizeof(x)) < 0 && errno != EAGAIN)
		return;
	av_deliver(w);
	pthread_mutex_lock(&w->mu);
	q = w->nq;
	n = w->nq_n;
	w->nq = NULL;
	w->nq_n = w->nq_cap = 0;
	pthread_mutex_unlock(&w->mu);
	for (i = 0; i < n; i++)
		if (MHD_add_connection(w->d, q[i].fd,
				       (const struct sockaddr *)&q[i].sa,
				       q[i].sl) != MHD_YES)
			bsf_http_add_failed(w->srv, w->idx, &q[i]);
	free(q);
}

int bsf_http_worker_give(struct bsf_worker *w, const struct bsf_newconn *nc)
{
	int r = GBA_OK;

	pthread_mutex_lock(&w->mu);
	if (w->nq_n == w->nq_cap) {
		size_t cap = w->nq_cap ? 2 * w->nq_cap : 16;
		struct bsf_newconn *q = realloc(w->nq, cap * sizeof(*q));

		if (q) {
			w->nq = q;
			w->nq_cap = cap;
		}
	}
	if (w->nq_n < w->nq_cap)
		w->nq[w->nq_n++] = *nc;
	else
		r = GBA_ERR_NOMEM;
	pthread_mutex_unlock(&w->mu);
	if (r == GBA_OK)
		wake(w);
	return r;
}

static int wait_ms(struct bsf_worker *w)
{
	MHD_UNSIGNED_LONG_LONG t;
	long long ms = -1;

	if (MHD_get_timeout(w->d, &t) == MHD_YES)
		ms = t > 60000 ? 60000 : (long long)t;
	if (w->pipe && bsf_store_pipe_pending(w->pipe)) {
		double left = w->progress + BSF_PIPE_TIMEOUT_S -
			      bsf_http_mono_now();
		long long pm = left <= 0 ? 0 : (long long)(left * 1e3) + 1;

		if (ms < 0 || pm < ms)
			ms = pm;
	}
	return (int)ms;
}

static void *worker_main(void *arg)
{
	struct bsf_worker *w = arg;
	struct epoll_event ev[8];
	int i, n;

	cur_worker = w;
	while (!atomic_load(&w->stop)) {
		n = epoll_wait(w->ep, ev, 8, wait_ms(w));
		if (n < 0 && errno != EINTR) {
			BSF_LOG(BSF_LOG_HTTP, BSF_LOG_ERR, "worker %u: epoll: %s",
				w->idx, strerror(errno));
			break;
		}
		for (i = 0; i < n; i++) {
			if (ev[i].data.u32 == EV_WAKE)
				take_new(w);
			else if (ev[i].data.u32 == EV_PIPE && w->pipe) {
				if (ev[i].events & ~(uint32_t)EPOLLOUT)
					bsf_store_pipe_read(w->pipe);
				if (ev[i].events & EPOLLOUT)
					flush(w);
			}
		}
		if (w->pipe)
			deliver(w);
		MHD_run(w->d);
		if (w->pipe) {
			flush(w);
			if (w->pipe && bsf_store_pipe_pending(w->pipe) &&
			    bsf_http_mono_now() - w->progress >
				    BSF_PIPE_TIMEOUT_S) {
				BSF_LOG(BSF_LOG_STORE, BSF_LOG_WARNING,
					"store: no answer for %.0f s on the "
					"pipelined connection",
					BSF_PIPE_TIMEOUT_S);
				bsf_store_pipe_fail(w->pipe);
				deliver(w);
			}
		}
	}
	/* stopping: what is still out is answered as a store error; the
	 * AVs out were answered by bsf_zh_client_cancel() already */
	if (w->pipe) {
		bsf_store_pipe_fail(w->pipe);
		deliver(w);
	}
	av_deliver(w);
	MHD_run(w->d);
	return NULL;
}

int bsf_http_worker_start(struct bsf_worker *w)
{
	const union MHD_DaemonInfo *di;

	pthread_mutex_init(&w->mu, NULL);
	w->mu_init = 1;
	w->ep = epoll_create1(EPOLL_CLOEXEC);
	w->ev = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	di = MHD_get_daemon_info(w->d, MHD_DAEMON_INFO_EPOLL_FD);
	if (w->ep < 0 || w->ev < 0 || !di ||
	    ep_set(w, EPOLL_CTL_ADD, w->ev, EPOLLIN, EV_WAKE) != 0 ||
	    ep_set(w, EPOLL_CTL_ADD, di->epoll_fd, EPOLLIN, EV_MHD) != 0 ||
	    pthread_create(&w->thr, NULL, worker_main, w) != 0)
		return GBA_ERR_IO;
	w->started = 1;
	return GBA_OK;
}

void bsf_http_worker_stop(struct bsf_worker *w)
{
	size_t i;

	if (w->started) {
		uint64_t one = 1;

		atomic_store(&w->stop, 1);
		if (write(w->ev, &one, sizeof(one)) < 0)
			BSF_LOG(BSF_LOG_HTTP, BSF_LOG_ERR,
				"worker wake-up: %s", strerror(errno));
		pthread_join(w->thr, NULL);
		w->started = 0;
	}
	/* connections handed over but never added */
	for (i = 0; i < w->nq_n; i++) {
		close(w->nq[i].fd);
		bsf_http_add_failed(w->srv, w->idx, &w->nq[i]);
	}
	free(w->nq);
	w->nq = NULL;
	w->nq_n = w->nq_cap = 0;
	if (w->d)
		MHD_stop_daemon(w->d); /* resumes and closes the rest */
	w->d = NULL;
	if (w->pipe) {
		bsf_store_pipe_close(w->pipe);
		w->pipe = NULL;
	}
	if (w->ep >= 0)
		close(w->ep);
	if (w->ev >= 0)
		close(w->ev);
	w->ep = w->ev = -1;
	if (w->mu_init)
		pthread_mutex_destroy(&w->mu);
	w->mu_init = 0;
}
