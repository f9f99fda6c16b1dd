/*
 * report_series.c - every measure month by month, for trend charts.  Each
 * month's value is read from the TOTAL row of the measure's own report run
 * over that month, so a chart and the report it summarises never disagree.
 * The snapshot measures (backlog, aging) are taken as of the month's last
 * day, over all the work raised before it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static const struct {
	const char *name, *label;
	int report;                 /* enum wr_report */
	const char *column;         /* of its TOTAL row */
	int snapshot;               /* as of the month's end, over all history */
} measures[WM__COUNT] = {
	{"mtbf_hours", "MTBF (h)", RP_MTBF, "mtbf_hours", 0},
	{"mttr_hours", "MTTR (h)", RP_MTTR, "mttr_hours", 0},
	{"availability_pct", "Availability (%)", RP_AVAILABILITY, "availability_pct", 0},
	{"backlog_wos", "Backlog (work orders)", RP_BACKLOG, "count", 1},
	{"backlog_hours", "Backlog (h)", RP_BACKLOG, "est_hours", 1},
	{"pm_compliance_pct", "PM compliance (%)", RP_PM_COMPLIANCE, "compliance_pct", 0},
	{"planned_pct", "Planned work (%)", RP_PLANNED, "planned_pct", 0},
	{"schedule_compliance_pct", "Schedule compliance (%)", RP_SCHEDULE_COMPLIANCE,
	 "compliance_pct", 0},
	{"backlog_weeks", "Backlog (crew-weeks)", RP_BACKLOG, "est_hours", 1},
	{"aging_days", "Mean age of open work (days)", RP_AGING, "mean_age_days", 1},
	{"cost", "Maintenance cost", RP_COST, "total_cost", 0},
	{"failures", "Failures", RP_PARETO, "failures", 0},
	{"downtime_hours", "Downtime of failures (h)", RP_PARETO, "downtime_hours", 0},
};

const char *wr_measure_name(int m)
{
	return m >= 0 && m < WM__COUNT ? measures[m].name : "unknown";
}

const char *wr_measure_label(int m)
{
	return m >= 0 && m < WM__COUNT ? measures[m].label : "unknown";
}

/* The number in the named column of the table's last (TOTAL) row; NAN when
 * it is blank or the table has no rows. */
static double total_of(const struct wr_table *t, const char *column)
{
	const char *cell;
	char *end;
	double v;

	if (t->nrows == 0)
		return NAN;
	for (size_t c = 0; c < t->ncols; c++) {
		if (strcmp(t->head[c], column))
			continue;
		cell = t->cells[(t->nrows - 1) * t->ncols + c];
		if (!cell || !*cell)
			return NAN;
		v = strtod(cell, &end);
		return *end ? NAN : v;
	}
	return NAN;
}

/* The measure over the month that starts on day first; NAN in *v when it
 * is undefined. */
static int month_value(struct store *s, int measure, const struct wr_report_opts *o,
                       int64_t first, double crew, double *v, struct wr_err *e)
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
	mo.from = measures[measure].snapshot ? WR_NO_TIME : first;
	mo.to = last < today ? last : today;
	mo.by = RB_DEFAULT;
	mo.rank = RK_FAILURES;
	mo.top = 0;
	if ((rc = store_report(s, measures[measure].report, &mo, &t, e)) != WR_OK)
		return rc;
	*v = total_of(&t, measures[measure].column);
	wr_table_free(&t);
	if (measure == WM_BACKLOG_WEEKS)
		*v = isnan(crew) ? NAN : *v / crew;
	return WR_OK;
}

/* ---------------------------------------------------------------- backlog */

/* The backlog at the end of each of n months in one pass over the work
 * (the snapshot measures would otherwise read every work order once a
 * month): month i ends at end[i], and its work is what report_backlog_size
 * counts as of then. */
struct month_backlog {
	int n;
	int64_t end[120], as_of[120];
	struct backlog_size size[120];
};

static int backlog_row(struct month_backlog *mb, sqlite3_stmt *st)
{
	int64_t created = store_col_time(st, 0), done = store_col_time(st, 2);
	int estimated = sqlite3_column_type(st, 1) != SQLITE_NULL;
	double hours = estimated ? sqlite3_column_double(st, 1) : 0;

	for (int i = 0; i < mb->n; i++) {
		struct backlog_size *b = &mb->size[i];
		if (created >= mb->end[i] || (done != WR_NO_TIME && done < mb->end[i]))
			continue;
		b->count++;
		b->unestimated += !estimated;
		b->hours += hours;
		b->age_days += (double)(mb->as_of[i] - created) / (double)WR_DAY;
	}
	return WR_OK;
}

static int backlog_months(struct store *s, const struct wr_report_opts *o, struct month_backlog *mb,
                          struct wr_err *e)
{
	static const char sql[] =
		"SELECT w.created_at, w.est_hours, CASE WHEN w.status IN (4, 5) THEN w.completed_at END"
		" FROM wo w LEFT JOIN asset a ON a.id = w.asset_id"
		" WHERE w.created_at < ?2 AND (w.status IN (0, 1, 2, 3)"
		" OR (w.status IN (4, 5) AND w.completed_at >= ?1))" ASSET_FILTER;
	struct wr_report_opts all;
	struct scope sc;
	sqlite3_stmt *st;
	int r, rc;

	if (o)
		all = *o;
	else
		memset(&all, 0, sizeof all);
	all.from = all.to = WR_NO_TIME;
	if ((rc = report_scope_resolve(s, &all, &sc, e)) != WR_OK)
		return rc;
	sc.from = mb->end[0];
	sc.end = mb->end[mb->n - 1];
	if ((rc = report_prepare(s, sql, &sc, &st, e)) != WR_OK)
		return rc;
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		backlog_row(mb, st);
	rc = r == SQLITE_DONE ? WR_OK : store_dberr(s, e, "running a report");
	sqlite3_finalize(st);
	return rc;
}

static int snapshot(int measure)
{
	return measure == WM_BACKLOG_WOS || measure == WM_BACKLOG_HOURS ||
	       measure == WM_BACKLOG_WEEKS || measure == WM_AGING_DAYS;
}

static double snapshot_value(int measure, const struct backlog_size *b, double crew)
{
	switch (measure) {
	case WM_BACKLOG_WOS: return (double)b->count;
	case WM_BACKLOG_HOURS: return b->hours;
	case WM_BACKLOG_WEEKS: return isnan(crew) ? NAN : b->hours / crew;
	default: return b->count ? b->age_days / (double)b->count : NAN;
	}
}

/* The snapshot measures: the months up to today from one pass, the later
 * ones NAN. */
static int snapshot_series(struct store *s, int measure, const struct wr_report_opts *o,
                           int64_t first, int months, double crew, double *values,
                           struct wr_err *e)
{
	struct month_backlog *mb = calloc(1, sizeof *mb);
	int64_t today = wr_today(), now = wr_now();
	int rc = WR_OK;

	if (!mb)
		return report_oom(e);
	for (int i = 0; i < months; i++) {
		int64_t start = wr_date_add_months(first, i), next = wr_date_add_months(start, 1);
		values[i] = NAN;
		if (start > today)
			continue;
		mb->end[mb->n] = next < today + WR_DAY ? next : today + WR_DAY;
		mb->as_of[mb->n] = mb->end[mb->n] < now ? mb->end[mb->n] : now;
		mb->n++;
	}
	if (mb->n > 0 && (rc = backlog_months(s, o, mb, e)) == WR_OK)
		for (int i = 0; i < mb->n; i++)
			values[i] = snapshot_value(measure, &mb->size[i], crew);
	free(mb);
	return rc;
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
	if (month < 1 || month > 12 || year < 1900 || year > 9999)
		return wr_fail(e, WR_EINPUT, "no month %04d-%02d", year, month);
	if (measure == WM_BACKLOG_WEEKS &&
	    (rc = store_report_setting_get(s, RS_CREW_HOURS, NULL, &crew, e)) != WR_OK)
		return rc;
	first = wr_date_from_ymd(year, month, 1);
	if (snapshot(measure))
		return snapshot_series(s, measure, o, first, months, crew, values, e);
	for (int i = 0; i < months; i++) {
		int64_t m = wr_date_add_months(first, i);
		if ((rc = month_value(s, measure, o, m, crew, &values[i], e)) != WR_OK)
			return rc;
	}
	return WR_OK;
}
