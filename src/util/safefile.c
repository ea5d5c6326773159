#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safefile.h"
#include "xalloc.h"
#include "banned.h"

int
safefile_open(struct safefile *sf, const char *path, struct buf *err)
{
	struct buf tmp = BUF_INIT;
	const char *slash = strrchr(path, '/');
	mode_t mask;

	memset(sf, 0, sizeof *sf);
	sf->fd = -1;
	if (*path == '\0' || (slash != NULL && slash[1] == '\0')) {
		buf_addf(err, "cannot write '%s': not a file name", path);
		return -1;
	}
	if (slash != NULL)
		buf_add(&tmp, path, (size_t)(slash - path + 1));
	buf_addf(&tmp, ".%s.XXXXXX", slash != NULL ? slash + 1 : path);
	/* mkstemp opens with O_CREAT | O_EXCL: a link there makes it fail. */
	sf->fd = mkostemp(tmp.data, O_CLOEXEC);
	if (sf->fd < 0) {
		buf_addf(err, "cannot write '%s': %s", path, strerror(errno));
		buf_free(&tmp);
		return -1;
	}
	/* The mode of a file made with open(2): 0666 less the umask. */
	mask = umask(022);
	umask(mask);
	fchmod(sf->fd, 0666 & ~mask);
	sf->path = xstrdup(path);
	sf->tmp = buf_detach(&tmp);
	return 0;
}

static void
safefile_free(struct safefile *sf)
{
	if (sf->fd >= 0)
		close(sf->fd);
	free(sf->path);
	free(sf->tmp);
	memset(sf, 0, sizeof *sf);
	sf->fd = -1;
}

int
safefile_commit(struct safefile *sf, struct buf *err)
{
	int rc = 0, fd = sf->fd;

	sf->fd = -1;
	if (fd >= 0 && close(fd) != 0) {
		buf_addf(err, "cannot write '%s': %s", sf->path,
		    strerror(errno));
		rc = -1;
	}
	/* rename replaces a link at the target; it never follows one. */
	if (rc == 0 && rename(sf->tmp, sf->path) != 0) {
		buf_addf(err, "cannot write '%s': %s", sf->path,
		    strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		unlink(sf->tmp);
	safefile_free(sf);
	return rc;
}

void
safefile_abort(struct safefile *sf)
{
	if (sf->tmp != NULL)
		unlink(sf->tmp);
	safefile_free(sf);
}

int
safefile_write(const char *path, const void *data, size_t len,
    struct buf *err)
{
	struct safefile sf;
	const char *p = data;
	ssize_t n;

	if (safefile_open(&sf, path, err) < 0)
		return -1;
	while (len > 0) {
		n = write(sf.fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			buf_addf(err, "cannot write '%s': %s", path,
			    n < 0 ? strerror(errno) : "short write");
			safefile_abort(&sf);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return safefile_commit(&sf, err);
}
