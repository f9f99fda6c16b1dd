/*
 * cmd_report_settings.c - `wrench report settings`: shows, and with options
 * sets, what the reports need besides the work orders: the crew's capacity
 * (backlog-weeks) and the labour rates (cost, pareto).  Kept in the
 * database, so every report on it uses the same ones.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "report.h"

static const struct arg_opt settings_opts[] = {
	{"crew-hours", 0, 1, "HOURS", "hours of work the crew has per week (none: unset)"},
	{"rate", 0, 1, "COST", "default cost of a labour hour (none: unset)"},
	{"person-rate", 0, 1, "USER=COST", "cost of an hour of this person's labour (repeatable)"},
	{"team-rate", 0, 1, "TEAM=COST", "cost of an hour of this team's labour (repeatable)"},
	{"format", 0, 1, "FMT", "table (default), csv or json"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec settings_spec = {
	"report settings", "",
	"Shows the reports' settings; with options, sets them first (all or none).  A labour\n"
	"hour costs its person's rate, else the rate of the person's team, else the default\n"
	"rate, else nothing.  COST none removes a setting.",
	settings_opts, 0, 0, NULL, NULL
};

/* One change: the option's kind, the name (person or team) and the value
 * (NAN: remove), parsed from "NAME=COST" or "COST". */
static int parse_change(struct cli *c, const char *opt, const char *v, int kind, char *name,
                        size_t n, double *value)
{
	const char *num = v;

	name[0] = '\0';
	if (kind == RS_RATE_PERSON || kind == RS_RATE_TEAM) {
		const char *eq = strchr(v, '=');
		if (!eq || eq == v || (size_t)(eq - v) >= n)
			return args_usage(c, "--%s wants %s=COST, not '%s'", opt,
			                  kind == RS_RATE_PERSON ? "USER" : "TEAM", v);
		memcpy(name, v, (size_t)(eq - v));
		name[eq - v] = '\0';
		num = eq + 1;
	}
	if (strcmp(num, "none") == 0) {
		*value = NAN;
		return 0;
	}
	return args_real(c, opt, num, value, CLI_USAGE);
}

static int option_kind(const char *opt)
{
	if (strcmp(opt, "crew-hours") == 0)
		return RS_CREW_HOURS;
	if (strcmp(opt, "rate") == 0)
		return RS_RATE_DEFAULT;
	if (strcmp(opt, "person-rate") == 0)
		return RS_RATE_PERSON;
	if (strcmp(opt, "team-rate") == 0)
		return RS_RATE_TEAM;
	return -1;
}

/* Applies the changes in command-line order, in one transaction. */
static int apply_changes(struct cli *c, const struct args *a)
{
	struct wr_err e = {0, ""};
	int rc;

	if (store_begin(c->st, &e) != WR_OK)
		return cli_fail(c, &e);
	for (int i = 0; i < a->norder; i++) {
		const char *opt = a->spec->opts[a->order_opt[i]].name;
		int kind = option_kind(opt);
		char name[64];
		double value;
		if (kind < 0)
			continue;
		if ((rc = parse_change(c, opt, a->order_val[i], kind, name, sizeof name, &value)) != 0) {
			store_rollback(c->st);
			return rc;
		}
		if (store_report_setting_set(c->st, kind, name, value, &e) != WR_OK) {
			store_rollback(c->st);
			return cli_fail(c, &e);
		}
	}
	if (store_commit(c->st, &e) != WR_OK)
		return cli_fail(c, &e);
	return 0;
}

static int print_setting(const struct wr_report_setting *st, void *ctx)
{
	struct out *o = ctx;
	char v[32];
	const char *cells[3] = {wr_setting_kind_name(st->kind), st->name, v};

	snprintf(v, sizeof v, "%.10g", st->value);
	return out_row(o, cells) != 0;
}

int cmd_report_settings(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = {"setting", "name", "value"};
	static const int num[] = {0, 0, 1};
	struct args a;
	struct wr_err e = {0, ""};
	struct out o;
	int fmt, rc, changes = 0;

	if ((rc = args_parse(c, &settings_spec, argc, argv, &a)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = out_format(c, args_get(&a, "format"), OUT_TABLE, 1, &fmt)) != 0)
		return rc;
	for (int i = 0; i < a.norder; i++)
		changes += option_kind(a.spec->opts[a.order_opt[i]].name) >= 0;
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	if (changes && (rc = apply_changes(c, &a)) != 0)
		return rc;
	out_begin(&o, stdout, fmt, 3, head, num);
	rc = store_report_setting_list(c->st, print_setting, &o, &e);
	if (out_end(&o) != 0 && rc == WR_OK)
		return cli_failf(c, CLI_BAD, "out of memory while printing the settings");
	if (rc != WR_OK)
		return e.rc ? cli_fail(c, &e) : cli_failf(c, CLI_BAD, "out of memory");
	return CLI_OK;
}
