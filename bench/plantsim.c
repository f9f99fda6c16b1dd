/*
 * plantsim.c - a plant whose truth is known: assets and their failure
 * history drawn from stated models, written as wrench imports them, with
 * every asset's true probability of failing within the horizon after each
 * cutoff.  `wrench backtest --truth` scores the model, the baselines and
 * this true model (the oracle) on it.  predict/README.md describes it.
 *
 *   plantsim DIR ASSETS SEED VARIANT
 *
 * VARIANT is base, none (no unit-to-unit variation), strong (strong
 * variation) or deteriorating (most classes repairable and deteriorating).
 * Writes DIR/assets.csv, DIR/history.csv, DIR/truth.csv (asset, cutoff,
 * p_fail, group), DIR/truth_bayes.csv (the same rows, p_fail of the Bayes
 * bound below) and DIR/classes.csv (each class's true model), and prints
 * the cutoffs as "--from DATE --to DATE" for the backtest.  The same
 * arguments always give the same bytes.
 *
 * The plant (times in days):
 *  - K = ASSETS / 200 classes (at least 2, at most 12), ASSETS / K assets
 *    each, installed uniformly over 2019-01-01 .. 2024-07-01 (staggered:
 *    some arrive during the cutoff year); history runs to 2025-01-01;
 *    cutoffs monthly 2024-01-01 .. 2024-12-01, horizon 30 days.
 *  - Renewal classes: Weibull lives, shapes spread log-evenly from 0.7 to
 *    4 over the classes, class scale 150 .. 1500 days.  A failed unit is
 *    replaced (a failure and a replacement at the same instant).  Classes
 *    with beta >= 1.5 get, every other one, planned replacement at a fixed
 *    age tau (0.7 .. 1.2 eta): a replacement event, a suspension.
 *  - Repairable classes (a share of the classes): minimal repair, the
 *    failures of a power-law process (Crow-AMSAA) in the asset's own age,
 *    intensity (beta / theta)(t / theta)^(beta - 1): beta = 1 (random
 *    failures, no ageing), or deteriorating, beta 1.6 .. 3.  A repair is a
 *    failure event alone (the unit is not replaced).  theta is set so an
 *    asset sees 3 .. 15 failures in 6 years.
 *  - Unit-to-unit variation: each asset's scale is the class's times
 *    exp(sigma Z), Z standard normal (log-normal; sigma 0, 0.35 or 0.8).
 *    The asset keeps it across replacements (it belongs to the duty, not
 *    to the part).
 *  - The truth at cutoff T, from the history before T: renewal assets,
 *    P(fail in [T, T + H)) = 1 - S(window) with S the chance of lasting to
 *    the end of the window or to a planned replacement inside it and the
 *    new unit lasting the rest; repairable assets, 1 - exp(-(L(s + H) -
 *    L(s))) with L(s) = (s / theta)^beta, s the asset's age.
 *  - The Bayes bound (truth_bayes.csv).  The truth knows each unit's own
 *    scale, which no estimator can tell from a unit's few failures.  The
 *    most a predictor using only the history can get is the posterior mean
 *    over Z of the truth, knowing every class's true model (kind, beta,
 *    class scale, tau, sigma) but not the unit's Z:
 *      p_bayes = int p(z) L(z) phi(z) dz / int L(z) phi(z) dz,
 *    L(z) the likelihood of the asset's history before the cutoff with the
 *    unit's scale = class scale * exp(sigma z).  Renewal: f(life) for each
 *    life ended by a failure, S(tau) for each planned replacement, S(age)
 *    for the current life; minimal repair: the intensities at the failures
 *    times exp(-(s / theta)^beta).  Both are u^n exp(-A u) up to a factor,
 *    u = exp(-beta sigma z), n the failures and A the cumulative hazard at
 *    the class scale, so log L(z) phi(z) is concave in z; the trapezoid
 *    rule from its mode outwards integrates it (bayes_p).  sigma = 0: the
 *    truth itself.  It is computed from the events already drawn, so the
 *    other files are the same bytes with or without it.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

#define HORIZON 30.0
#define NCUT 12
#define MAXCLS 12
#define MINUTE (1.0 / 1440.0)
/* Trapezoid steps per width of the Bayes bound's integrand (bayes_p). */
#define BAYES_STEPS 8.0

enum kind { K_RENEWAL, K_MINIMAL };

struct cls {
	char name[16];
	enum kind kind;
	double beta, scale;      /* eta (renewal) or theta (minimal repair) */
	double tau;              /* planned replacement age, 0 = none */
	int deteriorating;
};

struct variant {
	const char *name;
	double sigma;            /* log-sd of unit scales */
	double repairable;       /* share of classes repaired, not renewed */
	double deteriorating;    /* share of the repairable classes that deteriorate */
};

static const struct variant variants[] = {
	{"base", 0.35, 0.3, 0.5},
	{"none", 0.0, 0.3, 0.5},
	{"strong", 0.8, 0.3, 0.5},
	{"deteriorating", 0.35, 0.6, 0.85},
};

struct sim {
	FILE *assets, *hist, *truth, *bayes;
	double day0, end, cut[NCUT];
	uint64_t rng;
	long events, failures;
};

/* One asset's event times, kept for the Bayes bound: renewal times
 * (install first; failed[i] when the life ending at t[i] failed) or the
 * failure times of a repairable asset. */
struct trace {
	double *t;
	unsigned char *failed;
	size_t n, cap;
};

/* What the Bayes bound needs of an asset at a cutoff: its class (true
 * model and class scale), the variation sigma, the failures n and the
 * cumulative hazard A at the class scale of its history before the cutoff,
 * and its age now (the current unit's for renewal, the asset's for
 * minimal repair). */
struct post {
	const struct cls *c;
	double sigma, n, A, age;
};

static double unif(struct sim *s)
{
	uint64_t z = (s->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(struct sim *s)
{
	return sqrt(-2.0 * log(unif(s))) * cos(2.0 * M_PI * unif(s));
}

static double day_of(int y, int m, int d)
{
	return (double)wr_date_from_ymd(y, m, d) / WR_DAY;
}

/* Times go out to the minute: rounded up, so a life never shrinks to 0. */
static double to_minute(double t)
{
	return ceil(t / MINUTE - 1e-9) * MINUTE;
}

static int put_event(struct sim *s, const char *tag, double t, const char *what)
{
	char buf[WR_DATE_BUF];

	s->events++;
	return fprintf(s->hist, "%s,%s,%s\n", tag, wr_date_fmt((int64_t)llround(t * WR_DAY), buf),
	               what) < 0 ? -1 : 0;
}

/* ------------------------------------------------------------ classes */

static void make_classes(struct sim *s, const struct variant *v, struct cls *c, int k)
{
	int nrep = (int)lround(v->repairable * k), ndet, i, j = 0, nren;

	if (v->repairable > 0 && nrep < 1)
		nrep = 1;
	ndet = (int)lround(v->deteriorating * nrep);
	nren = k - nrep;
	for (i = 0; i < k; i++) {
		struct cls *cl = &c[i];
		snprintf(cl->name, sizeof cl->name, "class%02d", i + 1);
		cl->tau = 0.0;
		cl->deteriorating = 0;
		if (i < nren) {
			double x = nren > 1 ? (double)i / (nren - 1) : 0.5;
			cl->kind = K_RENEWAL;
			cl->beta = 0.7 * pow(4.0 / 0.7, x) * exp(0.05 * normal(s));
			cl->scale = 150.0 * pow(10.0, unif(s));
			if (cl->beta >= 1.5 && (j++ % 2) == 0)
				cl->tau = cl->scale * (0.7 + 0.5 * unif(s));
		} else {
			double m = 3.0 * pow(5.0, unif(s));   /* failures in 6 years */
			cl->kind = K_MINIMAL;
			cl->deteriorating = i - nren < ndet;
			cl->beta = cl->deteriorating ? 1.6 + 1.4 * unif(s) : 1.0;
			cl->scale = 6.0 * 365.25 / pow(m, 1.0 / cl->beta);
		}
	}
}

/* ------------------------------------------------------ renewal assets */

/* P(no failure in (a, a + h]) for a renewal unit of age a: lives
 * Weibull(beta, eta), replaced at age tau when tau > 0. */
static double renewal_survival(double beta, double eta, double tau, double a, double h)
{
	double logs = 0.0;

	while (h > 0.0) {
		double stop = tau > 0.0 && a + h > tau ? tau : a + h;
		logs -= pow(stop / eta, beta) - pow(a / eta, beta);
		h -= stop - a;
		a = 0.0;
	}
	return exp(logs);
}

/* Keep one event time and whether it ended a life by failure (grown by
 * doubling; the two arrays keep the same capacity). */
static int trace_push(struct trace *tr, double t, int failed)
{
	if (tr->n == tr->cap) {
		size_t cap = tr->cap ? 2 * tr->cap : 64;
		double *p = realloc(tr->t, cap * sizeof *p);
		unsigned char *f;
		if (!p)
			return -1;
		tr->t = p;
		if (!(f = realloc(tr->failed, cap)))
			return -1;
		tr->failed = f;
		tr->cap = cap;
	}
	tr->t[tr->n] = t;
	tr->failed[tr->n++] = (unsigned char)failed;
	return 0;
}

/* One renewal asset's history; tr gets its renewal times (install first)
 * and which of them followed a failure. */
static int renewal_history(struct sim *s, const struct cls *c, const char *tag, double install,
                           double eta, struct trace *tr)
{
	double t = install;
	int failed = 0;

	tr->n = 0;
	for (;;) {
		double life = eta * pow(-log(unif(s)), 1.0 / c->beta);
		int planned = c->tau > 0.0 && c->tau < life;
		if (trace_push(tr, t, failed) != 0)
			return -1;
		t = to_minute(t + (planned ? c->tau : life));
		if (t >= s->end)
			return 0;
		failed = !planned;
		if (!planned) {
			s->failures++;
			if (put_event(s, tag, t, "failure") != 0)
				return -1;
		}
		if (put_event(s, tag, t, "replacement") != 0)
			return -1;
	}
}

/* ---------------------------------------------------- repairable assets */

/* One repairable asset's history; tr gets its failure times. */
static int minimal_history(struct sim *s, const struct cls *c, const char *tag, double install,
                           double theta, struct trace *tr)
{
	double age = 0.0;

	tr->n = 0;
	for (;;) {
		/* The next failure: L(age') = L(age) + E, E ~ Exp(1). */
		double L = pow(age / theta, c->beta) - log(unif(s));
		double t = to_minute(install + theta * pow(L, 1.0 / c->beta));
		if (t >= s->end)
			return 0;
		s->failures++;
		if (put_event(s, tag, t, "failure") != 0 || trace_push(tr, t, 1) != 0)
			return -1;
		age = t - install;
	}
}

static double minimal_p(const struct cls *c, double theta, double age)
{
	return -expm1(-(pow((age + HORIZON) / theta, c->beta) - pow(age / theta, c->beta)));
}

/* ---------------------------------------------------------- Bayes bound */

/* log L(z) + log phi(z) up to a constant, and (when asked) its first and
 * second derivatives: L = u^n exp(-A u) with u = exp(-b z), b = beta sigma
 * (each failure's density or intensity brings a factor u, every hazard
 * accumulated at the unit's scale is the class scale's times u). */
static double log_post(const struct post *q, double z, double *d1, double *d2)
{
	double b = q->c->beta * q->sigma, au = q->A * exp(-b * z);

	if (d1)
		*d1 = -q->n * b + b * au - z;
	if (d2)
		*d2 = -b * b * au - 1.0;
	return -q->n * b * z - au - 0.5 * z * z;
}

static double slope(const struct post *q, double z)
{
	double d1;

	log_post(q, z, &d1, NULL);
	return d1;
}

/* The mode of log L(z) phi(z), *curv its second derivative there.  The
 * slope falls strictly (the second derivative is below -1), so Newton is
 * kept inside a bracket, bisecting when a step would leave it. */
static double post_mode(const struct post *q, double *curv)
{
	double lo = -1.0, hi = 1.0, z = 0.0, d1, d2;
	int i;

	while (slope(q, lo) < 0.0 && lo > -64.0)
		lo *= 2.0;
	while (slope(q, hi) > 0.0 && hi < 64.0)
		hi *= 2.0;
	for (i = 0; i < 200; i++) {
		double next;
		log_post(q, z, &d1, &d2);
		if (d1 > 0.0)
			lo = z;
		else
			hi = z;
		next = z - d1 / d2;
		if (!(next > lo && next < hi))
			next = 0.5 * (lo + hi);
		if (fabs(next - z) < 1e-12)
			break;
		z = next;
	}
	log_post(q, z, NULL, curv);
	return z;
}

/* The truth of an asset at a cutoff, for a unit scale. */
static double p_at(const struct post *q, double scale)
{
	if (q->c->kind == K_MINIMAL)
		return minimal_p(q->c, scale, q->age);
	return 1.0 - renewal_survival(q->c->beta, scale, q->c->tau, q->age, HORIZON);
}

/* p_bayes, the posterior mean of the truth over the unit's Z, by the
 * trapezoid rule: from the posterior's mode outwards on each side until the
 * weight falls below 1e-20 of the mode's (log L phi falls from its top at
 * least as fast as -(z - mode)^2 / 2, so within 10 of the mode), the step
 * an eighth of the narrower of the posterior's width at the mode and the
 * truth's own scale in z (p moves by a factor e per 1 / (beta sigma)).
 * The integrand being smooth and vanishing this fast, the trapezoid's
 * error falls exponentially with the step: an adaptive Gauss-Hermite rule
 * of 40 nodes was off by up to 2e-4 where the posterior is skewed (a young
 * unit of a steep class, sigma 0.8), this by at most 1e-10 (the last digit
 * written) against a step four times finer, on 24 plants of every variant.
 * With many failures the posterior is far narrower than phi: centred on
 * its mode, the rule still sees it; the weights are taken relative to the
 * mode's, as L(z) underflows.  sigma = 0: the truth. */
static double bayes_p(const struct post *q)
{
	double curv, mode, top, step, num = 0.0, den = 0.0;
	int side;

	if (q->sigma == 0.0)
		return p_at(q, q->c->scale);
	mode = post_mode(q, &curv);
	top = log_post(q, mode, NULL, NULL);
	step = fmin(sqrt(-1.0 / curv), 1.0 / (q->c->beta * q->sigma)) / BAYES_STEPS;
	for (side = -1; side <= 1; side += 2) {
		double z = side < 0 ? mode : mode + step, w;   /* the mode counted once */
		while ((w = exp(log_post(q, z, NULL, NULL) - top)) > 1e-20) {
			num += w * p_at(q, q->c->scale * exp(q->sigma * z));
			den += w;
			z += side * step;
		}
	}
	return num / den;
}

/* ---------------------------------------------------------------- truth */

/* One row of truth.csv and the same row of truth_bayes.csv. */
static int put_truth(struct sim *s, const char *tag, int k, double p, double pb,
                     const char *group)
{
	char buf[WR_DATE_BUF];
	const char *day = wr_date_fmt_day((int64_t)llround(s->cut[k] * WR_DAY), buf);

	return fprintf(s->truth, "%s,%s,%.10f,%s\n", tag, day, p, group) < 0 ||
	       fprintf(s->bayes, "%s,%s,%.10f,%s\n", tag, day, pb, group) < 0 ? -1 : 0;
}

/* The cumulative hazard of a life at the class scale: a failure's (the
 * life as recorded) or a planned replacement's (tau). */
static double life_hazard(const struct cls *c, const struct trace *tr, size_t j)
{
	double life = tr->failed[j] ? tr->t[j] - tr->t[j - 1] : c->tau;

	return pow(life / c->scale, c->beta);
}

static int renewal_truth(struct sim *s, const struct cls *c, const char *tag, double eta,
                         double sigma, const struct trace *tr)
{
	const double *renew = tr->t;
	struct post q = {c, sigma, 0.0, 0.0, 0.0};
	double A = 0.0;          /* the completed lives' hazard at the class scale */
	size_t j = 0;
	int k;

	for (k = 0; k < NCUT; k++) {
		double T = s->cut[k];
		if (!(renew[0] < T))
			continue;
		while (j + 1 < tr->n && renew[j + 1] < T) {
			j++;
			q.n += tr->failed[j];
			A += life_hazard(c, tr, j);
		}
		q.age = T - renew[j];
		q.A = A + pow(q.age / c->scale, c->beta);   /* the current life, censored */
		if (put_truth(s, tag, k, 1.0 - renewal_survival(c->beta, eta, c->tau, q.age, HORIZON),
		              bayes_p(&q), "renewal") != 0)
			return -1;
	}
	return 0;
}

static int minimal_truth(struct sim *s, const struct cls *c, const char *tag, double install,
                         double theta, double sigma, const struct trace *tr)
{
	struct post q = {c, sigma, 0.0, 0.0, 0.0};
	size_t j = 0;
	int k;

	for (k = 0; k < NCUT; k++) {
		if (!(install < s->cut[k]))
			continue;
		while (j < tr->n && tr->t[j] < s->cut[k])
			j++;
		q.n = (double)j;
		q.age = s->cut[k] - install;
		q.A = pow(q.age / c->scale, c->beta);
		if (put_truth(s, tag, k, minimal_p(c, theta, q.age), bayes_p(&q),
		              c->deteriorating ? "deteriorating" : "repairable") != 0)
			return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- plant */

static int one_asset(struct sim *s, const struct cls *c, const char *tag, double sigma,
                     struct trace *tr)
{
	char buf[WR_DATE_BUF];
	/* Whole days, so the install date is what the assets file says. */
	double install = floor(s->day0 + unif(s) * (day_of(2024, 7, 1) - s->day0));
	double scale = c->scale * exp(sigma * normal(s));

	if (fprintf(s->assets, "%s,Simulated %s,%s,%s\n", tag, c->name, c->name,
	            wr_date_fmt_day((int64_t)llround(install * WR_DAY), buf)) < 0)
		return -1;
	if (c->kind == K_MINIMAL)
		return minimal_history(s, c, tag, install, scale, tr) ||
		       minimal_truth(s, c, tag, install, scale, sigma, tr) ? -1 : 0;
	return renewal_history(s, c, tag, install, scale, tr) ||
	       renewal_truth(s, c, tag, scale, sigma, tr) ? -1 : 0;
}

static int write_classes(const char *dir, const struct cls *c, int k, double sigma)
{
	char path[4096];
	FILE *f;
	int i, bad = 0;

	snprintf(path, sizeof path, "%s/classes.csv", dir);
	if (!(f = fopen(path, "w")))
		return -1;
	fprintf(f, "class,kind,beta,scale,tau,sigma\n");
	for (i = 0; i < k; i++)
		bad |= fprintf(f, "%s,%s,%.6f,%.3f,%.3f,%.3f\n", c[i].name,
		               c[i].kind == K_RENEWAL ? "renewal"
		               : c[i].deteriorating ? "deteriorating" : "repairable",
		               c[i].beta, c[i].scale, c[i].tau, sigma) < 0;
	return fclose(f) != 0 || bad ? -1 : 0;
}

static FILE *open_out(const char *dir, const char *name, const char *header)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f && fputs(header, f) < 0) {
		fclose(f);
		return NULL;
	}
	if (!f)
		fprintf(stderr, "plantsim: cannot write %s: %s\n", path, strerror(errno));
	return f;
}

static int plant(struct sim *s, const struct variant *v, const char *dir, long n)
{
	struct cls c[MAXCLS];
	int k = (int)(n / 200), i, rc = 0;
	struct trace tr = {NULL, NULL, 0, 0};
	long a;

	k = k < 2 ? 2 : k > MAXCLS ? MAXCLS : k;
	make_classes(s, v, c, k);
	if (write_classes(dir, c, k, v->sigma) != 0)
		return -1;
	for (a = 0; a < n; a++) {
		char tag[32];
		i = (int)(a % k);
		snprintf(tag, sizeof tag, "S%02d-%05ld", i + 1, a / k + 1);
		if (one_asset(s, &c[i], tag, v->sigma, &tr) != 0) {
			rc = -1;
			break;
		}
	}
	free(tr.t);
	free(tr.failed);
	return rc;
}

static int close_all(struct sim *s)
{
	int bad = 0;

	if (s->assets)
		bad |= fclose(s->assets) != 0;
	if (s->hist)
		bad |= fclose(s->hist) != 0;
	if (s->truth)
		bad |= fclose(s->truth) != 0;
	if (s->bayes)
		bad |= fclose(s->bayes) != 0;
	return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct sim s;
	const struct variant *v = NULL;
	char *end;
	long n, seed;
	size_t i;
	int rc;

	if (argc != 5) {
		fprintf(stderr, "usage: plantsim DIR ASSETS SEED base|none|strong|deteriorating\n");
		return 2;
	}
	n = strtol(argv[2], &end, 10);
	if (*end)
		n = 0;
	seed = strtol(argv[3], &end, 10);
	if (*end || end == argv[3]) {
		fprintf(stderr, "plantsim: SEED must be a whole number, not '%s'\n", argv[3]);
		return 2;
	}
	for (i = 0; i < sizeof variants / sizeof variants[0]; i++)
		if (strcmp(argv[4], variants[i].name) == 0)
			v = &variants[i];
	if (n < 20 || n > 1000000 || !v) {
		fprintf(stderr, "plantsim: ASSETS must be 20 to 1000000 and VARIANT one of base, "
		        "none, strong, deteriorating\n");
		return 2;
	}
	memset(&s, 0, sizeof s);
	s.rng = 0x5eed0000ull + (uint64_t)seed * 0x9e3779b97f4a7c15ull;
	s.day0 = day_of(2019, 1, 1);
	s.end = day_of(2025, 1, 1);
	for (i = 0; i < NCUT; i++)
		s.cut[i] = day_of(2024, (int)i + 1, 1);
	s.assets = open_out(argv[1], "assets.csv", "tag,name,class,install_date\n");
	s.hist = open_out(argv[1], "history.csv", "asset,date,event\n");
	s.truth = open_out(argv[1], "truth.csv", "asset,cutoff,p_fail,group\n");
	s.bayes = open_out(argv[1], "truth_bayes.csv", "asset,cutoff,p_fail,group\n");
	rc = s.assets && s.hist && s.truth && s.bayes ? plant(&s, v, argv[1], n) : -1;
	if (close_all(&s) != 0 || rc != 0) {
		fprintf(stderr, "plantsim: writing to %s failed\n", argv[1]);
		return 1;
	}
	printf("--from 2024-01-01 --to 2024-12-01 --every 1mo --horizon 30d\n");
	fprintf(stderr, "plantsim: %ld assets, %ld events, %ld failures (%s, seed %ld)\n", n,
	        s.events, s.failures, v->name, seed);
	return 0;
}
