#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-shape.h"
#include "xalloc.h"
#include "banned.h"

struct shape_table {
	struct shape	**slots;	/* open addressing, a power of two */
	size_t		  nslots;
	size_t		  nshapes;
	size_t		  bytes;
	struct buf	  key;		/* scratch: the text of a shape */
	struct shape_piece pieces[RECORD_MAX_COLUMNS + RECORD_MAX_LISTS + 1];
	char		  list[SHAPE_MAX_LINE + 2];
	/*
	 * The format each column was last printed in, tried first: "0" is
	 * both a d and an ms, "0.002" both an ms and an s, and one shape
	 * per mixture would be many.
	 */
	unsigned char	  pref[KIND_COUNT][RECORD_MAX_COLUMNS];
	/* The last shape of each rule, tried first (by its name's address). */
	struct {
		const char	*rule;
		struct shape	*shape;
	}		  last[64];
};

struct slot {
	size_t		 off, len;
	int		 col;
	enum shape_fmt	 fmt;
};

struct shape_table *
shape_table_new(void)
{
	struct shape_table *t = xcalloc(1, sizeof *t);

	t->nslots = 64;
	t->slots = xcalloc(t->nslots, sizeof *t->slots);
	return t;
}

void
shape_table_free(struct shape_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nslots; i++)
		free(t->slots[i]);
	free(t->slots);
	buf_free(&t->key);
	free(t);
}

const char *
shape_fmt_name(enum shape_fmt f)
{
	switch (f) {
	case SHAPE_INT:
		return "d";
	case SHAPE_MS:
		return "ms";
	case SHAPE_SEC:
		return "s";
	case SHAPE_TEXT:
		return "t";
	case SHAPE_LIST:
		return "list";
	case SHAPE_FLOAT:
		return "e";
	case SHAPE_NONE:
		break;
	}
	return NULL;
}

/* Decimal digits of u, at the end of out[0..32). */
static char *
utoa_end(uint64_t u, char *end)
{
	do {
		*--end = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	return end;
}

int
shape_print_int(enum shape_fmt f, int64_t v, char *out)
{
	char tmp[32], *p, *end = tmp + sizeof tmp;
	uint64_t u;
	int dec = 0, i;
	size_t n;

	switch (f) {
	case SHAPE_INT:
		u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
		p = utoa_end(u, end);
		if (v < 0)
			*--p = '-';
		break;
	case SHAPE_MS:
		/* runtime.fmtNSAsMS of v microseconds. */
		if (v < 0)
			return -1;
		u = (uint64_t)v;
		if (u >= 10000) {
			p = utoa_end(u / 1000, end);
			break;
		}
		if (u == 0) {
			out[0] = '0';
			return 1;
		}
		dec = 3;
		while (u >= 100) {
			u /= 10;
			dec--;
		}
		goto fixed;
	case SHAPE_SEC:
		if (v < 0)
			return -1;
		u = (uint64_t)v;
		dec = 3;
	fixed:
		p = end;
		for (i = 0; i < dec; i++) {
			*--p = (char)('0' + u % 10);
			u /= 10;
		}
		*--p = '.';
		p = utoa_end(u, p);
		break;
	default:
		return -1;
	}
	n = (size_t)(end - p);
	memcpy(out, p, n);
	return (int)n;
}

int
shape_print_float(double v, char *out)
{
	char tmp[64];
	int n, e;

	/* A -0 is stored as 0, and NaN and Inf as NULL. */
	if (!isfinite(v) || (v == 0 && signbit(v)))
		return -1;
	/* d.dddddde+dd: an exponent of three digits is refused. */
	n = snprintf(tmp, sizeof tmp, "%.6e", fabs(v));
	if (n != 12 || tmp[8] != 'e')
		return -1;
	e = (tmp[10] - '0') * 10 + (tmp[11] - '0');
	if (tmp[9] == '-')
		e = -e;
	out[0] = v < 0 ? '-' : '+';
	memcpy(out + 1, tmp, 9);
	out[10] = e < 0 ? '-' : '+';
	e = abs(e);
	out[11] = (char)('0' + e / 100);
	out[12] = (char)('0' + e / 10 % 10);
	out[13] = (char)('0' + e % 10);
	return 14;
}

static uint64_t
hash_bytes(uint64_t h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void
grow(struct shape_table *t)
{
	struct shape **old = t->slots;
	size_t i, j, n = t->nslots;

	t->nslots *= 2;
	t->slots = xcalloc(t->nslots, sizeof *t->slots);
	for (i = 0; i < n; i++) {
		if (old[i] == NULL)
			continue;
		for (j = old[i]->hash & (t->nslots - 1); t->slots[j] != NULL;
		    j = (j + 1) & (t->nslots - 1))
			;
		t->slots[j] = old[i];
	}
	free(old);
}

/*
 * The shape of rule with text key (and pieces when new), interned.
 * Returns NULL when the table is full.
 */
static struct shape *
intern(struct shape_table *t, const char *rule, enum kind kind,
    const char *key, size_t keylen, int whole,
    const struct shape_piece *pieces, int npieces)
{
	size_t rlen = strlen(rule), size, j;
	uint64_t h = hash_bytes(0xcbf29ce484222325ULL, rule, rlen + 1);
	struct shape *sh;
	struct shape_piece *pc;
	char *p;
	int i;

	h = hash_bytes(h, key, keylen);
	for (j = h & (t->nslots - 1); (sh = t->slots[j]) != NULL;
	    j = (j + 1) & (t->nslots - 1))
		if (sh->hash == h && sh->whole == whole &&
		    sh->text_len == keylen && strcmp(sh->rule, rule) == 0 &&
		    memcmp(sh->text, key, keylen) == 0)
			return sh;
	size = sizeof *sh + sizeof *pc * (size_t)npieces + rlen + 1 +
	    keylen + 1;
	for (i = 0; i < npieces; i++)
		size += pieces[i].len;
	if (!whole && (t->nshapes >= SHAPE_MAX_SHAPES ||
	    t->bytes + size > SHAPE_MAX_BYTES))
		return NULL;
	sh = xcalloc(1, size);
	pc = (struct shape_piece *)(sh + 1);
	p = (char *)(pc + npieces);
	memcpy(p, rule, rlen + 1);
	sh->rule = p;
	p += rlen + 1;
	memcpy(p, key, keylen);
	p[keylen] = '\0';
	sh->text = p;
	sh->text_len = keylen;
	p += keylen + 1;
	for (i = 0; i < npieces; i++) {
		pc[i] = pieces[i];
		memcpy(p, pieces[i].text, pieces[i].len);
		pc[i].text = p;
		p += pieces[i].len;
	}
	sh->kind = kind;
	sh->whole = whole;
	sh->pieces = pc;
	sh->npieces = npieces;
	sh->hash = h;
	t->slots[j] = sh;
	t->nshapes++;
	t->bytes += size;
	if (t->nshapes * 2 > t->nslots)
		grow(t);
	return sh;
}

struct shape *
shape_whole(struct shape_table *t, const char *rule, enum kind kind)
{
	return intern(t, rule, kind, "", 0, 1, NULL, 0);
}

static void
add_escaped(struct buf *b, const char *s, size_t n)
{
	size_t i, from = 0;

	for (i = 0; i < n; i++)
		if (s[i] == '{' || s[i] == '}') {
			buf_add(b, s + from, i + 1 - from);
			buf_addc(b, s[i]);
			from = i + 1;
		}
	buf_add(b, s + from, n - from);
}

static int
has_digit(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return 1;
	return 0;
}

static int
prints_as(enum shape_fmt f, int64_t v, const char *s, size_t n)
{
	char out[32];
	int len = shape_print_int(f, v, out);

	return len == (int)n && memcmp(out, s, n) == 0;
}

static int
real_prints_as(double v, const char *s, size_t n)
{
	char out[32];
	int len = shape_print_float(v, out);

	return len == (int)n && memcmp(out, s, n) == 0;
}

/* How column col's value v prints as the n bytes at s, or SHAPE_NONE. */
static enum shape_fmt
value_format(struct shape_table *t, enum kind k, int col,
    const struct value *v, const char *s, size_t n)
{
	static const enum shape_fmt ints[] = { SHAPE_INT, SHAPE_MS,
	    SHAPE_SEC };
	enum shape_fmt pref = (enum shape_fmt)t->pref[k][col];
	size_t i;

	if (v->type == VAL_TEXT)
		return v->len == n && memcmp(v->s, s, n) == 0 ? SHAPE_TEXT :
		    SHAPE_NONE;
	if (v->type == VAL_REAL)
		return real_prints_as(v->r, s, n) ? SHAPE_FLOAT : SHAPE_NONE;
	if (v->type != VAL_INT)
		return SHAPE_NONE;
	if (pref != SHAPE_NONE && prints_as(pref, v->i, s, n))
		return pref;
	for (i = 0; i < sizeof ints / sizeof ints[0]; i++)
		if (ints[i] != pref && prints_as(ints[i], v->i, s, n)) {
			t->pref[k][col] = (unsigned char)ints[i];
			return ints[i];
		}
	return SHAPE_NONE;
}

/* Integer list i of r printed with single spaces, in t->list. */
static int
print_list(struct shape_table *t, const struct record *r, int i,
    size_t *len)
{
	char out[32];
	size_t n = 0, k;
	int l;

	t->list[n++] = '[';
	for (k = 0; k < r->list_len[i]; k++) {
		l = shape_print_int(SHAPE_INT, r->lists[i][k], out);
		if (n + (size_t)l + 2 > sizeof t->list)
			return -1;
		if (k > 0)
			t->list[n++] = ' ';
		memcpy(t->list + n, out, (size_t)l);
		n += (size_t)l;
	}
	t->list[n++] = ']';
	*len = n;
	return 0;
}

static struct shape *derive(struct shape_table *, const struct record *);

/* Is r's line shape sh filled with r's values? */
static int
fits(struct shape_table *t, const struct shape *sh, const struct record *r)
{
	const char *raw = r->raw;
	size_t pos = 0, n, rlen = r->raw_len;
	const struct shape_piece *p;
	const struct value *v;
	int i;

	for (i = 0; i < sh->npieces; i++) {
		p = &sh->pieces[i];
		if (rlen - pos < p->len || memcmp(raw + pos, p->text,
		    p->len) != 0)
			return 0;
		pos += p->len;
		switch (p->fmt) {
		case SHAPE_NONE:
			return pos == rlen;
		case SHAPE_LIST:
			if (r->lists[p->col] == NULL ||
			    print_list(t, r, p->col, &n) < 0 ||
			    rlen - pos < n - 2 ||
			    memcmp(raw + pos, t->list + 1, n - 2) != 0)
				return 0;
			pos += n - 2;
			break;
		case SHAPE_TEXT:
			v = &r->columns[p->col];
			if (v->type != VAL_TEXT || v->len > rlen - pos ||
			    memcmp(raw + pos, v->s, v->len) != 0)
				return 0;
			pos += v->len;
			break;
		case SHAPE_FLOAT:
			v = &r->columns[p->col];
			if (v->type != VAL_REAL || v->s != raw + pos ||
			    !real_prints_as(v->r, v->s, v->len))
				return 0;
			pos += v->len;
			break;
		default:
			v = &r->columns[p->col];
			if (v->type != VAL_INT || v->s != raw + pos ||
			    !prints_as(p->fmt, v->i, v->s, v->len))
				return 0;
			pos += v->len;
			break;
		}
	}
	return 0;
}

struct shape *
shape_of(struct shape_table *t, const struct record *r)
{
	size_t h = ((uintptr_t)r->rule >> 4) % (sizeof t->last /
	    sizeof t->last[0]);
	struct shape *sh;

	if (r->rule == NULL)
		return NULL;
	if (t->last[h].rule == r->rule && !t->last[h].shape->whole &&
	    fits(t, t->last[h].shape, r))
		return t->last[h].shape;
	sh = derive(t, r);
	t->last[h].rule = r->rule;
	t->last[h].shape = sh;
	return sh;
}

/* Make the shape of r's line. */
static struct shape *
derive(struct shape_table *t, const struct record *r)
{
	const struct kind_info *ki;
	struct slot slots[RECORD_MAX_COLUMNS + RECORD_MAX_LISTS], tmp;
	const char *raw = r->raw, *hit;
	size_t rlen = r->raw_len, pos = 0, n;
	struct shape *sh;
	int i, j, nslots = 0, npieces = 0, sample_col = -1;

	ki = schema_kind(r->kind);
	if (raw == NULL || rlen == 0 || rlen > SHAPE_MAX_LINE)
		goto whole;
	if (r->kind == KIND_SCHED_P || r->kind == KIND_SCHED_M ||
	    r->kind == KIND_SCHED_G)
		sample_col = schema_column_index(r->kind, "sample_id");
	for (i = 0; i < (int)ki->ncolumns; i++) {
		const struct value *v = &r->columns[i];

		if (v->s == NULL || v->len == 0 || v->s < raw ||
		    v->s + v->len > raw + rlen || i == sample_col)
			continue;
		slots[nslots].off = (size_t)(v->s - raw);
		slots[nslots].len = v->len;
		slots[nslots].col = i;
		slots[nslots++].fmt = SHAPE_NONE;
	}
	for (i = 0; i < RECORD_MAX_LISTS && ki->lists != NULL &&
	    ki->lists[i] != NULL; i++) {
		if (r->lists[i] == NULL)
			continue;
		if (print_list(t, r, i, &n) < 0 ||
		    (hit = memmem(raw, rlen, t->list, n)) == NULL)
			goto whole;
		if (n == 2)
			continue;	/* "[]": literal text */
		slots[nslots].off = (size_t)(hit - raw) + 1;
		slots[nslots].len = n - 2;
		slots[nslots].col = i;
		slots[nslots++].fmt = SHAPE_LIST;
	}
	/* In the order of the line; a few, so by insertion. */
	for (i = 1; i < nslots; i++)
		for (j = i; j > 0 && slots[j - 1].off > slots[j].off; j--) {
			tmp = slots[j];
			slots[j] = slots[j - 1];
			slots[j - 1] = tmp;
		}
	buf_reset(&t->key);
	for (i = 0; i < nslots; i++) {
		struct slot *sl = &slots[i];
		const char *s = raw + sl->off;
		const char *name;

		if (sl->off < pos)
			goto whole;	/* overlapping captures */
		if (sl->fmt != SHAPE_LIST)
			sl->fmt = value_format(t, r->kind, sl->col,
			    &r->columns[sl->col], s, sl->len);
		if (sl->fmt == SHAPE_NONE) {
			/*
			 * Text the value does not give back stays literal
			 * (" (forced)", "nil"), unless it holds digits that
			 * would make a shape per line.
			 */
			if (r->columns[sl->col].type != VAL_NULL &&
			    has_digit(s, sl->len))
				goto whole;
			continue;
		}
		name = sl->fmt == SHAPE_LIST ? ki->lists[sl->col] :
		    ki->columns[sl->col].name;
		t->pieces[npieces].text = raw + pos;
		t->pieces[npieces].len = sl->off - pos;
		t->pieces[npieces].col = sl->col;
		t->pieces[npieces++].fmt = sl->fmt;
		add_escaped(&t->key, raw + pos, sl->off - pos);
		buf_addc(&t->key, '{');
		buf_adds(&t->key, name);
		if (sl->fmt != SHAPE_INT && sl->fmt != SHAPE_TEXT) {
			buf_addc(&t->key, ':');
			buf_adds(&t->key, shape_fmt_name(sl->fmt));
		}
		buf_addc(&t->key, '}');
		pos = sl->off + sl->len;
	}
	t->pieces[npieces].text = raw + pos;
	t->pieces[npieces].len = rlen - pos;
	t->pieces[npieces].col = -1;
	t->pieces[npieces++].fmt = SHAPE_NONE;
	add_escaped(&t->key, raw + pos, rlen - pos);
	sh = intern(t, r->rule, r->kind, t->key.data, t->key.len, 0,
	    t->pieces, npieces);
	if (sh != NULL)
		return sh;
whole:
	return shape_whole(t, r->rule, r->kind);
}
