/*
 * input-json.c - the records of Docker's json-file driver and of
 * journalctl -o json.
 *
 * Each record is one JSON object on one line.  Only the few fields that
 * matter are decoded (strings fully unescaped, \uXXXX and surrogate pairs
 * as UTF-8); everything else is skipped without recursion, so no record,
 * however deep or long, costs more than a pass over its bytes.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "input-format.h"
#include "units.h"
#include "banned.h"

struct json {
	const char	*p, *end;
};

static void
json_space(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\r' || *j->p == '\n'))
		j->p++;
}

static int
json_hex4(const char *p, const char *end, unsigned *v)
{
	int i;

	*v = 0;
	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		int c = (unsigned char)p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

static void
put_utf8(struct buf *b, unsigned cp)
{
	char u[4];

	if (cp < 0x80) {
		buf_addc(b, (int)cp);
		return;
	}
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 4);
	}
}

/*
 * The string at j->p (a '"'), unescaped into out unless it is NULL.  A lone
 * surrogate becomes U+FFFD, as Go's encoder (Docker's) never writes one.
 */
static int
json_string(struct json *j, struct buf *out)
{
	const char *run;
	unsigned cp, lo;

	if (j->p >= j->end || *j->p != '"')
		return -1;
	j->p++;
	for (;;) {
		run = j->p;
		while (j->p < j->end && *j->p != '"' && *j->p != '\\')
			j->p++;
		if (out != NULL)
			buf_add(out, run, (size_t)(j->p - run));
		if (j->p >= j->end)
			return -1;
		if (*j->p++ == '"')
			return 0;
		if (j->p >= j->end)
			return -1;
		switch (*j->p++) {
		case '"':	cp = '"';	break;
		case '\\':	cp = '\\';	break;
		case '/':	cp = '/';	break;
		case 'b':	cp = '\b';	break;
		case 'f':	cp = '\f';	break;
		case 'n':	cp = '\n';	break;
		case 'r':	cp = '\r';	break;
		case 't':	cp = '\t';	break;
		case 'u':
			if (json_hex4(j->p, j->end, &cp) < 0)
				return -1;
			j->p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && j->end - j->p >= 6 &&
			    j->p[0] == '\\' && j->p[1] == 'u' &&
			    json_hex4(j->p + 2, j->end, &lo) == 0 &&
			    lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				j->p += 6;
			} else if (cp >= 0xd800 && cp < 0xe000) {
				cp = 0xfffd;
			}
			break;
		default:
			return -1;
		}
		if (out != NULL)
			put_utf8(out, cp);
	}
}

/* Skip one value of any kind; nesting is counted, not recursed. */
static int
json_skip(struct json *j)
{
	const char *start;
	long depth = 0;

	json_space(j);
	do {
		if (j->p >= j->end)
			return -1;
		switch (*j->p) {
		case '"':
			if (json_string(j, NULL) < 0)
				return -1;
			break;
		case '{':
		case '[':
			depth++;
			j->p++;
			break;
		case '}':
		case ']':
			if (depth == 0)
				return -1;
			depth--;
			j->p++;
			break;
		case ',':
		case ':':
		case ' ':
		case '\t':
		case '\r':
		case '\n':
			if (depth == 0)
				return -1;
			j->p++;
			break;
		default:
			start = j->p;
			while (j->p < j->end &&
			    (isalnum((unsigned char)*j->p) || *j->p == '-' ||
			    *j->p == '+' || *j->p == '.'))
				j->p++;
			if (j->p == start)
				return -1;
		}
	} while (depth > 0);
	return 0;
}

/* A non-negative integer (a number or a string of digits). */
static int
json_uint(struct json *j, int64_t *v)
{
	int quoted = j->p < j->end && *j->p == '"';
	const char *start;

	if (quoted)
		j->p++;
	start = j->p;
	*v = 0;
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
		if (*v > (INT64_MAX - 9) / 10)
			return -1;
		*v = *v * 10 + (*j->p++ - '0');
	}
	if (j->p == start)
		return -1;
	if (quoted && (j->p >= j->end || *j->p++ != '"'))
		return -1;
	return 0;
}

/*
 * Walk the object s[0..len): field() is called with each key and the
 * cursor on its value; it returns 1 when it read the value, 0 to have it
 * skipped, -1 when the value is wrong (why says how).
 */
static int
json_object(const char *s, size_t len,
    int (*field)(void *ctx, const char *key, struct json *j, struct buf *why),
    void *ctx, struct buf *why)
{
	struct json j = { s, s + len };
	struct buf key = BUF_INIT;
	int rc = -1;

	json_space(&j);
	if (j.p >= j.end || *j.p++ != '{')
		goto bad;
	json_space(&j);
	if (j.p < j.end && *j.p == '}') {
		j.p++;
		goto end;
	}
	for (;;) {
		json_space(&j);
		buf_reset(&key);
		if (json_string(&j, &key) < 0)
			goto bad;
		json_space(&j);
		if (j.p >= j.end || *j.p++ != ':')
			goto bad;
		json_space(&j);
		rc = field(ctx, buf_str(&key), &j, why);
		if (rc < 0)
			goto out;
		if (rc == 0 && json_skip(&j) < 0)
			goto bad;
		json_space(&j);
		if (j.p < j.end && *j.p == ',') {
			j.p++;
			continue;
		}
		if (j.p < j.end && *j.p == '}') {
			j.p++;
			break;
		}
		goto bad;
	}
end:
	json_space(&j);
	if (j.p != j.end) {
		buf_adds(why, "text after the JSON object");
		rc = -1;
		goto out;
	}
	rc = 0;
	goto out;
bad:
	buf_adds(why, "not a complete JSON object");
	rc = -1;
out:
	buf_free(&key);
	return rc;
}

struct json_detect {
	int	docker_log, docker_meta, journal;
};

static int
detect_field(void *ctx, const char *key, struct json *j, struct buf *why)
{
	struct json_detect *d = ctx;

	if (strcmp(key, "log") == 0 && j->p < j->end && *j->p == '"')
		d->docker_log = 1;
	else if (strcmp(key, "stream") == 0 || strcmp(key, "time") == 0)
		d->docker_meta = 1;
	else if (strcmp(key, "__REALTIME_TIMESTAMP") == 0 ||
	    strcmp(key, "__CURSOR") == 0)
		d->journal = 1;
	return 0;
}

enum input_format
input_json_detect(const char *s, size_t len)
{
	struct json_detect d = { 0, 0, 0 };
	struct buf why = BUF_INIT;
	int rc;

	if (len == 0 || s[0] != '{')
		return INPUT_TEXT;
	rc = json_object(s, len, detect_field, &d, &why);
	buf_free(&why);
	if (rc < 0)
		return INPUT_TEXT;
	if (d.docker_log && d.docker_meta)
		return INPUT_DOCKER_JSON;
	if (d.journal)
		return INPUT_JOURNAL_JSON;
	return INPUT_TEXT;
}

struct json_record {
	struct input_record	*r;
	int			 has_message;
	int			 null_message;
	struct buf		 tmp;
};

static int
docker_field(void *ctx, const char *key, struct json *j, struct buf *why)
{
	struct json_record *d = ctx;
	struct input_record *r = d->r;

	if (strcmp(key, "log") == 0) {
		buf_reset(&r->text);
		if (json_string(j, &r->text) < 0) {
			buf_adds(why, "\"log\" is not a JSON string");
			return -1;
		}
		d->has_message = 1;
		return 1;
	}
	if (strcmp(key, "stream") == 0 || strcmp(key, "time") == 0) {
		buf_reset(&d->tmp);
		if (json_string(j, &d->tmp) < 0) {
			buf_addf(why, "\"%s\" is not a JSON string", key);
			return -1;
		}
		if (key[0] == 't') {
			if (units_parse_rfc3339(d->tmp.data, d->tmp.len,
			    &r->wall_s) < 0) {
				buf_addf(why, "\"time\" is not an RFC 3339 "
				    "time: '%s'", buf_str(&d->tmp));
				return -1;
			}
			r->has_wall = 1;
		} else if (strcmp(buf_str(&d->tmp), "stdout") == 0) {
			r->stream = INPUT_STREAM_STDOUT;
		} else if (strcmp(buf_str(&d->tmp), "stderr") == 0) {
			r->stream = INPUT_STREAM_STDERR;
		}
		return 1;
	}
	return 0;
}

static void
record_reset(struct input_record *r)
{
	buf_reset(&r->text);
	r->partial = 0;
	r->has_wall = 0;
	r->wall_s = 0;
	r->stream = INPUT_STREAM_NONE;
}

int
input_docker_decode(const char *s, size_t len, struct input_record *r,
    struct buf *why)
{
	struct json_record d;
	int rc;

	memset(&d, 0, sizeof d);
	d.r = r;
	record_reset(r);
	rc = json_object(s, len, docker_field, &d, why);
	buf_free(&d.tmp);
	if (rc < 0)
		return -1;
	if (!d.has_message) {
		buf_adds(why, "no \"log\" field");
		return -1;
	}
	/* A line the driver had to split ends without its newline. */
	if (r->text.len > 0 && r->text.data[r->text.len - 1] == '\n')
		r->text.data[--r->text.len] = '\0';
	else
		r->partial = 1;
	return 0;
}

/* An array of byte values, as journalctl writes a binary field. */
static int
journal_bytes(struct json *j, struct buf *out)
{
	int64_t v;

	j->p++;
	json_space(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return 0;
	}
	for (;;) {
		json_space(j);
		if (json_uint(j, &v) < 0 || v > 255)
			return -1;
		buf_addc(out, (int)v);
		json_space(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			return 0;
		}
		return -1;
	}
}

/* A string, a byte array, or (a field given several times) an array of
 * them, the values one per line. */
static int
journal_message(struct json *j, struct buf *out)
{
	struct json look;
	int first = 1;

	if (j->p < j->end && *j->p == '"')
		return json_string(j, out);
	if (j->p >= j->end || *j->p != '[')
		return -1;
	look = *j;
	look.p++;
	json_space(&look);
	if (look.p < look.end && (*look.p == '"' || *look.p == '[')) {
		j->p = look.p;
		for (;;) {
			if (!first)
				buf_addc(out, '\n');
			first = 0;
			if (*j->p == '"' ? json_string(j, out) :
			    journal_bytes(j, out))
				return -1;
			json_space(j);
			if (j->p < j->end && *j->p == ',') {
				j->p++;
				json_space(j);
				if (j->p < j->end && (*j->p == '"' ||
				    *j->p == '['))
					continue;
				return -1;
			}
			if (j->p < j->end && *j->p == ']') {
				j->p++;
				return 0;
			}
			return -1;
		}
	}
	return journal_bytes(j, out);
}

static int
journal_field(void *ctx, const char *key, struct json *j, struct buf *why)
{
	struct json_record *d = ctx;
	struct input_record *r = d->r;
	int64_t us;

	if (strcmp(key, "MESSAGE") == 0) {
		buf_reset(&r->text);
		d->null_message = 0;
		d->has_message = 1;
		if (j->end - j->p >= 4 && memcmp(j->p, "null", 4) == 0) {
			d->null_message = 1;
			return 0;
		}
		if (journal_message(j, &r->text) < 0) {
			buf_adds(why, "\"MESSAGE\" is not a string or an array "
			    "of bytes");
			return -1;
		}
		return 1;
	}
	if (strcmp(key, "__REALTIME_TIMESTAMP") == 0) {
		if (json_uint(j, &us) < 0) {
			buf_adds(why, "\"__REALTIME_TIMESTAMP\" is not a "
			    "number of microseconds");
			return -1;
		}
		r->has_wall = 1;
		r->wall_s = (double)(us / 1000000) + (double)(us % 1000000) /
		    1e6;
		return 1;
	}
	return 0;
}

int
input_journal_decode(const char *s, size_t len, struct input_record *r,
    struct buf *why)
{
	struct json_record d;

	memset(&d, 0, sizeof d);
	d.r = r;
	record_reset(r);
	if (json_object(s, len, journal_field, &d, why) < 0)
		return -1;
	if (d.null_message) {
		buf_adds(why, "\"MESSAGE\" is null (journalctl leaves out "
		    "fields over 4096 bytes unless run with --all)");
		return -1;
	}
	if (!d.has_message)
		return 1;
	/* journald keeps no final newline; a message may hold several. */
	if (r->text.len > 0 && r->text.data[r->text.len - 1] == '\n')
		r->text.data[--r->text.len] = '\0';
	return 0;
}
