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
 * p_fail, group) and DIR/classes.csv (each class's true model), and prints
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
	FILE *assets, *hist, *truth;
	double day0, end, cut[NCUT];
	uint64_t rng;
	long events, failures;
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

/* One renewal asset's history; renew[] gets its renewal times (install
 * first), *nr their count. */
static int renewal_history(struct sim *s, const struct cls *c, const char *tag, double install,
                           double eta, double **renew, size_t *nr, size_t *cap)
{
	double t = install;

	*nr = 0;
	for (;;) {
		double life = eta * pow(-log(unif(s)), 1.0 / c->beta);
		int planned = c->tau > 0.0 && c->tau < life;
		if (*nr == *cap) {
			double *p = realloc(*renew, (*cap = *cap ? 2 * *cap : 64) * sizeof *p);
			if (!p)
				return -1;
			*renew = p;
		}
		(*renew)[(*nr)++] = t;
		t = to_minute(t + (planned ? c->tau : life));
		if (t >= s->end)
			return 0;
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

static int minimal_history(struct sim *s, const struct cls *c, const char *tag, double install,
                           double theta)
{
	double age = 0.0;

	for (;;) {
		/* The next failure: L(age') = L(age) + E, E ~ Exp(1). */
		double L = pow(age / theta, c->beta) - log(unif(s));
		double t = to_minute(install + theta * pow(L, 1.0 / c->beta));
		if (t >= s->end)
			return 0;
		s->failures++;
		if (put_event(s, tag, t, "failure") != 0)
			return -1;
		age = t - install;
	}
}

static double minimal_p(const struct cls *c, double theta, double age)
{
	return -expm1(-(pow((age + HORIZON) / theta, c->beta) - pow(age / theta, c->beta)));
}

/* ---------------------------------------------------------------- truth */

static int put_truth(struct sim *s, const char *tag, int k, double p, const char *group)
{
	char buf[WR_DATE_BUF];

	return fprintf(s->truth, "%s,%s,%.10f,%s\n", tag,
	               wr_date_fmt_day((int64_t)llround(s->cut[k] * WR_DAY), buf), p, group) < 0
	           ? -1 : 0;
}

static int renewal_truth(struct sim *s, const struct cls *c, const char *tag, double eta,
                         const double *renew, size_t nr)
{
	size_t j = 0;
	int k;

	for (k = 0; k < NCUT; k++) {
		double T = s->cut[k];
		if (!(renew[0] < T))
			continue;
		while (j + 1 < nr && renew[j + 1] < T)
			j++;
		if (put_truth(s, tag, k, 1.0 - renewal_survival(c->beta, eta, c->tau, T - renew[j],
		                                                 HORIZON), "renewal") != 0)
			return -1;
	}
	return 0;
}

static int minimal_truth(struct sim *s, const struct cls *c, const char *tag, double install,
                         double theta)
{
	int k;

	for (k = 0; k < NCUT; k++)
		if (install < s->cut[k] &&
		    put_truth(s, tag, k, minimal_p(c, theta, s->cut[k] - install),
		              c->deteriorating ? "deteriorating" : "repairable") != 0)
			return -1;
	return 0;
}

/* ---------------------------------------------------------------- plant */

static int one_asset(struct sim *s, const struct cls *c, const char *tag, double sigma,
                     double **renew, size_t *cap)
{
	char buf[WR_DATE_BUF];
	/* Whole days, so the install date is what the assets file says. */
	double install = floor(s->day0 + unif(s) * (day_of(2024, 7, 1) - s->day0));
	double scale = c->scale * exp(sigma * normal(s));
	size_t nr;

	if (fprintf(s->assets, "%s,Simulated %s,%s,%s\n", tag, c->name, c->name,
	            wr_date_fmt_day((int64_t)llround(install * WR_DAY), buf)) < 0)
		return -1;
	if (c->kind == K_MINIMAL)
		return minimal_history(s, c, tag, install, scale) ||
		       minimal_truth(s, c, tag, install, scale) ? -1 : 0;
	return renewal_history(s, c, tag, install, scale, renew, &nr, cap) ||
	       renewal_truth(s, c, tag, scale, *renew, nr) ? -1 : 0;
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
	int k = (int)(n / 200), i;
	double *renew = NULL;
	size_t cap = 0;
	long a;

	k = k < 2 ? 2 : k > MAXCLS ? MAXCLS : k;
	make_classes(s, v, c, k);
	if (write_classes(dir, c, k, v->sigma) != 0)
		return -1;
	for (a = 0; a < n; a++) {
		char tag[32];
		i = (int)(a % k);
		snprintf(tag, sizeof tag, "S%02d-%05ld", i + 1, a / k + 1);
		if (one_asset(s, &c[i], tag, v->sigma, &renew, &cap) != 0) {
			free(renew);
			return -1;
		}
	}
	free(renew);
	return 0;
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
	rc = s.assets && s.hist && s.truth ? plant(&s, v, argv[1], n) : -1;
	if (close_all(&s) != 0 || rc != 0) {
		fprintf(stderr, "plantsim: writing to %s failed\n", argv[1]);
		return 1;
	}
	printf("--from 2024-01-01 --to 2024-12-01 --every 1mo --horizon 30d\n");
	fprintf(stderr, "plantsim: %ld assets, %ld events, %ld failures (%s, seed %ld)\n", n,
	        s.events, s.failures, v->name, seed);
	return 0;
}
