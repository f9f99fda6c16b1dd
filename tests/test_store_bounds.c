/*
 * test_store_bounds.c - the ranges of stored numbers (enum wr_num): the
 * checks themselves, and that every way into the store applies them - the
 * record functions the command line and the terminal interface call, the
 * field setters, and CSV import - with a message naming the field and the
 * range, and nothing written.  And the longest search text.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers/testdb.h"
#include "csvio.h"
#include "store.h"

static struct store *S;
static char P[512];
static struct wr_err E;

static void setup(void)
{
	S = testdb_open(P, sizeof P);
	memset(&E, 0, sizeof E);
}

static void teardown(void)
{
	testdb_close(S, P);
	S = NULL;
}

#define OK(call) ck_assert_msg((call) == WR_OK, "%s failed: %s", #call, E.msg)
/* The call is refused as bad input with a message holding both texts. */
#define REFUSED(call, a, b)                                                              \
	do {                                                                                 \
		memset(&E, 0, sizeof E);                                                         \
		ck_assert_int_eq((call), WR_EINPUT);                                             \
		ck_assert_msg(strstr(E.msg, a) && strstr(E.msg, b), "%s: %s", #call, E.msg);   \
	} while (0)

START_TEST(check_and_parse)
{
	double d = 0;

	OK(store_num_check(WN_HOURS, "est_hours", 0, &E));
	OK(store_num_check(WN_HOURS, "est_hours", 10000, &E));
	OK(store_num_check(WN_HOURS, "est_hours", NAN, &E));
	REFUSED(store_num_check(WN_HOURS, "est_hours", 1e300, &E), "est_hours: 1e+300",
	        "out of range (0 to 10000 hours)");
	REFUSED(store_num_check(WN_HOURS, "est_hours", INFINITY, &E), "est_hours", "0 to 10000");
	REFUSED(store_num_check(WN_QTY, "qty", 0, &E), "qty: 0", "more than 0, up to 1000000");
	REFUSED(store_num_check(WN_MINUTES, "minutes", 14401, &E), "minutes: 14401",
	        "1 to 14400 minutes");
	REFUSED(store_num_check(WN_INTERVAL_MONTH, "interval", 361, &E), "interval: 361",
	        "1 to 360 months");
	OK(store_num_check(WN_INTERVAL_DAY, "interval", 10957, &E));
	OK(store_num_check(WN_METER, "value", -1e12, &E));

	/* Parsing quotes the text as typed. */
	REFUSED(store_num_parse(WN_HOURS, "est_hours", "1e300", &d, &E), "est_hours: 1e300",
	        "out of range (0 to 10000 hours)");
	REFUSED(store_num_parse(WN_HOURS, "est_hours", "1e999", &d, &E), "1e999", "out of range");
	REFUSED(store_num_parse(WN_HOURS, "est_hours", "four", &d, &E), "'four' is not a number",
	        "0 to 10000 hours");
	REFUSED(store_num_parse(WN_HOURS, "est_hours", "nan", &d, &E), "not a number", "hours");
	REFUSED(store_num_parse(WN_LEAD_DAYS, "lead", "1.5", &d, &E), "not a whole number",
	        "0 to 365 days");
	OK(store_num_parse(WN_HOURS, "est_hours", " 2.5 ", &d, &E));
	ck_assert(d == 2.5);
	OK(store_num_parse(WN_HOURS, "est_hours", "", &d, &E));
	ck_assert(isnan(d));
	OK(store_num_parse(WN_HOURS, "est_hours", NULL, &d, &E));
	ck_assert(isnan(d));
	REFUSED(store_num_parse(WN__COUNT, "x", "1", &d, &E), "x", "internal error");
}
END_TEST

/* A work order and an asset to hang things on. */
static void plant(void)
{
	struct wr_wo w;

	testdb_add_asset(S, "P-1", "pump");
	wr_wo_init(&w);
	wr_strlcpy(w.title, "work", sizeof w.title);
	wr_strlcpy(w.asset_tag, "P-1", sizeof w.asset_tag);
	OK(store_wo_create(S, &w, &E));
	ck_assert_str_eq(w.number, "WO-000001");
	wr_wo_clear(&w);
}

static double wo_hours(void)
{
	struct wr_wo w;
	double h;

	OK(store_wo_get(S, "WO-000001", &w, &E));
	h = w.est_hours;
	wr_wo_clear(&w);
	return h;
}

static int count_labor(const struct wr_labor *l, void *ctx)
{
	(void)l;
	++*(int *)ctx;
	return 0;
}

static int count_part(const struct wr_part *p, void *ctx)
{
	(void)p;
	++*(int *)ctx;
	return 0;
}

START_TEST(record_functions)
{
	struct wr_wo w;
	struct wr_part p;
	struct wr_reading r;
	struct wr_meter m;
	int n = 0;

	plant();
	wr_wo_init(&w);
	wr_strlcpy(w.title, "big", sizeof w.title);
	w.est_hours = 1e300;
	REFUSED(store_wo_create(S, &w, &E), "est_hours", "0 to 10000 hours");
	w.est_hours = -1;
	REFUSED(store_wo_create(S, &w, &E), "est_hours", "0 to 10000 hours");
	wr_wo_clear(&w);
	ck_assert_int_eq(store_wo_get(S, "WO-000002", &w, &E), WR_ENOTFOUND);

	REFUSED(store_wo_set(S, "WO-000001", "est-hours", "1e300", &E), "est-hours: 1e300",
	        "0 to 10000 hours");
	OK(store_wo_set(S, "WO-000001", "est-hours", "10000", &E));
	ck_assert(wo_hours() == 10000);

	REFUSED(store_labor_add(S, "WO-000001", 14401, NULL, &E), "minutes: 14401", "1 to 14400");
	REFUSED(store_labor_add(S, "WO-000001", 0, NULL, &E), "minutes: 0", "1 to 14400");
	OK(store_labor_add(S, "WO-000001", 14400, NULL, &E));
	OK(store_labor_list(S, "WO-000001", count_labor, &n, &E));
	ck_assert_int_eq(n, 1);

	memset(&p, 0, sizeof p);
	wr_strlcpy(p.part_code, "BRG", sizeof p.part_code);
	p.unit_cost = NAN;
	p.qty = 1e7;
	REFUSED(store_part_add(S, "WO-000001", &p, &E), "qty", "more than 0, up to 1000000");
	p.qty = 0;
	REFUSED(store_part_add(S, "WO-000001", &p, &E), "qty", "more than 0");
	p.qty = 2;
	p.unit_cost = 1e10;
	REFUSED(store_part_add(S, "WO-000001", &p, &E), "unit cost", "0 to 1000000000");
	p.unit_cost = -1;
	REFUSED(store_part_add(S, "WO-000001", &p, &E), "unit cost", "0 to 1000000000");
	n = 0;
	OK(store_part_list(S, "WO-000001", count_part, &n, &E));
	ck_assert_int_eq(n, 0);

	memset(&m, 0, sizeof m);
	wr_strlcpy(m.asset_tag, "P-1", sizeof m.asset_tag);
	wr_strlcpy(m.name, "temp", sizeof m.name);
	m.kind = MK_GAUGE;
	OK(store_meter_put(S, &m, &E));
	memset(&r, 0, sizeof r);
	wr_strlcpy(r.asset_tag, "P-1", sizeof r.asset_tag);
	wr_strlcpy(r.meter, "temp", sizeof r.meter);
	r.at = wr_date_from_ymd(2024, 1, 1);
	r.value = 2e12;
	REFUSED(store_reading_add(S, &r, &E), "value", "-1000000000000 to 1000000000000");
	r.value = -2e12;
	REFUSED(store_reading_add(S, &r, &E), "temp", "out of range");
	r.value = -40;
	OK(store_reading_add(S, &r, &E));
}
END_TEST

START_TEST(pm_schedules)
{
	struct wr_pm p;

	plant();
	wr_pm_init(&p);
	wr_strlcpy(p.code, "PM-1", sizeof p.code);
	wr_strlcpy(p.asset_tag, "P-1", sizeof p.asset_tag);
	p.interval = 361;
	REFUSED(store_pm_put(S, &p, &E), "PM PM-1: interval: 361", "1 to 360 months");
	p.unit = PU_WEEK;
	p.interval = 1566;
	REFUSED(store_pm_put(S, &p, &E), "interval: 1566", "1 to 1565 weeks");
	p.unit = PU_DAY;
	p.interval = 10957;
	p.lead_days = 366;
	REFUSED(store_pm_put(S, &p, &E), "lead-days: 366", "0 to 365 days");
	p.lead_days = 7;
	p.est_hours = 1e5;
	REFUSED(store_pm_put(S, &p, &E), "est-hours: 100000", "0 to 10000 hours");
	p.est_hours = 2;
	OK(store_pm_put(S, &p, &E));

	REFUSED(store_pm_set(S, "PM-1", "interval", "10958", &E), "interval: 10958",
	        "1 to 10957 days");
	REFUSED(store_pm_set(S, "PM-1", "unit", "month", &E), "interval: 10957", "1 to 360 months");
	REFUSED(store_pm_set(S, "PM-1", "lead-days", "3650", &E), "lead-days: 3650",
	        "0 to 365 days");
	REFUSED(store_pm_set(S, "PM-1", "est-hours", "1e300", &E), "est-hours: 1e300", "hours");
	OK(store_pm_set(S, "PM-1", "interval", "30", &E));
	OK(store_pm_set(S, "PM-1", "unit", "month", &E));
	OK(store_pm_set(S, "PM-1", "lead-days", "", &E));
	OK(store_pm_get(S, "PM-1", &p, &E));
	ck_assert_int_eq(p.interval, 30);
	ck_assert_int_eq(p.unit, PU_MONTH);
	ck_assert_int_eq(p.lead_days, 0);
	wr_pm_clear(&p);
}
END_TEST

/* ------------------------------------------------------------- import */

static char why_buf[600];
static int nbad;

static void on_bad(size_t line, const char *reason, void *ctx)
{
	(void)line;
	(void)ctx;
	if (nbad++ == 0)
		wr_strlcpy(why_buf, reason, sizeof why_buf);
}

static int import_text(const char *entity, const char *text, char *why, size_t nwhy)
{
	char path[600];
	const char *slash = strrchr(P, '/');
	struct csvio_import_opts o;
	FILE *f;
	int ent, rc;

	snprintf(path, sizeof path, "%.*s/in.csv", (int)(slash - P), P);
	ck_assert((f = fopen(path, "wb")) != NULL);
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(csvio_entity_parse(entity, &ent), WR_OK);
	memset(&o, 0, sizeof o);
	o.on_bad = on_bad;
	nbad = 0;
	why_buf[0] = '\0';
	memset(&E, 0, sizeof E);
	rc = csvio_import(S, ent, path, &o, NULL, &E);
	unlink(path);
	wr_strlcpy(why, why_buf, nwhy);
	return rc;
}

#define IMPORT_REFUSED(entity, text, a, b)                                                \
	do {                                                                                  \
		char why_[600];                                                                   \
		ck_assert_int_eq(import_text(entity, text, why_, sizeof why_), WR_EINPUT);        \
		ck_assert_int_eq(nbad, 1);                                                        \
		ck_assert_msg(strstr(why_, a) && strstr(why_, b), "%s", why_);                    \
	} while (0)

START_TEST(csv_import)
{
	char why[600];
	struct wr_pm p;

	plant();
	IMPORT_REFUSED("workorders", "number,title,est_hours\nW-1,a,1e300\nW-2,b,3\n",
	               "est_hours: 1e+300", "0 to 10000 hours");
	IMPORT_REFUSED("workorders", "number,title,est_hours\nW-1,a,-1\n", "est_hours: -1",
	               "0 to 10000");
	IMPORT_REFUSED("pms", "code,interval,unit,est_hours\nPM-1,1,month,20000\n", "est_hours",
	               "0 to 10000 hours");
	IMPORT_REFUSED("pms", "code,interval,unit\nPM-1,400,month\n", "interval: 400",
	               "1 to 360 months");
	/* A year is twelve months: 31 years is past the bound. */
	IMPORT_REFUSED("pms", "code,interval,unit\nPM-1,31,year\n", "interval: 372",
	               "1 to 360 months");
	IMPORT_REFUSED("pms", "code,interval,unit,lead_days\nPM-1,1,month,400\n", "lead_days: 400",
	               "0 to 365 days");
	OK(import_text("meters", "asset,name,kind\nP-1,hours,runhours\n", why, sizeof why));
	IMPORT_REFUSED("pms", "code,asset,kind,meter,meter_interval\nPM-2,P-1,meter,hours,2e9\n",
	               "meter_interval: 2000000000", "more than 0, up to 1000000000");
	IMPORT_REFUSED("pms", "code,asset,kind,meter,meter_interval\nPM-2,P-1,meter,hours,0\n",
	               "meter_interval: 0", "more than 0");
	IMPORT_REFUSED("readings", "asset,meter,at,value\nP-1,hours,2024-01-01,1e13\n",
	               "value: 10000000000000", "-1000000000000 to 1000000000000");

	OK(import_text("pms", "code,interval,unit,lead_days,est_hours\nPM-1,30,year,365,10000\n",
	               why, sizeof why));
	OK(store_pm_get(S, "PM-1", &p, &E));
	ck_assert_int_eq(p.interval, 360);
	ck_assert_int_eq(p.lead_days, 365);
	ck_assert(p.est_hours == 10000);
	wr_pm_clear(&p);
}
END_TEST

static int count_wo(const struct wr_wo *w, void *ctx)
{
	(void)w;
	++*(int *)ctx;
	return 0;
}

static int count_asset(const struct wr_asset *a, void *ctx)
{
	(void)a;
	++*(int *)ctx;
	return 0;
}

START_TEST(search_length)
{
	static char longest[WR_SEARCH_MAX + 1], huge[60001];
	struct wr_wo_filter f;
	struct wr_wo w[4];
	struct wr_asset a[4];
	int64_t count;
	int n = 0;

	plant();
	memset(longest, 'x', WR_SEARCH_MAX);
	memset(huge, 'x', sizeof huge - 1);
	memset(&f, 0, sizeof f);
	f.search = longest;
	OK(store_search_check(longest, &E));
	OK(store_search_check(NULL, &E));
	OK(store_wo_list(S, &f, count_wo, &n, &E));
	OK(store_asset_list(S, longest, count_asset, &n, &E));
	ck_assert_int_eq(n, 0);

	/* Past the limit every search says so before reading anything. */
	f.search = huge;
	REFUSED(store_search_check(huge, &E), "60000 bytes", "longer than the 200");
	REFUSED(store_wo_list(S, &f, count_wo, &n, &E), "60000 bytes", "200");
	REFUSED(store_wo_page(S, &f, 0, 0, 4, w, &n, &E), "60000 bytes", "200");
	REFUSED(store_wo_count(S, &f, &count, &E), "60000 bytes", "200");
	REFUSED(store_asset_list(S, huge, count_asset, &n, &E), "60000 bytes", "200");
	REFUSED(store_asset_page(S, huge, NULL, 0, 4, a, &n, &E), "60000 bytes", "200");
	ck_assert_int_eq(n, 0);
}
END_TEST

static Suite *bounds_suite(void)
{
	Suite *s = suite_create("store_bounds");
	TCase *tc = tcase_create("numbers");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, check_and_parse);
	tcase_add_test(tc, record_functions);
	tcase_add_test(tc, pm_schedules);
	tcase_add_test(tc, csv_import);
	tcase_add_test(tc, search_length);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(bounds_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
