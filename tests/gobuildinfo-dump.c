/*
 * gobuildinfo-dump FILE... - print what gobuildinfo_read finds, in the
 * shape of `go version -m`'s first lines, for tests/t1260-gobuildinfo.sh:
 *
 *	FILE: go1.19.8
 *		path	tracestatgen/runprobe
 *		mod	tracestatgen	(devel)
 *
 * or "FILE: not a Go binary".  Exits 1 if a file could not be read.
 */
#include "config.h"

#include <stdio.h>

#include "../src/cmd/gobuildinfo.h"

int
main(int argc, char **argv)
{
	struct gobuildinfo info;
	struct buf err = BUF_INIT;
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		switch (gobuildinfo_read(argv[i], &info, &err)) {
		case 1:
			printf("%s: %s\n", argv[i], info.go_version);
			if (info.path != NULL)
				printf("\tpath\t%s\n", info.path);
			if (info.main_module != NULL)
				printf("\tmod\t%s\t%s\n", info.main_module,
				    info.main_version);
			gobuildinfo_free(&info);
			break;
		case 0:
			printf("%s: not a Go binary\n", argv[i]);
			break;
		default:
			fprintf(stderr, "%s\n", buf_str(&err));
			buf_reset(&err);
			rc = 1;
		}
	}
	buf_free(&err);
	return rc;
}
