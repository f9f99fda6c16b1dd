/*
 * sync_internal.h - what the store's sync files (store/sync_*.c) share:
 * a growing SQL text, the wire value of a field as SQL (both ways), the
 * fields a record keeps while local edits wait, and the write of a
 * server's record.  include/store_sync.h is the contract they implement.
 */
#ifndef WRENCH_STORE_SYNC_INTERNAL_H
#define WRENCH_STORE_SYNC_INTERNAL_H

#include <stdint.h>

#include "entity_rec.h"
#include "store_sync.h"

/* ---- a growing text (sync_sql.c) ---- */
struct sbuf {
	char *p;
	size_t len, cap;
	int oom;                 /* an allocation failed: p is incomplete */
};
void sbuf_put(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s with every "@." replaced by row and a dot. */
void sbuf_put_row(struct sbuf *b, const char *s, const char *row);
/* Appends v as JSON. */
void sbuf_put_value(struct sbuf *b, const struct sync_value *v);
void sbuf_free(struct sbuf *b);
/* Runs the statement b holds (made for one entity, so not one of the
 * store's cached statements: store_stmt keeps those by the address of
 * their text) with the integers arg[0..n) as ?1..?n, then frees b.
 * *changes (when not NULL) gets the rows it changed.  WR_OK or an error
 * naming what. */
int sbuf_run(struct store *s, struct sbuf *b, const int64_t *arg, int n, int64_t *changes,
             const char *what, struct wr_err *e);

/* ---- statements by what they do (sync_stmt.c) ---- */
enum sync_stmt_kind { SYNC_STMT_INSERT, SYNC_STMT_UPDATE, SYNC_STMT_AUDIT };
/* The prepared statement of kind over the fields in mask of en, made
 * once per (entity, kind, mask): build(sql, ctx) appends its text the
 * first time only.  *own is set when the statement is the caller's to
 * finalize (every key is taken); sync_stmt_done releases it either way.
 * NULL on an error (in e). */
sqlite3_stmt *sync_stmt(struct store *s, const struct wr_entity *en, int kind, uint32_t mask,
                        void (*build)(struct sbuf *sql, const void *ctx), const void *ctx,
                        int *own, struct wr_err *e);
void sync_stmt_done(sqlite3_stmt *st, int own);

/* ---- which fields sync carries (sync_wire.c) ---- */
/* 1 when a create sends field f (every stored field but the uuid, the
 * derived and the import-only ones). */
int sync_field_created(const struct wr_field *f);
/* 1 when an update sends field f (MERGE_FIELD ones). */
int sync_field_updated(const struct wr_field *f);

/* Appends the SQL of field f's wire value over the row named row ("NEW",
 * "OLD", a table alias): what the outbox triggers write. */
void sync_wire_sql(struct sbuf *b, const struct wr_field *f, const char *row);
/* Appends the SQL of a create's fields over the row named row:
 * json_object('f', json_object('new', wire), ...) of every created field. */
void sync_create_sql(struct sbuf *b, const struct wr_entity *en, const char *row);
/* Appends an SQL value that compares equal exactly when the wire values
 * are equal (text: '' and NULL alike). */
void sync_cmp_sql(struct sbuf *b, const struct wr_field *f, const char *row);
/* Appends the SQL that turns parameter ?param (bound by sync_bind) into
 * field f's column value. */
void sync_param_sql(struct sbuf *b, const struct wr_field *f, int param);
/* Binds wire value v of field f as ?param.  WR_OK, or WR_EINPUT with e
 * saying what is wrong with the value (a server that breaks the protocol). */
int sync_bind(struct store_binds *b, int param, const struct wr_field *f,
              const struct sync_value *v, struct wr_err *e);
/* The row id of the record reference f names by uuid: 0 when it is not
 * here (yet), -1 on an error. */
int64_t sync_ref_id(struct store *s, const struct wr_field *f, const char *uuid,
                    struct wr_err *e);

/* ---- the device's state (sync_state.c) ---- */
/* Sets sync_state.applying (inside the caller's transaction). */
int sync_applying(struct store *s, int on, struct wr_err *e);
/* Now, UTC seconds since the epoch (the outbox's own times). */
int64_t sync_utc_now(void);

/* ---- a pulled page being applied (sync_apply.c) ---- */
/* What the writes of one page gather for its end, and what the page
 * knew at its start.  The fault index is brought up to date once for the
 * page's work orders (one FTS5 segment, not one per work order). */
struct sync_page_ctx {
	struct sbuf fault_ids;  /* "[id,id,...": the work orders written */
	int fault_had;          /* one of them had a row before */
	int local;              /* local edits or conflicts wait: look for kept fields */
	size_t created;         /* records new here (the audit log counts them) */
	int parked;             /* changes are kept for later (sync_parked) */
	int load;               /* an initial load: indexes wait for its end (sync_load.c) */
	int fresh;              /* the record is taken to be new here (sync_apply.c) */
};

/* ---- an empty device's first sync (sync_load.c) ---- */
/* At the start of page p (in its transaction): *load = 1 when a load is
 * under way, or starts now because p is the first of several pages into
 * an empty device with no local edits waiting (local = 0): the list
 * indexes of assets and work orders are dropped and kept to be built at
 * its end, and the fault index waits for it too. */
int sync_load_start(struct store *s, const struct sync_page *p, int local, int *load,
                    struct wr_err *e);
/* At the end of the last page of a load (in its transaction): the indexes
 * built and the fault index filled. */
int sync_load_end(struct store *s, struct wr_err *e);

/* ---- the audit log of what a pull changed (sync_audit.c) ---- */
/* The wire values of the fields of en in mask of row id, as a JSON object
 * (*out, to free; NULL when there is no such row). */
int sync_audit_values(struct store *s, const struct wr_entity *en, uint32_t mask, int64_t id,
                      char **out, struct wr_err *e);
/* One audit row per field whose wire value differs between before and
 * after (from sync_audit_values), by "sync (BY)" when the feed said who
 * made the change (by), else by "sync". */
int sync_audit_changes(struct store *s, const struct wr_entity *en, const char *uuid,
                       const char *by, const char *before, const char *after,
                       struct wr_err *e);
/* One audit row for a page that brought records new here. */
int sync_audit_page(struct store *s, size_t created, struct wr_err *e);

/* ---- records (sync_record.c) ---- */
/* The bit of every field of en that local edits still wait on for the
 * record uuid: fields of its pending and rejected outbox entries and of its
 * open conflicts.  WR_OK or an error. */
int sync_kept_fields(struct store *s, const struct wr_entity *en, const char *uuid,
                     uint32_t *kept, struct wr_err *e);
/* Writes record r of en into the store (an insert when no row has its
 * uuid), every field of r except those in kept, with version as the row's
 * version.  *parked is set (and nothing written) when r refers to a
 * record not here yet or its key is taken by another: the caller keeps
 * it for later.  With a page (pg), a work order's fault index waits for
 * the page's end; without (NULL), it is updated now.  id is the row id
 * of r's uuid when the caller knows it (0: none), else -1.  Expects
 * applying = 1.  WR_OK or an error. */
int sync_write_record(struct store *s, const struct wr_entity *en, const struct sync_record *r,
                      uint32_t kept, struct sync_page_ctx *pg, int64_t id, int *parked,
                      struct wr_err *e);
/* Moves a local work order of another uuid off number (to a provisional
 * one), so that the record uuid can take it. */
int sync_free_number(struct store *s, const char *number, const char *uuid, struct wr_err *e);
/* The row id of the record of en with that uuid, 0 when none, -1 error. */
int64_t sync_row_id(struct store *s, const struct wr_entity *en, const char *uuid,
                    struct wr_err *e);
/* Keeps version as the server version of uuid (sync_base). */
int sync_base_set(struct store *s, const struct wr_entity *en, const char *uuid,
                  int64_t version, struct wr_err *e);
/* The server version held for uuid, 0 when none; -1 on an error. */
int64_t sync_base_get(struct store *s, const char *uuid, struct wr_err *e);

/* ---- the outbox (sync_outbox.c) ---- */
/* The condition on outbox o of an entry a push may send: pending, and its
 * record has nothing waiting for the user. */
/* Only the entries after a conflict or a rejected one wait: those before
 * it (a create, say) still go. */
#define SYNC_UNHELD \
	"o.state = 0 AND NOT EXISTS (SELECT 1 FROM sync_conflict c" \
	" WHERE c.uuid = o.uuid AND c.seq < o.seq)"
/* The seq of a conflict mirrored from the feed on a device whose value the
 * server kept: its mine is the server's value (elsewhere theirs is).  A
 * conflict the device lost has the seq of its entry, or -1 when mirrored. */
#define SYNC_KEPT_SIDE "0"
/* Mirrors the server's open field conflicts of a pulled record into
 * sync_conflict, and removes those it no longer holds open (*removed
 * counts them) (sync_mirror.c). */
int sync_mirror_conflicts(struct store *s, const struct wr_entity *en,
                          const struct sync_change *ch, int *removed, struct wr_err *e);
/* Marks entry seq rejected with why, for the user (sync_conflict kind 1). */
int sync_reject(struct store *s, int64_t seq, const char *why, struct wr_err *e);
/* Deletes acknowledged entries older than the time kept for a reset. */
int sync_purge(struct store *s, struct wr_err *e);

/* ---- issues (sync_issue.c) ---- */
/* The key people know record uuid of en by (a tag, a number), into buf. */
int sync_record_key(struct store *s, const struct wr_entity *en, const char *uuid, char *buf,
                    size_t n, struct wr_err *e);

/* ---- creates (sync_seal.c) ---- */
/* Fills the fields of the creates among the first max pending entries
 * from their records as they are now, once (a retry sends the same), and
 * drops what need not go: the record's later pending updates (the create
 * carries them), or, when the record is gone, the create and every pending
 * entry of it (the server never had it).  Its own transaction. */
int sync_seal(struct store *s, size_t max, struct wr_err *e);

/* ---- the outbox triggers (sync_schema.c) ---- */
/* Installs the outbox triggers when those in the file are not the ones
 * the descriptors make (store_open calls it). */
int store_sync_install(struct store *s, struct wr_err *e);
/* A bulk load of en's table, inside the caller's transaction: _begin drops
 * the table's insert trigger, keeping its SQL in *saved (NULL when there is
 * none to drop); _end writes the outbox entries the trigger would have
 * written for the rows with an id above after_id, in the order of their ids
 * (one range when their ids have no gap: sync_range.c), and makes the
 * trigger again from *saved (then freed and NULL).
 * Between the two, nothing but the load may insert into the table.  WR_OK
 * or an error (the caller rolls back; *saved is the caller's to free). */
int store_sync_bulk_begin(struct store *s, const struct wr_entity *en, char **saved,
                          struct wr_err *e);
int store_sync_bulk_end(struct store *s, const struct wr_entity *en, int64_t after_id,
                        char **saved, struct wr_err *e);

/* ---- an import's creates as one range of ids (sync_range.c) ---- */
/* Records rows after_id+1 .. after_id+n (n > 0) of en's table as pending
 * creates, with the next n seqs, unless the store applies the server's
 * data. */
int sync_range_write(struct store *s, const struct wr_entity *en, int64_t after_id,
                     int64_t n, struct wr_err *e);
/* Moves the outbox's sequence on by n (seqs given to entries written
 * without the triggers). */
int sync_seq_advance(struct store *s, int64_t n, struct wr_err *e);
/* Writes every range's entries into the outbox (in a transaction, nested
 * in the caller's if any) and removes the ranges.  WR_OK or an error. */
int sync_ranges_expand(struct store *s, struct wr_err *e);

/* ---- work-order numbers (sync_state.c) ---- */
/* The next provisional number P-<device8>-<n> into buf.  WR_OK or error. */
int sync_provisional_number(struct store *s, char *buf, size_t n, struct wr_err *e);
/* A provisional number P-<device8>-<n> into buf when a server is
 * remembered (1), else 0 (the plain numbering applies); -1 on an error. */
int store_sync_wo_number(struct store *s, char *buf, size_t n, struct wr_err *e);

#endif
