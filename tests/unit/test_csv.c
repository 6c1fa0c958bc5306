/*
 * test_csv.c - the import CSV reader (bsf/src/csv.c) without the CLI:
 * RFC 4180 quoting, the header rule (BOM, case, blanks), line numbers of
 * records, and the three kinds of bad record as distinct errors.
 */
#include <stdio.h>
#include <string.h>
#include <CUnit/CUnit.h>
#include "gba/err.h"
#include "gba_test.h"
#include "csv.h"

/* a reader over the text @t, records of at most @cap octets */
static FILE *csv_over(struct bsf_csv *c, const char *t, size_t cap)
{
	static char mem[512]; /* one reader at a time */
	size_t n = strlen(t);
	FILE *f;

	CU_ASSERT_FATAL(n < sizeof(mem));
	memcpy(mem, t, n + 1);
	f = fmemopen(mem, n, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL_FATAL(bsf_csv_init(c, f, cap), GBA_OK);
	return f;
}

static void test_quoting(void)
{
	static const char t[] = "a,\"b,c\",\"say \"\"hi\"\"\"\r\n"
				"\"two\nlines\",,x\n"
				"last";
	struct bsf_csv c;
	FILE *f = csv_over(&c, t, 256);

	CU_ASSERT_EQUAL(bsf_csv_next(&c), 1);
	CU_ASSERT_EQUAL(c.n, 3);
	CU_ASSERT_STRING_EQUAL(bsf_csv_field(&c, 0), "a");
	CU_ASSERT_STRING_EQUAL(bsf_csv_field(&c, 1), "b,c");
	CU_ASSERT_STRING_EQUAL(bsf_csv_field(&c, 2), "say \"hi\"");
	CU_ASSERT_PTR_NULL(bsf_csv_field(&c, 3));
	CU_ASSERT_EQUAL(c.rec_line, 1);
	CU_ASSERT_EQUAL(bsf_csv_next(&c), 1);
	CU_ASSERT_EQUAL(c.rec_line, 2);
	CU_ASSERT_STRING_EQUAL(bsf_csv_field(&c, 0), "two\nlines");
	CU_ASSERT_STRING_EQUAL(bsf_csv_field(&c, 1), "");
	CU_ASSERT_STRING_EQUAL(bsf_csv_field(&c, 2), "x");
	CU_ASSERT_EQUAL(bsf_csv_next(&c), 1); /* no final newline */
	CU_ASSERT_EQUAL(c.rec_line, 4);
	CU_ASSERT_STRING_EQUAL(bsf_csv_field(&c, 0), "last");
	CU_ASSERT_EQUAL(bsf_csv_next(&c), 0);
	bsf_csv_free(&c);
	fclose(f);
}

static void test_header(void)
{
	static const char *const names[3] = {"impi", "k", "opc"};

	CU_ASSERT_EQUAL(bsf_csv_header_col("\xef\xbb\xbfIMPI", 1, names, 3),
			0);
	/* a BOM only before the first cell */
	CU_ASSERT_EQUAL(bsf_csv_header_col("\xef\xbb\xbfk", 0, names, 3), -1);
	CU_ASSERT_EQUAL(bsf_csv_header_col(" K\t", 0, names, 3), 1);
	CU_ASSERT_EQUAL(bsf_csv_header_col("OpC", 0, names, 3), 2);
	CU_ASSERT_EQUAL(bsf_csv_header_col("op", 0, names, 3), -1);
	CU_ASSERT_EQUAL(bsf_csv_header_col("", 0, names, 3), -1);
	CU_ASSERT_EQUAL(bsf_csv_header_col("impiimpiimpiimpiimpiimpiimpiimpi",
					   0, names, 3),
			-1);
}

/* over @t (records of at most @cap octets): the first record is refused
 * with @err, the second, on line 2, has field @i @field */
static void bad_then_next(const char *t, size_t cap, int err, int i,
			  const char *field)
{
	struct bsf_csv c;
	FILE *f = csv_over(&c, t, cap);

	CU_ASSERT_EQUAL(bsf_csv_next(&c), -1);
	CU_ASSERT_EQUAL(c.err, err);
	CU_ASSERT_EQUAL(bsf_csv_next(&c), 1);
	CU_ASSERT_EQUAL(c.rec_line, 2);
	CU_ASSERT_STRING_EQUAL(bsf_csv_field(&c, i), field);
	bsf_csv_free(&c);
	fclose(f);
}

/* each bad record is reported with its own error, skipped, and the
 * reader goes on with the next record at the right line */
static void test_bad_records(void)
{
	char many[200];
	struct bsf_csv c;
	FILE *f;
	size_t i, n = 0;

	/* 33 fields: one more than BSF_CSV_FIELDS_MAX */
	for (i = 0; i < 33; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "%s%zu",
				      i ? "," : "", i);
	snprintf(many + n, sizeof(many) - n, "\nok,1\n");
	bad_then_next(many, 256, GBA_ERR_MALFORMED, 1, "1");

	/* a record over the buffer: too large, the next one read */
	bad_then_next("0123456789abcdef,x\nok\n", 16, GBA_ERR_TOO_LARGE, 0,
		      "ok");

	/* a quote never closed: truncated at end of file */
	f = csv_over(&c, "ok\n\"open,\nstill\n", 64);
	CU_ASSERT_EQUAL(bsf_csv_next(&c), 1);
	CU_ASSERT_EQUAL(bsf_csv_next(&c), -1);
	CU_ASSERT_EQUAL(c.err, GBA_ERR_TRUNCATED);
	CU_ASSERT_EQUAL(c.rec_line, 2);
	CU_ASSERT_EQUAL(bsf_csv_next(&c), 0);
	bsf_csv_free(&c);
	fclose(f);

	CU_ASSERT_STRING_EQUAL(bsf_csv_strerror(GBA_ERR_TRUNCATED),
			       "unterminated quoted field");
	CU_ASSERT_STRING_EQUAL(bsf_csv_strerror(GBA_ERR_TOO_LARGE),
			       "field too long");
	CU_ASSERT_STRING_EQUAL(bsf_csv_strerror(GBA_ERR_MALFORMED),
			       "too many fields");
}

static void test_put(void)
{
	char out[128] = {0};
	FILE *f = fmemopen(out, sizeof(out) - 1, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	bsf_csv_put(f, "plain", 0);
	bsf_csv_put(f, "a,b", 0);
	bsf_csv_put(f, "q\"q", 0);
	bsf_csv_put(f, NULL, 1);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(out, "plain,\"a,b\",\"q\"\"q\",\n");
}

GBA_TEST_MAIN("csv",
	{"RFC 4180 quoting, line numbers", test_quoting},
	{"header: BOM, case, blanks", test_header},
	{"bad records: distinct errors, reader goes on",
	 test_bad_records},
	{"output quoting", test_put})
