/* see http_i.h: the acceptor thread and connection accounting */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "http_i.h"
#include "log.h"
#include "metrics.h"

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
void bsf_http_conn_closed(struct bsf_server *srv, struct MHD_Connection *c)
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
			bsf_guard_ip_key(ci->client_addr, k);
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
void *bsf_http_accept_loop(void *arg)
{
	struct bsf_server *srv = arg;
	struct pollfd pf[2];
	struct sockaddr_storage sa;
	socklen_t sl;
	uint8_t k[17] = {0};
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
			bsf_guard_ip_key((struct sockaddr *)&sa, k);
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
		 * The worker adds the socket to its daemon (http_worker.c),
		 * which owns (and closes) it from then on.  Accounting: MHD
		 * calls NOTIFY_CLOSED for every connection it started, and
		 * bsf_http_conn_closed() undoes the counts then.  If MHD
		 * refuses the socket at once, bsf_http_add_failed() undoes
		 * them; a connection MHD drops internally before starting it
		 * (allocation or TLS set-up failure) would keep its counts:
		 * accepted, as that is an out-of-memory path only.
		 */
		{
			struct bsf_newconn nc;

			nc.fd = fd;
			nc.sa = sa;
			nc.sl = sl;
			memcpy(nc.k, k, sizeof(nc.k));
			nc.gh = gh;
			if (bsf_http_worker_give(&srv->wk[best], &nc) !=
			    GBA_OK) {
				close(fd);
				bsf_http_add_failed(srv, best, &nc);
			}
		}
	}
	return NULL;
}

/* the counts of @nc undone: its worker could not add it (closed) */
void bsf_http_add_failed(struct bsf_server *srv, unsigned w,
			 const struct bsf_newconn *nc)
{
	atomic_fetch_sub(&srv->conns, 1);
	atomic_fetch_sub(&srv->w_conns[w], 1);
	if (srv->cfg->per_ip_connections)
		ip_put(srv, nc->k);
	bsf_guard_unadmit(srv->guard, nc->gh);
}

int bsf_http_listen_on(const struct sockaddr_storage *ss, int v6)
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
void bsf_http_stop_acceptor(struct bsf_server *srv)
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
