/*
 * demo.h - what the two halves of the demo generator share: the random
 * number generator, the equipment classes with their failure behaviour,
 * and the plant built by demo_plant.c that demo_history.c gives a past.
 *
 * Everything goes through store.h.  The generator is deterministic: a fixed
 * seed and dates relative to `today`, so the same day gives the same plant.
 */
#ifndef WRENCH_DEMO_H
#define WRENCH_DEMO_H

#include <stdint.h>
#include "store.h"

#define DEMO_SEED 0x5752454e4348ULL   /* "WRENCH" */
#define DEMO_YEARS 2                  /* work-order history ends today, starts here */
#define DEMO_USER "demo"              /* the technician the demo is seen as */
#define DEMO_HOUR 3600

/* ---- random numbers: splitmix64, small and good enough for a demo ---- */
struct demo_rng {
	uint64_t s;
};
void demo_rng_seed(struct demo_rng *r, uint64_t seed);
uint64_t demo_rng_next(struct demo_rng *r);
double demo_unit(struct demo_rng *r);                 /* uniform in (0, 1) */
int demo_int(struct demo_rng *r, int lo, int hi);     /* uniform in [lo, hi] */
double demo_weibull(struct demo_rng *r, double beta, double eta);
double demo_lognormal(struct demo_rng *r, double median, double sigma);
int demo_chance(struct demo_rng *r, double p);

/* ---- equipment classes ---- */

/* One way a class fails: the codes a technician would pick, the title of
 * the work order, what fixed it and the part it took. */
struct demo_mode {
	const char *problem, *cause, *remedy;
	const char *title;      /* "%s" is replaced by the asset's name */
	const char *fix;        /* the closing note */
	const char *part_code, *part_desc;
	double part_cost;
	int part_qty;
	int weight;             /* relative frequency */
};

/* A preventive routine for a class.  kind PK_CALENDAR uses interval/unit,
 * PK_METER uses meter_interval on the asset's run-hours meter. */
struct demo_routine {
	const char *title;
	int kind, interval, unit, floating, lead_days;
	double meter_interval, est_hours;
	const char *checklist;  /* one task per line */
	int min_crit;           /* only assets at least this critical */
};

enum demo_cls {
	DC_PUMP, DC_MOTOR, DC_GEARBOX, DC_CONVEYOR, DC_COMPRESSOR, DC_DRYER, DC_FAN,
	DC_VALVE, DC_BOILER, DC_CHILLER, DC_PACKAGING, DC_VFD, DC_MIXER, DC__COUNT
};

struct demo_class {
	const char *name;       /* the asset class as stored */
	const char *prefix;     /* tag prefix */
	double beta, eta;       /* Weibull life in days */
	double repair_hours;    /* median time to repair */
	const char *makers[3][2];   /* manufacturer, model */
	const struct demo_mode *modes;
	int nmodes;
	const struct demo_routine *routines;
	int nroutines;
	double hours_per_day;   /* > 0: the class has a run-hours meter */
	const char *team;       /* the trade that repairs it */
};
const struct demo_class *demo_class(int cls);

/* ---- the plant ---- */

struct demo_asset {
	char tag[32];
	int cls;
	int parent;             /* index into the plant's assets, -1 none */
	int crit;
	int64_t install;
	int status;             /* enum wr_asset_status */
	double hours_per_day;   /* 0: no meter */
	double meter0;          /* run hours at the start of the window (or install) */
	char name[96];
};

struct demo_pm {
	char code[32];
	int asset;              /* index */
	const struct demo_routine *r;
	char assignee[32];
};

struct demo_plant {
	struct demo_rng rng;
	int64_t today, start;   /* history window [start, today] */
	struct demo_asset *assets;
	int nassets, cap_assets;
	struct demo_pm *pms;
	int npms, cap_pms;
};

/* Technicians by trade, for assigning work. */
const char *demo_tech(struct demo_rng *r, const char *team);
const char *demo_planner(struct demo_rng *r);

/* Pins the store's clock (wr_now, wr_today) to `day` while history is
 * written, so that notes, labour and the audit log carry the dates they would
 * have had; demo_clock_restore() puts the real clock back. */
void demo_clock_set(int64_t day);
void demo_clock_restore(void);

/* Small shared helpers (demo_classes.c). */
int64_t demo_day_of(int64_t t);              /* midnight of t's day */
int demo_prio_for(int crit);                 /* work-order priority for a criticality */
/* Puts a name where a title template says %s (never used as a format). */
void demo_fill_title(char *buf, size_t n, const char *tmpl, const char *name);
/* Runs the next store calls as `user` on `day` (demo_clock_set). */
void demo_as_of(struct store *s, const char *user, int64_t day);

/* demo_plant.c: locations, users, failure codes, assets, meters and PM
 * schedules. */
int demo_plant_build(struct store *s, struct demo_plant *p, struct wr_err *e);
/* demo_history.c: two years of readings, failures and PM work, ending
 * with the PM backlog of today; it calls demo_present_build() last. */
int demo_history_build(struct store *s, struct demo_plant *p, struct wr_err *e);
/* demo_present.c: today's breakdown, requests, open and held work. */
int demo_present_build(struct store *s, struct demo_plant *p, struct wr_err *e);
void demo_plant_free(struct demo_plant *p);

#endif
