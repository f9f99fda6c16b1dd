/*
 * metrics.c - how good is a ranking?  AUC, precision at k and the Brier
 * score, each defined so that ties in the scores can neither help nor hurt:
 * a baseline such as "failure count" has many ties, and breaking them by
 * tag or input order would score the luck of the alphabet.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "predict_int.h"

struct sl {
	double s;
	int y;
};

static int sl_cmp(const void *pa, const void *pb)
{
	const struct sl *a = pa, *b = pb;

	return a->s < b->s ? -1 : a->s > b->s;
}

/*
 * Mann-Whitney: the probability that a random positive scores above a
 * random negative, ties counting one half, computed from mid-ranks.
 * v is sorted ascending.
 */
static double auc_sorted(const struct sl *v, size_t n)
{
	double rsum = 0.0, np = 0.0, nn;
	size_t i = 0, j, k;

	while (i < n) {
		double mid;
		for (j = i; j < n && v[j].s == v[i].s; j++)
			;
		mid = 0.5 * ((double)i + 1.0 + (double)j);  /* ranks i+1 .. j */
		for (k = i; k < j; k++) {
			if (v[k].y) {
				rsum += mid;
				np += 1.0;
			}
		}
		i = j;
	}
	nn = (double)n - np;
	if (np == 0.0 || nn == 0.0)
		return NAN;
	return (rsum - np * (np + 1.0) / 2.0) / (np * nn);
}

/*
 * The expected precision among the k highest scores when ties at the
 * boundary are broken at random: the tied group fills the remaining slots
 * with its share of positives.  v is sorted ascending.
 */
static double prec_sorted(const struct sl *v, size_t n, size_t k)
{
	double hits = 0.0;
	size_t taken = 0, i = n;

	if (k == 0 || n == 0)
		return NAN;
	if (k > n)
		k = n;
	while (taken < k) {
		size_t j = i, g, pos = 0, m;
		while (j > 0 && v[j - 1].s == v[i - 1].s)
			j--;
		g = i - j;
		for (m = j; m < i; m++)
			pos += v[m].y != 0;
		if (taken + g <= k) {
			hits += (double)pos;
			taken += g;
		} else {
			hits += (double)(k - taken) * (double)pos / (double)g;
			taken = k;
		}
		i = j;
	}
	return hits / (double)k;
}

int predict_metrics(const double *score, const int *label, size_t n, size_t k,
                    int prob, struct predict_metrics *out, struct wr_err *e)
{
	struct sl *v;
	size_t i, npos = 0;
	double bs = 0.0;

	out->auc = out->prec_k = out->brier = NAN;
	if (n == 0)
		return WR_OK;
	v = malloc(n * sizeof *v);
	if (!v)
		return wr_fail(e, WR_ENOMEM, "out of memory scoring a ranking");
	for (i = 0; i < n; i++) {
		if (isnan(score[i])) {
			free(v);
			return wr_fail(e, WR_EINPUT, "score %zu is not a number", i + 1);
		}
		v[i].s = score[i];
		v[i].y = label[i] != 0;
		npos += v[i].y;
		if (prob) {
			double d = score[i] - (double)v[i].y;
			bs += d * d;
		}
	}
	qsort(v, n, sizeof *v, sl_cmp);
	out->auc = auc_sorted(v, n);
	out->prec_k = prec_sorted(v, n, k ? k : npos);
	if (prob)
		out->brier = bs / (double)n;
	free(v);
	return WR_OK;
}

/* Sorted by p, then by input position, so that equal inputs give equal
 * tables whatever qsort does with ties. */
struct pl {
	double p, t;
	size_t i;
	int y;
};

static int pl_cmp(const void *pa, const void *pb)
{
	const struct pl *a = pa, *b = pb;

	if (a->p != b->p)
		return a->p < b->p ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static void calib_bins(const struct pl *v, size_t n, struct predict_calib *out)
{
	size_t k, i;

	for (k = 0; k < PREDICT_CALIB_BINS; k++) {
		struct predict_calib_bin *b = &out->bin[k];
		size_t lo = k * n / PREDICT_CALIB_BINS, hi = (k + 1) * n / PREDICT_CALIB_BINS;
		b->n = hi - lo;
		b->p_lo = b->p_hi = NAN;
		b->predicted = b->observed = b->truth = 0.0;
		if (hi > lo) {
			b->p_lo = v[lo].p;
			b->p_hi = v[hi - 1].p;
		}
		for (i = lo; i < hi; i++) {
			b->predicted += v[i].p;
			b->observed += v[i].y;
			b->truth += v[i].t;
		}
		out->predicted += b->predicted;
		out->observed += b->observed;
		out->truth += b->truth;
	}
}

/* The empty table: no predictions, every number that needs one NAN. */
static void calib_empty(struct predict_calib *out)
{
	size_t i;

	memset(out, 0, sizeof *out);
	out->ratio = out->truth = NAN;
	for (i = 0; i < PREDICT_CALIB_BINS; i++)
		out->bin[i].p_lo = out->bin[i].p_hi = out->bin[i].truth = NAN;
}

int predict_calibration(const double *p, const double *truth, const int *label, size_t n,
                        struct predict_calib *out, struct wr_err *e)
{
	struct pl *v;
	size_t i;

	calib_empty(out);
	for (i = 0; i < n; i++)
		if (!(p[i] >= 0.0 && p[i] <= 1.0) || (truth && !(truth[i] >= 0.0 && truth[i] <= 1.0)))
			return wr_fail(e, WR_EINPUT, "probability %zu is %g, not in [0, 1]", i + 1,
			               !(p[i] >= 0.0 && p[i] <= 1.0) ? p[i] : truth[i]);
	if (n == 0)
		return WR_OK;
	v = malloc(n * sizeof *v);
	if (!v)
		return wr_fail(e, WR_ENOMEM, "out of memory in the calibration table");
	for (i = 0; i < n; i++) {
		v[i].p = p[i];
		v[i].t = truth ? truth[i] : 0.0;
		v[i].i = i;
		v[i].y = label[i] != 0;
	}
	qsort(v, n, sizeof *v, pl_cmp);
	out->n = n;
	out->truth = 0.0;
	calib_bins(v, n, out);
	free(v);
	if (!truth) {
		out->truth = NAN;
		for (i = 0; i < PREDICT_CALIB_BINS; i++)
			out->bin[i].truth = NAN;
	}
	if (out->observed > 0.0)
		out->ratio = out->predicted / out->observed;
	return WR_OK;
}
