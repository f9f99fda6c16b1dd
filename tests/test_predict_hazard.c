/*
 * test_predict_hazard.c - the piecewise-constant class hazard behind the
 * ranking's p_fail (predict/hazard.c): when it is chosen over the Weibull,
 * what it recovers, how classes share it, and the grid on large plants.
 *
 * The histories are simulated (splitmix64, deterministic): lives with a
 * failure-free period followed by a constant hazard, the shape a Weibull
 * cannot take (a maintenance grid, a burn-in done by the supplier), and
 * plain Weibull lives, where the AIC must keep the Weibull.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers/rng.h"
#include "predict.h"

struct hist {
	struct ld_set s;
	size_t ucap, ecap;
};

static void h_init(struct hist *h, size_t ucap, size_t ecap)
{
	memset(h, 0, sizeof *h);
	h->s.units = calloc(ucap, sizeof *h->s.units);
	h->s.events = calloc(ecap, sizeof *h->s.events);
	ck_assert(h->s.units && h->s.events);
	h->ucap = ucap;
	h->ecap = ecap;
}

static void h_free(struct hist *h)
{
	free(h->s.units);
	free(h->s.events);
}

static void h_unit(struct hist *h, const char *tag, const char *cls, double install)
{
	struct ld_unit *u;

	ck_assert(h->s.nunits < h->ucap);
	u = &h->s.units[h->s.nunits++];
	snprintf(u->tag, sizeof u->tag, "%s", tag);
	snprintf(u->cls, sizeof u->cls, "%s", cls);
	u->install = install;
	u->in_service = 1;
	u->ev0 = h->s.nevents;
}

static void h_event(struct hist *h, double t, int kind)
{
	ck_assert(h->s.nevents < h->ecap);
	h->s.events[h->s.nevents].t = t;
	h->s.events[h->s.nevents].op = NAN;
	h->s.events[h->s.nevents].kind = kind;
	h->s.nevents++;
	h->s.units[h->s.nunits - 1].nev++;
}

static uint64_t rs;

static double unif(void)
{
	return test_unif(&rs);
}

/* A unit renewed at failures from day 0 to T: lives of `delay` days plus an
 * exponential with the given mean (delay 0 and shape beta != 1: Weibull). */
static void h_history(struct hist *h, const char *tag, const char *cls, double delay,
                      double mean, double beta, double T)
{
	double t = 0.0;

	h_unit(h, tag, cls, 0.0);
	for (;;) {
		t += delay + mean * pow(-log(unif()), 1.0 / beta);
		if (t >= T)
			break;
		h_event(h, t, LD_FAILURE);
	}
}

static const struct predict_item *find(const struct predict_ranking *r, const char *tag)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->items[i].tag, tag) == 0)
			return &r->items[i];
	return NULL;
}

/* A failure-free month, then a constant hazard: the piecewise hazard wins
 * the AIC and recovers the step, which the Weibull smears. */
START_TEST(test_piecewise_recovers_a_delay)
{
	struct hist h;
	struct predict_opts o;
	struct predict_ranking r, w;
	const struct predict_item *y, *old, *yw;
	char tag[16];
	size_t i;
	/* P(fail within 30 days | age): age 5 sees 5 days of hazard 1/60,
	 * age 100 sees 30. */
	double py = -expm1(-5.0 / 60.0), po = -expm1(-30.0 / 60.0);

	rs = 21;
	h_init(&h, 128, 8192);
	for (i = 0; i < 100; i++) {
		snprintf(tag, sizeof tag, "U%03zu", i);
		h_history(&h, tag, "belt", 30.0, 60.0, 1.0, 2000.0);
	}
	/* Two units with no failure yet, installed 5 and 100 days ago. */
	h_unit(&h, "YOUNG", "belt", 1995.0);
	h_unit(&h, "OLD", "belt", 1900.0);
	predict_opts_init(&o);
	o.horizon = 30.0;
	ck_assert_int_eq(predict_rank(&h.s, 2000.0, &o, &r, NULL), WR_OK);
	ck_assert_int_eq(r.hazard, PREDICT_HAZARD_PIECEWISE);
	ck_assert(r.hazard_aic_piecewise < r.hazard_aic_weibull);
	ck_assert(r.hazard_bins >= 2 && r.hazard_bins <= 256);
	/* About 2200 distinct failure times: the finest grid is capped. */
	ck_assert(r.hazard_nu > 0.0);
	ck_assert(isfinite(r.classes[0].hz_a) && isfinite(r.classes[0].hz_b));
	y = find(&r, "YOUNG");
	old = find(&r, "OLD");
	ck_assert(y && old);
	printf("delay: %zu bins, nu %.3g; p young %.4f (true %.4f), old %.4f (true %.4f)\n",
	       r.hazard_bins, r.hazard_nu, y->p_fail, py, old->p_fail, po);
	ck_assert_msg(fabs(y->p_fail - py) < 0.03, "young %g, true %g", y->p_fail, py);
	ck_assert_msg(fabs(old->p_fail - po) < 0.05, "old %g, true %g", old->p_fail, po);
	ck_assert(old->expected_failures >= old->p_fail);
	/* The Weibull description is still there for the reports. */
	ck_assert(isfinite(y->beta) && isfinite(y->eta) && isfinite(y->mtbf));

	/* Asked for, the Weibull gives the young unit far too much risk (its
	 * shape fitted with the frailty, as the default fits it to compare). */
	o.hazard = PREDICT_HAZARD_WEIBULL;
	o.frailty = 1;
	ck_assert_int_eq(predict_rank(&h.s, 2000.0, &o, &w, NULL), WR_OK);
	ck_assert_int_eq(w.hazard, PREDICT_HAZARD_WEIBULL);
	ck_assert_uint_eq(w.hazard_bins, 0);
	ck_assert(isnan(w.hazard_nu) && isnan(w.classes[0].hz_ratio));
	yw = find(&w, "YOUNG");
	ck_assert(yw != NULL);
	printf("delay, Weibull hazard (beta %.2f): p young %.4f, old %.4f\n", yw->beta, yw->p_fail,
	       find(&w, "OLD")->p_fail);
	ck_assert(fabs(yw->p_fail - py) > 2.0 * fabs(y->p_fail - py));
	/* Only p differs: the Weibull description is the same. */
	ck_assert(yw->eta == y->eta && yw->beta == y->beta);
	predict_rank_free(&w);
	predict_rank_free(&r);
	h_free(&h);
}
END_TEST

/* Weibull lives: the Weibull keeps p (the AIC does not buy the extra
 * parameters), and the ranking is exactly what the Weibull option gives. */
START_TEST(test_weibull_data_keep_weibull)
{
	struct hist h;
	struct predict_opts o;
	struct predict_ranking r, w;
	char tag[16];
	size_t i;

	rs = 7;
	h_init(&h, 64, 4096);
	for (i = 0; i < 40; i++) {
		snprintf(tag, sizeof tag, "P%02zu", i);
		h_history(&h, tag, i % 2 ? "pump" : "fan", 0.0, i % 2 ? 300.0 : 500.0, 2.5, 3000.0);
	}
	predict_opts_init(&o);
	ck_assert_int_eq(predict_rank(&h.s, 3000.0, &o, &r, NULL), WR_OK);
	ck_assert_int_eq(r.hazard, PREDICT_HAZARD_WEIBULL);
	ck_assert(r.hazard_aic_weibull < r.hazard_aic_piecewise);
	o.hazard = PREDICT_HAZARD_WEIBULL;
	o.frailty = 1;
	ck_assert_int_eq(predict_rank(&h.s, 3000.0, &o, &w, NULL), WR_OK);
	ck_assert_uint_eq(r.n, w.n);
	for (i = 0; i < r.n; i++) {
		ck_assert_str_eq(r.items[i].tag, w.items[i].tag);
		ck_assert(r.items[i].p_fail == w.items[i].p_fail);
	}
	ck_assert(isnan(w.hazard_aic_weibull));
	predict_rank_free(&w);
	predict_rank_free(&r);
	h_free(&h);
}
END_TEST

/* Two classes with one shape and rates a factor 2 apart, and a class
 * without failures: the rate ratio comes out, the shapes stay pooled. */
START_TEST(test_classes_share_the_shape)
{
	struct hist h;
	struct predict_opts o;
	struct predict_ranking r;
	const struct predict_item *a, *b, *q;
	char tag[16];
	size_t i;

	rs = 3;
	h_init(&h, 160, 16384);
	for (i = 0; i < 60; i++) {
		snprintf(tag, sizeof tag, "A%02zu", i);
		h_history(&h, tag, "fast", 20.0, 40.0, 1.0, 1500.0);
		snprintf(tag, sizeof tag, "B%02zu", i);
		h_history(&h, tag, "slow", 20.0, 80.0, 1.0, 1500.0);
	}
	for (i = 0; i < 5; i++) {
		snprintf(tag, sizeof tag, "Q%02zu", i);
		h_unit(&h, tag, "quiet", 1000.0 + 100.0 * (double)i);
	}
	h_unit(&h, "A-NEW", "fast", 1450.0);
	h_unit(&h, "B-NEW", "slow", 1450.0);
	predict_opts_init(&o);
	o.horizon = 30.0;
	ck_assert_int_eq(predict_rank(&h.s, 1500.0, &o, &r, NULL), WR_OK);
	ck_assert_int_eq(r.hazard, PREDICT_HAZARD_PIECEWISE);
	ck_assert_uint_eq(r.nclasses, 3);
	ck_assert_str_eq(r.classes[0].cls, "fast");
	ck_assert_str_eq(r.classes[1].cls, "quiet");
	ck_assert_str_eq(r.classes[2].cls, "slow");
	ck_assert_msg(fabs(r.classes[0].hz_ratio / r.classes[2].hz_ratio - 2.0) < 0.3,
	              "rate ratio %g", r.classes[0].hz_ratio / r.classes[2].hz_ratio);
	/* Both new units are 50 days old: past the delay, so p is about the
	 * 30-day exponential probability of each class's rate. */
	a = find(&r, "A-NEW");
	b = find(&r, "B-NEW");
	ck_assert(a && b);
	printf("classes: ratio %.3f, nu %.3g, p fast %.4f (true %.4f), slow %.4f (true %.4f)\n",
	       r.classes[0].hz_ratio / r.classes[2].hz_ratio, r.hazard_nu, a->p_fail,
	       -expm1(-30.0 / 40.0), b->p_fail, -expm1(-30.0 / 80.0));
	ck_assert_msg(fabs(a->p_fail + expm1(-30.0 / 40.0)) < 0.06, "fast %g", a->p_fail);
	ck_assert_msg(fabs(b->p_fail + expm1(-30.0 / 80.0)) < 0.05, "slow %g", b->p_fail);
	/* No failure in the class: a small but positive risk. */
	q = find(&r, "Q00");
	ck_assert(q != NULL);
	ck_assert(q->p_fail > 0.0 && q->p_fail < b->p_fail);
	for (i = 0; i < r.n; i++) {
		ck_assert(r.items[i].p_fail >= 0.0 && r.items[i].p_fail < 1.0);
		if (i > 0)
			ck_assert(r.items[i - 1].p_fail >= r.items[i].p_fail);
	}
	predict_rank_free(&r);
	h_free(&h);
}
END_TEST

/* Little data: with a handful of failures the hazard has few bins or the
 * Weibull wins; nothing breaks either way, and with no failure at all the
 * Weibull's assumed exponential stands. */
START_TEST(test_small_histories)
{
	struct hist h;
	struct predict_ranking r;
	size_t i;

	h_init(&h, 8, 64);
	h_unit(&h, "A", "x", 0.0);
	h_event(&h, 50.0, LD_FAILURE);
	h_unit(&h, "B", "x", 0.0);
	h_event(&h, 80.0, LD_FAILURE);
	h_event(&h, 90.0, LD_REPLACEMENT);
	h_unit(&h, "C", "y", 10.0);
	ck_assert_int_eq(predict_rank(&h.s, 100.0, NULL, &r, NULL), WR_OK);
	ck_assert_uint_eq(r.n, 3);
	ck_assert(r.hazard == PREDICT_HAZARD_WEIBULL || r.hazard_bins <= 2);
	for (i = 0; i < r.n; i++)
		ck_assert(r.items[i].p_fail > 0.0 && r.items[i].p_fail < 1.0);
	predict_rank_free(&r);
	h_free(&h);

	h_init(&h, 8, 64);
	h_unit(&h, "A", "x", 0.0);
	h_unit(&h, "B", "x", 5.0);
	h_event(&h, 20.0, LD_REPLACEMENT);
	ck_assert_int_eq(predict_rank(&h.s, 100.0, NULL, &r, NULL), WR_OK);
	ck_assert_int_eq(r.hazard, PREDICT_HAZARD_WEIBULL);
	ck_assert(isnan(r.hazard_aic_piecewise));
	ck_assert(r.items[0].p_fail > 0.0 && r.items[0].p_fail < 1.0);
	predict_rank_free(&r);
	h_free(&h);
}
END_TEST

/* Delayed entry: units seen only from day 500 on, their first lives
 * already running then.  Declaring the history start changes exposures,
 * never breaks the fit, and the backtest still cannot see the future. */
START_TEST(test_delayed_entry_and_no_peek)
{
	struct hist h;
	struct predict_opts o;
	struct predict_backtest a, b;
	struct predict_ranking r;
	double cut[] = {1200.0, 1400.0};
	char tag[16];
	size_t i, j, k = 0;

	rs = 17;
	h_init(&h, 96, 8192);
	for (i = 0; i < 80; i++) {
		snprintf(tag, sizeof tag, "D%02zu", i);
		h_history(&h, tag, "drive", 25.0, 50.0, 1.0, 1800.0);
	}
	/* Forget the install and everything before day 500 but the last
	 * renewal before it. */
	for (i = 0; i < h.s.nunits; i++) {
		struct ld_unit *u = &h.s.units[i];
		size_t first = 0;
		for (j = 0; j < u->nev; j++)
			if (h.s.events[u->ev0 + j].t < 500.0)
				first = j;
		u->install = NAN;
		for (j = first; j < u->nev; j++)
			h.s.events[k + j - first] = h.s.events[u->ev0 + j];
		u->nev -= first;
		u->ev0 = k;
		k += u->nev;
	}
	h.s.nevents = k;
	predict_opts_init(&o);
	o.horizon = 30.0;
	o.history_start = 500.0;
	ck_assert_int_eq(predict_rank(&h.s, 1200.0, &o, &r, NULL), WR_OK);
	ck_assert_int_eq(r.hazard, PREDICT_HAZARD_PIECEWISE);
	for (i = 0; i < r.n; i++)
		ck_assert(r.items[i].p_fail > 0.0 && r.items[i].p_fail < 1.0);
	predict_rank_free(&r);

	ck_assert_int_eq(predict_backtest(&h.s, cut, 2, &o, &a, NULL), WR_OK);
	for (i = 0; i < h.s.nevents; i++)
		if (h.s.events[i].t > 1230.0)
			h.s.events[i].t = 1230.0 + 0.5 * (h.s.events[i].t - 1230.0);
	ck_assert_int_eq(predict_backtest(&h.s, cut, 2, &o, &b, NULL), WR_OK);
	ck_assert(a.cuts[0].m[PREDICT_S_MODEL].auc == b.cuts[0].m[PREDICT_S_MODEL].auc);
	ck_assert(a.cuts[0].m[PREDICT_S_MODEL].brier == b.cuts[0].m[PREDICT_S_MODEL].brier);
	ck_assert(a.cuts[1].m[PREDICT_S_MODEL].brier != b.cuts[1].m[PREDICT_S_MODEL].brier);
	/* Calibrated: better than the past base rate for everyone. */
	ck_assert(a.mean[PREDICT_S_MODEL].brier < a.mean[PREDICT_S_CLIMATE].brier);
	predict_backtest_free(&a);
	predict_backtest_free(&b);
	h_free(&h);
}
END_TEST

/* One class of nu units whose scales differ strongly (log-normal, sigma
 * 0.8: a coefficient of variation of 0.95), installed over the first 2000
 * days, renewed at every failure (a failure and a replacement), Weibull
 * lives of shape beta; history to day 2200. */
static void h_varied(struct hist *h, size_t nu, double beta, double eta, double sigma)
{
	char tag[16];
	size_t i;

	for (i = 0; i < nu; i++) {
		double z = sqrt(-2.0 * log(unif())) * cos(2.0 * M_PI * unif());
		double sc = eta * exp(sigma * z), t = 2000.0 * unif();
		snprintf(tag, sizeof tag, "V%03zu", i);
		h_unit(h, tag, "valve", t);
		for (;;) {
			t += sc * pow(-log(unif()), 1.0 / beta);
			if (t >= 2200.0)
				break;
			h_event(h, t, LD_FAILURE);
			h_event(h, t, LD_REPLACEMENT);
		}
	}
}

/* A small plant of one class whose units differ strongly: pooled, their
 * lives look non-Weibull (the weak units fail early and leave), and the
 * class-level AIC chose the piecewise hazard on seven seeds of eight (by 7
 * to 170).  With the units' variation in both likelihoods (and the shape
 * fitted with it) the Weibull keeps p on every seed. */
START_TEST(test_varied_small_class_keeps_weibull)
{
	struct hist h;
	struct predict_opts o;
	struct predict_ranking r;
	uint64_t seed;

	predict_opts_init(&o);
	for (seed = 1; seed <= 8; seed++) {
		rs = 300 + seed;
		h_init(&h, 256, 16384);
		h_varied(&h, 200, 2.0, 300.0, 0.8);
		ck_assert_int_eq(predict_rank(&h.s, 2200.0, &o, &r, NULL), WR_OK);
		ck_assert_msg(r.hazard == PREDICT_HAZARD_WEIBULL,
		              "seed %d: piecewise AIC %.1f against the Weibull's %.1f", (int)seed,
		              r.hazard_aic_piecewise, r.hazard_aic_weibull);
		ck_assert_int_eq(r.classes[0].model, PREDICT_MODEL_WEIBULL);
		ck_assert_int_eq(r.items[0].model, PREDICT_MODEL_WEIBULL);
		/* The shape with the frailty: the units' 2, not the pooled 1. */
		ck_assert_msg(fabs(r.classes[0].beta - 2.0) < 0.3, "beta %g", r.classes[0].beta);
		predict_rank_free(&r);
		h_free(&h);
	}
}
END_TEST

int main(void)
{
	Suite *su = suite_create("predict_hazard");
	TCase *tc = tcase_create("hazard");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_piecewise_recovers_a_delay);
	tcase_add_test(tc, test_weibull_data_keep_weibull);
	tcase_add_test(tc, test_classes_share_the_shape);
	tcase_add_test(tc, test_small_histories);
	tcase_add_test(tc, test_delayed_entry_and_no_peek);
	tcase_add_test(tc, test_varied_small_class_keeps_weibull);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf != 0;
}
