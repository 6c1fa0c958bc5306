/* see push.h */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "gba/crypto.h"
#include "gba/gpi.h"
#include "gba/kdf.h"
#include "gba/utf8_nfkc.h"
#include "guss.h"
#include "log.h"
#include "metrics.h"
#include "ptid.h"
#include "push.h"
#include "uss.h"

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t wall_now(void)
{
	return (int64_t)time(NULL);
}

static enum bsf_problem store_problem(int r)
{
	switch (r) {
	case GBA_ERR_NOT_FOUND:
	case GBA_ERR_NOT_AUTHORIZED:
		return BSF_PB_USER_NOT_FOUND;
	case GBA_ERR_DB:
	case GBA_ERR_STATE:
	case GBA_ERR_TIMEOUT:
		return BSF_PB_SERVICE_UNAVAILABLE;
	default:
		return BSF_PB_SYSTEM_FAILURE;
	}
}

enum bsf_problem bsf_push_naf_authorise(const struct bsf_push_ctx *ctx,
					struct bsf_push_naf_cache *cache,
					const char *id, double now,
					const struct bsf_naf **naf)
{
	int r;

	*naf = NULL;
	if (!cache->ok || now - cache->at > BSF_PUSH_NAF_CACHE_S) {
		cache->ok = 0;
		r = bsf_store_naf_by_cert(ctx->st, id, strlen(id), &cache->naf);
		if (r == GBA_ERR_NOT_FOUND)
			return BSF_PB_NAF_NOT_AUTHORIZED;
		if (r != GBA_OK)
			return BSF_PB_SERVICE_UNAVAILABLE;
		cache->ok = 1;
		cache->at = now;
	}
	*naf = &cache->naf;
	return BSF_PB_OK;
}

void bsf_push_run_clear(struct bsf_push_run *run)
{
	bsf_hss_key_clear(&run->key);
	gba_cleanse(&run->av, sizeof(run->av));
	gba_cleanse(&run->info, sizeof(run->info));
	if (run->have_ue)
		bsf_gba_params_clear(&run->ue.params);
	gba_cleanse(run->ue.impi, sizeof(run->ue.impi));
	gba_cleanse(run->user, sizeof(run->user));
	free(run->guss);
	run->guss = NULL;
}

/*
 * Step 4's checks of the GBA parameters in @run->ue.params: GBA_U, the
 * UICC application label, the ussList for the requested GSIDs (uss.h).
 */
static enum bsf_problem push_params(const struct bsf_push_req *req,
				    struct bsf_push_res *res,
				    struct bsf_push_run *run, const char **field)
{
	size_t i;
	int r;

	if (req->gba_u && !run->ue.params.gba_u) {
		*field = "uiccOrMe";
		return BSF_PB_GBA_U_NOT_SUPPORTED;
	}
	if (req->app_label_len && run->ue.params.n_labels) {
		for (i = 0; i < run->ue.params.n_labels; i++)
			if (!strcmp(run->ue.params.labels[i], req->app_label))
				break;
		if (i == run->ue.params.n_labels) {
			*field = "uiccAppLabel";
			return BSF_PB_UICC_APP_UNKNOWN;
		}
	}
	if ((r = bsf_uss_list(&run->ue.params, req, res->uss_list,
			      sizeof(res->uss_list), &res->uss_list_len))) {
		BSF_LOG(BSF_LOG_STORE, BSF_LOG_ERR, "ussList: %s",
			gba_err_name(r));
		return BSF_PB_SYSTEM_FAILURE;
	}
	return BSF_PB_OK;
}

/*
 * zh mode: the GUSS of the MAA (GBA-UserSecSettings, TS 29.109 clause
 * 6.3.1.2; TS 33.223 clause 4.3: the BSF fetches the AV and the GUSS)
 * replaces the store's GBA_U flag and USSs; the UICC application labels
 * stay the store's (the GUSS parser, guss.h, knows none).  An MAA without
 * GUSS leaves the store's parameters (project choice, docs/diameter.md).
 */
static enum bsf_problem push_guss(const struct bsf_push_req *req,
				  struct bsf_push_run *run)
{
	struct bsf_gba_params *p = &run->ue.params;
	struct bsf_guss g;
	size_t i;
	int r;

	if (!run->guss)
		return BSF_PB_OK;
	r = bsf_guss_parse((const uint8_t *)run->guss, run->guss_len,
			   req->n_gs_ids ? BSF_GBA_XML : 0, &g);
	if (r != GBA_OK) {
		BSF_LOG(BSF_LOG_STORE, BSF_LOG_ERR, "GUSS from the HSS: %s",
			gba_err_name(r));
		return BSF_PB_SYSTEM_FAILURE;
	}
	for (i = 0; i < BSF_USS_MAX; i++)
		free(p->uss[i].xml);
	p->gba_u = g.gba_u;
	p->n_uss = g.n_uss;
	memcpy(p->uss, g.uss, sizeof(p->uss)); /* the XML strings move */
	memset(g.uss, 0, sizeof(g.uss));
	bsf_guss_clear(&g);
	return BSF_PB_OK;
}

/*
 * Step 1 and the key lifetime: what is decided before the UE lookup.
 */
enum bsf_problem bsf_push_begin(const struct bsf_push_ctx *ctx,
				const struct bsf_naf *naf,
				const struct bsf_push_req *req,
				struct bsf_push_run *run, const char **field)
{
	memset(run, 0, sizeof(*run));
	*field = NULL;
	run->now = ctx->now ? ctx->now() : wall_now();

	/* 1. Push-NAF authorisation for this NAF_Id (TS 33.223 4.2) */
	if (!bsf_naf_allows(naf, req->naf_fqdn, strlen(req->naf_fqdn),
			    req->ua_id)) {
		*field = "nafId";
		return BSF_PB_NAF_NOT_AUTHORIZED;
	}

	/* key lifetime: min(requested, policy) */
	if (req->has_requested_expiry) {
		if (req->requested_expiry <= run->now) {
			*field = "requestedLifeTime";
			return BSF_PB_MANDATORY_IE_INCORRECT;
		}
		run->expiry = req->requested_expiry;
		if (run->expiry - run->now > (int64_t)ctx->lifetime_max)
			run->expiry = run->now + ctx->lifetime_max;
	} else {
		run->expiry = run->now + ctx->lifetime_default;
	}
	return BSF_PB_OK;
}

static enum bsf_id_type push_id_type(const struct bsf_push_req *req)
{
	return req->ue_id_type == BSF_UEID_PRIVATE ? BSF_ID_PRIVATE
						   : BSF_ID_PUBLIC;
}

static unsigned push_gba_flags(const struct bsf_push_req *req)
{
	return req->n_gs_ids ? BSF_GBA_USS_XML : BSF_GBA_NO_USS;
}

int bsf_push_lookup_async_ok(const struct bsf_push_ctx *ctx,
			     const struct bsf_push_req *req)
{
	return !ctx->avs && push_id_type(req) == BSF_ID_PRIVATE &&
	       push_gba_flags(req) == BSF_GBA_NO_USS;
}

/*
 * 2. + 3. + 4. identity, association and GBA parameters in one read
 * snapshot, together with the key row for step 5; an unknown UE and a UE
 * not associated with this Push-NAF take the same path and get the same
 * answer.  The synchronous lookup; bsf_push_finish() takes its result.
 */
int bsf_push_lookup(const struct bsf_push_ctx *ctx, const struct bsf_naf *naf,
		    const struct bsf_push_req *req, struct bsf_push_run *run)
{
	int r;

	run->t_lookup = mono();
	/* (@ue is zeroed by the lookup itself, on every path) */
	if (ctx->avs) /* keys at the HSS: identities only here */
		r = bsf_store_ue_lookup(ctx->st, naf->id, req->ue_id,
					req->ue_id_len, push_id_type(req),
					push_gba_flags(req), &run->ue);
	else
		r = bsf_hss_ue_lookup(ctx->hss, naf->id, req->ue_id,
				      req->ue_id_len, push_id_type(req),
				      push_gba_flags(req), &run->ue, &run->key);
	run->have_ue = 1;
	return r;
}

/*
 * The rest of steps 2 to 4 once the lookup answered @r, and everything
 * else decided before an SQN is used: the ussList, the P-TID and the
 * NAF_Id as KDF string.  A refusal here consumes no SQN.  In zh mode the
 * GBA parameters come with the AV, so their refusals (GBA_U, UICC label)
 * follow the MAR: one SQN used at the HSS (docs/diameter.md).
 */
static enum bsf_problem push_looked_up(const struct bsf_push_ctx *ctx,
				       const struct bsf_push_req *req,
				       struct bsf_push_res *res,
				       struct bsf_push_run *run, int r,
				       const char **field)
{
	char fqdn[GBA_FQDN_MAX + 1];
	size_t naf_id_len = 0;
	enum bsf_problem pb;

	if (run->t_lookup > 0)
		bsf_metrics_store(mono() - run->t_lookup);
	if (r == GBA_ERR_MALFORMED || r == GBA_ERR_TOO_LARGE) {
		*field = "ueId";
		return BSF_PB_MANDATORY_IE_INCORRECT;
	}
	if (r != GBA_OK)
		return store_problem(r);
	/* the IMPI as a KDF string: NFKC, then UTF-8 (TS 33.220 B.2.1);
	 * rows added since the store normalises are already NFKC */
	if ((r = gba_utf8_nfkc_str(run->ue.impi, res->impi,
				   sizeof(res->impi)))) {
		BSF_LOG(BSF_LOG_STORE, BSF_LOG_ERR, "stored IMPI: %s",
			gba_err_name(r));
		return BSF_PB_SYSTEM_FAILURE;
	}
	memcpy(res->ue_id, req->ue_id, req->ue_id_len);
	res->ue_id[req->ue_id_len] = '\0';
	/* embedded: the GBA parameters are the store's, checked before any
	 * SQN is used; zh: they come with the AV (push_guss()) */
	if (!ctx->avs && (pb = push_params(req, res, run, field)) != BSF_PB_OK)
		return pb;

	/* P-TID: the NAF's, or 128 random bits (project choice) */
	if (req->p_tid_len) {
		memcpy(res->p_tid, req->p_tid, req->p_tid_len + 1);
	} else {
		if (bsf_ptid_random(res->p_tid) != GBA_OK)
			return BSF_PB_SYSTEM_FAILURE;
		res->p_tid_generated = 1;
	}
	/* NAF FQDN: NFKC, then UTF-8 (B.2.1; LDH text is left unchanged) */
	if ((r = gba_utf8_nfkc_str(req->naf_fqdn, fqdn, sizeof(fqdn))) !=
		    GBA_OK ||
	    (r = gba_naf_id(fqdn, req->ua_id, run->info.naf_id,
			    &naf_id_len)) != GBA_OK) {
		*field = "nafId";
		return BSF_PB_MANDATORY_IE_INCORRECT;
	}
	run->info.naf_id_len = naf_id_len;
	return BSF_PB_OK;
}

/*
 * Step 5: one fresh AV (or a resync from AUTS + RAND), after which the
 * SQN is consumed: the embedded AuC, or the source's synchronous call.
 */
void bsf_push_av(const struct bsf_push_ctx *ctx,
		 const struct bsf_push_req *req, const struct bsf_push_res *res,
		 struct bsf_push_run *run)
{
	int r;

	run->t_av = mono();
	if (ctx->avs) {
		/* the HSS over Zh (diam_zh.h): one MAR, its MAA's AV */
		r = ctx->avs->av(ctx->avs->arg, run->ue.impi,
				 req->ue_id_type == BSF_UEID_PRIVATE
					 ? NULL
					 : res->ue_id,
				 req->has_resync ? req->rand_ : NULL,
				 req->has_resync ? req->auts : NULL, &run->av,
				 &run->guss, &run->guss_len, run->user,
				 sizeof(run->user), &run->retry);
	} else {
		if (req->has_resync)
			r = bsf_hss_resync_key(ctx->hss, &run->key, req->rand_,
					       req->auts, &run->av, NULL);
		else
			r = bsf_hss_av_key(ctx->hss, &run->key, &run->av,
					   NULL);
		run->retry = run->key.retry_after;
		bsf_hss_key_clear(&run->key);
	}
	run->av_r = r;
}

int bsf_push_av_send(const struct bsf_push_ctx *ctx,
		     const struct bsf_push_req *req,
		     const struct bsf_push_res *res, struct bsf_push_run *run,
		     void (*done)(void *tag, struct bsf_av_answer *ans),
		     void *tag)
{
	if (!ctx->avs || !ctx->avs->av_send)
		return GBA_ERR_UNSUPPORTED;
	run->t_av = mono();
	return ctx->avs->av_send(
		ctx->avs->arg, run->ue.impi,
		req->ue_id_type == BSF_UEID_PRIVATE ? NULL : res->ue_id,
		req->has_resync ? req->rand_ : NULL,
		req->has_resync ? req->auts : NULL, done, tag);
}

void bsf_av_answer_free(struct bsf_av_answer *ans)
{
	if (!ans)
		return;
	free(ans->guss);
	gba_cleanse(ans, sizeof(*ans));
	free(ans);
}

void bsf_push_av_take(struct bsf_push_run *run, struct bsf_av_answer *ans)
{
	run->av_r = ans->r;
	run->retry = ans->retry_after;
	run->av = ans->av;
	free(run->guss);
	run->guss = ans->guss; /* handed over */
	run->guss_len = ans->guss_len;
	ans->guss = NULL;
	memcpy(run->user, ans->user, sizeof(run->user));
	bsf_av_answer_free(ans);
}

/*
 * Step 5's outcome (run->av_r) and step 6: Ks = CK || IK, the NAF key(s)
 * (TS 33.220 B.3), then Ks is gone (disposable Ks, TS 33.223 clause 3.1).
 */
static enum bsf_problem push_keys(const struct bsf_push_ctx *ctx,
				  const struct bsf_push_req *req,
				  struct bsf_push_res *res,
				  struct bsf_push_run *run, const char **field)
{
	uint8_t ks[GBA_KS_LEN];
	int r = run->av_r;

	/* asked by IMPU: the HSS's IMPI is the one of the KDF (the store's
	 * served the association check only) */
	if (ctx->avs && r == GBA_OK && req->ue_id_type != BSF_UEID_PRIVATE &&
	    gba_utf8_nfkc_str(run->user, res->impi, sizeof(res->impi)) !=
		    GBA_OK) {
		BSF_LOG(BSF_LOG_STORE, BSF_LOG_ERR,
			"IMPI from the HSS is not valid UTF-8");
		r = GBA_ERR_MALFORMED;
	}
	bsf_metrics_store(mono() - run->t_av);
	if (ctx->avs && r == GBA_ERR_NOT_AUTHORIZED) {
		/* 5402 from the HSS: not the association (that was checked
		 * here), so not the 404 path */
		*field = "ueId";
		return BSF_PB_NAF_NOT_AUTHORIZED;
	}
	if (r == GBA_ERR_MAC) {
		*field = "auts";
		return BSF_PB_RESYNC_FAILURE;
	}
	if (r == GBA_ERR_RATE_LIMIT) {
		/* this UE's AV rate ([store] ue_rate): no SQN consumed */
		*field = "ueId";
		return BSF_PB_TOO_MANY_REQUESTS;
	}
	if (r != GBA_OK) {
		BSF_LOG(BSF_LOG_STORE, BSF_LOG_ERR, "AV generation failed: %s",
			gba_err_name(r));
		return store_problem(r);
	}
	bsf_metrics_av(req->has_resync);
	if (run->av.ck_len != GBA_CK_LEN || run->av.ik_len != GBA_IK_LEN) {
		/* TUAK 256-bit CK/IK: Ks would not be 256 bits */
		BSF_LOG(BSF_LOG_CRYPTO, BSF_LOG_ERR,
			"CK/IK of %zu/%zu octets not supported for GBA",
			run->av.ck_len, run->av.ik_len);
		return BSF_PB_SYSTEM_FAILURE;
	}

	/* 6. Ks = CK || IK, the NAF key(s), then Ks is gone */
	gba_ks_from_ck_ik(run->av.ck, run->av.ik, ks);
	r = gba_kdf_naf_key(ks, 0, run->av.rand, (const uint8_t *)res->impi,
			    strlen(res->impi), run->info.naf_id,
			    run->info.naf_id_len, res->me_key);
	if (r == GBA_OK && req->gba_u)
		r = gba_kdf_naf_key(ks, 1, run->av.rand,
				    (const uint8_t *)res->impi,
				    strlen(res->impi), run->info.naf_id,
				    run->info.naf_id_len, res->uicc_key);
	gba_cleanse(ks, sizeof(ks));
	return r == GBA_OK ? BSF_PB_OK : BSF_PB_SYSTEM_FAILURE;
}

/*
 * Steps 7 and 8: AUTN* for GBA_U (TS 33.220 5.3.2), the GPI with the
 * encrypted P-TID, and what the answer may carry to this Push-NAF.
 */
static enum bsf_problem push_build_gpi(const struct bsf_naf *naf,
				       const struct bsf_push_req *req,
				       struct bsf_push_res *res,
				       struct bsf_push_run *run)
{
	struct gba_gpi_info *info = &run->info;
	int r = GBA_OK;

	info->gba_u = req->gba_u;
	memcpy(info->rand, run->av.rand, sizeof(info->rand));
	if (req->gba_u)
		r = gba_aka_autn_star(run->av.autn, run->av.ik,
				      run->av.ik_len, info->autn);
	else
		memcpy(info->autn, run->av.autn, sizeof(info->autn));
	if (r != GBA_OK)
		return BSF_PB_SYSTEM_FAILURE;
	memcpy(info->app_label, req->app_label, req->app_label_len);
	info->app_label_len = req->app_label_len;
	info->key_expiry = (uint64_t)run->expiry;
	if ((r = gba_gpi_build(info, (const uint8_t *)res->p_tid,
			       strlen(res->p_tid), res->me_key, res->gpi,
			       sizeof(res->gpi), &res->gpi_len)) != GBA_OK) {
		BSF_LOG(BSF_LOG_GPI, BSF_LOG_ERR, "GPI build failed: %s",
			gba_err_name(r));
		return BSF_PB_SYSTEM_FAILURE;
	}

	/* Ks_int_NAF only to a GBA_U-aware NAF that asked as such */
	res->has_uicc_key = req->gba_u && req->gba_u_aware && naf->gba_u_aware;
	if (!res->has_uicc_key)
		gba_cleanse(res->uicc_key, sizeof(res->uicc_key));
	/* the IMPI leaves the operator domain only if asked AND allowed */
	res->has_impi = req->private_id_request && naf->allow_impi;
	if (!res->has_impi)
		gba_cleanse(res->impi, sizeof(res->impi));
	res->gba_u = req->gba_u;
	res->key_expiry = run->expiry;
	res->created = run->now;
	return BSF_PB_OK;
}

enum bsf_problem bsf_push_prepare(const struct bsf_push_ctx *ctx,
				  const struct bsf_push_req *req,
				  struct bsf_push_run *run, enum bsf_problem pb,
				  int r, struct bsf_push_res *res,
				  const char **field)
{
	/* all but the 16 KiB ussList buffer, which only needs to be empty */
	memset(res, 0, offsetof(struct bsf_push_res, uss_list));
	res->uss_list[0] = '\0';
	res->uss_list_len = 0;
	res->retry_after = 0;
	if (pb == BSF_PB_OK)
		pb = push_looked_up(ctx, req, res, run, r, field);
	return pb;
}

enum bsf_problem bsf_push_complete(const struct bsf_push_ctx *ctx,
				   const struct bsf_naf *naf,
				   const struct bsf_push_req *req,
				   struct bsf_push_run *run, enum bsf_problem pb,
				   struct bsf_push_res *res, const char **field)
{
	if (pb == BSF_PB_OK)
		pb = push_keys(ctx, req, res, run, field);
	if (pb == BSF_PB_OK && ctx->avs) {
		pb = push_guss(req, run);
		if (pb == BSF_PB_OK)
			pb = push_params(req, res, run, field);
	}
	if (pb == BSF_PB_OK)
		pb = push_build_gpi(naf, req, res, run);
	bsf_push_run_clear(run);
	if (pb != BSF_PB_OK) {
		bsf_push_res_clear(res);
		/* the store unreachable (a PostgreSQL restart or fail-over):
		 * 503 with Retry-After, as while draining */
		if (pb == BSF_PB_SERVICE_UNAVAILABLE && run->retry == 0)
			run->retry = BSF_STORE_RETRY_AFTER;
		res->retry_after = run->retry;
	}
	return pb;
}

enum bsf_problem bsf_push_finish(const struct bsf_push_ctx *ctx,
				 const struct bsf_naf *naf,
				 const struct bsf_push_req *req,
				 struct bsf_push_run *run, enum bsf_problem pb,
				 int r, struct bsf_push_res *res,
				 const char **field)
{
	pb = bsf_push_prepare(ctx, req, run, pb, r, res, field);
	if (pb == BSF_PB_OK)
		bsf_push_av(ctx, req, res, run);
	return bsf_push_complete(ctx, naf, req, run, pb, res, field);
}

enum bsf_problem bsf_push_handle(const struct bsf_push_ctx *ctx,
				 const struct bsf_naf *naf,
				 const struct bsf_push_req *req,
				 struct bsf_push_res *res, const char **field)
{
	struct bsf_push_run run;
	enum bsf_problem pb;
	int r = GBA_OK;

	pb = bsf_push_begin(ctx, naf, req, &run, field);
	if (pb == BSF_PB_OK)
		r = bsf_push_lookup(ctx, naf, req, &run);
	return bsf_push_finish(ctx, naf, req, &run, pb, r, res, field);
}
