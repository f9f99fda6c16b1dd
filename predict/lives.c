/*
 * lives.c - turns one unit's event history into lives as of a cutoff.
 *
 * Every install, failure and replacement renews the unit, so the lives are
 * the spans between consecutive renewals.  Only what was known before the
 * cutoff T is used (events and meter readings with t < T): a backtest at T
 * must not see the future.  See predict_lives() in predict.h for the rules.
 *
 * Operating time.  A run-hours meter gives cumulative hours at a few
 * instants (the readings, and the op value of an event when it was recorded).
 * Between two known points the hours are interpolated linearly; before the
 * first and after the last the rate of the nearest pair is extended, since a
 * machine's duty cycle is the best guess of its near future.  A falling
 * meter (a reset or a typing error) gives a zero rate rather than negative
 * time.  A unit with fewer than two points has no usable meter and is taken
 * to run around the clock (24 hours a day), so that it can still share a
 * class with metered units; that is the conservative choice, as it can only
 * overstate exposure.
 */
#include <math.h>
#include "predict_int.h"

#define HOURS_PER_DAY 24.0

/* The nearest known meter points around t, from readings and event op values
 * before T: lo2 < lo <= t < hi < hi2 in time. */
struct opnear {
	double lo_t, lo_v, lo2_t, lo2_v;
	double hi_t, hi_v, hi2_t, hi2_v;
	int nlo, nhi;
};

static void near_add(struct opnear *q, double t, double pt, double pv)
{
	if (pt <= t) {
		if (q->nlo == 0 || pt >= q->lo_t) {
			q->lo2_t = q->lo_t;
			q->lo2_v = q->lo_v;
			q->lo_t = pt;
			q->lo_v = pv;
		} else if (q->nlo == 1 || pt > q->lo2_t) {
			q->lo2_t = pt;
			q->lo2_v = pv;
		}
		q->nlo++;
	} else {
		if (q->nhi == 0 || pt < q->hi_t) {
			q->hi2_t = q->hi_t;
			q->hi2_v = q->hi_v;
			q->hi_t = pt;
			q->hi_v = pv;
		} else if (q->nhi == 1 || pt < q->hi2_t) {
			q->hi2_t = pt;
			q->hi2_v = pv;
		}
		q->nhi++;
	}
}

static double rate(double t0, double v0, double t1, double v1)
{
	double r;

	if (!(t1 > t0))
		return 0.0;
	r = (v1 - v0) / (t1 - t0);
	return r > 0.0 ? r : 0.0;
}

/*
 * Operating hours at calendar time t for unit u, using meter points before
 * T.  Returns 0 and leaves *v alone when the unit has no usable meter.
 */
static int op_at(const struct ld_set *s, const struct ld_unit *u, double T, double t, double *v)
{
	struct opnear q = {0};
	size_t i;

	for (i = 0; i < u->nrd; i++) {
		const struct ld_reading *r = &s->readings[u->rd0 + i];
		if (!(r->t < T))
			break;
		if (isfinite(r->value))
			near_add(&q, t, r->t, r->value);
	}
	for (i = 0; i < u->nev; i++) {
		const struct ld_event *ev = &s->events[u->ev0 + i];
		if (!(ev->t < T))
			break;
		if (isfinite(ev->op))
			near_add(&q, t, ev->t, ev->op);
	}
	if (q.nlo + q.nhi < 2)
		return 0;
	if (q.nlo && q.nhi) {
		/* Interpolate, never letting the hours run backwards. */
		double r = rate(q.lo_t, q.lo_v, q.hi_t, q.hi_v);
		*v = q.lo_v + r * (t - q.lo_t);
	} else if (q.nlo) {
		*v = q.lo_v + rate(q.lo2_t, q.lo2_v, q.lo_t, q.lo_v) * (t - q.lo_t);
	} else {
		*v = q.hi_v - rate(q.hi_t, q.hi_v, q.hi2_t, q.hi2_v) * (q.hi_t - t);
	}
	return 1;
}

/* The clock of the analysis: calendar days, or operating hours. */
static double clock_at(const struct ld_set *s, const struct ld_unit *u, double T,
                       int op_time, double t)
{
	double v;

	if (!op_time)
		return t;
	if (op_at(s, u, T, t, &v))
		return v;
	return HOURS_PER_DAY * t;
}

double predict_op_span(const struct ld_set *s, size_t unit, double T, double t0, double t1)
{
	const struct ld_unit *u = &s->units[unit];

	return clock_at(s, u, T, 1, t1) - clock_at(s, u, T, 1, t0);
}

/* The age at the start of the history of a life that began at calendar
 * time start_t (clock value start), or 0 if it began inside the history. */
static double entry_of(double start, double start_t, double h0, double history_start)
{
	if (!isfinite(h0) || !(start_t < history_start))
		return 0.0;
	return h0 - start > 0.0 ? h0 - start : 0.0;
}

size_t predict_lives_max(const struct ld_unit *u)
{
	/* One life closed by each event, plus the running one. */
	return u->nev + 1;
}

/* The clock reading at an event: its own run hours when measured. */
static double event_clock(const struct ld_set *s, const struct ld_unit *u, double T,
                          int op_time, const struct ld_event *ev)
{
	if (op_time && isfinite(ev->op))
		return ev->op;
	return clock_at(s, u, T, op_time, ev->t);
}

static void set_life(struct predict_life *l, double t, int failed, int running, double entry)
{
	l->t = t;
	l->failed = failed;
	l->running = running;
	l->entry = entry;
	if (l->entry >= t)
		l->entry = 0.0;   /* cannot happen with sorted data */
}

size_t predict_lives(const struct ld_set *s, size_t unit, double T, int op_time,
                     double history_start, struct predict_life *out, double *age)
{
	const struct ld_unit *u = &s->units[unit];
	double start = NAN, start_t = NAN, install = u->install, h0 = NAN;
	size_t i, n = 0;

	if (age)
		*age = NAN;
	if (isfinite(history_start) && history_start > 0.0)
		h0 = clock_at(s, u, T, op_time, history_start < T ? history_start : T);
	if (isfinite(install) && install < T) {
		start = clock_at(s, u, T, op_time, install);
		start_t = install;
	}
	for (i = 0; i < u->nev; i++) {
		const struct ld_event *ev = &s->events[u->ev0 + i];
		double x;
		/* Events are sorted, so the first one at or after T ends the
		 * history known at T. */
		if (!(ev->t < T))
			break;
		/* An event before the recorded installation cannot end a life
		 * of this unit. */
		if (isfinite(install) && ev->t < install)
			continue;
		x = event_clock(s, u, T, op_time, ev);
		/* Before the first renewal the start is unknown (left
		 * truncation): that span is not a life. */
		/* A life that ended before the history is complete is not in
		 * it (left truncation, as repair.c's systems): kept with entry
		 * 0, its failure weighed in the renewal likelihood and not in
		 * the repair processes', and the two were compared. */
		if (isfinite(start) && x - start > 0.0 &&
		    entry_of(start, start_t, h0, history_start) < x - start)
			set_life(&out[n++], x - start, ev->kind == LD_FAILURE, 0,
			         entry_of(start, start_t, h0, history_start));
		start = x;
		start_t = ev->t;
	}
	if (u->in_service && isfinite(start)) {
		double a = clock_at(s, u, T, op_time, T) - start;
		if (a < 0.0)
			a = 0.0;
		if (age)
			*age = a;
		if (a > 0.0)
			set_life(&out[n++], a, 0, 1, entry_of(start, start_t, h0, history_start));
	}
	return n;
}
