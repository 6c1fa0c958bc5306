/*
 * gba-ue - host command-line front end of the UE agent library.
 *
 * Host only: uses stdio, files and the OS clocks, and either the software
 * USIM (gbaue/susim.h) or a real card (gbaue/uicc.h) in a PC/SC reader
 * (--reader) or behind a modem's AT+CSIM (--modem), card.c.  State lives
 * in one directory (--state DIR):
 *   usim.conf    K, OPc/TOPc (software USIM) or the card's reader/modem,
 *                algorithm, IMPI and agent settings (0600)
 *   usim.sqn     the software USIM's SQN array (gbaue_susim_export)
 *   agent.state  the agent's state blob (NAF SAs; contains NAF keys, 0600)
 * Each file is replaced atomically (write to *.tmp, fsync, rename).
 *
 * Exit codes: 0 success; 1 failure (I/O, bad state, library error);
 * 2 usage error.  `receive` exits 0 when every PDU was processed, whatever
 * the events were (rejections are events, not failures).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "gba/kdf.h"
#include "gba/sqn.h"
#include "gba/sms_at.h"
#include "gba/text.h"
#include "gba/utf8_nfkc.h"
#include "gbaue/gbaue.h"
#include "gbaue/susim.h"
#include "gbaue/uicc.h"
#include "card.h"

#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2
#define LINE_MAX_ 1024

static const char *prog = "gba-ue";

static const char usage_text[] =
	"usage: gba-ue [--state DIR] COMMAND [options]\n"
	"\n"
	"Commands:\n"
	"  init     create the state directory with a software USIM or a\n"
	"           real card (--reader / --modem)\n"
	"  receive  process received SMS PDUs and print one event per line\n"
	"  show     list the stored NAF SAs (never the keys)\n"
	"\n"
	"Global options:\n"
	"  --state DIR   state directory (default: ./gba-ue-state)\n"
	"  -h, --help    this text\n"
	"  --version     print the version\n"
	"\n"
	"init options:\n"
	"  --reader NAME       use the USIM in PC/SC reader NAME (or the one\n"
	"                      reader whose name starts with NAME) instead of\n"
	"                      a software USIM; no --k/--opc\n"
	"  --modem DEVICE      use the USIM behind the modem on tty DEVICE\n"
	"                      (AT+CSIM); no --k/--opc\n"
	"  --k HEX             subscriber key K (16 octets; TUAK: 16 or 32)\n"
	"  --opc HEX           Milenage OPc (16 octets)\n"
	"  --topc HEX          TUAK TOPc (32 octets); selects TUAK\n"
	"  --tuak-iterations N TUAK Keccak iterations (default 1)\n"
	"  --tuak-res-bits B   TUAK RES bits 32/64/128/256 (default 64)\n"
	"  --tuak-ck-bits B    TUAK CK bits 128/256 (default 128)\n"
	"  --tuak-ik-bits B    TUAK IK bits 128/256 (default 128)\n"
	"  --tuak-mac-bits 64  TUAK MAC bits (64, the AKA MAC)\n"
	"                      (--keccak N, --res-len OCTETS: older\n"
	"                      spellings, deprecated)\n"
	"  --impi TEXT         IMPI (ASCII), e.g. 001010123456789@ims.mnc001.\n"
	"                      mcc001.3gppnetwork.org\n"
	"  --gba-u             the USIM supports GBA_U (Ks stays in it); with\n"
	"                      a card, its service table decides (EF_UST)\n"
	"  --no-gba-me         refuse GBA_ME GPIs\n"
	"  --trigger-port N    16-bit application port of device triggers\n"
	"  --app-id N|URN      X-WAP-Application-ID of this agent: a number\n"
	"                      (decimal or 0x hex) or a URN text (default\n"
	"                      0x8F33, the same as gba-scs)\n"
	"  --app-label TEXT    UICC application label of this agent's USIM;\n"
	"                      a GPI naming another label is refused\n"
	"                      (default: none, only GPIs without a label)\n"
	"  --ct-code N         accept this Content-Type code as well as the\n"
	"                      text application/vnd.3gpp.gba.gpi\n"
	"  --naf FQDN          accept GPIs only from this NAF (repeatable,\n"
	"                      up to 4; default: any NAF)\n"
	"  --ind-bits N        SQN IND bits 0..5 (default 5)\n"
	"  --force             overwrite an existing state directory\n"
	"\n"
	"receive options:\n"
	"  --json              one JSON object per event\n"
	"  --sca               HEX arguments start with the SMSC address\n"
	"  HEX...              SMS-DELIVER TPDUs in hex; without arguments\n"
	"                      reads stdin: modem '+CMGL:'/'+CMGR:'/'+CMT:'\n"
	"                      header lines, each followed by its PDU line\n"
	"                      (SMSC address included), or bare TPDU lines\n"
	"\n"
	"show options:\n"
	"  --json              JSON output\n"
	"\n"
	"Segments of one concatenated SMS must be given in one 'receive'\n"
	"call: partial messages are not kept between calls.\n"
	"\n"
	"Exit status: 0 success, 1 failure, 2 usage error.\n";

static int usage_err(const char *msg, const char *arg)
{
	if (arg)
		fprintf(stderr, "%s: %s: %s\n", prog, msg, arg);
	else
		fprintf(stderr, "%s: %s\n", prog, msg);
	fprintf(stderr, "Try '%s --help'.\n", prog);
	return EXIT_USAGE;
}

static int fail(const char *msg, const char *detail)
{
	if (detail)
		fprintf(stderr, "%s: %s: %s\n", prog, msg, detail);
	else
		fprintf(stderr, "%s: %s\n", prog, msg);
	return EXIT_FAIL;
}

/* ---- small parsers (numbers: gba_uint_parse(), gba/text.h) ---- */


static int unhex(const char *s, uint8_t *out, size_t cap, size_t *n)
{
	return gba_hex_decode(s, strlen(s), out, cap, n) == GBA_OK ? 0 : -1;
}

/* RFC 3339 UTC (the one time format of every tool). */
static void put_time(uint64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char b[32];

	if (t > 253402300799ULL || gmtime_r(&tt, &tm) == NULL ||
	    strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		printf("%llu", (unsigned long long)t);
	else
		fputs(b, stdout);
}

static void put_hex(FILE *f, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02x", b[i]);
}

/* ---- files ---- */

struct paths {
	char dir[512], conf[600], sqn[600], state[600];
};

static int make_paths(struct paths *p, const char *dir)
{
	if (strlen(dir) >= sizeof(p->dir))
		return -1;
	snprintf(p->dir, sizeof(p->dir), "%s", dir);
	snprintf(p->conf, sizeof(p->conf), "%s/usim.conf", dir);
	snprintf(p->sqn, sizeof(p->sqn), "%s/usim.sqn", dir);
	snprintf(p->state, sizeof(p->state), "%s/agent.state", dir);
	return 0;
}

/* Replace @path atomically with @len octets, mode 0600. */
static int write_file(const char *path, const void *buf, size_t len)
{
	char tmp[700];
	int fd;
	ssize_t w;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	w = write(fd, buf, len);
	if (w < 0 || (size_t)w != len || fsync(fd) != 0) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Return 0 read, 1 absent, -1 error. */
static int read_file(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	*len = 0;
	if (!f)
		return errno == ENOENT ? 1 : -1;
	n = fread(buf, 1, cap, f);
	if (ferror(f) || (n == cap && fgetc(f) != EOF)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	*len = n;
	return 0;
}

/* ---- configuration file: "key = value" lines ---- */

struct conf {
	char reader[256]; /* PC/SC reader name, or "" */
	char modem[256];  /* modem tty, or "" */
	struct gba_auth_key key;
	int gba_u;
	unsigned ind_bits;
	struct gbaue_cfg cfg;
	char app_urn[256];
};

static void conf_clear(struct conf *c)
{
	gba_cleanse(c, sizeof(*c));
}

static int conf_write(const struct paths *p, const struct conf *c)
{
	char buf[4096];
	char hex[2 * GBA_KEY_MAX + 1];
	size_t n = 0, i;
	int r;

#define ADD(...)                                                               \
	do {                                                                   \
		int k_ = snprintf(buf + n, sizeof(buf) - n, __VA_ARGS__);      \
		if (k_ < 0 || (size_t)k_ >= sizeof(buf) - n)                   \
			goto toolong;                                          \
		n += (size_t)k_;                                               \
	} while (0)
	if (c->reader[0] || c->modem[0]) {
		ADD("# gba-ue agent settings; the USIM is a card\n");
		if (c->reader[0])
			ADD("reader = %s\n", c->reader);
		else
			ADD("modem = %s\n", c->modem);
	} else {
		ADD("# gba-ue software USIM and agent settings (secret: K, "
		    "OPc)\n");
		ADD("alg = %s\n",
		    c->key.alg == GBA_ALG_TUAK ? "tuak" : "milenage");
		if (gba_hex_encode(c->key.k, c->key.k_len, hex, sizeof(hex)) !=
		    GBA_OK)
			goto toolong;
		ADD("k = %s\n", hex);
		if (gba_hex_encode(c->key.opc,
				   c->key.alg == GBA_ALG_TUAK ? 32 : 16, hex,
				   sizeof(hex)) != GBA_OK)
			goto toolong;
		ADD("%s = %s\n", c->key.alg == GBA_ALG_TUAK ? "topc" : "opc",
		    hex);
		if (c->key.alg == GBA_ALG_TUAK)
			ADD("keccak = %u\nres_len = %zu\nck_len = %zu\n"
			    "ik_len = %zu\n",
			    c->key.keccak_iterations, c->key.res_len,
			    c->key.ck_len, c->key.ik_len);
	}
	ADD("impi = %.*s\n", (int)c->cfg.impi_len, (const char *)c->cfg.impi);
	ADD("gba_u = %d\ngba_me = %d\n", c->gba_u, c->cfg.allow_gba_me);
	ADD("ind_bits = %u\n", c->ind_bits);
	ADD("trigger_port = %u\n", c->cfg.trigger_port);
	if (c->cfg.push.app_is_text)
		ADD("app_id = %s\n", c->app_urn);
	else
		ADD("app_id = %u\n", c->cfg.push.app_code);
	if (c->cfg.push.ct_code_set)
		ADD("ct_code = %u\n", c->cfg.push.ct_code);
	if (c->cfg.app_label_len)
		ADD("app_label = %.*s\n", (int)c->cfg.app_label_len,
		    (const char *)c->cfg.app_label);
	for (i = 0; i < c->cfg.naf_allow_n; i++)
		ADD("naf = %s\n", c->cfg.naf_allow[i]);
#undef ADD
	r = write_file(p->conf, buf, n);
	gba_cleanse(buf, sizeof(buf));
	gba_cleanse(hex, sizeof(hex));
	return r;
toolong:
	gba_cleanse(buf, sizeof(buf));
	gba_cleanse(hex, sizeof(hex));
	return -1;
}

/* Apply one setting; used by init (options) and by conf_read. */
static int set_app_id(struct conf *c, const char *v)
{
	uint64_t x;

	if (gba_uint_parse(v, 0xffffffffu, GBA_UINT_HEX, &x) == 0) {
		c->cfg.push.app_is_text = 0;
		c->cfg.push.app_code = (uint32_t)x;
		return 0;
	}
	if (strlen(v) >= sizeof(c->app_urn) || !*v)
		return -1;
	snprintf(c->app_urn, sizeof(c->app_urn), "%s", v);
	c->cfg.push.app_is_text = 1;
	c->cfg.push.app_urn = c->app_urn;
	return 0;
}

static int add_naf(struct conf *c, const char *v)
{
	size_t n = strlen(v);

	if (c->cfg.naf_allow_n >= GBAUE_NAF_ALLOW_MAX || n == 0 ||
	    n > GBA_FQDN_MAX)
		return -1;
	memcpy(c->cfg.naf_allow[c->cfg.naf_allow_n++], v, n + 1);
	return 0;
}

static int conf_set(struct conf *c, const char *k, const char *v)
{
	uint64_t x;
	size_t n;

	if (!strcmp(k, "reader") || !strcmp(k, "modem")) {
		char *dst = k[0] == 'r' ? c->reader : c->modem;

		n = strlen(v);
		if (n == 0 || n >= sizeof(c->reader))
			return -1;
		memcpy(dst, v, n + 1);
	} else if (!strcmp(k, "alg")) {
		if (!strcmp(v, "milenage"))
			c->key.alg = GBA_ALG_MILENAGE;
		else if (!strcmp(v, "tuak"))
			c->key.alg = GBA_ALG_TUAK;
		else
			return -1;
	} else if (!strcmp(k, "k")) {
		if (unhex(v, c->key.k, sizeof(c->key.k), &n) ||
		    (n != 16 && n != 32))
			return -1;
		c->key.k_len = n;
	} else if (!strcmp(k, "opc")) {
		if (unhex(v, c->key.opc, sizeof(c->key.opc), &n) || n != 16)
			return -1;
	} else if (!strcmp(k, "topc")) {
		if (unhex(v, c->key.opc, sizeof(c->key.opc), &n) || n != 32)
			return -1;
	} else if (!strcmp(k, "keccak")) {
		if (gba_uint_parse(v, 1000000, GBA_UINT_HEX, &x) || x == 0)
			return -1;
		c->key.keccak_iterations = (unsigned)x;
	} else if (!strcmp(k, "res_len")) {
		if (gba_uint_parse(v, 32, GBA_UINT_HEX, &x) ||
		    (x != 4 && x != 8 && x != 16 && x != 32))
			return -1;
		c->key.res_len = (size_t)x;
	} else if (!strcmp(k, "ck_len") || !strcmp(k, "ik_len")) {
		if (gba_uint_parse(v, 32, GBA_UINT_HEX, &x) || (x != 16 && x != 32))
			return -1;
		if (k[0] == 'c')
			c->key.ck_len = (size_t)x;
		else
			c->key.ik_len = (size_t)x;
	} else if (!strcmp(k, "res_bits") || !strcmp(k, "ck_bits") ||
		   !strcmp(k, "ik_bits")) {
		/* --tuak-*-bits: bits on the command line, octets stored */
		char oct[8];

		if (gba_uint_parse(v, 256, GBA_UINT_HEX, &x) || x % 8)
			return -1;
		snprintf(oct, sizeof(oct), "%u", (unsigned)(x / 8));
		return conf_set(c,
				k[0] == 'r'   ? "res_len"
				: k[0] == 'c' ? "ck_len"
					      : "ik_len",
				oct);
	} else if (!strcmp(k, "mac_bits")) {
		if (gba_uint_parse(v, 64, GBA_UINT_HEX, &x) || x != 64)
			return -1; /* the AKA MAC is 64 bits */
	} else if (!strcmp(k, "impi")) {
		/* the library takes the NFKC form (TS 33.220 B.2.1): this
		 * host front end normalises it */
		char nf[GBA_IMPI_MAX + 1];

		if (gba_utf8_nfkc_str(v, nf, sizeof(nf)) != GBA_OK)
			return -1;
		n = strlen(nf);
		if (n == 0 || n > GBA_IMPI_MAX)
			return -1;
		memcpy(c->cfg.impi, nf, n);
		c->cfg.impi_len = n;
	} else if (!strcmp(k, "gba_u")) {
		if (gba_uint_parse(v, 1, GBA_UINT_HEX, &x))
			return -1;
		c->gba_u = (int)x;
		c->cfg.allow_gba_u = (int)x;
	} else if (!strcmp(k, "gba_me")) {
		if (gba_uint_parse(v, 1, GBA_UINT_HEX, &x))
			return -1;
		c->cfg.allow_gba_me = (int)x;
	} else if (!strcmp(k, "ind_bits")) {
		if (gba_uint_parse(v, GBA_SQN_IND_BITS_MAX, GBA_UINT_HEX, &x))
			return -1;
		c->ind_bits = (unsigned)x;
	} else if (!strcmp(k, "trigger_port")) {
		if (gba_uint_parse(v, 65535, GBA_UINT_HEX, &x))
			return -1;
		c->cfg.trigger_port = (uint16_t)x;
	} else if (!strcmp(k, "app_id")) {
		return set_app_id(c, v);
	} else if (!strcmp(k, "ct_code")) {
		if (gba_uint_parse(v, 0xffffffffu, GBA_UINT_HEX, &x))
			return -1;
		c->cfg.push.ct_code_set = 1;
		c->cfg.push.ct_code = (uint32_t)x;
	} else if (!strcmp(k, "naf")) {
		return add_naf(c, v);
	} else if (!strcmp(k, "app_label")) {
		/* printable ASCII, no edge blanks (the conf file trims them) */
		n = strlen(v);
		if (n == 0 || n > GBA_APP_LABEL_MAX || v[0] == ' ' ||
		    v[n - 1] == ' ')
			return -1;
		for (x = 0; x < n; x++)
			if ((unsigned char)v[x] < 0x20 ||
			    (unsigned char)v[x] > 0x7e)
				return -1;
		memcpy(c->cfg.app_label, v, n);
		c->cfg.app_label_len = n;
	} else {
		return -1;
	}
	return 0;
}

static void conf_defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	c->key.alg = GBA_ALG_MILENAGE;
	c->key.keccak_iterations = 1;
	c->key.res_len = 8;
	c->key.ck_len = 16;
	c->key.ik_len = 16;
	c->ind_bits = GBA_SQN_IND_BITS_DEFAULT;
	gbaue_cfg_default(&c->cfg);
	c->cfg.allow_gba_u = 0;
	/* X-WAP-Application-ID: GBA_GPI_PUSH_APP_ID_DEFAULT unless set */
}

static int conf_read(const struct paths *p, struct conf *c)
{
	char line[LINE_MAX_];
	FILE *f;
	unsigned lineno = 0;

	conf_defaults(c);
	f = fopen(p->conf, "r");
	if (!f)
		return fail("cannot open (run 'gba-ue init' first)", p->conf);
	while (fgets(line, sizeof(line), f)) {
		char *k = line, *v, *e;

		lineno++;
		line[strcspn(line, "\r\n")] = 0;
		while (*k == ' ' || *k == '\t')
			k++;
		if (!*k || *k == '#')
			continue;
		v = strchr(k, '=');
		if (!v)
			goto bad;
		*v++ = 0;
		for (e = v - 2; e >= k && (*e == ' ' || *e == '\t'); e--)
			*e = 0;
		while (*v == ' ' || *v == '\t')
			v++;
		if (conf_set(c, k, v) != 0)
			goto bad;
	}
	fclose(f);
	gba_cleanse(line, sizeof(line));
	if ((!c->key.k_len && !c->reader[0] && !c->modem[0]) ||
	    !c->cfg.impi_len)
		return fail("incomplete configuration", p->conf);
	return EXIT_OK;
bad:
	fclose(f);
	gba_cleanse(line, sizeof(line));
	fprintf(stderr, "%s: %s:%u: bad setting\n", prog, p->conf, lineno);
	return EXIT_FAIL;
}

/* ---- port ---- */

struct host {
	const struct paths *p;
	int verbose;
};

static uint64_t host_now_ms(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int host_wall(void *arg, uint64_t *s)
{
	time_t t = time(NULL);

	(void)arg;
	if (t == (time_t)-1)
		return -1;
	*s = (uint64_t)t;
	return 0;
}

static int host_load(void *arg, uint8_t *buf, size_t cap, size_t *len)
{
	struct host *h = arg;

	return read_file(h->p->state, buf, cap, len);
}

static int host_save(void *arg, const uint8_t *buf, size_t len)
{
	struct host *h = arg;

	return write_file(h->p->state, buf, len);
}

static void host_log(void *arg, int level, const char *msg, int code)
{
	struct host *h = arg;

	if (h->verbose || level <= GBAUE_LOG_ERR)
		fprintf(stderr, "%s: log[%d]: %s (%d)\n", prog, level, msg,
			code);
}

/* ---- event output ---- */

static int printable(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] < 0x20 || b[i] > 0x7e || b[i] == '"' || b[i] == '\\')
			return 0;
	return 1;
}

/* NAF_Id as "fqdn" plus the Ua id in hex */
static void naf_split(size_t n, size_t *fq)
{
	*fq = n > GBA_UA_ID_LEN ? n - GBA_UA_ID_LEN : 0;
}

static void print_event(const struct gbaue_event *ev, int json, int index)
{
	size_t fq;

	naf_split(ev->naf_id_len, &fq);
	if (json) {
		printf("{\"pdu\":%d,\"event\":\"%s\"", index,
		       gbaue_event_name(ev->type));
		if (ev->type == GBAUE_EV_REJECTED ||
		    ev->type == GBAUE_EV_IGNORED)
			printf(",\"reason\":\"%s\",\"error\":\"%s\"",
			       gbaue_reason_name(ev->reason),
			       gba_err_name(ev->err));
		if (ev->naf_id_len && printable(ev->naf_id, fq)) {
			printf(",\"naf_fqdn\":\"%.*s\",\"ua_id\":\"", (int)fq,
			       (const char *)ev->naf_id);
			put_hex(stdout, ev->naf_id + fq, ev->naf_id_len - fq);
			printf("\"");
		}
		if (ev->type == GBAUE_EV_GPI_ACCEPTED ||
		    ev->type == GBAUE_EV_UA_KEY || ev->type == GBAUE_EV_AUTS) {
			printf(",\"rand\":\"");
			put_hex(stdout, ev->rand, GBA_RAND_LEN);
			printf("\",\"session_id\":%u", ev->session_id);
		}
		if (ev->type == GBAUE_EV_AUTS) {
			printf(",\"auts\":\"");
			put_hex(stdout, ev->auts, GBA_AUTS_LEN);
			printf("\"");
		}
		if (ev->type == GBAUE_EV_GPI_ACCEPTED ||
		    ev->type == GBAUE_EV_UA_KEY ||
		    ev->type == GBAUE_EV_TRIGGER) {
			printf(",\"slot\":%d,\"p_tid\":\"", ev->sa_slot);
			put_hex(stdout, ev->p_tid, ev->p_tid_len);
			printf("\",\"key_expiry\":\"");
			put_time(ev->key_expiry);
			putchar('"');
		}
		if (ev->type == GBAUE_EV_GPI_ACCEPTED ||
		    ev->type == GBAUE_EV_UA_KEY)
			printf(",\"mode\":\"%s\"",
			       ev->gba_u ? "GBA_U" : "GBA_ME");
		if (ev->type == GBAUE_EV_TRIGGER) {
			printf(",\"sn\":%llu,\"src_port\":%u,\"payload\":\"",
			       (unsigned long long)ev->sn, ev->src_port);
			put_hex(stdout, ev->payload, ev->payload_len);
			printf("\"");
		}
		printf("}\n");
		return;
	}
	printf("%s", gbaue_event_name(ev->type));
	if (ev->type == GBAUE_EV_REJECTED || ev->type == GBAUE_EV_IGNORED)
		printf(" reason=%s error=%s", gbaue_reason_name(ev->reason),
		       gba_err_name(ev->err));
	if (ev->type == GBAUE_EV_GPI_ACCEPTED || ev->type == GBAUE_EV_UA_KEY ||
	    ev->type == GBAUE_EV_TRIGGER)
		printf(" slot=%d", ev->sa_slot);
	if (ev->naf_id_len && printable(ev->naf_id, fq))
		printf(" naf=%.*s", (int)fq, (const char *)ev->naf_id);
	if (ev->type == GBAUE_EV_UA_KEY) {
		printf(" ua_id=");
		put_hex(stdout, ev->naf_id + fq, ev->naf_id_len - fq);
	}
	if (ev->type == GBAUE_EV_GPI_ACCEPTED || ev->type == GBAUE_EV_UA_KEY) {
		printf(" mode=%s session=%u p_tid=",
		       ev->gba_u ? "GBA_U" : "GBA_ME", ev->session_id);
		put_hex(stdout, ev->p_tid, ev->p_tid_len);
		printf(" key_expiry=");
		put_time(ev->key_expiry);
	}
	if (ev->type == GBAUE_EV_AUTS) {
		printf(" rand=");
		put_hex(stdout, ev->rand, GBA_RAND_LEN);
		printf(" auts=");
		put_hex(stdout, ev->auts, GBA_AUTS_LEN);
	}
	if (ev->type == GBAUE_EV_TRIGGER) {
		printf(" sn=%llu payload=", (unsigned long long)ev->sn);
		put_hex(stdout, ev->payload, ev->payload_len);
	}
	printf("\n");
}

/* ---- a real card ---- */

/* Open the configured channel and the USIM application on the card
 * (gbaue_uicc_open(): ADF from EF_DIR, EF_UST). */
static int card_start(struct card *cd, struct gbaue_uicc *u,
		      const struct conf *c)
{
	int r;

	if (c->reader[0] ? card_open_pcsc(cd, c->reader)
			 : card_open_modem(cd, c->modem))
		return fail("cannot open the card", cd->err);
	memset(u, 0, sizeof(*u));
	u->transmit = card_transmit;
	u->arg = cd;
	if ((r = gbaue_uicc_open(u)) != GBA_OK) {
		fprintf(stderr, "%s: no USIM on the card: %s%s%s\n", prog,
			gba_strerror(r), cd->err[0] ? ": " : "", cd->err);
		card_close(cd);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static void print_aid(FILE *f, const struct gbaue_uicc *u)
{
	put_hex(f, u->aid, u->aid_len);
}

/* ---- commands ---- */

/* init with a card: check that it has a USIM, then write the settings */
static int init_card(const struct paths *p, struct conf *c, int force)
{
	struct card cd;
	struct gbaue_uicc u;
	struct stat sb;

	if (stat(p->conf, &sb) == 0 && !force)
		return fail("state exists (use --force to overwrite)", p->dir);
	if (card_start(&cd, &u, c) != EXIT_OK)
		return EXIT_FAIL;
	card_close(&cd);
	if (mkdir(p->dir, 0700) != 0 && errno != EEXIST)
		return fail("cannot create directory", p->dir);
	if (conf_write(p, c) != 0)
		return fail("cannot write state", p->dir);
	unlink(p->sqn);
	unlink(p->state); /* another USIM: no NAF SA survives */
	printf("initialised %s (card %s, USIM ", p->dir,
	       c->reader[0] ? c->reader : c->modem);
	print_aid(stdout, &u);
	printf(", %s)\n",
	       u.gba_u ? "GBA_U capable" : "GBA_ME only: no GBA service");
	return EXIT_OK;
}

/* init options with a value: the conf_set() key each one sets */
static const struct {
	const char *opt, *key;
} init_opts[] = {
	{"--reader", "reader"},
	{"--modem", "modem"},
	{"--k", "k"},
	{"--opc", "opc"},
	{"--topc", "topc"},
	{"--tuak-iterations", "keccak"},
	{"--keccak", "keccak"}, /* older spelling */
	{"--tuak-res-bits", "res_bits"},
	{"--tuak-ck-bits", "ck_bits"},
	{"--tuak-ik-bits", "ik_bits"},
	{"--tuak-mac-bits", "mac_bits"},
	{"--res-len", "res_len"}, /* older: octets */
	{"--impi", "impi"},
	{"--trigger-port", "trigger_port"},
	{"--app-id", "app_id"},
	{"--ct-code", "ct_code"},
	{"--app-label", "app_label"},
	{"--naf", "naf"},
	{"--ind-bits", "ind_bits"},
};

static int cmd_init(const struct paths *p, int argc, char **argv)
{
	struct conf c;
	struct gbaue_susim s;
	uint8_t st[GBAUE_SUSIM_STATE_LEN];
	struct gba_sqn_policy pol;
	struct stat sb;
	size_t n, j;
	int i, force = 0, have_opc = 0, r = EXIT_USAGE;
	const char *err = NULL, *arg = NULL;

	conf_defaults(&c);
	for (i = 0; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		const char *key = NULL;

		if (!strcmp(o, "--gba-u")) {
			c.gba_u = 1;
			c.cfg.allow_gba_u = 1;
			continue;
		} else if (!strcmp(o, "--no-gba-me")) {
			c.cfg.allow_gba_me = 0;
			continue;
		} else if (!strcmp(o, "--force")) {
			force = 1;
			continue;
		}
		for (j = 0; j < GBA_ARRAY_SIZE(init_opts); j++)
			if (!strcmp(o, init_opts[j].opt))
				key = init_opts[j].key;
		if (!key) {
			err = "unknown init option";
			arg = o;
			goto out;
		}
		if (!strcmp(key, "opc")) {
			have_opc = 1;
		} else if (!strcmp(key, "topc")) {
			have_opc = 2;
			c.key.alg = GBA_ALG_TUAK;
		}
		if (!v) {
			err = "option needs a value";
			arg = o;
			goto out;
		}
		if (conf_set(&c, key, v) != 0) {
			err = "bad value for";
			arg = o;
			goto out;
		}
		i++;
	}
	if (c.reader[0] && c.modem[0]) {
		err = "--reader and --modem exclude each other";
		goto out;
	}
	if ((c.reader[0] || c.modem[0]) && (c.key.k_len || have_opc)) {
		err = "a card keeps its keys: no --k/--opc/--topc with "
		      "--reader or --modem";
		goto out;
	}
	if (c.reader[0] || c.modem[0]) {
		/* the card's service table decides GBA_U (gbaue_uicc_open) */
		c.gba_u = 1;
		c.cfg.allow_gba_u = 1;
		goto checked;
	}
	if (!c.key.k_len) {
		err = "--k is required";
		goto out;
	}
	if (!have_opc) {
		err = "--opc or --topc is required";
		goto out;
	}
	if (c.key.alg == GBA_ALG_MILENAGE && c.key.k_len != 16) {
		err = "Milenage needs a 16-octet K";
		goto out;
	}
checked:
	if (!c.cfg.impi_len) {
		err = "--impi is required";
		goto out;
	}
	if (!c.cfg.allow_gba_me && !c.gba_u) {
		err = "--no-gba-me needs --gba-u";
		goto out;
	}
	r = EXIT_FAIL;
	if (c.reader[0] || c.modem[0]) {
		r = init_card(p, &c, force);
		goto out;
	}
	if (stat(p->conf, &sb) == 0 && !force) {
		err = "state exists (use --force to overwrite)";
		arg = p->dir;
		goto out;
	}
	if (mkdir(p->dir, 0700) != 0 && errno != EEXIST) {
		err = "cannot create directory";
		arg = p->dir;
		goto out;
	}
	gba_sqn_policy_default(&pol);
	pol.ind_bits = c.ind_bits;
	if (gbaue_susim_init(&s, &c.key, &pol, c.gba_u) != GBA_OK ||
	    gbaue_susim_export(&s, st, sizeof(st), &n) != GBA_OK) {
		err = "software USIM rejected the key parameters";
		goto out;
	}
	gbaue_susim_clear(&s);
	if (conf_write(p, &c) != 0 || write_file(p->sqn, st, n) != 0) {
		err = "cannot write state";
		arg = p->dir;
		goto out;
	}
	unlink(p->state); /* a new USIM: no NAF SA survives */
	printf("initialised %s (%s, %s)\n", p->dir,
	       c.key.alg == GBA_ALG_TUAK ? "TUAK" : "Milenage",
	       c.gba_u ? "GBA_U capable" : "GBA_ME only");
	r = EXIT_OK;
out:
	conf_clear(&c);
	if (err)
		return r == EXIT_USAGE ? usage_err(err, arg) : fail(err, arg);
	return r;
}

struct agent {
	struct conf c;
	struct host h;
	struct gbaue_port port;
	struct gbaue_susim usim;
	int is_card; /* the USIM is a card (usim unused) */
	struct card card;
	struct gbaue_uicc uicc;
	struct gbaue_ctx ctx;
};

static int agent_open(struct agent *a, const struct paths *p)
{
	uint8_t st[GBAUE_SUSIM_STATE_LEN + 1];
	size_t n;
	int r;

	if ((r = conf_read(p, &a->c)) != EXIT_OK)
		return r;
	a->c.cfg.push.app_urn = a->c.app_urn;
	a->is_card = a->c.reader[0] || a->c.modem[0];
	if (a->is_card) {
		if ((r = card_start(&a->card, &a->uicc, &a->c)) != EXIT_OK)
			return r;
	} else {
		if (gbaue_susim_init(&a->usim, &a->c.key, NULL, a->c.gba_u) !=
		    GBA_OK)
			return fail("bad key parameters in", p->conf);
		if (read_file(p->sqn, st, sizeof(st), &n) != 0 ||
		    gbaue_susim_import(&a->usim, st, n) != GBA_OK)
			return fail("cannot read the USIM SQN state", p->sqn);
	}
	a->h.p = p;
	memset(&a->port, 0, sizeof(a->port));
	a->port.arg = &a->h;
	a->port.now_ms = host_now_ms;
	a->port.wall_time = host_wall;
	a->port.load = host_load;
	a->port.save = host_save;
	a->port.log = host_log;
	if (a->is_card) {
		a->port.usim = &gbaue_uicc_ops;
		a->port.usim_arg = &a->uicc;
	} else {
		a->port.usim = &gbaue_susim_ops;
		a->port.usim_arg = &a->usim;
	}
	if ((r = gbaue_init(&a->ctx, &a->port, &a->c.cfg)) != GBA_OK)
		return fail("cannot load the agent state", gba_strerror(r));
	return EXIT_OK;
}

static int agent_save_usim(struct agent *a, const struct paths *p)
{
	uint8_t st[GBAUE_SUSIM_STATE_LEN];
	size_t n;

	if (a->is_card)
		return EXIT_OK; /* the card keeps its own SQN array */
	if (gbaue_susim_export(&a->usim, st, sizeof(st), &n) != GBA_OK ||
	    write_file(p->sqn, st, n) != 0)
		return fail("cannot save the USIM SQN state", p->sqn);
	return EXIT_OK;
}

static void agent_close(struct agent *a)
{
	gbaue_clear(&a->ctx);
	gbaue_susim_clear(&a->usim);
	if (a->is_card)
		card_close(&a->card);
	conf_clear(&a->c);
}

static int feed(struct agent *a, const struct paths *p, const uint8_t *pdu,
		size_t len, int sca, int json, int index)
{
	struct gbaue_event ev;
	int r = gbaue_pdu_in(&a->ctx, pdu, len, sca, &ev);

	if (r != GBA_OK)
		return fail("agent error", gba_strerror(r));
	print_event(&ev, json, index);
	fflush(stdout);
	/* the software USIM changes only on GPI_ACCEPTED / UA_KEY */
	if (ev.type == GBAUE_EV_GPI_ACCEPTED || ev.type == GBAUE_EV_UA_KEY)
		return agent_save_usim(a, p);
	return EXIT_OK;
}

static int cmd_receive(const struct paths *p, int argc, char **argv)
{
	static struct agent a;
	uint8_t pdu[GBA_SMS_PDU_MAX];
	char line[LINE_MAX_];
	size_t n;
	int i, json = 0, sca = 0, nhex = 0, r, index = 0;
	uint64_t want = 0;
	size_t hdr_len;
	int expect_pdu = 0;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--sca"))
			sca = 1;
		else if (argv[i][0] == '-')
			return usage_err("unknown receive option", argv[i]);
		else if (unhex(argv[i], pdu, sizeof(pdu), &n) != 0)
			return usage_err("not a hex PDU (or too long)",
					 argv[i]);
		else
			nhex++;
	}
	if ((r = agent_open(&a, p)) != EXIT_OK)
		goto out;
	if (nhex) {
		for (i = 0; i < argc; i++) {
			if (argv[i][0] == '-')
				continue;
			if (unhex(argv[i], pdu, sizeof(pdu), &n) != 0)
				continue; /* checked above */
			if ((r = feed(&a, p, pdu, n, sca, json, ++index)) !=
			    EXIT_OK)
				goto out;
		}
		goto out;
	}
	while (fgets(line, sizeof(line), stdin)) {
		int h;

		line[strcspn(line, "\r\n")] = 0;
		if (!line[0] || !strcmp(line, "OK"))
			continue;
		h = gba_sms_modem_header(line, strlen(line), &hdr_len);
		want = hdr_len;
		if (h == GBA_ERR_MALFORMED) {
			r = fail("bad modem header line", line);
			goto out;
		}
		if (h == GBA_OK) {
			expect_pdu = 1;
			continue;
		}
		if (unhex(line, pdu, sizeof(pdu), &n) != 0) {
			r = fail("not a hex PDU line", line);
			goto out;
		}
		if (expect_pdu) {
			/* 27.005: <length> counts the TPDU, not the SCA */
			if (n < 1 || (size_t)pdu[0] + 1 > n ||
			    n - 1 - pdu[0] != want) {
				fprintf(stderr,
					"%s: PDU length differs from "
					"its header; processing it anyway\n",
					prog);
			}
			r = feed(&a, p, pdu, n, 1, json, ++index);
			expect_pdu = 0;
		} else {
			r = feed(&a, p, pdu, n, sca, json, ++index);
		}
		if (r != EXIT_OK)
			goto out;
	}
	r = EXIT_OK;
out:
	agent_close(&a);
	gba_cleanse(line, sizeof(line));
	return r;
}

/*
 * One field of a show line: " name=value" in text, ",\"name\":value" in
 * JSON (hex, strings and times quoted there; flags yes/no or true/false).
 */
struct field {
	int json, n;
};

static void field_key(struct field *f, const char *name, int quoted)
{
	if (f->json)
		printf("%s\"%s\":%s", f->n ? "," : "", name, quoted ? "\"" : "");
	else
		printf("%s%s=", f->n ? " " : "", name);
	f->n++;
}

static void field_end(const struct field *f, int quoted)
{
	if (f->json && quoted)
		putchar('"');
}

static void field_hex(struct field *f, const char *name, const uint8_t *b,
		      size_t n)
{
	field_key(f, name, 1);
	put_hex(stdout, b, n);
	field_end(f, 1);
}

static void field_str(struct field *f, const char *name, const char *s,
		      int len)
{
	field_key(f, name, 1);
	printf("%.*s", len < 0 ? (int)strlen(s) : len, s);
	field_end(f, 1);
}

static void field_flag(struct field *f, const char *name, int v)
{
	field_key(f, name, 0);
	fputs(f->json ? (v ? "true" : "false") : (v ? "yes" : "no"), stdout);
}

/* one SA slot of 'show': a JSON object of the "sas" array, or a line */
static void sa_line(int slot, const struct gbaue_sa_info *si, size_t fq,
		    int json, int first, uint64_t now)
{
	struct field f = {json, 0};
	int naf_len = printable(si->naf_id, fq) ? (int)fq : 0;

	if (json)
		printf("%s{", first ? "" : ",");
	field_key(&f, "slot", 0);
	printf("%d", slot);
	field_str(&f, "mode", si->gba_u ? "GBA_U" : "GBA_ME", -1);
	field_str(&f, json ? "naf_fqdn" : "naf", (const char *)si->naf_id,
		  naf_len);
	field_hex(&f, "rand", si->rand, GBA_RAND_LEN);
	if (json) {
		field_hex(&f, "ua_id", si->naf_id + fq, si->naf_id_len - fq);
		field_flag(&f, "gpl", si->gpl);
	}
	field_hex(&f, "p_tid", si->p_tid, si->p_tid_len);
	field_key(&f, "key_expiry", 1);
	put_time(si->key_expiry);
	field_end(&f, 1);
	field_flag(&f, "expired", now >= si->key_expiry);
	field_key(&f, "sn_h", 0);
	printf("%llu", (unsigned long long)si->sn_h);
	if (!json) {
		/* gpl=no: the key is for the application */
		field_hex(&f, "ua_id", si->naf_id + fq, si->naf_id_len - fq);
		field_flag(&f, "gpl", si->gpl);
	}
	fputs(json ? "}" : "\n", stdout);
}

static int cmd_show(const struct paths *p, int argc, char **argv)
{
	static struct agent a;
	struct gbaue_sa_info si;
	uint64_t now = (uint64_t)time(NULL);
	int i, json = 0, r, first = 1;
	size_t fq;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else
			return usage_err("unknown show option", argv[i]);
	}
	if ((r = agent_open(&a, p)) != EXIT_OK)
		goto out;
	if (a.is_card && json) {
		printf("{\"card\":{\"aid\":\"");
		print_aid(stdout, &a.uicc);
		printf("\",\"gba\":%s},\"sas\":[",
		       a.uicc.gba_u ? "true" : "false");
	} else if (a.is_card) {
		printf("card_aid=");
		print_aid(stdout, &a.uicc);
		printf("\ncard_gba=%s\n", a.uicc.gba_u ? "yes" : "no");
	} else if (json) {
		printf("{\"sqn_ms\":%llu,\"sas\":[",
		       (unsigned long long)gba_sqn_ms_highest(&a.usim.sqn));
	} else {
		printf("sqn_ms=%llu\n",
		       (unsigned long long)gba_sqn_ms_highest(&a.usim.sqn));
	}
	for (i = 0; i < GBAUE_SA_SLOTS; i++) {
		if (gbaue_sa_get(&a.ctx, i, &si) != GBA_OK)
			continue;
		naf_split(si.naf_id_len, &fq);
		sa_line(i, &si, fq, json, first, now);
		first = 0;
	}
	if (json)
		printf("]}\n");
	else if (first)
		printf("sas=0\n");
out:
	agent_close(&a);
	return r;
}

int main(int argc, char **argv)
{
	struct paths p;
	const char *dir = "gba-ue-state";
	int i = 1;

	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_text, stdout);
			return EXIT_OK;
		}
		if (!strcmp(argv[i], "--version")) {
			printf("gba-ue %s\n", GBA_VERSION);
			return EXIT_OK;
		}
		if (!strcmp(argv[i], "--state")) {
			if (i + 1 >= argc)
				return usage_err("option needs a value",
						 "--state");
			dir = argv[i + 1];
			i += 2;
			continue;
		}
		return usage_err("unknown option", argv[i]);
	}
	if (i >= argc)
		return usage_err("missing command", NULL);
	if (make_paths(&p, dir) != 0)
		return usage_err("state path too long", dir);
	if (!strcmp(argv[i], "init"))
		return cmd_init(&p, argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "receive"))
		return cmd_receive(&p, argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "show"))
		return cmd_show(&p, argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "help")) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	return usage_err("unknown command", argv[i]);
}
