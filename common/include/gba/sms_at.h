/*
 * gba/sms_at.h - the result lines a modem prints in front of a PDU.
 *
 * 3GPP TS 27.005 V17.x clause 3.4 (+CMGL, +CMGR) and clause 3.4.1 / 3.5
 * (+CMT unsolicited result) in PDU mode (AT+CMGF=0).
 *
 * Host only: the AT-line parser is not part of libgba in the firmware
 * build (a firmware integration reads PDUs through its own modem driver).
 */
#ifndef GBA_SMS_AT_H
#define GBA_SMS_AT_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * gba_sms_modem_header() - recognise the header line a modem prints before
 * a PDU in TS 27.005 PDU mode ("+CMGL: <index>,<stat>,[<alpha>],<length>",
 * "+CMGR: <stat>,[<alpha>],<length>", "+CMT: [<alpha>],<length>") and read
 * <length>, the TPDU octet count (the SMSC address is not counted).
 * @line, @len: [in] one line without its terminator; blanks around
 *              <length> are allowed
 * @tpdu_len:   [out] <length> on GBA_OK
 * Return: GBA_OK for a header line; GBA_ERR_NOT_FOUND when the line is not
 * one (a hex PDU, say); GBA_ERR_MALFORMED when <length> is not a decimal
 * number 0..255.
 */
GBA_EXPORT int gba_sms_modem_header(const char *line, size_t len,
				    size_t *tpdu_len) GBA_WARN_UNUSED;

#ifdef __cplusplus
}
#endif
#endif
