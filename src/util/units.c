#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "units.h"
#include "banned.h"

int
units_parse_int(const char *s, size_t len, int64_t *out)
{
	int neg = 0;
	uint64_t v = 0;
	size_t i = 0;

	if (len > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == len)
		return -1;
	for (; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return -1;
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(int64_t)v;
	} else {
		if (v > (uint64_t)INT64_MAX)
			return -1;
		*out = (int64_t)v;
	}
	return 0;
}

/*
 * Split "digits[.digits]" into a whole part and the fraction scaled to
 * 10^scale (extra digits are truncated, as the runtime truncates).
 * Returns 1 when the whole part is too large for the caller's limit.
 */
static int
parse_fixed(const char *s, size_t len, int scale, uint64_t limit,
    int64_t *out)
{
	uint64_t whole = 0, frac = 0;
	size_t i = 0;
	int digits = 0, big = 0;

	if (len == 0 || !isdigit((unsigned char)s[0]))
		return -1;
	for (; i < len && isdigit((unsigned char)s[i]); i++) {
		if (whole > UINT64_MAX / 10 - 10)
			big = 1;
		else
			whole = whole * 10 + (uint64_t)(s[i] - '0');
	}
	if (i < len) {
		if (s[i] != '.' || i + 1 == len)
			return -1;
		for (i++; i < len; i++) {
			if (!isdigit((unsigned char)s[i]))
				return -1;
			if (digits < scale) {
				frac = frac * 10 + (uint64_t)(s[i] - '0');
				digits++;
			}
		}
	}
	for (; digits < scale; digits++)
		frac *= 10;
	if (big || whole >= limit)
		return 1;
	{
		uint64_t mul = 1;
		int k;

		for (k = 0; k < scale; k++)
			mul *= 10;
		*out = (int64_t)(whole * mul + frac);
	}
	return 0;
}

int
units_parse_ms_us(const char *s, size_t len, int64_t *us)
{
	return parse_fixed(s, len, 3, UINT64_C(1000000000000), us);
}

int
units_parse_seconds_ms(const char *s, size_t len, int64_t *ms)
{
	return parse_fixed(s, len, 3, UINT64_C(1000000000), ms);
}

int
units_parse_float(const char *s, size_t len, double *out)
{
	char tmp[64], *end;
	double v;

	if (len == 0 || len >= sizeof tmp)
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (strcmp(tmp, "NaN") == 0 || strcmp(tmp, "+Inf") == 0 ||
	    strcmp(tmp, "-Inf") == 0)
		return 1;
	errno = 0;
	v = strtod(tmp, &end);
	if (end != tmp + len || isnan(v) || isinf(v))
		return -1;
	*out = v;
	return 0;
}

static int
two_digits(const char *s, int *out)
{
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return -1;
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
units_parse_rfc3339(const char *s, size_t len, double *out)
{
	int y1, y2, mo, d, h, mi, sec, oh = 0, om = 0;
	size_t i = 19;
	double frac = 0, scale = 0.1;
	int64_t days, t;

	if (len < 20 || two_digits(s, &y1) || two_digits(s + 2, &y2) ||
	    s[4] != '-' || two_digits(s + 5, &mo) || s[7] != '-' ||
	    two_digits(s + 8, &d) || (s[10] != 'T' && s[10] != ' ' &&
	    s[10] != 't') || two_digits(s + 11, &h) || s[13] != ':' ||
	    two_digits(s + 14, &mi) || s[16] != ':' ||
	    two_digits(s + 17, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60)
		return -1;
	if (i < len && (s[i] == '.' || s[i] == ',')) {
		for (i++; i < len && isdigit((unsigned char)s[i]); i++) {
			frac += (s[i] - '0') * scale;
			scale /= 10;
		}
	}
	if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i < len && (s[i] == '+' || s[i] == '-')) {
		int sign = s[i] == '-' ? -1 : 1;

		if (i + 3 > len || two_digits(s + i + 1, &oh))
			return -1;
		i += 3;
		if (i < len && s[i] == ':')
			i++;
		if (i + 2 <= len && two_digits(s + i, &om) == 0)
			i += 2;
		oh *= sign;
		om *= sign;
	} else {
		return -1;
	}
	if (i != len)
		return -1;
	days = days_from_civil(y1 * 100 + y2, mo, d);
	t = days * 86400 + h * 3600 + mi * 60 + sec - oh * 3600 - om * 60;
	*out = (double)t + frac;
	return 0;
}

int
units_parse_syslog_time(const char *s, size_t len, int year, double *out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct tm tm;
	int m, d, h, mi, sec;
	double frac = 0, scale = 1;
	size_t i;
	time_t t;

	/* "Nov 21 18:50:00", or with a fraction: "Nov 21 18:50:00.123456" */
	if (len > 15 && len <= 25 && s[15] == '.') {
		for (i = 16; i < len; i++) {
			if (!isdigit((unsigned char)s[i]))
				return -1;
			scale /= 10;
			frac += (s[i] - '0') * scale;
		}
		if (len == 16)
			return -1;
		len = 15;
	}
	if (len != 15 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' ||
	    s[12] != ':')
		return -1;
	for (m = 0; m < 12; m++)
		if (memcmp(months + 3 * m, s, 3) == 0)
			break;
	if (m == 12)
		return -1;
	if (s[4] == ' ') {
		if (!isdigit((unsigned char)s[5]))
			return -1;
		d = s[5] - '0';
	} else if (two_digits(s + 4, &d)) {
		return -1;
	}
	if (two_digits(s + 7, &h) || two_digits(s + 10, &mi) ||
	    two_digits(s + 13, &sec))
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = year - 1900;
	tm.tm_mon = m;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*out = (double)t + frac;
	return 0;
}

/* Split "1.5ms" into 1.5 and "ms"; the number must be finite, >= 0. */
static int
number_and_unit(const char *s, double *v, const char **unit)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s) && *s != '.')
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	if (errno != 0 || end == s || !isfinite(*v) || *v < 0)
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	*unit = end;
	return 0;
}

int
units_parse_duration_us(const char *s, double *us)
{
	static const struct {
		const char	*unit;
		double		 us;
	} units[] = {
		{ "ns", 1e-3 }, { "us", 1 }, { "\xc2\xb5s", 1 },
		{ "\xce\xbcs", 1 }, { "ms", 1e3 }, { "s", 1e6 },
		{ "m", 60e6 }, { "min", 60e6 }, { "h", 3600e6 },
	};
	const char *unit;
	double v;
	size_t i;

	if (number_and_unit(s, &v, &unit) < 0)
		return -1;
	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(unit, units[i].unit) == 0) {
			*us = v * units[i].us;
			return isfinite(*us) ? 0 : -1;
		}
	return -1;
}

int
units_parse_size_bytes(const char *s, double *bytes)
{
	static const struct {
		const char	*unit;
		double		 bytes;
	} units[] = {
		{ "B", 1 },
		{ "KiB", 1024.0 }, { "MiB", 1048576.0 },
		{ "GiB", 1073741824.0 }, { "TiB", 1099511627776.0 },
		{ "K", 1024.0 }, { "M", 1048576.0 },
		{ "G", 1073741824.0 }, { "T", 1099511627776.0 },
		{ "kB", 1e3 }, { "KB", 1e3 }, { "MB", 1e6 }, { "GB", 1e9 },
		{ "TB", 1e12 },
	};
	const char *unit;
	double v;
	size_t i;

	if (number_and_unit(s, &v, &unit) < 0)
		return -1;
	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(unit, units[i].unit) == 0) {
			*bytes = v * units[i].bytes;
			return isfinite(*bytes) ? 0 : -1;
		}
	return -1;
}
