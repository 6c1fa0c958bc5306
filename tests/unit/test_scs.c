/*
 * SCS client library: PushInfoRequest encoding, PushInfoResponse decoding,
 * ProblemDetails mapping, RFC 3339 times (TS 29.309 / TS 29.571).
 * Expected values are literals written from the OpenAPI schema
 * (TS29309_Nbsp_GBA.yaml) or computed independently with Python
 * (datetime.fromisoformat(...).timestamp()), as noted per test.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gba/crypto.h"
#include "gba/gpi.h"
#include "gba/hex.h"
#include "gba/gpi_push.h"
#include "gba/sms.h"
#include "gba/wsp.h"
#include "gpl/gpl.h"
#include "gba_test.h"
#include "scs/scs.h"

static void fill_req(struct scs_gpi_req *q)
{
	static const uint8_t gpl[GBA_UA_ID_LEN] = SCS_UA_ID_GPL;

	memset(q, 0, sizeof(*q));
	q->ue_id = "001010123456789@ims.mnc001.mcc001.3gppnetwork.org";
	q->ue_id_type = SCS_UE_ID_PRIVATE;
	q->uicc_app_label = "";
	q->naf_fqdn = "scs.example.org";
	memcpy(q->ua_id, gpl, sizeof(gpl));
	q->p_tid = "pt-1";
	/* 2027-01-15T08:00:00Z: python3 datetime(2027,1,15,8,tz=utc) */
	q->requested_expiry = 1800000000;
}

static void test_req_json(void)
{
	struct scs_gpi_req q;
	char out[SCS_JSON_MAX];
	size_t n;
	static const char exp[] =
		"{\"ueId\":\"001010123456789@ims.mnc001.mcc001."
		"3gppnetwork.org\",\"ueIdType\":\"PRIVATE\",\"uiccAppLabel\":"
		"\"\",\"uiccOrMe\":\"GBA_ME\",\"nafId\":{\"nafFqdn\":"
		"\"scs.example.org\",\"uaSecProtId\":\"0100000005\"},"
		"\"ptId\":\"pt-1\",\"requestedLifeTime\":"
		"\"2027-01-15T08:00:00Z\"}";

	fill_req(&q);
	GBA_ASSERT_ERR(scs_req_json(&q, out, sizeof(out), &n), GBA_OK);
	CU_ASSERT_STRING_EQUAL(out, exp);
	CU_ASSERT_EQUAL(n, strlen(exp));
	/* the NAF FQDN is sent lower-cased, without a trailing root dot:
	 * the BSF derives the key from those octets (docs/bsf.md) */
	q.naf_fqdn = "SCS.Example.ORG.";
	GBA_ASSERT_ERR(scs_req_json(&q, out, sizeof(out), &n), GBA_OK);
	CU_ASSERT_STRING_EQUAL(out, exp);
}

static void test_req_json_resync_gbau(void)
{
	struct scs_gpi_req q;
	char out[SCS_JSON_MAX];
	size_t n;
	static const char exp[] =
		"{\"ueId\":\"tel:+447700900123\",\"ueIdType\":\"PUBLIC\","
		"\"uiccAppLabel\":\"USIM1\",\"uiccOrMe\":\"GBA_U\",\"nafId\":"
		"{\"nafFqdn\":\"scs.example.org\",\"uaSecProtId\":"
		"\"0100000005\"},\"ptId\":\"pt-1\",\"requestedLifeTime\":"
		"\"2027-01-15T08:00:00Z\",\"privateIdRequest\":true,"
		"\"gbaUAware\":true,\"auts\":\"000102030405060708090a0b0c0d\","
		"\"rand\":\"f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff\"}";
	size_t i;

	fill_req(&q);
	q.ue_id = "tel:+447700900123";
	q.ue_id_type = SCS_UE_ID_PUBLIC;
	q.uicc_app_label = "USIM1";
	q.gba_u = 1;
	q.private_id_request = 1;
	q.gba_u_aware = 1;
	q.resync = 1;
	for (i = 0; i < SCS_AUTS_LEN; i++)
		q.auts[i] = (uint8_t)i;
	for (i = 0; i < GBA_RAND_LEN; i++)
		q.rand[i] = (uint8_t)(0xf0 + i);
	GBA_ASSERT_ERR(scs_req_json(&q, out, sizeof(out), &n), GBA_OK);
	CU_ASSERT_STRING_EQUAL(out, exp);
	/* too small a buffer: NO_SPACE and an empty string */
	GBA_ASSERT_ERR(scs_req_json(&q, out, 40, &n), GBA_ERR_NO_SPACE);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(out[0], '\0');
}

static void test_req_check(void)
{
	struct scs_gpi_req q;
	char big[GBA_PTID_MAX + 2];
	char out[SCS_JSON_MAX];
	size_t n;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	fill_req(&q);
	q.p_tid = "";
	GBA_ASSERT_ERR(scs_req_check(&q), GBA_ERR_BAD_PARAM);
	q.p_tid = big;
	GBA_ASSERT_ERR(scs_req_check(&q), GBA_ERR_TOO_LARGE);
	GBA_ASSERT_ERR(scs_req_json(&q, out, sizeof(out), &n),
		       GBA_ERR_TOO_LARGE);
	fill_req(&q);
	q.ue_id = "";
	GBA_ASSERT_ERR(scs_req_check(&q), GBA_ERR_BAD_PARAM);
	fill_req(&q);
	q.naf_fqdn = "sc\xc3\xa9.example";
	GBA_ASSERT_ERR(scs_req_check(&q), GBA_ERR_UNSUPPORTED);
	fill_req(&q);
	q.requested_expiry = 0;
	GBA_ASSERT_ERR(scs_req_check(&q), GBA_ERR_BAD_PARAM);
	fill_req(&q);
	q.ue_id_type = (enum scs_ue_id_type)7;
	GBA_ASSERT_ERR(scs_req_check(&q), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(scs_req_check(NULL), GBA_ERR_BAD_PARAM);
}

#define KEY_ME                                                                 \
	"000102030405060708090a0b0c0d0e0f"                                     \
	"101112131415161718191a1b1c1d1e1f"
#define KEY_U                                                                  \
	"ffeeddccbbaa99887766554433221100"                                     \
	"ffeeddccbbaa99887766554433221100"

static void test_resp_parse(void)
{
	static const char body[] =
		"{\"gbaPushInfo\":\"01A0ff\",\"meKeyMaterial\":\"" KEY_ME
		"\",\"uiccKeyMaterial\":\"" KEY_U "\",\"keyExpiryTime\":"
		"\"2000-02-29T12:00:00.123+02:00\","
		"\"bootstrappingInfoCreationTime\":\"2026-11-24T00:05:30Z\","
		"\"gbaType\":\"3G_GBA\",\"impi\":\"a@b\",\"future\":[1],"
		"\"ussList\":[{\"uss\":{\"gsId\":4294967295,\"gsType\":1,"
		"\"ueIds\":[{\"ueId\":\"sip:a@b\"},{\"ueId\":\"tel:+1\"}],"
		"\"nafGroup\":\"g\",\"flags\":[{\"flag\":7},{\"flag\":0}],"
		"\"keyChoice\":\"UICC_BASED_KEY\"}},"
		"{\"uss\":{\"gsId\":0,\"gsType\":0,\"ueIds\":[{\"ueId\":"
		"\"x\"}],\"keyChoice\":\"SOMETHING_NEW\",\"more\":1}}]}";
	struct scs_gpi_resp r;
	struct scs_error e;
	uint8_t k[32];

	GBA_ASSERT_ERR(scs_resp_parse(body, strlen(body), &r, &e), GBA_OK);
	CU_ASSERT_EQUAL(r.gpi_len, 3);
	GBA_ASSERT_HEX_EQ(r.gpi, (const uint8_t *)"\x01\xa0\xff", 3);
	gba_test_unhex(KEY_ME, k, sizeof(k));
	GBA_ASSERT_HEX_EQ(r.me_key, k, 32);
	CU_ASSERT_TRUE(r.has_uicc_key);
	gba_test_unhex(KEY_U, k, sizeof(k));
	GBA_ASSERT_HEX_EQ(r.uicc_key, k, 32);
	/* python3: datetime.fromisoformat("2000-02-29T12:00:00.123+02:00") */
	CU_ASSERT_TRUE(r.has_key_expiry);
	CU_ASSERT_EQUAL(r.key_expiry, 951818400);
	CU_ASSERT_EQUAL(r.creation_time, 1795478730);
	CU_ASSERT_STRING_EQUAL(r.gba_type, "3G_GBA");
	CU_ASSERT_STRING_EQUAL(r.impi, "a@b");
	/* ussList: TS 29.309 array of UssListItem */
	CU_ASSERT_EQUAL_FATAL(r.n_uss, 2);
	CU_ASSERT_EQUAL(r.uss[0].gs_id, 4294967295u);
	CU_ASSERT_EQUAL(r.uss[0].gs_type, 1);
	CU_ASSERT_EQUAL(r.uss[0].n_ue_ids, 2);
	CU_ASSERT_STRING_EQUAL(r.uss[0].ue_ids[0], "sip:a@b");
	CU_ASSERT_STRING_EQUAL(r.uss[0].ue_ids[1], "tel:+1");
	CU_ASSERT_STRING_EQUAL(r.uss[0].naf_group, "g");
	CU_ASSERT_EQUAL(r.uss[0].n_flags, 2);
	CU_ASSERT_EQUAL(r.uss[0].flags[0], 7);
	CU_ASSERT_EQUAL(r.uss[0].flags[1], 0);
	CU_ASSERT_EQUAL(r.uss[0].key_choice, SCS_KEY_CHOICE_UICC_BASED_KEY);
	CU_ASSERT_EQUAL(r.uss[1].gs_id, 0);
	CU_ASSERT_STRING_EQUAL(r.uss[1].naf_group, "");
	CU_ASSERT_EQUAL(r.uss[1].n_flags, 0);
	CU_ASSERT_EQUAL(r.uss[1].key_choice, SCS_KEY_CHOICE_OTHER);
	scs_gpi_resp_clear(&r);
	CU_ASSERT_EQUAL(r.gpi_len, 0);
}

static void test_resp_parse_bad(void)
{
	static const struct gba_test_case_err t[] = {
		{"", GBA_ERR_MALFORMED},
		{"[]", GBA_ERR_MALFORMED},
		{"{\"meKeyMaterial\":\"" KEY_ME "\"}", GBA_ERR_MALFORMED},
		{"{\"gbaPushInfo\":\"0102\"}", GBA_ERR_MALFORMED},
		{"{\"gbaPushInfo\":\"\",\"meKeyMaterial\":\"" KEY_ME "\"}",
		 GBA_ERR_MALFORMED},
		{"{\"gbaPushInfo\":\"012\",\"meKeyMaterial\":\"" KEY_ME "\"}",
		 GBA_ERR_BAD_HEX},
		{"{\"gbaPushInfo\":\"zz\",\"meKeyMaterial\":\"" KEY_ME "\"}",
		 GBA_ERR_BAD_HEX},
		{"{\"gbaPushInfo\":\"01\",\"meKeyMaterial\":\"00\"}",
		 GBA_ERR_BAD_LENGTH},
		{"{\"gbaPushInfo\":\"01\",\"meKeyMaterial\":7}",
		 GBA_ERR_MALFORMED},
		{"{\"gbaPushInfo\":\"01\",\"meKeyMaterial\":\"" KEY_ME
		 "\",\"uiccKeyMaterial\":\"" KEY_ME "0\"}",
		 GBA_ERR_BAD_LENGTH},
		{"{\"gbaPushInfo\":\"01\",\"meKeyMaterial\":\"" KEY_ME
		 "\",\"keyExpiryTime\":\"tomorrow\"}",
		 GBA_ERR_MALFORMED},
		{"{\"gbaPushInfo\":\"01\",\"meKeyMaterial\":\"" KEY_ME
		 "\",\"gbaPushInfo\":\"02\"}",
		 GBA_ERR_MALFORMED},
		{"{\"gbaPushInfo\":\"01\",\"meKeyMaterial\":\"" KEY_ME
		 "\",\"gbaType\":\"0123456789abcdef\"}",
		 GBA_ERR_TOO_LARGE},
		/* ussList: the TS 29.309 array, not a string */
		{"{\"gbaPushInfo\":\"01\",\"meKeyMaterial\":\"" KEY_ME
		 "\",\"ussList\":\"<ussList/>\"}",
		 GBA_ERR_MALFORMED},
		{"{\"gbaPushInfo\":\"01\",\"meKeyMaterial\":\"" KEY_ME
		 "\",\"ussList\":[]}",
		 GBA_ERR_MALFORMED},
		{"{\"gbaPushInfo\":\"01\",\"meKeyMaterial\":\"" KEY_ME
		 "\",\"ussList\":[{\"gsId\":1,\"gsType\":1,\"ueIds\":"
		 "[{\"ueId\":\"x\"}]}]}",
		 GBA_ERR_MALFORMED}, /* not wrapped in {"uss": ...} */
		{"{\"gbaPushInfo\":\"01\",\"meKeyMaterial\":\"" KEY_ME
		 "\",\"ussList\":[{\"uss\":{\"gsId\":-1,\"gsType\":1,"
		 "\"ueIds\":[{\"ueId\":\"x\"}]}}]}",
		 GBA_ERR_MALFORMED},
		{"{\"gbaPushInfo\":\"01\",\"meKeyMaterial\":\"" KEY_ME
		 "\",\"ussList\":[{\"uss\":{\"gsId\":4294967296,"
		 "\"gsType\":1,\"ueIds\":[{\"ueId\":\"x\"}]}}]}",
		 GBA_ERR_MALFORMED},
		{"{\"gbaPushInfo\":\"01\",\"meKeyMaterial\":\"" KEY_ME
		 "\",\"ussList\":[{\"uss\":{\"gsId\":1,\"ueIds\":"
		 "[{\"ueId\":\"x\"}]}}]}",
		 GBA_ERR_MALFORMED}, /* no gsType */
		{"{\"gbaPushInfo\":\"01\",\"meKeyMaterial\":\"" KEY_ME
		 "\",\"ussList\":[{\"uss\":{\"gsId\":1,\"gsType\":1,"
		 "\"ueIds\":[]}}]}",
		 GBA_ERR_MALFORMED},
		{"{\"gbaPushInfo\":\"01\",\"meKeyMaterial\":\"" KEY_ME
		 "\",\"ussList\":[{\"uss\":{\"gsId\":1,\"gsType\":1,"
		 "\"ueIds\":[{\"id\":\"x\"}]}}]}",
		 GBA_ERR_MALFORMED},
		{"{\"gbaPushInfo\":\"01\",\"meKeyMaterial\":\"" KEY_ME
		 "\",\"ussList\":[{\"uss\":{\"gsId\":1,\"gsType\":1,"
		 "\"ueIds\":[{\"ueId\":\"x\"}],\"flags\":[{\"flag\":"
		 "\"1\"}]}}]}",
		 GBA_ERR_MALFORMED},
		{"{\"gbaPushInfo\":\"01\",\"meKeyMaterial\":\"" KEY_ME
		 "\",\"ussList\":[{\"uss\":{\"gsId\":1,\"gsType\":1,"
		 "\"ueIds\":[{\"ueId\":\"x\"}],\"keyChoice\":1}}]}",
		 GBA_ERR_MALFORMED},
	};
	struct scs_gpi_resp r;
	struct scs_error e;
	size_t i;
	static char big[2 * GBA_GPI_MAX + 80];

	for (i = 0; i < GBA_ARRAY_SIZE(t); i++) {
		memset(&r, 0x5a, sizeof(r));
		GBA_ASSERT_ERR(
			scs_resp_parse(t[i].in, strlen(t[i].in), &r, &e),
			t[i].err);
		/* nothing partial escapes */
		CU_ASSERT_EQUAL(r.gpi_len, 0);
		CU_ASSERT_EQUAL(r.me_key[0], 0);
		CU_ASSERT_TRUE(e.msg[0] != '\0');
	}
	/* a GPI of GBA_GPI_MAX + 1 octets */
	memcpy(big, "{\"gbaPushInfo\":\"", 16);
	memset(big + 16, 'a', 2 * GBA_GPI_MAX + 2);
	memcpy(big + 16 + 2 * GBA_GPI_MAX + 2, "\"}", 3);
	GBA_ASSERT_ERR(scs_resp_parse(big, strlen(big), &r, &e),
		       GBA_ERR_TOO_LARGE);
	GBA_ASSERT_ERR(scs_resp_parse(big, SCS_RESP_MAX + 1, &r, &e),
		       GBA_ERR_TOO_LARGE);
}

static void test_problem_map(void)
{
	struct scs_error e;
	static const char p404[] =
		"{\"title\":\"Not Found\",\"status\":404,\"detail\":"
		"\"no such user\",\"cause\":\"USER_NOT_FOUND\"}";
	static const char p400[] =
		"{\"status\":400,\"cause\":\"MANDATORY_IE_INCORRECT\","
		"\"invalidParams\":[{\"param\":\"/ptId\",\"reason\":\"x\"}]}";
	static const char p403[] = "{\"cause\":\"AUTS_INVALID\"}";

	GBA_ASSERT_ERR(scs_problem_map(404, p404, strlen(p404), &e),
		       GBA_ERR_NOT_FOUND);
	CU_ASSERT_EQUAL(e.http_status, 404);
	CU_ASSERT_STRING_EQUAL(e.cause, "USER_NOT_FOUND");
	CU_ASSERT_STRING_EQUAL(e.msg, "BSF answered 404: unknown subscriber "
				      "(or not served for this SCS) (cause "
				      "USER_NOT_FOUND): no such user");
	GBA_ASSERT_ERR(scs_problem_map(400, p400, strlen(p400), &e),
		       GBA_ERR_BAD_PARAM);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "[invalid member /ptId]"));
	GBA_ASSERT_ERR(scs_problem_map(403, p403, strlen(p403), &e),
		       GBA_ERR_MAC);
	/* status alone, body not JSON; control characters neutralised */
	GBA_ASSERT_ERR(scs_problem_map(403, "<html>", 6, &e),
		       GBA_ERR_NOT_AUTHORIZED);
	GBA_ASSERT_ERR(scs_problem_map(429, NULL, 0, &e), GBA_ERR_RATE_LIMIT);
	GBA_ASSERT_ERR(
		scs_problem_map(500, "{\"detail\":\"a\\u001bb\"}", 21, &e),
		GBA_ERR_HTTP);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "a?b"));
	GBA_ASSERT_ERR(scs_problem_map(503, "", 0, &e), GBA_ERR_TIMEOUT);
}

static void test_time(void)
{
	static const struct {
		const char *s;
		uint64_t t; /* python3 datetime.fromisoformat(s).timestamp() */
	} ok[] = {
		{"1970-01-01T00:00:00Z", 0},
		{"2026-11-24T00:05:30Z", 1795478730},
		{"2000-02-29T12:00:00.123+02:00", 951818400},
		{"2024-03-01T00:00:00-01:30", 1709256600},
		{"9999-12-31T23:59:59Z", 253402300799ULL},
		/* one rule with the BSF (gba_datetime_parse): a leap second
		 * reads as 59 of its minute (was the next minute's :00) */
		{"1998-12-31T23:59:60Z", 915148799},
		/* 64 octets: the longest accepted */
		{"2026-11-24T00:05:30.0000000000000000000000000000000000000000000Z",
		 1795478730},
	};
	static const char *const bad[] = {
		"",
		"2026-11-24",
		"2026-11-24T00:05:30",
		"2026-13-01T00:00:00Z",
		"2026-02-29T00:00:00Z",
		"2026-11-24T24:00:00Z",
		"2026-11-24T00:05:30ZZ",
		"2026-11-24T00:05:30.Z",
		"1969-12-31T23:59:59Z",
		"2026-11-24 00:05:30Z",
		"2026-11-24T00:05:30+2:00",
		"+026-11-24T00:05:30Z",
		/* 65 octets: over the one length limit (was accepted) */
		"2026-11-24T00:05:30.00000000000000000000000000000000000000000000Z",
	};
	char buf[32];
	uint64_t t;
	size_t i;

	for (i = 0; i < GBA_ARRAY_SIZE(ok); i++) {
		GBA_ASSERT_ERR(scs_time_parse(ok[i].s, &t), GBA_OK);
		CU_ASSERT_EQUAL(t, ok[i].t);
	}
	for (i = 0; i < GBA_ARRAY_SIZE(bad); i++)
		GBA_ASSERT_ERR(scs_time_parse(bad[i], &t), GBA_ERR_MALFORMED);
	GBA_ASSERT_ERR(scs_time_format(1795478730, buf, sizeof(buf)), GBA_OK);
	CU_ASSERT_STRING_EQUAL(buf, "2026-11-24T00:05:30Z");
	GBA_ASSERT_ERR(scs_time_format(1795478730, buf, 20), GBA_ERR_NO_SPACE);
	GBA_ASSERT_ERR(scs_time_format(253402300800ULL, buf, sizeof(buf)),
		       GBA_ERR_BAD_PARAM);
}

/* The HTTP path without a server: argument and URL checks, refused port. */
static void test_bsf_errors(void)
{
	struct scs_gpi_req q;
	struct scs_gpi_resp r;
	struct scs_error e;
	struct scs_bsf b = {.url = "http://127.0.0.1:1", .cert = "c", .key = "k",
			    .ca = "a", .timeout_ms = 2000};

	fill_req(&q);
	GBA_ASSERT_ERR(scs_bsf_push_info(&b, &q, &r, &e), GBA_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "https://"));
	b.url = "https://127.0.0.1:1";
	b.cert = NULL;
	GBA_ASSERT_ERR(scs_bsf_push_info(&b, &q, &r, &e), GBA_ERR_BAD_PARAM);
	b.cert = "c";
	q.p_tid = "";
	GBA_ASSERT_ERR(scs_bsf_push_info(&b, &q, &r, &e), GBA_ERR_BAD_PARAM);
}

/* ---- NAF SA ---- */

/* A response as a BSF would send it: a GPI for @fqdn and Ua id @ua. */
static void make_resp_ua(struct scs_gpi_resp *r, const char *fqdn,
			 const uint8_t *ua, int gba_u, uint64_t gpi_expiry)
{
	struct gba_gpi_info gi;
	size_t i;

	memset(&gi, 0, sizeof(gi));
	memset(r, 0, sizeof(*r));
	for (i = 0; i < GBA_RAND_LEN; i++)
		gi.rand[i] = (uint8_t)(0xa0 + i);
	memset(gi.autn, 0x11, sizeof(gi.autn));
	CU_ASSERT_FATAL(gba_naf_id(fqdn, ua, gi.naf_id, &gi.naf_id_len) ==
			GBA_OK);
	gi.gba_u = gba_u;
	gi.key_expiry = gpi_expiry;
	for (i = 0; i < SCS_KEY_LEN; i++)
		r->me_key[i] = (uint8_t)i;
	CU_ASSERT_FATAL(gba_gpi_build(&gi, (const uint8_t *)"pt-1", 4,
				      r->me_key, r->gpi, sizeof(r->gpi),
				      &r->gpi_len) == GBA_OK);
}

/* ... for scs.example.org/GPL */
static void make_resp(struct scs_gpi_resp *r, const char *fqdn, int gba_u,
		      uint64_t gpi_expiry)
{
	static const uint8_t gpl_ua[GBA_UA_ID_LEN] = SCS_UA_ID_GPL;

	make_resp_ua(r, fqdn, gpl_ua, gba_u, gpi_expiry);
}

static void test_sa_from_gpi(void)
{
	struct scs_gpi_req q;
	struct scs_gpi_resp resp;
	struct scs_sa sa;
	uint8_t exp_rand[GBA_RAND_LEN];
	uint32_t sn;
	size_t i;

	for (i = 0; i < GBA_RAND_LEN; i++)
		exp_rand[i] = (uint8_t)(0xa0 + i);
	fill_req(&q);
	make_resp(&resp, "scs.example.org", 0, 1800000500);
	GBA_ASSERT_ERR(scs_sa_from_gpi(&q, 3600, &resp, 1700000000, &sa),
		       GBA_OK);
	GBA_ASSERT_HEX_EQ(sa.rand, exp_rand, GBA_RAND_LEN);
	CU_ASSERT_EQUAL(sa.naf_id_len, 15 + 5);
	GBA_ASSERT_HEX_EQ(
		sa.naf_id,
		(const uint8_t *)"scs.example.org\x01\x00\x00\x00\x05", 20);
	CU_ASSERT_STRING_EQUAL(sa.p_tid, "pt-1");
	CU_ASSERT_EQUAL(sa.key_expiry, 1800000500);
	CU_ASSERT_EQUAL(sa.gpl_sa_len, GPL_SA_BLOB_LEN);
	GBA_ASSERT_ERR(scs_sa_sn_c(&sa, &sn), GBA_OK);
	CU_ASSERT_EQUAL(sn, 0);
	/* keyExpiryTime earlier than the GPI's: the earlier one wins */
	resp.has_key_expiry = 1;
	resp.key_expiry = 1750000000;
	GBA_ASSERT_ERR(scs_sa_from_gpi(&q, 3600, &resp, 1700000000, &sa),
		       GBA_OK);
	CU_ASSERT_EQUAL(sa.key_expiry, 1750000000);
	/* already expired */
	GBA_ASSERT_ERR(scs_sa_from_gpi(&q, 3600, &resp, 1750000000, &sa),
		       GBA_ERR_EXPIRED);
	CU_ASSERT_EQUAL(sa.gpi_len, 0);
	/* the request named the NAF in another case (and with a root dot):
	 * the NAF_Id is the lower-case one the BSF put in the GPI */
	q.naf_fqdn = "SCS.EXAMPLE.org.";
	GBA_ASSERT_ERR(scs_sa_from_gpi(&q, 3600, &resp, 1700000000, &sa),
		       GBA_OK);
	CU_ASSERT_STRING_EQUAL(sa.naf_fqdn, "scs.example.org");
	GBA_ASSERT_HEX_EQ(
		sa.naf_id,
		(const uint8_t *)"scs.example.org\x01\x00\x00\x00\x05", 20);
	q.naf_fqdn = "scs.example.org";
	/* a GPI for another NAF, or the other mode */
	make_resp(&resp, "other.example.org", 0, 1800000500);
	GBA_ASSERT_ERR(scs_sa_from_gpi(&q, 3600, &resp, 1700000000, &sa),
		       GBA_ERR_INCONSISTENT);
	make_resp(&resp, "scs.example.org", 1, 1800000500);
	GBA_ASSERT_ERR(scs_sa_from_gpi(&q, 3600, &resp, 1700000000, &sa),
		       GBA_ERR_INCONSISTENT);
	/* garbage instead of a GPI */
	resp.gpi_len = 3;
	GBA_ASSERT_ERR(scs_sa_from_gpi(&q, 3600, &resp, 1700000000, &sa) < 0,
		       1);
	scs_gpi_resp_clear(&resp);
}

static void make_sa(struct scs_sa *sa)
{
	struct scs_gpi_req q;
	struct scs_gpi_resp resp;

	fill_req(&q);
	make_resp(&resp, "scs.example.org", 0, 1800000500);
	resp.has_uicc_key = 1;
	memset(resp.uicc_key, 0x77, SCS_KEY_LEN);
	CU_ASSERT_FATAL(scs_sa_from_gpi(&q, 3600, &resp, 1700000000, sa) ==
			GBA_OK);
	scs_gpi_resp_clear(&resp);
}

static void test_sa_codec(void)
{
	struct scs_sa sa, back;
	uint8_t buf[SCS_SA_FILE_MAX], buf2[SCS_SA_FILE_MAX];
	size_t n, n2, i;
	int r;

	make_sa(&sa);
	GBA_ASSERT_ERR(scs_sa_encode(&sa, buf, sizeof(buf), &n), GBA_OK);
	CU_ASSERT_EQUAL(memcmp(buf, "SCSA\x02", 5), 0);
	GBA_ASSERT_ERR(scs_sa_decode(buf, n, &back), GBA_OK);
	/* decoding alone never makes an SA usable (only scs_sa_load()) */
	CU_ASSERT_EQUAL(sa.bound, 1);
	CU_ASSERT_EQUAL(back.bound, 0);
	back.bound = 1;
	CU_ASSERT_EQUAL(memcmp(&sa, &back, sizeof(sa)), 0);
	GBA_ASSERT_ERR(scs_sa_encode(&back, buf2, sizeof(buf2), &n2), GBA_OK);
	CU_ASSERT_EQUAL(n, n2);
	CU_ASSERT_EQUAL(memcmp(buf, buf2, n), 0);
	/* too small an output */
	GBA_ASSERT_ERR(scs_sa_encode(&sa, buf2, n - 1, &n2), GBA_ERR_NO_SPACE);
	/* every truncation fails, and leaves nothing behind */
	for (i = 0; i < n; i++) {
		r = scs_sa_decode(buf, i, &back);
		CU_ASSERT_TRUE(r == GBA_ERR_TRUNCATED ||
			       r == GBA_ERR_MALFORMED);
		CU_ASSERT_EQUAL(back.gpi_len, 0);
	}
	/* trailing garbage after the last TLV */
	buf[n] = 0x01;
	GBA_ASSERT_ERR(scs_sa_decode(buf, n + 1, &back), GBA_ERR_TRUNCATED);
	/* an ignorable extension TLV is skipped */
	memcpy(buf + n, "\x90\x00\x02zz", 5);
	GBA_ASSERT_ERR(scs_sa_decode(buf, n + 5, &back), GBA_OK);
	/* wrong version (1: before the binding), wrong magic */
	buf[4] = 1;
	GBA_ASSERT_ERR(scs_sa_decode(buf, n, &back), GBA_ERR_VERSION);
	buf[4] = 3;
	GBA_ASSERT_ERR(scs_sa_decode(buf, n, &back), GBA_ERR_VERSION);
	buf[4] = 2;
	buf[0] = 'X';
	GBA_ASSERT_ERR(scs_sa_decode(buf, n, &back), GBA_ERR_MALFORMED);
	buf[0] = 'S';
	/* first TLV (ue id, tag 1) renamed to an unknown tag 0x7f */
	buf[5] = 0x7f;
	GBA_ASSERT_ERR(scs_sa_decode(buf, n, &back), GBA_ERR_MALFORMED);
	/* ... or to a duplicate of tag 2 */
	buf[5] = 0x02;
	GBA_ASSERT_ERR(scs_sa_decode(buf, n, &back), GBA_ERR_MALFORMED);
	buf[5] = 0x01;
	/* a single flipped bit in the NAF key: the GPL SA no longer matches */
	{
		uint8_t *k = NULL;
		size_t j;

		for (j = 0; j + SCS_KEY_LEN <= n && !k; j++)
			if (!memcmp(buf + j, sa.naf_key, SCS_KEY_LEN))
				k = buf + j;

		CU_ASSERT_PTR_NOT_NULL_FATAL(k);
		k[0] ^= 1;
		GBA_ASSERT_ERR(scs_sa_decode(buf, n, &back), GBA_ERR_MALFORMED);
		k[0] ^= 1;
	}
	GBA_ASSERT_ERR(scs_sa_decode(buf, n, &back), GBA_OK);
	/* the generation is mandatory (the last TLV, 8 octets) */
	GBA_ASSERT_ERR(scs_sa_decode(buf, n - 11, &back), GBA_ERR_MALFORMED);
	/* a binding element must close the file */
	memcpy(buf + n, "\x13\x00\x20", 3);
	memset(buf + n + 3, 0xAB, 32);
	GBA_ASSERT_ERR(scs_sa_decode(buf, n + 35, &back), GBA_OK);
	memcpy(buf + n + 35, "\x90\x00\x00", 3);
	GBA_ASSERT_ERR(scs_sa_decode(buf, n + 38, &back), GBA_ERR_MALFORMED);
	buf[n + 2] = 0x1F; /* 31 octets */
	GBA_ASSERT_ERR(scs_sa_decode(buf, n + 34, &back), GBA_ERR_MALFORMED);
	scs_sa_clear(&sa);
	scs_sa_clear(&back);
}

/* A scratch directory with an "sa" subdirectory and two host states. */
static char tdir[64];

static void path_in(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", tdir, name);
}

static void rm_tree(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tdir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* Copy a file's octets to @to (a new inode unless @to exists). */
static void copy_file(const char *from, const char *to)
{
	uint8_t b[SCS_SA_FILE_MAX + 1];
	ssize_t n;
	int in, out;

	in = open(from, O_RDONLY);
	CU_ASSERT_FATAL(in >= 0);
	n = read(in, b, sizeof(b));
	close(in);
	CU_ASSERT_FATAL(n > 0);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CU_ASSERT_FATAL(out >= 0);
	CU_ASSERT_EQUAL(write(out, b, (size_t)n), n);
	close(out);
}

static void test_sa_file(void)
{
	char path[96], st1[96];
	struct scs_host h;
	struct scs_sa sa, back;
	struct stat st;
	int lk;

	snprintf(tdir, sizeof(tdir), "/tmp/test_scs_sa.XXXXXX");
	CU_ASSERT_FATAL(mkdtemp(tdir) != NULL);
	path_in(path, sizeof(path), "ue1.sa");
	path_in(st1, sizeof(st1), "state1");
	GBA_ASSERT_ERR(scs_host_open(st1, &h), GBA_OK);
	make_sa(&sa);
	GBA_ASSERT_ERR(scs_sa_save(path, &h, &sa), GBA_OK);
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
	GBA_ASSERT_ERR(scs_sa_load(path, &h, &back), GBA_OK);
	CU_ASSERT_EQUAL(back.bound, 1);
	CU_ASSERT_EQUAL(back.gen, 1); /* first save at this path */
	back.gen = sa.gen;
	CU_ASSERT_EQUAL(memcmp(&sa, &back, sizeof(sa)), 0);
	/* readable by the group: refused */
	CU_ASSERT_EQUAL(chmod(path, 0640), 0);
	GBA_ASSERT_ERR(scs_sa_load(path, &h, &back), GBA_ERR_CONFIG);
	CU_ASSERT_EQUAL(unlink(path), 0);
	GBA_ASSERT_ERR(scs_sa_load(path, &h, &back), GBA_ERR_NOT_FOUND);
	GBA_ASSERT_ERR(scs_sa_lock(path, &lk), GBA_OK);
	scs_sa_unlock(lk);
	{
		char lkp[128];

		snprintf(lkp, sizeof(lkp), "%s.lock", path);
		CU_ASSERT_EQUAL(unlink(lkp), 0);
	}
	/* the host secret: created 0600, refused when others may read it */
	path_in(path, sizeof(path), "state1/host.key");
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
	CU_ASSERT_EQUAL(st.st_size, SCS_HOST_SECRET_LEN);
	CU_ASSERT_EQUAL(chmod(path, 0644), 0);
	scs_host_clear(&h);
	GBA_ASSERT_ERR(scs_host_open(st1, &h), GBA_ERR_CONFIG);
	scs_sa_clear(&sa);
	scs_host_clear(&h);
	rm_tree();
}

/* One protected trigger and its save, as gba-scs trigger does it. */
static void trigger(const char *path, const struct scs_host *h,
		    struct scs_sa *sa, int want)
{
	uint8_t msg[GPL_MSG_MAX];
	size_t n;

	GBA_ASSERT_ERR(scs_sa_protect(sa, 1700000001, (const uint8_t *)"wake",
				      4, msg, sizeof(msg), &n),
		       want);
	if (want == GBA_OK)
		GBA_ASSERT_ERR(scs_sa_save(path, h, sa), GBA_OK);
}

static void expect_unbound(const char *path, const struct scs_host *h)
{
	struct scs_sa sa;
	uint8_t msg[GPL_MSG_MAX];
	size_t n = 1;

	GBA_ASSERT_ERR(scs_sa_load(path, h, &sa), GBA_OK);
	CU_ASSERT_EQUAL(sa.bound, 0);
	/* no trigger, and no re-binding by saving it again */
	GBA_ASSERT_ERR(scs_sa_protect(&sa, 1700000001,
				      (const uint8_t *)"wake", 4, msg,
				      sizeof(msg), &n),
		       GBA_ERR_SA_UNBOUND);
	CU_ASSERT_EQUAL(n, 0);
	GBA_ASSERT_ERR(scs_sa_save(path, h, &sa), GBA_ERR_SA_UNBOUND);
	scs_sa_clear(&sa);
}

/*
 * Copied, moved and restored SA files are detected (docs/scs.md): none
 * of them may protect a trigger, and a new GPI (scs_sa_from_gpi(), then
 * save) is needed.
 */
static void test_sa_binding(void)
{
	char a[96], b[96], bak[96], st1[96], st2[96], mk[160];
	struct scs_host h1, h2;
	struct scs_sa sa, x;
	uint32_t sn;

	snprintf(tdir, sizeof(tdir), "/tmp/test_scs_bind.XXXXXX");
	CU_ASSERT_FATAL(mkdtemp(tdir) != NULL);
	path_in(a, sizeof(a), "a.sa");
	path_in(b, sizeof(b), "b.sa");
	path_in(bak, sizeof(bak), "a.sa.bak");
	path_in(st1, sizeof(st1), "state1");
	path_in(st2, sizeof(st2), "state2");
	GBA_ASSERT_ERR(scs_host_open(st1, &h1), GBA_OK);
	GBA_ASSERT_ERR(scs_host_open(st2, &h2), GBA_OK);
	/* a second open reads the same secret back */
	{
		struct scs_host again;

		GBA_ASSERT_ERR(scs_host_open(st1, &again), GBA_OK);
		CU_ASSERT_EQUAL(memcmp(again.secret, h1.secret,
				       SCS_HOST_SECRET_LEN), 0);
		CU_ASSERT_NOT_EQUAL(memcmp(h2.secret, h1.secret,
					   SCS_HOST_SECRET_LEN), 0);
		scs_host_clear(&again);
	}

	make_sa(&sa);
	GBA_ASSERT_ERR(scs_sa_save(a, &h1, &sa), GBA_OK);
	copy_file(a, bak); /* the backup, taken at SN_c = 0 */
	GBA_ASSERT_ERR(scs_sa_load(a, &h1, &x), GBA_OK);
	CU_ASSERT_EQUAL(x.bound, 1);
	trigger(a, &h1, &x, GBA_OK); /* SN 1 sent */
	scs_sa_clear(&x);
	GBA_ASSERT_ERR(scs_sa_load(a, &h1, &x), GBA_OK);
	CU_ASSERT_EQUAL(x.bound, 1);
	CU_ASSERT_EQUAL(x.gen, 2);
	GBA_ASSERT_ERR(scs_sa_sn_c(&x, &sn), GBA_OK);
	CU_ASSERT_EQUAL(sn, 1);
	scs_sa_clear(&x);

	/* 1. copied to another path on this host */
	copy_file(a, b);
	expect_unbound(b, &h1);
	/* 2. the same file read by a second SCS (another host secret) */
	expect_unbound(a, &h2);
	/* 3. moved: same inode (a hard link, as mv keeps it), other path */
	CU_ASSERT_EQUAL(unlink(b), 0);
	CU_ASSERT_EQUAL(link(a, b), 0);
	expect_unbound(b, &h1);
	CU_ASSERT_EQUAL(unlink(b), 0);
	/* the original is still good */
	GBA_ASSERT_ERR(scs_sa_load(a, &h1, &x), GBA_OK);
	CU_ASSERT_EQUAL(x.bound, 1);
	scs_sa_clear(&x);
	/* 4. an older copy restored in place (same inode, same path) */
	make_sa(&x);
	GBA_ASSERT_ERR(scs_sa_save(bak, &h1, &x), GBA_OK); /* gen 1 at bak */
	scs_sa_clear(&x);
	{
		/* restore: the first file's gen-1 content over a (in place) */
		struct scs_sa y;

		copy_file(a, b);
		GBA_ASSERT_ERR(scs_sa_load(a, &h1, &y), GBA_OK);
		trigger(a, &h1, &y, GBA_OK); /* gen 3, SN 2 */
		scs_sa_clear(&y);
		copy_file(b, a); /* gen 2, SN_c 1: older, same inode */
		expect_unbound(a, &h1);
		/* ... or restored as a new file (new inode) */
		CU_ASSERT_EQUAL(unlink(a), 0);
		copy_file(b, a);
		expect_unbound(a, &h1);
		CU_ASSERT_EQUAL(unlink(b), 0);
	}
	/* 5. a crash between the marker and the file: fail-safe, unbound.
	 * The marker (docs/scs.md): state/sa-<hex of the first 16 octets
	 * of SHA-256(canonical path)>.gen, 8 octets big-endian. */
	GBA_ASSERT_ERR(scs_sa_load(bak, &h1, &x), GBA_OK);
	CU_ASSERT_EQUAL(x.bound, 1);
	CU_ASSERT_EQUAL(x.gen, 1);
	scs_sa_clear(&x);
	{
		char canon[PATH_MAX], hx[33];
		const uint8_t *p[1];
		size_t l[1];
		uint8_t md[32], g[8] = {0, 0, 0, 0, 0, 0, 0, 2};
		int fd;

		CU_ASSERT_FATAL(realpath(tdir, canon) != NULL);
		strncat(canon, "/a.sa.bak", sizeof(canon) - strlen(canon) - 1);
		p[0] = (const uint8_t *)canon;
		l[0] = strlen(canon);
		GBA_ASSERT_ERR(gba_sha256_vec(1, p, l, md), GBA_OK);
		GBA_ASSERT_ERR(gba_hex_encode(md, 16, hx, sizeof(hx)), GBA_OK);
		snprintf(mk, sizeof(mk), "%s/sa-%s.gen", st1, hx);
		fd = open(mk, O_WRONLY | O_TRUNC);
		CU_ASSERT_FATAL(fd >= 0); /* the marker exists under that name */
		CU_ASSERT_EQUAL(write(fd, g, sizeof(g)), 8);
		close(fd);
	}
	expect_unbound(bak, &h1);
	/* 6. what the generation alone would miss: another host's file
	 * whose generation equals this host's marker for the path (binding
	 * MAC under the other secret), and the latest file copied to a new
	 * inode and renamed into place (inode in the binding) */
	make_sa(&x);
	GBA_ASSERT_ERR(scs_sa_save(b, &h2, &x), GBA_OK); /* h2 marker b: 1 */
	GBA_ASSERT_ERR(scs_sa_save(b, &h1, &x), GBA_OK); /* h1's, gen 1 */
	scs_sa_clear(&x);
	expect_unbound(b, &h2);
	GBA_ASSERT_ERR(scs_sa_load(b, &h1, &x), GBA_OK);
	CU_ASSERT_EQUAL(x.bound, 1);
	scs_sa_clear(&x);
	snprintf(mk, sizeof(mk), "%s/b.sa.new", tdir);
	copy_file(b, mk);
	CU_ASSERT_EQUAL(rename(mk, b), 0);
	expect_unbound(b, &h1);
	CU_ASSERT_EQUAL(unlink(b), 0);
	/* 7. a new GPI replaces the SA at the same path: usable again */
	make_sa(&x);
	GBA_ASSERT_ERR(scs_sa_save(a, &h1, &x), GBA_OK);
	scs_sa_clear(&x);
	GBA_ASSERT_ERR(scs_sa_load(a, &h1, &x), GBA_OK);
	CU_ASSERT_EQUAL(x.bound, 1);
	CU_ASSERT_EQUAL(x.gen, 4); /* the per-path counter never goes back */
	trigger(a, &h1, &x, GBA_OK);
	scs_sa_clear(&x);
	/* 8. no host: loaded for inspection only */
	GBA_ASSERT_ERR(scs_sa_load(a, NULL, &x), GBA_OK);
	CU_ASSERT_EQUAL(x.bound, 0);
	scs_sa_clear(&x);

	scs_sa_clear(&sa);
	scs_host_clear(&h1);
	scs_host_clear(&h2);
	rm_tree();
}

static void test_sa_protect(void)
{
	struct scs_sa sa;
	struct gpl_sa ue;
	uint8_t msg[GPL_MSG_MAX], pt[64], before[SCS_GPL_SA_MAX];
	size_t n, pn;
	uint32_t sn;

	make_sa(&sa);
	/* the UE's view of the same SA, from the same inputs */
	CU_ASSERT_FATAL(gpl_sa_init(&ue, sa.naf_key, sa.naf_id, sa.naf_id_len,
				    sa.rand, (const uint8_t *)"pt-1", 4,
				    sa.key_expiry,
				    GPL_SUITE_AES128CTR_HMAC256_128) == GBA_OK);
	GBA_ASSERT_ERR(scs_sa_protect(&sa, 1700000001, (const uint8_t *)"wake",
				      4, msg, sizeof(msg), &n),
		       GBA_OK);
	GBA_ASSERT_ERR(scs_sa_sn_c(&sa, &sn), GBA_OK);
	CU_ASSERT_EQUAL(sn, 1);
	GBA_ASSERT_ERR(
		gpl_unprotect(&ue, 1700000001, msg, n, pt, sizeof(pt), &pn),
		GBA_OK);
	CU_ASSERT_EQUAL(pn, 4);
	CU_ASSERT_EQUAL(memcmp(pt, "wake", 4), 0);
	/* expired: refused, SN_c unchanged */
	memcpy(before, sa.gpl_sa, sizeof(before));
	GBA_ASSERT_ERR(scs_sa_protect(&sa, 1800000500, (const uint8_t *)"wake",
				      4, msg, sizeof(msg), &n),
		       GBA_ERR_EXPIRED);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(memcmp(before, sa.gpl_sa, sizeof(before)), 0);
	gpl_sa_clear(&ue);
	scs_sa_clear(&sa);
}

/* Push PDUs decode back (sms + wsp + gpi_push decoders) to the GPI. */
static void test_push_pdus(void)
{
	struct scs_sa sa;
	struct gba_gpi_push_cfg cfg;
	struct scs_sms_opts o;
	struct scs_pdus p;
	struct gba_sms_tpdu t;
	struct gba_sms_udh u;
	struct gba_sms_reasm ra;
	struct gba_sms_msg m;
	struct gba_wsp_push wp;
	struct gba_gpi_env env;
	static uint8_t dg[GBA_SMS_REASM_MSG_MAX];
	size_t i;
	int r = GBA_ERR_INCOMPLETE;

	make_sa(&sa);
	memset(&cfg, 0, sizeof(cfg));
	cfg.app_code = 7;
	memset(&o, 0, sizeof(o));
	o.msisdn = "+447700900123";
	o.now = 1795478730; /* 2026-11-24T00:05:30Z */
	GBA_ASSERT_ERR(scs_push_pdus(&sa, &cfg, &o, &p), GBA_OK);
	CU_ASSERT_TRUE(p.n >= 1);
	gba_sms_reasm_init(&ra, 0);
	for (i = 0; i < p.n; i++) {
		GBA_ASSERT_ERR(gba_sms_tpdu_decode(p.pdu[i], p.len[i], &t),
			       GBA_OK);
		CU_ASSERT_EQUAL(t.mti, GBA_SMS_MTI_DELIVER);
		CU_ASSERT_EQUAL(t.dcs, 0x04);
		CU_ASSERT_EQUAL(t.scts.year, 26);
		CU_ASSERT_EQUAL(t.scts.month, 11);
		CU_ASSERT_EQUAL(t.scts.minute, 5);
		GBA_ASSERT_ERR(gba_sms_udh_parse(t.udh, t.udh_len, &u), GBA_OK);
		CU_ASSERT_EQUAL(u.dst_port, 2948);
		CU_ASSERT_EQUAL(u.src_port, 9200);
		r = gba_sms_reasm_add(&ra, 0, &t, &m, dg, sizeof(dg));
	}
	GBA_ASSERT_ERR(r, GBA_OK);
	GBA_ASSERT_ERR(gba_gpi_push_decode(&cfg, m.data, m.len, &wp, &env),
		       GBA_OK);
	CU_ASSERT_EQUAL(env.session_id, sa.session_id);
	CU_ASSERT_EQUAL(env.gpi_len, sa.gpi_len);
	GBA_ASSERT_HEX_EQ(env.gpi, sa.gpi, sa.gpi_len);
	/* SUBMIT: TP-DA is the UE's number */
	o.submit = 1;
	GBA_ASSERT_ERR(scs_push_pdus(&sa, &cfg, &o, &p), GBA_OK);
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(p.pdu[0], p.len[0], &t), GBA_OK);
	CU_ASSERT_EQUAL(t.mti, GBA_SMS_MTI_SUBMIT);
	CU_ASSERT_EQUAL(t.addr.ton, GBA_SMS_TON_INTERNATIONAL);
	CU_ASSERT_EQUAL(t.addr.n, 12);
	o.msisdn = "+44x";
	GBA_ASSERT_ERR(scs_push_pdus(&sa, &cfg, &o, &p), GBA_ERR_BAD_PARAM);
	CU_ASSERT_EQUAL(p.n, 0);
	o.msisdn = NULL;
	GBA_ASSERT_ERR(scs_push_pdus(&sa, &cfg, &o, &p), GBA_ERR_BAD_PARAM);
	scs_sa_clear(&sa);
}

static void test_port_pdus(void)
{
	static uint8_t big[16 * 134 + 1];
	struct scs_sms_opts o;
	struct scs_pdus p;
	struct gba_sms_tpdu t;
	struct gba_sms_udh u;

	memset(&o, 0, sizeof(o));
	o.oa = "+15550100";
	GBA_ASSERT_ERR(
		scs_port_pdus((const uint8_t *)"\x01\x02", 2, 4242, &o, &p),
		GBA_OK);
	CU_ASSERT_EQUAL(p.n, 1);
	GBA_ASSERT_ERR(gba_sms_tpdu_decode(p.pdu[0], p.len[0], &t), GBA_OK);
	GBA_ASSERT_ERR(gba_sms_udh_parse(t.udh, t.udh_len, &u), GBA_OK);
	CU_ASSERT_EQUAL(u.dst_port, 4242);
	CU_ASSERT_FALSE(u.has_concat);
	CU_ASSERT_EQUAL(t.data_len, 2);
	/* over SCS_PDUS_MAX segments */
	GBA_ASSERT_ERR(scs_port_pdus(big, sizeof(big), 4242, &o, &p),
		       GBA_ERR_TOO_LARGE);
	CU_ASSERT_EQUAL(p.n, 0);
}

/*
 * A GPI requested for another Ua security protocol (--ua-id 0100000002,
 * HTTP Digest, TS 33.220 Annex H) gives an SA whose Ks_NAF is that
 * protocol's key: no GPL SA, no trigger protected with it, and a file
 * that pairs such an SA with a GPL SA is refused.  Before: the SA carried
 * a GPL SA under the other protocol's key and protected triggers.
 */
static void test_sa_not_gpl(void)
{
	static const uint8_t digest[GBA_UA_ID_LEN] = {1, 0, 0, 0, 2};
	struct scs_gpi_req q;
	struct scs_gpi_resp resp;
	struct scs_sa sa, gpl, back;
	uint8_t msg[GPL_MSG_MAX], file[SCS_SA_FILE_MAX];
	size_t n = 1, flen;
	uint32_t sn;

	fill_req(&q);
	memcpy(q.ua_id, digest, sizeof(digest));
	make_resp_ua(&resp, "scs.example.org", digest, 0, 1800000500);
	GBA_ASSERT_ERR(scs_sa_from_gpi(&q, 3600, &resp, 1700000000, &sa),
		       GBA_OK);
	GBA_ASSERT_HEX_EQ(
		sa.naf_id,
		(const uint8_t *)"scs.example.org\x01\x00\x00\x00\x02", 20);
	CU_ASSERT_EQUAL(sa.gpl_sa_len, 0);
	CU_ASSERT_EQUAL(sa.bound, 1);
	GBA_ASSERT_ERR(scs_sa_protect(&sa, 1700000001, (const uint8_t *)"wake",
				      4, msg, sizeof(msg), &n),
		       GBA_ERR_UNSUPPORTED);
	CU_ASSERT_EQUAL(n, 0);
	GBA_ASSERT_ERR(scs_sa_sn_c(&sa, &sn), GBA_ERR_STATE);
	/* its file round-trips without a GPL SA */
	GBA_ASSERT_ERR(scs_sa_encode(&sa, file, sizeof(file), &flen), GBA_OK);
	GBA_ASSERT_ERR(scs_sa_decode(file, flen, &back), GBA_OK);
	CU_ASSERT_EQUAL(back.gpl_sa_len, 0);
	scs_sa_clear(&back);
	/* a GPL SA spliced into it is refused */
	fill_req(&q);
	make_resp(&resp, "scs.example.org", 0, 1800000500);
	GBA_ASSERT_ERR(scs_sa_from_gpi(&q, 3600, &resp, 1700000000, &gpl),
		       GBA_OK);
	memcpy(sa.gpl_sa, gpl.gpl_sa, gpl.gpl_sa_len);
	sa.gpl_sa_len = gpl.gpl_sa_len;
	GBA_ASSERT_ERR(scs_sa_encode(&sa, file, sizeof(file), &flen), GBA_OK);
	GBA_ASSERT_ERR(scs_sa_decode(file, flen, &back), GBA_ERR_MALFORMED);
	scs_sa_clear(&sa);
	scs_sa_clear(&gpl);
}

int main(void)
{
	CU_TestInfo tests[] = {
		{"PushInfoRequest JSON", test_req_json},
		{"PushInfoRequest JSON, GBA_U + resync",
		 test_req_json_resync_gbau},
		{"request checks", test_req_check},
		{"PushInfoResponse decode", test_resp_parse},
		{"PushInfoResponse rejects", test_resp_parse_bad},
		{"ProblemDetails mapping", test_problem_map},
		{"RFC 3339 date-time", test_time},
		{"BSF exchange argument errors", test_bsf_errors},
		{"NAF SA from the GPI response", test_sa_from_gpi},
		{"SA file codec", test_sa_codec},
		{"SA file save/load", test_sa_file},
		{"SA file copied, moved, restored: unbound", test_sa_binding},
		{"SA protect (GPL)", test_sa_protect},
		{"SA of another Ua security protocol: no GPL", test_sa_not_gpl},
		{"GPI push PDUs", test_push_pdus},
		{"port-addressed PDUs", test_port_pdus},
		CU_TEST_INFO_NULL,
	};
	int rc;

	if (scs_global_init() != GBA_OK)
		return 1;
	rc = gba_test_run("scs", tests);
	scs_global_cleanup();
	return rc;
}
