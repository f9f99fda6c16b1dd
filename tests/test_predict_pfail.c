/*
 * test_predict_pfail.c - the one p_fail (predict_p_fail): the ranking's
 * items hold it, any horizon asked of one fitted model gives what a ranking
 * at that horizon gives, under either hazard and in operating time, and
 * units the ranking leaves out get an error, not a number.
 *
 * The plant is simulated (splitmix64, deterministic): a class whose lives
 * start with a failure-free month (the piecewise hazard wins the AIC on
 * it), a Weibull class, a class too thin for its own shape, a retired unit,
 * a unit with nothing that dates its life, and a unit with a run-hours
 * meter running 12 hours a day.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers/rng.h"
#include "helpers/lifeset.h"
#include "predict.h"

#define UCAP 160
#define ECAP 8192

static struct ld_unit U[UCAP];
static struct ld_event E[ECAP];
static struct ld_reading RD[4];
static struct ld_set S;
static uint64_t rs;

static double unif(void)
{
	return test_unif(&rs);
}

static void unit(const char *tag, const char *cls, double install)
{
	lifeset_unit(&S, UCAP, tag, cls, install);
}

static void event(double t, int kind)
{
	lifeset_event(&S, ECAP, t, kind);
}

/* Renewed at failures from day 0 to T: lives of `delay` days plus a
 * Weibull(beta, eta). */
static void history(const char *tag, const char *cls, double delay, double eta, double beta,
                    double T)
{
	double t = 0.0;

	unit(tag, cls, 0.0);
	for (;;) {
		t += delay + eta * pow(-log(unif()), 1.0 / beta);
		if (t >= T)
			break;
		event(t, LD_FAILURE);
	}
}

static void plant(void)
{
	char tag[16];
	size_t i;

	lifeset_start(&S, U, E);
	S.readings = RD;
	rs = 1234;
	for (i = 0; i < 60; i++) {
		snprintf(tag, sizeof tag, "B%02zu", i);
		history(tag, "belt", 30.0, 60.0, 1.0, 2000.0);
	}
	for (i = 0; i < 40; i++) {
		snprintf(tag, sizeof tag, "P%02zu", i);
		history(tag, "pump", 0.0, 300.0, 2.0, 2000.0);
	}
	unit("V1", "valve", 100.0);
	event(900.0, LD_FAILURE);
	unit("V2", "valve", 500.0);
	event(1500.0, LD_FAILURE);
	/* Retired: its lives inform the class, it is not ranked. */
	history("PR", "pump", 0.0, 300.0, 2.0, 1500.0);
	U[S.nunits - 1].in_service = 0;
	/* Nothing dates its current life. */
	unit("NX", "pump", NAN);
	/* A pump with a meter: 12 run hours a day. */
	unit("PM", "pump", 1000.0);
	event(1400.0, LD_FAILURE);
	U[S.nunits - 1].rd0 = 0;
	U[S.nunits - 1].nrd = 2;
	RD[0].t = 1000.0;
	RD[0].value = 0.0;
	RD[1].t = 1900.0;
	RD[1].value = 900.0 * 12.0;
	S.nreadings = 2;
}

static size_t unit_of(const char *tag)
{
	size_t i;

	for (i = 0; i < S.nunits; i++)
		if (strcmp(U[i].tag, tag) == 0)
			return i;
	ck_abort_msg("no unit %s", tag);
	return 0;
}

/* Every item of a ranking at horizon h equals predict_p_fail of the model
 * fitted at 30 days, asked for h: the model does not depend on the horizon
 * and the items are that function. */
static void check_horizons(enum predict_hazard hz, int op_time, enum predict_hazard expect)
{
	static const double H[] = {30.0, 7.0, 90.0, 365.0};
	struct predict_opts o;
	struct predict_ranking r30, rh;
	struct wr_err e = {0, ""};
	size_t k, i;

	plant();
	predict_opts_init(&o);
	o.hazard = hz;
	o.op_time = op_time;
	o.horizon = 30.0;
	ck_assert_int_eq(predict_rank(&S, 2000.0, &o, &r30, &e), WR_OK);
	ck_assert_int_eq(r30.hazard, expect);
	ck_assert_uint_eq(r30.n, S.nunits - 2);
	for (k = 0; k < sizeof H / sizeof H[0]; k++) {
		o.horizon = H[k];
		ck_assert_int_eq(predict_rank(&S, 2000.0, &o, &rh, &e), WR_OK);
		ck_assert_uint_eq(rh.n, r30.n);
		for (i = 0; i < rh.n; i++) {
			const struct predict_item *it = &rh.items[i];
			const struct predict_item *i30 = predict_rank_find(&r30, it->tag);
			double p = NAN;
			ck_assert_ptr_nonnull(i30);
			ck_assert_int_eq(predict_p_fail(&r30, it->unit, H[k], &p, &e), WR_OK);
			ck_assert_msg(p == it->p_fail, "%s at %g days: %.17g from the model, %.17g ranked",
			              it->tag, H[k], p, it->p_fail);
			ck_assert_int_eq(predict_p_fail(&rh, it->unit, H[k], &p, &e), WR_OK);
			ck_assert(p == it->p_fail);
			/* Longer horizons can only add risk. */
			if (H[k] > 30.0)
				ck_assert(it->p_fail >= i30->p_fail);
			else if (H[k] < 30.0)
				ck_assert(it->p_fail <= i30->p_fail);
		}
		predict_rank_free(&rh);
	}
	predict_rank_free(&r30);
}

START_TEST(test_pfail_piecewise)
{
	check_horizons(PREDICT_HAZARD_PIECEWISE, 0, PREDICT_HAZARD_PIECEWISE);
}
END_TEST

START_TEST(test_pfail_weibull)
{
	check_horizons(PREDICT_HAZARD_WEIBULL, 0, PREDICT_HAZARD_WEIBULL);
}
END_TEST

START_TEST(test_pfail_operating_time)
{
	struct predict_opts o;
	struct predict_ranking r;
	struct wr_err e = {0, ""};
	const struct predict_item *it;
	double p24, p12;

	check_horizons(PREDICT_HAZARD_PIECEWISE, 1, PREDICT_HAZARD_PIECEWISE);
	/* The metered pump's horizon is 12 hours a day, the others' 24: the
	 * model asked for 60 days of the metered pump sees 720 hours. */
	plant();
	predict_opts_init(&o);
	o.op_time = 1;
	ck_assert_int_eq(predict_rank(&S, 2000.0, &o, &r, &e), WR_OK);
	it = predict_rank_find(&r, "PM");
	ck_assert_ptr_nonnull(it);
	ck_assert(fabs(it->horizon - 30.0 * 12.0) < 1e-9);
	ck_assert(fabs(predict_rank_find(&r, "P01")->horizon - 30.0 * 24.0) < 1e-9);
	ck_assert_int_eq(predict_p_fail(&r, it->unit, 60.0, &p12, &e), WR_OK);
	ck_assert_int_eq(predict_p_fail(&r, it->unit, 30.0, &p24, &e), WR_OK);
	ck_assert(p24 == it->p_fail);
	ck_assert(p12 > p24);
	predict_rank_free(&r);

	/* Without a meter every unit runs 24 hours a day: every life and the
	 * horizon are 24 times longer in hours, and the Weibull model's p does
	 * not depend on the unit of time (to the tolerance of the shape's
	 * iteration). */
	plant();
	U[unit_of("PM")].nrd = 0;
	{
		struct predict_ranking cal;
		size_t i;
		o.hazard = PREDICT_HAZARD_WEIBULL;
		o.op_time = 0;
		ck_assert_int_eq(predict_rank(&S, 2000.0, &o, &cal, &e), WR_OK);
		o.op_time = 1;
		ck_assert_int_eq(predict_rank(&S, 2000.0, &o, &r, &e), WR_OK);
		ck_assert_uint_eq(r.n, cal.n);
		for (i = 0; i < r.n; i++) {
			double pc = predict_rank_find(&cal, r.items[i].tag)->p_fail;
			ck_assert_msg(fabs(r.items[i].p_fail - pc) <= 1e-7 * pc, "%s: %.12g in hours, "
			              "%.12g in days", r.items[i].tag, r.items[i].p_fail, pc);
		}
		predict_rank_free(&cal);
		predict_rank_free(&r);
	}
}
END_TEST

START_TEST(test_pfail_refusals)
{
	struct predict_opts o;
	struct predict_ranking r, empty;
	struct wr_err e = {0, ""};
	struct ld_set none;
	double p = 0.0;

	plant();
	predict_opts_init(&o);
	ck_assert_int_eq(predict_rank(&S, 2000.0, &o, &r, &e), WR_OK);
	/* Retired and undated units are not ranked: an error, and NAN. */
	ck_assert_int_eq(predict_p_fail(&r, unit_of("PR"), 30.0, &p, &e), WR_EINPUT);
	ck_assert(isnan(p));
	ck_assert_ptr_nonnull(strstr(e.msg, "not ranked"));
	p = 0.0;
	ck_assert_int_eq(predict_p_fail(&r, unit_of("NX"), 30.0, &p, &e), WR_EINPUT);
	ck_assert(isnan(p));
	ck_assert_int_eq(predict_p_fail(&r, S.nunits, 30.0, &p, &e), WR_EINPUT);
	ck_assert_ptr_null(predict_rank_find(&r, "PR"));
	ck_assert_ptr_null(predict_rank_find(&r, "NX"));
	ck_assert_ptr_null(predict_rank_find(&r, "nope"));
	ck_assert_str_eq(predict_rank_find(&r, "V2")->tag, "V2");
	/* Horizons that are not positive numbers. */
	ck_assert_int_eq(predict_p_fail(&r, unit_of("P01"), 0.0, &p, &e), WR_EINPUT);
	ck_assert_int_eq(predict_p_fail(&r, unit_of("P01"), NAN, &p, &e), WR_EINPUT);
	ck_assert_int_eq(predict_p_fail(&r, unit_of("P01"), -3.0, &p, &e), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "horizon"));
	ck_assert_int_eq(predict_p_fail(&r, unit_of("P01"), INFINITY, &p, &e), WR_EINPUT);
	predict_rank_free(&r);
	/* A ranking of nothing has no model to ask. */
	memset(&none, 0, sizeof none);
	ck_assert_int_eq(predict_rank(&none, 2000.0, &o, &empty, &e), WR_OK);
	ck_assert_int_eq(predict_p_fail(&empty, 0, 30.0, &p, &e), WR_EINPUT);
	ck_assert(isnan(p));
	predict_rank_free(&empty);
	ck_assert_int_eq(predict_p_fail(NULL, 0, 30.0, &p, &e), WR_EINPUT);
}
END_TEST

/* A class replaced at a fixed age before it fails (age-based preventive
 * replacement): 300 fans, Weibull lives (beta 3, eta 500 days), each
 * replaced at age 300 unless it failed first.  A fan within a horizon of
 * that age will be replaced, not worn out: the reference is the true
 * model's closed form, its own risk to 300 and the new fan's after,
 * 1 - R(300) / R(a) R(a + 30 - 300).  The Weibull to the end of the horizon
 * gave about three times that. */
#define PL_UNITS 300
#define PL_EVENTS 12000
static struct ld_unit PU[PL_UNITS];
static struct ld_event PE[PL_EVENTS];

static double wb_cum(double t)
{
	return pow(t / 500.0, 3.0);
}

START_TEST(test_pfail_planned_replacement)
{
	struct predict_opts o;
	struct predict_ranking r;
	struct wr_err e = {0, ""};
	struct ld_set pl;
	double T = 3000.0, model = 0.0, truth = 0.0;
	char tag[16];
	size_t i, near = 0;

	lifeset_start(&pl, PU, PE);
	rs = 31;
	for (i = 0; i < PL_UNITS; i++) {
		double t = 600.0 * unif();
		snprintf(tag, sizeof tag, "FAN%03zu", i);
		lifeset_unit(&pl, PL_UNITS, tag, "fan", t);
		for (;;) {
			double life = 500.0 * cbrt(-log(unif()));
			int failed = life < 300.0;
			t += failed ? life : 300.0;
			if (t >= T)
				break;
			lifeset_event(&pl, PL_EVENTS, t, failed ? LD_FAILURE : LD_REPLACEMENT);
		}
	}
	predict_opts_init(&o);
	ck_assert_int_eq(predict_rank(&pl, T, &o, &r, &e), WR_OK);
	for (i = 0; i < r.n; i++) {
		double a = r.items[i].age;
		if (!(a >= 270.0 && a < 300.0))
			continue;
		near++;
		model += r.items[i].p_fail;
		truth += 1.0 - exp(-(wb_cum(300.0) - wb_cum(a)) - wb_cum(a + 30.0 - 300.0));
	}
	ck_assert_msg(near >= 10, "%zu fans within a horizon of the planned age", near);
	ck_assert_msg(model / truth > 0.8 && model / truth < 1.25,
	              "fans near the planned age: predicted %g, true %g", model, truth);
	predict_rank_free(&r);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("predict_pfail");
	TCase *tc = tcase_create("pfail");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_pfail_piecewise);
	tcase_add_test(tc, test_pfail_weibull);
	tcase_add_test(tc, test_pfail_operating_time);
	tcase_add_test(tc, test_pfail_refusals);
	tcase_add_test(tc, test_pfail_planned_replacement);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
