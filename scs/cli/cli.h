/*
 * cli.h - shared plumbing of gba-scs (not installed).
 */
#ifndef GBA_SCS_CLI_H
#define GBA_SCS_CLI_H

#include <stdint.h>
#include "scs/scs.h"

/* One line "gba-scs: CMD: reason" on stderr. */
void cli_err(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Decimal 0..max; prints the error itself.  0 or -1. */
int cli_uint(const char *cmd, const char *opt, const char *s,
	     unsigned long long max, unsigned long long *v);
/* Report getopt_long's ':' (missing value) or '?' (unknown option). */
void cli_bad_opt(const char *cmd, int c, char **argv);
/* Unix seconds (GBA_SCS_NOW overrides, for tests). */
uint64_t cli_now(void);
/* The SA's public fields as name=value lines. */
void cli_print_sa(const struct scs_sa *sa, const char *path);

int cmd_push(int argc, char **argv);
int cmd_trigger(int argc, char **argv);

#endif
