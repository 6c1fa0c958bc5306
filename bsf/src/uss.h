/*
 * uss.h - the USS list (ussList) of a GPI Response: which of the
 * subscriber's User Security Settings go back to the Push-NAF, and how
 * they are serialised.  The one place for these choices.
 *
 * Spec basis (labels as in docs/spec-facts.md sections 3, 4 and 6):
 *   - TS 33.220 clause 4 (GUSS/USS, GSID): a NAF asks for the USSs of the
 *     GAA service(s) it serves, identified by GSIDs; the BSF returns the
 *     subscriber's USSs for them [U: clause text not available];
 *     clause 4.5.3: when the subscriber has no USS for a requested GSID the
 *     NAF should not provide the service, and the BSF may refuse the
 *     request [U: a project reading, clause text not available];
 *   - TS 29.109 (Zn/Zpn Diameter): GBA-UserSecSettings, AVP 400,
 *     OctetString holding XML whose root is `ussList` on Zn/Zpn (`guss` on
 *     Zh) [V, TS 29.109 clause 6];
 *   - TS 29.109 clause 5.5 (Zpn web services): request element `gsid`
 *     [V, TS 29.109 5.5]; the response element for the USSs is [GAP]
 *     (Zn web-service Annex D style name `ussList` [U]);
 *   - TS 29.309 PushInfoRequest.gsIds (array of Uint32) and
 *     PushInfoResponse.ussList (array of UssListItem, TS 29.309 OpenAPI
 *     V17.1.0 / V18.1.0).
 *
 * PROJECT CHOICES, unconfirmed (docs/bsf.md "USS list"):
 *   1. Selection: a USS is selected when its GSID (GUSS uss@id, a string)
 *      equals a requested GSID as text.  Nbsp gsIds values (uint32) are
 *      compared as their decimal text without leading zeros ("7"); a Zpn
 *      `gsid` is compared as given in the request (after the xsd
 *      whitespace collapse of the decoder), so <gsid>007</gsid> selects
 *      uss id="007" and not uss id="7".
 *   2. No gsIds / gsid in the request: no ussList in the response at all.
 *   3. A requested GSID without a USS for this subscriber is not an error:
 *      the answer carries only the USSs that matched, possibly none (an
 *      empty <ussList/>), and the NAF decides (TS 33.220 4.5.3: it should
 *      then not provide that service).  The BSF does not refuse.
 *   4. Order and duplicates: the selected USSs appear in GUSS order, each
 *      at most once, whatever the order or repetition of the request.
 *   5. Serialisation: <ussList> (no namespace, no XML declaration, UTF-8)
 *      holding the selected <uss> elements.  Each is the stored <uss> text
 *      of the provisioned GUSS (so <uids> and unknown children survive);
 *      the assembled document is checked with a strict namespace-aware
 *      libxml2 parse (well-formed, root ussList, one <uss> per selected
 *      USS with the expected id).  When a stored text is missing (lookup
 *      without BSF_GBA_XML) or fails that check (e.g. a prefixed GUSS
 *      whose prefix is declared on <guss>, which the stored fragment no
 *      longer carries), every selected USS is re-serialised from its
 *      parsed fields with xmlTextWriter: id, nafGroup, uiccSecurityLevel
 *      (only when 1), flags/flag; <uids>, `type` and unknown children are
 *      then lost.  Element names as in guss.h (TS 29.109 Annex A [U]).
 *   6. Size: at most BSF_USS_LIST_MAX octets (bsf_limits.h); larger ->
 *      GBA_ERR_TOO_LARGE, never a truncated document.
 *   7. Bindings: Zpn `ussList` is this element as a child of the
 *      response element (zpn.c; unchanged: the TS 29.109 web-service
 *      binding carries the GUSS XML form).  Nbsp `ussList` is what
 *      TS 29.309 clause 6.1.6.2 defines, an array of UssListItem
 *      {"uss": Uss} (nbsp.c), converted from this document: gsId = uss@id
 *      (a Uint32: Nbsp GSIDs are decimal, choice 1), gsType = uss@type
 *      (absent -> 0), ueIds = each <uids>/<uid> (none -> the request's
 *      ueId, as ueIds is mandatory), nafGroup = uss@nafGroup when not
 *      empty, flags = each <flags>/<flag>, keyChoice = UICC_BASED_KEY when
 *      uiccSecurityLevel is 1, else absent.  No selected USS -> no ussList
 *      member (minItems 1).  The gsType default, the ueIds fallback and
 *      the keyChoice mapping are project choices, unconfirmed.
 * Not done: per-Push-NAF authorisation of GSIDs (any GSID of an associated
 * subscriber may be asked for), NAF-group filtering, GUSS-Timestamp.
 */
#ifndef BSF_USS_H
#define BSF_USS_H

#include <stddef.h>
#include "gba/err.h"
#include "req.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * bsf_uss_select() - choices 1, 3 and 4: indices into @p->uss of the USSs
 * requested by @req, in GUSS order, each at most once.
 * @p:     [in] the subscriber's GBA parameters
 * @req:   [in] gs_ids / gs_id_text / n_gs_ids
 * @idx:   [out] BSF_USS_MAX entries
 * @n_idx: [out] number of entries set (0 when nothing matched)
 * Return: GBA_OK; GBA_ERR_BAD_PARAM (NULL argument).
 */
int bsf_uss_select(const struct bsf_gba_params *p,
		   const struct bsf_push_req *req, size_t idx[BSF_USS_MAX],
		   size_t *n_idx) GBA_WARN_UNUSED;

/**
 * bsf_uss_list() - the ussList document for one GPI request.
 * @p:       [in] the subscriber's GBA parameters; uss[i].xml is used when
 *           set (bsf_store_ue_lookup() with BSF_GBA_XML), see choice 5
 * @req:     [in] the decoded request (gs_ids, gs_id_text, n_gs_ids)
 * @out:     [out] NUL-terminated XML; @cap octets including the NUL.
 *           out[0] = '\0' on every error and when no GSID was requested
 * @cap:     [in] at most BSF_USS_LIST_MAX + 1 is ever needed
 * @out_len: [out] length without the NUL; 0 means "no ussList" (no GSID
 *           requested, choice 2): a built list is never empty text
 * Return: GBA_OK; GBA_ERR_TOO_LARGE (the document would exceed @cap - 1
 * or BSF_USS_LIST_MAX octets); GBA_ERR_NOMEM; GBA_ERR_BAD_PARAM;
 * GBA_ERR_INTERNAL (the field serialisation failed its own check).
 */
int bsf_uss_list(const struct bsf_gba_params *p, const struct bsf_push_req *req,
		 char *out, size_t cap, size_t *out_len) GBA_WARN_UNUSED;

#ifdef __cplusplus
}
#endif
#endif
