/*
 * http_errors.h - libmicrohttpd's own error responses, replaced.
 *
 * libmicrohttpd (0.9.75, Debian 12) answers requests it cannot parse by
 * itself, before any handler runs: 400 (malformed line, no Host, bad
 * Content-Length or chunk), 413, 414 (request line over its memory pool),
 * 431 (header section over it), 505, with fixed HTML bodies and no way to
 * change them.  On this interface every error is application/problem+json
 * (Nbsp, TS 29.500 5.2.7.2; also when the resource is not known yet) or a
 * SOAP 1.1 Fault (Zpn, TS 29.109 5.5), so the BSF interposes the library's
 * MHD_queue_response(): the library calls it through its PLT, the
 * executable's definition (this file) wins over the library's, the
 * original is reached with dlsym(RTLD_NEXT).  Every response the BSF makes
 * itself goes through bsf_mhd_queue() straight to the original; any other
 * call is the library's own and is offered to the hook, which may queue a
 * replacement.
 */
#ifndef BSF_HTTP_ERRORS_H
#define BSF_HTTP_ERRORS_H

#include <microhttpd.h>

/**
 * typedef bsf_mhd_error_fn - replace a library error response.
 * Return: 1 and *@ret set when a replacement was queued (through
 * bsf_mhd_queue()), 0 to let the library's own response go out.
 */
typedef int (*bsf_mhd_error_fn)(struct MHD_Connection *c, unsigned status,
				enum MHD_Result *ret);

/** bsf_mhd_set_error_hook() - install @fn (NULL: none); before serving. */
void bsf_mhd_set_error_hook(bsf_mhd_error_fn fn);

/** bsf_mhd_queue() - libmicrohttpd's MHD_queue_response(), no hook. */
enum MHD_Result bsf_mhd_queue(struct MHD_Connection *c, unsigned status,
			      struct MHD_Response *resp);

#endif
