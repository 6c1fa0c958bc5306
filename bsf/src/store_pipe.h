/*
 * store_pipe.h - the GPI lookup without waiting: one PostgreSQL
 * connection of an HTTPS worker in libpq pipeline mode, non-blocking
 * (store_pg_pipe.c), so that the worker serves other requests while its
 * lookups are out (bench/README.md "bsf_pg_bench.sh": one synchronous
 * round trip per GPI cost a sleep and a wake-up of the worker each).
 *
 * It runs the statement of the synchronous path (bsf_pg_ue_lookup_one():
 * identity, TS 33.187 association, GBA parameters and key row in one
 * read, TS 33.223 clause 4.2 steps 2-4), prepared once per connection,
 * each followed by its own Sync (one implicit transaction per lookup: a
 * failed one does not abort the next).  Results come back in the order
 * the lookups were sent.  Everything else of the store (SQN windows,
 * resync, Push-NAFs) stays on the pooled connections.
 *
 * One thread uses a pipe.  The SQLite backend has none
 * (bsf_store_pipe_open() answers GBA_ERR_BAD_PARAM).
 */
#ifndef BSF_STORE_PIPE_H
#define BSF_STORE_PIPE_H

#include <stddef.h>
#include <stdint.h>
#include "store.h"

struct bsf_store_pipe;

/**
 * bsf_store_pipe_open() - connect (blocking, as the pool does) and
 * prepare the statement.
 * Return: GBA_OK, GBA_ERR_BAD_PARAM (not a PostgreSQL store), GBA_ERR_DB
 * (the server cannot be reached: try again later), GBA_ERR_NOMEM.
 */
int bsf_store_pipe_open(struct bsf_store *st, struct bsf_store_pipe **out);

/** bsf_store_pipe_close() - close (NULL: nothing); nothing may be pending. */
void bsf_store_pipe_close(struct bsf_store_pipe *p);

/** bsf_store_pipe_fd() - the socket to watch (readable; writable when
 * bsf_store_pipe_flush() answered 1). */
int bsf_store_pipe_fd(const struct bsf_store_pipe *p);

/**
 * bsf_store_pipe_send() - queue the lookup of the IMPI @ue_id for the
 * Push-NAF @naf_id (as bsf_hss_ue_lookup() with BSF_ID_PRIVATE and
 * BSF_GBA_NO_USS); @tag comes back with its result.  Nothing is sent
 * before bsf_store_pipe_flush().
 * Return: GBA_OK; 1 when @ue_id is not an identity this statement
 * handles (nothing queued: take the synchronous path, which reports it);
 * GBA_ERR_DB (the connection is broken: nothing queued).
 */
int bsf_store_pipe_send(struct bsf_store_pipe *p, int64_t naf_id,
			const char *ue_id, size_t len, void *tag);

/** bsf_store_pipe_flush() - send what is queued: 0 all sent, 1 wait
 * for the socket to be writable, GBA_ERR_DB broken. */
int bsf_store_pipe_flush(struct bsf_store_pipe *p);

/** bsf_store_pipe_read() - read what the socket has (readable); a
 * failure marks the pipe broken (see bsf_store_pipe_next()). */
void bsf_store_pipe_read(struct bsf_store_pipe *p);

/**
 * bsf_store_pipe_next() - the oldest pending lookup when its result is
 * in: *@tag, and *@r with @ue and @row as bsf_store_ue_lookup_key()
 * leaves them (bsf_hss_ue_lookup_take() turns them into a key).  Once the
 * pipe is broken every pending lookup comes back with GBA_ERR_DB.
 * Return: 1 one result, 0 none ready.
 */
int bsf_store_pipe_next(struct bsf_store_pipe *p, void **tag, int *r,
			struct bsf_ue *ue, struct bsf_key_row *row);

/** bsf_store_pipe_broken() - 1 once the connection failed (close it
 * after bsf_store_pipe_next() returned every pending lookup). */
int bsf_store_pipe_broken(const struct bsf_store_pipe *p);

/** bsf_store_pipe_pending() - lookups sent or queued, not yet returned. */
size_t bsf_store_pipe_pending(const struct bsf_store_pipe *p);

/** bsf_store_pipe_fail() - mark broken (e.g. the oldest lookup is late). */
void bsf_store_pipe_fail(struct bsf_store_pipe *p);

#endif
