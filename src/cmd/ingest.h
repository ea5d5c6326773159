/*
 * ingest.h - the ingest loop, for the commands that feed a stream to it.
 *
 * The loop reads an input, writes every line that is not a trace line to
 * an output at once, and stores the trace lines through the writer
 * thread (writer.h) so that the store never holds the input back.
 */
#ifndef TRACESTAT_INGEST_H
#define TRACESTAT_INGEST_H

#include "cmd.h"

/* Flags of ingest_stream_flags. */
enum {
	/*
	 * Install no signal handler (but ignore SIGPIPE): the caller's
	 * child gets the terminal's signals itself, and the loop reads until
	 * the input ends, or until ingest_stop.  The caller handles SIGINT
	 * and SIGTERM (their default action would end the process without
	 * committing).
	 */
	INGEST_NO_SIGNALS = 1
};

/*
 * Make the loop of ingest_stream_flags stop reading soon, commit and
 * return, as SIGTERM does without INGEST_NO_SIGNALS (the run becomes
 * 'interrupted', reason 'stopped'); during the final wait for a busy
 * store, give up waiting.  Async-signal-safe: a signal handler may call
 * it.  A read that is waiting ends at the next signal or input.
 */
void ingest_stop(void);

/*
 * Ingest in_fd as one new run, passing application text through to
 * out_fd.  argc and argv are ingest's options, parsed by the table of
 * its entry (argv[0] is skipped; argv is reordered); an operand is a
 * usage error.  source_name names the
 * input in the run (runs.source).  Prints its messages and the final
 * line on standard error and returns the exit code (enum exit_code).
 * in_fd and out_fd are not closed.
 */
int ingest_stream(struct cmd_ctx *ctx, int argc, char **argv, int in_fd,
    int out_fd, const char *source_name);
int ingest_stream_flags(struct cmd_ctx *ctx, int argc, char **argv,
    int in_fd, int out_fd, const char *source_name, int flags);

#endif
