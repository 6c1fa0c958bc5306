/*
 * export.h - the subscriber store as CSV (bsf-internal): gba-bsfctl
 * `export`, the columns of `import` (import.h) less op, one line per
 * subscriber, so that an export with keys is an import file
 * (docs/hss-store.md).  K and OPc/TOPc only when asked for.
 */
#ifndef BSF_EXPORT_H
#define BSF_EXPORT_H

#include <stdio.h>
#include "gba/text.h"
#include "store.h"

/* a ';'-separated list in a capped buffer (gba/text.h) */
struct bsf_semilist {
	char b[BSF_IMPUS_MAX * (BSF_IMPU_MAX + 1) + 1];
	struct gba_dynbuf d;
};

/** bsf_semilist_reset() - empty the list ("" in l->b). */
void bsf_semilist_reset(struct bsf_semilist *l);

/** bsf_semilist_add() - append @name (a store list callback: @arg is
 * the list).  Return: 0, GBA_ERR_TOO_LARGE. */
int bsf_semilist_add(void *arg, const char *name);

/**
 * bsf_export_csv() - write the header and every subscriber of @st to
 * @f; @secrets: with K and OPc (else those fields are empty).
 * @n: [out] subscribers written.
 * Return: GBA_OK; a store error; GBA_ERR_IO (@f failed).
 */
int bsf_export_csv(struct bsf_store *st, FILE *f, int secrets,
		   unsigned long *n) GBA_WARN_UNUSED;

#endif
