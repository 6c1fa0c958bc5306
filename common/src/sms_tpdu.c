/* see gba/sms.h (TS 23.040 SM-TL: TPDUs, UDH, segmentation) */
#include <string.h>
#include "gba/cursor.h"
#include "gba/sms.h"
#include "sms_i.h"

static const char bcd_chars[] = "0123456789*#abc";

/* see sms_i.h */
int gba_sms_addr_build(const char *s, struct gba_sms_addr *a,
		       int (*build)(const char *s, struct gba_sms_addr *t))
{
	struct gba_sms_addr t;
	int r;

	if (!a)
		return GBA_ERR_BAD_PARAM;
	memset(a, 0, sizeof(*a));
	if (!s)
		return GBA_ERR_BAD_PARAM;
	memset(&t, 0, sizeof(t));
	if ((r = build(s, &t)) == GBA_OK)
		*a = t;
	return r;
}

/* E.164 digits and bcd_chars, a leading '+' for an international number */
static int addr_digits(const char *s, struct gba_sms_addr *t)
{
	const char *d;

	t->npi = GBA_SMS_NPI_E164;
	if (*s == '+') {
		t->ton = GBA_SMS_TON_INTERNATIONAL;
		s++;
	}
	if (!*s)
		return GBA_ERR_BAD_PARAM;
	for (; *s; s++) {
		d = memchr(bcd_chars, *s, sizeof(bcd_chars) - 1);
		if (!d || *s == '\0')
			return GBA_ERR_BAD_PARAM;
		if (t->n == GBA_SMS_ADDR_MAX)
			return GBA_ERR_TOO_LARGE;
		t->v[t->n++] = (uint8_t)(d - bcd_chars);
	}
	return GBA_OK;
}

int gba_sms_addr_from_str(const char *s, struct gba_sms_addr *a)
{
	return gba_sms_addr_build(s, a, addr_digits);
}

int gba_sms_addr_to_str(const struct gba_sms_addr *a, char *out, size_t cap)
{
	size_t i, pos = 0;

	if (!out || cap == 0)
		return GBA_ERR_NO_SPACE;
	out[0] = '\0';
	if (!a || a->n > GBA_SMS_ADDR_MAX)
		return GBA_ERR_BAD_PARAM;
	if (a->ton == GBA_SMS_TON_ALPHANUMERIC)
		return gba_sms_gsm7_to_utf8(a->v, a->n, out, cap);
	if (cap < (size_t)a->n + 2)
		return GBA_ERR_NO_SPACE;
	if (a->ton == GBA_SMS_TON_INTERNATIONAL)
		out[pos++] = '+';
	for (i = 0; i < a->n; i++)
		out[pos++] = a->v[i] < 15 ? bcd_chars[a->v[i]] : '?';
	out[pos] = '\0';
	return GBA_OK;
}

int gba_sms_addr_eq(const struct gba_sms_addr *a, const struct gba_sms_addr *b)
{
	return a->ton == b->ton && a->npi == b->npi && a->n == b->n &&
	       a->n <= GBA_SMS_ADDR_MAX && memcmp(a->v, b->v, a->n) == 0;
}

/* ---- field codecs ---- */

static int nib(uint8_t o, int hi)
{
	return hi ? o >> 4 : o & 0x0F;
}

/* TP-OA / TP-DA (9.1.2.5): length in useful semi-octets, TOA, value. */
static int addr_get(struct gba_cur *c, struct gba_sms_addr *a)
{
	uint8_t l = 0, toa = 0;
	const uint8_t *v;
	size_t i;
	int r;

	memset(a, 0, sizeof(*a));
	if ((r = gba_cur_u8(c, &l)) != GBA_OK ||
	    (r = gba_cur_u8(c, &toa)) != GBA_OK)
		return r;
	if (l > GBA_SMS_ADDR_MAX)
		return gba_cur_fail(c, GBA_ERR_MALFORMED);
	if ((r = gba_cur_bytes(c, (l + 1u) / 2, &v)) != GBA_OK)
		return r;
	a->ton = (toa >> 4) & 7;
	a->npi = toa & 0x0F;
	if (a->ton == GBA_SMS_TON_ALPHANUMERIC) {
		/* l = ceil(7 * chars / 4), so chars = floor(4 * l / 7) */
		a->n = (uint8_t)(4u * l / 7);
		return gba_sms_gsm7_unpack(v, (l + 1u) / 2, 0, a->n, a->v);
	}
	for (i = 0; i < l; i++) {
		int d = nib(v[i / 2], (int)(i & 1));

		if (d == 0xF) /* end mark inside the counted digits */
			return gba_cur_fail(c, GBA_ERR_MALFORMED);
		a->v[i] = (uint8_t)d;
	}
	a->n = l;
	return GBA_OK;
}

static int addr_check(const struct gba_sms_addr *a)
{
	/* alphanumeric: GSM 7-bit septets; else digits 0..14 (bcd_chars) */
	int alnum = a->ton == GBA_SMS_TON_ALPHANUMERIC;
	size_t i, max_n = alnum ? GBA_SMS_ALNUM_MAX : GBA_SMS_ADDR_MAX;
	uint8_t max_v = alnum ? 0x7F : 14;

	if (a->ton > 7 || a->npi > 15 || a->n > max_n)
		return GBA_ERR_BAD_PARAM;
	for (i = 0; i < a->n; i++)
		if (a->v[i] > max_v)
			return GBA_ERR_BAD_PARAM;
	return GBA_OK;
}

static uint8_t toa_octet(const struct gba_sms_addr *a)
{
	return (uint8_t)(0x80 | a->ton << 4 | a->npi);
}

/* Semi-octet digits, odd count padded with 0xF in the high nibble. */
static void bcd_put(struct gba_wcur *w, const uint8_t *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += 2)
		gba_wcur_u8(w, (uint8_t)(d[i] |
					 (i + 1 < n ? d[i + 1] : 0xF) << 4));
}

static void addr_put(struct gba_wcur *w, const struct gba_sms_addr *a)
{
	if (a->ton == GBA_SMS_TON_ALPHANUMERIC) {
		uint8_t *d;
		size_t nb = (7u * a->n + 7) / 8;

		gba_wcur_u8(w, (uint8_t)((7u * a->n + 3) / 4));
		gba_wcur_u8(w, toa_octet(a));
		if ((d = gba_wcur_reserve(w, nb)) != NULL)
			gba_sms_gsm7_pack(a->v, a->n, d);
		return;
	}
	gba_wcur_u8(w, a->n);
	gba_wcur_u8(w, toa_octet(a));
	bcd_put(w, a->v, a->n);
}

/* TP-SCTS (9.2.3.11): swapped BCD, zone in quarters, bit 3 = sign. */
static int ts_get(struct gba_cur *c, struct gba_sms_ts *ts)
{
	const uint8_t *b;
	uint8_t v[6];
	int i, r;

	memset(ts, 0, sizeof(*ts));
	if ((r = gba_cur_bytes(c, 7, &b)) != GBA_OK)
		return r;
	for (i = 0; i < 6; i++) {
		if ((b[i] & 0x0F) > 9 || (b[i] >> 4) > 9)
			return gba_cur_fail(c, GBA_ERR_MALFORMED);
		v[i] = (uint8_t)((b[i] & 0x0F) * 10 + (b[i] >> 4));
	}
	if ((b[6] >> 4) > 9)
		return gba_cur_fail(c, GBA_ERR_MALFORMED);
	ts->year = v[0];
	ts->month = v[1];
	ts->day = v[2];
	ts->hour = v[3];
	ts->minute = v[4];
	ts->second = v[5];
	/* q = tens (bits 2..0) * 10 + units (high nibble); bit 3 negative */
	ts->tz = (int8_t)((b[6] & 0x07) * 10 + (b[6] >> 4));
	if (b[6] & 0x08)
		ts->tz = (int8_t)-ts->tz;
	return GBA_OK;
}

static int ts_check(const struct gba_sms_ts *ts)
{
	if (ts->year > 99 || ts->month > 99 || ts->day > 99 ||
	    ts->hour > 99 || ts->minute > 99 || ts->second > 99 ||
	    ts->tz > 79 || ts->tz < -79)
		return GBA_ERR_BAD_PARAM;
	return GBA_OK;
}

static uint8_t bcd_swap(unsigned v)
{
	return (uint8_t)((v % 10) << 4 | v / 10);
}

static void ts_put(struct gba_wcur *w, const struct gba_sms_ts *ts)
{
	unsigned q = (unsigned)(ts->tz < 0 ? -ts->tz : ts->tz);

	gba_wcur_u8(w, bcd_swap(ts->year));
	gba_wcur_u8(w, bcd_swap(ts->month));
	gba_wcur_u8(w, bcd_swap(ts->day));
	gba_wcur_u8(w, bcd_swap(ts->hour));
	gba_wcur_u8(w, bcd_swap(ts->minute));
	gba_wcur_u8(w, bcd_swap(ts->second));
	gba_wcur_u8(w, (uint8_t)((q % 10) << 4 | q / 10 |
				 (ts->tz < 0 ? 0x08 : 0)));
}

/* ---- UDH (9.2.3.24) ---- */

int gba_sms_udh_next(const uint8_t *ies, size_t len, size_t *pos,
		     uint8_t *iei, const uint8_t **ied, size_t *iedl)
{
	struct gba_cur c;
	uint8_t l = 0;

	*iei = 0;
	*ied = NULL;
	*iedl = 0;
	if (*pos >= len)
		return GBA_ERR_NOT_FOUND;
	gba_cur_init(&c, ies + *pos, len - *pos);
	gba_cur_u8(&c, iei);
	gba_cur_u8(&c, &l);
	gba_cur_bytes(&c, l, ied);
	if (c.err) /* inside a complete UDH: a length past its end */
		return GBA_ERR_MALFORMED;
	*iedl = l;
	*pos = len - c.left;
	return GBA_OK;
}

int gba_sms_udh_parse(const uint8_t *ies, size_t len, struct gba_sms_udh *u)
{
	const uint8_t *d;
	size_t pos = 0, l;
	uint8_t iei;
	int r;

	memset(u, 0, sizeof(*u));
	while ((r = gba_sms_udh_next(ies, len, &pos, &iei, &d, &l)) == GBA_OK) {
		unsigned ref, total, seq;

		if (u->n_ies < 255)
			u->n_ies++;
		switch (iei) {
		case GBA_SMS_IEI_CONCAT8:
		case GBA_SMS_IEI_CONCAT16:
			if (l != (iei == GBA_SMS_IEI_CONCAT8 ? 3u : 4u))
				goto bad;
			ref = iei == GBA_SMS_IEI_CONCAT8 ? d[0] :
							   gba_get_be16(d);
			total = d[l - 2];
			seq = d[l - 1];
			/* last occurrence wins; an invalid one is ignored
			 * and removes any earlier one */
			u->has_concat = 0;
			u->concat_ignored = 0;
			if (total == 0 || seq == 0 || seq > total) {
				u->concat_ignored = 1;
				break;
			}
			u->has_concat = 1;
			u->concat16 = iei == GBA_SMS_IEI_CONCAT16;
			u->ref = (uint16_t)ref;
			u->total = (uint8_t)total;
			u->seq = (uint8_t)seq;
			break;
		case GBA_SMS_IEI_PORT8:
		case GBA_SMS_IEI_PORT16:
			if (l != (iei == GBA_SMS_IEI_PORT8 ? 2u : 4u))
				goto bad;
			u->has_port = 1;
			u->port16 = iei == GBA_SMS_IEI_PORT16;
			u->dst_port = u->port16 ? gba_get_be16(d) : d[0];
			u->src_port = u->port16 ? gba_get_be16(d + 2) : d[1];
			break;
		default:
			break; /* skipped by its length */
		}
	}
	if (r != GBA_ERR_NOT_FOUND)
		goto bad;
	return GBA_OK;
bad:
	memset(u, 0, sizeof(*u));
	return GBA_ERR_MALFORMED;
}

/* ---- TPDU ---- */

static int ud_get(struct gba_cur *c, struct gba_sms_tpdu *t)
{
	size_t udo, hdr;
	int r;

	if ((r = gba_cur_u8(c, &t->udl)) != GBA_OK)
		return r;
	t->alphabet = gba_sms_dcs_alphabet(t->dcs);
	if (t->alphabet == GBA_SMS_ALPHA_GSM7) {
		if (t->udl > GBA_SMS_UD_SEPTETS_MAX)
			return gba_cur_fail(c, GBA_ERR_TOO_LARGE);
		udo = (7u * t->udl + 7) / 8;
	} else {
		if (t->udl > GBA_SMS_UD_MAX)
			return gba_cur_fail(c, GBA_ERR_TOO_LARGE);
		udo = t->udl;
	}
	if ((r = gba_cur_bytes(c, udo, &t->ud)) != GBA_OK)
		return r;
	t->ud_len = udo;
	if ((r = gba_cur_end(c)) != GBA_OK)
		return r;
	if (!t->udhi) {
		t->data = t->ud;
		t->data_len = t->udl;
		t->udh_decoded = 1;
		return GBA_OK;
	}
	/* UDHL counts the IEs after it; the UD is already complete here */
	if (udo < 1 || (size_t)t->ud[0] + 1 > udo)
		return GBA_ERR_MALFORMED;
	hdr = (size_t)t->ud[0] + 1;
	t->udh = t->ud + 1;
	t->udh_len = t->ud[0];
	if ((r = gba_sms_udh_parse(t->udh, t->udh_len, &t->udh_ies)) != GBA_OK)
		return r;
	t->data = t->ud + hdr;
	if (t->alphabet == GBA_SMS_ALPHA_GSM7) {
		/* header padded with fill bits to a septet boundary */
		size_t hsep = (hdr * 8 + 6) / 7;

		if (hsep > t->udl)
			return GBA_ERR_MALFORMED;
		t->data_len = t->udl - hsep;
		t->data_skip = (uint8_t)(hsep * 7 - hdr * 8);
	} else {
		t->data_len = udo - hdr;
	}
	t->udh_decoded = 1;
	return GBA_OK;
}

/* TP-OA (DELIVER) or TP-DA (SUBMIT), TP-PID, TP-DCS: in both layouts */
static int addr_pid_dcs_get(struct gba_cur *c, struct gba_sms_tpdu *t)
{
	int r;

	if ((r = addr_get(c, &t->addr)) != GBA_OK ||
	    (r = gba_cur_u8(c, &t->pid)) != GBA_OK)
		return r;
	return gba_cur_u8(c, &t->dcs);
}

int gba_sms_tpdu_decode(const uint8_t *buf, size_t len, struct gba_sms_tpdu *t)
{
	struct gba_cur c;
	uint8_t fo = 0;
	int r;

	if ((r = gba_cur_start(&c, buf, len, t, sizeof(*t))) != GBA_OK)
		return r;
	if ((r = gba_cur_u8(&c, &fo)) != GBA_OK)
		goto out;
	t->mti = fo & 3;
	t->sri = (fo >> 5) & 1;
	t->udhi = (fo >> 6) & 1;
	t->rp = (fo >> 7) & 1;
	if (t->mti == GBA_SMS_MTI_DELIVER) {
		t->mms = (fo >> 2) & 1;
		t->lp = (fo >> 3) & 1;
		if ((r = addr_pid_dcs_get(&c, t)) != GBA_OK ||
		    (r = ts_get(&c, &t->scts)) != GBA_OK)
			goto out;
	} else if (t->mti == GBA_SMS_MTI_SUBMIT) {
		static const uint8_t vp_len[4] = { 0, 7, 1, 7 };

		t->rd = (fo >> 2) & 1;
		t->vpf = (fo >> 3) & 3;
		if ((r = gba_cur_u8(&c, &t->mr)) != GBA_OK ||
		    (r = addr_pid_dcs_get(&c, t)) != GBA_OK)
			goto out;
		if (t->vpf == GBA_SMS_VPF_ABSOLUTE) {
			struct gba_cur vc = c;

			if ((r = ts_get(&vc, &t->vp_abs)) != GBA_OK)
				goto out;
		}
		if ((r = gba_cur_copy(&c, t->vp, vp_len[t->vpf])) != GBA_OK)
			goto out;
	} else {
		/* 10: STATUS-REPORT / COMMAND; 11: reserved */
		r = t->mti == 2 ? GBA_ERR_UNSUPPORTED : GBA_ERR_MALFORMED;
		goto out;
	}
	r = ud_get(&c, t);
out:
	if (r != GBA_OK)
		memset(t, 0, sizeof(*t));
	return r;
}

static int sca_get(struct gba_cur *c, struct gba_sms_addr *a)
{
	uint8_t l = 0, toa = 0;
	const uint8_t *v;
	size_t i, nd;
	int r;

	memset(a, 0, sizeof(*a));
	if ((r = gba_cur_u8(c, &l)) != GBA_OK)
		return r;
	if (l == 0)
		return GBA_OK;
	if (l > GBA_SMS_SCA_OCTETS_MAX)
		return gba_cur_fail(c, GBA_ERR_MALFORMED);
	if ((r = gba_cur_u8(c, &toa)) != GBA_OK ||
	    (r = gba_cur_bytes(c, l - 1u, &v)) != GBA_OK)
		return r;
	a->ton = (toa >> 4) & 7;
	a->npi = toa & 0x0F;
	if (a->ton == GBA_SMS_TON_ALPHANUMERIC)
		return gba_cur_fail(c, GBA_ERR_MALFORMED);
	nd = 2 * (l - 1u);
	if (nd && (v[l - 2] >> 4) == 0xF)
		nd--;
	for (i = 0; i < nd; i++) {
		int d = nib(v[i / 2], (int)(i & 1));

		if (d == 0xF)
			return gba_cur_fail(c, GBA_ERR_MALFORMED);
		a->v[i] = (uint8_t)d;
	}
	a->n = (uint8_t)nd;
	return GBA_OK;
}

int gba_sms_pdu_decode(const uint8_t *buf, size_t len,
		       struct gba_sms_addr *sca, struct gba_sms_tpdu *t)
{
	struct gba_cur c;
	int r;

	if (!sca || !t)
		return GBA_ERR_BAD_PARAM;
	memset(t, 0, sizeof(*t));
	gba_cur_init(&c, buf, len);
	if ((r = sca_get(&c, sca)) != GBA_OK)
		return r;
	r = gba_sms_tpdu_decode(c.p, c.left, t);
	if (r != GBA_OK)
		memset(sca, 0, sizeof(*sca));
	return r;
}

int gba_sms_sca_encode(const struct gba_sms_addr *sca, uint8_t *out,
		       size_t cap, size_t *out_len)
{
	struct gba_wcur w;

	*out_len = 0;
	gba_wcur_init(&w, out, cap);
	if (!sca) {
		gba_wcur_u8(&w, 0);
	} else {
		if (addr_check(sca) != GBA_OK ||
		    sca->ton == GBA_SMS_TON_ALPHANUMERIC)
			return GBA_ERR_BAD_PARAM;
		gba_wcur_u8(&w, (uint8_t)(1 + (sca->n + 1) / 2));
		gba_wcur_u8(&w, toa_octet(sca));
		bcd_put(&w, sca->v, sca->n);
	}
	if (w.err)
		return w.err;
	*out_len = w.len;
	return GBA_OK;
}

int gba_sms_tpdu_encode(const struct gba_sms_tpdu *t, uint8_t *out,
			size_t cap, size_t *out_len)
{
	static const uint8_t vp_len[4] = { 0, 7, 1, 7 };
	struct gba_wcur w;
	size_t ud_len;
	uint8_t fo;
	int r;

	if (!out_len)
		return GBA_ERR_BAD_PARAM;
	*out_len = 0;
	if (!t || t->mti > 1 || t->sri > 1 || t->udhi > 1 || t->rp > 1 ||
	    t->mms > 1 || t->lp > 1 || t->rd > 1 || t->vpf > 3 ||
	    (t->data_len && !t->data) || (t->udhi && t->udh_len && !t->udh))
		return GBA_ERR_BAD_PARAM;
	if ((r = addr_check(&t->addr)) != GBA_OK)
		return r;
	if (gba_sms_dcs_alphabet(t->dcs) == GBA_SMS_ALPHA_GSM7)
		return GBA_ERR_UNSUPPORTED;
	if (t->udhi && t->udh_len > GBA_SMS_UD_MAX - 1)
		return GBA_ERR_TOO_LARGE;
	ud_len = (t->udhi ? 1 + t->udh_len : 0);
	if (t->data_len > GBA_SMS_UD_MAX - ud_len)
		return GBA_ERR_TOO_LARGE;
	ud_len += t->data_len;
	fo = (uint8_t)(t->mti | t->sri << 5 | t->udhi << 6 | t->rp << 7);
	gba_wcur_init(&w, out, cap);
	if (t->mti == GBA_SMS_MTI_DELIVER) {
		if ((r = ts_check(&t->scts)) != GBA_OK)
			return r;
		gba_wcur_u8(&w, (uint8_t)(fo | t->mms << 2 | t->lp << 3));
		addr_put(&w, &t->addr);
		gba_wcur_u8(&w, t->pid);
		gba_wcur_u8(&w, t->dcs);
		ts_put(&w, &t->scts);
	} else {
		if (t->vpf == GBA_SMS_VPF_ABSOLUTE &&
		    (r = ts_check(&t->vp_abs)) != GBA_OK)
			return r;
		gba_wcur_u8(&w, (uint8_t)(fo | t->rd << 2 | t->vpf << 3));
		gba_wcur_u8(&w, t->mr);
		addr_put(&w, &t->addr);
		gba_wcur_u8(&w, t->pid);
		gba_wcur_u8(&w, t->dcs);
		if (t->vpf == GBA_SMS_VPF_ABSOLUTE)
			ts_put(&w, &t->vp_abs);
		else
			gba_wcur_bytes(&w, t->vp, vp_len[t->vpf]);
	}
	gba_wcur_u8(&w, (uint8_t)ud_len);
	if (t->udhi) {
		gba_wcur_u8(&w, (uint8_t)t->udh_len);
		gba_wcur_bytes(&w, t->udh, t->udh_len);
	}
	gba_wcur_bytes(&w, t->data, t->data_len);
	if (w.err)
		return w.err;
	*out_len = w.len;
	return GBA_OK;
}

/* ---- segmentation ---- */

static size_t port_ie_len(const struct gba_sms_seg_opts *o)
{
	return o->port16 ? 6 : 4;
}

static size_t concat_ie_len(const struct gba_sms_seg_opts *o)
{
	return o->ref16 ? 6 : 5;
}

size_t gba_sms_segment_count(const struct gba_sms_seg_opts *opt, size_t len)
{
	size_t per;

	if (!opt->always_concat &&
	    len <= GBA_SMS_UD_MAX - 1 - port_ie_len(opt))
		return 1;
	per = GBA_SMS_UD_MAX - 1 - port_ie_len(opt) - concat_ie_len(opt);
	return len == 0 ? 1 : (len + per - 1) / per;
}

int gba_sms_segment(const struct gba_sms_tpdu *tmpl,
		    const struct gba_sms_seg_opts *opt, const uint8_t *payload,
		    size_t len, uint8_t (*pdus)[GBA_SMS_TPDU_MAX],
		    size_t *pdu_len, size_t max_pdus, size_t *npdus)
{
	struct gba_sms_tpdu t;
	uint8_t udh[12];
	size_t n, i, per, off = 0, ul;
	int r;

	if (!npdus)
		return GBA_ERR_BAD_PARAM;
	*npdus = 0;
	if (!tmpl || !opt || !pdus || !pdu_len || (len && !payload))
		return GBA_ERR_BAD_PARAM;
	if (!opt->port16 && (opt->dst_port > 0xFF || opt->src_port > 0xFF))
		return GBA_ERR_BAD_PARAM;
	if (!opt->ref16 && opt->ref > 0xFF)
		return GBA_ERR_BAD_PARAM;
	if (gba_sms_dcs_alphabet(tmpl->dcs) != GBA_SMS_ALPHA_8BIT)
		return GBA_ERR_UNSUPPORTED;
	n = gba_sms_segment_count(opt, len);
	if (n > GBA_SMS_SEG_MAX)
		return GBA_ERR_TOO_LARGE;
	if (n > max_pdus)
		return GBA_ERR_NO_SPACE;
	per = GBA_SMS_UD_MAX - 1 - port_ie_len(opt);
	if (n > 1 || opt->always_concat)
		per -= concat_ie_len(opt);
	for (i = 0; i < n; i++) {
		ul = 0;
		if (n > 1 || opt->always_concat) {
			/* 9.2.3.24.1 / .8: ref, max number, sequence */
			if (opt->ref16) {
				udh[ul++] = GBA_SMS_IEI_CONCAT16;
				udh[ul++] = 4;
				gba_put_be16(udh + ul, opt->ref);
				ul += 2;
			} else {
				udh[ul++] = GBA_SMS_IEI_CONCAT8;
				udh[ul++] = 3;
				udh[ul++] = (uint8_t)opt->ref;
			}
			udh[ul++] = (uint8_t)n;
			udh[ul++] = (uint8_t)(i + 1);
		}
		/* port IE in every segment (9.2.3.24.3 / .4) */
		if (opt->port16) {
			udh[ul++] = GBA_SMS_IEI_PORT16;
			udh[ul++] = 4;
			gba_put_be16(udh + ul, opt->dst_port);
			gba_put_be16(udh + ul + 2, opt->src_port);
			ul += 4;
		} else {
			udh[ul++] = GBA_SMS_IEI_PORT8;
			udh[ul++] = 2;
			udh[ul++] = (uint8_t)opt->dst_port;
			udh[ul++] = (uint8_t)opt->src_port;
		}
		t = *tmpl;
		t.udhi = 1;
		t.udh = udh;
		t.udh_len = ul;
		t.data = len ? payload + off : NULL;
		t.data_len = len - off < per ? len - off : per;
		if (t.mti == GBA_SMS_MTI_SUBMIT)
			t.mr = (uint8_t)(tmpl->mr + i);
		r = gba_sms_tpdu_encode(&t, pdus[i], GBA_SMS_TPDU_MAX,
					&pdu_len[i]);
		if (r != GBA_OK)
			return r;
		off += t.data_len;
	}
	*npdus = n;
	return GBA_OK;
}
