/*
 * copy.h - move a subscriber store to another backend (bsf-internal):
 * gba-bsfctl `copy --from SQLITE_PATH --to URI`.  Both sides go through
 * the store interface (store.h); the target is written in one batch,
 * i.e. one transaction: all or nothing.
 *
 * SQN safety (TS 33.102 Annex C; docs/hss-store.md section 4): each
 * subscriber is added with the SQN bound the source reports
 * (bsf_store_sub_get()/_list(): the highest SEQ any run may have issued,
 * the windows reserved by the run counter scheme included, not only
 * the row's seq_floor), so the target's first window starts above every
 * SQN the source can have handed out.  The source's AuC must be stopped
 * (the caller holds its lock: bsf_prov_lock_auc()).
 */
#ifndef BSF_COPY_H
#define BSF_COPY_H

#include <stdint.h>
#include "store.h"

struct bsf_copy {
	int force; /* also into a target that has Push-NAFs or subscribers */
	/* after each subscriber (every 1024) and at the end; may be NULL */
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	void *arg;
	/* results */
	uint64_t n_nafs, n_subs, n_assocs;
	char failed[BSF_IMPI_MAX + 1]; /* the row the target refused */
};

/**
 * bsf_store_copy() - every Push-NAF (with its NAF_Ids), subscriber (K,
 * OPc/TOPc, IMPUs, labels, GUSS, SQN bound) and association of @from
 * into @to.
 * Return: GBA_OK; GBA_ERR_EXISTS (@to not empty and not @force, or a
 * row clashes: cp->failed); GBA_ERR_UNSUPPORTED (a target without batch
 * Push-NAF insertion); a store error of either side.  On error nothing
 * was written to @to.
 */
int bsf_store_copy(struct bsf_store *from, struct bsf_store *to,
		   struct bsf_copy *cp) GBA_WARN_UNUSED;

#endif
