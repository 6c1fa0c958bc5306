/*
 * see http_i.h: the request path of the HTTPS front end, from the first
 * header to the answer and its log line.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <gnutls/gnutls.h>
#include "gba/crypto.h"
#include "binding.h"
#include "http_errors.h"
#include "http_i.h"
#include "log.h"
#include "metrics.h"
#include "tls_ident.h"

/* ---- responses ---- */

static void wipe_free_cb(void *p)
{
	size_t n;

	if (!p)
		return;
	memcpy(&n, p, sizeof(n));
	gba_cleanse(p, n + sizeof(size_t));
	free(p);
}

/* header word in front of the body so the free callback can wipe it */
enum MHD_Result bsf_http_respond(struct MHD_Connection *c, struct rq *rq,
			       int status, const char *ctype,
			       const char *body, size_t len,
			       unsigned retry_after, int close_conn,
			       const char *allow)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	uint8_t *p = malloc(sizeof(size_t) + len + 1);
	char ra[16];

	if (!p)
		return MHD_NO;
	memcpy(p, &len, sizeof(len));
	memcpy(p + sizeof(size_t), body, len);
	resp = MHD_create_response_from_buffer_with_free_callback_cls(
		len, p + sizeof(size_t), wipe_free_cb, p);
	if (!resp) {
		wipe_free_cb(p);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
				"no-store");
	if (retry_after) {
		snprintf(ra, sizeof(ra), "%u", retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	if (allow) /* RFC 9110 15.5.6: a 405 lists the allowed methods */
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
	if (close_conn)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION,
					"close");
	ret = bsf_mhd_queue(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	if (rq) {
		rq->responded = 1;
		rq->status = status;
	}
	return ret;
}

/*
 * A refusal in the error format of binding @b (binding.h): the problem's
 * own status, or the binding's one error status (Zpn: SOAP faults are
 * 500); metrics count a fault under the 4xx/5xx status of its cause, so
 * that a client mistake is not a server error.
 */
static enum MHD_Result refuse(struct MHD_Connection *c, struct rq *rq,
			      const struct bsf_binding *b, enum bsf_problem pb,
			      const char *body, size_t n, unsigned retry_after)
{
	const struct bsf_problem_info *pi = bsf_problem_info(pb);
	int close_conn = pb == BSF_PB_CLIENT_CERT ||
			 pb == BSF_PB_PAYLOAD_TOO_LARGE ||
			 pb == BSF_PB_SERVICE_UNAVAILABLE ||
			 (rq && rq->must_close);
	const char *allow = pb == BSF_PB_METHOD_NOT_ALLOWED ? "POST" : NULL;

	if (rq) {
		rq->outcome = pi->cause;
		rq->pb = (int)pb;
		if (b->err_status)
			rq->metric_status = pi->status;
	}
	return bsf_http_respond(c, rq, b->err_status ? b->err_status
						     : pi->status,
				b->err_type, body, n, retry_after, close_conn,
				allow);
}

/* a problem found outside the body decoder, about @field or none */
static enum MHD_Result problem(struct MHD_Connection *c, struct rq *rq,
			       const struct bsf_binding *b,
			       enum bsf_problem pb, const char *field,
			       unsigned retry_after)
{
	char buf[BSF_HTTP_ERR_MAX];
	size_t n;

	if (b->problem(pb, field, buf, sizeof(buf), &n) != GBA_OK)
		return MHD_NO;
	return refuse(c, rq, b, pb, buf, n, retry_after);
}

/* a refused request body, as the binding's decoder described it */
static enum MHD_Result refuse_body(struct MHD_Connection *c, struct rq *rq,
				   const struct bsf_binding *b,
				   enum bsf_problem pb,
				   const struct bsf_refusal *ref)
{
	char buf[BSF_HTTP_ERR_MAX];
	size_t n;

	if (b->log_invalid)
		BSF_LOG(b->log_area, BSF_LOG_NOTICE,
			"request rejected: %s field=%s invalid=%zu len=%zu",
			bsf_problem_info(pb)->cause,
			ref->field ? ref->field : "-",
			ref->inv.n + ref->inv.n_more,
			gba_dynbuf_len(&rq->body));
	else
		BSF_LOG(b->log_area, BSF_LOG_NOTICE,
			"request rejected: %s field=%s len=%zu",
			bsf_problem_info(pb)->cause,
			ref->field ? ref->field : "-",
			gba_dynbuf_len(&rq->body));
	if (b->refusal(pb, ref, buf, sizeof(buf), &n) != GBA_OK)
		return MHD_NO;
	return refuse(c, rq, b, pb, buf, n, 0);
}

/* ---- client certificate ---- */

/*
 * Verify the peer chain again (the handshake did it: verify_peer()) and
 * extract the identity under the one rule of tls_ident.h.  Fills @cn->id
 * and sets @cn->ok.
 */
static void check_peer(struct MHD_Connection *c,
		       struct conn *cn)
{
	const union MHD_ConnectionInfo *ci;
	gnutls_session_t s;
	const gnutls_datum_t *certs;
	unsigned int ncerts = 0;

	cn->checked = 1;
	cn->ok = 0;
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!ci || !ci->tls_session)
		return;
	s = (gnutls_session_t)ci->tls_session;
	if (gnutls_certificate_type_get(s) != GNUTLS_CRT_X509)
		return;
	certs = gnutls_certificate_get_peers(s, &ncerts);
	if (bsf_tls_trust_verify(bsf_tlscred_trust(cn->cred), certs, ncerts))
		return;
	if (bsf_tls_ident(&certs[0], cn->id) != GBA_OK) {
		BSF_LOG(BSF_LOG_HTTP, BSF_LOG_NOTICE,
			"client certificate carries no usable identity "
			"(docs/bsf.md \"Client identity\")");
		return;
	}
	cn->ok = 1;
}

/* ---- request handling ---- */

static int media_is(const char *ct, const char *want)
{
	size_t n = strlen(want);

	if (!ct || strncasecmp(ct, want, n))
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

static void fill_push_log(struct rq *rq, const struct bsf_push_req *req)
{
	bsf_log_ue_tag(req->ue_id, req->ue_id_len, rq->ue_tag);
	rq->gba = req->gba_u ? "GBA_U" : "GBA_ME";
}

/* steps 6-8 after the AV (or the problem @pb), and the answer; frees
 * @res when it is @rq's */
static enum MHD_Result complete(struct bsf_server *srv,
				struct MHD_Connection *c, struct rq *rq,
				const struct bsf_push_req *req,
				enum bsf_problem pb, struct bsf_push_res *res,
				const char *field)
{
	const struct bsf_binding *b = rq->b;
	char out[RESP_MAX];
	size_t n = 0;
	enum MHD_Result ret;
	unsigned retry;
	int r;

	pb = bsf_push_complete(srv->push, rq->nafrec, req, &rq->run, pb, res,
			       &field);
	r = pb == BSF_PB_OK ? b->encode(res, out, sizeof(out), &n)
			    : GBA_OK;
	retry = res->retry_after;
	bsf_push_res_clear(res);
	if (res == rq->res) {
		free(rq->res);
		rq->res = NULL;
	}
	if (pb != BSF_PB_OK)
		return problem(c, rq, b, pb, field, retry);
	if (r != GBA_OK) {
		gba_cleanse(out, sizeof(out));
		return problem(c, rq, b, BSF_PB_SYSTEM_FAILURE, NULL, 0);
	}
	rq->outcome = "OK";
	rq->pb = BSF_PB_OK;
	ret = bsf_http_respond(c, rq, 200, b->resp_type, out, n, 0, 0, NULL);
	gba_cleanse(out, n);
	return ret;
}

/* the rest of the push core after the lookup answered @r, and the
 * answer (either path: synchronous, or resumed by http_worker.c); in zh
 * mode the AV is asked without waiting when the worker can
 * (http_worker.c), the answer made once it is in */
static enum MHD_Result finish(struct bsf_server *srv, struct MHD_Connection *c,
			      struct rq *rq, const struct bsf_push_req *req,
			      enum bsf_problem pb, int r, const char *field)
{
	struct bsf_push_res local, *res = &local;

	if (pb == BSF_PB_OK && bsf_http_av_async(srv) &&
	    (rq->res = malloc(sizeof(*rq->res))) != NULL)
		res = rq->res;
	pb = bsf_push_prepare(srv->push, req, &rq->run, pb, r, res, &field);
	if (pb == BSF_PB_OK && res == rq->res &&
	    bsf_http_av_send(c, rq, req) == GBA_OK)
		return MHD_YES;
	if (pb == BSF_PB_OK)
		bsf_push_av(srv->push, req, res, &rq->run);
	return complete(srv, c, rq, req, pb, res, field);
}

static enum MHD_Result process(struct bsf_server *srv,
			       struct MHD_Connection *c, struct rq *rq)
{
	const struct bsf_binding *b = rq->b;
	struct bsf_push_req req;
	struct bsf_refusal ref;
	enum bsf_problem pb;
	const char *field = NULL;
	int r = GBA_OK;

	pb = b->decode((const uint8_t *)gba_dynbuf_ptr(&rq->body),
		      gba_dynbuf_len(&rq->body), &req, &ref);
	if (pb != BSF_PB_OK)
		return refuse_body(c, rq, b, pb, &ref);
	fill_push_log(rq, &req);
	pb = bsf_push_begin(srv->push, rq->nafrec, &req, &rq->run, &field);
	/* on PostgreSQL the lookup goes out without waiting: the worker
	 * resumes the connection with its result (http_worker.c) */
	if (pb == BSF_PB_OK && bsf_http_lookup_send(c, rq, &req) == GBA_OK)
		return MHD_YES;
	if (pb == BSF_PB_OK)
		r = bsf_push_lookup(srv->push, rq->nafrec, &req, &rq->run);
	return finish(srv, c, rq, &req, pb, r, field);
}

/* RFC 9112 6.3: count the framing fields of the request */
struct framing {
	unsigned n_cl, n_te;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind,
				     const char *key, const char *value)
{
	struct framing *f = cls;

	(void)kind;
	(void)value;
	if (!strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH))
		f->n_cl++;
	else if (!strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING))
		f->n_te++;
	return MHD_YES;
}

/*
 * RFC 9112 6.3: libmicrohttpd frames the body with the FIRST of several
 * Content-Length fields (the rest of the body would be read as a second
 * request: desync), and with chunked when Transfer-Encoding comes with
 * Content-Length.  Both are refused with 400 and the connection closed
 * (items 3 and 5: "MUST close the connection"); a repeated Content-Length
 * is refused even with equal values (RFC 9112 8.6 lets a recipient reject
 * it), so there is one rule.  Return: 1 framing acceptable.
 */
static int framing_ok(struct MHD_Connection *c)
{
	struct framing f = { 0, 0 };

	MHD_get_connection_values(c, MHD_HEADER_KIND, count_framing, &f);
	return f.n_cl <= 1 && !(f.n_cl && f.n_te);
}

/* first call for a request: everything decidable from the headers */
static enum MHD_Result on_headers(struct bsf_server *srv,
				  struct MHD_Connection *c, struct rq *rq,
				  const char *url, const char *method)
{
	const union MHD_ConnectionInfo *ci;
	struct conn *cn;
	const char *ct, *cl;
	unsigned retry = 0;
	uint64_t clen;
	const struct bsf_binding *eb;
	enum bsf_problem pb;

	rq->b = bsf_binding_at(url, strlen(url));
	rq->ep = rq->b ? rq->b->ep : BSF_EP_OTHER;
	/* every error on a binding's resource is in its format (Zpn: a
	 * SOAP fault, SOAP 1.1 6.2), elsewhere a ProblemDetails */
	eb = bsf_binding_errors(rq->ep);

	if (!framing_ok(c)) {
		rq->must_close = 1;
		return problem(c, rq, eb, BSF_PB_INVALID_MSG_FORMAT,
			       "Content-Length", 0);
	}
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	cn = ci ? ci->socket_context : NULL;
	if (!cn)
		return problem(c, rq, eb, BSF_PB_SYSTEM_FAILURE, NULL, 0);
	if (!cn->checked)
		check_peer(c, cn);
	if (!cn->ok) {
		bsf_metrics_tls_reject();
		return problem(c, rq, eb, BSF_PB_CLIENT_CERT, NULL, 0);
	}
	memcpy(rq->naf, cn->id, sizeof(rq->naf));
	if (atomic_load(&srv->draining))
		return problem(c, rq, eb, BSF_PB_SERVICE_UNAVAILABLE, NULL, 1);
	if (rq->ep == BSF_EP_OTHER)
		return problem(c, rq, eb, BSF_PB_RESOURCE_NOT_FOUND, NULL, 0);
	if (strcmp(method, MHD_HTTP_METHOD_POST))
		return problem(c, rq, eb, BSF_PB_METHOD_NOT_ALLOWED, NULL, 0);

	/* Push-NAF authorisation: the certificate identity must be known */
	pb = bsf_push_naf_authorise(srv->push, &cn->naf, cn->id,
				    bsf_http_mono_now(), &rq->nafrec);
	if (pb != BSF_PB_OK)
		return problem(c, rq, eb, pb, NULL,
			       pb == BSF_PB_SERVICE_UNAVAILABLE ? 1 : 0);

	ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					 MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!media_is(ct, rq->b->req_type))
		return problem(c, rq, eb, BSF_PB_UNSUPPORTED_MEDIA_TYPE,
			       "Content-Type", 0);
	cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					 MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && (bsf_parse_uint(cl, UINT64_MAX, &clen) != GBA_OK ||
		   clen > srv->cfg->max_body))
		return problem(c, rq, eb, BSF_PB_PAYLOAD_TOO_LARGE, NULL, 0);

	/* per-Push-NAF rate: the store's value, else [limits] rate */
	if (!bsf_rl_take(srv->rl, rq->nafrec->id,
			 rq->nafrec->rate ? rq->nafrec->rate : srv->cfg->rate,
			 rq->nafrec->rate ? rq->nafrec->rate : srv->cfg->burst,
			 bsf_http_mono_now(), &retry))
		return problem(c, rq, eb, BSF_PB_TOO_MANY_REQUESTS, NULL, retry);
	return MHD_YES;
}

static struct conn *conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

static enum bsf_endpoint endpoint_of(const char *uri)
{
	const struct bsf_binding *b = bsf_binding_at(uri, strcspn(uri, "?"));

	return b ? b->ep : BSF_EP_OTHER;
}

/* a new request: counted in flight, logged and freed by bsf_http_on_completed() */
static struct rq *rq_new(struct MHD_Connection *c, const char *uri)
{
	struct rq *rq = calloc(1, sizeof(*rq));
	struct conn *cn = conn_of(c);

	if (!rq)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &rq->t0);
	rq->ep = endpoint_of(uri);
	rq->pb = -1;
	memcpy(rq->naf, "-", 2);
	memcpy(rq->ue_tag, "-", 2);
	if (cn)
		cn->cur = rq;
	bsf_metrics_inflight(1);
	return rq;
}

/*
 * MHD_OPTION_URI_LOG_CALLBACK: the request line is parsed, the headers
 * are not.  The request object starts here so that an error the library
 * answers itself before bsf_http_on_request() (431, 400 on a header line) knows
 * its resource and is logged and counted.
 */
void *bsf_http_uri_seen(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	return rq_new(c, uri);
}

/* libmicrohttpd's own error pages, replaced (http_errors.h) */
int bsf_http_mhd_error(struct MHD_Connection *c, unsigned status,
		     enum MHD_Result *ret)
{
	struct conn *cn = conn_of(c);
	struct rq *rq;
	enum bsf_problem pb;

	if (!cn) /* not an HTTPS worker connection: the admin listener */
		return 0;
	switch (status) {
	case 400: pb = BSF_PB_INVALID_MSG_FORMAT; break;
	case 413: pb = BSF_PB_PAYLOAD_TOO_LARGE; break;
	case 414: pb = BSF_PB_URI_TOO_LONG; break;
	case 431: pb = BSF_PB_HEADERS_TOO_LARGE; break;
	case 505: pb = BSF_PB_HTTP_VERSION; break;
	default: pb = BSF_PB_SYSTEM_FAILURE; break;
	}
	/* no request object: the URI was never complete (414), and the
	 * resource is unknown: problem+json */
	rq = cn->cur;
	if (rq)
		rq->must_close = 1; /* the library closes after it anyway */
	*ret = problem(c, rq, bsf_binding_errors(rq ? rq->ep : BSF_EP_OTHER),
		       pb, NULL, 0);
	return 1;
}

enum MHD_Result bsf_http_on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct bsf_server *srv = cls;
	struct rq *rq = *con_cls;

	(void)version;
	if (!rq && !(rq = *con_cls = rq_new(c, url)))
		return MHD_NO;
	if (!rq->started) {
		rq->started = 1;
		bsf_guard_head_done(c); /* the head is complete */
		gba_dynbuf_init(&rq->body, srv->cfg->max_body, 0);
		return on_headers(srv, c, rq, url, method);
	}
	if (rq->async) { /* a step was out (http_worker.c) */
		enum MHD_Result ret = MHD_YES;
		int was = rq->async;

		if (was == RQ_LOOKUP_IN || was == RQ_AV_IN) {
			rq->async = RQ_SYNC;
			ret = was == RQ_LOOKUP_IN
				      ? finish(srv, c, rq, rq->req, BSF_PB_OK,
					       rq->lookup_r, NULL)
				      : complete(srv, c, rq, rq->req,
						 BSF_PB_OK, rq->res, NULL);
			/* (finish() may have sent the AV out in turn) */
			if (rq->async == RQ_SYNC) {
				free(rq->req);
				rq->req = NULL;
			}
		}
		return ret;
	}
	if (rq->responded) {
		*upload_size = 0; /* discard the rest of a refused body */
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;

		if (!rq->too_large) {
			int r = gba_dynbuf_add(&rq->body, upload, n);

			if (r == GBA_ERR_TOO_LARGE)
				rq->too_large = 1;
			else if (r != GBA_OK)
				return MHD_NO;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->too_large)
		return problem(c, rq, bsf_binding_errors(rq->ep),
			       BSF_PB_PAYLOAD_TOO_LARGE, NULL, 0);
	return process(srv, c, rq);
}

void bsf_http_on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct rq *rq = *con_cls;
	struct bsf_log_req lr;
	double dt;

	(void)cls;
	bsf_guard_req_done(c);
	if (!rq)
		return;
	{
		struct conn *cn = conn_of(c);

		if (cn && cn->cur == rq)
			cn->cur = NULL;
	}
	dt = bsf_http_since(&rq->t0);
	if (!rq->responded) {
		rq->status = 0;
		rq->pb = -1;
		rq->outcome = toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED
				      ? "TIMEOUT"
				      : "ABORTED";
	}
	bsf_metrics_request(rq->ep,
			    rq->responded && rq->metric_status ? rq->metric_status
							       : rq->status,
			    rq->pb, dt);
	lr.naf = rq->naf;
	lr.endpoint = bsf_endpoint_name(rq->ep);
	lr.status = rq->status;
	lr.outcome = rq->outcome;
	lr.latency_ms = dt * 1e3;
	lr.ue_tag = rq->ue_tag;
	lr.gba = rq->gba;
	bsf_log_request(&lr);
	bsf_metrics_inflight(-1);
	if (rq->async == RQ_AV_OUT)
		bsf_http_av_abandon(rq);
	if (rq->async) /* closed before its lookup was finished */
		bsf_push_run_clear(&rq->run);
	if (rq->res) {
		bsf_push_res_clear(rq->res);
		free(rq->res);
	}
	free(rq->req);
	gba_dynbuf_free(&rq->body);
	free(rq);
	*con_cls = NULL;
}
