/*
 * gba-bsfctl - operator tool for the gba-bsf subscriber store (store.h).
 *
 * Usage and CSV format: `gba-bsfctl --help`, docs/hss-store.md.
 * Exit status: 0 success, 1 failure (any CSV line rejected included),
 * 2 usage error.  K and OPc are printed only with --show-secrets.
 */
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
	"  -h, --help       this text\n"
	"\n"
	"Commands:\n"
	"  init                          create the store (or migrate it)\n"
	"  subscriber add --impi IMPI --k HEX (--opc HEX | --op HEX)\n"
	"          [--imsi DIGITS] [--impu URI]... [--alg milenage|tuak]\n"
	"          [--amf HEX4] [--sqn N] [--gba-u] [--label L]...\n"
	"          [--guss FILE] [--tuak ITER:RES:CK:IK]\n"
	"      --op derives OPc (Milenage) or TOPc (TUAK, --op is then TOP)\n"
	"      and is not stored; --tuak ITERATIONS:RES:CK:IK, sizes in\n"
	"      octets, default 1:8:16:16 (MAC is 8 octets for AKA).\n"
	"      --sqn is the highest SQN the USIM has seen (default 0).\n"
	"  subscriber list               one line per subscriber\n"
	"  subscriber show IDENTITY      IMPI, IMPU (sip:/tel:) \n"
	"  subscriber remove IMPI\n"
	"  naf add --name NAME --cert-id ID [--naf FQDN:UAIDHEX]...\n"
	"          [--allow-impi] [--gba-u-aware] [--rate N]\n"
	"      ID is the TLS client certificate's SAN dNSName (or CN);\n"
	"      UAIDHEX the 5-octet Ua security protocol id (10 hex digits).\n"
	"  naf list | naf show NAME | naf remove NAME\n"
	"  assoc add NAF IDENTITY | assoc remove NAF IDENTITY\n"
	"  assoc list [--naf NAME]\n"
	"  import FILE.csv               add subscribers from CSV; bad lines\n"
	"                                are reported and skipped (exit 1)\n"
	"  export [-o FILE]              CSV of all subscribers (keys only\n"
	"                                with --show-secrets)\n"
	"  gen --count N [--prefix P] [--start I] [--naf NAME]\n"
	"      [--realm REALM] [--seed S]  N synthetic subscribers in one\n"
	"                                transaction (test/benchmark only:\n"
	"                                keys are derived from the seed)\n"
	"\n"
	"CSV columns (header line required, any order): impi, imsi, impu\n"
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
	const char *start, *realm, *seed;
	int gba_u, allow_impi, gba_u_aware;
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
	OF("--gba-u", gba_u),
	OF("--allow-impi", allow_impi),
	OF("--gba-u-aware", gba_u_aware),
	OM("--impu", impu, n_impu),
	OM("--label", label, n_label),
	OM("--naf", naf, n_naf),
};

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
	if (o->db == NULL)
		o->db = getenv("GBA_BSF_DB");
	if (o->db == NULL || o->db[0] == '\0')
		o->db = BSF_STORE_DEFAULT_PATH;
	return 0;
}

/* Decimal without sign, <= max. */
static int parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	uint64_t acc = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (acc > (max - (uint64_t)(*s - '0')) / 10)
			return -1;
		acc = acc * 10 + (uint64_t)(*s - '0');
	}
	*v = acc;
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

static int cmd_init(const struct opts *o)
{
	struct bsf_store *st;
	int v = 0;

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

static void print_hex(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", b[i]);
}

static int list_cb(void *arg, const struct bsf_sub *s)
{
	size_t i;

	(void)arg;
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

	if (open_store(o, 0, &st))
		return 1;
	printf("id\timpi\timsi\talg\tgba_u\timpus\n");
	r = bsf_store_sub_list(st, 0, list_cb, NULL);
	bsf_store_close(st);
	return r == GBA_OK ? 0 : err_msg("list: %s", gba_strerror(r));
}

static int name_print_cb(void *arg, const char *name)
{
	int *first = arg;

	printf("%s%s", *first ? "" : ";", name);
	*first = 0;
	return 0;
}

static int cmd_sub_show(const struct opts *o)
{
	struct bsf_store *st;
	struct bsf_gba_params p;
	struct bsf_sub s;
	int64_t id;
	size_t i;
	int r, first = 1;

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
	printf("id: %lld\nimpi: %s\nimsi: %s\n", (long long)s.id, s.impi,
	       s.imsi[0] ? s.imsi : "-");
	for (i = 0; i < s.n_impus; i++)
		printf("impu: %s\n", s.impus[i]);
	printf("alg: %s\n", s.key.alg == GBA_ALG_TUAK ? "tuak" : "milenage");
	if (s.key.alg == GBA_ALG_TUAK)
		printf("tuak: %u:%zu:%zu:%zu\n", s.key.keccak_iterations,
		       s.key.res_len, s.key.ck_len, s.key.ik_len);
	if (o->show_secrets) {
		printf("k: ");
		print_hex(s.key.k, s.key.k_len);
		printf("\nopc: ");
		print_hex(s.key.opc, s.key.alg == GBA_ALG_TUAK ? 32 : 16);
		printf("\n");
	} else {
		printf("k: [hidden, --show-secrets]\nopc: [hidden]\n");
	}
	printf("amf: %02x%02x\n", s.amf[0], s.amf[1]);
	printf("sqn_bound: %llu\n", (unsigned long long)s.sqn);
	printf("gba_u: %d\n", s.gba_u);
	for (i = 0; i < s.n_labels; i++)
		printf("label: %s\n", s.labels[i]);
	printf("guss: %s\n", s.has_guss ? "yes" : "no");
	for (i = 0; i < p.n_uss; i++)
		printf("uss: gsid=%s naf_group=%s\n", p.uss[i].gsid,
		       p.uss[i].naf_group[0] ? p.uss[i].naf_group : "-");
	printf("nafs: ");
	r = bsf_store_assoc_list_sub(st, id, name_print_cb, &first);
	printf("%s\n", first ? "-" : "");
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
	if (o->rate && parse_u64(o->rate, UINT32_MAX, &rate))
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

static void naf_print(const struct bsf_naf *n, int long_form)
{
	size_t i, j;

	if (!long_form) {
		printf("%lld\t%s\t%s\t%d\t%d\t%u\t", (long long)n->id, n->name,
		       n->cert_id, n->allow_impi, n->gba_u_aware, n->rate);
		for (i = 0; i < n->n_naf_ids; i++) {
			printf("%s%s:", i ? ";" : "", n->naf_ids[i].fqdn);
			print_hex(n->naf_ids[i].ua, BSF_UA_ID_LEN);
		}
		printf("%s\n", n->n_naf_ids ? "" : "-");
		return;
	}
	printf("id: %lld\nname: %s\ncert_id: %s\nallow_impi: %d\n"
	       "gba_u_aware: %d\nrate: %u\n",
	       (long long)n->id, n->name, n->cert_id, n->allow_impi,
	       n->gba_u_aware, n->rate);
	for (i = 0; i < n->n_naf_ids; i++) {
		printf("naf_id: %s:", n->naf_ids[i].fqdn);
		for (j = 0; j < BSF_UA_ID_LEN; j++)
			printf("%02x", n->naf_ids[i].ua[j]);
		printf("\n");
	}
}

static int naf_list_cb(void *arg, const struct bsf_naf *n)
{
	(void)arg;
	naf_print(n, 0);
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
		printf("id\tname\tcert_id\tallow_impi\tgba_u_aware\trate\t"
		       "naf_ids\n");
		r = bsf_store_naf_list(st, naf_list_cb, NULL);
	} else if (strcmp(sub, "show") == 0) {
		if ((n = calloc(1, sizeof(*n))) == NULL) {
			bsf_store_close(st);
			return err_msg("out of memory");
		}
		r = bsf_store_naf_by_name(st, o->pos[2], n);
		if (r == GBA_OK)
			naf_print(n, 1);
		free(n);
	} else {
		r = bsf_store_naf_remove(st, o->pos[2]);
		if (r == GBA_OK)
			printf("removed Push-NAF %s\n", o->pos[2]);
	}
	bsf_store_close(st);
	if (r != GBA_OK)
		return err_msg("naf %s: %s", sub, gba_strerror(r));
	return 0;
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
	(void)arg;
	printf("%s\t%s\n", naf, impi);
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
			printf("naf\timpi\n");
			r = bsf_store_assoc_list(st, naf, assoc_print_cb, NULL);
		}
		bsf_store_close(st);
		return r == GBA_OK ? 0
				   : err_msg("assoc list: %s", gba_strerror(r));
	}
	if (strcmp(sub, "add") != 0 && strcmp(sub, "remove") != 0)
		return usage_err("assoc add|list|remove");
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

static int import_record(struct bsf_store *st, struct bsf_store_batch *b,
			 const struct csv *c, const int *map,
			 const char **field, const char **why)
{
	const char *f[C__N];
	char nafs[BSF_IMPUS_MAX][BSF_IMPU_MAX + 1];
	struct bsf_sub s;
	struct bsf_prov_in in;
	size_t i, n_naf = 0;
	int64_t id = 0, naf_ids[BSF_IMPUS_MAX];
	int r;

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
	return 0;
}

static int cmd_import(const struct opts *o)
{
	struct bsf_store_batch *b = NULL;
	struct bsf_store *st = NULL;
	struct progress pg;
	struct csv c;
	struct stat sb;
	int map[C__N];
	unsigned long ok = 0, bad = 0, committed = 0;
	const char *field, *why;
	size_t i, j;
	int r, rc = 1;

	if (o->n_pos != 2)
		return usage_err("import FILE.csv");
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

		for (i = 0; i < C__N; i++)
			if (strcmp(h, col_names[i]) == 0)
				break;
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
		if (import_record(st, b, &c, map, &field, &why)) {
			fprintf(stderr, "%s%s: line %lu: field '%s': %s\n",
				progress_break(&pg), o->pos[1], c.rec_line,
				field, why);
			bad++;
		} else {
			ok++;
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
	printf("imported %lu subscribers, %lu lines failed\n", ok, bad);
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

struct strbuf {
	char b[BSF_IMPUS_MAX * (BSF_IMPU_MAX + 1) + 1];
	size_t len;
};

static int sb_add_cb(void *arg, const char *name)
{
	struct strbuf *sb = arg;
	size_t n = strlen(name);

	if (sb->len + n + 2 > sizeof(sb->b))
		return GBA_ERR_TOO_LARGE;
	if (sb->len)
		sb->b[sb->len++] = ';';
	memcpy(sb->b + sb->len, name, n + 1);
	sb->len += n;
	return 0;
}

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
	sb.len = 0;
	sb.b[0] = '\0';
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
	sb.len = 0;
	sb.b[0] = '\0';
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
	sb.len = 0;
	sb.b[0] = '\0';
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

	if (o->count == NULL || parse_u64(o->count, 100000000, &count) ||
	    count == 0)
		return usage_err("gen needs --count N (1..100000000)");
	if (o->start && parse_u64(o->start, 9999999999ULL, &start))
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
		return usage_err("subscriber add|list|show|remove");
	}
	if (strcmp(cmd, "naf") == 0) {
		if (strcmp(sub, "add") == 0 && o.n_pos == 2)
			return cmd_naf_add(&o);
		if (strcmp(sub, "list") == 0 || strcmp(sub, "show") == 0 ||
		    strcmp(sub, "remove") == 0)
			return cmd_naf_rest(&o, sub);
		return usage_err("naf add|list|show|remove");
	}
	if (strcmp(cmd, "assoc") == 0)
		return cmd_assoc(&o, sub);
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
