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
 * positive weight, which rises with beta), so its root is unique.  With
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

/* The profile score and the ratio of its last term at beta, on ages
 * already divided by the longest window end. */
static double plp_score(const struct pi_plp_in *in, double beta, double sum_lx)
{
	double num = 0.0, den = 0.0, n = (double)in->nx;
	size_t q;

	for (q = 0; q < in->nsys; q++) {
		double a = in->s1[q] / in->scale, b = in->s0[q] / in->scale;
		double pa = exp(beta * log(a)), pb = b > 0.0 ? exp(beta * log(b)) : 0.0;
		num += pa * log(a) - (b > 0.0 ? pb * log(b) : 0.0);
		den += pa - pb;
	}
	return n / beta + sum_lx - n * num / den;
}

/* The scaled sum of ln x; 0 when a failure age is outside its bounds. */
static int plp_check(const struct pi_plp_in *in, double *sum_lx)
{
	size_t i, q;

	*sum_lx = 0.0;
	for (q = 0; q < in->nsys; q++)
		if (!(in->s1[q] > in->s0[q]) || !(in->s0[q] >= 0.0) || !isfinite(in->s1[q]))
			return -1;
	for (i = 0; i < in->nx; i++) {
		if (!(in->x[i] > 0.0) || !isfinite(in->x[i]))
			return -1;
		*sum_lx += log(in->x[i] / in->scale);
	}
	return 0;
}

/* The root of the decreasing score by bisection in ln beta, to 1e-13 of
 * ln beta (about 34 halvings of [ln 0.01, ln 100]). */
static double plp_root(const struct pi_plp_in *in, double sum_lx)
{
	double lo = log(PI_PLP_BETA_MIN), hi = log(PI_PLP_BETA_MAX);
	int k;

	if (plp_score(in, PI_PLP_BETA_MIN, sum_lx) <= 0.0)
		return PI_PLP_BETA_MIN;
	if (plp_score(in, PI_PLP_BETA_MAX, sum_lx) >= 0.0)
		return PI_PLP_BETA_MAX;
	for (k = 0; k < 200 && hi - lo > 1e-13; k++) {
		double mid = 0.5 * (lo + hi);
		if (plp_score(in, exp(mid), sum_lx) > 0.0)
			lo = mid;
		else
			hi = mid;
	}
	return exp(0.5 * (lo + hi));
}

void pi_plp_fit(const struct pi_plp_in *in_, double conf, struct pi_plp *out)
{
	struct pi_plp_in in = *in_;
	double sum_lx, den = 0.0, n = (double)in.nx, z;
	size_t q;

	out->ok = 0;
	out->beta = out->lambda = out->loglik = NAN;
	out->beta_b.lo = out->beta_b.hi = NAN;
	out->n = n;
	in.scale = 0.0;
	for (q = 0; q < in.nsys; q++)
		if (in.s1[q] > in.scale)
			in.scale = in.s1[q];
	if (in.nx < 2 || in.nsys == 0 || !(in.scale > 0.0) || plp_check(&in, &sum_lx) != 0)
		return;
	out->beta = plp_root(&in, sum_lx);
	for (q = 0; q < in.nsys; q++)
		den += exp(out->beta * log(in.s1[q] / in.scale)) -
		       (in.s0[q] > 0.0 ? exp(out->beta * log(in.s0[q] / in.scale)) : 0.0);
	/* lambda in the caller's unit of time: lambda / scale^beta. */
	out->lambda = exp(log(n / den) - out->beta * log(in.scale));
	/* At the maximum lambda sum (s1^beta - s0^beta) = N. */
	out->loglik = n * log(out->lambda * out->beta) +
	              (out->beta - 1.0) * (sum_lx + n * log(in.scale)) - n;
	z = 1.0 - (conf > 0.0 && conf < 1.0 ? conf : PREDICT_CONF_DEFAULT);
	out->beta_b.lo = out->beta * pi_chi2_quantile(0.5 * z, 2.0 * n) / (2.0 * n);
	out->beta_b.hi = out->beta * pi_chi2_quantile(1.0 - 0.5 * z, 2.0 * n) / (2.0 * n);
	out->ok = out->beta > PI_PLP_BETA_MIN && out->beta < PI_PLP_BETA_MAX;
}

int predict_power_law_fit(const struct predict_system *sys, size_t nsys, double conf,
                          struct predict_power_law *out, struct wr_err *e)
{
	struct pi_plp_in in;
	struct pi_plp f;
	double *buf;
	size_t q, i, nx = 0;

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
	for (q = 0, nx = 0; q < nsys; q++) {
		buf[in.nx + q] = sys[q].start;
		buf[in.nx + nsys + q] = sys[q].end;
		for (i = 0; i < sys[q].n; i++)
			buf[nx++] = sys[q].fail[i];
	}
	pi_plp_fit(&in, conf, &f);
	free(buf);
	out->ok = f.ok;
	out->n = f.n;
	out->beta = f.beta;
	out->lambda = f.lambda;
	out->loglik = f.loglik;
	out->beta_b = f.beta_b;
	return WR_OK;
}
