/*
 * The plot reducer alone (src/analysis/plot-reduce.c), for t1600.
 *
 * usage: plot-reduce-check COLUMNS X_LO X_HI NSERIES < ROWS
 *
 * Each input line is "X Y1 .. YN MARK" (MARK 0 or 1, Y may be nan); a
 * blank line flushes (a segment break) and is written as it is.  The
 * lines kept are written to standard output as they came.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "plot-reduce.h"

int
main(int argc, char **argv)
{
	struct plot_reduce r;
	struct buf out = BUF_INIT;
	char line[4096], *p, *end;
	double y[PLOT_REDUCE_MAX_SERIES], x;
	int k, nseries, mark;

	if (argc != 5) {
		fprintf(stderr, "usage: plot-reduce-check COLUMNS X_LO X_HI "
		    "NSERIES\n");
		return 2;
	}
	nseries = atoi(argv[4]);
	if (nseries < 1 || nseries > PLOT_REDUCE_MAX_SERIES)
		return 2;
	plot_reduce_init(&r, &out, strtod(argv[2], NULL),
	    strtod(argv[3], NULL), atoi(argv[1]), nseries);
	while (fgets(line, sizeof line, stdin) != NULL) {
		if (line[0] == '\n') {
			plot_reduce_flush(&r);
			buf_adds(&out, "\n");
			continue;
		}
		p = line;
		x = strtod(p, &end);
		p = end;
		for (k = 0; k < nseries; k++) {
			y[k] = strtod(p, &end);
			p = end;
		}
		mark = (int)strtol(p, &end, 10);
		plot_reduce_add(&r, x, y, mark, line, strlen(line));
		if (out.len > 65536) {
			fwrite(out.data, 1, out.len, stdout);
			buf_reset(&out);
		}
	}
	plot_reduce_end(&r);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	return fflush(stdout) == 0 ? 0 : 1;
}
