/*
 * gbaue/gbaue.h - the GBA Push UE agent library (prefix gbaue_).
 *
 * Receives SMS PDUs one at a time, as a modem delivers them, and:
 *   - reassembles concatenated SMS (TS 23.040 9.2.3.24, gba/sms.h);
 *   - recognises the GPI WAP Push (TS 24.109 Annex J.2: WDP port 2948,
 *     Content-Type application/vnd.3gpp.gba.gpi or its code, the agent's
 *     X-WAP-Application-ID; gba/wsp.h, gba/gpi_push.h);
 *   - processes the GPI (TS 33.223 5.2.1 / 5.3.5, gba/gpi.h: [GAP] layout,
 *     project choice): AKA on the USIM (TS 33.102 6.3.3; AUTN* for GBA_U,
 *     TS 33.220 5.3.2), Ks = CK || IK, the NAF key (TS 33.220 B.3), the GPI
 *     integrity check and P-TID decryption, and stores the NAF SA
 *     (TS 24.109 4A.1: RAND@naf identifies it in the UE);
 *   - verifies device triggers (TS 23.682 5.2; GPL, TS 33.224, gpl/gpl.h)
 *     on the configured application port under the matching NAF SA;
 *   - reports one struct gbaue_event per PDU.
 *
 * Rules (style.md C12): no heap, no stdio, no OS calls; the caller owns
 * struct gbaue_ctx (its size is visible, its fields are opaque by
 * contract: read them only through the functions below).  Errors from the
 * environment (storage, crypto, USIM transport, a bad parameter) are
 * sticky: every later call returns the same error until gbaue_reset().
 * Bad input from the network is never an error: it becomes a REJECTED or
 * IGNORED event with a reason code and the call returns GBA_OK.
 * Not thread-safe: one context per thread, or a lock around each call.
 */
#ifndef GBAUE_GBAUE_H
#define GBAUE_GBAUE_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"
#include "gba/gpi.h"
#include "gba/gpi_push.h"
#include "gba/kdf.h"
#include "gba/sms.h"
#include "gbaue/port.h"
#include "gpl/gpl.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Compile-time sizes; a build may override them (same value everywhere). */
#ifndef GBAUE_SA_SLOTS
#define GBAUE_SA_SLOTS 4 /* NAF SAs kept */
#endif
#ifndef GBAUE_RAND_HISTORY
#define GBAUE_RAND_HISTORY 8 /* RANDs of accepted GPIs remembered */
#endif
#ifndef GBAUE_NAF_ALLOW_MAX
#define GBAUE_NAF_ALLOW_MAX 4 /* NAF FQDNs in the allow list */
#endif
#ifndef GBAUE_TRIGGER_MAX
#define GBAUE_TRIGGER_MAX GBA_SMS_REASM_MSG_MAX /* trigger payload octets */
#endif
#ifndef __cplusplus
/* the state blob stores both counts in one octet each (docs/ue-agent.md) */
_Static_assert(GBAUE_SA_SLOTS >= 1 && GBAUE_SA_SLOTS <= 255,
	       "GBAUE_SA_SLOTS must be 1..255");
_Static_assert(GBAUE_RAND_HISTORY >= 1 && GBAUE_RAND_HISTORY <= 255,
	       "GBAUE_RAND_HISTORY must be 1..255");
_Static_assert(GBAUE_NAF_ALLOW_MAX >= 1, "GBAUE_NAF_ALLOW_MAX must be >= 1");
/* a trigger's plaintext is shorter than the datagram that carried it */
_Static_assert(GBAUE_TRIGGER_MAX >= 1 &&
		       GBAUE_TRIGGER_MAX <= GBA_SMS_REASM_MSG_MAX,
	       "GBAUE_TRIGGER_MAX must be 1..GBA_SMS_REASM_MSG_MAX");
#endif
/* Size of the persisted state blob (docs/ue-agent.md "State blob"). */
#define GBAUE_SLOT_REC_LEN (1 + 1 + 8 + GPL_SA_BLOB_LEN)
#define GBAUE_STATE_BLOB_LEN                                                   \
	(8 + GBAUE_SA_SLOTS * GBAUE_SLOT_REC_LEN + 8 + 4 +                     \
	 GBAUE_RAND_HISTORY * GBA_RAND_LEN + 32)

/* Event types. */
enum gbaue_event_type {
	GBAUE_EV_NONE = 0,
	GBAUE_EV_SEGMENT = 1,	   /* SMS segment stored, message incomplete */
	GBAUE_EV_IGNORED = 2,	   /* not for this agent (reason says why) */
	GBAUE_EV_REJECTED = 3,	   /* for this agent, refused (reason) */
	GBAUE_EV_GPI_ACCEPTED = 4, /* new NAF SA stored */
	GBAUE_EV_AUTS = 5,	   /* SQN out of range: return RAND || AUTS */
	GBAUE_EV_TRIGGER = 6,	   /* verified trigger payload */
	GBAUE_EV_UA_KEY = 7, /* NAF key for a non-GPL Ua protocol stored */
};

/* TS 33.220 Annex H Ua security protocol id of GPL: only a GPI whose
 * NAF_Id ends with it makes a GPL SA (GPI_ACCEPTED); any other id gives a
 * UA_KEY event and a key for that protocol (gbaue_sa_key()). */
#define GBAUE_UA_ID_GPL {0x01, 0x00, 0x00, 0x00, 0x05}

/* Reason codes (stable numbers; docs/ue-agent.md has the table). */
enum gbaue_reason {
	GBAUE_R_NONE = 0,
	/* SMS / WAP layer */
	GBAUE_R_PDU_MALFORMED = 1, /* TPDU did not decode */
	GBAUE_R_NOT_DELIVER = 2,   /* TP-MTI not SMS-DELIVER */
	GBAUE_R_NO_PORT = 3,	   /* no application port IE */
	GBAUE_R_OTHER_PORT = 4,	   /* port neither 2948 nor trigger port */
	GBAUE_R_REASSEMBLY = 5,	   /* segment inconsistent / too many */
	GBAUE_R_SEG_DUPLICATE = 6, /* segment already seen */
	GBAUE_R_WSP_MALFORMED = 7, /* WSP Push PDU did not decode */
	GBAUE_R_NOT_GPI = 8,	   /* other content type or app id */
	GBAUE_R_ENVELOPE = 9,	   /* GPI envelope bad (version ...) */
	/* GPI */
	GBAUE_R_GPI_MALFORMED = 20,   /* gba_gpi_decode() failed */
	GBAUE_R_MODE = 21,	      /* GBA_U / GBA_ME mode not supported */
	GBAUE_R_APP_LABEL = 22,	      /* App_Lbl names another application */
	GBAUE_R_NAF_NOT_ALLOWED = 23, /* NAF_Id not acceptable */
	GBAUE_R_KEY_EXPIRED = 24,     /* key lifetime already over */
	GBAUE_R_DUPLICATE = 25,	      /* GPI (RAND or P-TID) seen before */
	GBAUE_R_AUTN = 26,	      /* USIM: MAC in AUTN/AUTN* wrong */
	GBAUE_R_AMF = 27,	      /* USIM: AMF not acceptable */
	GBAUE_R_USIM = 28,	      /* USIM refused otherwise */
	GBAUE_R_GPI_INTEGRITY = 29,   /* GPI tag wrong (other IMPI/NAF key) */
	GBAUE_R_NO_TIME = 30,	      /* wall clock unknown */
	/* trigger */
	GBAUE_R_TRIGGER_MALFORMED = 40, /* GPL message did not decode */
	GBAUE_R_UNKNOWN_SA = 41,	/* no NAF SA for its SA identifier */
	GBAUE_R_SA_EXPIRED = 42,	/* the SA's key lifetime is over */
	GBAUE_R_TRIGGER_MAC = 43,	/* GPL MAC wrong */
	GBAUE_R_REPLAY = 44,		/* SN not above SN_h */
};

/* Configuration, copied by gbaue_init(). */
struct gbaue_cfg {
	/* IMPI as the KDF takes it (TS 33.220 B.2.1): UTF-8 of its NFKC
	 * form.  The library has no Unicode tables: the caller normalises
	 * (provisioning tools: gba_utf8_nfkc() on the host); gbaue_init()
	 * only checks it is well-formed UTF-8. */
	uint8_t impi[GBA_IMPI_MAX];
	size_t impi_len; /* 1..GBA_IMPI_MAX octets */
	/* WAP Push recognition (gba/gpi_push.h); app_urn must be NULL or a
	 * string that outlives the context */
	struct gba_gpi_push_cfg push;
	uint16_t trigger_port; /* 16-bit application port; 0 = off */
	int allow_gba_me;      /* accept GBA_ME GPIs */
	int allow_gba_u;       /* accept GBA_U GPIs (USIM must do it) */
	/* App_Lbl of the USIM application this agent uses; a GPI with an
	 * App_Lbl must match it; empty = default USIM only */
	uint8_t app_label[GBA_APP_LABEL_MAX];
	size_t app_label_len;
	/* NAF FQDNs accepted (ASCII, case-insensitive); none = any NAF */
	char naf_allow[GBAUE_NAF_ALLOW_MAX][GBA_FQDN_MAX + 1];
	size_t naf_allow_n;
	uint32_t reasm_timeout_ms; /* partial SMS lifetime; 0 = none */
	/* GPL cipher suite of new NAF SAs (the GPI does not carry one:
	 * project choice, docs/ue-agent.md) */
	uint8_t gpl_suite;
};

/*
 * One event; views point into the context and stay valid until the next
 * call on it.
 *
 * What is authenticated: on GPI_ACCEPTED and UA_KEY every field came from
 * a GPI whose integrity tag verified under the NAF key the USIM derived
 * (naf_id, rand, p_tid, key_expiry, gba_u), and on TRIGGER every field
 * comes from the stored SA or from the GPL message whose MAC verified.
 * session_id and the ports are never authenticated (WSP envelope, UDH).
 * On REJECTED and AUTS events naf_id, rand, gba_u and key_expiry are
 * copied from the GPI BEFORE any check: unauthenticated input, for logs
 * only.  An AUTS proves only that the RAND/AUTN pair is genuine (the
 * USIM checked its MAC); the naf_id next to it is not covered.
 *
 * A TRIGGER proves that the NAF holding the SA sent the payload.  An
 * application must check naf_id (or set cfg.naf_allow, which restricts
 * which NAFs get an SA at all) before acting on a TRIGGER: any NAF the
 * BSF serves for this IMPI can obtain an SA.
 */
struct gbaue_event {
	enum gbaue_event_type type;
	enum gbaue_reason reason; /* REJECTED / IGNORED */
	int err;		  /* the gba_err behind the reason */
	int gba_u;		  /* GPI_ACCEPTED: mode */
	int sa_slot;		  /* GPI_ACCEPTED, TRIGGER: slot index */
	uint16_t session_id;	  /* GPI envelope session id */
	uint16_t src_port, dst_port;
	uint8_t rand[GBA_RAND_LEN]; /* GPI_ACCEPTED, UA_KEY, AUTS */
	uint8_t auts[GBA_AUTS_LEN]; /* AUTS */
	uint8_t naf_id[GBA_NAF_ID_MAX];
	size_t naf_id_len; /* GPI_ACCEPTED, UA_KEY, AUTS, TRIGGER */
	uint8_t p_tid[GBA_PTID_MAX];
	size_t p_tid_len;	/* GPI_ACCEPTED, UA_KEY, TRIGGER */
	uint64_t key_expiry;	/* Unix seconds */
	uint64_t sn;		/* TRIGGER: GPL sequence number */
	const uint8_t *payload; /* TRIGGER: verified plaintext */
	size_t payload_len;
};

/* Public view of a stored NAF SA (no key). */
struct gbaue_sa_info {
	int gba_u;
	int gpl; /* 1: GPL SA (triggers), 0: key for the Ua protocol of
		  * naf_id's last 5 octets (gbaue_sa_key()) */
	uint8_t rand[GBA_RAND_LEN];
	uint8_t naf_id[GBA_NAF_ID_MAX];
	size_t naf_id_len;
	uint8_t p_tid[GBA_PTID_MAX];
	size_t p_tid_len;
	uint64_t key_expiry; /* Unix seconds */
	uint8_t suite;	     /* enum gpl_suite */
	uint64_t sn_h;	     /* highest verified GPL SN */
	uint64_t stamp;	     /* acceptance order */
};

/* ---- internals: opaque by contract, visible for sizeof only ---- */
struct gbaue_slot_ {
	uint8_t used, gba_u;
	uint64_t stamp;	  /* acceptance order */
	struct gpl_sa sa; /* NAF key, NAF_Id, RAND, P-TID, SN_h */
};

struct gbaue_ctx {
	const struct gbaue_port *port;
	struct gbaue_cfg cfg;
	int err; /* sticky error */
	int ready;
	uint64_t stamp;
	struct gbaue_slot_ slot[GBAUE_SA_SLOTS];
	struct gbaue_slot_ scratch; /* rollback copy / unprotect copy (wiped) */
	uint8_t rand_hist[GBAUE_RAND_HISTORY][GBA_RAND_LEN];
	uint32_t rand_hist_n; /* total ever added (ring index) */
	struct gba_sms_reasm reasm;
	uint8_t msg[GBA_SMS_REASM_MSG_MAX]; /* reassembled datagram */
	uint8_t out[GBAUE_TRIGGER_MAX];	    /* trigger plaintext */
	uint8_t blob[GBAUE_STATE_BLOB_LEN]; /* save/load buffer */
};

/* ---- API ---- */

/**
 * gbaue_cfg_default() - a config with no IMPI, GBA_ME and GBA_U allowed,
 * no trigger port, no content-type code, app id code
 * GBA_GPI_PUSH_APP_ID_DEFAULT (gba/gpi_push.h; gba-scs sends the same),
 * any NAF, reassembly timeout 10 minutes.
 */
GBA_EXPORT void gbaue_cfg_default(struct gbaue_cfg *cfg);

/**
 * gbaue_init() - set up @ctx and load the saved state through @port->load.
 * @ctx:  [out] caller-owned context (wiped first)
 * @port: [in] platform hooks; must outlive @ctx
 * @cfg:  [in] configuration (copied)
 * Return: GBA_OK; GBA_ERR_BAD_PARAM (missing required hook, empty IMPI,
 * no mode allowed); GBA_ERR_BAD_UTF8 (IMPI not well-formed UTF-8);
 * GBA_ERR_IO (load failed); GBA_ERR_MALFORMED /
 * GBA_ERR_VERSION (stored blob unreadable).  Errors are sticky.
 */
GBA_EXPORT int gbaue_init(struct gbaue_ctx *ctx,
			  const struct gbaue_port *port,
			  const struct gbaue_cfg *cfg) GBA_WARN_UNUSED;

/**
 * gbaue_reset() - clear the sticky error, drop partial SMS, reload the
 * saved state.  Return: as gbaue_init().
 */
GBA_EXPORT int gbaue_reset(struct gbaue_ctx *ctx) GBA_WARN_UNUSED;

/** gbaue_last_error() - the sticky error, GBA_OK when healthy. */
GBA_EXPORT int gbaue_last_error(const struct gbaue_ctx *ctx);

/**
 * gbaue_pdu_in() - feed one received SMS.
 * @pdu, @len: [in] SMS-DELIVER TPDU, with the SMSC address in front when
 *             @has_sca (the modem +CMGR/+CMGL/+CMT PDU form)
 * @ev:        [out] what happened (always filled on GBA_OK)
 * Return: GBA_OK (see @ev); a sticky environment error otherwise.
 */
GBA_EXPORT int gbaue_pdu_in(struct gbaue_ctx *ctx, const uint8_t *pdu,
			    size_t len, int has_sca,
			    struct gbaue_event *ev) GBA_WARN_UNUSED;

/**
 * gbaue_datagram_in() - feed one complete WDP datagram received on another
 * bearer (destination/source application ports as in the UDH).
 * Return: as gbaue_pdu_in().
 */
GBA_EXPORT int gbaue_datagram_in(struct gbaue_ctx *ctx, uint16_t dst_port,
				 uint16_t src_port, const uint8_t *buf,
				 size_t len,
				 struct gbaue_event *ev) GBA_WARN_UNUSED;

/**
 * gbaue_gpi_in() - process one GPI received by any transport.
 * Return: as gbaue_pdu_in().
 */
GBA_EXPORT int gbaue_gpi_in(struct gbaue_ctx *ctx, const uint8_t *gpi,
			    size_t len, uint16_t session_id,
			    struct gbaue_event *ev) GBA_WARN_UNUSED;

/**
 * gbaue_sa_get() - the public part of SA slot @i (0..GBAUE_SA_SLOTS-1).
 * Return: GBA_OK, GBA_ERR_NOT_FOUND (slot empty), GBA_ERR_BAD_PARAM.
 */
GBA_EXPORT int gbaue_sa_get(const struct gbaue_ctx *ctx, int i,
			    struct gbaue_sa_info *info) GBA_WARN_UNUSED;

/**
 * gbaue_sa_key() - the ME-side NAF key (Ks_NAF or Ks_ext_NAF) of slot @i,
 * for an application that protects Ua traffic itself with the Ua protocol
 * named by the slot's NAF_Id (a UA_KEY slot).  The key of a GPL SA serves
 * GPL inside the agent only and is not handed out (TS 33.220 Annex H: one
 * NAF key, one Ua protocol).  The caller wipes @key with gba_cleanse().
 * Return: GBA_OK, GBA_ERR_NOT_FOUND (slot empty), GBA_ERR_NOT_AUTHORIZED
 * (a GPL SA), GBA_ERR_BAD_PARAM.  @key is zero on every error.
 */
GBA_EXPORT int gbaue_sa_key(const struct gbaue_ctx *ctx, int i,
			    uint8_t key[GBA_KDF_OUT_LEN]) GBA_WARN_UNUSED;

/** gbaue_event_name() / gbaue_reason_name() - "GPI_ACCEPTED", "AUTN"... */
GBA_EXPORT const char *gbaue_event_name(int type);
GBA_EXPORT const char *gbaue_reason_name(int reason);

/**
 * gbaue_selftest() - known-answer tests of the linked crypto backend and
 * Milenage (FIPS 197 C.1, FIPS 180-4 "abc" for SHA-256 and SHA-1, RFC 4231
 * case 2, TS 35.208 set 1 f1 and f3, constant-time compare), for a
 * power-on check of a firmware build.  No context needed.
 * Return: GBA_OK or GBA_ERR_CRYPTO.
 */
GBA_EXPORT int gbaue_selftest(void) GBA_WARN_UNUSED;

/**
 * gbaue_clear() - wipe the context (keys included).  The saved blob is
 * untouched.  NULL-safe.
 */
GBA_EXPORT void gbaue_clear(struct gbaue_ctx *ctx);

#ifdef __cplusplus
}
#endif
#endif
