/*
 * test_store_pm.c - PM schedules and the PM engine: defaults, put/set with
 * audit and no-op re-puts, fixed grids (month ends, no drift, no skipping),
 * floating schedules advancing from completion, meter schedules, lead time,
 * idempotent generation with one open occurrence per schedule, cancelled
 * occurrences, checklists copied to work orders, and the workload forecast.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/testdb.h"
#include "store.h"

static struct store *S;
static char P[512];
static struct wr_err E;

static void setup(void)
{
	setenv("WRENCH_TODAY", "2024-01-01", 1);
	S = testdb_open(P, sizeof P);
	memset(&E, 0, sizeof E);
}

static void teardown(void)
{
	testdb_close(S, P);
	S = NULL;
	unsetenv("WRENCH_TODAY");
}

#define OK(call) ck_assert_msg((call) == WR_OK, "%s failed: %s", #call, E.msg)

static int64_t day(int y, int m, int d)
{
	return wr_date_from_ymd(y, m, d);
}

static void today_is(const char *ymd)
{
	setenv("WRENCH_TODAY", ymd, 1);
}

static void calendar_pm(const char *code, int64_t start, int interval, int unit, int floating)
{
	struct wr_pm p;
	wr_pm_init(&p);
	wr_strlcpy(p.code, code, sizeof p.code);
	wr_strlcpy(p.title, code, sizeof p.title);
	wr_strlcpy(p.asset_tag, "A-1", sizeof p.asset_tag);
	p.start_date = start;
	p.interval = interval;
	p.unit = unit;
	p.floating = floating;
	OK(store_pm_put(S, &p, &E));
}

static struct wr_pm pm(const char *code)
{
	struct wr_pm p;
	OK(store_pm_get(S, code, &p, &E));
	return p;
}

struct due_rows {
	int n;
	struct wr_pm_due d[16];
};

static int collect_due(const struct wr_pm_due *d, void *ctx)
{
	struct due_rows *r = ctx;
	if (r->n < 16)
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

static int generate(int64_t today, int days)
{
	int n = -1;
	OK(store_pm_generate(S, today, days, &n, &E));
	return n;
}

/* The number of the work order generated for a PM's occurrence due at t. */
static void wo_of(const char *code, int64_t t, char *num)
{
	struct due_rows r = due(t, 0);
	num[0] = '\0';
	for (int i = 0; i < r.n; i++)
		if (!strcmp(r.d[i].pm_code, code) && r.d[i].due_at == t)
			wr_strlcpy(num, r.d[i].wo_number, 32);
	ck_assert_msg(num[0], "no work order for %s at that date", code);
}

static void complete(const char *num, const char *on)
{
	today_is(on);
	OK(store_wo_transition(S, num, WS_DONE, &E));
}

/* ------------------------------------------------------------------ records */

START_TEST(pm_init_defaults)
{
	struct wr_pm p;
	wr_pm_init(&p);
	ck_assert_int_eq(p.kind, PK_CALENDAR);
	ck_assert_int_eq(p.floating, 0);
	ck_assert_int_eq(p.interval, 1);
	ck_assert_int_eq(p.unit, PU_MONTH);
	ck_assert_int_eq(p.wo_type, WT_PREVENTIVE);
	ck_assert_int_eq(p.priority, PR_MEDIUM);
	ck_assert_int_eq(p.active, 1);
	ck_assert_int_eq(p.last_done, WR_NO_TIME);
	ck_assert_int_eq(p.next_due, WR_NO_TIME);
	ck_assert(isnan(p.last_meter) && isnan(p.next_meter));
	ck_assert(p.checklist == NULL);
}
END_TEST

START_TEST(pm_put_get_noop_and_refusals)
{
	struct wr_pm p, g;

	testdb_add_asset(S, "A-1", NULL);
	wr_pm_init(&p);
	wr_strlcpy(p.code, "PM-OIL", sizeof p.code);
	wr_strlcpy(p.title, "Oil change", sizeof p.title);
	wr_strlcpy(p.asset_tag, "A-1", sizeof p.asset_tag);
	p.start_date = day(2024, 1, 31);
	p.est_hours = 1.5;
	p.checklist = "Drain\nFill";
	OK(store_pm_put(S, &p, &E));
	g = pm("PM-OIL");
	ck_assert_str_eq(g.title, "Oil change");
	ck_assert_str_eq(g.asset_tag, "A-1");
	ck_assert_int_eq(g.start_date, day(2024, 1, 31));
	ck_assert_int_eq(g.next_due, day(2024, 1, 31));   /* never done: the start */
	ck_assert(isnan(g.next_meter));
	ck_assert_str_eq(g.checklist, "Drain\nFill");
	ck_assert_int_eq(g.version, 1);
	ck_assert(wr_uuid_valid(g.uuid));
	wr_pm_clear(&g);

	/* The same record again changes nothing. */
	OK(store_pm_put(S, &p, &E));
	g = pm("PM-OIL");
	ck_assert_int_eq(g.version, 1);
	wr_pm_clear(&g);
	/* Absent dates keep what is stored (a re-import without them). */
	p.start_date = WR_NO_TIME;
	OK(store_pm_put(S, &p, &E));
	g = pm("PM-OIL");
	ck_assert_int_eq(g.version, 1);
	ck_assert_int_eq(g.start_date, day(2024, 1, 31));
	wr_pm_clear(&g);
	wr_strlcpy(p.title, "Oil and filter", sizeof p.title);
	OK(store_pm_put(S, &p, &E));
	g = pm("PM-OIL");
	ck_assert_int_eq(g.version, 2);
	ck_assert_str_eq(g.title, "Oil and filter");
	wr_pm_clear(&g);

	/* Refusals. */
	struct wr_pm b = p;
	b.interval = 0;
	ck_assert_int_eq(store_pm_put(S, &b, &E), WR_EINPUT);
	b = p;
	wr_strlcpy(b.asset_tag, "NOPE", sizeof b.asset_tag);
	ck_assert_int_eq(store_pm_put(S, &b, &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "NOPE") != NULL, "%s", E.msg);
	b = p;
	b.kind = PK_METER;
	ck_assert_int_eq(store_pm_put(S, &b, &E), WR_EINPUT);
	wr_strlcpy(b.meter, "hours", sizeof b.meter);
	b.meter_interval = 100;
	ck_assert_int_eq(store_pm_put(S, &b, &E), WR_EINPUT);   /* no such meter */
	ck_assert_msg(strstr(E.msg, "hours") != NULL, "%s", E.msg);
	b = p;
	b.code[0] = '\0';
	ck_assert_int_eq(store_pm_put(S, &b, &E), WR_EINPUT);
	ck_assert_int_eq(store_pm_get(S, "PM-NONE", &g, &E), WR_ENOTFOUND);
	g = pm("PM-OIL");
	ck_assert_int_eq(g.version, 2);
	wr_pm_clear(&g);
}
END_TEST

START_TEST(pm_set_recomputes)
{
	struct wr_pm g;

	testdb_add_asset(S, "A-1", NULL);
	calendar_pm("PM-F", day(2024, 1, 10), 1, PU_MONTH, 1);
	OK(store_pm_set(S, "PM-F", "last-done", "2024-02-01", &E));
	g = pm("PM-F");
	ck_assert_int_eq(g.next_due, day(2024, 3, 1));
	OK(store_pm_set(S, "PM-F", "interval", "2", &E));
	g = pm("PM-F");
	ck_assert_int_eq(g.next_due, day(2024, 4, 1));
	OK(store_pm_set(S, "PM-F", "unit", "weeks", &E));
	g = pm("PM-F");
	ck_assert_int_eq(g.next_due, day(2024, 2, 15));
	OK(store_pm_set(S, "PM-F", "next-due", "2024-05-05", &E));
	g = pm("PM-F");
	ck_assert_int_eq(g.next_due, day(2024, 5, 5));
	OK(store_pm_set(S, "PM-F", "title", "Renamed", &E));   /* not a schedule field */
	g = pm("PM-F");
	ck_assert_int_eq(g.next_due, day(2024, 5, 5));
	ck_assert_str_eq(g.title, "Renamed");
	OK(store_pm_set(S, "PM-F", "checklist", "One\nTwo", &E));
	g = pm("PM-F");
	ck_assert_str_eq(g.checklist, "One\nTwo");
	wr_pm_clear(&g);
	OK(store_pm_set(S, "PM-F", "active", "no", &E));
	g = pm("PM-F");
	ck_assert_int_eq(g.active, 0);
	wr_pm_clear(&g);
	ck_assert_int_eq(store_pm_set(S, "PM-F", "every", "2", &E), WR_EINPUT);
	ck_assert_msg(strstr(E.msg, "interval") && strstr(E.msg, "lead-days"), "%s", E.msg);
	ck_assert_int_eq(store_pm_set(S, "PM-F", "interval", "0", &E), WR_EINPUT);
	ck_assert_int_eq(store_pm_set(S, "PM-F", "unit", "fortnight", &E), WR_EINPUT);
	ck_assert_int_eq(store_pm_set(S, "PM-X", "title", "x", &E), WR_ENOTFOUND);

	/* A fixed schedule's last completion counts for the nearest grid date:
	 * done Feb 27 is March's (early), done Feb 10 is February's (late). */
	calendar_pm("PM-G", day(2024, 1, 1), 1, PU_MONTH, 0);
	OK(store_pm_set(S, "PM-G", "last-done", "2024-02-27", &E));
	g = pm("PM-G");
	ck_assert_int_eq(g.next_due, day(2024, 4, 1));
	OK(store_pm_set(S, "PM-G", "last-done", "2024-02-10", &E));
	g = pm("PM-G");
	ck_assert_int_eq(g.next_due, day(2024, 3, 1));
	OK(store_pm_set(S, "PM-G", "last-done", "", &E));
	g = pm("PM-G");
	ck_assert_int_eq(g.next_due, day(2024, 1, 1));
}
END_TEST

/* ------------------------------------------------------------ calendar */

START_TEST(fixed_grid_month_ends_no_drift_no_skip)
{
	char n[32];
	struct wr_pm g;

	testdb_add_asset(S, "A-1", NULL);
	calendar_pm("PM-M", day(2024, 1, 31), 1, PU_MONTH, 0);
	ck_assert_int_eq(generate(day(2024, 1, 31), 0), 1);
	wo_of("PM-M", day(2024, 1, 31), n);
	complete(n, "2024-02-05");
	g = pm("PM-M");
	ck_assert_int_eq(g.last_done, day(2024, 2, 5));
	ck_assert_int_eq(g.next_due, day(2024, 2, 29));   /* clamped: leap February */

	ck_assert_int_eq(generate(day(2024, 2, 29), 0), 1);
	wo_of("PM-M", day(2024, 2, 29), n);
	complete(n, "2024-02-29");
	g = pm("PM-M");
	ck_assert_int_eq(g.next_due, day(2024, 3, 31));   /* from the start: no drift */

	/* Done six weeks late: the grid stays; the next one is already due. */
	ck_assert_int_eq(generate(day(2024, 3, 31), 0), 1);
	wo_of("PM-M", day(2024, 3, 31), n);
	complete(n, "2024-05-10");
	g = pm("PM-M");
	ck_assert_int_eq(g.next_due, day(2024, 4, 30));
	struct due_rows r = due(day(2024, 5, 10), 0);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.d[0].due_at, day(2024, 4, 30));
	ck_assert_int_eq(r.d[0].overdue, 1);
}
END_TEST

START_TEST(floating_advances_from_completion)
{
	char n[32];
	struct wr_pm g;

	testdb_add_asset(S, "A-1", NULL);
	calendar_pm("PM-F", day(2024, 1, 10), 30, PU_DAY, 1);
	ck_assert_int_eq(generate(day(2024, 1, 10), 0), 1);
	wo_of("PM-F", day(2024, 1, 10), n);
	complete(n, "2024-01-20");
	g = pm("PM-F");
	ck_assert_int_eq(g.last_done, day(2024, 1, 20));
	ck_assert_int_eq(g.next_due, day(2024, 2, 19));

	/* The same with a fixed schedule keeps the grid: Feb 9. */
	calendar_pm("PM-X", day(2024, 1, 10), 30, PU_DAY, 0);
	ck_assert_int_eq(generate(day(2024, 1, 10), 0), 1);
	wo_of("PM-X", day(2024, 1, 10), n);
	complete(n, "2024-01-20");
	g = pm("PM-X");
	ck_assert_int_eq(g.next_due, day(2024, 2, 9));
}
END_TEST

START_TEST(missed_occurrences_one_at_a_time)
{
	char n[32];
	struct due_rows r;

	testdb_add_asset(S, "A-1", NULL);
	calendar_pm("PM-W", day(2023, 11, 1), 1, PU_WEEK, 0);
	r = due(day(2024, 1, 15), 0);
	ck_assert_int_eq(r.n, 1);   /* not eleven */
	ck_assert_int_eq(r.d[0].due_at, day(2023, 11, 1));
	ck_assert_int_eq(r.d[0].overdue, 1);
	ck_assert_str_eq(r.d[0].wo_number, "");
	ck_assert_str_eq(r.d[0].asset_tag, "A-1");

	ck_assert_int_eq(generate(day(2024, 1, 15), 0), 1);
	ck_assert_int_eq(generate(day(2024, 1, 15), 0), 0);   /* idempotent */
	ck_assert_int_eq(generate(day(2024, 1, 15), 30), 0);  /* still one open */
	r = due(day(2024, 1, 15), 0);
	ck_assert_int_eq(r.n, 1);
	ck_assert(r.d[0].wo_number[0] != '\0');
	wr_strlcpy(n, r.d[0].wo_number, sizeof n);

	struct wr_wo w;
	OK(store_wo_get(S, n, &w, &E));
	ck_assert_int_eq(w.due_at, day(2023, 11, 1));
	ck_assert_str_eq(w.pm_code, "PM-W");
	ck_assert_int_eq(w.type, WT_PREVENTIVE);
	wr_wo_clear(&w);

	complete(n, "2024-01-15");
	r = due(day(2024, 1, 15), 0);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.d[0].due_at, day(2023, 11, 8));
	ck_assert_int_eq(generate(day(2024, 1, 15), 0), 1);
	int64_t total;
	struct wr_wo_filter f;
	memset(&f, 0, sizeof f);
	OK(store_wo_count(S, &f, &total, &E));
	ck_assert_int_eq(total, 2);
}
END_TEST

START_TEST(lead_time)
{
	struct wr_pm p;
	struct due_rows r;

	testdb_add_asset(S, "A-1", NULL);
	wr_pm_init(&p);
	wr_strlcpy(p.code, "PM-L", sizeof p.code);
	wr_strlcpy(p.asset_tag, "A-1", sizeof p.asset_tag);
	p.start_date = day(2024, 3, 10);
	p.lead_days = 7;
	OK(store_pm_put(S, &p, &E));
	ck_assert_int_eq(generate(day(2024, 3, 1), 0), 0);
	ck_assert_int_eq(generate(day(2024, 3, 2), 0), 0);
	r = due(day(2024, 3, 3), 0);
	ck_assert_int_eq(r.n, 0);   /* due is about the due date, not the lead */
	ck_assert_int_eq(generate(day(2024, 3, 3), 0), 1);   /* Mar 10 - 7 days */
	r = due(day(2024, 3, 3), 7);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.d[0].overdue, 0);
	ck_assert(r.d[0].wo_number[0]);
	/* A horizon reaches the lead window too. */
	calendar_pm("PM-H", day(2024, 3, 20), 1, PU_MONTH, 0);
	ck_assert_int_eq(generate(day(2024, 3, 3), 16), 0);
	ck_assert_int_eq(generate(day(2024, 3, 3), 17), 1);
}
END_TEST

START_TEST(cancel_skips_occurrence)
{
	char n[32];
	struct wr_pm g;

	testdb_add_asset(S, "A-1", NULL);
	calendar_pm("PM-C", day(2024, 1, 1), 1, PU_MONTH, 0);
	ck_assert_int_eq(generate(day(2024, 1, 1), 0), 1);
	wo_of("PM-C", day(2024, 1, 1), n);
	OK(store_wo_transition(S, n, WS_CANCELLED, &E));
	g = pm("PM-C");
	ck_assert_int_eq(g.next_due, day(2024, 2, 1));
	ck_assert_int_eq(g.last_done, WR_NO_TIME);
	ck_assert_int_eq(generate(day(2024, 2, 1), 0), 1);
}
END_TEST

struct check_rows {
	int n;
	char task[4][64];
	int seq[4];
};

static int collect_check(const struct wr_check_item *it, void *ctx)
{
	struct check_rows *c = ctx;
	if (c->n < 4) {
		wr_strlcpy(c->task[c->n], it->task, sizeof c->task[0]);
		c->seq[c->n] = it->seq;
		c->n++;
	}
	return 0;
}

START_TEST(generated_fields_and_checklist)
{
	struct wr_pm p;
	char n[32];

	testdb_add_asset(S, "A-1", NULL);
	wr_pm_init(&p);
	wr_strlcpy(p.code, "PM-K", sizeof p.code);
	wr_strlcpy(p.title, "Quarterly inspection", sizeof p.title);
	wr_strlcpy(p.asset_tag, "A-1", sizeof p.asset_tag);
	wr_strlcpy(p.assignee, "ann", sizeof p.assignee);
	p.start_date = day(2024, 1, 1);
	p.interval = 3;
	p.est_hours = 1.5;
	p.priority = PR_HIGH;
	p.wo_type = WT_INSPECTION;
	p.checklist = "Check oil\n\n  Grease bearings \nInspect belt\n";
	OK(store_pm_put(S, &p, &E));
	ck_assert_int_eq(generate(day(2024, 1, 1), 0), 1);
	wo_of("PM-K", day(2024, 1, 1), n);

	struct wr_wo w;
	OK(store_wo_get(S, n, &w, &E));
	ck_assert_str_eq(w.title, "Quarterly inspection");
	ck_assert_int_eq(w.type, WT_INSPECTION);
	ck_assert_int_eq(w.priority, PR_HIGH);
	ck_assert_str_eq(w.assignee, "ann");
	ck_assert_str_eq(w.asset_tag, "A-1");
	ck_assert(fabs(w.est_hours - 1.5) < 1e-9);
	ck_assert_int_eq(w.status, WS_OPEN);
	wr_wo_clear(&w);

	struct check_rows c = {0};
	OK(store_check_list(S, n, collect_check, &c, &E));
	ck_assert_int_eq(c.n, 3);
	ck_assert_str_eq(c.task[0], "Check oil");
	ck_assert_str_eq(c.task[1], "Grease bearings");
	ck_assert_str_eq(c.task[2], "Inspect belt");
	ck_assert_int_eq(c.seq[2], 3);
	/* Quarterly: done on time, next is April. */
	complete(n, "2024-01-01");
	struct wr_pm g = pm("PM-K");
	ck_assert_int_eq(g.next_due, day(2024, 4, 1));
	wr_pm_clear(&g);
}
END_TEST

/* ---------------------------------------------------------------- meter */

static void reading(const char *at, double v)
{
	struct wr_reading r;
	memset(&r, 0, sizeof r);
	wr_strlcpy(r.asset_tag, "C-1", sizeof r.asset_tag);
	wr_strlcpy(r.meter, "hours", sizeof r.meter);
	ck_assert_int_eq(wr_date_parse(at, &r.at, &E), WR_OK);
	r.value = v;
	OK(store_reading_add(S, &r, &E));
}

START_TEST(meter_schedule)
{
	struct wr_meter m;
	struct wr_pm p, g;
	struct due_rows r;

	testdb_add_asset(S, "C-1", NULL);
	memset(&m, 0, sizeof m);
	wr_strlcpy(m.asset_tag, "C-1", sizeof m.asset_tag);
	wr_strlcpy(m.name, "hours", sizeof m.name);
	wr_strlcpy(m.unit, "h", sizeof m.unit);
	m.kind = MK_RUNHOURS;
	OK(store_meter_put(S, &m, &E));

	wr_pm_init(&p);
	wr_strlcpy(p.code, "PM-250H", sizeof p.code);
	wr_strlcpy(p.title, "250 h service", sizeof p.title);
	wr_strlcpy(p.asset_tag, "C-1", sizeof p.asset_tag);
	p.kind = PK_METER;
	wr_strlcpy(p.meter, "hours", sizeof p.meter);
	p.meter_interval = 250;
	OK(store_pm_put(S, &p, &E));
	g = pm("PM-250H");
	ck_assert(fabs(g.next_meter - 250) < 1e-9);
	ck_assert_int_eq(g.next_due, WR_NO_TIME);
	ck_assert_str_eq(g.meter, "hours");

	ck_assert_int_eq(due(day(2024, 1, 1), 0).n, 0);   /* no reading yet */
	reading("2024-01-02", 100);
	ck_assert_int_eq(due(day(2024, 1, 2), 365).n, 0);
	ck_assert_int_eq(generate(day(2024, 1, 2), 365), 0);
	reading("2024-01-20", 260);
	r = due(day(2024, 1, 20), 0);
	ck_assert_int_eq(r.n, 1);
	ck_assert(fabs(r.d[0].due_meter - 250) < 1e-9);
	ck_assert(fabs(r.d[0].meter_now - 260) < 1e-9);
	ck_assert_int_eq(r.d[0].due_at, WR_NO_TIME);
	ck_assert_int_eq(r.d[0].overdue, 1);
	ck_assert_int_eq(generate(day(2024, 1, 20), 0), 1);
	ck_assert_int_eq(generate(day(2024, 1, 20), 0), 0);
	r = due(day(2024, 1, 20), 0);
	ck_assert_int_eq(r.n, 1);
	char n[32];
	wr_strlcpy(n, r.d[0].wo_number, sizeof n);
	ck_assert(n[0]);
	struct wr_wo w;
	OK(store_wo_get(S, n, &w, &E));
	ck_assert_int_eq(w.due_at, day(2024, 1, 20));
	wr_wo_clear(&w);

	/* Done at 270 h: the next service is at 520 h. */
	reading("2024-01-22", 270);
	complete(n, "2024-01-22");
	g = pm("PM-250H");
	ck_assert(fabs(g.last_meter - 270) < 1e-9);
	ck_assert(fabs(g.next_meter - 520) < 1e-9);
	ck_assert_int_eq(g.last_done, day(2024, 1, 22));
	ck_assert_int_eq(generate(day(2024, 1, 22), 0), 0);
	reading("2024-02-20", 530);
	ck_assert_int_eq(generate(day(2024, 2, 20), 0), 1);
}
END_TEST

/* ------------------------------------------------------------- forecast */

START_TEST(forecast_weeks)
{
	double h[4];
	int c[4];
	struct wr_pm p;

	testdb_add_asset(S, "A-1", NULL);
	wr_pm_init(&p);
	wr_strlcpy(p.code, "W", sizeof p.code);
	wr_strlcpy(p.asset_tag, "A-1", sizeof p.asset_tag);
	p.start_date = day(2024, 4, 3);
	p.unit = PU_WEEK;
	p.est_hours = 2;
	OK(store_pm_put(S, &p, &E));
	wr_strlcpy(p.code, "M", sizeof p.code);
	p.start_date = day(2024, 4, 15);
	p.unit = PU_MONTH;
	p.est_hours = 5;
	OK(store_pm_put(S, &p, &E));
	wr_strlcpy(p.code, "F", sizeof p.code);
	p.start_date = day(2024, 3, 25);
	p.unit = PU_DAY;
	p.interval = 10;
	p.floating = 1;
	p.est_hours = 1;
	OK(store_pm_put(S, &p, &E));
	wr_strlcpy(p.code, "OFF", sizeof p.code);
	p.active = 0;
	p.est_hours = 100;
	OK(store_pm_put(S, &p, &E));

	/* W's Apr 3 (and F's overdue Mar 25) get work orders. */
	ck_assert_int_eq(generate(day(2024, 4, 3), 0), 2);
	char n[32];
	wo_of("W", day(2024, 4, 3), n);
	OK(store_wo_set(S, n, "est-hours", "3", &E));   /* counted from the work order */

	OK(store_pm_forecast(S, day(2024, 4, 1), 4, h, c, &E));
	/* week 0: W Apr 3 (work order, 3 h) + F Apr 4 (1 h)
	 * week 1: W Apr 10 (2) + F Apr 14 (1)
	 * week 2: W Apr 17 (2) + M Apr 15 (5)
	 * week 3: W Apr 24 (2) + F Apr 24 (1) */
	ck_assert(fabs(h[0] - 4) < 1e-9 && c[0] == 2);
	ck_assert(fabs(h[1] - 3) < 1e-9 && c[1] == 2);
	ck_assert(fabs(h[2] - 7) < 1e-9 && c[2] == 2);
	ck_assert(fabs(h[3] - 3) < 1e-9 && c[3] == 2);

	/* Done work is not planned work any more. */
	complete(n, "2024-04-03");
	OK(store_pm_forecast(S, day(2024, 4, 1), 4, h, c, &E));
	ck_assert(fabs(h[0] - 1) < 1e-9 && c[0] == 1);
	ck_assert(fabs(h[1] - 3) < 1e-9 && c[1] == 2);
}
END_TEST

/* Meter schedules are projected from the meter's recent rate of use. */
START_TEST(forecast_meter_schedules)
{
	struct wr_meter m;
	struct wr_pm p;
	double h[4];
	int c[4];

	testdb_add_asset(S, "C-1", NULL);
	memset(&m, 0, sizeof m);
	wr_strlcpy(m.asset_tag, "C-1", sizeof m.asset_tag);
	wr_strlcpy(m.name, "hours", sizeof m.name);
	m.kind = MK_RUNHOURS;
	OK(store_meter_put(S, &m, &E));
	wr_strlcpy(m.name, "pressure", sizeof m.name);
	m.kind = MK_GAUGE;
	OK(store_meter_put(S, &m, &E));

	wr_pm_init(&p);
	wr_strlcpy(p.code, "PM-100H", sizeof p.code);
	wr_strlcpy(p.asset_tag, "C-1", sizeof p.asset_tag);
	p.kind = PK_METER;
	wr_strlcpy(p.meter, "hours", sizeof p.meter);
	p.meter_interval = 100;
	p.last_meter = 1200;            /* next service at 1300 h */
	p.est_hours = 2;
	OK(store_pm_put(S, &p, &E));

	/* One reading: no rate yet, and 1300 h not reached: nothing planned. */
	reading("2024-01-01", 1000);
	OK(store_pm_forecast(S, day(2024, 1, 31), 4, h, c, &E));
	ck_assert_int_eq(c[0] + c[1] + c[2] + c[3], 0);

	/* 10 h a day since.  A reading from before the 90-day window is not
	 * used when the window has one (with it the rate would be 3.3 h a day). */
	reading("2023-01-01", 0);
	reading("2024-01-11", 1100);
	reading("2024-01-31", 1300);
	OK(store_pm_forecast(S, day(2024, 1, 31), 4, h, c, &E));
	/* week 0 (Jan 31 - Feb 6): 1300 h, reached on Jan 31
	 * week 1 (Feb 7 - 13):     1400 h on Feb 10
	 * week 2 (Feb 14 - 20):    1500 h on Feb 20
	 * week 3 (Feb 21 - 27):    nothing; 1600 h falls on Mar 1 */
	ck_assert_int_eq(c[0], 1);
	ck_assert_int_eq(c[1], 1);
	ck_assert_int_eq(c[2], 1);
	ck_assert_int_eq(c[3], 0);
	ck_assert(fabs(h[0] + h[1] + h[2] - 6) < 1e-9);

	/* The reached occurrence gets its work order: counted once, from it. */
	ck_assert_int_eq(generate(day(2024, 1, 31), 0), 1);
	OK(store_pm_forecast(S, day(2024, 1, 31), 4, h, c, &E));
	ck_assert_int_eq(c[0], 1);
	ck_assert_int_eq(c[1] + c[2] + c[3], 2);

	/* A gauge has no rate of use: a schedule on it counts the value it
	 * has reached, and nothing is projected from its rise. */
	wr_strlcpy(p.code, "PM-GAUGE", sizeof p.code);
	wr_strlcpy(p.meter, "pressure", sizeof p.meter);
	p.meter_interval = 1;
	p.last_meter = 0;
	OK(store_pm_put(S, &p, &E));
	struct wr_reading r;
	memset(&r, 0, sizeof r);
	wr_strlcpy(r.asset_tag, "C-1", sizeof r.asset_tag);
	wr_strlcpy(r.meter, "pressure", sizeof r.meter);
	r.at = day(2024, 1, 1);
	r.value = 0.5;
	OK(store_reading_add(S, &r, &E));
	r.at = day(2024, 1, 31);
	r.value = 4;
	OK(store_reading_add(S, &r, &E));
	OK(store_pm_forecast(S, day(2024, 1, 31), 4, h, c, &E));
	ck_assert_int_eq(c[0], 2);
	ck_assert_int_eq(c[0] + c[1] + c[2] + c[3], 4);
}
END_TEST

static int collect_code(const struct wr_pm *p, void *ctx)
{
	char *s = ctx;
	strcat(s, p->code);
	strcat(s, " ");
	return 0;
}

START_TEST(list_by_code)
{
	char s[64] = "";
	testdb_add_asset(S, "A-1", NULL);
	calendar_pm("B", day(2024, 1, 1), 1, PU_MONTH, 0);
	calendar_pm("A", day(2024, 1, 1), 1, PU_MONTH, 0);
	calendar_pm("C", day(2024, 1, 1), 1, PU_MONTH, 0);
	OK(store_pm_list(S, collect_code, s, &E));
	ck_assert_str_eq(s, "A B C ");
}
END_TEST

/* Pages forward and backward, each in ascending code order and at most the
 * limit, put together give exactly store_pm_list's order. */
START_TEST(page_by_code)
{
	static const char *const codes[] = {"PM-E", "PM-B", "PM-G", "PM-A", "PM-F", "PM-C", "PM-D"};
	struct wr_pm rows[3];
	char all[256] = "", fwd[256] = "", back[256] = "", tmp[256], after[64] = "";
	int n = -1, pages = 0;

	/* An empty table: no rows either way, and a zero limit reads nothing. */
	OK(store_pm_page(S, NULL, 0, 3, rows, &n, &E));
	ck_assert_int_eq(n, 0);
	OK(store_pm_page(S, NULL, 1, 3, rows, &n, &E));
	ck_assert_int_eq(n, 0);
	OK(store_pm_page(S, "PM-A", 1, 3, rows, &n, &E));
	ck_assert_int_eq(n, 0);

	testdb_add_asset(S, "A-1", NULL);
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		calendar_pm(codes[i], day(2024, 1, 1), 1, PU_MONTH, 0);
	OK(store_pm_set(S, "PM-C", "checklist", "Drain\nFill", &E));
	OK(store_pm_list(S, collect_code, all, &E));
	ck_assert_str_eq(all, "PM-A PM-B PM-C PM-D PM-E PM-F PM-G ");
	int64_t count = -1;
	OK(store_pm_count(S, &count, &E));
	ck_assert_int_eq(count, 7);
	OK(store_pm_page(S, "", 0, 0, rows, &n, &E));
	ck_assert_int_eq(n, 0);

	/* Forward from the start ("" as NULL) until a short page. */
	do {
		OK(store_pm_page(S, after, 0, 3, rows, &n, &E));
		ck_assert_int_le(n, 3);
		for (int i = 0; i < n; i++) {
			if (i > 0)
				ck_assert(strcmp(rows[i - 1].code, rows[i].code) < 0);
			if (!strcmp(rows[i].code, "PM-C"))
				ck_assert_str_eq(rows[i].checklist, "Drain\nFill");
			strcat(fwd, rows[i].code);
			strcat(fwd, " ");
		}
		if (n > 0)
			wr_strlcpy(after, rows[n - 1].code, sizeof after);
		for (int i = 0; i < n; i++)
			wr_pm_clear(&rows[i]);
		ck_assert_int_lt(++pages, 10);
	} while (n == 3);
	ck_assert_str_eq(fwd, all);
	ck_assert_int_eq(pages, 3);

	/* Backward from the end, each page put before what came already. */
	after[0] = '\0';
	pages = 0;
	do {
		OK(store_pm_page(S, after[0] ? after : NULL, 1, 3, rows, &n, &E));
		ck_assert_int_le(n, 3);
		tmp[0] = '\0';
		for (int i = 0; i < n; i++) {
			if (i > 0)
				ck_assert(strcmp(rows[i - 1].code, rows[i].code) < 0);
			strcat(tmp, rows[i].code);
			strcat(tmp, " ");
		}
		if (n > 0)
			wr_strlcpy(after, rows[0].code, sizeof after);
		for (int i = 0; i < n; i++)
			wr_pm_clear(&rows[i]);
		strcat(tmp, back);
		strcpy(back, tmp);
		ck_assert_int_lt(++pages, 10);
	} while (n == 3);
	ck_assert_str_eq(back, all);
	ck_assert_int_eq(pages, 3);

	/* An anchor that is not a code pages from where it would sort. */
	OK(store_pm_page(S, "PM-B5", 0, 2, rows, &n, &E));
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(rows[0].code, "PM-C");
	ck_assert_str_eq(rows[1].code, "PM-D");
	wr_pm_clear(&rows[0]);
	wr_pm_clear(&rows[1]);
	OK(store_pm_page(S, "PM-B5", 1, 3, rows, &n, &E));
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(rows[0].code, "PM-A");
	ck_assert_str_eq(rows[1].code, "PM-B");
	wr_pm_clear(&rows[0]);
	wr_pm_clear(&rows[1]);
	/* Past either end: nothing. */
	OK(store_pm_page(S, "PM-G", 0, 3, rows, &n, &E));
	ck_assert_int_eq(n, 0);
	OK(store_pm_page(S, "PM-A", 1, 3, rows, &n, &E));
	ck_assert_int_eq(n, 0);
}
END_TEST

static Suite *pm_suite(void)
{
	Suite *s = suite_create("store_pm");
	TCase *tc = tcase_create("pm");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, pm_init_defaults);
	tcase_add_test(tc, pm_put_get_noop_and_refusals);
	tcase_add_test(tc, pm_set_recomputes);
	tcase_add_test(tc, fixed_grid_month_ends_no_drift_no_skip);
	tcase_add_test(tc, floating_advances_from_completion);
	tcase_add_test(tc, missed_occurrences_one_at_a_time);
	tcase_add_test(tc, lead_time);
	tcase_add_test(tc, cancel_skips_occurrence);
	tcase_add_test(tc, generated_fields_and_checklist);
	tcase_add_test(tc, meter_schedule);
	tcase_add_test(tc, forecast_weeks);
	tcase_add_test(tc, forecast_meter_schedules);
	tcase_add_test(tc, list_by_code);
	tcase_add_test(tc, page_by_code);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pm_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
