/*
 * gba/wsp.h - WSP connectionless Push PDU over WDP (OMA Push OTA).
 *
 * WAP-230-WSP-20010705-a: 8.2.4.1 (Push PDU: TID, PDU type 0x06,
 * HeadersLen uintvar, Content-Type, Headers, Data), 8.1.2 (uintvar),
 * 8.4.2.1 (Short-integer, Long-integer, Value-length, Text-string),
 * 8.4.2.24 (Content-type-value), 8.4.2.6/8.4.1 (header field names, code
 * page shifts).  X-Wap-Application-Id = header code 0x2F (octet 0xAF) from
 * the OMNA push header registry.  WDP port 2948 (wap-push) from IANA.
 * PDU layout confirmed, most encoding details unconfirmed (widely
 * implemented): docs/spec-facts.md section 11.
 *
 * No heap, no stdio.  Decoders return views into the input.
 */
#ifndef GBA_WSP_H
#define GBA_WSP_H

#include <stddef.h>
#include <stdint.h>
#include "gba/cursor.h"
#include "gba/err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GBA_WSP_PDU_PUSH 0x06          /* PDU type Push */
#define GBA_WSP_HDR_APP_ID 0x2F        /* X-Wap-Application-Id (0xAF) */
#define GBA_WDP_PORT_PUSH 2948         /* wap-push, connectionless */
#define GBA_WDP_PORT_WSP 9200          /* wap-wsp, usual source port */
#define GBA_WSP_UINTVAR_MAX_LEN 5      /* octets, 32 bits */

/* Content-Type forms. */
#define GBA_WSP_CT_SHORT 1   /* Short-integer: one octet 0x80|code */
#define GBA_WSP_CT_TEXT 2    /* Constrained-media Extension-media text */
#define GBA_WSP_CT_GEN_INT 3 /* Value-length + Integer-value [+ params] */
#define GBA_WSP_CT_GEN_TEXT 4 /* Value-length + Text-string [+ params] */

struct gba_wsp_ctype {
	uint8_t form;         /* GBA_WSP_CT_* */
	uint32_t code;        /* SHORT, GEN_INT: well-known/registered code */
	const char *text;     /* TEXT, GEN_TEXT: media type, no NUL */
	size_t text_len;
	const uint8_t *params; /* GEN_*: raw parameter octets (not parsed) */
	size_t params_len;
};

struct gba_wsp_appid {
	uint8_t present;
	uint8_t is_text;      /* 1: Uri-value text, 0: App-assigned code */
	uint32_t code;
	const char *text;     /* no NUL */
	size_t text_len;
};

/* A decoded Push PDU (views into the decoder input). */
struct gba_wsp_push {
	uint8_t tid;
	struct gba_wsp_ctype ct;
	struct gba_wsp_appid app_id;
	const uint8_t *headers;  /* the header octets after the Content-Type */
	size_t headers_len;
	uint8_t n_headers;       /* headers walked */
	const uint8_t *body;
	size_t body_len;
};

/* ---- primitives (8.1.2, 8.4.2.1) ---- */

/**
 * gba_wsp_uintvar_get() - read a uintvar (big-endian base-128, at most 5
 * octets, value at most 2^32 - 1; non-minimal leading 0x80 octets are
 * accepted within the 5).
 * Return: GBA_OK, GBA_ERR_TRUNCATED (input ends with the continuation bit
 * set), GBA_ERR_MALFORMED (a 5th octet with the continuation bit, or a
 * value above 32 bits).  The cursor is poisoned on error.
 */
GBA_EXPORT int gba_wsp_uintvar_get(struct gba_cur *c, uint32_t *v)
	GBA_WARN_UNUSED;

/** gba_wsp_uintvar_put() - write the minimal uintvar of @v. */
GBA_EXPORT int gba_wsp_uintvar_put(struct gba_wcur *w, uint32_t v);

/** gba_wsp_uintvar_len() - octets of the minimal uintvar of @v (1..5). */
GBA_EXPORT size_t gba_wsp_uintvar_len(uint32_t v);

/**
 * gba_wsp_ctype_get() - read a Content-type-value (8.4.2.24) from @c.
 * Return: GBA_OK; GBA_ERR_TRUNCATED (input ends, including a Value-length
 * past the end of @c); GBA_ERR_MALFORMED (text without NUL, Quote before an
 * octet < 0x80, empty general form, a Long-integer of length 0, a media
 * type running past its Value-length); GBA_ERR_UNSUPPORTED (Long-integer
 * over 4 octets).  General-form parameters are returned raw.
 */
GBA_EXPORT int gba_wsp_ctype_get(struct gba_cur *c, struct gba_wsp_ctype *ct)
	GBA_WARN_UNUSED;

/**
 * gba_wsp_ctype_put() - write a Content-Type: SHORT needs code < 0x80;
 * GEN_INT writes Value-length + Long-integer (or Short-integer for
 * code < 0x80) + params; TEXT writes the text and NUL (Quote 0x7F first
 * when it starts with an octet >= 0x80); GEN_TEXT wraps it in a
 * Value-length.  Return: GBA_OK, GBA_ERR_BAD_PARAM, GBA_ERR_NO_SPACE.
 */
GBA_EXPORT int gba_wsp_ctype_put(struct gba_wcur *w,
				 const struct gba_wsp_ctype *ct);

/* ---- Push PDU (8.2.4.1) ---- */

/**
 * gba_wsp_push_decode() - decode a connectionless Push PDU (a complete WDP
 * datagram).  Headers after the Content-Type are walked: well-known names
 * (0x80..0xFF) with values skipped by value form (Short-length, Length-quote
 * + uintvar, text to NUL, one-octet short integer); Token-text names with a
 * Text-string value.  X-Wap-Application-Id (0xAF) is decoded.
 * Return: GBA_OK; GBA_ERR_TRUNCATED (datagram ends early, including
 * HeadersLen past its end); GBA_ERR_MALFORMED (PDU type not 0x06,
 * HeadersLen 0, bad uintvar, a Content-Type or header value running past
 * HeadersLen, a repeated X-Wap-Application-Id, field-name octet 0x00);
 * GBA_ERR_UNSUPPORTED (header code page shift 0x7F / 0x01..0x1F,
 * Long-integer over 4 octets).
 */
GBA_EXPORT int gba_wsp_push_decode(const uint8_t *buf, size_t len,
				   struct gba_wsp_push *p) GBA_WARN_UNUSED;

/**
 * gba_wsp_push_decode_wdp() - gba_wsp_push_decode() for a datagram that
 * arrived on WDP destination port @dst_port; only 2948 is accepted.
 * Return: as above, or GBA_ERR_WDP_PORT.
 */
GBA_EXPORT int gba_wsp_push_decode_wdp(uint16_t dst_port, const uint8_t *buf,
				       size_t len, struct gba_wsp_push *p)
	GBA_WARN_UNUSED;

/**
 * gba_wsp_push_encode() - encode a Push PDU.
 * @p: [in] tid, ct, app_id (written right after the Content-Type when
 *     present: short integer for code < 0x80, else Long-integer; or text),
 *     headers/headers_len (further pre-encoded headers, may be empty),
 *     body/body_len.  n_headers is ignored.
 * Return: GBA_OK, GBA_ERR_BAD_PARAM, GBA_ERR_NO_SPACE.
 */
GBA_EXPORT int gba_wsp_push_encode(const struct gba_wsp_push *p, uint8_t *out,
				   size_t cap, size_t *out_len)
	GBA_WARN_UNUSED;

#ifdef __cplusplus
}
#endif
#endif
