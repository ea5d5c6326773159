/*
 * The plot reducer alone (src/analysis/plot-reduce.c), for t1600.
 *
 * usage: plot-reduce-check COLUMNS X_LO X_HI NSERIES < ROWS
 *        plot-reduce-check dots COLUMNS X_LO X_HI Y_LO Y_HI ROWS NSERIES
 *            < MARKS
 *
 * Each input line is "X Y1 .. YN MARK" (MARK 0 or 1, Y may be nan); a
 * blank line flushes (a segment break) and is written as it is.  The
 * lines kept are written to standard output as they came.  With dots,
 * each line is "X Y SERIES" and the marks plot_dots keeps are written.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "plot-reduce.h"

static int
dots(char **argv)
{
	struct plot_dots d;
	char line[4096], *p, *end;
	double x, y;
	int series;

	plot_dots_init(&d, strtod(argv[1], NULL), strtod(argv[2], NULL),
	    atoi(argv[0]), strtod(argv[3], NULL), strtod(argv[4], NULL),
	    atoi(argv[5]), atoi(argv[6]));
	while (fgets(line, sizeof line, stdin) != NULL) {
		p = line;
		x = strtod(p, &end);
		p = end;
		y = strtod(p, &end);
		p = end;
		series = (int)strtol(p, &end, 10);
		if (plot_dots_keep(&d, x, y, series))
			fputs(line, stdout);
	}
	plot_dots_end(&d);
	return fflush(stdout) == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct plot_reduce r;
	struct buf out = BUF_INIT;
	char line[4096], *p, *end;
	double y[PLOT_REDUCE_MAX_SERIES], x;
	int k, nseries, mark;

	if (argc == 9 && strcmp(argv[1], "dots") == 0)
		return dots(argv + 2);
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
