/*
 * see gbaue/uicc.h - AUTHENTICATE APDUs, TS 31.102 7.1.2.  Response
 * formats 'DB' L RES L CK L IK [L Kc] and 'DC' L AUTS are [V]; the
 * header values and the GBA context formats are [U] (project choice,
 * unconfirmed, docs/ue-agent.md "UICC hook").
 */
#include <string.h>
#include "gba/crypto.h"
#include "gba/cursor.h"
#include "gbaue/uicc.h"

/* case 4 command: CLA INS P1 P2 Lc data Le(00); each of the @n parts is
 * required (1..255 octets, else GBA_ERR_BAD_PARAM) */
static int build(uint8_t p2, const uint8_t *const part[], const size_t plen[],
		 size_t n, int tag, uint8_t *out, size_t cap, size_t *out_len)
{
	size_t lc = tag >= 0 ? 1 : 0, i, k;

	*out_len = 0;
	for (i = 0; i < n; i++) {
		if (!plen[i] || plen[i] > 255 || !part[i])
			return GBA_ERR_BAD_PARAM;
		lc += 1 + plen[i];
	}
	if (lc > 255)
		return GBA_ERR_TOO_LARGE;
	if (!out || cap < 5 + lc + 1)
		return GBA_ERR_NO_SPACE;
	out[0] = GBAUE_APDU_CLA;
	out[1] = GBAUE_APDU_INS_AUTH;
	out[2] = 0x00;
	out[3] = p2;
	out[4] = (uint8_t)lc;
	k = 5;
	if (tag >= 0)
		out[k++] = (uint8_t)tag;
	for (i = 0; i < n; i++) {
		out[k++] = (uint8_t)plen[i];
		memcpy(out + k, part[i], plen[i]);
		k += plen[i];
	}
	out[k++] = 0x00; /* Le */
	*out_len = k;
	return GBA_OK;
}

int gbaue_apdu_auth_3g(const uint8_t rand[GBA_RAND_LEN],
		       const uint8_t autn[GBA_AUTN_LEN], uint8_t *out,
		       size_t cap, size_t *out_len)
{
	const uint8_t *p[2] = {rand, autn};
	const size_t l[2] = {GBA_RAND_LEN, GBA_AUTN_LEN};

	return build(GBAUE_APDU_P2_3G, p, l, 2, -1, out, cap, out_len);
}

int gbaue_apdu_auth_gba_boot(const uint8_t rand[GBA_RAND_LEN],
			     const uint8_t autn_star[GBA_AUTN_LEN],
			     uint8_t *out, size_t cap, size_t *out_len)
{
	const uint8_t *p[2] = {rand, autn_star};
	const size_t l[2] = {GBA_RAND_LEN, GBA_AUTN_LEN};

	return build(GBAUE_APDU_P2_GBA, p, l, 2, GBAUE_TAG_GBA_BOOT, out, cap,
		     out_len);
}

int gbaue_apdu_auth_gba_naf(const uint8_t *naf_id, size_t naf_id_len,
			    const uint8_t *impi, size_t impi_len, uint8_t *out,
			    size_t cap, size_t *out_len)
{
	const uint8_t *p[2] = {naf_id, impi};
	const size_t l[2] = {naf_id_len, impi_len};

	return build(GBAUE_APDU_P2_GBA, p, l, 2, GBAUE_TAG_GBA_NAF, out, cap,
		     out_len);
}

/* One length-prefixed field of exactly @want octets (or min..max). */
static int lv(struct gba_cur *c, uint8_t *dst, size_t min, size_t max,
	      size_t *got)
{
	uint8_t l;

	if (gba_cur_u8(c, &l) != GBA_OK)
		return c->err;
	if (l < min || l > max) {
		/* a wrong length is a format error even if octets follow */
		if (l > c->left)
			return gba_cur_fail(c, GBA_ERR_TRUNCATED);
		return gba_cur_fail(c, GBA_ERR_MALFORMED);
	}
	if (gba_cur_copy(c, dst, l) != GBA_OK)
		return c->err;
	if (got)
		*got = l;
	return GBA_OK;
}

static int parse_auth(const uint8_t *buf, size_t len, int ctx3g,
		      struct gbaue_auth_resp *r)
{
	struct gba_cur c;
	uint8_t tag;
	size_t n;
	int e = GBA_OK;

	memset(r, 0, sizeof(*r));
	gba_cur_init(&c, buf, len);
	if (gba_cur_u8(&c, &tag) != GBA_OK) {
		e = c.err;
		goto out;
	}
	if (tag == GBAUE_TAG_SYNC) {
		r->sync = 1;
		e = lv(&c, r->auts, GBA_AUTS_LEN, GBA_AUTS_LEN, NULL);
	} else if (tag == GBAUE_TAG_OK) {
		if ((e = lv(&c, r->res, GBAUE_RES_MIN, GBAUE_RES_MAX,
			    &r->res_len)) != GBA_OK)
			goto out;
		if (ctx3g) {
			if ((e = lv(&c, r->ck, GBA_CK_LEN, GBA_CK_LEN, NULL)) ||
			    (e = lv(&c, r->ik, GBA_IK_LEN, GBA_IK_LEN, NULL)))
				goto out;
			/* Kc is present when the GSM access service is */
			if (c.left) {
				e = lv(&c, r->kc, GBAUE_KC_LEN, GBAUE_KC_LEN,
				       &n);
				r->has_kc = e == GBA_OK;
			}
		}
	} else {
		e = GBA_ERR_MALFORMED;
	}
	if (e == GBA_OK && c.left)
		e = GBA_ERR_TRAILING;
out:
	if (e != GBA_OK)
		gba_cleanse(r, sizeof(*r));
	return e;
}

int gbaue_apdu_parse_auth_3g(const uint8_t *buf, size_t len,
			     struct gbaue_auth_resp *r)
{
	if (!r)
		return GBA_ERR_BAD_PARAM;
	return parse_auth(buf, len, 1, r);
}

int gbaue_apdu_parse_gba_boot(const uint8_t *buf, size_t len,
			      struct gbaue_auth_resp *r)
{
	if (!r)
		return GBA_ERR_BAD_PARAM;
	return parse_auth(buf, len, 0, r);
}

int gbaue_apdu_parse_gba_naf(const uint8_t *buf, size_t len,
			     uint8_t ks_ext_naf[GBA_KDF_OUT_LEN])
{
	struct gba_cur c;
	uint8_t tag;
	int e;

	memset(ks_ext_naf, 0, GBA_KDF_OUT_LEN);
	gba_cur_init(&c, buf, len);
	if (gba_cur_u8(&c, &tag) != GBA_OK)
		return c.err;
	if (tag != GBAUE_TAG_OK)
		return GBA_ERR_MALFORMED;
	e = lv(&c, ks_ext_naf, GBA_KDF_OUT_LEN, GBA_KDF_OUT_LEN, NULL);
	if (e == GBA_OK && c.left)
		e = GBA_ERR_TRAILING;
	if (e != GBA_OK)
		gba_cleanse(ks_ext_naf, GBA_KDF_OUT_LEN);
	return e;
}

/* ---- struct gbaue_usim_ops over a transmit hook ---- */

#define RESP_MAX 258

/*
 * Send @apdu (ending with Le); follow 61xx with GET RESPONSE and repeat
 * the command with Le = xx on 6Cxx (T=0, TS 102 221 7.3.1.1.4 and
 * 10.2.1.1).  *@sw gets the final SW.
 */
static int xfer(struct gbaue_uicc *u, const uint8_t *apdu, size_t len,
		uint8_t *resp, size_t *resp_len, unsigned *sw)
{
	uint8_t cmd[GBAUE_APDU_MAX];
	size_t n = 0;
	int tries;

	*resp_len = 0;
	*sw = 0;
	if (!u || !u->transmit || !apdu || len < 5 || len > sizeof(cmd))
		return GBA_ERR_BAD_PARAM;
	memcpy(cmd, apdu, len);
	if (u->transmit(u->arg, cmd, len, resp, RESP_MAX, &n) != 0 || n < 2 ||
	    n > RESP_MAX)
		goto io;
	for (tries = 0; tries < 4; tries++) {
		if (resp[n - 2] == 0x61) {
			/* GET RESPONSE, Le = the octets available */
			cmd[0] = GBAUE_APDU_CLA;
			cmd[1] = 0xC0;
			cmd[2] = cmd[3] = 0x00;
			cmd[4] = resp[n - 1];
			len = 5;
		} else if (resp[n - 2] == 0x6C) {
			/* the same command again with the right Le */
			cmd[len - 1] = resp[n - 1];
		} else {
			break;
		}
		if (u->transmit(u->arg, cmd, len, resp, RESP_MAX, &n) != 0 ||
		    n < 2 || n > RESP_MAX)
			goto io;
	}
	gba_cleanse(cmd, sizeof(cmd)); /* NAF derivation: the IMPI */
	*sw = (unsigned)resp[n - 2] << 8 | resp[n - 1];
	*resp_len = n - 2;
	return GBA_OK;
io:
	gba_cleanse(cmd, sizeof(cmd));
	return GBA_ERR_IO;
}

/*
 * What a status word other than 90 00 means for the agent (table-driven,
 * docs/ue-agent.md "UICC hook").  The card answered, so the channel works:
 * a refusal or "not supported" is the card's verdict on this input (a
 * forged GPI can cause it), never a sticky I/O error.  TS 31.102 7.1.2 /
 * TS 102 221 10.2.1 classes: 98 62 authentication error ([U], MAC wrong),
 * 98 xx other security statuses (98 64 context not supported, 98 65 key
 * freshness failure), 69 xx command not allowed, 6A xx wrong parameters
 * (6A 81 function not supported, 6A 86 P1-P2 wrong), 6D 00 INS not
 * supported, 6E 00 class not supported.  Anything else (a mute or
 * malfunctioning card, 6F 00, a wrong length) stays GBA_ERR_IO.
 */
static const struct {
	unsigned sw, mask;
	int err;
} sw_map[] = {
	{GBAUE_SW_AUTH_ERROR, 0xFFFF, GBA_ERR_MAC},
	{0x9864, 0xFFFF, GBA_ERR_UNSUPPORTED},
	{0x9800, 0xFF00, GBA_ERR_NOT_AUTHORIZED},
	{0x6900, 0xFF00, GBA_ERR_NOT_AUTHORIZED},
	{0x6A00, 0xFF00, GBA_ERR_UNSUPPORTED},
	{0x6D00, 0xFFFF, GBA_ERR_UNSUPPORTED},
	{0x6E00, 0xFFFF, GBA_ERR_UNSUPPORTED},
};

static int sw_err(unsigned sw)
{
	size_t i;

	for (i = 0; i < sizeof(sw_map) / sizeof(sw_map[0]); i++)
		if ((sw & sw_map[i].mask) == sw_map[i].sw)
			return sw_map[i].err;
	return GBA_ERR_IO;
}

/* an AUTHENTICATE exchange: xfer(), then any status word but 90 00 as
 * sw_err() says */
static int xfer_auth(struct gbaue_uicc *u, const uint8_t *apdu, size_t len,
		     uint8_t *resp, size_t *resp_len)
{
	unsigned sw;
	int r = xfer(u, apdu, len, resp, resp_len, &sw);

	return r != GBA_OK ? r : sw != GBAUE_SW_OK ? sw_err(sw) : GBA_OK;
}

/* The card was opened and its service table has no GBA service. */
static int card_lacks_gba(const struct gbaue_uicc *u)
{
	return u && u->opened && !u->gba_u;
}

static int uicc_authenticate(void *usim, const uint8_t rand[GBA_RAND_LEN],
			     const uint8_t autn[GBA_AUTN_LEN], int gba_u,
			     struct gbaue_usim_auth *out)
{
	uint8_t apdu[GBAUE_APDU_MAX], resp[RESP_MAX];
	struct gbaue_auth_resp ar;
	size_t n, rn;
	int r;

	memset(out, 0, sizeof(*out));
	if (gba_u && card_lacks_gba(usim))
		return GBA_ERR_UNSUPPORTED; /* EF_UST: no GBA service */
	r = gba_u ? gbaue_apdu_auth_gba_boot(rand, autn, apdu, sizeof(apdu), &n)
		  : gbaue_apdu_auth_3g(rand, autn, apdu, sizeof(apdu), &n);
	if (r != GBA_OK)
		return r;
	if ((r = xfer_auth(usim, apdu, n, resp, &rn)) != GBA_OK)
		goto out;
	r = gba_u ? gbaue_apdu_parse_gba_boot(resp, rn, &ar)
		  : gbaue_apdu_parse_auth_3g(resp, rn, &ar);
	if (r != GBA_OK) {
		r = GBA_ERR_IO;
		goto out;
	}
	if (ar.sync) {
		memcpy(out->auts, ar.auts, GBA_AUTS_LEN);
		r = GBA_ERR_SYNC;
	} else if (!gba_u) {
		memcpy(out->ck, ar.ck, GBA_CK_LEN);
		memcpy(out->ik, ar.ik, GBA_IK_LEN);
	}
	gba_cleanse(&ar, sizeof(ar));
out:
	gba_cleanse(resp, sizeof(resp));
	return r;
}

static int uicc_naf_derive(void *usim, const uint8_t *naf_id, size_t naf_id_len,
			   const uint8_t *impi, size_t impi_len,
			   uint8_t ks_ext_naf[GBA_KDF_OUT_LEN])
{
	uint8_t apdu[GBAUE_APDU_MAX], resp[RESP_MAX];
	size_t n, rn;
	int r;

	memset(ks_ext_naf, 0, GBA_KDF_OUT_LEN);
	if (card_lacks_gba(usim))
		return GBA_ERR_UNSUPPORTED;
	if ((r = gbaue_apdu_auth_gba_naf(naf_id, naf_id_len, impi, impi_len,
					 apdu, sizeof(apdu), &n)) != GBA_OK)
		return r;
	if ((r = xfer_auth(usim, apdu, n, resp, &rn)) != GBA_OK)
		goto out;
	if (gbaue_apdu_parse_gba_naf(resp, rn, ks_ext_naf) != GBA_OK)
		r = GBA_ERR_IO;
out:
	gba_cleanse(resp, sizeof(resp));
	return r;
}

const struct gbaue_usim_ops gbaue_uicc_ops = {
	.authenticate = uicc_authenticate,
	.naf_derive = uicc_naf_derive,
	.finish = NULL, /* a UICC commits at AUTHENTICATE */
};

/* ---- opening: USIM ADF from EF_DIR, EF_UST (TS 102 221, TS 31.102) ---- */

int gbaue_ust_has(const uint8_t *ust, size_t len, unsigned n)
{
	if (!ust || n == 0 || (n - 1) / 8 >= len)
		return 0;
	return (ust[(n - 1) / 8] >> ((n - 1) % 8)) & 1;
}

/* SELECT (TS 102 221 11.1.1): P1 00 by file id / 04 by DF name (AID),
 * P2 0C no data returned (so no Le: the one command without one). */
static int card_select(struct gbaue_uicc *u, uint8_t p1, const uint8_t *id,
		       size_t id_len)
{
	uint8_t apdu[5 + GBAUE_AID_MAX + 1], resp[RESP_MAX];
	size_t rn, n = 0;
	unsigned sw;

	apdu[0] = GBAUE_APDU_CLA;
	apdu[1] = 0xA4;
	apdu[2] = p1;
	apdu[3] = 0x0C;
	apdu[4] = (uint8_t)id_len;
	memcpy(apdu + 5, id, id_len);
	/* xfer() needs Le last: a case-3 command is sent directly */
	if (!u->transmit ||
	    u->transmit(u->arg, apdu, 5 + id_len, resp, RESP_MAX, &n) != 0 ||
	    n < 2 || n > RESP_MAX)
		return GBA_ERR_IO;
	if (resp[n - 2] == 0x61) {
		/* a card returning the FCP anyway: fetch and drop it */
		uint8_t get[5] = {GBAUE_APDU_CLA, 0xC0, 0x00, 0x00, 0x00};

		get[4] = resp[n - 1];
		if (xfer(u, get, sizeof(get), resp, &rn, &sw) != GBA_OK)
			return GBA_ERR_IO;
	} else {
		sw = (unsigned)resp[n - 2] << 8 | resp[n - 1];
	}
	if (sw == GBAUE_SW_OK || (sw & 0xFF00) == 0x9100)
		return GBA_OK;
	/* 6A 82 file not found, 6A 86, 69 xx ... : the card has no such
	 * file or application for us */
	return (sw & 0xF000) == 0x6000 ? GBA_ERR_NOT_FOUND : GBA_ERR_IO;
}

static int select_fid(struct gbaue_uicc *u, unsigned fid)
{
	uint8_t id[2];

	id[0] = (uint8_t)(fid >> 8);
	id[1] = (uint8_t)fid;
	return card_select(u, 0x00, id, sizeof(id));
}

/* READ RECORD (P1 record, P2 04 absolute) or READ BINARY (offset 0),
 * Le 00 first, corrected by 6Cxx.  *@sw: the final status word. */
static int card_read(struct gbaue_uicc *u, int record, uint8_t *resp,
		     size_t *rn, unsigned *sw)
{
	uint8_t apdu[5];

	apdu[0] = GBAUE_APDU_CLA;
	apdu[1] = record ? 0xB2 : 0xB0;
	apdu[2] = record ? (uint8_t)record : 0x00;
	apdu[3] = record ? 0x04 : 0x00;
	apdu[4] = 0x00;
	return xfer(u, apdu, sizeof(apdu), resp, rn, sw);
}

/*
 * One EF_DIR record (TS 102 221 13.1): '61' L { '4F' L AID, '50' L label,
 * ... }, padded with 'FF'.  Return 1 with the AID of a USIM application,
 * 0 for another or an empty record, -1 when malformed.
 */
static int dir_record_usim(const uint8_t *rec, size_t len, struct gbaue_uicc *u)
{
	static const uint8_t usim[GBAUE_USIM_AID_PREFIX_LEN] = {
		0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02};
	struct gba_cur c, in;
	uint8_t tag, l;

	gba_cur_init(&c, rec, len);
	if (len == 0 || rec[0] == 0xFF)
		return 0;
	if (gba_cur_u8(&c, &tag) != GBA_OK || tag != 0x61 ||
	    gba_cur_u8(&c, &l) != GBA_OK || l > 0x7F || l > c.left)
		return -1;
	gba_cur_init(&in, c.p, l);
	while (in.left) {
		uint8_t t, tl;

		if (gba_cur_u8(&in, &t) != GBA_OK ||
		    gba_cur_u8(&in, &tl) != GBA_OK || tl > in.left)
			return -1;
		if (t == 0x4F) {
			if (tl < GBAUE_USIM_AID_PREFIX_LEN ||
			    tl > GBAUE_AID_MAX)
				return tl > GBAUE_AID_MAX ? -1 : 0;
			if (memcmp(in.p, usim, sizeof(usim)) != 0)
				return 0;
			memcpy(u->aid, in.p, tl);
			u->aid_len = tl;
			return 1;
		}
		gba_cur_skip(&in, tl);
	}
	return 0;
}

int gbaue_uicc_open(struct gbaue_uicc *u)
{
	uint8_t resp[RESP_MAX];
	size_t rn;
	unsigned sw;
	int i, r, found = 0;

	if (!u || !u->transmit)
		return GBA_ERR_BAD_PARAM;
	u->opened = 0;
	u->gba_u = 0;
	u->aid_len = 0;
	u->ust_len = 0;
	if ((r = select_fid(u, GBAUE_FID_MF)) != GBA_OK ||
	    (r = select_fid(u, GBAUE_FID_DIR)) != GBA_OK)
		return r;
	for (i = 1; i <= GBAUE_DIR_RECORDS_MAX && !found; i++) {
		if ((r = card_read(u, i, resp, &rn, &sw)) != GBA_OK)
			return r;
		if (sw == 0x6A83) /* record not found: the end */
			break;
		if (sw != GBAUE_SW_OK)
			return GBA_ERR_IO;
		found = dir_record_usim(resp, rn, u);
		if (found < 0)
			return GBA_ERR_IO;
	}
	if (!found)
		return GBA_ERR_NOT_FOUND;
	if ((r = card_select(u, 0x04, u->aid, u->aid_len)) != GBA_OK ||
	    (r = select_fid(u, GBAUE_FID_UST)) != GBA_OK)
		return r;
	if ((r = card_read(u, 0, resp, &rn, &sw)) != GBA_OK)
		return r;
	/* 62 82: end of file reached before Le octets, data valid */
	if (sw != GBAUE_SW_OK && sw != 0x6282)
		return GBA_ERR_IO;
	u->ust_len = rn < sizeof(u->ust) ? rn : sizeof(u->ust);
	memcpy(u->ust, resp, u->ust_len);
	u->gba_u = gbaue_ust_has(u->ust, u->ust_len, GBAUE_UST_GBA);
	u->opened = 1;
	return GBA_OK;
}
