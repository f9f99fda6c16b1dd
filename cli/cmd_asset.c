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
	"manufacturer", "model", "serial", "install_date"
};
static const int list_numeric[] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0};
/* On a narrow terminal the maker's details go first; tag, name and status
 * stay. */
static const unsigned char list_give_way[] = {0, 0, 3, 5, 6, 4, 0, 8, 9, 10, 7};
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
	out_give_way(&o, list_give_way);
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
	{"at", 0, 1, "DATE", "reliability as of this date (default today)"},
	{"horizon", 0, 1, "DUR", "reliability look-ahead, e.g. 30d, 3mo (default 30d)"},
	{"format", 0, 1, "FMT", "text (default) or json"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec show_spec = {
	"asset show", "TAG",
	"Shows an asset: its details, its reliability (the probability of failing within\n"
	"the horizon, from the plant model `wrench rank` uses), children, meters, open\n"
	"work orders and recent history.",
	show_opts, 1, 1, NULL, NULL
};

/* What the listings of `asset show` share: JSON or text, items so far, and
 * for the history the limit and how many were left out. */
struct show_ctx {
	int json, n, limit, more;
};

static void field(const char *label, const char *value)
{
	printf("%-14s ", label);
	out_text(stdout, value);
	putchar('\n');
}

/* Text by the JSON convention: null when empty. */
static void json_kv(const char *k, const char *v, int first)
{
	fputs(first ? "\n  " : ",\n  ", stdout);
	out_json_str(stdout, k);
	fputs(": ", stdout);
	out_json_text(stdout, v);
}

/* Opens a listing at its first item: a heading, or a JSON key and '['. */
static void list_open(struct show_ctx *sc, const char *title, const char *key)
{
	if (sc->n++ > 0) {
		if (sc->json)
			fputs(",", stdout);
		return;
	}
	if (sc->json)
		printf(",\n  \"%s\": [", key);
	else
		printf("\n%s:\n", title);
}

static void list_close(struct show_ctx *sc, const char *key, const char *none)
{
	if (sc->json)
		printf(sc->n ? "\n  ]" : ",\n  \"%s\": []", key);
	else if (sc->n == 0 && none)
		printf("\n%s\n", none);
	sc->n = 0;
}

static int show_child(const struct wr_asset *as, void *ctx)
{
	struct show_ctx *sc = ctx;

	list_open(sc, "Children", "children");
	if (sc->json) {
		fputs("\n    {\"tag\": ", stdout);
		out_json_text(stdout, as->tag);
		fputs(", \"name\": ", stdout);
		out_json_text(stdout, as->name);
		fputs(", \"class\": ", stdout);
		out_json_text(stdout, as->cls);
		fputs("}", stdout);
		return 0;
	}
	out_printf(stdout, "  %-16s ", as->tag);
	out_text(stdout, as->name);
	out_printf(stdout, " (%s)\n", as->cls);
	return 0;
}

static int show_meter(const struct wr_meter *m, void *ctx)
{
	struct show_ctx *sc = ctx;
	char v[32], at[WR_DATE_BUF];

	list_open(sc, "Meters", "meters");
	if (sc->json) {
		fputs("\n    {\"name\": ", stdout);
		out_json_text(stdout, m->name);
		fputs(", \"unit\": ", stdout);
		out_json_text(stdout, m->unit);
		fputs(", \"value\": ", stdout);
		out_json_num(stdout, m->last_value);
		fputs(", \"at\": ", stdout);
		out_json_time(stdout, isnan(m->last_value) ? WR_NO_TIME : m->last_at);
		fputs("}", stdout);
		return 0;
	}
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
	struct show_ctx *sc = ctx;
	char due[WR_DATE_BUF];

	list_open(sc, "Open work orders", "open_work_orders");
	if (sc->json) {
		fputs("\n    {\"number\": ", stdout);
		out_json_str(stdout, w->number);
		fputs(", \"status\": ", stdout);
		out_json_str(stdout, wr_wo_status_name(w->status));
		fputs(", \"priority\": ", stdout);
		out_json_str(stdout, wr_priority_name(w->priority));
		fputs(", \"due\": ", stdout);
		out_json_date(stdout, w->due_at);
		fputs(", \"title\": ", stdout);
		out_json_text(stdout, w->title);
		fputs("}", stdout);
		return 0;
	}
	out_printf(stdout, "  %-10s %-11s %-7s %-10s ", w->number, wr_wo_status_name(w->status),
	           wr_priority_name(w->priority), w->due_at == WR_NO_TIME ? "-" :
	           wr_date_fmt_day(w->due_at, due));
	out_text(stdout, w->title);
	putchar('\n');
	return 0;
}

static int show_event(const struct wr_event *ev, void *ctx)
{
	struct show_ctx *sc = ctx;
	char at[WR_DATE_BUF];

	if (sc->n >= sc->limit) {
		sc->more++;
		return 0;
	}
	list_open(sc, "History (newest first)", "history");
	if (sc->json) {
		/* The columns of the history file (export history). */
		fputs("\n    {\"date\": ", stdout);
		out_json_time(stdout, ev->at);
		fputs(", \"event\": ", stdout);
		out_json_str(stdout, wr_event_kind_name(ev->kind));
		fputs(", \"code\": ", stdout);
		out_json_text(stdout, ev->code);
		fputs(", \"wo\": ", stdout);
		out_json_text(stdout, ev->wo_number);
		fputs(", \"notes\": ", stdout);
		out_json_text(stdout, ev->notes);
		fputs("}", stdout);
		return 0;
	}
	out_printf(stdout, "  %-10s %-11s %-10s %-10s ", wr_date_fmt_day(ev->at, at),
	           wr_event_kind_name(ev->kind), ev->code[0] ? ev->code : "-",
	           ev->wo_number[0] ? ev->wo_number : "-");
	if (ev->notes)
		out_text(stdout, ev->notes);
	putchar('\n');
	return 0;
}

static void show_fields(const struct wr_asset *as, int json)
{
	char buf[WR_DATE_BUF], num[16];

	snprintf(num, sizeof num, "%d", as->criticality);
	if (json) {
		fputs("{", stdout);
		json_kv("tag", as->tag, 1);
		json_kv("name", as->name, 0);
		json_kv("description", as->description, 0);
		json_kv("class", as->cls, 0);
		json_kv("status", wr_asset_status_name(as->status), 0);
		printf(",\n  \"criticality\": %s", num);
		json_kv("location", as->location_code, 0);
		json_kv("parent", as->parent_tag, 0);
		json_kv("manufacturer", as->manufacturer, 0);
		json_kv("model", as->model, 0);
		json_kv("serial", as->serial, 0);
		fputs(",\n  \"install_date\": ", stdout);
		out_json_date(stdout, as->install_date);
		return;
	}
	field("Tag", as->tag);
	field("Name", as->name);
	if (as->description[0])
		field("Description", as->description);
	field("Class", as->cls);
	field("Status", wr_asset_status_name(as->status));
	field("Criticality", num);
	field("Location", as->location_code[0] ? as->location_code : "-");
	field("Parent", as->parent_tag[0] ? as->parent_tag : "-");
	field("Manufacturer", as->manufacturer[0] ? as->manufacturer : "-");
	field("Model", as->model[0] ? as->model : "-");
	field("Serial", as->serial[0] ? as->serial : "-");
	field("Installed", as->install_date == WR_NO_TIME ? "-" :
	      wr_date_fmt_day(as->install_date, buf));
}

/* Children, meters, open work and history, each a listing. */
static int show_lists(struct cli *c, const struct wr_asset *as, struct show_ctx *sc,
                      struct wr_err *e)
{
	struct wr_wo_filter f;

	if (store_asset_children(c->st, as->tag, show_child, sc, e) != WR_OK)
		return -1;
	list_close(sc, "children", NULL);
	if (store_meter_list(c->st, as->tag, show_meter, sc, e) != WR_OK)
		return -1;
	list_close(sc, "meters", NULL);
	memset(&f, 0, sizeof f);
	f.asset_tag = as->tag;
	f.status_mask = (1u << WS_REQUESTED) | (1u << WS_OPEN) | (1u << WS_IN_PROGRESS) |
	                (1u << WS_ON_HOLD);
	if (store_wo_list(c->st, &f, show_wo, sc, e) != WR_OK)
		return -1;
	list_close(sc, "open_work_orders", "No open work orders.");
	if (store_event_list(c->st, as->tag, show_event, sc, e) != WR_OK)
		return -1;
	if (!sc->json && sc->more)
		printf("  ... %d older (--history N shows more)\n", sc->more);
	list_close(sc, "history", sc->more ? NULL : "No history.");
	if (sc->json)
		printf(",\n  \"history_more\": %d", sc->more);
	return 0;
}

static int asset_show(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct wr_asset as;
	struct wr_err e = {0, ""};
	struct show_ctx sc = {0, 0, 10, 0};
	const char *fv;
	int64_t at = WR_NO_TIME;
	double horizon = 30.0;
	long limit = 10;
	int rc = args_parse(c, &show_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	fv = args_get(&a, "format");
	if (fv && strcmp(fv, "json") == 0)
		sc.json = 1;
	else if (fv && strcmp(fv, "text") != 0 && strcmp(fv, "table") != 0)
		return args_usage(c, "--format wants text or json, not '%s'", fv);
	if ((rc = args_int(c, "history", args_get(&a, "history"), 0, 100000, &limit)) != 0 ||
	    (rc = args_date(c, "at", args_get(&a, "at"), &at, CLI_USAGE)) != 0 ||
	    (rc = args_days(c, "horizon", args_get(&a, "horizon"), &horizon)) != 0)
		return rc;
	sc.limit = (int)limit;
	if (at == WR_NO_TIME)
		at = wr_today();
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	if (store_asset_get(c->st, a.pos[0], &as, &e) != WR_OK)
		return cli_fail(c, &e);
	show_fields(&as, sc.json);
	if ((rc = cli_asset_reliability(c, &as, at, horizon, sc.json)) != 0)
		return rc;
	rc = show_lists(c, &as, &sc, &e);
	if (sc.json)
		fputs("\n}\n", stdout);
	if (rc != 0)
		return cli_fail(c, &e);
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
