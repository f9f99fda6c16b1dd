/*
 * report_series.c - every measure month by month, for trend charts.  Each
 * month's value is what the measure's own report says for that month (the
 * TOTAL of a run over the month, or the month's row of a run by month), so
 * a chart and the report it summarises never disagree.  The snapshot
 * measures (backlog, aging) are taken as of the month's last day, over all
 * the work raised before it.
 */
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

/* How a measure's months are had: one run of its report per month (its
 * rows are assets), one run over all the months (its rows are months; a
 * month without a row is `empty`), or the backlog at each month's end. */
enum { PER_MONTH, MONTH_ROWS, SNAPSHOT };

static const struct {
	const char *name;           /* the CSV/JSON column; how it is shown: monthly.c */
	int report;                 /* enum wr_report */
	const char *column;         /* of its TOTAL row, or of each month's row */
	int how;
	int by;                     /* MONTH_ROWS: the report's grouping */
	double empty;               /* MONTH_ROWS: a month without a row */
} measures[WM__COUNT] = {
	{"mtbf_hours", RP_MTBF, "mtbf_hours", PER_MONTH, 0, 0},
	{"mttr_hours", RP_MTTR, "mttr_hours", PER_MONTH, 0, 0},
	{"availability_pct", RP_AVAILABILITY, "availability_pct", PER_MONTH, 0, 0},
	{"backlog_wos", RP_BACKLOG, "count", SNAPSHOT, 0, 0},
	{"backlog_hours", RP_BACKLOG, "est_hours", SNAPSHOT, 0, 0},
	{"pm_compliance_pct", RP_PM_COMPLIANCE, "compliance_pct", MONTH_ROWS, RB_DEFAULT, NAN},
	{"planned_pct", RP_PLANNED, "planned_pct", MONTH_ROWS, RB_DEFAULT, NAN},
	{"schedule_compliance_pct", RP_SCHEDULE_COMPLIANCE, "compliance_pct", MONTH_ROWS,
	 RB_DEFAULT, NAN},
	{"backlog_weeks", RP_BACKLOG_WEEKS, "backlog_weeks", SNAPSHOT, 0, 0},
	{"aging_days", RP_AGING, "mean_age_days", SNAPSHOT, 0, 0},
	{"cost", RP_COST, "total_cost", MONTH_ROWS, RB_MONTH, 0},
	{"failures", RP_PARETO, "failures", MONTH_ROWS, RB_MONTH, 0},
	{"downtime_hours", RP_PARETO, "downtime_hours", MONTH_ROWS, RB_MONTH, 0},
};

const char *wr_measure_name(int m)
{
	return m >= 0 && m < WM__COUNT ? measures[m].name : "unknown";
}

/* The number in a cell; NAN when it is blank. */
static double number(const char *cell)
{
	char *end;
	double v;

	if (!cell || !*cell)
		return NAN;
	v = strtod(cell, &end);
	return *end ? NAN : v;
}

/* The index of the named column; ncols when there is none. */
static size_t column_of(const struct wr_table *t, const char *column)
{
	size_t c = 0;

	while (c < t->ncols && strcmp(t->head[c], column))
		c++;
	return c;
}

/* The number in the named column of the table's last (TOTAL) row; NAN when
 * it is blank or the table has no rows. */
static double total_of(const struct wr_table *t, const char *column)
{
	size_t c = column_of(t, column);

	if (t->nrows == 0 || c == t->ncols)
		return NAN;
	return number(t->cells[(t->nrows - 1) * t->ncols + c]);
}

/* The measure over the month that starts on day first; NAN in *v when it
 * is undefined. */
static int month_value(struct store *s, int measure, const struct wr_report_opts *o,
                       int64_t first, double *v, struct wr_err *e)
{
	struct wr_report_opts mo;
	struct wr_table t;
	int64_t today = wr_today(), last = wr_date_add_months(first, 1) - WR_DAY;
	int rc;

	*v = NAN;
	if (first > today)
		return WR_OK;
	if (o)
		mo = *o;
	else
		memset(&mo, 0, sizeof mo);
	mo.from = first;
	mo.to = last < today ? last : today;
	mo.by = RB_DEFAULT;
	mo.rank = RK_FAILURES;
	mo.top = 0;
	if ((rc = store_report(s, measures[measure].report, &mo, &t, e)) != WR_OK)
		return rc;
	*v = total_of(&t, measures[measure].column);
	wr_table_free(&t);
	return WR_OK;
}

/* The measures whose report has a row a month: one run over all the
 * months, each month's value from its row. */
static int rows_series(struct store *s, int measure, const struct wr_report_opts *o,
                       int64_t first, int months, double *values, struct wr_err *e)
{
	struct wr_report_opts mo;
	struct wr_table t;
	int64_t today = wr_today(), last = wr_date_add_months(first, months) - WR_DAY;
	int rc, y0, m0, d;

	for (int i = 0; i < months; i++)
		values[i] = wr_date_add_months(first, i) <= today ? measures[measure].empty : NAN;
	if (first > today)
		return WR_OK;
	if (o)
		mo = *o;
	else
		memset(&mo, 0, sizeof mo);
	mo.from = first;
	mo.to = last < today ? last : today;
	mo.by = measures[measure].by;
	mo.rank = RK_FAILURES;
	mo.top = 0;
	if ((rc = store_report(s, measures[measure].report, &mo, &t, e)) != WR_OK)
		return rc;
	wr_date_to_ymd(first, &y0, &m0, &d);
	size_t c = column_of(&t, measures[measure].column);
	for (size_t r = 0; c < t.ncols && r < t.nrows; r++) {
		int y, m, i;
		if (sscanf(t.cells[r * t.ncols], "%4d-%2d", &y, &m) != 2)
			continue;           /* the TOTAL row */
		i = (y - y0) * 12 + (m - m0);
		if (i >= 0 && i < months)
			values[i] = number(t.cells[r * t.ncols + c]);
	}
	wr_table_free(&t);
	return WR_OK;
}

/* ---------------------------------------------------------------- backlog */

static double snapshot_value(int measure, const struct backlog_size *b, double crew)
{
	switch (measure) {
	case WM_BACKLOG_WOS: return (double)b->count;
	case WM_BACKLOG_HOURS: return b->hours;
	case WM_BACKLOG_WEEKS: return isnan(crew) ? NAN : b->hours / crew;
	default: return b->count ? b->age_days / (double)b->count : NAN;
	}
}

/* The snapshot measures: the months up to today from one pass over the
 * work (report_backlog_at), the later ones NAN. */
static int snapshot_series(struct store *s, int measure, const struct wr_report_opts *o,
                           int64_t first, int months, double crew, double *values,
                           struct wr_err *e)
{
	struct backlog_at at[120];
	struct wr_report_opts all;
	struct scope sc;
	int64_t today = wr_today();
	int rc, n = 0;

	if (o)
		all = *o;
	else
		memset(&all, 0, sizeof all);
	all.from = all.to = WR_NO_TIME;
	if ((rc = report_scope_resolve(s, &all, &sc, e)) != WR_OK)
		return rc;
	for (int i = 0; i < months; i++) {
		int64_t start = wr_date_add_months(first, i), next = wr_date_add_months(start, 1);
		values[i] = NAN;
		if (start <= today)
			at[n++].end = next < today + WR_DAY ? next : today + WR_DAY;
	}
	if ((rc = report_backlog_at(s, &sc, at, n, e)) != WR_OK)
		return rc;
	for (int i = 0; i < n; i++)
		values[i] = snapshot_value(measure, &at[i].size, crew);
	return WR_OK;
}

int store_measure_series(struct store *s, int measure, const struct wr_report_opts *o, int year,
                         int month, int months, double *values, struct wr_err *e)
{
	double crew = NAN;
	int64_t first;
	int rc;

	if (measure < 0 || measure >= WM__COUNT)
		return wr_fail(e, WR_EINPUT, "unknown measure %d", measure);
	if (months < 1 || months > 120)
		return wr_fail(e, WR_EINPUT, "a series has 1 to 120 months, not %d", months);
	if (month < 1 || month > 12 || year < 1900 || year > 2999)
		return wr_fail(e, WR_EINPUT, "no month %04d-%02d", year, month);
	if (measure == WM_BACKLOG_WEEKS &&
	    (rc = store_report_setting_get(s, RS_CREW_HOURS, NULL, &crew, e)) != WR_OK)
		return rc;
	first = wr_date_from_ymd(year, month, 1);
	if (measures[measure].how == SNAPSHOT)
		return snapshot_series(s, measure, o, first, months, crew, values, e);
	if (measures[measure].how == MONTH_ROWS)
		return rows_series(s, measure, o, first, months, values, e);
	for (int i = 0; i < months; i++) {
		int64_t m = wr_date_add_months(first, i);
		if ((rc = month_value(s, measure, o, m, &values[i], e)) != WR_OK)
			return rc;
	}
	return WR_OK;
}
