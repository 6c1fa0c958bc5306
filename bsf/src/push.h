/*
 * push.h - BSF processing of one GPI request (TS 33.223 clause 4.2),
 * shared by every binding (binding.h).  bsf_push_handle() runs the steps
 * in push.c: authorise (1-4, with the ussList, P-TID and NAF_Id), keys
 * (5-6) and build the GPI (7-8), as three calls that a caller may also
 * make itself: bsf_push_begin() (step 1, the key lifetime), the UE lookup
 * of steps 2-4 (bsf_push_lookup(), or the same statement sent without
 * waiting by an HTTPS worker on PostgreSQL, store_pipe.h), and
 * bsf_push_finish() (the rest of 2-4, then 5-8), itself three calls:
 * bsf_push_prepare() (the rest of 2-4), the AV of step 5 (bsf_push_av(),
 * or asked without waiting, bsf_push_av_send(), its answer put back with
 * bsf_push_av_take()) and bsf_push_complete() (6-8):
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
#include "gba/gpi.h"

/*
 * struct bsf_av_source - where the AV of a GPI comes from when it is not
 * the embedded AuC (@hss): gba-bsf [hss] mode = zh (diam_zh.h).  @av gets
 * the subscriber's IMPI as stored, and @rand/@auts for a resync (else
 * NULL); it returns GBA_OK or a GBA_ERR_* mapped as the store's errors
 * (GBA_ERR_NOT_FOUND 404, GBA_ERR_TIMEOUT 503 with *@retry_after ...).
 * On GBA_OK *@guss is the GUSS sent with the AV (malloc'd XML, NUL
 * terminated, freed by the caller) or NULL: the GBA_U flag and the USSs
 * then come from it instead of the BSF's store (TS 33.223 clause 4.3).
 * @impu: the public identity the request named (NULL for a private one):
 * the source asks by it, and *@user (@user_size octets) is the IMPI the
 * HSS answered with, authoritative for the KDF ("" if none).
 */
struct bsf_av_answer;

struct bsf_av_source {
	int (*av)(void *arg, const char *impi, const char *impu,
		  const uint8_t *rand, const uint8_t *auts, struct gba_av *av,
		  char **guss, size_t *guss_len, char *user, size_t user_size,
		  unsigned *retry_after);
	void *arg;
	/*
	 * The same question without waiting (optional, NULL: none).  GBA_OK:
	 * asked, and @done(@tag, @ans) comes exactly once, from another
	 * thread (or from the source's shutdown), with the answer in @ans,
	 * which then belongs to @done (bsf_push_av_take() or
	 * bsf_av_answer_free()).  Any other return: nothing was asked and
	 * no call comes.
	 */
	int (*av_send)(void *arg, const char *impi, const char *impu,
		       const uint8_t *rand, const uint8_t *auts,
		       void (*done)(void *tag, struct bsf_av_answer *ans),
		       void *tag);
};

/*
 * struct bsf_av_answer - an AV source's answer without waiting: @r as the
 * synchronous call returns, and on GBA_OK the AV, the GUSS (malloc'd or
 * NULL) and the IMPI the HSS answered with ("" if none).  Heap, made by
 * the source; bsf_av_answer_free() wipes and frees it.
 */
struct bsf_av_answer {
	int r;
	unsigned retry_after;
	struct gba_av av;
	char *guss;
	size_t guss_len;
	char user[BSF_IMPI_MAX + 1];
};

/** bsf_av_answer_free() - wipe @ans, free its GUSS and itself (NULL ok). */
void bsf_av_answer_free(struct bsf_av_answer *ans);

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

/*
 * struct bsf_push_run - what one request carries from step to step; the
 * AV, the key row and the UE record hold secrets: bsf_push_finish() wipes
 * them (bsf_push_run_clear()).
 */
struct bsf_push_run {
	struct bsf_ue ue;
	int have_ue; /* @ue was filled by a lookup (its parameters freed) */
	struct bsf_hss_key key;
	struct gba_gpi_info info;
	struct gba_av av;
	char *guss; /* zh: the MAA's GUSS XML, or NULL */
	size_t guss_len;
	int64_t now, expiry;
	unsigned retry;
	double t_lookup; /* monotonic s the lookup was sent, 0: none */
	double t_av;     /* monotonic s the AV was asked for */
	int av_r;        /* step 5's result (GBA_OK / GBA_ERR_*) */
	char user[BSF_IMPI_MAX + 1]; /* zh: the IMPI the HSS answered with */
};

/** bsf_push_run_clear() - wipe the secrets of @run and free its GUSS. */
void bsf_push_run_clear(struct bsf_push_run *run);

/**
 * bsf_push_begin() - step 1 (the NAF_Id of the request) and the key
 * lifetime; zeroes @run first.  @field as bsf_push_handle().
 * Return: BSF_PB_OK or the problem to report (through bsf_push_finish()).
 */
enum bsf_problem bsf_push_begin(const struct bsf_push_ctx *ctx,
				const struct bsf_naf *naf,
				const struct bsf_push_req *req,
				struct bsf_push_run *run, const char **field);

/**
 * bsf_push_lookup() - the synchronous UE lookup of steps 2-4 (with the
 * key row when the AuC is embedded) into @run.
 * Return: the store's GBA_OK / GBA_ERR_*, for bsf_push_finish().
 */
int bsf_push_lookup(const struct bsf_push_ctx *ctx, const struct bsf_naf *naf,
		    const struct bsf_push_req *req, struct bsf_push_run *run);

/**
 * bsf_push_lookup_async_ok() - 1 when the lookup of @req is the one
 * statement an HTTPS worker may send without waiting (store_pipe.h): the
 * embedded AuC, a private identity, no GSIDs; its result then goes into
 * @run->ue and @run->key (bsf_hss_ue_lookup_take(), @run->have_ue = 1).
 */
int bsf_push_lookup_async_ok(const struct bsf_push_ctx *ctx,
			     const struct bsf_push_req *req);

/**
 * bsf_push_finish() - the rest: @pb is bsf_push_begin()'s result, @r the
 * lookup's (ignored unless @pb is BSF_PB_OK).  Wipes @run.  @res and
 * @field as bsf_push_handle().
 */
enum bsf_problem bsf_push_finish(const struct bsf_push_ctx *ctx,
				 const struct bsf_naf *naf,
				 const struct bsf_push_req *req,
				 struct bsf_push_run *run, enum bsf_problem pb,
				 int r, struct bsf_push_res *res,
				 const char **field);

/**
 * bsf_push_prepare() - the first part of bsf_push_finish(): zeroes @res
 * (all but its ussList buffer), then the rest of steps 2-4 after the
 * lookup answered @r.  BSF_PB_OK: step 5 is next (bsf_push_av() or
 * bsf_push_av_send()); else pass the problem to bsf_push_complete().
 */
enum bsf_problem bsf_push_prepare(const struct bsf_push_ctx *ctx,
				  const struct bsf_push_req *req,
				  struct bsf_push_run *run, enum bsf_problem pb,
				  int r, struct bsf_push_res *res,
				  const char **field);

/** bsf_push_av() - step 5, waiting for the AV: its result in @run. */
void bsf_push_av(const struct bsf_push_ctx *ctx,
		 const struct bsf_push_req *req, const struct bsf_push_res *res,
		 struct bsf_push_run *run);

/**
 * bsf_push_av_send() - step 5 without waiting, through the AV source's
 * av_send (struct bsf_av_source): GBA_OK and @done(@tag, answer) comes
 * later, to be put into @run with bsf_push_av_take(); GBA_ERR_UNSUPPORTED
 * (embedded AuC, or a source that cannot) or another error: nothing was
 * asked, bsf_push_av() is the way.  @req, @res and @run must stay until
 * @done.
 */
int bsf_push_av_send(const struct bsf_push_ctx *ctx,
		     const struct bsf_push_req *req,
		     const struct bsf_push_res *res, struct bsf_push_run *run,
		     void (*done)(void *tag, struct bsf_av_answer *ans),
		     void *tag);

/** bsf_push_av_take() - the answer of bsf_push_av_send() into @run;
 * frees @ans. */
void bsf_push_av_take(struct bsf_push_run *run, struct bsf_av_answer *ans);

/**
 * bsf_push_complete() - steps 6-8 after step 5 (or the problem @pb of an
 * earlier step): keys, GUSS (zh), GPI.  Wipes @run; on a problem @res is
 * cleared and carries the Retry-After.
 */
enum bsf_problem bsf_push_complete(const struct bsf_push_ctx *ctx,
				   const struct bsf_naf *naf,
				   const struct bsf_push_req *req,
				   struct bsf_push_run *run, enum bsf_problem pb,
				   struct bsf_push_res *res, const char **field);

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
