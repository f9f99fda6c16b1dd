/*
 * rank.c - predict_rank(): every in-service unit's risk of failing within
 * the horizon, with the advice that goes with it.
 *
 * The model, in the order the code runs (predict/README.md has the why):
 *  1. Lives of every unit as of T (lives.c), retired units included: their
 *     history still tells about the class.
 *  2. Units are grouped by class.  The class shape beta is the MLE on the
 *     pooled lives of the class (one common eta).  A class with fewer than
 *     min_class_failures failures, or without a finite MLE, borrows the
 *     shape pooled over all classes (stratified by class, each with its own
 *     eta); if that fails too, beta = 1.  A shape fixed by the user wins.
 *  3. With beta fixed, each unit's theta = eta^beta gets the class's
 *     inverse-gamma prior fitted by empirical Bayes (eb.c) and the posterior
 *     IG(a + r_i, b + S_i), where S_i sums t^beta over the unit's lives, the
 *     running one included (it is a suspension).
 *  4. The failure probability within the horizon integrates over that
 *     posterior.  Given theta, P(fail in (age, age + H] | alive at age) is
 *     1 - exp(-D / theta) with D = (age + H)^beta - age^beta; with
 *     1/theta ~ Gamma(A, rate B) the expectation is closed form:
 *         p = 1 - (1 + D / B)^-A.
 *     The unit's eta is (B / A)^(1/beta), the posterior mean of the rate
 *     1/theta turned back into a scale: that mean always exists, and for a
 *     short horizon p is linear in the rate.
 *  3b. Unless the Weibull hazard was asked for, the piecewise-constant class
 *     hazards of hazard.c compete with the Weibull shapes on AIC of the log
 *     marginal likelihoods (the units' frailty integrated out; the class
 *     shapes are then fitted with it, frailty.c).  When they win, p comes
 *     from them instead:
 *     the same empirical Bayes on each unit's multiplier of its class's
 *     cumulative hazard Lambda_c, and p = 1 - (1 + D / B)^-A with
 *     D = Lambda_c(age + H) - Lambda_c(age).  The Weibull numbers (beta, eta,
 *     MTBF, B10, age replacement) still describe each unit.
 *
 * All t^beta are computed as (t / t_ref)^beta with t_ref the class's
 * longest life, so nothing overflows whatever the time unit.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "predict_int.h"

void predict_opts_init(struct predict_opts *o)
{
	memset(o, 0, sizeof *o);
	o->horizon = PREDICT_HORIZON_DEFAULT;
	o->conf = PREDICT_CONF_DEFAULT;
	o->min_class_failures = PREDICT_MIN_CLASS_FAILURES;
	o->history_start = NAN;
}

const char *predict_hazard_str(enum predict_hazard h)
{
	switch (h) {
	case PREDICT_HAZARD_PIECEWISE: return "piecewise";
	case PREDICT_HAZARD_WEIBULL: return "weibull";
	}
	return "unknown";
}

const char *predict_beta_meaning_str(enum predict_beta_meaning m)
{
	switch (m) {
	case PREDICT_BETA_UNKNOWN: return "assumed";
	case PREDICT_BETA_INFANT: return "infant mortality";
	case PREDICT_BETA_RANDOM: return "random";
	case PREDICT_BETA_WEAROUT: return "wear-out";
	}
	return "unknown";
}

/* Per-unit working state. */
struct uwork {
	size_t l0, nl;       /* lives[l0 .. l0+nl) */
	double age;          /* NAN: no renewal known before T */
	int r;               /* failures */
	double obs;          /* time under observation */
	size_t cls;
};

/* Class names, for grouping units by class: the first unit of each, in
 * name order. */
struct cname {
	const char *cls;
	size_t first;
};

static int cname_cmp(const void *pa, const void *pb)
{
	const struct cname *a = pa, *b = pb;

	return strncmp(a->cls, b->cls, sizeof ((struct ld_unit *)0)->cls);
}

/* A scored unit before its item is written.  Items are large, so the
 * ranking sorts these small keys and writes each item once, in order. */
struct ikey {
	double p;            /* P(fail), from the plant model (pfail.c) */
	const char *tag;
	size_t unit;
};

static int ikey_cmp(const void *pa, const void *pb)
{
	const struct ikey *a = pa, *b = pb;
	int c;

	if (a->p > b->p)
		return -1;
	if (a->p < b->p)
		return 1;
	c = strncmp(a->tag, b->tag, sizeof ((struct predict_item *)0)->tag);
	if (c)
		return c;
	return a->unit < b->unit ? -1 : a->unit > b->unit;
}

/* What step 3 leaves for step 4 about a class. */
struct cwork {
	double tref;         /* times are scaled by this */
	double a, b;         /* the prior, b in units of tref^beta */
	double G;            /* Gamma(1 + 1/beta) */
	double loglik;       /* of the class's Weibull, frailty aside (see weibull_aic) */
	double marginal;     /* the same with the units' gamma prior integrated out */
	int cv;              /* the variation is to be computed under this prior */
	struct predict_agerep ar1;  /* age replacement for eta = 1 */
};

static enum predict_beta_meaning meaning_of(enum predict_method m, double beta,
                                            const struct predict_bounds *b)
{
	switch (m) {
	case PREDICT_M_EXPONENTIAL:
	case PREDICT_M_NONE:
		return PREDICT_BETA_UNKNOWN;
	case PREDICT_M_FIXED:
	case PREDICT_M_WEIBAYES:
		return beta < 1.0 ? PREDICT_BETA_INFANT : beta > 1.0 ? PREDICT_BETA_WEAROUT
		                                                      : PREDICT_BETA_RANDOM;
	default:
		break;
	}
	if (!isfinite(b->lo) || !isfinite(b->hi))
		return PREDICT_BETA_UNKNOWN;
	if (b->hi < 1.0)
		return PREDICT_BETA_INFANT;
	if (b->lo > 1.0)
		return PREDICT_BETA_WEAROUT;
	return PREDICT_BETA_RANDOM;
}

static void copy_name(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

/* The shape pooled over all classes, fitted on first use: most rankings
 * never need it, and it costs a pass over every life. */
static int global_shape(const struct predict_opts *o, const double *ct, const int *cf,
                        const size_t *cs, struct predict_ranking *out, int *done,
                        struct predict_bounds *gb, double *gfail, struct wr_err *e)
{
	struct pi_shape g;
	int rc;

	if (*done)
		return WR_OK;
	*done = 1;
	rc = pi_shape_strata(ct, cf, cs, out->nclasses, &g);
	if (rc)
		return wr_fail(e, rc, "out of memory fitting the pooled shape");
	out->global_status = g.status;
	out->global_beta = g.beta;
	*gfail = g.failures;
	if (g.status == PREDICT_OK) {
		double z = pi_conf_z(o->conf);
		gb->lo = g.beta * exp(-z * sqrt(g.v_logbeta));
		gb->hi = g.beta * exp(z * sqrt(g.v_logbeta));
	}
	return WR_OK;
}

/* Whether the user fixed class c's shape (then it is set). */
static int shape_fixed(const struct predict_opts *o, struct predict_class *pc)
{
	size_t k;
	int fixed = 0;

	for (k = 0; k < o->nfixed; k++) {
		if (o->fixed[k].cls && strcmp(o->fixed[k].cls, pc->cls) == 0 &&
		    o->fixed[k].beta > 0.0) {
			pc->method = PREDICT_M_FIXED;
			pc->beta = o->fixed[k].beta;
			pc->status = PREDICT_OK;
			fixed = 1;
		}
	}
	return fixed;
}

/* Each class's own MLE, a job of pi_pool_run (rc[c] WR_ENOMEM when out of
 * memory). */
struct mle_jobs {
	const double *ct;
	const int *cf;
	const size_t *cs;
	struct pi_mle *m;
	int *rc;
};

static void mle_job(void *ctx, size_t c, unsigned worker)
{
	struct mle_jobs *j = ctx;

	(void)worker;
	j->rc[c] = pi_mle(j->ct + j->cs[c], j->cf + j->cs[c], NULL, j->cs[c + 1] - j->cs[c],
	                  &j->m[c]);
}

/* Step 2: the shape of each class, the classes' own MLEs on the pool. */
static int class_shapes(const struct predict_opts *o, const double *ct, const int *cf,
                        const size_t *cs, struct predict_ranking *out, struct wr_err *e)
{
	struct predict_bounds gb = {NAN, NAN};
	struct mle_jobs j;
	double gfail = 0.0;
	size_t c, n = out->nclasses;
	int rc = WR_OK, gdone = 0;

	out->global_status = PREDICT_EMPTY;
	j.ct = ct;
	j.cf = cf;
	j.cs = cs;
	j.m = malloc(n * sizeof *j.m);
	j.rc = malloc(n * sizeof *j.rc);
	if (!j.m || !j.rc) {
		rc = wr_fail(e, WR_ENOMEM, "out of memory fitting %zu classes", n);
		goto done;
	}
	pi_pool_run(n, NULL, pi_pool_threads(o->threads, n), mle_job, &j);
	for (c = 0; c < n && rc == WR_OK; c++) {
		struct predict_class *pc = &out->classes[c];
		const struct pi_mle *m = &j.m[c];

		if (shape_fixed(o, pc))
			goto meaning;
		if (j.rc[c]) {
			rc = wr_fail(e, j.rc[c], "out of memory fitting class %s", pc->cls);
			break;
		}
		pc->status = m->status;
		if (m->status == PREDICT_OK && m->r >= (double)o->min_class_failures) {
			pc->method = PREDICT_M_CLASS;
			pc->beta = m->beta;
			pi_beta_bounds(m->beta, m->v_s, o->conf, &pc->beta_b);
			goto meaning;
		}
		rc = global_shape(o, ct, cf, cs, out, &gdone, &gb, &gfail, e);
		if (rc)
			break;
		if (out->global_status == PREDICT_OK && gfail >= (double)o->min_class_failures) {
			pc->method = PREDICT_M_GLOBAL;
			pc->beta = out->global_beta;
			pc->beta_b = gb;
		} else {
			pc->method = PREDICT_M_EXPONENTIAL;
			pc->beta = 1.0;
		}
meaning:
		pc->meaning = meaning_of(pc->method, pc->beta, &pc->beta_b);
	}
done:
	free(j.m);
	free(j.rc);
	return rc;
}

/* The class's shape from a frailty fit, with bounds from the variance of
 * ln beta. */
static void set_frailty_beta(struct predict_class *pc, enum predict_method m, double beta,
                             double v_logbeta, double conf)
{
	double z = pi_conf_z(conf), sd = sqrt(v_logbeta);

	pc->beta = beta;
	pc->beta_b.lo = isfinite(sd) ? beta * exp(-z * sd) : NAN;
	pc->beta_b.hi = isfinite(sd) ? beta * exp(z * sd) : NAN;
	pc->method = m;
	pc->meaning = meaning_of(pc->method, pc->beta, &pc->beta_b);
}

/* The log-normal frailty (frailty_ln.c), tried only where the gamma fit f
 * found the rates' CV 1/sqrt(a) above 1: below that the two priors agree
 * to second order in the spread and the fit would cost large classes of
 * alike units for nothing.  The higher marginal likelihood gives the
 * shape (both have beta and two frailty parameters), and the units'
 * posteriors then have that prior too (pcl, for pfail.c). */
static int lognormal_beta(const struct pi_frailty_in *in, const struct pi_frailty *f,
                          double conf, struct predict_class *pc, struct pi_pclass *pcl)
{
	struct pi_frailty_ln g;
	double s0, z, sd;
	int rc;

	if (!(f->a < 1.0) || !(f->b > 0.0))
		return WR_OK;
	/* From the log-normal with the gamma's mean rate and spread of ln rate. */
	s0 = sqrt(pi_trigamma(f->a));
	rc = pi_frailty_ln_shape(in, f->beta, log(f->a / f->b) - 0.5 * s0 * s0, s0, &g);
	if (rc != WR_OK || !g.ok)
		return rc;
	pc->marginal_lognormal = g.marginal;
	if (!(g.marginal > f->marginal))
		return WR_OK;
	set_frailty_beta(pc, PREDICT_M_FRAILTY_LN, g.beta, g.v_logbeta, conf);
	pc->frailty_dist = PREDICT_FRAILTY_LOGNORMAL;
	z = pi_conf_z(conf);
	sd = sqrt(g.v_logsigma);
	pc->frailty_sigma = g.sigma;
	pc->frailty_sigma_b.lo = isfinite(sd) ? g.sigma * exp(-z * sd) : NAN;
	pc->frailty_sigma_b.hi = isfinite(sd) ? g.sigma * exp(z * sd) : NAN;
	pcl->ln = 1;
	pcl->mu = g.mu;
	pcl->sigma = g.sigma;
	return WR_OK;
}

/* Step 2b (predict_opts.frailty): the class shape with the units' frailty
 * in the model (frailty.c) in place of the pooled MLE.  S holds nu
 * doubles; ir nu ints; *a0 is where the empirical-Bayes fits start, and is
 * left at the last one's a; pcl takes a log-normal prior that wins. */
static int frailty_beta(const size_t *units, size_t nu, const struct uwork *uw,
                        const struct predict_life *lives, double tref, double conf, double *S,
                        int *ir, struct predict_class *pc, struct pi_pclass *pcl, double *a0)
{
	struct pi_frailty_in in;
	struct pi_frailty f;
	size_t *l0 = malloc(2 * nu * sizeof *l0), i;
	double *D = malloc(nu * sizeof *D);
	int rc = WR_ENOMEM;

	if (l0 && D) {
		for (i = 0; i < nu; i++) {
			l0[i] = uw[units[i]].l0;
			l0[nu + i] = uw[units[i]].nl;
			ir[i] = uw[units[i]].r;
		}
		in.lives = lives;
		in.l0 = l0;
		in.nl = l0 + nu;
		in.r = ir;
		in.nu = nu;
		in.tref = tref;
		in.S = S;
		in.D = D;
		in.a0 = a0;
		rc = pi_frailty_shape(&in, pc->beta, &f);
		if (rc == WR_OK && f.ok) {
			pc->marginal_gamma = f.marginal;
			set_frailty_beta(pc, PREDICT_M_FRAILTY, f.beta, f.v_logbeta, conf);
			rc = lognormal_beta(&in, &f, conf, pc, pcl);
		}
	}
	free(l0);
	free(D);
	return rc;
}

/* The class's longest life: times are scaled by it. */
static double class_tref(const size_t *units, size_t nu, const struct uwork *uw,
                         const struct predict_life *lives)
{
	double tref = 0.0;
	size_t i, j;

	for (i = 0; i < nu; i++) {
		const struct uwork *w = &uw[units[i]];
		for (j = 0; j < w->nl; j++)
			if (lives[w->l0 + j].t > tref)
				tref = lives[w->l0 + j].t;
	}
	return tref > 0.0 ? tref : 1.0;
}

/* A unit's exposure sum (t / tref)^beta over its lives; *slf gains the
 * scaled ln t of its failures. */
static double unit_exposure(const struct uwork *w, const struct predict_life *lives, double beta,
                            double lt, double *slf)
{
	double S = 0.0;
	size_t j;

	for (j = 0; j < w->nl; j++) {
		const struct predict_life *l = &lives[w->l0 + j];
		double lx = log(l->t) - lt;
		S += exp(beta * lx);
		if (l->failed)
			*slf += lx;
		/* Delayed entry: only the part after the history began is
		 * evidence of survival. */
		if (l->entry > 0.0)
			S -= exp(beta * (log(l->entry) - lt));
	}
	return S;
}

/* Planned replacement at one age (age-based preventive replacement): a
 * class whose units are replaced before they fail at about the same age
 * has at least PLANNED_MIN such suspensions, a fifth of its ended lives or
 * more, and four in five of them within 5 % of their median.  That median,
 * or NAN.  A unit nearing it will be replaced, not fail: its p is its own
 * risk up to that age and the new unit's after it (pfail.c), where the
 * Weibull alone gave the old unit's rising hazard to the end of the
 * horizon (1.5-4.5 times the true p for such units of the simulated
 * plants).  WR_ENOMEM as -1. */
#define PLANNED_MIN 10
static double planned_age(const size_t *units, size_t nu, const struct uwork *uw,
                          const struct predict_life *lives)
{
	size_t i, j, n = 0, ended = 0, near = 0;
	double *s, med = NAN;

	for (i = 0; i < nu; i++)
		for (j = 0; j < uw[units[i]].nl; j++) {
			const struct predict_life *l = &lives[uw[units[i]].l0 + j];
			ended += !l->running;
			n += !l->running && !l->failed;
		}
	if (n < PLANNED_MIN || 5 * n < ended)
		return NAN;
	s = malloc(n * sizeof *s);
	if (!s)
		return -1.0;
	for (i = 0, n = 0; i < nu; i++)
		for (j = 0; j < uw[units[i]].nl; j++) {
			const struct predict_life *l = &lives[uw[units[i]].l0 + j];
			if (!l->running && !l->failed)
				s[n++] = l->t;
		}
	med = pi_kth_smallest(s, n, n / 2);
	for (i = 0; i < n; i++)
		near += fabs(s[i] - med) <= 0.05 * med;
	free(s);
	return 5 * near >= 4 * n ? med : NAN;
}

/* Step 3 for one class: exposures, the prior, and every in-service unit's
 * posterior in the plant model (keys appended at *nk; p comes later). */
static int class_prior(const struct ld_set *s, const struct predict_opts *o, double T,
                       size_t c, const size_t *units, size_t nu, const struct uwork *uw,
                       const struct predict_life *lives, double *scratch, int *ir,
                       struct cwork *cw, struct ikey *keys, size_t *nk,
                       struct predict_ranking *out, struct wr_err *e)
{
	struct pi_plant *pl = out->plant;
	struct predict_class *pc = &out->classes[c];
	double beta = pc->beta, tref, a, b, lt, slf = 0.0, st = 0.0, rt = 0.0, a0 = 1.0;
	size_t i;
	int rc;

	tref = class_tref(units, nu, uw, lives);
	lt = log(tref);
	if ((o->frailty || o->hazard == PREDICT_HAZARD_PIECEWISE) && pc->method == PREDICT_M_CLASS) {
		rc = frailty_beta(units, nu, uw, lives, tref, o->conf, scratch, ir, pc, &pl->c[c],
		                  &a0);
		if (rc)
			return wr_fail(e, rc, "out of memory fitting the shape of class %s", pc->cls);
		beta = pc->beta;
	}
	for (i = 0; i < nu; i++) {
		const struct uwork *w = &uw[units[i]];
		scratch[i] = unit_exposure(w, lives, beta, lt, &slf);
		ir[i] = w->r;
		st += scratch[i];
		rt += w->r;
	}
	/* The class's Weibull log-likelihood at its shape with the scale at
	 * its maximum, theta = st / rt, delayed entry respected; densities per
	 * unit of t (hence - rt ln tref).  A class without failures has its
	 * supremum 0 (theta -> infinity), as under the piecewise hazard. */
	cw->loglik = rt > 0.0 && st > 0.0
	                 ? rt * log(beta) + (beta - 1.0) * slf - rt * log(st / rt) - rt - rt * lt
	                 : 0.0;
	rc = pi_eb_fit_from(ir, scratch, nu, a0, &a, &b);
	if (rc == WR_ENOMEM)
		return wr_fail(e, rc, "out of memory in the empirical Bayes fit");
	if (rc) {
		/* No failure in the class: the WeiBayes convention of one
		 * failure, spread over the class's whole exposure. */
		a = 1.0;
		b = st > 0.0 ? st : 1.0;
		pc->scale_cv = pc->scale_cv_b.lo = pc->scale_cv_b.hi = NAN;
	}
	/* The variation under this prior (pi_scale_cv) waits until the class
	 * is known to stay renewal (prior_job): a repair model that wins has
	 * its own. */
	cw->cv = rc == WR_OK;
	/* With the units' prior integrated out: what renewal is compared
	 * with when minimal repair is tried (repair.c). */
	cw->marginal = rt > 0.0 ? rt * log(beta) + (beta - 1.0) * slf - rt * lt +
	                              pi_eb_marginal(ir, scratch, nu, a, b)
	                        : 0.0;
	pc->eb_a = a;
	pc->eb_b = exp(log(b) + beta * lt);
	pc->eta = tref * exp(log(b / a) / beta);
	cw->tref = tref;
	pl->c[c].beta = beta;
	pl->c[c].tref = tref;
	pl->c[c].planned = planned_age(units, nu, uw, lives);
	if (pl->c[c].planned < 0.0)
		return wr_fail(e, WR_ENOMEM, "out of memory in class %s", pc->cls);
	cw->a = a;
	cw->b = b;
	cw->G = exp(pi_lgamma(1.0 + 1.0 / beta));
	memset(&cw->ar1, 0, sizeof cw->ar1);
	cw->ar1.why = "no costs given";
	/* Age replacement depends on eta only through scale: solve once for
	 * eta = 1 and rescale per unit. */
	if (o->cost_planned > 0.0 && o->cost_failure > 0.0) {
		rc = predict_age_replacement(beta, 1.0, o->cost_planned, o->cost_failure, &cw->ar1, e);
		if (rc)
			return rc;
	}

	for (i = 0; i < nu; i++) {
		size_t u = units[i];
		const struct uwork *w = &uw[u];
		struct pi_punit *pu = &pl->u[u];
		struct ikey *k;
		pu->cls = c;
		if (!s->units[u].in_service || !isfinite(w->age))
			continue;
		k = &keys[(*nk)++];
		/* The horizon in the unit's clock: beyond T the meter is
		 * extrapolated at its last rate, so the span is linear in it. */
		pu->clock = o->op_time ? predict_op_span(s, u, T, T, T + o->horizon) / o->horizon : 1.0;
		pu->age = w->age;
		pu->A = a + w->r;
		pu->B = b + scratch[i];
		pu->r = w->r;
		pu->S = scratch[i];
		k->p = NAN;
		k->tag = s->units[u].tag;
		k->unit = u;
	}
	return WR_OK;
}

/* Step 3c: minimal repair instead of renewal for the class when the data
 * say so (repair.c).  Only in calendar time, for classes with their own
 * shape and enough failures; a shape fixed by the user means renewal. */
static int repair_or_renewal(const struct ld_set *s, const struct predict_opts *o, double T,
                             size_t c, const size_t *units, size_t nu, double *scratch,
                             struct pi_repair_ws *ws, struct cwork *cw,
                             struct predict_ranking *out, struct wr_err *e)
{
	struct predict_class *pc = &out->classes[c];
	struct pi_repair_in in;

	pc->process = PREDICT_PROCESS_RENEWAL;
	pc->repair_beta = pc->loglik_repair = NAN;
	pc->repair_beta_b.lo = pc->repair_beta_b.hi = NAN;
	pc->loglik_renewal = cw->loglik;
	pc->marginal_renewal = pc->marginal_repair = NAN;
	pc->marginal_imperfect = pc->repair_q = NAN;
	pc->repair_kijima = PREDICT_KIJIMA_I;
	if (o->renewal_only || o->op_time || pc->method == PREDICT_M_FIXED ||
	    pc->failures < (double)o->min_class_failures)
		return WR_OK;
	in.ws = ws;
	in.s = s;
	in.T = T;
	in.history_start = isfinite(o->history_start) && o->history_start > 0.0
	                       ? o->history_start : NAN;
	in.conf = o->conf;
	in.marginal = cw->marginal;
	in.a0 = cw->a;
	in.units = units;
	in.nu = nu;
	in.c = c;
	in.scratch = scratch;
	in.min_fail = (size_t)o->min_class_failures;
	return pi_repair_class(&in, pc, &cw->loglik, out->plant, e);
}

/* What the piecewise step needs from predict_rank(). */
struct pwctx {
	const struct uwork *uw;
	const struct predict_life *lives;
	const size_t *order, *units;  /* class c's units: order[units[c] .. units[c+1]) */
};

/* Whether class c's p can come from the piecewise hazard: a renewal class
 * without a shape fixed by the user. */
static int piecewise_may(const struct predict_class *pc)
{
	return pc->method != PREDICT_M_FIXED && pc->process == PREDICT_PROCESS_RENEWAL;
}

/* Empirical Bayes on each unit of class c's multiplier of its class
 * hazard (exposure S_i = sum of Lambda_c over its lives, entry respected;
 * S and ir in class order) into pc->hz_a, hz_b.  Returns the class's log
 * marginal likelihood (failure densities, the multipliers integrated
 * out; 0 without failures), or NAN when out of memory. */
static double piecewise_class(const struct pwctx *x, const struct pi_hz *z, size_t c,
                              double *S, int *ir, struct predict_class *pc)
{
	size_t u0 = x->units[c], nu = x->units[c + 1] - u0, i, j, k;
	double a, b, L = 0.0;
	int rc;

	for (i = u0; i < u0 + nu; i++) {
		const struct uwork *w = &x->uw[x->order[i]];
		double sum = 0.0;
		for (j = 0; j < w->nl; j++) {
			const struct predict_life *l = &x->lives[w->l0 + j];
			sum += pi_hz_cum(z, c, l->t);
			if (l->entry > 0.0)
				sum -= pi_hz_cum(z, c, l->entry);
		}
		S[i] = sum > 0.0 ? sum : 0.0;
		ir[i] = w->r;
	}
	rc = pi_eb_fit(ir + u0, S + u0, nu, &a, &b);
	if (rc == WR_ENOMEM)
		return NAN;
	if (rc) {
		/* No failure in the class: one, spread over its exposure (the
		 * WeiBayes convention). */
		double st = 0.0;
		for (i = u0; i < u0 + nu; i++)
			st += S[i];
		a = 1.0;
		b = st > 0.0 ? st : 1.0;
	} else {
		for (k = 0; k < z->nb; k++)
			if (z->d[c * z->nb + k] > 0.0)
				L += z->d[c * z->nb + k] * log(z->h[c * z->nb + k]);
		L += pi_eb_marginal(ir + u0, S + u0, nu, a, b);
	}
	pc->hz_ratio = z->kappa[c];
	pc->hz_a = a;
	pc->hz_b = b;
	return L;
}

/*
 * The two descriptions of the renewal classes compared, each with the
 * units' variation integrated out (what the empirical Bayes step does
 * anyway): AIC on the log marginal likelihoods.  Weibull: a shape per
 * class fitted on its own (one for the pooled shape if any class borrowed
 * it) and the prior's two parameters per class with failures.  Piecewise:
 * K - 1 shape parameters of the pooled hazard (its level is the prior's),
 * nu when several classes share it, and the prior's two per class.  Left
 * out, the frailty made pooled lives of units that differ look
 * non-Weibull, and the piecewise hazard overfitted small classes.
 */
static void piecewise_aic(const struct predict_ranking *out, const struct cwork *cw,
                          const struct pi_hz *z, const double *Lpw, double *aic_w,
                          double *aic_p)
{
	double Lw = 0.0, Lp = 0.0, kw = 0.0, kp = (double)z->nb - 1.0, nfc = 0.0;
	size_t c;
	int global = 0;

	for (c = 0; c < out->nclasses; c++) {
		const struct predict_class *pc = &out->classes[c];
		if (!piecewise_may(pc) || !(pc->failures > 0.0))
			continue;
		Lw += cw[c].marginal;
		Lp += Lpw[c];
		nfc += 1.0;
		if (pc->method == PREDICT_M_CLASS || pc->method == PREDICT_M_FRAILTY ||
		    pc->method == PREDICT_M_FRAILTY_LN)
			kw += 1.0;
		else if (pc->method == PREDICT_M_GLOBAL)
			global = 1;
	}
	kw += 2.0 * nfc + global;
	/* nu at an end of its range is no parameter: the class shapes are then
	 * the pooled one (or each class's own, which K and kappa count). */
	kp += 2.0 * nfc + (nfc > 1.0 && z->nu > PI_HZ_NU_MIN && z->nu < PI_HZ_NU_MAX);
	*aic_w = -2.0 * Lw + 2.0 * kw;
	*aic_p = -2.0 * Lp + 2.0 * kp;
}

/* The renewal classes' units take the piecewise hazard in the plant
 * model (S and ir as piecewise_class left them). */
static void piecewise_units(const struct pwctx *x, struct predict_ranking *out, const double *S)
{
	struct pi_plant *pl = out->plant;
	size_t c, i;

	for (c = 0; c < out->nclasses; c++) {
		struct predict_class *pc = &out->classes[c];
		if (!piecewise_may(pc))
			continue;
		pc->model = PREDICT_MODEL_PIECEWISE;
		for (i = x->units[c]; i < x->units[c + 1]; i++) {
			struct pi_punit *pu = &pl->u[x->order[i]];
			pu->hz = 1;
			pu->hA = pc->hz_a + x->uw[x->order[i]].r;
			pu->hB = pc->hz_b + S[i];
		}
	}
}

static void piecewise_drop(struct predict_ranking *out)
{
	size_t c;

	for (c = 0; c < out->nclasses; c++)
		out->classes[c].hz_ratio = out->classes[c].hz_a = out->classes[c].hz_b = NAN;
	pi_hz_free(&out->plant->z);
}

/*
 * The piecewise hazard (hazard.c) in place of the Weibull shape for p, when
 * its AIC beats the Weibull's (piecewise_aic): the class hazards, then, as
 * in class_prior(), empirical Bayes on each unit's multiplier of its class
 * hazard, kept in the plant model for p.  Classes with a shape fixed by the
 * user or a repair process keep theirs.  S and ir hold one value per unit
 * (class order), Lpw one per class.
 */
struct piecewise_jobs {
	const struct pwctx *x;
	const struct pi_hz *z;
	double *S, *Lpw;
	int *ir;
	struct predict_ranking *out;
};

/* Class c's empirical Bayes under the piecewise hazard, a job of
 * pi_pool_run (S and ir are in class order: each class has its own
 * stretch). */
static void piecewise_job(void *ctx, size_t c, unsigned worker)
{
	struct piecewise_jobs *j = ctx;

	(void)worker;
	j->Lpw[c] = piecewise_class(j->x, j->z, c, j->S, j->ir, &j->out->classes[c]);
}

/* The pooled hazard's grid and fit, then the class hazards (a job among
 * the classes' in step 3: it reads only the pooled lives): WR_OK or
 * WR_ENOMEM. */
static int hz_fit(const struct pi_hz_in *in, struct pi_hz *z)
{
	int rc = pi_hz_fit(in, PI_HZ_KMAX, z);

	return rc == WR_OK && z->ok ? pi_hz_finish(z) : rc;
}

/* The piecewise hazard's competition with the Weibull, after hz_fit
 * returned hz_rc. */
static int piecewise(const struct pwctx *x, int hz_rc, const struct cwork *cw,
                     unsigned threads, struct predict_ranking *out, double *S, int *ir,
                     double *Lpw, struct wr_err *e)
{
	struct piecewise_jobs j;
	struct pi_hz *z = &out->plant->z;
	size_t c;

	if (hz_rc)
		return wr_fail(e, hz_rc, "out of memory fitting the class hazards");
	if (!z->ok)
		return WR_OK;
	j.x = x;
	j.z = z;
	j.S = S;
	j.ir = ir;
	j.Lpw = Lpw;
	j.out = out;
	pi_pool_run(out->nclasses, NULL, pi_pool_threads(threads, out->nclasses), piecewise_job, &j);
	for (c = 0; c < out->nclasses; c++)
		if (isnan(Lpw[c]))
			return wr_fail(e, WR_ENOMEM, "out of memory in the empirical Bayes fit");
	piecewise_aic(out, cw, z, Lpw, &out->hazard_aic_weibull, &out->hazard_aic_piecewise);
	if (!(out->hazard_aic_piecewise < out->hazard_aic_weibull)) {
		piecewise_drop(out);
		return WR_OK;
	}
	piecewise_units(x, out, S);
	out->hazard = PREDICT_HAZARD_PIECEWISE;
	out->hazard_bins = z->nb;
	out->hazard_nu = z->nu;
	return WR_OK;
}

/* Step 4: the full item for a scored unit.  scratch holds one unit's
 * lives. */
static int fill_item(const struct ld_set *s, const struct predict_opts *o,
                     const struct ikey *k, const struct uwork *w,
                     const struct predict_class *pc, size_t c, const struct cwork *cw,
                     const struct predict_life *lives, const struct pi_plant *pl,
                     double *scratch, struct predict_item *it, struct wr_err *e)
{
	const struct pi_punit *pu = &pl->u[k->unit];
	double beta = pc->beta, eta, cum = 0.0;
	size_t j, nf = 0;
	int rc;

	copy_name(it->tag, s->units[k->unit].tag, sizeof it->tag);
	copy_name(it->cls, s->units[k->unit].cls, sizeof it->cls);
	it->unit = k->unit;
	it->class_index = c;
	it->horizon = o->horizon * pu->clock;
	it->p_fail = k->p;
	/* Renewal: a failure, on average half way through the horizon, starts
	 * a new life that may fail in what is left; minimal repair: the
	 * expected count. */
	it->expected_failures = pi_plant_expected(pl, k->unit, o->horizon, k->p);
	it->process = pc->process;
	it->model = pc->model;
	eta = cw->tref * exp(-log(pi_plant_rate(pl, k->unit)) / beta);
	it->age = w->age;
	it->beta = beta;
	it->eta = eta;
	it->beta_b = pc->beta_b;
	it->meaning = pc->meaning;
	it->method = pc->method;
	it->mtbf = eta * cw->G;
	it->b10 = predict_weibull_blife(beta, eta, 0.10);
	it->failures = w->r;
	it->observed = w->obs;

	/* Trend: failure times counted from the start of observation. */
	for (j = 0; j < w->nl; j++) {
		cum += lives[w->l0 + j].t;
		if (lives[w->l0 + j].failed)
			scratch[nf++] = cum;
	}
	if (nf >= PREDICT_TREND_MIN) {
		rc = predict_trend(scratch, nf, cum, &it->trend, e);
		if (rc)
			return rc;
	} else {
		it->trend.flag = PREDICT_TREND_NA;
		it->trend.n = nf;
		it->trend.laplace_u = it->trend.laplace_p = NAN;
		it->trend.ca_beta = it->trend.ca_lambda = NAN;
		it->trend.ca_chi2 = it->trend.ca_df = it->trend.ca_p = NAN;
	}

	it->agerep = cw->ar1;
	if (cw->ar1.ok) {
		it->agerep.t_opt = cw->ar1.t_opt * eta;
		it->agerep.cost_rate = cw->ar1.cost_rate / eta;
	} else {
		it->agerep.t_opt = it->agerep.cost_rate = it->agerep.saving = NAN;
	}
	it->agerep.cost_rate_rtf = o->cost_planned > 0.0 && o->cost_failure > 0.0
	                               ? o->cost_failure / it->mtbf : NAN;
	return WR_OK;
}

/* The working arrays of one ranking; rank_ws_free releases them all. */
struct rank_ws {
	struct predict_life *lives;
	struct uwork *uw;
	size_t *order, *cs, *units;
	double *ct, *ce, *cft, *scratch, *sren;
	int *cf, *ir;
	struct ikey *keys;
	struct cwork *cw;
	size_t nl, maxl, nc, nk, nft;
	int entry;               /* some life has delayed entry (else no ce) */
};

static void rank_ws_free(struct rank_ws *r)
{
	free(r->lives);
	free(r->uw);
	free(r->order);
	free(r->cs);
	free(r->units);
	free(r->ct);
	free(r->ce);
	free(r->cft);
	free(r->cf);
	free(r->scratch);
	free(r->sren);
	free(r->ir);
	free(r->keys);
	free(r->cw);
}

static int rank_oom(const struct ld_set *s, struct wr_err *e)
{
	return wr_fail(e, WR_ENOMEM, "out of memory ranking %zu units", s->nunits);
}

static void ranking_init(struct predict_ranking *out)
{
	memset(out, 0, sizeof *out);
	out->global_beta = NAN;
	out->hazard = PREDICT_HAZARD_WEIBULL;
	out->hazard_nu = NAN;
	out->hazard_aic_weibull = out->hazard_aic_piecewise = NAN;
}

/* The caller's options (or the defaults) with out-of-range settings
 * replaced; a horizon or date that cannot be ranked is an error. */
static int rank_opts(const struct predict_opts *o_in, double T, struct predict_opts *o,
                     struct wr_err *e)
{
	if (o_in)
		*o = *o_in;
	else
		predict_opts_init(o);
	if (!(o->horizon > 0.0) || !isfinite(o->horizon))
		return wr_fail(e, WR_EINPUT, "the horizon must be a positive number of days");
	if (!(o->conf > 0.0 && o->conf < 1.0))
		o->conf = PREDICT_CONF_DEFAULT;
	if (o->min_class_failures < 2)
		o->min_class_failures = 2;
	if (!isfinite(T))
		return wr_fail(e, WR_EINPUT, "the ranking date is not a valid time");
	return WR_OK;
}

/* Step 1 for the units of chunk k (RANK_UNITS each), a job of
 * pi_pool_run: each unit's lives at its own place in r->lives (from l0,
 * room for predict_lives_max of them), its failures and time observed;
 * entry[k] says whether some life of the chunk has delayed entry. */
#define RANK_UNITS 4096
struct lives_jobs {
	const struct ld_set *s;
	const struct predict_opts *o;
	double T;
	struct rank_ws *r;
	int *entry;
};

static void lives_job(void *ctx, size_t k, unsigned worker)
{
	struct lives_jobs *j = ctx;
	struct rank_ws *r = j->r;
	size_t i, l, end = (k + 1) * RANK_UNITS < j->s->nunits ? (k + 1) * RANK_UNITS : j->s->nunits;

	(void)worker;
	j->entry[k] = 0;
	for (i = k * RANK_UNITS; i < end; i++) {
		struct uwork *w = &r->uw[i];
		const struct predict_life *lv = r->lives + w->l0;
		w->nl = predict_lives(j->s, i, j->T, j->o->op_time, j->o->history_start,
		                      r->lives + w->l0, &w->age);
		w->r = 0;
		w->obs = 0.0;
		for (l = 0; l < w->nl; l++) {
			w->r += lv[l].failed;
			w->obs += lv[l].t;
			j->entry[k] |= lv[l].entry > 0.0;
		}
	}
}

/* Step 1: every unit's lives in r->lives, unit i's from r->uw[i].l0 (each
 * unit's place sized for the most it can have), the units in chunks on
 * o->threads threads; r->nl counts them.  Returns -1 when out of
 * memory. */
static int collect_lives(const struct ld_set *s, const struct predict_opts *o, double T,
                         struct rank_ws *r)
{
	size_t i, cap = 0, nj = (s->nunits + RANK_UNITS - 1) / RANK_UNITS;
	struct lives_jobs j;

	r->maxl = 1;
	r->uw = pi_alloc(s->nunits, sizeof *r->uw);
	r->order = pi_alloc(s->nunits, sizeof *r->order);
	j.entry = malloc((nj ? nj : 1) * sizeof *j.entry);
	if (!r->uw || !r->order || !j.entry) {
		free(j.entry);
		return -1;
	}
	for (i = 0; i < s->nunits; i++) {
		size_t m = predict_lives_max(&s->units[i]);
		r->uw[i].l0 = cap;
		cap += m;
		if (m > r->maxl)
			r->maxl = m;
	}
	r->lives = pi_alloc(cap, sizeof *r->lives);
	if (!r->lives) {
		free(j.entry);
		return -1;
	}
	j.s = s;
	j.o = o;
	j.T = T;
	j.r = r;
	pi_pool_run(nj, NULL, pi_pool_threads(o->threads, nj), lives_job, &j);
	for (i = 0; i < nj; i++)
		r->entry |= j.entry[i];
	free(j.entry);
	for (i = 0; i < s->nunits; i++)
		r->nl += r->uw[i].nl;
	return 0;
}

static int starts_class(const struct ld_set *s, const size_t *order, size_t i)
{
	return i == 0 || strncmp(s->units[order[i]].cls, s->units[order[i - 1]].cls,
	                         sizeof s->units[0].cls) != 0;
}

/* FNV-1a of a class name. */
static uint64_t cls_hash(const char *cls)
{
	uint64_t h = 14695981039346656037u;
	size_t i;

	for (i = 0; i < sizeof ((struct ld_unit *)0)->cls && cls[i]; i++)
		h = (h ^ (unsigned char)cls[i]) * 1099511628211u;
	return h;
}

/* Each unit's class as a number (id[u]), numbers in the order the names
 * first appear; the names with their first unit in names[], *nc of them.
 * Open addressing on the names' hashes, the table twice the units.
 * Returns -1 when out of memory. */
static int class_ids(const struct ld_set *s, size_t *id, struct cname *names, size_t *nc)
{
	size_t cap = 2, i, *slot;

	while (cap < 2 * s->nunits)
		cap *= 2;
	slot = pi_alloc(cap, sizeof *slot);
	if (!slot)
		return -1;
	memset(slot, 0xff, cap * sizeof *slot);
	*nc = 0;
	for (i = 0; i < s->nunits; i++) {
		const char *cls = s->units[i].cls;
		size_t k = (size_t)cls_hash(cls) & (cap - 1);
		while (slot[k] != SIZE_MAX &&
		       strncmp(names[slot[k]].cls, cls, sizeof s->units[0].cls) != 0)
			k = (k + 1) & (cap - 1);
		if (slot[k] == SIZE_MAX) {
			slot[k] = (*nc)++;
			names[slot[k]].cls = cls;
			names[slot[k]].first = i;
		}
		id[i] = slot[k];
	}
	free(slot);
	return 0;
}

/* Sorts r->order by class name, each class's units in index order, and
 * counts the classes into r->nc: the classes' names are numbered and
 * sorted, then the units placed by counting (a sort of all units by
 * name took a tenth of a second on 100,000).  Returns -1 when out of
 * memory. */
static int order_by_class(const struct ld_set *s, struct rank_ws *r)
{
	struct cname *names = pi_alloc(s->nunits, sizeof *names);
	size_t *id = pi_alloc(s->nunits, sizeof *id), *at = pi_alloc(s->nunits + 1, sizeof *at);
	size_t i, c;
	int rc = -1;

	if (names && id && at && class_ids(s, id, names, &r->nc) == 0) {
		qsort(names, r->nc, sizeof *names, cname_cmp);
		/* at[] first maps a class's number to its place in name order,
		 * then holds where its next unit goes. */
		for (c = 0; c < r->nc; c++)
			at[id[names[c].first]] = c;
		for (i = 0; i < s->nunits; i++)
			id[i] = at[id[i]];
		memset(at, 0, (r->nc + 1) * sizeof *at);
		for (i = 0; i < s->nunits; i++)
			at[id[i] + 1]++;
		for (c = 0; c < r->nc; c++)
			at[c + 1] += at[c];
		for (i = 0; i < s->nunits; i++)
			r->order[at[id[i]]++] = i;
		rc = 0;
	}
	free(names);
	free(id);
	free(at);
	return rc;
}

/* The class arrays and the plant model, sized for r->nc classes and
 * r->nl lives. Returns -1 when out of memory. */
static int alloc_classes(const struct ld_set *s, struct rank_ws *r, struct predict_ranking *out)
{
	size_t n = r->nl ? r->nl : 1;

	out->classes = calloc(r->nc, sizeof *out->classes);
	r->cs = malloc((r->nc + 1) * sizeof *r->cs);
	r->units = malloc((r->nc + 1) * sizeof *r->units);
	r->ct = pi_alloc(n, sizeof *r->ct);
	/* Entry ages only where some life has one: memory touched for the
	 * first time is much of a large ranking's cost. */
	r->ce = r->entry ? pi_alloc(n, sizeof *r->ce) : NULL;
	r->cft = pi_alloc(n, sizeof *r->cft);
	r->cf = pi_alloc(n, sizeof *r->cf);
	if (!out->classes || !r->cs || !r->units || !r->ct || (r->entry && !r->ce) || !r->cft ||
	    !r->cf ||
	    pi_plant_alloc(&out->plant, s->nunits, r->nc) != WR_OK)
		return -1;
	out->nclasses = r->nc;
	return 0;
}

static void class_open(struct predict_class *pc, const char *cls)
{
	copy_name(pc->cls, cls, sizeof pc->cls);
	pc->beta_b.lo = pc->beta_b.hi = NAN;
	pc->hz_ratio = pc->hz_a = NAN;
	pc->hz_b = NAN;
	pc->frailty_dist = PREDICT_FRAILTY_GAMMA;
	pc->frailty_sigma = pc->frailty_sigma_b.lo = pc->frailty_sigma_b.hi = NAN;
	pc->marginal_gamma = pc->marginal_lognormal = NAN;
}

/* Copies class c's lives into r->ct, r->ce, r->cf and its failure times
 * into r->cft, from the places pool_classes gave it (a job of
 * pi_pool_run: each class writes only its own stretch). */
struct pool_jobs {
	struct rank_ws *r;
	const size_t *ft0;   /* class c's first failure time in r->cft */
};

static void pool_job(void *ctx, size_t c, unsigned worker)
{
	const struct pool_jobs *j = ctx;
	struct rank_ws *r = j->r;
	size_t i, k, nl = r->cs[c], nf = j->ft0[c];

	(void)worker;
	for (i = r->units[c]; i < r->units[c + 1]; i++) {
		const struct uwork *w = &r->uw[r->order[i]];
		for (k = 0; k < w->nl; k++) {
			const struct predict_life *lv = &r->lives[w->l0 + k];
			r->ct[nl] = lv->t;
			if (r->ce)
				r->ce[nl] = lv->entry;
			r->cf[nl] = lv->failed;
			if (r->cf[nl])
				r->cft[nf++] = r->ct[nl];
			nl++;
		}
	}
}

/* Pools the lives class by class: r->ct, r->ce (NULL without delayed
 * entry) and r->cf hold them in class order, class c's from r->cs[c], and
 * r->cft the failure times.  One pass in class order finds the classes,
 * their counts and places; the lives (a million on a large plant) are
 * then copied on o->threads threads.  -1 when out of memory. */
static int pool_classes(const struct ld_set *s, const struct predict_opts *o, struct rank_ws *r,
                        struct predict_ranking *out)
{
	struct pool_jobs j;
	size_t i, nc = 0, nl = 0, nft = 0, *ft0 = malloc((r->nc + 1) * sizeof *ft0);

	if (!ft0)
		return -1;
	for (i = 0; i < s->nunits; i++) {
		size_t u = r->order[i];
		struct uwork *w = &r->uw[u];
		struct predict_class *pc;
		if (starts_class(s, r->order, i)) {
			r->units[nc] = i;
			r->cs[nc] = nl;
			ft0[nc] = nft;
			class_open(&out->classes[nc], s->units[u].cls);
			nc++;
		}
		pc = &out->classes[nc - 1];
		w->cls = nc - 1;
		pc->units++;
		pc->lives += w->nl;
		pc->failures += w->r;
		pc->observed += w->obs;
		nl += w->nl;
		nft += (size_t)w->r;   /* each failed life counts one */
	}
	r->nc = nc;
	r->nl = nl;
	r->nft = nft;
	r->cs[nc] = nl;
	r->units[nc] = s->nunits;
	j.r = r;
	j.ft0 = ft0;
	pi_pool_run(nc, NULL, pi_pool_threads(o->threads, nc), pool_job, &j);
	free(ft0);
	return 0;
}

/* Step 3 for the classes, each a job of pi_pool_run: a class works in its
 * own stretch of the unit arrays (scratch, ir and keys from its first unit
 * in class order), with the repair workspace of its thread, and leaves its
 * keys' count and its outcome by its index. */
struct prior_jobs {
	const struct ld_set *s;
	const struct predict_opts *o;
	double T;
	struct rank_ws *r;
	struct predict_ranking *out;
	struct pi_repair_ws ws[PI_POOL_MAX];
	size_t *nk;
	int *rc;
	struct wr_err *e;
	const struct pi_hz_in *hz;   /* job r->nc fits the pooled hazard, or NULL */
	int hz_rc;
};

/* The CV of the units' scales eta_i = lambda_i^(-1/beta) when the
 * log-normal frailty gave the shape: ln eta has sd sigma / beta, so the
 * scales' CV is sqrt(e^((sigma/beta)^2) - 1), its bounds sigma's. */
static double lognormal_cv(double sigma, double beta)
{
	double sd = sigma / beta;

	return isfinite(sd) ? sqrt(expm1(sd * sd)) : NAN;
}

static void lognormal_scale_cv(struct predict_class *pc)
{
	pc->scale_cv = lognormal_cv(pc->frailty_sigma, pc->beta);
	pc->scale_cv_b.lo = lognormal_cv(pc->frailty_sigma_b.lo, pc->beta);
	pc->scale_cv_b.hi = lognormal_cv(pc->frailty_sigma_b.hi, pc->beta);
}

static void class_job(struct prior_jobs *j, size_t c, unsigned worker)
{
	struct rank_ws *r = j->r;
	size_t u0 = r->units[c], nu = r->units[c + 1] - u0;
	const size_t *units = r->order + u0;
	struct predict_class *pc = &j->out->classes[c];
	struct cwork *cw = &r->cw[c];

	/* The renewal exposures in sren, which the repair models leave alone:
	 * the variation under the renewal prior needs them at the end. */
	j->nk[c] = 0;
	j->rc[c] = class_prior(j->s, j->o, j->T, c, units, nu, r->uw, r->lives, r->sren + u0,
	                       r->ir + u0, cw, r->keys + u0, &j->nk[c], j->out, &j->e[c]);
	if (j->rc[c] == WR_OK)
		j->rc[c] = repair_or_renewal(j->s, j->o, j->T, c, units, nu, r->scratch + u0,
		                             &j->ws[worker], cw, j->out, &j->e[c]);
	if (j->rc[c] != WR_OK || !cw->cv || pc->process != PREDICT_PROCESS_RENEWAL)
		return;
	if (pc->frailty_dist == PREDICT_FRAILTY_LOGNORMAL)
		lognormal_scale_cv(pc);
	else
		pi_scale_cv(r->ir + u0, r->sren + u0, nu, cw->a, cw->b, j->out->plant->c[c].beta,
		            j->o->conf, &pc->scale_cv, &pc->scale_cv_b);
}

static void prior_job(void *ctx, size_t c, unsigned worker)
{
	struct prior_jobs *j = ctx;

	if (c == j->r->nc)
		j->hz_rc = hz_fit(j->hz, &j->out->plant->z);
	else
		class_job(j, c, worker);
}

/* A class's job: its size and index. */
struct cjob {
	size_t nu, c;
};

static int cjob_cmp(const void *pa, const void *pb)
{
	const struct cjob *a = pa, *b = pb;

	if (a->nu != b->nu)
		return a->nu > b->nu ? -1 : 1;
	return a->c < b->c ? -1 : a->c > b->c;
}

/* The classes, largest first (so that the last job to start is a small
 * one), the index breaking ties; with hz, job r->nc (the pooled hazard,
 * 10-16 ms on the benchmark's data, a long job) before them all. */
static size_t *jobs_by_size(const struct rank_ws *r, int hz)
{
	struct cjob *k = malloc((r->nc + 1) * sizeof *k);
	size_t *order = malloc((r->nc + 1) * sizeof *order), i;

	if (!k || !order) {
		free(k);
		free(order);
		return NULL;
	}
	for (i = 0; i < r->nc; i++) {
		k[i].nu = r->units[i + 1] - r->units[i];
		k[i].c = i;
	}
	qsort(k, r->nc, sizeof *k, cjob_cmp);
	if (hz)
		order[0] = r->nc;
	for (i = 0; i < r->nc; i++)
		order[i + !!hz] = k[i].c;
	free(k);
	return order;
}

/* Step 3: each class's prior, failure probabilities and process, the
 * classes on o->threads threads; the keys of the scored units are then
 * gathered in class order, as one thread would have left them. */
static int class_priors(const struct ld_set *s, const struct predict_opts *o, double T,
                        struct rank_ws *r, const struct pi_hz_in *hz, int *hz_rc,
                        struct predict_ranking *out, struct wr_err *e)
{
	struct prior_jobs j;
	size_t *order = jobs_by_size(r, hz != NULL), c, nj = r->nc + (hz != NULL);
	unsigned k;
	int rc = WR_OK;

	memset(&j, 0, sizeof j);
	j.hz = hz;
	j.s = s;
	j.o = o;
	j.T = T;
	j.r = r;
	j.out = out;
	j.nk = malloc(r->nc * sizeof *j.nk);
	j.rc = malloc(r->nc * sizeof *j.rc);
	j.e = malloc(r->nc * sizeof *j.e);
	if (!order || !j.nk || !j.rc || !j.e) {
		rc = wr_fail(e, WR_ENOMEM, "out of memory ranking %zu classes", r->nc);
		goto done;
	}
	pi_pool_run(nj, order, pi_pool_threads(o->threads, nj), prior_job, &j);
	*hz_rc = j.hz_rc;
	r->nk = 0;
	for (c = 0; c < r->nc && rc == WR_OK; c++) {
		rc = j.rc[c];
		if (rc) {
			*e = j.e[c];
			break;
		}
		memmove(r->keys + r->nk, r->keys + r->units[c], j.nk[c] * sizeof *r->keys);
		r->nk += j.nk[c];
	}
done:
	for (k = 0; k < PI_POOL_MAX; k++)
		free(j.ws[k].mem);
	free(order);
	free(j.nk);
	free(j.rc);
	free(j.e);
	return rc;
}

/* The pooled lives as the piecewise hazard's input. */
static void hz_input(const struct rank_ws *r, struct pi_hz_in *in)
{
	in->t = r->ct;
	in->en = r->ce;
	in->ft = r->cft;
	in->nf = r->nft;
	in->failed = r->cf;
	in->cs = r->cs;
	in->nc = r->nc;
}

/* Step 3b: the piecewise hazard replaces the Weibull shape in p. */
static int piecewise_step(struct rank_ws *r, unsigned threads, int hz_rc,
                          struct predict_ranking *out, struct wr_err *e)
{
	struct pwctx x;
	double *Lpw;
	int rc;

	x.uw = r->uw;
	x.lives = r->lives;
	x.order = r->order;
	x.units = r->units;
	/* scratch holds at least nunits doubles. */
	Lpw = malloc((r->nc + 1) * sizeof *Lpw);
	if (!Lpw)
		return wr_fail(e, WR_ENOMEM, "out of memory fitting the class hazards");
	rc = piecewise(&x, hz_rc, r->cw, threads, out, r->scratch, r->ir, Lpw, e);
	free(Lpw);
	return rc;
}

/* Step 4 in chunks of RANK_CHUNK keys, each a job of pi_pool_run: p from
 * the plant model, or (after the sort) the items, written each by its own
 * chunk, with the scratch of its thread (maxl doubles each). */
#define RANK_CHUNK 256
struct item_jobs {
	const struct ld_set *s;
	const struct predict_opts *o;
	struct rank_ws *r;
	struct predict_ranking *out;
	double *scratch;
	int *rc;
	struct wr_err *e;
};

static void pfail_job(void *ctx, size_t k, unsigned worker)
{
	struct item_jobs *j = ctx;
	size_t i, end = (k + 1) * RANK_CHUNK < j->r->nk ? (k + 1) * RANK_CHUNK : j->r->nk;

	(void)worker;
	for (i = k * RANK_CHUNK; i < end; i++)
		j->r->keys[i].p = pi_plant_pfail(j->out->plant, j->r->keys[i].unit, j->o->horizon);
}

static void item_job(void *ctx, size_t k, unsigned worker)
{
	struct item_jobs *j = ctx;
	struct rank_ws *r = j->r;
	size_t i, end = (k + 1) * RANK_CHUNK < r->nk ? (k + 1) * RANK_CHUNK : r->nk;

	j->rc[k] = WR_OK;
	for (i = k * RANK_CHUNK; i < end && j->rc[k] == WR_OK; i++) {
		const struct uwork *w = &r->uw[r->keys[i].unit];
		/* Each item is cleared as it is written, not the whole array
		 * first: a second pass over tens of megabytes of fresh memory. */
		memset(&j->out->items[i], 0, sizeof j->out->items[i]);
		j->rc[k] = fill_item(j->s, j->o, &r->keys[i], w, &j->out->classes[w->cls], w->cls,
		                     &r->cw[w->cls], r->lives, j->out->plant,
		                     j->scratch + (size_t)worker * r->maxl, &j->out->items[i],
		                     &j->e[k]);
	}
}

/* The keys' two halves, each sorted by a job of pi_pool_run, then merged
 * into m from both ends at once: job 0 takes the smallest keys into m's
 * first half, job 1 the largest into its second, from the end.  ikey_cmp
 * is a total order, so the two meet where one merge would have been. */
struct sort_jobs {
	struct ikey *k, *m;
	size_t n;
};

static void sort_job(void *ctx, size_t i, unsigned worker)
{
	struct sort_jobs *j = ctx;
	size_t h = j->n / 2;

	(void)worker;
	if (i == 0)
		qsort(j->k, h, sizeof *j->k, ikey_cmp);
	else
		qsort(j->k + h, j->n - h, sizeof *j->k, ikey_cmp);
}

static void merge_job(void *ctx, size_t i, unsigned worker)
{
	struct sort_jobs *j = ctx;
	const struct ikey *k = j->k;
	size_t h = j->n / 2, o, a, b;

	(void)worker;
	if (i == 0) {
		for (o = 0, a = 0, b = h; o < h; o++)
			j->m[o] = b >= j->n || (a < h && ikey_cmp(&k[a], &k[b]) <= 0) ? k[a++] : k[b++];
		return;
	}
	/* a and b: one past the last key of each half not yet taken. */
	for (o = j->n, a = h, b = j->n; o > h; o--)
		j->m[o - 1] = a == 0 || (b > h && ikey_cmp(&k[a - 1], &k[b - 1]) <= 0) ? k[--b]
		                                                                       : k[--a];
}

/* Sorts r->keys into ranking order: with threads to spare, the two halves
 * at once and then merged (both ends at once); else, or without memory
 * for the merge, in one. */
static void sort_keys(struct rank_ws *r, unsigned threads)
{
	struct sort_jobs j;
	struct ikey *m = threads > 1 && r->nk >= 2 * RANK_CHUNK ? pi_alloc(r->nk, sizeof *m) : NULL;

	if (!m) {
		qsort(r->keys, r->nk, sizeof *r->keys, ikey_cmp);
		return;
	}
	j.k = r->keys;
	j.m = m;
	j.n = r->nk;
	pi_pool_run(2, NULL, 2, sort_job, &j);
	pi_pool_run(2, NULL, 2, merge_job, &j);
	free(r->keys);
	r->keys = m;
}

/* Step 4: every p from the plant model, then the items, in ranking
 * order; the chunks on o->threads threads. */
static int rank_items(const struct ld_set *s, const struct predict_opts *o, struct rank_ws *r,
                      struct predict_ranking *out, struct wr_err *e)
{
	struct item_jobs j;
	size_t nj = (r->nk + RANK_CHUNK - 1) / RANK_CHUNK, k;
	unsigned threads = pi_pool_threads(o->threads, nj);
	int rc = WR_OK;

	j.s = s;
	j.o = o;
	j.r = r;
	j.out = out;
	pi_pool_run(nj, NULL, threads, pfail_job, &j);
	sort_keys(r, threads);
	out->items = pi_alloc(r->nk ? r->nk : 1, sizeof *out->items);
	j.scratch = pi_alloc((size_t)threads * r->maxl, sizeof *j.scratch);
	j.rc = malloc((nj ? nj : 1) * sizeof *j.rc);
	j.e = malloc((nj ? nj : 1) * sizeof *j.e);
	if (!out->items || !j.scratch || !j.rc || !j.e) {
		rc = rank_oom(s, e);
		goto done;
	}
	pi_pool_run(nj, NULL, threads, item_job, &j);
	for (k = 0; k < nj; k++)
		if (j.rc[k] != WR_OK) {
			*e = j.e[k];
			rc = j.rc[k];
			goto done;
		}
	out->n = r->nk;
done:
	free(j.scratch);
	free(j.rc);
	free(j.e);
	return rc;
}

int predict_rank(const struct ld_set *s, double T, const struct predict_opts *o_in,
                 struct predict_ranking *out, struct wr_err *e)
{
	struct predict_opts o;
	struct rank_ws r;
	struct pi_hz_in hz;
	int rc, pw, hz_rc = WR_OK;

	ranking_init(out);
	rc = rank_opts(o_in, T, &o, e);
	if (rc)
		return rc;
	out->T = T;
	out->horizon = o.horizon;
	if (!s || s->nunits == 0)
		return WR_OK;

	memset(&r, 0, sizeof r);
	if (collect_lives(s, &o, T, &r) || order_by_class(s, &r) || alloc_classes(s, &r, out) ||
	    pool_classes(s, &o, &r, out))
		goto oom;

	/* Step 2. */
	rc = class_shapes(&o, r.ct, r.cf, r.cs, out, e);
	if (rc)
		goto done;

	r.keys = pi_alloc(s->nunits, sizeof *r.keys);
	r.cw = malloc(r.nc * sizeof *r.cw);
	r.scratch = pi_alloc(s->nunits > r.maxl ? s->nunits : r.maxl, sizeof *r.scratch);
	r.sren = pi_alloc(s->nunits, sizeof *r.sren);
	r.ir = pi_alloc(s->nunits, sizeof *r.ir);
	if (!r.keys || !r.cw || !r.scratch || !r.sren || !r.ir)
		goto oom;
	/* The pooled hazard is fitted alongside the classes' priors. */
	hz_input(&r, &hz);
	pw = o.hazard == PREDICT_HAZARD_PIECEWISE;
	rc = class_priors(s, &o, T, &r, pw ? &hz : NULL, &hz_rc, out, e);
	if (!rc && pw)
		rc = piecewise_step(&r, o.threads, hz_rc, out, e);
	if (!rc)
		rc = rank_items(s, &o, &r, out, e);
	goto done;
oom:
	rc = rank_oom(s, e);
done:
	rank_ws_free(&r);
	if (rc)
		predict_rank_free(out);
	return rc;
}

void predict_rank_free(struct predict_ranking *r)
{
	if (!r)
		return;
	free(r->items);
	free(r->classes);
	pi_plant_free(r->plant);
	r->items = NULL;
	r->classes = NULL;
	r->plant = NULL;
	r->n = r->nclasses = 0;
}
