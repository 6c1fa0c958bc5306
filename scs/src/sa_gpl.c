/*
 * see scs/scs.h - the GPL SA inside the SCS's NAF SA (TS 33.224 via
 * gpl/gpl.h).  The SCS keeps gpl's own SA blob (GPL_SA_BLOB_LEN octets,
 * secret) in the SA file and checks, when loading, that it names the same
 * key, RAND, NAF_Id and P-TID as the surrounding file.
 */
#include <string.h>
#include "gba/crypto.h"
#include "gpl/gpl.h"
#include "scs/scs.h"
#include "scs_i.h"

/*
 * 1 if @sa's Ks_NAF is a Generic Push Layer key: its NAF_Id ends in GPL's
 * Ua security protocol id (TS 33.220 Annex H: 01 00 00 00 05, TS 33.224).
 * Ks_NAF is derived from the NAF_Id, Ua id included, so that a key of one
 * Ua protocol is never used by another (TS 33.220 clause 4.5.2); an SA
 * requested with another --ua-id carries a key that GPL must not use.
 */
static int is_gpl(const struct scs_sa *sa)
{
	static const uint8_t gpl[GBA_UA_ID_LEN] = SCS_UA_ID_GPL;

	return memcmp(sa->ua_id, gpl, sizeof(gpl)) == 0;
}

int scs_sa_gpl_init(struct scs_sa *sa)
{
	struct gpl_sa g;
	int r;

	sa->gpl_sa_len = 0;
	if (!is_gpl(sa))
		return GBA_OK;
	r = gpl_sa_init(&g, sa->naf_key, sa->naf_id, sa->naf_id_len, sa->rand,
			(const uint8_t *)sa->p_tid, strlen(sa->p_tid),
			sa->key_expiry, SCS_GPL_SUITE);
	if (r == GBA_OK &&
	    (r = gpl_sa_encode(&g, sa->gpl_sa, sizeof(sa->gpl_sa))) == GBA_OK)
		sa->gpl_sa_len = GPL_SA_BLOB_LEN;
	gpl_sa_clear(&g);
	return r;
}

int scs_sa_gpl_get(const struct scs_sa *sa, struct gpl_sa *g)
{
	int r;

	memset(g, 0, sizeof(*g));
	if (sa->gpl_sa_len == 0)
		return GBA_ERR_STATE;
	if ((r = gpl_sa_decode(sa->gpl_sa, sa->gpl_sa_len, g)) != GBA_OK)
		return r;
	/* the GPL SA must be this NAF SA's (a spliced file is refused) */
	if (!gba_ct_eq(g->naf_key, sa->naf_key, SCS_KEY_LEN) ||
	    memcmp(g->rand, sa->rand, GBA_RAND_LEN) != 0 ||
	    g->naf_id_len != sa->naf_id_len ||
	    memcmp(g->naf_id, sa->naf_id, sa->naf_id_len) != 0 ||
	    g->p_tid_len != strlen(sa->p_tid) ||
	    memcmp(g->p_tid, sa->p_tid, g->p_tid_len) != 0 ||
	    g->expiry != sa->key_expiry) {
		gpl_sa_clear(g);
		return GBA_ERR_INCONSISTENT;
	}
	return GBA_OK;
}

int scs_sa_gpl_check(const struct scs_sa *sa)
{
	struct gpl_sa g;
	int r;

	if (!is_gpl(sa))
		return sa->gpl_sa_len ? GBA_ERR_MALFORMED : GBA_OK;
	r = scs_sa_gpl_get(sa, &g);
	gpl_sa_clear(&g);
	/* a GPL SA file without its GPL SA is as malformed as one spliced */
	return r == GBA_ERR_INCONSISTENT || r == GBA_ERR_STATE ? GBA_ERR_MALFORMED
								 : r;
}

/* see scs/scs.h */
int scs_sa_sn_c(const struct scs_sa *sa, uint32_t *sn_c)
{
	struct gpl_sa g;
	int r = scs_sa_gpl_get(sa, &g);

	*sn_c = r ? 0 : g.sn_c;
	gpl_sa_clear(&g);
	return r;
}

/* see scs/scs.h */
int scs_sa_protect(struct scs_sa *sa, uint64_t now, const uint8_t *payload,
		   size_t payload_len, uint8_t *out, size_t cap,
		   size_t *out_len)
{
	struct gpl_sa g;
	uint8_t blob[GPL_SA_BLOB_LEN];
	int r;

	*out_len = 0;
	/* an SA file copied or restored may hold an old SN_c (docs/scs.md) */
	if (!sa->bound) {
		if (out && cap)
			gba_cleanse(out, cap);
		return GBA_ERR_SA_UNBOUND;
	}
	memset(&g, 0, sizeof(g));
	if (!is_gpl(sa)) {
		r = GBA_ERR_UNSUPPORTED;
		goto out;
	}
	if ((r = scs_sa_gpl_get(sa, &g)) != GBA_OK ||
	    (r = gpl_protect(&g, now, payload, payload_len, out, cap,
			     out_len)) != GBA_OK ||
	    (r = gpl_sa_encode(&g, blob, sizeof(blob))) != GBA_OK)
		goto out;
	/* commit SN_c into @sa only once everything succeeded (C5) */
	memcpy(sa->gpl_sa, blob, sizeof(blob));
out:
	if (r && out && cap)
		gba_cleanse(out, cap);
	if (r)
		*out_len = 0;
	gpl_sa_clear(&g);
	gba_cleanse(blob, sizeof(blob));
	return r;
}
