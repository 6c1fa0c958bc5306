/*
 * test_bsf_nfkc - TS 33.220 Annex B.2.1 in the BSF: a subscriber whose
 * IMPI was provisioned in decomposed form ("use" U+0301 "r@example.org")
 * is stored, derived with and returned in its NFKC form.
 *
 * The expected Ks_NAF uses the NFKC octets from Debian's /usr/bin/python3
 * (unicodedata.normalize("NFKC", ...).encode("utf-8")) as a literal, CK/IK
 * from Milenage (TS 35.208 set 1 K/OPc, checked against TS 35.208 in
 * test_milenage) and the B.3 KDF (checked against Python hmac in
 * test_kdf).  RAND is the one the BSF put into the GPI.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gba/gpi.h"
#include "gba/kdf.h"
#include "gba/milenage.h"
#include "bsf_fixture.h"
#include "gba_test.h"
#include "hss.h"
#include "push.h"
#include "req.h"
#include "store.h"

static void test_push_nfkc_impi(void)
{
	/* NFKC of "use\u0301r@example.org" (Python): U+00E9 composed */
	static const char nfkc_impi[] = "us\xc3\xa9r@example.org";
	static const uint8_t ua[5] = {1, 0, 0, 0, 5};
	static struct bsf_fixture f;
	struct bsf_store *st;
	struct bsf_sub s;
	static struct bsf_naf naf;
	static struct bsf_push_req req;
	static struct bsf_push_res res;
	struct gba_gpi_info gi;
	struct gba_milenage_out mo;
	uint8_t k[16], opc[16], ks[32], exp[32], naf_id[GBA_NAF_ID_MAX];
	const char *field;
	int64_t sub_id = 0;
	size_t nl;

	bsf_fixture_open(&f, "test_bsf_nfkc");
	st = f.st;

	gba_test_unhex("465b5ce8b199b49faa5f0a2ee238a6bc", k, 16);
	gba_test_unhex("cd63cb71954a9f4e48a5994e37a02baf", opc, 16);
	memset(&s, 0, sizeof(s));
	snprintf(s.impi, sizeof(s.impi), "use\xcc\x81r@example.org");
	s.n_impus = 1;
	snprintf(s.impus[0], sizeof(s.impus[0]), "tel:+15550000042");
	s.key.alg = GBA_ALG_MILENAGE;
	s.key.k_len = 16;
	memcpy(s.key.k, k, 16);
	memcpy(s.key.opc, opc, 16);
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, NULL, 0, &sub_id), GBA_OK);
	/* the composed spelling is now the same subscriber */
	snprintf(s.impi, sizeof(s.impi), "%s", nfkc_impi);
	snprintf(s.impus[0], sizeof(s.impus[0]), "tel:+15550000043");
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, NULL, 0, NULL),
		       GBA_ERR_EXISTS);
	/* ill-formed UTF-8 is refused with its own code */
	snprintf(s.impi, sizeof(s.impi), "us\xe9r@example.org");
	snprintf(s.impus[0], sizeof(s.impus[0]), "tel:+15550000044");
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, NULL, 0, NULL),
		       GBA_ERR_BAD_UTF8);
	bsf_sub_clear(&s);
	/* lookups by IMPI normalise too: either spelling finds it */
	GBA_ASSERT_ERR(bsf_store_sub_get(st, "use\xcc\x81r@example.org",
					 BSF_ID_PRIVATE, 0, &s),
		       GBA_OK);
	CU_ASSERT_STRING_EQUAL(s.impi, nfkc_impi);
	bsf_sub_clear(&s);
	GBA_ASSERT_ERR(bsf_store_sub_get(st, nfkc_impi, BSF_ID_ANY, 0, &s),
		       GBA_OK);
	CU_ASSERT_EQUAL(s.id, sub_id);
	bsf_sub_clear(&s);
	GBA_ASSERT_ERR(bsf_store_sub_get(st, "us\xe9r@example.org",
					 BSF_ID_PRIVATE, 0, &s),
		       GBA_ERR_MALFORMED);

	bsf_fixture_naf(&f, ua, 1, sub_id, &naf);
	bsf_fixture_req(&req, "tel:+15550000042", BSF_UEID_PUBLIC, ua);
	req.private_id_request = 1;

	CU_ASSERT_EQUAL_FATAL(bsf_push_handle(&f.ctx, &naf, &req, &res, &field),
			      BSF_PB_OK);
	/* the IMPI leaves the BSF in NFKC form */
	CU_ASSERT_EQUAL(res.has_impi, 1);
	CU_ASSERT_STRING_EQUAL(res.impi, nfkc_impi);
	/* Ks_NAF = KDF(CK || IK, "gba-me", RAND, NFKC IMPI, NAF_Id) */
	GBA_ASSERT_ERR(gba_gpi_decode(res.gpi, res.gpi_len, &gi), GBA_OK);
	GBA_ASSERT_ERR(gba_milenage(k, opc, gi.rand, NULL, NULL,
				    GBA_MILENAGE_F3 | GBA_MILENAGE_F4, &mo),
		       GBA_OK);
	gba_ks_from_ck_ik(mo.ck, mo.ik, ks);
	GBA_ASSERT_ERR(gba_naf_id("naf.example.com", ua, naf_id, &nl), GBA_OK);
	GBA_ASSERT_ERR(gba_kdf_naf_key(ks, 0, gi.rand,
				       (const uint8_t *)nfkc_impi,
				       strlen(nfkc_impi), naf_id, nl, exp),
		       GBA_OK);
	GBA_ASSERT_HEX_EQ(res.me_key, exp, 32);
	bsf_push_res_clear(&res);

	bsf_fixture_close(&f);
}

GBA_TEST_MAIN("bsf_nfkc",
	{"decomposed IMPI: stored, derived, returned as NFKC",
	 test_push_nfkc_impi})
