/*
 * pfail.c - the one p_fail of wrench: the probability that a unit fails
 * within a horizon after the ranking date, read from the plant model that
 * predict_rank() fitted (class shapes or piecewise class hazards, and each
 * unit's posterior scale).  The ranking's items, the backtest, the asset
 * card, Home, the risk screen, `rank` and `asset show` all get their
 * number here, so that one asset at one date and horizon has one p_fail.
 *
 * The model does not depend on the horizon: it is fitted once as of T, and
 * any horizon can be asked of it afterwards.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "predict_int.h"

int pi_plant_alloc(struct pi_plant **out, size_t nunits, size_t nclasses)
{
	struct pi_plant *p = calloc(1, sizeof *p);
	size_t i;

	*out = NULL;
	if (!p)
		return WR_ENOMEM;
	p->u = pi_alloc(nunits ? nunits : 1, sizeof *p->u);
	p->c = calloc(nclasses ? nclasses : 1, sizeof *p->c);
	if (!p->u || !p->c) {
		pi_plant_free(p);
		return WR_ENOMEM;
	}
	p->nunits = nunits;
	p->nclasses = nclasses;
	for (i = 0; i < nclasses; i++) {
		p->c[i].planned = NAN;
		p->c[i].q = 1.0;
		p->c[i].kijima = PREDICT_KIJIMA_I;
	}
	for (i = 0; i < nunits; i++) {
		struct pi_punit *u = &p->u[i];
		u->age = NAN;
		u->clock = 1.0;
		u->A = u->B = u->hA = u->hB = NAN;
		u->cls = 0;
		u->hz = 0;
		u->mr = 0;
		u->sys_age = u->mA = u->mB = NAN;
		u->r = u->S = u->sys_start = NAN;
	}
	*out = p;
	return WR_OK;
}

void pi_plant_free(struct pi_plant *p)
{
	if (!p)
		return;
	free(p->u);
	free(p->c);
	pi_hz_free(&p->z);
	free(p);
}

/* P(fail in (age, age + h]) for a unit whose rate multiplier follows its
 * posterior Gamma(A, rate B): 1 - (1 + D / B)^-A, D the cumulative hazard
 * (of the Weibull in units of tref, or of the class's piecewise hazard)
 * accrued over the window. */
static double p_of_d(double A, double B, double d)
{
	return d > 0.0 ? -expm1(-A * log1p(d / B)) : 0.0;
}

/* The Weibull's cumulative hazard from age a over x more (in tref). */
static double wb_d(double beta, double a, double x)
{
	if (!(x > 0.0))
		return 0.0;
	if (a > 0.0)
		return exp(beta * log(a)) * expm1(beta * log1p(x / a));
	return exp(beta * log(x));
}

/* The cumulative hazard the unit accrues from `age` over h: its own, up to
 * the class's planned replacement age when that falls inside the window,
 * and then the new unit's from age 0 (same unit scale: the rate belongs to
 * the duty, not the part).  Given the scale the two lives are independent,
 * so the posterior mixture needs only their sum. */
static double renewal_d(const struct pi_plant *p, const struct pi_punit *u, double age, double h)
{
	const struct pi_pclass *c = &p->c[u->cls];
	double tau = c->planned, first = h;

	if (isfinite(tau) && age < tau && age + h > tau)
		first = tau - age;
	if (u->hz)
		return pi_hz_cum(&p->z, u->cls, age + first) - pi_hz_cum(&p->z, u->cls, age) +
		       (first < h ? pi_hz_cum(&p->z, u->cls, h - first) : 0.0);
	return wb_d(c->beta, age / c->tref, first / c->tref) +
	       (first < h ? wb_d(c->beta, 0.0, (h - first) / c->tref) : 0.0);
}

/* A unit of a class whose rates have the log-normal frailty: the same
 * mixture over its posterior, by quadrature (frailty_ln.c). */
static int ln_unit(const struct pi_plant *p, const struct pi_punit *u)
{
	return !u->hz && !u->mr && p->c[u->cls].ln;
}

double pi_plant_p(const struct pi_plant *p, size_t unit, double age, double h)
{
	const struct pi_punit *u = &p->u[unit];
	const struct pi_pclass *c = &p->c[u->cls];
	double d = renewal_d(p, u, age, h);

	if (ln_unit(p, u))
		return pi_lnf_pfail(u->r, u->S, c->mu, c->sigma, d, NULL);
	return u->hz ? p_of_d(u->hA, u->hB, d) : p_of_d(u->A, u->B, d);
}

double pi_plant_rate(const struct pi_plant *p, size_t unit)
{
	const struct pi_punit *u = &p->u[unit];
	const struct pi_pclass *c = &p->c[u->cls];
	double rate;

	if (!ln_unit(p, u))
		return u->A / u->B;
	(void)pi_lnf_pfail(u->r, u->S, c->mu, c->sigma, 0.0, &rate);
	return rate;
}

/* Minimal repair: the power law's cumulative intensity over the window
 * at the system's age, in units of the class's tref^beta. */
static double mr_d(const struct pi_plant *p, const struct pi_punit *u, double h)
{
	const struct pi_pclass *c = &p->c[u->cls];
	double a = u->sys_age / c->mr_tref, x = h / c->mr_tref;

	if (a > 0.0)
		return exp(c->mr_beta * log(a)) * expm1(c->mr_beta * log1p(x / a));
	return exp(c->mr_beta * log(x));
}

double pi_plant_pfail(const struct pi_plant *p, size_t unit, double horizon)
{
	const struct pi_punit *u = &p->u[unit];

	if (u->mr)
		return p_of_d(u->mA, u->mB, mr_d(p, u, horizon));
	return pi_plant_p(p, unit, u->age, horizon * u->clock);
}

double pi_plant_expected(const struct pi_plant *p, size_t unit, double horizon, double pf)
{
	const struct pi_punit *u = &p->u[unit];

	if (u->mr)
		return u->mA / u->mB * mr_d(p, u, horizon);
	return pf * (1.0 + pi_plant_p(p, unit, 0.0, 0.5 * horizon * u->clock));
}

int predict_p_fail(const struct predict_ranking *r, size_t unit, double horizon, double *p,
                   struct wr_err *e)
{
	const struct pi_plant *pl = r ? r->plant : NULL;

	*p = NAN;
	if (!pl)
		return wr_fail(e, WR_EINPUT, "no fitted model to ask for a failure probability");
	if (!(horizon > 0.0) || !isfinite(horizon))
		return wr_fail(e, WR_EINPUT, "the horizon must be a positive number of days");
	if (unit >= pl->nunits || !isfinite(pl->u[unit].age) ||
	    (pl->u[unit].mr && !isfinite(pl->u[unit].sys_age)))
		return wr_fail(e, WR_EINPUT,
		               "unit %zu is not ranked: retired, or no install or failure on record "
		               "before the ranking date", unit);
	*p = pi_plant_pfail(pl, unit, horizon);
	return WR_OK;
}

const char *predict_process_str(enum predict_process p)
{
	switch (p) {
	case PREDICT_PROCESS_RENEWAL: return "renewal";
	case PREDICT_PROCESS_MINIMAL_REPAIR: return "minimal repair";
	case PREDICT_PROCESS_IMPERFECT_REPAIR: return "imperfect repair";
	}
	return "unknown";
}

const char *predict_model_str(enum predict_model m)
{
	switch (m) {
	case PREDICT_MODEL_WEIBULL: return "weibull";
	case PREDICT_MODEL_PIECEWISE: return "piecewise";
	case PREDICT_MODEL_POWER_LAW: return "power-law";
	case PREDICT_MODEL_KIJIMA_I: return "kijima-i";
	case PREDICT_MODEL_KIJIMA_II: return "kijima-ii";
	}
	return "unknown";
}

const struct predict_item *predict_rank_find(const struct predict_ranking *r, const char *tag)
{
	size_t i;

	if (!r || !tag)
		return NULL;
	for (i = 0; i < r->n; i++)
		if (strcmp(r->items[i].tag, tag) == 0)
			return &r->items[i];
	return NULL;
}
