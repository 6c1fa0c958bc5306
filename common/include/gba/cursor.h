/*
 * gba/cursor.h - bounds-checked read and write cursors (style.md C7, C8).
 *
 * A read cursor never forms a pointer past the end of its buffer: every
 * check is "n > c->left", never "p + n > end".  The first error poisons the
 * cursor (left becomes 0, err keeps the first code), so a decoder can chain
 * reads and test c->err once.  Multi-byte integers are big-endian, read and
 * written byte-wise.  Everything is static inline: no heap, no stdio, usable
 * from ue-agent/ firmware builds.  docs/internals/CURSOR.md has the rules.
 */
#ifndef GBA_CURSOR_H
#define GBA_CURSOR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "gba/err.h"

#ifdef __cplusplus
extern "C" {
#endif

struct gba_cur {
	const uint8_t *p; /* next unread octet */
	size_t left;      /* octets left */
	int err;          /* first error, GBA_OK while healthy */
};

struct gba_wcur {
	uint8_t *p;   /* output buffer (may be NULL with cap 0: size pass) */
	size_t cap;   /* its capacity */
	size_t len;   /* octets written (or that would have been) */
	int err;      /* first error */
};

static inline uint16_t gba_get_be16(const uint8_t *b)
{
	return (uint16_t)((uint16_t)b[0] << 8 | b[1]);
}

static inline uint32_t gba_get_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static inline uint64_t gba_get_be48(const uint8_t *b)
{
	return (uint64_t)gba_get_be16(b) << 32 | gba_get_be32(b + 2);
}

static inline uint64_t gba_get_be64(const uint8_t *b)
{
	return (uint64_t)gba_get_be32(b) << 32 | gba_get_be32(b + 4);
}

static inline void gba_put_be16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static inline void gba_put_be32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static inline void gba_put_be48(uint8_t *b, uint64_t v)
{
	gba_put_be16(b, (uint16_t)(v >> 32));
	gba_put_be32(b + 2, (uint32_t)v);
}

static inline void gba_put_be64(uint8_t *b, uint64_t v)
{
	gba_put_be32(b, (uint32_t)(v >> 32));
	gba_put_be32(b + 4, (uint32_t)v);
}

/* ---- read cursor ---- */

static inline void gba_cur_init(struct gba_cur *c, const uint8_t *buf,
				size_t len)
{
	c->p = buf;
	c->left = buf ? len : 0;
	c->err = GBA_OK;
}

/*
 * The start of a decoder: @c on the input and the decoded object @out (@n
 * octets) cleared, so that it is all zero on every error path.
 * GBA_ERR_BAD_PARAM for a NULL @out.
 */
static inline int gba_cur_start(struct gba_cur *c, const uint8_t *buf,
				size_t len, void *out, size_t n)
{
	gba_cur_init(c, buf, len);
	if (!out)
		return GBA_ERR_BAD_PARAM;
	memset(out, 0, n);
	return GBA_OK;
}

/* Record the first error and make every later read fail.  Returns err. */
static inline int gba_cur_fail(struct gba_cur *c, int err)
{
	if (c->err == GBA_OK)
		c->err = err;
	c->left = 0;
	return c->err;
}

/* Take n octets as a view into the input (valid while the input is). */
static inline int gba_cur_bytes(struct gba_cur *c, size_t n,
				const uint8_t **view)
{
	*view = NULL;
	if (c->err || n > c->left)
		return gba_cur_fail(c, GBA_ERR_TRUNCATED);
	*view = c->p;
	c->p += n;
	c->left -= n;
	return GBA_OK;
}

static inline int gba_cur_copy(struct gba_cur *c, void *out, size_t n)
{
	const uint8_t *v;
	int r = gba_cur_bytes(c, n, &v);

	if (r == GBA_OK && n)
		memcpy(out, v, n);
	return r;
}

static inline int gba_cur_skip(struct gba_cur *c, size_t n)
{
	const uint8_t *v;

	return gba_cur_bytes(c, n, &v);
}

static inline int gba_cur_u8(struct gba_cur *c, uint8_t *v)
{
	*v = 0;
	if (c->err || c->left < 1)
		return gba_cur_fail(c, GBA_ERR_TRUNCATED);
	*v = c->p[0];
	c->p++;
	c->left--;
	return GBA_OK;
}

/* Look at the next octet without consuming it. */
static inline int gba_cur_peek(const struct gba_cur *c, uint8_t *v)
{
	*v = 0;
	if (c->err)
		return c->err;
	if (c->left < 1)
		return GBA_ERR_TRUNCATED;
	*v = c->p[0];
	return GBA_OK;
}

static inline int gba_cur_be16(struct gba_cur *c, uint16_t *v)
{
	const uint8_t *b;
	int r = gba_cur_bytes(c, 2, &b);

	*v = r ? 0 : gba_get_be16(b);
	return r;
}

static inline int gba_cur_be32(struct gba_cur *c, uint32_t *v)
{
	const uint8_t *b;
	int r = gba_cur_bytes(c, 4, &b);

	*v = r ? 0 : gba_get_be32(b);
	return r;
}

static inline int gba_cur_be64(struct gba_cur *c, uint64_t *v)
{
	const uint8_t *b;
	int r = gba_cur_bytes(c, 8, &b);

	*v = r ? 0 : gba_get_be64(b);
	return r;
}

/* Split off the next n octets as a sub-cursor (for length-prefixed parts). */
static inline int gba_cur_sub(struct gba_cur *c, size_t n, struct gba_cur *sub)
{
	const uint8_t *v;
	int r = gba_cur_bytes(c, n, &v);

	gba_cur_init(sub, v, r ? 0 : n);
	sub->err = r;
	return r;
}

/* GBA_OK when the cursor is healthy and fully consumed. */
static inline int gba_cur_end(const struct gba_cur *c)
{
	if (c->err)
		return c->err;
	return c->left ? GBA_ERR_TRAILING : GBA_OK;
}

/* ---- write cursor ---- */

static inline void gba_wcur_init(struct gba_wcur *w, uint8_t *buf, size_t cap)
{
	w->p = buf;
	w->cap = buf ? cap : 0;
	w->len = 0;
	w->err = GBA_OK;
}

static inline int gba_wcur_fail(struct gba_wcur *w, int err)
{
	if (w->err == GBA_OK)
		w->err = err;
	return w->err;
}

/*
 * Reserve n octets and return a pointer to them (NULL on overflow, which
 * poisons the cursor with GBA_ERR_NO_SPACE).
 */
static inline uint8_t *gba_wcur_reserve(struct gba_wcur *w, size_t n)
{
	uint8_t *d;

	if (w->err)
		return NULL;
	if (n > w->cap - w->len) {
		gba_wcur_fail(w, GBA_ERR_NO_SPACE);
		return NULL;
	}
	d = w->p + w->len;
	w->len += n;
	return d;
}

static inline int gba_wcur_bytes(struct gba_wcur *w, const void *src, size_t n)
{
	uint8_t *d = gba_wcur_reserve(w, n);

	if (!d)
		return w->err;
	if (n)
		memcpy(d, src, n);
	return GBA_OK;
}

static inline int gba_wcur_u8(struct gba_wcur *w, uint8_t v)
{
	uint8_t *d = gba_wcur_reserve(w, 1);

	if (!d)
		return w->err;
	d[0] = v;
	return GBA_OK;
}

/* @v as its @n (1 to 8) low octets, most significant first */
static inline int gba_wcur_be(struct gba_wcur *w, uint64_t v, size_t n)
{
	uint8_t b[8];

	gba_put_be64(b, v);
	return gba_wcur_bytes(w, b + 8 - n, n);
}

static inline int gba_wcur_be16(struct gba_wcur *w, uint16_t v)
{
	return gba_wcur_be(w, v, 2);
}

static inline int gba_wcur_be32(struct gba_wcur *w, uint32_t v)
{
	return gba_wcur_be(w, v, 4);
}

static inline int gba_wcur_be64(struct gba_wcur *w, uint64_t v)
{
	return gba_wcur_be(w, v, 8);
}

#ifdef __cplusplus
}
#endif
#endif
