/*
 * req.h - the binding-neutral GBA Push Information request and response
 * (TS 33.223 clause 4 / 5: GPI Request and GPI Response over Zpn), the
 * common model behind the Nbsp JSON binding (TS 29.309, nbsp.c) and the
 * Zpn web-service binding (TS 29.109 clause 5.5, zpn.c).  Field names
 * follow the TS 29.309 PushInfoRequest / PushInfoResponse; the mapping
 * table is in docs/bsf.md.
 *
 * The problems both bindings report are in problem.h, the RFC 3339 times
 * in rfc3339.h, the P-TID the BSF makes in ptid.h.
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

/*
 * The one request check: the length and character rules of the request's
 * text fields, whatever the binding (nbsp.c and zpn.c map syntax to these
 * calls).  Identities, labels and the P-TID are 1..max (the label 0..max)
 * printable ASCII octets 0x21..0x7E, as they enter KDF inputs and the GPI;
 * the NAF FQDN follows the project's one FQDN rule (gba/fqdn.h, TS 29.571
 * Fqdn) and is stored in canonical form.  The two-word fields take the
 * same words on both bindings.
 */
enum bsf_req_text {
	BSF_RT_UE_ID,      /* ueId / userId, 1..BSF_UE_ID_MAX */
	BSF_RT_APP_LABEL,  /* uiccAppLabel, 0..BSF_APP_LABEL_MAX */
	BSF_RT_P_TID,      /* ptId / ptid, 1..BSF_PTID_MAX */
	BSF_RT_NAF_FQDN,   /* nafId.nafFqdn, gba_fqdn_valid() */
	BSF_RT_UE_ID_TYPE, /* ueIdType / userIdType: PUBLIC or PRIVATE */
	BSF_RT_UICC_ME,    /* uiccOrMe / uiccMe: GBA_ME or GBA_U */
	BSF_RT_COUNT_
};

/**
 * bsf_req_set_text() - check @s (@n octets, not NUL-terminated) against
 * the rule of field @f and, when it passes, store it in @req (NUL-
 * terminated; the NAF FQDN canonical).
 * Return: 1 stored, 0 refused (@req unchanged).
 */
int bsf_req_set_text(struct bsf_push_req *req, enum bsf_req_text f,
		     const char *s, size_t n);

/**
 * bsf_req_add_gsid() - append the GSID @s (@n octets of decimal digits,
 * not NUL-terminated, a Uint32) to @req, its text kept as given: a Zpn
 * gsid element or GAA-Service-Identifier AVP.
 * Return: 1 stored, 0 refused (list full, empty, too long, not a Uint32;
 * @req unchanged).
 */
int bsf_req_add_gsid(struct bsf_push_req *req, const char *s, size_t n);

/** bsf_push_res_clear() - wipe the key material (every exit path). */
void bsf_push_res_clear(struct bsf_push_res *res);

#endif
