/*
 * grammar.h - line shapes loaded from grammars/ files, matched with PCRE2.
 *
 * A grammar file holds rules; each rule has a record kind, the Go versions
 * that print the shape, a literal signature the line starts with, typed
 * fields and a PCRE2 pattern whose named groups are the fields.  The file
 * format is described in tracestat-grammar(5).
 */
#ifndef TRACESTAT_GRAMMAR_H
#define TRACESTAT_GRAMMAR_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "schema.h"

enum field_type {
	FIELD_INT,		/* decimal integer, may be negative */
	FIELD_MS,		/* runtime millisecond format -> microseconds */
	FIELD_SECONDS,		/* seconds with decimals -> milliseconds */
	FIELD_FLOAT,		/* runtime float, both eras; NaN/Inf -> NULL */
	FIELD_FLAG,		/* 1 when the group matched, else 0 */
	FIELD_BOOL,		/* true/false/1/0 -> 1/0 */
	FIELD_ID,		/* integer; -1 and nil -> NULL */
	FIELD_TEXT,		/* bytes as they are */
	FIELD_INTLIST,		/* integers separated by blanks */
	FIELD_TIME,		/* RFC 3339 time stamp -> Unix seconds */
	FIELD_SYSLOGTIME	/* "Mmm dd hh:mm:ss" -> Unix seconds */
};

/* Where a field's value goes. */
enum field_target {
	TARGET_COLUMN,		/* a column of the kind's table */
	TARGET_LIST,		/* an integer list of the kind */
	TARGET_EXTRA		/* x_ names: kept in the record's extra text */
};

struct grammar_field {
	char			*name;
	enum field_type		 type;
	enum field_target	 target;
	int			 index;		/* column or list index */
	int			*groups;	/* capture groups of this name */
	int			 ngroups;
	int			 has_const;	/* set NAME VALUE */
	int64_t			 const_value;
};

struct grammar_rule {
	char			*name;
	enum kind		 kind;
	char			*file;
	int			 line;
	int			 go_min;	/* 118 for 1.18 */
	int			 go_max;	/* 999 for "and later" */
	char			*signature;
	size_t			 signature_len;
	int			 echo;		/* pass the line through too */
	struct grammar_field	*fields;
	int			 nfields;
	pcre2_code		*code;
	int			 jit;
	int64_t			 limit_hits;	/* matches stopped by a limit */
};

struct grammar {
	struct grammar_rule	*rules;
	int			 nrules;
	size_t			 rules_cap;
	/* Rule indexes by first signature byte; -1 ends each list. */
	int			*by_byte[256];
	int			*unsigned_rules;	/* rules without signature */
	pcre2_match_data	*md;
	pcre2_match_context	*mctx;		/* the match limits */
	char			**files;
	int			 nfiles;
	int			 jit_available;
	/* Distinct signatures of the last kind mask searched for. */
	unsigned		 sig_mask;
	const char		**sigs;
	size_t			*sig_lens;
	int			 nsigs;
};

struct grammar_match {
	const struct grammar_rule	*rule;
	const char			*subject;
	size_t				 end;	/* bytes matched */
	PCRE2_SIZE			*ovector;
};

/*
 * Limits on what a grammar file may ask for, documented in
 * tracestat-grammar(5) and tracestat(1): a pattern or macro expands to at
 * most GRAMMAR_MAX_PATTERN bytes, a macro uses macros at most
 * GRAMMAR_MAX_MACRO_DEPTH deep, and one match attempt may backtrack at most
 * GRAMMAR_MATCH_LIMIT times, GRAMMAR_DEPTH_LIMIT deep.  A match stopped
 * by a limit counts as no match and is counted in its rule's limit_hits.
 */
#define GRAMMAR_MAX_PATTERN (64 * 1024)
#define GRAMMAR_MAX_MACRO_DEPTH 16
#define GRAMMAR_MATCH_LIMIT 1000000
#define GRAMMAR_DEPTH_LIMIT 10000

/*
 * Find the grammar directory: dir when not NULL, else $TRACESTAT_GRAMMARS,
 * else the installed directory, else the source tree's.  Returns a string
 * the caller frees, or NULL with a message in err.
 */
char *grammar_find_dir(const char *dir, struct buf *err);

/*
 * Load every *.grammar file of dir.  Returns 0, or -1 with err set (also
 * when a file holds no rule).
 */
int grammar_load_dir(struct grammar *g, const char *dir, struct buf *err);

/* Load one file (used by tests and by grammar_load_dir). */
int grammar_load_file(struct grammar *g, const char *path, struct buf *err);

/*
 * Matches stopped by a PCRE2 limit since loading: the total, and for each
 * rule that had any "NAME (FILE:LINE) N" appended to out, comma separated.
 */
int64_t grammar_limit_hits(const struct grammar *g, struct buf *out);

/* Build the dispatch tables; call once after loading. */
void grammar_finish(struct grammar *g);

void grammar_free(struct grammar *g);

/*
 * Match s[0..len) against the rules whose kind is in kinds (a bit mask of
 * 1u << kind).  Returns 1 with m filled on a match anchored at s, 0 when no
 * rule matches, -1 on a PCRE2 failure other than no-match (err set).
 * The match stays valid until the next call.
 */
int grammar_match(struct grammar *g, unsigned kinds, const char *s,
    size_t len, struct grammar_match *m, struct buf *err);

/*
 * The longest k <= len such that s[0..k) could still be the start of a
 * line of a rule in kinds, and at least minlen long; 0 when there is none.
 * *rule receives the rule that allows the longest prefix.
 */
size_t grammar_viable_prefix(struct grammar *g, unsigned kinds,
    const char *s, size_t len, const struct grammar_rule **rule);

/*
 * Could the whole of s[0..len) still be the start of a line of a rule in
 * kinds (one partial match per rule that may start so)?
 */
int grammar_viable(struct grammar *g, unsigned kinds, const char *s,
    size_t len);

/* Position of the first signature of a rule in kinds in s, or len. */
size_t grammar_find_signature(struct grammar *g, unsigned kinds,
    const char *s, size_t len, size_t from);

/* Bytes of field f in match m; NULL when the field did not take part. */
const char *grammar_field_bytes(const struct grammar_match *m,
    const struct grammar_field *f, size_t *len);

#endif
