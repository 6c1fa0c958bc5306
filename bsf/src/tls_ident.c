/* see tls_ident.h */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/x509-ext.h>
#include "tls_ident.h"

#define TLS_CHAIN_MAX 8
#define CRL_FILE_MAX (16 * 1024 * 1024)

struct bsf_tls_trust {
	gnutls_x509_trust_list_t tl;
};

void bsf_tls_trust_free(struct bsf_tls_trust *t)
{
	if (!t)
		return;
	if (t->tl)
		gnutls_x509_trust_list_deinit(t->tl, 1);
	free(t);
}

/* how many CRLs the PEM file holds (to see that each one was accepted) */
static int count_crls(const gnutls_datum_t *pem, unsigned *n)
{
	gnutls_x509_crl_t *list = NULL;
	unsigned i;
	int r;

	*n = 0;
	r = gnutls_x509_crl_list_import2(&list, n, pem, GNUTLS_X509_FMT_PEM,
					 0);
	if (r < 0)
		return r;
	for (i = 0; i < *n; i++)
		gnutls_x509_crl_deinit(list[i]);
	gnutls_free(list);
	return 0;
}

int bsf_tls_trust_load(const char *ca_pem, size_t ca_len,
		       const char *crl_path, struct bsf_tls_trust **out,
		       char *err, size_t err_len)
{
	struct bsf_tls_trust *t;
	gnutls_datum_t ca = { (unsigned char *)(uintptr_t)ca_pem,
			      (unsigned)ca_len };
	gnutls_datum_t crl = { NULL, 0 };
	unsigned n_crl = 0;
	int r;

	*out = NULL;
	if (!(t = calloc(1, sizeof(*t))))
		return GBA_ERR_NOMEM;
	if (gnutls_x509_trust_list_init(&t->tl, 0) < 0) {
		free(t);
		return GBA_ERR_NOMEM;
	}
	r = gnutls_x509_trust_list_add_trust_mem(t->tl, &ca, NULL,
						 GNUTLS_X509_FMT_PEM, 0, 0);
	if (r <= 0) {
		snprintf(err, err_len, "[tls] ca: no CA certificate: %s",
			 r < 0 ? gnutls_strerror(r) : "none in the file");
		r = GBA_ERR_CONFIG;
		goto fail;
	}
	if (crl_path && *crl_path) {
		r = gnutls_load_file(crl_path, &crl);
		if (r < 0) {
			snprintf(err, err_len, "[tls] crl: cannot read %s: %s",
				 crl_path, gnutls_strerror(r));
			r = GBA_ERR_IO;
			goto fail;
		}
		r = count_crls(&crl, &n_crl);
		if (r < 0 || n_crl == 0) {
			snprintf(err, err_len, "[tls] crl: %s: %s", crl_path,
				 r < 0 ? gnutls_strerror(r)
				       : "no CRL in the file");
			r = GBA_ERR_CONFIG;
			goto fail;
		}
		/* GNUTLS_TL_VERIFY_CRL: a CRL not signed by a trusted CA is
		 * dropped; then the count differs and the start fails */
		r = gnutls_x509_trust_list_add_trust_mem(
			t->tl, NULL, &crl, GNUTLS_X509_FMT_PEM,
			GNUTLS_TL_VERIFY_CRL, 0);
		if (r < 0 || (unsigned)r != n_crl) {
			snprintf(err, err_len,
				 "[tls] crl: %s: %u of %u CRLs are not issued "
				 "by a CA of [tls] ca (or do not verify)",
				 crl_path, r < 0 ? n_crl : n_crl - (unsigned)r,
				 n_crl);
			r = GBA_ERR_CONFIG;
			goto fail;
		}
		gnutls_free(crl.data);
	}
	*out = t;
	return GBA_OK;
fail:
	gnutls_free(crl.data);
	bsf_tls_trust_free(t);
	return r;
}

const char *bsf_tls_trust_verify(const struct bsf_tls_trust *t,
				 const gnutls_datum_t *certs, unsigned n)
{
	gnutls_x509_crt_t crts[TLS_CHAIN_MAX];
	gnutls_typed_vdata_st vd = { GNUTLS_DT_KEY_PURPOSE_OID,
				     (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT,
				     0 };
	unsigned status = 0, i, k = 0;
	const char *why = "other";

	if (!t)
		return "other"; /* no credentials attached to the session */
	if (!certs || n == 0)
		return "no_cert";
	if (n > TLS_CHAIN_MAX)
		return "untrusted";
	for (k = 0; k < n; k++) {
		if (gnutls_x509_crt_init(&crts[k]) < 0)
			goto out;
		if (gnutls_x509_crt_import(crts[k], &certs[k],
					   GNUTLS_X509_FMT_DER) < 0) {
			gnutls_x509_crt_deinit(crts[k]);
			why = "untrusted";
			goto out;
		}
	}
	if (gnutls_x509_trust_list_verify_crt2(t->tl, crts, n, &vd, 1, 0,
					       &status, NULL) < 0)
		goto out;
	/* most specific cause first: a revoked certificate is "revoked"
	 * whatever else is wrong with it */
	if (status == 0)
		why = NULL;
	else if (status & GNUTLS_CERT_REVOKED)
		why = "revoked";
	else if (status &
		 (GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_SIGNER_NOT_CA |
		  GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_INSECURE_ALGORITHM))
		why = "untrusted";
	else if (status & GNUTLS_CERT_EXPIRED)
		why = "expired";
	else if (status & GNUTLS_CERT_NOT_ACTIVATED)
		why = "not_yet_valid";
	else if (status & GNUTLS_CERT_PURPOSE_MISMATCH)
		why = "bad_purpose";
out:
	for (i = 0; i < k; i++)
		gnutls_x509_crt_deinit(crts[i]);
	return why;
}

static int id_char_ok(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' ||
	       ch == '_' || ch == '@' || ch == ':' || ch == '*';
}

/* the length and character rule, for a dNSName and a CN alike */
static int take_name(const unsigned char *p, size_t len,
		     char out[BSF_CERT_ID_MAX + 1])
{
	size_t i;

	if (len == 0 || len > BSF_CERT_ID_MAX)
		return GBA_ERR_NOT_FOUND;
	for (i = 0; i < len; i++)
		if (!id_char_ok(p[i]))
			return GBA_ERR_NOT_FOUND;
	memcpy(out, p, len);
	out[len] = '\0';
	return GBA_OK;
}

/* subjectAltName present: the first dNSName, nothing else */
static int ident_san(const gnutls_datum_t *ext, char out[BSF_CERT_ID_MAX + 1])
{
	gnutls_subject_alt_names_t sans;
	gnutls_datum_t v;
	unsigned i, type;
	int r = GBA_ERR_NOT_FOUND;

	if (gnutls_subject_alt_names_init(&sans) < 0)
		return GBA_ERR_NOMEM;
	if (gnutls_x509_ext_import_subject_alt_names(ext, sans, 0) < 0) {
		r = GBA_ERR_MALFORMED;
		goto out;
	}
	for (i = 0;; i++) {
		if (gnutls_subject_alt_names_get(sans, i, &type, &v, NULL) < 0)
			break;
		if (type != GNUTLS_SAN_DNSNAME)
			continue;
		r = take_name(v.data, v.size, out);
		break;
	}
out:
	gnutls_subject_alt_names_deinit(sans);
	return r;
}

int bsf_tls_ident(const gnutls_datum_t *der, char out[BSF_CERT_ID_MAX + 1])
{
	gnutls_x509_crt_t crt;
	gnutls_datum_t ext = { NULL, 0 };
	char cn[BSF_CERT_ID_MAX + 2];
	size_t n;
	unsigned critical = 0;
	int r;

	out[0] = '\0';
	if (gnutls_x509_crt_init(&crt) < 0)
		return GBA_ERR_NOMEM;
	if (gnutls_x509_crt_import(crt, der, GNUTLS_X509_FMT_DER) < 0) {
		r = GBA_ERR_MALFORMED;
		goto out;
	}
	r = gnutls_x509_crt_get_extension_by_oid2(crt, GNUTLS_X509EXT_OID_SAN,
						  0, &ext, &critical);
	if (r == 0) {
		r = ident_san(&ext, out);
		gnutls_free(ext.data);
		goto out;
	}
	if (r != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
		r = GBA_ERR_MALFORMED;
		goto out;
	}
	/* no subjectAltName: exactly one CN */
	n = sizeof(cn);
	if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 1,
					  0, cn, &n) !=
	    GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
		r = GBA_ERR_NOT_FOUND;
		goto out;
	}
	n = sizeof(cn);
	if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0,
					  0, cn, &n) != GNUTLS_E_SUCCESS ||
	    strlen(cn) != n) {
		r = GBA_ERR_NOT_FOUND;
		goto out;
	}
	r = take_name((const unsigned char *)cn, n, out);
out:
	gnutls_x509_crt_deinit(crt);
	return r;
}

int bsf_tls_check_keypair(const char *cert_pem, const char *key_pem,
			  size_t key_len, char *err, size_t err_len)
{
	gnutls_certificate_credentials_t cred;
	gnutls_datum_t cert = { (unsigned char *)(uintptr_t)cert_pem,
				(unsigned)strlen(cert_pem) };
	gnutls_datum_t key = { (unsigned char *)(uintptr_t)key_pem,
			       (unsigned)key_len };
	int r;

	if (gnutls_certificate_allocate_credentials(&cred) < 0)
		return GBA_ERR_NOMEM;
	/* also checks that the key matches the certificate's public key */
	r = gnutls_certificate_set_x509_key_mem2(cred, &cert, &key,
						 GNUTLS_X509_FMT_PEM, NULL, 0);
	gnutls_certificate_free_credentials(cred);
	if (r < 0) {
		snprintf(err, err_len, "[tls] cert / key: %s",
			 gnutls_strerror(r));
		return GBA_ERR_CONFIG;
	}
	return GBA_OK;
}
