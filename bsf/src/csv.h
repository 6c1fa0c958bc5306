/*
 * csv.h - the CSV reader of gba-bsfctl's import files (bsf-internal):
 * RFC 4180 records (quoted fields may hold commas, doubled quotes and
 * line breaks; CR before LF is dropped) and the header rule of the
 * import formats (docs/hss-store.md): a UTF-8 BOM before the first cell
 * is skipped, case and surrounding blanks are ignored.  No store.
 */
#ifndef BSF_CSV_H
#define BSF_CSV_H

#include <stddef.h>
#include <stdio.h>
#include "bsf_limits.h"

/* octets of all fields of one record (a GUSS is the largest field) */
#define BSF_CSV_RECORD_MAX (2 * BSF_GUSS_MAX + 1024)
#define BSF_CSV_FIELDS_MAX 32

struct bsf_csv {
	FILE *f;
	unsigned long line;	/* current physical line (1-based) */
	unsigned long rec_line; /* first line of the last record */
	char *buf;		/* all fields of a record, NUL-separated */
	size_t cap;
	size_t off[BSF_CSV_FIELDS_MAX];
	size_t n;   /* fields in the last record */
	size_t len; /* octets used in buf by the last record */
	int err;    /* the last record's error (bsf_csv_next()) */
};

/** bsf_csv_init() - read records of at most @cap octets from @f (not
 * closed by the reader).  Return: GBA_OK, GBA_ERR_NOMEM. */
int bsf_csv_init(struct bsf_csv *c, FILE *f, size_t cap);

/** bsf_csv_free() - wipe and free the record buffer.  NULL-safe. */
void bsf_csv_free(struct bsf_csv *c);

/**
 * bsf_csv_next() - read the next record.
 * Return: 1 a record (bsf_csv_field()); 0 end of file; -1 the record is
 * bad and skipped, c->err says why: GBA_ERR_TRUNCATED (a quoted field
 * not closed at end of file), GBA_ERR_TOO_LARGE (record over @cap
 * octets), GBA_ERR_MALFORMED (over BSF_CSV_FIELDS_MAX fields).
 */
int bsf_csv_next(struct bsf_csv *c);

/** bsf_csv_strerror() - an operator's text for a c->err value. */
const char *bsf_csv_strerror(int err);

/** bsf_csv_field() - field @idx of the last record, NULL if absent. */
const char *bsf_csv_field(const struct bsf_csv *c, int idx);

/** bsf_csv_wipe() - wipe the last record (it may hold K and OPc). */
void bsf_csv_wipe(struct bsf_csv *c);

/**
 * bsf_csv_header_col() - the index in @names (lower case) of header
 * cell @h, or -1; @first: @h is the first cell (a UTF-8 BOM is dropped).
 */
int bsf_csv_header_col(const char *h, int first, const char *const *names,
		       size_t n);

/**
 * bsf_csv_put() - write @s (NULL: empty) as a CSV field, quoted when it
 * holds a comma, quote or line break, then ',' or (@last) '\n'.
 */
void bsf_csv_put(FILE *f, const char *s, int last);

#endif
