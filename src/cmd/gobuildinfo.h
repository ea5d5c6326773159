/*
 * gobuildinfo.h - the build information the Go linker embeds in a binary.
 *
 * What `go version -m FILE` prints: the Go version that built the binary
 * and, from its module information, the main package's path and the main
 * module.  The blob is found as debug/buildinfo finds it: in the ELF
 * section .go.buildinfo, else the first writable PT_LOAD segment, at a
 * 16-byte aligned "\xff Go buildinf:" within its first 64 KiB.  Both
 * layouts are decoded: Go 1.18 and later write the two strings inline,
 * length-prefixed with a uvarint; Go 1.13 to 1.17 write the addresses of
 * two Go string headers, read through the program headers.  Only ELF
 * (32 or 64 bit, either byte order) is understood.  Nothing here prints.
 */
#ifndef TRACESTAT_GOBUILDINFO_H
#define TRACESTAT_GOBUILDINFO_H

#include "buf.h"

struct gobuildinfo {
	char	*go_version;	/* "go1.19.8" */
	char	*path;		/* the "path" line, or NULL */
	char	*main_module;	/* "mod" line: module path, or NULL */
	char	*main_version;	/* "mod" line: version, or NULL */
};

/*
 * Read the build information of the executable file.  Returns 1 and fills
 * *info (free it with gobuildinfo_free) for a Go binary, 0 for a file
 * that is not one (not ELF, no blob: *info is left empty), -1 when the
 * file cannot be read (the reason in err).
 */
int gobuildinfo_read(const char *file, struct gobuildinfo *info,
    struct buf *err);

void gobuildinfo_free(struct gobuildinfo *info);

#endif
