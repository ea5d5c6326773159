#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "an-sort.h"
#include "stats.h"
#include "xalloc.h"
#include "banned.h"

#define AN_SORT_BITS 11
#define AN_SORT_RADIX (1u << AN_SORT_BITS)
#define AN_SORT_PASSES ((64 + AN_SORT_BITS - 1) / AN_SORT_BITS)

void
an_sort(double *v, size_t n)
{
	size_t (*count)[AN_SORT_RADIX];
	uint64_t *a, *b, *t, key;
	size_t i, sum, next;
	unsigned pass, digit;

	if (n < 1024) {
		stats_sort(v, n);
		return;
	}
	a = xmalloc(n * sizeof *a);
	b = xmalloc(n * sizeof *b);
	memcpy(a, v, n * sizeof *a);
	count = xcalloc(AN_SORT_PASSES, sizeof *count);
	for (i = 0; i < n; i++) {
		/* Make the bits order as the numbers do: flip every bit of
		 * a negative number, the sign bit of the others. */
		if (a[i] >> 63)
			a[i] = ~a[i];
		else
			a[i] |= (uint64_t)1 << 63;
		for (pass = 0; pass < AN_SORT_PASSES; pass++)
			count[pass][(a[i] >> (pass * AN_SORT_BITS)) &
			    (AN_SORT_RADIX - 1)]++;
	}
	for (pass = 0; pass < AN_SORT_PASSES; pass++) {
		key = (a[0] >> (pass * AN_SORT_BITS)) & (AN_SORT_RADIX - 1);
		if (count[pass][key] == n)
			continue;	/* every key has this digit */
		for (digit = 0, sum = 0; digit < AN_SORT_RADIX; digit++) {
			next = sum + count[pass][digit];
			count[pass][digit] = sum;
			sum = next;
		}
		for (i = 0; i < n; i++) {
			digit = (unsigned)((a[i] >> (pass * AN_SORT_BITS)) &
			    (AN_SORT_RADIX - 1));
			b[count[pass][digit]++] = a[i];
		}
		t = a;
		a = b;
		b = t;
	}
	for (i = 0; i < n; i++)
		if (a[i] >> 63)
			a[i] &= ~((uint64_t)1 << 63);
		else
			a[i] = ~a[i];
	memcpy(v, a, n * sizeof *a);
	free(a);
	free(b);
	free(count);
}
