/*
 * report_pareto.c - the failure Pareto: failure work orders (marked as a
 * failure, not cancelled) whose failure began in the period (the start of
 * their downtime, else their completion, else their creation), and the
 * failures of the asset history that no work order recorded (imported
 * history: its code is the problem, no downtime or cost is known), by
 * problem code, asset, asset class or month, ranked by count, downtime or
 * cost, with each group's share of the whole and the running share down
 * the list.  A
 * failure's downtime is its whole downtime window (an open one lasts until
 * now); its cost, all the labour and parts booked on it.
 */
#include <stdio.h>
#include <string.h>

#include "report_internal.h"

static const char *const by_names[RB__COUNT] = {"default", "asset", "class", "month",
                                               "problem"};
static const char *const rank_names[RK__COUNT] = {"failures", "downtime", "cost"};

const char *wr_report_by_name(int by)
{
	return by >= 0 && by < RB__COUNT ? by_names[by] : "unknown";
}

int wr_report_by_parse(const char *s, int *out)
{
	for (int b = RB_ASSET; s && b < RB__COUNT; b++)
		if (wr_streq_ci(s, by_names[b])) {
			*out = b;
			return WR_OK;
		}
	return WR_EINPUT;
}

const char *wr_report_rank_name(int rank)
{
	return rank >= 0 && rank < RK__COUNT ? rank_names[rank] : "unknown";
}

int wr_report_rank_parse(const char *s, int *out)
{
	for (int r = 0; s && r < RK__COUNT; r++)
		if (wr_streq_ci(s, rank_names[r])) {
			*out = r;
			return WR_OK;
		}
	return WR_EINPUT;
}

/* The failures of the period, one row each: k its group, dt its downtime
 * in seconds, cost its labour and parts. */
#define FAILURES(K, KE)                                                                        \
	"SELECT " K " AS k, CASE WHEN w.downtime_start IS NULL THEN 0 ELSE max(0,"           \
	" CASE WHEN w.downtime_end IS NOT NULL THEN w.downtime_end"                          \
	"  WHEN w.status IN (4, 5) THEN coalesce(w.completed_at, w.downtime_start)"          \
	"  ELSE ?5 END - w.downtime_start) END AS dt,"                                       \
	" (SELECT coalesce(sum(l.minutes / 60.0 * " LABOUR_RATE "), 0) FROM wo_labor l"      \
	"  WHERE l.wo_id = w.id AND l.minutes >= 0) + (SELECT coalesce(sum(" PART_COST "), 0) FROM wo_part p"  \
	"  WHERE p.wo_id = w.id) AS cost"                                                    \
	" FROM wo w LEFT JOIN asset a ON a.id = w.asset_id"                                  \
	" WHERE w.is_failure = 1 AND w.status <> 6"                                          \
	" AND coalesce(w.downtime_start, w.completed_at, w.created_at) >= ?1"                \
	" AND coalesce(w.downtime_start, w.completed_at, w.created_at) < ?2" ASSET_FILTER      \
	" UNION ALL SELECT " KE ", 0, 0 FROM event e JOIN asset a ON a.id = e.asset_id"       \
	" WHERE e.kind = 1 AND e.wo_id IS NULL AND e.at >= ?1 AND e.at < ?2" ASSET_FILTER

/* Groups, ranked by the measure chosen (?6: 0 count, 1 downtime, 2 cost),
 * with the totals and the running total of that measure. */
#define PARETO(K, KE)                                                                        \
	"WITH f AS (" FAILURES(K, KE) "), g AS (SELECT k, count(*) AS n, sum(dt) / 3600.0 AS h,"  \
	" sum(cost) AS c FROM f GROUP BY k), r AS (SELECT *, CASE ?6 WHEN 0 THEN n"          \
	" WHEN 1 THEN h ELSE c END AS m FROM g)"                                             \
	" SELECT k, n, h, c, m, sum(m) OVER (ORDER BY m DESC, k ROWS UNBOUNDED PRECEDING),"  \
	" sum(m) OVER (), sum(n) OVER (), sum(h) OVER (), sum(c) OVER ()"                    \
	" FROM r ORDER BY m DESC, k"

static const char q_problem[] = PARETO("CASE w.problem WHEN '' THEN '(none)' ELSE w.problem END",
                                       "CASE e.code WHEN '' THEN '(none)' ELSE e.code END");
static const char q_asset[] = PARETO("coalesce(a.tag, '(no asset)')", "a.tag");
#define FAILED_MONTH(T) "strftime('%Y-%m', " T ", 'unixepoch')"
static const char q_month[] =
	PARETO(FAILED_MONTH("coalesce(w.downtime_start, w.completed_at, w.created_at)"),
	       FAILED_MONTH("e.at"));
static const char q_class[] = PARETO("CASE WHEN a.id IS NULL THEN '(no asset)' ELSE a.class END",
                                     "a.class");

struct pareto_total {
	int64_t n;
	double h, c;
};

static int pareto_row(struct wr_table *t, const char *key, int64_t n, double h, double c,
                      double share, double cum)
{
	char nb[32], hb[32], cb[32], sb[32] = "", ub[32] = "";
	const char *cells[6] = {key, nb, hb, cb, sb, ub};

	snprintf(nb, sizeof nb, "%lld", (long long)n);
	report_fmt_hours(h, hb, sizeof hb);
	report_fmt_hours(c, cb, sizeof cb);
	if (share >= 0)
		snprintf(sb, sizeof sb, "%.1f", share);
	if (cum >= 0)
		snprintf(ub, sizeof ub, "%.1f", cum);
	return wr_table_add_row(t, cells);
}

static int pareto_rows(struct store *s, sqlite3_stmt *st, int top, struct wr_table *t,
                       struct pareto_total *tot, struct wr_err *e)
{
	int r, rows = 0;

	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char key[64];
		double m = sqlite3_column_double(st, 4), cum = sqlite3_column_double(st, 5);
		double all = sqlite3_column_double(st, 6);
		tot->n = sqlite3_column_int64(st, 7);
		tot->h = sqlite3_column_double(st, 8);
		tot->c = sqlite3_column_double(st, 9);
		if (top > 0 && rows >= top)
			continue;
		store_col_text(st, 0, key, sizeof key);
		if (pareto_row(t, key, sqlite3_column_int64(st, 1), sqlite3_column_double(st, 2),
		               sqlite3_column_double(st, 3), all > 0 ? 100.0 * m / all : -1,
		               all > 0 ? 100.0 * cum / all : -1) != WR_OK)
			return report_oom(e);
		rows++;
	}
	return r == SQLITE_DONE ? WR_OK : store_dberr(s, e, "running a report");
}

int report_pareto(struct store *s, const struct scope *sc, const struct wr_report_opts *o,
                  struct wr_table *t, struct wr_err *e)
{
	const char *head[] = {"problem", "failures", "downtime_hours", "cost", "share_pct",
	                      "cumulative_pct"};
	static const int num[] = {0, 1, 1, 1, 1, 1};
	int by = o ? o->by : RB_DEFAULT, rank = o ? o->rank : RK_FAILURES;
	struct pareto_total tot = {0, 0, 0};
	const char *sql = q_problem;
	sqlite3_stmt *st;
	int rc;

	if (by == RB_ASSET || by == RB_CLASS || by == RB_MONTH) {
		head[0] = wr_report_by_name(by);
		sql = by == RB_ASSET ? q_asset : by == RB_CLASS ? q_class : q_month;
	} else if (by != RB_DEFAULT && by != RB_PROBLEM) {
		return wr_fail(e, WR_EINPUT,
		               "the pareto report groups by problem, asset, class or month, not %s",
		               wr_report_by_name(by));
	}
	if (rank < 0 || rank >= RK__COUNT)
		return wr_fail(e, WR_EINPUT, "the pareto report ranks by failures, downtime or cost");
	if ((rc = wr_table_init(t, 6, head, num)) != WR_OK)
		return report_oom(e);
	if ((rc = report_prepare(s, sql, sc, &st, e)) != WR_OK)
		return rc;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 5, sc->now);
	store_bind_int(&b, 6, rank);
	if ((rc = store_binds_check(&b, e, "running a report")) == WR_OK)
		rc = pareto_rows(s, st, o ? o->top : 0, t, &tot, e);
	sqlite3_finalize(st);
	if (rc == WR_OK && pareto_row(t, "TOTAL", tot.n, tot.h, tot.c, tot.n ? 100.0 : -1, -1) != WR_OK)
		rc = report_oom(e);
	return rc;
}
