/*
 * req.h - the binding-neutral GBA Push Information request and response
 * (TS 33.223 clause 4 / 5: GPI Request and GPI Response over Zpn), the
 * common model behind the Nbsp JSON binding (TS 29.309, nbsp.c) and the
 * Zpn web-service binding (TS 29.109 clause 5.5, zpn.c).  Field names
 * follow the TS 29.309 PushInfoRequest / PushInfoResponse; the mapping
 * table is in docs/bsf.md.
 *
 * Also the one table of problems (errors) both bindings report: HTTP
 * status, ProblemDetails cause, SOAP fault code (bsf_problem_info()).
 */
#ifndef BSF_REQ_H
#define BSF_REQ_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"
#include "gba/kdf.h"
#include "gba/aka.h"
#include "bsf_limits.h"

enum bsf_ue_id_type {
	BSF_UEID_PUBLIC = 0,  /* IMPU (SIP or tel URI) */
	BSF_UEID_PRIVATE = 1, /* IMPI */
};

struct bsf_push_req {
	char ue_id[BSF_UE_ID_MAX + 1];            /* ueId, NUL-terminated */
	size_t ue_id_len;
	enum bsf_ue_id_type ue_id_type;           /* ueIdType */
	char app_label[BSF_APP_LABEL_MAX + 1];    /* uiccAppLabel */
	size_t app_label_len;
	int gba_u;                                /* uiccOrMe: 1 = GBA_U */
	char naf_fqdn[GBA_FQDN_MAX + 1];          /* nafId.nafFqdn */
	uint8_t ua_id[GBA_UA_ID_LEN];             /* nafId.uaSecProtId */
	char p_tid[BSF_PTID_MAX + 1];             /* ptId (Nbsp: required) */
	size_t p_tid_len;                         /* 0 (Zpn): BSF makes one */
	int64_t requested_expiry;                 /* requestedLifeTime, Unix s */
	int has_requested_expiry;
	int private_id_request;                   /* privateIdRequest */
	int gba_u_aware;                          /* gbaUAware */
	uint32_t gs_ids[BSF_REQ_GSIDS_MAX];            /* gsIds */
	size_t n_gs_ids;
	/* Zpn only: each gsid as given (decoder-collapsed), "" from Nbsp;
	 * what uss.c compares (uss.h choice 1) */
	char gs_id_text[BSF_REQ_GSIDS_MAX][BSF_REQ_GSID_TEXT_MAX + 1];
	int has_resync;                           /* auts and rand both given */
	uint8_t auts[GBA_AUTS_LEN];               /* auts, 14 octets */
	uint8_t rand_[GBA_RAND_LEN];              /* rand, 16 octets */
};

struct bsf_push_res {
	uint8_t gpi[GBA_GPI_MAX];                 /* gbaPushInfo */
	size_t gpi_len;
	uint8_t me_key[GBA_KDF_OUT_LEN];          /* meKeyMaterial (secret) */
	uint8_t uicc_key[GBA_KDF_OUT_LEN];        /* uiccKeyMaterial (secret) */
	int has_uicc_key;
	int64_t key_expiry;                       /* keyExpiryTime, Unix s */
	int64_t created;                          /* bootstrappingInfoCreationTime */
	char impi[GBA_IMPI_MAX + 1];              /* impi, when allowed */
	int has_impi;
	int gba_u;                                /* echo of uiccOrMe */
	char p_tid[BSF_PTID_MAX + 1];             /* the P-TID in the GPI */
	int p_tid_generated;                      /* 1: made by the BSF */
	char ue_id[BSF_UE_ID_MAX + 1];            /* the request's ueId:
						   * Uss.ueIds when the USS
						   * lists none (nbsp.c) */
	char uss_list[BSF_USS_LIST_MAX + 1];      /* ussList XML (uss.h) */
	size_t uss_list_len;                      /* 0: no ussList */
	unsigned retry_after;                     /* s, with a 429 */
};

/**
 * bsf_ptid_random() - a P-TID for a request without one: 128 random bits
 * (digest section 12: >= 64 bits, unlinkable) as unpadded base64url
 * (RFC 4648 clause 5), 22 characters + NUL.  Project choice.
 */
int bsf_ptid_random(char out[BSF_PTID_RANDOM_LEN + 1]) GBA_WARN_UNUSED;

/** bsf_push_res_clear() - wipe the key material (every exit path). */
void bsf_push_res_clear(struct bsf_push_res *res);

enum bsf_problem {
	BSF_PB_OK = 0,
	BSF_PB_INVALID_MSG_FORMAT,   /* 400 JSON/XML not parseable */
	BSF_PB_MANDATORY_IE_MISSING, /* 400 */
	BSF_PB_MANDATORY_IE_INCORRECT, /* 400 bad value, bad hex ... */
	BSF_PB_OPTIONAL_IE_INCORRECT, /* 400 */
	BSF_PB_CLIENT_CERT,          /* 403 no / untrusted certificate */
	BSF_PB_NAF_NOT_AUTHORIZED,   /* 403 not a Push-NAF or NAF_Id not allowed */
	BSF_PB_USER_NOT_FOUND,       /* 404 unknown UE or UE not associated */
	BSF_PB_RESYNC_FAILURE,       /* 403 AUTS MAC-S did not verify */
	BSF_PB_GBA_U_NOT_SUPPORTED,  /* 403 GBA_U asked, UICC not capable */
	BSF_PB_UICC_APP_UNKNOWN,     /* 403 uiccAppLabel not on the UICC */
	BSF_PB_RESOURCE_NOT_FOUND,   /* 404 unknown path */
	BSF_PB_METHOD_NOT_ALLOWED,   /* 405 */
	BSF_PB_PAYLOAD_TOO_LARGE,    /* 413 */
	BSF_PB_UNSUPPORTED_MEDIA_TYPE, /* 415 */
	BSF_PB_TOO_MANY_REQUESTS,    /* 429 rate limit */
	BSF_PB_SYSTEM_FAILURE,       /* 500 */
	BSF_PB_SERVICE_UNAVAILABLE,  /* 503 store busy, draining */
	BSF_PB_MUST_UNDERSTAND,      /* Zpn: SOAP 1.1 4.4.1 MustUnderstand */
	BSF_PB_URI_TOO_LONG,         /* 414 */
	BSF_PB_HEADERS_TOO_LARGE,    /* 431 */
	BSF_PB_HTTP_VERSION,         /* 505 */
	BSF_PB_COUNT_
};

struct bsf_problem_info {
	int status;              /* HTTP status */
	const char *cause;       /* ProblemDetails "cause" (project choice) */
	const char *title;       /* ProblemDetails "title" / SOAP faultstring */
	int client_fault;        /* SOAP 1.1 faultcode: 1 Client, 0 Server */
};

/** bsf_problem_info() - the table entry for @pb (never NULL). */
const struct bsf_problem_info *bsf_problem_info(enum bsf_problem pb);

/**
 * bsf_time_parse() - RFC 3339 date-time (TS 29.571 DateTime), e.g.
 * "2026-11-24T10:00:00Z" or "...T10:00:00.5+02:00"; fractions dropped.
 * Return: GBA_OK, GBA_ERR_MALFORMED, GBA_ERR_TOO_LARGE.
 */
int bsf_time_parse(const char *s, size_t len, int64_t *out) GBA_WARN_UNUSED;
/** bsf_time_format() - "YYYY-MM-DDTHH:MM:SSZ" (21 octets with NUL). */
int bsf_time_format(int64_t t, char *out, size_t cap) GBA_WARN_UNUSED;

#endif
