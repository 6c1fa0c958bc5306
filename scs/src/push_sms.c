/*
 * see scs/scs.h - GPI push and device-trigger delivery as SMS TPDUs:
 * TS 24.109 Annex J.2 (GPI over WAP Push: OMA Push OTA, WSP connectionless
 * push on WDP port 2948), TS 23.040 9.2.2.1/9.2.2.2 (SMS-DELIVER /
 * SMS-SUBMIT), 9.2.3.24 (UDH: 16-bit ports IE 0x05, concatenation IE 0x00),
 * TS 23.682 5.2 (trigger payload to an Application Port ID).
 * The chain is composed by gba/gpi_sms.h (codecs gba/gpi_push.h and
 * gba/sms.h); this file only chooses the TPDU fields (TP-DCS 0x04 =
 * 8-bit data, no message class).
 */
#include <string.h>
#include <time.h>
#include "gba/gpi_push.h"
#include "gba/gpi_sms.h"
#include "gba/sms.h"
#include "gba/wsp.h"
#include "scs/scs.h"
#include "scs_i.h"

#define DCS_8BIT 0x04 /* TS 23.038 4: general data coding, 8-bit data */

_Static_assert(sizeof(((struct scs_pdus *)0)->pdu[0]) == GBA_SMS_TPDU_MAX,
	       "struct scs_pdus rows must hold one TPDU");

static int addr_any(const char *s, struct gba_sms_addr *a)
{
	size_t i;

	/* numbers are "+digits" or digits; anything else is alphanumeric */
	for (i = s[0] == '+' ? 1 : 0; s[i]; i++)
		if (s[i] < '0' || s[i] > '9')
			return gba_sms_addr_alnum(s, a);
	return gba_sms_addr_from_str(s, a);
}

static int tmpl_init(const struct scs_sms_opts *o, struct gba_sms_tpdu *t)
{
	struct tm tm;
	time_t tt;
	int r;

	memset(t, 0, sizeof(*t));
	/* the UE's number is checked even when a DELIVER does not carry it */
	if (o->msisdn && (r = gba_sms_addr_from_str(o->msisdn, &t->addr)))
		return r;
	t->pid = 0x00;
	t->dcs = DCS_8BIT;
	if (o->submit) {
		if (!o->msisdn)
			return GBA_ERR_BAD_PARAM;
		t->mti = GBA_SMS_MTI_SUBMIT;
		t->vpf = GBA_SMS_VPF_NONE;
		t->mr = o->mr;
		return gba_sms_addr_from_str(o->msisdn, &t->addr);
	}
	t->mti = GBA_SMS_MTI_DELIVER;
	t->mms = 1; /* TP-MMS as sent: no more messages waiting */
	if ((r = addr_any(o->oa ? o->oa : SCS_OA_DEFAULT, &t->addr)) != GBA_OK)
		return r;
	tt = (time_t)o->now;
	if (!gmtime_r(&tt, &tm))
		return GBA_ERR_BAD_PARAM;
	t->scts.year = (uint8_t)(tm.tm_year % 100);
	t->scts.month = (uint8_t)(tm.tm_mon + 1);
	t->scts.day = (uint8_t)tm.tm_mday;
	t->scts.hour = (uint8_t)tm.tm_hour;
	t->scts.minute = (uint8_t)tm.tm_min;
	t->scts.second = (uint8_t)tm.tm_sec;
	t->scts.tz = 0;
	return GBA_OK;
}

/* every segment's TPDU template and UDH options */
static int sms_setup(const struct scs_sms_opts *o, uint16_t dst, uint16_t src,
		     struct gba_sms_tpdu *t, struct gba_sms_seg_opts *so)
{
	int r;

	if (!o)
		return GBA_ERR_BAD_PARAM;
	if ((r = tmpl_init(o, t)) != GBA_OK)
		return r;
	memset(so, 0, sizeof(*so));
	so->port16 = 1;
	so->dst_port = dst;
	so->src_port = src;
	so->ref16 = 0;
	so->ref = (uint16_t)(o->ref & 0xFF);
	return GBA_OK;
}

static int segment(const struct scs_sms_opts *o, uint16_t dst, uint16_t src,
		   const uint8_t *payload, size_t len, struct scs_pdus *out)
{
	struct gba_sms_tpdu t;
	struct gba_sms_seg_opts so;
	int r;

	memset(out, 0, sizeof(*out));
	if (!o || !out || (!payload && len))
		return GBA_ERR_BAD_PARAM;
	if ((r = sms_setup(o, dst, src, &t, &so)) != GBA_OK)
		return r;
	if (gba_sms_segment_count(&so, len) > SCS_PDUS_MAX)
		return GBA_ERR_TOO_LARGE;
	r = gba_sms_segment(&t, &so, payload, len, out->pdu, out->len,
			    SCS_PDUS_MAX, &out->n);
	if (r)
		memset(out, 0, sizeof(*out));
	return r;
}

/* see scs/scs.h */
int scs_push_pdus(const struct scs_sa *sa, const struct gba_gpi_push_cfg *cfg,
		  const struct scs_sms_opts *o, struct scs_pdus *out)
{
	struct gba_sms_tpdu t;
	struct gba_sms_seg_opts so;
	struct gba_gpi_sms p;
	int r;

	memset(out, 0, sizeof(*out));
	if (!sa || !cfg || sa->gpi_len == 0)
		return GBA_ERR_BAD_PARAM;
	if ((r = sms_setup(o, SCS_WAP_PUSH_PORT, SCS_WSP_SRC_PORT, &t, &so)))
		return r;
	memset(&p, 0, sizeof(p));
	p.push = cfg;
	/* WSP TID: any value in connectionless mode; the session id's low
	 * octet keeps repeated prints identical */
	p.tid = (uint8_t)sa->session_id;
	p.session_id = sa->session_id;
	p.tmpl = &t;
	p.seg = &so;
	r = gba_gpi_sms_compose(&p, sa->gpi, sa->gpi_len, out->pdu, out->len,
				SCS_PDUS_MAX, &out->n, NULL);
	if (r)
		memset(out, 0, sizeof(*out));
	return r;
}

/* see scs/scs.h */
int scs_port_pdus(const uint8_t *payload, size_t len, uint16_t port,
		  const struct scs_sms_opts *o, struct scs_pdus *out)
{
	return segment(o, port, port, payload, len, out);
}
