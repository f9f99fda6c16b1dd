/*
 * test_store_monthly.c - what the charts read (store/monthly.c): every
 * measure charted once, the months counted back from the last, months to
 * come left blank, the classes to filter by, and months written and read.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/testdb.h"
#include "monthly.h"

static struct store *S;
static char P[512];
static struct wr_err E;

#define OK(call) ck_assert_msg((call) == WR_OK, "%s failed: %s", #call, E.msg)

static void setup(void)
{
	S = testdb_open(P, sizeof P);
}

static void teardown(void)
{
	testdb_close(S, P);
}

START_TEST(every_measure_is_charted_once)
{
	int seen[WM__COUNT] = {0};

	for (int i = 0; i < WM__COUNT; i++) {
		const struct wr_monthly_info *mi = wr_monthly_info(i);
		ck_assert_ptr_nonnull(mi);
		ck_assert_int_ge(mi->measure, 0);
		ck_assert_int_lt(mi->measure, WM__COUNT);
		seen[mi->measure]++;
		ck_assert(strlen(mi->title) > 0 && strlen(mi->title) <= 20);
	}
	for (int m = 0; m < WM__COUNT; m++)
		ck_assert_int_eq(seen[m], 1);
	ck_assert_ptr_null(wr_monthly_info(-1));
	ck_assert_ptr_null(wr_monthly_info(WM__COUNT));
}
END_TEST

START_TEST(months_count_back_from_the_last_and_the_future_is_blank)
{
	static struct wr_months m;
	struct wr_report_opts o;
	int y, mo, d;

	memset(&o, 0, sizeof o);
	o.from = o.to = WR_NO_TIME;
	OK(store_monthly_load(S, wr_date_from_ymd(2024, 3, 15), 12, &o, &m, &E));
	ck_assert_int_eq(m.n, 12);
	ck_assert(m.month[0] == wr_date_from_ymd(2023, 4, 1));
	ck_assert(m.month[11] == wr_date_from_ymd(2024, 3, 1));
	ck_assert(m.month[12] == wr_date_from_ymd(2024, 4, 1));
	/* Twelve months ending two months from now: the last two have not begun. */
	wr_date_to_ymd(wr_date_add_months(wr_today(), 2), &y, &mo, &d);
	OK(store_monthly_load(S, wr_date_from_ymd(y, mo, 1), 12, NULL, &m, &E));
	for (int i = 0; i < WM__COUNT; i++) {
		ck_assert_msg(isnan(m.v[i][11]) && isnan(m.v[i][10]), "%s has a value to come",
		              wr_monthly_info(i)->title);
	}
	/* The empty plant's backlog this month is a number: none. */
	for (int i = 0; i < WM__COUNT; i++)
		if (wr_monthly_info(i)->measure == WM_BACKLOG_WOS)
			ck_assert(m.v[i][9] == 0);
	ck_assert_int_eq(store_monthly_load(S, wr_today(), 0, NULL, &m, &E), WR_EINPUT);
	ck_assert_int_eq(store_monthly_load(S, wr_today(), WR_MONTHS_MAX + 1, NULL, &m, &E),
	                 WR_EINPUT);
}
END_TEST

START_TEST(classes_by_name_with_their_assets)
{
	struct wr_class_count c[4];
	size_t n;

	testdb_add_asset(S, "P-2", "pump");
	testdb_add_asset(S, "F-1", "fan");
	testdb_add_asset(S, "P-1", "pump");
	testdb_add_asset(S, "X-1", NULL);
	OK(store_asset_classes(S, c, 4, &n, &E));
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(c[0].cls, "fan");
	ck_assert_int_eq(c[0].assets, 1);
	ck_assert_str_eq(c[1].cls, "pump");
	ck_assert_int_eq(c[1].assets, 2);
	/* At most max. */
	OK(store_asset_classes(S, c, 1, &n, &E));
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(c[0].cls, "fan");
}
END_TEST

START_TEST(months_written_and_read)
{
	int64_t t;
	char buf[8];

	OK(wr_month_parse("2025-03", &t, &E));
	ck_assert(t == wr_date_from_ymd(2025, 3, 1));
	ck_assert_str_eq(wr_month_fmt(wr_date_from_ymd(2025, 3, 31), buf), "2025-03");
	ck_assert_int_eq(wr_month_parse("2025-3", &t, &E), WR_EINPUT);
	ck_assert(strstr(E.msg, "YYYY-MM") != NULL);
	ck_assert_int_eq(wr_month_parse("2025-13", &t, &E), WR_EINPUT);
	ck_assert_int_eq(wr_month_parse("2025-03-01", &t, &E), WR_EINPUT);
	ck_assert_int_eq(wr_month_parse("", &t, &E), WR_EINPUT);
	ck_assert_int_eq(wr_month_parse("1899-12", &t, &E), WR_EINPUT);
}
END_TEST

static Suite *monthly_suite(void)
{
	Suite *s = suite_create("store_monthly");
	TCase *tc = tcase_create("monthly");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, every_measure_is_charted_once);
	tcase_add_test(tc, months_count_back_from_the_last_and_the_future_is_blank);
	tcase_add_test(tc, classes_by_name_with_their_assets);
	tcase_add_test(tc, months_written_and_read);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(monthly_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
