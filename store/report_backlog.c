/*
 * report_backlog.c - the backlog at several instants in one pass over the
 * work orders: what backlog-weeks and the monthly series need, without
 * reading every work order once a month.  Work is in the backlog at an
 * instant when it was raised before it and was neither finished nor
 * cancelled before it (as the backlog report counts it, see report.c).
 */
#include <string.h>

#include "report_internal.h"

static void count_row(struct backlog_at *at, int n, sqlite3_stmt *st)
{
	int64_t created = store_col_time(st, 0), done = store_col_time(st, 2);
	int estimated = sqlite3_column_type(st, 1) != SQLITE_NULL;
	double hours = estimated ? sqlite3_column_double(st, 1) : 0;

	for (int i = 0; i < n; i++) {
		struct backlog_size *b = &at[i].size;
		if (created >= at[i].end || (done != WR_NO_TIME && done < at[i].end))
			continue;
		b->count++;
		b->unestimated += !estimated;
		b->hours += hours;
		b->age_days += (double)(at[i].as_of - created) / (double)WR_DAY;
	}
}

int report_backlog_at(struct store *s, const struct scope *sc, struct backlog_at *at, int n,
                      struct wr_err *e)
{
	/* Only the work open at the first instant or raised before the last
	 * can count; the rest is not read. */
	static const char sql[] =
		"SELECT w.created_at, w.est_hours, CASE WHEN w.status IN (4, 5) THEN w.completed_at END"
		" FROM wo w LEFT JOIN asset a ON a.id = w.asset_id"
		" WHERE w.created_at < ?2 AND (w.status IN (0, 1, 2, 3)"
		" OR (w.status IN (4, 5) AND w.completed_at >= ?1))" ASSET_FILTER;
	struct scope span = *sc;
	sqlite3_stmt *st;
	int r, rc;

	for (int i = 0; i < n; i++) {
		memset(&at[i].size, 0, sizeof at[i].size);
		at[i].as_of = at[i].end < sc->now ? at[i].end : sc->now;
	}
	if (n <= 0)
		return WR_OK;
	span.from = at[0].end;
	span.end = at[n - 1].end;
	if ((rc = report_prepare(s, sql, &span, &st, e)) != WR_OK)
		return rc;
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		count_row(at, n, st);
	rc = r == SQLITE_DONE ? WR_OK : store_dberr(s, e, "running a report");
	sqlite3_finalize(st);
	return rc;
}
