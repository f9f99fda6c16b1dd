/*
 * monthly.h - the measures month by month as the charts show them: the
 * Reports screen (tui/view_reports.c) and the monthly report (`wrench
 * report monthly`, cli/cmd_report_monthly.c) both read them here.  The
 * numbers are store_measure_series()'s (report.h), so that the screen, the
 * page, `wrench report trend` and `wrench report NAME` over a month agree;
 * this adds how each is shown (title, unit, decimals, which way is good),
 * the bad actors (the failure Pareto by asset) and the classes to filter by.
 */
#ifndef WRENCH_MONTHLY_H
#define WRENCH_MONTHLY_H

#include <stddef.h>
#include <stdint.h>
#include "report.h"

/* How a measure is charted; the charts show every measure of report.h,
 * in the order of wr_monthly_info(0 .. WM__COUNT - 1). */
struct wr_monthly_info {
	int measure;             /* enum wr_measure (report.h) */
	const char *title;       /* "Availability": short enough for 40 columns */
	const char *unit;        /* "%", "h", "WOs", "" */
	int decimals;            /* shown with this many */
	int higher_is_better;    /* 1: up is good, 0: down is good */
};
/* The i-th measure in chart order; NULL out of range. */
const struct wr_monthly_info *wr_monthly_info(int i);

#define WR_MONTHS_MAX 24

/* n months (1..WR_MONTHS_MAX) ending with the month that holds `last`
 * (any day of it): month[i] is the first day of month i, month[n] the
 * first day of the month after; v[i][k] is chart measure i (in the order
 * of wr_monthly_info) in month k, NAN where it is undefined (no failure,
 * nothing due, no crew capacity set, a month not begun).  The current
 * month counts up to today. */
struct wr_months {
	int n;
	int64_t month[WR_MONTHS_MAX + 1];
	double v[WM__COUNT][WR_MONTHS_MAX];
};
/* scope: its class, site and asset apply (NULL: everything). */
int store_monthly_load(struct store *s, int64_t last, int n, const struct wr_report_opts *scope,
                       struct wr_months *out, struct wr_err *e);

/* The assets with the most failures from `from` to `to` (dates, `to`
 * included), most first: the failure Pareto by asset (`wrench report
 * pareto --by asset`); at most max. */
struct wr_bad_actor {
	char tag[64];
	int64_t failures;
	double downtime_hours, cost;
};
int store_bad_actors(struct store *s, int64_t from, int64_t to, const struct wr_report_opts *scope,
                     struct wr_bad_actor *out, size_t max, size_t *n, struct wr_err *e);

/* The asset classes in use, by name, with how many assets each has; at
 * most max. */
struct wr_class_count {
	char cls[64];
	int64_t assets;
};
int store_asset_classes(struct store *s, struct wr_class_count *out, size_t max, size_t *n,
                        struct wr_err *e);

/* "YYYY-MM" of the month that holds t; buf holds 8 bytes. */
char *wr_month_fmt(int64_t t, char *buf);
/* Parses "YYYY-MM" into the first day of that month. */
int wr_month_parse(const char *s, int64_t *out, struct wr_err *e);

#endif
