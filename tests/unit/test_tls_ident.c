/*
 * The SCS TLS peer (bsf/src/tls_ident.h): the RFC 6125 identity rule and
 * the chain check (CA, CRL, clientAuth purpose, validity) with its
 * refusal reasons.  Certificates and CRLs are made here with GnuTLS; the
 * expected identities and reasons are the rule as written in
 * docs/bsf.md "Client identity", not values read back from the code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include "gba_test.h"
#include "tls_ident.h"

#define DAY (24 * 3600)

struct san {
	gnutls_x509_subject_alt_name_t type;
	const char *v;
};

struct key_crt {
	gnutls_x509_privkey_t key;
	gnutls_x509_crt_t crt;
};

static unsigned serial_next = 1;

static void mk_key(gnutls_x509_privkey_t *k)
{
	CU_ASSERT_FATAL(gnutls_x509_privkey_init(k) == 0);
	CU_ASSERT_FATAL(gnutls_x509_privkey_generate(
				*k, GNUTLS_PK_ECDSA,
				GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1),
				0) == 0);
}

/*
 * One certificate: @cns subject CNs (NULL-terminated), @sans (type 0
 * ends; NULL: no subjectAltName extension), @purpose (NULL: none), signed
 * by @ca (NULL: self-signed CA), valid from @from to @to (relative s).
 */
static void mk_crt(struct key_crt *kc, const char *const *cns,
		   const struct san *sans, const char *purpose,
		   const struct key_crt *ca, long from, long to)
{
	time_t now = time(NULL);
	unsigned char serial[4];
	size_t i;

	mk_key(&kc->key);
	CU_ASSERT_FATAL(gnutls_x509_crt_init(&kc->crt) == 0);
	CU_ASSERT_FATAL(gnutls_x509_crt_set_version(kc->crt, 3) == 0);
	serial[0] = 0x10;
	serial[1] = 0;
	serial[2] = (unsigned char)(serial_next >> 8);
	serial[3] = (unsigned char)serial_next++;
	CU_ASSERT_FATAL(gnutls_x509_crt_set_serial(kc->crt, serial, 4) == 0);
	CU_ASSERT_FATAL(gnutls_x509_crt_set_activation_time(kc->crt,
							    now + from) == 0);
	CU_ASSERT_FATAL(gnutls_x509_crt_set_expiration_time(kc->crt,
							    now + to) == 0);
	CU_ASSERT_FATAL(gnutls_x509_crt_set_key(kc->crt, kc->key) == 0);
	for (i = 0; cns && cns[i]; i++)
		CU_ASSERT_FATAL(gnutls_x509_crt_set_dn_by_oid(
					kc->crt, GNUTLS_OID_X520_COMMON_NAME, 0,
					cns[i], (unsigned)strlen(cns[i])) == 0);
	for (i = 0; sans && sans[i].type; i++)
		CU_ASSERT_FATAL(gnutls_x509_crt_set_subject_alt_name(
					kc->crt, sans[i].type, sans[i].v,
					(unsigned)strlen(sans[i].v),
					GNUTLS_FSAN_APPEND) == 0);
	if (!ca) {
		CU_ASSERT_FATAL(gnutls_x509_crt_set_basic_constraints(kc->crt,
								      1, -1) ==
				0);
		CU_ASSERT_FATAL(gnutls_x509_crt_set_key_usage(
					kc->crt, GNUTLS_KEY_KEY_CERT_SIGN |
							 GNUTLS_KEY_CRL_SIGN) ==
				0);
	} else {
		CU_ASSERT_FATAL(gnutls_x509_crt_set_basic_constraints(kc->crt,
								      0, -1) ==
				0);
		CU_ASSERT_FATAL(gnutls_x509_crt_set_key_usage(
					kc->crt,
					GNUTLS_KEY_DIGITAL_SIGNATURE) == 0);
	}
	if (purpose)
		CU_ASSERT_FATAL(gnutls_x509_crt_set_key_purpose_oid(
					kc->crt, purpose, 0) == 0);
	CU_ASSERT_FATAL(gnutls_x509_crt_sign2(kc->crt,
					      ca ? ca->crt : kc->crt,
					      ca ? ca->key : kc->key,
					      GNUTLS_DIG_SHA256, 0) == 0);
}

static void free_kc(struct key_crt *kc)
{
	gnutls_x509_crt_deinit(kc->crt);
	gnutls_x509_privkey_deinit(kc->key);
}

static int ident_of(const struct key_crt *kc, char out[BSF_CERT_ID_MAX + 1])
{
	gnutls_datum_t der;
	int r;

	CU_ASSERT_FATAL(gnutls_x509_crt_export2(kc->crt, GNUTLS_X509_FMT_DER,
						&der) == 0);
	r = bsf_tls_ident(&der, out);
	gnutls_free(der.data);
	return r;
}

/* the refusal reason, "trusted" for NULL */
static const char *verify_of(const struct bsf_tls_trust *t,
			     const struct key_crt *kc)
{
	gnutls_datum_t der;
	const char *why;

	CU_ASSERT_FATAL(gnutls_x509_crt_export2(kc->crt, GNUTLS_X509_FMT_DER,
						&der) == 0);
	why = bsf_tls_trust_verify(t, &der, 1);
	gnutls_free(der.data);
	return why ? why : "trusted";
}

static char long_name[300];

static void test_identity_rule(void)
{
	static const char *const cn_scs1[] = { "scs1.example", NULL };
	static const char *const cn_two[] = { "scs1.example", "scs2.example",
					      NULL };
	static const char *const cn_space[] = { "scs 1.example", NULL };
	struct key_crt ca;
	char id[BSF_CERT_ID_MAX + 1], n255[256], n256[257];
	uint8_t junk[] = { 0x30, 0x03, 0x02, 0x01, 0x00 };
	gnutls_datum_t bad = { junk, sizeof(junk) };
	struct {
		const char *what;
		const char *const *cns;
		struct san sans[4];
		int no_san;
		int want_r;
		const char *want_id;
	} cases[] = {
		{ "SAN dNSName, CN differs", cn_scs1,
		  { { GNUTLS_SAN_DNSNAME, "scs9.example" } }, 0, GBA_OK,
		  "scs9.example" },
		{ "SAN with URI only: CN not used", cn_scs1,
		  { { GNUTLS_SAN_URI, "https://scs1.example/" } }, 0,
		  GBA_ERR_NOT_FOUND, NULL },
		{ "first dNSName over-long: refused, second not tried", cn_scs1,
		  { { GNUTLS_SAN_DNSNAME, long_name },
		    { GNUTLS_SAN_DNSNAME, "scs1.example" } },
		  0, GBA_ERR_NOT_FOUND, NULL },
		{ "first dNSName bad character: refused, second not tried",
		  cn_scs1,
		  { { GNUTLS_SAN_DNSNAME, "bad!name.example" },
		    { GNUTLS_SAN_DNSNAME, "scs1.example" } },
		  0, GBA_ERR_NOT_FOUND, NULL },
		{ "non-DNS entries before the first dNSName", cn_scs1,
		  { { GNUTLS_SAN_URI, "urn:x" },
		    { GNUTLS_SAN_DNSNAME, "scs2.example" },
		    { GNUTLS_SAN_DNSNAME, "scs1.example" } },
		  0, GBA_OK, "scs2.example" },
		{ "255 characters", cn_scs1, { { GNUTLS_SAN_DNSNAME, n255 } },
		  0, GBA_OK, n255 },
		{ "256 characters", cn_scs1, { { GNUTLS_SAN_DNSNAME, n256 } },
		  0, GBA_ERR_NOT_FOUND, NULL },
		{ "no SAN: the CN", cn_scs1, { { 0, NULL } }, 1, GBA_OK,
		  "scs1.example" },
		{ "no SAN, two CNs", cn_two, { { 0, NULL } }, 1,
		  GBA_ERR_NOT_FOUND, NULL },
		{ "no SAN, CN with a space", cn_space, { { 0, NULL } }, 1,
		  GBA_ERR_NOT_FOUND, NULL },
	};
	size_t i;

	memset(long_name, 'a', sizeof(long_name) - 1);
	memset(n255, 'b', 255);
	n255[255] = '\0';
	memset(n256, 'c', 256);
	n256[256] = '\0';
	mk_crt(&ca, (const char *const[]){ "test CA", NULL }, NULL, NULL, NULL,
	       -DAY, DAY);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct key_crt kc;
		int r;

		mk_crt(&kc, cases[i].cns, cases[i].no_san ? NULL : cases[i].sans,
		       GNUTLS_KP_TLS_WWW_CLIENT, &ca, -DAY, DAY);
		r = ident_of(&kc, id);
		if (r != cases[i].want_r ||
		    (cases[i].want_id && strcmp(id, cases[i].want_id)))
			printf("\n  case '%s': r=%d id='%.40s'\n", cases[i].what,
			       r, id);
		CU_ASSERT_EQUAL(r, cases[i].want_r);
		if (cases[i].want_id) {
			CU_ASSERT_STRING_EQUAL(id, cases[i].want_id);
		} else {
			CU_ASSERT_STRING_EQUAL(id, "");
		}
		free_kc(&kc);
	}
	GBA_ASSERT_ERR(bsf_tls_ident(&bad, id), GBA_ERR_MALFORMED);
	free_kc(&ca);
}

static int pem_of(gnutls_x509_crt_t crt, char **out, size_t *len)
{
	gnutls_datum_t d;

	if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d) != 0)
		return -1;
	*out = (char *)d.data;
	*len = d.size;
	return 0;
}

/* a PEM CRL of @ca revoking @revoked (NULL: none), issued @age seconds
 * ago, appended to @path */
static void write_crl(const char *path, const struct key_crt *ca,
		      const struct key_crt *revoked, long age)
{
	gnutls_x509_crl_t crl;
	gnutls_datum_t d;
	FILE *fp;

	CU_ASSERT_FATAL(gnutls_x509_crl_init(&crl) == 0);
	CU_ASSERT_FATAL(gnutls_x509_crl_set_version(crl, 2) == 0);
	CU_ASSERT_FATAL(gnutls_x509_crl_set_this_update(crl, time(NULL) - age) ==
			0);
	CU_ASSERT_FATAL(gnutls_x509_crl_set_next_update(crl, time(NULL) + DAY) ==
			0);
	if (revoked)
		CU_ASSERT_FATAL(gnutls_x509_crl_set_crt(crl, revoked->crt,
							time(NULL) - age) == 0);
	CU_ASSERT_FATAL(gnutls_x509_crl_sign2(crl, ca->crt, ca->key,
					      GNUTLS_DIG_SHA256, 0) == 0);
	CU_ASSERT_FATAL(gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_PEM, &d) ==
			0);
	fp = fopen(path, "ab");
	CU_ASSERT_FATAL(fp != NULL);
	CU_ASSERT_FATAL(fwrite(d.data, 1, d.size, fp) == d.size);
	fclose(fp);
	gnutls_free(d.data);
	gnutls_x509_crl_deinit(crl);
}

static void test_chain(void)
{
	static const struct san dns[] = { { GNUTLS_SAN_DNSNAME, "scs1.example" },
					  { 0, NULL } };
	static const char *const cn[] = { "scs1.example", NULL };
	struct key_crt ca, ca2, other, good, good2, revoked, server, expired,
		future, stranger;
	struct bsf_tls_trust *t = NULL;
	char crl[128], crl_bad[128], crl_new[128], err[256];
	char *ca_pem = NULL, *ca2_pem = NULL, *both;
	size_t ca_len = 0, ca2_len = 0, both_len;

	mk_crt(&ca, (const char *const[]){ "test CA", NULL }, NULL, NULL, NULL,
	       -DAY, DAY);
	mk_crt(&ca2, (const char *const[]){ "test CA 2", NULL }, NULL, NULL,
	       NULL, -DAY, DAY);
	mk_crt(&other, (const char *const[]){ "other CA", NULL }, NULL, NULL,
	       NULL, -DAY, DAY);
	mk_crt(&good2, cn, dns, GNUTLS_KP_TLS_WWW_CLIENT, &ca2, -DAY, DAY);
	mk_crt(&good, cn, dns, GNUTLS_KP_TLS_WWW_CLIENT, &ca, -DAY, DAY);
	mk_crt(&revoked, cn, dns, GNUTLS_KP_TLS_WWW_CLIENT, &ca, -DAY, DAY);
	mk_crt(&server, cn, dns, GNUTLS_KP_TLS_WWW_SERVER, &ca, -DAY, DAY);
	mk_crt(&expired, cn, dns, GNUTLS_KP_TLS_WWW_CLIENT, &ca, -2 * DAY,
	       -DAY);
	mk_crt(&future, cn, dns, GNUTLS_KP_TLS_WWW_CLIENT, &ca, DAY, 2 * DAY);
	mk_crt(&stranger, cn, dns, GNUTLS_KP_TLS_WWW_CLIENT, &other, -DAY,
	       DAY);
	snprintf(crl, sizeof(crl), "/tmp/bsf_tls_crl_%d.pem", (int)getpid());
	snprintf(crl_bad, sizeof(crl_bad), "/tmp/bsf_tls_crl_bad_%d.pem",
		 (int)getpid());
	snprintf(crl_new, sizeof(crl_new), "/tmp/bsf_tls_crl_new_%d.pem",
		 (int)getpid());
	unlink(crl);
	unlink(crl_bad);
	unlink(crl_new);
	/* several CRLs in one file: one per trusted CA */
	write_crl(crl, &ca, &revoked, 60);
	write_crl(crl, &ca2, NULL, 60);
	write_crl(crl_bad, &ca, NULL, 60);
	write_crl(crl_bad, &other, NULL, 60); /* not issued by a trusted CA */
	/* two CRLs of one CA: the newer (thisUpdate) supersedes the older */
	write_crl(crl_new, &ca, &revoked, 120);
	write_crl(crl_new, &ca, NULL, 60);
	CU_ASSERT_FATAL(pem_of(ca.crt, &ca_pem, &ca_len) == 0);
	CU_ASSERT_FATAL(pem_of(ca2.crt, &ca2_pem, &ca2_len) == 0);
	both_len = ca_len + ca2_len;
	both = malloc(both_len);
	CU_ASSERT_FATAL(both != NULL);
	memcpy(both, ca_pem, ca_len);
	memcpy(both + ca_len, ca2_pem, ca2_len);

	/* a CRL of a CA that is not trusted: refused at load, in words */
	err[0] = '\0';
	GBA_ASSERT_ERR(bsf_tls_trust_load(ca_pem, ca_len, crl_bad, &t, err,
					  sizeof(err)),
		       GBA_ERR_CONFIG);
	CU_ASSERT_PTR_NULL(t);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "not issued"));
	GBA_ASSERT_ERR(bsf_tls_trust_load(ca_pem, ca_len, "/nonexistent.pem",
					  &t, err, sizeof(err)),
		       GBA_ERR_IO);

	/* without CRL the revoked certificate passes; with it, it does not */
	GBA_ASSERT_ERR(bsf_tls_trust_load(ca_pem, ca_len, "", &t, err,
					  sizeof(err)),
		       GBA_OK);
	CU_ASSERT_STRING_EQUAL(verify_of(t, &revoked), "trusted");
	bsf_tls_trust_free(t);
	GBA_ASSERT_ERR(bsf_tls_trust_load(both, both_len, crl, &t, err,
					  sizeof(err)),
		       GBA_OK);
	CU_ASSERT_STRING_EQUAL(verify_of(t, &good), "trusted");
	CU_ASSERT_STRING_EQUAL(verify_of(t, &good2), "trusted");
	CU_ASSERT_STRING_EQUAL(verify_of(t, &revoked), "revoked");
	CU_ASSERT_STRING_EQUAL(verify_of(t, &server), "bad_purpose");
	CU_ASSERT_STRING_EQUAL(verify_of(t, &expired), "expired");
	CU_ASSERT_STRING_EQUAL(verify_of(t, &future), "not_yet_valid");
	CU_ASSERT_STRING_EQUAL(verify_of(t, &stranger), "untrusted");
	CU_ASSERT_STRING_EQUAL(bsf_tls_trust_verify(t, NULL, 0), "no_cert");
	bsf_tls_trust_free(t);
	GBA_ASSERT_ERR(bsf_tls_trust_load(ca_pem, ca_len, crl_new, &t, err,
					  sizeof(err)),
		       GBA_OK);
	CU_ASSERT_STRING_EQUAL(verify_of(t, &revoked), "trusted");
	bsf_tls_trust_free(t);

	free(both);
	gnutls_free(ca_pem);
	gnutls_free(ca2_pem);
	unlink(crl);
	unlink(crl_bad);
	unlink(crl_new);
	free_kc(&ca);
	free_kc(&ca2);
	free_kc(&good2);
	free_kc(&other);
	free_kc(&good);
	free_kc(&revoked);
	free_kc(&server);
	free_kc(&expired);
	free_kc(&future);
	free_kc(&stranger);
}

int main(void)
{
	CU_TestInfo tests[] = {
		{ "identity rule (RFC 6125, one rule)", test_identity_rule },
		{ "chain: CA, CRL, purpose, validity", test_chain },
		CU_TEST_INFO_NULL,
	};
	int rc;

	gnutls_global_init();
	rc = gba_test_run("tls_ident", tests);
	gnutls_global_deinit();
	return rc;
}
