/*
 * gba/gpi_sms.h - one GPI push as SMS: the sender's whole chain
 * GPI -> GPI envelope -> WSP Push datagram -> SMS TPDU segments.
 *
 * 3GPP TS 24.109 V17.x Annex J.2 (GPI delivery using WAP Push: the
 * envelope of clause J.3.1.2 in a WSP connectionless Push to WDP port
 * 2948, gba/gpi_push.h) and TS 23.040 V17.x clause 9.2.3.24 (the
 * datagram split into TPDUs with a port-addressing IE 0x04/0x05 and a
 * concatenation IE 0x00/0x08, gba/sms.h).  The envelope layout and the
 * content-type code are project choices, unconfirmed (see gba/gpi_push.h
 * and docs/wire-formats.md "SMS, WAP Push and the GPI push").
 *
 * This module only composes the codecs of those headers, so that every
 * sender (gba-scs, gbatool sms encode --wap-gpi, the test generators and
 * the benchmark) writes the chain in one place.  Host only: the UE
 * firmware library receives pushes and never composes one.
 */
#ifndef GBA_GPI_SMS_H
#define GBA_GPI_SMS_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"
#include "gba/gpi.h"
#include "gba/gpi_push.h"
#include "gba/sms.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest WSP Push datagram composed (envelope + WSP headers). */
#define GBA_GPI_SMS_DGRAM_MAX (GBA_GPI_ENV_HDR_LEN + GBA_GPI_MAX + 600)

/* Everything besides the GPI that one GPI push over SMS needs. */
struct gba_gpi_sms {
	const struct gba_gpi_push_cfg *push; /* Content-Type, Application-ID */
	uint8_t tid;             /* WSP TID (any value: connectionless push) */
	uint16_t session_id;     /* envelope session identifier */
	const struct gba_sms_tpdu *tmpl; /* each segment's TPDU fields, as
					  * gba_sms_segment() takes them */
	const struct gba_sms_seg_opts *seg; /* UDH: ports (destination
					     * normally GBA_WDP_PORT_PUSH),
					     * concatenation reference */
};

/* Which step failed (gba_gpi_sms_compose() @step). */
#define GBA_GPI_SMS_STEP_PUSH 1  /* envelope or WSP Push encoding */
#define GBA_GPI_SMS_STEP_SMS 2   /* segmentation into TPDUs */

/**
 * gba_gpi_sms_compose() - encode @gpi in the GPI envelope, the envelope in
 * a WSP Push datagram (gba_gpi_push_encode()) and the datagram as SMS
 * TPDUs (gba_sms_segment()).
 * @p:        [in] push parameters, template and UDH options
 * @gpi:      [in] the encoded GPI (gba/gpi.h), 1..GBA_GPI_MAX octets
 * @pdus, @pdu_len, @max_pdus: [out] room for @max_pdus TPDUs
 * @npdus:    [out] TPDUs written
 * @step:     [out, may be NULL] on error, GBA_GPI_SMS_STEP_*
 * Return: GBA_OK; GBA_ERR_BAD_PARAM; the errors of gba_gpi_push_encode()
 * (step PUSH); GBA_ERR_TOO_LARGE when the datagram needs more than
 * @max_pdus TPDUs, else the errors of gba_sms_segment() (step SMS).
 * On error *@npdus is 0.
 */
GBA_EXPORT int gba_gpi_sms_compose(const struct gba_gpi_sms *p,
				   const uint8_t *gpi, size_t gpi_len,
				   uint8_t (*pdus)[GBA_SMS_TPDU_MAX],
				   size_t *pdu_len, size_t max_pdus,
				   size_t *npdus, int *step) GBA_WARN_UNUSED;

#ifdef __cplusplus
}
#endif
#endif
