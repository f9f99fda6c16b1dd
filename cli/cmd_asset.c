/*
 * cmd_asset.c - `wrench asset list` and `wrench asset show TAG`.
 */
#include <math.h>
#include <string.h>
#include "cli.h"

/* --------------------------------------------------------------- list */

static const struct arg_opt list_opts[] = {
	{"search", 0, 1, "TEXT", "only assets whose tag, name, class or serial contains TEXT"},
	{"format", 0, 1, "FMT", "table (default), csv or json"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec list_spec = {
	"asset list", "", "Lists assets ordered by tag.", list_opts, 0, 0, NULL, NULL
};

static const char *const list_head[] = {
	"tag", "name", "class", "location", "parent", "criticality", "status",
	"manufacturer", "model", "serial", "installed"
};
static const int list_numeric[] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0};
#define LIST_COLS (sizeof list_head / sizeof list_head[0])

static int list_row(const struct wr_asset *as, void *ctx)
{
	struct out *o = ctx;
	char crit[16], inst[WR_DATE_BUF];
	const char *cells[LIST_COLS];

	snprintf(crit, sizeof crit, "%d", as->criticality);
	cells[0] = as->tag;
	cells[1] = as->name;
	cells[2] = as->cls;
	cells[3] = as->location_code;
	cells[4] = as->parent_tag;
	cells[5] = crit;
	cells[6] = wr_asset_status_name(as->status);
	cells[7] = as->manufacturer;
	cells[8] = as->model;
	cells[9] = as->serial;
	cells[10] = wr_date_fmt_day(as->install_date, inst);
	if (as->install_date == WR_NO_TIME)
		cells[10] = "";
	return out_row(o, cells) == 0 ? 0 : 1;
}

static int asset_list(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct out o;
	struct wr_err e = {0, ""};
	int fmt, rc = args_parse(c, &list_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = out_format(c, args_get(&a, "format"), OUT_TABLE, 1, &fmt)) != 0)
		return rc;
	if (store_search_check(args_get(&a, "search"), &e) != WR_OK)
		return args_usage(c, "--search: %s", e.msg);
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	out_begin(&o, stdout, fmt, LIST_COLS, list_head, list_numeric);
	rc = store_asset_list(c->st, args_get(&a, "search"), list_row, &o, &e);
	if (out_end(&o) != 0)
		return cli_failf(c, CLI_BAD, "out of memory while listing assets");
	if (rc != WR_OK)
		return cli_fail(c, &e);
	return CLI_OK;
}

/* --------------------------------------------------------------- show */

static const struct arg_opt show_opts[] = {
	{"history", 0, 1, "N", "history events to show (default 10)"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec show_spec = {
	"asset show", "TAG",
	"Shows an asset: its details, children, meters, open work orders and recent history.",
	show_opts, 1, 1, NULL, NULL
};

static void field(const char *label, const char *value)
{
	printf("%-14s ", label);
	out_text(stdout, value);
	putchar('\n');
}

static int show_child(const struct wr_asset *as, void *ctx)
{
	int *n = ctx;

	if ((*n)++ == 0)
		printf("\nChildren:\n");
	out_printf(stdout, "  %-16s ", as->tag);
	out_text(stdout, as->name);
	out_printf(stdout, " (%s)\n", as->cls);
	return 0;
}

static int show_meter(const struct wr_meter *m, void *ctx)
{
	int *n = ctx;
	char v[32], at[WR_DATE_BUF];

	if ((*n)++ == 0)
		printf("\nMeters:\n");
	out_printf(stdout, "  %-12s ", m->name);
	if (isnan(m->last_value))
		printf("no reading\n");
	else
		out_printf(stdout, "%s %s at %s\n", out_num(v, sizeof v, m->last_value, 10), m->unit,
		           wr_date_fmt(m->last_at, at));
	return 0;
}

static int show_wo(const struct wr_wo *w, void *ctx)
{
	int *n = ctx;
	char due[WR_DATE_BUF];

	if ((*n)++ == 0)
		printf("\nOpen work orders:\n");
	out_printf(stdout, "  %-10s %-11s %-7s %-10s ", w->number, wr_wo_status_name(w->status),
	           wr_priority_name(w->priority), w->due_at == WR_NO_TIME ? "-" :
	           wr_date_fmt_day(w->due_at, due));
	out_text(stdout, w->title);
	putchar('\n');
	return 0;
}

struct hist_ctx {
	int n, limit, more;
};

static int show_event(const struct wr_event *ev, void *ctx)
{
	struct hist_ctx *h = ctx;
	char at[WR_DATE_BUF];

	if (h->n >= h->limit) {
		h->more++;
		return 0;
	}
	if (h->n++ == 0)
		printf("\nHistory (newest first):\n");
	out_printf(stdout, "  %-10s %-11s %-10s %-10s ", wr_date_fmt_day(ev->at, at),
	           wr_event_kind_name(ev->kind), ev->code[0] ? ev->code : "-",
	           ev->wo_number[0] ? ev->wo_number : "-");
	if (ev->notes)
		out_text(stdout, ev->notes);
	putchar('\n');
	return 0;
}

static int asset_show(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct wr_asset as;
	struct wr_wo_filter f;
	struct wr_err e = {0, ""};
	struct hist_ctx h = {0, 10, 0};
	char buf[WR_DATE_BUF], num[16];
	long limit = 10;
	int n, rc = args_parse(c, &show_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = args_int(c, "history", args_get(&a, "history"), 0, 100000, &limit)) != 0)
		return rc;
	h.limit = (int)limit;
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	if (store_asset_get(c->st, a.pos[0], &as, &e) != WR_OK)
		return cli_fail(c, &e);

	field("Tag", as.tag);
	field("Name", as.name);
	if (as.description[0])
		field("Description", as.description);
	field("Class", as.cls);
	field("Status", wr_asset_status_name(as.status));
	snprintf(num, sizeof num, "%d", as.criticality);
	field("Criticality", num);
	field("Location", as.location_code[0] ? as.location_code : "-");
	field("Parent", as.parent_tag[0] ? as.parent_tag : "-");
	field("Manufacturer", as.manufacturer[0] ? as.manufacturer : "-");
	field("Model", as.model[0] ? as.model : "-");
	field("Serial", as.serial[0] ? as.serial : "-");
	field("Installed", as.install_date == WR_NO_TIME ? "-" :
	      wr_date_fmt_day(as.install_date, buf));

	n = 0;
	if (store_asset_children(c->st, as.tag, show_child, &n, &e) != WR_OK)
		return cli_fail(c, &e);
	n = 0;
	if (store_meter_list(c->st, as.tag, show_meter, &n, &e) != WR_OK)
		return cli_fail(c, &e);
	memset(&f, 0, sizeof f);
	f.asset_tag = as.tag;
	f.status_mask = (1u << WS_REQUESTED) | (1u << WS_OPEN) | (1u << WS_IN_PROGRESS) |
	                (1u << WS_ON_HOLD);
	n = 0;
	if (store_wo_list(c->st, &f, show_wo, &n, &e) != WR_OK)
		return cli_fail(c, &e);
	if (n == 0)
		printf("\nNo open work orders.\n");
	if (store_event_list(c->st, as.tag, show_event, &h, &e) != WR_OK)
		return cli_fail(c, &e);
	if (h.n == 0 && h.more == 0)
		printf("\nNo history.\n");
	else if (h.more)
		printf("  ... %d older (--history N shows more)\n", h.more);
	return CLI_OK;
}

static const struct subcmd asset_cmds[] = {
	{"list", asset_list, "list assets (--search, --format)"},
	{"show", asset_show, "details, children, meters, open work and history of one asset"},
	{NULL, NULL, NULL}
};

int cmd_asset(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, "asset", asset_cmds, argc, argv);
}
