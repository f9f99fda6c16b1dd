/*
 * cmd_conflicts.c - `wrench conflicts`: what a sync left for the user to
 * decide, one row per conflicting field (both values, and who changed the
 * server's and when) and one per rejected edit (with the server's reason),
 * and the three decisions: keep mine, take theirs, drop.
 *
 * A decision is made here, in the database; keep-mine becomes a new edit
 * that the next `wrench sync` sends (store_sync.h explains each).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store_sync.h"

/* --------------------------------------------------------------- list */

static const struct arg_opt list_opts[] = {
	{"format", 0, 1, "FMT", "table (default), csv or json"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec list_spec = {
	"conflicts", "",
	"Lists the conflicts and rejected edits the last syncs left for you: a conflict\n"
	"is a field you and someone else changed to different values; a rejected edit\n"
	"is one the server refused (the reason says why).  Nothing else waits for them.",
	list_opts, 0, 0, NULL,
	"commands:\n"
	"  keep-mine ID    keep your value; it is sent at the next sync\n"
	"  take-theirs ID  take the server's value\n"
	"  drop ID         drop a rejected edit (its fields go back to what they were)"
};

static const char *const head[] = {
	"id", "kind", "record", "field", "mine", "theirs", "by", "at", "reason"
};
static const int numeric[] = {1, 0, 0, 0, 0, 0, 0, 0, 0};
static const unsigned char kind[] = {0, 0, 0, 0, 0, 0, 0, OUT_TIME, 0};
#define NCOLS (sizeof head / sizeof head[0])

static int issue_row(const struct store_sync_issue *it, void *ctx)
{
	struct out *o = ctx;
	char id[24];
	const char *cells[NCOLS];

	snprintf(id, sizeof id, "%lld", (long long)it->id);
	cells[0] = id;
	cells[1] = it->rejected ? "rejected" : "conflict";
	cells[2] = it->record[0] ? it->record : it->uuid;
	cells[3] = it->field;
	cells[4] = it->mine;
	cells[5] = it->theirs;
	cells[6] = it->by;
	cells[7] = it->at;
	cells[8] = it->reason;
	return out_row(o, cells) == 0 ? 0 : 1;
}

int cli_sync_issues_print(struct cli *c, int fmt)
{
	struct out o;
	struct wr_err e = {0, ""};
	int rc;

	out_begin(&o, stdout, fmt, NCOLS, head, numeric);
	out_kinds(&o, kind);
	rc = store_sync_issues(c->st, issue_row, &o, &e);
	if (out_end(&o) != 0)
		return cli_failf(c, CLI_BAD, "out of memory while listing conflicts");
	if (rc != WR_OK)
		return cli_fail(c, &e);
	return CLI_OK;
}

static int conflicts_list(struct cli *c, int argc, char **argv)
{
	struct args a;
	int fmt, rc = args_parse(c, &list_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = out_format(c, args_get(&a, "format"), OUT_TABLE, 1, &fmt)) != 0)
		return rc;
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	return cli_sync_issues_print(c, fmt);
}

/* ------------------------------------------------------------ resolve */

static const struct cmd_spec keep_spec = {
	"conflicts keep-mine", "ID",
	"Keeps your value of conflict ID: a new edit, based on the server's version,\n"
	"that the next 'wrench sync' sends.",
	NULL, 1, 1, NULL, NULL
};
static const struct cmd_spec take_spec = {
	"conflicts take-theirs", "ID",
	"Takes the server's value of conflict ID here; nothing is sent.",
	NULL, 1, 1, NULL, NULL
};
static const struct cmd_spec drop_spec = {
	"conflicts drop", "ID",
	"Drops rejected edit ID: it is never sent, and the fields it changed go back\n"
	"to their values before it (a rejected new record is removed).",
	NULL, 1, 1, NULL, NULL
};

/* The issue with id, to name it in the message. */
struct find {
	int64_t id;
	struct store_sync_issue it;
	int found;
};

static int find_row(const struct store_sync_issue *it, void *ctx)
{
	struct find *f = ctx;

	if (it->id != f->id)
		return 0;
	f->it = *it;
	f->found = 1;
	return CLI_STOP;
}

static void said(const struct find *f, int choice)
{
	static const char *const done[] = {
		"keeping yours; it is sent at the next sync", "took the server's value",
		"dropped the edit",
	};
	const struct store_sync_issue *it = &f->it;

	printf("%s %lld (", it->rejected ? "rejected edit" : "conflict", (long long)it->id);
	out_put(stdout, it->record[0] ? it->record : it->uuid);
	if (it->field[0])
		out_printf(stdout, " %s", it->field);
	printf("): %s\n", done[choice]);
}

static int resolve(struct cli *c, const struct cmd_spec *spec, int choice, int argc,
                   char **argv)
{
	struct args a;
	struct find f = {0};
	struct wr_err e = {0, ""};
	char *end;
	long id;
	int rc = args_parse(c, spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	id = strtol(a.pos[0], &end, 10);
	if (end == a.pos[0] || *end || id < 1 || id == LONG_MAX)
		return args_usage(c, "ID is a number as 'wrench conflicts' lists it, not '%s'",
		                  a.pos[0]);
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	f.id = id;
	rc = store_sync_issues(c->st, find_row, &f, &e);
	if (rc != WR_OK && rc != CLI_STOP)
		return cli_fail(c, &e);
	if (!f.found)
		return cli_failf(c, CLI_BAD, "nothing waits with id %ld (see 'wrench conflicts')", id);
	if (store_sync_resolve(c->st, id, choice, &e) != WR_OK)
		return cli_fail(c, &e);
	said(&f, choice);
	return CLI_OK;
}

static int keep_mine(struct cli *c, int argc, char **argv)
{
	return resolve(c, &keep_spec, SYNC_KEEP_MINE, argc, argv);
}

static int take_theirs(struct cli *c, int argc, char **argv)
{
	return resolve(c, &take_spec, SYNC_TAKE_THEIRS, argc, argv);
}

static int drop(struct cli *c, int argc, char **argv)
{
	return resolve(c, &drop_spec, SYNC_DROP, argc, argv);
}

static const struct subcmd subs[] = {
	{"keep-mine", keep_mine, "keep your value; it is sent at the next sync"},
	{"take-theirs", take_theirs, "take the server's value"},
	{"drop", drop, "drop a rejected edit"},
	{NULL, NULL, NULL}
};

/* `wrench conflicts` alone lists; a decision is its second word. */
int cmd_conflicts(struct cli *c, int argc, char **argv)
{
	const char *names[4];
	const char *hint;
	size_t i;
	int k = 1;

	c->cmd = "conflicts";
	/* Global options may come between the command and its decision. */
	while (k < argc && cli_global_option(c, argc, argv, &k) == 1)
		;
	for (i = 0; k < argc && subs[i].name; i++)
		if (!strcmp(argv[k], subs[i].name))
			return subs[i].run(c, argc - k, argv + k);
	if (c->list_words) {
		for (i = 0; subs[i].name; i++)
			printf("command\t%s\t\t%s\n", subs[i].name, subs[i].summary);
		args_list(&list_spec, stdout);
		return CLI_OK;
	}
	if (k < argc && argv[k][0] != '-') {
		for (i = 0; subs[i].name; i++)
			names[i] = subs[i].name;
		names[i] = NULL;
		hint = args_suggest(argv[k], names);
		if (hint)
			return args_usage(c, "unknown command '%s'; did you mean '%s'?", argv[k], hint);
		return args_usage(c, "unknown command '%s': keep-mine, take-theirs or drop", argv[k]);
	}
	return conflicts_list(c, argc, argv);
}
