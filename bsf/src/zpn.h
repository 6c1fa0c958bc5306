/*
 * zpn.h - the Zpn web-service binding of the GPI request/response:
 * 3GPP TS 29.109 clause 5.5 (SOAP 1.1 over HTTPS; WSDL in Annex G).
 *
 * Verified element names (TS 29.109 5.5): requestGbaPushInfoRequest with
 * ptid, nafid, gsid, gbaUAware, userId, userIdType; response element
 * gbaPushInfo.  Annex G was NOT available ([GAP]): every other name, the
 * structure of nafid, the value spaces and the response/fault layout are
 * PROJECT CHOICES, unconfirmed, mirroring the TS 29.309 JSON names; the
 * full table is in docs/bsf.md "Zpn web-service binding".  Elements are
 * matched by local name (namespace-agnostic) inside a SOAP 1.1 Envelope.
 *
 * Parsing uses libxml2 with XML_PARSE_NONET, never XML_PARSE_NOENT or
 * XML_PARSE_DTDLOAD, an external entity loader that refuses everything,
 * and rejects any document carrying a DTD (so no entity of any kind is
 * accepted), plus node-count and depth limits (bsf_limits.h).
 */
#ifndef BSF_ZPN_H
#define BSF_ZPN_H

#include <stddef.h>
#include <stdint.h>
#include "problem.h"
#include "req.h"

#define BSF_ZPN_NS "urn:gbapush:zpn:1" /* project choice, unconfirmed */

/** bsf_zpn_init() - install the refusing entity loader; call once. */
void bsf_zpn_init(void);

/**
 * bsf_zpn_decode() - parse a SOAP requestGbaPushInfoRequest.
 * Return: as bsf_nbsp_decode(); @field names the rejected element.
 */
enum bsf_problem bsf_zpn_decode(const uint8_t *buf, size_t len,
				struct bsf_push_req *req, const char **field);

/**
 * bsf_zpn_encode() - SOAP response into @out.  Holds key material: the
 * caller wipes @out.  Return: GBA_OK or GBA_ERR_NO_SPACE.
 */
int bsf_zpn_encode(const struct bsf_push_res *res, char *out, size_t cap,
		   size_t *out_len) GBA_WARN_UNUSED;

/** bsf_zpn_fault() - SOAP 1.1 Fault for @pb.  GBA_OK / GBA_ERR_NO_SPACE. */
int bsf_zpn_fault(enum bsf_problem pb, const char *field, char *out,
		  size_t cap, size_t *out_len) GBA_WARN_UNUSED;

#endif
