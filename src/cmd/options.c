#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "xalloc.h"
#include "banned.h"

/* The column where the help text of an option starts. */
#define OPTIONS_HELP_COLUMN 23

static const struct option_spec options_help_spec =
    OPTION_FLAG("help", 'h', "show this help", NULL);

static const struct option_spec *
options_find_long(const struct option_spec *table, const char *name,
    size_t len)
{
	const struct option_spec *o;

	for (o = table; o->name != NULL; o++)
		if (strlen(o->name) == len && memcmp(o->name, name, len) == 0)
			return o;
	if (len == 4 && memcmp(name, "help", 4) == 0)
		return &options_help_spec;
	return NULL;
}

static const struct option_spec *
options_find_short(const struct option_spec *table, int c)
{
	const struct option_spec *o;

	for (o = table; o->name != NULL; o++)
		if (o->short_name != 0 && o->short_name == c)
			return o;
	if (c == 'h')
		return &options_help_spec;
	return NULL;
}

/* Store arg (NULL for a switch); returns an options_result. */
static enum options_result
options_set(const struct option_spec *o, void *base, const char *arg,
    struct buf *err)
{
	void *value = o->value != NULL ? o->value : (char *)base + o->offset;
	long long n;
	char *end;

	if (o == &options_help_spec)
		return OPTIONS_HELP;
	switch (o->type) {
	case OPTION_FLAG:
		*(int *)value = 1;
		return OPTIONS_OK;
	case OPTION_STOP:
		return OPTIONS_STOPPED;
	case OPTION_STRING:
		if (o->what != NULL && *arg == '\0') {
			if (o->short_name != 0)
				buf_addf(err, "-%c takes %s", o->short_name,
				    o->what);
			else
				buf_addf(err, "--%s takes %s", o->name,
				    o->what);
			return OPTIONS_ERROR;
		}
		*(const char **)value = arg;
		return OPTIONS_OK;
	case OPTION_INT:
		/* Range-checked as a long long before it becomes an int. */
		errno = 0;
		n = strtoll(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || errno != 0 || n < o->min ||
		    n > o->max) {
			buf_addf(err, "--%s takes %s from %lld to %lld, not "
			    "'%s'", o->name, o->what != NULL ? o->what :
			    "a number", o->min, o->max, arg);
			return OPTIONS_ERROR;
		}
		*(int *)value = (int)n;
		return OPTIONS_OK;
	case OPTION_CUSTOM:
		return o->parse(arg, value, err) == 0 ? OPTIONS_OK :
		    OPTIONS_ERROR;
	}
	return OPTIONS_ERROR;
}

/* One "--name[=value]" word; *i moves past a value taken from argv. */
static enum options_result
options_long(const struct option_spec *table, void *base, int argc,
    char **argv, int *i, struct buf *err)
{
	const char *name = argv[*i] + 2, *eq = strchr(name, '=');
	size_t len = eq != NULL ? (size_t)(eq - name) : strlen(name);
	const struct option_spec *o = options_find_long(table, name, len);

	if (o == NULL) {
		buf_addf(err, "unknown option '--%.*s'", (int)len, name);
		return OPTIONS_ERROR;
	}
	if (o->arg == NULL) {
		if (eq != NULL) {
			buf_addf(err, "option '--%s' takes no value", o->name);
			return OPTIONS_ERROR;
		}
		return options_set(o, base, NULL, err);
	}
	if (eq != NULL)
		return options_set(o, base, eq + 1, err);
	if (*i + 1 >= argc) {
		buf_addf(err, "option '--%s' needs a value", o->name);
		return OPTIONS_ERROR;
	}
	++*i;
	return options_set(o, base, argv[*i], err);
}

/* One "-xyz" word: switches, the last letter may take a value. */
static enum options_result
options_short(const struct option_spec *table, void *base, int argc,
    char **argv, int *i, struct buf *err)
{
	const char *p;
	const struct option_spec *o;
	enum options_result rc;

	for (p = argv[*i] + 1; *p != '\0'; p++) {
		o = options_find_short(table, (unsigned char)*p);
		if (o == NULL) {
			buf_addf(err, "unknown option '-%c'", *p);
			return OPTIONS_ERROR;
		}
		if (o->arg == NULL) {
			rc = options_set(o, base, NULL, err);
			if (rc != OPTIONS_OK)
				return rc;
			continue;
		}
		if (p[1] != '\0')
			return options_set(o, base, p + 1, err);
		if (*i + 1 >= argc) {
			buf_addf(err, "option '-%c' needs a value", *p);
			return OPTIONS_ERROR;
		}
		++*i;
		return options_set(o, base, argv[*i], err);
	}
	return OPTIONS_OK;
}

enum options_result
options_parse(const struct option_spec *table, void *base, int argc,
    char **argv, int flags, int *noperands, struct buf *err)
{
	enum options_result rc = OPTIONS_OK;
	int i, n = 1, only_operands = 0;

	for (i = 1; i < argc; i++) {
		if (only_operands || argv[i][0] != '-' ||
		    argv[i][1] == '\0') {
			argv[n++] = argv[i];
			if (flags & OPTIONS_STOP_AT_OPERAND)
				only_operands = 1;
			continue;
		}
		if (strcmp(argv[i], "--") == 0) {
			only_operands = 1;
			continue;
		}
		if (argv[i][1] == '-')
			rc = options_long(table, base, argc, argv, &i, err);
		else
			rc = options_short(table, base, argc, argv, &i, err);
		if (rc != OPTIONS_OK)
			return rc;
	}
	argv[n] = NULL;
	*noperands = n - 1;
	return OPTIONS_OK;
}

static void
options_help_line(const struct option_spec *o, struct buf *out)
{
	size_t start = out->len;

	if (o->short_name != 0)
		buf_addf(out, "  -%c, --%s", o->short_name, o->name);
	else
		buf_addf(out, "      --%s", o->name);
	if (o->arg != NULL)
		buf_addf(out, " %s", o->arg);
	/* A long option and value: the text goes under the others'. */
	if (out->len - start + 1 > OPTIONS_HELP_COLUMN)
		buf_addf(out, "\n%*s", OPTIONS_HELP_COLUMN, "");
	else
		buf_addf(out, "%*s", (int)(OPTIONS_HELP_COLUMN -
		    (out->len - start)), "");
	buf_addf(out, "%s\n", o->help);
}

void
option_list_add(struct option_list *list, char *arg)
{
	list->items = xrealloc(list->items, sizeof *list->items *
	    ((size_t)list->n + 1));
	list->items[list->n++] = arg;
}

void
options_help(const struct option_spec *table, struct buf *out)
{
	const struct option_spec *o;

	for (o = table; o->name != NULL; o++)
		options_help_line(o, out);
	options_help_line(&options_help_spec, out);
}
