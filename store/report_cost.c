/*
 * report_cost.c - maintenance cost: labour hours logged in the period at
 * each person's rate (include/report.h says which rate applies), plus the
 * parts used in the period at their unit cost, by asset, asset class or
 * month.  Labour counts on the day it was logged, a part on the day it was
 * used.
 */
#include <stdio.h>
#include <string.h>

#include "report_internal.h"

/* One query per grouping: G is the group of a labour row (its time l_at),
 * of a parts row (its time p_at). */
#define COST_SQL(GL, GP)                                                                     \
	"SELECT g, sum(h), sum(lc), sum(pc) FROM ("                                           \
	"SELECT " GL " AS g, l.minutes / 60.0 AS h, l.minutes / 60.0 * " LABOUR_RATE " AS lc," \
	" 0 AS pc FROM wo_labor l JOIN wo w ON w.id = l.wo_id"                                \
	" LEFT JOIN asset a ON a.id = w.asset_id"                                             \
	" WHERE l.minutes >= 0 AND l.started_at >= ?1 AND l.started_at < ?2" ASSET_FILTER     \
	" UNION ALL SELECT " GP ", 0, 0, " PART_COST " FROM wo_part p JOIN wo w ON w.id = p.wo_id" \
	" LEFT JOIN asset a ON a.id = w.asset_id"                                             \
	" WHERE p.at >= ?1 AND p.at < ?2" ASSET_FILTER ") GROUP BY g ORDER BY g"

#define MONTH_OF(T) "strftime('%Y-%m', " T ", 'unixepoch')"

static const char q_asset[] = COST_SQL("coalesce(a.tag, '(no asset)')",
                                       "coalesce(a.tag, '(no asset)')");
static const char q_class[] = COST_SQL("coalesce(a.class, '(no asset)')",
                                       "coalesce(a.class, '(no asset)')");
static const char q_month[] = COST_SQL(MONTH_OF("l.started_at"), MONTH_OF("p.at"));

static int cost_row(struct wr_table *t, const char *label, double hours, double labour,
                    double parts)
{
	char h[32], l[32], p[32], c[32];
	const char *cells[5] = {label, h, l, p, c};

	report_fmt_hours(hours, h, sizeof h);
	report_fmt_hours(labour, l, sizeof l);
	report_fmt_hours(parts, p, sizeof p);
	report_fmt_hours(labour + parts, c, sizeof c);
	return wr_table_add_row(t, cells);
}

int report_cost(struct store *s, const struct scope *sc, int by, struct wr_table *t,
                struct wr_err *e)
{
	const char *head[] = {"asset", "labour_hours", "labour_cost", "parts_cost", "total_cost"};
	static const int num[] = {0, 1, 1, 1, 1};
	const char *sql = q_asset;
	double hours = 0, labour = 0, parts = 0;
	sqlite3_stmt *st;
	int r, rc;

	if (by == RB_CLASS || by == RB_MONTH) {
		head[0] = wr_report_by_name(by);
		sql = by == RB_CLASS ? q_class : q_month;
	} else if (by != RB_DEFAULT && by != RB_ASSET) {
		return wr_fail(e, WR_EINPUT, "the cost report groups by asset, class or month, not %s",
		               wr_report_by_name(by));
	}
	if ((rc = wr_table_init(t, 5, head, num)) != WR_OK)
		return report_oom(e);
	if ((rc = report_prepare(s, sql, sc, &st, e)) != WR_OK)
		return rc;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char g[64];
		double h = sqlite3_column_double(st, 1), l = sqlite3_column_double(st, 2);
		double p = sqlite3_column_double(st, 3);
		store_col_text(st, 0, g, sizeof g);
		hours += h;
		labour += l;
		parts += p;
		if (cost_row(t, g, h, l, p) != WR_OK) {
			sqlite3_finalize(st);
			return report_oom(e);
		}
	}
	if (r != SQLITE_DONE) {
		rc = store_dberr(s, e, "running a report");
		sqlite3_finalize(st);
		return rc;
	}
	sqlite3_finalize(st);
	if (cost_row(t, "TOTAL", hours, labour, parts) != WR_OK)
		return report_oom(e);
	return WR_OK;
}
