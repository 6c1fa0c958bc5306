/* gba-bsfctl import, assoc import, export, gen, copy, backup, restore,
 * skip-ahead (bsfctl.h): the logic is import.c, export.c, gen.c, copy.c,
 * prov_admin.c; here the messages and the progress bar */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "gba/text.h"
#include "bsfctl.h"
#include "store_loc.h"

struct import_ui {
	struct progress pg;
	const char *file;
};

static void import_line_err(void *arg, unsigned long line, const char *field,
			    const char *why)
{
	struct import_ui *u = arg;

	if (field)
		fprintf(stderr, "%s%s: line %lu: field '%s': %s\n",
			progress_break(&u->pg), u->file, line, field, why);
	else
		fprintf(stderr, "%s%s: line %lu: %s\n", progress_break(&u->pg),
			u->file, line, why);
}

static void import_progress(void *arg, unsigned long ok, unsigned long bad,
			    long pos)
{
	struct import_ui *u = arg;

	progress_show(&u->pg, "importing", ok, bad, pos, 0);
}

/*
 * import FILE.csv (subscribers) and assoc import FILE.csv: the loop is
 * bsf_import_run() (import.c); here the header's verdict, the progress
 * bar and the summary.  Return the exit status.
 */
static int run_import(const struct opts *o, const char *file,
		      enum bsf_import_kind kind, enum bsf_conflict on_conflict)
{
	const char *noun = kind == BSF_IMPORT_SUBS ? "subscribers"
						   : "associations";
	struct bsf_import_cb cb = {import_line_err, import_progress, NULL};
	struct bsf_store *st = NULL;
	struct bsf_import im;
	enum bsf_import_hdr hdr;
	struct import_ui u;
	struct stat sb;
	const char *col;
	FILE *f;
	int r, rc = 1;

	memset(&u, 0, sizeof(u));
	u.file = file;
	cb.arg = &u;
	if ((f = fopen(file, "r")) == NULL)
		return err_msg("%s: cannot open", file);
	if (bsf_import_init(&im, kind, on_conflict, f) != GBA_OK) {
		fclose(f);
		return err_msg("out of memory");
	}
	u.pg.tty = isatty(STDERR_FILENO);
	u.pg.total = fstat(fileno(f), &sb) == 0 ? (long)sb.st_size : 0;
	hdr = bsf_import_header(&im, &col);
	if (hdr == BSF_HDR_MISSING) {
		err_msg("%s: line 1: missing or bad header", file);
		goto out;
	}
	if (hdr != BSF_HDR_OK) {
		rc = 2;
		if (hdr == BSF_HDR_INCOMPLETE)
			err_msg("%s: line 1: header needs %s", file,
				bsf_import_needs(&im));
		else
			err_msg("%s: line 1: column '%s' %s", file, col,
				hdr == BSF_HDR_UNKNOWN ? "unknown"
						       : "repeated");
		goto out;
	}
	if (open_store(o, 0, &st))
		goto out;
	r = bsf_import_run(&im, st, &cb);
	if (im.fail == BSF_IMPORT_FAIL_BEGIN) {
		err_msg("%s", gba_strerror(r));
		goto out;
	}
	if (im.fail == BSF_IMPORT_FAIL_CHUNK) {
		err_msg("commit failed: %s (%lu %s committed, line %lu and"
			" later not imported)",
			gba_strerror(r), im.committed, noun, im.fail_line);
		goto out;
	}
	progress_show(&u.pg, "importing", im.ok, im.bad, u.pg.total, 1);
	if (im.fail == BSF_IMPORT_FAIL_END) {
		err_msg("commit failed: %s (%lu %s committed before)",
			gba_strerror(r), im.committed, noun);
		goto out;
	}
	if (kind == BSF_IMPORT_ASSOCS)
		printf("imported %lu associations (%lu already present), %lu"
		       " lines failed\n",
		       im.ok, im.dup, im.bad);
	else if (on_conflict == BSF_CONFLICT_FAIL)
		printf("imported %lu subscribers, %lu lines failed\n", im.ok,
		       im.bad);
	else
		printf("imported %lu subscribers (%lu added, %lu updated, %lu"
		       " skipped), %lu lines failed\n",
		       im.ok, im.ok - im.skipped - im.updated, im.updated,
		       im.skipped, im.bad);
	rc = im.bad ? 1 : 0;
out:
	bsf_store_close(st);
	bsf_import_free(&im);
	fclose(f);
	return rc;
}

int cmd_import(const struct opts *o)
{
	enum bsf_conflict on_conflict;

	if (o->n_pos != 2)
		return usage_err("import FILE.csv [--on-conflict fail|skip|"
				 "update]");
	if (o->on_conflict == NULL || strcmp(o->on_conflict, "fail") == 0)
		on_conflict = BSF_CONFLICT_FAIL;
	else if (strcmp(o->on_conflict, "skip") == 0)
		on_conflict = BSF_CONFLICT_SKIP;
	else if (strcmp(o->on_conflict, "update") == 0)
		on_conflict = BSF_CONFLICT_UPDATE;
	else
		return usage_err("--on-conflict: fail, skip or update");
	return run_import(o, o->pos[1], BSF_IMPORT_SUBS, on_conflict);
}

/* assoc import: CSV with columns naf and identity (IMPI or IMPU). */
int cmd_assoc_import(const struct opts *o)
{
	if (o->n_pos != 3)
		return usage_err("assoc import FILE.csv");
	return run_import(o, o->pos[2], BSF_IMPORT_ASSOCS, BSF_CONFLICT_FAIL);
}

int cmd_export(const struct opts *o)
{
	struct bsf_store *st;
	unsigned long n = 0;
	FILE *f = stdout;
	int r;

	if (o->out) {
		/* created owner-only: it may hold keys */
		int fd = open(o->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			      0600);

		if (fd >= 0)
			fchmod(fd, 0600);

		if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
			return err_msg("%s: cannot create", o->out);
	}
	if (open_store(o, 0, &st)) {
		if (o->out)
			fclose(f);
		return 1;
	}
	r = bsf_export_csv(st, f, o->show_secrets, &n);
	bsf_store_close(st);
	if (o->out && fclose(f) != 0 && r == GBA_OK)
		r = GBA_ERR_IO;
	else if (!o->out && fflush(stdout) != 0 && r == GBA_OK)
		r = GBA_ERR_IO;
	if (r != GBA_OK)
		return err_msg("export: %s", gba_strerror(r));
	fprintf(stderr, "exported %lu subscribers%s\n", n,
		o->show_secrets ? ""
				: " (keys omitted: add --show-secrets for an"
				  " importable file)");
	return 0;
}

/* ------------------------------------------------------------------ */
/* gen: synthetic subscribers for tests and benchmarks (gen.h) */

static void gen_progress(void *arg, uint64_t done)
{
	progress_show(arg, "generating", (unsigned long)done, 0, (long)done,
		      0);
}

int cmd_gen(const struct opts *o)
{
	struct bsf_store *st = NULL;
	struct progress pg;
	struct bsf_gen g;
	const char *why;
	double t0, dt;
	int r;

	memset(&g, 0, sizeof(g));
	g.prefix = o->prefix;
	g.realm = o->realm;
	g.seed = o->seed;
	if (o->count == NULL ||
	    gba_uint_parse(o->count, 100000000, 0, &g.count) || g.count == 0)
		return usage_err("gen needs --count N (1..100000000)");
	if (o->start && gba_uint_parse(o->start, 9999999999ULL, 0, &g.start))
		return usage_err("--start: 0..9999999999");
	if (o->n_naf > 1)
		return usage_err("gen takes one --naf");
	if ((why = bsf_gen_check(&g)) != NULL)
		return usage_err("%s", why);
	if (open_store(o, 0, &st))
		return 1;
	if (o->n_naf == 1 &&
	    (r = bsf_naf_id_by_name(st, o->naf[0], &g.naf_id)) != 0) {
		err_msg("%s: %s", o->naf[0],
			r == GBA_ERR_NOT_FOUND ? "no such Push-NAF"
					       : gba_strerror(r));
		bsf_store_close(st);
		return 1;
	}
	memset(&pg, 0, sizeof(pg));
	pg.tty = isatty(STDERR_FILENO);
	pg.total = (long)g.count;
	g.progress = gen_progress;
	g.arg = &pg;
	t0 = now_s();
	r = bsf_gen_run(st, &g);
	bsf_store_close(st);
	if (r != GBA_OK) {
		if (g.failed[0])
			err_msg("%s: %s", g.failed, gba_strerror(r));
		return err_msg("gen: %s (%llu subscribers committed before)",
			       gba_strerror(r),
			       (unsigned long long)g.committed);
	}
	progress_show(&pg, "generating", (unsigned long)g.count, 0,
		      (long)g.count, 1);
	dt = now_s() - t0;
	printf("generated %llu subscribers in %.2f s (%.0f/s)\n",
	       (unsigned long long)g.count, dt, (double)g.count / dt);
	return 0;
}

/* ------------------------------------------------------------------ */
/* copy: one store into another (copy.h) */

static void copy_progress(void *arg, uint64_t done, uint64_t total)
{
	struct progress *pg = arg;

	progress_show(pg, "copying", (unsigned long)done, 0, (long)done,
		      done == total);
}

int cmd_copy(const struct opts *o)
{
	struct bsf_store *from = NULL, *to = NULL;
	struct progress pg;
	struct bsf_copy cp;
	int lock_fd = -1, r, rc = 1;

	if (o->n_pos != 1 || o->from == NULL || o->to == NULL)
		return usage_err("copy --from SQLITE_PATH --to URI [--force]");
	if (bsf_store_is_pg_uri(o->from))
		return usage_err("copy --from: a SQLite store file");
	if (!bsf_store_is_pg_uri(o->to))
		return usage_err("copy --to: a PostgreSQL URI (postgresql://...)");
	if (access(o->from, F_OK) != 0)
		return err_msg("%s: no such store", BSF_STORE_LOC(o->from));
	/* no AV from the source while its SQN state is read */
	r = bsf_prov_lock_auc(o->from, &lock_fd);
	if (r == GBA_ERR_STATE)
		return err_msg("%s: gba-bsf is running on this store; stop it"
			       " first",
			       BSF_STORE_LOC(o->from));
	if (r != GBA_OK)
		return err_msg("%s: %s", BSF_STORE_LOC(o->from),
			       gba_strerror(r));
	r = bsf_store_open(o->from, BSF_STORE_READONLY, &from);
	if (r != GBA_OK) {
		err_msg("%s: %s", BSF_STORE_LOC(o->from),
			r == GBA_ERR_NOT_FOUND ? "no such store"
					       : gba_strerror(r));
		goto out;
	}
	if ((r = bsf_store_open(o->to, BSF_STORE_CREATE, &to)) != GBA_OK) {
		err_msg("--to: %s", gba_strerror(r));
		goto out;
	}
	memset(&pg, 0, sizeof(pg));
	pg.tty = isatty(STDERR_FILENO);
	memset(&cp, 0, sizeof(cp));
	cp.force = o->force;
	cp.progress = copy_progress;
	cp.arg = &pg;
	r = bsf_store_copy(from, to, &cp);
	if (pg.tty)
		pg.total = (long)cp.n_subs;
	if (r == GBA_ERR_EXISTS && !cp.failed[0]) {
		err_msg("--to: the target store is not empty (--force copies"
			" into it anyway); nothing copied");
		goto out;
	}
	if (r != GBA_OK) {
		err_msg("%s%s%s; nothing copied", cp.failed,
			cp.failed[0] ? ": " : "", gba_strerror(r));
		goto out;
	}
	printf("copied %llu Push-NAFs, %llu subscribers, %llu associations"
	       " from %s; every SQN floor is the source's bound\n",
	       (unsigned long long)cp.n_nafs, (unsigned long long)cp.n_subs,
	       (unsigned long long)cp.n_assocs, BSF_STORE_LOC(o->from));
	rc = 0;
out:
	bsf_store_close(to);
	bsf_store_close(from);
	if (lock_fd >= 0)
		close(lock_fd);
	return rc;
}

int cmd_backup(const struct opts *o)
{
	struct bsf_store *st;
	int r;

	if (o->n_pos != 2)
		return usage_err("backup FILE");
	if (bsf_store_is_pg_uri(o->db))
		return err_msg("%s", BSF_PROV_PG_BACKUP_HINT);
	if (open_store(o, BSF_STORE_READONLY, &st))
		return 1;
	r = bsf_prov_backup(st, o->pos[1], (int64_t)time(NULL));
	bsf_store_close(st);
	if (r != GBA_OK)
		return err_msg("backup %s: %s", o->pos[1],
			       r == GBA_ERR_EXISTS ? "file exists"
						   : gba_strerror(r));
	printf("backup %s written (mode 0600: it holds K and OPc)\n",
	       o->pos[1]);
	return 0;
}

static void fmt_time(int64_t t, char *out, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, cap, "%lld", (long long)t);
}

/* an RFC 3339 date-time (the tools print UTC, "YYYY-MM-DDTHH:MM:SSZ");
 * the one rule of gba_datetime_parse() (gba/text.h) */
static int parse_time(const char *s, int64_t *out)
{
	return gba_datetime_parse(s, strlen(s), out) == GBA_OK ? 0 : -1;
}

/* restore / skip-ahead --json: the figures of the text output as one
 * object (the store is not named: it may be a URI) */
static int restore_json(const struct bsf_restore_cfg *cfg,
			const struct bsf_restore_info *info, const char *src)
{
	struct em e = {.json = 1};
	char when[32];

	fmt_time(info->backup_time, when, sizeof(when));
	em_begin(&e);
	em_int(&e, "subscribers", (long long)info->n_subs);
	em_str(&e, "backup_time", when);
	em_int(&e, "backup_age_s", (long long)info->age);
	em_int(&e, "seq_margin", (long long)info->margin);
	em_key(&e, "margin_given");
	fputs(cfg->margin >= 0 ? "true" : "false", stdout);
	em_int(&e, "restarts", cfg->restarts);
	em_int(&e, "seq_block", (long long)info->seq_block);
	em_int(&e, "nodes", cfg->nodes ? cfg->nodes : 1);
	em_int(&e, "ue_burst", cfg->ue_burst);
	em_int(&e, "ue_rate", cfg->ue_rate);
	em_str(&e, "rate_limit_from", src);
	em_end(&e);
	return 0;
}

/* restore FILE, or (@skip) skip-ahead --since TIME on the store as is */
int cmd_restore(const struct opts *o, int skip)
{
	struct bsf_restore_cfg cfg;
	struct bsf_restore_info info;
	struct bsf_config *bc;
	const char *src = "gba-bsf defaults";
	char when[32], err[256];
	int64_t since = 0;
	uint64_t v;
	int r;

	if (!skip && o->n_pos != 2)
		return usage_err("restore FILE");
	if (!skip && bsf_store_is_pg_uri(o->db))
		return err_msg("%s", BSF_PROV_PG_BACKUP_HINT);
	if (skip && (o->n_pos != 1 || o->since == NULL ||
		     parse_time(o->since, &since)))
		return usage_err("skip-ahead --since YYYY-MM-DDTHH:MM:SSZ");
	memset(&cfg, 0, sizeof(cfg));
	cfg.now = (int64_t)time(NULL);
	cfg.restarts = 1;
	cfg.margin = -1;
	if ((bc = calloc(1, sizeof(*bc))) == NULL)
		return err_msg("out of memory");
	bsf_config_defaults(bc);
	if (o->config) {
		if (bsf_config_load(bc, o->config, err, sizeof(err)) != GBA_OK) {
			bsf_config_clear(bc);
			free(bc);
			return err_msg("%s", err);
		}
		src = o->config;
	}
	cfg.ue_rate = bc->ue_rate;
	cfg.ue_burst = bc->ue_burst;
	bsf_config_clear(bc);
	free(bc);
	if (o->ue_rate) {
		if (gba_uint_parse(o->ue_rate, BSF_HSS_UE_RATE_MAX, 0, &v))
			return usage_err("--ue-rate: AVs per minute");
		cfg.ue_rate = (uint32_t)v;
		src = "the command line";
	}
	if (o->ue_burst) {
		if (gba_uint_parse(o->ue_burst, 1000000, 0, &v))
			return usage_err("--ue-burst: 0..1000000");
		cfg.ue_burst = (uint32_t)v;
	}
	if (o->restarts) {
		if (gba_uint_parse(o->restarts, 1000000, 0, &v))
			return usage_err("--restarts: 0..1000000");
		cfg.restarts = (uint32_t)v;
	}
	if (o->nodes) {
		if (gba_uint_parse(o->nodes, 100000, 0, &v) || v == 0)
			return usage_err("--nodes: 1..100000");
		cfg.nodes = (uint32_t)v;
	}
	if (o->margin) {
		if (gba_uint_parse(o->margin, UINT64_C(1) << 48, 0, &v))
			return usage_err("--margin: SEQ values 0..2^48");
		cfg.margin = (int64_t)v;
	}
	if (skip)
		r = bsf_prov_skip_ahead(o->db, since, &cfg, &info);
	else
		r = bsf_prov_restore(o->db, o->pos[1], &cfg, &info);
	switch (r) {
	case GBA_OK:
		if (o->json)
			return restore_json(&cfg, &info, src);
		break;
	case GBA_ERR_STATE:
		return err_msg("%s: gba-bsf is running on this store; stop it"
			       " first",
			       BSF_STORE_LOC(o->db));
	case GBA_ERR_NOT_FOUND:
		return err_msg("%s: cannot read",
			       skip ? BSF_STORE_LOC(o->db) : o->pos[1]);
	case GBA_ERR_MALFORMED:
		return err_msg("%s: not a gba-bsfctl backup (no backup time)",
			       skip ? BSF_STORE_LOC(o->db) : o->pos[1]);
	case GBA_ERR_CONFIG:
		return err_msg("ue_rate is 0 (no per-subscriber limit): the"
			       " SQNs issued since the backup have no bound;"
			       " give --margin N");
	default:
		if (skip)
			return err_msg("skip-ahead %s: %s", BSF_STORE_LOC(o->db),
				       gba_strerror(r));
		return err_msg("restore %s: %s", o->pos[1], gba_strerror(r));
	}
	fmt_time(info.backup_time, when, sizeof(when));
	if (skip)
		printf("skipped ahead in %s: %llu subscribers\n",
		       BSF_STORE_LOC(o->db), (unsigned long long)info.n_subs);
	else
		printf("restored %s into %s: %llu subscribers\n", o->pos[1],
		       BSF_STORE_LOC(o->db), (unsigned long long)info.n_subs);
	printf("backup_time=%s\nbackup_age_s=%lld\n", when,
	       (long long)info.age);
	if (cfg.margin >= 0)
		printf("seq_margin=%llu (given with --margin)\n",
		       (unsigned long long)info.margin);
	else if (info.shared)
		printf("seq_margin=%llu (= seq_block %llu * nodes %u * ((restarts"
		       " %u + 1) * ue_burst %u + ue_rate %u/min * %lld s), rate"
		       " limit from %s)\n",
		       (unsigned long long)info.margin,
		       (unsigned long long)info.seq_block,
		       cfg.nodes ? cfg.nodes : 1, cfg.restarts, cfg.ue_burst,
		       cfg.ue_rate, (long long)info.age, src);
	else
		printf("seq_margin=%llu (= restarts %u * seq_block %llu +"
		       " (restarts + 1) * ue_burst %u + ue_rate %u/min *"
		       " %lld s, rate limit from %s)\n",
		       (unsigned long long)info.margin, cfg.restarts,
		       (unsigned long long)info.seq_block, cfg.ue_burst,
		       cfg.ue_rate, (long long)info.age, src);
	printf("every subscriber's SEQ_HE moved ahead of its bound in the"
	       " backup by seq_margin; a USIM this leaves beyond Delta"
	       " recovers with one resynchronisation (AUTS)\n");
	return 0;
}

