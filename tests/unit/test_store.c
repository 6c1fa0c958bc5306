/*
 * The BSF subscriber store (bsf/src/store.h) and GUSS parser (guss.h):
 * schema creation and migration, CRUD, associations, identity resolution,
 * GUSS hardening.  Every store lives in a fresh temporary directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include "gba/crypto.h"
#include "gba/sqn.h"
#include "gba_test.h"
#include "guss.h"
#include "store.h"
#include "store_schema.h"

static char dir[64];
static char path[128];
/*
 * The backend under test: SQLite files in a temporary directory, or,
 * with GBA_TEST_STORE_URI set to a libpq URI, a PostgreSQL database whose
 * public schema is emptied before each test (tests/e2e/store_unit_pg.sh
 * starts a throwaway cluster and runs this program against it).
 */
static const char *pg_uri;

static const char *loc(void)
{
	return pg_uri ? pg_uri : path;
}

/* run SQL on the PostgreSQL database under test; the first column of the
 * first row into @out (may be NULL) */
static void pg_run(const char *sql, char *out, size_t cap)
{
	PGconn *c = PQconnectdb(pg_uri);
	PGresult *r;

	CU_ASSERT_FATAL(PQstatus(c) == CONNECTION_OK);
	r = PQexec(c, sql);
	CU_ASSERT(PQresultStatus(r) == PGRES_COMMAND_OK ||
		  PQresultStatus(r) == PGRES_TUPLES_OK);
	if (out) {
		out[0] = '\0';
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
			snprintf(out, cap, "%s", PQgetvalue(r, 0, 0));
	}
	PQclear(r);
	PQfinish(c);
}

static void tmp_setup(void)
{
	gba_test_tmpdir(dir, sizeof(dir), "test_store");
	snprintf(path, sizeof(path), "%s/store.db", dir);
	if (pg_uri)
		pg_run("SET client_min_messages = warning;"
		       " DROP SCHEMA public CASCADE; CREATE SCHEMA public",
		       NULL, 0);
}

static void tmp_cleanup(void)
{
	gba_test_rmtree(dir);
}

static struct bsf_store *new_store(void)
{
	struct bsf_store *st = NULL;

	tmp_setup();
	GBA_ASSERT_ERR(bsf_store_open(loc(), BSF_STORE_CREATE, &st), GBA_OK);
	CU_ASSERT_FATAL(st != NULL);
	return st;
}

static const char guss_ok[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<guss xmlns=\"uri:3gpp-gba\">\n"
	" <bsfInfo><uiccType>GBA_U</uiccType><lifeTime>3600</lifeTime>"
	"</bsfInfo>\n"
	" <ussList>\n"
	"  <uss id=\"1\" type=\"1\" nafGroup=\"scs\">"
	"<uids><uid>sip:alice@example.org</uid></uids>"
	"<flags><flag>1</flag><flag>2</flag></flags></uss>\n"
	"  <uss id=\"42\"><uids><uid>tel:+15550100</uid></uids></uss>\n"
	" </ussList>\n"
	"</guss>\n";

static void sub_fill(struct bsf_sub *s, const char *impi, const char *imsi)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->impi, sizeof(s->impi), "%s", impi);
	snprintf(s->imsi, sizeof(s->imsi), "%s", imsi);
	s->key.alg = GBA_ALG_MILENAGE;
	s->key.k_len = 16;
	gba_test_unhex("465b5ce8b199b49faa5f0a2ee238a6bc", s->key.k, 16);
	gba_test_unhex("cd63cb71954a9f4e48a5994e37a02baf", s->key.opc, 16);
	s->amf[0] = 0x00;
	s->amf[1] = 0x00;
}

static void naf_fill(struct bsf_naf *n, const char *name, const char *cert)
{
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name);
	snprintf(n->cert_id, sizeof(n->cert_id), "%s", cert);
	n->n_naf_ids = 2;
	snprintf(n->naf_ids[0].fqdn, sizeof(n->naf_ids[0].fqdn),
		 "NAF.Example.com");
	memcpy(n->naf_ids[0].ua, "\x01\x00\x00\x00\x05", 5);
	snprintf(n->naf_ids[1].fqdn, sizeof(n->naf_ids[1].fqdn),
		 "push.example.com");
	memcpy(n->naf_ids[1].ua, "\xff\x00\x00\x00\x01", 5);
	n->allow_impi = 1;
	n->rate = 100;
}

/* a Push-NAF @name (certificate @cert, naf_fill()) added to @st; its row */
static int64_t naf_add(struct bsf_store *st, const char *name,
		       const char *cert)
{
	struct bsf_naf n;
	int64_t id = 0;

	naf_fill(&n, name, cert);
	GBA_ASSERT_ERR(bsf_store_naf_add(st, &n, &id), GBA_OK);
	return id;
}

/* Raw check of a PRAGMA / query on the file, outside the store API. */
static void raw_text(const char *sql, char *out, size_t cap)
{
	sqlite3 *db;
	sqlite3_stmt *s;

	out[0] = '\0';
	if (pg_uri) {
		pg_run(sql, out, cap);
		return;
	}
	CU_ASSERT_FATAL(sqlite3_open(path, &db) == SQLITE_OK);
	CU_ASSERT_FATAL(sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(out, cap, "%s",
			 (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void raw_exec(const char *sql)
{
	sqlite3 *db;

	if (pg_uri) {
		pg_run(sql, NULL, 0);
		return;
	}
	CU_ASSERT_FATAL(sqlite3_open(path, &db) == SQLITE_OK);
	CU_ASSERT_EQUAL(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_create(void)
{
	struct bsf_store *st = NULL;
	char buf[64];
	int v = 0;

	tmp_setup();
	GBA_ASSERT_ERR(bsf_store_open(loc(), 0, &st), GBA_ERR_NOT_FOUND);
	CU_ASSERT_PTR_NULL(st);
	GBA_ASSERT_ERR(bsf_store_open(loc(), BSF_STORE_CREATE, &st), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_schema_version(st, &v), GBA_OK);
	CU_ASSERT_EQUAL(v, BSF_STORE_SCHEMA_VERSION);
	CU_ASSERT_EQUAL(v, 2);
	bsf_store_close(st);
	if (!pg_uri) {
		raw_text("PRAGMA journal_mode", buf, sizeof(buf));
		CU_ASSERT_STRING_EQUAL(buf, "wal");
	}
	/* reopen without CREATE: same version, nothing re-run */
	GBA_ASSERT_ERR(bsf_store_open(loc(), 0, &st), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_schema_version(st, &v), GBA_OK);
	CU_ASSERT_EQUAL(v, 2);
	bsf_store_close(st);
	/* read-only: lookups work, writes are refused */
	{
		struct bsf_sub s;

		GBA_ASSERT_ERR(bsf_store_open(loc(), BSF_STORE_READONLY, &st),
			       GBA_OK);
		GBA_ASSERT_ERR(bsf_store_schema_version(st, &v), GBA_OK);
		CU_ASSERT_EQUAL(v, 2);
		sub_fill(&s, "ro@ims.example", "");
		GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, NULL, 0, NULL),
			       GBA_ERR_DB);
		bsf_sub_clear(&s);
		bsf_store_close(st);
		GBA_ASSERT_ERR(
			bsf_store_open(loc(),
				       BSF_STORE_READONLY | BSF_STORE_CREATE,
				       &st),
			GBA_ERR_BAD_PARAM);
	}
	/* a file from the future is refused */
	raw_exec("UPDATE schema_version SET version = 99");
	GBA_ASSERT_ERR(bsf_store_open(loc(), 0, &st), GBA_ERR_VERSION);
	CU_ASSERT_PTR_NULL(st);
	bsf_store_close(NULL);
	tmp_cleanup();
}

/*
 * A version-1 file written by hand (the v1 layout as released: SQN in
 * subscriber.sqn, GUSS only as text, no labels): opening migrates it.
 */
static void test_migrate_v1(void)
{
	struct bsf_store *st = NULL;
	struct bsf_gba_params p;
	struct bsf_sub s;
	int64_t id = 0;
	char sql[4096];
	int v = 0;

	if (pg_uri) {
		printf("(SQLite file layout v1: not run on PostgreSQL) ");
		return;
	}
	tmp_setup();
	snprintf(sql, sizeof(sql),
		 /* the SQLite layout v1 as store.c created it */
		 BSF_SQ_SCHEMA_V1
		 "INSERT INTO subscriber(impi, imsi, alg, k, opc, sqn, guss)"
		 " VALUES('old@ims.example', '001010000000077', 1,"
		 " '465b5ce8b199b49faa5f0a2ee238a6bc',"
		 " 'cd63cb71954a9f4e48a5994e37a02baf', 1000, '%s');"
		 "INSERT INTO impu VALUES('tel:+15550177', 1);",
		 guss_ok);
	raw_exec(sql);

	GBA_ASSERT_ERR(bsf_store_open(path, 0, &st), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_schema_version(st, &v), GBA_OK);
	CU_ASSERT_EQUAL(v, 2);
	GBA_ASSERT_ERR(bsf_store_resolve(st, "tel:+15550177", 13, BSF_ID_PUBLIC,
					 &id, NULL, 0),
		       GBA_OK);
	CU_ASSERT_EQUAL(id, 1);
	/* the GUSS was parsed into USS rows, uiccType GBA_U applied */
	GBA_ASSERT_ERR(bsf_store_gba_params(st, id, 0, &p), GBA_OK);
	CU_ASSERT_EQUAL(p.gba_u, 1);
	CU_ASSERT_EQUAL(p.n_uss, 2);
	CU_ASSERT_STRING_EQUAL(p.uss[1].gsid, "42");
	bsf_gba_params_clear(&p);
	/* old sqn 1000 = SEQ 31 || IND 8 (5 IND bits); only SEQ is kept, and
	 * with no AuC run yet it is reported as SEQ || 0 = 992 */
	GBA_ASSERT_ERR(bsf_store_sub_get_id(st, id, 0, &s), GBA_OK);
	CU_ASSERT_EQUAL(s.sqn, 992);
	bsf_sub_clear(&s);
	bsf_store_close(st);
	tmp_cleanup();
}

static int count_cb(void *arg, const struct bsf_naf *n)
{
	(void)n;
	(*(int *)arg)++;
	return 0;
}

/* Ua security protocol ids (5 octets, TS 33.220 Annex H): the Generic Push
 * Layer (TS 33.224), HTTP Digest (TS 24.109), a private one */
#define UA_GPL "\x01\x00\x00\x00\x05"
#define UA_DIGEST "\x01\x00\x00\x00\x02"
#define UA_PRIVATE "\xff\x00\x00\x00\x01"

/* bsf_naf_allows() of @n for NAF FQDN @fqdn and Ua security protocol @ua */
static int naf_allows(const struct bsf_naf *n, const char *fqdn,
		      const char *ua)
{
	return bsf_naf_allows(n, fqdn, strlen(fqdn), (const uint8_t *)ua);
}

static void test_naf(void)
{
	struct bsf_store *st = new_store();
	struct bsf_naf n, got;
	int64_t id = 0, id2 = 0;
	int cnt = 0;

	naf_fill(&n, "scs-a", "scs-a.example.com");
	GBA_ASSERT_ERR(bsf_store_naf_add(st, &n, &id), GBA_OK);
	CU_ASSERT(id > 0);
	GBA_ASSERT_ERR(bsf_store_naf_add(st, &n, &id2), GBA_ERR_EXISTS);
	CU_ASSERT_EQUAL(id2, 0);
	naf_fill(&n, "scs-b", "SCS-A.example.com"); /* cert ids are DNS */
	GBA_ASSERT_ERR(bsf_store_naf_add(st, &n, NULL), GBA_ERR_EXISTS);
	naf_fill(&n, "", "x.example.com");
	GBA_ASSERT_ERR(bsf_store_naf_add(st, &n, NULL), GBA_ERR_BAD_PARAM);
	naf_fill(&n, "scs-c", "c.example.com");
	snprintf(n.naf_ids[0].fqdn, sizeof(n.naf_ids[0].fqdn), "bad fqdn");
	GBA_ASSERT_ERR(bsf_store_naf_add(st, &n, NULL), GBA_ERR_BAD_PARAM);
	/* the one FQDN rule (gba/fqdn.h, TS 29.571 Fqdn): the store's own
	 * check took any of [A-Za-z0-9.-] before, so these were stored */
	{
		static const char *const bad[] = { "localhost", "a..example.com",
						   "-a.example.com", "a.b",
						   "1.2.3.4" };
		size_t i;

		for (i = 0; i < GBA_ARRAY_SIZE(bad); i++) {
			snprintf(n.naf_ids[0].fqdn, sizeof(n.naf_ids[0].fqdn),
				 "%s", bad[i]);
			GBA_ASSERT_ERR(bsf_store_naf_add(st, &n, NULL),
				       GBA_ERR_BAD_PARAM);
		}
	}

	GBA_ASSERT_ERR(bsf_store_naf_by_cert(st, "Scs-A.Example.COM", 17, &got),
		       GBA_OK);
	CU_ASSERT_EQUAL(got.id, id);
	CU_ASSERT_STRING_EQUAL(got.name, "scs-a");
	CU_ASSERT_EQUAL(got.n_naf_ids, 2);
	CU_ASSERT_EQUAL(got.allow_impi, 1);
	CU_ASSERT_EQUAL(got.gba_u_aware, 0);
	CU_ASSERT_EQUAL(got.rate, 100);
	CU_ASSERT_EQUAL(naf_allows(&got, "naf.example.COM", UA_GPL), 1);
	CU_ASSERT_EQUAL(naf_allows(&got, "naf.example.com", UA_DIGEST), 0);
	CU_ASSERT_EQUAL(naf_allows(&got, "naf.example.co", UA_GPL), 0);
	CU_ASSERT_EQUAL(naf_allows(&got, "push.example.com", UA_PRIVATE), 1);
	/* not NUL-terminated input: only cert_id_len octets count */
	GBA_ASSERT_ERR(
		bsf_store_naf_by_cert(st, "scs-a.example.comXYZ", 17, &got),
		GBA_OK);
	GBA_ASSERT_ERR(bsf_store_naf_by_cert(st, "scs-a.example", 13, &got),
		       GBA_ERR_NOT_FOUND);
	CU_ASSERT_EQUAL(got.id, 0);
	GBA_ASSERT_ERR(bsf_store_naf_by_name(st, "scs-a", &got), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_naf_list(st, count_cb, &cnt), GBA_OK);
	CU_ASSERT_EQUAL(cnt, 1);
	GBA_ASSERT_ERR(bsf_store_naf_remove(st, "scs-a"), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_naf_remove(st, "scs-a"), GBA_ERR_NOT_FOUND);
	GBA_ASSERT_ERR(bsf_store_naf_by_cert(st, "scs-a.example.com", 17, &got),
		       GBA_ERR_NOT_FOUND);
	bsf_store_close(st);
	tmp_cleanup();
}

static void test_sub_crud(void)
{
	struct bsf_store *st = new_store();
	struct bsf_sub s, g;
	uint8_t zero[GBA_KEY_MAX] = {0};
	uint64_t n = 0;
	int64_t id = 0;

	sub_fill(&s, "001010000000001@ims.mnc001.mcc001.3gppnetwork.org",
		 "001010000000001");
	s.n_impus = 2;
	snprintf(s.impus[0], sizeof(s.impus[0]), "tel:+1-555-0100");
	snprintf(s.impus[1], sizeof(s.impus[1]), "SIP:alice@Example.ORG");
	s.n_labels = 1;
	snprintf(s.labels[0], sizeof(s.labels[0]), "USIM1");
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, guss_ok, strlen(guss_ok), &id),
		       GBA_OK);
	CU_ASSERT(id > 0);
	/* IMPI, IMSI and IMPU are unique */
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, NULL, 0, NULL),
		       GBA_ERR_EXISTS);
	snprintf(s.impi, sizeof(s.impi), "other@ims.example");
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, NULL, 0, NULL),
		       GBA_ERR_EXISTS);
	s.imsi[0] = '\0';
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, NULL, 0, NULL),
		       GBA_ERR_EXISTS);
	s.n_impus = 0;
	s.key.k_len = 15;
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, NULL, 0, NULL),
		       GBA_ERR_BAD_PARAM);
	s.key.k_len = 16;
	snprintf(s.imsi, sizeof(s.imsi), "12a4567890");
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, NULL, 0, NULL),
		       GBA_ERR_BAD_PARAM);
	s.imsi[0] = '\0';
	/* a broken GUSS rejects the whole subscriber */
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, "<guss>", 6, NULL),
		       GBA_ERR_MALFORMED);
	GBA_ASSERT_ERR(bsf_store_sub_count(st, &n), GBA_OK);
	CU_ASSERT_EQUAL(n, 1);

	/* get without secrets: key bytes stay zero, the rest is there */
	GBA_ASSERT_ERR(
		bsf_store_sub_get(st, "tel:+15550100", BSF_ID_PUBLIC, 0, &g),
		GBA_OK);
	CU_ASSERT_EQUAL(g.id, id);
	CU_ASSERT_STRING_EQUAL(g.imsi, "001010000000001");
	GBA_ASSERT_HEX_EQ(g.key.k, zero, GBA_KEY_MAX);
	GBA_ASSERT_HEX_EQ(g.key.opc, zero, GBA_KEY_MAX);
	CU_ASSERT_EQUAL(g.key.alg, GBA_ALG_MILENAGE);
	CU_ASSERT_EQUAL(g.n_impus, 2);
	CU_ASSERT_STRING_EQUAL(g.impus[0], "sip:alice@example.org");
	CU_ASSERT_STRING_EQUAL(g.impus[1], "tel:+15550100");
	CU_ASSERT_EQUAL(g.n_labels, 1);
	CU_ASSERT_STRING_EQUAL(g.labels[0], "USIM1");
	CU_ASSERT_EQUAL(g.gba_u, 1); /* from the GUSS uiccType */
	CU_ASSERT_EQUAL(g.has_guss, 1);
	/* with secrets */
	GBA_ASSERT_ERR(bsf_store_sub_get_id(st, id, BSF_SUB_SECRETS, &g),
		       GBA_OK);
	GBA_ASSERT_HEX_EQ(g.key.k, s.key.k, 16);
	GBA_ASSERT_HEX_EQ(g.key.opc, s.key.opc, 16);
	CU_ASSERT_EQUAL(g.key.k_len, 16);
	bsf_sub_clear(&g);
	GBA_ASSERT_HEX_EQ(g.key.k, zero, GBA_KEY_MAX);

	GBA_ASSERT_ERR(bsf_store_sub_remove(st, s.impi), GBA_ERR_NOT_FOUND);
	GBA_ASSERT_ERR(bsf_store_sub_remove(st,
					    "001010000000001@ims.mnc001.mcc001."
					    "3gppnetwork.org"),
		       GBA_OK);
	GBA_ASSERT_ERR(bsf_store_resolve(st, "tel:+15550100", 13, BSF_ID_PUBLIC,
					 &id, NULL, 0),
		       GBA_ERR_NOT_FOUND);
	GBA_ASSERT_ERR(bsf_store_sub_count(st, &n), GBA_OK);
	CU_ASSERT_EQUAL(n, 0);
	bsf_sub_clear(&s);
	bsf_store_close(st);
	tmp_cleanup();
}

static void test_resolve(void)
{
	struct bsf_store *st = new_store();
	struct bsf_sub s;
	char impi[BSF_IMPI_MAX + 1], small[8];
	int64_t id = 0, got = 0;
	static const char impi_s[] = "user1@ims.mnc001.mcc001.3gppnetwork.org";
	/* resolved without the IMPI: the answer, and whether the row is @id
	 * (found 1), 0 (found 0) or not looked at (-1) */
	static const struct {
		const char *id;
		enum bsf_id_type type;
		int err;
		int found;
	} t[] = {
		/* tel: parameters dropped, visual separators too */
		{"TEL:+49.30.12345678;phone-context=x", BSF_ID_PUBLIC, GBA_OK,
		 1},
		/* sip: host case-insensitive, user part case-sensitive */
		{"sip:User1@ims.example.com", BSF_ID_PUBLIC, GBA_OK, 1},
		{"sip:user1@ims.example.com", BSF_ID_PUBLIC, GBA_ERR_NOT_FOUND,
		 0},
		/* an IMPI is not an IMPU and the other way round */
		{impi_s, BSF_ID_PUBLIC, GBA_ERR_MALFORMED, -1},
		{"tel:+493012345678", BSF_ID_PRIVATE, GBA_ERR_NOT_FOUND, -1},
		{"tel:+493012345678", BSF_ID_ANY, GBA_OK, -1},
		/* unknown and malformed */
		{"tel:+493012345679", BSF_ID_PUBLIC, GBA_ERR_NOT_FOUND, -1},
		{"nobody@ims.example", BSF_ID_PRIVATE, GBA_ERR_NOT_FOUND, -1},
		{"tel:4930", BSF_ID_PUBLIC, GBA_ERR_MALFORMED, -1},
		{"mailto:a@b", BSF_ID_PUBLIC, GBA_ERR_MALFORMED, -1},
		{"sip:@host", BSF_ID_PUBLIC, GBA_ERR_MALFORMED, -1},
	};
	size_t i;

	sub_fill(&s, impi_s, "");
	s.n_impus = 2;
	snprintf(s.impus[0], sizeof(s.impus[0]), "tel:+49-(30)-1234.5678");
	snprintf(s.impus[1], sizeof(s.impus[1]),
		 "sip:User1@IMS.Example.COM;transport=tcp");
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, NULL, 0, &id), GBA_OK);

	GBA_ASSERT_ERR(bsf_store_resolve(st, impi_s, strlen(impi_s),
					 BSF_ID_PRIVATE, &got, impi,
					 sizeof(impi)),
		       GBA_OK);
	CU_ASSERT_EQUAL(got, id);
	CU_ASSERT_STRING_EQUAL(impi, impi_s);
	/* tel: with and without visual separators, parameters dropped */
	GBA_ASSERT_ERR(bsf_store_resolve(st, "tel:+493012345678", 17,
					 BSF_ID_PUBLIC, &got, impi,
					 sizeof(impi)),
		       GBA_OK);
	CU_ASSERT_EQUAL(got, id);
	CU_ASSERT_STRING_EQUAL(impi, impi_s);
	for (i = 0; i < GBA_ARRAY_SIZE(t); i++) {
		got = -1;
		GBA_ASSERT_ERR(bsf_store_resolve(st, t[i].id, strlen(t[i].id),
						 t[i].type, &got, NULL, 0),
			       t[i].err);
		if (t[i].found == 1)
			CU_ASSERT_EQUAL(got, id);
		if (t[i].found == 0)
			CU_ASSERT_EQUAL(got, 0);
	}
	GBA_ASSERT_ERR(bsf_store_resolve(st, impi_s, strlen(impi_s),
					 BSF_ID_PRIVATE, &got, small,
					 sizeof(small)),
		       GBA_ERR_NO_SPACE);
	CU_ASSERT_EQUAL(small[0], '\0');
	bsf_sub_clear(&s);
	bsf_store_close(st);
	tmp_cleanup();
}

static void test_impu_normalize(void)
{
	char out[BSF_IMPU_MAX + 1];
	char big[BSF_IMPU_MAX + 10];

	GBA_ASSERT_ERR(bsf_impu_normalize("Sips:Bob@HOST.example?x=1", 25, out,
					  sizeof(out)),
		       GBA_OK);
	CU_ASSERT_STRING_EQUAL(out, "sips:Bob@host.example");
	GBA_ASSERT_ERR(bsf_impu_normalize("tel:+", 5, out, sizeof(out)),
		       GBA_ERR_MALFORMED);
	GBA_ASSERT_ERR(bsf_impu_normalize("tel:+1234567890123456", 21, out,
					  sizeof(out)),
		       GBA_ERR_MALFORMED); /* 16 digits > E.164 */
	GBA_ASSERT_ERR(bsf_impu_normalize("sip:a b@c", 9, out, sizeof(out)),
		       GBA_ERR_MALFORMED);
	/* RFC 3261: a SIP URI without user part is all host */
	GBA_ASSERT_ERR(
		bsf_impu_normalize("sip:Ab.Example", 14, out, sizeof(out)),
		GBA_OK);
	CU_ASSERT_STRING_EQUAL(out, "sip:ab.example");
	GBA_ASSERT_ERR(bsf_impu_normalize("sip:a@", 6, out, sizeof(out)),
		       GBA_ERR_MALFORMED);
	memset(big, 'a', sizeof(big));
	memcpy(big, "sip:", 4);
	big[100] = '@';
	GBA_ASSERT_ERR(bsf_impu_normalize(big, sizeof(big), out, sizeof(out)),
		       GBA_ERR_TOO_LARGE);
	GBA_ASSERT_ERR(bsf_impu_normalize("tel:+123", 8, out, 6),
		       GBA_ERR_TOO_LARGE);
}

static int list_cb2(void *arg, const char *naf, const char *impi)
{
	char *o = arg;
	size_t n = strlen(o);

	snprintf(o + n, 128 - n, "%s=%s;", naf, impi);
	return GBA_OK;
}

static int list_cb1(void *arg, const char *naf)
{
	char *o = arg;
	size_t n = strlen(o);

	snprintf(o + n, 128 - n, "%s;", naf);
	return GBA_OK;
}

static int list_cb_fail(void *arg, const char *naf)
{
	(void)arg;
	(void)naf;
	return GBA_ERR_STATE;
}

static void test_assoc(void)
{
	struct bsf_store *st = new_store();
	struct bsf_sub s;
	int64_t naf_a = 0, naf_b = 0, sub = 0;

	naf_a = naf_add(st, "a", "a.example.com");
	naf_b = naf_add(st, "b", "b.example.com");
	sub_fill(&s, "u@ims.example", "");
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, NULL, 0, &sub), GBA_OK);

	GBA_ASSERT_ERR(bsf_store_assoc_check(st, naf_a, sub),
		       GBA_ERR_NOT_AUTHORIZED);
	GBA_ASSERT_ERR(bsf_store_assoc_add(st, naf_a, sub), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_assoc_add(st, naf_a, sub), GBA_ERR_EXISTS);
	GBA_ASSERT_ERR(bsf_store_assoc_add(st, naf_a, sub + 100),
		       GBA_ERR_NOT_FOUND);
	GBA_ASSERT_ERR(bsf_store_assoc_check(st, naf_a, sub), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_assoc_check(st, naf_b, sub),
		       GBA_ERR_NOT_AUTHORIZED);
	/* the listings: all, one NAF, one subscriber; bad arguments */
	{
		char o[128] = "";

		GBA_ASSERT_ERR(bsf_store_assoc_list(st, 0, list_cb2, o), GBA_OK);
		CU_ASSERT_STRING_EQUAL(o, "a=u@ims.example;");
		o[0] = '\0';
		GBA_ASSERT_ERR(bsf_store_assoc_list(st, naf_b, list_cb2, o),
			       GBA_OK);
		CU_ASSERT_STRING_EQUAL(o, "");
		GBA_ASSERT_ERR(bsf_store_assoc_list(st, naf_a, list_cb2, o),
			       GBA_OK);
		CU_ASSERT_STRING_EQUAL(o, "a=u@ims.example;");
		o[0] = '\0';
		GBA_ASSERT_ERR(bsf_store_assoc_list_sub(st, sub, list_cb1, o),
			       GBA_OK);
		CU_ASSERT_STRING_EQUAL(o, "a;");
		GBA_ASSERT_ERR(bsf_store_assoc_list_sub(st, sub, list_cb_fail,
							NULL),
			       GBA_ERR_STATE);
		GBA_ASSERT_ERR(bsf_store_assoc_list(NULL, 0, list_cb2, o),
			       GBA_ERR_BAD_PARAM);
		GBA_ASSERT_ERR(bsf_store_assoc_list(st, 0, NULL, o),
			       GBA_ERR_BAD_PARAM);
		GBA_ASSERT_ERR(bsf_store_assoc_list_sub(NULL, sub, list_cb1, o),
			       GBA_ERR_BAD_PARAM);
		GBA_ASSERT_ERR(bsf_store_assoc_list_sub(st, sub, NULL, o),
			       GBA_ERR_BAD_PARAM);
	}
	GBA_ASSERT_ERR(bsf_store_assoc_remove(st, naf_a, sub), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_assoc_remove(st, naf_a, sub),
		       GBA_ERR_NOT_FOUND);
	GBA_ASSERT_ERR(bsf_store_assoc_check(st, naf_a, sub),
		       GBA_ERR_NOT_AUTHORIZED);
	/* the combined per-GPI lookup */
	{
		struct bsf_ue ue;

		GBA_ASSERT_ERR(bsf_store_ue_lookup(st, naf_b, "u@ims.example",
						   13, BSF_ID_PRIVATE, 0, &ue),
			       GBA_ERR_NOT_AUTHORIZED);
		CU_ASSERT_EQUAL(ue.sub_id, sub);
		GBA_ASSERT_ERR(bsf_store_ue_lookup(st, naf_b, "x@ims.example",
						   13, BSF_ID_PRIVATE, 0, &ue),
			       GBA_ERR_NOT_FOUND);
		CU_ASSERT_EQUAL(ue.sub_id, 0);
		GBA_ASSERT_ERR(bsf_store_assoc_add(st, naf_b, sub), GBA_OK);
		GBA_ASSERT_ERR(bsf_store_ue_lookup(st, naf_b, "u@ims.example",
						   13, BSF_ID_PRIVATE,
						   BSF_GBA_XML, &ue),
			       GBA_OK);
		CU_ASSERT_EQUAL(ue.sub_id, sub);
		CU_ASSERT_STRING_EQUAL(ue.impi, "u@ims.example");
		CU_ASSERT_EQUAL(ue.params.gba_u, 0);
		CU_ASSERT_PTR_NULL(ue.params.guss_xml); /* none stored */
		bsf_gba_params_clear(&ue.params);
		GBA_ASSERT_ERR(bsf_store_assoc_remove(st, naf_b, sub), GBA_OK);
	}
	/* removing the NAF removes its associations */
	GBA_ASSERT_ERR(bsf_store_assoc_add(st, naf_b, sub), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_naf_remove(st, "b"), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_assoc_check(st, naf_b, sub),
		       GBA_ERR_NOT_AUTHORIZED);
	bsf_sub_clear(&s);
	bsf_store_close(st);
	tmp_cleanup();
}

/* the SQL text of each statement started, in order (store statement hook) */
struct stmt_log {
	size_t n;
	char sql[16][160];
};

static void stmt_rec(void *arg, const char *sql)
{
	struct stmt_log *l = arg;

	if (l->n < 16)
		snprintf(l->sql[l->n], sizeof(l->sql[0]), "%s", sql);
	l->n++;
}

static void lookup_log(struct bsf_store *st, int64_t naf, const char *id,
		       enum bsf_id_type type, int want, struct stmt_log *l)
{
	struct bsf_ue ue;

	memset(l, 0, sizeof(*l));
	bsf_store_set_stmt_hook(st, stmt_rec, l);
	GBA_ASSERT_ERR(bsf_store_ue_lookup(st, naf, id, strlen(id), type,
					   BSF_GBA_USS_XML, &ue),
		       want);
	bsf_store_set_stmt_hook(st, NULL, NULL);
	bsf_gba_params_clear(&ue.params);
}

/*
 * Push-NAFs "a" (a.example.com, id into *@naf_a) and "b" (b.example.com,
 * *@naf_b), and subscriber @s with GUSS @guss (NULL: none) associated with
 * "a" only; returns the subscriber's id.
 */
static int64_t sub_of_naf_a(struct bsf_store *st, const struct bsf_sub *s,
			    const char *guss, int64_t *naf_a, int64_t *naf_b)
{
	int64_t sub = 0;

	*naf_a = naf_add(st, "a", "a.example.com");
	*naf_b = naf_add(st, "b", "b.example.com");
	GBA_ASSERT_ERR(bsf_store_sub_add(st, s, guss, guss ? strlen(guss) : 0,
					 &sub),
		       GBA_OK);
	GBA_ASSERT_ERR(bsf_store_assoc_add(st, *naf_a, sub), GBA_OK);
	return sub;
}

/*
 * Issue 16 point 4: an unknown UE and a UE known but not associated with
 * the Push-NAF run the same statements (counted and compared by text, not
 * timed); an associated UE runs more (the hook does see the difference).
 */
static void test_lookup_same_work(void)
{
	struct bsf_store *st = new_store();
	struct bsf_sub s;
	struct stmt_log unknown, unassoc, assoc;
	int64_t naf_a = 0, naf_b = 0;
	size_t i;
	int t;

	sub_fill(&s, "u@ims.example", "");
	s.n_impus = 1;
	snprintf(s.impus[0], sizeof(s.impus[0]), "sip:u@ims.example");
	sub_of_naf_a(st, &s, guss_ok, &naf_a, &naf_b);

	for (t = 0; t < 2; t++) {
		enum bsf_id_type type = t ? BSF_ID_PUBLIC : BSF_ID_PRIVATE;
		const char *known = t ? "sip:u@ims.example" : "u@ims.example";
		const char *other = t ? "sip:x@ims.example" : "x@ims.example";

		lookup_log(st, naf_b, other, type, GBA_ERR_NOT_FOUND, &unknown);
		lookup_log(st, naf_b, known, type, GBA_ERR_NOT_AUTHORIZED,
			   &unassoc);
		lookup_log(st, naf_a, known, type, GBA_OK, &assoc);
		CU_ASSERT(unknown.n >= 3); /* BEGIN, resolve, ..., COMMIT */
		CU_ASSERT_EQUAL(unknown.n, unassoc.n);
		for (i = 0; i < unknown.n && i < 16; i++)
			CU_ASSERT_STRING_EQUAL(unknown.sql[i], unassoc.sql[i]);
		CU_ASSERT(assoc.n > unassoc.n);
	}
	bsf_sub_clear(&s);
	bsf_store_close(st);
	tmp_cleanup();
}

/*
 * The GPI path (push.c: an IMPI, BSF_GBA_NO_USS, the key row): unknown,
 * unassociated and associated UEs run the same statements on every
 * backend; on PostgreSQL that is one statement (no BEGIN/COMMIT), one
 * round trip to the server per lookup instead of six
 * (bench/README.md "bsf_pg_bench.sh").  The key row comes back only for
 * the associated UE.
 */
static void gpi_lookup_log(struct bsf_store *st, int64_t naf, const char *id,
			   int want, struct stmt_log *l, struct bsf_key_row *row)
{
	struct bsf_ue ue;

	memset(l, 0, sizeof(*l));
	bsf_store_set_stmt_hook(st, stmt_rec, l);
	GBA_ASSERT_ERR(bsf_store_ue_lookup_key(st, naf, id, strlen(id),
					       BSF_ID_PRIVATE, BSF_GBA_NO_USS,
					       &ue, row),
		       want);
	bsf_store_set_stmt_hook(st, NULL, NULL);
	if (want == GBA_OK) {
		CU_ASSERT_STRING_EQUAL(ue.impi, "u@ims.example");
		CU_ASSERT_EQUAL(ue.params.n_labels, 1);
		if (ue.params.n_labels == 1)
			CU_ASSERT_STRING_EQUAL(ue.params.labels[0], "USIM");
	}
	bsf_gba_params_clear(&ue.params);
}

static void test_gpi_lookup_one_statement(void)
{
	struct bsf_store *st = new_store();
	struct bsf_sub s;
	struct bsf_key_row row;
	struct stmt_log unknown, unassoc, assoc;
	int64_t naf_a = 0, naf_b = 0, sub = 0;
	size_t i;

	sub_fill(&s, "u@ims.example", "");
	s.n_labels = 1;
	snprintf(s.labels[0], sizeof(s.labels[0]), "USIM");
	sub = sub_of_naf_a(st, &s, NULL, &naf_a, &naf_b);

	gpi_lookup_log(st, naf_b, "x@ims.example", GBA_ERR_NOT_FOUND, &unknown,
		       &row);
	gpi_lookup_log(st, naf_b, "u@ims.example", GBA_ERR_NOT_AUTHORIZED,
		       &unassoc, &row);
	CU_ASSERT_EQUAL(row.key.k_len, 0); /* wiped: no key without assoc */
	gpi_lookup_log(st, naf_a, "u@ims.example", GBA_OK, &assoc, &row);
	CU_ASSERT_EQUAL(row.sub_id, sub);
	CU_ASSERT_EQUAL(row.key.k_len, 16);
	CU_ASSERT(memcmp(row.key.k, s.key.k, 16) == 0);
	CU_ASSERT(memcmp(row.key.opc, s.key.opc, 16) == 0);
	gba_cleanse(&row, sizeof(row));
	CU_ASSERT_EQUAL(unknown.n, unassoc.n);
	for (i = 0; i < unknown.n && i < 16; i++)
		CU_ASSERT_STRING_EQUAL(unknown.sql[i], unassoc.sql[i]);
	if (pg_uri) {
		CU_ASSERT_EQUAL(unknown.n, 1);
		CU_ASSERT_EQUAL(assoc.n, 1);
		CU_ASSERT_STRING_EQUAL(assoc.sql[0], unassoc.sql[0]);
	}
	bsf_sub_clear(&s);
	bsf_store_close(st);
	tmp_cleanup();
}

static void test_gba_params(void)
{
	struct bsf_store *st = new_store();
	struct bsf_gba_params p;
	const struct bsf_uss *u;
	struct bsf_sub s;
	int64_t id = 0;

	sub_fill(&s, "p@ims.example", "");
	s.n_labels = 2;
	snprintf(s.labels[0], sizeof(s.labels[0]), "USIM");
	snprintf(s.labels[1], sizeof(s.labels[1]), "ISIM 2");
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, guss_ok, strlen(guss_ok), &id),
		       GBA_OK);
	GBA_ASSERT_ERR(bsf_store_gba_params(st, id, BSF_GBA_XML, &p), GBA_OK);
	CU_ASSERT_EQUAL(p.gba_u, 1);
	CU_ASSERT_EQUAL(p.n_labels, 2);
	CU_ASSERT_STRING_EQUAL(p.labels[1], "ISIM 2");
	CU_ASSERT_EQUAL(p.n_uss, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p.guss_xml);
	CU_ASSERT_STRING_EQUAL(p.guss_xml, guss_ok);
	u = bsf_uss_find(&p, "1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_STRING_EQUAL(u->naf_group, "scs");
	CU_ASSERT_EQUAL(u->n_flags, 2);
	CU_ASSERT_EQUAL(u->flags[1], 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(u->xml);
	CU_ASSERT(strncmp(u->xml, "<uss id=\"1\"", 11) == 0);
	CU_ASSERT_PTR_NULL(bsf_uss_find(&p, "7"));
	bsf_gba_params_clear(&p);
	/* the GPI path with gsIds: the USS texts, not the whole GUSS */
	GBA_ASSERT_ERR(bsf_store_gba_params(st, id, BSF_GBA_USS_XML, &p),
		       GBA_OK);
	CU_ASSERT_EQUAL(p.n_uss, 2);
	CU_ASSERT_PTR_NULL(p.guss_xml);
	u = bsf_uss_find(&p, "1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_PTR_NOT_NULL_FATAL(u->xml);
	CU_ASSERT(strncmp(u->xml, "<uss id=\"1\"", 11) == 0);
	bsf_gba_params_clear(&p);
	/* the GPI path without gsIds: same row data, no USS list */
	GBA_ASSERT_ERR(bsf_store_gba_params(st, id, BSF_GBA_NO_USS, &p),
		       GBA_OK);
	CU_ASSERT_EQUAL(p.gba_u, 1);
	CU_ASSERT_EQUAL(p.n_labels, 2);
	CU_ASSERT_EQUAL(p.n_uss, 0);
	CU_ASSERT_PTR_NULL(p.guss_xml);
	bsf_gba_params_clear(&p);
	GBA_ASSERT_ERR(bsf_store_gba_params(st, id + 1, 0, &p),
		       GBA_ERR_NOT_FOUND);
	bsf_sub_clear(&s);
	bsf_store_close(st);
	tmp_cleanup();
}

static int guss(const char *x, struct bsf_guss *g)
{
	return bsf_guss_parse((const uint8_t *)x, strlen(x), BSF_GBA_XML, g);
}

static void test_guss(void)
{
	struct bsf_guss g;
	char *big;
	size_t i, o;

	GBA_ASSERT_ERR(guss(guss_ok, &g), GBA_OK);
	CU_ASSERT_EQUAL(g.gba_u, 1);
	CU_ASSERT_EQUAL(g.lifetime, 3600);
	CU_ASSERT_EQUAL(g.n_uss, 2);
	CU_ASSERT_STRING_EQUAL(g.uss[0].gsid, "1");
	CU_ASSERT_EQUAL(g.uss[0].flags[0], 1);
	bsf_guss_clear(&g);
	/* malformed */
	GBA_ASSERT_ERR(
		guss("<guss><ussList><uss id=\"1\"></ussList></guss>", &g),
		GBA_ERR_MALFORMED);
	GBA_ASSERT_ERR(guss("<notguss/>", &g), GBA_ERR_MALFORMED);
	GBA_ASSERT_ERR(guss("<guss><ussList><uss/></ussList></guss>", &g),
		       GBA_ERR_MALFORMED); /* uss without id */
	GBA_ASSERT_ERR(guss("<guss><ussList><uss id=\"1\"><flags><flag>x"
			    "</flag></flags></uss></ussList></guss>",
			    &g),
		       GBA_ERR_MALFORMED);
	GBA_ASSERT_ERR(guss("<guss><bsfInfo><uiccType>GBA_X</uiccType>"
			    "</bsfInfo></guss>",
			    &g),
		       GBA_ERR_MALFORMED);
	GBA_ASSERT_ERR(bsf_guss_parse((const uint8_t *)"", 0, 0, &g),
		       GBA_ERR_TRUNCATED);
	/* external entity: refused before any parsing, nothing fetched */
	GBA_ASSERT_ERR(guss("<?xml version=\"1.0\"?>\n<!DOCTYPE guss [\n"
			    "<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
			    "<guss><ussList><uss id=\"&x;\"/></ussList></guss>",
			    &g),
		       GBA_ERR_MALFORMED);
	/* billion laughs */
	GBA_ASSERT_ERR(guss("<!DOCTYPE l [<!ENTITY a \"aaaa\">"
			    "<!ENTITY b \"&a;&a;&a;&a;\">]>"
			    "<guss><ussList><uss id=\"&b;\"/></ussList></guss>",
			    &g),
		       GBA_ERR_MALFORMED);
	/* an undeclared entity reference is not expanded either */
	GBA_ASSERT_ERR(
		guss("<guss><ussList><uss id=\"&x;\"/></ussList></guss>", &g),
		GBA_ERR_MALFORMED);
	/* too large: one octet over the cap */
	big = malloc(BSF_GUSS_MAX + 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	memset(big, ' ', BSF_GUSS_MAX + 1);
	memcpy(big, "<guss>", 6);
	memcpy(big + BSF_GUSS_MAX + 1 - 7, "</guss>", 7);
	big[BSF_GUSS_MAX + 1] = '\0';
	GBA_ASSERT_ERR(guss(big, &g), GBA_ERR_TOO_LARGE);
	/* exactly at the cap is accepted */
	memset(big, ' ', BSF_GUSS_MAX);
	memcpy(big, "<guss>", 6);
	memcpy(big + BSF_GUSS_MAX - 7, "</guss>", 7);
	big[BSF_GUSS_MAX] = '\0';
	GBA_ASSERT_ERR(guss(big, &g), GBA_OK);
	bsf_guss_clear(&g);
	/* too many USSs */
	o = (size_t)snprintf(big, BSF_GUSS_MAX, "<guss><ussList>");
	for (i = 0; i <= BSF_USS_MAX; i++)
		o += (size_t)snprintf(big + o, BSF_GUSS_MAX - o,
				      "<uss id=\"%zu\"/>", i);
	snprintf(big + o, BSF_GUSS_MAX - o, "</ussList></guss>");
	GBA_ASSERT_ERR(guss(big, &g), GBA_ERR_TOO_LARGE);
	/* an over-long GSID */
	o = (size_t)snprintf(big, BSF_GUSS_MAX, "<guss><ussList><uss id=\"");
	memset(big + o, '7', BSF_GSID_MAX + 1);
	o += BSF_GSID_MAX + 1;
	snprintf(big + o, BSF_GUSS_MAX - o, "\"/></ussList></guss>");
	GBA_ASSERT_ERR(guss(big, &g), GBA_ERR_TOO_LARGE);
	free(big);
}

/* Each GUSS truncation is an error, never a crash (ASan build). */
static void test_guss_truncations(void)
{
	struct bsf_guss g;
	size_t n, len = strlen(guss_ok);

	for (n = 0; n < len - 8; n++) {
		int r = bsf_guss_parse((const uint8_t *)guss_ok, n, 0, &g);

		CU_ASSERT(r == GBA_ERR_MALFORMED || r == GBA_ERR_TRUNCATED);
		CU_ASSERT_EQUAL(g.n_uss, 0);
	}
}

struct batch_ctx {
	int n;
};

static void test_batch(void)
{
	struct bsf_store *st = new_store();
	struct bsf_store_batch *b = NULL;
	struct bsf_sub s;
	int64_t naf = 0, id = 0;
	uint64_t cnt = 0;

	naf = naf_add(st, "a", "a.example.com");
	/* no store or no result pointer: refused, *b cleared */
	b = (struct bsf_store_batch *)&s; /* any non-NULL value */
	GBA_ASSERT_ERR(bsf_store_batch_begin(NULL, &b), GBA_ERR_BAD_PARAM);
	CU_ASSERT_PTR_NULL(b);
	GBA_ASSERT_ERR(bsf_store_batch_begin(st, NULL), GBA_ERR_BAD_PARAM);
	GBA_ASSERT_ERR(bsf_store_batch_begin(st, &b), GBA_OK);
	sub_fill(&s, "b1@ims.example", "");
	GBA_ASSERT_ERR(bsf_store_batch_sub_add(b, &s, NULL, 0, &id), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_batch_assoc_add(b, naf, id), GBA_OK);
	/* a failing item leaves the batch usable */
	GBA_ASSERT_ERR(bsf_store_batch_sub_add(b, &s, NULL, 0, NULL),
		       GBA_ERR_EXISTS);
	sub_fill(&s, "b2@ims.example", "");
	GBA_ASSERT_ERR(bsf_store_batch_sub_add(b, &s, NULL, 0, &id), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_batch_end(b, 1), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_sub_count(st, &cnt), GBA_OK);
	CU_ASSERT_EQUAL(cnt, 2);
	/* rolled back */
	GBA_ASSERT_ERR(bsf_store_batch_begin(st, &b), GBA_OK);
	sub_fill(&s, "b3@ims.example", "");
	GBA_ASSERT_ERR(bsf_store_batch_sub_add(b, &s, NULL, 0, &id), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_batch_end(b, 0), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_sub_count(st, &cnt), GBA_OK);
	CU_ASSERT_EQUAL(cnt, 2);
	bsf_sub_clear(&s);
	bsf_store_close(st);
	tmp_cleanup();
}

/*
 * bsf_store_sub_replace() and bsf_store_batch_sub_replace() (gba-bsfctl
 * subscriber modify, import --on-conflict update) on every backend: the
 * new record keeps the associations, and its SQN state lies above all
 * the old one may have issued.  Expected bounds from the rules of
 * docs/hss-store.md section 4: with run R = 3, block B = 256 and
 * F = 200 provisioned at RF = 3, the bound is F + (R - RF + 1) * B =
 * 456; the replacement gets F = 456, RF = R, bound 712 (SQN = SEQ << 5
 * | 31 with 5 IND bits).  On a shared store (PostgreSQL) also the
 * windows handed out (H) and the generation G are kept.
 */
static uint64_t seq_bound(uint64_t seq)
{
	return seq << 5 | 31;
}

static void test_sub_replace(void)
{
	struct bsf_store *st = new_store();
	struct bsf_store_batch *b = NULL;
	struct bsf_key_row row;
	struct bsf_sub s, g;
	int64_t naf = 0, id = 0, nid = 0, bid = 0, hi = 0, gen = 0, h_old;
	uint64_t cnt = 0;
	const int64_t smax = (int64_t)(GBA_SQN_MAX >> 5);

	/* an AuC has run: run 3, block 256, 5 IND bits */
	raw_exec("DELETE FROM meta WHERE key IN ('hss_run', 'seq_block',"
		 " 'ind_bits')");
	raw_exec("INSERT INTO meta VALUES('hss_run', 3), ('seq_block', 256),"
		 " ('ind_bits', 5)");
	naf = naf_add(st, "a", "a.example.com");
	sub_fill(&s, "r1@ims.example", "001010000000011");
	s.n_impus = 1;
	snprintf(s.impus[0], sizeof(s.impus[0]), "tel:+15550111");
	s.sqn = 6400; /* F = 200 */
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, NULL, 0, &id), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_assoc_add(st, naf, id), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_sub_get_id(st, id, 0, &g), GBA_OK);
	CU_ASSERT_EQUAL(g.sqn, seq_bound(456));

	/* unknown IMPI: nothing to replace */
	sub_fill(&s, "nobody@ims.example", "");
	GBA_ASSERT_ERR(bsf_store_sub_replace(st, &s, NULL, 0, &nid),
		       GBA_ERR_NOT_FOUND);
	CU_ASSERT_EQUAL(nid, 0);

	/* new AMF and IMSI, the same IMPU written another way */
	sub_fill(&s, "r1@ims.example", "001010000000012");
	s.amf[0] = 0x80;
	s.n_impus = 1;
	snprintf(s.impus[0], sizeof(s.impus[0]), "tel:+1-555-0111");
	GBA_ASSERT_ERR(bsf_store_sub_replace(st, &s, NULL, 0, &nid), GBA_OK);
	CU_ASSERT(nid > 0 && nid != id);
	GBA_ASSERT_ERR(bsf_store_sub_get(st, "tel:+15550111", BSF_ID_PUBLIC,
					 0, &g),
		       GBA_OK);
	CU_ASSERT_EQUAL(g.id, nid);
	CU_ASSERT_EQUAL(g.amf[0], 0x80);
	CU_ASSERT_STRING_EQUAL(g.imsi, "001010000000012");
	/* nothing the old record may have issued repeats */
	CU_ASSERT_EQUAL(g.sqn, seq_bound(712));
	GBA_ASSERT_ERR(bsf_store_assoc_check(st, naf, nid), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_key_row(st, id, &row), GBA_ERR_NOT_FOUND);
	GBA_ASSERT_ERR(bsf_store_sub_count(st, &cnt), GBA_OK);
	CU_ASSERT_EQUAL(cnt, 1);

	/* an IMPU of another subscriber: refused, nothing changed */
	sub_fill(&s, "r2@ims.example", "");
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, NULL, 0, &id), GBA_OK);
	s.n_impus = 1;
	snprintf(s.impus[0], sizeof(s.impus[0]), "tel:+15550111");
	GBA_ASSERT_ERR(bsf_store_sub_replace(st, &s, NULL, 0, NULL),
		       GBA_ERR_EXISTS);
	GBA_ASSERT_ERR(bsf_store_resolve(st, "r2@ims.example", 14,
					 BSF_ID_PRIVATE, &bid, NULL, 0),
		       GBA_OK);
	CU_ASSERT_EQUAL(bid, id);
	GBA_ASSERT_ERR(bsf_store_resolve(st, "tel:+15550111", 13,
					 BSF_ID_PUBLIC, &bid, NULL, 0),
		       GBA_OK);
	CU_ASSERT_EQUAL(bid, nid);

	/* in a batch (import --on-conflict update) */
	GBA_ASSERT_ERR(bsf_store_batch_begin(st, &b), GBA_OK);
	sub_fill(&s, "r1@ims.example", "");
	s.amf[1] = 0x01;
	GBA_ASSERT_ERR(bsf_store_batch_sub_replace(b, &s, NULL, 0, &bid),
		       GBA_OK);
	sub_fill(&s, "nobody@ims.example", "");
	GBA_ASSERT_ERR(bsf_store_batch_sub_replace(b, &s, NULL, 0, NULL),
		       GBA_ERR_NOT_FOUND);
	GBA_ASSERT_ERR(bsf_store_batch_end(b, 1), GBA_OK);
	CU_ASSERT(bid > 0 && bid != nid);
	GBA_ASSERT_ERR(bsf_store_sub_get_id(st, bid, 0, &g), GBA_OK);
	CU_ASSERT_EQUAL(g.amf[1], 0x01);
	CU_ASSERT_EQUAL(g.n_impus, 0);
	CU_ASSERT_EQUAL(g.sqn, seq_bound(712 + 256));
	GBA_ASSERT_ERR(bsf_store_assoc_check(st, naf, bid), GBA_OK);

	if (bsf_store_sqn_shared(st)) {
		/* windows handed out and a lowering resync (generation 1) */
		GBA_ASSERT_ERR(bsf_store_sqn_reserve(st, bid, 0, 0, 256, smax,
						     &hi, &gen),
			       GBA_OK);
		GBA_ASSERT_ERR(bsf_store_sqn_lower(st, bid, 5000, 256, &gen),
			       GBA_OK);
		CU_ASSERT_EQUAL(gen, 1);
		GBA_ASSERT_ERR(bsf_store_sqn_reserve(st, bid, 1, 0, 256, smax,
						     &hi, &gen),
			       GBA_OK);
		h_old = hi; /* 5000 + 256 + 256 */
		CU_ASSERT_EQUAL(h_old, 5512);
		sub_fill(&s, "r1@ims.example", "");
		GBA_ASSERT_ERR(bsf_store_sub_replace(st, &s, NULL, 0, &nid),
			       GBA_OK);
		GBA_ASSERT_ERR(bsf_store_key_row(st, nid, &row), GBA_OK);
		CU_ASSERT_EQUAL(row.gen, 1);
		CU_ASSERT(row.hwm >= h_old);
		gba_cleanse(&row, sizeof(row));
		/* the next window of the new record is above the old H */
		GBA_ASSERT_ERR(bsf_store_sqn_reserve(st, nid, 1, 0, 256, smax,
						     &hi, &gen),
			       GBA_OK);
		CU_ASSERT(hi - 256 >= h_old);
		GBA_ASSERT_ERR(bsf_store_sub_get_id(st, nid, 0, &g), GBA_OK);
		CU_ASSERT_EQUAL(g.sqn, seq_bound((uint64_t)hi));
	}
	bsf_sub_clear(&g);
	bsf_sub_clear(&s);
	bsf_store_close(st);
	tmp_cleanup();
}

/*
 * A corrupt key row (K of the wrong length for its algorithm) is refused
 * by the store's subscriber read as by the AuC: one decoder (keyrow.h).
 * Before it, the store decoded any even-length K and reported GBA_OK.
 */
static void test_corrupt_key_row(void)
{
	static const char *const bad_k[] = {
		"465b5ce8b199b49faa5f", /* 10 octets */
		/* 32 octets: Milenage takes 16 */
		"465b5ce8b199b49faa5f0a2ee238a6bc465b5ce8b199b49faa5f0a2ee238a6bc",
		"465b5ce8b199b49faa5f0a2ee238a6bc00", /* 17 octets */
	};
	struct bsf_store *st = new_store();
	struct bsf_sub s, g;
	char sql[256];
	int64_t id = 0;
	size_t i;

	sub_fill(&s, "corrupt@ims.example", "");
	GBA_ASSERT_ERR(bsf_store_sub_add(st, &s, NULL, 0, &id), GBA_OK);
	GBA_ASSERT_ERR(bsf_store_sub_get_id(st, id, BSF_SUB_SECRETS, &g),
		       GBA_OK);
	CU_ASSERT_EQUAL(g.key.k_len, 16);
	bsf_sub_clear(&g);
	bsf_store_close(st);
	for (i = 0; i < GBA_ARRAY_SIZE(bad_k); i++) {
		snprintf(sql, sizeof(sql),
			 "UPDATE subscriber SET k = '%s' WHERE id = %lld",
			 bad_k[i], (long long)id);
		raw_exec(sql);
		st = NULL;
		GBA_ASSERT_ERR(bsf_store_open(loc(), 0, &st), GBA_OK);
		GBA_ASSERT_ERR(
			bsf_store_sub_get_id(st, id, BSF_SUB_SECRETS, &g),
			GBA_ERR_MALFORMED);
		bsf_sub_clear(&g);
		bsf_store_close(st);
	}
	bsf_sub_clear(&s);
	tmp_cleanup();
}

int main(void)
{
	CU_TestInfo tests[] = {
		{"create, reopen, newer version refused", test_create},
		{"migration from schema version 1", test_migrate_v1},
		{"Push-NAF CRUD and NAF_Id check", test_naf},
		{"subscriber CRUD, secrets only on request", test_sub_crud},
		{"identity resolution", test_resolve},
		{"IMPU normalisation", test_impu_normalize},
		{"SCS-device associations", test_assoc},
		{"unknown and unassociated UE: same statements",
		 test_lookup_same_work},
		{"GPI lookup: same statements; one on PostgreSQL",
		 test_gpi_lookup_one_statement},
		{"GBA parameters", test_gba_params},
		{"GUSS parsing and hardening", test_guss},
		{"GUSS truncations", test_guss_truncations},
		{"batch writes", test_batch},
		{"subscriber replace keeps SQN state and associations",
		 test_sub_replace},
		{"corrupt key row refused", test_corrupt_key_row},
		CU_TEST_INFO_NULL,
	};

	pg_uri = gba_test_store_uri();
	return gba_test_run(pg_uri ? "store (PostgreSQL)" : "store", tests);
}
