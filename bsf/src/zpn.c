/* see zpn.h */
#include <stdio.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "gba/text.h"
#include "rfc3339.h"
#include "zpn.h"

#define SOAP11_NS "http://schemas.xmlsoap.org/soap/envelope/"

static xmlParserInputPtr refuse_loader(const char *url, const char *id,
				       xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL; /* no external entity, DTD or schema is ever fetched */
}

void bsf_zpn_init(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(refuse_loader);
}

static int is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* count element nodes and depth; refuse anything over the limits */
static int within_limits(const xmlNode *n, unsigned depth, unsigned *count)
{
	for (; n; n = n->next) {
		if (n->type == XML_ENTITY_REF_NODE || n->type == XML_ENTITY_NODE ||
		    n->type == XML_DTD_NODE || n->type == XML_PI_NODE)
			return 0;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (depth > BSF_XML_DEPTH_MAX || ++*count > BSF_XML_NODES_MAX)
			return 0;
		if (!within_limits(n->children, depth + 1, count))
			return 0;
	}
	return 1;
}

/* the text of a leaf element: only text/CDATA children allowed */
static int leaf_text(const xmlNode *n, char *out, size_t cap, size_t *len)
{
	const xmlNode *c;
	size_t used = 0;

	for (c = n->children; c; c = c->next) {
		size_t l;

		if (c->type == XML_COMMENT_NODE)
			continue;
		if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
			return GBA_ERR_MALFORMED;
		l = strlen((const char *)c->content);
		if (l >= cap - used)
			return GBA_ERR_TOO_LARGE;
		memcpy(out + used, c->content, l);
		used += l;
	}
	out[used] = '\0';
	/* xsd whitespace collapse at the ends (values have no inner blanks) */
	while (used && (out[used - 1] == ' ' || out[used - 1] == '\n' ||
			out[used - 1] == '\r' || out[used - 1] == '\t'))
		out[--used] = '\0';
	{
		size_t lead = strspn(out, " \r\n\t");

		memmove(out, out + lead, used - lead + 1);
		used -= lead;
	}
	*len = used;
	return GBA_OK;
}


static int xsd_bool(const char *s, int *out)
{
	if (!strcmp(s, "true") || !strcmp(s, "1"))
		*out = 1;
	else if (!strcmp(s, "false") || !strcmp(s, "0"))
		*out = 0;
	else
		return GBA_ERR_MALFORMED;
	return GBA_OK;
}

static enum bsf_problem bad(const char **field, const char *name,
			    enum bsf_problem pb)
{
	*field = name;
	return pb;
}

/*
 * The elements of a request, each at most once (gsid: once per GSID).  A
 * wrong value is MANDATORY_IE_INCORRECT up to ptid, OPTIONAL_IE_INCORRECT
 * from requestedKeyLifetime on (a wrong nafid: decode_nafid() says).
 */
enum zpn_el {
	EL_USERID, EL_USERIDTYPE, EL_APPLABEL, EL_UICCME, EL_NAFID, EL_PTID,
	EL_LIFETIME, EL_PRIVID, EL_GBAUAWARE, EL_GSID, EL_AUTS, EL_RAND,
	EL_COUNT_
};

static const char *const el_name[EL_COUNT_] = {
	"userId", "userIdType", "uiccAppLabel", "uiccMe", "nafid", "ptid",
	"requestedKeyLifetime", "privateIdRequest", "gbaUAware", "gsid",
	"auts", "rand",
};

/* required, missing ones reported in this order; uiccAppLabel and uiccMe
 * are optional here, default "" and GBA_ME (pc) */
static const enum zpn_el el_required[] = { EL_USERID, EL_USERIDTYPE,
					   EL_NAFID };

#define EL_BIT(el) (1u << (el))

static enum bsf_problem decode_nafid(const xmlNode *n,
				     struct bsf_push_req *req,
				     const char **field)
{
	const xmlNode *c;
	char txt[GBA_FQDN_MAX + 2];
	size_t len, got;
	int have = 0;

	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_elem(c, "nafFqdn") && !(have & 1)) {
			/* lower-cased at the edge, as on Nbsp (req.h) */
			if (leaf_text(c, txt, sizeof(txt), &len) ||
			    !bsf_req_set_text(req, BSF_RT_NAF_FQDN, txt, len))
				return bad(field, "nafid/nafFqdn",
					   BSF_PB_MANDATORY_IE_INCORRECT);
			have |= 1;
		} else if (is_elem(c, "uaSecProtId") && !(have & 2)) {
			if (leaf_text(c, txt, sizeof(txt), &len) ||
			    len != 2 * GBA_UA_ID_LEN ||
			    gba_hex_decode(txt, len, req->ua_id, GBA_UA_ID_LEN,
					   &got))
				return bad(field, "nafid/uaSecProtId",
					   BSF_PB_MANDATORY_IE_INCORRECT);
			have |= 2;
		} else {
			return bad(field, "nafid", BSF_PB_MANDATORY_IE_INCORRECT);
		}
	}
	if (have != 3)
		return bad(field, have & 1 ? "nafid/uaSecProtId"
					   : "nafid/nafFqdn",
			   BSF_PB_MANDATORY_IE_MISSING);
	return BSF_PB_OK;
}

/* the text @txt (@len octets) of element @el into @req: 1, or 0 wrong */
static int set_value(enum zpn_el el, const char *txt, size_t len,
		     struct bsf_push_req *req)
{
	switch (el) {
	case EL_USERID:
		return bsf_req_set_text(req, BSF_RT_UE_ID, txt, len);
	case EL_USERIDTYPE:
		return bsf_req_set_text(req, BSF_RT_UE_ID_TYPE, txt, len);
	case EL_APPLABEL:
		return bsf_req_set_text(req, BSF_RT_APP_LABEL, txt, len);
	case EL_UICCME:
		return bsf_req_set_text(req, BSF_RT_UICC_ME, txt, len);
	case EL_PTID:
		return bsf_req_set_text(req, BSF_RT_P_TID, txt, len);
	case EL_LIFETIME:
		if (bsf_time_parse(txt, len, &req->requested_expiry))
			return 0;
		req->has_requested_expiry = 1;
		return 1;
	case EL_PRIVID:
		return !xsd_bool(txt, &req->private_id_request);
	case EL_GBAUAWARE:
		return !xsd_bool(txt, &req->gba_u_aware);
	case EL_GSID:
		return bsf_req_add_gsid(req, txt, len);
	case EL_AUTS: /* no NUL inside @txt (leaf_text): strlen is @len */
		return !gba_hex_decode_exact(txt, req->auts, GBA_AUTS_LEN);
	case EL_RAND:
		return !gba_hex_decode_exact(txt, req->rand_, GBA_RAND_LEN);
	default: /* EL_NAFID: decode_nafid() */
		return 0;
	}
}

static enum bsf_problem decode_req(const xmlNode *r, struct bsf_push_req *req,
				   const char **field)
{
	const xmlNode *c;
	char txt[BSF_UE_ID_MAX + 2];
	size_t len;
	unsigned seen = 0, el;
	enum bsf_problem pb;

	for (c = r->children; c; c = c->next) {
		for (el = 0; el < EL_COUNT_; el++)
			if (is_elem(c, el_name[el]))
				break;
		if (el == EL_COUNT_)
			continue; /* other elements: ignored (extensibility,
				   * like JSON) */
		if (el != EL_GSID && (seen & EL_BIT(el)))
			return bad(field, el_name[el],
				   BSF_PB_INVALID_MSG_FORMAT);
		seen |= EL_BIT(el);
		if (el == EL_NAFID) {
			if ((pb = decode_nafid(c, req, field)))
				return pb;
		} else if (leaf_text(c, txt, sizeof(txt), &len) ||
			   !set_value(el, txt, len, req)) {
			return bad(field, el_name[el],
				   el < EL_LIFETIME
					   ? BSF_PB_MANDATORY_IE_INCORRECT
					   : BSF_PB_OPTIONAL_IE_INCORRECT);
		}
	}
	for (el = 0; el < GBA_ARRAY_SIZE(el_required); el++)
		if (!(seen & EL_BIT(el_required[el])))
			return bad(field, el_name[el_required[el]],
				   BSF_PB_MANDATORY_IE_MISSING);
	if (!!(seen & EL_BIT(EL_AUTS)) != !!(seen & EL_BIT(EL_RAND)))
		return bad(field, seen & EL_BIT(EL_AUTS) ? "rand" : "auts",
			   BSF_PB_OPTIONAL_IE_INCORRECT);
	req->has_resync = !!(seen & EL_BIT(EL_AUTS));
	return BSF_PB_OK;
}

static const xmlNode *first_elem(const xmlNode *n)
{
	for (; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}

static int soap_ns(const xmlNode *n)
{
	return n->ns && n->ns->href &&
	       !strcmp((const char *)n->ns->href, SOAP11_NS);
}

#define SOAP11_ACTOR_NEXT "http://schemas.xmlsoap.org/soap/actor/next"

/*
 * SOAP 1.1 clause 4.2.3 / 4.4.1: the BSF processes no header block, so
 * a block meant for it (no soap:actor, or the "next" actor) that carries
 * soap:mustUnderstand="1" gets the MustUnderstand fault (@field
 * "Header").  Any other value than "0" or "1" is a malformed envelope.
 */
static enum bsf_problem must_understand(const xmlNode *env,
					const char **field)
{
	const xmlNode *h, *b;
	enum bsf_problem pb = BSF_PB_OK;

	for (h = first_elem(env->children); h; h = first_elem(h->next))
		if (is_elem(h, "Header") && soap_ns(h))
			break;
	if (!h)
		return BSF_PB_OK;
	for (b = first_elem(h->children); b && pb == BSF_PB_OK;
	     b = first_elem(b->next)) {
		xmlChar *mu = xmlGetNsProp(b, (const xmlChar *)"mustUnderstand",
					   (const xmlChar *)SOAP11_NS);
		xmlChar *actor = xmlGetNsProp(b, (const xmlChar *)"actor",
					      (const xmlChar *)SOAP11_NS);

		if (mu && strcmp((const char *)mu, "0") &&
		    strcmp((const char *)mu, "1")) {
			pb = bad(field, "mustUnderstand",
				 BSF_PB_INVALID_MSG_FORMAT);
		} else if (mu && !strcmp((const char *)mu, "1") &&
			   (!actor ||
			    !strcmp((const char *)actor, SOAP11_ACTOR_NEXT))) {
			/* a static name: the document is freed before
			 * the fault is written */
			pb = bad(field, "Header", BSF_PB_MUST_UNDERSTAND);
		}
		xmlFree(mu);
		xmlFree(actor);
	}
	return pb;
}

enum bsf_problem bsf_zpn_decode(const uint8_t *buf, size_t len,
				struct bsf_push_req *req, const char **field)
{
	xmlDocPtr doc;
	const xmlNode *env, *body, *r;
	enum bsf_problem pb = BSF_PB_INVALID_MSG_FORMAT;
	unsigned count = 0;

	memset(req, 0, sizeof(*req));
	*field = NULL;
	if (len > INT32_MAX)
		return BSF_PB_PAYLOAD_TOO_LARGE;
	/* NONET: no network; no NOENT (entities are not substituted); no
	 * DTDLOAD / DTDATTR / DTDVALID (external subsets never read) */
	doc = xmlReadMemory((const char *)buf, (int)len, "zpn.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (!doc)
		return bad(field, "Envelope", BSF_PB_INVALID_MSG_FORMAT);
	/* any DTD (internal or external subset) means entities: refuse */
	if (doc->intSubset || doc->extSubset) {
		*field = "DOCTYPE";
		goto out;
	}
	env = xmlDocGetRootElement(doc);
	if (!env || !within_limits(env, 1, &count)) {
		*field = "Envelope";
		goto out;
	}
	if (!is_elem(env, "Envelope") || !soap_ns(env)) {
		*field = "Envelope";
		goto out;
	}
	if ((pb = must_understand(env, field)) != BSF_PB_OK)
		goto out;
	pb = BSF_PB_INVALID_MSG_FORMAT;
	for (body = first_elem(env->children); body && !is_elem(body, "Body");
	     body = first_elem(body->next))
		;
	if (!body || !soap_ns(body)) {
		*field = "Body";
		goto out;
	}
	r = first_elem(body->children);
	if (!r || !is_elem(r, "requestGbaPushInfoRequest")) {
		*field = "requestGbaPushInfoRequest";
		goto out;
	}
	pb = decode_req(r, req, field);
out:
	xmlFreeDoc(doc);
	if (pb != BSF_PB_OK)
		memset(req, 0, sizeof(*req));
	return pb;
}

/* the response under construction: a capped buffer on the caller's
 * storage (gba/text.h); wput() appends formatted text */
#define wput gba_dynbuf_printf

/* XML-escape text (values are printable ASCII already) */
static void wesc(struct gba_dynbuf *w, const char *s)
{
	for (; *s && !gba_dynbuf_err(w); s++) {
		switch (*s) {
		case '<': wput(w, "&lt;"); break;
		case '>': wput(w, "&gt;"); break;
		case '&': wput(w, "&amp;"); break;
		case '"': wput(w, "&quot;"); break;
		case '\'': wput(w, "&apos;"); break;
		default: wput(w, "%c", *s); break;
		}
	}
}

static void whex(struct gba_dynbuf *w, const char *name, const uint8_t *v, size_t n)
{
	char hex[2 * GBA_GPI_MAX + 1];

	if (n > GBA_GPI_MAX || gba_hex_encode(v, n, hex, sizeof(hex))) {
		gba_dynbuf_fail(w, GBA_ERR_NO_SPACE);
		return;
	}
	wput(w, "<%s>%s</%s>", name, hex, name);
	gba_cleanse(hex, sizeof(hex));
}

static void wtime(struct gba_dynbuf *w, const char *name, int64_t t)
{
	char ts[32];

	if (bsf_time_format(t, ts, sizeof(ts))) {
		gba_dynbuf_fail(w, GBA_ERR_NO_SPACE);
		return;
	}
	wput(w, "<%s>%s</%s>", name, ts, name);
}

#define ENV_OPEN                                                           \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"                       \
	"<soap:Envelope xmlns:soap=\"" SOAP11_NS "\"><soap:Body>"
#define ENV_CLOSE "</soap:Body></soap:Envelope>"

int bsf_zpn_encode(const struct bsf_push_res *res, char *out, size_t cap,
		   size_t *out_len)
{
	struct gba_dynbuf w;

	*out_len = 0;
	/* holds Ks_(ext)_NAF: wiped whole if it does not fit */
	gba_dynbuf_init_fixed(&w, out, cap, GBA_DYNBUF_SECRET);
	wput(&w, ENV_OPEN "<requestGbaPushInfoResponse xmlns=\"%s\">",
	     BSF_ZPN_NS);
	whex(&w, "gbaPushInfo", res->gpi, res->gpi_len);
	whex(&w, "meKeyMaterial", res->me_key, sizeof(res->me_key));
	if (res->has_uicc_key)
		whex(&w, "uiccKeyMaterial", res->uicc_key,
		     sizeof(res->uicc_key));
	wtime(&w, "keyExpiryTime", res->key_expiry);
	wtime(&w, "bootstrappingInfoCreationTime", res->created);
	/* ussList: the <ussList> element itself as a child (uss.h choice 7;
	 * project choice, unconfirmed); already well-formed XML (uss.c) */
	if (res->uss_list_len)
		gba_dynbuf_add(&w, res->uss_list, res->uss_list_len);
	wput(&w, "<gbaType>3G_GBA</gbaType>");
	if (res->has_impi) {
		wput(&w, "<impi>");
		wesc(&w, res->impi);
		wput(&w, "</impi>");
	}
	wput(&w, "<ptid>");
	wesc(&w, res->p_tid);
	wput(&w, "</ptid></requestGbaPushInfoResponse>" ENV_CLOSE);
	if (gba_dynbuf_err(&w)) {
		gba_dynbuf_free(&w);
		return GBA_ERR_NO_SPACE;
	}
	*out_len = gba_dynbuf_len(&w);
	return GBA_OK;
}

int bsf_zpn_fault(enum bsf_problem pb, const char *field, char *out,
		  size_t cap, size_t *out_len)
{
	const struct bsf_problem_info *pi = bsf_problem_info(pb);
	struct gba_dynbuf w;

	*out_len = 0;
	gba_dynbuf_init_fixed(&w, out, cap, 0);
	wput(&w, ENV_OPEN "<soap:Fault><faultcode>soap:%s</faultcode>"
		 "<faultstring>",
	     pb == BSF_PB_MUST_UNDERSTAND ? "MustUnderstand"
	     : pi->client_fault	   ? "Client"
					   : "Server");
	wesc(&w, pi->title);
	wput(&w, "</faultstring><detail><gbaFault xmlns=\"%s\">"
		 "<status>%d</status><cause>%s</cause>",
	     BSF_ZPN_NS, pi->status, pi->cause);
	if (field) {
		wput(&w, "<param>");
		wesc(&w, field);
		wput(&w, "</param>");
	}
	wput(&w, "</gbaFault></detail></soap:Fault>" ENV_CLOSE);
	if (gba_dynbuf_err(&w))
		return GBA_ERR_NO_SPACE;
	*out_len = gba_dynbuf_len(&w);
	return GBA_OK;
}
