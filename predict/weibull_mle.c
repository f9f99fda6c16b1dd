/*
 * weibull_mle.c - the two-parameter Weibull maximum-likelihood fit with
 * right censoring.
 *
 * With failures F (weighted count r) and all observations i (weights w_i),
 * eta has a closed form for a given beta,
 *
 *     eta(beta)^beta = sum_i w_i t_i^beta / r,
 *
 * and beta solves the profile equation
 *
 *     g(beta) = sum w t^beta ln t / sum w t^beta - 1/beta - mean_F ln t = 0.
 *
 * g is strictly increasing (its derivative is a weighted variance of ln t
 * plus 1/beta^2), tends to -inf as beta -> 0 and to ln t_max - mean_F ln t as
 * beta -> inf.  So a finite root exists exactly when the mean log failure
 * time lies below the log of the longest time, i.e. unless every failure is
 * at the longest time; it is unique, and a bracketed Newton iteration finds
 * it.  Everything is evaluated with x = t / t_max, so x^beta lies in (0, 1]
 * and neither large shapes nor large times can overflow.
 */
#include <math.h>
#include <stdlib.h>
#include "predict_int.h"

/*
 * The profile equation, generalised to strata that share beta but each have
 * their own eta (pi_shape_strata() pools classes this way).  Dividing by the
 * total failure count R,
 *
 *     g(beta) = (sum_c r_c A_c(beta) - sum_F w ln t) / R - 1/beta,
 *
 * where A_c is the t^beta-weighted mean of ln t in stratum c.  Strata without
 * failures carry no information on beta (their eta runs off to infinity) and
 * are left out by the caller.  u holds ln(t / t_max of its stratum).
 */
struct prof {
	const double *u;
	const double *w;
	const size_t *sb;    /* stratum c is [sb[c], sb[c+1]) */
	const double *rc;    /* weighted failures per stratum */
	size_t ns;
	double R;
	double mean_uf;      /* sum over failures of w u, divided by R */
};

/* g(beta), g'(beta) and g''(beta) (dg, d2g may be NULL); also stores
 * sum w x^beta of stratum 0 in *s0out.  g' is the mean over strata of the
 * variance of u under the weights w x^beta, plus 1 / beta^2; g'' that of
 * its third central moment, minus 2 / beta^3. */
static double prof_g(const struct prof *p, double beta, double *dg, double *d2g, double *s0out)
{
	double ga = 0.0, gv = 0.0, gk = 0.0;
	size_t c, i;

	for (c = 0; c < p->ns; c++) {
		double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, a, var;
		for (i = p->sb[c]; i < p->sb[c + 1]; i++) {
			double w = p->w ? p->w[i] : 1.0, u = p->u[i];
			double e = w * exp(beta * u);
			s0 += e;
			s1 += e * u;
			s2 += e * u * u;
			s3 += e * u * u * u;
		}
		/* s0 >= the weight of the stratum's longest observation,
		 * whose u is 0, so it never underflows to zero. */
		a = s1 / s0;
		var = s2 / s0 - a * a;
		if (var < 0.0)
			var = 0.0;
		ga += p->rc[c] * a;
		gv += p->rc[c] * var;
		gk += p->rc[c] * (s3 / s0 - 3.0 * a * var - a * a * a);
		if (c == 0 && s0out)
			*s0out = s0;
	}
	if (dg)
		*dg = gv / p->R + 1.0 / (beta * beta);
	if (d2g)
		*d2g = gk / p->R - 2.0 / (beta * beta * beta);
	return ga / p->R - p->mean_uf - 1.0 / beta;
}

/* What the root's last evaluation left: g' and stratum 0's sum w x^beta
 * there, when the root returned is that point (ok), so that they need no
 * pass of their own. */
struct prof_last {
	int ok;
	double dg, s0;
};

/*
 * Solves g(beta) = 0 by Halley's method from beta = 1 (Newton's step when
 * Halley's is not usable), keeping a bracket [lo, hi] from the signs seen
 * so far.  A step that leaves the bracket is replaced by bisection (in log
 * scale, as beta spans orders of magnitude), or by doubling or halving
 * while one side of the bracket is still open.  Halley's steps converge
 * cubically: from beta = 1, three or four passes over the data where
 * Newton's took six.  The root is the last point evaluated once the next
 * step would move it by at most 1e-14 of itself (*last then holds what it
 * left).  Returns the number of iterations, or -1 on failure.
 */
static int solve_beta(const struct prof *p, double *beta_out, struct prof_last *last)
{
	double lo = 0.0, hi = INFINITY, b = 1.0, g, dg, d2g, s0 = NAN;
	int it;

	last->ok = 0;
	for (it = 1; it <= 300; it++) {
		double nb = NAN, hd;
		g = prof_g(p, b, &dg, &d2g, &s0);
		if (g == 0.0) {
			last->ok = 1;
			break;
		}
		if (g < 0.0)
			lo = b;
		else
			hi = b;
		hd = 2.0 * dg * dg - g * d2g;
		if (hd > 0.0)
			nb = b - 2.0 * g * dg / hd;
		if (!(nb > lo && nb < hi) || !isfinite(nb))
			nb = b - g / dg;
		if (!(nb > lo && nb < hi) || !isfinite(nb)) {
			if (isinf(hi))
				nb = 2.0 * b;
			else if (lo == 0.0)
				nb = 0.5 * b;
			else
				nb = sqrt(lo * hi);
		}
		if (fabs(nb - b) <= 1e-14 * b) {
			last->ok = 1;
			break;
		}
		if (isfinite(hi) && hi - lo <= 1e-15 * hi) {
			b = nb;
			break;
		}
		if (b > 1e6 || b < 1e-6)
			return -1;
		b = nb;
	}
	if (it > 300 || !isfinite(b))
		return -1;
	last->dg = dg;
	last->s0 = s0;
	*beta_out = b;
	return it;
}

/*
 * Observed information in (mu, tau) = (ln eta, ln sigma), sigma = 1/beta,
 * with z = (ln t - mu) / sigma.  Per observation the log-likelihood is
 * d (-tau - ln t + z) - e^z, which gives
 *     -d2/dmu2     = sum w e^z / sigma^2
 *     -d2/dmu dtau = -(r - sum w e^z (1 + z)) / sigma
 *     -d2/dtau2    = sum w (z^2 e^z + z e^z - d z)
 * This is the parameterisation R's survreg reports standard errors in.
 */
static void covariance(const double *u, const int *failed, const double *w, size_t n,
                       double tmax, struct pi_mle *m)
{
	double sigma = 1.0 / m->beta, lmu = log(m->eta / tmax);
	double imm = 0.0, ims = 0.0, iss = 0.0, det;
	size_t i;

	for (i = 0; i < n; i++) {
		double wi = w ? w[i] : 1.0;
		double z = m->beta * (u[i] - lmu);
		double ez = exp(z);
		int d = failed[i] != 0;
		imm += wi * ez;
		ims += wi * ez * (1.0 + z) - (d ? wi : 0.0);
		iss += wi * (z * z * ez + z * ez - (d ? z : 0.0));
	}
	imm /= sigma * sigma;
	ims /= sigma;
	det = imm * iss - ims * ims;
	if (!(det > 0.0) || !isfinite(det)) {
		m->v_mu = m->v_mu_s = m->v_s = NAN;
		return;
	}
	m->v_mu = iss / det;
	m->v_mu_s = -ims / det;
	m->v_s = imm / det;
}

/* Why the data have no maximum-likelihood fit, or PREDICT_OK when they
 * may have one (r failures, the longest time tmax). */
static enum predict_status mle_feasible(const double *t, const int *failed, size_t n,
                                        double tmax, double r)
{
	size_t i;
	int all_at_max = 1;

	if (!(r > 0.0))
		return PREDICT_NO_FAILURES;
	for (i = 0; i < n; i++)
		if (failed[i] && t[i] < tmax)
			all_at_max = 0;
	if (all_at_max) {
		/* The profile equation has no root: the likelihood rises for
		 * ever as beta grows.  Several failures tied at the end are the
		 * degenerate "all failures at one time" case. */
		return r >= 2.0 ? PREDICT_DEGENERATE : PREDICT_NO_FINITE_MLE;
	}
	if (r < 2.0)
		return PREDICT_ONE_FAILURE;
	return PREDICT_OK;
}

/* Log-likelihood on the original time scale, as survreg reports it:
 * failures contribute ln f(t), suspensions ln R(t). u is ln t - lmax. */
static double mle_loglik(const double *u, const int *failed, const double *w, size_t n,
                         double lmax, double beta, double eta)
{
	/* ln beta once: the C library's log() may set errno, so the compiler
	 * would call it again for every failure. */
	double le = log(eta), lb = log(beta), ll = 0.0;
	size_t i;

	for (i = 0; i < n; i++) {
		double wi = w ? w[i] : 1.0;
		double lt = u[i] + lmax;
		double z = beta * (lt - le);
		if (failed[i])
			ll += wi * (lb - le + (beta - 1.0) * (lt - le));
		ll -= wi * exp(z);
	}
	return ll;
}

int pi_mle(const double *t, const int *failed, const double *w, size_t n,
           struct pi_mle *m)
{
	struct prof p;
	struct prof_last last;
	enum predict_status why;
	double tmax = 0.0, r = 0.0, nn = 0.0, suf = 0.0, s0, lmax;
	double *u;
	size_t i, sb[2];
	int it;

	m->status = PREDICT_NO_CONVERGENCE;
	m->beta = m->eta = m->loglik = NAN;
	m->v_mu = m->v_mu_s = m->v_s = NAN;
	m->iterations = 0;
	m->r = m->n = 0.0;
	if (n == 0) {
		m->status = PREDICT_EMPTY;
		return WR_OK;
	}
	for (i = 0; i < n; i++) {
		double wi = w ? w[i] : 1.0;
		if (t[i] > tmax)
			tmax = t[i];
		nn += wi;
		if (failed[i])
			r += wi;
	}
	m->r = r;
	m->n = nn;
	why = mle_feasible(t, failed, n, tmax, r);
	if (why != PREDICT_OK) {
		m->status = why;
		return WR_OK;
	}

	u = malloc(n * sizeof *u);
	if (!u)
		return WR_ENOMEM;
	lmax = log(tmax);
	for (i = 0; i < n; i++) {
		u[i] = log(t[i]) - lmax;
		if (failed[i])
			suf += (w ? w[i] : 1.0) * u[i];
	}
	sb[0] = 0;
	sb[1] = n;
	p.u = u;
	p.w = w;
	p.sb = sb;
	p.rc = &r;
	p.ns = 1;
	p.R = r;
	p.mean_uf = suf / r;

	it = solve_beta(&p, &m->beta, &last);
	if (it < 0) {
		free(u);
		m->beta = NAN;
		return WR_OK;
	}
	m->iterations = it;
	s0 = last.s0;
	if (!last.ok)
		prof_g(&p, m->beta, NULL, NULL, &s0);
	m->eta = tmax * exp(log(s0 / r) / m->beta);
	m->loglik = mle_loglik(u, failed, w, n, lmax, m->beta, m->eta);
	covariance(u, failed, w, n, tmax, m);
	free(u);
	m->status = PREDICT_OK;
	return WR_OK;
}

void pi_beta_bounds(double beta, double v_s, double conf, struct predict_bounds *b)
{
	double z = pi_conf_z(conf);

	if (!(v_s >= 0.0) || !isfinite(beta)) {
		b->lo = b->hi = NAN;
		return;
	}
	/* ln beta = -ln sigma, so both have the same standard error. */
	b->lo = beta * exp(-z * sqrt(v_s));
	b->hi = beta * exp(z * sqrt(v_s));
}

/* The log times of the strata with failures, each scaled by its own
 * longest time, one after another in u (stratum k from sb[k], rc[k]
 * failures); sums into *suf, *R and *ns. Returns 1 when some failure is
 * not at its stratum's longest time. */
static int scale_strata(const double *t, const int *failed, const size_t *start,
                        size_t nstrata, double *u, size_t *sb, double *rc, double *suf,
                        double *R, size_t *ns)
{
	size_t c, i, m = 0;
	int informative = 0;

	sb[0] = 0;
	for (c = 0; c < nstrata; c++) {
		double tmax = 0.0, r = 0.0, lmax;
		for (i = start[c]; i < start[c + 1]; i++) {
			if (t[i] > tmax)
				tmax = t[i];
			if (failed[i])
				r += 1.0;
		}
		if (r == 0.0)
			continue;
		lmax = log(tmax);
		for (i = start[c]; i < start[c + 1]; i++) {
			u[m] = log(t[i]) - lmax;
			if (failed[i]) {
				*suf += u[m];
				if (t[i] < tmax)
					informative = 1;
			}
			m++;
		}
		rc[*ns] = r;
		*R += r;
		sb[++*ns] = m;
	}
	return informative;
}

int pi_shape_strata(const double *t, const int *failed, const size_t *start,
                    size_t nstrata, struct pi_shape *out)
{
	struct prof p;
	struct prof_last last;
	double *u, *rc, suf = 0.0, R = 0.0, dg;
	size_t *sb, ns = 0;
	int it, informative;

	out->status = PREDICT_NO_CONVERGENCE;
	out->beta = out->v_logbeta = NAN;
	out->failures = 0.0;
	if (nstrata == 0 || start[nstrata] == start[0]) {
		out->status = PREDICT_EMPTY;
		return WR_OK;
	}
	u = malloc((start[nstrata] - start[0]) * sizeof *u);
	sb = malloc((nstrata + 1) * sizeof *sb);
	rc = malloc(nstrata * sizeof *rc);
	if (!u || !sb || !rc) {
		free(u);
		free(sb);
		free(rc);
		return WR_ENOMEM;
	}
	/* Keep the strata with failures, each scaled by its own longest time. */
	informative = scale_strata(t, failed, start, nstrata, u, sb, rc, &suf, &R, &ns);
	out->failures = R;
	if (R == 0.0)
		out->status = PREDICT_NO_FAILURES;
	else if (!informative)
		out->status = R >= 2.0 ? PREDICT_DEGENERATE : PREDICT_NO_FINITE_MLE;
	else if (R < 2.0)
		out->status = PREDICT_ONE_FAILURE;
	if (R == 0.0 || !informative || R < 2.0)
		goto done;
	p.u = u;
	p.w = NULL;
	p.sb = sb;
	p.rc = rc;
	p.ns = ns;
	p.R = R;
	p.mean_uf = suf / R;
	it = solve_beta(&p, &out->beta, &last);
	if (it < 0) {
		out->beta = NAN;
		goto done;
	}
	/* The curvature of the profile log-likelihood, R g'(beta), is the
	 * inverse variance of beta. */
	dg = last.dg;
	if (!last.ok)
		prof_g(&p, out->beta, &dg, NULL, NULL);
	out->v_logbeta = 1.0 / (R * dg * out->beta * out->beta);
	out->status = PREDICT_OK;
done:
	free(u);
	free(sb);
	free(rc);
	return WR_OK;
}
