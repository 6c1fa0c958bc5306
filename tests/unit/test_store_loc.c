/*
 * The printable form of a store location (bsf/src/store_loc.h): a libpq
 * URI or key=value conninfo with every password and sslpassword shown as
 * "***", a SQLite path as given.  Expected forms are written out here by
 * hand; libpq itself (PQconninfoParse) only decides, in the code under
 * test, what the string means.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>
#include "gba_test.h"
#include "store_loc.h"

/* the secrets of the cases below: never in any printable form */
static const char *const secrets[] = {"s3cret", "k3y", "a b"};

static void check(const char *loc, const char *want)
{
	char out[BSF_STORE_LOC_PRINT_MAX];
	size_t i;

	memset(out, 'x', sizeof(out));
	CU_ASSERT_PTR_EQUAL(bsf_store_loc_printable(loc, out, sizeof(out)),
			    out);
	if (strcmp(out, want) != 0)
		fprintf(stderr, "\n  %s\n  -> %s\n  want %s\n", loc, out, want);
	CU_ASSERT_STRING_EQUAL(out, want);
	for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
		CU_ASSERT_PTR_NULL(strstr(out, secrets[i]));
}

static void test_uri_userinfo(void)
{
	check("postgresql://bsf:s3cret@db.example/gba",
	      "postgresql://bsf:***@db.example/gba");
	check("postgres://bsf:s3cret@db1,db2:5433/gba?sslmode=verify-full",
	      "postgres://bsf:***@db1,db2:5433/gba?sslmode=verify-full");
	/* percent-encoded, and '?' and ':' inside the password (libpq's
	 * user info runs to the first '@' before any '/') */
	check("postgresql://bsf:s3cret%40x@db/gba",
	      "postgresql://bsf:***@db/gba");
	check("postgresql://bsf:s3?cr:et@db/gba", "postgresql://bsf:***@db/gba");
	/* no host: the socket directory as a parameter */
	check("postgresql://bsf:s3cret@/gba?host=/run/postgresql",
	      "postgresql://bsf:***@/gba?host=/run/postgresql");
}

static void test_uri_params(void)
{
	check("postgresql:///gba?host=/run/pg&password=s3cret&user=bsf",
	      "postgresql:///gba?host=/run/pg&password=***&user=bsf");
	/* libpq decodes parameter names: "pass%77ord" is "password" */
	check("postgresql://db/gba?pass%77ord=s3cret",
	      "postgresql://db/gba?pass%77ord=***");
	check("postgresql://db/gba?%70%61%73%73%77%6f%72%64=s3cret",
	      "postgresql://db/gba?%70%61%73%73%77%6f%72%64=***");
	/* the passphrase of the client key too, and both password forms */
	check("postgresql://u:s3cret@db/gba?sslpassword=k3y&password=s3cret2",
	      "postgresql://u:***@db/gba?sslpassword=***&password=***");
	check("postgresql://db/gba?sslmode=verify-full&password=s3cret%26x",
	      "postgresql://db/gba?sslmode=verify-full&password=***");
}

static void test_no_secret(void)
{
	/* printed exactly as given */
	check("postgresql://bsf@db.example/gba?sslmode=verify-full",
	      "postgresql://bsf@db.example/gba?sslmode=verify-full");
	check("postgresql:///gba?host=/tmp/x&user=gba",
	      "postgresql:///gba?host=/tmp/x&user=gba");
	check("postgresql://u:@db/gba", "postgresql://u:@db/gba");
	check("postgresql://db/gba?password=", "postgresql://db/gba?password=");
	check("postgresql://", "postgresql://");
	check("host=db user=bsf dbname=gba", "host=db user=bsf dbname=gba");
	/* SQLite paths */
	check("/var/lib/gba-bsf/store.db", "/var/lib/gba-bsf/store.db");
	check("/tmp/a=b.db", "/tmp/a=b.db");
	check("s.db", "s.db");
	check("", "");
	check(NULL, "(none)");
	CU_ASSERT_EQUAL(bsf_store_loc_secret("postgresql://bsf@db/gba"), 0);
	CU_ASSERT_EQUAL(bsf_store_loc_secret("postgresql://u:@db/gba"), 0);
	CU_ASSERT_EQUAL(bsf_store_loc_secret("/var/lib/gba-bsf/store.db"), 0);
	CU_ASSERT_EQUAL(bsf_store_loc_secret("/tmp/password=x/s.db"), 0);
	CU_ASSERT_EQUAL(bsf_store_loc_secret(NULL), 0);
}

static void test_conninfo(void)
{
	check("host=db user=bsf password=s3cret dbname=gba",
	      "host=db user=bsf password=*** dbname=gba");
	check("host=db password = 'a b\\'c' sslpassword=k3y",
	      "host=db password = '***' sslpassword=***");
	/* a quoted value needs no space after it */
	check("password='s3cret'dbname=gba", "password='***'dbname=gba");
	check("password=s3cret\\ x user=bsf", "password=*** user=bsf");
	check("host=db password='' user=bsf", "host=db password='' user=bsf");
}

static void test_malformed(void)
{
	/* libpq cannot parse these (and its error text would quote the
	 * secret): nothing after the scheme */
	check("postgresql://db/gba?password=s3cret%zz",
	      "postgresql://*** (malformed URI)");
	check("postgresql://[::1/gba?password=s3cret",
	      "postgresql://*** (malformed URI)");
	check("postgres://u:s3cret@db/gba?nosuchoption=1",
	      "postgres://*** (malformed URI)");
	check("postgresql://db/gba?password", "postgresql://*** (malformed URI)");
	/* neither a URI nor a conninfo libpq reads, yet names a password */
	check("host=db password=s3cret junk", "host=db password=*** ...");
	check("host=db sslpassword", "host=db sslpassword=*** ...");
	CU_ASSERT_EQUAL(bsf_store_loc_secret("postgresql://db/gba?password"),
			-1);
	CU_ASSERT_EQUAL(bsf_store_loc_secret("postgresql://[::1/gba"), -1);
}

static void test_secret(void)
{
	CU_ASSERT_EQUAL(bsf_store_loc_secret("postgresql://u:s3cret@db/gba"),
			1);
	CU_ASSERT_EQUAL(bsf_store_loc_secret(
				"postgresql://db/gba?pass%77ord=s3cret"), 1);
	CU_ASSERT_EQUAL(bsf_store_loc_secret(
				"postgresql://db/gba?sslpassword=k3y"), 1);
	CU_ASSERT_EQUAL(bsf_store_loc_secret("host=db password=s3cret"), 1);
}

static void test_cut(void)
{
	char big[3000], out[BSF_STORE_LOC_PRINT_MAX], small[12];
	size_t n;

	/* a long URI with the password at its end: cut, never shown */
	n = (size_t)snprintf(big, sizeof(big), "postgresql://db/");
	memset(big + n, 'd', 2000);
	snprintf(big + n + 2000, sizeof(big) - n - 2000, "?password=s3cret");
	bsf_store_loc_printable(big, out, sizeof(out));
	CU_ASSERT_EQUAL(strlen(out), sizeof(out) - 1);
	CU_ASSERT_STRING_EQUAL(out + sizeof(out) - 4, "...");
	CU_ASSERT_PTR_NULL(strstr(out, "s3cret"));
	CU_ASSERT(strncmp(out, "postgresql://db/ddd", 19) == 0);
	/* a small buffer: the start, "..." */
	bsf_store_loc_printable("/var/lib/gba-bsf/store.db", small,
				sizeof(small));
	CU_ASSERT_STRING_EQUAL(small, "/var/lib...");
	bsf_store_loc_printable("postgresql://u:s3cret@db", small,
				sizeof(small));
	CU_ASSERT_STRING_EQUAL(small, "postgres...");
	bsf_store_loc_printable("/var/lib", small, 1);
	CU_ASSERT_STRING_EQUAL(small, "");
}

static int is_secret(const char *kw)
{
	return !strcmp(kw, "password") || !strcmp(kw, "sslpassword");
}

/* -1 if libpq cannot read @s; 0 if it can and no secret value it reads
 * is in @out (unless the same text is a non-secret value, a user name
 * say: printing that is no leak); 1 if one is there */
static int secret_in(const char *s, const char *out)
{
	PQconninfoOption *o = PQconninfoParse(s, NULL), *p, *q;
	int r = 0;

	if (o == NULL)
		return -1;
	for (p = o; p->keyword; p++) {
		int plain = 0;

		if (!p->val || !p->val[0] || !is_secret(p->keyword) ||
		    !strstr(out, p->val))
			continue;
		for (q = o; q->keyword; q++)
			plain |= q->val && !is_secret(q->keyword) &&
				 strstr(q->val, p->val) != NULL;
		r |= !plain;
	}
	PQconninfoFree(o);
	return r;
}

/* 1 if libpq reads @out with every secret absent, empty or "***" */
static int masked(const char *out)
{
	PQconninfoOption *o = PQconninfoParse(out, NULL), *p;
	int r = 1;

	if (o == NULL)
		return 0;
	for (p = o; p->keyword; p++)
		if (p->val && p->val[0] && is_secret(p->keyword) &&
		    strcmp(p->val, "***") != 0)
			r = 0;
	PQconninfoFree(o);
	return r;
}

/* Strings made of URI and conninfo pieces at random (fixed seed), the
 * secret values "Zq9" + a digit.  What libpq reads: no secret value it
 * finds in the printable form (unless the same text is also a non-secret
 * value, a user name say), which libpq reads with every secret "***".  What libpq cannot read: a URI shows its scheme only, a
 * string naming "password" nothing from there, anything else (a path)
 * as given.  No read outside the buffers (ASan in the sanitizer build). */
static void test_generated(void)
{
	static const char *const piece[] = {
		"postgresql://", "postgres://", "u", ":", "@", "/", "?", "&",
		"=", "%", "%77", "%4", "password", "pass%77ord", "sslpassword",
		"=Zq91", ":Zq92@", "password=Zq93", "&password=Zq94",
		"?sslpassword=Zq95", "host", "db", "[::1]", "'", "\\", " ",
		"user=", "password = 'Zq9 6'", "dbname=", "5432", ",",
	};
	char s[256], out[128], want[300];
	unsigned seed = 12345;
	int i, j, n, bad = 0, parsed = 0;

	for (i = 0; i < 20000; i++) {
		const char *hit;
		int ok, t;

		s[0] = '\0';
		n = 1 + (int)(rand_r(&seed) % 8);
		for (j = 0; j < n; j++) {
			const char *pc =
				piece[rand_r(&seed) % (sizeof(piece) / sizeof(piece[0]))];

			if (strlen(s) + strlen(pc) < sizeof(s))
				memcpy(s + strlen(s), pc, strlen(pc) + 1);
		}
		bsf_store_loc_printable(s, out, sizeof(out));
		t = secret_in(s, out);
		if (t >= 0) {
			parsed += bsf_store_loc_secret(s) == 1;
			/* and what is printed reads as masked (unless cut) */
			ok = t == 0 && (strlen(out) == sizeof(out) - 1 ||
					masked(out));
		} else if (!strncmp(s, "postgresql://", 13) ||
			   !strncmp(s, "postgres://", 11)) {
			snprintf(want, sizeof(want), "%.*s*** (malformed URI)",
				 (int)strcspn(s, ":") + 3, s);
			ok = !strcmp(out, want);
		} else if ((hit = strstr(s, "password")) != NULL) {
			snprintf(want, sizeof(want), "%.*spassword=*** ...",
				 (int)(hit - s), s);
			ok = !strcmp(out, want);
		} else {
			ok = strlen(s) >= sizeof(out) || !strcmp(out, s);
		}
		if (!ok && bad++ < 5)
			fprintf(stderr, "\n  %s\n  -> %s\n", s, out);
	}
	CU_ASSERT_EQUAL(bad, 0);
	/* the generator reaches the masking, not only the refusals */
	CU_ASSERT(parsed > 500);
	fprintf(stderr, "(%d of 20000 with a secret libpq reads) ", parsed);
}

GBA_TEST_MAIN("store_loc",
	{"URI user info password", test_uri_userinfo},
	{"URI password parameters", test_uri_params},
	{"no secret: as given", test_no_secret},
	{"key=value conninfo", test_conninfo},
	{"malformed", test_malformed},
	{"secret present", test_secret},
	{"cut to the buffer", test_cut},
	{"generated strings", test_generated})
