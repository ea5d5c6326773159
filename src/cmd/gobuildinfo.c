#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gobuildinfo.h"
#include "xalloc.h"
#include "banned.h"

#define GOBUILDINFO_MAGIC	"\xff Go buildinf:"
#define GOBUILDINFO_MAGIC_LEN	14
#define GOBUILDINFO_HEADER	32	/* magic, sizes, flags, 2 ptrs */
#define GOBUILDINFO_ALIGN	16
#define GOBUILDINFO_SEARCH	(64 * 1024)	/* as debug/buildinfo */
#define GOBUILDINFO_MAX_STRING	(4 * 1024 * 1024)
#define GOBUILDINFO_MAX_HEADERS	65536	/* program headers read */
/* cmd/go's sentinels around the module information (modload.infoStart
 * and infoEnd): 16 bytes each, the text ends with '\n' before the end. */
#define GOBUILDINFO_SENTINEL	16

struct elf_file {
	int		 fd;
	int		 is64;
	int		 big;		/* big-endian */
	uint64_t	 phoff, shoff;
	unsigned	 phentsize, phnum, shentsize, shnum, shstrndx;
};

/* Read up to len bytes at off; returns how many (short at end of file). */
static ssize_t
gobuildinfo_pread(int fd, void *dst, size_t len, uint64_t off)
{
	size_t done = 0;
	ssize_t n;

	if (off > (uint64_t)INT64_MAX - len)
		return 0;
	while (done < len) {
		n = pread(fd, (char *)dst + done, len - done,
		    (off_t)(off + done));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static uint64_t
elf_get(const struct elf_file *e, const unsigned char *p, int size)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)p[e->big ? size - 1 - i : i] << (8 * i);
	return v;
}

/* 1 for an ELF file, 0 for anything else. */
static int
elf_open(struct elf_file *e, int fd)
{
	unsigned char h[64];

	memset(e, 0, sizeof *e);
	e->fd = fd;
	if (gobuildinfo_pread(fd, h, sizeof h, 0) < 52 ||
	    memcmp(h, "\177ELF", 4) != 0 || (h[4] != 1 && h[4] != 2) ||
	    (h[5] != 1 && h[5] != 2))
		return 0;
	e->is64 = h[4] == 2;
	e->big = h[5] == 2;
	if (e->is64) {
		e->phoff = elf_get(e, h + 32, 8);
		e->shoff = elf_get(e, h + 40, 8);
		e->phentsize = (unsigned)elf_get(e, h + 54, 2);
		e->phnum = (unsigned)elf_get(e, h + 56, 2);
		e->shentsize = (unsigned)elf_get(e, h + 58, 2);
		e->shnum = (unsigned)elf_get(e, h + 60, 2);
		e->shstrndx = (unsigned)elf_get(e, h + 62, 2);
	} else {
		e->phoff = elf_get(e, h + 28, 4);
		e->shoff = elf_get(e, h + 32, 4);
		e->phentsize = (unsigned)elf_get(e, h + 42, 2);
		e->phnum = (unsigned)elf_get(e, h + 44, 2);
		e->shentsize = (unsigned)elf_get(e, h + 46, 2);
		e->shnum = (unsigned)elf_get(e, h + 48, 2);
		e->shstrndx = (unsigned)elf_get(e, h + 50, 2);
	}
	if (e->phentsize < (e->is64 ? 56u : 32u))
		e->phnum = 0;
	if (e->shentsize < (e->is64 ? 64u : 40u))
		e->shnum = 0;
	return 1;
}

struct elf_prog {
	uint32_t	type, flags;
	uint64_t	offset, vaddr, filesz;
};

static int
elf_prog(const struct elf_file *e, unsigned i, struct elf_prog *p)
{
	unsigned char h[56];

	if (gobuildinfo_pread(e->fd, h, e->is64 ? 56 : 32, e->phoff +
	    (uint64_t)i * e->phentsize) != (e->is64 ? 56 : 32))
		return -1;
	p->type = (uint32_t)elf_get(e, h, 4);
	if (e->is64) {
		p->flags = (uint32_t)elf_get(e, h + 4, 4);
		p->offset = elf_get(e, h + 8, 8);
		p->vaddr = elf_get(e, h + 16, 8);
		p->filesz = elf_get(e, h + 32, 8);
	} else {
		p->offset = elf_get(e, h + 4, 4);
		p->vaddr = elf_get(e, h + 8, 4);
		p->filesz = elf_get(e, h + 16, 4);
		p->flags = (uint32_t)elf_get(e, h + 24, 4);
	}
	return 0;
}

/*
 * Read up to size bytes at virtual address addr, from the program header
 * that maps it.  Returns the number read (0: not mapped) or -1.
 */
static ssize_t
elf_read_data(const struct elf_file *e, uint64_t addr, unsigned char *dst,
    size_t size)
{
	struct elf_prog p;
	unsigned i;
	uint64_t n;

	for (i = 0; i < e->phnum && i < GOBUILDINFO_MAX_HEADERS; i++) {
		if (elf_prog(e, i, &p) < 0)
			return -1;
		if (p.filesz == 0 || addr < p.vaddr ||
		    addr - p.vaddr > p.filesz - 1)
			continue;
		n = p.vaddr + p.filesz - addr;
		if (n > size)
			n = size;
		return gobuildinfo_pread(e->fd, dst, (size_t)n,
		    p.offset + (addr - p.vaddr));
	}
	return 0;
}

/* The address of .go.buildinfo, else of the first writable segment. */
static int
elf_data_start(const struct elf_file *e, uint64_t *addr)
{
	unsigned char sh[64], name[16];
	uint64_t strtab_off = 0;
	struct elf_prog p;
	unsigned i, shsize = e->is64 ? 64 : 40;

	if (e->shnum > 0 && e->shstrndx < e->shnum &&
	    gobuildinfo_pread(e->fd, sh, shsize, e->shoff +
	    (uint64_t)e->shstrndx * e->shentsize) == (ssize_t)shsize)
		strtab_off = e->is64 ? elf_get(e, sh + 24, 8) :
		    elf_get(e, sh + 16, 4);
	for (i = 0; strtab_off > 0 && i < e->shnum; i++) {
		if (gobuildinfo_pread(e->fd, sh, shsize, e->shoff +
		    (uint64_t)i * e->shentsize) != (ssize_t)shsize)
			break;
		if (gobuildinfo_pread(e->fd, name, sizeof name, strtab_off +
		    elf_get(e, sh, 4)) < 14)
			continue;
		if (memcmp(name, ".go.buildinfo", 14) == 0) {
			*addr = e->is64 ? elf_get(e, sh + 16, 8) :
			    elf_get(e, sh + 12, 4);
			return 0;
		}
	}
	for (i = 0; i < e->phnum && i < GOBUILDINFO_MAX_HEADERS; i++) {
		if (elf_prog(e, i, &p) < 0)
			return -1;
		/* PT_LOAD, writable (PF_W) and not executable (PF_X). */
		if (p.type == 1 && (p.flags & 3) == 2) {
			*addr = p.vaddr;
			return 0;
		}
	}
	return -1;
}

/* A uvarint-prefixed string at *p (Go 1.18 and later); NULL if broken. */
static char *
gobuildinfo_inline_string(const unsigned char **p, const unsigned char *end,
    size_t *out_len)
{
	uint64_t len = 0;
	int shift;
	char *s;

	for (shift = 0; *p < end && shift < 64; shift += 7) {
		unsigned char c = *(*p)++;

		len |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			break;
		if (*p == end)
			return NULL;
	}
	if (shift >= 64 || len > (uint64_t)(end - *p))
		return NULL;
	s = xmalloc((size_t)len + 1);
	memcpy(s, *p, (size_t)len);
	s[len] = '\0';
	*out_len = (size_t)len;
	*p += len;
	return s;
}

/* A Go string header {data, len} at addr (Go 1.13 to 1.17). */
static char *
gobuildinfo_pointed_string(const struct elf_file *e, int ptr_size,
    uint64_t addr, size_t *out_len)
{
	unsigned char hdr[16], *data;
	uint64_t data_addr, len;

	if (elf_read_data(e, addr, hdr, (size_t)(2 * ptr_size)) !=
	    2 * ptr_size)
		return NULL;
	data_addr = elf_get(e, hdr, ptr_size);
	len = elf_get(e, hdr + ptr_size, ptr_size);
	if (len > GOBUILDINFO_MAX_STRING)
		return NULL;
	data = xmalloc((size_t)len + 1);
	if (elf_read_data(e, data_addr, data, (size_t)len) != (ssize_t)len) {
		free(data);
		return NULL;
	}
	data[len] = '\0';
	*out_len = (size_t)len;
	return (char *)data;
}

/* Take the "path" and "mod" lines of the module information. */
static void
gobuildinfo_parse_mod(struct gobuildinfo *info, const char *mod, size_t len)
{
	const char *line = mod, *end = mod + len, *nl, *tab, *tab2;

	for (; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		tab = memchr(line, '\t', (size_t)(nl - line));
		if (tab == NULL)
			continue;
		tab2 = memchr(tab + 1, '\t', (size_t)(nl - tab - 1));
		if (tab2 == NULL)
			tab2 = nl;
		if (tab - line == 4 && memcmp(line, "path", 4) == 0 &&
		    info->path == NULL) {
			info->path = xstrndup(tab + 1, (size_t)(nl - tab - 1));
		} else if (tab - line == 3 && memcmp(line, "mod", 3) == 0 &&
		    info->main_module == NULL) {
			const char *v = tab2 < nl ? tab2 + 1 : nl;
			const char *ve = memchr(v, '\t', (size_t)(nl - v));

			info->main_module = xstrndup(tab + 1,
			    (size_t)(tab2 - tab - 1));
			info->main_version = xstrndup(v, (size_t)((ve ?
			    ve : nl) - v));
		}
	}
}

/* Decode the blob at address addr; 1 for a Go binary, 0 if none. */
static int
gobuildinfo_decode(const struct elf_file *e, uint64_t addr,
    struct gobuildinfo *info)
{
	unsigned char *data;
	const unsigned char *p, *end;
	char *mod = NULL;
	ssize_t n;
	size_t len = 0, vlen;
	int ptr_size;

	data = xmalloc(GOBUILDINFO_MAX_STRING);
	n = elf_read_data(e, addr, data, GOBUILDINFO_MAX_STRING);
	if (n < GOBUILDINFO_HEADER) {
		free(data);
		return 0;
	}
	ptr_size = data[14];
	if (data[15] & 2) {
		p = data + GOBUILDINFO_HEADER;
		end = data + n;
		info->go_version = gobuildinfo_inline_string(&p, end, &vlen);
		if (info->go_version != NULL)
			mod = gobuildinfo_inline_string(&p, end, &len);
	} else if (ptr_size == 4 || ptr_size == 8) {
		struct elf_file be = *e;

		/* The blob's own byte order, as the runtime wrote it. */
		be.big = data[15] & 1;
		info->go_version = gobuildinfo_pointed_string(&be, ptr_size,
		    elf_get(&be, data + 16, ptr_size), &vlen);
		if (info->go_version != NULL)
			mod = gobuildinfo_pointed_string(&be, ptr_size,
			    elf_get(&be, data + 16 + ptr_size, ptr_size), &len);
	}
	free(data);
	if (info->go_version == NULL || info->go_version[0] == '\0') {
		free(mod);
		gobuildinfo_free(info);
		return 0;
	}
	if (mod != NULL && len >= 2 * GOBUILDINFO_SENTINEL + 1 &&
	    mod[len - GOBUILDINFO_SENTINEL - 1] == '\n')
		gobuildinfo_parse_mod(info, mod + GOBUILDINFO_SENTINEL,
		    len - 2 * GOBUILDINFO_SENTINEL);
	free(mod);
	return 1;
}

int
gobuildinfo_read(const char *file, struct gobuildinfo *info,
    struct buf *err)
{
	struct elf_file e;
	unsigned char *data;
	uint64_t start;
	ssize_t n, i;
	int fd, rc = 0;

	memset(info, 0, sizeof *info);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		buf_addf(err, "cannot open '%s': %s", file, strerror(errno));
		return -1;
	}
	if (!elf_open(&e, fd) || elf_data_start(&e, &start) < 0) {
		close(fd);
		return 0;
	}
	data = xmalloc(GOBUILDINFO_SEARCH);
	n = elf_read_data(&e, start, data, GOBUILDINFO_SEARCH);
	if (n < 0) {
		buf_addf(err, "cannot read '%s': %s", file, strerror(errno));
		rc = -1;
	}
	for (i = 0; i + GOBUILDINFO_HEADER <= n; i += GOBUILDINFO_ALIGN) {
		if (memcmp(data + i, GOBUILDINFO_MAGIC,
		    GOBUILDINFO_MAGIC_LEN) == 0) {
			rc = gobuildinfo_decode(&e, start + (uint64_t)i, info);
			break;
		}
	}
	free(data);
	close(fd);
	return rc;
}

void
gobuildinfo_free(struct gobuildinfo *info)
{
	free(info->go_version);
	free(info->path);
	free(info->main_module);
	free(info->main_version);
	memset(info, 0, sizeof *info);
}
