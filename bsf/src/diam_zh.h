/*
 * diam_zh.h - Zh over Diameter (TS 29.109 clause 4.2 / 6.1, TS 33.220
 * clause 4.4.x / TS 33.223 clause 4.3: one AV and the GUSS per GPI):
 * Multimedia-Auth-Request/Answer (command 303, application 16777221) with
 * the Cx AVPs of TS 29.229 clause 6.3.
 *
 *  - server side (gba-hss): MAR -> MAA from the store and AuC that
 *    gba-bsf's embedded mode uses (hss.h, the same SQN reservation and
 *    resync rules);
 *  - client side (gba-bsf [hss] mode = zh): one MAR per GPI (by User-Name,
 *    or by Public-Identity for an IMPU), the AV, the GUSS and the IMPI
 *    from the MAA (push.h struct bsf_av_source).
 *
 * MAA layout (SIP-Auth-Data-Item: SIP-Authenticate = RAND || AUTN,
 * SIP-Authorization = XRES, Confidentiality-Key = CK, Integrity-Key = IK;
 * resync: SIP-Authorization = RAND || AUTS in the MAR) is a project
 * choice, unconfirmed: docs/diameter.md "Zh".  Both ends are ours.
 * Both sides run on the process's one freeDiameter core (gba/diam.h),
 * started first.
 */
#ifndef BSF_DIAM_ZH_H
#define BSF_DIAM_ZH_H

#include <stddef.h>
#include <stdint.h>
#include "gba/aka.h"
#include "gba/err.h"
#include "hss.h"
#include "store.h"

/**
 * bsf_zh_server_start() - answer MARs from @st / @hss (borrowed, must
 * outlive the server).  The core must run (gba_diam_start()).
 * @fault: 0; a test build's gba-hss may pass a fault number
 *         (BSF_ZH_FAULT_*) to send malformed MAAs.
 * Return: GBA_OK; GBA_ERR_STATE (core not running); GBA_ERR_INTERNAL.
 */
int bsf_zh_server_start(struct bsf_store *st, struct bsf_hss *hss,
			int fault) GBA_WARN_UNUSED;
void bsf_zh_server_stop(void);

#define BSF_ZH_FAULT_NO_CK 1	  /* MAA without Confidentiality-Key */
#define BSF_ZH_FAULT_SHORT_AUTN 2 /* SIP-Authenticate of 31 octets */

/* MARs answered since start, by outcome (for logs and tests) */
struct bsf_zh_server_stats {
	uint64_t ok, unknown, resync, refused;
};
void bsf_zh_server_stats(struct bsf_zh_server_stats *s);

/*
 * Client.  @realm: Destination-Realm of the MARs (the HSS realm); the
 * peer is chosen by freeDiameter's routing among the connected peers
 * that advertised application 16777221 (two HSS peers: fail-over).
 * @timeout_ms: per MAR (fd_msg_send_timeout); the request then fails
 * with GBA_ERR_TIMEOUT.
 */
int bsf_zh_client_init(const char *realm, unsigned timeout_ms) GBA_WARN_UNUSED;

/**
 * bsf_zh_av() - one MAR for @impi and its MAA's AV and GUSS (thread-safe,
 * blocks at most the timeout).  @rand/@auts: both NULL, or a resync (RAND
 * of the rejected AV, AUTS).  @av: [out] wiped on failure; the caller
 * wipes it.  @guss/@guss_len: [out] the MAA's GBA-UserSecSettings (TS
 * 29.109 clause 6.3.1.2), malloc'd and NUL-terminated, caller frees; NULL
 * when the MAA carries none (and on failure).  Two of them: malformed.
 * @impu: NULL (the MAR carries User-Name = @impi), or a public identity:
 * the MAR then carries Public-Identity = @impu and no User-Name (TS 29.109
 * clause 6.1), @impi may be NULL, and the MAA must carry User-Name.
 * @user/@user_size: [out] the MAA's User-Name (the HSS's IMPI) or "".
 * Return: GBA_OK; GBA_ERR_NOT_FOUND (5001 / 5401); GBA_ERR_NOT_AUTHORIZED
 * (5402); GBA_ERR_MAC (the HSS refused the AUTS: 5003); GBA_ERR_TIMEOUT
 * (no answer, no peer, or a 3xxx transient error: 503 upstream);
 * GBA_ERR_MALFORMED (the MAA lacks or mangles an AV part); GBA_ERR_NOMEM;
 * GBA_ERR_INTERNAL.
 */
int bsf_zh_av(const char *impi, const char *impu, const uint8_t *rand,
	      const uint8_t *auts, struct gba_av *av, char **guss,
	      size_t *guss_len, char *user, size_t user_size) GBA_WARN_UNUSED;

/* Retry-After (s) of a 503 for an HSS that did not answer (project
 * choice, docs/diameter.md) */
#define BSF_ZH_RETRY_AFTER 5

struct bsf_av_answer;

/**
 * bsf_zh_av_send() - bsf_zh_av() without waiting, the av_send of a push.h
 * AV source (@arg unused): GBA_OK and @cb(@tag, answer) comes once, from
 * freeDiameter's thread that delivers the MAA (or the expiry at the
 * timeout), or from bsf_zh_client_cancel(); any other return: nothing
 * was sent, no call comes.  The answer's @r as bsf_zh_av() returns.
 */
int bsf_zh_av_send(void *arg, const char *impi, const char *impu,
		   const uint8_t *rand, const uint8_t *auts,
		   void (*cb)(void *tag, struct bsf_av_answer *ans),
		   void *tag) GBA_WARN_UNUSED;

/**
 * bsf_zh_client_cancel() - answer every bsf_zh_av_send() still out with
 * GBA_ERR_TIMEOUT.  For the shutdown, once the freeDiameter core is
 * stopped (gba_diam_stop(): no callback comes any more).
 * Return: how many were answered.
 */
unsigned bsf_zh_client_cancel(void);

/** bsf_zh_av_cb() - bsf_zh_av() as a push.h AV source (@arg unused). */
int bsf_zh_av_cb(void *arg, const char *impi, const char *impu,
		 const uint8_t *rand, const uint8_t *auts, struct gba_av *av,
		 char **guss, size_t *guss_len, char *user, size_t user_size,
		 unsigned *retry_after);

#endif
