/*
 * hss.h - the embedded HSS / AuC of gba-bsf (bsf-internal API).
 *
 * Stands in for Zh (TS 29.109 clause 4, MAR/MAA) inside the BSF: one fresh
 * authentication vector per GPI (TS 33.223: disposable Ks), computed from
 * the subscriber's K and OPc/TOPc with Milenage (TS 35.206) or TUAK
 * (TS 35.231) through gba_aka_av() (gba/aka.h, TS 33.102 V17.0.0 6.3.2).
 *
 * SQN (TS 33.102 Annex C, gba/sqn.h): SQN = SEQ || IND.  The BSF owns one
 * IND slot (@ind, configurable) and keeps one SEQ_HE per subscriber,
 * incremented by one for every AV.  No SQN is issued twice for a
 * subscriber between two resynchronisations (a resync may lower SEQ_HE to
 * the USIM's SEQ_MS), even after kill -9 or power loss at any instant: SEQ
 * values are handed out in memory below a bound that was committed durably
 * (fsync) before the first value under it was used.  The bound is derived
 * from a per-subscriber row and a durable run counter incremented before
 * the first AV of every bsf_hss_open(), so a restart needs no
 * per-subscriber write; the price is
 * that each restart skips up to @seq_block SEQ values per subscriber (far
 * below the USIM's Delta).  Scheme and trade-off: docs/hss-store.md.
 *
 * Threading: all functions are thread-safe.  SQN state is kept in memory
 * under a mutex; the key row is read through the store's connection pool.
 * Exactly one struct bsf_hss may exist per store file at a time, across
 * processes (flock on "<db>-hss.lock"); a second open gets GBA_ERR_STATE.
 * On a shared store (bsf_store_sqn_shared(): PostgreSQL) any number may
 * run, in any number of processes: every SEQ window is handed out by the
 * store, in a per-subscriber generation that a lowering resync bumps
 * (docs/hss-store.md section 4, "Several AuCs on one shared store").
 */
#ifndef BSF_HSS_H
#define BSF_HSS_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"
#include "gba/aka.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bsf_hss; /* opaque */

#define BSF_HSS_SEQ_BLOCK_DEFAULT 256 /* project choice, docs/hss-store.md */
#define BSF_HSS_SEQ_BLOCK_MAX 65536

#define BSF_HSS_UE_RATE_MAX 60000000u /* AVs per minute: 1 per microsecond */

struct bsf_hss_cfg {
	unsigned ind;	    /* the BSF's IND slot, < 2^ind_bits (default 4,
			     * gba_sqn_node_ind(GBA_SQN_NODE_BSF_PUSH)) */
	unsigned ind_bits;  /* IND length in bits (default 5, Annex C "a") */
	uint32_t seq_block; /* SEQ values reserved per durable write */
	/* per-subscriber AV rate (GCRA): @ue_burst AVs at once, then one per
	 * 60 / @ue_rate s; 0 = unlimited (the library default; gba-bsf's
	 * default is on, docs/hss-store.md section 4).  Refused AVs return
	 * GBA_ERR_RATE_LIMIT and consume no SQN. */
	uint32_t ue_rate;	  /* AVs per minute, <= BSF_HSS_UE_RATE_MAX */
	uint32_t ue_burst;	  /* 0 is taken as 1 */
	uint64_t (*now_us)(void); /* monotonic clock in us; NULL: the real
				   * one (tests replace it) */
};

/** bsf_hss_cfg_default() - IND 4 (GBA Push's own slot), 5 IND bits,
 * BSF_HSS_SEQ_BLOCK_DEFAULT, no rate limit, the real clock. */
void bsf_hss_cfg_default(struct bsf_hss_cfg *cfg);

/**
 * bsf_hss_open() - start the AuC on an open store.
 * @st:  [in] the store (borrowed; must outlive the HSS)
 * @cfg: [in] NULL for the defaults
 * @out: [out] release with bsf_hss_close()
 * The store's run counter is durably incremented (one fsync) before the
 * first AV, not here: an AuC that issues no AV consumes no SEQ window.
 * A changed block size rebases the rows here (one fsync).
 * Return: GBA_OK; GBA_ERR_BAD_PARAM (ind >= 2^ind_bits, ind_bits > 5,
 * seq_block 0 or > BSF_HSS_SEQ_BLOCK_MAX, ue_rate too large);
 * GBA_ERR_CONFIG (ind_bits differs from the store's); GBA_ERR_STATE
 * (another AuC holds the store); GBA_ERR_IO; GBA_ERR_DB; GBA_ERR_NOMEM;
 * GBA_ERR_UNSUPPORTED (a store backend other than SQLite).
 */
int bsf_hss_open(struct bsf_store *st, const struct bsf_hss_cfg *cfg,
		 struct bsf_hss **out) GBA_WARN_UNUSED;

/** bsf_hss_close() - wipe the in-memory state, release the lock. NULL-safe.
 * Unused reserved SEQ values are simply skipped by the next run. */
void bsf_hss_close(struct bsf_hss *h);

/**
 * bsf_hss_av() - one fresh AV for subscriber @sub_id (Zh MAR equivalent).
 * @av:  [out] RAND (fresh from gba_random), AUTN, XRES, CK, IK, AK; wiped
 *       on failure.  For GBA_U the caller maps AUTN to AUTN* with
 *       gba_aka_autn_star() (TS 33.220 5.3.2).  The caller wipes @av.
 * @sqn: [out] the SQN used (SEQ || IND), may be NULL
 * Return: GBA_OK; GBA_ERR_NOT_FOUND; GBA_ERR_SQN_EXHAUSTED;
 * GBA_ERR_RANDOM; GBA_ERR_CRYPTO; GBA_ERR_DB (a failed reservation issues
 * nothing); GBA_ERR_MALFORMED (corrupt key row); GBA_ERR_RATE_LIMIT (the
 * subscriber's AV rate, @ue_rate, is exceeded: nothing issued).
 */
int bsf_hss_av(struct bsf_hss *h, int64_t sub_id, struct gba_av *av,
	       uint64_t *sqn) GBA_WARN_UNUSED;

/**
 * bsf_hss_av_rand() - bsf_hss_av() with a caller-chosen RAND, for test
 * vectors (TS 35.208 sets) and replay tools.  Never use it to serve a
 * GPI: RAND must be fresh and unpredictable.
 * @rand: [in] 128-bit.  Return: as bsf_hss_av().
 */
int bsf_hss_av_rand(struct bsf_hss *h, int64_t sub_id, const uint8_t rand[16],
		    struct gba_av *av, uint64_t *sqn) GBA_WARN_UNUSED;

/**
 * bsf_hss_resync() - TS 33.102 6.3.5: verify AUTS for @rand (MAC-S, in
 * constant time, via gba_aka_auts_verify()), recover SQN_MS, move SEQ_HE
 * as gba_sqn_he_resync() says: up to SEQ_MS when behind, DOWN to SEQ_MS
 * when SEQ_HE - SEQ_MS >= Delta (written durably before anything is
 * issued, replacing the windows reserved ahead), then issue a fresh AV
 * as bsf_hss_av().  After a lowering, SQNs above SEQ_MS that were issued
 * before this resync may be issued again (fresh RAND): no SQN repeats
 * between two resyncs (docs/hss-store.md section 4).
 * @rand: [in] RAND of the AV the USIM rejected, 128-bit
 * @auts: [in] AUTS from the USIM, 112-bit
 * Return: as bsf_hss_av(); GBA_ERR_MAC when MAC-S does not verify (the
 * SQN state is then unchanged).
 */
int bsf_hss_resync(struct bsf_hss *h, int64_t sub_id, const uint8_t rand[16],
		   const uint8_t auts[GBA_AUTS_LEN], struct gba_av *av,
		   uint64_t *sqn) GBA_WARN_UNUSED;

/*
 * The GPI path in one store read transaction.  bsf_hss_ue_lookup() does
 * what bsf_store_ue_lookup() does (resolve, TS 33.187 association, GBA
 * parameters) and reads the subscriber's key row in the same transaction;
 * the caller then applies its own checks and, only if they pass, issues
 * the AV from that row with bsf_hss_av_key() or bsf_hss_resync_key().
 * Nothing is consumed by the lookup.  The row is valid for one AV: wipe
 * it with bsf_hss_key_clear() on every path.
 */
struct bsf_hss_key {
	int64_t sub_id;
	struct gba_auth_key key; /* K, OPc / TOPc, TUAK sizes */
	uint8_t amf[2];
	int64_t seq_floor, run_floor; /* durable SQN state (hss.c) */
	int64_t gen, hwm; /* shared stores: generation and H (hss.c) */
	unsigned retry_after; /* [out] seconds, after GBA_ERR_RATE_LIMIT */
};

/**
 * bsf_hss_ue_lookup() - see above.  @ue as bsf_store_ue_lookup(); @key is
 * filled when GBA_OK is returned and wiped otherwise.
 * Return: as bsf_store_ue_lookup(); GBA_ERR_MALFORMED (corrupt key row).
 */
int bsf_hss_ue_lookup(struct bsf_hss *h, int64_t naf_id, const char *ue_id,
		      size_t len, enum bsf_id_type type, unsigned flags,
		      struct bsf_ue *ue, struct bsf_hss_key *key) GBA_WARN_UNUSED;

/**
 * bsf_hss_ue_lookup_take() - the end of bsf_hss_ue_lookup() for a lookup
 * run outside it (store_pipe.h) that answered @r with @ue and @row
 * (wiped): @key filled when @r is GBA_OK, else wiped.  Return: @r.
 */
int bsf_hss_ue_lookup_take(int r, struct bsf_ue *ue, struct bsf_key_row *row,
			   struct bsf_hss_key *key);

/** bsf_hss_av_key() - bsf_hss_av() from a row read by bsf_hss_ue_lookup(). */
int bsf_hss_av_key(struct bsf_hss *h, struct bsf_hss_key *key,
		   struct gba_av *av, uint64_t *sqn) GBA_WARN_UNUSED;

/** bsf_hss_resync_key() - bsf_hss_resync() from such a row. */
int bsf_hss_resync_key(struct bsf_hss *h, struct bsf_hss_key *key,
		       const uint8_t rand[16],
		       const uint8_t auts[GBA_AUTS_LEN], struct gba_av *av,
		       uint64_t *sqn) GBA_WARN_UNUSED;

/* SQN reservations since open (docs/hss-store.md section 4) */
struct bsf_hss_stats {
	uint64_t reserve_sync;  /* on a request's path (window used up) */
	uint64_t reserve_ahead; /* by the background reserver */
	uint64_t reserve_ahead_commits; /* its transactions (fsyncs) */
	uint64_t resync_lowered; /* resyncs that lowered SEQ_HE to SEQ_MS */
	uint64_t rate_refused;	 /* AVs refused by the per-subscriber rate */
};

/** bsf_hss_stats() - counters above; all zero for NULL @h. */
void bsf_hss_stats(struct bsf_hss *h, struct bsf_hss_stats *st);

/** bsf_hss_key_clear() - wipe a key row.  NULL-safe. */
void bsf_hss_key_clear(struct bsf_hss_key *key);

#ifdef __cplusplus
}
#endif
#endif
