/*
 * test_predict_rank.c - lives from histories, empirical Bayes pooling,
 * shape fallbacks, ranking order, trend tests, age replacement, metrics and
 * the backtest's refusal to look ahead.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers/rng.h"
#include "predict.h"
#include "../predict/predict_int.h"

/* ------------------------------------------------------- a small ld_set */

#define MAXU 64
#define MAXE 2048

struct fixture {
	struct ld_set s;
	struct ld_unit u[MAXU];
	struct ld_event ev[MAXE];
	struct ld_reading rd[16];
};

static struct fixture F;

static void fx_reset(void)
{
	memset(&F, 0, sizeof F);
	F.s.units = F.u;
	F.s.events = F.ev;
	F.s.readings = F.rd;
}

/* Adds a unit; its events are added right after with fx_event(). */
static size_t fx_unit(const char *tag, const char *cls, double install)
{
	struct ld_unit *u = &F.u[F.s.nunits];

	ck_assert(F.s.nunits < MAXU);
	snprintf(u->tag, sizeof u->tag, "%s", tag);
	snprintf(u->cls, sizeof u->cls, "%s", cls);
	u->install = install;
	u->in_service = 1;
	u->ev0 = F.s.nevents;
	return F.s.nunits++;
}

static void fx_event(double t, int kind)
{
	ck_assert(F.s.nevents < MAXE);
	F.ev[F.s.nevents].t = t;
	F.ev[F.s.nevents].op = NAN;
	F.ev[F.s.nevents].kind = kind;
	F.s.nevents++;
	F.u[F.s.nunits - 1].nev++;
}

static double rel(double a, double b)
{
	return fabs(a - b) / fabs(b);
}

/* ----------------------------------------------------------------- lives */

START_TEST(test_lives_basic)
{
	struct predict_life L[8];
	double age;
	size_t n;

	fx_reset();
	fx_unit("P1", "pump", 10.0);
	fx_event(30.0, LD_FAILURE);
	fx_event(50.0, LD_FAILURE);
	fx_event(50.0, LD_REPLACEMENT);  /* same instant: a zero-length life */
	fx_event(80.0, LD_REPLACEMENT);
	fx_event(120.0, LD_FAILURE);     /* after the cutoff: unseen */
	n = predict_lives(&F.s, 0, 100.0, 0, NAN, L, &age);
	ck_assert_uint_eq(n, 4);
	ck_assert(L[0].t == 20.0 && L[0].failed && !L[0].running);
	ck_assert(L[1].t == 20.0 && L[1].failed);
	ck_assert(L[2].t == 30.0 && !L[2].failed);  /* ended by a planned replacement */
	ck_assert(L[3].t == 20.0 && !L[3].failed && L[3].running);
	ck_assert(age == 20.0);
	ck_assert_uint_eq(predict_lives_max(&F.u[0]), 6);

	/* An event exactly at the cutoff is not yet known. */
	n = predict_lives(&F.s, 0, 30.0, 0, NAN, L, &age);
	ck_assert_uint_eq(n, 1);
	ck_assert(L[0].t == 20.0 && L[0].running && age == 20.0);
}
END_TEST

START_TEST(test_lives_truncated_and_retired)
{
	struct predict_life L[8];
	double age;
	size_t n;

	fx_reset();
	/* Unknown install, first event a failure: the span before it is not
	 * a life. */
	fx_unit("P2", "pump", NAN);
	fx_event(40.0, LD_FAILURE);
	fx_event(70.0, LD_FAILURE);
	n = predict_lives(&F.s, 0, 100.0, 0, NAN, L, &age);
	ck_assert_uint_eq(n, 2);
	ck_assert(L[0].t == 30.0 && L[0].failed);
	ck_assert(L[1].t == 30.0 && L[1].running);
	/* No renewal before the cutoff: no age. */
	n = predict_lives(&F.s, 0, 35.0, 0, NAN, L, &age);
	ck_assert_uint_eq(n, 0);
	ck_assert(isnan(age));
	/* Retired: closed lives only. */
	F.u[0].in_service = 0;
	n = predict_lives(&F.s, 0, 100.0, 0, NAN, L, &age);
	ck_assert_uint_eq(n, 1);
	ck_assert(isnan(age));
	/* History complete from day 55: the running life from 40 had already
	 * lasted 15 days when it began. */
	F.u[0].in_service = 1;
	n = predict_lives(&F.s, 0, 60.0, 0, 55.0, L, &age);
	ck_assert_uint_eq(n, 1);
	ck_assert(L[0].t == 20.0 && L[0].entry == 15.0);
	n = predict_lives(&F.s, 0, 100.0, 0, 55.0, L, &age);
	ck_assert(L[0].entry == 15.0 && L[1].entry == 0.0);
}
END_TEST

START_TEST(test_lives_operating_time)
{
	struct predict_life L[8];
	double age;
	size_t n;

	fx_reset();
	fx_unit("G1", "genset", 0.0);
	fx_event(10.0, LD_FAILURE);
	fx_event(30.0, LD_FAILURE);
	/* Meter: 0 h at day 0, 100 h at day 10, 300 h at day 20: 10 then 20
	 * hours a day. */
	F.rd[0].t = 0.0;
	F.rd[0].value = 0.0;
	F.rd[1].t = 10.0;
	F.rd[1].value = 100.0;
	F.rd[2].t = 20.0;
	F.rd[2].value = 300.0;
	F.u[0].rd0 = 0;
	F.u[0].nrd = 3;
	F.s.nreadings = 3;
	n = predict_lives(&F.s, 0, 40.0, 1, NAN, L, &age);
	ck_assert_uint_eq(n, 3);
	ck_assert(fabs(L[0].t - 100.0) < 1e-9);
	/* Day 10 to 30: 200 h to day 20, then 10 more days at 20 h. */
	ck_assert(fabs(L[1].t - 400.0) < 1e-9);
	ck_assert(fabs(age - 200.0) < 1e-9);
	ck_assert(fabs(predict_op_span(&F.s, 0, 40.0, 40.0, 70.0) - 600.0) < 1e-9);
	/* Without a meter: 24 hours a day. */
	F.u[0].nrd = 0;
	n = predict_lives(&F.s, 0, 40.0, 1, NAN, L, &age);
	ck_assert(fabs(L[0].t - 240.0) < 1e-9 && fabs(age - 240.0) < 1e-9);
}
END_TEST

/* ------------------------------------------------------- ranking and EB */

static uint64_t rs;

static double unif(void)
{
	return test_unif(&rs);
}

/* A unit renewed at failures drawn from Weibull(beta, eta) from day 0 to T. */
static void fx_history(const char *tag, const char *cls, double beta, double eta, double T)
{
	double t = 0.0;

	fx_unit(tag, cls, 0.0);
	for (;;) {
		t += eta * pow(-log(unif()), 1.0 / beta);
		if (t >= T)
			break;
		fx_event(t, LD_FAILURE);
	}
}

START_TEST(test_eb_outlier_and_zero_failures)
{
	struct predict_ranking r;
	struct predict_opts o;
	struct wr_err e = {0};
	char tag[16];
	size_t i, k;
	int found_new = 0;

	fx_reset();
	rs = 99;
	for (i = 0; i < 30; i++) {
		snprintf(tag, sizeof tag, "V%02zu", i);
		fx_history(tag, "valve", 2.0, 400.0, 2000.0);
	}
	/* A worn-out valve failing every 60 days or so. */
	fx_history("WORN", "valve", 2.0, 60.0, 2000.0);
	/* A valve installed 100 days ago, never failed. */
	fx_unit("NEW", "valve", 1900.0);
	predict_opts_init(&o);
	o.horizon = 30.0;
	ck_assert_int_eq(predict_rank(&F.s, 2000.0, &o, &r, &e), WR_OK);
	ck_assert_uint_eq(r.n, 32);
	ck_assert_uint_eq(r.nclasses, 1);
	ck_assert(r.classes[0].method == PREDICT_M_CLASS || r.classes[0].method == PREDICT_M_FRAILTY);
	ck_assert_int_eq(r.classes[0].meaning, PREDICT_BETA_WEAROUT);
	/* The worn unit stands out at the top. */
	ck_assert_str_eq(r.items[0].tag, "WORN");
	ck_assert(r.items[0].p_fail > 1.5 * r.items[1].p_fail);
	ck_assert(r.items[0].eta < 0.5 * r.classes[0].eta);
	for (k = 0; k < r.n; k++) {
		const struct predict_item *it = &r.items[k];
		ck_assert(it->p_fail > 0.0 && it->p_fail < 1.0);
		ck_assert(isfinite(it->eta) && isfinite(it->mtbf) && isfinite(it->b10));
		ck_assert(it->expected_failures >= it->p_fail);
		if (k > 0)
			ck_assert(r.items[k - 1].p_fail >= it->p_fail);
		if (strcmp(it->tag, "NEW") == 0) {
			/* No failure of its own, yet a calibrated risk: close to
			 * what the class model says for a 100-day-old valve. */
			double pc = 1.0 - predict_weibull_R(2.0, 400.0, 130.0) /
			                      predict_weibull_R(2.0, 400.0, 100.0);
			found_new = 1;
			ck_assert_int_eq(it->failures, 0);
			ck_assert(it->p_fail > 0.5 * pc && it->p_fail < 2.0 * pc);
		}
	}
	ck_assert(found_new);
	predict_rank_free(&r);
}
END_TEST

START_TEST(test_rank_fallbacks_and_fixed)
{
	struct predict_ranking r;
	struct predict_opts o;
	struct predict_class_beta fixed = {"fan", 3.0};
	size_t i;
	char tag[16];

	fx_reset();
	rs = 5;
	for (i = 0; i < 10; i++) {
		snprintf(tag, sizeof tag, "M%02zu", i);
		fx_history(tag, "motor", 1.5, 200.0, 1500.0);
	}
	/* One failure in the class: it borrows the pooled shape. */
	fx_unit("B1", "belt", 0.0);
	fx_event(300.0, LD_FAILURE);
	fx_unit("B2", "belt", 0.0);
	/* No failures at all. */
	fx_unit("F1", "fan", 0.0);
	fx_unit("H1", "hose", 0.0);
	predict_opts_init(&o);
	ck_assert_int_eq(predict_rank(&F.s, 1500.0, &o, &r, NULL), WR_OK);
	ck_assert_uint_eq(r.nclasses, 4);
	/* Classes are sorted by name. */
	ck_assert_str_eq(r.classes[0].cls, "belt");
	ck_assert_str_eq(r.classes[3].cls, "motor");
	ck_assert_int_eq(r.classes[0].method, PREDICT_M_GLOBAL);
	ck_assert_int_eq(r.classes[0].status, PREDICT_ONE_FAILURE);
	ck_assert(rel(r.classes[0].beta, r.global_beta) < 1e-15);
	ck_assert_int_eq(r.classes[1].method, PREDICT_M_GLOBAL);
	ck_assert_int_eq(r.classes[1].status, PREDICT_NO_FAILURES);
	/* Its own shape: by default fitted with the units' frailty. */
	ck_assert_int_eq(r.classes[3].method, PREDICT_M_FRAILTY);
	for (i = 0; i < r.n; i++)
		ck_assert(r.items[i].p_fail > 0.0 && r.items[i].p_fail < 1.0);
	predict_rank_free(&r);

	/* A user-fixed shape wins. */
	o.fixed = &fixed;
	o.nfixed = 1;
	ck_assert_int_eq(predict_rank(&F.s, 1500.0, &o, &r, NULL), WR_OK);
	ck_assert_int_eq(r.classes[1].method, PREDICT_M_FIXED);
	ck_assert(r.classes[1].beta == 3.0);
	ck_assert_int_eq(r.classes[1].meaning, PREDICT_BETA_WEAROUT);
	predict_rank_free(&r);

	/* Without any usable shape anywhere: beta = 1, and said so. */
	fx_reset();
	fx_unit("A", "x", 0.0);
	fx_unit("B", "x", 0.0);
	predict_opts_init(&o);
	ck_assert_int_eq(predict_rank(&F.s, 100.0, &o, &r, NULL), WR_OK);
	ck_assert_int_eq(r.classes[0].method, PREDICT_M_EXPONENTIAL);
	ck_assert(r.classes[0].beta == 1.0);
	ck_assert_int_eq(r.classes[0].meaning, PREDICT_BETA_UNKNOWN);
	ck_assert(r.items[0].p_fail > 0.0 && r.items[0].p_fail < 1.0);
	predict_rank_free(&r);
}
END_TEST

START_TEST(test_rank_deterministic_order)
{
	struct predict_ranking r;
	size_t i;
	const char *want[] = {"AA", "BB", "CC", "DD"};

	/* Identical histories: equal p, so the order is by tag whatever the
	 * input order. */
	fx_reset();
	fx_unit("CC", "k", 0.0);
	fx_event(50.0, LD_FAILURE);
	fx_unit("AA", "k", 0.0);
	fx_event(50.0, LD_FAILURE);
	fx_unit("DD", "k", 0.0);
	fx_event(50.0, LD_FAILURE);
	fx_unit("BB", "k", 0.0);
	fx_event(50.0, LD_FAILURE);
	ck_assert_int_eq(predict_rank(&F.s, 100.0, NULL, &r, NULL), WR_OK);
	ck_assert_uint_eq(r.n, 4);
	for (i = 0; i < 4; i++)
		ck_assert_str_eq(r.items[i].tag, want[i]);
	ck_assert(r.items[0].p_fail == r.items[3].p_fail);
	predict_rank_free(&r);

	/* A retired unit is not ranked; the horizon must be positive. */
	F.u[0].in_service = 0;
	ck_assert_int_eq(predict_rank(&F.s, 100.0, NULL, &r, NULL), WR_OK);
	ck_assert_uint_eq(r.n, 3);
	predict_rank_free(&r);
	{
		struct predict_opts o;
		struct wr_err e = {0};
		predict_opts_init(&o);
		o.horizon = -1.0;
		ck_assert_int_eq(predict_rank(&F.s, 100.0, &o, &r, &e), WR_EINPUT);
		ck_assert(strstr(e.msg, "horizon") != NULL);
	}
}
END_TEST

/* Units are grouped by class name (byte order, whole names), however the
 * units come: 64 units over 21 names in scrambled order, among them names
 * that differ only in their last (63rd) character or in case. */
START_TEST(test_rank_groups_classes)
{
	char names[21][64], tag[16];
	size_t count[21] = {0}, i, c, k;
	struct predict_ranking r;

	fx_reset();
	for (k = 0; k < 21; k++) {
		if (k < 3)
			snprintf(names[k], sizeof names[k], "%062d%c", 7, (char)('a' + k));
		else
			snprintf(names[k], sizeof names[k], "%s%zu", k % 2 ? "Pump" : "pump", k * 37 % 19);
	}
	for (i = 0; i < MAXU; i++) {
		k = (i * 13 + 5) % 21;
		snprintf(tag, sizeof tag, "U%02zu", i);
		fx_unit(tag, names[k], 0.0);
		fx_event(20.0 + (double)(i % 7) * 9.0, LD_FAILURE);
		count[k]++;
	}
	ck_assert_int_eq(predict_rank(&F.s, 100.0, NULL, &r, NULL), WR_OK);
	ck_assert_uint_eq(r.nclasses, 21);
	for (c = 0; c < r.nclasses; c++) {
		for (k = 0; k < 21 && strcmp(names[k], r.classes[c].cls) != 0; k++)
			;
		ck_assert_uint_lt(k, 21);
		ck_assert_uint_eq(r.classes[c].units, count[k]);
		if (c > 0)
			ck_assert_int_lt(strcmp(r.classes[c - 1].cls, r.classes[c].cls), 0);
	}
	ck_assert_uint_eq(r.n, MAXU);
	for (i = 0; i < r.n; i++)
		ck_assert_str_eq(r.items[i].cls, r.classes[r.items[i].class_index].cls);
	predict_rank_free(&r);
}
END_TEST

static int cmp_dbl(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

/* pi_kth_smallest (the planned replacement age's median) against a full
 * sort, on arrays of every size to 200 with values drawn from a few (ties
 * everywhere) or from many, and on sorted, reversed and constant ones. */
START_TEST(test_kth_smallest)
{
	double a[200], b[200];
	size_t n, k, i;
	int kind;
	uint64_t seed = 7;

	for (kind = 0; kind < 5; kind++) {
		for (n = 1; n <= 200; n++) {
			for (i = 0; i < n; i++) {
				seed = seed * 6364136223846793005u + 1442695040888963407u;
				a[i] = kind == 0 ? (double)(seed >> 61)
				       : kind == 1 ? (double)(seed >> 11) / 9007199254740992.0
				       : kind == 2 ? (double)i
				       : kind == 3 ? (double)(n - i) : 365.0;
			}
			memcpy(b, a, n * sizeof *a);
			qsort(b, n, sizeof *b, cmp_dbl);
			for (k = 0; k < n; k += 1 + n / 7) {
				double c[200];
				memcpy(c, a, n * sizeof *a);
				ck_assert_msg(pi_kth_smallest(c, n, k) == b[k], "kind %d n %zu k %zu", kind, n,
				              k);
			}
		}
	}
}
END_TEST

/* ----------------------------------------------------------------- trend */

/* P(chi2 with 2n degrees <= x), closed form for even degrees. */
static double chi2_even_cdf(double x, int n)
{
	double term = 1.0, sum = 1.0;
	int k;

	for (k = 1; k < n; k++) {
		term *= 0.5 * x / k;
		sum += term;
	}
	return 1.0 - exp(-0.5 * x) * sum;
}

START_TEST(test_trend_known)
{
	/* Failures bunching towards the end of (0, 400]. */
	double det[] = {100, 180, 240, 280, 310, 330, 345, 355, 362, 368};
	double imp[] = {5, 12, 20, 35, 60, 100, 160, 250};
	double hpp[] = {40, 80, 120, 160, 200, 240, 280, 320, 360};
	struct predict_trend tr;
	double sum = 0.0, suml = 0.0, u;
	size_t i;

	ck_assert_int_eq(predict_trend(det, 10, 400.0, &tr, NULL), WR_OK);
	for (i = 0; i < 10; i++) {
		sum += det[i];
		suml += log(400.0 / det[i]);
	}
	u = (sum / 10.0 - 200.0) / (400.0 * sqrt(1.0 / 120.0));
	ck_assert(rel(tr.laplace_u, u) < 1e-12);
	ck_assert(rel(tr.laplace_p, 0.5 * erfc(u / sqrt(2.0))) < 1e-9);
	ck_assert(rel(tr.ca_beta, 10.0 / suml) < 1e-12);
	ck_assert(tr.ca_df == 20.0);
	ck_assert(rel(tr.ca_p, chi2_even_cdf(2.0 * suml, 10)) < 1e-9);
	ck_assert(tr.ca_beta > 1.0);
	ck_assert_int_eq(tr.flag, PREDICT_TREND_DETERIORATING);

	ck_assert_int_eq(predict_trend(imp, 8, 260.0, &tr, NULL), WR_OK);
	ck_assert(tr.ca_beta < 1.0 && tr.laplace_u < 0.0);
	ck_assert_int_eq(tr.flag, PREDICT_TREND_IMPROVING);

	ck_assert_int_eq(predict_trend(hpp, 9, 400.0, &tr, NULL), WR_OK);
	ck_assert_int_eq(tr.flag, PREDICT_TREND_NONE);
	ck_assert(fabs(tr.laplace_u) < 0.5);

	/* Failure-truncated: the last failure ends the observation, n - 1
	 * terms, 2(n-1) degrees of freedom. */
	ck_assert_int_eq(predict_trend(det, 10, 0.0, &tr, NULL), WR_OK);
	ck_assert(tr.ca_df == 18.0);
	suml = 0.0;
	for (i = 0; i < 9; i++)
		suml += log(368.0 / det[i]);
	ck_assert(rel(tr.ca_beta, 10.0 / suml) < 1e-12);

	/* Too few failures; bad input. */
	ck_assert_int_eq(predict_trend(det, 2, 400.0, &tr, NULL), WR_OK);
	ck_assert_int_eq(tr.flag, PREDICT_TREND_NA);
	ck_assert_str_eq(predict_trend_str(tr.flag), "n/a");
	{
		double bad[] = {10, 5, 20};
		struct wr_err e = {0};
		ck_assert_int_eq(predict_trend(bad, 3, 30.0, &tr, &e), WR_EINPUT);
	}
}
END_TEST

/* ------------------------------------------------------- age replacement */

START_TEST(test_age_replacement_grid)
{
	const double betas[] = {1.5, 2.0, 3.5};
	size_t b;

	for (b = 0; b < 3; b++) {
		double beta = betas[b], eta = 1000.0, cp = 100.0, cf = 1000.0;
		double best = INFINITY, tbest = 0.0, T;
		struct predict_agerep a;
		ck_assert_int_eq(predict_age_replacement(beta, eta, cp, cf, &a, NULL), WR_OK);
		ck_assert(a.ok);
		/* Brute force: C(T) by the trapezoid rule on a fine grid. */
		for (T = 5.0; T <= 3000.0; T += 5.0) {
			double I = 0.0, t, h = T / 2000.0, R = predict_weibull_R(beta, eta, T), c;
			for (t = 0.0; t < T - 0.5 * h; t += h)
				I += 0.5 * h * (predict_weibull_R(beta, eta, t) + predict_weibull_R(beta, eta, t + h));
			c = (cp * R + cf * (1.0 - R)) / I;
			if (c < best) {
				best = c;
				tbest = T;
			}
		}
		ck_assert_msg(fabs(a.t_opt - tbest) <= 10.0, "beta %g: T* %g, grid %g", beta, a.t_opt, tbest);
		ck_assert(rel(a.cost_rate, best) < 1e-3);
		ck_assert(a.cost_rate <= predict_age_replacement_cost(beta, eta, cp, cf, a.t_opt * 1.05));
		ck_assert(a.cost_rate <= predict_age_replacement_cost(beta, eta, cp, cf, a.t_opt * 0.95));
		ck_assert(rel(a.cost_rate_rtf, cf / (eta * tgamma(1.0 + 1.0 / beta))) < 1e-12);
		ck_assert(a.saving > 0.0 && a.saving < 1.0);
	}
	{
		struct predict_agerep a;
		ck_assert_int_eq(predict_age_replacement(0.8, 100.0, 1.0, 5.0, &a, NULL), WR_OK);
		ck_assert(!a.ok && a.why != NULL && isnan(a.t_opt));
		ck_assert_int_eq(predict_age_replacement(2.0, 100.0, 5.0, 5.0, &a, NULL), WR_OK);
		ck_assert(!a.ok);
		ck_assert_int_eq(predict_age_replacement(2.0, 100.0, -1.0, 5.0, &a, NULL), WR_EINPUT);
	}
}
END_TEST

/* --------------------------------------------------------------- metrics */

START_TEST(test_metrics_ties)
{
	/* Positives 0.35, 0.4, 0.8; negatives 0.1, 0.4.  Pairs: 0.35 beats
	 * 0.1 (1) loses to 0.4 (0); 0.4 beats 0.1 (1) ties 0.4 (0.5); 0.8
	 * beats both (2): 4.5 / 6. */
	double s[] = {0.1, 0.4, 0.35, 0.8, 0.4};
	int y[] = {0, 0, 1, 1, 1};
	struct predict_metrics m;

	ck_assert_int_eq(predict_metrics(s, y, 5, 0, 1, &m, NULL), WR_OK);
	ck_assert(fabs(m.auc - 4.5 / 6.0) < 1e-15);
	/* k = 3 positives: 0.8 (hit), then the tied pair 0.4/0.4 for two
	 * slots (one hit): 2 / 3. */
	ck_assert(fabs(m.prec_k - 2.0 / 3.0) < 1e-15);
	ck_assert(fabs(m.brier - (0.01 + 0.16 + 0.4225 + 0.04 + 0.36) / 5.0) < 1e-15);
	/* k = 2: 0.8, then one of the tied pair: 1.5 / 2. */
	ck_assert_int_eq(predict_metrics(s, y, 5, 2, 0, &m, NULL), WR_OK);
	ck_assert(fabs(m.prec_k - 0.75) < 1e-15);
	ck_assert(isnan(m.brier));
	/* All tied: AUC one half. */
	{
		double c[] = {1, 1, 1, 1};
		int yy[] = {1, 0, 0, 1};
		ck_assert_int_eq(predict_metrics(c, yy, 4, 0, 0, &m, NULL), WR_OK);
		ck_assert(fabs(m.auc - 0.5) < 1e-15);
		ck_assert(fabs(m.prec_k - 0.5) < 1e-15);
	}
}
END_TEST

START_TEST(test_calibration_by_hand)
{
	/* p = 1/20 .. 20/20, given out of order; bins of two: bin k holds
	 * (2k+1)/20 and (2k+2)/20, so it predicts (4k+3)/20 failures.  Failed:
	 * p = 2, 5, 10, 15, 16 and 20 twentieths, i.e. bins 0, 2, 4, 7, 7, 9. */
	static const int fail20[] = {2, 5, 10, 15, 16, 20};
	static const double obs[10] = {1, 0, 1, 0, 1, 0, 0, 2, 0, 1};
	double p[20];
	int y[20];
	struct predict_calib c;
	struct wr_err e = {0, ""};
	size_t i, k;

	for (i = 0; i < 20; i++) {
		size_t twentieths = (7 * i) % 20 + 1;   /* a permutation of 1..20 */
		p[i] = (double)twentieths / 20.0;
		y[i] = 0;
		for (k = 0; k < 6; k++)
			y[i] |= fail20[k] == (int)twentieths;
	}
	ck_assert_int_eq(predict_calibration(p, NULL, y, 20, &c, &e), WR_OK);
	ck_assert_uint_eq(c.n, 20);
	for (k = 0; k < PREDICT_CALIB_BINS; k++) {
		ck_assert_uint_eq(c.bin[k].n, 2);
		ck_assert(fabs(c.bin[k].predicted - (4.0 * (double)k + 3.0) / 20.0) < 1e-15);
		ck_assert(c.bin[k].observed == obs[k]);
		ck_assert(c.bin[k].p_lo == (2.0 * (double)k + 1.0) / 20.0);
		ck_assert(c.bin[k].p_hi == (2.0 * (double)k + 2.0) / 20.0);
	}
	ck_assert(fabs(c.predicted - 10.5) < 1e-14);
	ck_assert(c.observed == 6.0);
	ck_assert(fabs(c.ratio - 1.75) < 1e-14);
	ck_assert(isnan(c.truth) && isnan(c.bin[0].truth));
	/* A truth of half of each p is summed in the same bins. */
	{
		double half[20];
		for (i = 0; i < 20; i++)
			half[i] = p[i] / 2.0;
		ck_assert_int_eq(predict_calibration(p, half, y, 20, &c, &e), WR_OK);
		for (k = 0; k < PREDICT_CALIB_BINS; k++)
			ck_assert(fabs(c.bin[k].truth - (4.0 * (double)k + 3.0) / 40.0) < 1e-15);
		ck_assert(fabs(c.truth - 5.25) < 1e-14);
	}

	/* Fewer than ten: bins 3, 6 and 9 hold one each, the others none. */
	ck_assert_int_eq(predict_calibration(p, NULL, y, 3, &c, &e), WR_OK);
	for (k = 0; k < PREDICT_CALIB_BINS; k++) {
		ck_assert_uint_eq(c.bin[k].n, k == 3 || k == 6 || k == 9);
		ck_assert(c.bin[k].n ? isfinite(c.bin[k].p_lo) : isnan(c.bin[k].p_lo));
	}
	/* Ties keep the input order: ten equal p, the first five failed. */
	{
		double t[10] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
		int yt[10] = {1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
		ck_assert_int_eq(predict_calibration(t, NULL, yt, 10, &c, &e), WR_OK);
		for (k = 0; k < PREDICT_CALIB_BINS; k++)
			ck_assert(c.bin[k].observed == (k < 5) && c.bin[k].predicted == 0.5);
		ck_assert(c.ratio == 1.0);
	}
	/* Nothing failed: no ratio.  Nothing at all: an empty table. */
	for (i = 0; i < 20; i++)
		y[i] = 0;
	ck_assert_int_eq(predict_calibration(p, NULL, y, 20, &c, &e), WR_OK);
	ck_assert(isnan(c.ratio) && c.observed == 0.0);
	ck_assert_int_eq(predict_calibration(NULL, NULL, NULL, 0, &c, &e), WR_OK);
	ck_assert(c.n == 0 && isnan(c.ratio) && isnan(c.bin[0].p_lo));
	/* Not probabilities. */
	p[4] = 1.5;
	ck_assert_int_eq(predict_calibration(p, NULL, y, 20, &c, &e), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "probability 5"));
	p[4] = NAN;
	ck_assert_int_eq(predict_calibration(p, NULL, y, 20, &c, &e), WR_EINPUT);
}
END_TEST

START_TEST(test_backtest_no_peek)
{
	struct predict_backtest a, b;
	struct predict_opts o;
	double cut[] = {1000.0, 1200.0};
	char tag[16];
	size_t i;

	/* Two histories that agree before the first cutoff + horizon and
	 * differ after: the first cutoff's scores and metrics must agree. */
	fx_reset();
	rs = 11;
	for (i = 0; i < 40; i++) {
		snprintf(tag, sizeof tag, "U%02zu", i);
		fx_history(tag, "c", 1.8, 150.0 + 10.0 * (double)(i % 7), 1400.0);
	}
	predict_opts_init(&o);
	o.horizon = 30.0;
	ck_assert_int_eq(predict_backtest(&F.s, cut, 2, &o, &a, NULL), WR_OK);
	/* Rewrite the future: every event after 1030 becomes a failure at
	 * a different time. */
	for (i = 0; i < F.s.nevents; i++)
		if (F.ev[i].t > 1030.0)
			F.ev[i].t = 1030.0 + 0.5 * (F.ev[i].t - 1030.0);
	ck_assert_int_eq(predict_backtest(&F.s, cut, 2, &o, &b, NULL), WR_OK);
	ck_assert(a.cuts[0].m[PREDICT_S_MODEL].auc == b.cuts[0].m[PREDICT_S_MODEL].auc);
	ck_assert(a.cuts[0].m[PREDICT_S_MODEL].brier == b.cuts[0].m[PREDICT_S_MODEL].brier);
	ck_assert(a.cuts[0].positives == b.cuts[0].positives);
	ck_assert(a.cuts[1].m[PREDICT_S_MODEL].brier != b.cuts[1].m[PREDICT_S_MODEL].brier);
	ck_assert_uint_eq(a.cuts[0].scored, 40);
	ck_assert(isfinite(a.cuts[0].base_rate));
	ck_assert(isnan(a.cuts[0].m[PREDICT_S_AGE].brier));
	ck_assert(a.mean[PREDICT_S_CLIMATE].auc == 0.5);
	/* The model's calibration totals are the cutoffs' sums. */
	ck_assert_uint_eq(a.calib[PREDICT_S_MODEL].n, a.cuts[0].scored + a.cuts[1].scored);
	ck_assert(a.calib[PREDICT_S_MODEL].observed ==
	          (double)(a.cuts[0].positives + a.cuts[1].positives));
	ck_assert(fabs(a.calib[PREDICT_S_MODEL].predicted - a.cuts[0].predicted -
	               a.cuts[1].predicted) < 1e-9);
	ck_assert(a.cuts[0].predicted > 0.0);
	ck_assert_uint_eq(a.calib[PREDICT_S_AGE].n, 0);
	ck_assert_uint_eq(a.calib[PREDICT_S_MTBF].n, a.calib[PREDICT_S_MODEL].n);
	ck_assert(!a.has_truth && isnan(a.mean[PREDICT_S_ORACLE].auc));
	ck_assert(isnan(a.calib[PREDICT_S_MODEL].truth));
	{
		/* A truth that knows the outcomes: the oracle's AUC is 1 and its
		 * Brier 0; every unit in group 0, so the group holds everything. */
		double tp[2 * MAXU];
		int grp[MAXU];
		struct predict_truth t;
		struct predict_backtest c;
		struct wr_err e = {0, ""};
		size_t k, u;
		for (k = 0; k < 2; k++)
			for (u = 0; u < F.s.nunits; u++) {
				const struct ld_unit *un = &F.u[u];
				double f = 0.0;
				for (i = 0; i < un->nev; i++)
					if (F.ev[un->ev0 + i].kind == LD_FAILURE && F.ev[un->ev0 + i].t >= cut[k] &&
					    F.ev[un->ev0 + i].t < cut[k] + 30.0)
						f = 1.0;
				tp[k * F.s.nunits + u] = f;
				grp[u] = 0;
			}
		t.p = tp;
		t.nunits = F.s.nunits;
		t.group = grp;
		t.ngroups = 1;
		ck_assert_int_eq(predict_backtest_truth(&F.s, cut, 2, &o, &t, &c, &e), WR_OK);
		ck_assert(c.has_truth && c.mean[PREDICT_S_ORACLE].auc == 1.0);
		ck_assert(c.mean[PREDICT_S_ORACLE].brier == 0.0);
		ck_assert(c.calib[PREDICT_S_ORACLE].ratio == 1.0);
		ck_assert(c.calib[PREDICT_S_MODEL].truth == c.calib[PREDICT_S_MODEL].observed);
		ck_assert_uint_eq(c.ngroups, 1);
		ck_assert_uint_eq(c.groups[0].n, c.calib[PREDICT_S_MODEL].n);
		ck_assert(c.groups[0].observed == c.calib[PREDICT_S_MODEL].observed);
		ck_assert(fabs(c.groups[0].predicted[PREDICT_S_MODEL] -
		               c.calib[PREDICT_S_MODEL].predicted) < 1e-9);
		ck_assert(c.groups[0].predicted[PREDICT_S_ORACLE] == c.groups[0].observed);
		/* The model is scored as without the truth (b: the same history). */
		ck_assert(c.mean[PREDICT_S_MODEL].auc == b.mean[PREDICT_S_MODEL].auc);
		ck_assert(c.calib[PREDICT_S_MODEL].predicted == b.calib[PREDICT_S_MODEL].predicted);
		predict_backtest_free(&c);
		/* A unit without a true p, a truth of another plant: refused. */
		tp[F.s.nunits + 3] = NAN;
		ck_assert_int_eq(predict_backtest_truth(&F.s, cut, 2, &o, &t, &c, &e), WR_EINPUT);
		ck_assert_ptr_nonnull(strstr(e.msg, "no probability for asset"));
		t.nunits = 3;
		ck_assert_int_eq(predict_backtest_truth(&F.s, cut, 2, &o, &t, &c, &e), WR_EINPUT);
	}
	predict_backtest_free(&a);
	predict_backtest_free(&b);
	ck_assert_int_eq(predict_backtest(&F.s, cut, 0, &o, &a, NULL), WR_EINPUT);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("predict_rank");
	TCase *tc = tcase_create("rank");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_lives_basic);
	tcase_add_test(tc, test_lives_truncated_and_retired);
	tcase_add_test(tc, test_lives_operating_time);
	tcase_add_test(tc, test_eb_outlier_and_zero_failures);
	tcase_add_test(tc, test_rank_fallbacks_and_fixed);
	tcase_add_test(tc, test_rank_deterministic_order);
	tcase_add_test(tc, test_rank_groups_classes);
	tcase_add_test(tc, test_kth_smallest);
	tcase_add_test(tc, test_trend_known);
	tcase_add_test(tc, test_age_replacement_grid);
	tcase_add_test(tc, test_metrics_ties);
	tcase_add_test(tc, test_calibration_by_hand);
	tcase_add_test(tc, test_backtest_no_peek);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf != 0;
}
