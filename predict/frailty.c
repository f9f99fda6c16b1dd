/*
 * frailty.c - the class shape with the units' variation in the model.
 *
 * Pooling the lives of a class under one scale flattens the hazard when
 * units differ: the weak ones fail early and leave the strong ones, so the
 * pooled hazard rises less than each unit's, and a class whose units wear
 * out at beta = 4 is fitted near 2.  Here each unit's theta_i = eta_i^beta
 * has the inverse-gamma prior IG(a, b) the ranking uses anyway (eb.c: a
 * gamma frailty on the hazard), and beta maximises the class's marginal
 * likelihood, the units' scales integrated out:
 *
 *     M(beta) = r ln beta + (beta - 1) sum_fail ln t - r ln tref
 *               + max_{a,b} sum_i [a ln b - (a + r_i) ln(b + S_i(beta))
 *                                  + ln Gamma(a + r_i) - ln Gamma(a)]
 *
 * with S_i(beta) = sum over unit i's lives of (t/tref)^beta - (entry/tref)^beta.
 * By the envelope theorem the slope is r / beta + sum_fail ln(t/tref) -
 * sum_i (a + r_i) S_i'(beta) / (b + S_i), with (a, b) at their maximum for
 * that beta; the root is found by bisection in ln beta, refined by secant
 * steps.  The variance of ln beta is minus the inverse curvature of M in
 * ln beta (numerically).  With the units alike (a at its upper end) it is
 * the plain MLE with one common scale.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "predict_int.h"

#define FR_LO 0.05
#define FR_HI 30.0
#define FR_TOL 1e-6              /* ln beta to within this */

struct freval {
	double M, g;             /* marginal log-likelihood and its slope in beta */
	double a, b;
};

int pi_frailty_logs_open(const struct pi_frailty_in *in, struct pi_frailty_logs *x)
{
	size_t i, j, n = 0, k = 0;

	memset(x, 0, sizeof *x);
	x->in = in;
	x->lt = log(in->tref);
	for (i = 0; i < in->nu; i++)
		n += in->nl[i];
	x->lx = malloc((2 * n + 1) * sizeof *x->lx);
	x->lv0 = malloc((in->nu + 1) * sizeof *x->lv0);
	if (!x->lx || !x->lv0) {
		free(x->lx);
		free(x->lv0);
		return WR_ENOMEM;
	}
	x->le = x->lx + n;
	for (i = 0; i < in->nu; i++) {
		x->lv0[i] = k;
		for (j = in->l0[i]; j < in->l0[i] + in->nl[i]; j++, k++) {
			const struct predict_life *l = &in->lives[j];
			x->lx[k] = log(l->t) - x->lt;
			x->le[k] = l->entry > 0.0 ? log(l->entry) - x->lt : NAN;
			if (l->failed) {
				x->slf += x->lx[k];
				x->rt += 1.0;
			}
		}
	}
	x->lv0[in->nu] = k;
	return WR_OK;
}

void pi_frailty_logs_close(struct pi_frailty_logs *x)
{
	free(x->lx);
	free(x->lv0);
}

void pi_frailty_exposures(const struct pi_frailty_logs *x, double beta)
{
	const struct pi_frailty_in *in = x->in;
	size_t i, k;

	for (i = 0; i < in->nu; i++) {
		double S = 0.0, D = 0.0;
		for (k = x->lv0[i]; k < x->lv0[i + 1]; k++) {
			double lx = x->lx[k], p = exp(beta * lx);
			S += p;
			D += p * lx;
			/* Delayed entry: only the part after the history began is
			 * evidence of survival. */
			if (!isnan(x->le[k])) {
				double le = x->le[k], pe = exp(beta * le);
				S -= pe;
				D -= pe * le;
			}
		}
		in->S[i] = S > 0.0 ? S : 0.0;
		in->D[i] = D;
	}
}

static int fr_eval(struct pi_frailty_logs *x, double beta, struct freval *v)
{
	const struct pi_frailty_in *in = x->in;
	double sd = 0.0;
	size_t i;
	int rc;

	pi_frailty_exposures(x, beta);
	rc = pi_eb_fit_from(in->r, in->S, in->nu, *in->a0, &v->a, &v->b);
	if (rc)
		return rc;
	*in->a0 = v->a;
	for (i = 0; i < in->nu; i++)
		sd += (v->a + in->r[i]) * in->D[i] / (v->b + in->S[i]);
	v->M = x->rt * log(beta) + (beta - 1.0) * x->slf - x->rt * x->lt +
	       pi_eb_marginal(in->r, in->S, in->nu, v->a, v->b);
	v->g = x->rt / beta + x->slf - sd;
	return WR_OK;
}

/* The root of the slope in (lo, hi) (ln beta), where it changes sign from
 * positive (glo) to negative (ghi): Brent's method (inverse quadratic
 * interpolation, secant, or bisection, whichever is safe), to within
 * FR_TOL.  *root and *v are the last point evaluated, an end of the
 * final bracket; *dg the slope's own slope in ln beta, from the final
 * bracket's two ends (NAN when they are not both known and close). */
static int fr_root(struct pi_frailty_logs *x, double lo, double hi, double glo, double ghi,
                   double *root, struct freval *v, double *dg)
{
	double a = lo, b = hi, c = hi, fa = glo, fb = ghi, fc = ghi, d = hi - lo, e = d, xv = NAN;
	int k, rc;

	*dg = NAN;
	for (k = 0; k < 100; k++) {
		double tol, xm;
		if ((fb > 0.0) == (fc > 0.0)) {
			c = a;
			fc = fa;
			e = d = b - a;
		}
		if (fabs(fc) < fabs(fb)) {
			a = b;
			b = c;
			c = a;
			fa = fb;
			fb = fc;
			fc = fa;
		}
		tol = 0.5 * FR_TOL;
		xm = 0.5 * (c - b);
		if (fabs(xm) <= tol || fb == 0.0) {
			if (c != b && fabs(c - b) <= 2.0 * FR_TOL)
				*dg = (fc - fb) / (c - b);
			break;
		}
		if (fabs(e) >= tol && fabs(fa) > fabs(fb)) {
			double s = fb / fa, p, q, r;
			if (a == c) {
				p = 2.0 * xm * s;
				q = 1.0 - s;
			} else {
				q = fa / fc;
				r = fb / fc;
				p = s * (2.0 * xm * q * (q - r) - (b - a) * (r - 1.0));
				q = (q - 1.0) * (r - 1.0) * (s - 1.0);
			}
			if (p > 0.0)
				q = -q;
			p = fabs(p);
			if (2.0 * p < fmin(3.0 * xm * q - fabs(tol * q), fabs(e * q))) {
				e = d;
				d = p / q;
			} else {
				d = xm;
				e = d;
			}
		} else {
			d = xm;
			e = d;
		}
		a = b;
		fa = fb;
		b += fabs(d) > tol ? d : (xm > 0.0 ? tol : -tol);
		if ((rc = fr_eval(x, exp(b), v)) != WR_OK)
			return rc;
		fb = v->g;
		xv = b;
	}
	/* The root is the last point evaluated (an end of the final bracket),
	 * so that *v is the fit there. */
	if (isnan(xv) && (rc = fr_eval(x, exp(b), v)) != WR_OK)
		return rc;
	*root = isnan(xv) ? b : xv;
	return WR_OK;
}

/* The bracket above lo (slope glo > 0 there): steps up in ln beta, each
 * twice the last, to FR_HI; *hi and *ghi where the slope is first
 * negative, *lo and *glo the last point before.  Returns 1 when the slope
 * is still positive at FR_HI (no finite maximum). */
static int fr_bracket(struct pi_frailty_logs *x, double *lo, double *glo, double *hi, double *ghi,
                      int *rc)
{
	double step = 0.25, top = log(FR_HI);
	struct freval v;

	for (;;) {
		double next = *lo + step < top ? *lo + step : top;
		if ((*rc = fr_eval(x, exp(next), &v)) != WR_OK)
			return 1;
		if (!(v.g > 0.0)) {
			*hi = next;
			*ghi = v.g;
			return 0;
		}
		if (next >= top)
			return 1;
		*lo = next;
		*glo = v.g;
		step *= 2.0;
	}
}

static int fr_shape(struct pi_frailty_logs *x, double beta0, struct pi_frailty *out)
{
	struct freval v0, vm, vp;
	double lo, hi, glo, ghi, xr, h = 1e-3, curv, dg = NAN;
	int rc;

	lo = log(beta0 > FR_LO ? beta0 : FR_LO);
	/* Frailty only steepens the shape, so the root lies above the pooled
	 * MLE; if the slope is not positive there, the pooled MLE it is. */
	if ((rc = fr_eval(x, exp(lo), &v0)) != WR_OK)
		return rc == WR_ENOMEM ? rc : WR_OK;
	if (!(v0.g > 0.0)) {
		xr = lo;
	} else {
		glo = v0.g;
		if (fr_bracket(x, &lo, &glo, &hi, &ghi, &rc))
			return rc == WR_ENOMEM ? rc : WR_OK;   /* no finite maximum */
		if ((rc = fr_root(x, lo, hi, glo, ghi, &xr, &v0, &dg)) != WR_OK)
			return rc == WR_ENOMEM ? rc : WR_OK;
	}
	/* v0 is the fit at xr (the last point evaluated).  The curvature of M
	 * in ln beta is beta g + beta dg / d ln beta, dg from the root's final
	 * bracket (both ends within 2 FR_TOL; g is M's slope with a and b at
	 * their maximum, so its slope is M's whole curvature); without one,
	 * from M two more points away (two more fits, a third of the
	 * class's). */
	if (isfinite(dg)) {
		curv = exp(xr) * (v0.g + dg);
	} else {
		if ((rc = fr_eval(x, exp(xr - h), &vm)) != WR_OK ||
		    (rc = fr_eval(x, exp(xr + h), &vp)) != WR_OK)
			return rc == WR_ENOMEM ? rc : WR_OK;
		curv = (vp.M - 2.0 * v0.M + vm.M) / (h * h);
	}
	out->beta = exp(xr);
	out->marginal = v0.M;
	out->a = v0.a;
	out->b = v0.b;
	out->v_logbeta = curv < 0.0 ? -1.0 / curv : NAN;
	out->ok = 1;
	return WR_OK;
}

int pi_frailty_shape(const struct pi_frailty_in *in, double beta0, struct pi_frailty *out)
{
	struct pi_frailty_logs x;
	int rc;

	out->ok = 0;
	out->beta = out->v_logbeta = out->marginal = out->a = out->b = NAN;
	if (pi_frailty_logs_open(in, &x) != WR_OK)
		return WR_ENOMEM;
	rc = fr_shape(&x, beta0, out);
	pi_frailty_logs_close(&x);
	return rc;
}

/* The lives of the public call as the ranking's (no delayed entry), with
 * the pooled MLE the search starts from. */
static int fr_lives(const struct predict_frailty_unit *u, size_t n, struct predict_life *lv,
                    double *t, int *f, size_t *l0, size_t *nl, int *r, double *tref)
{
	size_t i, j, k = 0;

	*tref = 0.0;
	for (i = 0; i < n; i++) {
		l0[i] = k;
		nl[i] = u[i].n;
		r[i] = 0;
		for (j = 0; j < u[i].n; j++, k++) {
			if (!(u[i].t[j] > 0.0) || !isfinite(u[i].t[j]))
				return -1;
			lv[k].t = t[k] = u[i].t[j];
			lv[k].failed = f[k] = u[i].failed[j] != 0;
			lv[k].running = 0;
			lv[k].entry = 0.0;
			r[i] += f[k];
			if (t[k] > *tref)
				*tref = t[k];
		}
	}
	return 0;
}

/* The prior at the final shape. */
static void fr_prior(const struct pi_frailty_in *in, double beta, struct predict_frailty *out)
{
	struct freval v;
	struct pi_frailty_logs x;
	int rc;

	if (pi_frailty_logs_open(in, &x) != WR_OK)
		return;
	rc = fr_eval(&x, beta, &v);
	pi_frailty_logs_close(&x);
	if (rc != WR_OK)
		return;
	out->a = v.a;
	out->b = exp(log(v.b) + beta * log(in->tref));
	out->eta = exp(log(out->b / out->a) / beta);
	out->cv = 1.0 / sqrt(v.a);
	out->marginal = v.M;
	out->ok = 1;
}

static void fr_out_init(struct predict_frailty *out)
{
	memset(out, 0, sizeof *out);
	out->beta = out->a = out->b = out->eta = out->cv = out->marginal = NAN;
	out->pooled_beta = NAN;
	out->beta_b.lo = out->beta_b.hi = NAN;
}

int predict_frailty_fit(const struct predict_frailty_unit *u, size_t n, double conf,
                        struct predict_frailty *out, struct wr_err *e)
{
	struct pi_frailty_in in;
	struct pi_frailty f;
	struct pi_mle m;
	struct predict_life *lv;
	double *t, *S, *D, tref, a0 = 1.0;
	int *fl, *r, rc;
	size_t i, nlv = 0, *l0;

	fr_out_init(out);
	for (i = 0; i < n; i++)
		nlv += u[i].n;
	lv = malloc((nlv + 1) * sizeof *lv);
	t = malloc((nlv + 1) * sizeof *t);
	fl = malloc((nlv + 1) * sizeof *fl);
	l0 = malloc((2 * n + 1) * sizeof *l0);
	r = malloc((n + 1) * sizeof *r);
	S = malloc((2 * n + 1) * sizeof *S);
	rc = lv && t && fl && l0 && r && S ? WR_OK : WR_ENOMEM;
	if (rc == WR_OK && fr_lives(u, n, lv, t, fl, l0, l0 + n, r, &tref) != 0)
		rc = wr_fail(e, WR_EINPUT, "a life is not a positive number");
	else if (rc == WR_OK)
		rc = pi_mle(t, fl, NULL, nlv, &m);
	if (rc == WR_OK && m.status == PREDICT_OK) {
		D = S + n;
		in.lives = lv;
		in.l0 = l0;
		in.nl = l0 + n;
		in.r = r;
		in.nu = n;
		in.tref = tref;
		in.S = S;
		in.D = D;
		in.a0 = &a0;
		out->pooled_beta = m.beta;
		rc = pi_frailty_shape(&in, m.beta, &f);
		if (rc == WR_OK && f.ok) {
			double z = pi_conf_z(conf > 0.0 && conf < 1.0 ? conf : PREDICT_CONF_DEFAULT);
			out->beta = f.beta;
			out->beta_b.lo = f.beta * exp(-z * sqrt(f.v_logbeta));
			out->beta_b.hi = f.beta * exp(z * sqrt(f.v_logbeta));
			fr_prior(&in, f.beta, out);
		}
	}
	if (rc == WR_ENOMEM)
		rc = wr_fail(e, rc, "out of memory fitting the frailty model");
	free(lv);
	free(t);
	free(fl);
	free(l0);
	free(r);
	free(S);
	return rc;
}
