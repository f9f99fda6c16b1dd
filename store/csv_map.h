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
};

/* Matches the header row.  Unknown columns are ignored.  A missing required
 * column is an error naming it and the names accepted for it; so is a
 * header that names the same column twice. */
int csv_map_header(const struct wr_entity *en, const struct csv_row *hdr,
                   struct csv_colmap *cm, struct wr_err *e);

/* Parses a data row into rec (which must hold the defaults).  present gets a
 * bit per field that the row sets (fields whose column is absent, or empty
 * with EF_KEEP, are left out); byname a bit per field whose value came from a
 * by-name column.  An empty cell empties its field (entity_value_clear);
 * a whole number, yes/no or enumeration keeps its default.  Returns 0, or
 * -1 with why filled ("due: 'x' is not a date ...").  The row's text is not
 * modified. */
int csv_map_row(const struct wr_entity *en, const struct csv_colmap *cm,
                const struct csv_row *row, struct entity_rec *rec, uint32_t *present,
                uint32_t *byname, char *why, size_t nwhy);

#endif
