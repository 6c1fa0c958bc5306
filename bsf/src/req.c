/* see req.h */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "gba/crypto.h"
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
 * (TS 29.309 defines no application error list in the digest).
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

static int digits(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return GBA_ERR_MALFORMED;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return GBA_OK;
}

/* days from 1970-01-01 to y-m-d (proleptic Gregorian), Howard Hinnant's
 * civil-from-days inverse */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int bsf_time_parse(const char *s, size_t len, int64_t *out)
{
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30,
					  31, 31, 30, 31, 30, 31 };
	unsigned y, mo, d, h, mi, se, oh = 0, om = 0;
	int64_t t;
	size_t i = 19;
	int sign = 0;

	*out = 0;
	if (len > BSF_DATETIME_MAX)
		return GBA_ERR_TOO_LARGE;
	if (len < 20 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' ||
	    digits(s, 4, &y) || digits(s + 5, 2, &mo) ||
	    digits(s + 8, 2, &d) || digits(s + 11, 2, &h) ||
	    digits(s + 14, 2, &mi) || digits(s + 17, 2, &se))
		return GBA_ERR_MALFORMED;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || se > 60)
		return GBA_ERR_MALFORMED;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return GBA_ERR_MALFORMED;
	if (s[i] == '.') {
		i++;
		if (i >= len || s[i] < '0' || s[i] > '9')
			return GBA_ERR_MALFORMED;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i >= len)
		return GBA_ERR_MALFORMED;
	if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
		sign = 0;
	} else if ((s[i] == '+' || s[i] == '-') && len - i == 6 &&
		   s[i + 3] == ':' && !digits(s + i + 1, 2, &oh) &&
		   !digits(s + i + 4, 2, &om) && oh <= 23 && om <= 59) {
		sign = s[i] == '+' ? 1 : -1;
	} else {
		return GBA_ERR_MALFORMED;
	}
	if (se == 60)
		se = 59; /* leap second: clamp */
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	t -= sign * (int64_t)(oh * 3600 + om * 60);
	*out = t;
	return GBA_OK;
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
