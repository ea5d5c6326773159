/*
 * ingest.h - the ingest loop for commands that own their input, such as
 * run, which feeds it the standard error of the program it started.
 */
#ifndef TRACESTAT_INGEST_H
#define TRACESTAT_INGEST_H

#include "cmd.h"

/*
 * Create a run and ingest in_fd until its end of file, passing
 * application text through to out_fd as soon as it is known.  argc and
 * argv are ingest options only (--name, --label, -q, -e, --hold, --db,
 * --grammars; argv[0] is the command's name); an operand is a usage
 * error.  source_name names the input in the run (runs.source).
 *
 * Signals are left to the caller: the loop installs no handler and does
 * not stop on SIGINT or SIGTERM, so it reads until in_fd closes.  Prints
 * its messages and the closing "run N: ..." line on stderr.  Returns an
 * exit code of enum exit_code.
 */
int ingest_stream(struct cmd_ctx *ctx, int argc, char **argv, int in_fd,
    int out_fd, const char *source_name);

#endif
