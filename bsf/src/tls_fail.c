/* see tls_fail.h */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <gnutls/gnutls.h>
#include "bsf_limits.h"
#include "gba/text.h"
#include "log.h"
#include "tls_fail.h"

static const char *const names[BSF_TF_COUNT_] = {
	"no_cert",     "untrusted", "expired", "not_yet_valid", "revoked",
	"bad_purpose", "protocol",  "not_tls", "timeout",	"other",
};

static atomic_ullong counts[BSF_TF_COUNT_];

/* per peer address: lines written in the current window, lines held back */
struct peer_slot {
	uint8_t a[17]; /* family tag + address; a[0] == 0: free */
	double win;    /* start of the window (monotonic seconds) */
	unsigned lines;
	unsigned long suppressed;
};

static struct peer_slot peers[BSF_TLS_FAIL_PEERS];
static pthread_mutex_t peers_mu = PTHREAD_MUTEX_INITIALIZER;

const char *bsf_tls_fail_name(enum bsf_tls_fail r)
{
	return (unsigned)r < BSF_TF_COUNT_ ? names[r] : "other";
}

enum bsf_tls_fail bsf_tls_fail_from_name(const char *name)
{
	unsigned i;

	for (i = 0; name && i < BSF_TF_COUNT_; i++)
		if (!strcmp(name, names[i]))
			return (enum bsf_tls_fail)i;
	return BSF_TF_OTHER;
}

enum bsf_tls_fail bsf_tls_fail_from_status(unsigned status)
{
	if (status &
	    (GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_SIGNER_NOT_CA |
	     GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_INSECURE_ALGORITHM |
	     GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE))
		return BSF_TF_UNTRUSTED;
	if (status & GNUTLS_CERT_REVOKED)
		return BSF_TF_REVOKED;
	if (status & GNUTLS_CERT_EXPIRED)
		return BSF_TF_EXPIRED;
	if (status & GNUTLS_CERT_NOT_ACTIVATED)
		return BSF_TF_NOT_YET_VALID;
	if (status & GNUTLS_CERT_PURPOSE_MISMATCH)
		return BSF_TF_BAD_PURPOSE;
	return BSF_TF_OTHER;
}

uint64_t bsf_tls_fail_count(enum bsf_tls_fail r)
{
	return (unsigned)r < BSF_TF_COUNT_ ? atomic_load(&counts[r]) : 0;
}

static enum bsf_tls_fail by_name(const char *reason)
{
	unsigned i;

	for (i = 0; reason && i < BSF_TF_COUNT_; i++)
		if (!strcmp(reason, names[i]))
			return (enum bsf_tls_fail)i;
	return BSF_TF_OTHER;
}

static double mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* "ADDR:PORT" ("[ADDR]:PORT" for IPv6) and the rate-limit key */
static void peer_text(const struct sockaddr *sa, char *out, size_t cap,
		      uint8_t k[17])
{
	char ip[INET6_ADDRSTRLEN];

	memset(k, 0, 17);
	k[0] = 1;
	snprintf(out, cap, "-");
	if (!sa)
		return;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)sa;

		k[0] = 4;
		memcpy(k + 1, &a->sin_addr, 4);
		if (inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip)))
			snprintf(out, cap, "%s:%u", ip, ntohs(a->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)sa;

		k[0] = 6;
		memcpy(k + 1, &a->sin6_addr, 16);
		if (inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip)))
			snprintf(out, cap, "[%s]:%u", ip, ntohs(a->sin6_port));
	}
}

/*
 * 1: write a line now (*@held: lines held back before it); 0: hold it
 * back.  A small table probed from the address's hash; when every probed
 * slot is taken by another address, the one with the oldest window is
 * reused (its held-back count is then lost, the counter has it).
 */
static int may_log(const uint8_t k[17], double now, unsigned long *held)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	struct peer_slot *e = NULL, *empty = NULL, *old = NULL;
	size_t i, j;
	int ok;

	for (i = 0; i < 17; i++)
		h = (h ^ k[i]) * 1099511628211ull;
	pthread_mutex_lock(&peers_mu);
	for (j = 0; j < 8 && !e; j++) {
		struct peer_slot *s = &peers[(h + j) % BSF_TLS_FAIL_PEERS];

		if (!memcmp(s->a, k, 17))
			e = s;
		else if (s->a[0] == 0 && !empty)
			empty = s;
		else if (s->a[0] != 0 && (!old || s->win < old->win))
			old = s;
	}
	if (!e) {
		e = empty ? empty : old;
		memcpy(e->a, k, 17);
		e->win = now;
		e->lines = 0;
		e->suppressed = 0;
	}
	if (now - e->win >= BSF_TLS_FAIL_LOG_WINDOW_S) {
		e->win = now;
		e->lines = 0;
	}
	ok = e->lines < BSF_TLS_FAIL_LOG_BURST;
	if (ok) {
		e->lines++;
		*held = e->suppressed;
		e->suppressed = 0;
	} else {
		e->suppressed++;
	}
	pthread_mutex_unlock(&peers_mu);
	return ok;
}

void bsf_tls_fail_note(const char *reason, const struct sockaddr *peer)
{
	enum bsf_tls_fail r = by_name(reason);
	char addr[INET6_ADDRSTRLEN + 16], more[48] = "";
	unsigned long held = 0;
	uint8_t k[17];

	atomic_fetch_add_explicit(&counts[r], 1, memory_order_relaxed);
	if (!bsf_log_enabled(BSF_LOG_WARNING))
		return;
	peer_text(peer, addr, sizeof(addr), k);
	if (!may_log(k, mono_now(), &held))
		return;
	if (held)
		snprintf(more, sizeof(more), " suppressed=%lu", held);
	bsf_log(BSF_LOG_HTTP, BSF_LOG_WARNING,
		"TLS handshake failed peer=%s reason=%s%s", addr, names[r],
		more);
}

size_t bsf_tls_fail_metrics(char *buf, size_t cap, size_t n)
{
	struct gba_dynbuf d;
	unsigned i;

	gba_dynbuf_init_fixed(&d, buf + n, cap - n, 0);
	gba_dynbuf_printf(
		&d, "# HELP gba_bsf_tls_handshake_failures_total Failed TLS "
		    "handshakes by reason.\n"
		    "# TYPE gba_bsf_tls_handshake_failures_total counter\n");
	for (i = 0; i < BSF_TF_COUNT_; i++) {
		gba_dynbuf_printf(&d,
				  "gba_bsf_tls_handshake_failures_total"
				  "{reason=\"%s\"} %llu\n",
				  names[i],
				  (unsigned long long)atomic_load(&counts[i]));
	}
	return gba_dynbuf_err(&d) ? 0 : n + gba_dynbuf_len(&d);
}
