/*
 * gba/err.h - the one error space of gbapush (style.md C4).
 *
 * 0 is success, every failure is negative.  Codes are never renumbered; a
 * retired code becomes GBA_ERR_OBSOLETE_<n>.  Parsers keep TRUNCATED,
 * MALFORMED and TOO_LARGE apart and tests assert the exact code.
 * gpl/ and ue-agent/ use this same enum (docs/internals/ERRORS.md).
 */
#ifndef GBA_ERR_H
#define GBA_ERR_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define GBA_WARN_UNUSED __attribute__((warn_unused_result))
#define GBA_EXPORT __attribute__((visibility("default")))
#else
#define GBA_WARN_UNUSED
#define GBA_EXPORT
#endif

#define GBA_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum gba_err {
	GBA_OK = 0,
	/* input shape */
	GBA_ERR_TRUNCATED = -1,   /* input ends before a field is complete */
	GBA_ERR_MALFORMED = -2,   /* a field has a value the format forbids */
	GBA_ERR_TOO_LARGE = -3,   /* a length exceeds a named limit */
	GBA_ERR_BAD_PARAM = -4,   /* caller error: NULL, wrong length ... */
	GBA_ERR_BAD_HEX = -5,     /* not an even string of hex digits */
	GBA_ERR_BAD_LENGTH = -6,  /* value of the wrong exact length */
	GBA_ERR_TRAILING = -7,    /* bytes left after a complete object */
	GBA_ERR_UNSUPPORTED = -8, /* valid, but a feature we do not do */
	GBA_ERR_VERSION = -9,     /* unknown version octet */
	GBA_ERR_NO_SPACE = -10,   /* output buffer too small */
	GBA_ERR_BAD_UTF8 = -11,   /* text not well-formed UTF-8 (RFC 3629) */
	/* crypto and authentication */
	GBA_ERR_CRYPTO = -20,     /* the crypto backend failed */
	GBA_ERR_MAC = -21,        /* a MAC / AUTN / tag did not verify */
	GBA_ERR_SYNC = -22,       /* SQN out of range: resynchronise (AUTS) */
	GBA_ERR_REPLAY = -23,     /* SQN, SN or message seen before */
	GBA_ERR_EXPIRED = -24,    /* key or SA lifetime passed */
	GBA_ERR_AMF = -25,        /* AMF separation bit wrong */
	GBA_ERR_SQN_EXHAUSTED = -26, /* no more sequence numbers */
	GBA_ERR_RANDOM = -27,     /* no randomness available */
	/* state and lookup */
	GBA_ERR_NOT_FOUND = -40,  /* no such subscriber, SA, NAF ... */
	GBA_ERR_EXISTS = -41,     /* already present */
	GBA_ERR_FULL = -42,       /* fixed-size table full */
	GBA_ERR_INCOMPLETE = -43, /* more segments are needed */
	GBA_ERR_INCONSISTENT = -44, /* segments disagree (count, size) */
	GBA_ERR_DUPLICATE = -45,  /* duplicate with different content */
	GBA_ERR_NOT_AUTHORIZED = -46, /* peer not allowed to do this */
	GBA_ERR_STATE = -47,      /* call not valid in this state */
	GBA_ERR_UNKNOWN_SA = -48, /* no SA matches the identifier */
	/* environment */
	GBA_ERR_NOMEM = -60,
	GBA_ERR_IO = -61,
	GBA_ERR_DB = -62,
	GBA_ERR_CONFIG = -63,
	GBA_ERR_TIMEOUT = -64,
	GBA_ERR_INTERNAL = -65,
	GBA_ERR_RATE_LIMIT = -66,
	/* SMS / WAP Push (reserved range -110..-119) */
	GBA_ERR_WDP_PORT = -110,     /* datagram not for the WAP Push port */
	GBA_ERR_CONTENT_TYPE = -111, /* push content type not the expected */
	GBA_ERR_APP_ID = -112,       /* X-Wap-Application-Id not the expected */
	/* GPI / GPL (reserved range -120..-129) */
	GBA_ERR_SUITE_MISMATCH = -120, /* GPL suite differs from the SA's */
	/* SCS client (scs/), reserved range -170..-179 */
	GBA_ERR_TLS = -170,       /* TLS handshake or certificate check failed */
	GBA_ERR_HTTP = -171,      /* unexpected HTTP status or redirect */
	GBA_ERR_SA_UNBOUND = -172, /* SA file copied/restored: new GPI needed */
};

/**
 * gba_strerror() - text for an error code.
 * @err: [in] a value of enum gba_err (or any int).
 * Return: a static string; never NULL ("unknown error" for foreign values).
 */
GBA_EXPORT const char *gba_strerror(int err);

/**
 * gba_err_name() - the symbolic name ("GBA_ERR_MAC") of a code, for JSON
 * output and test messages.  Never NULL.
 */
GBA_EXPORT const char *gba_err_name(int err);

#ifdef __cplusplus
}
#endif
#endif
