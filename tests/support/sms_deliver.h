/*
 * sms_deliver.h - the SMS-DELIVER template of the test senders
 * (tests/cli/gbaue_testgen.c, bench/ue_bench.c, tests/unit/test_gbaue.c,
 * tests/unit/test_gpi_push.c): from +46708251358, TP-PID 0, TP-DCS 0x04
 * (8-bit data, TS 23.038 clause 4), TP-SCTS 26-11-24 00:00:00 +0, TP-MMS
 * bit set (no more messages); UDH with 16-bit ports @dst_port / 9200 and
 * an 8-bit concatenation reference @ref (TS 23.040 9.2.3.24).
 */
#ifndef TEST_SMS_DELIVER_H
#define TEST_SMS_DELIVER_H

#include <stdint.h>
#include "gba/sms.h"

#define TEST_SMS_OA "+46708251358"
#define TEST_SMS_SRC_PORT 9200

/* Fill @t and @so; returns 0, or -1 if the address does not encode. */
int test_sms_deliver(uint16_t dst_port, uint16_t ref, struct gba_sms_tpdu *t,
		     struct gba_sms_seg_opts *so);

#endif
