/*
 * board.h - the QEMU mps2-an386 example: what startup.c, port.c and main.c
 * share.
 */
#ifndef FW_BOARD_H
#define FW_BOARD_H

#include <stdint.h>
#include "gbaue/gbaue.h"

/* main.c: the application; returns the exit status */
int fw_main(void);

/*
 * MPS2 FPGA I/O COUNTER (0x40028018): a 32-bit up counter at the 25 MHz
 * system clock.  Under QEMU with -icount shift=0 virtual time advances
 * 1 ns per executed guest instruction, so one tick is 40 instructions.
 */
#define FW_COUNTER (*(volatile uint32_t *)0x40028018u)
#define FW_INSNS_PER_TICK 40u

/* port.c: the board's gbaue_port (flash banks in RAM, fixed clocks) */
void fw_port_init(struct gbaue_port *port, const struct gbaue_usim_ops *usim,
		  void *usim_arg);
/* simulate a power cut during the next save (the new bank is torn) */
void fw_port_tear_next_save(void);
/* instructions spent in save() so far (CRC-32 and bank copy) */
extern uint32_t fw_port_save_insns;
/* sequence number of the bank load() would pick, 0 for none */
uint32_t fw_port_active_seq(void);

#endif
