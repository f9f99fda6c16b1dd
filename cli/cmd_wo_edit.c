/*
 * cmd_wo_edit.c - the `wrench wo` commands that change work orders: new,
 * set, the lifecycle moves, note, labor and part.
 *
 * Each command runs in one transaction: `wo set` with five fields changes
 * all five or none, and a lifecycle move given several numbers moves all of
 * them or none.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* The fields store_wo_set() knows, as options of `wo set` and `wo done`. */
#define WO_FIELD_OPTS \
	{"title", 0, 1, "TEXT", "one-line summary"}, \
	{"type", 0, 1, "T", "corrective, preventive, inspection or request"}, \
	{"priority", 0, 1, "P", "low, medium, high or urgent (or 1-4)"}, \
	{"asset", 0, 1, "TAG", "the asset worked on"}, \
	{"assignee", 0, 1, "USER", "who does the work"}, \
	{"due", 0, 1, "DATE", "due date (YYYY-MM-DD [HH:MM])"}, \
	{"description", 0, 1, "TEXT", "what is wrong, what to do"}, \
	{"problem", 0, 1, "CODE", "problem (failure mode) code"}, \
	{"cause", 0, 1, "CODE", "cause code"}, \
	{"remedy", 0, 1, "CODE", "remedy code"}, \
	{"failure", 0, 1, "yes|no", "the work restored a failed asset (counts in MTBF)"}, \
	{"downtime-start", 0, 1, "DATE", "when the asset stopped"}, \
	{"downtime-end", 0, 1, "DATE", "when it ran again"}, \
	{"est-hours", 0, 1, "H", "estimated hours of work"}

/* Scripts that read a work order and change it later name the version
 * they read (wo show): the change is refused, exit 3, when someone changed
 * the work order in between. */
#define IF_VERSION_OPT \
	{"if-version", 0, 1, "N", "change it only if it is still at version N (else exit 3)"}

static const struct arg_opt set_opts[] = {
	WO_FIELD_OPTS,
	IF_VERSION_OPT,
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec set_spec = {
	"wo set", "NUM --FIELD VALUE [--FIELD VALUE ...] [--if-version N]",
	"Changes fields of a work order, all in one transaction: either every change\n"
	"is made or none.  Status changes use wo open|start|hold|done|close|cancel.\n"
	"With --if-version N (the version 'wo show' gives), nothing is changed and the\n"
	"exit status is 3 when the work order has been changed since version N.",
	set_opts, 1, 1, "field", NULL
};

/* The options that are not fields of the work order. */
static int not_a_field(const char *name)
{
	return strcmp(name, "note") == 0 || strcmp(name, "if-version") == 0;
}

/* The version --if-version names into *version (0 without it): WR_OK, or
 * CLI_USAGE after saying what is wrong. */
static int if_version(struct cli *c, const struct args *a, int64_t *version)
{
	const char *v = args_get(a, "if-version");
	long n = 0;
	int rc;

	*version = 0;
	if (!v)
		return CLI_OK;
	if (a->npos > 1)
		return args_usage(c, "--if-version goes with one work order, not %d", a->npos);
	if ((rc = args_int(c, "if-version", v, 1, LONG_MAX, &n)) != 0)
		return rc;
	*version = n;
	return CLI_OK;
}

/* A failed edit: exit 3 for a version conflict, else as any failure. */
static int edit_fail(struct cli *c, const struct wr_err *e, int64_t version)
{
	int code = cli_fail(c, e);

	return version > 0 && e->rc == WR_ECONFLICT ? CLI_CONFLICT : code;
}

/* Applies the parsed field options in command-line order, each based on
 * the version the one before left (*version 0: unchecked). */
static int apply_fields(struct cli *c, const struct args *a, const char *num,
                        int64_t *version, struct wr_err *e)
{
	int i;

	for (i = 0; i < a->norder; i++) {
		const char *name = a->spec->opts[a->order_opt[i]].name;
		if (not_a_field(name))
			continue;
		if (store_wo_set_if(c->st, num, name, a->order_val[i], version, e) != WR_OK)
			return e->rc ? e->rc : WR_EINPUT;
	}
	return WR_OK;
}

static int count_fields(const struct args *a)
{
	int i, n = 0;

	for (i = 0; i < a->norder; i++)
		n += !not_a_field(a->spec->opts[a->order_opt[i]].name);
	return n;
}

int wo_cmd_set(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct wr_err e = {0, ""};
	int64_t version, base;
	int n, rc = args_parse(c, &set_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((n = count_fields(&a)) == 0)
		return args_usage(c, "nothing to change: give --FIELD VALUE (fields: title, type, "
		                  "priority, asset, assignee, due, description, problem, cause, "
		                  "remedy, failure, downtime-start, downtime-end, est-hours)");
	if ((rc = if_version(c, &a, &base)) != CLI_OK || (rc = cli_open(c, 0)) != 0)
		return rc;
	if (store_begin(c->st, &e) != WR_OK)
		return cli_fail(c, &e);
	version = base;
	if (apply_fields(c, &a, a.pos[0], &version, &e) != WR_OK ||
	    store_commit(c->st, &e) != WR_OK) {
		store_rollback(c->st);
		return edit_fail(c, &e, base);
	}
	out_printf(stdout, "%s: updated %d field%s\n", a.pos[0], n, n == 1 ? "" : "s");
	return CLI_OK;
}

/* ---------------------------------------------------------------- new */

static const struct arg_opt new_opts[] = {
	{"asset", 0, 1, "TAG", "the asset (required)"},
	{"title", 0, 1, "TEXT", "one-line summary (required)"},
	{"type", 0, 1, "T", "corrective (default), preventive, inspection or request"},
	{"priority", 0, 1, "P", "low, medium (default), high or urgent"},
	{"assignee", 0, 1, "USER", "who does the work"},
	{"due", 0, 1, "DATE", "due date"},
	{"description", 0, 1, "TEXT", "what is wrong, what to do"},
	{"est-hours", 0, 1, "H", "estimated hours"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec new_spec = {
	"wo new", "",
	"Creates a work order and prints its number (e.g. WO-000123) on standard output.\n"
	"A request (--type request) starts as requested and waits for 'wo open'.",
	new_opts, 0, 0, NULL, NULL
};

/* Fills w from the options of wo new, or prints why it cannot. */
static int new_fields(struct cli *c, const struct args *a, struct wr_wo *w, struct wr_err *e)
{
	const char *v;
	int rc;

	if (wr_strlcpy(w->asset_tag, args_get(a, "asset"), sizeof w->asset_tag) >=
	    sizeof w->asset_tag)
		return cli_failf(c, CLI_BAD, "no asset with tag %.40s... (longer than any tag)",
		                 args_get(a, "asset"));
	if (wr_strlcpy(w->title, args_get(a, "title"), sizeof w->title) >= sizeof w->title)
		return cli_failf(c, CLI_BAD, "--title is longer than %zu bytes; put the detail "
		                 "in --description", sizeof w->title - 1);
	if ((v = args_get(a, "type")) != NULL && wr_wo_type_parse(v, &w->type) != WR_OK)
		return cli_failf(c, CLI_BAD, "--type: unknown value '%s'; valid: corrective, "
		                 "preventive, inspection, request", v);
	/* A request waits for a planner's approval (wo open). */
	if (w->type == WT_REQUEST)
		w->status = WS_REQUESTED;
	if ((v = args_get(a, "priority")) != NULL && wr_priority_parse(v, &w->priority) != WR_OK)
		return cli_failf(c, CLI_BAD, "--priority: unknown value '%s'; valid: low, medium, "
		                 "high, urgent (or 1-4)", v);
	if ((v = args_get(a, "assignee")) != NULL)
		wr_strlcpy(w->assignee, v, sizeof w->assignee);
	if ((rc = args_date(c, "due", args_get(a, "due"), &w->due_at, CLI_BAD)) != 0)
		return rc;
	if (store_num_parse(WN_HOURS, "--est-hours", args_get(a, "est-hours"), &w->est_hours,
	                    e) != WR_OK)
		return cli_fail(c, e);
	if ((v = args_get(a, "description")) != NULL && !(w->description = wr_strdup(v)))
		return cli_failf(c, CLI_BAD, "out of memory");
	return CLI_OK;
}

int wo_cmd_new(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct wr_wo w;
	struct wr_err e = {0, ""};
	int rc = args_parse(c, &new_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (!args_get(&a, "asset") || !*args_get(&a, "asset"))
		return args_usage(c, "--asset TAG is required");
	if (!args_get(&a, "title") || !*args_get(&a, "title"))
		return args_usage(c, "--title TEXT is required");
	wr_wo_init(&w);
	if ((rc = new_fields(c, &a, &w, &e)) != CLI_OK)
		return rc;
	if ((rc = cli_open(c, 0)) != 0) {
		wr_wo_clear(&w);
		return rc;
	}
	if (!w.requested_by[0])
		wr_strlcpy(w.requested_by, store_actor(c->st), sizeof w.requested_by);
	rc = store_wo_create(c->st, &w, &e);
	if (rc != WR_OK) {
		wr_wo_clear(&w);
		return cli_fail(c, &e);
	}
	out_printf(stdout, "%s\n", w.number);
	wr_wo_clear(&w);
	return CLI_OK;
}

/* ----------------------------------------------------------- lifecycle */

static const struct arg_opt move_opts[] = {
	IF_VERSION_OPT,
	{NULL, 0, 0, NULL, NULL}
};

static const struct arg_opt done_opts[] = {
	WO_FIELD_OPTS,
	{"note", 0, 1, "TEXT", "add a note (what was done) before completing"},
	IF_VERSION_OPT,
	{NULL, 0, 0, NULL, NULL}
};

#define MOVE_SPEC(ident, verb, text) \
	static const struct cmd_spec ident = { \
		"wo " verb, "NUM [NUM ...] [--if-version N]", text, move_opts, 1, -1, NULL, NULL \
	}
MOVE_SPEC(open_spec, "open", "Approves requests: requested -> open.");
MOVE_SPEC(start_spec, "start", "Starts work: open or on_hold -> in_progress.");
MOVE_SPEC(hold_spec, "hold", "Puts work on hold: open or in_progress -> on_hold.");
MOVE_SPEC(close_spec, "close", "Closes completed work: done -> closed.");
MOVE_SPEC(cancel_spec, "cancel", "Cancels work that is not finished.");
MOVE_SPEC(reopen_spec, "reopen", "Reopens completed work: done -> in_progress.");

static const struct cmd_spec done_spec = {
	"wo done", "NUM [NUM ...] [--if-version N]",
	"Completes work: open, in_progress -> done.  Field options (as for wo set) and\n"
	"--note are applied first, in the same transaction.  Completing corrective work\n"
	"flagged --failure yes adds a failure to the asset's history; completing a PM\n"
	"work order advances its schedule.",
	done_opts, 1, -1, NULL, NULL
};

/* What move() tells after the commit about timers it stopped. */
struct stopped_timers {
	const char *num;
	struct wr_buf out;
};

static int timer_stopped(const struct wr_labor *l, void *ctx)
{
	struct stopped_timers *t = ctx;

	return wr_buf_addf(&t->out, "%s: running timer of %s stopped, %d min recorded\n", t->num,
	                   l->username, l->minutes);
}

/* Within move()'s transaction, moves work order num to `to` after applying
 * the field options and the note; sets *from to the status it had. */
static int move_one(struct cli *c, const struct cmd_spec *spec, const struct args *a,
                    const char *num, int to, int from_only, struct stopped_timers *timers,
                    int *from, int64_t *version, struct wr_err *e)
{
	const char *note = args_get(a, "note");
	struct wr_wo w;
	int rc, stale;

	wr_wo_init(&w);
	rc = store_wo_get(c->st, num, &w, e);
	*from = w.status;
	/* A stale --if-version is the conflict, whatever the status now. */
	stale = *version > 0 && w.version != *version;
	wr_wo_clear(&w);
	if (rc != WR_OK)
		return rc;
	if (from_only >= 0 && *from != from_only && !stale)
		return wr_fail(e, WR_EINPUT, "%s is %s; only %s work orders can be %s", num,
		               wr_wo_status_name(*from), wr_wo_status_name(from_only),
		               spec->name + 3);
	if ((rc = apply_fields(c, a, num, version, e)) != WR_OK)
		return rc;
	if (note && (rc = store_note_add(c->st, num, note, e)) != WR_OK)
		return rc;
	/* Finished work runs no timer: the transition books what runs;
	 * stopping them here first lets us say so. */
	timers->num = num;
	if ((to == WS_DONE || to == WS_CLOSED || to == WS_CANCELLED) &&
	    *from != to &&
	    (rc = store_labor_stop_all(c->st, num, timer_stopped, timers, e)) != WR_OK) {
		if (rc == WR_ENOMEM)
			wr_fail(e, rc, "out of memory");
		return rc;
	}
	return store_wo_transition_if(c->st, num, to, version, e);
}

/* Moves every numbered work order to `to`, all or none.  from_only >= 0
 * limits the move to work orders in that status (reopen). */
static int move(struct cli *c, const struct cmd_spec *spec, int to, int from_only, int argc,
                char **argv)
{
	struct args a;
	struct wr_err e = {0, ""};
	struct stopped_timers timers = {NULL, {NULL, 0, 0}};
	int64_t base, version;
	int *from;
	const char *note;
	int i, rc = args_parse(c, spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	note = args_get(&a, "note");
	if (note && !*note)
		return args_usage(c, "--note needs some text");
	if ((rc = if_version(c, &a, &base)) != CLI_OK || (rc = cli_open(c, 0)) != 0)
		return rc;
	from = calloc((size_t)a.npos, sizeof *from);
	if (!from)
		return cli_failf(c, CLI_BAD, "out of memory");
	if (store_begin(c->st, &e) != WR_OK) {
		free(from);
		return cli_fail(c, &e);
	}
	for (i = 0; i < a.npos; i++) {
		/* Each work order's edits chain from its own version. */
		version = base;
		if ((rc = move_one(c, spec, &a, a.pos[i], to, from_only, &timers, &from[i],
		                   &version, &e)) != WR_OK)
			break;
	}
	if (rc == WR_OK)
		rc = store_commit(c->st, &e);
	if (rc != WR_OK) {
		store_rollback(c->st);
		free(from);
		wr_buf_free(&timers.out);
		return edit_fail(c, &e, base);
	}
	if (timers.out.p)
		out_printf(stdout, "%s", timers.out.p);
	for (i = 0; i < a.npos; i++)
		out_printf(stdout, "%s: %s -> %s\n", a.pos[i], wr_wo_status_name(from[i]),
		           wr_wo_status_name(to));
	free(from);
	wr_buf_free(&timers.out);
	return CLI_OK;
}

int wo_cmd_open(struct cli *c, int argc, char **argv)
{
	return move(c, &open_spec, WS_OPEN, -1, argc, argv);
}

int wo_cmd_start(struct cli *c, int argc, char **argv)
{
	return move(c, &start_spec, WS_IN_PROGRESS, -1, argc, argv);
}

int wo_cmd_hold(struct cli *c, int argc, char **argv)
{
	return move(c, &hold_spec, WS_ON_HOLD, -1, argc, argv);
}

int wo_cmd_done(struct cli *c, int argc, char **argv)
{
	return move(c, &done_spec, WS_DONE, -1, argc, argv);
}

int wo_cmd_close(struct cli *c, int argc, char **argv)
{
	return move(c, &close_spec, WS_CLOSED, -1, argc, argv);
}

int wo_cmd_cancel(struct cli *c, int argc, char **argv)
{
	return move(c, &cancel_spec, WS_CANCELLED, -1, argc, argv);
}

int wo_cmd_reopen(struct cli *c, int argc, char **argv)
{
	return move(c, &reopen_spec, WS_IN_PROGRESS, WS_DONE, argc, argv);
}

/* ---------------------------------------------------------------- note */

static const struct cmd_spec note_spec = {
	"wo note", "NUM TEXT...",
	"Adds a note to a work order (notes are never edited or deleted).  The words\n"
	"of TEXT are joined with spaces.",
	move_opts, 2, -1, NULL, NULL
};

int wo_cmd_note(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct wr_buf b = {NULL, 0, 0};
	struct wr_err e = {0, ""};
	int i, rc = args_parse(c, &note_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	for (i = 1; i < a.npos; i++)
		if ((i > 1 && wr_buf_add(&b, " ", 1) != WR_OK) ||
		    wr_buf_add(&b, a.pos[i], strlen(a.pos[i])) != WR_OK) {
			wr_buf_free(&b);
			return cli_failf(c, CLI_BAD, "out of memory");
		}
	if (!b.p || !*wr_trim(b.p)) {
		wr_buf_free(&b);
		return args_usage(c, "the note is empty");
	}
	if ((rc = cli_open(c, 0)) != 0) {
		wr_buf_free(&b);
		return rc;
	}
	rc = store_note_add(c->st, a.pos[0], b.p, &e);
	wr_buf_free(&b);
	if (rc != WR_OK)
		return cli_fail(c, &e);
	out_printf(stdout, "%s: note added\n", a.pos[0]);
	return CLI_OK;
}

/* --------------------------------------------------------------- labor */

static const struct arg_opt labor_opts[] = {
	{"minutes", 0, 1, "M", "minutes worked"},
	{"note", 0, 1, "TEXT", "what the time was spent on"},
	{"start", 0, 0, NULL, "start a timer for you on this work order"},
	{"stop", 0, 0, NULL, "stop your running timer and record the time"},
	{"switch", 0, 0, NULL, "with --start: stop and record your timer on another work order"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec labor_spec = {
	"wo labor", "NUM",
	"Records labour by the acting user (--user): either --minutes M, or a timer\n"
	"with --start and later --stop (a running timer survives a closed terminal).\n"
	"A timer runs only on work that is not done, closed or cancelled, and one user\n"
	"runs one timer: --start while yours runs elsewhere is refused, naming it, and\n"
	"--start --switch stops and records that one first.  Completing, closing or\n"
	"cancelling a work order stops and records its running timers.",
	labor_opts, 1, 1, NULL, NULL
};

static int labor_start(struct cli *c, const char *num, int switch_other)
{
	struct wr_err e = {0, ""};
	char other[32] = "";
	int m = 0;

	if (switch_other) {
		if (store_labor_switch(c->st, num, other, sizeof other, &m, &e) != WR_OK)
			return cli_fail(c, &e);
	} else if (store_labor_start(c->st, num, &e) != WR_OK) {
		if (e.rc == WR_ECONFLICT && strstr(e.msg, "switch timers"))
			wr_strlcpy(e.msg + strlen(e.msg), " (--start --switch)",
			           sizeof e.msg - strlen(e.msg));
		return cli_fail(c, &e);
	}
	if (other[0])
		out_printf(stdout, "%s: timer stopped, %d min recorded for %s\n", other, m,
		           store_actor(c->st));
	out_printf(stdout, "%s: timer started for %s\n", num, store_actor(c->st));
	return CLI_OK;
}

int wo_cmd_labor(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct wr_err e = {0, ""};
	const char *num;
	long minutes = 0;
	int modes, rc = args_parse(c, &labor_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	num = a.pos[0];
	modes = args_has(&a, "minutes") + args_has(&a, "start") + args_has(&a, "stop");
	if (modes != 1)
		return args_usage(c, "give exactly one of --minutes M, --start or --stop");
	if (args_has(&a, "switch") && !args_has(&a, "start"))
		return args_usage(c, "--switch goes with --start");
	if (args_has(&a, "minutes")) {
		double d;
		if (store_num_parse(WN_MINUTES, "--minutes", args_get(&a, "minutes"), &d, &e) != WR_OK)
			return cli_fail(c, &e);
		if (isnan(d))
			return args_usage(c, "--minutes wants a number of minutes");
		minutes = (long)d;
	}
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	if (args_has(&a, "start"))
		return labor_start(c, num, args_has(&a, "switch"));
	if (args_has(&a, "stop")) {
		int m = 0;
		if (store_labor_stop(c->st, num, &m, &e) != WR_OK)
			return cli_fail(c, &e);
		out_printf(stdout, "%s: timer stopped, %d min recorded for %s\n", num, m,
		           store_actor(c->st));
		return CLI_OK;
	}
	if (store_labor_add(c->st, num, (int)minutes, args_get(&a, "note"), &e) != WR_OK)
		return cli_fail(c, &e);
	out_printf(stdout, "%s: %ld min recorded for %s\n", num, minutes, store_actor(c->st));
	return CLI_OK;
}

/* ---------------------------------------------------------------- part */

static const struct arg_opt part_opts[] = {
	{"code", 0, 1, "CODE", "part number (required)"},
	{"qty", 0, 1, "Q", "quantity used (required)"},
	{"cost", 0, 1, "X", "unit cost"},
	{"description", 0, 1, "TEXT", "what the part is"},
	{"return", 0, 0, NULL, "parts given back: a correction of an earlier use"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec part_spec = {
	"wo part", "NUM",
	"Records a part used on a work order.  When --code names a part of the inventory\n"
	"('wrench part'), its quantity on hand goes down by --qty (up with --return) and\n"
	"its name and cost fill --description and --cost when they are not given; a code\n"
	"the inventory does not know is recorded as it is, with a warning.",
	part_opts, 1, 1, NULL, NULL
};

/* What the stores have left after a use: below zero and low stock are
 * said on standard error (the use is recorded all the same: the stores
 * may have miscounted). */
static void part_left(const struct wr_part *p, double left)
{
	char n[32];

	if (isnan(left)) {
		out_printf(stderr, "wrench: warning: part %s is not in the inventory; recorded as "
		           "free text\n", p->part_code);
		return;
	}
	out_num(n, sizeof n, left, 10);
	if (left < 0)
		out_printf(stderr, "wrench: warning: part %s is now below zero on hand (%s): count the"
		           " stores and 'wrench part set %s --on-hand N'\n", p->part_code, n,
		           p->part_code);
}

int wo_cmd_part(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct wr_part p;
	struct wr_err e = {0, ""};
	const char *v;
	char num[32];
	double left;
	int rc = args_parse(c, &part_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	memset(&p, 0, sizeof p);
	p.unit_cost = NAN;
	v = args_get(&a, "code");
	if (!v || !*v)
		return args_usage(c, "--code CODE is required");
	if (wr_strlcpy(p.part_code, v, sizeof p.part_code) >= sizeof p.part_code)
		return cli_failf(c, CLI_BAD, "--code is longer than %zu bytes",
		                 sizeof p.part_code - 1);
	if (!args_get(&a, "qty"))
		return args_usage(c, "--qty Q is required");
	if (store_num_parse(WN_QTY, "--qty", args_get(&a, "qty"), &p.qty, &e) != WR_OK ||
	    store_num_parse(WN_COST, "--cost", args_get(&a, "cost"), &p.unit_cost, &e) != WR_OK)
		return cli_fail(c, &e);
	if (isnan(p.qty))
		return args_usage(c, "--qty Q is required");
	if ((v = args_get(&a, "description")) != NULL)
		wr_strlcpy(p.description, v, sizeof p.description);
	p.at = wr_now();
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	if (args_get(&a, "return"))
		p.qty = -p.qty;
	if (store_part_use(c->st, a.pos[0], &p, &left, &e) != WR_OK)
		return cli_fail(c, &e);
	if (isnan(left))
		out_printf(stdout, "%s: part %s x %g recorded\n", a.pos[0], p.part_code, p.qty);
	else
		out_printf(stdout, "%s: part %s x %g recorded, %s on hand\n", a.pos[0], p.part_code,
		           p.qty, out_num(num, sizeof num, left, 10));
	part_left(&p, left);
	return CLI_OK;
}
