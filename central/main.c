/*
 * main.c - wrench-central: the plant's central sync server.
 */
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "central.h"
#include "cli.h"

static const char usage[] =
	"usage: wrench-central COMMAND [options]\n"
	"\n"
	"  migrate --db CONNINFO\n"
	"      create or upgrade the database schema\n"
	"  token add --db CONNINFO --user NAME --role technician|planner|admin [--site CODE]...\n"
	"      create the user if needed and print a new token\n"
	"  token list --db CONNINFO\n"
	"  token revoke --db CONNINFO --id N\n"
	"  compact --db CONNINFO --older-than DAYS [--receipts-older-than DAYS]\n"
	"      purge tombstones older than DAYS; older cursors then get a reset\n"
	"  serve --db CONNINFO --listen ADDR:PORT [--threads N] [--tls-cert FILE --tls-key FILE]\n"
	"        [--max-body BYTES] [--rate REQUESTS_PER_SECOND] [--analyze-every RECORDS]\n"
	"        [--gzip-level 1-9] [--page-max CHANGES]\n"
	"\n"
	"CONNINFO is a libpq connection string; PG* variables work as with psql.\n"
	"The protocol is described in docs/sync-api.md.\n";

int main(int argc, char **argv)
{
	struct wr_err e = {0};
	int rc;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? WR_EUSAGE : 0;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "wrench-central: libsodium cannot start\n");
		return 1;
	}
	if (!strcmp(argv[1], "migrate"))
		rc = cmd_migrate(argc - 2, argv + 2, &e);
	else if (!strcmp(argv[1], "token"))
		rc = cmd_token(argc - 2, argv + 2, &e);
	else if (!strcmp(argv[1], "compact"))
		rc = cmd_compact(argc - 2, argv + 2, &e);
	else if (!strcmp(argv[1], "serve"))
		rc = cmd_serve(argc - 2, argv + 2, &e);
	else
		rc = wr_fail(&e, WR_EUSAGE, "unknown command %s", argv[1]);
	if (rc != WR_OK) {
		fprintf(stderr, "wrench-central: %s\n", e.msg);
		if (rc == WR_EUSAGE)
			fputs(usage, stderr);
		return rc == WR_EUSAGE ? 2 : 1;
	}
	return 0;
}
