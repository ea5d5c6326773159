#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "figures.h"
#include "banned.h"

const char *const figures_gc_cpu_columns[FIGURES_GC_CPU_NCOLUMNS] = {
	"start_ms", "gomaxprocs", "stw_sweepterm_cpu_us", "scan_cpu_us",
	"assist_cpu_us", "bg_mark_cpu_us", "idle_mark_cpu_us",
	"stw_markterm_cpu_us"
};

/* A value as an integer, 0 when NULL. */
static int64_t
figures_int(const struct value *v)
{
	return v->type == VAL_NULL ? 0 : v->i;
}

void
figures_cycle_cpu_read(struct figures_cycle_cpu *cycle,
    const struct value *values)
{
	cycle->has_start = values[0].type != VAL_NULL;
	cycle->start_ms = figures_int(&values[0]);
	cycle->gomaxprocs = figures_int(&values[1]);
	cycle->sweepterm_us = figures_int(&values[2]);
	cycle->scan_us = figures_int(&values[3]);
	cycle->assist_us = figures_int(&values[4]);
	cycle->background_us = figures_int(&values[5]);
	cycle->idle_us = figures_int(&values[6]);
	cycle->markterm_us = figures_int(&values[7]);
}

void
figures_gc_cpu_init(struct figures_gc_cpu *acc)
{
	memset(acc, 0, sizeof *acc);
}

int
figures_gc_cpu_add(struct figures_gc_cpu *acc,
    const struct figures_cycle_cpu *cycle, struct figures_gc_cpu_interval *iv)
{
	const struct figures_cycle_cpu *p = &acc->prev;
	int closed = 0;

	if (acc->have_prev && cycle->has_start &&
	    cycle->start_ms > p->start_ms && p->gomaxprocs >= 1) {
		memset(iv, 0, sizeof *iv);
		iv->from_ms = p->start_ms;
		iv->to_ms = cycle->start_ms;
		iv->capacity_us = (double)p->gomaxprocs *
		    ((double)cycle->start_ms - (double)p->start_ms) * 1000.0;
		iv->stw_us = (double)p->sweepterm_us + (double)p->markterm_us;
		iv->assist_us = (double)p->assist_us;
		iv->background_us = (double)p->background_us +
		    (double)p->scan_us;
		iv->idle_us = (double)p->idle_us;
		acc->gc_us += figures_gc_cpu_interval_us(iv);
		acc->idle_us += iv->idle_us;
		acc->capacity_us += iv->capacity_us;
		acc->intervals++;
		closed = 1;
	}
	acc->have_prev = cycle->has_start;
	acc->prev = *cycle;
	return closed;
}

double
figures_gc_cpu_interval_us(const struct figures_gc_cpu_interval *iv)
{
	return iv->stw_us + iv->assist_us + iv->background_us;
}

int
figures_gc_cpu_share(const struct figures_gc_cpu *acc, double *gc_share,
    double *idle_share)
{
	if (acc->intervals == 0 || !(acc->capacity_us > 0))
		return -1;
	*gc_share = acc->gc_us / acc->capacity_us;
	*idle_share = acc->idle_us / acc->capacity_us;
	return 0;
}

double
figures_per_minute(double change, double seconds)
{
	if (!(seconds > 0))
		return NAN;
	return change / (seconds / 60.0);
}

double
figures_slope_per_minute(double per_second)
{
	return per_second * 60.0;
}

char *
figures_duration_us(char *buf, size_t size, double us, int ascii)
{
	if (size == 0)
		return buf;
	if (isnan(us))
		snprintf(buf, size, "-");
	else if (us != 0 && fabs(us) < 0.5)
		snprintf(buf, size, "%.2g %s", us, ascii ? "us" : "µs");
	else if (fabs(us) < 999.5)
		snprintf(buf, size, "%.0f %s", us, ascii ? "us" : "µs");
	else if (fabs(us) < 999995)
		snprintf(buf, size, "%.2f ms", us / 1e3);
	else
		snprintf(buf, size, "%.2f s", us / 1e6);
	return buf;
}

int
figures_span_s(const struct value *const *times_ms, size_t n,
    double *span_s)
{
	int64_t a = INT64_MAX, b = INT64_MIN, v;
	size_t k;

	for (k = 0; k < n; k++) {
		if (times_ms[k]->type == VAL_NULL)
			continue;
		v = times_ms[k]->i;
		if (v < a)
			a = v;
		if (v > b)
			b = v;
	}
	if (a > b)
		return -1;
	/* In doubles: a damaged store's times may be any int64. */
	*span_s = ((double)b - (double)a) / 1000.0;
	return 0;
}
