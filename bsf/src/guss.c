/* see guss.h - TS 29.109 Annex A GUSS (element names [U], project choice) */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "guss.h"
#include "store_rules.h"

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
	xmlInitParser();
}

void bsf_guss_clear(struct bsf_guss *g)
{
	if (g == NULL)
		return;
	bsf_rule_uss_xml_free(g->uss);
	memset(g, 0, sizeof(*g));
}

static int name_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)n->name, name) == 0;
}

/* Decimal, 0 .. 2^32 - 1, surrounding XML whitespace allowed. */
static int parse_u32(const xmlChar *s, uint32_t *v)
{
	uint64_t acc = 0;
	size_t n = 0;

	if (s == NULL)
		return GBA_ERR_MALFORMED;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	while (*s >= '0' && *s <= '9') {
		acc = acc * 10 + (uint64_t)(*s - '0');
		if (acc > UINT32_MAX || ++n > 10)
			return GBA_ERR_MALFORMED;
		s++;
	}
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (n == 0 || *s != '\0')
		return GBA_ERR_MALFORMED;
	*v = (uint32_t)acc;
	return GBA_OK;
}

/* Copy an attribute into a fixed field; absent -> "" unless required. */
static int attr_copy(xmlNode *n, const char *name, char *out, size_t cap,
		     int required)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	size_t len;
	int r = GBA_OK;

	out[0] = '\0';
	if (v == NULL)
		return required ? GBA_ERR_MALFORMED : GBA_OK;
	len = strlen((const char *)v);
	if (len >= cap)
		r = GBA_ERR_TOO_LARGE;
	else if (required && len == 0)
		r = GBA_ERR_MALFORMED;
	else
		memcpy(out, v, len + 1);
	xmlFree(v);
	return r;
}

static int dump_node(xmlDoc *doc, xmlNode *n, char **out)
{
	xmlBuffer *b = xmlBufferCreate();
	const xmlChar *c;
	size_t len;
	int r = GBA_ERR_NOMEM;

	*out = NULL;
	if (b == NULL)
		return GBA_ERR_NOMEM;
	if (xmlNodeDump(b, doc, n, 0, 0) >= 0 && (c = xmlBufferContent(b))) {
		len = (size_t)xmlBufferLength(b);
		if ((*out = malloc(len + 1)) != NULL) {
			memcpy(*out, c, len);
			(*out)[len] = '\0';
			r = GBA_OK;
		}
	}
	xmlBufferFree(b);
	return r;
}

static int parse_uss(xmlDoc *doc, xmlNode *n, unsigned flags, struct bsf_uss *u)
{
	xmlNode *c, *f;
	xmlChar *v;
	uint32_t x;
	int r;

	if ((r = attr_copy(n, "id", u->gsid, sizeof(u->gsid), 1)) != 0 ||
	    (r = attr_copy(n, "nafGroup", u->naf_group, sizeof(u->naf_group),
			   0)) != 0)
		return r;
	if ((v = xmlGetProp(n, (const xmlChar *)"uiccSecurityLevel"))) {
		r = parse_u32(v, &x);
		xmlFree(v);
		if (r != 0 || x > 1)
			return GBA_ERR_MALFORMED;
		u->uicc_sec = (int)x;
	}
	for (c = n->children; c; c = c->next) {
		if (!name_is(c, "flags"))
			continue;
		for (f = c->children; f; f = f->next) {
			if (!name_is(f, "flag"))
				continue;
			if (u->n_flags == BSF_USS_FLAGS_MAX)
				return GBA_ERR_TOO_LARGE;
			v = xmlNodeGetContent(f);
			r = parse_u32(v, &x);
			xmlFree(v);
			if (r != 0)
				return r;
			u->flags[u->n_flags++] = x;
		}
	}
	if (flags & BSF_GBA_XML)
		return dump_node(doc, n, &u->xml);
	return GBA_OK;
}

static int parse_bsf_info(xmlNode *n, struct bsf_guss *g)
{
	xmlNode *c;
	xmlChar *v;
	int r = GBA_OK;

	for (c = n->children; c && r == GBA_OK; c = c->next) {
		if (name_is(c, "uiccType")) {
			v = xmlNodeGetContent(c);
			if (v && strcmp((const char *)v, "GBA_U") == 0)
				g->gba_u = 1;
			else if (v && strcmp((const char *)v, "GBA") == 0)
				g->gba_u = 0;
			else
				r = GBA_ERR_MALFORMED;
			g->has_uicc_type = 1;
			xmlFree(v);
		} else if (name_is(c, "lifeTime")) {
			v = xmlNodeGetContent(c);
			r = parse_u32(v, &g->lifetime);
			g->has_lifetime = 1;
			xmlFree(v);
		}
	}
	return r;
}

static int has_doctype(const uint8_t *buf, size_t len)
{
	static const char tag[] = "<!DOCTYPE";
	static const char ent[] = "<!ENTITY";
	size_t i;

	for (i = 0; i + sizeof(ent) - 1 <= len; i++) {
		if (buf[i] != '<')
			continue;
		if (i + sizeof(tag) - 1 <= len &&
		    memcmp(buf + i, tag, sizeof(tag) - 1) == 0)
			return 1;
		if (memcmp(buf + i, ent, sizeof(ent) - 1) == 0)
			return 1;
	}
	return 0;
}

int bsf_guss_parse(const uint8_t *buf, size_t len, unsigned flags,
		   struct bsf_guss *g)
{
	xmlDoc *doc = NULL;
	xmlNode *root, *c, *u;
	int r = GBA_OK;

	if (g == NULL || (buf == NULL && len > 0))
		return GBA_ERR_BAD_PARAM;
	memset(g, 0, sizeof(*g));
	if (len == 0)
		return GBA_ERR_TRUNCATED;
	if (len > BSF_GUSS_MAX)
		return GBA_ERR_TOO_LARGE;
	/* No DTD at all: nothing to expand, nothing to fetch (C9). */
	if (has_doctype(buf, len))
		return GBA_ERR_MALFORMED;
	pthread_once(&xml_once, xml_init);
	doc = xmlReadMemory((const char *)buf, (int)len, NULL, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS);
	if (doc == NULL)
		return GBA_ERR_MALFORMED;
	root = xmlDocGetRootElement(doc);
	if (doc->intSubset || doc->extSubset || root == NULL ||
	    !name_is(root, "guss")) {
		r = GBA_ERR_MALFORMED;
		goto out;
	}
	for (c = root->children; c && r == GBA_OK; c = c->next) {
		if (name_is(c, "bsfInfo")) {
			r = parse_bsf_info(c, g);
		} else if (name_is(c, "ussList")) {
			for (u = c->children; u && r == GBA_OK; u = u->next) {
				if (!name_is(u, "uss"))
					continue;
				if (g->n_uss == BSF_USS_MAX) {
					r = GBA_ERR_TOO_LARGE;
					break;
				}
				r = parse_uss(doc, u, flags, &g->uss[g->n_uss]);
				g->n_uss++;
			}
		}
	}
out:
	xmlFreeDoc(doc);
	if (r != GBA_OK)
		bsf_guss_clear(g);
	return r;
}
