/*
 * store_schema.h - the SQLite layout v1 (store.c) and the subscriber
 * columns that it and the PostgreSQL schema (store_pg.c, layout v2) create
 * with the same SQL text: identities and the key material of TS 35.206
 * (MILENAGE, alg 1) / TS 35.231 (TUAK, alg 2).  Both are written by frozen
 * schema steps: a change is a new migration step in each backend, never an
 * edit here.
 */
#ifndef BSF_STORE_SCHEMA_H
#define BSF_STORE_SCHEMA_H

#define BSF_SCHEMA_SUB_COLS                                                    \
	" impi TEXT NOT NULL UNIQUE,"                                          \
	" imsi TEXT UNIQUE,"                                                   \
	" alg INTEGER NOT NULL CHECK(alg IN (1, 2)),"                          \
	" k TEXT NOT NULL, opc TEXT NOT NULL,"                                 \
	" amf TEXT NOT NULL DEFAULT '0000',"                                   \
	" tuak_iter INTEGER NOT NULL DEFAULT 1,"                               \
	" tuak_res INTEGER NOT NULL DEFAULT 8,"                                \
	" tuak_ck INTEGER NOT NULL DEFAULT 16,"                                \
	" tuak_ik INTEGER NOT NULL DEFAULT 16,"                                \
	" gba_u INTEGER NOT NULL DEFAULT 0,"                                   \
	" guss TEXT,"

/* The SQLite backend's first released layout (store.c runs it, then the
 * migration steps; test_store.c builds a v1 file with it to test them). */
#define BSF_SQ_SCHEMA_V1                                                       \
	"CREATE TABLE schema_version(version INTEGER NOT NULL);"               \
	"INSERT INTO schema_version VALUES(1);"                                \
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)"      \
	" WITHOUT ROWID;"                                                      \
	"INSERT INTO meta VALUES('hss_run', 0);"                               \
	"CREATE TABLE subscriber("                                             \
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"                               \
	BSF_SCHEMA_SUB_COLS                                                    \
	" sqn INTEGER NOT NULL DEFAULT 0);"                                    \
	"CREATE TABLE impu(impu TEXT PRIMARY KEY, sub_id INTEGER NOT NULL"     \
	" REFERENCES subscriber(id) ON DELETE CASCADE) WITHOUT ROWID;"         \
	"CREATE INDEX impu_sub ON impu(sub_id);"                               \
	"CREATE TABLE naf("                                                    \
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"                               \
	" name TEXT NOT NULL UNIQUE,"                                          \
	" cert_id TEXT NOT NULL UNIQUE COLLATE NOCASE,"                        \
	" allow_impi INTEGER NOT NULL DEFAULT 0,"                              \
	" gba_u_aware INTEGER NOT NULL DEFAULT 0,"                             \
	" rate INTEGER NOT NULL DEFAULT 0);"                                   \
	"CREATE TABLE naf_id(naf INTEGER NOT NULL REFERENCES naf(id)"          \
	" ON DELETE CASCADE, fqdn TEXT NOT NULL, ua BLOB NOT NULL,"            \
	" PRIMARY KEY(naf, fqdn, ua)) WITHOUT ROWID;"                          \
	"CREATE TABLE assoc(naf INTEGER NOT NULL REFERENCES naf(id)"           \
	" ON DELETE CASCADE, sub_id INTEGER NOT NULL REFERENCES"               \
	" subscriber(id) ON DELETE CASCADE, PRIMARY KEY(naf, sub_id))"         \
	" WITHOUT ROWID;"                                                      \
	"CREATE INDEX assoc_sub ON assoc(sub_id);"

#endif
