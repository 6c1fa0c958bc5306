/*
 * test_push_naf - the Push-NAF lookup of the request path
 * (bsf_push_naf_authorise(), push.h): only a registered Push-NAF is
 * served (TS 33.223 clause 4.2, TS 33.187), its record is cached per
 * connection and read again after BSF_PUSH_NAF_CACHE_S (5 s, project
 * choice, docs/bsf.md "Security model"), so a removal takes effect on
 * open connections.  Times are monotonic seconds given by the test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gba_test.h"
#include "push.h"
#include "store.h"

/* the store lives in a directory of its own, removed whole at the end */
static char dir[64];

static void rm_dir(void)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static void test_authorise_and_cache(void)
{
	static struct bsf_naf naf = {
		.name = "scs1", .cert_id = "scs1.example", .n_naf_ids = 1,
		.naf_ids = { { .fqdn = "naf.example.com",
			       .ua = { 1, 0, 0, 0, 5 } } },
	};
	static struct bsf_push_naf_cache cache;
	struct bsf_store *st = NULL;
	struct bsf_push_ctx ctx;
	const struct bsf_naf *got = (const struct bsf_naf *)&ctx;
	int64_t nid = 0;
	char path[128];

	snprintf(dir, sizeof(dir), "/tmp/test_push_naf.XXXXXX");
	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/s.db", dir);
	GBA_ASSERT_ERR(bsf_store_open(path, BSF_STORE_CREATE, &st), GBA_OK);
	CU_ASSERT_FATAL(st != NULL);
	memset(&ctx, 0, sizeof(ctx));
	ctx.st = st;
	memset(&cache, 0, sizeof(cache));

	/* unknown identity: 403 NAF_NOT_AUTHORIZED, nothing cached */
	CU_ASSERT_EQUAL(bsf_push_naf_authorise(&ctx, &cache, "scs1.example",
					       100.0, &got),
			BSF_PB_NAF_NOT_AUTHORIZED);
	CU_ASSERT_PTR_NULL(got);
	CU_ASSERT_EQUAL(cache.ok, 0);

	GBA_ASSERT_ERR(bsf_store_naf_add(st, &naf, &nid), GBA_OK);

	/* registered now: found at once (nothing was cached) */
	CU_ASSERT_EQUAL(bsf_push_naf_authorise(&ctx, &cache, "scs1.example",
					       100.5, &got),
			BSF_PB_OK);
	CU_ASSERT_PTR_EQUAL(got, &cache.naf);
	CU_ASSERT_EQUAL(got->id, nid);
	CU_ASSERT_STRING_EQUAL(got->name, "scs1");

	/* removed: still served from the cache for 5 s, then refused */
	GBA_ASSERT_ERR(bsf_store_naf_remove(st, "scs1"), GBA_OK);
	CU_ASSERT_EQUAL(bsf_push_naf_authorise(&ctx, &cache, "scs1.example",
					       105.5, &got),
			BSF_PB_OK);
	CU_ASSERT_EQUAL(bsf_push_naf_authorise(&ctx, &cache, "scs1.example",
					       105.6, &got),
			BSF_PB_NAF_NOT_AUTHORIZED);
	CU_ASSERT_PTR_NULL(got);
	CU_ASSERT_EQUAL(cache.ok, 0);

	bsf_store_close(st);
	rm_dir();
}

GBA_TEST_MAIN("push_naf",
	{ "Push-NAF lookup and its 5 s cache", test_authorise_and_cache })
