/* see gba/fqdn.h (TS 29.571 clause 5.2.2 Fqdn) */
#include "gba/fqdn.h"

/* the pattern's length bounds, the trailing root dot included */
#define FQDN_29571_MIN 4
#define FQDN_29571_MAX 253
#define FQDN_LABEL_MAX 63

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

int gba_fqdn_valid(const char *s, size_t len)
{
	size_t i = 0, start, labels = 0;
	int alpha;

	if (!s || len < FQDN_29571_MIN || len > FQDN_29571_MAX)
		return 0;
	if (s[len - 1] == '.')
		len--;
	for (;;) {
		/* one label: [0-9A-Za-z]([-0-9A-Za-z]{0,61}[0-9A-Za-z])? */
		start = i;
		alpha = 1;
		while (i < len && (is_alnum(s[i]) || s[i] == '-')) {
			if (!is_alpha(s[i]))
				alpha = 0;
			i++;
		}
		if (i == start || i - start > FQDN_LABEL_MAX ||
		    s[start] == '-' || s[i - 1] == '-')
			return 0;
		labels++;
		if (i == len) /* the last label: [A-Za-z]{2,63} */
			return labels >= 2 && alpha && i - start >= 2;
		if (s[i] != '.')
			return 0;
		i++;
	}
}

void gba_fqdn_canon(const char *s, size_t len, char out[GBA_FQDN_MAX + 1])
{
	size_t i;

	if (len && s[len - 1] == '.')
		len--;
	if (len > GBA_FQDN_MAX)
		len = GBA_FQDN_MAX;
	for (i = 0; i < len; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	out[len] = '\0';
}
