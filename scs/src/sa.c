/*
 * see scs/scs.h - the SCS's NAF SA: built from the GPI response
 * (TS 33.223 4.x, TS 24.109 A1.3 step 8) and kept in the SA file.
 *
 * SA file layout (PROJECT CHOICE; a private file of the SCS, no spec
 * defines it; docs/scs.md):
 *   "SCSA" | version 0x02 | TLV* ; TLV = tag (1) | length (2, BE) | value
 * Tags below 0x80 are understood or refused; tags 0x80..0xFF are skipped
 * (room for additions an older reader may ignore).  The binding element
 * (T_BIND, sa_bind.c) is the last one and covers every octet before it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gba/crypto.h"
#include "gba/cursor.h"
#include "gba/gpi.h"
#include "gba/utf8_nfkc.h"
#include "scs/scs.h"
#include "scs_i.h"

#define SA_MAGIC "SCSA"
/* 2: adds the generation (mandatory) and the binding (docs/scs.md);
 * version 1 files predate the binding and are refused (GBA_ERR_VERSION) */
#define SA_VERSION 2

enum sa_tag {
	T_UE_ID = 0x01,
	T_UE_ID_TYPE = 0x02,
	T_APP_LABEL = 0x03,
	T_FLAGS = 0x04, /* bit 0 GBA_U, bit 1 GBA_U aware */
	T_NAF_FQDN = 0x05,
	T_UA_ID = 0x06,
	T_P_TID = 0x07,
	T_LIFETIME = 0x08,
	T_RAND = 0x09,
	T_NAF_ID = 0x0A,
	T_KEY_EXPIRY = 0x0B,
	T_NAF_KEY = 0x0C,
	T_UICC_KEY = 0x0D,
	T_GPI = 0x0E,
	T_SESSION_ID = 0x0F,
	T_CREATED = 0x10,
	T_GPL_SA = 0x11,
	T_GEN = 0x12,  /* generation (use counter), 8 octets */
	T_BIND = 0x13, /* binding MAC, 32 octets, last element */
	T_MAX_ = 0x14
};
#define BIND_TLV_LEN (3 + 32)

/* Mandatory elements (every tag but the optional ones).  T_BIND is added
 * by scs_sa_save() only; a file without it loads unbound.  T_GPL_SA is
 * there exactly when the Ua security protocol id is GPL's
 * (scs_sa_gpl_check()). */
static int tag_optional(unsigned t)
{
	return t == T_UICC_KEY || t == T_BIND || t == T_GPL_SA;
}

/*
 * How each element is kept in struct scs_sa, for the encoder and the
 * decoder alike, in tag order (the order scs_sa_encode() writes).
 */
enum sa_kind {
	K_STR,	 /* char[size]: text without NUL, may be empty */
	K_STR1,	 /* the same, not empty */
	K_FIXED, /* uint8_t[size], exactly size octets */
	K_VAR,	 /* uint8_t[size], min..size octets, length at len_off */
	K_UINT,	 /* unsigned member of size octets, as many octets (BE) */
	K_OWN,	 /* coded by hand (type, flags, UICC key, binding) */
};

struct sa_elem {
	uint8_t tag, kind;
	uint8_t omit_empty; /* K_VAR: not written while empty */
	size_t min;	    /* K_VAR */
	size_t off, size, len_off;
};

#define SA_M(m) offsetof(struct scs_sa, m), sizeof(((struct scs_sa *)0)->m)
#define SA_E(tag, kind, m) {tag, kind, 0, 0, SA_M(m), 0}
#define SA_VAR(tag, min, m, omit)                                              \
	{tag, K_VAR, omit, min, SA_M(m), offsetof(struct scs_sa, m##_len)}
#define SA_OWN(tag) {tag, K_OWN, 0, 0, 0, 0, 0}

/* indexed by tag - 1 */
static const struct sa_elem sa_elems[] = {
	SA_E(T_UE_ID, K_STR1, ue_id),
	SA_OWN(T_UE_ID_TYPE),
	SA_E(T_APP_LABEL, K_STR, app_label),
	SA_OWN(T_FLAGS),
	SA_E(T_NAF_FQDN, K_STR1, naf_fqdn),
	SA_E(T_UA_ID, K_FIXED, ua_id),
	SA_E(T_P_TID, K_STR1, p_tid),
	SA_E(T_LIFETIME, K_UINT, lifetime_s),
	SA_E(T_RAND, K_FIXED, rand),
	SA_VAR(T_NAF_ID, GBA_UA_ID_LEN + 1, naf_id, 0),
	SA_E(T_KEY_EXPIRY, K_UINT, key_expiry),
	SA_E(T_NAF_KEY, K_FIXED, naf_key),
	SA_OWN(T_UICC_KEY),
	SA_VAR(T_GPI, 1, gpi, 0),
	SA_E(T_SESSION_ID, K_UINT, session_id),
	SA_E(T_CREATED, K_UINT, created),
	SA_VAR(T_GPL_SA, 1, gpl_sa, 1),
	SA_E(T_GEN, K_UINT, gen),
	SA_OWN(T_BIND),
};
_Static_assert(sizeof(sa_elems) / sizeof(sa_elems[0]) == T_MAX_ - 1,
	       "one sa_elems row per tag");

/* see scs/scs.h */
void scs_sa_clear(struct scs_sa *sa)
{
	if (sa)
		gba_cleanse(sa, sizeof(*sa));
}

static int copy_str(char *dst, size_t cap, const char *src)
{
	size_t n;

	if (!src) {
		dst[0] = '\0';
		return GBA_OK;
	}
	n = strnlen(src, cap);
	if (n >= cap)
		return GBA_ERR_TOO_LARGE;
	memcpy(dst, src, n + 1);
	return GBA_OK;
}

/* see scs/scs.h */
int scs_sa_from_gpi(const struct scs_gpi_req *req, uint32_t lifetime_s,
		    const struct scs_gpi_resp *resp, uint64_t now,
		    struct scs_sa *sa)
{
	struct gba_gpi_info gi;
	uint8_t naf_id[GBA_NAF_ID_MAX];
	char canon[GBA_FQDN_MAX + 1];
	char fqdn[GBA_FQDN_MAX + 1];
	size_t naf_id_len = 0;
	uint8_t sid[2];
	int r;

	memset(sa, 0, sizeof(*sa));
	memset(&gi, 0, sizeof(gi));
	if (!req || !resp)
		return GBA_ERR_BAD_PARAM;
	if ((r = scs_req_check(req)) != GBA_OK)
		goto out;
	/* NAF_Id: the FQDN as scs_req_json() sent it and the BSF used it
	 * (lower-cased, docs/scs.md), as NFKC, then UTF-8 (TS 33.220 B.2.1) */
	scs_naf_fqdn_canon(req->naf_fqdn, canon);
	if ((r = gba_utf8_nfkc_str(canon, fqdn, sizeof(fqdn))) != GBA_OK ||
	    (r = gba_naf_id(fqdn, req->ua_id, naf_id, &naf_id_len)) !=
		    GBA_OK ||
	    (r = gba_gpi_decode(resp->gpi, resp->gpi_len, &gi)) != GBA_OK)
		goto out;
	/*
	 * The GPI must answer this request: a GPI for another NAF_Id or the
	 * other GBA mode would give the UE a key the SCS does not hold.
	 */
	if (gi.naf_id_len != naf_id_len ||
	    memcmp(gi.naf_id, naf_id, naf_id_len) != 0 ||
	    !gi.gba_u != !req->gba_u) {
		r = GBA_ERR_INCONSISTENT;
		goto out;
	}
	/*
	 * Expiry: the earlier of the GPI's lifetime and keyExpiryTime; if
	 * the BSF gave neither, the lifetime this SCS asked for.
	 */
	sa->key_expiry = gi.key_expiry;
	if (resp->has_key_expiry &&
	    (sa->key_expiry == 0 || resp->key_expiry < sa->key_expiry))
		sa->key_expiry = resp->key_expiry;
	if (sa->key_expiry == 0)
		sa->key_expiry = req->requested_expiry;
	if (sa->key_expiry != 0 && sa->key_expiry <= now) {
		r = GBA_ERR_EXPIRED;
		goto out;
	}
	if ((r = gba_random(sid, sizeof(sid))) != GBA_OK)
		goto out;
	if ((r = copy_str(sa->ue_id, sizeof(sa->ue_id), req->ue_id)) ||
	    (r = copy_str(sa->app_label, sizeof(sa->app_label),
			  req->uicc_app_label)) ||
	    (r = copy_str(sa->naf_fqdn, sizeof(sa->naf_fqdn), fqdn)) ||
	    (r = copy_str(sa->p_tid, sizeof(sa->p_tid), req->p_tid)))
		goto out;
	sa->ue_id_type = (uint8_t)req->ue_id_type;
	sa->gba_u = req->gba_u ? 1 : 0;
	sa->gba_u_aware = req->gba_u_aware ? 1 : 0;
	memcpy(sa->ua_id, req->ua_id, GBA_UA_ID_LEN);
	sa->lifetime_s = lifetime_s;
	memcpy(sa->rand, gi.rand, GBA_RAND_LEN);
	memcpy(sa->naf_id, naf_id, naf_id_len);
	sa->naf_id_len = naf_id_len;
	memcpy(sa->naf_key, resp->me_key, SCS_KEY_LEN);
	if (resp->has_uicc_key) {
		sa->has_uicc_key = 1;
		memcpy(sa->uicc_key, resp->uicc_key, SCS_KEY_LEN);
	}
	memcpy(sa->gpi, resp->gpi, resp->gpi_len);
	sa->gpi_len = resp->gpi_len;
	/* project choice: a fresh random session id per GPI (J.2.2 only
	 * asks that it differ between sessions to one recipient) */
	sa->session_id = gba_get_be16(sid);
	sa->created = now;
	r = scs_sa_gpl_init(sa);
	/* a fresh GPI: fresh keys, SN_c = 0, free to protect and be saved */
	sa->bound = r == GBA_OK;
out:
	gba_cleanse(&gi, sizeof(gi));
	if (r)
		scs_sa_clear(sa);
	return r;
}

/* see scs/scs.h */
void scs_sa_request(const struct scs_sa *sa, uint64_t now,
		    struct scs_gpi_req *req)
{
	memset(req, 0, sizeof(*req));
	req->ue_id = sa->ue_id;
	req->ue_id_type = sa->ue_id_type == SCS_UE_ID_PRIVATE
				  ? SCS_UE_ID_PRIVATE
				  : SCS_UE_ID_PUBLIC;
	req->uicc_app_label = sa->app_label;
	req->gba_u = sa->gba_u;
	req->gba_u_aware = sa->gba_u_aware;
	req->naf_fqdn = sa->naf_fqdn;
	memcpy(req->ua_id, sa->ua_id, GBA_UA_ID_LEN);
	req->p_tid = sa->p_tid;
	req->requested_expiry = now + sa->lifetime_s;
}

/* ---- file codec ---- */

static void put_tlv(struct gba_wcur *w, uint8_t tag, const void *v, size_t n)
{
	if (n > 0xFFFF) {
		gba_wcur_fail(w, GBA_ERR_TOO_LARGE);
		return;
	}
	(void)(gba_wcur_u8(w, tag) || gba_wcur_be16(w, (uint16_t)n) ||
	       gba_wcur_bytes(w, v, n));
}

static void put_u(struct gba_wcur *w, uint8_t tag, uint64_t v, size_t n)
{
	uint8_t b[8];

	gba_put_be64(b, v);
	put_tlv(w, tag, b + 8 - n, n);
}

/* K_UINT members: uint16_t, uint32_t or uint64_t by @size */
static uint64_t load_u(const uint8_t *m, size_t size)
{
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	if (size == 2) {
		memcpy(&u16, m, 2);
		return u16;
	}
	if (size == 4) {
		memcpy(&u32, m, 4);
		return u32;
	}
	memcpy(&u64, m, 8);
	return u64;
}

static void store_u(uint8_t *m, size_t size, uint64_t v)
{
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;

	if (size == 2)
		memcpy(m, &u16, 2);
	else if (size == 4)
		memcpy(m, &u32, 4);
	else
		memcpy(m, &v, 8);
}

/* see scs/scs.h */
int scs_sa_encode(const struct scs_sa *sa, uint8_t *out, size_t cap,
		  size_t *out_len)
{
	struct gba_wcur w;
	uint8_t flags =
		(uint8_t)((sa->gba_u ? 1 : 0) | (sa->gba_u_aware ? 2 : 0));
	size_t i;

	*out_len = 0;
	gba_wcur_init(&w, out, cap);
	(void)(gba_wcur_bytes(&w, SA_MAGIC, 4) || gba_wcur_u8(&w, SA_VERSION));
	for (i = 0; i < GBA_ARRAY_SIZE(sa_elems); i++) {
		const struct sa_elem *e = &sa_elems[i];
		const uint8_t *m = (const uint8_t *)sa + e->off;
		size_t len;

		switch (e->kind) {
		case K_STR:
		case K_STR1:
			put_tlv(&w, e->tag, m, strnlen((const char *)m, e->size));
			break;
		case K_FIXED:
			put_tlv(&w, e->tag, m, e->size);
			break;
		case K_VAR:
			memcpy(&len, (const uint8_t *)sa + e->len_off,
			       sizeof(len));
			if (len || !e->omit_empty)
				put_tlv(&w, e->tag, m, len);
			break;
		case K_UINT:
			put_u(&w, e->tag, load_u(m, e->size), e->size);
			break;
		default: /* K_OWN */
			if (e->tag == T_UE_ID_TYPE)
				put_u(&w, e->tag, sa->ue_id_type, 1);
			else if (e->tag == T_FLAGS)
				put_u(&w, e->tag, flags, 1);
			else if (e->tag == T_UICC_KEY && sa->has_uicc_key)
				put_tlv(&w, e->tag, sa->uicc_key, SCS_KEY_LEN);
			break; /* T_BIND: scs_sa_save() */
		}
	}
	if (w.err) {
		if (out && cap)
			gba_cleanse(out, cap);
		return w.err;
	}
	*out_len = w.len;
	return GBA_OK;
}

static uint64_t get_u(const uint8_t *v, size_t n)
{
	uint64_t x = 0;
	size_t i;

	for (i = 0; i < n; i++)
		x = x << 8 | v[i];
	return x;
}

/* A text element: no NUL inside, fits with its terminator. */
static int get_str(char *dst, size_t cap, const uint8_t *v, size_t n,
		   int nonempty)
{
	if (n >= cap)
		return GBA_ERR_TOO_LARGE;
	if ((nonempty && n == 0) || memchr(v, 0, n))
		return GBA_ERR_MALFORMED;
	memcpy(dst, v, n);
	dst[n] = '\0';
	return GBA_OK;
}

static int exact(size_t n, size_t want)
{
	return n == want ? GBA_OK : GBA_ERR_MALFORMED;
}

/* the K_OWN elements; @last: nothing follows, @at: the element's offset */
static int own_elem(struct scs_sa *sa, uint8_t tag, const uint8_t *v,
		    size_t n, int last, size_t at, size_t *bind_off)
{
	int r = GBA_OK;

	switch (tag) {
	case T_UE_ID_TYPE:
		r = exact(n, 1);
		if (!r && v[0] > SCS_UE_ID_PRIVATE)
			r = GBA_ERR_MALFORMED;
		if (!r)
			sa->ue_id_type = v[0];
		break;
	case T_FLAGS:
		r = exact(n, 1);
		if (!r && (v[0] & ~3u))
			r = GBA_ERR_MALFORMED;
		if (!r) {
			sa->gba_u = v[0] & 1;
			sa->gba_u_aware = (v[0] >> 1) & 1;
		}
		break;
	case T_UICC_KEY:
		if (!(r = exact(n, SCS_KEY_LEN))) {
			memcpy(sa->uicc_key, v, n);
			sa->has_uicc_key = 1;
		}
		break;
	case T_BIND:
		/* checked by scs_sa_load(); must close the file */
		if (n != 32 || !last)
			r = GBA_ERR_MALFORMED;
		else
			*bind_off = at;
		break;
	}
	return r;
}

/* scs_sa_decode(); *@bind_off: offset of the T_BIND element, 0: none */
static int sa_decode(const uint8_t *buf, size_t len, struct scs_sa *sa,
		     size_t *bind_off)
{
	const struct sa_elem *e;
	struct gba_cur c;
	const uint8_t *magic, *v;
	uint8_t *m;
	size_t vlen;
	uint32_t seen = 0;
	uint8_t ver, tag;
	uint16_t n;
	unsigned t;
	int r;

	*bind_off = 0;
	memset(sa, 0, sizeof(*sa));
	if (!buf)
		return GBA_ERR_BAD_PARAM;
	if (len > SCS_SA_FILE_MAX)
		return GBA_ERR_TOO_LARGE;
	gba_cur_init(&c, buf, len);
	if ((r = gba_cur_bytes(&c, 4, &magic)) || (r = gba_cur_u8(&c, &ver)))
		goto out;
	if (memcmp(magic, SA_MAGIC, 4) != 0) {
		r = GBA_ERR_MALFORMED;
		goto out;
	}
	if (ver != SA_VERSION) {
		r = GBA_ERR_VERSION;
		goto out;
	}
	while (c.left) {
		size_t at = len - c.left;

		if ((r = gba_cur_u8(&c, &tag)) || (r = gba_cur_be16(&c, &n)) ||
		    (r = gba_cur_bytes(&c, n, &v)))
			goto out;
		if (tag >= 0x80)
			continue; /* ignorable extension */
		if (tag == 0 || tag >= T_MAX_ || (seen & (1u << tag))) {
			r = GBA_ERR_MALFORMED; /* unknown or duplicate */
			goto out;
		}
		seen |= 1u << tag;
		e = &sa_elems[tag - 1];
		m = (uint8_t *)sa + e->off;
		switch (e->kind) {
		case K_STR:
		case K_STR1:
			r = get_str((char *)m, e->size, v, n, e->kind == K_STR1);
			break;
		case K_FIXED:
			if (!(r = exact(n, e->size)))
				memcpy(m, v, n);
			break;
		case K_VAR:
			if (n < e->min || n > e->size) {
				r = GBA_ERR_MALFORMED;
				break;
			}
			memcpy(m, v, n);
			vlen = n;
			memcpy((uint8_t *)sa + e->len_off, &vlen, sizeof(vlen));
			break;
		case K_UINT:
			if (!(r = exact(n, e->size)))
				store_u(m, e->size, get_u(v, n));
			break;
		default:
			r = own_elem(sa, tag, v, n, c.left == 0, at, bind_off);
			break;
		}
		if (r)
			goto out;
	}
	for (t = 1; t < T_MAX_; t++)
		if (!tag_optional(t) && !(seen & (1u << t))) {
			r = GBA_ERR_MALFORMED; /* mandatory element missing */
			goto out;
		}
	r = scs_sa_gpl_check(sa);
out:
	if (r) {
		scs_sa_clear(sa);
		*bind_off = 0;
	}
	return r;
}

/* see scs/scs.h */
int scs_sa_decode(const uint8_t *buf, size_t len, struct scs_sa *sa)
{
	size_t bind_off;

	return sa_decode(buf, len, sa, &bind_off);
}

/* ---- files ---- */

/* see scs/scs.h */
int scs_sa_save(const char *path, const struct scs_host *host,
		const struct scs_sa *sa)
{
	struct scs_sa tmp_sa; /* a copy with the new generation; wiped */
	uint8_t buf[SCS_SA_FILE_MAX];
	uint8_t mac[32];
	char tmp[PATH_MAX], canon[PATH_MAX];
	struct stat st;
	size_t len = 0;
	uint64_t gen;
	int fd = -1, r;

	if (!path || !host || !sa)
		return GBA_ERR_BAD_PARAM;
	/* a copied or restored SA is never re-bound (docs/scs.md) */
	if (!sa->bound)
		return GBA_ERR_SA_UNBOUND;
	if ((r = scs_bind_canon(path, canon, sizeof(canon))) != GBA_OK ||
	    (r = scs_bind_marker_get(host, canon, &gen)) != GBA_OK)
		return r;
	if (gen == UINT64_MAX)
		return GBA_ERR_SQN_EXHAUSTED;
	gen++;
	/*
	 * 1. the marker first, fsynced: from now on only a file of this
	 * generation is accepted here.  A crash before step 2 leaves the
	 * older file, which then loads unbound (fail-safe: a new GPI).
	 */
	if ((r = scs_bind_marker_put(host, canon, gen)) != GBA_OK)
		return r;
	tmp_sa = *sa;
	tmp_sa.gen = gen;
	r = GBA_ERR_IO;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >=
	    sizeof(tmp))
		goto out;
	/* 2. the file: mkstemp creates it with mode 0600; rename keeps the
	 * inode, so the binding can name it before the content is written */
	if ((fd = mkstemp(tmp)) < 0)
		goto out;
	if (fchmod(fd, S_IRUSR | S_IWUSR) != 0 || fstat(fd, &st) != 0)
		goto out_unlink;
	if ((r = scs_sa_encode(&tmp_sa, buf, sizeof(buf) - BIND_TLV_LEN,
			       &len)) != GBA_OK ||
	    (r = scs_bind_mac(host, canon, (uint64_t)st.st_dev,
			      (uint64_t)st.st_ino, gen, buf, len, mac)) !=
		    GBA_OK)
		goto out_unlink;
	buf[len] = T_BIND;
	buf[len + 1] = 0;
	buf[len + 2] = 32;
	memcpy(buf + len + 3, mac, 32);
	len += BIND_TLV_LEN;
	if ((r = scs_write_all(fd, buf, len)) != GBA_OK)
		goto out_unlink;
	r = GBA_ERR_IO;
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		goto out_unlink;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto out_unlink;
	/* make the rename durable: fsync the directory (best effort) */
	scs_fsync_dir(path);
	r = GBA_OK;
	goto out;
out_unlink:
	if (fd >= 0)
		close(fd);
	fd = -1;
	unlink(tmp);
out:
	if (fd >= 0)
		close(fd);
	gba_cleanse(buf, sizeof(buf));
	gba_cleanse(mac, sizeof(mac));
	scs_sa_clear(&tmp_sa);
	return r;
}

/* see scs/scs.h */
int scs_sa_load(const char *path, const struct scs_host *host,
		struct scs_sa *sa)
{
	uint8_t buf[SCS_SA_FILE_MAX + 1];
	uint8_t mac[32];
	char canon[PATH_MAX];
	struct stat st;
	size_t len = 0, bind_off = 0;
	uint64_t marker = 0;
	int fd, r;

	memset(sa, 0, sizeof(*sa));
	if (!path)
		return GBA_ERR_BAD_PARAM;
	if ((r = scs_open_private(path, &fd, &st)) != GBA_OK)
		return r;
	for (;;) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = GBA_ERR_IO;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == sizeof(buf)) {
			r = GBA_ERR_TOO_LARGE;
			goto out;
		}
	}
	if ((r = sa_decode(buf, len, sa, &bind_off)) != GBA_OK)
		goto out;
	/*
	 * The binding: this host's secret, this very file (device, inode,
	 * canonical path), its generation, its content; and the generation
	 * must be the last one this host wrote at this path.
	 */
	sa->bound = 0;
	if (!host || !bind_off)
		goto out; /* unchecked, or encoded without scs_sa_save() */
	if ((r = scs_bind_canon(path, canon, sizeof(canon))) != GBA_OK ||
	    (r = scs_bind_marker_get(host, canon, &marker)) != GBA_OK ||
	    (r = scs_bind_mac(host, canon, (uint64_t)st.st_dev,
			      (uint64_t)st.st_ino, sa->gen, buf, bind_off,
			      mac)) != GBA_OK) {
		scs_sa_clear(sa);
		goto out;
	}
	sa->bound = gba_ct_eq(mac, buf + bind_off + 3, 32) &&
		    marker == sa->gen;
out:
	close(fd);
	gba_cleanse(buf, sizeof(buf));
	gba_cleanse(mac, sizeof(mac));
	return r;
}

/* see scs/scs.h */
int scs_sa_lock(const char *path, int *fd)
{
	char lk[4096];

	*fd = -1;
	if (!path ||
	    (size_t)snprintf(lk, sizeof(lk), "%s.lock", path) >= sizeof(lk))
		return GBA_ERR_BAD_PARAM;
	*fd = open(lk, O_RDWR | O_CREAT | O_CLOEXEC, S_IRUSR | S_IWUSR);
	if (*fd < 0)
		return GBA_ERR_IO;
	while (flock(*fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			close(*fd);
			*fd = -1;
			return GBA_ERR_IO;
		}
	}
	return GBA_OK;
}

/* see scs/scs.h */
void scs_sa_unlock(int fd)
{
	if (fd >= 0) {
		(void)flock(fd, LOCK_UN);
		close(fd);
	}
}
