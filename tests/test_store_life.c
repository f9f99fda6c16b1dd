/*
 * test_store_life.c - store_life_load(): the shape of the life-data arrays,
 * same-instant deduplication, failure-code and class filters, run-hours
 * interpolation, the same shape on a large plant, and the same arrays when
 * read in two halves on two connections.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/testdb.h"
#include "store.h"
#include "../store/internal.h"   /* bulk rows for the large plant */

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

static int64_t day(int y, int m, int d)
{
	return wr_date_from_ymd(y, m, d);
}

static double days(int64_t t)
{
	return (double)t / WR_DAY;
}

static void asset(const char *tag, const char *cls, const char *model, int64_t install,
                  int status)
{
	struct wr_asset a;
	wr_asset_init(&a);
	wr_strlcpy(a.tag, tag, sizeof a.tag);
	wr_strlcpy(a.cls, cls, sizeof a.cls);
	wr_strlcpy(a.model, model, sizeof a.model);
	a.install_date = install;
	a.status = status;
	OK(store_asset_put(S, &a, &E));
}

static void event(const char *tag, int64_t at, int kind, const char *code)
{
	struct wr_event ev;
	memset(&ev, 0, sizeof ev);
	wr_strlcpy(ev.asset_tag, tag, sizeof ev.asset_tag);
	ev.at = at;
	ev.kind = kind;
	wr_strlcpy(ev.code, code, sizeof ev.code);
	OK(store_event_add(S, &ev, &E));
}

static void meter(const char *tag, const char *name, int kind)
{
	struct wr_meter m;
	memset(&m, 0, sizeof m);
	wr_strlcpy(m.asset_tag, tag, sizeof m.asset_tag);
	wr_strlcpy(m.name, name, sizeof m.name);
	m.kind = kind;
	OK(store_meter_put(S, &m, &E));
}

static void reading(const char *tag, const char *name, int64_t at, double v)
{
	struct wr_reading r;
	memset(&r, 0, sizeof r);
	wr_strlcpy(r.asset_tag, tag, sizeof r.asset_tag);
	wr_strlcpy(r.meter, name, sizeof r.meter);
	r.at = at;
	r.value = v;
	OK(store_reading_add(S, &r, &E));
}

static const struct ld_unit *unit(const struct ld_set *ld, const char *tag)
{
	for (size_t i = 0; i < ld->nunits; i++)
		if (strcmp(ld->units[i].tag, tag) == 0)
			return &ld->units[i];
	ck_abort_msg("unit %s not loaded", tag);
	return NULL;
}

static const struct ld_event *ev_of(const struct ld_set *ld, const struct ld_unit *u, size_t i)
{
	ck_assert_uint_lt(i, u->nev);
	return &ld->events[u->ev0 + i];
}

START_TEST(empty_database)
{
	struct ld_set ld;
	OK(store_life_load(S, NULL, &ld, &E));
	ck_assert_uint_eq(ld.nunits, 0);
	ck_assert_uint_eq(ld.nevents, 0);
	ck_assert_uint_eq(ld.nreadings, 0);
	store_life_free(&ld);
	store_life_free(&ld);   /* twice is harmless */
	store_life_free(NULL);
}
END_TEST

START_TEST(shape_of_the_arrays)
{
	struct wr_life_opts o = {0};
	struct ld_set ld;
	const struct ld_unit *u;

	asset("P-1", "pump", "CR-10", day(2018, 1, 1), AS_OPERATIONAL);
	asset("P-2", "", "CR-10", WR_NO_TIME, AS_RETIRED);   /* class from the model */
	asset("P-3", "pump", "", WR_NO_TIME, AS_DOWN);       /* no history at all */
	event("P-1", day(2019, 3, 1) + 12 * 3600, EV_FAILURE, "BRG");
	event("P-1", day(2018, 1, 1), EV_INSTALL, "");
	event("P-1", day(2020, 7, 1), EV_REPLACEMENT, "");
	event("P-2", day(2017, 5, 1), EV_INSTALL, "");
	event("P-2", day(2018, 5, 1), EV_FAILURE, "");

	OK(store_life_load(S, &o, &ld, &E));
	ck_assert_uint_eq(ld.nunits, 3);
	ck_assert_uint_eq(ld.nevents, 5);
	ck_assert_uint_eq(ld.nreadings, 0);

	/* Units come in the order the assets were added. */
	ck_assert_str_eq(ld.units[0].tag, "P-1");
	ck_assert_str_eq(ld.units[1].tag, "P-2");
	ck_assert_str_eq(ld.units[2].tag, "P-3");

	u = unit(&ld, "P-1");
	ck_assert_str_eq(u->cls, "pump");
	ck_assert_double_eq(u->install, days(day(2018, 1, 1)));
	ck_assert_int_eq(u->in_service, 1);
	ck_assert_uint_eq(u->nev, 3);
	ck_assert_uint_eq(u->nrd, 0);
	ck_assert_int_eq(ev_of(&ld, u, 0)->kind, LD_INSTALL);
	ck_assert_double_eq(ev_of(&ld, u, 0)->t, days(day(2018, 1, 1)));
	ck_assert_int_eq(ev_of(&ld, u, 1)->kind, LD_FAILURE);
	ck_assert_double_eq_tol(ev_of(&ld, u, 1)->t, days(day(2019, 3, 1)) + 0.5, 1e-9);
	ck_assert_int_eq(ev_of(&ld, u, 2)->kind, LD_REPLACEMENT);
	for (size_t i = 0; i < u->nev; i++)
		ck_assert(isnan(ev_of(&ld, u, i)->op));

	u = unit(&ld, "P-2");
	ck_assert_str_eq(u->cls, "CR-10");
	ck_assert_int_eq(u->in_service, 0);
	/* No install date on the record: the install event supplies it. */
	ck_assert_double_eq(u->install, days(day(2017, 5, 1)));
	ck_assert_uint_eq(u->nev, 2);
	ck_assert_uint_eq(u->ev0, 3);

	u = unit(&ld, "P-3");
	ck_assert(isnan(u->install));
	ck_assert_uint_eq(u->nev, 0);
	ck_assert_int_eq(u->in_service, 1);
	store_life_free(&ld);
	ck_assert_ptr_null(ld.units);
	ck_assert_uint_eq(ld.nunits, 0);
}
END_TEST

START_TEST(same_instant_is_one_renewal)
{
	struct ld_set ld;
	const struct ld_unit *u;
	int64_t t1 = day(2020, 1, 1), t2 = day(2021, 1, 1), t3 = day(2022, 1, 1);

	asset("F-1", "fan", "", day(2019, 1, 1), AS_OPERATIONAL);
	/* A failure and the replacement that fixed it, recorded separately. */
	event("F-1", t1, EV_REPLACEMENT, "");
	event("F-1", t1, EV_FAILURE, "MTR");
	/* A replacement and the install of the new unit. */
	event("F-1", t2, EV_INSTALL, "");
	event("F-1", t2, EV_REPLACEMENT, "");
	/* All three at once. */
	event("F-1", t3, EV_INSTALL, "");
	event("F-1", t3, EV_REPLACEMENT, "");
	event("F-1", t3, EV_FAILURE, "");

	OK(store_life_load(S, NULL, &ld, &E));
	u = unit(&ld, "F-1");
	ck_assert_uint_eq(u->nev, 3);
	ck_assert_double_eq(ev_of(&ld, u, 0)->t, days(t1));
	ck_assert_int_eq(ev_of(&ld, u, 0)->kind, LD_FAILURE);
	ck_assert_double_eq(ev_of(&ld, u, 1)->t, days(t2));
	ck_assert_int_eq(ev_of(&ld, u, 1)->kind, LD_REPLACEMENT);
	ck_assert_int_eq(ev_of(&ld, u, 2)->kind, LD_FAILURE);
	/* Strictly increasing times. */
	for (size_t i = 1; i < u->nev; i++)
		ck_assert(ev_of(&ld, u, i - 1)->t < ev_of(&ld, u, i)->t);
	store_life_free(&ld);
}
END_TEST

START_TEST(failure_codes_filter)
{
	static const char *const codes[] = {"BRG", "seal"};
	struct wr_life_opts o = {0};
	struct ld_set ld;
	const struct ld_unit *u;

	asset("P-1", "pump", "", day(2018, 1, 1), AS_OPERATIONAL);
	event("P-1", day(2019, 1, 1), EV_FAILURE, "BRG");
	event("P-1", day(2019, 6, 1), EV_FAILURE, "ELEC");
	event("P-1", day(2020, 1, 1), EV_FAILURE, "SEAL");   /* codes match ignoring case */
	event("P-1", day(2020, 6, 1), EV_FAILURE, "");
	/* A non-counting failure at the same instant as a counting one: the
	 * instant still ends in a failure. */
	event("P-1", day(2021, 1, 1), EV_FAILURE, "BRG");
	event("P-1", day(2021, 1, 1), EV_REPLACEMENT, "");
	/* Another asset: a non-counting failure at the very instant P-1 has a
	 * counting one, and a counting one where P-1 has a non-counting one,
	 * so matching must go by asset as well as by time. */
	asset("P-2", "pump", "", day(2018, 1, 1), AS_OPERATIONAL);
	event("P-2", day(2019, 1, 1), EV_FAILURE, "ELEC");
	event("P-2", day(2019, 6, 1), EV_FAILURE, "BRG");
	asset("F-1", "fan", "", day(2018, 1, 1), AS_OPERATIONAL);
	event("F-1", day(2019, 1, 1), EV_FAILURE, "ELEC");

	OK(store_life_load(S, NULL, &ld, &E));
	u = unit(&ld, "P-1");
	ck_assert_uint_eq(u->nev, 5);
	for (size_t i = 0; i < u->nev; i++)
		ck_assert_int_eq(ev_of(&ld, u, i)->kind, LD_FAILURE);
	store_life_free(&ld);

	/* Both ways of reading codes: over every class (a sorted list of the
	 * failures that do not count) and within one class (read directly). */
	o.codes = codes;
	o.ncodes = 2;
	for (int pass = 0; pass < 2; pass++) {
		o.cls = pass ? "pump" : NULL;
		OK(store_life_load(S, &o, &ld, &E));
		ck_assert_uint_eq(ld.nunits, pass ? 2 : 3);
		u = unit(&ld, "P-1");
		ck_assert_uint_eq(u->nev, 5);
		ck_assert_int_eq(ev_of(&ld, u, 0)->kind, LD_FAILURE);       /* BRG */
		ck_assert_int_eq(ev_of(&ld, u, 1)->kind, LD_REPLACEMENT);   /* ELEC: suspension */
		ck_assert_int_eq(ev_of(&ld, u, 2)->kind, LD_FAILURE);       /* SEAL */
		ck_assert_int_eq(ev_of(&ld, u, 3)->kind, LD_REPLACEMENT);   /* uncoded */
		ck_assert_int_eq(ev_of(&ld, u, 4)->kind, LD_FAILURE);
		u = unit(&ld, "P-2");
		ck_assert_uint_eq(u->nev, 2);
		ck_assert_int_eq(ev_of(&ld, u, 0)->kind, LD_REPLACEMENT);   /* ELEC */
		ck_assert_int_eq(ev_of(&ld, u, 1)->kind, LD_FAILURE);       /* BRG */
		if (!pass)
			ck_assert_int_eq(ev_of(&ld, unit(&ld, "F-1"), 0)->kind, LD_REPLACEMENT);
		store_life_free(&ld);
	}
	o.cls = NULL;

	/* An empty list: no failure counts. */
	o.ncodes = 0;
	OK(store_life_load(S, &o, &ld, &E));
	for (size_t i = 0; i < ld.nevents; i++)
		ck_assert_int_eq(ld.events[i].kind, LD_REPLACEMENT);
	store_life_free(&ld);
}
END_TEST

START_TEST(class_filter)
{
	struct wr_life_opts o = {0};
	struct ld_set ld;

	asset("P-1", "pump", "X", day(2018, 1, 1), AS_OPERATIONAL);
	asset("F-1", "fan", "X", day(2018, 1, 1), AS_OPERATIONAL);
	asset("P-2", "pump", "", day(2018, 1, 1), AS_RETIRED);
	asset("M-1", "", "pump", day(2018, 1, 1), AS_OPERATIONAL);   /* model stands in */
	asset("Q-1", "", "", day(2018, 1, 1), AS_OPERATIONAL);
	event("P-1", day(2019, 1, 1), EV_FAILURE, "");
	event("F-1", day(2019, 1, 1), EV_FAILURE, "");
	event("P-2", day(2019, 2, 1), EV_FAILURE, "");
	event("P-2", day(2019, 3, 1), EV_FAILURE, "");

	o.cls = "PUMP";
	OK(store_life_load(S, &o, &ld, &E));
	ck_assert_uint_eq(ld.nunits, 3);
	ck_assert_str_eq(ld.units[0].tag, "P-1");
	ck_assert_str_eq(ld.units[1].tag, "P-2");
	ck_assert_str_eq(ld.units[2].tag, "M-1");
	ck_assert_str_eq(ld.units[2].cls, "pump");
	ck_assert_uint_eq(ld.nevents, 3);
	ck_assert_uint_eq(ld.units[1].ev0, 1);
	ck_assert_uint_eq(ld.units[1].nev, 2);
	ck_assert_uint_eq(ld.units[2].nev, 0);
	store_life_free(&ld);

	o.cls = "none-such";
	OK(store_life_load(S, &o, &ld, &E));
	ck_assert_uint_eq(ld.nunits, 0);
	store_life_free(&ld);

	o.cls = "";   /* empty: every class */
	OK(store_life_load(S, &o, &ld, &E));
	ck_assert_uint_eq(ld.nunits, 5);
	ck_assert_str_eq(ld.units[4].cls, "");
	store_life_free(&ld);
}
END_TEST

START_TEST(run_hours_readings)
{
	struct wr_life_opts o = {0};
	struct ld_set ld;
	const struct ld_unit *u;
	int64_t d0 = day(2020, 1, 1);

	asset("P-1", "pump", "", d0, AS_OPERATIONAL);
	asset("P-2", "pump", "", d0, AS_OPERATIONAL);   /* only a gauge */
	asset("P-3", "pump", "", d0, AS_OPERATIONAL);   /* readings, no events */
	meter("P-1", "pressure", MK_GAUGE);
	meter("P-1", "hours", MK_RUNHOURS);
	meter("P-1", "hours-2", MK_RUNHOURS);            /* not the first one */
	meter("P-2", "pressure", MK_GAUGE);
	meter("P-3", "hours", MK_RUNHOURS);
	reading("P-1", "pressure", d0 + 5 * WR_DAY, 3);
	reading("P-1", "hours", d0 + 10 * WR_DAY, 100);
	reading("P-1", "hours", d0 + 20 * WR_DAY, 300);
	reading("P-1", "hours", d0 + 40 * WR_DAY, 340);
	reading("P-1", "hours-2", d0 + 15 * WR_DAY, 99999);
	reading("P-2", "pressure", d0 + 15 * WR_DAY, 7);
	reading("P-3", "hours", d0 + 1 * WR_DAY, 1);
	reading("P-3", "hours", d0 + 2 * WR_DAY, 2);
	event("P-1", d0 + 5 * WR_DAY, EV_FAILURE, "");     /* before the first reading */
	event("P-1", d0 + 15 * WR_DAY, EV_FAILURE, "");    /* halfway 100..300 */
	event("P-1", d0 + 20 * WR_DAY, EV_FAILURE, "");    /* on a reading */
	event("P-1", d0 + 30 * WR_DAY, EV_REPLACEMENT, ""); /* halfway 300..340 */
	event("P-1", d0 + 50 * WR_DAY, EV_FAILURE, "");    /* after the last */
	event("P-2", d0 + 15 * WR_DAY, EV_FAILURE, "");

	/* Without readings: op is NAN, no readings loaded. */
	OK(store_life_load(S, &o, &ld, &E));
	ck_assert_uint_eq(ld.nreadings, 0);
	for (size_t i = 0; i < ld.nevents; i++)
		ck_assert(isnan(ld.events[i].op));
	store_life_free(&ld);

	o.with_readings = 1;
	OK(store_life_load(S, &o, &ld, &E));
	ck_assert_uint_eq(ld.nreadings, 5);
	u = unit(&ld, "P-1");
	ck_assert_uint_eq(u->nrd, 3);
	ck_assert_double_eq(ld.readings[u->rd0].t, days(d0) + 10);
	ck_assert_double_eq(ld.readings[u->rd0].value, 100);
	ck_assert_double_eq(ld.readings[u->rd0 + 2].value, 340);
	ck_assert_uint_eq(u->nev, 5);
	ck_assert(isnan(ev_of(&ld, u, 0)->op));
	ck_assert_double_eq_tol(ev_of(&ld, u, 1)->op, 200, 1e-9);
	ck_assert_double_eq_tol(ev_of(&ld, u, 2)->op, 300, 1e-9);
	ck_assert_double_eq_tol(ev_of(&ld, u, 3)->op, 320, 1e-9);
	ck_assert(isnan(ev_of(&ld, u, 4)->op));

	u = unit(&ld, "P-2");
	ck_assert_uint_eq(u->nrd, 0);
	ck_assert(isnan(ev_of(&ld, u, 0)->op));
	u = unit(&ld, "P-3");
	ck_assert_uint_eq(u->nrd, 2);
	ck_assert_uint_eq(u->nev, 0);
	ck_assert_double_eq(ld.readings[u->rd0 + 1].value, 2);
	store_life_free(&ld);

	/* A class filter that skips P-1 must not hand its readings to P-3. */
	o.cls = "pump";
	asset("P-0", "fan", "", d0, AS_OPERATIONAL);
	OK(store_life_load(S, &o, &ld, &E));
	ck_assert_uint_eq(ld.nunits, 3);
	ck_assert_uint_eq(unit(&ld, "P-3")->nrd, 2);
	store_life_free(&ld);
}
END_TEST

/* ------------------------------------------------------------ a large plant */

static void exec_ok(const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(S->db, sql, NULL, NULL, &msg);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
	sqlite3_free(msg);
}

/* The arrays keep their shape when the plant is large enough for the loader
 * to grow them many times.  How fast it loads is make bench's figure
 * (bench/bench_life.c), not a test's. */
START_TEST(large_plant_keeps_the_shape)
{
	enum { NASSETS = 20000 };
	char sql[1024];
	struct ld_set ld;
	struct wr_life_opts o = {0};
	static const char *const codes[] = {"C1"};

	snprintf(sql, sizeof sql,
	         "BEGIN;"
	         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
	         " INSERT INTO asset(uuid, tag, class, install_date, status, updated_at)"
	         " SELECT printf('a-%%d', i), printf('T%%06d', i), 'class' || (i %% 25),"
	         " 1500000000 + i, i %% 4, 0 FROM n;"
	         "WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 9)"
	         " INSERT INTO event(uuid, asset_id, at, kind, code, updated_at)"
	         " SELECT printf('e-%%d-%%d', a.id, k.j), a.id,"
	         " 1500000000 + a.id + (9 - k.j) * 2592000, 1 + (k.j %% 2), 'C' || (k.j %% 3), 0"
	         " FROM asset a, k;"
	         "COMMIT;",
	         NASSETS);
	exec_ok(sql);

	/* Loaded twice: every failure counts, and only some codes count
	 * (which has to read the codes). */
	for (int pass = 0; pass < 2; pass++) {
		o.codes = pass ? codes : NULL;
		o.ncodes = pass ? 1 : 0;
		OK(store_life_load(S, &o, &ld, &E));
		ck_assert_uint_eq(ld.nunits, (size_t)NASSETS);
		ck_assert_uint_eq(ld.nevents, (size_t)NASSETS * 10);
		for (size_t i = 0; i < ld.nunits; i++) {
			const struct ld_unit *u = &ld.units[i];
			ck_assert_uint_eq(u->nev, 10);
			ck_assert_uint_eq(u->ev0, i * 10);
			for (size_t j = 1; j < u->nev; j++)
				ck_assert(ld.events[u->ev0 + j - 1].t < ld.events[u->ev0 + j].t);
		}
		/* Event k.j of each asset has kind 1 + (k.j % 2) and code
		 * C(k.j % 3): failures at k.j = 0, 2, 4, 6, 8, of which only
		 * k.j = 4 has code C1. */
		{
			const struct ld_unit *u = &ld.units[0];
			int failures = 0;
			for (size_t j = 0; j < u->nev; j++)
				failures += ld.events[u->ev0 + j].kind == LD_FAILURE;
			ck_assert_int_eq(failures, (pass ? 1 : 5));
		}
		ck_assert_str_eq(ld.units[NASSETS - 1].tag, "T020000");
		ck_assert_int_eq(ld.units[2].in_service, 0);   /* T000003: retired */
		ck_assert_int_eq(ld.units[3].in_service, 1);
		store_life_free(&ld);
	}
}
END_TEST

/* ------------------------------------------------------- the two halves */

static int hook_calls;
static void count_hook(void)
{
	hook_calls++;
}

/* n assets, every seventh deleted (gaps in the ids), a third without
 * history, the others with failures and replacements (some at one
 * instant) under three codes. */
static void gappy_plant(int n)
{
	char sql[1024];

	snprintf(sql, sizeof sql,
	         "BEGIN;"
	         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
	         " INSERT INTO asset(uuid, tag, class, install_date, status, updated_at)"
	         " SELECT printf('a-%%d', i), printf('G%%05d', i), 'class' || (i %% 4),"
	         " CASE WHEN i %% 5 THEN 1500000000 + i END, i %% 4, 0 FROM n;"
	         "DELETE FROM asset WHERE id %% 7 = 0;"
	         "WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 5)"
	         " INSERT INTO event(uuid, asset_id, at, kind, code, updated_at)"
	         " SELECT printf('e-%%d-%%d', a.id, k.j), a.id,"
	         " 1500000000 + a.id + (k.j / 2) * 2592000, (k.j %% 3), 'C' || (k.j %% 3), 0"
	         " FROM asset a, k WHERE a.id %% 3 <> 0;"
	         "COMMIT;",
	         n);
	exec_ok(sql);
}

/* Loads once on one connection and once in two halves (which must have
 * happened: the hook ran), and checks that the two are the same arrays. */
static void same_as_one_pass(const struct wr_life_opts *o)
{
	struct ld_set one, two;

	store_life_split_min = SIZE_MAX;
	OK(store_life_load(S, o, &one, &E));
	store_life_split_min = 2;
	store_life_split_hook = count_hook;
	hook_calls = 0;
	OK(store_life_load(S, o, &two, &E));
	ck_assert_int_eq(hook_calls, 1);
	ck_assert_uint_eq(two.nunits, one.nunits);
	ck_assert_uint_eq(two.nevents, one.nevents);
	for (size_t i = 0; i < one.nunits; i++) {
		const struct ld_unit *a = &one.units[i], *b = &two.units[i];
		ck_assert_str_eq(b->tag, a->tag);
		ck_assert_str_eq(b->cls, a->cls);
		ck_assert(isnan(a->install) ? isnan(b->install) : b->install == a->install);
		ck_assert_int_eq(b->in_service, a->in_service);
		ck_assert_uint_eq(b->ev0, a->ev0);
		ck_assert_uint_eq(b->nev, a->nev);
	}
	for (size_t i = 0; i < one.nevents; i++) {
		ck_assert_double_eq(two.events[i].t, one.events[i].t);
		ck_assert_int_eq(two.events[i].kind, one.events[i].kind);
		ck_assert(isnan(two.events[i].op));
	}
	store_life_free(&one);
	store_life_free(&two);
}

/* A load of every asset read in two halves, on two connections, gives the
 * arrays one pass gives: every failure counting, and only some codes; on
 * a plant small enough for the upper half's units to have arrays of their
 * own (300 assets), and on one whose units go straight into the lower
 * half's array (3,000). */
START_TEST(two_halves_are_one_load)
{
	static const char *const codes[] = {"C1"};
	struct wr_life_opts o = {0};

	gappy_plant(_i ? 3000 : 300);
	same_as_one_pass(NULL);
	o.codes = codes;
	o.ncodes = 1;
	same_as_one_pass(&o);
}
END_TEST

/* Run between the first connection's snapshot and the second's: another
 * program adds a failure to the first asset (in the lower half) and one to
 * the last (the upper). */
static void commit_between(void)
{
	sqlite3 *db = NULL;
	int rc;

	hook_calls++;
	rc = sqlite3_open(P, &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db,
		                  "INSERT INTO event(uuid, asset_id, at, kind, code, updated_at)"
		                  " SELECT 'late-' || id, id, 1700000000, 1, '', 0 FROM asset"
		                  " WHERE id IN ((SELECT min(id) FROM asset), (SELECT max(id) FROM asset))",
		                  NULL, NULL, NULL);
	sqlite3_close(db);
	ck_assert_int_eq(rc, SQLITE_OK);
}

/* A commit after the first connection began reading would be seen by the
 * second only: the load notices and reads again, so that both new
 * failures are there (never one without the other). */
START_TEST(a_commit_between_the_halves_reads_again)
{
	struct ld_set ld;
	size_t first, last;

	gappy_plant(300);
	store_life_split_min = SIZE_MAX;
	OK(store_life_load(S, NULL, &ld, &E));
	first = ld.units[0].nev;
	last = ld.units[ld.nunits - 1].nev;
	store_life_free(&ld);

	store_life_split_min = 2;
	store_life_split_hook = commit_between;
	hook_calls = 0;
	OK(store_life_load(S, NULL, &ld, &E));
	ck_assert_int_eq(hook_calls, 1);
	ck_assert_uint_eq(ld.units[0].nev, first + 1);
	ck_assert_uint_eq(ld.units[ld.nunits - 1].nev, last + 1);
	store_life_free(&ld);
}
END_TEST

static void halves_teardown(void)
{
	store_life_split_min = 8192;
	store_life_split_hook = NULL;
	teardown();
}

static Suite *life_suite(void)
{
	Suite *s = suite_create("store_life");
	TCase *tc = tcase_create("life");
	TCase *big = tcase_create("large");
	TCase *halves = tcase_create("halves");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, empty_database);
	tcase_add_test(tc, shape_of_the_arrays);
	tcase_add_test(tc, same_instant_is_one_renewal);
	tcase_add_test(tc, failure_codes_filter);
	tcase_add_test(tc, class_filter);
	tcase_add_test(tc, run_hours_readings);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(big, setup, teardown);
	tcase_set_timeout(big, 600);
	tcase_add_test(big, large_plant_keeps_the_shape);
	suite_add_tcase(s, big);

	tcase_add_checked_fixture(halves, setup, halves_teardown);
	tcase_add_loop_test(halves, two_halves_are_one_load, 0, 2);
	tcase_add_test(halves, a_commit_between_the_halves_reads_again);
	suite_add_tcase(s, halves);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(life_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
