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

struct freval {
	double M, g;             /* marginal log-likelihood and its slope in beta */
	double a, b;
};

static int fr_eval(const struct pi_frailty_in *in, double beta, struct freval *v)
{
	double rt = 0.0, slf = 0.0, lt = log(in->tref), sd = 0.0;
	size_t i, j;
	int rc;

	for (i = 0; i < in->nu; i++) {
		double S = 0.0, D = 0.0;
		for (j = in->l0[i]; j < in->l0[i] + in->nl[i]; j++) {
			const struct predict_life *l = &in->lives[j];
			double lx = log(l->t) - lt, p = exp(beta * lx);
			S += p;
			D += p * lx;
			if (l->failed) {
				slf += lx;
				rt += 1.0;
			}
			if (l->entry > 0.0) {
				double le = log(l->entry) - lt, pe = exp(beta * le);
				S -= pe;
				D -= pe * le;
			}
		}
		in->S[i] = S > 0.0 ? S : 0.0;
		in->D[i] = D;
	}
	rc = pi_eb_fit_from(in->r, in->S, in->nu, *in->a0, &v->a, &v->b);
	if (rc)
		return rc;
	*in->a0 = v->a;
	for (i = 0; i < in->nu; i++)
		sd += (v->a + in->r[i]) * in->D[i] / (v->b + in->S[i]);
	v->M = rt * log(beta) + (beta - 1.0) * slf - rt * lt +
	       pi_eb_marginal(in->r, in->S, in->nu, v->a, v->b);
	v->g = rt / beta + slf - sd;
	return WR_OK;
}

/* The root of the slope in [lo, hi] (ln beta), where it changes sign from
 * positive to negative: bisection with secant steps when they stay inside
 * the bracket. */
static int fr_root(const struct pi_frailty_in *in, double lo, double hi, double glo, double ghi,
                   double *root)
{
	struct freval v;
	int k, rc;

	for (k = 0; k < 60 && hi - lo > 1e-6; k++) {
		double x = lo - glo * (hi - lo) / (ghi - glo);
		if (!(x > lo + 0.01 * (hi - lo) && x < hi - 0.01 * (hi - lo)))
			x = 0.5 * (lo + hi);
		if ((rc = fr_eval(in, exp(x), &v)) != WR_OK)
			return rc;
		if (v.g > 0.0) {
			lo = x;
			glo = v.g;
		} else {
			hi = x;
			ghi = v.g;
		}
	}
	*root = 0.5 * (lo + hi);
	return WR_OK;
}

int pi_frailty_shape(const struct pi_frailty_in *in, double beta0, struct pi_frailty *out)
{
	struct freval v0, v1, vm, vp;
	double lo, hi, x, h = 1e-3, curv;
	int rc;

	out->ok = 0;
	out->beta = out->v_logbeta = out->marginal = NAN;
	lo = log(beta0 > FR_LO ? beta0 : FR_LO);
	hi = log(FR_HI);
	/* Frailty only steepens the shape, so the root lies above the pooled
	 * MLE; if the slope is not positive there, the pooled MLE it is. */
	if ((rc = fr_eval(in, exp(lo), &v0)) != WR_OK)
		return rc == WR_ENOMEM ? rc : WR_OK;
	if ((rc = fr_eval(in, exp(hi), &v1)) != WR_OK)
		return rc == WR_ENOMEM ? rc : WR_OK;
	if (!(v0.g > 0.0)) {
		x = lo;
	} else if (v1.g >= 0.0) {
		return WR_OK;        /* no finite maximum */
	} else if ((rc = fr_root(in, lo, hi, v0.g, v1.g, &x)) != WR_OK) {
		return rc == WR_ENOMEM ? rc : WR_OK;
	}
	if ((rc = fr_eval(in, exp(x), &v0)) != WR_OK || (rc = fr_eval(in, exp(x - h), &vm)) != WR_OK ||
	    (rc = fr_eval(in, exp(x + h), &vp)) != WR_OK)
		return rc == WR_ENOMEM ? rc : WR_OK;
	curv = (vp.M - 2.0 * v0.M + vm.M) / (h * h);
	out->beta = exp(x);
	out->marginal = v0.M;
	out->v_logbeta = curv < 0.0 ? -1.0 / curv : NAN;
	out->ok = 1;
	return WR_OK;
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

	if (fr_eval(in, beta, &v) != WR_OK)
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
