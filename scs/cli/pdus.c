/*
 * gba-scs push / trigger: print SMS PDUs, one lower-case hex TPDU per line
 * on stdout and nothing else (so they can be piped to a modem tool or to
 * "gba-ue receive").
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "gba/crypto.h"
#include "gba/gpi_push.h"
#include "gba/hex.h"
#include "gba/sms.h"
#include "gpl/gpl.h"
#include "scs/scs.h"
#include "cli.h"

/*
 * X-WAP-Application-ID of the GBA User Agent.  TS 24.109 J.2.2 leaves it
 * to the agent's own specification and no GBA id is registered with OMNA:
 * PROJECT CHOICE, unconfirmed, the same default as gba-ue; a code no
 * registered application holds (gba/gpi_push.h, docs/wire-formats.md).
 */
#define SCS_APP_ID_DEFAULT_CODE GBA_GPI_PUSH_APP_ID_DEFAULT


/* the options push and trigger share: SA file, SMS addressing, state */
#define SMS_LONG_OPTS                                   \
	{"sa", required_argument, NULL, O_SA},          \
	{"msisdn", required_argument, NULL, O_MSISDN},  \
	{"submit", no_argument, NULL, O_SUBMIT},        \
	{"from", required_argument, NULL, O_FROM},      \
	{"state", required_argument, NULL, O_STATE},    \
	{"help", no_argument, NULL, O_HELP}

/* what push and trigger both take from the command line */
struct sms_cmd {
	const char *path;
	const char *state;
	struct scs_sms_opts o;
};

/* one of SMS_LONG_OPTS but --help into @x: 1, else 0 */
static int sms_opt(int c, struct sms_cmd *x)
{
	static const struct cli_store t[] = {
		CLI_STR(O_SA, struct sms_cmd, path),
		CLI_STR(O_MSISDN, struct sms_cmd, o.msisdn),
		CLI_FLAG(O_SUBMIT, struct sms_cmd, o.submit),
		CLI_STR(O_FROM, struct sms_cmd, o.oa),
		CLI_STR(O_STATE, struct sms_cmd, state),
	};

	return cli_store(c, t, sizeof(t) / sizeof(t[0]), x);
}

static int print_pdus(const struct scs_pdus *p)
{
	char hex[2 * GBA_SMS_TPDU_MAX + 1];
	size_t i;

	if (cli_json)
		fputs("{\"pdus\":[", stdout);
	for (i = 0; i < p->n; i++) {
		if (gba_hex_encode(p->pdu[i], p->len[i], hex, sizeof(hex)))
			return -1;
		if (cli_json)
			printf("%s\"%s\"", i ? "," : "", hex);
		else
			printf("%s\n", hex);
	}
	if (cli_json)
		fputs("]}\n", stdout);
	return fflush(stdout) == 0 ? 0 : -1;
}

/* Open the host state, load the SA and insist on its binding: a copied or
 * restored SA file must not push its old GPI or protect a trigger. */
static int load_sa(const char *cmd, const char *path, const char *state,
		   struct scs_host *h, struct scs_sa *sa)
{
	int r;

	memset(sa, 0, sizeof(*sa));
	if (cli_host(cmd, state, h))
		return GBA_ERR_CONFIG;
	r = scs_sa_load(path, h, sa);
	if (r != GBA_OK)
		cli_sa_load_err(cmd, path, r, " (run 'gba-scs request')");
	else if (!sa->bound) {
		cli_unbound(cmd, path);
		scs_sa_clear(sa);
		r = GBA_ERR_SA_UNBOUND;
	}
	return r;
}

static int sms_err(const char *cmd, int r)
{
	cli_err(cmd, "cannot build the SMS: %s%s", gba_strerror(r),
		r == GBA_ERR_BAD_PARAM
			? " (check --msisdn / --from: +digits, digits, or up "
			  "to 11 GSM characters)"
		: r == GBA_ERR_TOO_LARGE ? " (more than 16 SMS segments)"
					 : "");
	return 1;
}

/* @r: the result of building @p.  Prints the PDUs or the error; exit code. */
static int emit_pdus(const char *cmd, int r, const struct scs_pdus *p)
{
	if (r != GBA_OK)
		return sms_err(cmd, r);
	if (print_pdus(p)) {
		cli_err(cmd, "cannot write to stdout");
		return 1;
	}
	return 0;
}

static const char push_usage[] =
	"usage: gba-scs push --sa FILE --msisdn NUMBER [options]\n"
	"\n"
	"Print the GPI push for the UE as SMS PDUs, one hex TPDU per line:\n"
	"GPI envelope (version 1, session id, GPI) in a WSP connectionless\n"
	"Push PDU to WDP port 2948 (TS 24.109 Annex J.2), 8-bit SMS,\n"
	"concatenated when it needs more than one SMS.\n"
	"\n"
	"  --sa FILE          the NAF SA written by 'gba-scs request'\n"
	CLI_STATE_USAGE
	"  --msisdn NUMBER    the UE's number (+<digits> or digits): TP-DA of\n"
	"                     an SMS-SUBMIT\n"
	"  --submit           SMS-SUBMIT towards an SMS centre (default:\n"
	"                     SMS-DELIVER, as the device receives it)\n"
	"  --from ADDR        TP-OA of the SMS-DELIVER (default GBASCS)\n"
	"  --app-id ID        X-WAP-Application-ID: a number (decimal or "
	"0x..)\n"
	"                     or a URN text (default 0x8F33, the gba-ue\n"
	"                     default, held by no registered application:\n"
	"                     project choice; must match the UE agent's)\n"
	"  --ct-code N        Content-Type as this integer code (J.3.1.3 code\n"
	"                     unknown; default: the text\n"
	"                     application/vnd.3gpp.gba.gpi)\n"
	"\nExit status: 0 printed, 1 failed, 2 usage error.\n";

/* A number: decimal or 0x-prefixed hex, up to 32 bits. */
static int parse_code(const char *s, uint32_t *v)
{
	unsigned long long x = 0;
	size_t i = 0;
	int hex = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		hex = 1;
		i = 2;
	}
	if (!s[i] || strlen(s + i) > 10)
		return -1;
	for (; s[i]; i++) {
		unsigned d;

		if (s[i] >= '0' && s[i] <= '9')
			d = (unsigned)(s[i] - '0');
		else if (hex && s[i] >= 'a' && s[i] <= 'f')
			d = (unsigned)(s[i] - 'a' + 10);
		else if (hex && s[i] >= 'A' && s[i] <= 'F')
			d = (unsigned)(s[i] - 'A' + 10);
		else
			return -1;
		x = x * (hex ? 16 : 10) + d;
		if (x > 0xFFFFFFFFULL)
			return -1;
	}
	*v = (uint32_t)x;
	return 0;
}

struct push_ctx {
	struct sms_cmd s;
	const char *app, *ct;
};

static int push_opt(const char *cmd, int c, void *ctx)
{
	struct push_ctx *x = ctx;

	(void)cmd;
	if (sms_opt(c, &x->s))
		return 1;
	if (c == O_APP_ID)
		x->app = optarg;
	else if (c == O_CT_CODE)
		x->ct = optarg;
	else
		return 0;
	return 1;
}

int cmd_push(int argc, char **argv)
{
	static const struct option lo[] = {
		SMS_LONG_OPTS,
		{"app-id", required_argument, NULL, O_APP_ID},
		{"ct-code", required_argument, NULL, O_CT_CODE},
		{NULL, 0, NULL, 0},
	};
	const char *cmd = "push", *path, *app, *ct, *state;
	struct scs_host host;
	struct gba_gpi_push_cfg cfg;
	struct push_ctx x;
	struct scs_sms_opts o;
	struct scs_pdus pdus;
	struct scs_sa sa;
	int r, rc = 1;

	memset(&x, 0, sizeof(x));
	memset(&cfg, 0, sizeof(cfg));
	if ((r = cli_opts(cmd, argc, argv, lo, push_usage, push_opt, &x)) >= 0)
		return r;
	path = x.s.path;
	state = x.s.state;
	o = x.s.o;
	app = x.app;
	ct = x.ct;
	if (!path || !o.msisdn) {
		cli_err(cmd, "missing --%s", path ? "msisdn" : "sa");
		return 2;
	}
	cfg.app_code = SCS_APP_ID_DEFAULT_CODE;
	if (app && parse_code(app, &cfg.app_code) != 0) {
		/* not a number: a URN text (printable ASCII) */
		size_t i;

		for (i = 0; app[i]; i++)
			if ((unsigned char)app[i] < 0x21 ||
			    (unsigned char)app[i] > 0x7e) {
				cli_err(cmd, "--app-id wants a number or a "
					     "printable URN");
				return 2;
			}
		cfg.app_is_text = 1;
		cfg.app_urn = app;
	}
	if (ct) {
		if (parse_code(ct, &cfg.ct_code) != 0) {
			cli_err(cmd, "--ct-code wants a number (decimal or "
				     "0x..)");
			return 2;
		}
		cfg.ct_code_set = 1;
	}
	r = load_sa(cmd, path, state, &host, &sa);
	scs_host_clear(&host);
	if (r != GBA_OK)
		return 1;
	o.now = cli_now();
	/* a GPI whose key has expired would only be refused by the UE */
	if (sa.key_expiry <= o.now) {
		cli_err(cmd,
			"the NAF SA in %s has expired: run 'gba-scs "
			"request' for a new GPI",
			path);
		goto out;
	}
	/* concatenation reference: the session id's low octet */
	o.ref = sa.session_id;
	rc = emit_pdus(cmd, scs_push_pdus(&sa, &cfg, &o, &pdus), &pdus);
out:
	scs_sa_clear(&sa);
	return rc;
}

static const char trigger_usage[] =
	"usage: gba-scs trigger --sa FILE --payload HEX|@FILE --port N\n"
	"         [--msisdn NUMBER] [--submit] [--from ADDR]\n"
	"\n"
	"Protect a device-trigger payload under the NAF SA with the Generic\n"
	"Push Layer (TS 33.224: SN = SN_c + 1, encrypted and MACed) and print\n"
	"it as SMS PDUs to application port N (TS 23.682 Application Port\n"
	"ID), one hex TPDU per line.  SN_c is advanced in FILE atomically\n"
	"(temporary file + rename) BEFORE the PDUs are printed: an SN may be\n"
	"skipped after a crash, never reused.  An SA file that was copied,\n"
	"moved or restored from a backup is refused (exit 1): run 'gba-scs\n"
	"request' for a new GPI.\n"
	"\n"
	"  --sa FILE          the NAF SA written by 'gba-scs request'\n"
	CLI_STATE_USAGE
	"  --payload HEX|@F   the trigger payload: hex, or @ and a file name\n"
	"                     (0..2048 octets)\n"
	"  --port N           16-bit application port of the UE's triggering\n"
	"                     function (1..65535)\n"
	"  --msisdn NUMBER    the UE's number: TP-DA (needed with --submit)\n"
	"  --submit           SMS-SUBMIT (default SMS-DELIVER)\n"
	"  --from ADDR        TP-OA of the SMS-DELIVER (default GBASCS)\n"
	"\nExit status: 0 printed, 1 failed (expired SA, SN exhausted ...),\n"
	"2 usage error.\n";

static int read_payload(const char *cmd, const char *arg, uint8_t *buf,
			size_t cap, size_t *len)
{
	size_t n = 0;
	int fd;

	*len = 0;
	if (arg[0] != '@') {
		if (gba_hex_decode(arg, strlen(arg), buf, cap, len) != GBA_OK) {
			cli_err(cmd,
				"--payload wants hex (at most %zu octets) "
				"or @FILE",
				cap);
			return -1;
		}
		return 0;
	}
	fd = open(arg + 1, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cli_err(cmd, "cannot open payload file %s: %s", arg + 1,
			strerror(errno));
		return -1;
	}
	for (;;) {
		ssize_t k = read(fd, buf + n, cap - n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			cli_err(cmd, "cannot read %s: %s", arg + 1,
				strerror(errno));
			close(fd);
			return -1;
		}
		if (k == 0)
			break;
		n += (size_t)k;
		if (n == cap) {
			uint8_t extra;

			if (read(fd, &extra, 1) > 0) {
				cli_err(cmd,
					"payload file %s exceeds %zu "
					"octets",
					arg + 1, cap);
				close(fd);
				return -1;
			}
			break;
		}
	}
	close(fd);
	*len = n;
	return 0;
}

struct trigger_ctx {
	struct sms_cmd s;
	const char *pay;
	unsigned long long port;
	int have_port;
};

static int trigger_opt(const char *cmd, int c, void *ctx)
{
	struct trigger_ctx *x = ctx;

	if (sms_opt(c, &x->s))
		return 1;
	switch (c) {
	case O_PAYLOAD:
		x->pay = optarg;
		return 1;
	case O_PORT:
		if (cli_uint(cmd, "port", optarg, 65535, &x->port))
			return -1;
		if (x->port == 0) {
			cli_err(cmd, "--port must be 1..65535");
			return -1;
		}
		x->have_port = 1;
		return 1;
	default:
		return 0;
	}
}

int cmd_trigger(int argc, char **argv)
{
	static const struct option lo[] = {
		SMS_LONG_OPTS,
		{"payload", required_argument, NULL, O_PAYLOAD},
		{"port", required_argument, NULL, O_PORT},
		{NULL, 0, NULL, 0},
	};
	const char *cmd = "trigger", *path, *pay, *state;
	struct scs_host host;
	static uint8_t payload[GPL_PAYLOAD_MAX], msg[GPL_MSG_MAX];
	unsigned long long port;
	struct trigger_ctx x;
	struct scs_sms_opts o;
	struct scs_pdus pdus;
	struct scs_sa sa;
	size_t plen = 0, mlen = 0;
	uint32_t sn = 0;
	int r, lk = -1, rc = 1, have_port;

	memset(&x, 0, sizeof(x));
	memset(&sa, 0, sizeof(sa));
	memset(&host, 0, sizeof(host));
	if ((r = cli_opts(cmd, argc, argv, lo, trigger_usage, trigger_opt,
			  &x)) >= 0)
		return r;
	path = x.s.path;
	state = x.s.state;
	o = x.s.o;
	pay = x.pay;
	port = x.port;
	have_port = x.have_port;
	if (!path || !pay || !have_port) {
		cli_err(cmd, "missing --%s",
			!path  ? "sa"
			: !pay ? "payload"
			       : "port");
		return 2;
	}
	if (o.submit && !o.msisdn) {
		cli_err(cmd, "--submit needs --msisdn (the TP-DA)");
		return 2;
	}
	if (read_payload(cmd, pay, payload, sizeof(payload), &plen))
		return 2;
	o.now = cli_now();
	/* read-modify-write of SN_c under the SA file's lock */
	if ((r = scs_sa_lock(path, &lk)) != GBA_OK) {
		cli_err(cmd, "cannot lock %s.lock: %s", path, gba_strerror(r));
		goto out;
	}
	if (load_sa(cmd, path, state, &host, &sa) != GBA_OK)
		goto out;
	r = scs_sa_protect(&sa, o.now, payload, plen, msg, sizeof(msg), &mlen);
	if (r != GBA_OK) {
		cli_err(cmd, "cannot protect the trigger: %s%s",
			gba_strerror(r),
			r == GBA_ERR_EXPIRED ? " (the NAF SA has expired: run "
					       "'gba-scs request')"
			: r == GBA_ERR_UNSUPPORTED
				? " (the SA's key is for the Ua security "
				  "protocol of --ua-id, not GPL's: run "
				  "'gba-scs request' without --ua-id)"
			: r == GBA_ERR_SQN_EXHAUSTED
				? " (SN space used up: run "
				  "'gba-scs request')"
				: "");
		goto out;
	}
	/* the generation marker, then SN_c, both on disk before sending */
	if ((r = scs_sa_save(path, &host, &sa)) != GBA_OK) {
		cli_err(cmd, "cannot update SN_c in %s: %s (nothing printed)",
			path, gba_strerror(r));
		goto out;
	}
	scs_sa_unlock(lk);
	lk = -1;
	if (scs_sa_sn_c(&sa, &sn) != GBA_OK)
		sn = 0;
	o.ref = (uint16_t)sn;
	rc = emit_pdus(cmd, scs_port_pdus(msg, mlen, (uint16_t)port, &o, &pdus),
		       &pdus);
out:
	scs_sa_unlock(lk);
	scs_sa_clear(&sa);
	scs_host_clear(&host);
	gba_cleanse(payload, sizeof(payload));
	return rc;
}
