/*
 * Unit tests: the request line of the BSF log (bsf/src/log.c,
 * bsf_log_request()) in both layouts, logfmt and JSON, to the octet
 * (docs/internals/LOGGING.md).  Expected lines written by hand; only the
 * timestamp is checked by its shape.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "gba_test.h"
#include "log.h"

static char dir[64];

/* the one line in @path: "<prefix>YYYY-MM-DDTHH:MM:SS.mmm<rest>" */
static void check_line(const char *path, const char *prefix, const char *rest)
{
	char line[512];
	size_t p = strlen(prefix), i;
	FILE *f = fopen(path, "r");

	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT_FATAL(fgets(line, sizeof(line), f) != NULL);
	CU_ASSERT_PTR_NULL(fgets(line + 256, 256, f)); /* one line only */
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(strncmp(line, prefix, p), 0);
	/* "2026-12-07T21:56:19.123": digits but at the separators */
	for (i = 0; i < 23; i++) {
		static const char shape[] = "dddd-dd-ddTdd:dd:dd.ddd";
		char c = line[p + i];

		CU_ASSERT(shape[i] == 'd' ? c >= '0' && c <= '9'
					  : c == shape[i]);
	}
	CU_ASSERT_STRING_EQUAL(line + p + 23, rest);
}

static void test_request_line(void)
{
	static const uint8_t key[32] = {1};
	const struct bsf_log_req r = {
		.naf = "scs1.example",
		.endpoint = "nbsp",
		.status = 200,
		.outcome = "OK",
		.latency_ms = 12.3456,
		.ue_tag = "0123456789abcdef",
		.gba = "GBA_ME",
	};
	const struct bsf_log_req r0 = {.status = 0, .latency_ms = 0.0004};
	char path[128];
	int j;

	gba_test_tmpdir(dir, sizeof(dir), "test_bsf_log");
	for (j = 0; j < 2; j++) {
		snprintf(path, sizeof(path), "%s/%d.log", dir, j);
		GBA_ASSERT_ERR(bsf_log_init(path, 6, key, 0), GBA_OK);
		bsf_log_set_format(j);
		bsf_log_request(j == 0 ? &r : &r0);
		bsf_log_close();
	}
	snprintf(path, sizeof(path), "%s/0.log", dir);
	check_line(path, "ts=",
		   "Z level=info sub=req naf=\"scs1.example\" endpoint=nbsp "
		   "status=200 outcome=OK latency_ms=12.346 "
		   "ue=0123456789abcdef gba=GBA_ME\n");
	snprintf(path, sizeof(path), "%s/1.log", dir);
	check_line(path, "{\"ts\":\"",
		   "Z\",\"level\":\"info\",\"sub\":\"req\",\"naf\":\"-\","
		   "\"endpoint\":\"-\",\"status\":0,\"outcome\":\"-\","
		   "\"latency_ms\":0.000,\"ue\":\"-\",\"gba\":\"-\"}\n");
	/* and the JSON layout with every field set */
	snprintf(path, sizeof(path), "%s/2.log", dir);
	GBA_ASSERT_ERR(bsf_log_init(path, 6, key, 0), GBA_OK);
	bsf_log_set_format(1);
	bsf_log_request(&r);
	bsf_log_close();
	check_line(path, "{\"ts\":\"",
		   "Z\",\"level\":\"info\",\"sub\":\"req\","
		   "\"naf\":\"scs1.example\",\"endpoint\":\"nbsp\","
		   "\"status\":200,\"outcome\":\"OK\",\"latency_ms\":12.346,"
		   "\"ue\":\"0123456789abcdef\",\"gba\":\"GBA_ME\"}\n");
	bsf_log_set_format(0);
	gba_test_rmtree(dir);
}

GBA_TEST_MAIN("bsf_log",
	{"request line, logfmt and JSON", test_request_line})
