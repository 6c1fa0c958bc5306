/* see rfc3339.h */
#include <stdio.h>
#include <time.h>
#include "gba/text.h"
#include "rfc3339.h"

int bsf_time_parse(const char *s, size_t len, int64_t *out)
{
	return gba_datetime_parse(s, len, out);
}

int bsf_time_format(int64_t t, char *out, size_t cap)
{
	struct tm tm;
	time_t tt = (time_t)t;
	int n;

	if (!gmtime_r(&tt, &tm))
		return GBA_ERR_BAD_PARAM;
	n = snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec);
	if (n < 0 || (size_t)n >= cap)
		return GBA_ERR_NO_SPACE;
	return GBA_OK;
}
