/*
 * grp.c - imperfect repair: the generalized renewal process with virtual
 * age (Kijima), fitted by maximum likelihood.
 *
 * A repair may leave a system anywhere between as good as new (renewal)
 * and as bad as old (minimal repair).  Kijima's models say so with a
 * virtual age v and a restoration factor q in [0, 1]: with x_n the time
 * from failure n - 1 to failure n,
 *
 *     type I:  v_n = v_(n-1) + q x_n      (the repair undoes the damage of
 *                                          the last interval only)
 *     type II: v_n = q (v_(n-1) + x_n)    (it undoes a share of all of it)
 *
 * and between failures the system ages from v_n at the Weibull intensity
 * (beta / eta)(v / eta)^(beta - 1).  q = 0 is renewal (Weibull lives), q = 1
 * minimal repair (the power law of plp.c with lambda = eta^-beta), for
 * either type.
 *
 * For a given q the virtual ages are known, and every interval between
 * failures is a window (v_b, v_e] of virtual age ending in a failure at
 * v_e (or censored): the likelihood in (beta, eta) is exactly the power
 * law's over those windows, so pi_plp_fit() gives its maximum (unique: the
 * profile score is decreasing).  What is left is one dimension, q: its
 * profile log-likelihood is maximised on a grid and refined by golden
 * section.  At q = 1 the windows chain and their exposures telescope to
 * the system's, so the fit is the power law's to rounding; at q = 0 the
 * windows are the lives and the fit is the Weibull MLE.
 *
 * Observation may begin late (s0 > 0, the history known only from some
 * date): failures before s0 still set the virtual age, only what follows
 * s0 is in the likelihood.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "predict_int.h"

/* Appends the window (b, e] and, if failed, its failure at e. */
static void add_window(struct pi_grp_work *w, double b, double e, int failed)
{
	if (!(e > b))
		return;
	w->vb[w->ni] = b;
	w->ve[w->ni] = e;
	w->xend[w->ni] = (unsigned char)!!failed;
	w->ni++;
	if (failed)
		w->x[w->nx++] = e;
}

/* Window k's failure count, for the units' exposures. */
static void count_window(struct pi_grp_work *w, size_t k, size_t nx0)
{
	w->wn[k] = (int)(w->nx - nx0);
}

static double next_age(enum predict_kijima type, double q, double v, double len)
{
	return type == PREDICT_KIJIMA_II ? q * (v + len) : v + q * len;
}

/* System k's intervals, its virtual age at its end and its failures. */
static void window_intervals(const struct pi_grp_sys *y, size_t k, enum predict_kijima type,
                             double q, struct pi_grp_work *w)
{
	double v = 0.0, prev = 0.0, s0 = y->s0[k], s1 = y->s1[k];
	size_t j, nx0 = w->nx;

	w->iv0[k] = w->ni;
	for (j = y->wf0[k]; j < y->wf0[k + 1]; j++) {
		double x = y->fa[j], len = x - prev;
		if (!(len > 0.0) || x > s1)
			continue;
		if (x > s0)
			add_window(w, s0 > prev ? v + (s0 - prev) : v, v + len, 1);
		v = next_age(type, q, v, len);
		prev = x;
	}
	if (s1 > prev)
		add_window(w, s0 > prev ? v + (s0 - prev) : v, v + (s1 - prev), 0);
	w->vend[k] = s1 > prev ? v + (s1 - prev) : v;
	count_window(w, k, nx0);
}

void pi_grp_intervals(const struct pi_grp_sys *y, enum predict_kijima type, double q,
                      struct pi_grp_work *w)
{
	size_t k;

	w->nx = w->ni = 0;
	for (k = 0; k < y->nw; k++)
		window_intervals(y, k, type, q, w);
	w->iv0[y->nw] = w->ni;
}

int pi_grp_work_alloc(struct pi_grp_work *w, size_t nfa, size_t nw)
{
	size_t cap = nfa + nw + 1;

	memset(w, 0, sizeof *w);
	w->x = malloc(8 * cap * sizeof *w->x);
	w->iv0 = malloc((nw + 1) * sizeof *w->iv0);
	w->vend = malloc((nw + 1) * sizeof *w->vend);
	w->wn = malloc((nw + 1) * sizeof *w->wn);
	w->xend = malloc(cap);
	if (!w->x || !w->iv0 || !w->vend || !w->wn || !w->xend) {
		pi_grp_work_free(w);
		return WR_ENOMEM;
	}
	w->vb = w->x + cap;
	w->ve = w->vb + cap;
	w->lab = w->ve + cap;
	w->pw = w->lab + 2 * cap;
	w->ex = w->pw + cap;
	return WR_OK;
}

void pi_grp_work_free(struct pi_grp_work *w)
{
	free(w->x);
	free(w->iv0);
	free(w->vend);
	free(w->wn);
	free(w->xend);
	memset(w, 0, sizeof *w);
}

int pi_grp_eval(const struct pi_grp_sys *y, enum predict_kijima type, double q, double beta0,
                double conf, struct pi_grp_work *w, struct pi_plp *f)
{
	struct pi_plp_in in;

	pi_grp_intervals(y, type, q, w);
	in.x = w->x;
	in.nx = w->nx;
	in.s0 = w->vb;
	in.s1 = w->ve;
	in.nsys = w->ni;
	in.lab = w->lab;
	in.pw = w->pw;
	in.beta0 = beta0;
	in.xend = w->xend;
	in.ex = w->ex;
	return pi_plp_fit(&in, conf, f);
}

/* ------------------------------------------------------ the public fit */

/* The profile log-likelihood of q (-INFINITY without a finite one). */
struct gprof {
	const struct pi_grp_sys *y;
	enum predict_kijima type;
	struct pi_grp_work *w;
	struct pi_plp f;
	int oom;
};

static double gprof_at(struct gprof *g, double q)
{
	if (pi_grp_eval(g->y, g->type, q, 0.0, 0.9, g->w, &g->f) != WR_OK) {
		g->oom = 1;
		return -INFINITY;
	}
	return isfinite(g->f.loglik) ? g->f.loglik : -INFINITY;
}

#define GRP_GRID 20

/* Golden section for the maximum in [a, b] around the grid's best. */
static double golden(struct gprof *g, double a, double b)
{
	const double r = 0.5 * (sqrt(5.0) - 1.0);
	double c = b - r * (b - a), d = a + r * (b - a);
	double fc = gprof_at(g, c), fd = gprof_at(g, d);

	while (b - a > 1e-7 && !g->oom) {
		if (fc >= fd) {
			b = d;
			d = c;
			fd = fc;
			c = b - r * (b - a);
			fc = gprof_at(g, c);
		} else {
			a = c;
			c = d;
			fc = fd;
			d = a + r * (b - a);
			fd = gprof_at(g, d);
		}
	}
	return 0.5 * (a + b);
}

/* The q of highest profile likelihood: the best point of a grid of step
 * 1/GRP_GRID (the ends included), then golden section between its
 * neighbours, keeping the grid point when the search does no better. */
static double best_q(struct gprof *g)
{
	double best = -INFINITY, qb = 0.0, q, L;
	int i;

	for (i = 0; i <= GRP_GRID; i++) {
		L = gprof_at(g, (double)i / GRP_GRID);
		if (L > best) {
			best = L;
			qb = (double)i / GRP_GRID;
		}
	}
	q = golden(g, qb > 0.0 ? qb - 1.0 / GRP_GRID : 0.0, qb < 1.0 ? qb + 1.0 / GRP_GRID : 1.0);
	return gprof_at(g, q) >= best ? q : qb;
}

/* The end of the likelihood-ratio interval between q (inside) and the
 * bound `end`: where the profile falls `drop` below its maximum Lm. */
static double lr_bound(struct gprof *g, double q, double end, double Lm, double drop)
{
	double in = q, out = end;
	int k;

	if (gprof_at(g, end) >= Lm - drop)
		return end;
	for (k = 0; k < 50 && fabs(out - in) > 1e-7; k++) {
		double m = 0.5 * (in + out);
		if (gprof_at(g, m) >= Lm - drop)
			in = m;
		else
			out = m;
	}
	return 0.5 * (in + out);
}

/* The systems as windows with their failures, copied into one block. */
static int grp_systems(const struct predict_system *sys, size_t nsys, struct pi_grp_sys *y,
                       double **mem, size_t **wf0, size_t *nfa, struct wr_err *e)
{
	size_t q, i, n = 0;
	double *m;

	for (q = 0; q < nsys; q++) {
		if (!(sys[q].end > sys[q].start) || !(sys[q].start >= 0.0) || !isfinite(sys[q].end))
			return wr_fail(e, WR_EINPUT, "system %zu: the observation must run from an age "
			               ">= 0 to a later one", q + 1);
		for (i = 0; i < sys[q].n; i++)
			if (!(sys[q].fail[i] > sys[q].start && sys[q].fail[i] <= sys[q].end) ||
			    (i > 0 && sys[q].fail[i] < sys[q].fail[i - 1]))
				return wr_fail(e, WR_EINPUT, "system %zu: failure %zu at age %g is outside "
				               "its observation (%g, %g] or out of order", q + 1, i + 1,
				               sys[q].fail[i], sys[q].start, sys[q].end);
		n += sys[q].n;
	}
	*mem = m = malloc((n + 2 * nsys + 1) * sizeof *m);
	*wf0 = malloc((nsys + 1) * sizeof **wf0);
	if (!m || !*wf0)
		return wr_fail(e, WR_ENOMEM, "out of memory fitting the renewal process");
	for (q = 0, n = 0; q < nsys; q++) {
		(*wf0)[q] = n;
		for (i = 0; i < sys[q].n; i++)
			m[n++] = sys[q].fail[i];
	}
	(*wf0)[nsys] = n;
	y->fa = m;
	y->s0 = m + n;
	y->s1 = m + n + nsys;
	for (q = 0; q < nsys; q++) {
		m[n + q] = sys[q].start;
		m[n + nsys + q] = sys[q].end;
	}
	y->wf0 = *wf0;
	y->nw = nsys;
	*nfa = n;
	return WR_OK;
}

static void grp_out_init(struct predict_grp *out, enum predict_kijima type)
{
	memset(out, 0, sizeof *out);
	out->type = type;
	out->q = out->beta = out->eta = out->loglik = NAN;
	out->q_b.lo = out->q_b.hi = NAN;
}

/* Fits q (or takes it), then (beta, eta) at it, and the bounds of q. */
static void grp_solve(struct gprof *g, double qfix, double conf, struct predict_grp *out)
{
	double q = isnan(qfix) ? best_q(g) : qfix, Lm = gprof_at(g, q), drop;

	if (g->oom || !g->f.ok)
		return;
	out->ok = 1;
	out->q = q;
	out->n = g->f.n;
	out->beta = g->f.beta;
	out->eta = exp(-log(g->f.lambda) / g->f.beta);
	out->loglik = Lm;
	if (!isnan(qfix))
		return;
	drop = 0.5 * pi_chi2_quantile(conf, 1.0);
	out->q_b.lo = lr_bound(g, q, 0.0, Lm, drop);
	out->q_b.hi = lr_bound(g, q, 1.0, Lm, drop);
	/* Leave the fit at q (the bounds moved it). */
	(void)gprof_at(g, q);
}

int predict_grp_fit(const struct predict_system *sys, size_t nsys, enum predict_kijima type,
                    double q, double conf, struct predict_grp *out, struct wr_err *e)
{
	struct pi_grp_sys y;
	struct pi_grp_work w;
	struct gprof g;
	double *mem = NULL;
	size_t *wf0 = NULL, nfa = 0;
	int rc;

	grp_out_init(out, type);
	if (type != PREDICT_KIJIMA_I && type != PREDICT_KIJIMA_II)
		return wr_fail(e, WR_EINPUT, "the Kijima type must be I or II");
	if (!isnan(q) && !(q >= 0.0 && q <= 1.0))
		return wr_fail(e, WR_EINPUT, "the restoration factor q must lie in [0, 1]");
	if (!(conf > 0.0 && conf < 1.0))
		conf = PREDICT_CONF_DEFAULT;
	rc = grp_systems(sys, nsys, &y, &mem, &wf0, &nfa, e);
	if (rc == WR_OK && pi_grp_work_alloc(&w, nfa, nsys) != WR_OK)
		rc = wr_fail(e, WR_ENOMEM, "out of memory fitting the renewal process");
	if (rc == WR_OK) {
		g.y = &y;
		g.type = type;
		g.w = &w;
		g.oom = 0;
		grp_solve(&g, q, conf, out);
		if (g.oom)
			rc = wr_fail(e, WR_ENOMEM, "out of memory fitting the renewal process");
		pi_grp_work_free(&w);
	}
	free(mem);
	free(wf0);
	if (rc)
		grp_out_init(out, type);
	return rc;
}

const char *predict_kijima_str(enum predict_kijima t)
{
	return t == PREDICT_KIJIMA_II ? "Kijima II" : "Kijima I";
}
