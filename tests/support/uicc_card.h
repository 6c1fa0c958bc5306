/*
 * uicc_card.h - pieces of the fake cards behind struct gbaue_uicc in the
 * UE tests (tests/unit/test_gbaue.c, tests/unit/test_gbaue_uicc.c): the
 * R-APDU of TS 102 221 10.2 (response data, then SW1 SW2) and a card
 * that answers every command with one status word.
 */
#ifndef TEST_UICC_CARD_H
#define TEST_UICC_CARD_H

#include <stddef.h>
#include <stdint.h>

/* @resp: the @n octets of @data (none when @n is 0), then SW1 SW2 of @sw;
 * *@resp_len = @n + 2.  The caller has checked that @resp holds them. */
void test_rapdu(uint8_t *resp, const uint8_t *data, size_t n, unsigned sw,
		size_t *resp_len);

/* a card answering @sw alone to every command (a transport error when
 * @fail or when the response buffer holds less than 2 octets); @calls
 * counts the commands */
struct sw_card {
	unsigned sw;
	int fail; /* 1: transport error */
	int calls;
};

/* the struct gbaue_uicc transmit hook of a struct sw_card (@arg) */
int sw_card_tx(void *arg, const uint8_t *apdu, size_t len, uint8_t *resp,
	       size_t cap, size_t *resp_len);

#endif
