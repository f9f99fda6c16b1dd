/*
 * entity.h - every entity wrench imports, exports and syncs, described once
 * (store/entity.c holds the tables).
 *
 * One descriptor per entity, in the spirit of tig's request table and
 * Redis's command table: its name, its SQL table, whether it is append-only
 * and who may write it, and one line per field.  A field's line says what
 * the field is (type, bounds, natural key, required), what it is called
 * (the CSV column, which is also the JSON key and the field the audit log
 * names; the other header names import accepts), where it lives (the SQL
 * column written, the expression read) and how it behaves: whether `set`
 * changes it one at a time, whether a technician may change it, how sync
 * merges it.  CSV import and export, JSON export, `set`, the store's reads
 * and writes of each record and its audit log all read these tables, so
 * adding a field is one line here (with the schema migration that adds its
 * column and the member of the store's struct that holds it).
 */
#ifndef WRENCH_ENTITY_H
#define WRENCH_ENTITY_H

#include <stddef.h>

/* The entities, in the order their files are usually imported.  The ones
 * after CE__COUNT are parts of a work order that sync carries as records
 * of their own (docs/sync-api.md section 7) but that are no file: CSV
 * import and export, completion and the entity names stop at CE__COUNT. */
enum csv_entity {
	CE_LOCATIONS, CE_ASSETS, CE_METERS, CE_READINGS, CE_PMS, CE_WORKORDERS, CE_HISTORY,
	CE_INVENTORY,
	CE__COUNT,
	CE_CHECKS = CE__COUNT, CE_NOTES, CE_LABOUR, CE_PARTS,
	CE_SETTINGS,   /* the reports' settings (report.h): plant-wide, the planner's */
	CE__ALL
};

/* A field's type.  Every value of one type is parsed, compared and written
 * by the same code (store/entity_value.c). */
enum wr_ftype {
	FT_TEXT,        /* text, at most the record's buffer (or hi bytes, on the heap) */
	FT_DATE,        /* a calendar date: YYYY-MM-DD (an instant at local midnight) */
	FT_DATETIME,    /* an instant: YYYY-MM-DD HH:MM:SS, local time */
	FT_ENUM,        /* one of a list of names (ename, eparse), values lo..hi */
	FT_BOOL,        /* yes or no */
	FT_INT,         /* a whole number, lo..hi or the range of an enum wr_num */
	FT_NUMBER,      /* a number, within the range of an enum wr_num when range is set */
	FT_REF,         /* another record, named by its key (a tag, a code) */
	FT_UUID         /* the record's own UUID, lower case */
};

/* How sync merges a field (docs/sync-api.md, 4.1 and 4.4). */
enum wr_merge {
	MERGE_FIELD,    /* field by field against the base; the server's order decides,
	                 * and a field changed on both sides is a conflict */
	MERGE_APPEND,   /* written once when the record is created, never changed */
	MERGE_SERVER,   /* the server assigns it (a device's value is provisional) */
	MERGE_NONE      /* never synced: derived on each device, or read on import only */
};

/* Field flags. */
#define EF_KEY      0x001u  /* part of the natural key: never empty, matched on import */
#define EF_REQUIRED 0x002u  /* a CSV file must have the column */
#define EF_NONEMPTY 0x004u  /* every row needs a value */
#define EF_KEEP     0x008u  /* an empty cell leaves the stored value as it is */
#define EF_IMPORT   0x010u  /* read on import only (Atlas extras), never stored or exported */
#define EF_HIDDEN   0x020u  /* stored but in no file: derived by the store */
#define EF_LINES    0x040u  /* free text: kept as written (not trimmed), CRLF read as LF */
#define EF_HEAP     0x080u  /* text on the heap (char *), not a fixed buffer */
#define EF_SET      0x100u  /* `set` changes it one at a time (other fields follow
                             * their record's own rules: keys, the state machine) */
#define EF_TECH     0x200u  /* a technician may change it (else only a planner) */
#define EF_NAMED    0x400u  /* a key a file may leave empty when it names the column
                             * otherwise than by the field's name (Atlas's blank
                             * ID): import makes it from the record's name
                             * (csv_imp_key_from_name) */

struct entity_rec;           /* the store's record of any entity (store/) */

struct wr_field {
	const char *name;        /* the CSV column, the JSON key, the audit log's field */
	const char *aliases;     /* other header names import accepts, '|'-separated
	                          * (NULL: none);
	                          * '~' before one marks a column that names the record
	                          * referred to by its name, not its key ("Parent Asset");
	                          * '=' before one names another field's column that this
	                          * field takes when no column of its own feeds it and the
	                          * file names the key otherwise than wrench (Maximo's
	                          * DESCRIPTION is a name or a title) */
	int type;                /* enum wr_ftype */
	unsigned flags;          /* EF_* */
	int merge;               /* enum wr_merge */
	long lo, hi;             /* FT_INT, FT_ENUM: the values allowed; FT_TEXT on the
	                          * heap: the most bytes (0: no limit) */
	int range;               /* FT_INT, FT_NUMBER: 1 + the enum wr_num whose range
	                          * applies (store_num_check), 0 none */
	const char *(*ename)(int);           /* FT_ENUM: a value's name */
	int (*eparse)(const char *, int *);  /* FT_ENUM: a word's value */
	int ref;                 /* FT_REF: the entity referred to (enum csv_entity) */
	const char *column;      /* the SQL column written (a reference: its id), or NULL */
	const char *select;      /* the SQL expression read, over the entity's joins;
	                          * NULL: the column of the entity's own table */
	const char *cli;         /* the name `set` takes when it is not name with '-'
	                          * for '_' */
	size_t off, size;        /* the store's own: where the value lives in its record */
	const char *wire;        /* sync: the SQL of the wire value over the row "@." when it
	                          * is not read from column (a reading's asset, through its
	                          * meter); NULL: from column */
};

struct wr_entity {
	int id;                  /* enum csv_entity */
	const char *name;        /* "assets": commands, file names, JSON */
	const char *words;       /* every name accepted for it, '|'-separated */
	const char *table;       /* its SQL table, which is also the audit log's entity */
	const char *alias;       /* the table's alias in the SQL read */
	const char *joins;       /* the joins that read its references */
	const char *order;       /* export order: the natural key */
	int append_only;         /* records are created, never changed (sync 4.4) */
	int writer;              /* the least role that may write it (enum wr_role) */
	void (*init)(struct entity_rec *rec);  /* the store's defaults for a new record */
	const struct wr_field *f;
	size_t n;
	size_t version_off, updated_off;  /* the store's own: where its record keeps the row's
	                         * version and updated_at (the row id comes first) */
	int sync_only;           /* no file: synced only (entities after CE__COUNT) */
	int no_version;          /* its table keeps no version or updated_at (notes) */
	const char *draft;       /* sync: an SQL condition over the row "@." for a row that
	                          * is not a record yet (a running labour timer): it is sent
	                          * when the condition stops holding; NULL: none */
};

/* The descriptor of an entity (CE_LOCATIONS .. CE__ALL - 1), NULL for a
 * number that is none. */
const struct wr_entity *wr_entity_get(int entity);
/* The entity whose sync name (its name) is name, or NULL. */
const struct wr_entity *wr_entity_by_name(const char *name);
/* The index of the field with that name (exactly), or -1. */
int wr_entity_field(const struct wr_entity *en, const char *name);

#endif
