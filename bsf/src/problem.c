/* see problem.h */
#include "problem.h"

/*
 * HTTP status and cause per problem.  The status codes follow TS 29.500
 * usage; the cause strings marked (pc) are project choices, unconfirmed
 * (TS 29.309 defines no application error list).
 */
static const struct bsf_problem_info problems[BSF_PB_COUNT_] = {
	[BSF_PB_OK] = { 200, "OK", "OK", 0 },
	[BSF_PB_INVALID_MSG_FORMAT] = { 400, "INVALID_MSG_FORMAT",
					"Malformed request body", 1 },
	[BSF_PB_MANDATORY_IE_MISSING] = { 400, "MANDATORY_IE_MISSING",
					  "Mandatory field missing", 1 },
	[BSF_PB_MANDATORY_IE_INCORRECT] = { 400, "MANDATORY_IE_INCORRECT",
					    "Mandatory field incorrect", 1 },
	[BSF_PB_OPTIONAL_IE_INCORRECT] = { 400, "OPTIONAL_IE_INCORRECT",
					   "Optional field incorrect", 1 },
	[BSF_PB_CLIENT_CERT] = { 403, "CLIENT_CERTIFICATE_REJECTED",
				 "Client certificate missing or not trusted",
				 1 },
	[BSF_PB_NAF_NOT_AUTHORIZED] = { 403, "NAF_NOT_AUTHORIZED",
					"Push-NAF not authorized for this NAF_Id",
					1 },
	[BSF_PB_USER_NOT_FOUND] = { 404, "USER_NOT_FOUND",
				    "User unknown or not served for this Push-NAF",
				    1 },
	[BSF_PB_RESYNC_FAILURE] = { 403, "RESYNC_FAILURE",
				    "AUTS did not verify", 1 },
	[BSF_PB_GBA_U_NOT_SUPPORTED] = { 403, "GBA_U_NOT_SUPPORTED",
					 "GBA_U not supported for this user", 1 },
	[BSF_PB_UICC_APP_UNKNOWN] = { 403, "UICC_APP_UNKNOWN",
				      "UICC application label not known", 1 },
	[BSF_PB_RESOURCE_NOT_FOUND] = { 404, "RESOURCE_URI_STRUCTURE_NOT_FOUND",
					"No such resource", 1 },
	[BSF_PB_METHOD_NOT_ALLOWED] = { 405, "METHOD_NOT_ALLOWED",
					"Method not allowed", 1 },
	[BSF_PB_PAYLOAD_TOO_LARGE] = { 413, "PAYLOAD_TOO_LARGE",
				       "Request body too large", 1 },
	[BSF_PB_UNSUPPORTED_MEDIA_TYPE] = { 415, "UNSUPPORTED_MEDIA_TYPE",
					    "Unsupported content type", 1 },
	[BSF_PB_TOO_MANY_REQUESTS] = { 429, "NF_CONGESTION_RISK",
				       "Rate limit for this Push-NAF or UE exceeded",
				       0 },
	[BSF_PB_SYSTEM_FAILURE] = { 500, "SYSTEM_FAILURE", "Internal error",
				    0 },
	[BSF_PB_SERVICE_UNAVAILABLE] = { 503, "SERVICE_UNAVAILABLE",
					 "Service temporarily unavailable", 0 },
	/* (pc) a mandatory SOAP header block the BSF does not process; the
	 * Zpn fault code is soap:MustUnderstand (zpn.c), never on Nbsp */
	[BSF_PB_MUST_UNDERSTAND] = { 400, "MUST_UNDERSTAND",
				     "SOAP header block not understood", 1 },
	/* (pc) request line / header section over the server's limits
	 * (RFC 9110 15.5.15, RFC 6585 5) */
	[BSF_PB_URI_TOO_LONG] = { 414, "URI_TOO_LONG", "Request URI too long",
				  1 },
	[BSF_PB_HEADERS_TOO_LARGE] = { 431, "HEADER_FIELDS_TOO_LARGE",
				       "Request header fields too large", 1 },
	[BSF_PB_HTTP_VERSION] = { 505, "HTTP_VERSION_NOT_SUPPORTED",
				  "HTTP version not supported", 1 },
};

const struct bsf_problem_info *bsf_problem_info(enum bsf_problem pb)
{
	if ((unsigned)pb >= BSF_PB_COUNT_)
		pb = BSF_PB_SYSTEM_FAILURE;
	return &problems[pb];
}
