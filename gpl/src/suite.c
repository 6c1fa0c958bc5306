/*
 * see suite.h - the GPL cipher-suite table, TS 33.224 V17.x.  TS 33.224
 * does not define the suites ([GAP]): the table is a PROJECT CHOICE,
 * unconfirmed (docs/wire-formats.md "GPL").
 */
#include "suite.h"

/* Cipher-suite table (project choice, unconfirmed). */
static const struct gpl_suite_def gpl_suites[] = {
	{ GPL_SUITE_AES128CTR_HMAC256_128, "AES128CTR-HMAC256-128",
	  GPL_ENC_AES128_CTR, 16 },
	{ GPL_SUITE_NULL_HMAC256_128, "NULL-HMAC256-128", GPL_ENC_NULL, 16 },
};

const struct gpl_suite_def *gpl_suite_find(int id)
{
	size_t i;

	for (i = 0; i < GBA_ARRAY_SIZE(gpl_suites); i++)
		if (gpl_suites[i].id == id)
			return &gpl_suites[i];
	return NULL;
}

/* see gpl/gpl.h */
const char *gpl_suite_name(int suite)
{
	const struct gpl_suite_def *s = gpl_suite_find(suite);

	return s ? s->name : "unknown";
}
