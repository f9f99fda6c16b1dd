/*
 * report_html.h - the monthly report (`wrench report monthly`): what
 * cmd_report_monthly.c gathers from the store and the ranking, and the
 * writer of its self-contained HTML page (report_html.c).
 */
#ifndef WRENCH_REPORT_HTML_H
#define WRENCH_REPORT_HTML_H

#include <stdio.h>
#include "monthly.h"

#define MONTHLY_MONTHS 12      /* the trend of each measure */
#define MONTHLY_ACTORS 10      /* bad actors charted */
#define MONTHLY_AT_RISK 20     /* the ranking's top */

struct monthly_risk {
	char tag[64], cls[64];
	double p_fail;             /* within horizon_days of as_of */
	double age_days;
	int failures;
};

struct monthly_report {
	int64_t month;             /* its first day; the last of the months */
	int64_t generated;         /* today */
	const char *cls;           /* the class filter, NULL = all */
	const char *site;          /* the site filter, NULL = all */
	struct wr_months m;        /* MONTHLY_MONTHS months ending with month */
	struct wr_bad_actor actors[MONTHLY_ACTORS];   /* over the twelve months */
	size_t nactors;
	struct monthly_risk risk[MONTHLY_AT_RISK];
	size_t nrisk, ranked;      /* shown, and ranked in all */
	int64_t risk_as_of;        /* the ranking's date */
	double horizon_days;
};

/* Writes the page to f: inline CSS and SVG, no script, nothing fetched.
 * Every text from the database is escaped. */
void report_html_write(FILE *f, const struct monthly_report *r);

#endif
