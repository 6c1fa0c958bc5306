/* see tls_fail.h */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include "gba/err.h"
#include "log.h"
#include "tls_fail.h"

static const char *const reasons[] = {
	"no_cert", "untrusted", "expired",  "not_yet_valid", "revoked",
	"bad_purpose", "protocol", "not_tls", "timeout", "other",
};
#define N_REASONS (sizeof(reasons) / sizeof(reasons[0]))

static atomic_ullong counts[N_REASONS];

void bsf_tls_fail_note(const char *reason, const struct sockaddr *peer)
{
	char addr[INET6_ADDRSTRLEN] = "-";
	size_t i;

	for (i = 0; i < N_REASONS - 1; i++)
		if (reason && !strcmp(reason, reasons[i]))
			break;
	atomic_fetch_add_explicit(&counts[i], 1, memory_order_relaxed);
	if (peer && peer->sa_family == AF_INET)
		inet_ntop(AF_INET,
			  &((const struct sockaddr_in *)(const void *)peer)
				   ->sin_addr,
			  addr, sizeof(addr));
	else if (peer && peer->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)(const void *)peer)
				   ->sin6_addr,
			  addr, sizeof(addr));
	BSF_LOG(BSF_LOG_HTTP, BSF_LOG_WARNING,
		"TLS peer refused: reason=%s peer=%s", reasons[i], addr);
}

size_t bsf_tls_fail_render(char *buf, size_t cap, size_t n)
{
	size_t i;
	int w;

	if (n >= cap)
		return 0;
	w = snprintf(buf + n, cap - n,
		     "# HELP gba_bsf_tls_handshake_failures_total TLS peers "
		     "refused, by reason.\n"
		     "# TYPE gba_bsf_tls_handshake_failures_total counter\n");
	if (w < 0 || (size_t)w >= cap - n)
		return 0;
	n += (size_t)w;
	for (i = 0; i < N_REASONS; i++) {
		w = snprintf(buf + n, cap - n,
			     "gba_bsf_tls_handshake_failures_total"
			     "{reason=\"%s\"} %llu\n",
			     reasons[i],
			     (unsigned long long)atomic_load(&counts[i]));
		if (w < 0 || (size_t)w >= cap - n)
			return 0;
		n += (size_t)w;
	}
	return n;
}
