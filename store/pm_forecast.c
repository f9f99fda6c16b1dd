/*
 * pm_forecast.c - the planned PM workload, hours and work orders per week.
 *
 * Three sources, none counted twice:
 *   - generated PM work orders not done yet, in the week they are due;
 *   - calendar schedules projected forward (fixed ones on their grid,
 *     floating ones by their interval from the next due date), for the
 *     occurrences that have no work order yet;
 *   - meter schedules projected from the meter's recent rate of use: a
 *     service every 250 running hours on a machine that ran 10 hours a day
 *     lately falls every 25 days.  An occurrence the meter has already
 *     reached without a work order is work for the first week.
 * Only counters and running hours have a rate; a gauge (a pressure, say)
 * says nothing about when it will next reach a value, and a meter read once
 * or not at all yet has no rate: such schedules count only the occurrence
 * already reached, since a guess would make the plan look firmer than it is.
 */
#include <math.h>

#include "wo_internal.h"

/* How far back the rate of use looks: long enough to smooth a week of
 * downtime, short enough to follow a change of shift pattern. */
#define RATE_WINDOW_DAYS 90
/* More projected occurrences than this in one forecast means a meter rate
 * out of all proportion (a typo in a reading); stop rather than spin. */
#define MAX_OCCURRENCES 1000

static int has_wo(struct store *s, int64_t pm_id, int64_t key, int *yes, struct wr_err *e)
{
	char number[32];
	int rc = store_pm_occurrence_wo(s, pm_id, key, number, sizeof number, e);

	*yes = number[0] != '\0';
	return rc;
}

struct week_sums {
	int64_t start, end;
	int weeks;
	double *hours;
	int *counts;
};

static void add_work(struct week_sums *w, int64_t t, double est)
{
	int wk = t < w->start ? 0 : (int)((t - w->start) / (7 * WR_DAY));

	if (wk >= w->weeks)
		return;
	w->hours[wk] += isnan(est) ? 0 : est;
	w->counts[wk]++;
}

/* The first reading the query finds: ?1 is the meter, ?2 a time the
 * reading is before, ?3 the start of the rate window (bound only when the
 * query has them).  WR_ENOTFOUND when there is none. */
static int reading_at(struct store *s, const char *sql, int64_t meter_id, int64_t before,
                      int64_t *at, double *value, struct wr_err *e)
{
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int r;

	if (!st)
		return WR_EDB;
	int np = sqlite3_bind_parameter_count(st);
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, meter_id);
	if (np >= 2)
		store_bind_int64(&b, 2, before);
	if (np >= 3)
		store_bind_int64(&b, 3, before - (int64_t)RATE_WINDOW_DAYS * WR_DAY);
	if ((r = store_binds_check(&b, e, "reading meter readings")) != WR_OK) {
		store_stmt_done(st);
		return r;
	}
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*at = store_col_time(st, 0);
		*value = sqlite3_column_double(st, 1);
	}
	store_stmt_done(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_dberr(s, e, "reading meter readings");
	return r == SQLITE_ROW ? WR_OK : WR_ENOTFOUND;
}

/* The meter's latest reading and its rate of use per second over the last
 * RATE_WINDOW_DAYS; *rate is NAN when there is none (fewer than two
 * readings, under a day apart, or not rising). */
static int meter_rate(struct store *s, int64_t meter_id, int64_t *t_last, double *v_last,
                      double *rate, struct wr_err *e)
{
	static const char q_last[] =
		"SELECT at, value FROM reading WHERE meter_id = ?1 ORDER BY at DESC LIMIT 1";
	static const char q_window[] =
		"SELECT at, value FROM reading WHERE meter_id = ?1 AND at < ?2 AND at >= ?3"
		" ORDER BY at LIMIT 1";
	static const char q_before[] =
		"SELECT at, value FROM reading WHERE meter_id = ?1 AND at < ?2"
		" ORDER BY at DESC LIMIT 1";
	int64_t t0;
	double v0;
	int rc;

	*rate = *v_last = NAN;
	*t_last = 0;
	rc = reading_at(s, q_last, meter_id, 0, t_last, v_last, e);
	if (rc != WR_OK)
		return rc == WR_ENOTFOUND ? WR_OK : rc;
	rc = reading_at(s, q_window, meter_id, *t_last, &t0, &v0, e);
	if (rc == WR_ENOTFOUND)
		rc = reading_at(s, q_before, meter_id, *t_last, &t0, &v0, e);
	if (rc != WR_OK)
		return rc == WR_ENOTFOUND ? WR_OK : rc;
	if (*t_last - t0 >= WR_DAY && *v_last > v0)
		*rate = (*v_last - v0) / (double)(*t_last - t0);
	return WR_OK;
}

static int project_meter(struct store *s, sqlite3_stmt *pm, struct week_sums *w,
                         struct wr_err *e)
{
	int64_t id = sqlite3_column_int64(pm, 0), meter_id = sqlite3_column_int64(pm, 8), t_last;
	double est = store_col_real(pm, 7), step = store_col_real(pm, 9), v_last, rate;
	struct wr_pm p;
	int rc;

	if (!meter_id || !(step > 0))
		return WR_OK;
	wr_pm_init(&p);
	p.kind = PK_METER;
	p.meter_interval = step;
	p.last_meter = store_col_real(pm, 11);
	p.next_meter = store_col_real(pm, 12);
	if (isnan(p.next_meter))
		store_pm_compute_next(&p);
	if (isnan(p.next_meter))
		return WR_OK;
	if ((rc = meter_rate(s, meter_id, &t_last, &v_last, &rate, e)) != WR_OK)
		return rc;
	if (sqlite3_column_int(pm, 10) == MK_GAUGE)
		rate = NAN;
	double value = p.next_meter;
	int yes;

	if (value <= v_last) {
		/* Reached: the work is due now (the first week when that was
		 * before the window), and as the engine counts the next
		 * occurrence from the meter at completion, the one after falls an
		 * interval past the latest reading. */
		if ((rc = has_wo(s, id, llround(value), &yes, e)) != WR_OK)
			return rc;
		if (!yes && t_last < w->end)
			add_work(w, t_last, est);
		value = v_last + step;
	}
	for (int k = 0; !isnan(rate) && k < MAX_OCCURRENCES; k++, value += step) {
		/* In seconds from the last reading; a slow meter's next value
		 * can lie further ahead than an int64 reaches. */
		double ahead = ceil((value - v_last) / rate);

		if (!(ahead < (double)(w->end - t_last)))
			break;
		int64_t t = t_last + (int64_t)ahead;
		if (t < w->start)
			continue;
		if ((rc = has_wo(s, id, llround(value), &yes, e)) != WR_OK)
			return rc;
		if (!yes)
			add_work(w, t, est);
	}
	return WR_OK;
}

static int project_calendar(struct store *s, sqlite3_stmt *pm, struct week_sums *w,
                            struct wr_err *e)
{
	struct wr_pm p;
	int64_t id = sqlite3_column_int64(pm, 0);
	double est = store_col_real(pm, 7);

	wr_pm_init(&p);
	p.interval = sqlite3_column_int(pm, 1);
	p.unit = sqlite3_column_int(pm, 2);
	p.floating = sqlite3_column_int(pm, 3);
	p.start_date = store_col_time(pm, 4);
	p.last_done = store_col_time(pm, 5);
	p.next_due = store_col_time(pm, 6);
	store_col_text(pm, 14, p.weekdays, sizeof p.weekdays);
	p.ends_on = store_col_time(pm, 15);
	p.due_delay = sqlite3_column_int(pm, 16);
	if (p.next_due == WR_NO_TIME)
		store_pm_compute_next(&p);
	if (p.start_date == WR_NO_TIME)
		p.start_date = p.next_due;
	if (p.interval < 1)
		p.interval = 1;
	int64_t t = p.next_due;
	/* Fixed schedules overdue from before the window: jump to the grid. */
	if (!p.floating && t < w->start)
		t = store_pm_grid_after(&p, w->start - 1);
	/* The work lands on its due date, the due-date delay after the
	 * occurrence; none after the schedule's end. */
	for (int guard = 0; t != WR_NO_TIME && t < w->end && !store_pm_ended(&p, t) && guard < 100000;
	     guard++) {
		if (t >= w->start) {
			int yes, rc = has_wo(s, id, t, &yes, e);
			if (rc != WR_OK)
				return rc;
			if (!yes)
				add_work(w, store_pm_due_of(&p, t), est);
		}
		t = store_pm_next_after(&p, t);
	}
	return WR_OK;
}

int store_pm_forecast(struct store *s, int64_t from, int weeks, double *hours, int *counts,
                      struct wr_err *e)
{
	static const char q_pm[] =
		"SELECT p.id, p.interval_n, p.unit, p.floating, p.start_date, p.last_done, p.next_due,"
		" p.est_hours, p.meter_id, p.meter_interval, m.kind, p.last_meter, p.next_meter, p.kind,"
		" p.weekdays, p.ends_on, p.due_delay"
		" FROM pm p LEFT JOIN meter m ON m.id = p.meter_id WHERE p.active = 1";
	static const char q_open[] =
		"SELECT w.due_at, coalesce(w.est_hours, p.est_hours) FROM wo w"
		" LEFT JOIN pm p ON p.id = w.pm_id"
		" WHERE w.pm_id IS NOT NULL AND w.status IN (0, 1, 2, 3)"
		" AND w.due_at >= ?1 AND w.due_at < ?2";
	struct week_sums w = { 0, 0, weeks, hours, counts };
	sqlite3_stmt *st = NULL;
	int r, rc = WR_OK;

	if (weeks <= 0)
		return WR_OK;
	for (int i = 0; i < weeks; i++) {
		hours[i] = 0;
		counts[i] = 0;
	}
	w.start = store_day_of(from);
	w.end = w.start + (int64_t)weeks * 7 * WR_DAY;

	/* Projected occurrences with no work order yet. */
	if (sqlite3_prepare_v2(s->db, q_pm, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return store_dberr(s, e, "forecasting PM work");
	}
	while (rc == WR_OK && (r = sqlite3_step(st)) == SQLITE_ROW)
		rc = sqlite3_column_int(st, 13) == PK_METER ? project_meter(s, st, &w, e)
		                                            : project_calendar(s, st, &w, e);
	if (rc == WR_OK && r != SQLITE_DONE)
		rc = store_dberr(s, e, "forecasting PM work");
	sqlite3_finalize(st);
	if (rc != WR_OK)
		return rc;

	/* Generated work not done yet, where it is due. */
	if (!(st = store_stmt(s, q_open, e)))
		return WR_EDB;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, w.start);
	store_bind_int64(&b, 2, w.end);
	if ((rc = store_binds_check(&b, e, "forecasting PM work")) != WR_OK) {
		store_stmt_done(st);
		return rc;
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		add_work(&w, store_col_time(st, 0), store_col_real(st, 1));
	rc = r == SQLITE_DONE ? WR_OK : store_dberr(s, e, "forecasting PM work");
	store_stmt_done(st);
	return rc;
}
