/*
 * common.c - what every command does the same way: opening the database,
 * reporting errors with the command's name, mapping result codes to exit
 * codes and dispatching a group's subcommands.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

const char *cli_db_path(struct cli *c, char *buf, size_t n)
{
	const struct cfg_item *it = c->cfg ? cfg_get(c->cfg, "database") : NULL;
	const char *env = getenv("WRENCH_DB");

	if (c->db_path && *c->db_path)
		return c->db_path;
	if (c->db_path && !*c->db_path) {
		fprintf(stderr, "wrench: %s: --db needs a file name\n", c->cmd ? c->cmd : "wrench");
		return NULL;
	}
	if (it && it->origin == CFG_ENV && !it->value[0]) {
		fprintf(stderr, "wrench: %s: WRENCH_DB is %s: set it to the database file, or unset "
		        "it to use the configuration file's database or the default\n",
		        c->cmd ? c->cmd : "wrench", env && *env ? "too long" : "empty");
		return NULL;
	}
	if (it && it->origin != CFG_DEFAULT)
		return it->value;
	if (!store_default_path(buf, n)) {
		fprintf(stderr, "wrench: %s: cannot tell where the database lives: set "
		        "XDG_DATA_HOME or HOME, or pass --db PATH\n", c->cmd ? c->cmd : "wrench");
		return NULL;
	}
	return buf;
}

/* Told by the store when a wait for another program's lock passes a second:
 * a command that seems to hang must say why. */
static void say_waiting(const char *holder, void *ctx)
{
	const struct cli *c = ctx;

	if (holder)
		fprintf(stderr, "wrench: %s: waiting for %s...\n", c->cmd ? c->cmd : "wrench", holder);
	else
		fprintf(stderr, "wrench: %s: waiting for the database (another program is "
		        "writing to it)...\n", c->cmd ? c->cmd : "wrench");
}

/* 1 when the variable is set to 1, yes or true. */
static int getenv_flag(const char *name)
{
	const char *v = getenv(name);

	return v && (!strcmp(v, "1") || wr_streq_ci(v, "yes") || wr_streq_ci(v, "true"));
}

int cli_open(struct cli *c, int create)
{
	struct wr_err e = {0, ""};
	struct store_opts o;
	char buf[4096];
	const char *path = cli_db_path(c, buf, sizeof buf);
	int rc;

	if (!path)
		return CLI_USAGE;
	memset(&o, 0, sizeof o);
	o.create = create;
	o.wait_s = -1;
	o.on_wait = say_waiting;
	o.ctx = c;
	if (c->wait && ((rc = args_real(c, "wait", c->wait, &o.wait_s, CLI_USAGE)) != 0 ||
	                o.wait_s < 0))
		return rc ? rc : args_usage(c, "--wait wants a number of seconds, 0 or more");
	rc = store_open_with(path, &o, &c->st, &e);
	if (rc == WR_ENOTFOUND && !create)
		return cli_failf(c, CLI_BAD, "%s (or 'wrench --db %s init'), or try 'wrench demo'",
		                 e.msg, path);
	if (rc != WR_OK) {
		c->st = NULL;
		return cli_fail(c, &e);
	}
	if (c->user && *c->user)
		store_set_actor(c->st, c->user);
	/* Whether completing corrective work requires its failure codes: the
	 * configuration's require_codes, which WRENCH_REQUIRE_CODES overrides
	 * (cfg_env); without a configuration, the variable alone. */
	store_set_require_codes(c->st, c->cfg ? cfg_bool(c->cfg, "require_codes")
	                                      : getenv_flag("WRENCH_REQUIRE_CODES"));
	return CLI_OK;
}

int cli_global_option(struct cli *c, int argc, char **argv, int *k)
{
	static const char *const names[] = {"--db", "--user", "--wait"};
	const char **dst[] = {&c->db_path, &c->user, &c->wait};
	const char *w = argv[*k];

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t n = strlen(names[i]);

		if (strncmp(w, names[i], n) != 0)
			continue;
		if (w[n] == '=') {
			*dst[i] = w + n + 1;
			*k += 1;
			return 1;
		}
		if (w[n] != '\0')
			continue;
		if (*k + 1 >= argc)
			return -1;
		*dst[i] = argv[*k + 1];
		*k += 2;
		return 1;
	}
	return 0;
}

void cli_close(struct cli *c)
{
	if (c->st)
		store_close(c->st);
	c->st = NULL;
}

int cli_exit_code(int rc)
{
	if (rc == WR_OK)
		return CLI_OK;
	if (rc == WR_EUSAGE)
		return CLI_USAGE;
	return CLI_BAD;
}

int cli_fail(const struct cli *c, const struct wr_err *e)
{
	const char *msg = e && e->msg[0] ? e->msg : "failed (no message)";

	fprintf(stderr, "wrench: %s: ", c->cmd ? c->cmd : "wrench");
	out_printf(stderr, "%s\n", msg);
	return cli_exit_code(e && e->rc ? e->rc : WR_EINPUT);
}

int cli_failf(const struct cli *c, int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "wrench: %s: ", c->cmd ? c->cmd : "wrench");
	va_start(ap, fmt);
	out_vprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int cli_finish(const struct cli *c, int code)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "wrench: %s: could not write the output (disk full or "
		        "closed pipe?)\n", c->cmd ? c->cmd : "wrench");
		return code ? code : CLI_BAD;
	}
	return code;
}

static void group_help(const char *group, const struct subcmd *subs, FILE *f)
{
	size_t i;

	fprintf(f, "usage: wrench %s COMMAND [options] ...\n\ncommands:\n", group);
	for (i = 0; subs[i].name; i++)
		fprintf(f, "  %-10s %s\n", subs[i].name, subs[i].summary);
	fprintf(f, "\n'wrench %s COMMAND --help' describes one command.\n", group);
}

int cli_dispatch(struct cli *c, const char *group, const struct subcmd *subs, int argc,
                 char **argv)
{
	const char *names[64];
	const char *hint;
	size_t i, n = 0;
	int k = 1;

	c->cmd = group;
	/* Global options may come between the group and its command. */
	while (k < argc && argv[k][0] == '-') {
		if (strcmp(argv[k], "-h") == 0 || strcmp(argv[k], "--help") == 0) {
			group_help(group, subs, stdout);
			return CLI_OK;
		}
		if (cli_global_option(c, argc, argv, &k) == 1)
			continue;
		return args_usage(c, "unknown option '%s' before the command", argv[k]);
	}
	if (k >= argc && c->list_words) {
		for (i = 0; subs[i].name; i++)
			printf("command\t%s\t\t%s\n", subs[i].name, subs[i].summary);
		args_list_opts(args_globals(), stdout);
		return CLI_OK;
	}
	if (k >= argc) {
		group_help(group, subs, stderr);
		return CLI_USAGE;
	}
	for (i = 0; subs[i].name; i++) {
		if (strcmp(subs[i].name, argv[k]) == 0)
			return subs[i].run(c, argc - k, argv + k);
		if (n + 1 < sizeof names / sizeof names[0])
			names[n++] = subs[i].name;
	}
	names[n] = NULL;
	hint = args_suggest(argv[k], names);
	if (hint)
		return args_usage(c, "unknown command '%s'; did you mean '%s'?", argv[k], hint);
	return args_usage(c, "unknown command '%s'", argv[k]);
}
