/*
 * measure.c - month-by-month measures and the bad actors (see measure.h),
 * taken from the reports of report.c so that every screen and page agrees
 * with `wrench report NAME`; and the asset classes a filter may choose.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "measure.h"

static const struct wr_measure_info infos[WM__COUNT] = {
	{ "availability", "Availability", "%", 2, 1, 1 },
	{ "mtbf", "MTBF", "h", 1, 1, 1 },
	{ "mttr", "MTTR", "h", 1, 0, 1 },
	{ "pm-compliance", "PM compliance", "%", 1, 1, 1 },
	{ "backlog", "Backlog", "WOs", 0, 0, 0 },
};

/* The report behind each measure, and the column of its TOTAL row. */
static const struct {
	int report, col;
} sources[WM__COUNT] = {
	{ RP_AVAILABILITY, 4 },
	{ RP_MTBF, 4 },
	{ RP_MTTR, 4 },
	{ RP_PM_COMPLIANCE, 5 },
	{ RP_BACKLOG, 2 },
};

const struct wr_measure_info *wr_measure_info(int m)
{
	return m >= 0 && m < WM__COUNT ? &infos[m] : NULL;
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

/* The number in the TOTAL row's column col, NAN when blank or absent. */
static double total_of(const struct wr_table *t, size_t col)
{
	for (size_t r = 0; r < t->nrows; r++) {
		const char *label = t->cells[r * t->ncols];
		const char *cell = t->cells[r * t->ncols + col];
		char *end;
		double v;

		if (strcmp(label, "TOTAL") || !*cell)
			continue;
		v = strtod(cell, &end);
		return end != cell && !*end ? v : NAN;
	}
	return NAN;
}

/* One measure over [from, to] (dates, to included). */
static int measure_value(struct store *s, int m, int64_t from, int64_t to,
                         const struct wr_measure_scope *sc, double *v, struct wr_err *e)
{
	struct wr_report_opts o = { from, to, sc ? sc->cls : NULL, NULL };
	struct wr_table t;
	int rc = store_report(s, sources[m].report, &o, &t, e);

	if (rc != WR_OK)
		return rc;
	*v = total_of(&t, (size_t)sources[m].col);
	wr_table_free(&t);
	return WR_OK;
}

int store_measure_months(struct store *s, int64_t last, int n, const struct wr_measure_scope *sc,
                         struct wr_months *out, struct wr_err *e)
{
	int64_t today = wr_today();
	int y, mo, d, i, m, rc;

	if (n < 1 || n > WR_MONTHS_MAX)
		return wr_fail(e, WR_EINPUT, "from 1 to %d months, not %d", WR_MONTHS_MAX, n);
	memset(out, 0, sizeof *out);
	out->n = n;
	wr_date_to_ymd(last, &y, &mo, &d);
	out->month[n] = wr_date_add_months(wr_date_from_ymd(y, mo, 1), 1);
	for (i = n - 1; i >= 0; i--)
		out->month[i] = wr_date_add_months(out->month[i + 1], -1);
	for (m = 0; m < WM__COUNT; m++) {
		out->today[m] = NAN;
		if (!infos[m].monthly &&
		    (rc = measure_value(s, m, today, today, sc, &out->today[m], e)) != WR_OK)
			return rc;
	}
	for (i = 0; i < n; i++) {
		int64_t from = out->month[i], to = out->month[i + 1] - WR_DAY;
		int current = today >= from && today <= to;

		if (to > today)
			to = today;
		for (m = 0; m < WM__COUNT; m++) {
			out->v[m][i] = current ? out->today[m] : NAN;
			if (from > today || !infos[m].monthly)
				continue;
			if ((rc = measure_value(s, m, from, to, sc, &out->v[m][i], e)) != WR_OK)
				return rc;
		}
	}
	return WR_OK;
}

/* ------------------------------------------------------------ bad actors */

static int actor_cmp(const void *pa, const void *pb)
{
	const struct wr_bad_actor *a = pa, *b = pb;

	if (a->failures != b->failures)
		return a->failures > b->failures ? -1 : 1;
	if (a->downtime_hours != b->downtime_hours)
		return a->downtime_hours > b->downtime_hours ? -1 : 1;
	return strcmp(a->tag, b->tag);
}

/* Every asset of the mtbf report (those with failures), unsorted. */
static int actors_load(struct store *s, const struct wr_report_opts *o, struct wr_bad_actor **v,
                       size_t *n, struct wr_err *e)
{
	struct wr_table t;
	int rc = store_report(s, RP_MTBF, o, &t, e);

	*v = NULL;
	*n = 0;
	if (rc != WR_OK)
		return rc;
	*v = calloc(t.nrows ? t.nrows : 1, sizeof **v);
	if (!*v) {
		wr_table_free(&t);
		return wr_fail(e, WR_ENOMEM, "out of memory running a report");
	}
	for (size_t r = 0; r < t.nrows; r++) {
		char *const *row = t.cells + r * t.ncols;
		if (!strcmp(row[0], "TOTAL"))
			continue;
		wr_strlcpy((*v)[*n].tag, row[0], sizeof (*v)[*n].tag);
		wr_strlcpy((*v)[*n].cls, row[1], sizeof (*v)[*n].cls);
		(*v)[*n].failures = strtoll(row[2], NULL, 10);
		(*n)++;
	}
	wr_table_free(&t);
	return WR_OK;
}

/* Adds each actor's downtime from the availability report. */
static int actors_downtime(struct store *s, const struct wr_report_opts *o,
                           struct wr_bad_actor *v, size_t n, struct wr_err *e)
{
	struct wr_table t;
	int rc = store_report(s, RP_AVAILABILITY, o, &t, e);

	if (rc != WR_OK)
		return rc;
	for (size_t r = 0; r < t.nrows; r++) {
		char *const *row = t.cells + r * t.ncols;
		for (size_t i = 0; i < n; i++)
			if (!strcmp(v[i].tag, row[0])) {
				v[i].downtime_hours = strtod(row[2], NULL);
				break;
			}
	}
	wr_table_free(&t);
	return WR_OK;
}

int store_bad_actors(struct store *s, int64_t from, int64_t to,
                     const struct wr_measure_scope *sc, struct wr_bad_actor *out, size_t max,
                     size_t *n, struct wr_err *e)
{
	struct wr_report_opts o = { from, to, sc ? sc->cls : NULL, NULL };
	struct wr_bad_actor *v;
	size_t all;
	int rc;

	*n = 0;
	if ((rc = actors_load(s, &o, &v, &all, e)) != WR_OK)
		return rc;
	if ((rc = actors_downtime(s, &o, v, all, e)) == WR_OK) {
		qsort(v, all, sizeof *v, actor_cmp);
		*n = all < max ? all : max;
		memcpy(out, v, *n * sizeof *v);
	}
	free(v);
	return rc;
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
