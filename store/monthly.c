/*
 * monthly.c - the measures month by month for the charts, the bad actors
 * and the asset classes (see monthly.h).  The numbers come from the
 * reports (store_measure_series, the Pareto), so that every screen and page
 * agrees with `wrench report`; only the class list is a query of its own.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "monthly.h"

static const struct wr_monthly_info infos[WM__COUNT] = {
	{ WM_AVAILABILITY_PCT, "Availability", "%", 2, 1 },
	{ WM_MTBF_HOURS, "MTBF", "h", 1, 1 },
	{ WM_MTTR_HOURS, "MTTR", "h", 1, 0 },
	{ WM_FAILURES, "Failures", "", 0, 0 },
	{ WM_DOWNTIME_HOURS, "Downtime", "h", 1, 0 },
	{ WM_PM_COMPLIANCE_PCT, "PM compliance", "%", 1, 1 },
	{ WM_SCHEDULE_COMPLIANCE_PCT, "Schedule compliance", "%", 1, 1 },
	{ WM_PLANNED_PCT, "Planned work", "%", 1, 1 },
	{ WM_BACKLOG_WOS, "Backlog", "WOs", 0, 0 },
	{ WM_BACKLOG_HOURS, "Backlog hours", "h", 1, 0 },
	{ WM_BACKLOG_WEEKS, "Backlog", "crew-weeks", 1, 0 },
	{ WM_AGING_DAYS, "Age of open work", "days", 1, 0 },
	{ WM_COST, "Maintenance cost", "", 0, 0 },
};

const struct wr_monthly_info *wr_monthly_info(int i)
{
	return i >= 0 && i < WM__COUNT ? &infos[i] : NULL;
}

char *wr_month_fmt(int64_t t, char *buf)
{
	int y, m, d;

	wr_date_to_ymd(t, &y, &m, &d);
	/* Dates stay in years 1 to 9999 and months in 1 to 12. */
	snprintf(buf, 8, "%04d-%02d", (y % 10000 + 10000) % 10000, (m % 100 + 100) % 100);
	return buf;
}

int wr_month_parse(const char *s, int64_t *out, struct wr_err *e)
{
	int y, m, used = 0;

	if (!s || sscanf(s, "%4d-%2d%n", &y, &m, &used) != 2 || used != 7 || s[used] ||
	    m < 1 || m > 12 || y < WR_DATE_FIRST_YEAR || y > WR_DATE_LAST_YEAR)
		return wr_fail(e, WR_EINPUT, "'%s' is not a month: write YYYY-MM, e.g. 2025-03",
		               s ? s : "");
	*out = wr_date_from_ymd(y, m, 1);
	return WR_OK;
}

int store_monthly_load(struct store *s, int64_t last, int n, const struct wr_report_opts *scope,
                       struct wr_months *out, struct wr_err *e)
{
	int y, mo, d, i, rc;

	if (n < 1 || n > WR_MONTHS_MAX)
		return wr_fail(e, WR_EINPUT, "from 1 to %d months, not %d", WR_MONTHS_MAX, n);
	memset(out, 0, sizeof *out);
	out->n = n;
	wr_date_to_ymd(last, &y, &mo, &d);
	out->month[n] = wr_date_add_months(wr_date_from_ymd(y, mo, 1), 1);
	for (i = n - 1; i >= 0; i--)
		out->month[i] = wr_date_add_months(out->month[i + 1], -1);
	wr_date_to_ymd(out->month[0], &y, &mo, &d);
	for (i = 0; i < WM__COUNT; i++)
		if ((rc = store_measure_series(s, infos[i].measure, scope, y, mo, n, out->v[i], e)) !=
		    WR_OK)
			return rc;
	return WR_OK;
}

/* ------------------------------------------------------------ bad actors */

/* One row of the Pareto by asset into *b; 0 when it is not an asset's. */
static int actor_of(char *const *row, struct wr_bad_actor *b)
{
	if (!strcmp(row[0], "TOTAL") || !strcmp(row[0], "(no asset)"))
		return 0;
	wr_strlcpy(b->tag, row[0], sizeof b->tag);
	b->failures = strtoll(row[1], NULL, 10);
	b->downtime_hours = strtod(row[2], NULL);
	b->cost = strtod(row[3], NULL);
	return 1;
}

int store_bad_actors(struct store *s, int64_t from, int64_t to, const struct wr_report_opts *scope,
                     struct wr_bad_actor *out, size_t max, size_t *n, struct wr_err *e)
{
	struct wr_report_opts o;
	struct wr_table t;
	int rc;

	*n = 0;
	if (scope)
		o = *scope;
	else
		memset(&o, 0, sizeof o);
	o.from = from;
	o.to = to;
	o.by = RB_ASSET;
	o.rank = RK_FAILURES;
	o.top = 0;
	if ((rc = store_report(s, RP_PARETO, &o, &t, e)) != WR_OK)
		return rc;
	for (size_t r = 0; r < t.nrows && *n < max; r++)
		*n += (size_t)actor_of(t.cells + r * t.ncols, &out[*n]);
	wr_table_free(&t);
	return WR_OK;
}

/* -------------------------------------------------------------- classes */

int store_asset_classes(struct store *s, struct wr_class_count *out, size_t max, size_t *n,
                        struct wr_err *e)
{
	static const char sql[] =
		"SELECT class, count(*) FROM asset WHERE class <> '' GROUP BY class ORDER BY class";
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int r;

	*n = 0;
	if (!st)
		return WR_EDB;
	while ((r = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
		store_col_text(st, 0, out[*n].cls, sizeof out[*n].cls);
		out[*n].assets = sqlite3_column_int64(st, 1);
		(*n)++;
	}
	store_stmt_done(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_dberr(s, e, "listing the asset classes");
	return WR_OK;
}
