/*
 * The embedded HSS/AuC (bsf/src/hss.h): AVs against TS 35.208 data, SQN
 * per TS 33.102 Annex C with our own IND, SQN never repeated across
 * restarts and SIGKILL, resynchronisation with valid and invalid AUTS.
 *
 * Expected values come from TS 35.208 set 1 (vectors/milenage_ts35208.txt)
 * or are computed here with gba_milenage() (checked against TS 35.207/208
 * by test_milenage), never by the code under test.
 *
 * The backend under test: SQLite files in a temporary directory, or, with
 * GBA_TEST_STORE_URI set to a libpq URI, a PostgreSQL database whose
 * public schema is emptied before each test (tests/e2e/store_unit_pg.sh
 * starts a throwaway cluster and runs this program against it unchanged).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include "gba/crypto.h"
#include "gba/milenage.h"
#include "gba/sqn.h"
#include "bsf_fixture.h"
#include "gba_test.h"
#include "hss.h"
#include "store.h"

static char dir[64];
static char path[128];
static const char *pg_uri;

/* where the store is: the SQLite file or the PostgreSQL URI */
static const char *loc(void)
{
	return pg_uri ? pg_uri : path;
}

static void tmp_setup(void)
{
	gba_test_tmpdir(dir, sizeof(dir), "test_hss");
	snprintf(path, sizeof(path), "%s/store.db", dir);
	if (pg_uri)
		bsf_fixture_pg_reset(pg_uri);
}

static void tmp_cleanup(void)
{
	gba_test_rmtree(dir);
}

/* TS 35.208 set 1 */
#define S1_RAND "23553cbe9637a89d218ae64dae47bf35"
#define S1_SQN UINT64_C(0xff9bb4d0b607)

static void open_both(struct bsf_store **st, struct bsf_hss **h, unsigned ind,
		      uint32_t block)
{
	struct bsf_hss_cfg cfg;

	bsf_hss_cfg_default(&cfg);
	cfg.ind = ind;
	cfg.seq_block = block;
	GBA_ASSERT_ERR(bsf_store_open(loc(), BSF_STORE_CREATE, st), GBA_OK);
	CU_ASSERT_FATAL(*st != NULL);
	GBA_ASSERT_ERR(bsf_hss_open(*st, &cfg, h), GBA_OK);
	CU_ASSERT_FATAL(*h != NULL);
}

/* Push-NAF "n1" (n1.example, no NAF-Ids) associated with @sub; its id */
static int64_t add_naf_n1(struct bsf_store *st, int64_t sub)
{
	struct bsf_naf naf;
	int64_t naf_id = 0;

	memset(&naf, 0, sizeof(naf));
	snprintf(naf.name, sizeof(naf.name), "n1");
	snprintf(naf.cert_id, sizeof(naf.cert_id), "n1.example");
	GBA_ASSERT_ERR(bsf_store_naf_add(st, &naf, &naf_id), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_assoc_add(st, naf_id, sub), GBA_OK);
	return naf_id;
}

static void close_both(struct bsf_store *st, struct bsf_hss *h)
{
	bsf_hss_close(h);
	bsf_store_close(st);
}

/* Expected AUTN / XRES / CK / IK for (sqn, rand) via gba_milenage. */
static void expect_av(uint64_t sqn, const uint8_t rand_[16],
		      const uint8_t amf[2], const struct gba_av *av)
{
	uint8_t sqn_b[6], autn[16];
	struct gba_milenage_out m;
	int i;

	gba_test_set1(rand_, sqn, amf, GBA_MILENAGE_ALL, sqn_b, &m);
	for (i = 0; i < 6; i++)
		autn[i] = sqn_b[i] ^ m.ak[i];
	memcpy(autn + 6, amf, 2);
	memcpy(autn + 8, m.mac_a, 8);
	GBA_ASSERT_HEX_EQ(av->autn, autn, 16);
	GBA_ASSERT_HEX_EQ(av->ck, m.ck, 16);
	GBA_ASSERT_HEX_EQ(av->ik, m.ik, 16);
	CU_ASSERT_EQUAL(av->xres_len, 8);
	GBA_ASSERT_HEX_EQ(av->xres, m.res, 8);
}

/*
 * TS 35.208 set 1: SQN ff9bb4d0b607 = SEQ || IND 7 (5 IND bits), AMF b9b9.
 * AUTN = (SQN xor f5) || AMF || f1 = (ff9bb4d0b607 xor aa689c648370) ||
 * b9b9 || 4a9ffac354dfafb3; XRES f2, CK f3, IK f4 from the set.
 */
static void test_av_ts35208(void)
{
	struct bsf_store *st;
	struct bsf_hss *h;
	struct gba_av av;
	uint8_t rand_[16], exp[16], amf[2] = {0xb9, 0xb9};
	uint64_t sqn = 0, seq = S1_SQN >> 5;
	int64_t id;

	tmp_setup();
	open_both(&st, &h, 7, 256);
	/* added while the AuC runs: its window starts right above F */
	id = bsf_fixture_sub(st, "s1@ims.example", (seq - 1) << 5, "b9b9",
			     NULL);
	gba_test_unhex(S1_RAND, rand_, 16);
	GBA_ASSERT_ERR(bsf_hss_av_rand(h, id, rand_, &av, &sqn), GBA_OK);
	CU_ASSERT_EQUAL(sqn, S1_SQN);
	GBA_ASSERT_HEX_EQ(av.rand, rand_, 16);
	gba_test_unhex("55f328b43577b9b94a9ffac354dfafb3", exp, 16);
	GBA_ASSERT_HEX_EQ(av.autn, exp, 16);
	gba_test_unhex("a54211d5e3ba50bf", exp, 8);
	GBA_ASSERT_HEX_EQ(av.xres, exp, 8);
	gba_test_unhex("b40ba9a3c58b2a05bbf0d987b21bf8cb", exp, 16);
	GBA_ASSERT_HEX_EQ(av.ck, exp, 16);
	gba_test_unhex("f769bcd751044604127672711c6d3441", exp, 16);
	GBA_ASSERT_HEX_EQ(av.ik, exp, 16);
	/* the next one: SEQ + 1, same IND, fresh random RAND */
	GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
	CU_ASSERT_EQUAL(sqn, ((seq + 1) << 5) | 7);
	CU_ASSERT(memcmp(av.rand, rand_, 16) != 0);
	expect_av(sqn, av.rand, amf, &av);
	gba_cleanse(&av, sizeof(av));
	/* unknown subscriber */
	GBA_ASSERT_ERR(bsf_hss_av(h, id + 1, &av, &sqn), GBA_ERR_NOT_FOUND);
	CU_ASSERT_EQUAL(sqn, 0);
	close_both(st, h);
	tmp_cleanup();
}

/*
 * TS 35.233 set 1 (vectors/tuak_ts35233.txt): TUAK, K 128, MAC 64, RES 32
 * bits, CK/IK 128, 1 Keccak iteration; SQN 111111111111 = SEQ || IND 17.
 * AUTN = (SQN xor f5) || AMF || f1
 *      = (111111111111 xor 719f1e9b9054) || ffff || f9a54e6aeaa8618d.
 */
static void test_av_tuak_ts35233(void)
{
	struct bsf_store *st;
	struct bsf_hss *h;
	struct bsf_sub s;
	struct gba_av av;
	uint8_t rand_[16], exp[16];
	uint64_t sqn = 0, seq = UINT64_C(0x111111111111) >> 5;
	int64_t id = 0;

	tmp_setup();
	open_both(&st, &h, 17, 256);
	memset(&s, 0, sizeof(s));
	snprintf(s.impi, sizeof(s.impi), "tuak@ims.example");
	s.key.alg = GBA_ALG_TUAK;
	s.key.k_len = 16;
	gba_test_unhex("abababababababababababababababab", s.key.k, 16);
	gba_test_unhex("bd04d9530e87513c5d837ac2ad954623"
		       "a8e2330c115305a73eb45d1f40cccbff",
		       s.key.opc, 32);
	s.key.keccak_iterations = 1;
	s.key.res_len = 4;
	s.key.ck_len = 16;
	s.key.ik_len = 16;
	s.amf[0] = 0xff;
	s.amf[1] = 0xff;
	s.sqn = (seq - 1) << 5;
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, NULL, 0, &id), GBA_OK);
	bsf_sub_clear(&s);
	gba_test_unhex("42424242424242424242424242424242", rand_, 16);
	GBA_ASSERT_ERR(bsf_hss_av_rand(h, id, rand_, &av, &sqn), GBA_OK);
	CU_ASSERT_EQUAL(sqn, UINT64_C(0x111111111111));
	gba_test_unhex("608e0f8a8145fffff9a54e6aeaa8618d", exp, 16);
	GBA_ASSERT_HEX_EQ(av.autn, exp, 16);
	CU_ASSERT_EQUAL(av.xres_len, 4);
	gba_test_unhex("657acd64", exp, 4);
	GBA_ASSERT_HEX_EQ(av.xres, exp, 4);
	CU_ASSERT_EQUAL(av.ck_len, 16);
	gba_test_unhex("d71a1e5c6caffe986a26f783e5c78be1", exp, 16);
	GBA_ASSERT_HEX_EQ(av.ck, exp, 16);
	gba_test_unhex("be849fa2564f869aecee6f62d4337e72", exp, 16);
	GBA_ASSERT_HEX_EQ(av.ik, exp, 16);
	gba_cleanse(&av, sizeof(av));
	close_both(st, h);
	tmp_cleanup();
}

static void test_config(void)
{
	struct bsf_store *st;
	struct bsf_hss *h, *h2 = NULL;
	struct bsf_hss_cfg cfg;

	tmp_setup();
	open_both(&st, &h, 0, 16);
	if (bsf_store_sqn_shared(st)) {
		/* a shared store: one AuC per node, several on one store
		 * (docs/hss-store.md section 4) */
		GBA_ASSERT_ERR(bsf_hss_open(st, NULL, &h2), GBA_OK);
		bsf_hss_close(h2);
		h2 = NULL;
	} else {
		/* the run counter: one AuC per store */
		GBA_ASSERT_ERR(bsf_hss_open(st, NULL, &h2), GBA_ERR_STATE);
		CU_ASSERT_PTR_NULL(h2);
	}
	bsf_hss_close(h);
	bsf_hss_cfg_default(&cfg);
	cfg.ind = 32;
	GBA_ASSERT_ERR(bsf_hss_open(st, &cfg, &h2), GBA_ERR_BAD_PARAM);
	cfg.ind = 0;
	cfg.seq_block = 0;
	GBA_ASSERT_ERR(bsf_hss_open(st, &cfg, &h2), GBA_ERR_BAD_PARAM);
	/* the IND length is fixed once an AuC has run */
	bsf_hss_cfg_default(&cfg);
	cfg.ind_bits = 4;
	GBA_ASSERT_ERR(bsf_hss_open(st, &cfg, &h2), GBA_ERR_CONFIG);
	CU_ASSERT_PTR_NULL(h2);
	bsf_store_close(st);
	tmp_cleanup();
}

/* Many AVs, small block: strictly +1 SEQ each, IND fixed; restarts and
 * block size changes keep going upwards. */
static void test_sqn_monotonic(void)
{
	struct bsf_store *st;
	struct bsf_hss *h;
	struct gba_av av;
	uint64_t sqn = 0, last = 0;
	int64_t id;
	int i, round;
	static const uint32_t blocks[] = {16, 16, 64, 3, 3};

	tmp_setup();
	open_both(&st, &h, 5, blocks[0]);
	id = bsf_fixture_sub(st, "m@ims.example", 0, "0000", NULL);
	for (round = 0; round < 5; round++) {
		if (round) {
			close_both(st, h);
			open_both(&st, &h, 5, blocks[round]);
		}
		for (i = 0; i < 100; i++) {
			GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
			CU_ASSERT_EQUAL(sqn & 31, 5);
			if (i == 0 && round == 0)
				CU_ASSERT_EQUAL(sqn >> 5, 1);
			if (i)
				CU_ASSERT_EQUAL(sqn >> 5, (last >> 5) + 1);
			CU_ASSERT(sqn > last);
			last = sqn;
		}
	}
	gba_cleanse(&av, sizeof(av));
	close_both(st, h);
	tmp_cleanup();
}

/*
 * A child opens its own AuC on the store (sequence block @block), issues
 * AVs for @id (the first after a resync with @rand_/@auts when @auts is
 * set) and writes each SQN down a pipe.  The parent reads @want of them,
 * SIGKILLs the child mid-flight and reads what is left.  Returns how many
 * were read before the kill; the highest SQN seen is kept in *@max_seen.
 */
static unsigned long issue_and_kill(int64_t id, uint32_t block,
				    const uint8_t *rand_, const uint8_t *auts,
				    unsigned long want, uint64_t *max_seen)
{
	int fd[2], status;
	pid_t pid;
	unsigned long got = 0;
	uint64_t v;

	CU_ASSERT_FATAL(pipe(fd) == 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		struct bsf_store *cst;
		struct bsf_hss *ch;
		struct bsf_hss_cfg cfg;
		struct gba_av av;
		uint64_t s = 0;

		close(fd[0]);
		bsf_hss_cfg_default(&cfg);
		cfg.seq_block = block;
		if (bsf_store_open(loc(), 0, &cst) != GBA_OK ||
		    bsf_hss_open(cst, &cfg, &ch) != GBA_OK)
			_exit(3);
		if (bsf_hss_av(ch, id, &av, &s) != GBA_OK)
			_exit(4);
		if (auts &&
		    bsf_hss_resync(ch, id, rand_, auts, &av, &s) != GBA_OK)
			_exit(4);
		for (;;) {
			if (write(fd[1], &s, sizeof(s)) != sizeof(s))
				_exit(5);
			if (bsf_hss_av(ch, id, &av, &s) != GBA_OK)
				_exit(4);
		}
	}
	close(fd[1]);
	while (got < want && read(fd[0], &v, sizeof(v)) == sizeof(v)) {
		if (v > *max_seen)
			*max_seen = v;
		got++;
	}
	kill(pid, SIGKILL);
	while (read(fd[0], &v, sizeof(v)) == sizeof(v))
		if (v > *max_seen)
			*max_seen = v;
	close(fd[0]);
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	return got;
}

/* Children issue AVs and report each SQN through a pipe; SIGKILL at an
 * arbitrary moment; the next AuC must start above everything reported. */
static void test_sqn_sigkill(void)
{
	static const uint32_t blocks[] = {1, 4, 256};
	struct bsf_store *st;
	struct bsf_hss *h;
	struct gba_av av;
	uint64_t sqn, max_seen = 0;
	int64_t id;
	size_t round;

	tmp_setup();
	open_both(&st, &h, 0, 8);
	id = bsf_fixture_sub(st, "k@ims.example", 0, "0000", NULL);
	close_both(st, h);
	for (round = 0; round < 6; round++) {
		/* a varying number, then kill mid-flight */
		unsigned long got = issue_and_kill(id, blocks[round % 3], NULL,
						   NULL, 50 + 97 * round,
						   &max_seen);

		CU_ASSERT(got >= 50);
		/* restart: the first SQN is above all the child reported */
		open_both(&st, &h, 0, 8);
		GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
		CU_ASSERT(sqn > max_seen);
		if (sqn > max_seen)
			max_seen = sqn;
		close_both(st, h);
	}
	gba_cleanse(&av, sizeof(av));
	tmp_cleanup();
}

static void test_resync(void)
{
	struct bsf_store *st;
	struct bsf_hss *h;
	struct gba_av av;
	uint8_t rand_[16], auts[14], amf[2] = {0x80, 0x00};
	uint64_t sqn = 0, before, sqn_ms;
	int64_t id;

	tmp_setup();
	open_both(&st, &h, 2, 32);
	id = bsf_fixture_sub(st, "r@ims.example", 0, "8000", NULL);
	GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &before), GBA_OK);
	memcpy(rand_, av.rand, 16);

	/* USIM far ahead (another AuC, IND 9): SEQ_MS = 1000000 */
	sqn_ms = (UINT64_C(1000000) << 5) | 9;
	gba_test_auts_set1(rand_, sqn_ms, auts);
	/* a corrupted MAC-S changes nothing */
	auts[13] ^= 0x01;
	GBA_ASSERT_ERR(bsf_hss_resync(h, id, rand_, auts, &av, &sqn),
		       GBA_ERR_MAC);
	CU_ASSERT_EQUAL(sqn, 0);
	GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
	CU_ASSERT_EQUAL(sqn, before + 32); /* next SEQ, IND 2 */
	before = sqn;
	/* wrong RAND: AK* and MAC-S differ */
	auts[13] ^= 0x01;
	rand_[0] ^= 0xff;
	GBA_ASSERT_ERR(bsf_hss_resync(h, id, rand_, auts, &av, &sqn),
		       GBA_ERR_MAC);
	rand_[0] ^= 0xff;
	/* valid: SEQ_HE = SEQ_MS, fresh AV at SEQ_MS + 1 in our slot */
	GBA_ASSERT_ERR(bsf_hss_resync(h, id, rand_, auts, &av, &sqn), GBA_OK);
	CU_ASSERT_EQUAL(sqn, (UINT64_C(1000001) << 5) | 2);
	expect_av(sqn, av.rand, amf, &av);
	CU_ASSERT(memcmp(av.rand, rand_, 16) != 0);
	/* persisted: after a restart the next SQN is above SEQ_MS */
	close_both(st, h);
	open_both(&st, &h, 2, 32);
	GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
	CU_ASSERT(sqn > ((UINT64_C(1000001) << 5) | 2));
	before = sqn;
	/* a USIM behind us: SEQ_HE stays (max), the AV is still fresh */
	gba_test_auts_set1(rand_, UINT64_C(5) << 5, auts);
	GBA_ASSERT_ERR(bsf_hss_resync(h, id, rand_, auts, &av, &sqn), GBA_OK);
	CU_ASSERT_EQUAL(sqn, before + 32);
	gba_cleanse(&av, sizeof(av));
	close_both(st, h);
	tmp_cleanup();
}

/* TS 33.102 Annex C USIM rule, written out here (Delta = 2^28, the
 * project's value, L off): accept SEQ in slot IND iff SEQ > SEQ_MS(IND)
 * and SEQ - SEQ_MS <= Delta, SEQ_MS the highest of the array. */
#define DELTA (UINT64_C(1) << 28)

struct usim {
	uint64_t slot[32];
	uint64_t top;
};

static int usim_take(struct usim *u, uint64_t sqn)
{
	uint64_t seq = sqn >> 5;
	unsigned ind = (unsigned)(sqn & 31);

	if (seq <= u->slot[ind] || (seq > u->top && seq - u->top > DELTA))
		return 0;
	u->slot[ind] = seq;
	if (seq > u->top)
		u->top = seq;
	return 1;
}

/*
 * Issue 11 part 1: a USIM more than Delta behind the HE recovers with ONE
 * resync.  The subscriber is provisioned at SEQ 2^28 + 1000 while its
 * USIM is at 0: the first AV fails the USIM's Delta check; the AUTS
 * (SQN_MS = 0) must move SEQ_HE DOWN to 0 (TS 33.102 6.3.5), so the AV of
 * the resync is SEQ 1 and is accepted, and so are the following ones.
 * The lowering is durable: after a restart the next AV is within one
 * block or two of SEQ_MS, not back above 2^28.  B = 16 and 12 AVs before
 * the resync: the background reserver has written a window ahead, which
 * the resync must replace, not let stand.
 */
static void test_resync_lowers(void)
{
	struct bsf_store *st;
	struct bsf_hss *h;
	struct bsf_hss_stats hs;
	struct gba_av av;
	struct usim u;
	struct timespec pause = {0, 3 * 1000 * 1000};
	uint8_t rand_[16], auts[14];
	uint64_t sqn = 0, seq0 = DELTA + 1000, last;
	int64_t id;
	int i;

	memset(&u, 0, sizeof(u));
	tmp_setup();
	open_both(&st, &h, 4, 16);
	id = bsf_fixture_sub(st, "lo@ims.example", seq0 << 5, "0000", NULL);
	for (i = 0; i < 12; i++) {
		GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
		CU_ASSERT_EQUAL(sqn >> 5, seq0 + 1 + (uint64_t)i);
		CU_ASSERT_EQUAL(usim_take(&u, sqn), 0); /* Delta exceeded */
		nanosleep(&pause, NULL);
	}
	/* a window was reserved ahead (wait for its commit: up to 5 s);
	 * a shared store reserves every window synchronously */
	for (i = 0; i < 1000 && !bsf_store_sqn_shared(st); i++) {
		bsf_hss_stats(h, &hs);
		if (hs.reserve_ahead >= 1)
			break;
		nanosleep(&pause, NULL);
	}
	CU_ASSERT(bsf_store_sqn_shared(st) || hs.reserve_ahead >= 1);
	memcpy(rand_, av.rand, 16);
	gba_test_auts_set1(rand_, 0, auts); /* SQN_MS = 0: SEQ_MS 0, IND_MS 0 */
	GBA_ASSERT_ERR(bsf_hss_resync(h, id, rand_, auts, &av, &sqn), GBA_OK);
	CU_ASSERT_EQUAL(sqn, (UINT64_C(1) << 5) | 4);
	CU_ASSERT_EQUAL(usim_take(&u, sqn), 1);
	bsf_hss_stats(h, &hs);
	CU_ASSERT_EQUAL(hs.resync_lowered, 1);
	last = sqn;
	for (i = 0; i < 40; i++) { /* crosses two more windows of 16 */
		GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
		CU_ASSERT_EQUAL(sqn, last + 32);
		CU_ASSERT_EQUAL(usim_take(&u, sqn), 1);
		last = sqn;
		nanosleep(&pause, NULL);
	}
	/* restart (the durable state is what a kill -9 leaves too) */
	close_both(st, h);
	open_both(&st, &h, 4, 16);
	GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
	CU_ASSERT(sqn > last);
	CU_ASSERT((sqn >> 5) <= (last >> 5) + 3 * 16);
	CU_ASSERT_EQUAL(usim_take(&u, sqn), 1);
	gba_cleanse(&av, sizeof(av));
	close_both(st, h);
	tmp_cleanup();
}

/*
 * The same through SIGKILL: a child lowers SEQ_HE by a resync, issues AVs
 * and reports each SQN, and is killed.  The next AuC's first SQN is above
 * every SQN the child issued after its resync and within Delta of the
 * USIM (so no second resync is needed).
 */
static void test_resync_lowers_sigkill(void)
{
	struct bsf_store *st;
	struct bsf_hss *h;
	struct gba_av av;
	uint8_t rand_[16], auts[14];
	uint64_t sqn, max_seen = 0, seq0 = DELTA + 5;
	int64_t id;
	unsigned long got;

	tmp_setup();
	open_both(&st, &h, 4, 8);
	id = bsf_fixture_sub(st, "lk@ims.example", seq0 << 5, "0000", NULL);
	close_both(st, h);
	memset(rand_, 0x5a, sizeof(rand_));
	gba_test_auts_set1(rand_, 0, auts);
	got = issue_and_kill(id, 8, rand_, auts, 300, &max_seen);
	CU_ASSERT(got >= 300);
	CU_ASSERT((max_seen >> 5) < DELTA); /* the child did lower SEQ_HE */
	open_both(&st, &h, 4, 8);
	GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
	CU_ASSERT(sqn > max_seen);
	CU_ASSERT((sqn >> 5) <= DELTA); /* the USIM (SEQ_MS >= 0) accepts */
	gba_cleanse(&av, sizeof(av));
	close_both(st, h);
	tmp_cleanup();
}

/*
 * Opening the AuC does not consume a SEQ window: only the first AV of a
 * run increments the run counter.  Three opens without an AV (a daemon
 * that failed to start, or served nothing), then the first AV of a
 * subscriber provisioned at SEQ 0 before any AuC ran is SEQ B + 1 (the
 * window of run 1), not 4 B + 1.  On a shared store there is no run
 * counter: the subscriber's first window (SEQ 1..B) is reserved by its
 * first AV, so SEQ 1, and the next AuC's first window starts above the
 * lost one, SEQ B + 1.
 */
static void test_open_consumes_nothing(void)
{
	struct bsf_store *st;
	struct bsf_hss *h;
	struct gba_av av;
	uint64_t sqn = 0;
	int64_t id;
	int i;
	uint64_t first = 16 + 1; /* window of run 1 */

	tmp_setup();
	GBA_ASSERT_ERR(bsf_store_open(loc(), BSF_STORE_CREATE, &st), GBA_OK);
	if (bsf_store_sqn_shared(st))
		first = 1; /* the subscriber's first window */
	id = bsf_fixture_sub(st, "oc@ims.example", 0, "0000", NULL);
	bsf_store_close(st);
	for (i = 0; i < 3; i++) {
		open_both(&st, &h, 4, 16);
		close_both(st, h);
	}
	open_both(&st, &h, 4, 16);
	GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
	CU_ASSERT_EQUAL(sqn, (first << 5) | 4);
	close_both(st, h);
	/* with an AV the run does count: the next run starts one block up */
	open_both(&st, &h, 4, 16);
	GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
	CU_ASSERT_EQUAL(sqn, ((first + 16) << 5) | 4);
	gba_cleanse(&av, sizeof(av));
	close_both(st, h);
	tmp_cleanup();
}

static uint64_t fake_us;
static uint64_t fake_now(void)
{
	return fake_us;
}

/* an AV for rl@ims.example through the GPI path (for @naf) that the rate
 * limit refuses, taking no SQN: its Retry-After, seconds */
static unsigned refused_retry_after(struct bsf_hss *h, int64_t naf)
{
	struct bsf_ue ue;
	struct bsf_hss_key key;
	struct gba_av av;
	uint64_t sqn = 0;
	unsigned ra;

	memset(&ue, 0, sizeof(ue));
	GBA_ASSERT_ERR(bsf_hss_ue_lookup(h, naf, "rl@ims.example", 14,
					 BSF_ID_PRIVATE, BSF_GBA_NO_USS, &ue,
					 &key),
		       GBA_OK);
	GBA_ASSERT_ERR(bsf_hss_av_key(h, &key, &av, &sqn), GBA_ERR_RATE_LIMIT);
	CU_ASSERT_EQUAL(sqn, 0);
	ra = key.retry_after;
	bsf_hss_key_clear(&key);
	bsf_gba_params_clear(&ue.params);
	return ra;
}

/*
 * Per-subscriber AV rate: 60 per minute with a burst of 3.  Three AVs at
 * once pass, the fourth is refused with Retry-After 1 s and consumes no
 * SQN (the next one is SEQ + 1); one second later one more passes.  The
 * limit is per subscriber: another one is not affected.  At 6 per minute
 * and burst 1 the wait is 10 s.  Resyncs count as AVs.
 */
static void test_rate(void)
{
	struct bsf_store *st;
	struct bsf_hss *h;
	struct bsf_hss_cfg cfg;
	struct bsf_hss_stats hs;
	struct gba_av av;
	uint8_t auts[14], rnd[16];
	uint64_t sqn = 0, last = 0;
	int64_t id, id2, naf = 0;
	int i;

	tmp_setup();
	GBA_ASSERT_ERR(bsf_store_open(loc(), BSF_STORE_CREATE, &st), GBA_OK);
	bsf_hss_cfg_default(&cfg);
	cfg.ue_rate = 60;
	cfg.ue_burst = 3;
	cfg.now_us = fake_now;
	fake_us = UINT64_C(5000000000);
	GBA_ASSERT_ERR(bsf_hss_open(st, &cfg, &h), GBA_OK);
	id = bsf_fixture_sub(st, "rl@ims.example", 0, "0000", NULL);
	id2 = bsf_fixture_sub(st, "rl2@ims.example", 0, "0000", NULL);
	naf = add_naf_n1(st, id);
	for (i = 0; i < 3; i++) {
		GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
		last = sqn;
	}
	/* through the GPI path, to see Retry-After */
	CU_ASSERT_EQUAL(refused_retry_after(h, naf), 1);
	GBA_ASSERT_ERR(bsf_hss_av(h, id2, &av, &sqn), GBA_OK);
	fake_us += 999999;
	GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_ERR_RATE_LIMIT);
	fake_us += 1;
	GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
	CU_ASSERT_EQUAL(sqn, last + 32); /* the refused ones took nothing */
	/* a resync is an AV too */
	memcpy(rnd, av.rand, 16);
	gba_test_auts_set1(rnd, 0, auts);
	GBA_ASSERT_ERR(bsf_hss_resync(h, id, rnd, auts, &av, &sqn),
		       GBA_ERR_RATE_LIMIT);
	bsf_hss_stats(h, &hs);
	CU_ASSERT_EQUAL(hs.rate_refused, 3);
	bsf_hss_close(h);

	cfg.ue_rate = 6;
	cfg.ue_burst = 1;
	GBA_ASSERT_ERR(bsf_hss_open(st, &cfg, &h), GBA_OK);
	GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
	CU_ASSERT_EQUAL(refused_retry_after(h, naf), 10);
	fake_us += 10000000;
	GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
	/* 0 = off */
	bsf_hss_close(h);
	cfg.ue_rate = 0;
	GBA_ASSERT_ERR(bsf_hss_open(st, &cfg, &h), GBA_OK);
	for (i = 0; i < 50; i++)
		GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
	cfg.ue_rate = 60000001;
	bsf_hss_close(h);
	h = NULL;
	GBA_ASSERT_ERR(bsf_hss_open(st, &cfg, &h), GBA_ERR_BAD_PARAM);
	gba_cleanse(&av, sizeof(av));
	bsf_store_close(st);
	tmp_cleanup();
}

/* The default IND is GBA Push's own slot, 4 (docs/sqn.md table). */
static void test_default_ind(void)
{
	struct bsf_hss_cfg cfg;

	bsf_hss_cfg_default(&cfg);
	CU_ASSERT_EQUAL(cfg.ind, 4);
	CU_ASSERT_EQUAL(cfg.ind_bits, 5);
	CU_ASSERT_EQUAL(cfg.ue_rate, 0);
}

#define THREADS 4
#define PER_THREAD 300

struct thr {
	struct bsf_hss *h;
	int64_t ids[2];
	uint64_t sqn[PER_THREAD];
	int64_t who[PER_THREAD];
	int err;
};

static void *thr_main(void *arg)
{
	struct thr *t = arg;
	struct gba_av av;
	int i;

	for (i = 0; i < PER_THREAD; i++) {
		t->who[i] = t->ids[i & 1];
		if (bsf_hss_av(t->h, t->who[i], &av, &t->sqn[i]) != GBA_OK)
			t->err++;
	}
	gba_cleanse(&av, sizeof(av));
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Concurrent AVs on shared subscribers: no SQN handed out twice. */
static void test_threads(void)
{
	static struct thr t[THREADS];
	static uint64_t all[2][THREADS * PER_THREAD];
	struct bsf_store *st;
	struct bsf_hss *h;
	pthread_t tid[THREADS];
	size_t n[2] = {0, 0}, i, j, k;
	int64_t a, b;

	tmp_setup();
	open_both(&st, &h, 0, 8);
	a = bsf_fixture_sub(st, "t1@ims.example", 0, "0000", NULL);
	b = bsf_fixture_sub(st, "t2@ims.example", 0, "0000", NULL);
	for (i = 0; i < THREADS; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].h = h;
		t[i].ids[0] = a;
		t[i].ids[1] = b;
		CU_ASSERT_FATAL(
			pthread_create(&tid[i], NULL, thr_main, &t[i]) == 0);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(tid[i], NULL);
		CU_ASSERT_EQUAL(t[i].err, 0);
		for (j = 0; j < PER_THREAD; j++) {
			k = t[i].who[j] == a ? 0 : 1;
			all[k][n[k]++] = t[i].sqn[j];
		}
	}
	for (k = 0; k < 2; k++) {
		qsort(all[k], n[k], sizeof(uint64_t), cmp_u64);
		for (i = 1; i < n[k]; i++)
			CU_ASSERT(all[k][i] == all[k][i - 1] + 32);
		CU_ASSERT_EQUAL(all[k][0], 32);
	}
	close_both(st, h);
	tmp_cleanup();
}

/*
 * The GPI path: lookup + key row in one transaction, then AVs from the
 * row.  Refusals leave the key row zeroed and consume no SQN; AVs from
 * bsf_hss_av_key() and bsf_hss_av() share one SEQ sequence; the AV from
 * the row is the TS 35.206 one for the subscriber's K/OPc (expect_av()).
 */
static void test_ue_lookup_key(void)
{
	static const uint8_t zero[sizeof(struct bsf_hss_key)];
	struct bsf_store *st;
	struct bsf_hss *h;
	struct bsf_ue ue;
	struct bsf_hss_key key;
	struct gba_av av;
	uint8_t amf[2] = {0, 0};
	uint64_t sqn = 0, first;
	int64_t id, other, naf_id = 0;

	tmp_setup();
	open_both(&st, &h, 3, 256);
	id = bsf_fixture_sub(st, "l@ims.example", 0, "0000", NULL);
	other = bsf_fixture_sub(st, "o@ims.example", 0, "0000", NULL);
	naf_id = add_naf_n1(st, id);

	/* unknown, and known but not associated: refused, nothing filled */
	memset(&key, 0xa5, sizeof(key));
	GBA_ASSERT_ERR(bsf_hss_ue_lookup(h, naf_id, "x@ims.example", 13,
					 BSF_ID_PRIVATE, 0, &ue, &key),
		       GBA_ERR_NOT_FOUND);
	CU_ASSERT(memcmp(&key, zero, sizeof(key)) == 0);
	memset(&key, 0xa5, sizeof(key));
	GBA_ASSERT_ERR(bsf_hss_ue_lookup(h, naf_id, "o@ims.example", 13,
					 BSF_ID_PRIVATE, 0, &ue, &key),
		       GBA_ERR_NOT_AUTHORIZED);
	CU_ASSERT(memcmp(&key, zero, sizeof(key)) == 0);
	(void)other;

	GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &first), GBA_OK);
	GBA_ASSERT_ERR(bsf_hss_ue_lookup(h, naf_id, "l@ims.example", 13,
					 BSF_ID_PRIVATE, 0, &ue, &key),
		       GBA_OK);
	CU_ASSERT_EQUAL(ue.sub_id, id);
	CU_ASSERT_STRING_EQUAL(ue.impi, "l@ims.example");
	CU_ASSERT_EQUAL(key.sub_id, id);
	GBA_ASSERT_ERR(bsf_hss_av_key(h, &key, &av, &sqn), GBA_OK);
	/* SEQ + 1 in IND slot 3 after the AV from bsf_hss_av() */
	CU_ASSERT_EQUAL(sqn, first + (1u << 5));
	CU_ASSERT_EQUAL(sqn & 31, 3);
	expect_av(sqn, av.rand, amf, &av);
	bsf_hss_key_clear(&key);
	CU_ASSERT(memcmp(&key, zero, sizeof(key)) == 0);
	bsf_gba_params_clear(&ue.params);
	GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
	CU_ASSERT_EQUAL(sqn, first + (2u << 5));
	/* a cleared row is refused, not used */
	GBA_ASSERT_ERR(bsf_hss_av_key(h, &key, &av, &sqn),
		       GBA_ERR_BAD_PARAM);
	gba_cleanse(&av, sizeof(av));
	close_both(st, h);
	tmp_cleanup();
}

/*
 * Reserve-ahead: with B = 16 and a pause after each AV (room for the
 * background commit), windows are reserved by the background reserver;
 * SEQ goes up by exactly one per AV across all of them, and a restart
 * starts above everything issued.
 */
static void test_reserve_ahead(void)
{
	struct bsf_store *st;
	struct bsf_hss *h;
	struct bsf_hss_stats hs;
	struct gba_av av;
	struct timespec pause = { 0, 3 * 1000 * 1000 };
	uint64_t sqn = 0, prev = 0;
	int64_t id;
	int i;

	tmp_setup();
	open_both(&st, &h, 0, 16);
	id = bsf_fixture_sub(st, "ra@ims.example", 0, "0000", NULL);
	for (i = 0; i < 100; i++) {
		GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
		if (i)
			CU_ASSERT_EQUAL(sqn, prev + (1u << 5));
		prev = sqn;
		nanosleep(&pause, NULL);
	}
	bsf_hss_stats(h, &hs);
	/* 100 AVs from a window of 16: 6 more windows were needed */
	CU_ASSERT(hs.reserve_ahead + hs.reserve_sync >= 6);
	if (!bsf_store_sqn_shared(st)) { /* no reserver on a shared store */
		CU_ASSERT(hs.reserve_ahead >= 3);
		CU_ASSERT(hs.reserve_ahead_commits >= 1);
	}
	/* restart with the same block: the next run starts above it all */
	close_both(st, h);
	open_both(&st, &h, 0, 16);
	GBA_ASSERT_ERR(bsf_hss_av(h, id, &av, &sqn), GBA_OK);
	CU_ASSERT(sqn > prev);
	gba_cleanse(&av, sizeof(av));
	close_both(st, h);
	tmp_cleanup();
}

int main(void)
{
	CU_TestInfo tests[] = {
		{"AV = TS 35.208 set 1", test_av_ts35208},
		{"AV = TS 35.233 set 1 (TUAK)", test_av_tuak_ts35233},
		{"configuration and single AuC", test_config},
		{"SQN monotonic over restarts and block changes",
		 test_sqn_monotonic},
		{"SQN never repeated after SIGKILL", test_sqn_sigkill},
		{"resynchronisation (valid / invalid AUTS)", test_resync},
		{"concurrent AVs", test_threads},
		{"GPI path: lookup + key row, AV from the row",
		 test_ue_lookup_key},
		{"reserve-ahead in the background", test_reserve_ahead},
		{"resync lowers SEQ_HE beyond Delta, durably",
		 test_resync_lowers},
		{"lowered SEQ_HE survives SIGKILL", test_resync_lowers_sigkill},
		{"opening the AuC consumes no SEQ window",
		 test_open_consumes_nothing},
		{"per-subscriber AV rate limit", test_rate},
		{"default IND: GBA Push slot", test_default_ind},
		CU_TEST_INFO_NULL,
	};

	pg_uri = gba_test_store_uri();
	return gba_test_run(pg_uri ? "hss (PostgreSQL)" : "hss", tests);
}
