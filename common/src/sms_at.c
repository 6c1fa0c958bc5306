/* see gba/sms_at.h (TS 27.005 PDU mode result lines; host only) */
#include <string.h>
#include "gba/sms_at.h"

int gba_sms_modem_header(const char *line, size_t len, size_t *tpdu_len)
{
	static const char *const tags[] = { "+CMGL:", "+CMGR:", "+CMT:" };
	size_t i, start = 0, end, v = 0;
	int known = 0;

	*tpdu_len = 0;
	if (!line)
		return GBA_ERR_BAD_PARAM;
	for (i = 0; i < GBA_ARRAY_SIZE(tags); i++) {
		size_t n = strlen(tags[i]);

		if (len >= n && memcmp(line, tags[i], n) == 0) {
			known = 1;
			start = n;
			break;
		}
	}
	if (!known)
		return GBA_ERR_NOT_FOUND;
	/* <length> is the last comma-separated field (the only one for a
	 * "+CMT: <length>" without alpha field) */
	for (i = len; i > start; i--) {
		if (line[i - 1] == ',') {
			start = i;
			break;
		}
	}
	end = len;
	while (start < end && (line[start] == ' ' || line[start] == '\t'))
		start++;
	while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t'))
		end--;
	if (start == end)
		return GBA_ERR_MALFORMED;
	for (i = start; i < end; i++) {
		if (line[i] < '0' || line[i] > '9')
			return GBA_ERR_MALFORMED;
		v = v * 10 + (size_t)(line[i] - '0');
		if (v > 255)
			return GBA_ERR_MALFORMED;
	}
	*tpdu_len = v;
	return GBA_OK;
}
