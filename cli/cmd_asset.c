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
	struct wr_json js;      /* the JSON document (writers.h) */
};

static void field(const char *label, const char *value)
{
	printf("%-14s ", label);
	out_text(stdout, value);
	putchar('\n');
}

/* Text by the JSON convention: null when empty. */
static void json_kv(struct wr_json *js, const char *k, const char *v)
{
	wr_json_key(js, k);
	wr_json_text(js, v);
}

/* Starts a listing: in JSON its array under key. */
static void list_begin(struct show_ctx *sc, const char *key)
{
	sc->n = 0;
	if (sc->json) {
		wr_json_key(&sc->js, key);
		wr_json_array(&sc->js, 0);
	}
}

/* An item: in text the listing's heading comes before the first; in JSON
 * each item is an object on a line of its own. */
static void list_item(struct show_ctx *sc, const char *title)
{
	if (sc->n++ == 0 && !sc->json)
		printf("\n%s:\n", title);
	if (sc->json)
		wr_json_object(&sc->js, 1);
}

/* Ends a listing: in text what says there was none. */
static void list_end(struct show_ctx *sc, const char *none)
{
	if (sc->json)
		wr_json_end(&sc->js);
	else if (sc->n == 0 && none)
		printf("\n%s\n", none);
}

static int show_child(const struct wr_asset *as, void *ctx)
{
	struct show_ctx *sc = ctx;

	list_item(sc, "Children");
	if (sc->json) {
		json_kv(&sc->js, "tag", as->tag);
		json_kv(&sc->js, "name", as->name);
		json_kv(&sc->js, "class", as->cls);
		wr_json_end(&sc->js);
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

	list_item(sc, "Meters");
	if (sc->json) {
		json_kv(&sc->js, "name", m->name);
		json_kv(&sc->js, "unit", m->unit);
		wr_json_key(&sc->js, "value");
		wr_json_num(&sc->js, m->last_value);
		wr_json_key(&sc->js, "at");
		wr_json_time(&sc->js, isnan(m->last_value) ? WR_NO_TIME : m->last_at);
		wr_json_end(&sc->js);
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

	list_item(sc, "Open work orders");
	if (sc->json) {
		json_kv(&sc->js, "number", w->number);
		json_kv(&sc->js, "status", wr_wo_status_name(w->status));
		json_kv(&sc->js, "priority", wr_priority_name(w->priority));
		wr_json_key(&sc->js, "due");
		wr_json_date(&sc->js, w->due_at);
		json_kv(&sc->js, "title", w->title);
		wr_json_end(&sc->js);
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
	list_item(sc, "History (newest first)");
	if (sc->json) {
		/* The columns of the history file (export history). */
		wr_json_key(&sc->js, "date");
		wr_json_time(&sc->js, ev->at);
		json_kv(&sc->js, "event", wr_event_kind_name(ev->kind));
		json_kv(&sc->js, "code", ev->code);
		json_kv(&sc->js, "wo", ev->wo_number);
		json_kv(&sc->js, "notes", ev->notes);
		wr_json_end(&sc->js);
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

/* The fields under the names of the asset file (export assets). */
static void show_fields_json(struct wr_json *js, const struct wr_asset *as)
{
	wr_json_object(js, 0);
	json_kv(js, "tag", as->tag);
	json_kv(js, "name", as->name);
	json_kv(js, "description", as->description);
	json_kv(js, "class", as->cls);
	json_kv(js, "status", wr_asset_status_name(as->status));
	wr_json_key(js, "criticality");
	wr_json_int(js, as->criticality);
	json_kv(js, "location", as->location_code);
	json_kv(js, "parent", as->parent_tag);
	json_kv(js, "manufacturer", as->manufacturer);
	json_kv(js, "model", as->model);
	json_kv(js, "serial", as->serial);
	wr_json_key(js, "install_date");
	wr_json_date(js, as->install_date);
}

static void show_fields(const struct wr_asset *as)
{
	char buf[WR_DATE_BUF], num[16];

	snprintf(num, sizeof num, "%d", as->criticality);
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

	list_begin(sc, "children");
	if (store_asset_children(c->st, as->tag, show_child, sc, e) != WR_OK)
		return -1;
	list_end(sc, NULL);
	list_begin(sc, "meters");
	if (store_meter_list(c->st, as->tag, show_meter, sc, e) != WR_OK)
		return -1;
	list_end(sc, NULL);
	memset(&f, 0, sizeof f);
	f.asset_tag = as->tag;
	f.status_mask = (1u << WS_REQUESTED) | (1u << WS_OPEN) | (1u << WS_IN_PROGRESS) |
	                (1u << WS_ON_HOLD);
	list_begin(sc, "open_work_orders");
	if (store_wo_list(c->st, &f, show_wo, sc, e) != WR_OK)
		return -1;
	list_end(sc, "No open work orders.");
	list_begin(sc, "history");
	if (store_event_list(c->st, as->tag, show_event, sc, e) != WR_OK)
		return -1;
	if (!sc->json && sc->more)
		printf("  ... %d older (--history N shows more)\n", sc->more);
	list_end(sc, sc->more ? NULL : "No history.");
	if (sc->json) {
		wr_json_key(&sc->js, "history_more");
		wr_json_int(&sc->js, sc->more);
	}
	return 0;
}

static int asset_show(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct wr_asset as;
	struct wr_err e = {0, ""};
	struct show_ctx sc = {0, 0, 10, 0};
	int64_t at = WR_NO_TIME;
	double horizon = 30.0;
	long limit = 10;
	int rc = args_parse(c, &show_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = out_format_text(c, args_get(&a, "format"), &sc.json)) != 0)
		return rc;
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
	wr_json_init(&sc.js, stdout, out_write);
	if (sc.json)
		show_fields_json(&sc.js, &as);
	else
		show_fields(&as);
	if ((rc = cli_asset_reliability(c, &as, at, horizon, sc.json ? &sc.js : NULL)) != 0)
		return rc;
	rc = show_lists(c, &as, &sc, &e);
	while (sc.js.depth > 0)
		wr_json_end(&sc.js);
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
