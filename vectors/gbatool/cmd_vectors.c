/*
 * gbatool vectors run [FILE...]: replay the test data of vectors/ through
 * the library and compare every output field, one by one.
 *
 * The kind of each set is told by the fields it holds (the file name is
 * only checked against it):
 *   milenage  k, rand, op and/or opc, sqn, amf -> opc f1 f1star f2..f5star
 *   tuak      k, rand, top and/or topc, sqn, amf [, keccak_iterations]
 *             -> topc f1 f1star f2 f3 f4 f5 f5star (sizes from lengths)
 *   keccak    in -> out (Keccak-f[1600], 200 octets)
 *   kdf       key, fc, p0..pN -> out (TS 33.220 B.2)
 *   gba-naf   ck, ik, rand, impi, naf_fqdn, ua_id -> ks_naf ks_int_naf
 * Exit: 0 all sets pass, 1 a set fails, 2 usage or file format error.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "gba/crypto.h"
#include "gba/hex.h"
#include "gba/kdf.h"
#include "gba/milenage.h"
#include "gba/tuak.h"
#include "tool.h"
#include "vecfile.h"

#ifndef GBA_VECTORS_DIR
#define GBA_VECTORS_DIR "vectors"
#endif

#define VR_MAX_FILES 64
#define VR_MAX_FAILS 64
#define VR_PATH_MAX 1024
#define VR_HEX_MAX (2 * VEC_MAX_VAL + 1)

enum vr_kind { VR_NONE, VR_MILENAGE, VR_TUAK, VR_KECCAK, VR_KDF, VR_NAF };

static const char *const vr_kind_name[] = {
	"?", "milenage", "tuak", "keccak", "kdf", "gba-naf",
};

/* File-name prefixes: a hint that must agree with the fields. */
static const struct {
	const char *prefix;
	enum vr_kind kind;
} vr_name_hint[] = {
	{"milenage_", VR_MILENAGE}, {"tuak_keccak_", VR_KECCAK},
	{"tuak_", VR_TUAK},	    {"kdf_", VR_KDF},
	{"gba_naf_", VR_NAF},
};

struct vr_file {
	char path[VR_PATH_MAX];
	const char *name;  /* as shown: the argument, or the name in --dir */
	enum vr_kind kind; /* of the last set; VR_NONE before the first */
	int mixed;	   /* sets of more than one kind */
	unsigned sets, passed, failed;
};

struct vr_fail {
	const char *file;
	unsigned set;
	char field[VEC_MAX_KEY];
	char exp[VR_HEX_MAX];
	char got[VR_HEX_MAX];
};

/* One set being replayed. */
struct vr_set {
	const struct vr_file *file;
	const struct vec_set *s;
	unsigned checked; /* output fields compared */
	int bad;	  /* a field mismatched */
	int fmt;	  /* a format error was reported */
};

static struct vr_file vr_files[VR_MAX_FILES];
static size_t vr_nfiles;
static struct vr_fail vr_fails[VR_MAX_FAILS];
static unsigned vr_nfails, vr_fails_dropped;

static int has(const struct vec_set *s, const char *key)
{
	return vec_get(s, key) != NULL;
}

static void fmt_err(struct vr_set *c, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Report a format error (once per set) as FILE:LINE: set N: reason. */
static void fmt_err(struct vr_set *c, unsigned line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (c->fmt)
		return;
	c->fmt = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tool_err("vectors", "%s:%u: set %u: %s", c->file->path, line,
		 c->s->number, msg);
}

/*
 * Required input field, @len octets exactly (0: any length up to
 * VEC_MAX_VAL).  Returns NULL after printing a format error.
 */
static const struct vec_field *in_field(struct vr_set *c, const char *key,
					size_t len)
{
	const struct vec_field *f = vec_get(c->s, key);

	if (!f) {
		fmt_err(c, c->s->line, "missing field '%s'", key);
		return NULL;
	}
	if (len && f->len != len) {
		fmt_err(c, f->line, "field '%s' must be %zu octets", key, len);
		return NULL;
	}
	return f;
}

static void hex_str(char *dst, const uint8_t *b, size_t n)
{
	if (gba_hex_encode(b, n, dst, VR_HEX_MAX) != GBA_OK)
		dst[0] = '\0';
}

/*
 * Compare one output field, if the set has it.  A field of the wrong
 * length is a format error; the first mismatch of a set is recorded.
 */
static void check(struct vr_set *c, const char *key, const uint8_t *got,
		  size_t len)
{
	const struct vec_field *f = vec_get(c->s, key);
	struct vr_fail *x;

	if (!f || c->fmt)
		return;
	if (f->len != len) {
		fmt_err(c, f->line, "field '%s' must be %zu octets", key, len);
		return;
	}
	c->checked++;
	if (gba_ct_eq(f->val, got, len) || c->bad)
		return;
	c->bad = 1;
	if (vr_nfails == VR_MAX_FAILS) {
		vr_fails_dropped++;
		return;
	}
	x = &vr_fails[vr_nfails++];
	x->file = c->file->name;
	x->set = c->s->number;
	snprintf(x->field, sizeof(x->field), "%s", key);
	hex_str(x->exp, f->val, len);
	hex_str(x->got, got, len);
}

static enum vr_kind detect(const struct vec_set *s)
{
	int tuak = has(s, "k") && (has(s, "top") || has(s, "topc") ||
				   has(s, "keccak_iterations"));
	int mil = has(s, "k") && (has(s, "op") || has(s, "opc"));

	if (tuak && mil)
		return VR_NONE;
	if (tuak)
		return VR_TUAK;
	if (mil)
		return VR_MILENAGE;
	if (has(s, "in") && has(s, "out") && !has(s, "key"))
		return VR_KECCAK;
	if (has(s, "key") && has(s, "fc"))
		return VR_KDF;
	if (has(s, "ck") && has(s, "ik") && has(s, "impi") &&
	    has(s, "naf_fqdn"))
		return VR_NAF;
	return VR_NONE;
}

/* OPc (Milenage) or TOPc (TUAK) from OP or TOP and K; GBA_OK or an error */
typedef int (*opc_fn)(const void *arg, const uint8_t *k, const uint8_t *op,
		      uint8_t *opc);

static int milenage_opc(const void *arg, const uint8_t *k, const uint8_t *op,
			uint8_t *opc)
{
	(void)arg;
	return gba_milenage_opc(k, op, opc);
}

static int tuak_topc(const void *arg, const uint8_t *k, const uint8_t *top,
		     uint8_t *topc)
{
	return gba_tuak_topc(arg, k, top, topc);
}

/*
 * The set's @n-octet OPc or TOPc into @opc: made from the field @op_key
 * with @fn(@arg, @k, ...) when the set has it (and then checked against
 * the field @opc_key if present), else the field @opc_key as given.
 * 0; -1 after a format error; 1 when @fn failed (the caller says why).
 */
static int set_opc(struct vr_set *c, const uint8_t *k, const char *op_key,
		   const char *opc_key, size_t n, opc_fn fn, const void *arg,
		   uint8_t *opc)
{
	const struct vec_field *f;

	if (!vec_get(c->s, op_key)) {
		if (!(f = in_field(c, opc_key, n)))
			return -1;
		memcpy(opc, f->val, n);
		return 0;
	}
	if (!(f = in_field(c, op_key, n)))
		return -1;
	if (fn(arg, k, f->val, opc) != GBA_OK)
		return 1;
	check(c, opc_key, opc, n);
	return 0;
}

static void run_milenage(struct vr_set *c)
{
	const struct vec_field *k, *rnd, *sqn, *amf;
	struct gba_milenage_out m;
	uint8_t topc[16];
	int r;

	memset(&m, 0, sizeof(m));
	if (!(k = in_field(c, "k", 16)) || !(rnd = in_field(c, "rand", 16)) ||
	    !(sqn = in_field(c, "sqn", 6)) || !(amf = in_field(c, "amf", 2)))
		return;
	r = set_opc(c, k->val, "op", "opc", 16, milenage_opc, NULL, topc);
	if (r > 0)
		fmt_err(c, c->s->line, "Milenage OPc failed");
	if (r)
		return;
	if (gba_milenage(k->val, topc, rnd->val, sqn->val, amf->val,
			 GBA_MILENAGE_ALL, &m) != GBA_OK) {
		fmt_err(c, c->s->line, "Milenage failed");
		goto out;
	}
	check(c, "f1", m.mac_a, sizeof(m.mac_a));
	check(c, "f1star", m.mac_s, sizeof(m.mac_s));
	check(c, "f2", m.res, sizeof(m.res));
	check(c, "f3", m.ck, sizeof(m.ck));
	check(c, "f4", m.ik, sizeof(m.ik));
	check(c, "f5", m.ak, sizeof(m.ak));
	check(c, "f5star", m.ak_s, sizeof(m.ak_s));
out:
	gba_cleanse(topc, sizeof(topc));
	gba_cleanse(&m, sizeof(m));
}

/*
 * A TUAK size field (k, f1, f1star, f2, f3, f4) present with a length
 * outside @ok (0-terminated): format error naming its line.
 */
static int size_ok(struct vr_set *c, const char *key, const size_t *ok)
{
	const struct vec_field *f = vec_get(c->s, key);
	size_t i;

	if (!f)
		return 1;
	for (i = 0; ok[i]; i++)
		if (f->len == ok[i])
			return 1;
	fmt_err(c, f->line, "field '%s': %zu octets is not a TUAK size", key,
		f->len);
	return 0;
}

/* Instance length from an output field's length, or @def if absent. */
static size_t len_of(const struct vec_set *s, const char *key, size_t def)
{
	const struct vec_field *f = vec_get(s, key);

	return f ? f->len : def;
}

static void run_tuak(struct vr_set *c)
{
	const struct vec_field *k, *rnd, *sqn, *amf, *it;
	struct gba_tuak_inst inst;
	struct gba_tuak_out t;
	uint8_t topc[32];
	unsigned long iter = 1;
	size_t i;
	int r;

	memset(&t, 0, sizeof(t));
	if (!(k = in_field(c, "k", 0)) || !(rnd = in_field(c, "rand", 16)) ||
	    !(sqn = in_field(c, "sqn", 6)) || !(amf = in_field(c, "amf", 2)))
		return;
	if ((it = vec_get(c->s, "keccak_iterations")) != NULL) {
		/* a hex integer, 1 to 4 octets (file header convention) */
		if (it->len < 1 || it->len > 4) {
			fmt_err(c, it->line,
				"field 'keccak_iterations' must be 1 "
				"to 4 octets");
			return;
		}
		for (iter = 0, i = 0; i < it->len; i++)
			iter = (iter << 8) | it->val[i];
		if (iter < 1 || iter > 65535) {
			fmt_err(c, it->line,
				"keccak_iterations %lu: the replay "
				"takes 1 to 65535",
				iter);
			return;
		}
	}
	{
		static const size_t k_ok[] = {16, 32, 0};
		static const size_t mac_ok[] = {8, 16, 32, 0};
		static const size_t res_ok[] = {4, 8, 16, 32, 0};

		if (!size_ok(c, "k", k_ok) || !size_ok(c, "f1", mac_ok) ||
		    !size_ok(c, "f1star", mac_ok) ||
		    !size_ok(c, "f2", res_ok) || !size_ok(c, "f3", k_ok) ||
		    !size_ok(c, "f4", k_ok))
			return;
	}
	/* sizes from the value lengths (vectors/tuak_ts35233.txt header) */
	inst.k_len = k->len;
	inst.iterations = (unsigned)iter;
	inst.mac_len = len_of(c->s, "f1", len_of(c->s, "f1star", 8));
	inst.res_len = len_of(c->s, "f2", 8);
	inst.ck_len = len_of(c->s, "f3", 16);
	inst.ik_len = len_of(c->s, "f4", 16);
	r = set_opc(c, k->val, "top", "topc", 32, tuak_topc, &inst, topc);
	if (r > 0)
		fmt_err(c, c->s->line,
			"not a TUAK instance (K of %zu octets, iterations %lu)",
			k->len, iter);
	if (r)
		return;
	if (gba_tuak(&inst, k->val, topc, rnd->val, sqn->val, amf->val,
		     GBA_TUAK_ALL, &t) != GBA_OK) {
		fmt_err(c, c->s->line,
			"output lengths are not a TUAK "
			"instance (or K %zu octets, iterations %lu)",
			k->len, iter);
		goto out;
	}
	check(c, "f1", t.mac_a, inst.mac_len);
	check(c, "f1star", t.mac_s, inst.mac_len);
	check(c, "f2", t.res, inst.res_len);
	check(c, "f3", t.ck, inst.ck_len);
	check(c, "f4", t.ik, inst.ik_len);
	check(c, "f5", t.ak, sizeof(t.ak));
	check(c, "f5star", t.ak_s, sizeof(t.ak_s));
out:
	gba_cleanse(topc, sizeof(topc));
	gba_cleanse(&t, sizeof(t));
}

static void run_keccak(struct vr_set *c)
{
	const struct vec_field *in;
	uint8_t st[GBA_KECCAK_STATE_LEN];

	if (!(in = in_field(c, "in", GBA_KECCAK_STATE_LEN)))
		return;
	memcpy(st, in->val, sizeof(st));
	gba_keccak_f1600(st);
	check(c, "out", st, sizeof(st));
}

static void run_kdf(struct vr_set *c)
{
	const struct vec_field *key, *fc, *f;
	const uint8_t *p[GBA_KDF_MAX_PARAMS];
	size_t plen[GBA_KDF_MAX_PARAMS], n;
	uint8_t out[GBA_KDF_OUT_LEN];
	uint16_t fcv;
	char name[8];

	if (!(key = in_field(c, "key", 0)) || !(fc = in_field(c, "fc", 0)))
		return;
	if (fc->len == 1 && fc->val[0] != 0xff) {
		fcv = fc->val[0];
	} else if (fc->len == 2 && fc->val[0] == 0xff) {
		fcv = (uint16_t)(0xff00 | fc->val[1]);
	} else {
		fmt_err(c, fc->line,
			"field 'fc': one octet 00..fe, or ff and "
			"one octet");
		return;
	}
	/* P0, P1, ... in order; a gap ends the list */
	for (n = 0; n < GBA_KDF_MAX_PARAMS; n++) {
		snprintf(name, sizeof(name), "p%zu", n);
		if (!(f = vec_get(c->s, name)))
			break;
		p[n] = f->val;
		plen[n] = f->len;
	}
	snprintf(name, sizeof(name), "p%zu", n);
	if (has(c->s, name)) {
		fmt_err(c, c->s->line, "more than %d parameters",
			GBA_KDF_MAX_PARAMS);
		return;
	}
	if (gba_kdf(key->val, key->len, fcv, n, p, plen, out) != GBA_OK) {
		fmt_err(c, c->s->line, "KDF failed");
		return;
	}
	check(c, "out", out, sizeof(out));
	gba_cleanse(out, sizeof(out));
}

static void run_naf(struct vr_set *c)
{
	const struct vec_field *ck, *ik, *rnd, *impi, *fqdn, *ua;
	uint8_t ks[GBA_KS_LEN], naf_id[GBA_NAF_ID_MAX], me[32], u[32];
	char fq[GBA_FQDN_MAX + 1];
	size_t nl;

	if (!(ck = in_field(c, "ck", 16)) || !(ik = in_field(c, "ik", 16)) ||
	    !(rnd = in_field(c, "rand", 16)) ||
	    !(impi = in_field(c, "impi", 0)) ||
	    !(fqdn = in_field(c, "naf_fqdn", 0)) ||
	    !(ua = in_field(c, "ua_id", GBA_UA_ID_LEN)))
		return;
	if (fqdn->len < 1 || fqdn->len > GBA_FQDN_MAX ||
	    memchr(fqdn->val, 0, fqdn->len)) {
		fmt_err(c, fqdn->line,
			"field 'naf_fqdn': 1 to %d octets, no NUL",
			GBA_FQDN_MAX);
		return;
	}
	memcpy(fq, fqdn->val, fqdn->len);
	fq[fqdn->len] = '\0';
	if (gba_naf_id(fq, ua->val, naf_id, &nl) != GBA_OK) {
		fmt_err(c, fqdn->line, "field 'naf_fqdn' is not a usable FQDN");
		return;
	}
	gba_ks_from_ck_ik(ck->val, ik->val, ks);
	if (gba_kdf_naf_key(ks, 0, rnd->val, impi->val, impi->len, naf_id, nl,
			    me) != GBA_OK ||
	    gba_kdf_naf_key(ks, 1, rnd->val, impi->val, impi->len, naf_id, nl,
			    u) != GBA_OK) {
		fmt_err(c, impi->line,
			"NAF key derivation rejected the set "
			"(IMPI of %zu octets, must be UTF-8 in NFKC)",
			impi->len);
		goto out;
	}
	check(c, "ks_naf", me, sizeof(me));
	check(c, "ks_int_naf", u, sizeof(u));
out:
	gba_cleanse(ks, sizeof(ks));
	gba_cleanse(me, sizeof(me));
	gba_cleanse(u, sizeof(u));
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static enum vr_kind name_hint(const char *path)
{
	const char *b = base_name(path);
	size_t i;

	for (i = 0; i < GBA_ARRAY_SIZE(vr_name_hint); i++)
		if (!strncmp(b, vr_name_hint[i].prefix,
			     strlen(vr_name_hint[i].prefix)))
			return vr_name_hint[i].kind;
	return VR_NONE;
}

/* Replay one file.  Return 0, or TOOL_EXIT_USAGE after a format error. */
static int run_file(struct vr_file *vf)
{
	static struct vec_set s;
	struct vec_reader rd;
	enum vr_kind hint = name_hint(vf->path), kind;
	struct vr_set c;
	int rc;

	memset(&c, 0, sizeof(c));
	if (vec_open(&rd, vf->path) != 0) {
		tool_err("vectors", "%s", rd.err);
		return TOOL_EXIT_USAGE;
	}
	while ((rc = vec_next(&rd, &s)) == 1) {
		memset(&c, 0, sizeof(c));
		c.file = vf;
		c.s = &s;
		kind = detect(&s);
		if (kind == VR_NONE) {
			fmt_err(&c, s.line,
				"fields match no known kind "
				"(milenage, tuak, keccak, kdf, gba-naf)");
		} else if (hint != VR_NONE && hint != kind) {
			fmt_err(&c, s.line,
				"fields are %s data, the file name "
				"says %s",
				vr_kind_name[kind], vr_kind_name[hint]);
		}
		if (c.fmt)
			break;
		switch (kind) {
		case VR_MILENAGE:
			run_milenage(&c);
			break;
		case VR_TUAK:
			run_tuak(&c);
			break;
		case VR_KECCAK:
			run_keccak(&c);
			break;
		case VR_KDF:
			run_kdf(&c);
			break;
		default:
			run_naf(&c);
			break;
		}
		if (!c.fmt && c.checked == 0)
			fmt_err(&c, s.line, "no output field to compare");
		if (c.fmt)
			break;
		if (vf->kind != VR_NONE && vf->kind != kind)
			vf->mixed = 1;
		vf->kind = kind;
		vf->sets++;
		if (c.bad)
			vf->failed++;
		else
			vf->passed++;
	}
	if (rc < 0)
		tool_err("vectors", "%s", rd.err);
	vec_close(&rd);
	if (rc < 0 || c.fmt)
		return TOOL_EXIT_USAGE;
	if (vf->sets == 0) {
		tool_err("vectors", "%s: no [set N] in the file", vf->path);
		return TOOL_EXIT_USAGE;
	}
	return 0;
}

static int add_file(const char *path, const char *name)
{
	struct vr_file *vf;

	if (vr_nfiles == VR_MAX_FILES) {
		tool_err("vectors", "more than %d files", VR_MAX_FILES);
		return TOOL_EXIT_USAGE;
	}
	vf = &vr_files[vr_nfiles];
	memset(vf, 0, sizeof(*vf));
	if ((size_t)snprintf(vf->path, sizeof(vf->path), "%s", path) >=
	    sizeof(vf->path)) {
		tool_err("vectors", "path too long");
		return TOOL_EXIT_USAGE;
	}
	vf->name = name;
	vr_nfiles++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every *.txt in @dir but CMakeLists.txt, in name order. */
static int add_dir(const char *dir)
{
	static char names[VR_MAX_FILES][256];
	const char *sorted[VR_MAX_FILES];
	char path[VR_PATH_MAX];
	struct dirent *de;
	size_t n = 0, i, l;
	DIR *d;
	int r;

	if (!(d = opendir(dir))) {
		tool_err("vectors", "%s: cannot open directory", dir);
		return TOOL_EXIT_USAGE;
	}
	while ((de = readdir(d)) != NULL) {
		l = strlen(de->d_name);
		if (l < 5 || l >= sizeof(names[0]) || de->d_name[0] == '.' ||
		    strcmp(de->d_name + l - 4, ".txt") != 0 ||
		    strcmp(de->d_name, "CMakeLists.txt") == 0)
			continue;
		if (n == VR_MAX_FILES) {
			closedir(d);
			tool_err("vectors", "%s: more than %d files", dir,
				 VR_MAX_FILES);
			return TOOL_EXIT_USAGE;
		}
		memcpy(names[n], de->d_name, l + 1);
		sorted[n] = names[n];
		n++;
	}
	closedir(d);
	if (n == 0) {
		tool_err("vectors", "%s: no *.txt files", dir);
		return TOOL_EXIT_USAGE;
	}
	qsort(sorted, n, sizeof(sorted[0]), cmp_str);
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
				     sorted[i]) >= sizeof(path)) {
			tool_err("vectors", "path too long");
			return TOOL_EXIT_USAGE;
		}
		if ((r = add_file(path, sorted[i])) != 0)
			return r;
	}
	return 0;
}

static void print_text(unsigned sets, unsigned passed, unsigned failed)
{
	size_t i;
	int w = 4;

	for (i = 0; i < vr_nfiles; i++)
		if ((int)strlen(vr_files[i].name) > w)
			w = (int)strlen(vr_files[i].name);
	printf("%-*s  %-8s  %5s  %6s  %6s\n", w, "file", "kind", "sets",
	       "passed", "failed");
	for (i = 0; i < vr_nfiles; i++) {
		const struct vr_file *f = &vr_files[i];

		printf("%-*s  %-8s  %5u  %6u  %6u\n", w, f->name,
		       f->mixed ? "mixed" : vr_kind_name[f->kind], f->sets,
		       f->passed, f->failed);
	}
	printf("%-*s  %-8s  %5u  %6u  %6u\n", w, "total", "", sets, passed,
	       failed);
	for (i = 0; i < vr_nfails; i++)
		printf("FAIL %s set %u field %s: expected %s got %s\n",
		       vr_fails[i].file, vr_fails[i].set, vr_fails[i].field,
		       vr_fails[i].exp, vr_fails[i].got);
	if (vr_fails_dropped)
		printf("(%u further failing sets not listed)\n",
		       vr_fails_dropped);
}

static void json_str(const char *s)
{
	out_json_string(s, strlen(s));
}

static void print_json(unsigned sets, unsigned passed, unsigned failed)
{
	size_t i;

	printf("{\"files\":[");
	for (i = 0; i < vr_nfiles; i++) {
		const struct vr_file *f = &vr_files[i];

		printf("%s{\"file\":", i ? "," : "");
		json_str(f->name);
		printf(",\"kind\":");
		json_str(f->mixed ? "mixed" : vr_kind_name[f->kind]);
		printf(",\"sets\":%u,\"passed\":%u,\"failed\":%u}", f->sets,
		       f->passed, f->failed);
	}
	printf("],\"failures\":[");
	for (i = 0; i < vr_nfails; i++) {
		printf("%s{\"file\":", i ? "," : "");
		json_str(vr_fails[i].file);
		printf(",\"set\":%u,\"field\":", vr_fails[i].set);
		json_str(vr_fails[i].field);
		printf(",\"expected\":\"%s\",\"got\":\"%s\"}", vr_fails[i].exp,
		       vr_fails[i].got);
	}
	printf("],\"failures_not_listed\":%u,\"sets\":%u,\"passed\":%u,"
	       "\"failed\":%u,\"ok\":%s}\n",
	       vr_fails_dropped, sets, passed, failed,
	       failed ? "false" : "true");
	fflush(stdout);
}

int cmd_vectors(int argc, char **argv)
{
	static const struct opt_spec spec[] = {
		{"dir", 0,
		 "DIR  directory of the default files (else "
		 "$GBA_VECTORS_DIR, else the source tree's vectors/)"},
	};
	const char *dir;
	unsigned sets = 0, passed = 0, failed = 0, i;
	struct stat sb;
	struct opts o;
	int r;

	r = opts_parse(&o, "vectors", "run [FILE...] [--dir DIR]", spec,
		       GBA_ARRAY_SIZE(spec), argc, argv);
	if (r)
		return r < 0 ? 0 : r;
	if (o.npos == 0 || strcmp(o.pos[0], "run") != 0) {
		tool_err("vectors",
			 "expected 'run' (usage: gbatool vectors run "
			 "[FILE...] [--dir DIR])");
		return TOOL_EXIT_USAGE;
	}
	vr_nfiles = 0;
	vr_nfails = vr_fails_dropped = 0;
	dir = opt_get(&o, "dir");
	if (!dir)
		dir = getenv("GBA_VECTORS_DIR");
	if (!dir || !*dir)
		dir = GBA_VECTORS_DIR;
	if (o.npos == 1) {
		if ((r = add_dir(dir)) != 0)
			return r;
	}
	for (i = 1; i < o.npos; i++) {
		static char alt[VR_MAX_FILES][VR_PATH_MAX];
		const char *p = o.pos[i];

		/* a bare name that is not here is looked up in the directory */
		if (stat(p, &sb) != 0 && !strchr(p, '/') && i <= VR_MAX_FILES) {
			snprintf(alt[i - 1], sizeof(alt[0]), "%s/%s", dir, p);
			if (stat(alt[i - 1], &sb) == 0)
				p = alt[i - 1];
		}
		if ((r = add_file(p, o.pos[i])) != 0)
			return r;
	}
	for (i = 0; i < vr_nfiles; i++) {
		if ((r = run_file(&vr_files[i])) != 0)
			return r;
		sets += vr_files[i].sets;
		passed += vr_files[i].passed;
		failed += vr_files[i].failed;
	}
	if (o.json)
		print_json(sets, passed, failed);
	else
		print_text(sets, passed, failed);
	return failed ? TOOL_EXIT_FAIL : 0;
}
