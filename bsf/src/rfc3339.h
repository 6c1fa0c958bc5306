/*
 * rfc3339.h - RFC 3339 date-time, the TS 29.571 clause 5.2.2 DateTime
 * type of Nbsp (requestedLifeTime, keyExpiryTime) and the Zpn times.
 */
#ifndef BSF_RFC3339_H
#define BSF_RFC3339_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"
#include "bsf_limits.h"

/**
 * bsf_time_parse() - RFC 3339 date-time (TS 29.571 DateTime), e.g.
 * "2026-11-24T10:00:00Z" or "...T10:00:00.5+02:00"; fractions dropped.
 * The rule is gba_datetime_parse() (gba/text.h): over 64 octets, before
 * 1970 and leap second 60 (read as 59) as documented there.
 * Return: GBA_OK, GBA_ERR_MALFORMED, GBA_ERR_TOO_LARGE.
 */
int bsf_time_parse(const char *s, size_t len, int64_t *out) GBA_WARN_UNUSED;
/** bsf_time_format() - "YYYY-MM-DDTHH:MM:SSZ" (21 octets with NUL). */
int bsf_time_format(int64_t t, char *out, size_t cap) GBA_WARN_UNUSED;

#endif
