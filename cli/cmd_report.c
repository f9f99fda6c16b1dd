/*
 * cmd_report.c - `wrench report NAME`: the store's reports rendered as a
 * table, CSV or JSON.
 */
#include <string.h>
#include "cli.h"

static const struct arg_opt report_opts[] = {
	{"from", 0, 1, "DATE", "start of the period (default: all history)"},
	{"to", 0, 1, "DATE", "end of the period (default: today)"},
	{"class", 0, 1, "CLASS", "only assets of this class"},
	{"asset", 0, 1, "TAG", "only this asset"},
	{"format", 0, 1, "FMT", "table (default), csv or json"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec report_spec = {
	"report", "NAME",
	"Reports over a period.  NAME is one of:\n"
	"  mtbf           mean time between failures per asset, and in total\n"
	"  mttr           mean time to repair (from downtime) per asset, and in total\n"
	"  availability   uptime / (uptime + downtime) per asset, and in total\n"
	"  backlog        open work by status and priority, with estimated hours\n"
	"  pm-compliance  PM work due in the period done on time, of all due\n"
	"  monthly        a month's measures with their trend, also as an HTML page\n"
	"                 (see wrench report monthly --help)",
	report_opts, 1, 1, NULL, NULL
};

int cmd_report(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct wr_report_opts o;
	struct wr_table t;
	struct wr_err e = {0, ""};
	int which, fmt, rc;

	if (argc >= 2 && !strcmp(argv[1], "monthly"))
		return cmd_report_monthly(c, argc - 1, argv + 1);
	rc = args_parse(c, &report_spec, argc, argv, &a);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (wr_report_parse(a.pos[0], &which) != WR_OK)
		return args_usage(c, "unknown report '%s'; valid: mtbf, mttr, availability, "
		                  "backlog, pm-compliance", a.pos[0]);
	if ((rc = out_format(c, args_get(&a, "format"), OUT_TABLE, 1, &fmt)) != 0)
		return rc;
	memset(&o, 0, sizeof o);
	o.from = o.to = WR_NO_TIME;
	if ((rc = args_date(c, "from", args_get(&a, "from"), &o.from, CLI_USAGE)) != 0 ||
	    (rc = args_date(c, "to", args_get(&a, "to"), &o.to, CLI_USAGE)) != 0)
		return rc;
	if (o.from != WR_NO_TIME && o.to != WR_NO_TIME && o.to < o.from) {
		char f[WR_DATE_BUF], tt[WR_DATE_BUF];
		return args_usage(c, "--to %s is before --from %s", wr_date_fmt(o.to, tt),
		                  wr_date_fmt(o.from, f));
	}
	o.cls = args_get(&a, "class");
	o.asset_tag = args_get(&a, "asset");
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	memset(&t, 0, sizeof t);
	if (store_report(c->st, which, &o, &t, &e) != WR_OK) {
		wr_table_free(&t);
		return cli_fail(c, &e);
	}
	rc = out_wr_table(stdout, fmt, &t);
	wr_table_free(&t);
	if (rc != 0)
		return cli_failf(c, CLI_BAD, "out of memory while printing the report");
	return CLI_OK;
}
