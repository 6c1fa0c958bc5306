/*
 * bsf_limits.h - every hard maximum of the BSF daemon in one place
 * (style.md C9).  Values that an operator may lower are only the upper
 * bounds of the matching config keys (docs/bsf.md "Configuration").
 */
#ifndef BSF_LIMITS_H
#define BSF_LIMITS_H

#include "gba/kdf.h"
#include "gba/gpi.h"

/* Request body: default and absolute ceiling ([limits] max_body). */
#define BSF_BODY_DEFAULT 16384
#define BSF_BODY_CEILING (1024 * 1024)

/* JSON / XML structure. */
#define BSF_JSON_DEPTH_MAX 8        /* nesting of a PushInfoRequest */
#define BSF_XML_DEPTH_MAX 16        /* nesting of a SOAP request */
#define BSF_XML_NODES_MAX 256       /* elements in one SOAP request */
#define BSF_REQ_GSIDS_MAX 16        /* entries of gsIds / gsid */
#define BSF_REQ_GSID_TEXT_MAX 10    /* digits of one Zpn gsid (uint32) */
#define BSF_UE_ID_MAX 255           /* ueId / userId octets */
#define BSF_APP_LABEL_MAX GBA_APP_LABEL_MAX
#define BSF_PTID_MAX GBA_PTID_MAX
#define BSF_IDENTITY_MAX 255        /* client certificate identity */
#define BSF_DATETIME_MAX 64         /* RFC 3339 text */

/*
 * The subscriber store (store.h).  Exceeding one gives GBA_ERR_TOO_LARGE
 * or GBA_ERR_BAD_PARAM.  A store limit on a value that a request names
 * must not exceed the request limit, or the store would accept what no
 * request can reach: a UICC application label is at most
 * GBA_APP_LABEL_MAX (32, the project's GPI limit, gba/gpi.h) octets in a
 * request (BSF_APP_LABEL_MAX, uiccAppLabel / UICC-App-Label) and in the
 * GPI, so the store takes no longer one.
 */
#define BSF_IMPI_MAX 255    /* octets, NAI (TS 23.003 13.3) */
#define BSF_IMPU_MAX 255    /* octets, one sip:/sips:/tel: URI */
#define BSF_IMSI_MAX 15     /* digits */
#define BSF_IMPUS_MAX 16    /* IMPUs per subscriber */
#define BSF_LABEL_MAX BSF_APP_LABEL_MAX /* octets, one UICC app label */
#define BSF_LABELS_MAX 8    /* labels per subscriber */
#define BSF_CERT_ID_MAX 255 /* SAN dNSName or CN */
#define BSF_NAF_NAME_MAX 63
#define BSF_FQDN_MAX 255
#define BSF_NAF_IDS_MAX 32  /* (FQDN, Ua id) pairs per Push-NAF */
#define BSF_UA_ID_LEN 5     /* TS 33.220 Annex H */
#define BSF_GUSS_MAX 16384  /* octets of GUSS XML */
#define BSF_USS_MAX 32      /* USS entries in one GUSS */
#define BSF_GSID_MAX 64     /* octets of a GSID (GUSS uss@id) */
#define BSF_NAF_GROUP_MAX 64
#define BSF_USS_FLAGS_MAX 16

/* Generated P-TID: 128 random bits as unpadded base64url (22 chars). */
#define BSF_PTID_RANDOM_BITS 128
#define BSF_PTID_RANDOM_LEN 22

/* Response: the ussList XML (uss.h; = BSF_GUSS_MAX, the largest GUSS
 * the store accepts) and the whole encoded response (http.c), sized for
 * the rest of the response plus the ussList as JSON: its text escaped
 * (every '"' and line break may double) and, for each of the at most 32
 * USSs (BSF_USS_MAX) without <uids>, the request's ueId as Uss.ueIds
 * (escaped, plus the member names: nbsp.c). */
#define BSF_USS_LIST_MAX 16384
#define BSF_RESP_MAX \
	(8192 + 2 * BSF_USS_LIST_MAX + 32 * (2 * BSF_UE_ID_MAX + 96))

/* Server. */
#define BSF_THREADS_MAX 64
#define BSF_CONNECTIONS_MAX 65536
#define BSF_TIMEOUT_MAX 3600        /* seconds */
#define BSF_DRAIN_MAX 300           /* seconds */
#define BSF_RATE_NAFS_MAX 4096      /* Push-NAFs tracked by the limiter */

/* Connection guard (conn_guard.h): ceilings of the [limits] keys. */
#define BSF_HANDSHAKES_MAX 65536    /* max_handshakes */
#define BSF_PHASE_TIMEOUT_MAX 300   /* handshake/header/body_timeout, s */
#define BSF_GUARD_TICK_MS 100       /* deadline scan period */

/* Failed-handshake log lines (tls_fail.h): at most BURST lines per peer
 * address per WINDOW seconds; addresses tracked in PEERS slots. */
#define BSF_TLS_FAIL_LOG_BURST 5
#define BSF_TLS_FAIL_LOG_WINDOW_S 5.0
#define BSF_TLS_FAIL_PEERS 1024

/* Retry-After (seconds) of a 503 when the store is unreachable, e.g.
 * while PostgreSQL restarts (project choice). */
#define BSF_STORE_RETRY_AFTER 1

/* Key lifetime policy ceiling: one year (seconds). */
#define BSF_LIFETIME_CEILING (366u * 24u * 3600u)

#endif
