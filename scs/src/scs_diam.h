/*
 * scs_diam.h - the SCS (Push-NAF) side of Zpn over Diameter: one GBA Push
 * Information exchange as GBA-Push-Info Request / Answer (TS 29.109
 * clause 5.4 and 6.1: command 312, application 16777220, AVPs of clause
 * 6.3), over the freeDiameter core of this process (gba/diam.h), instead
 * of Nbsp over HTTPS (scs/scs.h).  The request and answer are the same
 * structures as on Nbsp; the GPA's GBA-UserSecSettings is not decoded
 * into scs_gpi_resp.uss (n_uss stays 0).
 *
 * Transport, own identity and realm, TLS credentials and the BSF peer
 * come from the freeDiameter configuration file (docs/scs.md).
 */
#ifndef SCS_DIAM_H
#define SCS_DIAM_H

#include "scs/scs.h"

/**
 * struct scs_diam - how to reach the BSF over Diameter.  Borrowed strings.
 * @conf:       freeDiameter configuration file
 * @peer:       the BSF's Diameter Identity (a ConnectPeer of @conf):
 *              Destination-Host, and the peer waited for
 * @realm:      Destination-Realm (NULL: the peer's realm from its CEA)
 * @timeout_ms: connection + answer timeout; 0 means 10000
 */
struct scs_diam {
	const char *conf;
	const char *peer;
	const char *realm;
	long timeout_ms;
};

/**
 * scs_diam_push_info() - start the Diameter core, send one GPR for @req,
 * wait for the GPA, decode it into @resp, stop the core (once per
 * process: freeDiameter cannot be started twice).
 * Return: GBA_OK; GBA_ERR_NOT_FOUND (5401: unknown UE, or not associated);
 * GBA_ERR_NOT_AUTHORIZED (5402); GBA_ERR_BAD_PARAM (5004/5005);
 * GBA_ERR_TIMEOUT (no peer, no answer, 3004 too busy); GBA_ERR_CONFIG;
 * GBA_ERR_MALFORMED (a GPA without the AVPs of a success); GBA_ERR_HTTP
 * (any other Result-Code).  @e names the code.
 */
int scs_diam_push_info(const struct scs_diam *d,
		       const struct scs_gpi_req *req,
		       struct scs_gpi_resp *resp, struct scs_error *e)
	GBA_WARN_UNUSED;

#endif
