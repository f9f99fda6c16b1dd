/*
 * test_predict_fit.c - the Weibull fit: agreement with R's survreg on the
 * oracle data sets, every edge case, WeiBayes, bounds, robustness across
 * scales, shapes and sizes, and coverage of the confidence bounds on
 * simulated data.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers/rng.h"
#include "predict.h"

#define MAXN 6000

struct data {
	double t[MAXN];
	int f[MAXN];
	size_t n;
};

static const char *src_dir(void)
{
	const char *s = getenv("WRENCH_SRC");

	return s ? s : ".";
}

/* Reads tests/data/oracles/NAME.csv: "time,state" with F or S. */
static void read_set(const char *name, struct data *d)
{
	char path[1024], line[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/tests/data/oracles/%s.csv", src_dir(), name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s (set WRENCH_SRC)", path);
	ck_assert(fgets(line, sizeof line, f) != NULL);
	d->n = 0;
	while (fgets(line, sizeof line, f)) {
		char *c = strchr(line, ',');
		ck_assert(c != NULL && d->n < MAXN);
		d->t[d->n] = strtod(line, NULL);
		d->f[d->n] = c[1] == 'F';
		d->n++;
	}
	fclose(f);
}

struct expect {
	char name[64];
	double beta, eta, loglik, se_eta, se_sigma;
};

/* Reads an expected-*.csv: dataset,beta,eta,loglik,se_log_eta,se_log_sigma[,note]. */
static size_t read_expected(const char *file, struct expect *x, size_t cap)
{
	char path[1024], line[512];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof path, "%s/tests/data/oracles/%s", src_dir(), file);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert(fgets(line, sizeof line, f) != NULL);
	while (fgets(line, sizeof line, f) && n < cap) {
		char *p = strchr(line, ',');
		ck_assert(p != NULL);
		*p = '\0';
		ck_assert(strlen(line) < sizeof x[n].name);
		memcpy(x[n].name, line, strlen(line) + 1);
		ck_assert_int_eq(sscanf(p + 1, "%lf,%lf,%lf,%lf,%lf", &x[n].beta, &x[n].eta,
		                        &x[n].loglik, &x[n].se_eta, &x[n].se_sigma), 5);
		n++;
	}
	fclose(f);
	return n;
}

static double rel(double a, double b)
{
	return fabs(a - b) / fabs(b);
}

static struct data D;

/* Compares predict_fit with R on every data set of an expected file.  The
 * expected values carry 9 to 12 significant digits. */
static void check_oracles(const char *file, size_t want)
{
	struct expect x[16];
	size_t n = read_expected(file, x, 16), i;

	ck_assert_uint_eq(n, want);
	for (i = 0; i < n; i++) {
		struct predict_fit r;
		struct wr_err e = {0};
		read_set(x[i].name, &D);
		ck_assert_int_eq(predict_fit(D.t, D.f, NULL, D.n, NULL, &r, &e), WR_OK);
		ck_assert_int_eq(r.status, PREDICT_OK);
		ck_assert_int_eq(r.method, PREDICT_M_MLE);
		ck_assert_msg(rel(r.beta, x[i].beta) < 1e-6, "%s: beta %.10g, R %.10g", x[i].name,
		              r.beta, x[i].beta);
		ck_assert_msg(rel(r.eta, x[i].eta) < 1e-6, "%s: eta %.10g, R %.10g", x[i].name, r.eta,
		              x[i].eta);
		ck_assert_msg(fabs(r.loglik - x[i].loglik) < 1e-6 * (1.0 + fabs(x[i].loglik)),
		              "%s: loglik %.10g, R %.10g", x[i].name, r.loglik, x[i].loglik);
		/* The standard errors are given to 6 or 8 digits. */
		ck_assert_msg(rel(r.se_log_eta, x[i].se_eta) < 2e-5, "%s: se log eta %.8g, R %.8g",
		              x[i].name, r.se_log_eta, x[i].se_eta);
		ck_assert_msg(rel(r.se_log_sigma, x[i].se_sigma) < 2e-5,
		              "%s: se log sigma %.8g, R %.8g", x[i].name, r.se_log_sigma,
		              x[i].se_sigma);
	}
}

START_TEST(test_oracles)
{
	check_oracles("expected.csv", 4);
}
END_TEST

START_TEST(test_oracles_extra)
{
	/* Heavy ties, 97% censoring, scale 1e-3 with beta 0.22, scale 1e9
	 * with beta 10.8, 5000 points, two failures. */
	check_oracles("expected-extra.csv", 6);
}
END_TEST

START_TEST(test_automotive_tight)
{
	/* The flat likelihood: the parameters still agree to 1e-6 here. */
	struct predict_fit r;

	read_set("automotive", &D);
	ck_assert_int_eq(predict_fit(D.t, D.f, NULL, D.n, NULL, &r, NULL), WR_OK);
	ck_assert(rel(r.beta, 1.15442667) < 1e-6);
	ck_assert(rel(r.eta, 134651.037) < 1e-6);
	ck_assert(fabs(r.loglik - -128.973832) < 1e-6);
	ck_assert_uint_eq((size_t)r.failures, 10);
	ck_assert_uint_eq((size_t)r.suspensions, 21);
}
END_TEST

START_TEST(test_counts_equal_expansion)
{
	/* Counts give the same fit as repeated rows. */
	double t[] = {10, 20, 30, 40, 25}, c[] = {3, 2, 1, 4, 2};
	int f[] = {1, 1, 0, 1, 0};
	double te[12];
	int fe[12];
	size_t i, k, n = 0;
	struct predict_fit a, b;

	for (i = 0; i < 5; i++)
		for (k = 0; k < (size_t)c[i]; k++) {
			te[n] = t[i];
			fe[n++] = f[i];
		}
	ck_assert_int_eq(predict_fit(t, f, c, 5, NULL, &a, NULL), WR_OK);
	ck_assert_int_eq(predict_fit(te, fe, NULL, n, NULL, &b, NULL), WR_OK);
	ck_assert_int_eq(a.status, PREDICT_OK);
	ck_assert(rel(a.beta, b.beta) < 1e-12);
	ck_assert(rel(a.eta, b.eta) < 1e-12);
	ck_assert(rel(a.loglik, b.loglik) < 1e-12);
	ck_assert(rel(a.se_log_eta, b.se_log_eta) < 1e-10);
	ck_assert(fabs(a.mrr.beta_xy - b.mrr.beta_xy) < 1e-12);
}
END_TEST

/* ------------------------------------------------------------ edge cases */

START_TEST(test_empty)
{
	struct predict_fit r;
	struct wr_err e = {0};

	ck_assert_int_eq(predict_fit(NULL, NULL, NULL, 0, NULL, &r, &e), WR_EINPUT);
	ck_assert_int_eq(r.status, PREDICT_EMPTY);
	ck_assert(strstr(e.msg, "no observations") != NULL);
	ck_assert(!r.has_estimate);
}
END_TEST

START_TEST(test_bad_times)
{
	double t[] = {5, 0, 7}, tn[] = {5, -2, 7}, tnan[] = {5, NAN, 7}, tinf[] = {5, INFINITY, 7};
	double good[] = {5, 6, 7}, badc[] = {1, 0, 1};
	int f[] = {1, 1, 0};
	struct predict_fit r;
	struct wr_err e = {0};

	ck_assert_int_eq(predict_fit(t, f, NULL, 3, NULL, &r, &e), WR_EINPUT);
	ck_assert_int_eq(r.status, PREDICT_BAD_INPUT);
	ck_assert(strstr(e.msg, "observation 2") != NULL);
	ck_assert(strstr(e.msg, "positive") != NULL);
	ck_assert_int_eq(predict_fit(tn, f, NULL, 3, NULL, &r, &e), WR_EINPUT);
	ck_assert_int_eq(r.status, PREDICT_BAD_INPUT);
	ck_assert_int_eq(predict_fit(tnan, f, NULL, 3, NULL, &r, &e), WR_EINPUT);
	ck_assert_int_eq(predict_fit(tinf, f, NULL, 3, NULL, &r, &e), WR_EINPUT);
	ck_assert_int_eq(predict_fit(good, f, badc, 3, NULL, &r, &e), WR_EINPUT);
	ck_assert(strstr(e.msg, "count") != NULL);
	ck_assert(!r.has_estimate);
}
END_TEST

START_TEST(test_no_failures_weibayes)
{
	double t[] = {100, 200, 300};
	int f[] = {0, 0, 0};
	struct predict_fit r;
	struct predict_fit_opts o;
	double eta, lo;

	ck_assert_int_eq(predict_fit(t, f, NULL, 3, NULL, &r, NULL), WR_OK);
	ck_assert_int_eq(r.status, PREDICT_NO_FAILURES);
	ck_assert(!r.has_estimate);
	ck_assert_int_eq(r.method, PREDICT_M_NONE);
	ck_assert(strstr(r.msg, "WeiBayes") != NULL);

	predict_fit_opts_init(&o);
	o.weibayes_beta = 2.0;
	ck_assert_int_eq(predict_fit(t, f, NULL, 3, &o, &r, NULL), WR_OK);
	ck_assert_int_eq(r.status, PREDICT_NO_FAILURES);
	ck_assert_int_eq(r.method, PREDICT_M_WEIBAYES);
	ck_assert(r.has_estimate);
	/* r = 0 uses r = 1: eta = sqrt(100^2 + 200^2 + 300^2) = sqrt(140000). */
	ck_assert(rel(r.eta, sqrt(140000.0)) < 1e-12);
	/* Lower bound: (2 sum t^2 / chi2(0.90; 2))^(1/2), chi2 = -2 ln 0.1. */
	ck_assert(rel(r.weibayes_eta_lo, sqrt(2.0 * 140000.0 / (-2.0 * log(0.1)))) < 1e-9);
	ck_assert(isfinite(r.mtbf) && isfinite(r.blife));

	/* WeiBayes directly, with two failures. */
	{
		double t2[] = {10, 20, 30, 40};
		int f2[] = {1, 0, 1, 0};
		ck_assert_int_eq(predict_weibayes(t2, f2, NULL, 4, 1.0, 0.9, &eta, &lo, NULL), WR_OK);
		ck_assert(rel(eta, 100.0 / 2.0) < 1e-12);
		ck_assert(lo < eta);
		ck_assert_int_eq(predict_weibayes(t2, f2, NULL, 4, -1.0, 0.9, &eta, &lo, NULL),
		                 WR_EINPUT);
	}
}
END_TEST

START_TEST(test_one_failure)
{
	double t[] = {100, 200, 300};
	int f[] = {1, 0, 0};
	struct predict_fit r;

	ck_assert_int_eq(predict_fit(t, f, NULL, 3, NULL, &r, NULL), WR_OK);
	ck_assert_int_eq(r.status, PREDICT_ONE_FAILURE);
	ck_assert(!r.has_estimate);
	ck_assert(strstr(r.msg, "one failure") != NULL);
	ck_assert_str_eq(predict_status_str(r.status), "one failure");
}
END_TEST

START_TEST(test_no_finite_mle)
{
	/* The README's example: the only failure is at the longest time. */
	double t[] = {13467, 13760, 12011, 7798, 7928};
	int f[] = {0, 1, 0, 0, 0};
	struct predict_fit r;
	struct predict_fit_opts o;

	ck_assert_int_eq(predict_fit(t, f, NULL, 5, NULL, &r, NULL), WR_OK);
	ck_assert_int_eq(r.status, PREDICT_NO_FINITE_MLE);
	ck_assert(!r.has_estimate);
	ck_assert(strstr(r.msg, "no finite MLE") != NULL);
	predict_fit_opts_init(&o);
	o.weibayes_beta = 1.5;
	ck_assert_int_eq(predict_fit(t, f, NULL, 5, &o, &r, NULL), WR_OK);
	ck_assert_int_eq(r.status, PREDICT_NO_FINITE_MLE);
	ck_assert_int_eq(r.method, PREDICT_M_WEIBAYES);
	ck_assert(isfinite(r.eta) && r.eta > 0.0);
}
END_TEST

START_TEST(test_degenerate)
{
	/* All failures at one instant, nothing later. */
	double t[] = {50, 50, 50, 20, 10};
	int f[] = {1, 1, 1, 0, 0};
	/* The same failures with a longer suspension do have an MLE. */
	double t2[] = {50, 50, 50, 80};
	int f2[] = {1, 1, 1, 0};
	struct predict_fit r;

	ck_assert_int_eq(predict_fit(t, f, NULL, 5, NULL, &r, NULL), WR_OK);
	ck_assert_int_eq(r.status, PREDICT_DEGENERATE);
	ck_assert(!r.has_estimate);
	ck_assert_int_eq(predict_fit(t2, f2, NULL, 4, NULL, &r, NULL), WR_OK);
	ck_assert_int_eq(r.status, PREDICT_OK);
	ck_assert(isfinite(r.beta) && r.beta > 1.0);
	ck_assert(isfinite(r.se_log_sigma));
}
END_TEST

START_TEST(test_two_points)
{
	double t[] = {3, 9};
	int f[] = {1, 1};
	struct predict_fit r;

	ck_assert_int_eq(predict_fit(t, f, NULL, 2, NULL, &r, NULL), WR_OK);
	ck_assert_int_eq(r.status, PREDICT_OK);
	ck_assert(isfinite(r.beta) && isfinite(r.eta));
	ck_assert(r.eta > 3.0 && r.eta < 9.0);
}
END_TEST

/* ---------------------------------------------------------------- bounds */

START_TEST(test_bounds)
{
	struct predict_fit r;
	struct predict_bounds b;
	double R, t10, z;

	read_set("ball-bearings", &D);
	ck_assert_int_eq(predict_fit(D.t, D.f, NULL, D.n, NULL, &r, NULL), WR_OK);
	ck_assert(fabs(r.conf - 0.90) < 1e-15);
	z = 1.6448536269514722;
	ck_assert(rel(r.beta_b.lo, r.beta * exp(-z * r.se_log_sigma)) < 1e-12);
	ck_assert(rel(r.eta_b.hi, r.eta * exp(z * r.se_log_eta)) < 1e-12);
	ck_assert(r.beta_b.lo < r.beta && r.beta < r.beta_b.hi);
	/* R at eta is exp(-1), and at eta only mu is uncertain in z. */
	R = predict_fit_reliability(&r, r.eta, &b);
	ck_assert(fabs(R - exp(-1.0)) < 1e-12);
	ck_assert(rel(b.lo, exp(-exp(z * r.beta * sqrt(r.v_mu)))) < 1e-9);
	ck_assert(b.lo < R && R < b.hi);
	/* B10: the time at which R = 0.9, and its bounds straddle it. */
	t10 = predict_fit_blife(&r, 0.10, &b);
	ck_assert(fabs(predict_weibull_R(r.beta, r.eta, t10) - 0.9) < 1e-12);
	ck_assert(b.lo < t10 && t10 < b.hi);
	ck_assert(rel(r.blife, t10) < 1e-12);
	/* The bound on B10 at its lower end has R(lower) above 0.9. */
	ck_assert(predict_weibull_R(r.beta, r.eta, b.lo) > 0.9);
	ck_assert(rel(r.mtbf, r.eta * tgamma(1.0 + 1.0 / r.beta)) < 1e-12);
}
END_TEST

/* ------------------------------------------------------------ simulation */

static uint64_t rs;

static double unif(void)
{
	return test_unif(&rs);
}

static double rweib(double beta, double eta)
{
	return eta * pow(-log(unif()), 1.0 / beta);
}

/* n lives with random censoring at a Weibull time of scale eta * cmult
 * (cmult 0: no censoring); round > 0 rounds times up to that grid (ties). */
static void simulate(struct data *d, size_t n, double beta, double eta, double cmult, double round)
{
	size_t i;

	d->n = n;
	for (i = 0; i < n; i++) {
		double t = rweib(beta, eta);
		double c = cmult > 0.0 ? rweib(beta, eta * cmult) : INFINITY;
		d->t[i] = t < c ? t : c;
		d->f[i] = t < c;
		if (round > 0.0)
			d->t[i] = ceil(d->t[i] / round) * round;
	}
}

START_TEST(test_robust_sweep)
{
	/* Scales 1e-3 .. 1e9, shapes 0.3 .. 10, 2 .. 5000 points, ties and
	 * censoring: the fit always ends with an explicit status, never a
	 * NaN, and with plenty of data it lands near the truth.  k = 2
	 * censors so early that a shape-10 sample may hold no failure. */
	const double scales[] = {1e-3, 1.0, 1e3, 1e9};
	const double shapes[] = {0.3, 1.0, 3.0, 10.0};
	const size_t sizes[] = {2, 5, 30, 500, 5000};
	size_t a, b, c, k;

	rs = 42;
	for (a = 0; a < 4; a++)
		for (b = 0; b < 4; b++)
			for (c = 0; c < 5; c++)
				for (k = 0; k < 3; k++) {
					struct predict_fit r;
					double cm = k == 0 ? 0.0 : k == 1 ? 1.0 : 0.3;
					double rd = k == 1 ? scales[a] * 0.05 : 0.0;
					int rc;
					simulate(&D, sizes[c], shapes[b], scales[a], cm, rd);
					rc = predict_fit(D.t, D.f, NULL, D.n, NULL, &r, NULL);
					ck_assert_int_eq(rc, WR_OK);
					if (r.status != PREDICT_OK) {
						ck_assert(r.status == PREDICT_NO_FAILURES ||
						          r.status == PREDICT_ONE_FAILURE ||
						          r.status == PREDICT_DEGENERATE ||
						          r.status == PREDICT_NO_FINITE_MLE);
						ck_assert(!r.has_estimate);
						ck_assert_msg(sizes[c] <= 30 || k == 2, "n %zu beta %g eta %g k %zu: %s", sizes[c], shapes[b], scales[a], k, predict_status_str(r.status));
						continue;
					}
					ck_assert(isfinite(r.beta) && r.beta > 0.0);
					ck_assert(isfinite(r.eta) && r.eta > 0.0);
					ck_assert(isfinite(r.loglik));
					ck_assert(isfinite(r.se_log_eta) && isfinite(r.se_log_sigma));
					if (sizes[c] == 5000 && rd == 0.0 && r.failures >= 50.0) {
						/* Four asymptotic standard errors:
						 * se(ln beta) ~ 0.8 / sqrt(r) and
						 * se(ln eta) ~ 1.1 / (beta sqrt(r)),
						 * more under heavy censoring. */
						double sr = sqrt(r.failures) * (k == 0 ? 1.0 : 0.5);
						ck_assert_msg(fabs(log(r.beta / shapes[b])) < 4.0 * 0.8 / sr,
						              "beta %g vs %g", r.beta, shapes[b]);
						ck_assert_msg(fabs(log(r.eta / scales[a])) < 4.0 * 1.1 / (shapes[b] * sr),
						              "eta %g vs %g", r.eta, scales[a]);
					}
				}
}
END_TEST

START_TEST(test_scale_invariance)
{
	/* Multiplying every time by c multiplies eta by c and leaves beta,
	 * the standard errors and the MRR shape alone. */
	struct predict_fit a, b;
	size_t i;
	const double c = 1e7;

	rs = 7;
	simulate(&D, 200, 2.5, 3.0, 1.0, 0.0);
	ck_assert_int_eq(predict_fit(D.t, D.f, NULL, D.n, NULL, &a, NULL), WR_OK);
	for (i = 0; i < D.n; i++)
		D.t[i] *= c;
	ck_assert_int_eq(predict_fit(D.t, D.f, NULL, D.n, NULL, &b, NULL), WR_OK);
	ck_assert(rel(a.beta, b.beta) < 1e-10);
	ck_assert(rel(a.eta * c, b.eta) < 1e-10);
	ck_assert(rel(a.se_log_sigma, b.se_log_sigma) < 1e-8);
	ck_assert(rel(a.mrr.beta_xy, b.mrr.beta_xy) < 1e-10);
}
END_TEST

/* Coverage of the two-sided 90% bounds over replications. */
static void coverage(size_t n, double beta, double eta, double cmult, int reps,
                     double *cb, double *ce)
{
	int i, hb = 0, he = 0, used = 0;

	for (i = 0; i < reps; i++) {
		struct predict_fit r;
		simulate(&D, n, beta, eta, cmult, 0.0);
		ck_assert_int_eq(predict_fit(D.t, D.f, NULL, D.n, NULL, &r, NULL), WR_OK);
		if (r.status != PREDICT_OK)
			continue;
		used++;
		hb += r.beta_b.lo <= beta && beta <= r.beta_b.hi;
		he += r.eta_b.lo <= eta && eta <= r.eta_b.hi;
	}
	ck_assert(used > reps * 9 / 10);
	*cb = (double)hb / used;
	*ce = (double)he / used;
}

START_TEST(test_coverage)
{
	double cb, ce;

	rs = 2024;
	/* 100 points, 30% censored: Fisher bounds are close to nominal. */
	coverage(100, 2.0, 500.0, 2.0, 1000, &cb, &ce);
	printf("coverage n=100: beta %.3f eta %.3f (nominal 0.90)\n", cb, ce);
	ck_assert(cb > 0.86 && cb < 0.94);
	ck_assert(ce > 0.86 && ce < 0.94);
	/* Heavy censoring (about 90%) with 400 points: the bounds on eta are
	 * wide but should still cover near the nominal rate. */
	coverage(400, 1.5, 100.0, 0.12, 600, &cb, &ce);
	printf("coverage 90%% censored: beta %.3f eta %.3f (nominal 0.90)\n", cb, ce);
	ck_assert(cb > 0.84 && cb < 0.95);
	ck_assert(ce > 0.84 && ce < 0.95);
	/* Small samples: Fisher bounds on beta are known to run a little
	 * narrow; they must not collapse. */
	coverage(10, 3.0, 1.0, 0.0, 1000, &cb, &ce);
	printf("coverage n=10: beta %.3f eta %.3f (nominal 0.90)\n", cb, ce);
	ck_assert(cb > 0.78 && cb < 0.95);
	ck_assert(ce > 0.80 && ce < 0.95);
}
END_TEST

/* ------------------------------------------------------------------ MRR */

START_TEST(test_mrr_fixtures)
{
	/* expected-mrr.csv was computed in R by a separate implementation of
	 * Johnson's adjusted ranks and Bernard's median ranks. */
	char path[1024], line[512];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof path, "%s/tests/data/oracles/expected-mrr.csv", src_dir());
	f = fopen(path, "r");
	ck_assert(f != NULL);
	ck_assert(fgets(line, sizeof line, f) != NULL);
	while (fgets(line, sizeof line, f)) {
		struct predict_mrr m;
		double x[5];
		char *p = strchr(line, ',');
		ck_assert(p != NULL);
		*p = '\0';
		ck_assert_int_eq(sscanf(p + 1, "%lf,%lf,%lf,%lf,%lf", &x[0], &x[1], &x[2], &x[3], &x[4]), 5);
		read_set(line, &D);
		ck_assert_int_eq(predict_mrr(D.t, D.f, NULL, D.n, &m, NULL), WR_OK);
		ck_assert(m.ok);
		ck_assert_msg(rel(m.beta_yx, x[0]) < 1e-9, "%s beta_yx %.12g vs %.12g", line, m.beta_yx, x[0]);
		ck_assert(rel(m.eta_yx, x[1]) < 1e-9);
		ck_assert(rel(m.beta_xy, x[2]) < 1e-9);
		ck_assert(rel(m.eta_xy, x[3]) < 1e-9);
		ck_assert(fabs(m.r2 - x[4]) < 1e-9);
		n++;
	}
	fclose(f);
	ck_assert_int_eq(n, 6);
}
END_TEST

START_TEST(test_mrr_by_hand)
{
	/* 10 F, 20 S, 30 F with N = 3: ranks 1 and (1 * 1 + 4) / 2 = 2.5;
	 * Bernard: 0.7 / 3.4 and 2.2 / 3.4.  Two points: the line passes
	 * through both, so both regressions agree and r2 = 1. */
	double t[] = {30, 10, 20};
	int f[] = {1, 1, 0};
	struct predict_mrr m;
	double y1 = log(-log(1.0 - 0.7 / 3.4)), y2 = log(-log(1.0 - 2.2 / 3.4));
	double b = (y2 - y1) / (log(30.0) - log(10.0));

	ck_assert_int_eq(predict_mrr(t, f, NULL, 3, &m, NULL), WR_OK);
	ck_assert(m.ok);
	ck_assert_uint_eq(m.points, 2);
	ck_assert(rel(m.beta_yx, b) < 1e-12);
	ck_assert(rel(m.beta_xy, b) < 1e-12);
	ck_assert(rel(m.eta_yx, exp(log(10.0) - y1 / b)) < 1e-12);
	ck_assert(fabs(m.r2 - 1.0) < 1e-12);
	/* Too few failures: not ok, no NaN surprises. */
	{
		int f1[] = {1, 0, 0};
		ck_assert_int_eq(predict_mrr(t, f1, NULL, 3, &m, NULL), WR_OK);
		ck_assert(!m.ok);
	}
	/* Fractional counts are refused. */
	{
		double c[] = {1, 1.5, 1};
		struct wr_err e = {0};
		ck_assert_int_eq(predict_mrr(t, f, c, 3, &m, &e), WR_EINPUT);
		ck_assert(strstr(e.msg, "whole number") != NULL);
	}
}
END_TEST

START_TEST(test_strings)
{
	int s;

	for (s = PREDICT_OK; s <= PREDICT_NO_CONVERGENCE; s++)
		ck_assert(strcmp(predict_status_str(s), "unknown status") != 0);
	ck_assert_str_eq(predict_status_str(PREDICT_NO_FINITE_MLE), "no finite MLE");
	ck_assert_str_eq(predict_method_str(PREDICT_M_WEIBAYES), "WeiBayes");
}
END_TEST

int main(void)
{
	Suite *su = suite_create("predict_fit");
	TCase *tc = tcase_create("fit");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_oracles);
	tcase_add_test(tc, test_oracles_extra);
	tcase_add_test(tc, test_automotive_tight);
	tcase_add_test(tc, test_counts_equal_expansion);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_bad_times);
	tcase_add_test(tc, test_no_failures_weibayes);
	tcase_add_test(tc, test_one_failure);
	tcase_add_test(tc, test_no_finite_mle);
	tcase_add_test(tc, test_degenerate);
	tcase_add_test(tc, test_two_points);
	tcase_add_test(tc, test_bounds);
	tcase_add_test(tc, test_robust_sweep);
	tcase_add_test(tc, test_scale_invariance);
	tcase_add_test(tc, test_coverage);
	tcase_add_test(tc, test_mrr_fixtures);
	tcase_add_test(tc, test_mrr_by_hand);
	tcase_add_test(tc, test_strings);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf != 0;
}
