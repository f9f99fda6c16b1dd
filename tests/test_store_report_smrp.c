/*
 * test_store_report_smrp.c - the SMRP-style reports (include/report.h) on a
 * small hand-made plant whose numbers are worked out by hand here.
 *
 * Today is 2024-03-10.  Sites S1 (with area S1-A below it) and S2.
 *   P1 pump at S1-A     P2 pump at S2     F1 fan at S1
 * People: alice (team mech), bob (team elec), carol (no team).  Rates: the
 * default 30, alice 50, team elec 40: alice 50, bob 40, carol 30 an hour.
 * Crew capacity 20 hours a week.  2024-01-01 was a Monday.
 *
 *  WO   asset  kind                          created  due     done        est
 *  W1   P1     preventive                    Jan 8    Jan 10  Jan 14 23h  2
 *  W2   P1     failure LEAK, down 12 h       Jan 15   -       Jan 15 20h  -
 *  W3   F1     corrective                    Jan 20   Jan 31  Feb 6       3
 *  W4   P2     failure BRG, down 6 h         Feb 10   -       Feb 10 6h   -
 *  W5   P1     failure LEAK, down 4 h        Feb 20   -       Feb 20 14h  -
 *  W6   P2     open, high                    Dec 1    Feb 15  -           6
 *  W7   F1     open                          Mar 1    -       -           1
 *  W8   P1     corrective                    Jan 20   -       Feb 5       2
 *  W9   P1     cancelled                     Jan 5    Jan 20  -           4
 *  W10  F1     open, low                     Feb 25   -       -           -
 * plus a failure NOISE on F1 on Jan 25 in the history, with no work order.
 *
 * Labour: W1 alice 2 h (Jan 12), W2 bob 3 h (Jan 15), W3 carol 4 h (Feb 6),
 * W4 alice 1 h (Feb 10), W5 bob 2 h (Feb 20), and carol's timer on W6
 * running since Feb 20 (not booked yet: counts nothing).  Parts: W2 2 x SEAL at 25
 * (Jan 15), W4 1 x BRG-1 at 120 and 1 x GREASE without a cost (Feb 10).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "helpers/testdb.h"
#include "report.h"
#include "../store/internal.h"   /* labour rows at exact times */

static struct store *S;
static char P[512];
static struct wr_err E;

#define OK(call) ck_assert_msg((call) == WR_OK, "%s failed: %s", #call, E.msg)

static int64_t at(int y, int m, int d, int h)
{
	return wr_date_from_ymd(y, m, d) + h * 3600;
}

static void location(const char *code, const char *kind, const char *parent)
{
	struct wr_location l;
	memset(&l, 0, sizeof l);
	wr_strlcpy(l.code, code, sizeof l.code);
	wr_strlcpy(l.kind, kind, sizeof l.kind);
	wr_strlcpy(l.parent_code, parent, sizeof l.parent_code);
	OK(store_location_put(S, &l, &E));
}

static void asset(const char *tag, const char *cls, const char *loc)
{
	struct wr_asset a;
	wr_asset_init(&a);
	wr_strlcpy(a.tag, tag, sizeof a.tag);
	wr_strlcpy(a.cls, cls, sizeof a.cls);
	wr_strlcpy(a.location_code, loc, sizeof a.location_code);
	OK(store_asset_put(S, &a, &E));
}

static void user(const char *name, const char *team)
{
	struct wr_user u;
	memset(&u, 0, sizeof u);
	wr_strlcpy(u.username, name, sizeof u.username);
	wr_strlcpy(u.team, team, sizeof u.team);
	OK(store_user_put(S, &u, &E));
}

struct spec {
	const char *number, *asset;
	int type, failure, status, priority;
	const char *problem;
	int64_t created, due, ds, de, done;
	double est;
};

static void wo(const struct spec *sp)
{
	struct wr_wo w;
	wr_wo_init(&w);
	wr_strlcpy(w.number, sp->number, sizeof w.number);
	wr_strlcpy(w.title, "work", sizeof w.title);
	wr_strlcpy(w.asset_tag, sp->asset, sizeof w.asset_tag);
	wr_strlcpy(w.problem, sp->problem ? sp->problem : "", sizeof w.problem);
	w.type = sp->type;
	w.is_failure = sp->failure;
	w.status = sp->status;
	w.priority = sp->priority ? sp->priority : PR_MEDIUM;
	w.created_at = sp->created;
	w.due_at = sp->due ? sp->due : WR_NO_TIME;
	w.downtime_start = sp->ds ? sp->ds : WR_NO_TIME;
	w.downtime_end = sp->de ? sp->de : WR_NO_TIME;
	w.completed_at = sp->done ? sp->done : WR_NO_TIME;
	w.est_hours = sp->est ? sp->est : NAN;
	OK(store_wo_create(S, &w, &E));
}

static void labour(const char *number, const char *who, int64_t when, int minutes)
{
	static const char sql[] =
		"INSERT INTO wo_labor(uuid, wo_id, username, started_at, minutes, updated_at, running)"
		" SELECT lower(hex(randomblob(16))), id, ?1, ?2, ?3, 0, ?3 < 0 FROM wo WHERE number = ?4";
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(S->db, sql, -1, &st, NULL), SQLITE_OK);
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, who);
	store_bind_int64(&b, 2, when);
	store_bind_int(&b, 3, minutes);
	store_bind_text(&b, 4, number);
	OK(store_binds_check(&b, &E, "adding labour"));
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	ck_assert_int_eq(sqlite3_changes(S->db), 1);
	sqlite3_finalize(st);
}

static void part(const char *number, const char *code, double qty, double cost, int64_t when)
{
	struct wr_part p;
	memset(&p, 0, sizeof p);
	wr_strlcpy(p.part_code, code, sizeof p.part_code);
	p.qty = qty;
	p.unit_cost = cost;
	p.at = when;
	OK(store_part_add(S, number, &p, &E));
}

static void setup(void)
{
	setenv("WRENCH_TODAY", "2024-03-10", 1);
	S = testdb_open(P, sizeof P);
	memset(&E, 0, sizeof E);

	location("S1", "site", "");
	location("S1-A", "area", "S1");
	location("S2", "site", "");
	asset("P1", "pump", "S1-A");
	asset("P2", "pump", "S2");
	asset("F1", "fan", "S1");
	user("alice", "mech");
	user("bob", "elec");
	user("carol", "");

	const struct spec specs[] = {
		{"W1", "P1", WT_PREVENTIVE, 0, WS_DONE, 0, NULL, at(2024, 1, 8, 0), at(2024, 1, 10, 0),
		 0, 0, at(2024, 1, 14, 23), 2},
		{"W2", "P1", WT_CORRECTIVE, 1, WS_DONE, 0, "LEAK", at(2024, 1, 15, 8), 0,
		 at(2024, 1, 15, 8), at(2024, 1, 15, 20), at(2024, 1, 15, 20), 0},
		{"W3", "F1", WT_CORRECTIVE, 0, WS_DONE, 0, NULL, at(2024, 1, 20, 0), at(2024, 1, 31, 0),
		 0, 0, at(2024, 2, 6, 12), 3},
		{"W4", "P2", WT_CORRECTIVE, 1, WS_DONE, 0, "BRG", at(2024, 2, 10, 0), 0,
		 at(2024, 2, 10, 0), at(2024, 2, 10, 6), at(2024, 2, 10, 6), 0},
		{"W5", "P1", WT_CORRECTIVE, 1, WS_CLOSED, 0, "LEAK", at(2024, 2, 20, 10), 0,
		 at(2024, 2, 20, 10), at(2024, 2, 20, 14), at(2024, 2, 20, 14), 0},
		{"W6", "P2", WT_CORRECTIVE, 0, WS_OPEN, PR_HIGH, NULL, at(2023, 12, 1, 0),
		 at(2024, 2, 15, 0), 0, 0, 0, 6},
		{"W7", "F1", WT_CORRECTIVE, 0, WS_OPEN, 0, NULL, at(2024, 3, 1, 0), 0, 0, 0, 0, 1},
		{"W8", "P1", WT_CORRECTIVE, 0, WS_DONE, 0, NULL, at(2024, 1, 20, 0), 0, 0, 0,
		 at(2024, 2, 5, 9), 2},
		{"W9", "P1", WT_CORRECTIVE, 0, WS_CANCELLED, 0, NULL, at(2024, 1, 5, 0),
		 at(2024, 1, 20, 0), 0, 0, 0, 4},
		{"W10", "F1", WT_CORRECTIVE, 0, WS_OPEN, PR_LOW, NULL, at(2024, 2, 25, 0), 0, 0, 0, 0, 0},
	};
	for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
		wo(&specs[i]);

	struct wr_event ev;
	memset(&ev, 0, sizeof ev);
	wr_strlcpy(ev.asset_tag, "F1", sizeof ev.asset_tag);
	wr_strlcpy(ev.code, "NOISE", sizeof ev.code);
	ev.at = at(2024, 1, 25, 0);
	ev.kind = EV_FAILURE;
	OK(store_event_add(S, &ev, &E));

	labour("W1", "alice", at(2024, 1, 12, 10), 120);
	labour("W2", "bob", at(2024, 1, 15, 9), 180);
	labour("W3", "carol", at(2024, 2, 6, 8), 240);
	labour("W4", "alice", at(2024, 2, 10, 1), 60);
	labour("W5", "bob", at(2024, 2, 20, 10), 120);
	/* A timer still running (the store starts one at minutes -1) is no time
	 * booked yet. */
	labour("W6", "carol", at(2024, 2, 20, 8), -1);
	part("W2", "SEAL", 2, 25, at(2024, 1, 15, 12));
	part("W4", "BRG-1", 1, 120, at(2024, 2, 10, 3));
	part("W4", "GREASE", 1, NAN, at(2024, 2, 10, 3));

	OK(store_report_setting_set(S, RS_RATE_DEFAULT, NULL, 30, &E));
	OK(store_report_setting_set(S, RS_RATE_PERSON, "alice", 50, &E));
	OK(store_report_setting_set(S, RS_RATE_TEAM, "elec", 40, &E));
	OK(store_report_setting_set(S, RS_CREW_HOURS, NULL, 20, &E));
}

static void teardown(void)
{
	testdb_close(S, P);
	S = NULL;
	unsetenv("WRENCH_TODAY");
}


/* January and February 2024. */
static struct wr_report_opts jan_feb(void)
{
	struct wr_report_opts o;
	memset(&o, 0, sizeof o);
	o.from = at(2024, 1, 1, 0);
	o.to = at(2024, 2, 29, 0);
	return o;
}

static void run(int report, const struct wr_report_opts *o, struct wr_table *t)
{
	memset(&E, 0, sizeof E);
	OK(store_report(S, report, o, t, &E));
}

START_TEST(planned)
{
	struct wr_report_opts o = jan_feb();
	struct wr_table t;

	/* Jan: W1 preventive 2 h planned, W2 breakdown 3 h unplanned.  Feb: W3
	 * estimated 4 h planned, W4 and W5 breakdowns 1 + 2 h unplanned. */
	run(RP_PLANNED, &o, &t);
	ck_assert_uint_eq(t.nrows, 3);
	testdb_row_is(&t, 0, "2024-01|2.00|3.00|5.00|40.0");
	testdb_row_is(&t, 1, "2024-02|4.00|3.00|7.00|57.1");
	testdb_row_is(&t, 2, "TOTAL|6.00|6.00|12.00|50.0");
	wr_table_free(&t);

	/* Site S1-A holds P1 alone: W1, W2 in Jan, W5 in Feb. */
	o.site = "S1-A";
	run(RP_PLANNED, &o, &t);
	testdb_row_is(&t, 0, "2024-01|2.00|3.00|5.00|40.0");
	testdb_row_is(&t, 1, "2024-02|0.00|2.00|2.00|0.0");
	wr_table_free(&t);
}
END_TEST

START_TEST(schedule_compliance)
{
	struct wr_report_opts o = jan_feb();
	struct wr_table t;

	/* W1 due Wed Jan 10, done Sun Jan 14 23:00: the same week.  W3 due Wed
	 * Jan 31, done Tue Feb 6: late.  W6 due Feb 15: not done.  W9 is
	 * cancelled: left out. */
	run(RP_SCHEDULE_COMPLIANCE, &o, &t);
	ck_assert_uint_eq(t.nrows, 3);
	testdb_row_is(&t, 0, "2024-01|2|1|1|0|50.0|5.00|40.0");
	testdb_row_is(&t, 1, "2024-02|1|0|0|1|0.0|6.00|0.0");
	testdb_row_is(&t, 2, "TOTAL|3|1|1|1|33.3|11.00|18.2");
	wr_table_free(&t);

	o.site = "S2";
	run(RP_SCHEDULE_COMPLIANCE, &o, &t);
	ck_assert_uint_eq(t.nrows, 2);
	testdb_row_is(&t, 0, "2024-02|1|0|0|1|0.0|6.00|0.0");
	wr_table_free(&t);
}
END_TEST

START_TEST(backlog_as_of)
{
	struct wr_report_opts o;
	struct wr_table t;

	/* Today: W6 (high, 6 h, due Feb 15: overdue), W7 (1 h), W10 (low, no
	 * estimate). */
	run(RP_BACKLOG, NULL, &t);
	ck_assert_uint_eq(t.nrows, 4);
	testdb_row_is(&t, 0, "open|high|1|6.00|1");
	testdb_row_is(&t, 1, "open|medium|1|1.00|0");
	testdb_row_is(&t, 2, "open|low|1|0.00|0");
	testdb_row_is(&t, 3, "TOTAL|-|3|7.00|1");
	wr_table_free(&t);

	/* As of Jan 31: W6, and W3 and W8 (raised in January, finished in
	 * February; open at the time).  W3 is due Jan 31 itself: not overdue. */
	memset(&o, 0, sizeof o);
	o.from = WR_NO_TIME;
	o.to = at(2024, 1, 31, 0);
	run(RP_BACKLOG, &o, &t);
	ck_assert_uint_eq(t.nrows, 3);
	testdb_row_is(&t, 0, "open|high|1|6.00|0");
	testdb_row_is(&t, 1, "open|medium|2|5.00|0");
	testdb_row_is(&t, 2, "TOTAL|-|3|11.00|0");
	wr_table_free(&t);

	/* --from: only the work raised since then (W6 was raised in December). */
	o.from = at(2024, 1, 1, 0);
	run(RP_BACKLOG, &o, &t);
	ck_assert_uint_eq(t.nrows, 2);
	testdb_row_is(&t, 1, "TOTAL|-|2|5.00|0");
	wr_table_free(&t);

	/* --class fan as of Jan 31: W3 only. */
	o.from = WR_NO_TIME;
	o.cls = "fan";
	run(RP_BACKLOG, &o, &t);
	testdb_row_is(&t, t.nrows - 1, "TOTAL|-|1|3.00|0");
	wr_table_free(&t);
}
END_TEST

START_TEST(backlog_weeks)
{
	struct wr_report_opts o = jan_feb();
	struct wr_table t;

	/* Jan 31: W6, W3, W8 = 11 h over 20 h a week.  Feb 29: W6 and W10 (no
	 * estimate) = 6 h. */
	run(RP_BACKLOG_WEEKS, &o, &t);
	ck_assert_uint_eq(t.nrows, 2);
	testdb_row_is(&t, 0, "2024-01|2024-01-31|3|11.00|0|20.00|0.55");
	testdb_row_is(&t, 1, "2024-02|2024-02-29|2|6.00|1|20.00|0.30");
	wr_table_free(&t);

	/* Without the crew's capacity it says how to set it. */
	OK(store_report_setting_set(S, RS_CREW_HOURS, NULL, NAN, &E));
	ck_assert_int_eq(store_report(S, RP_BACKLOG_WEEKS, &o, &t, &E), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(E.msg, "--crew-hours"));
}
END_TEST

START_TEST(aging)
{
	struct wr_report_opts o;
	struct wr_table t;

	/* As of the end of Feb 29: W6 raised Dec 1 is 91 days old, W10 raised
	 * Feb 25 is 5. */
	memset(&o, 0, sizeof o);
	o.from = WR_NO_TIME;
	o.to = at(2024, 2, 29, 0);
	run(RP_AGING, &o, &t);
	ck_assert_uint_eq(t.nrows, 6);
	testdb_row_is(&t, 0, "0-7|1|0.00|50.0|5.0");
	testdb_row_is(&t, 1, "8-30|0|0.00|0.0|-");
	testdb_row_is(&t, 2, "31-90|0|0.00|0.0|-");
	testdb_row_is(&t, 3, "91-365|1|6.00|50.0|91.0");
	testdb_row_is(&t, 4, "over-365|0|0.00|0.0|-");
	testdb_row_is(&t, 5, "TOTAL|2|6.00|100.0|48.0");
	wr_table_free(&t);
}
END_TEST

START_TEST(cost)
{
	struct wr_report_opts o = jan_feb();
	struct wr_table t;

	/* Labour: W1 alice 2 h x 50, W2 bob 3 h x 40 (his team's rate), W3
	 * carol 4 h x 30 (the default), W4 alice 1 h x 50, W5 bob 2 h x 40.
	 * Parts: W2 2 x 25, W4 120 (GREASE has no cost). */
	run(RP_COST, &o, &t);
	ck_assert_uint_eq(t.nrows, 4);
	testdb_row_is(&t, 0, "F1|4.00|120.00|0.00|120.00");
	testdb_row_is(&t, 1, "P1|7.00|300.00|50.00|350.00");
	testdb_row_is(&t, 2, "P2|1.00|50.00|120.00|170.00");
	testdb_row_is(&t, 3, "TOTAL|12.00|470.00|170.00|640.00");
	wr_table_free(&t);

	o.by = RB_MONTH;
	run(RP_COST, &o, &t);
	ck_assert_str_eq(t.head[0], "month");
	testdb_row_is(&t, 0, "2024-01|5.00|220.00|50.00|270.00");
	testdb_row_is(&t, 1, "2024-02|7.00|250.00|120.00|370.00");
	wr_table_free(&t);

	o.by = RB_CLASS;
	run(RP_COST, &o, &t);
	testdb_row_is(&t, 0, "fan|4.00|120.00|0.00|120.00");
	testdb_row_is(&t, 1, "pump|8.00|350.00|170.00|520.00");
	wr_table_free(&t);

	/* Site S1: F1 there, P1 in its area S1-A. */
	o.by = RB_DEFAULT;
	o.site = "S1";
	run(RP_COST, &o, &t);
	ck_assert_uint_eq(t.nrows, 3);
	testdb_row_is(&t, 2, "TOTAL|11.00|420.00|50.00|470.00");
	wr_table_free(&t);

	/* A rate changed changes the cost: carol's own 45 beats the default. */
	o.site = NULL;
	OK(store_report_setting_set(S, RS_RATE_PERSON, "carol", 45, &E));
	run(RP_COST, &o, &t);
	testdb_row_is(&t, 0, "F1|4.00|180.00|0.00|180.00");
	wr_table_free(&t);

	o.by = RB_PROBLEM;
	ck_assert_int_eq(store_report(S, RP_COST, &o, &t, &E), WR_EINPUT);
}
END_TEST

/* Without --from a report covers all history: labour booked before the
 * first work order was written up (a job worked, then recorded) and parts
 * used before it are in, as much as the work orders are. */
START_TEST(default_period_has_all_labour)
{
	struct wr_report_opts o;
	struct wr_table t;

	memset(&o, 0, sizeof o);
	o.from = o.to = WR_NO_TIME;
	labour("W6", "carol", at(2023, 11, 30, 22), 60);
	part("W6", "SEAL", 1, 25, at(2023, 11, 30, 23));
	run(RP_COST, &o, &t);
	/* Jan-Feb's 12 h, 470 and 170, with carol's hour at the default 30 and
	 * the seal. */
	testdb_row_is(&t, t.nrows - 1, "TOTAL|13.00|500.00|195.00|695.00");
	wr_table_free(&t);
}
END_TEST

START_TEST(pareto)
{
	struct wr_report_opts o = jan_feb();
	struct wr_table t;

	/* LEAK: W2 (12 h, 120 + 50) and W5 (4 h, 80); BRG: W4 (6 h, 50 + 120);
	 * NOISE: the history's failure, with no downtime or cost known. */
	run(RP_PARETO, &o, &t);
	ck_assert_uint_eq(t.nrows, 4);
	testdb_row_is(&t, 0, "LEAK|2|16.00|250.00|50.0|50.0");
	testdb_row_is(&t, 1, "BRG|1|6.00|170.00|25.0|75.0");
	testdb_row_is(&t, 2, "NOISE|1|0.00|0.00|25.0|100.0");
	testdb_row_is(&t, 3, "TOTAL|4|22.00|420.00|100.0|-");
	wr_table_free(&t);

	o.rank = RK_DOWNTIME;
	run(RP_PARETO, &o, &t);
	testdb_row_is(&t, 0, "LEAK|2|16.00|250.00|72.7|72.7");
	testdb_row_is(&t, 1, "BRG|1|6.00|170.00|27.3|100.0");
	wr_table_free(&t);

	o.rank = RK_COST;
	o.by = RB_ASSET;
	o.top = 2;
	run(RP_PARETO, &o, &t);
	ck_assert_str_eq(t.head[0], "asset");
	ck_assert_uint_eq(t.nrows, 3);
	testdb_row_is(&t, 0, "P1|2|16.00|250.00|59.5|59.5");
	testdb_row_is(&t, 1, "P2|1|6.00|170.00|40.5|100.0");
	testdb_row_is(&t, 2, "TOTAL|4|22.00|420.00|100.0|-");
	wr_table_free(&t);

	/* By month (the trend's failures and downtime): Jan W2 and NOISE, Feb
	 * W4 and W5; ranked by cost. */
	o.by = RB_MONTH;
	o.top = 0;
	run(RP_PARETO, &o, &t);
	ck_assert_str_eq(t.head[0], "month");
	testdb_row_is(&t, 0, "2024-02|2|10.00|250.00|59.5|59.5");
	testdb_row_is(&t, 1, "2024-01|2|12.00|170.00|40.5|100.0");
	wr_table_free(&t);

	o.by = RB__COUNT;
	ck_assert_int_eq(store_report(S, RP_PARETO, &o, &t, &E), WR_EINPUT);
}
END_TEST

START_TEST(series)
{
	double v[4];

	/* Jan .. Apr 2024; April is after today. */
	OK(store_measure_series(S, WM_COST, NULL, 2024, 1, 4, v, &E));
	ck_assert_double_eq_tol(v[0], 270, 1e-9);
	ck_assert_double_eq_tol(v[1], 370, 1e-9);
	ck_assert_double_eq_tol(v[2], 0, 1e-9);
	ck_assert(isnan(v[3]));
	OK(store_measure_series(S, WM_FAILURES, NULL, 2024, 1, 3, v, &E));
	ck_assert_double_eq_tol(v[0], 2, 1e-9);
	ck_assert_double_eq_tol(v[1], 2, 1e-9);
	ck_assert_double_eq_tol(v[2], 0, 1e-9);
	OK(store_measure_series(S, WM_DOWNTIME_HOURS, NULL, 2023, 12, 3, v, &E));
	ck_assert_double_eq_tol(v[0], 0, 1e-9);
	ck_assert_double_eq_tol(v[1], 12, 1e-9);
	ck_assert_double_eq_tol(v[2], 10, 1e-9);
	/* Each month of a series is the report over that month alone. */
	struct wr_report_opts feb = jan_feb();
	struct wr_table t;
	feb.from = at(2024, 2, 1, 0);
	run(RP_SCHEDULE_COMPLIANCE, &feb, &t);
	OK(store_measure_series(S, WM_SCHEDULE_COMPLIANCE_PCT, NULL, 2024, 2, 1, v, &E));
	ck_assert_str_eq(t.cells[(t.nrows - 1) * t.ncols + 5], "0.0");
	ck_assert_double_eq_tol(v[0], 0.0, 1e-9);
	wr_table_free(&t);
	OK(store_measure_series(S, WM_BACKLOG_WEEKS, NULL, 2024, 1, 2, v, &E));
	ck_assert_double_eq_tol(v[0], 0.55, 1e-9);
	ck_assert_double_eq_tol(v[1], 0.30, 1e-9);
	/* The snapshots at each month's end agree with the reports as of then:
	 * backlog_as_of (11 h on Jan 31), aging (48 days on Feb 29). */
	OK(store_measure_series(S, WM_BACKLOG_HOURS, NULL, 2024, 1, 4, v, &E));
	ck_assert_double_eq_tol(v[0], 11, 1e-9);
	ck_assert_double_eq_tol(v[1], 6, 1e-9);
	ck_assert_double_eq_tol(v[2], 7, 1e-9);   /* today, Mar 10: W6, W7, W10 */
	ck_assert(isnan(v[3]));
	OK(store_measure_series(S, WM_BACKLOG_WOS, NULL, 2023, 12, 3, v, &E));
	ck_assert_double_eq_tol(v[0], 1, 1e-9);   /* W6 alone on Dec 31 */
	ck_assert_double_eq_tol(v[1], 3, 1e-9);
	ck_assert_double_eq_tol(v[2], 2, 1e-9);
	OK(store_measure_series(S, WM_AGING_DAYS, NULL, 2024, 2, 1, v, &E));
	ck_assert_double_eq_tol(v[0], 48, 1e-9);
	OK(store_measure_series(S, WM_PLANNED_PCT, NULL, 2024, 1, 2, v, &E));
	ck_assert_double_eq_tol(v[0], 40.0, 1e-9);
	ck_assert_double_eq_tol(v[1], 57.1, 1e-9);
	OK(store_measure_series(S, WM_SCHEDULE_COMPLIANCE_PCT, NULL, 2024, 1, 3, v, &E));
	ck_assert_double_eq_tol(v[0], 50.0, 1e-9);
	ck_assert_double_eq_tol(v[1], 0.0, 1e-9);
	ck_assert(isnan(v[2]));   /* nothing due in March */

	struct wr_report_opts o;
	memset(&o, 0, sizeof o);
	o.cls = "fan";
	OK(store_measure_series(S, WM_BACKLOG_WOS, &o, 2024, 1, 2, v, &E));
	ck_assert_double_eq_tol(v[0], 1, 1e-9);   /* W3 */
	ck_assert_double_eq_tol(v[1], 1, 1e-9);   /* W10 */

	ck_assert_int_eq(store_measure_series(S, WM__COUNT, NULL, 2024, 1, 1, v, &E), WR_EINPUT);
	ck_assert_int_eq(store_measure_series(S, WM_COST, NULL, 2024, 13, 1, v, &E), WR_EINPUT);
	ck_assert_int_eq(store_measure_series(S, WM_COST, NULL, 2024, 1, 0, v, &E), WR_EINPUT);
}
END_TEST

struct collected {
	char text[512];
};

static int collect(const struct wr_report_setting *st, void *ctx)
{
	struct collected *c = ctx;
	size_t n = strlen(c->text);
	snprintf(c->text + n, sizeof c->text - n, "%s:%s=%g;", wr_setting_kind_name(st->kind),
	         st->name, st->value);
	return 0;
}

START_TEST(settings)
{
	struct collected c = {""};
	double v;

	OK(store_report_setting_list(S, collect, &c, &E));
	ck_assert_str_eq(c.text, "crew_hours:=20;rate:=30;person_rate:alice=50;team_rate:elec=40;");
	OK(store_report_setting_set(S, RS_RATE_TEAM, "elec", 42.5, &E));
	OK(store_report_setting_get(S, RS_RATE_TEAM, "elec", &v, &E));
	ck_assert_double_eq(v, 42.5);
	OK(store_report_setting_set(S, RS_RATE_PERSON, "alice", NAN, &E));
	OK(store_report_setting_get(S, RS_RATE_PERSON, "alice", &v, &E));
	ck_assert(isnan(v));

	ck_assert_int_eq(store_report_setting_set(S, RS_RATE_DEFAULT, NULL, -1, &E), WR_EINPUT);
	ck_assert_int_eq(store_report_setting_set(S, RS_CREW_HOURS, NULL, 0, &E), WR_EINPUT);
	ck_assert_int_eq(store_report_setting_set(S, RS_RATE_DEFAULT, NULL, INFINITY, &E),
	                 WR_EINPUT);
	ck_assert_int_eq(store_report_setting_set(S, RS_RATE_PERSON, "", 10, &E), WR_EINPUT);
	ck_assert_int_eq(store_report_setting_set(S, RS__COUNT, "x", 10, &E), WR_EINPUT);
	/* Nothing refused was written. */
	OK(store_report_setting_get(S, RS_RATE_DEFAULT, NULL, &v, &E));
	ck_assert_double_eq(v, 30);
	OK(store_report_setting_get(S, RS_CREW_HOURS, NULL, &v, &E));
	ck_assert_double_eq(v, 20);
}
END_TEST

START_TEST(bad_scope)
{
	struct wr_report_opts o = jan_feb();
	struct wr_table t;

	o.site = "NOWHERE";
	ck_assert_int_eq(store_report(S, RP_COST, &o, &t, &E), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(E.msg, "NOWHERE"));
	o.site = NULL;
	ck_assert_int_eq(wr_report_parse("schedule-compliance", &o.by), WR_OK);
	ck_assert_int_eq(o.by, RP_SCHEDULE_COMPLIANCE);
	ck_assert_int_eq(wr_report_by_parse("weekday", &o.by), WR_EINPUT);
	ck_assert_int_eq(wr_report_rank_parse("cost", &o.rank), WR_OK);
	ck_assert_int_eq(o.rank, RK_COST);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("store_report_smrp");
	TCase *tc = tcase_create("smrp");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, planned);
	tcase_add_test(tc, schedule_compliance);
	tcase_add_test(tc, backlog_as_of);
	tcase_add_test(tc, backlog_weeks);
	tcase_add_test(tc, aging);
	tcase_add_test(tc, cost);
	tcase_add_test(tc, default_period_has_all_labour);
	tcase_add_test(tc, pareto);
	tcase_add_test(tc, series);
	tcase_add_test(tc, settings);
	tcase_add_test(tc, bad_scope);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
