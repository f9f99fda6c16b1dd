/*
 * plp.c - the power-law process (Crow-AMSAA) of repairable systems under
 * minimal repair, fitted by maximum likelihood over several systems.
 *
 * A system observed over the ages (s0, s1] has failures at ages x_i, each
 * repaired to the state it had just before (minimal repair), so failures
 * arrive as a Poisson process of intensity lambda beta x^(beta-1) in the
 * system's own age.  For systems q sharing beta and lambda the
 * log-likelihood is
 *
 *     L = N ln(lambda beta) + (beta - 1) sum ln x_i - lambda sum_q (s1^beta - s0^beta).
 *
 * lambda has its maximum N / sum_q (s1^beta - s0^beta) in closed form, and
 * the profile score in beta,
 *
 *     g(beta) = N / beta + sum ln x_i
 *               - N sum_q (s1^beta ln s1 - s0^beta ln s0) / sum_q (s1^beta - s0^beta),
 *
 * is strictly decreasing (the last ratio is the mean of ln s under a
 * positive weight, which rises with beta), so its root is unique; Newton's
 * method finds it in a few steps.  With
 * every s0 = 0 and one end T it is Crow's closed form
 * beta = N / sum ln(T / x_i) (MIL-HDBK-189); the unit tests check the
 * iteration against it.  Ages are scaled by the longest s1, so nothing
 * overflows whatever the time unit.  The bounds are Crow's: 2 N beta /
 * beta_hat is chi-square with 2N degrees of freedom (exact for systems
 * time-truncated at one age, an approximation otherwise).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "predict_int.h"

/* The profile score g(beta), its slope and its second derivative, on the
 * windows' logarithms (ages divided by the longest window end, so every
 * one is <= 0; lb is -INFINITY for a window from age 0).  Under the
 * weights of the ratio, the slope is -N / beta^2 - N times the variance
 * of ln s and the second derivative 2 N / beta^3 - N times its third
 * central moment.  Each window's exposure at beta goes to pw (when not
 * NULL) and their sum to *den: at the root they are the fit's, and a pass
 * of their own would cost as much as an evaluation. */
struct plp_val {
	double g, d1, d2, den;
};

static void plp_score(const struct pi_plp_in *in, const double *la, const double *lb,
                      double beta, double sum_lx, double *pw, struct plp_val *v)
{
	double num = 0.0, num2 = 0.0, num3 = 0.0, den = 0.0, n = (double)in->nx, m, var;
	size_t q;

	for (q = 0; q < in->nsys; q++) {
		double pa = exp(beta * la[q]), pb = 0.0, w = pa, l = la[q];
		num += pa * l;
		num2 += pa * l * l;
		num3 += pa * l * l * l;
		if (isfinite(lb[q])) {
			double k = lb[q];
			pb = exp(beta * k);
			num -= pb * k;
			num2 -= pb * k * k;
			num3 -= pb * k * k * k;
			w -= pb;
		}
		den += w;
		if (pw)
			pw[q] = w;
		if (in->ex) {
			in->ex[2 * q] = pa;
			in->ex[2 * q + 1] = pb;
		}
	}
	m = num / den;
	var = num2 / den - m * m;
	v->g = n / beta + sum_lx - n * m;
	v->d1 = -n / (beta * beta) - n * var;
	v->d2 = 2.0 * n / (beta * beta * beta) - n * (num3 / den - 3.0 * m * var - m * m * m);
	v->den = den;
}

/* The windows' exposures at beta into pw (when not NULL); their sum. */
static double plp_exposures(const struct pi_plp_in *in, const double *la, const double *lb,
                            double beta)
{
	double den = 0.0;
	size_t q;

	for (q = 0; q < in->nsys; q++) {
		double w = exp(beta * la[q]) - (isfinite(lb[q]) ? exp(beta * lb[q]) : 0.0);
		den += w;
		if (in->pw)
			in->pw[q] = w;
	}
	return den;
}

/* The exposures at beta + d from the powers at beta kept in in->ex:
 * s^(beta + d) = s^beta e^(d ln s), the exponential by its series to the
 * fourth power, exact to rounding while |d ln s| <= PLP_SERIES (the next
 * term is below 1e-17).  Into pw (when not NULL); their sum. */
#define PLP_SERIES 1e-3
/* e^x by its series to the fourth power (|x| <= PLP_SERIES). */
static double exp_series(double x)
{
	return 1.0 + x * (1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0))));
}

static double plp_series(const struct pi_plp_in *in, const double *la, const double *lb,
                         double d)
{
	double den = 0.0;
	size_t q;

	for (q = 0; q < in->nsys; q++) {
		double w = in->ex[2 * q] * exp_series(d * la[q]);
		if (isfinite(lb[q]))
			w -= in->ex[2 * q + 1] * exp_series(d * lb[q]);
		den += w;
		if (in->pw)
			in->pw[q] = w;
	}
	return den;
}

/* The scaled sum of ln x and the windows' logarithms; -1 when a window or
 * a failure age is not a positive number in order.  When the failures are
 * the ends of the windows flagged in xend, their logarithms are those
 * windows' (the same numbers, summed in the same order): a quarter fewer
 * logarithms for imperfect repair's fits. */
static int plp_check(const struct pi_plp_in *in, double *la, double *lb, double *sum_lx,
                     double *lmax)
{
	size_t i, q;

	*sum_lx = 0.0;
	*lmax = 0.0;
	for (q = 0; q < in->nsys; q++) {
		if (!(in->s1[q] > in->s0[q]) || !(in->s0[q] >= 0.0) || !isfinite(in->s1[q]))
			return -1;
		la[q] = log(in->s1[q] / in->scale);
		lb[q] = in->s0[q] > 0.0 ? log(in->s0[q] / in->scale) : -INFINITY;
		/* The logarithms are <= 0: the largest magnitude is the least. */
		double least = in->s0[q] > 0.0 ? lb[q] : la[q];
		if (-least > *lmax)
			*lmax = -least;
		if (in->xend && in->xend[q])
			*sum_lx += la[q];
	}
	if (in->xend)
		return 0;
	for (i = 0; i < in->nx; i++) {
		if (!(in->x[i] > 0.0) || !isfinite(in->x[i]))
			return -1;
		*sum_lx += log(in->x[i] / in->scale);
	}
	return 0;
}

/* The root of the decreasing score: Halley's method in beta (Newton's
 * when Halley's step is not usable) from the closed form of systems that
 * all start at 0, kept inside a bracket that shrinks with every evaluation
 * (bisection in ln beta when a step leaves it).  Halley's steps converge
 * cubically: from a nearby fit's beta, three evaluations where Newton took
 * four and then a fifth pass for the exposures.  The root is the last
 * point evaluated once the next step would move it by less than 1e-11 of
 * itself, so that pw and *den are its exposures (*fresh = 1); after 100
 * steps it is the next point, not evaluated (*fresh = 0).  Without a root
 * the bracket closes on one of its ends, which pi_plp_fit reports as no
 * finite maximum. */
static double plp_root(const struct pi_plp_in *in, const double *la, const double *lb,
                       double sum_lx, double lmax, double *den, int *fresh)
{
	double lo = PI_PLP_BETA_MIN, hi = PI_PLP_BETA_MAX, beta;
	struct plp_val v;
	int k;

	*fresh = 0;
	beta = in->beta0 > 0.0 ? in->beta0 : sum_lx < 0.0 ? -(double)in->nx / sum_lx : 1.0;
	if (!(beta > lo && beta < hi))
		beta = 1.0;
	for (k = 0; k < 100; k++) {
		double next = -1.0, hd;
		int halley;
		plp_score(in, la, lb, beta, sum_lx, in->pw, &v);
		*den = v.den;
		if (v.g > 0.0)
			lo = beta;
		else
			hi = beta;
		hd = 2.0 * v.d1 * v.d1 - v.g * v.d2;
		if (v.d1 < 0.0 && hd > 0.0)
			next = beta - 2.0 * v.g * v.d1 / hd;
		halley = next > lo && next < hi;
		if (!halley && v.d1 < 0.0)
			next = beta - v.g / v.d1;
		if (!(next > lo && next < hi))
			next = sqrt(lo * hi);
		if (fabs(next - beta) <= 1e-11 * beta) {
			*fresh = 1;
			return beta;
		}
		/* A short Halley step leaves the root to within about the cube
		 * of its length (1e-15 of beta): it is taken, and the exposures
		 * follow it by their series instead of another evaluation. */
		if (in->ex && halley && fabs(next - beta) <= 1e-5 * beta &&
		    fabs(next - beta) * lmax <= PLP_SERIES) {
			*den = plp_series(in, la, lb, next - beta);
			*fresh = 1;
			return next;
		}
		beta = next;
	}
	return beta;
}

int pi_plp_fit(const struct pi_plp_in *in_, double conf, struct pi_plp *out)
{
	struct pi_plp_in in = *in_;
	double sum_lx, den = 0.0, n = (double)in.nx, z, *la, *lb, lmax;
	size_t q;
	int fresh = 0;

	out->ok = 0;
	out->beta = out->lambda = out->loglik = NAN;
	out->beta_b.lo = out->beta_b.hi = NAN;
	out->n = n;
	out->scale = out->sum_lx = NAN;
	in.scale = 0.0;
	for (q = 0; q < in.nsys; q++)
		if (in.s1[q] > in.scale)
			in.scale = in.s1[q];
	if (in.nx < 2 || in.nsys == 0 || !(in.scale > 0.0))
		return WR_OK;
	la = in.lab ? in.lab : malloc(2 * in.nsys * sizeof *la);
	if (!la)
		return WR_ENOMEM;
	lb = la + in.nsys;
	if (plp_check(&in, la, lb, &sum_lx, &lmax) != 0) {
		if (!in.lab)
			free(la);
		return WR_OK;
	}
	out->scale = in.scale;
	out->sum_lx = sum_lx;
	out->beta = plp_root(&in, la, lb, sum_lx, lmax, &den, &fresh);
	if (!fresh)
		den = plp_exposures(&in, la, lb, out->beta);
	if (!in.lab)
		free(la);
	/* lambda in the caller's unit of time: lambda / scale^beta. */
	out->lambda = exp(log(n / den) - out->beta * log(in.scale));
	/* At the maximum lambda sum (s1^beta - s0^beta) = N. */
	out->loglik = n * log(out->lambda * out->beta) +
	              (out->beta - 1.0) * (sum_lx + n * log(in.scale)) - n;
	z = 1.0 - (conf > 0.0 && conf < 1.0 ? conf : PREDICT_CONF_DEFAULT);
	out->beta_b.lo = out->beta * pi_chi2_quantile(0.5 * z, 2.0 * n) / (2.0 * n);
	out->beta_b.hi = out->beta * pi_chi2_quantile(1.0 - 0.5 * z, 2.0 * n) / (2.0 * n);
	out->ok = out->beta > 1.001 * PI_PLP_BETA_MIN && out->beta < 0.999 * PI_PLP_BETA_MAX;
	return WR_OK;
}

int predict_power_law_fit(const struct predict_system *sys, size_t nsys, double conf,
                          struct predict_power_law *out, struct wr_err *e)
{
	struct pi_plp_in in;
	struct pi_plp f;
	double *buf;
	size_t q, i, nx = 0;
	int rc;

	memset(out, 0, sizeof *out);
	out->beta = out->lambda = out->loglik = NAN;
	out->beta_b.lo = out->beta_b.hi = NAN;
	for (q = 0; q < nsys; q++) {
		if (!(sys[q].end > sys[q].start) || !(sys[q].start >= 0.0) || !isfinite(sys[q].end))
			return wr_fail(e, WR_EINPUT, "system %zu: the observation must run from an age "
			               ">= 0 to a later one", q + 1);
		for (i = 0; i < sys[q].n; i++)
			if (!(sys[q].fail[i] > sys[q].start && sys[q].fail[i] <= sys[q].end))
				return wr_fail(e, WR_EINPUT, "system %zu: failure %zu at age %g is outside "
				               "its observation (%g, %g]", q + 1, i + 1, sys[q].fail[i],
				               sys[q].start, sys[q].end);
		nx += sys[q].n;
	}
	buf = malloc((nx + 2 * nsys + 1) * sizeof *buf);
	if (!buf)
		return wr_fail(e, WR_ENOMEM, "out of memory fitting the power-law process");
	in.x = buf;
	in.s0 = buf + nx;
	in.s1 = buf + nx + nsys;
	in.nx = nx;
	in.nsys = nsys;
	in.lab = NULL;
	in.pw = NULL;
	in.beta0 = 0.0;
	in.xend = NULL;
	in.ex = NULL;
	for (q = 0, nx = 0; q < nsys; q++) {
		buf[in.nx + q] = sys[q].start;
		buf[in.nx + nsys + q] = sys[q].end;
		for (i = 0; i < sys[q].n; i++)
			buf[nx++] = sys[q].fail[i];
	}
	rc = pi_plp_fit(&in, conf, &f);
	free(buf);
	if (rc)
		return wr_fail(e, rc, "out of memory fitting the power-law process");
	out->ok = f.ok;
	out->n = f.n;
	out->beta = f.beta;
	out->lambda = f.lambda;
	out->loglik = f.loglik;
	out->beta_b = f.beta_b;
	return WR_OK;
}
