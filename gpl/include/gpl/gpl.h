/*
 * gpl/gpl.h - Generic Push Layer: the NAF SA and one protected message.
 *
 * 3GPP TS 33.224 V17.x (GBA Push layer); NAF SA and its identifiers per
 * TS 33.223 clause 3.1 and TS 24.109 clause 4A.1 (RAND@naf identifies the
 * SA in the UE, the P-TID in the NAF); SN_c / SN_h per TS 33.224 clause 3.1.
 *
 * The body of TS 33.224 (message format, cipher suites, subkey derivation,
 * replay rules) was NOT available ([GAP], docs/spec-facts.md
 * section 12): the message layout, the cipher-suite table, the subkey
 * derivation, the replay window and the SA blob below are PROJECT CHOICES,
 * unconfirmed, documented in docs/wire-formats.md section "GPL" and kept in
 * one table-driven place each (gpl/src/msg.c, gpl/src/sa.c).
 *
 * Direction: this version protects NAF -> UE messages (the SA is named by
 * RAND@naf).  No heap, no stdio, no clock: the caller passes the time.
 * Every function that changes SA state commits it only after the whole
 * operation succeeded; on any error the SA is bit-for-bit unchanged.
 */
#ifndef GPL_GPL_H
#define GPL_GPL_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"
#include "gba/gpi.h"
#include "gba/kdf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- message layout P1 (project choice, unconfirmed) ----
 *   version(1) = 0xF1 | suite(1) | SA-id(8) = RAND[0..7] | SN(4, BE)
 *   | payload (plaintext or AES-128-CTR ciphertext) | MAC (suite's length)
 */
#define GPL_VERSION_P1 0xF1
#define GPL_SA_ID_LEN 8
#define GPL_HDR_LEN (1 + 1 + GPL_SA_ID_LEN + 4) /* 14 */
#define GPL_MAC_MAX 16
#define GPL_OVERHEAD_MAX (GPL_HDR_LEN + GPL_MAC_MAX) /* 30 */
#define GPL_PAYLOAD_MAX 2048 /* project limit (TOO_LARGE above it) */
#define GPL_MSG_MAX (GPL_PAYLOAD_MAX + GPL_OVERHEAD_MAX)
/* received SNs accepted below SN_h: SN_h - 31 .. SN_h (bitmap, one word) */
#define GPL_REPLAY_WINDOW 32

/* Cipher suites (identifier octet on the wire).  0x00 is never valid. */
enum gpl_suite {
	GPL_SUITE_AES128CTR_HMAC256_128 = 0x01, /* AES-128-CTR + HMAC-SHA-256/128 */
	GPL_SUITE_NULL_HMAC256_128 = 0x02,      /* no encryption, HMAC-SHA-256/128 */
};

/*
 * A NAF SA (NAF side and UE side use the same type).  The caller owns it;
 * fields are opaque by contract (set them with gpl_sa_init() or
 * gpl_sa_decode()).  It holds the NAF key: wipe with gpl_sa_clear().
 */
struct gpl_sa {
	uint8_t naf_key[GBA_KDF_OUT_LEN]; /* Ks_(ext)_NAF, 256-bit, SECRET */
	uint8_t naf_id[GBA_NAF_ID_MAX];   /* FQDN || Ua security protocol id */
	size_t naf_id_len;
	uint8_t rand[GBA_RAND_LEN];       /* RAND of the GPI: RAND@naf */
	uint8_t p_tid[GBA_PTID_MAX];      /* P-TID (NAF-side SA name) */
	size_t p_tid_len;
	uint64_t expiry;                  /* NAF key expiry, Unix seconds UTC */
	uint8_t suite;                    /* enum gpl_suite */
	uint32_t sn_c;                    /* last SN sent (0: none yet) */
	uint32_t sn_h;                    /* highest validated SN received */
	uint32_t replay;                  /* bit i set: SN_h - i was received */
};

/**
 * gpl_sa_init() - set up a fresh NAF SA (SN_c = SN_h = 0, empty window).
 * @sa:        [out] the SA; wiped first
 * @naf_key:   [in] NAF key, 32 octets (Ks_NAF or Ks_ext_NAF)
 * @naf_id:    [in] NAF_Id, 6..GBA_NAF_ID_MAX octets
 * @rand:      [in] RAND of the GPI, 16 octets
 * @p_tid:     [in] P-TID, 1..GBA_PTID_MAX octets
 * @expiry:    [in] key expiry, Unix seconds (the SA is valid while now < it)
 * @suite:     [in] enum gpl_suite
 * Return: GBA_OK, GBA_ERR_BAD_PARAM, GBA_ERR_TOO_LARGE, GBA_ERR_UNSUPPORTED
 * (unknown suite).  On error @sa is wiped.
 */
GBA_EXPORT int gpl_sa_init(struct gpl_sa *sa,
			   const uint8_t naf_key[GBA_KDF_OUT_LEN],
			   const uint8_t *naf_id, size_t naf_id_len,
			   const uint8_t rand[GBA_RAND_LEN],
			   const uint8_t *p_tid, size_t p_tid_len,
			   uint64_t expiry, uint8_t suite) GBA_WARN_UNUSED;

/** gpl_sa_clear() - wipe an SA (key included).  NULL-safe. */
GBA_EXPORT void gpl_sa_clear(struct gpl_sa *sa);

/* ---- SA persistence: fixed-size binary blob, version 1 ---- */
#define GPL_SA_BLOB_VERSION 0x01
#define GPL_SA_BLOB_LEN 397

/**
 * gpl_sa_encode() - serialise @sa into a GPL_SA_BLOB_LEN-octet blob.
 * THE BLOB CONTAINS THE NAF KEY: it is as secret as the key (store it in
 * secure storage, wipe copies with gba_cleanse()).
 * Return: GBA_OK, GBA_ERR_BAD_PARAM (NULL or an SA that gpl_sa_init() would
 * refuse), GBA_ERR_NO_SPACE (@cap < GPL_SA_BLOB_LEN).
 */
GBA_EXPORT int gpl_sa_encode(const struct gpl_sa *sa, uint8_t *out,
			     size_t cap) GBA_WARN_UNUSED;

/**
 * gpl_sa_decode() - restore an SA from a blob of exactly GPL_SA_BLOB_LEN
 * octets.
 * Return: GBA_OK, GBA_ERR_TRUNCATED, GBA_ERR_TRAILING, GBA_ERR_VERSION,
 * GBA_ERR_TOO_LARGE (a length field above its limit), GBA_ERR_MALFORMED
 * (zero length, non-zero padding, window inconsistent with SN_h),
 * GBA_ERR_UNSUPPORTED (unknown suite).  On error @sa is wiped.
 */
GBA_EXPORT int gpl_sa_decode(const uint8_t *buf, size_t len,
			     struct gpl_sa *sa) GBA_WARN_UNUSED;

/* ---- suites ---- */

/** gpl_suite_name() - "AES128CTR-HMAC256-128" etc., "unknown" otherwise. */
GBA_EXPORT const char *gpl_suite_name(int suite);

/**
 * gpl_protected_len() - octets of a protected message carrying
 * @payload_len octets under @suite; 0 for an unknown suite or a payload
 * above GPL_PAYLOAD_MAX.
 */
GBA_EXPORT size_t gpl_protected_len(int suite, size_t payload_len);

/* ---- messages ---- */

/* The clear header of a message, for SA lookup before unprotect. */
struct gpl_msg_hdr {
	uint8_t version;
	uint8_t suite;
	uint8_t sa_id[GPL_SA_ID_LEN]; /* RAND[0..7] of the SA */
	uint32_t sn;
	size_t payload_len;
};

/**
 * gpl_msg_peek() - parse the clear header (nothing is authenticated yet).
 * Return: GBA_OK, GBA_ERR_TRUNCATED, GBA_ERR_VERSION, GBA_ERR_UNSUPPORTED
 * (unknown suite), GBA_ERR_MALFORMED (SN 0), GBA_ERR_TOO_LARGE (payload
 * above GPL_PAYLOAD_MAX), GBA_ERR_BAD_PARAM.
 */
GBA_EXPORT int gpl_msg_peek(const uint8_t *msg, size_t len,
			    struct gpl_msg_hdr *hdr) GBA_WARN_UNUSED;

/**
 * gpl_sa_matches() - 1 if @hdr names @sa (SA-id = RAND[0..7]), else 0.
 */
GBA_EXPORT int gpl_sa_matches(const struct gpl_sa *sa,
			      const struct gpl_msg_hdr *hdr);

/**
 * gpl_protect() - NAF side: protect one message with the next SN.
 * @sa:       [in,out] SN_c advances by one, only on success
 * @now:      [in] current time, Unix seconds (no clock in the library)
 * @payload:  [in] @payload_len octets, 0..GPL_PAYLOAD_MAX; must not
 *            overlap @out
 * @out:      [out] @cap octets; *@out_len receives the message length
 *            (gpl_protected_len(sa->suite, payload_len))
 * Return: GBA_OK, GBA_ERR_BAD_PARAM, GBA_ERR_TOO_LARGE, GBA_ERR_EXPIRED
 * (now >= expiry), GBA_ERR_SQN_EXHAUSTED (SN_c = 2^32 - 1: the SA is used
 * up, a new GPI is needed), GBA_ERR_NO_SPACE, GBA_ERR_CRYPTO.
 */
GBA_EXPORT int gpl_protect(struct gpl_sa *sa, uint64_t now,
			   const uint8_t *payload, size_t payload_len,
			   uint8_t *out, size_t cap, size_t *out_len)
	GBA_WARN_UNUSED;

/**
 * gpl_unprotect() - UE side: check and open one message.
 * Checks, in order: format; SA-id (GBA_ERR_UNKNOWN_SA); suite equals the
 * SA's (GBA_ERR_SUITE_MISMATCH); expiry (GBA_ERR_EXPIRED); output space;
 * MAC in constant time (GBA_ERR_MAC); replay window (GBA_ERR_REPLAY); then
 * decrypts and only then updates SN_h and the window.
 * @sa:      [in,out] SN_h / window change only on GBA_OK
 * @now:     [in] current time, Unix seconds
 * @msg:     [in] the whole message (its length delimits the payload)
 * @out:     [out] payload, @cap octets; may equal @msg + GPL_HDR_LEN
 *           exactly, must not otherwise overlap @msg
 * Return: GBA_OK, the gpl_msg_peek() errors, the errors above,
 * GBA_ERR_NO_SPACE, GBA_ERR_BAD_PARAM, GBA_ERR_CRYPTO.  On error nothing
 * is left in @out and *@out_len is 0.
 */
GBA_EXPORT int gpl_unprotect(struct gpl_sa *sa, uint64_t now,
			     const uint8_t *msg, size_t len, uint8_t *out,
			     size_t cap, size_t *out_len) GBA_WARN_UNUSED;

#ifdef __cplusplus
}
#endif
#endif
