/*
 * BSF request/response codecs: Nbsp JSON (TS 29.309 PushInfoRequest),
 * Zpn SOAP (TS 29.109 5.5, project-choice names), RFC 3339 times, the
 * config loader and the rate limiter.  Expected Unix times were computed
 * independently with python3: calendar.timegm((2026,11,24,10,0,0)) etc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "gba_test.h"
#include "binding.h"
#include "config.h"
#include "nbsp.h"
#include "problem.h"
#include "ptid.h"
#include "push.h"
#include "ratelimit.h"
#include "req.h"
#include "rfc3339.h"
#include "zpn.h"

#define S(x) (const uint8_t *)(x), strlen(x)
#define T(x) (x), strlen(x)

static void test_time(void)
{
	static const struct gba_test_case_err bad[] = {
		/* an instant before 1970 (was accepted, < 0) */
		{ "1969-12-31T23:59:59Z", GBA_ERR_MALFORMED },
		{ "1970-01-01T00:30:00+01:00", GBA_ERR_MALFORMED },
		/* broken inputs */
		{ "2100-02-29T00:00:00Z", GBA_ERR_MALFORMED },
		{ "2026-11-24T10:00:00", GBA_ERR_MALFORMED },
		{ "2026-11-24 10:00:00Z", GBA_ERR_MALFORMED },
		{ "2026-13-24T10:00:00Z", GBA_ERR_MALFORMED },
		{ "2026-11-24T10:00:00.Z", GBA_ERR_MALFORMED },
		{ "2026-11-24T10:00:00+2:00", GBA_ERR_MALFORMED },
		{ "2026-11-24T10:00:00ZZ", GBA_ERR_MALFORMED },
		{ "", GBA_ERR_MALFORMED },
	};
	int64_t t;
	size_t i;

	GBA_ASSERT_ERR(bsf_time_parse(T("2026-11-24T10:00:00Z"), &t), GBA_OK);
	CU_ASSERT_EQUAL(t, 1795514400);
	GBA_ASSERT_ERR(bsf_time_parse(T("2026-11-24T12:00:00.123+02:00"), &t),
		       GBA_OK);
	CU_ASSERT_EQUAL(t, 1795514400);
	GBA_ASSERT_ERR(bsf_time_parse(T("2026-11-24T08:00:00-00:00"), &t),
		       GBA_OK);
	CU_ASSERT_EQUAL(t, 1795507200);
	GBA_ASSERT_ERR(bsf_time_parse(T("2000-02-29T23:59:59Z"), &t), GBA_OK);
	CU_ASSERT_EQUAL(t, 951868799);
	GBA_ASSERT_ERR(bsf_time_parse(T("1970-01-01T00:00:00Z"), &t), GBA_OK);
	CU_ASSERT_EQUAL(t, 0);
	GBA_ASSERT_ERR(bsf_time_parse(T("2100-03-01T00:00:00Z"), &t), GBA_OK);
	CU_ASSERT_EQUAL(t, 4107542400);
	/* one rule with the SCS (gba_datetime_parse): a leap second reads
	 * as 59 of its minute (915148799: Python, 1998-12-31T23:59:59Z), and
	 * an instant before 1970 is refused (bad[]) */
	GBA_ASSERT_ERR(bsf_time_parse(T("1998-12-31T23:59:60Z"), &t), GBA_OK);
	CU_ASSERT_EQUAL(t, 915148799);
	for (i = 0; i < GBA_ARRAY_SIZE(bad); i++)
		GBA_ASSERT_ERR(bsf_time_parse(T(bad[i].in), &t), bad[i].err);
	{
		char buf[32];

		GBA_ASSERT_ERR(bsf_time_format(1795514400, buf, sizeof(buf)),
			       GBA_OK);
		CU_ASSERT_STRING_EQUAL(buf, "2026-11-24T10:00:00Z");
		GBA_ASSERT_ERR(bsf_time_format(1795514400, buf, 20),
			       GBA_ERR_NO_SPACE);
	}
}

/*
 * One FQDN rule for both bindings (gba/fqdn.h, TS 29.571 Fqdn; the cases
 * of the rule itself are in test_fqdn.c).  Before it, Zpn used an LDH
 * check of its own: it took "a", "localhost", "1.2.3.4" and "a.c-m" and
 * refused a root dot, while Nbsp already applied TS 29.571.  Both decoders
 * now give the same answer, and the same canonical name.
 */
#define FQDN_NBSP                                                          \
	"{\"ueId\":\"x\",\"ueIdType\":\"PRIVATE\",\"uiccAppLabel\":\"\","    \
	"\"uiccOrMe\":\"GBA_ME\",\"nafId\":{\"nafFqdn\":\"%s\","               \
	"\"uaSecProtId\":\"0100000000\"},\"ptId\":\"p\","                       \
	"\"requestedLifeTime\":\"2099-01-01T00:00:00Z\"}"
#define FQDN_ZPN                                                           \
	"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"  \
	"<s:Body><requestGbaPushInfoRequest xmlns=\"urn:gbapush:zpn:1\">"     \
	"<userId>a</userId><userIdType>PUBLIC</userIdType><nafid><nafFqdn>%s" \
	"</nafFqdn><uaSecProtId>0100000002</uaSecProtId></nafid>"            \
	"</requestGbaPushInfoRequest></s:Body></s:Envelope>"

/* a valid request of either binding around nafFqdn @fqdn, decoded */
static enum bsf_problem decode_fqdn(int zpn, const char *fqdn,
				    struct bsf_push_req *r, const char **f)
{
	struct bsf_nbsp_invalid inv;
	char doc[1024];
	int n = zpn ? snprintf(doc, sizeof(doc), FQDN_ZPN, fqdn)
		    : snprintf(doc, sizeof(doc), FQDN_NBSP, fqdn);

	*f = "";
	if (n <= 0 || (size_t)n >= sizeof(doc))
		return BSF_PB_COUNT_;
	if (zpn)
		return bsf_zpn_decode((const uint8_t *)doc, (size_t)n, r, f);
	return bsf_nbsp_decode((const uint8_t *)doc, (size_t)n, r, &inv);
}

static void test_fqdn_both_bindings(void)
{
	static const struct {
		const char *s;
		const char *canon; /* NULL: refused */
	} t[] = {
		{ "naf.example.com", "naf.example.com" },
		{ "NAF1.Example.COM.", "naf1.example.com" },
		{ "a", NULL },
		{ "localhost", NULL },
		{ "1.2.3.4", NULL },
		{ "a.c-m", NULL },
		{ "-naf.example", NULL },
		{ "naf..example", NULL },
	};
	struct bsf_push_req r;
	const char *f;
	size_t i;
	int zpn;

	for (i = 0; i < GBA_ARRAY_SIZE(t); i++) {
		for (zpn = 0; zpn < 2; zpn++) {
			CU_ASSERT_EQUAL(decode_fqdn(zpn, t[i].s, &r, &f),
					t[i].canon ? BSF_PB_OK
						   : BSF_PB_MANDATORY_IE_INCORRECT);
			if (t[i].canon) {
				CU_ASSERT_STRING_EQUAL(r.naf_fqdn, t[i].canon);
			} else if (zpn) {
				CU_ASSERT_PTR_NOT_NULL_FATAL(f);
				CU_ASSERT_STRING_EQUAL(f, "nafid/nafFqdn");
			}
		}
	}
}

/* the one request check (req.h): lengths and characters per field */
static void test_req_text(void)
{
	static struct bsf_push_req r;
	char b[300];

	memset(&r, 0, sizeof(r));
	memset(b, 'u', sizeof(b));
	CU_ASSERT_TRUE(bsf_req_set_text(&r, BSF_RT_UE_ID, b, 255));
	CU_ASSERT_EQUAL(r.ue_id_len, 255);
	CU_ASSERT_EQUAL(r.ue_id[255], '\0');
	CU_ASSERT_FALSE(bsf_req_set_text(&r, BSF_RT_UE_ID, b, 256));
	CU_ASSERT_FALSE(bsf_req_set_text(&r, BSF_RT_UE_ID, b, 0));
	CU_ASSERT_EQUAL(r.ue_id_len, 255); /* a refusal changes nothing */
	CU_ASSERT_FALSE(bsf_req_set_text(&r, BSF_RT_UE_ID, T("a b")));
	CU_ASSERT_FALSE(bsf_req_set_text(&r, BSF_RT_UE_ID, T("a\x7f")));
	CU_ASSERT_TRUE(bsf_req_set_text(&r, BSF_RT_APP_LABEL, b, 0));
	CU_ASSERT_TRUE(bsf_req_set_text(&r, BSF_RT_APP_LABEL, b, 32));
	CU_ASSERT_FALSE(bsf_req_set_text(&r, BSF_RT_APP_LABEL, b, 33));
	CU_ASSERT_TRUE(bsf_req_set_text(&r, BSF_RT_P_TID, b, 64));
	CU_ASSERT_EQUAL(r.p_tid_len, 64);
	CU_ASSERT_FALSE(bsf_req_set_text(&r, BSF_RT_P_TID, b, 65));
	CU_ASSERT_FALSE(bsf_req_set_text(&r, BSF_RT_P_TID, b, 0));
	CU_ASSERT_TRUE(bsf_req_set_text(&r, BSF_RT_NAF_FQDN,
					T("NAF.Example.org.")));
	CU_ASSERT_STRING_EQUAL(r.naf_fqdn, "naf.example.org");
	CU_ASSERT_FALSE(bsf_req_set_text(&r, BSF_RT_NAF_FQDN, T("localhost")));
	CU_ASSERT_STRING_EQUAL(r.naf_fqdn, "naf.example.org");
	CU_ASSERT_FALSE(bsf_req_set_text(&r, BSF_RT_COUNT_, T("x")));
}

/* the binding table (binding.h): resources, media types, error status */
static void test_bindings(void)
{
	const struct bsf_binding *n, *z;
	struct bsf_push_req r;
	struct bsf_refusal ref;
	char buf[4096];
	size_t len;

	n = bsf_binding_at(T("/nbsp-gba/v1/push-info-retrieval"));
	z = bsf_binding_at(T("/zpn"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(z);
	CU_ASSERT_EQUAL(n->ep, BSF_EP_NBSP);
	CU_ASSERT_EQUAL(z->ep, BSF_EP_ZPN);
	CU_ASSERT_PTR_NULL(bsf_binding_at(T("/zpn/")));
	CU_ASSERT_PTR_NULL(bsf_binding_at(T("/zp")));
	CU_ASSERT_PTR_NULL(bsf_binding_at(T("/ZPN")));
	CU_ASSERT_PTR_EQUAL(bsf_binding_at("/zpn?a=1", 4), z);
	CU_ASSERT_STRING_EQUAL(n->req_type, "application/json");
	CU_ASSERT_STRING_EQUAL(n->err_type, "application/problem+json");
	CU_ASSERT_EQUAL(n->err_status, 0);
	CU_ASSERT_STRING_EQUAL(z->req_type, "text/xml");
	CU_ASSERT_STRING_EQUAL(z->resp_type, "text/xml; charset=utf-8");
	CU_ASSERT_EQUAL(z->err_status, 500); /* SOAP 1.1 6.2 */
	/* errors on no binding's resource: ProblemDetails (Nbsp's) */
	CU_ASSERT_PTR_EQUAL(bsf_binding_errors(BSF_EP_OTHER), n);
	CU_ASSERT_PTR_EQUAL(bsf_binding_errors(BSF_EP_ZPN), z);
	/* a refused body: the first invalid member names the refusal */
	CU_ASSERT_EQUAL(n->decode(S("{}"), &r, &ref),
			BSF_PB_MANDATORY_IE_MISSING);
	CU_ASSERT_STRING_EQUAL(ref.field, "/ueId");
	CU_ASSERT_EQUAL(ref.inv.n, 7);
	memset(buf, 0, sizeof(buf));
	GBA_ASSERT_ERR(n->refusal(BSF_PB_MANDATORY_IE_MISSING, &ref, buf,
				  sizeof(buf), &len), GBA_OK);
	CU_ASSERT(len > 0 && len < sizeof(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"invalidParams\""));
	CU_ASSERT_EQUAL(z->decode(S("not xml"), &r, &ref),
			BSF_PB_INVALID_MSG_FORMAT);
	CU_ASSERT_EQUAL(ref.inv.n, 0);
	memset(buf, 0, sizeof(buf));
	GBA_ASSERT_ERR(z->refusal(BSF_PB_INVALID_MSG_FORMAT, &ref, buf,
				  sizeof(buf), &len), GBA_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Fault"));
}

#define NBSP_OK                                                         \
	"{\"ueId\":\"sip:+15551230001@ims.example.org\","               \
	"\"ueIdType\":\"PUBLIC\",\"uiccAppLabel\":\"USIM1\","           \
	"\"nafId\":{\"nafFqdn\":\"naf.example.com\","                   \
	"\"uaSecProtId\":\"0100000005\"},\"ptId\":\"ptid-42\","         \
	"\"uiccOrMe\":\"GBA_U\","                                       \
	"\"requestedLifeTime\":\"2026-11-24T10:00:00Z\","               \
	"\"privateIdRequest\":true,\"gbaUAware\":true,\"gsIds\":[1,7]," \
	"\"auts\":\"000102030405060708090a0b0c0d\","                    \
	"\"rand\":\"A0A1A2A3A4A5A6A7A8A9AAABACADAEAF\"}"

static void test_nbsp_decode_ok(void)
{
	struct bsf_push_req r;
	struct bsf_nbsp_invalid inv;
	uint8_t exp_rand[16], exp_auts[14], ua[5];

	CU_ASSERT_EQUAL(bsf_nbsp_decode(S(NBSP_OK), &r, &inv), BSF_PB_OK);
	CU_ASSERT_EQUAL(inv.n, 0);
	CU_ASSERT_STRING_EQUAL(r.ue_id, "sip:+15551230001@ims.example.org");
	CU_ASSERT_EQUAL(r.ue_id_type, BSF_UEID_PUBLIC);
	CU_ASSERT_STRING_EQUAL(r.app_label, "USIM1");
	CU_ASSERT_EQUAL(r.gba_u, 1);
	CU_ASSERT_STRING_EQUAL(r.naf_fqdn, "naf.example.com");
	gba_test_unhex("0100000005", ua, sizeof(ua));
	GBA_ASSERT_HEX_EQ(r.ua_id, ua, 5);
	CU_ASSERT_STRING_EQUAL(r.p_tid, "ptid-42");
	CU_ASSERT_EQUAL(r.p_tid_len, 7);
	CU_ASSERT_TRUE(r.has_requested_expiry);
	CU_ASSERT_EQUAL(r.requested_expiry, 1795514400);
	CU_ASSERT_TRUE(r.private_id_request);
	CU_ASSERT_TRUE(r.gba_u_aware);
	CU_ASSERT_EQUAL(r.n_gs_ids, 2);
	CU_ASSERT_EQUAL(r.gs_ids[1], 7);
	CU_ASSERT_STRING_EQUAL(r.gs_id_text[1], ""); /* Zpn only */
	CU_ASSERT_TRUE(r.has_resync);
	gba_test_unhex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf", exp_rand, 16);
	gba_test_unhex("000102030405060708090a0b0c0d", exp_auts, 14);
	GBA_ASSERT_HEX_EQ(r.rand_, exp_rand, 16);
	GBA_ASSERT_HEX_EQ(r.auts, exp_auts, 14);
}

/* the members TS 29.309 requires, each valid; a case changes one */
#define V_UE "\"ueId\":\"x\",\"ueIdType\":\"PRIVATE\""
#define V_LBL "\"uiccAppLabel\":\"\""
#define V_ME "\"uiccOrMe\":\"GBA_ME\""
#define V_NAF_(fqdn, ua) "\"nafId\":{\"nafFqdn\":\"" fqdn "\",\"uaSecProtId\":\"" ua "\"}"
#define V_NAF V_NAF_("naf.example.com", "0100000000")
#define V_PT "\"ptId\":\"p\""
#define V_LT "\"requestedLifeTime\":\"2099-01-01T00:00:00Z\""
#define V_ALL V_UE "," V_LBL "," V_ME "," V_NAF "," V_PT "," V_LT
/* a case: the valid request with nafId member @naf, refused as incorrect
 * at @field (one invalidParams item) */
#define NAF_BAD(naf, field)                                               \
	{ "{" V_UE "," V_LBL "," V_ME "," naf "," V_PT "," V_LT "}",       \
	  BSF_PB_MANDATORY_IE_INCORRECT, field, 1 }

static const struct {
	const char *json;
	enum bsf_problem pb;
	const char *field; /* the first invalidParams item; NULL: none */
	size_t n;	   /* invalidParams items */
} nbsp_bad[] = {
	{ "{", BSF_PB_INVALID_MSG_FORMAT, NULL, 0 },
	{ "", BSF_PB_INVALID_MSG_FORMAT, NULL, 0 },
	{ "[1]", BSF_PB_INVALID_MSG_FORMAT, NULL, 0 },
	{ "{\"ueId\":\"a\",\"ueId\":\"b\"}", BSF_PB_INVALID_MSG_FORMAT, NULL,
	  0 },
	/* every required member missing: all seven listed */
	{ "{}", BSF_PB_MANDATORY_IE_MISSING, "/ueId", 7 },
	{ "{\"ueId\":7," V_LBL "," V_ME "," V_NAF "," V_PT "," V_LT
	  ",\"ueIdType\":\"PUBLIC\"}",
	  BSF_PB_MANDATORY_IE_INCORRECT, "/ueId", 1 },
	{ "{\"ueId\":\"\",\"ueIdType\":\"PUBLIC\"," V_LBL "," V_ME "," V_NAF
	  "," V_PT "," V_LT "}",
	  BSF_PB_MANDATORY_IE_INCORRECT, "/ueId", 1 },
	{ "{\"ueId\":\"a b\",\"ueIdType\":\"PUBLIC\"," V_LBL "," V_ME
	  "," V_NAF "," V_PT "," V_LT "}",
	  BSF_PB_MANDATORY_IE_INCORRECT, "/ueId", 1 },
	{ "{\"ueId\":\"x\",\"ueIdType\":\"MSISDN\"," V_LBL "," V_ME "," V_NAF
	  "," V_PT "," V_LT "}",
	  BSF_PB_MANDATORY_IE_INCORRECT, "/ueIdType", 1 },
	{ "{" V_UE "," V_ME "," V_NAF "," V_PT "," V_LT "}",
	  BSF_PB_MANDATORY_IE_MISSING, "/uiccAppLabel", 1 },
	{ "{" V_UE "," V_LBL ",\"uiccOrMe\":\"GBA\"," V_NAF "," V_PT "," V_LT
	  "}",
	  BSF_PB_MANDATORY_IE_INCORRECT, "/uiccOrMe", 1 },
	{ "{" V_UE "," V_LBL "," V_ME "," V_PT "," V_LT "}",
	  BSF_PB_MANDATORY_IE_MISSING, "/nafId", 1 },
	NAF_BAD("\"nafId\":\"n\"", "/nafId"),
	{ "{" V_UE "," V_LBL "," V_ME ",\"nafId\":{}," V_PT "," V_LT "}",
	  BSF_PB_MANDATORY_IE_MISSING, "/nafId/nafFqdn", 2 },
	NAF_BAD(V_NAF_("a.bc", "01000000zz"), "/nafId/uaSecProtId"),
	NAF_BAD(V_NAF_("a.bc", "01000000"), "/nafId/uaSecProtId"),
	NAF_BAD(V_NAF_("a..bc", "0100000000"), "/nafId/nafFqdn"),
	/* TS 29.571 Fqdn: two labels at least, alphabetic TLD of 2..63 */
	NAF_BAD(V_NAF_("localhost", "0100000000"), "/nafId/nafFqdn"),
	NAF_BAD(V_NAF_("naf.example.c0m", "0100000000"), "/nafId/nafFqdn"),
	NAF_BAD(V_NAF_("naf.example.com..", "0100000000"), "/nafId/nafFqdn"),
	/* ptId and requestedLifeTime are required (TS 29.309) */
	{ "{" V_UE "," V_LBL "," V_ME "," V_NAF "," V_LT "}",
	  BSF_PB_MANDATORY_IE_MISSING, "/ptId", 1 },
	{ "{" V_UE "," V_LBL "," V_ME "," V_NAF "," V_PT "}",
	  BSF_PB_MANDATORY_IE_MISSING, "/requestedLifeTime", 1 },
	{ "{" V_UE "," V_LBL "," V_ME "," V_NAF ",\"ptId\":\"\"," V_LT "}",
	  BSF_PB_MANDATORY_IE_INCORRECT, "/ptId", 1 },
	{ "{" V_ALL ",\"auts\":\"00\"}", BSF_PB_OPTIONAL_IE_INCORRECT, "/auts",
	  2 }, /* and rand missing */
	{ "{" V_ALL ",\"auts\":\"000102030405060708090a0b0cgg\","
	  "\"rand\":\"a0a1a2a3a4a5a6a7a8a9aaabacadaeaf\"}",
	  BSF_PB_OPTIONAL_IE_INCORRECT, "/auts", 1 },
	{ "{" V_ALL ",\"auts\":\"000102030405060708090a0b0c0d\"}",
	  BSF_PB_OPTIONAL_IE_INCORRECT, "/rand", 1 },
	{ "{" V_ALL ",\"gsIds\":[-1]}", BSF_PB_OPTIONAL_IE_INCORRECT,
	  "/gsIds/0", 1 },
	{ "{" V_ALL ",\"gsIds\":[1,\"2\",4294967296]}",
	  BSF_PB_OPTIONAL_IE_INCORRECT, "/gsIds/1", 2 },
	{ "{" V_ALL ",\"gsIds\":[]}", BSF_PB_OPTIONAL_IE_INCORRECT, "/gsIds",
	  1 },
	{ "{" V_ALL ",\"gbaUAware\":\"yes\"}", BSF_PB_OPTIONAL_IE_INCORRECT,
	  "/gbaUAware", 1 },
	{ "{" V_UE "," V_LBL "," V_ME "," V_NAF "," V_PT
	  ",\"requestedLifeTime\":\"tomorrow\"}",
	  BSF_PB_MANDATORY_IE_INCORRECT, "/requestedLifeTime", 1 },
};

static void test_nbsp_decode_bad(void)
{
	struct bsf_push_req r;
	struct bsf_nbsp_invalid inv;
	size_t i;

	/* the base request itself is valid */
	CU_ASSERT_EQUAL(bsf_nbsp_decode(S("{" V_ALL "}"), &r, &inv),
			BSF_PB_OK);
	for (i = 0; i < GBA_ARRAY_SIZE(nbsp_bad); i++) {
		enum bsf_problem pb =
			bsf_nbsp_decode(S(nbsp_bad[i].json), &r, &inv);

		if (pb != nbsp_bad[i].pb || inv.n != nbsp_bad[i].n)
			printf("\n  case %zu: got %d/%zu want %d/%zu\n", i, pb,
			       inv.n, nbsp_bad[i].pb, nbsp_bad[i].n);
		CU_ASSERT_EQUAL(pb, nbsp_bad[i].pb);
		CU_ASSERT_EQUAL(inv.n, nbsp_bad[i].n);
		if (nbsp_bad[i].field && inv.n) {
			CU_ASSERT_STRING_EQUAL(inv.item[0].param,
					       nbsp_bad[i].field);
			CU_ASSERT_PTR_NOT_NULL(inv.item[0].reason);
		}
		CU_ASSERT_EQUAL(r.ue_id_len, 0); /* nothing half-decoded */
	}
	/* every truncation of a valid request is refused */
	for (i = 0; i < strlen(NBSP_OK); i++)
		CU_ASSERT_NOT_EQUAL(bsf_nbsp_decode((const uint8_t *)NBSP_OK, i,
						    &r, &inv),
				    BSF_PB_OK);
}

/*
 * Issue 16.5: every invalid member is listed (JSON Pointer + reason), the
 * detail names them, a trailing dot is accepted and the FQDN lower-cased.
 */
static void test_nbsp_invalid_all(void)
{
	static const char body[] =
		"{" V_UE ",\"uiccOrMe\":\"GBA_ME\"," V_LBL
		",\"nafId\":{\"nafFqdn\":\"-bad-\",\"uaSecProtId\":"
		"\"0100000000\"},\"auts\":\"xx\",\"rand\":"
		"\"a0a1a2a3a4a5a6a7a8a9aaabacadaeaf\"}";
	static const char *const want[] = { "/nafId/nafFqdn", "/ptId",
					    "/requestedLifeTime", "/auts" };
	struct bsf_push_req r;
	struct bsf_nbsp_invalid inv;
	char out[4096];
	size_t i, n;
	json_t *j, *ip, *it;
	json_error_t je;

	CU_ASSERT_EQUAL(bsf_nbsp_decode(S(body), &r, &inv),
			BSF_PB_MANDATORY_IE_MISSING);
	CU_ASSERT_EQUAL_FATAL(inv.n, GBA_ARRAY_SIZE(want));
	for (i = 0; i < inv.n; i++)
		CU_ASSERT_STRING_EQUAL(inv.item[i].param, want[i]);
	GBA_ASSERT_ERR(bsf_nbsp_problem_invalid(BSF_PB_MANDATORY_IE_MISSING,
						&inv, out, sizeof(out), &n),
		       GBA_OK);
	j = json_loadb(out, n, 0, &je);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "status")), 400);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "cause")),
			       "MANDATORY_IE_MISSING");
	ip = json_object_get(j, "invalidParams");
	CU_ASSERT_EQUAL_FATAL(json_array_size(ip), GBA_ARRAY_SIZE(want));
	json_array_foreach(ip, i, it) {
		const char *reason =
			json_string_value(json_object_get(it, "reason"));

		CU_ASSERT_STRING_EQUAL(
			json_string_value(json_object_get(it, "param")),
			want[i]);
		CU_ASSERT(reason && strlen(reason) > 8);
		/* the detail names each of them */
		CU_ASSERT_PTR_NOT_NULL(strstr(
			json_string_value(json_object_get(j, "detail")),
			want[i]));
	}
	json_decref(j);

	/* trailing root dot accepted and dropped, FQDN lower-cased */
	CU_ASSERT_EQUAL(bsf_nbsp_decode(S("{" V_UE "," V_LBL "," V_ME "," V_NAF_(
						  "NAF1.Example.COM.",
						  "0100000002") "," V_PT
						  "," V_LT "}"),
					&r, &inv),
			BSF_PB_OK);
	CU_ASSERT_STRING_EQUAL(r.naf_fqdn, "naf1.example.com");
}

/* a late problem (push.c): a JSON Pointer with a reason; requestedLifeTime
 * in the past is told apart from a malformed one */
static void test_nbsp_problem(void)
{
	struct bsf_push_req r;
	struct bsf_nbsp_invalid inv;
	char out[2048], past[256], bad[256];
	size_t n;
	json_t *j, *it;
	json_error_t je;

	GBA_ASSERT_ERR(bsf_nbsp_problem(BSF_PB_MANDATORY_IE_INCORRECT,
					"requestedLifeTime", NULL, out,
					sizeof(out), &n),
		       GBA_OK);
	j = json_loadb(out, n, 0, &je);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	it = json_array_get(json_object_get(j, "invalidParams"), 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(it, "param")),
			       "/requestedLifeTime");
	snprintf(past, sizeof(past), "%s",
		 json_string_value(json_object_get(it, "reason")));
	CU_ASSERT_PTR_NOT_NULL(strstr(past, "past"));
	CU_ASSERT_PTR_NOT_NULL(strstr(
		json_string_value(json_object_get(j, "detail")), "past"));
	json_decref(j);
	CU_ASSERT_EQUAL(bsf_nbsp_decode(S("{" V_UE "," V_LBL "," V_ME "," V_NAF
					  "," V_PT
					  ",\"requestedLifeTime\":\"2020-13-01"
					  "T00:00:00Z\"}"),
					&r, &inv),
			BSF_PB_MANDATORY_IE_INCORRECT);
	CU_ASSERT_EQUAL_FATAL(inv.n, 1);
	snprintf(bad, sizeof(bad), "%s", inv.item[0].reason);
	CU_ASSERT_STRING_NOT_EQUAL(past, bad);
	CU_ASSERT_PTR_NULL(strstr(bad, "past"));
}

static void test_nbsp_encode(void)
{
	struct bsf_push_res res;
	char out[4096];
	size_t n;
	int i;

	memset(&res, 0, sizeof(res));
	res.gpi_len = gba_test_unhex("01abff", res.gpi, sizeof(res.gpi));
	for (i = 0; i < 32; i++) {
		res.me_key[i] = (uint8_t)i;
		res.uicc_key[i] = (uint8_t)(0x80 + i);
	}
	res.has_uicc_key = 1;
	res.key_expiry = 1795514400;
	res.created = 0;
	memcpy(res.p_tid, "p\"1", 4);
	GBA_ASSERT_ERR(bsf_nbsp_encode(&res, out, sizeof(out), &n), GBA_OK);
	CU_ASSERT_EQUAL(strlen(out), n);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"gbaPushInfo\":\"01abff\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(
		out, "\"meKeyMaterial\":\"000102030405060708090a0b0c0d0e0f"
		     "101112131415161718191a1b1c1d1e1f\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"uiccKeyMaterial\":\"808182"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(out, "\"keyExpiryTime\":\"2026-11-24T10:00:00Z\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(
		out, "\"bootstrappingInfoCreationTime\":\"1970-01-01T00:00:00Z\""));
	/* schema members only: no ptId echo (issue 16.5) */
	CU_ASSERT_PTR_NULL(strstr(out, "ptId"));
	CU_ASSERT_PTR_NULL(strstr(out, "impi"));
	CU_ASSERT_PTR_NULL(strstr(out, "ussList"));
	res.has_uicc_key = 0;
	GBA_ASSERT_ERR(bsf_nbsp_encode(&res, out, sizeof(out), &n), GBA_OK);
	CU_ASSERT_PTR_NULL(strstr(out, "uiccKeyMaterial"));
	/* ussList: TS 29.309 array of UssListItem {"uss": Uss} (uss.h 7) */
	{
		static const char xml[] =
			"<ussList><uss id=\"7\" type=\"3\" nafGroup=\"a\\b\" "
			"uiccSecurityLevel=\"1\"><uids><uid>tel:+1</uid>"
			"<uid>sip:a@b</uid></uids><flags><flag>5</flag>"
			"<flag>4294967295</flag></flags></uss>"
			"<uss id=\"4294967295\"/></ussList>";
		json_t *j, *l, *u, *v;
		json_error_t je;

		memcpy(res.uss_list, xml, sizeof(xml));
		res.uss_list_len = strlen(xml);
		snprintf(res.ue_id, sizeof(res.ue_id), "sip:me@ims");
		GBA_ASSERT_ERR(bsf_nbsp_encode(&res, out, sizeof(out), &n),
			       GBA_OK);
		j = json_loadb(out, n, 0, &je);
		CU_ASSERT_PTR_NOT_NULL_FATAL(j);
		l = json_object_get(j, "ussList");
		CU_ASSERT_FATAL(json_is_array(l) && json_array_size(l) == 2);
		CU_ASSERT_EQUAL(json_object_size(json_array_get(l, 0)), 1);
		u = json_object_get(json_array_get(l, 0), "uss");
		CU_ASSERT_FATAL(json_is_object(u));
		CU_ASSERT(json_is_integer(json_object_get(u, "gsId")));
		CU_ASSERT_EQUAL(json_integer_value(json_object_get(u, "gsId")),
				7);
		CU_ASSERT_EQUAL(
			json_integer_value(json_object_get(u, "gsType")), 3);
		CU_ASSERT_STRING_EQUAL(
			json_string_value(json_object_get(u, "nafGroup")),
			"a\\b");
		CU_ASSERT_STRING_EQUAL(
			json_string_value(json_object_get(u, "keyChoice")),
			"UICC_BASED_KEY");
		v = json_object_get(u, "ueIds");
		CU_ASSERT_FATAL(json_array_size(v) == 2);
		CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
					       json_array_get(v, 1), "ueId")),
				       "sip:a@b");
		v = json_object_get(u, "flags");
		CU_ASSERT_FATAL(json_array_size(v) == 2);
		CU_ASSERT_EQUAL(json_integer_value(json_object_get(
					json_array_get(v, 1), "flag")),
				4294967295LL);
		/* second: no type -> 0, no uids -> the request's ueId, no
		 * nafGroup / flags / keyChoice */
		u = json_object_get(json_array_get(l, 1), "uss");
		CU_ASSERT_EQUAL(json_integer_value(json_object_get(u, "gsId")),
				4294967295LL);
		CU_ASSERT_EQUAL(
			json_integer_value(json_object_get(u, "gsType")), 0);
		v = json_object_get(u, "ueIds");
		CU_ASSERT_FATAL(json_array_size(v) == 1);
		CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
					       json_array_get(v, 0), "ueId")),
				       "sip:me@ims");
		CU_ASSERT_EQUAL(json_object_size(u), 3);
		json_decref(j);
		/* nothing selected: no ussList member (minItems 1) */
		snprintf(res.uss_list, sizeof(res.uss_list), "<ussList/>");
		res.uss_list_len = strlen(res.uss_list);
		GBA_ASSERT_ERR(bsf_nbsp_encode(&res, out, sizeof(out), &n),
			       GBA_OK);
		CU_ASSERT_PTR_NULL(strstr(out, "ussList"));
		/* a GSID that is not a Uint32 cannot be sent */
		snprintf(res.uss_list, sizeof(res.uss_list),
			 "<ussList><uss id=\"007\"/></ussList>");
		res.uss_list_len = strlen(res.uss_list);
		GBA_ASSERT_ERR(bsf_nbsp_encode(&res, out, sizeof(out), &n),
			       GBA_ERR_MALFORMED);
		res.uss_list_len = 0;
	}
	GBA_ASSERT_ERR(bsf_nbsp_encode(&res, out, 40, &n), GBA_ERR_NO_SPACE);
	GBA_ASSERT_ERR(bsf_nbsp_problem(BSF_PB_USER_NOT_FOUND, NULL, NULL, out,
					sizeof(out), &n),
		       GBA_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"status\":404"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"cause\":\"USER_NOT_FOUND\""));
	GBA_ASSERT_ERR(bsf_nbsp_problem(BSF_PB_OPTIONAL_IE_INCORRECT, "auts",
					NULL, out, sizeof(out), &n),
		       GBA_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(
		out, "\"invalidParams\":[{\"param\":\"/auts\",\"reason\":"));
}

#define SOAP_HEAD                                                          \
	"<?xml version=\"1.0\"?>"                                          \
	"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">" \
	"<s:Body><requestGbaPushInfoRequest xmlns=\"urn:gbapush:zpn:1\">"
#define SOAP_TAIL "</requestGbaPushInfoRequest></s:Body></s:Envelope>"
#define SOAP_NAF                                                           \
	"<nafid><nafFqdn>naf.example.com</nafFqdn>"                        \
	"<uaSecProtId>0100000002</uaSecProtId></nafid>"

static void test_zpn_decode(void)
{
	struct bsf_push_req r;
	const char *f;

	CU_ASSERT_EQUAL(bsf_zpn_decode(S(SOAP_HEAD
					 "<userId> 001010000000001@ims.example"
					 " </userId>"
					 "<userIdType>PRIVATE</userIdType>"
					 SOAP_NAF "<ptid>abc</ptid><gsid>5</gsid>"
					 "<gsid>4294967295</gsid>"
					 "<gbaUAware>true</gbaUAware>"
					 "<uiccMe>GBA_ME</uiccMe>"
					 "<requestedKeyLifetime>"
					 "2026-11-24T10:00:00Z"
					 "</requestedKeyLifetime>"
					 "<unknownExtension>x</unknownExtension>"
					 SOAP_TAIL),
				       &r, &f),
			BSF_PB_OK);
	CU_ASSERT_STRING_EQUAL(r.ue_id, "001010000000001@ims.example");
	CU_ASSERT_EQUAL(r.ue_id_type, BSF_UEID_PRIVATE);
	CU_ASSERT_STRING_EQUAL(r.naf_fqdn, "naf.example.com");
	CU_ASSERT_EQUAL(r.ua_id[4], 2);
	CU_ASSERT_STRING_EQUAL(r.p_tid, "abc");
	CU_ASSERT_EQUAL(r.n_gs_ids, 2);
	CU_ASSERT_EQUAL(r.gs_ids[1], 4294967295u);
	CU_ASSERT_STRING_EQUAL(r.gs_id_text[0], "5");
	CU_ASSERT_STRING_EQUAL(r.gs_id_text[1], "4294967295");
	CU_ASSERT_TRUE(r.gba_u_aware);
	CU_ASSERT_EQUAL(r.requested_expiry, 1795514400);
	/* the gsid text as given (USS selection compares it, uss.h) */
	CU_ASSERT_EQUAL(bsf_zpn_decode(S(SOAP_HEAD "<userId>a</userId>"
					 "<userIdType>PUBLIC</userIdType>"
					 SOAP_NAF "<gsid> 007 </gsid>"
					 SOAP_TAIL),
				       &r, &f),
			BSF_PB_OK);
	CU_ASSERT_EQUAL(r.n_gs_ids, 1);
	CU_ASSERT_EQUAL(r.gs_ids[0], 7);
	CU_ASSERT_STRING_EQUAL(r.gs_id_text[0], "007");
	CU_ASSERT_EQUAL(bsf_zpn_decode(S(SOAP_HEAD "<userId>a</userId>"
					 "<userIdType>PUBLIC</userIdType>"
					 SOAP_NAF "<gsid>00000000001</gsid>"
					 SOAP_TAIL),
				       &r, &f),
			BSF_PB_OPTIONAL_IE_INCORRECT);
	CU_ASSERT_STRING_EQUAL(f, "gsid");
	CU_ASSERT_EQUAL(bsf_zpn_decode(S(SOAP_HEAD "<userId>a</userId>"
					 "<userIdType>PUBLIC</userIdType>"
					 SOAP_NAF "<gsid>4294967296</gsid>"
					 SOAP_TAIL),
				       &r, &f),
			BSF_PB_OPTIONAL_IE_INCORRECT);

	/* external entity (XXE): refused, never resolved */
	CU_ASSERT_EQUAL(bsf_zpn_decode(S("<?xml version=\"1.0\"?>"
					 "<!DOCTYPE x [<!ENTITY e SYSTEM "
					 "\"file:///etc/passwd\">]>"
					 "<s:Envelope xmlns:s=\"http://schemas."
					 "xmlsoap.org/soap/envelope/\"><s:Body>"
					 "<requestGbaPushInfoRequest><userId>&e;"
					 "</userId>" SOAP_TAIL),
				       &r, &f),
			BSF_PB_INVALID_MSG_FORMAT);
	CU_ASSERT_STRING_EQUAL(f, "DOCTYPE");
	CU_ASSERT_EQUAL(r.ue_id_len, 0);
	/* internal entity (billion-laughs family): refused */
	CU_ASSERT_EQUAL(bsf_zpn_decode(S("<!DOCTYPE x [<!ENTITY a \"aaaa\">]>"
					 "<x>&a;</x>"),
				       &r, &f),
			BSF_PB_INVALID_MSG_FORMAT);
	/* external DTD subset: refused */
	CU_ASSERT_EQUAL(bsf_zpn_decode(S("<!DOCTYPE x SYSTEM "
					 "\"http://127.0.0.1:1/x.dtd\"><x/>"),
				       &r, &f),
			BSF_PB_INVALID_MSG_FORMAT);
	/* not SOAP 1.1 */
	CU_ASSERT_EQUAL(bsf_zpn_decode(S("<Envelope><Body>"
					 "<requestGbaPushInfoRequest/>"
					 "</Body></Envelope>"),
				       &r, &f),
			BSF_PB_INVALID_MSG_FORMAT);
	CU_ASSERT_EQUAL(bsf_zpn_decode(S("not xml"), &r, &f),
			BSF_PB_INVALID_MSG_FORMAT);
	CU_ASSERT_EQUAL(bsf_zpn_decode(S(SOAP_HEAD "<userIdType>PUBLIC"
					 "</userIdType>" SOAP_NAF SOAP_TAIL),
				       &r, &f),
			BSF_PB_MANDATORY_IE_MISSING);
	CU_ASSERT_STRING_EQUAL(f, "userId");
	CU_ASSERT_EQUAL(bsf_zpn_decode(S(SOAP_HEAD "<userId>a</userId>"
					 "<userId>b</userId>" SOAP_TAIL),
				       &r, &f),
			BSF_PB_INVALID_MSG_FORMAT);
	CU_ASSERT_EQUAL(bsf_zpn_decode(S(SOAP_HEAD "<userId>a</userId>"
					 "<userIdType>PUBLIC</userIdType>"
					 "<nafid><nafFqdn>naf.example.com"
					 "</nafFqdn><uaSecProtId>01000000"
					 "</uaSecProtId></nafid>" SOAP_TAIL),
				       &r, &f),
			BSF_PB_MANDATORY_IE_INCORRECT);
	CU_ASSERT_STRING_EQUAL(f, "nafid/uaSecProtId");
	CU_ASSERT_EQUAL(bsf_zpn_decode(S(SOAP_HEAD "<userId>a</userId>"
					 "<userIdType>PUBLIC</userIdType>"
					 SOAP_NAF "<auts>zz</auts>" SOAP_TAIL),
				       &r, &f),
			BSF_PB_OPTIONAL_IE_INCORRECT);
	CU_ASSERT_STRING_EQUAL(f, "auts");
	CU_ASSERT_EQUAL(bsf_zpn_decode(S(SOAP_HEAD "<userId><b>x</b></userId>"
					 SOAP_TAIL),
				       &r, &f),
			BSF_PB_MANDATORY_IE_INCORRECT);
	/* depth limit */
	{
		char doc[4096];
		size_t n = 0;
		int i;

		n += (size_t)snprintf(doc + n, sizeof(doc) - n, "%s",
				      SOAP_HEAD);
		for (i = 0; i < 40; i++)
			n += (size_t)snprintf(doc + n, sizeof(doc) - n, "<d>");
		for (i = 0; i < 40; i++)
			n += (size_t)snprintf(doc + n, sizeof(doc) - n, "</d>");
		n += (size_t)snprintf(doc + n, sizeof(doc) - n, "%s",
				      SOAP_TAIL);
		CU_ASSERT_EQUAL(bsf_zpn_decode((const uint8_t *)doc, n, &r, &f),
				BSF_PB_INVALID_MSG_FORMAT);
	}
}

/* SOAP 1.1 4.2.3 / 4.4.1: header blocks with mustUnderstand */
#define SOAP_MU(attrs)                                                     \
	"<?xml version=\"1.0\"?>"                                          \
	"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">" \
	"<s:Header><t:T xmlns:t=\"urn:x\" " attrs ">1</t:T></s:Header>"      \
	"<s:Body><requestGbaPushInfoRequest xmlns=\"urn:gbapush:zpn:1\">"   \
	"<userId>a</userId><userIdType>PUBLIC</userIdType>" SOAP_NAF       \
	SOAP_TAIL

static void test_zpn_must_understand(void)
{
	struct bsf_push_req r;
	const char *f = NULL;
	char out[2048];
	size_t n;

	CU_ASSERT_EQUAL(bsf_zpn_decode(S(SOAP_MU("s:mustUnderstand=\"1\"")),
				       &r, &f),
			BSF_PB_MUST_UNDERSTAND);
	CU_ASSERT_STRING_EQUAL(f, "Header");
	/* the "next" actor is this node too */
	CU_ASSERT_EQUAL(bsf_zpn_decode(S(SOAP_MU(
					 "s:mustUnderstand=\"1\" "
					 "s:actor=\"http://schemas.xmlsoap.org/"
					 "soap/actor/next\"")),
				       &r, &f),
			BSF_PB_MUST_UNDERSTAND);
	CU_ASSERT_EQUAL(bsf_zpn_decode(S(SOAP_MU(
					 "s:mustUnderstand=\"1\" "
					 "s:actor=\"urn:someone-else\"")),
				       &r, &f),
			BSF_PB_OK);
	CU_ASSERT_EQUAL(bsf_zpn_decode(S(SOAP_MU("s:mustUnderstand=\"0\"")),
				       &r, &f),
			BSF_PB_OK);
	/* an attribute outside the SOAP namespace is not the SOAP one */
	CU_ASSERT_EQUAL(bsf_zpn_decode(S(SOAP_MU("mustUnderstand=\"1\"")),
				       &r, &f),
			BSF_PB_OK);
	CU_ASSERT_EQUAL(bsf_zpn_decode(S(SOAP_MU("s:mustUnderstand=\"yes\"")),
				       &r, &f),
			BSF_PB_INVALID_MSG_FORMAT);
	GBA_ASSERT_ERR(bsf_zpn_fault(BSF_PB_MUST_UNDERSTAND, "Header", out,
				     sizeof(out), &n),
		       GBA_OK);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(out, "<faultcode>soap:MustUnderstand</faultcode>"));
}

static void test_zpn_encode(void)
{
	struct bsf_push_res res;
	char out[4096];
	size_t n;

	memset(&res, 0, sizeof(res));
	res.gpi_len = gba_test_unhex("dead", res.gpi, sizeof(res.gpi));
	res.me_key[31] = 0x5a;
	memcpy(res.p_tid, "a<b", 4);
	GBA_ASSERT_ERR(bsf_zpn_encode(&res, out, sizeof(out), &n), GBA_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<gbaPushInfo>dead</gbaPushInfo>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "5a</meKeyMaterial>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<ptid>a&lt;b</ptid>"));
	CU_ASSERT_PTR_NULL(strstr(out, "ussList"));
	/* ussList: the element itself, before gbaType (project choice) */
	{
		static const char xml[] = "<ussList><uss id=\"7\"><uids><uid>"
					  "a&amp;b</uid></uids></uss>"
					  "<uss id=\"9\"/></ussList>";
		xmlDocPtr d;
		xmlNodePtr c, l = NULL;
		int nu = 0;

		memcpy(res.uss_list, xml, sizeof(xml));
		res.uss_list_len = strlen(xml);
		GBA_ASSERT_ERR(bsf_zpn_encode(&res, out, sizeof(out), &n),
			       GBA_OK);
		CU_ASSERT_EQUAL(strlen(out), n);
		CU_ASSERT_PTR_NOT_NULL(strstr(
			out, ":00Z</bootstrappingInfoCreationTime><ussList><uss "
			     "id=\"7\"><uids><uid>a&amp;b</uid></uids></uss>"
			     "<uss id=\"9\"/></ussList><gbaType>3G_GBA"));
		d = xmlReadMemory(out, (int)n, NULL, NULL, XML_PARSE_NONET);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		/* Envelope / Body / requestGbaPushInfoResponse / ussList */
		c = xmlDocGetRootElement(d)->children->children->children;
		for (; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE &&
			    !strcmp((const char *)c->name, "ussList"))
				l = c;
		CU_ASSERT_PTR_NOT_NULL_FATAL(l);
		CU_ASSERT_STRING_EQUAL(l->ns->href, "urn:gbapush:zpn:1");
		for (c = l->children; c; c = c->next)
			nu += c->type == XML_ELEMENT_NODE;
		CU_ASSERT_EQUAL(nu, 2);
		xmlFreeDoc(d);
		GBA_ASSERT_ERR(bsf_zpn_encode(&res, out, 300, &n),
			       GBA_ERR_NO_SPACE);
		res.uss_list_len = 0;
	}
	GBA_ASSERT_ERR(bsf_zpn_fault(BSF_PB_USER_NOT_FOUND, NULL, out,
				     sizeof(out), &n),
		       GBA_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<faultcode>soap:Client</faultcode>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<cause>USER_NOT_FOUND</cause>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<status>404</status>"));
}

/*
 * BSF_RESP_MAX holds the largest response: a GPI of GBA_GPI_MAX octets,
 * both keys, the longest IMPI and P-TID, and a ussList of up to
 * BSF_USS_LIST_MAX octets whose text is all '"' (JSON doubles each) and
 * whose other USSs each carry the longest ueId (nbsp.c ueIds fallback).
 */
static void test_resp_max(void)
{
	static struct bsf_push_res res;
	static char out[BSF_RESP_MAX];
	size_t n, i;

	memset(&res, 0xa5, sizeof(res));
	res.gpi_len = GBA_GPI_MAX;
	res.has_uicc_key = 1;
	res.key_expiry = 1795514400;
	res.created = 1795514400;
	memset(res.impi, 'i', sizeof(res.impi) - 1);
	res.impi[sizeof(res.impi) - 1] = '\0';
	res.has_impi = 1;
	memset(res.p_tid, '&', BSF_PTID_MAX);
	res.p_tid[BSF_PTID_MAX] = '\0';
	/* one USS whose uid is all '"', then 31 without <uids>, each of
	 * which carries the longest ueId (all '"') as Uss.ueIds */
	memset(res.ue_id, '"', BSF_UE_ID_MAX);
	res.ue_id[BSF_UE_ID_MAX] = '\0';
	i = (size_t)snprintf(res.uss_list, sizeof(res.uss_list),
			     "<ussList><uss id=\"1\"><uids><uid>");
	for (; i < BSF_USS_LIST_MAX - 30 * 31 - 40; i++)
		res.uss_list[i] = '"';
	i += (size_t)snprintf(res.uss_list + i, sizeof(res.uss_list) - i,
			      "</uid></uids></uss>");
	for (n = 2; n <= 32; n++)
		i += (size_t)snprintf(res.uss_list + i,
				      sizeof(res.uss_list) - i,
				      "<uss id=\"%zu\"/>", n);
	i += (size_t)snprintf(res.uss_list + i, sizeof(res.uss_list) - i,
			      "</ussList>");
	CU_ASSERT(i <= BSF_USS_LIST_MAX);
	res.uss_list_len = i;
	CU_ASSERT_EQUAL(strlen(res.uss_list), res.uss_list_len);
	GBA_ASSERT_ERR(bsf_nbsp_encode(&res, out, sizeof(out), &n), GBA_OK);
	CU_ASSERT(n > 2 * (BSF_USS_LIST_MAX - 1000) + 31 * 2 * BSF_UE_ID_MAX);
	GBA_ASSERT_ERR(bsf_zpn_encode(&res, out, sizeof(out), &n), GBA_OK);
	CU_ASSERT(n > BSF_USS_LIST_MAX - 1000);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	CU_ASSERT_FATAL(fp != NULL);
	fputs(text, fp);
	fclose(fp);
}

static void test_config(void)
{
	struct bsf_config c;
	char err[512], ini[4096];
	const char *dir = "/tmp";
	char pem[256], cfgp[256];

	bsf_config_defaults(&c);
	CU_ASSERT_EQUAL(c.port, 8443);
	CU_ASSERT_STRING_EQUAL(c.admin_listen, "127.0.0.1");
	CU_ASSERT_TRUE(c.require_client_cert);
	CU_ASSERT_TRUE(c.tls12 && c.tls13);
	CU_ASSERT_EQUAL(c.max_body, 16384);
	CU_ASSERT_FALSE(c.log_keys);
	/* GBA Push's own IND slot; per-UE AV rate on (docs/hss-store.md) */
	CU_ASSERT_EQUAL(c.ind, 4);
	CU_ASSERT_EQUAL(c.ue_rate, 60);
	CU_ASSERT_EQUAL(c.ue_burst, 16);
	CU_ASSERT_STRING_EQUAL(c.diam_conf, ""); /* no Diameter by default */
	CU_ASSERT_STRING_EQUAL(c.hss_mode, "embedded"); /* own AuC */
	CU_ASSERT_EQUAL(c.hss_timeout_ms, 2000);

	snprintf(pem, sizeof(pem), "%s/bsf_cfg_test_%d.pem", dir, (int)getpid());
	snprintf(cfgp, sizeof(cfgp), "%s/bsf_cfg_test_%d.ini", dir,
		 (int)getpid());
	write_file(pem, "x");
	snprintf(ini, sizeof(ini),
		 "[server]\nport = 9443\n[tls]\ncert = %s\nkey = %s\nca = %s\n"
		 "versions = 1.3\n[store]\npath = /tmp/x.db\nind = 3\n"
		 "ue_rate = 0\nue_burst = 5\n"
		 "[limits]\nmax_body = 4096\n",
		 pem, pem, pem);
	write_file(cfgp, ini);
	GBA_ASSERT_ERR(bsf_config_load(&c, cfgp, err, sizeof(err)), GBA_OK);
	CU_ASSERT_EQUAL(c.port, 9443);
	CU_ASSERT_EQUAL(c.ind, 3);
	CU_ASSERT_EQUAL(c.ue_rate, 0);
	CU_ASSERT_EQUAL(c.ue_burst, 5);
	CU_ASSERT_EQUAL(c.max_body, 4096);
	CU_ASSERT_FALSE(c.tls12);
	CU_ASSERT_TRUE(c.tls13);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.tls_priority, "+VERS-TLS1.3"));
	CU_ASSERT_PTR_NULL(strstr(c.tls_priority, "+VERS-TLS1.2"));

	/* zh mode: a Diameter configuration file and the HSS realm */
	snprintf(ini, sizeof(ini),
		 "[tls]\ncert = %s\nkey = %s\nca = %s\n[diameter]\nconf = %s\n"
		 "[hss]\nmode = zh\nrealm = hss.example\ntimeout_ms = 500\n",
		 pem, pem, pem, pem);
	write_file(cfgp, ini);
	GBA_ASSERT_ERR(bsf_config_load(&c, cfgp, err, sizeof(err)), GBA_OK);
	CU_ASSERT_STRING_EQUAL(c.hss_mode, "zh");
	CU_ASSERT_STRING_EQUAL(c.hss_realm, "hss.example");
	CU_ASSERT_EQUAL(c.hss_timeout_ms, 500);
	/* a MAR timeout at or above the body timeout (10 s): the request
	 * would be cut before its 503 */
	snprintf(ini, sizeof(ini),
		 "[tls]\ncert = %s\nkey = %s\nca = %s\n[diameter]\nconf = %s\n"
		 "[hss]\nmode = zh\nrealm = hss.example\ntimeout_ms = 10000\n",
		 pem, pem, pem, pem);
	write_file(cfgp, ini);
	GBA_ASSERT_ERR(bsf_config_load(&c, cfgp, err, sizeof(err)),
		       GBA_ERR_CONFIG);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "body_timeout"));
	snprintf(ini, sizeof(ini),
		 "[tls]\ncert = %s\nkey = %s\nca = %s\n[diameter]\nconf = %s\n"
		 "[hss]\nmode = zh\nrealm = hss.example\ntimeout_ms = 10000\n"
		 "[limits]\nbody_timeout = 11\n",
		 pem, pem, pem, pem);
	write_file(cfgp, ini);
	GBA_ASSERT_ERR(bsf_config_load(&c, cfgp, err, sizeof(err)), GBA_OK);

	/* refusals: unknown key, out of range, TLS 1.1, bad bool, log_keys */
	{
		static const char *const bad[] = {
			"[server]\nbogus = 1\n",
			"[server]\nport = 70000\n",
			"[server]\nport = -1\n",
			"[store]\nind = 32\n",
			"[store]\nue_burst = 0\n",
			"[store]\nue_rate = 60000001\n",
			"[tls]\nversions = 1.1,1.2\n",
			"[tls]\nrequire_client_cert = maybe\n",
			/* mutual TLS is mandatory; a CRL file must exist */
			"[tls]\nrequire_client_cert = false\n",
			"[tls]\ncrl = /nonexistent/crl.pem\n",
			/* a Diameter configuration file must exist */
			"[diameter]\nconf = /nonexistent/fd.conf\n",
			/* [hss] mode: embedded or zh; zh needs a Diameter
			 * configuration and the HSS realm */
			"[hss]\nmode = remote\n",
			"[hss]\nmode = zh\n",
			"[hss]\nmode = zh\nrealm = hss.example\n",
			"[hss]\ntimeout_ms = 50\n",
			"[log]\nlog_keys = true\n",
			"[log]\nue_hash_key = 00\n",
			"[keys]\nlifetime_default = 90000\n",
			"[tls]\npriority = NONSENSE:+FOO\n",
			"no section line\n",
		};
		size_t i;

		for (i = 0; i < GBA_ARRAY_SIZE(bad); i++) {
			snprintf(ini, sizeof(ini),
				 "[tls]\ncert = %s\nkey = %s\nca = %s\n%s", pem,
				 pem, pem, bad[i]);
			write_file(cfgp, ini);
			err[0] = '\0';
			if (bsf_config_load(&c, cfgp, err, sizeof(err)) !=
			    GBA_ERR_CONFIG)
				printf("\n  config case %zu accepted\n", i);
			CU_ASSERT_TRUE(err[0] != '\0');
		}
	}
	/* missing certificate file */
	snprintf(ini, sizeof(ini), "[tls]\ncert = /nonexistent\nkey = %s\n",
		 pem);
	write_file(cfgp, ini);
	GBA_ASSERT_ERR(bsf_config_load(&c, cfgp, err, sizeof(err)),
		       GBA_ERR_CONFIG);
	GBA_ASSERT_ERR(bsf_config_load(&c, "/nonexistent.ini", err,
				       sizeof(err)),
		       GBA_ERR_IO);
	unlink(pem);
	unlink(cfgp);
}

static void test_ratelimit(void)
{
	struct bsf_ratelimit *rl = bsf_rl_new();
	unsigned ra;
	int i, ok = 0;

	CU_ASSERT_FATAL(rl != NULL);
	for (i = 0; i < 10; i++)
		ok += bsf_rl_take(rl, 1, 2, 5, 100.0, &ra);
	CU_ASSERT_EQUAL(ok, 5); /* burst */
	CU_ASSERT_FALSE(bsf_rl_take(rl, 1, 2, 5, 100.0, &ra));
	CU_ASSERT_EQUAL(ra, 1);
	CU_ASSERT_TRUE(bsf_rl_take(rl, 1, 2, 5, 100.5, &ra)); /* +1 token */
	CU_ASSERT_FALSE(bsf_rl_take(rl, 1, 2, 5, 100.5, &ra));
	CU_ASSERT_TRUE(bsf_rl_take(rl, 2, 2, 5, 100.5, &ra)); /* other NAF */
	CU_ASSERT_TRUE(bsf_rl_take(rl, 1, 0, 0, 100.5, &ra)); /* unlimited */
	/* slow rate: Retry-After rounds up to whole seconds */
	for (i = 0; i < 3; i++)
		(void)bsf_rl_take(rl, 3, 1, 1, 200.0, &ra);
	CU_ASSERT_FALSE(bsf_rl_take(rl, 3, 1, 1, 200.0, &ra));
	CU_ASSERT_EQUAL(ra, 1);
	bsf_rl_free(rl);
}

static void test_ptid(void)
{
	char a[BSF_PTID_RANDOM_LEN + 1], b[BSF_PTID_RANDOM_LEN + 1];
	size_t i;

	GBA_ASSERT_ERR(bsf_ptid_random(a), GBA_OK);
	GBA_ASSERT_ERR(bsf_ptid_random(b), GBA_OK);
	CU_ASSERT_EQUAL(strlen(a), 22);
	CU_ASSERT_STRING_NOT_EQUAL(a, b);
	for (i = 0; i < 22; i++)
		CU_ASSERT_PTR_NOT_NULL(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
					      "klmnopqrstuvwxyz0123456789-_",
					      a[i]));
	/* the last character carries 2 bits: one of A, Q, g, w */
	CU_ASSERT_PTR_NOT_NULL(strchr("AQgw", a[21]));
}

int main(void)
{
	CU_TestInfo tests[] = {
		{ "RFC 3339 time", test_time },
		{ "one FQDN rule for Nbsp and Zpn", test_fqdn_both_bindings },
		{ "binding table", test_bindings },
		{ "one request check (lengths, characters)", test_req_text },
		{ "Nbsp decode", test_nbsp_decode_ok },
		{ "Nbsp refusals", test_nbsp_decode_bad },
		{ "Nbsp: every invalid member listed", test_nbsp_invalid_all },
		{ "Nbsp: late problems, lifetime in the past",
		  test_nbsp_problem },
		{ "Nbsp encode", test_nbsp_encode },
		{ "Zpn decode + XXE", test_zpn_decode },
		{ "Zpn mustUnderstand", test_zpn_must_understand },
		{ "Zpn encode + fault", test_zpn_encode },
		{ "largest response fits BSF_RESP_MAX", test_resp_max },
		{ "config", test_config },
		{ "rate limiter", test_ratelimit },
		{ "random P-TID", test_ptid },
		CU_TEST_INFO_NULL,
	};

	bsf_json_alloc_init();
	bsf_zpn_init();
	return gba_test_run("bsf_codec", tests);
}
