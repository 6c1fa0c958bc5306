/* see problem.h */
#include "problem.h"

/*
 * HTTP status and cause per problem.  The status codes follow TS 29.500
 * usage; the cause strings marked (pc) are project choices, unconfirmed
 * (TS 29.309 defines no application error list).
 */
/* one problem a line: id, HTTP status, cause, title, SOAP Client fault */
#define PB(id, status, cause, title, client) \
	[BSF_PB_##id] = { status, cause, title, client }

static const struct bsf_problem_info problems[BSF_PB_COUNT_] = {
	PB(OK, 200, "OK", "OK", 0),
	PB(INVALID_MSG_FORMAT, 400, "INVALID_MSG_FORMAT", "Malformed request body", 1),
	PB(MANDATORY_IE_MISSING, 400, "MANDATORY_IE_MISSING", "Mandatory field missing", 1),
	PB(MANDATORY_IE_INCORRECT, 400, "MANDATORY_IE_INCORRECT", "Mandatory field incorrect", 1),
	PB(OPTIONAL_IE_INCORRECT, 400, "OPTIONAL_IE_INCORRECT", "Optional field incorrect", 1),
	PB(CLIENT_CERT, 403, "CLIENT_CERTIFICATE_REJECTED", "Client certificate missing or not trusted", 1),
	PB(NAF_NOT_AUTHORIZED, 403, "NAF_NOT_AUTHORIZED", "Push-NAF not authorized for this NAF_Id", 1),
	PB(USER_NOT_FOUND, 404, "USER_NOT_FOUND", "User unknown or not served for this Push-NAF", 1),
	PB(RESYNC_FAILURE, 403, "RESYNC_FAILURE", "AUTS did not verify", 1),
	PB(GBA_U_NOT_SUPPORTED, 403, "GBA_U_NOT_SUPPORTED", "GBA_U not supported for this user", 1),
	PB(UICC_APP_UNKNOWN, 403, "UICC_APP_UNKNOWN", "UICC application label not known", 1),
	PB(RESOURCE_NOT_FOUND, 404, "RESOURCE_URI_STRUCTURE_NOT_FOUND", "No such resource", 1),
	PB(METHOD_NOT_ALLOWED, 405, "METHOD_NOT_ALLOWED", "Method not allowed", 1),
	PB(PAYLOAD_TOO_LARGE, 413, "PAYLOAD_TOO_LARGE", "Request body too large", 1),
	PB(UNSUPPORTED_MEDIA_TYPE, 415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported content type", 1),
	PB(TOO_MANY_REQUESTS, 429, "NF_CONGESTION_RISK", "Rate limit for this Push-NAF or UE exceeded", 0),
	PB(SYSTEM_FAILURE, 500, "SYSTEM_FAILURE", "Internal error", 0),
	PB(SERVICE_UNAVAILABLE, 503, "SERVICE_UNAVAILABLE", "Service temporarily unavailable", 0),
	/* (pc) a mandatory SOAP header block the BSF does not process; the
	 * Zpn fault code is soap:MustUnderstand (zpn.c), never on Nbsp */
	PB(MUST_UNDERSTAND, 400, "MUST_UNDERSTAND", "SOAP header block not understood", 1),
	/* (pc) request line / header section over the server's limits
	 * (RFC 9110 15.5.15, RFC 6585 5) */
	PB(URI_TOO_LONG, 414, "URI_TOO_LONG", "Request URI too long", 1),
	PB(HEADERS_TOO_LARGE, 431, "HEADER_FIELDS_TOO_LARGE", "Request header fields too large", 1),
	PB(HTTP_VERSION, 505, "HTTP_VERSION_NOT_SUPPORTED", "HTTP version not supported", 1),
};
#undef PB

const struct bsf_problem_info *bsf_problem_info(enum bsf_problem pb)
{
	if ((unsigned)pb >= BSF_PB_COUNT_)
		pb = BSF_PB_SYSTEM_FAILURE;
	return &problems[pb];
}
