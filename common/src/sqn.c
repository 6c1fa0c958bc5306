/*
 * see gba/sqn.h - TS 33.102 V17.0.0 Annex C (SQN = SEQ || IND, the SEQ_MS
 * array in the USIM), clause 6.3.5 (HE resynchronisation).
 */
#include <string.h>
#include "gba/sqn.h"

/* Largest SEQ that fits beside @ind_bits of IND in 48 bits. */
static uint64_t seq_max(unsigned ind_bits)
{
	return GBA_SQN_MAX >> ind_bits;
}

static uint64_t ind_mask(unsigned ind_bits)
{
	return (UINT64_C(1) << ind_bits) - 1;
}

void gba_sqn_policy_default(struct gba_sqn_policy *pol)
{
	pol->ind_bits = GBA_SQN_IND_BITS_DEFAULT;
	pol->delta = GBA_SQN_DELTA_DEFAULT;
	pol->l = GBA_SQN_L_DEFAULT;
}

int gba_sqn_ms_init(struct gba_sqn_ms *ms, const struct gba_sqn_policy *pol)
{
	if (!ms)
		return GBA_ERR_BAD_PARAM;
	memset(ms, 0, sizeof(*ms));
	if (!pol || pol->ind_bits > GBA_SQN_IND_BITS_MAX)
		return GBA_ERR_BAD_PARAM;
	ms->pol = *pol;
	return GBA_OK;
}

/* SEQ_MS: the highest SEQ accepted anywhere in the array (Annex C.2). */
static uint64_t seq_ms_highest(const struct gba_sqn_ms *ms)
{
	return ms->seq_ms[ms->ind_ms & (GBA_SQN_ARRAY_MAX - 1)];
}

int gba_sqn_ms_check(const struct gba_sqn_ms *ms, uint64_t sqn)
{
	uint64_t seq, top;
	unsigned ind, b;

	if (!ms || ms->pol.ind_bits > GBA_SQN_IND_BITS_MAX || sqn > GBA_SQN_MAX)
		return GBA_ERR_BAD_PARAM;
	b = ms->pol.ind_bits;
	seq = sqn >> b;
	ind = (unsigned)(sqn & ind_mask(b));
	top = seq_ms_highest(ms);

	/* C.2.2 freshness: SEQ > SEQ_MS(IND) in its own slot */
	if (seq <= ms->seq_ms[ind])
		return GBA_ERR_SYNC;
	/* C.2 wrap-around: SEQ - SEQ_MS <= Delta ("before ... C.2.2") */
	if (ms->pol.delta && seq > top && seq - top > ms->pol.delta)
		return GBA_ERR_SYNC;
	/* C.2 optional age limit: SEQ_MS - SEQ < L */
	if (ms->pol.l && seq < top && top - seq >= ms->pol.l)
		return GBA_ERR_SYNC;
	return GBA_OK;
}

void gba_sqn_ms_accept(struct gba_sqn_ms *ms, uint64_t sqn)
{
	uint64_t seq;
	unsigned ind, b;

	if (!ms || ms->pol.ind_bits > GBA_SQN_IND_BITS_MAX || sqn > GBA_SQN_MAX)
		return;
	b = ms->pol.ind_bits;
	seq = sqn >> b;
	ind = (unsigned)(sqn & ind_mask(b));
	/* monotone: a slot never goes back, whatever the caller passes */
	if (seq > ms->seq_ms[ind])
		ms->seq_ms[ind] = seq;
	if (seq > seq_ms_highest(ms))
		ms->ind_ms = (uint8_t)ind;
}

uint64_t gba_sqn_ms_highest(const struct gba_sqn_ms *ms)
{
	unsigned b = ms->pol.ind_bits;

	if (b > GBA_SQN_IND_BITS_MAX)
		return 0;
	/* C.2 / 6.3.3: SQN_MS = SEQ_MS || IND_MS, the highest in the array */
	return (seq_ms_highest(ms) << b) | (ms->ind_ms & ind_mask(b));
}

int gba_sqn_make(uint64_t seq, unsigned ind, unsigned ind_bits, uint64_t *sqn)
{
	if (!sqn)
		return GBA_ERR_BAD_PARAM;
	*sqn = 0;
	if (ind_bits > GBA_SQN_IND_BITS_MAX || seq > seq_max(ind_bits) ||
	    (uint64_t)ind > ind_mask(ind_bits))
		return GBA_ERR_BAD_PARAM;
	*sqn = (seq << ind_bits) | ind;
	return GBA_OK;
}

uint64_t gba_sqn_seq(uint64_t sqn, unsigned ind_bits)
{
	if (ind_bits > GBA_SQN_IND_BITS_MAX || sqn > GBA_SQN_MAX)
		return GBA_SQN_INVALID;
	return sqn >> ind_bits;
}

unsigned gba_sqn_ind(uint64_t sqn, unsigned ind_bits)
{
	if (ind_bits > GBA_SQN_IND_BITS_MAX || sqn > GBA_SQN_MAX)
		return GBA_SQN_IND_INVALID;
	return (unsigned)(sqn & ind_mask(ind_bits));
}

int gba_sqn_he_next(uint64_t *seq_he, unsigned ind, unsigned ind_bits,
		    uint64_t *sqn)
{
	uint64_t next;

	if (!seq_he || !sqn)
		return GBA_ERR_BAD_PARAM;
	*sqn = 0;
	if (ind_bits > GBA_SQN_IND_BITS_MAX ||
	    (uint64_t)ind > ind_mask(ind_bits) || *seq_he > seq_max(ind_bits))
		return GBA_ERR_BAD_PARAM;
	/* SEQ_HE = SEQ_HE + 1 for each new AV; SQN = SEQ_HE || IND */
	if (*seq_he == seq_max(ind_bits))
		return GBA_ERR_SQN_EXHAUSTED;
	next = *seq_he + 1;
	*sqn = (next << ind_bits) | ind;
	*seq_he = next; /* commit only on success */
	return GBA_OK;
}

int gba_sqn_he_resync_pol(uint64_t *seq_he, uint64_t sqn_ms,
			  const struct gba_sqn_policy *pol)
{
	uint64_t seq_ms;

	if (!seq_he || !pol || pol->ind_bits > GBA_SQN_IND_BITS_MAX ||
	    sqn_ms > GBA_SQN_MAX)
		return GBA_ERR_BAD_PARAM;
	seq_ms = sqn_ms >> pol->ind_bits;
	/*
	 * 6.3.5 steps 2-5: keep SEQ_HE when the next SEQ the HE generates
	 * (SEQ_HE + 1) would be accepted by a USIM whose highest SEQ is
	 * SEQ_MS, i.e. SEQ_HE + 1 > SEQ_MS (then it is above every slot) and,
	 * with Delta on, SEQ_HE + 1 - SEQ_MS <= Delta; otherwise reset
	 * SEQ_HE to SEQ_MS.
	 */
	if (*seq_he >= seq_ms && (!pol->delta || *seq_he - seq_ms < pol->delta))
		return GBA_OK;
	*seq_he = seq_ms;
	return GBA_OK;
}

void gba_sqn_he_resync(uint64_t *seq_he, uint64_t sqn_ms, unsigned ind_bits)
{
	struct gba_sqn_policy pol;

	gba_sqn_policy_default(&pol);
	pol.ind_bits = ind_bits;
	/* only GBA_ERR_BAD_PARAM is possible, and then nothing changed */
	if (gba_sqn_he_resync_pol(seq_he, sqn_ms, &pol) != GBA_OK)
		return;
}

void gba_sqn_to_bytes(uint64_t sqn, uint8_t out[6])
{
	int i;

	for (i = 5; i >= 0; i--) {
		out[i] = (uint8_t)(sqn & 0xff);
		sqn >>= 8;
	}
}

uint64_t gba_sqn_from_bytes(const uint8_t in[6])
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 6; i++)
		v = (v << 8) | in[i];
	return v;
}

/*
 * IND per requesting node: PROJECT CHOICE, unconfirmed (docs/sqn.md).  GBA
 * Push gets its own slot because a GPI may reach the UE long after it was
 * made (SMS store and forward), after AVs for other nodes were used.
 */
static const struct {
	unsigned ind;
	const char *name;
} node_table[GBA_SQN_NODE_COUNT_] = {
	[GBA_SQN_NODE_CS] = {0, "cs"},
	[GBA_SQN_NODE_PS] = {1, "ps"},
	[GBA_SQN_NODE_IMS] = {2, "ims"},
	[GBA_SQN_NODE_BSF_UB] = {3, "bsf-ub"},
	[GBA_SQN_NODE_BSF_PUSH] = {4, "bsf-push"},
};

unsigned gba_sqn_node_ind(enum gba_sqn_node node)
{
	if ((unsigned)node >= GBA_SQN_NODE_COUNT_)
		return GBA_SQN_IND_INVALID;
	return node_table[node].ind;
}

const char *gba_sqn_node_name(enum gba_sqn_node node)
{
	if ((unsigned)node >= GBA_SQN_NODE_COUNT_)
		return "unknown";
	return node_table[node].name;
}
