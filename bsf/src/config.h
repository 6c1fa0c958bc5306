/*
 * config.h - gba-bsf configuration: an INI file read with libinih.
 *
 * Every key, its default and its range is listed once, in the table in
 * config.c, and documented in docs/bsf.md "Configuration".  Unknown
 * sections or keys are errors (a typo must not silently fall back to a
 * default on a security setting).
 */
#ifndef BSF_CONFIG_H
#define BSF_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"

#define BSF_PATH_MAX 1024
#define BSF_ADDR_MAX 64
#define BSF_PRIO_MAX 512

struct bsf_config {
	/* [server] */
	char listen[BSF_ADDR_MAX];
	unsigned port;
	unsigned threads;
	unsigned drain_timeout;          /* seconds */
	int cpu_affinity;                /* pin worker i to allowed CPU i */
	/* [tls] */
	char tls_cert[BSF_PATH_MAX];
	char tls_key[BSF_PATH_MAX];
	char tls_ca[BSF_PATH_MAX];
	char tls_crl[BSF_PATH_MAX];      /* "" none; PEM, one or more CRLs */
	int tls12;                       /* "versions" contains 1.2 */
	int tls13;                       /* "versions" contains 1.3 */
	int require_client_cert;         /* must be true (mutual TLS) */
	char tls_priority[BSF_PRIO_MAX]; /* built from versions unless set */
	/* [admin] */
	int admin_enabled;
	char admin_listen[BSF_ADDR_MAX];
	unsigned admin_port;
	/* [store] */
	char store_path[BSF_PATH_MAX];   /* file, or [store] url if given */
	char store_url[BSF_PATH_MAX];    /* "" or a postgresql:// URI */
	unsigned ind;                    /* IND slot of this BSF (SQN) */
	unsigned ue_rate;                /* AVs per subscriber per minute */
	unsigned ue_burst;               /* AVs per subscriber at once */
	/* [keys] */
	unsigned lifetime_max;           /* seconds */
	unsigned lifetime_default;       /* when no lifetime is requested */
	/* [limits] */
	size_t max_body;
	unsigned max_connections;
	unsigned per_ip_connections;     /* 0: off */
	unsigned connection_timeout;     /* seconds */
	/* connection guard (conn_guard.h) */
	unsigned max_handshakes;         /* connections in the handshake */
	unsigned per_ip_handshakes;      /* per client address, 0: off */
	unsigned per_naf_connections;    /* per client certificate, 0: off */
	unsigned handshake_timeout;      /* seconds from accept */
	unsigned header_timeout;         /* seconds for a request head */
	unsigned body_timeout;           /* seconds for body + answer */
	unsigned rate;                   /* requests/s per Push-NAF, 0: off */
	unsigned burst;                  /* bucket depth */
	/* [log] */
	int log_level;                   /* syslog-style: 3 err .. 7 debug */
	char log_file[BSF_PATH_MAX];     /* "" or "-": stderr */
	char log_format[8];              /* "logfmt" (default) or "json" */
	uint8_t ue_hash_key[32];         /* keyed hash of UE ids in logs */
	int ue_hash_key_set;             /* 0: random per process */
	int log_keys;                    /* debug builds only */
	/* [diameter] */
	char diam_conf[BSF_PATH_MAX];    /* freeDiameter conf, "" = off */
	/* [hss] */
	char hss_mode[16];               /* "embedded" or "zh" */
	char hss_realm[256];             /* Destination-Realm of MARs */
	unsigned hss_timeout_ms;         /* per MAR */
};

/** bsf_config_defaults() - fill @cfg with the documented defaults. */
void bsf_config_defaults(struct bsf_config *cfg);

/**
 * bsf_config_load() - defaults, then the INI file @path, then validation.
 * @err:     [out] human-readable reason on failure ("file:line: ...")
 * Return: GBA_OK, GBA_ERR_IO (cannot read), GBA_ERR_CONFIG.
 */
int bsf_config_load(struct bsf_config *cfg, const char *path, char *err,
		    size_t err_len) GBA_WARN_UNUSED;

/**
 * bsf_config_validate() - cross-field checks and file readability
 * (cert, key, CA exist; TLS priority string accepted by GnuTLS).
 * Return: GBA_OK or GBA_ERR_CONFIG with @err set.
 */
int bsf_config_validate(struct bsf_config *cfg, char *err, size_t err_len)
	GBA_WARN_UNUSED;

/** bsf_config_print() - the effective configuration as INI (no secrets). */
void bsf_config_print(const struct bsf_config *cfg, void *fp);

/** bsf_config_clear() - wipe the secret fields. */
void bsf_config_clear(struct bsf_config *cfg);

/**
 * bsf_config_store_loc() - check a store location of a configuration file
 * (@key: "path" or "url", for the message): a SQLite file, or a
 * postgresql:// URI libpq parses that carries no password; GBA_OK, or
 * GBA_ERR_CONFIG with the reason in @err (never quoting the location).
 * gba-bsf and gba-hss.
 */
int bsf_config_store_loc(const char *loc, const char *key, char *err,
			 size_t err_len);

/** bsf_parse_uint() - strict decimal, no sign, no spaces, <= @max. */
int bsf_parse_uint(const char *s, uint64_t max, uint64_t *out)
	GBA_WARN_UNUSED;

#endif
