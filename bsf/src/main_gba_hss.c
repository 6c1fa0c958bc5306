/*
 * gba-hss - the embedded HSS / AuC of gba-bsf served over Zh (TS 29.109
 * clause 4.2: Multimedia-Auth-Request/Answer, command 303, application
 * 16777221; TS 33.220 clause 4.5.2: one AV and the GUSS per bootstrapping,
 * here per GPI, TS 33.223 clause 4.3).  Same store and AuC code as
 * gba-bsf's embedded mode (hss.h: crash-safe SQN reservation, resync).
 * docs/diameter.md describes the MAR/MAA layout and the project choices.
 *
 * Configuration (INI):
 *   [store]    path = FILE or postgresql:// URI;  ind = 0..31 (4)
 *   [diameter] conf = freeDiameter configuration file (identity, realm,
 *              port, TLS, peers; No_SCTP where the kernel has no SCTP)
 *   [log]      level = err|warning|notice|info|debug (notice); file = PATH
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <ini.h>
#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>
#include "gba/crypto.h"
#include "gba/diam.h"
#include "config.h"
#include "diam_zh.h"
#include "hss.h"
#include "log.h"
#include "store.h"
#include "store_loc.h"

#ifndef GBA_VERSION
#define GBA_VERSION "0.1.0"
#endif

struct hss_cfg {
	char store[BSF_PATH_MAX];
	const char *store_key; /* "path" or "url", for messages */
	char diam_conf[BSF_PATH_MAX];
	char log_file[BSF_PATH_MAX];
	int level;
	unsigned ind;
	int fault;
	char err[256];
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: gba-hss -c FILE    serve Zh (MAR/MAA) from the store of FILE\n"
		"       gba-hss --help | --version\n"
		"\n"
		"Options:\n"
		"  -c, --config FILE   INI: [store] path, ind; [diameter] conf;\n"
		"                      [log] level, file (docs/diameter.md)\n"
		"  -h, --help          this text\n"
		"  -V, --version       version\n"
#ifdef GBA_HSS_TEST_FAULTS
		"  --fault N           TEST BUILD: malformed MAAs (1 no CK,\n"
		"                      2 short SIP-Authenticate)\n"
#endif
		"\n"
		"Signals: SIGTERM/SIGINT stop.\n"
		"Exit status: 0 clean stop, 1 error, 2 usage.\n");
}

static int level_of(const char *v)
{
	static const char *const n[] = { "err", "warning", "notice", "info",
					 "debug" };
	int i;

	for (i = 0; i < 5; i++)
		if (!strcmp(v, n[i]))
			return BSF_LOG_ERR + i;
	return -1;
}

static int copy(char *dst, size_t cap, const char *v)
{
	if (strlen(v) >= cap)
		return 0;
	memcpy(dst, v, strlen(v) + 1);
	return 1;
}

static int on_kv(void *user, const char *sec, const char *key,
		 const char *val)
{
	struct hss_cfg *c = user;
	char *end = NULL;
	unsigned long u;

	if (!strcmp(sec, "store") && (!strcmp(key, "path") ||
				      !strcmp(key, "url"))) {
		c->store_key = !strcmp(key, "url") ? "url" : "path";
		return copy(c->store, sizeof(c->store), val);
	}
	if (!strcmp(sec, "store") && !strcmp(key, "ind")) {
		u = strtoul(val, &end, 10);
		if (!*val || *end || u > 31)
			return 0;
		c->ind = (unsigned)u;
		return 1;
	}
	if (!strcmp(sec, "diameter") && !strcmp(key, "conf"))
		return copy(c->diam_conf, sizeof(c->diam_conf), val);
	if (!strcmp(sec, "log") && !strcmp(key, "file"))
		return copy(c->log_file, sizeof(c->log_file), val);
	if (!strcmp(sec, "log") && !strcmp(key, "level"))
		return (c->level = level_of(val)) >= 0;
	snprintf(c->err, sizeof(c->err), "unknown key [%s] %s", sec, key);
	return 0;
}

static void on_fd_log(int level, const char *line)
{
	BSF_LOG(BSF_LOG_MAIN,
		level >= FD_LOG_ERROR ? BSF_LOG_WARNING : BSF_LOG_INFO,
		"freeDiameter: %s", line);
}

static int run(struct hss_cfg *cfg)
{
	struct bsf_store *st = NULL;
	struct bsf_hss *hss = NULL;
	struct bsf_hss_cfg hcfg;
	struct bsf_zh_server_stats zs;
	sigset_t set;
	int r, sig = 0, rc = 1, diam = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((r = bsf_log_init(cfg->log_file, cfg->level, NULL, 0)) != GBA_OK) {
		fprintf(stderr, "gba-hss: log: %s\n", gba_strerror(r));
		return 1;
	}
	if ((r = bsf_store_open(cfg->store, 0, &st)) != GBA_OK) {
		BSF_LOG(BSF_LOG_STORE, BSF_LOG_ERR, "cannot open store %s: %s",
			BSF_STORE_LOC(cfg->store), gba_strerror(r));
		goto out;
	}
	bsf_hss_cfg_default(&hcfg);
	hcfg.ind = cfg->ind;
	if ((r = bsf_hss_open(st, &hcfg, &hss)) != GBA_OK) {
		BSF_LOG(BSF_LOG_STORE, BSF_LOG_ERR,
			"cannot start AuC on store %s: %s",
			BSF_STORE_LOC(cfg->store),
			gba_strerror(r));
		goto out;
	}
	if ((r = gba_diam_start(cfg->diam_conf, FD_LOG_ERROR, on_fd_log)) !=
	    GBA_OK) {
		BSF_LOG(BSF_LOG_MAIN, BSF_LOG_ERR,
			"[diameter] conf %s: cannot start Diameter: %s (%s)",
			cfg->diam_conf, gba_strerror(r),
			gba_diam_last_error());
		goto out;
	}
	diam = 1;
	if ((r = bsf_zh_server_start(st, hss, cfg->fault)) != GBA_OK) {
		BSF_LOG(BSF_LOG_MAIN, BSF_LOG_ERR, "Zh server: %s",
			gba_strerror(r));
		goto out;
	}
	BSF_LOG(BSF_LOG_MAIN, BSF_LOG_NOTICE,
		"gba-hss %s serving Zh (MAR/MAA), conf %s%s", GBA_VERSION,
		cfg->diam_conf, cfg->fault ? " FAULT INJECTION" : "");
	while (sigwait(&set, &sig) != 0)
		;
	bsf_zh_server_stats(&zs);
	BSF_LOG(BSF_LOG_MAIN, BSF_LOG_NOTICE,
		"stopping on signal %d: MAA ok=%llu resync=%llu unknown=%llu "
		"refused=%llu",
		sig, (unsigned long long)zs.ok, (unsigned long long)zs.resync,
		(unsigned long long)zs.unknown,
		(unsigned long long)zs.refused);
	rc = 0;
out:
	bsf_zh_server_stop();
	if (diam)
		gba_diam_stop();
	bsf_hss_close(hss);
	bsf_store_close(st);
	bsf_log_close();
	return rc;
}

int main(int argc, char **argv)
{
	struct hss_cfg cfg;
	const char *path = NULL;
	int i, r;

	memset(&cfg, 0, sizeof(cfg));
	cfg.level = BSF_LOG_NOTICE;
	cfg.ind = 4;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			printf("gba-hss %s (crypto %s)\n", GBA_VERSION,
			       gba_crypto_backend());
			return 0;
		}
		if ((!strcmp(argv[i], "-c") || !strcmp(argv[i], "--config")) &&
		    i + 1 < argc) {
			path = argv[++i];
			continue;
		}
#ifdef GBA_HSS_TEST_FAULTS
		if (!strcmp(argv[i], "--fault") && i + 1 < argc) {
			cfg.fault = (int)strtol(argv[++i], NULL, 10);
			continue;
		}
#endif
		usage(stderr);
		return 2;
	}
	if (!path) {
		usage(stderr);
		return 2;
	}
	r = ini_parse(path, on_kv, &cfg);
	if (r) {
		fprintf(stderr, "gba-hss: %s: %s (line %d)\n", path,
			cfg.err[0] ? cfg.err : "cannot read or bad value", r);
		return 1;
	}
	if (!cfg.store[0] || !cfg.diam_conf[0]) {
		fprintf(stderr,
			"gba-hss: %s: [store] path and [diameter] conf needed\n",
			path);
		return 1;
	}
	if (bsf_config_store_loc(cfg.store, cfg.store_key, cfg.err,
				 sizeof(cfg.err)) != GBA_OK) {
		fprintf(stderr, "gba-hss: %s: %s\n", path, cfg.err);
		return 1;
	}
	return run(&cfg);
}
