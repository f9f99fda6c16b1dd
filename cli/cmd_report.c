/*
 * cmd_report.c - `wrench report NAME`: the store's reports rendered as a
 * table, CSV or JSON; `report settings` and `report trend` have files of
 * their own (cmd_report_settings.c, cmd_report_trend.c).
 */
#include <stdarg.h>
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

/* The reports, the one place they are written: the dispatch, --help, the
 * completion words and the message for an unknown name are all made from
 * this table.  A report with options of its own (trend, settings, monthly)
 * has a command (sub) that parses them; the others are the store's reports
 * (which: enum wr_report) and take report_opts.  A help line's '\n' starts
 * a continuation line. */
struct report_kind {
	const char *name;
	int which;              /* enum wr_report, or -1 for a report with its own command */
	int (*sub)(struct cli *c, int argc, char **argv);
	const char *help;
};

static const struct report_kind reports[] = {
	{"mtbf", RP_MTBF, NULL, "mean time between failures per asset, and in total"},
	{"mttr", RP_MTTR, NULL, "mean time to repair (from downtime) per asset, and in total"},
	{"availability", RP_AVAILABILITY, NULL,
	 "uptime / (uptime + downtime) per asset, and in total"},
	{"backlog", RP_BACKLOG, NULL, "work open at the end of the period by status and priority"},
	{"pm-compliance", RP_PM_COMPLIANCE, NULL, "PM work due in the period done on time, of all due"},
	{"planned", RP_PLANNED, NULL, "labour hours on planned work, of all hours, by month"},
	{"schedule-compliance", RP_SCHEDULE_COMPLIANCE, NULL,
	 "work due in the period done within its week, by month"},
	{"backlog-weeks", RP_BACKLOG_WEEKS, NULL,
	 "backlog hours over the crew's weekly hours, month by month"},
	{"aging", RP_AGING, NULL, "work open at the end of the period by age"},
	{"cost", RP_COST, NULL, "labour (at the rates set) plus parts, by asset, class or month"},
	{"pareto", RP_PARETO, NULL, "failures by problem code, asset, class or month, largest first"},
	{"trend", -1, cmd_report_trend, "every measure month by month"},
	{"settings", -1, cmd_report_settings, "show or set the crew's capacity and labour rates"},
	{"monthly", -1, cmd_report_monthly, "a month's measures with their trend, also as an HTML "
	 "page\n(see wrench report monthly --help)"},
};
#define NREPORTS (sizeof reports / sizeof reports[0])

/* The reports' names, "mtbf, mttr, ...", for wrench's list of commands,
 * made from reports[] on first use (cut after the last whole name that
 * fits, which all do). */
const char *cmd_report_names(void)
{
	static char names[512];
	size_t used = 0;

	if (names[0])
		return names;
	for (size_t i = 0; i < NREPORTS; i++) {
		int n = snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
		                 reports[i].name);
		if (n < 0 || (size_t)n >= sizeof names - used) {
			names[used] = '\0';
			break;
		}
		used += (size_t)n;
	}
	return names;
}

/* The report a command-line word names: by its name, or for the store's
 * reports by any name the store takes for it (wr_report_parse: any case,
 * "compliance" for pm-compliance).  NULL when none. */
static const struct report_kind *report_find(const char *word)
{
	int which;

	for (size_t i = 0; i < NREPORTS; i++)
		if (wr_streq_ci(word, reports[i].name))
			return &reports[i];
	if (wr_report_parse(word, &which) != WR_OK)
		return NULL;
	for (size_t i = 0; i < NREPORTS; i++)
		if (reports[i].which == which)
			return &reports[i];
	return NULL;
}

/* --help's text above the options, made from reports[] on first use. */
static char report_summary[2048];

static const struct cmd_spec report_spec = {
	"report", "NAME", report_summary, report_opts, 1, 1, NULL, NULL
};

/* Appends to report_summary; the buffer is sized for the table above, and a
 * longer table is cut short rather than overrun. */
static void summary_add(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void summary_add(const char *fmt, ...)
{
	size_t used = strlen(report_summary);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(report_summary + used, sizeof report_summary - used, fmt, ap);
	va_end(ap);
}

/* "Reports over a period.  NAME is one of:", then a line for each report:
 * two spaces, the name, and its help from the 24th column on. */
static void build_summary(void)
{
	if (report_summary[0])
		return;
	summary_add("Reports over a period.  NAME is one of:");
	for (size_t i = 0; i < NREPORTS; i++) {
		const char *h = reports[i].help;
		int len;

		summary_add("\n  %-19s  ", reports[i].name);
		while (h[len = (int)strcspn(h, "\n")]) {
			summary_add("%.*s\n%23s", len, h, "");
			h += len + 1;
		}
		summary_add("%s", h);
	}
}

/* Completion: every NAME as a command word (trend, settings and monthly
 * have options of their own), with the first line of its help. */
static void complete_names(void)
{
	for (size_t i = 0; i < NREPORTS; i++)
		printf("command\t%s\t\t%.*s\n", reports[i].name,
		       (int)strcspn(reports[i].help, "\n"), reports[i].help);
}

/* The names, comma-separated, for the message that refuses an unknown one. */
static void join_names(char *buf, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < NREPORTS && used < n; i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "",
		                         reports[i].name);
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
	const struct report_kind *k = argc >= 2 ? report_find(argv[1]) : NULL;
	struct args a;
	struct wr_report_opts o;
	struct wr_table t;
	struct wr_err e = {0, ""};
	int which, fmt, rc;

	if (k && k->sub)
		return k->sub(c, argc - 1, argv + 1);
	build_summary();
	if (c->list_words && argc < 2)
		complete_names();
	if ((rc = args_parse(c, &report_spec, argc, argv, &a)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (!(k = report_find(a.pos[0]))) {
		char valid[512];
		join_names(valid, sizeof valid);
		return args_usage(c, "unknown report '%s'; valid: %s", a.pos[0], valid);
	}
	if (k->sub)
		return args_usage(c, "the %s report's options come after its name: "
		                  "wrench report %s [options]", k->name, k->name);
	which = k->which;
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
