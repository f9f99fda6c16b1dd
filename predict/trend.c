/*
 * trend.c - is a repairable unit deteriorating?  Two classical tests of the
 * hypothesis that failures arrive as a homogeneous Poisson process (no
 * trend) against an increasing rate.
 *
 * Laplace: with failure times t_i observed over (0, T], the statistic
 *     U = (mean t_i - T/2) / (T sqrt(1 / (12 m)))
 * is close to standard normal under no trend; U > 0 means failures crowd
 * towards the end of the observation.
 *
 * Crow-AMSAA (MIL-HDBK-189): the power-law process with intensity
 * lambda beta t^(beta-1).  The MLE is beta = n / sum ln(T / t_i) and under
 * beta = 1 the quantity 2 sum ln(T / t_i) is chi-square with 2n degrees of
 * freedom (time-truncated) or 2(n-1) (failure-truncated, where the last
 * failure ends the observation and contributes a zero term).  A small value
 * means beta > 1.
 *
 * A unit is flagged only when both tests agree at PREDICT_TREND_ALPHA: the
 * two are nearly equivalent in power, and requiring both keeps the flag
 * for clear cases on the short histories maintenance data have.
 */
#include <math.h>
#include "predict_int.h"

const char *predict_trend_str(enum predict_trend_flag f)
{
	switch (f) {
	case PREDICT_TREND_NA: return "n/a";
	case PREDICT_TREND_NONE: return "no trend";
	case PREDICT_TREND_DETERIORATING: return "deteriorating";
	case PREDICT_TREND_IMPROVING: return "improving";
	}
	return "unknown";
}

int predict_trend(const double *times, size_t n, double T_end,
                  struct predict_trend *out, struct wr_err *e)
{
	double T, sum_t = 0.0, sum_l = 0.0, m;
	size_t i, used;
	int failure_truncated;

	out->flag = PREDICT_TREND_NA;
	out->n = n;
	out->laplace_u = out->laplace_p = NAN;
	out->ca_beta = out->ca_lambda = out->ca_chi2 = out->ca_df = out->ca_p = NAN;
	for (i = 0; i < n; i++) {
		if (!(times[i] > 0.0) || !isfinite(times[i]))
			return wr_fail(e, WR_EINPUT, "failure time %zu is %g: times must be positive",
			               i + 1, times[i]);
		if (i > 0 && times[i] < times[i - 1])
			return wr_fail(e, WR_EINPUT, "failure times must be in increasing order");
	}
	if (n < PREDICT_TREND_MIN)
		return WR_OK;
	failure_truncated = !(T_end > times[n - 1]);
	T = failure_truncated ? times[n - 1] : T_end;
	used = failure_truncated ? n - 1 : n;
	for (i = 0; i < used; i++) {
		sum_t += times[i];
		sum_l += log(T / times[i]);
	}
	m = (double)used;
	out->laplace_u = (sum_t / m - 0.5 * T) / (T * sqrt(1.0 / (12.0 * m)));
	out->laplace_p = pi_norm_cdf(-out->laplace_u);

	out->ca_df = 2.0 * m;
	out->ca_chi2 = 2.0 * sum_l;
	if (sum_l > 0.0) {
		out->ca_beta = (double)n / sum_l;
		out->ca_lambda = exp(log((double)n) - out->ca_beta * log(T));
		out->ca_p = pi_chi2_cdf(out->ca_chi2, out->ca_df);
	} else {
		/* Every failure at the end of the observation. */
		out->ca_beta = INFINITY;
		out->ca_lambda = 0.0;
		out->ca_p = 0.0;
	}
	if (out->laplace_p < PREDICT_TREND_ALPHA && out->ca_p < PREDICT_TREND_ALPHA)
		out->flag = PREDICT_TREND_DETERIORATING;
	else if (1.0 - out->laplace_p < PREDICT_TREND_ALPHA && 1.0 - out->ca_p < PREDICT_TREND_ALPHA)
		out->flag = PREDICT_TREND_IMPROVING;
	else
		out->flag = PREDICT_TREND_NONE;
	return WR_OK;
}
