/*
 * The persisted state blob of the UE agent (format: docs/ue-agent.md
 * "State blob"; a project format, not from a 3GPP spec).
 *
 *   magic "GBUE" | version 0x01 | slots N | history H | 0x00
 *   N x { used(1) | gba_u(1) | stamp(8) | gpl_sa blob (GPL_SA_BLOB_LEN) }
 *   stamp counter (8) | history count (4) | H x RAND (16)
 *   SHA-256 of everything before (32)
 * Integers big-endian.  Unused slots are all zero.  The SHA-256 detects
 * corruption only; it is not a MAC (the storage must be private).
 */
#include <string.h>
#include "agent_i.h"
#include "gba/crypto.h"
#include "gba/cursor.h"

static const uint8_t magic[4] = {'G', 'B', 'U', 'E'};
#define STATE_VERSION 0x01

int gbaue_state_encode_(const struct gbaue_ctx *ctx, uint8_t *out, size_t cap,
			size_t *out_len)
{
	const uint8_t *a[1];
	size_t l[1], k = 0, i;
	int r;

	*out_len = 0;
	if (cap < GBAUE_STATE_BLOB_LEN)
		return GBA_ERR_NO_SPACE;
	memset(out, 0, GBAUE_STATE_BLOB_LEN);
	memcpy(out, magic, 4);
	out[4] = STATE_VERSION;
	out[5] = GBAUE_SA_SLOTS;
	out[6] = GBAUE_RAND_HISTORY;
	k = 8;
	for (i = 0; i < GBAUE_SA_SLOTS; i++) {
		const struct gbaue_slot_ *s = &ctx->slot[i];

		if (s->used) {
			out[k] = 1;
			out[k + 1] = s->gba_u ? 1 : 0;
			gba_put_be64(out + k + 2, s->stamp);
			if ((r = gpl_sa_encode(&s->sa, out + k + 10,
					       GPL_SA_BLOB_LEN)) != GBA_OK)
				goto fail;
		}
		k += GBAUE_SLOT_REC_LEN;
	}
	gba_put_be64(out + k, ctx->stamp);
	gba_put_be32(out + k + 8, ctx->rand_hist_n);
	k += 12;
	for (i = 0; i < GBAUE_RAND_HISTORY; i++, k += GBA_RAND_LEN)
		memcpy(out + k, ctx->rand_hist[i], GBA_RAND_LEN);
	a[0] = out;
	l[0] = k;
	if ((r = gba_sha256_vec(1, a, l, out + k)) != GBA_OK)
		goto fail;
	*out_len = k + 32;
	return GBA_OK;
fail:
	gba_cleanse(out, GBAUE_STATE_BLOB_LEN);
	return r;
}

/* One pass: @apply = 0 validates only, 1 writes into @ctx. */
static int decode_pass(struct gbaue_ctx *ctx, const uint8_t *buf, int apply)
{
	struct gpl_sa sa;
	size_t k = 8, i;
	int r = GBA_OK;

	for (i = 0; i < GBAUE_SA_SLOTS; i++, k += GBAUE_SLOT_REC_LEN) {
		const uint8_t *rec = buf + k;
		size_t j;

		if (rec[0] == 0) {
			for (j = 1; j < GBAUE_SLOT_REC_LEN; j++)
				if (rec[j])
					return GBA_ERR_MALFORMED;
			if (apply)
				gba_cleanse(&ctx->slot[i],
					    sizeof(ctx->slot[i]));
			continue;
		}
		if (rec[0] != 1 || rec[1] > 1)
			return GBA_ERR_MALFORMED;
		if ((r = gpl_sa_decode(rec + 10, GPL_SA_BLOB_LEN, &sa)) !=
		    GBA_OK)
			return GBA_ERR_MALFORMED;
		if (apply) {
			ctx->slot[i].used = 1;
			ctx->slot[i].gba_u = rec[1];
			ctx->slot[i].stamp = gba_get_be64(rec + 2);
			ctx->slot[i].sa = sa;
		}
		gpl_sa_clear(&sa);
	}
	if (apply) {
		ctx->stamp = gba_get_be64(buf + k);
		ctx->rand_hist_n = gba_get_be32(buf + k + 8);
		k += 12;
		for (i = 0; i < GBAUE_RAND_HISTORY; i++, k += GBA_RAND_LEN)
			memcpy(ctx->rand_hist[i], buf + k, GBA_RAND_LEN);
	}
	return GBA_OK;
}

int gbaue_state_decode_(struct gbaue_ctx *ctx, const uint8_t *buf, size_t len)
{
	const uint8_t *a[1];
	size_t l[1];
	uint8_t md[32];
	int r;

	if (len < 8)
		return GBA_ERR_TRUNCATED;
	if (memcmp(buf, magic, 4) != 0)
		return GBA_ERR_MALFORMED;
	if (buf[4] != STATE_VERSION)
		return GBA_ERR_VERSION;
	/* a blob written with other compile-time sizes is refused */
	if (buf[5] != GBAUE_SA_SLOTS || buf[6] != GBAUE_RAND_HISTORY ||
	    buf[7] != 0)
		return GBA_ERR_MALFORMED;
	if (len < GBAUE_STATE_BLOB_LEN)
		return GBA_ERR_TRUNCATED;
	if (len > GBAUE_STATE_BLOB_LEN)
		return GBA_ERR_TRAILING;
	a[0] = buf;
	l[0] = len - 32;
	if ((r = gba_sha256_vec(1, a, l, md)) != GBA_OK)
		return r;
	if (!gba_ct_eq(md, buf + len - 32, 32))
		return GBA_ERR_MALFORMED;
	if ((r = decode_pass(ctx, buf, 0)) != GBA_OK)
		return r;
	return decode_pass(ctx, buf, 1);
}
