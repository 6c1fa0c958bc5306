/* see req.h */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "gba/crypto.h"
#include "gba/text.h"
#include "req.h"

void bsf_push_res_clear(struct bsf_push_res *res)
{
	if (!res)
		return;
	gba_cleanse(res->me_key, sizeof(res->me_key));
	gba_cleanse(res->uicc_key, sizeof(res->uicc_key));
	gba_cleanse(res->impi, sizeof(res->impi));
}

/*
 * HTTP status and cause per problem.  The status codes follow TS 29.500
 * usage; the cause strings marked (pc) are project choices, unconfirmed
 * (the TS 29.309 OpenAPI defines no application error list).
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

int bsf_time_parse(const char *s, size_t len, int64_t *out)
{
	return gba_datetime_parse(s, len, out);
}

int bsf_time_format(int64_t t, char *out, size_t cap)
{
	struct tm tm;
	time_t tt = (time_t)t;
	int n;

	if (!gmtime_r(&tt, &tm))
		return GBA_ERR_BAD_PARAM;
	n = snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec);
	if (n < 0 || (size_t)n >= cap)
		return GBA_ERR_NO_SPACE;
	return GBA_OK;
}

int bsf_fqdn_valid(const char *s, size_t len)
{
	size_t i, lab = 0;

	if (len < 1 || len > 253)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '.') {
			if (lab == 0 || s[i - 1] == '-')
				return 0;
			lab = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-'))
			return 0;
		if (c == '-' && lab == 0)
			return 0;
		if (++lab > 63)
			return 0;
	}
	return lab > 0 && s[len - 1] != '-';
}

static int alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

int bsf_fqdn_29571(const char *s, size_t len)
{
	size_t i = 0, start, labels = 0, alpha;

	if (len < 4 || len > 253)
		return 0;
	if (s[len - 1] == '.')
		len--;
	for (;;) {
		/* one label: [0-9A-Za-z]([-0-9A-Za-z]{0,61}[0-9A-Za-z])? */
		start = i;
		alpha = 1;
		while (i < len && (alnum(s[i]) || s[i] == '-')) {
			if (!((s[i] >= 'a' && s[i] <= 'z') ||
			      (s[i] >= 'A' && s[i] <= 'Z')))
				alpha = 0;
			i++;
		}
		if (i == start || i - start > 63 || s[start] == '-' ||
		    s[i - 1] == '-')
			return 0;
		labels++;
		if (i == len) /* the last label: [A-Za-z]{2,63} */
			return labels >= 2 && alpha && i - start >= 2;
		if (s[i] != '.')
			return 0;
		i++;
	}
}

void bsf_naf_fqdn_canon(const char *s, size_t len, char out[GBA_FQDN_MAX + 1])
{
	size_t i;

	if (len && s[len - 1] == '.')
		len--;
	if (len > GBA_FQDN_MAX)
		len = GBA_FQDN_MAX;
	for (i = 0; i < len; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	out[len] = '\0';
}

int bsf_ptid_random(char out[BSF_PTID_RANDOM_LEN + 1])
{
	static const char b64u[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				   "qrstuvwxyz0123456789-_";
	uint8_t rnd[BSF_PTID_RANDOM_BITS / 8 + 1];
	size_t i, o = 0;
	int r;

	out[0] = '\0';
	if ((r = gba_random(rnd, BSF_PTID_RANDOM_BITS / 8)) != 0)
		return r;
	rnd[BSF_PTID_RANDOM_BITS / 8] = 0;
	/* 16 octets -> 22 base64url characters (RFC 4648 5, no padding) */
	for (i = 0; i < 15; i += 3) {
		uint32_t v = (uint32_t)rnd[i] << 16 | (uint32_t)rnd[i + 1] << 8 |
			     rnd[i + 2];

		out[o++] = b64u[(v >> 18) & 63];
		out[o++] = b64u[(v >> 12) & 63];
		out[o++] = b64u[(v >> 6) & 63];
		out[o++] = b64u[v & 63];
	}
	out[o++] = b64u[rnd[15] >> 2];
	out[o++] = b64u[(rnd[15] & 3) << 4];
	out[o] = '\0';
	gba_cleanse(rnd, sizeof(rnd));
	return GBA_OK;
}
