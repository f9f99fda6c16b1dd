/*
 * cmd_report_trend.c - `wrench report trend`: every measure month by month
 * (store_measure_series), a row per month and a column per measure, for
 * charts made elsewhere.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "report.h"

static const struct arg_opt trend_opts[] = {
	{"from", 0, 1, "DATE", "first month: the month of DATE (default: eleven months before --to)"},
	{"to", 0, 1, "DATE", "last month: the month of DATE (default: today)"},
	{"class", 0, 1, "CLASS", "only assets of this class"},
	{"site", 0, 1, "CODE", "only assets at this site or location, or below it"},
	{"asset", 0, 1, "TAG", "only this asset"},
	{"format", 0, 1, "FMT", "table (default), csv or json"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec trend_spec = {
	"report trend", "",
	"Every measure month by month: each month's value is the total of its report over that\n"
	"month (backlog, backlog-weeks and aging: as of the month's last day).  Blank (null) where\n"
	"a measure is undefined: no failures, nothing due, no crew capacity, a month to come.",
	trend_opts, 0, 0, NULL, NULL
};

/* The series of every measure over n months from (y, m), in v[measure * n + i]. */
static int load_series(struct cli *c, const struct wr_report_opts *o, int y, int m, int n,
                       double *v)
{
	struct wr_err e = {0, ""};

	for (int k = 0; k < WM__COUNT; k++)
		if (store_measure_series(c->st, k, o, y, m, n, v + (size_t)k * (size_t)n, &e) != WR_OK)
			return cli_fail(c, &e);
	return 0;
}

static int print_series(int fmt, int y, int m, int n, const double *v)
{
	const char *head[WM__COUNT + 1];
	int num[WM__COUNT + 1];
	char buf[WM__COUNT + 1][32];
	const char *cells[WM__COUNT + 1];
	struct out o;

	head[0] = "month";
	num[0] = 0;
	for (int k = 0; k < WM__COUNT; k++) {
		head[k + 1] = wr_measure_name(k);
		num[k + 1] = 1;
	}
	out_begin(&o, stdout, fmt, WM__COUNT + 1, head, num);
	for (int i = 0; i < n; i++) {
		int mm = (m - 1 + i) % 12 + 1, yy = y + (m - 1 + i) / 12;
		snprintf(buf[0], sizeof buf[0], "%04d-%02d", yy, mm);
		cells[0] = buf[0];
		for (int k = 0; k < WM__COUNT; k++) {
			double x = v[(size_t)k * (size_t)n + (size_t)i];
			if (isnan(x))
				buf[k + 1][0] = '\0';
			else
				snprintf(buf[k + 1], sizeof buf[k + 1], "%.2f", x);
			cells[k + 1] = buf[k + 1];
		}
		if (out_row(&o, cells) != 0)
			break;
	}
	return out_end(&o);
}

int cmd_report_trend(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct wr_report_opts o;
	int fmt, rc, y0, m0, y1, m1, d, n;
	double *v;

	if ((rc = args_parse(c, &trend_spec, argc, argv, &a)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = out_format(c, args_get(&a, "format"), OUT_TABLE, 1, &fmt)) != 0)
		return rc;
	if ((rc = report_scope_args(c, &a, &o)) != 0)
		return rc;
	wr_date_to_ymd(o.to != WR_NO_TIME ? o.to : wr_today(), &y1, &m1, &d);
	if (o.from != WR_NO_TIME)
		wr_date_to_ymd(o.from, &y0, &m0, &d);
	else
		wr_date_to_ymd(wr_date_add_months(wr_date_from_ymd(y1, m1, 1), -11), &y0, &m0, &d);
	n = (y1 - y0) * 12 + (m1 - m0) + 1;
	if (n > 120)
		return args_usage(c, "the trend covers at most 120 months; --from to --to spans %d", n);
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	if (!(v = calloc((size_t)n * WM__COUNT, sizeof *v)))
		return cli_failf(c, CLI_BAD, "out of memory");
	rc = load_series(c, &o, y0, m0, n, v);
	if (rc == 0 && print_series(fmt, y0, m0, n, v) != 0)
		rc = cli_failf(c, CLI_BAD, "out of memory while printing the report");
	free(v);
	return rc ? rc : CLI_OK;
}
