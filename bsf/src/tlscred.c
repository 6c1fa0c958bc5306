/* see tlscred.h */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <gnutls/x509.h>
#include "gba/err.h"
#include "tls_ident.h"
#include "tlscred.h"

struct bsf_tlscred {
	atomic_uint refs;
	gnutls_certificate_credentials_t gc;
	long long not_after;
	struct bsf_tls_trust *trust; /* [tls] ca + [tls] crl */
};

/* the whole (small) PEM file @path, NUL-terminated */
static int read_text(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	long n;

	*out = NULL;
	if (!f)
		return GBA_ERR_IO;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || n > (1L << 24) ||
	    fseek(f, 0, SEEK_SET) || !(b = malloc((size_t)n + 1)) ||
	    fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		fclose(f);
		return GBA_ERR_IO;
	}
	fclose(f);
	b[n] = '\0';
	*out = b;
	*len = (size_t)n;
	return GBA_OK;
}

int bsf_tlscred_load(const char *cert, const char *key, const char *ca,
		     const char *crl, struct bsf_tlscred **out, char *err,
		     size_t err_len)
{
	struct bsf_tlscred *c;
	gnutls_x509_crt_t *crts = NULL;
	unsigned int ncrts = 0, i;
	char *ca_pem = NULL;
	size_t ca_len = 0;
	int g, r;

	*out = NULL;
	if (!(c = calloc(1, sizeof(*c))))
		return GBA_ERR_NOMEM;
	atomic_init(&c->refs, 1);
	if (gnutls_certificate_allocate_credentials(&c->gc) !=
	    GNUTLS_E_SUCCESS) {
		free(c);
		return GBA_ERR_NOMEM;
	}
	/* GnuTLS checks that the key belongs to the certificate */
	g = gnutls_certificate_set_x509_key_file2(c->gc, cert, key,
						  GNUTLS_X509_FMT_PEM, NULL, 0);
	if (g < 0) {
		snprintf(err, err_len, "[tls] cert '%s' / key '%s': %s", cert,
			 key, gnutls_strerror(g));
		goto fail;
	}
	if (ca && *ca) {
		g = gnutls_certificate_set_x509_trust_file(
			c->gc, ca, GNUTLS_X509_FMT_PEM);
		if (g <= 0) {
			snprintf(err, err_len, "[tls] ca '%s': %s", ca,
				 g == 0 ? "no certificate in the file"
					: gnutls_strerror(g));
			goto fail;
		}
	}
	/* the verification list of every handshake: CA and CRLs */
	if (read_text(ca ? ca : "", &ca_pem, &ca_len) != GBA_OK) {
		snprintf(err, err_len, "[tls] ca '%s': cannot read the file",
			 ca ? ca : "");
		goto fail;
	}
	r = bsf_tls_trust_load(ca_pem, ca_len, crl ? crl : "", &c->trust, err,
			       err_len);
	free(ca_pem);
	if (r != GBA_OK) {
		gnutls_certificate_free_credentials(c->gc);
		free(c);
		return r;
	}
	if (gnutls_certificate_get_x509_crt(c->gc, 0, &crts, &ncrts) ==
		    GNUTLS_E_SUCCESS &&
	    ncrts > 0) {
		c->not_after = (long long)gnutls_x509_crt_get_expiration_time(
			crts[0]);
		for (i = 0; i < ncrts; i++)
			gnutls_x509_crt_deinit(crts[i]);
		gnutls_free(crts);
	}
	*out = c;
	return GBA_OK;
fail:
	gnutls_certificate_free_credentials(c->gc);
	free(c);
	return GBA_ERR_CONFIG;
}

struct bsf_tlscred *bsf_tlscred_get(struct bsf_tlscred *c)
{
	atomic_fetch_add(&c->refs, 1);
	return c;
}

void bsf_tlscred_put(struct bsf_tlscred *c)
{
	if (!c || atomic_fetch_sub(&c->refs, 1) != 1)
		return;
	/* frees the private key too (GnuTLS wipes it) */
	gnutls_certificate_free_credentials(c->gc);
	bsf_tls_trust_free(c->trust);
	free(c);
}

int bsf_tlscred_apply(struct bsf_tlscred *c, gnutls_session_t s)
{
	return gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, c->gc);
}

long long bsf_tlscred_not_after(const struct bsf_tlscred *c)
{
	return c ? c->not_after : 0;
}

const struct bsf_tls_trust *bsf_tlscred_trust(const struct bsf_tlscred *c)
{
	return c ? c->trust : NULL;
}
