/* see gba/gpi_push.h (TS 24.109 Annex J.2.2; J.3.1.2 / J.3.1.3 are [GAP]) */
#include <string.h>
#include "gba/cursor.h"
#include "gba/gpi.h"
#include "gba/gpi_push.h"

/*
 * GPI envelope layout, TS 24.109 J.3.1.2.  The field NAMES and the
 * version value 1 are from J.2.2 [V]; the WIDTHS and ORDER are a PROJECT
 * CHOICE, UNCONFIRMED ([GAP]); all of it lives in this table.  Fields are
 * big-endian unsigned integers; the GPI follows to the end of the body.
 */
enum { ENV_VERSION, ENV_SESSION_ID, ENV_NFIELDS };
static const struct {
	const char *name;
	uint8_t width; /* octets, 1..4 */
} env_layout[ENV_NFIELDS] = {
	[ENV_VERSION] = { "version", 1 },
	[ENV_SESSION_ID] = { "session_id", 2 },
};
_Static_assert(1 + 2 == GBA_GPI_ENV_HDR_LEN,
	       "GBA_GPI_ENV_HDR_LEN must match env_layout");

int gba_gpi_env_encode(const struct gba_gpi_env *env, uint8_t *out,
		       size_t cap, size_t *out_len)
{
	uint32_t val[ENV_NFIELDS];
	struct gba_wcur w;
	size_t i, k;

	if (!out_len)
		return GBA_ERR_BAD_PARAM;
	*out_len = 0;
	if (!env || !env->gpi || env->gpi_len == 0)
		return GBA_ERR_BAD_PARAM;
	if (env->gpi_len > GBA_GPI_MAX)
		return GBA_ERR_TOO_LARGE;
	val[ENV_VERSION] = GBA_GPI_ENV_VERSION;
	val[ENV_SESSION_ID] = env->session_id;
	gba_wcur_init(&w, out, cap);
	for (i = 0; i < ENV_NFIELDS; i++)
		for (k = env_layout[i].width; k-- > 0;)
			gba_wcur_u8(&w, (uint8_t)(val[i] >> (8 * k)));
	gba_wcur_bytes(&w, env->gpi, env->gpi_len);
	if (w.err)
		return w.err;
	*out_len = w.len;
	return GBA_OK;
}

int gba_gpi_env_decode(const uint8_t *buf, size_t len, struct gba_gpi_env *env)
{
	uint32_t val[ENV_NFIELDS];
	struct gba_cur c;
	const uint8_t *b;
	size_t i, k;

	if (!env)
		return GBA_ERR_BAD_PARAM;
	memset(env, 0, sizeof(*env));
	gba_cur_init(&c, buf, len);
	for (i = 0; i < ENV_NFIELDS; i++) {
		val[i] = 0;
		if (gba_cur_bytes(&c, env_layout[i].width, &b) != GBA_OK)
			return c.err;
		for (k = 0; k < env_layout[i].width; k++)
			val[i] = val[i] << 8 | b[k];
	}
	if (val[ENV_VERSION] != GBA_GPI_ENV_VERSION)
		return GBA_ERR_VERSION;
	if (c.left == 0)
		return GBA_ERR_TRUNCATED; /* the GPI field is mandatory */
	if (c.left > GBA_GPI_MAX)
		return GBA_ERR_TOO_LARGE;
	env->version = (uint8_t)val[ENV_VERSION];
	env->session_id = (uint16_t)val[ENV_SESSION_ID];
	env->gpi = c.p;
	env->gpi_len = c.left;
	return GBA_OK;
}

static int cfg_check(const struct gba_gpi_push_cfg *cfg)
{
	if (!cfg || cfg->ct_code_set > 1 || cfg->app_is_text > 1)
		return GBA_ERR_BAD_PARAM;
	if (cfg->app_is_text && (!cfg->app_urn || !cfg->app_urn[0]))
		return GBA_ERR_BAD_PARAM;
	return GBA_OK;
}

int gba_gpi_push_encode(const struct gba_gpi_push_cfg *cfg, uint8_t tid,
			const struct gba_gpi_env *env, uint8_t *out,
			size_t cap, size_t *out_len)
{
	uint8_t body[GBA_GPI_ENV_HDR_LEN + GBA_GPI_MAX];
	struct gba_wsp_push p;
	size_t bl;
	int r;

	if (!out_len)
		return GBA_ERR_BAD_PARAM;
	*out_len = 0;
	if ((r = cfg_check(cfg)) != GBA_OK ||
	    (r = gba_gpi_env_encode(env, body, sizeof(body), &bl)) != GBA_OK)
		return r;
	memset(&p, 0, sizeof(p));
	p.tid = tid;
	if (cfg->ct_code_set) {
		/* J.3.1.3 code [GAP]: Short-integer below 0x80, else the
		 * general form with a Long-integer (WSP 8.4.2.24) */
		p.ct.form = cfg->ct_code < 0x80 ? GBA_WSP_CT_SHORT :
						  GBA_WSP_CT_GEN_INT;
		p.ct.code = cfg->ct_code;
	} else {
		p.ct.form = GBA_WSP_CT_TEXT;
		p.ct.text = GBA_GPI_CT_TEXT;
		p.ct.text_len = sizeof(GBA_GPI_CT_TEXT) - 1;
	}
	p.app_id.present = 1;
	p.app_id.is_text = cfg->app_is_text;
	p.app_id.code = cfg->app_code;
	if (cfg->app_is_text) {
		p.app_id.text = cfg->app_urn;
		p.app_id.text_len = strlen(cfg->app_urn);
	}
	p.body = body;
	p.body_len = bl;
	return gba_wsp_push_encode(&p, out, cap, out_len);
}

/* ASCII case-insensitive equality (media types are case-insensitive). */
static int ascii_eq_nocase(const char *a, size_t an, const char *b,
			   size_t bn)
{
	size_t i;

	if (an != bn)
		return 0;
	for (i = 0; i < an; i++) {
		unsigned x = (uint8_t)a[i], y = (uint8_t)b[i];

		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y)
			return 0;
	}
	return 1;
}

int gba_gpi_push_is_gpi_ct(const struct gba_wsp_ctype *ct, int code_set,
			   uint32_t code)
{
	switch (ct->form) {
	case GBA_WSP_CT_TEXT:
	case GBA_WSP_CT_GEN_TEXT:
		return ascii_eq_nocase(ct->text, ct->text_len, GBA_GPI_CT_TEXT,
				       sizeof(GBA_GPI_CT_TEXT) - 1);
	case GBA_WSP_CT_SHORT:
	case GBA_WSP_CT_GEN_INT:
		return code_set && ct->code == code;
	default:
		return 0;
	}
}

int gba_gpi_push_check(const struct gba_gpi_push_cfg *cfg,
		       const struct gba_wsp_push *push, struct gba_gpi_env *env)
{
	const struct gba_wsp_appid *a;
	int r;

	if (!push || !env)
		return GBA_ERR_BAD_PARAM;
	memset(env, 0, sizeof(*env));
	if ((r = cfg_check(cfg)) != GBA_OK)
		return r;
	a = &push->app_id;
	if (!gba_gpi_push_is_gpi_ct(&push->ct, cfg->ct_code_set,
				    cfg->ct_code))
		return GBA_ERR_CONTENT_TYPE;
	if (!a->present || a->is_text != cfg->app_is_text ||
	    (a->is_text ? (a->text_len != strlen(cfg->app_urn) ||
			   memcmp(a->text, cfg->app_urn, a->text_len) != 0) :
			  a->code != cfg->app_code))
		return GBA_ERR_APP_ID;
	return gba_gpi_env_decode(push->body, push->body_len, env);
}

int gba_gpi_push_decode(const struct gba_gpi_push_cfg *cfg,
			const uint8_t *buf, size_t len,
			struct gba_wsp_push *push, struct gba_gpi_env *env)
{
	int r;

	if (!push || !env)
		return GBA_ERR_BAD_PARAM;
	memset(push, 0, sizeof(*push));
	memset(env, 0, sizeof(*env));
	if ((r = cfg_check(cfg)) != GBA_OK ||
	    (r = gba_wsp_push_decode(buf, len, push)) != GBA_OK)
		return r;
	r = gba_gpi_push_check(cfg, push, env);
	if (r != GBA_OK)
		memset(push, 0, sizeof(*push));
	return r;
}
