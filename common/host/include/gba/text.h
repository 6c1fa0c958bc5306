/*
 * gba/text.h - host-only text helpers shared by the programs and the BSF:
 * a strict unsigned-integer parser, the RFC 3339 date-time parser of
 * TS 29.571 DateTime, a capped text buffer in the spirit of curl's
 * dynbuf, and the front door of the programs with subcommands.
 *
 * Host only: library gba_text (common/CMakeLists.txt), not in the
 * firmware build, not in libgba_portable, not installed.  The SCS
 * library compiles common/host/text.c into itself (scs/CMakeLists.txt)
 * so that the installed libgbapush-scs stays self-contained; the symbols
 * stay hidden there.
 */
#ifndef GBA_TEXT_H
#define GBA_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "gba/err.h"

/* ---- unsigned integers ---- */

#define GBA_UINT_HEX 1u /* also accept "0x"/"0X" followed by hex digits */

/**
 * gba_uint_parse() - the whole of @s as an unsigned number <= @max:
 * decimal digits only (with GBA_UINT_HEX, or "0x" and hex digits); no
 * sign, no spaces, no trailing text, not empty.
 * @out: [out] the value; 0 on error.
 * Return: GBA_OK, GBA_ERR_MALFORMED (NULL, empty, sign, space, any other
 * character, "0x" alone), GBA_ERR_TOO_LARGE (value above @max).
 */
int gba_uint_parse(const char *s, uint64_t max, unsigned flags,
		   uint64_t *out) GBA_WARN_UNUSED;

/* ---- TS 29.571 DateTime (RFC 3339 section 5.6 date-time) ---- */

#define GBA_DATETIME_MAX 64 /* longest date-time text accepted, octets */

/**
 * gba_datetime_parse() - RFC 3339 date-time, e.g. "2026-11-24T10:00:00Z"
 * or "2026-11-24T12:00:00.5+02:00", to Unix seconds UTC.
 * Accepted (RFC 3339 5.6; TS 29.571 5.2.2 DateTime): full-date "T"/"t"
 * full-time; time-secfrac of one digit or more (dropped); time-offset
 * "Z"/"z" or +hh:mm/-hh:mm (hh <= 23, mm <= 59); month and day checked
 * against the Gregorian calendar (29 February only in leap years);
 * seconds 00..60, a leap second 60 counted as 59 of the same minute.
 * Refused: over GBA_DATETIME_MAX octets (GBA_ERR_TOO_LARGE), anything
 * else, including an instant before 1970-01-01T00:00:00Z
 * (GBA_ERR_MALFORMED).
 * @s, @len: the text (no NUL needed; a NUL inside is malformed).
 * @out: [out] seconds since the epoch; 0 on error.
 */
int gba_datetime_parse(const char *s, size_t len,
		       int64_t *out) GBA_WARN_UNUSED;

/* ---- octet ranges ---- */

/**
 * gba_text_in_range() - 1 when every one of the @n octets of @s lies in
 * @lo..@hi (0x20..0x7e: printable ASCII; 0x21..0x7e: the same without the
 * space), else 0.  An empty text (@n = 0) is in range.
 */
int gba_text_in_range(const char *s, size_t n, unsigned char lo,
		      unsigned char hi);

/* ---- capped text buffer ---- */

#define GBA_DYNBUF_SECRET 1u /* may hold keys: wipe storage when freed */

/**
 * struct gba_dynbuf - text (or octets) appended up to a cap, always
 * NUL-terminated after the content.  Two kinds of storage:
 * gba_dynbuf_init() - on the heap, grown by doubling, content at most
 *                     @max octets;
 * gba_dynbuf_init_fixed() - the caller's @mem of @cap octets, content at
 *                     most @cap - 1 octets.
 * The first failed append is sticky: later appends do nothing and
 * gba_dynbuf_err() reports it.  An append that does not fit adds nothing.
 * With GBA_DYNBUF_SECRET the heap storage is never realloc()ed (grown by
 * copy and wipe) and gba_dynbuf_free() wipes all of it, fixed storage too.
 * Fields are read-only for callers: use gba_dynbuf_ptr()/gba_dynbuf_len().
 */
struct gba_dynbuf {
	char *p;
	size_t len;
	size_t cap;
	size_t max;
	unsigned flags;
	int fixed;
	int err;
};

void gba_dynbuf_init(struct gba_dynbuf *b, size_t max, unsigned flags);
void gba_dynbuf_init_fixed(struct gba_dynbuf *b, char *mem, size_t cap,
			   unsigned flags);
/**
 * gba_dynbuf_add() - append @n octets of @d.
 * Return: GBA_OK, GBA_ERR_NO_SPACE (fixed storage full),
 * GBA_ERR_TOO_LARGE (heap content would exceed max), GBA_ERR_NOMEM, or
 * the earlier sticky error.
 */
int gba_dynbuf_add(struct gba_dynbuf *b, const void *d, size_t n);
/** gba_dynbuf_addstr() - append the string @s (as gba_dynbuf_add()). */
int gba_dynbuf_addstr(struct gba_dynbuf *b, const char *s);
/** gba_dynbuf_printf() - append formatted text (as gba_dynbuf_add()). */
int gba_dynbuf_printf(struct gba_dynbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/**
 * gba_dynbuf_fail() - record @err (a caller's own step failed) as the
 * sticky error, unless one is already set.
 */
void gba_dynbuf_fail(struct gba_dynbuf *b, int err);
/** gba_dynbuf_err() - GBA_OK, or the first append's error. */
int gba_dynbuf_err(const struct gba_dynbuf *b);
/** gba_dynbuf_ptr() - the content, NUL-terminated ("" when empty). */
const char *gba_dynbuf_ptr(const struct gba_dynbuf *b);
/** gba_dynbuf_len() - octets of content. */
size_t gba_dynbuf_len(const struct gba_dynbuf *b);
/**
 * gba_dynbuf_free() - release heap storage (wiped first with
 * GBA_DYNBUF_SECRET; fixed storage is wiped with it, never freed) and
 * leave @b empty, as after init.  NULL-safe.
 */
void gba_dynbuf_free(struct gba_dynbuf *b);

/* ---- JSON output ---- */

/**
 * gba_json_str() - write @s to @f as a JSON string (RFC 8259 clause 7):
 * quoted, '"' and backslash escaped, control characters as \u00XX; other
 * octets (UTF-8 included) as they are.
 */
void gba_json_str(FILE *f, const char *s);

/* ---- programs with subcommands ("PROG COMMAND [OPTIONS]") ---- */

/** gba_cli_err() - "PROG: CMD: message" and a newline on stderr. */
void gba_cli_err(const char *prog, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct gba_cli_cmd {
	const char *name;
	const char *summary; /* one line of the program's usage text */
	int (*fn)(int argc, char **argv);
};

/**
 * gba_cli_dispatch() - run the subcommand named by argv[1]:
 * no argument: @usage(stderr), 2; "--help", "-h" or "help": @usage(stdout),
 * 0; "--version": "PROG VERSION" on stdout, 0; the name of one of the @n
 * @cmds: its fn's exit status, with argc - 1, argv + 1 (argv[0] the
 * command's name, as getopt expects); else "PROG: unknown command 'X'
 * (try --help)" on stderr, 2.
 */
int gba_cli_dispatch(const char *prog, const char *version,
		     const struct gba_cli_cmd *cmds, size_t n,
		     void (*usage)(FILE *fp), int argc, char **argv);

#endif
