/*
 * diam.c - see gba/diam.h: the freeDiameter core lifecycle and the Zpn
 * dictionary of TS 29.109 (clause 5.4, clause 6.1.x GPR/GPA, clause 6.3
 * AVPs), table-driven.  Names follow TS 29.109 clause 6.3; Wireshark's
 * dictionary names two of them differently (docs/diameter.md).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>
#include "gba/diam.h"
#include "diam_i.h"

enum kind { K_OCTETS, K_TIME, K_ENUM, K_UTF8, K_U32, K_GROUPED };

/* a vendor-specific (10415) AVP of the dictionary: @m, the M bit */
struct avp_def {
	unsigned code;
	const char *name;
	enum kind kind;
	int m;
};

/* TS 29.109 clause 6.3 (codes, types, flags); M bit of 419/420 and
 * their type: project choices, unconfirmed (docs/diameter.md) */
static const struct avp_def avps[] = {
	{400, "GBA-UserSecSettings", K_OCTETS, 1},
	{401, "Transaction-Identifier", K_OCTETS, 1},
	{402, "NAF-Id", K_OCTETS, 1},
	{403, "GAA-Service-Identifier", K_OCTETS, 1},
	{404, "Key-ExpiryTime", K_TIME, 1},
	{405, "ME-Key-Material", K_OCTETS, 1},
	{406, "UICC-Key-Material", K_OCTETS, 1},
	{407, "GBA_U-Awareness-Indicator", K_ENUM, 1},
	{408, "BootstrapInfoCreationTime", K_TIME, 1},
	{409, "GUSS-Timestamp", K_TIME, 0},
	{410, "GBA-Type", K_ENUM, 1},
	{411, "UE-Id", K_OCTETS, 1},
	{412, "UE-Id-Type", K_ENUM, 1},
	{413, "UICC-App-Label", K_OCTETS, 1},
	{414, "UICC-ME", K_ENUM, 1},
	{415, "Requested-Key-Lifetime", K_TIME, 1},
	{416, "Private-Identity-Request", K_ENUM, 1},
	{417, "GBA-Push-Info", K_OCTETS, 1},
	{418, "NAF-SA-Identifier", K_OCTETS, 1},
	{419, "Security-Feature-Request", K_OCTETS, 0},
	{420, "Security-Feature-Response", K_OCTETS, 0},
};

/*
 * The Cx AVPs Zh reuses (TS 29.229 clause 6.3, vendor 10415, M and V
 * set; Wireshark TGPP.xml agrees on codes, types and flags).  Codes and
 * types are confirmed by TS 29.229 6.3 for Cx; the use on Zh (which AVP
 * carries what) of those marked (pc) is a project choice
 * (docs/diameter.md).
 */
static const struct avp_def cx_avps[] = {
	{601, "Public-Identity", K_UTF8, 1}, /* (pc) */
	{607, "SIP-Number-Auth-Items", K_U32, 1},
	{608, "SIP-Authentication-Scheme", K_UTF8, 1},
	{609, "SIP-Authenticate", K_OCTETS, 1},
	{610, "SIP-Authorization", K_OCTETS, 1},
	{611, "SIP-Authentication-Context", K_OCTETS, 1},
	{612, "SIP-Auth-Data-Item", K_GROUPED, 1},
	{613, "SIP-Item-Number", K_U32, 1},
	{625, "Confidentiality-Key", K_OCTETS, 1}, /* (pc) */
	{626, "Integrity-Key", K_OCTETS, 1},       /* (pc) */
};

static struct gba_diam_dict zd;
static struct gba_diam_zh zh;

/* freeDiameter takes char * for names it only reads */
static void *unconst(const void *p)
{
	return (void *)(uintptr_t)p;
}
static int started;
static int log_min = FD_LOG_ERROR;
static void (*log_sink)(int level, const char *line);
static char last_err[256];

/* freeDiameter's log lines (called under its log lock); @fmt is
 * freeDiameter's printf format (fd_log_hook_cb) */
__attribute__((format(printf, 2, 0))) static void
on_log(int level, const char *fmt, va_list ap)
{
	char line[512];

	/* nothing to keep or show: no formatting on the message path */
	if (level < log_min && level < FD_LOG_ERROR)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	if (level >= FD_LOG_ERROR)
		snprintf(last_err, sizeof(last_err), "%.255s", line);
	if (level < log_min)
		return;
	if (log_sink)
		log_sink(level, line);
	else
		fprintf(stderr, "freeDiameter: %s\n", line);
}

int gba_diam_debug_on(void)
{
	return log_min <= FD_LOG_DEBUG;
}

const char *gba_diam_last_error(void)
{
	return last_err;
}

/* the object of @what, or a new one from @data (EEXIST: found again) */
static int get_or_new(enum dict_object_type t, int crit, const void *what,
		      void *data, struct dict_object *parent,
		      struct dict_object **out)
{
	struct dictionary *d = fd_g_config->cnf_dict;

	*out = NULL;
	if (!fd_dict_search(d, t, crit, what, out, ENOENT) && *out)
		return 0;
	return fd_dict_new(d, t, data, parent, out);
}

static int base_avp(const char *name, struct dict_object **out)
{
	return fd_dict_search(fd_g_config->cnf_dict, DICT_AVP, AVP_BY_NAME,
			      name, out, ENOENT);
}

static int avp_new(const struct avp_def *a, struct dict_object *time_t_,
		   struct dict_object *utf8_t, struct dict_object **out)
{
	struct dict_avp_request r = {GBA_DIAM_VENDOR_3GPP, a->code, NULL};
	struct dict_avp_data ad2;
	struct dict_object *parent = NULL;

	memset(&ad2, 0, sizeof(ad2));
	ad2.avp_code = a->code;
	ad2.avp_vendor = GBA_DIAM_VENDOR_3GPP;
	ad2.avp_name = unconst(a->name);
	ad2.avp_flag_mask = AVP_FLAG_VENDOR | AVP_FLAG_MANDATORY;
	ad2.avp_flag_val = AVP_FLAG_VENDOR | (a->m ? AVP_FLAG_MANDATORY : 0);
	switch (a->kind) {
	case K_ENUM:
		ad2.avp_basetype = AVP_TYPE_INTEGER32;
		break;
	case K_U32:
		ad2.avp_basetype = AVP_TYPE_UNSIGNED32;
		break;
	case K_GROUPED:
		ad2.avp_basetype = AVP_TYPE_GROUPED;
		break;
	case K_TIME:
		parent = time_t_;
		ad2.avp_basetype = AVP_TYPE_OCTETSTRING;
		break;
	case K_UTF8:
		parent = utf8_t;
		ad2.avp_basetype = AVP_TYPE_OCTETSTRING;
		break;
	default:
		ad2.avp_basetype = AVP_TYPE_OCTETSTRING;
	}
	return get_or_new(DICT_AVP, AVP_BY_CODE_AND_VENDOR, &r, &ad2, parent,
			  out);
}

/* an application and its one command, request and answer */
struct app_def {
	application_id_t id;
	const char *name;
	command_code_t cmd;
	const char *req, *ans;
};

/*
 * @a of @vendor into *@app, *@rq, *@an.  A command code is one object per
 * dictionary: a command some extension already made is reused.
 */
static int app_new(const struct app_def *a, struct dict_object *vendor,
		   struct dict_object **app, struct dict_object **rq,
		   struct dict_object **an)
{
	struct dict_application_data ad = {a->id, unconst(a->name)};
	struct dict_cmd_data rd = {a->cmd, unconst(a->req),
				   CMD_FLAG_REQUEST | CMD_FLAG_ERROR,
				   CMD_FLAG_REQUEST};
	struct dict_cmd_data nd = {a->cmd, unconst(a->ans), CMD_FLAG_REQUEST,
				   0};
	application_id_t aid = a->id;
	command_code_t cc = a->cmd;

	if (get_or_new(DICT_APPLICATION, APPLICATION_BY_ID, &aid, &ad, vendor,
		       app) ||
	    get_or_new(DICT_COMMAND, CMD_BY_CODE_R, &cc, &rd, *app, rq) ||
	    get_or_new(DICT_COMMAND, CMD_BY_CODE_A, &cc, &nd, *app, an))
		return -1;
	return 0;
}

/* Zh: application 16777221, MAR/MAA 303, the Cx AVPs (TS 29.109 4.2) */
static int dict_register_zh(struct dict_object *vendor,
			    struct dict_object *time_t_)
{
	static const struct app_def zh_app = {
		GBA_DIAM_APP_ZH, "3GPP Zh", GBA_DIAM_CMD_MA,
		"Multimedia-Auth-Request", "Multimedia-Auth-Answer"};
	struct dict_object *utf8_t = NULL;
	size_t i;

	if (fd_dict_search(fd_g_config->cnf_dict, DICT_TYPE, TYPE_BY_NAME,
			   "UTF8String", &utf8_t, ENOENT))
		return -1;
	/* 303 may already be there from a Cx extension; then it is reused */
	if (app_new(&zh_app, vendor, &zh.app, &zh.mar, &zh.maa))
		return -1;
	for (i = 0; i < sizeof(cx_avps) / sizeof(cx_avps[0]); i++)
		if (avp_new(&cx_avps[i], time_t_, utf8_t,
			    &zh.avp[cx_avps[i].code - GBA_DIAM_CX_FIRST]))
			return -1;
	return fd_disp_app_support(zh.app, vendor, 1, 0) ? -1 : 0;
}

static int dict_register(void)
{
	struct dictionary *d = fd_g_config->cnf_dict;
	struct dict_vendor_data vd = {GBA_DIAM_VENDOR_3GPP, "3GPP"};
	static const struct app_def zn_app = {
		GBA_DIAM_APP_ZN, "3GPP Zn", GBA_DIAM_CMD_GPI,
		"GBA-Push-Info-Request", "GBA-Push-Info-Answer"};
	struct dict_object *vendor = NULL, *time_t_ = NULL;
	vendor_id_t vid = GBA_DIAM_VENDOR_3GPP;
	size_t i;

	if (get_or_new(DICT_VENDOR, VENDOR_BY_ID, &vid, &vd, NULL, &vendor) ||
	    app_new(&zn_app, vendor, &zd.app, &zd.gpr, &zd.gpa))
		return -1;
	if (fd_dict_search(d, DICT_TYPE, TYPE_BY_NAME, "Time", &time_t_,
			   ENOENT))
		return -1;
	for (i = 0; i < sizeof(avps) / sizeof(avps[0]); i++)
		if (avp_new(&avps[i], time_t_, NULL,
			    &zd.avp[avps[i].code - GBA_DIAM_AVP_FIRST]))
			return -1;
	if (dict_register_zh(vendor, time_t_))
		return -1;
	if (base_avp("Session-Id", &zd.session_id) ||
	    base_avp("Vendor-Specific-Application-Id", &zd.vsai) ||
	    base_avp("Vendor-Id", &zd.vendor_id) ||
	    base_avp("Auth-Application-Id", &zd.auth_app_id) ||
	    base_avp("Auth-Session-State", &zd.auth_session_state) ||
	    base_avp("Origin-Host", &zd.origin_host) ||
	    base_avp("Origin-Realm", &zd.origin_realm) ||
	    base_avp("Destination-Host", &zd.destination_host) ||
	    base_avp("Destination-Realm", &zd.destination_realm) ||
	    base_avp("User-Name", &zd.user_name) ||
	    base_avp("Result-Code", &zd.result_code) ||
	    base_avp("Experimental-Result", &zd.experimental_result) ||
	    base_avp("Experimental-Result-Code", &zd.experimental_result_code))
		return -1;
	/* advertised in CER/CEA: Vendor-Specific-Application-Id
	 * {10415, Auth-Application-Id 16777220} */
	return fd_disp_app_support(zd.app, vendor, 1, 0) ? -1 : 0;
}

int gba_diam_start(const char *conf, int log_level,
		   void (*sink)(int level, const char *line))
{
	if (started)
		return GBA_ERR_STATE;
	if (!conf)
		return GBA_ERR_BAD_PARAM;
	log_min = log_level;
	log_sink = sink;
	last_err[0] = '\0';
	/* before the core prints its first line (to stdout otherwise);
	 * once per process: EALREADY on a second start is harmless */
	(void)fd_log_handler_register(on_log);
	if (fd_core_initialize())
		return GBA_ERR_INTERNAL;
	started = 1;
	if (fd_core_parseconf(conf)) {
		gba_diam_stop();
		return GBA_ERR_CONFIG;
	}
	if (dict_register() || gba_diam_hook_start() ||
	    gba_diam_quiet_start() || fd_core_start()) {
		gba_diam_stop();
		return GBA_ERR_INTERNAL;
	}
	started = 2;
	return GBA_OK;
}

void gba_diam_stop(void)
{
	if (!started)
		return;
	fd_core_shutdown();
	fd_core_wait_shutdown_complete();
	gba_diam_hook_stop();
	gba_diam_quiet_stop();
	memset(&zd, 0, sizeof(zd));
	memset(&zh, 0, sizeof(zh));
	started = 0;
}

const struct gba_diam_dict *gba_diam_zpn(void)
{
	return started == 2 ? &zd : NULL;
}

const struct gba_diam_zh *gba_diam_zh(void)
{
	return started == 2 ? &zh : NULL;
}

struct dict_object *gba_diam_cx_avp(unsigned code)
{
	if (started != 2 || code < GBA_DIAM_CX_FIRST || code > GBA_DIAM_CX_LAST)
		return NULL;
	return zh.avp[code - GBA_DIAM_CX_FIRST];
}

struct dict_object *gba_diam_avp(unsigned code)
{
	if (started != 2 || code < GBA_DIAM_AVP_FIRST ||
	    code > GBA_DIAM_AVP_LAST)
		return NULL;
	return zd.avp[code - GBA_DIAM_AVP_FIRST];
}

int gba_diam_wait_open(const char *id, long timeout_ms)
{
	struct timespec ts = {0, 20 * 1000000L};
	long waited = 0;

	for (;;) {
		struct peer_hdr *p = NULL;

		if (fd_peer_getbyid(unconst(id), strlen(id), 1, &p) || !p)
			return GBA_ERR_NOT_FOUND;
		if (fd_peer_get_state(p) == STATE_OPEN)
			return GBA_OK;
		if (waited >= timeout_ms)
			return GBA_ERR_TIMEOUT;
		nanosleep(&ts, NULL);
		waited += 20;
	}
}

int gba_diam_avp_next(void *parent, struct avp **a, struct avp_hdr **h)
{
	struct avp *next = NULL;

	*h = NULL;
	if (*a ? fd_msg_browse(*a, MSG_BRW_NEXT, &next, NULL)
	       : fd_msg_browse(parent, MSG_BRW_FIRST_CHILD, &next, NULL))
		return -1;
	if (next == NULL)
		return 0;
	if (fd_msg_avp_hdr(next, h))
		return -1;
	*a = next;
	return 1;
}

int64_t gba_diam_time_get(const uint8_t *p, size_t len)
{
	uint32_t v;

	if (len != 4)
		return -1;
	v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
	    p[3];
	/* RFC 6733 4.3.1: values below 2^31 are after 2036-02-07 */
	return (int64_t)v - GBA_DIAM_NTP_OFFSET +
	       (v < 0x80000000u ? ((int64_t)1 << 32) : 0);
}

void gba_diam_time_put(int64_t unix_s, uint8_t out[4])
{
	uint32_t v = (uint32_t)(unix_s + GBA_DIAM_NTP_OFFSET);

	out[0] = (uint8_t)(v >> 24);
	out[1] = (uint8_t)(v >> 16);
	out[2] = (uint8_t)(v >> 8);
	out[3] = (uint8_t)v;
}

/* freeDiameter takes non-const pointers to data it only reads */
static int add_value(void *m, struct dict_object *o, union avp_value *v)
{
	struct avp *a = NULL;

	if (o == NULL || fd_msg_avp_new(o, 0, &a) ||
	    fd_msg_avp_setvalue(a, v) ||
	    fd_msg_avp_add(m, MSG_BRW_LAST_CHILD, a))
		return -1;
	return 0;
}

int gba_diam_add_os(void *m, struct dict_object *o, const void *p, size_t n)
{
	union avp_value v;

	memset(&v, 0, sizeof(v));
	v.os.data = (uint8_t *)(uintptr_t)p;
	v.os.len = n;
	return add_value(m, o, &v);
}

int gba_diam_add_u32(void *m, struct dict_object *o, uint32_t u)
{
	union avp_value v;

	memset(&v, 0, sizeof(v));
	v.u32 = u;
	return add_value(m, o, &v);
}

int gba_diam_add_i32(void *m, struct dict_object *o, int32_t i)
{
	union avp_value v;

	memset(&v, 0, sizeof(v));
	v.i32 = i;
	return add_value(m, o, &v);
}

/* a grouped AVP @grp of {Vendor-Id 10415, @o = @u} appended to @m */
static int add_3gpp_group(void *m, const struct gba_diam_dict *d,
			  struct dict_object *grp, struct dict_object *o,
			  uint32_t u)
{
	struct avp *g = NULL;

	if (fd_msg_avp_new(grp, 0, &g) ||
	    gba_diam_add_u32(g, d->vendor_id, GBA_DIAM_VENDOR_3GPP) ||
	    gba_diam_add_u32(g, o, u) ||
	    fd_msg_avp_add(m, MSG_BRW_LAST_CHILD, g))
		return -1;
	return 0;
}

int gba_diam_add_vsai(void *m, const struct gba_diam_dict *d, uint32_t app)
{
	return add_3gpp_group(m, d, d->vsai, d->auth_app_id, app);
}

int gba_diam_add_experimental(void *m, const struct gba_diam_dict *d,
			      uint32_t code)
{
	return add_3gpp_group(m, d, d->experimental_result,
			      d->experimental_result_code, code);
}
