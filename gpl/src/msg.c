/*
 * see gpl/gpl.h - one GPL message, TS 33.224 V17.x.  The message format,
 * the cipher suites and the subkey derivation of TS 33.224 are [GAP]: all of
 * the below is a PROJECT CHOICE, unconfirmed (docs/wire-formats.md "GPL").
 *
 * Layout P1:
 *   off 0   version   1  0xF1
 *   off 1   suite     1  gpl_suites[] identifier
 *   off 2   SA-id     8  RAND[0..7] of the SA (RAND@naf, NAF part implied
 *                        by the key)
 *   off 10  SN        4  big-endian, 1..2^32-1
 *   off 14  payload   n  plaintext (null suite) or AES-128-CTR ciphertext
 *   off 14+n MAC      t  HMAC-SHA-256(K_int, octets 0..14+n-1), first t
 *
 * Subkeys, TS 33.220 B.2 KDF under the NAF key, FC = 0xFF || 0xF0:
 *   K_enc = KDF(NAF key, "gbapush-gpl-enc", suite id)[0..15]
 *   K_int = KDF(NAF key, "gbapush-gpl-int", suite id)
 * CTR nonce: IV = SA-id(8) || SN(4) || 00 00 00 00 (block counter).  An SN
 * is never used twice under one SA, so no keystream block repeats.
 */
#include <string.h>
#include "gba/crypto.h"
#include "gba/cursor.h"
#include "replay.h"
#include "suite.h"

static const uint8_t label_enc[] = "gbapush-gpl-enc";
static const uint8_t label_int[] = "gbapush-gpl-int";

/* see gpl/gpl.h */
size_t gpl_protected_len(int suite, size_t payload_len)
{
	const struct gpl_suite_def *s = gpl_suite_find(suite);

	if (!s || payload_len > GPL_PAYLOAD_MAX)
		return 0;
	return GPL_HDR_LEN + payload_len + s->mac_len;
}

/* KDF(NAF key, FC = 0xFF || 0xF0, P0 = label, P1 = suite id) */
static int gpl_subkey(const uint8_t naf_key[GBA_KDF_OUT_LEN],
		      const uint8_t *label, size_t label_len, uint8_t suite,
		      uint8_t out[GBA_KDF_OUT_LEN])
{
	const uint8_t *p[2] = { label, &suite };
	const size_t plen[2] = { label_len, 1 };

	return gba_kdf(naf_key, GBA_KDF_OUT_LEN, GBA_FC_GBAPUSH, 2, p, plen,
		       out);
}

static void gpl_iv(const uint8_t sa_id[GPL_SA_ID_LEN], uint32_t sn,
		   uint8_t iv[GBA_AES_BLOCK])
{
	memcpy(iv, sa_id, GPL_SA_ID_LEN);
	gba_put_be32(iv + GPL_SA_ID_LEN, sn);
	memset(iv + GPL_SA_ID_LEN + 4, 0, 4);
}

/* Payload transform: AES-128-CTR, or a copy for the null suite. */
static int gpl_crypt(const struct gpl_suite_def *s,
		     const uint8_t naf_key[GBA_KDF_OUT_LEN],
		     const uint8_t sa_id[GPL_SA_ID_LEN], uint32_t sn,
		     const uint8_t *in, uint8_t *out, size_t len)
{
	uint8_t k_enc[GBA_KDF_OUT_LEN], iv[GBA_AES_BLOCK];
	int r;

	if (s->enc == GPL_ENC_NULL) {
		if (len && in != out)
			memmove(out, in, len);
		return GBA_OK;
	}
	gpl_iv(sa_id, sn, iv);
	if ((r = gpl_subkey(naf_key, label_enc, sizeof(label_enc) - 1, s->id,
			    k_enc)) == GBA_OK)
		r = gba_aes128_ctr(k_enc, iv, in, out, len);
	gba_cleanse(k_enc, sizeof(k_enc));
	return r;
}

/* HMAC-SHA-256 under K_int over @n octets at @p (full 32-octet output). */
static int gpl_mac(const uint8_t naf_key[GBA_KDF_OUT_LEN], uint8_t suite,
		   const uint8_t *p, size_t n, uint8_t mac[GBA_SHA256_LEN])
{
	uint8_t k_int[GBA_KDF_OUT_LEN];
	const uint8_t *a[1] = { p };
	const size_t l[1] = { n };
	int r;

	if ((r = gpl_subkey(naf_key, label_int, sizeof(label_int) - 1, suite,
			    k_int)) == GBA_OK)
		r = gba_hmac_sha256_vec(k_int, sizeof(k_int), 1, a, l, mac);
	gba_cleanse(k_int, sizeof(k_int));
	return r;
}

/* see gpl/gpl.h */
int gpl_msg_peek(const uint8_t *msg, size_t len, struct gpl_msg_hdr *hdr)
{
	const struct gpl_suite_def *s;
	struct gba_cur c;
	uint8_t v;
	int r;

	if ((r = gba_cur_start(&c, msg, len, hdr, sizeof(*hdr))) != GBA_OK)
		return r;
	if (!msg && len)
		return GBA_ERR_BAD_PARAM;
	if ((r = gba_cur_u8(&c, &v)) != GBA_OK)
		goto fail;
	if (v != GPL_VERSION_P1) {
		r = GBA_ERR_VERSION;
		goto fail;
	}
	hdr->version = v;
	if ((r = gba_cur_u8(&c, &hdr->suite)) != GBA_OK)
		goto fail;
	if (!(s = gpl_suite_find(hdr->suite))) {
		r = GBA_ERR_UNSUPPORTED;
		goto fail;
	}
	if ((r = gba_cur_copy(&c, hdr->sa_id, GPL_SA_ID_LEN)) != GBA_OK ||
	    (r = gba_cur_be32(&c, &hdr->sn)) != GBA_OK)
		goto fail;
	if (c.left < s->mac_len) {
		r = GBA_ERR_TRUNCATED;
		goto fail;
	}
	if (hdr->sn == 0) {
		r = GBA_ERR_MALFORMED; /* SNs start at 1 */
		goto fail;
	}
	hdr->payload_len = c.left - s->mac_len;
	if (hdr->payload_len > GPL_PAYLOAD_MAX) {
		r = GBA_ERR_TOO_LARGE;
		goto fail;
	}
	return GBA_OK;
fail:
	memset(hdr, 0, sizeof(*hdr));
	return r;
}

/* see gpl/gpl.h */
int gpl_sa_matches(const struct gpl_sa *sa, const struct gpl_msg_hdr *hdr)
{
	if (!sa || !hdr)
		return 0;
	/* public identifiers: a plain compare is fine */
	return memcmp(sa->rand, hdr->sa_id, GPL_SA_ID_LEN) == 0; /* checksrc: allow */
}

/* see gpl/gpl.h */
int gpl_protect(struct gpl_sa *sa, uint64_t now, const uint8_t *payload,
		size_t payload_len, uint8_t *out, size_t cap, size_t *out_len)
{
	const struct gpl_suite_def *s;
	uint8_t mac[GBA_SHA256_LEN];
	struct gba_wcur w;
	uint8_t *ct, *tag;
	size_t total;
	uint32_t sn;
	int r;

	if (out_len)
		*out_len = 0;
	if (!sa || !out || !out_len || (!payload && payload_len))
		return GBA_ERR_BAD_PARAM;
	if (!(s = gpl_suite_find(sa->suite)))
		return GBA_ERR_BAD_PARAM; /* not an initialised SA */
	if (payload_len > GPL_PAYLOAD_MAX)
		return GBA_ERR_TOO_LARGE;
	if (now >= sa->expiry)
		return GBA_ERR_EXPIRED;
	if (sa->sn_c == UINT32_MAX)
		return GBA_ERR_SQN_EXHAUSTED;
	total = GPL_HDR_LEN + payload_len + s->mac_len;
	if (total > cap)
		return GBA_ERR_NO_SPACE;
	sn = sa->sn_c + 1;
	gba_wcur_init(&w, out, cap);
	gba_wcur_u8(&w, GPL_VERSION_P1);
	gba_wcur_u8(&w, s->id);
	gba_wcur_bytes(&w, sa->rand, GPL_SA_ID_LEN);
	gba_wcur_be32(&w, sn);
	ct = gba_wcur_reserve(&w, payload_len);
	tag = gba_wcur_reserve(&w, s->mac_len);
	if ((r = w.err) != GBA_OK || !ct || !tag) {
		r = r ? r : GBA_ERR_INTERNAL;
		goto out;
	}
	/* encrypt-then-MAC; the MAC covers the header and the ciphertext */
	if ((r = gpl_crypt(s, sa->naf_key, sa->rand, sn, payload, ct,
			   payload_len)) != GBA_OK ||
	    (r = gpl_mac(sa->naf_key, s->id, out, GPL_HDR_LEN + payload_len,
			 mac)) != GBA_OK)
		goto out;
	memcpy(tag, mac, s->mac_len);
	*out_len = total;
	sa->sn_c = sn; /* commit only after every step succeeded */
out:
	if (r != GBA_OK)
		memset(out, 0, total);
	gba_cleanse(mac, sizeof(mac));
	return r;
}

/* see gpl/gpl.h */
int gpl_unprotect(struct gpl_sa *sa, uint64_t now, const uint8_t *msg,
		  size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
	const struct gpl_suite_def *s;
	struct gpl_msg_hdr h;
	uint8_t mac[GBA_SHA256_LEN];
	uint32_t sn_h_new, replay_new;
	size_t mac_off;
	int r;

	if (out_len)
		*out_len = 0;
	if (!sa || !msg || !out_len || (!out && cap))
		return GBA_ERR_BAD_PARAM;
	if ((r = gpl_msg_peek(msg, len, &h)) != GBA_OK)
		return r;
	if (!gpl_sa_matches(sa, &h))
		return GBA_ERR_UNKNOWN_SA;
	/* the SA fixes the suite: no downgrade to the null suite */
	if (h.suite != sa->suite)
		return GBA_ERR_SUITE_MISMATCH;
	if (now >= sa->expiry)
		return GBA_ERR_EXPIRED;
	if (h.payload_len > cap || (!out && h.payload_len))
		return GBA_ERR_NO_SPACE;
	s = gpl_suite_find(h.suite);
	mac_off = GPL_HDR_LEN + h.payload_len;
	if ((r = gpl_mac(sa->naf_key, h.suite, msg, mac_off, mac)) != GBA_OK)
		goto out;
	if (!gba_ct_eq(mac, msg + mac_off, s->mac_len)) {
		r = GBA_ERR_MAC;
		goto out;
	}
	if ((r = gpl_replay_check(sa->sn_h, sa->replay, h.sn, &sn_h_new,
				  &replay_new)) != GBA_OK)
		goto out;
	if ((r = gpl_crypt(s, sa->naf_key, h.sa_id, h.sn, msg + GPL_HDR_LEN,
			   out, h.payload_len)) != GBA_OK) {
		gba_cleanse(out, h.payload_len);
		goto out;
	}
	/* commit the replay state only after the whole message checked out */
	sa->sn_h = sn_h_new;
	sa->replay = replay_new;
	*out_len = h.payload_len;
out:
	gba_cleanse(mac, sizeof(mac));
	return r;
}
