/*
 * trace.h - turn physical lines into trace records and passed-through text.
 *
 * The tracer strips log collectors' prefixes, matches grammar rules,
 * repairs trace lines torn apart by application output, assigns records to
 * segments (one per process) and derives the few values a line implies.
 * It never prints: records go to the record callback, application text to
 * the output callback.
 */
#ifndef TRACESTAT_TRACE_H
#define TRACESTAT_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "grammar.h"
#include "record.h"

#define TRACER_OPEN_SEGMENTS 8
/* Cycles a repaired gc line may skip and still continue its process. */
#define TRACER_MAX_GC_GAP 4
/*
 * Whole foreign lines allowed between two pieces of a torn line (a busy
 * logger writes hundreds while the runtime's thread waits for a CPU).
 */
#define TRACER_MAX_GAPS 4096
/* Bytes of lines held back while waiting for the rest of one. */
#define TRACER_MAX_HELD (1024 * 1024)
/* Application line starts remembered to place cuts in torn lines. */
#define TRACER_SHAPES 64
#define TRACER_SHAPE_LEN 8
/* Lines whose stream is remembered (more than a torn line can span,
 * TRACER_MAX_GAPS). */
#define TRACER_STREAMS 8192
/*
 * Bounds that keep the work on any line linear in its bytes (documented in
 * tracestat-ingest(1), LIMITS):
 * the grammar never sees more than TRACER_MAX_TRACE bytes of one line (a
 * longer one is no trace line), at most TRACER_MAX_CUTS shorter cuts are
 * tried when a piece is joined, at most TRACER_MAX_SIGNATURES signatures
 * are tried in one line, and the grammar work on one torn line is at most
 * TRACER_WORK_PER_BYTE times the bytes held for it plus TRACER_WORK_BASE.
 */
#define TRACER_MAX_TRACE (64 * 1024)
#define TRACER_MAX_CUTS 24
#define TRACER_MAX_SIGNATURES 16
#define TRACER_WORK_PER_BYTE 64
#define TRACER_WORK_BASE (256 * 1024)

struct tracer_callbacks {
	void	*ctx;
	/* A record is ready; return -1 to report a store failure. */
	int	(*record)(void *ctx, const struct record *r);
	/*
	 * Text to pass through (a line with its newline, if it had one).
	 * trace is 1 for trace lines (echo), 2 for runtime messages a rule
	 * passes through (crashes), 0 for application text.
	 */
	void	(*output)(void *ctx, const char *s, size_t len, int trace);
	/* A segment was closed for good; it will not change again. */
	void	(*segment_closed)(void *ctx, const struct segment *s);
	/* A trace line that could not be read, kept for inspection. */
	void	(*broken)(void *ctx, int64_t line_no, const char *reason,
		    const char *s, size_t len);
};

struct tracer_counts {
	int64_t	lines;		/* physical lines read */
	int64_t	trace_lines;	/* trace lines recognised (after repair) */
	int64_t	other_lines;	/* lines passed through */
	int64_t	gc_cycles;
	int64_t	sched_samples;
	int64_t	repaired;	/* trace lines rebuilt from pieces */
	int64_t	unrecognised;	/* broken or unreadable trace lines */
	int64_t	overlong;	/* lines longer than the line buffer */
	int64_t	invalid_values;	/* wrap-around values stored as NULL */
	int64_t	segments;
};

struct tracer_pending {
	int				 active;
	int				 weak;
	const struct grammar_rule	*rule;
	struct buf			 text;		/* joined trace text */
	size_t				 floor;		/* text before the latest piece */
	int64_t				 first_line;
	int				 has_wall;
	double				 wall_s;
	int				 gaps;
	struct buf			 held;		/* raw lines held back */
	struct buf			 foreign;	/* their foreign parts */
	/*
	 * The foreign part of the latest piece is kept apart until the next
	 * piece arrives: a number at the end of the trace text may really
	 * be the start of the foreign text (numbers are written whole).
	 */
	struct buf			 after_last;	/* whole lines after it */
	struct buf			 last_prefix;
	struct buf			 last_text;
	struct buf			 last_eol;
	int64_t				 last_line;
	int				 last_has_wall;
	double				 last_wall_s;
	int				 last_released;
	size_t				 spent;		/* grammar work */
	/*
	 * Whether text[0..cut) may go on with a byte, for the cuts a join
	 * tries (go_on[len - cut][byte]: 0 unknown, 1 no, 2 yes), kept while
	 * the text stays as it is: a whole foreign line between two pieces
	 * is then refused without a grammar pass per cut (see
	 * pending_may_go_on).
	 */
	int				 go_on_valid;
	unsigned char			 go_on[TRACER_MAX_CUTS + 1][256];
};

/*
 * A whole gc line that had application text glued after its "P".  The
 * runtime writes " (forced)" and the newline in writes of their own, so
 * the suffix may still come, after the glued text's newline and any
 * number of whole application lines (as many as between two pieces of a
 * torn line, TRACER_MAX_GAPS: the runtime's thread may be descheduled
 * between the two writes while other threads log).  The record waits for
 * it until an empty line (the owed newline alone), the next trace text,
 * the end of input, or tracer_take_waiting.  Nothing of the output waits
 * with it.
 */
struct tracer_deferred {
	int		 active;
	struct buf	 text;		/* the trace text, up to its "P" */
	int64_t		 line_no;
	int		 has_wall;
	double		 wall_s;
	int		 gaps;		/* application lines since */
};

struct tracer {
	struct grammar		*grammar;
	struct tracer_callbacks	 cb;
	int			 echo;		/* pass trace lines through */
	int			 year;		/* for syslog stamps */
	struct tracer_counts	 counts;
	struct tracer_pending	 pending;
	struct segment		 segments[TRACER_OPEN_SEGMENTS];
	int			 nsegments;
	struct segment		*current;
	uint64_t		 clock;
	int			 swallow_empty;	/* lines an owed newline may come in */
	struct tracer_deferred	 deferred;
	int			 last_prefix;	/* rule index hint */
	int			 failed;	/* the record callback failed */
	struct buf		 err;
	/* The kinds' descriptors with column names resolved (trace.c). */
	struct tracer_kind	*kinds;
	unsigned		 trace_kinds, mid_line_kinds;	/* masks */
	/*
	 * A line whose values wait for the next record of another kind
	 * (scvgN: X MB released for its inuse: line): its merge keys, then
	 * its merge columns.
	 */
	int			 held_kind;	/* -1: none */
	struct value		 held[SCHEMA_MAX_MERGE];
	struct buf		 work;		/* scratch */
	/* How recent application lines begin (see remember_shape). */
	char			 shapes[TRACER_SHAPES][TRACER_SHAPE_LEN];
	int			 nshapes, shape_next;
	/* Signatures looked for mid-line, and where one was seen last. */
	const char		**sigs;
	size_t			*sig_lens;
	size_t			 sig_at;	/* the next one found, or SIZE_MAX */
	unsigned char		 sig_first[256];	/* a signature starts with */
	int			 nsigs;
	int64_t			*listbuf[RECORD_MAX_LISTS];
	size_t			 listcap[RECORD_MAX_LISTS];
	/* What the input format said of the next line. */
	int			 next_has_wall;
	double			 next_wall_s;
	const char		*next_stream;
	/* The stream of recent lines, by line number. */
	const char		*streams[TRACER_STREAMS];
	int64_t			 stream_lines[TRACER_STREAMS];
};

void tracer_init(struct tracer *t, struct grammar *g,
    const struct tracer_callbacks *cb);

/*
 * Feed one physical line: s[0..len) including its '\n' when it had one.
 * Returns 0, or -1 when the record callback failed (the tracer still
 * passes application text through afterwards).
 */
int tracer_feed(struct tracer *t, const char *s, size_t len);

/*
 * A line longer than the reader's buffer: its bytes arrive in pieces and
 * are passed through unparsed.  first is 1 for the first piece.
 */
void tracer_feed_overlong(struct tracer *t, const char *s, size_t len,
    int first);

/*
 * What a log format recorded of the next line fed: its wall-clock time
 * (which wins over a time in the line's own prefix) and its stream
 * ("stdout", "stderr", a static string, or NULL), kept in the extra JSON
 * of the records the line starts.  Applies to one tracer_feed only.
 */
void tracer_set_next_line(struct tracer *t, int has_wall, double wall_s,
    const char *stream);

/* True when lines are held back waiting for the rest of a torn line. */
int tracer_holding(const struct tracer *t);

/* True when a gc record waits for its " (forced)" (no output waits). */
int tracer_waiting(const struct tracer *t);

/*
 * Give up waiting for the rest of a torn line: pass held lines through
 * now.  The torn line may still be completed by later input.
 */
void tracer_release_held(struct tracer *t);

/* Give up waiting for a " (forced)": record the gc line without it. */
void tracer_take_waiting(struct tracer *t);

/* Both of the above (the end of an input). */
void tracer_release(struct tracer *t);

/* End of input: resolve what is pending. */
void tracer_finish(struct tracer *t);

/* The segments still open (not yet reported closed). */
struct segment *tracer_open_segments(struct tracer *t, int *n);

void tracer_free(struct tracer *t);

#endif
