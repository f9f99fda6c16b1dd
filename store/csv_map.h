/*
 * csv_map.h - how the columns of a CSV file map onto an entity's fields
 * (the descriptors of include/entity.h), private to store/: matching the
 * header row against the fields' names and aliases, and reading a data row
 * into a record (csv_field.c).
 */
#ifndef WRENCH_STORE_CSV_MAP_H
#define WRENCH_STORE_CSV_MAP_H

#include <stddef.h>
#include <stdint.h>
#include "csv_read.h"
#include "entity_rec.h"

#define CSV_MAX_ALT 6       /* header columns that may feed one field */

/* Which file columns feed each field, in order of preference: the first
 * non-empty one gives the value. */
struct csv_colmap {
	int ncol[ENTITY_MAX_FIELDS];
	int col[ENTITY_MAX_FIELDS][CSV_MAX_ALT];
	unsigned char byname[ENTITY_MAX_FIELDS][CSV_MAX_ALT];
	size_t nhead;           /* columns in the header */
	uint32_t own_name;      /* a bit per field the header names by its own name */
	/* The order of day and month in the file's D/M/YYYY dates (enum
	 * csvio_date_order): given, or proven by the first unambiguous date
	 * (its line and text, for messages). */
	int date_order;
	size_t order_line;
	char order_text[24];
};

/* Matches the header row.  Unknown columns are ignored.  A missing required
 * column is an error naming it and the names accepted for it; so is a
 * header that names the same column twice. */
int csv_map_header(const struct wr_entity *en, const struct csv_row *hdr,
                   struct csv_colmap *cm, struct wr_err *e);

/* Parses a data row into rec (which must hold the defaults); dates in the
 * file's order of day and month, which an unambiguous one settles.  present gets a
 * bit per field that the row sets (fields whose column is absent, or empty
 * with EF_KEEP, are left out); byname a bit per field whose value came from a
 * by-name column.  An empty cell empties its field (entity_value_clear);
 * a whole number, yes/no or enumeration keeps its default.  Returns 0, or
 * -1 with why filled ("due: 'x' is not a date ..."), or -2 when a date is
 * ambiguous and the order still open (csv_date_scan).  The row's text is
 * not modified. */
int csv_map_row(const struct wr_entity *en, struct csv_colmap *cm,
                const struct csv_row *row, struct entity_rec *rec, uint32_t *present,
                uint32_t *byname, char *why, size_t nwhy);

/* ---- the order of day and month (csv_dates.c) ---- */

/* What a D/M/YYYY date says about the order (the first two numbers). */
enum { DATE_PLAIN, DATE_AMBIGUOUS, DATE_PROVES_DMY, DATE_PROVES_MDY };
int csv_date_kind(const char *v, size_t len);
/* A date cell of row as wr_date_parse reads it (M/D/YYYY): v itself, or
 * its day and month swapped into buf (n bytes) for a day-first file.  An
 * unambiguous date settles an order that is still open (cm->date_order
 * CSVIO_DATE_AUTO).  Returns the text, or NULL with why filled: a date
 * against the file's order (-1 in *rc), or an ambiguous one while the
 * order is open (-2 in *rc). */
const char *csv_date_cell(struct csv_colmap *cm, const struct csv_row *row,
                          const struct wr_field *f, const char *v, size_t len, char *buf,
                          size_t n, int *rc, char *why, size_t nwhy);
/* Reads path again (through opts) for the first unambiguous date in the
 * columns cm maps to dates, and settles cm->date_order by it when there
 * is one.  WR_OK (settled or not), or the reader's error. */
int csv_date_scan(const struct wr_entity *en, struct csv_colmap *cm, const char *path,
                  struct csv_read_opts *opts, struct wr_err *e);
/* The message for a date nothing settles: line, the date. */
void csv_date_unsettled(size_t line, const char *v, char *why, size_t nwhy);

#endif
