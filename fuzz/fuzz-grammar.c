/*
 * fuzz-grammar.c - the grammar loader on any file, then the rules it
 * accepted on a few real lines.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "grammar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_lines[] = {
	"gc 14 @0.464s 11%: 0.046+23+0.025 ms clock, 0.092+15/11/0+0.051 ms "
	"cpu, 168->204->137 MB, 196 MB goal, 0 MB stacks, 0 MB globals, 2 P",
	"SCHED 1004ms: gomaxprocs=2 idleprocs=0 threads=5 spinningthreads=0 "
	"idlethreads=2 runqueue=0 [1 0]",
	"2026-11-21T18:50:00.123Z gc 1 @0.1s 0%: x",
	"scvg0: inuse: 3, idle: 0, sys: 4, released: 0, consumed: 4 (MB)",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
	"",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct grammar g;
	struct grammar_match m;
	const struct grammar_rule *rule;
	struct buf err = BUF_INIT, path = BUF_INIT;
	size_t i, len;
	int fd;

	fd = memfd_create("fuzz.grammar", MFD_CLOEXEC);
	if (fd < 0 || (size > 0 && write(fd, data, size) != (ssize_t)size))
		abort();
	buf_addf(&path, "/proc/self/fd/%d", fd);
	memset(&g, 0, sizeof g);
	if (grammar_load_file(&g, path.data, &err) == 0) {
		grammar_finish(&g);
		for (i = 0; i < sizeof fuzz_lines / sizeof fuzz_lines[0];
		    i++) {
			len = strlen(fuzz_lines[i]);
			buf_reset(&err);
			grammar_match(&g, ~0u, fuzz_lines[i], len, &m, &err);
			grammar_viable_prefix(&g, ~0u, fuzz_lines[i], len,
			    &rule);
			grammar_find_signature(&g, ~0u, fuzz_lines[i], len, 0);
		}
		grammar_limit_hits(&g, &err);
	}
	grammar_free(&g);
	close(fd);
	buf_free(&err);
	buf_free(&path);
	return 0;
}
