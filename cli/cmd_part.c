/*
 * cmd_part.c - `wrench part`: the parts inventory (list, show, add, set).
 * Parts used on a work order are `wo part` (cmd_wo_edit.c), which lowers
 * the quantity on hand of the part it names.
 */
#include <math.h>
#include <string.h>
#include "cli.h"

/* The fields of a part, as options of `part add` and `part set`: the
 * names store_stock_set takes. */
#define PART_FIELD_OPTS \
	{"name", 0, 1, "TEXT", "what the part is called"}, \
	{"description", 0, 1, "TEXT", "what it is, what it fits"}, \
	{"category", 0, 1, "TEXT", "its category"}, \
	{"cost", 0, 1, "X", "unit cost"}, \
	{"on-hand", 0, 1, "Q", "quantity on hand (a count of the stores)"}, \
	{"min", 0, 1, "Q", "minimum quantity: at or below it the part is low on stock"}, \
	{"barcode", 0, 1, "TEXT", "the barcode on the part or its bin"}, \
	{"area", 0, 1, "TEXT", "where it is kept (area, shelf, bin)"}, \
	{"non-stock", 0, 1, "yes|no", "bought when needed, not kept (never low)"}, \
	{"notes", 0, 1, "TEXT", "anything else"}

/* --------------------------------------------------------------- list */

static const struct arg_opt list_opts[] = {
	{"low", 0, 0, NULL, "only parts low on stock (on hand at or below the minimum)"},
	{"format", 0, 1, "FMT", "table (default), csv or json"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec list_spec = {
	"part list", "", "Lists the parts inventory ordered by code; --low lists what to reorder.",
	list_opts, 0, 0, NULL, NULL
};

static const char *const list_head[] = {
	"code", "name", "on_hand", "min_qty", "cost", "area", "barcode", "category", "low"
};
static const int list_numeric[] = {0, 0, 1, 1, 1, 0, 0, 0, 0};
/* low is a boolean: true/false in JSON, as in `part show` (one convention). */
static const unsigned char list_kind[] = {0, 0, 0, 0, 0, 0, 0, 0, OUT_BOOL};
/* On a narrow terminal the category and barcode go first; code, name and
 * the quantities stay. */
static const unsigned char list_give_way[] = {0, 0, 0, 0, 6, 5, 3, 2, 4};
#define LIST_COLS (sizeof list_head / sizeof list_head[0])

static const char *num_cell(char *buf, size_t n, double v)
{
	return isnan(v) ? "" : out_num(buf, n, v, 10);
}

static int list_row(const struct wr_stock *p, void *ctx)
{
	struct out *o = ctx;
	char on[32], min[32], cost[32];
	const char *cells[LIST_COLS];

	cells[0] = p->code;
	cells[1] = p->name;
	cells[2] = num_cell(on, sizeof on, p->on_hand);
	cells[3] = num_cell(min, sizeof min, p->min_qty);
	cells[4] = num_cell(cost, sizeof cost, p->cost);
	cells[5] = p->area;
	cells[6] = p->barcode;
	cells[7] = p->category;
	cells[8] = wr_stock_low(p) ? "yes" : "no";
	return out_row(o, cells) == 0 ? 0 : 1;
}

static int part_list(struct cli *c, int argc, char **argv)
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
	rc = store_stock_list(c->st, args_get(&a, "low") != NULL, list_row, &o, &e);
	if (out_end(&o) != 0)
		return cli_failf(c, CLI_BAD, "out of memory while listing parts");
	if (rc != WR_OK)
		return cli_fail(c, &e);
	return CLI_OK;
}

/* --------------------------------------------------------------- show */

static const struct arg_opt show_opts[] = {
	{"format", 0, 1, "FMT", "text (default) or json"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec show_spec = {
	"part show", "CODE|BARCODE", "Shows a part of the inventory, found by its code or barcode.",
	show_opts, 1, 1, NULL, NULL
};

static void show_text(const char *label, const char *value)
{
	printf("%-14s ", label);
	out_text(stdout, value[0] ? value : "-");
	putchar('\n');
}

static void show_json_str(const char *k, const char *v, int first)
{
	fputs(first ? "{\n  " : ",\n  ", stdout);
	out_json_str(stdout, k);
	fputs(": ", stdout);
	if (v[0])
		out_json_str(stdout, v);
	else
		fputs("null", stdout);
}

static void show_json_num(const char *k, double v)
{
	printf(",\n  \"%s\": ", k);
	out_json_num(stdout, v);
}

static void show_json(const struct wr_stock *p)
{
	show_json_str("code", p->code, 1);
	show_json_str("name", p->name, 0);
	show_json_str("description", p->description, 0);
	show_json_str("category", p->category, 0);
	show_json_num("cost", p->cost);
	show_json_num("on_hand", p->on_hand);
	show_json_num("min_qty", p->min_qty);
	show_json_str("barcode", p->barcode, 0);
	show_json_str("area", p->area, 0);
	printf(",\n  \"non_stock\": %s", p->non_stock ? "true" : "false");
	show_json_str("notes", p->notes, 0);
	printf(",\n  \"low\": %s,\n  \"version\": %lld\n}\n", wr_stock_low(p) ? "true" : "false",
	       (long long)p->version);
}

static void show_plain(const struct wr_stock *p)
{
	char on[32], min[32], cost[32];

	show_text("Code", p->code);
	show_text("Name", p->name);
	show_text("Description", p->description);
	show_text("Category", p->category);
	show_text("Cost", num_cell(cost, sizeof cost, p->cost));
	num_cell(on, sizeof on, p->on_hand);
	if (wr_stock_low(p))
		snprintf(on + strlen(on), sizeof on - strlen(on), " (low)");
	show_text("On hand", on);
	show_text("Minimum", num_cell(min, sizeof min, p->min_qty));
	show_text("Barcode", p->barcode);
	show_text("Area", p->area);
	show_text("Non-stock", p->non_stock ? "yes" : "no");
	show_text("Notes", p->notes);
}

static int part_show(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct wr_stock p;
	struct wr_err e = {0, ""};
	int json = 0, rc = args_parse(c, &show_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = out_format_text(c, args_get(&a, "format"), &json)) != 0)
		return rc;
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	if (store_stock_find(c->st, a.pos[0], &p, &e) != WR_OK)
		return cli_fail(c, &e);
	if (json)
		show_json(&p);
	else
		show_plain(&p);
	return CLI_OK;
}

/* ------------------------------------------------------------ add, set */

static const struct arg_opt add_opts[] = {
	PART_FIELD_OPTS,
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec add_spec = {
	"part add", "CODE [--FIELD VALUE ...]",
	"Adds a part to the inventory (refused when the code exists: use 'part set').",
	add_opts, 1, 1, "field", NULL
};

static const struct arg_opt set_opts[] = {
	PART_FIELD_OPTS,
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec set_spec = {
	"part set", "CODE --FIELD VALUE [--FIELD VALUE ...]",
	"Changes fields of a part, all in one transaction: either every change is made\n"
	"or none.  --on-hand records a count of the stores.",
	set_opts, 1, 1, "field", NULL
};

/* Sets each field option of a in command-line order on part code. */
static int apply_fields(struct cli *c, const struct args *a, const char *code,
                        struct wr_err *e)
{
	for (int i = 0; i < a->norder; i++) {
		const char *name = a->spec->opts[a->order_opt[i]].name;
		if (store_stock_set(c->st, code, name, a->order_val[i], e) != WR_OK)
			return e->rc ? e->rc : WR_EINPUT;
	}
	return WR_OK;
}

/* Creates part CODE (add) or changes it (set), with the fields given, in
 * one transaction. */
static int part_write(struct cli *c, const struct cmd_spec *spec, int add, int argc,
                      char **argv)
{
	struct args a;
	struct wr_stock p;
	struct wr_err e = {0, ""};
	int rc = args_parse(c, spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (!add && a.norder == 0)
		return args_usage(c, "nothing to change: give --FIELD VALUE (fields: name, description,"
		                  " category, cost, on-hand, min, barcode, area, non-stock, notes)");
	wr_stock_init(&p);
	if (wr_strlcpy(p.code, a.pos[0], sizeof p.code) >= sizeof p.code)
		return cli_failf(c, CLI_BAD, "part code is longer than %zu bytes", sizeof p.code - 1);
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	if (store_begin(c->st, &e) != WR_OK)
		return cli_fail(c, &e);
	if ((add && store_stock_create(c->st, &p, &e) != WR_OK) ||
	    apply_fields(c, &a, p.code, &e) != WR_OK || store_commit(c->st, &e) != WR_OK) {
		store_rollback(c->st);
		return cli_fail(c, &e);
	}
	if (add)
		out_printf(stdout, "part %s added\n", p.code);
	else
		out_printf(stdout, "part %s: updated %d field%s\n", p.code, a.norder,
		           a.norder == 1 ? "" : "s");
	return CLI_OK;
}

static int part_add(struct cli *c, int argc, char **argv)
{
	return part_write(c, &add_spec, 1, argc, argv);
}

static int part_set(struct cli *c, int argc, char **argv)
{
	return part_write(c, &set_spec, 0, argc, argv);
}

static const struct subcmd part_cmds[] = {
	{"list", part_list, "list the inventory (--low: what to reorder; --format)"},
	{"show", part_show, "every field of one part, by code or barcode"},
	{"add", part_add, "add a part (--FIELD VALUE ...)"},
	{"set", part_set, "change fields of a part (--FIELD VALUE ...) in one transaction"},
	{NULL, NULL, NULL}
};

int cmd_part(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, "part", part_cmds, argc, argv);
}
