/*
 * fuzz-units.c - the number parsers of units.c on any bytes: every
 * parser on the whole input, and on each blank-separated word.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_all(const char *s, size_t len)
{
	char *z;
	int64_t i;
	double d;

	units_parse_int(s, len, &i);
	units_parse_ms_us(s, len, &i);
	units_parse_seconds_ms(s, len, &i);
	units_parse_float(s, len, &d);
	units_parse_rfc3339(s, len, &d);
	units_parse_syslog_time(s, len, 2026, &d);
	/* The option parsers take C strings. */
	z = malloc(len + 1);
	if (z == NULL)
		abort();
	memcpy(z, s, len);
	z[len] = '\0';
	units_parse_duration_us(z, &d);
	units_parse_size_bytes(z, &d);
	free(z);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t i, start = 0;

	fuzz_all(s, size);
	for (i = 0; i <= size; i++)
		if (i == size || s[i] == ' ' || s[i] == '\n') {
			if (i > start)
				fuzz_all(s + start, i - start);
			start = i + 1;
		}
	return 0;
}
