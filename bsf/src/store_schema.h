/*
 * store_schema.h - the subscriber columns that the SQLite schema (store.c,
 * layout v1) and the PostgreSQL schema (store_pg.c, layout v2) create with
 * the same SQL text: identities and the key material of TS 35.206
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

#endif
