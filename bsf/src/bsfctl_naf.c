/* gba-bsfctl naf add|list|show|modify|remove and assoc (bsfctl.h) */
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

int cmd_naf_add(const struct opts *o)
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
	if (bsf_prov_copy_str(n->name, sizeof(n->name), o->name) ||
	    bsf_prov_copy_str(n->cert_id, sizeof(n->cert_id), o->cert_id)) {
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

int cmd_naf_rest(const struct opts *o, const char *sub)
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


int cmd_naf_modify(const struct opts *o)
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

static int assoc_print_cb(void *arg, const char *naf, const char *impi)
{
	struct list_ctx *l = arg;

	if (!l->em.json) {
		printf("%s\t%s\n", naf, impi);
		return 0;
	}
	list_sep(l);
	fputs("{\"naf\":", stdout);
	gba_json_str(stdout, naf);
	fputs(",\"impi\":", stdout);
	gba_json_str(stdout, impi);
	putchar('}');
	return 0;
}

int cmd_assoc(const struct opts *o, const char *sub)
{
	struct bsf_store *st;
	int64_t naf = 0, id = 0;
	int r;

	if (strcmp(sub, "list") == 0) {
		if (open_store(o, 0, &st))
			return 1;
		r = GBA_OK;
		if (o->n_naf == 1)
			r = bsf_naf_id_by_name(st, o->naf[0], &naf);
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
	if ((r = bsf_naf_id_by_name(st, o->pos[2], &naf)) != 0) {
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

