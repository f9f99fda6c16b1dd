/*
 * report.c - maintenance reports as struct wr_table.
 *
 * The period is [from, end): from defaults to the earliest event or work
 * order (a year ago in an empty database), and `to` names the last day
 * included when it is a date (midnight), so --to 2024-12-31 covers all of
 * that day; it defaults to today.  An asset's own period starts at its
 * install date when that is later than from.  Every report can be limited
 * to a class, a site (report_internal.h) or one asset.  The reports of
 * include/report.h are in report_smrp.c, report_cost.c and report_pareto.c.
 *
 *   mtbf           assets with failures (history events of kind failure) in
 *                  the period: operating hours (the asset's period less its
 *                  downtime) / failures.  Total: pooled over those assets.
 *   mttr           assets with failure work orders (is_failure) completed in
 *                  the period: mean repair hours, from the downtime window,
 *                  else start to completion; work with neither is left out.
 *   availability   assets with downtime in the period: 1 - downtime / period.
 *                  Downtime windows come from work orders; overlapping ones
 *                  are merged, an open one lasts until now (done: until its
 *                  completion), all clipped to the period.  Total: over every
 *                  asset in scope, including those never down.
 *   backlog        work open (requested, open, in progress, on hold) at
 *                  the end of the period, raised in it, by status and
 *                  priority: count, estimated hours, overdue (due before
 *                  the period's last day).
 *   pm-compliance  PM work orders due in the period, by month of due date:
 *                  done on time (completed by the end of the due day: no
 *                  grace), done late, not done; cancelled ones are left out.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static const char *const report_names[RP__COUNT] = {
	"mtbf", "mttr", "availability", "backlog", "pm-compliance",
	"planned", "schedule-compliance", "backlog-weeks", "aging", "cost", "pareto",
};

const char *wr_report_name(int r)
{
	return r >= 0 && r < RP__COUNT ? report_names[r] : "unknown";
}

int wr_report_parse(const char *s, int *out)
{
	if (!s)
		return WR_EINPUT;
	for (int r = 0; r < RP__COUNT; r++)
		if (wr_streq_ci(s, report_names[r])) {
			*out = r;
			return WR_OK;
		}
	if (wr_streq_ci(s, "pm_compliance") || wr_streq_ci(s, "compliance")) {
		*out = RP_PM_COMPLIANCE;
		return WR_OK;
	}
	return WR_EINPUT;
}

int report_prepare(struct store *s, const char *sql, const struct scope *sc, sqlite3_stmt **st,
                   struct wr_err *e)
{
	int rc;

	*st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
		sqlite3_finalize(*st);
		*st = NULL;
		return store_dberr(s, e, "running a report");
	}
	struct store_binds b = store_binds_start(*st);
	store_bind_int64(&b, 1, sc->from);
	store_bind_int64(&b, 2, sc->end);
	if (sc->cls)
		store_bind_text(&b, 3, sc->cls);
	if (sc->tag)
		store_bind_text(&b, 4, sc->tag);
	if (sc->site)
		store_bind_int64(&b, 7, sc->site);
	if ((rc = store_binds_check(&b, e, "running a report")) != WR_OK) {
		sqlite3_finalize(*st);
		*st = NULL;
	}
	return rc;
}

/* With no start given, the period starts on the day of the first event,
 * work order, labour or part used (a year before the end when that leaves
 * it empty).  Labour may start before its work order was written up: two
 * hours worked, then recorded. */
static int first_day(struct store *s, struct scope *sc, struct wr_err *e)
{
	static const char q_first[] =
		"SELECT min(m) FROM (SELECT min(at) AS m FROM event"
		" UNION ALL SELECT min(created_at) FROM wo"
		" UNION ALL SELECT min(started_at) FROM wo_labor"
		" UNION ALL SELECT min(at) FROM wo_part)";
	sqlite3_stmt *st = store_stmt(s, q_first, e);

	if (!st)
		return WR_EDB;
	int r = sqlite3_step(st);
	sc->from = r == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL
	               ? store_day_of(store_col_time(st, 0))
	               : sc->today - 365 * (int64_t)WR_DAY;
	store_stmt_done(st);
	if (r != SQLITE_ROW)
		return store_dberr(s, e, "running a report");
	if (sc->from >= sc->end)
		sc->from = sc->end - 365 * (int64_t)WR_DAY;
	return WR_OK;
}

int report_scope_resolve(struct store *s, const struct wr_report_opts *o, struct scope *sc,
                         struct wr_err *e)
{
	int64_t to;
	int rc;

	memset(sc, 0, sizeof *sc);
	sc->today = wr_today();
	sc->now = wr_now();
	sc->cls = o && o->cls && *o->cls ? o->cls : NULL;
	sc->tag = o && o->asset_tag && *o->asset_tag ? o->asset_tag : NULL;
	if (sc->tag) {
		int64_t id = store_id_of(s, "asset", sc->tag, e);
		if (id < 0)
			return WR_EDB;
		if (id == 0)
			return wr_fail(e, WR_EINPUT, "no asset with tag %s", sc->tag);
	}
	if (o && o->site && *o->site) {
		sc->site = store_id_of(s, "location", o->site, e);
		if (sc->site < 0)
			return WR_EDB;
		if (sc->site == 0)
			return wr_fail(e, WR_EINPUT, "no site or location with code %s", o->site);
	}
	to = o && o->to != WR_NO_TIME ? o->to : sc->today;
	sc->end = to == store_day_of(to) ? to + WR_DAY : to;
	sc->from_given = o && o->from != WR_NO_TIME;
	if (sc->from_given)
		sc->from = o->from;
	else if ((rc = first_day(s, sc, e)) != WR_OK)
		return rc;
	if (sc->from >= sc->end) {
		char a[WR_DATE_BUF], b[WR_DATE_BUF];
		return wr_fail(e, WR_EINPUT, "the period is empty: from %s is not before to %s",
		               wr_date_fmt(sc->from, a), wr_date_fmt(to, b));
	}
	return WR_OK;
}

/* Start of an asset's own period. */
int64_t report_asset_start(const struct scope *sc, int64_t install)
{
	return install != WR_NO_TIME && install > sc->from ? install : sc->from;
}

/* Hours with two decimals.  A value too long for that (only a database
 * written by another program holds one: wrench bounds what it stores, see
 * enum wr_num) is written in exponent form rather than cut short. */
int report_add_row(struct wr_table *t, const char *const *cells)
{
	if (strcmp(cells[0], "TOTAL") == 0)
		return wr_table_add_total(t, cells);
	return wr_table_add_row(t, cells);
}

void report_fmt_hours(double h, char *buf, size_t n)
{
	int len = snprintf(buf, n, "%.2f", h);

	if (len < 0 || (size_t)len >= n)
		snprintf(buf, n, "%.15g", h);
}

void report_month_of(int64_t t, char *buf, size_t n)
{
	int y, m, d;

	wr_date_to_ymd(t, &y, &m, &d);
	snprintf(buf, n, "%04d-%02d", y, m);
}

int report_oom(struct wr_err *e)
{
	return wr_fail(e, WR_ENOMEM, "out of memory running a report");
}

/* ---------------------------------------------------------------- downtime */

struct dt_entry {
	int64_t asset_id;
	int64_t secs;
};

struct dt_map {
	struct dt_entry *v;
	size_t n, cap;
};

static int dt_push(struct dt_map *m, int64_t id, int64_t secs)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 256;
		struct dt_entry *v = realloc(m->v, cap * sizeof *v);
		if (!v)
			return WR_ENOMEM;
		m->v = v;
		m->cap = cap;
	}
	m->v[m->n].asset_id = id;
	m->v[m->n].secs = secs;
	m->n++;
	return WR_OK;
}

static int64_t dt_lookup(const struct dt_map *m, int64_t id)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->v[mid].asset_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n && m->v[lo].asset_id == id ? m->v[lo].secs : 0;
}

/* The downtime intervals of one asset being merged: [lo, hi) is the open
 * one (when have), sum what the closed ones add up to. */
struct dt_merge {
	int64_t cur, lo, hi, sum;
	int have;
};

/* Closes asset g->cur's last interval and records its total; -1 when out
 * of memory. */
static int dt_close_asset(struct dt_merge *g, struct dt_map *m)
{
	if (g->have)
		g->sum += g->hi - g->lo;
	if (g->cur && g->sum > 0 && dt_push(m, g->cur, g->sum) != WR_OK)
		return -1;
	return 0;
}

/* Adds [a, b) to the asset's intervals, merging it into the open one when
 * they overlap (rows come in order of start). */
static void dt_add_interval(struct dt_merge *g, int64_t a, int64_t b)
{
	if (g->have && a <= g->hi) {
		if (b > g->hi)
			g->hi = b;
		return;
	}
	if (g->have)
		g->sum += g->hi - g->lo;
	g->lo = a;
	g->hi = b;
	g->have = 1;
}

/* Merges the downtime rows of the query into m; returns the last step's
 * result, SQLITE_NOMEM when out of memory. */
static int dt_merge_rows(const struct scope *sc, sqlite3_stmt *st, struct dt_map *m)
{
	struct dt_merge g = {0, 0, 0, 0, 0};
	int r;

	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		int64_t from = report_asset_start(sc, store_col_time(st, 1));
		int64_t a = store_col_time(st, 2), b = store_col_time(st, 3);
		if (b == WR_NO_TIME || b <= a)
			continue;
		if (a < from)
			a = from;
		if (b > sc->end)
			b = sc->end;
		if (id != g.cur) {
			if (dt_close_asset(&g, m) != 0)
				break;
			g.cur = id;
			g.sum = 0;
			g.have = 0;
		}
		if (b <= a)
			continue;
		dt_add_interval(&g, a, b);
	}
	if (r == SQLITE_DONE && dt_close_asset(&g, m) != 0)
		r = SQLITE_NOMEM;
	return r;
}

/* Merged downtime per asset within each asset's period, sorted by asset id. */
static int downtime_map(struct store *s, const struct scope *sc, struct dt_map *m,
                        struct wr_err *e)
{
	static const char sql[] =
		"SELECT w.asset_id, a.install_date, w.downtime_start,"
		" CASE WHEN w.downtime_end IS NOT NULL THEN w.downtime_end"
		"  WHEN w.status IN (4, 5) THEN w.completed_at"
		"  WHEN w.status = 6 THEN NULL ELSE ?5 END"
		/* One pass over the table in storage order beats walking an index
		 * and fetching every row from it: the rows with downtime are
		 * few and are sorted afterwards. */
		" FROM wo w NOT INDEXED JOIN asset a ON a.id = w.asset_id"
		" WHERE w.downtime_start IS NOT NULL AND w.downtime_start < ?2 AND ?1 IS NOT NULL"
		ASSET_FILTER " ORDER BY w.asset_id, w.downtime_start";
	sqlite3_stmt *st;
	int r, rc;

	memset(m, 0, sizeof *m);
	if ((rc = report_prepare(s, sql, sc, &st, e)) != WR_OK)
		return rc;
	struct store_binds binds = store_binds_start(st);
	store_bind_int64(&binds, 5, sc->now);
	if ((rc = store_binds_check(&binds, e, "running a report")) != WR_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	r = dt_merge_rows(sc, st, m);
	sqlite3_finalize(st);
	if (r == SQLITE_DONE)
		return WR_OK;
	free(m->v);
	memset(m, 0, sizeof *m);
	if (r == SQLITE_ROW || r == SQLITE_NOMEM)
		return wr_fail(e, WR_ENOMEM, "out of memory running a report");
	return store_dberr(s, e, "running a report");
}

/* The TOTAL row of mtbf and mttr: a count, the hours it is over, and
 * their mean (blank when the count is zero). */
static int add_mean_total(struct wr_table *t, int64_t count, double hours, struct wr_err *e)
{
	char nb[32], hb[32], mb[32] = "";
	const char *cells[5] = {"TOTAL", "", nb, hb, mb};

	snprintf(nb, sizeof nb, "%lld", (long long)count);
	report_fmt_hours(hours, hb, sizeof hb);
	if (count)
		report_fmt_hours(hours / (double)count, mb, sizeof mb);
	if (wr_table_add_total(t, cells) != WR_OK)
		return wr_fail(e, WR_ENOMEM, "out of memory running a report");
	return WR_OK;
}

/* -------------------------------------------------------------------- mtbf */

static int report_mtbf(struct store *s, const struct scope *sc, struct wr_table *t,
                       struct wr_err *e)
{
	static const char *const head[] = {"asset", "class", "failures", "operating_hours",
	                                   "mtbf_hours"};
	static const int num[] = {0, 0, 1, 1, 1};
	static const char sql[] =
		"SELECT a.id, a.tag, a.class, a.install_date, count(*) FROM event e"
		" JOIN asset a ON a.id = e.asset_id"
		" WHERE e.kind = 1 AND e.at >= ?1 AND e.at < ?2" ASSET_FILTER
		" GROUP BY a.id ORDER BY a.tag";
	struct dt_map dt;
	sqlite3_stmt *st;
	double op_total = 0;
	int64_t fail_total = 0;
	int r, rc;

	if ((rc = wr_table_init(t, 5, head, num)) != WR_OK)
		return wr_fail(e, rc, "out of memory running a report");
	if ((rc = downtime_map(s, sc, &dt, e)) != WR_OK)
		return rc;
	if ((rc = report_prepare(s, sql, sc, &st, e)) != WR_OK) {
		free(dt.v);
		return rc;
	}
	while (rc == WR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0), n = sqlite3_column_int64(st, 4);
		int64_t span = sc->end - report_asset_start(sc, store_col_time(st, 3));
		double op = (double)(span - dt_lookup(&dt, id)) / 3600.0;
		char tag[64], cls[64], nb[32], ob[32], mb[32];
		const char *cells[5] = {tag, cls, nb, ob, mb};
		if (op < 0)
			op = 0;
		store_col_text(st, 1, tag, sizeof tag);
		store_col_text(st, 2, cls, sizeof cls);
		snprintf(nb, sizeof nb, "%lld", (long long)n);
		report_fmt_hours(op, ob, sizeof ob);
		report_fmt_hours(op / (double)n, mb, sizeof mb);
		op_total += op;
		fail_total += n;
		if (wr_table_add_row(t, cells) != WR_OK)
			rc = wr_fail(e, WR_ENOMEM, "out of memory running a report");
	}
	if (rc == WR_OK && r != SQLITE_DONE)
		rc = store_dberr(s, e, "running a report");
	sqlite3_finalize(st);
	free(dt.v);
	if (rc == WR_OK)
		rc = add_mean_total(t, fail_total, op_total, e);
	return rc;
}

/* -------------------------------------------------------------------- mttr */

static int report_mttr(struct store *s, const struct scope *sc, struct wr_table *t,
                       struct wr_err *e)
{
	static const char *const head[] = {"asset", "class", "repairs", "repair_hours",
	                                   "mttr_hours"};
	static const int num[] = {0, 0, 1, 1, 1};
	static const char sql[] =
		"SELECT a.tag, a.class, CASE"
		"  WHEN w.downtime_start IS NOT NULL AND w.downtime_end IS NOT NULL"
		"   THEN w.downtime_end - w.downtime_start"
		"  WHEN w.started_at IS NOT NULL AND w.completed_at >= w.started_at"
		"   THEN w.completed_at - w.started_at END AS secs"
		" FROM wo w NOT INDEXED JOIN asset a ON a.id = w.asset_id"
		" WHERE w.is_failure = 1 AND w.status IN (4, 5)"
		" AND w.completed_at >= ?1 AND w.completed_at < ?2" ASSET_FILTER
		" AND secs IS NOT NULL ORDER BY a.tag";
	char tag[64] = "", cls[64] = "";
	double sum = 0, total = 0;
	int64_t n = 0, ntotal = 0;
	sqlite3_stmt *st;
	int r, rc;

	if ((rc = wr_table_init(t, 5, head, num)) != WR_OK)
		return wr_fail(e, rc, "out of memory running a report");
	if ((rc = report_prepare(s, sql, sc, &st, e)) != WR_OK)
		return rc;
	/* Rows come sorted by asset: a row is emitted when the asset changes. */
	for (;;) {
		char ntag[64] = "", ncls[64] = "";
		r = sqlite3_step(st);
		if (r == SQLITE_ROW) {
			store_col_text(st, 0, ntag, sizeof ntag);
			store_col_text(st, 1, ncls, sizeof ncls);
		}
		if (n > 0 && (r != SQLITE_ROW || strcmp(ntag, tag))) {
			char nb[32], hb[32], mb[32];
			const char *cells[5] = {tag, cls, nb, hb, mb};
			snprintf(nb, sizeof nb, "%lld", (long long)n);
			report_fmt_hours(sum, hb, sizeof hb);
			report_fmt_hours(sum / (double)n, mb, sizeof mb);
			if (wr_table_add_row(t, cells) != WR_OK) {
				rc = wr_fail(e, WR_ENOMEM, "out of memory running a report");
				break;
			}
			n = 0;
			sum = 0;
		}
		if (r != SQLITE_ROW)
			break;
		wr_strlcpy(tag, ntag, sizeof tag);
		wr_strlcpy(cls, ncls, sizeof cls);
		double h = (double)sqlite3_column_int64(st, 2) / 3600.0;
		sum += h;
		total += h;
		n++;
		ntotal++;
	}
	if (rc == WR_OK && r != SQLITE_DONE)
		rc = store_dberr(s, e, "running a report");
	sqlite3_finalize(st);
	if (rc == WR_OK)
		rc = add_mean_total(t, ntotal, total, e);
	return rc;
}

/* ------------------------------------------------------------ availability */

static int report_availability(struct store *s, const struct scope *sc, struct wr_table *t,
                               struct wr_err *e)
{
	static const char *const head[] = {"asset", "class", "downtime_hours", "period_hours",
	                                   "availability_pct"};
	static const int num[] = {0, 0, 1, 1, 1};
	static const char sql[] =
		"SELECT a.id, a.tag, a.class, a.install_date FROM asset a"
		" WHERE ?1 IS NOT NULL AND ?2 IS NOT NULL" ASSET_FILTER " ORDER BY a.tag";
	struct dt_map dt;
	sqlite3_stmt *st;
	double down_total = 0, span_total = 0;
	int r, rc;

	if ((rc = wr_table_init(t, 5, head, num)) != WR_OK)
		return wr_fail(e, rc, "out of memory running a report");
	if ((rc = downtime_map(s, sc, &dt, e)) != WR_OK)
		return rc;
	if ((rc = report_prepare(s, sql, sc, &st, e)) != WR_OK) {
		free(dt.v);
		return rc;
	}
	while (rc == WR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		int64_t span = sc->end - report_asset_start(sc, store_col_time(st, 3));
		if (span <= 0)
			continue;
		int64_t down = dt_lookup(&dt, id);
		span_total += (double)span;
		down_total += (double)down;
		if (down <= 0)
			continue;
		char tag[64], cls[64], db[32], pb[32], ab[32];
		const char *cells[5] = {tag, cls, db, pb, ab};
		store_col_text(st, 1, tag, sizeof tag);
		store_col_text(st, 2, cls, sizeof cls);
		report_fmt_hours((double)down / 3600.0, db, sizeof db);
		report_fmt_hours((double)span / 3600.0, pb, sizeof pb);
		snprintf(ab, sizeof ab, "%.2f", 100.0 * (1.0 - (double)down / (double)span));
		if (wr_table_add_row(t, cells) != WR_OK)
			rc = wr_fail(e, WR_ENOMEM, "out of memory running a report");
	}
	if (rc == WR_OK && r != SQLITE_DONE)
		rc = store_dberr(s, e, "running a report");
	sqlite3_finalize(st);
	free(dt.v);
	if (rc == WR_OK) {
		char db[32], pb[32], ab[32] = "";
		const char *cells[5] = {"TOTAL", "", db, pb, ab};
		report_fmt_hours(down_total / 3600.0, db, sizeof db);
		report_fmt_hours(span_total / 3600.0, pb, sizeof pb);
		if (span_total > 0)
			snprintf(ab, sizeof ab, "%.2f", 100.0 * (1.0 - down_total / span_total));
		if (wr_table_add_total(t, cells) != WR_OK)
			rc = wr_fail(e, WR_ENOMEM, "out of memory running a report");
	}
	return rc;
}

/* ----------------------------------------------------------------- backlog */

/* Work in the backlog as of ?2 (the end of the period): raised in the
 * period and neither finished nor cancelled before its end.  Work finished
 * since then was open at the time; its status then is not recorded, so it
 * counts as open.  When the period ends after now nothing can have been
 * finished since, and the open statuses alone say it (through their
 * index). */
#define BACKLOG_OPEN " w.created_at >= ?1 AND w.created_at < ?2 AND w.status IN (0, 1, 2, 3)"
#define BACKLOG_GROUP                                                                        \
	"SELECT CASE WHEN w.status IN (4, 5) THEN 1 ELSE w.status END AS st, w.priority,"     \
	" count(*), coalesce(sum(w.est_hours), 0), sum(w.due_at < ?5)"
#define BACKLOG_ORDER " GROUP BY st, w.priority ORDER BY st, w.priority DESC"
/* Without an asset filter the asset rows are not needed at all. */
#define BACKLOG_NONE " AND ?3 IS NULL AND ?4 IS NULL AND ?7 IS NULL"

static const char *backlog_sql(const struct scope *sc)
{
	static const char *const q[4] = {
		BACKLOG_GROUP " FROM wo w WHERE" BACKLOG_OPEN BACKLOG_NONE BACKLOG_ORDER,
		BACKLOG_GROUP " FROM wo w WHERE" BACKLOG_AT BACKLOG_NONE BACKLOG_ORDER,
		BACKLOG_GROUP BACKLOG_JOIN BACKLOG_OPEN ASSET_FILTER BACKLOG_ORDER,
		BACKLOG_GROUP BACKLOG_JOIN BACKLOG_AT ASSET_FILTER BACKLOG_ORDER,
	};
	int filtered = sc->cls || sc->tag || sc->site;
	return q[2 * filtered + (sc->end <= sc->now)];
}

/* The day the backlog is taken on: the last day of the period. */
static int64_t backlog_day(const struct scope *sc)
{
	return store_day_of(sc->end - 1);
}

static int report_backlog(struct store *s, const struct scope *sc, struct wr_table *t,
                          struct wr_err *e)
{
	static const char *const head[] = {"status", "priority", "count", "est_hours", "overdue"};
	static const int num[] = {0, 0, 1, 1, 1};
	const char *sql = backlog_sql(sc);
	sqlite3_stmt *st;
	int64_t count = 0, overdue = 0;
	double hours = 0;
	int r, rc;

	if ((rc = wr_table_init(t, 5, head, num)) != WR_OK)
		return wr_fail(e, rc, "out of memory running a report");
	if ((rc = report_prepare(s, sql, sc, &st, e)) != WR_OK)
		return rc;
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 5, backlog_day(sc));
	if ((rc = store_binds_check(&b, e, "running a report")) != WR_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	while (rc == WR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		char cb[32], hb[32], ob[32];
		int64_t c = sqlite3_column_int64(st, 2), o = sqlite3_column_int64(st, 4);
		double h = sqlite3_column_double(st, 3);
		const char *cells[5] = {wr_wo_status_name(sqlite3_column_int(st, 0)),
		                        wr_priority_name(sqlite3_column_int(st, 1)), cb, hb, ob};
		snprintf(cb, sizeof cb, "%lld", (long long)c);
		report_fmt_hours(h, hb, sizeof hb);
		snprintf(ob, sizeof ob, "%lld", (long long)o);
		count += c;
		overdue += o;
		hours += h;
		if (wr_table_add_row(t, cells) != WR_OK)
			rc = wr_fail(e, WR_ENOMEM, "out of memory running a report");
	}
	if (rc == WR_OK && r != SQLITE_DONE)
		rc = store_dberr(s, e, "running a report");
	sqlite3_finalize(st);
	if (rc == WR_OK) {
		char cb[32], hb[32], ob[32];
		const char *cells[5] = {"TOTAL", "", cb, hb, ob};
		snprintf(cb, sizeof cb, "%lld", (long long)count);
		report_fmt_hours(hours, hb, sizeof hb);
		snprintf(ob, sizeof ob, "%lld", (long long)overdue);
		if (wr_table_add_total(t, cells) != WR_OK)
			rc = wr_fail(e, WR_ENOMEM, "out of memory running a report");
	}
	return rc;
}

/* ----------------------------------------------------------- pm compliance */

struct compliance {
	int64_t due, on_time, late, open;
};

static int compliance_row(struct wr_table *t, const char *label, const struct compliance *c)
{
	char d[32], o[32], l[32], n[32], p[32] = "";
	const char *cells[6] = {label, d, o, l, n, p};
	snprintf(d, sizeof d, "%lld", (long long)c->due);
	snprintf(o, sizeof o, "%lld", (long long)c->on_time);
	snprintf(l, sizeof l, "%lld", (long long)c->late);
	snprintf(n, sizeof n, "%lld", (long long)c->open);
	if (c->due)
		snprintf(p, sizeof p, "%.1f", 100.0 * (double)c->on_time / (double)c->due);
	return wr_table_add_row(t, cells);
}

static int report_compliance(struct store *s, const struct scope *sc, struct wr_table *t,
                             struct wr_err *e)
{
	static const char *const head[] = {"month", "due", "on_time", "late", "not_done",
	                                   "compliance_pct"};
	static const int num[] = {0, 1, 1, 1, 1, 1};
	static const char sql[] =
		"SELECT w.due_at, w.status, w.completed_at FROM wo w"
		" LEFT JOIN asset a ON a.id = w.asset_id"
		" WHERE w.pm_id IS NOT NULL AND w.status <> 6 AND w.due_at >= ?1 AND w.due_at < ?2"
		ASSET_FILTER " ORDER BY w.due_at";
	struct compliance cur = {0}, total = {0};
	char month[16] = "";
	sqlite3_stmt *st;
	int r, rc;

	if ((rc = wr_table_init(t, 6, head, num)) != WR_OK)
		return wr_fail(e, rc, "out of memory running a report");
	if ((rc = report_prepare(s, sql, sc, &st, e)) != WR_OK)
		return rc;
	for (;;) {
		char m[16] = "";
		int64_t due = 0;
		r = sqlite3_step(st);
		if (r == SQLITE_ROW) {
			int y, mo, d;
			due = store_col_time(st, 0);
			wr_date_to_ymd(due, &y, &mo, &d);
			snprintf(m, sizeof m, "%04d-%02d", y, mo);
		}
		if (cur.due && (r != SQLITE_ROW || strcmp(m, month))) {
			if (compliance_row(t, month, &cur) != WR_OK) {
				rc = wr_fail(e, WR_ENOMEM, "out of memory running a report");
				break;
			}
			memset(&cur, 0, sizeof cur);
		}
		if (r != SQLITE_ROW)
			break;
		wr_strlcpy(month, m, sizeof month);
		int status = sqlite3_column_int(st, 1);
		int64_t done = store_col_time(st, 2);
		int finished = (status == WS_DONE || status == WS_CLOSED) && done != WR_NO_TIME;
		cur.due++;
		total.due++;
		if (finished && done < store_day_of(due) + WR_DAY) {
			cur.on_time++;
			total.on_time++;
		} else if (finished) {
			cur.late++;
			total.late++;
		} else {
			cur.open++;
			total.open++;
		}
	}
	if (rc == WR_OK && r != SQLITE_DONE)
		rc = store_dberr(s, e, "running a report");
	sqlite3_finalize(st);
	if (rc == WR_OK && compliance_row(t, "TOTAL", &total) != WR_OK)
		rc = wr_fail(e, WR_ENOMEM, "out of memory running a report");
	t->has_total = rc == WR_OK;
	return rc;
}

int store_report(struct store *s, int report, const struct wr_report_opts *o,
                 struct wr_table *out, struct wr_err *e)
{
	struct scope sc;
	int rc;

	memset(out, 0, sizeof *out);
	if (report < 0 || report >= RP__COUNT)
		return wr_fail(e, WR_EINPUT,
		               "unknown report; choose mtbf, mttr, availability, backlog, pm-compliance,"
		               " planned, schedule-compliance, backlog-weeks, aging, cost or pareto");
	if ((rc = report_scope_resolve(s, o, &sc, e)) != WR_OK)
		return rc;
	switch (report) {
	case RP_MTBF: rc = report_mtbf(s, &sc, out, e); break;
	case RP_MTTR: rc = report_mttr(s, &sc, out, e); break;
	case RP_AVAILABILITY: rc = report_availability(s, &sc, out, e); break;
	case RP_BACKLOG: rc = report_backlog(s, &sc, out, e); break;
	case RP_PM_COMPLIANCE: rc = report_compliance(s, &sc, out, e); break;
	case RP_PLANNED: rc = report_planned(s, &sc, out, e); break;
	case RP_SCHEDULE_COMPLIANCE: rc = report_schedule(s, &sc, out, e); break;
	case RP_BACKLOG_WEEKS: rc = report_backlog_weeks(s, &sc, out, e); break;
	case RP_AGING: rc = report_aging(s, &sc, out, e); break;
	case RP_COST: rc = report_cost(s, &sc, o ? o->by : RB_DEFAULT, out, e); break;
	default: rc = report_pareto(s, &sc, o, out, e); break;
	}
	if (rc != WR_OK)
		wr_table_free(out);
	return rc;
}
