/*
 * csv_import.h - what the CSV import driver (csv_import.c) shares with the
 * per-entity row handlers (csv_import_rec.c: locations, assets;
 * csv_import_meter.c: meters, readings, history; csv_import_wo.c;
 * csv_import_pm.c) and their helpers (csv_import_help.c).  Private to
 * store/.
 *
 * The driver reads the file, maps the header, parses each row into a struct
 * entity_rec and hands it to the entity's handler, which resolves references
 * and checks what its entity requires, then inserts, updates (audited field
 * by field) or leaves the record alone, and says which it did.  The SQL of
 * every insert, read and update is built from the entity's descriptor
 * (csv_row_insert, csv_row_old, csv_row_update below), so a handler lists no
 * columns.
 */
#ifndef WRENCH_STORE_CSV_IMPORT_H
#define WRENCH_STORE_CSV_IMPORT_H

#include <stdio.h>
#include "csvio.h"
#include "internal.h"
#include "csv_map.h"

/* What a handler did with a row. */
enum {
	ROW_FATAL = -1,     /* stop the import: e says why */
	ROW_INSERTED,
	ROW_UPDATED,
	ROW_UNCHANGED,
	ROW_BAD,            /* why says what to fix */
	ROW_DEFER           /* needs a record later in the file: try again at the end */
};

/* Text key -> row id, filled as keys are looked up or inserted. */
struct csv_keys {
	char **key;
	int64_t *id;
	size_t cap, n;
};

/* A set of row ids. */
struct csv_ids {
	int64_t *v;
	size_t cap, n;
};

struct csv_imp {
	struct store *s;
	const struct wr_entity *en;
	struct csv_colmap cm;
	int64_t now;
	int64_t max_id;         /* the entity table's largest id before the import */
	struct csv_ids seen;    /* existing rows this file has already touched */
	struct csv_keys assets, locations, pms, wos, parts;
	uint32_t present;       /* fields the current row sets */
	uint32_t byname;        /* fields the current row names by name */
	int64_t ref[ENTITY_MAX_FIELDS];  /* the row ids the current row's references
	                         * resolved to, by field (0: none) */
	int final_pass;         /* retrying deferred rows: no more deferring */
	char *quiet;            /* the SQL of the outbox insert trigger the import
	                         * dropped (store_sync_bulk_begin), made again after
	                         * the last row; NULL when none */
};

/* Row handlers.  rec holds the parsed row (defaults where the file is
 * silent); the handler may modify it. */
typedef int (*csv_row_handler)(struct csv_imp *im, struct entity_rec *rec, char *why,
                               size_t nwhy, struct wr_err *e);
int csv_import_location(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                        struct wr_err *e);
int csv_import_asset(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                     struct wr_err *e);
int csv_import_meter(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                     struct wr_err *e);
int csv_import_reading(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                       struct wr_err *e);
int csv_import_event(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                     struct wr_err *e);
int csv_import_pm(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                  struct wr_err *e);
int csv_import_wo(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                  struct wr_err *e);
int csv_import_stock(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                     struct wr_err *e);
/* After the last row of work orders: the outbox entries of the work orders
 * the import inserted, their insert trigger made again (csv_import.c dropped
 * it, im->quiet), their failure events (with their outbox entries) and their
 * fault-search index entries. */
int csv_import_wo_finish(struct csv_imp *im, struct wr_err *e);

/* ---- helpers for the handlers (csv_import.c) ---- */

/* Resolves reference field `field` of rec (to an asset, a location, a PM
 * schedule or a work order) by its key or, when the row named it in a by-name column, by a
 * unique name (and then puts the record's real key in its place, so that
 * comparisons with what the database holds see like with like); keeps the
 * row id in im->ref.  Returns the id (> 0), 0 when there is none (why says
 * so), -2 when the name is ambiguous (why says so), or -1 on a database
 * error (e filled). */
int64_t csv_imp_ref(struct csv_imp *im, struct entity_rec *rec, int field, char *why,
                    size_t nwhy, struct wr_err *e);
/* A key for a record whose row leaves it empty (field, an EF_NAMED key):
 * the key of the stored record with that name (locations, assets), else
 * one made from the name ("Main Facility 1" -> MAIN-FACILITY-1) and, when
 * a record of another name has it, "-2", "-3" ...; so importing the same
 * file again finds the same records.  0 (the key filled), ROW_BAD (why
 * says why) or ROW_FATAL. */
int csv_imp_key_from_name(struct csv_imp *im, struct entity_rec *rec, int field,
                          const char *name, char *why, size_t nwhy, struct wr_err *e);
/* After a merge: resolves the references that came from the stored record
 * (so the update writes their ids).  0 to go on, else the handler's result (see csv_ref_result). */
int csv_imp_merged_refs(struct csv_imp *im, struct entity_rec *rec, char *why, size_t nwhy,
                        struct wr_err *e);
/* Remembers a key inserted by this import. */
int csv_keys_put(struct csv_keys *k, const char *key, int64_t id);
void csv_keys_free(struct csv_keys *k);

/* Called when a row's key matched an existing row: 1 when this file already
 * inserted or touched that row (the key is repeated: why says so), else 0
 * after remembering it; -1 when out of memory. */
int csv_imp_repeated(struct csv_imp *im, int64_t id, const char *key, char *why, size_t nwhy,
                     struct wr_err *e);

/* Fills the fields the row does not set from the stored record old:
 * 0, or -1 with e filled when out of memory. */
int csv_imp_merge(struct csv_imp *im, struct entity_rec *rec, const struct entity_rec *old,
                  struct wr_err *e);

/* Compares rec with old field by field (fields the row does not set have
 * been merged from old already), writing one audit row per changed field
 * under the record's uuid and key.  Returns the number of changed fields, or
 * -1 with e filled.  `changed` gets a bit per changed field. */
int csv_imp_audit_changes(struct csv_imp *im, const struct entity_rec *rec,
                          const struct entity_rec *old, const char *uuid, const char *key,
                          uint32_t *changed, struct wr_err *e);

/* The record's SQL, from its descriptor.  csv_row_insert inserts rec (a
 * new UUIDv7 in its uuid when the row gives none), references as in
 * im->ref: 1 inserted, 0 when a uniqueness rule refused it (the key
 * exists), -1 error.  csv_row_old reads the stored record with rec's
 * natural key into old (which it initialises; the caller clears it): its
 * row id, 0 when there is none, -1 error.  csv_row_update writes rec over
 * row id: WR_OK or the error. */
int csv_row_insert(struct csv_imp *im, struct entity_rec *rec, const char *what,
                   struct wr_err *e);
int64_t csv_row_old(struct csv_imp *im, const struct entity_rec *rec, struct entity_rec *old,
                    struct wr_err *e);
int csv_row_update(struct csv_imp *im, int64_t id, const struct entity_rec *rec,
                   const char *what, struct wr_err *e);
/* The uuid of rec (its entity's uuid field). */
const char *csv_rec_uuid(const struct csv_imp *im, const struct entity_rec *rec);

/* When a failed insert was refused by a uniqueness rule other than the
 * natural key, says which (uuid taken ...) in why and returns ROW_BAD. */
int csv_imp_unique_clash(struct csv_imp *im, const char *uuid, char *why, size_t nwhy,
                         struct wr_err *e);

/* Check the binds of a statement, step it and reset it.  csv_step_done is
 * for a statement that returns no rows: WR_OK or the error in e (what says
 * what was being done).  csv_step_insert is for an INSERT ... ON CONFLICT DO
 * NOTHING: 1 inserted, 0 not, -1 error. */
int csv_step_done(struct store *s, const struct store_binds *b, const char *what,
                  struct wr_err *e);
int csv_step_insert(struct store *s, const struct store_binds *b, const char *what,
                    struct wr_err *e);
/* Maps a key lookup (csv_imp_ref) onto a handler result: 0 to go on
 * (found), ROW_DEFER when a parent may come later in the file, ROW_BAD,
 * ROW_FATAL. */
int csv_ref_result(int64_t id, int may_defer, const struct csv_imp *im);
/* For the n rows still waiting for a parent at the end of an import (row
 * i has the key key[i] and the name name[i], names the parent parent[i] -
 * by its name when by_name[i], else by its key - and starts on line
 * line[i]): why[i] gets an allocated message for each row in a parent loop
 * ("parent loop: A -> B -> A (lines 2, 3)") or below one, NULL for the
 * others, whose parent is nowhere.  WR_OK, or WR_ENOMEM with every why[i]
 * NULL. */
int csv_parent_loops(const char *const *key, const char *const *name, const char *const *parent,
                     const unsigned char *by_name, const size_t *line, size_t n, char **why,
                     struct wr_err *e);
/* A bit per named field (NULL-terminated names). */
uint32_t csv_field_bits(const struct wr_entity *en, const char *const *names);

/* The index of a field by name, looked up once per call site: so only in a
 * function that serves one entity. */
#define FIELD(var, name)                                                                    \
	static int var = -2;                                                                    \
	if (var == -2)                                                                          \
	var = wr_entity_field(im->en, name)

/* The non-unique indexes of an entity's table, dropped for a large import
 * (see csv_import.c) and built again from their saved SQL. */
struct csv_saved_indexes {
	char **sql;
	size_t n;
};
int csv_drop_indexes(struct store *s, int entity, struct csv_saved_indexes *saved,
                     struct wr_err *e);
int csv_restore_indexes(struct store *s, struct csv_saved_indexes *saved, struct wr_err *e);
void csv_free_indexes(struct csv_saved_indexes *saved);

#endif
