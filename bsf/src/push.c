/* see push.h */
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "gba/crypto.h"
#include "gba/gpi.h"
#include "gba/kdf.h"
#include "gba/utf8_nfkc.h"
#include "log.h"
#include "metrics.h"
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

enum bsf_problem bsf_push_handle(const struct bsf_push_ctx *ctx,
				 const struct bsf_naf *naf,
				 const struct bsf_push_req *req,
				 struct bsf_push_res *res, const char **field)
{
	struct bsf_ue ue;
	struct bsf_hss_key key;
	struct gba_gpi_info info;
	struct gba_av av;
	uint8_t ks[GBA_KS_LEN];
	char fqdn[GBA_FQDN_MAX + 1];
	int64_t now, expiry;
	size_t i, naf_id_len = 0;
	enum bsf_problem pb = BSF_PB_SYSTEM_FAILURE;
	double t0;
	unsigned retry = 0;
	int r, have_ue = 0;

	/* all but the 16 KiB ussList buffer, which only needs to be empty */
	memset(res, 0, offsetof(struct bsf_push_res, uss_list));
	res->uss_list[0] = '\0';
	res->uss_list_len = 0;
	res->retry_after = 0;
	memset(&info, 0, sizeof(info));
	memset(&av, 0, sizeof(av));
	memset(&key, 0, sizeof(key));
	*field = NULL;
	now = ctx->now ? ctx->now() : wall_now();

	/* 1. Push-NAF authorisation for this NAF_Id (digest 6.1 step 1) */
	if (!bsf_naf_allows(naf, req->naf_fqdn, strlen(req->naf_fqdn),
			    req->ua_id)) {
		*field = "nafId";
		return BSF_PB_NAF_NOT_AUTHORIZED;
	}

	/* key lifetime: min(requested, policy) (digest 6.1 step 8) */
	if (req->has_requested_expiry) {
		if (req->requested_expiry <= now) {
			*field = "requestedLifeTime";
			return BSF_PB_MANDATORY_IE_INCORRECT;
		}
		expiry = req->requested_expiry;
		if (expiry - now > (int64_t)ctx->lifetime_max)
			expiry = now + ctx->lifetime_max;
	} else {
		expiry = now + ctx->lifetime_default;
	}

	/* 2. + 3. + 4. identity, association and GBA parameters in one read
	 * snapshot, together with the key row for step 5; an unknown UE and
	 * a UE not associated with this Push-NAF take the same path and get
	 * the same answer */
	t0 = mono();
	/* (@ue is zeroed by the lookup itself, on every path) */
	r = bsf_hss_ue_lookup(ctx->hss, naf->id, req->ue_id, req->ue_id_len,
			      req->ue_id_type == BSF_UEID_PRIVATE
				      ? BSF_ID_PRIVATE
				      : BSF_ID_PUBLIC,
			      req->n_gs_ids ? BSF_GBA_USS_XML : BSF_GBA_NO_USS,
			      &ue, &key);
	bsf_metrics_store(mono() - t0);
	have_ue = 1;
	if (r == GBA_ERR_MALFORMED || r == GBA_ERR_TOO_LARGE) {
		*field = "ueId";
		pb = BSF_PB_MANDATORY_IE_INCORRECT;
		goto out;
	}
	if (r != GBA_OK) {
		pb = store_problem(r);
		goto out;
	}
	/* the IMPI as a KDF string: NFKC, then UTF-8 (TS 33.220 B.2.1);
	 * rows added since the store normalises are already NFKC */
	if ((r = gba_utf8_nfkc_str(ue.impi, res->impi, sizeof(res->impi)))) {
		BSF_LOG(BSF_LOG_STORE, BSF_LOG_ERR, "stored IMPI: %s",
			gba_err_name(r));
		goto out;
	}
	memcpy(res->ue_id, req->ue_id, req->ue_id_len);
	res->ue_id[req->ue_id_len] = '\0';
	if (req->gba_u && !ue.params.gba_u) {
		*field = "uiccOrMe";
		pb = BSF_PB_GBA_U_NOT_SUPPORTED;
		goto out;
	}
	if (req->app_label_len && ue.params.n_labels) {
		for (i = 0; i < ue.params.n_labels; i++)
			if (!strcmp(ue.params.labels[i], req->app_label))
				break;
		if (i == ue.params.n_labels) {
			*field = "uiccAppLabel";
			pb = BSF_PB_UICC_APP_UNKNOWN;
			goto out;
		}
	}

	/* ussList for the requested GSIDs (uss.h), before any SQN is used */
	if ((r = bsf_uss_list(&ue.params, req, res->uss_list,
			      sizeof(res->uss_list), &res->uss_list_len))) {
		BSF_LOG(BSF_LOG_STORE, BSF_LOG_ERR, "ussList: %s",
			gba_err_name(r));
		goto out;
	}

	/* P-TID: the NAF's, or 128 random bits (project choice) */
	if (req->p_tid_len) {
		memcpy(res->p_tid, req->p_tid, req->p_tid_len + 1);
	} else {
		if (bsf_ptid_random(res->p_tid) != GBA_OK)
			goto out;
		res->p_tid_generated = 1;
	}
	/* NAF FQDN: NFKC, then UTF-8 (B.2.1; LDH text is left unchanged) */
	if ((r = gba_utf8_nfkc_str(req->naf_fqdn, fqdn, sizeof(fqdn))) !=
		    GBA_OK ||
	    (r = gba_naf_id(fqdn, req->ua_id, info.naf_id, &naf_id_len)) !=
		    GBA_OK) {
		*field = "nafId";
		pb = BSF_PB_MANDATORY_IE_INCORRECT;
		goto out;
	}
	info.naf_id_len = naf_id_len;

	/* 5. one fresh AV; after this point the SQN is consumed */
	t0 = mono();
	if (req->has_resync)
		r = bsf_hss_resync_key(ctx->hss, &key, req->rand_, req->auts,
				       &av, NULL);
	else
		r = bsf_hss_av_key(ctx->hss, &key, &av, NULL);
	retry = key.retry_after;
	bsf_hss_key_clear(&key);
	bsf_metrics_store(mono() - t0);
	if (r == GBA_ERR_MAC) {
		*field = "auts";
		pb = BSF_PB_RESYNC_FAILURE;
		goto out;
	}
	if (r == GBA_ERR_RATE_LIMIT) {
		/* this UE's AV rate ([store] ue_rate): no SQN consumed */
		*field = "ueId";
		pb = BSF_PB_TOO_MANY_REQUESTS;
		goto out;
	}
	if (r != GBA_OK) {
		BSF_LOG(BSF_LOG_STORE, BSF_LOG_ERR, "AV generation failed: %s",
			gba_err_name(r));
		pb = store_problem(r);
		goto out;
	}
	bsf_metrics_av(req->has_resync);
	if (av.ck_len != GBA_CK_LEN || av.ik_len != GBA_IK_LEN) {
		/* TUAK 256-bit CK/IK: Ks would not be 256 bits */
		BSF_LOG(BSF_LOG_CRYPTO, BSF_LOG_ERR,
			"CK/IK of %zu/%zu octets not supported for GBA",
			av.ck_len, av.ik_len);
		goto out;
	}

	/* 6. Ks = CK || IK, the NAF key(s), then Ks is gone */
	gba_ks_from_ck_ik(av.ck, av.ik, ks);
	r = gba_kdf_naf_key(ks, 0, av.rand, (const uint8_t *)res->impi,
			    strlen(res->impi), info.naf_id, naf_id_len,
			    res->me_key);
	if (r == GBA_OK && req->gba_u)
		r = gba_kdf_naf_key(ks, 1, av.rand,
				    (const uint8_t *)res->impi,
				    strlen(res->impi), info.naf_id,
				    naf_id_len, res->uicc_key);
	gba_cleanse(ks, sizeof(ks));
	if (r != GBA_OK)
		goto out;

	/* 7. + 8. the GPI */
	info.gba_u = req->gba_u;
	memcpy(info.rand, av.rand, sizeof(info.rand));
	if (req->gba_u)
		r = gba_aka_autn_star(av.autn, av.ik, av.ik_len, info.autn);
	else
		memcpy(info.autn, av.autn, sizeof(info.autn));
	if (r != GBA_OK)
		goto out;
	memcpy(info.app_label, req->app_label, req->app_label_len);
	info.app_label_len = req->app_label_len;
	info.key_expiry = (uint64_t)expiry;
	if ((r = gba_gpi_build(&info, (const uint8_t *)res->p_tid,
			       strlen(res->p_tid), res->me_key, res->gpi,
			       sizeof(res->gpi), &res->gpi_len)) != GBA_OK) {
		BSF_LOG(BSF_LOG_GPI, BSF_LOG_ERR, "GPI build failed: %s",
			gba_err_name(r));
		goto out;
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
	res->key_expiry = expiry;
	res->created = now;
	pb = BSF_PB_OK;
out:
	bsf_hss_key_clear(&key);
	gba_cleanse(&av, sizeof(av));
	gba_cleanse(ks, sizeof(ks));
	if (have_ue)
		bsf_gba_params_clear(&ue.params);
	gba_cleanse(ue.impi, sizeof(ue.impi));
	if (pb != BSF_PB_OK) {
		bsf_push_res_clear(res);
		/* the store unreachable (a PostgreSQL restart or fail-over):
		 * 503 with Retry-After, as while draining */
		if (pb == BSF_PB_SERVICE_UNAVAILABLE && retry == 0)
			retry = BSF_STORE_RETRY_AFTER;
		res->retry_after = retry;
	}
	return pb;
}
