/*
 * gbatool sms decode|encode: TS 23.040 TPDUs, WAP Push (WSP) and the
 * TS 24.109 Annex J GPI push, for test engineers.
 *
 *   gbatool sms decode [--sca|--no-sca] [--ct-code N] [--json] [HEX...]
 *     HEX PDUs as arguments, or lines on stdin (one PDU per line; modem
 *     lines "+CMGL: ...,<length>" / "+CMGR: ...,<length>" / "+CMT: ..."
 *     give the TPDU length of the PDU line that follows, which decides
 *     whether an SMSC address is in front).  All PDUs go through one
 *     reassembler; every complete datagram is printed, and datagrams for
 *     port 2948 are decoded as WSP Push (and as a GPI envelope when the
 *     content type is the GPI one).
 *   gbatool sms encode --type deliver|submit --addr NUMBER --port N
 *     [--src-port N] [--port8] [--ref N] [--ref16] [--concat] --payload HEX
 *     [--sca NUMBER|none] [--scts RFC3339] [--pid N] [--dcs N]
 *     [--mr N] [--vp-rel N]
 *     [--wap-gpi --session-id N --app-id N|URN [--ct-code N] [--tid N]]
 *     prints one hex PDU per line.  With --wap-gpi the payload is a GPI,
 *     wrapped in the GPI envelope and the WSP Push of Annex J.2.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "gba/gpi.h"
#include "gba/gpi_push.h"
#include "gba/gpi_sms.h"
#include "gba/hex.h"
#include "gba/sms.h"
#include "gba/sms_at.h"
#include "gba/text.h"
#include "gba/wsp.h"
#include "tool.h"

#define CMD "sms"

/* ---- helpers ---- */

/* decimal or 0x-hex unsigned number (gba/text.h) */
static int parse_num(const char *s, unsigned long max, unsigned long *v)
{
	uint64_t x;

	if (gba_uint_parse(s, max, GBA_UINT_HEX, &x) != GBA_OK)
		return -1;
	*v = (unsigned long)x;
	return 0;
}


static int opt_num(const struct opts *o, const char *name, unsigned long max,
		   unsigned long *v)
{
	const char *s = opt_get(o, name);

	if (!s)
		return 0;
	if (parse_num(s, max, v)) {
		tool_err(CMD, "--%s: expected a number from 0 to %lu "
			      "(decimal or 0x hex)", name, max);
		return TOOL_EXIT_USAGE;
	}
	return 0;
}

/* opt_num() with @def when the option is absent */
static int opt_num_def(const struct opts *o, const char *name,
		       unsigned long max, unsigned long def, unsigned long *v)
{
	*v = def;
	return opt_num(o, name, max, v);
}

static void em_addr(struct out *e, const char *name,
		    const struct gba_sms_addr *a)
{
	char s[96], k[32];

	if (gba_sms_addr_to_str(a, s, sizeof(s)) != GBA_OK)
		snprintf(s, sizeof(s), "?");
	out_str(e, name, s);
	snprintf(k, sizeof(k), "%s_ton", name);
	out_uint(e, k, a->ton);
	snprintf(k, sizeof(k), "%s_npi", name);
	out_uint(e, k, a->npi);
}

static void em_ts(struct out *e, const char *name, const struct gba_sms_ts *t)
{
	char s[48];
	int q = t->tz < 0 ? -t->tz : t->tz;

	/* RFC 3339 with the zone of the TP-SCTS (local time, TS 23.040
	 * 9.2.3.11); its two year digits are taken as 20YY */
	snprintf(s, sizeof(s), "20%02u-%02u-%02uT%02u:%02u:%02u%c%02d:%02d",
		 t->year, t->month, t->day, t->hour, t->minute, t->second,
		 t->tz < 0 ? '-' : '+', q / 4, (q % 4) * 15);
	out_str(e, name, s);
}

static const char *alpha_name(uint8_t a)
{
	return a == GBA_SMS_ALPHA_GSM7 ? "gsm7" :
	       a == GBA_SMS_ALPHA_8BIT ? "8bit" : "ucs2";
}

static void em_tpdu(struct out *e, const struct gba_sms_tpdu *t)
{
	const struct gba_sms_udh *u = &t->udh_ies; /* parsed by the decoder */
	const uint8_t *ied;
	size_t pos = 0, l, k = 0;
	uint8_t iei;
	int deliver = t->mti == GBA_SMS_MTI_DELIVER;

	out_str(e, "type", deliver ? "deliver" : "submit");
	out_uint(e, "mti", t->mti);
	if (deliver) {
		out_uint(e, "mms", t->mms);
		out_uint(e, "lp", t->lp);
		out_uint(e, "sri", t->sri);
	} else {
		out_uint(e, "rd", t->rd);
		out_uint(e, "vpf", t->vpf);
		out_uint(e, "srr", t->sri);
		out_uint(e, "mr", t->mr);
	}
	out_uint(e, "udhi", t->udhi);
	out_uint(e, "rp", t->rp);
	em_addr(e, deliver ? "oa" : "da", &t->addr);
	out_uint(e, "pid", t->pid);
	out_uint(e, "dcs", t->dcs);
	out_str(e, "alphabet", alpha_name(t->alphabet));
	if (deliver) {
		em_ts(e, "scts", &t->scts);
	} else if (t->vpf == GBA_SMS_VPF_RELATIVE) {
		out_uint(e, "vp_relative", t->vp[0]);
	} else if (t->vpf == GBA_SMS_VPF_ENHANCED) {
		out_hex(e, "vp_enhanced", t->vp, 7);
	} else if (t->vpf == GBA_SMS_VPF_ABSOLUTE) {
		em_ts(e, "vp_absolute", &t->vp_abs);
	}
	out_uint(e, "udl", t->udl);
	if (t->udhi) {
		out_open(e, "udh", "udh", 1);
		while (gba_sms_udh_next(t->udh, t->udh_len, &pos, &iei, &ied,
					&l) == GBA_OK) {
			char nm[16];

			snprintf(nm, sizeof(nm), "ie%zu", ++k);
			if (e->json)
				out_open(e, NULL, NULL, 0);
			else
				out_open(e, NULL, nm, 0);
			out_uint(e, "iei", iei);
			out_hex(e, "data", ied, l);
			out_close(e, 0);
		}
		out_close(e, 1);
		if (t->udh_decoded) {
			if (u->has_concat) {
				out_uint(e, "concat_ref", u->ref);
				out_uint(e, "concat_ref16", u->concat16);
				out_uint(e, "concat_total", u->total);
				out_uint(e, "concat_seq", u->seq);
			}
			if (u->concat_ignored)
				out_str(e, "concat", "ignored (invalid IE)");
			if (u->has_port) {
				out_uint(e, "dst_port", u->dst_port);
				out_uint(e, "src_port", u->src_port);
			}
		}
	}
	if (t->alphabet == GBA_SMS_ALPHA_GSM7) {
		uint8_t sep[GBA_SMS_UD_SEPTETS_MAX];
		char txt[GBA_SMS_UD_SEPTETS_MAX * 3 + 1];

		if (gba_sms_gsm7_unpack(t->data,
					t->ud_len - (size_t)(t->data - t->ud),
					t->data_skip, t->data_len,
					sep) == GBA_OK &&
		    gba_sms_gsm7_to_utf8(sep, t->data_len, txt,
					 sizeof(txt)) == GBA_OK)
			out_str(e, "text", txt);
	} else {
		out_hex(e, "data", t->data, t->data_len);
	}
}

struct dec_ctx {
	struct out e;
	struct gba_sms_reasm ra;
	uint8_t msg[GBA_SMS_REASM_MSG_MAX];
	int sca_mode;          /* 1 --sca, 0 --no-sca, -1 auto */
	int ct_code_set;
	unsigned long ct_code;
	unsigned npdu, nmsg;
	int failed;
	int bad_hex;           /* a PDU was not hex: exit 2 (README) */
	int in_pdus;           /* JSON: inside the "pdus" array */
	/* completed messages are printed after all PDUs; keep copies */
	struct {
		struct gba_sms_msg m;
		uint8_t data[GBA_SMS_REASM_MSG_MAX];
	} done[16];
	unsigned ndone;
};

static void em_message(struct dec_ctx *d, const struct gba_sms_msg *m)
{
	struct out *e = &d->e;
	struct gba_wsp_push p;
	struct gba_gpi_env env;
	int r;

	em_addr(e, "orig", &m->orig);
	out_uint(e, "segments", m->nseg);
	if (m->nseg > 1)
		out_uint(e, "ref", m->ref);
	if (m->has_port) {
		out_uint(e, "dst_port", m->dst_port);
		out_uint(e, "src_port", m->src_port);
	}
	out_hex(e, "data", m->data, m->len);
	if (!m->has_port || m->dst_port != GBA_WDP_PORT_PUSH)
		return;
	r = gba_wsp_push_decode_wdp(m->dst_port, m->data, m->len, &p);
	if (r != GBA_OK) {
		out_str(e, "wsp_error", gba_err_name(r));
		tool_err(CMD, "message for port 2948: WSP Push: %s",
			 gba_strerror(r));
		d->failed = 1;
		return;
	}
	out_open(e, "wsp", "wsp", 0);
	out_uint(e, "tid", p.tid);
	switch (p.ct.form) {
	case GBA_WSP_CT_SHORT:
	case GBA_WSP_CT_GEN_INT:
		out_str(e, "content_type_form",
			p.ct.form == GBA_WSP_CT_SHORT ? "short" : "general");
		out_uint(e, "content_type_code", p.ct.code);
		break;
	default:
		out_str(e, "content_type_form",
			p.ct.form == GBA_WSP_CT_TEXT ? "text" : "general-text");
		out_strn(e, "content_type", p.ct.text, p.ct.text_len);
	}
	if (p.ct.params_len)
		out_hex(e, "content_type_params", p.ct.params, p.ct.params_len);
	if (p.app_id.present) {
		if (p.app_id.is_text)
			out_strn(e, "app_id", p.app_id.text, p.app_id.text_len);
		else
			out_uint(e, "app_id", p.app_id.code);
	}
	out_uint(e, "headers_count", p.n_headers);
	out_hex(e, "headers", p.headers, p.headers_len);
	out_hex(e, "body", p.body, p.body_len);
	if (gba_gpi_push_is_gpi_ct(&p.ct, d->ct_code_set,
				   (uint32_t)d->ct_code)) {
		r = gba_gpi_env_decode(p.body, p.body_len, &env);
		if (r != GBA_OK) {
			out_str(e, "gpi_envelope_error", gba_err_name(r));
			tool_err(CMD, "GPI envelope: %s", gba_strerror(r));
			d->failed = 1;
		} else {
			out_open(e, "gpi_envelope", "gpi_envelope", 0);
			out_uint(e, "version", env.version);
			out_uint(e, "session_id", env.session_id);
			out_hex(e, "gpi", env.gpi, env.gpi_len);
			out_close(e, 0);
		}
	}
	out_close(e, 0);
}

static int decode_one(struct dec_ctx *d, const uint8_t *b, size_t n,
		      long hint)
{
	struct gba_sms_addr sca;
	struct gba_sms_tpdu t, t2;
	struct gba_sms_msg m;
	struct out *e = &d->e;
	char nm[16];
	int has_sca, r, r2;

	d->npdu++;
	snprintf(nm, sizeof(nm), "pdu%u", d->npdu);
	memset(&sca, 0, sizeof(sca));
	if (d->sca_mode == 1) {
		has_sca = 1;
		r = gba_sms_pdu_decode(b, n, &sca, &t);
	} else if (d->sca_mode == 0) {
		has_sca = 0;
		r = gba_sms_tpdu_decode(b, n, &t);
	} else if (hint >= 0) {
		/* modem <length> counts TPDU octets only (TS 27.005) */
		if ((size_t)hint == n) {
			has_sca = 0;
			r = gba_sms_tpdu_decode(b, n, &t);
		} else if (n > 0 && (size_t)hint + 1 + b[0] == n) {
			has_sca = 1;
			r = gba_sms_pdu_decode(b, n, &sca, &t);
		} else {
			tool_err(CMD, "pdu %u: %zu octets fit neither <length> "
				      "%ld nor SCA + %ld", d->npdu, n, hint,
				 hint);
			d->failed = 1;
			return 0;
		}
	} else {
		/* no hint: whichever form decodes; both -> SCA form */
		r = gba_sms_pdu_decode(b, n, &sca, &t);
		r2 = gba_sms_tpdu_decode(b, n, &t2);
		has_sca = r == GBA_OK || r2 != GBA_OK;
		if (!has_sca) {
			t = t2;
			r = r2;
		}
	}
	if (r != GBA_OK) {
		tool_err(CMD, "pdu %u: %s (%s)", d->npdu, gba_err_name(r),
			 gba_strerror(r));
		d->failed = 1;
		return 0;
	}
	if (e->json)
		out_open(e, NULL, NULL, 0);
	else
		out_open(e, NULL, nm, 0);
	if (has_sca) {
		if (sca.n)
			em_addr(e, "sca", &sca);
		else
			out_str(e, "sca", "");
	}
	em_tpdu(e, &t);
	if (t.alphabet == GBA_SMS_ALPHA_GSM7) {
		out_str(e, "reassembly", "not-applicable (gsm7)");
	} else {
		r = gba_sms_reasm_add(&d->ra, d->npdu, &t, &m, d->msg,
				      sizeof(d->msg));
		switch (r) {
		case GBA_OK:
			out_str(e, "reassembly", "complete");
			if (d->ndone < GBA_ARRAY_SIZE(d->done)) {
				d->done[d->ndone].m = m;
				memcpy(d->done[d->ndone].data, m.data, m.len);
				d->done[d->ndone].m.data =
					d->done[d->ndone].data;
				d->ndone++;
			}
			break;
		case GBA_ERR_INCOMPLETE:
			out_str(e, "reassembly", "stored");
			break;
		case GBA_ERR_EXISTS:
			out_str(e, "reassembly", "duplicate-ignored");
			break;
		default:
			out_str(e, "reassembly", gba_err_name(r));
			tool_err(CMD, "pdu %u: reassembly: %s", d->npdu,
				 gba_strerror(r));
			d->failed = 1;
		}
	}
	out_close(e, 0);
	return 0;
}

static int decode_hex(struct dec_ctx *d, const char *s, size_t sl, long hint)
{
	uint8_t b[GBA_SMS_PDU_MAX + 64];
	size_t n;

	if (gba_hex_decode(s, sl, b, sizeof(b), &n) != GBA_OK) {
		d->npdu++;
		tool_err(CMD, "pdu %u: not a hex string of at most %zu octets",
			 d->npdu, sizeof(b));
		d->failed = 1;
		d->bad_hex = 1;
		return 0;
	}
	return decode_one(d, b, n, hint);
}

static const struct opt_spec decode_spec[] = {
	{ "sca", OPT_FLAG, "every PDU starts with the SMSC address" },
	{ "no-sca", OPT_FLAG, "PDUs are bare TPDUs" },
	{ "ct-code", 0, "N  integer content type taken as the GPI one "
			"(J.3.1.3 code is unknown: no default)" },
};

static int sms_decode(const struct opts *o)
{
	static struct dec_ctx d;
	unsigned i;
	int r;

	memset(&d, 0, sizeof(d));
	d.sca_mode = opt_has(o, "sca") ? 1 : opt_has(o, "no-sca") ? 0 : -1;
	if (opt_has(o, "sca") && opt_has(o, "no-sca")) {
		tool_err(CMD, "--sca and --no-sca exclude each other");
		return TOOL_EXIT_USAGE;
	}
	if (opt_has(o, "ct-code")) {
		if ((r = opt_num(o, "ct-code", 0xffffffffUL, &d.ct_code)))
			return r;
		d.ct_code_set = 1;
	}
	gba_sms_reasm_init(&d.ra, 0);
	out_begin(&d.e, o->json);
	out_open(&d.e, "pdus", NULL, 1);
	if (o->npos) {
		for (i = 0; i < o->npos; i++)
			decode_hex(&d, o->pos[i], strlen(o->pos[i]), -1);
	} else {
		char line[2048];
		long hint = -1;

		while (fgets(line, sizeof(line), stdin)) {
			char *s = line;
			size_t n, hl;
			int rc;

			while (*s == ' ' || *s == '\t')
				s++;
			n = strcspn(s, "\r\n");
			while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
				n--;
			s[n] = '\0';
			if (n == 0 || !strcmp(s, "OK"))
				continue;
			rc = gba_sms_modem_header(s, n, &hl);
			if (rc != GBA_ERR_NOT_FOUND) {
				hint = rc == GBA_OK ? (long)hl : -1;
				if (hint < 0) {
					tool_err(CMD, "cannot read <length> "
						      "in '%s'", s);
					d.failed = 1;
				}
				continue;
			}
			decode_hex(&d, s, n, hint);
			hint = -1;
		}
	}
	out_close(&d.e, 1);
	out_open(&d.e, "messages", NULL, 1);
	for (i = 0; i < d.ndone; i++) {
		char nm[16];

		snprintf(nm, sizeof(nm), "msg%u", i + 1);
		out_open(&d.e, NULL, o->json ? NULL : nm, 0);
		em_message(&d, &d.done[i].m);
		out_close(&d.e, 0);
	}
	out_close(&d.e, 1);
	out_end(&d.e);
	if (d.bad_hex)
		return TOOL_EXIT_USAGE; /* malformed input, as bad hex elsewhere */
	return d.failed ? TOOL_EXIT_FAIL : 0;
}

/* two decimal digits at @s, or -1 */
static int dec2(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* @v: YY MM DD hh mm ss, @tz: the zone in quarters of an hour */
static void scts_set(struct gba_sms_ts *t, const int v[6], int tz)
{
	t->year = (uint8_t)v[0];
	t->month = (uint8_t)v[1];
	t->day = (uint8_t)v[2];
	t->hour = (uint8_t)v[3];
	t->minute = (uint8_t)v[4];
	t->second = (uint8_t)v[5];
	t->tz = (int8_t)tz;
}

/* --scts in RFC 3339, as sms decode prints it:
 * 20YY-MM-DDThh:mm:ss then Z or +hh:mm / -hh:mm, a whole number of
 * quarters of an hour (the TP-SCTS zone, TS 23.040 9.2.3.11) */
static int parse_scts_rfc3339(const char *s, struct gba_sms_ts *t)
{
	static const char lay[] = "20dd-dd-ddTdd:dd:dd";
	int v[6], i, q;
	size_t n = strlen(s);

	if (n != 20 && n != 25)
		return -1;
	for (i = 0; i < 19; i++)
		if (lay[i] != 'd' && s[i] != lay[i])
			return -1;
	for (i = 0; i < 6; i++)
		v[i] = dec2(s + 2 + 3 * i);
	if (v[0] < 0 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 ||
	    v[3] < 0 || v[3] > 23 || v[4] < 0 || v[4] > 59 || v[5] < 0 ||
	    v[5] > 59)
		return -1;
	if (n == 20) {
		if (s[19] != 'Z')
			return -1;
		q = 0;
	} else {
		int h = dec2(s + 20), m = dec2(s + 23);

		if ((s[19] != '+' && s[19] != '-') || s[22] != ':' || h < 0 ||
		    m < 0 || m % 15 || h * 4 + m / 15 > 79)
			return -1;
		q = h * 4 + m / 15;
		if (s[19] == '-')
			q = -q;
	}
	scts_set(t, v, q);
	return 0;
}

/* --scts: RFC 3339 (above), or the TP-SCTS form YYMMDDhhmmss[+-]QQ
 * (QQ = zone in quarters of an hour; the older spelling) */
static int parse_scts(const char *s, struct gba_sms_ts *t)
{
	int v[6], q;
	int i;

	if (strchr(s, 'T') != NULL)
		return parse_scts_rfc3339(s, t);
	if (strlen(s) != 15 || (s[12] != '+' && s[12] != '-'))
		return -1;
	for (i = 0; i < 15; i++)
		if (i != 12 && (s[i] < '0' || s[i] > '9'))
			return -1;
	for (i = 0; i < 6; i++)
		v[i] = dec2(s + 2 * i);
	q = dec2(s + 13);
	if (q > 79)
		return -1;
	scts_set(t, v, s[12] == '-' ? -q : q);
	return 0;
}

static const struct opt_spec encode_spec[] = {
	{ "type", 0, "deliver|submit" },
	{ "addr", 0, "NUMBER  TP-OA (deliver) or TP-DA (submit): "
		     "+intl or digits" },
	{ "addr-alnum", 0, "TEXT  alphanumeric TP-OA/TP-DA instead" },
	{ "port", 0, "N  destination port (e.g. 2948)" },
	{ "src-port", 0, "N  source port (default 9200, 0 with "
			 "--port8)" },
	{ "port8", OPT_FLAG, "8-bit port IE (0x04) instead of 0x05" },
	{ "ref", 0, "N  concatenation reference (default 0)" },
	{ "ref16", OPT_FLAG, "16-bit reference IE (0x08)" },
	{ "concat", OPT_FLAG, "concatenation IE even for one segment" },
	{ "payload", 0, "HEX  binary payload (the GPI with --wap-gpi)" },
	{ "sca", 0, "NUMBER|none  prefix each PDU with the SMSC address "
		    "(modem PDU form)" },
	{ "scts", 0, "TIME  deliver time stamp, RFC 3339 "
		     "(2024-05-17T13:45:30+02:00; zone in quarters "
		     "of an hour; YYMMDDhhmmss+QQ older form; "
		     "default now, UTC)" },
	{ "pid", 0, "N  TP-PID (default 0)" },
	{ "dcs", 0, "N  TP-DCS, 8-bit data (default 4)" },
	{ "mr", 0, "N  submit: TP-MR of the first segment" },
	{ "vp-rel", 0, "N  submit: relative TP-VP octet" },
	{ "wap-gpi", OPT_FLAG, "wrap --payload (a GPI) in the GPI "
			       "envelope + WSP Push (24.109 J.2)" },
	{ "session-id", 0, "N  GPI envelope session identifier" },
	{ "app-id", 0, "N|URN  X-WAP-Application-ID of the GBA agent" },
	{ "ct-code", 0, "N  content-type code (default: the text "
			"application/vnd.3gpp.gba.gpi)" },
	{ "tid", 0, "N  WSP transaction id (default 1)" },
};

static int sms_encode(const struct opts *o)
{
	static uint8_t payload[GBA_SMS_SEG_MAX * GBA_SMS_UD_MAX];
	static uint8_t pdus[GBA_SMS_SEG_MAX][GBA_SMS_TPDU_MAX];
	static size_t plen[GBA_SMS_SEG_MAX];
	struct gba_sms_seg_opts so;
	struct gba_sms_tpdu t;
	struct gba_sms_addr sca;
	uint8_t scab[16];
	size_t pl = 0, np, i, scal = 0;
	unsigned long v, pmax, dst, src, ref, pid, dcs, mr;
	const char *ty, *s;
	int r, have_sca = 0;

	if ((r = opt_require(o, "type")) || (r = opt_require(o, "port")) ||
	    (r = opt_hex(o, "payload", payload, sizeof(payload), &pl)))
		return r;
	memset(&t, 0, sizeof(t));
	memset(&so, 0, sizeof(so));
	ty = opt_get(o, "type");
	if (!strcmp(ty, "deliver")) {
		t.mti = GBA_SMS_MTI_DELIVER;
		t.mms = 1; /* no more messages waiting */
	} else if (!strcmp(ty, "submit")) {
		t.mti = GBA_SMS_MTI_SUBMIT;
	} else {
		tool_err(CMD, "--type: deliver or submit");
		return TOOL_EXIT_USAGE;
	}
	if (opt_has(o, "addr") == opt_has(o, "addr-alnum")) {
		tool_err(CMD, "give exactly one of --addr, --addr-alnum");
		return TOOL_EXIT_USAGE;
	}
	r = opt_has(o, "addr") ?
		    gba_sms_addr_from_str(opt_get(o, "addr"), &t.addr) :
		    gba_sms_addr_alnum(opt_get(o, "addr-alnum"), &t.addr);
	if (r != GBA_OK) {
		tool_err(CMD, "--addr: %s", gba_strerror(r));
		return TOOL_EXIT_USAGE;
	}
	so.port16 = !opt_has(o, "port8");
	so.ref16 = opt_has(o, "ref16");
	so.always_concat = opt_has(o, "concat");
	pmax = so.port16 ? 0xffff : 0xff;
	if ((r = opt_num_def(o, "port", pmax, 0, &dst)) ||
	    (r = opt_num_def(o, "src-port", pmax,
			     so.port16 ? GBA_WDP_PORT_WSP : 0, &src)) ||
	    (r = opt_num_def(o, "ref", so.ref16 ? 0xffff : 0xff, 0, &ref)) ||
	    (r = opt_num_def(o, "pid", 0xff, 0, &pid)) ||
	    (r = opt_num_def(o, "dcs", 0xff, 4, &dcs)) ||
	    (r = opt_num_def(o, "mr", 0xff, 0, &mr)))
		return r;
	so.dst_port = (uint16_t)dst;
	so.src_port = (uint16_t)src;
	so.ref = (uint16_t)ref;
	t.pid = (uint8_t)pid;
	t.dcs = (uint8_t)dcs;
	t.mr = (uint8_t)mr;
	if (opt_has(o, "vp-rel")) {
		if ((r = opt_num(o, "vp-rel", 0xff, &v)))
			return r;
		t.vpf = GBA_SMS_VPF_RELATIVE;
		t.vp[0] = (uint8_t)v;
	}
	if ((s = opt_get(o, "scts")) != NULL) {
		if (parse_scts(s, &t.scts)) {
			tool_err(CMD, "--scts: RFC 3339 20YY-MM-DDThh:mm:ss"
				      "(Z|+hh:mm|-hh:mm), zone a multiple of"
				      " 15 min up to 19:45");
			return TOOL_EXIT_USAGE;
		}
	} else {
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		t.scts.year = (uint8_t)(tm.tm_year % 100);
		t.scts.month = (uint8_t)(tm.tm_mon + 1);
		t.scts.day = (uint8_t)tm.tm_mday;
		t.scts.hour = (uint8_t)tm.tm_hour;
		t.scts.minute = (uint8_t)tm.tm_min;
		t.scts.second = (uint8_t)tm.tm_sec;
	}
	if ((s = opt_get(o, "sca")) != NULL) {
		have_sca = 1;
		if (strcmp(s, "none") &&
		    gba_sms_addr_from_str(s, &sca) != GBA_OK) {
			tool_err(CMD, "--sca: a number or 'none'");
			return TOOL_EXIT_USAGE;
		}
		if (gba_sms_sca_encode(strcmp(s, "none") ? &sca : NULL, scab,
				       sizeof(scab), &scal) != GBA_OK) {
			tool_err(CMD, "--sca: cannot encode");
			return TOOL_EXIT_USAGE;
		}
	}
	if (opt_has(o, "wap-gpi")) {
		struct gba_gpi_push_cfg cfg;
		struct gba_gpi_sms gp;
		const char *a;
		int step = 0;

		memset(&cfg, 0, sizeof(cfg));
		memset(&gp, 0, sizeof(gp));
		if ((r = opt_require(o, "session-id")) ||
		    (r = opt_require(o, "app-id")))
			return r;
		if ((r = opt_num(o, "session-id", 0xffff, &v)))
			return r;
		gp.session_id = (uint16_t)v;
		a = opt_get(o, "app-id");
		if (parse_num(a, 0xffffffffUL, &v) == 0) {
			cfg.app_code = (uint32_t)v;
		} else {
			cfg.app_is_text = 1;
			cfg.app_urn = a;
		}
		if (opt_has(o, "ct-code")) {
			if ((r = opt_num(o, "ct-code", 0xffffffffUL, &v)))
				return r;
			cfg.ct_code_set = 1;
			cfg.ct_code = (uint32_t)v;
		}
		v = 1;
		if ((r = opt_num(o, "tid", 0xff, &v)))
			return r;
		gp.push = &cfg;
		gp.tid = (uint8_t)v;
		gp.tmpl = &t;
		gp.seg = &so;
		r = gba_gpi_sms_compose(&gp, payload, pl, pdus, plen,
					GBA_SMS_SEG_MAX, &np, &step);
		if (r != GBA_OK && step == GBA_GPI_SMS_STEP_PUSH) {
			tool_err(CMD, "GPI push: %s", gba_strerror(r));
			return TOOL_EXIT_FAIL;
		}
	} else {
		r = gba_sms_segment(&t, &so, payload, pl, pdus, plen,
				    GBA_SMS_SEG_MAX, &np);
	}
	if (r != GBA_OK) {
		tool_err(CMD, "%s (%s)", gba_strerror(r), gba_err_name(r));
		return TOOL_EXIT_FAIL;
	}
	if (o->json)
		fputs("{\"pdus\":[", stdout);
	for (i = 0; i < np; i++) {
		size_t k;

		if (o->json)
			fputs(i ? ",\"" : "\"", stdout);
		for (k = 0; have_sca && k < scal; k++)
			printf("%02x", scab[k]);
		for (k = 0; k < plen[i]; k++)
			printf("%02x", pdus[i][k]);
		fputs(o->json ? "\"" : "\n", stdout);
	}
	if (o->json) {
		fputs("],\"tpdu_lengths\":[", stdout);
		for (i = 0; i < np; i++)
			printf("%s%zu", i ? "," : "", plen[i]);
		fputs("]}\n", stdout);
	}
	return 0;
}

/* the two subcommands: command line, and what runs once it parses */
static const struct {
	const char *name, *cmd, *usage;
	const struct opt_spec *spec;
	size_t nspec;
	int (*run)(const struct opts *o);
} subs[] = {
	{"decode", CMD " decode",
	 "[--sca|--no-sca] [--ct-code N] [HEX...]  (stdin lines when no HEX; "
	 "+CMGL/+CMGR/+CMT lines accepted)",
	 decode_spec, GBA_ARRAY_SIZE(decode_spec), sms_decode},
	{"encode", CMD " encode",
	 "--type deliver|submit --addr NUMBER --port N --payload HEX [options]",
	 encode_spec, GBA_ARRAY_SIZE(encode_spec), sms_encode},
};

int cmd_sms(int argc, char **argv)
{
	struct opts o;
	size_t i;
	int r;

	for (i = 0; argc >= 2 && i < GBA_ARRAY_SIZE(subs); i++) {
		if (strcmp(argv[1], subs[i].name) != 0)
			continue;
		r = opts_parse(&o, subs[i].cmd, subs[i].usage, subs[i].spec,
			       subs[i].nspec, argc - 1, argv + 1);
		if (r)
			return r < 0 ? 0 : r;
		return subs[i].run(&o);
	}
	if (argc >= 2 && (!strcmp(argv[1], "--help") ||
			  !strcmp(argv[1], "-h"))) {
		printf("usage: gbatool sms decode [--sca|--no-sca] "
		       "[--ct-code N] [--json] [HEX...]\n"
		       "       gbatool sms encode --type deliver|submit "
		       "--addr NUMBER --port N --payload HEX [...]\n"
		       "Run 'gbatool sms decode --help' or 'gbatool sms "
		       "encode --help' for the options.\n");
		return 0;
	}
	tool_err(CMD, "expected 'decode' or 'encode' (try --help)");
	return TOOL_EXIT_USAGE;
}
