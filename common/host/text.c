/* see gba/text.h */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gba/text.h"
#include "gba/crypto.h"

/* ---- unsigned integers ---- */

int gba_uint_parse(const char *s, uint64_t max, unsigned flags,
		   uint64_t *out)
{
	uint64_t x = 0;
	unsigned base = 10, d;

	*out = 0;
	if (!s || !*s)
		return GBA_ERR_MALFORMED;
	if ((flags & GBA_UINT_HEX) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return GBA_ERR_MALFORMED;
	}
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return GBA_ERR_MALFORMED;
		if (x > (max - d) / base || d > max) {
			/* the rest must still be digits: "99x" is malformed */
			for (s++; *s; s++)
				if (!((*s >= '0' && *s <= '9') ||
				      (base == 16 &&
				       ((*s >= 'a' && *s <= 'f') ||
					(*s >= 'A' && *s <= 'F')))))
					return GBA_ERR_MALFORMED;
			return GBA_ERR_TOO_LARGE;
		}
		x = x * base + d;
	}
	*out = x;
	return GBA_OK;
}

/* ---- RFC 3339 date-time ---- */

static int digits(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/* days from 1970-01-01 to y-m-d (proleptic Gregorian), Howard Hinnant's
 * days_from_civil algorithm */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int gba_text_in_range(const char *s, size_t n, unsigned char lo,
		      unsigned char hi)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < lo || (unsigned char)s[i] > hi)
			return 0;
	return 1;
}

int gba_datetime_parse(const char *s, size_t len, int64_t *out)
{
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30,
					  31, 31, 30, 31, 30, 31 };
	unsigned y, mo, d, h, mi, se, oh = 0, om = 0;
	int64_t t;
	size_t i = 19;
	int sign = 0;

	*out = 0;
	if (!s)
		return GBA_ERR_MALFORMED;
	if (len > GBA_DATETIME_MAX)
		return GBA_ERR_TOO_LARGE;
	if (len < 20 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' ||
	    digits(s, 4, &y) || digits(s + 5, 2, &mo) ||
	    digits(s + 8, 2, &d) || digits(s + 11, 2, &h) ||
	    digits(s + 14, 2, &mi) || digits(s + 17, 2, &se))
		return GBA_ERR_MALFORMED;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || se > 60)
		return GBA_ERR_MALFORMED;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return GBA_ERR_MALFORMED;
	if (s[i] == '.') {
		i++;
		if (i >= len || s[i] < '0' || s[i] > '9')
			return GBA_ERR_MALFORMED;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i >= len)
		return GBA_ERR_MALFORMED;
	if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
		sign = 0;
	} else if ((s[i] == '+' || s[i] == '-') && len - i == 6 &&
		   s[i + 3] == ':' && !digits(s + i + 1, 2, &oh) &&
		   !digits(s + i + 4, 2, &om) && oh <= 23 && om <= 59) {
		sign = s[i] == '+' ? 1 : -1;
	} else {
		return GBA_ERR_MALFORMED;
	}
	if (se == 60)
		se = 59; /* leap second: 59 of the same minute */
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	t -= sign * (int64_t)(oh * 3600 + om * 60);
	if (t < 0)
		return GBA_ERR_MALFORMED;
	*out = t;
	return GBA_OK;
}

/* ---- capped text buffer ---- */

void gba_dynbuf_init(struct gba_dynbuf *b, size_t max, unsigned flags)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
	b->flags = flags;
}

void gba_dynbuf_init_fixed(struct gba_dynbuf *b, char *mem, size_t cap,
			   unsigned flags)
{
	memset(b, 0, sizeof(*b));
	b->p = mem;
	b->cap = cap;
	b->max = cap ? cap - 1 : 0;
	b->flags = flags;
	b->fixed = 1;
	if (cap)
		mem[0] = '\0';
}

/* make room for @need octets of content plus the NUL (heap storage) */
static int grow(struct gba_dynbuf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 256;
	char *np;

	while (cap < need + 1)
		cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	if (b->flags & GBA_DYNBUF_SECRET) {
		/* no realloc(): it may leave a copy of a key behind */
		if (!(np = malloc(cap)))
			return GBA_ERR_NOMEM;
		if (b->p) {
			memcpy(np, b->p, b->len + 1);
			gba_cleanse(b->p, b->cap);
			free(b->p);
		}
	} else if (!(np = realloc(b->p, cap))) {
		return GBA_ERR_NOMEM;
	}
	b->p = np;
	b->cap = cap;
	return GBA_OK;
}

int gba_dynbuf_add(struct gba_dynbuf *b, const void *d, size_t n)
{
	int r;

	if (b->err)
		return b->err;
	if (n > b->max - b->len) {
		b->err = b->fixed ? GBA_ERR_NO_SPACE : GBA_ERR_TOO_LARGE;
		return b->err;
	}
	if (!b->fixed && b->len + n + 1 > b->cap &&
	    (r = grow(b, b->len + n)) != GBA_OK) {
		b->err = r;
		return r;
	}
	if (n)
		memcpy(b->p + b->len, d, n);
	b->len += n;
	if (b->p)
		b->p[b->len] = '\0';
	return GBA_OK;
}

int gba_dynbuf_addstr(struct gba_dynbuf *b, const char *s)
{
	return gba_dynbuf_add(b, s, strlen(s));
}

int gba_dynbuf_printf(struct gba_dynbuf *b, const char *fmt, ...)
{
	char small[256], *big = NULL;
	va_list ap;
	int n, r;

	if (b->err)
		return b->err;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->err = GBA_ERR_INTERNAL;
		return b->err;
	}
	if ((size_t)n < sizeof(small)) {
		r = gba_dynbuf_add(b, small, (size_t)n);
		if (b->flags & GBA_DYNBUF_SECRET)
			gba_cleanse(small, sizeof(small));
		return r;
	}
	if ((size_t)n > b->max - b->len) {
		b->err = b->fixed ? GBA_ERR_NO_SPACE : GBA_ERR_TOO_LARGE;
		r = b->err;
		goto out;
	}
	if (!(big = malloc((size_t)n + 1))) {
		b->err = GBA_ERR_NOMEM;
		r = b->err;
		goto out;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	r = gba_dynbuf_add(b, big, (size_t)n);
	if (b->flags & GBA_DYNBUF_SECRET)
		gba_cleanse(big, (size_t)n + 1);
	free(big);
out:
	if (b->flags & GBA_DYNBUF_SECRET)
		gba_cleanse(small, sizeof(small));
	return r;
}

void gba_dynbuf_fail(struct gba_dynbuf *b, int err)
{
	if (!b->err)
		b->err = err;
}

int gba_dynbuf_err(const struct gba_dynbuf *b)
{
	return b->err;
}

const char *gba_dynbuf_ptr(const struct gba_dynbuf *b)
{
	return b->p && b->cap ? b->p : "";
}

size_t gba_dynbuf_len(const struct gba_dynbuf *b)
{
	return b->len;
}

void gba_dynbuf_free(struct gba_dynbuf *b)
{
	if (!b)
		return;
	if (b->p && (b->flags & GBA_DYNBUF_SECRET))
		gba_cleanse(b->p, b->cap);
	if (b->fixed) {
		if (b->cap)
			b->p[0] = '\0';
		b->len = 0;
		b->err = 0;
		return;
	}
	free(b->p);
	gba_dynbuf_init(b, b->max, b->flags);
}

void gba_json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* ---- programs with subcommands ---- */

void gba_cli_err(const char *prog, const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", prog, cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int gba_cli_dispatch(const char *prog, const char *version,
		     const struct gba_cli_cmd *cmds, size_t n,
		     void (*usage)(FILE *fp), int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("%s %s\n", prog, version);
		return 0;
	}
	for (i = 0; i < n; i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command '%s' (try --help)\n", prog,
		argv[1]);
	return 2;
}
