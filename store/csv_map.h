/*
 * csv_map.h - the columns of each CSV entity, private to store/.
 *
 * One table per entity describes every column: its canonical name (what
 * export writes and the audit log calls the field), the other header names
 * import accepts (aliases, including Atlas CMMS's template headers), its
 * type, and where the value lives in a struct csv_rec.  Import, export and
 * the field-by-field comparison behind re-imports all work from these
 * tables, so a column is declared once.
 */
#ifndef WRENCH_STORE_CSV_MAP_H
#define WRENCH_STORE_CSV_MAP_H

#include <stddef.h>
#include <stdint.h>
#include "store.h"
#include "csv_read.h"

enum csv_ftype {
	FT_KEY,     /* fixed text, trimmed, never empty: part of the natural key */
	FT_TEXT,    /* fixed text, trimmed */
	FT_NOTE,    /* fixed free text: kept as written apart from CRLF -> LF */
	FT_HEAP,    /* heap free text (char *), same rules as FT_NOTE */
	FT_TIME,    /* int64 instant (wr_date_parse / wr_date_fmt) */
	FT_INT,     /* int within lo..hi */
	FT_REAL,    /* double, NAN when empty */
	FT_BOOL,    /* int 0/1: yes/no */
	FT_ENUM,    /* int with a name function and a parser; values lo..hi */
	FT_UUID     /* char[WR_UUID_BUF] */
};

#define CF_REQUIRED 0x01u  /* the column must be in the file */
#define CF_IMPORT   0x02u  /* read on import only (Atlas extras), never exported */
#define CF_KEEP     0x04u  /* an empty cell leaves the field as it is */
#define CF_NONEMPTY 0x08u  /* every row needs a value */

struct csv_field {
	const char *name;       /* canonical column name */
	const char *aliases;    /* '|'-separated other names; '~' before one marks
	                         * a column that names the record by its name
	                         * rather than its key (Atlas "Parent Asset") */
	int type;
	size_t off, size;       /* place in struct csv_rec; size of fixed text */
	long lo, hi;            /* FT_INT and FT_ENUM range */
	const char *(*ename)(int);
	int (*eparse)(const char *, int *);
	unsigned flags;
	int range;              /* FT_INT, FT_REAL: 1 + the enum wr_num whose range
	                         * the value must lie in (store_num_parse), 0 none */
};

/* One record of any entity.  The union members are the store's own structs,
 * so the fixed sizes (tag[64] ...) bound what import accepts. */
struct csv_rec {
	union {
		struct wr_location loc;
		struct wr_asset asset;
		struct wr_meter meter;
		struct wr_reading reading;
		struct wr_pm pm;
		struct wr_wo wo;
		struct wr_event ev;
	} u;
	int archived;           /* Atlas "Archived" on assets: import only */
};

#define CSV_MAP_MAX 32      /* fields per entity (bit masks are 32 bits) */
#define CSV_MAX_ALT 6       /* header columns that may feed one field */

struct csv_entity_map {
	int entity;             /* enum csv_entity */
	const char *name;       /* "assets" */
	const char *audit;      /* audit-log entity name: "asset" */
	const struct csv_field *f;
	size_t n;
};

/* Which file columns feed each field, in order of preference: the first
 * non-empty one gives the value. */
struct csv_colmap {
	int ncol[CSV_MAP_MAX];
	int col[CSV_MAP_MAX][CSV_MAX_ALT];
	unsigned char byname[CSV_MAP_MAX][CSV_MAX_ALT];
	size_t nhead;           /* columns in the header */
};

const struct csv_entity_map *csv_map_entity(int entity);
/* Index of the field with that canonical name, or -1. */
int csv_map_index(const struct csv_entity_map *m, const char *name);

/* Fills rec with the entity's defaults (every time absent, reals NAN). */
void csv_rec_init(const struct csv_entity_map *m, struct csv_rec *rec);
/* Frees the heap text of a record. */
void csv_rec_clear(const struct csv_entity_map *m, struct csv_rec *rec);

/* Matches the header row.  Unknown columns are ignored.  A missing required
 * column is an error naming it and the names accepted for it; so is a
 * header that names the same column twice. */
int csv_map_header(const struct csv_entity_map *m, const struct csv_row *hdr,
                   struct csv_colmap *cm, struct wr_err *e);

/* Parses a data row into rec (which must hold the defaults).  present gets a
 * bit per field that the row sets (fields whose column is absent, or empty
 * with CF_KEEP, are left out); byname a bit per field whose value came from a
 * by-name column.  Returns 0, or -1 with why filled ("due: 'x' is not a date
 * ...").  The row's text is not modified. */
int csv_map_row(const struct csv_entity_map *m, const struct csv_colmap *cm,
                const struct csv_row *row, struct csv_rec *rec, uint32_t *present,
                uint32_t *byname, char *why, size_t nwhy);

/* Copies every field not in present from old into rec (heap text moves). */
void csv_map_merge(const struct csv_entity_map *m, uint32_t present, struct csv_rec *rec,
                   struct csv_rec *old);

/* 1 when field i holds the same value in a and b. */
int csv_map_same(const struct csv_entity_map *m, size_t i, const struct csv_rec *a,
                 const struct csv_rec *b);

/* Field i as canonical text (what export writes before quoting).  Returns a
 * pointer to buf or into rec; "" when empty.  buf holds at least 64 bytes. */
const char *csv_map_text(const struct csv_entity_map *m, size_t i, const struct csv_rec *rec,
                         char *buf, size_t n);

/* 1 when a field of this type is written as a number (not neutralised in
 * CSV, unquoted in JSON). */
int csv_map_numeric(const struct csv_field *f);

/* Looks s up in lists[v] ("word|other word|..." per value v, matched like
 * header names: any case, blanks and _ - . ignored); returns v or -1. */
int csv_word_lookup(const char *s, const char *const *lists, int n);

/* Names for the store enums that store.h leaves to CSV. */
const char *csv_meter_kind_name(int k);
const char *csv_pm_kind_name(int k);
const char *csv_pm_unit_name(int u);
#define CSV_PU_YEAR 3       /* the unit parser's value for "year": 12 months */

#endif
