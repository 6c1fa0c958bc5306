/*
 * import.h - CSV import into the subscriber store (bsf-internal): the
 * one loop behind gba-bsfctl `import` (subscribers) and `assoc import`
 * (Push-NAF - device associations, TS 33.223 clause 4.4.x / TS 33.187
 * SCS - device association, project formats in docs/hss-store.md).
 * Records go through the store interface in batches of
 * BSF_IMPORT_CHUNK (one transaction each); a bad line is reported
 * through a callback and skipped.  No printing.
 */
#ifndef BSF_IMPORT_H
#define BSF_IMPORT_H

#include <stdint.h>
#include <stdio.h>
#include "csv.h"
#include "store.h"

/* Records per transaction: releases the write lock now and then for a
 * running gba-bsf (SQN reservations), costs one fsync each. */
#define BSF_IMPORT_CHUNK 20000

enum bsf_import_kind { BSF_IMPORT_SUBS, BSF_IMPORT_ASSOCS };
enum bsf_conflict { BSF_CONFLICT_FAIL, BSF_CONFLICT_SKIP, BSF_CONFLICT_UPDATE };

/* The subscriber CSV columns (export writes them in this order, op
 * left out: OP is never stored; tuak, the TUAK sizes as ITER:RES:CK:IK
 * octets, left out too: read for older files, the sizes are written in
 * bits, tuak_iterations .. tuak_ik_bits as the tools' options). */
enum bsf_col {
	BSF_COL_IMPI,
	BSF_COL_IMSI,
	BSF_COL_IMPU,
	BSF_COL_ALG,
	BSF_COL_K,
	BSF_COL_OPC,
	BSF_COL_OP,
	BSF_COL_AMF,
	BSF_COL_SQN,
	BSF_COL_GBA_U,
	BSF_COL_LABELS,
	BSF_COL_TUAK,
	BSF_COL_TUAK_ITER, /* .. BSF_COL_TUAK_IK: bsf_prov_tuak_names order */
	BSF_COL_TUAK_MAC,
	BSF_COL_TUAK_RES,
	BSF_COL_TUAK_CK,
	BSF_COL_TUAK_IK,
	BSF_COL_NAF,
	BSF_COL_GUSS,
	BSF_COL__N
};
extern const char *const bsf_sub_col_names[BSF_COL__N];

/* header outcomes (bsf_import_header()) */
enum bsf_import_hdr {
	BSF_HDR_OK,
	BSF_HDR_MISSING,  /* no header record, or a bad one */
	BSF_HDR_UNKNOWN,  /* a column not of the format (@col) */
	BSF_HDR_REPEATED, /* a column twice (@col) */
	BSF_HDR_INCOMPLETE /* a required column absent */
};

struct bsf_import_cb {
	/* a skipped line: @field NULL when @why says it all */
	void (*line_err)(void *arg, unsigned long line, const char *field,
			 const char *why);
	/* after each record; @pos: octets read */
	void (*progress)(void *arg, unsigned long ok, unsigned long bad,
			 long pos);
	void *arg;
};

struct bsf_import {
	enum bsf_import_kind kind;
	enum bsf_conflict on_conflict;
	struct bsf_csv csv;
	int map[BSF_COL__N];
	/* a tiny Push-NAF name cache: imports name one or two */
	char naf_names[8][BSF_NAF_NAME_MAX + 1];
	int64_t naf_ids[8];
	size_t n_nafs;
	/* results */
	unsigned long ok, bad, skipped, updated, dup;
	unsigned long committed; /* records committed before a failure */
	unsigned long fail_line; /* first line not imported (commit failed) */
	enum bsf_import_fail {
		BSF_IMPORT_FAIL_NONE,
		BSF_IMPORT_FAIL_BEGIN, /* no batch: nothing imported */
		BSF_IMPORT_FAIL_CHUNK, /* a commit within: @fail_line on lost */
		BSF_IMPORT_FAIL_END    /* the last commit */
	} fail;
};

/** bsf_import_init() - read @f (not closed here).  GBA_OK, GBA_ERR_NOMEM. */
int bsf_import_init(struct bsf_import *im, enum bsf_import_kind kind,
		    enum bsf_conflict on_conflict, FILE *f) GBA_WARN_UNUSED;

/** bsf_import_free() - wipe and free. */
void bsf_import_free(struct bsf_import *im);

/**
 * bsf_import_header() - read and map the header line.
 * @col: [out] the offending cell for BSF_HDR_UNKNOWN / _REPEATED.
 */
enum bsf_import_hdr bsf_import_header(struct bsf_import *im,
				      const char **col);

/** bsf_import_needs() - the required columns, for a message. */
const char *bsf_import_needs(const struct bsf_import *im);

/**
 * bsf_import_run() - import every record after the header into @st.
 * Return: GBA_OK (bad lines counted in im->bad and reported through
 * @cb); otherwise the error of a commit or of the batch's begin (records
 * up to im->committed stay in; im->fail says which, im->fail_line).
 */
int bsf_import_run(struct bsf_import *im, struct bsf_store *st,
		   const struct bsf_import_cb *cb) GBA_WARN_UNUSED;

/** bsf_naf_id_by_name() - the store id of Push-NAF @name. */
int bsf_naf_id_by_name(struct bsf_store *st, const char *name,
		       int64_t *id) GBA_WARN_UNUSED;

/** bsf_store_err_field() - the CSV field a store error most likely
 * concerns. */
const char *bsf_store_err_field(int r);

#endif
