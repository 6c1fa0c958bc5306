/*
 * gba-scs - the SCS (Push-NAF) command line: request a GPI from the BSF
 * (TS 29.309 Nbsp_GBA PushInfoRetrieval, mutual TLS), keep the NAF SA in a
 * file, print the GPI push SMS (TS 24.109 Annex J) and GPL-protected
 * device triggers (TS 33.224, TS 23.682 5.2) as SMS PDUs, and resynchronise
 * with AUTS.  "gba-scs COMMAND --help" for each command; docs/scs.md.
 *
 * Output: name=value lines (PDUs: one hex PDU per line).  Errors: one line
 * "gba-scs: COMMAND: reason" on stderr.  Exit: 0 success, 1 the operation
 * failed, 2 usage error.  Keys are never printed; the UE id is not either.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "gba/crypto.h"
#include "gba/text.h"
#include "gba/hex.h"
#include "scs/scs.h"
#include "scs_diam.h"
#include "cli.h"

#define DEFAULT_LIFETIME 86400u /* project choice: one day */
#define MAX_LIFETIME (365u * 86400u)

int cli_uint(const char *cmd, const char *opt, const char *s,
	     unsigned long long max, unsigned long long *v)
{
	uint64_t x;

	/* at most 20 characters, as ever (leading zeros included) */
	if (!s || strlen(s) > 20 || gba_uint_parse(s, max, 0, &x) != GBA_OK) {
		cli_err(cmd, "--%s wants a decimal number 0..%llu", opt, max);
		return -1;
	}
	*v = x;
	return 0;
}

void cli_bad_opt(const char *cmd, int c, char **argv)
{
	const char *o = optind > 0 ? argv[optind - 1] : "?";

	if (c == ':')
		cli_err(cmd, "option %s needs a value", o);
	else
		cli_err(cmd, "unknown option %s (try --help)", o);
}

int cli_args_done(const char *cmd, int argc, char **argv)
{
	if (optind < argc) {
		cli_err(cmd, "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
}

int cli_opts(const char *cmd, int argc, char **argv,
	     const struct option *lo, const char *usage,
	     int (*opt)(const char *cmd, int c, void *ctx), void *ctx)
{
	int c, h;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", lo, NULL)) != -1) {
		if (c == O_HELP) {
			fputs(usage, stdout);
			return 0;
		}
		if ((h = opt(cmd, c, ctx)) < 0)
			return 2;
		if (!h) {
			cli_bad_opt(cmd, c, argv);
			return 2;
		}
	}
	return cli_args_done(cmd, argc, argv) ? 2 : -1;
}

int cli_store(int c, const struct cli_store *t, size_t n, void *ctx)
{
	const char *v = optarg;
	int one = 1;
	size_t i;

	for (i = 0; i < n; i++) {
		if (t[i].code != c)
			continue;
		if (t[i].flag)
			memcpy((char *)ctx + t[i].off, &one, sizeof(one));
		else
			memcpy((char *)ctx + t[i].off, &v, sizeof(v));
		return 1;
	}
	return 0;
}

void cli_sa_load_err(const char *cmd, const char *path, int r,
		     const char *not_found_hint)
{
	cli_err(cmd, "cannot use SA file %s: %s%s", path, gba_strerror(r),
		r == GBA_ERR_CONFIG	 ? " (group/other access: chmod 600)"
		: r == GBA_ERR_NOT_FOUND ? not_found_hint
					 : "");
}

int cli_host(const char *cmd, const char *state, struct scs_host *h)
{
	char dir[SCS_STATE_DIR_MAX];
	const char *env;
	size_t i, n;
	int r;

	memset(h, 0, sizeof(*h));
	if (state && *state)
		n = (size_t)snprintf(dir, sizeof(dir), "%s", state);
	else if ((env = getenv("GBA_SCS_STATE_DIR")) && *env)
		n = (size_t)snprintf(dir, sizeof(dir), "%s", env);
	else if ((env = getenv("XDG_STATE_HOME")) && *env == '/')
		n = (size_t)snprintf(dir, sizeof(dir), "%s/gba-scs", env);
	else if ((env = getenv("HOME")) && *env == '/')
		n = (size_t)snprintf(dir, sizeof(dir),
				     "%s/.local/state/gba-scs", env);
	else {
		cli_err(cmd, "no state directory: set --state or "
			     "GBA_SCS_STATE_DIR");
		return -1;
	}
	if (n >= sizeof(dir)) {
		cli_err(cmd, "state directory name too long");
		return -1;
	}
	/* missing parents, mode 0700 */
	for (i = 1; i < n; i++) {
		if (dir[i] != '/')
			continue;
		dir[i] = '\0';
		if (mkdir(dir, S_IRWXU) != 0 && errno != EEXIST) {
			cli_err(cmd, "cannot create %s: %s", dir,
				strerror(errno));
			return -1;
		}
		dir[i] = '/';
	}
	if ((r = scs_host_open(dir, h)) != GBA_OK) {
		cli_err(cmd, "cannot use state directory %s: %s%s", dir,
			gba_strerror(r),
			r == GBA_ERR_CONFIG ? " (host.key must be mode 0600)"
					    : "");
		return -1;
	}
	return 0;
}

void cli_unbound(const char *cmd, const char *path)
{
	cli_err(cmd,
		"SA file %s was copied, moved or restored from a backup (it "
		"is not the file this host last wrote there): its SN_c may be "
		"old, so it is not used; run 'gba-scs request' for a new GPI "
		"[GBA_ERR_SA_UNBOUND]",
		path);
}

uint64_t cli_now(void)
{
	const char *fake = getenv("GBA_SCS_NOW"); /* tests: pin the clock */
	unsigned long long v;

	if (fake &&
	    cli_uint("env", "GBA_SCS_NOW", fake, 253402300799ULL, &v) == 0)
		return v;
	return (uint64_t)time(NULL);
}

int cli_json;

void cli_json_str(const char *s)
{
	gba_json_str(stdout, s);
}

static void sa_json(const struct scs_sa *sa, const char *path,
		    const char *when, const char *rh, const char *nh,
		    const char *ph)
{
	uint32_t sn_c = 0;

	printf("{\"sa\":");
	cli_json_str(path);
	printf(",\"mode\":\"%s\",\"naf_fqdn\":", sa->gba_u ? "GBA_U" : "GBA_ME");
	cli_json_str(sa->naf_fqdn);
	printf(",\"naf_id\":\"%s\",\"p_tid\":\"%s\"", nh, ph);
	printf(",\"rand\":\"%s\",\"key_expiry\":\"%s\",\"state\":\"%s\","
	       "\"gpi_len\":%zu,\"session_id\":%u,\"uicc_key\":\"%s\"",
	       rh, when, sa->key_expiry > cli_now() ? "valid" : "expired",
	       sa->gpi_len, sa->session_id,
	       sa->has_uicc_key ? "present" : "absent");
	if (scs_sa_sn_c(sa, &sn_c) == GBA_OK)
		printf(",\"sn_c\":%u", sn_c);
	printf(",\"binding\":\"%s\"}\n",
	       sa->bound ? "ok" : "copied-or-restored");
}

void cli_print_sa(const struct scs_sa *sa, const char *path)
{
	char when[32], rh[2 * GBA_RAND_LEN + 1], nh[2 * GBA_NAF_ID_MAX + 1];
	char ph[2 * GBA_PTID_MAX + 1];
	uint32_t sn_c = 0;

	/* P-TID as hex, as gba-ue and gbatool print it */
	if (gba_hex_encode((const uint8_t *)sa->p_tid, strlen(sa->p_tid), ph,
			   sizeof(ph)))
		ph[0] = '\0';
	if (scs_time_format(sa->key_expiry, when, sizeof(when)))
		when[0] = '\0';
	if (gba_hex_encode(sa->rand, GBA_RAND_LEN, rh, sizeof(rh)))
		rh[0] = '\0';
	if (gba_hex_encode(sa->naf_id, sa->naf_id_len, nh, sizeof(nh)))
		nh[0] = '\0';
	if (cli_json) {
		sa_json(sa, path, when, rh, nh, ph);
		return;
	}
	printf("sa=%s\n", path);
	printf("mode=%s\n", sa->gba_u ? "GBA_U" : "GBA_ME");
	printf("naf_fqdn=%s\n", sa->naf_fqdn);
	printf("naf_id=%s\n", nh);
	printf("p_tid=%s\n", ph);
	printf("rand=%s\n", rh);
	printf("key_expiry=%s\n", when);
	printf("state=%s\n", sa->key_expiry > cli_now() ? "valid" : "expired");
	printf("gpi_len=%zu\n", sa->gpi_len);
	printf("session_id=%u\n", sa->session_id);
	printf("uicc_key=%s\n", sa->has_uicc_key ? "present" : "absent");
	if (scs_sa_sn_c(sa, &sn_c) == GBA_OK)
		printf("sn_c=%u\n", sn_c);
	/* docs/scs.md: only a bound SA may push or protect */
	printf("binding=%s\n", sa->bound ? "ok" : "copied-or-restored");
}

/* ---- BSF options shared by request and resync ---- */

struct bsf_opts {
	struct scs_bsf bsf;
	struct scs_diam diam; /* --diameter: GPR/GPA instead of Nbsp */
	const char *sa_path;
	const char *state;
	const char *ptid;
	char ptid_buf[GBA_PTID_MAX + 1]; /* --p-tid HEX, decoded */
	unsigned long long lifetime;
	int have_lifetime;
};

static int bsf_opts_check(const char *cmd, const struct bsf_opts *b)
{
	static const char *const names[] = {"bsf", "cert", "key", "ca"};
	const char *vals[4];
	size_t i;

	vals[0] = b->bsf.url;
	vals[1] = b->bsf.cert;
	vals[2] = b->bsf.key;
	vals[3] = b->bsf.ca;
	if (b->diam.conf && !b->diam.peer) {
		cli_err(cmd, "--diameter needs --diameter-peer");
		return -1;
	}
	if (!b->diam.conf && b->diam.peer) {
		cli_err(cmd, "--diameter-peer needs --diameter");
		return -1;
	}
	for (i = 0; i < 4 && !b->diam.conf; i++)
		if (!vals[i]) {
			cli_err(cmd, "missing --%s", names[i]);
			return -1;
		}
	if (!b->sa_path) {
		cli_err(cmd, "missing --sa");
		return -1;
	}
	return 0;
}

/* A fresh P-TID: "pt-" and 16 random hex digits (unique per NAF SA). */
static int new_ptid(char *out, size_t cap)
{
	uint8_t r[8];
	char h[17];

	if (gba_random(r, sizeof(r)) != GBA_OK ||
	    gba_hex_encode(r, sizeof(r), h, sizeof(h)) != GBA_OK)
		return -1;
	snprintf(out, cap, "pt-%s", h);
	return 0;
}

/* --p-tid/--ptid not given: a fresh one in @buf.  0, or -1 (printed). */
static int default_ptid(const char *cmd, struct bsf_opts *b, char *buf,
			size_t cap)
{
	if (b->ptid)
		return 0;
	if (new_ptid(buf, cap)) {
		cli_err(cmd, "no randomness for a P-TID");
		return -1;
	}
	b->ptid = buf;
	return 0;
}

/* Run the exchange and store the SA; prints the summary.  Exit code. */
static int fetch_and_store(const char *cmd, const struct bsf_opts *b,
			   const struct scs_gpi_req *req, uint32_t lifetime)
{
	struct scs_gpi_resp resp;
	struct scs_error e;
	struct scs_host host;
	struct scs_sa sa;
	uint64_t now = cli_now();
	int r, lk = -1, rc = 1;

	memset(&resp, 0, sizeof(resp));
	memset(&sa, 0, sizeof(sa));
	/* the binding state first: no SQN is used at the BSF for an SA that
	 * could not be stored */
	if (cli_host(cmd, b->state, &host))
		return 1;
	if (scs_global_init() != GBA_OK) {
		cli_err(cmd, "libcurl initialisation failed");
		return 1;
	}
	if (b->diam.conf) {
		struct scs_diam d = b->diam;

		/* a peer closing its connection must not kill the client
		 * while freeDiameter writes to it */
		signal(SIGPIPE, SIG_IGN);
		d.timeout_ms = b->bsf.timeout_ms;
		r = scs_diam_push_info(&d, req, &resp, &e);
	} else {
		r = scs_bsf_push_info(&b->bsf, req, &resp, &e);
	}
	if (r != GBA_OK) {
		cli_err(cmd, "%s [%s]", e.msg[0] ? e.msg : gba_strerror(r),
			gba_err_name(r));
		goto out;
	}
	r = scs_sa_from_gpi(req, lifetime, &resp, now, &sa);
	if (r != GBA_OK) {
		cli_err(cmd, "the BSF's GPI cannot make a NAF SA: %s [%s]",
			r == GBA_ERR_INCONSISTENT
				? "it names another NAF_Id or GBA mode"
				: gba_strerror(r),
			gba_err_name(r));
		goto out;
	}
	if ((r = scs_sa_lock(b->sa_path, &lk)) != GBA_OK ||
	    (r = scs_sa_save(b->sa_path, &host, &sa)) != GBA_OK) {
		cli_err(cmd, "cannot write SA file %s: %s", b->sa_path,
			gba_strerror(r));
		goto out;
	}
	cli_print_sa(&sa, b->sa_path);
	rc = 0;
out:
	scs_sa_unlock(lk);
	scs_gpi_resp_clear(&resp);
	scs_sa_clear(&sa);
	scs_host_clear(&host);
	scs_global_cleanup();
	return rc;
}


#define BSF_LONGOPTS                                                           \
	{"bsf", required_argument, NULL, O_BSF},                               \
		{"cert", required_argument, NULL, O_CERT},                     \
		{"key", required_argument, NULL, O_KEY},                       \
		{"ca", required_argument, NULL, O_CA},                         \
		{"timeout", required_argument, NULL, O_TIMEOUT},               \
		{"retries", required_argument, NULL, O_RETRIES},               \
		{"sa", required_argument, NULL, O_SA},                         \
		{"ptid", required_argument, NULL, O_PTID},                     \
		{"p-tid", required_argument, NULL, O_PTID_HEX},                \
		{"lifetime", required_argument, NULL, O_LIFETIME},             \
		{"state", required_argument, NULL, O_STATE},                   \
		{"diameter", required_argument, NULL, O_DIAMETER},             \
		{"diameter-peer", required_argument, NULL, O_DIAMETER_PEER},   \
		{"diameter-realm", required_argument, NULL, O_DIAMETER_REALM}, \
	{                                                                      \
		"help", no_argument, NULL, O_HELP                              \
	}

#define BSF_USAGE                                                              \
	"  --bsf URL          BSF apiRoot, https://HOST:PORT (the path\n"      \
	"                     /nbsp-gba/v1/push-info-retrieval is appended)\n" \
	"  --cert FILE        this SCS's client certificate (PEM)\n"           \
	"  --key FILE         its private key (PEM)\n"                         \
	"  --ca FILE          CA certificate(s) that issued the BSF's (PEM)\n" \
	"  --timeout MS       whole-exchange timeout (default 10000)\n"        \
	"  --retries N        send again after a 503/429 whose Retry-After is\n" \
	"                     at most 30 s, N times at most (default 2; 0 never)\n" \
	"  --sa FILE          the SA file to write (mode 0600, SECRET)\n"      \
	"  --p-tid HEX        P-TID, 1..64 octets of printable ASCII as hex\n"  \
	"                     (default: \"pt-\" and 16 random hex digits; must\n" \
	"                     be unique per NAF SA; printed as hex)\n"          \
	"  --ptid TEXT        the same as text (older spelling, deprecated)\n"  \
	"  --lifetime SECONDS requested NAF key lifetime (default 86400)\n"   \
	CLI_STATE_USAGE

/* Handle a BSF option; 1 if handled, 0 if not, -1 on error. */
static int bsf_opt(const char *cmd, int c, struct bsf_opts *b)
{
	static const struct cli_store strs[] = {
		CLI_STR(O_BSF, struct bsf_opts, bsf.url),
		CLI_STR(O_CERT, struct bsf_opts, bsf.cert),
		CLI_STR(O_KEY, struct bsf_opts, bsf.key),
		CLI_STR(O_CA, struct bsf_opts, bsf.ca),
		CLI_STR(O_SA, struct bsf_opts, sa_path),
		CLI_STR(O_PTID, struct bsf_opts, ptid),
		CLI_STR(O_STATE, struct bsf_opts, state),
		CLI_STR(O_DIAMETER, struct bsf_opts, diam.conf),
		CLI_STR(O_DIAMETER_PEER, struct bsf_opts, diam.peer),
		CLI_STR(O_DIAMETER_REALM, struct bsf_opts, diam.realm),
	};
	unsigned long long v;

	if (cli_store(c, strs, sizeof(strs) / sizeof(strs[0]), b))
		return 1;
	switch (c) {
	case O_PTID_HEX: {
		size_t n = 0, i;

		/* Nbsp ptId is a string: the octets must be printable */
		if (gba_hex_decode(optarg, strlen(optarg),
				   (uint8_t *)b->ptid_buf, GBA_PTID_MAX, &n) ||
		    n == 0) {
			cli_err(cmd, "--p-tid: 1..%d octets as hex", GBA_PTID_MAX);
			return -1;
		}
		for (i = 0; i < n; i++)
			if (b->ptid_buf[i] < 0x20 || b->ptid_buf[i] > 0x7e) {
				cli_err(cmd, "--p-tid: printable ASCII octets"
					     " (20..7e) only");
				return -1;
			}
		b->ptid_buf[n] = '\0';
		b->ptid = b->ptid_buf;
		return 1;
	}
	case O_TIMEOUT:
		if (cli_uint(cmd, "timeout", optarg, 600000, &v))
			return -1;
		b->bsf.timeout_ms = (long)v;
		return 1;
	case O_RETRIES:
		if (cli_uint(cmd, "retries", optarg, 10, &v))
			return -1;
		b->bsf.retries = (unsigned)v;
		return 1;
	case O_LIFETIME:
		if (cli_uint(cmd, "lifetime", optarg, MAX_LIFETIME, &v))
			return -1;
		if (v == 0) {
			cli_err(cmd, "--lifetime must be at least 1 second");
			return -1;
		}
		b->lifetime = v;
		b->have_lifetime = 1;
		return 1;
	default:
		return 0;
	}
}

static const char request_usage[] =
	"usage: gba-scs request --bsf URL --cert FILE --key FILE --ca FILE\n"
	"         --ue-id ID --naf-fqdn FQDN --sa FILE [options]\n"
	"\n"
	"Ask the BSF for GBA Push Information (TS 29.309 PushInfoRetrieval)\n"
	"and store the resulting NAF SA in FILE (mode 0600: it holds the NAF\n"
	"key).  Prints the SA's public fields as name=value lines.\n"
	"\n" BSF_USAGE
	"  --ue-id ID         the subscriber: IMPI, or IMPU (sip:/tel: URI)\n"
	"  --ue-id-type T     public|private (default: public when ID starts\n"
	"                     with sip:, sips: or tel:, else private)\n"
	"  --naf-fqdn FQDN    this SCS's FQDN (ASCII), first part of NAF_Id\n"
	"  --ua-id HEX        Ua security protocol id, 10 hex digits (default\n"
	"                     0100000005: GPL, TS 33.220 Annex H)\n"
	"  --gba-u            GBA_U (UICC-based) instead of GBA_ME\n"
	"  --gba-u-aware      tell the BSF this SCS handles Ks_int_NAF\n"
	"  --app-label LABEL  UICC application label (default: empty)\n"
	"  --private-id       ask for the IMPI in the response\n"
	"  --diameter CONF    ask over Diameter (GPR/GPA, TS 29.109) with the\n"
	"                     freeDiameter configuration CONF instead of\n"
	"                     Nbsp; --bsf, --cert, --key, --ca not needed\n"
	"  --diameter-peer ID the BSF's Diameter Identity (a ConnectPeer\n"
	"                     of CONF; Destination-Host)\n"
	"  --diameter-realm R Destination-Realm (default: the BSF's realm)\n"
	"\nExit status: 0 SA stored, 1 the request failed, 2 usage error.\n";

static int ue_id_default_public(const char *id)
{
	return !strncmp(id, "sip:", 4) || !strncmp(id, "sips:", 5) ||
	       !strncmp(id, "tel:", 4);
}

struct request_ctx {
	struct bsf_opts b;
	struct scs_gpi_req req;
	const char *ue_type;
};

static int request_opt(const char *cmd, int c, void *ctx)
{
	static const struct cli_store own[] = {
		CLI_STR(O_UE_ID, struct request_ctx, req.ue_id),
		CLI_STR(O_UE_ID_TYPE, struct request_ctx, ue_type),
		CLI_STR(O_NAF_FQDN, struct request_ctx, req.naf_fqdn),
		CLI_STR(O_APP_LABEL, struct request_ctx, req.uicc_app_label),
		CLI_FLAG(O_GBA_U, struct request_ctx, req.gba_u),
		CLI_FLAG(O_GBA_U_AWARE, struct request_ctx, req.gba_u_aware),
		CLI_FLAG(O_PRIVATE_ID, struct request_ctx, req.private_id_request),
	};
	struct request_ctx *x = ctx;
	int h;

	if ((h = bsf_opt(cmd, c, &x->b)) != 0)
		return h;
	if (cli_store(c, own, sizeof(own) / sizeof(own[0]), x))
		return 1;
	if (c != O_UA_ID)
		return 0;
	if (gba_hex_decode_exact(optarg, x->req.ua_id, GBA_UA_ID_LEN)) {
		cli_err(cmd, "--ua-id wants 10 hex digits");
		return -1;
	}
	return 1;
}

static int cmd_request(int argc, char **argv)
{
	static const struct option lo[] = {
		BSF_LONGOPTS,
		{"ue-id", required_argument, NULL, O_UE_ID},
		{"ue-id-type", required_argument, NULL, O_UE_ID_TYPE},
		{"naf-fqdn", required_argument, NULL, O_NAF_FQDN},
		{"ua-id", required_argument, NULL, O_UA_ID},
		{"gba-u", no_argument, NULL, O_GBA_U},
		{"gba-u-aware", no_argument, NULL, O_GBA_U_AWARE},
		{"app-label", required_argument, NULL, O_APP_LABEL},
		{"private-id", no_argument, NULL, O_PRIVATE_ID},
		{NULL, 0, NULL, 0},
	};
	static const uint8_t gpl_ua[GBA_UA_ID_LEN] = SCS_UA_ID_GPL;
	const char *cmd = "request";
	struct request_ctx x;
	char ptid[GBA_PTID_MAX + 1];
	int r;

	memset(&x, 0, sizeof(x));
	x.b.bsf.retries = 2;
	memcpy(x.req.ua_id, gpl_ua, sizeof(gpl_ua));
	x.req.uicc_app_label = "";
	if ((r = cli_opts(cmd, argc, argv, lo, request_usage, request_opt,
			  &x)) >= 0)
		return r;
	if (bsf_opts_check(cmd, &x.b))
		return 2;
	if (!x.req.ue_id || !x.req.naf_fqdn) {
		cli_err(cmd, "missing --%s", x.req.ue_id ? "naf-fqdn" : "ue-id");
		return 2;
	}
	if (!x.ue_type)
		x.req.ue_id_type = ue_id_default_public(x.req.ue_id)
					 ? SCS_UE_ID_PUBLIC
					 : SCS_UE_ID_PRIVATE;
	else if (!strcmp(x.ue_type, "public"))
		x.req.ue_id_type = SCS_UE_ID_PUBLIC;
	else if (!strcmp(x.ue_type, "private"))
		x.req.ue_id_type = SCS_UE_ID_PRIVATE;
	else {
		cli_err(cmd, "--ue-id-type must be public or private");
		return 2;
	}
	if (default_ptid(cmd, &x.b, ptid, sizeof(ptid)))
		return 1;
	x.req.p_tid = x.b.ptid;
	if (!x.b.have_lifetime)
		x.b.lifetime = DEFAULT_LIFETIME;
	x.req.requested_expiry = cli_now() + x.b.lifetime;
	if ((r = scs_req_check(&x.req)) != GBA_OK) {
		cli_err(cmd,
			"invalid request: %s (ue-id 1..%d, naf-fqdn ASCII "
			"1..%d, ptid 1..%d, app-label 0..%d characters)",
			gba_strerror(r), SCS_UE_ID_MAX, GBA_FQDN_MAX,
			GBA_PTID_MAX, GBA_APP_LABEL_MAX);
		return 2;
	}
	return fetch_and_store(cmd, &x.b, &x.req, (uint32_t)x.b.lifetime);
}

static const char resync_usage[] =
	"usage: gba-scs resync --sa FILE --auts HEX --bsf URL --cert FILE\n"
	"         --key FILE --ca FILE [options]\n"
	"\n"
	"The UE refused the GPI in FILE with a synchronisation failure and\n"
	"returned AUTS (TS 33.102 6.3.3).  Repeat the SA's request with AUTS\n"
	"and the GPI's RAND so that the BSF resynchronises SQN and issues a\n"
	"fresh GPI, then replace FILE with the new NAF SA (fresh P-TID).\n"
	"Push the new GPI again with 'gba-scs push'.\n"
	"\n" BSF_USAGE "  --auts HEX         AUTS from the UE, 28 hex digits\n"
	"  --rand HEX         RAND of the refused GPI, 32 hex digits "
	"(default:\n"
	"                     the RAND stored in FILE)\n"
	"\nExit status: 0 SA replaced, 1 the request failed, 2 usage error.\n";

struct resync_ctx {
	struct bsf_opts b;
	const char *auts, *rnd;
};

static int resync_opt(const char *cmd, int c, void *ctx)
{
	struct resync_ctx *x = ctx;
	int h;

	if ((h = bsf_opt(cmd, c, &x->b)) != 0)
		return h;
	if (c == O_AUTS)
		x->auts = optarg;
	else if (c == O_RAND)
		x->rnd = optarg;
	else
		return 0;
	return 1;
}

static int cmd_resync(int argc, char **argv)
{
	static const struct option lo[] = {
		BSF_LONGOPTS,
		{"auts", required_argument, NULL, O_AUTS},
		{"rand", required_argument, NULL, O_RAND},
		{NULL, 0, NULL, 0},
	};
	const char *cmd = "resync";
	struct resync_ctx x;
	struct scs_gpi_req req;
	struct scs_sa old;
	char ptid[GBA_PTID_MAX + 1];
	int r, rc;

	memset(&x, 0, sizeof(x));
	x.b.bsf.retries = 2;
	if ((r = cli_opts(cmd, argc, argv, lo, resync_usage, resync_opt,
			  &x)) >= 0)
		return r;
	if (x.b.diam.conf) {
		/* no AUTS carrier of the GPR is confirmed (docs/diameter.md) */
		cli_err(cmd, "--diameter: resynchronisation over Diameter is "
			     "not supported, use Nbsp");
		return 2;
	}
	if (bsf_opts_check(cmd, &x.b))
		return 2;
	if (!x.auts) {
		cli_err(cmd, "missing --auts");
		return 2;
	}
	/* any binding will do: resync ends in a new GPI with fresh keys */
	r = scs_sa_load(x.b.sa_path, NULL, &old);
	if (r != GBA_OK) {
		cli_sa_load_err(cmd, x.b.sa_path, r, "");
		return 1;
	}
	if (!x.b.have_lifetime)
		x.b.lifetime = old.lifetime_s ? old.lifetime_s : DEFAULT_LIFETIME;
	if (default_ptid(cmd, &x.b, ptid, sizeof(ptid))) {
		scs_sa_clear(&old);
		return 1;
	}
	scs_sa_request(&old, cli_now(), &req);
	req.requested_expiry = cli_now() + x.b.lifetime;
	req.p_tid = x.b.ptid;
	req.resync = 1;
	rc = 2;
	if (gba_hex_decode_exact(x.auts, req.auts, SCS_AUTS_LEN)) {
		cli_err(cmd, "--auts wants %d hex digits", 2 * SCS_AUTS_LEN);
		goto out;
	}
	if (x.rnd) {
		if (gba_hex_decode_exact(x.rnd, req.rand, GBA_RAND_LEN)) {
			cli_err(cmd, "--rand wants %d hex digits",
				2 * GBA_RAND_LEN);
			goto out;
		}
	} else {
		memcpy(req.rand, old.rand, GBA_RAND_LEN);
	}
	rc = fetch_and_store(cmd, &x.b, &req, (uint32_t)x.b.lifetime);
out:
	scs_sa_clear(&old);
	return rc;
}

static const char show_usage[] =
	"usage: gba-scs show --sa FILE [--state DIR]\n"
	"\n"
	"Print the public fields of a NAF SA file as name=value lines: mode,\n"
	"NAF_Id, P-TID, RAND, key expiry, GPI length, session id, SN_c, and\n"
	"binding=ok, or binding=copied-or-restored for a file this host did\n"
	"not last write at that path (it cannot push or trigger: run 'gba-scs\n"
	"request').  Keys are never printed.\n"
	"\n" CLI_STATE_USAGE
	"\nExit status: 0 printed, 1 unreadable or invalid file, 2 usage.\n";

static int cmd_show(int argc, char **argv)
{
	static const struct option lo[] = {
		{"sa", required_argument, NULL, O_SA},
		{"state", required_argument, NULL, O_STATE},
		{"help", no_argument, NULL, O_HELP},
		{NULL, 0, NULL, 0},
	};
	const char *cmd = "show", *path = NULL, *state = NULL;
	struct scs_host host;
	struct scs_sa sa;
	int c, r;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", lo, NULL)) != -1) {
		if (c == O_HELP) {
			fputs(show_usage, stdout);
			return 0;
		}
		if (c == O_STATE) {
			state = optarg;
			continue;
		}
		if (c != O_SA) {
			cli_bad_opt(cmd, c, argv);
			return 2;
		}
		path = optarg;
	}
	if (optind < argc || !path) {
		cli_err(cmd,
			optind < argc ? "unexpected argument" : "missing --sa");
		return 2;
	}
	if (cli_host(cmd, state, &host))
		return 1;
	r = scs_sa_load(path, &host, &sa);
	scs_host_clear(&host);
	if (r != GBA_OK) {
		cli_sa_load_err(cmd, path, r, "");
		return 1;
	}
	cli_print_sa(&sa, path);
	scs_sa_clear(&sa);
	return 0;
}

/* command NAME runs cmd_NAME() */
#define CMD(name, summary) {#name, summary, cmd_##name}
static const struct gba_cli_cmd cmds[] = {
	CMD(request, "get a GPI from the BSF and store the NAF SA"),
	CMD(push, "print the GPI push SMS PDUs for the UE"),
	CMD(trigger, "print a GPL-protected device trigger as SMS PDUs"),
	CMD(resync, "AUTS from the UE: get a fresh GPI, replace the SA"),
	CMD(show, "print an SA file's public fields"),
};
#undef CMD

static void usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
		"usage: gba-scs COMMAND [OPTIONS]\n\n"
		"The SCS (Push-NAF) side of GBA Push: GPI from the BSF over\n"
		"HTTPS with mutual TLS (TS 29.309), NAF SA file, GPI push and\n"
		"GPL-protected device triggers as SMS PDUs.\n\nCommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(fp, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(fp, "\nRun 'gba-scs COMMAND --help' for its options.\n"
		    "--json (any command, anywhere): one JSON object instead"
		    " of name=value\nlines ({\"pdus\":[...]} for push and"
		    " trigger); --version: the version.\n"
		    "Exit status: 0 success, 1 operation failed, 2 usage "
		    "error.\nSA files hold NAF keys: keep them mode 0600.\n");
}

int main(int argc, char **argv)
{
	int j, k;

	/* --json anywhere: taken out before the command parses its options */
	for (j = k = 1; j < argc; j++) {
		if (!strcmp(argv[j], "--json"))
			cli_json = 1;
		else
			argv[k++] = argv[j];
	}
	argc = k;
	argv[argc] = NULL;
	return gba_cli_dispatch("gba-scs", GBA_VERSION, cmds,
				GBA_ARRAY_SIZE(cmds), usage, argc, argv);
}
