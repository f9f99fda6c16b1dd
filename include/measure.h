/*
 * measure.h - the measures a maintenance manager follows month by month,
 * as numbers for the charts: the Reports screen (tui/view_reports.c) and
 * the monthly report (`wrench report monthly`, cli/cmd_report_monthly.c)
 * both read them here, so that the screen, the paper and `wrench report
 * NAME` give the same figures (store/measure.c takes each month's value
 * from the TOTAL row of store_report over that month).
 */
#ifndef WRENCH_MEASURE_H
#define WRENCH_MEASURE_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

struct store;

enum wr_measure {
	WM_AVAILABILITY,     /* % of the period up, over every asset in scope */
	WM_MTBF,             /* hours between failures, pooled */
	WM_MTTR,             /* mean repair hours */
	WM_PM_COMPLIANCE,    /* % of the PM work due in the month done on time */
	WM_BACKLOG,          /* open work orders (a snapshot: today's, no trend) */
	WM__COUNT
};

struct wr_measure_info {
	const char *key;         /* "availability", as `wrench report` names it */
	const char *title;       /* "Availability" */
	const char *unit;        /* "%", "h", "WOs" */
	int decimals;            /* shown with this many */
	int higher_is_better;    /* 1: up is good, 0: down is good */
	int monthly;             /* 0: a snapshot, only the current month has a value */
};
/* The measure's description; NULL out of range. */
const struct wr_measure_info *wr_measure_info(int m);

#define WR_MONTHS_MAX 24

/* Whom the measures cover. */
struct wr_measure_scope {
	const char *cls;         /* an asset class, NULL or "" = all */
};

/* n months (1..WR_MONTHS_MAX) ending with the month that holds `last`
 * (any day of it): month[i] is the first day of month i, month[n] the
 * first day of the month after; v[m][i] the value of measure m in month
 * i, NAN when there is nothing to measure (no failure, no PM due, a month
 * not begun, a snapshot's past).  The current month counts up to today. */
struct wr_months {
	int n;
	int64_t month[WR_MONTHS_MAX + 1];
	double v[WM__COUNT][WR_MONTHS_MAX];
	double today[WM__COUNT];  /* a snapshot measure's value today; NAN for the others */
};
int store_measure_months(struct store *s, int64_t last, int n, const struct wr_measure_scope *sc,
                         struct wr_months *out, struct wr_err *e);

/* The assets with the most failures from `from` to `to` (dates; `to`
 * included), most first (ties: more downtime, then tag); at most max. */
struct wr_bad_actor {
	char tag[64], cls[64];
	int64_t failures;
	double downtime_hours;
};
int store_bad_actors(struct store *s, int64_t from, int64_t to,
                     const struct wr_measure_scope *sc, struct wr_bad_actor *out, size_t max,
                     size_t *n, struct wr_err *e);

/* The asset classes in use (in scope of a class filter), by name, with
 * how many assets each has; at most max. */
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
