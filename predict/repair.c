/*
 * repair.c - renewal or minimal repair, class by class.
 *
 * The ranking's Weibull (and piecewise) models renew a unit at every
 * failure: its age falls to zero and so does its risk.  A unit that is
 * repaired instead goes on as old as it was (minimal repair), and a
 * deteriorating one fails faster and faster.  History records a failure
 * the same way in both cases, so the data decide: for each class the
 * power-law process of minimal repair (plp.c) is fitted on the same events
 * and wins when its log marginal likelihood, the units' gamma priors
 * integrated out, beats the renewal Weibull's by more than
 * PI_REPAIR_MARGIN (both have a shape, a scale and the prior's two
 * parameters).  Renewal, what a failure record means unless the data say
 * otherwise, wins ties and near-ties: a margin of 1 is a Bayes factor of
 * e, "positive evidence" on Kass and Raftery's scale, and keeps small
 * classes, whose likelihoods tell the two apart by a few tenths, renewed.
 * The frailty matters: without it, pooled lives of units that differ look
 * like minimal repair (a failure-prone unit keeps failing), and on the
 * Azure history one component class would switch.
 *
 * The systems.  A unit's system starts at its installation (or, when that
 * is unknown, at its first event) and at every replacement or
 * re-installation, which give a new unit; failures are repairs at the
 * system's age; the current system runs to T (a retired unit's stops at its
 * last event).  With history_start, a system that began earlier enters at
 * its age then (failures before are not counted).  Calendar time only:
 * with operating time the classes stay renewal.
 *
 * The units.  As for the Weibull, the class shape is fixed and each unit's
 * rate gets the class's gamma prior fitted by empirical Bayes (eb.c) on
 * its failures r_i and exposure S_i = sum (s1^beta - s0^beta) over its
 * windows, so p = 1 - (1 + D / B)^-A with D = (s + H)^beta - s^beta at the
 * system age s: it rises with the age, and every failure raises the
 * unit's rate.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "predict_int.h"

/* Closes the window of a system that started at `start` and is seen to
 * `end` (calendar days), entering at history_start h0; its failures are
 * fa[f0 ..).  A system not seen after h0 leaves nothing. */
static void close_window(struct pi_rsys *y, double start, double end, double h0, size_t f0)
{
	double s0 = isfinite(h0) && h0 > start ? h0 - start : 0.0;

	if (end - start > s0) {
		y->s0[y->nw] = s0;
		y->s1[y->nw] = end - start;
		y->wf0[y->nw] = f0;
		y->nw++;
		y->wf0[y->nw] = y->nfa;
	} else {
		y->nfa = f0;
	}
}

/* Unit u's systems as of T, appended to y. */
static void unit_systems(const struct ld_set *s, size_t u, double T, double h0, struct pi_rsys *y,
                         size_t k)
{
	const struct ld_unit *un = &s->units[u];
	double start = isfinite(un->install) && un->install < T ? un->install : NAN, last = NAN;
	size_t i, f0 = y->nfa;

	y->w0[k] = y->nw;
	y->r[k] = 0;
	y->sys_age[k] = NAN;
	for (i = 0; i < un->nev; i++) {
		const struct ld_event *ev = &s->events[un->ev0 + i];
		if (!(ev->t < T))
			break;
		if (isfinite(un->install) && ev->t < un->install)
			continue;
		last = ev->t;
		if (!isfinite(start)) {
			start = ev->t;
		} else if (ev->kind == LD_FAILURE) {
			double age = ev->t - start;
			if (age > 0.0)
				y->fa[y->nfa++] = age;
			if (age > 0.0 && !(isfinite(h0) && ev->t <= h0)) {
				y->x[y->nx++] = age;
				y->r[k]++;
			}
		} else {
			close_window(y, start, ev->t, h0, f0);
			start = ev->t;
			f0 = y->nfa;
		}
	}
	if (isfinite(start) && un->in_service) {
		close_window(y, start, T, h0, f0);
		y->sys_age[k] = T - start;
	} else if (isfinite(start) && isfinite(last) && last > start) {
		close_window(y, start, last, h0, f0);
	} else {
		y->nfa = f0;
	}
	y->nwu[k] = y->nw - y->w0[k];
}

/* The class's arrays, carved from the workspace (grown when too small):
 * doubles and size_t first, the ints last. */
static int rsys_build(const struct pi_repair_in *in, struct pi_rsys *y)
{
	size_t i, nev = 0, nu = in->nu, nw, need;
	char *m;

	memset(y, 0, sizeof *y);
	for (i = 0; i < nu; i++)
		nev += in->s->units[in->units[i]].nev;
	nw = nev + nu;
	need = (2 * (nev + 1) + 5 * nw + nu) * sizeof(double) +
	       (2 * nu + nw + 1) * sizeof(size_t) + nu * sizeof(int);
	if (need > in->ws->cap) {
		void *p = realloc(in->ws->mem, need);
		if (!p)
			return WR_ENOMEM;
		in->ws->mem = p;
		in->ws->cap = need;
	}
	m = in->ws->mem;
	y->x = (double *)m;
	y->fa = y->x + nev + 1;
	y->s0 = y->fa + nev + 1;
	y->s1 = y->s0 + nw;
	y->lab = y->s1 + nw;
	y->pw = y->lab + 2 * nw;
	y->sys_age = y->pw + nw;
	y->w0 = (size_t *)(void *)(y->sys_age + nu);
	y->nwu = y->w0 + nu;
	y->wf0 = y->nwu + nu;
	y->wf0[0] = 0;
	y->r = (int *)(void *)(y->wf0 + nw + 1);
	for (i = 0; i < nu; i++)
		unit_systems(in->s, in->units[i], in->T, in->history_start, y, i);
	return WR_OK;
}

int pi_repair_systems(const struct pi_repair_in *in, struct pi_rsys *y)
{
	return rsys_build(in, y);
}

/* The units' exposures S (scaled by the fit's scale: the sums of the
 * windows' exposures it left in y->pw) at the class shape and their gamma prior
 * (a, b) by empirical Bayes from a = a0; WR_OK, WR_EINPUT (no failure) or
 * WR_ENOMEM. */
static int repair_prior(const struct pi_rsys *y, size_t nu, double a0, double *S, double *a,
                        double *b)
{
	size_t i, j;

	for (i = 0; i < nu; i++) {
		S[i] = 0.0;
		for (j = y->w0[i]; j < y->w0[i] + y->nwu[i]; j++)
			S[i] += y->pw[j];
	}
	return pi_eb_fit_from(y->r, S, nu, a0, a, b);
}

/* The log marginal likelihood of minimal repair: the failures' densities
 * in days with each unit's rate integrated over the prior. */
static double repair_marginal(const struct pi_rsys *y, size_t nu, const struct pi_plp *f,
                              const double *S, double a, double b)
{
	double n = (double)y->nx, lt = log(f->scale);

	return n * (log(f->beta) - lt) + (f->beta - 1.0) * f->sum_lx +
	       pi_eb_marginal(y->r, S, nu, a, b);
}

/* Each unit's posterior into the plant model.  (The class's unit
 * variation under this prior waits until imperfect repair has had its
 * chance: when that wins, it has its own.) */
static void repair_units(const struct pi_repair_in *in, const struct pi_rsys *y, double beta,
                         double tref, double a, double b, struct pi_plant *pl)
{
	const size_t *units = in->units;
	const double *S = in->scratch;
	size_t i, nu = in->nu, c = in->c;

	pl->c[c].mr_beta = beta;
	pl->c[c].mr_tref = tref;
	pl->c[c].q = 1.0;
	pl->c[c].kijima = PREDICT_KIJIMA_I;
	for (i = 0; i < nu; i++) {
		struct pi_punit *pu = &pl->u[units[i]];
		pu->mr = 1;
		pu->sys_age = y->sys_age[i];
		pu->mA = a + y->r[i];
		pu->mB = b + S[i];
	}
}

/* Imperfect repair against the better of the two ends, each penalised as
 * they are compared (renewal wins near-ties with minimal repair), q at the
 * price of one parameter more (imperfect.c); a is the power law prior's a
 * (NAN without one), where its empirical-Bayes fits start. */
static int imperfect(const struct pi_repair_in *in, const struct pi_rsys *y, double a,
                     struct predict_class *pc, double *loglik, struct pi_plant *pl,
                     struct wr_err *e)
{
	struct pi_imperfect_in im;
	double ren = in->marginal + PI_REPAIR_MARGIN, rep = pc->marginal_repair;

	im.y = y;
	im.units = in->units;
	im.nu = in->nu;
	im.c = in->c;
	im.min_fail = in->min_fail;
	im.conf = in->conf;
	im.beta0 = isfinite(pc->repair_beta) ? pc->repair_beta : 0.0;
	im.a0 = isfinite(a) ? a : in->a0;
	im.beat = (isfinite(rep) && rep > ren ? rep : ren) + PI_REPAIR_MARGIN;
	/* Its own exposures: in->scratch keeps minimal repair's, for the
	 * variation when it stays. */
	im.scratch = NULL;
	if (pi_imperfect_class(&im, pc, loglik, pl) != WR_OK)
		return wr_fail(e, WR_ENOMEM, "out of memory fitting imperfect repair in class %s",
		               pc->cls);
	return WR_OK;
}

int pi_repair_class(const struct pi_repair_in *in, struct predict_class *pc, double *loglik,
                    struct pi_plant *pl, struct wr_err *e)
{
	struct pi_rsys y;
	struct pi_plp_in pin;
	struct pi_plp f;
	double tref, a = NAN, b = NAN;
	int rc;

	pc->loglik_renewal = *loglik;
	rc = rsys_build(in, &y);
	if (rc)
		return wr_fail(e, rc, "out of memory fitting minimal repair in class %s", pc->cls);
	for (size_t i = 0; i < in->nu; i++)
		pl->u[in->units[i]].sys_start = in->T - y.sys_age[i];
	pin.x = y.x;
	pin.nx = y.nx;
	pin.s0 = y.s0;
	pin.s1 = y.s1;
	pin.nsys = y.nw;
	pin.lab = y.lab;
	pin.pw = y.pw;
	pin.beta0 = 0.0;
	pin.xend = NULL;
	pin.ex = NULL;
	if (pi_plp_fit(&pin, in->conf, &f) != WR_OK)
		return wr_fail(e, WR_ENOMEM, "out of memory fitting minimal repair in class %s",
		               pc->cls);
	pc->loglik_repair = f.loglik;
	pc->repair_beta = f.beta;
	pc->repair_beta_b = f.beta_b;
	tref = f.scale;
	rc = f.ok ? repair_prior(&y, in->nu, in->a0, in->scratch, &a, &b) : WR_EINPUT;
	if (rc == WR_ENOMEM)
		return wr_fail(e, rc, "out of memory in the empirical Bayes fit");
	pc->marginal_renewal = in->marginal;
	if (rc == WR_OK) {
		pc->marginal_repair = repair_marginal(&y, in->nu, &f, in->scratch, a, b);
		if (pc->marginal_repair > in->marginal + PI_REPAIR_MARGIN) {
			repair_units(in, &y, f.beta, tref, a, b, pl);
			pc->process = PREDICT_PROCESS_MINIMAL_REPAIR;
			pc->model = PREDICT_MODEL_POWER_LAW;
			*loglik = f.loglik;
		}
	}
	rc = imperfect(in, &y, rc == WR_OK ? a : NAN, pc, loglik, pl, e);
	if (rc == WR_OK && pc->process == PREDICT_PROCESS_MINIMAL_REPAIR)
		pi_scale_cv(y.r, in->scratch, in->nu, a, b, f.beta, in->conf, &pc->scale_cv,
		            &pc->scale_cv_b);
	return rc;
}
