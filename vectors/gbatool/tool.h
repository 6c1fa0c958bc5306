/*
 * tool.h - shared plumbing of gbatool: option parsing and output.
 *
 * Output is one "name=lowercasehex" line per value, or with --json a single
 * JSON object.  Every failure prints one line "gbatool: <cmd>: <reason>" on
 * stderr and exits non-zero (2 for usage, 1 for a failed operation).
 */
#ifndef GBATOOL_TOOL_H
#define GBATOOL_TOOL_H

#include <stddef.h>
#include <stdint.h>
#include "gba/text.h"

#define TOOL_EXIT_FAIL 1
#define TOOL_EXIT_USAGE 2

/* ---- options ---- */

#define OPT_REPEAT 0x1 /* may be given several times */
#define OPT_FLAG 0x2   /* takes no value */

struct opt_spec {
	const char *name;  /* without leading "--" */
	unsigned flags;
	const char *help;
};

#define OPT_MAX_VALUES 16

struct opt_val {
	const struct opt_spec *spec;
	const char *v[OPT_MAX_VALUES];
	unsigned n;
};

struct opts {
	const char *cmd;
	size_t nspec;
	struct opt_val val[32];
	const char *pos[64]; /* positional arguments */
	unsigned npos;
	int json;            /* --json seen */
};

/* spec rows of the f1..f5 inputs (TS 33.102 6.3.2): --rand, --sqn, --amf */
#define OPT_SPEC_RAND {"rand", 0, "HEX  RAND, 16 octets"}
#define OPT_SPEC_RAND_SQN_AMF                                                  \
	OPT_SPEC_RAND, {"sqn", 0, "HEX  SQN, 6 octets"},                        \
		{"amf", 0, "HEX  AMF, 2 octets"}

/* Parse argv (argv[0], the subcommand's name, skipped).  --json and --help are always known.
 * On error prints a one-line message and returns TOOL_EXIT_USAGE; on
 * --help prints usage and returns -1; otherwise 0. */
int opts_parse(struct opts *o, const char *cmd, const char *usage,
	       const struct opt_spec *spec, size_t nspec, int argc,
	       char **argv);
const char *opt_get(const struct opts *o, const char *name);
unsigned opt_count(const struct opts *o, const char *name);
const char *opt_get_n(const struct opts *o, const char *name, unsigned i);
int opt_has(const struct opts *o, const char *name);

/* Required option as exact-length hex; prints the error itself. */
int opt_hex_exact(const struct opts *o, const char *name, uint8_t *out,
		  size_t n);
/* Hex of any length up to cap. */
int opt_hex(const struct opts *o, const char *name, uint8_t *out, size_t cap,
	    size_t *len);
/* Required option present?  Prints "missing --name". */
int opt_require(const struct opts *o, const char *name);
/* Unsigned decimal option, with range check; absent leaves *v alone. */
int opt_uint(const struct opts *o, const char *name, unsigned long min,
	     unsigned long max, unsigned long *v);

/* ---- errors ---- */
/* tool_err(CMD, fmt, ...): "gbatool: CMD: message" (gba/text.h) */
#define tool_err(...) gba_cli_err("gbatool", __VA_ARGS__)
/* "gbatool: CMD: gba_strerror(r)"; returns TOOL_EXIT_FAIL. */
int tool_fail(const char *cmd, int r);

/* ---- output ----
 * One emitter for flat and nested output.  Text: one "name=value" line per
 * value; inside out_open() levels the names are prefixed with the levels'
 * text names ("pdu1.udh.ie1.iei=5").  JSON: one object; out_open() starts
 * a nested object or array (name NULL inside an array). */
#define OUT_DEPTH_MAX 8
struct out {
	int json;
	int depth;
	int first[OUT_DEPTH_MAX];
	char path[OUT_DEPTH_MAX][48];
};
void out_begin(struct out *w, int json);
void out_open(struct out *w, const char *name, const char *text_name,
	      int array);
void out_close(struct out *w, int array);
void out_hex(struct out *w, const char *name, const uint8_t *b, size_t n);
void out_str(struct out *w, const char *name, const char *s);
void out_strn(struct out *w, const char *name, const char *s, size_t n);
void out_uint(struct out *w, const char *name, unsigned long long v);
void out_bool(struct out *w, const char *name, int v);
void out_end(struct out *w);

/* f1..f5* of one Milenage (TS 35.206) or TUAK (TS 35.231) run */
struct out_fns {
	const uint8_t *mac_a, *mac_s, *res, *ck, *ik, *ak, *ak_s;
	size_t mac_len, res_len, ck_len, ik_len;
};
/* as "f1", "f1star", "f2", "f3", "f4", "f5", "f5star" (AK: 6 octets) */
void out_fns(struct out *w, const struct out_fns *f);
/* JSON string escaping to stdout (for commands with nested output). */
void out_json_string(const char *s, size_t n);

/* ---- subcommands: int cmd_x(int argc, char **argv), argv[0] the
 * command's name (gba_cli_dispatch()) ---- */

int cmd_vectors(int argc, char **argv);
int cmd_milenage(int argc, char **argv);
int cmd_tuak(int argc, char **argv);
int cmd_av(int argc, char **argv);
int cmd_auts(int argc, char **argv);
int cmd_resync(int argc, char **argv);
int cmd_kdf(int argc, char **argv);
int cmd_ks_naf(int argc, char **argv);
int cmd_sms(int argc, char **argv);
int cmd_gpi(int argc, char **argv);

#endif
