/*
 * see scs/scs.h - the Nbsp_GBA PushInfoRetrieval exchange over HTTPS with
 * mutual TLS (TS 29.309 6.2; TLS per TS 33.310 / TS 33.501 13.1 for SBA),
 * with libcurl.  No redirects are followed (307/308 are reported), only
 * https is allowed, the peer certificate and host name are verified.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curl/curl.h>
#include "gba/crypto.h"
#include "gba/text.h"
#include "scs/scs.h"
#include "scs_i.h"

/* the response body: up to SCS_RESP_MAX octets on the heap, wiped when
 * freed (it carries the NAF keys), gba/text.h */
static size_t on_data(char *p, size_t size, size_t nmemb, void *ud)
{
	struct gba_dynbuf *b = ud;
	size_t n = size * nmemb;

	if (gba_dynbuf_add(b, p, n) != GBA_OK)
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	return n;
}

/* see scs/scs.h */
int scs_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK
		       ? GBA_OK
		       : GBA_ERR_INTERNAL;
}

/* see scs/scs.h */
void scs_global_cleanup(void)
{
	curl_global_cleanup();
}

static int build_url(const char *base, char *out, size_t cap)
{
	static const char tail[] = "/push-info-retrieval";
	size_t n = strnlen(base, SCS_URL_MAX + 1);

	if (n == 0 || n > SCS_URL_MAX)
		return GBA_ERR_BAD_PARAM;
	if (strncmp(base, "https://", 8) != 0)
		return GBA_ERR_UNSUPPORTED;
	if (n >= sizeof(tail) - 1 &&
	    !strcmp(base + n - (sizeof(tail) - 1), tail)) {
		if (n + 1 > cap)
			return GBA_ERR_NO_SPACE;
		memcpy(out, base, n + 1);
		return GBA_OK;
	}
	while (n > 8 && base[n - 1] == '/')
		n--;
	if ((size_t)snprintf(out, cap, "%.*s%s", (int)n, base,
			     SCS_PATH_PUSH_INFO) >= cap)
		return GBA_ERR_NO_SPACE;
	return GBA_OK;
}

static int curl_map(CURLcode c, int too_large, const char *url,
		    const char *errbuf, struct scs_error *e)
{
	const char *why = errbuf[0] ? errbuf : curl_easy_strerror(c);
	char w[160];

	scs_sanitize(w, sizeof(w), why, strlen(why));
	if (too_large) {
		scs_err_set(e, 0, "BSF response larger than %d octets",
			    SCS_RESP_MAX);
		return GBA_ERR_TOO_LARGE;
	}
	switch (c) {
	case CURLE_OPERATION_TIMEDOUT:
		scs_err_set(e, 0, "BSF at %s did not answer in time", url);
		return GBA_ERR_TIMEOUT;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
		scs_err_set(e, 0, "cannot connect to the BSF at %s: %s", url,
			    w);
		return GBA_ERR_IO;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_INVALIDCERTSTATUS:
		scs_err_set(e, 0,
			    "TLS with the BSF failed (check --cert, "
			    "--key, --ca): %s",
			    w);
		return GBA_ERR_TLS;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
		/*
		 * In TLS 1.3 a server that rejects the client certificate
		 * says so after the client's handshake is over: the client
		 * reads the alert, or (a race) finds the connection reset.
		 */
		if (strstr(why, "alert")) {
			scs_err_set(e, 0,
				    "TLS with the BSF failed (the BSF "
				    "rejected the client certificate?): %s",
				    w);
			return GBA_ERR_TLS;
		}
		scs_err_set(e, 0,
			    "the BSF closed the connection (did it "
			    "reject the client certificate? --cert must come "
			    "from a CA the BSF trusts): %s",
			    w);
		return GBA_ERR_IO;
	default:
		scs_err_set(e, 0, "HTTP exchange with the BSF failed: %s", w);
		return GBA_ERR_IO;
	}
}

/* see scs/scs.h */
int scs_bsf_push_info(const struct scs_bsf *bsf, const struct scs_gpi_req *req,
		      struct scs_gpi_resp *resp, struct scs_error *e)
{
	char url[SCS_URL_MAX + sizeof(SCS_PATH_PUSH_INFO)];
	char json[SCS_JSON_MAX];
	char errbuf[CURL_ERROR_SIZE];
	struct curl_slist *hdr = NULL;
	CURL *h = NULL;
	CURLcode c;
	size_t jlen = 0;
	long status = 0, retry_after = -1;
	unsigned tries = 0;
	struct gba_dynbuf body;
	int r;

	gba_dynbuf_init(&body, SCS_RESP_MAX, GBA_DYNBUF_SECRET);
	memset(resp, 0, sizeof(*resp));
	if (e)
		memset(e, 0, sizeof(*e));
	errbuf[0] = '\0';
	if (!bsf || !bsf->url || !bsf->cert || !bsf->key || !bsf->ca) {
		scs_err_set(e, 0,
			    "BSF URL, client certificate, key and CA "
			    "are all required");
		return GBA_ERR_BAD_PARAM;
	}
	if ((r = build_url(bsf->url, url, sizeof(url))) != GBA_OK) {
		scs_err_set(e, 0,
			    r == GBA_ERR_UNSUPPORTED
				    ? "BSF URL must start with https://"
				    : "BSF URL is empty or too long");
		return r;
	}
	if ((r = scs_req_json(req, json, sizeof(json), &jlen)) != GBA_OK) {
		scs_err_set(e, 0, "invalid GPI request: %s", gba_strerror(r));
		return r;
	}
	r = GBA_ERR_NOMEM;
	if (!(h = curl_easy_init()))
		goto out;
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	if (hdr)
		hdr = curl_slist_append(hdr, "Accept: application/json, "
					     "application/problem+json");
	if (!hdr)
		goto out;
	if (curl_easy_setopt(h, CURLOPT_URL, url) ||
	    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https") ||
	    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https") ||
	    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L) ||
	    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) ||
	    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
			     bsf->timeout_ms > 0 ? bsf->timeout_ms : 10000L) ||
	    curl_easy_setopt(h, CURLOPT_SSLCERT, bsf->cert) ||
	    curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM") ||
	    curl_easy_setopt(h, CURLOPT_SSLKEY, bsf->key) ||
	    curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM") ||
	    curl_easy_setopt(h, CURLOPT_CAINFO, bsf->ca) ||
	    curl_easy_setopt(h, CURLOPT_CAPATH, NULL) ||
	    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L) ||
	    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L) ||
	    curl_easy_setopt(h, CURLOPT_SSLVERSION,
			     (long)CURL_SSLVERSION_TLSv1_2) ||
	    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr) ||
	    curl_easy_setopt(h, CURLOPT_POSTFIELDS, json) ||
	    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)jlen) ||
	    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data) ||
	    curl_easy_setopt(h, CURLOPT_WRITEDATA, &body) ||
	    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf)) {
		scs_err_set(e, 0, "libcurl lacks a required option");
		r = GBA_ERR_INTERNAL;
		goto out;
	}
	for (;;) {
		curl_off_t ra = -1;

		c = curl_easy_perform(h);
		if (c != CURLE_OK)
			break;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		/* 503 / 429 with a short Retry-After: the BSF issued nothing,
		 * the same request may go again after the wait (RFC 9110
		 * 10.2.3) */
		if ((status != 503 && status != 429) || tries >= bsf->retries ||
		    curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &ra) != CURLE_OK ||
		    ra < 0 || ra > SCS_RETRY_AFTER_MAX)
			break;
		retry_after = (long)ra;
		tries++;
		if (ra > 0)
			sleep((unsigned)ra);
		gba_dynbuf_free(&body);
		gba_dynbuf_init(&body, SCS_RESP_MAX, GBA_DYNBUF_SECRET);
	}
	if (c != CURLE_OK) {
		r = curl_map(c, gba_dynbuf_err(&body) == GBA_ERR_TOO_LARGE,
			     url, errbuf, e);
		goto out;
	}
	if (status == 200) {
		r = scs_resp_parse(gba_dynbuf_ptr(&body), gba_dynbuf_len(&body),
				   resp, e);
	} else if (status == 307 || status == 308) {
		scs_err_set(e, status,
			    "BSF redirected the request (%ld); "
			    "redirects are not followed, use the target URL",
			    status);
		r = GBA_ERR_HTTP;
	} else if (status >= 400) {
		r = scs_problem_map(status, gba_dynbuf_ptr(&body),
				    gba_dynbuf_len(&body), e);
		if (tries && e) {
			size_t l = strnlen(e->msg, sizeof(e->msg));

			snprintf(e->msg + l, sizeof(e->msg) - l,
				 " (sent %u more time%s after Retry-After %ld s)",
				 tries, tries == 1 ? "" : "s", retry_after);
		}
	} else {
		scs_err_set(e, status, "BSF answered HTTP %ld, expected 200",
			    status);
		r = GBA_ERR_HTTP;
	}
out:
	if (r == GBA_ERR_NOMEM)
		scs_err_set(e, 0, "out of memory");
	/* the request carries no key, the response does: wipe it */
	gba_dynbuf_free(&body);
	gba_cleanse(json, sizeof(json));
	curl_slist_free_all(hdr);
	if (h)
		curl_easy_cleanup(h);
	return r;
}
