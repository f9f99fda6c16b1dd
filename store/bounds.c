/*
 * bounds.c - the range of every number a record holds (see enum wr_num in
 * store.h) and the longest search text, with the checks every way in uses.
 *
 * The bounds are generous on purpose: they are there to catch a slip of the
 * keyboard or a column of the wrong unit, not to second-guess a plant.  A
 * side effect matters as much: with every stored number bounded, no sum in
 * a report can overflow or lose its digits.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

struct num_range {
	double lo, hi;
	int lo_open;            /* the value must be more than lo */
	int whole;              /* whole numbers only */
	const char *unit;       /* appended to the range in messages, may be "" */
};

static const struct num_range ranges[WN__COUNT] = {
	[WN_HOURS] = {0, 10000, 0, 0, " hours"},
	[WN_MINUTES] = {1, 14400, 0, 1, " minutes"},
	[WN_QTY] = {0, 1e6, 1, 0, ""},
	[WN_COST] = {0, 1e9, 0, 0, ""},
	[WN_METER] = {-1e12, 1e12, 0, 0, ""},
	[WN_METER_INTERVAL] = {0, 1e9, 1, 0, ""},
	[WN_LEAD_DAYS] = {0, 365, 0, 1, " days"},
	/* Thirty years in each unit of a calendar schedule. */
	[WN_INTERVAL_DAY] = {1, 10957, 0, 1, " days"},
	[WN_INTERVAL_WEEK] = {1, 1565, 0, 1, " weeks"},
	[WN_INTERVAL_MONTH] = {1, 360, 0, 1, " months"},
	[WN_STOCK] = {-1e6, 1e6, 0, 0, ""},
	[WN_STOCK_MIN] = {0, 1e6, 0, 0, ""},
};

/* "0 to 10000 hours", or "more than 0, up to 1000000". */
static void range_text(const struct num_range *r, char *buf, size_t n)
{
	snprintf(buf, n, r->lo_open ? "more than %.15g, up to %.15g%s" : "%.15g to %.15g%s", r->lo,
	         r->hi, r->unit);
}

static int in_range(const struct num_range *r, double v)
{
	return isfinite(v) && (r->lo_open ? v > r->lo : v >= r->lo) && v <= r->hi &&
	       (!r->whole || v == floor(v));
}

/* The failure message, quoting the value as the user wrote it. */
static int out_of_range(const struct num_range *r, const char *field, const char *text,
                        struct wr_err *e)
{
	char range[96];

	range_text(r, range, sizeof range);
	return wr_fail(e, WR_EINPUT, "%s: %.40s is out of range (%s)", field, text, range);
}

int store_num_check(int kind, const char *field, double v, struct wr_err *e)
{
	char text[40];

	if (kind < 0 || kind >= WN__COUNT)
		return wr_fail(e, WR_EINPUT, "%s: internal error: unknown kind of number", field);
	if (isnan(v) || in_range(&ranges[kind], v))
		return WR_OK;
	snprintf(text, sizeof text, "%.15g", v);
	return out_of_range(&ranges[kind], field, text, e);
}

int store_num_parse(int kind, const char *field, const char *text, double *out,
                    struct wr_err *e)
{
	const struct num_range *r;
	char range[96], *end;
	double d;

	if (kind < 0 || kind >= WN__COUNT)
		return wr_fail(e, WR_EINPUT, "%s: internal error: unknown kind of number", field);
	r = &ranges[kind];
	while (text && (*text == ' ' || *text == '\t'))
		text++;
	if (!text || !*text) {
		*out = NAN;
		return WR_OK;
	}
	d = strtod(text, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == text || *end || isnan(d) ||
	    (r->whole && isfinite(d) && d != floor(d))) {
		range_text(r, range, sizeof range);
		return wr_fail(e, WR_EINPUT, "%s: '%.40s' is not %s (%s)", field, text,
		               r->whole ? "a whole number" : "a number", range);
	}
	/* Overflow (1e999 reads as infinity) is out of range like any other
	 * value past the bounds. */
	if (!in_range(r, d))
		return out_of_range(r, field, text, e);
	*out = d;
	return WR_OK;
}

int store_search_check(const char *search, struct wr_err *e)
{
	size_t n = search ? strlen(search) : 0;

	if (n <= WR_SEARCH_MAX)
		return WR_OK;
	return wr_fail(e, WR_EINPUT, "a search text of %zu bytes is longer than the %d a search may "
	               "have; search for a shorter part of it", n, WR_SEARCH_MAX);
}
