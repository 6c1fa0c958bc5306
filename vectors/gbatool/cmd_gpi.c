/*
 * gbatool gpi decode | build: GBA Push Information, TS 33.223 5.2.1 /
 * 5.3.5, in the project layout P1 of common/src/gpi.c (project choice,
 * unconfirmed: docs/wire-formats.md "GPI").
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "gba/crypto.h"
#include "gba/gpi.h"
#include "gba/hex.h"
#include "gba/kdf.h"
#include "gba/text.h"
#include "gba/utf8_nfkc.h"
#include "tool.h"

#define GPI_USAGE                                                        \
	"decode HEX [--naf-key HEX]\n"                                   \
	"       gbatool gpi build --rand HEX --autn HEX --naf-fqdn TEXT "  \
	"--ua-id HEX\n"                                                   \
	"                         --p-tid HEX --naf-key HEX "             \
	"[--gba-u] [--app-label TEXT]\n"                                  \
	"                         [--key-expiry YYYY-MM-DDTHH:MM:SSZ]"

static const struct opt_spec gpi_spec[] = {
	{ "naf-key", 0, "HEX  Ks_NAF / Ks_ext_NAF, 32 octets (decode: verify "
			"the tag and decrypt the P-TID)" },
	{ "rand", 0, "HEX  build: RAND, 16 octets" },
	{ "autn", 0, "HEX  build: AUTN (GBA_ME) or AUTN* (GBA_U), 16 octets" },
	{ "naf-fqdn", 0, "TEXT build: NAF FQDN" },
	{ "ua-id", 0, "HEX  build: Ua security protocol id, 5 octets" },
	{ "p-tid", 0, "HEX  build: P-TID, 1..64 octets" },
	{ "gba-u", OPT_FLAG, "build: GBA_U (the AUTN field is AUTN*)" },
	{ "app-label", 0, "TEXT build: UICC application label (default: none)" },
	{ "key-expiry", 0, "TIME build: NAF key expiry, RFC 3339 UTC "
			   "(YYYY-MM-DDTHH:MM:SSZ; Unix seconds, the older "
			   "form, still taken; default 1970-01-01T00:00:00Z)" },
};

/* RFC 3339 UTC, the one time format of every tool (README). */
static void fmt_time(unsigned long long t, char *b, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(b, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(b, cap, "%llu", t);
}

/* an RFC 3339 date-time (gba_datetime_parse(), gba/text.h) within the
 * GPI's 32-bit expiry; decimal Unix seconds are the caller's */
static int parse_time(const char *s, unsigned long *out)
{
	int64_t t;

	if (gba_datetime_parse(s, strlen(s), &t) != GBA_OK ||
	    (uint64_t)t > 0xFFFFFFFFull)
		return -1;
	*out = (unsigned long)t;
	return 0;
}

/* the NAF key and the clear P-TID: cmd_gpi() wipes them on every path */
struct gpi_secrets {
	uint8_t key[GBA_KDF_OUT_LEN];
	uint8_t p_tid[GBA_PTID_MAX];
};

static int gpi_decode(const struct opts *o, struct gpi_secrets *s)
{
	static uint8_t gpi[GBA_GPI_MAX];
	struct gba_gpi_info info;
	const uint8_t *fqdn, *ua;
	size_t len, fqdn_len, p_tid_len = 0;
	int have_key = opt_has(o, "naf-key"), r;
	char when[32];
	struct out w;

	if (o->npos != 2) {
		tool_err("gpi", "decode takes one HEX argument");
		return TOOL_EXIT_USAGE;
	}
	r = gba_hex_decode(o->pos[1], strlen(o->pos[1]), gpi, sizeof(gpi),
			   &len);
	if (r != GBA_OK) {
		tool_err("gpi", "GPI: not a hex string of at most %d octets",
			 GBA_GPI_MAX);
		return TOOL_EXIT_USAGE;
	}
	if (have_key &&
	    (r = opt_hex_exact(o, "naf-key", s->key, sizeof(s->key))))
		return r;
	if ((r = gba_gpi_decode(gpi, len, &info)) != GBA_OK ||
	    (r = gba_gpi_naf_fqdn(&info, &fqdn, &fqdn_len, &ua)) != GBA_OK) {
		tool_err("gpi", "decode: %s (%s)", gba_strerror(r),
			 gba_err_name(r));
		return TOOL_EXIT_FAIL;
	}
	if (have_key) {
		r = gba_gpi_open(gpi, len, s->key, s->p_tid, sizeof(s->p_tid),
				 &p_tid_len);
		if (r == GBA_ERR_MAC) {
			tool_err("gpi", "GPI integrity check failed");
			return TOOL_EXIT_FAIL;
		}
		if (r != GBA_OK) {
			tool_err("gpi", "open: %s", gba_strerror(r));
			return TOOL_EXIT_FAIL;
		}
	}
	out_begin(&w, o->json);
	out_hex(&w, "version", &info.version, 1);
	out_bool(&w, "gba_u", info.gba_u);
	out_hex(&w, "rand", info.rand, sizeof(info.rand));
	out_hex(&w, "autn", info.autn, sizeof(info.autn));
	out_strn(&w, "naf_fqdn", (const char *)fqdn, fqdn_len);
	out_hex(&w, "ua_id", ua, GBA_UA_ID_LEN);
	out_hex(&w, "app_label", info.app_label, info.app_label_len);
	fmt_time(info.key_expiry, when, sizeof(when));
	out_str(&w, "key_expiry", when);
	out_hex(&w, "p_tid_enc", info.p_tid_enc, info.p_tid_len);
	if (have_key)
		out_hex(&w, "p_tid", s->p_tid, p_tid_len);
	out_end(&w);
	return 0;
}

static int gpi_build(const struct opts *o, struct gpi_secrets *s)
{
	struct gba_gpi_info info;
	uint8_t ua[GBA_UA_ID_LEN];
	uint8_t gpi[GBA_GPI_MAX];
	char fqdn[GBA_FQDN_MAX + 1];
	unsigned long expiry = 0;
	const char *label;
	size_t p_tid_len, len;
	struct out w;
	int r;

	if (o->npos != 1) {
		tool_err("gpi", "build takes no positional argument");
		return TOOL_EXIT_USAGE;
	}
	memset(&info, 0, sizeof(info));
	if ((r = opt_hex_exact(o, "rand", info.rand, sizeof(info.rand))) ||
	    (r = opt_hex_exact(o, "autn", info.autn, sizeof(info.autn))) ||
	    (r = opt_require(o, "naf-fqdn")) ||
	    (r = opt_hex_exact(o, "ua-id", ua, sizeof(ua))) ||
	    (r = opt_hex(o, "p-tid", s->p_tid, sizeof(s->p_tid),
			 &p_tid_len)) ||
	    (r = opt_hex_exact(o, "naf-key", s->key, sizeof(s->key))))
		return r;
	if (opt_has(o, "key-expiry") &&
	    parse_time(opt_get(o, "key-expiry"), &expiry) != 0 &&
	    (r = opt_uint(o, "key-expiry", 0, 0xFFFFFFFFul, &expiry))) {
		tool_err("gpi", "--key-expiry: want YYYY-MM-DDTHH:MM:SSZ");
		return r;
	}
	/* TS 33.220 B.2.1: the FQDN enters NAF_Id as NFKC, then UTF-8 */
	if ((r = gba_utf8_nfkc_str(opt_get(o, "naf-fqdn"), fqdn,
				   sizeof(fqdn))) != GBA_OK ||
	    (r = gba_naf_id(fqdn, ua, info.naf_id, &info.naf_id_len)) !=
		    GBA_OK) {
		tool_err("gpi", "--naf-fqdn: %s", gba_strerror(r));
		return TOOL_EXIT_USAGE;
	}
	if ((label = opt_get(o, "app-label")) != NULL) {
		info.app_label_len = strlen(label);
		if (info.app_label_len > GBA_APP_LABEL_MAX) {
			tool_err("gpi", "--app-label: longer than %d octets",
				 GBA_APP_LABEL_MAX);
			return TOOL_EXIT_USAGE;
		}
		memcpy(info.app_label, label, info.app_label_len);
	}
	info.gba_u = opt_has(o, "gba-u");
	info.key_expiry = expiry;
	if ((r = gba_gpi_build(&info, s->p_tid, p_tid_len, s->key, gpi,
			       sizeof(gpi), &len)) != GBA_OK) {
		tool_err("gpi", "build: %s", gba_strerror(r));
		return TOOL_EXIT_FAIL;
	}
	out_begin(&w, o->json);
	out_hex(&w, "gpi", gpi, len);
	out_uint(&w, "length", len);
	out_end(&w);
	return 0;
}

int cmd_gpi(int argc, char **argv)
{
	struct gpi_secrets sec;
	struct opts o;
	int r;

	r = opts_parse(&o, "gpi", GPI_USAGE, gpi_spec,
		       GBA_ARRAY_SIZE(gpi_spec), argc, argv);
	if (r)
		return r < 0 ? 0 : r;
	if (o.npos >= 1 && !strcmp(o.pos[0], "decode"))
		r = gpi_decode(&o, &sec);
	else if (o.npos >= 1 && !strcmp(o.pos[0], "build"))
		r = gpi_build(&o, &sec);
	else {
		tool_err("gpi",
			 "expected 'decode HEX' or 'build ...' (try --help)");
		return TOOL_EXIT_USAGE;
	}
	gba_cleanse(&sec, sizeof(sec));
	return r;
}
