/*
 * see scs/scs.h - binding of SA files to this host, their file identity
 * and a per-path generation counter, so that a copied, moved or restored
 * SA file (an old SN_c: GPL keystream reuse, TS 33.224) is detected.
 *
 * PROJECT CHOICE, no specification covers it (docs/scs.md):
 *   state dir:  host.key       32 random octets, mode 0600
 *               sa-<H>.gen     8 octets, big-endian generation, where
 *                              H = hex of the first 16 octets of
 *                              SHA-256(canonical path of the SA file)
 *   binding:    HMAC-SHA-256(host secret, "gba-scs SA binding v1" ||
 *                 st_dev (8) || st_ino (8) || gen (8) ||
 *                 len(path) (2) || canonical path ||
 *                 SA file octets before the binding element)
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gba/crypto.h"
#include "gba/cursor.h"
#include "gba/hex.h"
#include "scs/scs.h"
#include "scs_i.h"

#define HOST_KEY "host.key"
static const char bind_label[] = "gba-scs SA binding v1";

/* see scs/scs.h */
void scs_host_clear(struct scs_host *h)
{
	if (h)
		gba_cleanse(h, sizeof(*h));
}

/* see scs_i.h */
int scs_write_all(int fd, const uint8_t *b, size_t n)
{
	size_t off = 0;

	while (off < n) {
		ssize_t w = write(fd, b + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return GBA_ERR_IO;
		off += (size_t)w;
	}
	return GBA_OK;
}

/* see scs_i.h */
void scs_fsync_dir(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int dfd;

	if (slash && (size_t)(slash - path) < sizeof(dir)) {
		size_t n = slash == path ? 1 : (size_t)(slash - path);

		memcpy(dir, path, n);
		dir[n] = '\0';
	} else {
		memcpy(dir, ".", 2);
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
}

/*
 * Write @n octets to @path atomically: mkstemp beside it (0600), fsync,
 * rename (or link, when @excl: never replace an existing file), fsync of
 * the directory.  GBA_ERR_EXISTS only with @excl.
 */
static int file_put(const char *path, const uint8_t *b, size_t n, int excl)
{
	char tmp[PATH_MAX];
	int fd, r;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >=
	    sizeof(tmp))
		return GBA_ERR_BAD_PARAM;
	if ((fd = mkstemp(tmp)) < 0)
		return GBA_ERR_IO;
	r = fchmod(fd, S_IRUSR | S_IWUSR) == 0 ? scs_write_all(fd, b, n)
					       : GBA_ERR_IO;
	if (r == GBA_OK && fsync(fd) != 0)
		r = GBA_ERR_IO;
	if (close(fd) != 0 && r == GBA_OK)
		r = GBA_ERR_IO;
	if (r == GBA_OK) {
		if (excl)
			r = link(tmp, path) == 0 ? GBA_OK
			    : errno == EEXIST	 ? GBA_ERR_EXISTS
						 : GBA_ERR_IO;
		else
			r = rename(tmp, path) == 0 ? GBA_OK : GBA_ERR_IO;
	}
	if (excl || r != GBA_OK)
		unlink(tmp);
	if (r == GBA_OK)
		scs_fsync_dir(path);
	return r;
}

/* see scs_i.h */
int scs_open_private(const char *path, int *fd, struct stat *st)
{
	int r = GBA_OK;

	*fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (*fd < 0)
		return errno == ENOENT ? GBA_ERR_NOT_FOUND : GBA_ERR_IO;
	if (fstat(*fd, st) != 0 || !S_ISREG(st->st_mode))
		r = GBA_ERR_IO;
	else if (st->st_mode & (S_IRWXG | S_IRWXO))
		r = GBA_ERR_CONFIG;
	if (r != GBA_OK) {
		close(*fd);
		*fd = -1;
	}
	return r;
}

/* Read exactly @n octets of a private (0600-like) regular file. */
static int file_get(const char *path, uint8_t *b, size_t n)
{
	struct stat st;
	size_t got = 0;
	uint8_t extra;
	int fd, r;

	if ((r = scs_open_private(path, &fd, &st)) != GBA_OK)
		return r;
	while (got < n) {
		ssize_t k = read(fd, b + got, n - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			r = k < 0 ? GBA_ERR_IO : GBA_ERR_MALFORMED;
			goto out;
		}
		got += (size_t)k;
	}
	if (read(fd, &extra, 1) != 0)
		r = GBA_ERR_MALFORMED;
out:
	close(fd);
	return r;
}

/* see scs/scs.h */
int scs_host_open(const char *dir, struct scs_host *h)
{
	char kp[SCS_STATE_DIR_MAX + sizeof(HOST_KEY) + 1];
	uint8_t fresh[SCS_HOST_SECRET_LEN];
	struct stat st;
	size_t n;
	int r;

	if (!h)
		return GBA_ERR_BAD_PARAM;
	memset(h, 0, sizeof(*h));
	if (!dir || (n = strnlen(dir, SCS_STATE_DIR_MAX)) == 0 ||
	    n >= SCS_STATE_DIR_MAX)
		return GBA_ERR_BAD_PARAM;
	if (mkdir(dir, S_IRWXU) != 0 && errno != EEXIST)
		return GBA_ERR_IO;
	if (stat(dir, &st) != 0)
		return GBA_ERR_IO;
	if (!S_ISDIR(st.st_mode))
		return GBA_ERR_CONFIG;
	memcpy(h->dir, dir, n + 1);
	snprintf(kp, sizeof(kp), "%s/%s", dir, HOST_KEY);
	r = file_get(kp, h->secret, sizeof(h->secret));
	if (r == GBA_ERR_NOT_FOUND) {
		/* first use: a fresh secret, never replacing one that a
		 * concurrent first use wrote in the meantime */
		if ((r = gba_random(fresh, sizeof(fresh))) == GBA_OK) {
			r = file_put(kp, fresh, sizeof(fresh), 1);
			if (r == GBA_OK || r == GBA_ERR_EXISTS)
				r = file_get(kp, h->secret, sizeof(h->secret));
		}
		gba_cleanse(fresh, sizeof(fresh));
	}
	if (r != GBA_OK)
		scs_host_clear(h);
	return r;
}

/* see scs_i.h */
int scs_bind_canon(const char *path, char *out, size_t cap)
{
	char dir[PATH_MAX], *real;
	const char *slash = strrchr(path, '/'), *base;
	int r = GBA_OK;

	if (slash) {
		size_t n = slash == path ? 1 : (size_t)(slash - path);

		if (n >= sizeof(dir))
			return GBA_ERR_BAD_PARAM;
		memcpy(dir, path, n);
		dir[n] = '\0';
		base = slash + 1;
	} else {
		memcpy(dir, ".", 2);
		base = path;
	}
	if (!*base)
		return GBA_ERR_BAD_PARAM;
	if (!(real = realpath(dir, NULL)))
		return GBA_ERR_IO;
	if ((size_t)snprintf(out, cap, "%s/%s", strcmp(real, "/") ? real : "",
			     base) >= cap)
		r = GBA_ERR_BAD_PARAM;
	free(real);
	return r;
}

static int marker_path(const struct scs_host *h, const char *canon, char *out,
		       size_t cap)
{
	const uint8_t *a[1] = {(const uint8_t *)canon};
	size_t l[1] = {strlen(canon)};
	uint8_t md[GBA_SHA256_LEN];
	char hx[33];
	int r;

	if ((r = gba_sha256_vec(1, a, l, md)) != GBA_OK ||
	    (r = gba_hex_encode(md, 16, hx, sizeof(hx))) != GBA_OK)
		return r;
	if ((size_t)snprintf(out, cap, "%s/sa-%s.gen", h->dir, hx) >= cap)
		return GBA_ERR_BAD_PARAM;
	return GBA_OK;
}

/* see scs_i.h */
int scs_bind_marker_get(const struct scs_host *h, const char *canon,
			uint64_t *gen)
{
	char mp[SCS_STATE_DIR_MAX + 64];
	uint8_t b[8];
	int r;

	*gen = 0;
	if ((r = marker_path(h, canon, mp, sizeof(mp))) != GBA_OK)
		return r;
	r = file_get(mp, b, sizeof(b));
	if (r == GBA_ERR_NOT_FOUND)
		return GBA_OK; /* never saved at this path by this host */
	if (r == GBA_OK)
		*gen = gba_get_be64(b);
	return r;
}

/* see scs_i.h */
int scs_bind_marker_put(const struct scs_host *h, const char *canon,
			uint64_t gen)
{
	char mp[SCS_STATE_DIR_MAX + 64];
	uint8_t b[8];
	int r;

	if ((r = marker_path(h, canon, mp, sizeof(mp))) != GBA_OK)
		return r;
	gba_put_be64(b, gen);
	return file_put(mp, b, sizeof(b), 0);
}

/* see scs_i.h */
int scs_bind_mac(const struct scs_host *h, const char *canon, uint64_t dev,
		 uint64_t ino, uint64_t gen, const uint8_t *body, size_t len,
		 uint8_t mac[GBA_SHA256_LEN])
{
	uint8_t ids[24], pl[2];
	size_t cl = strlen(canon);
	const uint8_t *a[5];
	size_t l[5];

	if (cl > 0xFFFF)
		return GBA_ERR_TOO_LARGE;
	gba_put_be64(ids, dev);
	gba_put_be64(ids + 8, ino);
	gba_put_be64(ids + 16, gen);
	pl[0] = (uint8_t)(cl >> 8);
	pl[1] = (uint8_t)cl;
	a[0] = (const uint8_t *)bind_label;
	l[0] = sizeof(bind_label) - 1;
	a[1] = ids;
	l[1] = sizeof(ids);
	a[2] = pl;
	l[2] = 2;
	a[3] = (const uint8_t *)canon;
	l[3] = cl;
	a[4] = body;
	l[4] = len;
	return gba_hmac_sha256_vec(h->secret, sizeof(h->secret), 5, a, l, mac);
}
