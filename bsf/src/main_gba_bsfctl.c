/*
 * gba-bsfctl - operator tool for the gba-bsf subscriber store (store.h).
 *
 * This file: the usage text, the options and the dispatch; the commands
 * are in bsfctl_*.c (printing only: the logic is in the bsf library).
 * Usage and CSV format: `gba-bsfctl --help`, docs/hss-store.md.
 * Exit status: 0 success, 1 failure (any CSV line rejected included),
 * 2 usage error.  K and OPc are printed only with --show-secrets.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gba/text.h"
#include "bsfctl.h"
#include "store_loc.h"

static const char usage_text[] =
	"Usage: gba-bsfctl [--db PATH|URI] [--show-secrets] COMMAND [ARGS]\n"
	"\n"
	"Administer the gba-bsf subscriber store: a SQLite file (WAL mode) or\n"
	"a PostgreSQL database (docs/deployment.md).\n"
	"\n"
	"Global options (accepted anywhere on the line):\n"
	"  --db PATH|URI    the store: a SQLite file, or a postgresql:// URI\n"
	"                   (no password in it: PGPASSFILE or ~/.pgpass;\n"
	"                   docs/operations.md); default: $GBA_BSF_DB, else\n"
	"                   " BSF_STORE_DEFAULT_PATH ", the gba-bsf default\n"
	"  --show-secrets   print K and OPc/TOPc (show, export)\n"
	"  --json           one JSON object (show, restore, skip-ahead) or\n"
	"                   array (list) instead of name=value lines / the\n"
	"                   TSV table\n"
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
	"  copy --from SQLITE_PATH --to URI [--force]\n"
	"      move a store (Push-NAFs, subscribers with keys and SQN\n"
	"      state, associations) into a PostgreSQL store (URI\n"
	"      postgresql://...) in one transaction; gba-bsf stopped on\n"
	"      the source; a target that holds rows is refused unless\n"
	"      --force; every SQN the source may have issued stays below\n"
	"      the target's first (docs/operations.md)\n"
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
	"(';'-separated), tuak_iterations, tuak_mac_bits, tuak_res_bits,\n"
	"tuak_ck_bits, tuak_ik_bits (bits, as the options; tuak\n"
	"ITER:RES:CK:IK in octets: the older column, still read), naf\n"
	"(';'-separated Push-NAF names), guss.\n"
	"Exit status: 0 ok, 1 failure, 2 usage error.\n";

/* ------------------------------------------------------------------ */
/* Options */


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
	OV("--from", from),
	OV("--to", to),
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

/* a store location option: a SQLite file or a postgresql:// URI, never a
 * libpq keyword=value string (taken as a file name it would create a
 * SQLite store named after it, password included) */
static int loc_ok(const char *opt, const char *loc)
{
	if (bsf_store_loc_conninfo(loc))
		return usage_err("%s %s: " BSF_STORE_LOC_CONNINFO_MSG, opt,
				 BSF_STORE_LOC(loc));
	return 0;
}

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
	if ((i = loc_ok("--db", o->db)) != 0 ||
	    (i = loc_ok("--from", o->from)) != 0)
		return i;
	return loc_ok("--to", o->to);
}


/*
 * --tuak-iterations N --tuak-mac-bits 64 --tuak-res-bits R --tuak-ck-bits
 * C --tuak-ik-bits I (the one spelling of every tool, sizes in bits) into
 * o->tuak as ITER:RES:CK:IK octets (the older --tuak form, kept).  MAC
 * is 64 bits for AKA (TS 35.231 Table 1 / TS 33.102): only 64 is taken.
 */
static int tuak_bits(struct opts *o)
{
	const char *v[BSF_PROV_TUAK_N] = {o->tuak_it, o->tuak_mac, o->tuak_res,
					  o->tuak_ck, o->tuak_ik};
	static const char *const nm[BSF_PROV_TUAK_N] = {
		"iterations", "mac-bits", "res-bits", "ck-bits", "ik-bits"};
	int bad;

	if (!v[0] && !v[1] && !v[2] && !v[3] && !v[4])
		return 0;
	if (o->tuak)
		return usage_err("--tuak and --tuak-* together");
	if ((bad = bsf_prov_tuak_bits(v, o->tuak_buf, sizeof(o->tuak_buf)))) {
		if (bad == 2)
			return usage_err("--tuak-mac-bits: 64 (the AKA MAC)");
		return usage_err("--tuak-%s: a decimal%s", nm[bad - 1],
				 bad > 1 ? " number of bits, a multiple of 8"
					 : " count");
	}
	o->tuak = o->tuak_buf;
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
	if (strcmp(cmd, "copy") == 0)
		return cmd_copy(&o);
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
