/*
 * guss.h - GBA User Security Settings (GUSS) XML of TS 29.109 Annex A.
 *
 * The element and attribute names used here (root <guss>, <bsfInfo> with
 * <uiccType> GBA / GBA_U and <lifeTime>, <ussList> of <uss id=GSID
 * type=... nafGroup=... uiccSecurityLevel=...> with <uids>/<uid> and
 * <flags>/<flag>) follow the TS 29.109 Annex A schema as known from
 * general knowledge: the schema text was NOT available (docs/spec-facts.md
 * section 6: [U]).  Project choice, unconfirmed; docs/hss-store.md.
 *
 * Parsing is done with libxml2 under a hard size limit (BSF_GUSS_MAX),
 * with XML_PARSE_NONET, without XML_PARSE_NOENT / XML_PARSE_DTDLOAD /
 * XML_PARSE_DTDATTR, and any DOCTYPE or entity declaration is rejected
 * outright (no entity is ever expanded).  Unknown elements are ignored
 * (forward compatibility); a <uss> without id is malformed.
 */
#ifndef BSF_GUSS_H
#define BSF_GUSS_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bsf_guss {
	int has_uicc_type;
	int gba_u; /* bsfInfo/uiccType == "GBA_U" */
	int has_lifetime;
	uint32_t lifetime; /* bsfInfo/lifeTime, seconds */
	size_t n_uss;
	struct bsf_uss uss[BSF_USS_MAX]; /* uss[i].xml set when BSF_GBA_XML */
};

/**
 * bsf_guss_parse() - parse and check a GUSS document.
 * @buf, @len: [in] the XML (need not be NUL terminated)
 * @flags:     [in] BSF_GBA_XML: also serialise each <uss> into uss[i].xml
 * @g:         [out] zeroed first; release with bsf_guss_clear()
 * Return: GBA_OK; GBA_ERR_TOO_LARGE (> BSF_GUSS_MAX octets, > BSF_USS_MAX
 * USSs, an over-long attribute); GBA_ERR_MALFORMED (not well-formed, wrong
 * root, DOCTYPE/entities present, missing uss@id, bad number);
 * GBA_ERR_TRUNCATED (empty input); GBA_ERR_NOMEM.
 */
int bsf_guss_parse(const uint8_t *buf, size_t len, unsigned flags,
		   struct bsf_guss *g) GBA_WARN_UNUSED;

/** bsf_guss_clear() - free the USS XML strings and zero.  NULL-safe. */
void bsf_guss_clear(struct bsf_guss *g);

#ifdef __cplusplus
}
#endif
#endif
