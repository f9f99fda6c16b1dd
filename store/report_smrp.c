/*
 * report_smrp.c - the work-management measures of include/report.h, after
 * the SMRP Best Practices metrics (the man page, wrench(1), cites each):
 *
 *   planned              labour hours logged in the period by month, on
 *                        planned work (from a PM schedule, preventive or
 *                        inspection work, or work a planner estimated) and
 *                        on the rest; planned_pct = planned / all.
 *   schedule-compliance  work orders due in the period (cancelled ones left
 *                        out) by month of due date: finished by the end of
 *                        the week (Monday to Sunday) of the due date, late,
 *                        not done; by count and by estimated hours.
 *   backlog-weeks        the backlog as of the last day of each month (of
 *                        the period's last day for its last month): open
 *                        work, its estimated hours, and those hours over the
 *                        crew's capacity per week.
 *   aging                the backlog as of the end of the period by age
 *                        (days since it was raised).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

/* Steps a report query to its end through row(); WR_OK, or the error. */
static int run_rows(struct store *s, sqlite3_stmt *st, int (*row)(sqlite3_stmt *, void *),
                    void *ctx, struct wr_err *e)
{
	int r, rc = WR_OK;

	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = row(st, ctx)) != WR_OK)
			break;
	if (rc == WR_OK && r != SQLITE_DONE)
		rc = store_dberr(s, e, "running a report");
	sqlite3_finalize(st);
	return rc;
}

static void fmt_count(int64_t n, char *buf, size_t size)
{
	snprintf(buf, size, "%lld", (long long)n);
}

/* A percentage with one decimal, "" when there is nothing to divide by. */
static void fmt_pct(double part, double whole, char *buf, size_t size)
{
	if (whole > 0)
		snprintf(buf, size, "%.1f", 100.0 * part / whole);
	else
		buf[0] = '\0';
}

/* ----------------------------------------------------------------- planned */

struct planned {
	struct wr_table *t;
	char month[16];
	double planned, unplanned;      /* the month's hours */
	double tot_planned, tot_unplanned;
};

static int planned_flush(struct planned *p, const char *label, double pl, double un)
{
	char a[32], b[32], c[32], d[32];
	const char *cells[5] = {label, a, b, c, d};

	report_fmt_hours(pl, a, sizeof a);
	report_fmt_hours(un, b, sizeof b);
	report_fmt_hours(pl + un, c, sizeof c);
	fmt_pct(pl, pl + un, d, sizeof d);
	return wr_table_add_row(p->t, cells);
}

static int planned_row(sqlite3_stmt *st, void *ctx)
{
	struct planned *p = ctx;
	char m[16];
	double h = (double)sqlite3_column_int64(st, 1) / 60.0;

	report_month_of(store_col_time(st, 0), m, sizeof m);
	if (p->month[0] && strcmp(m, p->month)) {
		if (planned_flush(p, p->month, p->planned, p->unplanned) != WR_OK)
			return WR_ENOMEM;
		p->planned = p->unplanned = 0;
	}
	wr_strlcpy(p->month, m, sizeof p->month);
	if (sqlite3_column_int(st, 2)) {
		p->planned += h;
		p->tot_planned += h;
	} else {
		p->unplanned += h;
		p->tot_unplanned += h;
	}
	return WR_OK;
}

int report_planned(struct store *s, const struct scope *sc, struct wr_table *t, struct wr_err *e)
{
	static const char *const head[] = {"month", "planned_hours", "unplanned_hours",
	                                   "total_hours", "planned_pct"};
	static const int num[] = {0, 1, 1, 1, 1};
	static const char sql[] =
		"SELECT l.started_at, l.minutes,"
		" w.pm_id IS NOT NULL OR w.type IN (1, 2) OR w.est_hours IS NOT NULL"
		" FROM wo_labor l JOIN wo w ON w.id = l.wo_id LEFT JOIN asset a ON a.id = w.asset_id"
		" WHERE l.minutes >= 0 AND l.started_at >= ?1 AND l.started_at < ?2" ASSET_FILTER
		" ORDER BY l.started_at";
	struct planned p;
	sqlite3_stmt *st;
	int rc;

	memset(&p, 0, sizeof p);
	p.t = t;
	if ((rc = wr_table_init(t, 5, head, num)) != WR_OK)
		return report_oom(e);
	if ((rc = report_prepare(s, sql, sc, &st, e)) != WR_OK)
		return rc;
	if ((rc = run_rows(s, st, planned_row, &p, e)) == WR_ENOMEM)
		return report_oom(e);
	if (rc != WR_OK)
		return rc;
	if (p.month[0] && planned_flush(&p, p.month, p.planned, p.unplanned) != WR_OK)
		return report_oom(e);
	if (planned_flush(&p, "TOTAL", p.tot_planned, p.tot_unplanned) != WR_OK)
		return report_oom(e);
	return WR_OK;
}

/* ----------------------------------------------------- schedule compliance */

struct sched_counts {
	int64_t due, in_week, late, open;
	double hours, hours_in_week;
};

struct sched {
	struct wr_table *t;
	char month[16];
	struct sched_counts cur, total;
};

static int sched_flush(struct sched *p, const char *label, const struct sched_counts *c)
{
	char a[32], b[32], d[32], f[32], g[32], h[32], k[32];
	const char *cells[8] = {label, a, b, d, f, g, h, k};

	fmt_count(c->due, a, sizeof a);
	fmt_count(c->in_week, b, sizeof b);
	fmt_count(c->late, d, sizeof d);
	fmt_count(c->open, f, sizeof f);
	fmt_pct((double)c->in_week, (double)c->due, g, sizeof g);
	report_fmt_hours(c->hours, h, sizeof h);
	fmt_pct(c->hours_in_week, c->hours, k, sizeof k);
	return wr_table_add_row(p->t, cells);
}

/* The end of the schedule week (Monday to Sunday) that holds day t: the
 * Monday after it.  Day 0 (1970-01-01) was a Thursday. */
static int64_t week_end(int64_t t)
{
	int64_t day = store_day_of(t) / WR_DAY;
	int64_t weekday = ((day % 7) + 7 + 3) % 7;      /* Monday = 0 */

	return (day - weekday + 7) * WR_DAY;
}

static void sched_count(struct sched_counts *c, int outcome, double hours)
{
	c->due++;
	c->hours += hours;
	if (outcome == 0) {
		c->in_week++;
		c->hours_in_week += hours;
	} else if (outcome == 1) {
		c->late++;
	} else {
		c->open++;
	}
}

static int sched_row(sqlite3_stmt *st, void *ctx)
{
	struct sched *p = ctx;
	char m[16];
	int64_t due = store_col_time(st, 0), done = store_col_time(st, 2);
	int status = sqlite3_column_int(st, 1);
	int finished = (status == WS_DONE || status == WS_CLOSED) && done != WR_NO_TIME;
	double hours = sqlite3_column_type(st, 3) == SQLITE_NULL ? 0 : sqlite3_column_double(st, 3);
	int outcome = !finished ? 2 : done < week_end(due) ? 0 : 1;

	report_month_of(due, m, sizeof m);
	if (p->month[0] && strcmp(m, p->month)) {
		if (sched_flush(p, p->month, &p->cur) != WR_OK)
			return WR_ENOMEM;
		memset(&p->cur, 0, sizeof p->cur);
	}
	wr_strlcpy(p->month, m, sizeof p->month);
	sched_count(&p->cur, outcome, hours);
	sched_count(&p->total, outcome, hours);
	return WR_OK;
}

int report_schedule(struct store *s, const struct scope *sc, struct wr_table *t,
                    struct wr_err *e)
{
	static const char *const head[] = {"month", "scheduled", "in_week", "late", "not_done",
	                                   "compliance_pct", "scheduled_hours",
	                                   "hours_compliance_pct"};
	static const int num[] = {0, 1, 1, 1, 1, 1, 1, 1};
	static const char sql[] =
		"SELECT w.due_at, w.status, w.completed_at, w.est_hours FROM wo w"
		" LEFT JOIN asset a ON a.id = w.asset_id"
		" WHERE w.status <> 6 AND w.due_at >= ?1 AND w.due_at < ?2" ASSET_FILTER
		" ORDER BY w.due_at";
	struct sched p;
	sqlite3_stmt *st;
	int rc;

	memset(&p, 0, sizeof p);
	p.t = t;
	if ((rc = wr_table_init(t, 8, head, num)) != WR_OK)
		return report_oom(e);
	if ((rc = report_prepare(s, sql, sc, &st, e)) != WR_OK)
		return rc;
	if ((rc = run_rows(s, st, sched_row, &p, e)) == WR_ENOMEM)
		return report_oom(e);
	if (rc != WR_OK)
		return rc;
	if (p.month[0] && sched_flush(&p, p.month, &p.cur) != WR_OK)
		return report_oom(e);
	if (sched_flush(&p, "TOTAL", &p.total) != WR_OK)
		return report_oom(e);
	return WR_OK;
}

/* ----------------------------------------------------------- backlog weeks */

int report_crew_hours(struct store *s, double *hours, struct wr_err *e)
{
	int rc = store_report_setting_get(s, RS_CREW_HOURS, NULL, hours, e);

	if (rc == WR_OK && isnan(*hours))
		rc = wr_fail(e, WR_EINPUT,
		             "the crew's capacity is not set; set it with 'wrench report settings "
		             "--crew-hours HOURS' (hours of work the crew has per week)");
	return rc;
}

static int weeks_row(struct wr_table *t, const struct backlog_at *at, double crew)
{
	char m[16], d[WR_DATE_BUF], n[32], h[32], u[32], c[32], w[32];
	const char *cells[7] = {m, d, n, h, u, c, w};
	int64_t day = store_day_of(at->end - 1);

	report_month_of(day, m, sizeof m);
	wr_date_fmt(day, d);
	fmt_count(at->size.count, n, sizeof n);
	report_fmt_hours(at->size.hours, h, sizeof h);
	fmt_count(at->size.unestimated, u, sizeof u);
	report_fmt_hours(crew, c, sizeof c);
	report_fmt_hours(at->size.hours / crew, w, sizeof w);
	return wr_table_add_row(t, cells);
}

int report_backlog_weeks(struct store *s, const struct scope *sc, struct wr_table *t,
                         struct wr_err *e)
{
	static const char *const head[] = {"month", "as_of", "open", "est_hours", "unestimated",
	                                   "crew_hours_week", "backlog_weeks"};
	static const int num[] = {0, 0, 1, 1, 1, 1, 1};
	int64_t last = sc->end - 1, first;
	struct backlog_at *at;
	double crew;
	int rc, y, m, d, n = 0, cap;

	if ((rc = wr_table_init(t, 7, head, num)) != WR_OK)
		return report_oom(e);
	if ((rc = report_crew_hours(s, &crew, e)) != WR_OK)
		return rc;
	/* Without a start: the twelve months up to the end. */
	wr_date_to_ymd(sc->from_given ? sc->from : wr_date_add_months(last, -11), &y, &m, &d);
	first = wr_date_from_ymd(y, m, 1);
	wr_date_to_ymd(last, &y, &m, &d);
	cap = (int)((last - first) / (28 * (int64_t)WR_DAY)) + 2;
	if (!(at = calloc((size_t)cap, sizeof *at)))
		return report_oom(e);
	/* Each month ends at the next one's start, the last at the period's end. */
	for (int64_t month = first; month <= last && n < cap; month = wr_date_add_months(month, 1)) {
		int64_t next = wr_date_add_months(month, 1);
		at[n++].end = next < sc->end ? next : sc->end;
	}
	rc = report_backlog_at(s, sc, at, n, e);
	for (int i = 0; rc == WR_OK && i < n; i++)
		if (weeks_row(t, &at[i], crew) != WR_OK)
			rc = report_oom(e);
	free(at);
	return rc;
}

/* ------------------------------------------------------------------- aging */

static const struct {
	const char *label;
	double max_days;            /* ages up to this (exclusive) */
} age_bands[] = {
	{"0-7", 8}, {"8-30", 31}, {"31-90", 91}, {"91-365", 366}, {"over-365", INFINITY},
};
#define NBANDS (sizeof age_bands / sizeof age_bands[0])

struct aging {
	int64_t as_of;
	int64_t count[NBANDS + 1];  /* the last: all */
	double hours[NBANDS + 1], days[NBANDS + 1];
};

static int aging_row(sqlite3_stmt *st, void *ctx)
{
	struct aging *a = ctx;
	double days = (double)(a->as_of - store_col_time(st, 0)) / (double)WR_DAY;
	double h = sqlite3_column_type(st, 1) == SQLITE_NULL ? 0 : sqlite3_column_double(st, 1);
	size_t b = 0;

	if (days < 0)
		days = 0;
	while (b + 1 < NBANDS && floor(days) >= age_bands[b].max_days)
		b++;
	for (size_t i = 0; i < 2; i++) {
		size_t k = i ? NBANDS : b;
		a->count[k]++;
		a->hours[k] += h;
		a->days[k] += days;
	}
	return WR_OK;
}

int report_aging(struct store *s, const struct scope *sc, struct wr_table *t, struct wr_err *e)
{
	static const char *const head[] = {"age_days", "open", "est_hours", "share_pct",
	                                   "mean_age_days"};
	static const int num[] = {0, 1, 1, 1, 1};
	static const char sql[] = "SELECT w.created_at, w.est_hours" BACKLOG_JOIN BACKLOG_AT
	                          ASSET_FILTER;
	struct aging a;
	sqlite3_stmt *st;
	int rc;

	memset(&a, 0, sizeof a);
	a.as_of = sc->end < sc->now ? sc->end : sc->now;
	if ((rc = wr_table_init(t, 5, head, num)) != WR_OK)
		return report_oom(e);
	if ((rc = report_prepare(s, sql, sc, &st, e)) != WR_OK)
		return rc;
	if ((rc = run_rows(s, st, aging_row, &a, e)) != WR_OK)
		return rc;
	for (size_t k = 0; k <= NBANDS; k++) {
		char n[32], h[32], p[32], d[32] = "";
		const char *cells[5] = {k < NBANDS ? age_bands[k].label : "TOTAL", n, h, p, d};
		fmt_count(a.count[k], n, sizeof n);
		report_fmt_hours(a.hours[k], h, sizeof h);
		fmt_pct((double)a.count[k], (double)a.count[NBANDS], p, sizeof p);
		if (a.count[k])
			snprintf(d, sizeof d, "%.1f", a.days[k] / (double)a.count[k]);
		if (wr_table_add_row(t, cells) != WR_OK)
			return report_oom(e);
	}
	return WR_OK;
}
