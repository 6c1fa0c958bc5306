/* see http_errors.h */
/* RTLD_NEXT */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include "http_errors.h"

typedef enum MHD_Result (*queue_fn)(struct MHD_Connection *, unsigned int,
				    struct MHD_Response *);

static bsf_mhd_error_fn hook;
static queue_fn real_queue;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void find_real(void)
{
	/* POSIX leaves function pointers from dlsym() to the platform */
	*(void **)(void *)&real_queue = dlsym(RTLD_NEXT, "MHD_queue_response");
}

void bsf_mhd_set_error_hook(bsf_mhd_error_fn fn)
{
	pthread_once(&once, find_real);
	hook = fn;
}

enum MHD_Result bsf_mhd_queue(struct MHD_Connection *c, unsigned status,
			      struct MHD_Response *resp)
{
	pthread_once(&once, find_real);
	if (!real_queue)
		return MHD_NO;
	return real_queue(c, status, resp);
}

/* reached only by libmicrohttpd's own calls (see http_errors.h) */
enum MHD_Result MHD_queue_response(struct MHD_Connection *c,
				   unsigned int status,
				   struct MHD_Response *resp)
{
	enum MHD_Result ret;

	if (hook && status >= 400 && hook(c, status, &ret))
		return ret;
	return bsf_mhd_queue(c, status, resp);
}
