/*
 * bsfctl.h - what the files of the gba-bsfctl program share (not the
 * bsf library): the parsed command line, the messages and exit status
 * conventions (0 ok, 1 failure, 2 usage error), the name=value / JSON
 * emitter, the progress bar, and the commands.  main_gba_bsfctl.c parses
 * and dispatches; bsfctl_out.c prints; bsfctl_sub.c (init, subscriber),
 * bsfctl_naf.c (naf, assoc) and bsfctl_data.c (import, export, gen, copy,
 * backup, restore) run the commands on the library (store.h, prov.h,
 * import.h, export.h, gen.h, copy.h, prov_admin.h).
 */
#ifndef BSFCTL_H
#define BSFCTL_H

#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "copy.h"
#include "export.h"
#include "gen.h"
#include "hss.h"
#include "import.h"
#include "prov.h"
#include "prov_admin.h"
#include "store.h"

#define OPT_MULTI_MAX 64

struct opts {
	const char *db;
	int show_secrets;
	const char *pos[4];
	size_t n_pos;
	/* command options */
	const char *impi, *imsi, *alg, *k, *opc, *op, *amf, *sqn, *guss;
	const char *tuak, *name, *cert_id, *rate, *out, *count, *prefix;
	const char *start, *realm, *seed, *on_conflict, *config, *ue_rate;
	const char *ue_burst, *restarts, *margin, *since, *from, *to;
	const char *nodes;
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

/* "gba-bsfctl: " + the message + @tail on stderr; return @rc */
__attribute__((format(printf, 3, 4))) int bsfctl_msg(int rc, const char *tail,
						     const char *fmt, ...);
/* Messages on stderr, "gba-bsfctl: ..."; return 1 (err_msg) or 2
 * (usage_err, " (try --help)" appended). */
#define err_msg(...) bsfctl_msg(1, "\n", __VA_ARGS__)
#define usage_err(...) bsfctl_msg(2, " (try --help)\n", __VA_ARGS__)
/* wipe the key text (--k, --opc, --op) in argv once it is decoded */
void wipe_key_args(const struct opts *o);
/* a whole file of at most @max octets, NUL-terminated: 0, -1 cannot
 * read, -2 too large */
int read_file(const char *path, size_t max, char **buf, size_t *len);
/* the store of --db; 0, or 1 with the message printed */
int open_store(const struct opts *o, unsigned flags, struct bsf_store **st);
/* an IMPI or IMPU; 0, or 1 with the message printed */
int resolve_any(struct bsf_store *st, const char *id, int64_t *sub);

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

void em_begin(struct em *e);
void em_end_arr(struct em *e);
void em_key(struct em *e, const char *k);
void em_str(struct em *e, const char *k, const char *v);
void em_int(struct em *e, const char *k, long long v);
void em_item(struct em *e, const char *k, const char *v);
void em_empty(struct em *e, const char *k);
void em_end(struct em *e);
void print_hex(const uint8_t *b, size_t n);

/* JSON lists: the separator before each record */
struct list_ctx {
	struct em em;
	unsigned long n;
};

void list_sep(struct list_ctx *l);

struct progress {
	int tty;
	long total;
	int dirty; /* a bar is on the current terminal line */
};

const char *progress_break(struct progress *p);
double now_s(void);
void progress_show(struct progress *p, const char *what, unsigned long done,
		   unsigned long errs, long pos, int final);

/* the commands: the exit status */
int cmd_init(const struct opts *o);
int cmd_sub_add(struct opts *o);
int cmd_sub_list(const struct opts *o);
int cmd_sub_show(const struct opts *o);
int cmd_sub_remove(const struct opts *o);
int cmd_sub_modify(struct opts *o);
int cmd_naf_add(const struct opts *o);
int cmd_naf_rest(const struct opts *o, const char *sub);
int cmd_naf_modify(const struct opts *o);
int cmd_assoc(const struct opts *o, const char *sub);
int cmd_assoc_import(const struct opts *o);
int cmd_import(const struct opts *o);
int cmd_export(const struct opts *o);
int cmd_gen(const struct opts *o);
int cmd_copy(const struct opts *o);
int cmd_backup(const struct opts *o);
int cmd_restore(const struct opts *o, int skip);

#endif
