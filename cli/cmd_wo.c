/*
 * cmd_wo.c - `wrench wo`: the group's dispatch, `wo list` and `wo show`.
 * The commands that change work orders are in cmd_wo_edit.c.
 */
#include <math.h>
#include <string.h>
#include "cli.h"
#include "store_sync.h"

/* Parses a comma-separated list of names into a bit mask with parse(). */
static int parse_mask(const struct cli *c, const char *opt, const char *v,
                      int (*parse)(const char *, int *), int count, const char *valid,
                      unsigned *mask)
{
	char word[64];
	const char *p = v;

	*mask = 0;
	while (p && *p) {
		size_t n = strcspn(p, ",");
		int x;

		if (n >= sizeof word)
			n = sizeof word - 1;
		memcpy(word, p, n);
		word[n] = '\0';
		wr_trim(word);
		if (opt[0] == 's' && strcmp(word, "active") == 0) {
			*mask |= (1u << WS_REQUESTED) | (1u << WS_OPEN) | (1u << WS_IN_PROGRESS) |
			         (1u << WS_ON_HOLD);
		} else if (word[0] && (parse(word, &x) != WR_OK || x < 0 || x >= count)) {
			return args_usage(c, "--%s: unknown value '%s'; valid: %s", opt, word,
			                  valid);
		} else if (word[0]) {
			*mask |= 1u << x;
		}
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	return 0;
}

/* --------------------------------------------------------------- list */

static const struct arg_opt list_opts[] = {
	{"status", 0, 1, "S[,S...]", "requested, open, in_progress, on_hold, done, closed, "
	 "cancelled, or active (the first four)"},
	{"asset", 0, 1, "TAG", "only work on this asset"},
	{"assignee", 0, 1, "USER", "only work assigned to USER"},
	{"priority", 0, 1, "P", "low, medium, high or urgent (or 1-4)"},
	{"type", 0, 1, "T[,T...]", "corrective, preventive, inspection, request"},
	{"overdue", 0, 0, NULL, "only work due before today and not finished"},
	{"search", 0, 1, "TEXT", "number, title or asset tag contains TEXT"},
	{"limit", 0, 1, "N", "at most N rows (newest first)"},
	{"format", 0, 1, "FMT", "table (default), csv or json"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec list_spec = {
	"wo list", "", "Lists work orders, newest first.  Filters combine (all must match).",
	list_opts, 0, 0, NULL, NULL
};

static const char *const list_head[] = {
	"number", "type", "status", "priority", "asset", "assignee", "due", "created", "title"
};
#define LIST_COLS (sizeof list_head / sizeof list_head[0])
/* On a narrow terminal: the creation date goes first, then the type, who,
 * priority and due date; number, status, asset and title stay. */
static const unsigned char list_give_way[LIST_COLS] = {0, 5, 0, 3, 1, 4, 2, 6, 0};
/* JSON has the instant of creation (tables and CSV its day). */
static const unsigned char list_kind[LIST_COLS] = {0, 0, 0, 0, 0, 0, 0, OUT_TIME, 0};

struct list_ctx {
	struct out o;
	long limit, n;
};

static int list_row(const struct wr_wo *w, void *ctx)
{
	struct list_ctx *lc = ctx;
	char due[WR_DATE_BUF], created[WR_DATE_BUF];
	const char *cells[LIST_COLS];

	if (lc->limit > 0 && lc->n >= lc->limit)
		return CLI_STOP;
	lc->n++;
	cells[0] = w->number;
	cells[1] = wr_wo_type_name(w->type);
	cells[2] = wr_wo_status_name(w->status);
	cells[3] = wr_priority_name(w->priority);
	cells[4] = w->asset_tag;
	cells[5] = w->assignee;
	cells[6] = w->due_at == WR_NO_TIME ? "" : wr_date_fmt(w->due_at, due);
	cells[7] = w->created_at == WR_NO_TIME ? ""
	           : lc->o.fmt == OUT_JSON ? wr_date_fmt(w->created_at, created)
	           : wr_date_fmt_day(w->created_at, created);
	cells[8] = w->title;
	return out_row(&lc->o, cells) == 0 ? 0 : 1;
}

static int wo_list(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct wr_wo_filter f;
	struct list_ctx lc;
	struct wr_err e = {0, ""};
	const char *v;
	int fmt, rc = args_parse(c, &list_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	memset(&f, 0, sizeof f);
	memset(&lc, 0, sizeof lc);
	if ((rc = out_format(c, args_get(&a, "format"), OUT_TABLE, 1, &fmt)) != 0)
		return rc;
	if ((rc = args_int(c, "limit", args_get(&a, "limit"), 1, 100000000, &lc.limit)) != 0)
		return rc;
	if ((rc = parse_mask(c, "status", args_get(&a, "status"), wr_wo_status_parse, WS__COUNT,
	                     "requested, open, in_progress, on_hold, done, closed, cancelled, "
	                     "active", &f.status_mask)) != 0)
		return rc;
	if ((rc = parse_mask(c, "type", args_get(&a, "type"), wr_wo_type_parse, WT__COUNT,
	                     "corrective, preventive, inspection, request", &f.type_mask)) != 0)
		return rc;
	if ((v = args_get(&a, "priority")) != NULL && wr_priority_parse(v, &f.priority) != WR_OK)
		return args_usage(c, "--priority: unknown value '%s'; valid: low, medium, high, "
		                  "urgent (or 1-4)", v);
	f.asset_tag = args_get(&a, "asset");
	f.assignee = args_get(&a, "assignee");
	f.search = args_get(&a, "search");
	if (store_search_check(f.search, &e) != WR_OK)
		return args_usage(c, "--search: %s", e.msg);
	f.overdue_only = args_has(&a, "overdue");
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	out_begin(&lc.o, stdout, fmt, LIST_COLS, list_head, NULL);
	out_give_way(&lc.o, list_give_way);
	out_kinds(&lc.o, list_kind);
	rc = store_wo_list(c->st, &f, list_row, &lc, &e);
	if (rc == CLI_STOP)
		rc = WR_OK;
	if (out_end(&lc.o) != 0)
		return cli_failf(c, CLI_BAD, "out of memory while listing work orders");
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
	"wo show", "NUM",
	"Shows a work order: every field, then labour, parts, notes and checklist.",
	show_opts, 1, 1, NULL, NULL
};

struct show_ctx {
	int json, n;
	double minutes;         /* labour total */
	struct wr_json js;      /* the JSON document (writers.h) */
};

static void field(const char *label, const char *value)
{
	printf("%-15s ", label);
	out_text(stdout, value);
	putchar('\n');
}

static const char *tm(int64_t t, char *buf)
{
	return t == WR_NO_TIME ? "-" : wr_date_fmt(t, buf);
}

/* Text by the JSON convention: null when empty. */
static void json_kv(struct wr_json *js, const char *k, const char *v)
{
	wr_json_key(js, k);
	wr_json_text(js, v);
}

/* An instant, RFC 3339 in UTC (null when none). */
static void json_time(struct wr_json *js, const char *k, int64_t t)
{
	wr_json_key(js, k);
	wr_json_time(js, t);
}

/* An item of a listing: in text the listing's heading comes before the
 * first; in JSON each item is an object on a line of its own in the
 * listing's array (show_list). */
static void list_item(struct show_ctx *sc, const char *title)
{
	if (sc->n++ == 0 && !sc->json)
		printf("\n%s:\n", title);
	if (sc->json)
		wr_json_object(&sc->js, 1);
}

static int show_labor(const struct wr_labor *l, void *ctx)
{
	struct show_ctx *sc = ctx;
	char at[WR_DATE_BUF];

	list_item(sc, "Labour");
	/* A correction (negative, not running) takes its minutes off. */
	if (!l->running)
		sc->minutes += l->minutes;
	if (sc->json) {
		json_kv(&sc->js, "user", l->username);
		json_time(&sc->js, "started", l->started_at);
		wr_json_key(&sc->js, "minutes");
		if (l->running)
			wr_json_null(&sc->js);
		else
			wr_json_int(&sc->js, l->minutes);
		wr_json_key(&sc->js, "running");
		wr_json_bool(&sc->js, l->running);
		json_kv(&sc->js, "note", l->note);
		wr_json_end(&sc->js);
		return 0;
	}
	out_printf(stdout, "  %-19s %-12s ", wr_date_fmt(l->started_at, at), l->username);
	if (l->running)
		printf("(timer running)");
	else
		printf("%4d min%s", l->minutes, l->minutes < 0 ? " (correction)" : "");
	if (l->note[0]) {
		fputs("  ", stdout);
		out_text(stdout, l->note);
	}
	putchar('\n');
	return 0;
}

static int show_part(const struct wr_part *p, void *ctx)
{
	struct show_ctx *sc = ctx;
	char q[32], cost[32];

	list_item(sc, "Parts");
	if (sc->json) {
		json_kv(&sc->js, "part_code", p->part_code);
		json_kv(&sc->js, "description", p->description);
		wr_json_key(&sc->js, "qty");
		wr_json_num(&sc->js, p->qty);
		wr_json_key(&sc->js, "unit_cost");
		wr_json_num(&sc->js, p->unit_cost);
		wr_json_end(&sc->js);
		return 0;
	}
	out_printf(stdout, "  %-16s x %-6s", p->part_code, out_num(q, sizeof q, p->qty, 6));
	if (!isnan(p->unit_cost))
		printf(" @ %s", out_num(cost, sizeof cost, p->unit_cost, 10));
	if (p->description[0]) {
		fputs("  ", stdout);
		out_text(stdout, p->description);
	}
	putchar('\n');
	return 0;
}

static int show_note(const struct wr_note *n, void *ctx)
{
	struct show_ctx *sc = ctx;
	char at[WR_DATE_BUF];

	list_item(sc, "Notes");
	if (sc->json) {
		json_kv(&sc->js, "author", n->author);
		json_time(&sc->js, "at", n->at);
		json_kv(&sc->js, "body", n->body);
		wr_json_end(&sc->js);
		return 0;
	}
	out_printf(stdout, "  %s %s:\n    ", wr_date_fmt(n->at, at), n->author);
	out_text(stdout, n->body);
	putchar('\n');
	return 0;
}

static int show_check(const struct wr_check_item *ci, void *ctx)
{
	struct show_ctx *sc = ctx;

	list_item(sc, "Checklist");
	if (sc->json) {
		wr_json_key(&sc->js, "seq");
		wr_json_int(&sc->js, ci->seq);
		json_kv(&sc->js, "task", ci->task);
		json_kv(&sc->js, "result", wr_check_result_name(ci->result));
		json_kv(&sc->js, "note", ci->note);
		json_kv(&sc->js, "done_by", ci->done_by);
		wr_json_end(&sc->js);
		return 0;
	}
	printf("  %2d. [%-7s] ", ci->seq, wr_check_result_name(ci->result));
	out_text(stdout, ci->task);
	if (ci->note[0]) {
		fputs(" - ", stdout);
		out_text(stdout, ci->note);
	}
	putchar('\n');
	return 0;
}

static void show_fields_text(const struct wr_wo *w)
{
	char b[WR_DATE_BUF], h[32];

	field("Number", w->number);
	if (store_wo_provisional(w->number))
		field("", "(provisional: the server numbers it at the next sync)");
	field("Title", w->title);
	field("Type", wr_wo_type_name(w->type));
	field("Status", wr_wo_status_name(w->status));
	field("Priority", wr_priority_name(w->priority));
	field("Asset", w->asset_tag[0] ? w->asset_tag : "-");
	field("Assignee", w->assignee[0] ? w->assignee : "-");
	field("Requested by", w->requested_by[0] ? w->requested_by : "-");
	field("Due", tm(w->due_at, b));
	field("PM", w->pm_code[0] ? w->pm_code : "-");
	field("Est. hours", isnan(w->est_hours) ? "-" : out_num(h, sizeof h, w->est_hours, 6));
	field("Problem", w->problem[0] ? w->problem : "-");
	field("Cause", w->cause[0] ? w->cause : "-");
	field("Remedy", w->remedy[0] ? w->remedy : "-");
	field("Failure", w->is_failure ? "yes" : "no");
	field("Downtime start", tm(w->downtime_start, b));
	field("Downtime end", tm(w->downtime_end, b));
	field("Created", tm(w->created_at, b));
	field("Started", tm(w->started_at, b));
	field("Completed", tm(w->completed_at, b));
	field("Completed by", w->completed_by[0] ? w->completed_by : "-");
	field("Closed", tm(w->closed_at, b));
	snprintf(h, sizeof h, "%lld", (long long)w->version);
	field("Version", h);
	if (w->description && *w->description) {
		printf("\nDescription:\n    ");
		out_text(stdout, w->description);
		putchar('\n');
	}
}

/* The fields under the names of the work-order file (export workorders),
 * and whether the number is provisional and the row's version. */
static void show_fields_json(struct wr_json *js, const struct wr_wo *w)
{
	wr_json_object(js, 0);
	json_kv(js, "number", w->number);
	wr_json_key(js, "provisional");
	wr_json_bool(js, store_wo_provisional(w->number));
	json_kv(js, "title", w->title);
	json_kv(js, "type", wr_wo_type_name(w->type));
	json_kv(js, "status", wr_wo_status_name(w->status));
	json_kv(js, "priority", wr_priority_name(w->priority));
	json_kv(js, "asset", w->asset_tag);
	json_kv(js, "assignee", w->assignee);
	json_kv(js, "requested_by", w->requested_by);
	wr_json_key(js, "due");
	wr_json_date(js, w->due_at);
	json_kv(js, "pm", w->pm_code);
	wr_json_key(js, "est_hours");
	wr_json_num(js, w->est_hours);
	json_kv(js, "description", w->description);
	json_kv(js, "problem", w->problem);
	json_kv(js, "cause", w->cause);
	json_kv(js, "remedy", w->remedy);
	wr_json_key(js, "failure");
	wr_json_bool(js, w->is_failure);
	json_time(js, "downtime_start", w->downtime_start);
	json_time(js, "downtime_end", w->downtime_end);
	json_time(js, "created", w->created_at);
	json_time(js, "started", w->started_at);
	json_time(js, "completed", w->completed_at);
	json_kv(js, "completed_by", w->completed_by);
	json_time(js, "closed", w->closed_at);
	wr_json_key(js, "version");
	wr_json_int(js, (long long)w->version);
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

static void list_end(struct show_ctx *sc)
{
	if (sc->json)
		wr_json_end(&sc->js);
}

static int wo_show(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct wr_wo w;
	struct show_ctx sc;
	struct wr_err e = {0, ""};
	int rc = args_parse(c, &show_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	memset(&sc, 0, sizeof sc);
	if ((rc = out_format_text(c, args_get(&a, "format"), &sc.json)) != 0)
		return rc;
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	wr_wo_init(&w);
	if (store_wo_get(c->st, a.pos[0], &w, &e) != WR_OK)
		return cli_fail(c, &e);
	wr_json_init(&sc.js, stdout, out_write);
	if (sc.json)
		show_fields_json(&sc.js, &w);
	else
		show_fields_text(&w);
	wr_wo_clear(&w);

	list_begin(&sc, "labor");
	rc = store_labor_list(c->st, a.pos[0], show_labor, &sc, &e);
	list_end(&sc);
	if (rc == WR_OK && !sc.json && sc.n)
		printf("  total %.0f min (%.2f h)\n", sc.minutes, sc.minutes / 60.0);
	if (rc == WR_OK) {
		list_begin(&sc, "parts");
		rc = store_part_list(c->st, a.pos[0], show_part, &sc, &e);
		list_end(&sc);
	}
	if (rc == WR_OK) {
		list_begin(&sc, "notes");
		rc = store_note_list(c->st, a.pos[0], show_note, &sc, &e);
		list_end(&sc);
	}
	if (rc == WR_OK) {
		list_begin(&sc, "checklist");
		rc = store_check_list(c->st, a.pos[0], show_check, &sc, &e);
		list_end(&sc);
	}
	while (sc.js.depth > 0)
		wr_json_end(&sc.js);
	if (rc != WR_OK)
		return cli_fail(c, &e);
	return CLI_OK;
}

static const struct subcmd wo_cmds[] = {
	{"list", wo_list, "list work orders (filters, --format)"},
	{"show", wo_show, "every field, labour, parts, notes and checklist of one"},
	{"new", wo_cmd_new, "create a work order; prints its number"},
	{"set", wo_cmd_set, "change fields (--FIELD VALUE ...) in one transaction"},
	{"open", wo_cmd_open, "approve a request (requested -> open)"},
	{"start", wo_cmd_start, "start work (-> in_progress)"},
	{"hold", wo_cmd_hold, "put on hold (-> on_hold)"},
	{"done", wo_cmd_done, "complete (-> done), optionally setting codes first"},
	{"close", wo_cmd_close, "close completed work (done -> closed)"},
	{"cancel", wo_cmd_cancel, "cancel (-> cancelled)"},
	{"reopen", wo_cmd_reopen, "reopen completed work (done -> in_progress)"},
	{"note", wo_cmd_note, "add a note"},
	{"labor", wo_cmd_labor, "record labour (--minutes, or --start/--stop a timer)"},
	{"part", wo_cmd_part, "record a part used"},
	{NULL, NULL, NULL}
};

int cmd_wo(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, "wo", wo_cmds, argc, argv);
}
