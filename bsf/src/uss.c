/* see uss.h - USS selection and the ussList XML (project choices there) */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include "uss.h"

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
	xmlInitParser();
}

/* choice 1: the text a requested GSID is compared as */
static void gsid_key(const struct bsf_push_req *req, size_t i,
		     char out[BSF_REQ_GSID_TEXT_MAX + 1])
{
	if (req->gs_id_text[i][0] != '\0') /* Zpn: as given */
		memcpy(out, req->gs_id_text[i], sizeof(req->gs_id_text[i]));
	else /* Nbsp: decimal, no leading zeros; a uint32 needs 10 digits */
		snprintf(out, BSF_REQ_GSID_TEXT_MAX + 1, "%u",
			 (unsigned)req->gs_ids[i]);
}

int bsf_uss_select(const struct bsf_gba_params *p,
		   const struct bsf_push_req *req, size_t idx[BSF_USS_MAX],
		   size_t *n_idx)
{
	char keys[BSF_REQ_GSIDS_MAX][BSF_REQ_GSID_TEXT_MAX + 1];
	size_t i, k, n_req;

	if (n_idx)
		*n_idx = 0;
	if (p == NULL || req == NULL || idx == NULL || n_idx == NULL)
		return GBA_ERR_BAD_PARAM;
	n_req = req->n_gs_ids < BSF_REQ_GSIDS_MAX ? req->n_gs_ids
						  : BSF_REQ_GSIDS_MAX;
	for (k = 0; k < n_req; k++)
		gsid_key(req, k, keys[k]);
	/* GUSS order, each USS once (choice 4) */
	for (i = 0; i < p->n_uss && i < BSF_USS_MAX; i++) {
		for (k = 0; k < n_req; k++)
			if (strcmp(p->uss[i].gsid, keys[k]) == 0)
				break;
		if (k < n_req)
			idx[(*n_idx)++] = i;
	}
	return GBA_OK;
}

/* choice 5, fallback: one <uss> from the parsed fields (guss.h names) */
static int write_fields(xmlTextWriterPtr w, const struct bsf_uss *u)
{
	size_t j;

	if (xmlTextWriterStartElement(w, (const xmlChar *)"uss") < 0 ||
	    xmlTextWriterWriteAttribute(w, (const xmlChar *)"id",
					(const xmlChar *)u->gsid) < 0)
		return GBA_ERR_NOMEM;
	if (u->naf_group[0] != '\0' &&
	    xmlTextWriterWriteAttribute(w, (const xmlChar *)"nafGroup",
					(const xmlChar *)u->naf_group) < 0)
		return GBA_ERR_NOMEM;
	if (u->uicc_sec &&
	    xmlTextWriterWriteAttribute(w, (const xmlChar *)"uiccSecurityLevel",
					(const xmlChar *)"1") < 0)
		return GBA_ERR_NOMEM;
	if (u->n_flags) {
		if (xmlTextWriterStartElement(w, (const xmlChar *)"flags") < 0)
			return GBA_ERR_NOMEM;
		for (j = 0; j < u->n_flags && j < BSF_USS_FLAGS_MAX; j++)
			if (xmlTextWriterWriteFormatElement(
				    w, (const xmlChar *)"flag", "%u",
				    (unsigned)u->flags[j]) < 0)
				return GBA_ERR_NOMEM;
		if (xmlTextWriterEndElement(w) < 0)
			return GBA_ERR_NOMEM;
	}
	return xmlTextWriterEndElement(w) < 0 ? GBA_ERR_NOMEM : GBA_OK;
}

/* <ussList> with the selected USSs into @b: stored text (@raw) or fields */
static int build(const struct bsf_gba_params *p, const size_t *idx, size_t n,
		 int raw, xmlBufferPtr b)
{
	xmlTextWriterPtr w = xmlNewTextWriterMemory(b, 0);
	size_t i;
	int r = GBA_OK;

	if (w == NULL)
		return GBA_ERR_NOMEM;
	if (xmlTextWriterStartElement(w, (const xmlChar *)"ussList") < 0)
		r = GBA_ERR_NOMEM;
	for (i = 0; i < n && r == GBA_OK; i++) {
		const struct bsf_uss *u = &p->uss[idx[i]];
		const xmlChar *text = (const xmlChar *)u->xml;

		if (!raw)
			r = write_fields(w, u);
		else if (xmlTextWriterWriteRaw(w, text) < 0)
			r = GBA_ERR_NOMEM;
	}
	if (r == GBA_OK &&
	    (xmlTextWriterEndElement(w) < 0 || xmlTextWriterFlush(w) < 0))
		r = GBA_ERR_NOMEM;
	xmlFreeTextWriter(w);
	return r;
}

/*
 * The gate of choice 5: @doc must be a well-formed, namespace-well-formed
 * XML document without DTD whose root is an un-namespaced <ussList> with
 * exactly the @n selected <uss> elements, in order, with their GSIDs.
 */
static int check(const struct bsf_gba_params *p, const size_t *idx, size_t n,
		 const xmlChar *doc, int len)
{
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	xmlDocPtr d;
	xmlNodePtr root = NULL, c;
	size_t i = 0;
	int ok;

	if (ctxt == NULL)
		return GBA_ERR_NOMEM;
	d = xmlCtxtReadMemory(ctxt, (const char *)doc, len, NULL, "UTF-8",
			      XML_PARSE_NONET | XML_PARSE_NOERROR |
				      XML_PARSE_NOWARNING);
	ok = d != NULL && ctxt->wellFormed && ctxt->nsWellFormed &&
	     d->intSubset == NULL && d->extSubset == NULL &&
	     (root = xmlDocGetRootElement(d)) != NULL && root->ns == NULL &&
	     strcmp((const char *)root->name, "ussList") == 0;
	for (c = ok ? root->children : NULL; c && ok; c = c->next) {
		xmlChar *id;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (i == n || strcmp((const char *)c->name, "uss") != 0) {
			ok = 0;
			break;
		}
		id = xmlGetNoNsProp(c, (const xmlChar *)"id");
		ok = id != NULL &&
		     strcmp((const char *)id, p->uss[idx[i]].gsid) == 0;
		xmlFree(id);
		i++;
	}
	ok = ok && i == n;
	xmlFreeDoc(d);
	xmlFreeParserCtxt(ctxt);
	return ok ? GBA_OK : GBA_ERR_MALFORMED;
}

int bsf_uss_list(const struct bsf_gba_params *p, const struct bsf_push_req *req,
		 char *out, size_t cap, size_t *out_len)
{
	size_t idx[BSF_USS_MAX], n = 0, i, len;
	xmlBufferPtr b = NULL;
	int raw = 1, r;

	if (out_len)
		*out_len = 0;
	if (out && cap)
		out[0] = '\0';
	if (p == NULL || req == NULL || out == NULL || cap == 0 ||
	    out_len == NULL)
		return GBA_ERR_BAD_PARAM;
	if (req->n_gs_ids == 0) /* choice 2: no ussList at all */
		return GBA_OK;
	if ((r = bsf_uss_select(p, req, idx, &n)) != GBA_OK)
		return r;
	for (i = 0; i < n; i++)
		if (p->uss[idx[i]].xml == NULL)
			raw = 0;
	pthread_once(&xml_once, xml_init);
	for (;;) {
		if ((b = xmlBufferCreate()) == NULL)
			return GBA_ERR_NOMEM;
		if ((r = build(p, idx, n, raw, b)) != GBA_OK)
			goto out;
		r = check(p, idx, n, xmlBufferContent(b), xmlBufferLength(b));
		if (r == GBA_OK || r == GBA_ERR_NOMEM)
			break;
		if (!raw) { /* our own writer produced something unparsable */
			r = GBA_ERR_INTERNAL;
			goto out;
		}
		raw = 0; /* a stored text did not stand alone: use the fields */
		xmlBufferFree(b);
		b = NULL;
	}
	if (r != GBA_OK)
		goto out;
	len = (size_t)xmlBufferLength(b);
	if (len > BSF_USS_LIST_MAX || len >= cap) {
		r = GBA_ERR_TOO_LARGE;
		goto out;
	}
	memcpy(out, xmlBufferContent(b), len);
	out[len] = '\0';
	*out_len = len;
out:
	xmlBufferFree(b);
	return r;
}
