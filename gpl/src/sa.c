/*
 * see gpl/gpl.h - the NAF SA (TS 33.223 3.1, TS 24.109 4A.1, TS 33.224
 * 3.1 SN_c / SN_h): set-up, wipe and the persistence blob (the replay
 * window is replay.c, the suite table suite.c).
 * Window and blob are project choices, unconfirmed (docs/wire-formats.md
 * "GPL").
 */
#include <string.h>
#include "gba/crypto.h"
#include "gba/cursor.h"
#include "suite.h"

/*
 * SA blob version 1, GPL_SA_BLOB_LEN = 397 octets, all integers big-endian,
 * variable fields zero-padded to their maximum so the blob has one size:
 */
enum {
	BLOB_VERSION = 0,                            /* 1: 0x01 */
	BLOB_SUITE = 1,                              /* 1 */
	BLOB_NAF_KEY = 2,                            /* 32, SECRET */
	BLOB_RAND = BLOB_NAF_KEY + GBA_KDF_OUT_LEN,  /* 34: 16 */
	BLOB_NAF_ID_LEN = BLOB_RAND + GBA_RAND_LEN,  /* 50: 2 */
	BLOB_NAF_ID = BLOB_NAF_ID_LEN + 2,           /* 52: 260 */
	BLOB_P_TID_LEN = BLOB_NAF_ID + GBA_NAF_ID_MAX, /* 312: 1 */
	BLOB_P_TID = BLOB_P_TID_LEN + 1,             /* 313: 64 */
	BLOB_EXPIRY = BLOB_P_TID + GBA_PTID_MAX,     /* 377: 8 */
	BLOB_SN_C = BLOB_EXPIRY + 8,                 /* 385: 4 */
	BLOB_SN_H = BLOB_SN_C + 4,                   /* 389: 4 */
	BLOB_REPLAY = BLOB_SN_H + 4,                 /* 393: 4 */
	BLOB_END = BLOB_REPLAY + 4                   /* 397 */
};

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(BLOB_END == GPL_SA_BLOB_LEN, "SA blob layout");
#endif

/* Same field rules for init, encode and decode. */
static int sa_fields_ok(size_t naf_id_len, size_t p_tid_len, int suite)
{
	if (naf_id_len <= GBA_UA_ID_LEN || p_tid_len == 0)
		return GBA_ERR_BAD_PARAM;
	if (naf_id_len > GBA_NAF_ID_MAX || p_tid_len > GBA_PTID_MAX)
		return GBA_ERR_TOO_LARGE;
	if (!gpl_suite_find(suite))
		return GBA_ERR_UNSUPPORTED;
	return GBA_OK;
}

/* see gpl/gpl.h */
int gpl_sa_init(struct gpl_sa *sa, const uint8_t naf_key[GBA_KDF_OUT_LEN],
		const uint8_t *naf_id, size_t naf_id_len,
		const uint8_t rand[GBA_RAND_LEN], const uint8_t *p_tid,
		size_t p_tid_len, uint64_t expiry, uint8_t suite)
{
	int r;

	if (!sa)
		return GBA_ERR_BAD_PARAM;
	gba_cleanse(sa, sizeof(*sa));
	if (!naf_key || !naf_id || !rand || !p_tid)
		return GBA_ERR_BAD_PARAM;
	if ((r = sa_fields_ok(naf_id_len, p_tid_len, suite)) != GBA_OK)
		return r;
	memcpy(sa->naf_key, naf_key, GBA_KDF_OUT_LEN);
	memcpy(sa->naf_id, naf_id, naf_id_len);
	sa->naf_id_len = naf_id_len;
	memcpy(sa->rand, rand, GBA_RAND_LEN);
	memcpy(sa->p_tid, p_tid, p_tid_len);
	sa->p_tid_len = p_tid_len;
	sa->expiry = expiry;
	sa->suite = suite;
	return GBA_OK;
}

/* see gpl/gpl.h */
void gpl_sa_clear(struct gpl_sa *sa)
{
	if (sa)
		gba_cleanse(sa, sizeof(*sa));
}

/* see gpl/gpl.h */
int gpl_sa_encode(const struct gpl_sa *sa, uint8_t *out, size_t cap)
{
	if (!sa || !out)
		return GBA_ERR_BAD_PARAM;
	if (sa_fields_ok(sa->naf_id_len, sa->p_tid_len, sa->suite) != GBA_OK)
		return GBA_ERR_BAD_PARAM;
	if (cap < GPL_SA_BLOB_LEN)
		return GBA_ERR_NO_SPACE;
	memset(out, 0, GPL_SA_BLOB_LEN);
	out[BLOB_VERSION] = GPL_SA_BLOB_VERSION;
	out[BLOB_SUITE] = sa->suite;
	memcpy(out + BLOB_NAF_KEY, sa->naf_key, GBA_KDF_OUT_LEN);
	memcpy(out + BLOB_RAND, sa->rand, GBA_RAND_LEN);
	gba_put_be16(out + BLOB_NAF_ID_LEN, (uint16_t)sa->naf_id_len);
	memcpy(out + BLOB_NAF_ID, sa->naf_id, sa->naf_id_len);
	out[BLOB_P_TID_LEN] = (uint8_t)sa->p_tid_len;
	memcpy(out + BLOB_P_TID, sa->p_tid, sa->p_tid_len);
	gba_put_be64(out + BLOB_EXPIRY, sa->expiry);
	gba_put_be32(out + BLOB_SN_C, sa->sn_c);
	gba_put_be32(out + BLOB_SN_H, sa->sn_h);
	gba_put_be32(out + BLOB_REPLAY, sa->replay);
	return GBA_OK;
}

static int all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

static int sa_decode(const uint8_t *b, size_t len, struct gpl_sa *sa)
{
	size_t naf_id_len, p_tid_len;
	uint32_t sn_h, replay;

	if (len < 1)
		return GBA_ERR_TRUNCATED;
	if (b[BLOB_VERSION] != GPL_SA_BLOB_VERSION)
		return GBA_ERR_VERSION;
	if (len < GPL_SA_BLOB_LEN)
		return GBA_ERR_TRUNCATED;
	if (len > GPL_SA_BLOB_LEN)
		return GBA_ERR_TRAILING;
	if (!gpl_suite_find(b[BLOB_SUITE]))
		return GBA_ERR_UNSUPPORTED;
	naf_id_len = gba_get_be16(b + BLOB_NAF_ID_LEN);
	p_tid_len = b[BLOB_P_TID_LEN];
	if (naf_id_len > GBA_NAF_ID_MAX || p_tid_len > GBA_PTID_MAX)
		return GBA_ERR_TOO_LARGE;
	if (naf_id_len <= GBA_UA_ID_LEN || p_tid_len == 0)
		return GBA_ERR_MALFORMED;
	/* padding must be zero: one blob per SA state */
	if (!all_zero(b + BLOB_NAF_ID + naf_id_len,
		      GBA_NAF_ID_MAX - naf_id_len) ||
	    !all_zero(b + BLOB_P_TID + p_tid_len, GBA_PTID_MAX - p_tid_len))
		return GBA_ERR_MALFORMED;
	sn_h = gba_get_be32(b + BLOB_SN_H);
	replay = gba_get_be32(b + BLOB_REPLAY);
	/*
	 * The window never records SN 0 or below: with SN_h = h < 32 only bits
	 * 0..h-1 can be set, and bit 0 is set exactly when SN_h > 0.
	 */
	if ((sn_h == 0 && replay != 0) || (sn_h != 0 && !(replay & 1u)) ||
	    (sn_h < GPL_REPLAY_WINDOW && sn_h != 0 && (replay >> sn_h) != 0))
		return GBA_ERR_MALFORMED;
	sa->suite = b[BLOB_SUITE];
	memcpy(sa->naf_key, b + BLOB_NAF_KEY, GBA_KDF_OUT_LEN);
	memcpy(sa->rand, b + BLOB_RAND, GBA_RAND_LEN);
	memcpy(sa->naf_id, b + BLOB_NAF_ID, naf_id_len);
	sa->naf_id_len = naf_id_len;
	memcpy(sa->p_tid, b + BLOB_P_TID, p_tid_len);
	sa->p_tid_len = p_tid_len;
	sa->expiry = gba_get_be64(b + BLOB_EXPIRY);
	sa->sn_c = gba_get_be32(b + BLOB_SN_C);
	sa->sn_h = sn_h;
	sa->replay = replay;
	return GBA_OK;
}

/* see gpl/gpl.h */
int gpl_sa_decode(const uint8_t *buf, size_t len, struct gpl_sa *sa)
{
	int r;

	if (!sa)
		return GBA_ERR_BAD_PARAM;
	gba_cleanse(sa, sizeof(*sa));
	if (!buf && len)
		return GBA_ERR_BAD_PARAM;
	if (!buf)
		return GBA_ERR_TRUNCATED;
	r = sa_decode(buf, len, sa);
	if (r != GBA_OK)
		gba_cleanse(sa, sizeof(*sa));
	return r;
}
