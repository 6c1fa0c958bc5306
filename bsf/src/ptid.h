/*
 * ptid.h - the P-TID the BSF makes for a GPI request without one (Zpn,
 * TS 33.223 clause 4.2.2: the P-TID is the NAF-side identifier of the
 * GPI; its form is a project choice, unconfirmed).
 */
#ifndef BSF_PTID_H
#define BSF_PTID_H

#include "gba/err.h"
#include "bsf_limits.h"

/**
 * bsf_ptid_random() - a P-TID for a request without one: 128 random bits
 * (at least 64 bits, unlinkable to the UE: project choice, docs/bsf.md
 * "Zpn web-service binding") as unpadded base64url
 * (RFC 4648 clause 5), 22 characters + NUL.  Project choice.
 */
int bsf_ptid_random(char out[BSF_PTID_RANDOM_LEN + 1]) GBA_WARN_UNUSED;

#endif
