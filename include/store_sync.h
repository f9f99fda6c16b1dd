/*
 * store_sync.h - the store's side of sync: the outbox, the server's base of
 * each record, the pull-apply with the field merge, conflicts and rejected
 * edits, and what the device remembers about its server.
 *
 * The sync engine (sync/engine.c) moves data between these calls and a
 * transport (include/sync.h); it never sees SQL.  Values go in and out as
 * the protocol's (struct sync_value, docs/sync-api.md section 7): the
 * store converts between them and its own columns with the entity
 * descriptors (include/entity.h).
 *
 * The outbox.  Every change to a synced record, whatever makes it (the
 * terminal interface, the command line, an import, the PM engine), writes
 * one outbox entry in the same SQLite transaction as the change itself:
 * the device's next sequence number, the entity, the record's UUID, the
 * server version the device's copy is based on, and each changed field
 * with its value before and after.  A create is only its head: the first
 * push reads every field of the record as it is then into the entry, for
 * good (a retry sends the same), and drops the record's updates made
 * before (the create carries them), or, when the record has been deleted
 * meanwhile, the create and all that followed it (the server never had it).
 * A kill -9 at any point therefore leaves both or neither.  An import's
 * new records wait as one range of ids (their seqs reserved in order) until
 * a push or pull first reads the outbox and writes an entry for each;
 * the pending count includes them.  Changes the
 * store makes on the server's behalf (a pulled page, a push result) write
 * no entry.
 *
 * An entry is pending until a push result settles it:
 *   applied, merged  -> acknowledged (kept a while for a reset, then purged)
 *   conflict         -> acknowledged; its conflicting fields wait for the user
 *   rejected         -> rejected; waits for the user (drop, or fix and retry)
 *   deferred         -> stays pending, sent again
 * Later entries of a record with an open conflict or a rejected entry are
 * held back (not offered to push) until the user has dealt with it.
 */
#ifndef WRENCH_STORE_SYNC_H
#define WRENCH_STORE_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "sync.h"
#include "util.h"

/* ---- what the device remembers ---- */
struct store_sync_state {
	char device[64];        /* this device's id, made on first use (a UUID) */
	char server[256];       /* "" until the first sync */
	char token_file[512];   /* "" until the first sync */
	char ca_file[512];      /* "" : the system's CAs */
	char user[64], role[16];/* as the server last said ("" unknown) */
	int64_t last_sync;      /* when the last sync finished cleanly, 0 never */
	char last_error[256];   /* why the last sync did not finish, "" none */
	int64_t pending;        /* outbox entries waiting to be pushed (held ones too) */
	int64_t conflicts;      /* conflicting fields waiting for the user */
	int64_t rejected;       /* rejected entries waiting for the user */
};
/* Fills st (making the device id on the first call).  WR_OK or WR_EDB. */
int store_sync_state(struct store *s, struct store_sync_state *st, struct wr_err *e);
/* Remembers the server, token file and CA file (NULL: leave as is). */
int store_sync_remember(struct store *s, const char *server, const char *token_file,
                        const char *ca_file, struct wr_err *e);
/* Records the end of a sync: ok (last_sync = now, last_error cleared) or
 * not (last_error = why); user and role as the server said (NULL: keep). */
int store_sync_finished(struct store *s, int ok, const char *why, const char *user,
                        const char *role, struct wr_err *e);

/* ---- push ---- */
/* The next batch to push: up to max (<= SYNC_BATCH_MAX) pending entries in
 * sequence order, skipping held ones.  b->n is 0 when nothing waits.  The
 * batch's memory is the store's until store_sync_batch_free. */
int store_sync_batch(struct store *s, size_t max, struct sync_batch *b, struct wr_err *e);
void store_sync_batch_free(struct sync_batch *b);
/* Applies the server's results of batch b, in one transaction: settles
 * each entry as above, keeps each record's new server version as its base,
 * writes a merged or conflicting record's server values into the fields
 * the device has not changed since, records conflicts (with who and when),
 * and gives created work orders their canonical numbers. */
int store_sync_settle(struct store *s, const struct sync_batch *b,
                      const struct sync_push_reply *r, struct wr_err *e);
/* Marks entry index `refused` of b rejected with the server's message
 * (a push refused as a whole, sync.h SYNC_EREFUSED). */
int store_sync_refuse(struct store *s, const struct sync_batch *b, size_t refused,
                      const char *why, struct wr_err *e);

/* ---- pull ---- */
/* The stored cursor into buf ("" before the first pull). */
int store_sync_cursor(struct store *s, char *buf, size_t n, struct wr_err *e);
/* Applies one page and its cursor in one transaction.  A record without
 * pending local edits takes the server's values; one with pending edits is
 * merged field by field against its base, exactly as the server merges
 * (docs/sync-api.md 4.1): fields the device changed keep the device's
 * value (the push will settle them), the others take the server's.
 * A tombstone deletes the local record (unless pending edits refer to it:
 * then they are marked rejected, reason "deleted").  A change that refers
 * to a record the device does not have yet is kept and applied when it
 * arrives.  Counts what was applied in *applied.
 * The pages of an empty device's first pull whose next page is already in
 * hand (p->ahead) are committed a few at a time: the transaction stays
 * open for the next page (a page that fails is rolled back with those
 * of its group before it, which the next pull brings again).  A caller
 * that applies pages ends a pull with store_sync_pull_end. */
int store_sync_apply_page(struct store *s, const struct sync_page *p, size_t *applied,
                          struct wr_err *e);
/* Commits the pages a pull left open (none: nothing to do). */
int store_sync_pull_end(struct store *s, struct wr_err *e);
/* After a reset answer: forgets the cursor, and marks this device's
 * acknowledged entries of the last `days` days pending again, so the next
 * push sends them again (the server answers them as already applied, or
 * applies them to the re-created database).  Pending entries are kept. */
int store_sync_reset(struct store *s, int days, struct wr_err *e);

/* ---- conflicts and rejected edits ---- */
struct store_sync_issue {
	int64_t id;
	int rejected;           /* 0: a conflicting field; 1: a rejected entry */
	char entity[16];
	char uuid[WR_UUID_BUF];
	char record[80];        /* the record's key as people know it: "WO-000131", a tag */
	char field[32];         /* a conflict's field ("" for a rejected entry) */
	char mine[256], theirs[256];   /* as the screens show them (display text) */
	char by[64], at[32];    /* who changed theirs on the server, and when (local time) */
	char reason[256];       /* a rejected entry's code and detail */
};
typedef int (*store_sync_issue_cb)(const struct store_sync_issue *it, void *ctx);
int store_sync_issues(struct store *s, store_sync_issue_cb cb, void *ctx, struct wr_err *e);
enum store_sync_choice { SYNC_KEEP_MINE, SYNC_TAKE_THEIRS, SYNC_DROP };
/* Resolves issue id: keep mine (a new entry based on the server's version:
 * old = the server's value, new = mine), take theirs (theirs written
 * locally, and the same entry, new = theirs: the server ends the conflict
 * for every device, docs/sync-api.md 4.1), or drop (a rejected entry: removed, and the fields
 * it changed put back to their old values; a rejected create removes the
 * record it made).  Held entries of the record are released when nothing
 * waits on it any more.  WR_ENOTFOUND for an id that is none. */
int store_sync_resolve(struct store *s, int64_t id, int choice, struct wr_err *e);

/* 1 when number is a provisional work-order number (P-...). */
int store_wo_provisional(const char *number);

#endif
