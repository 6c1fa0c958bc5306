/* see gba_test.h */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/Basic.h>
#include "gba/hex.h"
#include "gba/milenage.h"
#include "gba/sqn.h"
#include "gba_test.h"
#include "vecfile.h"

static void dump(const char *tag, const uint8_t *b, size_t n)
{
	size_t i;

	fprintf(stderr, "    %s: ", tag);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%02x", b[i]);
	fputc('\n', stderr);
}

int gba_test_hex_eq(const uint8_t *got, const uint8_t *exp, size_t n,
		    const char *what, const char *file, int line)
{
	if (memcmp(got, exp, n) == 0)
		return 1;
	fprintf(stderr, "\n  %s:%d: %s differs\n", file, line, what);
	dump("got", got, n);
	dump("exp", exp, n);
	return 0;
}

int gba_test_hex_is(const uint8_t *got, const char *hex, const char *what,
		    const char *file, int line)
{
	uint8_t exp[512];
	size_t n = gba_test_unhex(hex, exp, sizeof(exp));

	return gba_test_hex_eq(got, exp, n, what, file, line);
}

int gba_test_err_eq(int got, int exp, const char *what, const char *file,
		    int line)
{
	if (got == exp)
		return 1;
	fprintf(stderr, "\n  %s:%d: %s = %s (%d), expected %s (%d)\n", file,
		line, what, gba_err_name(got), got, gba_err_name(exp), exp);
	return 0;
}

size_t gba_test_unhex(const char *hex, uint8_t *buf, size_t cap)
{
	size_t n;

	if (gba_hex_decode(hex, strlen(hex), buf, cap, &n) != GBA_OK) {
		fprintf(stderr, "bad hex literal in test: %s\n", hex);
		exit(2);
	}
	return n;
}

void gba_test_set1(const uint8_t rand[16], uint64_t sqn, const uint8_t amf[2],
		   unsigned which, uint8_t sqn_b[6],
		   struct gba_milenage_out *m)
{
	uint8_t k[16], opc[16];

	gba_test_unhex("465b5ce8b199b49faa5f0a2ee238a6bc", k, 16);
	gba_test_unhex("cd63cb71954a9f4e48a5994e37a02baf", opc, 16);
	gba_sqn_to_bytes(sqn, sqn_b);
	CU_ASSERT_FATAL(gba_milenage(k, opc, rand, sqn_b, amf, which, m) ==
			GBA_OK);
}

void gba_test_auts_set1(const uint8_t rand[16], uint64_t sqn_ms,
			uint8_t auts[14])
{
	static const uint8_t amf0[2] = {0, 0};
	uint8_t sqn_b[6];
	struct gba_milenage_out m;
	int i;

	gba_test_set1(rand, sqn_ms, amf0, GBA_MILENAGE_F1 | GBA_MILENAGE_F5S,
		      sqn_b, &m);
	for (i = 0; i < 6; i++)
		auts[i] = sqn_b[i] ^ m.ak_s[i];
	memcpy(auts + 6, m.mac_s, 8);
}

const char *gba_test_vector_path(const char *name)
{
	static char path[1024];

	snprintf(path, sizeof(path), "%s/%s", GBA_VECTORS_DIR, name);
	return path;
}

int gba_test_vec_sets(const char *name,
		      int (*check)(const struct vec_set *s, void *arg),
		      void *arg)
{
	struct vec_reader r;
	struct vec_set s;
	int n = 0, rc;

	CU_ASSERT_FATAL(vec_open(&r, gba_test_vector_path(name)) == 0);
	while ((rc = vec_next(&r, &s)) == 1)
		n += check(&s, arg);
	CU_ASSERT_EQUAL(rc, 0);
	vec_close(&r);
	return n;
}

void gba_test_vec_need(const struct vec_set *s, ...)
{
	const struct vec_field **f;
	const char *key;
	int all = 1;
	va_list ap;

	va_start(ap, s);
	while ((key = va_arg(ap, const char *)) != NULL) {
		f = va_arg(ap, const struct vec_field **);
		*f = vec_get(s, key);
		if (*f == NULL) {
			fprintf(stderr, "set %u: no field '%s'\n", s->number,
				key);
			all = 0;
		}
	}
	va_end(ap);
	CU_ASSERT_FATAL(all);
}

uint32_t gba_test_xorshift32(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

void gba_test_shuffled(size_t *ord, size_t n, uint32_t *state)
{
	size_t i;

	for (i = 0; i < n; i++)
		ord[i] = i;
	for (i = n; i > 1; i--) {
		size_t j = gba_test_xorshift32(state) % i, x = ord[i - 1];

		ord[i - 1] = ord[j];
		ord[j] = x;
	}
}

const char *gba_test_store_uri(void)
{
	const char *uri = getenv("GBA_TEST_STORE_URI");

	return uri != NULL && uri[0] != '\0' ? uri : NULL;
}

int gba_test_run(const char *suite, CU_TestInfo *tests)
{
	CU_SuiteInfo suites[] = {
		{ suite, NULL, NULL, NULL, NULL, tests },
		CU_SUITE_INFO_NULL,
	};
	unsigned failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	if (CU_register_suites(suites) != CUE_SUCCESS) {
		CU_cleanup_registry();
		return 2;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}

void gba_test_tmpdir(char *dir, size_t cap, const char *prefix)
{
	int n = snprintf(dir, cap, "/tmp/%s.XXXXXX", prefix);

	if (n < 0 || (size_t)n >= cap || !mkdtemp(dir)) {
		fprintf(stderr, "gba_test_tmpdir: cannot make /tmp/%s.*\n",
			prefix);
		exit(2);
	}
}

void gba_test_rmtree(const char *dir)
{
	char p[512];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) <
		    (int)sizeof(p))
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}
