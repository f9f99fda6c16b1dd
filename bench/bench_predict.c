/*
 * bench_predict.c - how long does predict_rank() take on a plant of
 * 100,000 assets with 1,000,000 history events?
 *
 * The history is generated in memory, deterministically (splitmix64), so
 * the figure measures the statistics alone: 50 classes with their own
 * Weibull shape and scale, every unit with a gamma-distributed frailty on
 * its rate, lives ending in a failure or, when a planned replacement comes
 * first, in a suspension.  Usage: bench_predict [units [events]].
 * Prints units, events, seconds and unit fits per second.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "predict.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t splitmix64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform on (0, 1). */
static double unif(void)
{
	return ((double)(splitmix64() >> 11) + 0.5) / 9007199254740992.0;
}

/* Gamma(shape k >= 1, scale 1) by Marsaglia and Tsang. */
static double gamma1(double k)
{
	double d = k - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);

	for (;;) {
		double x, v, u;
		do {
			/* Box-Muller normal. */
			x = sqrt(-2.0 * log(unif())) * cos(2.0 * M_PI * unif());
			v = 1.0 + c * x;
		} while (v <= 0.0);
		v = v * v * v;
		u = unif();
		if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v;
	}
}

static double now_s(void)
{
	struct timespec ts;

	/* CPU time of this process: the figure should not depend on what
	 * else the machine is doing (predict_rank is single-threaded). */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	size_t nunits = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	size_t nev = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000000;
	size_t per = nev / (nunits ? nunits : 1), i, j, k = 0;
	struct ld_set s;
	struct predict_opts o;
	struct predict_ranking r;
	struct wr_err e = {0};
	double T = 20000.0, t0, t1, best = 1e30;
	int rep;

	memset(&s, 0, sizeof s);
	s.units = calloc(nunits, sizeof *s.units);
	s.events = calloc(nunits * per, sizeof *s.events);
	if (!s.units || !s.events) {
		fprintf(stderr, "bench_predict: out of memory\n");
		return 1;
	}
	for (i = 0; i < nunits; i++) {
		struct ld_unit *u = &s.units[i];
		int cls = (int)(i % 50);
		double beta = 0.8 + 0.05 * cls, eta = 200.0 + 10.0 * cls;
		double frail = gamma1(2.0) / 2.0;   /* mean 1 */
		double t = T - per * eta * 0.6;
		snprintf(u->tag, sizeof u->tag, "A%06zu", i);
		snprintf(u->cls, sizeof u->cls, "class%02d", cls);
		u->install = NAN;
		u->in_service = 1;
		u->ev0 = k;
		for (j = 0; j < per; j++) {
			/* Weibull life with the unit's frailty on the rate. */
			double life = eta * pow(-log(unif()) / frail, 1.0 / beta);
			double planned = 0.7 * eta;
			s.events[k].kind = j == 0 ? LD_INSTALL : life < planned ? LD_FAILURE : LD_REPLACEMENT;
			t += j == 0 ? 0.0 : (life < planned ? life : planned);
			s.events[k].t = t;
			s.events[k].op = NAN;
			k++;
		}
		u->nev = per;
		if (t >= T) {
			/* Keep every event before T. */
			for (j = 0; j < per; j++)
				s.events[u->ev0 + j].t -= t - T + 1.0;
		}
	}
	s.nunits = nunits;
	s.nevents = k;

	predict_opts_init(&o);
	o.horizon = 30.0;
	o.cost_planned = 1.0;
	o.cost_failure = 5.0;
	for (rep = 0; rep < 3; rep++) {
		t0 = now_s();
		if (predict_rank(&s, T, &o, &r, &e) != WR_OK) {
			fprintf(stderr, "bench_predict: %s\n", e.msg);
			return 1;
		}
		t1 = now_s();
		if (t1 - t0 < best)
			best = t1 - t0;
		if (rep < 2)
			predict_rank_free(&r);
	}
	printf("predict_rank: units %zu events %zu classes %zu ranked %zu seconds %.3f "
	       "fits/s %.0f top %s p=%.3f\n",
	       s.nunits, s.nevents, r.nclasses, r.n, best, (double)r.n / best,
	       r.n ? r.items[0].tag : "-", r.n ? r.items[0].p_fail : 0.0);
	predict_rank_free(&r);
	free(s.units);
	free(s.events);
	return 0;
}
