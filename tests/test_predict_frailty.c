/*
 * test_predict_frailty.c - the Weibull shape when units differ
 * (predict_frailty_fit: gamma frailty, the class's marginal likelihood).
 * The marginal likelihood it maximises is checked against an independent
 * computation, each unit's likelihood integrated over its rate by
 * quadrature, and the estimate is that integral's maximum; on simulated
 * fleets the frailty shape finds the units' beta where the pooled MLE is
 * biased low, and agrees with the pooled MLE when the units are alike.
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

#define NU 300
#define NU_LN 400                /* the log-normal fleets */
#define NL 6

static double T[NU_LN][NL];
static int FL[NU_LN][NL];
static struct predict_frailty_unit UN[NU_LN];
static uint64_t rs;

static double unif(void)
{
	return test_unif(&rs);
}

/* Gamma(k, 1) by Marsaglia and Tsang (k >= 1). */
static double gamma_k(double k)
{
	double d = k - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);

	for (;;) {
		double x = sqrt(-2.0 * log(unif())) * cos(2.0 * M_PI * unif()), v = 1.0 + c * x;
		if (v <= 0.0)
			continue;
		v = v * v * v;
		if (log(unif()) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v;
	}
}

/* nu units with 1 to NL - 1 failed lives and a running one, drawn from
 * Weibull(beta, eta) with a gamma frailty of shape k on the hazard (k = 0:
 * units alike). */
/* Unit i's 2 to NL - 1 lives from Weibull(beta, scale), the last a
 * suspension. */
static void unit_lives(size_t i, double beta, double scale)
{
	size_t j, n = 2 + (size_t)(unif() * (NL - 2));

	for (j = 0; j < n; j++) {
		T[i][j] = scale * pow(-log(unif()), 1.0 / beta);
		FL[i][j] = j + 1 < n;
	}
	/* The running life: a fraction of a full one, a suspension. */
	T[i][n - 1] *= unif();
	UN[i].t = T[i];
	UN[i].failed = FL[i];
	UN[i].n = n;
}

static void fleet(size_t nu, double beta, double eta, double k)
{
	size_t i;

	for (i = 0; i < nu; i++) {
		double z = k > 0.0 ? gamma_k(k) / k : 1.0;
		unit_lives(i, beta, eta * pow(z, -1.0 / beta));
	}
}

/* ln of one unit's marginal likelihood by quadrature over its rate rho =
 * 1/theta ~ Gamma(a, rate b): the integrand in ln rho on a fine grid. */
static double unit_marginal(const struct predict_frailty_unit *u, double beta, double a,
                            double b)
{
	double r = 0.0, S = 0.0, dens = 0.0, mean = a / b, sum = 0.0, h = 0.002, mx = -INFINITY;
	size_t j;
	int k;

	for (j = 0; j < u->n; j++) {
		S += pow(u->t[j], beta);
		if (u->failed[j]) {
			r += 1.0;
			dens += log(beta) + (beta - 1.0) * log(u->t[j]);
		}
	}
	/* Two passes: the largest term, then the sum scaled by it. */
	for (int pass = 0; pass < 2; pass++) {
		for (k = -12000; k <= 6000; k++) {
			double lr = log(mean) + h * k, rho = exp(lr);
			double lf = r * lr - rho * S + a * log(b) + (a - 1.0) * lr - b * rho - lgamma(a) + lr;
			if (pass == 0)
				mx = lf > mx ? lf : mx;
			else
				sum += exp(lf - mx) * h;
		}
	}
	return dens + mx + log(sum);
}

static double marginal(size_t nu, double beta, double a, double b)
{
	double L = 0.0;
	size_t i;

	for (i = 0; i < nu; i++)
		L += unit_marginal(&UN[i], beta, a, b);
	return L;
}

START_TEST(test_frailty_marginal_by_quadrature)
{
	struct predict_frailty f;
	struct wr_err e = {0, ""};
	double L;

	rs = 3;
	fleet(60, 2.5, 300.0, 2.0);
	ck_assert_int_eq(predict_frailty_fit(UN, 60, 0.90, &f, &e), WR_OK);
	ck_assert(f.ok);
	L = marginal(60, f.beta, f.a, f.b);
	ck_assert_msg(fabs(L - f.marginal) < 1e-6 * fabs(L), "quadrature %.10g, fit %.10g", L,
	              f.marginal);
	/* The estimate is the quadrature's maximum in every direction: flat
	 * in beta, and lower all around. */
	{
		double h = 1e-4, d = (marginal(60, f.beta * (1 + h), f.a, f.b) -
		                      marginal(60, f.beta * (1 - h), f.a, f.b)) / (2 * h * f.beta);
		ck_assert_msg(fabs(d) < 0.02, "slope %g in beta", d);
	}
	ck_assert(marginal(60, f.beta * 1.01, f.a, f.b) < L);
	ck_assert(marginal(60, f.beta * 0.99, f.a, f.b) < L);
	ck_assert(marginal(60, f.beta, f.a * 1.05, f.b * 1.05) < L);
	ck_assert(marginal(60, f.beta, f.a * 0.95, f.b * 0.95) < L);
	ck_assert(marginal(60, f.beta, f.a, f.b * 1.05) < L);
	ck_assert(marginal(60, f.beta, f.a, f.b * 0.95) < L);
	ck_assert(f.beta_b.lo < f.beta && f.beta < f.beta_b.hi);
	ck_assert(fabs(f.eta - pow(f.b / f.a, 1.0 / f.beta)) < 1e-9 * f.eta);
	ck_assert(fabs(f.cv - 1.0 / sqrt(f.a)) < 1e-12);
}
END_TEST

/* Units that differ (frailty CV 0.7): the pooled MLE is biased low, the
 * frailty fit finds beta = 3 and the variation. */
START_TEST(test_frailty_recovers_the_shape)
{
	struct predict_frailty f;
	struct wr_err e = {0, ""};

	rs = 11;
	fleet(NU, 3.0, 100.0, 2.0);
	ck_assert_int_eq(predict_frailty_fit(UN, NU, 0.90, &f, &e), WR_OK);
	ck_assert(f.ok);
	ck_assert_msg(f.pooled_beta < 2.6, "pooled beta %g", f.pooled_beta);
	ck_assert_msg(fabs(f.beta - 3.0) < 0.15 * 3.0, "frailty beta %g for 3", f.beta);
	ck_assert(f.beta_b.lo < 3.0 && f.beta_b.hi > 3.0);
	ck_assert_msg(fabs(f.cv - sqrt(0.5)) < 0.25, "cv %g for 0.71", f.cv);
}
END_TEST

/* Units alike: the frailty fit is the pooled MLE, the variation small. */
START_TEST(test_frailty_alike)
{
	struct predict_frailty f;
	struct wr_err e = {0, ""};

	rs = 5;
	fleet(NU, 2.0, 100.0, 0.0);
	ck_assert_int_eq(predict_frailty_fit(UN, NU, 0.90, &f, &e), WR_OK);
	ck_assert(f.ok);
	ck_assert_msg(fabs(f.beta - f.pooled_beta) < 0.05 * f.pooled_beta, "frailty %g, pooled %g",
	              f.beta, f.pooled_beta);
	ck_assert(fabs(f.beta - 2.0) < 0.2);
	ck_assert_msg(f.cv < 0.3, "cv %g", f.cv);
}
END_TEST

/* The units of UN[0..nu) as one class "valve" of an ld_set, each life
 * ended by a failure but the last, running to day 1000. */
static void fleet_set(struct ld_set *s, struct ld_unit *u, struct ld_event *ev, size_t nu)
{
	size_t i, j;

	memset(s, 0, sizeof *s);
	s->units = u;
	s->events = ev;
	for (i = 0; i < nu; i++) {
		double t = 0.0;
		memset(&u[i], 0, sizeof u[i]);
		snprintf(u[i].tag, sizeof u[i].tag, "U%03zu", i);
		snprintf(u[i].cls, sizeof u[i].cls, "valve");
		u[i].in_service = 1;
		u[i].ev0 = s->nevents;
		for (j = 0; j + 1 < UN[i].n; j++) {
			t += T[i][j];
			ev[s->nevents].t = t;
			ev[s->nevents].op = NAN;
			ev[s->nevents].kind = LD_FAILURE;
			s->nevents++;
			u[i].nev++;
		}
		u[i].install = 1000.0 - t - T[i][UN[i].n - 1];
		for (j = 0; j < u[i].nev; j++)
			ev[u[i].ev0 + j].t += u[i].install;
		s->nunits++;
	}
}

/* In the ranking (predict_opts.frailty): the class shape with the
 * frailty, its bounds and label; without the option the pooled MLE. */
START_TEST(test_frailty_in_the_ranking)
{
	static struct ld_unit u[NU];
	static struct ld_event ev[NU * NL];
	struct ld_set s;
	struct predict_opts o;
	struct predict_ranking r;
	struct wr_err e = {0, ""};

	rs = 11;
	fleet(NU, 3.0, 100.0, 2.0);
	fleet_set(&s, u, ev, NU);
	predict_opts_init(&o);
	o.hazard = PREDICT_HAZARD_WEIBULL;
	o.renewal_only = 1;
	ck_assert_int_eq(predict_rank(&s, 1000.0, &o, &r, &e), WR_OK);
	ck_assert_int_eq(r.classes[0].method, PREDICT_M_CLASS);
	ck_assert_msg(r.classes[0].beta < 2.6, "pooled %g", r.classes[0].beta);
	predict_rank_free(&r);
	o.frailty = 1;
	ck_assert_int_eq(predict_rank(&s, 1000.0, &o, &r, &e), WR_OK);
	ck_assert_int_eq(r.classes[0].method, PREDICT_M_FRAILTY);
	ck_assert_msg(fabs(r.classes[0].beta - 3.0) < 0.45, "frailty %g", r.classes[0].beta);
	ck_assert(r.classes[0].beta_b.lo > 1.0);
	ck_assert_int_eq(r.classes[0].meaning, PREDICT_BETA_WEAROUT);
	ck_assert(r.items[0].beta == r.classes[0].beta);
	ck_assert_str_eq(predict_method_str(r.items[0].method), "class frailty MLE + EB");
	predict_rank_free(&r);
}
END_TEST

/* nu units of one class installed at day 0, each renewed at every failure
 * to day 2000, lives Weibull(beta, eta_i): eta_i^-beta is eta^-beta times
 * a gamma frailty of shape 1/v (mean 1, variance v; v = 0: units alike). */
static void frail_class(struct ld_set *s, struct ld_unit *u, struct ld_event *ev, size_t cap,
                        size_t nu, double beta, double eta, double v)
{
	size_t i;

	memset(s, 0, sizeof *s);
	s->units = u;
	s->events = ev;
	for (i = 0; i < nu; i++) {
		double sc = eta * (v > 0.0 ? pow(gamma_k(1.0 / v) * v, -1.0 / beta) : 1.0);
		double t = 0.0;
		memset(&u[i], 0, sizeof u[i]);
		snprintf(u[i].tag, sizeof u[i].tag, "U%03zu", i);
		snprintf(u[i].cls, sizeof u[i].cls, "seal");
		u[i].in_service = 1;
		u[i].install = 0.0;
		u[i].ev0 = s->nevents;
		for (;;) {
			t += sc * pow(-log(unif()), 1.0 / beta);
			if (t >= 2000.0 || s->nevents == cap)
				break;
			ev[s->nevents].t = t;
			ev[s->nevents].op = NAN;
			ev[s->nevents].kind = LD_FAILURE;
			s->nevents++;
			u[i].nev++;
		}
		s->nunits++;
	}
}

/* The class's coefficient of variation of unit scales, with bounds, in
 * the ranking, three seeds each.  A gamma frailty of shape 2 with beta = 2
 * spreads ln eta by sd = sqrt(psi'(2)) / 2 (psi'(2) = pi^2/6 - 1), a CV of
 * sqrt(e^(sd^2) - 1) = 0.418.  With the frailty in the shape fit the
 * estimate is within 10 % and the 90 % bounds hold it; with the pooled
 * shape (the default, biased low: 1.5-1.6 for 2) within 20 %.  Units
 * alike: below 0.1, the lower bound at 0. */
START_TEST(test_scale_cv_in_the_ranking)
{
	enum { N = 300, CAP = 300 * 60 };
	static struct ld_unit u[N];
	static struct ld_event ev[CAP];
	const double truth = sqrt(expm1((M_PI * M_PI / 6.0 - 1.0) / 4.0));
	struct ld_set s;
	struct predict_opts o;
	struct predict_ranking r;
	struct wr_err e = {0, ""};
	const struct predict_class *c;
	size_t seed;

	predict_opts_init(&o);
	o.hazard = PREDICT_HAZARD_WEIBULL;
	o.renewal_only = 1;
	for (seed = 1; seed <= 3; seed++) {
		rs = 40 + seed;
		frail_class(&s, u, ev, CAP, N, 2.0, 200.0, 0.5);
		for (o.frailty = 0; o.frailty <= 1; o.frailty++) {
			ck_assert_int_eq(predict_rank(&s, 2000.0, &o, &r, &e), WR_OK);
			c = &r.classes[0];
			ck_assert(c->scale_cv_b.lo < c->scale_cv && c->scale_cv < c->scale_cv_b.hi);
			ck_assert_msg(fabs(c->scale_cv - truth) < (o.frailty ? 0.1 : 0.2) * truth,
			              "cv %g for %g (frailty %d)", c->scale_cv, truth, o.frailty);
			if (o.frailty)
				ck_assert_msg(c->scale_cv_b.lo < truth && c->scale_cv_b.hi > truth,
				              "[%g, %g] for %g", c->scale_cv_b.lo, c->scale_cv_b.hi, truth);
			predict_rank_free(&r);
		}
		frail_class(&s, u, ev, CAP, N, 2.0, 200.0, 0.0);
		o.frailty = 0;
		ck_assert_int_eq(predict_rank(&s, 2000.0, &o, &r, &e), WR_OK);
		c = &r.classes[0];
		ck_assert_msg(c->scale_cv < 0.1 && c->scale_cv_b.lo < 0.02 && c->scale_cv_b.hi < 0.1,
		              "cv %g [%g, %g] for units alike", c->scale_cv, c->scale_cv_b.lo,
		              c->scale_cv_b.hi);
		predict_rank_free(&r);
	}
}
END_TEST

/* ---- the log-normal frailty (frailty_ln.c) ---- */

/* ln Int exp(r u - S e^u) N(u; mu, sigma^2) du by the trapezoid rule on
 * a dense grid of n steps wide enough for both tails: u within 40 sigma of
 * the prior's mean and the posterior's, and below where S e^u reaches
 * r + 60 (beyond it the integrand is less than e^-60 of its peak); and,
 * into *p, the posterior mean of 1 - exp(-e^u d) on the same grid. */
static double ln_unit_brute_p(double r, double S, double mu, double sigma, double d, long n,
                              double *p)
{
	double lo = fmin(mu, mu + sigma * sigma * r) - 40.0 * sigma - 5.0;
	double hi = mu + sigma * sigma * r + 40.0 * sigma + 5.0, mx = -INFINITY, sum = 0.0, h;
	double sp = 0.0;
	long k;

	if (S > 0.0 && log((r + 60.0) / S) + 5.0 < hi)
		hi = log((r + 60.0) / S) + 5.0;
	h = (hi - lo) / (double)n;
	for (int pass = 0; pass < 2; pass++)
		for (k = 0; k <= n; k++) {
			double u = lo + h * (double)k, v = (u - mu) / sigma;
			double f = r * u - S * exp(u) - 0.5 * v * v;
			double w = (k == 0 || k == n ? 0.5 : 1.0) * exp(f - mx);
			if (pass == 0) {
				mx = f > mx ? f : mx;
				continue;
			}
			sum += w;
			sp += w * -expm1(-exp(u) * d);
		}
	*p = sp / sum;
	return mx + log(sum * h / (sigma * sqrt(2.0 * M_PI)));
}

static double ln_unit_brute(double r, double S, double mu, double sigma)
{
	double p;

	return ln_unit_brute_p(r, S, mu, sigma, 0.0, 4000000, &p);
}

/* Each unit's integral against the brute force: r 0 to 200, S 1e-8 to
 * 1e8, sigma 0.01 to 3 (the plants' spread of ln rate is about 2.8). */
START_TEST(test_lognormal_unit_integral)
{
	static const double cases[][4] = {
		{0, 1, 0, 1},       {0, 1e6, 0, 3},    {0, 1e-6, 0, 3},  {1, 1, 0, 0.1},
		{1, 1, 0, 3},       {1, 1e-8, 0, 3},   {1, 1e8, 0, 3},   {30, 1, 0, 0.5},
		{30, 1, 2, 3},      {200, 5, 1, 2},    {0, 100, 0, 0.01}, {3, 0.01, -2, 2.8},
		{0, 0.3, -1, 2.8},  {1, 0.3, -1, 2.8}, {2, 50, -1, 2.8}, {0, 1e3, 0, 2.8},
		{5, 1e-8, -3, 0.05}, {0, 0.0, 1, 2},   {4, 0.0, 1, 2},
	};
	size_t c;

	for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		const double *q = cases[c];
		struct pi_lnf_post p;
		double b = ln_unit_brute(q[0], q[1], q[2], q[3]);
		pi_lnf_unit(q[0], q[1], q[2], q[3], &p);
		ck_assert_msg(fabs(p.l - b) < 1e-8 * fmax(1.0, fabs(b)),
		              "r %g S %g mu %g sigma %g: %.12g, brute force %.12g", q[0], q[1], q[2],
		              q[3], p.l, b);
	}
}
END_TEST

/* A unit's p under the log-normal posterior against the brute force,
 * from a cumulative hazard of 1e-12 (p by expm1, not a difference of two
 * marginals) to 100, and its posterior mean rate. */
START_TEST(test_lognormal_unit_pfail)
{
	static const double cases[][5] = {
		{0, 1, 0, 1, 1e-12}, {0, 1, 0, 1, 0.3},   {1, 1e-8, 0, 3, 0.05}, {1, 1, 0, 2.8, 2},
		{30, 1, 2, 3, 1e-3}, {0, 0.3, -1, 2.8, 5}, {3, 0.01, -2, 2.8, 100}, {4, 0, 1, 2, 0.01},
	};
	size_t c;

	for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		const double *q = cases[c];
		double b, p, rate, rate0;
		struct pi_lnf_post m;
		(void)ln_unit_brute_p(q[0], q[1], q[2], q[3], q[4], 1000000, &b);
		p = pi_lnf_pfail(q[0], q[1], q[2], q[3], q[4], &rate);
		ck_assert_msg(fabs(p - b) < 1e-8 * b, "r %g S %g mu %g sigma %g d %g: p %.12g, brute "
		              "force %.12g", q[0], q[1], q[2], q[3], q[4], p, b);
		pi_lnf_unit(q[0], q[1], q[2], q[3], &m);
		ck_assert(fabs(rate - m.eu) < 1e-12 * m.eu);
		ck_assert(pi_lnf_pfail(q[0], q[1], q[2], q[3], 0.0, &rate0) == 0.0);
	}
}
END_TEST

/* sigma -> 0: no frailty, the unit's Poisson-like r mu - S e^mu. */
START_TEST(test_lognormal_unit_no_spread)
{
	static const double cases[][3] = {{0, 2.0, 0.3}, {3, 0.5, -1.0}, {20, 40.0, -0.7}};
	size_t c;

	for (c = 0; c < 3; c++) {
		struct pi_lnf_post p;
		double r = cases[c][0], S = cases[c][1], mu = cases[c][2];
		double want = r * mu - S * exp(mu);
		pi_lnf_unit(r, S, mu, 1e-6, &p);
		ck_assert_msg(fabs(p.l - want) < 1e-9 * fmax(1.0, fabs(want)), "%.12g for %.12g",
		              p.l, want);
		ck_assert(fabs(p.eu - exp(mu)) < 1e-5 * exp(mu));
	}
}
END_TEST

/* nu units with 2 to NL - 1 lives, the last a suspension, drawn from
 * Weibull(beta, eta_i) with log-normal scales ln eta_i ~ N(ln eta, sd^2). */
static void fleet_lognormal(size_t nu, double beta, double eta, double sd)
{
	size_t i;

	for (i = 0; i < nu; i++) {
		double z = sqrt(-2.0 * log(unif())) * cos(2.0 * M_PI * unif());
		unit_lives(i, beta, eta * exp(sd * z));
	}
}

/* Both frailty fits of UN[0..nu), from the pooled MLE. */
static void both_fits(size_t nu, struct pi_frailty *gf, struct pi_frailty_ln *lf)
{
	static struct predict_life lv[NU_LN * NL];
	static double t[NU_LN * NL], S[NU_LN], D[NU_LN];
	static int fl[NU_LN * NL], r[NU_LN];
	static size_t l0[NU_LN], nl[NU_LN];
	struct pi_frailty_in in;
	struct pi_mle m;
	double tref = 0.0, a0 = 1.0, s0;
	size_t i, j, k = 0;

	for (i = 0; i < nu; i++) {
		l0[i] = k;
		nl[i] = UN[i].n;
		r[i] = 0;
		for (j = 0; j < UN[i].n; j++, k++) {
			lv[k].t = t[k] = UN[i].t[j];
			lv[k].failed = fl[k] = UN[i].failed[j];
			lv[k].running = 0;
			lv[k].entry = 0.0;
			r[i] += fl[k];
			tref = t[k] > tref ? t[k] : tref;
		}
	}
	ck_assert_int_eq(pi_mle(t, fl, NULL, k, &m), WR_OK);
	in.lives = lv;
	in.l0 = l0;
	in.nl = nl;
	in.r = r;
	in.nu = nu;
	in.tref = tref;
	in.S = S;
	in.D = D;
	in.a0 = &a0;
	ck_assert_int_eq(pi_frailty_shape(&in, m.beta, gf), WR_OK);
	ck_assert(gf->ok);
	s0 = sqrt(pi_trigamma(gf->a));
	ck_assert_int_eq(pi_frailty_ln_shape(&in, gf->beta, log(gf->a / gf->b) - 0.5 * s0 * s0,
	                                     s0, lf),
	                 WR_OK);
	ck_assert(lf->ok);
}

/* Log-normal scales with sd 0.8 and beta = 3.5 (the plants' strong
 * variation): the gamma frailty's shape is low, the log-normal's within
 * 10 %, its marginal likelihood the higher, its sigma near 0.8 x 3.5. */
/* The class's log-normal marginal of UN[0..nu) at (beta, mu, sigma), each
 * unit's integral by brute force: independent of frailty_ln.c's nodes,
 * Newton steps and exposures. */
static double brute_marginal(size_t nu, double beta, double mu, double sigma)
{
	double tref = 0.0, M = 0.0, rt = 0.0, slf = 0.0, p;
	size_t i, j;

	for (i = 0; i < nu; i++)
		for (j = 0; j < UN[i].n; j++)
			tref = fmax(tref, UN[i].t[j]);
	for (i = 0; i < nu; i++) {
		double S = 0.0, r = 0.0;
		for (j = 0; j < UN[i].n; j++) {
			S += pow(UN[i].t[j] / tref, beta);
			if (UN[i].failed[j]) {
				r += 1.0;
				slf += log(UN[i].t[j] / tref);
			}
		}
		rt += r;
		M += ln_unit_brute_p(r, S, mu, sigma, 0.0, 20000, &p);
	}
	return M + rt * log(beta) + (beta - 1.0) * slf - rt * log(tref);
}

START_TEST(test_lognormal_fleet)
{
	static const double step[6][3] = {
		{1e-3, 0, 0}, {-1e-3, 0, 0}, {0, 1e-3, 0}, {0, -1e-3, 0}, {0, 0, 1e-3}, {0, 0, -1e-3},
	};
	double at;
	int k;
	struct pi_frailty gf;
	struct pi_frailty_ln lf;

	rs = 21;
	fleet_lognormal(NU_LN, 3.5, 100.0, 0.8);
	both_fits(NU_LN, &gf, &lf);
	ck_assert_msg(fabs(lf.beta - 3.5) < 0.10 * 3.5, "log-normal beta %g for 3.5", lf.beta);
	ck_assert_msg(gf.beta < 0.95 * lf.beta, "gamma beta %g, log-normal %g",
	              gf.beta, lf.beta);
	ck_assert_msg(lf.marginal > gf.marginal + 2.0, "marginal log-normal %g, gamma %g",
	              lf.marginal, gf.marginal);
	ck_assert_msg(fabs(lf.sigma - 2.8) < 0.2 * 2.8, "sigma %g for 2.8", lf.sigma);
	ck_assert(isfinite(lf.v_logbeta) && lf.v_logbeta > 0.0);
	ck_assert(isfinite(lf.v_logsigma) && lf.v_logsigma > 0.0);
	/* The fit is the maximum of the marginal as brute force computes it:
	 * its value there, and lower a step of 1e-3 away in each parameter
	 * (ln beta, mu, ln sigma) either way: small, because the marginal's
	 * ridge runs across the axes (mu moves with beta), so that a point
	 * off the maximum has a first-order gain along some axis that a
	 * larger step's second-order loss would hide. */
	at = brute_marginal(NU_LN, lf.beta, lf.mu, lf.sigma);
	ck_assert_msg(fabs(at - lf.marginal) < 1e-7 * fabs(at), "marginal %.10g, brute force %.10g",
	              lf.marginal, at);
	for (k = 0; k < 6; k++) {
		double m = brute_marginal(NU_LN, lf.beta * exp(step[k][0]), lf.mu + step[k][1],
		                          lf.sigma * exp(step[k][2]));
		ck_assert_msg(m < at, "step %d: %.10g above the fit's %.10g", k, m, at);
	}
}
END_TEST

/* A gamma frailty of shape 0.7 (rates' CV 1.2, so the ranking tries the
 * log-normal): the gamma's marginal is the higher, or within 1. */
START_TEST(test_gamma_fleet_keeps_gamma)
{
	struct pi_frailty gf;
	struct pi_frailty_ln lf;

	rs = 31;
	fleet(NU_LN, 3.0, 100.0, 0.7);
	both_fits(NU_LN, &gf, &lf);
	ck_assert_msg(gf.a < 1.0, "a %g", gf.a);
	ck_assert_msg(gf.marginal > lf.marginal - 1.0, "marginal gamma %g, log-normal %g",
	              gf.marginal, lf.marginal);
	ck_assert_msg(fabs(gf.beta - 3.0) < 0.15 * 3.0, "gamma beta %g for 3", gf.beta);
}
END_TEST

/* Every tenth ranked unit's p_fail is its log-normal posterior's over
 * the Weibull's cumulative hazard in the horizon (brute force), not the
 * gamma posterior's, which differs by more than 1 % for some of them; its
 * eta is the posterior mean rate's. */
static void ranked_under_lognormal(const struct predict_ranking *r, double H)
{
	const struct pi_plant *pl = r->plant;
	const struct pi_pclass *pc = &pl->c[0];
	struct wr_err e = {0, ""};
	double far = 0.0;
	size_t i;

	ck_assert(pc->ln);
	for (i = 0; i < r->n; i += 10) {
		const struct predict_item *it = &r->items[i];
		const struct pi_punit *u = &pl->u[it->unit];
		double a = u->age / pc->tref, x = (u->age + H) / pc->tref, p, b, rate;
		double d = pow(x, pc->beta) - pow(a, pc->beta);
		ck_assert_int_eq(predict_p_fail(r, it->unit, H, &p, &e), WR_OK);
		ck_assert(p == it->p_fail);
		(void)ln_unit_brute_p(u->r, u->S, pc->mu, pc->sigma, d, 200000, &b);
		ck_assert_msg(fabs(p - b) < 1e-7 * b, "unit %zu: p %.12g, brute force %.12g",
		              it->unit, p, b);
		(void)pi_lnf_pfail(u->r, u->S, pc->mu, pc->sigma, 0.0, &rate);
		ck_assert(fabs(it->eta - pc->tref * pow(rate, -1.0 / pc->beta)) < 1e-9 * it->eta);
		b = -expm1(-u->A * log1p(d / u->B));
		far = fmax(far, fabs(b - p) / p);
	}
	ck_assert_msg(far > 0.01, "the gamma posterior's p within %g of the log-normal's", far);
}

/* In the ranking: the log-normal fleet's class takes the log-normal
 * frailty's shape, sigma and the scales' CV from it (truth
 * sqrt(e^0.64 - 1) = 0.947); the gamma fleet's stays gamma. */
START_TEST(test_lognormal_in_the_ranking)
{
	static struct ld_unit u[NU_LN];
	static struct ld_event ev[NU_LN * NL];
	const double truth = sqrt(expm1(0.64));
	struct ld_set s;
	struct predict_opts o;
	struct predict_ranking r;
	struct wr_err e = {0, ""};
	const struct predict_class *c;

	predict_opts_init(&o);
	o.hazard = PREDICT_HAZARD_WEIBULL;
	o.renewal_only = 1;
	o.frailty = 1;
	rs = 21;
	fleet_lognormal(NU_LN, 3.5, 100.0, 0.8);
	fleet_set(&s, u, ev, NU_LN);
	ck_assert_int_eq(predict_rank(&s, 1000.0, &o, &r, &e), WR_OK);
	c = &r.classes[0];
	ck_assert_int_eq(c->method, PREDICT_M_FRAILTY_LN);
	ck_assert_str_eq(predict_method_str(r.items[0].method), "class log-normal frailty MLE + EB");
	ck_assert_int_eq(c->frailty_dist, PREDICT_FRAILTY_LOGNORMAL);
	ck_assert_str_eq(predict_frailty_dist_str(c->frailty_dist), "log-normal");
	ck_assert_msg(fabs(c->beta - 3.5) < 0.10 * 3.5, "beta %g for 3.5", c->beta);
	ck_assert(c->beta_b.lo < c->beta && c->beta < c->beta_b.hi);
	ck_assert(c->marginal_lognormal > c->marginal_gamma);
	ck_assert(c->frailty_sigma_b.lo < c->frailty_sigma && c->frailty_sigma < c->frailty_sigma_b.hi);
	ck_assert_msg(fabs(c->scale_cv - truth) < 0.15 * truth, "scale cv %g for %g", c->scale_cv,
	              truth);
	ck_assert(c->scale_cv_b.lo < c->scale_cv && c->scale_cv < c->scale_cv_b.hi);
	ck_assert(r.items[0].beta == c->beta);
	ranked_under_lognormal(&r, o.horizon);
	predict_rank_free(&r);

	rs = 31;
	fleet(NU_LN, 3.0, 100.0, 0.7);
	fleet_set(&s, u, ev, NU_LN);
	ck_assert_int_eq(predict_rank(&s, 1000.0, &o, &r, &e), WR_OK);
	c = &r.classes[0];
	ck_assert_int_eq(c->frailty_dist, PREDICT_FRAILTY_GAMMA);
	ck_assert_int_eq(c->method, PREDICT_M_FRAILTY);
	ck_assert(isfinite(c->marginal_lognormal) && c->marginal_gamma >= c->marginal_lognormal);
	ck_assert(isnan(c->frailty_sigma));
	predict_rank_free(&r);
}
END_TEST

START_TEST(test_frailty_refusals)
{
	static const double bad[] = {3.0, -1.0};
	static const int fl[] = {1, 0};
	static const double none[] = {3.0, 5.0};
	static const int nofail[] = {0, 0};
	struct predict_frailty_unit u = {bad, fl, 2};
	struct predict_frailty f;
	struct wr_err e = {0, ""};

	ck_assert_int_eq(predict_frailty_fit(&u, 1, 0.90, &f, &e), WR_EINPUT);
	ck_assert(!f.ok && isnan(f.beta));
	u.t = none;
	u.failed = nofail;
	ck_assert_int_eq(predict_frailty_fit(&u, 1, 0.90, &f, &e), WR_OK);
	ck_assert(!f.ok);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("predict_frailty");
	TCase *tc = tcase_create("frailty");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_frailty_marginal_by_quadrature);
	tcase_add_test(tc, test_frailty_recovers_the_shape);
	tcase_add_test(tc, test_frailty_alike);
	tcase_add_test(tc, test_frailty_in_the_ranking);
	tcase_add_test(tc, test_scale_cv_in_the_ranking);
	tcase_add_test(tc, test_lognormal_unit_pfail);
	tcase_add_test(tc, test_frailty_refusals);
	tcase_add_test(tc, test_lognormal_unit_integral);
	tcase_add_test(tc, test_lognormal_unit_no_spread);
	tcase_add_test(tc, test_lognormal_fleet);
	tcase_add_test(tc, test_gamma_fleet_keeps_gamma);
	tcase_add_test(tc, test_lognormal_in_the_ranking);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
