/* see log.h */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "log.h"

static struct {
	FILE *fp;
	int own;
	int level;
	int log_keys;
	uint8_t key[32];
} lg = { NULL, 0, BSF_LOG_INFO, 0, { 0 } };

static const char *const sub_names[] = {
	"main", "http", "nbsp", "zpn", "store", "gpi", "crypto",
};
static const char *const level_names[] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
};

int bsf_log_init(const char *path, int level, const uint8_t *key,
		 int log_keys)
{
	int r;

	lg.level = level;
	lg.log_keys = 0;
#ifdef BSF_DEBUG_KEYS
	lg.log_keys = log_keys;
#else
	(void)log_keys;
#endif
	if (key)
		memcpy(lg.key, key, sizeof(lg.key));
	else if ((r = gba_random(lg.key, sizeof(lg.key))) != 0)
		return r;
	if (!path || !*path || !strcmp(path, "-")) {
		lg.fp = stderr;
		lg.own = 0;
		return GBA_OK;
	}
	if (!(lg.fp = fopen(path, "a"))) {
		lg.fp = stderr;
		return GBA_ERR_IO;
	}
	setvbuf(lg.fp, NULL, _IOLBF, 0);
	lg.own = 1;
	return GBA_OK;
}

void bsf_log_close(void)
{
	if (lg.own && lg.fp)
		fclose(lg.fp);
	lg.fp = NULL;
	lg.own = 0;
	gba_cleanse(lg.key, sizeof(lg.key));
}

int bsf_log_enabled(int level)
{
	return level <= lg.level;
}

static void stamp(char *buf, size_t n)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)(ts.tv_nsec / 1000000) % 1000);
}

void bsf_log(enum bsf_log_sub sub, int level, const char *fmt, ...)
{
	char msg[512], ts[64];
	va_list ap;
	FILE *fp = lg.fp ? lg.fp : stderr;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	stamp(ts, sizeof(ts));
	/* one fprintf per line: stdio locks the stream, lines do not mix */
	fprintf(fp, "ts=%s level=%s sub=%s msg=\"%s\"\n", ts,
		level_names[level & 7],
		(unsigned)sub < GBA_ARRAY_SIZE(sub_names) ? sub_names[sub] : "?",
		msg);
}

void bsf_log_ue_tag(const char *ue_id, size_t len,
		    char out[BSF_UE_TAG_LEN + 1])
{
	const uint8_t *addr[1] = { (const uint8_t *)ue_id };
	const size_t alen[1] = { len };
	uint8_t mac[GBA_SHA256_LEN];

	if (!ue_id || gba_hmac_sha256_vec(lg.key, sizeof(lg.key), 1, addr,
					  alen, mac) != 0 ||
	    gba_hex_encode(mac, BSF_UE_TAG_LEN / 2, out, BSF_UE_TAG_LEN + 1))
		memcpy(out, "-", 2);
	gba_cleanse(mac, sizeof(mac));
}

void bsf_log_hexdump_key(enum bsf_log_sub sub, const char *title,
			 const uint8_t *key, size_t len)
{
	char hex[2 * 64 + 1];

	if (!bsf_log_enabled(BSF_LOG_DEBUG))
		return;
	if (!lg.log_keys || len > 64 ||
	    gba_hex_encode(key, len, hex, sizeof(hex)) != 0) {
		bsf_log(sub, BSF_LOG_DEBUG, "%s: [REMOVED]", title);
		return;
	}
	bsf_log(sub, BSF_LOG_DEBUG, "%s: %s", title, hex);
	gba_cleanse(hex, sizeof(hex));
}

void bsf_log_request(const struct bsf_log_req *r)
{
	char ts[64];
	FILE *fp = lg.fp ? lg.fp : stderr;

	if (!bsf_log_enabled(BSF_LOG_INFO))
		return;
	stamp(ts, sizeof(ts));
	fprintf(fp,
		"ts=%s level=info sub=req naf=\"%s\" endpoint=%s status=%d "
		"outcome=%s latency_ms=%.3f ue=%s gba=%s\n",
		ts, r->naf ? r->naf : "-", r->endpoint, r->status,
		r->outcome ? r->outcome : "-", r->latency_ms,
		r->ue_tag ? r->ue_tag : "-", r->gba ? r->gba : "-");
}
