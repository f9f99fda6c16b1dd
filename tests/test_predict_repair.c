/*
 * test_predict_repair.c - repairable systems: the power-law process
 * (Crow-AMSAA) fitted over several systems (predict_power_law_fit),
 * checked against MIL-HDBK-189's closed forms where they exist (one
 * system, or systems observed from age 0 to one age, time- or
 * failure-truncated), against chi-square table values for the bounds, and
 * where no closed form exists (windows that start late and end apart)
 * against an independently written likelihood: its slope is zero at the
 * estimate and the estimate is its maximum.
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

static double rel(double a, double b)
{
	return fabs(a - b) / fabs(b);
}

/* One system, time-truncated at T = 200: beta = n / sum ln(T / t_i),
 * lambda = n / T^beta (MIL-HDBK-189, Crow 1974). */
START_TEST(test_plp_single_closed_form)
{
	static const double t[] = {4.3, 17.1, 30.0, 59.2, 80.5, 111.0, 134.9, 150.2, 171.1, 190.6};
	struct predict_system s = {0.0, 200.0, t, 10};
	struct predict_power_law f;
	struct wr_err e = {0, ""};
	double sl = 0.0, beta;
	size_t i;

	for (i = 0; i < 10; i++)
		sl += log(200.0 / t[i]);
	beta = 10.0 / sl;
	ck_assert_int_eq(predict_power_law_fit(&s, 1, 0.90, &f, &e), WR_OK);
	ck_assert(f.ok);
	ck_assert_msg(rel(f.beta, beta) < 1e-10, "beta %.15g, closed form %.15g", f.beta, beta);
	ck_assert(rel(f.lambda, 10.0 / pow(200.0, beta)) < 1e-9);
	/* The log-likelihood at the maximum: sum ln(lambda beta t^(beta-1)) - n. */
	{
		double L = -10.0;
		for (i = 0; i < 10; i++)
			L += log(f.lambda * f.beta * pow(t[i], f.beta - 1.0));
		ck_assert(fabs(f.loglik - L) < 1e-9);
	}
	/* Bounds, 90% two-sided with 2n = 20 degrees of freedom: the
	 * chi-square table's 10.851 and 31.410 (5% and 95% points). */
	ck_assert(rel(f.beta_b.lo, f.beta * 10.851 / 20.0) < 2e-4);
	ck_assert(rel(f.beta_b.hi, f.beta * 31.410 / 20.0) < 2e-4);
	/* The same failures in hours (x 24): beta unchanged, lambda over 24^beta,
	 * the log-likelihood less n ln 24 (densities per hour). */
	{
		double th[10];
		struct predict_system sh = {0.0, 200.0 * 24.0, th, 10};
		struct predict_power_law g;
		for (i = 0; i < 10; i++)
			th[i] = 24.0 * t[i];
		ck_assert_int_eq(predict_power_law_fit(&sh, 1, 0.90, &g, &e), WR_OK);
		ck_assert(rel(g.beta, f.beta) < 1e-10);
		ck_assert(rel(g.lambda, f.lambda / pow(24.0, f.beta)) < 1e-9);
		ck_assert(fabs(g.loglik - (f.loglik - 10.0 * log(24.0))) < 1e-8);
	}
}
END_TEST

/* Failure-truncated (the last failure ends the observation): beta =
 * n / sum_{i<n} ln(t_n / t_i). */
START_TEST(test_plp_failure_truncated)
{
	static const double t[] = {12.0, 45.0, 77.0, 90.0, 131.0, 150.0, 160.0};
	struct predict_system s = {0.0, 160.0, t, 7};
	struct predict_power_law f;
	double sl = 0.0;
	size_t i;

	for (i = 0; i < 6; i++)
		sl += log(160.0 / t[i]);
	ck_assert_int_eq(predict_power_law_fit(&s, 1, 0.90, &f, NULL), WR_OK);
	ck_assert(rel(f.beta, 7.0 / sl) < 1e-10);
	ck_assert(f.beta > 1.0);
}
END_TEST

/* Several systems observed from age 0 to one age T (Crow 1974): beta =
 * N / sum over every failure of ln(T / t). */
START_TEST(test_plp_systems_closed_form)
{
	static const double a[] = {33.0, 120.0, 410.0, 700.0, 900.0};
	static const double b[] = {250.0, 590.0};
	static const double c[] = {15.0, 320.0, 520.0, 610.0, 810.0, 950.0};
	struct predict_system s[] = {{0.0, 1000.0, a, 5}, {0.0, 1000.0, b, 2}, {0.0, 1000.0, c, 6}};
	struct predict_power_law f;
	double sl = 0.0;
	size_t i;

	for (i = 0; i < 5; i++)
		sl += log(1000.0 / a[i]);
	for (i = 0; i < 2; i++)
		sl += log(1000.0 / b[i]);
	for (i = 0; i < 6; i++)
		sl += log(1000.0 / c[i]);
	ck_assert_int_eq(predict_power_law_fit(s, 3, 0.90, &f, NULL), WR_OK);
	ck_assert(f.ok && f.n == 13.0);
	ck_assert(rel(f.beta, 13.0 / sl) < 1e-10);
	ck_assert(rel(f.lambda, 13.0 / (3.0 * pow(1000.0, f.beta))) < 1e-9);
}
END_TEST

/* The log-likelihood of systems sharing (beta, lambda), written out. */
static double plp_loglik(const struct predict_system *s, size_t n, double beta, double lambda)
{
	double L = 0.0;
	size_t q, i;

	for (q = 0; q < n; q++) {
		for (i = 0; i < s[q].n; i++)
			L += log(lambda * beta) + (beta - 1.0) * log(s[q].fail[i]);
		L -= lambda * (pow(s[q].end, beta) - pow(s[q].start, beta));
	}
	return L;
}

/* The profile: lambda at its maximum for this beta. */
static double profile(const struct predict_system *s, size_t n, double beta)
{
	double N = 0.0, E = 0.0;
	size_t q;

	for (q = 0; q < n; q++) {
		N += (double)s[q].n;
		E += pow(s[q].end, beta) - pow(s[q].start, beta);
	}
	return plp_loglik(s, n, beta, N / E);
}

/* Windows that start late (bought second-hand, or history from a date)
 * and end apart: no closed form.  The estimate is where the independently
 * written likelihood is highest and flat. */
START_TEST(test_plp_windows)
{
	static const double a[] = {520.0, 610.0, 700.0, 760.0};
	static const double b[] = {140.0, 260.0};
	static const double c[] = {1030.0, 1100.0, 1180.0, 1210.0, 1290.0};
	struct predict_system s[] = {{400.0, 800.0, a, 4}, {0.0, 300.0, b, 2}, {900.0, 1300.0, c, 5}};
	struct predict_power_law f;
	double h = 1e-5, d;

	ck_assert_int_eq(predict_power_law_fit(s, 3, 0.90, &f, NULL), WR_OK);
	ck_assert(f.ok);
	ck_assert(fabs(f.loglik - profile(s, 3, f.beta)) < 1e-9);
	ck_assert(fabs(f.loglik - plp_loglik(s, 3, f.beta, f.lambda)) < 1e-9);
	d = (profile(s, 3, f.beta * (1 + h)) - profile(s, 3, f.beta * (1 - h))) / (2 * h * f.beta);
	ck_assert_msg(fabs(d) < 1e-4, "slope %g at beta %g", d, f.beta);
	ck_assert(profile(s, 3, f.beta * 1.01) < f.loglik);
	ck_assert(profile(s, 3, f.beta * 0.99) < f.loglik);
	/* lambda is the maximum for that beta. */
	ck_assert(plp_loglik(s, 3, f.beta, f.lambda * 1.01) < f.loglik);
	ck_assert(plp_loglik(s, 3, f.beta, f.lambda * 0.99) < f.loglik);
	/* Failures crowd toward the ends of the windows: deteriorating. */
	ck_assert_msg(f.beta > 1.0, "beta %g", f.beta);
}
END_TEST

static uint64_t rs = 5;

static double unif(void)
{
	return test_unif(&rs);
}

/* 300 systems with staggered windows drawn from beta = 2.5, lambda such
 * that a system sees about 10 failures by age 1000: recovered. */
START_TEST(test_plp_recovers_simulated)
{
	enum { NS = 300, MAXF = 64 };
	static double fail[NS][MAXF];
	static struct predict_system s[NS];
	const double beta = 2.5, theta = 1000.0 / pow(10.0, 1.0 / 2.5);
	struct predict_power_law f;
	size_t q;

	for (q = 0; q < NS; q++) {
		double start = 500.0 * unif(), end = start + 300.0 + 900.0 * unif();
		double L = pow(start / theta, beta);
		s[q].start = start;
		s[q].end = end;
		s[q].fail = fail[q];
		s[q].n = 0;
		for (;;) {
			double x;
			L -= log(unif());
			x = theta * pow(L, 1.0 / beta);
			if (x > end || s[q].n == MAXF)
				break;
			fail[q][s[q].n++] = x;
		}
	}
	ck_assert_int_eq(predict_power_law_fit(s, NS, 0.90, &f, NULL), WR_OK);
	ck_assert_msg(rel(f.beta, beta) < 0.05, "beta %g for 2.5", f.beta);
	ck_assert(f.beta_b.lo < beta && f.beta_b.hi > beta);
	ck_assert(rel(f.lambda, pow(theta, -beta)) < 0.3);
}
END_TEST

START_TEST(test_plp_refusals)
{
	static const double t[] = {5.0, 50.0};
	static const double one[] = {5.0};
	struct predict_system s = {10.0, 100.0, t, 2};
	struct predict_power_law f;
	struct wr_err e = {0, ""};

	/* A failure before its window. */
	ck_assert_int_eq(predict_power_law_fit(&s, 1, 0.90, &f, &e), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "outside"));
	s.start = 0.0;
	s.end = 0.0;
	ck_assert_int_eq(predict_power_law_fit(&s, 1, 0.90, &f, &e), WR_EINPUT);
	/* One failure: no estimate, not an error. */
	s.end = 100.0;
	s.fail = one;
	s.n = 1;
	ck_assert_int_eq(predict_power_law_fit(&s, 1, 0.90, &f, &e), WR_OK);
	ck_assert(!f.ok && isnan(f.beta));
	ck_assert_int_eq(predict_power_law_fit(NULL, 0, 0.90, &f, &e), WR_OK);
	ck_assert(!f.ok);
}
END_TEST

/* ------------------------------------------------ minimal repair in the ranking */

#define UCAP 400
#define ECAP 20000

static struct ld_unit U[UCAP];
static struct ld_event E[ECAP];
static struct ld_set S;

static void unit(const char *tag, const char *cls, double install)
{
	lifeset_unit(&S, UCAP, tag, cls, install);
}

static void event(double t, int kind)
{
	lifeset_event(&S, ECAP, t, kind);
}

/* 120 pumps renewed at failure (Weibull, beta 2, eta 400 days) and 120
 * presses repaired (power law, beta 2.5, about 8 failures by age 2000
 * days), installed over the first 500 days, history to day 2400. */
static void plant(void)
{
	const double theta = 2000.0 / pow(8.0, 1.0 / 2.5);
	char tag[16];
	size_t i;

	lifeset_start(&S, U, E);
	rs = 77;
	for (i = 0; i < 120; i++) {
		double t = 500.0 * unif();
		snprintf(tag, sizeof tag, "PU%03zu", i);
		unit(tag, "pump", t);
		for (;;) {
			t += 400.0 * sqrt(-log(unif()));
			if (t >= 2400.0)
				break;
			event(t, LD_FAILURE);
		}
	}
	for (i = 0; i < 120; i++) {
		double install = 500.0 * unif(), L = 0.0;
		snprintf(tag, sizeof tag, "PR%03zu", i);
		unit(tag, "press", install);
		for (;;) {
			double t;
			L -= log(unif());
			t = install + theta * pow(L, 1.0 / 2.5);
			if (t >= 2400.0)
				break;
			event(t, LD_FAILURE);
		}
	}
}

static const struct predict_class *class_of(const struct predict_ranking *r, const char *c)
{
	size_t i;

	for (i = 0; i < r->nclasses; i++)
		if (strcmp(r->classes[i].cls, c) == 0)
			return &r->classes[i];
	ck_abort_msg("no class %s", c);
	return NULL;
}

/* The data decide: the presses are repaired, the pumps renewed; the power
 * law's beta is found. */
START_TEST(test_rank_chooses_the_process)
{
	struct predict_opts o;
	struct predict_ranking r;
	struct wr_err e = {0, ""};
	const struct predict_class *pu, *pr;
	size_t i;

	plant();
	predict_opts_init(&o);
	ck_assert_int_eq(predict_rank(&S, 2000.0, &o, &r, &e), WR_OK);
	pu = class_of(&r, "pump");
	pr = class_of(&r, "press");
	ck_assert_int_eq(pu->process, PREDICT_PROCESS_RENEWAL);
	ck_assert_int_eq(pr->process, PREDICT_PROCESS_MINIMAL_REPAIR);
	ck_assert_int_eq(pr->model, PREDICT_MODEL_POWER_LAW);
	ck_assert(pr->marginal_repair > pr->marginal_renewal + 1.0);
	ck_assert(pu->marginal_renewal > pu->marginal_repair);
	ck_assert_msg(rel(pr->repair_beta, 2.5) < 0.15, "press beta %g", pr->repair_beta);
	ck_assert(pr->repair_beta_b.lo < 2.5 && pr->repair_beta_b.hi > 2.5);
	/* The presses are alike: the variation under minimal repair's prior
	 * is small, and its upper bound says how small. */
	ck_assert_msg(pr->scale_cv_b.lo <= pr->scale_cv && pr->scale_cv <= pr->scale_cv_b.hi &&
	              pr->scale_cv < 0.3 && pr->scale_cv_b.hi > 0.0 && pr->scale_cv_b.hi < 1.0,
	              "press cv %g [%g, %g]", pr->scale_cv, pr->scale_cv_b.lo, pr->scale_cv_b.hi);
	for (i = 0; i < r.n; i++) {
		const struct predict_item *it = &r.items[i];
		ck_assert_int_eq(it->process, it->tag[1] == 'R' ? PREDICT_PROCESS_MINIMAL_REPAIR
		                                                : PREDICT_PROCESS_RENEWAL);
		/* Expected failures count repeats: never below p. */
		ck_assert(it->expected_failures >= it->p_fail);
	}
	predict_rank_free(&r);
	/* Asked not to, it renews everything. */
	o.renewal_only = 1;
	ck_assert_int_eq(predict_rank(&S, 2000.0, &o, &r, &e), WR_OK);
	ck_assert_int_eq(class_of(&r, "press")->process, PREDICT_PROCESS_RENEWAL);
	ck_assert(isnan(class_of(&r, "press")->repair_beta));
	predict_rank_free(&r);
}
END_TEST

/* p of a deteriorating press rises with each failure.  And any horizon
 * asked of the model is what a ranking at that horizon says. */
START_TEST(test_rank_p_rises_with_failures)
{
	struct predict_opts o;
	struct predict_ranking a, b;
	struct wr_err e = {0, ""};
	const struct predict_item *ia, *ib;
	const struct ld_unit *u;
	double tf = NAN, p;
	size_t i, k, checked = 0;

	plant();
	predict_opts_init(&o);
	for (i = 0; i < S.nunits && checked < 5; i++) {
		u = &U[i];
		if (u->tag[1] != 'R' || u->nev < 4)
			continue;
		tf = E[u->ev0 + 3].t;   /* its fourth failure */
		if (!(tf < 2000.0))
			continue;
		for (k = 0; k < 2; k++) {
			o.renewal_only = (int)k;
			ck_assert_int_eq(predict_rank(&S, tf - 1e-3, &o, &a, &e), WR_OK);
			ck_assert_int_eq(predict_rank(&S, tf + 1e-3, &o, &b, &e), WR_OK);
			ia = predict_rank_find(&a, u->tag);
			ib = predict_rank_find(&b, u->tag);
			ck_assert(ia && ib && ib->failures == ia->failures + 1);
			/* Either way the life since the last renewal starts again;
			 * under minimal repair the unit stays as old and p rises. */
			ck_assert(ib->age < 0.01);
			if (k == 0)
				ck_assert_msg(ib->p_fail > ia->p_fail, "%s: %g before, %g after",
				              u->tag, ia->p_fail, ib->p_fail);
			predict_rank_free(&a);
			predict_rank_free(&b);
		}
		checked++;
	}
	ck_assert_uint_eq(checked, 5);
	o.renewal_only = 0;
	ck_assert_int_eq(predict_rank(&S, 2000.0, &o, &a, &e), WR_OK);
	o.horizon = 90.0;
	ck_assert_int_eq(predict_rank(&S, 2000.0, &o, &b, &e), WR_OK);
	for (i = 0; i < b.n; i++) {
		ck_assert_int_eq(predict_p_fail(&a, b.items[i].unit, 90.0, &p, &e), WR_OK);
		ck_assert(p == b.items[i].p_fail);
	}
	predict_rank_free(&a);
	predict_rank_free(&b);
}
END_TEST

/* Over twelve monthly cutoffs the presses' predicted failures match those
 * observed (renewal predicts about half). */
START_TEST(test_rank_repair_calibrated)
{
	struct predict_opts o;
	struct predict_backtest bt;
	struct predict_truth t;
	struct wr_err e = {0, ""};
	double cut[12], *tp;
	int *grp;
	size_t k, u;

	plant();
	predict_opts_init(&o);
	for (k = 0; k < 12; k++)
		cut[k] = 2000.0 + 30.0 * (double)k;
	/* Groups only (the truth's p is not what is tested): pumps 0, presses 1. */
	tp = malloc(12 * S.nunits * sizeof *tp);
	grp = malloc(S.nunits * sizeof *grp);
	ck_assert(tp && grp);
	for (u = 0; u < S.nunits; u++) {
		grp[u] = U[u].tag[1] == 'R';
		for (k = 0; k < 12; k++)
			tp[k * S.nunits + u] = 0.5;
	}
	t.p = tp;
	t.nunits = S.nunits;
	t.group = grp;
	t.ngroups = 2;
	for (k = 0; k < 2; k++) {
		double ratio;
		o.renewal_only = (int)k;
		ck_assert_int_eq(predict_backtest_truth(&S, cut, 12, &o, &t, &bt, &e), WR_OK);
		ratio = bt.groups[1].predicted[PREDICT_S_MODEL] / bt.groups[1].observed;
		if (k == 0)
			ck_assert_msg(ratio > 0.85 && ratio < 1.18, "presses: predicted/observed %g", ratio);
		else
			ck_assert_msg(ratio < 0.8, "renewed presses: predicted/observed %g", ratio);
		predict_backtest_free(&bt);
	}
	free(tp);
	free(grp);
}
END_TEST

/* 120 pumps as above and 150 mills repaired in part: Kijima type I with
 * q = 0.4 (a repair undoes 60 % of the last interval's ageing), Weibull
 * intensity beta 2.5, eta 300 days, in the virtual age. */
static void plant_mills(void)
{
	char tag[16];
	size_t i;

	plant();
	S.nunits = 120;
	S.nevents = U[119].ev0 + U[119].nev;
	rs = 78;
	for (i = 0; i < 150; i++) {
		double t = 500.0 * unif(), v = 0.0;
		snprintf(tag, sizeof tag, "MI%03zu", i);
		unit(tag, "mill", t);
		for (;;) {
			double x = 300.0 * pow(pow(v / 300.0, 2.5) - log(unif()), 1.0 / 2.5) - v;
			t += x;
			if (t >= 2400.0)
				break;
			event(t, LD_FAILURE);
			v += 0.4 * x;
		}
	}
}

/* The mills are found repaired in part, with their q; the pumps stay
 * renewed; and the mills' predicted failures match those observed over
 * twelve monthly cutoffs, where minimal repair over-predicts. */
START_TEST(test_rank_imperfect_repair)
{
	struct predict_opts o;
	struct predict_ranking r;
	struct predict_backtest bt;
	struct predict_truth t;
	struct wr_err e = {0, ""};
	const struct predict_class *mi;
	double cut[12], *tp, ratio;
	int *grp;
	size_t k, u;

	plant_mills();
	predict_opts_init(&o);
	ck_assert_int_eq(predict_rank(&S, 2000.0, &o, &r, &e), WR_OK);
	mi = class_of(&r, "mill");
	ck_assert_int_eq(class_of(&r, "pump")->process, PREDICT_PROCESS_RENEWAL);
	ck_assert_int_eq(class_of(&r, "pump")->model, PREDICT_MODEL_WEIBULL);
	ck_assert_int_eq(mi->process, PREDICT_PROCESS_IMPERFECT_REPAIR);
	ck_assert_int_eq(mi->model, PREDICT_MODEL_KIJIMA_I);
	ck_assert_msg(fabs(mi->repair_q - 0.4) < 0.15, "q %g for 0.4", mi->repair_q);
	ck_assert_msg(rel(mi->repair_beta, 2.5) < 0.2, "beta %g for 2.5", mi->repair_beta);
	ck_assert(mi->marginal_imperfect > mi->marginal_repair + 1.0);
	ck_assert(mi->marginal_imperfect > mi->marginal_renewal + 2.0);
	for (k = 0; k < r.n; k++)
		ck_assert_int_eq(r.items[k].model, class_of(&r, r.items[k].cls)->model);
	predict_rank_free(&r);

	for (k = 0; k < 12; k++)
		cut[k] = 2000.0 + 30.0 * (double)k;
	tp = malloc(12 * S.nunits * sizeof *tp);
	grp = malloc(S.nunits * sizeof *grp);
	ck_assert(tp && grp);
	for (u = 0; u < S.nunits; u++) {
		grp[u] = U[u].tag[0] == 'M';
		for (k = 0; k < 12; k++)
			tp[k * S.nunits + u] = 0.5;
	}
	t.p = tp;
	t.nunits = S.nunits;
	t.group = grp;
	t.ngroups = 2;
	ck_assert_int_eq(predict_backtest_truth(&S, cut, 12, &o, &t, &bt, &e), WR_OK);
	ratio = bt.groups[1].predicted[PREDICT_S_MODEL] / bt.groups[1].observed;
	ck_assert_msg(ratio > 0.85 && ratio < 1.18, "mills: predicted/observed %g", ratio);
	predict_backtest_free(&bt);
	free(tp);
	free(grp);
}
END_TEST

/* r, ranked on `threads` threads, is one (ranked on one) bit for bit. */
static void same_ranking(const struct predict_ranking *r, const struct predict_ranking *one,
                         unsigned threads)
{
	ck_assert_uint_eq(r->n, one->n);
	ck_assert_uint_eq(r->nclasses, one->nclasses);
	for (size_t i = 0; i < r->n; i++)
		ck_assert_msg(memcmp(&r->items[i], &one->items[i], sizeof r->items[i]) == 0,
		              "%u threads: item %zu (%s) differs", threads, i, r->items[i].tag);
	for (size_t i = 0; i < r->nclasses; i++)
		ck_assert_msg(memcmp(&r->classes[i], &one->classes[i], sizeof r->classes[i]) == 0,
		              "%u threads: class %s differs", threads, r->classes[i].cls);
}

/* The classes are fitted on several threads: the ranking, every item and
 * every class, is the same to the bit whatever their number (one, two, one
 * per class and more, one per core), on a plant of three classes: pumps
 * renewed at wear-out failures, valves at early ones, mills repaired in
 * part. */
static void rank_threads(unsigned threads, struct predict_ranking *r)
{
	struct predict_opts o;
	struct wr_err e = {0, ""};

	predict_opts_init(&o);
	o.threads = threads;
	ck_assert_int_eq(predict_rank(&S, 2000.0, &o, r, &e), WR_OK);
}

START_TEST(test_rank_threads_same_result)
{
	static const unsigned threads[] = {2, 3, 8, 0};
	struct predict_ranking one, r;
	char tag[16];
	size_t i, k;

	plant_mills();
	rs = 80;
	for (i = 0; i < 120; i++) {
		double install = 500.0 * unif(), t = install;
		snprintf(tag, sizeof tag, "VA%03zu", i);
		unit(tag, "valve", install);
		for (;;) {
			t += 300.0 * pow(-log(unif()), 0.8);
			if (t >= 2400.0)
				break;
			event(t, LD_FAILURE);
		}
	}
	rank_threads(1, &one);
	ck_assert_uint_eq(one.nclasses, 3);
	for (k = 0; k < sizeof threads / sizeof threads[0]; k++) {
		rank_threads(threads[k], &r);
		same_ranking(&r, &one, threads[k]);
		predict_rank_free(&r);
	}
	predict_rank_free(&one);
}
END_TEST

/* Every ranked unit's N(t) curve against the ranking: renewed units have
 * none; a repaired unit's expected count over the horizon from now, with
 * no failure in it, is the item's expected failures (which come from the
 * fit's own virtual age: the curve recomputes it along the unit's
 * failures); under minimal repair the curve is the power law whatever the
 * failures.  The failures are the unit's since its system's start. */
static void mcf_agrees(const struct predict_ranking *r, double T, int *repaired)
{
	double f[ECAP];
	size_t i, j;

	for (i = 0; i < r->n; i++) {
		const struct predict_item *it = &r->items[i];
		const struct ld_unit *un = &S.units[it->unit];
		struct predict_mcf m;
		struct wr_err e = {0, ""};
		size_t nf = 0;
		double now, d;
		ck_assert_int_eq(predict_unit_mcf(r, it->unit, &m, &e), WR_OK);
		ck_assert_int_eq(m.ok, it->process != PREDICT_PROCESS_RENEWAL);
		if (!m.ok) {
			ck_assert(isnan(predict_mcf_at(&m, f, 0, 10.0)));
			continue;
		}
		ck_assert_int_eq(m.process, it->process);
		ck_assert(fabs(m.start - un->install) < 1e-9);
		for (j = 0; j < un->nev; j++)
			if (S.events[un->ev0 + j].t < T)
				f[nf++] = S.events[un->ev0 + j].t - m.start;
		now = T - m.start;
		d = predict_mcf_at(&m, f, nf, now + r->horizon) - predict_mcf_at(&m, f, nf, now);
		ck_assert_msg(fabs(d - it->expected_failures) < 1e-9 * it->expected_failures,
		              "%s: %.12g over the horizon, the item %.12g", it->tag, d,
		              it->expected_failures);
		if (m.process == PREDICT_PROCESS_MINIMAL_REPAIR)
			ck_assert(fabs(predict_mcf_at(&m, f, nf, now) -
			               m.rate * pow(now / m.tref, m.beta)) < 1e-9 * m.rate);
		ck_assert(predict_mcf_at(&m, f, nf, now) >= predict_mcf_at(&m, f, nf, 0.5 * now));
		(*repaired)++;
	}
}

START_TEST(test_rank_mcf)
{
	struct predict_opts o;
	struct predict_ranking r;
	struct wr_err e = {0, ""};
	int repaired = 0;

	predict_opts_init(&o);
	plant();
	ck_assert_int_eq(predict_rank(&S, 2000.0, &o, &r, &e), WR_OK);
	mcf_agrees(&r, 2000.0, &repaired);
	ck_assert_int_eq(repaired, 120);
	predict_rank_free(&r);
	plant_mills();
	ck_assert_int_eq(predict_rank(&S, 2000.0, &o, &r, &e), WR_OK);
	ck_assert_int_eq(class_of(&r, "mill")->process, PREDICT_PROCESS_IMPERFECT_REPAIR);
	repaired = 0;
	mcf_agrees(&r, 2000.0, &repaired);
	ck_assert_int_gt(repaired, 100);
	ck_assert_int_eq(predict_unit_mcf(&r, S.nunits, &(struct predict_mcf){0}, &e), WR_EINPUT);
	predict_rank_free(&r);
}
END_TEST

/* 3,000 mills of the kind above, alone: more than the 2,000 units a class
 * searches q on in full, so q is searched on a sample of them and the
 * class fitted in full at the q found.  The simulated truth is the
 * reference: on this many units q and beta are found closely. */
#define BIG_UNITS 3000
#define BIG_EVENTS 250000
static struct ld_unit BU[BIG_UNITS];
static struct ld_event BE[BIG_EVENTS];

START_TEST(test_rank_imperfect_repair_sampled)
{
	struct predict_opts o;
	struct predict_ranking r;
	struct wr_err e = {0, ""};
	struct ld_set big;
	const struct predict_class *mi;
	char tag[16];
	size_t i;

	lifeset_start(&big, BU, BE);
	rs = 79;
	for (i = 0; i < BIG_UNITS; i++) {
		double t = 500.0 * unif(), v = 0.0;
		snprintf(tag, sizeof tag, "MI%04zu", i);
		lifeset_unit(&big, BIG_UNITS, tag, "mill", t);
		for (;;) {
			double x = 300.0 * pow(pow(v / 300.0, 2.5) - log(unif()), 1.0 / 2.5) - v;
			t += x;
			if (t >= 2400.0)
				break;
			lifeset_event(&big, BIG_EVENTS, t, LD_FAILURE);
			v += 0.4 * x;
		}
	}
	predict_opts_init(&o);
	ck_assert_int_eq(predict_rank(&big, 2000.0, &o, &r, &e), WR_OK);
	mi = class_of(&r, "mill");
	ck_assert_int_eq(mi->process, PREDICT_PROCESS_IMPERFECT_REPAIR);
	ck_assert_int_eq(mi->model, PREDICT_MODEL_KIJIMA_I);
	ck_assert_msg(fabs(mi->repair_q - 0.4) < 0.06, "q %g for 0.4", mi->repair_q);
	ck_assert_msg(rel(mi->repair_beta, 2.5) < 0.06, "beta %g for 2.5", mi->repair_beta);
	ck_assert(mi->marginal_imperfect > mi->marginal_repair + 1.0);
	ck_assert_int_eq(r.n, BIG_UNITS);
	predict_rank_free(&r);
}
END_TEST

/* The same to the bit whatever the number of threads on a plant large
 * enough that the units' lives are collected in several chunks (4,096
 * units each) and the ranking's keys sorted in two halves and merged:
 * 5,000 valves. */
#define LARGE_UNITS 5000
#define LARGE_EVENTS 60000
static struct ld_unit LU[LARGE_UNITS];
static struct ld_event LE[LARGE_EVENTS];

START_TEST(test_rank_threads_large)
{
	static const unsigned threads[] = {2, 3, 0};
	struct predict_opts o;
	struct predict_ranking one, r;
	struct wr_err e = {0, ""};
	struct ld_set big;
	char tag[16];
	size_t i, k;

	lifeset_start(&big, LU, LE);
	rs = 81;
	for (i = 0; i < LARGE_UNITS; i++) {
		double t = 500.0 * unif();
		snprintf(tag, sizeof tag, "VA%04zu", i);
		lifeset_unit(&big, LARGE_UNITS, tag, i % 3 ? "valve" : "gate", t);
		for (;;) {
			t += 300.0 * pow(-log(unif()), 0.8);
			if (t >= 2400.0)
				break;
			lifeset_event(&big, LARGE_EVENTS, t, LD_FAILURE);
		}
	}
	predict_opts_init(&o);
	o.threads = 1;
	ck_assert_int_eq(predict_rank(&big, 2000.0, &o, &one, &e), WR_OK);
	ck_assert_uint_eq(one.n, LARGE_UNITS);
	for (k = 0; k < sizeof threads / sizeof threads[0]; k++) {
		o.threads = threads[k];
		ck_assert_int_eq(predict_rank(&big, 2000.0, &o, &r, &e), WR_OK);
		same_ranking(&r, &one, threads[k]);
		predict_rank_free(&r);
	}
	predict_rank_free(&one);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("predict_repair");
	TCase *tc = tcase_create("repair");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_plp_single_closed_form);
	tcase_add_test(tc, test_plp_failure_truncated);
	tcase_add_test(tc, test_plp_systems_closed_form);
	tcase_add_test(tc, test_plp_windows);
	tcase_add_test(tc, test_plp_recovers_simulated);
	tcase_add_test(tc, test_plp_refusals);
	tcase_add_test(tc, test_rank_chooses_the_process);
	tcase_add_test(tc, test_rank_p_rises_with_failures);
	tcase_add_test(tc, test_rank_repair_calibrated);
	tcase_add_test(tc, test_rank_imperfect_repair);
	tcase_add_test(tc, test_rank_imperfect_repair_sampled);
	tcase_add_test(tc, test_rank_mcf);
	tcase_add_test(tc, test_rank_threads_same_result);
	tcase_add_test(tc, test_rank_threads_large);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
