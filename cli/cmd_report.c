/*
 * cmd_report.c - `wrench report NAME`: the store's reports rendered as a
 * table, CSV or JSON; `report settings` and `report trend` have files of
 * their own (cmd_report_settings.c, cmd_report_trend.c).
 */
#include <string.h>
#include "cli.h"
#include "report.h"

static const struct arg_opt report_opts[] = {
	{"from", 0, 1, "DATE", "start of the period (default: all history)"},
	{"to", 0, 1, "DATE", "end of the period, the last day included (default: today)"},
	{"class", 0, 1, "CLASS", "only assets of this class"},
	{"site", 0, 1, "CODE", "only assets at this site or location, or below it"},
	{"asset", 0, 1, "TAG", "only this asset"},
	{"by", 0, 1, "GROUP", "cost: asset (default), class or month; pareto: problem (default), "
	                      "asset, class or month"},
	{"rank", 0, 1, "WHAT", "pareto: rank by failures (default), downtime or cost"},
	{"top", 0, 1, "N", "pareto: only the first N groups"},
	{"format", 0, 1, "FMT", "table (default), csv or json"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec report_spec = {
	"report", "NAME",
	"Reports over a period.  NAME is one of:\n"
	"  mtbf                 mean time between failures per asset, and in total\n"
	"  mttr                 mean time to repair (from downtime) per asset, and in total\n"
	"  availability         uptime / (uptime + downtime) per asset, and in total\n"
	"  backlog              work open at the end of the period by status and priority\n"
	"  pm-compliance        PM work due in the period done on time, of all due\n"
	"  planned              labour hours on planned work, of all hours, by month\n"
	"  schedule-compliance  work due in the period done within its week, by month\n"
	"  backlog-weeks        backlog hours over the crew's weekly hours, month by month\n"
	"  aging                work open at the end of the period by age\n"
	"  cost                 labour (at the rates set) plus parts, by asset, class or month\n"
	"  pareto               failures by problem code, asset, class or month, largest first\n"
	"  trend                every measure month by month\n"
	"  settings             show or set the crew's capacity and labour rates\n"
	"  monthly              a month's measures with their trend, also as an HTML page\n"
	"                       (see wrench report monthly --help)",
	report_opts, 1, 1, NULL, NULL
};

/* The report names are the help's list above, the one place they are
 * written: a line of two spaces, the name, and its summary after the spaces
 * that follow it.  Calls each(name, nlen, summary, slen, ctx) for each. */
static void each_report_name(void (*each)(const char *, int, const char *, int, void *),
                             void *ctx)
{
	const char *p = strchr(report_spec.summary, '\n');

	while (p && *++p) {
		const char *end = strchr(p, '\n'), *name = p + 2, *sum;
		int len, nlen;

		len = end ? (int)(end - p) : (int)strlen(p);
		if (len > 2 && p[0] == ' ' && p[1] == ' ' && name[0] != ' ') {
			nlen = (int)strcspn(name, " \n");
			sum = name + nlen + strspn(name + nlen, " ");
			each(name, nlen, sum, (int)(p + len - sum), ctx);
		}
		p = end;
	}
}

/* Completion: every NAME as a command word (trend, settings and monthly
 * have options of their own), with its summary. */
static void complete_name(const char *name, int nlen, const char *sum, int slen, void *ctx)
{
	(void)ctx;
	printf("command\t%.*s\t\t%.*s\n", nlen, name, slen, sum);
}

/* The names, comma-separated, for the message that refuses an unknown one
 * (into a buffer of NAMES_BUF bytes). */
#define NAMES_BUF 512

static void join_name(const char *name, int nlen, const char *sum, int slen, void *ctx)
{
	char *buf = ctx;
	size_t used = strlen(buf);

	(void)sum;
	(void)slen;
	snprintf(buf + used, NAMES_BUF - used, "%s%.*s", used ? ", " : "", nlen, name);
}

/* --by, --rank and --top into o; they are for cost and pareto only. */
static int grouping(struct cli *c, const struct args *a, int which, struct wr_report_opts *o)
{
	const char *by = args_get(a, "by"), *rank = args_get(a, "rank"), *top = args_get(a, "top");
	long n = 0;
	int rc;

	if (by && which != RP_COST && which != RP_PARETO)
		return args_usage(c, "--by is for the cost and pareto reports");
	if ((rank || top) && which != RP_PARETO)
		return args_usage(c, "--%s is for the pareto report", rank ? "rank" : "top");
	if (by && (wr_report_by_parse(by, &o->by) != WR_OK ||
	           (which == RP_COST && o->by == RB_PROBLEM)))
		return args_usage(c, "--by %s: %s", by,
		                  which == RP_COST ? "choose asset, class or month"
		                                   : "choose problem, asset, class or month");
	if (rank && wr_report_rank_parse(rank, &o->rank) != WR_OK)
		return args_usage(c, "--rank %s: choose failures, downtime or cost", rank);
	if ((rc = args_int(c, "top", top, 1, 1000000, &n)) != 0)
		return rc;
	o->top = (int)n;
	return 0;
}

/* The scope options every report takes, into o. */
int report_scope_args(struct cli *c, const struct args *a, struct wr_report_opts *o)
{
	int rc;

	memset(o, 0, sizeof *o);
	o->from = o->to = WR_NO_TIME;
	if ((rc = args_date(c, "from", args_get(a, "from"), &o->from, CLI_USAGE)) != 0 ||
	    (rc = args_date(c, "to", args_get(a, "to"), &o->to, CLI_USAGE)) != 0)
		return rc;
	if (o->from != WR_NO_TIME && o->to != WR_NO_TIME && o->to < o->from) {
		char f[WR_DATE_BUF], tt[WR_DATE_BUF];
		return args_usage(c, "--to %s is before --from %s", wr_date_fmt(o->to, tt),
		                  wr_date_fmt(o->from, f));
	}
	o->cls = args_get(a, "class");
	o->asset_tag = args_get(a, "asset");
	o->site = args_get(a, "site");
	return 0;
}

int cmd_report(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct wr_report_opts o;
	struct wr_table t;
	struct wr_err e = {0, ""};
	int which, fmt, rc;

	if (argc >= 2 && strcmp(argv[1], "settings") == 0)
		return cmd_report_settings(c, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "monthly") == 0)
		return cmd_report_monthly(c, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "trend") == 0)
		return cmd_report_trend(c, argc - 1, argv + 1);
	if (c->list_words && argc < 2)
		each_report_name(complete_name, NULL);
	if ((rc = args_parse(c, &report_spec, argc, argv, &a)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (wr_report_parse(a.pos[0], &which) != WR_OK) {
		char valid[NAMES_BUF] = "";
		each_report_name(join_name, valid);
		return args_usage(c, "unknown report '%s'; valid: %s", a.pos[0], valid);
	}
	if ((rc = out_format(c, args_get(&a, "format"), OUT_TABLE, 1, &fmt)) != 0)
		return rc;
	if ((rc = report_scope_args(c, &a, &o)) != 0 || (rc = grouping(c, &a, which, &o)) != 0)
		return rc;
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
