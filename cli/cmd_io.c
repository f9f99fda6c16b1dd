/*
 * cmd_io.c - `wrench import` and `wrench export`: CSV, JSON or JSON Lines
 * in and out, through csvio.h.
 *
 * An import either writes every row or, when a row is bad, nothing at all;
 * --skip-bad writes the good rows and puts the bad ones in a rejects file.
 * Bad rows are reported as FILE:LINE: reason, the form editors and CI logs
 * turn into links.  Files are written whole or not at all, never over the
 * database or the input (outfile.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "csvio.h"

static const char entity_list[] =
	"locations, assets, meters, readings, pms, workorders, history";

static int parse_entity(const struct cli *c, const char *s, int *out)
{
	if (csvio_entity_parse(s, out) != WR_OK)
		return args_usage(c, "unknown entity '%s'; valid: %s", s, entity_list);
	return 0;
}

/* ------------------------------------------------------------- import */

static const struct arg_opt import_opts[] = {
	{"dry-run", 0, 0, NULL, "check every row and report, but write nothing"},
	{"skip-bad", 0, 1, "REJECTS.csv", "import the good rows; write the bad ones here "
	 "with a reason column"},
	{"encoding", 0, 1, "NAME", "the file's character set (windows-1252, latin1, ...; "
	 "default: UTF-8, or Windows-1252 when it is not)"},
	{"date-order", 0, 1, "dmy|mdy", "day first (03/04/2025 is 3 April) or month first "
	 "(March 4); default: what the file's dates prove"},
	{"format", 0, 1, "FMT", "csv, json or jsonl (JSON Lines); default: by the file's "
	 "name (.json, .jsonl, .ndjson) or its first character"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec import_spec = {
	"import", "ENTITY FILE",
	"Imports a CSV, JSON or JSON Lines file.  ENTITY is one of: locations, assets,\n"
	"meters, readings, pms, workorders, history.  Rows are matched on their natural\n"
	"key, so importing the same file again changes nothing.  Without --skip-bad a\n"
	"single bad row means nothing is written.  Bad rows are listed on stderr as\n"
	"FILE:LINE: reason (JSON: the line the record starts on, and its number).",
	import_opts, 2, 2, NULL,
	"exit status: 0 every row imported; 1 some row was rejected (or the file is\n"
	"unreadable); 2 usage."
};

struct import_ctx {
	const char *file;
	size_t bad;
	int progress;           /* stderr is a terminal: show a running count */
	int shown;
};

static void on_bad(size_t line, const char *reason, void *ctx)
{
	struct import_ctx *ic = ctx;

	if (ic->shown) {
		fputs("\r\033[K", stderr);
		ic->shown = 0;
	}
	out_printf(stderr, "%s:%zu: %s\n", ic->file, line, reason);
	ic->bad++;
}

static void on_progress(size_t rows, size_t bytes, size_t total, void *ctx)
{
	struct import_ctx *ic = ctx;

	if (!ic->progress)
		return;
	/* The carriage return is wrench's own: it rewrites the line. */
	fputc('\r', stderr);
	if (total)
		out_printf(stderr, "importing %s: %zu rows, %d%%", ic->file, rows,
		           (int)(100.0 * (double)bytes / (double)total));
	else
		out_printf(stderr, "importing %s: %zu rows", ic->file, rows);
	ic->shown = 1;
}

/* --format of import and export: CF_*, or -1 after a usage error. */
static int file_format(const struct cli *c, const char *v, int dflt)
{
	if (!v)
		return dflt;
	if (strcmp(v, "csv") == 0)
		return CF_CSV;
	if (strcmp(v, "json") == 0)
		return CF_JSON;
	if (strcmp(v, "jsonl") == 0 || strcmp(v, "ndjson") == 0)
		return CF_JSONL;
	args_usage(c, "--format wants csv, json or jsonl, not '%s'", v);
	return -1;
}

/* --date-order: 0, or the usage error. */
static int parse_date_order(const struct cli *c, const char *s, int *out)
{
	*out = CSVIO_DATE_AUTO;
	if (!s)
		return 0;
	if (strcmp(s, "dmy") == 0)
		*out = CSVIO_DATE_DMY;
	else if (strcmp(s, "mdy") == 0)
		*out = CSVIO_DATE_MDY;
	else
		return args_usage(c, "--date-order takes dmy (day first) or mdy (month first), not '%s'",
		                  s);
	return 0;
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct csvio_import_opts o;
	struct csvio_result r;
	struct import_ctx ic;
	struct wr_err e = {0, ""};
	int entity, rc = args_parse(c, &import_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = parse_entity(c, a.pos[0], &entity)) != 0)
		return rc;
	if (args_has(&a, "skip-bad") && !*args_get(&a, "skip-bad"))
		return args_usage(c, "--skip-bad needs a file name for the rejected rows");
	if (args_has(&a, "encoding") && !*args_get(&a, "encoding"))
		return args_usage(c, "--encoding needs the name of a character set");
	memset(&o, 0, sizeof o);
	if ((rc = parse_date_order(c, args_get(&a, "date-order"), &o.date_order)) != 0)
		return rc;
	if ((o.format = file_format(c, args_get(&a, "format"), csvio_format_of(a.pos[1]))) < 0)
		return CLI_USAGE;
	/* JSON is UTF-8 by definition. */
	if (o.format != CF_CSV && args_has(&a, "encoding"))
		return args_usage(c, "--encoding is for CSV files; a JSON file is UTF-8");
	if ((rc = cli_open(c, 1)) != 0)
		return rc;

	memset(&ic, 0, sizeof ic);
	ic.file = a.pos[1];
	ic.progress = out_is_terminal(stderr);
	o.dry_run = args_has(&a, "dry-run");
	o.encoding = args_get(&a, "encoding");
	o.rejects_path = args_get(&a, "skip-bad");
	o.on_bad = on_bad;
	o.on_progress = on_progress;
	o.ctx = &ic;
	memset(&r, 0, sizeof r);
	rc = csvio_import(c->st, entity, a.pos[1], &o, &r, &e);
	if (ic.shown)
		fputs("\r\033[K", stderr);
	if (rc != WR_OK)
		return cli_fail(c, &e);
	if (r.converted_line)
		out_printf(stderr, "wrench: import: %s is not UTF-8 from line %zu on; read it as "
		           "Windows-1252 (name another with --encoding)\n", a.pos[1], r.converted_line);
	if (r.lost_line)
		out_printf(stderr, "wrench: import: %s:%zu holds U+FFFD, a character lost before wrench "
		           "read the file; check the text there\n", a.pos[1], r.lost_line);
	out_printf(stdout, "%s: %zu rows: %zu inserted, %zu updated, %zu unchanged, "
	           "%zu rejected%s\n", a.pos[1], r.rows, r.inserted, r.updated, r.unchanged,
	           r.rejected, o.dry_run ? " (dry run: nothing written)" : "");
	if (r.rejected) {
		if (o.rejects_path)
			out_printf(stderr, "wrench: import: %zu bad rows written to %s\n",
			           r.rejected, o.rejects_path);
		return CLI_BAD;
	}
	return CLI_OK;
}

/* ------------------------------------------------------------- export */

static const struct arg_opt export_opts[] = {
	{"output", 'o', 1, "FILE", "write to FILE (atomically) instead of standard output"},
	{"format", 0, 1, "FMT", "csv (default), json or jsonl (JSON Lines)"},
	{NULL, 0, 0, NULL, NULL}
};

static const struct cmd_spec export_spec = {
	"export", "ENTITY",
	"Writes every row of ENTITY (locations, assets, meters, readings, pms, workorders,\n"
	"history) in the columns import reads, ordered by natural key.",
	export_opts, 1, 1, NULL, NULL
};

/* An export shown on a terminal goes through the sanitizer like any other
 * output: the store writes it to a temporary file, which is then copied out
 * line by line. */
static int export_to_terminal(struct cli *c, int entity, int fmt)
{
	struct wr_err e = {0, ""};
	FILE *tmp = tmpfile();
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc;

	if (!tmp)
		return cli_failf(c, CLI_BAD, "cannot create a temporary file: %s", strerror(errno));
	rc = csvio_export(c->st, entity, fmt, tmp, &e);
	if (rc == WR_OK && fseek(tmp, 0, SEEK_SET) != 0)
		rc = wr_fail(&e, WR_EINPUT, "cannot read the export back: %s", strerror(errno));
	while (rc == WR_OK && (n = getline(&line, &cap, tmp)) > 0) {
		int nl = line[n - 1] == '\n';
		out_write(stdout, line, (size_t)n - (size_t)nl);
		if (nl)
			fputc('\n', stdout);
	}
	if (rc == WR_OK && ferror(tmp))
		rc = wr_fail(&e, WR_EINPUT, "cannot read the export back: %s", strerror(errno));
	free(line);
	fclose(tmp);
	return rc == WR_OK ? CLI_OK : cli_fail(c, &e);
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	struct args a;
	struct wr_err e = {0, ""};
	const char *path;
	int entity, fmt, rc = args_parse(c, &export_spec, argc, argv, &a);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = parse_entity(c, a.pos[0], &entity)) != 0)
		return rc;
	if ((fmt = file_format(c, args_get(&a, "format"), CF_CSV)) < 0)
		return CLI_USAGE;
	path = args_get(&a, "output");
	if (path && !*path)
		return args_usage(c, "-o needs a file name");
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	if (path && strcmp(path, "-") != 0)
		rc = csvio_export_file(c->st, entity, fmt, path, &e);
	else if (out_is_terminal(stdout))
		return export_to_terminal(c, entity, fmt);
	else
		rc = csvio_export(c->st, entity, fmt, stdout, &e);
	if (rc != WR_OK)
		return cli_fail(c, &e);
	return CLI_OK;
}
