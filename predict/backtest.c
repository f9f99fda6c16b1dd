/*
 * backtest.c - would the ranking have helped?  At each cutoff the model is
 * fitted with only the history before the cutoff (predict_rank() never
 * reads an event at or after its date), every scored unit gets a score,
 * and the scores are compared with whether the unit really failed within
 * [cutoff, cutoff + horizon).
 *
 * The baselines are what planners use without a model:
 *   age      time since the last renewal (old parts fail);
 *   count    failures before the cutoff (bad actors fail again);
 *   MTBF     1 - exp(-H / MTBF) with the unit's naive MTBF, observed time
 *            over failures; a unit without failures takes its class's
 *            rate, or the rate over all units if its class has none;
 *   climate  the same probability for everyone: the base rate of failure
 *            within a horizon in the past (see past_rate()).
 * Age and count are not probabilities, so they get no Brier score.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "predict_int.h"

const char *predict_scorer_str(enum predict_scorer s)
{
	switch (s) {
	case PREDICT_S_MODEL: return "model";
	case PREDICT_S_AGE: return "age";
	case PREDICT_S_COUNT: return "failure count";
	case PREDICT_S_MTBF: return "naive MTBF";
	case PREDICT_S_CLIMATE: return "climatology";
	case PREDICT_S_ORACLE: return "oracle";
	case PREDICT_S_COUNT_: break;
	}
	return "unknown";
}

/* Did unit u fail in [t0, t1)? */
static int failed_in(const struct ld_set *s, size_t u, double t0, double t1)
{
	const struct ld_unit *un = &s->units[u];
	size_t lo = 0, hi = un->nev;

	/* Events are sorted by time: find the first at or after t0. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->events[un->ev0 + mid].t < t0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < un->nev && s->events[un->ev0 + lo].t < t1; lo++)
		if (s->events[un->ev0 + lo].kind == LD_FAILURE)
			return 1;
	return 0;
}

/* When the unit's history starts: its first renewal. */
static double first_renewal(const struct ld_set *s, size_t u)
{
	const struct ld_unit *un = &s->units[u];

	if (isfinite(un->install))
		return un->install;
	return un->nev ? s->events[un->ev0].t : NAN;
}

/* Horizons the climatology looks back over at most: a base rate needs
 * many unit-horizons, not every one since the oldest date in the data (an
 * install in 1900 and a one-day horizon would be 45000 of them per unit
 * and cutoff). */
#define PAST_HORIZONS 1000

/*
 * The climatology rate, from the past only: the horizons [T - kH, T - (k-1)H)
 * for k = 1, 2, ... back to the start of the data (at most PAST_HORIZONS),
 * and in each of them the in-service units whose history had begun; the rate
 * is the fraction of those unit-horizons that saw a failure.  Using the
 * future base rate would hand climatology knowledge the model never gets.
 */
static double past_rate(const struct ld_set *s, double T, double H, double history_start)
{
	double start = INFINITY, pos = 0.0, tot = 0.0, w;
	size_t u;
	int k;

	for (u = 0; u < s->nunits; u++) {
		double f = first_renewal(s, u);
		if (f < start)
			start = f;
	}
	/* Before the history is complete an absent failure proves nothing. */
	if (isfinite(history_start) && history_start > start)
		start = history_start;
	for (w = T - H, k = 0; w >= start && k < PAST_HORIZONS; w -= H, k++) {
		for (u = 0; u < s->nunits; u++) {
			if (!s->units[u].in_service || !(first_renewal(s, u) < w))
				continue;
			tot += 1.0;
			pos += failed_in(s, u, w, w + H);
		}
	}
	return tot > 0.0 ? pos / tot : NAN;
}

/* The probability scorers' (p, outcome) pairs over every cutoff, for the
 * calibration tables. */
struct pool {
	double *p[PREDICT_S_COUNT_];
	int *y[PREDICT_S_COUNT_];
	size_t n[PREDICT_S_COUNT_], cap[PREDICT_S_COUNT_];
};

static int pool_add(struct pool *q, size_t k, const double *p, const int *y, size_t n)
{
	if (q->n[k] + n > q->cap[k]) {
		size_t cap = 2 * (q->n[k] + n);
		double *np = realloc(q->p[k], cap * sizeof *np);
		int *ny;
		if (!np)
			return WR_ENOMEM;
		q->p[k] = np;
		ny = realloc(q->y[k], cap * sizeof *ny);
		if (!ny)
			return WR_ENOMEM;
		q->y[k] = ny;
		q->cap[k] = cap;
	}
	memcpy(q->p[k] + q->n[k], p, n * sizeof *p);
	memcpy(q->y[k] + q->n[k], y, n * sizeof *y);
	q->n[k] += n;
	return WR_OK;
}

static void pool_free(struct pool *q)
{
	size_t k;

	for (k = 0; k < PREDICT_S_COUNT_; k++) {
		free(q->p[k]);
		free(q->y[k]);
	}
}

/* What one cutoff needs to know of the truth: its row of p, and where
 * the groups' sums go. */
struct cut_truth {
	const struct predict_truth *t;
	const double *p;         /* this cutoff's row */
	struct predict_group *groups;
};

/* The oracle's scores (the true p of each scored unit) and the groups'
 * sums. */
static int score_truth(const struct cut_truth *ct, const struct predict_ranking *r,
                       const double *sc, const int *lab, double *oracle, struct wr_err *e)
{
	size_t i, n = r->n, k;

	for (i = 0; i < n; i++) {
		const struct predict_item *it = &r->items[i];
		int g;
		oracle[i] = ct->p[it->unit];
		if (!(oracle[i] >= 0.0 && oracle[i] <= 1.0))
			return wr_fail(e, WR_EINPUT, "the truth has no probability for asset %s at "
			               "the cutoff %g (days since 1970)", it->tag, r->T);
		g = ct->t->group ? ct->t->group[it->unit] : -1;
		if (g < 0 || (size_t)g >= ct->t->ngroups)
			continue;
		ct->groups[g].n++;
		ct->groups[g].observed += lab[i];
		for (k = 0; k < PREDICT_S_COUNT_; k++)
			if (k == PREDICT_S_MODEL || k == PREDICT_S_MTBF || k == PREDICT_S_CLIMATE)
				ct->groups[g].predicted[k] += sc[k * n + i];
		ct->groups[g].predicted[PREDICT_S_ORACLE] += oracle[i];
	}
	return WR_OK;
}

/* The scores of every scorer but the oracle (sc holds n per scorer) and
 * the labels, for the units ranked at T. */
static int score_units(const struct ld_set *s, const struct predict_ranking *r,
                       const struct predict_opts *o, struct predict_cutoff *c, double *sc,
                       int *lab, struct wr_err *e)
{
	double grate, gf = 0.0, go = 0.0, T = r->T;
	size_t i, n = r->n;
	int rc;

	for (i = 0; i < r->nclasses; i++) {
		gf += r->classes[i].failures;
		go += r->classes[i].observed;
	}
	grate = go > 0.0 ? (gf > 0.0 ? gf : 1.0) / go : 0.0;
	for (i = 0; i < n; i++) {
		const struct predict_item *it = &r->items[i];
		const struct predict_class *pc = &r->classes[it->class_index];
		double rate;
		lab[i] = failed_in(s, it->unit, T, T + o->horizon);
		c->positives += lab[i];
		if (it->failures > 0 && it->observed > 0.0)
			rate = it->failures / it->observed;
		else if (pc->failures > 0.0 && pc->observed > 0.0)
			rate = pc->failures / pc->observed;
		else
			rate = grate;
		rc = predict_p_fail(r, it->unit, o->horizon, &sc[PREDICT_S_MODEL * n + i], e);
		if (rc)
			return rc;
		c->predicted += sc[PREDICT_S_MODEL * n + i];
		sc[PREDICT_S_AGE * n + i] = it->age;
		sc[PREDICT_S_COUNT * n + i] = it->failures;
		sc[PREDICT_S_MTBF * n + i] = -expm1(-it->horizon * rate);
		sc[PREDICT_S_CLIMATE * n + i] = isfinite(c->base_rate) ? c->base_rate : 0.0;
	}
	return WR_OK;
}

/* Each scorer's metrics, and the probabilities into the calibration pool. */
static int score_metrics(const struct predict_opts *o, int truth, struct predict_cutoff *c,
                         const double *sc, const int *lab, size_t n, struct pool *q,
                         struct wr_err *e)
{
	size_t k;
	int rc;

	c->k = o->top_k ? o->top_k : c->positives;
	for (k = 0; k < PREDICT_S_COUNT_; k++) {
		int prob = k == PREDICT_S_MODEL || k == PREDICT_S_MTBF ||
		           (k == PREDICT_S_CLIMATE && isfinite(c->base_rate)) || k == PREDICT_S_ORACLE;
		if (k == PREDICT_S_ORACLE && !truth)
			continue;
		rc = predict_metrics(sc + k * n, lab, n, c->k, prob, &c->m[k], e);
		if (rc)
			return rc;
		if (prob && pool_add(q, k, sc + k * n, lab, n) != WR_OK)
			return wr_fail(e, WR_ENOMEM, "out of memory in the backtest");
	}
	return WR_OK;
}

static int one_cutoff(const struct ld_set *s, double T, const struct predict_opts *o,
                      const struct cut_truth *ct, struct predict_cutoff *c, struct pool *q,
                      struct wr_err *e)
{
	struct predict_ranking r;
	double *sc = NULL;
	int *lab = NULL, rc;
	size_t n, k;

	memset(c, 0, sizeof *c);
	c->T = T;
	for (k = 0; k < PREDICT_S_COUNT_; k++)
		c->m[k].auc = c->m[k].prec_k = c->m[k].brier = NAN;
	rc = predict_rank(s, T, o, &r, e);
	if (rc)
		return rc;
	n = r.n;
	c->scored = n;
	c->base_rate = past_rate(s, T, o->horizon, o->history_start);
	sc = malloc((n ? n : 1) * PREDICT_S_COUNT_ * sizeof *sc);
	lab = malloc((n ? n : 1) * sizeof *lab);
	if (!sc || !lab)
		rc = wr_fail(e, WR_ENOMEM, "out of memory in the backtest");
	if (rc == WR_OK)
		rc = score_units(s, &r, o, c, sc, lab, e);
	if (rc == WR_OK && ct)
		rc = score_truth(ct, &r, sc, lab, sc + PREDICT_S_ORACLE * n, e);
	if (rc == WR_OK)
		rc = score_metrics(o, ct != NULL, c, sc, lab, n, q, e);
	free(sc);
	free(lab);
	predict_rank_free(&r);
	return rc;
}

int predict_backtest(const struct ld_set *s, const double *cutoffs, size_t ncut,
                     const struct predict_opts *o_in, struct predict_backtest *out,
                     struct wr_err *e)
{
	return predict_backtest_truth(s, cutoffs, ncut, o_in, NULL, out, e);
}

/* Means over the cutoffs where the metric exists. */
static void means(struct predict_backtest *out)
{
	size_t i, k;

	for (k = 0; k < PREDICT_S_COUNT_; k++) {
		double sa = 0.0, sp = 0.0, sb = 0.0, na = 0.0, np = 0.0, nb = 0.0;
		for (i = 0; i < out->n; i++) {
			const struct predict_metrics *m = &out->cuts[i].m[k];
			if (isfinite(m->auc)) {
				sa += m->auc;
				na += 1.0;
			}
			if (isfinite(m->prec_k)) {
				sp += m->prec_k;
				np += 1.0;
			}
			if (isfinite(m->brier)) {
				sb += m->brier;
				nb += 1.0;
			}
		}
		out->mean[k].auc = na > 0.0 ? sa / na : NAN;
		out->mean[k].prec_k = np > 0.0 ? sp / np : NAN;
		out->mean[k].brier = nb > 0.0 ? sb / nb : NAN;
	}
}

/* The cutoffs' results and the truth's groups. */
static int bt_alloc(struct predict_backtest *out, size_t ncut, const struct predict_truth *truth)
{
	out->cuts = calloc(ncut, sizeof *out->cuts);
	if (!out->cuts)
		return WR_ENOMEM;
	out->n = ncut;
	out->has_truth = truth != NULL;
	if (truth && truth->ngroups) {
		out->groups = calloc(truth->ngroups, sizeof *out->groups);
		if (!out->groups)
			return WR_ENOMEM;
		out->ngroups = truth->ngroups;
	}
	return WR_OK;
}

int predict_backtest_truth(const struct ld_set *s, const double *cutoffs, size_t ncut,
                           const struct predict_opts *o_in, const struct predict_truth *truth,
                           struct predict_backtest *out, struct wr_err *e)
{
	struct predict_opts o;
	struct pool q;
	struct cut_truth ct;
	size_t i, k;
	int rc;

	memset(out, 0, sizeof *out);
	memset(&q, 0, sizeof q);
	if (o_in)
		o = *o_in;
	else
		predict_opts_init(&o);
	out->horizon = o.horizon;
	if (!(o.horizon > 0.0) || !isfinite(o.horizon))
		return wr_fail(e, WR_EINPUT, "the horizon must be a positive number of days");
	if (ncut == 0)
		return wr_fail(e, WR_EINPUT, "the backtest needs at least one cutoff date");
	if (truth && (!s || truth->nunits != s->nunits || !truth->p))
		return wr_fail(e, WR_EINPUT, "the truth does not describe the units of the history");
	if (bt_alloc(out, ncut, truth) != WR_OK) {
		predict_backtest_free(out);
		return wr_fail(e, WR_ENOMEM, "out of memory in the backtest");
	}
	ct.t = truth;
	ct.groups = out->groups;
	for (i = 0; i < ncut; i++) {
		ct.p = truth ? truth->p + i * truth->nunits : NULL;
		rc = one_cutoff(s, cutoffs[i], &o, truth ? &ct : NULL, &out->cuts[i], &q, e);
		if (rc)
			goto fail;
	}
	for (k = 0; k < PREDICT_S_COUNT_; k++) {
		/* The model's and the oracle's pairs were added together, so
		 * they line up. */
		const double *t = truth && k == PREDICT_S_MODEL ? q.p[PREDICT_S_ORACLE] : NULL;
		rc = predict_calibration(q.p[k], t, q.y[k], q.n[k], &out->calib[k], e);
		if (rc)
			goto fail;
	}
	pool_free(&q);
	means(out);
	return WR_OK;
fail:
	pool_free(&q);
	predict_backtest_free(out);
	return rc;
}

void predict_backtest_free(struct predict_backtest *b)
{
	if (!b)
		return;
	free(b->cuts);
	free(b->groups);
	b->cuts = NULL;
	b->groups = NULL;
	b->n = b->ngroups = 0;
}
