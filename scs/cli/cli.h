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

/* --json given (anywhere on the line): one JSON object on stdout */
extern int cli_json;
/* @s as a JSON string (quotes, escapes) on stdout */
void cli_json_str(const char *s);

/*
 * The binding state directory (docs/scs.md): @state (--state), else
 * $GBA_SCS_STATE_DIR, else $XDG_STATE_HOME/gba-scs, else
 * $HOME/.local/state/gba-scs; created mode 0700 with missing parents.
 * Opens it into @h (scs_host_open()); prints the error itself.  0 or -1.
 */
int cli_host(const char *cmd, const char *state, struct scs_host *h);
/* The one-line refusal for an SA file that is not bound here. */
void cli_unbound(const char *cmd, const char *path);

#define CLI_STATE_USAGE                                                        \
	"  --state DIR        binding state of this host (default\n"           \
	"                     $GBA_SCS_STATE_DIR, else\n"                      \
	"                     $XDG_STATE_HOME/gba-scs or\n"                    \
	"                     ~/.local/state/gba-scs; docs/scs.md)\n"

int cmd_push(int argc, char **argv);
int cmd_trigger(int argc, char **argv);

#endif
