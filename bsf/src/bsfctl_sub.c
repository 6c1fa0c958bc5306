/* gba-bsfctl init and subscriber add|list|show|modify|remove (bsfctl.h) */
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
		return err_msg("%s: path too long", BSF_STORE_LOC(db));
	memcpy(dir, db, n);
	dir[n] = '\0';
	if (stat(dir, &sb) == 0)
		return S_ISDIR(sb.st_mode)
			       ? 0
			       : err_msg("%s: not a directory",
					 BSF_STORE_LOC(dir));
	if (mkdir(dir, 0700) == 0) {
		printf("created directory %s (mode 0700)\n",
		       BSF_STORE_LOC(dir));
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
			       p ? BSF_STORE_LOC(dir) : ".");
	}
	return err_msg("cannot create directory %s: %s", BSF_STORE_LOC(dir),
		       strerror(errno));
}

int cmd_init(const struct opts *o)
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
	printf("store %s ready (schema version %d)\n", BSF_STORE_LOC(o->db), v);
	return 0;
}


int cmd_sub_add(struct opts *o)
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
	wipe_key_args(o);
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

int cmd_sub_list(const struct opts *o)
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

/* bsf_store_assoc_list_sub() callback: one name of the JSON array nafs */
static int naf_json(void *arg, const char *name)
{
	em_item(arg, "nafs", name);
	return 0;
}

int cmd_sub_show(const struct opts *o)
{
	struct bsf_store *st;
	struct bsf_gba_params p;
	struct bsf_sub s;
	struct bsf_semilist nafs;
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
	if (em.json) {
		/* a JSON array, like impu and label */
		r = bsf_store_assoc_list_sub(st, id, naf_json, &em);
		if (em.arr == NULL || strcmp(em.arr, "nafs") != 0)
			em_empty(&em, "nafs");
	} else {
		bsf_semilist_reset(&nafs);
		r = bsf_store_assoc_list_sub(st, id, bsf_semilist_add, &nafs);
		em_str(&em, "nafs", gba_dynbuf_len(&nafs.d) ? nafs.b : "-");
	}
	em_end(&em);
	bsf_gba_params_clear(&p);
	bsf_sub_clear(&s);
	bsf_store_close(st);
	return r == GBA_OK ? 0 : 1;
}

int cmd_sub_remove(const struct opts *o)
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


int cmd_sub_modify(struct opts *o)
{
	struct bsf_store *st = NULL;
	struct bsf_sub s, nk;
	struct bsf_prov_in in;
	struct bsf_prov_mod m;
	const char *field, *why;
	char *guss = NULL;
	size_t guss_len = 0;
	uint8_t amf[2];
	uint64_t sqn = 0;
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
	if (o->amf && gba_hex_decode_exact(o->amf, amf, 2))
		return usage_err("--amf: must be 4 hex digits");
	if (o->sqn && gba_uint_parse(o->sqn, (UINT64_C(1) << 48) - 1, 0, &sqn))
		return usage_err("--sqn: must be a decimal 0 .. 2^48-1");
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
	memset(&m, 0, sizeof(m));
	m.key = o->k ? &nk.key : NULL;
	m.imsi = o->imsi;
	m.amf = o->amf ? amf : NULL;
	m.sqn = o->sqn ? &sqn : NULL;
	m.gba_u = o->gba_u;
	m.impu_v = o->impu;
	m.n_impu_v = o->n_impu;
	m.label_v = o->label;
	m.n_label_v = o->n_label;
	if (bsf_prov_modify(&s, &m, &field)) {
		rc = usage_err("--%s: too many or too long", field);
		goto out;
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
	wipe_key_args(o);
	bsf_sub_clear(&s);
	bsf_sub_clear(&nk);
	free(guss);
	bsf_store_close(st);
	return rc;
}

