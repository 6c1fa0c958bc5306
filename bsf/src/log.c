/* see log.h */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "log.h"

static struct {
	FILE *fp;
	int own;
	int level;
	int log_keys;
	uint8_t key[32];
	char path[4096]; /* for bsf_log_reopen() */
	int json;	 /* JSON lines instead of logfmt */
	int journal;	 /* stderr is the journal: "<N>" priority prefix */
} lg = { NULL, 0, BSF_LOG_INFO, 0, { 0 }, "", 0, 0 };

/*
 * systemd connects stderr to the journal and says so in JOURNAL_STREAM
 * ("<device>:<inode>" of that stream, systemd.exec(5)); a line starting
 * with "<N>" then gets syslog priority N (sd-daemon(3)).  The check of the
 * device and inode keeps a stale variable (inherited by a child whose
 * stderr was redirected) from adding prefixes to a file.
 */
static int stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char *end;

	if (!js || !*js)
		return 0;
	errno = 0;
	dev = strtoull(js, &end, 10);
	if (*end != ':' || end == js)
		return 0;
	js = end + 1;
	ino = strtoull(js, &end, 10);
	if (*end || end == js || errno)
		return 0;
	if (fstat(2, &st) != 0)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	       (unsigned long long)st.st_ino == ino;
}

void bsf_log_set_format(int json)
{
	lg.json = json;
}

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
		lg.journal = stderr_is_journal();
		return GBA_OK;
	}
	if (!(lg.fp = fopen(path, "a"))) {
		lg.fp = stderr;
		return GBA_ERR_IO;
	}
	setvbuf(lg.fp, NULL, _IOLBF, 0);
	lg.own = 1;
	snprintf(lg.path, sizeof(lg.path), "%s", path);
	return GBA_OK;
}

int bsf_log_reopen(void)
{
	FILE *nf;
	int r = GBA_OK;

	if (!lg.own || !lg.fp)
		return GBA_OK; /* stderr: nothing to reopen */
	if (!(nf = fopen(lg.path, "a")))
		return GBA_ERR_IO; /* keep writing to the old file */
	/* the stream lock keeps other threads' lines whole; dup2() swaps the
	 * file under the same FILE, so no thread ever sees a closed stream */
	flockfile(lg.fp);
	fflush(lg.fp);
	if (dup2(fileno(nf), fileno(lg.fp)) < 0)
		r = GBA_ERR_IO;
	funlockfile(lg.fp);
	fclose(nf);
	return r;
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

/* @s as the inside of a JSON string (RFC 8259 7): quote, backslash and
 * control characters escaped; cut at @cap */
static void json_esc(char *out, size_t cap, const char *s)
{
	static const char hx[] = "0123456789abcdef";
	size_t o = 0;

	for (; *s && o + 7 < cap; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			out[o++] = '\\';
			out[o++] = (char)ch;
		} else if (ch < 0x20) {
			memcpy(out + o, "\\u00", 4);
			out[o + 4] = hx[ch >> 4];
			out[o + 5] = hx[ch & 15];
			o += 6;
		} else {
			out[o++] = (char)ch;
		}
	}
	out[o] = '\0';
}

void bsf_log(enum bsf_log_sub sub, int level, const char *fmt, ...)
{
	char msg[512], ts[64], pri[8] = "";
	va_list ap;
	FILE *fp = lg.fp ? lg.fp : stderr;
	const char *sn =
		(unsigned)sub < GBA_ARRAY_SIZE(sub_names) ? sub_names[sub] : "?";

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	stamp(ts, sizeof(ts));
	if (lg.journal && !lg.own)
		snprintf(pri, sizeof(pri), "<%d>", level & 7);
	/* one fprintf per line: stdio locks the stream, lines do not mix */
	if (lg.json) {
		char esc[6 * 512 + 1];

		json_esc(esc, sizeof(esc), msg);
		fprintf(fp,
			"%s{\"ts\":\"%s\",\"level\":\"%s\",\"sub\":\"%s\","
			"\"msg\":\"%s\"}\n",
			pri, ts, level_names[level & 7], sn, esc);
		return;
	}
	fprintf(fp, "%sts=%s level=%s sub=%s msg=\"%s\"\n", pri, ts,
		level_names[level & 7], sn, msg);
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

/* append @s (at most @n octets) to @b at *@o, bounded by @cap */
static void put(char *b, size_t cap, size_t *o, const char *s, size_t n)
{
	if (n > cap - *o)
		n = cap - *o;
	memcpy(b + *o, s, n);
	*o += n;
}

static void put_s(char *b, size_t cap, size_t *o, const char *s)
{
	put(b, cap, o, s, strlen(s));
}

/* unsigned decimal, at least @width digits (zero padded) */
static void put_u(char *b, size_t cap, size_t *o, uint64_t v, unsigned width)
{
	char d[24];
	size_t i = sizeof(d);

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i);
	while (sizeof(d) - i < width && i)
		d[--i] = '0';
	put(b, cap, o, d + i, sizeof(d) - i);
}

/* bsf_log_request(): one field sequence, two layouts: the text before
 * each field in logfmt [0] and JSON [1].  naf: validated certificate
 * identity charset; the other strings are the daemon's own constants or
 * hex, so none needs escaping */
enum { S_TS, S_NAF, S_EP, S_STATUS, S_OUTCOME, S_LAT, S_UE, S_GBA,
       S_END, S_N };
static const char *const req_sep[2][S_N] = {
	{ "ts=", "Z level=info sub=req naf=\"", "\" endpoint=",
	  " status=", " outcome=", " latency_ms=", " ue=", " gba=", "" },
	{ "{\"ts\":\"",
	  "Z\",\"level\":\"info\",\"sub\":\"req\",\"naf\":\"",
	  "\",\"endpoint\":\"", "\",\"status\":", ",\"outcome\":\"",
	  "\",\"latency_ms\":", ",\"ue\":\"", "\",\"gba\":\"", "\"}" },
};

/*
 * The request line is the one log line per GPI, so it is formatted by hand
 * (no stdio: vfprintf and the stream lock showed at 4-5 % of the daemon's
 * CPU under load) and written with one write(2).  The "YYYY-MM-DDTHH:MM:SS"
 * part is cached per thread and second.  Same format as bsf_log() lines.
 */
void bsf_log_request(const struct bsf_log_req *r)
{
	static _Thread_local time_t cached_sec = (time_t)-1;
	static _Thread_local char cached[64];
	char line[512];
	struct timespec ts;
	struct tm tm;
	size_t o = 0;
	uint64_t us;
	const char *const *f;
	FILE *fp = lg.fp ? lg.fp : stderr;

	if (!bsf_log_enabled(BSF_LOG_INFO))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != cached_sec) {
		gmtime_r(&ts.tv_sec, &tm);
		snprintf(cached, sizeof(cached), "%04d-%02d-%02dT%02d:%02d:%02d",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec);
		cached_sec = ts.tv_sec;
	}
	us = r->latency_ms > 0 ? (uint64_t)(r->latency_ms * 1e3 + 0.5) : 0;
	if (lg.journal && !lg.own)
		put_s(line, sizeof(line), &o, "<6>"); /* info */
	f = req_sep[lg.json ? 1 : 0];
	put_s(line, sizeof(line), &o, f[S_TS]);
	put_s(line, sizeof(line), &o, cached);
	put_s(line, sizeof(line), &o, ".");
	put_u(line, sizeof(line), &o, (uint64_t)(ts.tv_nsec / 1000000), 3);
	put_s(line, sizeof(line), &o, f[S_NAF]);
	put_s(line, sizeof(line), &o, r->naf ? r->naf : "-");
	put_s(line, sizeof(line), &o, f[S_EP]);
	put_s(line, sizeof(line), &o, r->endpoint ? r->endpoint : "-");
	put_s(line, sizeof(line), &o, f[S_STATUS]);
	put_u(line, sizeof(line), &o, r->status > 0 ? (uint64_t)r->status : 0,
	      1);
	put_s(line, sizeof(line), &o, f[S_OUTCOME]);
	put_s(line, sizeof(line), &o, r->outcome ? r->outcome : "-");
	put_s(line, sizeof(line), &o, f[S_LAT]);
	put_u(line, sizeof(line), &o, us / 1000, 1);
	put_s(line, sizeof(line), &o, ".");
	put_u(line, sizeof(line), &o, us % 1000, 3);
	put_s(line, sizeof(line), &o, f[S_UE]);
	put_s(line, sizeof(line), &o, r->ue_tag ? r->ue_tag : "-");
	put_s(line, sizeof(line), &o, f[S_GBA]);
	put_s(line, sizeof(line), &o, r->gba ? r->gba : "-");
	put_s(line, sizeof(line), &o, f[S_END]);
	if (o == sizeof(line))
		o--; /* truncated: keep room for the newline */
	line[o++] = '\n';
	/* O_APPEND file, one write per line: lines of different threads do
	 * not interleave.  stderr lines go through stdio like bsf_log(). */
	if (lg.own) {
		ssize_t w = write(fileno(fp), line, o);

		(void)w; /* nothing sensible to do if the log cannot be written */
	} else {
		fwrite(line, 1, o, fp);
	}
}
