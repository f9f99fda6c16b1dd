/*
 * eb.c - empirical Bayes for the scales of the units of one class.
 *
 * With the class shape beta fixed, unit i's lives (failures r_i, exposure
 * S_i = sum of t^beta over its lives, the running one included) have the
 * likelihood theta_i^-r_i exp(-S_i / theta_i) in theta_i = eta_i^beta.  The
 * conjugate prior is the inverse gamma IG(a, b), density proportional to
 * theta^(-a-1) exp(-b / theta), and the posterior is IG(a + r_i, b + S_i).
 * Integrating theta_i out gives the marginal likelihood of the class,
 *
 *     L(a, b) = sum_i [ a ln b - (a + r_i) ln(b + S_i)
 *                       + ln Gamma(a + r_i) - ln Gamma(a) ],
 *
 * which is maximised here over (ln a, ln b) by Newton's method with a
 * backtracking line search.  ln Gamma(a + r) - ln Gamma(a) is the sum of
 * ln(a + k) for k < r, so with the number of units having more than k
 * failures, N_gt[k], the gamma terms cost O(max r) instead of O(units).
 *
 * A large a says the units are alike (the prior is narrow and every unit
 * gets nearly the class rate); a small a says they differ and each unit's
 * own record dominates.  a is kept within [PI_EB_A_MIN, PI_EB_A_MAX]: the
 * likelihood often keeps creeping up as a grows when the units really are
 * alike, and the upper end then means "pool completely".
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "predict_int.h"

struct ebdata {
	const int *r;
	const double *S;
	size_t n;
	const double *ngt;   /* ngt[k]: units with more than k failures */
	int rmax;
};

/* The marginal log-likelihood and, if g is not NULL, its gradient and
 * Hessian in (ln a, ln b). */
static double eb_eval(const struct ebdata *d, double la, double lb, double g[2], double h[3])
{
	double a = exp(la), b = exp(lb), L = 0.0;
	double La = 0.0, Lb = 0.0, Laa = 0.0, Lab = 0.0, Lbb = 0.0;
	size_t i;
	int k;

	for (i = 0; i < d->n; i++) {
		double bs = b + d->S[i], lbs = log(bs), ar = a + d->r[i];
		L += a * lb - ar * lbs;
		if (g) {
			/* One division per unit: the derivatives in b of the
			 * unit's term share 1 / (b + S). */
			double inv = 1.0 / bs, ari = ar * inv;
			La += lb - lbs;
			Lb -= ari;
			Lab -= inv;
			Lbb += ari * inv;
		}
	}
	if (g) {
		double nd = (double)d->n;
		Lb += nd * a / b;
		Lab += nd / b;
		Lbb -= nd * a / (b * b);
	}
	for (k = 0; k < d->rmax; k++) {
		double ak = a + k;
		L += d->ngt[k] * log(ak);
		if (g) {
			La += d->ngt[k] / ak;
			Laa -= d->ngt[k] / (ak * ak);
		}
	}
	if (g) {
		g[0] = a * La;
		g[1] = b * Lb;
		h[0] = a * a * Laa + a * La;
		h[1] = a * b * Lab;
		h[2] = b * b * Lbb + b * Lb;
	}
	return L;
}

static double clamp_la(double la)
{
	double lo = log(PI_EB_A_MIN), hi = log(PI_EB_A_MAX);

	return la < lo ? lo : la > hi ? hi : la;
}

/* The search direction in (ln a, ln b) from the gradient g and Hessian h;
 * 1 when it is Newton's step at a point where the likelihood is concave
 * (then a short one says the maximum is that close). */
static int eb_direction(const double *g, const double *h, double la, double *sa, double *sb)
{
	double det = h[0] * h[2] - h[1] * h[1];
	int newton = h[0] < 0.0 && det > 0.0;

	if (newton) {
		/* Newton: solve H s = -g. */
		*sa = (-g[0] * h[2] + g[1] * h[1]) / det;
		*sb = (-g[1] * h[0] + g[0] * h[1]) / det;
	} else {
		/* Not concave here: Newton on H - mu I, mu just above H's
		 * larger eigenvalue (Levenberg-Marquardt), so that the step
		 * follows the ridge ln b - ln a = const the likelihood has for
		 * large a.  A gradient step zig-zagged across it and stopped
		 * after 200 steps well below the maximum (0.9-2 in log
		 * likelihood on classes of 60 units started from a = 46). */
		double m = 0.5 * (h[0] + h[2]), dd = 0.5 * (h[0] - h[2]);
		double lmax = m + sqrt(dd * dd + h[1] * h[1]);
		double mu = lmax + 1e-6 * (fabs(h[0]) + fabs(h[2])) + 1e-12;
		double a0 = h[0] - mu, a2 = h[2] - mu, dm = a0 * a2 - h[1] * h[1];
		*sa = (-g[0] * a2 + g[1] * h[1]) / dm;
		*sb = (-g[1] * a0 + g[0] * h[1]) / dm;
	}
	/* At a bound of a with the step pointing outside, optimise b
	 * alone. */
	if ((la >= log(PI_EB_A_MAX) - 1e-12 && *sa > 0.0) ||
	    (la <= log(PI_EB_A_MIN) + 1e-12 && *sa < 0.0)) {
		*sa = 0.0;
		newton = h[2] < 0.0;
		*sb = newton ? -g[1] / h[2] : g[1];
	}
	/* Long jumps in log space are never needed. */
	if (fabs(*sa) > 2.0 || fabs(*sb) > 2.0) {
		double m = fabs(*sa) > fabs(*sb) ? fabs(*sa) : fabs(*sb);
		*sa *= 2.0 / m;
		*sb *= 2.0 / m;
	}
	/* A step past a bound of a stops on it, along the direction: cut
	 * short in ln a alone, it left the ridge of large a (where ln b -
	 * ln a is nearly constant) and the line search then halved it again
	 * and again, at a whole evaluation each time. */
	if (la + *sa > log(PI_EB_A_MAX) || la + *sa < log(PI_EB_A_MIN)) {
		double f = ((la + *sa > log(PI_EB_A_MAX) ? log(PI_EB_A_MAX) : log(PI_EB_A_MIN)) - la) /
		           *sa;
		*sa *= f;
		*sb *= f;
	}
	return newton;
}

/* Halves the step (sa, sb) until the likelihood does not fall below L;
 * then (sa, sb) is the step taken, *nl its likelihood and g, h its
 * gradient and Hessian (every trial is evaluated in full: the first one
 * is nearly always taken, and the next iteration needs them).  Returns -1
 * when no step of 40 halvings does, or when the step has shrunk below
 * anything the likelihood can tell from rounding. */
static int eb_line_search(const struct ebdata *d, double la, double lb, double L, double *sa,
                          double *sb, double *nl, double g[2], double h[3])
{
	double step = 1.0, len = fabs(*sa) > fabs(*sb) ? fabs(*sa) : fabs(*sb);
	int tries;

	for (tries = 0; tries < 40 && step * len > 1e-13; tries++) {
		double na = clamp_la(la + step * *sa), nb = lb + step * *sb;
		*nl = eb_eval(d, na, nb, g, h);
		if (*nl >= L) {
			*sa = na - la;
			*sb = nb - lb;
			return 0;
		}
		step *= 0.5;
	}
	return -1;
}

/* ngt[k]: how many units have more than k failures (rmax of them). */
static double *eb_count_above(const int *r, size_t n, int rmax)
{
	double *ngt = calloc((size_t)rmax, sizeof *ngt);
	size_t i;
	int k;

	if (!ngt)
		return NULL;
	for (i = 0; i < n; i++)
		for (k = 0; k < r[i]; k++)
			ngt[k] += 1.0;
	return ngt;
}

/* A Newton step shorter than this in ln a and ln b is the last. */
#define EB_LAST_STEP 1e-6

int pi_eb_fit(const int *r, const double *S, size_t n, double *a, double *b)
{
	return pi_eb_fit_from(r, S, n, 1.0, a, b);
}

int pi_eb_fit_from(const int *r, const double *S, size_t n, double a0, double *a, double *b)
{
	struct ebdata d;
	double *ngt, R = 0.0, ST = 0.0, la, lb, L, g[2], h[3];
	size_t i;
	int it, rmax = 0;

	for (i = 0; i < n; i++) {
		R += r[i];
		ST += S[i];
		if (r[i] > rmax)
			rmax = r[i];
	}
	if (!(R > 0.0) || !(ST > 0.0))
		return WR_EINPUT;
	ngt = eb_count_above(r, n, rmax);
	if (!ngt)
		return WR_ENOMEM;
	d.r = r;
	d.S = S;
	d.n = n;
	d.ngt = ngt;
	d.rmax = rmax;

	/* Start from a0 with the prior mean rate a / b equal to the pooled
	 * rate R / sum S. */
	la = clamp_la(a0 > 0.0 && isfinite(a0) ? log(a0) : 0.0);
	lb = la + log(ST / R);
	L = eb_eval(&d, la, lb, g, h);
	for (it = 0; it < 200; it++) {
		double sa, sb, nl = 0.0, ng[2], nh[3];
		/* Newton's step near the maximum: what is left after it is of
		 * the order of its square, so it is taken without evaluating
		 * the likelihood there (one evaluation of two or three). */
		if (eb_direction(g, h, la, &sa, &sb) && fabs(sa) < EB_LAST_STEP &&
		    fabs(sb) < EB_LAST_STEP) {
			la = clamp_la(la + sa);
			lb += sb;
			break;
		}
		if (eb_line_search(&d, la, lb, L, &sa, &sb, &nl, ng, nh) != 0)
			break;
		la += sa;
		lb += sb;
		L = nl;
		memcpy(g, ng, sizeof ng);
		memcpy(h, nh, sizeof nh);
		if (fabs(sa) < 1e-10 && fabs(sb) < 1e-10)
			break;
	}
	free(ngt);
	*a = exp(la);
	*b = exp(lb);
	return isfinite(*a) && isfinite(*b) ? WR_OK : WR_EINPUT;
}


/* Units with up to this many failures share their ln Gamma(a + r) -
 * ln Gamma(a), counted: most units have a few failures, and lgamma costs
 * more than the rest of a unit's term. */
#define EB_RCOUNT 64

double pi_eb_marginal(const int *r, const double *S, size_t n, double a, double b)
{
	double L = 0.0, lga = pi_lgamma(a), lb = log(b), cnt[EB_RCOUNT] = {0.0};
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		L += a * lb - (a + r[i]) * log(b + S[i]);
		if (r[i] >= 0 && r[i] < EB_RCOUNT)
			cnt[r[i]] += 1.0;
		else
			L += pi_lgamma(a + r[i]) - lga;
	}
	for (k = 1; k < EB_RCOUNT; k++)
		if (cnt[k] > 0.0)
			L += cnt[k] * (pi_lgamma(a + k) - lga);
	return L;
}

/* ----------------------------------------- the variation and its bounds */

/* At the ends of a's range: a = PI_EB_A_MAX means units alike (CV 0),
 * a = PI_EB_A_MIN that the data set no limit (INFINITY); so does a spread
 * of ln eta beyond 3 (a CV beyond 90: scales a factor 20 apart per
 * standard deviation), where the number would only mislead. */
static double cv_of(double a, double beta)
{
	double sd2 = pi_trigamma(a) / (beta * beta);

	if (a >= PI_EB_A_MAX * (1.0 - 1e-9))
		return 0.0;
	if (a <= PI_EB_A_MIN * (1.0 + 1e-9) || !(sd2 <= 9.0))
		return INFINITY;
	return sqrt(expm1(sd2));
}

/* The profile at ln a: the marginal likelihood with b at its maximum,
 * by Newton in ln b from *lb (left at the maximum), to a few digits (a
 * bound needs no more).  The last step is not evaluated: the value after
 * it is L + g s / 2 to third order in s.  *dp is the profile's slope in
 * ln a (the likelihood's partial derivative in ln a, b at its maximum)
 * and *slb the maximum's own, d ln b / d ln a, where the next point's
 * search starts. */
struct eb_prof {
	double p, dp, slb;
};

static void eb_profile(const struct ebdata *d, double la, double *lb, struct eb_prof *v)
{
	double g[2], h[3], L = 0.0, step = 0.0;
	int it;

	for (it = 0; it < 30; it++) {
		L = eb_eval(d, la, *lb, g, h);
		step = h[2] < 0.0 ? -g[1] / h[2] : (g[1] > 0.0 ? 0.5 : -0.5);
		if (step > 2.0)
			step = 2.0;
		else if (step < -2.0)
			step = -2.0;
		*lb += step;
		if (fabs(step) < 1e-5)
			break;
	}
	v->p = L + 0.5 * g[1] * step;
	v->dp = g[0] + h[1] * step;
	v->slb = h[2] < 0.0 ? -h[1] / h[2] : 1.0;
}

/* A bound needs ln a to within this (a to 1 %). */
#define EB_BOUND_TOL 0.01

/* The maximum the bounds are sought from: ln a and ln b, the profile's
 * curvature in ln a there (b following its maximum; NAN when not
 * concave) and d ln b / d ln a along that maximum. */
struct eb_mode {
	double la, lb, curv, slb;
};

/* The end of the interval between the maximum m and `end` (ln a): where
 * the profile falls to `target`, `drop` below the maximum.  Newton's
 * method on the profile with its slope, from where the profile's
 * quadratic approximation at m falls by drop, kept inside a bracket that
 * shrinks with every evaluation (bisection when a step leaves it), to
 * within EB_BOUND_TOL.  The end itself when the profile never falls that
 * far, or falls that far only within EB_BOUND_TOL of the end.  (Bisection
 * to a bracket of 0.05 took four times the evaluations.) */
static double eb_bound(const struct ebdata *d, const struct eb_mode *m, double end,
                       double target, double drop)
{
	double in = m->la, out = end, lbx = m->lb + (end - m->la) * m->slb, x, next = end;
	struct eb_prof v;
	int k;

	eb_profile(d, end, &lbx, &v);
	if (v.p >= target)
		return end;
	x = m->la + (end > m->la ? 1.0 : -1.0) * sqrt(2.0 * drop / -m->curv);
	if (!((x - in) * (out - x) > 0.0))
		x = 0.5 * (in + out);
	lbx = m->lb + (x - m->la) * m->slb;
	for (k = 0; k < 40; k++) {
		double f;
		eb_profile(d, x, &lbx, &v);
		f = v.p - target;
		if (f >= 0.0)
			in = x;
		else
			out = x;
		next = v.dp != 0.0 ? x - f / v.dp : NAN;
		if (!((next - in) * (out - next) > 0.0))
			next = 0.5 * (in + out);
		if (fabs(next - x) < EB_BOUND_TOL || fabs(out - in) < EB_BOUND_TOL)
			break;
		lbx += (next - x) * v.slb;
		x = next;
	}
	return out == end && fabs(end - next) < EB_BOUND_TOL ? end : next;
}

void pi_scale_cv(const int *r, const double *S, size_t n, double a, double b, double beta,
                 double conf, double *cv, struct predict_bounds *cb)
{
	struct ebdata d;
	struct eb_mode m;
	double la = log(a), lb = log(b), target, drop, g[2], h[3];
	int rmax = 0;
	size_t i;

	*cv = cb->lo = cb->hi = NAN;
	if (!(beta > 0.0) || !(a > 0.0) || !(b > 0.0))
		return;
	*cv = cv_of(a, beta);
	for (i = 0; i < n; i++)
		if (r[i] > rmax)
			rmax = r[i];
	d.r = r;
	d.S = S;
	d.n = n;
	d.rmax = rmax;
	d.ngt = eb_count_above(r, n, rmax);
	if (!d.ngt && rmax > 0)
		return;
	drop = 0.5 * pi_chi2_quantile(conf, 1.0);
	target = eb_eval(&d, la, lb, g, h) - drop;
	m.la = la;
	m.lb = lb;
	m.curv = h[2] < 0.0 && h[0] - h[1] * h[1] / h[2] < 0.0 ? h[0] - h[1] * h[1] / h[2] : NAN;
	m.slb = h[2] < 0.0 ? -h[1] / h[2] : 1.0;
	/* A larger a is less variation. */
	cb->lo = cv_of(exp(eb_bound(&d, &m, log(PI_EB_A_MAX), target, drop)), beta);
	cb->hi = cv_of(exp(eb_bound(&d, &m, log(PI_EB_A_MIN), target, drop)), beta);
	free((void *)d.ngt);
}
