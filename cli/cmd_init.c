/*
 * cmd_init.c - `wrench init`: create the database, or bring an existing one
 * up to this program's schema.  Running it again is harmless.
 */
#include "cli.h"

static const struct arg_opt init_opts[] = {
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec init_spec = {
	"init", "", "Creates the database (and its folder) if it does not exist, or migrates "
	"an existing one\nto the current schema.  Safe to run more than once.",
	init_opts, 0, 0, NULL, NULL
};

int cmd_init(struct cli *c, int argc, char **argv)
{
	struct args a;
	int rc = args_parse(c, &init_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	rc = cli_open(c, 1);
	if (rc)
		return rc;
	out_printf(stdout, "database ready: %s (schema version %d)\n", store_path(c->st),
	           store_schema_version(c->st));
	return CLI_OK;
}
