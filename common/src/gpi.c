/*
 * see gba/gpi.h - GBA Push Information, TS 33.223 V17.x 5.2.1 (contents)
 * and 5.3.5 (encoding, [GAP]: the layout below is a PROJECT CHOICE,
 * unconfirmed, documented in docs/wire-formats.md section "GPI").
 *
 * The layout is data: gpi_layouts[] lists, per version octet, the fields in
 * wire order with their size rule.  The encoder and the decoder walk the
 * same table, so a confirmed 3GPP layout is one more table entry (plus any
 * new field kind) and no caller changes.
 *
 * Protection (project choice, unconfirmed), keys from the ME-side NAF key
 * (Ks_NAF or Ks_ext_NAF) through the TS 33.220 B.2 KDF with the two-octet
 * FC 0xFF || 0xF0:
 *   K_gpi_enc = first 16 octets of KDF(NAF key, "gbapush-gpi-enc")
 *   K_gpi_int = KDF(NAF key, "gbapush-gpi-int")
 *   p_tid_enc = AES-128-CTR(K_gpi_enc, IV = RAND[0..11] || 00 00 00 00, P-TID)
 *   tag       = first 16 octets of HMAC-SHA-256(K_gpi_int, every GPI octet
 *               before the tag)
 * No heap, no stdio: the UE agent firmware links this module.
 */
#include <string.h>
#include "gba/crypto.h"
#include "gba/cursor.h"
#include "gba/fqdn.h"
#include "gba/gpi.h"

/* How a field's size is given on the wire. */
enum gpi_kind {
	GPI_FIXED, /* exactly .size octets */
	GPI_VAR8,  /* one length octet, then .min..size octets */
};

enum gpi_fid {
	GPI_F_VERSION,
	GPI_F_FLAGS,
	GPI_F_RAND,
	GPI_F_AUTN,
	GPI_F_NAF_FQDN,
	GPI_F_UA_ID,
	GPI_F_APP_LABEL,
	GPI_F_KEY_EXPIRY,
	GPI_F_P_TID_ENC,
	GPI_F_TAG,
};

struct gpi_field {
	enum gpi_fid id;
	enum gpi_kind kind;
	size_t min;  /* GPI_VAR8: smallest length accepted */
	size_t size; /* GPI_FIXED: the length; GPI_VAR8: the largest */
};

struct gpi_layout {
	uint8_t version;
	uint8_t flags_known; /* flag bits defined in this version */
	const struct gpi_field *fields;
	size_t nfields;
};

/* Project layout P1 (docs/wire-formats.md "GPI"), every field unconfirmed. */
static const struct gpi_field gpi_fields_p1[] = {
	{ GPI_F_VERSION, GPI_FIXED, 0, 1 },
	{ GPI_F_FLAGS, GPI_FIXED, 0, 1 },
	{ GPI_F_RAND, GPI_FIXED, 0, GBA_RAND_LEN },
	{ GPI_F_AUTN, GPI_FIXED, 0, 16 },
	{ GPI_F_NAF_FQDN, GPI_VAR8, 1, GBA_FQDN_MAX },
	{ GPI_F_UA_ID, GPI_FIXED, 0, GBA_UA_ID_LEN },
	{ GPI_F_APP_LABEL, GPI_VAR8, 0, GBA_APP_LABEL_MAX },
	{ GPI_F_KEY_EXPIRY, GPI_FIXED, 0, 4 }, /* Unix seconds, uint32 BE */
	{ GPI_F_P_TID_ENC, GPI_VAR8, 1, GBA_PTID_MAX },
	{ GPI_F_TAG, GPI_FIXED, 0, GBA_GPI_TAG_LEN },
};

static const struct gpi_layout gpi_layouts[] = {
	{ GBA_GPI_VERSION_P1, GBA_GPI_FLAG_GBA_U, gpi_fields_p1,
	  GBA_ARRAY_SIZE(gpi_fields_p1) },
};

/* Labels P0 of the project KDF uses (FC = GBA_FC_GBAPUSH). */
static const uint8_t label_enc[] = "gbapush-gpi-enc";
static const uint8_t label_int[] = "gbapush-gpi-int";

static const struct gpi_layout *gpi_layout_find(uint8_t version)
{
	size_t i;

	for (i = 0; i < GBA_ARRAY_SIZE(gpi_layouts); i++)
		if (gpi_layouts[i].version == version)
			return &gpi_layouts[i];
	return NULL;
}

/* The NAF FQDN field: the project's one FQDN rule (gba/fqdn.h). */
static int fqdn_ok(const uint8_t *s, size_t n)
{
	return gba_fqdn_valid((const char *)s, n);
}

/*
 * KDF(NAF key, FC = 0xFF || 0xF0, P0 = label).  One parameter only: the NAF
 * key is already unique to this GPI (disposable Ks, one NAF key per Ks).
 */
static int gpi_subkey(const uint8_t naf_key[GBA_KDF_OUT_LEN],
		      const uint8_t *label, size_t label_len,
		      uint8_t out[GBA_KDF_OUT_LEN])
{
	const uint8_t *p[1] = { label };
	const size_t plen[1] = { label_len };

	return gba_kdf(naf_key, GBA_KDF_OUT_LEN, GBA_FC_GBAPUSH, 1, p, plen,
		       out);
}

/* P-TID keystream nonce: RAND[0..11] || 32-bit block counter from 0. */
static void gpi_iv(const uint8_t rand[GBA_RAND_LEN],
		   uint8_t iv[GBA_AES_BLOCK])
{
	memcpy(iv, rand, 12);
	memset(iv + 12, 0, 4);
}

/* Validate the caller's fields and return the encoded length (0: bad). */
static int gpi_check(const struct gba_gpi_info *info, size_t p_tid_len,
		     const struct gpi_layout *lay, size_t *total)
{
	size_t i, fqdn_len, n = 0;

	*total = 0;
	if (!info || info->naf_id_len <= GBA_UA_ID_LEN || p_tid_len == 0)
		return GBA_ERR_BAD_PARAM;
	if (info->naf_id_len > GBA_NAF_ID_MAX ||
	    info->app_label_len > GBA_APP_LABEL_MAX ||
	    p_tid_len > GBA_PTID_MAX || info->key_expiry > 0xFFFFFFFFu)
		return GBA_ERR_TOO_LARGE;
	fqdn_len = info->naf_id_len - GBA_UA_ID_LEN;
	if (!fqdn_ok(info->naf_id, fqdn_len))
		return GBA_ERR_BAD_PARAM;
	for (i = 0; i < lay->nfields; i++) {
		const struct gpi_field *f = &lay->fields[i];

		if (f->kind == GPI_FIXED) {
			n += f->size;
			continue;
		}
		n += 1;
		switch (f->id) {
		case GPI_F_NAF_FQDN:
			n += fqdn_len;
			break;
		case GPI_F_APP_LABEL:
			n += info->app_label_len;
			break;
		case GPI_F_P_TID_ENC:
			n += p_tid_len;
			break;
		default:
			return GBA_ERR_INTERNAL;
		}
	}
	if (n > GBA_GPI_MAX)
		return GBA_ERR_TOO_LARGE;
	*total = n;
	return GBA_OK;
}

size_t gba_gpi_encoded_len(const struct gba_gpi_info *info, size_t p_tid_len)
{
	size_t n;

	if (gpi_check(info, p_tid_len, &gpi_layouts[0], &n) != GBA_OK)
		return 0;
	return n;
}

/* see gba/gpi.h */
int gba_gpi_build(const struct gba_gpi_info *info, const uint8_t *p_tid,
		  size_t p_tid_len, const uint8_t naf_key[GBA_KDF_OUT_LEN],
		  uint8_t *out, size_t cap, size_t *out_len)
{
	const struct gpi_layout *lay = &gpi_layouts[0];
	uint8_t k_enc[GBA_KDF_OUT_LEN], k_int[GBA_KDF_OUT_LEN];
	uint8_t iv[GBA_AES_BLOCK], mac[GBA_SHA256_LEN];
	uint8_t *ptid_dst = NULL, *tag_dst = NULL;
	struct gba_wcur w;
	size_t i, total, fqdn_len;
	int r;

	if (out_len)
		*out_len = 0;
	if (!info || !p_tid || !naf_key || !out || !out_len)
		return GBA_ERR_BAD_PARAM;
	if ((r = gpi_check(info, p_tid_len, lay, &total)) != GBA_OK)
		return r;
	if (total > cap)
		return GBA_ERR_NO_SPACE;
	fqdn_len = info->naf_id_len - GBA_UA_ID_LEN;
	gba_wcur_init(&w, out, cap);
	for (i = 0; i < lay->nfields; i++) {
		const struct gpi_field *f = &lay->fields[i];

		switch (f->id) {
		case GPI_F_VERSION:
			gba_wcur_u8(&w, lay->version);
			break;
		case GPI_F_FLAGS:
			gba_wcur_u8(&w, info->gba_u ? GBA_GPI_FLAG_GBA_U : 0);
			break;
		case GPI_F_RAND:
			gba_wcur_bytes(&w, info->rand, GBA_RAND_LEN);
			break;
		case GPI_F_AUTN:
			gba_wcur_bytes(&w, info->autn, sizeof(info->autn));
			break;
		case GPI_F_NAF_FQDN:
			gba_wcur_u8(&w, (uint8_t)fqdn_len);
			gba_wcur_bytes(&w, info->naf_id, fqdn_len);
			break;
		case GPI_F_UA_ID:
			gba_wcur_bytes(&w, info->naf_id + fqdn_len,
				       GBA_UA_ID_LEN);
			break;
		case GPI_F_APP_LABEL:
			gba_wcur_u8(&w, (uint8_t)info->app_label_len);
			gba_wcur_bytes(&w, info->app_label,
				       info->app_label_len);
			break;
		case GPI_F_KEY_EXPIRY:
			gba_wcur_be32(&w, (uint32_t)info->key_expiry);
			break;
		case GPI_F_P_TID_ENC:
			gba_wcur_u8(&w, (uint8_t)p_tid_len);
			ptid_dst = gba_wcur_reserve(&w, p_tid_len);
			break;
		case GPI_F_TAG:
			tag_dst = gba_wcur_reserve(&w, f->size);
			break;
		}
	}
	if ((r = w.err) != GBA_OK || !ptid_dst || !tag_dst ||
	    w.len != total) {
		r = r ? r : GBA_ERR_INTERNAL;
		goto out;
	}
	/* encrypt-then-MAC: the tag covers the encrypted P-TID */
	gpi_iv(info->rand, iv);
	if ((r = gpi_subkey(naf_key, label_enc, sizeof(label_enc) - 1,
			    k_enc)) != GBA_OK ||
	    (r = gba_aes128_ctr(k_enc, iv, p_tid, ptid_dst, p_tid_len)) !=
		    GBA_OK ||
	    (r = gpi_subkey(naf_key, label_int, sizeof(label_int) - 1,
			    k_int)) != GBA_OK)
		goto out;
	{
		const uint8_t *a[1] = { out };
		const size_t l[1] = { (size_t)(tag_dst - out) };

		if ((r = gba_hmac_sha256_vec(k_int, sizeof(k_int), 1, a, l,
					     mac)) != GBA_OK)
			goto out;
	}
	memcpy(tag_dst, mac, GBA_GPI_TAG_LEN);
	*out_len = total;
out:
	if (r != GBA_OK)
		memset(out, 0, total); /* no partial GPI escapes */
	gba_cleanse(k_enc, sizeof(k_enc));
	gba_cleanse(k_int, sizeof(k_int));
	gba_cleanse(mac, sizeof(mac));
	return r;
}

/* What gba_gpi_open() needs: views into the input, no copies; tag_off
 * lets it MAC everything before the tag. */
struct gpi_views {
	const uint8_t *rand;      /* GBA_RAND_LEN octets */
	const uint8_t *p_tid_enc; /* p_tid_len octets */
	size_t p_tid_len;
	size_t tag_off;           /* offset of the integrity tag */
};

/*
 * Walk a GPI.  @info (may be NULL; memset first) receives the decoded
 * fields; @vw always receives the views.  gba_gpi_open() passes no @info, which keeps its
 * stack frame small (firmware, docs/firmware-integration.md).
 */
static int gpi_parse(const uint8_t *buf, size_t len,
		     struct gba_gpi_info *info, struct gpi_views *vw)
{
	const struct gpi_layout *lay;
	struct gba_cur c;
	const uint8_t *v;
	size_t i, n, fqdn_len = 0;
	uint8_t b;
	int r;

	if (info)
		memset(info, 0, sizeof(*info));
	memset(vw, 0, sizeof(*vw));
	gba_cur_init(&c, buf, len);
	if ((r = gba_cur_peek(&c, &b)) != GBA_OK)
		return r;
	if (!(lay = gpi_layout_find(b)))
		return GBA_ERR_VERSION;
	for (i = 0; i < lay->nfields; i++) {
		const struct gpi_field *f = &lay->fields[i];

		n = f->size;
		if (f->kind == GPI_VAR8) {
			if ((r = gba_cur_u8(&c, &b)) != GBA_OK)
				return r;
			n = b;
			if (n > f->size)
				return GBA_ERR_TOO_LARGE;
			if (n < f->min)
				return GBA_ERR_MALFORMED;
		}
		if (f->id == GPI_F_TAG)
			vw->tag_off = len - c.left;
		if ((r = gba_cur_bytes(&c, n, &v)) != GBA_OK)
			return r;
		switch (f->id) {
		case GPI_F_VERSION:
			if (info)
				info->version = v[0];
			break;
		case GPI_F_FLAGS:
			if (v[0] & (uint8_t)~lay->flags_known)
				return GBA_ERR_MALFORMED; /* reserved bits */
			if (info)
				info->gba_u =
					(v[0] & GBA_GPI_FLAG_GBA_U) ? 1 : 0;
			break;
		case GPI_F_RAND:
			vw->rand = v;
			if (info)
				memcpy(info->rand, v, GBA_RAND_LEN);
			break;
		case GPI_F_AUTN:
			if (info)
				memcpy(info->autn, v, sizeof(info->autn));
			break;
		case GPI_F_NAF_FQDN:
			if (!fqdn_ok(v, n))
				return GBA_ERR_MALFORMED;
			if (info)
				memcpy(info->naf_id, v, n);
			fqdn_len = n;
			break;
		case GPI_F_UA_ID:
			if (info) {
				memcpy(info->naf_id + fqdn_len, v,
				       GBA_UA_ID_LEN);
				info->naf_id_len = fqdn_len + GBA_UA_ID_LEN;
			}
			break;
		case GPI_F_APP_LABEL:
			if (info) {
				memcpy(info->app_label, v, n);
				info->app_label_len = n;
			}
			break;
		case GPI_F_KEY_EXPIRY:
			if (info)
				info->key_expiry = gba_get_be32(v);
			break;
		case GPI_F_P_TID_ENC:
			vw->p_tid_enc = v;
			vw->p_tid_len = n;
			if (info) {
				memcpy(info->p_tid_enc, v, n);
				info->p_tid_len = n;
			}
			break;
		case GPI_F_TAG:
			break;
		}
	}
	return gba_cur_end(&c);
}

/* see gba/gpi.h */
int gba_gpi_decode(const uint8_t *buf, size_t len, struct gba_gpi_info *info)
{
	struct gpi_views vw;
	int r;

	if (!info)
		return GBA_ERR_BAD_PARAM;
	if (!buf && len)
		return GBA_ERR_BAD_PARAM;
	r = gpi_parse(buf, len, info, &vw);
	if (r != GBA_OK)
		memset(info, 0, sizeof(*info));
	else
		info->tag_off = vw.tag_off;
	return r;
}

/*
 * Verify the tag of a walked GPI and decrypt its P-TID.  Inlined into both
 * callers: on the UE's deepest path (gpi_process -> gba_gpi_open_decoded
 * -> HMAC) a call frame more would cost firmware stack
 * (docs/firmware-integration.md).
 */
static inline __attribute__((always_inline)) int gpi_open_views(const uint8_t *buf, const struct gpi_views *vw,
			  const uint8_t naf_key[GBA_KDF_OUT_LEN],
			  uint8_t *p_tid, size_t cap, size_t *p_tid_len)
{
	uint8_t k_enc[GBA_KDF_OUT_LEN], k_int[GBA_KDF_OUT_LEN];
	uint8_t iv[GBA_AES_BLOCK], mac[GBA_SHA256_LEN];
	int r;

	if ((r = gpi_subkey(naf_key, label_int, sizeof(label_int) - 1,
			    k_int)) != GBA_OK)
		goto out;
	{
		const uint8_t *a[1] = { buf };
		const size_t l[1] = { vw->tag_off };

		if ((r = gba_hmac_sha256_vec(k_int, sizeof(k_int), 1, a, l,
					     mac)) != GBA_OK)
			goto out;
	}
	/* constant-time: no early exit on the first wrong tag octet */
	if (!gba_ct_eq(mac, buf + vw->tag_off, GBA_GPI_TAG_LEN)) {
		r = GBA_ERR_MAC;
		goto out;
	}
	if (vw->p_tid_len > cap) {
		r = GBA_ERR_NO_SPACE;
		goto out;
	}
	gpi_iv(vw->rand, iv);
	if ((r = gpi_subkey(naf_key, label_enc, sizeof(label_enc) - 1,
			    k_enc)) != GBA_OK ||
	    (r = gba_aes128_ctr(k_enc, iv, vw->p_tid_enc, p_tid,
				vw->p_tid_len)) != GBA_OK) {
		gba_cleanse(p_tid, vw->p_tid_len);
		goto out;
	}
	*p_tid_len = vw->p_tid_len;
out:
	gba_cleanse(k_enc, sizeof(k_enc));
	gba_cleanse(k_int, sizeof(k_int));
	gba_cleanse(mac, sizeof(mac));
	return r;
}

/* see gba/gpi.h */
int gba_gpi_open(const uint8_t *buf, size_t len,
		 const uint8_t naf_key[GBA_KDF_OUT_LEN], uint8_t *p_tid,
		 size_t cap, size_t *p_tid_len)
{
	struct gpi_views vw;
	int r;

	if (p_tid_len)
		*p_tid_len = 0;
	if (!naf_key || !p_tid || !p_tid_len || (!buf && len))
		return GBA_ERR_BAD_PARAM;
	if ((r = gpi_parse(buf, len, NULL, &vw)) != GBA_OK)
		return r;
	return gpi_open_views(buf, &vw, naf_key, p_tid, cap, p_tid_len);
}

/* see gba/gpi.h */
int gba_gpi_open_decoded(const uint8_t *buf, size_t len,
			 const struct gba_gpi_info *info,
			 const uint8_t naf_key[GBA_KDF_OUT_LEN],
			 uint8_t *p_tid, size_t cap, size_t *p_tid_len)
{
	struct gpi_views vw;

	if (p_tid_len)
		*p_tid_len = 0;
	if (!info || !naf_key || !p_tid || !p_tid_len || !buf ||
	    info->p_tid_len > GBA_PTID_MAX || info->tag_off > len ||
	    len - info->tag_off < GBA_GPI_TAG_LEN)
		return GBA_ERR_BAD_PARAM;
	vw.rand = info->rand;
	vw.p_tid_enc = info->p_tid_enc;
	vw.p_tid_len = info->p_tid_len;
	vw.tag_off = info->tag_off;
	return gpi_open_views(buf, &vw, naf_key, p_tid, cap, p_tid_len);
}

/* see gba/gpi.h */
int gba_gpi_naf_fqdn(const struct gba_gpi_info *info, const uint8_t **fqdn,
		     size_t *fqdn_len, const uint8_t **ua_id)
{
	*fqdn = NULL;
	*fqdn_len = 0;
	*ua_id = NULL;
	if (!info || info->naf_id_len <= GBA_UA_ID_LEN ||
	    info->naf_id_len > GBA_NAF_ID_MAX)
		return GBA_ERR_MALFORMED;
	*fqdn = info->naf_id;
	*fqdn_len = info->naf_id_len - GBA_UA_ID_LEN;
	*ua_id = info->naf_id + *fqdn_len;
	return GBA_OK;
}
