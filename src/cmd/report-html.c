#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "report-html.h"
#include "banned.h"

void
report_text(struct buf *b, const char *s)
{
	const unsigned char *p;

	if (s == NULL)
		return;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		switch (*p) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\'':
			buf_adds(b, "&#39;");
			break;
		default:
			if ((*p < 0x20 && *p != '\n' && *p != '\t') ||
			    *p == 0x7f)
				buf_addc(b, '?');
			else
				buf_addc(b, *p);
		}
}

void
report_textf(struct buf *b, const char *fmt, ...)
{
	struct buf t = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&t, fmt, ap);
	va_end(ap);
	report_text(b, buf_str(&t));
	buf_free(&t);
}

void
report_row(struct buf *b, int header, int n, ...)
{
	va_list ap;
	const char *cell;
	int i;

	va_start(ap, n);
	buf_adds(b, "<tr>");
	for (i = 0; i < n; i++) {
		cell = va_arg(ap, const char *);
		buf_adds(b, header ? "<th>" : "<td>");
		if (cell == NULL)
			buf_adds(b, "&ndash;");
		else
			report_text(b, cell);
		buf_adds(b, header ? "</th>" : "</td>");
	}
	buf_adds(b, "</tr>\n");
	va_end(ap);
}

void
report_pair(struct buf *b, const char *name, const char *fmt, ...)
{
	struct buf t = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&t, fmt, ap);
	va_end(ap);
	buf_adds(b, "<tr><th>");
	report_text(b, name);
	buf_adds(b, "</th><td>");
	report_text(b, buf_str(&t));
	buf_adds(b, "</td></tr>\n");
	buf_free(&t);
}

void
report_verdict(struct buf *b, const char *cls, const char *text)
{
	buf_addf(b, "<span class=\"v %s\">", cls);
	report_text(b, text);
	buf_adds(b, "</span>");
}

void
report_base64(struct buf *b, const void *data, size_t len)
{
	static const char digits[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	char out[4];
	size_t i;
	unsigned long v;

	buf_grow(b, (len + 2) / 3 * 4);
	for (i = 0; i + 2 < len; i += 3) {
		v = (unsigned long)p[i] << 16 | (unsigned long)p[i + 1] << 8 |
		    p[i + 2];
		out[0] = digits[v >> 18 & 63];
		out[1] = digits[v >> 12 & 63];
		out[2] = digits[v >> 6 & 63];
		out[3] = digits[v & 63];
		buf_add(b, out, 4);
	}
	if (i < len) {
		v = (unsigned long)p[i] << 16;
		if (i + 1 < len)
			v |= (unsigned long)p[i + 1] << 8;
		out[0] = digits[v >> 18 & 63];
		out[1] = digits[v >> 12 & 63];
		out[2] = i + 1 < len ? digits[v >> 6 & 63] : '=';
		out[3] = '=';
		buf_add(b, out, 4);
	}
}

int
report_read_file(const char *path, size_t max, struct buf *out,
    struct buf *err)
{
	char chunk[65536];
	size_t total = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		buf_addf(err, "cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			buf_addf(err, "cannot read '%s': %s", path,
			    strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > max) {
			buf_addf(err, "'%s' is larger than %zu bytes", path,
			    max);
			close(fd);
			return -1;
		}
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	if (total == 0) {
		buf_addf(err, "'%s' is empty", path);
		return -1;
	}
	return 0;
}
