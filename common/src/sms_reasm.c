/* see gba/sms_reasm.h (TS 23.040 clause 9.2.3.24.1 concatenation) */
#include <string.h>
#include "gba/sms.h"

#define SLOT_FREE 0
#define SLOT_PARTIAL 1
#define SLOT_DONE 2

void gba_sms_reasm_init(struct gba_sms_reasm *r, uint64_t timeout)
{
	memset(r, 0, sizeof(*r));
	r->timeout = timeout;
}

static void msg_fill(struct gba_sms_msg *m, const struct gba_sms_addr *orig,
		     uint8_t alphabet, uint8_t has_port, uint8_t port16,
		     uint16_t dst, uint16_t src)
{
	m->orig = *orig;
	m->alphabet = alphabet;
	m->has_port = has_port;
	m->port16 = port16;
	m->dst_port = dst;
	m->src_port = src;
}

static size_t slot_bytes(const struct gba_sms_reasm_slot *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->total; i++)
		if (s->have & (1u << i))
			n += s->seg_len[i];
	return n;
}

static struct gba_sms_reasm_slot *slot_pick(struct gba_sms_reasm *r)
{
	struct gba_sms_reasm_slot *best = NULL;
	size_t i;
	int pass;

	/* free first, then the oldest completed, then the oldest partial */
	for (pass = SLOT_FREE; pass <= SLOT_DONE; pass++) {
		int want = pass == 0 ? SLOT_FREE :
			   pass == 1 ? SLOT_DONE : SLOT_PARTIAL;

		for (i = 0; i < GBA_SMS_REASM_SLOTS; i++) {
			struct gba_sms_reasm_slot *s = &r->slot[i];

			if (s->state == want &&
			    (!best || s->order < best->order))
				best = s;
		}
		if (best)
			return best;
	}
	return &r->slot[0];
}

int gba_sms_reasm_add(struct gba_sms_reasm *r, uint64_t now,
		      const struct gba_sms_tpdu *t, struct gba_sms_msg *msg,
		      uint8_t *out, size_t cap)
{
	struct gba_sms_reasm_slot *s = NULL, *reuse = NULL;
	struct gba_sms_udh parsed;
	const struct gba_sms_udh *u = &parsed;
	size_t i, idx, need;
	int rc;

	if (!msg)
		return GBA_ERR_BAD_PARAM;
	memset(msg, 0, sizeof(*msg));
	if (!r || !t || (cap && !out))
		return GBA_ERR_BAD_PARAM;
	/* first: a GSM 7-bit TPDU counts data_len in septets (up to 160 - the
	 * header), so the octet bound below does not apply to it */
	if (gba_sms_dcs_alphabet(t->dcs) == GBA_SMS_ALPHA_GSM7)
		return GBA_ERR_UNSUPPORTED;
	if (t->data_len > GBA_SMS_UD_MAX || (t->data_len && !t->data))
		return GBA_ERR_BAD_PARAM;
	/* a decoded TPDU carries its parsed UDH; one built by hand is
	 * parsed here */
	memset(&parsed, 0, sizeof(parsed));
	if (t->udh_decoded)
		u = &t->udh_ies;
	else if (t->udhi &&
		 (rc = gba_sms_udh_parse(t->udh, t->udh_len, &parsed)) != 0)
		return rc;
	/* drop partial messages past their lifetime */
	for (i = 0; r->timeout && i < GBA_SMS_REASM_SLOTS; i++)
		if (r->slot[i].state != SLOT_FREE &&
		    now >= r->slot[i].t_first &&
		    now - r->slot[i].t_first > r->timeout)
			memset(&r->slot[i], 0, sizeof(r->slot[i]));

	if (!u->has_concat) {
		/* a message of its own (also: invalid concat IE ignored) */
		if (t->data_len > cap)
			return GBA_ERR_NO_SPACE;
		if (t->data_len)
			memcpy(out, t->data, t->data_len);
		msg_fill(msg, &t->addr, gba_sms_dcs_alphabet(t->dcs),
			 u->has_port, u->port16, u->dst_port, u->src_port);
		msg->nseg = 1;
		msg->data = out;
		msg->len = t->data_len;
		return GBA_OK;
	}
	if (u->total > GBA_SMS_REASM_MAX_SEGS)
		return GBA_ERR_TOO_LARGE;
	idx = u->seq - 1u;
	for (i = 0; i < GBA_SMS_REASM_SLOTS; i++) {
		struct gba_sms_reasm_slot *c = &r->slot[i];

		if (c->state != SLOT_FREE && c->ref16 == u->concat16 &&
		    c->ref == u->ref && gba_sms_addr_eq(&c->orig, &t->addr)) {
			s = c;
			break;
		}
	}
	if (s && s->state == SLOT_DONE &&
	    !(s->total == u->total &&
	      s->alphabet == gba_sms_dcs_alphabet(t->dcs) &&
	      s->seg_len[idx] == t->data_len &&
	      memcmp(s->seg[idx], t->data, t->data_len) == 0)) {
		/* not a late duplicate: a new message reusing the key
		 * (references wrap); the completed record is forgotten */
		reuse = s;
		s = NULL;
	}
	if (reuse && reuse->again && reuse->total == u->total &&
	    reuse->alphabet == gba_sms_dcs_alphabet(t->dcs) &&
	    !(u->has_port && reuse->has_port &&
	      (reuse->port16 != u->port16 || reuse->dst_port != u->dst_port ||
	       reuse->src_port != u->src_port))) {
		/* a new message whose earlier segments matched the completed
		 * one (a resend after a corrupted copy): keep those */
		uint32_t keep = reuse->again & ~(1u << idx);
		size_t kept = 0;

		for (need = t->data_len, i = 0; i < reuse->total; i++)
			if (keep & (1u << i)) {
				kept++;
				need += reuse->seg_len[i];
			}
		if (kept + 1u == reuse->total && need > cap)
			return GBA_ERR_NO_SPACE;
		s = reuse;
		reuse = NULL;
		for (i = 0; i < GBA_SMS_REASM_MAX_SEGS; i++)
			if (!(keep & (1u << i))) {
				memset(s->seg[i], 0, sizeof(s->seg[i]));
				s->seg_len[i] = 0;
			}
		s->have = keep;
		s->again = 0;
		s->nrecv = (uint8_t)kept;
		s->state = SLOT_PARTIAL;
		s->t_first = now;
		s->order = ++r->counter;
	}
	if (s) {
		if (s->total != u->total ||
		    s->alphabet != gba_sms_dcs_alphabet(t->dcs) ||
		    (u->has_port && s->has_port &&
		     (s->port16 != u->port16 || s->dst_port != u->dst_port ||
		      s->src_port != u->src_port)))
			return GBA_ERR_INCONSISTENT;
		if (s->have & (1u << idx)) {
			if (s->seg_len[idx] != t->data_len ||
			    memcmp(s->seg[idx], t->data, t->data_len) != 0)
				return GBA_ERR_DUPLICATE;
			if (s->state != SLOT_DONE)
				return GBA_ERR_INCOMPLETE;
			s->again |= 1u << idx;
			return GBA_ERR_EXISTS;
		}
		need = slot_bytes(s) + t->data_len;
		if (s->nrecv + 1u == s->total && need > cap)
			return GBA_ERR_NO_SPACE;
	} else {
		if (u->total == 1 && t->data_len > cap)
			return GBA_ERR_NO_SPACE;
		s = reuse ? reuse : slot_pick(r);
		memset(s, 0, sizeof(*s));
		s->state = SLOT_PARTIAL;
		s->ref16 = u->concat16;
		s->ref = u->ref;
		s->total = u->total;
		s->alphabet = gba_sms_dcs_alphabet(t->dcs);
		s->orig = t->addr;
		s->t_first = now;
		s->order = ++r->counter;
	}
	if (u->has_port && !s->has_port) {
		s->has_port = 1;
		s->port16 = u->port16;
		s->dst_port = u->dst_port;
		s->src_port = u->src_port;
	}
	if (t->data_len)
		memcpy(s->seg[idx], t->data, t->data_len);
	s->seg_len[idx] = (uint8_t)t->data_len;
	s->have |= 1u << idx;
	s->nrecv++;
	if (s->nrecv < s->total)
		return GBA_ERR_INCOMPLETE;
	/* complete: concatenate in sequence order into the caller's buffer */
	need = 0;
	for (i = 0; i < s->total; i++) {
		if (s->seg_len[i])
			memcpy(out + need, s->seg[i], s->seg_len[i]);
		need += s->seg_len[i];
	}
	s->state = SLOT_DONE;
	msg_fill(msg, &s->orig, s->alphabet, s->has_port, s->port16,
		 s->dst_port, s->src_port);
	msg->nseg = s->total;
	msg->ref = s->ref;
	msg->data = out;
	msg->len = need;
	return GBA_OK;
}
