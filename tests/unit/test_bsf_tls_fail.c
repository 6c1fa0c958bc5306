/*
 * Failed-handshake accounting (bsf/src/tls_fail.h) and the connection
 * guard's [limits] keys (conn_guard.h): the GnuTLS verification status
 * -> reason table (bit values from gnutls/x509.h's documented
 * gnutls_certificate_status_t, set by hand here), the counter for every
 * note (unknown reasons as "other"), and the per-peer rate limit of the
 * warning line, read back from the log file.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gnutls/gnutls.h>
#include "gba_test.h"
#include "config.h"
#include "log.h"
#include "tls_fail.h"

static void test_status(void)
{
	CU_ASSERT_EQUAL(bsf_tls_fail_from_status(GNUTLS_CERT_INVALID |
						 GNUTLS_CERT_SIGNER_NOT_FOUND),
			BSF_TF_UNTRUSTED);
	/* untrusted wins over the dates of an untrusted certificate */
	CU_ASSERT_EQUAL(bsf_tls_fail_from_status(GNUTLS_CERT_INVALID |
						 GNUTLS_CERT_SIGNER_NOT_FOUND |
						 GNUTLS_CERT_EXPIRED),
			BSF_TF_UNTRUSTED);
	CU_ASSERT_EQUAL(bsf_tls_fail_from_status(GNUTLS_CERT_INVALID |
						 GNUTLS_CERT_SIGNATURE_FAILURE),
			BSF_TF_UNTRUSTED);
	CU_ASSERT_EQUAL(bsf_tls_fail_from_status(GNUTLS_CERT_INVALID |
						 GNUTLS_CERT_REVOKED |
						 GNUTLS_CERT_EXPIRED),
			BSF_TF_REVOKED);
	CU_ASSERT_EQUAL(bsf_tls_fail_from_status(GNUTLS_CERT_INVALID |
						 GNUTLS_CERT_EXPIRED),
			BSF_TF_EXPIRED);
	CU_ASSERT_EQUAL(bsf_tls_fail_from_status(GNUTLS_CERT_INVALID |
						 GNUTLS_CERT_NOT_ACTIVATED),
			BSF_TF_NOT_YET_VALID);
	CU_ASSERT_EQUAL(bsf_tls_fail_from_status(GNUTLS_CERT_INVALID |
						 GNUTLS_CERT_PURPOSE_MISMATCH),
			BSF_TF_BAD_PURPOSE);
	CU_ASSERT_EQUAL(bsf_tls_fail_from_status(GNUTLS_CERT_INVALID),
			BSF_TF_OTHER);
	CU_ASSERT_STRING_EQUAL(bsf_tls_fail_name(BSF_TF_NOT_YET_VALID),
			       "not_yet_valid");
	CU_ASSERT_STRING_EQUAL(bsf_tls_fail_name(BSF_TF_COUNT_), "other");
}

static size_t count_lines(const char *path, const char *needle)
{
	char line[1024];
	size_t n = 0;
	FILE *fp = fopen(path, "r");

	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp))
		if (strstr(line, needle))
			n++;
	fclose(fp);
	return n;
}

static void test_note(void)
{
	char path[128];
	struct sockaddr_in a, b;
	uint64_t other0 = bsf_tls_fail_count(BSF_TF_OTHER);
	uint64_t nt0 = bsf_tls_fail_count(BSF_TF_NOT_TLS);
	int i;

	snprintf(path, sizeof(path), "/tmp/bsf_tls_fail_test_%d.log",
		 (int)getpid());
	unlink(path);
	GBA_ASSERT_ERR(bsf_log_init(path, BSF_LOG_INFO, NULL, 0), GBA_OK);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(40000);
	inet_pton(AF_INET, "192.0.2.7", &a.sin_addr);
	b = a;
	inet_pton(AF_INET, "192.0.2.8", &b.sin_addr);

	/* 12 from one address: all counted, 5 lines; the other address
	 * still gets its line */
	for (i = 0; i < 12; i++)
		bsf_tls_fail_note("not_tls", (struct sockaddr *)&a);
	bsf_tls_fail_note("not_tls", (struct sockaddr *)&b);
	bsf_tls_fail_note("no-such-reason", NULL);
	bsf_tls_fail_note(NULL, NULL);
	bsf_log_close();
	CU_ASSERT_EQUAL(bsf_tls_fail_count(BSF_TF_NOT_TLS), nt0 + 13);
	CU_ASSERT_EQUAL(bsf_tls_fail_count(BSF_TF_OTHER), other0 + 2);
	CU_ASSERT_EQUAL(count_lines(path, "level=warning sub=http msg=\"TLS "
					  "handshake failed "
					  "peer=192.0.2.7:40000 "
					  "reason=not_tls"),
			5);
	CU_ASSERT_EQUAL(count_lines(path, "peer=192.0.2.8:40000 "
					  "reason=not_tls\""),
			1);
	CU_ASSERT_EQUAL(count_lines(path, "peer=- reason=other"), 2);
	CU_ASSERT_EQUAL(count_lines(path, "suppressed="), 0);
	unlink(path);
}

static void test_metrics(void)
{
	char buf[4096];
	size_t n = bsf_tls_fail_metrics(buf, sizeof(buf), 0);

	CU_ASSERT_TRUE(n > 0 && n < sizeof(buf));
	buf[n] = '\0';
	CU_ASSERT_PTR_NOT_NULL(strstr(
		buf,
		"gba_bsf_tls_handshake_failures_total{reason=\"revoked\"} "));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "gba_bsf_tls_handshake_failures_"
					   "total{reason=\"bad_purpose\"} "));
	CU_ASSERT_EQUAL(bsf_tls_fail_metrics(buf, 64, 0), 0); /* too small */
	/* appended after @n octets; the text and its NUL must fit in @cap */
	memcpy(buf, "x\n", 2);
	CU_ASSERT_EQUAL(bsf_tls_fail_metrics(buf, 2 + n + 1, 2), 2 + n);
	CU_ASSERT_EQUAL(memcmp(buf, "x\n# HELP ", 9), 0);
	CU_ASSERT_EQUAL(buf[2 + n], '\0');
	CU_ASSERT_EQUAL(bsf_tls_fail_metrics(buf, 2 + n, 2), 0);
}

static void test_guard_config(void)
{
	struct bsf_config c;

	bsf_config_defaults(&c);
	CU_ASSERT_EQUAL(c.max_handshakes, 256);
	CU_ASSERT_EQUAL(c.per_ip_handshakes, 64); /* on by default */
	CU_ASSERT_EQUAL(c.per_naf_connections, 64);
	CU_ASSERT_EQUAL(c.handshake_timeout, 3);
	CU_ASSERT_EQUAL(c.header_timeout, 5);
	CU_ASSERT_EQUAL(c.body_timeout, 10);
}

GBA_TEST_MAIN("bsf_tls_fail",
	{"verify status -> reason", test_status},
	{"note: counter and rate-limited line", test_note},
	{"metrics", test_metrics},
	{"guard config defaults", test_guard_config})
