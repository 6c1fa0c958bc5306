/*
 * log.h - BSF logging (style.md C15): levelled lines tagged with a
 * subsystem, plus one structured line per request.
 *
 * Privacy (TS 33.187 / docs/spec-facts.md 13): a UE identity (IMPI, IMPU,
 * IMSI, MSISDN) is never written in clear; bsf_log_ue_tag() gives a keyed
 * hash (HMAC-SHA-256 under the configured or per-process random key,
 * first 64 bits) so that lines about the same UE can be correlated by
 * whoever holds the key.  Keys are never logged: bsf_log_hexdump_key()
 * prints "[REMOVED]" unless the daemon was built with -DBSF_DEBUG_KEYS
 * and started with [log] log_keys = true.
 */
#ifndef BSF_LOG_H
#define BSF_LOG_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"

enum bsf_log_sub {
	BSF_LOG_MAIN,
	BSF_LOG_HTTP,
	BSF_LOG_NBSP,
	BSF_LOG_ZPN,
	BSF_LOG_STORE,
	BSF_LOG_GPI,
	BSF_LOG_CRYPTO,
};

/* syslog numbering */
#define BSF_LOG_ERR 3
#define BSF_LOG_WARNING 4
#define BSF_LOG_NOTICE 5
#define BSF_LOG_INFO 6
#define BSF_LOG_DEBUG 7

#define BSF_UE_TAG_LEN 16 /* hex characters of the keyed hash */

/**
 * bsf_log_init() - open @path ("" or "-": stderr), set the level and the
 * UE-hash key (@key NULL: 32 random octets for this process).
 * Return: GBA_OK, GBA_ERR_IO, GBA_ERR_RANDOM.
 */
int bsf_log_init(const char *path, int level, const uint8_t *key,
		 int log_keys) GBA_WARN_UNUSED;
/** bsf_log_close() - close the file and wipe the key. */
void bsf_log_close(void);

/* bsf_log_reopen() - SIGHUP: open the log file again (after rotation);
 * on failure the old file stays in use.  Return: GBA_OK or GBA_ERR_IO. */
int bsf_log_reopen(void);

/* bsf_log_set_format() - 0: logfmt (default), 1: JSON lines. */
void bsf_log_set_format(int json);

int bsf_log_enabled(int level);

__attribute__((format(printf, 3, 4))) void
bsf_log(enum bsf_log_sub sub, int level, const char *fmt, ...);

#define BSF_LOG(sub, level, ...)                                  \
	do {                                                      \
		if (bsf_log_enabled(level))                       \
			bsf_log((sub), (level), __VA_ARGS__);     \
	} while (0)

/**
 * bsf_log_ue_tag() - keyed hash of a UE identity for logs.
 * @out: [out] BSF_UE_TAG_LEN hex characters + NUL ("-" on failure)
 */
void bsf_log_ue_tag(const char *ue_id, size_t len,
		    char out[BSF_UE_TAG_LEN + 1]);

/** bsf_log_hexdump_key() - "[REMOVED]" unless key logging is enabled. */
void bsf_log_hexdump_key(enum bsf_log_sub sub, const char *title,
			 const uint8_t *key, size_t len);

/* One line per request (docs/bsf.md "Logging"). */
struct bsf_log_req {
	const char *naf;      /* Push-NAF identity (certificate), or "-" */
	const char *endpoint; /* "nbsp", "zpn", "admin", ... */
	int status;           /* HTTP status */
	const char *outcome;  /* "ok" or the problem cause */
	double latency_ms;
	const char *ue_tag;   /* bsf_log_ue_tag() or "-" */
	const char *gba;      /* "GBA_ME", "GBA_U" or "-" */
};
void bsf_log_request(const struct bsf_log_req *r);

#endif
