/*
 * report.h - the measures a maintenance manager asks for, beside MTBF,
 * MTTR, availability, backlog and PM compliance: planned work, schedule
 * compliance, backlog in crew-weeks, work-order aging, maintenance cost and
 * the failure Pareto; the settings they need (crew capacity, labour rates);
 * and every measure as a monthly series for trend charts.
 *
 * Every report is one call, store_report() (include/store.h), named by its
 * enum wr_report (RP_PLANNED ... RP_PARETO are the ones added here), and
 * returns a struct wr_table whose last row is "TOTAL" where a total makes
 * sense.  The definitions (and the SMRP Best Practices metric each follows)
 * are in the man page, wrench(1), under REPORTS.
 *
 * Scope, as struct wr_report_opts says it: the period [from, to] (to is the
 * last day included), an asset class, a site (a location code: assets at it
 * or at any location below it), or one asset.  Work orders without an asset
 * are left out whenever a class, a site or an asset is given.
 */
#ifndef WRENCH_REPORT_H
#define WRENCH_REPORT_H

#include "store.h"

/* --------------------------------------------------------------- grouping */

/* How the cost and Pareto reports group their rows (wr_report_opts.by):
 * RB_DEFAULT is by asset for cost and by problem code for pareto. */
enum wr_report_by { RB_DEFAULT, RB_ASSET, RB_CLASS, RB_MONTH, RB_PROBLEM, RB__COUNT };
const char *wr_report_by_name(int by);           /* "asset", "class", ... */
int wr_report_by_parse(const char *s, int *out); /* WR_EINPUT when unknown */

/* What the Pareto ranks by (wr_report_opts.rank). */
enum wr_report_rank { RK_FAILURES, RK_DOWNTIME, RK_COST, RK__COUNT };
const char *wr_report_rank_name(int rank);       /* "failures", "downtime", "cost" */
int wr_report_rank_parse(const char *s, int *out);

/* --------------------------------------------------------------- settings */

/* Kept in the database (table report_setting) so that everyone reporting
 * on the same data gets the same figures.  A labour hour costs the rate of
 * the person who logged it, else the rate of that person's team (app_user
 * .team), else the default rate, else nothing. */
enum wr_setting_kind {
	RS_CREW_HOURS,          /* crew capacity: hours of work per week */
	RS_RATE_DEFAULT,        /* cost of a labour hour */
	RS_RATE_PERSON,         /* name = username */
	RS_RATE_TEAM,           /* name = team */
	RS__COUNT
};
const char *wr_setting_kind_name(int kind);      /* "crew_hours", "rate", "person_rate", "team_rate" */

struct wr_report_setting {
	int kind;               /* enum wr_setting_kind */
	char name[64];          /* "" for crew_hours and rate */
	double value;
};
typedef int (*wr_setting_cb)(const struct wr_report_setting *st, void *ctx);

/* Sets a setting; value NAN removes it.  value must be >= 0 and finite
 * (crew hours > 0); a person or team needs a name (the person need not
 * exist yet: labour is logged by username). */
int store_report_setting_set(struct store *s, int kind, const char *name, double value,
                             struct wr_err *e);
/* The value, or NAN when it is not set. */
int store_report_setting_get(struct store *s, int kind, const char *name, double *value,
                             struct wr_err *e);
/* Every setting, by kind then name. */
int store_report_setting_list(struct store *s, wr_setting_cb cb, void *ctx, struct wr_err *e);

/* ---------------------------------------------------------- monthly series */

/* One number per month for a trend chart; each is the TOTAL of the
 * matching report over that month (the snapshot ones: as of the month's
 * last day, or today for the current month). */
enum wr_measure {
	WM_MTBF_HOURS,              /* mtbf: total mtbf_hours */
	WM_MTTR_HOURS,              /* mttr: total mttr_hours */
	WM_AVAILABILITY_PCT,        /* availability: total availability_pct */
	WM_BACKLOG_WOS,             /* backlog: open work orders at month end */
	WM_BACKLOG_HOURS,           /* backlog: their estimated hours */
	WM_PM_COMPLIANCE_PCT,       /* pm-compliance: compliance_pct */
	WM_PLANNED_PCT,             /* planned: planned_pct (of labour hours) */
	WM_SCHEDULE_COMPLIANCE_PCT, /* schedule-compliance: compliance_pct */
	WM_BACKLOG_WEEKS,           /* backlog-weeks: crew-weeks at month end */
	WM_AGING_DAYS,              /* aging: mean age of open work at month end */
	WM_COST,                    /* cost: total_cost */
	WM_FAILURES,                /* pareto: failures */
	WM_DOWNTIME_HOURS,          /* pareto: downtime_hours of those failures */
	WM__COUNT
};
const char *wr_measure_name(int m);   /* "mtbf_hours", ... (a CSV/JSON column name) */

/* values[i] is the measure over month i, counted from year-month (months
 * of them, 1..120); NAN where it is undefined (no failures, nothing due,
 * no crew capacity set, a month after today).  o's class, site and asset
 * apply; its from, to, by, rank and top are ignored. */
int store_measure_series(struct store *s, int measure, const struct wr_report_opts *o, int year,
                         int month, int months, double *values, struct wr_err *e);

#endif
