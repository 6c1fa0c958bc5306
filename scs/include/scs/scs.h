/*
 * scs/scs.h - the SCS (Push-NAF) client library: GPI retrieval from the BSF
 * and the NAF SA the SCS keeps afterwards.
 *
 * Specifications:
 * - 3GPP TS 29.309 V17.x (Nbsp_GBA), clause 6.2 "Nbsp_GBA_PushInfoRetrieval":
 *   POST {apiRoot}/nbsp-gba/v1/push-info-retrieval with PushInfoRequest,
 *   200 with PushInfoResponse, errors as ProblemDetails (TS 29.571 5.2.4.1,
 *   application/problem+json).  Field names and formats follow the OpenAPI
 *   file TS29309_Nbsp_GBA.yaml (docs/spec-facts.md sections 3, 4).
 * - 3GPP TS 33.223 V17.x clause 4 (Push-NAF procedure, NAF SA) and
 *   TS 24.109 Annex A1.3 steps 1, 2, 7, 8, 9: the NAF generates the P-TID,
 *   requests the GPI, stores the NAF SA and delivers the GPI to the UE.
 * - TS 33.224 (GPL): the NAF SA becomes a GPL SA that protects later pushes
 *   (device triggers).  The GPL layout is a project choice; see gpl/gpl.h.
 *
 * Secrets: struct scs_gpi_resp and struct scs_sa hold NAF keys
 * (Ks_(ext)_NAF, Ks_int_NAF).  Wipe them with scs_gpi_resp_clear() and
 * scs_sa_clear().  The SA file written by scs_sa_save() contains the NAF
 * key in clear: it is created with mode 0600 and must be protected like a
 * private key (docs/scs.md).
 *
 * Memory: no function here returns heap memory to the caller.  Outputs go
 * into caller-owned structs and buffers; the only library-global state is
 * libcurl's, set up by scs_global_init().
 */
#ifndef SCS_SCS_H
#define SCS_SCS_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"
#include "gba/gpi.h"
#include "gba/kdf.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SCS_KEY_LEN 32	    /* meKeyMaterial / uiccKeyMaterial octets */
#define SCS_AUTS_LEN 14	    /* TS 33.102 6.3.3: AUTS = SQN_MS^AK* || MAC-S */
#define SCS_UE_ID_MAX 255   /* ueId characters (IMPI or IMPU) */
#define SCS_GBA_TYPE_MAX 15 /* "3G_GBA", "2G_GBA", "GBA_DIGEST", ... */
#define SCS_JSON_MAX 4096   /* encoded PushInfoRequest, octets */
#define SCS_RESP_MAX 65536  /* BSF response body cap, octets */
#define SCS_MSG_MAX 256	    /* scs_error.msg, characters incl. NUL */
#define SCS_URL_MAX 1024    /* BSF apiRoot or full URL */
#define SCS_USS_MAX 32	    /* ussList items kept (more: GBA_ERR_TOO_LARGE) */
#define SCS_USS_UEIDS_MAX 4 /* Uss.ueIds kept per USS (n_ue_ids counts all) */
#define SCS_USS_FLAGS_MAX 16 /* Uss.flags per USS (more: GBA_ERR_TOO_LARGE) */
#define SCS_NAF_GROUP_MAX 64 /* Uss.nafGroup characters */
#define SCS_PATH_PUSH_INFO "/nbsp-gba/v1/push-info-retrieval"
/* TS 33.220 Annex H.3: Ua security protocol id of the Generic Push Layer. */
/* clang-format off */
#define SCS_UA_ID_GPL { 0x01, 0x00, 0x00, 0x00, 0x05 }
/* clang-format on */

/* PushInfoRequest.ueIdType (TS 29.309 UeIdType). */
enum scs_ue_id_type {
	SCS_UE_ID_PUBLIC = 0,  /* "PUBLIC": an IMPU (sip: or tel: URI) */
	SCS_UE_ID_PRIVATE = 1, /* "PRIVATE": an IMPI */
};

/**
 * struct scs_gpi_req - one PushInfoRequest (TS 29.309).  Borrowed strings;
 * the caller keeps them alive for the duration of the call.
 * @ue_id:            ueId, 1..SCS_UE_ID_MAX characters (not logged)
 * @ue_id_type:       ueIdType
 * @uicc_app_label:   uiccAppLabel, 0..GBA_APP_LABEL_MAX characters ("" is
 *                    sent as "" and means the default USIM application)
 * @gba_u:            uiccOrMe: 0 "GBA_ME", 1 "GBA_U"
 * @naf_fqdn:         nafId.nafFqdn, ASCII, 1..GBA_FQDN_MAX; sent lower-cased
 *                    (scs_naf_fqdn_canon()), as the BSF uses it in the KDF
 * @ua_id:            nafId.uaSecProtId, 5 octets (SCS_UA_ID_GPL for GPL)
 * @p_tid:            ptId, chosen by the NAF, 1..GBA_PTID_MAX characters
 * @requested_expiry: requestedLifeTime, absolute, Unix seconds UTC
 * @private_id_request: privateIdRequest (sent only when 1)
 * @gba_u_aware:      gbaUAware (sent only when 1)
 * @resync:           1: send @auts and @rand (resynchronisation)
 * @auts:             AUTS, 14 octets, from the UE
 * @rand:             RAND of the GPI that failed at the UE, 16 octets
 */
struct scs_gpi_req {
	const char *ue_id;
	enum scs_ue_id_type ue_id_type;
	const char *uicc_app_label;
	int gba_u;
	const char *naf_fqdn;
	uint8_t ua_id[GBA_UA_ID_LEN];
	const char *p_tid;
	uint64_t requested_expiry;
	int private_id_request;
	int gba_u_aware;
	int resync;
	uint8_t auts[SCS_AUTS_LEN];
	uint8_t rand[GBA_RAND_LEN];
};

/* Uss.keyChoice (TS 29.309 KeyChoice); OTHER: a value this client does
 * not know (the OpenAPI enum is extensible). */
enum scs_key_choice {
	SCS_KEY_CHOICE_NONE = 0, /* absent */
	SCS_KEY_CHOICE_ME_BASED_KEY,
	SCS_KEY_CHOICE_UICC_BASED_KEY,
	SCS_KEY_CHOICE_ME_UICC_BASED_KEYS,
	SCS_KEY_CHOICE_OTHER,
};

/**
 * struct scs_uss - one Uss of PushInfoResponse.ussList (TS 29.309: the
 * array of UssListItem {"uss": Uss}).
 * @gs_id, @gs_type: gsId, gsType (Uint32, required)
 * @n_ue_ids:  number of ueIds items (>= 1); the first SCS_USS_UEIDS_MAX
 *             are in @ue_ids
 * @naf_group: nafGroup ("" when absent)
 * @flags:     flags[].flag, @n_flags of them (0 when absent)
 * @key_choice: keyChoice
 */
struct scs_uss {
	uint32_t gs_id;
	uint32_t gs_type;
	size_t n_ue_ids;
	char ue_ids[SCS_USS_UEIDS_MAX][SCS_UE_ID_MAX + 1];
	char naf_group[SCS_NAF_GROUP_MAX + 1];
	size_t n_flags;
	uint32_t flags[SCS_USS_FLAGS_MAX];
	enum scs_key_choice key_choice;
};

/**
 * struct scs_gpi_resp - a decoded PushInfoResponse.  Holds secrets: wipe
 * with scs_gpi_resp_clear().  has_* flags say which optional fields came.
 * @gpi:           gbaPushInfo octets (opaque here, see gba/gpi.h)
 * @me_key:        meKeyMaterial: Ks_NAF (GBA_ME) or Ks_ext_NAF (GBA_U)
 * @uicc_key:      uiccKeyMaterial: Ks_int_NAF (GBA_U, GBA_U-aware NAF only)
 * @key_expiry:    keyExpiryTime, Unix seconds UTC
 * @creation_time: bootstrappingInfoCreationTime, Unix seconds UTC
 * @gba_type:      gbaType text ("" when absent)
 * @impi:          impi text ("" when absent; only if requested and allowed)
 * @n_uss, @uss:   ussList (0 when absent; the BSF sends it only for gsIds
 *                 and only with at least one item)
 */
struct scs_gpi_resp {
	uint8_t gpi[GBA_GPI_MAX];
	size_t gpi_len;
	uint8_t me_key[SCS_KEY_LEN];
	int has_uicc_key;
	uint8_t uicc_key[SCS_KEY_LEN];
	int has_key_expiry;
	uint64_t key_expiry;
	int has_creation_time;
	uint64_t creation_time;
	char gba_type[SCS_GBA_TYPE_MAX + 1];
	char impi[GBA_IMPI_MAX + 1];
	size_t n_uss;
	struct scs_uss uss[SCS_USS_MAX];
};

/**
 * struct scs_error - why a BSF exchange failed, for one-line messages.
 * @http_status: HTTP status, 0 when no response was received
 * @cause:       ProblemDetails.cause ("" when absent), sanitised ASCII
 * @msg:         one line of text, never containing keys or the UE id
 */
struct scs_error {
	long http_status;
	char cause[64];
	char msg[SCS_MSG_MAX];
};

/**
 * struct scs_bsf - how to reach the BSF (mutual TLS).  Borrowed strings.
 * @url:        apiRoot ("https://bsf.example:8443"); the path
 *              SCS_PATH_PUSH_INFO is appended unless @url already ends in
 *              "/push-info-retrieval".  https only.
 * @cert, @key: the SCS's client certificate and private key (PEM files)
 * @ca:         CA bundle (PEM) that must have issued the BSF's certificate
 * @timeout_ms: whole-exchange timeout; 0 means 10000
 * @retries:    how many times a request the BSF answered 503 or 429 with a
 *              Retry-After of at most SCS_RETRY_AFTER_MAX seconds is sent
 *              again, after that wait (0: never).  Safe: the BSF issues no
 *              AV (no SQN) for a request it answers 503 or 429.
 */
struct scs_bsf {
	const char *url;
	const char *cert;
	const char *key;
	const char *ca;
	long timeout_ms;
	unsigned retries;
};

/* the longest Retry-After (seconds) the client waits out by itself */
#define SCS_RETRY_AFTER_MAX 30

/** scs_global_init() - once per process, before any thread uses the
 * library (initialises libcurl).  Return: GBA_OK or GBA_ERR_INTERNAL. */
GBA_EXPORT int scs_global_init(void) GBA_WARN_UNUSED;
/** scs_global_cleanup() - release libcurl's global state. */
GBA_EXPORT void scs_global_cleanup(void);

/**
 * scs_req_check() - validate a request before it is sent (lengths, ASCII
 * FQDN, P-TID length, resync fields).
 * Return: GBA_OK, GBA_ERR_BAD_PARAM, GBA_ERR_TOO_LARGE, GBA_ERR_UNSUPPORTED.
 */
GBA_EXPORT int scs_req_check(const struct scs_gpi_req *req) GBA_WARN_UNUSED;

/**
 * scs_req_json() - encode a PushInfoRequest as compact JSON.
 * @req: [in] the request (checked with scs_req_check())
 * @out: [out] buffer of @cap octets; receives JSON plus a NUL
 * @out_len: [out] JSON length without the NUL (0 on failure)
 * Return: GBA_OK, scs_req_check() errors, GBA_ERR_NO_SPACE, GBA_ERR_NOMEM.
 * The JSON contains AUTS/RAND on resync but never key material.
 */
GBA_EXPORT int scs_req_json(const struct scs_gpi_req *req, char *out,
			    size_t cap, size_t *out_len) GBA_WARN_UNUSED;

/**
 * scs_resp_parse() - decode a PushInfoResponse body (HTTP 200).
 * @body, @len: [in] the JSON text, at most SCS_RESP_MAX octets
 * @resp: [out] cleared first; wiped again on failure
 * @err:  [out] optional (may be NULL): names the offending member
 * Return: GBA_OK; GBA_ERR_TOO_LARGE (body or a member over its limit);
 * GBA_ERR_MALFORMED (not JSON, a required member missing or mistyped);
 * GBA_ERR_BAD_HEX / GBA_ERR_BAD_LENGTH (key material or GPI not the hex
 * the schema requires).  Unknown members are ignored (OpenAPI extension).
 * ussList (TS 29.309 array of UssListItem) is parsed into @resp->uss: an
 * empty array, an item without uss, a gsId / gsType / flag that is not a
 * Uint32 or a Uss without ueIds is GBA_ERR_MALFORMED; more than
 * SCS_USS_MAX items or SCS_USS_FLAGS_MAX flags is GBA_ERR_TOO_LARGE.
 */
GBA_EXPORT int scs_resp_parse(const char *body, size_t len,
			      struct scs_gpi_resp *resp,
			      struct scs_error *err) GBA_WARN_UNUSED;

/**
 * scs_problem_map() - turn a non-2xx answer into a gba_err and a message.
 * @status: [in] HTTP status
 * @body, @len: [in] body, ideally application/problem+json (ProblemDetails
 *        {type, title, status, detail, instance, cause, invalidParams});
 *        anything else is tolerated
 * @err:  [out] filled with the status, cause and a one-line message
 * Return: the mapped error (table in docs/scs.md, never GBA_OK).
 */
GBA_EXPORT int scs_problem_map(long status, const char *body, size_t len,
			       struct scs_error *err);

/**
 * scs_bsf_push_info() - run Nbsp_GBA_PushInfoRetrieval against the BSF.
 * @bsf:  [in] BSF address and TLS material
 * @req:  [in] the request
 * @resp: [out] the decoded response (wipe with scs_gpi_resp_clear())
 * @err:  [out] optional: a one-line reason on failure
 * Return: GBA_OK; request errors (scs_req_check()); GBA_ERR_TLS (handshake
 * or certificate failure, either side); GBA_ERR_IO (cannot connect);
 * GBA_ERR_TIMEOUT; GBA_ERR_HTTP (unexpected status, redirect);
 * scs_problem_map() codes for 4xx/5xx; scs_resp_parse() codes.
 */
GBA_EXPORT int scs_bsf_push_info(const struct scs_bsf *bsf,
				 const struct scs_gpi_req *req,
				 struct scs_gpi_resp *resp,
				 struct scs_error *err) GBA_WARN_UNUSED;

/** scs_gpi_resp_clear() - wipe a response (keys included); NULL-safe. */
GBA_EXPORT void scs_gpi_resp_clear(struct scs_gpi_resp *resp);

/* ---- TS 29.571 DateTime (RFC 3339) ---- */

/**
 * scs_time_format() - Unix seconds to "YYYY-MM-DDThh:mm:ssZ".
 * @out: [out] at least 21 characters.  Return: GBA_OK, GBA_ERR_NO_SPACE,
 * GBA_ERR_BAD_PARAM (year outside 1970..9999).
 */
GBA_EXPORT int scs_time_format(uint64_t t, char *out,
			       size_t cap) GBA_WARN_UNUSED;

/**
 * scs_time_parse() - RFC 3339 date-time (fraction and offset allowed,
 * "Z"/"z" or +hh:mm/-hh:mm) to Unix seconds UTC, fraction dropped; a
 * leap second 60 is read as 59 of the same minute.
 * Return: GBA_OK or GBA_ERR_MALFORMED (anything else, incl. times before
 * 1970 and texts over 64 octets).
 */
GBA_EXPORT int scs_time_parse(const char *s, uint64_t *t) GBA_WARN_UNUSED;

/* ---- the NAF SA the SCS keeps (TS 33.223 4.x, TS 24.109 A1.3 step 8) ---- */

#define SCS_SA_FILE_MAX 4096 /* an SA file never exceeds this */
#define SCS_GPL_SA_MAX 1024  /* gpl's serialised SA, octets */

/**
 * struct scs_sa - everything the SCS keeps about one NAF SA, as stored in
 * the SA file.  SECRET (naf_key, uicc_key, the GPL SA): wipe with
 * scs_sa_clear().  Fields are filled by scs_sa_from_gpi() and the file
 * codec; callers treat them as read-only.
 * @ue_id ... @lifetime_s: the request parameters, kept so that a resync
 *             can repeat the request (scs_sa_request())
 * @rand:       RAND from the GPI (gba_gpi_decode()); with NAF_Id the UE's
 *              SA handle RAND@naf
 * @naf_id:     NAF_Id = FQDN || Ua security protocol id, from the GPI
 * @key_expiry: NAF key expiry, Unix seconds UTC (the earlier of
 *              keyExpiryTime and the GPI's lifetime)
 * @naf_key:    meKeyMaterial: Ks_NAF (GBA_ME) or Ks_ext_NAF (GBA_U), the
 *              GPL SA key
 * @uicc_key:   uiccKeyMaterial, Ks_int_NAF (GBA_U-aware requests only)
 * @gpi:        the GPI as received, for delivery (gba-scs push)
 * @session_id: GPI envelope session identifier (TS 24.109 J.2.2), random
 *              per GPI
 * @created:    when the SA was made, Unix seconds UTC
 * @gpl_sa:     the GPL SA (TS 33.224) serialised by gpl, holding SN_c
 * @gen:        the SA file's generation: the per-path use counter of the
 *              host that wrote it (set by scs_sa_save(), read by the
 *              decoder; docs/scs.md "Copied or restored SA files")
 * @bound:      1 when this SA may protect triggers: made by
 *              scs_sa_from_gpi(), or loaded by scs_sa_load() from the file
 *              this host last wrote at that path.  Not stored in the file.
 */
struct scs_sa {
	char ue_id[SCS_UE_ID_MAX + 1];
	uint8_t ue_id_type;
	char app_label[GBA_APP_LABEL_MAX + 1];
	uint8_t gba_u;
	uint8_t gba_u_aware;
	char naf_fqdn[GBA_FQDN_MAX + 1];
	uint8_t ua_id[GBA_UA_ID_LEN];
	char p_tid[GBA_PTID_MAX + 1];
	uint32_t lifetime_s;
	uint8_t rand[GBA_RAND_LEN];
	uint8_t naf_id[GBA_NAF_ID_MAX];
	size_t naf_id_len;
	uint64_t key_expiry;
	uint8_t naf_key[SCS_KEY_LEN];
	uint8_t has_uicc_key;
	uint8_t uicc_key[SCS_KEY_LEN];
	uint8_t gpi[GBA_GPI_MAX];
	size_t gpi_len;
	uint16_t session_id;
	uint64_t created;
	uint8_t gpl_sa[SCS_GPL_SA_MAX];
	size_t gpl_sa_len;
	uint64_t gen;
	uint8_t bound;
};

/*
 * ---- binding of SA files to this host and their location ----
 *
 * A GPL SA must never send two messages under one SN (the CTR keystream
 * would repeat).  An SA file restored from a backup, or copied to another
 * path or another SCS, carries an old SN_c.  So every SA file is bound to
 * (a) a per-host secret, (b) the file's identity (st_dev, st_ino, and its
 * canonical path) and (c) a per-path generation counter kept in the state
 * directory, written and fsynced BEFORE the SA file each time it is saved
 * (i.e. before every trigger is sent).  A file whose binding MAC or
 * generation does not match loads with @bound = 0: it cannot protect a
 * trigger (GBA_ERR_SA_UNBOUND) until a new GPI replaces it.  Rule and
 * limits: docs/scs.md.  PROJECT CHOICE (no specification covers it).
 */
#define SCS_HOST_SECRET_LEN 32
#define SCS_STATE_DIR_MAX 1024

/**
 * struct scs_host - the per-host binding state.  SECRET (@secret): wipe
 * with scs_host_clear().
 * @dir:    the state directory (host secret "host.key", one generation
 *          marker "sa-<hash of the SA file's canonical path>.gen" per SA
 *          file path)
 * @secret: the per-host secret, 32 random octets
 */
struct scs_host {
	char dir[SCS_STATE_DIR_MAX];
	uint8_t secret[SCS_HOST_SECRET_LEN];
};

/**
 * scs_host_open() - open the state directory @dir (created mode 0700 if
 * it does not exist; its parent must exist) and read the host secret,
 * creating it (32 random octets, mode 0600) on first use.
 * Return: GBA_OK; GBA_ERR_BAD_PARAM (@dir empty or too long); GBA_ERR_IO;
 * GBA_ERR_CONFIG (host.key accessible to group/others, or @dir not a
 * directory); GBA_ERR_MALFORMED (host.key not 32 octets); GBA_ERR_RANDOM.
 */
GBA_EXPORT int scs_host_open(const char *dir,
			     struct scs_host *h) GBA_WARN_UNUSED;
/** scs_host_clear() - wipe; NULL-safe. */
GBA_EXPORT void scs_host_clear(struct scs_host *h);

/**
 * scs_sa_from_gpi() - build the NAF SA from a request and its response:
 * decodes the GPI (gba_gpi_decode()) for RAND, NAF_Id, mode and lifetime,
 * checks that the GPI answers this request (same NAF_Id, same GBA_ME /
 * GBA_U choice), and creates the GPL SA (NAF key = meKeyMaterial, NAF_Id,
 * RAND, P-TID, expiry, SN_c = 0).
 * @req: [in] the request that was sent; @lifetime_s the lifetime it asked
 * @resp: [in] the BSF's answer
 * @now: [in] Unix seconds UTC (an already expired key is refused)
 * @sa: [out] cleared first; wiped on failure
 * Return: GBA_OK; gba_gpi_decode() errors; GBA_ERR_INCONSISTENT (the GPI
 * names another NAF_Id or mode); GBA_ERR_EXPIRED; GBA_ERR_RANDOM;
 * gpl errors.
 */
GBA_EXPORT int scs_sa_from_gpi(const struct scs_gpi_req *req,
			       uint32_t lifetime_s,
			       const struct scs_gpi_resp *resp, uint64_t now,
			       struct scs_sa *sa) GBA_WARN_UNUSED;

/**
 * scs_sa_request() - the request that repeats @sa's (same UE, NAF, mode,
 * a fresh P-TID is NOT chosen here: @p_tid is borrowed from @sa), expiring
 * @now + lifetime.  For resync set req->resync, auts and rand afterwards.
 * The strings point into @sa: keep @sa alive while @req is used.
 */
GBA_EXPORT void scs_sa_request(const struct scs_sa *sa, uint64_t now,
			       struct scs_gpi_req *req);

/**
 * scs_sa_encode() / scs_sa_decode() - the SA file format (docs/scs.md):
 * "SCSA", version 2, then TLVs (tag 1 octet, length 2 octets big-endian).
 * Decode rejects unknown tags below 0x80, duplicates and missing
 * mandatory elements; @sa is wiped on failure.  Encode writes no binding
 * (scs_sa_save() appends it); decode never sets @sa->bound.
 * Return: GBA_OK, GBA_ERR_NO_SPACE (encode), GBA_ERR_TRUNCATED,
 * GBA_ERR_MALFORMED, GBA_ERR_VERSION, GBA_ERR_TOO_LARGE, GBA_ERR_TRAILING.
 */
GBA_EXPORT int scs_sa_encode(const struct scs_sa *sa, uint8_t *out, size_t cap,
			     size_t *out_len) GBA_WARN_UNUSED;
GBA_EXPORT int scs_sa_decode(const uint8_t *buf, size_t len,
			     struct scs_sa *sa) GBA_WARN_UNUSED;

/**
 * scs_sa_save() - write @sa to @path, bound to @host: first the path's
 * generation marker in @host->dir is advanced (gen = marker + 1) and
 * fsynced, then the SA file (with gen and the binding MAC) is written
 * atomically: a temporary file (mode 0600) in the same directory, fsync,
 * rename over @path, fsync of the directory.  Call it under
 * scs_sa_lock().
 * Return: GBA_OK; GBA_ERR_SA_UNBOUND (@sa->bound is 0: a copied or
 * restored SA is never re-bound, a new GPI is needed); GBA_ERR_IO;
 * GBA_ERR_NO_SPACE; GBA_ERR_BAD_PARAM; GBA_ERR_CRYPTO.
 */
GBA_EXPORT int scs_sa_save(const char *path, const struct scs_host *host,
			   const struct scs_sa *sa) GBA_WARN_UNUSED;

/**
 * scs_sa_load() - read and decode an SA file and check its binding.
 * Refuses a file that group or others may read or write (GBA_ERR_CONFIG),
 * like ssh with its keys.  @sa->bound is 1 only if the binding MAC (host
 * secret, st_dev, st_ino, canonical path, gen, content) verifies and gen
 * equals the path's marker in @host->dir; otherwise the SA is returned
 * with @sa->bound = 0 (inspect it, repeat its request; no trigger).
 * @host: NULL loads without checking (@sa->bound = 0).
 * Return: GBA_OK, GBA_ERR_NOT_FOUND (no such file), GBA_ERR_IO,
 * GBA_ERR_CONFIG, GBA_ERR_TOO_LARGE, scs_sa_decode() errors,
 * GBA_ERR_CRYPTO.
 */
GBA_EXPORT int scs_sa_load(const char *path, const struct scs_host *host,
			   struct scs_sa *sa) GBA_WARN_UNUSED;

/**
 * scs_sa_lock() - take an exclusive lock for a read-modify-write of the SA
 * file at @path (a "<path>.lock" file, flock); blocks.
 * @fd: [out] pass to scs_sa_unlock().  Return: GBA_OK or GBA_ERR_IO.
 */
GBA_EXPORT int scs_sa_lock(const char *path, int *fd) GBA_WARN_UNUSED;
GBA_EXPORT void scs_sa_unlock(int fd);

/**
 * scs_sa_protect() - protect one push payload (a device trigger) under the
 * SA's GPL SA (TS 33.224; gpl_protect()): SN = SN_c + 1.  SN_c in @sa
 * advances only on success; the caller then saves @sa (scs_sa_save(),
 * under scs_sa_lock()) BEFORE sending the message, so that a crash can
 * skip an SN but never reuse one.
 * @now: [in] Unix seconds UTC
 * @out: [out] the GPL message, @cap octets (GPL_MSG_MAX is always enough)
 * Return: GBA_OK; GBA_ERR_SA_UNBOUND (@sa->bound is 0: the SA file was
 * copied, moved or restored; request a new GPI); GBA_ERR_UNSUPPORTED (the
 * SA's Ua security protocol id is not GPL's, SCS_UA_ID_GPL: its Ks_NAF is
 * another protocol's key, TS 33.220 clause 4.5.2; nothing protected);
 * GBA_ERR_STATE (no GPL SA); GBA_ERR_INCONSISTENT (the GPL SA does not
 * belong to this NAF SA);
 * gpl_protect() errors, notably GBA_ERR_EXPIRED and
 * GBA_ERR_SQN_EXHAUSTED.
 */
GBA_EXPORT int scs_sa_protect(struct scs_sa *sa, uint64_t now,
			      const uint8_t *payload, size_t payload_len,
			      uint8_t *out, size_t cap,
			      size_t *out_len) GBA_WARN_UNUSED;

/** scs_sa_sn_c() - the SA's SN_c (last SN sent, 0: none yet).
 * Return: GBA_OK, GBA_ERR_STATE, gpl_sa_decode() errors. */
GBA_EXPORT int scs_sa_sn_c(const struct scs_sa *sa,
			   uint32_t *sn_c) GBA_WARN_UNUSED;

/** scs_sa_clear() - wipe an SA (keys included); NULL-safe. */
GBA_EXPORT void scs_sa_clear(struct scs_sa *sa);

/* ---- delivery as SMS (TS 23.040; TS 24.109 Annex J; TS 23.682 5.2) ---- */

#define SCS_PDUS_MAX 16 /* SMS segments per message (project cap) */
#define SCS_WAP_PUSH_PORT                                                      \
	2948 /* WDP destination port, WSP connectionless push */
#define SCS_WSP_SRC_PORT 9200 /* WDP source port, connectionless WSP */
#define SCS_OA_DEFAULT                                                         \
	"GBASCS" /* TP-OA of printed SMS-DELIVERs (project choice) */

/**
 * struct scs_sms_opts - how the SMS TPDUs are built.
 * @submit: 0: SMS-DELIVER, as the UE receives it (TP-OA = @oa, TP-SCTS =
 *          @now); 1: SMS-SUBMIT towards an SMS centre (TP-DA = @msisdn,
 *          TP-MR from @mr, no validity period)
 * @msisdn: the UE's number, "+<digits>" or national digits; required for
 *          SMS-SUBMIT
 * @oa:     TP-OA of an SMS-DELIVER: "+<digits>", digits, or alphanumeric
 *          text (GSM 7-bit, up to 11 characters); NULL: SCS_OA_DEFAULT
 * @now:    Unix seconds UTC, for TP-SCTS (written as UTC, zone 0)
 * @mr:     TP-MR of the first SUBMIT segment (then +1 per segment)
 * @ref:    concatenation reference (8-bit IE: low octet used)
 */
struct scs_sms_opts {
	int submit;
	const char *msisdn;
	const char *oa;
	uint64_t now;
	uint8_t mr;
	uint16_t ref;
};

/** struct scs_pdus - TPDUs produced, in sending order. */
struct scs_pdus {
	size_t n;
	size_t len[SCS_PDUS_MAX];
	uint8_t pdu[SCS_PDUS_MAX][164]; /* GBA_SMS_TPDU_MAX */
};

/**
 * scs_push_pdus() - the GPI push for the UE (TS 24.109 J.2.2): GPI envelope
 * {version 1, @sa's session id, @sa's GPI} in a WSP connectionless Push
 * PDU (Content-Type and X-WAP-Application-ID per @cfg), sent as 8-bit SMS
 * to WDP port 2948 from 9200, concatenated when it does not fit one SMS.
 * @cfg: struct gba_gpi_push_cfg (gba/gpi_push.h): content-type code and
 *       application id; neither has a spec default (docs/scs.md)
 * Return: GBA_OK; GBA_ERR_BAD_PARAM (address); GBA_ERR_TOO_LARGE (more
 * than SCS_PDUS_MAX segments); codec errors.
 */
struct gba_gpi_push_cfg;
GBA_EXPORT int scs_push_pdus(const struct scs_sa *sa,
			     const struct gba_gpi_push_cfg *cfg,
			     const struct scs_sms_opts *o,
			     struct scs_pdus *out) GBA_WARN_UNUSED;

/**
 * scs_port_pdus() - any binary payload (a GPL-protected device trigger)
 * as 8-bit SMS with a 16-bit application port IE (destination @port,
 * source @port: the TS 23.682 Application Port ID), concatenated when
 * needed.  TP-PID 0 (the device-triggering TP-PID value is unconfirmed).
 * Return: as scs_push_pdus().
 */
GBA_EXPORT int scs_port_pdus(const uint8_t *payload, size_t len, uint16_t port,
			     const struct scs_sms_opts *o,
			     struct scs_pdus *out) GBA_WARN_UNUSED;

#ifdef __cplusplus
}
#endif
#endif
