/*
 * units.h - numbers, durations, sizes and time stamps from text.
 *
 * Every function takes a byte range (not NUL-terminated), checks the whole
 * range and returns 0 on success, -1 when the text is not of that form.
 */
#ifndef TRACESTAT_UNITS_H
#define TRACESTAT_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* A decimal integer with an optional '-'. */
int units_parse_int(const char *s, size_t len, int64_t *out);

/*
 * The runtime's millisecond format ("0", "0.045", "1.2", "11") as whole
 * microseconds.  Returns 1 (not an error) for wrap-around values of 1e12 ms
 * or more, which the caller stores as NULL.
 */
int units_parse_ms_us(const char *s, size_t len, int64_t *us);

/* Seconds with up to three decimals ("12.345") as milliseconds; 1 when
 * the value is 1e9 s or more (a wrap-around). */
int units_parse_seconds_ms(const char *s, size_t len, int64_t *ms);

/* A runtime float of either era; 1 for NaN and infinities. */
int units_parse_float(const char *s, size_t len, double *out);

/* An RFC 3339 time stamp as Unix seconds. */
int units_parse_rfc3339(const char *s, size_t len, double *out);

/* "Nov 21 18:50:00" or "Nov 21 18:50:00.123456" (local time, no year) as
 * Unix seconds in year. */
int units_parse_syslog_time(const char *s, size_t len, int year,
    double *out);

/*
 * A user's duration: a number and a unit of ns, us, µs, ms, s, m, min or h
 * ("100us", "1.5ms").  A bare number is refused.  Result in microseconds.
 */
int units_parse_duration_us(const char *s, double *us);

/*
 * A user's size: a number and B, KiB, MiB, GiB, TiB (binary), kB, MB, GB,
 * TB (decimal) or K, M, G, T (binary).  Result in bytes.
 */
int units_parse_size_bytes(const char *s, double *bytes);

#endif
