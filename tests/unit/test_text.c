/*
 * Host-only text helpers (gba/text.h): unsigned-integer parser, RFC 3339
 * date-time parser (RFC 3339 5.6, TS 29.571 5.2.2 DateTime), capped text
 * buffer.  Expected instants computed independently with Python's
 * datetime.fromisoformat(...).timestamp().
 */
#include <string.h>
#include "gba/text.h"
#include "gba_test.h"

static void test_uint(void)
{
	static const struct {
		const char *s;
		uint64_t max;
		unsigned flags;
		int err;
		uint64_t v;
	} c[] = {
		{ "0", 10, 0, GBA_OK, 0 },
		{ "10", 10, 0, GBA_OK, 10 },
		{ "007", 10, 0, GBA_OK, 7 },
		{ "11", 10, 0, GBA_ERR_TOO_LARGE, 0 },
		{ "5", 1, 0, GBA_ERR_TOO_LARGE, 0 }, /* digit above a small max */
		{ "1", 0, 0, GBA_ERR_TOO_LARGE, 0 },
		{ "18446744073709551615", UINT64_MAX, 0, GBA_OK, UINT64_MAX },
		{ "18446744073709551616", UINT64_MAX, 0, GBA_ERR_TOO_LARGE, 0 },
		{ "99999999999999999999999", UINT64_MAX, 0, GBA_ERR_TOO_LARGE,
		  0 },
		{ "281474976710655", (UINT64_C(1) << 48) - 1, 0, GBA_OK,
		  (UINT64_C(1) << 48) - 1 },
		{ "281474976710656", (UINT64_C(1) << 48) - 1, 0,
		  GBA_ERR_TOO_LARGE, 0 },
		{ "", 10, 0, GBA_ERR_MALFORMED, 0 },
		{ NULL, 10, 0, GBA_ERR_MALFORMED, 0 },
		{ "-1", 10, 0, GBA_ERR_MALFORMED, 0 },
		{ "+1", 10, 0, GBA_ERR_MALFORMED, 0 },
		{ " 1", 10, 0, GBA_ERR_MALFORMED, 0 },
		{ "1 ", 10, 0, GBA_ERR_MALFORMED, 0 },
		{ "1x", 10, 0, GBA_ERR_MALFORMED, 0 },
		{ "99x", 10, 0, GBA_ERR_MALFORMED, 0 }, /* junk beats size */
		{ "1.0", 10, 0, GBA_ERR_MALFORMED, 0 },
		{ "0x10", 100, 0, GBA_ERR_MALFORMED, 0 }, /* hex not asked */
		{ "0x10", 100, GBA_UINT_HEX, GBA_OK, 16 },
		{ "0XfF", 255, GBA_UINT_HEX, GBA_OK, 255 },
		{ "0x100", 255, GBA_UINT_HEX, GBA_ERR_TOO_LARGE, 0 },
		{ "0x", 255, GBA_UINT_HEX, GBA_ERR_MALFORMED, 0 },
		{ "0xg", 255, GBA_UINT_HEX, GBA_ERR_MALFORMED, 0 },
		{ "ff", 255, GBA_UINT_HEX, GBA_ERR_MALFORMED, 0 },
		{ "0xffffffffffffffff", UINT64_MAX, GBA_UINT_HEX, GBA_OK,
		  UINT64_MAX },
		{ "0x10000000000000000", UINT64_MAX, GBA_UINT_HEX,
		  GBA_ERR_TOO_LARGE, 0 },
		{ "12", 100, GBA_UINT_HEX, GBA_OK, 12 }, /* decimal still */
	};
	uint64_t v;
	size_t i;

	for (i = 0; i < GBA_ARRAY_SIZE(c); i++) {
		v = 12345;
		if (gba_test_err_eq(gba_uint_parse(c[i].s, c[i].max,
						   c[i].flags, &v),
				    c[i].err, c[i].s ? c[i].s : "(null)",
				    __FILE__, __LINE__) == 0) {
			CU_FAIL("gba_uint_parse() case");
			continue;
		}
		CU_ASSERT_EQUAL(v, c[i].v);
	}
}

static void test_datetime(void)
{
	static const struct {
		const char *s;
		int err;
		int64_t t;
	} c[] = {
		{ "1970-01-01T00:00:00Z", GBA_OK, 0 },
		{ "2026-11-24T10:00:00Z", GBA_OK, 1795514400 },
		{ "2026-11-24T12:00:00.123+02:00", GBA_OK, 1795514400 },
		{ "2026-11-24T08:00:00-00:00", GBA_OK, 1795507200 },
		{ "2026-11-24t00:05:30z", GBA_OK, 1795478730 },
		{ "2000-02-29T23:59:59Z", GBA_OK, 951868799 },
		{ "9999-12-31T23:59:59Z", GBA_OK, 253402300799 },
		{ "1970-01-01T01:00:00+01:00", GBA_OK, 0 },
		{ "1969-12-31T23:30:00-00:30", GBA_OK, 0 },
		/* leap second: 59 of the same minute */
		{ "1998-12-31T23:59:60Z", GBA_OK, 915148799 },
		{ "2026-11-24T10:00:00.0000000000000000000000000000000000000000000Z",
		  GBA_OK, 1795514400 }, /* 64 octets */
		/* refused */
		{ "1969-12-31T23:59:59Z", GBA_ERR_MALFORMED, 0 },
		{ "1970-01-01T00:30:00+01:00", GBA_ERR_MALFORMED, 0 },
		{ "2026-11-24T10:00:00.00000000000000000000000000000000000000000000Z",
		  GBA_ERR_TOO_LARGE, 0 }, /* 65 octets */
		{ "", GBA_ERR_MALFORMED, 0 },
		{ "2026-11-24", GBA_ERR_MALFORMED, 0 },
		{ "2026-11-24T10:00:00", GBA_ERR_MALFORMED, 0 },
		{ "2026-11-24 10:00:00Z", GBA_ERR_MALFORMED, 0 },
		{ "2026-11-24T10:00Z", GBA_ERR_MALFORMED, 0 },
		{ "2026-11-24T10:00:00.Z", GBA_ERR_MALFORMED, 0 },
		{ "2026-11-24T10:00:00ZZ", GBA_ERR_MALFORMED, 0 },
		{ "2026-11-24T10:00:00+2:00", GBA_ERR_MALFORMED, 0 },
		{ "2026-11-24T10:00:00+0200", GBA_ERR_MALFORMED, 0 },
		{ "2026-11-24T10:00:00+24:00", GBA_ERR_MALFORMED, 0 },
		{ "2026-11-24T10:00:00+02:60", GBA_ERR_MALFORMED, 0 },
		{ "+026-11-24T10:00:00Z", GBA_ERR_MALFORMED, 0 },
		{ "2026-13-01T00:00:00Z", GBA_ERR_MALFORMED, 0 },
		{ "2026-00-01T00:00:00Z", GBA_ERR_MALFORMED, 0 },
		{ "2026-04-31T00:00:00Z", GBA_ERR_MALFORMED, 0 },
		{ "2026-01-00T00:00:00Z", GBA_ERR_MALFORMED, 0 },
		{ "2100-02-29T00:00:00Z", GBA_ERR_MALFORMED, 0 },
		{ "2026-11-24T24:00:00Z", GBA_ERR_MALFORMED, 0 },
		{ "2026-11-24T10:60:00Z", GBA_ERR_MALFORMED, 0 },
		{ "2026-11-24T10:00:61Z", GBA_ERR_MALFORMED, 0 },
	};
	int64_t t;
	size_t i;

	for (i = 0; i < GBA_ARRAY_SIZE(c); i++) {
		t = 12345;
		if (gba_test_err_eq(gba_datetime_parse(c[i].s, strlen(c[i].s),
						       &t),
				    c[i].err, c[i].s, __FILE__, __LINE__) == 0) {
			CU_FAIL("gba_datetime_parse() case");
			continue;
		}
		CU_ASSERT_EQUAL(t, c[i].t);
	}
	/* the length bounds the text: a NUL inside is malformed */
	GBA_ASSERT_ERR(gba_datetime_parse("2026-11-24T10:00:00Z\0", 21, &t),
		       GBA_ERR_MALFORMED);
	GBA_ASSERT_ERR(gba_datetime_parse("2026-11-24T10:00:00Zjunk", 20, &t),
		       GBA_OK);
	CU_ASSERT_EQUAL(t, 1795514400);
}

static void test_dynbuf_fixed(void)
{
	char mem[8];
	struct gba_dynbuf b;

	memset(mem, 'x', sizeof(mem));
	gba_dynbuf_init_fixed(&b, mem, sizeof(mem), 0);
	CU_ASSERT_STRING_EQUAL(gba_dynbuf_ptr(&b), "");
	GBA_ASSERT_ERR(gba_dynbuf_addstr(&b, "abc"), GBA_OK);
	GBA_ASSERT_ERR(gba_dynbuf_printf(&b, "%d", 1234), GBA_OK);
	CU_ASSERT_STRING_EQUAL(mem, "abc1234"); /* 7 + NUL = 8 */
	CU_ASSERT_EQUAL(gba_dynbuf_len(&b), 7);
	/* full: nothing added, error sticks, content intact */
	GBA_ASSERT_ERR(gba_dynbuf_addstr(&b, "d"), GBA_ERR_NO_SPACE);
	GBA_ASSERT_ERR(gba_dynbuf_add(&b, "", 0), GBA_ERR_NO_SPACE);
	GBA_ASSERT_ERR(gba_dynbuf_err(&b), GBA_ERR_NO_SPACE);
	CU_ASSERT_STRING_EQUAL(mem, "abc1234");
	gba_dynbuf_free(&b); /* not secret: storage kept, emptied */
	CU_ASSERT_EQUAL(mem[1], 'b');
	CU_ASSERT_EQUAL(gba_dynbuf_len(&b), 0);

	gba_dynbuf_init_fixed(&b, mem, sizeof(mem), GBA_DYNBUF_SECRET);
	GBA_ASSERT_ERR(gba_dynbuf_addstr(&b, "key"), GBA_OK);
	/* a long printf that cannot fit adds nothing */
	GBA_ASSERT_ERR(gba_dynbuf_printf(&b, "%300d", 1), GBA_ERR_NO_SPACE);
	CU_ASSERT_STRING_EQUAL(mem, "key");
	gba_dynbuf_free(&b); /* secret: every octet wiped */
	{
		static const char zero[sizeof(mem)];

		CU_ASSERT_EQUAL(memcmp(mem, zero, sizeof(mem)), 0);
	}
	/* a caller's own failed step sticks like a full buffer; first wins */
	gba_dynbuf_init_fixed(&b, mem, sizeof(mem), 0);
	gba_dynbuf_fail(&b, GBA_ERR_NO_SPACE);
	gba_dynbuf_fail(&b, GBA_ERR_INTERNAL);
	GBA_ASSERT_ERR(gba_dynbuf_addstr(&b, "a"), GBA_ERR_NO_SPACE);
	CU_ASSERT_EQUAL(gba_dynbuf_len(&b), 0);
	gba_dynbuf_free(&b);
	GBA_ASSERT_ERR(gba_dynbuf_err(&b), GBA_OK);
	gba_dynbuf_init_fixed(&b, mem, sizeof(mem), GBA_DYNBUF_SECRET);
	GBA_ASSERT_ERR(gba_dynbuf_addstr(&b, "k"), GBA_OK);
	gba_dynbuf_free(&b);
	{
		static const char zero[sizeof(mem)];

		CU_ASSERT_EQUAL(memcmp(mem, zero, sizeof(mem)), 0);
	}
}

static void test_dynbuf_heap(void)
{
	struct gba_dynbuf b;
	char big[1000];
	size_t i;

	memset(big, 'a', sizeof(big));
	gba_dynbuf_init(&b, 2500, 0);
	CU_ASSERT_STRING_EQUAL(gba_dynbuf_ptr(&b), "");
	for (i = 0; i < 2; i++)
		GBA_ASSERT_ERR(gba_dynbuf_add(&b, big, sizeof(big)), GBA_OK);
	GBA_ASSERT_ERR(gba_dynbuf_printf(&b, "%500s", "z"), GBA_OK);
	CU_ASSERT_EQUAL(gba_dynbuf_len(&b), 2500); /* exactly the cap */
	CU_ASSERT_EQUAL(gba_dynbuf_ptr(&b)[2499], 'z');
	CU_ASSERT_EQUAL(gba_dynbuf_ptr(&b)[2500], '\0');
	GBA_ASSERT_ERR(gba_dynbuf_add(&b, "x", 1), GBA_ERR_TOO_LARGE);
	CU_ASSERT_EQUAL(gba_dynbuf_len(&b), 2500);
	gba_dynbuf_free(&b);
	CU_ASSERT_EQUAL(gba_dynbuf_len(&b), 0);
	GBA_ASSERT_ERR(gba_dynbuf_err(&b), GBA_OK);

	/* secret: grown by copy (no realloc), content kept across growth */
	gba_dynbuf_init(&b, 4096, GBA_DYNBUF_SECRET);
	for (i = 0; i < 4; i++)
		GBA_ASSERT_ERR(gba_dynbuf_add(&b, big, sizeof(big)), GBA_OK);
	GBA_ASSERT_ERR(gba_dynbuf_addstr(&b, "end"), GBA_OK);
	CU_ASSERT_EQUAL(gba_dynbuf_len(&b), 4003);
	CU_ASSERT_STRING_EQUAL(gba_dynbuf_ptr(&b) + 4000, "end");
	CU_ASSERT_EQUAL(gba_dynbuf_ptr(&b)[0], 'a');
	GBA_ASSERT_ERR(gba_dynbuf_add(&b, big, 94), GBA_ERR_TOO_LARGE);
	gba_dynbuf_free(&b);
	gba_dynbuf_free(NULL);
}

static void test_json_str(void)
{
	char out[64] = {0};
	FILE *f = fmemopen(out, sizeof(out) - 1, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	gba_json_str(f, "a\"b\\c\n\x01\xc3\xa9");
	fclose(f);
	CU_ASSERT_STRING_EQUAL(out, "\"a\\\"b\\\\c\\u000a\\u0001\xc3\xa9\"");
}

static void test_in_range(void)
{
	CU_ASSERT_EQUAL(gba_text_in_range("", 0, 0x21, 0x7e), 1);
	CU_ASSERT_EQUAL(gba_text_in_range("a~!", 3, 0x21, 0x7e), 1);
	CU_ASSERT_EQUAL(gba_text_in_range("a b", 3, 0x21, 0x7e), 0);
	CU_ASSERT_EQUAL(gba_text_in_range("a b", 3, 0x20, 0x7e), 1);
	CU_ASSERT_EQUAL(gba_text_in_range("a\x7f", 2, 0x20, 0x7e), 0);
	CU_ASSERT_EQUAL(gba_text_in_range("\xc3\xa9", 2, 0x20, 0x7e), 0);
	/* only @n octets are looked at */
	CU_ASSERT_EQUAL(gba_text_in_range("ab\n", 2, 0x21, 0x7e), 1);
}

static FILE *usage_to;
static int cmd_argc;
static const char *cmd_arg0, *cmd_arg1;

static void usage_rec(FILE *fp)
{
	usage_to = fp;
}

static int cmd_rec(int argc, char **argv)
{
	cmd_argc = argc;
	cmd_arg0 = argv[0];
	cmd_arg1 = argc > 1 ? argv[1] : NULL;
	return 7;
}

static void test_cli_dispatch(void)
{
	static const struct gba_cli_cmd cmds[] = {
		{"one", "first", cmd_rec},
		{"two", "second", cmd_rec},
	};
	char p[] = "prog", two[] = "two", opt[] = "--x", help[] = "help",
	     h[] = "-h", bad[] = "three";
	char *a_run[] = {p, two, opt, NULL}, *a_none[] = {p, NULL};
	char *a_help[] = {p, help, NULL}, *a_h[] = {p, h, NULL};
	char *a_bad[] = {p, bad, NULL};

	/* the command gets argv from its own name on */
	CU_ASSERT_EQUAL(gba_cli_dispatch("prog", "1.0", cmds, 2, usage_rec, 3,
					 a_run), 7);
	CU_ASSERT_EQUAL(cmd_argc, 2);
	CU_ASSERT_STRING_EQUAL(cmd_arg0, "two");
	CU_ASSERT_STRING_EQUAL(cmd_arg1, "--x");
	CU_ASSERT_EQUAL(gba_cli_dispatch("prog", "1.0", cmds, 2, usage_rec, 1,
					 a_none), 2);
	CU_ASSERT_PTR_EQUAL(usage_to, stderr);
	CU_ASSERT_EQUAL(gba_cli_dispatch("prog", "1.0", cmds, 2, usage_rec, 2,
					 a_help), 0);
	CU_ASSERT_PTR_EQUAL(usage_to, stdout);
	usage_to = NULL;
	CU_ASSERT_EQUAL(gba_cli_dispatch("prog", "1.0", cmds, 2, usage_rec, 2,
					 a_h), 0);
	CU_ASSERT_PTR_EQUAL(usage_to, stdout);
	cmd_argc = 0;
	CU_ASSERT_EQUAL(gba_cli_dispatch("prog", "1.0", cmds, 2, usage_rec, 2,
					 a_bad), 2);
	CU_ASSERT_EQUAL(cmd_argc, 0);
}

GBA_TEST_MAIN("text",
	{ "uint parser: sign, empty, junk, overflow", test_uint },
	{ "RFC 3339 date-time (TS 29.571 DateTime)", test_datetime },
	{ "capped buffer on caller storage, wipe", test_dynbuf_fixed },
	{ "capped buffer on the heap", test_dynbuf_heap },
	{ "JSON string output (RFC 8259 clause 7)", test_json_str },
	{ "octet ranges (printable ASCII)", test_in_range },
	{ "subcommand dispatch of the programs", test_cli_dispatch })
