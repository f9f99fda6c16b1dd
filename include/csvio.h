/*
 * csvio.h - CSV import and export of the store's entities (part of store/:
 * it writes through SQL directly, in one transaction per file).
 *
 * Reading follows RFC 4180 (quoted fields, doubled quotes, quoted newlines),
 * skips a UTF-8 byte-order mark, accepts CRLF or LF, and detects a ';'
 * delimiter (European spreadsheets).  Headers match case-insensitively, with
 * aliases and the column names of Atlas CMMS's import templates.  JSON and
 * JSON Lines files (store/json_read.h) are read as rows of the same columns
 * and go through the same checks.
 */
#ifndef WRENCH_CSVIO_H
#define WRENCH_CSVIO_H

#include <stdio.h>
#include <stddef.h>
#include "entity.h"     /* enum csv_entity, and the columns of each entity */
#include "store.h"

const char *csvio_entity_name(int entity);             /* "locations", ... */
int csvio_entity_parse(const char *s, int *out);       /* also singular forms */

/* Called for every rejected row: its 1-based line number in the file (the
 * line the record starts on) and why. */
typedef void (*csvio_bad_cb)(size_t line, const char *reason, void *ctx);
/* Called now and then while importing: bytes read of total (0 if unknown). */
typedef void (*csvio_progress_cb)(size_t rows, size_t bytes, size_t total, void *ctx);

/* A file's format.  CF_JSON is an array of records, CF_JSONL JSON Lines
 * (one record a line), both keyed by the CSV headers (README, "JSON"). */
enum csv_format { CF_CSV, CF_JSON, CF_JSONL };
/* The format of the file at path by its name (.json; .jsonl or .ndjson;
 * anything else CSV) or, for another name, its first character ('[' JSON,
 * '{' JSON Lines); standard input ("-") is CSV. */
int csvio_format_of(const char *path);

/* The order of day and month in a file's D/M/YYYY dates. */
enum csvio_date_order {
	CSVIO_DATE_AUTO,             /* the order the file's unambiguous dates prove
	                              * (13/04/2025 is day first, 04/13/2025 month
	                              * first); a file whose dates are all ambiguous
	                              * (03/04/2025) is refused */
	CSVIO_DATE_DMY,              /* day first: 03/04/2025 is 3 April */
	CSVIO_DATE_MDY               /* month first: 03/04/2025 is March 4 */
};

struct csvio_import_opts {
	int dry_run;                 /* validate and count; write nothing */
	const char *encoding;        /* the file's character set, an iconv name
	                              * ("windows-1252", "latin1"); NULL: UTF-8, and
	                              * a file that is not UTF-8 is read as
	                              * Windows-1252 when no line before was UTF-8 */
	int date_order;              /* enum csvio_date_order */
	int format;                  /* enum csv_format: CF_CSV (0), or CF_JSON, CF_JSONL
	                              * (json_read.h: the same rows, checked alike) */
	const char *rejects_path;    /* --skip-bad: import good rows, write bad
	                              * ones here with a "reason" column (never
	                              * over the database or the input file) */
	csvio_bad_cb on_bad;
	csvio_progress_cb on_progress;
	void *ctx;
};

struct csvio_result {
	size_t rows;                 /* data rows read */
	size_t inserted, updated, unchanged, rejected;
	size_t converted_line;       /* not UTF-8 from this line on: read as
	                              * Windows-1252 (0: it was UTF-8) */
	size_t lost_line;            /* the first line holding U+FFFD, a character
	                              * lost before wrench read the file (0: none) */
	int date_order;              /* the order of day and month it read dates in
	                              * (CSVIO_DATE_AUTO: no D/M/YYYY date needed one) */
};

/* Imports a file.  Without rejects_path, any bad row means nothing is written:
 * every bad row is reported through on_bad and WR_EINPUT is returned with a
 * summary message.  Re-importing the same file changes nothing (upsert on
 * the natural key: location code, asset tag, asset+meter, meter+time, PM code,
 * work-order number, asset+date+event). */
int csvio_import(struct store *s, int entity, const char *path,
                 const struct csvio_import_opts *o, struct csvio_result *r, struct wr_err *e);

/* Writes every row of an entity, ordered by its natural key, in the same
 * columns import reads: export -> import into an empty database -> export
 * gives identical bytes.  Text cells a spreadsheet would run as a formula
 * (leading =, +, -, @, tab, CR) are neutralised with a leading apostrophe in
 * CSV, and the importer strips that apostrophe again. */
int csvio_export(struct store *s, int entity, int format, FILE *out, struct wr_err *e);
/* The same into the file at path, whole or not at all (outfile.h): a failed
 * export leaves an existing file as it was.  Refuses the database itself
 * and its journal files, by whatever name. */
int csvio_export_file(struct store *s, int entity, int format, const char *path,
                      struct wr_err *e);

#endif
