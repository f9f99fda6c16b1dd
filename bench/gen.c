/*
 * gen.c - deterministic benchmark data: a plant of N assets with M work
 * orders and H history events, written as wrench CSV files.
 *
 *   gen DIR [ASSETS [WORKORDERS [EVENTS]]]     (defaults 100000 1000000 1000000)
 *
 * Writes DIR/assets.csv, DIR/workorders.csv and DIR/history.csv.  The same
 * arguments always give the same bytes (fixed-seed generator), so figures
 * from different runs compare.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1Dull;
}

static double unif(void)
{
	return (double)(next() >> 11) / 9007199254740992.0;
}

static unsigned pick(unsigned n)
{
	return (unsigned)(next() % n);
}

static const char *const classes[] = {"pump", "motor", "gearbox", "conveyor", "compressor",
                                      "fan", "valve", "boiler", "chiller", "packer"};
static const double class_beta[] = {1.8, 1.4, 2.5, 1.2, 2.0, 1.1, 0.8, 3.0, 1.6, 1.3};
static const char *const problems[] = {"LEAK", "NOISE", "VIBR", "OVERHEAT", "NOSTART", "TRIP",
                                       "WEAR", "JAM"};
static const char *const causes[] = {"SEAL", "BEARING", "ALIGN", "LUBE", "ELEC", "CONTAM",
                                     "FATIGUE", "OPERATOR"};
static const char *const remedies[] = {"REPLACE", "ADJUST", "REPAIR", "CLEAN", "LUBRICATE",
                                       "RESET"};
static const char *const statuses[] = {"requested", "open", "in_progress", "on_hold", "done",
                                       "closed", "cancelled"};
static const char *const types[] = {"corrective", "preventive", "inspection", "request"};
static const char *const prios[] = {"low", "medium", "high", "urgent"};

/* Days since 2015-01-01 as YYYY-MM-DD. */
static void day_str(long day, char *buf, size_t n)
{
	long z = day + 16436 + 719468; /* 2015-01-01 is day 16436 since 1970 */
	long era = z / 146097, doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(buf, n, "%04ld-%02ld-%02ld", yoe + era * 400 + (m <= 2), m, d);
}

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "gen: cannot write %s: %s\n", path, strerror(errno));
	return f;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gen DIR [ASSETS [WORKORDERS [EVENTS]]]\n");
		return 2;
	}
	long nassets = argc > 2 ? atol(argv[2]) : 100000;
	long nwo = argc > 3 ? atol(argv[3]) : 1000000;
	long nev = argc > 4 ? atol(argv[4]) : 1000000;
	if (nassets < 1 || nwo < 0 || nev < 0) {
		fprintf(stderr, "gen: counts must be positive\n");
		return 2;
	}
	char d1[64], d2[64], d3[64];

	FILE *f = open_out(argv[1], "assets.csv");
	if (!f)
		return 1;
	fprintf(f, "tag,name,class,criticality,status,install_date,manufacturer,model\n");
	for (long i = 0; i < nassets; i++) {
		unsigned c = (unsigned)(i % 10);
		day_str(pick(1500), d1, sizeof d1);
		fprintf(f, "A%06ld,%s %ld,%s,%u,operational,%s,Acme,%s-%u\n", i, classes[c], i,
		        classes[c], 1 + pick(5), d1, classes[c], 100 + pick(5));
	}
	if (fclose(f))
		return 1;

	f = open_out(argv[1], "workorders.csv");
	if (!f)
		return 1;
	fprintf(f, "number,title,type,status,priority,asset,assignee,due,created,completed,"
	           "problem,cause,remedy,failure,est_hours\n");
	for (long i = 0; i < nwo; i++) {
		long asset = (long)pick((unsigned)nassets);
		long created = 2000 + (long)((double)i / (double)(nwo ? nwo : 1) * 2300);
		/* Most history is finished; the newest tenth is the live backlog. */
		unsigned st = i < nwo * 9 / 10 ? (unsigned)(4 + pick(2) + (pick(20) == 0)) : pick(4);
		unsigned ty = pick(10) < 6 ? 0 : 1 + pick(3);
		int failure = ty == 0 && (st == 4 || st == 5);
		day_str(created, d1, sizeof d1);
		day_str(created + 3 + pick(20), d2, sizeof d2);
		if (st == 4 || st == 5)
			day_str(created + pick(10), d3, sizeof d3);
		else
			d3[0] = 0;
		fprintf(f, "WO-%07ld,%s %s on %s,%s,%s,%s,A%06ld,tech%02u,%s,%s,%s,%s,%s,%s,%s,%.1f\n",
		        i, ty == 0 ? "Repair" : "Service", classes[asset % 10],
		        ty == 0 ? problems[pick(8)] : "schedule", types[ty], statuses[st],
		        prios[pick(4)], asset, pick(40), d2, d1, d3,
		        failure ? problems[pick(8)] : "", failure ? causes[pick(8)] : "",
		        failure ? remedies[pick(6)] : "", failure ? "yes" : "no", 0.5 + pick(16) / 2.0);
	}
	if (fclose(f))
		return 1;

	/* History: each asset renews at Weibull-distributed intervals of its
	 * class; about a third of renewals are planned replacements. */
	f = open_out(argv[1], "history.csv");
	if (!f)
		return 1;
	fprintf(f, "asset,date,event,code\n");
	long per = nev / nassets, extra = nev % nassets;
	for (long a = 0; a < nassets; a++) {
		long k = per + (a < extra ? 1 : 0);
		double beta = class_beta[a % 10], eta = 200 + 40 * (double)(a % 7);
		double t = pick(100);
		day_str((long)t, d1, sizeof d1);
		if (k > 0)
			fprintf(f, "A%06ld,%s,install,\n", a, d1), k--;
		while (k-- > 0) {
			double life = eta * pow(-log(1.0 - unif()), 1.0 / beta);
			t += life < 1 ? 1 : floor(life);
			day_str((long)t, d1, sizeof d1);
			int planned = pick(3) == 0;
			fprintf(f, "A%06ld,%s,%s,%s\n", a, d1, planned ? "replacement" : "failure",
			        planned ? "" : problems[pick(8)]);
		}
	}
	return fclose(f) ? 1 : 0;
}
