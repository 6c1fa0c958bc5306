/*
 * vecfile.h - reader for the vectors/ test-data format (host only, stdio).
 *
 *   # comment
 *   [set N]
 *   key = lowercasehex
 *
 * One record per "[set N]"; keys unique within a set; values even-length
 * hex.  Errors carry the line number so a test engineer can find them.
 */
#ifndef GBA_VECFILE_H
#define GBA_VECFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define VEC_MAX_FIELDS 32
#define VEC_MAX_KEY 32
#define VEC_MAX_VAL 512

struct vec_field {
	char key[VEC_MAX_KEY];
	uint8_t val[VEC_MAX_VAL];
	size_t len;
	unsigned line;
};

struct vec_set {
	unsigned number; /* N of [set N] */
	unsigned line;   /* line of the [set N] header */
	size_t nfields;
	struct vec_field f[VEC_MAX_FIELDS];
};

struct vec_reader {
	FILE *fp;
	const char *path;
	unsigned line;
	int have_pending; /* a [set N] header was read ahead */
	unsigned pending_number, pending_line;
	char err[256];
};

/* Open @path.  Return 0 or -1 (with r->err set). */
int vec_open(struct vec_reader *r, const char *path);
void vec_close(struct vec_reader *r);

/* Read the next set.  Return 1 for a set, 0 at end of file, -1 on a format
 * error (r->err names the line). */
int vec_next(struct vec_reader *r, struct vec_set *s);

/* Field lookup: NULL when absent. */
const struct vec_field *vec_get(const struct vec_set *s, const char *key);

#endif
