/* see store_pipe.h - the PostgreSQL side (libpq pipeline mode, PG 14+) */
#include <string.h>
#include "gba/crypto.h"
#include "store_pg_i.h"
#include "store_pipe.h"
#include "store_rules.h"

/* the prepared name on the pipe's own connection (as bsf_pg_q()'s) */
#define PIPE_STMT "g0"

struct pipe_ent {
	void *tag;
	PGresult *res; /* the rows, until bsf_store_pipe_next() */
	int r;
	int st;        /* 0 want the result, 1 its end (NULL), 2 the Sync */
	int sync;      /* a Sync follows this lookup */
};

/*
 * q[head, done): results in; q[done, sent): sent, waiting; q[sent, n):
 * queued since the last Sync (the next flush ends them with one).
 */
struct bsf_store_pipe {
	struct pg_store *ps;
	PGconn *db;
	int broken;
	struct pipe_ent *q;
	size_t cap, head, done, n;
	size_t unsynced; /* entries since the last Sync */
};

int bsf_store_pipe_open(struct bsf_store *st, struct bsf_store_pipe **out)
{
	struct bsf_store_pipe *p;
	struct pg_store *ps;
	PGresult *r;
	int ok;

	*out = NULL;
	if (st == NULL || st->ops != &bsf_store_pg_ops)
		return GBA_ERR_BAD_PARAM;
	ps = PG(st);
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return GBA_ERR_NOMEM;
	p->ps = ps;
	p->db = PQconnectdb(ps->uri);
	if (p->db == NULL || PQstatus(p->db) != CONNECTION_OK)
		goto fail;
	/* as the pool's connections (store_pg.c conn_open()) */
	r = PQexec(p->db, (ps->flags & BSF_STORE_READONLY)
				  ? "SET default_transaction_read_only = on"
				  : "SET default_transaction_read_only = off");
	ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok)
		goto fail;
	r = PQprepare(p->db, PIPE_STMT, bsf_pg_ue_one_sql, 2, NULL);
	ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok || PQsetnonblocking(p->db, 1) != 0 ||
	    PQenterPipelineMode(p->db) != 1)
		goto fail;
	*out = p;
	return GBA_OK;
fail:
	PQfinish(p->db);
	free(p);
	return GBA_ERR_DB;
}

void bsf_store_pipe_close(struct bsf_store_pipe *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = p->head; i < p->n; i++)
		PQclear(p->q[i].res); /* libpq does not wipe: see store_pg.c */
	free(p->q);
	PQfinish(p->db);
	free(p);
}

int bsf_store_pipe_fd(const struct bsf_store_pipe *p)
{
	return PQsocket(p->db);
}

int bsf_store_pipe_broken(const struct bsf_store_pipe *p)
{
	return p->broken;
}

size_t bsf_store_pipe_pending(const struct bsf_store_pipe *p)
{
	return p->n - p->head;
}

void bsf_store_pipe_fail(struct bsf_store_pipe *p)
{
	p->broken = 1;
}

static int room(struct bsf_store_pipe *p)
{
	struct pipe_ent *q;
	size_t cap;

	if (p->n < p->cap)
		return GBA_OK;
	if (p->head > 0) {
		memmove(p->q, p->q + p->head, (p->n - p->head) * sizeof(*q));
		p->n -= p->head;
		p->done -= p->head;
		p->head = 0;
		return GBA_OK;
	}
	cap = p->cap ? 2 * p->cap : 64;
	if ((q = realloc(p->q, cap * sizeof(*q))) == NULL)
		return GBA_ERR_NOMEM;
	p->q = q;
	p->cap = cap;
	return GBA_OK;
}

int bsf_store_pipe_send(struct bsf_store_pipe *p, int64_t naf_id,
			const char *ue_id, size_t len, void *tag)
{
	struct bsf_rule_id_keys k;
	struct pipe_ent *e;
	struct pp pp;

	if (p->broken)
		return GBA_ERR_DB;
	if (bsf_pg_ue_one_params(&k, naf_id, ue_id, len, &pp))
		return 1;
	if (room(p) != GBA_OK)
		return GBA_ERR_DB; /* the caller takes the synchronous path */
	if (p->ps->stmt_hook)
		p->ps->stmt_hook(p->ps->stmt_hook_arg, bsf_pg_ue_one_sql);
	if (!PQsendQueryPrepared(p->db, PIPE_STMT, pp.n, pp.v, pp.len, pp.fmt,
				 0)) {
		p->broken = 1;
		return GBA_ERR_DB;
	}
	e = &p->q[p->n++];
	memset(e, 0, sizeof(*e));
	e->tag = tag;
	p->unsynced++;
	return GBA_OK;
}

int bsf_store_pipe_flush(struct bsf_store_pipe *p)
{
	int r;

	if (p->broken)
		return GBA_ERR_DB;
	if (p->unsynced) {
		/* one Sync for the lookups of this batch: one implicit
		 * transaction of read-only statements, and libpq sends them
		 * with it in one write (PQpipelineSync() flushes) */
		if (PQpipelineSync(p->db) != 1) {
			p->broken = 1;
			return GBA_ERR_DB;
		}
		p->q[p->n - 1].sync = 1;
		p->unsynced = 0;
	}
	if ((r = PQflush(p->db)) < 0) {
		p->broken = 1;
		return GBA_ERR_DB;
	}
	return r;
}

/* a result that is not what the protocol says comes next: start over */
static void confused(struct bsf_store_pipe *p, PGresult *res)
{
	PQclear(res);
	p->broken = 1;
}

/* move q[done] on with what libpq has without blocking */
static void advance(struct bsf_store_pipe *p)
{
	while (!p->broken && p->done < p->n - p->unsynced &&
	       !PQisBusy(p->db)) {
		struct pipe_ent *e = &p->q[p->done];
		PGresult *res = PQgetResult(p->db);
		ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

		switch (e->st) {
		case 0:
			if (res == NULL) {
				confused(p, res);
				return;
			}
			if (s == PGRES_TUPLES_OK) {
				e->res = res;
			} else {
				/* a failed lookup (or aborted by the one
				 * before it in its batch): 503 */
				e->r = GBA_ERR_DB;
				PQclear(res);
				if (PQstatus(p->db) != CONNECTION_OK)
					p->broken = 1;
			}
			e->st = 1;
			break;
		case 1:
			if (res != NULL) {
				confused(p, res);
				return;
			}
			if (e->sync)
				e->st = 2;
			else
				p->done++;
			break;
		default:
			if (res == NULL || s != PGRES_PIPELINE_SYNC) {
				confused(p, res);
				return;
			}
			PQclear(res);
			p->done++;
			break;
		}
	}
}

void bsf_store_pipe_read(struct bsf_store_pipe *p)
{
	if (p->broken)
		return;
	/* the server gone (EOF, or an error while nothing was out): broken,
	 * or the readable socket would wake the worker again and again */
	if (!PQconsumeInput(p->db) || PQstatus(p->db) != CONNECTION_OK)
		p->broken = 1;
	else
		advance(p);
}

int bsf_store_pipe_next(struct bsf_store_pipe *p, void **tag, int *r,
			struct bsf_ue *ue, struct bsf_key_row *row)
{
	struct pipe_ent *e;

	advance(p);
	if (p->head == p->n)
		return 0;
	e = &p->q[p->head];
	memset(ue, 0, sizeof(*ue));
	memset(row, 0, sizeof(*row));
	if (p->head < p->done) {
		if (e->res) {
			*r = bsf_pg_ue_one_take(e->res, ue, row); /* frees */
			e->res = NULL;
		} else {
			*r = e->r ? e->r : GBA_ERR_DB;
		}
	} else if (p->broken) {
		*r = GBA_ERR_DB;
	} else {
		return 0;
	}
	*tag = e->tag;
	if (++p->head == p->n)
		p->head = p->done = p->n = p->unsynced = 0;
	return 1;
}
