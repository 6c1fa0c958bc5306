/*
 * see hss.h - TS 33.102 V17.0.0 clause 6.3.2 / 6.3.5 and Annex C.
 *
 * SQN durability (docs/hss-store.md "SQN durability"):
 *
 *   Durable per subscriber: (seq_floor F, run_floor RF).  Durable per
 *   store: the run counter R (meta hss_run, +1 before the first AV after
 *   every bsf_hss_open()), the block size B and the IND length.
 *
 *   In run r the subscriber may use the SEQ window
 *        W(r) = (F + (r - RF) * B,  F + (r - RF + 1) * B]
 *   Windows of different runs are disjoint and increase with r, so a new
 *   run never repeats what an earlier run (killed at any point) issued,
 *   without writing anything per subscriber at start-up.
 *
 *   When run r exhausts its window (or a resync lifts SEQ_HE above it),
 *   it first commits (fsync) F = max(limit, SEQ_HE), RF = r: the window of
 *   run r becomes (F, F + B] and every later run starts above F + B.
 *   Only then are values above the old limit handed out.
 *
 *   A resync that LOWERS SEQ_HE to SEQ_MS (TS 33.102 6.3.5, Delta)
 *   commits F = SEQ_MS, RF = r first, replacing any window reserved
 *   ahead; values above SEQ_MS may then be issued again: no SQN repeats
 *   between two resyncs of a subscriber.
 *
 *   Cost: each restart skips at most B values per subscriber (untouched
 *   subscribers included: after n restarts the next SEQ is up to n * B
 *   higher), which the USIM accepts while it stays below Delta
 *   (gba/sqn.h: 2^28 by default).  Changing B rebases all rows once at
 *   open; changing the IND length is refused (it would reinterpret SEQ).
 *
 *   The durable state is reached only through the store interface
 *   (store_ops.h: sqn_run_prepare, sqn_run_start, sqn_floor(s); the
 *   SQLite statements in store_sqn.c); a shared store (PostgreSQL) hands
 *   out the windows itself (sqn_reserve, sqn_lower, sqn_ind_bits).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "gba/sqn.h"
#include "hss.h"
#include "store_ops.h"

struct sqn_ent {
	int64_t id;	 /* 0: free slot */
	uint64_t seq_he; /* last SEQ handed out (or window start) */
	uint64_t limit;	 /* highest SEQ covered by the durable state */
	uint64_t tat;	 /* AV rate limit: GCRA theoretical arrival, us */
	uint8_t busy;	 /* a synchronous reservation write is in flight */
	uint8_t queued;	 /* waiting for the background reserver */
	uint8_t bg;	 /* the background reserver is writing this one */
	int64_t gen;	 /* shared stores: the window's generation */
	uint64_t floor;	 /* shared stores: next window above this (resync) */
};

/* background reservations: at most this many queued, and per commit */
#define AHEAD_QUEUE 1024

struct bsf_hss {
	struct bsf_store *st;
	struct bsf_hss_cfg cfg;
	int64_t run;	  /* this run's number, once started */
	int64_t run_base; /* the store's run counter when opened */
	int64_t max_id;	  /* highest subscriber id when opened */
	int shared;	  /* the store hands out the windows (several nodes) */
	int started;	  /* run counter incremented (first AV) */
	int starting;	  /* a thread is incrementing it */
	uint64_t seq_max;
	int lock_fd;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct sqn_ent *tab;
	size_t cap, used; /* cap a power of two */
	/* reserve-ahead: ids whose window is half used, for the reserver
	 * thread, which commits them together (one fsync for many) */
	int64_t ahead[AHEAD_QUEUE];
	size_t n_ahead;
	pthread_cond_t ahead_cv;
	pthread_t ahead_thr;
	int ahead_started, ahead_stop;
	uint64_t n_sync, n_bg, n_bg_commits; /* statistics, under mu */
	uint64_t n_lowered, n_rate_refused;
};

void bsf_hss_cfg_default(struct bsf_hss_cfg *cfg)
{
	if (cfg == NULL)
		return;
	/* GBA Push's own IND slot (docs/sqn.md, project choice) */
	cfg->ind = gba_sqn_node_ind(GBA_SQN_NODE_BSF_PUSH);
	cfg->ind_bits = GBA_SQN_IND_BITS_DEFAULT;
	cfg->seq_block = BSF_HSS_SEQ_BLOCK_DEFAULT;
	cfg->ue_rate = 0;
	cfg->ue_burst = 0;
	cfg->now_us = NULL;
}

/* ------------------------------------------------------------------ */
/* In-memory SEQ_HE table: open addressing on the subscriber id. */

static size_t slot_of(int64_t id, size_t cap)
{
	uint64_t x = (uint64_t)id * UINT64_C(0x9e3779b97f4a7c15);

	return (size_t)(x >> 17) & (cap - 1);
}

static struct sqn_ent *tab_find(struct bsf_hss *h, int64_t id)
{
	size_t i = slot_of(id, h->cap);

	while (h->tab[i].id != 0) {
		if (h->tab[i].id == id)
			return &h->tab[i];
		i = (i + 1) & (h->cap - 1);
	}
	return NULL;
}

static int tab_grow(struct bsf_hss *h)
{
	struct sqn_ent *old = h->tab, *t;
	size_t cap = h->cap * 2, i, j;

	if ((t = calloc(cap, sizeof(*t))) == NULL)
		return GBA_ERR_NOMEM;
	for (i = 0; i < h->cap; i++) {
		if (old[i].id == 0)
			continue;
		j = slot_of(old[i].id, cap);
		while (t[j].id != 0)
			j = (j + 1) & (cap - 1);
		t[j] = old[i];
	}
	h->tab = t;
	h->cap = cap;
	free(old);
	return GBA_OK;
}

static int tab_insert(struct bsf_hss *h, int64_t id, uint64_t seq_he,
		      uint64_t limit, struct sqn_ent **out)
{
	size_t i;
	int r;

	if ((h->used + 1) * 10 > h->cap * 7 && (r = tab_grow(h)) != 0)
		return r;
	i = slot_of(id, h->cap);
	while (h->tab[i].id != 0)
		i = (i + 1) & (h->cap - 1);
	h->tab[i].id = id;
	h->tab[i].seq_he = seq_he;
	h->tab[i].limit = limit;
	h->tab[i].tat = 0;
	h->tab[i].busy = 0;
	h->tab[i].queued = 0;
	h->tab[i].bg = 0;
	h->tab[i].gen = 0;
	h->tab[i].floor = 0;
	h->used++;
	*out = &h->tab[i];
	return GBA_OK;
}

/* ------------------------------------------------------------------ */
/* Open / close */

static void *ahead_main(void *arg);

static int lock_store(struct bsf_hss *h)
{
	const char *path = bsf_store_path(h->st);
	size_t n = strlen(path);
	char *lp = malloc(n + sizeof("-hss.lock"));
	int fd;

	if (lp == NULL)
		return GBA_ERR_NOMEM;
	memcpy(lp, path, n);
	memcpy(lp + n, "-hss.lock", sizeof("-hss.lock"));
	fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(lp);
	if (fd < 0)
		return GBA_ERR_IO;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;

		close(fd);
		return e == EWOULDBLOCK ? GBA_ERR_STATE : GBA_ERR_IO;
	}
	h->lock_fd = fd;
	return GBA_OK;
}

/*
 * At open (the store's run-counter op, one transaction): check the IND
 * length and the run counter, and on a new block size rebase every row so
 * that the next run's window starts above everything any run so far may
 * have used (RF = R + 1).  The run counter itself is NOT incremented
 * here: start_run() does that before the first AV, so a start that fails
 * before serving (or a daemon that never issues an AV) consumes no window.
 */
static int prepare_run(struct bsf_hss *h)
{
	return h->st->ops->sqn_run_prepare(h->st, h->cfg.ind_bits,
					   h->cfg.seq_block, h->seq_max,
					   &h->run_base, &h->max_id);
}

/*
 * Before the first AV of this process: run R + 1 made durable (one
 * fsync), with the IND length and block size.  Rows of subscribers added
 * since open (id > max_id, still RF = R) never had an AV in any run:
 * they move to RF = R + 1 so that their first SEQ is F + 1, as for a
 * subscriber added while the AuC runs.
 */
static int start_run(struct bsf_hss *h)
{
	return h->st->ops->sqn_run_start(h->st, h->run_base, h->max_id,
					 h->cfg.ind_bits, h->cfg.seq_block,
					 &h->run);
}

/* under h->mu: the run is started (one thread writes, the others wait) */
static int ensure_started(struct bsf_hss *h)
{
	int r;

	while (!h->started) {
		if (h->starting) {
			pthread_cond_wait(&h->cv, &h->mu);
			continue;
		}
		h->starting = 1;
		pthread_mutex_unlock(&h->mu);
		r = start_run(h);
		pthread_mutex_lock(&h->mu);
		h->starting = 0;
		pthread_cond_broadcast(&h->cv);
		if (r != GBA_OK)
			return r; /* not started; the next AV tries again */
		h->started = 1;
	}
	return GBA_OK;
}

/*
 * Size the SEQ table for every subscriber in the store, so that it does
 * not grow (a rehash of up to millions of entries under h->mu, stalling
 * every AV) while a large store warms up.  calloc() of this size maps
 * zero pages lazily: untouched slots cost no memory.
 */
static int presize(struct bsf_hss *h)
{
	uint64_t n = 0;
	size_t cap = h->cap;
	struct sqn_ent *t;
	int r;

	if ((r = bsf_store_sub_count(h->st, &n)) != GBA_OK)
		return r;
	/* load <= 0.7 with room for 25 % more subscribers, capped at 2^26
	 * slots (2 GiB of address space): beyond that the table grows */
	while ((uint64_t)cap * 7 < (uint64_t)n * 10 * 5 / 4 &&
	       cap < ((size_t)1 << 26))
		cap *= 2;
	if (cap == h->cap)
		return GBA_OK;
	if ((t = calloc(cap, sizeof(*t))) == NULL)
		return GBA_ERR_NOMEM;
	free(h->tab); /* empty: nothing issued yet */
	h->tab = t;
	h->cap = cap;
	return GBA_OK;
}

int bsf_hss_open(struct bsf_store *st, const struct bsf_hss_cfg *cfg,
		 struct bsf_hss **out)
{
	struct bsf_hss *h;
	int r;

	if (out == NULL)
		return GBA_ERR_BAD_PARAM;
	*out = NULL;
	if (st == NULL)
		return GBA_ERR_BAD_PARAM;
	/* the run-counter scheme keeps its state in the SQLite backend's
	 * tables; a shared store hands out the windows itself */
	if (st->ops->sqn_run_prepare == NULL && !bsf_store_sqn_shared(st))
		return GBA_ERR_UNSUPPORTED;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return GBA_ERR_NOMEM;
	h->lock_fd = -1;
	if (cfg)
		h->cfg = *cfg;
	else
		bsf_hss_cfg_default(&h->cfg);
	if (h->cfg.ind_bits > GBA_SQN_IND_BITS_MAX ||
	    h->cfg.ue_rate > BSF_HSS_UE_RATE_MAX ||
	    h->cfg.ind >= (1u << h->cfg.ind_bits) || h->cfg.seq_block == 0 ||
	    h->cfg.seq_block > BSF_HSS_SEQ_BLOCK_MAX) {
		free(h);
		return GBA_ERR_BAD_PARAM;
	}
	h->st = st;
	h->seq_max = GBA_SQN_MAX >> h->cfg.ind_bits;
	h->cap = 1024;
	if ((h->tab = calloc(h->cap, sizeof(*h->tab))) == NULL) {
		free(h);
		return GBA_ERR_NOMEM;
	}
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	pthread_cond_init(&h->ahead_cv, NULL);
	if (bsf_store_sqn_shared(st)) {
		/* several AuCs on one store: no run counter, no lock file;
		 * every window comes from the store (next_sqn_shared()) */
		h->shared = 1;
		h->started = 1;
		/* one IND length for all of them (as prepare_run()) */
		if ((r = bsf_store_sqn_ind_bits(st, h->cfg.ind_bits)) != 0) {
			bsf_hss_close(h);
			return r;
		}
	} else if ((r = lock_store(h)) != 0 || (r = prepare_run(h)) != 0 ||
		   (r = presize(h)) != 0) {
		bsf_hss_close(h);
		return r;
	}
	if (pthread_create(&h->ahead_thr, NULL, ahead_main, h) != 0) {
		bsf_hss_close(h);
		return GBA_ERR_NOMEM;
	}
	h->ahead_started = 1;
	*out = h;
	return GBA_OK;
}

void bsf_hss_close(struct bsf_hss *h)
{
	if (h == NULL)
		return;
	if (h->ahead_started) {
		pthread_mutex_lock(&h->mu);
		h->ahead_stop = 1;
		pthread_cond_signal(&h->ahead_cv);
		pthread_mutex_unlock(&h->mu);
		pthread_join(h->ahead_thr, NULL);
	}
	pthread_cond_destroy(&h->ahead_cv);
	if (h->lock_fd >= 0)
		close(h->lock_fd); /* releases the flock */
	pthread_cond_destroy(&h->cv);
	pthread_mutex_destroy(&h->mu);
	if (h->tab)
		gba_cleanse(h->tab, h->cap * sizeof(*h->tab));
	free(h->tab);
	free(h);
}

/* ------------------------------------------------------------------ */
/* Key row */

#define key_row bsf_hss_key

/* the store's key row -> the AuC's (wiped in the store's copy) */
static void row_take(struct key_row *kr, struct bsf_key_row *row)
{
	memset(kr, 0, sizeof(*kr));
	kr->sub_id = row->sub_id;
	kr->key = row->key;
	memcpy(kr->amf, row->amf, sizeof(kr->amf));
	kr->seq_floor = row->seq_floor;
	kr->run_floor = row->run_floor;
	kr->gen = row->gen;
	kr->hwm = row->hwm;
	gba_cleanse(row, sizeof(*row));
}

static int load_row(struct bsf_hss *h, int64_t sub_id, struct key_row *kr)
{
	struct bsf_key_row row;
	int r;

	memset(kr, 0, sizeof(*kr));
	if ((r = bsf_store_key_row(h->st, sub_id, &row)) == GBA_OK)
		row_take(kr, &row);
	return r;
}

/*
 * Durable: F = @floor, RF = current run (one autocommit, fsynced).  Under
 * h->mu, *@ep the subscriber's entry: the lock is dropped for the write,
 * the entry marked busy meanwhile and found again (*@ep) after it.
 */
static int reserve(struct bsf_hss *h, int64_t sub_id, uint64_t floor,
		   struct sqn_ent **ep)
{
	int r;

	(*ep)->busy = 1;
	pthread_mutex_unlock(&h->mu);
	r = h->st->ops->sqn_floor(h->st, h->run, sub_id, floor);
	pthread_mutex_lock(&h->mu);
	*ep = tab_find(h, sub_id);
	(*ep)->busy = 0;
	pthread_cond_broadcast(&h->cv);
	return r;
}

static uint64_t add_sat(uint64_t a, uint64_t b, uint64_t max)
{
	return (a > max || b > max - a) ? max : a + b;
}

static uint64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/*
 * Per-subscriber AV rate (GCRA, one word per entry): at most ue_burst AVs
 * at once, then one per 60 / ue_rate seconds.  Under h->mu.  Return 1 if
 * allowed; else 0 and *@retry = whole seconds until the next one is.
 */
static int rate_take(struct bsf_hss *h, struct sqn_ent *e, unsigned *retry)
{
	uint64_t now, t, tau, tat;
	uint32_t burst = h->cfg.ue_burst ? h->cfg.ue_burst : 1;

	if (h->cfg.ue_rate == 0)
		return 1;
	now = h->cfg.now_us ? h->cfg.now_us() : mono_us();
	t = UINT64_C(60000000) / h->cfg.ue_rate; /* emission interval, us */
	tau = (uint64_t)(burst - 1) * t;
	tat = e->tat > now ? e->tat : now;
	if (tat - now > tau) {
		uint64_t w = tat - now - tau;

		*retry = (unsigned)((w + 999999u) / 1000000u);
		if (*retry < 1)
			*retry = 1;
		h->n_rate_refused++;
		return 0;
	}
	e->tat = tat + t;
	return 1;
}

/*
 * After a verified AUTS (TS 33.102 6.3.5): SEQ_HE from
 * gba_sqn_he_resync(), under h->mu.  A higher SEQ_HE is only set in memory;
 * next_sqn() reserves durably before using anything above the limit.  A
 * LOWER SEQ_HE (SEQ_HE - SEQ_MS >= Delta: the USIM would reject every AV
 * we can make) is written first, F = SEQ_MS, RF = this run, replacing any
 * window reserved ahead; only then are SEQ_HE and the in-memory limit
 * lowered.  The writes of this subscriber are serialised (busy, bg), so
 * no older reservation can commit after it.  From then on the values
 * above SEQ_MS are issued again, each with a fresh RAND: the project rule
 * is "no SQN twice between two resyncs" (docs/hss-store.md section 4).
 */
static int resync_locked(struct bsf_hss *h, int64_t sub_id, struct sqn_ent **ep,
			 uint64_t sqn_ms)
{
	struct sqn_ent *e = *ep;
	uint64_t tmp;
	int r;

	while (e->busy || e->bg) {
		pthread_cond_wait(&h->cv, &h->mu);
		e = tab_find(h, sub_id);
	}
	tmp = e->seq_he;
	gba_sqn_he_resync(&tmp, sqn_ms, h->cfg.ind_bits);
	if (tmp > e->seq_he)
		e->seq_he = tmp;
	if (tmp >= e->seq_he) {
		*ep = e;
		return GBA_OK;
	}
	r = reserve(h, sub_id, tmp, &e);
	if (r == GBA_OK) {
		e->seq_he = tmp;
		e->limit = add_sat(tmp, h->cfg.seq_block, h->seq_max);
		h->n_lowered++;
	}
	*ep = e;
	return r;
}

/*
 * next_sqn() on a shared store (several gba-bsf nodes, docs/hss-store.md
 * section 4 "Several AuCs on one shared store"): every window comes from
 * one atomic update in the store, in the subscriber's generation, and is
 * committed before its first value is used.  A window of an older
 * generation than the key row just read (another node lowered SEQ_HE)
 * is dropped before anything is issued from it.  No reserve-ahead: a
 * window used up is replaced on the request's path.
 */
static int next_sqn_shared(struct bsf_hss *h, int64_t sub_id,
			   const struct key_row *kr, const uint64_t *sqn_ms,
			   uint64_t *sqn, unsigned *retry)
{
	struct sqn_ent *e;
	uint64_t cur, tmp, ms;
	int64_t hi = 0, gen = 0;
	int r = GBA_OK, tries;

	pthread_mutex_lock(&h->mu);
	if ((e = tab_find(h, sub_id)) == NULL) {
		/* no window yet on this node: an empty one */
		if ((r = tab_insert(h, sub_id, 0, 0, &e)) != GBA_OK)
			goto out;
		e->gen = kr->gen;
	}
	if (!rate_take(h, e, retry)) {
		r = GBA_ERR_RATE_LIMIT;
		goto out;
	}
	while (e->busy) {
		pthread_cond_wait(&h->cv, &h->mu);
		e = tab_find(h, sub_id);
	}
	if (kr->gen > e->gen) {
		/* a resync on another node ended our window */
		e->gen = kr->gen;
		e->seq_he = e->limit = e->floor = 0;
	}
	if (sqn_ms) {
		ms = *sqn_ms >> h->cfg.ind_bits;
		/* the HE's SEQ_HE is the highest handed out by any node */
		cur = e->seq_he > (uint64_t)kr->hwm ? e->seq_he
						    : (uint64_t)kr->hwm;
		tmp = cur;
		gba_sqn_he_resync(&tmp, *sqn_ms, h->cfg.ind_bits);
		if (tmp < cur) {
			/* lower to SEQ_MS: a new generation, committed first */
			e->busy = 1;
			pthread_mutex_unlock(&h->mu);
			r = bsf_store_sqn_lower(h->st, sub_id, (int64_t)ms,
						h->cfg.seq_block, &gen);
			pthread_mutex_lock(&h->mu);
			e = tab_find(h, sub_id);
			e->busy = 0;
			pthread_cond_broadcast(&h->cv);
			if (r != GBA_OK)
				goto out;
			e->gen = gen;
			e->seq_he = ms;
			e->limit = add_sat(ms, h->cfg.seq_block, h->seq_max);
			e->floor = 0;
			h->n_lowered++;
		} else if (e->seq_he <= ms) {
			/* the USIM has seen more: continue above SEQ_MS */
			e->seq_he = e->limit = 0;
			e->floor = ms;
		}
	}
	for (tries = 0; e->seq_he >= e->limit; tries++) {
		if (tries == 8) {
			r = GBA_ERR_STATE; /* the generation keeps moving */
			goto out;
		}
		e->busy = 1;
		h->n_sync++;
		pthread_mutex_unlock(&h->mu);
		r = bsf_store_sqn_reserve(h->st, sub_id, e->gen,
					  (int64_t)e->floor, h->cfg.seq_block,
					  (int64_t)h->seq_max, &hi, &gen);
		pthread_mutex_lock(&h->mu);
		e = tab_find(h, sub_id);
		e->busy = 0;
		pthread_cond_broadcast(&h->cv);
		if (r == GBA_ERR_STATE) {
			/* another node lowered meanwhile: its generation */
			e->gen = gen;
			e->seq_he = e->limit = e->floor = 0;
			continue;
		}
		if (r != GBA_OK)
			goto out;
		e->gen = gen;
		e->seq_he = (uint64_t)hi - h->cfg.seq_block;
		e->limit = (uint64_t)hi;
		e->floor = 0;
	}
	r = gba_sqn_he_next(&e->seq_he, h->cfg.ind, h->cfg.ind_bits, sqn);
out:
	pthread_mutex_unlock(&h->mu);
	return r;
}

/*
 * The next SQN for @sub_id.  @sqn_ms: the USIM's SQN from a verified
 * AUTS, or NULL.  Nothing is handed out above a durable bound.
 */
static int next_sqn(struct bsf_hss *h, int64_t sub_id, const struct key_row *kr,
		    const uint64_t *sqn_ms, uint64_t *sqn, unsigned *retry)
{
	struct sqn_ent *e;
	uint64_t w, lo, floor;
	int64_t rf;
	int r = GBA_OK;

	if (h->shared)
		return next_sqn_shared(h, sub_id, kr, sqn_ms, sqn, retry);
	pthread_mutex_lock(&h->mu);
	if ((r = ensure_started(h)) != GBA_OK)
		goto out;
	if ((e = tab_find(h, sub_id)) == NULL) {
		/* first AV of this run: W(r) from the durable row */
		rf = kr->run_floor;
		/* added after open, read before start_run() moved it */
		if (sub_id > h->max_id && rf == h->run_base)
			rf = h->run;
		if (rf > h->run) {
			r = GBA_ERR_STATE; /* row from a future run: copied DB?
					    */
			goto out;
		}
		w = (uint64_t)(h->run - rf);
		lo = (uint64_t)kr->seq_floor;
		if (w && h->cfg.seq_block > (h->seq_max - lo) / w)
			lo = h->seq_max;
		else
			lo += w * h->cfg.seq_block;
		r = tab_insert(h, sub_id, lo,
			       add_sat(lo, h->cfg.seq_block, h->seq_max), &e);
		if (r != GBA_OK)
			goto out;
	}
	if (!rate_take(h, e, retry)) {
		r = GBA_ERR_RATE_LIMIT;
		goto out;
	}
	if (sqn_ms && (r = resync_locked(h, sub_id, &e, *sqn_ms)) != GBA_OK)
		goto out;
	for (;;) {
		while (e->busy) {
			pthread_cond_wait(&h->cv, &h->mu);
			e = tab_find(h, sub_id);
		}
		if (e->seq_he < e->limit)
			break;
		if (e->seq_he >= h->seq_max) {
			r = GBA_ERR_SQN_EXHAUSTED;
			goto out;
		}
		if (e->bg) {
			/* the background write will raise the limit */
			pthread_cond_wait(&h->cv, &h->mu);
			e = tab_find(h, sub_id);
			continue;
		}
		/* reserve durably before using anything above the limit */
		floor = e->limit > e->seq_he ? e->limit : e->seq_he;
		h->n_sync++;
		r = reserve(h, sub_id, floor, &e);
		if (r != GBA_OK)
			goto out;
		if (floor > e->limit)
			e->limit = add_sat(floor, h->cfg.seq_block, h->seq_max);
		else
			e->limit =
				add_sat(e->limit, h->cfg.seq_block, h->seq_max);
	}
	r = gba_sqn_he_next(&e->seq_he, h->cfg.ind, h->cfg.ind_bits, sqn);
	/* half the window used: have the next one reserved in the
	 * background, so this subscriber's requests do not wait for it */
	if (r == GBA_OK && !e->busy && !e->queued && !e->bg &&
	    e->limit - e->seq_he <= h->cfg.seq_block / 2 &&
	    e->limit < h->seq_max && h->n_ahead < AHEAD_QUEUE) {
		e->queued = 1;
		h->ahead[h->n_ahead++] = sub_id;
		pthread_cond_signal(&h->ahead_cv);
	}
out:
	pthread_mutex_unlock(&h->mu);
	return r;
}

/*
 * The reserver thread.  It takes every queued subscriber, flags its entry
 * (bg), writes F = current limit, RF = this run for all of them in one
 * transaction (one fsync), and only then raises each limit by one block.
 * Meanwhile requests go on using the rest of the current window; one that
 * finds it used up waits for this write instead of starting its own.  The
 * invariant of section 4 of docs/hss-store.md is unchanged: nothing above
 * a durable bound is ever handed out.  A failed commit changes no limit;
 * the synchronous path then reserves when the window is used up.
 */
static void *ahead_main(void *arg)
{
	struct bsf_hss *h = arg;
	int64_t ids[AHEAD_QUEUE];
	uint64_t floors[AHEAD_QUEUE];
	size_t n, i;
	struct sqn_ent *e;
	int r;

	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (!h->ahead_stop && h->n_ahead == 0)
			pthread_cond_wait(&h->ahead_cv, &h->mu);
		if (h->ahead_stop)
			break;
		for (i = n = 0; i < h->n_ahead; i++) {
			e = tab_find(h, h->ahead[i]);
			if (e == NULL)
				continue;
			e->queued = 0;
			if (e->busy || e->bg)
				continue; /* a reservation runs already */
			e->bg = 1;
			ids[n] = e->id;
			floors[n++] = e->limit > e->seq_he ? e->limit : e->seq_he;
		}
		h->n_ahead = 0;
		pthread_mutex_unlock(&h->mu);

		/* one transaction (one fsync) for all of them */
		r = h->st->ops->sqn_floors(h->st, h->run, ids, floors, n);

		pthread_mutex_lock(&h->mu);
		for (i = 0; i < n; i++) {
			e = tab_find(h, ids[i]);
			if (e == NULL)
				continue;
			e->bg = 0;
			if (r == GBA_OK &&
			    add_sat(floors[i], h->cfg.seq_block, h->seq_max) >
				    e->limit)
				e->limit = add_sat(floors[i], h->cfg.seq_block,
						   h->seq_max);
		}
		if (r == GBA_OK && n) {
			h->n_bg += n;
			h->n_bg_commits++;
		}
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

void bsf_hss_stats(struct bsf_hss *h, struct bsf_hss_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (h == NULL)
		return;
	pthread_mutex_lock(&h->mu);
	st->reserve_sync = h->n_sync;
	st->reserve_ahead = h->n_bg;
	st->reserve_ahead_commits = h->n_bg_commits;
	st->resync_lowered = h->n_lowered;
	st->rate_refused = h->n_rate_refused;
	pthread_mutex_unlock(&h->mu);
}

static int issue(struct bsf_hss *h, int64_t sub_id, struct key_row *kr,
		 const uint64_t *sqn_ms, const uint8_t *rand_in,
		 struct gba_av *av, uint64_t *sqn_out)
{
	uint8_t rand_[16];
	uint64_t sqn = 0;
	unsigned retry = 0;
	int r;

	kr->retry_after = 0;
	/* RAND first: a failing RNG must not consume an SQN */
	if (rand_in)
		memcpy(rand_, rand_in, sizeof(rand_));
	else if ((r = gba_random(rand_, sizeof(rand_))) != 0)
		goto out;
	if ((r = next_sqn(h, sub_id, kr, sqn_ms, &sqn, &retry)) != 0) {
		if (r == GBA_ERR_RATE_LIMIT)
			kr->retry_after = retry;
		goto out;
	}
	/* a failure from here skips this SQN; it is never reused */
	r = gba_aka_av(&kr->key, rand_, sqn, kr->amf, av);
out:
	if (r == GBA_OK && sqn_out)
		*sqn_out = sqn;
	if (r != GBA_OK)
		gba_cleanse(av, sizeof(*av));
	return r;
}

/*
 * The arguments every AV call checks: *@sqn and *@av cleared first, so
 * that a refused call leaves nothing stale in them.
 */
static int av_args(const struct bsf_hss *h, int64_t sub_id, struct gba_av *av,
		   uint64_t *sqn)
{
	if (sqn)
		*sqn = 0;
	if (av == NULL)
		return GBA_ERR_BAD_PARAM;
	memset(av, 0, sizeof(*av));
	return h == NULL || sub_id <= 0 ? GBA_ERR_BAD_PARAM : GBA_OK;
}

static int av_common(struct bsf_hss *h, int64_t sub_id, const uint8_t *rand_in,
		     struct gba_av *av, uint64_t *sqn)
{
	struct key_row kr;
	int r;

	if ((r = av_args(h, sub_id, av, sqn)) != 0)
		return r;
	if ((r = load_row(h, sub_id, &kr)) == 0)
		r = issue(h, sub_id, &kr, NULL, rand_in, av, sqn);
	gba_cleanse(&kr, sizeof(kr));
	return r;
}

int bsf_hss_av(struct bsf_hss *h, int64_t sub_id, struct gba_av *av,
	       uint64_t *sqn)
{
	return av_common(h, sub_id, NULL, av, sqn);
}

int bsf_hss_av_rand(struct bsf_hss *h, int64_t sub_id, const uint8_t rand[16],
		    struct gba_av *av, uint64_t *sqn)
{
	if (rand == NULL) {
		if (av)
			memset(av, 0, sizeof(*av));
		return GBA_ERR_BAD_PARAM;
	}
	return av_common(h, sub_id, rand, av, sqn);
}

int bsf_hss_resync(struct bsf_hss *h, int64_t sub_id, const uint8_t rand[16],
		   const uint8_t auts[GBA_AUTS_LEN], struct gba_av *av,
		   uint64_t *sqn)
{
	struct key_row kr;
	int r;

	if ((r = av_args(h, sub_id, av, sqn)) != 0)
		return r;
	if (rand == NULL || auts == NULL)
		return GBA_ERR_BAD_PARAM;
	if ((r = load_row(h, sub_id, &kr)) != 0)
		return r;
	r = bsf_hss_resync_key(h, &kr, rand, auts, av, sqn);
	gba_cleanse(&kr, sizeof(kr));
	return r;
}

/* ------------------------------------------------------------------ */
/* The GPI path: lookup and key row in one read transaction */

int bsf_hss_ue_lookup(struct bsf_hss *h, int64_t naf_id, const char *ue_id,
		      size_t len, enum bsf_id_type type, unsigned flags,
		      struct bsf_ue *ue, struct bsf_hss_key *key)
{
	struct bsf_key_row row;
	int r;

	if (key)
		memset(key, 0, sizeof(*key));
	if (h == NULL || key == NULL) {
		if (ue)
			memset(ue, 0, sizeof(*ue));
		return GBA_ERR_BAD_PARAM;
	}
	r = bsf_store_ue_lookup_key(h->st, naf_id, ue_id, len, type, flags, ue,
				    &row);
	return bsf_hss_ue_lookup_take(r, ue, &row, key);
}

int bsf_hss_ue_lookup_take(int r, struct bsf_ue *ue, struct bsf_key_row *row,
			   struct bsf_hss_key *key)
{
	memset(key, 0, sizeof(*key));
	bsf_store_ue_lookup_end(r, ue, row);
	if (r == GBA_OK)
		row_take(key, row);
	else
		gba_cleanse(row, sizeof(*row));
	return r;
}

int bsf_hss_av_key(struct bsf_hss *h, struct bsf_hss_key *key,
		   struct gba_av *av, uint64_t *sqn)
{
	int r;

	if ((r = av_args(h, key ? key->sub_id : 0, av, sqn)) != 0)
		return r;
	return issue(h, key->sub_id, key, NULL, NULL, av, sqn);
}

int bsf_hss_resync_key(struct bsf_hss *h, struct bsf_hss_key *key,
		       const uint8_t rand[16],
		       const uint8_t auts[GBA_AUTS_LEN], struct gba_av *av,
		       uint64_t *sqn)
{
	uint64_t sqn_ms = 0;
	int r;

	if ((r = av_args(h, key ? key->sub_id : 0, av, sqn)) != 0)
		return r;
	if (rand == NULL || auts == NULL)
		return GBA_ERR_BAD_PARAM;
	/* MAC-S checked in constant time; a bad AUTS changes nothing */
	if ((r = gba_aka_auts_verify(&key->key, rand, auts, &sqn_ms)) == 0)
		r = issue(h, key->sub_id, key, &sqn_ms, NULL, av, sqn);
	return r;
}

void bsf_hss_key_clear(struct bsf_hss_key *key)
{
	if (key)
		gba_cleanse(key, sizeof(*key));
}
