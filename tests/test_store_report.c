/*
 * test_store_report.c - reports on a small hand-made plant whose numbers
 * are worked out by hand in the comments, and struct wr_table itself.
 *
 * The plant (today is 2024-01-10; the period is 2024-01-01 .. 2024-01-09,
 * i.e. [Jan 1, Jan 10) = 216 h unless a test says otherwise):
 *   A pump, install unknown     B pump, installed Jan 6 (96 h in the period)
 *   C fan, install unknown      E pump, never down      D fan, installed Jan 20
 * Work orders (times are 2024 unless said):
 *   W1 A failure  downtime Jan 2 00:00-12:00, done Jan 2 13:00   (12 h repair)
 *   W2 A repair   downtime Jan 2 06:00-18:00, done, not a failure (overlaps W1)
 *   W3 A failure  downtime Jan 5 10:00-14:00, done                 (4 h)
 *   W4 B failure  downtime Jan 8 00:00-06:00, done                 (6 h)
 *   W5 A failure  no downtime, started Jan 9 08:00, done 11:00     (3 h)
 *   W6 C repair   downtime Dec 31 2023 20:00 - Jan 1 04:00 (4 h inside)
 *   W8 A failure  Dec 20 2023, downtime 2 h: before the period
 *   W9 C in progress, urgent, downtime from Jan 9 20:00 still running
 *      (4 h inside the period), due Jan 9
 *   plus a failure event on A imported for Dec 15 2023.
 * Failures (events) in the period: A at Jan 2, Jan 5, Jan 9 08:00 (W5's
 * creation: no downtime); B at Jan 8.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "helpers/testdb.h"
#include "store.h"

static struct store *S;
static char P[512];
static struct wr_err E;

#define OK(call) ck_assert_msg((call) == WR_OK, "%s failed: %s", #call, E.msg)

static int64_t at(int y, int m, int d, int h)
{
	return wr_date_from_ymd(y, m, d) + h * 3600;
}

static void asset(const char *tag, const char *cls, int64_t install)
{
	struct wr_asset a;
	wr_asset_init(&a);
	wr_strlcpy(a.tag, tag, sizeof a.tag);
	wr_strlcpy(a.cls, cls, sizeof a.cls);
	a.install_date = install;
	OK(store_asset_put(S, &a, &E));
}

struct spec {
	const char *asset;
	int failure, status, priority;
	int64_t ds, de, created, started, completed, due;
	double est;
	const char *pm;
};

static void wo(const struct spec *sp)
{
	struct wr_wo w;
	wr_wo_init(&w);
	wr_strlcpy(w.title, "work", sizeof w.title);
	if (sp->asset)
		wr_strlcpy(w.asset_tag, sp->asset, sizeof w.asset_tag);
	if (sp->pm) {
		wr_strlcpy(w.pm_code, sp->pm, sizeof w.pm_code);
		w.type = WT_PREVENTIVE;
	}
	w.is_failure = sp->failure;
	w.status = sp->status;
	w.priority = sp->priority ? sp->priority : PR_MEDIUM;
	w.downtime_start = sp->ds ? sp->ds : WR_NO_TIME;
	w.downtime_end = sp->de ? sp->de : WR_NO_TIME;
	w.created_at = sp->created ? sp->created : sp->ds ? sp->ds : at(2024, 1, 1, 0);
	w.started_at = sp->started ? sp->started : WR_NO_TIME;
	w.completed_at = sp->completed ? sp->completed : WR_NO_TIME;
	w.due_at = sp->due ? sp->due : WR_NO_TIME;
	w.est_hours = sp->est ? sp->est : NAN;
	OK(store_wo_create(S, &w, &E));
}

static void setup(void)
{
	setenv("WRENCH_TODAY", "2024-01-10", 1);
	S = testdb_open(P, sizeof P);
	memset(&E, 0, sizeof E);

	asset("A", "pump", WR_NO_TIME);
	asset("B", "pump", at(2024, 1, 6, 0));
	asset("C", "fan", WR_NO_TIME);
	asset("D", "fan", at(2024, 1, 20, 0));
	asset("E", "pump", WR_NO_TIME);

	struct wr_event ev;
	memset(&ev, 0, sizeof ev);
	wr_strlcpy(ev.asset_tag, "A", sizeof ev.asset_tag);
	ev.at = at(2023, 12, 15, 0);
	ev.kind = EV_FAILURE;
	OK(store_event_add(S, &ev, &E));

	const struct spec specs[] = {
		/* W1 */ {"A", 1, WS_DONE, 0, at(2024, 1, 2, 0), at(2024, 1, 2, 12), 0, 0,
		          at(2024, 1, 2, 13), 0, 0, NULL},
		/* W2 */ {"A", 0, WS_DONE, 0, at(2024, 1, 2, 6), at(2024, 1, 2, 18), 0, 0,
		          at(2024, 1, 2, 18), 0, 0, NULL},
		/* W3 */ {"A", 1, WS_CLOSED, 0, at(2024, 1, 5, 10), at(2024, 1, 5, 14), 0, 0,
		          at(2024, 1, 5, 14), 0, 0, NULL},
		/* W4 */ {"B", 1, WS_DONE, 0, at(2024, 1, 8, 0), at(2024, 1, 8, 6), 0, 0,
		          at(2024, 1, 8, 7), 0, 0, NULL},
		/* W5 */ {"A", 1, WS_DONE, 0, 0, 0, at(2024, 1, 9, 8), at(2024, 1, 9, 8),
		          at(2024, 1, 9, 11), 0, 0, NULL},
		/* W6 */ {"C", 0, WS_DONE, 0, at(2023, 12, 31, 20), at(2024, 1, 1, 4), 0, 0,
		          at(2024, 1, 1, 4), 0, 0, NULL},
		/* W8 */ {"A", 1, WS_DONE, 0, at(2023, 12, 20, 0), at(2023, 12, 20, 2), 0, 0,
		          at(2023, 12, 20, 2), 0, 0, NULL},
		/* W9 */ {"C", 0, WS_IN_PROGRESS, PR_URGENT, at(2024, 1, 9, 20), 0, 0, 0, 0,
		          at(2024, 1, 9, 0), 0, NULL},
	};
	for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
		wo(&specs[i]);
}

static void teardown(void)
{
	testdb_close(S, P);
	S = NULL;
	unsetenv("WRENCH_TODAY");
}


static struct wr_report_opts period(int64_t from, int64_t to)
{
	struct wr_report_opts o = {from, to, NULL, NULL};
	return o;
}

START_TEST(mtbf)
{
	struct wr_table t;
	struct wr_report_opts o = period(at(2024, 1, 1, 0), at(2024, 1, 9, 0));

	OK(store_report(S, RP_MTBF, &o, &t, &E));
	ck_assert_uint_eq(t.ncols, 5);
	ck_assert_str_eq(t.head[4], "mtbf_hours");
	ck_assert(!t.numeric[0] && t.numeric[2] && t.numeric[4]);
	ck_assert_uint_eq(t.nrows, 3);
	/* A: 216 h - 22 h down (W1+W2 merged 18 h, W3 4 h) = 194 h / 3 failures.
	 * B: 96 h - 6 h = 90 h / 1.  Total: 284 h / 4. */
	testdb_row_is(&t, 0, "A|pump|3|194.00|64.67");
	testdb_row_is(&t, 1, "B|pump|1|90.00|90.00");
	testdb_row_is(&t, 2, "TOTAL|-|4|284.00|71.00");
	wr_table_free(&t);

	o.asset_tag = "B";
	OK(store_report(S, RP_MTBF, &o, &t, &E));
	ck_assert_uint_eq(t.nrows, 2);
	testdb_row_is(&t, 0, "B|pump|1|90.00|90.00");
	testdb_row_is(&t, 1, "TOTAL|-|1|90.00|90.00");
	wr_table_free(&t);

	/* Default period: from the earliest data (the Dec 15 event) to today.
	 * A: Dec 15 .. Jan 11 = 648 h, less 24 h down (W8 too), 5 failures. */
	o = period(WR_NO_TIME, WR_NO_TIME);
	o.asset_tag = "A";
	OK(store_report(S, RP_MTBF, &o, &t, &E));
	testdb_row_is(&t, 0, "A|pump|5|624.00|124.80");
	wr_table_free(&t);
}
END_TEST

START_TEST(mttr)
{
	struct wr_table t;
	struct wr_report_opts o = period(at(2024, 1, 1, 0), at(2024, 1, 9, 0));

	OK(store_report(S, RP_MTTR, &o, &t, &E));
	/* A: W1 12 h, W3 4 h, W5 3 h (start..completion); W8 is before the
	 * period; W2 is not a failure.  B: W4 6 h (downtime, not completion). */
	ck_assert_uint_eq(t.nrows, 3);
	testdb_row_is(&t, 0, "A|pump|3|19.00|6.33");
	testdb_row_is(&t, 1, "B|pump|1|6.00|6.00");
	testdb_row_is(&t, 2, "TOTAL|-|4|25.00|6.25");
	wr_table_free(&t);
}
END_TEST

START_TEST(availability)
{
	struct wr_table t;
	struct wr_report_opts o = period(at(2024, 1, 1, 0), at(2024, 1, 9, 0));

	OK(store_report(S, RP_AVAILABILITY, &o, &t, &E));
	/* A 22/216, B 6/96, C 4 (W6 clipped) + 4 (W9 running, clipped) / 216;
	 * E never down, D installed after the period.
	 * Total: 36 h down of 216 + 96 + 216 + 216 = 744 h. */
	ck_assert_uint_eq(t.nrows, 4);
	testdb_row_is(&t, 0, "A|pump|22.00|216.00|89.81");
	testdb_row_is(&t, 1, "B|pump|6.00|96.00|93.75");
	testdb_row_is(&t, 2, "C|fan|8.00|216.00|96.30");
	testdb_row_is(&t, 3, "TOTAL|-|36.00|744.00|95.16");
	wr_table_free(&t);

	o.cls = "pump";
	OK(store_report(S, RP_AVAILABILITY, &o, &t, &E));
	ck_assert_uint_eq(t.nrows, 3);
	testdb_row_is(&t, 2, "TOTAL|-|28.00|528.00|94.70");
	wr_table_free(&t);
}
END_TEST

START_TEST(backlog)
{
	struct wr_table t;
	const struct spec more[] = {
		{NULL, 0, WS_OPEN, PR_HIGH, 0, 0, 0, 0, 0, at(2024, 1, 5, 0), 2, NULL},
		{"A", 0, WS_OPEN, PR_HIGH, 0, 0, 0, 0, 0, 0, 3, NULL},
		{"E", 0, WS_REQUESTED, PR_MEDIUM, 0, 0, 0, 0, 0, 0, 0, NULL},
		{"E", 0, WS_ON_HOLD, PR_LOW, 0, 0, 0, 0, 0, at(2024, 1, 20, 0), 1.5, NULL},
		{"E", 0, WS_CANCELLED, PR_LOW, 0, 0, 0, 0, 0, at(2024, 1, 2, 0), 9, NULL},
	};
	for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
		wo(&more[i]);

	OK(store_report(S, RP_BACKLOG, NULL, &t, &E));
	ck_assert_str_eq(t.head[0], "status");
	ck_assert_uint_eq(t.nrows, 5);
	testdb_row_is(&t, 0, "requested|medium|1|0.00|0");
	testdb_row_is(&t, 1, "open|high|2|5.00|1");
	testdb_row_is(&t, 2, "in_progress|urgent|1|0.00|1");
	testdb_row_is(&t, 3, "on_hold|low|1|1.50|0");
	testdb_row_is(&t, 4, "TOTAL|-|5|6.50|2");
	wr_table_free(&t);

	struct wr_report_opts o = period(WR_NO_TIME, WR_NO_TIME);
	o.cls = "fan";
	OK(store_report(S, RP_BACKLOG, &o, &t, &E));
	ck_assert_uint_eq(t.nrows, 2);
	testdb_row_is(&t, 0, "in_progress|urgent|1|0.00|1");
	wr_table_free(&t);
}
END_TEST

/* Writes straight into the database, as another program could. */
static void tamper(const char *sql)
{
	sqlite3 *db;
	char *err = NULL;

	ck_assert_int_eq(sqlite3_open(P, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK, "%s: %s", sql, err);
	sqlite3_close(db);
}

START_TEST(backlog_large_hours)
{
	struct wr_table t;
	const struct spec big = {"A", 0, WS_OPEN, PR_HIGH, 0, 0, 0, 0, 0, 0, 1, NULL};

	/* wrench stores at most 10000 hours a job; a database written by
	 * another program may hold anything, and the totals must still be
	 * whole numbers, not their first 31 characters. */
	wo(&big);
	wo(&big);
	tamper("UPDATE wo SET est_hours = 1e35 WHERE status = 1");
	OK(store_report(S, RP_BACKLOG, NULL, &t, &E));
	ck_assert_uint_eq(t.nrows, 3);
	ck_assert_str_eq(t.cells[0 * 5 + 0], "open");
	ck_assert_str_eq(t.cells[2 * 5 + 0], "TOTAL");
	for (size_t r = 0; r < 3; r += 2) {
		const char *cell = t.cells[r * 5 + 3];
		double want = 2e35, got = strtod(cell, NULL);
		ck_assert_msg(fabs(got - want) <= 1e-9 * want, "row %zu: %s", r, cell);
	}
	wr_table_free(&t);
}
END_TEST

START_TEST(pm_compliance)
{
	struct wr_table t;
	struct wr_pm p;

	wr_pm_init(&p);
	wr_strlcpy(p.code, "PM-1", sizeof p.code);
	wr_strlcpy(p.asset_tag, "E", sizeof p.asset_tag);
	p.start_date = at(2024, 1, 3, 0);
	p.unit = PU_WEEK;
	OK(store_pm_put(S, &p, &E));
	const struct spec pmw[] = {
		/* on time: done on the due day */
		{"E", 0, WS_DONE, 0, 0, 0, 0, 0, at(2024, 1, 3, 15), at(2024, 1, 3, 0), 0, "PM-1"},
		/* late */
		{"E", 0, WS_CLOSED, 0, 0, 0, 0, 0, at(2024, 1, 12, 0), at(2024, 1, 10, 0), 0, "PM-1"},
		/* not done */
		{"E", 0, WS_OPEN, 0, 0, 0, 0, 0, 0, at(2024, 1, 17, 0), 0, "PM-1"},
		/* cancelled: left out */
		{"E", 0, WS_CANCELLED, 0, 0, 0, 0, 0, 0, at(2024, 1, 24, 0), 0, "PM-1"},
		/* early: on time */
		{"E", 0, WS_DONE, 0, 0, 0, 0, 0, at(2024, 1, 31, 9), at(2024, 2, 1, 0), 0, "PM-1"},
		/* after the period */
		{"E", 0, WS_DONE, 0, 0, 0, 0, 0, at(2024, 3, 1, 9), at(2024, 3, 1, 0), 0, "PM-1"},
	};
	for (size_t i = 0; i < sizeof pmw / sizeof pmw[0]; i++)
		wo(&pmw[i]);
	/* Corrective work due in the period does not count. */
	const struct spec cm = {"E", 0, WS_OPEN, 0, 0, 0, 0, 0, 0, at(2024, 1, 4, 0), 0, NULL};
	wo(&cm);

	struct wr_report_opts o = period(at(2024, 1, 1, 0), at(2024, 2, 29, 0));
	OK(store_report(S, RP_PM_COMPLIANCE, &o, &t, &E));
	ck_assert_uint_eq(t.ncols, 6);
	ck_assert_uint_eq(t.nrows, 3);
	testdb_row_is(&t, 0, "2024-01|3|1|1|1|33.3");
	testdb_row_is(&t, 1, "2024-02|1|1|0|0|100.0");
	testdb_row_is(&t, 2, "TOTAL|4|2|1|1|50.0");
	wr_table_free(&t);

	o.cls = "fan";
	OK(store_report(S, RP_PM_COMPLIANCE, &o, &t, &E));
	ck_assert_uint_eq(t.nrows, 1);
	testdb_row_is(&t, 0, "TOTAL|0|0|0|0|-");
	wr_table_free(&t);
}
END_TEST

START_TEST(refusals_and_names)
{
	struct wr_table t;
	struct wr_report_opts o = period(at(2024, 2, 1, 0), at(2024, 1, 1, 0));
	int r = -1;

	ck_assert_int_eq(store_report(S, RP_MTBF, &o, &t, &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "period") != NULL, "%s", E.msg);
	ck_assert(t.cells == NULL && t.nrows == 0);
	o = period(WR_NO_TIME, WR_NO_TIME);
	o.asset_tag = "NOPE";
	ck_assert_int_eq(store_report(S, RP_MTTR, &o, &t, &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "NOPE") != NULL, "%s", E.msg);
	ck_assert_int_eq(store_report(S, 99, NULL, &t, &E), WR_EINPUT);

	for (int i = 0; i < RP__COUNT; i++) {
		OK(wr_report_parse(wr_report_name(i), &r));
		ck_assert_int_eq(r, i);
	}
	ck_assert_str_eq(wr_report_name(RP_PM_COMPLIANCE), "pm-compliance");
	OK(wr_report_parse("PM_Compliance", &r));
	ck_assert_int_eq(r, RP_PM_COMPLIANCE);
	OK(wr_report_parse("MTBF", &r));
	ck_assert_int_eq(r, RP_MTBF);
	ck_assert_int_eq(wr_report_parse("uptime", &r), WR_EINPUT);
	ck_assert_int_eq(wr_report_parse(NULL, &r), WR_EINPUT);
}
END_TEST

START_TEST(table_basics)
{
	struct wr_table t;
	const char *head[] = {"name", "value"};
	const int num[] = {0, 1};

	ck_assert_int_eq(wr_table_init(&t, 2, head, num), WR_OK);
	for (int i = 0; i < 100; i++) {
		char a[16], b[16];
		const char *cells[] = {a, b};
		snprintf(a, sizeof a, "row%d", i);
		snprintf(b, sizeof b, "%d", i * i);
		ck_assert_int_eq(wr_table_add_row(&t, cells), WR_OK);
	}
	const char *nulls[] = {NULL, NULL};
	ck_assert_int_eq(wr_table_add_row(&t, nulls), WR_OK);
	ck_assert_uint_eq(t.nrows, 101);
	ck_assert_str_eq(t.cells[2 * 99], "row99");
	ck_assert_str_eq(t.cells[2 * 99 + 1], "9801");
	ck_assert_str_eq(t.cells[2 * 100], "");
	ck_assert_int_eq(t.numeric[1], 1);
	ck_assert_int_eq(t.numeric[0], 0);
	wr_table_free(&t);
	ck_assert(t.cells == NULL && t.nrows == 0 && t.head == NULL);
	wr_table_free(&t);   /* twice is harmless */

	ck_assert_int_eq(wr_table_init(&t, 2, head, NULL), WR_OK);
	ck_assert_int_eq(t.numeric[1], 0);
	wr_table_free(&t);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("store_report");
	TCase *tc = tcase_create("report");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, mtbf);
	tcase_add_test(tc, mttr);
	tcase_add_test(tc, availability);
	tcase_add_test(tc, backlog);
	tcase_add_test(tc, backlog_large_hours);
	tcase_add_test(tc, pm_compliance);
	tcase_add_test(tc, refusals_and_names);
	tcase_add_test(tc, table_basics);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(report_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
