/* see gba/wsp.h (WAP-230-WSP 8.1.2, 8.2.4.1, 8.4.2.x) */
#include <string.h>
#include "gba/wsp.h"

#define WSP_QUOTE 0x7F        /* Quote before text >= 0x80; Shift-delimiter */
#define WSP_LENGTH_QUOTE 0x1F /* Value-length: uintvar follows */
#define WSP_SHORT_LEN_MAX 30  /* Short-length 0..30 */

/* 8.1.2: big-endian base-128, continuation in bit 7, at most 32 bits. */
int gba_wsp_uintvar_get(struct gba_cur *c, uint32_t *v)
{
	uint32_t x = 0;
	uint8_t o = 0;
	int i;

	*v = 0;
	for (i = 0; i < GBA_WSP_UINTVAR_MAX_LEN; i++) {
		if (gba_cur_u8(c, &o) != GBA_OK)
			return c->err;
		if (x >> 25) /* the next 7 bits would pass bit 31 */
			return gba_cur_fail(c, GBA_ERR_MALFORMED);
		x = x << 7 | (o & 0x7Fu);
		if (!(o & 0x80)) {
			*v = x;
			return GBA_OK;
		}
	}
	return gba_cur_fail(c, GBA_ERR_MALFORMED);
}

size_t gba_wsp_uintvar_len(uint32_t v)
{
	size_t n = 1;

	while (v >>= 7)
		n++;
	return n;
}

int gba_wsp_uintvar_put(struct gba_wcur *w, uint32_t v)
{
	size_t n = gba_wsp_uintvar_len(v), i;

	for (i = n; i-- > 0;)
		gba_wcur_u8(w, (uint8_t)((v >> (7 * i)) & 0x7F) |
				       (i ? 0x80 : 0));
	return w->err;
}

/* Text-string (8.4.2.1): [Quote] octets up to NUL, inside @c. */
static int text_get(struct gba_cur *c, const char **s, size_t *n)
{
	const uint8_t *nul, *v;

	*s = NULL;
	*n = 0;
	if (c->err)
		return c->err;
	if (c->left && c->p[0] == WSP_QUOTE) {
		/* Quote only announces a first character >= 0x80 */
		gba_cur_skip(c, 1);
		if (c->left && c->p[0] < 0x80)
			return gba_cur_fail(c, GBA_ERR_MALFORMED);
	}
	nul = c->left ? memchr(c->p, 0, c->left) : NULL;
	if (!nul)
		return gba_cur_fail(c, GBA_ERR_MALFORMED);
	*n = (size_t)(nul - c->p);
	gba_cur_bytes(c, *n + 1, &v);
	*s = (const char *)v;
	return c->err;
}

/* Integer-value inside a container: Short-integer or Long-integer. */
static int intval_get(struct gba_cur *c, uint32_t *v)
{
	const uint8_t *b;
	uint8_t o = 0;
	size_t i;

	*v = 0;
	if (gba_cur_u8(c, &o) != GBA_OK)
		return c->err;
	if (o & 0x80) {
		*v = o & 0x7Fu;
		return GBA_OK;
	}
	if (o == 0 || o > WSP_SHORT_LEN_MAX)
		return gba_cur_fail(c, GBA_ERR_MALFORMED);
	if (o > 4)
		return gba_cur_fail(c, GBA_ERR_UNSUPPORTED);
	if (gba_cur_bytes(c, o, &b) != GBA_OK)
		return c->err;
	for (i = 0; i < o; i++)
		*v = *v << 8 | b[i];
	return GBA_OK;
}

/* Value-length (8.4.2.2): Short-length or Length-quote + uintvar. */
static int vlen_get(struct gba_cur *c, uint32_t *n)
{
	uint8_t o = 0;

	*n = 0;
	if (gba_cur_u8(c, &o) != GBA_OK)
		return c->err;
	if (o <= WSP_SHORT_LEN_MAX) {
		*n = o;
		return GBA_OK;
	}
	if (o != WSP_LENGTH_QUOTE)
		return gba_cur_fail(c, GBA_ERR_MALFORMED);
	return gba_wsp_uintvar_get(c, n);
}

int gba_wsp_ctype_get(struct gba_cur *c, struct gba_wsp_ctype *ct)
{
	struct gba_cur v;
	uint32_t vl;
	uint8_t o = 0;
	int r;

	memset(ct, 0, sizeof(*ct));
	if ((r = gba_cur_peek(c, &o)) != GBA_OK)
		return gba_cur_fail(c, r);
	if (o & 0x80) { /* Short-integer well-known media */
		gba_cur_skip(c, 1);
		ct->form = GBA_WSP_CT_SHORT;
		ct->code = o & 0x7Fu;
		return GBA_OK;
	}
	if (o >= 0x20) { /* Extension-media text */
		ct->form = GBA_WSP_CT_TEXT;
		return text_get(c, &ct->text, &ct->text_len);
	}
	/* Content-general-form = Value-length Media-type *(Parameter) */
	if (vlen_get(c, &vl) != GBA_OK || gba_cur_sub(c, vl, &v) != GBA_OK)
		return c->err;
	if ((r = gba_cur_peek(&v, &o)) != GBA_OK)
		return gba_cur_fail(c, GBA_ERR_MALFORMED);
	if (o >= 0x20 && !(o & 0x80)) {
		ct->form = GBA_WSP_CT_GEN_TEXT;
		r = text_get(&v, &ct->text, &ct->text_len);
	} else {
		ct->form = GBA_WSP_CT_GEN_INT;
		r = intval_get(&v, &ct->code);
	}
	if (r != GBA_OK) {
		memset(ct, 0, sizeof(*ct));
		return gba_cur_fail(c, r == GBA_ERR_TRUNCATED ?
					       GBA_ERR_MALFORMED : r);
	}
	ct->params = v.left ? v.p : NULL;
	ct->params_len = v.left;
	return GBA_OK;
}

/* Skip a well-known header's value by its first octet (8.4.1.2). */
static int value_skip(struct gba_cur *c)
{
	const char *s;
	uint32_t n;
	uint8_t o = 0;
	size_t l;

	if (gba_cur_peek(c, &o) != GBA_OK)
		return gba_cur_fail(c, GBA_ERR_TRUNCATED);
	if (o >= 0x80)
		return gba_cur_skip(c, 1);
	if (o >= 0x20)
		return text_get(c, &s, &l);
	if (vlen_get(c, &n) != GBA_OK)
		return c->err;
	return gba_cur_skip(c, n);
}

static int appid_get(struct gba_cur *c, struct gba_wsp_appid *a)
{
	uint8_t o = 0;

	if (a->present)
		return gba_cur_fail(c, GBA_ERR_MALFORMED); /* repeated */
	a->present = 1;
	if (gba_cur_peek(c, &o) != GBA_OK)
		return gba_cur_fail(c, GBA_ERR_TRUNCATED);
	if (o >= 0x20 && o < 0x80) {
		a->is_text = 1;
		return text_get(c, &a->text, &a->text_len);
	}
	return intval_get(c, &a->code);
}

static int headers_get(struct gba_cur *h, struct gba_wsp_push *p)
{
	const char *s;
	uint8_t o = 0;
	size_t l;

	while (h->left && !h->err) {
		gba_cur_u8(h, &o);
		if (p->n_headers < 255)
			p->n_headers++;
		if (o & 0x80) {
			if ((o & 0x7F) == GBA_WSP_HDR_APP_ID)
				appid_get(h, &p->app_id);
			else
				value_skip(h);
		} else if (o == WSP_QUOTE || (o >= 0x01 && o <= 0x1F)) {
			/* Shift-sequence: another header code page */
			return gba_cur_fail(h, GBA_ERR_UNSUPPORTED);
		} else if (o == 0x00) {
			return gba_cur_fail(h, GBA_ERR_MALFORMED);
		} else {
			/* Application-header: Token-text name (its first
			 * octet is already read) and a Text-string value */
			if (text_get(h, &s, &l) == GBA_OK)
				text_get(h, &s, &l);
		}
	}
	return h->err;
}

int gba_wsp_push_decode(const uint8_t *buf, size_t len, struct gba_wsp_push *p)
{
	struct gba_cur c, h;
	uint32_t hl = 0;
	uint8_t type = 0;
	int r;

	if ((r = gba_cur_start(&c, buf, len, p, sizeof(*p))) != GBA_OK)
		return r;
	gba_cur_u8(&c, &p->tid);
	gba_cur_u8(&c, &type);
	if (c.err)
		goto out;
	if (type != GBA_WSP_PDU_PUSH) {
		r = GBA_ERR_MALFORMED;
		goto fail;
	}
	if (gba_wsp_uintvar_get(&c, &hl) != GBA_OK ||
	    gba_cur_sub(&c, hl, &h) != GBA_OK)
		goto out;
	if (hl == 0) { /* the Content-Type is mandatory */
		r = GBA_ERR_MALFORMED;
		goto fail;
	}
	/* inside HeadersLen every overrun is a malformed length */
	if ((r = gba_wsp_ctype_get(&h, &p->ct)) != GBA_OK)
		goto inner;
	p->headers = h.left ? h.p : NULL;
	p->headers_len = h.left;
	if ((r = headers_get(&h, p)) != GBA_OK)
		goto inner;
	p->body = c.left ? c.p : NULL;
	p->body_len = c.left;
	return GBA_OK;
inner:
	if (r == GBA_ERR_TRUNCATED)
		r = GBA_ERR_MALFORMED;
	goto fail;
out:
	r = c.err;
fail:
	memset(p, 0, sizeof(*p));
	return r;
}

int gba_wsp_push_decode_wdp(uint16_t dst_port, const uint8_t *buf,
			    size_t len, struct gba_wsp_push *p)
{
	if (p)
		memset(p, 0, sizeof(*p));
	if (dst_port != GBA_WDP_PORT_PUSH)
		return GBA_ERR_WDP_PORT;
	return gba_wsp_push_decode(buf, len, p);
}

/* ---- encoder ---- */

static size_t longint_len(uint32_t v)
{
	size_t n = 1;

	while (v >>= 8)
		n++;
	return n;
}

/* Integer-value: Short-integer below 0x80, else Long-integer. */
static size_t intval_len(uint32_t v)
{
	return v < 0x80 ? 1 : 1 + longint_len(v);
}

static void intval_put(struct gba_wcur *w, uint32_t v)
{
	size_t n, i;

	if (v < 0x80) {
		gba_wcur_u8(w, (uint8_t)(0x80 | v));
		return;
	}
	n = longint_len(v);
	gba_wcur_u8(w, (uint8_t)n);
	for (i = n; i-- > 0;)
		gba_wcur_u8(w, (uint8_t)(v >> (8 * i)));
}

/* encodable Text-string: non-empty, no NUL, not starting with a CTL */
static int text_ok(const char *s, size_t n)
{
	return s && n > 0 && (uint8_t)s[0] >= 0x20 && !memchr(s, 0, n);
}

static size_t text_len(const char *s, size_t n)
{
	return ((uint8_t)s[0] >= 0x80 ? 1 : 0) + n + 1;
}

static void text_put(struct gba_wcur *w, const char *s, size_t n)
{
	if ((uint8_t)s[0] >= 0x80)
		gba_wcur_u8(w, WSP_QUOTE);
	gba_wcur_bytes(w, s, n);
	gba_wcur_u8(w, 0);
}

static void vlen_put(struct gba_wcur *w, size_t n)
{
	if (n <= WSP_SHORT_LEN_MAX) {
		gba_wcur_u8(w, (uint8_t)n);
		return;
	}
	gba_wcur_u8(w, WSP_LENGTH_QUOTE);
	gba_wsp_uintvar_put(w, (uint32_t)n);
}

static size_t vlen_len(size_t n)
{
	return n <= WSP_SHORT_LEN_MAX ? 1 : 1 + gba_wsp_uintvar_len((uint32_t)n);
}

/* Encoded size of @ct, 0 when @ct is not encodable. */
static size_t ctype_len(const struct gba_wsp_ctype *ct)
{
	size_t inner;

	if (ct->params_len && !ct->params)
		return 0;
	switch (ct->form) {
	case GBA_WSP_CT_SHORT:
		return ct->code < 0x80 ? 1 : 0;
	case GBA_WSP_CT_TEXT:
		return text_ok(ct->text, ct->text_len) ?
			       text_len(ct->text, ct->text_len) : 0;
	case GBA_WSP_CT_GEN_INT:
		inner = intval_len(ct->code);
		break;
	case GBA_WSP_CT_GEN_TEXT:
		if (!text_ok(ct->text, ct->text_len))
			return 0;
		inner = text_len(ct->text, ct->text_len);
		break;
	default:
		return 0;
	}
	if (ct->params_len > UINT32_MAX - inner)
		return 0;
	inner += ct->params_len;
	return vlen_len(inner) + inner;
}

int gba_wsp_ctype_put(struct gba_wcur *w, const struct gba_wsp_ctype *ct)
{
	size_t total = ctype_len(ct);

	if (!total)
		return gba_wcur_fail(w, GBA_ERR_BAD_PARAM);
	switch (ct->form) {
	case GBA_WSP_CT_SHORT:
		gba_wcur_u8(w, (uint8_t)(0x80 | ct->code));
		return w->err;
	case GBA_WSP_CT_TEXT:
		text_put(w, ct->text, ct->text_len);
		return w->err;
	case GBA_WSP_CT_GEN_INT:
		vlen_put(w, intval_len(ct->code) + ct->params_len);
		intval_put(w, ct->code);
		break;
	default:
		vlen_put(w, text_len(ct->text, ct->text_len) + ct->params_len);
		text_put(w, ct->text, ct->text_len);
		break;
	}
	gba_wcur_bytes(w, ct->params, ct->params_len);
	return w->err;
}

static size_t appid_len(const struct gba_wsp_appid *a)
{
	if (!a->present)
		return 0;
	if (a->is_text)
		return text_ok(a->text, a->text_len) ?
			       1 + text_len(a->text, a->text_len) : 0;
	return 1 + intval_len(a->code);
}

int gba_wsp_push_encode(const struct gba_wsp_push *p, uint8_t *out,
			size_t cap, size_t *out_len)
{
	struct gba_wcur w;
	size_t ctl, al, hl;

	if (!out_len)
		return GBA_ERR_BAD_PARAM;
	*out_len = 0;
	if (!p || (p->headers_len && !p->headers) ||
	    (p->body_len && !p->body))
		return GBA_ERR_BAD_PARAM;
	ctl = ctype_len(&p->ct);
	al = appid_len(&p->app_id);
	if (!ctl || (p->app_id.present && !al))
		return GBA_ERR_BAD_PARAM;
	hl = ctl + al;
	if (p->headers_len > UINT32_MAX - hl)
		return GBA_ERR_BAD_PARAM;
	hl += p->headers_len;
	gba_wcur_init(&w, out, cap);
	gba_wcur_u8(&w, p->tid);
	gba_wcur_u8(&w, GBA_WSP_PDU_PUSH);
	gba_wsp_uintvar_put(&w, (uint32_t)hl);
	gba_wsp_ctype_put(&w, &p->ct);
	if (p->app_id.present) {
		gba_wcur_u8(&w, 0x80 | GBA_WSP_HDR_APP_ID);
		if (p->app_id.is_text)
			text_put(&w, p->app_id.text, p->app_id.text_len);
		else
			intval_put(&w, p->app_id.code);
	}
	gba_wcur_bytes(&w, p->headers, p->headers_len);
	gba_wcur_bytes(&w, p->body, p->body_len);
	if (w.err)
		return w.err;
	*out_len = w.len;
	return GBA_OK;
}
