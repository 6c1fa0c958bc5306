/*
 * push.h - BSF processing of one GPI request (TS 33.223 clause 4.2),
 * shared by every binding (binding.h).  bsf_push_handle() runs three
 * steps in push.c: authorise (1-4, with the ussList, P-TID and NAF_Id),
 * keys (5-6) and build the GPI (7-8):
 *
 *   1. the Push-NAF (already authenticated by mutual TLS and found in the
 *      store) must list the requested NAF_Id = FQDN || Ua id;
 *   2. resolve the UE identity to the IMPI (embedded HSS);
 *   3. the Push-NAF must be associated with the UE (TS 33.187); an
 *      unknown UE and a UE not associated give the SAME answer (404
 *      USER_NOT_FOUND) so that a Push-NAF cannot probe for subscribers;
 *   4. GBA parameters: GBA_U capability, UICC application label;
 *   5. one fresh AV (or resync from AUTS+RAND: MAC-S verified first);
 *   6. Ks = CK || IK; Ks_NAF / Ks_ext_NAF = KDF(Ks, "gba-me", RAND, IMPI,
 *      NAF_Id), Ks_int_NAF = KDF(Ks, "gba-u", ...) (TS 33.220 B.3);
 *      Ks wiped right after (disposable Ks, TS 33.223 clause 3.1);
 *   7. GBA_U: AUTN* = SQN xor AK || AMF || MAC xor Trunc64(SHA-1(IK))
 *      goes into the GPI (TS 33.220 5.3.2);
 *   8. the GPI with the encrypted P-TID (gba_gpi_build()); expiry =
 *      min(requested, now + policy maximum).
 * Every refusal happens before the AV is made: a refused request consumes
 * no SQN.  Nothing secret is logged.
 */
#ifndef BSF_PUSH_H
#define BSF_PUSH_H

#include <stdint.h>
#include "problem.h"
#include "req.h"
#include "store.h"
#include "hss.h"

/*
 * struct bsf_av_source - where the AV of a GPI comes from when it is not
 * the embedded AuC (@hss): gba-bsf [hss] mode = zh (diam_zh.h).  @av gets
 * the subscriber's IMPI as stored, and @rand/@auts for a resync (else
 * NULL); it returns GBA_OK or a GBA_ERR_* mapped as the store's errors
 * (GBA_ERR_NOT_FOUND 404, GBA_ERR_TIMEOUT 503 with *@retry_after ...).
 */
struct bsf_av_source {
	int (*av)(void *arg, const char *impi, const uint8_t *rand,
		  const uint8_t *auts, struct gba_av *av,
		  unsigned *retry_after);
	void *arg;
};

struct bsf_push_ctx {
	struct bsf_store *st;     /* borrowed */
	struct bsf_hss *hss;      /* borrowed; NULL when @avs is set */
	const struct bsf_av_source *avs; /* NULL: embedded AuC (@hss) */
	unsigned lifetime_max;    /* seconds */
	unsigned lifetime_default;
	int64_t (*now)(void);     /* wall clock (tests may replace) */
};

/*
 * struct bsf_push_naf_cache - the Push-NAF record of one TLS connection,
 * read from the store on its first request and re-read when older than
 * BSF_PUSH_NAF_CACHE_S seconds, so that removing a Push-NAF or one of its
 * NAF_Ids takes effect on open connections (project choice, docs/bsf.md
 * "Security model").  Owned by the connection; zero it to start.
 */
#define BSF_PUSH_NAF_CACHE_S 5.0

struct bsf_push_naf_cache {
	struct bsf_naf naf;
	double at;  /* monotonic seconds of the read */
	int ok;     /* @naf holds a record */
};

/**
 * bsf_push_naf_authorise() - the Push-NAF whose certificate identity is
 * @id (tls_ident.h), from @cache or the store: TS 33.223 clause 4.2 and
 * TS 33.187, only a registered Push-NAF is served.
 * @now: [in] monotonic seconds
 * @naf: [out] the record (in @cache) on BSF_PB_OK, else NULL
 * Return: BSF_PB_OK, BSF_PB_NAF_NOT_AUTHORIZED (unknown identity) or
 * BSF_PB_SERVICE_UNAVAILABLE (store error: retry).
 */
enum bsf_problem bsf_push_naf_authorise(const struct bsf_push_ctx *ctx,
					struct bsf_push_naf_cache *cache,
					const char *id, double now,
					const struct bsf_naf **naf);

/**
 * bsf_push_handle() - process one decoded request for Push-NAF @naf.
 * @res:   [out] zeroed first; wipe with bsf_push_res_clear() whatever
 *         the result
 * @field: [out] the field a 4xx refers to, or NULL
 * Return: BSF_PB_OK or the problem to report.
 */
enum bsf_problem bsf_push_handle(const struct bsf_push_ctx *ctx,
				 const struct bsf_naf *naf,
				 const struct bsf_push_req *req,
				 struct bsf_push_res *res, const char **field);


#endif
