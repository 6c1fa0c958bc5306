/*
 * cli.h - shared plumbing of gba-scs (not installed).
 */
#ifndef GBA_SCS_CLI_H
#define GBA_SCS_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include "gba/text.h"
#include "scs/scs.h"

/* getopt_long codes of every gba-scs option */
enum {
	O_BSF = 256,
	O_CERT,
	O_KEY,
	O_CA,
	O_UE_ID,
	O_UE_ID_TYPE,
	O_NAF_FQDN,
	O_UA_ID,
	O_GBA_U,
	O_GBA_U_AWARE,
	O_APP_LABEL,
	O_PTID,
	O_PTID_HEX,
	O_LIFETIME,
	O_PRIVATE_ID,
	O_TIMEOUT,
	O_RETRIES,
	O_SA,
	O_AUTS,
	O_RAND,
	O_STATE,
	O_DIAMETER,
	O_DIAMETER_PEER,
	O_DIAMETER_REALM,
	O_MSISDN,
	O_SUBMIT,
	O_FROM,
	O_APP_ID,
	O_CT_CODE,
	O_PAYLOAD,
	O_PORT,
	O_HELP
};

/*
 * getopt_long over @lo: --help prints @usage; every other option goes to
 * @opt (1 taken, 0 not an option of this command, -1 bad value, printed);
 * an operand is refused.  -1 to go on, else the exit code (0 after --help,
 * 2 usage error).
 */
int cli_opts(const char *cmd, int argc, char **argv,
	     const struct option *lo, const char *usage,
	     int (*opt)(const char *cmd, int c, void *ctx), void *ctx);

/*
 * An option that only stores: optarg into a const char * (@flag 0) or 1
 * into an int (@flag 1), at offset @off of a command's context.
 */
struct cli_store {
	int code;
	size_t off;
	int flag;
};
#define CLI_STR(code, type, member) {code, offsetof(type, member), 0}
#define CLI_FLAG(code, type, member) {code, offsetof(type, member), 1}
/* @c one of the @n codes of @t: stored into @ctx, 1; else 0. */
int cli_store(int c, const struct cli_store *t, size_t n, void *ctx);

/* cli_err(CMD, fmt, ...): one line "gba-scs: CMD: reason" on stderr
 * (gba/text.h) */
#define cli_err(...) gba_cli_err("gba-scs", __VA_ARGS__)
/* Decimal 0..max; prints the error itself.  0 or -1. */
int cli_uint(const char *cmd, const char *opt, const char *s,
	     unsigned long long max, unsigned long long *v);
/* Report getopt_long's ':' (missing value) or '?' (unknown option). */
void cli_bad_opt(const char *cmd, int c, char **argv);
/* After getopt_long: an operand left over is an error (printed).  0 or -1. */
int cli_args_done(const char *cmd, int argc, char **argv);
/* "cannot use SA file": scs_sa_load()'s error @r, @not_found_hint appended
 * for GBA_ERR_NOT_FOUND. */
void cli_sa_load_err(const char *cmd, const char *path, int r,
		     const char *not_found_hint);
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
