/*
 * safefile.h - write a file without following links: the bytes go to a
 * fresh temporary file made in the target's directory (O_EXCL, so never
 * through a link), which is then renamed over the target.  A link planted
 * at the target is replaced, never followed; a reader never sees half a
 * file.
 */
#ifndef TRACESTAT_SAFEFILE_H
#define TRACESTAT_SAFEFILE_H

#include <stddef.h>

#include "buf.h"

struct safefile {
	char	*path;		/* the target */
	char	*tmp;		/* the temporary file, NULL once renamed */
	int	 fd;		/* open on tmp, or -1 */
};

/*
 * Make the temporary file for path (".NAME.XXXXXX" next to it), open on
 * sf->fd with the mode a new file would get.  Returns 0, or -1 with err
 * set.
 */
int safefile_open(struct safefile *sf, const char *path, struct buf *err);

/*
 * Close the temporary file and rename it over the target.  Returns 0, or
 * -1 with err set (the temporary file is removed).  Frees sf either way.
 */
int safefile_commit(struct safefile *sf, struct buf *err);

/* Remove the temporary file and free sf. */
void safefile_abort(struct safefile *sf);

/* Write data as the whole of path.  Returns 0, or -1 with err set. */
int safefile_write(const char *path, const void *data, size_t len,
    struct buf *err);

#endif
