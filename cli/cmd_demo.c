/*
 * cmd_demo.c - `wrench demo` and `wrench ui`: the commands that open the
 * terminal interface.
 *
 * `demo` builds the demo plant on first use (in one transaction, so an
 * interrupted build leaves an empty database that the next run fills) and
 * then opens it.  When standard output is not a terminal, or with --no-ui,
 * it prints a summary instead, which is what scripts and tests use.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "demo.h"
#include "tui.h"

int demo_build(struct store *s, int64_t today, struct wr_err *e)
{
	struct demo_plant p;
	int rc;

	memset(&p, 0, sizeof p);
	demo_rng_seed(&p.rng, DEMO_SEED);
	p.today = today;
	p.start = wr_date_add_months(today, -12 * DEMO_YEARS);
	if ((rc = store_begin(s, e)) != WR_OK)
		return rc;
	rc = demo_plant_build(s, &p, e);
	if (rc == WR_OK)
		rc = demo_history_build(s, &p, e);
	demo_plant_free(&p);
	if (rc != WR_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

static int print_summary(struct cli *c, const char *path)
{
	struct wr_summary sm;
	struct wr_err e = {0, ""};

	if (store_summary(c->st, wr_today(), &sm, &e) != WR_OK)
		return cli_fail(c, &e);
	out_printf(stdout, "database:     %s\n", path);
	printf("sites:        %lld\n", (long long)sm.sites);
	printf("locations:    %lld\n", (long long)sm.locations);
	printf("assets:       %lld\n", (long long)sm.assets);
	printf("meters:       %lld (%lld readings)\n", (long long)sm.meters,
	       (long long)sm.readings);
	printf("pm schedules: %lld\n", (long long)sm.pms);
	printf("work orders:  %lld (%lld open, %lld overdue)\n", (long long)sm.wos,
	       (long long)sm.wos_open, (long long)sm.wos_overdue);
	printf("history:      %lld events, %lld failures\n", (long long)sm.events,
	       (long long)sm.failures);
	printf("users:        %lld\n", (long long)sm.users);
	return CLI_OK;
}

static int run_tui(struct cli *c, const char *open_record, int mouse)
{
	struct tui_opts o;
	struct wr_err e = {0, ""};

	memset(&o, 0, sizeof o);
	o.open_record = open_record;
	o.mouse = mouse;
	o.config = c->cfg;
	if (tui_run(c->st, &o, &e) != WR_OK)
		return cli_fail(c, &e);
	return CLI_OK;
}

/* ---------------------------------------------------------------- demo */

static const struct arg_opt demo_opts[] = {
	{"no-ui", 0, 0, NULL, "print a summary instead of opening the interface"},
	{"mouse", 0, 0, NULL, "enable the mouse in the interface"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec demo_spec = {
	"demo", "",
	"Creates the demo plant if it does not exist yet - about two hundred assets, two\n"
	"years of history ending today, a current backlog - then opens it in the terminal\n"
	"interface as the technician 'demo'.  The demo database lives at --db PATH, or\n"
	"else at $XDG_DATA_HOME/wrench/demo.db; your own database is never touched.\n"
	"When standard output is not a terminal, or with --no-ui, prints a summary.",
	demo_opts, 0, 0, NULL, NULL
};

/* $XDG_DATA_HOME/wrench/demo.db: beside the default database. */
static int demo_path(struct cli *c, char *buf, size_t n)
{
	char *slash;

	if (c->db_path) {
		if (!*c->db_path)
			return cli_failf(c, CLI_USAGE, "--db needs a file name");
		wr_strlcpy(buf, c->db_path, n);
		return 0;
	}
	if (!store_default_path(buf, n))
		return cli_failf(c, CLI_USAGE, "cannot tell where to put the demo database: set "
		                 "XDG_DATA_HOME or HOME, or pass --db PATH");
	slash = strrchr(buf, '/');
	if (!slash || (size_t)(slash - buf) + sizeof "/demo.db" > n)
		return cli_failf(c, CLI_USAGE, "cannot work out the demo database path; pass "
		                 "--db PATH");
	strcpy(slash, "/demo.db");
	return 0;
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct wr_err e = {0, ""};
	char path[4096];
	const char *saved_db;
	int64_t nassets = 0;
	int rc = args_parse(c, &demo_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = demo_path(c, path, sizeof path)) != 0)
		return rc;
	saved_db = c->db_path;
	c->db_path = path;
	rc = cli_open(c, 1);
	c->db_path = saved_db;
	if (rc)
		return rc;
	if (store_asset_count(c->st, &nassets, &e) != WR_OK)
		return cli_fail(c, &e);
	if (nassets == 0) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (demo_build(c->st, wr_today(), &e) != WR_OK) {
			wr_err_prefix(&e, "building the demo plant: ");
			return cli_fail(c, &e);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		out_printf(stderr, "wrench: demo plant created in %s (%.1f s)\n", path,
		           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	} else if (nassets > 0 && args_has(&a, "no-ui")) {
		out_printf(stderr, "wrench: using the existing demo database %s\n", path);
	}
	/* The demo is seen through the demo technician's eyes unless the
	 * caller said who they are. */
	if (!c->user && !getenv("WRENCH_USER"))
		store_set_actor(c->st, DEMO_USER);
	if (args_has(&a, "no-ui") || !isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO))
		return print_summary(c, path);
	return run_tui(c, NULL, args_has(&a, "mouse"));
}

/* ------------------------------------------------------------------ ui */

static const struct arg_opt ui_opts[] = {
	{"mouse", 0, 0, NULL, "enable the mouse"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec ui_spec = {
	"ui", "[TAG|NUM]",
	"Opens the terminal interface on the database (made by 'wrench init' or\n"
	"'wrench import'), optionally on an asset tag or work-order number.  'wrench'\n"
	"with no command does the same.",
	ui_opts, 0, 1, NULL, NULL
};

int cmd_ui(struct cli *c, int argc, char **argv)
{
	struct args a;
	int rc = args_parse(c, &ui_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return args_usage(c, "the interface needs a terminal; for scripts use the "
		                  "commands listed by 'wrench --help'");
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	return run_tui(c, a.npos ? a.pos[0] : NULL, args_has(&a, "mouse"));
}
