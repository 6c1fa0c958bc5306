/* see sms_deliver.h */
#include <string.h>
#include "sms_deliver.h"

int test_sms_deliver(uint16_t dst_port, uint16_t ref, struct gba_sms_tpdu *t,
		     struct gba_sms_seg_opts *so)
{
	memset(t, 0, sizeof(*t));
	memset(so, 0, sizeof(*so));
	t->mti = GBA_SMS_MTI_DELIVER;
	t->mms = 1;
	if (gba_sms_addr_from_str(TEST_SMS_OA, &t->addr) != GBA_OK)
		return -1;
	t->dcs = 0x04;
	t->scts.year = 26;
	t->scts.month = 11;
	t->scts.day = 24;
	so->port16 = 1;
	so->dst_port = dst_port;
	so->src_port = TEST_SMS_SRC_PORT;
	so->ref = ref;
	return 0;
}
