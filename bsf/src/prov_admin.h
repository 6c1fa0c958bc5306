/*
 * prov_admin.h - store administration beyond add/remove (bsf-internal):
 * Push-NAF modify and association count, online backup and restore with
 * the SQN skip-ahead (TS 33.102 V17.0.0 Annex C: SQN = SEQ || IND; a
 * USIM accepts a SEQ at most Delta above the highest it has seen, clause
 * C.2.2, and recovers from one beyond that by one resynchronisation with
 * AUTS, clause 6.3.5).  Used by gba-bsfctl; rules in docs/operations.md
 * and docs/hss-store.md.
 */
#ifndef BSF_PROV_ADMIN_H
#define BSF_PROV_ADMIN_H

#include <stdint.h>
#include "store.h"

/** bsf_prov_naf_assoc_count() - associations of Push-NAF @name.
 * Return: GBA_OK, GBA_ERR_NOT_FOUND, GBA_ERR_DB. */
int bsf_prov_naf_assoc_count(struct bsf_store *st, const char *name,
			     uint64_t *n) GBA_WARN_UNUSED;

/**
 * bsf_prov_naf_modify() - change the Push-NAF named @naf->name in place:
 * certificate id, flags, rate and NAF_Id list become @naf's; its id and
 * associations stay.
 * Return: GBA_OK; GBA_ERR_NOT_FOUND; GBA_ERR_EXISTS (cert id taken);
 * GBA_ERR_BAD_PARAM; GBA_ERR_DB.
 */
int bsf_prov_naf_modify(struct bsf_store *st,
			const struct bsf_naf *naf) GBA_WARN_UNUSED;

/**
 * bsf_prov_backup() - online, consistent copy of the store into the new
 * file @path (created mode 0600: it holds K and OPc; an existing file is
 * refused), with the time of the copy (@now, Unix seconds) recorded in
 * it for bsf_prov_restore().  gba-bsf may keep running.
 * Return: GBA_OK; GBA_ERR_EXISTS; GBA_ERR_IO; GBA_ERR_DB.
 */
int bsf_prov_backup(struct bsf_store *st, const char *path,
		    int64_t now) GBA_WARN_UNUSED;

struct bsf_restore_cfg {
	int64_t now;	   /* Unix seconds */
	uint32_t ue_rate;  /* gba-bsf [store] ue_rate, AVs per minute */
	uint32_t ue_burst; /* [store] ue_burst */
	uint32_t restarts; /* gba-bsf starts since the backup allowed for */
	int64_t margin;	   /* >= 0: use this SEQ margin instead */
	uint32_t nodes;	   /* PostgreSQL: gba-bsf nodes on the store (0: 1) */
};

struct bsf_restore_info {
	int64_t backup_time; /* Unix seconds, from the backup */
	int64_t age;	     /* now - backup_time, >= 0 */
	uint64_t seq_block;  /* B of the backup (meta seq_block) */
	uint64_t margin;     /* SEQ values every subscriber moved ahead */
	uint64_t n_subs;
	int shared;	     /* a PostgreSQL store: bsf_prov_skip_margin_shared() */
};

/* What gba-bsfctl backup / restore say on a PostgreSQL store. */
#define BSF_PROV_PG_BACKUP_HINT                                                \
	"a PostgreSQL store is backed up and restored with PostgreSQL's"       \
	" tools: pg_dump, then pg_restore followed by gba-bsfctl skip-ahead"   \
	" --since DUMP_TIME (docs/operations.md section 4)"

/**
 * bsf_prov_skip_margin() - the SEQ margin a restore adds (above the
 * bound of the backup):
 *   margin = restarts * B + (restarts + 1) * ue_burst
 *            + ceil(ue_rate * age / 60)
 * i.e. every AV the rate limit let through since the backup (a burst per
 * process start) plus one window B skipped per start.  Return: GBA_OK,
 * GBA_ERR_CONFIG (ue_rate 0: no bound, give a margin), GBA_ERR_TOO_LARGE.
 */
int bsf_prov_skip_margin(const struct bsf_restore_cfg *cfg, uint64_t seq_block,
			 int64_t age, uint64_t *margin) GBA_WARN_UNUSED;

/**
 * bsf_prov_skip_margin_shared() - the SEQ margin of a skip-ahead on a
 * shared (PostgreSQL) store, above the H of every row in the copy:
 *   margin = B * nodes * ((restarts + 1) * ue_burst
 *                         + ceil(ue_rate * age / 60))
 * Each GPI moves H by at most one window B (a reservation or a lowering
 * resync, at most one per GPI: docs/hss-store.md section 4), and each
 * node lets through at most a burst per start plus the rate since the
 * copy (the rate limit is per node).  restarts counts the starts of any
 * one node since the copy.  Return: as bsf_prov_skip_margin().
 */
int bsf_prov_skip_margin_shared(const struct bsf_restore_cfg *cfg,
				uint64_t seq_block, int64_t age,
				uint64_t *margin) GBA_WARN_UNUSED;

/**
 * bsf_prov_restore() - replace the store file @db by the backup @backup,
 * moving every subscriber's SEQ floor to its bound in the backup plus the
 * margin (bsf_prov_skip_margin()), with run_floor = the backup's run + 1.
 * Refused while an AuC (gba-bsf) holds the store (GBA_ERR_STATE); the
 * file is replaced in one transaction.
 * Return: GBA_OK; GBA_ERR_STATE; GBA_ERR_NOT_FOUND (no backup);
 * GBA_ERR_MALFORMED (not a gba-bsfctl backup); GBA_ERR_CONFIG;
 * GBA_ERR_IO; GBA_ERR_DB.
 */
int bsf_prov_restore(const char *db, const char *backup,
		     const struct bsf_restore_cfg *cfg,
		     struct bsf_restore_info *info) GBA_WARN_UNUSED;

/**
 * bsf_prov_skip_ahead() - the skip-ahead of bsf_prov_restore() alone, on
 * the store @db as it is: for a store put back by other means (a file
 * copy; PostgreSQL's pg_restore, @db a libpq URI) whose copy was taken at
 * @since (Unix seconds).  Refused while an AuC holds the store (SQLite:
 * its lock; PostgreSQL: any other session on the database).  On
 * PostgreSQL every row's H becomes max(H, F) + the margin of
 * bsf_prov_skip_margin_shared() and its generation G + 1, in one
 * transaction.  Return: as bsf_prov_restore().
 */
int bsf_prov_skip_ahead(const char *db, int64_t since,
			const struct bsf_restore_cfg *cfg,
			struct bsf_restore_info *info) GBA_WARN_UNUSED;

/**
 * bsf_prov_lock_auc() - take the AuC's lock of the SQLite store @db (the
 * flock on "<db>-hss.lock" that gba-bsf holds while it runs), so that no
 * SQN is issued while the caller reads the SQN state; release it with
 * close(*fd).  Return: GBA_OK; GBA_ERR_STATE (gba-bsf runs on @db);
 * GBA_ERR_IO; GBA_ERR_NOMEM.
 */
int bsf_prov_lock_auc(const char *db, int *fd) GBA_WARN_UNUSED;

#endif
