/*
 * gbaue/port.h - the platform port of the UE agent library (style.md C12).
 *
 * The library has no heap, no stdio and no OS calls.  Everything it needs
 * from the platform comes through struct gbaue_port: time, randomness,
 * persistent storage of one state blob, an optional log sink, and the USIM.
 * ue-agent/src/port_none.c is a commented skeleton for porters;
 * docs/internals/PORT.md describes each hook.
 *
 * Pointer rules: every hook receives the @arg given in the port (or, for
 * the USIM, @usim_arg).  Hooks marked "may be NULL" are optional; all others
 * are required and gbaue_init() refuses a port without them.  The port
 * structure itself must stay valid while the context is used.
 */
#ifndef GBAUE_PORT_H
#define GBAUE_PORT_H

#include <stddef.h>
#include <stdint.h>
#include "gba/aka.h"
#include "gba/err.h"
#include "gba/kdf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Log levels for gbaue_port.log (lower is more severe). */
#define GBAUE_LOG_ERR 3
#define GBAUE_LOG_WARN 4
#define GBAUE_LOG_INFO 6
#define GBAUE_LOG_DEBUG 7

/*
 * Result of a USIM AUTHENTICATE (TS 31.102 7.1.2, TS 33.102 6.3.3).
 * GBA_ME (3G context): @ck and @ik on success.  GBA_U (GBA context,
 * bootstrapping mode): the USIM keeps Ks; @ck/@ik stay zero.
 * On GBA_ERR_SYNC @auts holds AUTS (14 octets).
 */
struct gbaue_usim_auth {
	uint8_t ck[GBA_CK_LEN];
	uint8_t ik[GBA_IK_LEN];
	uint8_t auts[GBA_AUTS_LEN];
};

/*
 * The USIM as the agent sees it.  A software USIM (gbaue/susim.h) and an
 * APDU-based UICC hook (gbaue/uicc.h) both provide these.
 */
struct gbaue_usim_ops {
	/**
	 * authenticate() - run AKA on RAND and AUTN (@gba_u = 0, 3G context)
	 * or AUTN* (@gba_u = 1, GBA context bootstrapping mode).
	 * Return: GBA_OK (@out filled for GBA_ME); GBA_ERR_MAC (MAC/MAC*
	 * wrong); GBA_ERR_SYNC (@out->auts filled); GBA_ERR_AMF;
	 * GBA_ERR_UNSUPPORTED (mode or command not supported);
	 * GBA_ERR_NOT_AUTHORIZED (the card refused otherwise); GBA_ERR_IO
	 * (card transport: sticky in the agent, so never for an answer the
	 * input can provoke).  Required.
	 */
	int (*authenticate)(void *usim, const uint8_t rand[GBA_RAND_LEN],
			    const uint8_t autn[GBA_AUTN_LEN], int gba_u,
			    struct gbaue_usim_auth *out);
	/**
	 * naf_derive() - GBA_U NAF derivation mode: the USIM derives
	 * Ks_ext_NAF and Ks_int_NAF from its Ks, keeps Ks_int_NAF and returns
	 * Ks_ext_NAF.  May be NULL: then GBA_U GPIs are rejected.
	 * Return: GBA_OK, GBA_ERR_STATE (no Ks), GBA_ERR_IO, GBA_ERR_CRYPTO
	 * (sticky); GBA_ERR_UNSUPPORTED / GBA_ERR_NOT_AUTHORIZED (the card
	 * refused: a REJECTED event).
	 */
	int (*naf_derive)(void *usim, const uint8_t *naf_id, size_t naf_id_len,
			  const uint8_t *impi, size_t impi_len,
			  uint8_t ks_ext_naf[GBA_KDF_OUT_LEN]);
	/**
	 * finish() - the agent's verdict on the last successful
	 * authenticate(): @accepted = 1 when the whole GPI was accepted.  A
	 * software USIM stages its SQN array and Ks until then; a real UICC
	 * has already committed (TS 33.102 6.3.3) and ignores it.
	 * May be NULL.
	 */
	void (*finish)(void *usim, int accepted);
};

struct gbaue_port {
	void *arg; /* passed to every hook below */
	/** monotonic time in milliseconds (reassembly timeout).  Required. */
	uint64_t (*now_ms)(void *arg);
	/**
	 * wall clock, Unix seconds UTC (NAF key expiry from the GPI).
	 * Return 0 on success, nonzero when the time is unknown: then GPIs
	 * and triggers are rejected (GBAUE_R_NO_TIME).  Required.
	 */
	int (*wall_time)(void *arg, uint64_t *unix_s);
	/**
	 * random octets (registered with gba_crypto_set_rng() for backends
	 * without their own source).  May be NULL when the crypto backend
	 * has one (OpenSSL).  Return 0 on success.
	 */
	int (*random)(void *arg, uint8_t *buf, size_t len);
	/**
	 * load() - read the saved state blob into @buf (@cap octets).
	 * Return 0 with *@len set; 1 when nothing was ever saved; any other
	 * value is an I/O error.  Required.
	 */
	int (*load)(void *arg, uint8_t *buf, size_t cap, size_t *len);
	/**
	 * save() - replace the saved state blob atomically (write new, then
	 * switch).  The blob holds NAF keys: store it where only the agent
	 * can read it.  Return 0 on success.  Required.
	 */
	int (*save)(void *arg, const uint8_t *buf, size_t len);
	/**
	 * log() - one line of diagnostics, no secrets, no IMPI (style.md
	 * C15).  @msg is a constant string, @code a gba_err or reason value.
	 * May be NULL.  Never called when built with GBAUE_NO_LOG.
	 */
	void (*log)(void *arg, int level, const char *msg, int code);
	/* The USIM. */
	const struct gbaue_usim_ops *usim;
	void *usim_arg;
};

/* port_none.c: a skeleton whose hooks all fail safely (for porters). */
GBA_EXPORT extern const struct gbaue_port gbaue_port_none;

#ifdef __cplusplus
}
#endif
#endif
