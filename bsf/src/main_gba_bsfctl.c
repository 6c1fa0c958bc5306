/*
 * gba-bsfctl - operator tool for the gba-bsf subscriber store (store.h).
 *
 * Usage and CSV format: `gba-bsfctl --help`, docs/hss-store.md.
 * Exit status: 0 success, 1 failure (any CSV line rejected included),
 * 2 usage error.  K and OPc are printed only with --show-secrets.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
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
#include "gba/milenage.h"
#include "gba/tuak.h"
#include "config.h"
#include "hss.h"
#include "prov_admin.h"
#include "prov.h"
#include "store.h"

#define CSV_FIELD_MAX (2 * BSF_GUSS_MAX + 1024)
#define CSV_FIELDS_MAX 32
#define OPT_MULTI_MAX 64
/* Records per transaction in import/gen: releases the write lock now and
 * then for a running gba-bsf (SQN reservations), costs one fsync each. */
#define BATCH_CHUNK 20000

static const char usage_text[] =
	"Usage: gba-bsfctl [--db PATH] [--show-secrets] COMMAND [ARGS]\n"
	"\n"
	"Administer the gba-bsf subscriber store (SQLite, WAL mode).\n"
	"\n"
	"Global options (accepted anywhere on the line):\n"
	"  --db PATH        store file (default: $GBA_BSF_DB, else\n"
	"                   " BSF_STORE_DEFAULT_PATH ", the gba-bsf default)\n"
	"  --show-secrets   print K and OPc/TOPc (show, export)\n"
	"  --json           one JSON object (show) or array (list) instead\n"
	"                   of name=value lines / the TSV table\n"
	"  -h, --help       this text\n"
	"  --version        print the version\n"
	"\n"
	"Commands:\n"
	"  init                          create the store (or migrate it);\n"
	"                                creates its directory (mode 0700)\n"
	"                                if the parent exists\n"
	"  subscriber add --impi IMPI --k HEX (--opc HEX | --op HEX)\n"
	"          [--imsi DIGITS] [--impu URI]... [--alg milenage|tuak]\n"
	"          [--amf HEX4] [--sqn N] [--gba-u] [--label L]...\n"
	"          [--guss FILE] [--tuak-iterations N] [--tuak-mac-bits 64]\n"
	"          [--tuak-res-bits B] [--tuak-ck-bits B] [--tuak-ik-bits B]\n"
	"      --op derives OPc (Milenage) or TOPc (TUAK, --op is then TOP)\n"
	"      and is not stored; TUAK defaults: 1 iteration, RES 64, CK\n"
	"      and IK 128 bits (--tuak ITER:RES:CK:IK in octets: the older\n"
	"      spelling, deprecated).\n"
	"      --sqn is the highest SQN the USIM has seen (default 0).\n"
	"  subscriber list               one line per subscriber\n"
	"  subscriber show IDENTITY      IMPI, IMPU (sip:/tel:) \n"
	"  subscriber modify IMPI [--k HEX (--opc HEX | --op HEX)]\n"
	"          [--imsi DIGITS] [--impu URI]... [--alg A] [--amf HEX4]\n"
	"          [--gba-u] [--label L]... [--guss FILE] [--tuak ...]\n"
	"      changes only what is given (--impu, --label replace the\n"
	"      list); SQN state and associations are kept\n"
	"  subscriber remove IMPI\n"
	"  naf add --name NAME --cert-id ID [--naf FQDN:UAIDHEX]...\n"
	"          [--allow-impi] [--gba-u-aware] [--rate N]\n"
	"      ID is the TLS client certificate's SAN dNSName (or CN);\n"
	"      UAIDHEX the 5-octet Ua security protocol id (10 hex digits).\n"
	"  naf modify NAME [--cert-id ID] [--naf FQDN:UAIDHEX]...\n"
	"          [--allow-impi] [--gba-u-aware] [--rate N]\n"
	"      the given fields replace the old ones (--naf the whole\n"
	"      list; a flag given is turned on); associations are kept\n"
	"  naf list | naf show NAME\n"
	"  naf remove NAME [--force]     refused while the Push-NAF has\n"
	"                                associations, unless --force\n"
	"  assoc add NAF IDENTITY | assoc remove NAF IDENTITY\n"
	"  assoc list [--naf NAME]\n"
	"  assoc import FILE.csv         columns naf, identity; bad lines\n"
	"                                are reported and skipped (exit 1)\n"
	"  import FILE.csv [--on-conflict fail|skip|update]\n"
	"                                add subscribers from CSV; bad lines\n"
	"                                are reported and skipped (exit 1);\n"
	"                                an IMPI already stored is an error\n"
	"                                (fail, default), left alone (skip)\n"
	"                                or modified (update)\n"
	"  export [-o FILE]              CSV of all subscribers (keys only\n"
	"                                with --show-secrets)\n"
	"  gen --count N [--prefix P] [--start I] [--naf NAME]\n"
	"      [--realm REALM] [--seed S]  N synthetic subscribers in one\n"
	"                                transaction (test/benchmark only:\n"
	"                                keys are derived from the seed)\n"
	"  backup FILE                   online copy of the store (mode 0600)\n"
	"  restore FILE [--config INI] [--ue-rate N] [--ue-burst N]\n"
	"          [--restarts N] [--margin N]\n"
	"      put a backup back (gba-bsf stopped) and move every SEQ_HE\n"
	"      ahead by restarts*seq_block + (restarts+1)*ue_burst +\n"
	"      ue_rate*age/60 (defaults: [store] of --config, else 60 and\n"
	"      16; restarts 1), docs/operations.md\n"
	"  skip-ahead --since TIME [same options as restore] [--nodes N]\n"
	"      the same SEQ skip-ahead on the store as it is, for a copy\n"
	"      put back by other means and taken at TIME (RFC 3339 UTC);\n"
	"      PostgreSQL (after pg_restore, N gba-bsf nodes, default 1):\n"
	"      seq_block*N*((restarts+1)*ue_burst + ue_rate*age/60)\n"
	"\n"
	"CSV columns (header line required, any order, any case; a UTF-8 BOM\n"
	"is skipped): impi, imsi, impu\n"
	"(';'-separated), alg, k, opc, op, amf, sqn, gba_u, labels\n"
	"(';'-separated), tuak, naf (';'-separated Push-NAF names), guss.\n"
	"Exit status: 0 ok, 1 failure, 2 usage error.\n";

/* ------------------------------------------------------------------ */
/* Options */

struct opts {
	const char *db;
	int show_secrets;
	const char *pos[4];
	size_t n_pos;
	/* command options */
	const char *impi, *imsi, *alg, *k, *opc, *op, *amf, *sqn, *guss;
	const char *tuak, *name, *cert_id, *rate, *out, *count, *prefix;
	const char *start, *realm, *seed, *on_conflict, *config, *ue_rate;
	const char *ue_burst, *restarts, *margin, *since, *nodes;
	const char *tuak_it, *tuak_mac, *tuak_res, *tuak_ck, *tuak_ik;
	char tuak_buf[64]; /* --tuak-* in bits, as ITER:RES:CK:IK octets */
	int gba_u, allow_impi, gba_u_aware, force, json;
	const char *impu[OPT_MULTI_MAX];
	size_t n_impu;
	const char *label[OPT_MULTI_MAX];
	size_t n_label;
	const char *naf[OPT_MULTI_MAX];
	size_t n_naf;
};

__attribute__((format(printf, 1, 2)))
static int err_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("gba-bsfctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

__attribute__((format(printf, 1, 2)))
static int usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs("gba-bsfctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (try --help)\n", stderr);
	return 2;
}

struct optdef {
	const char *name;
	size_t off; /* offset of the const char * field, or of the int flag */
	int kind;   /* 0 flag, 1 value, 2 repeated value */
	size_t n_off;
};

#define OV(n, f)                                                               \
	{                                                                      \
		n, offsetof(struct opts, f), 1, 0                              \
	}
#define OF(n, f)                                                               \
	{                                                                      \
		n, offsetof(struct opts, f), 0, 0                              \
	}
#define OM(n, f, c)                                                            \
	{                                                                      \
		n, offsetof(struct opts, f), 2, offsetof(struct opts, c)       \
	}

static const struct optdef optdefs[] = {
	OV("--db", db),
	OF("--show-secrets", show_secrets),
	OV("--impi", impi),
	OV("--imsi", imsi),
	OV("--alg", alg),
	OV("--k", k),
	OV("--opc", opc),
	OV("--op", op),
	OV("--amf", amf),
	OV("--sqn", sqn),
	OV("--guss", guss),
	OV("--tuak", tuak),
	OV("--name", name),
	OV("--cert-id", cert_id),
	OV("--rate", rate),
	OV("-o", out),
	OV("--output", out),
	OV("--count", count),
	OV("--prefix", prefix),
	OV("--start", start),
	OV("--realm", realm),
	OV("--seed", seed),
	OV("--on-conflict", on_conflict),
	OV("--config", config),
	OV("--ue-rate", ue_rate),
	OV("--ue-burst", ue_burst),
	OV("--restarts", restarts),
	OV("--margin", margin),
	OV("--nodes", nodes),
	OV("--since", since),
	OV("--tuak-iterations", tuak_it),
	OV("--tuak-mac-bits", tuak_mac),
	OV("--tuak-res-bits", tuak_res),
	OV("--tuak-ck-bits", tuak_ck),
	OV("--tuak-ik-bits", tuak_ik),
	OF("--force", force),
	OF("--json", json),
	OF("--gba-u", gba_u),
	OF("--allow-impi", allow_impi),
	OF("--gba-u-aware", gba_u_aware),
	OM("--impu", impu, n_impu),
	OM("--label", label, n_label),
	OM("--naf", naf, n_naf),
};

static int tuak_bits(struct opts *o);

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int i;
	size_t j;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct optdef *d = NULL;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			exit(0);
		}
		if (strcmp(a, "--version") == 0) {
			printf("gba-bsfctl %s\n", GBA_VERSION);
			exit(0);
		}
		if (a[0] != '-' || a[1] == '\0') {
			if (o->n_pos == GBA_ARRAY_SIZE(o->pos))
				return usage_err("too many arguments");
			o->pos[o->n_pos++] = a;
			continue;
		}
		for (j = 0; j < GBA_ARRAY_SIZE(optdefs); j++)
			if (strcmp(a, optdefs[j].name) == 0)
				d = &optdefs[j];
		if (d == NULL)
			return usage_err("unknown option %s", a);
		if (d->kind == 0) {
			*(int *)(void *)((char *)o + d->off) = 1;
			continue;
		}
		if (i + 1 >= argc)
			return usage_err("%s needs a value", a);
		if (d->kind == 1) {
			*(const char **)(void *)((char *)o + d->off) =
				argv[++i];
		} else {
			size_t *n = (size_t *)(void *)((char *)o + d->n_off);
			const char **arr =
				(const char **)(void *)((char *)o + d->off);

			if (*n == OPT_MULTI_MAX)
				return usage_err("too many %s", a);
			arr[(*n)++] = argv[++i];
		}
	}
	if ((i = tuak_bits(o)) != 0)
		return i;
	if (o->db == NULL)
		o->db = getenv("GBA_BSF_DB");
	if (o->db == NULL || o->db[0] == '\0')
		o->db = BSF_STORE_DEFAULT_PATH;
	return 0;
}


/*
 * --tuak-iterations N --tuak-mac-bits 64 --tuak-res-bits R --tuak-ck-bits
 * C --tuak-ik-bits I (the one spelling of every tool, sizes in bits) into
 * o->tuak as ITER:RES:CK:IK octets (the older --tuak form, kept).  MAC
 * is 64 bits for AKA (TS 35.231 Table 1 / TS 33.102): only 64 is taken.
 */
static int tuak_bits(struct opts *o)
{
	const char *v[5] = {o->tuak_it, o->tuak_mac, o->tuak_res, o->tuak_ck,
			    o->tuak_ik};
	static const char *const nm[5] = {"iterations", "mac-bits", "res-bits",
					  "ck-bits", "ik-bits"};
	uint64_t n[5] = {1, 64, 64, 128, 128};
	size_t i;

	if (!v[0] && !v[1] && !v[2] && !v[3] && !v[4])
		return 0;
	if (o->tuak)
		return usage_err("--tuak and --tuak-* together");
	for (i = 0; i < 5; i++)
		if (v[i] && (gba_uint_parse(v[i], 1u << 20, 0, &n[i]) ||
			     (i > 0 && (n[i] == 0 || n[i] % 8))))
			return usage_err("--tuak-%s: a decimal%s", nm[i],
					 i ? " number of bits, a multiple of 8"
					   : " count");
	if (n[1] != 64)
		return usage_err("--tuak-mac-bits: 64 (the AKA MAC)");
	snprintf(o->tuak_buf, sizeof(o->tuak_buf), "%llu:%llu:%llu:%llu",
		 (unsigned long long)n[0], (unsigned long long)(n[2] / 8),
		 (unsigned long long)(n[3] / 8), (unsigned long long)(n[4] / 8));
	o->tuak = o->tuak_buf;
	return 0;
}

static int copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

/* Name the field a store error most likely concerns. */
static const char *store_err_field(int r)
{
	switch (r) {
	case GBA_ERR_EXISTS:
		return "impi/imsi/impu";
	case GBA_ERR_MALFORMED:
	case GBA_ERR_TOO_LARGE:
	case GBA_ERR_TRUNCATED:
		return "impu/guss";
	default:
		return "record";
	}
}

static int read_file(const char *path, size_t max, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	size_t n;

	*buf = NULL;
	*len = 0;
	if (f == NULL)
		return -1;
	if ((b = malloc(max + 2)) == NULL) {
		fclose(f);
		return -1;
	}
	n = fread(b, 1, max + 1, f);
	fclose(f);
	if (n > max) {
		free(b);
		return -2;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Commands */

static int open_store(const struct opts *o, unsigned flags,
		      struct bsf_store **st)
{
	int r = bsf_store_open(o->db, flags, st);

	if (r == GBA_ERR_NOT_FOUND)
		return err_msg("%s: no such store (run gba-bsfctl init)",
			       o->db);
	if (r != GBA_OK)
		return err_msg("%s: %s", o->db, gba_strerror(r));
	return 0;
}

/* The store's directory: made (0700) when only it is missing. */
static int make_store_dir(const char *db)
{
	char dir[4096];
	const char *slash = strrchr(db, '/');
	size_t n;
	struct stat sb;

	if (bsf_store_is_pg_uri(db))
		return 0; /* a PostgreSQL store: no directory of ours */
	if (slash == NULL || slash == db)
		return 0; /* current or root directory */
	n = (size_t)(slash - db);
	if (n >= sizeof(dir))
		return err_msg("%s: path too long", db);
	memcpy(dir, db, n);
	dir[n] = '\0';
	if (stat(dir, &sb) == 0)
		return S_ISDIR(sb.st_mode)
			       ? 0
			       : err_msg("%s: not a directory", dir);
	if (mkdir(dir, 0700) == 0) {
		printf("created directory %s (mode 0700)\n", dir);
		return 0;
	}
	if (errno == ENOENT) {
		const char *p = strrchr(dir, '/');

		if (p && p != dir)
			dir[p - dir] = '\0';
		else if (p)
			dir[1] = '\0';
		return err_msg("directory %s is missing (create it, or give"
			       " --db in an existing directory)",
			       p ? dir : ".");
	}
	return err_msg("cannot create directory %s: %s", dir, strerror(errno));
}

static int cmd_init(const struct opts *o)
{
	struct bsf_store *st;
	int v = 0;

	if (make_store_dir(o->db))
		return 1;
	if (open_store(o, BSF_STORE_CREATE, &st))
		return 1;
	if (bsf_store_schema_version(st, &v) != GBA_OK) {
		bsf_store_close(st);
		return err_msg("cannot read schema version");
	}
	bsf_store_close(st);
	chmod(o->db, 0600); /* keys inside: owner only */
	printf("store %s ready (schema version %d)\n", o->db, v);
	return 0;
}

static int resolve_any(struct bsf_store *st, const char *id, int64_t *sub)
{
	int r = bsf_store_resolve(st, id, strlen(id), BSF_ID_ANY, sub, NULL, 0);

	if (r == GBA_ERR_NOT_FOUND)
		return err_msg("%s: no such subscriber", id);
	if (r != GBA_OK)
		return err_msg("%s: %s", id, gba_strerror(r));
	return 0;
}

static int cmd_sub_add(struct opts *o)
{
	struct bsf_store *st;
	struct bsf_sub s;
	struct bsf_prov_in in;
	const char *field, *why;
	char *guss = NULL;
	size_t guss_len = 0;
	int64_t id = 0;
	int r, rc = 1;

	memset(&in, 0, sizeof(in));
	in.impi = o->impi;
	in.imsi = o->imsi;
	in.alg = o->alg;
	in.k = o->k;
	in.opc = o->opc;
	in.op = o->op;
	in.amf = o->amf;
	in.sqn = o->sqn;
	in.tuak = o->tuak;
	in.impu_v = o->impu;
	in.n_impu_v = o->n_impu;
	in.label_v = o->label;
	in.n_label_v = o->n_label;
	in.gba_u = o->gba_u;
	if (o->impi == NULL || o->k == NULL || (!o->opc && !o->op))
		return usage_err("subscriber add needs --impi, --k and --opc or"
				 " --op");
	if (bsf_prov_sub(&in, &s, &field, &why))
		return usage_err("--%s: %s", field, why);
	/* the key text on our command line is no longer needed */
	if (o->k)
		gba_cleanse((void *)(uintptr_t)o->k, strlen(o->k));
	if (o->opc)
		gba_cleanse((void *)(uintptr_t)o->opc, strlen(o->opc));
	if (o->op)
		gba_cleanse((void *)(uintptr_t)o->op, strlen(o->op));
	if (o->guss) {
		r = read_file(o->guss, BSF_GUSS_MAX, &guss, &guss_len);
		if (r) {
			bsf_sub_clear(&s);
			return err_msg("%s: %s", o->guss,
				       r == -2 ? "larger than the GUSS limit"
					       : "cannot read");
		}
	}
	if (open_store(o, 0, &st) == 0) {
		r = bsf_store_sub_add(st, &s, guss, guss_len, &id);
		if (r == GBA_OK) {
			printf("added subscriber %s (id %lld)\n", s.impi,
			       (long long)id);
			rc = 0;
		} else {
			err_msg("%s: %s", s.impi, gba_strerror(r));
		}
		bsf_store_close(st);
	}
	bsf_sub_clear(&s);
	free(guss);
	return rc;
}

/* a ';'-separated list in a capped buffer (gba/text.h) */
struct strbuf {
	char b[BSF_IMPUS_MAX * (BSF_IMPU_MAX + 1) + 1];
	struct gba_dynbuf d;
};

static void sb_reset(struct strbuf *sb)
{
	gba_dynbuf_init_fixed(&sb->d, sb->b, sizeof(sb->b), 0);
}

static int sb_add_cb(void *arg, const char *name)
{
	struct strbuf *sb = arg;

	if ((gba_dynbuf_len(&sb->d) && gba_dynbuf_add(&sb->d, ";", 1)) ||
	    gba_dynbuf_addstr(&sb->d, name))
		return GBA_ERR_TOO_LARGE;
	return 0;
}

/*
 * Result output: name=value lines, or with --json one JSON object per
 * record (lists: a JSON array of them).  A name given several times
 * (impu, label, ...) is repeated as lines, or one JSON array.
 */
struct em {
	int json;
	int n;		 /* members written in the current object */
	const char *arr; /* open JSON array's name */
	int n_arr;
};

static void json_str(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	putchar('"');
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static void em_begin(struct em *e)
{
	e->n = 0;
	e->arr = NULL;
	if (e->json)
		putchar('{');
}

static void em_end_arr(struct em *e)
{
	if (e->json && e->arr)
		putchar(']');
	e->arr = NULL;
}

static void em_key(struct em *e, const char *k)
{
	em_end_arr(e);
	printf("%s\"%s\":", e->n++ ? "," : "", k);
}

static void em_str(struct em *e, const char *k, const char *v)
{
	if (!e->json) {
		printf("%s=%s\n", k, v);
		return;
	}
	em_key(e, k);
	json_str(v);
}

static void em_int(struct em *e, const char *k, long long v)
{
	if (!e->json) {
		printf("%s=%lld\n", k, v);
		return;
	}
	em_key(e, k);
	printf("%lld", v);
}

/* one value of the repeated name @k (a JSON array, opened on first use) */
static void em_item(struct em *e, const char *k, const char *v)
{
	if (!e->json) {
		printf("%s=%s\n", k, v);
		return;
	}
	if (e->arr == NULL || strcmp(e->arr, k) != 0) {
		em_key(e, k);
		putchar('[');
		e->arr = k;
		e->n_arr = 0;
	}
	if (e->n_arr++)
		putchar(',');
	json_str(v);
}

/* an empty list (JSON []; no line) */
static void em_empty(struct em *e, const char *k)
{
	if (e->json) {
		em_key(e, k);
		fputs("[]", stdout);
	}
}

static void em_end(struct em *e)
{
	em_end_arr(e);
	if (e->json)
		puts("}");
}

static void print_hex(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", b[i]);
}

/* JSON lists: the separator before each record */
struct list_ctx {
	struct em em;
	unsigned long n;
};

static void list_sep(struct list_ctx *l)
{
	if (l->em.json && l->n++)
		putchar(',');
}

static int list_cb(void *arg, const struct bsf_sub *s)
{
	struct list_ctx *l = arg;
	size_t i;

	if (l->em.json) {
		list_sep(l);
		em_begin(&l->em);
		em_int(&l->em, "id", (long long)s->id);
		em_str(&l->em, "impi", s->impi);
		em_str(&l->em, "imsi", s->imsi[0] ? s->imsi : "-");
		em_str(&l->em, "alg",
		       s->key.alg == GBA_ALG_TUAK ? "tuak" : "milenage");
		em_int(&l->em, "gba_u", s->gba_u);
		for (i = 0; i < s->n_impus; i++)
			em_item(&l->em, "impu", s->impus[i]);
		if (s->n_impus == 0)
			em_empty(&l->em, "impu");
		em_end_arr(&l->em);
		putchar('}');
		return 0;
	}
	printf("%lld\t%s\t%s\t%s\t%d\t", (long long)s->id, s->impi,
	       s->imsi[0] ? s->imsi : "-",
	       s->key.alg == GBA_ALG_TUAK ? "tuak" : "milenage", s->gba_u);
	for (i = 0; i < s->n_impus; i++)
		printf("%s%s", i ? ";" : "", s->impus[i]);
	printf("%s\n", s->n_impus ? "" : "-");
	return 0;
}

static int cmd_sub_list(const struct opts *o)
{
	struct bsf_store *st;
	int r;
	struct list_ctx l;

	if (open_store(o, 0, &st))
		return 1;
	memset(&l, 0, sizeof(l));
	l.em.json = o->json;
	if (o->json)
		putchar('[');
	else
		printf("id\timpi\timsi\talg\tgba_u\timpus\n");
	r = bsf_store_sub_list(st, 0, list_cb, &l);
	if (o->json)
		puts("]");
	bsf_store_close(st);
	return r == GBA_OK ? 0 : err_msg("list: %s", gba_strerror(r));
}

static int cmd_sub_show(const struct opts *o)
{
	struct bsf_store *st;
	struct bsf_gba_params p;
	struct bsf_sub s;
	struct strbuf nafs;
	struct em em;
	char hex[2 * GBA_KEY_MAX + 1];
	int64_t id;
	size_t i;
	int r;

	if (o->n_pos != 3)
		return usage_err("subscriber show IDENTITY");
	if (open_store(o, 0, &st))
		return 1;
	if (resolve_any(st, o->pos[2], &id)) {
		bsf_store_close(st);
		return 1;
	}
	r = bsf_store_sub_get_id(st, id, o->show_secrets ? BSF_SUB_SECRETS : 0,
				 &s);
	if (r == GBA_OK)
		r = bsf_store_gba_params(st, id, 0, &p);
	if (r != GBA_OK) {
		bsf_sub_clear(&s);
		bsf_store_close(st);
		return err_msg("%s: %s", o->pos[2], gba_strerror(r));
	}
	em.json = o->json;
	em_begin(&em);
	em_int(&em, "id", (long long)s.id);
	em_str(&em, "impi", s.impi);
	em_str(&em, "imsi", s.imsi[0] ? s.imsi : "-");
	for (i = 0; i < s.n_impus; i++)
		em_item(&em, "impu", s.impus[i]);
	if (s.n_impus == 0)
		em_empty(&em, "impu");
	em_str(&em, "alg", s.key.alg == GBA_ALG_TUAK ? "tuak" : "milenage");
	if (s.key.alg == GBA_ALG_TUAK) {
		em_int(&em, "tuak_iterations", (long long)s.key.keccak_iterations);
		em_int(&em, "tuak_mac_bits", 64);
		em_int(&em, "tuak_res_bits", (long long)s.key.res_len * 8);
		em_int(&em, "tuak_ck_bits", (long long)s.key.ck_len * 8);
		em_int(&em, "tuak_ik_bits", (long long)s.key.ik_len * 8);
	}
	if (o->show_secrets) {
		gba_hex_encode(s.key.k, s.key.k_len, hex, sizeof(hex));
		em_str(&em, "k", hex);
		gba_hex_encode(s.key.opc, s.key.alg == GBA_ALG_TUAK ? 32 : 16,
			       hex, sizeof(hex));
		em_str(&em, "opc", hex);
		gba_cleanse(hex, sizeof(hex));
	} else {
		em_str(&em, "k", "hidden");
		em_str(&em, "opc", "hidden");
	}
	snprintf(hex, sizeof(hex), "%02x%02x", s.amf[0], s.amf[1]);
	em_str(&em, "amf", hex);
	em_int(&em, "sqn_bound", (long long)s.sqn);
	em_int(&em, "gba_u", s.gba_u);
	for (i = 0; i < s.n_labels; i++)
		em_item(&em, "label", s.labels[i]);
	if (s.n_labels == 0)
		em_empty(&em, "label");
	em_str(&em, "guss", s.has_guss ? "yes" : "no");
	for (i = 0; i < p.n_uss; i++) {
		char u[BSF_GSID_MAX + BSF_NAF_GROUP_MAX + 32];

		snprintf(u, sizeof(u), "gsid=%s naf_group=%s", p.uss[i].gsid,
			 p.uss[i].naf_group[0] ? p.uss[i].naf_group : "-");
		em_item(&em, "uss", u);
	}
	sb_reset(&nafs);
	r = bsf_store_assoc_list_sub(st, id, sb_add_cb, &nafs);
	em_str(&em, "nafs", gba_dynbuf_len(&nafs.d) ? nafs.b : "-");
	em_end(&em);
	bsf_gba_params_clear(&p);
	bsf_sub_clear(&s);
	bsf_store_close(st);
	return r == GBA_OK ? 0 : 1;
}

static int cmd_sub_remove(const struct opts *o)
{
	struct bsf_store *st;
	int r;

	if (o->n_pos != 3)
		return usage_err("subscriber remove IMPI");
	if (open_store(o, 0, &st))
		return 1;
	r = bsf_store_sub_remove(st, o->pos[2]);
	bsf_store_close(st);
	if (r != GBA_OK)
		return err_msg("%s: %s", o->pos[2], gba_strerror(r));
	printf("removed %s\n", o->pos[2]);
	return 0;
}

static int parse_naf_id(const char *s, struct bsf_naf_id *n)
{
	const char *c = strrchr(s, ':');
	size_t len;

	if (c == NULL)
		return -1;
	len = (size_t)(c - s);
	if (len == 0 || len > BSF_FQDN_MAX)
		return -1;
	memcpy(n->fqdn, s, len);
	n->fqdn[len] = '\0';
	return gba_hex_decode_exact(c + 1, n->ua, BSF_UA_ID_LEN) ? -1 : 0;
}

static int cmd_naf_add(const struct opts *o)
{
	struct bsf_store *st;
	struct bsf_naf *n;
	uint64_t rate = 0;
	int64_t id = 0;
	size_t i;
	int r;

	if (o->name == NULL || o->cert_id == NULL)
		return usage_err("naf add needs --name and --cert-id");
	if (o->rate && gba_uint_parse(o->rate, UINT32_MAX, 0, &rate))
		return usage_err("--rate: a number 0..4294967295");
	if (o->n_naf > BSF_NAF_IDS_MAX)
		return usage_err("at most %d --naf", BSF_NAF_IDS_MAX);
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return err_msg("out of memory");
	if (copy_str(n->name, sizeof(n->name), o->name) ||
	    copy_str(n->cert_id, sizeof(n->cert_id), o->cert_id)) {
		free(n);
		return usage_err("--name or --cert-id too long");
	}
	for (i = 0; i < o->n_naf; i++)
		if (parse_naf_id(o->naf[i], &n->naf_ids[i])) {
			free(n);
			return usage_err("--naf %s: want FQDN:UAIDHEX (10 hex"
					 " digits)",
					 o->naf[i]);
		}
	n->n_naf_ids = o->n_naf;
	n->allow_impi = o->allow_impi;
	n->gba_u_aware = o->gba_u_aware;
	n->rate = (uint32_t)rate;
	if (open_store(o, 0, &st)) {
		free(n);
		return 1;
	}
	r = bsf_store_naf_add(st, n, &id);
	bsf_store_close(st);
	if (r == GBA_OK)
		printf("added Push-NAF %s (id %lld)\n", n->name, (long long)id);
	else
		err_msg("%s: %s", n->name, gba_strerror(r));
	free(n);
	return r == GBA_OK ? 0 : 1;
}

static void naf_print(const struct bsf_naf *n, int long_form, int json)
{
	char id[BSF_FQDN_MAX + 2 + 2 * BSF_UA_ID_LEN + 1];
	struct em em;
	size_t i;

	if (!long_form && !json) {
		printf("%lld\t%s\t%s\t%d\t%d\t%u\t", (long long)n->id, n->name,
		       n->cert_id, n->allow_impi, n->gba_u_aware, n->rate);
		for (i = 0; i < n->n_naf_ids; i++) {
			printf("%s%s:", i ? ";" : "", n->naf_ids[i].fqdn);
			print_hex(n->naf_ids[i].ua, BSF_UA_ID_LEN);
		}
		printf("%s\n", n->n_naf_ids ? "" : "-");
		return;
	}
	memset(&em, 0, sizeof(em));
	em.json = json;
	em_begin(&em);
	em_int(&em, "id", (long long)n->id);
	em_str(&em, "name", n->name);
	em_str(&em, "cert_id", n->cert_id);
	em_int(&em, "allow_impi", n->allow_impi);
	em_int(&em, "gba_u_aware", n->gba_u_aware);
	em_int(&em, "rate", (long long)n->rate);
	for (i = 0; i < n->n_naf_ids; i++) {
		size_t l = strlen(n->naf_ids[i].fqdn);

		memcpy(id, n->naf_ids[i].fqdn, l);
		id[l] = ':';
		gba_hex_encode(n->naf_ids[i].ua, BSF_UA_ID_LEN, id + l + 1,
			       sizeof(id) - l - 1);
		em_item(&em, "naf_id", id);
	}
	if (n->n_naf_ids == 0)
		em_empty(&em, "naf_id");
	em_end_arr(&em);
	if (json && !long_form)
		putchar('}');
	else
		em_end(&em);
}

static int naf_list_cb(void *arg, const struct bsf_naf *n)
{
	struct list_ctx *l = arg;

	list_sep(l);
	naf_print(n, 0, l->em.json);
	return 0;
}

static int cmd_naf_rest(const struct opts *o, const char *sub)
{
	struct bsf_store *st;
	struct bsf_naf *n;
	int r;

	if (strcmp(sub, "list") != 0 && o->n_pos != 3)
		return usage_err("naf %s NAME", sub);
	if (open_store(o, 0, &st))
		return 1;
	if (strcmp(sub, "list") == 0) {
		struct list_ctx l;

		memset(&l, 0, sizeof(l));
		l.em.json = o->json;
		if (o->json)
			putchar('[');
		else
			printf("id\tname\tcert_id\tallow_impi\tgba_u_aware\t"
			       "rate\tnaf_ids\n");
		r = bsf_store_naf_list(st, naf_list_cb, &l);
		if (o->json)
			puts("]");
	} else if (strcmp(sub, "show") == 0) {
		if ((n = calloc(1, sizeof(*n))) == NULL) {
			bsf_store_close(st);
			return err_msg("out of memory");
		}
		r = bsf_store_naf_by_name(st, o->pos[2], n);
		if (r == GBA_OK)
			naf_print(n, 1, o->json);
		free(n);
	} else {
		uint64_t n_assoc = 0;

		r = bsf_prov_naf_assoc_count(st, o->pos[2], &n_assoc);
		if (r == GBA_OK && n_assoc && !o->force) {
			bsf_store_close(st);
			return err_msg("naf remove %s: %llu associations would"
				       " go with it (add --force to remove"
				       " them too)",
				       o->pos[2], (unsigned long long)n_assoc);
		}
		if (r == GBA_OK)
			r = bsf_store_naf_remove(st, o->pos[2]);
		if (r == GBA_OK)
			printf("removed Push-NAF %s and %llu associations\n",
			       o->pos[2], (unsigned long long)n_assoc);
	}
	bsf_store_close(st);
	if (r != GBA_OK)
		return err_msg("naf %s: %s", sub, gba_strerror(r));
	return 0;
}

/* Copy a vector of strings into a fixed table (modify). */
static int set_list(char (*out)[BSF_IMPU_MAX + 1], size_t cap, size_t max_n,
		    const char *const *v, size_t n, size_t *n_out)
{
	size_t i;

	if (n > max_n)
		return -1;
	for (i = 0; i < n; i++)
		if (strlen(v[i]) >= cap)
			return -1;
	for (i = 0; i < n; i++)
		memcpy(out[i], v[i], strlen(v[i]) + 1);
	*n_out = n;
	return 0;
}

static int cmd_sub_modify(struct opts *o)
{
	struct bsf_store *st = NULL;
	struct bsf_sub s, nk;
	struct bsf_prov_in in;
	const char *field, *why;
	char *guss = NULL;
	size_t guss_len = 0, i;
	int64_t id = 0;
	int r, rc = 1;

	if (o->n_pos != 3)
		return usage_err("subscriber modify IMPI [options]");
	memset(&s, 0, sizeof(s));
	memset(&nk, 0, sizeof(nk));
	if ((o->k || o->opc || o->op || o->alg || o->tuak) &&
	    (o->k == NULL || (!o->opc && !o->op)))
		return usage_err("a new key needs --k and --opc or --op");
	if (o->k) {
		/* the key fields checked as `subscriber add` does */
		memset(&in, 0, sizeof(in));
		in.impi = o->pos[2];
		in.alg = o->alg;
		in.k = o->k;
		in.opc = o->opc;
		in.op = o->op;
		in.tuak = o->tuak;
		if (bsf_prov_sub(&in, &nk, &field, &why))
			return usage_err("--%s: %s", field, why);
	}
	if (o->imsi && strlen(o->imsi) > BSF_IMSI_MAX)
		return usage_err("--imsi: must be 6..15 digits");
	if (o->amf && gba_hex_decode_exact(o->amf, s.amf, 2))
		return usage_err("--amf: must be 4 hex digits");
	if (o->sqn) {
		uint64_t v;

		if (gba_uint_parse(o->sqn, (UINT64_C(1) << 48) - 1, 0, &v))
			return usage_err("--sqn: must be a decimal 0 .. 2^48-1");
	}
	if (open_store(o, 0, &st)) {
		bsf_sub_clear(&nk);
		return 1;
	}
	r = bsf_store_sub_get(st, o->pos[2], BSF_ID_PRIVATE, BSF_SUB_SECRETS,
			      &s);
	if (r != GBA_OK) {
		err_msg("%s: %s", o->pos[2],
			r == GBA_ERR_NOT_FOUND ? "no such subscriber"
					       : gba_strerror(r));
		goto out;
	}
	if (o->k)
		s.key = nk.key;
	if (o->imsi)
		memcpy(s.imsi, o->imsi, strlen(o->imsi) + 1);
	if (o->amf && gba_hex_decode_exact(o->amf, s.amf, 2))
		goto out;
	if (o->sqn) {
		uint64_t v = 0;

		if (gba_uint_parse(o->sqn, (UINT64_C(1) << 48) - 1, 0, &v) == 0 &&
		    v > s.sqn)
			s.sqn = v;
	}
	if (o->gba_u)
		s.gba_u = 1;
	if (o->n_impu &&
	    set_list(s.impus, BSF_IMPU_MAX + 1, BSF_IMPUS_MAX, o->impu,
		     o->n_impu, &s.n_impus)) {
		rc = usage_err("--impu: too many or too long");
		goto out;
	}
	if (o->n_label) {
		char tmp[BSF_LABELS_MAX][BSF_IMPU_MAX + 1];

		if (set_list(tmp, BSF_LABEL_MAX + 1, BSF_LABELS_MAX, o->label,
			     o->n_label, &s.n_labels)) {
			rc = usage_err("--label: too many or too long");
			goto out;
		}
		for (i = 0; i < s.n_labels; i++)
			memcpy(s.labels[i], tmp[i], strlen(tmp[i]) + 1);
	}
	if (o->guss) {
		r = read_file(o->guss, BSF_GUSS_MAX, &guss, &guss_len);
		if (r) {
			err_msg("%s: %s", o->guss,
				r == -2 ? "larger than the GUSS limit"
					: "cannot read");
			goto out;
		}
	} else if (s.has_guss) {
		if ((r = bsf_store_sub_guss(st, s.id, &guss)) != GBA_OK) {
			err_msg("%s: %s", o->pos[2], gba_strerror(r));
			goto out;
		}
		guss_len = guss ? strlen(guss) : 0;
	}
	r = bsf_store_sub_replace(st, &s, guss, guss_len, &id);
	if (r != GBA_OK) {
		err_msg("%s: %s", o->pos[2], gba_strerror(r));
		goto out;
	}
	printf("modified subscriber %s (id %lld; SQN state and associations"
	       " kept)\n",
	       s.impi, (long long)id);
	rc = 0;
out:
	if (o->k)
		gba_cleanse((void *)(uintptr_t)o->k, strlen(o->k));
	if (o->opc)
		gba_cleanse((void *)(uintptr_t)o->opc, strlen(o->opc));
	if (o->op)
		gba_cleanse((void *)(uintptr_t)o->op, strlen(o->op));
	bsf_sub_clear(&s);
	bsf_sub_clear(&nk);
	free(guss);
	bsf_store_close(st);
	return rc;
}

static int cmd_naf_modify(const struct opts *o)
{
	struct bsf_store *st;
	struct bsf_naf *n;
	uint64_t rate = 0;
	size_t i;
	int r;

	if (o->n_pos != 3)
		return usage_err("naf modify NAME [options]");
	if (o->rate && gba_uint_parse(o->rate, UINT32_MAX, 0, &rate))
		return usage_err("--rate: a number 0..4294967295");
	if (o->n_naf > BSF_NAF_IDS_MAX)
		return usage_err("at most %d --naf", BSF_NAF_IDS_MAX);
	if (o->cert_id && strlen(o->cert_id) > BSF_CERT_ID_MAX)
		return usage_err("--cert-id too long");
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return err_msg("out of memory");
	if (open_store(o, 0, &st)) {
		free(n);
		return 1;
	}
	r = bsf_store_naf_by_name(st, o->pos[2], n);
	if (r == GBA_OK && o->n_naf) {
		for (i = 0; i < o->n_naf; i++)
			if (parse_naf_id(o->naf[i], &n->naf_ids[i])) {
				bsf_store_close(st);
				free(n);
				return usage_err("--naf %s: want FQDN:UAIDHEX"
						 " (10 hex digits)",
						 o->naf[i]);
			}
		n->n_naf_ids = o->n_naf;
	}
	if (r == GBA_OK) {
		if (o->cert_id)
			memcpy(n->cert_id, o->cert_id, strlen(o->cert_id) + 1);
		if (o->rate)
			n->rate = (uint32_t)rate;
		if (o->allow_impi)
			n->allow_impi = 1;
		if (o->gba_u_aware)
			n->gba_u_aware = 1;
		r = bsf_prov_naf_modify(st, n);
	}
	bsf_store_close(st);
	if (r == GBA_OK)
		printf("modified Push-NAF %s (associations kept)\n", n->name);
	else
		err_msg("%s: %s", o->pos[2],
			r == GBA_ERR_NOT_FOUND ? "no such Push-NAF"
					       : gba_strerror(r));
	free(n);
	return r == GBA_OK ? 0 : 1;
}

static int naf_id_by_name(struct bsf_store *st, const char *name, int64_t *id)
{
	struct bsf_naf *n = calloc(1, sizeof(*n));
	int r;

	*id = 0;
	if (n == NULL)
		return GBA_ERR_NOMEM;
	r = bsf_store_naf_by_name(st, name, n);
	*id = n->id;
	free(n);
	return r;
}

static int assoc_print_cb(void *arg, const char *naf, const char *impi)
{
	struct list_ctx *l = arg;

	if (!l->em.json) {
		printf("%s\t%s\n", naf, impi);
		return 0;
	}
	list_sep(l);
	fputs("{\"naf\":", stdout);
	json_str(naf);
	fputs(",\"impi\":", stdout);
	json_str(impi);
	putchar('}');
	return 0;
}

static int cmd_assoc(const struct opts *o, const char *sub)
{
	struct bsf_store *st;
	int64_t naf = 0, id = 0;
	int r;

	if (strcmp(sub, "list") == 0) {
		if (open_store(o, 0, &st))
			return 1;
		r = GBA_OK;
		if (o->n_naf == 1)
			r = naf_id_by_name(st, o->naf[0], &naf);
		if (r == GBA_OK) {
			struct list_ctx l;

			memset(&l, 0, sizeof(l));
			l.em.json = o->json;
			fputs(o->json ? "[" : "naf\timpi\n", stdout);
			r = bsf_store_assoc_list(st, naf, assoc_print_cb, &l);
			if (o->json)
				puts("]");
		}
		bsf_store_close(st);
		return r == GBA_OK ? 0
				   : err_msg("assoc list: %s", gba_strerror(r));
	}
	if (strcmp(sub, "add") != 0 && strcmp(sub, "remove") != 0)
		return usage_err("assoc add|list|remove|import");
	if (o->n_pos != 4)
		return usage_err("assoc %s NAF IDENTITY", sub);
	if (open_store(o, 0, &st))
		return 1;
	if ((r = naf_id_by_name(st, o->pos[2], &naf)) != 0) {
		bsf_store_close(st);
		return err_msg("%s: %s", o->pos[2],
			       r == GBA_ERR_NOT_FOUND ? "no such Push-NAF"
						      : gba_strerror(r));
	}
	if (resolve_any(st, o->pos[3], &id)) {
		bsf_store_close(st);
		return 1;
	}
	if (strcmp(sub, "add") == 0)
		r = bsf_store_assoc_add(st, naf, id);
	else
		r = bsf_store_assoc_remove(st, naf, id);
	bsf_store_close(st);
	if (r != GBA_OK)
		return err_msg("assoc %s %s %s: %s", sub, o->pos[2], o->pos[3],
			       gba_strerror(r));
	printf("%s %s <-> %s\n",
	       strcmp(sub, "add") == 0 ? "associated" : "dissociated",
	       o->pos[2], o->pos[3]);
	return 0;
}

/* ------------------------------------------------------------------ */
/* CSV (RFC 4180: quoted fields may hold commas, quotes and newlines). */

struct csv {
	FILE *f;
	unsigned long line;	/* current physical line */
	unsigned long rec_line; /* first line of the last record */
	char *buf;		/* all fields of a record, NUL-separated */
	size_t cap;
	size_t off[CSV_FIELDS_MAX];
	size_t n;
	size_t len; /* octets used in buf by the last record */
	const char *err;
};

/* Return 1 record read, 0 EOF, -1 error (c->err set; record skipped). */
static int csv_next(struct csv *c)
{
	size_t len = 0;
	int ch, q = 0, any = 0, bad = 0;

	c->n = 0;
	c->err = NULL;
	c->rec_line = c->line;
	c->off[c->n++] = 0;
	for (;;) {
		ch = getc(c->f);
		if (ch == EOF) {
			if (!any)
				return 0;
			if (q && !bad) {
				c->err = "unterminated quoted field";
				bad = 1;
			}
			break;
		}
		any = 1;
		if (q) {
			if (ch == '"') {
				int nx = getc(c->f);

				if (nx == '"') {
					ch = '"';
				} else {
					q = 0;
					if (nx != EOF)
						ungetc(nx, c->f);
					continue;
				}
			} else if (ch == '\n') {
				c->line++;
			}
		} else if (ch == '"') {
			q = 1;
			continue;
		} else if (ch == ',') {
			ch = '\0';
			if (c->n == CSV_FIELDS_MAX) {
				if (!bad)
					c->err = "too many fields";
				bad = 1;
				continue;
			}
		} else if (ch == '\r') {
			continue;
		} else if (ch == '\n') {
			c->line++;
			break;
		}
		if (bad)
			continue;
		if (len + 1 >= c->cap) {
			c->err = "field too long";
			bad = 1;
			continue;
		}
		c->buf[len++] = (char)ch;
		if (ch == '\0')
			c->off[c->n++] = len;
	}
	c->buf[len] = '\0';
	c->len = len + 1;
	return bad ? -1 : 1;
}

static const char *csv_field(const struct csv *c, int idx)
{
	if (idx < 0 || (size_t)idx >= c->n)
		return NULL;
	return c->buf + c->off[idx];
}

enum col {
	C_IMPI,
	C_IMSI,
	C_IMPU,
	C_ALG,
	C_K,
	C_OPC,
	C_OP,
	C_AMF,
	C_SQN,
	C_GBA_U,
	C_LABELS,
	C_TUAK,
	C_NAF,
	C_GUSS,
	C__N
};

static const char *const col_names[C__N] = {
	"impi", "imsi", "impu",	 "alg",	   "k",	   "opc", "op",
	"amf",	"sqn",	"gba_u", "labels", "tuak", "naf", "guss",
};

struct progress {
	int tty;
	long total;
	int dirty; /* a bar is on the current terminal line */
};

/* End the bar's line before another message goes to stderr. */
static const char *progress_break(struct progress *p)
{
	int d = p->dirty;

	p->dirty = 0;
	return d ? "\n" : "";
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void progress_show(struct progress *p, const char *what,
			  unsigned long done, unsigned long errs, long pos,
			  int final)
{
	static double last;
	double t = now_s();
	int pct, i, w;

	if (!p->tty || (!final && t - last < 0.1))
		return;
	last = t;
	pct = p->total > 0 ? (int)((double)pos * 100.0 / (double)p->total) : 0;
	if (pct > 100)
		pct = 100;
	w = pct / 4;
	p->dirty = !final;
	fprintf(stderr, "\r%s [", what);
	for (i = 0; i < 25; i++)
		fputc(i < w ? '#' : '.', stderr);
	fprintf(stderr, "] %3d%% %lu ok, %lu failed", pct, done, errs);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

static int naf_cache_lookup(struct bsf_store *st, const char *name, int64_t *id)
{
	/* a tiny cache: imports usually name one or two Push-NAFs */
	static char names[8][BSF_NAF_NAME_MAX + 1];
	static int64_t ids[8];
	static size_t n;
	size_t i;
	int r;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0) {
			*id = ids[i];
			return GBA_OK;
		}
	if ((r = naf_id_by_name(st, name, id)) != 0)
		return r;
	if (n < 8 && strlen(name) <= BSF_NAF_NAME_MAX) {
		memcpy(names[n], name, strlen(name) + 1);
		ids[n++] = *id;
	}
	return GBA_OK;
}

enum conflict { CONFLICT_FAIL, CONFLICT_SKIP, CONFLICT_UPDATE };

/* Return 0 added, 1 skipped, 2 updated, -1 error (@field, @why). */
static int import_record(struct bsf_store *st, struct bsf_store_batch *b,
			 const struct csv *c, const int *map,
			 enum conflict on_conflict, const char **field,
			 const char **why)
{
	const char *f[C__N];
	char nafs[BSF_IMPUS_MAX][BSF_IMPU_MAX + 1];
	struct bsf_sub s;
	struct bsf_prov_in in;
	size_t i, n_naf = 0;
	int64_t id = 0, naf_ids[BSF_IMPUS_MAX];
	int r, ret = 0;

	for (i = 0; i < C__N; i++)
		f[i] = csv_field(c, map[i]);
	memset(&in, 0, sizeof(in));
	in.impi = f[C_IMPI];
	in.imsi = f[C_IMSI];
	in.impus = f[C_IMPU];
	in.alg = f[C_ALG];
	in.k = f[C_K];
	in.opc = f[C_OPC];
	in.op = f[C_OP];
	in.amf = f[C_AMF];
	in.sqn = f[C_SQN];
	in.labels = f[C_LABELS];
	in.tuak = f[C_TUAK];
	*field = "gba_u";
	*why = "must be 0 or 1";
	if (f[C_GBA_U] && f[C_GBA_U][0]) {
		if (strcmp(f[C_GBA_U], "1") == 0)
			in.gba_u = 1;
		else if (strcmp(f[C_GBA_U], "0") != 0)
			return -1;
	}
	*field = "naf";
	*why = "too many names";
	if (bsf_prov_split(f[C_NAF], nafs, BSF_IMPUS_MAX, BSF_IMPU_MAX + 1,
			   &n_naf))
		return -1;
	for (i = 0; i < n_naf; i++) {
		if (naf_cache_lookup(st, nafs[i], &naf_ids[i]) != GBA_OK) {
			*why = "no such Push-NAF";
			return -1;
		}
	}
	if (bsf_prov_sub(&in, &s, field, why))
		return -1;
	r = bsf_store_batch_sub_add(
		b, &s, f[C_GUSS] && f[C_GUSS][0] ? f[C_GUSS] : NULL,
		f[C_GUSS] ? strlen(f[C_GUSS]) : 0, &id);
	if (r == GBA_ERR_EXISTS && on_conflict != CONFLICT_FAIL) {
		int64_t old = 0;
		int rr = bsf_store_resolve(st, s.impi, strlen(s.impi),
					   BSF_ID_PRIVATE, &old, NULL, 0);

		/* only a stored IMPI is a conflict to skip or update; an
		 * IMSI or IMPU of another subscriber stays an error */
		if (rr == GBA_OK && on_conflict == CONFLICT_SKIP) {
			bsf_sub_clear(&s);
			return 1;
		}
		if (rr == GBA_OK) {
			r = bsf_store_batch_sub_replace(
				b, &s,
				f[C_GUSS] && f[C_GUSS][0] ? f[C_GUSS] : NULL,
				f[C_GUSS] ? strlen(f[C_GUSS]) : 0, &id);
			if (r == GBA_OK)
				ret = 2;
		}
	}
	bsf_sub_clear(&s);
	if (r != GBA_OK) {
		*field = store_err_field(r);
		*why = gba_strerror(r);
		return -1;
	}
	for (i = 0; i < n_naf; i++) {
		r = bsf_store_batch_assoc_add(b, naf_ids[i], id);
		if (r != GBA_OK && r != GBA_ERR_EXISTS) {
			/* the subscriber is in; report the association */
			*field = "naf";
			*why = gba_strerror(r);
			return -1;
		}
	}
	return ret;
}

/* Header cell: a UTF-8 BOM before the first one is dropped, case and
 * surrounding blanks are ignored; return the index in @names or -1. */
static int header_col(const char *h, int first, const char *const *names,
		      size_t n)
{
	char low[32];
	size_t i, len;

	if (first && (unsigned char)h[0] == 0xef &&
	    (unsigned char)h[1] == 0xbb && (unsigned char)h[2] == 0xbf)
		h += 3;
	while (*h == ' ' || *h == '\t')
		h++;
	len = strlen(h);
	while (len && (h[len - 1] == ' ' || h[len - 1] == '\t'))
		len--;
	if (len >= sizeof(low))
		return -1;
	for (i = 0; i < len; i++)
		low[i] = (char)(h[i] >= 'A' && h[i] <= 'Z' ? h[i] + 32 : h[i]);
	low[len] = '\0';
	for (i = 0; i < n; i++)
		if (strcmp(low, names[i]) == 0)
			return (int)i;
	return -1;
}

static int cmd_import(const struct opts *o)
{
	struct bsf_store_batch *b = NULL;
	struct bsf_store *st = NULL;
	struct progress pg;
	struct csv c;
	struct stat sb;
	int map[C__N];
	unsigned long ok = 0, bad = 0, committed = 0, skipped = 0, updated = 0;
	enum conflict on_conflict = CONFLICT_FAIL;
	const char *field, *why;
	size_t i, j;
	int r, rc = 1;

	if (o->n_pos != 2)
		return usage_err("import FILE.csv [--on-conflict fail|skip|"
				 "update]");
	if (o->on_conflict == NULL || strcmp(o->on_conflict, "fail") == 0)
		on_conflict = CONFLICT_FAIL;
	else if (strcmp(o->on_conflict, "skip") == 0)
		on_conflict = CONFLICT_SKIP;
	else if (strcmp(o->on_conflict, "update") == 0)
		on_conflict = CONFLICT_UPDATE;
	else
		return usage_err("--on-conflict: fail, skip or update");
	memset(&c, 0, sizeof(c));
	memset(&pg, 0, sizeof(pg));
	c.line = 1;
	if ((c.f = fopen(o->pos[1], "r")) == NULL)
		return err_msg("%s: cannot open", o->pos[1]);
	if ((c.buf = malloc(CSV_FIELD_MAX)) == NULL) {
		fclose(c.f);
		return err_msg("out of memory");
	}
	c.cap = CSV_FIELD_MAX;
	pg.tty = isatty(STDERR_FILENO);
	pg.total = fstat(fileno(c.f), &sb) == 0 ? (long)sb.st_size : 0;
	/* header */
	if (csv_next(&c) != 1) {
		err_msg("%s: line 1: missing or bad header", o->pos[1]);
		goto out;
	}
	for (i = 0; i < C__N; i++)
		map[i] = -1;
	for (j = 0; j < c.n; j++) {
		const char *h = csv_field(&c, (int)j);
		int ci = header_col(h, j == 0, col_names, C__N);

		i = ci < 0 ? C__N : (size_t)ci;
		if (i == C__N || map[i] != -1) {
			err_msg("%s: line 1: column '%s' %s", o->pos[1], h,
				i == C__N ? "unknown" : "repeated");
			rc = 2;
			goto out;
		}
		map[i] = (int)j;
	}
	if (map[C_IMPI] < 0 || map[C_K] < 0 ||
	    (map[C_OPC] < 0 && map[C_OP] < 0)) {
		err_msg("%s: line 1: header needs impi, k and opc or op",
			o->pos[1]);
		rc = 2;
		goto out;
	}
	if (open_store(o, 0, &st))
		goto out;
	if ((r = bsf_store_batch_begin(st, &b)) != 0) {
		err_msg("%s", gba_strerror(r));
		goto out;
	}
	for (;;) {
		r = csv_next(&c);
		if (r == 0)
			break;
		if (r < 0) {
			fprintf(stderr, "%s%s: line %lu: %s\n",
				progress_break(&pg), o->pos[1], c.rec_line,
				c.err);
			bad++;
			gba_cleanse(c.buf, c.len);
			continue;
		}
		if (c.n == 1 && csv_field(&c, 0)[0] == '\0')
			continue; /* blank line */
		if ((ok + bad) % BATCH_CHUNK == BATCH_CHUNK - 1) {
			if ((r = bsf_store_batch_commit(b)) != 0) {
				err_msg("commit failed: %s (%lu subscribers"
					" committed, line %lu and later not"
					" imported)",
					gba_strerror(r), committed, c.rec_line);
				goto out;
			}
			committed = ok;
		}
		r = import_record(st, b, &c, map, on_conflict, &field, &why);
		if (r < 0) {
			fprintf(stderr, "%s%s: line %lu: field '%s': %s\n",
				progress_break(&pg), o->pos[1], c.rec_line,
				field, why);
			bad++;
		} else {
			ok++;
			skipped += r == 1;
			updated += r == 2;
		}
		gba_cleanse(c.buf, c.len); /* K/OPc of this record */
		progress_show(&pg, "importing", ok, bad, ftell(c.f), 0);
	}
	progress_show(&pg, "importing", ok, bad, pg.total, 1);
	r = bsf_store_batch_end(b, 1);
	b = NULL;
	if (r != GBA_OK) {
		err_msg("commit failed: %s (%lu subscribers committed before)",
			gba_strerror(r), committed);
		goto out;
	}
	if (on_conflict == CONFLICT_FAIL)
		printf("imported %lu subscribers, %lu lines failed\n", ok, bad);
	else
		printf("imported %lu subscribers (%lu added, %lu updated, %lu"
		       " skipped), %lu lines failed\n",
		       ok, ok - skipped - updated, updated, skipped, bad);
	rc = bad ? 1 : 0;
out:
	bsf_store_batch_end(b, 0);
	bsf_store_close(st);
	gba_cleanse(c.buf, c.cap);
	free(c.buf);
	fclose(c.f);
	return rc;
}

/* CSV field output: quoted when needed. */
static void csv_put(FILE *f, const char *s, int last)
{
	const char *p;

	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
	} else {
		fputc('"', f);
		for (p = s; *p; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		fputc('"', f);
	}
	fputc(last ? '\n' : ',', f);
}

struct export_ctx {
	struct bsf_store *st;
	FILE *f;
	int secrets;
	int err;
	unsigned long n;
};

static int export_cb(void *arg, const struct bsf_sub *s)
{
	struct export_ctx *x = arg;
	char hex[2 * GBA_KEY_MAX + 1], num[32], tuak[64];
	struct strbuf sb;
	char *guss = NULL;
	size_t i;
	int r;

	csv_put(x->f, s->impi, 0);
	csv_put(x->f, s->imsi, 0);
	sb_reset(&sb);
	for (i = 0; i < s->n_impus; i++)
		if ((r = sb_add_cb(&sb, s->impus[i])) != 0)
			return r;
	csv_put(x->f, sb.b, 0);
	csv_put(x->f, s->key.alg == GBA_ALG_TUAK ? "tuak" : "milenage", 0);
	if (x->secrets) {
		gba_hex_encode(s->key.k, s->key.k_len, hex, sizeof(hex));
		csv_put(x->f, hex, 0);
		gba_hex_encode(s->key.opc, s->key.alg == GBA_ALG_TUAK ? 32 : 16,
			       hex, sizeof(hex));
		csv_put(x->f, hex, 0);
		gba_cleanse(hex, sizeof(hex));
	} else {
		csv_put(x->f, "", 0);
		csv_put(x->f, "", 0);
	}
	gba_hex_encode(s->amf, 2, hex, sizeof(hex));
	csv_put(x->f, hex, 0);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)s->sqn);
	csv_put(x->f, num, 0);
	csv_put(x->f, s->gba_u ? "1" : "0", 0);
	sb_reset(&sb);
	for (i = 0; i < s->n_labels; i++)
		if ((r = sb_add_cb(&sb, s->labels[i])) != 0)
			return r;
	csv_put(x->f, sb.b, 0);
	tuak[0] = '\0';
	if (s->key.alg == GBA_ALG_TUAK)
		snprintf(tuak, sizeof(tuak), "%u:%zu:%zu:%zu",
			 s->key.keccak_iterations, s->key.res_len,
			 s->key.ck_len, s->key.ik_len);
	csv_put(x->f, tuak, 0);
	sb_reset(&sb);
	if ((r = bsf_store_assoc_list_sub(x->st, s->id, sb_add_cb, &sb)) != 0)
		return r;
	csv_put(x->f, sb.b, 0);
	if (s->has_guss && (r = bsf_store_sub_guss(x->st, s->id, &guss)) != 0)
		return r;
	csv_put(x->f, guss, 1);
	free(guss);
	x->n++;
	return ferror(x->f) ? GBA_ERR_IO : 0;
}

static int cmd_export(const struct opts *o)
{
	struct export_ctx x;
	size_t i;
	int r;

	memset(&x, 0, sizeof(x));
	x.secrets = o->show_secrets;
	if (o->out) {
		/* created owner-only: it may hold keys */
		int fd = open(o->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			      0600);

		if (fd >= 0)
			fchmod(fd, 0600);

		if (fd < 0 || (x.f = fdopen(fd, "w")) == NULL)
			return err_msg("%s: cannot create", o->out);
	} else {
		x.f = stdout;
	}
	if (open_store(o, 0, &x.st)) {
		if (o->out)
			fclose(x.f);
		return 1;
	}
	for (i = 0; i < C__N; i++)
		if (i != C_OP) /* OP is never stored: OPc is exported */
			csv_put(x.f, col_names[i], i + 1 == C__N);
	r = bsf_store_sub_list(x.st, x.secrets ? BSF_SUB_SECRETS : 0, export_cb,
			       &x);
	bsf_store_close(x.st);
	if (o->out && fclose(x.f) != 0 && r == GBA_OK)
		r = GBA_ERR_IO;
	else if (!o->out && fflush(stdout) != 0 && r == GBA_OK)
		r = GBA_ERR_IO;
	if (r != GBA_OK)
		return err_msg("export: %s", gba_strerror(r));
	fprintf(stderr, "exported %lu subscribers%s\n", x.n,
		x.secrets ? ""
			  : " (keys omitted: add --show-secrets for an"
			    " importable file)");
	return 0;
}

/* ------------------------------------------------------------------ */
/* gen: synthetic subscribers for tests and benchmarks */

/*
 * K_i   = first 16 octets of SHA-256("gbapush-gen-k"   || seed || i)
 * OPc_i = first 16 octets of SHA-256("gbapush-gen-opc" || seed || i)
 * with i as decimal text: a test UE can recompute them.  Never for real
 * subscribers.
 */
static int gen_key(const char *label, const char *seed, const char *idx,
		   uint8_t out[16])
{
	uint8_t md[GBA_SHA256_LEN];
	const uint8_t *addr[3] = {(const uint8_t *)label, (const uint8_t *)seed,
				  (const uint8_t *)idx};
	const size_t len[3] = {strlen(label), strlen(seed), strlen(idx)};
	int r = gba_sha256_vec(3, addr, len, md);

	memcpy(out, md, 16);
	gba_cleanse(md, sizeof(md));
	return r;
}

static int cmd_gen(const struct opts *o)
{
	const char *prefix = o->prefix ? o->prefix : "sub";
	const char *realm =
		o->realm ? o->realm : "ims.mnc001.mcc001.3gppnetwork.org";
	const char *seed = o->seed ? o->seed : "gbapush";
	struct bsf_store_batch *b = NULL;
	struct bsf_store *st = NULL;
	struct progress pg;
	struct bsf_sub s;
	uint64_t count, start = 0, i = 0, committed = 0;
	int64_t naf = 0, id;
	char idx[24];
	double t0, dt;
	int r = GBA_OK, rc = 1;

	if (o->count == NULL || gba_uint_parse(o->count, 100000000, 0, &count) ||
	    count == 0)
		return usage_err("gen needs --count N (1..100000000)");
	if (o->start && gba_uint_parse(o->start, 9999999999ULL, 0, &start))
		return usage_err("--start: 0..9999999999");
	if (start + count > 10000000000ULL)
		return usage_err("--start + --count beyond 10 digits");
	if (o->n_naf > 1)
		return usage_err("gen takes one --naf");
	if (strlen(prefix) + 10 + 1 + strlen(realm) > BSF_IMPI_MAX)
		return usage_err("--prefix/--realm too long");
	if (open_store(o, 0, &st))
		return 1;
	if (o->n_naf == 1 && (r = naf_id_by_name(st, o->naf[0], &naf)) != 0) {
		err_msg("%s: %s", o->naf[0],
			r == GBA_ERR_NOT_FOUND ? "no such Push-NAF"
					       : gba_strerror(r));
		goto out;
	}
	memset(&pg, 0, sizeof(pg));
	pg.tty = isatty(STDERR_FILENO);
	pg.total = (long)count;
	t0 = now_s();
	if ((r = bsf_store_batch_begin(st, &b)) != 0)
		goto fail;
	for (i = 0; i < count && r == GBA_OK; i++) {
		uint64_t n = start + i;

		memset(&s, 0, sizeof(s));
		snprintf(idx, sizeof(idx), "%010llu", (unsigned long long)n);
		snprintf(s.impi, sizeof(s.impi), "%s%s@%s", prefix, idx, realm);
		/* IMSI 00101 + 10 digits; MSISDN +1999 + 10 digits */
		memcpy(s.imsi, "00101", 5);
		memcpy(s.imsi + 5, idx, 11); /* idx: exactly 10 digits */
		snprintf(s.impus[0], sizeof(s.impus[0]), "tel:+1999%s", idx);
		snprintf(s.impus[1], sizeof(s.impus[1]), "sip:%s%s@%s", prefix,
			 idx, realm);
		s.n_impus = 2;
		s.key.alg = GBA_ALG_MILENAGE;
		s.key.k_len = 16;
		if ((r = gen_key("gbapush-gen-k", seed, idx, s.key.k)) != 0 ||
		    (r = gen_key("gbapush-gen-opc", seed, idx, s.key.opc)) != 0)
			break;
		r = bsf_store_batch_sub_add(b, &s, NULL, 0, &id);
		if (r == GBA_OK && naf)
			r = bsf_store_batch_assoc_add(b, naf, id);
		if (r == GBA_OK && i % BATCH_CHUNK == BATCH_CHUNK - 1 &&
		    (r = bsf_store_batch_commit(b)) == GBA_OK)
			committed = i + 1;
		if (r != GBA_OK)
			err_msg("%s: %s", s.impi, gba_strerror(r));
		if ((i & 1023) == 0)
			progress_show(&pg, "generating", (unsigned long)i, 0,
				      (long)i, 0);
	}
	bsf_sub_clear(&s);
	if (r != GBA_OK) {
		bsf_store_batch_end(b, 0);
		b = NULL;
		goto fail;
	}
	progress_show(&pg, "generating", (unsigned long)count, 0, (long)count,
		      1);
	r = bsf_store_batch_end(b, 1);
	b = NULL;
	if (r != GBA_OK)
		goto fail;
	dt = now_s() - t0;
	printf("generated %llu subscribers in %.2f s (%.0f/s)\n",
	       (unsigned long long)count, dt, (double)count / dt);
	rc = 0;
	goto out;
fail:
	err_msg("gen: %s (%llu subscribers committed before)", gba_strerror(r),
		(unsigned long long)committed);
out:
	bsf_store_close(st);
	return rc;
}

/* assoc import: CSV with columns naf and identity (IMPI or IMPU). */
static int cmd_assoc_import(const struct opts *o)
{
	static const char *const names[2] = {"naf", "identity"};
	struct bsf_store_batch *b = NULL;
	struct bsf_store *st = NULL;
	struct progress pg;
	struct csv c;
	struct stat sb;
	int map[2] = {-1, -1};
	unsigned long ok = 0, bad = 0, dup = 0, committed = 0;
	const char *why;
	size_t j;
	int r, rc = 1;

	if (o->n_pos != 3)
		return usage_err("assoc import FILE.csv");
	memset(&c, 0, sizeof(c));
	memset(&pg, 0, sizeof(pg));
	c.line = 1;
	if ((c.f = fopen(o->pos[2], "r")) == NULL)
		return err_msg("%s: cannot open", o->pos[2]);
	if ((c.buf = malloc(CSV_FIELD_MAX)) == NULL) {
		fclose(c.f);
		return err_msg("out of memory");
	}
	c.cap = CSV_FIELD_MAX;
	pg.tty = isatty(STDERR_FILENO);
	pg.total = fstat(fileno(c.f), &sb) == 0 ? (long)sb.st_size : 0;
	if (csv_next(&c) != 1) {
		err_msg("%s: line 1: missing or bad header", o->pos[2]);
		goto out;
	}
	for (j = 0; j < c.n; j++) {
		int ci = header_col(csv_field(&c, (int)j), j == 0, names, 2);

		if (ci < 0 || map[ci] != -1) {
			err_msg("%s: line 1: column '%s' %s", o->pos[2],
				csv_field(&c, (int)j),
				ci < 0 ? "unknown" : "repeated");
			rc = 2;
			goto out;
		}
		map[ci] = (int)j;
	}
	if (map[0] < 0 || map[1] < 0) {
		err_msg("%s: line 1: header needs naf and identity", o->pos[2]);
		rc = 2;
		goto out;
	}
	if (open_store(o, 0, &st))
		goto out;
	if ((r = bsf_store_batch_begin(st, &b)) != 0) {
		err_msg("%s", gba_strerror(r));
		goto out;
	}
	for (;;) {
		const char *naf, *ident;
		int64_t naf_id = 0, sub = 0;

		r = csv_next(&c);
		if (r == 0)
			break;
		if (r < 0) {
			fprintf(stderr, "%s%s: line %lu: %s\n",
				progress_break(&pg), o->pos[2], c.rec_line,
				c.err);
			bad++;
			continue;
		}
		if (c.n == 1 && csv_field(&c, 0)[0] == '\0')
			continue; /* blank line */
		if ((ok + bad) % BATCH_CHUNK == BATCH_CHUNK - 1) {
			if ((r = bsf_store_batch_commit(b)) != 0) {
				err_msg("commit failed: %s (%lu associations"
					" committed, line %lu and later not"
					" imported)",
					gba_strerror(r), committed, c.rec_line);
				goto out;
			}
			committed = ok;
		}
		naf = csv_field(&c, map[0]);
		ident = csv_field(&c, map[1]);
		why = NULL;
		if (naf == NULL || ident == NULL || !naf[0] || !ident[0])
			why = "field 'naf' or 'identity' empty";
		else if (naf_cache_lookup(st, naf, &naf_id) != GBA_OK)
			why = "field 'naf': no such Push-NAF";
		else if (bsf_store_resolve(st, ident, strlen(ident),
					   BSF_ID_ANY, &sub, NULL,
					   0) != GBA_OK)
			why = "field 'identity': no such subscriber";
		else if ((r = bsf_store_batch_assoc_add(b, naf_id, sub)) ==
			 GBA_ERR_EXISTS)
			dup++;
		else if (r != GBA_OK)
			why = gba_strerror(r);
		if (why) {
			fprintf(stderr, "%s%s: line %lu: %s\n",
				progress_break(&pg), o->pos[2], c.rec_line,
				why);
			bad++;
		} else {
			ok++;
		}
		progress_show(&pg, "importing", ok, bad, ftell(c.f), 0);
	}
	progress_show(&pg, "importing", ok, bad, pg.total, 1);
	r = bsf_store_batch_end(b, 1);
	b = NULL;
	if (r != GBA_OK) {
		err_msg("commit failed: %s (%lu associations committed"
			" before)",
			gba_strerror(r), committed);
		goto out;
	}
	printf("imported %lu associations (%lu already present), %lu lines"
	       " failed\n",
	       ok, dup, bad);
	rc = bad ? 1 : 0;
out:
	bsf_store_batch_end(b, 0);
	bsf_store_close(st);
	free(c.buf);
	fclose(c.f);
	return rc;
}

static int cmd_backup(const struct opts *o)
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

/* restore FILE, or (@skip) skip-ahead --since TIME on the store as is */
static int cmd_restore(const struct opts *o, int skip)
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
		break;
	case GBA_ERR_STATE:
		return err_msg("%s: gba-bsf is running on this store; stop it"
			       " first",
			       o->db);
	case GBA_ERR_NOT_FOUND:
		return err_msg("%s: cannot read", skip ? o->db : o->pos[1]);
	case GBA_ERR_MALFORMED:
		return err_msg("%s: not a gba-bsfctl backup (no backup time)",
			       skip ? o->db : o->pos[1]);
	case GBA_ERR_CONFIG:
		return err_msg("ue_rate is 0 (no per-subscriber limit): the"
			       " SQNs issued since the backup have no bound;"
			       " give --margin N");
	default:
		return err_msg("restore %s: %s", o->pos[1], gba_strerror(r));
	}
	fmt_time(info.backup_time, when, sizeof(when));
	if (skip)
		printf("skipped ahead in %s: %llu subscribers\n", o->db,
		       (unsigned long long)info.n_subs);
	else
		printf("restored %s into %s: %llu subscribers\n", o->pos[1],
		       o->db, (unsigned long long)info.n_subs);
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

/* ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	struct opts o;
	const char *cmd, *sub;
	int r;

	if ((r = parse_opts(argc, argv, &o)) != 0)
		return r;
	if (o.n_pos == 0)
		return usage_err("no command");
	cmd = o.pos[0];
	sub = o.n_pos > 1 ? o.pos[1] : "";
	if (strcmp(cmd, "init") == 0)
		return o.n_pos == 1 ? cmd_init(&o) : usage_err("init: no args");
	if (strcmp(cmd, "subscriber") == 0 || strcmp(cmd, "sub") == 0) {
		if (strcmp(sub, "add") == 0 && o.n_pos == 2)
			return cmd_sub_add(&o);
		if (strcmp(sub, "list") == 0 && o.n_pos == 2)
			return cmd_sub_list(&o);
		if (strcmp(sub, "show") == 0)
			return cmd_sub_show(&o);
		if (strcmp(sub, "remove") == 0)
			return cmd_sub_remove(&o);
		if (strcmp(sub, "modify") == 0)
			return cmd_sub_modify(&o);
		return usage_err("subscriber add|list|show|modify|remove");
	}
	if (strcmp(cmd, "naf") == 0) {
		if (strcmp(sub, "add") == 0 && o.n_pos == 2)
			return cmd_naf_add(&o);
		if (strcmp(sub, "list") == 0 || strcmp(sub, "show") == 0 ||
		    strcmp(sub, "remove") == 0)
			return cmd_naf_rest(&o, sub);
		if (strcmp(sub, "modify") == 0)
			return cmd_naf_modify(&o);
		return usage_err("naf add|list|show|modify|remove");
	}
	if (strcmp(cmd, "assoc") == 0)
		return strcmp(sub, "import") == 0 ? cmd_assoc_import(&o)
						  : cmd_assoc(&o, sub);
	if (strcmp(cmd, "backup") == 0)
		return cmd_backup(&o);
	if (strcmp(cmd, "restore") == 0)
		return cmd_restore(&o, 0);
	if (strcmp(cmd, "skip-ahead") == 0)
		return cmd_restore(&o, 1);
	if (strcmp(cmd, "import") == 0)
		return cmd_import(&o);
	if (strcmp(cmd, "export") == 0)
		return o.n_pos == 1 ? cmd_export(&o)
				    : usage_err("export [-o FILE]");
	if (strcmp(cmd, "gen") == 0)
		return o.n_pos == 1 ? cmd_gen(&o)
				    : usage_err("gen: options only");
	return usage_err("unknown command '%s'", cmd);
}
