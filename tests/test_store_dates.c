/*
 * test_store_dates.c - the range of dates wrench accepts (1900 to 2999) and
 * what happens outside it: parsing refuses such dates, the date arithmetic
 * takes any int64 without overflowing (run under UBSan by `make asan`), and
 * a database that another program filled with extreme dates is read as the
 * nearest accepted ones, so that PM, reports, the life-data loader and the
 * backtest all finish with sane figures.
 */
#include <check.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/testdb.h"
#include "predict.h"
#include "store.h"
#include "report.h"
#include "../store/wo_internal.h"   /* the PM engine's calendar arithmetic */

static struct store *S;
static char P[512];
static struct wr_err E;

#define OK(call) ck_assert_msg((call) == WR_OK, "%s failed: %s", #call, E.msg)

/* Years 1 to 9999: where the date functions compute. */
#define CALC_MIN INT64_C(-62135596800)
#define CALC_MAX INT64_C(253402300799)

static void setup(void)
{
	setenv("WRENCH_TODAY", "2024-06-01", 1);
	S = testdb_open(P, sizeof P);
	memset(&E, 0, sizeof E);
}

static void teardown(void)
{
	testdb_close(S, P);
	S = NULL;
	unsetenv("WRENCH_TODAY");
}

static const int64_t extremes[] = {
	INT64_MIN, INT64_MIN + 1, INT64_MIN / 2, CALC_MIN - 1, WR_TIME_MIN - 1, WR_TIME_MIN,
	-1, 0, WR_TIME_MAX, WR_TIME_MAX + 1, CALC_MAX + 1, INT64_MAX / 2, INT64_MAX - 1,
	INT64_MAX,
};
#define NEXTREMES (sizeof extremes / sizeof extremes[0])

/* ----------------------------------------------------------- parsing */

START_TEST(parse_accepts_1900_to_2999)
{
	static const char *const refused[] = {
		"9999-12-31", "3000-01-01", "1899-12-31 23:59:59", "0001-01-01", "12/31/1899",
		"1/1/3000 1:00 PM",
	};
	int64_t t;

	OK(wr_date_parse("1900-01-01", &t, &E));
	ck_assert_int_eq(t, WR_TIME_MIN);
	OK(wr_date_parse("2999-12-31 23:59:59", &t, &E));
	ck_assert_int_eq(t, WR_TIME_MAX);
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		memset(&E, 0, sizeof E);
		ck_assert_int_eq(wr_date_parse(refused[i], &t, &E), WR_EINPUT);
		ck_assert_msg(strstr(E.msg, refused[i]) &&
		                  strstr(E.msg, "outside the dates wrench accepts, 1900-01-01 to 2999-12-31"),
		              "%s: %s", refused[i], E.msg);
	}
	ck_assert_int_eq(wr_date_parse("-001-01-01", &t, &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "is not a date"), "%s", E.msg);
}
END_TEST

/* -------------------------------------------------------- arithmetic */

static int in_calc(int64_t t)
{
	return t >= CALC_MIN && t <= CALC_MAX;
}

START_TEST(arithmetic_takes_any_instant)
{
	static const int months[] = {INT_MIN, -120001, -1, 0, 1, 12, 120001, INT_MAX};
	char buf[WR_DATE_BUF];
	int y, m, d;

	for (size_t i = 0; i < NEXTREMES; i++) {
		int64_t t = extremes[i];
		wr_date_to_ymd(t, &y, &m, &d);
		ck_assert_msg(y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31,
		              "%lld: %d-%d-%d", (long long)t, y, m, d);
		/* INT64_MIN is WR_NO_TIME, written as nothing. */
		wr_date_fmt(t, buf);
		ck_assert_msg(t == WR_NO_TIME ? !buf[0] : strlen(buf) == 10 || strlen(buf) == 19,
		              "%lld: %s", (long long)t, buf);
		for (size_t k = 0; k < sizeof months / sizeof months[0]; k++)
			ck_assert_msg(in_calc(wr_date_add_months(t, months[k])), "%lld + %d months",
			              (long long)t, months[k]);
		int64_t day = store_day_of(t);
		if (t >= INT64_MIN + WR_DAY)
			ck_assert_msg(day <= t && t - day < WR_DAY, "day of %lld", (long long)t);
		wr_date_fmt(store_pm_add_units(t, INT_MAX, PU_WEEK), buf);
		wr_date_fmt(store_pm_add_units(t, INT_MIN, PU_DAY), buf);
		int64_t c = wr_time_clamp(t);
		ck_assert(c >= WR_TIME_MIN && c <= WR_TIME_MAX);
	}
	/* Far ends print as the ends of the years computed with. */
	ck_assert_str_eq(wr_date_fmt(INT64_MAX, buf), "9999-12-31 23:59:59");
	ck_assert_str_eq(wr_date_fmt(INT64_MIN + 1, buf), "0001-01-01");
	ck_assert_str_eq(wr_date_fmt_day(INT64_MIN + 1, buf), "0001-01-01");
	ck_assert_int_eq(wr_date_add_months(wr_date_from_ymd(9999, 12, 1), 1), CALC_MAX);
	/* Parts out of range are brought in; nothing overflows. */
	ck_assert(in_calc(wr_date_from_ymd(INT_MAX, INT_MAX, INT_MAX)));
	ck_assert(in_calc(wr_date_from_ymd(INT_MIN, INT_MIN, INT_MIN)));
	/* Inside the range nothing changed. */
	ck_assert_int_eq(wr_date_add_months(wr_date_from_ymd(2024, 1, 31), 1),
	                 wr_date_from_ymd(2024, 2, 29));
	ck_assert_int_eq(store_day_of(wr_date_from_ymd(1969, 12, 31) + 5), wr_date_from_ymd(1969, 12, 31));
}
END_TEST

START_TEST(pm_grid_on_any_start)
{
	struct wr_pm p;

	/* A schedule whose dates came from a tampered database: its next
	 * occurrence is worked out without overflow, and in bounded time. */
	for (size_t i = 0; i < NEXTREMES; i++) {
		for (int unit = PU_DAY; unit <= PU_MONTH; unit++) {
			wr_pm_init(&p);
			p.unit = unit;
			p.interval = unit == PU_MONTH ? 360 : 3;
			p.start_date = extremes[i];
			p.last_done = extremes[NEXTREMES - 1 - i];
			store_pm_compute_next(&p);
			p.floating = 1;
			store_pm_compute_next(&p);
			(void)store_pm_grid_after(&p, extremes[(i + 3) % NEXTREMES]);
		}
	}
}
END_TEST

/* ------------------------------------------------- tampered databases */

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

static void event(const char *tag, int y, int m, int d, int kind)
{
	struct wr_event ev;

	memset(&ev, 0, sizeof ev);
	wr_strlcpy(ev.asset_tag, tag, sizeof ev.asset_tag);
	ev.at = wr_date_from_ymd(y, m, d);
	ev.kind = kind;
	OK(store_event_add(S, &ev, &E));
}

static void pm(const char *code, int unit, int floating)
{
	struct wr_pm p;

	wr_pm_init(&p);
	wr_strlcpy(p.code, code, sizeof p.code);
	wr_strlcpy(p.asset_tag, "P-1", sizeof p.asset_tag);
	p.unit = unit;
	p.floating = floating;
	p.start_date = wr_date_from_ymd(2024, 1, 1);
	p.est_hours = 2;
	OK(store_pm_put(S, &p, &E));
}

/* A small plant, then every date column an engine loops over set to the
 * far ends of int64 or to years no plant has. */
static void tampered_plant(void)
{
	struct wr_wo w;

	testdb_add_asset(S, "P-1", "pump");
	testdb_add_asset(S, "P-2", "pump");
	testdb_add_asset(S, "P-3", "pump");
	event("P-1", 2020, 1, 1, EV_INSTALL);
	event("P-1", 2021, 3, 1, EV_FAILURE);
	event("P-1", 2022, 5, 1, EV_FAILURE);
	event("P-2", 2020, 1, 1, EV_INSTALL);
	event("P-2", 2023, 1, 1, EV_FAILURE);
	event("P-3", 2021, 1, 1, EV_FAILURE);
	pm("PM-1", PU_MONTH, 0);
	pm("PM-2", PU_DAY, 1);
	pm("PM-3", PU_WEEK, 0);
	pm("PM-4", PU_MONTH, 1);
	for (int i = 0; i < 3; i++) {
		wr_wo_init(&w);
		wr_strlcpy(w.title, "work", sizeof w.title);
		wr_strlcpy(w.asset_tag, "P-1", sizeof w.asset_tag);
		w.est_hours = 1;
		OK(store_wo_create(S, &w, &E));
		wr_wo_clear(&w);
	}
	tamper("UPDATE event SET at = 9223372036854775807 WHERE kind = 1 AND asset_id = 1"
	       " AND at = (SELECT max(at) FROM event WHERE asset_id = 1);"
	       "UPDATE event SET at = -9223372036854775808 WHERE asset_id = 3;"
	       "UPDATE event SET at = 253402214400 WHERE asset_id = 2 AND kind = 1;"
	       "UPDATE asset SET install_date = -9223372036854775807 WHERE tag = 'P-2';"
	       "UPDATE asset SET install_date = 9223372036854775807 WHERE tag = 'P-3';"
	       "UPDATE pm SET next_due = 9223372036854775807 WHERE code = 'PM-1';"
	       "UPDATE pm SET next_due = -9223372036854775808, start_date = -9223372036854775807,"
	       " last_done = -9223372036854775807 WHERE code = 'PM-2';"
	       "UPDATE pm SET start_date = 9223372036854775807, next_due = NULL WHERE code = 'PM-3';"
	       "UPDATE pm SET last_done = -62135596800, next_due = NULL WHERE code = 'PM-4';"
	       "UPDATE wo SET due_at = -9223372036854775808, status = 1 WHERE number = 'WO-000001';"
	       "UPDATE wo SET due_at = 9223372036854775807, created_at = -9223372036854775808"
	       " WHERE number = 'WO-000002';"
	       "UPDATE wo SET downtime_start = -9223372036854775808,"
	       " downtime_end = 9223372036854775807, is_failure = 1, status = 4,"
	       " completed_at = 9223372036854775807, started_at = -9223372036854775808"
	       " WHERE number = 'WO-000003';");
}

static int in_range(int64_t t)
{
	return t >= WR_TIME_MIN && t <= WR_TIME_MAX;
}

static int check_event(const struct wr_event *ev, void *ctx)
{
	(void)ctx;
	ck_assert_msg(in_range(ev->at), "event at %lld", (long long)ev->at);
	return 0;
}

static int check_due(const struct wr_pm_due *d, void *ctx)
{
	++*(int *)ctx;
	ck_assert_msg(d->due_at == WR_NO_TIME || in_range(d->due_at), "%s due %lld", d->pm_code,
	              (long long)d->due_at);
	return 0;
}

START_TEST(tampered_records_read_in_range)
{
	struct wr_wo w;
	struct wr_pm p;
	char buf[WR_DATE_BUF];

	tampered_plant();
	OK(store_event_list(S, "P-1", check_event, NULL, &E));
	OK(store_event_list(S, "P-3", check_event, NULL, &E));
	OK(store_wo_get(S, "WO-000001", &w, &E));
	ck_assert_str_eq(wr_date_fmt(w.due_at, buf), "1900-01-01");
	wr_wo_clear(&w);
	OK(store_wo_get(S, "WO-000002", &w, &E));
	ck_assert_str_eq(wr_date_fmt(w.due_at, buf), "2999-12-31 23:59:59");
	ck_assert_int_eq(w.created_at, WR_TIME_MIN);
	wr_wo_clear(&w);
	OK(store_pm_get(S, "PM-1", &p, &E));
	ck_assert_int_eq(p.next_due, WR_TIME_MAX);
	wr_pm_clear(&p);
	OK(store_pm_get(S, "PM-2", &p, &E));
	ck_assert_int_eq(p.start_date, WR_TIME_MIN);
	wr_pm_clear(&p);
}
END_TEST

START_TEST(tampered_pm_engine_finishes)
{
	double hours[52];
	int counts[52], n = 0, created = -1, total = 0;
	int64_t today = wr_today();

	tampered_plant();
	OK(store_pm_due(S, today, 30, check_due, &n, &E));
	ck_assert_int_ge(n, 1);
	OK(store_pm_generate(S, today, 30, &created, &E));
	ck_assert_int_ge(created, 1);
	n = 0;
	OK(store_pm_due(S, today, 30, check_due, &n, &E));
	OK(store_pm_forecast(S, today, 52, hours, counts, &E));
	for (int i = 0; i < 52; i++) {
		ck_assert(isfinite(hours[i]) && hours[i] >= 0);
		total += counts[i];
	}
	/* The daily floating schedule alone falls in every week. */
	ck_assert_int_ge(total, 52);
}
END_TEST

START_TEST(tampered_reports_finish)
{
	struct wr_table t;

	tampered_plant();
	/* backlog-weeks needs the crew's capacity. */
	OK(store_report_setting_set(S, RS_CREW_HOURS, NULL, 40, &E));
	for (int r = 0; r < RP__COUNT; r++) {
		memset(&E, 0, sizeof E);
		OK(store_report(S, r, NULL, &t, &E));
		ck_assert_uint_ge(t.nrows, 1);
		for (size_t i = 0; i < t.nrows * t.ncols; i++)
			ck_assert_msg(strlen(t.cells[i]) < 31, "%s: %s", wr_report_name(r), t.cells[i]);
		wr_table_free(&t);
	}
}
END_TEST

START_TEST(tampered_life_data_and_backtest)
{
	struct wr_life_opts lo;
	struct ld_set ld;
	struct predict_opts po;
	struct predict_backtest b;
	double cuts[3];
	const double lo_day = (double)WR_TIME_MIN / WR_DAY, hi_day = (double)WR_TIME_MAX / WR_DAY;

	tampered_plant();
	memset(&lo, 0, sizeof lo);
	memset(&ld, 0, sizeof ld);
	OK(store_life_load(S, &lo, &ld, &E));
	ck_assert_uint_eq(ld.nunits, 3);
	for (size_t u = 0; u < ld.nunits; u++)
		ck_assert(isnan(ld.units[u].install) ||
		          (ld.units[u].install >= lo_day && ld.units[u].install <= hi_day));
	for (size_t i = 0; i < ld.nevents; i++)
		ck_assert_msg(ld.events[i].t >= lo_day && ld.events[i].t <= hi_day, "%g",
		              ld.events[i].t);
	/* An install in 1900 and a one-day horizon: the climatology must not
	 * walk every day since then for every cutoff. */
	predict_opts_init(&po);
	po.horizon = 1;
	for (int i = 0; i < 3; i++)
		cuts[i] = (double)wr_date_from_ymd(2022, 1 + 4 * i, 1) / WR_DAY;
	memset(&b, 0, sizeof b);
	OK(predict_backtest(&ld, cuts, 3, &po, &b, &E));
	ck_assert_uint_eq(b.n, 3);
	predict_backtest_free(&b);
	/* predict/ bounds its own loops too, whatever dates it is handed. */
	ld.units[0].install = -1e15;
	memset(&b, 0, sizeof b);
	OK(predict_backtest(&ld, cuts, 3, &po, &b, &E));
	ck_assert_uint_eq(b.n, 3);
	predict_backtest_free(&b);
	store_life_free(&ld);
}
END_TEST

static Suite *dates_suite(void)
{
	Suite *s = suite_create("store_dates");
	TCase *tc = tcase_create("dates");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, parse_accepts_1900_to_2999);
	tcase_add_test(tc, arithmetic_takes_any_instant);
	tcase_add_test(tc, pm_grid_on_any_start);
	tcase_add_test(tc, tampered_records_read_in_range);
	tcase_add_test(tc, tampered_pm_engine_finishes);
	tcase_add_test(tc, tampered_reports_finish);
	tcase_add_test(tc, tampered_life_data_and_backtest);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dates_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
