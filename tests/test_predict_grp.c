/*
 * test_predict_grp.c - imperfect repair: Kijima's generalized renewal
 * process (predict_grp_fit).  Its two ends are checked against the
 * independent fits they must reproduce: at q = 1 the power law of minimal
 * repair (predict_power_law_fit, itself checked against MIL-HDBK-189's
 * closed forms), at q = 0 the Weibull MLE of the lives between failures
 * (predict_fit, checked against R's survreg).  In between, fleets drawn
 * from known (beta, eta, q) of either type are recovered, over seeds.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "helpers/rng.h"
#include "predict.h"
#include "../predict/predict_int.h"

enum { NS = 300, MAXF = 64 };

static double fail[NS][MAXF];
static struct predict_system sys[NS];
static uint64_t rs;

static double rel(double a, double b)
{
	return fabs(a - b) / fabs(b);
}

/* A fleet of ns systems of the given type and q: Weibull intensity in the
 * virtual age, observed from age start (0, or staggered when late) to an
 * end 600 .. 1400 days later. */
static void fleet(size_t ns, enum predict_kijima type, double q, double beta, double eta,
                  int late)
{
	size_t k;

	for (k = 0; k < ns; k++) {
		double start = late ? 300.0 * test_unif(&rs) : 0.0;
		double end = start + 600.0 + 800.0 * test_unif(&rs), t = 0.0, v = 0.0;
		struct predict_system *s = &sys[k];
		s->start = start;
		s->end = end;
		s->fail = fail[k];
		s->n = 0;
		while (s->n < MAXF) {
			/* The next failure: H(v + x) - H(v) is a unit exponential. */
			double x = eta * pow(pow(v / eta, beta) - log(test_unif(&rs)), 1.0 / beta) - v;
			t += x;
			if (t > end)
				break;
			/* A system seen only from `start` on: earlier failures are
			 * not on record (its virtual age there is its age). */
			if (t > start)
				fail[k][s->n++] = t;
			v = type == PREDICT_KIJIMA_I ? v + q * x : q * (v + x);
		}
		/* Never seen so far: observation ends at the last failure. */
		if (s->n == MAXF)
			s->end = fail[k][MAXF - 1];
	}
}

/* q = 1 is minimal repair: the power law's MLE, to rounding, for either
 * type, with windows that start late and end apart. */
START_TEST(test_grp_q1_is_power_law)
{
	struct predict_power_law pl;
	struct predict_grp g;
	struct wr_err e = {0, ""};
	int type;

	rs = 11;
	fleet(NS, PREDICT_KIJIMA_I, 1.0, 2.2, 300.0, 1);
	ck_assert_int_eq(predict_power_law_fit(sys, NS, 0.90, &pl, &e), WR_OK);
	ck_assert(pl.ok);
	for (type = PREDICT_KIJIMA_I; type <= PREDICT_KIJIMA_II; type++) {
		ck_assert_int_eq(predict_grp_fit(sys, NS, (enum predict_kijima)type, 1.0, 0.90, &g, &e),
		                 WR_OK);
		ck_assert(g.ok);
		ck_assert_msg(rel(g.beta, pl.beta) < 1e-9, "beta %.12g, power law %.12g", g.beta,
		              pl.beta);
		/* lambda = eta^-beta */
		ck_assert(rel(pow(g.eta, -g.beta), pl.lambda) < 1e-8);
		ck_assert_msg(fabs(g.loglik - pl.loglik) < 1e-7, "loglik %.12g, power law %.12g",
		              g.loglik, pl.loglik);
		ck_assert(g.n == pl.n);
		ck_assert(isnan(g.q_b.lo));
	}
}
END_TEST

/* q = 0 is renewal: the Weibull MLE of the lives between failures, the
 * last one censored. */
START_TEST(test_grp_q0_is_weibull)
{
	static double t[NS * (MAXF + 1)];
	static int f[NS * (MAXF + 1)];
	struct predict_fit wf;
	struct predict_grp g;
	struct wr_err e = {0, ""};
	size_t k, i, n = 0;
	int type;

	rs = 12;
	fleet(NS, PREDICT_KIJIMA_I, 0.0, 1.8, 200.0, 0);
	for (k = 0; k < NS; k++) {
		double prev = 0.0;
		for (i = 0; i < sys[k].n; i++) {
			t[n] = sys[k].fail[i] - prev;
			f[n++] = 1;
			prev = sys[k].fail[i];
		}
		t[n] = sys[k].end - prev;
		f[n++] = 0;
	}
	ck_assert_int_eq(predict_fit(t, f, NULL, n, NULL, &wf, &e), WR_OK);
	ck_assert_int_eq(wf.status, PREDICT_OK);
	for (type = PREDICT_KIJIMA_I; type <= PREDICT_KIJIMA_II; type++) {
		ck_assert_int_eq(predict_grp_fit(sys, NS, (enum predict_kijima)type, 0.0, 0.90, &g, &e),
		                 WR_OK);
		ck_assert(g.ok);
		ck_assert_msg(rel(g.beta, wf.beta) < 1e-8, "beta %.12g, Weibull %.12g", g.beta,
		              wf.beta);
		ck_assert_msg(rel(g.eta, wf.eta) < 1e-8, "eta %.12g, Weibull %.12g", g.eta, wf.eta);
		ck_assert_msg(fabs(g.loglik - wf.loglik) < 1e-7, "loglik %.12g, Weibull %.12g",
		              g.loglik, wf.loglik);
	}
}
END_TEST

/* Fleets drawn from known (beta, eta, q) give them back: q within 0.12,
 * beta and eta within 12 %, and q's 99 % bounds hold the truth, for three
 * seeds and both types. */
START_TEST(test_grp_recovers_simulated)
{
	static const struct {
		enum predict_kijima type;
		double q, beta, eta;
	} c[] = {
		{PREDICT_KIJIMA_I, 0.4, 2.5, 250.0},
		{PREDICT_KIJIMA_I, 0.7, 2.0, 300.0},
		{PREDICT_KIJIMA_II, 0.5, 2.5, 200.0},
	};
	struct predict_grp g;
	struct wr_err e = {0, ""};
	size_t i;
	uint64_t seed;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		for (seed = 1; seed <= 3; seed++) {
			rs = 100 * seed + i;
			fleet(NS, c[i].type, c[i].q, c[i].beta, c[i].eta, 0);
			/* 99% bounds: nine 90% intervals would miss about once. */
			ck_assert_int_eq(predict_grp_fit(sys, NS, c[i].type, NAN, 0.99, &g, &e), WR_OK);
			ck_assert(g.ok);
			ck_assert_msg(fabs(g.q - c[i].q) < 0.12, "%s seed %d: q %g for %g",
			              predict_kijima_str(c[i].type), (int)seed, g.q, c[i].q);
			ck_assert_msg(rel(g.beta, c[i].beta) < 0.12, "beta %g for %g", g.beta, c[i].beta);
			ck_assert_msg(rel(g.eta, c[i].eta) < 0.12, "eta %g for %g", g.eta, c[i].eta);
			ck_assert_msg(g.q_b.lo <= c[i].q && g.q_b.hi >= c[i].q, "q %g in [%g, %g]",
			              c[i].q, g.q_b.lo, g.q_b.hi);
		}
	}
}
END_TEST

/* Minimal-repair data put q at the top, renewal data at the bottom. */
START_TEST(test_grp_ends_found)
{
	struct predict_grp g;
	struct wr_err e = {0, ""};

	rs = 21;
	fleet(NS, PREDICT_KIJIMA_I, 1.0, 2.5, 500.0, 0);
	ck_assert_int_eq(predict_grp_fit(sys, NS, PREDICT_KIJIMA_I, NAN, 0.90, &g, &e), WR_OK);
	ck_assert_msg(g.q > 0.85 && g.q_b.hi == 1.0, "q %g [%g, %g]", g.q, g.q_b.lo, g.q_b.hi);
	rs = 22;
	fleet(NS, PREDICT_KIJIMA_I, 0.0, 2.5, 200.0, 0);
	ck_assert_int_eq(predict_grp_fit(sys, NS, PREDICT_KIJIMA_I, NAN, 0.90, &g, &e), WR_OK);
	ck_assert_msg(g.q < 0.15 && g.q_b.lo == 0.0, "q %g [%g, %g]", g.q, g.q_b.lo, g.q_b.hi);
}
END_TEST

/* The power law's root may end on a short Halley step, the windows'
 * exposures then following it by the series of the exponential from the
 * last evaluation's powers (pi_plp_in.ex).  Started 5e-6 from the root,
 * the fit takes that step at once: its beta is the fit's without the
 * series, and each exposure is the one computed at that beta. */
START_TEST(test_plp_short_last_step_keeps_the_exposures)
{
	static double fa[NS * MAXF], s0[NS], s1[NS];
	static size_t wf0[NS + 1];
	struct pi_grp_sys y;
	struct pi_grp_work w;
	struct pi_plp_in in;
	struct pi_plp f0, f1;
	double *pw0;
	size_t k, i, n = 0;

	rs = 31;
	fleet(NS, PREDICT_KIJIMA_I, 0.5, 2.0, 300.0, 1);
	for (k = 0; k < NS; k++) {
		wf0[k] = n;
		for (i = 0; i < sys[k].n; i++)
			fa[n++] = sys[k].fail[i];
		s0[k] = sys[k].start;
		s1[k] = sys[k].end;
	}
	wf0[NS] = n;
	y.fa = fa;
	y.wf0 = wf0;
	y.s0 = s0;
	y.s1 = s1;
	y.nw = NS;
	ck_assert_int_eq(pi_grp_work_alloc(&w, n, NS), WR_OK);
	pi_grp_intervals(&y, PREDICT_KIJIMA_I, 0.5, &w);
	pw0 = malloc(w.ni * sizeof *pw0);
	ck_assert_ptr_nonnull(pw0);
	memset(&in, 0, sizeof in);
	in.x = w.x;
	in.nx = w.nx;
	in.s0 = w.vb;
	in.s1 = w.ve;
	in.nsys = w.ni;
	in.pw = pw0;
	ck_assert_int_eq(pi_plp_fit(&in, 0.9, &f0), WR_OK);
	ck_assert(f0.ok);
	in.beta0 = f0.beta * (1.0 + 5e-6);
	in.pw = w.pw;
	in.ex = w.ex;
	in.xend = w.xend;
	ck_assert_int_eq(pi_plp_fit(&in, 0.9, &f1), WR_OK);
	ck_assert(f1.ok);
	ck_assert_msg(rel(f1.beta, f0.beta) < 1e-11, "beta %.17g for %.17g", f1.beta, f0.beta);
	ck_assert_msg(rel(f1.lambda, f0.lambda) < 1e-9, "lambda %.17g for %.17g", f1.lambda,
	              f0.lambda);
	ck_assert_msg(rel(f1.sum_lx, f0.sum_lx) < 1e-15, "sum ln x %.17g for %.17g", f1.sum_lx,
	              f0.sum_lx);
	for (k = 0; k < w.ni; k++) {
		double a = pow(w.ve[k] / f1.scale, f1.beta), b = pow(w.vb[k] / f1.scale, f1.beta);
		ck_assert_msg(rel(w.pw[k], a - b) < 1e-14 * a / (a - b) + 1e-15,
		              "window %zu: %.17g for %.17g", k, w.pw[k], a - b);
	}
	free(pw0);
	pi_grp_work_free(&w);
}
END_TEST

START_TEST(test_grp_refusals)
{
	static const double t[] = {50.0, 5.0};
	static const double one[] = {5.0};
	struct predict_system s = {0.0, 100.0, t, 2};
	struct predict_grp g;
	struct wr_err e = {0, ""};

	/* Failures out of order. */
	ck_assert_int_eq(predict_grp_fit(&s, 1, PREDICT_KIJIMA_I, NAN, 0.9, &g, &e), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "order"));
	s.fail = one;
	s.n = 1;
	ck_assert_int_eq(predict_grp_fit(&s, 1, PREDICT_KIJIMA_I, 1.5, 0.9, &g, &e), WR_EINPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "[0, 1]"));
	ck_assert_int_eq(predict_grp_fit(&s, 1, (enum predict_kijima)3, NAN, 0.9, &g, &e),
	                 WR_EINPUT);
	/* One failure: no estimate, not an error. */
	ck_assert_int_eq(predict_grp_fit(&s, 1, PREDICT_KIJIMA_II, NAN, 0.9, &g, &e), WR_OK);
	ck_assert(!g.ok && isnan(g.q));
}
END_TEST

int main(void)
{
	Suite *su = suite_create("predict_grp");
	TCase *tc = tcase_create("grp");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_grp_q1_is_power_law);
	tcase_add_test(tc, test_grp_q0_is_weibull);
	tcase_add_test(tc, test_grp_recovers_simulated);
	tcase_add_test(tc, test_grp_ends_found);
	tcase_add_test(tc, test_grp_refusals);
	tcase_add_test(tc, test_plp_short_last_step_keeps_the_exposures);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
