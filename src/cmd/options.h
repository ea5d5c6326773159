/*
 * options.h - command-line options described as data, one parser for them
 * all and the help lines made from the same table.
 *
 * A table is an array of struct option_spec ended by OPTION_END.  Every
 * option has a long name (--name, --name=VALUE or --name VALUE) and may
 * have a one-letter short name (-n VALUE, -nVALUE, switches grouped as
 * -qe).  "--" ends the options.  -h and --help are understood by every
 * table without being listed in it.  Long names are matched exactly, never
 * abbreviated: a new option must not change what an old command line
 * means.
 *
 * The parser never prints: a usage error comes back as a message.
 */
#ifndef TRACESTAT_OPTIONS_H
#define TRACESTAT_OPTIONS_H

#include <stddef.h>

#include "buf.h"

enum option_type {
	OPTION_FLAG,		/* int: set to 1, also when repeated */
	OPTION_STOP,		/* parsing ends (--version; one a table) */
	OPTION_STRING,		/* const char *: the last value wins; not
				 * empty when what is set ("-o takes WHAT") */
	OPTION_INT,		/* int: a decimal number from min to max */
	OPTION_CUSTOM		/* parse() checks and stores the value */
};

/*
 * Checks arg and stores it at value.  Returns 0, or -1 with the whole
 * message in err ("--over takes a duration ..., not '5'").
 */
typedef int (*option_parse_fn)(const char *arg, void *value,
    struct buf *err);

struct option_spec {
	const char	*name;		/* long name, without "--" */
	int		 short_name;	/* a letter, or 0 */
	const char	*arg;		/* the value's name, NULL: switch */
	const char	*help;		/* one line */
	enum option_type type;
	void		*value;		/* where it goes, NULL: offset */
	size_t		 offset;	/* from the parser's base */
	long long	 min, max;	/* OPTION_INT */
	const char	*what;		/* OPTION_INT, _STRING: "takes WHAT" */
	option_parse_fn	 parse;		/* OPTION_CUSTOM */
};

#define OPTION_FLAG(l, s, h, v) \
	{ (l), (s), NULL, (h), OPTION_FLAG, (v), 0, 0, 0, NULL, NULL }
#define OPTION_STOP(l, s, h) \
	{ (l), (s), NULL, (h), OPTION_STOP, NULL, 0, 0, 0, NULL, NULL }
#define OPTION_STRING(l, s, a, h, v) \
	{ (l), (s), (a), (h), OPTION_STRING, (v), 0, 0, 0, NULL, NULL }
#define OPTION_NONEMPTY(l, s, a, h, v, what) \
	{ (l), (s), (a), (h), OPTION_STRING, (v), 0, 0, 0, (what), NULL }
#define OPTION_INT(l, s, a, h, v, lo, hi, what) \
	{ (l), (s), (a), (h), OPTION_INT, (v), 0, (lo), (hi), (what), NULL }
#define OPTION_CUSTOM(l, s, a, h, v, fn) \
	{ (l), (s), (a), (h), OPTION_CUSTOM, (v), 0, 0, 0, NULL, (fn) }
/* The same, for a value at an offset from the parser's base. */
#define OPTION_STRING_AT(l, s, a, h, off) \
	{ (l), (s), (a), (h), OPTION_STRING, NULL, (off), 0, 0, NULL, NULL }
#define OPTION_INT_AT(l, s, a, h, off, lo, hi, what) \
	{ (l), (s), (a), (h), OPTION_INT, NULL, (off), (lo), (hi), (what), \
	    NULL }
#define OPTION_CUSTOM_AT(l, s, a, h, off, fn) \
	{ (l), (s), (a), (h), OPTION_CUSTOM, NULL, (off), 0, 0, NULL, (fn) }
#define OPTION_END \
	{ NULL, 0, NULL, NULL, OPTION_FLAG, NULL, 0, 0, 0, NULL, NULL }

/* The values of a repeatable option, in the order given. */
struct option_list {
	char	**items;
	int	  n;
};

/* Append arg to the list (for OPTION_CUSTOM parsers of such options). */
void option_list_add(struct option_list *list, char *arg);

/* What options_parse found. */
enum options_result {
	OPTIONS_OK,		/* parsed; the operands are set */
	OPTIONS_HELP,		/* -h or --help: print the help */
	OPTIONS_STOPPED,	/* an OPTION_STOP option was given */
	OPTIONS_ERROR		/* a usage error, its message in err */
};

/* Flags of options_parse. */
enum {
	/*
	 * Options end at the first operand, as for "run CMD -q": what
	 * follows is the operand's own.  Otherwise options and operands may
	 * be mixed ("plot heap --svg").
	 */
	OPTIONS_STOP_AT_OPERAND = 1
};

/*
 * Parse argv[1] to argv[argc - 1] (argv[0] is the command's name) by
 * table, in order: the first bad option or value is the error.  Values go
 * to each option's value, or to base + offset.  On OPTIONS_OK the operands
 * are moved, in order, to argv[1] to argv[*noperands] (argv is reordered;
 * argv[*noperands + 1] becomes NULL).  err gets the message of
 * OPTIONS_ERROR.
 */
enum options_result options_parse(const struct option_spec *table,
    void *base, int argc, char **argv, int flags, int *noperands,
    struct buf *err);

/*
 * Append the help of table to out, one line per option in table order
 * and then -h, --help: "  -n, --name NAME      name the run".
 */
void options_help(const struct option_spec *table, struct buf *out);

#endif
