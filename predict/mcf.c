/*
 * mcf.c - the fitted mean cumulative number of failures of a repaired
 * unit's current system, for its N(t) plot: what the model expects the
 * count of failures to be at each age of the system, beside the count
 * observed.
 *
 * Under minimal repair (the power law, Crow-AMSAA) the expected count at
 * system age x is the unit's posterior mean rate times (x / tref)^beta,
 * whatever the failures were.  Under imperfect repair the intensity
 * follows the virtual age, which each failure sets back (Kijima, grp.c),
 * so the expected count is the compensator along the system's own
 * failures: the sum over the intervals between them of
 * (v_e / tref)^beta - (v_b / tref)^beta, times the rate.  Minimal repair
 * is its case q = 1 (type I), where the sum telescopes.  At the ranking
 * date the compensator's slope is the one p_fail and the expected
 * failures come from (pfail.c), so the curve and the card's numbers agree.
 */
#include <math.h>
#include <string.h>
#include "predict_int.h"

int predict_unit_mcf(const struct predict_ranking *r, size_t unit, struct predict_mcf *m,
                     struct wr_err *e)
{
	const struct pi_plant *pl = r ? r->plant : NULL;
	const struct pi_punit *u;
	const struct pi_pclass *c;

	memset(m, 0, sizeof *m);
	m->start = m->beta = m->q = m->rate = m->tref = NAN;
	if (!pl || unit >= pl->nunits)
		return wr_fail(e, WR_EINPUT, "no fitted model for unit %zu", unit);
	u = &pl->u[unit];
	if (!u->mr || !isfinite(u->sys_start))
		return WR_OK;   /* renewed at each failure: no process to plot */
	c = &pl->c[u->cls];
	m->ok = 1;
	m->process = c->q < 1.0 ? PREDICT_PROCESS_IMPERFECT_REPAIR : PREDICT_PROCESS_MINIMAL_REPAIR;
	m->type = c->kijima;
	m->start = u->sys_start;
	m->beta = c->mr_beta;
	m->q = c->q;
	m->tref = c->mr_tref;
	m->rate = u->mA / u->mB;
	return WR_OK;
}

/* (v_e / tref)^beta - (v_b / tref)^beta. */
static double span(const struct predict_mcf *m, double vb, double ve)
{
	return pow(ve / m->tref, m->beta) - (vb > 0.0 ? pow(vb / m->tref, m->beta) : 0.0);
}

double predict_mcf_at(const struct predict_mcf *m, const double *fail, size_t nf, double x)
{
	double v = 0.0, prev = 0.0, sum = 0.0;
	size_t j;

	if (!m->ok || !(x >= 0.0))
		return NAN;
	for (j = 0; j < nf && fail[j] <= x; j++) {
		double len = fail[j] - prev;
		/* A failure at the same age as the one before (or at the
		 * start) sets no virtual age of its own, as in grp.c. */
		if (!(len > 0.0))
			continue;
		sum += span(m, v, v + len);
		v = m->type == PREDICT_KIJIMA_II ? m->q * (v + len) : v + m->q * len;
		prev = fail[j];
	}
	if (x > prev)
		sum += span(m, v, v + (x - prev));
	return m->rate * sum;
}
