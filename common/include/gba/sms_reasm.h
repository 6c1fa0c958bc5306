/*
 * gba/sms_reasm.h - reassembly of concatenated short messages in
 * caller-owned, fixed storage (no heap).
 *
 * 3GPP TS 23.040 V17.x clause 9.2.3.24.1 (concatenated short messages,
 * 8-bit reference) and 9.2.3.24.8 (16-bit reference); application port
 * addressing per 9.2.3.24.3 / 9.2.3.24.4.  What TS 23.040 leaves open
 * (repeats, eviction, lifetime) is a project choice, documented in
 * docs/wire-formats.md ("SMS, WAP Push and the GPI push").
 *
 * Included by gba/sms.h, which defines the TPDU it consumes.
 */
#ifndef GBA_SMS_REASM_H
#define GBA_SMS_REASM_H

#include "gba/sms.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- reassembly (caller-owned storage, no heap) ---- */

/*
 * Compile-time sizes; a build may override them (the same value in every
 * translation unit: firmware profiles, docs/firmware-integration.md).
 */
#ifndef GBA_SMS_REASM_SLOTS
#define GBA_SMS_REASM_SLOTS 4     /* partial or recently completed msgs */
#endif
#ifndef GBA_SMS_REASM_MAX_SEGS
#define GBA_SMS_REASM_MAX_SEGS 16 /* largest total accepted */
#endif
#define GBA_SMS_REASM_MSG_MAX (GBA_SMS_REASM_MAX_SEGS * GBA_SMS_UD_MAX)
#ifndef __cplusplus
/* slot indexes and nrecv are octets; have is a 32-bit segment bitmap */
_Static_assert(GBA_SMS_REASM_SLOTS >= 1 && GBA_SMS_REASM_SLOTS <= 255,
	       "GBA_SMS_REASM_SLOTS must be 1..255");
_Static_assert(GBA_SMS_REASM_MAX_SEGS >= 1 && GBA_SMS_REASM_MAX_SEGS <= 32 &&
		       GBA_SMS_REASM_MAX_SEGS <= GBA_SMS_SEG_MAX,
	       "GBA_SMS_REASM_MAX_SEGS must be 1..32 (32-bit segment bitmap)");
#endif

struct gba_sms_reasm_slot {
	uint8_t state;       /* 0 free, 1 partial, 2 completed */
	uint8_t ref16, total, nrecv;
	uint16_t ref;
	uint8_t alphabet;
	uint8_t has_port, port16;
	uint16_t dst_port, src_port;
	uint64_t t_first;    /* caller time of the first segment */
	uint64_t order;      /* arrival counter, for eviction */
	struct gba_sms_addr orig;
	uint32_t have;       /* bit i: segment i + 1 stored */
	uint32_t again;      /* completed: bit i: segment i + 1 seen again */
	uint8_t seg_len[GBA_SMS_REASM_MAX_SEGS];
	uint8_t seg[GBA_SMS_REASM_MAX_SEGS][GBA_SMS_UD_MAX];
};

/* Contents opaque by contract; size visible so callers can own it. */
struct gba_sms_reasm {
	uint64_t timeout;    /* partial lifetime in caller time units, 0 = none */
	uint64_t counter;
	struct gba_sms_reasm_slot slot[GBA_SMS_REASM_SLOTS];
};

/* A complete datagram handed out by gba_sms_reasm_add(). */
struct gba_sms_msg {
	struct gba_sms_addr orig;  /* TP-OA (TP-DA for a SUBMIT) */
	uint8_t alphabet;          /* GBA_SMS_ALPHA_8BIT or _UCS2 */
	uint8_t has_port, port16;
	uint16_t dst_port, src_port;
	uint8_t nseg;              /* 1 for an unconcatenated message */
	uint16_t ref;              /* when nseg > 1 or concat IE present */
	const uint8_t *data;       /* the caller's out buffer */
	size_t len;
};

/**
 * gba_sms_reasm_init() - clear a reassembler.
 * @timeout: [in] partial messages whose first segment is older than this
 *           (in the units of the @now passed to gba_sms_reasm_add) are
 *           dropped; 0 = never (only eviction).
 */
GBA_EXPORT void gba_sms_reasm_init(struct gba_sms_reasm *r, uint64_t timeout);

/**
 * gba_sms_reasm_add() - feed one decoded TPDU.  Key = (originator,
 * reference width, reference); the total must agree.  Segments may come in
 * any order.  When no slot is free, a completed slot and then the oldest
 * partial is evicted.
 * @now: [in] caller's monotonic time (any unit, see init)
 * @t:   [in] a decoded TPDU (8-bit or UCS2 data)
 * @out/@cap: [out] buffer for the datagram (GBA_SMS_REASM_MSG_MAX is
 *       always enough); @msg->data points into it.
 * Return: GBA_OK: @msg holds a complete datagram (unconcatenated messages
 * complete at once); GBA_ERR_INCOMPLETE: stored, more segments needed (also
 * for an identical duplicate of a stored segment, which is ignored);
 * GBA_ERR_EXISTS: identical duplicate of a segment of a message already
 * completed, ignored (but remembered: if a segment that differs follows
 * with the same key, it starts a new message that keeps the segments seen
 * again, so a message resent after a corrupted copy completed, with the
 * unchanged segments first, still completes); GBA_ERR_DUPLICATE: same segment number, different
 * content (segment dropped, stored state kept); GBA_ERR_INCONSISTENT: total,
 * alphabet or port addressing differs from the stored segments (segment
 * dropped); GBA_ERR_TOO_LARGE: total above GBA_SMS_REASM_MAX_SEGS;
 * GBA_ERR_UNSUPPORTED: GSM 7-bit user data; GBA_ERR_NO_SPACE: @cap too
 * small (nothing stored); GBA_ERR_BAD_PARAM.  On any error the stored state
 * is unchanged (apart from slots expired by @now, which expire first).
 */
GBA_EXPORT int gba_sms_reasm_add(struct gba_sms_reasm *r, uint64_t now,
				 const struct gba_sms_tpdu *t,
				 struct gba_sms_msg *msg, uint8_t *out,
				 size_t cap) GBA_WARN_UNUSED;

#ifdef __cplusplus
}
#endif
#endif
