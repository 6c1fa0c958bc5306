/*
 * card.h - gba-ue's channels to a real UICC (host only): a PC/SC reader
 * (pcsc-lite) or a modem's AT+CSIM (TS 27.007 8.17, generic SIM access).
 * card_transmit() is the transmit hook of struct gbaue_uicc
 * (gbaue/uicc.h); the library's uicc.c does the rest (T=0 61xx/6Cxx,
 * SELECT of the USIM, AUTHENTICATE).
 */
#ifndef GBAUE_CLI_CARD_H
#define GBAUE_CLI_CARD_H

#include <stddef.h>
#include <stdint.h>
#include <winscard.h>

struct card {
	int kind; /* 0 closed, 1 PC/SC, 2 modem */
	/* PC/SC */
	SCARDCONTEXT ctx;
	SCARDHANDLE handle;
	DWORD proto;
	int have_ctx;
	/* modem */
	int fd;
	char err[160]; /* why the last call failed */
};

/* Connect to the card in reader @name (exact name, or the one reader
 * whose name starts with @name).  Return 0, or -1 with c->err set. */
int card_open_pcsc(struct card *c, const char *name);

/* Open the modem tty @dev (raw, 115200 8N1) and switch echo off.
 * Return 0, or -1 with c->err set. */
int card_open_modem(struct card *c, const char *dev);

/* struct gbaue_uicc transmit hook; @arg is a struct card. */
int card_transmit(void *arg, const uint8_t *apdu, size_t len, uint8_t *resp,
		  size_t cap, size_t *resp_len);

/* Disconnect / close; safe on a closed card. */
void card_close(struct card *c);

#endif
