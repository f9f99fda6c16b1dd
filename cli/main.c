/*
 * main.c - wrench's entry point: global options, then one command.
 *
 *   wrench [--db PATH] [--user NAME] [--wait SECONDS] COMMAND ...
 *   wrench --complete-words [COMMAND [SUBCOMMAND]]   (for completion scripts)
 *
 * With no command, wrench opens the terminal interface on the default
 * database.  Everything else lives in the cmd_*.c files, which
 * are part of the library so that tests can link them.
 */
#include <locale.h>
#include <string.h>
#include "cli.h"
#include "sync.h"

static const struct {
	const char *name;
	int (*run)(struct cli *c, int argc, char **argv);
	const char *summary;
} commands[] = {
	{"init", cmd_init, "create (or upgrade) the database"},
	{"import", cmd_import, "import a CSV file of locations, assets, meters, readings, pms, "
	 "workorders, history or parts"},
	{"export", cmd_export, "export an entity as CSV or JSON"},
	{"asset", cmd_asset, "list and show assets"},
	{"part", cmd_part, "the parts inventory: list (--low), show, add, set"},
	{"wo", cmd_wo, "work orders: list, show, new, set, lifecycle, notes, labour, parts"},
	{"pm", cmd_pm, "preventive maintenance: list, due, generate"},
	{"report", cmd_report, NULL},   /* its reports' names (cmd_report_names) */
	{"rank", cmd_rank, "rank assets by the probability of failing soon"},
	{"fit", cmd_fit, "fit a Weibull distribution to life data in a CSV file"},
	{"backtest", cmd_backtest, "test the ranking against what happened"},
	{"sync", cmd_sync, "exchange edits with the plant's wrench-central server"},
	{"conflicts", cmd_conflicts, "list and resolve what a sync left for you to decide"},
	{"demo", cmd_demo, "create the demo plant and open it"},
	{"ui", cmd_ui, "open the terminal interface"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* Command i's line in the list of commands. */
static const char *summary_of(size_t i)
{
	return commands[i].summary ? commands[i].summary : cmd_report_names();
}

/* The options only wrench itself takes, before any command; with the
 * global options (args_globals) they are its help and its completion. */
static const struct arg_opt main_opts[] = {
	{"version", 'V', 0, NULL, "print the version"},
	{"print-config", 0, 0, NULL, "print the settings in force and where each comes from"},
	{NULL, 0, 0, NULL, NULL}
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: wrench [--db PATH] [--user NAME] [--wait SECONDS] COMMAND [options] ..."
	        "\n\n"
	        "Offline maintenance work orders, preventive maintenance and failure "
	        "prediction.\nWith no command, opens the terminal interface.\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, summary_of(i));
	fprintf(f, "\nglobal options:\n");
	args_help_opts(args_globals(), f);
	args_help_opts(main_opts, f);
	fprintf(f, "\n'wrench COMMAND --help' describes one command.  The configuration file is\n"
	        "$XDG_CONFIG_HOME/wrench/config.\n"
	        "\nexit status: 0 ok, 1 bad input or data, 2 usage, 3 conflict (--if-version).\n"
	        "See wrench(1).\n");
}

/* wrench --complete-words with no command: the commands and the options
 * wrench takes before one (see args_list_opts). */
static int list_words(void)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		printf("command\t%s\t\t%s\n", commands[i].name, summary_of(i));
	args_list_opts(args_globals(), stdout);
	args_list_opts(main_opts, stdout);
	return CLI_OK;
}

/* Takes an option only wrench itself has at argv[*k]: 1 when taken (*k
 * moves on), 0 when it is none, -1 when it ends wrench (help, version). */
static int main_option(struct cli *c, char **argv, int *k, int *print_config)
{
	const char *w = argv[*k];

	if (strcmp(w, "-h") == 0 || strcmp(w, "--help") == 0) {
		usage(stdout);
		return -1;
	}
	if (strcmp(w, "-V") == 0 || strcmp(w, "--version") == 0) {
		printf("wrench %s\n", WRENCH_VERSION);
		return -1;
	}
	if (strcmp(w, "--print-config") == 0)
		*print_config = 1;
	else if (strcmp(w, "--complete-words") == 0)
		c->list_words = 1;
	else
		return 0;
	*k += 1;
	return 1;
}

int main(int argc, char **argv)
{
	struct cli c;
	static struct wr_config cfg;
	const char *names[NCOMMANDS + 1];
	const char *hint;
	size_t i;
	int k = 1, print_config = 0;

	/* Only the character type follows the environment (for the terminal
	 * interface and the display widths of table cells); numbers are always
	 * printed with a decimal point. */
	setlocale(LC_CTYPE, "");
	sync_init();   /* before the terminal interface's threads */
	memset(&c, 0, sizeof c);
	while (k < argc && argv[k][0] == '-') {
		const char *w = argv[k];

		switch (main_option(&c, argv, &k, &print_config)) {
		case 1:
			continue;
		case -1:
			return cli_finish(&c, CLI_OK);
		}
		switch (cli_global_option(&c, argc, argv, &k)) {
		case 1:
			continue;
		case -1:
			return args_usage(&c, "option '%s' needs a value", w);
		}
		return args_usage(&c, "unknown option '%s'", w);
	}
	cli_config(&c, &cfg);
	if (c.db_path && *c.db_path)
		cfg_set_option(&cfg, "database", c.db_path, "--db");
	if (print_config)
		return cli_finish(&c, cli_print_config(&c));
	if (k >= argc && c.list_words)
		return cli_finish(&c, list_words());
	if (k >= argc) {
		int code = cmd_ui(&c, 1, (char *[]){"ui", NULL});
		cli_close(&c);
		return cli_finish(&c, code);
	}
	for (i = 0; i < NCOMMANDS; i++) {
		names[i] = commands[i].name;
		if (strcmp(argv[k], commands[i].name) == 0) {
			int code = commands[i].run(&c, argc - k, argv + k);
			cli_close(&c);
			return cli_finish(&c, code);
		}
	}
	if (strcmp(argv[k], "help") == 0) {
		usage(stdout);
		return cli_finish(&c, CLI_OK);
	}
	names[NCOMMANDS] = NULL;
	hint = args_suggest(argv[k], names);
	if (hint)
		return args_usage(&c, "unknown command '%s'; did you mean '%s'?", argv[k], hint);
	return args_usage(&c, "unknown command '%s'", argv[k]);
}
