/*
 * gba-bsf - the GBA Push BSF daemon: issues GBA Push Information to
 * authorised Push-NAFs (SCSs) over mutually authenticated HTTPS, on the
 * Nbsp (TS 29.309) and Zpn web-service (TS 29.109 5.5) bindings.
 * docs/bsf.md describes configuration, endpoints and the security model.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>
#include <libxml/parser.h>
#include "gba/crypto.h"
#include "config.h"
#include "diam_zh.h"
#include "diam_zpn.h"
#include "hss.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "nbsp.h"
#include "push.h"
#include "store.h"
#include "store_loc.h"
#include "zpn.h"

#ifndef GBA_VERSION
#ifndef GBA_VERSION /* set by CMake from project(VERSION) */
#define GBA_VERSION "0.1.0"
#endif
#endif

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: gba-bsf -c FILE       run the BSF with configuration FILE\n"
		"       gba-bsf --check-config FILE\n"
		"                             load and validate FILE, print the\n"
		"                             effective configuration, exit\n"
		"       gba-bsf --help | --version\n"
		"\n"
		"Options:\n"
		"  -c, --config FILE   INI configuration (docs/bsf.md)\n"
		"  --check-config FILE validate only (exit 0 valid, 1 invalid):\n"
		"                      also loads the certificate and key, parses\n"
		"                      listen, opens the store read-only\n"
		"  -h, --help          this text\n"
		"  -V, --version       version, crypto backend, build options\n"
		"\n"
		"Endpoints (mutual TLS):\n"
		"  POST /nbsp-gba/v1/push-info-retrieval  application/json\n"
		"  POST /zpn                              text/xml (SOAP 1.1)\n"
		"Admin (plain HTTP, [admin] listen, default 127.0.0.1:9090):\n"
		"  GET /healthz   GET /metrics\n"
		"\n"
		"Signals: SIGTERM/SIGINT stop accepting, finish the requests in\n"
		"progress (up to [server] drain_timeout s) and exit 0.\n"
		"SIGHUP reopens the log file and reloads [tls] cert, key and ca\n"
		"(new handshakes use them; a failed reload keeps the old ones).\n"
		"SIGUSR1/SIGUSR2 are ignored.\n"
		"Exit status: 0 clean stop / valid config, 1 error, 2 usage.\n");
}

static void version(void)
{
	printf("gba-bsf %s (crypto %s, %s)\n", GBA_VERSION, gba_crypto_backend(),
#ifdef BSF_DEBUG_KEYS
	       "DEBUG key logging available"
#else
	       "key logging disabled"
#endif
	);
}

/* SIGHUP: reopen the log file, reload the TLS credentials */
static void reload(struct bsf_server *srv, const struct bsf_config *cfg)
{
	char err[512];
	int r, ok = 1;

	if ((r = bsf_log_reopen()) != GBA_OK) {
		BSF_LOG(BSF_LOG_MAIN, BSF_LOG_ERR,
			"reload: cannot reopen the log file: %s",
			gba_strerror(r));
		ok = 0;
	}
	if (cfg->diam_conf[0] &&
	    bsf_diam_zpn_reload(cfg, err, sizeof(err)) != GBA_OK) {
		BSF_LOG(BSF_LOG_MAIN, BSF_LOG_ERR,
			"reload failed, Diameter peer trust unchanged: %s",
			err);
		ok = 0;
	}
	if (bsf_server_reload(srv, err, sizeof(err)) != GBA_OK) {
		BSF_LOG(BSF_LOG_MAIN, BSF_LOG_ERR,
			"reload failed, TLS credentials unchanged: %s", err);
		ok = 0;
	}
	if (ok)
		BSF_LOG(BSF_LOG_MAIN, BSF_LOG_NOTICE, "reloaded");
}

/* --check-config: what run() would refuse, without serving */
static int check_config(const struct bsf_config *cfg)
{
	struct bsf_store *st = NULL;
	char err[512];
	int r;

	if (bsf_server_check(cfg, err, sizeof(err)) != GBA_OK) {
		fprintf(stderr, "gba-bsf: %s\n", err);
		return 1;
	}
	r = bsf_store_open(cfg->store_path, BSF_STORE_READONLY, &st);
	if (r == GBA_ERR_STATE) {
		/* an older schema (or an empty file): the daemon migrates it
		 * at start; read-only, nothing is changed here */
		printf("# [store] path '%s': older schema, migrated when "
		       "gba-bsf starts\n", BSF_STORE_LOC(cfg->store_path));
		return 0;
	}
	if (r != GBA_OK) {
		fprintf(stderr, "gba-bsf: [store] path '%s': %s\n",
			BSF_STORE_LOC(cfg->store_path), gba_strerror(r));
		return 1;
	}
	bsf_store_close(st);
	return 0;
}

static int run(struct bsf_config *cfg)
{
	struct bsf_store *st = NULL;
	struct bsf_hss *hss = NULL;
	struct bsf_hss_cfg hcfg;
	struct bsf_server *srv = NULL;
	struct bsf_push_ctx push;
	static const struct bsf_av_source zh_src = { bsf_zh_av_cb, NULL,
						    bsf_zh_av_send };
	int zh = 0;
	sigset_t set;
	char err[512];
	int r, sig = 0, rc = 1;

	/* block before any thread exists: the workers inherit the mask and
	 * only this thread receives SIGTERM/SIGINT (sigwait below) */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* no meaning (yet): ignored, so a stray one cannot kill the daemon */
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);

	if ((r = bsf_log_init(cfg->log_file, cfg->log_level,
			      cfg->ue_hash_key_set ? cfg->ue_hash_key : NULL,
			      cfg->log_keys)) != GBA_OK) {
		fprintf(stderr, "gba-bsf: log: %s\n", gba_strerror(r));
		return 1;
	}
	bsf_log_set_format(!strcmp(cfg->log_format, "json"));
	bsf_json_alloc_init();
	bsf_zpn_init();
	if ((r = bsf_store_open(cfg->store_path, 0, &st)) != GBA_OK) {
		BSF_LOG(BSF_LOG_STORE, BSF_LOG_ERR, "cannot open store %s: %s",
			BSF_STORE_LOC(cfg->store_path), gba_strerror(r));
		goto out;
	}
	zh = !strcmp(cfg->hss_mode, "zh");
	bsf_hss_cfg_default(&hcfg);
	hcfg.ind = cfg->ind;
	hcfg.ue_rate = cfg->ue_rate;
	hcfg.ue_burst = cfg->ue_burst;
	/* zh: no AuC here, the store holds identities and rules only */
	if (!zh && (r = bsf_hss_open(st, &hcfg, &hss)) != GBA_OK) {
		/* GBA_ERR_STATE: the flock of hss.c (one AuC per store) */
		if (r == GBA_ERR_STATE)
			BSF_LOG(BSF_LOG_STORE, BSF_LOG_ERR,
				"cannot start AuC: store %s is locked by another "
				"gba-bsf (%s-hss.lock)",
				BSF_STORE_LOC(cfg->store_path),
				BSF_STORE_LOC(cfg->store_path));
		else
			BSF_LOG(BSF_LOG_STORE, BSF_LOG_ERR,
				"cannot start AuC on store %s: %s",
				BSF_STORE_LOC(cfg->store_path), gba_strerror(r));
		goto out;
	}
	memset(&push, 0, sizeof(push));
	push.st = st;
	push.hss = hss;
	if (zh) {
		if ((r = bsf_zh_client_init(cfg->hss_realm,
					    cfg->hss_timeout_ms)) != GBA_OK)
			goto out;
		push.avs = &zh_src;
	}
	push.lifetime_max = cfg->lifetime_max;
	push.lifetime_default = cfg->lifetime_default;
	/* Diameter first: once /healthz answers, GPR (and Zh) are served */
	if (cfg->diam_conf[0]) {
		if ((r = bsf_diam_zpn_start(cfg, &push)) != GBA_OK) {
			BSF_LOG(BSF_LOG_MAIN, BSF_LOG_ERR,
				"[diameter] conf %s: cannot start Diameter: %s",
				cfg->diam_conf, gba_strerror(r));
			goto out;
		}
		BSF_LOG(BSF_LOG_MAIN, BSF_LOG_NOTICE,
			"Diameter Zpn (GPR/GPA) served, conf %s%s",
			cfg->diam_conf,
			zh ? "; AVs from the HSS over Zh" : "");
	}
	if ((r = bsf_server_start(cfg, &push, &srv, err, sizeof(err))) !=
	    GBA_OK) {
		BSF_LOG(BSF_LOG_HTTP, BSF_LOG_ERR, "%s", err);
		goto out;
	}
	BSF_LOG(BSF_LOG_MAIN, BSF_LOG_NOTICE,
		"serving on %s:%u (admin %s:%u%s), %u threads", cfg->listen,
		cfg->port, cfg->admin_listen, cfg->admin_port,
		cfg->admin_enabled ? "" : " disabled", cfg->threads);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig != SIGHUP)
			break;
		reload(srv, cfg);
	}
	BSF_LOG(BSF_LOG_MAIN, BSF_LOG_NOTICE, "signal %d: draining", sig);
	if (bsf_server_drain(srv, cfg->drain_timeout) != GBA_OK)
		BSF_LOG(BSF_LOG_MAIN, BSF_LOG_WARNING,
			"drain timeout: %ld requests cut",
			bsf_metrics_inflight_now());
	rc = 0;
out:
	bsf_diam_zpn_stop();
	/* the MARs still out (the drain timed out): answered 503 while the
	 * workers still run (freeDiameter calls back no more), and sent
	 * before the workers stop (1 s at most) */
	if (bsf_zh_client_cancel() && srv)
		(void)bsf_server_drain(srv, 1);
	bsf_server_stop(srv);
	bsf_hss_close(hss);
	bsf_store_close(st);
	BSF_LOG(BSF_LOG_MAIN, BSF_LOG_NOTICE, "stopped");
	bsf_log_close();
	xmlCleanupParser();
	return rc;
}

int main(int argc, char **argv)
{
	struct bsf_config cfg;
	char err[512];
	const char *path = NULL;
	int check = 0, rc;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc == 2 &&
	    (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))) {
		version();
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--check-config")) {
		check = 1;
		path = argv[2];
	} else if (argc == 3 &&
		   (!strcmp(argv[1], "-c") || !strcmp(argv[1], "--config"))) {
		path = argv[2];
	} else {
		usage(stderr);
		return 2;
	}
	if (bsf_config_load(&cfg, path, err, sizeof(err)) != GBA_OK) {
		fprintf(stderr, "gba-bsf: %s\n", err);
		return 1;
	}
	if (check) {
		rc = check_config(&cfg);
		if (rc) {
			bsf_config_clear(&cfg);
			return rc;
		}
		printf("# %s: valid\n", path);
		bsf_config_print(&cfg, stdout);
		bsf_config_clear(&cfg);
		return 0;
	}
	rc = run(&cfg);
	bsf_config_clear(&cfg);
	return rc;
}
