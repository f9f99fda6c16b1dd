/*
 * main.c - wrench's entry point: global options, then one command.
 *
 *   wrench [--db PATH] [--user NAME] [--wait SECONDS] COMMAND ...
 *
 * With no command, wrench opens the terminal interface on the default
 * database.  Everything else lives in the cmd_*.c files, which
 * are part of the library so that tests can link them.
 */
#include <locale.h>
#include <string.h>
#include "cli.h"

static const struct {
	const char *name;
	int (*run)(struct cli *c, int argc, char **argv);
	const char *summary;
} commands[] = {
	{"init", cmd_init, "create (or upgrade) the database"},
	{"import", cmd_import, "import a CSV file of locations, assets, meters, readings, pms, "
	 "workorders or history"},
	{"export", cmd_export, "export an entity as CSV or JSON"},
	{"asset", cmd_asset, "list and show assets"},
	{"wo", cmd_wo, "work orders: list, show, new, set, lifecycle, notes, labour, parts"},
	{"pm", cmd_pm, "preventive maintenance: list, due, generate"},
	{"report", cmd_report, "mtbf, mttr, availability, backlog, pm-compliance"},
	{"rank", cmd_rank, "rank assets by the probability of failing soon"},
	{"fit", cmd_fit, "fit a Weibull distribution to life data in a CSV file"},
	{"backtest", cmd_backtest, "test the ranking against what happened"},
	{"demo", cmd_demo, "create the demo plant and open it"},
	{"ui", cmd_ui, "open the terminal interface"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: wrench [--db PATH] [--user NAME] [--wait SECONDS] COMMAND [options] ..."
	        "\n\n"
	        "Offline maintenance work orders, preventive maintenance and failure "
	        "prediction.\nWith no command, opens the terminal interface.\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nglobal options:\n"
	        "  --db PATH      database file (default $XDG_DATA_HOME/wrench/wrench.db)\n"
	        "  --user NAME    who is acting (default $WRENCH_USER, then $USER)\n"
	        "  --wait SECONDS how long to wait while another program holds the database\n"
	        "                 (default $WRENCH_BUSY_TIMEOUT, else 60)\n"
	        "  -h, --help     this help; 'wrench COMMAND --help' for one command\n"
	        "  --version      print the version\n"
	        "  --print-config print the settings in force and where each comes from\n"
	        "                 ($XDG_CONFIG_HOME/wrench/config, see wrench(1))\n"
	        "\nexit status: 0 ok, 1 bad input or data, 2 usage.  See wrench(1).\n");
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
	 * interface); numbers are always printed with a decimal point. */
	setlocale(LC_CTYPE, "");
	memset(&c, 0, sizeof c);
	while (k < argc && argv[k][0] == '-') {
		const char *w = argv[k];
		if (strcmp(w, "-h") == 0 || strcmp(w, "--help") == 0) {
			usage(stdout);
			return cli_finish(&c, CLI_OK);
		}
		if (strcmp(w, "--print-config") == 0) {
			print_config = 1;
			k++;
			continue;
		}
		if (strcmp(w, "--version") == 0) {
			printf("wrench %s\n", WRENCH_VERSION);
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
