/*
 * problem.h - the one table of problems (errors) both request bindings
 * report: HTTP status (as TS 29.500 uses them), TS 29.571
 * ProblemDetails cause and title, SOAP 1.1 fault code (Zpn, TS 29.109
 * clause 5.5).  The cause strings are project choices, unconfirmed
 * (docs/bsf.md "Status codes and causes").
 */
#ifndef BSF_PROBLEM_H
#define BSF_PROBLEM_H

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

#endif
