/*
 * SQN management (TS 33.102 Annex C).  Expected values are plain
 * arithmetic on SEQ || IND written out by hand in each comment.
 */
#include <string.h>
#include "gba/sqn.h"
#include "gba_test.h"

static uint64_t mk(uint64_t seq, unsigned ind)
{
	uint64_t s = 0;

	CU_ASSERT_EQUAL_FATAL(gba_sqn_make(seq, ind, 5, &s), GBA_OK);
	return s;
}

static void test_make_split(void)
{
	uint64_t s = 1;
	uint8_t b[6];

	/* 3 << 5 | 7 = 0x67 */
	GBA_ASSERT_ERR(gba_sqn_make(3, 7, 5, &s), GBA_OK);
	CU_ASSERT_EQUAL(s, 0x67);
	CU_ASSERT_EQUAL(gba_sqn_seq(0x67, 5), 3);
	CU_ASSERT_EQUAL(gba_sqn_ind(0x67, 5), 7);
	/* largest: SEQ 2^43 - 1, IND 31 -> 2^48 - 1 */
	GBA_ASSERT_ERR(gba_sqn_make((UINT64_C(1) << 43) - 1, 31, 5, &s),
		       GBA_OK);
	CU_ASSERT_EQUAL(s, GBA_SQN_MAX);
	GBA_ASSERT_ERR(gba_sqn_make(UINT64_C(1) << 43, 0, 5, &s),
		       GBA_ERR_BAD_PARAM);
	CU_ASSERT_EQUAL(s, 0);
	GBA_ASSERT_ERR(gba_sqn_make(1, 32, 5, &s), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_sqn_make(1, 0, 6, &s), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_sqn_make(1, 1, 0, &s), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_sqn_make(5, 0, 0, &s), GBA_OK);
	CU_ASSERT_EQUAL(s, 5);
	CU_ASSERT_EQUAL(gba_sqn_seq(GBA_SQN_MAX + 1, 5), GBA_SQN_INVALID);
	CU_ASSERT_EQUAL(gba_sqn_seq(1, 6), GBA_SQN_INVALID);
	CU_ASSERT_EQUAL(gba_sqn_ind(1, 6), GBA_SQN_IND_INVALID);

	gba_sqn_to_bytes(UINT64_C(0x0123456789ab), b);
	GBA_ASSERT_HEX_EQ(b, (const uint8_t *)"\x01\x23\x45\x67\x89\xab", 6);
	CU_ASSERT_EQUAL(
		gba_sqn_from_bytes((const uint8_t *)"\xff\x9b\xb4\xd0\xb6\x07"),
		UINT64_C(0xff9bb4d0b607));
}

static void test_policy_init(void)
{
	struct gba_sqn_policy pol;
	struct gba_sqn_ms ms;

	gba_sqn_policy_default(&pol);
	CU_ASSERT_EQUAL(pol.ind_bits, 5);
	CU_ASSERT_EQUAL(pol.delta, UINT64_C(1) << 28);
	CU_ASSERT_EQUAL(pol.l, 0);
	GBA_ASSERT_ERR(gba_sqn_ms_init(&ms, &pol), GBA_OK);
	CU_ASSERT_EQUAL(gba_sqn_ms_highest(&ms), 0);
	pol.ind_bits = 6;
	GBA_ASSERT_ERR(gba_sqn_ms_init(&ms, &pol), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_sqn_ms_init(&ms, NULL), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(gba_sqn_ms_init(NULL, &pol), GBA_ERR_BAD_PARAM);
}

/* C.2.2: per-slot freshness; IND slots are independent. */
static void test_slots(void)
{
	struct gba_sqn_policy pol;
	struct gba_sqn_ms ms;

	gba_sqn_policy_default(&pol);
	GBA_ASSERT_ERR(gba_sqn_ms_init(&ms, &pol), GBA_OK);
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, mk(10, 3)), GBA_OK);
	gba_sqn_ms_accept(&ms, mk(10, 3));
	/* SQN_MS = 10 << 5 | 3 = 0x143 */
	CU_ASSERT_EQUAL(gba_sqn_ms_highest(&ms), 0x143);
	/* replay and older SEQ in the same slot */
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, mk(10, 3)), GBA_ERR_SYNC);
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, mk(9, 3)), GBA_ERR_SYNC);
	/* an older SEQ is still fresh in an unused slot (L off) */
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, mk(5, 4)), GBA_OK);
	gba_sqn_ms_accept(&ms, mk(5, 4));
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, mk(5, 4)), GBA_ERR_SYNC);
	/* the highest stays slot 3 */
	CU_ASSERT_EQUAL(gba_sqn_ms_highest(&ms), 0x143);
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, mk(11, 3)), GBA_OK);
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, GBA_SQN_MAX + 1),
		       GBA_ERR_BAD_PARAM);
	/* accept is monotone: a lower SEQ does not lower the slot */
	gba_sqn_ms_accept(&ms, mk(2, 3));
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, mk(10, 3)), GBA_ERR_SYNC);
	CU_ASSERT_EQUAL(gba_sqn_ms_highest(&ms), 0x143);
	/* a new highest in another slot moves IND_MS: 12 << 5 | 31 = 0x19f */
	gba_sqn_ms_accept(&ms, mk(12, 31));
	CU_ASSERT_EQUAL(gba_sqn_ms_highest(&ms), 0x19f);
}

/* C.2: SEQ - SEQ_MS <= Delta, SEQ_MS the highest in any slot. */
static void test_delta(void)
{
	struct gba_sqn_policy pol = {5, 100, 0};
	struct gba_sqn_ms ms;

	GBA_ASSERT_ERR(gba_sqn_ms_init(&ms, &pol), GBA_OK);
	/* from zero: SEQ 100 is at the limit, 101 beyond */
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, mk(100, 0)), GBA_OK);
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, mk(101, 0)), GBA_ERR_SYNC);
	gba_sqn_ms_accept(&ms, mk(50, 1));
	/* the limit is against the highest SEQ, in any slot */
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, mk(150, 2)), GBA_OK);
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, mk(151, 2)), GBA_ERR_SYNC);
	/* default Delta 2^28 */
	gba_sqn_policy_default(&pol);
	GBA_ASSERT_ERR(gba_sqn_ms_init(&ms, &pol), GBA_OK);
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, mk(UINT64_C(1) << 28, 0)), GBA_OK);
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, mk((UINT64_C(1) << 28) + 1, 0)),
		       GBA_ERR_SYNC);
	/* Delta 0 disables the check */
	pol.delta = 0;
	GBA_ASSERT_ERR(gba_sqn_ms_init(&ms, &pol), GBA_OK);
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, GBA_SQN_MAX), GBA_OK);
}

/* C.2: optional age limit SEQ_MS - SEQ < L. */
static void test_age_limit(void)
{
	struct gba_sqn_policy pol = {5, 0, 5};
	struct gba_sqn_ms ms;

	GBA_ASSERT_ERR(gba_sqn_ms_init(&ms, &pol), GBA_OK);
	gba_sqn_ms_accept(&ms, mk(10, 0));
	/* 10 - 5 = 5 >= L: too old; 10 - 6 = 4 < L: accepted */
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, mk(5, 1)), GBA_ERR_SYNC);
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, mk(6, 1)), GBA_OK);
}

/* ind_bits = 0: one slot, SQN = SEQ. */
static void test_no_ind(void)
{
	struct gba_sqn_policy pol = {0, 0, 0};
	struct gba_sqn_ms ms;

	GBA_ASSERT_ERR(gba_sqn_ms_init(&ms, &pol), GBA_OK);
	gba_sqn_ms_accept(&ms, 1000);
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, 999), GBA_ERR_SYNC);
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, 1001), GBA_OK);
	CU_ASSERT_EQUAL(gba_sqn_ms_highest(&ms), 1000);
}

static void test_he_next(void)
{
	uint64_t seq_he = 0, sqn = 1;

	/* SEQ_HE 0 -> 1; SQN = 1 << 5 | 7 = 0x27 */
	GBA_ASSERT_ERR(gba_sqn_he_next(&seq_he, 7, 5, &sqn), GBA_OK);
	CU_ASSERT_EQUAL(seq_he, 1);
	CU_ASSERT_EQUAL(sqn, 0x27);
	GBA_ASSERT_ERR(gba_sqn_he_next(&seq_he, 32, 5, &sqn),
		       GBA_ERR_BAD_PARAM);
	CU_ASSERT_EQUAL(seq_he, 1);
	CU_ASSERT_EQUAL(sqn, 0);
	seq_he = (UINT64_C(1) << 43) - 2;
	GBA_ASSERT_ERR(gba_sqn_he_next(&seq_he, 31, 5, &sqn), GBA_OK);
	CU_ASSERT_EQUAL(sqn, GBA_SQN_MAX);
	GBA_ASSERT_ERR(gba_sqn_he_next(&seq_he, 0, 5, &sqn),
		       GBA_ERR_SQN_EXHAUSTED);
	CU_ASSERT_EQUAL(seq_he, (UINT64_C(1) << 43) - 1);
}

/* 6.3.5: keep SEQ_HE if its next SEQ is acceptable, else SEQ_HE = SEQ_MS. */
static void test_he_resync(void)
{
	struct gba_sqn_policy pol = {5, 100, 0};
	uint64_t seq_he;

	/* HE behind the USIM: jump to SEQ_MS = 40 (SQN_MS = 40 << 5 | 2) */
	seq_he = 10;
	GBA_ASSERT_ERR(gba_sqn_he_resync_pol(&seq_he, mk(40, 2), &pol), GBA_OK);
	CU_ASSERT_EQUAL(seq_he, 40);
	/* HE ahead within Delta: next SEQ 140 - 40 = 100 <= Delta, kept */
	seq_he = 139;
	GBA_ASSERT_ERR(gba_sqn_he_resync_pol(&seq_he, mk(40, 2), &pol), GBA_OK);
	CU_ASSERT_EQUAL(seq_he, 139);
	/* HE too far ahead: next SEQ 141 - 40 > Delta, reset */
	seq_he = 140;
	GBA_ASSERT_ERR(gba_sqn_he_resync_pol(&seq_he, mk(40, 2), &pol), GBA_OK);
	CU_ASSERT_EQUAL(seq_he, 40);
	/* default-Delta wrapper */
	seq_he = 3;
	gba_sqn_he_resync(&seq_he, mk(40, 2), 5);
	CU_ASSERT_EQUAL(seq_he, 40);
	seq_he = 40 + (UINT64_C(1) << 28);
	gba_sqn_he_resync(&seq_he, mk(40, 2), 5);
	CU_ASSERT_EQUAL(seq_he, 40);
	seq_he = 41;
	gba_sqn_he_resync(&seq_he, mk(40, 2), 5);
	CU_ASSERT_EQUAL(seq_he, 41);
	/* bad input changes nothing */
	gba_sqn_he_resync(&seq_he, GBA_SQN_MAX + 1, 5);
	CU_ASSERT_EQUAL(seq_he, 41);
	pol.ind_bits = 6;
	GBA_ASSERT_ERR(gba_sqn_he_resync_pol(&seq_he, 0, &pol),
		       GBA_ERR_BAD_PARAM);
}

/* HE and USIM together: every SQN the HE issues after a resync is accepted. */
static void test_he_ms_together(void)
{
	struct gba_sqn_policy pol = {5, 100, 0};
	struct gba_sqn_ms ms;
	uint64_t seq_he = 500, sqn;

	GBA_ASSERT_ERR(gba_sqn_ms_init(&ms, &pol), GBA_OK);
	gba_sqn_ms_accept(&ms, mk(20, 9));
	GBA_ASSERT_ERR(gba_sqn_he_next(&seq_he, 1, 5, &sqn), GBA_OK);
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, sqn), GBA_ERR_SYNC); /* Delta */
	GBA_ASSERT_ERR(
		gba_sqn_he_resync_pol(&seq_he, gba_sqn_ms_highest(&ms), &pol),
		GBA_OK);
	GBA_ASSERT_ERR(gba_sqn_he_next(&seq_he, 1, 5, &sqn), GBA_OK);
	CU_ASSERT_EQUAL(sqn, mk(21, 1));
	GBA_ASSERT_ERR(gba_sqn_ms_check(&ms, sqn), GBA_OK);
}

/* The project's IND table (docs/sqn.md): distinct slots, all < 32. */
static void test_node_table(void)
{
	unsigned seen = 0;
	int n;

	for (n = 0; n < GBA_SQN_NODE_COUNT_; n++) {
		unsigned ind = gba_sqn_node_ind((enum gba_sqn_node)n);

		CU_ASSERT(ind < 32);
		CU_ASSERT_FALSE(seen & (1u << (ind & 31)));
		seen |= 1u << (ind & 31);
	}
	CU_ASSERT_EQUAL(gba_sqn_node_ind(GBA_SQN_NODE_BSF_PUSH), 4);
	CU_ASSERT_STRING_EQUAL(gba_sqn_node_name(GBA_SQN_NODE_BSF_PUSH),
			       "bsf-push");
	CU_ASSERT_EQUAL(gba_sqn_node_ind(GBA_SQN_NODE_COUNT_),
			GBA_SQN_IND_INVALID);
	CU_ASSERT_STRING_EQUAL(gba_sqn_node_name((enum gba_sqn_node)99),
			       "unknown");
}

GBA_TEST_MAIN("sqn",
	{"SEQ || IND make/split, octets", test_make_split},
	{"policy defaults, init", test_policy_init},
	{"IND slots (C.2.2)", test_slots},
	{"Delta wrap-around limit (C.2)", test_delta},
	{"L age limit (C.2)", test_age_limit},
	{"ind_bits 0", test_no_ind},
	{"HE next SQN", test_he_next},
	{"HE resync (6.3.5)", test_he_resync},
	{"HE and USIM together", test_he_ms_together},
	{"IND per node table", test_node_table})
