/*
 * cmd_config.c - reading the configuration file for a command, and
 * `wrench --print-config`.
 */
#include <string.h>
#include "cli.h"

void cli_config(struct cli *c, struct wr_config *cfg)
{
	char path[4096];

	if (cfg_defaults(cfg) == 0 && cfg_default_path(path, sizeof path))
		cfg_load(cfg, path);
	cfg_env(cfg);
	for (int i = 0; i < cfg->nmsgs; i++)
		out_printf(stderr, "wrench: %s\n", cfg->msgs[i]);
	c->cfg = cfg;
}

/* A value as the file would need it: quoted when empty, holding '#' or
 * quotes, or starting or ending with a space. */
static void print_value(const char *v)
{
	size_t n = strlen(v);

	if (n && !strpbrk(v, "#\"'") && v[0] != ' ' && v[n - 1] != ' ') {
		out_put(stdout, v);
		return;
	}
	putchar('"');
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			putchar('\\');
		out_write(stdout, v, 1);
	}
	putchar('"');
}

int cli_print_config(struct cli *c)
{
	char origin[1200];

	if (!c->cfg)
		return cli_failf(c, CLI_BAD, "no configuration was read");
	for (size_t i = 0; i < c->cfg->n; i++) {
		const struct cfg_item *it = &c->cfg->items[i];

		printf("%s = ", it->key);
		print_value(it->value);
		fputs("  # ", stdout);
		out_put(stdout, cfg_origin_text(c->cfg, it, origin, sizeof origin));
		putchar('\n');
	}
	return CLI_OK;
}
