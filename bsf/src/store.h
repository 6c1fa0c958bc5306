/*
 * store.h - the BSF subscriber store (bsf-internal API).
 *
 * One SQLite database (WAL mode, versioned schema, migrations run on open)
 * holding what the embedded HSS of gba-bsf knows:
 *   - subscribers: IMPI, IMSI, IMPUs (sip:/sips:/tel: URIs), AKA algorithm
 *     (Milenage TS 35.206 or TUAK TS 35.231) with K and OPc / TOPc, AMF,
 *     the SQN state (see hss.h), GBA_U capability, UICC application labels
 *     and the GUSS of TS 29.109 (XML, parsed on write, see guss.h);
 *   - Push-NAFs (TS 33.223 clause 3.1 "A NAF authorized for using GBA-Push"):
 *     the TLS certificate identity, the NAF_Ids (FQDN + 5-octet Ua security
 *     protocol id, TS 33.220 Annex H) it may use, flags and a rate limit;
 *   - associations: which Push-NAF may push to which subscriber (the
 *     SCS - device association of TS 33.187).
 * Schema, migrations, identity rules and the CSV format: docs/hss-store.md.
 *
 * Threading: every function taking a struct bsf_store may be called from
 * any number of threads at once.  The store keeps a pool of SQLite
 * connections (SQLITE_OPEN_NOMUTEX, one connection used by one thread at a
 * time, each with its own prepared-statement cache); a call borrows one
 * for its duration, so readers run in parallel under WAL and never wait
 * for each other.  Writers serialise on SQLite's own lock (busy timeout
 * BSF_STORE_BUSY_MS).  Several processes may open the same file (gba-bsf
 * and gba-bsfctl), but only one may issue AVs (hss.h enforces it).
 *
 * Secrets: K and OPc/TOPc are stored as hex text and decoded with the
 * branch-free gba_hex_decode(); every struct that carries them is wiped by
 * its _clear()/_free().  Copies SQLite keeps in its page cache are outside
 * our reach (documented in docs/hss-store.md).  Nothing here logs.
 *
 * Ownership: structs are caller-owned unless a function says it allocates;
 * each allocating function names its NULL-safe _free.
 */
#ifndef BSF_STORE_H
#define BSF_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"
#include "gba/aka.h"
#include "bsf_limits.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Default database path (gba-bsf config key store.path, gba-bsfctl --db). */
#define BSF_STORE_DEFAULT_PATH "/var/lib/gba-bsf/store.db"
/* Schema version this code writes; older files are migrated on open. */
#define BSF_STORE_SCHEMA_VERSION 2
#define BSF_STORE_BUSY_MS 5000

/* The store's hard limits (BSF_IMPI_MAX ...) are in bsf_limits.h, beside
 * the protocol limits they must agree with. */

struct bsf_store; /* opaque */

/* bsf_store_open() flags */
#define BSF_STORE_CREATE 0x01	/* create the file and schema if missing */
#define BSF_STORE_READONLY 0x02 /* no schema change, no writes */

/**
 * bsf_store_open() - open (and with BSF_STORE_CREATE create) a store.
 * @path:  [in] SQLite: file name; the WAL and SHM files live beside it.
 *         PostgreSQL: a libpq connection URI (bsf_store_is_pg_uri());
 *         the database must exist, the tables are created in it.
 * @flags: [in] BSF_STORE_*
 * @out:   [out] the store, release with bsf_store_close(); NULL on error
 *
 * SQLite: sets journal_mode=WAL, synchronous=FULL, foreign_keys=ON.  Both
 * backends migrate a schema older than BSF_STORE_SCHEMA_VERSION in one
 * transaction (PostgreSQL: under an advisory lock).
 * Return: GBA_OK; GBA_ERR_NOT_FOUND (no file / no store in the database,
 * no CREATE); GBA_ERR_VERSION (written by a newer version); GBA_ERR_DB
 * (also: PostgreSQL unreachable); GBA_ERR_NOMEM; GBA_ERR_BAD_PARAM;
 * GBA_ERR_UNSUPPORTED (a libpq keyword=value string, which is neither:
 * bsf_store_loc_conninfo()).
 */
int bsf_store_open(const char *path, unsigned flags,
		   struct bsf_store **out) GBA_WARN_UNUSED;

/**
 * bsf_store_is_pg_uri() - 1 if @path is a PostgreSQL connection URI
 * ("postgresql://..." or "postgres://...", libpq syntax), which
 * bsf_store_open() opens with the PostgreSQL backend; 0 for a file path.
 */
int bsf_store_is_pg_uri(const char *path);

/** bsf_store_close() - close all pooled connections and free.  NULL-safe. */
void bsf_store_close(struct bsf_store *st);

/** bsf_store_schema_version() - the version in the file (after migration). */
int bsf_store_schema_version(struct bsf_store *st,
			     int *version) GBA_WARN_UNUSED;

/** bsf_store_path() - the path given to open (borrowed, valid until close). */
const char *bsf_store_path(const struct bsf_store *st);

/* ------------------------------------------------------------------ */
/* Push-NAFs                                                          */

/* One NAF_Id the Push-NAF may request: FQDN (lower case) + Ua id. */
struct bsf_naf_id {
	char fqdn[BSF_FQDN_MAX + 1];
	uint8_t ua[BSF_UA_ID_LEN];
};

struct bsf_naf {
	int64_t id;			   /* store id (0 before add) */
	char name[BSF_NAF_NAME_MAX + 1];   /* operator's label, unique */
	char cert_id[BSF_CERT_ID_MAX + 1]; /* TLS identity, unique */
	size_t n_naf_ids;
	struct bsf_naf_id naf_ids[BSF_NAF_IDS_MAX];
	int allow_impi;	 /* may receive the IMPI (privateIdRequest) */
	int gba_u_aware; /* GBA_U aware: may get Ks_int_NAF */
	uint32_t rate;	 /* GPI requests per second; 0 = unlimited */
};

/**
 * bsf_store_naf_by_cert() - the Push-NAF whose certificate identity (SAN
 * dNSName or CN, compared case-insensitively) is @cert_id.
 * @cert_id: [in] @cert_id_len octets, not necessarily NUL terminated
 * @naf:     [out] zeroed first; filled on GBA_OK
 * Return: GBA_OK; GBA_ERR_NOT_FOUND (not a registered Push-NAF);
 * GBA_ERR_TOO_LARGE; GBA_ERR_DB.
 */
int bsf_store_naf_by_cert(struct bsf_store *st, const char *cert_id,
			  size_t cert_id_len,
			  struct bsf_naf *naf) GBA_WARN_UNUSED;

/** bsf_store_naf_by_name() - the same, looked up by the operator's name. */
int bsf_store_naf_by_name(struct bsf_store *st, const char *name,
			  struct bsf_naf *naf) GBA_WARN_UNUSED;

/**
 * bsf_naf_allows() - may @naf request NAF_Id = @fqdn || @ua?  The FQDN is
 * compared case-insensitively (DNS), the Ua id octet-exact.  Pure function.
 * Return: 1 if listed, 0 otherwise (also for NULL arguments).
 */
int bsf_naf_allows(const struct bsf_naf *naf, const char *fqdn, size_t fqdn_len,
		   const uint8_t ua[BSF_UA_ID_LEN]);

/**
 * bsf_store_naf_add() - register a Push-NAF (its NAF_Id list included).
 * @id: [out] the new id (may be NULL).
 * Return: GBA_OK; GBA_ERR_EXISTS (name or cert_id taken);
 * GBA_ERR_BAD_PARAM (empty name/cert id, bad FQDN); GBA_ERR_DB.
 */
int bsf_store_naf_add(struct bsf_store *st, const struct bsf_naf *naf,
		      int64_t *id) GBA_WARN_UNUSED;

/** bsf_store_naf_remove() - by name; its associations go too.
 * Return: GBA_OK, GBA_ERR_NOT_FOUND, GBA_ERR_DB. */
int bsf_store_naf_remove(struct bsf_store *st,
			 const char *name) GBA_WARN_UNUSED;

/**
 * bsf_store_naf_list() - call @cb for each Push-NAF in name order.  @cb
 * returns 0 to continue; any other value stops and is returned.
 */
int bsf_store_naf_list(struct bsf_store *st,
		       int (*cb)(void *arg, const struct bsf_naf *naf),
		       void *arg) GBA_WARN_UNUSED;

/* ------------------------------------------------------------------ */
/* Subscribers and identities                                          */

/* Identity types, numbered as Diameter UE-Id-Type (TS 29.109). */
enum bsf_id_type {
	BSF_ID_PRIVATE = 0, /* IMPI */
	BSF_ID_PUBLIC = 1,  /* IMPU: sip:, sips: or tel: URI */
	BSF_ID_ANY = 2,	    /* admin use: IMPI first, then IMPU */
};

struct bsf_sub {
	int64_t id;
	char impi[BSF_IMPI_MAX + 1];
	char imsi[BSF_IMSI_MAX + 1]; /* "" if none */
	size_t n_impus;
	char impus[BSF_IMPUS_MAX][BSF_IMPU_MAX + 1]; /* normalised */
	/* secret: filled only with BSF_SUB_SECRETS; alg, sizes always */
	struct gba_auth_key key;
	uint8_t amf[2];
	uint64_t sqn; /* add: initial SQN (SEQ||IND, 0 = fresh); get: the
		       * highest SQN the store may have issued (bound) */
	int gba_u;    /* UICC is GBA_U capable */
	size_t n_labels;
	char labels[BSF_LABELS_MAX][BSF_LABEL_MAX + 1];
	int has_guss; /* get: a GUSS is stored */
};

/* bsf_store_sub_get() / _list() flags */
#define BSF_SUB_SECRETS 0x01 /* also fill @key.k and @key.opc */

/** bsf_sub_clear() - wipe (the key above all) and zero.  NULL-safe. */
void bsf_sub_clear(struct bsf_sub *s);

/**
 * bsf_impu_normalize() - canonical form used for storage and lookup.
 * tel: "tel:" + '+' + digits (RFC 3966 visual separators - . ( ) removed,
 *      parameters after ';' dropped; a local number without '+' is
 *      rejected).  sip:/sips: scheme and host lower-cased, user part kept,
 *      URI parameters and headers dropped.  Scheme matching is
 *      case-insensitive.  (Project rules, docs/hss-store.md.)
 * @out: [out] NUL-terminated, @cap octets.
 * Return: GBA_OK; GBA_ERR_MALFORMED (not a sip/sips/tel URI, empty parts,
 * control characters); GBA_ERR_TOO_LARGE.
 */
int bsf_impu_normalize(const char *in, size_t in_len, char *out,
		       size_t cap) GBA_WARN_UNUSED;

/**
 * bsf_store_resolve() - the subscriber a UE identity denotes.
 * @ue_id:   [in] @len octets (IMPI, or IMPU incl. tel: MSISDN URIs)
 * @type:    [in] BSF_ID_PRIVATE: exact IMPI; BSF_ID_PUBLIC: the IMPU is
 *           normalised (bsf_impu_normalize) then looked up;
 *           BSF_ID_ANY: IMPI, then IMPU
 * @sub_id:  [out] store id, 0 on failure
 * @impi:    [out] the IMPI (NUL-terminated), may be NULL; @impi_cap octets
 * Return: GBA_OK; GBA_ERR_NOT_FOUND (unknown identity, maps to Diameter
 * 5401); GBA_ERR_MALFORMED (bad URI); GBA_ERR_TOO_LARGE; GBA_ERR_NO_SPACE
 * (@impi_cap too small); GBA_ERR_DB.
 */
int bsf_store_resolve(struct bsf_store *st, const char *ue_id, size_t len,
		      enum bsf_id_type type, int64_t *sub_id, char *impi,
		      size_t impi_cap) GBA_WARN_UNUSED;

/**
 * bsf_store_assoc_check() - TS 33.187 SCS - device association: may the
 * Push-NAF @naf_id push to subscriber @sub_id?
 * Return: GBA_OK; GBA_ERR_NOT_AUTHORIZED (no association, Diameter 5402);
 * GBA_ERR_DB.
 */
int bsf_store_assoc_check(struct bsf_store *st, int64_t naf_id,
			  int64_t sub_id) GBA_WARN_UNUSED;

/* One USS of the subscriber's GUSS (TS 29.109 Annex A, see guss.h). */
struct bsf_uss {
	char gsid[BSF_GSID_MAX + 1];	       /* uss@id */
	char naf_group[BSF_NAF_GROUP_MAX + 1]; /* uss@nafGroup, "" if none */
	int uicc_sec;			       /* uss@uiccSecurityLevel: 0/1 */
	size_t n_flags;
	uint32_t flags[BSF_USS_FLAGS_MAX]; /* flags/flag values */
	char *xml; /* the <uss> element serialised, owned; NULL unless
		    * BSF_GBA_XML or BSF_GBA_USS_XML was asked for */
};

struct bsf_gba_params {
	int gba_u; /* UICC GBA_U capable (store flag, or GUSS uiccType) */
	size_t n_labels;
	char labels[BSF_LABELS_MAX][BSF_LABEL_MAX + 1];
	size_t n_uss;
	struct bsf_uss uss[BSF_USS_MAX];
	char *guss_xml; /* owned, NUL-terminated; NULL unless BSF_GBA_XML */
	size_t guss_xml_len;
};

#define BSF_GBA_XML 0x01 /* also return the GUSS and each USS as XML */
/* each USS as XML (uss[i].xml) without the whole GUSS: what the ussList
 * of a GPI response needs (uss.h) */
#define BSF_GBA_USS_XML 0x04
/* leave the USS list out (n_uss = 0): the GPI path without gsIds, one
 * B-tree probe less per request */
#define BSF_GBA_NO_USS 0x02

/**
 * bsf_store_gba_params() - the subscriber's GBA parameters (what Zh would
 * return with the AV).  USSs come from the parsed GUSS kept in the store;
 * no XML is parsed on this path.
 * @p: [out] zeroed first; release with bsf_gba_params_clear()
 * Return: GBA_OK; GBA_ERR_NOT_FOUND; GBA_ERR_NOMEM; GBA_ERR_DB.
 */
int bsf_store_gba_params(struct bsf_store *st, int64_t sub_id, unsigned flags,
			 struct bsf_gba_params *p) GBA_WARN_UNUSED;

/** bsf_gba_params_clear() - free the XML strings and zero.  NULL-safe. */
void bsf_gba_params_clear(struct bsf_gba_params *p);

/**
 * bsf_uss_find() - the USS with GSID @gsid in @p, or NULL.
 */
const struct bsf_uss *bsf_uss_find(const struct bsf_gba_params *p,
				   const char *gsid);

/**
 * bsf_store_sub_add() - add a subscriber.
 * @s:        [in] impi, imsi, impus, key (alg, k, opc; TUAK sizes), amf,
 *            sqn (initial, 0 = fresh), gba_u, labels.  OPc/TOPc, not OP:
 *            derive with gba_milenage_opc()/gba_tuak_topc() first.
 * @guss:     [in] GUSS XML (@guss_len octets) or NULL; parsed and checked
 *            with guss.h before it is stored
 * @id:       [out] new id, may be NULL
 * The IMPI is stored NFKC-normalised (TS 33.220 B.2.1, gba_utf8_nfkc()).
 * Return: GBA_OK; GBA_ERR_EXISTS (IMPI, IMSI or an IMPU in use);
 * GBA_ERR_BAD_PARAM / GBA_ERR_MALFORMED / GBA_ERR_TOO_LARGE (invalid field,
 * GUSS rejected); GBA_ERR_BAD_UTF8 (IMPI not UTF-8); GBA_ERR_DB.
 */
int bsf_store_sub_add(struct bsf_store *st, const struct bsf_sub *s,
		      const char *guss, size_t guss_len,
		      int64_t *id) GBA_WARN_UNUSED;

/**
 * bsf_store_sub_get() - a subscriber by identity (@type as in resolve).
 * @s: [out] cleared first; wipe with bsf_sub_clear()
 * Return: GBA_OK; GBA_ERR_NOT_FOUND; GBA_ERR_DB.
 */
int bsf_store_sub_get(struct bsf_store *st, const char *ue_id,
		      enum bsf_id_type type, unsigned flags,
		      struct bsf_sub *s) GBA_WARN_UNUSED;

/** bsf_store_sub_get_id() - the same, by store id. */
int bsf_store_sub_get_id(struct bsf_store *st, int64_t sub_id, unsigned flags,
			 struct bsf_sub *s) GBA_WARN_UNUSED;

/**
 * bsf_store_sub_guss() - the stored GUSS XML of a subscriber.
 * @xml: [out] allocated NUL-terminated copy (free with free()), or NULL
 *       when the subscriber has none.
 * Return: GBA_OK; GBA_ERR_NOT_FOUND; GBA_ERR_NOMEM; GBA_ERR_DB.
 */
int bsf_store_sub_guss(struct bsf_store *st, int64_t sub_id,
		       char **xml) GBA_WARN_UNUSED;

/** bsf_store_sub_remove() - by IMPI; IMPUs, USSs, SQN state and
 * associations go too.  Return: GBA_OK, GBA_ERR_NOT_FOUND, GBA_ERR_DB. */
int bsf_store_sub_remove(struct bsf_store *st,
			 const char *impi) GBA_WARN_UNUSED;

/**
 * bsf_store_sub_list() - call @cb for each subscriber in id order (@s is
 * wiped after each call).  @cb returns 0 to continue.
 */
int bsf_store_sub_list(struct bsf_store *st, unsigned flags,
		       int (*cb)(void *arg, const struct bsf_sub *s),
		       void *arg) GBA_WARN_UNUSED;

/** bsf_store_sub_count() - number of subscribers. */
int bsf_store_sub_count(struct bsf_store *st, uint64_t *n) GBA_WARN_UNUSED;

/* What the BSF needs about the UE of one GPI request. */
struct bsf_ue {
	int64_t sub_id;
	char impi[BSF_IMPI_MAX + 1];
	struct bsf_gba_params params;
};

/**
 * bsf_store_ue_lookup() - bsf_store_resolve() + bsf_store_assoc_check()
 * + bsf_store_gba_params() in one read transaction on one connection
 * (one snapshot, a third of the file-lock system calls): the per-GPI
 * path once the Push-NAF is known (bsf_store_naf_by_cert(), which the
 * daemon may cache per TLS session).  An unknown UE runs the same
 * statements as a UE not associated with @naf_id (the association query
 * for a subscriber id that cannot exist), so the two take the same work.
 * @naf_id: [in] the requesting Push-NAF
 * @ue:     [out] zeroed first; release with bsf_gba_params_clear(&ue->params)
 * Return: GBA_OK; GBA_ERR_NOT_FOUND (unknown UE, 5401);
 * GBA_ERR_NOT_AUTHORIZED (no association, 5402; @ue->sub_id is set, the
 * rest zero); GBA_ERR_MALFORMED / GBA_ERR_TOO_LARGE (bad identity);
 * GBA_ERR_NOMEM; GBA_ERR_DB.
 */
int bsf_store_ue_lookup(struct bsf_store *st, int64_t naf_id, const char *ue_id,
			size_t len, enum bsf_id_type type, unsigned flags,
			struct bsf_ue *ue) GBA_WARN_UNUSED;

/*
 * The AuC's row of a subscriber (hss.h): the key material and the durable
 * SQN state, decoded by the one key-row decoder (keyrow.h).  Secret: wipe
 * it with gba_cleanse() on every path.
 */
struct bsf_key_row {
	int64_t sub_id;
	struct gba_auth_key key; /* K, OPc / TOPc, TUAK sizes */
	uint8_t amf[2];
	int64_t seq_floor, run_floor; /* durable SQN state (hss.c) */
	/* shared stores (bsf_store_sqn_shared()): the SQN generation and
	 * H, the highest SEQ handed out (docs/hss-store.md 4); 0 with SQLite */
	int64_t gen, hwm;
};

/**
 * bsf_store_key_row() - the key row of subscriber @sub_id.
 * @row: [out] filled on GBA_OK, wiped otherwise
 * Return: GBA_OK; GBA_ERR_NOT_FOUND; GBA_ERR_MALFORMED (corrupt row);
 * GBA_ERR_DB.
 */
int bsf_store_key_row(struct bsf_store *st, int64_t sub_id,
		      struct bsf_key_row *row) GBA_WARN_UNUSED;

/**
 * bsf_store_ue_lookup_key() - bsf_store_ue_lookup() that also reads the
 * subscriber's key row in the same read transaction (one snapshot per
 * GPI), after resolve, association and GBA parameters succeeded.
 * @row: [out] filled on GBA_OK, wiped otherwise
 * Return: as bsf_store_ue_lookup(); GBA_ERR_MALFORMED (corrupt key row).
 */
int bsf_store_ue_lookup_key(struct bsf_store *st, int64_t naf_id,
			    const char *ue_id, size_t len,
			    enum bsf_id_type type, unsigned flags,
			    struct bsf_ue *ue,
			    struct bsf_key_row *row) GBA_WARN_UNUSED;

/**
 * bsf_store_ue_lookup_end() - what both lookups leave after their
 * backend answered @r: on failure nothing but, for an unassociated UE,
 * its id.  For a lookup run outside them (store_pipe.h).
 */
void bsf_store_ue_lookup_end(int r, struct bsf_ue *ue, struct bsf_key_row *row);

/*
 * Shared SQN windows (docs/hss-store.md section 4, "Several AuCs on one
 * shared store"): a store that several gba-bsf nodes use at once hands
 * out every SQN window itself, atomically.  SEQ values, not SQNs.
 */

/** bsf_store_sqn_shared() - 1 if the store hands out SQN windows (the
 * PostgreSQL backend), 0 if the AuC keeps its own (SQLite). */
int bsf_store_sqn_shared(const struct bsf_store *st);

/**
 * bsf_store_sqn_reserve() - one new window for subscriber @sub_id, in
 * generation @gen: H = max(H, @floor) + @block, committed before return.
 * @hi:      [out] the new H: the window is (@hi - @block, @hi]
 * @gen_now: [out] the subscriber's generation
 * Return: GBA_OK; GBA_ERR_STATE (@gen is stale: nothing reserved,
 * @gen_now is the current one); GBA_ERR_SQN_EXHAUSTED (above @seq_max);
 * GBA_ERR_NOT_FOUND; GBA_ERR_UNSUPPORTED (not a shared store); GBA_ERR_DB.
 */
int bsf_store_sqn_reserve(struct bsf_store *st, int64_t sub_id, int64_t gen,
			  int64_t floor, int64_t block, int64_t seq_max,
			  int64_t *hi, int64_t *gen_now) GBA_WARN_UNUSED;

/**
 * bsf_store_sqn_ind_bits() - the IND length of every AuC on a shared
 * store: the first AuC that opens records @ind_bits, any later one must
 * use the same (SEQ values in the store are SQN >> IND length, so two
 * lengths on one store would map one SEQ to two SQNs).
 * Return: GBA_OK; GBA_ERR_CONFIG (the store has another IND length);
 * GBA_ERR_UNSUPPORTED (not a shared store); GBA_ERR_DB.
 */
int bsf_store_sqn_ind_bits(struct bsf_store *st,
			   unsigned ind_bits) GBA_WARN_UNUSED;

/**
 * bsf_store_sqn_lower() - a resync that lowers SEQ_HE to @seq_ms: H =
 * @seq_ms + @block and the generation + 1, committed before return,
 * which ends every window any node holds for the subscriber.  The caller
 * owns (@seq_ms, @seq_ms + @block] in generation *@gen_now.
 * Return: GBA_OK; GBA_ERR_NOT_FOUND; GBA_ERR_UNSUPPORTED; GBA_ERR_DB.
 */
int bsf_store_sqn_lower(struct bsf_store *st, int64_t sub_id, int64_t seq_ms,
			int64_t block, int64_t *gen_now) GBA_WARN_UNUSED;

/**
 * bsf_store_set_stmt_hook() - diagnostics: call @hook with the SQL text of
 * every statement a store connection starts running from now on
 * (SQLite SQLITE_TRACE_STMT), on the thread that runs it.  NULL removes
 * it.  Set it while no request runs; unit tests count statements with it.
 */
typedef void (*bsf_store_stmt_hook)(void *arg, const char *sql);
void bsf_store_set_stmt_hook(struct bsf_store *st, bsf_store_stmt_hook hook,
			     void *arg);

/**
 * bsf_store_sub_replace() - replace the subscriber whose IMPI is @s->impi
 * by @s (every field as in bsf_store_sub_add(); what @s leaves out is
 * gone).  Its Push-NAF associations are kept, and its SQN state is moved
 * above every SQN the old record may have issued (so no SQN repeats,
 * even with gba-bsf running; @s->sqn only raises it).  The store id
 * changes.  gba-bsfctl subscriber modify and import --on-conflict update.
 * Return: as bsf_store_sub_add(); GBA_ERR_NOT_FOUND (no such IMPI).
 */
int bsf_store_sub_replace(struct bsf_store *st, const struct bsf_sub *s,
			  const char *guss, size_t guss_len,
			  int64_t *id) GBA_WARN_UNUSED;

/* ------------------------------------------------------------------ */
/* Associations                                                        */

/** bsf_store_assoc_add() - Return: GBA_OK, GBA_ERR_EXISTS,
 * GBA_ERR_NOT_FOUND (no such NAF or subscriber), GBA_ERR_DB. */
int bsf_store_assoc_add(struct bsf_store *st, int64_t naf_id,
			int64_t sub_id) GBA_WARN_UNUSED;

/** bsf_store_assoc_remove() - Return: GBA_OK, GBA_ERR_NOT_FOUND, DB. */
int bsf_store_assoc_remove(struct bsf_store *st, int64_t naf_id,
			   int64_t sub_id) GBA_WARN_UNUSED;

/**
 * bsf_store_assoc_list() - each (NAF name, IMPI) pair, optionally only for
 * Push-NAF @naf_id (0 = all).  @cb returns 0 to continue.
 */
int bsf_store_assoc_list(struct bsf_store *st, int64_t naf_id,
			 int (*cb)(void *arg, const char *naf_name,
				   const char *impi),
			 void *arg) GBA_WARN_UNUSED;

/**
 * bsf_store_assoc_list_sub() - the names of the Push-NAFs associated with
 * subscriber @sub_id, in name order.  @cb returns 0 to continue.
 */
int bsf_store_assoc_list_sub(struct bsf_store *st, int64_t sub_id,
			     int (*cb)(void *arg, const char *naf_name),
			     void *arg) GBA_WARN_UNUSED;

/* ------------------------------------------------------------------ */
/* Bulk writes (gba-bsfctl import / gen)                               */

struct bsf_store_batch; /* one connection, one transaction */

/**
 * bsf_store_batch_begin() - start a write transaction on a connection
 * reserved for the batch (other threads keep using the pool).  Each item
 * added runs in its own savepoint: a failing item leaves the batch usable.
 * Return: GBA_OK, GBA_ERR_DB, GBA_ERR_NOMEM.
 */
int bsf_store_batch_begin(struct bsf_store *st,
			  struct bsf_store_batch **b) GBA_WARN_UNUSED;

/** bsf_store_batch_sub_add() - as bsf_store_sub_add(), inside the batch. */
int bsf_store_batch_sub_add(struct bsf_store_batch *b, const struct bsf_sub *s,
			    const char *guss, size_t guss_len,
			    int64_t *id) GBA_WARN_UNUSED;

/** bsf_store_batch_assoc_add() - as bsf_store_assoc_add(), in the batch. */
int bsf_store_batch_assoc_add(struct bsf_store_batch *b, int64_t naf_id,
			      int64_t sub_id) GBA_WARN_UNUSED;

/** bsf_store_batch_naf_add() - as bsf_store_naf_add(), in the batch.
 * Return: as that; GBA_ERR_UNSUPPORTED (SQLite: not needed yet). */
int bsf_store_batch_naf_add(struct bsf_store_batch *b,
			    const struct bsf_naf *naf,
			    int64_t *id) GBA_WARN_UNUSED;

/** bsf_store_batch_sub_replace() - as bsf_store_sub_replace(), in the
 * batch. */
int bsf_store_batch_sub_replace(struct bsf_store_batch *b,
				const struct bsf_sub *s, const char *guss,
				size_t guss_len, int64_t *id) GBA_WARN_UNUSED;

/**
 * bsf_store_batch_commit() - commit what the batch holds so far and start
 * a new transaction.  Long imports call it every few thousand items so
 * that the write lock is released now and then: a running gba-bsf needs
 * it for SQN reservations (hss.h), and waits at most BSF_STORE_BUSY_MS.
 * Return: GBA_OK; GBA_ERR_DB / GBA_ERR_TIMEOUT (the batch is then
 * finished: call bsf_store_batch_end(b, 0)).
 */
int bsf_store_batch_commit(struct bsf_store_batch *b) GBA_WARN_UNUSED;

/**
 * bsf_store_batch_end() - COMMIT (@commit nonzero) or ROLLBACK, then free.
 * NULL-safe.  Return: GBA_OK or GBA_ERR_DB (then nothing was committed).
 */
int bsf_store_batch_end(struct bsf_store_batch *b, int commit);

#ifdef __cplusplus
}
#endif
#endif
