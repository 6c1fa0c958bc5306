/* see gba/err.h */
#include <stddef.h>
#include "gba/err.h"

struct err_entry {
	int code;
	const char *name;
	const char *text;
};

#define E(c, t) { c, #c, t }
static const struct err_entry err_table[] = {
	E(GBA_OK, "success"),
	E(GBA_ERR_TRUNCATED, "input truncated"),
	E(GBA_ERR_MALFORMED, "malformed input"),
	E(GBA_ERR_TOO_LARGE, "input too large"),
	E(GBA_ERR_BAD_PARAM, "invalid parameter"),
	E(GBA_ERR_BAD_HEX, "invalid hex string"),
	E(GBA_ERR_BAD_LENGTH, "value has the wrong length"),
	E(GBA_ERR_TRAILING, "trailing data after object"),
	E(GBA_ERR_UNSUPPORTED, "unsupported feature"),
	E(GBA_ERR_VERSION, "unsupported version"),
	E(GBA_ERR_NO_SPACE, "output buffer too small"),
	E(GBA_ERR_BAD_UTF8, "text is not well-formed UTF-8"),
	E(GBA_ERR_CRYPTO, "crypto backend failure"),
	E(GBA_ERR_MAC, "MAC verification failed"),
	E(GBA_ERR_SYNC, "sequence number out of range (synchronisation failure)"),
	E(GBA_ERR_REPLAY, "replayed message"),
	E(GBA_ERR_EXPIRED, "key or security association expired"),
	E(GBA_ERR_AMF, "AMF not acceptable"),
	E(GBA_ERR_SQN_EXHAUSTED, "sequence numbers exhausted"),
	E(GBA_ERR_RANDOM, "random number generator failure"),
	E(GBA_ERR_NOT_FOUND, "not found"),
	E(GBA_ERR_EXISTS, "already exists"),
	E(GBA_ERR_FULL, "table full"),
	E(GBA_ERR_INCOMPLETE, "incomplete: more segments needed"),
	E(GBA_ERR_INCONSISTENT, "inconsistent segments"),
	E(GBA_ERR_DUPLICATE, "duplicate with different content"),
	E(GBA_ERR_NOT_AUTHORIZED, "not authorized"),
	E(GBA_ERR_STATE, "invalid state for this call"),
	E(GBA_ERR_UNKNOWN_SA, "unknown security association"),
	E(GBA_ERR_NOMEM, "out of memory"),
	E(GBA_ERR_IO, "I/O error"),
	E(GBA_ERR_DB, "database error"),
	E(GBA_ERR_CONFIG, "configuration error"),
	E(GBA_ERR_TIMEOUT, "timeout"),
	E(GBA_ERR_INTERNAL, "internal error"),
	E(GBA_ERR_RATE_LIMIT, "rate limit exceeded"),
	E(GBA_ERR_WDP_PORT, "datagram not addressed to the WAP Push port"),
	E(GBA_ERR_CONTENT_TYPE, "unexpected push content type"),
	E(GBA_ERR_APP_ID, "unexpected X-Wap-Application-Id"),
	E(GBA_ERR_SUITE_MISMATCH, "cipher suite differs from the security association's"),
	E(GBA_ERR_TLS, "TLS handshake or certificate verification failed"),
	E(GBA_ERR_HTTP, "unexpected HTTP response"),
	E(GBA_ERR_SA_UNBOUND,
	  "SA file was copied, moved or restored: a new GPI is required"),
};
#undef E

/* what a code the table does not hold reads as */
static const struct err_entry err_unknown = {0, "GBA_ERR_UNKNOWN",
					     "unknown error"};

static const struct err_entry *err_find(int err)
{
	size_t i;

	for (i = 0; i < GBA_ARRAY_SIZE(err_table); i++)
		if (err_table[i].code == err)
			return &err_table[i];
	return &err_unknown;
}

const char *gba_strerror(int err)
{
	return err_find(err)->text;
}

const char *gba_err_name(int err)
{
	return err_find(err)->name;
}
