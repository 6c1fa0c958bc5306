/*
 * gba_test.h - helpers shared by the CUnit suites (style.md C17).
 */
#ifndef GBA_TEST_H
#define GBA_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <CUnit/CUnit.h>
#include "gba/err.h"

/* Compare two byte strings; on mismatch print both sides in hex. */
#define GBA_ASSERT_HEX_EQ(got, exp, n)                                    \
	CU_ASSERT_TRUE(gba_test_hex_eq((got), (exp), (n), #got, __FILE__,  \
				       __LINE__))
/* Compare @got with the octets of the hex literal @hex (as many as @hex
 * holds); on mismatch print both sides in hex. */
#define GBA_ASSERT_HEX_STR(got, hex)                                      \
	CU_ASSERT_TRUE(gba_test_hex_is((got), (hex), #got, __FILE__,       \
				       __LINE__))
/* Compare an error code, printing names on mismatch. */
#define GBA_ASSERT_ERR(got, exp)                                          \
	CU_ASSERT_TRUE(gba_test_err_eq((got), (exp), #got, __FILE__,       \
				       __LINE__))

int gba_test_hex_eq(const uint8_t *got, const uint8_t *exp, size_t n,
		    const char *what, const char *file, int line);
int gba_test_hex_is(const uint8_t *got, const char *hex, const char *what,
		    const char *file, int line);
int gba_test_err_eq(int got, int exp, const char *what, const char *file,
		    int line);

/*
 * One row of a table-driven test: an input (hex octets for gba_test_unhex()
 * or text, as the suite says) and the gba_err the code under test must
 * give for it.
 */
struct gba_test_case_err {
	const char *in;
	int err;
};

/* Decode a hex literal into buf (aborts the test program on bad hex). */
size_t gba_test_unhex(const char *hex, uint8_t *buf, size_t cap);

/*
 * gba_test_tmpdir() - make a fresh directory /tmp/<prefix>.XXXXXX into
 * @dir (aborts the test program when it cannot).
 * gba_test_rmtree() - remove the files in @dir (one level: a store and its
 * -wal/-shm/-journal/lock siblings) and @dir itself.
 */
void gba_test_tmpdir(char *dir, size_t cap, const char *prefix);
void gba_test_rmtree(const char *dir);

/*
 * gba_test_set1() - Milenage (gba_milenage, functions @which) of TS 35.208
 * test set 1 (K, OPc) for @rand, @sqn (also returned as 6 octets in
 * @sqn_b) and @amf; gba_test_auts_set1() - the AUTS of that subscriber for
 * @rand and SQN_MS @sqn_ms: (SQN_MS xor AK*) || MAC-S, MAC-S =
 * f1*(K, SQN_MS, RAND, AMF 0000) (TS 33.102 6.3.3).  Expected values for
 * the BSF and UE tests, computed outside the code under test.
 */
struct gba_milenage_out;
void gba_test_set1(const uint8_t rand[16], uint64_t sqn, const uint8_t amf[2],
		   unsigned which, uint8_t sqn_b[6],
		   struct gba_milenage_out *m);
void gba_test_auts_set1(const uint8_t rand[16], uint64_t sqn_ms,
			uint8_t auts[14]);

/*
 * gba_test_xorshift32() - the next number of Marsaglia's xorshift32
 * generator (shifts 13, 17, 5) with state @state (nonzero): the suites'
 * reproducible pseudo-random inputs, each suite with its own seed.
 */
uint32_t gba_test_xorshift32(uint32_t *state);

/*
 * gba_test_shuffled() - @ord[0..n-1]: a permutation of 0..n-1 (Fisher-Yates
 * from the identity, j = gba_test_xorshift32(@state) % i): the segments of
 * a message in a random arrival order.
 */
void gba_test_shuffled(size_t *ord, size_t n, uint32_t *state);

/*
 * gba_test_store_uri() - the libpq URI in GBA_TEST_STORE_URI (the suites
 * that run on PostgreSQL, tests/e2e/store_unit_pg.sh), NULL when unset or
 * empty.
 */
const char *gba_test_store_uri(void);

/* Path of a file in vectors/ (static buffer). */
const char *gba_test_vector_path(const char *name);

/*
 * gba_test_vec_sets() - read vectors/@name (vectors/lib/vecfile.h) and call
 * @check(set, @arg) for each of its sets in order; assert (fatally) that
 * the file opens and that it is read to its end without a format error.
 * @check returns 1 for a set it checked, 0 for one it passed over.
 * Returns the number of sets checked, for the suite to compare with the
 * number the file should hold.
 */
struct vec_set;
struct vec_field;
int gba_test_vec_sets(const char *name,
		      int (*check)(const struct vec_set *s, void *arg),
		      void *arg);

/*
 * gba_test_vec_need() - the fields of set @s that the pairs after it name,
 * (const char *key, const struct vec_field **field) each, up to a NULL key:
 * *field = the field @key.  Asserts (fatally) that the set has them all;
 * the ones it lacks are named on stderr.
 */
void gba_test_vec_need(const struct vec_set *s, ...);

/*
 * Run one suite from a NULL-terminated CU_TestInfo array, basic interface,
 * verbose.  Returns the process exit code: 0 only if every assertion passed.
 */
int gba_test_run(const char *suite, CU_TestInfo *tests);

/*
 * GBA_TEST_MAIN(suite, ...) - the main() of a suite that needs no global
 * set-up: gba_test_run(@suite) over the CU_TestInfo rows given, {"name",
 * function} each; the CU_TEST_INFO_NULL end is added here.
 */
#define GBA_TEST_MAIN(suite, ...)                                         \
	int main(void)                                                     \
	{                                                                  \
		static CU_TestInfo tests_[] = {__VA_ARGS__,                \
					       CU_TEST_INFO_NULL};          \
		return gba_test_run((suite), tests_);                      \
	}

#endif
