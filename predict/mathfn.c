/*
 * mathfn.c - the few special functions predict/ needs beyond libm: the
 * normal quantile, the regularised incomplete gamma function and the
 * chi-square distribution built on it.
 */
#include <math.h>
#include <float.h>
#include "predict_int.h"

double pi_lgamma(double x)
{
	int sign;

	return lgamma_r(x, &sign);
}

double pi_norm_cdf(double x)
{
	/* erfc keeps full relative accuracy far into the lower tail, where
	 * 1 + erf(x) would cancel. */
	return 0.5 * erfc(-x / sqrt(2.0));
}

/*
 * A rational starting value (Abramowitz and Stegun 26.2.23, error below
 * 4.5e-4) polished by Halley steps on pi_norm_cdf().  Each Halley step
 * roughly triples the number of correct digits, so three are plenty.
 */
double pi_norm_quantile(double p)
{
	double q, t, x;
	int i, lower;

	if (!(p > 0.0 && p < 1.0)) {
		if (p == 0.0)
			return -HUGE_VAL;
		if (p == 1.0)
			return HUGE_VAL;
		return NAN;
	}
	lower = p < 0.5;
	q = lower ? p : 1.0 - p;
	t = sqrt(-2.0 * log(q));
	x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
	        (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
	x = lower ? -x : x;
	for (i = 0; i < 3; i++) {
		double err = pi_norm_cdf(x) - p;
		double pdf = exp(-0.5 * x * x) / sqrt(2.0 * M_PI);
		double u = err / pdf;
		x -= u / (1.0 + 0.5 * x * u);
	}
	return x;
}

double pi_conf_z(double conf)
{
	return pi_norm_quantile(0.5 + 0.5 * conf);
}

/* Series for P(a, x); converges quickly when x < a + 1. */
static double gamma_p_series(double a, double x)
{
	double sum = 1.0 / a, term = sum, ap = a;
	int n;

	for (n = 0; n < 10000; n++) {
		ap += 1.0;
		term *= x / ap;
		sum += term;
		if (fabs(term) < fabs(sum) * 1e-16)
			break;
	}
	return sum * exp(-x + a * log(x) - pi_lgamma(a));
}

/* Continued fraction for Q(a, x) by the modified Lentz method; converges
 * quickly when x > a + 1. */
static double gamma_q_cf(double a, double x)
{
	const double tiny = 1e-300;
	double b = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, h = d;
	int i;

	for (i = 1; i < 10000; i++) {
		double an = -i * (i - a), del;
		b += 2.0;
		d = an * d + b;
		if (fabs(d) < tiny)
			d = tiny;
		c = b + an / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1.0) < 1e-16)
			break;
	}
	return exp(-x + a * log(x) - pi_lgamma(a)) * h;
}

double pi_gamma_p(double a, double x)
{
	if (!(a > 0.0) || isnan(x))
		return NAN;
	if (x <= 0.0)
		return 0.0;
	if (isinf(x))
		return 1.0;
	if (x < a + 1.0)
		return gamma_p_series(a, x);
	return 1.0 - gamma_q_cf(a, x);
}

double pi_chi2_cdf(double x, double df)
{
	return pi_gamma_p(0.5 * df, 0.5 * x);
}

/*
 * Inverts the chi-square distribution by bisection on a bracket that is
 * doubled until it holds the answer, finished by Newton steps.  The answer
 * is needed to a few digits only (confidence bounds), but Newton makes it
 * exact for free.
 */
double pi_chi2_quantile(double p, double df)
{
	double lo = 0.0, hi = df > 1.0 ? df : 1.0, x;
	int i;

	if (!(p > 0.0 && p < 1.0) || !(df > 0.0))
		return p == 0.0 ? 0.0 : NAN;
	while (pi_chi2_cdf(hi, df) < p && hi < 1e300)
		hi *= 2.0;
	for (i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
		double mid = 0.5 * (lo + hi);
		if (pi_chi2_cdf(mid, df) < p)
			lo = mid;
		else
			hi = mid;
	}
	x = 0.5 * (lo + hi);
	for (i = 0; i < 3 && x > 0.0; i++) {
		double k = 0.5 * df;
		double logpdf = (k - 1.0) * log(x) - 0.5 * x - k * log(2.0) - pi_lgamma(k);
		double pdf = exp(logpdf), nx;
		if (!(pdf > 0.0))
			break;
		nx = x - (pi_chi2_cdf(x, df) - p) / pdf;
		if (!(nx > 0.0))
			break;
		x = nx;
	}
	return x;
}

double pi_trigamma(double x)
{
	double r = 0.0, x2;

	if (!(x > 0.0))
		return NAN;
	/* Up by the recurrence psi'(x) = psi'(x + 1) + 1/x^2, then the
	 * asymptotic series, accurate to about 1e-12 from x = 6. */
	while (x < 6.0) {
		r += 1.0 / (x * x);
		x += 1.0;
	}
	x2 = 1.0 / (x * x);
	return r + 1.0 / x + 0.5 * x2 +
	       x2 / x * (1.0 / 6.0 - x2 * (1.0 / 30.0 - x2 * (1.0 / 42.0 - x2 / 30.0)));
}

static void swap_double(double *a, double *b)
{
	double t = *a;

	*a = *b;
	*b = t;
}

/* Quickselect: partitions in three around the median of three (values
 * often repeat, as ages of planned replacement do), keeping the part that
 * holds k.  Sorting them all for a median took 3 % of a large ranking. */
double pi_kth_smallest(double *s, size_t n, size_t k)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		double a = s[lo], b = s[lo + (hi - lo) / 2], c = s[hi - 1];
		double p = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
		size_t lt = lo, i = lo, gt = hi;
		while (i < gt) {
			if (s[i] < p)
				swap_double(&s[lt++], &s[i++]);
			else if (s[i] > p)
				swap_double(&s[i], &s[--gt]);
			else
				i++;
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return p;
	}
	return s[lo];
}
