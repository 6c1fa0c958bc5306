/* see config.h */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <ini.h>
#include <gnutls/gnutls.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "gba/text.h"
#include "bsf_limits.h"
#include "config.h"
#include "store.h"
#include "store_loc.h"

enum cfg_type { T_STR, T_UINT, T_SIZE, T_BOOL, T_LEVEL, T_VERSIONS, T_HEXKEY };

struct cfg_key {
	const char *section;
	const char *key;
	enum cfg_type type;
	size_t off;        /* offset in struct bsf_config */
	size_t size;       /* T_STR: capacity */
	uint64_t min, max; /* T_UINT / T_SIZE */
	const char *def;   /* default, parsed by the same setter */
};

#define F(field) offsetof(struct bsf_config, field), \
		 sizeof(((struct bsf_config *)0)->field)
/* a key named as its field, one table entry per line */
#define KEY(section, name, type, min, max, def) \
	{ section, #name, type, F(name), min, max, def }
#define LIMIT(name, type, min, max, def) \
	KEY("limits", name, type, min, max, def)

/*
 * The one table of configuration keys (docs/bsf.md mirrors it).  Defaults
 * are written as the text an operator would put in the file.
 */
static const struct cfg_key cfg_keys[] = {
	KEY("server", listen, T_STR, 0, 0, "0.0.0.0"),
	KEY("server", port, T_UINT, 1, 65535, "8443"),
	KEY("server", threads, T_UINT, 1, BSF_THREADS_MAX, "2"),
	KEY("server", drain_timeout, T_UINT, 0, BSF_DRAIN_MAX, "10"),
	KEY("server", cpu_affinity, T_BOOL, 0, 0, "false"),
	{ "tls", "cert", T_STR, F(tls_cert), 0, 0, "" },
	{ "tls", "key", T_STR, F(tls_key), 0, 0, "" },
	{ "tls", "ca", T_STR, F(tls_ca), 0, 0, "" },
	{ "tls", "crl", T_STR, F(tls_crl), 0, 0, "" },
	{ "tls", "versions", T_VERSIONS, 0, 0, 0, 0, "1.2,1.3" },
	KEY("tls", require_client_cert, T_BOOL, 0, 0, "true"),
	{ "tls", "priority", T_STR, F(tls_priority), 0, 0, "" },
	{ "admin", "enabled", T_BOOL, F(admin_enabled), 0, 0, "true" },
	{ "admin", "listen", T_STR, F(admin_listen), 0, 0, "127.0.0.1" },
	{ "admin", "port", T_UINT, F(admin_port), 1, 65535, "9090" },
	{ "store", "path", T_STR, F(store_path), 0, 0, BSF_STORE_DEFAULT_PATH },
	/* a PostgreSQL store shared by several nodes (docs/deployment.md) */
	{ "store", "url", T_STR, F(store_url), 0, 0, "" },
	/* GBA Push's own IND slot (docs/sqn.md, project choice) */
	KEY("store", ind, T_UINT, 0, 31, "4"),
	/* AVs per subscriber and minute, 0 = off (docs/hss-store.md 4) */
	KEY("store", ue_rate, T_UINT, 0, 60000000, "60"),
	KEY("store", ue_burst, T_UINT, 1, 1000000, "16"),
	KEY("keys", lifetime_max, T_UINT, 60, BSF_LIFETIME_CEILING, "86400"),
	KEY("keys", lifetime_default, T_UINT, 60, BSF_LIFETIME_CEILING, "3600"),
	LIMIT(max_body, T_SIZE, 256, BSF_BODY_CEILING, "16384"),
	LIMIT(max_connections, T_UINT, 1, BSF_CONNECTIONS_MAX, "512"),
	LIMIT(per_ip_connections, T_UINT, 0, BSF_CONNECTIONS_MAX, "0"),
	LIMIT(connection_timeout, T_UINT, 1, BSF_TIMEOUT_MAX, "10"),
	LIMIT(max_handshakes, T_UINT, 1, BSF_HANDSHAKES_MAX, "256"),
	LIMIT(per_ip_handshakes, T_UINT, 0, BSF_HANDSHAKES_MAX, "64"),
	LIMIT(per_naf_connections, T_UINT, 0, BSF_CONNECTIONS_MAX, "64"),
	LIMIT(handshake_timeout, T_UINT, 1, BSF_PHASE_TIMEOUT_MAX, "3"),
	LIMIT(header_timeout, T_UINT, 1, BSF_PHASE_TIMEOUT_MAX, "5"),
	LIMIT(body_timeout, T_UINT, 1, BSF_PHASE_TIMEOUT_MAX, "10"),
	LIMIT(rate, T_UINT, 0, 10000000, "50000"),
	LIMIT(burst, T_UINT, 1, 10000000, "100000"),
	{ "log", "level", T_LEVEL, F(log_level), 0, 0, "info" },
	{ "log", "file", T_STR, F(log_file), 0, 0, "-" },
	{ "log", "format", T_STR, F(log_format), 0, 0, "logfmt" },
	KEY("log", ue_hash_key, T_HEXKEY, 0, 0, ""),
	KEY("log", log_keys, T_BOOL, 0, 0, "false"),
	/* Zpn over Diameter (TS 29.109 5.4): a freeDiameter configuration
	 * file; "" = no Diameter (docs/bsf.md, docs/diameter.md) */
	{ "diameter", "conf", T_STR, F(diam_conf), 0, 0, "" },
	/* where AVs come from: the embedded AuC or an HSS over Zh
	 * (TS 29.109 4.2; docs/diameter.md) */
	{ "hss", "mode", T_STR, F(hss_mode), 0, 0, "embedded" },
	{ "hss", "realm", T_STR, F(hss_realm), 0, 0, "" },
	{ "hss", "timeout_ms", T_UINT, F(hss_timeout_ms), 100, 60000, "2000" },
};
#undef LIMIT
#undef KEY
#undef F

static const struct {
	const char *name;
	int level;
} log_levels[] = {
	{ "err", 3 }, { "warning", 4 }, { "notice", 5 }, { "info", 6 },
	{ "debug", 7 },
};

int bsf_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	return gba_uint_parse(s, max, 0, out);
}

static int parse_bool(const char *v, int *out)
{
	if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") ||
	    !strcmp(v, "1") || !strcasecmp(v, "on"))
		*out = 1;
	else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") ||
		 !strcmp(v, "0") || !strcasecmp(v, "off"))
		*out = 0;
	else
		return GBA_ERR_MALFORMED;
	return GBA_OK;
}

/* "1.2,1.3", "1.3" or "1.2"; anything older is refused by design. */
static int parse_versions(const char *v, struct bsf_config *cfg)
{
	int v12 = 0, v13 = 0;
	const char *p = v;

	while (*p) {
		size_t n = strcspn(p, ", ");

		if (n == 3 && !strncmp(p, "1.2", 3))
			v12 = 1;
		else if (n == 3 && !strncmp(p, "1.3", 3))
			v13 = 1;
		else if (n != 0)
			return GBA_ERR_UNSUPPORTED;
		p += n;
		p += strspn(p, ", ");
	}
	if (!v12 && !v13)
		return GBA_ERR_MALFORMED;
	cfg->tls12 = v12;
	cfg->tls13 = v13;
	return GBA_OK;
}

static int set_key(struct bsf_config *cfg, const struct cfg_key *k,
		   const char *v, char *err, size_t err_len)
{
	uint8_t *base = (uint8_t *)cfg;
	uint64_t u;
	size_t i;
	int r;

	switch (k->type) {
	case T_STR:
		if (strlen(v) >= k->size) {
			snprintf(err, err_len, "[%s] %s: value too long (max %zu)",
				 k->section, k->key, k->size - 1);
			return GBA_ERR_CONFIG;
		}
		memcpy(base + k->off, v, strlen(v) + 1);
		return GBA_OK;
	case T_UINT:
	case T_SIZE:
		if ((r = bsf_parse_uint(v, k->max, &u)) != 0 || u < k->min) {
			snprintf(err, err_len,
				 "[%s] %s: '%s' is not an integer in %llu..%llu",
				 k->section, k->key, v,
				 (unsigned long long)k->min,
				 (unsigned long long)k->max);
			return GBA_ERR_CONFIG;
		}
		if (k->type == T_UINT) {
			unsigned x = (unsigned)u;

			memcpy(base + k->off, &x, sizeof(x));
		} else {
			size_t x = (size_t)u;

			memcpy(base + k->off, &x, sizeof(x));
		}
		return GBA_OK;
	case T_BOOL: {
		int b;

		if (parse_bool(v, &b) != 0) {
			snprintf(err, err_len, "[%s] %s: '%s' is not a boolean",
				 k->section, k->key, v);
			return GBA_ERR_CONFIG;
		}
		memcpy(base + k->off, &b, sizeof(b));
		return GBA_OK;
	}
	case T_LEVEL:
		for (i = 0; i < GBA_ARRAY_SIZE(log_levels); i++)
			if (!strcasecmp(v, log_levels[i].name)) {
				memcpy(base + k->off, &log_levels[i].level,
				       sizeof(int));
				return GBA_OK;
			}
		snprintf(err, err_len,
			 "[%s] %s: '%s' (use err, warning, notice, info, debug)",
			 k->section, k->key, v);
		return GBA_ERR_CONFIG;
	case T_VERSIONS:
		if (parse_versions(v, cfg) != 0) {
			snprintf(err, err_len,
				 "[%s] %s: '%s' (only 1.2 and 1.3 are allowed)",
				 k->section, k->key, v);
			return GBA_ERR_CONFIG;
		}
		return GBA_OK;
	case T_HEXKEY:
		if (!*v) {
			gba_cleanse(cfg->ue_hash_key, sizeof(cfg->ue_hash_key));
			cfg->ue_hash_key_set = 0;
			return GBA_OK;
		}
		if (gba_hex_decode_exact(v, cfg->ue_hash_key,
					 sizeof(cfg->ue_hash_key)) != 0) {
			snprintf(err, err_len,
				 "[%s] %s: must be 64 hex digits (32 octets)",
				 k->section, k->key);
			return GBA_ERR_CONFIG;
		}
		cfg->ue_hash_key_set = 1;
		return GBA_OK;
	}
	return GBA_ERR_INTERNAL;
}

void bsf_config_defaults(struct bsf_config *cfg)
{
	char err[256];
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < GBA_ARRAY_SIZE(cfg_keys); i++)
		(void)set_key(cfg, &cfg_keys[i], cfg_keys[i].def, err,
			      sizeof(err));
}

struct load_ctx {
	struct bsf_config *cfg;
	char *err;
	size_t err_len;
	int failed;
	unsigned char seen[GBA_ARRAY_SIZE(cfg_keys)];
};

static int cfg_ini_handler(void *user, const char *section, const char *name,
		       const char *value)
{
	struct load_ctx *lc = user;
	size_t i;

	if (lc->failed)
		return 0;
	for (i = 0; i < GBA_ARRAY_SIZE(cfg_keys); i++) {
		if (strcmp(cfg_keys[i].section, section) ||
		    strcmp(cfg_keys[i].key, name))
			continue;
		/* a key given twice is a mistake (which one was meant?) */
		if (lc->seen[i]) {
			snprintf(lc->err, lc->err_len, "duplicate key [%s] %s",
				 section, name);
			lc->failed = 1;
			return 0;
		}
		lc->seen[i] = 1;
		if (set_key(lc->cfg, &cfg_keys[i], value, lc->err,
			    lc->err_len) != 0) {
			lc->failed = 1;
			return 0;
		}
		return 1;
	}
	snprintf(lc->err, lc->err_len, "unknown key [%s] %s", section, name);
	lc->failed = 1;
	return 0;
}

static int file_readable(const char *what, const char *path, char *err,
			 size_t err_len)
{
	if (!*path) {
		snprintf(err, err_len, "%s is required", what);
		return GBA_ERR_CONFIG;
	}
	if (access(path, R_OK) != 0) {
		snprintf(err, err_len, "%s '%s': %s", what, path,
			 strerror(errno));
		return GBA_ERR_CONFIG;
	}
	return GBA_OK;
}

/*
 * TLS 1.2 / 1.3 only, AEAD ciphers only, ECDHE only (no static RSA, no
 * finite-field DHE), server order.  Project choice of suites, documented
 * in docs/bsf.md.
 */
static int build_priority(struct bsf_config *cfg, char *err, size_t err_len)
{
	const char *vers;
	int n;

	if (cfg->tls_priority[0])
		return GBA_OK; /* operator override, still checked below */
	vers = cfg->tls12 && cfg->tls13 ? "+VERS-TLS1.3:+VERS-TLS1.2"
	       : cfg->tls13		 ? "+VERS-TLS1.3"
					 : "+VERS-TLS1.2";
	n = snprintf(cfg->tls_priority, sizeof(cfg->tls_priority),
		     "SECURE128:-VERS-ALL:%s:-CIPHER-ALL:+AES-256-GCM:"
		     "+AES-128-GCM:+CHACHA20-POLY1305:-MAC-ALL:+AEAD:"
		     "-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:-GROUP-ALL:"
		     "+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1:"
		     "%%SERVER_PRECEDENCE",
		     vers);
	if (n < 0 || (size_t)n >= sizeof(cfg->tls_priority)) {
		snprintf(err, err_len, "TLS priority string too long");
		return GBA_ERR_CONFIG;
	}
	return GBA_OK;
}

/* no secret in the configuration ([store] url, or a URI given as [store]
 * path): libpq reads the password from a PGPASSFILE; every form libpq
 * reads refused (pass%77ord=, sslpassword=), the URI never quoted
 * (docs/operations.md "Database passwords"); a libpq keyword=value string
 * is no store location (bsf_store_loc_conninfo()) */
int bsf_config_store_loc(const char *loc, const char *key, char *err,
			 size_t err_len)
{
	if (bsf_store_loc_conninfo(loc)) {
		snprintf(err, err_len, "[store] %s: " BSF_STORE_LOC_CONNINFO_MSG,
			 key);
		return GBA_ERR_CONFIG;
	}
	switch (bsf_store_is_pg_uri(loc) ? bsf_store_loc_secret(loc) : 0) {
	case 0:
		return GBA_OK;
	case 1:
		snprintf(err, err_len,
			 "[store] %s: no password in the URI (nor sslpassword): "
			 "use a PGPASSFILE, ~/.pgpass, or a service file",
			 key);
		return GBA_ERR_CONFIG;
	default:
		snprintf(err, err_len, "[store] %s: libpq cannot parse this URI",
			 key);
		return GBA_ERR_CONFIG;
	}
}

int bsf_config_validate(struct bsf_config *cfg, char *err, size_t err_len)
{
	gnutls_priority_t prio;
	const char *epos = NULL;
	int r;

	if ((r = build_priority(cfg, err, err_len)) != 0)
		return r;
	if (gnutls_priority_init(&prio, cfg->tls_priority, &epos) !=
	    GNUTLS_E_SUCCESS) {
		snprintf(err, err_len, "[tls] priority rejected by GnuTLS at '%s'",
			 epos ? epos : "?");
		return GBA_ERR_CONFIG;
	}
	gnutls_priority_deinit(prio);
	if ((r = file_readable("[tls] cert", cfg->tls_cert, err, err_len)) ||
	    (r = file_readable("[tls] key", cfg->tls_key, err, err_len)))
		return r;
	/* mutual TLS is mandatory on this interface (TS 33.187, Tsp/T8):
	 * the key stays for old files, "false" is refused */
	if (!cfg->require_client_cert) {
		snprintf(err, err_len,
			 "[tls] require_client_cert = false is not supported: "
			 "client certificates are mandatory");
		return GBA_ERR_CONFIG;
	}
	if ((r = file_readable("[tls] ca", cfg->tls_ca, err, err_len)))
		return r;
	if (cfg->tls_crl[0] &&
	    (r = file_readable("[tls] crl", cfg->tls_crl, err, err_len)))
		return r;
	if (cfg->diam_conf[0] &&
	    (r = file_readable("[diameter] conf", cfg->diam_conf, err,
			       err_len)))
		return r;
	if (cfg->lifetime_default > cfg->lifetime_max) {
		snprintf(err, err_len,
			 "[keys] lifetime_default (%u) exceeds lifetime_max (%u)",
			 cfg->lifetime_default, cfg->lifetime_max);
		return GBA_ERR_CONFIG;
	}
	if (cfg->rate && cfg->burst < 1) {
		snprintf(err, err_len, "[limits] burst must be >= 1");
		return GBA_ERR_CONFIG;
	}
	if (strcmp(cfg->hss_mode, "embedded") && strcmp(cfg->hss_mode, "zh")) {
		snprintf(err, err_len,
			 "[hss] mode: \"%s\" is neither embedded nor zh",
			 cfg->hss_mode);
		return GBA_ERR_CONFIG;
	}
	if (!strcmp(cfg->hss_mode, "zh") &&
	    (!cfg->diam_conf[0] || !cfg->hss_realm[0])) {
		snprintf(err, err_len,
			 "[hss] mode = zh needs [diameter] conf and [hss] realm");
		return GBA_ERR_CONFIG;
	}
	/* the body timeout bounds the whole request: a longer MAR would see
	 * its request cut without an answer instead of a 503 */
	if (!strcmp(cfg->hss_mode, "zh") &&
	    cfg->hss_timeout_ms >= 1000u * cfg->body_timeout) {
		snprintf(err, err_len,
			 "[hss] timeout_ms = %u must be below [limits] "
			 "body_timeout (%u s)",
			 cfg->hss_timeout_ms, cfg->body_timeout);
		return GBA_ERR_CONFIG;
	}
	if (strcmp(cfg->log_format, "logfmt") && strcmp(cfg->log_format, "json")) {
		snprintf(err, err_len, "[log] format: '%s' (use logfmt or json)",
			 cfg->log_format);
		return GBA_ERR_CONFIG;
	}
	if (*cfg->store_url) {
		if (!bsf_store_is_pg_uri(cfg->store_url)) {
			snprintf(err, err_len,
				 "[store] url: not a postgresql:// URI");
			return GBA_ERR_CONFIG;
		}
		snprintf(cfg->store_path, sizeof(cfg->store_path), "%s",
			 cfg->store_url);
	}
	if (!*cfg->store_path) {
		snprintf(err, err_len, "[store] path is required");
		return GBA_ERR_CONFIG;
	}
	if ((r = bsf_config_store_loc(cfg->store_path,
				      *cfg->store_url ? "url" : "path", err,
				      err_len)) != GBA_OK)
		return r;
#ifndef BSF_DEBUG_KEYS
	if (cfg->log_keys) {
		snprintf(err, err_len,
			 "[log] log_keys refused: this build was made without "
			 "-DBSF_DEBUG_KEYS (never enable it in production)");
		return GBA_ERR_CONFIG;
	}
#endif
	return GBA_OK;
}

int bsf_config_load(struct bsf_config *cfg, const char *path, char *err,
		    size_t err_len)
{
	struct load_ctx lc = { cfg, err, err_len, 0, { 0 } };
	FILE *fp;
	int line;

	bsf_config_defaults(cfg);
	err[0] = '\0';
	if (!(fp = fopen(path, "r"))) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return GBA_ERR_IO;
	}
	line = ini_parse_file(fp, cfg_ini_handler, &lc);
	fclose(fp);
	if (line != 0) {
		char why[200];

		snprintf(why, sizeof(why), "%s", lc.failed ? err : "syntax error");
		snprintf(err, err_len, "%s:%d: %s", path, line, why);
		bsf_config_clear(cfg);
		return GBA_ERR_CONFIG;
	}
	return bsf_config_validate(cfg, err, err_len);
}

void bsf_config_print(const struct bsf_config *cfg, void *fpv)
{
	FILE *fp = fpv;
	const uint8_t *base = (const uint8_t *)cfg;
	const char *sect = "";
	size_t i, j;

	for (i = 0; i < GBA_ARRAY_SIZE(cfg_keys); i++) {
		const struct cfg_key *k = &cfg_keys[i];

		if (strcmp(sect, k->section)) {
			fprintf(fp, "%s[%s]\n", i ? "\n" : "", k->section);
			sect = k->section;
		}
		fprintf(fp, "%s = ", k->key);
		switch (k->type) {
		case T_STR:
			fprintf(fp, "%s\n", (const char *)(base + k->off));
			break;
		case T_UINT: {
			unsigned x;

			memcpy(&x, base + k->off, sizeof(x));
			fprintf(fp, "%u\n", x);
			break;
		}
		case T_SIZE: {
			size_t x;

			memcpy(&x, base + k->off, sizeof(x));
			fprintf(fp, "%zu\n", x);
			break;
		}
		case T_BOOL: {
			int x;

			memcpy(&x, base + k->off, sizeof(x));
			fprintf(fp, "%s\n", x ? "true" : "false");
			break;
		}
		case T_LEVEL:
			for (j = 0; j < GBA_ARRAY_SIZE(log_levels); j++)
				if (log_levels[j].level == cfg->log_level)
					fprintf(fp, "%s\n", log_levels[j].name);
			break;
		case T_VERSIONS:
			fprintf(fp, "%s%s%s\n", cfg->tls12 ? "1.2" : "",
				cfg->tls12 && cfg->tls13 ? "," : "",
				cfg->tls13 ? "1.3" : "");
			break;
		case T_HEXKEY:
			fprintf(fp, "%s\n",
				cfg->ue_hash_key_set ? "(set, not shown)"
						     : "(random per process)");
			break;
		}
	}
}

void bsf_config_clear(struct bsf_config *cfg)
{
	gba_cleanse(cfg->ue_hash_key, sizeof(cfg->ue_hash_key));
	cfg->ue_hash_key_set = 0;
}
