/* see diam_zh.h */
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
#include "diam_zh.h"
#include "log.h"
#include "push.h"

#define RAND_LEN 16
#define AUTN_LEN GBA_AUTN_LEN

static struct dict_object *cx(unsigned code)
{
	return gba_diam_cx_avp(code);
}

/* ------------------------------------------------------------------ */
/* Server (gba-hss)                                                    */

static struct bsf_store *s_st;
static struct bsf_hss *s_hss;
static int s_fault;
static int on_mar(struct msg **msg, const struct gba_diam_dict *zd);
static struct gba_diam_handler s_mar = {on_mar, NULL};
static pthread_mutex_t s_mu = PTHREAD_MUTEX_INITIALIZER;
static struct bsf_zh_server_stats s_stats;

/* what the MAR asks (TS 29.109 6.1 / TS 29.229 6.1.7 ABNF) */
struct mar_in {
	const uint8_t *user, *impu;
	size_t user_len, impu_len;
	const uint8_t *scheme, *authz;
	size_t scheme_len, authz_len;
	int n_items;
};

/* one AVP of the MAR's SIP-Auth-Data-Item */
static int mar_part(struct avp *a, struct avp_hdr *h, void *arg)
{
	struct mar_in *in = arg;

	(void)a;
	if (h->avp_vendor != GBA_DIAM_VENDOR_3GPP || !h->avp_value)
		return 0;
	if (h->avp_code == GBA_DIAM_SIP_AUTHENTICATION_SCHEME) {
		in->scheme = h->avp_value->os.data;
		in->scheme_len = h->avp_value->os.len;
	} else if (h->avp_code == GBA_DIAM_SIP_AUTHORIZATION) {
		in->authz = h->avp_value->os.data;
		in->authz_len = h->avp_value->os.len;
	}
	return 0;
}

static int mar_item(struct avp *g, struct mar_in *in)
{
	return gba_diam_each(g, mar_part, in, -1);
}

/* one AVP of the MAR */
static int mar_avp(struct avp *a, struct avp_hdr *h, void *arg)
{
	struct mar_in *in = arg;

	if (h->avp_vendor == 0 && h->avp_code == 1 && h->avp_value) {
		in->user = h->avp_value->os.data; /* User-Name */
		in->user_len = h->avp_value->os.len;
	} else if (h->avp_vendor == GBA_DIAM_VENDOR_3GPP) {
		if (h->avp_code == GBA_DIAM_PUBLIC_IDENTITY && h->avp_value) {
			in->impu = h->avp_value->os.data;
			in->impu_len = h->avp_value->os.len;
		} else if (h->avp_code == GBA_DIAM_SIP_AUTH_DATA_ITEM &&
			   mar_item(a, in)) {
			return -1;
		} else if (h->avp_code == GBA_DIAM_SIP_NUMBER_AUTH_ITEMS &&
			   h->avp_value) {
			in->n_items = (int)h->avp_value->u32;
		}
	}
	return 0;
}

static int mar_decode(struct msg *m, struct mar_in *in)
{
	memset(in, 0, sizeof(*in));
	return gba_diam_each(m, mar_avp, in, -1);
}

/* Result-Code (RFC 6733) or Experimental-Result (vendor 10415) */
static int set_result(struct msg *m, const struct gba_diam_dict *zd,
		      uint32_t code, int experimental)
{
	return experimental ? gba_diam_add_experimental(m, zd, code)
			    : gba_diam_add_u32(m, zd->result_code, code);
}

/* the MAA's AV and GUSS (layout: diam_zh.h, docs/diameter.md) */
static int maa_av(struct msg *m, const struct gba_diam_dict *zd,
		  const char *impi, const struct gba_av *av, const char *guss)
{
	uint8_t ra[RAND_LEN + AUTN_LEN];
	struct avp *g = NULL;
	size_t autn_len = sizeof(ra);
	int r;

	memcpy(ra, av->rand, RAND_LEN);
	memcpy(ra + RAND_LEN, av->autn, AUTN_LEN);
	if (s_fault == BSF_ZH_FAULT_SHORT_AUTN)
		autn_len--;
	r = gba_diam_add_os(m, zd->user_name, impi, strlen(impi)) ||
	    gba_diam_add_u32(m, cx(GBA_DIAM_SIP_NUMBER_AUTH_ITEMS), 1) ||
	    fd_msg_avp_new(cx(GBA_DIAM_SIP_AUTH_DATA_ITEM), 0, &g) ||
	    gba_diam_add_u32(g, cx(GBA_DIAM_SIP_ITEM_NUMBER), 1) ||
	    gba_diam_add_os(g, cx(GBA_DIAM_SIP_AUTHENTICATION_SCHEME),
			    GBA_DIAM_SCHEME_AKA, strlen(GBA_DIAM_SCHEME_AKA)) ||
	    gba_diam_add_os(g, cx(GBA_DIAM_SIP_AUTHENTICATE), ra, autn_len) ||
	    gba_diam_add_os(g, cx(GBA_DIAM_SIP_AUTHORIZATION), av->xres,
			    av->xres_len) ||
	    (s_fault != BSF_ZH_FAULT_NO_CK &&
	     gba_diam_add_os(g, cx(GBA_DIAM_CONFIDENTIALITY_KEY), av->ck,
			     av->ck_len)) ||
	    gba_diam_add_os(g, cx(GBA_DIAM_INTEGRITY_KEY), av->ik,
			    av->ik_len) ||
	    fd_msg_avp_add(m, MSG_BRW_LAST_CHILD, g) ||
	    (guss &&
	     gba_diam_add_os(m, gba_diam_avp(GBA_DIAM_GBA_USERSECSETTINGS),
			     guss, strlen(guss)));
	gba_cleanse(ra, sizeof(ra));
	return r ? -1 : 0;
}

static void count(uint64_t *c)
{
	pthread_mutex_lock(&s_mu);
	(*c)++;
	pthread_mutex_unlock(&s_mu);
}

static int on_mar(struct msg **msg, const struct gba_diam_dict *zd)
{
	char impi[BSF_IMPI_MAX + 1] = "";
	char id[BSF_IMPU_MAX + 1];
	struct gba_av av;
	struct mar_in in;
	char *guss = NULL;
	int64_t sub_id = 0;
	uint32_t code = 2001;
	int exp = 0, r = GBA_OK, rc, resync = 0, by_impu = 0;

	memset(&av, 0, sizeof(av));
	if (mar_decode(*msg, &in)) {
		code = GBA_DIAM_INVALID_AVP_VALUE;
		goto answer;
	}
	/* TS 29.109 4.2 / TS 29.229: only SIP Digest AKA is offered */
	if (in.scheme &&
	    (in.scheme_len != strlen(GBA_DIAM_SCHEME_AKA) ||
	     memcmp(in.scheme, GBA_DIAM_SCHEME_AKA, in.scheme_len))) {
		code = GBA_DIAM_ERROR_AUTH_SCHEME_NOT_SUPPORTED;
		exp = 1;
		count(&s_stats.refused);
		goto answer;
	}
	if ((!in.user && !in.impu) ||
	    (in.user ? in.user_len : in.impu_len) >= sizeof(id)) {
		code = in.user || in.impu ? GBA_DIAM_INVALID_AVP_VALUE
					  : GBA_DIAM_MISSING_AVP;
		goto answer;
	}
	if (in.user) {
		memcpy(id, in.user, in.user_len);
		id[in.user_len] = '\0';
	} else {
		memcpy(id, in.impu, in.impu_len);
		id[in.impu_len] = '\0';
		by_impu = 1;
	}
	r = bsf_store_resolve(s_st, id, strlen(id),
			      in.user ? BSF_ID_PRIVATE : BSF_ID_PUBLIC, &sub_id,
			      impi, sizeof(impi));
	if (r == GBA_OK) {
		if (in.authz) {
			/* resync: SIP-Authorization = RAND || AUTS */
			if (in.authz_len != RAND_LEN + GBA_AUTS_LEN) {
				code = GBA_DIAM_INVALID_AVP_VALUE;
				goto answer;
			}
			resync = 1;
			r = bsf_hss_resync(s_hss, sub_id, in.authz,
					   in.authz + RAND_LEN, &av, NULL);
		} else {
			r = bsf_hss_av(s_hss, sub_id, &av, NULL);
		}
	}
	switch (r) {
	case GBA_OK:
		break;
	case GBA_ERR_NOT_FOUND:
	case GBA_ERR_MALFORMED:
	case GBA_ERR_TOO_LARGE:
		/* TS 29.229 6.2.2.1 DIAMETER_ERROR_USER_UNKNOWN */
		code = GBA_DIAM_ERROR_USER_UNKNOWN;
		exp = 1;
		count(&s_stats.unknown);
		goto answer;
	case GBA_ERR_MAC:    /* AUTS did not verify */
		code = 5003; /* DIAMETER_AUTHORIZATION_REJECTED */
		count(&s_stats.refused);
		goto answer;
	case GBA_ERR_RATE_LIMIT:
	case GBA_ERR_DB:
	case GBA_ERR_STATE:
	case GBA_ERR_TIMEOUT:
		code = 3004; /* DIAMETER_TOO_BUSY: transient */
		goto answer;
	default:
		code = GBA_DIAM_UNABLE_TO_COMPLY;
		goto answer;
	}
	if (bsf_store_sub_guss(s_st, sub_id, &guss) != GBA_OK)
		guss = NULL;
	count(resync ? &s_stats.resync : &s_stats.ok);
answer:
	rc = gba_diam_answer_new(msg, zd, GBA_DIAM_APP_ZH);
	if (!rc)
		rc = gba_diam_add_i32(*msg, zd->auth_session_state, 1) ||
		     set_result(*msg, zd, code, exp) ||
		     (code == 2001 && maa_av(*msg, zd, impi, &av, guss));
	gba_cleanse(&av, sizeof(av));
	gba_cleanse(impi, sizeof(impi));
	gba_cleanse(id, sizeof(id));
	free(guss);
	BSF_LOG(BSF_LOG_STORE, code == 2001 ? BSF_LOG_INFO : BSF_LOG_NOTICE,
		"diameter MAR result=%u%s%s%s", code,
		exp ? " experimental=1" : "", resync ? " resync=1" : "",
		by_impu ? " by=Public-Identity" : "");
	if (rc)
		BSF_LOG(BSF_LOG_STORE, BSF_LOG_ERR,
			"diameter MAA could not be built");
	/* XRES, CK and IK wiped in the MAA before freeDiameter frees it */
	return gba_diam_answer_send(msg, rc);
}

int bsf_zh_server_start(struct bsf_store *st, struct bsf_hss *hss, int fault)
{
	const struct gba_diam_zh *zh = gba_diam_zh();

	if (!zh)
		return GBA_ERR_STATE;
	s_st = st;
	s_hss = hss;
	s_fault = fault;
	if (gba_diam_handle(zh->app, zh->mar, &s_mar))
		return GBA_ERR_INTERNAL;
	return GBA_OK;
}

void bsf_zh_server_stop(void)
{
	gba_diam_unhandle(&s_mar);
}

void bsf_zh_server_stats(struct bsf_zh_server_stats *s)
{
	pthread_mutex_lock(&s_mu);
	*s = s_stats;
	pthread_mutex_unlock(&s_mu);
}

/* ------------------------------------------------------------------ */
/* Client (gba-bsf [hss] mode = zh)                                    */

static char c_realm[256];
static unsigned c_timeout_ms = 2000;
static uint32_t c_t0; /* Session-Id high part: the client's start time */

int bsf_zh_client_init(const char *realm, unsigned timeout_ms)
{
	if (!realm || !realm[0] || strlen(realm) >= sizeof(c_realm) ||
	    !timeout_ms)
		return GBA_ERR_BAD_PARAM;
	memcpy(c_realm, realm, strlen(realm) + 1);
	c_timeout_ms = timeout_ms;
	c_t0 = (uint32_t)time(NULL);
	return GBA_OK;
}

/*
 * One MAR in flight (bsf_zh_av_send()): owned by freeDiameter's answer /
 * expiry callback, which hands the answer to @cb, and listed in c_out
 * meanwhile so that bsf_zh_client_cancel() can answer it at shutdown;
 * whoever takes it off the list answers it.  bsf_zh_av() is the same
 * with a wait for @cb.
 */
struct call {
	struct gba_av av;
	char *guss; /* the MAA's GBA-UserSecSettings, NUL-terminated, or NULL */
	size_t guss_len;
	char user[BSF_IMPI_MAX + 1]; /* the MAA's User-Name, or "" */
	void (*cb)(void *tag, struct bsf_av_answer *ans);
	void *tag;
	struct bsf_av_answer *ans; /* made at the send: delivery cannot fail */
	int by_impu;
	struct call *prev, *next; /* in c_out */
};

static pthread_mutex_t c_out_mu = PTHREAD_MUTEX_INITIALIZER;
static struct call *c_out; /* the calls without waiting still out */

static void call_free(struct call *c)
{
	gba_cleanse(&c->av, sizeof(c->av));
	gba_cleanse(c->user, sizeof(c->user));
	free(c->guss);
	bsf_av_answer_free(c->ans);
	free(c);
}

/* 1 when @c was on c_out and is now off it (the caller answers it) */
static int out_take(struct call *c)
{
	int mine;

	pthread_mutex_lock(&c_out_mu);
	mine = c->prev || c_out == c;
	if (mine) {
		if (c->prev)
			c->prev->next = c->next;
		else
			c_out = c->next;
		if (c->next)
			c->next->prev = c->prev;
		c->prev = c->next = NULL;
	}
	pthread_mutex_unlock(&c_out_mu);
	return mine;
}

static void out_put(struct call *c)
{
	pthread_mutex_lock(&c_out_mu);
	c->prev = NULL;
	c->next = c_out;
	if (c_out)
		c_out->prev = c;
	c_out = c;
	pthread_mutex_unlock(&c_out_mu);
}

/* the answer of a call without waiting to its owner; frees @c */
static void call_answer(struct call *c, int rc)
{
	struct bsf_av_answer *a = c->ans;
	void (*cb)(void *, struct bsf_av_answer *) = c->cb;
	void *tag = c->tag;

	/* asked by Public-Identity: the MAA's User-Name is the IMPI */
	if (rc == GBA_OK && c->by_impu && !c->user[0])
		rc = GBA_ERR_MALFORMED;
	a->r = rc;
	if (rc == GBA_OK) {
		a->av = c->av;
		a->guss = c->guss; /* handed over */
		a->guss_len = c->guss_len;
		c->guss = NULL;
		memcpy(a->user, c->user, sizeof(a->user));
	}
	if (rc == GBA_ERR_TIMEOUT)
		a->retry_after = BSF_ZH_RETRY_AFTER;
	c->ans = NULL;
	call_free(c);
	cb(tag, a);
}

static void call_done(struct call *c, int rc)
{
	if (out_take(c))
		call_answer(c, rc);
}

/*
 * The parts of the MAA's SIP-Auth-Data-Item (docs/diameter.md): code and
 * length bounds, in the order of their bits in struct item's @have.
 */
static const struct {
	unsigned code;
	size_t min, max;
} maa_parts[] = {
	{GBA_DIAM_SIP_AUTHENTICATION_SCHEME, sizeof(GBA_DIAM_SCHEME_AKA) - 1,
	 sizeof(GBA_DIAM_SCHEME_AKA) - 1},
	{GBA_DIAM_SIP_AUTHENTICATE, RAND_LEN + AUTN_LEN, RAND_LEN + AUTN_LEN},
	{GBA_DIAM_SIP_AUTHORIZATION, 4, 16}, /* XRES */
	{GBA_DIAM_CONFIDENTIALITY_KEY, GBA_CK_LEN, GBA_CK_LEN},
	{GBA_DIAM_INTEGRITY_KEY, GBA_CK_LEN, GBA_CK_LEN},
};
#define MAA_PARTS (sizeof(maa_parts) / sizeof(maa_parts[0]))

struct item {
	struct gba_av *av;
	unsigned have;
};

/* one AVP of the MAA's SIP-Auth-Data-Item into the AV */
static int maa_part(struct avp *a, struct avp_hdr *h, void *arg)
{
	struct item *it = arg;
	struct gba_av *av = it->av;
	const uint8_t *d = h->avp_value ? h->avp_value->os.data : NULL;
	size_t n = h->avp_value ? h->avp_value->os.len : 0, i;

	(void)a;
	if (h->avp_vendor != GBA_DIAM_VENDOR_3GPP || !d)
		return 0;
	for (i = 0; i < MAA_PARTS && maa_parts[i].code != h->avp_code; i++)
		;
	if (i == MAA_PARTS)
		return 0;
	if (n < maa_parts[i].min || n > maa_parts[i].max)
		return GBA_ERR_MALFORMED;
	switch (h->avp_code) {
	case GBA_DIAM_SIP_AUTHENTICATION_SCHEME:
		if (memcmp(d, GBA_DIAM_SCHEME_AKA, n))
			return GBA_ERR_MALFORMED;
		break;
	case GBA_DIAM_SIP_AUTHENTICATE: /* RAND || AUTN */
		memcpy(av->rand, d, RAND_LEN);
		memcpy(av->autn, d + RAND_LEN, AUTN_LEN);
		break;
	case GBA_DIAM_SIP_AUTHORIZATION:
		memcpy(av->xres, d, n);
		av->xres_len = n;
		break;
	case GBA_DIAM_CONFIDENTIALITY_KEY:
		memcpy(av->ck, d, n);
		av->ck_len = n;
		break;
	default: /* GBA_DIAM_INTEGRITY_KEY */
		memcpy(av->ik, d, n);
		av->ik_len = n;
	}
	it->have |= 1u << i;
	return 0;
}

/* the AV of the MAA's SIP-Auth-Data-Item; every part present, exact */
static int maa_item(struct avp *g, struct gba_av *av)
{
	struct item it = {av, 0};
	int r = gba_diam_each(g, maa_part, &it, GBA_ERR_MALFORMED);

	if (r != GBA_OK)
		return r;
	return it.have == (1u << MAA_PARTS) - 1 ? GBA_OK : GBA_ERR_MALFORMED;
}

/* Experimental-Result-Code (298) of an Experimental-Result */
static int exp_code_of(struct avp *a, struct avp_hdr *h, void *arg)
{
	(void)a;
	if (h->avp_code != 298 || h->avp_vendor != 0 || !h->avp_value)
		return 0;
	*(uint32_t *)arg = h->avp_value->u32;
	return 1;
}

static uint32_t exp_code(struct avp *g)
{
	uint32_t code = 0;

	(void)gba_diam_each(g, exp_code_of, &code, 0);
	return code;
}

/* a copy of the GBA-UserSecSettings octets, NUL-terminated; one only */
static int maa_guss(const struct avp_hdr *h, struct call *c)
{
	const uint8_t *d = h->avp_value ? h->avp_value->os.data : NULL;
	size_t n = h->avp_value ? h->avp_value->os.len : 0;

	if (c->guss || !d)
		return GBA_ERR_MALFORMED;
	if (!(c->guss = malloc(n + 1)))
		return GBA_ERR_NOMEM;
	memcpy(c->guss, d, n);
	c->guss[n] = '\0';
	c->guss_len = n;
	return GBA_OK;
}

/* what the walk over the MAA's AVPs found */
struct maa {
	struct call *c;
	uint32_t result, experimental;
	int items, r, rg;
};

/* one AVP of the MAA */
static int maa_avp(struct avp *a, struct avp_hdr *h, void *arg)
{
	struct maa *x = arg;
	struct call *c = x->c;

	if (h->avp_vendor == 0 && h->avp_code == 268 && h->avp_value)
		x->result = h->avp_value->u32;
	else if (h->avp_vendor == 0 && h->avp_code == 1 && h->avp_value &&
		 x->rg == GBA_OK) {
		/* User-Name: the IMPI (NUL-free, one only) */
		if (c->user[0] || !h->avp_value->os.len ||
		    h->avp_value->os.len >= sizeof(c->user) ||
		    memchr(h->avp_value->os.data, 0, h->avp_value->os.len))
			x->rg = GBA_ERR_MALFORMED;
		else
			memcpy(c->user, h->avp_value->os.data,
			       h->avp_value->os.len);
	} else if (h->avp_vendor == 0 && h->avp_code == 297)
		x->experimental = exp_code(a);
	else if (h->avp_vendor == GBA_DIAM_VENDOR_3GPP &&
		 h->avp_code == GBA_DIAM_SIP_AUTH_DATA_ITEM) {
		if (x->items++)
			return GBA_ERR_MALFORMED; /* we asked for 1 */
		x->r = maa_item(a, &c->av);
	} else if (h->avp_vendor == GBA_DIAM_VENDOR_3GPP &&
		   h->avp_code == GBA_DIAM_GBA_USERSECSETTINGS &&
		   x->rg == GBA_OK) {
		x->rg = maa_guss(h, c);
	}
	return 0;
}

/* the MAA -> GBA_ERR_* (and the AV and the GUSS on GBA_OK) */
static int maa_decode(struct msg *m, struct call *c)
{
	struct maa x = {c, 0, 0, 0, GBA_ERR_MALFORMED, GBA_OK};
	int e;

	if ((e = gba_diam_each(m, maa_avp, &x, GBA_ERR_MALFORMED)) != 0)
		return e;
	if (x.experimental == GBA_DIAM_ERROR_USER_UNKNOWN ||
	    x.experimental == GBA_DIAM_ERROR_IDENTITY_UNKNOWN)
		return GBA_ERR_NOT_FOUND;
	if (x.experimental == GBA_DIAM_ERROR_NOT_AUTHORIZED)
		return GBA_ERR_NOT_AUTHORIZED;
	if (x.experimental)
		return GBA_ERR_INTERNAL;
	if (x.result == 5003)
		return GBA_ERR_MAC;
	if (x.result >= 3000 && x.result < 4000)
		return GBA_ERR_TIMEOUT; /* unable to deliver, too busy ... */
	if (x.result != 2001)
		return x.result ? GBA_ERR_INTERNAL : GBA_ERR_MALFORMED;
	return x.r != GBA_OK ? x.r : x.rg;
}

static void on_answer(void *data, struct msg **ans)
{
	struct call *c = data;
	int rc;

	rc = maa_decode(*ans, c);
	/* XRES, CK, IK: the message's copies, wiped before the free */
	gba_diam_wipe_secrets(*ans);
	fd_msg_free(*ans);
	*ans = NULL;
	if (rc != GBA_OK) {
		gba_cleanse(&c->av, sizeof(c->av));
		free(c->guss);
		c->guss = NULL;
		c->guss_len = 0;
	}
	call_done(c, rc);
}

static void on_expire(void *data, DiamId_t peer, size_t len, struct msg **req)
{
	(void)peer;
	(void)len;
	fd_msg_free(*req);
	*req = NULL;
	call_done(data, GBA_ERR_TIMEOUT);
}

/* Destination-Realm, looked up once per core */
static struct dict_object *dest_realm(void)
{
	static struct dict_object *o;
	static const struct gba_diam_zh *for_zh;
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	struct dict_object *r;

	pthread_mutex_lock(&mu);
	if (for_zh != gba_diam_zh()) {
		o = NULL;
		for_zh = gba_diam_zh();
		if (fd_dict_search(fd_g_config->cnf_dict, DICT_AVP, AVP_BY_NAME,
				   "Destination-Realm", &o, ENOENT))
			o = NULL;
	}
	r = o;
	pthread_mutex_unlock(&mu);
	return r;
}

/*
 * Session-Id (RFC 6733 8.8: <DiameterIdentity>;<high 32>;<low 32>;zh)
 * written directly: a MAR/MAA is one stateless exchange
 * (NO_STATE_MAINTAINED), so no freeDiameter session object (a hash-table
 * entry with its own expiry) is made per GPI.  Unique per process run:
 * the start time and a counter.
 */
static int add_session_id(struct msg *m, const struct gba_diam_dict *zd)
{
	static uint64_t ctr;
	char sid[320];
	uint64_t n;
	int len;

	n = __atomic_add_fetch(&ctr, 1, __ATOMIC_RELAXED);
	len = snprintf(sid, sizeof(sid), "%s;%u;%llu;zh",
		       fd_g_config->cnf_diamid, (unsigned)c_t0,
		       (unsigned long long)n);
	if (len < 0 || (size_t)len >= sizeof(sid))
		return -1;
	/* the first AVP of the message (mar_build adds it first) */
	return gba_diam_add_os(m, zd->session_id, sid, (size_t)len);
}

static int mar_build(struct msg **out, const char *impi, const char *impu,
		     const uint8_t *rand, const uint8_t *auts)
{
	const struct gba_diam_dict *zd = gba_diam_zpn();
	const struct gba_diam_zh *zh = gba_diam_zh();
	struct dict_object *dr = NULL;
	struct msg *m = NULL;
	struct avp *g = NULL;
	uint8_t ra[RAND_LEN + GBA_AUTS_LEN];
	int r;

	*out = NULL;
	if (!zd || !zh || !(dr = dest_realm()) ||
	    fd_msg_new(zh->mar, MSGFL_ALLOC_ETEID, &m))
		return GBA_ERR_INTERNAL;
	r = add_session_id(m, zd) ||
	    gba_diam_add_vsai(m, zd, GBA_DIAM_APP_ZH) ||
	    gba_diam_add_i32(m, zd->auth_session_state, 1) ||
	    fd_msg_add_origin(m, 0) ||
	    gba_diam_add_os(m, dr, c_realm, strlen(c_realm)) ||
	    (impu ? gba_diam_add_os(m, cx(GBA_DIAM_PUBLIC_IDENTITY), impu,
				    strlen(impu))
		  : gba_diam_add_os(m, zd->user_name, impi, strlen(impi))) ||
	    gba_diam_add_u32(m, cx(GBA_DIAM_SIP_NUMBER_AUTH_ITEMS), 1) ||
	    fd_msg_avp_new(cx(GBA_DIAM_SIP_AUTH_DATA_ITEM), 0, &g) ||
	    gba_diam_add_os(g, cx(GBA_DIAM_SIP_AUTHENTICATION_SCHEME),
			    GBA_DIAM_SCHEME_AKA, strlen(GBA_DIAM_SCHEME_AKA));
	if (!r && rand) {
		memcpy(ra, rand, RAND_LEN);
		memcpy(ra + RAND_LEN, auts, GBA_AUTS_LEN);
		r = gba_diam_add_os(g, cx(GBA_DIAM_SIP_AUTHORIZATION), ra,
				    sizeof(ra));
		gba_cleanse(ra, sizeof(ra));
	}
	if (!r)
		r = fd_msg_avp_add(m, MSG_BRW_LAST_CHILD, g);
	if (r) {
		fd_msg_free(m);
		return GBA_ERR_INTERNAL;
	}
	*out = m;
	return GBA_OK;
}

/* a new call, the MAR's deadline in @dl */
static struct call *call_new(struct timespec *dl)
{
	struct call *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	clock_gettime(CLOCK_REALTIME, dl);
	dl->tv_sec += c_timeout_ms / 1000;
	dl->tv_nsec += (long)(c_timeout_ms % 1000) * 1000000L;
	if (dl->tv_nsec >= 1000000000L) {
		dl->tv_sec++;
		dl->tv_nsec -= 1000000000L;
	}
	return c;
}

/* bsf_zh_av()'s wait for the answer of bsf_zh_av_send() */
struct waiter {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct bsf_av_answer *ans;
};

static void wait_done(void *tag, struct bsf_av_answer *ans)
{
	struct waiter *w = tag;

	pthread_mutex_lock(&w->mu);
	w->ans = ans;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu); /* @w is the waiter's from here on */
}

int bsf_zh_av(const char *impi, const char *impu, const uint8_t *rand,
	      const uint8_t *auts, struct gba_av *av, char **guss,
	      size_t *guss_len, char *user, size_t user_size)
{
	struct waiter w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
			   NULL};
	struct bsf_av_answer *a;
	int r;

	memset(av, 0, sizeof(*av));
	*guss = NULL;
	*guss_len = 0;
	if (user_size)
		user[0] = '\0';
	if (user_size == 0)
		return GBA_ERR_BAD_PARAM;
	if ((r = bsf_zh_av_send(NULL, impi, impu, rand, auts, wait_done,
				&w)) != GBA_OK)
		return r;
	/* the answer always comes: the MAA, freeDiameter's expiry at the
	 * timeout, or bsf_zh_client_cancel() at shutdown */
	pthread_mutex_lock(&w.mu);
	while (!w.ans)
		pthread_cond_wait(&w.cv, &w.mu);
	pthread_mutex_unlock(&w.mu);
	a = w.ans;
	r = a->r;
	if (r == GBA_OK && strlen(a->user) >= user_size)
		r = GBA_ERR_TOO_LARGE;
	if (r == GBA_OK) {
		memcpy(user, a->user, strlen(a->user) + 1);
		*av = a->av;
		*guss = a->guss; /* handed over */
		*guss_len = a->guss_len;
		a->guss = NULL;
	}
	bsf_av_answer_free(a);
	pthread_cond_destroy(&w.cv);
	pthread_mutex_destroy(&w.mu);
	return r;
}

int bsf_zh_av_cb(void *arg, const char *impi, const char *impu,
		 const uint8_t *rand, const uint8_t *auts, struct gba_av *av,
		 char **guss, size_t *guss_len, char *user, size_t user_size,
		 unsigned *retry_after)
{
	int r;

	(void)arg;
	r = bsf_zh_av(impi, impu, rand, auts, av, guss, guss_len, user,
		      user_size);
	if (r == GBA_ERR_TIMEOUT && retry_after)
		*retry_after = BSF_ZH_RETRY_AFTER;
	return r;
}

int bsf_zh_av_send(void *arg, const char *impi, const char *impu,
		   const uint8_t *rand, const uint8_t *auts,
		   void (*cb)(void *tag, struct bsf_av_answer *ans), void *tag)
{
	struct timespec dl;
	struct msg *m = NULL;
	struct call *c;
	int r;

	(void)arg;
	if ((!impi && !impu) || (!rand) != (!auts) || !cb)
		return GBA_ERR_BAD_PARAM;
	if ((r = mar_build(&m, impi, impu, rand, auts)) != GBA_OK)
		return r;
	if (!(c = call_new(&dl)) || !(c->ans = calloc(1, sizeof(*c->ans)))) {
		if (c)
			call_free(c);
		fd_msg_free(m);
		return GBA_ERR_NOMEM;
	}
	c->cb = cb;
	c->tag = tag;
	c->by_impu = impu != NULL;
	out_put(c);
	if (fd_msg_send_timeout(&m, on_answer, c, on_expire, &dl)) {
		/* not queued: no callback will come */
		if (m)
			fd_msg_free(m);
		if (out_take(c))
			call_free(c);
		return GBA_ERR_TIMEOUT;
	}
	return GBA_OK; /* @c may be answered and gone already */
}

unsigned bsf_zh_client_cancel(void)
{
	struct call *c;
	unsigned n = 0;

	for (;;) {
		pthread_mutex_lock(&c_out_mu);
		c = c_out;
		pthread_mutex_unlock(&c_out_mu);
		if (!c)
			break;
		if (out_take(c)) {
			call_answer(c, GBA_ERR_TIMEOUT);
			n++;
		}
	}
	return n;
}
