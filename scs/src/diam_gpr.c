/*
 * see scs_diam.h - GPR/GPA (TS 29.109 clause 6.1, AVPs clause 6.3) over
 * freeDiameter.  The GPR layout follows the ABNF of docs/diameter.md
 * (reconstructed, unconfirmed).  The key AVPs of the answer are wiped in
 * the received message before it is freed (gba_diam_wipe_secrets()).
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>
#include "gba/crypto.h"
#include "gba/diam.h"
#include "scs_diam.h"
#include "scs_i.h"

static void *unconst(const void *p)
{
	return (void *)(uintptr_t)p;
}

/* the GPR of TS 29.109 clause 6.1 for @req */
static int build(const struct gba_diam_dict *zd, const struct scs_diam *d,
		 const char *realm, const struct scs_gpi_req *req,
		 struct msg **out)
{
	struct msg *m = NULL;
	struct msg_hdr *h = NULL;
	uint8_t nafid[GBA_FQDN_MAX + GBA_UA_ID_LEN];
	uint8_t t[4];
	size_t fl = strlen(req->naf_fqdn), i;

	if (fl > GBA_FQDN_MAX)
		return GBA_ERR_BAD_PARAM;
	/* NAF_Id = FQDN || Ua security protocol id (TS 33.220 4.2.2);
	 * the FQDN lower-cased as the BSF uses it */
	for (i = 0; i < fl; i++) {
		char c = req->naf_fqdn[i];

		nafid[i] = (uint8_t)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	memcpy(nafid + fl, req->ua_id, GBA_UA_ID_LEN);
	if (fd_msg_new(zd->gpr, MSGFL_ALLOC_ETEID, &m) || fd_msg_hdr(m, &h))
		goto fail;
	h->msg_appl = GBA_DIAM_APP_ZN;
	h->msg_flags |= CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE;
	if (fd_msg_new_session(m, (os0_t)unconst("scs"), 3) ||
	    gba_diam_add_vsai(m, zd, GBA_DIAM_APP_ZN) ||
	    gba_diam_add_i32(m, zd->auth_session_state,
			     1 /* NO_STATE_MAINTAINED */) ||
	    fd_msg_add_origin(m, 0) ||
	    gba_diam_add_os(m, zd->destination_realm, realm, strlen(realm)) ||
	    gba_diam_add_os(m, zd->destination_host, d->peer,
			    strlen(d->peer)) ||
	    gba_diam_add_os(m, gba_diam_avp(GBA_DIAM_UE_ID), req->ue_id,
			    strlen(req->ue_id)) ||
	    gba_diam_add_i32(m, gba_diam_avp(GBA_DIAM_UE_ID_TYPE),
			     req->ue_id_type == SCS_UE_ID_PUBLIC ? 1 : 0) ||
	    gba_diam_add_os(m, gba_diam_avp(GBA_DIAM_NAF_ID), nafid,
			    fl + GBA_UA_ID_LEN) ||
	    gba_diam_add_i32(m, gba_diam_avp(GBA_DIAM_UICC_ME),
			     req->gba_u ? 1 : 0))
		goto fail;
	if (req->uicc_app_label && req->uicc_app_label[0] &&
	    gba_diam_add_os(m, gba_diam_avp(GBA_DIAM_UICC_APP_LABEL),
			    req->uicc_app_label, strlen(req->uicc_app_label)))
		goto fail;
	if (req->requested_expiry) {
		gba_diam_time_put((int64_t)req->requested_expiry, t);
		if (gba_diam_add_os(
			    m, gba_diam_avp(GBA_DIAM_REQUESTED_KEY_LIFETIME), t,
			    4))
			goto fail;
	}
	if (gba_diam_add_os(m, gba_diam_avp(GBA_DIAM_NAF_SA_IDENTIFIER),
			    req->p_tid, strlen(req->p_tid)) ||
	    /* 0 = requested, 1 = not requested (TS 29.109 6.3.16) */
	    gba_diam_add_i32(m, gba_diam_avp(GBA_DIAM_PRIVATE_IDENTITY_REQUEST),
			     req->private_id_request ? 0 : 1) ||
	    gba_diam_add_i32(m,
			     gba_diam_avp(GBA_DIAM_GBA_U_AWARENESS_INDICATOR),
			     req->gba_u_aware ? 1 : 0))
		goto fail;
	*out = m;
	return GBA_OK;
fail:
	if (m)
		fd_msg_free(m);
	return GBA_ERR_INTERNAL;
}

/* the wait for the one answer */
struct waiter {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
	struct msg *ans; /* NULL: expired */
};

static void on_answer(void *data, struct msg **ans)
{
	struct waiter *w = data;

	pthread_mutex_lock(&w->mu);
	w->ans = *ans;
	*ans = NULL;
	w->done = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void on_expire(void *data, DiamId_t sentto, size_t len, struct msg **req)
{
	struct waiter *w = data;

	(void)sentto;
	(void)len;
	if (req && *req) {
		fd_msg_free(*req);
		*req = NULL;
	}
	pthread_mutex_lock(&w->mu);
	w->done = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/* what a result code means to the caller */
static int map_result(uint32_t code, int exp, struct scs_error *e)
{
	const char *name = "", *what = "the BSF refused the request";
	int r = GBA_ERR_HTTP;

	if (exp && code == GBA_DIAM_ERROR_IDENTITY_UNKNOWN) {
		name = "DIAMETER_ERROR_IDENTITY_UNKNOWN";
		what = "not found at the BSF";
		r = GBA_ERR_NOT_FOUND;
	} else if (exp && code == GBA_DIAM_ERROR_NOT_AUTHORIZED) {
		name = "DIAMETER_ERROR_NOT_AUTHORIZED";
		what = "the BSF refused this SCS";
		r = GBA_ERR_NOT_AUTHORIZED;
	} else if (!exp && (code == 5004 || code == 5005)) {
		name = code == 5004 ? "DIAMETER_INVALID_AVP_VALUE"
				    : "DIAMETER_MISSING_AVP";
		what = "the BSF rejected the request";
		r = GBA_ERR_BAD_PARAM;
	} else if (!exp && code == 3004) {
		name = "DIAMETER_TOO_BUSY";
		what = "the BSF is unavailable";
		r = GBA_ERR_TIMEOUT;
	} else if (!exp && code == 3002) {
		name = "DIAMETER_UNABLE_TO_DELIVER";
		what = "the GPR could not be delivered to the BSF";
		r = GBA_ERR_TIMEOUT;
	} else if (!exp && code == 5012) {
		name = "DIAMETER_UNABLE_TO_COMPLY";
	}
	if (e) {
		scs_sanitize(e->cause, sizeof(e->cause), name, strlen(name));
		scs_err_set(e, 0, "%s (GPA %s %u%s%s)", what,
			    exp ? "Experimental-Result-Code" : "Result-Code",
			    code, name[0] ? " " : "", name);
	}
	return r;
}

static int copy_key(const struct avp_hdr *h, uint8_t out[SCS_KEY_LEN])
{
	if (!h->avp_value || h->avp_value->os.len != SCS_KEY_LEN)
		return GBA_ERR_BAD_LENGTH;
	memcpy(out, h->avp_value->os.data, SCS_KEY_LEN);
	return GBA_OK;
}

/* a Time AVP (@p, @n octets) into *@t, and *@has = 1 */
static int get_time(const uint8_t *p, size_t n, uint64_t *t, int *has)
{
	int64_t v = gba_diam_time_get(p, n);

	if (v < 0)
		return GBA_ERR_MALFORMED;
	*t = (uint64_t)v;
	*has = 1;
	return GBA_OK;
}

/* the GPA (TS 29.109 clause 6.1) into @resp */
static int parse(struct msg *ans, struct scs_gpi_resp *resp,
		 struct scs_error *e)
{
	struct avp *a = NULL;
	struct avp_hdr *h;
	uint32_t code = 0;
	int exp = 0, have_code = 0, have_gpi = 0, have_me = 0, r;

	while ((r = gba_diam_avp_next(ans, &a, &h)) > 0) {
		const uint8_t *p = h->avp_value ? h->avp_value->os.data : NULL;
		size_t n = h->avp_value ? h->avp_value->os.len : 0;

		if (!h->avp_vendor && h->avp_code == 268 && h->avp_value) {
			code = h->avp_value->u32;
			have_code = 1;
		} else if (!h->avp_vendor && h->avp_code == 297) {
			struct avp *c = NULL;
			struct avp_hdr *ch;

			while ((r = gba_diam_avp_next(a, &c, &ch)) > 0)
				if (!ch->avp_vendor && ch->avp_code == 298 &&
				    ch->avp_value) {
					code = ch->avp_value->u32;
					have_code = exp = 1;
				}
			if (r < 0)
				return GBA_ERR_MALFORMED;
		} else if (!h->avp_vendor && h->avp_code == 1 && p) {
			if (n > GBA_IMPI_MAX)
				return GBA_ERR_TOO_LARGE;
			memcpy(resp->impi, p, n);
			resp->impi[n] = '\0';
		} else if (h->avp_vendor == GBA_DIAM_VENDOR_3GPP && p) {
			switch (h->avp_code) {
			case GBA_DIAM_GBA_PUSH_INFO:
				if (n > sizeof(resp->gpi))
					return GBA_ERR_TOO_LARGE;
				memcpy(resp->gpi, p, n);
				resp->gpi_len = n;
				have_gpi = 1;
				break;
			case GBA_DIAM_ME_KEY_MATERIAL:
				if ((r = copy_key(h, resp->me_key)))
					return r;
				have_me = 1;
				break;
			case GBA_DIAM_UICC_KEY_MATERIAL:
				if ((r = copy_key(h, resp->uicc_key)))
					return r;
				resp->has_uicc_key = 1;
				break;
			case GBA_DIAM_KEY_EXPIRYTIME:
				if ((r = get_time(p, n, &resp->key_expiry,
						  &resp->has_key_expiry)))
					return r;
				break;
			case GBA_DIAM_BOOTSTRAPINFOCREATIONTIME:
				if ((r = get_time(p, n, &resp->creation_time,
						  &resp->has_creation_time)))
					return r;
				break;
			default:
				break;
			}
		} else if (h->avp_vendor == GBA_DIAM_VENDOR_3GPP &&
			   h->avp_code == GBA_DIAM_GBA_TYPE && h->avp_value) {
			snprintf(resp->gba_type, sizeof(resp->gba_type), "%s",
				 h->avp_value->i32 == 0	  ? "3G_GBA"
				 : h->avp_value->i32 == 1 ? "2G_GBA"
							  : "other");
		}
	}
	if (r < 0)
		return GBA_ERR_MALFORMED;
	if (!have_code) {
		scs_err_set(e, 0,
			    "GPA without Result-Code or "
			    "Experimental-Result");
		return GBA_ERR_MALFORMED;
	}
	if (exp || code != 2001)
		return map_result(code, exp, e);
	if (!have_gpi || !have_me) {
		scs_err_set(e, 0, "GPA success without %s",
			    have_gpi ? "ME-Key-Material" : "GBA-Push-Info");
		return GBA_ERR_MALFORMED;
	}
	return GBA_OK;
}

int scs_diam_push_info(const struct scs_diam *d, const struct scs_gpi_req *req,
		       struct scs_gpi_resp *resp, struct scs_error *e)
{
	const struct gba_diam_dict *zd;
	struct waiter w;
	struct msg *m = NULL;
	struct peer_hdr *p = NULL;
	struct timespec ts;
	char realm[256];
	long tmo;
	int r;

	memset(resp, 0, sizeof(*resp));
	if (e)
		memset(e, 0, sizeof(*e));
	if (!d || !d->conf || !d->peer || !req) {
		scs_err_set(e, 0,
			    "Diameter configuration and BSF peer are "
			    "required");
		return GBA_ERR_BAD_PARAM;
	}
	if (req->resync) {
		/* no AUTS carrier of the GPR is confirmed (docs/diameter.md) */
		scs_err_set(e, 0,
			    "resynchronisation over Diameter is not "
			    "supported: use Nbsp");
		return GBA_ERR_UNSUPPORTED;
	}
	if ((r = scs_req_check(req)) != GBA_OK) {
		scs_err_set(e, 0, "invalid GPI request: %s", gba_strerror(r));
		return r;
	}
	tmo = d->timeout_ms > 0 ? d->timeout_ms : 10000;
	/* freeDiameter's own lines stay off the terminal; its last error
	 * explains a failed start */
	if ((r = gba_diam_start(d->conf, FD_LOG_FATAL + 1, NULL)) != GBA_OK) {
		scs_err_set(e, 0, "cannot start Diameter with %s: %s (%s)",
			    d->conf, gba_strerror(r), gba_diam_last_error());
		return r;
	}
	zd = gba_diam_zpn();
	if ((r = gba_diam_wait_open(d->peer, tmo)) != GBA_OK) {
		scs_err_set(
			e, 0,
			r == GBA_ERR_NOT_FOUND
				? "BSF peer %s is not a peer of the Diameter "
				  "configuration"
				: "no Diameter connection to the BSF peer %s "
				  "(TLS refused, or not reachable)",
			d->peer);
		gba_diam_stop();
		return r == GBA_ERR_NOT_FOUND ? GBA_ERR_CONFIG
					      : GBA_ERR_TIMEOUT;
	}
	if (d->realm) {
		snprintf(realm, sizeof(realm), "%s", d->realm);
	} else if (!fd_peer_getbyid(unconst(d->peer), strlen(d->peer), 1, &p) &&
		   p && p->info.runtime.pir_realm) {
		snprintf(realm, sizeof(realm), "%.*s",
			 (int)p->info.runtime.pir_realmlen,
			 p->info.runtime.pir_realm);
	} else {
		scs_err_set(e, 0, "no Destination-Realm for the BSF");
		gba_diam_stop();
		return GBA_ERR_CONFIG;
	}
	if ((r = build(zd, d, realm, req, &m)) != GBA_OK) {
		scs_err_set(e, 0, "cannot build the GPR");
		gba_diam_stop();
		return r;
	}
	memset(&w, 0, sizeof(w));
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += tmo / 1000;
	ts.tv_nsec += (tmo % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	if (fd_msg_send_timeout(&m, on_answer, &w, on_expire, &ts)) {
		if (m)
			fd_msg_free(m);
		scs_err_set(e, 0, "the GPR could not be sent");
		r = GBA_ERR_IO;
		goto out;
	}
	pthread_mutex_lock(&w.mu);
	while (!w.done) {
		struct timespec late = ts;

		late.tv_sec += 2; /* the expiry callback comes at @ts */
		if (pthread_cond_timedwait(&w.cv, &w.mu, &late) == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&w.mu);
	if (!w.ans) {
		scs_err_set(e, 0, "the BSF did not answer the GPR in time");
		r = GBA_ERR_TIMEOUT;
		goto out;
	}
	r = parse(w.ans, resp, e);
	if (r != GBA_OK)
		scs_gpi_resp_clear(resp);
out:
	/* the message's copies of the keys, also when parse() stopped
	 * before reaching them */
	gba_diam_wipe_secrets(w.ans);
	if (w.ans)
		fd_msg_free(w.ans);
	gba_diam_stop();
	pthread_cond_destroy(&w.cv);
	pthread_mutex_destroy(&w.mu);
	return r;
}
