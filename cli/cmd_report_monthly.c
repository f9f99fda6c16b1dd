/*
 * cmd_report_monthly.c - `wrench report monthly`: a month's measures with
 * their twelve-month trend, the bad actors and the at-risk ranking's top
 * twenty, as one HTML page for a manager (report_html.c), or the measures'
 * numbers alone as a table, CSV or JSON.
 */
#include <math.h>
#include <string.h>

#include "cli.h"
#include "outfile.h"
#include "predict.h"
#include "report_html.h"

enum { FMT_HTML = 100 };

static const struct arg_opt monthly_opts[] = {
	{"month", 0, 1, "YYYY-MM", "the month reported (default: the last complete month)"},
	{"class", 0, 1, "CLASS", "only assets of this class"},
	{"site", 0, 1, "CODE", "only assets at this site or location, or below it"},
	{"format", 0, 1, "FMT", "html, or the numbers alone: table (default), csv or json"},
	{"output", 'o', 1, "FILE", "write to FILE (atomically) instead of standard output"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec monthly_spec = {
	"report monthly", "",
	"A month's measures (those of report trend) with their trend over twelve months.\n"
	"With --format html, one self-contained page (inline CSS and SVG charts, no script,\n"
	"nothing fetched) that also holds the bad actors and the top twenty of the\n"
	"failure-risk ranking: open it in a browser or print it.",
	monthly_opts, 0, 0, NULL, NULL
};

/* --month, or the last complete month; a month not begun is refused. */
static int month_arg(const struct cli *c, const char *v, int64_t *month)
{
	struct wr_err e = {0, ""};
	int64_t today = wr_today(), this_month;
	int y, m, d;
	char buf[8];

	wr_date_to_ymd(today, &y, &m, &d);
	this_month = wr_date_from_ymd(y, m, 1);
	if (!v) {
		*month = wr_date_add_months(this_month, -1);
		return 0;
	}
	if (wr_month_parse(v, month, &e) != WR_OK)
		return args_usage(c, "--month: %s", e.msg);
	if (*month > this_month)
		return args_usage(c, "--month %s has not begun (this month is %s)", v,
		                  wr_month_fmt(today, buf));
	return 0;
}

static int format_arg(const struct cli *c, const char *v, int *fmt)
{
	if (v && !strcmp(v, "html")) {
		*fmt = FMT_HTML;
		return 0;
	}
	if (v && strcmp(v, "table") && strcmp(v, "csv") && strcmp(v, "json"))
		return args_usage(c, "--format wants html, table, csv or json, not '%s'", v);
	return out_format(c, v, OUT_TABLE, 1, fmt);
}

/* The numbers: one row per month, one column per measure (named as in
 * report trend, with its two decimals). */
static int write_numbers(FILE *f, int fmt, const struct wr_months *m)
{
	const char *head[WM__COUNT + 1], *row[WM__COUNT + 1];
	int numeric[WM__COUNT + 1];
	char cells[WM__COUNT + 1][32];
	struct out o;

	head[0] = "month";
	numeric[0] = 0;
	for (int k = 0; k < WM__COUNT; k++) {
		head[k + 1] = wr_measure_name(wr_monthly_info(k)->measure);
		numeric[k + 1] = 1;
	}
	out_begin(&o, f, fmt, WM__COUNT + 1, head, numeric);
	for (int i = 0; i < m->n; i++) {
		row[0] = wr_month_fmt(m->month[i], cells[0]);
		for (int k = 0; k < WM__COUNT; k++) {
			if (isfinite(m->v[k][i]))
				snprintf(cells[k + 1], sizeof cells[k + 1], "%.2f", m->v[k][i]);
			else
				cells[k + 1][0] = '\0';
			row[k + 1] = cells[k + 1];
		}
		if (out_row(&o, row) != 0)
			break;
	}
	return out_end(&o);
}

/* The ranking's top as of the end of the month (today for this month),
 * with the p_fail every screen shows: predict_rank's, at its horizon. */
static int load_risk(struct cli *c, struct monthly_report *r, struct wr_err *e)
{
	struct wr_life_opts lo;
	struct predict_opts po;
	struct predict_ranking rk;
	struct ld_set ld;
	int64_t today = wr_today();
	int rc;

	memset(&lo, 0, sizeof lo);
	lo.cls = r->cls;
	lo.site = r->site;
	predict_opts_init(&po);
	r->horizon_days = po.horizon;
	r->risk_as_of = r->m.month[r->m.n] < today ? r->m.month[r->m.n] : today;
	memset(&ld, 0, sizeof ld);
	if ((rc = store_life_load(c->st, &lo, &ld, e)) != WR_OK)
		return rc;
	memset(&rk, 0, sizeof rk);
	rc = predict_rank(&ld, (double)r->risk_as_of / WR_DAY, &po, &rk, e);
	store_life_free(&ld);
	if (rc != WR_OK)
		return rc;
	r->ranked = rk.n;
	for (size_t i = 0; i < rk.n && r->nrisk < MONTHLY_AT_RISK; i++, r->nrisk++) {
		struct monthly_risk *k = &r->risk[r->nrisk];
		wr_strlcpy(k->tag, rk.items[i].tag, sizeof k->tag);
		wr_strlcpy(k->cls, rk.items[i].cls, sizeof k->cls);
		k->p_fail = rk.items[i].p_fail;
		k->age_days = rk.items[i].age;
		k->failures = rk.items[i].failures;
	}
	predict_rank_free(&rk);
	return WR_OK;
}

/* Everything the page shows beyond the measures. */
static int load_page(struct cli *c, struct monthly_report *r, const struct wr_report_opts *sc,
                     struct wr_err *e)
{
	int64_t to = r->m.month[r->m.n] - WR_DAY;
	int rc;

	if (to > r->generated)
		to = r->generated;
	rc = store_bad_actors(c->st, r->m.month[0], to, sc, r->actors, MONTHLY_ACTORS,
	                      &r->nactors, e);
	return rc == WR_OK ? load_risk(c, r, e) : rc;
}

/* Writes the report in its format to f; 0 or -1 when out of memory. */
static int write_report(FILE *f, int fmt, const struct monthly_report *r)
{
	if (fmt != FMT_HTML)
		return write_numbers(f, fmt, &r->m);
	report_html_write(f, r);
	return 0;
}

/* To -o FILE whole or not at all (never over the database), else stdout. */
static int emit(struct cli *c, const char *path, int fmt, const struct monthly_report *r)
{
	const struct wr_outfile_guard db = { store_path(c->st), "the database", 1 };
	struct wr_err e = {0, ""};
	struct wr_outfile of;

	if (!path || !strcmp(path, "-")) {
		if (write_report(stdout, fmt, r) != 0)
			return cli_failf(c, CLI_BAD, "out of memory while writing the report");
		return CLI_OK;
	}
	if (wr_outfile_open(&of, path, &db, 1, &e) != WR_OK)
		return cli_fail(c, &e);
	if (write_report(of.f, fmt, r) != 0) {
		wr_outfile_abort(&of);
		return cli_failf(c, CLI_BAD, "out of memory while writing the report");
	}
	if (wr_outfile_commit(&of, &e) != WR_OK)
		return cli_fail(c, &e);
	return CLI_OK;
}

int cmd_report_monthly(struct cli *c, int argc, char **argv)
{
	static struct monthly_report r;
	struct wr_report_opts sc;
	struct wr_err e = {0, ""};
	struct args a;
	const char *path;
	int fmt, rc = args_parse(c, &monthly_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	memset(&r, 0, sizeof r);
	if ((rc = month_arg(c, args_get(&a, "month"), &r.month)) != 0 ||
	    (rc = format_arg(c, args_get(&a, "format"), &fmt)) != 0)
		return rc;
	path = args_get(&a, "output");
	if (path && !*path)
		return args_usage(c, "-o needs a file name");
	r.cls = args_get(&a, "class");
	if (r.cls && !*r.cls)
		r.cls = NULL;
	r.site = args_get(&a, "site");
	if (r.site && !*r.site)
		r.site = NULL;
	r.generated = wr_today();
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	memset(&sc, 0, sizeof sc);
	sc.from = sc.to = WR_NO_TIME;
	sc.cls = r.cls;
	sc.site = r.site;
	if (store_monthly_load(c->st, r.month, MONTHLY_MONTHS, &sc, &r.m, &e) != WR_OK)
		return cli_fail(c, &e);
	if (fmt == FMT_HTML && load_page(c, &r, &sc, &e) != WR_OK)
		return cli_fail(c, &e);
	return emit(c, path, fmt, &r);
}
