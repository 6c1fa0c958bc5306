/*
 * The AuC on a shared store (hss.c next_sqn_shared(), docs/hss-store.md
 * section 4 "Several AuCs on one shared store"): two struct bsf_hss on
 * one PostgreSQL store stand for two gba-bsf nodes.  Needs
 * GBA_TEST_STORE_URI (a libpq URI; tests/e2e/store_unit_pg.sh runs it on
 * a throwaway cluster); without it the program exits 77 (skipped).
 *
 * Checked: the two nodes' SQNs never coincide; a resync that lowers
 * SEQ_HE, received by node B, ends node A's window too (one AUTS is
 * enough): A's next AV is in the new generation, below Delta for the
 * USIM; after the resync no SQN repeats across the nodes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gba/crypto.h"
#include "gba/milenage.h"
#include "gba/sqn.h"
#include "bsf_fixture.h"
#include "gba_test.h"
#include "hss.h"
#include "store.h"

#define DELTA (UINT64_C(1) << 28) /* GBA_SQN_DELTA_DEFAULT */
#define IND 4
#define BLOCK 16

static const char *uri;

static struct bsf_hss *node(struct bsf_store *st)
{
	struct bsf_hss_cfg cfg;
	struct bsf_hss *h = NULL;

	bsf_hss_cfg_default(&cfg);
	cfg.ind = IND;
	cfg.seq_block = BLOCK;
	GBA_ASSERT_ERR(bsf_hss_open(st, &cfg, &h), GBA_OK);
	CU_ASSERT_FATAL(h != NULL);
	return h;
}

static int seen(const uint64_t *v, size_t n, uint64_t x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

static void test_two_nodes_resync(void)
{
	struct bsf_store *st1 = NULL, *st2 = NULL;
	struct bsf_hss *a, *b;
	struct gba_av av;
	uint64_t sqns[256], sqn = 0, seq0 = DELTA + 1000;
	uint8_t rand_[16], auts[14];
	size_t n = 0;
	int64_t id;
	int i;

	bsf_fixture_pg_reset(uri);
	/* two stores (two connection pools), as two processes would have */
	GBA_ASSERT_ERR(bsf_store_open(uri, BSF_STORE_CREATE, &st1), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_open(uri, 0, &st2), GBA_OK);
	CU_ASSERT_FATAL(st1 && st2);
	CU_ASSERT(bsf_store_sqn_shared(st1));
	id = bsf_fixture_sub(st1, "two@ims.example", seq0 << 5, NULL, NULL);
	a = node(st1);
	b = node(st2); /* a second AuC on the same store: no lock */

	/* before the resync: A and B interleaved, never the same SQN */
	for (i = 0; i < 40; i++) {
		GBA_ASSERT_ERR(bsf_hss_av(i % 3 ? a : b, id, &av, &sqn),
			       GBA_OK);
		CU_ASSERT((sqn & 31) == IND);
		CU_ASSERT((sqn >> 5) > seq0);
		CU_ASSERT(!seen(sqns, n, sqn));
		sqns[n++] = sqn;
	}
	/* the USIM is at SQN 0: Delta exceeded, it sends AUTS; node B
	 * receives it and lowers SEQ_HE to SEQ_MS = 0 */
	memcpy(rand_, av.rand, 16);
	gba_test_auts_set1(rand_, 0, auts);
	GBA_ASSERT_ERR(bsf_hss_resync(b, id, rand_, auts, &av, &sqn), GBA_OK);
	CU_ASSERT_EQUAL(sqn, (UINT64_C(1) << 5) | IND);
	/* node A had a window far above: its next AV is in the new
	 * generation, within Delta of the USIM, without a second AUTS */
	n = 0;
	sqns[n++] = sqn;
	GBA_ASSERT_ERR(bsf_hss_av(a, id, &av, &sqn), GBA_OK);
	if ((sqn >> 5) >= DELTA)
		fprintf(stderr, "node A after node B's resync: SEQ %llu\n",
			(unsigned long long)(sqn >> 5));
	CU_ASSERT((sqn >> 5) < DELTA);
	CU_ASSERT(!seen(sqns, n, sqn));
	sqns[n++] = sqn;
	/* after the resync no SQN repeats across the nodes */
	for (i = 0; i < 60; i++) {
		GBA_ASSERT_ERR(bsf_hss_av(i % 2 ? a : b, id, &av, &sqn),
			       GBA_OK);
		CU_ASSERT((sqn >> 5) < DELTA);
		CU_ASSERT(!seen(sqns, n, sqn));
		sqns[n++] = sqn;
	}
	gba_cleanse(&av, sizeof(av));
	bsf_hss_close(a);
	bsf_hss_close(b);
	bsf_store_close(st1);
	bsf_store_close(st2);
}

int main(void)
{
	CU_TestInfo tests[] = {
		{"two AuCs, one shared store, a resync on one of them",
		 test_two_nodes_resync},
		CU_TEST_INFO_NULL,
	};

	uri = gba_test_store_uri();
	if (uri == NULL) {
		printf("test_hss_shared: skipped (needs GBA_TEST_STORE_URI,"
		       " see tests/e2e/store_unit_pg.sh)\n");
		return 77;
	}
	return gba_test_run("hss on a shared store", tests);
}
