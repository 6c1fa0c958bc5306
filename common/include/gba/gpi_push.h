/*
 * gba/gpi_push.h - the GPI push message: GPI delivery using WAP Push.
 *
 * 3GPP TS 24.109 Annex J.2.2 (Rel-17 text, confirmed,
 * docs/spec-facts.md section 9): Content-Type
 * "application/vnd.3gpp.gba.gpi" or its short code (clause J.3.1.3),
 * X-WAP-Application-ID of the receiving GBA User Agent (or its short code),
 * body = GPI envelope (clause J.3.1.2) with version 1, the session
 * identifier and the GPI.
 *
 * [GAP]: J.3.1.2 (envelope field widths) and J.3.1.3 (the content-type
 * short code) were not available.  PROJECT CHOICES, unconfirmed, kept in
 * the one table in gpi_push.c and documented in
 * docs/wire-formats.md ("SMS, WAP Push and the GPI push"):
 *   - envelope = version (1 octet, = 1) | session id (2 octets, big-endian)
 *     | GPI (to the end, opaque here: see gba/gpi.h);
 *   - the content-type code is a caller parameter; no default code exists.
 *
 * No heap, no stdio.
 */
#ifndef GBA_GPI_PUSH_H
#define GBA_GPI_PUSH_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"
#include "gba/wsp.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GBA_GPI_CT_TEXT "application/vnd.3gpp.gba.gpi"
#define GBA_GPI_ENV_VERSION 1
#define GBA_GPI_ENV_HDR_LEN 3   /* project choice: version 1 + session id 2 */

/* Envelope (J.3.1.2; widths are a project choice). */
struct gba_gpi_env {
	uint8_t version;         /* encode writes GBA_GPI_ENV_VERSION */
	uint16_t session_id;
	const uint8_t *gpi;      /* opaque GPI (gba/gpi.h), view */
	size_t gpi_len;          /* 1..GBA_GPI_MAX */
};

/*
 * Default X-WAP-Application-ID code of the GBA User Agent, the same at the
 * sender (gba-scs) and the receiver (gba-ue, gbaue_cfg_default()).  TS
 * 24.109 J.2.2 leaves the id to the agent's own spec and OMNA registers no
 * generic GBA one: PROJECT CHOICE, unconfirmed.  0x8F33 is a 2-octet code
 * (sent as AF 02 8F 33) that no application in the OMNA Push Application
 * ID registry holds, unlike 7 (syncml.dm, the OMA DM client), 0x8001
 * (x-wap-microsoft:IMclient.ua) or 0x9071 (x-3gpp.gba.andsf.ua);
 * docs/wire-formats.md section 6 says what was checked.
 */
#define GBA_GPI_PUSH_APP_ID_DEFAULT 0x8F33u

/*
 * Push parameters shared by sender and receiver.  The content-type code of
 * J.3.1.3 is unknown ([GAP]): none is set by default.
 */
struct gba_gpi_push_cfg {
	uint8_t ct_code_set;     /* 1: Content-Type as the integer ct_code */
	uint32_t ct_code;        /* < 0x80: 1 octet; else general form */
	uint8_t app_is_text;     /* 1: app_urn, 0: app_code */
	uint32_t app_code;       /* X-WAP-Application-ID code */
	const char *app_urn;     /* NUL-terminated URN text */
};

/**
 * gba_gpi_env_encode() - encode an envelope.  @env->version is ignored
 * (1 is written).
 * Return: GBA_OK, GBA_ERR_BAD_PARAM (empty GPI), GBA_ERR_TOO_LARGE (GPI over
 * GBA_GPI_MAX), GBA_ERR_NO_SPACE.
 */
GBA_EXPORT int gba_gpi_env_encode(const struct gba_gpi_env *env, uint8_t *out,
				  size_t cap, size_t *out_len)
	GBA_WARN_UNUSED;

/**
 * gba_gpi_env_decode() - decode an envelope; the GPI is a view to the end.
 * Return: GBA_OK, GBA_ERR_TRUNCATED (shorter than the header or no GPI
 * octet), GBA_ERR_VERSION (version != 1), GBA_ERR_TOO_LARGE (GPI over
 * GBA_GPI_MAX).
 */
GBA_EXPORT int gba_gpi_env_decode(const uint8_t *buf, size_t len,
				  struct gba_gpi_env *env) GBA_WARN_UNUSED;

/**
 * gba_gpi_push_encode() - the WSP Push PDU (WDP datagram for port 2948)
 * carrying @env: Content-Type per @cfg, X-WAP-Application-ID per @cfg,
 * body = envelope.
 * Return: GBA_OK, GBA_ERR_BAD_PARAM, GBA_ERR_TOO_LARGE, GBA_ERR_NO_SPACE.
 */
GBA_EXPORT int gba_gpi_push_encode(const struct gba_gpi_push_cfg *cfg,
				   uint8_t tid, const struct gba_gpi_env *env,
				   uint8_t *out, size_t cap, size_t *out_len)
	GBA_WARN_UNUSED;

/**
 * gba_gpi_push_decode() - decode a WSP Push datagram and check that it is a
 * GPI push for the agent described by @cfg: the Content-Type must be the
 * text (always accepted, in either text form) or, when cfg->ct_code_set,
 * that integer code; the X-WAP-Application-ID must be present and equal
 * @cfg's (code, or text compared octet by octet).
 * @push: [out] the WSP view; @env: [out] the envelope
 * Return: GBA_OK, WSP and envelope decoder errors, GBA_ERR_CONTENT_TYPE,
 * GBA_ERR_APP_ID.
 */
GBA_EXPORT int gba_gpi_push_decode(const struct gba_gpi_push_cfg *cfg,
				   const uint8_t *buf, size_t len,
				   struct gba_wsp_push *push,
				   struct gba_gpi_env *env) GBA_WARN_UNUSED;

/**
 * gba_gpi_push_check() - the second half of gba_gpi_push_decode(), for a
 * receiver that decoded the WSP Push itself (gba_wsp_push_decode()) and
 * must tell a broken WSP PDU from a broken envelope without decoding twice:
 * check Content-Type and X-WAP-Application-ID against @cfg, then decode
 * the envelope from @push's body.
 * @env: [out] the envelope (a view into the body)
 * Return: GBA_OK, GBA_ERR_BAD_PARAM (@cfg invalid), GBA_ERR_CONTENT_TYPE,
 * GBA_ERR_APP_ID, envelope decoder errors.
 */
GBA_EXPORT int gba_gpi_push_check(const struct gba_gpi_push_cfg *cfg,
				  const struct gba_wsp_push *push,
				  struct gba_gpi_env *env) GBA_WARN_UNUSED;

/**
 * gba_gpi_push_is_gpi_ct() - 1 when @ct names the GPI content type: the
 * text form, or the integer @code when @code_set.
 */
GBA_EXPORT int gba_gpi_push_is_gpi_ct(const struct gba_wsp_ctype *ct,
				      int code_set, uint32_t code);

#ifdef __cplusplus
}
#endif
#endif
