/*
 * agerep.c - the age-replacement policy: replace a unit at age T (cost cp)
 * or at failure, whichever comes first (cost cf).  The long-run cost per unit
 * time is
 *
 *     C(T) = (cp R(T) + cf (1 - R(T))) / int_0^T R(t) dt.
 *
 * For the Weibull, with x = T / eta and G = Gamma(1 + 1/beta), the
 * integral is eta G P(1/beta, x^beta) (P the regularised incomplete gamma
 * function), and C'(T) = 0 becomes
 *
 *     phi(x) = beta x^(beta-1) G P(1/beta, x^beta) - (1 - exp(-x^beta))
 *            = cp / (cf - cp).
 *
 * phi(0) = 0 and phi'(x) = (beta - 1) beta x^(beta-2) G P(1/beta, x^beta)
 * (the density terms cancel), so for beta > 1 phi increases without bound
 * and the root is unique: a safeguarded Newton iteration finds it.  For
 * beta <= 1 the hazard does not rise, planned replacement never pays, and
 * running to failure (C = cf / MTBF) is the answer.
 */
#include <math.h>
#include "predict_int.h"

double predict_age_replacement_cost(double beta, double eta, double cp, double cf, double T)
{
	double x, R, I;

	if (!(T > 0.0))
		return INFINITY;
	x = pow(T / eta, beta);
	R = exp(-x);
	I = eta * exp(pi_lgamma(1.0 + 1.0 / beta)) * pi_gamma_p(1.0 / beta, x);
	return (cp * R + cf * -expm1(-x)) / I;
}

static double phi(double beta, double G, double x, double *dphi)
{
	double xb = pow(x, beta), P = pi_gamma_p(1.0 / beta, xb);

	*dphi = (beta - 1.0) * beta * pow(x, beta - 2.0) * G * P;
	return beta * pow(x, beta - 1.0) * G * P + expm1(-xb);
}

/* Brackets the root of phi(x) = kappa in [*lo, *hi] by doubling hi; -1
 * when it lies beyond any practical age. */
static int bracket_optimum(double beta, double G, double kappa, double *lo, double *hi)
{
	double d;
	int i;

	for (i = 0; i < 2000 && phi(beta, G, *hi, &d) < kappa; i++) {
		*lo = *hi;
		*hi *= 2.0;
	}
	return i == 2000 ? -1 : 0;
}

/* The root of phi(x) = kappa in [lo, hi]: Newton's steps, bisection where
 * a step would leave the bracket. */
static double solve_optimum(double beta, double G, double kappa, double lo, double hi)
{
	double x = 0.5 * (lo + hi), d;
	int i;

	for (i = 0; i < 200; i++) {
		double f = phi(beta, G, x, &d) - kappa, nx;
		if (f == 0.0)
			break;
		if (f < 0.0)
			lo = x;
		else
			hi = x;
		nx = d > 0.0 ? x - f / d : 0.5 * (lo + hi);
		if (!(nx > lo && nx < hi))
			nx = 0.5 * (lo + hi);
		if (fabs(nx - x) <= 1e-13 * x || hi - lo <= 1e-14 * hi) {
			x = nx;
			break;
		}
		x = nx;
	}
	return x;
}

int predict_age_replacement(double beta, double eta, double cp, double cf,
                            struct predict_agerep *out, struct wr_err *e)
{
	double G, kappa, lo = 0.0, hi = 1.0;

	out->ok = 0;
	out->why = NULL;
	out->t_opt = out->cost_rate = out->saving = NAN;
	out->cost_rate_rtf = NAN;
	if (!(beta > 0.0) || !(eta > 0.0) || !isfinite(beta) || !isfinite(eta))
		return wr_fail(e, WR_EINPUT, "age replacement needs a positive beta and eta");
	if (!(cp > 0.0) || !(cf > 0.0) || !isfinite(cp) || !isfinite(cf))
		return wr_fail(e, WR_EINPUT, "age replacement needs positive planned and failure costs");
	out->cost_rate_rtf = cf / predict_weibull_mean(beta, eta);
	if (!(beta > 1.0)) {
		out->why = "beta <= 1: the failure rate does not rise with age, so run to failure";
		return WR_OK;
	}
	if (!(cf > cp)) {
		out->why = "a failure costs no more than a planned replacement, so run to failure";
		return WR_OK;
	}
	G = exp(pi_lgamma(1.0 + 1.0 / beta));
	kappa = cp / (cf - cp);
	if (bracket_optimum(beta, G, kappa, &lo, &hi) != 0) {
		out->why = "the optimum lies beyond any practical age";
		return WR_OK;
	}
	out->t_opt = eta * solve_optimum(beta, G, kappa, lo, hi);
	out->cost_rate = predict_age_replacement_cost(beta, eta, cp, cf, out->t_opt);
	out->saving = 1.0 - out->cost_rate / out->cost_rate_rtf;
	out->ok = 1;
	return WR_OK;
}
