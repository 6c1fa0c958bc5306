/*
 * bsf_fixture.h - the BSF of the push unit tests (tests/unit/test_uss.c,
 * tests/unit/test_bsf_nfkc.c): a fresh SQLite store in a temporary
 * directory, an HSS on it with the default configuration, and a push
 * context (lifetimes 86400 s maximum, 3600 s default); a Push-NAF "scs1"
 * (certificate identity scs1.example) for naf.example.com; a request of
 * that NAF; a TS 35.208 set 1 subscriber (also for tests/unit/test_hss.c
 * and test_hss_shared.c, with their PostgreSQL reset).  Failures end the test (CU_ASSERT_FATAL).
 */
#ifndef BSF_FIXTURE_H
#define BSF_FIXTURE_H

#include <stdint.h>
#include "hss.h"
#include "push.h"
#include "req.h"
#include "store.h"

struct bsf_fixture {
	char dir[64];
	char path[128];
	struct bsf_store *st;
	struct bsf_hss *h;
	struct bsf_push_ctx ctx;
};

/* the temporary directory /tmp/<prefix>.XXXXXX, the store, HSS, context */
void bsf_fixture_open(struct bsf_fixture *f, const char *prefix);

/* @naf: Push-NAF scs1 for naf.example.com with Ua security protocol @ua
 * (the IMPI given out when @allow_impi), stored and associated with the
 * subscriber @sub_id; naf->id is its row */
void bsf_fixture_naf(struct bsf_fixture *f, const uint8_t ua[5],
		     int allow_impi, int64_t sub_id, struct bsf_naf *naf);

/* @req: cleared, then UE @ue_id of type @type, naf.example.com with @ua,
 * P-TID "pt" */
void bsf_fixture_req(struct bsf_push_req *req, const char *ue_id,
		     enum bsf_ue_id_type type, const uint8_t ua[5]);

/* a subscriber @impi with the Milenage keys of TS 35.208 test set 1,
 * SQN @sqn, AMF @amf_hex (NULL: 0000) and GUSS XML @guss (NULL: none)
 * added to @st; returns its id */
int64_t bsf_fixture_sub(struct bsf_store *st, const char *impi, uint64_t sqn,
			const char *amf_hex, const char *guss);

/* empty the public schema of the PostgreSQL database at libpq URI @uri
 * (the tests' GBA_TEST_STORE_URI) */
void bsf_fixture_pg_reset(const char *uri);

/* close the HSS and the store, remove the directory */
void bsf_fixture_close(struct bsf_fixture *f);

#endif
