/*
 * hss-bench: latency of the embedded HSS (bsf/src/hss.h) and of the whole
 * per-GPI store path, on a store made by `gba-bsfctl gen`.
 *
 *   gba-bsfctl --db /tmp/s.db init
 *   gba-bsfctl --db /tmp/s.db naf add --name scs1 --cert-id scs1.example.com
 *   gba-bsfctl --db /tmp/s.db gen --count 1000000 --naf scs1
 *   hss-bench --db /tmp/s.db [--avs 100000] [--threads 2]
 *             [--cert-id scs1.example.com]
 *
 * Per call it picks a uniformly random subscriber of the gen range
 * (tel:+1999<10 digits>) and measures:
 *   av:   bsf_hss_av() alone (key row read, SQN, Milenage, RAND);
 *   gpi:  naf_by_cert + bsf_hss_ue_lookup(tel: IMPU: resolve, association, GBA
 *         params) + hss_av, i.e. every store/HSS call the daemon makes
 *         per GPI (the NAF lookup uncached);
 * then the GPI path on --threads threads for throughput.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gba/crypto.h"
#include "hss.h"
#include "store.h"
#include "store_loc.h"

struct ctx {
	struct bsf_store *st;
	struct bsf_hss *h;
	const char *cert;
	uint64_t n_subs;
	unsigned long n;
	double *lat; /* µs per call, or NULL */
	unsigned seed;
	unsigned long errs;
};

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static uint64_t rnd(unsigned *s, uint64_t n)
{
	uint64_t x = ((uint64_t)rand_r(s) << 31) ^ (uint64_t)rand_r(s);

	return x % n;
}

static int one_gpi(struct ctx *c, int full)
{
	static __thread struct bsf_naf naf;
	struct bsf_ue ue;
	struct gba_av av;
	char tel[32];
	int64_t id;
	int r;

	snprintf(tel, sizeof(tel), "tel:+1999%010llu",
		 (unsigned long long)rnd(&c->seed, c->n_subs));
	if (full && (r = bsf_store_naf_by_cert(c->st, c->cert, strlen(c->cert),
					       &naf)) != 0)
		return r;
	if (full) {
		/* as gba-bsf does it: resolve + association + GBA params +
		 * key row in one read transaction, then the AV from the row */
		struct bsf_hss_key key;

		if ((r = bsf_hss_ue_lookup(c->h, naf.id, tel, strlen(tel),
					   BSF_ID_PUBLIC, BSF_GBA_NO_USS, &ue,
					   &key)) != 0)
			return r;
		bsf_gba_params_clear(&ue.params);
		r = bsf_hss_av_key(c->h, &key, &av, NULL);
		bsf_hss_key_clear(&key);
		gba_cleanse(&av, sizeof(av));
		return r;
	} else if ((r = bsf_store_resolve(c->st, tel, strlen(tel),
					  BSF_ID_PUBLIC, &id, NULL, 0)) != 0) {
		return r;
	}
	r = bsf_hss_av(c->h, id, &av, NULL);
	gba_cleanse(&av, sizeof(av));
	return r;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Run @c->n calls; resolve is untimed for "av" (done before timing). */
static void run_av(struct ctx *c)
{
	struct gba_av av;
	unsigned long i;
	char tel[32];
	int64_t id;
	double t;

	for (i = 0; i < c->n; i++) {
		snprintf(tel, sizeof(tel), "tel:+1999%010llu",
			 (unsigned long long)rnd(&c->seed, c->n_subs));
		if (bsf_store_resolve(c->st, tel, strlen(tel), BSF_ID_PUBLIC,
				      &id, NULL, 0) != 0) {
			c->errs++;
			continue;
		}
		t = now_us();
		if (bsf_hss_av(c->h, id, &av, NULL) != 0)
			c->errs++;
		c->lat[i] = now_us() - t;
	}
	gba_cleanse(&av, sizeof(av));
}

static void *run_gpi(void *arg)
{
	struct ctx *c = arg;
	unsigned long i;
	double t;

	for (i = 0; i < c->n; i++) {
		t = now_us();
		if (one_gpi(c, 1) != 0)
			c->errs++;
		if (c->lat)
			c->lat[i] = now_us() - t;
	}
	return NULL;
}

static void report(const char *what, double *lat, unsigned long n)
{
	double sum = 0;
	unsigned long i;

	qsort(lat, n, sizeof(double), cmp_d);
	for (i = 0; i < n; i++)
		sum += lat[i];
	printf("%-4s n=%lu mean=%.1f us p50=%.1f us p99=%.1f us max=%.1f us\n",
	       what, n, sum / (double)n, lat[n / 2], lat[n * 99 / 100],
	       lat[n - 1]);
}

static int parse_ul(const char *s, unsigned long *v)
{
	unsigned long acc = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || acc > 100000000UL)
			return -1;
		acc = acc * 10 + (unsigned long)(*s - '0');
	}
	*v = acc;
	return 0;
}

int main(int argc, char **argv)
{
	const char *db = NULL, *cert = "scs1.example.com";
	unsigned long avs = 100000, threads = 2, i;
	struct bsf_store *st;
	struct bsf_hss *h;
	struct ctx c, tc[16];
	pthread_t tid[16];
	uint64_t n_subs;
	double t0, dt;
	int r;

	for (i = 1; i + 1 < (unsigned long)argc; i += 2) {
		if (strcmp(argv[i], "--db") == 0)
			db = argv[i + 1];
		else if (strcmp(argv[i], "--cert-id") == 0)
			cert = argv[i + 1];
		else if (strcmp(argv[i], "--avs") == 0 &&
			 parse_ul(argv[i + 1], &avs) == 0 && avs > 0)
			;
		else if (strcmp(argv[i], "--threads") == 0 &&
			 parse_ul(argv[i + 1], &threads) == 0 && threads > 0 &&
			 threads <= 16)
			;
		else
			break;
	}
	if (db == NULL || i != (unsigned long)argc) {
		fprintf(stderr, "usage: hss-bench --db PATH [--avs N]"
				" [--threads T] [--cert-id ID]\n");
		return 2;
	}
	if ((r = bsf_store_open(db, 0, &st)) != 0 ||
	    (r = bsf_store_sub_count(st, &n_subs)) != 0 ||
	    (r = bsf_hss_open(st, NULL, &h)) != 0) {
		fprintf(stderr, "hss-bench: %s: %s\n", BSF_STORE_LOC(db),
			gba_strerror(r));
		return 1;
	}
	memset(&c, 0, sizeof(c));
	c.st = st;
	c.h = h;
	c.cert = cert;
	c.n_subs = n_subs;
	c.n = avs;
	c.seed = 12345;
	if ((c.lat = malloc(avs * sizeof(double))) == NULL)
		return 1;
	printf("store %s: %llu subscribers\n", BSF_STORE_LOC(db),
	       (unsigned long long)n_subs);
	/* warm-up: page cache and statement caches */
	c.n = avs / 10 + 1;
	run_av(&c);
	c.n = avs;
	run_av(&c);
	report("av", c.lat, c.n);
	run_gpi(&c);
	report("gpi", c.lat, c.n);
	free(c.lat);
	for (i = 0; i < threads; i++) {
		tc[i] = c;
		tc[i].lat = NULL;
		tc[i].errs = 0;
		tc[i].n = avs / threads;
		tc[i].seed = 777 + (unsigned)i;
	}
	t0 = now_us();
	for (i = 0; i < threads; i++)
		pthread_create(&tid[i], NULL, run_gpi, &tc[i]);
	for (i = 0; i < threads; i++) {
		pthread_join(tid[i], NULL);
		c.errs += tc[i].errs;
	}
	dt = now_us() - t0;
	printf("gpi path on %lu threads: %.0f calls/s\n", threads,
	       (double)(avs / threads * threads) / (dt / 1e6));
	bsf_hss_close(h);
	bsf_store_close(st);
	if (c.errs)
		fprintf(stderr, "hss-bench: %lu calls failed\n", c.errs);
	return c.errs ? 1 : 0;
}
