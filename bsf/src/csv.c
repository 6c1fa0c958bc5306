/* see csv.h - RFC 4180 records, the import header rule */
#include <stdlib.h>
#include <string.h>
#include "gba/crypto.h"
#include "gba/err.h"
#include "csv.h"

int bsf_csv_init(struct bsf_csv *c, FILE *f, size_t cap)
{
	memset(c, 0, sizeof(*c));
	c->f = f;
	c->line = 1;
	if (cap < 2 || (c->buf = malloc(cap)) == NULL)
		return GBA_ERR_NOMEM;
	c->cap = cap;
	return GBA_OK;
}

void bsf_csv_free(struct bsf_csv *c)
{
	if (c == NULL || c->buf == NULL)
		return;
	gba_cleanse(c->buf, c->cap);
	free(c->buf);
	c->buf = NULL;
}

void bsf_csv_wipe(struct bsf_csv *c)
{
	if (c->buf && c->len)
		gba_cleanse(c->buf, c->len);
}

const char *bsf_csv_strerror(int err)
{
	switch (err) {
	case GBA_ERR_TRUNCATED:
		return "unterminated quoted field";
	case GBA_ERR_TOO_LARGE:
		return "field too long";
	case GBA_ERR_MALFORMED:
		return "too many fields";
	default:
		return "bad record";
	}
}

int bsf_csv_next(struct bsf_csv *c)
{
	size_t len = 0;
	int ch, q = 0, any = 0;

	c->n = 0;
	c->err = 0;
	c->rec_line = c->line;
	c->off[c->n++] = 0;
	for (;;) {
		ch = getc(c->f);
		if (ch == EOF) {
			if (!any)
				return 0;
			if (q && !c->err)
				c->err = GBA_ERR_TRUNCATED;
			break;
		}
		any = 1;
		if (q) {
			if (ch == '"') {
				int nx = getc(c->f);

				if (nx == '"') {
					ch = '"';
				} else {
					q = 0;
					if (nx != EOF)
						ungetc(nx, c->f);
					continue;
				}
			} else if (ch == '\n') {
				c->line++;
			}
		} else if (ch == '"') {
			q = 1;
			continue;
		} else if (ch == ',') {
			ch = '\0';
			if (c->n == BSF_CSV_FIELDS_MAX) {
				if (!c->err)
					c->err = GBA_ERR_MALFORMED;
				continue;
			}
		} else if (ch == '\r') {
			continue;
		} else if (ch == '\n') {
			c->line++;
			break;
		}
		if (c->err)
			continue; /* skip to the end of the record */
		if (len + 1 >= c->cap) {
			c->err = GBA_ERR_TOO_LARGE;
			continue;
		}
		c->buf[len++] = (char)ch;
		if (ch == '\0')
			c->off[c->n++] = len;
	}
	c->buf[len] = '\0';
	c->len = len + 1;
	return c->err ? -1 : 1;
}

const char *bsf_csv_field(const struct bsf_csv *c, int idx)
{
	if (idx < 0 || (size_t)idx >= c->n)
		return NULL;
	return c->buf + c->off[idx];
}

int bsf_csv_header_col(const char *h, int first, const char *const *names,
		       size_t n)
{
	char low[32];
	size_t i, len;

	if (first && (unsigned char)h[0] == 0xef &&
	    (unsigned char)h[1] == 0xbb && (unsigned char)h[2] == 0xbf)
		h += 3;
	while (*h == ' ' || *h == '\t')
		h++;
	len = strlen(h);
	while (len && (h[len - 1] == ' ' || h[len - 1] == '\t'))
		len--;
	if (len >= sizeof(low))
		return -1;
	for (i = 0; i < len; i++)
		low[i] = (char)(h[i] >= 'A' && h[i] <= 'Z' ? h[i] + 32 : h[i]);
	low[len] = '\0';
	for (i = 0; i < n; i++)
		if (strcmp(low, names[i]) == 0)
			return (int)i;
	return -1;
}

void bsf_csv_put(FILE *f, const char *s, int last)
{
	const char *p;

	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
	} else {
		fputc('"', f);
		for (p = s; *p; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		fputc('"', f);
	}
	fputc(last ? '\n' : ',', f);
}
