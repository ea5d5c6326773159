#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grammar.h"
#include "xalloc.h"
#include "banned.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/tracestat"
#endif
#ifndef SRCDIR
#define SRCDIR "."
#endif
#ifndef BUILDDIR
#define BUILDDIR "."
#endif

#define VERSION_LATER 999

struct macro {
	char	*name;
	char	*value;
	int	 depth;		/* 1 + the deepest macro it uses */
};

/* What is being read of one file. */
struct parse {
	const char		*path;
	int			 line;
	struct buf		*err;
	struct macro		*macros;
	size_t			 nmacros, macros_cap;
	/* The rule being read. */
	int			 in_rule;
	struct grammar_rule	 rule;
	struct buf		 pattern;
	int			*piece_line;	/* source line of each piece */
	size_t			*piece_start;	/* offset of each piece */
	size_t			 npieces, pieces_cap, starts_cap;
	struct field_decl {
		char		*name;
		enum field_type	 type;
		int		 line;
		int		 has_const;
		int64_t		 value;
	}			*decls;
	size_t			 ndecls, decls_cap;
};

static const struct {
	const char	*name;
	enum field_type	 type;
} field_types[] = {
	{ "int", FIELD_INT },
	{ "ms", FIELD_MS },
	{ "seconds", FIELD_SECONDS },
	{ "float", FIELD_FLOAT },
	{ "flag", FIELD_FLAG },
	{ "bool", FIELD_BOOL },
	{ "id", FIELD_ID },
	{ "text", FIELD_TEXT },
	{ "intlist", FIELD_INTLIST },
	{ "time", FIELD_TIME },
	{ "syslogtime", FIELD_SYSLOGTIME },
};

static int
dir_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
running_uninstalled(void)
{
	char exe[4096];
	ssize_t n;
	size_t len = strlen(BUILDDIR);

	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return 1;
	exe[n] = '\0';
	return strncmp(exe, BUILDDIR, len) == 0 && exe[len] == '/' &&
	    strchr(exe + len + 1, '/') == NULL;
}

char *
grammar_find_dir(const char *dir, struct buf *err)
{
	const char *env;
	const char *candidates[2] = { PKGDATADIR "/grammars",
	    SRCDIR "/grammars" };

	if (dir != NULL) {
		if (!dir_exists(dir)) {
			buf_addf(err, "grammar directory '%s': %s", dir,
			    errno != 0 ? strerror(errno) : "not a directory");
			return NULL;
		}
		return xstrdup(dir);
	}
	env = getenv("TRACESTAT_GRAMMARS");
	if (env != NULL && *env != '\0') {
		if (!dir_exists(env)) {
			buf_addf(err, "grammar directory '%s' (from "
			    "TRACESTAT_GRAMMARS): %s", env, strerror(errno));
			return NULL;
		}
		return xstrdup(env);
	}
	/*
	 * A binary running from its build tree uses the source tree's
	 * grammars, even when an older tracestat is installed; an installed
	 * one uses its own, and the source tree only if those are missing.
	 */
	if (running_uninstalled() && dir_exists(candidates[1]))
		return xstrdup(candidates[1]);
	if (dir_exists(candidates[0]))
		return xstrdup(candidates[0]);
	if (dir_exists(candidates[1]))
		return xstrdup(candidates[1]);
	buf_addf(err, "no grammar directory found (looked in '%s' and '%s'; "
	    "use --grammars DIR or TRACESTAT_GRAMMARS)", candidates[0],
	    candidates[1]);
	return NULL;
}

static int
parse_error(struct parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
parse_error(struct parse *p, const char *fmt, ...)
{
	va_list ap;

	buf_addf(p->err, "%s:%d: ", p->path, p->line);
	va_start(ap, fmt);
	buf_vaddf(p->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* Parse "1.18" into 118; "+" into VERSION_LATER. */
static int
parse_version(const char *s, int *out)
{
	char *end;
	long major, minor;

	if (strcmp(s, "+") == 0) {
		*out = VERSION_LATER;
		return 0;
	}
	errno = 0;
	major = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '.' || major != 1)
		return -1;
	s = end + 1;
	minor = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || minor < 0 || minor > 98)
		return -1;
	*out = (int)(major * 100 + minor);
	return 0;
}

/*
 * Append src to out with {NAME} macros replaced; *depth receives the
 * deepest macro used (0 for none).  The result is refused before it grows
 * past GRAMMAR_MAX_PATTERN: macros that double at each step would
 * otherwise take gigabytes in a few lines.
 */
static int
expand_macros(struct parse *p, const char *src, struct buf *out, int *depth)
{
	const char *s = src, *close;
	size_t i, n, vlen;

	*depth = 0;
	while (*s != '\0') {
		if (out->len + 2 > GRAMMAR_MAX_PATTERN)
			return parse_error(p, "pattern longer than %d bytes "
			    "once macros are expanded", GRAMMAR_MAX_PATTERN);
		if (*s == '\\' && s[1] != '\0') {
			buf_add(out, s, 2);
			s += 2;
			continue;
		}
		if (*s == '{' && (isalpha((unsigned char)s[1]) || s[1] == '_')) {
			close = s + 1;
			while (isalnum((unsigned char)*close) || *close == '_')
				close++;
			if (*close == '}') {
				n = (size_t)(close - s - 1);
				for (i = 0; i < p->nmacros; i++)
					if (strlen(p->macros[i].name) == n &&
					    memcmp(p->macros[i].name, s + 1, n) == 0)
						break;
				if (i == p->nmacros)
					return parse_error(p, "undefined macro "
					    "'{%.*s}'", (int)n, s + 1);
				vlen = strlen(p->macros[i].value);
				if (vlen > GRAMMAR_MAX_PATTERN - out->len)
					return parse_error(p, "pattern longer "
					    "than %d bytes once macros are "
					    "expanded", GRAMMAR_MAX_PATTERN);
				if (p->macros[i].depth > *depth)
					*depth = p->macros[i].depth;
				buf_add(out, p->macros[i].value, vlen);
				s = close + 1;
				continue;
			}
		}
		buf_addc(out, *s++);
	}
	return 0;
}

static void
rule_reset(struct parse *p)
{
	size_t i;

	memset(&p->rule, 0, sizeof p->rule);
	buf_reset(&p->pattern);
	p->npieces = 0;
	for (i = 0; i < p->ndecls; i++)
		free(p->decls[i].name);
	p->ndecls = 0;
	p->in_rule = 0;
}

static struct field_decl *
find_decl(struct parse *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->ndecls; i++)
		if (strcmp(p->decls[i].name, name) == 0)
			return &p->decls[i];
	return NULL;
}

static enum field_type
default_type(enum kind k, const char *name)
{
	int col;

	if (strncmp(name, "x_", 2) == 0)
		return FIELD_TEXT;
	if (schema_list_index(k, name) >= 0)
		return FIELD_INTLIST;
	col = schema_column_index(k, name);
	if (col >= 0) {
		switch (schema_kind(k)->columns[col].type) {
		case COL_TEXT:
			return FIELD_TEXT;
		case COL_REAL:
			return FIELD_FLOAT;
		case COL_INT:
			break;
		}
	}
	return FIELD_INT;
}

/* Resolve where a field goes; returns -1 with a message if nowhere. */
static int
field_target(struct parse *p, int line, struct grammar_field *f)
{
	enum kind k = p->rule.kind;
	int i;

	if ((i = schema_list_index(k, f->name)) >= 0) {
		f->target = TARGET_LIST;
		f->index = i;
		return 0;
	}
	if ((i = schema_column_index(k, f->name)) >= 0) {
		f->target = TARGET_COLUMN;
		f->index = i;
		return 0;
	}
	if (strncmp(f->name, "x_", 2) == 0) {
		f->target = TARGET_EXTRA;
		f->index = -1;
		return 0;
	}
	p->line = line;
	return parse_error(p, "rule '%s': kind '%s' has no field '%s' (name "
	    "it x_%s to keep it as extra text)", p->rule.name,
	    schema_kind(k)->name, f->name, f->name);
}

static struct grammar_field *
add_field(struct grammar_rule *r, const char *name, size_t *cap)
{
	struct grammar_field *f;

	r->fields = xgrow(r->fields, cap, (size_t)r->nfields + 1,
	    sizeof *r->fields);
	f = &r->fields[r->nfields++];
	memset(f, 0, sizeof *f);
	f->name = xstrdup(name);
	return f;
}

/* Compile the rule being read and add it to g. */
static int
rule_end(struct grammar *g, struct parse *p)
{
	struct grammar_rule *r = &p->rule;
	int errcode, saved_line = p->line;
	PCRE2_SIZE erroffset;
	uint32_t namecount, entrysize, i;
	PCRE2_SPTR table;
	size_t fields_cap = 0, k;
	struct grammar_field *f;
	struct field_decl *d;
	PCRE2_UCHAR msg[256];

	if (!p->in_rule)
		return 0;
	if (p->pattern.len == 0) {
		p->line = r->line;
		return parse_error(p, "rule '%s' has no pattern", r->name);
	}
	r->code = pcre2_compile((PCRE2_SPTR)p->pattern.data, p->pattern.len,
	    PCRE2_ANCHORED | PCRE2_DUPNAMES, &errcode, &erroffset, NULL);
	if (r->code == NULL) {
		/* Name the pattern line that holds the offset. */
		for (k = p->npieces; k > 1; k--)
			if (p->piece_start[k - 1] <= erroffset)
				break;
		pcre2_get_error_message(errcode, msg, sizeof msg);
		p->line = p->piece_line[k - 1];
		parse_error(p, "rule '%s': pattern error at offset %zu: %s",
		    r->name, (size_t)(erroffset - p->piece_start[k - 1]),
		    (char *)msg);
		p->line = saved_line;
		return -1;
	}
	if (g->jit_available &&
	    pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE |
	    PCRE2_JIT_PARTIAL_HARD) == 0)
		r->jit = 1;

	pcre2_pattern_info(r->code, PCRE2_INFO_NAMECOUNT, &namecount);
	pcre2_pattern_info(r->code, PCRE2_INFO_NAMEENTRYSIZE, &entrysize);
	pcre2_pattern_info(r->code, PCRE2_INFO_NAMETABLE, &table);
	for (i = 0; i < namecount; i++) {
		const unsigned char *e = table + i * entrysize;
		int group = (e[0] << 8) | e[1];
		const char *name = (const char *)e + 2;

		f = NULL;
		for (k = 0; k < (size_t)r->nfields; k++)
			if (strcmp(r->fields[k].name, name) == 0)
				f = &r->fields[k];
		if (f == NULL) {
			f = add_field(r, name, &fields_cap);
			d = find_decl(p, name);
			f->type = d != NULL ? d->type :
			    default_type(r->kind, name);
			if (d != NULL && d->has_const) {
				p->line = d->line;
				return parse_error(p, "rule '%s': '%s' is "
				    "both a group and a constant", r->name,
				    name);
			}
			if (field_target(p, d != NULL ? d->line : r->line,
			    f) < 0)
				return -1;
		}
		f->groups = xrealloc(f->groups,
		    sizeof *f->groups * (size_t)(f->ngroups + 1));
		f->groups[f->ngroups++] = group;
	}
	for (k = 0; k < p->ndecls; k++) {
		d = &p->decls[k];
		if (!d->has_const) {
			int found = 0, j;

			for (j = 0; j < r->nfields; j++)
				if (strcmp(r->fields[j].name, d->name) == 0)
					found = 1;
			if (!found) {
				p->line = d->line;
				return parse_error(p, "rule '%s': field '%s' "
				    "is not a named group of the pattern",
				    r->name, d->name);
			}
			continue;
		}
		f = add_field(r, d->name, &fields_cap);
		f->type = FIELD_INT;
		f->has_const = 1;
		f->const_value = d->value;
		if (field_target(p, d->line, f) < 0)
			return -1;
	}

	g->rules = xgrow(g->rules, &g->rules_cap, (size_t)g->nrules + 1,
	    sizeof *g->rules);
	g->rules[g->nrules++] = *r;
	memset(r, 0, sizeof *r);
	rule_reset(p);
	p->line = saved_line;
	return 0;
}

static char *
skip_blank(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Split "word rest": returns the rest (blanks skipped), word NUL-ended. */
static char *
next_word(char *s)
{
	while (*s != '\0' && *s != ' ' && *s != '\t')
		s++;
	if (*s != '\0')
		*s++ = '\0';
	return skip_blank(s);
}

static void
trim_right(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		s[--n] = '\0';
}

static int
parse_line(struct grammar *g, struct parse *p, char *line)
{
	char *word, *rest, *arg2;
	size_t i;
	int k, depth;

	line = skip_blank(line);
	if (*line == '\0' || *line == '#')
		return 0;
	word = line;
	rest = next_word(line);

	if (strcmp(word, "pattern") == 0) {
		/*
		 * Blanks around a pattern line are dropped, as editors drop
		 * them anyway: a space at either end is written \x20.
		 */
		if (!p->in_rule)
			return parse_error(p, "'pattern' outside a rule");
		trim_right(rest);
		p->piece_line = xgrow(p->piece_line, &p->pieces_cap,
		    p->npieces + 1, sizeof *p->piece_line);
		p->piece_start = xgrow(p->piece_start, &p->starts_cap,
		    p->npieces + 1, sizeof *p->piece_start);
		p->piece_line[p->npieces] = p->line;
		p->piece_start[p->npieces] = p->pattern.len;
		p->npieces++;
		return expand_macros(p, rest, &p->pattern, &depth);
	}
	trim_right(rest);

	if (strcmp(word, "define") == 0) {
		struct buf value = BUF_INIT;

		arg2 = next_word(rest);
		if (*rest == '\0' || *arg2 == '\0')
			return parse_error(p, "usage: define NAME REGEX");
		if (expand_macros(p, arg2, &value, &depth) < 0) {
			buf_free(&value);
			return -1;
		}
		if (depth >= GRAMMAR_MAX_MACRO_DEPTH) {
			buf_free(&value);
			return parse_error(p, "macro '%s' nests macros more "
			    "than %d deep", rest, GRAMMAR_MAX_MACRO_DEPTH);
		}
		for (i = 0; i < p->nmacros; i++)
			if (strcmp(p->macros[i].name, rest) == 0) {
				buf_free(&value);
				return parse_error(p, "macro '%s' defined "
				    "twice", rest);
			}
		p->macros = xgrow(p->macros, &p->macros_cap, p->nmacros + 1,
		    sizeof *p->macros);
		p->macros[p->nmacros].name = xstrdup(rest);
		p->macros[p->nmacros].value = buf_detach(&value);
		p->macros[p->nmacros].depth = depth + 1;
		p->nmacros++;
		return 0;
	}
	if (strcmp(word, "rule") == 0) {
		if (rule_end(g, p) < 0)
			return -1;
		arg2 = next_word(rest);
		if (*rest == '\0' || *arg2 == '\0')
			return parse_error(p, "usage: rule NAME KIND");
		k = schema_kind_by_name(arg2);
		if (k < 0)
			return parse_error(p, "unknown kind '%s'", arg2);
		p->in_rule = 1;
		p->rule.name = xstrdup(rest);
		p->rule.kind = (enum kind)k;
		p->rule.file = xstrdup(p->path);
		p->rule.line = p->line;
		p->rule.go_min = 0;
		p->rule.go_max = VERSION_LATER;
		return 0;
	}
	if (!p->in_rule)
		return parse_error(p, "'%s' outside a rule", word);

	if (strcmp(word, "go") == 0) {
		arg2 = next_word(rest);
		if (parse_version(rest, &p->rule.go_min) < 0 ||
		    p->rule.go_min == VERSION_LATER)
			return parse_error(p, "bad Go version '%s'", rest);
		if (*arg2 == '\0')
			p->rule.go_max = p->rule.go_min;
		else if (parse_version(arg2, &p->rule.go_max) < 0 ||
		    p->rule.go_max < p->rule.go_min)
			return parse_error(p, "bad Go version '%s'", arg2);
		return 0;
	}
	if (strcmp(word, "signature") == 0) {
		size_t n = strlen(rest);

		if (n < 2 || rest[0] != '"' || rest[n - 1] != '"')
			return parse_error(p, "usage: signature \"TEXT\"");
		if (n == 2)
			return parse_error(p, "empty signature");
		if (p->rule.signature != NULL)
			return parse_error(p, "rule '%s' has two signatures",
			    p->rule.name);
		p->rule.signature = xstrndup(rest + 1, n - 2);
		p->rule.signature_len = n - 2;
		return 0;
	}
	if (strcmp(word, "echo") == 0) {
		if (*rest != '\0')
			return parse_error(p, "'echo' takes no argument");
		p->rule.echo = 1;
		return 0;
	}
	if (strcmp(word, "field") == 0 || strcmp(word, "set") == 0) {
		struct field_decl *d;
		int is_set = word[0] == 's';

		arg2 = next_word(rest);
		if (*rest == '\0' || *arg2 == '\0' || strchr(arg2, ' '))
			return parse_error(p, is_set ? "usage: set NAME VALUE"
			    : "usage: field NAME TYPE");
		if (find_decl(p, rest) != NULL)
			return parse_error(p, "field '%s' declared twice",
			    rest);
		p->decls = xgrow(p->decls, &p->decls_cap, p->ndecls + 1,
		    sizeof *p->decls);
		d = &p->decls[p->ndecls];
		memset(d, 0, sizeof *d);
		d->line = p->line;
		if (is_set) {
			char *end;

			errno = 0;
			d->value = strtoll(arg2, &end, 10);
			if (errno != 0 || *end != '\0')
				return parse_error(p, "'%s' is not an integer",
				    arg2);
			d->has_const = 1;
			d->type = FIELD_INT;
		} else {
			for (i = 0; i < sizeof field_types /
			    sizeof field_types[0]; i++)
				if (strcmp(field_types[i].name, arg2) == 0)
					break;
			if (i == sizeof field_types / sizeof field_types[0])
				return parse_error(p, "unknown field type "
				    "'%s'", arg2);
			d->type = field_types[i].type;
		}
		d->name = xstrdup(rest);
		p->ndecls++;
		return 0;
	}
	return parse_error(p, "unknown directive '%s'", word);
}

static void
parse_free(struct parse *p)
{
	size_t i;

	for (i = 0; i < p->nmacros; i++) {
		free(p->macros[i].name);
		free(p->macros[i].value);
	}
	free(p->macros);
	rule_reset(p);
	free(p->decls);
	buf_free(&p->pattern);
	free(p->piece_line);
	free(p->piece_start);
}

static void
rule_free(struct grammar_rule *r)
{
	int i;

	for (i = 0; i < r->nfields; i++) {
		free(r->fields[i].name);
		free(r->fields[i].groups);
	}
	free(r->fields);
	free(r->name);
	free(r->file);
	free(r->signature);
	if (r->code != NULL)
		pcre2_code_free(r->code);
}

int
grammar_load_file(struct grammar *g, const char *path, struct buf *err)
{
	struct parse p;
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0, nrules;
	uint32_t jit;

	if (g->md == NULL) {
		g->md = pcre2_match_data_create(64, NULL);
		g->jit_available = pcre2_config(PCRE2_CONFIG_JIT, &jit) >= 0 &&
		    jit;
		g->mctx = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(g->mctx, GRAMMAR_MATCH_LIMIT);
		pcre2_set_depth_limit(g->mctx, GRAMMAR_DEPTH_LIMIT);
	}
	nrules = g->nrules;
	fp = fopen(path, "r");
	if (fp == NULL) {
		buf_addf(err, "cannot open grammar '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	memset(&p, 0, sizeof p);
	p.path = path;
	p.err = err;
	while ((n = getline(&line, &cap, fp)) >= 0) {
		p.line++;
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (memchr(line, '\0', (size_t)(n > 0 ? n - 1 : 0)) != NULL &&
		    strlen(line) + 1 < (size_t)n) {
			rc = parse_error(&p, "NUL byte in grammar file");
			break;
		}
		if (parse_line(g, &p, line) < 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(fp)) {
		buf_addf(err, "cannot read grammar '%s': %s", path,
		    strerror(errno));
		rc = -1;
	}
	if (rc == 0)
		rc = rule_end(g, &p);
	if (rc == 0 && g->nrules == nrules) {
		/* An empty grammar would store nothing, silently. */
		buf_addf(err, "grammar '%s' holds no rule", path);
		rc = -1;
	}
	if (rc < 0 && p.rule.code != NULL)
		pcre2_code_free(p.rule.code);
	if (rc < 0) {
		p.rule.code = NULL;
		rule_free(&p.rule);
		memset(&p.rule, 0, sizeof p.rule);
	}
	free(line);
	fclose(fp);
	parse_free(&p);
	if (rc == 0) {
		g->files = xrealloc(g->files, sizeof *g->files *
		    (size_t)(g->nfiles + 1));
		g->files[g->nfiles++] = xstrdup(path);
	}
	return rc;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
grammar_load_dir(struct grammar *g, const char *dir, struct buf *err)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i, len;
	int rc = 0;
	struct buf path = BUF_INIT;

	d = opendir(dir);
	if (d == NULL) {
		buf_addf(err, "cannot open grammar directory '%s': %s", dir,
		    strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len <= 8 || e->d_name[0] == '.' ||
		    strcmp(e->d_name + len - 8, ".grammar") != 0)
			continue;
		names = xgrow(names, &cap, n + 1, sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n == 0) {
		buf_addf(err, "grammar directory '%s' has no *.grammar file",
		    dir);
		free(names);
		return -1;
	}
	qsort(names, n, sizeof *names, compare_names);
	for (i = 0; i < n; i++) {
		buf_reset(&path);
		buf_addf(&path, "%s/%s", dir, names[i]);
		if (rc == 0 && grammar_load_file(g, path.data, err) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	buf_free(&path);
	if (rc == 0)
		grammar_finish(g);
	return rc;
}

void
grammar_finish(struct grammar *g)
{
	int c, i, n;

	for (c = 0; c < 256; c++) {
		free(g->by_byte[c]);
		g->by_byte[c] = xmalloc(sizeof(int) * (size_t)(g->nrules + 1));
		n = 0;
		for (i = 0; i < g->nrules; i++) {
			const struct grammar_rule *r = &g->rules[i];

			if (r->signature_len == 0 ||
			    (unsigned char)r->signature[0] == c)
				g->by_byte[c][n++] = i;
		}
		g->by_byte[c][n] = -1;
	}
}

void
grammar_free(struct grammar *g)
{
	int i;

	for (i = 0; i < g->nrules; i++)
		rule_free(&g->rules[i]);
	free(g->rules);
	for (i = 0; i < 256; i++)
		free(g->by_byte[i]);
	for (i = 0; i < g->nfiles; i++)
		free(g->files[i]);
	free(g->files);
	if (g->md != NULL)
		pcre2_match_data_free(g->md);
	if (g->mctx != NULL)
		pcre2_match_context_free(g->mctx);
	free(g->sigs);
	free(g->sig_lens);
	memset(g, 0, sizeof *g);
}

/* Count a match stopped by a limit; 1 when rc is such a stop. */
static int
limit_hit(struct grammar *g, const struct grammar_rule *r, int rc)
{
	if (rc != PCRE2_ERROR_MATCHLIMIT && rc != PCRE2_ERROR_DEPTHLIMIT &&
	    rc != PCRE2_ERROR_HEAPLIMIT && rc != PCRE2_ERROR_JIT_STACKLIMIT)
		return 0;
	/* The rules are g's own: only constness of the callers' view. */
	g->rules[r - g->rules].limit_hits++;
	return 1;
}

int64_t
grammar_limit_hits(const struct grammar *g, struct buf *out)
{
	int64_t total = 0;
	int i;

	for (i = 0; i < g->nrules; i++) {
		const struct grammar_rule *r = &g->rules[i];

		if (r->limit_hits == 0)
			continue;
		if (out != NULL)
			buf_addf(out, "%s'%s' (%s:%d) %lld", total > 0 ?
			    ", " : "", r->name, r->file, r->line,
			    (long long)r->limit_hits);
		total += r->limit_hits;
	}
	return total;
}

static int
signature_agrees(const struct grammar_rule *r, const char *s, size_t len)
{
	size_t n = r->signature_len < len ? r->signature_len : len;

	return n == 0 || memcmp(r->signature, s, n) == 0;
}

int
grammar_match(struct grammar *g, unsigned kinds, const char *s, size_t len,
    struct grammar_match *m, struct buf *err)
{
	const int *list;
	int rc;
	PCRE2_UCHAR msg[256];

	if (len == 0 || g->nrules == 0)
		return 0;
	for (list = g->by_byte[(unsigned char)s[0]]; *list >= 0; list++) {
		const struct grammar_rule *r = &g->rules[*list];

		if (!(kinds & (1u << r->kind)) || len < r->signature_len ||
		    !signature_agrees(r, s, len))
			continue;
		rc = pcre2_match(r->code, (PCRE2_SPTR)s, len, 0, 0, g->md,
		    g->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			continue;
		if (limit_hit(g, r, rc))
			continue;
		if (rc < 0) {
			pcre2_get_error_message(rc, msg, sizeof msg);
			buf_addf(err, "rule '%s' (%s:%d): match failed: %s",
			    r->name, r->file, r->line, (char *)msg);
			return -1;
		}
		m->rule = r;
		m->subject = s;
		m->ovector = pcre2_get_ovector_pointer(g->md);
		m->end = m->ovector[1];
		return 1;
	}
	return 0;
}

static int
viable(struct grammar *g, const struct grammar_rule *r, const char *s,
    size_t len)
{
	int rc;

	rc = pcre2_match(r->code, (PCRE2_SPTR)s, len, 0, PCRE2_PARTIAL_HARD,
	    g->md, g->mctx);
	limit_hit(g, r, rc);
	return rc >= 0 || rc == PCRE2_ERROR_PARTIAL;
}

size_t
grammar_viable_prefix(struct grammar *g, unsigned kinds, const char *s,
    size_t len, const struct grammar_rule **rule)
{
	const int *list;
	size_t best = 0, lo, hi, mid;

	*rule = NULL;
	if (len == 0 || g->nrules == 0)
		return 0;
	for (list = g->by_byte[(unsigned char)s[0]]; *list >= 0; list++) {
		const struct grammar_rule *r = &g->rules[*list];

		if (!(kinds & (1u << r->kind)) || !signature_agrees(r, s, len))
			continue;
		/* Invariant: s[0..lo) is viable, s[0..hi+1) is not known. */
		lo = r->signature_len < len ? r->signature_len : len;
		if (lo == 0 && !viable(g, r, s, 1))
			continue;
		if (lo == 0)
			lo = 1;
		if (lo <= best && !viable(g, r, s, best + 1 <= len ?
		    best + 1 : len))
			continue;
		hi = len;
		if (viable(g, r, s, hi))
			lo = hi;
		while (lo < hi) {
			mid = lo + (hi - lo + 1) / 2;
			if (viable(g, r, s, mid))
				lo = mid;
			else
				hi = mid - 1;
		}
		if (lo > best) {
			best = lo;
			*rule = r;
		}
	}
	return best;
}

int
grammar_viable(struct grammar *g, unsigned kinds, const char *s,
    size_t len)
{
	const int *list;

	if (len == 0 || g->nrules == 0)
		return 0;
	for (list = g->by_byte[(unsigned char)s[0]]; *list >= 0; list++) {
		const struct grammar_rule *r = &g->rules[*list];

		if ((kinds & (1u << r->kind)) && signature_agrees(r, s, len) &&
		    viable(g, r, s, len))
			return 1;
	}
	return 0;
}

/* The distinct signatures of the rules in kinds (cached by mask). */
static void
signature_set(struct grammar *g, unsigned kinds)
{
	int i, j;

	if (g->sigs != NULL && g->sig_mask == kinds)
		return;
	free(g->sigs);
	free(g->sig_lens);
	g->sigs = xcalloc((size_t)g->nrules + 1, sizeof *g->sigs);
	g->sig_lens = xcalloc((size_t)g->nrules + 1, sizeof *g->sig_lens);
	g->nsigs = 0;
	g->sig_mask = kinds;
	for (i = 0; i < g->nrules; i++) {
		const struct grammar_rule *r = &g->rules[i];

		if (!(kinds & (1u << r->kind)) || r->signature_len == 0)
			continue;
		for (j = 0; j < g->nsigs; j++)
			if (g->sig_lens[j] == r->signature_len &&
			    memcmp(g->sigs[j], r->signature,
			    r->signature_len) == 0)
				break;
		if (j < g->nsigs)
			continue;
		g->sigs[g->nsigs] = r->signature;
		g->sig_lens[g->nsigs] = r->signature_len;
		g->nsigs++;
	}
}

size_t
grammar_find_signature(struct grammar *g, unsigned kinds, const char *s,
    size_t len, size_t from)
{
	size_t best = len;
	int i;

	if (from >= len)
		return len;
	signature_set(g, kinds);
	for (i = 0; i < g->nsigs; i++) {
		const char *hit = memmem(s + from, len - from, g->sigs[i],
		    g->sig_lens[i]);

		if (hit != NULL && (size_t)(hit - s) < best)
			best = (size_t)(hit - s);
	}
	return best;
}

const char *
grammar_field_bytes(const struct grammar_match *m,
    const struct grammar_field *f, size_t *len)
{
	int i;

	for (i = 0; i < f->ngroups; i++) {
		PCRE2_SIZE a = m->ovector[2 * f->groups[i]];
		PCRE2_SIZE b = m->ovector[2 * f->groups[i] + 1];

		if (a != PCRE2_UNSET) {
			*len = b - a;
			return m->subject + a;
		}
	}
	*len = 0;
	return NULL;
}
