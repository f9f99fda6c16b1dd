/*
 * lifedata.h - the plain arrays that carry failure history from store/ to
 * predict/.  Only data: no functions, no SQLite, no allocation rules beyond
 * "the producer owns it".  store_life_load() fills a struct ld_set;
 * predict/ reads it.
 *
 * Times are in days since 1970-01-01 (calendar time, fractional days allowed).
 */
#ifndef WRENCH_LIFEDATA_H
#define WRENCH_LIFEDATA_H

#include <stddef.h>

enum ld_kind {
	LD_INSTALL = 0,     /* the unit was installed: a renewal, starts a life */
	LD_FAILURE = 1,     /* failed and was restored: ends a life as a failure */
	LD_REPLACEMENT = 2  /* planned renewal: ends a life as a suspension */
};

struct ld_event {
	double t;    /* days since epoch */
	double op;   /* cumulative operating hours at t from a run-hours meter, or NAN */
	int kind;    /* enum ld_kind */
};

/* A run-hours meter reading, used to convert calendar time to operating time. */
struct ld_reading {
	double t;     /* days since epoch */
	double value; /* cumulative run hours */
};

struct ld_unit {
	char tag[64];      /* asset tag */
	char cls[64];      /* class used to pool the shape (asset class, else model) */
	double install;    /* days since epoch, or NAN when unknown */
	int in_service;    /* 0 when retired: not ranked, but its history still informs the class */
	size_t ev0, nev;   /* events[ev0 .. ev0+nev) sorted by t (ties: failure before replacement) */
	size_t rd0, nrd;   /* readings[rd0 .. rd0+nrd) sorted by t; nrd == 0 without a run-hours meter */
};

struct ld_set {
	struct ld_unit *units;
	size_t nunits;
	struct ld_event *events;
	size_t nevents;
	struct ld_reading *readings;
	size_t nreadings;
};

#endif
