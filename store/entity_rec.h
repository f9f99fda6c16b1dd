/*
 * entity_rec.h - the store's side of the entity descriptors (include/
 * entity.h), private to store/: a record of any entity and what is done to
 * a whole one (entity_rec.c), the one place that parses, compares and
 * writes a value of each field type (entity_value.c), and the SQL that
 * reads and writes a whole record, built from the descriptor
 * (entity_sql.c).
 */
#ifndef WRENCH_STORE_ENTITY_REC_H
#define WRENCH_STORE_ENTITY_REC_H

#include <stdint.h>
#include "entity.h"
#include "internal.h"

/* One record of any entity.  The union members are the store's own
 * structs, so their fixed sizes (tag[64] ...) bound what is accepted. */
struct entity_rec {
	union {
		struct wr_location loc;
		struct wr_asset asset;
		struct wr_meter meter;
		struct wr_reading reading;
		struct wr_pm pm;
		struct wr_wo wo;
		struct wr_event ev;
		struct wr_stock stock;
	} u;
	int archived;           /* assets: Atlas "Archived", read on import only */
	char name[160];         /* PMs: Atlas "Name", read on import only (the code
	                         * and, without a title, the title) */
	int64_t pm_due;         /* work orders: the PM occurrence it stands for */
	int wopriority;         /* work orders: Maximo's WOPRIORITY (1 most urgent),
	                         * read on import only; 0 none */
	char failure_class[64]; /* work orders: Maximo's FAILURECODE, read on import only */
	char site[64];          /* locations: Maximo's SITEID, read on import only */
};

#define ENTITY_MAX_FIELDS 32   /* fields per entity (bit masks are 32 bits) */

/* The PM unit parser's value for "year", which the PM importer turns into
 * twelve months; no schedule stores it. */
#define PM_UNIT_YEAR 3
/* The meter kind parser's value for Atlas's "Usage", which the meter
 * importer turns into run hours (a unit of hours) or a counter. */
#define MK_USAGE 3

/* ---- records (entity_rec.c) ---- */

/* Fills rec with the entity's defaults (every time absent, numbers NAN). */
void entity_rec_init(const struct wr_entity *en, struct entity_rec *rec);
/* Frees the heap text of a record. */
void entity_rec_clear(const struct wr_entity *en, struct entity_rec *rec);
/* Makes dst a copy of src with heap text of its own: WR_OK, or WR_ENOMEM
 * (dst then holds no heap text). */
int entity_rec_copy(const struct wr_entity *en, struct entity_rec *dst,
                    const struct entity_rec *src);
/* Copies every field not in present from old into rec: WR_OK, or
 * WR_ENOMEM when heap text cannot be copied. */
int entity_rec_merge(const struct wr_entity *en, uint32_t present, struct entity_rec *rec,
                     const struct entity_rec *old);

/* 1 when an update may change field f: it is stored, not part of the key,
 * not the uuid. */
int entity_field_changes(const struct wr_field *f);
/* 1 when every field an update may change is the same in a and b. */
int entity_rec_same(const struct wr_entity *en, const struct entity_rec *a,
                    const struct entity_rec *b);

/* How entity_audit_changes writes the audit log: under the record's uuid
 * and key; fields with a flag of skip are left out (the uuid always is),
 * and so are those without a bit in only when it is not 0.  The store's
 * record modules name fields as `set` does ("install-date") and write
 * empty values as "", an import by their columns ("install_date") with
 * empty values NULL. */
struct entity_audit {
	const char *uuid, *key;
	unsigned skip;
	int set_names;
	uint32_t only;
};
/* Writes an audit row for every field that differs between old and nw:
 * the number of fields changed, with a bit per field in *changed, or -1
 * with e filled. */
int entity_audit_changes(struct store *s, const struct wr_entity *en, const struct entity_rec *old,
                         const struct entity_rec *nw, const struct entity_audit *how,
                         uint32_t *changed, struct wr_err *e);

/* ---- values of each type (entity_value.c) ---- */

/* Parses the len bytes at v (not NUL-terminated, not empty) into field f
 * of rec.  Text is checked against its buffer, dates by wr_date_parse,
 * numbers against their range (in a ';'-separated file, delim ';', a
 * decimal comma is read too), yes/no and enumerations by their words.
 * Returns 0, or -1 with why filled ("due: 'x' is not a date ...").  Text
 * fields are taken as given: trimming is the caller's. */
int entity_value_parse(const struct wr_field *f, const char *v, size_t len, char delim,
                       struct entity_rec *rec, char *why, size_t nwhy);
/* Empties field f of rec: "" for text and references, NULL on the heap,
 * no time, NAN; yes/no, whole numbers and enumerations keep the value
 * they have (a file's empty cell means their default). */
void entity_value_clear(const struct wr_field *f, struct entity_rec *rec);
/* 1 when field f holds the same value in a and b. */
int entity_value_same(const struct wr_field *f, const struct entity_rec *a,
                      const struct entity_rec *b);
/* Field f as canonical text: what export writes before quoting and what
 * the audit log records.  Returns buf or a pointer into rec; "" when
 * empty.  buf holds at least 64 bytes. */
const char *entity_value_text(const struct wr_field *f, const struct entity_rec *rec, char *buf,
                              size_t n);
/* 1 when field f is written as a number (not neutralised in CSV, unquoted
 * in JSON). */
int entity_value_numeric(const struct wr_field *f);
/* Looks s up in lists[v] ("word|other word|..." per value v, matched like
 * header names: any case, blanks and _ - . ignored); returns v or -1. */
int entity_word_lookup(const char *s, const char *const *lists, int n);

/* ---- fields changed one at a time (entity_value.c) ---- */

/* The index of the field `set` changes under name (any case, '_' and '-'
 * alike), or -1. */
int entity_set_field(const struct wr_entity *en, const char *name);
/* The names `set` takes, ", "-separated, into buf. */
void entity_set_names(const struct wr_entity *en, char *buf, size_t n);
/* The name `set` takes for field f (its cli name, else its name with '-'
 * for '_'), into buf of n bytes. */
const char *entity_set_name(const struct wr_field *f, char *buf, size_t n);
/* Parses value (NUL-terminated; empty empties the field) into field f of
 * rec as `set` does: WR_OK, or WR_EINPUT with e saying what is wrong,
 * under the field's `set` name. */
int entity_set_value(const struct wr_field *f, const char *value, struct entity_rec *rec,
                     struct wr_err *e);

/* ---- SQL built from the descriptor (entity_sql.c) ----
 * Each statement is built once for the process and kept, so its address
 * can be the key of the statement cache (store_stmt).  NULL only when the
 * descriptor does not fit the buffers, which the unit tests rule out.
 *
 * The read selects the row id, version and updated_at, then every field
 * with SQL (select or column), in the descriptor's order, from the table
 * and its joins: export appends its ORDER BY, the key read its WHERE on the
 * stored natural key, and a record module its own (entity_sql_read).  The
 * insert writes every field with a column, then updated_at; the update
 * every field an update may change (entity_field_changes), then
 * updated_at, with the row id last; both bind in that order from ?1. */
enum entity_stmt {
	ES_EXPORT,      /* the read, in export order */
	ES_BY_KEY,      /* the read of one record by its natural key */
	ES_BY_ID,       /* the read of one record by its row id (?1) */
	ES_INSERT,      /* INSERT ... ON CONFLICT DO NOTHING */
	ES_CREATE,      /* the same INSERT, failing on a conflict */
	ES_UPDATE,
	ES_MAX_ID,      /* the table's largest row id, 0 when empty */
	ES_UUID_TAKEN,  /* 1 when a row has the uuid ?1 */
	ES__COUNT
};
const char *entity_sql(const struct wr_entity *en, int stmt);
/* "UPDATE table SET column = ?1, version = version + 1, updated_at = ?2
 * WHERE id = ?3" for field i, which has a column. */
const char *entity_sql_set(const struct wr_entity *en, size_t i);

/* The read followed by suffix (a WHERE, ORDER BY or LIMIT clause), with
 * the columns extra (NULL: none) after the fields': built on first use and
 * kept for the process, known by the addresses of extra and suffix, which
 * must be string literals.  NULL when out of memory or room. */
const char *entity_sql_read(const struct wr_entity *en, const char *extra, const char *suffix);
/* entity_sql_read, with e filled when it gives NULL. */
const char *entity_sql_read_e(const struct wr_entity *en, const char *extra, const char *suffix,
                              struct wr_err *e);
/* The number of columns a read gives before extra ones: the index of the
 * first extra column. */
int entity_read_columns(const struct wr_entity *en);

/* Fills rec (holding its defaults) from a row of a read: the row id,
 * version and updated_at, and every field.  WR_OK, or WR_ENOMEM when heap
 * text cannot be copied. */
int entity_fill(const struct wr_entity *en, sqlite3_stmt *st, struct entity_rec *rec);
/* rec made afresh and filled from a row of a read: WR_OK, or WR_ENOMEM with
 * rec cleared (nothing to free). */
int entity_read_row(const struct wr_entity *en, sqlite3_stmt *st, struct entity_rec *rec);

/* Reads the stored record with rec's natural key (references as the row
 * ids in ref, by field) into old, which it initialises (the caller clears
 * it): the row id, 0 when there is none, -1 with e filled on an error. */
int64_t entity_read_key(struct store *s, const struct wr_entity *en, const struct entity_rec *rec,
                        const int64_t *ref, struct entity_rec *old, struct wr_err *e);

/* Binds field i of rec as parameter `param`; ref is the row id a
 * reference resolved to (0: none, NULL). */
void entity_bind_field(struct store_binds *b, int param, const struct wr_field *f,
                       const struct entity_rec *rec, int64_t ref);
/* Binds a whole record to ES_INSERT, ES_CREATE or ES_UPDATE (id: the
 * row's, 0 for an insert); ref[i] is the row id field i refers to. */
void entity_bind_write(struct store_binds *b, const struct wr_entity *en, int update,
                       const struct entity_rec *rec, const int64_t *ref, int64_t id,
                       int64_t now);
/* Binds the stored natural key of rec to ES_BY_KEY. */
void entity_bind_key(struct store_binds *b, const struct wr_entity *en,
                     const struct entity_rec *rec, const int64_t *ref);

/* Inserts rec (ES_CREATE; a new UUIDv7 in uuid, rec's own uuid field, when
 * it has none) with its references in ref; what says what is being done,
 * for the error.  The caller audits the creation. */
int entity_create(struct store *s, const struct wr_entity *en, struct entity_rec *rec,
                  char *uuid, const int64_t *ref, const char *what, struct wr_err *e);
/* Writes nw over the stored old (row id, ES_UPDATE, unchecked) and audits
 * each changed field under uuid and key. */
int entity_update(struct store *s, const struct wr_entity *en, int64_t id,
                  const struct entity_rec *old, const struct entity_rec *nw, const int64_t *ref,
                  const char *uuid, const char *key, const char *what, struct wr_err *e);

#endif
