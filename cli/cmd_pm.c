/*
 * cmd_pm.c - `wrench pm`: list schedules, show what is due, generate the
 * work orders of due occurrences.
 */
#include <math.h>
#include <string.h>
#include "cli.h"

static const char *unit_name(int unit, int n)
{
	switch (unit) {
	case PU_DAY: return n == 1 ? "day" : "days";
	case PU_WEEK: return n == 1 ? "week" : "weeks";
	default: return n == 1 ? "month" : "months";
	}
}

/* --------------------------------------------------------------- list */

static const struct arg_opt list_opts[] = {
	{"format", 0, 1, "FMT", "table (default), csv or json"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec list_spec = {
	"pm list", "", "Lists preventive-maintenance schedules ordered by code.",
	list_opts, 0, 0, NULL, NULL
};

static const char *const list_head[] = {
	"code", "asset", "kind", "every", "mode", "next_due", "next_meter", "last_done",
	"est_hours", "active", "title"
};
static const int list_numeric[] = {0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0};
static const unsigned char list_kind[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, OUT_BOOL, 0};
/* On a narrow terminal: code, next due date and title stay (the code
 * names the asset). */
static const unsigned char list_give_way[] = {0, 1, 3, 2, 5, 0, 6, 7, 8, 4, 0};
#define LIST_COLS (sizeof list_head / sizeof list_head[0])

static int list_row(const struct wr_pm *p, void *ctx)
{
	struct out *o = ctx;
	char every[96], next[WR_DATE_BUF], last[WR_DATE_BUF], nm[32], est[32];
	const char *cells[LIST_COLS];

	if (p->kind == PK_METER) {
		char iv[32];
		snprintf(every, sizeof every, "%s %s", out_num(iv, sizeof iv, p->meter_interval, 10),
		         p->meter);
	} else {
		snprintf(every, sizeof every, "%d %s", p->interval, unit_name(p->unit, p->interval));
	}
	cells[0] = p->code;
	cells[1] = p->asset_tag;
	cells[2] = p->kind == PK_METER ? "meter" : "calendar";
	cells[3] = every;
	cells[4] = p->kind == PK_METER ? "" : p->floating ? "floating" : "fixed";
	cells[5] = p->next_due == WR_NO_TIME ? "" : wr_date_fmt(p->next_due, next);
	cells[6] = out_num(nm, sizeof nm, p->next_meter, 10);
	cells[7] = p->last_done == WR_NO_TIME ? "" : wr_date_fmt(p->last_done, last);
	cells[8] = out_num(est, sizeof est, p->est_hours, 6);
	cells[9] = p->active ? "yes" : "no";
	cells[10] = p->title;
	return out_row(o, cells) == 0 ? 0 : 1;
}

static int pm_list(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct out o;
	struct wr_err e = {0, ""};
	int fmt, rc = args_parse(c, &list_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = out_format(c, args_get(&a, "format"), OUT_TABLE, 1, &fmt)) != 0)
		return rc;
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	out_begin(&o, stdout, fmt, LIST_COLS, list_head, list_numeric);
	out_kinds(&o, list_kind);
	out_give_way(&o, list_give_way);
	rc = store_pm_list(c->st, list_row, &o, &e);
	if (out_end(&o) != 0)
		return cli_failf(c, CLI_BAD, "out of memory while listing PM schedules");
	if (rc != WR_OK)
		return cli_fail(c, &e);
	return CLI_OK;
}

/* ---------------------------------------------------------------- due */

static const struct arg_opt due_opts[] = {
	{"days", 0, 1, "N", "also what falls due in the next N days (default 0)"},
	{"format", 0, 1, "FMT", "table (default), csv or json"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec due_spec = {
	"pm due", "",
	"Lists PM occurrences due by today (plus --days), calendar and meter based, with\n"
	"the work order generated for each (empty until 'wrench pm generate').",
	due_opts, 0, 0, NULL, NULL
};

static const char *const due_head[] = {
	"pm", "asset", "due", "due_meter", "meter_now", "overdue", "wo", "title"
};
static const int due_numeric[] = {0, 0, 0, 1, 1, 0, 0, 0};
static const unsigned char due_kind[] = {0, 0, 0, 0, 0, OUT_BOOL, 0, 0};
static const unsigned char due_give_way[] = {0, 1, 0, 4, 5, 2, 3, 0};
#define DUE_COLS (sizeof due_head / sizeof due_head[0])

static int due_row(const struct wr_pm_due *d, void *ctx)
{
	struct out *o = ctx;
	char due[WR_DATE_BUF], dm[32], mn[32];
	const char *cells[DUE_COLS];

	cells[0] = d->pm_code;
	cells[1] = d->asset_tag;
	cells[2] = d->due_at == WR_NO_TIME ? "" : wr_date_fmt(d->due_at, due);
	cells[3] = out_num(dm, sizeof dm, d->due_meter, 10);
	cells[4] = out_num(mn, sizeof mn, d->meter_now, 10);
	cells[5] = d->overdue ? "yes" : "no";
	cells[6] = d->wo_number;
	cells[7] = d->title;
	return out_row(o, cells) == 0 ? 0 : 1;
}

static int pm_due(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct out o;
	struct wr_err e = {0, ""};
	long days = 0;
	int fmt, rc = args_parse(c, &due_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = out_format(c, args_get(&a, "format"), OUT_TABLE, 1, &fmt)) != 0)
		return rc;
	if ((rc = args_int(c, "days", args_get(&a, "days"), 0, 3660, &days)) != 0)
		return rc;
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	out_begin(&o, stdout, fmt, DUE_COLS, due_head, due_numeric);
	out_kinds(&o, due_kind);
	out_give_way(&o, due_give_way);
	rc = store_pm_due(c->st, wr_today(), (int)days, due_row, &o, &e);
	if (out_end(&o) != 0)
		return cli_failf(c, CLI_BAD, "out of memory while listing due PM");
	if (rc != WR_OK)
		return cli_fail(c, &e);
	return CLI_OK;
}

/* ----------------------------------------------------------- generate */

static const struct arg_opt gen_opts[] = {
	{"days", 0, 1, "N", "also generate what falls due in the next N days (default 0)"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec gen_spec = {
	"pm generate", "",
	"Creates the work orders of every due PM occurrence (each schedule's lead time\n"
	"included) and prints how many were created.  Running it again creates nothing.",
	gen_opts, 0, 0, NULL, NULL
};

static int pm_generate(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct wr_err e = {0, ""};
	long days = 0;
	int created = 0, rc = args_parse(c, &gen_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = args_int(c, "days", args_get(&a, "days"), 0, 3660, &days)) != 0)
		return rc;
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	if (store_pm_generate(c->st, wr_today(), (int)days, &created, &e) != WR_OK)
		return cli_fail(c, &e);
	printf("%d work order%s created\n", created, created == 1 ? "" : "s");
	return CLI_OK;
}

static const struct subcmd pm_cmds[] = {
	{"list", pm_list, "list PM schedules"},
	{"due", pm_due, "list due PM occurrences (--days N ahead)"},
	{"generate", pm_generate, "create the work orders of due PM (--days N ahead)"},
	{NULL, NULL, NULL}
};

int cmd_pm(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, "pm", pm_cmds, argc, argv);
}
