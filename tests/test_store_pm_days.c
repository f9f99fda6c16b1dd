/*
 * test_store_pm_days.c - the PM engine's schedules from other systems:
 * weekly schedules on chosen days of the week, daily and monthly ones
 * kept to chosen days, an end date after which no work is made, and a
 * due-date delay between an occurrence (when its work order is made) and
 * the work order's due date.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/testdb.h"
#include "store.h"

static struct store *S;
static char P[512];
static struct wr_err E;

#define OK(call) ck_assert_msg((call) == WR_OK, "%s failed: %s", #call, E.msg)

static void setup(void)
{
	setenv("WRENCH_TODAY", "2024-01-01", 1);
	S = testdb_open(P, sizeof P);
	memset(&E, 0, sizeof E);
	testdb_add_asset(S, "A-1", NULL);
}

static void teardown(void)
{
	testdb_close(S, P);
	S = NULL;
	unsetenv("WRENCH_TODAY");
}

static int64_t day(int y, int m, int d)
{
	return wr_date_from_ymd(y, m, d);
}

/* A calendar schedule on A-1. */
static void put_pm(const char *code, int64_t start, int interval, int unit, const char *days,
                   int64_t ends, int delay)
{
	struct wr_pm p;

	wr_pm_init(&p);
	wr_strlcpy(p.code, code, sizeof p.code);
	wr_strlcpy(p.asset_tag, "A-1", sizeof p.asset_tag);
	p.start_date = start;
	p.interval = interval;
	p.unit = unit;
	wr_strlcpy(p.weekdays, days, sizeof p.weekdays);
	p.ends_on = ends;
	p.due_delay = delay;
	OK(store_pm_put(S, &p, &E));
}

/* The due dates of the schedule's next n occurrences; returns how many. */
static int upcoming(const char *code, int n, int64_t *at)
{
	struct wr_pm_occ occ[16];
	double meter_now;
	int got = 0;

	OK(store_pm_next(S, code, n, occ, &got, &meter_now, &E));
	for (int i = 0; i < got; i++)
		at[i] = occ[i].due_at;
	return got;
}

struct due_rows {
	int n;
	struct wr_pm_due d[8];
};

static int collect_due(const struct wr_pm_due *d, void *ctx)
{
	struct due_rows *r = ctx;
	if (r->n < 8)
		r->d[r->n++] = *d;
	return 0;
}

static struct due_rows due(int64_t today, int days)
{
	struct due_rows r;

	memset(&r, 0, sizeof r);
	OK(store_pm_due(S, today, days, collect_due, &r, &E));
	return r;
}

static int generate(int64_t today)
{
	int n = -1;

	OK(store_pm_generate(S, today, 0, &n, &E));
	return n;
}

/* Generates the schedule's open occurrence on today and completes it. */
static void do_next(const char *today)
{
	int64_t t;
	struct due_rows r;

	setenv("WRENCH_TODAY", today, 1);
	ck_assert_int_eq(wr_date_parse(today, &t, &E), WR_OK);
	ck_assert_int_eq(generate(t), 1);
	r = due(t, 0);
	ck_assert_int_eq(r.n, 1);
	OK(store_wo_transition(S, r.d[0].wo_number, WS_DONE, &E));
}

static int64_t next_due(const char *code)
{
	struct wr_pm p;
	int64_t t;

	OK(store_pm_get(S, code, &p, &E));
	t = p.next_due;
	wr_pm_clear(&p);
	return t;
}

START_TEST(weekly_on_days)
{
	int64_t at[8];

	/* Starts on a Wednesday: Wed, Fri, Mon, Wed ... */
	put_pm("MWF", day(2024, 1, 3), 1, PU_WEEK, "Friday, monday;WED", WR_NO_TIME, 0);
	ck_assert_int_eq(upcoming("MWF", 5, at), 5);
	ck_assert_int_eq(at[0], day(2024, 1, 3));
	ck_assert_int_eq(at[1], day(2024, 1, 5));
	ck_assert_int_eq(at[2], day(2024, 1, 8));
	ck_assert_int_eq(at[3], day(2024, 1, 10));
	ck_assert_int_eq(at[4], day(2024, 1, 12));
	/* The engine goes the same way as the work is done. */
	do_next("2024-01-03");
	ck_assert_int_eq(next_due("MWF"), day(2024, 1, 5));
	do_next("2024-01-05");
	ck_assert_int_eq(next_due("MWF"), day(2024, 1, 8));

	/* Every 2 weeks on Tuesday and Thursday (Atlas's numbers, 0 Monday),
	 * from Monday Jan 1: the week of Jan 8 is skipped. */
	put_pm("TT", day(2024, 1, 1), 2, PU_WEEK, "1;3", WR_NO_TIME, 0);
	ck_assert_int_eq(upcoming("TT", 4, at), 4);
	ck_assert_int_eq(at[0], day(2024, 1, 2));
	ck_assert_int_eq(at[1], day(2024, 1, 4));
	ck_assert_int_eq(at[2], day(2024, 1, 16));
	ck_assert_int_eq(at[3], day(2024, 1, 18));
}
END_TEST

START_TEST(days_stored_canonical_and_checked)
{
	struct wr_pm p;

	put_pm("D", day(2024, 1, 1), 1, PU_WEEK, "Vendredi lundi", WR_NO_TIME, 0);
	OK(store_pm_get(S, "D", &p, &E));
	ck_assert_str_eq(p.weekdays, "mon,fri");
	wr_pm_clear(&p);
	OK(store_pm_set(S, "D", "weekdays", "0;2;4", &E));
	OK(store_pm_get(S, "D", &p, &E));
	ck_assert_str_eq(p.weekdays, "mon,wed,fri");
	wr_pm_clear(&p);
	ck_assert_int_eq(store_pm_set(S, "D", "weekdays", "mon,funday", &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "'funday' is not a day"), "%s", E.msg);
	ck_assert_int_eq(store_pm_set(S, "D", "ends", "2023-12-01", &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "before start_date"), "%s", E.msg);
}
END_TEST

START_TEST(monthly_kept_to_days)
{
	int64_t at[4];

	/* Monthly on the 1st, Monday to Friday: Sat Jun 1 2024 is done on
	 * Monday Jun 3, Sun Sep 1 on Monday Sep 2. */
	put_pm("M", day(2024, 6, 1), 1, PU_MONTH, "mon,tue,wed,thu,fri", WR_NO_TIME, 0);
	ck_assert_int_eq(upcoming("M", 4, at), 4);
	ck_assert_int_eq(at[0], day(2024, 6, 3));
	ck_assert_int_eq(at[1], day(2024, 7, 1));
	ck_assert_int_eq(at[2], day(2024, 8, 1));
	ck_assert_int_eq(at[3], day(2024, 9, 2));
}
END_TEST

START_TEST(end_date_stops_work)
{
	int64_t at[8];
	double h[8];
	int c[8];

	put_pm("E", day(2024, 1, 15), 1, PU_MONTH, "", day(2024, 3, 20), 0);
	ck_assert_int_eq(upcoming("E", 8, at), 3);
	ck_assert_int_eq(at[2], day(2024, 3, 15));
	do_next("2024-01-15");
	do_next("2024-02-15");
	do_next("2024-03-15");
	/* April 15 is after the end: nothing due, nothing made. */
	ck_assert_int_eq(next_due("E"), day(2024, 4, 15));
	ck_assert_int_eq(due(day(2024, 5, 1), 60).n, 0);
	ck_assert_int_eq(generate(day(2024, 5, 1)), 0);
	OK(store_pm_forecast(S, day(2024, 3, 25), 8, h, c, &E));
	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(c[i], 0);
}
END_TEST

START_TEST(due_date_delay)
{
	struct due_rows r;
	struct wr_wo w;
	double h[2];
	int c[2];

	put_pm("DL", day(2024, 1, 1), 1, PU_WEEK, "", WR_NO_TIME, 3);
	/* Made on the occurrence's day, not before. */
	ck_assert_int_eq(generate(day(2023, 12, 31)), 0);
	ck_assert_int_eq(generate(day(2024, 1, 1)), 1);
	r = due(day(2024, 1, 3), 0);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.d[0].due_at, day(2024, 1, 4));
	ck_assert_int_eq(r.d[0].overdue, 0);
	ck_assert_int_eq(due(day(2024, 1, 5), 0).d[0].overdue, 1);
	OK(store_wo_get(S, r.d[0].wo_number, &w, &E));
	ck_assert_int_eq(w.due_at, day(2024, 1, 4));
	wr_wo_clear(&w);
	/* The next occurrence counts from the occurrence, not the due date. */
	OK(store_wo_transition(S, r.d[0].wo_number, WS_DONE, &E));
	ck_assert_int_eq(next_due("DL"), day(2024, 1, 8));
	/* The forecast puts the work on its due date: Jan 11 in week 2. */
	OK(store_pm_forecast(S, day(2024, 1, 1), 2, h, c, &E));
	ck_assert_int_eq(c[0], 0);
	ck_assert_int_eq(c[1], 1);
}
END_TEST

static Suite *pm_days_suite(void)
{
	Suite *s = suite_create("pm_days");
	TCase *tc = tcase_create("pm_days");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, weekly_on_days);
	tcase_add_test(tc, days_stored_canonical_and_checked);
	tcase_add_test(tc, monthly_kept_to_days);
	tcase_add_test(tc, end_date_stops_work);
	tcase_add_test(tc, due_date_delay);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pm_days_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
