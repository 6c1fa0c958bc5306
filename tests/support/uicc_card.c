/* see uicc_card.h */
#include <string.h>
#include "uicc_card.h"

void test_rapdu(uint8_t *resp, const uint8_t *data, size_t n, unsigned sw,
		size_t *resp_len)
{
	if (n)
		memcpy(resp, data, n);
	resp[n] = (uint8_t)(sw >> 8);
	resp[n + 1] = (uint8_t)sw;
	*resp_len = n + 2;
}

int sw_card_tx(void *arg, const uint8_t *apdu, size_t len, uint8_t *resp,
	       size_t cap, size_t *resp_len)
{
	struct sw_card *c = arg;

	(void)apdu;
	(void)len;
	c->calls++;
	if (c->fail || cap < 2)
		return -1;
	test_rapdu(resp, NULL, 0, c->sw, resp_len);
	return 0;
}
