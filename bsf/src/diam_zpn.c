/* see diam_zpn.h */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>
#include "gba/crypto.h"
#include "gba/diam.h"
#include "gba/diam_disp.h"
#include "diam_zpn.h"
#include "log.h"
#include "tls_ident.h"
#include "tlscred.h"

/*
 * problem -> GPA result: TS 29.109 clause 6.2.2 gives 5401 (identity
 * unknown) and 5402 (not authorised) as Experimental-Result-Code (vendor
 * 10415); the others are RFC 6733 7.1 Result-Codes.  The choice of which
 * problem gets which code is the project's, unconfirmed (docs/diameter.md).
 * An unknown UE and a UE not associated with the Push-NAF are one
 * problem (BSF_PB_USER_NOT_FOUND) and so one answer.
 */
static const struct {
	enum bsf_problem pb;
	struct bsf_diam_result r;
} results[] = {
	{BSF_PB_OK, {2001, 0, "DIAMETER_SUCCESS"}},
	{BSF_PB_INVALID_MSG_FORMAT, {5004, 0, "DIAMETER_INVALID_AVP_VALUE"}},
	{BSF_PB_MANDATORY_IE_MISSING, {5005, 0, "DIAMETER_MISSING_AVP"}},
	{BSF_PB_MANDATORY_IE_INCORRECT,
	 {5004, 0, "DIAMETER_INVALID_AVP_VALUE"}},
	{BSF_PB_OPTIONAL_IE_INCORRECT, {5004, 0, "DIAMETER_INVALID_AVP_VALUE"}},
	{BSF_PB_CLIENT_CERT,
	 {GBA_DIAM_ERROR_NOT_AUTHORIZED, 1, "DIAMETER_ERROR_NOT_AUTHORIZED"}},
	{BSF_PB_NAF_NOT_AUTHORIZED,
	 {GBA_DIAM_ERROR_NOT_AUTHORIZED, 1, "DIAMETER_ERROR_NOT_AUTHORIZED"}},
	{BSF_PB_USER_NOT_FOUND,
	 {GBA_DIAM_ERROR_IDENTITY_UNKNOWN, 1,
	  "DIAMETER_ERROR_IDENTITY_UNKNOWN"}},
	{BSF_PB_RESYNC_FAILURE,
	 {GBA_DIAM_ERROR_NOT_AUTHORIZED, 1, "DIAMETER_ERROR_NOT_AUTHORIZED"}},
	{BSF_PB_GBA_U_NOT_SUPPORTED, {5012, 0, "DIAMETER_UNABLE_TO_COMPLY"}},
	{BSF_PB_UICC_APP_UNKNOWN, {5012, 0, "DIAMETER_UNABLE_TO_COMPLY"}},
	{BSF_PB_TOO_MANY_REQUESTS, {3004, 0, "DIAMETER_TOO_BUSY"}},
	{BSF_PB_SERVICE_UNAVAILABLE, {3004, 0, "DIAMETER_TOO_BUSY"}},
};
static const struct bsf_diam_result other = {5012, 0,
					     "DIAMETER_UNABLE_TO_COMPLY"};

const struct bsf_diam_result *bsf_diam_result(enum bsf_problem pb)
{
	size_t i;

	for (i = 0; i < sizeof(results) / sizeof(results[0]); i++)
		if (results[i].pb == pb)
			return &results[i].r;
	return &other;
}

/* freeDiameter takes non-const pointers to data it only reads */
static void *unconst(const void *p)
{
	return (void *)(uintptr_t)p;
}

static struct bsf_push_ctx *g_push;
static int on_gpr(struct msg **msg, const struct gba_diam_dict *zd);
static struct gba_diam_handler g_gpr = {on_gpr, NULL};
/* [tls] cert/key/ca/crl: the trust list the peer chain is verified with,
 * as on HTTPS (tls_ident.h); replaced by bsf_diam_zpn_reload() */
static struct bsf_tlscred *g_cred;
static pthread_mutex_t g_cred_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_started; /* 1: the core is ours to stop */

/* bits of the single-valued AVPs seen */
#define SEEN(c) (1u << ((c)-GBA_DIAM_AVP_FIRST))

static enum bsf_problem bad(const char **field, const char *name,
			    enum bsf_problem pb)
{
	*field = name;
	return pb;
}

/*
 * The GPR AVPs acted on (TS 29.109 clause 6.3).  A mandatory one missing
 * is MANDATORY_IE_MISSING (in this order), a wrong value of it
 * MANDATORY_IE_INCORRECT; a wrong optional one OPTIONAL_IE_INCORRECT.
 * The Enumerated ones are 0 or 1.
 */
static const struct gpr_avp {
	unsigned code;
	const char *name;
	int mandatory, enumerated;
} gpr_avps[] = {
	{ GBA_DIAM_UE_ID, "UE-Id", 1, 0 },
	{ GBA_DIAM_UE_ID_TYPE, "UE-Id-Type", 1, 1 },
	{ GBA_DIAM_NAF_ID, "NAF-Id", 1, 0 },
	{ GBA_DIAM_UICC_ME, "UICC-ME", 1, 1 },
	{ GBA_DIAM_UICC_APP_LABEL, "UICC-App-Label", 0, 0 },
	{ GBA_DIAM_NAF_SA_IDENTIFIER, "NAF-SA-Identifier", 0, 0 },
	{ GBA_DIAM_REQUESTED_KEY_LIFETIME, "Requested-Key-Lifetime", 0, 0 },
	{ GBA_DIAM_PRIVATE_IDENTITY_REQUEST, "Private-Identity-Request", 0, 1 },
	{ GBA_DIAM_GBA_U_AWARENESS_INDICATOR, "GBA_U-Awareness-Indicator", 0, 1 },
	{ GBA_DIAM_GAA_SERVICE_IDENTIFIER, "GAA-Service-Identifier", 0, 0 },
};

/* the value of AVP @a (header @h) into @req: 1, or 0 wrong */
static int set_avp(const struct gpr_avp *a, const struct avp_hdr *h,
		   struct bsf_push_req *req)
{
	const char *d = h->avp_value ? (const char *)h->avp_value->os.data
				     : NULL;
	size_t n = h->avp_value ? h->avp_value->os.len : 0;
	int32_t v = 0;
	int64_t t;

	if (a->enumerated) {
		if (!h->avp_value || h->avp_value->i32 < 0 ||
		    h->avp_value->i32 > 1)
			return 0;
		v = h->avp_value->i32;
	}
	switch (a->code) {
	case GBA_DIAM_UE_ID:
		return bsf_req_set_text(req, BSF_RT_UE_ID, d, n);
	case GBA_DIAM_UE_ID_TYPE: /* 0 private, 1 public */
		req->ue_id_type = v ? BSF_UEID_PUBLIC : BSF_UEID_PRIVATE;
		return 1;
	case GBA_DIAM_NAF_ID: /* FQDN || Ua security protocol id */
		if (n <= GBA_UA_ID_LEN ||
		    !bsf_req_set_text(req, BSF_RT_NAF_FQDN, d, n - GBA_UA_ID_LEN))
			return 0;
		memcpy(req->ua_id, d + n - GBA_UA_ID_LEN, GBA_UA_ID_LEN);
		return 1;
	case GBA_DIAM_UICC_ME: /* 0 GBA_ME, 1 GBA_U */
		req->gba_u = v;
		return 1;
	case GBA_DIAM_UICC_APP_LABEL:
		return bsf_req_set_text(req, BSF_RT_APP_LABEL, d, n);
	case GBA_DIAM_NAF_SA_IDENTIFIER: /* the P-TID */
		return bsf_req_set_text(req, BSF_RT_P_TID, d, n);
	case GBA_DIAM_REQUESTED_KEY_LIFETIME:
		if ((t = gba_diam_time_get((const uint8_t *)d, n)) < 0)
			return 0;
		req->requested_expiry = t;
		req->has_requested_expiry = 1;
		return 1;
	case GBA_DIAM_PRIVATE_IDENTITY_REQUEST: /* 0 requested (inverted) */
		req->private_id_request = v == 0;
		return 1;
	case GBA_DIAM_GBA_U_AWARENESS_INDICATOR: /* 0 NO, 1 YES */
		req->gba_u_aware = v;
		return 1;
	default: /* GAA-Service-Identifier: a GSID as decimal text, as on
		  * the Zpn web service */
		return bsf_req_add_gsid(req, d, n);
	}
}

/* one AVP of the GPR (TS 29.109 clause 6.3) into @req */
static enum bsf_problem one_avp(const struct avp_hdr *h,
				struct bsf_push_req *req, uint32_t *seen,
				const char **field)
{
	unsigned c = h->avp_code;
	size_t i;

	if (c != GBA_DIAM_GAA_SERVICE_IDENTIFIER) {
		if (*seen & SEEN(c))
			return bad(field, "duplicate AVP",
				   BSF_PB_MANDATORY_IE_INCORRECT);
		*seen |= SEEN(c);
	}
	for (i = 0; i < GBA_ARRAY_SIZE(gpr_avps); i++)
		if (gpr_avps[i].code == c)
			break;
	/* Security-Feature-Request and the rest: not acted on */
	if (i == GBA_ARRAY_SIZE(gpr_avps) || set_avp(&gpr_avps[i], h, req))
		return BSF_PB_OK;
	return bad(field, gpr_avps[i].name,
		   gpr_avps[i].mandatory ? BSF_PB_MANDATORY_IE_INCORRECT
					 : BSF_PB_OPTIONAL_IE_INCORRECT);
}

/* the GPR -> @req (TS 29.109 clause 6.1, ABNF in docs/diameter.md) */
static enum bsf_problem decode(struct msg *m, struct bsf_push_req *req,
			       const char **field)
{
	struct avp *a = NULL;
	struct avp_hdr *h;
	uint32_t seen = 0;
	enum bsf_problem pb;
	size_t i;
	int r;

	memset(req, 0, sizeof(*req));
	*field = NULL;
	while ((r = gba_diam_avp_next(m, &a, &h)) > 0)
		if ((h->avp_flags & AVP_FLAG_VENDOR) &&
		    h->avp_vendor == GBA_DIAM_VENDOR_3GPP &&
		    h->avp_code >= GBA_DIAM_AVP_FIRST &&
		    h->avp_code <= GBA_DIAM_AVP_LAST &&
		    (pb = one_avp(h, req, &seen, field)) != BSF_PB_OK)
			return pb;
	if (r < 0)
		return BSF_PB_INVALID_MSG_FORMAT;
	for (i = 0; i < GBA_ARRAY_SIZE(gpr_avps); i++)
		if (gpr_avps[i].mandatory && !(seen & SEEN(gpr_avps[i].code)))
			return bad(field, gpr_avps[i].name,
				   BSF_PB_MANDATORY_IE_MISSING);
	return BSF_PB_OK;
}

/* the Push-NAF identity of the peer that sent @m: its TLS certificate */
static enum bsf_problem peer_identity(struct msg *m,
				      char id[BSF_CERT_ID_MAX + 1])
{
	struct peer_hdr *p = NULL;
	struct bsf_tlscred *cred;
	const char *why;
	DiamId_t src = NULL;
	size_t srclen = 0;

	if (fd_msg_source_get(m, &src, &srclen) || !src ||
	    fd_peer_getbyid(src, srclen, 0, &p) || !p)
		return BSF_PB_CLIENT_CERT;
	/* NULL when the peer did not use TLS (libfdcore.h) */
	if (!p->info.runtime.pir_cert_list ||
	    p->info.runtime.pir_cert_list_size < 1)
		return BSF_PB_CLIENT_CERT;
	/* the chain again under the HTTPS rules: [tls] ca and crl, the TLS
	 * client key purpose (freeDiameter checked only its TLS_CA) */
	pthread_mutex_lock(&g_cred_mu);
	cred = g_cred ? bsf_tlscred_get(g_cred) : NULL;
	pthread_mutex_unlock(&g_cred_mu);
	if (!cred)
		return BSF_PB_SERVICE_UNAVAILABLE;
	why = bsf_tls_trust_verify(bsf_tlscred_trust(cred),
				   p->info.runtime.pir_cert_list,
				   p->info.runtime.pir_cert_list_size);
	bsf_tlscred_put(cred);
	if (why)
		return BSF_PB_CLIENT_CERT;
	if (bsf_tls_ident(&p->info.runtime.pir_cert_list[0], id) != GBA_OK)
		return BSF_PB_CLIENT_CERT;
	return BSF_PB_OK;
}

static int add_os(struct msg *m, unsigned code, const void *p, size_t n)
{
	return gba_diam_add_os(m, gba_diam_avp(code), p, n);
}

static int add_time(struct msg *m, unsigned code, int64_t t)
{
	uint8_t b[4];

	gba_diam_time_put(t, b);
	return add_os(m, code, b, 4);
}

static int add_result(struct msg *m, const struct gba_diam_dict *zd,
		      const struct bsf_diam_result *r)
{
	if (!r->experimental)
		return fd_msg_rescode_set(m, unconst(r->name), NULL, NULL, 1);
	if (fd_msg_add_origin(m, 0) ||
	    gba_diam_add_experimental(m, zd, r->code))
		return -1;
	return 0;
}

/* the GPA's information AVPs (TS 29.109 clause 6.3) from @res */
static int add_info(struct msg *m, const struct gba_diam_dict *zd,
		    const struct bsf_push_res *res)
{
	if (res->has_impi) {
		struct avp *a = NULL;
		union avp_value v;

		memset(&v, 0, sizeof(v));
		v.os.data = unconst(res->impi);
		v.os.len = strlen(res->impi);
		if (fd_msg_avp_new(zd->user_name, 0, &a) ||
		    fd_msg_avp_setvalue(a, &v) ||
		    fd_msg_avp_add(m, MSG_BRW_LAST_CHILD, a))
			return -1;
	}
	if (add_os(m, GBA_DIAM_GBA_PUSH_INFO, res->gpi, res->gpi_len) ||
	    add_os(m, GBA_DIAM_ME_KEY_MATERIAL, res->me_key,
		   sizeof(res->me_key)) ||
	    (res->has_uicc_key &&
	     add_os(m, GBA_DIAM_UICC_KEY_MATERIAL, res->uicc_key,
		    sizeof(res->uicc_key))) ||
	    add_time(m, GBA_DIAM_KEY_EXPIRYTIME, res->key_expiry) ||
	    add_time(m, GBA_DIAM_BOOTSTRAPINFOCREATIONTIME, res->created) ||
	    (res->uss_list_len && add_os(m, GBA_DIAM_GBA_USERSECSETTINGS,
					 res->uss_list, res->uss_list_len)) ||
	    gba_diam_add_i32(m, gba_diam_avp(GBA_DIAM_GBA_TYPE),
			     0 /* 3G GBA */))
		return -1;
	return 0;
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * One GPR from its arrival to its GPA.  In zh mode the MAR of step 5 is
 * sent without waiting (push.h bsf_push_av_send()) and the GPA sent from
 * the callback that brings the MAA: a GPR must not hold one of
 * freeDiameter's AppServThreads while it waits, because the MAA is
 * delivered on one of them (libfdcore routing_dispatch.c): with as many
 * GPRs waiting as there are such threads, no MAA would come in.
 */
struct gpr {
	struct msg *msg; /* the GPR, until the GPA is made from it */
	const struct gba_diam_dict *zd;
	struct bsf_push_naf_cache cache;
	const struct bsf_naf *naf;
	struct bsf_push_req req;
	struct bsf_push_res res;
	struct bsf_push_run run;
	char id[BSF_CERT_ID_MAX + 1];
	char tag[BSF_UE_TAG_LEN + 1];
	char src[256]; /* the GPR's Origin-Host, for the log */
	const char *field;
};

/* the GPA for @g's problem @pb, logged and sent; frees @g.  *@left: the
 * message freeDiameter did not take (NULL once sent) */
static int gpr_answer(struct gpr *g, enum bsf_problem pb, struct msg **left)
{
	const struct bsf_diam_result *r = bsf_diam_result(pb);
	int rc;

	rc = gba_diam_answer_new(&g->msg, g->zd, GBA_DIAM_APP_ZN);
	if (!rc)
		rc = add_result(g->msg, g->zd, r) ||
		     (pb == BSF_PB_OK && add_info(g->msg, g->zd, &g->res));
	bsf_push_res_clear(&g->res);
	gba_cleanse(&g->req, sizeof(g->req));
	BSF_LOG(BSF_LOG_ZPN, pb == BSF_PB_OK ? BSF_LOG_INFO : BSF_LOG_NOTICE,
		"diameter GPR naf=%s ue=%s result=%u%s%s%s peer=%s", g->id,
		g->tag, r->code, r->experimental ? " experimental=1" : "",
		g->field ? " field=" : "", g->field ? g->field : "", g->src);
	/* the answer could not be built: the request gets none and the
	 * peer times out */
	if (rc)
		BSF_LOG(BSF_LOG_ZPN, BSF_LOG_ERR,
			"diameter GPA could not be built");
	/* the key AVPs wiped in the GPA before freeDiameter frees it */
	rc = gba_diam_answer_send(&g->msg, rc);
	*left = g->msg;
	free(g);
	return rc;
}

/* the MAA's AV is in (freeDiameter's thread, or the shutdown) */
static void gpr_av_done(void *tag, struct bsf_av_answer *ans)
{
	struct gpr *g = tag;
	struct msg *left = NULL;
	enum bsf_problem pb;

	bsf_push_av_take(&g->run, ans);
	pb = bsf_push_complete(g_push, g->naf, &g->req, &g->run, BSF_PB_OK,
			       &g->res, &g->field);
	/* not from a dispatch callback: nobody else frees what fails (the
	 * core stopped: bsf_zh_client_cancel()) */
	if (gpr_answer(g, pb, &left) && left) {
		gba_diam_wipe_secrets(left);
		fd_msg_free(left);
	}
}

static int on_gpr(struct msg **msg, const struct gba_diam_dict *zd)
{
	struct gpr *g = calloc(1, sizeof(*g));
	enum bsf_problem pb;
	DiamId_t src = NULL;
	size_t srclen = 0;
	int r = GBA_OK;

	if (!g)
		return ENOMEM; /* freeDiameter answers 5012 */
	g->msg = *msg;
	*msg = NULL;
	g->zd = zd;
	memcpy(g->id, "-", 2);
	memcpy(g->tag, "-", 2);
	if (fd_msg_source_get(g->msg, &src, &srclen) || !src)
		srclen = 0;
	if (srclen >= sizeof(g->src))
		srclen = sizeof(g->src) - 1;
	memcpy(g->src, srclen ? (const char *)src : "", srclen);
	pb = peer_identity(g->msg, g->id);
	if (pb == BSF_PB_OK)
		pb = bsf_push_naf_authorise(g_push, &g->cache, g->id,
					    mono_now(), &g->naf);
	if (pb == BSF_PB_OK)
		pb = decode(g->msg, &g->req, &g->field);
	if (pb != BSF_PB_OK)
		return gpr_answer(g, pb, msg);
	bsf_log_ue_tag(g->req.ue_id, g->req.ue_id_len, g->tag);
	pb = bsf_push_begin(g_push, g->naf, &g->req, &g->run, &g->field);
	if (pb == BSF_PB_OK)
		r = bsf_push_lookup(g_push, g->naf, &g->req, &g->run);
	pb = bsf_push_prepare(g_push, &g->req, &g->run, pb, r, &g->res,
			      &g->field);
	/* zh: the GPA is sent by gpr_av_done(), @g may be gone already */
	if (pb == BSF_PB_OK &&
	    bsf_push_av_send(g_push, &g->req, &g->res, &g->run, gpr_av_done,
			     g) == GBA_OK)
		return 0;
	if (pb == BSF_PB_OK)
		bsf_push_av(g_push, &g->req, &g->res, &g->run);
	pb = bsf_push_complete(g_push, g->naf, &g->req, &g->run, pb, &g->res,
			       &g->field);
	return gpr_answer(g, pb, msg);
}

/* freeDiameter's lines into the BSF log (area zpn) */
static void on_fd_log(int level, const char *line)
{
	BSF_LOG(BSF_LOG_ZPN,
		level >= FD_LOG_ERROR ? BSF_LOG_WARNING : BSF_LOG_INFO,
		"freeDiameter: %s", line);
}

int bsf_diam_zpn_reload(const struct bsf_config *cfg, char *err, size_t err_len)
{
	struct bsf_tlscred *c = NULL, *old;
	int r;

	if ((r = bsf_tlscred_load(cfg->tls_cert, cfg->tls_key, cfg->tls_ca,
				  cfg->tls_crl, &c, err, err_len)) != GBA_OK)
		return r;
	pthread_mutex_lock(&g_cred_mu);
	old = g_cred;
	g_cred = c;
	pthread_mutex_unlock(&g_cred_mu);
	bsf_tlscred_put(old);
	return GBA_OK;
}

int bsf_diam_zpn_start(const struct bsf_config *cfg, struct bsf_push_ctx *push)
{
	const char *conf = cfg->diam_conf;
	const struct gba_diam_dict *zd;
	char err[256];
	int r;

	if ((r = bsf_diam_zpn_reload(cfg, err, sizeof(err))) != GBA_OK) {
		BSF_LOG(BSF_LOG_ZPN, BSF_LOG_ERR, "Diameter: %s", err);
		return r;
	}

	/* one core per process: a core another part of gba-bsf started
	 * (the Zh client, same [diameter] conf) is shared */
	r = gba_diam_start(conf, FD_LOG_ERROR, on_fd_log);
	if (r == GBA_ERR_STATE && gba_diam_zpn())
		r = GBA_OK;
	else if (r == GBA_OK)
		g_started = 1;
	if (r != GBA_OK) {
		BSF_LOG(BSF_LOG_ZPN, BSF_LOG_ERR, "freeDiameter: %s",
			gba_diam_last_error());
		return r;
	}
	zd = gba_diam_zpn();
	g_push = push;
	if (gba_diam_handle(zd->app, zd->gpr, &g_gpr)) {
		if (g_started)
			gba_diam_stop();
		g_started = 0;
		return GBA_ERR_INTERNAL;
	}
	return GBA_OK;
}

void bsf_diam_zpn_stop(void)
{
	gba_diam_unhandle(&g_gpr);
	if (g_started)
		gba_diam_stop();
	g_started = 0;
	g_push = NULL;
	pthread_mutex_lock(&g_cred_mu);
	bsf_tlscred_put(g_cred);
	g_cred = NULL;
	pthread_mutex_unlock(&g_cred_mu);
}
