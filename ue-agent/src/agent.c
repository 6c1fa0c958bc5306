/*
 * see gbaue/gbaue.h - the UE agent: SMS in, events out.
 *
 * Receive pipeline (docs/spec-facts.md section 10): TPDU (TS 23.040
 * 9.2.2.1) -> UDH port / concatenation (9.2.3.24) -> reassembly -> WDP port
 * 2948 -> WSP Push + GPI envelope (TS 24.109 J.2.2) -> GPI (TS 33.223,
 * project layout) -> AKA on the USIM (TS 33.102 6.3.3) -> Ks = CK || IK ->
 * NAF key (TS 33.220 B.3) -> GPI integrity + P-TID -> NAF SA.  Triggers
 * (TS 23.682 5.2, application port) -> GPL (TS 33.224, project layout).
 *
 * State discipline (style.md C5): a GPI or trigger is processed into
 * locals; the new state is serialised and saved through the port first and
 * only then committed in memory, so a rejected input or a failed save
 * leaves the context as it was.  The one state change outside our control
 * is a real UICC's SQN update at AUTHENTICATE (TS 33.102 6.3.3), which the
 * spec requires; the software USIM stages it until finish().
 */
#include <string.h>
#include "agent_i.h"
#include "gba/crypto.h"
#include "gba/gpi.h"
#include "gba/gpi_push.h"
#include "gba/kdf.h"
#include "gba/sms.h"
#include "gba/utf8.h"
#include "gba/wsp.h"

/* ---- names ---- */

struct name_entry {
	int v;
	const char *name;
};

static const struct name_entry event_names[] = {
	{GBAUE_EV_NONE, "NONE"},
	{GBAUE_EV_SEGMENT, "SEGMENT"},
	{GBAUE_EV_IGNORED, "IGNORED"},
	{GBAUE_EV_REJECTED, "REJECTED"},
	{GBAUE_EV_GPI_ACCEPTED, "GPI_ACCEPTED"},
	{GBAUE_EV_AUTS, "AUTS"},
	{GBAUE_EV_TRIGGER, "TRIGGER"},
	{GBAUE_EV_UA_KEY, "UA_KEY"},
};

static const struct name_entry reason_names[] = {
	{GBAUE_R_NONE, "NONE"},
	{GBAUE_R_PDU_MALFORMED, "PDU_MALFORMED"},
	{GBAUE_R_NOT_DELIVER, "NOT_DELIVER"},
	{GBAUE_R_NO_PORT, "NO_PORT"},
	{GBAUE_R_OTHER_PORT, "OTHER_PORT"},
	{GBAUE_R_REASSEMBLY, "REASSEMBLY"},
	{GBAUE_R_SEG_DUPLICATE, "SEG_DUPLICATE"},
	{GBAUE_R_WSP_MALFORMED, "WSP_MALFORMED"},
	{GBAUE_R_NOT_GPI, "NOT_GPI"},
	{GBAUE_R_ENVELOPE, "ENVELOPE"},
	{GBAUE_R_GPI_MALFORMED, "GPI_MALFORMED"},
	{GBAUE_R_MODE, "MODE"},
	{GBAUE_R_APP_LABEL, "APP_LABEL"},
	{GBAUE_R_NAF_NOT_ALLOWED, "NAF_NOT_ALLOWED"},
	{GBAUE_R_KEY_EXPIRED, "KEY_EXPIRED"},
	{GBAUE_R_DUPLICATE, "DUPLICATE"},
	{GBAUE_R_AUTN, "AUTN"},
	{GBAUE_R_AMF, "AMF"},
	{GBAUE_R_USIM, "USIM"},
	{GBAUE_R_GPI_INTEGRITY, "GPI_INTEGRITY"},
	{GBAUE_R_NO_TIME, "NO_TIME"},
	{GBAUE_R_TRIGGER_MALFORMED, "TRIGGER_MALFORMED"},
	{GBAUE_R_UNKNOWN_SA, "UNKNOWN_SA"},
	{GBAUE_R_SA_EXPIRED, "SA_EXPIRED"},
	{GBAUE_R_TRIGGER_MAC, "TRIGGER_MAC"},
	{GBAUE_R_REPLAY, "REPLAY"},
};

static const char *lookup(const struct name_entry *t, size_t n, int v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].name;
	return "UNKNOWN";
}

const char *gbaue_event_name(int type)
{
	return lookup(event_names, GBA_ARRAY_SIZE(event_names), type);
}

const char *gbaue_reason_name(int reason)
{
	return lookup(reason_names, GBA_ARRAY_SIZE(reason_names), reason);
}

/*
 * An error code and the reason a REJECTED event gives for it.  A table of
 * them ends with a GBA_OK entry: the reason for any error not listed.
 */
struct err_reason {
	int err;
	enum gbaue_reason reason;
};

static enum gbaue_reason reason_for(const struct err_reason *t, int err)
{
	while (t->err != GBA_OK && t->err != err)
		t++;
	return t->reason;
}

/* ---- context ---- */

void gbaue_cfg_default(struct gbaue_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->allow_gba_me = 1;
	cfg->allow_gba_u = 1;
	cfg->push.app_code = GBA_GPI_PUSH_APP_ID_DEFAULT;
	cfg->reasm_timeout_ms = 10u * 60u * 1000u;
	cfg->gpl_suite = GPL_SUITE_AES128CTR_HMAC256_128;
}

/* Record an environment error; it sticks until gbaue_reset(). */
static int sticky(struct gbaue_ctx *ctx, int err)
{
	if (ctx->err == GBA_OK)
		ctx->err = err;
	GBAUE_LOG(ctx, GBAUE_LOG_ERR, "gbaue: environment error", err);
	return ctx->err;
}

static int ev_set(struct gbaue_ctx *ctx, struct gbaue_event *ev,
		  enum gbaue_event_type type, enum gbaue_reason reason, int err)
{
	ev->type = type;
	ev->reason = reason;
	ev->err = err;
	if (type == GBAUE_EV_REJECTED)
		GBAUE_LOG(ctx, GBAUE_LOG_WARN, gbaue_reason_name(reason), err);
	else if (type == GBAUE_EV_IGNORED)
		GBAUE_LOG(ctx, GBAUE_LOG_DEBUG, gbaue_reason_name(reason), err);
#ifdef GBAUE_NO_LOG
	(void)ctx;
#endif
	return GBA_OK;
}

static int load_state(struct gbaue_ctx *ctx)
{
	size_t n = 0;
	int r;

	r = ctx->port->load(ctx->port->arg, ctx->blob, sizeof(ctx->blob), &n);
	if (r == 1)
		return GBA_OK; /* never saved: empty state */
	if (r != 0 || n > sizeof(ctx->blob))
		return GBA_ERR_IO;
	r = gbaue_state_decode_(ctx, ctx->blob, n);
	gba_cleanse(ctx->blob, sizeof(ctx->blob));
	return r;
}

static int save_state(struct gbaue_ctx *ctx)
{
	size_t n;
	int r;

	if ((r = gbaue_state_encode_(ctx, ctx->blob, sizeof(ctx->blob), &n)) ==
		    GBA_OK &&
	    ctx->port->save(ctx->port->arg, ctx->blob, n) != 0)
		r = GBA_ERR_IO;
	gba_cleanse(ctx->blob, sizeof(ctx->blob));
	return r;
}

int gbaue_init(struct gbaue_ctx *ctx, const struct gbaue_port *port,
	       const struct gbaue_cfg *cfg)
{
	if (!ctx)
		return GBA_ERR_BAD_PARAM;
	gba_cleanse(ctx, sizeof(*ctx));
	ctx->port = port;
	if (!port || !cfg || !port->now_ms || !port->wall_time || !port->load ||
	    !port->save || !port->usim || !port->usim->authenticate ||
	    cfg->impi_len == 0 || cfg->impi_len > GBA_IMPI_MAX ||
	    (!cfg->allow_gba_me && !cfg->allow_gba_u) ||
	    cfg->app_label_len > GBA_APP_LABEL_MAX ||
	    cfg->naf_allow_n > GBAUE_NAF_ALLOW_MAX ||
	    (cfg->push.app_is_text && !cfg->push.app_urn))
		return sticky(ctx, GBA_ERR_BAD_PARAM);
	/* TS 33.220 B.2.1: the caller gives the NFKC form; it must be UTF-8 */
	if (gba_utf8_check(cfg->impi, cfg->impi_len) != GBA_OK)
		return sticky(ctx, GBA_ERR_BAD_UTF8);
	ctx->cfg = *cfg;
	if (port->random)
		gba_crypto_set_rng(port->random, port->arg);
	return gbaue_reset(ctx);
}

int gbaue_reset(struct gbaue_ctx *ctx)
{
	int r;

	if (!ctx || !ctx->port)
		return GBA_ERR_BAD_PARAM;
	ctx->err = GBA_OK;
	ctx->ready = 0;
	gba_cleanse(ctx->slot, sizeof(ctx->slot));
	memset(ctx->rand_hist, 0, sizeof(ctx->rand_hist));
	ctx->rand_hist_n = 0;
	ctx->stamp = 0;
	gba_sms_reasm_init(&ctx->reasm, ctx->cfg.reasm_timeout_ms);
	if ((r = load_state(ctx)) != GBA_OK)
		return sticky(ctx, r);
	ctx->ready = 1;
	return GBA_OK;
}

int gbaue_last_error(const struct gbaue_ctx *ctx)
{
	return ctx ? ctx->err : GBA_ERR_BAD_PARAM;
}

void gbaue_clear(struct gbaue_ctx *ctx)
{
	if (ctx)
		gba_cleanse(ctx, sizeof(*ctx));
}

static int entry(struct gbaue_ctx *ctx, struct gbaue_event *ev)
{
	if (!ctx)
		return GBA_ERR_BAD_PARAM;
	if (ctx->err)
		return ctx->err;
	if (!ctx->ready)
		return sticky(ctx, GBA_ERR_STATE);
	if (!ev)
		return sticky(ctx, GBA_ERR_BAD_PARAM);
	memset(ev, 0, sizeof(*ev));
	ev->sa_slot = -1;
	return GBA_OK;
}

/*
 * TS 33.220 Annex H: the last GBA_UA_ID_LEN octets of a NAF_Id are the Ua
 * security protocol identifier; only the GPL one (01 00 00 00 05) makes a
 * GPL SA.
 */
static int naf_is_gpl(const uint8_t *naf_id, size_t len)
{
	static const uint8_t gpl_id[GBA_UA_ID_LEN] = GBAUE_UA_ID_GPL;

	return len > GBA_UA_ID_LEN &&
	       memcmp(naf_id + len - GBA_UA_ID_LEN, gpl_id, GBA_UA_ID_LEN) ==
		       0;
}

int gbaue_sa_get(const struct gbaue_ctx *ctx, int i, struct gbaue_sa_info *info)
{
	const struct gbaue_slot_ *s;

	if (info)
		memset(info, 0, sizeof(*info));
	if (!ctx || !info || i < 0 || i >= GBAUE_SA_SLOTS)
		return GBA_ERR_BAD_PARAM;
	s = &ctx->slot[i];
	if (!s->used)
		return GBA_ERR_NOT_FOUND;
	info->gba_u = s->gba_u;
	info->gpl = naf_is_gpl(s->sa.naf_id, s->sa.naf_id_len);
	memcpy(info->rand, s->sa.rand, GBA_RAND_LEN);
	memcpy(info->naf_id, s->sa.naf_id, s->sa.naf_id_len);
	info->naf_id_len = s->sa.naf_id_len;
	memcpy(info->p_tid, s->sa.p_tid, s->sa.p_tid_len);
	info->p_tid_len = s->sa.p_tid_len;
	info->key_expiry = s->sa.expiry;
	info->suite = s->sa.suite;
	info->sn_h = s->sa.sn_h;
	info->stamp = s->stamp;
	return GBA_OK;
}

int gbaue_sa_key(const struct gbaue_ctx *ctx, int i,
		 uint8_t key[GBA_KDF_OUT_LEN])
{
	if (key)
		memset(key, 0, GBA_KDF_OUT_LEN);
	if (!ctx || !key || i < 0 || i >= GBAUE_SA_SLOTS)
		return GBA_ERR_BAD_PARAM;
	if (!ctx->slot[i].used)
		return GBA_ERR_NOT_FOUND;
	/* TS 33.220 Annex H: a GPL SA's key serves GPL only (the agent's
	 * trigger path); it is never handed to another protocol */
	if (naf_is_gpl(ctx->slot[i].sa.naf_id, ctx->slot[i].sa.naf_id_len))
		return GBA_ERR_NOT_AUTHORIZED;
	memcpy(key, ctx->slot[i].sa.naf_key, GBA_KDF_OUT_LEN);
	return GBA_OK;
}

/* ---- GPI ---- */

static int ascii_ieq(const uint8_t *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t x = a[i], y = (uint8_t)b[i];

		if (x >= 'A' && x <= 'Z')
			x = (uint8_t)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (uint8_t)(y + 32);
		if (x != y)
			return 0;
	}
	return 1;
}

/*
 * The FQDN part of NAF_Id (FQDN || Ua security protocol id) lower-cased,
 * once, where it enters the UE: TS 33.220 Annex B takes NAF_Id as octets
 * while DNS names compare case-insensitively, and the BSF and the SCS use
 * the lower-case FQDN (docs/bsf.md "NAF FQDN case").
 */
static void naf_id_lower(struct gba_gpi_info *info)
{
	size_t i;

	for (i = 0; i + GBA_UA_ID_LEN < info->naf_id_len; i++)
		if (info->naf_id[i] >= 'A' && info->naf_id[i] <= 'Z')
			info->naf_id[i] = (uint8_t)(info->naf_id[i] + 32);
}

/* TS 33.223 5 [U], docs/spec-facts.md 8: is the NAF acceptable here? */
static int naf_allowed(const struct gbaue_cfg *cfg,
		       const struct gba_gpi_info *info)
{
	const uint8_t *fqdn, *ua;
	size_t n, i;

	if (gba_gpi_naf_fqdn(info, &fqdn, &n, &ua) != GBA_OK)
		return 0;
	if (cfg->naf_allow_n == 0)
		return 1;
	for (i = 0; i < cfg->naf_allow_n; i++)
		if (strlen(cfg->naf_allow[i]) == n &&
		    ascii_ieq(fqdn, cfg->naf_allow[i], n))
			return 1;
	return 0;
}

static int rand_seen(const struct gbaue_ctx *ctx, const uint8_t *rand_)
{
	size_t i, n;

	for (i = 0; i < GBAUE_SA_SLOTS; i++)
		if (ctx->slot[i].used &&
		    memcmp(ctx->slot[i].sa.rand, rand_, GBA_RAND_LEN) == 0)
			return 1;
	n = ctx->rand_hist_n < GBAUE_RAND_HISTORY ? ctx->rand_hist_n
						  : GBAUE_RAND_HISTORY;
	for (i = 0; i < n; i++)
		if (memcmp(ctx->rand_hist[i], rand_, GBA_RAND_LEN) == 0)
			return 1;
	return 0;
}

/* Add @rand_ to the history ring; *@old gets the entry it overwrote. */
static void hist_push(struct gbaue_ctx *ctx, const uint8_t *rand_,
		      uint8_t old[GBA_RAND_LEN])
{
	uint8_t *e = ctx->rand_hist[ctx->rand_hist_n % GBAUE_RAND_HISTORY];

	memcpy(old, e, GBA_RAND_LEN);
	memcpy(e, rand_, GBA_RAND_LEN);
	ctx->rand_hist_n++;
}

static void hist_pop(struct gbaue_ctx *ctx, const uint8_t old[GBA_RAND_LEN])
{
	ctx->rand_hist_n--;
	memcpy(ctx->rand_hist[ctx->rand_hist_n % GBAUE_RAND_HISTORY], old,
	       GBA_RAND_LEN);
}

static int ptid_seen(const struct gbaue_ctx *ctx, const struct gpl_sa *sa)
{
	size_t i;

	for (i = 0; i < GBAUE_SA_SLOTS; i++) {
		const struct gpl_sa *o = &ctx->slot[i].sa;

		if (ctx->slot[i].used && o->p_tid_len == sa->p_tid_len &&
		    o->naf_id_len == sa->naf_id_len &&
		    memcmp(o->p_tid, sa->p_tid, sa->p_tid_len) == 0 &&
		    memcmp(o->naf_id, sa->naf_id, sa->naf_id_len) == 0)
			return 1;
	}
	return 0;
}

/* Slot for a new SA: a free one, else an expired one, else the oldest. */
static int pick_slot(const struct gbaue_ctx *ctx, uint64_t now)
{
	int i, best = -1;

	for (i = 0; i < GBAUE_SA_SLOTS; i++)
		if (!ctx->slot[i].used)
			return i;
	for (i = 0; i < GBAUE_SA_SLOTS; i++)
		if (now >= ctx->slot[i].sa.expiry &&
		    (best < 0 || ctx->slot[i].stamp < ctx->slot[best].stamp))
			best = i;
	if (best >= 0)
		return best;
	for (i = 0; i < GBAUE_SA_SLOTS; i++)
		if (best < 0 || ctx->slot[i].stamp < ctx->slot[best].stamp)
			best = i;
	return best;
}

static void usim_finish(struct gbaue_ctx *ctx, int accepted)
{
	if (ctx->port->usim->finish)
		ctx->port->usim->finish(ctx->port->usim_arg, accepted);
}

/* why the USIM refused a GPI */
static const struct err_reason usim_errs[] = {
	{GBA_ERR_MAC, GBAUE_R_AUTN},
	{GBA_ERR_AMF, GBAUE_R_AMF},
	{GBA_ERR_UNSUPPORTED, GBAUE_R_MODE},
	{GBA_OK, GBAUE_R_USIM}, /* any other error */
};

/* Environment failures stick; everything else is the peer's fault. */
static int is_env_err(int r)
{
	return r == GBA_ERR_CRYPTO || r == GBA_ERR_IO || r == GBA_ERR_RANDOM ||
	       r == GBA_ERR_INTERNAL || r == GBA_ERR_BAD_PARAM ||
	       r == GBA_ERR_NO_SPACE;
}

static int gpi_process(struct gbaue_ctx *ctx, const uint8_t *gpi, size_t len,
		       struct gbaue_event *ev)
{
	const struct gbaue_usim_ops *usim = ctx->port->usim;
	struct gba_gpi_info info;
	struct gbaue_usim_auth auth;
	struct gbaue_slot_ *slot, *old = &ctx->scratch;
	struct gpl_sa sa;
	uint8_t ks[GBA_KS_LEN], key[GBA_KDF_OUT_LEN];
	uint8_t p_tid[GBA_PTID_MAX], hist_old[GBA_RAND_LEN];
	size_t p_tid_len = 0;
	uint64_t now;
	int r, idx, authed = 0, ret = GBA_OK;

	memset(&auth, 0, sizeof(auth));
	memset(&sa, 0, sizeof(sa));
	memset(ks, 0, sizeof(ks));
	memset(key, 0, sizeof(key));

	/* 1. parse (nothing is trusted until gba_gpi_open_decoded()
	 * succeeds); the views in info serve step 5, no second parse */
	if ((r = gba_gpi_decode(gpi, len, &info)) != GBA_OK) {
		ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_GPI_MALFORMED, r);
		goto out;
	}
	naf_id_lower(&info);
	memcpy(ev->rand, info.rand, GBA_RAND_LEN);
	memcpy(ev->naf_id, info.naf_id, info.naf_id_len);
	ev->naf_id_len = info.naf_id_len;
	ev->gba_u = info.gba_u;
	ev->key_expiry = info.key_expiry;

	/* 2. policy (TS 33.223 5 [U], docs/spec-facts.md 8) */
	if ((info.gba_u && (!ctx->cfg.allow_gba_u || !usim->naf_derive)) ||
	    (!info.gba_u && !ctx->cfg.allow_gba_me)) {
		ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_MODE,
		       GBA_ERR_UNSUPPORTED);
		goto out;
	}
	if (info.app_label_len &&
	    (info.app_label_len != ctx->cfg.app_label_len ||
	     memcmp(info.app_label, ctx->cfg.app_label, info.app_label_len) !=
		     0)) {
		ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_APP_LABEL,
		       GBA_ERR_NOT_AUTHORIZED);
		goto out;
	}
	if (!naf_allowed(&ctx->cfg, &info)) {
		ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_NAF_NOT_ALLOWED,
		       GBA_ERR_NOT_AUTHORIZED);
		goto out;
	}
	if (ctx->port->wall_time(ctx->port->arg, &now) != 0) {
		ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_NO_TIME,
		       GBA_ERR_STATE);
		goto out;
	}
	if (now >= info.key_expiry) {
		ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_KEY_EXPIRED,
		       GBA_ERR_EXPIRED);
		goto out;
	}
	/* duplicate GPI (same RAND): refused before the USIM sees it */
	if (rand_seen(ctx, info.rand)) {
		ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_DUPLICATE,
		       GBA_ERR_REPLAY);
		goto out;
	}

	/* 3. AKA on the USIM: AUTN (GBA_ME, 3G context) or AUTN* (GBA_U) */
	r = usim->authenticate(ctx->port->usim_arg, info.rand, info.autn,
			       info.gba_u, &auth);
	if (r == GBA_ERR_SYNC) {
		/* 6.3.3: SQN out of range; AUTS goes back via the NAF.  The
		 * RAND is remembered (and saved) first, so a replay of this
		 * GPI is a DUPLICATE, not another AUTS. */
		hist_push(ctx, info.rand, hist_old);
		if ((r = save_state(ctx)) != GBA_OK) {
			hist_pop(ctx, hist_old);
			ret = sticky(ctx, r);
			goto out;
		}
		memcpy(ev->auts, auth.auts, GBA_AUTS_LEN);
		ev_set(ctx, ev, GBAUE_EV_AUTS, GBAUE_R_NONE, GBA_ERR_SYNC);
		goto out;
	}
	if (is_env_err(r)) {
		ret = sticky(ctx, r);
		goto out;
	}
	if (r != GBA_OK) {
		ev_set(ctx, ev, GBAUE_EV_REJECTED, reason_for(usim_errs, r), r);
		goto out;
	}
	authed = 1;

	/* 4. NAF key: B.3 in the ME (GBA_ME) or in the USIM (GBA_U) */
	if (info.gba_u) {
		r = usim->naf_derive(ctx->port->usim_arg, info.naf_id,
				     info.naf_id_len, ctx->cfg.impi,
				     ctx->cfg.impi_len, key);
	} else {
		gba_ks_from_ck_ik(auth.ck, auth.ik, ks);
		r = gba_kdf_naf_key(ks, 0, info.rand, ctx->cfg.impi,
				    ctx->cfg.impi_len, info.naf_id,
				    info.naf_id_len, key);
	}
	/* disposable Ks (TS 33.223 3.1): gone right after the derivation */
	gba_cleanse(ks, sizeof(ks));
	gba_cleanse(&auth, sizeof(auth));
	if (r != GBA_OK) {
		if (is_env_err(r) || r == GBA_ERR_STATE)
			ret = sticky(ctx, r);
		else
			ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_USIM, r);
		goto out;
	}

	/* 5. integrity of the whole GPI, then the P-TID */
	r = gba_gpi_open_decoded(gpi, len, &info, key, p_tid, sizeof(p_tid),
				 &p_tid_len);
	if (r == GBA_ERR_MAC) {
		ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_GPI_INTEGRITY, r);
		goto out;
	}
	if (r == GBA_ERR_CRYPTO) {
		ret = sticky(ctx, r);
		goto out;
	}
	if (r != GBA_OK) {
		ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_GPI_MALFORMED, r);
		goto out;
	}
	r = gpl_sa_init(&sa, key, info.naf_id, info.naf_id_len, info.rand,
			p_tid, p_tid_len, info.key_expiry, ctx->cfg.gpl_suite);
	if (r != GBA_OK) {
		ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_GPI_MALFORMED, r);
		goto out;
	}
	if (ptid_seen(ctx, &sa)) {
		ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_DUPLICATE,
		       GBA_ERR_REPLAY);
		goto out;
	}

	/* 6. store: save first, commit in memory only after the save */
	idx = pick_slot(ctx, now);
	slot = &ctx->slot[idx];
	*old = *slot;
	slot->used = 1;
	slot->gba_u = info.gba_u ? 1 : 0;
	slot->stamp = ++ctx->stamp;
	slot->sa = sa;
	hist_push(ctx, info.rand, hist_old);
	if ((r = save_state(ctx)) != GBA_OK) {
		/* roll back: the context is as before the call */
		hist_pop(ctx, hist_old);
		ctx->stamp--;
		*slot = *old;
		gba_cleanse(old, sizeof(*old));
		ret = sticky(ctx, r);
		goto out;
	}
	gba_cleanse(old, sizeof(*old));
	usim_finish(ctx, 1);
	authed = 0;
	memcpy(ev->p_tid, p_tid, p_tid_len);
	ev->p_tid_len = p_tid_len;
	ev->sa_slot = idx;
	/* TS 33.220 Annex H: a NAF key for another Ua protocol is that
	 * protocol's key (gbaue_sa_key()), never a GPL SA */
	if (naf_is_gpl(info.naf_id, info.naf_id_len)) {
		ev_set(ctx, ev, GBAUE_EV_GPI_ACCEPTED, GBAUE_R_NONE, GBA_OK);
		GBAUE_LOG(ctx, GBAUE_LOG_INFO, "gbaue: NAF SA stored", idx);
	} else {
		ev_set(ctx, ev, GBAUE_EV_UA_KEY, GBAUE_R_NONE, GBA_OK);
		GBAUE_LOG(ctx, GBAUE_LOG_INFO, "gbaue: Ua NAF key stored", idx);
	}
out:
	if (authed)
		usim_finish(ctx, 0);
	gba_cleanse(ks, sizeof(ks));
	gba_cleanse(key, sizeof(key));
	gba_cleanse(&auth, sizeof(auth));
	gpl_sa_clear(&sa);
	gba_cleanse(p_tid, sizeof(p_tid));
	return ret;
}

int gbaue_gpi_in(struct gbaue_ctx *ctx, const uint8_t *gpi, size_t len,
		 uint16_t session_id, struct gbaue_event *ev)
{
	int r;

	if ((r = entry(ctx, ev)) != GBA_OK)
		return r;
	if (!gpi && len)
		return sticky(ctx, GBA_ERR_BAD_PARAM);
	ev->session_id = session_id;
	return gpi_process(ctx, gpi, len, ev);
}

/* ---- trigger ---- */

/* why GPL refused a trigger */
static const struct err_reason gpl_errs[] = {
	{GBA_ERR_UNKNOWN_SA, GBAUE_R_UNKNOWN_SA},
	{GBA_ERR_EXPIRED, GBAUE_R_SA_EXPIRED},
	{GBA_ERR_MAC, GBAUE_R_TRIGGER_MAC},
	{GBA_ERR_REPLAY, GBAUE_R_REPLAY},
	{GBA_OK, GBAUE_R_TRIGGER_MALFORMED}, /* any other error */
};

static int trigger_in(struct gbaue_ctx *ctx, const uint8_t *buf, size_t len,
		      struct gbaue_event *ev)
{
	struct gpl_msg_hdr hdr;
	struct gpl_sa *tmp = &ctx->scratch.sa, old;
	uint64_t now;
	size_t n = 0;
	int i, idx = -1, r, ret = GBA_OK;

	memset(&old, 0, sizeof(old));
	if ((r = gpl_msg_peek(buf, len, &hdr)) != GBA_OK)
		return ev_set(ctx, ev, GBAUE_EV_REJECTED,
			      GBAUE_R_TRIGGER_MALFORMED, r);
	/* GPL SAs only: a key for another Ua protocol never verifies GPL */
	for (i = 0; i < GBAUE_SA_SLOTS; i++)
		if (ctx->slot[i].used &&
		    naf_is_gpl(ctx->slot[i].sa.naf_id,
			       ctx->slot[i].sa.naf_id_len) &&
		    gpl_sa_matches(&ctx->slot[i].sa, &hdr))
			idx = i;
	if (idx < 0)
		return ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_UNKNOWN_SA,
			      GBA_ERR_UNKNOWN_SA);
	if (ctx->port->wall_time(ctx->port->arg, &now) != 0)
		return ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_NO_TIME,
			      GBA_ERR_STATE);
	/* unprotect a copy: SN_h is committed after the save */
	*tmp = ctx->slot[idx].sa;
	r = gpl_unprotect(tmp, now, buf, len, ctx->out, sizeof(ctx->out), &n);
	/* a payload over GBAUE_TRIGGER_MAX (GBA_ERR_NO_SPACE, found before
	 * the MAC check) is the sender's message, not our environment:
	 * refused like any bad trigger, never a sticky error */
	if (r == GBA_ERR_CRYPTO) {
		ret = sticky(ctx, r);
		goto out;
	}
	if (r != GBA_OK) {
		ev_set(ctx, ev, GBAUE_EV_REJECTED, reason_for(gpl_errs, r), r);
		goto out;
	}
	old = ctx->slot[idx].sa;
	ctx->slot[idx].sa = *tmp;
	if ((r = save_state(ctx)) != GBA_OK) {
		ctx->slot[idx].sa = old;
		gba_cleanse(ctx->out, sizeof(ctx->out));
		ret = sticky(ctx, r);
		goto out;
	}
	ev->sa_slot = idx;
	ev->sn = hdr.sn;
	memcpy(ev->rand, tmp->rand, GBA_RAND_LEN);
	memcpy(ev->naf_id, tmp->naf_id, tmp->naf_id_len);
	ev->naf_id_len = tmp->naf_id_len;
	memcpy(ev->p_tid, tmp->p_tid, tmp->p_tid_len);
	ev->p_tid_len = tmp->p_tid_len;
	ev->key_expiry = tmp->expiry;
	ev->payload = ctx->out;
	ev->payload_len = n;
	ev_set(ctx, ev, GBAUE_EV_TRIGGER, GBAUE_R_NONE, GBA_OK);
out:
	gba_cleanse(&ctx->scratch, sizeof(ctx->scratch));
	gpl_sa_clear(&old);
	return ret;
}

/* ---- datagrams and SMS ---- */

static int wap_push_in(struct gbaue_ctx *ctx, const uint8_t *buf, size_t len,
		       struct gbaue_event *ev)
{
	struct gba_wsp_push push;
	struct gba_gpi_env env;
	int r;

	/* each layer decoded once: the WSP PDU, then (its view) the GPI
	 * push checks and the envelope */
	if ((r = gba_wsp_push_decode(buf, len, &push)) != GBA_OK)
		return ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_WSP_MALFORMED,
			      r);
	r = gba_gpi_push_check(&ctx->cfg.push, &push, &env);
	if (r == GBA_ERR_CONTENT_TYPE || r == GBA_ERR_APP_ID)
		return ev_set(ctx, ev, GBAUE_EV_IGNORED, GBAUE_R_NOT_GPI, r);
	if (r != GBA_OK)
		return ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_ENVELOPE, r);
	ev->session_id = env.session_id;
	return gpi_process(ctx, env.gpi, env.gpi_len, ev);
}

static int dispatch(struct gbaue_ctx *ctx, uint16_t dst, uint16_t src,
		    const uint8_t *buf, size_t len, struct gbaue_event *ev)
{
	ev->dst_port = dst;
	ev->src_port = src;
	if (dst == GBA_WDP_PORT_PUSH)
		return wap_push_in(ctx, buf, len, ev);
	if (ctx->cfg.trigger_port && dst == ctx->cfg.trigger_port)
		return trigger_in(ctx, buf, len, ev);
	return ev_set(ctx, ev, GBAUE_EV_IGNORED, GBAUE_R_OTHER_PORT,
		      GBA_ERR_WDP_PORT);
}

int gbaue_datagram_in(struct gbaue_ctx *ctx, uint16_t dst_port,
		      uint16_t src_port, const uint8_t *buf, size_t len,
		      struct gbaue_event *ev)
{
	int r;

	if ((r = entry(ctx, ev)) != GBA_OK)
		return r;
	if (!buf && len)
		return sticky(ctx, GBA_ERR_BAD_PARAM);
	return dispatch(ctx, dst_port, src_port, buf, len, ev);
}

static int our_port(const struct gbaue_ctx *ctx, uint16_t port)
{
	return port == GBA_WDP_PORT_PUSH ||
	       (ctx->cfg.trigger_port && port == ctx->cfg.trigger_port);
}

int gbaue_pdu_in(struct gbaue_ctx *ctx, const uint8_t *pdu, size_t len,
		 int has_sca, struct gbaue_event *ev)
{
	struct gba_sms_tpdu t;
	struct gba_sms_addr sca;
	const struct gba_sms_udh *udh = &t.udh_ies;
	struct gba_sms_msg msg;
	int r;

	if ((r = entry(ctx, ev)) != GBA_OK)
		return r;
	if (!pdu && len)
		return sticky(ctx, GBA_ERR_BAD_PARAM);
	r = has_sca ? gba_sms_pdu_decode(pdu, len, &sca, &t)
		    : gba_sms_tpdu_decode(pdu, len, &t);
	if (r == GBA_ERR_UNSUPPORTED)
		return ev_set(ctx, ev, GBAUE_EV_IGNORED, GBAUE_R_NOT_DELIVER,
			      r);
	if (r != GBA_OK)
		return ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_PDU_MALFORMED,
			      r);
	if (t.mti != GBA_SMS_MTI_DELIVER)
		return ev_set(ctx, ev, GBAUE_EV_IGNORED, GBAUE_R_NOT_DELIVER,
			      GBA_ERR_UNSUPPORTED);
	/* the UDH was parsed by the TPDU decoder (t.udh_ies, all zero
	 * without one); cheap filter before any reassembly state is spent */
	if (udh->has_port && !our_port(ctx, udh->dst_port)) {
		ev->dst_port = udh->dst_port;
		ev->src_port = udh->src_port;
		return ev_set(ctx, ev, GBAUE_EV_IGNORED, GBAUE_R_OTHER_PORT,
			      GBA_ERR_WDP_PORT);
	}
	if (!udh->has_port && !udh->has_concat)
		return ev_set(ctx, ev, GBAUE_EV_IGNORED, GBAUE_R_NO_PORT,
			      GBA_ERR_NOT_FOUND);
	r = gba_sms_reasm_add(&ctx->reasm, ctx->port->now_ms(ctx->port->arg),
			      &t, &msg, ctx->msg, sizeof(ctx->msg));
	switch (r) {
	case GBA_OK:
		break;
	case GBA_ERR_INCOMPLETE:
		return ev_set(ctx, ev, GBAUE_EV_SEGMENT, GBAUE_R_NONE, r);
	case GBA_ERR_EXISTS:
	case GBA_ERR_DUPLICATE:
		return ev_set(ctx, ev, GBAUE_EV_IGNORED, GBAUE_R_SEG_DUPLICATE,
			      r);
	case GBA_ERR_NO_SPACE:
	case GBA_ERR_BAD_PARAM:
		return sticky(ctx, GBA_ERR_INTERNAL);
	default:
		return ev_set(ctx, ev, GBAUE_EV_REJECTED, GBAUE_R_REASSEMBLY,
			      r);
	}
	if (!msg.has_port)
		return ev_set(ctx, ev, GBAUE_EV_IGNORED, GBAUE_R_NO_PORT,
			      GBA_ERR_NOT_FOUND);
	return dispatch(ctx, msg.dst_port, msg.src_port, msg.data, msg.len, ev);
}
