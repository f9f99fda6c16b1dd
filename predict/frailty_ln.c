/*
 * frailty_ln.c - the class shape with a log-normal frailty on the units'
 * rates.
 *
 * frailty.c gives unit i's rate lambda_i = 1/theta_i a gamma prior; plants
 * whose unit scales are log-normal with a wide spread have rates whose
 * log is normal with sd sigma_eta * beta (about 3), a tail the gamma does
 * not follow, and the steepest classes' beta comes out low.  Here
 * ln lambda_i = mu + sigma z_i, z_i ~ N(0, 1), and unit i's marginal is
 *
 *     l_i(mu, sigma; beta) = ln Int exp(r_i u - S_i(beta) e^u) N(u; mu, sigma^2) du
 *
 * with r_i and S_i(beta) as in frailty.c.  The class's marginal is
 * M_ln(beta) = r ln beta + (beta - 1) sum_fail ln(t/tref) - r ln tref +
 * max_{mu, sigma} sum_i l_i, frailty.c's M with the other prior: the same
 * base measure and the same number of parameters, so the two compare
 * directly.
 *
 * The integral: the integrand is log-concave in u; its mode is
 * mu + sigma^2 r - W(sigma^2 S e^(mu + sigma^2 r)) (W Lambert's function:
 * the mode's equation r - S e^u = (u - mu) / sigma^2 is w e^w = x in
 * w = sigma^2 S e^u), its curvature there 1/sigma^2 + S e^u.  Gauss-Hermite
 * nodes placed by that mode and curvature (20 of them) err by up to 2e-4
 * in l_i when r_i is 0 or 1 and sigma is near 3: the integrand is then a
 * Gaussian cut off on one side, far from the Gaussian the nodes assume.
 * So the nodes are the trapezoid rule's, on a step of 0.7 of the Laplace
 * scale (at most 0.35, for the double exponential's strip of
 * analyticity), out to where the integrand has fallen by e^-40 on each
 * side: for an integrand analytic in a strip and decaying that fast the
 * rule converges geometrically (within 1e-10 in l_i on the cases of
 * tests/test_predict_frailty.c, 30-160 nodes).
 *
 * For each beta, (mu, ln sigma) by Newton with a backtracking line
 * search; the gradient and Hessian are posterior moments of the prior's
 * score (Louis' identity), from the same nodes.  ln sigma has a floor
 * (sigma = 1e-3, the units alike to within 0.1 % of rate).  Over beta, the
 * root of the slope r/beta + sum_fail ln(t/tref) - sum_i E_post[e^u] S_i'
 * (the envelope theorem) by bracketing and bisection with secant steps
 * in ln beta.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "predict_int.h"

#define LN_LOG_SIGMA_MIN (-6.907755278982137) /* ln 1e-3 */
#define LN_LOG_SIGMA_MAX 2.5                  /* sigma 12: rates e^12 apart per sd */
#define LN_DROP 40.0                          /* the integrand's range: down to e^-40 */
/* Past the mode the integrand only falls (it is log-concave), and on the
 * right it falls as e^(-S e^u), far faster than the Gaussian guess of
 * ln_reach: the walk stops at the first node below e^-40 of the mode. */
#define LN_TAIL 4.248354255291589e-18         /* e^-40 */
#define LN_STEP 0.7                           /* trapezoid step in Laplace scales */
#define LN_STEP_MAX 0.35                      /* ... and in u at most */
#define LN_BETA_LO 0.05
#define LN_BETA_HI 30.0
#define LN_TOL 1e-6                           /* ln beta to within this */

/* W(e^L), Lambert's function, for any real L: Newton on w + ln w = L from
 * a lower bound (x/(1+x), or ln x - ln ln x above e), where the concave
 * equation makes the iterates rise monotonically to the root. */
static double lambert_w_exp(double L)
{
	double w = L < 1.0 ? exp(L) / (1.0 + exp(L)) : L - log(L);
	int k;

	if (!(w > 0.0))
		return 0.0;
	for (k = 0; k < 100; k++) {
		double d = (w + log(w) - L) / (1.0 + 1.0 / w);
		w -= d;
		if (fabs(d) <= 1e-15 * w)
			break;
	}
	return w;
}

/* ln of the integrand at u, without the prior's normalising constant. */
static double ln_integrand(double r, double S, double mu, double sigma, double u)
{
	double v = (u - mu) / sigma;

	return r * u - S * exp(u) - 0.5 * v * v;
}

/* How far from the mode us (in the direction dir) the integrand has
 * fallen by LN_DROP: from the Gaussian guess, widened until it has. */
static double ln_reach(double r, double S, double mu, double sigma, double us, double top,
                       double scale, double dir)
{
	double d = 9.0 * scale;
	int k;

	for (k = 0; k < 60 && top - ln_integrand(r, S, mu, sigma, us + dir * d) < LN_DROP; k++)
		d *= 1.5;
	return d;
}

/* The trapezoid grid of one unit's integrand (see the top): nodes
 * us + k h for k in [-kl, kr], and the log-integrand's top at the mode us. */
struct lnf_grid {
	double us, h, top;
	long kl, kr;
};

static void lnf_grid(double r, double S, double mu, double sigma, struct lnf_grid *g)
{
	double scale, dl, dr;

	if (S > 0.0) {
		double w = lambert_w_exp(log(sigma * sigma * S) + mu + sigma * sigma * r);
		g->us = mu + sigma * sigma * r - w;
		scale = sigma / sqrt(1.0 + w);
	} else {
		g->us = mu + sigma * sigma * r;
		scale = sigma;
	}
	g->top = ln_integrand(r, S, mu, sigma, g->us);
	dl = ln_reach(r, S, mu, sigma, g->us, g->top, scale, -1.0);
	dr = ln_reach(r, S, mu, sigma, g->us, g->top, scale, 1.0);
	g->h = fmin(LN_STEP * scale, LN_STEP_MAX);
	g->kl = (long)ceil(dl / g->h);
	g->kr = (long)ceil(dr / g->h);
}

/* The walk over a grid's nodes: u and e^u at each, e^u by one
 * multiplication a node (within about 1e-14 of exp over the few hundred
 * nodes of a grid), and the integrand's weight there. */
struct lnf_walk {
	double u, eu, eh;
};

static void walk_start(const struct lnf_grid *g, struct lnf_walk *w)
{
	w->u = g->us - (double)g->kl * g->h;
	w->eu = exp(w->u);
	w->eh = exp(g->h);
}

/* The weight at the walk's node, relative to the mode's. */
static double walk_weight(const struct lnf_walk *w, const struct lnf_grid *g, double r, double S,
                          double mu, double sigma)
{
	double v = (w->u - mu) / sigma;

	return exp(r * w->u - S * w->eu - 0.5 * v * v - g->top);
}

static void walk_next(const struct lnf_grid *g, struct lnf_walk *w, long k)
{
	w->u = g->us + (double)(k + 1) * g->h;
	w->eu *= w->eh;
}

/* Unit i's marginal and posterior moments (see the top). */
void pi_lnf_unit(double r, double S, double mu, double sigma, struct pi_lnf_post *o)
{
	double sum = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, se = 0.0;
	struct lnf_grid g;
	struct lnf_walk w;
	long k;

	lnf_grid(r, S, mu, sigma, &g);
	walk_start(&g, &w);
	for (k = -g.kl; k <= g.kr; walk_next(&g, &w, k++)) {
		double v = (w.u - mu) / sigma, p = walk_weight(&w, &g, r, S, mu, sigma);
		if (k > 0 && p < LN_TAIL)
			break;
		sum += p;
		s1 += p * v;
		s2 += p * v * v;
		s3 += p * v * v * v;
		s4 += p * v * v * v * v;
		se += p * w.eu;
	}
	o->l = g.top + log(sum * g.h / (sigma * sqrt(2.0 * M_PI)));
	o->m1 = s1 / sum;
	o->m2 = s2 / sum;
	o->m3 = s3 / sum;
	o->m4 = s4 / sum;
	o->eu = se / sum;
}

/* The probability of a failure while the unit's cumulative hazard grows
 * by d, its rate e^u drawn from its posterior: E_post[1 - e^(-e^u d)],
 * on the posterior's own nodes (1 - e^-x by expm1, so that a small d
 * keeps its digits, as a difference of two marginals would not); and the
 * posterior mean rate E_post[e^u] into *rate when not NULL. */
double pi_lnf_pfail(double r, double S, double mu, double sigma, double d, double *rate)
{
	double sum = 0.0, sp = 0.0, se = 0.0;
	struct lnf_grid g;
	struct lnf_walk w;
	long k;

	lnf_grid(r, S, mu, sigma, &g);
	walk_start(&g, &w);
	for (k = -g.kl; k <= g.kr; walk_next(&g, &w, k++)) {
		double p = walk_weight(&w, &g, r, S, mu, sigma);
		if (k > 0 && p < LN_TAIL)
			break;
		sum += p;
		sp += p * (d > 0.0 ? -expm1(-w.eu * d) : 0.0);
		se += p * w.eu;
	}
	if (rate)
		*rate = se / sum;
	return sp / sum;
}

/* frailty.c's logarithms, and (mu, ln sigma), where the next profile
 * starts. */
struct lnctx {
	struct pi_frailty_logs lg;
	double mu, ls;
	double sum_s;             /* the units' exposures summed at the last beta (0: none yet) */
};

/* The profile at one beta. */
struct lneval {
	double M, g;              /* M_ln and its slope in beta */
	double mu, ls, v_ls;      /* the frailty's maximum; var of ln sigma there */
};

/* sum_i l_i at (mu, ln sigma) with its gradient g and Hessian H (mu-mu,
 * mu-ls, ls-ls) in (mu, ln sigma), and sum_i E_post[e^u] D_i in *eud:
 * derivatives of ln N(u; mu, sigma^2) in (mu, ln sigma) are v / sigma and
 * v^2 - 1, their own derivatives -1/sigma^2, -2 v / sigma and -2 v^2;
 * l's are those derivatives' posterior means plus their posterior
 * covariance. */
static double ln_sum(const struct lnctx *x, double mu, double ls, double g[2], double H[3],
                     double *eud)
{
	const struct pi_frailty_in *in = x->lg.in;
	double L = 0.0, sg = exp(ls);
	size_t i;

	g[0] = g[1] = H[0] = H[1] = H[2] = *eud = 0.0;
	for (i = 0; i < in->nu; i++) {
		struct pi_lnf_post p;
		pi_lnf_unit(in->r[i], in->S[i], mu, sg, &p);
		L += p.l;
		g[0] += p.m1 / sg;
		g[1] += p.m2 - 1.0;
		H[0] += (p.m2 - p.m1 * p.m1 - 1.0) / (sg * sg);
		H[1] += (p.m3 - p.m1 * p.m2 - 2.0 * p.m1) / sg;
		H[2] += p.m4 - p.m2 * p.m2 - 2.0 * p.m2;
		*eud += p.eu * in->D[i];
	}
	return L;
}

/* The Newton step from gradient g and Hessian H; where H is not negative
 * definite, the gradient scaled by the diagonal.  ln sigma at its floor
 * with the gradient pushing it down stays there. */
static void ln_direction(const double g[2], const double H[3], int floor, double d[2])
{
	double det = H[0] * H[2] - H[1] * H[1];

	if (floor) {
		d[0] = H[0] < 0.0 ? -g[0] / H[0] : g[0];
		d[1] = 0.0;
	} else if (H[0] < 0.0 && det > 0.0) {
		d[0] = -(H[2] * g[0] - H[1] * g[1]) / det;
		d[1] = -(H[0] * g[1] - H[1] * g[0]) / det;
	} else {
		d[0] = g[0] / fmax(fabs(H[0]), 1.0);
		d[1] = g[1] / fmax(fabs(H[2]), 1.0);
	}
}

/* The frailty's maximum at the exposures in in->S (from x's last one):
 * Newton in (mu, ln sigma) with a backtracking line search. */
static void ln_profile(struct lnctx *x, double beta, struct lneval *v)
{
	double mu = x->mu, ls = x->ls, g[2], H[3], eud, L;
	int it;

	L = ln_sum(x, mu, ls, g, H, &eud);
	for (it = 0; it < 100; it++) {
		double d[2], t = 1.0, g1[2], H1[3], eud1, L1 = -INFINITY, mu1 = mu, ls1 = ls;
		int half, floor = ls <= LN_LOG_SIGMA_MIN && g[1] <= 0.0;
		ln_direction(g, H, floor, d);
		/* A Newton step this short leaves the point within about its
		 * square of the maximum: the point is kept without evaluating
		 * the step (a sum over the units saved per profile). */
		if (H[0] < 0.0 && H[0] * H[2] > H[1] * H[1] && fmax(fabs(d[0]), fabs(d[1])) < 1e-9)
			break;
		/* No step moves ln sigma or mu by more than 2. */
		t = fmin(1.0, 2.0 / fmax(fabs(d[0]), fabs(d[1])));
		for (half = 0; half < 40; half++, t *= 0.5) {
			mu1 = mu + t * d[0];
			ls1 = fmin(fmax(ls + t * d[1], LN_LOG_SIGMA_MIN), LN_LOG_SIGMA_MAX);
			L1 = ln_sum(x, mu1, ls1, g1, H1, &eud1);
			if (L1 >= L - 1e-13 * fabs(L))
				break;
		}
		if (!(L1 >= L - 1e-13 * fabs(L)))
			break;   /* no step gains: at the maximum to rounding */
		{
			double moved = fmax(fabs(mu1 - mu), fabs(ls1 - ls));
			mu = mu1;
			ls = ls1;
			L = L1;
			eud = eud1;
			memcpy(g, g1, sizeof g1);
			memcpy(H, H1, sizeof H1);
			if (moved < 1e-10)
				break;
		}
	}
	x->mu = v->mu = mu;
	x->ls = v->ls = ls;
	{
		double det = H[0] * H[2] - H[1] * H[1];
		v->v_ls = ls > LN_LOG_SIGMA_MIN && H[0] < 0.0 && det > 0.0 ? -H[0] / det : NAN;
	}
	v->M = x->lg.rt * log(beta) + (beta - 1.0) * x->lg.slf - x->lg.rt * x->lg.lt + L;
	v->g = x->lg.rt / beta + x->lg.slf - eud;
}

/* The profile at beta.  The last fit's mu starts it, moved by the change
 * of the units' exposures (a rate times the exposure is what the data
 * fix): one Newton step fewer. */
static void ln_eval(struct lnctx *x, double beta, struct lneval *v)
{
	const struct pi_frailty_in *in = x->lg.in;
	double sum = 0.0;
	size_t i;

	pi_frailty_exposures(&x->lg, beta);
	for (i = 0; i < in->nu; i++)
		sum += in->S[i];
	if (x->sum_s > 0.0 && sum > 0.0)
		x->mu -= log(sum / x->sum_s);
	x->sum_s = sum;
	ln_profile(x, beta, v);
}

/* The slope of M_ln in ln beta at ln beta = lb. */
static double ln_slope(struct lnctx *x, double lb, struct lneval *v)
{
	ln_eval(x, exp(lb), v);
	return exp(lb) * v->g;
}

/* A bracket of the slope's root around lb (f its slope there): steps of
 * 0.1, 0.2, 0.4, ... in ln beta the way the slope points.  0, or -1 when
 * the slope keeps its sign to the end of beta's range. */
static int ln_bracket(struct lnctx *x, double lb, double f, double *lo, double *flo, double *hi,
                      double *fhi)
{
	double dir = f > 0.0 ? 1.0 : -1.0, step = 0.1, end = log(f > 0.0 ? LN_BETA_HI : LN_BETA_LO);
	struct lneval v;

	for (;;) {
		double next = lb + dir * step, fn;
		if (dir * (next - end) > 0.0)
			next = end;
		fn = ln_slope(x, next, &v);
		if ((fn > 0.0) != (f > 0.0)) {
			*lo = dir > 0.0 ? lb : next;
			*flo = dir > 0.0 ? f : fn;
			*hi = dir > 0.0 ? next : lb;
			*fhi = dir > 0.0 ? fn : f;
			return 0;
		}
		if (next == end)
			return -1;
		lb = next;
		f = fn;
		step *= 2.0;
	}
}

/* The root in (lo, hi), slope flo > 0 > fhi: regula falsi, with the
 * Illinois halving when one end stays twice, to LN_TOL. */
static double ln_root(struct lnctx *x, double lo, double flo, double hi, double fhi)
{
	struct lneval v;
	int k, side = 0;

	for (k = 0; k < 100 && hi - lo > LN_TOL; k++) {
		double m = (lo * fhi - hi * flo) / (fhi - flo), fm;
		if (!(m > lo && m < hi))
			m = 0.5 * (lo + hi);
		fm = ln_slope(x, m, &v);
		if (fm == 0.0)
			return m;
		if (fm > 0.0) {
			lo = m;
			flo = fm;
			if (side == 1)
				fhi *= 0.5;
			side = 1;
		} else {
			hi = m;
			fhi = fm;
			if (side == -1)
				flo *= 0.5;
			side = -1;
		}
	}
	return 0.5 * (lo + hi);
}

static void ln_shape(struct lnctx *x, double beta0, struct pi_frailty_ln *out)
{
	struct lneval v;
	double lb = log(fmin(fmax(beta0, LN_BETA_LO), LN_BETA_HI)), lo, hi, flo, fhi, f, fm, fp;
	const double h = 1e-3;

	f = ln_slope(x, lb, &v);
	if (!isfinite(f) || ln_bracket(x, lb, f, &lo, &flo, &hi, &fhi) != 0)
		return;
	lb = ln_root(x, lo, flo, hi, fhi);
	/* The curvature of M_ln in ln beta: its slope's slope (the slope is
	 * M_ln's whole one, the frailty at its maximum for each beta), one
	 * step away from the fit at the root. */
	fp = ln_slope(x, lb + h, &v);
	fm = ln_slope(x, lb, &v);
	out->beta = exp(lb);
	out->marginal = v.M;
	out->v_logbeta = fp < fm ? h / (fm - fp) : NAN;
	out->mu = v.mu;
	out->sigma = exp(v.ls);
	out->v_logsigma = v.v_ls;
	out->ok = isfinite(v.M);
}

int pi_frailty_ln_shape(const struct pi_frailty_in *in, double beta0, double mu0, double sigma0,
                        struct pi_frailty_ln *out)
{
	struct lnctx x;

	out->ok = 0;
	out->beta = out->v_logbeta = out->marginal = NAN;
	out->mu = out->sigma = out->v_logsigma = NAN;
	if (pi_frailty_logs_open(in, &x.lg) != WR_OK)
		return WR_ENOMEM;
	x.mu = isfinite(mu0) ? mu0 : 0.0;
	x.ls = sigma0 > 0.0 ? fmin(fmax(log(sigma0), LN_LOG_SIGMA_MIN), LN_LOG_SIGMA_MAX) : 0.0;
	x.sum_s = 0.0;
	if (x.lg.rt > 0.0)
		ln_shape(&x, beta0, out);
	pi_frailty_logs_close(&x.lg);
	return WR_OK;
}

const char *predict_frailty_dist_str(enum predict_frailty_dist d)
{
	switch (d) {
	case PREDICT_FRAILTY_GAMMA: return "gamma";
	case PREDICT_FRAILTY_LOGNORMAL: return "log-normal";
	}
	return "unknown";
}
