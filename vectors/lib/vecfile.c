/* see vecfile.h */
#include <ctype.h>
#include <string.h>
#include "gba/hex.h"
#include "vecfile.h"

int vec_open(struct vec_reader *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->fp = fopen(path, "r");
	if (!r->fp) {
		snprintf(r->err, sizeof(r->err), "%s: cannot open", path);
		return -1;
	}
	return 0;
}

void vec_close(struct vec_reader *r)
{
	if (r->fp)
		fclose(r->fp);
	r->fp = NULL;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int parse_header(const char *s, unsigned *n)
{
	unsigned v = 0;
	int digits = 0;

	if (strncmp(s, "[set ", 5) != 0)
		return -1;
	for (s += 5; *s >= '0' && *s <= '9'; s++, digits++) {
		if (v > 100000)
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
	}
	if (!digits || strcmp(s, "]") != 0)
		return -1;
	*n = v;
	return 0;
}

int vec_next(struct vec_reader *r, struct vec_set *s)
{
	char buf[2048];
	int in_set = 0;

	memset(s, 0, sizeof(*s));
	if (r->have_pending) {
		s->number = r->pending_number;
		s->line = r->pending_line;
		r->have_pending = 0;
		in_set = 1;
	}
	while (fgets(buf, sizeof(buf), r->fp)) {
		char *line, *eq, *key, *val;
		struct vec_field *f;
		size_t i;
		int rc;

		r->line++;
		if (!strchr(buf, '\n') && !feof(r->fp)) {
			snprintf(r->err, sizeof(r->err),
				 "%s:%u: line too long", r->path, r->line);
			return -1;
		}
		line = trim(buf);
		if (*line == '\0' || *line == '#')
			continue;
		if (*line == '[') {
			unsigned n;

			if (parse_header(line, &n) != 0) {
				snprintf(r->err, sizeof(r->err),
					 "%s:%u: bad set header", r->path,
					 r->line);
				return -1;
			}
			if (in_set) {
				r->have_pending = 1;
				r->pending_number = n;
				r->pending_line = r->line;
				return 1;
			}
			s->number = n;
			s->line = r->line;
			in_set = 1;
			continue;
		}
		if (!in_set) {
			snprintf(r->err, sizeof(r->err),
				 "%s:%u: field before any [set N]", r->path,
				 r->line);
			return -1;
		}
		eq = strchr(line, '=');
		if (!eq) {
			snprintf(r->err, sizeof(r->err),
				 "%s:%u: expected 'key = hex'", r->path,
				 r->line);
			return -1;
		}
		*eq = '\0';
		key = trim(line);
		val = trim(eq + 1);
		if (!*key || strlen(key) >= VEC_MAX_KEY) {
			snprintf(r->err, sizeof(r->err), "%s:%u: bad key",
				 r->path, r->line);
			return -1;
		}
		for (i = 0; i < s->nfields; i++) {
			if (strcmp(s->f[i].key, key) == 0) {
				snprintf(r->err, sizeof(r->err),
					 "%s:%u: key '%s' repeated in set %u",
					 r->path, r->line, key, s->number);
				return -1;
			}
		}
		if (s->nfields == VEC_MAX_FIELDS) {
			snprintf(r->err, sizeof(r->err),
				 "%s:%u: too many fields", r->path, r->line);
			return -1;
		}
		f = &s->f[s->nfields];
		rc = gba_hex_decode(val, strlen(val), f->val, sizeof(f->val),
				    &f->len);
		if (rc != GBA_OK) {
			snprintf(r->err, sizeof(r->err),
				 "%s:%u: set %u field '%s': %s", r->path,
				 r->line, s->number, key, gba_strerror(rc));
			return -1;
		}
		memcpy(f->key, key, strlen(key) + 1);
		f->line = r->line;
		s->nfields++;
	}
	if (ferror(r->fp)) {
		snprintf(r->err, sizeof(r->err), "%s: read error", r->path);
		return -1;
	}
	return in_set ? 1 : 0;
}

const struct vec_field *vec_get(const struct vec_set *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->nfields; i++)
		if (strcmp(s->f[i].key, key) == 0)
			return &s->f[i];
	return NULL;
}
