/* see ratelimit.h */
#include <pthread.h>
#include <stdlib.h>
#include "bsf_limits.h"
#include "ratelimit.h"

struct bucket {
	int64_t key; /* 0: free slot (store ids start at 1) */
	double tokens;
	double last;
};

struct bsf_ratelimit {
	pthread_mutex_t mu;
	struct bucket b[BSF_RATE_NAFS_MAX];
	struct bucket overflow;
};

struct bsf_ratelimit *bsf_rl_new(void)
{
	struct bsf_ratelimit *rl = calloc(1, sizeof(*rl));

	if (rl && pthread_mutex_init(&rl->mu, NULL) != 0) {
		free(rl);
		return NULL;
	}
	return rl;
}

void bsf_rl_free(struct bsf_ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->mu);
	free(rl);
}

static struct bucket *find(struct bsf_ratelimit *rl, int64_t key,
			   uint32_t burst, double now)
{
	size_t h = (size_t)((uint64_t)key * 0x9E3779B97F4A7C15ull >> 32) %
		   BSF_RATE_NAFS_MAX;
	size_t i;

	for (i = 0; i < BSF_RATE_NAFS_MAX; i++) {
		struct bucket *b = &rl->b[(h + i) % BSF_RATE_NAFS_MAX];

		if (b->key == key)
			return b;
		if (b->key == 0) {
			b->key = key;
			b->tokens = burst;
			b->last = now;
			return b;
		}
	}
	return &rl->overflow;
}

int bsf_rl_take(struct bsf_ratelimit *rl, int64_t key, uint32_t rate,
		uint32_t burst, double now, unsigned *retry_after)
{
	struct bucket *b;
	int ok;

	*retry_after = 0;
	if (rate == 0)
		return 1;
	if (burst == 0)
		burst = 1;
	pthread_mutex_lock(&rl->mu);
	b = find(rl, key, burst, now);
	if (now > b->last) {
		b->tokens += (now - b->last) * rate;
		if (b->tokens > burst)
			b->tokens = burst;
		b->last = now;
	}
	ok = b->tokens >= 1.0;
	if (ok)
		b->tokens -= 1.0;
	else {
		double wait = (1.0 - b->tokens) / rate;
		unsigned w = (unsigned)wait;

		*retry_after = (double)w < wait ? w + 1 : w;
	}
	pthread_mutex_unlock(&rl->mu);
	if (!ok && *retry_after < 1)
		*retry_after = 1;
	return ok;
}
