/*
 * internal.h - what the files of store/ share and nobody else sees: the
 * connection, the statement cache, and helpers for binding, copying columns,
 * looking up keys and writing the audit log.
 */
#ifndef WRENCH_STORE_INTERNAL_H
#define WRENCH_STORE_INTERNAL_H

#include <sqlite3.h>
#include "store.h"

/* Migration N is store_migrations[N-1]: SQL chunks ending with NULL. */
extern const char *const *const store_migrations[];
extern const int store_migration_count;

#define STMT_CACHE 96

struct stmt_slot {
	const char *sql;    /* the literal's address is the cache key */
	sqlite3_stmt *st;
};

struct store {
	sqlite3 *db;
	char *path;
	char actor[64];
	int tx_depth;        /* store_begin nesting; >1 uses savepoints */
	int bulk;            /* BULK_* flags between store_bulk_enter and _leave */
	int require_codes;   /* completing corrective work needs its codes */
	struct stmt_slot cache[STMT_CACHE];
	int ncache;
	/* Waiting for other programs' locks (busy.c). */
	int64_t wait_ms;     /* how long one lock is waited for */
	int no_wait;         /* fail at once instead (the bulk load's probe) */
	int64_t busy_start;  /* when the current wait began, monotonic ms */
	int64_t last_busy_ms; /* the wait's last call, monotonic ms */
	int told;            /* on_wait has been told about this wait */
	int gave_up;         /* the last wait ran out (for the message) */
	store_wait_fn on_wait;
	void *wait_ctx;
	int lock_fd;         /* the lock-info file this store holds, or -1 */
	struct store_ckpt *ckpt; /* a load's checkpoints (checkpointer.c), or NULL */
	int load_mode;       /* store_load_mode is on */
	int group;           /* pulled pages in the transaction left open, or 0 */
	int64_t group_ms;    /* when the first of them was applied, monotonic ms */
};

/* ---- waiting for locks (busy.c) ----
 * SQLite calls store_on_busy() while a lock it needs is held elsewhere: it
 * sleeps with a growing pause, tells s->on_wait once a wait passes a
 * second, and gives up after s->wait_ms.  store_busy_wait() is the same wait for callers
 * that retry a statement SQLite fails without calling the handler; start_ms
 * is store_mono_ms() at their first try, count their number of retries.
 * Both return 1 to try again, 0 to give up. */
int store_on_busy(void *arg, int count);
int store_busy_wait(struct store *s, int64_t start_ms, int count);
int64_t store_mono_ms(void);
/* Sets s->wait_ms from wait_s, or from $WRENCH_BUSY_TIMEOUT (else 60 s)
 * when wait_s < 0; a malformed variable is WR_EINPUT. */
int store_wait_setup(struct store *s, double wait_s, struct wr_err *e);
/* The sentence for a lock that was waited for in vain: who holds it (the
 * lock-info file) and how to wait longer. */
void store_busy_reason(struct store *s, char *buf, size_t n);

/* A long write (an import) says who holds the database in a file beside it,
 * PATH.lock-info, locked with fcntl for as long as it runs: a process killed
 * with -9 loses its lock at once, so stale contents are never believed.
 * Claiming is best effort (a folder that cannot be written only costs the
 * waiting programs the name of the holder).  store_lock_holder() writes
 * "an import in progress (pid N, started at T)" to buf and returns 1 when a
 * live process holds the file, else 0. */
void store_lock_claim(struct store *s, const char *what);
void store_lock_release(struct store *s);
int store_lock_holder(const char *db_path, char *buf, size_t n);

/* ---- the database file (dbfile.c) ----
 * store_inspect() reads the schema version and checks that the tables of
 * that version's schema are there, writing nothing.  It returns WR_OK with
 * *empty set for a file with no schema at all (zero bytes, or SQLite with
 * nothing in it), WR_EINPUT "not a wrench database: PATH (why)" for a file
 * wrench cannot read, or a database error. */
int store_inspect(struct store *s, int *version, int *empty, struct wr_err *e);
/* Why the file could not be read or written, when its folder or its disk
 * says (full, read-only, a file size limit): a sentence saying what to fix,
 * written to buf; 0 when there is nothing to say beyond SQLite's message. */
int store_file_reason(const struct store *s, int code, int sys_errno, char *buf, size_t n);
/* SQLITE_READONLY* and SQLITE_CANTOPEN: the file or its folder cannot be
 * written (or the -wal and -shm files beside it created). */
int store_is_readonly_code(int code);

/* Returns a prepared, reset statement for a string literal (cached by its
 * address, so pass the same literal each time), or NULL with e filled.  The
 * caller binds, steps, and need not finalize; store_stmt_done() resets it. */
sqlite3_stmt *store_stmt(struct store *s, const char *sql, struct wr_err *e);
void store_stmt_done(sqlite3_stmt *st);

/* Around a bulk load's transaction (see db.c): a rollback journal instead
 * of the WAL when this is the only connection, and no foreign-key checks.
 * Call enter before store_begin and leave after the commit or rollback;
 * both do nothing when a transaction is already open. */
enum { BULK_ACTIVE = 1, BULK_LEFT_WAL = 2 };
void store_bulk_enter(struct store *s);
void store_bulk_leave(struct store *s);

/* Unmaps the database file after a scan that read much of it, so that the
 * pages it touched stop counting as the process's memory (db.c). */
void store_unmap(struct store *s);
/* on: reads without mmap, and the WAL copied into the database by a
 * thread of its own (sync_apply.c says why); off: back to normal. */
void store_load_mode(struct store *s, int on);
/* SQLite's page cache of a connection, as PRAGMA cache_size says it
 * (negative: KiB): 16 MiB keeps a handheld's memory small and serves the
 * reports' scans. */
#define STORE_CACHE_SIZE "-16384"
/* ---- a load's checkpoints on a thread of their own (checkpointer.c) ----
 * on: starts it (1 when it runs; 0, and the commits checkpoint as usual,
 * when it cannot); off: stops it. */
int store_checkpointer(struct store *s, int on);
/* Index builds sort in a file while these bracket them (db.c says why). */
int store_sort_in_file(struct store *s);
void store_sort_restore(struct store *s, int old);

/* Fills e from the connection's last error, with a sentence of context. */
int store_dberr(struct store *s, struct wr_err *e, const char *what);

/* Runs SQL with no results (schema, pragmas). */
int store_exec(struct store *s, const char *sql, struct wr_err *e);

/* Binding (bind.c).  Every parameter is bound through a struct store_binds,
 * which keeps the first bind that failed (SQLITE_TOOBIG for a value over the
 * length limit, SQLITE_NOMEM, SQLITE_RANGE for a wrong index); and nothing
 * steps a statement before store_binds_check or store_run has turned that
 * failure into an error, so no statement ever runs with a parameter left
 * NULL by a failed bind.  A parameter not bound at all is NULL.
 *
 *     struct store_binds b = store_binds_start(st);
 *     store_bind_text(&b, 1, a->tag);
 *     if (parent_id)
 *             store_bind_int64(&b, 2, parent_id);
 *     rc = store_run(s, &b, e, "saving an asset");      (no rows expected)
 *   or, before stepping a query:
 *     if (store_binds_check(&b, e, "looking up an asset") != WR_OK) ...
 *
 * Each statement gets a binder of its own (b = store_binds_start(st) again
 * for the next one).  A helper that binds part of a row takes a
 * `struct store_binds *`; one that checks and steps takes a
 * `const struct store_binds *`.  tests/lint/binds.sh (make check) fails on
 * a sqlite3_bind_ call outside bind.c, on a binder that reaches sqlite3_step
 * or the end of its function unchecked, and on binds through a binder
 * already checked. */
struct store_binds {
	sqlite3_stmt *st;
	int rc;       /* SQLITE_OK, or the result of the first bind that failed */
	int param;    /* that bind's parameter index */
};
struct store_binds store_binds_start(sqlite3_stmt *st);
void store_bind_int(struct store_binds *b, int i, int v);
void store_bind_int64(struct store_binds *b, int i, int64_t v);
void store_bind_double(struct store_binds *b, int i, double v);
void store_bind_null(struct store_binds *b, int i);
void store_bind_value(struct store_binds *b, int i, const sqlite3_value *v);
void store_bind_text(struct store_binds *b, int i, const char *v);       /* NULL -> "" */
void store_bind_text_null(struct store_binds *b, int i, const char *v);  /* "" -> NULL */
/* Not copied: v must stay unchanged until the statement is reset (the bulk
 * import binds its parsed fields so, to save a copy per field). */
void store_bind_text_static(struct store_binds *b, int i, const char *v); /* NULL -> "" */
void store_bind_text_owned(struct store_binds *b, int i, char *v);       /* frees v */
void store_bind_time(struct store_binds *b, int i, int64_t t);           /* WR_NO_TIME -> NULL */
void store_bind_real(struct store_binds *b, int i, double v);            /* NAN -> NULL */
/* WR_OK, or the first failed bind as an error with SQLite's message and
 * `what` as context (WR_EINPUT for a value too long, WR_ENOMEM, WR_EDB). */
int store_binds_check(const struct store_binds *b, struct wr_err *e, const char *what)
	__attribute__((warn_unused_result));
/* Checks the binds, then steps a statement that returns no rows: WR_OK, or
 * the failed bind's or step's error.  The caller still resets or finalizes. */
int store_run(struct store *s, const struct store_binds *b, struct wr_err *e, const char *what)
	__attribute__((warn_unused_result));

/* Column helpers: copy text into a fixed buffer (NULL -> ""), read times
 * (NULL -> WR_NO_TIME; a time outside the dates wrench accepts, which only
 * another program can have written, reads as the nearest accepted one: see
 * wr_time_clamp), reals (NULL -> NAN), duplicate text to the heap.  Every
 * time read for arithmetic or display goes through store_col_time. */
void store_col_text(sqlite3_stmt *st, int i, char *dst, size_t n);
int64_t store_col_time(sqlite3_stmt *st, int i);
double store_col_real(sqlite3_stmt *st, int i);
char *store_col_dup(sqlite3_stmt *st, int i);   /* NULL column -> NULL */

/* Key lookups.  Return the row id, 0 when absent (no error), -1 on error. */
int64_t store_id_of(struct store *s, const char *table, const char *key, struct wr_err *e);
/* table is one of: location (code), asset (tag), pm (code), wo (number),
 * app_user (username).  Unknown table names are a programming error and fail. */

/* Hierarchies (assets under assets, locations under locations): 1 when row
 * `node` is `start` or one of start's ancestors, 0 when not, -1 on error.
 * Making `start` the parent of `node` would close a loop exactly when this
 * is 1.  UNION (not UNION ALL) ends the walk even on a loop already stored. */
enum store_tree { TREE_ASSET, TREE_LOCATION };
int store_tree_has_ancestor(struct store *s, int tree, int64_t node, int64_t start,
                            struct wr_err *e);

/* The one number a query (a string literal: statements are cached by its
 * address) gives, into *n (0 when it fails); what says what is counted,
 * for the error ("counting assets"). */
int store_count(struct store *s, const char *sql, const char *what, int64_t *n,
                struct wr_err *e);

/* Audit log.  entity and key name the record; old/new may be NULL.  The
 * change is the store's actor's; store_audit_by names who instead (a
 * change pulled from the server is "sync (alice)"). */
int store_audit(struct store *s, const char *entity, const char *uuid, const char *key,
                const char *field, const char *old_value, const char *new_value,
                struct wr_err *e);
int store_audit_by(struct store *s, const char *who, const char *entity, const char *uuid,
                   const char *key, const char *field, const char *old_value,
                   const char *new_value, struct wr_err *e);

/* Version-checked edits (version.c).  A record as the conflict message
 * names it: the audit log's entity and key (and field, when the record is
 * a part of another, like a checklist item, or NULL), and name for people
 * ("WO-000123", "asset P-101"). */
struct store_vref {
	const char *entity, *key, *field, *name;
};
/* WR_ECONFLICT "NAME was changed by WHO at WHEN (version STORED, you had
 * BASE)", who and when from the audit log's last row of the record. */
int store_version_conflict(struct store *s, const struct store_vref *r, int64_t stored,
                           int64_t base, struct wr_err *e);
/* WR_OK when base is NULL, 0 (an unchecked edit) or the stored version;
 * otherwise the conflict. */
int store_version_check(struct store *s, const struct store_vref *r, int64_t stored,
                        const int64_t *base, struct wr_err *e);
/* Binds *base to the last parameter of a guarded UPDATE ("... AND (?N IS
 * NULL OR version = ?N)"); nothing when the edit is unchecked. */
void store_bind_base(struct store_binds *b, const int64_t *base);
/* After a guarded UPDATE of row id of table: the conflict when a checked
 * edit changed no row (the record moved on), else WR_OK. */
int store_version_written(struct store *s, const struct store_vref *r, const char *table,
                          int64_t id, const int64_t *base, struct wr_err *e);
/* The version of row id of table (wo, asset, pm, wo_check). */
int store_version_of(struct store *s, const char *table, int64_t id, int64_t *version,
                     struct wr_err *e);

/* PM schedule id as it is stored (pm.c). */
int store_pm_by_id(struct store *s, int64_t id, struct wr_pm *out, struct wr_err *e);
/* After a sync wrote PM schedule id (before: the row as it was, NULL when
 * it is new): its next due date or meter value, computed as for a local
 * create or an import when it is new or its schedule changed. */
int store_pm_synced(struct store *s, int64_t id, const struct wr_pm *before, struct wr_err *e);

/* Fault-diagnosis index upkeep for one work order (insert or replace its
 * FTS row if it is finished corrective work, delete it otherwise). */
int store_fault_index(struct store *s, int64_t wo_id, struct wr_err *e);
/* The same for the work orders whose ids are the JSON array ids; had_rows:
 * some of them may be in the index already (else they are all new). */
int store_fault_index_many(struct store *s, const char *ids, int had_rows, struct wr_err *e);
/* The fault index built anew from every work order (an initial sync's end). */
int store_fault_index_all(struct store *s, struct wr_err *e);

/* Inside a transaction: a part used (qty; a correction is negative) taken
 * from the inventory's part with that code, whose quantity on hand goes
 * down, audited.  p gets the part as it is after (its id 0 when the
 * inventory has no such code: nothing is done).  store/inventory.c */
int store_stock_take(struct store *s, const char *code, double qty, struct wr_stock *p,
                     struct wr_err *e);

/* ---- the life-data load's two halves (life.c) ----
 * A load of every asset reads the upper half of the asset ids on a second
 * connection when the ids span at least store_life_split_min; tests set it
 * to force one way or the other.  store_life_split_hook, when set, runs
 * after the first connection's read has begun and before the second's
 * (a test commits there). */
extern size_t store_life_split_min;
extern void (*store_life_split_hook)(void);

#endif
