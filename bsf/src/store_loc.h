/*
 * store_loc.h - the printable form of a store location (bsf-internal,
 * host only): what gba-bsf and gba-bsfctl show of `[store] path`,
 * `[store] url`, `--db`, `$GBA_BSF_DB`, `copy --from/--to` in messages
 * and logs.  A libpq connection URI ("postgresql://...") or key=value
 * conninfo may carry a database password (user:secret@host,
 * ?password=...) or a client-key passphrase (sslpassword): the printable
 * form has each of them replaced by "***".  The location is understood
 * as libpq understands it (PQconninfoParse(), percent-decoding of URI
 * parameter names included), and the result is parsed again to check
 * that no secret is left; a SQLite path is printed as is.  Rules and
 * reasons: docs/operations.md "Database passwords".
 */
#ifndef BSF_STORE_LOC_H
#define BSF_STORE_LOC_H

#include <stddef.h>

/* A buffer for bsf_store_loc_printable(): longer forms are cut ("..."). */
#define BSF_STORE_LOC_PRINT_MAX 1024

/* what a libpq connection string replaces a secret with */
#define BSF_STORE_LOC_MASK "***"

/*
 * bsf_store_loc_printable() - @loc as it may be shown (terminal, log,
 * journald): a SQLite path unchanged; a libpq URI or key=value conninfo
 * as written, with the value of every `password` and `sslpassword`
 * (URI user info or parameter, conninfo keyword) replaced by "***"; of
 * a URI libpq cannot parse only its scheme, then "*** (malformed URI)"
 * (libpq's own error text may quote the secret: not shown either); a
 * string that is neither a URI, nor a conninfo, but names "password"
 * cut there.  Always NUL-terminated in @out (@cap >= 1), "(none)" for a
 * NULL @loc.  No allocation survives the call; every copy of a secret
 * made on the way is wiped.
 *
 * Return: @out (so that it can be an argument of printf()).
 */
const char *bsf_store_loc_printable(const char *loc, char *out, size_t cap);

/*
 * BSF_STORE_LOC() - bsf_store_loc_printable() into a buffer (a compound
 * literal) that lives to the end of the enclosing block, for a printf
 * argument: err_msg("%s: %s", BSF_STORE_LOC(db), gba_strerror(r)).
 */
#define BSF_STORE_LOC(loc)                                                  \
	bsf_store_loc_printable((loc), (char[BSF_STORE_LOC_PRINT_MAX]){0},  \
				BSF_STORE_LOC_PRINT_MAX)

/*
 * bsf_store_loc_secret() - whether @loc carries a secret libpq would use:
 * 1 a password or sslpassword (in any form libpq accepts, percent-encoded
 * parameter names included), 0 none, -1 a libpq URI libpq cannot parse
 * (or out of memory).  A SQLite path: 0.
 */
int bsf_store_loc_secret(const char *loc);

/*
 * bsf_store_loc_conninfo() - 1 if @loc is a libpq "keyword=value"
 * connection string ("host=/run/postgresql dbname=gba"): libpq reads it,
 * yet no program of this project opens it (a store location is a SQLite
 * file or a postgresql:// URI), and taken as a file name it would create
 * a SQLite store of that name, a password in the name.  0 otherwise (a
 * URI, a file name: libpq refuses a word without "=").
 */
int bsf_store_loc_conninfo(const char *loc);

/* What the programs say of such a location. */
#define BSF_STORE_LOC_CONNINFO_MSG                                          \
	"a libpq keyword=value string: give a postgresql:// URI (or ./NAME "  \
	"for a SQLite file of that name)"

#endif
