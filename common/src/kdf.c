/* see gba/kdf.h - TS 33.220 Annex B.2, B.3 */
#include <string.h>
#include "gba/crypto.h"
#include "gba/kdf.h"
#include "gba/utf8.h"

int gba_kdf(const uint8_t *key, size_t key_len, uint16_t fc, size_t n,
	    const uint8_t *const p[], const size_t plen[],
	    uint8_t out[GBA_KDF_OUT_LEN])
{
	/* S = FC || P0 || L0 || ... || Pn || Ln, passed as fragments. */
	const uint8_t *addr[1 + 2 * GBA_KDF_MAX_PARAMS];
	size_t len[1 + 2 * GBA_KDF_MAX_PARAMS];
	uint8_t fc_buf[2];
	uint8_t l_buf[GBA_KDF_MAX_PARAMS][2];
	size_t i, k = 0;

	memset(out, 0, GBA_KDF_OUT_LEN);
	if (!key || n > GBA_KDF_MAX_PARAMS || (n && (!p || !plen)))
		return GBA_ERR_BAD_PARAM;
	if (fc <= 0xFE) {
		fc_buf[0] = (uint8_t)fc;
		addr[k] = fc_buf;
		len[k++] = 1;
	} else if (fc >= 0xFF00) {
		/* two-octet FC: 0xFF || FC2 (B.2.0) */
		fc_buf[0] = 0xFF;
		fc_buf[1] = (uint8_t)fc;
		addr[k] = fc_buf;
		len[k++] = 2;
	} else {
		return GBA_ERR_BAD_PARAM;
	}
	for (i = 0; i < n; i++) {
		if (plen[i] > GBA_KDF_MAX_PLEN)
			return GBA_ERR_TOO_LARGE;
		if (plen[i] && !p[i])
			return GBA_ERR_BAD_PARAM;
		l_buf[i][0] = (uint8_t)(plen[i] >> 8);
		l_buf[i][1] = (uint8_t)plen[i];
		addr[k] = p[i];
		len[k++] = plen[i];
		addr[k] = l_buf[i];
		len[k++] = 2;
	}
	return gba_hmac_sha256_vec(key, key_len, k, addr, len, out);
}

int gba_naf_id(const char *fqdn, const uint8_t ua_id[GBA_UA_ID_LEN],
	       uint8_t out[GBA_NAF_ID_MAX], size_t *out_len)
{
	size_t n;

	*out_len = 0;
	if (!fqdn || !ua_id)
		return GBA_ERR_BAD_PARAM;
	n = strnlen(fqdn, GBA_FQDN_MAX + 1);
	if (n == 0)
		return GBA_ERR_BAD_PARAM;
	if (n > GBA_FQDN_MAX)
		return GBA_ERR_TOO_LARGE;
	/*
	 * B.2.1: the FQDN is a character string, NFKC then UTF-8.  The caller
	 * normalised it (host: gba_utf8_nfkc()); here it must be UTF-8.
	 */
	if (gba_utf8_check((const uint8_t *)fqdn, n) != GBA_OK)
		return GBA_ERR_BAD_UTF8;
	memcpy(out, fqdn, n);
	memcpy(out + n, ua_id, GBA_UA_ID_LEN);
	*out_len = n + GBA_UA_ID_LEN;
	return GBA_OK;
}

int gba_kdf_naf_key(const uint8_t ks[GBA_KS_LEN], int gba_u,
		    const uint8_t rand[GBA_RAND_LEN], const uint8_t *impi,
		    size_t impi_len, const uint8_t *naf_id, size_t naf_id_len,
		    uint8_t out[GBA_KDF_OUT_LEN])
{
	static const uint8_t gba_me[] = { 'g', 'b', 'a', '-', 'm', 'e' };
	static const uint8_t gba_u_[] = { 'g', 'b', 'a', '-', 'u' };
	const uint8_t *p[4];
	size_t plen[4];

	memset(out, 0, GBA_KDF_OUT_LEN);
	if (!ks || !rand || !impi || !naf_id || impi_len == 0 ||
	    naf_id_len <= GBA_UA_ID_LEN)
		return GBA_ERR_BAD_PARAM;
	if (impi_len > GBA_IMPI_MAX || naf_id_len > GBA_NAF_ID_MAX)
		return GBA_ERR_TOO_LARGE;
	/*
	 * B.2.1: IMPI and the FQDN part of NAF_Id (the only character
	 * strings) arrive NFKC-normalised; they must at least be UTF-8.
	 */
	if (gba_utf8_check(impi, impi_len) != GBA_OK ||
	    gba_utf8_check(naf_id, naf_id_len - GBA_UA_ID_LEN) != GBA_OK)
		return GBA_ERR_BAD_UTF8;
	/* B.3: P0 = "gba-me" or "gba-u", P1 = RAND, P2 = IMPI, P3 = NAF_Id */
	p[0] = gba_u ? gba_u_ : gba_me;
	plen[0] = gba_u ? sizeof(gba_u_) : sizeof(gba_me);
	p[1] = rand;
	plen[1] = GBA_RAND_LEN;
	p[2] = impi;
	plen[2] = impi_len;
	p[3] = naf_id;
	plen[3] = naf_id_len;
	return gba_kdf(ks, GBA_KS_LEN, GBA_FC_NAF, 4, p, plen, out);
}

void gba_ks_from_ck_ik(const uint8_t ck[GBA_CK_LEN],
		       const uint8_t ik[GBA_IK_LEN], uint8_t ks[GBA_KS_LEN])
{
	memcpy(ks, ck, GBA_CK_LEN);
	memcpy(ks + GBA_CK_LEN, ik, GBA_IK_LEN);
}
