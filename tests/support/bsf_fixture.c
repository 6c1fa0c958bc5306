/* see bsf_fixture.h */
#include <stdio.h>
#include <string.h>
#include <libpq-fe.h>
#include "bsf_fixture.h"
#include "gba_test.h"

void bsf_fixture_open(struct bsf_fixture *f, const char *prefix)
{
	struct bsf_hss_cfg cfg;

	memset(f, 0, sizeof(*f));
	gba_test_tmpdir(f->dir, sizeof(f->dir), prefix);
	snprintf(f->path, sizeof(f->path), "%s/store.db", f->dir);
	GBA_ASSERT_ERR(bsf_store_open(f->path, BSF_STORE_CREATE, &f->st),
		       GBA_OK);
	CU_ASSERT_FATAL(f->st != NULL);
	bsf_hss_cfg_default(&cfg);
	GBA_ASSERT_ERR(bsf_hss_open(f->st, &cfg, &f->h), GBA_OK);
	CU_ASSERT_FATAL(f->h != NULL);
	f->ctx.st = f->st;
	f->ctx.hss = f->h;
	f->ctx.lifetime_max = 86400;
	f->ctx.lifetime_default = 3600;
}

void bsf_fixture_naf(struct bsf_fixture *f, const uint8_t ua[5],
		     int allow_impi, int64_t sub_id, struct bsf_naf *naf)
{
	int64_t id = 0;

	memset(naf, 0, sizeof(*naf));
	snprintf(naf->name, sizeof(naf->name), "scs1");
	snprintf(naf->cert_id, sizeof(naf->cert_id), "scs1.example");
	naf->n_naf_ids = 1;
	naf->allow_impi = allow_impi;
	snprintf(naf->naf_ids[0].fqdn, sizeof(naf->naf_ids[0].fqdn),
		 "naf.example.com");
	memcpy(naf->naf_ids[0].ua, ua, 5);
	GBA_ASSERT_ERR(bsf_store_naf_add(f->st, naf, &id), GBA_OK);
	naf->id = id;
	GBA_ASSERT_ERR(bsf_store_assoc_add(f->st, id, sub_id), GBA_OK);
}

void bsf_fixture_req(struct bsf_push_req *req, const char *ue_id,
		     enum bsf_ue_id_type type, const uint8_t ua[5])
{
	memset(req, 0, sizeof(*req));
	snprintf(req->ue_id, sizeof(req->ue_id), "%s", ue_id);
	req->ue_id_len = strlen(req->ue_id);
	req->ue_id_type = type;
	snprintf(req->naf_fqdn, sizeof(req->naf_fqdn), "naf.example.com");
	memcpy(req->ua_id, ua, 5);
	snprintf(req->p_tid, sizeof(req->p_tid), "pt");
	req->p_tid_len = 2;
}

int64_t bsf_fixture_sub(struct bsf_store *st, const char *impi, uint64_t sqn,
			const char *amf_hex, const char *guss)
{
	struct bsf_sub s;
	int64_t id = 0;

	memset(&s, 0, sizeof(s));
	snprintf(s.impi, sizeof(s.impi), "%s", impi);
	s.key.alg = GBA_ALG_MILENAGE;
	s.key.k_len = 16;
	gba_test_unhex("465b5ce8b199b49faa5f0a2ee238a6bc", s.key.k, 16);
	gba_test_unhex("cd63cb71954a9f4e48a5994e37a02baf", s.key.opc, 16);
	if (amf_hex)
		gba_test_unhex(amf_hex, s.amf, 2);
	s.sqn = sqn;
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, guss, guss ? strlen(guss) : 0,
					 &id),
		       GBA_OK);
	bsf_sub_clear(&s);
	return id;
}

void bsf_fixture_close(struct bsf_fixture *f)
{
	bsf_hss_close(f->h);
	bsf_store_close(f->st);
	gba_test_rmtree(f->dir);
}

void bsf_fixture_pg_reset(const char *uri)
{
	PGconn *c = PQconnectdb(uri);
	PGresult *r;

	CU_ASSERT_FATAL(PQstatus(c) == CONNECTION_OK);
	r = PQexec(c, "SET client_min_messages = warning;"
		      " DROP SCHEMA public CASCADE; CREATE SCHEMA public");
	CU_ASSERT(PQresultStatus(r) == PGRES_COMMAND_OK);
	PQclear(r);
	PQfinish(c);
}
