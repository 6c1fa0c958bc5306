/*
 * gbaue_test_ue.h - the subscriber and the agent configuration of the UE
 * agent's tests (through gbaue_memport_ue(), gbaue_memport.h) and of the
 * QEMU firmware example (ue-agent/examples/qemu-mps2/main.c).  Port
 * independent, no heap, no stdio: the firmware example links it too.
 * Not part of any installed library.
 */
#ifndef GBAUE_TEST_UE_H
#define GBAUE_TEST_UE_H

#include <stdint.h>
#include "gbaue/gbaue.h"
#include "gbaue/susim.h"

/*
 * gbaue_test_ue() - before gbaue_init(): @key the Milenage subscriber of
 * TS 35.208 test set 1 (K, OPc), @usim the software USIM on it (GBA_U
 * capable when @gba_u_capable), @cfg the defaults with @impi, push
 * application code @app_code and trigger port @trigger_port.  The port,
 * with gbaue_susim_ops and @usim as its USIM, is the caller's.
 * Returns GBA_OK or the first error.
 */
int gbaue_test_ue(struct gba_auth_key *key, struct gbaue_susim *usim,
		  int gba_u_capable, struct gbaue_cfg *cfg, const char *impi,
		  uint32_t app_code, uint16_t trigger_port);

#endif
