/*
 * The ussList of a GPI Response (bsf/src/uss.h): USS selection by the
 * requested GSIDs (Nbsp decimal text, Zpn text as given), the XML built
 * from the stored <uss> texts or, as fallback, from the parsed fields,
 * size limits, a round trip through the GUSS parser (guss.h), and the
 * whole path through bsf_push_handle() on a real store.
 *
 * Every expected document below is written out by hand from the project
 * choices in uss.h; none is produced by uss.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bsf_fixture.h"
#include "gba_test.h"
#include "guss.h"
#include "hss.h"
#include "push.h"
#include "req.h"
#include "store.h"
#include "uss.h"

/* a USS by hand; @xml is borrowed (never freed: no bsf_gba_params_clear) */
static void uss_set(struct bsf_gba_params *p, const char *gsid, const char *xml)
{
	struct bsf_uss *u = &p->uss[p->n_uss++];

	snprintf(u->gsid, sizeof(u->gsid), "%s", gsid);
	u->xml = (char *)(uintptr_t)xml;
}

static void req_nbsp(struct bsf_push_req *r, size_t n, const uint32_t *ids)
{
	memset(r, 0, sizeof(*r));
	if (n)
		memcpy(r->gs_ids, ids, n * sizeof(ids[0]));
	r->n_gs_ids = n;
}

static void req_zpn(struct bsf_push_req *r, size_t n, const char *const *txt)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < n; i++)
		snprintf(r->gs_id_text[i], sizeof(r->gs_id_text[i]), "%s",
			 txt[i]);
	r->n_gs_ids = n;
}

static void test_select(void)
{
	static struct bsf_gba_params p;
	struct bsf_push_req r;
	size_t idx[BSF_USS_MAX], n = 99;
	static const uint32_t want[] = {7, 42, 7, 99};
	static const uint32_t seven[] = {7};
	static const char *const zero7[] = {"007"};
	static const char *const z7[] = {"7", "1"};

	memset(&p, 0, sizeof(p));
	uss_set(&p, "1", NULL);
	uss_set(&p, "42", NULL);
	uss_set(&p, "007", NULL);
	uss_set(&p, "7", NULL);
	uss_set(&p, "app.x", NULL);

	/* Nbsp: decimal text, GUSS order, a repeated GSID selects once */
	req_nbsp(&r, 4, want);
	GBA_ASSERT_ERR(bsf_uss_select(&p, &r, idx, &n), GBA_OK);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(idx[0], 1); /* "42" */
	CU_ASSERT_EQUAL(idx[1], 3); /* "7", not "007" */
	/* Zpn: the text as given, "007" is not "7" */
	req_zpn(&r, 1, zero7);
	GBA_ASSERT_ERR(bsf_uss_select(&p, &r, idx, &n), GBA_OK);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(idx[0], 2);
	req_zpn(&r, 2, z7);
	GBA_ASSERT_ERR(bsf_uss_select(&p, &r, idx, &n), GBA_OK);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(idx[0], 0);
	CU_ASSERT_EQUAL(idx[1], 3);
	/* nothing requested / nothing matching / no USS at all */
	req_nbsp(&r, 0, NULL);
	GBA_ASSERT_ERR(bsf_uss_select(&p, &r, idx, &n), GBA_OK);
	CU_ASSERT_EQUAL(n, 0);
	req_nbsp(&r, 1, &want[3]);
	GBA_ASSERT_ERR(bsf_uss_select(&p, &r, idx, &n), GBA_OK);
	CU_ASSERT_EQUAL(n, 0);
	p.n_uss = 0;
	req_nbsp(&r, 1, seven);
	GBA_ASSERT_ERR(bsf_uss_select(&p, &r, idx, &n), GBA_OK);
	CU_ASSERT_EQUAL(n, 0);
	GBA_ASSERT_ERR(bsf_uss_select(NULL, &r, idx, &n), GBA_ERR_BAD_PARAM);
	/* the largest uint32 has 10 digits */
	memset(&p, 0, sizeof(p));
	uss_set(&p, "4294967295", NULL);
	{
		static const uint32_t max[] = {4294967295u};

		req_nbsp(&r, 1, max);
	}
	GBA_ASSERT_ERR(bsf_uss_select(&p, &r, idx, &n), GBA_OK);
	CU_ASSERT_EQUAL(n, 1);
}

/* two stored USS texts, written into a ussList as they are */
#define USS_1                                                             \
	"<uss id=\"1\" type=\"1\" nafGroup=\"scs\"><uids><uid>"                \
	"sip:alice@example.org</uid></uids><flags><flag>1</flag></flags>"  \
	"</uss>"
#define USS_42 "<uss id=\"42\"><uids><uid>tel:+15550100</uid></uids></uss>"

static void test_list_stored(void)
{
	static struct bsf_gba_params p;
	struct bsf_push_req r;
	char out[1024];
	size_t n = 99;
	static const uint32_t one[] = {1};
	static const uint32_t both[] = {42, 1};
	static const uint32_t none[] = {5};

	memset(&p, 0, sizeof(p));
	uss_set(&p, "1", USS_1);
	uss_set(&p, "42", USS_42);

	/* no GSID requested: no ussList at all */
	req_nbsp(&r, 0, NULL);
	memcpy(out, "junk", 5);
	GBA_ASSERT_ERR(bsf_uss_list(&p, &r, out, sizeof(out), &n), GBA_OK);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_STRING_EQUAL(out, "");

	/* one: the stored text, uids and type kept */
	req_nbsp(&r, 1, one);
	GBA_ASSERT_ERR(bsf_uss_list(&p, &r, out, sizeof(out), &n), GBA_OK);
	CU_ASSERT_STRING_EQUAL(out, "<ussList>" USS_1 "</ussList>");
	CU_ASSERT_EQUAL(n, strlen(out));

	/* both, asked for in the other order: GUSS order */
	req_nbsp(&r, 2, both);
	GBA_ASSERT_ERR(bsf_uss_list(&p, &r, out, sizeof(out), &n), GBA_OK);
	CU_ASSERT_STRING_EQUAL(out, "<ussList>" USS_1 USS_42 "</ussList>");

	/* asked for, none matching: an empty list, not an error */
	req_nbsp(&r, 1, none);
	GBA_ASSERT_ERR(bsf_uss_list(&p, &r, out, sizeof(out), &n), GBA_OK);
	CU_ASSERT_STRING_EQUAL(out, "<ussList/>");
	CU_ASSERT_EQUAL(n, 10);

	/* too small an output: TOO_LARGE, nothing half-written */
	req_nbsp(&r, 2, both);
	memcpy(out, "junk", 5);
	GBA_ASSERT_ERR(bsf_uss_list(&p, &r, out, 100, &n), GBA_ERR_TOO_LARGE);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_STRING_EQUAL(out, "");
	/* exactly the length + NUL fits, one less does not */
	req_nbsp(&r, 1, none);
	GBA_ASSERT_ERR(bsf_uss_list(&p, &r, out, 11, &n), GBA_OK);
	CU_ASSERT_STRING_EQUAL(out, "<ussList/>");
	GBA_ASSERT_ERR(bsf_uss_list(&p, &r, out, 10, &n), GBA_ERR_TOO_LARGE);
	GBA_ASSERT_ERR(bsf_uss_list(&p, NULL, out, sizeof(out), &n),
		       GBA_ERR_BAD_PARAM);
}

/*
 * Stored texts that cannot stand alone (a prefix declared on the GUSS
 * root, a text that disagrees with the parsed GSID, broken or smuggled
 * markup) and missing texts: every selected USS comes from its fields.
 */
static void test_list_fallback(void)
{
	static struct bsf_gba_params p;
	struct bsf_push_req r;
	char out[1024];
	size_t n;
	static const uint32_t one[] = {1};
	static const uint32_t both[] = {1, 2};
	static const char *const bad[] = {
		"<g:uss id=\"1\"><g:uids/></g:uss>", /* undeclared prefix */
		"<uss id=\"1\" g:type=\"1\"/>",	     /* ... on an attribute */
		"<uss id=\"9\"/>",		     /* not the parsed GSID */
		"<uss id=\"1\">",		     /* not well-formed */
		"<uss id=\"1\"/><uss id=\"9\"/>",    /* one USS more */
		"<other id=\"1\"/>",		     /* not a uss */
		"<uss id=\"1\"/><!DOCTYPE x>",	     /* DTD after the root */
		"</ussList><x/><ussList>", /* breaks out of the list */
		"",			   /* empty */
	};
	size_t i;

	req_nbsp(&r, 1, one);
	for (i = 0; i < GBA_ARRAY_SIZE(bad); i++) {
		memset(&p, 0, sizeof(p));
		uss_set(&p, "1", bad[i]);
		p.uss[0].uicc_sec = 1;
		snprintf(p.uss[0].naf_group, sizeof(p.uss[0].naf_group), "g1");
		p.uss[0].n_flags = 2;
		p.uss[0].flags[0] = 0;
		p.uss[0].flags[1] = 4294967295u;
		GBA_ASSERT_ERR(bsf_uss_list(&p, &r, out, sizeof(out), &n),
			       GBA_OK);
		CU_ASSERT_STRING_EQUAL(out,
				       "<ussList><uss id=\"1\" nafGroup=\"g1\" "
				       "uiccSecurityLevel=\"1\"><flags><flag>0"
				       "</flag><flag>4294967295</flag></flags>"
				       "</uss></ussList>");
	}
	/* no stored text (lookup without BSF_GBA_XML), minimal USS */
	memset(&p, 0, sizeof(p));
	uss_set(&p, "1", NULL);
	uss_set(&p, "2", "<uss id=\"2\"><uids/></uss>");
	req_nbsp(&r, 2, both);
	GBA_ASSERT_ERR(bsf_uss_list(&p, &r, out, sizeof(out), &n), GBA_OK);
	/* one missing text: all from the fields (uids of "2" dropped) */
	CU_ASSERT_STRING_EQUAL(out, "<ussList><uss id=\"1\"/><uss id=\"2\"/>"
				    "</ussList>");
}

/*
 * Round trip: a GUSS through the GUSS parser (as the store does on write),
 * its USSs through bsf_uss_list(), the result put back into a <guss> and
 * parsed again: same GSIDs, NAF groups, levels and flags, in both the
 * stored-text and the field paths.  The values include every character
 * XML escapes, a non-ASCII one and a line break in an attribute.
 */
static void test_round_trip(void)
{
	static const char guss_xml[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<guss xmlns=\"uri:3gpp-gba\"><bsfInfo><uiccType>GBA</uiccType>"
		"</bsfInfo><ussList>\n"
		"<uss id=\"a&amp;b&lt;c&gt;&quot;d'e\" nafGroup=\"gr&#10;p "
		"\xc3\xa9\" uiccSecurityLevel=\"1\"><uids><uid>sip:x@y</uid>"
		"</uids><flags><flag>3</flag><flag> 4294967295 </flag></flags>"
		"</uss>\n"
		"<uss id=\"7\"><![CDATA[<not markup>]]></uss>\n"
		"<uss id=\"8\" nafGroup=\"\"/>\n"
		"</ussList></guss>";
	static struct bsf_guss g, back;
	static struct bsf_gba_params p;
	static char out[BSF_USS_LIST_MAX + 1], wrap[BSF_USS_LIST_MAX + 64];
	struct bsf_push_req r;
	size_t n, i, pass;

	GBA_ASSERT_ERR(bsf_guss_parse((const uint8_t *)guss_xml,
				      strlen(guss_xml), BSF_GBA_XML, &g),
		       GBA_OK);
	CU_ASSERT_EQUAL_FATAL(g.n_uss, 3);
	/* 10 octets: fits a (test-made) Zpn text key */
	CU_ASSERT_STRING_EQUAL_FATAL(g.uss[0].gsid, "a&b<c>\"d'e");
	memset(&r, 0, sizeof(r));
	snprintf(r.gs_id_text[0], sizeof(r.gs_id_text[0]), "8");
	snprintf(r.gs_id_text[1], sizeof(r.gs_id_text[1]), "7");
	r.n_gs_ids = 2;
	for (pass = 0; pass < 2; pass++) {
		memset(&p, 0, sizeof(p));
		p.n_uss = g.n_uss;
		memcpy(p.uss, g.uss, sizeof(g.uss));
		if (pass == 1) /* the field path */
			for (i = 0; i < p.n_uss; i++)
				p.uss[i].xml = NULL;
		r.n_gs_ids = 2;
		GBA_ASSERT_ERR(bsf_uss_list(&p, &r, out, sizeof(out), &n),
			       GBA_OK);
		/* stored text: CDATA and the empty group kept */
		CU_ASSERT_STRING_EQUAL(
			out, pass == 0
				     ? "<ussList><uss id=\"7\"><![CDATA[<not "
				       "markup>]]></uss><uss id=\"8\" "
				       "nafGroup=\"\"/></ussList>"
				     : "<ussList><uss id=\"7\"/><uss id=\"8\"/>"
				       "</ussList>");
		memcpy(r.gs_id_text[2], g.uss[0].gsid, 11);
		r.n_gs_ids = 3;
		GBA_ASSERT_ERR(bsf_uss_list(&p, &r, out, sizeof(out), &n),
			       GBA_OK);
		snprintf(wrap, sizeof(wrap), "<guss>%s</guss>", out);
		GBA_ASSERT_ERR(bsf_guss_parse((const uint8_t *)wrap,
					      strlen(wrap), 0, &back),
			       GBA_OK);
		CU_ASSERT_EQUAL_FATAL(back.n_uss, 3);
		CU_ASSERT_STRING_EQUAL(back.uss[0].gsid, "a&b<c>\"d'e");
		CU_ASSERT_STRING_EQUAL(back.uss[0].naf_group, "gr\np \xc3\xa9");
		CU_ASSERT_EQUAL(back.uss[0].uicc_sec, 1);
		CU_ASSERT_EQUAL_FATAL(back.uss[0].n_flags, 2);
		CU_ASSERT_EQUAL(back.uss[0].flags[0], 3);
		CU_ASSERT_EQUAL(back.uss[0].flags[1], 4294967295u);
		CU_ASSERT_STRING_EQUAL(back.uss[1].gsid, "7");
		CU_ASSERT_STRING_EQUAL(back.uss[2].gsid, "8");
		CU_ASSERT_EQUAL(back.uss[2].n_flags, 0);
		/* the uids survive only the stored-text path */
		CU_ASSERT_EQUAL(strstr(out, "<uid>sip:x@y</uid>") != NULL,
				pass == 0);
		bsf_guss_clear(&back);
	}
	bsf_guss_clear(&g);
}

/* USSs whose stored texts add up to more than BSF_USS_LIST_MAX */
static void test_list_limit(void)
{
	static struct bsf_gba_params p;
	static char texts[BSF_REQ_GSIDS_MAX][1300];
	static char out[2 * BSF_USS_LIST_MAX];
	static char pad[1201];
	struct bsf_push_req r;
	size_t i, n;

	memset(&p, 0, sizeof(p));
	memset(&r, 0, sizeof(r));
	for (i = 0; i < BSF_REQ_GSIDS_MAX; i++) {
		char id[16];

		snprintf(id, sizeof(id), "%zu", i);
		uss_set(&p, id, texts[i]);
		r.gs_ids[i] = (uint32_t)i;
	}
	r.n_gs_ids = BSF_REQ_GSIDS_MAX;
	/* 16 x (600 + 25) octets: fit */
	memset(pad, 'x', 600);
	for (i = 0; i < BSF_REQ_GSIDS_MAX; i++)
		snprintf(texts[i], sizeof(texts[i]),
			 "<uss id=\"%zu\"><u>%s</u></uss>", i, pad);
	GBA_ASSERT_ERR(bsf_uss_list(&p, &r, out, sizeof(out), &n), GBA_OK);
	CU_ASSERT(n > 16 * 600 && n < BSF_USS_LIST_MAX);
	CU_ASSERT_EQUAL(n, strlen(out));
	/* 16 x (1200 + 25) > 16384, even into a larger buffer */
	memset(pad, 'x', 1200);
	for (i = 0; i < BSF_REQ_GSIDS_MAX; i++)
		snprintf(texts[i], sizeof(texts[i]),
			 "<uss id=\"%zu\"><u>%s</u></uss>", i, pad);
	memcpy(out, "junk", 5);
	GBA_ASSERT_ERR(bsf_uss_list(&p, &r, out, sizeof(out), &n),
		       GBA_ERR_TOO_LARGE);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_STRING_EQUAL(out, "");
}

/* ---- the whole path: store + HSS + bsf_push_handle() ---------------- */

static const char push_guss[] =
	"<guss><ussList>"
	"<uss id=\"10\" nafGroup=\"scs\"><uids><uid>tel:+15550000001</uid>"
	"</uids><flags><flag>1</flag></flags></uss>"
	"<uss id=\"20\"><uids><uid>sip:alice@ims.example</uid></uids></uss>"
	"</ussList></guss>";

static void test_push(void)
{
	static const uint8_t ua[5] = {1, 0, 0, 0, 2};
	static struct bsf_fixture f;
	static struct bsf_naf naf;
	static struct bsf_push_req req;
	static struct bsf_push_res res;
	const char *field;
	int64_t sub_id = 0;

	bsf_fixture_open(&f, "test_uss");
	sub_id = bsf_fixture_sub(f.st, "alice@ims.example", 0, NULL,
				 push_guss);
	bsf_fixture_naf(&f, ua, 0, sub_id, &naf);
	bsf_fixture_req(&req, "alice@ims.example", BSF_UEID_PRIVATE, ua);

	/* no gsIds: no ussList */
	CU_ASSERT_EQUAL(bsf_push_handle(&f.ctx, &naf, &req, &res, &field),
			BSF_PB_OK);
	CU_ASSERT_EQUAL(res.uss_list_len, 0);
	bsf_push_res_clear(&res);
	/* gsIds [20, 30]: exactly USS 20, stored text (uids kept) */
	req.gs_ids[0] = 20;
	req.gs_ids[1] = 30;
	req.n_gs_ids = 2;
	CU_ASSERT_EQUAL(bsf_push_handle(&f.ctx, &naf, &req, &res, &field),
			BSF_PB_OK);
	CU_ASSERT_STRING_EQUAL(res.uss_list,
			       "<ussList><uss id=\"20\"><uids><uid>"
			       "sip:alice@ims.example</uid></uids></uss>"
			       "</ussList>");
	CU_ASSERT_EQUAL(res.uss_list_len, strlen(res.uss_list));
	bsf_push_res_clear(&res);
	/* only an unknown GSID: still answered, empty list */
	req.n_gs_ids = 1;
	req.gs_ids[0] = 30;
	CU_ASSERT_EQUAL(bsf_push_handle(&f.ctx, &naf, &req, &res, &field),
			BSF_PB_OK);
	CU_ASSERT_STRING_EQUAL(res.uss_list, "<ussList/>");
	bsf_push_res_clear(&res);

	bsf_fixture_close(&f);
}

GBA_TEST_MAIN("uss",
	{"USS selection by GSID", test_select},
	{"ussList from stored USS texts", test_list_stored},
	{"ussList from parsed fields (fallback)", test_list_fallback},
	{"round trip through the GUSS parser", test_round_trip},
	{"size limit", test_list_limit},
	{"bsf_push_handle with gsIds", test_push})
