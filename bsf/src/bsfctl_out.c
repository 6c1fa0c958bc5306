/* gba-bsfctl output (bsfctl.h): messages, the name=value / JSON emitter,
 * the progress bar, and the store opening every command shares */
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "gba/text.h"
#include "bsfctl.h"
#include "store_loc.h"

__attribute__((format(printf, 3, 4)))
int bsfctl_msg(int rc, const char *tail, const char *fmt, ...)
{
	va_list ap;

	fputs("gba-bsfctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(tail, stderr);
	return rc;
}

void wipe_key_args(const struct opts *o)
{
	const char *const v[3] = {o->k, o->opc, o->op};
	size_t i;

	for (i = 0; i < 3; i++)
		if (v[i])
			gba_cleanse((void *)(uintptr_t)v[i], strlen(v[i]));
}

int read_file(const char *path, size_t max, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	size_t n;

	*buf = NULL;
	*len = 0;
	if (f == NULL)
		return -1;
	if ((b = malloc(max + 2)) == NULL) {
		fclose(f);
		return -1;
	}
	n = fread(b, 1, max + 1, f);
	fclose(f);
	if (n > max) {
		free(b);
		return -2;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}



int open_store(const struct opts *o, unsigned flags,
		      struct bsf_store **st)
{
	int r = bsf_store_open(o->db, flags, st);

	if (r == GBA_ERR_NOT_FOUND)
		return err_msg("%s: no such store (run gba-bsfctl init)",
			       BSF_STORE_LOC(o->db));
	if (r != GBA_OK)
		return err_msg("%s: %s", BSF_STORE_LOC(o->db), gba_strerror(r));
	return 0;
}


int resolve_any(struct bsf_store *st, const char *id, int64_t *sub)
{
	int r = bsf_store_resolve(st, id, strlen(id), BSF_ID_ANY, sub, NULL, 0);

	if (r == GBA_ERR_NOT_FOUND)
		return err_msg("%s: no such subscriber", id);
	if (r != GBA_OK)
		return err_msg("%s: %s", id, gba_strerror(r));
	return 0;
}



void em_begin(struct em *e)
{
	e->n = 0;
	e->arr = NULL;
	if (e->json)
		putchar('{');
}

void em_end_arr(struct em *e)
{
	if (e->json && e->arr)
		putchar(']');
	e->arr = NULL;
}

void em_key(struct em *e, const char *k)
{
	em_end_arr(e);
	printf("%s\"%s\":", e->n++ ? "," : "", k);
}

void em_str(struct em *e, const char *k, const char *v)
{
	if (!e->json) {
		printf("%s=%s\n", k, v);
		return;
	}
	em_key(e, k);
	gba_json_str(stdout, v);
}

void em_int(struct em *e, const char *k, long long v)
{
	if (!e->json) {
		printf("%s=%lld\n", k, v);
		return;
	}
	em_key(e, k);
	printf("%lld", v);
}

/* one value of the repeated name @k (a JSON array, opened on first use) */
void em_item(struct em *e, const char *k, const char *v)
{
	if (!e->json) {
		printf("%s=%s\n", k, v);
		return;
	}
	if (e->arr == NULL || strcmp(e->arr, k) != 0) {
		em_key(e, k);
		putchar('[');
		e->arr = k;
		e->n_arr = 0;
	}
	if (e->n_arr++)
		putchar(',');
	gba_json_str(stdout, v);
}

/* an empty list (JSON []; no line) */
void em_empty(struct em *e, const char *k)
{
	if (e->json) {
		em_key(e, k);
		fputs("[]", stdout);
	}
}

void em_end(struct em *e)
{
	em_end_arr(e);
	if (e->json)
		puts("}");
}

void print_hex(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", b[i]);
}


void list_sep(struct list_ctx *l)
{
	if (l->em.json && l->n++)
		putchar(',');
}



/* End the bar's line before another message goes to stderr. */
const char *progress_break(struct progress *p)
{
	int d = p->dirty;

	p->dirty = 0;
	return d ? "\n" : "";
}

double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void progress_show(struct progress *p, const char *what,
			  unsigned long done, unsigned long errs, long pos,
			  int final)
{
	static double last;
	double t = now_s();
	int pct, i, w;

	if (!p->tty || (!final && t - last < 0.1))
		return;
	last = t;
	pct = p->total > 0 ? (int)((double)pos * 100.0 / (double)p->total) : 0;
	if (pct > 100)
		pct = 100;
	w = pct / 4;
	p->dirty = !final;
	fprintf(stderr, "\r%s [", what);
	for (i = 0; i < 25; i++)
		fputc(i < w ? '#' : '.', stderr);
	fprintf(stderr, "] %3d%% %lu ok, %lu failed", pct, done, errs);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

