/*
 * gba/crypto.h - the crypto port (style.md C14, section 5).
 *
 * Every algorithm in gbapush (Milenage, the TS 33.220 KDF, AUTN*, GPI and
 * GPL protection) uses only these functions.  Exactly one backend file
 * implements them: common/src/crypto_openssl.c on hosts (OpenSSL 3), and a
 * portable no-heap backend for the UE agent's firmware build.
 *
 * Every function that can fail returns enum gba_err; none returns void
 * except the wipe.  Secrets passed in are not retained beyond the call,
 * except in struct gba_aes128, which gba_aes128_clear() wipes.
 */
#ifndef GBA_CRYPTO_H
#define GBA_CRYPTO_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GBA_AES_BLOCK 16
#define GBA_SHA256_LEN 32
#define GBA_SHA1_LEN 20

/*
 * An AES-128 encryption key schedule.  Opaque by contract; its size is
 * visible so callers can keep it on the stack.  The OpenSSL backend keeps
 * a cipher context in @impl; a portable backend keeps round keys in @rk.
 */
struct gba_aes128 {
	uint32_t rk[44];
	void *impl;
};

/**
 * gba_aes128_init() - expand a 128-bit key for encryption.
 * @a:   [out] key schedule; release with gba_aes128_clear()
 * @key: [in] 128-bit key
 * Return: GBA_OK or GBA_ERR_CRYPTO (then nothing needs clearing).
 */
GBA_EXPORT int gba_aes128_init(struct gba_aes128 *a,
			       const uint8_t key[GBA_AES_BLOCK]) GBA_WARN_UNUSED;

/**
 * gba_aes128_encrypt() - encrypt one block (ECB).  @in and @out may alias.
 * Return: GBA_OK or GBA_ERR_CRYPTO.
 */
GBA_EXPORT int gba_aes128_encrypt(struct gba_aes128 *a,
				  const uint8_t in[GBA_AES_BLOCK],
				  uint8_t out[GBA_AES_BLOCK]) GBA_WARN_UNUSED;

/** gba_aes128_clear() - wipe and release a key schedule; NULL-safe, idempotent. */
GBA_EXPORT void gba_aes128_clear(struct gba_aes128 *a);

/**
 * gba_aes128_ctr() - AES-128 in counter mode (NIST SP 800-38A), the 128-bit
 * counter block starting at @iv and incremented as a big-endian integer.
 * @in and @out may be equal.  Return: GBA_OK or GBA_ERR_CRYPTO.
 */
GBA_EXPORT int gba_aes128_ctr(const uint8_t key[GBA_AES_BLOCK],
			      const uint8_t iv[GBA_AES_BLOCK],
			      const uint8_t *in, uint8_t *out, size_t len)
	GBA_WARN_UNUSED;

/**
 * gba_hmac_sha256_vec() - HMAC-SHA-256 over the concatenation of @n
 * fragments, so that no temporary buffer holds a KDF input.
 * @key, @key_len: [in] HMAC key
 * @n:     [in] number of fragments (0 allowed)
 * @addr:  [in] fragment pointers (may be NULL where @len is 0)
 * @len:   [in] fragment lengths
 * @mac:   [out] 32 octets
 * Return: GBA_OK; GBA_ERR_BAD_PARAM (NULL key with a length, NULL arrays
 * with @n > 0); GBA_ERR_CRYPTO (then @mac is zeroed).
 */
GBA_EXPORT int gba_hmac_sha256_vec(const uint8_t *key, size_t key_len,
				   size_t n, const uint8_t *const addr[],
				   const size_t len[],
				   uint8_t mac[GBA_SHA256_LEN]) GBA_WARN_UNUSED;

/** gba_sha256_vec() - SHA-256 over @n fragments.  GBA_OK or GBA_ERR_CRYPTO. */
GBA_EXPORT int gba_sha256_vec(size_t n, const uint8_t *const addr[],
			      const size_t len[],
			      uint8_t md[GBA_SHA256_LEN]) GBA_WARN_UNUSED;

/** gba_sha1_vec() - SHA-1 over @n fragments (TS 33.220 AUTN* only). */
GBA_EXPORT int gba_sha1_vec(size_t n, const uint8_t *const addr[],
			    const size_t len[],
			    uint8_t md[GBA_SHA1_LEN]) GBA_WARN_UNUSED;

/**
 * gba_random() - @len octets from the backend's CSPRNG.
 * Return: GBA_OK or GBA_ERR_RANDOM (then @buf is zeroed).
 */
GBA_EXPORT int gba_random(uint8_t *buf, size_t len) GBA_WARN_UNUSED;

/**
 * gba_rng_fn - a platform random source for backends without their own.
 * @arg: [in] the pointer given to gba_crypto_set_rng()
 * @buf: [out] @len octets of cryptographic-quality randomness
 * Return: 0 on success, nonzero on failure.
 */
typedef int (*gba_rng_fn)(void *arg, uint8_t *buf, size_t len);

/**
 * gba_crypto_set_rng() - register the random source gba_random() uses.
 * The portable backend (crypto_portable.c) has no entropy of its own: until
 * a source is registered gba_random() fails with GBA_ERR_RANDOM.  The
 * OpenSSL backend ignores the call (it uses RAND_bytes).  @fn may be NULL
 * to unregister.  Not thread-safe: call once at start-up.
 */
GBA_EXPORT void gba_crypto_set_rng(gba_rng_fn fn, void *arg);

/** gba_cleanse() - wipe @len octets in a way the compiler cannot drop. */
GBA_EXPORT void gba_cleanse(void *p, size_t len);

/**
 * gba_ct_eq() - constant-time equality of two @len-octet strings.
 * Return: 1 if equal, 0 otherwise; the time depends only on @len.
 */
GBA_EXPORT int gba_ct_eq(const void *a, const void *b, size_t len);

/** gba_crypto_backend() - name of the linked backend ("openssl", ...). */
GBA_EXPORT const char *gba_crypto_backend(void);

/**
 * gba_aes128_impl() - which AES-128 code is linked: "openssl",
 * "constant-time" (portable default, no table) or "table" (portable,
 * built with GBA_AES_TABLES; cache-timing exposure on cached cores).
 */
GBA_EXPORT const char *gba_aes128_impl(void);

#ifdef __cplusplus
}
#endif
#endif
