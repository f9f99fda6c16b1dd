/*
 * weibull_mrr.c - median-rank regression, the graphical Weibull method.
 *
 * Observations are sorted by time (a failure before a suspension at the same
 * time, the usual convention: the suspended unit was known to survive the
 * failure time).  Each failure gets Johnson's adjusted rank
 *
 *     rank = (reverse_rank * previous_rank + N + 1) / (reverse_rank + 1),
 *
 * where reverse_rank = N - position + 1, so suspensions between failures
 * spread the remaining probability over fewer units.  The plotting position
 * is Bernard's approximation to the median rank, F = (rank - 0.3) / (N + 0.4),
 * and the line is fitted to x = ln t, y = ln(-ln(1 - F)).
 */
#include <math.h>
#include <stdlib.h>
#include "predict_int.h"

struct obs {
	double t;
	double c;
	int failed;
};

static int obs_cmp(const void *pa, const void *pb)
{
	const struct obs *a = pa, *b = pb;

	if (a->t < b->t)
		return -1;
	if (a->t > b->t)
		return 1;
	/* Failures first among equal times. */
	return (b->failed != 0) - (a->failed != 0);
}

int predict_mrr(const double *t, const int *failed, const double *count, size_t n,
                struct predict_mrr *out, struct wr_err *e)
{
	struct obs *o;
	double N = 0.0, pos = 0.0, prev = 0.0;
	/* Running means and co-moments (Welford): no cancellation when the
	 * times are large and close together. */
	double mx = 0.0, my = 0.0, cxx = 0.0, cyy = 0.0, cxy = 0.0, np = 0.0;
	size_t i;

	out->ok = 0;
	out->beta_yx = out->eta_yx = out->beta_xy = out->eta_xy = out->r2 = NAN;
	out->points = 0;
	if (n == 0)
		return wr_fail(e, WR_EINPUT, "no observations to fit");
	o = malloc(n * sizeof *o);
	if (!o)
		return wr_fail(e, WR_ENOMEM, "out of memory in median-rank regression");
	for (i = 0; i < n; i++) {
		double c = count ? count[i] : 1.0;
		if (!(t[i] > 0.0) || !isfinite(t[i])) {
			free(o);
			return wr_fail(e, WR_EINPUT, "observation %zu: time %g must be a positive number",
			               i + 1, t[i]);
		}
		if (!(c >= 1.0) || c != floor(c) || c > 1e8) {
			free(o);
			return wr_fail(e, WR_EINPUT,
			               "observation %zu: count %g must be a whole number from 1 to 1e8 "
			               "for rank regression", i + 1, c);
		}
		o[i].t = t[i];
		o[i].c = c;
		o[i].failed = failed[i] != 0;
		N += c;
	}
	qsort(o, n, sizeof *o, obs_cmp);

	for (i = 0; i < n; i++) {
		double k;
		if (!o[i].failed) {
			pos += o[i].c;
			continue;
		}
		/* Identical failures are plotted one by one: each is a point. */
		for (k = 0.0; k < o[i].c; k += 1.0) {
			double rr, rank, F, x, y, dx, dy;
			pos += 1.0;
			rr = N - pos + 1.0;
			rank = (rr * prev + N + 1.0) / (rr + 1.0);
			prev = rank;
			F = (rank - 0.3) / (N + 0.4);
			x = log(o[i].t);
			y = log(-log1p(-F));
			np += 1.0;
			dx = x - mx;
			dy = y - my;
			mx += dx / np;
			my += dy / np;
			cxx += dx * (x - mx);
			cyy += dy * (y - my);
			cxy += dx * (y - my);
		}
	}
	free(o);
	out->points = (size_t)np;
	if (np >= 2.0) {
		if (cxx > 1e-24 * np * (mx * mx + 1.0) && cyy > 0.0 && cxy > 0.0) {
			double b = cxy / cxx, d = cxy / cyy;
			out->beta_yx = b;
			out->eta_yx = exp(mx - my / b);
			out->beta_xy = 1.0 / d;
			out->eta_xy = exp(mx - d * my);
			out->r2 = cxy * cxy / (cxx * cyy);
			out->ok = 1;
		}
	}
	return WR_OK;
}
