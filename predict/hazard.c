/*
 * hazard.c - the hazard function of each class, estimated without assuming
 * a Weibull (or any other) shape: piecewise constant, pooled across classes
 * and shrunk back toward the pool by empirical Bayes.
 *
 * The model.  Time since renewal is cut into bins (e_k, e_k+1], k = 0 .. K-1
 * (e_0 = 0, e_K = infinity).  Class c has hazard h_ck in bin k, so a life
 * observed over (entry, t] has cumulative hazard Lambda_c(t) - Lambda_c(entry)
 * with Lambda_c piecewise linear.  The d_ck failures of class c in bin k
 * over its exposure X_ck (time at risk in the bin, delayed entry respected)
 * are Poisson(h_ck X_ck) given h_ck.
 *
 *  1. The pooled shape.  Proportional hazards with the class as a factor,
 *     h_ck = kappa_c h0_k, fitted by maximum likelihood (iterative
 *     proportional fitting of the Poisson log-linear model: alternately
 *     h0_k = d_k / sum_c kappa_c X_ck and kappa_c = r_c / sum_k h0_k X_ck).
 *  2. The bins.  The finest grid puts a cut at every distinct failure time
 *     (the support of the Nelson-Aalen estimator), at most PI_HZ_KMAX bins
 *     (quantiles of the failure times beyond that).  Coarser grids merge
 *     neighbouring bins so that each holds an equal share of the failures,
 *     with K = 1, 2, 4, ... bins; K = 1 is the exponential model.  The grid
 *     with the smallest AIC of the pooled model (K + classes - 1 parameters)
 *     wins: a short history gets a smooth, coarse hazard, a long one the
 *     detail it supports.
 *  3. The class shapes.  Class c's hazard in bin k is gamma distributed
 *     around the pooled value, h_ck ~ Gamma(nu, rate nu / (kappa_c h0_k)):
 *     mean kappa_c h0_k, coefficient of variation 1/sqrt(nu).  nu maximises
 *     the marginal (negative binomial) likelihood of the d_ck, and each class
 *     gets the posterior mean
 *         h_ck = (d_ck + nu) / (X_ck + nu / (kappa_c h0_k)),
 *     its own estimate where it has plenty of data, the pooled shape where
 *     it has little.  A class without failures takes the pooled shape (its
 *     scale cancels out of every probability the ranking computes).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "predict_int.h"

/* The bits of a positive double, read as an integer, are in the order of
 * the numbers. */
static uint64_t dkey(double x)
{
	uint64_t k;

	memcpy(&k, &x, sizeof k);
	return k;
}

static double dval(uint64_t k)
{
	double x;

	memcpy(&x, &k, sizeof x);
	return x;
}

/*
 * Finding a time's bin.  Bin k is (e[k], e[k+1]] for an end of exposure
 * (or a failure) and [e[k], e[k+1]) for a start; e has nb + 1 entries,
 * e[0] = 0 and e[nb] = infinity.  A lookup table indexed by the top bits of
 * the time (exponent and PI_HZ_LUT_BITS of mantissa: buckets of constant
 * relative width) gives the lowest bin a bucket can hold, and a short scan
 * finishes: a binary search per life, with its unpredictable branches, was
 * most of the cost on large plants.
 */
#define PI_HZ_LUT_BITS 8

static size_t search_end(const double *e, size_t nb, double t)
{
	size_t lo = 1, hi = nb;

	/* The first j in [1, nb) with e[j] >= t, or nb; the bin is j - 1. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

static int grid_init(struct pi_hz_grid *g, const double *e, size_t nb)
{
	uint64_t k1, k2, j;

	memset(g, 0, sizeof *g);
	g->e = e;
	g->nb = nb;
	if (nb < 3)
		return WR_OK;   /* at most one inner edge: no table needed */
	g->shift = 52 - PI_HZ_LUT_BITS;
	k1 = dkey(e[1]) >> g->shift;
	k2 = dkey(e[nb - 1]) >> g->shift;
	/* Absurd ranges (hundreds of octaves) get coarser buckets. */
	while (k2 - k1 > ((uint64_t)1 << 16)) {
		g->shift++;
		k1 = dkey(e[1]) >> g->shift;
		k2 = dkey(e[nb - 1]) >> g->shift;
	}
	g->k0 = k1;
	g->nlut = (size_t)(k2 - k1) + 1;
	g->lut = malloc(g->nlut * sizeof *g->lut);
	if (!g->lut)
		return WR_ENOMEM;
	for (j = 0; j < g->nlut; j++) {
		/* The smallest time in the bucket; bins only grow with t. */
		double v = dval((k1 + j) << g->shift);
		g->lut[j] = search_end(e, nb, v);
	}
	return WR_OK;
}

static void grid_free(struct pi_hz_grid *g)
{
	free(g->lut);
	g->lut = NULL;
}

/* The bin of an end of exposure t > 0: e[k] < t <= e[k+1]. */
static size_t bin_end(const struct pi_hz_grid *g, double t)
{
	const double *e = g->e;
	size_t k;

	if (g->nb < 2 || t <= e[1])
		return 0;
	if (t > e[g->nb - 1])
		return g->nb - 1;
	k = g->lut[(dkey(t) >> g->shift) - g->k0];
	while (e[k + 1] < t)
		k++;
	return k;
}

/* The bin of a start of exposure x >= 0: e[k] <= x < e[k+1]. */
static size_t bin_start(const struct pi_hz_grid *g, double x)
{
	const double *e = g->e;
	size_t k;

	if (g->nb < 2 || x < e[1])
		return 0;
	if (x >= e[g->nb - 1])
		return g->nb - 1;
	k = g->lut[(dkey(x) >> g->shift) - g->k0];
	while (e[k + 1] <= x)
		k++;
	return k;
}

double pi_hz_cum(const struct pi_hz *z, size_t c, double x)
{
	size_t k;

	if (!(x > 0.0))
		return 0.0;
	k = bin_start(&z->grid, x);
	return z->H[c * z->nb + k] + z->h[c * z->nb + k] * (x - z->edge[k]);
}

/*
 * Failures d and exposures X of every class on the grid e (nb bins), cells
 * c * nb + k.  cnt is scratch of nb + 1 doubles: lives covering whole bins
 * are counted in a difference array and multiplied by the widths at the end,
 * so each life costs two bin look-ups (one without delayed entry).
 */
static void accumulate(const struct pi_hz_in *in, const struct pi_hz_grid *g, double *d,
                       double *X, double *cnt)
{
	const double *e = g->e;
	size_t c, i, k, nb = g->nb;

	memset(d, 0, in->nc * nb * sizeof *d);
	memset(X, 0, in->nc * nb * sizeof *X);
	for (c = 0; c < in->nc; c++) {
		double *dc = d + c * nb, *Xc = X + c * nb, run = 0.0;
		memset(cnt, 0, (nb + 1) * sizeof *cnt);
		for (i = in->cs[c]; i < in->cs[c + 1]; i++) {
			double t = in->t[i], en = in->en ? in->en[i] : 0.0;
			size_t kt, ke;
			if (!(t > 0.0))
				continue;
			kt = bin_end(g, t);
			if (in->failed[i])
				dc[kt] += 1.0;
			if (!(en < t))
				continue;
			ke = en > 0.0 ? bin_start(g, en) : 0;
			if (ke >= kt) {
				Xc[kt] += t - en;
				continue;
			}
			Xc[ke] += e[ke + 1] - en;
			Xc[kt] += t - e[kt];
			cnt[ke + 1] += 1.0;
			cnt[kt] -= 1.0;
		}
		/* Whole bins are never the last (open) one. */
		for (k = 0; k + 1 < nb; k++) {
			run += cnt[k];
			if (run != 0.0)
				Xc[k] += run * (e[k + 1] - e[k]);
		}
	}
}

/* One pass of the baseline: h0_k = failures / kappa-weighted exposure. */
static void ph_baseline(const double *d, const double *X, size_t nb, size_t nc,
                        const double *kappa, double *h0)
{
	size_t c, k;

	for (k = 0; k < nb; k++) {
		double dk = 0.0, den = 0.0;
		for (c = 0; c < nc; c++) {
			dk += d[c * nb + k];
			den += kappa[c] * X[c * nb + k];
		}
		h0[k] = dk > 0.0 && den > 0.0 ? dk / den : 0.0;
	}
}

/* One pass of the class factors; returns the largest change of ln kappa. */
static double ph_kappa_step(const double *X, size_t nb, size_t nc, const double *r,
                            const double *h0, double *kappa)
{
	double change = 0.0;
	size_t c, k;

	for (c = 0; c < nc; c++) {
		double e = 0.0, nk;
		if (!(r[c] > 0.0))
			continue;
		for (k = 0; k < nb; k++)
			e += h0[k] * X[c * nb + k];
		nk = e > 0.0 ? r[c] / e : kappa[c];
		if (fabs(log(nk / kappa[c])) > change)
			change = fabs(log(nk / kappa[c]));
		kappa[c] = nk;
	}
	return change;
}

/* Scales kappa to an exposure-weighted mean of 1 over the classes with
 * failures, and h0 the other way. */
static void ph_normalise(const double *X, size_t nb, size_t nc, const double *r, double *h0,
                         double *kappa)
{
	double sx = 0.0, skx = 0.0, s;
	size_t c, k;

	for (c = 0; c < nc; c++) {
		double xc = 0.0;
		if (!(r[c] > 0.0))
			continue;
		for (k = 0; k < nb; k++)
			xc += X[c * nb + k];
		sx += xc;
		skx += kappa[c] * xc;
	}
	s = sx > 0.0 && skx > 0.0 ? skx / sx : 1.0;
	for (c = 0; c < nc; c++)
		kappa[c] /= s;
	for (k = 0; k < nb; k++)
		h0[k] *= s;
}

static double ph_loglik(const double *d, const double *X, size_t nb, size_t nc, const double *r,
                        const double *h0, const double *kappa)
{
	double L = 0.0;
	size_t c, k;

	for (c = 0; c < nc; c++) {
		if (!(r[c] > 0.0))
			continue;
		for (k = 0; k < nb; k++) {
			double m = kappa[c] * h0[k], dd = d[c * nb + k];
			if (dd > 0.0)
				L += dd * log(m);
			L -= m * X[c * nb + k];
		}
	}
	return L;
}

/*
 * The pooled proportional-hazards fit on a grid: h0 (nb) and kappa (nc),
 * by iterative proportional fitting.  Classes without failures have
 * kappa = 0 (their maximum-likelihood value) and do not take part.
 * kappa is normalised to an exposure-weighted mean of 1 over the classes
 * with failures, so that h0 is the hazard of a typical class.  Returns the
 * log-likelihood.
 */
static double ph_fit(const double *d, const double *X, size_t nb, size_t nc, const double *r,
                     double *h0, double *kappa)
{
	size_t c;
	int it;

	for (c = 0; c < nc; c++)
		kappa[c] = r[c] > 0.0 ? 1.0 : 0.0;
	for (it = 0; it < 500; it++) {
		ph_baseline(d, X, nb, nc, kappa, h0);
		if (ph_kappa_step(X, nb, nc, r, h0, kappa) < 1e-10)
			break;
	}
	ph_normalise(X, nb, nc, r, h0, kappa);
	return ph_loglik(d, X, nb, nc, r, h0, kappa);
}

/* The cells that inform nu: classes with failures, bins with exposure. */
struct nucells {
	const double *lmu;   /* ln of the prior mean kappa_c h0_k */
	const double *imu;   /* its reciprocal */
	const double *X;
	const double *d;
	size_t n;
	const double *ngt;   /* ngt[j]: cells with more than j failures */
	size_t dmax;
};

/* The marginal log-likelihood of nu, up to terms free of nu. */
static double nu_loglik(const struct nucells *q, double lnu)
{
	double nu = exp(lnu), L = 0.0;
	size_t i, j;

	for (i = 0; i < q->n; i++) {
		/* The prior rate nu / mu: ln and value. */
		double lb = lnu - q->lmu[i], lbx = log(nu * q->imu[i] + q->X[i]);
		L += nu * (lb - lbx) - q->d[i] * lbx;
	}
	/* ln Gamma(nu + d) - ln Gamma(nu) = sum_{j < d} ln(nu + j). */
	for (j = 0; j < q->dmax; j++)
		L += q->ngt[j] * log(nu + (double)j);
	return L;
}

/* nu by golden-section search on ln nu within [PI_HZ_NU_MIN, PI_HZ_NU_MAX]. */
static int fit_nu(const double *d, const double *X, size_t nb, size_t nc, const double *r,
                  const double *h0, const double *kappa, double *nu)
{
	struct nucells q;
	double *lmu, *imu, *xs, *ds, *ngt, lo = log(PI_HZ_NU_MIN), hi = log(PI_HZ_NU_MAX);
	double g = 0.5 * (sqrt(5.0) - 1.0), a, b, fa, fb, best, fbest;
	size_t c, k, n = 0, dmax = 0, j;
	int it;

	lmu = malloc((nc * nb > 0 ? nc * nb : 1) * 4 * sizeof *lmu);
	if (!lmu)
		return WR_ENOMEM;
	imu = lmu + nc * nb;
	xs = imu + nc * nb;
	ds = xs + nc * nb;
	for (c = 0; c < nc; c++) {
		if (!(r[c] > 0.0))
			continue;
		for (k = 0; k < nb; k++) {
			double m = kappa[c] * h0[k], x = X[c * nb + k];
			if (!(m > 0.0) || !(x > 0.0))
				continue;
			lmu[n] = log(m);
			imu[n] = 1.0 / m;
			xs[n] = x;
			ds[n] = d[c * nb + k];
			if ((size_t)ds[n] > dmax)
				dmax = (size_t)ds[n];
			n++;
		}
	}
	ngt = calloc(dmax ? dmax : 1, sizeof *ngt);
	if (!ngt) {
		free(lmu);
		return WR_ENOMEM;
	}
	for (c = 0; c < n; c++)
		for (j = 0; j < (size_t)ds[c]; j++)
			ngt[j] += 1.0;
	q.lmu = lmu;
	q.imu = imu;
	q.X = xs;
	q.d = ds;
	q.n = n;
	q.ngt = ngt;
	q.dmax = dmax;
	if (n == 0) {
		*nu = PI_HZ_NU_MAX;
		free(ngt);
		free(lmu);
		return WR_OK;
	}
	a = hi - g * (hi - lo);
	b = lo + g * (hi - lo);
	fa = nu_loglik(&q, a);
	fb = nu_loglik(&q, b);
	/* 26 steps narrow ln nu to 1e-4. */
	for (it = 0; it < 26; it++) {
		if (fa > fb) {
			hi = b;
			b = a;
			fb = fa;
			a = hi - g * (hi - lo);
			fa = nu_loglik(&q, a);
		} else {
			lo = a;
			a = b;
			fa = fb;
			b = lo + g * (hi - lo);
			fb = nu_loglik(&q, b);
		}
	}
	best = fa > fb ? a : b;
	fbest = fa > fb ? fa : fb;
	/* The likelihood is often flat toward complete pooling: check the
	 * ends of the range too. */
	fa = nu_loglik(&q, log(PI_HZ_NU_MAX));
	if (fa > fbest) {
		best = log(PI_HZ_NU_MAX);
		fbest = fa;
	}
	fa = nu_loglik(&q, log(PI_HZ_NU_MIN));
	if (fa > fbest)
		best = log(PI_HZ_NU_MIN);
	*nu = exp(best);
	free(ngt);
	free(lmu);
	return WR_OK;
}

/* Step 3 on the chosen grid: nu, the class hazards and their cumulative
 * values at the edges (h0 and kappa are the pooled fit's). */
int pi_hz_finish(struct pi_hz *z)
{
	size_t c, k, nb = z->nb, nc = z->nc;
	const double *d = z->d, *X = z->X, *r = z->r;
	int rc;

	if (!z->ok)
		return WR_OK;
	rc = fit_nu(d, X, nb, nc, r, z->h0, z->kappa, &z->nu);
	if (rc)
		return rc;
	for (c = 0; c < nc; c++) {
		double *hc = z->h + c * nb, *Hc = z->H + c * nb;
		if (!(r[c] > 0.0)) {
			/* No failures: the pooled shape, scaled to one failure
			 * over the class's exposure when it has any. */
			double e = 0.0;
			for (k = 0; k < nb; k++)
				e += z->h0[k] * X[c * nb + k];
			z->kappa[c] = e > 0.0 ? 1.0 / e : 1.0;
			for (k = 0; k < nb; k++)
				hc[k] = z->kappa[c] * z->h0[k];
		} else {
			for (k = 0; k < nb; k++) {
				double m = z->kappa[c] * z->h0[k];
				hc[k] = m > 0.0 ? (d[c * nb + k] + z->nu) / (X[c * nb + k] + z->nu / m)
				                : 0.0;
			}
		}
		Hc[0] = 0.0;
		for (k = 1; k < nb; k++)
			Hc[k] = Hc[k - 1] + hc[k - 1] * (z->edge[k] - z->edge[k - 1]);
	}
	return WR_OK;
}

static int dbl_cmp(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

/* The range of the failure times and, while there are at most kmax of
 * them, the set of distinct ones (hashed on their bits). Returns 1 when
 * there are more than kmax distinct times, else 0 with *nd of them. */
static int distinct_times(const double *ft, size_t nf, size_t kmax, uint64_t *set, size_t cap,
                          size_t *nd, double *lo, double *hi)
{
	size_t i;
	int many = 0;

	for (i = 0; i < nf; i++) {
		uint64_t k = dkey(ft[i]);
		size_t h;
		if (ft[i] < *lo)
			*lo = ft[i];
		if (ft[i] > *hi)
			*hi = ft[i];
		if (many)
			continue;
		h = (size_t)((k * 0x9e3779b97f4a7c15ull) >> 40) & (cap - 1);
		while (set[h] && set[h] != k)
			h = (h + 1) & (cap - 1);
		if (!set[h]) {
			set[h] = k;
			if (++*nd > kmax)
				many = 1;
		}
	}
	return many;
}

/* The edges at the distinct failure times e[1..nd] but the last; returns
 * their count (with e[0]). */
static size_t distinct_edges(const uint64_t *set, size_t cap, size_t nd, double *e)
{
	size_t i, n = 1;

	for (i = 0; i < cap; i++)
		if (set[i])
			e[n++] = dval(set[i]);
	qsort(e + 1, nd, sizeof *e, dbl_cmp);
	/* e[1..nd] are the distinct times; the last one is not an edge. */
	return nd;
}

/* The edges at the failure-count quantiles of a histogram of the failure
 * times; *n counts them (with e[0]). */
static int quantile_edges(const double *ft, size_t nf, size_t kmax, double lo, double hi,
                          double *e, size_t *n)
{
	unsigned sh = 44;
	size_t *cnt, nbk, b, i, next = 1, last = 0;
	uint64_t klo, khi;
	double cum = 0.0;

	klo = dkey(lo) >> sh;
	khi = dkey(hi) >> sh;
	while (khi - klo > ((uint64_t)1 << 20)) {
		sh++;
		klo = dkey(lo) >> sh;
		khi = dkey(hi) >> sh;
	}
	nbk = (size_t)(khi - klo) + 1;
	cnt = calloc(nbk, sizeof *cnt);
	if (!cnt)
		return WR_ENOMEM;
	for (i = 0; i < nf; i++)
		cnt[(dkey(ft[i]) >> sh) - klo]++;
	for (b = 0; b < nbk; b++)
		if (cnt[b])
			last = b;
	for (b = 0; b < last && *n < kmax; b++) {
		if (!cnt[b])
			continue;
		cum += (double)cnt[b];
		if (cum * (double)kmax >= (double)next * (double)nf) {
			e[(*n)++] = dval(((klo + b + 1) << sh) - 1);
			while (next < kmax && cum * (double)kmax >= (double)next * (double)nf)
				next++;
		}
	}
	free(cnt);
	return WR_OK;
}

/*
 * The finest grid (edges in *fe, nb + 1 of them).  With at most kmax
 * distinct failure times, a cut at each but the last, so that every bin
 * ends at a failure time (the Nelson-Aalen support).  Otherwise about kmax
 * bins holding equal shares of the failures, from a histogram of the
 * failure times on buckets of relative width 2^-8 (their bits again): an
 * edge is the top of a bucket where the running count crosses a quantile.
 * Either way each bin holds at least one failure and the last bin, open,
 * holds the longest.  No sort of the failure times: on a large plant that
 * was the dearest step of the fit.
 */
static int fine_grid(const double *ft, size_t nf, size_t kmax, double **fe, size_t *nb)
{
	uint64_t *set;
	size_t cap = 16, nd = 0, n = 1;
	double lo = INFINITY, hi = 0.0, *e;

	while (cap < 4 * (kmax + 1))
		cap <<= 1;
	set = calloc(cap, sizeof *set);   /* 0: empty (no positive double has key 0) */
	e = malloc((kmax + 1) * sizeof *e);
	if (!set || !e) {
		free(set);
		free(e);
		return WR_ENOMEM;
	}
	e[0] = 0.0;
	if (!distinct_times(ft, nf, kmax, set, cap, &nd, &lo, &hi)) {
		n = distinct_edges(set, cap, nd, e);
	} else if (quantile_edges(ft, nf, kmax, lo, hi, e, &n) != WR_OK) {
		free(set);
		free(e);
		return WR_ENOMEM;
	}
	e[n] = INFINITY;
	free(set);
	*fe = e;
	*nb = n;
	return WR_OK;
}

void pi_hz_free(struct pi_hz *z)
{
	if (!z)
		return;
	free(z->edge);
	free(z->h);
	free(z->H);
	free(z->h0);
	free(z->kappa);
	free(z->d);
	free(z->X);
	free(z->r);
	grid_free(&z->grid);
	memset(z, 0, sizeof *z);
}

static int alloc_grid(struct pi_hz *z, size_t nb, size_t nc)
{
	z->nb = nb;
	z->nc = nc;
	z->edge = malloc((nb + 1) * sizeof *z->edge);
	z->h = malloc(nc * nb * sizeof *z->h);
	z->H = malloc(nc * nb * sizeof *z->H);
	z->h0 = malloc(nb * sizeof *z->h0);
	z->kappa = malloc((nc ? nc : 1) * sizeof *z->kappa);
	z->d = malloc(nc * nb * sizeof *z->d);
	z->X = malloc(nc * nb * sizeof *z->X);
	return z->edge && z->h && z->H && z->h0 && z->kappa && z->d && z->X ? WR_OK : WR_ENOMEM;
}

/* The working arrays of one fit on nb fine bins and nc classes. */
struct hz_work {
	double *d, *X, *ad, *aX, *cnt, *fd, *h0, *kap;
	size_t *grp, *best_grp;
};

static int hz_work_alloc(struct hz_work *w, size_t nb, size_t nc)
{
	w->d = malloc(nc * nb * sizeof *w->d);
	w->X = malloc(nc * nb * sizeof *w->X);
	w->ad = malloc(nc * nb * sizeof *w->ad);
	w->aX = malloc(nc * nb * sizeof *w->aX);
	w->cnt = malloc((nb + 1) * sizeof *w->cnt);
	w->fd = malloc(nb * sizeof *w->fd);
	w->h0 = malloc(nb * sizeof *w->h0);
	w->kap = malloc(nc * sizeof *w->kap);
	w->grp = malloc((nb + 1) * sizeof *w->grp);
	w->best_grp = malloc((nb + 1) * sizeof *w->best_grp);
	return w->d && w->X && w->ad && w->aX && w->cnt && w->fd && w->h0 && w->kap && w->grp &&
	               w->best_grp
	           ? WR_OK
	           : WR_ENOMEM;
}

static void hz_work_free(struct hz_work *w)
{
	free(w->d);
	free(w->X);
	free(w->ad);
	free(w->aX);
	free(w->cnt);
	free(w->fd);
	free(w->h0);
	free(w->kap);
	free(w->grp);
	free(w->best_grp);
}

/* The cells are classes x bins: keep them within a memory budget. */
static size_t hz_kmax(size_t kmax, size_t nc)
{
	if (kmax < 1)
		kmax = 1;
	if (kmax > PI_HZ_CELLS_MAX / nc)
		kmax = PI_HZ_CELLS_MAX / nc > 0 ? PI_HZ_CELLS_MAX / nc : 1;
	return kmax;
}

/* The failures of each fine bin (fd) and of each class (r). */
static void failure_totals(const double *d, size_t nb, size_t nc, double *fd, double *r)
{
	size_t c, k;

	for (k = 0; k < nb; k++)
		fd[k] = 0.0;
	for (c = 0; c < nc; c++)
		for (k = 0; k < nb; k++) {
			fd[k] += d[c * nb + k];
			r[c] += d[c * nb + k];
		}
}

/* Groups the nb fine bins into at most K of equal failure shares:
 * grp[j] is the first fine bin of coarse bin j and grp[ncoarse] = nb.
 * A coarse bin closes after fine bin k when the failures so far reach the
 * next K-quantile; tied quantiles give fewer bins. Returns ncoarse. */
static size_t quantile_groups(const double *fd, size_t nb, size_t nf, size_t K, size_t *grp)
{
	size_t k, ncoarse = 1, next = 1;
	double cum = 0.0;

	grp[0] = 0;
	for (k = 0; k + 1 < nb && ncoarse < K; k++) {
		cum += fd[k];
		if (cum * (double)K >= (double)next * (double)nf) {
			grp[ncoarse++] = k + 1;
			while (next < K && cum * (double)K >= (double)next * (double)nf)
				next++;
		}
	}
	grp[ncoarse] = nb;
	return ncoarse;
}

/* Sums the fine cells (d, X on nb bins) into the ncoarse bins of grp. */
static void coarsen(const double *d, const double *X, size_t nb, size_t nc, const size_t *grp,
                    size_t ncoarse, double *ad, double *aX)
{
	size_t c, j, k;

	for (c = 0; c < nc; c++)
		for (j = 0; j < ncoarse; j++) {
			double sd = 0.0, sX = 0.0;
			for (k = grp[j]; k < grp[j + 1]; k++) {
				sd += d[c * nb + k];
				sX += X[c * nb + k];
			}
			ad[c * ncoarse + j] = sd;
			aX[c * ncoarse + j] = sX;
		}
}

/* Candidate grids: K = 1, 2, 4, ... bins of equal failure shares, and the
 * finest grid itself; the one of least AIC goes to w->best_grp. Returns
 * its bin count. */
static size_t choose_grid(struct hz_work *w, size_t nb, size_t nc, size_t nf, const double *r,
                          double *best_aic)
{
	size_t c, K, best_K = 0;

	for (K = 1;; K *= 2) {
		size_t ncoarse;
		double L, aic, npar = 0.0;
		if (K > nb)
			K = nb;
		/* Bins resting on a few failures each are noise, whatever
		 * the AIC says. */
		if (K > 1 && (double)nf < PI_HZ_MIN_BIN_FAILURES * (double)K)
			break;
		ncoarse = quantile_groups(w->fd, nb, nf, K, w->grp);
		coarsen(w->d, w->X, nb, nc, w->grp, ncoarse, w->ad, w->aX);
		L = ph_fit(w->ad, w->aX, ncoarse, nc, r, w->h0, w->kap);
		for (c = 0; c < nc; c++)
			npar += r[c] > 0.0;
		npar += (double)ncoarse - 1.0;
		aic = -2.0 * L + 2.0 * npar;
		if (aic < *best_aic - 1e-9) {
			*best_aic = aic;
			best_K = ncoarse;
			memcpy(w->best_grp, w->grp, (ncoarse + 1) * sizeof *w->grp);
		}
		if (K == nb)
			break;
	}
	return best_K;
}

/* Fills z with the chosen grid of best_K bins and fits it. */
static int set_chosen_grid(struct pi_hz *z, const struct hz_work *w, const double *fe,
                           size_t nb, size_t nc, size_t best_K, const double *r)
{
	size_t k;
	int rc = alloc_grid(z, best_K, nc);

	if (rc)
		return rc;
	for (k = 0; k < best_K; k++)
		z->edge[k] = fe[w->best_grp[k]];
	z->edge[best_K] = INFINITY;
	rc = grid_init(&z->grid, z->edge, best_K);
	if (rc)
		return rc;
	coarsen(w->d, w->X, nb, nc, w->best_grp, best_K, z->d, z->X);
	z->fine = nb;
	z->loglik = ph_fit(z->d, z->X, best_K, nc, r, z->h0, z->kappa);
	return WR_OK;
}

int pi_hz_fit(const struct pi_hz_in *in, size_t kmax, struct pi_hz *z)
{
	struct pi_hz_grid fg = {0};
	struct hz_work w = {0};
	double *fe = NULL, *r = NULL;
	size_t nf, nb = 0, best_K, nc = in->nc;
	double best_aic = INFINITY;
	int rc = WR_ENOMEM;

	memset(z, 0, sizeof *z);
	if (nc == 0)
		return WR_OK;
	nf = in->nf;
	if (nf == 0)
		return WR_OK;
	kmax = hz_kmax(kmax, nc);

	r = calloc(nc, sizeof *r);
	if (!r || fine_grid(in->ft, nf, kmax, &fe, &nb) || grid_init(&fg, fe, nb))
		goto done;
	if (hz_work_alloc(&w, nb, nc) != WR_OK)
		goto done;
	accumulate(in, &fg, w.d, w.X, w.cnt);
	failure_totals(w.d, nb, nc, w.fd, r);
	best_K = choose_grid(&w, nb, nc, nf, r, &best_aic);

	/* The chosen grid. */
	rc = set_chosen_grid(z, &w, fe, nb, nc, best_K, r);
	if (rc)
		goto done;
	z->aic = best_aic;
	z->failures = (double)nf;
	z->r = r;
	r = NULL;
	z->ok = 1;
done:
	grid_free(&fg);
	free(fe);
	hz_work_free(&w);
	free(r);
	if (rc)
		pi_hz_free(z);
	return rc;
}
