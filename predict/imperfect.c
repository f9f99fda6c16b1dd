/*
 * imperfect.c - imperfect repair in the ranking: Kijima's generalized
 * renewal process (grp.c) competes, class by class, with renewal and
 * minimal repair, its two ends (repair.c).
 *
 * On the class's systems (repair.c's windows, with every failure since a
 * system's start to set its virtual age) and for a restoration factor q,
 * the Weibull intensity of the virtual age is fitted as grp.c does, and
 * each unit's rate gets the class's gamma prior by empirical Bayes on its
 * failures r_i and exposure S_i = sum (v_e^beta - v_b^beta) over its
 * intervals of virtual age, exactly as minimal repair does.  What decides
 * is the log marginal likelihood (the units' rates integrated out: without
 * the frailty, units that differ look repaired), and q costs one more
 * parameter than either end: imperfect repair must beat the better end,
 * penalised as repair.c compares the ends, by more than 1 (AIC's price of
 * a parameter).  The simpler model wins ties.
 *
 * q is only identifiable from failures that follow a repair of the same
 * system (the first failure after a renewal has the same likelihood at
 * every q), so a class needs min_fail of those.  Each type is first
 * fitted at q = 1/2, and q is searched (Brent's method over [0, 1] from
 * there, to within IMP_TOL) only when one of them already wins: an optimum
 * so near an end that q = 1/2 does not beat that end gains little over it,
 * and the classes where an end wins cost two fits (with Newton started at
 * the power law's beta, later at the type's last fit).  A class of more
 * than IMP_SAMPLE units searches q on a systematic sample of its units and
 * is fitted once more, in full, at the q found.
 *
 * p then comes from the virtual age v now: p = 1 - (1 + D / B)^-A with
 * D = (v + H)^beta - v^beta, through the same plant-model fields as
 * minimal repair (pfail.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "predict_int.h"

#define IMP_TOL 0.02             /* q to within this */
#define IMP_SAMPLE 1000          /* units: a larger class searches q on a sample */

/* One fit: type, q and what follows from them. */
struct imp_fit {
	enum predict_kijima type;
	double q, M;
	struct pi_plp f;
	double a, b;
};

struct imp_ctx {
	const struct pi_rsys *y;
	struct pi_grp_sys g;
	struct pi_grp_work w;
	size_t nu;
	double conf, beta0[2];   /* per type: Newton starts at the last fit's beta */
	double a0;               /* and the empirical-Bayes fit at the last one's a */
	double *S;
	int *r;
	/* The best fit's exposures, failures and virtual ages now, kept as it
	 * is found (evaluating it again would cost a whole fit). */
	double *bS, *bvend;
	int *br;
	int oom;
};

/* Failures that follow an earlier failure of the same system, counted. */
static size_t repeats(const struct pi_rsys *y)
{
	size_t k, j, n = 0;

	for (k = 0; k < y->nw; k++)
		for (j = y->wf0[k] + 1; j < y->wf0[k + 1]; j++)
			n += y->fa[j] > y->s0[k];
	return n;
}

/* The units' failures and exposures over their intervals at the fit (each
 * interval's as the fit left it). */
static void imp_exposures(struct imp_ctx *x)
{
	const struct pi_rsys *y = x->y;
	size_t i, k, j;

	for (i = 0; i < x->nu; i++) {
		double S = 0.0;
		int r = 0;
		for (k = y->w0[i]; k < y->w0[i] + y->nwu[i]; k++) {
			r += x->w.wn[k];
			for (j = x->w.iv0[k]; j < x->w.iv0[k + 1]; j++)
				S += x->w.pw[j];
		}
		x->S[i] = S;
		x->r[i] = r;
	}
}

/* The log marginal likelihood at (type, q); -INFINITY without one. */
static double imp_eval(struct imp_ctx *x, enum predict_kijima type, double q, struct imp_fit *o)
{
	int rc;

	o->type = type;
	o->q = q;
	o->M = -INFINITY;
	if (pi_grp_eval(&x->g, type, q, x->beta0[type == PREDICT_KIJIMA_II], x->conf, &x->w,
	                &o->f) != WR_OK) {
		x->oom = 1;
		return o->M;
	}
	if (!o->f.ok)
		return o->M;
	x->beta0[type == PREDICT_KIJIMA_II] = o->f.beta;
	imp_exposures(x);
	rc = pi_eb_fit_from(x->r, x->S, x->nu, x->a0, &o->a, &o->b);
	if (rc == WR_ENOMEM)
		x->oom = 1;
	if (rc)
		return o->M;
	x->a0 = o->a;
	o->M = o->f.n * (log(o->f.beta) - log(o->f.scale)) + (o->f.beta - 1.0) * o->f.sum_lx +
	       pi_eb_marginal(x->r, x->S, x->nu, o->a, o->b);
	return o->M;
}

/* Keeps the fit just evaluated as the best one. */
static void imp_keep(struct imp_ctx *x, const struct imp_fit *f, struct imp_fit *best)
{
	*best = *f;
	memcpy(x->bS, x->S, x->nu * sizeof *x->bS);
	memcpy(x->br, x->r, x->nu * sizeof *x->br);
	memcpy(x->bvend, x->w.vend, x->y->nw * sizeof *x->bvend);
}

/* The next q of Brent's search for the maximum (parabolic interpolation
 * through the best three points when it falls well inside [lo, hi] and
 * shrinks the step, else golden section); d and e are its last two steps. */
static double imp_next(double lo, double hi, double q, double fq, double w, double fw, double v,
                       double fv, double *d, double *e)
{
	const double cg = 0.5 * (3.0 - sqrt(5.0)), tol = 0.25 * IMP_TOL;
	double xm = 0.5 * (lo + hi), p = 0.0, r = 0.0, t = 0.0, last = *e;
	int parabola = fabs(last) > tol && isfinite(fq) && isfinite(fw) && isfinite(fv);

	if (parabola) {
		r = (q - w) * (fq - fv);
		t = (q - v) * (fq - fw);
		p = (q - v) * t - (q - w) * r;
		t = 2.0 * (t - r);
		if (t < 0.0)
			p = -p;
		t = fabs(t);
		parabola = fabs(p) < fabs(0.5 * t * last) && p > t * (lo - q) && p < t * (hi - q);
	}
	if (parabola) {
		*e = *d;
		*d = p / t;
		if (q + *d - lo < 2.0 * tol || hi - (q + *d) < 2.0 * tol)
			*d = xm >= q ? tol : -tol;
	} else {
		*e = q >= xm ? lo - q : hi - q;
		*d = cg * *e;
	}
	return fabs(*d) >= tol ? q + *d : q + (*d > 0.0 ? tol : -tol);
}

/* Brent's search for the maximum over q in [0, 1] for the type of *best,
 * from its fit at best->q, to within IMP_TOL; *best improves in place.
 * (Golden section alone took half as many fits again.) */
static void imp_refine(struct imp_ctx *x, struct imp_fit *best)
{
	const double tol = 0.25 * IMP_TOL;
	double lo = 0.0, hi = 1.0, q = best->q, w = q, v = q, fq = best->M, fw = fq, fv = fq;
	double d = 0.0, e = 0.0;
	struct imp_fit fu;
	int k;

	for (k = 0; k < 50 && !x->oom; k++) {
		double u, xm = 0.5 * (lo + hi);
		if (fabs(q - xm) <= 2.0 * tol - 0.5 * (hi - lo))
			break;
		u = imp_next(lo, hi, q, fq, w, fw, v, fv, &d, &e);
		imp_eval(x, best->type, u, &fu);
		if (fu.M >= fq) {
			if (u >= q)
				lo = q;
			else
				hi = q;
			v = w;
			fv = fw;
			w = q;
			fw = fq;
			q = u;
			fq = fu.M;
			if (fu.M > best->M)
				imp_keep(x, &fu, best);
		} else {
			if (u < q)
				lo = u;
			else
				hi = u;
			if (fu.M >= fw || w == q) {
				v = w;
				fv = fw;
				w = u;
				fw = fu.M;
			} else if (fu.M >= fv || v == q || v == w) {
				v = u;
				fv = fu.M;
			}
		}
	}
}

/* Both types at q = 1/2, then the better one's search when it beats
 * `beat`. */
static void imp_search(struct imp_ctx *x, double beat, struct imp_fit *best)
{
	struct imp_fit t;
	int type;

	best->M = -INFINITY;
	for (type = PREDICT_KIJIMA_I; type <= PREDICT_KIJIMA_II; type++)
		if (imp_eval(x, (enum predict_kijima)type, 0.5, &t) > best->M)
			imp_keep(x, &t, best);
	if (!(best->M > beat) || x->oom)
		return;
	imp_refine(x, best);
}

/* The class's units take the fit: virtual age now, posterior rate. */
static void imp_units(const struct imp_ctx *x, const size_t *units, const struct imp_fit *b,
                      struct predict_class *pc, struct pi_plant *pl, size_t c)
{
	const struct pi_rsys *y = x->y;
	size_t i;

	pi_scale_cv(x->br, x->bS, x->nu, b->a, b->b, b->f.beta, x->conf, &pc->scale_cv,
	            &pc->scale_cv_b);

	pl->c[c].mr_beta = b->f.beta;
	pl->c[c].mr_tref = b->f.scale;
	pl->c[c].q = b->q;
	pl->c[c].kijima = b->type;
	for (i = 0; i < x->nu; i++) {
		struct pi_punit *pu = &pl->u[units[i]];
		size_t k = y->w0[i] + y->nwu[i] - 1;
		pu->mr = 1;
		/* The current system is the unit's last window, unless it had
		 * none (ranked before history_start): then its age as it is. */
		pu->sys_age = y->sys_age[i];
		if (isfinite(y->sys_age[i]) && y->nwu[i] > 0 && y->s1[k] == y->sys_age[i])
			pu->sys_age = x->bvend[k];
		pu->mA = b->a + x->br[i];
		pu->mB = b->b + x->bS[i];
	}
}

static void imp_report(const struct imp_fit *b, struct predict_class *pc, double *loglik)
{
	pc->process = PREDICT_PROCESS_IMPERFECT_REPAIR;
	pc->model = b->type == PREDICT_KIJIMA_II ? PREDICT_MODEL_KIJIMA_II : PREDICT_MODEL_KIJIMA_I;
	pc->repair_kijima = b->type;
	pc->repair_q = b->q;
	pc->repair_beta = b->f.beta;
	pc->repair_beta_b.lo = pc->repair_beta_b.hi = NAN;
	*loglik = b->f.loglik;
}

/* The context for the systems y of nu units; S is nu doubles of the
 * caller's, or NULL to allocate them.  WR_OK or WR_ENOMEM. */
static int imp_open(struct imp_ctx *x, const struct pi_rsys *y, size_t nu, double *S,
                    const struct pi_imperfect_in *in)
{
	memset(x, 0, sizeof *x);
	x->y = y;
	x->g.fa = y->fa;
	x->g.wf0 = y->wf0;
	x->g.s0 = y->s0;
	x->g.s1 = y->s1;
	x->g.nw = y->nw;
	x->nu = nu;
	x->conf = in->conf;
	x->beta0[0] = x->beta0[1] = in->beta0;
	x->a0 = isfinite(in->a0) && in->a0 > 0.0 ? in->a0 : 1.0;
	x->r = malloc(2 * (nu + 1) * sizeof *x->r);
	x->bS = malloc((2 * nu + y->nw + 1) * sizeof *x->bS);
	if (!x->r || !x->bS || pi_grp_work_alloc(&x->w, y->nfa, y->nw) != WR_OK)
		return WR_ENOMEM;
	x->br = x->r + nu + 1;
	x->bvend = x->bS + nu;
	x->S = S ? S : x->bvend + y->nw;
	return WR_OK;
}

static void imp_close(struct imp_ctx *x)
{
	pi_grp_work_free(&x->w);
	free(x->r);
	free(x->bS);
}

/* Every step-th unit's systems out of y into *s (memory in *mem, to
 * free): windows, their failures, and per unit its windows.  WR_OK or
 * WR_ENOMEM. */
static int imp_sample(const struct pi_rsys *y, size_t nu, size_t step, struct pi_rsys *s,
                      void **mem)
{
	size_t i, k, j, nw = 0, nfa = 0, ns = (nu + step - 1) / step;
	char *m;

	for (i = 0; i < nu; i += step)
		for (k = y->w0[i]; k < y->w0[i] + y->nwu[i]; k++) {
			nw++;
			nfa += y->wf0[k + 1] - y->wf0[k];
		}
	memset(s, 0, sizeof *s);
	*mem = m = malloc((nfa + 2 * nw + 1) * sizeof(double) + (2 * ns + nw + 1) * sizeof(size_t));
	if (!m)
		return WR_ENOMEM;
	s->fa = (double *)(void *)m;
	s->s0 = s->fa + nfa;
	s->s1 = s->s0 + nw;
	s->w0 = (size_t *)(void *)(s->s1 + nw);
	s->nwu = s->w0 + ns;
	s->wf0 = s->nwu + ns;
	s->wf0[0] = 0;
	for (i = 0; i < nu; i += step) {
		s->w0[i / step] = s->nw;
		s->nwu[i / step] = y->nwu[i];
		for (k = y->w0[i]; k < y->w0[i] + y->nwu[i]; k++) {
			s->s0[s->nw] = y->s0[k];
			s->s1[s->nw] = y->s1[k];
			for (j = y->wf0[k]; j < y->wf0[k + 1]; j++)
				s->fa[s->nfa++] = y->fa[j];
			s->wf0[++s->nw] = s->nfa;
		}
	}
	return WR_OK;
}

/* For a class of more than IMP_SAMPLE units, the search of q (after both
 * types at q = 1/2 on all units, as for any class) runs on a systematic
 * sample of about IMP_SAMPLE of them (every k-th unit; q's standard error
 * is already small there), and all units are fitted once more at the q it
 * found; the better of the two full fits is kept.  The search's fits then
 * cost a tenth of what they would on 20,000 units.  WR_OK or WR_ENOMEM. */
static int imp_search_sampled(struct imp_ctx *x, const struct pi_imperfect_in *in,
                              struct imp_fit *best)
{
	size_t step = (in->nu + IMP_SAMPLE - 1) / IMP_SAMPLE;
	struct pi_rsys ys;
	struct imp_ctx xs;
	struct imp_fit sb, f;
	void *mem = NULL;
	int rc = WR_OK, type;

	best->M = -INFINITY;
	for (type = PREDICT_KIJIMA_I; type <= PREDICT_KIJIMA_II; type++)
		if (imp_eval(x, (enum predict_kijima)type, 0.5, &f) > best->M)
			imp_keep(x, &f, best);
	if (!(best->M > in->beat) || x->oom)
		return WR_OK;
	memset(&xs, 0, sizeof xs);
	rc = imp_sample(in->y, in->nu, step, &ys, &mem);
	if (rc == WR_OK)
		rc = imp_open(&xs, &ys, (in->nu + step - 1) / step, NULL, in);
	if (rc == WR_OK) {
		imp_eval(&xs, best->type, 0.5, &sb);
		imp_refine(&xs, &sb);
		rc = xs.oom ? WR_ENOMEM : WR_OK;
		if (rc == WR_OK && sb.q != 0.5 && imp_eval(x, sb.type, sb.q, &f) > best->M)
			imp_keep(x, &f, best);
	}
	imp_close(&xs);
	free(mem);
	return rc;
}

int pi_imperfect_marginal(const struct pi_rsys *y, size_t nu, enum predict_kijima type, double q,
                          double *M, double *loglik)
{
	struct pi_imperfect_in in;
	struct imp_ctx x;
	struct imp_fit f;
	int rc;

	memset(&in, 0, sizeof in);
	in.conf = PREDICT_CONF_DEFAULT;
	in.a0 = 1.0;
	*M = *loglik = -INFINITY;
	rc = imp_open(&x, y, nu, NULL, &in);
	if (rc == WR_OK) {
		*M = imp_eval(&x, type, q, &f);
		if (isfinite(*M))
			*loglik = f.f.loglik;
		rc = x.oom ? WR_ENOMEM : WR_OK;
	}
	imp_close(&x);
	return rc;
}

int pi_imperfect_class(const struct pi_imperfect_in *in, struct predict_class *pc,
                       double *loglik, struct pi_plant *pl)
{
	struct imp_ctx x;
	struct imp_fit best;
	int rc;

	pc->marginal_imperfect = NAN;
	if (repeats(in->y) < in->min_fail)
		return WR_OK;
	rc = imp_open(&x, in->y, in->nu, in->scratch, in);
	if (rc == WR_OK && in->nu > IMP_SAMPLE)
		rc = imp_search_sampled(&x, in, &best);
	else if (rc == WR_OK)
		imp_search(&x, in->beat, &best);
	if (rc == WR_OK && x.oom)
		rc = WR_ENOMEM;
	if (rc == WR_OK && isfinite(best.M)) {
		pc->marginal_imperfect = best.M;
		if (best.M > in->beat) {
			imp_units(&x, in->units, &best, pc, pl, in->c);
			imp_report(&best, pc, loglik);
		}
	}
	imp_close(&x);
	return rc;
}
