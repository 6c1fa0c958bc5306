/*
 * gba/diam.h - the host library gba_diam: the freeDiameter 1.2 core of a
 * gbapush program (one per process) and the dictionary objects of the
 * GBA Push reference point Zpn over Diameter (TS 29.109 clause 5.4 and
 * clause 6: application 16777220, GBA-Push-Info command 312, the AVPs
 * 400 to 420 of TS 29.109 clause 6.3, vendor 10415).
 *
 * The dictionary is registered table-driven (diam.c), looked up by code
 * first so that an object some other registration (a freeDiameter
 * extension, the Zh part) already made is reused, not made twice.  What
 * of it is unconfirmed (the GPR/GPA ABNF, the types of 419/420, the M bit
 * of 419/420) is listed in docs/diameter.md "Zpn over Diameter".
 *
 * Transport (TLS/TCP or plain TCP, peers, realm, identity) is the
 * freeDiameter configuration file the caller names: No_SCTP where the
 * kernel has no SCTP.
 */
#ifndef GBA_DIAM_H
#define GBA_DIAM_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"

/* TS 29.109 clause 6 / TS 29.230: vendor, application, command */
#define GBA_DIAM_VENDOR_3GPP 10415u
#define GBA_DIAM_APP_ZN 16777220u /* Zn, reused for Zpn (TS 29.109 5.4) */
#define GBA_DIAM_CMD_GPI 312u	  /* GBA-Push-Info Request / Answer */
#define GBA_DIAM_AVP_FIRST 400u
#define GBA_DIAM_AVP_LAST 420u

/* TS 29.109 clause 6.3 AVP codes used by Zpn */
enum gba_diam_avp {
	GBA_DIAM_GBA_USERSECSETTINGS = 400,
	GBA_DIAM_NAF_ID = 402,
	GBA_DIAM_GAA_SERVICE_IDENTIFIER = 403,
	GBA_DIAM_KEY_EXPIRYTIME = 404,
	GBA_DIAM_ME_KEY_MATERIAL = 405,
	GBA_DIAM_UICC_KEY_MATERIAL = 406,
	GBA_DIAM_GBA_U_AWARENESS_INDICATOR = 407,
	GBA_DIAM_BOOTSTRAPINFOCREATIONTIME = 408,
	GBA_DIAM_GBA_TYPE = 410,
	GBA_DIAM_UE_ID = 411,
	GBA_DIAM_UE_ID_TYPE = 412,
	GBA_DIAM_UICC_APP_LABEL = 413,
	GBA_DIAM_UICC_ME = 414,
	GBA_DIAM_REQUESTED_KEY_LIFETIME = 415,
	GBA_DIAM_PRIVATE_IDENTITY_REQUEST = 416,
	GBA_DIAM_GBA_PUSH_INFO = 417,
	GBA_DIAM_NAF_SA_IDENTIFIER = 418,
	GBA_DIAM_SECURITY_FEATURE_REQUEST = 419,
	GBA_DIAM_SECURITY_FEATURE_RESPONSE = 420,
};

/*
 * Zh (TS 29.109 clause 4.2 / 6.1: MAR/MAA of TS 29.229 clause 6.1.7/6.1.8
 * reused on application 16777221) and the Cx AVPs it reuses (TS 29.229
 * clause 6.3: codes, types, flags; vendor 10415, M and V set).  How the AV
 * sits in SIP-Auth-Data-Item on Zh is partly unconfirmed: docs/diameter.md.
 */
#define GBA_DIAM_APP_ZH 16777221u
#define GBA_DIAM_CMD_MA 303u /* Multimedia-Auth Request / Answer */

enum gba_diam_cx_avp {
	GBA_DIAM_PUBLIC_IDENTITY = 601,
	GBA_DIAM_SIP_NUMBER_AUTH_ITEMS = 607,
	GBA_DIAM_SIP_AUTHENTICATION_SCHEME = 608,
	GBA_DIAM_SIP_AUTHENTICATE = 609,
	GBA_DIAM_SIP_AUTHORIZATION = 610,
	GBA_DIAM_SIP_AUTHENTICATION_CONTEXT = 611,
	GBA_DIAM_SIP_AUTH_DATA_ITEM = 612,
	GBA_DIAM_SIP_ITEM_NUMBER = 613,
	GBA_DIAM_CONFIDENTIALITY_KEY = 625,
	GBA_DIAM_INTEGRITY_KEY = 626,
};
#define GBA_DIAM_CX_FIRST 601u
#define GBA_DIAM_CX_LAST 626u
#define GBA_DIAM_GUSS_TIMESTAMP 409u

/* TS 29.229 clause 6.2.2.1 / TS 29.109 clause 6.2.2: user unknown */
#define GBA_DIAM_ERROR_USER_UNKNOWN 5001u
/* RFC 6733 7.1.5 */
#define GBA_DIAM_UNABLE_TO_COMPLY 5012u
#define GBA_DIAM_INVALID_AVP_VALUE 5004u
#define GBA_DIAM_MISSING_AVP 5005u
/* TS 29.229 6.2.2.x: DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED */
#define GBA_DIAM_ERROR_AUTH_SCHEME_NOT_SUPPORTED 5006u

/* the scheme of the Zh AV (TS 33.220 clause 4.5.2: HTTP Digest AKA) */
#define GBA_DIAM_SCHEME_AKA "Digest-AKAv1-MD5"

/* TS 29.109 clause 6.2.2 Experimental-Result-Code values (vendor 10415) */
#define GBA_DIAM_ERROR_IDENTITY_UNKNOWN 5401u
#define GBA_DIAM_ERROR_NOT_AUTHORIZED 5402u

/* RFC 6733 Time: seconds since 1900-01-01 00:00 UTC, 32 bits */
#define GBA_DIAM_NTP_OFFSET 2208988800LL

struct dict_object;

/*
 * struct gba_diam_dict - the dictionary objects a Zpn peer uses (freeDiameter
 * handles, valid while the core runs).
 */
struct gba_diam_dict {
	struct dict_object *app;       /* 16777220 */
	struct dict_object *gpr, *gpa; /* command 312 R / A */
	struct dict_object *avp[GBA_DIAM_AVP_LAST - GBA_DIAM_AVP_FIRST + 1];
	/* base protocol (RFC 6733) */
	struct dict_object *session_id, *vsai, *vendor_id, *auth_app_id,
		*auth_session_state, *origin_host, *origin_realm,
		*destination_host, *destination_realm, *user_name, *result_code,
		*experimental_result, *experimental_result_code;
};

/* the Zh dictionary objects (registered with the Zpn ones) */
struct gba_diam_zh {
	struct dict_object *app;       /* 16777221 */
	struct dict_object *mar, *maa; /* command 303 R / A */
	struct dict_object *avp[GBA_DIAM_CX_LAST - GBA_DIAM_CX_FIRST + 1];
};

/**
 * gba_diam_start() - start the freeDiameter core of this process with the
 * configuration file @conf: initialise, parse @conf, register the Zpn
 * dictionary, start.  freeDiameter's own log lines at @log_level (FD_LOG_*
 * of libfdproto.h) or above go to @sink (NULL: stderr); its last line of
 * level FD_LOG_ERROR or above is kept for gba_diam_last_error().
 * Return: GBA_OK, GBA_ERR_STATE (already started), GBA_ERR_CONFIG (@conf
 * refused), GBA_ERR_INTERNAL.
 */
int gba_diam_start(const char *conf, int log_level,
		   void (*sink)(int level, const char *line)) GBA_WARN_UNUSED;

/** gba_diam_last_error() - freeDiameter's last error line, or "". */
const char *gba_diam_last_error(void);

/** gba_diam_stop() - shut the core down and wait for it (idempotent). */
void gba_diam_stop(void);

/**
 * gba_diam_zpn() - the Zpn dictionary objects (after gba_diam_start()),
 * or NULL when the core does not run.
 */
const struct gba_diam_dict *gba_diam_zpn(void);

/** gba_diam_zh() - the Zh dictionary objects, or NULL (core not running) */
const struct gba_diam_zh *gba_diam_zh(void);

/**
 * gba_diam_cx_avp() - the dictionary object of the Cx AVP @code (601..626
 * as in enum gba_diam_cx_avp) or NULL.
 */
struct dict_object *gba_diam_cx_avp(unsigned code);

/**
 * gba_diam_avp() - the dictionary object of TS 29.109 AVP @code (400..420)
 * or NULL.
 */
struct dict_object *gba_diam_avp(unsigned code);

/**
 * gba_diam_wait_open() - wait until the peer @id (Diameter Identity, as in
 * the configuration's ConnectPeer) is in state Open.
 * Return: GBA_OK, GBA_ERR_NOT_FOUND (no such peer), GBA_ERR_TIMEOUT.
 */
int gba_diam_wait_open(const char *id, long timeout_ms) GBA_WARN_UNUSED;

/*
 * AVP builders: append one AVP of dictionary object @o to @m, a message
 * (struct msg *) or a grouped AVP (struct avp *).  An @o of NULL (the
 * dictionary lacks it) fails.  Return: 0, or -1.
 */
int gba_diam_add_os(void *m, struct dict_object *o, const void *p, size_t n);
int gba_diam_add_u32(void *m, struct dict_object *o, uint32_t u);
int gba_diam_add_i32(void *m, struct dict_object *o, int32_t i);
/* Vendor-Specific-Application-Id {Vendor-Id 10415, Auth-Application-Id
 * @app} (RFC 6733 clause 6.11) */
int gba_diam_add_vsai(void *m, const struct gba_diam_dict *d, uint32_t app);
/* Experimental-Result {Vendor-Id 10415, Experimental-Result-Code @code}
 * (RFC 6733 clause 7.6) */
int gba_diam_add_experimental(void *m, const struct gba_diam_dict *d,
			      uint32_t code);

/*
 * Secret AVPs (TS 33.220 / TS 33.223 keys and the AV's XRES, CK, IK): one
 * table in diam_secret.c, vendor 10415, codes 610 SIP-Authorization, 625
 * Confidentiality-Key, 626 Integrity-Key, 405 ME-Key-Material, 406
 * UICC-Key-Material.  gba_diam_start() also registers a freeDiameter hook
 * that wipes them in every answer freeDiameter frees itself (sent or
 * dropped).  What stays out of reach: docs/diameter.md.
 */

/** gba_diam_secret_avp() - 1 if AVP @vendor/@code carries a secret, else 0 */
int gba_diam_secret_avp(uint32_t vendor, uint32_t code);

/**
 * gba_diam_wipe_secrets() - wipe in place the values of the secret AVPs in
 * @m (a struct msg * or a grouped struct avp *; NULL: nothing), grouped
 * AVPs included; call it before freeing a message that holds them.
 * Return: the number of AVP values wiped.
 */
size_t gba_diam_wipe_secrets(void *m);

struct avp;
struct avp_hdr;

/**
 * gba_diam_avp_next() - the AVPs right below @parent (a message or a
 * Grouped AVP) one by one: *@a NULL before the first call, then the AVP
 * of the last one.
 * Return: 1 (*@a and its header *@h set), 0 (no more), -1 (freeDiameter
 * could not browse or read the header).
 */
int gba_diam_avp_next(void *parent, struct avp **a, struct avp_hdr **h);

/** gba_diam_time_get() / _put(): RFC 6733 Time <-> Unix seconds */
int64_t gba_diam_time_get(const uint8_t *p, size_t len);
void gba_diam_time_put(int64_t unix_s, uint8_t out[4]);

#endif
