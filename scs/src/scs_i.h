/*
 * scs_i.h - internal helpers of the SCS client library (not installed).
 */
#ifndef SCS_I_H
#define SCS_I_H

#include <stddef.h>
#include "gba/kdf.h"
#include "gpl/gpl.h"
#include "scs/scs.h"

/* Copy peer text into dst: printable ASCII kept, others become '?'. */
void scs_sanitize(char *dst, size_t cap, const char *src, size_t n);

/* Fill e (NULL-safe) with a status and a formatted one-line message. */
void scs_err_set(struct scs_error *e, long status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The GPL part of the SA (sa_gpl.c): create the GPL SA in sa->gpl_sa from
 * the NAF key, NAF_Id, RAND, P-TID and expiry already in @sa; and check a
 * decoded SA's GPL SA against those fields.  An SA whose Ua security
 * protocol id is not GPL's has no GPL SA (its Ks_NAF is another
 * protocol's key): init leaves none, check refuses one.
 */
int scs_sa_gpl_init(struct scs_sa *sa);
int scs_sa_gpl_check(const struct scs_sa *sa);

struct gpl_sa;
/* Decode the GPL SA of @sa and check it names @sa's key, RAND, NAF_Id,
 * P-TID and expiry.  GBA_ERR_STATE when there is none. */
int scs_sa_gpl_get(const struct scs_sa *sa, struct gpl_sa *g);

/*
 * SA file binding (sa_bind.c, docs/scs.md): canonical path = realpath of
 * the directory + "/" + the file name; the per-path generation marker in
 * the host's state directory (0 when absent); the binding MAC.
 */
int scs_bind_canon(const char *path, char *out, size_t cap);
int scs_bind_marker_get(const struct scs_host *h, const char *canon,
			uint64_t *gen);
int scs_bind_marker_put(const struct scs_host *h, const char *canon,
			uint64_t gen);
int scs_bind_mac(const struct scs_host *h, const char *canon, uint64_t dev,
		 uint64_t ino, uint64_t gen, const uint8_t *body, size_t len,
		 uint8_t mac[32]);
/* fsync the directory that holds @path (best effort). */
void scs_fsync_dir(const char *path);
/* write all @n octets of @b to @fd (retries on EINTR): GBA_OK or
 * GBA_ERR_IO */
int scs_write_all(int fd, const uint8_t *b, size_t n);
/* open @path for reading: a regular file (no symlink) that neither group
 * nor others may access, else GBA_ERR_NOT_FOUND, GBA_ERR_IO or
 * GBA_ERR_CONFIG (a secret readable by others) and nothing open; GBA_OK
 * with *@fd open and its fstat() in *@st */
struct stat;
int scs_open_private(const char *path, int *fd, struct stat *st);

/*
 * The NAF FQDN as it is sent and used in NAF_Id (KDF, GPI check, SA):
 * one trailing root dot dropped, ASCII lower-cased.  The BSF does the
 * same (docs/bsf.md "NAF FQDN case"), so both derive from the same
 * octets.  @in is checked by scs_req_check() (1..GBA_FQDN_MAX).
 */
void scs_naf_fqdn_canon(const char *in, char out[GBA_FQDN_MAX + 1]);

/* GPL suite of new SAs (project choice: encrypt and authenticate). */
#define SCS_GPL_SUITE GPL_SUITE_AES128CTR_HMAC256_128

#endif
