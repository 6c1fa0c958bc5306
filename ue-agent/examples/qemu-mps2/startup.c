/*
 * startup.c - reset code and vector table of the QEMU mps2-an386 example
 * (Cortex-M4, ARMv7-M Architecture Reference Manual B1.5): enable the FPU
 * when the build uses it, copy .data from flash, clear .bss, set up the
 * semihosting console (newlib rdimon), run main() and exit through
 * semihosting with its status.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "board.h"

extern uint32_t __stack_top, __data_load, __data_start, __data_end,
	__bss_start__, __bss_end__;
extern void initialise_monitor_handles(void);

void Reset_Handler(void);
void fw_fault(void);

void Reset_Handler(void)
{
#if defined(__ARM_FP)
	/* CPACR: full access to CP10 and CP11 before any FP instruction */
	*(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
	__asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
	memcpy(&__data_start, &__data_load,
	       (size_t)((char *)&__data_end - (char *)&__data_start));
	memset(&__bss_start__, 0,
	       (size_t)((char *)&__bss_end__ - (char *)&__bss_start__));
	initialise_monitor_handles();
	exit(fw_main());
}

/* Any fault ends the run with a failure status (no output to compare). */
void fw_fault(void)
{
	exit(3);
}

/* Initial SP, reset, NMI, HardFault, MemManage, BusFault, UsageFault. */
__attribute__((section(".vectors"),
	       used)) static void (*const vectors[16])(void) = {
	(void (*)(void))(uintptr_t)&__stack_top,
	Reset_Handler,
	fw_fault,
	fw_fault,
	fw_fault,
	fw_fault,
	fw_fault,
};
