/*
 * suite.h - internal to libgpl: the GPL cipher-suite table (TS 33.224
 * V17.x; the suites are [GAP] there, the table is a project choice,
 * unconfirmed: docs/wire-formats.md "GPL").  Used by msg.c (protect,
 * unprotect) and sa.c (suite check); depends on neither.
 */
#ifndef GPL_SUITE_H
#define GPL_SUITE_H

#include <stddef.h>
#include <stdint.h>
#include "gpl/gpl.h"

enum gpl_enc {
	GPL_ENC_NULL,
	GPL_ENC_AES128_CTR,
};

/* One row of the cipher-suite table (project choice, unconfirmed). */
struct gpl_suite_def {
	uint8_t id;          /* wire identifier, enum gpl_suite */
	const char *name;
	enum gpl_enc enc;
	size_t mac_len;      /* HMAC-SHA-256 truncated to this many octets */
};

/* The table row for @id, or NULL. */
const struct gpl_suite_def *gpl_suite_find(int id);

#endif
