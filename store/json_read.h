/*
 * json_read.h - JSON and JSON Lines files read as the rows of a CSV file
 * (store/json_read.c), private to store/: so that a JSON import goes through
 * exactly the mapping, validation and atomic import of a CSV one.
 *
 * The document is an array of objects (what `wrench export --format json`
 * writes), or JSON Lines: one object a line (`--format jsonl`).  Each
 * object is a record, keyed by the entity's field names, the CSV headers,
 * and nothing else.  The header handed on first names the fields the
 * records use (in the descriptor's order), and each record's values become
 * its cells: null an empty cell, true/false yes/no, numbers their shortest
 * exact text, instants with an offset ("...Z", "...+02:00") the plant's
 * local wall clock.  A record whose keys or value types do not fit (an
 * unknown key, a number for a text field, an object anywhere) is handed on
 * with csv_row.bad saying why, and the importer reports it like any bad
 * row.  The row's line is the line the record starts on.
 */
#ifndef WRENCH_STORE_JSON_READ_H
#define WRENCH_STORE_JSON_READ_H

#include "csv_read.h"
#include "entity.h"

/* Reads path ("-" for standard input) as JSON (lines 0) or JSON Lines
 * (lines 1).  Returns WR_OK, the callback's code, or WR_EINPUT for a file
 * that is not UTF-8, not JSON, or not records, with a message naming the
 * line. */
int json_read_file(const char *path, const struct wr_entity *en, int lines, csv_row_fn fn,
                   void *ctx, struct wr_err *e);

#endif
