/*
 * gbaue_memport.h - an in-memory platform port for the UE agent, shared by
 * the unit tests (tests/unit/test_gbaue.c), the libFuzzer target
 * (tests/fuzz/fuzz_gbaue_pdu.c) and the benchmark (bench/ue_bench.c); for
 * the last two, their whole UE in one piece (struct gbaue_memue).
 *
 * State blob in a caller-owned buffer, clocks the caller sets, a switch
 * that makes saves fail, counters of saves and log lines.  No heap, no
 * stdio (it could run on the device too); not part of any installed
 * library.  The port contract is gbaue/port.h.
 */
#ifndef GBAUE_MEMPORT_H
#define GBAUE_MEMPORT_H

#include <stddef.h>
#include <stdint.h>
#include "gbaue/gbaue.h"
#include "gbaue/susim.h"

struct gbaue_memport {
	uint8_t blob[GBAUE_STATE_BLOB_LEN];
	size_t blob_len;
	int have_blob;     /* 0: load reports "no state yet" */
	int save_fail;     /* 1: every save fails */
	int saves;         /* successful saves */
	uint64_t now_s;    /* wall clock, Unix seconds */
	uint64_t now_ms;   /* monotonic clock */
	int logs;          /* log lines seen */
};

/*
 * gbaue_memport_init() - clear @m, set its clocks, and point @port's
 * now_ms, wall_time, load, save and log hooks (and arg) at it.  The USIM
 * ops and the random hook are left to the caller.
 */
void gbaue_memport_init(struct gbaue_memport *m, struct gbaue_port *port,
			uint64_t now_s, uint64_t now_ms);

/*
 * gbaue_memport_ue() - the UE of the tests, before gbaue_init(): @key,
 * @usim and @cfg as gbaue_test_ue() (gbaue_test_ue.h) makes them (TS 35.208
 * test set 1, GBA_U capable when @gba_u_capable, @impi, @app_code,
 * @trigger_port) and @port from gbaue_memport_init(@m, ...) with that USIM.
 * Returns GBA_OK or the first error.
 */
int gbaue_memport_ue(struct gbaue_memport *m, struct gbaue_port *port,
		     uint64_t now_s, uint64_t now_ms, struct gba_auth_key *key,
		     struct gbaue_susim *usim, int gba_u_capable,
		     struct gbaue_cfg *cfg, const char *impi,
		     uint32_t app_code, uint16_t trigger_port);

/* The UE of the fuzzer and the benchmark: port, subscriber, USIM,
 * configuration and the agent's context. */
struct gbaue_memue {
	struct gbaue_memport mp;
	struct gbaue_port port;
	struct gba_auth_key key;
	struct gbaue_susim usim;
	struct gbaue_cfg cfg;
	struct gbaue_ctx ctx;
};

/*
 * gbaue_memue_setup() - gbaue_memport_ue() on the parts of @u, with the
 * port's log hook off (no log line costs time); gbaue_init() on @u->ctx
 * is the caller's.  Returns GBA_OK or the first error.
 */
int gbaue_memue_setup(struct gbaue_memue *u, uint64_t now_s, uint64_t now_ms,
		      int gba_u_capable, const char *impi, uint32_t app_code,
		      uint16_t trigger_port);

#endif
