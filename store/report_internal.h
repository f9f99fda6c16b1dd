/*
 * report_internal.h - what the report files of store/ share: the scope of
 * a report (its period and filters), preparing a query bound to it, and
 * number formats.
 */
#ifndef WRENCH_REPORT_INTERNAL_H
#define WRENCH_REPORT_INTERNAL_H

#include "wo_internal.h"
#include "report.h"

struct scope {
	int64_t from, end, today, now;
	const char *cls, *tag;     /* NULL = any */
	int64_t site;              /* location row id, 0 = any */
	int from_given;            /* the caller chose from (else: first day of history) */
};

/* Asset filter on the asset row "a": ?3 class, ?4 tag and ?7 the row id
 * of a site (NULL = any); the site takes assets at its location or at any
 * location below it. */
#define ASSET_FILTER                                                                       \
	" AND (?3 IS NULL OR a.class = ?3) AND (?4 IS NULL OR a.tag = ?4)"                   \
	" AND (?7 IS NULL OR a.location_id IN (WITH RECURSIVE under(id) AS (SELECT ?7"       \
	" UNION SELECT l.id FROM location l JOIN under u ON l.parent_id = u.id)"             \
	" SELECT id FROM under))"

/* Resolves a report's options into its scope: the period [from, end), the
 * class, the asset (which must exist) and the site (which must exist). */
int report_scope_resolve(struct store *s, const struct wr_report_opts *o, struct scope *sc,
                         struct wr_err *e);
/* Prepares a report's query and binds its scope: ?1 from, ?2 end, ?3 class,
 * ?4 tag and ?7 site (the last three only when set). */
int report_prepare(struct store *s, const char *sql, const struct scope *sc, sqlite3_stmt **st,
                   struct wr_err *e);
/* Start of an asset's own period: its install date when later than from. */
int64_t report_asset_start(const struct scope *sc, int64_t install);
/* Hours (or any amount) with two decimals. */
void report_fmt_hours(double h, char *buf, size_t n);
/* "YYYY-MM" of an instant into buf (at least 8 bytes). */
void report_month_of(int64_t t, char *buf, size_t n);
/* The failure: out of memory while building a table. */
int report_oom(struct wr_err *e);

/* The new reports (report_smrp.c, report_cost.c, report_pareto.c). */
int report_planned(struct store *s, const struct scope *sc, struct wr_table *t, struct wr_err *e);
int report_schedule(struct store *s, const struct scope *sc, struct wr_table *t,
                    struct wr_err *e);
int report_backlog_weeks(struct store *s, const struct scope *sc, struct wr_table *t,
                         struct wr_err *e);
int report_aging(struct store *s, const struct scope *sc, struct wr_table *t, struct wr_err *e);
int report_cost(struct store *s, const struct scope *sc, int by, struct wr_table *t,
                struct wr_err *e);
int report_pareto(struct store *s, const struct scope *sc, const struct wr_report_opts *o,
                  struct wr_table *t, struct wr_err *e);

/* Work in the backlog as of ?2 (see report.c), and the join that gives
 * its asset row to ASSET_FILTER. */
#define BACKLOG_AT                                                                           \
	" w.created_at >= ?1 AND w.created_at < ?2 AND (w.status IN (0, 1, 2, 3)"             \
	" OR (w.status IN (4, 5) AND w.completed_at >= ?2))"
#define BACKLOG_JOIN " FROM wo w LEFT JOIN asset a ON a.id = w.asset_id WHERE"

/* The crew's capacity in hours per week; WR_EINPUT saying how to set it
 * when it is not set. */
int report_crew_hours(struct store *s, double *hours, struct wr_err *e);

/* The cost of an hour of the labour row "l": the rate of its person, else
 * of the person's team, else the default rate, else 0 (report_setting kinds:
 * 1 default, 2 person, 3 team). */
#define LABOUR_RATE                                                                          \
	"coalesce((SELECT r.value FROM report_setting r WHERE r.kind = 2"                     \
	" AND r.name = l.username), (SELECT r.value FROM report_setting r"                    \
	" JOIN app_user u ON u.team = r.name WHERE r.kind = 3 AND u.username = l.username),"  \
	" (SELECT r.value FROM report_setting r WHERE r.kind = 1 AND r.name = ''), 0)"
/* The cost of the parts-used row "p": quantity times unit cost (0 when it
 * has no cost). */
#define PART_COST "p.qty * coalesce(p.unit_cost, 0)"

/* The size of the backlog at an instant: open work orders, how many have
 * no estimate, their estimated hours and their summed age in days. */
struct backlog_size {
	int64_t count, unestimated;
	double hours, age_days;
};
/* The backlog at each at[i].end (ascending) over all the work raised before
 * it in sc's class, site and asset (sc's period is not used); fills
 * at[i].size, and at[i].as_of = the earlier of end and now, from which ages
 * are counted (report_backlog.c). */
struct backlog_at {
	int64_t end, as_of;
	struct backlog_size size;
};
int report_backlog_at(struct store *s, const struct scope *sc, struct backlog_at *at, int n,
                      struct wr_err *e);

#endif
