/* see tool.h */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gba/hex.h"
#include "tool.h"

int tool_fail(const char *cmd, int r)
{
	tool_err(cmd, "%s", gba_strerror(r));
	return TOOL_EXIT_FAIL;
}

static void print_usage(const char *cmd, const char *usage,
			const struct opt_spec *spec, size_t nspec)
{
	size_t i;

	printf("usage: gbatool %s %s\n\n", cmd, usage);
	for (i = 0; i < nspec; i++)
		printf("  --%-20s %s%s\n", spec[i].name, spec[i].help,
		       (spec[i].flags & OPT_REPEAT) ? " (repeatable)" : "");
	printf("  --%-20s %s\n  --%-20s %s\n", "json",
	       "print one JSON object instead of name=value lines", "help",
	       "this text");
}

/* Older spellings kept as aliases of the one TUAK vocabulary of every
 * tool (README, docs/gbatool.md): deprecated. */
static const char *alias(const char *name)
{
	static const char *const map[][2] = {
		{"keccak-iterations", "tuak-iterations"},
		{"mac-bits", "tuak-mac-bits"},
		{"res-bits", "tuak-res-bits"},
		{"ck-bits", "tuak-ck-bits"},
		{"ik-bits", "tuak-ik-bits"},
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(name, map[i][0]))
			return map[i][1];
	return name;
}

int opts_parse(struct opts *o, const char *cmd, const char *usage,
	       const struct opt_spec *spec, size_t nspec, int argc,
	       char **argv)
{
	int i;
	size_t j;

	memset(o, 0, sizeof(*o));
	o->cmd = cmd;
	o->nspec = nspec < 32 ? nspec : 32;
	for (j = 0; j < o->nspec; j++)
		o->val[j].spec = &spec[j];
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			print_usage(cmd, usage, spec, nspec);
			return -1;
		}
		if (!strcmp(a, "--json")) {
			o->json = 1;
			continue;
		}
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (o->npos == 64) {
				tool_err(cmd, "too many arguments");
				return TOOL_EXIT_USAGE;
			}
			o->pos[o->npos++] = a;
			continue;
		}
		for (j = 0; j < o->nspec; j++)
			if (!strcmp(alias(a + 2), spec[j].name))
				break;
		if (j == o->nspec) {
			tool_err(cmd, "unknown option %s (try --help)", a);
			return TOOL_EXIT_USAGE;
		}
		if (spec[j].flags & OPT_FLAG) {
			o->val[j].n = 1;
			continue;
		}
		if (i + 1 >= argc) {
			tool_err(cmd, "option %s needs a value", a);
			return TOOL_EXIT_USAGE;
		}
		if (o->val[j].n && !(spec[j].flags & OPT_REPEAT)) {
			tool_err(cmd, "option %s given twice", a);
			return TOOL_EXIT_USAGE;
		}
		if (o->val[j].n == OPT_MAX_VALUES) {
			tool_err(cmd, "option %s given too often", a);
			return TOOL_EXIT_USAGE;
		}
		o->val[j].v[o->val[j].n++] = argv[++i];
	}
	return 0;
}

static const struct opt_val *find(const struct opts *o, const char *name)
{
	size_t j;

	for (j = 0; j < o->nspec; j++)
		if (!strcmp(o->val[j].spec->name, name))
			return &o->val[j];
	return NULL;
}

const char *opt_get(const struct opts *o, const char *name)
{
	const struct opt_val *v = find(o, name);

	return v && v->n ? v->v[0] : NULL;
}

unsigned opt_count(const struct opts *o, const char *name)
{
	const struct opt_val *v = find(o, name);

	return v ? v->n : 0;
}

const char *opt_get_n(const struct opts *o, const char *name, unsigned i)
{
	const struct opt_val *v = find(o, name);

	return v && i < v->n ? v->v[i] : NULL;
}

int opt_has(const struct opts *o, const char *name)
{
	return opt_count(o, name) > 0;
}

int opt_require(const struct opts *o, const char *name)
{
	if (!opt_has(o, name)) {
		tool_err(o->cmd, "missing --%s", name);
		return TOOL_EXIT_USAGE;
	}
	return 0;
}

int opt_hex_exact(const struct opts *o, const char *name, uint8_t *out,
		  size_t n)
{
	const char *s = opt_get(o, name);
	int r;

	if (!s) {
		tool_err(o->cmd, "missing --%s", name);
		return TOOL_EXIT_USAGE;
	}
	r = gba_hex_decode_exact(s, out, n);
	if (r == GBA_ERR_BAD_LENGTH) {
		tool_err(o->cmd, "--%s: expected %zu octets (%zu hex digits)",
			 name, n, 2 * n);
		return TOOL_EXIT_USAGE;
	}
	if (r != GBA_OK) {
		tool_err(o->cmd, "--%s: not a hex string", name);
		return TOOL_EXIT_USAGE;
	}
	return 0;
}

int opt_hex(const struct opts *o, const char *name, uint8_t *out, size_t cap,
	    size_t *len)
{
	const char *s = opt_get(o, name);
	int r;

	*len = 0;
	if (!s) {
		tool_err(o->cmd, "missing --%s", name);
		return TOOL_EXIT_USAGE;
	}
	r = gba_hex_decode(s, strlen(s), out, cap, len);
	if (r == GBA_ERR_TOO_LARGE) {
		tool_err(o->cmd, "--%s: longer than %zu octets", name, cap);
		return TOOL_EXIT_USAGE;
	}
	if (r != GBA_OK) {
		tool_err(o->cmd, "--%s: not a hex string", name);
		return TOOL_EXIT_USAGE;
	}
	return 0;
}

int opt_uint(const struct opts *o, const char *name, unsigned long min,
	     unsigned long max, unsigned long *v)
{
	const char *s = opt_get(o, name);
	unsigned long x = 0;
	const char *p;

	if (!s)
		return 0;
	if (!*s)
		goto bad;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9' || x > (max - (unsigned long)(*p - '0')) / 10)
			goto bad;
		x = x * 10 + (unsigned long)(*p - '0');
	}
	if (x < min || x > max)
		goto bad;
	*v = x;
	return 0;
bad:
	tool_err(o->cmd, "--%s: expected an integer from %lu to %lu", name,
		 min, max);
	return TOOL_EXIT_USAGE;
}

/* ---- output ---- */

void out_begin(struct out *w, int json)
{
	memset(w, 0, sizeof(*w));
	w->json = json;
	w->first[0] = 1;
	if (json)
		fputc('{', stdout);
}

/* the name part of one value: ',"name":' or 'level.level.name=' */
static void sep(struct out *w, const char *name)
{
	int i;

	if (w->json) {
		if (!w->first[w->depth])
			fputc(',', stdout);
		w->first[w->depth] = 0;
		if (name)
			printf("\"%s\":", name);
		return;
	}
	for (i = 1; i <= w->depth; i++)
		if (w->path[i][0])
			printf("%s.", w->path[i]);
	printf("%s=", name ? name : "");
}

void out_open(struct out *w, const char *name, const char *text_name,
	      int array)
{
	if (w->json) {
		sep(w, name);
		fputc(array ? '[' : '{', stdout);
	}
	if (w->depth < OUT_DEPTH_MAX - 1)
		w->depth++;
	w->first[w->depth] = 1;
	snprintf(w->path[w->depth], sizeof(w->path[0]), "%s",
		 text_name ? text_name : "");
}

void out_close(struct out *w, int array)
{
	if (w->json)
		fputc(array ? ']' : '}', stdout);
	if (w->depth > 0)
		w->depth--;
}

void out_json_string(const char *s, size_t n)
{
	size_t i;

	fputc('"', stdout);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			fputc(c, stdout);
	}
	fputc('"', stdout);
}

void out_hex(struct out *w, const char *name, const uint8_t *b, size_t n)
{
	size_t i;

	sep(w, name);
	if (w->json)
		fputc('"', stdout);
	for (i = 0; i < n; i++)
		printf("%02x", b[i]);
	fputs(w->json ? "\"" : "\n", stdout);
}

void out_strn(struct out *w, const char *name, const char *s, size_t n)
{
	sep(w, name);
	if (w->json) {
		out_json_string(s, n);
	} else {
		fwrite(s, 1, n, stdout);
		fputc('\n', stdout);
	}
}

void out_str(struct out *w, const char *name, const char *s)
{
	out_strn(w, name, s, strlen(s));
}

void out_uint(struct out *w, const char *name, unsigned long long v)
{
	sep(w, name);
	printf("%llu%s", v, w->json ? "" : "\n");
}

void out_bool(struct out *w, const char *name, int v)
{
	sep(w, name);
	if (w->json)
		fputs(v ? "true" : "false", stdout);
	else
		printf("%d\n", v ? 1 : 0);
}

void out_end(struct out *w)
{
	if (w->json)
		fputs("}\n", stdout);
	fflush(stdout);
}

void out_fns(struct out *w, const struct out_fns *f)
{
	out_hex(w, "f1", f->mac_a, f->mac_len);
	out_hex(w, "f1star", f->mac_s, f->mac_len);
	out_hex(w, "f2", f->res, f->res_len);
	out_hex(w, "f3", f->ck, f->ck_len);
	out_hex(w, "f4", f->ik, f->ik_len);
	out_hex(w, "f5", f->ak, 6);
	out_hex(w, "f5star", f->ak_s, 6);
}
