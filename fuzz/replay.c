/*
 * replay.c - run a fuzz target on files without libFuzzer: how the
 * inputs of fuzz/regressions/ are replayed by make check, with whatever
 * compiler and sanitizers the build uses.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	FILE *fp;
	uint8_t *data;
	size_t size, cap;
	int i;

	for (i = 1; i < argc; i++) {
		fp = fopen(argv[i], "rb");
		if (fp == NULL) {
			perror(argv[i]);
			return 2;
		}
		cap = 4096;
		size = 0;
		data = malloc(cap);
		while (data != NULL) {
			size += fread(data + size, 1, cap - size, fp);
			if (size < cap)
				break;
			cap *= 2;
			data = realloc(data, cap);
		}
		if (data == NULL || ferror(fp))
			return 2;
		fclose(fp);
		LLVMFuzzerTestOneInput(data, size);
		free(data);
		printf("%s: ok\n", argv[i]);
	}
	return 0;
}
