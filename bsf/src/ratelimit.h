/*
 * ratelimit.h - per-Push-NAF token buckets (refill @rate tokens/s up to
 * @burst).  A fixed table of BSF_RATE_NAFS_MAX buckets (style.md C9);
 * when full, a NAF without a bucket shares the overflow bucket.
 */
#ifndef BSF_RATELIMIT_H
#define BSF_RATELIMIT_H

#include <stdint.h>

struct bsf_ratelimit;

/** bsf_rl_new() - NULL on allocation failure.  Free with bsf_rl_free(). */
struct bsf_ratelimit *bsf_rl_new(void);
void bsf_rl_free(struct bsf_ratelimit *rl);

/**
 * bsf_rl_take() - take one token for Push-NAF @key at time @now (seconds,
 * monotonic).  @rate 0 means unlimited.
 * @retry_after: [out] whole seconds until a token is available (>= 1)
 * Return: 1 allowed, 0 refused.
 */
int bsf_rl_take(struct bsf_ratelimit *rl, int64_t key, uint32_t rate,
		uint32_t burst, double now, unsigned *retry_after);

#endif
