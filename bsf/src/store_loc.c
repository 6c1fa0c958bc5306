/*
 * store_loc.c - the printable form of a store location (store_loc.h).
 *
 * libpq decides what a connection string means (PQconninfoParse()); the
 * string is then rewritten by hand with each secret value replaced by
 * "***" so that it reads as the operator wrote it, and the rewritten
 * string is parsed again: it must give every option of the original,
 * the secrets as "***".  When it does not (a form this file reads
 * differently from libpq), the options libpq found are printed instead
 * as key='value' conninfo, the secrets masked.  Either way no secret
 * reaches the output.  libpq's error text for a string it cannot parse
 * is never shown: it quotes the offending part, which may be the
 * password ("invalid percent-encoded token: ...").
 */
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>
#include "gba/crypto.h"
#include "store.h"
#include "store_loc.h"

/* the libpq options that hold a secret: the database password and the
 * passphrase of the client key (libpq "Parameter Key Words") */
static int secret_kw(const char *k, size_t n)
{
	return (n == 8 && strncmp(k, "password", 8) == 0) ||
	       (n == 11 && strncmp(k, "sslpassword", 11) == 0);
}

/* libpq's reading of @s, NULL when it cannot parse it (or out of memory);
 * its error text may quote the secret: wiped unread */
static PQconninfoOption *parse(const char *s)
{
	char *err = NULL;
	PQconninfoOption *o = PQconninfoParse(s, &err);

	if (err) {
		gba_cleanse(err, strlen(err));
		PQfreemem(err);
	}
	return o;
}

static void opts_free(PQconninfoOption *o)
{
	PQconninfoOption *p;

	if (o == NULL)
		return;
	for (p = o; p->keyword; p++)
		if (p->val)
			gba_cleanse(p->val, strlen(p->val));
	PQconninfoFree(o);
}

/* 1 if @o holds a non-empty secret */
static int has_secret(const PQconninfoOption *o)
{
	for (; o->keyword; o++)
		if (o->val && o->val[0] &&
		    secret_kw(o->keyword, strlen(o->keyword)))
			return 1;
	return 0;
}

/* 1 if @r (the rewritten string's options) is @o with each non-empty
 * secret as the mask; both arrays list every libpq option in one order */
static int masked_same(const PQconninfoOption *o, const PQconninfoOption *r)
{
	for (; o->keyword && r->keyword; o++, r++) {
		const char *want = o->val;

		if (strcmp(o->keyword, r->keyword) != 0)
			return 0;
		if (want && want[0] && secret_kw(o->keyword, strlen(o->keyword)))
			want = BSF_STORE_LOC_MASK;
		if ((want == NULL) != (r->val == NULL) ||
		    (want && strcmp(want, r->val) != 0))
			return 0;
	}
	return o->keyword == NULL && r->keyword == NULL;
}

/* an output buffer that cuts (never overflows) */
struct wbuf {
	char *b;
	size_t n, cap; /* cap >= 1 */
	int cut;
};

static void put(struct wbuf *w, const char *s, size_t n)
{
	if (w->n + n >= w->cap) {
		n = w->cap - 1 - w->n;
		w->cut = 1;
	}
	memcpy(w->b + w->n, s, n);
	w->n += n;
	w->b[w->n] = '\0';
}

static void puts_(struct wbuf *w, const char *s)
{
	put(w, s, strlen(s));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* a URI query parameter name (@n octets, percent-encoded as libpq
 * decodes it) naming a secret */
static int secret_param(const char *k, size_t n)
{
	char d[16];
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		char c = k[i];

		if (c == '%' && i + 2 < n && hexval(k[i + 1]) >= 0 &&
		    hexval(k[i + 2]) >= 0) {
			c = (char)(hexval(k[i + 1]) * 16 + hexval(k[i + 2]));
			i += 2;
		}
		if (m == sizeof(d))
			return 0;
		d[m++] = c;
	}
	return secret_kw(d, m);
}

/* postgresql://[user[:password]@][hosts][/dbname][?k=v&...] as libpq
 * reads it: the user info ends at the first '@' before any '/', the
 * password after its first ':'; the parameters follow the first '?'
 * after the user info, names percent-decoded */
static void redact_uri(const char *s, struct wbuf *w)
{
	size_t pre = strncmp(s, "postgresql://", 13) == 0 ? 13 : 11;
	const char *p = s + pre, *ui, *c, *q;

	put(w, s, pre);
	ui = p + strcspn(p, "@/");
	if (*ui == '@') {
		c = memchr(p, ':', (size_t)(ui - p));
		if (c && c + 1 < ui) {
			put(w, p, (size_t)(c + 1 - p));
			puts_(w, BSF_STORE_LOC_MASK);
		} else {
			put(w, p, (size_t)(ui - p));
		}
		p = ui;
	}
	if ((q = strchr(p, '?')) == NULL) {
		puts_(w, p);
		return;
	}
	put(w, p, (size_t)(q + 1 - p));
	p = q + 1;
	while (*p) {
		size_t n = strcspn(p, "&");
		const char *eq = memchr(p, '=', n);

		if (eq && eq + 1 < p + n && secret_param(p, (size_t)(eq - p))) {
			put(w, p, (size_t)(eq + 1 - p));
			puts_(w, BSF_STORE_LOC_MASK);
		} else {
			put(w, p, n);
		}
		p += n;
		if (*p == '&')
			put(w, p++, 1);
	}
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* key = value ... as libpq's conninfo reader: a value is single-quoted
 * (backslash escapes) or runs to the next white space (backslash
 * escapes); keywords compared as written */
static void redact_conninfo(const char *s, struct wbuf *w)
{
	const char *p = s;

	while (*p) {
		const char *k, *v;
		size_t kn;

		while (is_space(*p))
			put(w, p++, 1);
		if (!*p)
			break;
		k = p;
		while (*p && *p != '=' && !is_space(*p))
			p++;
		kn = (size_t)(p - k);
		while (is_space(*p))
			p++;
		if (*p == '=')
			p++;
		while (is_space(*p))
			p++;
		put(w, k, (size_t)(p - k)); /* keyword, '=' and spaces */
		v = p;
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p == '\'')
				p++;
		} else {
			for (; *p && !is_space(*p); p++)
				if (*p == '\\' && p[1])
					p++;
		}
		if (p > v && secret_kw(k, kn) &&
		    !(p - v == 2 && v[0] == '\'')) /* '' is no secret */
			/* quoted stays quoted: 'x'dbname=... is two options */
			puts_(w, v[0] == '\'' ? "'" BSF_STORE_LOC_MASK "'"
					      : BSF_STORE_LOC_MASK);
		else
			put(w, v, (size_t)(p - v));
	}
}

/* the options libpq found, as key='value' conninfo, secrets masked */
static void rebuild(const PQconninfoOption *o, struct wbuf *w)
{
	const char *sep = "";

	for (; o->keyword; o++) {
		const char *v = o->val, *p;

		if (v == NULL)
			continue;
		puts_(w, sep);
		puts_(w, o->keyword);
		puts_(w, "='");
		if (v[0] && secret_kw(o->keyword, strlen(o->keyword))) {
			puts_(w, BSF_STORE_LOC_MASK);
		} else {
			for (p = v; *p; p++) {
				if (*p == '\'' || *p == '\\')
					put(w, "\\", 1);
				put(w, p, 1);
			}
		}
		puts_(w, "'");
		sep = " ";
	}
}

/* @s into @w, "..." at the end when cut */
static void put_cut(struct wbuf *w, const char *s)
{
	size_t n = strlen(s);

	if (n < w->cap) {
		put(w, s, n);
		return;
	}
	if (w->cap > 4) {
		put(w, s, w->cap - 4);
		puts_(w, "...");
	} else {
		put(w, s, n);
	}
}

const char *bsf_store_loc_printable(const char *loc, char *out, size_t cap)
{
	struct wbuf w = {out, 0, cap, 0};
	PQconninfoOption *o, *r = NULL;
	const char *hit;
	char *tmp;
	size_t tcap;
	int uri;

	if (out == NULL || cap == 0)
		return out;
	out[0] = '\0';
	if (loc == NULL) {
		puts_(&w, "(none)");
		return out;
	}
	uri = bsf_store_is_pg_uri(loc);
	o = uri || strchr(loc, '=') ? parse(loc) : NULL;
	if (o == NULL) {
		if (uri) {
			put(&w, loc, strcspn(loc, ":") + 3);
			puts_(&w, BSF_STORE_LOC_MASK " (malformed URI)");
		} else if ((hit = strstr(loc, "password")) != NULL) {
			/* not a connection string libpq reads, yet it names a
			 * password: nothing from there on */
			put(&w, loc, (size_t)(hit - loc));
			puts_(&w, "password=" BSF_STORE_LOC_MASK " ...");
		} else {
			put_cut(&w, loc); /* a SQLite path */
		}
		return out;
	}
	if (!has_secret(o)) {
		opts_free(o);
		put_cut(&w, loc);
		return out;
	}
	/* the rewrite: at most 3 octets in place of each secret value of
	 * at least 1 octet */
	tcap = 3 * strlen(loc) + 16;
	if ((tmp = malloc(tcap)) != NULL) {
		struct wbuf t = {tmp, 0, tcap, 0};

		tmp[0] = '\0';
		if (uri)
			redact_uri(loc, &t);
		else
			redact_conninfo(loc, &t);
		if (!t.cut && (r = parse(tmp)) != NULL && masked_same(o, r))
			put_cut(&w, tmp);
		else
			tmp[0] = '\0';
		opts_free(r);
		gba_cleanse(tmp, tcap);
		free(tmp);
	}
	if (out[0] == '\0')
		rebuild(o, &w);
	opts_free(o);
	return out;
}

int bsf_store_loc_secret(const char *loc)
{
	PQconninfoOption *o;
	int uri, r;

	if (loc == NULL)
		return 0;
	uri = bsf_store_is_pg_uri(loc);
	if (!uri && strchr(loc, '=') == NULL)
		return 0;
	if ((o = parse(loc)) == NULL)
		return uri ? -1 : 0;
	r = has_secret(o);
	opts_free(o);
	return r;
}

int bsf_store_loc_conninfo(const char *loc)
{
	PQconninfoOption *o;

	if (loc == NULL || bsf_store_is_pg_uri(loc) || strchr(loc, '=') == NULL)
		return 0;
	if ((o = parse(loc)) == NULL)
		return 0;
	opts_free(o);
	return 1;
}
